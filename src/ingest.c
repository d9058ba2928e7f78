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
 * What is stored and what is rebuilt. LMDB holds only what cannot be
 * recomputed, written so that an article costs appends, not random pages:
 *
 *   meta     "header"   magic "SYNDICST", format version (2), every field of
 *                       the resolved syndic_params, template_docs, window
 *            "counters" next seq, next story id, newest time, evicted,
 *                       articles with words, line keys, templates
 *   docs     seq (u64)  -> doc_head | signature (K x u32) | id | outlet |
 *                          date | title | url | match id (NUL-terminated);
 *                          seqs only grow: MDB_APPEND
 *   stories  story id   -> story_rec | origin id | origin outlet: written once
 *                          (appended), deleted with the story's last article
 *   linelog  seq (u64)  -> fingerprint (u32) | the article's distinct short
 *                          line keys (u64, sorted): the template learner's
 *                          input, appended (MDB_APPEND), never evicted
 *
 * Integers are native-endian (a state is not portable between
 * architectures). At open, a writer rebuilds in memory (ingest_index.c):
 * the LSH postings (band key -> seqs) and the id index (XXH3 of the id ->
 * seqs) from every article's signature and id, the eviction order (a
 * (time, seq) heap) when there is a window, and the template learner's line
 * counts by replaying `linelog` in seq order - the exact counts the writes
 * made, so the templates after a restart are those of an uninterrupted run.
 * Format 1 kept postings, ids, times and line counts as B-trees: each
 * article's 28 postings and ~10 line counts landed on random pages, and a
 * commit copied thousands of them. Format 1 states are refused with a
 * message (re-ingest the input).
 *
 * Submitting an article is split in two so that a caller can pipeline it:
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
 *       `docs`, its story's live count drops (the story record goes at 0);
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
 *
 * Every step depends only on the state and the article, never on the clock
 * (except arrival for undated articles) or on where commits fall: so a run
 * interrupted anywhere and resumed from its input's start ends in the same
 * state as an uninterrupted one. Commits are the caller's; the verdict of an
 * article must be published only after the commit that holds it is durable.
 * If a write transaction fails or is dropped, the in-memory indexes hold
 * articles LMDB does not: they are rebuilt from LMDB before the next write.
 *
 * Durability modes (options.sync): 1, LMDB's default, fsyncs in each commit
 * (data pages, then the meta page); 0 never syncs; SYNDIC_STATE_SYNC_GROUP
 * opens LMDB with MDB_NOSYNC and leaves syncing to syndic_state_sync(),
 * which another thread may call while the writer works: in LMDB 0.9
 * mdb_env_sync(env, 1) without MDB_WRITEMAP is one fdatasync() of the data
 * file and reads nothing a writer changes (only the environment's flags), so
 * it is safe beside a write transaction; a sync that starts after a commit
 * returned makes that commit durable. See docs/ingest.md for what a machine
 * crash can do between syncs in that mode.
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
#define _DEFAULT_SOURCE /* flock */
#include "digest.h"
#include "ingest_index.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define STATE_MAGIC "SYNDICST"
#define STATE_FORMAT 2
#define MAX_ID_KEY 400        /* longest id kept whole in a story record */
#define MAX_BANDS 1024

typedef struct header {
    char magic[8];
    uint32_t format, params_version;
    syndic_params_record params; /* every row of params.def, in its order */
    uint32_t template_docs, pad;
    int64_t window;
} header;
/* The format 2 layout: a parameter added to params.def makes the header
 * longer, so it needs a new STATE_FORMAT (and these numbers). */
_Static_assert(sizeof(header) == 120 && offsetof(header, template_docs) == 104,
               "the state header changed: bump STATE_FORMAT");

typedef struct counters {
    uint64_t next_seq, next_story, evicted;
    int64_t newest;
    uint64_t indexed;         /* articles in the state with words (postings) */
    uint64_t lines, templates; /* line keys counted; of them, templates */
} counters;

/* The fixed part of an article's record. */
typedef struct doc_head {
    uint64_t story;
    int64_t time, arrival;
    double jaccard, containment; /* of its first verdict */
    uint32_t shingles;
    uint8_t has_time, kind, pad[2];
    syndic_numbers numbers;
    syndic_title_words title;
    uint32_t lens[6]; /* id, outlet, date, title, url, match (without NULs) */
} doc_head;

/* A story's record never changes: its members are counted in memory. */
typedef struct story_rec {
    uint64_t origin_seq;
    int64_t origin_time;
    uint8_t origin_has_time, pad[3];
    uint32_t origin_len, outlet_len;
} story_rec;

/* An article read back from `docs`: signature copied (LMDB values are only
 * 2-byte aligned), strings pointing into the map. */
typedef struct loaded {
    doc_head h;
    uint32_t *sig;
    const char *id, *outlet, *date, *title, *url, *match;
} loaded;

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

struct syndic_state {
    syndic_params params;
    syndic_state_options opts;
    char *dir;
    MDB_env *env;
    MDB_dbi meta, docs, stories, linelog;
    MDB_txn *txn;          /* the open write transaction, or NULL */
    size_t pending;
    counters ctr, ctr_committed;
    int lock_fd;           /* flock on DIR/writer.lock for a writer */
    /* In memory, rebuilt at open (writer only). */
    syndic_ix bands, ids;
    syndic_lines lines;
    syndic_theap times;
    syndic_tset tset;
    syndic_vtab vt;        /* what verification needs of each article */
    syndic_live live;      /* live members per story */
    bool stale;            /* memory holds what LMDB lost: rebuild */
    double open_seconds;
    _Atomic uint64_t commits; /* commits returned so far */
    syndic_state_prep *own;   /* for syndic_state_submit */
    uint64_t *cands;
    size_t cand_count, cand_cap;
    uint32_t *sig, *sig_a, *sig_b; /* scratch signatures */
    syndic_buf rec;        /* scratch record */
    syndic_buf vbuf;       /* verdict strings */
};

const char *syndic_ingest_kind_name(syndic_ingest_kind k)
{
    static const char *names[] = {"new", "copy", "duplicate", "rejected"};
    return (unsigned)k < 4 ? names[k] : "unknown";
}

const syndic_params *syndic_state_params(const syndic_state *s) { return &s->params; }
size_t syndic_state_pending(const syndic_state *s) { return s->pending; }
double syndic_state_open_seconds(const syndic_state *s) { return s->open_seconds; }
uint64_t syndic_state_commits(syndic_state *s)
{
    return atomic_load_explicit(&s->commits, memory_order_acquire);
}

static int lmdb_error(int rc, const char *what)
{
    int status = rc == ENOMEM ? SYNDIC_ENOMEM : SYNDIC_EIO;
    if (rc == MDB_MAP_FULL)
        return syndic__error(status, "%s: the state is full (map size); open it with a larger "
                                     "map_size", what);
    return syndic__error(status, "%s: %s", what, mdb_strerror(rc));
}

/* ---- header ---- */

static void make_header(header *h, const syndic_params *p, const syndic_state_options *o)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, STATE_MAGIC, 8);
    h->format = STATE_FORMAT;
    h->params_version = p->version;
    syndic__params_record_make(&h->params, p);
    h->template_docs = o->template_docs;
    h->window = o->window;
}

