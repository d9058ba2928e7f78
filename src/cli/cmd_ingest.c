/*
 * cmd_ingest.c - `syndic ingest`: a verdict per arriving article.
 *
 * Two threads and a bounded queue. The reader thread reads JSON Lines
 * (files, gzip, stdin) record by record and prepares each one
 * (syndic_state_prepare: copy, date, normalize, sketch); the main thread
 * takes them in order, submits each (syndic_state_submit_prepared: lookup,
 * verification, writes), commits, and writes one JSON verdict per record in
 * input order. The library re-sketches an article if a template learned
 * after its preparation changes it, so the verdicts are byte for byte those
 * of one thread.
 *
 * A verdict is printed only once its article is durable:
 *  - batched (default): verdicts are held until a commit (LMDB fsyncs in
 *    it): every --commit-every articles, when the oldest held verdict is
 *    --commit-ms old, and at the end. The main thread waits for records
 *    with that deadline, so an idle feed gets its verdicts on time.
 *  - a commit per article (--commit-every 1): each article is its own LMDB
 *    transaction, committed without a sync; a third thread calls
 *    syndic_state_sync() back to back (group commit), and a verdict is
 *    printed once a sync that started after its commit returned has ended.
 * So a verdict on stdout always names an article that is in the state,
 * whatever kills the process.
 *
 * A restarted run over the same input gets `duplicate` verdicts for the
 * articles already stored and goes on where the last commit ended; since a
 * verdict depends only on the state and the article, the resulting state is
 * the one an uninterrupted run would have made (tests/cli/ingest_crash.sh).
 *
 * Verdicts are written by hand (jsonout.c, no JSON library on the hot path),
 * byte for byte in jansson's compact format.
 */
#include "cli.h"
#include "jsonout.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_STATE = 1200, OPT_COMMIT_EVERY, OPT_COMMIT_MS, OPT_WINDOW, OPT_NO_SYNC, OPT_MAP_SIZE };

static const char usage[] =
    "Usage: syndic ingest --state DIR [options] [INPUT...]\n"
    "Give each arriving article a verdict against a persistent state: new (starts a\n"
    "story), copy (of story S: origin, best match, estimated Jaccard and\n"
    "containment), duplicate (id already stored: its stored verdict) or rejected\n"
    "(bad input, with the reason). One JSON verdict per record on stdout, in input\n"
    "order, each printed only once its article is durably committed.\n"
    "\n"
    "INPUT is a JSON Lines file (plain or gzip) or '-' for stdin (the default).\n"
    "\n"
    "State:\n"
    "  --state DIR        the state directory (LMDB; created when missing)\n"
    "  --window D         evict articles older than the newest article time minus\n"
    "                     D (units s, m, h, d, w; default 0 = keep everything)\n"
    "  --commit-every N   commit after N articles (default 1000); 1 = each article\n"
    "                     its own transaction, made durable by a sync thread that\n"
    "                     syncs back to back (group commit)\n"
    "  --commit-ms T      ... or when the oldest held verdict is T ms old\n"
    "                     (default 200), also while the input is idle\n"
    "  --no-sync          commits survive a crash of the process, not of the\n"
    "                     machine (no fsync)\n"
    "  --map-size MIB     largest state size in MiB (default 65536)\n"
    "Input:\n"
    "  --field NAME=KEY   JSON key for NAME (id, text, outlet, date, title, url)\n"
    "  --max-line BYTES   longest record accepted (default 64 MiB)\n"
    "Templates:\n"
    "  --no-templates     do not learn and drop outlets' template lines\n"
    "  --template-docs N  a template line is seen in N articles of an outlet with\n"
    "                     different contents (default 3)\n";
static const char usage_tail[] =
    "The state keeps the matching parameters, --window and the template setting\n"
    "it was made with, and refuses others.\n"
    "  -q, --quiet        no summary on stderr\n"
    "  -h, --help         this help\n";

/* ---- verdicts as JSON (jsonout.c: jansson's compact format) ---- */

