/*
 * ingest.c - feed ingest: a verdict per arriving article, against a state
 * kept in LMDB that survives restarts and crashes.
 *
 * The batch (batch.c) sees the whole corpus, then links; ingest sees one
 * article at a time and must answer at once: "is this a story we have?". It
 * runs the same stages - normalize, template lines dropped, shingle, sketch,
 * LSH bands - against a persistent state, and verifies each candidate with
 * the batch's own verification (evidence.c).
 *
 * This module is the algorithm; store.c keeps the state on disk (the LMDB
 * layout, the header, the record formats: see its top comment). What a
 * writer needs to decide fast lives in memory (ingest_index.c) and is
 * rebuilt at open from the stored articles and line log, through the
 * store's iteration: the LSH postings (band key -> seqs) and the id index
 * (XXH3 of the id -> seqs) from every article's signature and id, the
 * articles as verification needs them, the eviction order (a (time, seq)
 * heap) when there is a window, and the template learner's line counts by
 * replaying the line log in seq order - the exact counts the writes made,
 * so the templates after a restart are those of an uninterrupted run.
 *
 * Submitting an article is split in two so that a caller can pipeline it
 * (ingest_pipeline.c does):
 *  - syndic_state_prepare (any thread, beside the writer): copy the fields,
 *    parse the date, normalize dropping the lines that are templates *now*,
 *    shingle, sketch, band keys. Templates are read from a lock-free set
 *    (syndic_tset) with a generation counter; the prep records the
 *    generation and, for each of its short lines' keys, whether it was a
 *    template.
 *  - syndic_state_submit_prepared (the writer, in its write transaction):
 *    1. its id in the id index: already stored -> DUPLICATE, the stored
 *       verdict again;
 *    2. newest time := max(newest, its time); with a window, evict every
 *       article whose time (the date, else the arrival time) is older than
 *       newest - window: its postings and id leave memory, its record leaves
 *       the store, its story's live count drops (the story record goes at 0);
 *    3. if templates changed since the prep (generation moved) and any of
 *       its line keys changed status, sketch it again: so the result is the
 *       one-thread result byte for byte, whatever the pipelining. Then count
 *       its short lines (the learner's rule, exactly: a line seen in
 *       template_docs articles with 2+ different contents) and log them;
 *    4. candidates = union of the postings of its band keys (a bucket that
 *       would exceed max_bucket is skipped, as in the batch); verify each;
 *    5. the match is the verified candidate of most equal signature values
 *       (ties: the earliest), whose story passes the batch's chaining guard
 *       for a single article: time-compatible with the story's origin and
 *       similar to it at guard x threshold (when the origin is evicted, only
 *       time is checked). Copy of its story; no match: a new story.
 *    6. the article (and a new story) stored through the store, then
 *       indexed in memory.
 *
 * Every step depends only on the state and the article, never on the clock
 * (except arrival for undated articles) or on where commits fall: so a run
 * interrupted anywhere and resumed from its input's start ends in the same
 * state as an uninterrupted one. Commits are the caller's; the verdict of an
 * article must be published only after the commit that holds it is durable.
 * If a write transaction fails or is dropped, the in-memory indexes hold
 * articles LMDB does not: they are rebuilt from the store before the next
 * write.
 *
 * Every read and write of the state goes through store.h (the line log
 * too: observe_lines hands its record to syndic__store_log_lines).
 *
 * Refs in the in-memory indexes are the low 32 bits of a seq; the full seq
 * is restored from the next seq, so the articles in a state must span fewer
 * than 2^32 seqs (checked when storing).
 *
 * Differences from the batch (measured in docs/ingest.md): templates are
 * learned as articles come, so the first articles of an outlet are sketched
 * with its template lines in; an article joins one story and never merges
 * two (the batch's union-find can join two clusters through a later bridge);
 * a copy older than the window's reach finds nothing and starts a story.
 */
#include "digest.h"
#include "store.h"
#include "ingest_index.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BANDS 1024

/* An article prepared for submission: its fields copied, sketched. */
struct syndic_state_prep {
    syndic_buf strs;       /* id, outlet, date, title, url, text, each NUL-ended */
    size_t lens[6];
    const char *f[6];
    bool ok, has_time;
    int64_t time, arrival;
    uint64_t salt;
    uint32_t fp;           /* content fingerprint (templates) */
    unsigned k, bands;     /* sizes of sig and keys */
    uint32_t *sig;
    uint64_t *keys;        /* band keys */
    uint32_t shingles;
    syndic_numbers numbers;
    syndic_title_words title;
    uint64_t gen;          /* template generation the sketch saw */
    uint64_t *line_keys;   /* its short lines' keys, in line order */
    uint8_t *line_tpl;     /* ... each a template when sketched? */
    size_t line_key_count, line_key_cap, line_tpl_cap;
    syndic_digest digest;  /* the text, normalized once (digest.c) */
    syndic_words title_scratch;
    syndic_tset *tset;     /* during a sketch */
    bool failed;
};

