/*
 * ingest_pipeline.c - durable feed ingest on threads: documents in, each
 * verdict out once its article is durable, in submission order.
 *
 * Three stages around one ring of `queue` slots, with monotonic counters
 * filled >= prepared >= taken (slot i lives at ring[i % queue]):
 *
 *   caller / next()      preparing thread             writing thread
 *   push: copy -> RAW    RAW -> syndic_state_prepare   submit_prepared, hold,
 *   [taken, filled)      -> DOC (or REJECT, FAIL)      commit, deliver
 *   is in use            prepared++                    taken++ (slot free)
 *
 * In pull mode the preparing thread fills slots itself (calling next())
 * and prepares them at once. Slot kinds: RAW (pushed, not yet prepared),
 * DOC (prepared), REJECT (rejected before submission), FAIL (next() failed,
 * or a preparation did), END (no more input): they reach the writer in
 * order, so a failure or the end is seen where it happened.
 *
 * The writing thread owns the state's write transaction (LMDB ties it to
 * the thread that began it: a failure abandons it on this thread too) and
 * holds each verdict - copied, with its strings - until it is durable:
 *  - batched: held until a commit (LMDB syncs in it, unless the state says
 *    not to): after commit_every held verdicts, when the oldest held is
 *    commit_ms old, and at the end. The thread waits for documents with
 *    that deadline, so an idle input gets its verdicts on time.
 *  - group commit (a state opened with SYNDIC_STATE_SYNC_GROUP): every
 *    article is committed at once, without a sync, and its verdict gets a
 *    ticket (the commits counted after it); a syncing thread calls
 *    syndic_state_sync() back to back while commits wait, and a verdict is
 *    delivered once a sync that started after its commit returned has
 *    ended. One fsync then covers every commit before it.
 * Rejections and duplicates store nothing: they are held behind the
 * verdicts before them, so results always come in submission order.
 *
 * The library re-sketches an article if a template learned after its
 * preparation changes it (ingest.c), so the verdicts are byte for byte
 * those of syndic_state_submit() one at a time (tests/test_ingest.c).
 *
 * Failure: the first one (a submission, a commit, a sync, a preparation,
 * next(), a callback's non-zero return, or a free before the end) is kept
 * with its message; the writing thread abandons the open transaction, and
 * every document without a result gets one with the failure status, in
 * order: the held ones, the one it happened to, then the queued ones. A
 * document that next() returns after that is answered by the preparing
 * thread itself (the writing thread has ended by then: see writer_done).
 * Pushes are refused from then on. So each accepted document gets exactly
 * one result.
 *
 * Latencies are kept in log-linear histograms (128 exact 1 us buckets,
 * then 64 per power of two: within 1%, 9 KB each), so a long-running
 * pipeline's memory does not grow with the documents it has seen.
 */
#include "store.h"
#include "internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- latency histograms (microseconds) ---- */

#define LAT_LINEAR 128
#define LAT_SUB 64
#define LAT_BUCKETS (LAT_LINEAR + 34 * LAT_SUB) /* up to 2^41 us */

typedef struct lat_hist {
    uint64_t n;
    double max;
    uint32_t count[LAT_BUCKETS];
} lat_hist;

static size_t lat_bucket(uint64_t us)
{
    if (us < LAT_LINEAR) return (size_t)us;
    unsigned e = 63u - (unsigned)__builtin_clzll(us); /* >= 7 */
    size_t i = LAT_LINEAR + (size_t)(e - 7) * LAT_SUB + (size_t)((us >> (e - 6)) & (LAT_SUB - 1));
    return i < LAT_BUCKETS ? i : LAT_BUCKETS - 1;
}

/* The middle of bucket i. */
static double lat_value(size_t i)
{
    if (i < LAT_LINEAR) return (double)i;
    size_t j = i - LAT_LINEAR;
    unsigned e = (unsigned)(j / LAT_SUB) + 7;
    uint64_t lo = (uint64_t)(LAT_SUB + j % LAT_SUB) << (e - 6), width = UINT64_C(1) << (e - 6);
    return (double)lo + (double)(width - 1) / 2.0;
}

static void lat_add(lat_hist *h, double us)
{
    if (us < 0) us = 0;
    h->count[lat_bucket((uint64_t)(us + 0.5))]++;
    h->n++;
    if (us > h->max) h->max = us;
}

/* The value of rank (q x (n - 1)), rounded, as the CLI always chose. */
static double lat_quantile(const lat_hist *h, double q)
{
    if (!h->n) return 0;
    uint64_t rank = (uint64_t)(q * (double)(h->n - 1) + 0.5), seen = 0;
    for (size_t i = 0; i < LAT_BUCKETS; i++) {
        seen += h->count[i];
        if (seen > rank) {
            double v = lat_value(i);
            return v < h->max ? v : h->max;
        }
    }
    return h->max;
}