static void verdict_json(cli_json *b, const syndic_ingest_verdict *v)
{
    cli_json_mem(b, "{", 1);
    cli_json_key(b, "id", true);
    cli_json_str(b, v->id);
    cli_json_key(b, "verdict", false);
    cli_json_str(b, syndic_ingest_kind_name(v->kind));
    cli_json_key(b, "story", false);
    cli_json_int(b, (long long)v->story);
    cli_json_key(b, "origin", false);
    cli_json_str(b, v->origin);
    if (v->kind == SYNDIC_INGEST_DUPLICATE) {
        cli_json_key(b, "first", false);
        cli_json_str(b, syndic_ingest_kind_name(v->first));
    }
    if (v->first == SYNDIC_INGEST_COPY) {
        cli_json_key(b, "match", false);
        cli_json_str(b, v->match);
        cli_json_key(b, "jaccard", false);
        cli_json_real(b, v->jaccard);
        cli_json_key(b, "containment", false);
        cli_json_real(b, v->containment);
    }
    if (v->kind != SYNDIC_INGEST_DUPLICATE) {
        cli_json_key(b, "candidates", false);
        cli_json_int(b, v->candidates);
        cli_json_key(b, "story_size", false);
        cli_json_int(b, v->story_size);
    }
    cli_json_mem(b, "}\n", 2);
}

static void reject_json(cli_json *b, syndic_reject why, const char *input, uint64_t line,
                        const char *msg)
{
    cli_json_lit(b, "{\"id\":null,\"verdict\":\"rejected\"");
    cli_json_key(b, "reason", false);
    cli_json_str(b, syndic_reject_name(why));
    cli_json_key(b, "input", false);
    cli_json_str(b, input);
    cli_json_key(b, "line", false);
    cli_json_int(b, (long long)line);
    cli_json_key(b, "message", false);
    cli_json_str(b, msg);
    cli_json_mem(b, "}\n", 2);
}

/* ---- the queue between the reader and the main thread ---- */

enum item_kind { ITEM_DOC, ITEM_REJECT, ITEM_END, ITEM_FAIL };

typedef struct item {
    enum item_kind kind;
    syndic_state_prep *prep;
    syndic_reject why;
    const char *input;     /* the reader's name for its input (kept to the end) */
    uint64_t line;
    char msg[512];
    double t_read;         /* when the record was read */
    double t_prep;         /* seconds its preparation took */
} item;

#define QUEUE 1024 /* about 30 ms of preparing: the reader goes on through a commit */

typedef struct run {
    syndic_state *state;
    unsigned long long commit_every, commit_ms;
    bool group;            /* a transaction per article, synced by a thread */
    const syndic_read_options *ro;
    char **inputs;
    int input_count;
    char **names;          /* input names, freed at the end */
    /* queue */
    pthread_mutex_t mu;
    pthread_cond_t main_cv, reader_cv, sync_cv;
    item q[QUEUE];
    size_t head, tail;     /* head: next to take; tail: next to fill */
    bool stop;             /* main thread quits: the reader stops too */
    /* group commit */
    uint64_t durable;      /* commits known durable */
    uint64_t released;     /* the value of durable at the last release */
    bool leak;             /* the reader may still run: leave its memory */
    bool sync_failed, sync_stop;
    char sync_error[256];
    /* held verdicts: bytes, and per verdict its end and the commit it needs */
    cli_json held;
    struct { size_t end; uint64_t ticket; double t_read; } *hv;
    size_t hv_count, hv_cap, hv_done;
    double batch_start;
    uint64_t counts[4], commits, pending;
    double commit_seconds, commit_max, wait_seconds;
    double reader_cpu, main_cpu; /* CPU seconds of each thread */
    float *lat, *prep_lat, *e2e; /* microseconds */
    size_t lat_count, lat_cap, prep_count, prep_cap, e2e_count, e2e_cap;
} run;

static void note(float **v, size_t *count, size_t *cap, double us)
{
    if (*count == *cap) {
        size_t c = *cap ? *cap * 2 : 1 << 16;
        float *p = realloc(*v, c * sizeof *p);
        if (!p) return; /* only the summary loses detail */
        *v = p;
        *cap = c;
    }
    (*v)[(*count)++] = (float)us;
}

/* ---- reader thread ---- */