const char *syndic_ingest_kind_name(syndic_ingest_kind k)
{
    static const char *names[] = {"new", "copy", "duplicate", "rejected"};
    return (unsigned)k < 4 ? names[k] : "unknown";
}

double syndic_state_open_seconds(const syndic_state *s) { return s->open_seconds; }

/* ---- open and close ---- */

void syndic_state_prep_free(syndic_state_prep *p)
{
    if (!p) return;
    syndic__buf_free(&p->strs);
    syndic__free(p->sig);
    syndic__free(p->keys);
    syndic__free(p->line_keys);
    syndic__free(p->line_tpl);
    syndic__digest_free(&p->digest);
    syndic__words_free(&p->title_scratch);
    syndic__free(p);
}

int syndic_state_prep_new(syndic_state_prep **out)
{
    *out = syndic__calloc(1, sizeof **out);
    return *out ? SYNDIC_OK : syndic__oom();
}

static void free_memory(syndic_state *s)
{
    syndic__ix_free(&s->bands);
    syndic__ix_free(&s->ids);
    syndic__lines_free(&s->lines);
    syndic__theap_free(&s->times);
    syndic__vtab_free(&s->vt);
    syndic__live_free(&s->live);
}

void syndic_state_free(syndic_state *s)
{
    if (!s) return;
    syndic__store_close(s);
    free_memory(s);
    syndic__tset_free(&s->tset);
    syndic_state_prep_free(s->own);
    syndic__free(s->cands);
    syndic__free(s->sig_a);
    syndic__buf_free(&s->vbuf);
    syndic__free(s);
}

/* Stages one line log key for the replay of the line counts. */
static int replay_line(void *ctx, uint64_t key, uint32_t fp)
{
    syndic_state *s = ctx;
    return syndic__lines_stage(&s->lines, key, fp);
}

static int became_template(void *ctx, uint64_t key)
{
    syndic_state *s = ctx;
    return syndic__tset_add(&s->tset, key);
}

/* Index one stored article in memory: postings, id, eviction order, and
 * what verification needs. bulk: postings and id are staged (a rebuild). */
static int index_doc(syndic_state *s, uint64_t seq, const loaded *d, const uint32_t *sig,
                     bool bulk)
{
    const syndic_params *p = &s->params;
    vdoc vd;
    memset(&vd, 0, sizeof vd);
    vd.story = d->h.story;
    vd.time = d->h.time;
    vd.shingles = d->h.shingles;
    vd.has_time = d->h.has_time;
    vd.numbers = d->h.numbers;
    vd.title = d->h.title;
    int rc = syndic__vtab_add(&s->vt, seq, &vd, sig, d->outlet, d->h.lens[1]);
    if (rc < 0) return rc;
    uint32_t members;
    if ((rc = syndic__live_add(&s->live, d->h.story, 1, &members)) < 0) return rc;
    const uint64_t id_key = syndic__id_hash(d->id, d->h.lens[0]);
    if (bulk) {
        if ((rc = syndic__ix_stage(&s->ids, id_key, (uint32_t)seq)) < 0) return rc;
        for (unsigned b = 0; d->h.shingles && b < p->bands; b++)
            if ((rc = syndic__ix_stage(&s->bands, syndic__band_key(sig, b, p->rows, p->seed),
                                       (uint32_t)seq)) < 0)
                return rc;
    } else if ((rc = syndic__ix_add(&s->ids, id_key, (uint32_t)seq)) < 0) {
        return rc;
    }
    if (!bulk && d->h.shingles) {
        uint64_t keys[MAX_BANDS];
        for (unsigned b = 0; b < p->bands; b++) {
            keys[b] = syndic__band_key(sig, b, p->rows, p->seed);
            syndic__ix_prefetch(&s->bands, keys[b]);
        }
        for (unsigned b = 0; b < p->bands; b++)
            if ((rc = syndic__ix_add(&s->bands, keys[b], (uint32_t)seq)) < 0) return rc;
    }
    if (s->opts.window &&
        (rc = syndic__theap_push(&s->times, d->h.has_time ? d->h.time : d->h.arrival, seq)) < 0)
        return rc;
    return SYNDIC_OK;
}

static int index_stored(void *ctx, uint64_t seq, const loaded *d)
{
    return index_doc(ctx, seq, d, d->sig, true);
}

/* Builds the in-memory indexes from the store, in one transaction: the
 * writer's own when one is open (after a lost batch), else a snapshot (at
 * open: the writer lock keeps it current). */