static syndic_latency lat_summary(const lat_hist *h)
{
    syndic_latency l = {h->n, lat_quantile(h, 0.5), lat_quantile(h, 0.99), h->max};
    return l;
}

/* ---- the pipeline ---- */

enum slot_kind { SLOT_RAW, SLOT_DOC, SLOT_REJECT, SLOT_FAIL, SLOT_END };

typedef struct slot {
    enum slot_kind kind;
    void *item;
    uint64_t number;
    int64_t arrival;
    double t_in;              /* when it came */
    double t_prep;            /* seconds its preparation took */
    syndic_state_prep *prep;
    syndic_buf copy;          /* RAW: the pushed fields, each NUL-ended */
    size_t lens[6];
    bool has[6];              /* the field was given (not NULL) */
    syndic_reject why;        /* REJECT */
    int status;               /* FAIL */
    bool cause;               /* FAIL: the item is what failed */
    char msg[512];            /* REJECT, FAIL */
} slot;

/* A verdict waiting to be durable; its strings in the held buffer. */
typedef struct held {
    int status;               /* SYNDIC_OK or SYNDIC_EBADREC */
    syndic_ingest_verdict v;
    size_t off[4];            /* id, origin, match, message */
    void *item;
    uint64_t number, ticket;
    double t_in;
} held;

/* Counted by the writing thread, published under the mutex. */
typedef struct wstats {
    uint64_t verdicts[4], commits;
    double commit_seconds, commit_max, wait_seconds, writer_cpu;
    lat_hist submit, prepare, verdict;
} wstats;

struct syndic_pipeline {
    syndic_state *state;
    syndic_pipeline_options o;
    bool group;
    pthread_mutex_t mu, push_mu;
    pthread_cond_t writer_cv, prep_cv, space_cv, sync_cv, done_cv;
    bool cv_init;
    slot *ring;
    size_t cap;
    uint64_t filled, prepared, taken;
    bool ended;               /* END queued (push mode: finish called) */
    bool stop;                /* freed before the end */
    bool failed;
    int fail_status;
    char fail_msg[512];
    bool writer_done, prep_done, finished;
    pthread_t writer, preparer, syncer;
    bool have_writer, have_preparer, have_syncer;
    double prep_cpu;
    /* the failing document, when it is not in the ring or held */
    bool has_cur, cur_cause;
    void *cur_item;
    uint64_t cur_number;
    double cur_t_in;
    /* group commit */
    uint64_t durable, released;
    bool sync_failed, sync_stop;
    char sync_error[256];
    /* writing thread only */
    held *hv;
    size_t hv_count, hv_cap, hv_done;
    syndic_buf strs;
    double batch_start;
    wstats w;
    wstats pub;               /* under mu */
};

static void set_msg(char *dst, size_t cap, const char *msg)
{
    snprintf(dst, cap, "%s", msg ? msg : "");
}

/* The first failure wins; later ones only stop. Called without mu. */
__attribute__((format(printf, 3, 4)))
static int fail(syndic_pipeline *p, int status, const char *fmt, ...)
{
    pthread_mutex_lock(&p->mu);
    if (!p->failed) {
        p->failed = true;
        p->fail_status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->fail_msg, sizeof p->fail_msg, fmt, ap);
        va_end(ap);
    }
    pthread_cond_broadcast(&p->prep_cv);
    pthread_cond_broadcast(&p->space_cv);
    pthread_cond_broadcast(&p->writer_cv);
    pthread_mutex_unlock(&p->mu);
    return status;
}

/* The document whose preparation or submission failed (cause), or whose
 * commit did: it gets its result after the held ones. */
static void set_current(syndic_pipeline *p, const slot *sl, bool cause)
{
    p->has_cur = true;
    p->cur_cause = cause;
    p->cur_item = sl->item;
    p->cur_number = sl->number;
    p->cur_t_in = sl->t_in;
}

/* ---- preparing ---- */

static void prepare_doc(syndic_pipeline *p, slot *sl, const syndic_doc *doc)
{
    if (!sl->prep && syndic_state_prep_new(&sl->prep) < 0) {
        sl->kind = SLOT_FAIL;
        sl->status = SYNDIC_ENOMEM;
        sl->cause = true;
        set_msg(sl->msg, sizeof sl->msg, syndic_last_error());
        return;
    }
    double t0 = syndic__now();
    int rc = syndic_state_prepare(p->state, sl->prep, doc, sl->arrival);
    sl->t_prep = syndic__now() - t0;
    if (rc == SYNDIC_EBADREC) {
        sl->kind = SLOT_REJECT;
        sl->why = SYNDIC_REJECT_MISSING_FIELD;
        set_msg(sl->msg, sizeof sl->msg, syndic_last_error());
    } else if (rc < 0) {
        sl->kind = SLOT_FAIL;
        sl->status = rc;
        sl->cause = true;
        set_msg(sl->msg, sizeof sl->msg, syndic_last_error());
    } else {
        sl->kind = SLOT_DOC;
    }
}