/* The next free slot, or NULL when the main thread stopped. */
static item *slot_to_fill(run *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->tail - r->head == QUEUE && !r->stop) pthread_cond_wait(&r->reader_cv, &r->mu);
    item *it = r->stop ? NULL : &r->q[r->tail % QUEUE];
    pthread_mutex_unlock(&r->mu);
    return it;
}

static void publish(run *r)
{
    pthread_mutex_lock(&r->mu);
    r->tail++;
    pthread_cond_signal(&r->main_cv);
    pthread_mutex_unlock(&r->mu);
}

static void set_msg(item *it, const char *msg)
{
    snprintf(it->msg, sizeof it->msg, "%s", msg ? msg : "");
}

/* Reads one input; false when the run must stop. */
static bool read_input(run *r, const char *path, int index)
{
    syndic_reader *rd;
    item *it;
    if (syndic_reader_open(&rd, path, r->ro) < 0) {
        if (!(it = slot_to_fill(r))) return false;
        it->kind = ITEM_FAIL;
        set_msg(it, syndic_last_error());
        publish(r);
        return false;
    }
    r->names[index] = strdup(syndic_reader_name(rd));
    const char *name = r->names[index] ? r->names[index] : path;
    bool go_on = true;
    for (;;) {
        syndic_doc doc;
        syndic_reject why;
        int rc = syndic_reader_next(rd, &doc, &why);
        if (rc == 0) break;
        if (rc == SYNDIC_EIO) {
            fprintf(stderr, "%s: warning: %s (rest of the input lost)\n", cli_program,
                    syndic_last_error());
            break;
        }
        if (!(it = slot_to_fill(r))) { go_on = false; break; }
        it->t_read = cli_now();
        it->input = name;
        it->line = syndic_reader_line(rd);
        if (rc == SYNDIC_EBADREC) {
            it->kind = ITEM_REJECT;
            it->why = why;
            set_msg(it, syndic_last_error());
        } else if (rc < 0) {
            it->kind = ITEM_FAIL;
            set_msg(it, syndic_last_error());
            publish(r);
            go_on = false;
            break;
        } else {
            if (!it->prep && syndic_state_prep_new(&it->prep) < 0) {
                it->kind = ITEM_FAIL;
                set_msg(it, "out of memory");
                publish(r);
                go_on = false;
                break;
            }
            double t0 = cli_now();
            rc = syndic_state_prepare(r->state, it->prep, &doc, 0);
            it->t_prep = cli_now() - t0;
            if (rc == SYNDIC_EBADREC) {
                it->kind = ITEM_REJECT;
                it->why = SYNDIC_REJECT_MISSING_FIELD;
                set_msg(it, syndic_last_error());
            } else if (rc < 0) {
                it->kind = ITEM_FAIL;
                snprintf(it->msg, sizeof it->msg, "%s:%llu: %s", name,
                         (unsigned long long)it->line, syndic_last_error());
                publish(r);
                go_on = false;
                break;
            } else {
                it->kind = ITEM_DOC;
            }
        }
        publish(r);
    }
    syndic_reader_free(rd);
    return go_on;
}

static double thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *reader_main(void *arg)
{
    run *r = arg;
    bool go_on = true;
    for (int i = 0; go_on && i < r->input_count; i++) go_on = read_input(r, r->inputs[i], i);
    r->reader_cpu = thread_cpu(); /* read by the main thread after the join */
    if (go_on) {
        item *it = slot_to_fill(r);
        if (it) {
            it->kind = ITEM_END;
            publish(r);
        }
    }
    return NULL;
}

/* ---- sync thread (group commit) ---- */