static int rebuild(syndic_state *s)
{
    free_memory(s);
    int rc = syndic__tset_clear(&s->tset);
    if (rc < 0) return rc;
    s->lines.min_docs = s->opts.template_docs;
    MDB_txn *txn;
    if ((rc = syndic__store_read(s, &txn)) < 0) return rc;
    size_t docs;
    if ((rc = syndic__store_doc_count(s, txn, &docs)) < 0) goto out;
    /* Stories are counted from the oldest stored one: with a window, an
     * article of a newer story may precede (in seq order) a copy of an
     * older one. */
    uint64_t first_story;
    if ((rc = syndic__store_first_story(s, txn, &first_story)) < 0) goto out;
    if (rc > 0) syndic__live_start(&s->live, first_story);
    if ((rc = syndic__ix_reserve(&s->ids, docs)) < 0 ||
        (rc = syndic__ix_reserve(&s->bands, docs * s->params.bands)) < 0 ||
        (rc = syndic__vtab_reserve(&s->vt, docs + 1)) < 0)
        goto out;
    if ((rc = syndic__store_each_doc(s, txn, index_stored, s)) < 0) goto out;
    if ((rc = syndic__ix_flush(&s->ids)) < 0 || (rc = syndic__ix_flush(&s->bands)) < 0) goto out;
    syndic__theap_heapify(&s->times);
    if (s->opts.template_docs) {
        if ((rc = syndic__store_each_line(s, txn, replay_line, s)) < 0) goto out;
        if ((rc = syndic__lines_flush(&s->lines, became_template, s)) < 0) goto out;
    }
    s->stale = false;
out:
    syndic__store_end_read(s, txn);
    return rc;
}

int syndic_state_open(syndic_state **out, const char *dir, const syndic_params *params,
                      const syndic_state_options *options)
{
    *out = NULL;
    double t0 = syndic__now();
    syndic_state_options defaults = SYNDIC_STATE_OPTIONS_INIT;
    const syndic_state_options *o = options ? options : &defaults;
    if (!dir || !*dir) return syndic__error(SYNDIC_EINVAL, "a state needs a directory");
    if (o->version != SYNDIC_STATE_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL,
                             "state options version %u, expected %u (use "
                             "SYNDIC_STATE_OPTIONS_INIT or syndic_state_options_init)",
                             o->version, SYNDIC_STATE_OPTIONS_VERSION);
    if (!params && !o->read_only)
        return syndic__error(SYNDIC_EINVAL, "a state opened for writing needs params");
    if (o->window < 0) return syndic__error(SYNDIC_EINVAL, "window must not be negative");
    if (o->sync < 0 || o->sync > SYNDIC_STATE_SYNC_GROUP)
        return syndic__error(SYNDIC_EINVAL, "sync must be 0, 1 or SYNDIC_STATE_SYNC_GROUP");
    syndic_state *s = syndic__calloc(1, sizeof *s);
    if (!s) return syndic__oom();
    atomic_init(&s->tset.cur, NULL);
    atomic_init(&s->tset.gen, 0);
    int rc = syndic__store_open(s, dir, params, o);
    if (rc < 0) goto fail;
    const size_t k = s->params.num_hashes;
    if (!(s->sig_a = syndic__reallocarray(NULL, k, sizeof *s->sig_a))) {
        rc = syndic__oom();
        goto fail;
    }
    s->vt.k = (unsigned)k;
    if (!o->read_only && (rc = rebuild(s)) < 0) goto fail;
    s->open_seconds = syndic__now() - t0;
    *out = s;
    return SYNDIC_OK;
fail:
    syndic_state_free(s);
    return rc;
}

/* ---- eviction ---- */

static int evict_one(syndic_state *s, uint64_t seq)
{
    const syndic_params *p = &s->params;
    loaded d;
    int rc = syndic__store_load_doc(s, seq, s->sig_a, &d);
    if (rc < 0) return rc;
    if (rc > 0) {
        if (d.h.shingles) {
            for (unsigned b = 0; b < p->bands; b++)
                syndic__ix_remove(&s->bands, syndic__band_key(s->sig_a, b, p->rows, p->seed),
                                  (uint32_t)seq);
            s->ctr.indexed--;
        }
        syndic__ix_remove(&s->ids, syndic__id_hash(d.id, d.h.lens[0]), (uint32_t)seq);
        syndic__vtab_kill(&s->vt, seq);
        uint64_t story = d.h.story;
        uint32_t left;
        if ((rc = syndic__live_add(&s->live, story, -1, &left)) < 0) return rc;
        if (left == 0 && (rc = syndic__store_del_story(s, story)) < 0) return rc;
        if ((rc = syndic__store_del_doc(s, seq)) < 0) return rc;
    }
    s->ctr.evicted++;
    return SYNDIC_OK;
}

/* Evict every article older than newest - window, oldest first. */
static int evict(syndic_state *s)
{
    if (!s->opts.window || s->ctr.newest == INT64_MIN) return SYNDIC_OK;
    int64_t cutoff = s->ctr.newest - s->opts.window;
    while (s->times.n && s->times.v[0].time < cutoff) {
        uint64_t seq = s->times.v[0].seq;
        syndic__theap_pop(&s->times);
        int rc = evict_one(s, seq);
        if (rc < 0) return rc;
    }
    return SYNDIC_OK;
}