static void params_of_header(syndic_params *p, const header *h)
{
    syndic__params_record_read(p, &h->params);
}

/* Names the first field where the stored header and the wanted one differ. */
static int compare_header(const char *dir, const header *have, const header *want)
{
#define CMP_U(f)                                                                       \
    if (have->f != want->f)                                                            \
        return syndic__error(SYNDIC_EINVAL, "state %s was made with %s %llu, not %llu "   \
                             "(a state keeps its parameters)", dir, #f,                 \
                             (unsigned long long)have->f, (unsigned long long)want->f);
#define CMP_I(f)                                                                       \
    if (have->f != want->f)                                                            \
        return syndic__error(SYNDIC_EINVAL, "state %s was made with %s %lld, not %lld "   \
                             "(a state keeps its parameters)", dir, #f,                 \
                             (long long)have->f, (long long)want->f);
    CMP_U(params_version)
    char was[32], is[32];
    int i = syndic__params_record_diff(&have->params, &want->params, was, is);
    if (i >= 0)
        return syndic__error(SYNDIC_EINVAL, "state %s was made with %s %s, not %s "
                             "(a state keeps its parameters)", dir,
                             syndic_param_at((size_t)i)->name, was, is);
    CMP_U(template_docs) CMP_I(window)
#undef CMP_U
#undef CMP_I
    return SYNDIC_OK;
}

/* ---- keys ---- */

static MDB_val val(const void *p, size_t n) { return (MDB_val){n, (void *)(uintptr_t)p}; }

static uint64_t id_hash(const char *id, size_t len) { return XXH3_64bits(id, len); }

/* The seq whose low 32 bits are ref, among the 2^32 seqs before next. */
static uint64_t seq_of_ref(uint64_t next, uint32_t ref)
{
    return next - (uint32_t)((uint32_t)next - ref);
}

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
    if (s->txn) mdb_txn_abort(s->txn);
    if (s->env) mdb_env_close(s->env);
    if (s->lock_fd >= 0) close(s->lock_fd);
    free_memory(s);
    syndic__tset_free(&s->tset);
    syndic_state_prep_free(s->own);
    syndic__free(s->dir);
    syndic__free(s->cands);
    syndic__free(s->sig);
    syndic__buf_free(&s->rec);
    syndic__buf_free(&s->vbuf);
    syndic__free(s);
}

static int load_counters(syndic_state *s, MDB_txn *txn, counters *c)
{
    MDB_val k = val("counters", 8), v;
    int rc = mdb_get(txn, s->meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        *c = (counters){1, 1, 0, INT64_MIN, 0, 0, 0};
        return SYNDIC_OK;
    }
    if (rc) return lmdb_error(rc, s->dir);
    if (v.mv_size != sizeof *c) return syndic__error(SYNDIC_EINVAL, "%s: bad counters", s->dir);
    memcpy(c, v.mv_data, sizeof *c);
    return SYNDIC_OK;
}

static int load_doc(syndic_state *s, MDB_txn *txn, uint64_t seq, uint32_t *sig, loaded *out);
static int parse_doc(syndic_state *s, uint64_t seq, const MDB_val *v, uint32_t *sig, loaded *out);