/* A pushed document, from its copy. */
static void prepare_raw(syndic_pipeline *p, slot *sl)
{
    syndic_doc d = SYNDIC_DOC_INIT;
    const char **f[6] = {&d.id, &d.outlet, &d.date, &d.title, &d.url, &d.text};
    size_t *l[6] = {&d.id_len, &d.outlet_len, &d.date_len, &d.title_len, &d.url_len, &d.text_len};
    size_t off = 0;
    for (int i = 0; i < 6; i++) {
        if (sl->has[i]) {
            *f[i] = sl->copy.data + off;
            *l[i] = sl->lens[i];
        }
        off += sl->lens[i] + 1;
    }
    prepare_doc(p, sl, &d);
}

/* Pull mode: the next record from next(), prepared. */
static void pull(syndic_pipeline *p, slot *sl)
{
    syndic_doc doc = SYNDIC_DOC_INIT;
    syndic_reject why = SYNDIC_REJECT_NONE;
    void *item = NULL;
    int64_t arrival = 0;
    syndic__error_clear();
    int rc = p->o.next(p->o.ctx, &doc, &item, &arrival, &why);
    sl->t_in = syndic__now();
    sl->item = item;
    sl->arrival = arrival;
    sl->t_prep = 0;
    if (rc == 0) {
        sl->kind = SLOT_END;
        sl->item = NULL;
    } else if (rc == SYNDIC_EBADREC) {
        sl->kind = SLOT_REJECT;
        sl->why = why;
        set_msg(sl->msg, sizeof sl->msg, syndic_last_error());
    } else if (rc < 0) {
        sl->kind = SLOT_FAIL;
        sl->status = rc;
        sl->cause = false;
        sl->item = NULL;
        set_msg(sl->msg, sizeof sl->msg,
                syndic_last_error()[0] ? syndic_last_error() : syndic_strerror(rc));
    } else {
        prepare_doc(p, sl, &doc);
    }
}

static void deliver_dropped(syndic_pipeline *p, void *item, uint64_t number, double t_in,
                            bool cause, bool last);

/* A document without a result yet: anything but the end, or a failure
 * that is not a document's. */
static bool needs_result(const slot *sl)
{
    return sl->kind != SLOT_END && (sl->kind != SLOT_FAIL || sl->cause);
}