/* ---- prepare: fields copied, sketched with the templates known now ---- */


/* Template test for a digest's lines: a key is dropped when it is a
 * template now; every short line's keys are remembered with their status,
 * for counting and for the writer's check that the templates it sees
 * agree. */
static bool prep_key(void *ctx, uint64_t key)
{
    syndic_state_prep *p = ctx;
    if (p->failed) return false;
    if (syndic__grow(&p->line_keys, &p->line_key_cap, p->line_key_count + 1,
                     sizeof *p->line_keys) < 0 ||
        syndic__grow(&p->line_tpl, &p->line_tpl_cap, p->line_key_count + 1,
                     sizeof *p->line_tpl) < 0) {
        p->failed = true;
        return false;
    }
    bool tpl = syndic__tset_has(p->tset, key);
    p->line_keys[p->line_key_count] = key;
    p->line_tpl[p->line_key_count++] = tpl;
    return tpl;
}

/* Drop the lines that are templates now, then shingle, sketch and band
 * keys: from the digest, so a second call (templates changed) normalizes
 * nothing again. */
static int sketch(syndic_state *s, syndic_state_prep *p)
{
    const syndic_params *par = &s->params;
    p->line_key_count = 0;
    p->failed = false;
    p->tset = &s->tset;
    p->gen = syndic__tset_gen(&s->tset);
    syndic__digest_drop(&p->digest, s->opts.template_docs ? prep_key : NULL, p);
    if (p->failed) return syndic__oom();
    int rc = syndic__digest_sketch(&p->digest, par, p->sig, &p->shingles, &p->numbers);
    if (rc < 0) return rc;
    for (unsigned b = 0; b < par->bands; b++)
        p->keys[b] = syndic__band_key(p->sig, b, par->rows, par->seed);
    return SYNDIC_OK;
}

int syndic_state_prepare(syndic_state *s, syndic_state_prep *p, const syndic_doc *doc,
                         int64_t arrival)
{
    const syndic_params *par = &s->params;
    p->ok = false;
    if (!doc || !doc->id || !syndic__field_len(doc->id, doc->id_len) || !doc->text)
        return syndic__error(SYNDIC_EBADREC, "a document needs an id and a text");
    if (s->opts.read_only)
        return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    if (p->k != par->num_hashes || p->bands != par->bands) {
        uint32_t *sig = syndic__reallocarray(p->sig, par->num_hashes, sizeof *sig);
        if (!sig) return syndic__oom();
        p->sig = sig;
        uint64_t *keys = syndic__reallocarray(p->keys, par->bands, sizeof *keys);
        if (!keys) return syndic__oom();
        p->keys = keys;
        p->k = par->num_hashes;
        p->bands = par->bands;
    }
    const char *src[6] = {doc->id, doc->outlet, doc->date, doc->title, doc->url, doc->text};
    size_t srclen[6] = {doc->id_len, doc->outlet_len, doc->date_len, doc->title_len,
                        doc->url_len, doc->text_len};
    size_t off[6];
    p->strs.len = 0;
    for (int i = 0; i < 6; i++) {
        p->lens[i] = src[i] ? syndic__field_len(src[i], srclen[i]) : 0;
        off[i] = p->strs.len;
        if (syndic__buf_append(&p->strs, src[i] ? src[i] : "", p->lens[i]) < 0 ||
            syndic__buf_append(&p->strs, "", 1) < 0)
            return syndic__oom();
    }
    for (int i = 0; i < 6; i++) p->f[i] = p->strs.data + off[i];
    p->arrival = arrival ? arrival : (int64_t)time(NULL);
    p->time = 0;
    p->has_time = p->lens[2] && syndic_date_parse(&p->time, p->f[2], p->lens[2]) == SYNDIC_OK;
    if (!p->has_time) p->time = 0;
    p->salt = syndic__outlet_salt(p->f[1], p->lens[1]);
    int rc = syndic__digest_text(&p->digest, p->f[5], p->lens[5], p->salt,
                                 s->opts.template_docs != 0);
    if (rc < 0) return rc;
    p->fp = s->opts.template_docs ? p->digest.fingerprint : 0;
    if ((rc = syndic__title_fingerprint(&p->title_scratch, p->f[3], p->lens[3], &p->title)) < 0)
        return rc;
    if ((rc = sketch(s, p)) < 0) return rc;
    p->ok = true;
    return SYNDIC_OK;
}

/* The writer's check: did any of the prep's line keys change status since
 * its sketch? Then sketch it again, so the result is what one thread gets. */
static int confirm_sketch(syndic_state *s, syndic_state_prep *p)
{
    if (!s->opts.template_docs || p->gen == syndic__tset_gen(&s->tset)) return SYNDIC_OK;
    for (size_t i = 0; i < p->line_key_count; i++)
        if (syndic__tset_has(&s->tset, p->line_keys[i]) != (p->line_tpl[i] != 0))
            return sketch(s, p);
    return SYNDIC_OK;
}