/* Stages one `linelog` entry for the replay of the line counts. */
static int replay_lines(syndic_state *s, uint64_t seq, const MDB_val *v)
{
    size_t n = v->mv_size >= 4 ? (v->mv_size - 4) / 8 : 0;
    if (v->mv_size < 4 || v->mv_size != 4 + 8 * n)
        return syndic__error(SYNDIC_EIO, "%s: line log of article %llu: bad entry", s->dir,
                             (unsigned long long)seq);
    const char *p = v->mv_data;
    uint32_t fp;
    memcpy(&fp, p, 4);
    for (size_t i = 0; i < n; i++) {
        uint64_t key;
        memcpy(&key, p + 4 + 8 * i, 8);
        int rc = syndic__lines_stage(&s->lines, key, fp);
        if (rc < 0) return rc;
    }
    return SYNDIC_OK;
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
    if (bulk) {
        if ((rc = syndic__ix_stage(&s->ids, id_hash(d->id, d->h.lens[0]), (uint32_t)seq)) < 0)
            return rc;
        for (unsigned b = 0; d->h.shingles && b < p->bands; b++)
            if ((rc = syndic__ix_stage(&s->bands, syndic__band_key(sig, b, p->rows, p->seed),
                                       (uint32_t)seq)) < 0)
                return rc;
    } else if ((rc = syndic__ix_add(&s->ids, id_hash(d->id, d->h.lens[0]), (uint32_t)seq)) < 0) {
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

/* Builds the in-memory indexes from LMDB (at open; after a lost batch). */
static int rebuild(syndic_state *s, MDB_txn *txn)
{
    free_memory(s);
    int rc = syndic__tset_clear(&s->tset);
    if (rc < 0) return rc;
    s->lines.min_docs = s->opts.template_docs;
    MDB_stat st;
    if ((rc = mdb_stat(txn, s->docs, &st))) return lmdb_error(rc, s->dir);
    if ((rc = syndic__ix_reserve(&s->ids, st.ms_entries)) < 0 ||
        (rc = syndic__ix_reserve(&s->bands, st.ms_entries * s->params.bands)) < 0 ||
        (rc = syndic__vtab_reserve(&s->vt, st.ms_entries + 1)) < 0)
        return rc;
    MDB_cursor *cur;
    if ((rc = mdb_cursor_open(txn, s->docs, &cur))) return lmdb_error(rc, s->dir);
    MDB_val k, v;
    int mrc;
    rc = SYNDIC_OK;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && rc == SYNDIC_OK;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        loaded d;
        if ((rc = parse_doc(s, seq, &v, s->sig_a, &d)) < 0) break;
        rc = index_doc(s, seq, &d, s->sig_a, true);
    }
    mdb_cursor_close(cur);
    if (rc < 0) return rc;
    if (mrc != MDB_NOTFOUND) return lmdb_error(mrc, s->dir);
    if ((rc = syndic__ix_flush(&s->ids)) < 0 || (rc = syndic__ix_flush(&s->bands)) < 0) return rc;
    syndic__theap_heapify(&s->times);
    if (s->opts.template_docs) {
        if ((rc = mdb_cursor_open(txn, s->linelog, &cur))) return lmdb_error(rc, s->dir);
        for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && rc == SYNDIC_OK;
             mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            uint64_t seq;
            memcpy(&seq, k.mv_data, sizeof seq);
            rc = replay_lines(s, seq, &v);
        }
        mdb_cursor_close(cur);
        if (rc < 0) return rc;
        if (mrc != MDB_NOTFOUND) return lmdb_error(mrc, s->dir);
        if ((rc = syndic__lines_flush(&s->lines, became_template, s)) < 0) return rc;
    }
    s->stale = false;
    return SYNDIC_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int syndic_state_open(syndic_state **out, const char *dir, const syndic_params *params,
                      const syndic_state_options *options)
{
    *out = NULL;
    double t0 = now_seconds();
    syndic_state_options defaults = SYNDIC_STATE_OPTIONS_INIT;
    const syndic_state_options *o = options ? options : &defaults;
    if (!dir || !*dir) return syndic__error(SYNDIC_EINVAL, "a state needs a directory");
    if (!params && !o->read_only)
        return syndic__error(SYNDIC_EINVAL, "a state opened for writing needs params");
    if (o->window < 0) return syndic__error(SYNDIC_EINVAL, "window must not be negative");
    if (o->sync < 0 || o->sync > SYNDIC_STATE_SYNC_GROUP)
        return syndic__error(SYNDIC_EINVAL, "sync must be 0, 1 or SYNDIC_STATE_SYNC_GROUP");
    syndic_state *s = syndic__calloc(1, sizeof *s);
    if (!s) return syndic__oom();
    s->lock_fd = -1;
    s->opts = *o;
    atomic_init(&s->commits, 0);
    atomic_init(&s->tset.cur, NULL);
    atomic_init(&s->tset.gen, 0);
    int rc;
    MDB_txn *txn = NULL;
    if (!(s->dir = syndic__strndup(dir, strlen(dir)))) { rc = syndic__oom(); goto fail; }
    if (params) {
        s->params = *params;
        if ((rc = syndic_params_resolve(&s->params)) < 0) goto fail;
    }
    if (!o->read_only) {
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            rc = syndic__error(SYNDIC_EIO, "%s: cannot create the state directory: %s", dir,
                               strerror(errno));
            goto fail;
        }
        /* One writer at a time, and none during an in-place compaction. */
        char path[4096];
        snprintf(path, sizeof path, "%s/writer.lock", dir);
        s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
            rc = syndic__error(SYNDIC_EIO, "%s: %s", dir,
                               s->lock_fd < 0 ? strerror(errno)
                                              : "another process is writing this state");
            goto fail;
        }
    } else {
        char path[4096];
        snprintf(path, sizeof path, "%s/data.mdb", dir);
        if (access(path, F_OK) != 0) {
            rc = syndic__error(SYNDIC_EIO, "%s: no state here", dir);
            goto fail;
        }
    }
    int mrc = mdb_env_create(&s->env);
    if (!mrc) mrc = mdb_env_set_maxdbs(s->env, 8);
    if (!mrc) mrc = mdb_env_set_mapsize(s->env, (size_t)(o->map_size ? o->map_size
                                                         : SYNDIC_DEFAULT_MAP_SIZE));
    unsigned flags = MDB_NOTLS | (o->read_only ? MDB_RDONLY : 0) | (o->sync == 1 ? 0 : MDB_NOSYNC);
    if (!mrc) mrc = mdb_env_open(s->env, dir, flags, 0666);
    if (mrc) { rc = lmdb_error(mrc, dir); goto fail; }
    mrc = mdb_txn_begin(s->env, NULL, o->read_only ? MDB_RDONLY : 0, &txn);
    if (mrc) { rc = lmdb_error(mrc, dir); goto fail; }
    unsigned create = o->read_only ? 0 : MDB_CREATE;
    /* The header first: a state of another format has other databases. */
    if ((mrc = mdb_dbi_open(txn, "meta", create, &s->meta))) {
        rc = mrc == MDB_NOTFOUND ? syndic__error(SYNDIC_EINVAL, "%s: not a syndic state", dir)
                                 : lmdb_error(mrc, dir);
        goto fail;
    }
    MDB_val hk = val("header", 6), hv;
    mrc = mdb_get(txn, s->meta, &hk, &hv);
    header want;
    if (mrc == MDB_NOTFOUND) {
        if (o->read_only) { rc = syndic__error(SYNDIC_EINVAL, "%s: not a syndic state", dir); goto fail; }
        make_header(&want, &s->params, o);
        hv = val(&want, sizeof want);
        if ((mrc = mdb_put(txn, s->meta, &hk, &hv, 0))) { rc = lmdb_error(mrc, dir); goto fail; }
    } else if (mrc) {
        rc = lmdb_error(mrc, dir);
        goto fail;
    } else {
        header have;
        if (hv.mv_size != sizeof have || memcmp(hv.mv_data, STATE_MAGIC, 8) != 0) {
            rc = syndic__error(SYNDIC_EINVAL, "%s: not a syndic state of this format", dir);
            goto fail;
        }
        memcpy(&have, hv.mv_data, sizeof have);
        if (have.format != STATE_FORMAT) {
            rc = syndic__error(SYNDIC_EINVAL,
                               "%s: state format %u, this version reads format %u only (%s); "
                               "ingest the input again into a new state", dir, have.format,
                               STATE_FORMAT,
                               have.format == 1 ? "format 1 kept its LSH postings in LMDB"
                                                : "a newer syndic made it");
            goto fail;
        }
        if (params) {
            make_header(&want, &s->params, o);
            if (o->read_only) { want.template_docs = have.template_docs; want.window = have.window; }
            if ((rc = compare_header(dir, &have, &want)) < 0) goto fail;
        } else {
            params_of_header(&s->params, &have);
        }
        s->opts.template_docs = have.template_docs;
        s->opts.window = have.window;
    }
    struct { const char *name; MDB_dbi *dbi; unsigned flags; } dbs[] = {
        {"docs", &s->docs, MDB_INTEGERKEY},
        {"stories", &s->stories, MDB_INTEGERKEY},
        {"linelog", &s->linelog, MDB_INTEGERKEY},
    };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        if ((mrc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | create, dbs[i].dbi))) {
            rc = mrc == MDB_NOTFOUND ? syndic__error(SYNDIC_EINVAL, "%s: not a syndic state", dir)
                                     : lmdb_error(mrc, dir);
            goto fail;
        }
    }
    if ((rc = load_counters(s, txn, &s->ctr)) < 0) goto fail;
    s->ctr_committed = s->ctr;
    const size_t k = s->params.num_hashes;
    if (!(s->sig = syndic__reallocarray(NULL, 3 * k, sizeof *s->sig))) { rc = syndic__oom(); goto fail; }
    s->sig_a = s->sig + k;
    s->sig_b = s->sig + 2 * k;
    s->vt.k = (unsigned)k;
    if (!o->read_only && (rc = rebuild(s, txn)) < 0) goto fail;
    /* Committed, read-only too: DBI handles opened in an aborted
     * transaction are closed with it. */
    if ((mrc = mdb_txn_commit(txn))) { txn = NULL; rc = lmdb_error(mrc, dir); goto fail; }
    txn = NULL;
    s->open_seconds = now_seconds() - t0;
    *out = s;
    return SYNDIC_OK;