static void *sync_main(void *arg)
{
    run *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->sync_stop && r->durable >= syndic_state_commits(r->state))
            pthread_cond_wait(&r->sync_cv, &r->mu);
        if (r->sync_stop && r->durable >= syndic_state_commits(r->state)) break;
        pthread_mutex_unlock(&r->mu);
        uint64_t upto = 0;
        int rc = syndic_state_sync(r->state, &upto);
        pthread_mutex_lock(&r->mu);
        if (rc < 0) {
            r->sync_failed = true;
            snprintf(r->sync_error, sizeof r->sync_error, "%s", syndic_last_error());
            pthread_cond_signal(&r->main_cv);
            break;
        }
        if (upto > r->durable) r->durable = upto;
        pthread_cond_signal(&r->main_cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- main thread ---- */

static int hold(run *r, cli_json *line, uint64_t ticket, double t_read)
{
    if (line->oom) { cli_error("out of memory"); return -1; }
    if (r->hv_count == r->hv_cap) {
        size_t cap = r->hv_cap ? r->hv_cap * 2 : 1024;
        void *p = realloc(r->hv, cap * sizeof *r->hv);
        if (!p) { cli_error("out of memory"); return -1; }
        r->hv = p;
        r->hv_cap = cap;
    }
    if (r->hv_count == r->hv_done) r->batch_start = cli_now();
    cli_json_mem(&r->held, line->data, line->len);
    if (r->held.oom) { cli_error("out of memory"); return -1; }
    r->hv[r->hv_count].end = r->held.len;
    r->hv[r->hv_count].ticket = ticket;
    r->hv[r->hv_count].t_read = t_read;
    r->hv_count++;
    return 0;
}

/* Print the held verdicts whose commit is durable (all of them: upto =
 * UINT64_MAX), in order. */
static int release(run *r, uint64_t upto)
{
    size_t from = r->hv_done, to = from;
    while (to < r->hv_count && r->hv[to].ticket <= upto) to++;
    if (to == from) return 0;
    size_t start = from ? r->hv[from - 1].end : 0, end = r->hv[to - 1].end;
    if (fwrite(r->held.data + start, 1, end - start, stdout) != end - start || fflush(stdout)) {
        cli_error("writing verdicts: %s", strerror(errno));
        return -1;
    }
    double now = cli_now();
    for (size_t i = from; i < to; i++)
        note(&r->e2e, &r->e2e_count, &r->e2e_cap, (now - r->hv[i].t_read) * 1e6);
    r->hv_done = to;
    if (r->hv_done == r->hv_count) {
        r->held.len = 0;
        r->hv_count = r->hv_done = 0;
    }
    return 0;
}

/* Commits the pending articles, timed for the summary. */
static int commit_pending(run *r)
{
    if (!r->pending) return 0;
    double t0 = cli_now();
    if (syndic_state_commit(r->state) < 0) {
        cli_error("commit: %s", syndic_last_error());
        return -1;
    }
    double t = cli_now() - t0;
    r->commit_seconds += t;
    if (t > r->commit_max) r->commit_max = t;
    r->commits++;
    r->pending = 0;
    return 0;
}

/* Batched mode: commit (LMDB syncs in it), then release every held verdict. */
static int commit(run *r)
{
    if (r->hv_count == r->hv_done && r->pending == 0) return 0;
    if (commit_pending(r) < 0) return -1;
    return release(r, UINT64_MAX);
}

static double deadline_left(const run *r)
{
    if (r->group || r->hv_count == r->hv_done) return -1;
    double left = (double)r->commit_ms / 1000.0 - (cli_now() - r->batch_start);
    return left < 0 ? 0 : left;
}

/* Group mode: release what the sync thread made durable. */
static int release_durable(run *r)
{
    pthread_mutex_lock(&r->mu);
    uint64_t durable = r->durable;
    bool failed = r->sync_failed;
    r->released = durable;
    pthread_mutex_unlock(&r->mu);
    if (failed) { cli_error("sync: %s", r->sync_error); return -1; }
    return release(r, durable);
}

/* The next item, or NULL when a commit deadline came first (batched) or the
 * sync thread made more durable (group). */
static item *next_item(run *r)
{
    double waited = cli_now();
    pthread_mutex_lock(&r->mu);
    while (r->head == r->tail) {
        if (r->group) {
            if (r->hv_done < r->hv_count && r->durable != r->released) break;
            if (r->sync_failed) break;
            pthread_cond_wait(&r->main_cv, &r->mu);
            continue;
        }
        double left = deadline_left(r);
        if (left == 0) break;
        if (left < 0) {
            pthread_cond_wait(&r->main_cv, &r->mu);
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 + left;
        ts.tv_sec = (time_t)t;
        ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
        if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
        pthread_cond_timedwait(&r->main_cv, &r->mu, &ts);
    }
    item *it = r->head == r->tail ? NULL : &r->q[r->head % QUEUE];
    pthread_mutex_unlock(&r->mu);
    r->wait_seconds += cli_now() - waited;
    return it;
}

static void done_with(run *r)
{
    pthread_mutex_lock(&r->mu);
    r->head++;
    pthread_cond_signal(&r->reader_cv);
    pthread_mutex_unlock(&r->mu);
}

/* Group mode: this article's transaction is committed; wake the syncer. */
static uint64_t committed(run *r)
{
    pthread_mutex_lock(&r->mu);
    uint64_t ticket = syndic_state_commits(r->state);
    pthread_cond_signal(&r->sync_cv);
    pthread_mutex_unlock(&r->mu);
    return ticket;
}

static int handle(run *r, item *it, cli_json *line)
{
    line->len = 0;
    if (it->kind == ITEM_REJECT) {
        reject_json(line, it->why, it->input, it->line, it->msg);
        r->counts[SYNDIC_INGEST_REJECTED]++;
        return hold(r, line, r->group ? syndic_state_commits(r->state) : 0, it->t_read);
    }
    syndic_ingest_verdict v;
    double t0 = cli_now();
    int rc = syndic_state_submit_prepared(r->state, it->prep, &v);
    note(&r->lat, &r->lat_count, &r->lat_cap, (cli_now() - t0) * 1e6);
    note(&r->prep_lat, &r->prep_count, &r->prep_cap, it->t_prep * 1e6);
    if (rc == SYNDIC_EBADREC) {
        reject_json(line, v.reason, it->input, it->line, syndic_last_error());
        r->counts[SYNDIC_INGEST_REJECTED]++;
        return hold(r, line, r->group ? syndic_state_commits(r->state) : 0, it->t_read);
    }
    if (rc < 0) {
        cli_error("%s:%llu: %s", it->input, (unsigned long long)it->line, syndic_last_error());
        return -1;
    }
    r->counts[v.kind]++;
    verdict_json(line, &v);
    uint64_t ticket = 0;
    if (v.kind != SYNDIC_INGEST_DUPLICATE) r->pending++;
    if (r->group) {
        if (commit_pending(r) < 0) return -1;
        ticket = committed(r);
    }
    return hold(r, line, ticket, it->t_read);
}

static int ingest_all(run *r)
{
    pthread_t reader, syncer;
    bool have_syncer = false;
    if (pthread_create(&reader, NULL, reader_main, r) != 0) {
        cli_error("cannot start the reader thread");
        return -1;
    }
    if (r->group) {
        if (pthread_create(&syncer, NULL, sync_main, r) != 0) {
            cli_error("cannot start the sync thread");
            pthread_mutex_lock(&r->mu);
            r->stop = true;
            pthread_cond_signal(&r->reader_cv);
            pthread_mutex_unlock(&r->mu);
            pthread_join(reader, NULL);
            return -1;
        }
        have_syncer = true;
    }
    cli_json line = {0};
    int result = 0;
    for (;;) {
        item *it = next_item(r);
        if (!it) {
            if ((r->group ? release_durable(r) : commit(r)) < 0) { result = -1; break; }
            continue;
        }
        if (it->kind == ITEM_END) { done_with(r); break; }
        if (it->kind == ITEM_FAIL) {
            cli_error("%s", it->msg);
            done_with(r);
            result = -1;
            break;
        }
        int rc = handle(r, it, &line);
        done_with(r);
        if (rc < 0) { result = -1; break; }
        if (r->group) {
            if (release_durable(r) < 0) { result = -1; break; }
        } else if (r->hv_count - r->hv_done >= r->commit_every || deadline_left(r) == 0) {
            if (commit(r) < 0) { result = -1; break; }
        }
    }
    if (result == 0 && !r->group) result = commit(r);
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    r->sync_stop = true;
    pthread_cond_signal(&r->reader_cv);
    pthread_cond_signal(&r->sync_cv);
    pthread_mutex_unlock(&r->mu);
    if (result < 0) {
        /* The reader may be blocked reading a live feed: the process exits
         * without waiting for it, so its memory (the state too) is left. */
        r->leak = true;
        free(line.data);
        return result;
    }
    pthread_join(reader, NULL);
    r->main_cpu = thread_cpu();
    if (have_syncer) {
        pthread_join(syncer, NULL);
        /* The sync thread ends once every commit is durable. */
        if (result == 0) result = release_durable(r);
    }
    free(line.data);
    return result;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double percentile(float *v, size_t n, double q)
{
    if (!n) return 0;
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void latency_line(const char *what, float *v, size_t n)
{
    if (n) qsort(v, n, sizeof *v, cmp_float);
    fprintf(stderr, "%s: p50 %.0f us, p99 %.0f us, max %.0f us\n", what, percentile(v, n, 0.5),
            percentile(v, n, 0.99), n ? (double)v[n - 1] : 0.0);
}

static void summary(run *r, double seconds)
{
    syndic_state_stats st;
    if (syndic_state_get_stats(r->state, &st) < 0) memset(&st, 0, sizeof st);
    uint64_t stored = r->counts[SYNDIC_INGEST_NEW] + r->counts[SYNDIC_INGEST_COPY];
    uint64_t all = stored + r->counts[2] + r->counts[3];
    fprintf(stderr,
            "ingested %llu records in %.2f s (%.0f/s): new %llu, copy %llu, duplicate %llu, "
            "rejected %llu; %llu commits\n",
            (unsigned long long)all, seconds, (double)all / (seconds + 1e-9),
            (unsigned long long)r->counts[0], (unsigned long long)r->counts[1],
            (unsigned long long)r->counts[2], (unsigned long long)r->counts[3],
            (unsigned long long)r->commits);
    fprintf(stderr,
            "main thread: commits %.2f s (longest %.1f ms), waiting for input %.2f s; CPU: main "
            "%.2f s, reader %.2f s\n",
            r->commit_seconds, r->commit_max * 1e3, r->wait_seconds, r->main_cpu, r->reader_cpu);
    latency_line("submit latency", r->lat, r->lat_count);
    latency_line("prepare latency (reader thread)", r->prep_lat, r->prep_count);
    latency_line("verdict latency (read to printed)", r->e2e, r->e2e_count);
    fprintf(stderr, "open: %.3f s (in-memory index rebuilt from the stored articles)\n",
            syndic_state_open_seconds(r->state));
    fprintf(stderr,
            "state: %llu articles in %llu stories (%llu evicted), %llu postings, %llu "
            "template lines; %.1f MiB (%.0f bytes per article)\n",
            (unsigned long long)st.documents, (unsigned long long)st.stories,
            (unsigned long long)st.evicted, (unsigned long long)st.postings,
            (unsigned long long)st.templates, (double)st.file_bytes / 1048576.0,
            st.documents ? (double)st.file_bytes / (double)st.documents : 0.0);
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option own[] = {
        {"state", required_argument, NULL, OPT_STATE},
        {"commit-every", required_argument, NULL, OPT_COMMIT_EVERY},
        {"commit-ms", required_argument, NULL, OPT_COMMIT_MS},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"no-sync", no_argument, NULL, OPT_NO_SYNC},
        {"map-size", required_argument, NULL, OPT_MAP_SIZE},
        {"field", required_argument, NULL, OPT_FIELD},
        {"max-line", required_argument, NULL, OPT_MAX_LINE},
        {"no-templates", no_argument, NULL, OPT_NO_TEMPLATES},
        {"template-docs", required_argument, NULL, OPT_TEMPLATE_DOCS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const struct option *longopts = cli_long_options(own);
    if (!longopts) return EXIT_RUNTIME;
    syndic_params params = SYNDIC_PARAMS_INIT;
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    syndic_state_options so = SYNDIC_STATE_OPTIONS_INIT;
    static run r;
    memset(&r, 0, sizeof r);
    r.commit_every = 1000;
    r.commit_ms = 200;
    const char *dir = NULL;
    bool quiet = false;
    unsigned long long u;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        int pr = cli_param_option(&params, opt, optarg);
        if (pr < 0) return EXIT_USAGE;
        if (pr > 0) continue;
        switch (opt) {
        case OPT_STATE: dir = optarg; break;
        case OPT_COMMIT_EVERY:
            if (!cli_parse_uint(optarg, 1ull << 30, &r.commit_every) || r.commit_every < 1) {
                cli_error("--commit-every: expected a whole number >= 1, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_COMMIT_MS:
            if (!cli_parse_uint(optarg, 1ull << 30, &r.commit_ms)) {
                cli_error("--commit-ms: expected milliseconds, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_WINDOW:
            if (!cli_parse_duration(optarg, &so.window)) {
                cli_error("--window: expected a duration such as 12h, 7d or 2w, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_NO_SYNC: so.sync = 0; break;
        case OPT_MAP_SIZE:
            if (!cli_parse_uint(optarg, 1ull << 30, &u) || u < 1) {
                cli_error("--map-size: expected MiB, got '%s'", optarg);
                return EXIT_USAGE;
            }
            so.map_size = (uint64_t)u << 20;
            break;
        case OPT_FIELD:
            if (!cli_parse_field(&ro, optarg)) {
                cli_error("--field: expected NAME=KEY with NAME one of id, text, outlet, date, "
                          "title, url; got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_MAX_LINE:
            if (!cli_parse_uint(optarg, SIZE_MAX, &u) || u < 16) {
                cli_error("--max-line: expected a number of bytes >= 16, got '%s'", optarg);
                return EXIT_USAGE;
            }
            ro.max_line = (size_t)u;
            break;
        case OPT_NO_TEMPLATES: so.template_docs = 0; break;
        case OPT_TEMPLATE_DOCS:
            if (!cli_parse_uint(optarg, 1u << 20, &u) || u < 2) {
                cli_error("--template-docs: expected a whole number >= 2, got '%s'", optarg);
                return EXIT_USAGE;
            }
            so.template_docs = (unsigned)u;
            break;
        case 'q': quiet = true; break;
        case 'h': cli_usage(stdout, usage, usage_tail); return EXIT_OK;
        default: cli_usage(stderr, usage, usage_tail); return EXIT_USAGE;
        }
    }
    if (!dir) {
        cli_error("ingest needs --state DIR");
        cli_usage(stderr, usage, usage_tail);
        return EXIT_USAGE;
    }
    /* A commit per article, durable: group commit through a sync thread. */
    r.group = r.commit_every == 1 && so.sync;
    if (r.group) so.sync = SYNDIC_STATE_SYNC_GROUP;
    double t0 = cli_now();
    if (syndic_state_open(&r.state, dir, &params, &so) < 0) {
        cli_error("%s", syndic_last_error());
        return EXIT_RUNTIME;
    }
    static char *stdin_only[] = {"-"};
    r.ro = &ro;
    r.inputs = optind == argc ? stdin_only : argv + optind;
    r.input_count = optind == argc ? 1 : argc - optind;
    r.names = calloc((size_t)r.input_count, sizeof *r.names);
    int rc = -1;
    if (!r.names) {
        cli_error("out of memory");
    } else {
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.main_cv, NULL);
        pthread_cond_init(&r.reader_cv, NULL);
        pthread_cond_init(&r.sync_cv, NULL);
        rc = ingest_all(&r);
        if (r.leak) {
            fflush(stdout);
            return EXIT_RUNTIME;
        }
        pthread_cond_destroy(&r.sync_cv);
        pthread_cond_destroy(&r.reader_cv);
        pthread_cond_destroy(&r.main_cv);
        pthread_mutex_destroy(&r.mu);
    }
    if (!quiet) summary(&r, cli_now() - t0);
    syndic_state_free(r.state);
    for (int i = 0; r.names && i < r.input_count; i++) free(r.names[i]);
    free(r.names);
    for (size_t i = 0; i < QUEUE; i++) syndic_state_prep_free(r.q[i].prep);
    free(r.held.data);
    free(r.hv);
    free(r.lat);
    free(r.prep_lat);
    free(r.e2e);
    return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}