/* Count the article's short lines with the learner's rule (templates.c):
 * the first sighting of a line is only remembered; from the second on, the
 * article's fingerprint is added. Logged in `linelog` for the next open. */
static int observe_lines(syndic_state *s, syndic_state_prep *p, uint64_t seq)
{
    if (!p->line_key_count) return SYNDIC_OK;
    int src = syndic__sort_hashes(p->line_keys, p->line_key_count);
    if (src < 0) return src;
    size_t n = 0;
    for (size_t i = 0; i < p->line_key_count; i++)
        if (n == 0 || p->line_keys[i] != p->line_keys[n - 1]) p->line_keys[n++] = p->line_keys[i];
    p->line_key_count = 0; /* the statuses no longer match the keys */
    s->rec.len = 0;
    if (syndic__buf_append(&s->rec, (const char *)&p->fp, 4) < 0 ||
        syndic__buf_append(&s->rec, (const char *)p->line_keys, n * 8) < 0)
        return syndic__oom();
    size_t before = s->lines.count;
    for (size_t i = 0; i < n; i++) syndic__lines_prefetch(&s->lines, p->line_keys[i]);
    for (size_t i = 0; i < n; i++) {
        bool became;
        int rc = syndic__lines_observe(&s->lines, p->line_keys[i], p->fp, &became);
        if (rc < 0) return rc;
        if (became && (rc = syndic__tset_add(&s->tset, p->line_keys[i])) < 0) return rc;
    }
    s->ctr.lines += s->lines.count - before;
    s->ctr.templates = s->lines.templates;
    return syndic__store_log_lines(s, seq, s->rec.data, s->rec.len);
}

/* ---- submit ---- */

static int begin(syndic_state *s)
{
    if (s->txn) return SYNDIC_OK;
    if (s->opts.read_only) return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    int rc = syndic__store_begin(s);
    if (rc < 0) return rc;
    if (s->stale && (rc = rebuild(s)) < 0) {
        syndic__store_abort(s);
        return rc;
    }
    return SYNDIC_OK;
}

static void abort_batch(syndic_state *s)
{
    syndic__store_abort(s);
    s->stale = true;
}

void syndic__state_abort(syndic_state *s)
{
    if (!s->txn) return;
    if (s->pending) abort_batch(s);
    else syndic__store_abort(s); /* only the reads of duplicates: nothing lost */
}

/* Verdict strings live in vbuf: id, origin, match. */
static int set_strings(syndic_state *s, syndic_ingest_verdict *out, const char *id, size_t id_len,
                       const char *origin, size_t origin_len, const char *match, size_t match_len)
{
    s->vbuf.len = 0;
    if (syndic__buf_append(&s->vbuf, id, id_len) < 0 || syndic__buf_append(&s->vbuf, "", 1) < 0 ||
        syndic__buf_append(&s->vbuf, origin, origin_len) < 0 ||
        syndic__buf_append(&s->vbuf, "", 1) < 0 ||
        syndic__buf_append(&s->vbuf, match, match_len) < 0 ||
        syndic__buf_append(&s->vbuf, "", 1) < 0)
        return syndic__oom();
    out->id = s->vbuf.data;
    out->origin = out->id + id_len + 1;
    out->match = out->origin + origin_len + 1;
    return SYNDIC_OK;
}

static int duplicate(syndic_state *s, uint64_t seq, syndic_ingest_verdict *out)
{
    loaded d;
    int rc = syndic__store_load_doc(s, seq, NULL, &d);
    if (rc <= 0) return rc < 0 ? rc : syndic__error(SYNDIC_EIO, "%s: id without article", s->dir);
    story_copy st;
    const char *origin = d.id;
    size_t origin_len = d.h.lens[0];
    if ((rc = syndic__store_read_story(s, d.h.story, &st)) < 0) return rc;
    if (rc > 0) {
        origin = st.origin;
        origin_len = st.rec.origin_len;
        out->story_size = syndic__live_get(&s->live, d.h.story);
    }
    out->kind = SYNDIC_INGEST_DUPLICATE;
    out->first = (syndic_ingest_kind)d.h.kind;
    out->story = d.h.story;
    out->seq = seq;
    out->jaccard = d.h.jaccard;
    out->containment = d.h.containment;
    /* The strings point into the map: copy them before anything is written. */
    return set_strings(s, out, d.id, d.h.lens[0], origin, origin_len, d.match, d.h.lens[5]);
}

typedef struct scored { uint32_t same; uint64_t seq; } scored;