fail:
    if (txn) mdb_txn_abort(txn);
    syndic_state_free(s);
    return rc;
}

/* ---- records ---- */

static int parse_doc(syndic_state *s, uint64_t seq, const MDB_val *v, uint32_t *sig, loaded *out)
{
    const size_t kb = (size_t)s->params.num_hashes * sizeof *sig;
    if (v->mv_size < sizeof out->h + kb)
        return syndic__error(SYNDIC_EIO, "%s: article %llu: short record", s->dir,
                             (unsigned long long)seq);
    const char *p = v->mv_data;
    memcpy(&out->h, p, sizeof out->h);
    out->sig = sig;
    if (sig) memcpy(sig, p + sizeof out->h, kb);
    const char *str = p + sizeof out->h + kb, *end = p + v->mv_size;
    const char **dst[6] = {&out->id, &out->outlet, &out->date, &out->title, &out->url, &out->match};
    for (int i = 0; i < 6; i++) {
        if ((size_t)(end - str) < (size_t)out->h.lens[i] + 1 || str[out->h.lens[i]] != 0)
            return syndic__error(SYNDIC_EIO, "%s: article %llu: bad record", s->dir,
                                 (unsigned long long)seq);
        *dst[i] = str;
        str += out->h.lens[i] + 1;
    }
    return 1;
}