static void *prep_main(void *arg)
{
    syndic_pipeline *p = arg;
    unsigned since = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        slot *sl;
        if (p->o.next) {
            while (p->filled - p->taken == p->cap && !p->stop && !p->failed)
                pthread_cond_wait(&p->space_cv, &p->mu);
            if (p->stop || p->failed) break;
            sl = &p->ring[p->filled % p->cap];
            sl->number = p->filled;
            pthread_mutex_unlock(&p->mu);
            pull(p, sl);
            pthread_mutex_lock(&p->mu);
            if (p->writer_done) {
                /* The writing thread failed and has ended: answer here. */
                if (needs_result(sl)) {
                    pthread_mutex_unlock(&p->mu);
                    deliver_dropped(p, sl->item, sl->number, sl->t_in, false, true);
                    pthread_mutex_lock(&p->mu);
                }
                break;
            }
            p->filled++;
            p->prepared++;
        } else {
            while (p->prepared == p->filled && !p->stop && !p->failed)
                pthread_cond_wait(&p->prep_cv, &p->mu);
            if (p->stop || p->failed) break;
            sl = &p->ring[p->prepared % p->cap];
            pthread_mutex_unlock(&p->mu);
            if (sl->kind == SLOT_RAW) prepare_raw(p, sl);
            pthread_mutex_lock(&p->mu);
            p->prepared++;
        }
        pthread_cond_signal(&p->writer_cv);
        if (sl->kind == SLOT_END || sl->kind == SLOT_FAIL) break;
        if (++since == 1024) { /* for stats read meanwhile */
            since = 0;
            p->prep_cpu = syndic__thread_cpu();
        }
    }
    p->prep_cpu = syndic__thread_cpu();
    p->prep_done = true;
    pthread_cond_broadcast(&p->done_cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- syncing (group commit) ---- */

static void *sync_main(void *arg)
{
    syndic_pipeline *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->sync_stop && p->durable >= syndic_state_commits(p->state))
            pthread_cond_wait(&p->sync_cv, &p->mu);
        if (p->sync_stop && p->durable >= syndic_state_commits(p->state)) break;
        pthread_mutex_unlock(&p->mu);
        uint64_t upto = 0;
        int rc = syndic_state_sync(&upto, p->state);
        pthread_mutex_lock(&p->mu);
        if (rc < 0) {
            p->sync_failed = true;
            set_msg(p->sync_error, sizeof p->sync_error, syndic_last_error());
            pthread_cond_signal(&p->writer_cv);
            break;
        }
        if (upto > p->durable) p->durable = upto;
        pthread_cond_signal(&p->writer_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void stop_syncer(syndic_pipeline *p)
{
    if (!p->have_syncer) return;
    pthread_mutex_lock(&p->mu);
    p->sync_stop = true;
    pthread_cond_signal(&p->sync_cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->syncer, NULL);
    p->have_syncer = false;
}

/* ---- writing: hold, commit, deliver ---- */

static void publish(syndic_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    p->pub = p->w;
    pthread_mutex_unlock(&p->mu);
}

static int hold(syndic_pipeline *p, const slot *sl, int status, const syndic_ingest_verdict *v,
                const char *message, uint64_t ticket)
{
    if (syndic__grow(&p->hv, &p->hv_cap, p->hv_count + 1, sizeof *p->hv) < 0) {
        set_current(p, sl, false);
        return fail(p, SYNDIC_ENOMEM, "out of memory");
    }
    if (p->hv_count == p->hv_done) p->batch_start = syndic__now();
    held *h = &p->hv[p->hv_count];
    memset(h, 0, sizeof *h);
    h->status = status;
    h->v = *v;
    h->item = sl->item;
    h->number = sl->number;
    h->ticket = ticket;
    h->t_in = sl->t_in;
    const char *strs[4] = {v->id, v->origin, v->match, message};
    for (int i = 0; i < 4; i++) {
        h->off[i] = p->strs.len;
        const char *s = strs[i] ? strs[i] : "";
        if (syndic__buf_append(&p->strs, s, strlen(s) + 1) < 0) {
            set_current(p, sl, false);
            return fail(p, SYNDIC_ENOMEM, "out of memory");
        }
    }
    p->hv_count++;
    return SYNDIC_OK;
}

static int hold_reject(syndic_pipeline *p, const slot *sl, syndic_reject why, uint64_t ticket)
{
    syndic_ingest_verdict v;
    memset(&v, 0, sizeof v);
    v.kind = v.first = SYNDIC_INGEST_REJECTED;
    v.reason = why;
    v.id = v.origin = v.match = "";
    return hold(p, sl, SYNDIC_EBADREC, &v, sl->msg, ticket);
}

/* Delivers the held verdicts whose commit is durable (all: upto =
 * UINT64_MAX), in order. */
static int release(syndic_pipeline *p, uint64_t upto)
{
    size_t from = p->hv_done, to = from;
    while (to < p->hv_count && p->hv[to].ticket <= upto) to++;
    if (to == from) return SYNDIC_OK;
    double t = syndic__now();
    for (size_t i = from; i < to; i++) {
        held *h = &p->hv[i];
        h->v.id = p->strs.data + h->off[0];
        h->v.origin = p->strs.data + h->off[1];
        h->v.match = p->strs.data + h->off[2];
        syndic_pipeline_result r = {h->status, &h->v, "", h->item, h->number, t - h->t_in, 0,
                                    i + 1 == to};
        if (h->status == SYNDIC_EBADREC) r.message = p->strs.data + h->off[3];
        p->hv_done = i + 1;
        int rc = p->o.on_result(p->o.ctx, &r);
        if (rc != 0)
            return fail(p, rc < 0 ? rc : SYNDIC_ERROR, "the result callback returned %d", rc);
    }
    t = syndic__now();
    for (size_t i = from; i < to; i++) lat_add(&p->w.verdict, (t - p->hv[i].t_in) * 1e6);
    if (p->hv_done == p->hv_count) {
        p->strs.len = 0;
        p->hv_count = p->hv_done = 0;
    }
    p->w.writer_cpu = syndic__thread_cpu();
    publish(p);
    return SYNDIC_OK;
}

/* Commits what was submitted, timed. */
static int commit_pending(syndic_pipeline *p)
{
    if (!syndic_state_pending(p->state)) return SYNDIC_OK;
    double t0 = syndic__now();
    int rc = syndic_state_commit(p->state);
    if (rc < 0) return fail(p, rc, "commit: %s", syndic_last_error());
    double t = syndic__now() - t0;
    p->w.commit_seconds += t;
    if (t > p->w.commit_max) p->w.commit_max = t;
    p->w.commits++;
    return SYNDIC_OK;
}

/* Batched: commit (the state syncs in it as it says), then deliver every
 * held verdict. */
static int commit_release(syndic_pipeline *p)
{
    if (p->hv_count == p->hv_done && !syndic_state_pending(p->state)) return SYNDIC_OK;
    int rc = commit_pending(p);
    return rc < 0 ? rc : release(p, UINT64_MAX);
}

/* Group commit: deliver what the syncing thread made durable. */
static int release_durable(syndic_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    uint64_t durable = p->durable;
    bool failed = p->sync_failed;
    p->released = durable;
    pthread_mutex_unlock(&p->mu);
    if (failed) return fail(p, SYNDIC_EIO, "sync: %s", p->sync_error);
    return release(p, durable);
}

/* Seconds until the batch's deadline: -1 when nothing is held (or in group
 * mode), 0 when it has passed. */
static double deadline_left(const syndic_pipeline *p)
{
    if (p->group || p->hv_count == p->hv_done) return -1;
    double left = (double)p->o.commit_ms / 1000.0 - (syndic__now() - p->batch_start);
    return left < 0 ? 0 : left;
}

/* The next prepared slot, or NULL when a deadline came first (batched),
 * the syncing thread made more durable (group), or the pipeline stops. */
static slot *next_slot(syndic_pipeline *p)
{
    double waited = syndic__now();
    pthread_mutex_lock(&p->mu);
    while (p->taken == p->prepared && !p->stop) {
        if (p->group) {
            if (p->hv_done < p->hv_count && p->durable != p->released) break;
            if (p->sync_failed) break;
            pthread_cond_wait(&p->writer_cv, &p->mu);
            continue;
        }
        double left = deadline_left(p);
        if (left == 0) break;
        if (left < 0) {
            pthread_cond_wait(&p->writer_cv, &p->mu);
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 + left;
        ts.tv_sec = (time_t)t;
        ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
        if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
        pthread_cond_timedwait(&p->writer_cv, &p->mu, &ts);
    }
    slot *sl = !p->stop && p->taken < p->prepared ? &p->ring[p->taken % p->cap] : NULL;
    pthread_mutex_unlock(&p->mu);
    p->w.wait_seconds += syndic__now() - waited;
    return sl;
}

static void done_with(syndic_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    p->taken++;
    pthread_cond_signal(&p->space_cv);
    pthread_mutex_unlock(&p->mu);
}

/* Group commit: this article's transaction is committed; wake the
 * syncing thread. Returns the article's ticket. */
static uint64_t committed(syndic_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    uint64_t ticket = syndic_state_commits(p->state);
    pthread_cond_signal(&p->sync_cv);
    pthread_mutex_unlock(&p->mu);
    return ticket;
}

static int handle(syndic_pipeline *p, slot *sl)
{
    syndic_state *s = p->state;
    if (sl->kind == SLOT_REJECT) {
        p->w.verdicts[SYNDIC_INGEST_REJECTED]++;
        return hold_reject(p, sl, sl->why, p->group ? syndic_state_commits(s) : 0);
    }
    if (sl->kind == SLOT_FAIL) {
        if (sl->cause) set_current(p, sl, true);
        return fail(p, sl->status, "%s", sl->msg);
    }
    syndic_ingest_verdict v;
    double t0 = syndic__now();
    int rc = syndic_state_submit_prepared(&v, s, sl->prep);
    lat_add(&p->w.submit, (syndic__now() - t0) * 1e6);
    lat_add(&p->w.prepare, sl->t_prep * 1e6);
    if (rc == SYNDIC_EBADREC) {
        p->w.verdicts[SYNDIC_INGEST_REJECTED]++;
        set_msg(sl->msg, sizeof sl->msg, syndic_last_error());
        return hold_reject(p, sl, v.reason, p->group ? syndic_state_commits(s) : 0);
    }
    if (rc < 0) {
        set_current(p, sl, true);
        return fail(p, rc, "%s", syndic_last_error());
    }
    p->w.verdicts[v.kind]++;
    uint64_t ticket = 0;
    if (p->group) {
        if ((rc = commit_pending(p)) < 0) {
            set_current(p, sl, false);
            return rc;
        }
        ticket = committed(p);
    }
    return hold(p, sl, SYNDIC_OK, &v, "", ticket);
}

static int write_all(syndic_pipeline *p)
{
    int rc;
    for (;;) {
        slot *sl = next_slot(p);
        if (!sl) {
            pthread_mutex_lock(&p->mu);
            bool stop = p->stop;
            pthread_mutex_unlock(&p->mu);
            if (stop)
                return fail(p, SYNDIC_ERROR, "the pipeline was freed before the end of its input");
            if ((rc = p->group ? release_durable(p) : commit_release(p)) < 0) return rc;
            continue;
        }
        if (sl->kind == SLOT_END) {
            done_with(p);
            break;
        }
        rc = handle(p, sl);
        done_with(p);
        if (rc < 0) return rc;
        if (p->group) {
            if ((rc = release_durable(p)) < 0) return rc;
        } else if (p->hv_count - p->hv_done >= p->o.commit_every || deadline_left(p) == 0) {
            if ((rc = commit_release(p)) < 0) return rc;
        }
    }
    if (!p->group) return commit_release(p);
    /* The syncing thread ends once every commit is durable. */
    stop_syncer(p);
    return release_durable(p);
}

static void deliver_dropped(syndic_pipeline *p, void *item, uint64_t number, double t_in,
                            bool cause, bool last)
{
    syndic_pipeline_result r = {p->fail_status, NULL, p->fail_msg, item, number,
                                syndic__now() - t_in, cause, last};
    p->o.on_result(p->o.ctx, &r);
}

/* After a failure: a result for every document without one, in order. */
static void drop_all(syndic_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    /* Push mode: the preparing thread stops at the failure; wait, so that
     * no slot is being prepared while it is answered. (In pull mode it
     * only fills the slot past `filled`.) */
    while (!p->o.next && !p->prep_done) pthread_cond_wait(&p->done_cv, &p->mu);
    bool ring_empty = p->taken == p->filled;
    pthread_mutex_unlock(&p->mu);
    for (size_t i = p->hv_done; i < p->hv_count; i++)
        deliver_dropped(p, p->hv[i].item, p->hv[i].number, p->hv[i].t_in, false,
                        i + 1 == p->hv_count && !p->has_cur && ring_empty);
    p->hv_count = p->hv_done = 0;
    p->strs.len = 0;
    if (p->has_cur) {
        deliver_dropped(p, p->cur_item, p->cur_number, p->cur_t_in, p->cur_cause, ring_empty);
        p->has_cur = false;
    }
    pthread_mutex_lock(&p->mu);
    while (p->taken < p->filled) {
        slot *sl = &p->ring[p->taken % p->cap];
        bool answer = needs_result(sl);
        void *item = sl->item;
        uint64_t number = sl->number;
        double t_in = sl->t_in;
        p->taken++;
        bool last = p->taken == p->filled;
        pthread_mutex_unlock(&p->mu);
        if (answer) deliver_dropped(p, item, number, t_in, false, last);
        pthread_mutex_lock(&p->mu);
    }
    p->writer_done = true;
    pthread_cond_broadcast(&p->done_cv);
    pthread_cond_broadcast(&p->space_cv);
    pthread_mutex_unlock(&p->mu);
}

static void *writer_main(void *arg)
{
    syndic_pipeline *p = arg;
    int rc = write_all(p);
    /* The write transaction is this thread's: end it here. A success left
     * at most the reads of trailing duplicates in it. */
    syndic__state_abort(p->state);
    stop_syncer(p);
    p->w.writer_cpu = syndic__thread_cpu();
    publish(p);
    if (rc < 0) {
        drop_all(p);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    p->writer_done = true;
    pthread_cond_broadcast(&p->done_cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the API ---- */

int syndic_pipeline_new(syndic_pipeline **out, syndic_state *state,
                        const syndic_pipeline_options *options)
{
    *out = NULL;
    if (!state || !options)
        return syndic__error(SYNDIC_EINVAL, "a pipeline needs a state and options");
    const syndic_pipeline_options *o = options;
    if (o->version != SYNDIC_PIPELINE_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "pipeline options version %u, expected %u",
                             o->version, SYNDIC_PIPELINE_OPTIONS_VERSION);
    if (!o->on_result) return syndic__error(SYNDIC_EINVAL, "a pipeline needs on_result");
    if (o->commit_every < 1 || o->commit_every > (1u << 30))
        return syndic__error(SYNDIC_EINVAL, "commit_every must be in 1..2^30");
    if (o->commit_ms > (1u << 30)) return syndic__error(SYNDIC_EINVAL, "commit_ms must be in 0..2^30");
    if (o->queue < 1 || o->queue > (1u << 20))
        return syndic__error(SYNDIC_EINVAL, "queue must be in 1..2^20");
    if (state->opts.read_only)
        return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", state->dir);
    syndic_pipeline *p = syndic__calloc(1, sizeof *p);
    if (!p) return syndic__oom();
    p->state = state;
    p->o = *o;
    p->group = state->opts.sync == SYNDIC_STATE_SYNC_GROUP;
    p->cap = o->queue;
    if (!(p->ring = syndic__calloc(p->cap, sizeof *p->ring))) {
        syndic__free(p);
        return syndic__oom();
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->push_mu, NULL);
    pthread_cond_init(&p->writer_cv, &ca);
    pthread_cond_init(&p->prep_cv, NULL);
    pthread_cond_init(&p->space_cv, NULL);
    pthread_cond_init(&p->sync_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    pthread_condattr_destroy(&ca);
    p->cv_init = true;
    /* The preparing thread last, so that whatever it takes has a writing
     * thread to answer it; until it runs, nothing is being prepared. */
    p->prep_done = true;
    if (p->group) {
        if (pthread_create(&p->syncer, NULL, sync_main, p) != 0) goto no_thread;
        p->have_syncer = true;
    }
    if (pthread_create(&p->writer, NULL, writer_main, p) != 0) goto no_thread;
    p->have_writer = true;
    pthread_mutex_lock(&p->mu);
    p->prep_done = false;
    pthread_mutex_unlock(&p->mu);
    if (pthread_create(&p->preparer, NULL, prep_main, p) != 0) {
        pthread_mutex_lock(&p->mu);
        p->prep_done = true;
        pthread_mutex_unlock(&p->mu);
        goto no_thread;
    }
    p->have_preparer = true;
    *out = p;
    return SYNDIC_OK;
no_thread:
    syndic_pipeline_free(p);
    return syndic__error(SYNDIC_ERROR, "cannot start a pipeline thread");
}

/* Waits for a free slot (push_mu held); NULL when the pipeline refuses. */
static slot *slot_to_fill(syndic_pipeline *p, int *rc)
{
    pthread_mutex_lock(&p->mu);
    while (p->filled - p->taken == p->cap && !p->failed && !p->stop)
        pthread_cond_wait(&p->space_cv, &p->mu);
    slot *sl = NULL;
    if (p->failed) *rc = syndic__error(p->fail_status, "%s", p->fail_msg);
    else if (p->stop) *rc = syndic__error(SYNDIC_EINVAL, "the pipeline is stopping");
    else sl = &p->ring[p->filled % p->cap];
    pthread_mutex_unlock(&p->mu);
    return sl;
}

static void publish_slot(syndic_pipeline *p, slot *sl)
{
    pthread_mutex_lock(&p->mu);
    sl->number = p->filled++;
    if (sl->kind == SLOT_END) p->ended = true;
    pthread_cond_signal(&p->prep_cv);
    pthread_mutex_unlock(&p->mu);
}

/* push_mu held. */
static int push_one(syndic_pipeline *p, const syndic_doc *doc, int64_t arrival, void *item)
{
    if (p->o.next) return syndic__error(SYNDIC_EINVAL, "this pipeline pulls its documents");
    if (p->ended) return syndic__error(SYNDIC_EINVAL, "the pipeline's input has ended");
    int rc = SYNDIC_OK;
    slot *sl = slot_to_fill(p, &rc);
    if (!sl) return rc;
    const char *src[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    size_t len[6] = {0};
    if (doc) {
        const char *s6[6] = {doc->id, doc->outlet, doc->date, doc->title, doc->url, doc->text};
        size_t l6[6] = {doc->id_len, doc->outlet_len, doc->date_len, doc->title_len,
                        doc->url_len, doc->text_len};
        for (int i = 0; i < 6; i++) {
            src[i] = s6[i];
            len[i] = syndic__field_len(s6[i], l6[i]);
        }
    }
    sl->copy.len = 0;
    for (int i = 0; i < 6; i++) {
        sl->has[i] = src[i] != NULL;
        sl->lens[i] = src[i] ? len[i] : 0;
        if (syndic__buf_append(&sl->copy, src[i] ? src[i] : "", sl->lens[i]) < 0 ||
            syndic__buf_append(&sl->copy, "", 1) < 0)
            return syndic__oom();
    }
    sl->kind = SLOT_RAW;
    sl->item = item;
    sl->arrival = arrival;
    sl->t_in = syndic__now();
    sl->t_prep = 0;
    publish_slot(p, sl);
    return SYNDIC_OK;
}

int syndic_pipeline_push(syndic_pipeline *p, const syndic_doc *doc, int64_t arrival, void *item)
{
    pthread_mutex_lock(&p->push_mu);
    int rc = push_one(p, doc, arrival, item);
    pthread_mutex_unlock(&p->push_mu);
    return rc;
}

int syndic_pipeline_push_batch(syndic_pipeline *p, const syndic_doc *docs, size_t n,
                               int64_t arrival, void *const *items, size_t *accepted)
{
    size_t i = 0;
    int rc = SYNDIC_OK;
    pthread_mutex_lock(&p->push_mu);
    for (; i < n && rc == SYNDIC_OK; i++) {
        rc = push_one(p, &docs[i], arrival, items ? items[i] : NULL);
        if (rc < 0) break;
    }
    pthread_mutex_unlock(&p->push_mu);
    if (accepted) *accepted = i;
    return rc;
}

int syndic_pipeline_push_rejected(syndic_pipeline *p, syndic_reject reason, const char *message,
                                  void *item)
{
    pthread_mutex_lock(&p->push_mu);
    int rc = SYNDIC_OK;
    slot *sl = NULL;
    if (p->o.next) rc = syndic__error(SYNDIC_EINVAL, "this pipeline pulls its documents");
    else if (p->ended) rc = syndic__error(SYNDIC_EINVAL, "the pipeline's input has ended");
    else sl = slot_to_fill(p, &rc);
    if (sl) {
        sl->kind = SLOT_REJECT;
        sl->why = reason;
        set_msg(sl->msg, sizeof sl->msg, message);
        sl->item = item;
        sl->t_in = syndic__now();
        sl->t_prep = 0;
        publish_slot(p, sl);
    }
    pthread_mutex_unlock(&p->push_mu);
    return rc;
}

int syndic_pipeline_finish(syndic_pipeline *p)
{
    if (!p->finished) {
        if (!p->o.next) {
            pthread_mutex_lock(&p->push_mu);
            int rc = SYNDIC_OK;
            slot *sl = p->ended ? NULL : slot_to_fill(p, &rc);
            if (sl) {
                sl->kind = SLOT_END;
                sl->item = NULL;
                sl->t_in = syndic__now();
                publish_slot(p, sl);
            }
            pthread_mutex_unlock(&p->push_mu);
        }
        pthread_mutex_lock(&p->mu);
        while (!p->writer_done) pthread_cond_wait(&p->done_cv, &p->mu);
        bool failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->writer, NULL);
        p->have_writer = false;
        /* A preparing thread that failed in pull mode may be inside next()
         * (a live feed): syndic_pipeline_free() waits for it. */
        if (!failed || !p->o.next) {
            pthread_join(p->preparer, NULL);
            p->have_preparer = false;
        }
        p->finished = true;
    }
    if (p->failed) return syndic__error(p->fail_status, "%s", p->fail_msg);
    return SYNDIC_OK;
}

void syndic_pipeline_free(syndic_pipeline *p)
{
    if (!p) return;
    if (p->cv_init) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->writer_cv);
        pthread_cond_broadcast(&p->prep_cv);
        pthread_cond_broadcast(&p->space_cv);
        pthread_mutex_unlock(&p->mu);
    }
    if (p->have_writer) pthread_join(p->writer, NULL);
    if (p->have_preparer) pthread_join(p->preparer, NULL);
    stop_syncer(p);
    for (size_t i = 0; p->ring && i < p->cap; i++) {
        syndic_state_prep_free(p->ring[i].prep);
        syndic__buf_free(&p->ring[i].copy);
    }
    syndic__free(p->ring);
    syndic__free(p->hv);
    syndic__buf_free(&p->strs);
    if (p->cv_init) {
        pthread_cond_destroy(&p->done_cv);
        pthread_cond_destroy(&p->sync_cv);
        pthread_cond_destroy(&p->space_cv);
        pthread_cond_destroy(&p->prep_cv);
        pthread_cond_destroy(&p->writer_cv);
        pthread_mutex_destroy(&p->push_mu);
        pthread_mutex_destroy(&p->mu);
    }
    syndic__free(p);
}

int syndic_pipeline_get_stats(syndic_pipeline_stats *out, syndic_pipeline *p)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&p->mu);
    const wstats *w = &p->pub;
    memcpy(out->verdicts, w->verdicts, sizeof out->verdicts);
    out->commits = w->commits;
    out->commit_seconds = w->commit_seconds;
    out->commit_max_seconds = w->commit_max;
    out->wait_seconds = w->wait_seconds;
    out->writer_cpu_seconds = w->writer_cpu;
    out->prepare_cpu_seconds = p->prep_cpu;
    out->submit = lat_summary(&w->submit);
    out->prepare = lat_summary(&w->prepare);
    out->verdict = lat_summary(&w->verdict);
    pthread_mutex_unlock(&p->mu);
    return SYNDIC_OK;
}

int syndic_pipeline_options_init(syndic_pipeline_options *options, unsigned version)
{
    if (!options) return syndic__error(SYNDIC_EINVAL, "pipeline options is NULL");
    if (version != SYNDIC_PIPELINE_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "pipeline options version %u, expected %u", version,
                             SYNDIC_PIPELINE_OPTIONS_VERSION);
    *options = (syndic_pipeline_options)SYNDIC_PIPELINE_OPTIONS_INIT;
    return SYNDIC_OK;
}