static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->same != y->same) return x->same > y->same ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Candidates of the prep's band keys: the union of their postings. */
static int gather(syndic_state *s, const uint64_t *keys)
{
    const syndic_params *p = &s->params;
    s->cand_count = 0;
    for (unsigned b = 0; b < p->bands; b++) syndic__ix_prefetch(&s->bands, keys[b]);
    for (unsigned b = 0; b < p->bands; b++) {
        const uint32_t *refs;
        uint32_t n = syndic__ix_get(&s->bands, keys[b], &refs);
        if (!n) continue;
        if ((size_t)n + 1 > p->max_bucket) continue; /* a template bucket, as in the batch */
        if (syndic__grow(&s->cands, &s->cand_cap, s->cand_count + n, sizeof *s->cands) < 0)
            return syndic__oom();
        for (uint32_t i = 0; i < n; i++)
            s->cands[s->cand_count++] = syndic__seq_of_ref(s->ctr.next_seq, refs[i]);
    }
    if (s->cand_count > 1) {
        int rc = syndic__sort_u64(s->cands, s->cand_count);
        if (rc < 0) return rc;
        size_t u = 0;
        for (size_t i = 0; i < s->cand_count; i++)
            if (u == 0 || s->cands[i] != s->cands[u - 1]) s->cands[u++] = s->cands[i];
        s->cand_count = u;
    }
    return SYNDIC_OK;
}

/* The article stored under this id, if any: 1 with *seq set, 0, or < 0. */
static int find_id(syndic_state *s, const char *id, size_t len, uint64_t *seq)
{
    const uint32_t *refs;
    uint32_t n = syndic__ix_get(&s->ids, syndic__id_hash(id, len), &refs);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t q = syndic__seq_of_ref(s->ctr.next_seq, refs[i]);
        loaded d;
        int rc = syndic__store_load_doc(s, q, NULL, &d);
        if (rc < 0) return rc;
        if (rc > 0 && d.h.lens[0] == len && memcmp(d.id, id, len) == 0) {
            *seq = q;
            return 1;
        }
    }
    return 0;
}

/* Seqs in memory are 32-bit: the state must span fewer than 2^32 of them. */
static int check_span(syndic_state *s, uint64_t seq)
{
    if (seq < (UINT64_C(1) << 32)) return SYNDIC_OK;
    uint64_t first = seq;
    int rc = syndic__store_first_seq(s, &first);
    if (rc < 0) return rc;
    if (seq - first >= (UINT64_C(1) << 32))
        return syndic__error(SYNDIC_EINVAL, "%s: the state holds articles 2^32 submissions "
                             "apart; use a window", s->dir);
    return SYNDIC_OK;
}