static int load_doc(syndic_state *s, MDB_txn *txn, uint64_t seq, uint32_t *sig, loaded *out)
{
    MDB_val k = val(&seq, sizeof seq), v;
    int rc = mdb_get(txn, s->docs, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return lmdb_error(rc, s->dir);
    return parse_doc(s, seq, &v, sig, out);
}

static int get_story(syndic_state *s, MDB_txn *txn, uint64_t id, story_rec *st,
                     const char **origin, const char **outlet)
{
    MDB_val k = val(&id, sizeof id), v;
    int rc = mdb_get(txn, s->stories, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return lmdb_error(rc, s->dir);
    if (v.mv_size < sizeof *st) return syndic__error(SYNDIC_EIO, "%s: bad story record", s->dir);
    memcpy(st, v.mv_data, sizeof *st);
    if (origin) *origin = (const char *)v.mv_data + sizeof *st;
    if (outlet) *outlet = (const char *)v.mv_data + sizeof *st + st->origin_len + 1;
    return 1;
}

static int put_story(syndic_state *s, uint64_t id, const story_rec *st, const char *origin,
                     const char *outlet)
{
    s->rec.len = 0;
    if (syndic__buf_append(&s->rec, (const char *)st, sizeof *st) < 0 ||
        syndic__buf_append(&s->rec, origin, st->origin_len + 1) < 0 ||
        syndic__buf_append(&s->rec, outlet, st->outlet_len + 1) < 0)
        return syndic__oom();
    MDB_val k = val(&id, sizeof id), v = val(s->rec.data, s->rec.len);
    int rc = mdb_put(s->txn, s->stories, &k, &v, MDB_APPEND);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

/* Story `id`'s record with its strings copied to the side: put_story reuses
 * the scratch buffer and LMDB pointers die with the next write. */
typedef struct story_copy {
    story_rec rec;
    char origin[MAX_ID_KEY + 1], outlet[256];
} story_copy;

static int read_story(syndic_state *s, uint64_t id, story_copy *c)
{
    const char *o = NULL, *ou = NULL;
    int rc = get_story(s, s->txn, id, &c->rec, &o, &ou);
    if (rc <= 0) return rc;
    /* Keep the stored lengths consistent with the copies. */
    if (c->rec.origin_len > MAX_ID_KEY) c->rec.origin_len = MAX_ID_KEY;
    if (c->rec.outlet_len > 255) c->rec.outlet_len = 255;
    memcpy(c->origin, o, c->rec.origin_len);
    c->origin[c->rec.origin_len] = 0;
    memcpy(c->outlet, ou, c->rec.outlet_len);
    c->outlet[c->rec.outlet_len] = 0;
    return 1;
}

/* ---- eviction ---- */

static int evict_one(syndic_state *s, uint64_t seq)
{
    const syndic_params *p = &s->params;
    loaded d;
    int rc = load_doc(s, s->txn, seq, s->sig_a, &d);
    if (rc < 0) return rc;
    if (rc > 0) {
        if (d.h.shingles) {
            for (unsigned b = 0; b < p->bands; b++)
                syndic__ix_remove(&s->bands, syndic__band_key(s->sig_a, b, p->rows, p->seed),
                                  (uint32_t)seq);
            s->ctr.indexed--;
        }
        syndic__ix_remove(&s->ids, id_hash(d.id, d.h.lens[0]), (uint32_t)seq);
        syndic__vtab_kill(&s->vt, seq);
        uint64_t story = d.h.story;
        uint32_t left;
        int mrc;
        if ((rc = syndic__live_add(&s->live, story, -1, &left)) < 0) return rc;
        if (left == 0) {
            MDB_val sk = val(&story, sizeof story);
            mrc = mdb_del(s->txn, s->stories, &sk, NULL);
            if (mrc && mrc != MDB_NOTFOUND) return lmdb_error(mrc, s->dir);
        }
        MDB_val dk = val(&seq, sizeof seq);
        if ((mrc = mdb_del(s->txn, s->docs, &dk, NULL))) return lmdb_error(mrc, s->dir);
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

static size_t measure(const char *s, size_t len) { return s && len == 0 ? strlen(s) : len; }

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
    if (!doc || !doc->id || !measure(doc->id, doc->id_len) || !doc->text)
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
        p->lens[i] = src[i] ? measure(src[i], srclen[i]) : 0;
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
    MDB_val k = val(&seq, sizeof seq), v = val(s->rec.data, s->rec.len);
    int rc = mdb_put(s->txn, s->linelog, &k, &v, MDB_APPEND);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

/* ---- submit ---- */

static int begin(syndic_state *s)
{
    if (s->txn) return SYNDIC_OK;
    if (s->opts.read_only) return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (rc) { s->txn = NULL; return lmdb_error(rc, s->dir); }
    if (s->stale && (rc = rebuild(s, s->txn)) < 0) {
        mdb_txn_abort(s->txn);
        s->txn = NULL;
        return rc;
    }
    return SYNDIC_OK;
}

static void abort_batch(syndic_state *s)
{
    if (s->txn) mdb_txn_abort(s->txn);
    s->txn = NULL;
    s->pending = 0;
    s->ctr = s->ctr_committed;
    s->stale = true;
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
    int rc = load_doc(s, s->txn, seq, NULL, &d);
    if (rc <= 0) return rc < 0 ? rc : syndic__error(SYNDIC_EIO, "%s: id without article", s->dir);
    story_copy st;
    const char *origin = d.id;
    size_t origin_len = d.h.lens[0];
    if ((rc = read_story(s, d.h.story, &st)) < 0) return rc;
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
            s->cands[s->cand_count++] = seq_of_ref(s->ctr.next_seq, refs[i]);
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
    uint32_t n = syndic__ix_get(&s->ids, id_hash(id, len), &refs);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t q = seq_of_ref(s->ctr.next_seq, refs[i]);
        loaded d;
        int rc = load_doc(s, s->txn, q, NULL, &d);
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
    MDB_cursor *c;
    int rc = mdb_cursor_open(s->txn, s->docs, &c);
    if (rc) return lmdb_error(rc, s->dir);
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    uint64_t first = seq;
    if (rc == 0) memcpy(&first, k.mv_data, sizeof first);
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return lmdb_error(rc, s->dir);
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
        if ((rc = read_story(s, m->story, &st)) < 0) goto out;
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
        if ((rc = load_doc(s, s->txn, match_seq, NULL, &match)) <= 0) {
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
    if (!copy && (rc = put_story(s, h.story, &st.rec, st.origin, st.outlet)) < 0) goto out;

    /* 6. Store the article (appended), then index it in memory. */
    for (int i = 0; i < 5; i++) h.lens[i] = (uint32_t)lens[i];
    h.lens[5] = (uint32_t)match_len;
    s->rec.len = 0;
    if (syndic__buf_append(&s->rec, (const char *)&h, sizeof h) < 0 ||
        syndic__buf_append(&s->rec, (const char *)pr->sig, k * sizeof *pr->sig) < 0) {
        rc = syndic__oom();
        goto out;
    }
    for (int i = 0; i < 5; i++)
        if (syndic__buf_append(&s->rec, fields[i], lens[i] + 1) < 0) {
            rc = syndic__oom();
            goto out;
        }
    if (syndic__buf_append(&s->rec, match_id, match_len + 1) < 0) { rc = syndic__oom(); goto out; }
    MDB_val dk = val(&seq, sizeof seq), dv = val(s->rec.data, s->rec.len);
    int mrc = mdb_put(s->txn, s->docs, &dk, &dv, MDB_APPEND);
    if (mrc) { rc = lmdb_error(mrc, s->dir); goto out; }
    loaded self = {h, pr->sig, fields[0], fields[1], fields[2], fields[3], fields[4], match_id};
    if ((rc = index_doc(s, seq, &self, pr->sig, false)) < 0) goto out;
    if (h.shingles) s->ctr.indexed++;
    s->ctr.next_seq++;
    MDB_val ck = val("counters", 8), cv = val(&s->ctr, sizeof s->ctr);
    if ((mrc = mdb_put(s->txn, s->meta, &ck, &cv, 0))) { rc = lmdb_error(mrc, s->dir); goto out; }

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

int syndic_state_submit_prepared(syndic_state *s, syndic_state_prep *p,
                                 syndic_ingest_verdict *out)
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

int syndic_state_submit(syndic_state *s, const syndic_doc *doc, int64_t arrival,
                        syndic_ingest_verdict *out)
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
    return syndic_state_submit_prepared(s, s->own, out);
}

int syndic_state_commit(syndic_state *s)
{
    if (!s->txn) return SYNDIC_OK;
    int rc = mdb_txn_commit(s->txn);
    s->txn = NULL;
    s->pending = 0;
    if (rc) {
        s->ctr = s->ctr_committed;
        s->stale = true;
        return lmdb_error(rc, s->dir);
    }
    s->ctr_committed = s->ctr;
    atomic_fetch_add_explicit(&s->commits, 1, memory_order_release);
    return SYNDIC_OK;
}

int syndic_state_sync(syndic_state *s, uint64_t *durable)
{
    uint64_t upto = atomic_load_explicit(&s->commits, memory_order_acquire);
    if (s->opts.read_only) return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    int rc = mdb_env_sync(s->env, 1);
    if (rc) return lmdb_error(rc, s->dir);
    if (durable) *durable = upto;
    return SYNDIC_OK;
}

/* ---- readers ---- */

static int read_txn(syndic_state *s, MDB_txn **txn)
{
    if (s->txn) { *txn = s->txn; return SYNDIC_OK; } /* a writer sees its own batch */
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

static void end_read(syndic_state *s, MDB_txn *txn)
{
    if (txn != s->txn) mdb_txn_abort(txn);
}

int syndic_state_get_stats(syndic_state *s, syndic_state_stats *out)
{
    memset(out, 0, sizeof *out);
    MDB_txn *txn;
    int rc = read_txn(s, &txn);
    if (rc < 0) return rc;
    MDB_stat st;
    uint64_t pages = 0;
    MDB_dbi all[] = {s->meta, s->docs, s->stories, s->linelog};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if ((rc = mdb_stat(txn, all[i], &st))) goto fail;
        pages += st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages;
        if (all[i] == s->docs) out->documents = st.ms_entries;
        if (all[i] == s->stories) out->stories = st.ms_entries;
    }
    if ((rc = mdb_env_stat(s->env, &st))) goto fail;
    out->used_bytes = (pages + st.ms_branch_pages + st.ms_leaf_pages + 2) * st.ms_psize;
    counters c = {0};
    if ((rc = load_counters(s, txn, &c)) < 0) { end_read(s, txn); return rc; }
    out->submitted = c.next_seq - 1;
    out->stories_ever = c.next_story - 1;
    out->evicted = c.evicted;
    out->newest = c.newest;
    out->postings = c.indexed * s->params.bands;
    out->lines = c.lines;
    out->templates = c.templates;
    end_read(s, txn);
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", s->dir);
    struct stat sb;
    if (stat(path, &sb) == 0) out->file_bytes = (uint64_t)sb.st_size;
    return SYNDIC_OK;
fail:
    end_read(s, txn);
    return lmdb_error(rc, s->dir);
}

int syndic_state_foreach(syndic_state *s, int (*fn)(void *ctx, const syndic_state_doc *d),
                         void *ctx)
{
    MDB_txn *txn;
    int rc = read_txn(s, &txn);
    if (rc < 0) return rc;
    MDB_cursor *cur;
    if ((rc = mdb_cursor_open(txn, s->docs, &cur))) {
        end_read(s, txn);
        return lmdb_error(rc, s->dir);
    }
    MDB_val k, v;
    int result = SYNDIC_OK;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        loaded d;
        if ((result = parse_doc(s, seq, &v, s->sig_a, &d)) < 0) break;
        syndic_state_doc sd = {seq, d.h.story, d.id, d.outlet, d.date, d.title, d.url,
                               d.h.has_time, d.h.time, d.h.arrival, d.h.shingles, s->sig_a};
        if ((result = fn(ctx, &sd)) != 0) break;
    }
    mdb_cursor_close(cur);
    end_read(s, txn);
    if (result != 0) return result;
    return rc == MDB_NOTFOUND ? SYNDIC_OK : lmdb_error(rc, s->dir);
}

/* ---- integrity ---- */

/* Counts a problem; the first one becomes the last error. */
#define problem(n, ...)                                                        \
    do {                                                                       \
        if ((*(n))++ == 0) syndic__error(SYNDIC_EIO, __VA_ARGS__);             \
    } while (0)

/* Every article readable (its signature whole, its strings terminated), with
 * a story and a seq below the next one; no id twice; the counters agree with
 * the articles, the stories' live counts with their members, the template
 * counts with a replay of the line log; a writer's in-memory index holds
 * every article's postings and id. */
int syndic_state_verify(syndic_state *s, uint64_t *problems)
{
    *problems = 0;
    uint64_t *np = problems;
    const syndic_params *p = &s->params;
    MDB_txn *txn;
    int rc = read_txn(s, &txn);
    if (rc < 0) return rc;
    MDB_cursor *cur = NULL;
    syndic_ix ids = {0};
    syndic_lines lines = {0};
    lines.min_docs = s->opts.template_docs;
    uint64_t *live = NULL;
    counters ctr = {0};
    if ((rc = load_counters(s, txn, &ctr)) < 0) goto out;
    /* story -> members seen, indexed by story id */
    size_t live_cap = (size_t)ctr.next_story + 1;
    if (!(live = syndic__calloc(live_cap, sizeof *live))) { rc = syndic__oom(); goto out; }
    int mrc = mdb_cursor_open(txn, s->docs, &cur);
    if (mrc) { rc = lmdb_error(mrc, s->dir); goto out; }
    MDB_val k, v;
    uint64_t docs = 0, indexed = 0;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        if (k.mv_size != sizeof seq) { problem(np, "a docs key of %zu bytes", k.mv_size); continue; }
        memcpy(&seq, k.mv_data, sizeof seq);
        loaded d;
        if (parse_doc(s, seq, &v, s->sig_a, &d) < 0) {
            problem(np, "article %llu unreadable (short record or bad strings)",
                    (unsigned long long)seq);
            continue;
        }
        docs++;
        if (seq >= ctr.next_seq)
            problem(np, "%s: article %llu at or past the next seq %llu", d.id,
                    (unsigned long long)seq, (unsigned long long)ctr.next_seq);
        if (d.h.shingles) indexed++;
        if (d.h.kind != SYNDIC_INGEST_NEW && d.h.kind != SYNDIC_INGEST_COPY)
            problem(np, "%s: article %llu has verdict %u", d.id, (unsigned long long)seq, d.h.kind);
        uint64_t h = id_hash(d.id, d.h.lens[0]);
        const uint32_t *refs;
        uint32_t n = syndic__ix_get(&ids, h, &refs);
        for (uint32_t i = 0; i < n; i++) {
            loaded o;
            uint64_t q = seq_of_ref(ctr.next_seq, refs[i]);
            if (load_doc(s, txn, q, NULL, &o) > 0 && o.h.lens[0] == d.h.lens[0] &&
                memcmp(o.id, d.id, d.h.lens[0]) == 0)
                problem(np, "%s: stored twice (articles %llu and %llu)", d.id,
                        (unsigned long long)q, (unsigned long long)seq);
        }
        if ((rc = syndic__ix_add(&ids, h, (uint32_t)seq)) < 0) goto out;
        story_rec st;
        if (get_story(s, txn, d.h.story, &st, NULL, NULL) <= 0)
            problem(np, "%s: article %llu has no story", d.id, (unsigned long long)seq);
        else if (d.h.story < live_cap)
            live[d.h.story]++;
        if (!s->opts.read_only) {
            const vdoc *m = syndic__vtab_get(&s->vt, seq);
            if (!m || m->story != d.h.story || m->shingles != d.h.shingles ||
                memcmp(syndic__vtab_sig(&s->vt, seq), s->sig_a,
                       p->num_hashes * sizeof *s->sig_a) != 0)
                problem(np, "%s: article %llu differs in memory", d.id, (unsigned long long)seq);
        }
        if (!s->opts.read_only && d.h.shingles) {
            /* A writer: its postings must be in memory. */
            for (unsigned b = 0; b < p->bands; b++) {
                const uint32_t *r;
                uint32_t m = syndic__ix_get(&s->bands,
                                            syndic__band_key(s->sig_a, b, p->rows, p->seed), &r);
                bool found = false;
                for (uint32_t i = 0; i < m && !found; i++) found = r[i] == (uint32_t)seq;
                if (!found) {
                    problem(np, "%s: article %llu misses a posting", d.id, (unsigned long long)seq);
                    break;
                }
            }
        }
    }
    mdb_cursor_close(cur);
    cur = NULL;
    if (mrc != MDB_NOTFOUND) { rc = lmdb_error(mrc, s->dir); goto out; }
    if (docs + ctr.evicted + 1 != ctr.next_seq)
        problem(np, "%llu articles, but %llu submitted and %llu evicted", (unsigned long long)docs,
                (unsigned long long)(ctr.next_seq - 1), (unsigned long long)ctr.evicted);
    if (indexed != ctr.indexed)
        problem(np, "%llu articles with words, the counters say %llu", (unsigned long long)indexed,
                (unsigned long long)ctr.indexed);
    if (!s->opts.read_only && (s->bands.refs != indexed * p->bands || s->ids.refs != docs))
        problem(np, "the in-memory index holds %zu postings and %zu ids for %llu articles",
                s->bands.refs, s->ids.refs, (unsigned long long)docs);
    if ((mrc = mdb_cursor_open(txn, s->stories, &cur))) { rc = lmdb_error(mrc, s->dir); goto out; }
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t id;
        story_rec sr;
        if (k.mv_size != sizeof id || v.mv_size < sizeof sr) { problem(np, "a bad story record"); continue; }
        memcpy(&id, k.mv_data, sizeof id);
        memcpy(&sr, v.mv_data, sizeof sr);
        uint64_t seen = id < live_cap ? live[id] : 0;
        if (id >= ctr.next_story)
            problem(np, "story %llu at or past the next story id", (unsigned long long)id);
        if (v.mv_size != sizeof sr + sr.origin_len + 1 + sr.outlet_len + 1)
            problem(np, "story %llu: bad record", (unsigned long long)id);
        if (seen == 0)
            problem(np, "story %llu has no article", (unsigned long long)id);
        if (!s->opts.read_only && syndic__live_get(&s->live, id) != seen)
            problem(np, "story %llu: %u members in memory, %llu found", (unsigned long long)id,
                    syndic__live_get(&s->live, id), (unsigned long long)seen);
        if (id < live_cap) live[id] = 0; /* seen */
    }
    mdb_cursor_close(cur);
    cur = NULL;
    if (mrc != MDB_NOTFOUND) { rc = lmdb_error(mrc, s->dir); goto out; }
    /* The line log replays to the counted lines and templates. */
    if ((mrc = mdb_cursor_open(txn, s->linelog, &cur))) { rc = lmdb_error(mrc, s->dir); goto out; }
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        size_t n = v.mv_size >= 4 ? (v.mv_size - 4) / 8 : 0;
        if (v.mv_size < 4 || v.mv_size != 4 + 8 * n || seq >= ctr.next_seq) {
            problem(np, "line log entry of article %llu: bad", (unsigned long long)seq);
            continue;
        }
        uint32_t fp;
        memcpy(&fp, v.mv_data, 4);
        for (size_t i = 0; i < n; i++) {
            uint64_t key;
            bool became;
            memcpy(&key, (const char *)v.mv_data + 4 + 8 * i, 8);
            if ((rc = syndic__lines_observe(&lines, key, fp, &became)) < 0) goto out;
        }
    }
    if (mrc != MDB_NOTFOUND) { rc = lmdb_error(mrc, s->dir); goto out; }
    if (lines.count != ctr.lines || lines.templates != ctr.templates)
        problem(np, "the line log replays to %zu lines and %zu templates, the counters say "
                "%llu and %llu", lines.count, lines.templates, (unsigned long long)ctr.lines,
                (unsigned long long)ctr.templates);
    rc = SYNDIC_OK;
out:
    if (cur) mdb_cursor_close(cur);
    end_read(s, txn);
    syndic__ix_free(&ids);
    syndic__lines_free(&lines);
    syndic__free(live);
    return rc;
}

int syndic_state_copy(syndic_state *s, const char *dest)
{
    if (mkdir(dest, 0777) != 0 && errno != EEXIST)
        return syndic__error(SYNDIC_EIO, "%s: %s", dest, strerror(errno));
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    if (access(path, F_OK) == 0)
        return syndic__error(SYNDIC_EIO, "%s: already holds a state", dest);
    int rc = mdb_env_copy2(s->env, dest, MDB_CP_COMPACT);
    return rc ? lmdb_error(rc, dest) : SYNDIC_OK;
}