static int submit(syndic_state *s, syndic_state_prep *pr, syndic_ingest_verdict *out)
{
    const syndic_params *p = &s->params;
    const unsigned k = p->num_hashes;
    const char *const *fields = pr->f;
    const size_t *lens = pr->lens;
    size_t id_len = lens[0];
    int rc;
    /* 1. Already stored? */
    uint64_t seq;
    if ((rc = find_id(s, fields[0], id_len, &seq)) != 0)
        return rc < 0 ? rc : duplicate(s, seq, out);

    /* 2. Time, newest time, eviction. */
    doc_head h;
    memset(&h, 0, sizeof h);
    h.has_time = pr->has_time;
    h.time = pr->time;
    h.arrival = pr->arrival;
    int64_t when = h.has_time ? h.time : h.arrival;
    if (when > s->ctr.newest) s->ctr.newest = when;
    if ((rc = evict(s)) < 0) return rc;
    seq = s->ctr.next_seq;
    if ((rc = check_span(s, seq)) < 0) return rc;

    /* 3. The sketch with the templates known now, then count the lines. */
    if ((rc = confirm_sketch(s, pr)) < 0) return rc;
    h.shingles = pr->shingles;
    h.numbers = pr->numbers;
    h.title = pr->title;
    if (s->opts.template_docs && (rc = observe_lines(s, pr, seq)) < 0) return rc;

    /* 4. Candidates, verified. */
    s->cand_count = 0;
    if (h.shingles && (rc = gather(s, pr->keys)) < 0) return rc;
    syndic_evdoc me = {pr->sig, h.shingles, h.has_time != 0, h.time, fields[1], &h.numbers, &h.title};
    scored *best = NULL;
    size_t verified = 0;
    for (size_t i = 0; i < s->cand_count && i < 8; i++) syndic__vtab_prefetch(&s->vt, s->cands[i]);
    for (size_t i = 0; i < s->cand_count; i++) {
        if (i + 8 < s->cand_count) syndic__vtab_prefetch(&s->vt, s->cands[i + 8]);
        const vdoc *d = syndic__vtab_get(&s->vt, s->cands[i]);
        if (!d) continue;
        syndic_evdoc other = {syndic__vtab_sig(&s->vt, s->cands[i]), d->shingles,
                              d->has_time != 0, d->time, syndic__vtab_outlet(&s->vt, d),
                              &d->numbers, &d->title};
        uint32_t same;
        if (syndic__verify(p, &me, &other, &same) != SYNDIC_MATCH) continue;
        /* Reuse the candidate array for the verified ones, scored. */
        s->cands[verified++] = (uint64_t)same << 40 | (s->cands[i] & ((UINT64_C(1) << 40) - 1));
    }
    out->candidates = (uint32_t)s->cand_count;
    /* Best first: most equal values, then the earliest. */
    if (verified) {
        best = syndic__reallocarray(NULL, verified, sizeof *best);
        if (!best) { rc = syndic__oom(); goto out; }
        for (size_t i = 0; i < verified; i++)
            best[i] = (scored){(uint32_t)(s->cands[i] >> 40), s->cands[i] & ((UINT64_C(1) << 40) - 1)};
        qsort(best, verified, sizeof *best, cmp_scored);
    }

    /* 5. The first verified candidate whose story passes the guard. */
    story_copy st;
    bool copy = false;
    loaded match;
    uint32_t match_same = 0, match_shingles = 0;
    uint64_t match_seq = 0;
    for (size_t i = 0; i < verified && !copy; i++) {
        const vdoc *m = syndic__vtab_get(&s->vt, best[i].seq);
        if (!m) continue;
        if ((rc = syndic__store_read_story(s, m->story, &st)) < 0) goto out;
        if (rc == 0) continue;
        /* The story's origin as the guard sees it: its signature only when
         * it is still in the window and is not the match itself. */
        bool origin_sig = st.rec.origin_seq != best[i].seq &&
                          syndic__vtab_get(&s->vt, st.rec.origin_seq);
        syndic_evdoc origin = {origin_sig ? syndic__vtab_sig(&s->vt, st.rec.origin_seq) : NULL,
                               0, st.rec.origin_has_time != 0, st.rec.origin_time, st.outlet,
                               NULL, NULL};
        bool ok = syndic__guard_ok(p, &origin, &me);
        if (!ok) continue;
        copy = true;
        match_same = best[i].same;
        match_shingles = m->shingles;
        match_seq = best[i].seq;
    }
    char match_id[MAX_ID_KEY + 1] = "";
    size_t match_len = 0;
    if (copy) {
        /* The match's id, from its record (the one read of `docs`). */
        if ((rc = syndic__store_load_doc(s, match_seq, NULL, &match)) <= 0) {
            if (rc == 0) rc = syndic__error(SYNDIC_EIO, "%s: article %llu missing", s->dir,
                                            (unsigned long long)match_seq);
            goto out;
        }
        match_len = match.h.lens[0] > MAX_ID_KEY ? MAX_ID_KEY : match.h.lens[0];
        memcpy(match_id, match.id, match_len);
        match_id[match_len] = 0;
        h.story = match.h.story;
        h.kind = SYNDIC_INGEST_COPY;
        h.jaccard = (double)match_same / k;
        h.containment = syndic__containment(h.jaccard, h.shingles, match_shingles);
    } else {
        h.story = s->ctr.next_story++;
        h.kind = SYNDIC_INGEST_NEW;
        memset(&st.rec, 0, sizeof st.rec);
        st.rec.origin_seq = seq;
        st.rec.origin_time = h.time;
        st.rec.origin_has_time = h.has_time;
        st.rec.origin_len = (uint32_t)(id_len > MAX_ID_KEY ? MAX_ID_KEY : id_len);
        st.rec.outlet_len = (uint32_t)(lens[1] > 255 ? 255 : lens[1]);
        memcpy(st.origin, fields[0], st.rec.origin_len);
        st.origin[st.rec.origin_len] = 0;
        memcpy(st.outlet, fields[1], st.rec.outlet_len);
        st.outlet[st.rec.outlet_len] = 0;
    }
    if (!copy && (rc = syndic__store_put_story(s, h.story, &st.rec, st.origin, st.outlet)) < 0)
        goto out;

    /* 6. Store the article (appended), then index it in memory. */
    for (int i = 0; i < 5; i++) h.lens[i] = (uint32_t)lens[i];
    h.lens[5] = (uint32_t)match_len;
    loaded self = {h, pr->sig, fields[0], fields[1], fields[2], fields[3], fields[4], match_id};
    if ((rc = syndic__store_put_doc(s, seq, &self)) < 0) goto out;
    if ((rc = index_doc(s, seq, &self, pr->sig, false)) < 0) goto out;
    if (h.shingles) s->ctr.indexed++;
    s->ctr.next_seq++;
    if ((rc = syndic__store_put_counters(s)) < 0) goto out;

    out->kind = out->first = (syndic_ingest_kind)h.kind;
    out->story = h.story;
    out->seq = seq;
    out->jaccard = h.jaccard;
    out->containment = h.containment;
    out->story_size = syndic__live_get(&s->live, h.story);
    rc = set_strings(s, out, fields[0], id_len, st.origin, st.rec.origin_len, match_id, match_len);
out:
    syndic__free(best);
    return rc;
}

int syndic_state_submit_prepared(syndic_ingest_verdict *out, syndic_state *s,
                                 syndic_state_prep *p)
{
    memset(out, 0, sizeof *out);
    out->id = out->origin = out->match = "";
    if (!p->ok) {
        out->kind = out->first = SYNDIC_INGEST_REJECTED;
        out->reason = SYNDIC_REJECT_MISSING_FIELD;
        return syndic__error(SYNDIC_EBADREC, "a document needs an id and a text");
    }
    p->ok = false; /* a prep is submitted once */
    int rc = begin(s);
    if (rc < 0) return rc;
    rc = submit(s, p, out);
    if (rc < 0) {
        /* The transaction may hold half an article: drop the batch. */
        abort_batch(s);
        memset(out, 0, sizeof *out);
        out->id = out->origin = out->match = "";
        return rc;
    }
    if (out->kind != SYNDIC_INGEST_DUPLICATE) s->pending++;
    return SYNDIC_OK;
}

int syndic_state_submit(syndic_ingest_verdict *out, syndic_state *s, const syndic_doc *doc,
                        int64_t arrival)
{
    memset(out, 0, sizeof *out);
    out->id = out->origin = out->match = "";
    if (!s->own && syndic_state_prep_new(&s->own) < 0) return SYNDIC_ENOMEM;
    int rc = syndic_state_prepare(s, s->own, doc, arrival);
    if (rc == SYNDIC_EBADREC) {
        out->kind = out->first = SYNDIC_INGEST_REJECTED;
        out->reason = SYNDIC_REJECT_MISSING_FIELD;
        return rc;
    }
    if (rc < 0) return rc;
    return syndic_state_submit_prepared(out, s, s->own);
}

int syndic_state_commit(syndic_state *s)
{
    int rc = syndic__store_commit(s);
    if (rc < 0) s->stale = true; /* memory holds the lost batch */
    return rc;
}

/* ---- integrity: the store's checks, and the in-memory side's ---- */

#define problem syndic__store_problem

/* A writer's memory holds each stored article as verification needs it,
 * and its postings. */
static int check_doc(void *ctx, uint64_t seq, const loaded *d, uint64_t *np)
{
    syndic_state *s = ctx;
    const syndic_params *p = &s->params;
    const vdoc *m = syndic__vtab_get(&s->vt, seq);
    if (!m || m->story != d->h.story || m->shingles != d->h.shingles ||
        memcmp(syndic__vtab_sig(&s->vt, seq), d->sig, p->num_hashes * sizeof *d->sig) != 0)
        problem(np, "%s: article %llu differs in memory", d->id, (unsigned long long)seq);
    if (d->h.shingles) {
        for (unsigned b = 0; b < p->bands; b++) {
            const uint32_t *r;
            uint32_t n = syndic__ix_get(&s->bands, syndic__band_key(d->sig, b, p->rows, p->seed),
                                        &r);
            bool found = false;
            for (uint32_t i = 0; i < n && !found; i++) found = r[i] == (uint32_t)seq;
            if (!found) {
                problem(np, "%s: article %llu misses a posting", d->id, (unsigned long long)seq);
                break;
            }
        }
    }
    return SYNDIC_OK;
}

/* ... and nothing more: a posting per band of each article with words, an
 * id per article. */
static int check_totals(void *ctx, uint64_t docs, uint64_t indexed, uint64_t *np)
{
    syndic_state *s = ctx;
    if (s->bands.refs != indexed * s->params.bands || s->ids.refs != docs)
        problem(np, "the in-memory index holds %zu postings and %zu ids for %llu articles",
                s->bands.refs, s->ids.refs, (unsigned long long)docs);
    return SYNDIC_OK;
}

/* Each story's live count is its stored members. */
static int check_story(void *ctx, uint64_t id, uint64_t members, uint64_t *np)
{
    syndic_state *s = ctx;
    if (syndic__live_get(&s->live, id) != members)
        problem(np, "story %llu: %u members in memory, %llu found", (unsigned long long)id,
                syndic__live_get(&s->live, id), (unsigned long long)members);
    return SYNDIC_OK;
}

#undef problem

int syndic_state_verify(uint64_t *problems, syndic_state *s)
{
    const syndic_store_check memory = {s, check_doc, check_totals, check_story};
    /* Stale memory (a lost batch) is rebuilt before the next write: only
     * what is stored counts then. */
    return syndic__store_verify(s, s->opts.read_only || s->stale ? NULL : &memory, problems);
}

int syndic_state_options_init(syndic_state_options *options, unsigned version)
{
    if (!options) return syndic__error(SYNDIC_EINVAL, "state options is NULL");
    if (version != SYNDIC_STATE_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "state options version %u, expected %u", version,
                             SYNDIC_STATE_OPTIONS_VERSION);
    *options = (syndic_state_options)SYNDIC_STATE_OPTIONS_INIT;
    return SYNDIC_OK;
}
