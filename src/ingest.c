/*
 * ingest.c - feed ingest: a verdict per arriving article, against a state
 * kept in LMDB that survives restarts and crashes.
 *
 * The batch (batch.c) sees the whole corpus, then links; ingest sees one
 * article at a time and must answer at once: "is this a story we have?". It
 * runs the same stages - normalize, template lines dropped, shingle, sketch,
 * LSH bands - against a persistent index, and verifies each candidate with
 * the batch's own verification (evidence.c).
 *
 * Layout: one LMDB environment (a directory: data.mdb, lock.mdb) with named
 * databases; integers are native-endian (the state is not portable between
 * architectures; the header records the byte order through its magic):
 *
 *   meta     "header"   magic "SYNDICST", format version, every field of the
 *                       resolved syndic_params, template_docs, window
 *            "counters" next article seq, next story id, newest time, evicted
 *   docs     seq (u64)  -> doc_head | signature (K x u32) | id | outlet |
 *                          date | title | url | match id (NUL-terminated)
 *   ids      id bytes   -> seq (ids over MAX_ID_KEY bytes: a prefix + XXH3-128)
 *   bands    band key   -> seq, seq, ... (MDB_DUPSORT|MDB_DUPFIXED): postings
 *   stories  story id   -> story_rec | origin id | origin outlet
 *   times    (time, seq) big-endian, time biased -> (empty): eviction order
 *   lines    line key   -> line_rec: template line counts
 *
 * Submitting an article (syndic_state_submit), all in the open write
 * transaction:
 *  1. its id in `ids`: already there -> DUPLICATE, the stored verdict again;
 *  2. newest time := max(newest, its time); with a window, evict every
 *     article whose time (the date, else the arrival time) is older than
 *     newest - window: its postings, id, time entry and record go, and its
 *     story's live count drops (the story record goes at 0);
 *  3. normalize it a line at a time, dropping lines that are templates of its
 *     outlet *now*, then count its short lines (the learner's rule, exactly:
 *     a line seen in template_docs articles with 2+ different contents);
 *  4. candidates = union of the postings of its band keys (a bucket that
 *     would exceed max_bucket is skipped, as in the batch); verify each;
 *  5. the match is the verified candidate of most equal signature values
 *     (ties: the earliest), whose story passes the batch's chaining guard for
 *     a single article: time-compatible with the story's origin and similar
 *     to it at guard x threshold (when the origin is evicted, only time is
 *     checked). Copy of its story; no match: a new story.
 *
 * Every step depends only on the state and the article, never on the clock
 * (except arrival for undated articles) or on where commits fall: so a run
 * interrupted anywhere and resumed from its input's start ends in the same
 * state as an uninterrupted one. Commits are the caller's; the verdict of an
 * article must be published only after the commit that holds it.
 *
 * Differences from the batch (measured in docs/ingest.md): templates are
 * learned as articles come, so the first articles of an outlet are sketched
 * with its template lines in; an article joins one story and never merges
 * two (the batch's union-find can join two clusters through a later bridge);
 * a copy older than the window's reach finds nothing and starts a story.
 */
#define _DEFAULT_SOURCE /* flock */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <math.h>
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
#define STATE_FORMAT 1
#define MAX_ID_KEY 400
#define MAX_TEMPLATE_WORDS 40 /* as templates.c */
#define FINGERPRINTS 4        /* as templates.c */

typedef struct header {
    char magic[8];
    uint32_t format, params_version;
    uint32_t shingle_words, num_hashes, bands, rows;
    double threshold;
    uint64_t seed;
    uint32_t max_bucket, min_shared;
    int64_t max_gap, same_outlet_gap;
    double guard, numbers, containment, lsh_threshold;
    uint32_t template_docs, pad;
    int64_t window;
} header;

typedef struct counters {
    uint64_t next_seq, next_story, evicted;
    int64_t newest;
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

typedef struct story_rec {
    uint64_t origin_seq;
    int64_t origin_time, last_time;
    uint32_t live, total;
    uint8_t origin_has_time, pad[3];
    uint32_t origin_len, outlet_len;
} story_rec;

typedef struct line_rec {
    uint32_t docs, fp_count;
    uint32_t fps[FINGERPRINTS];
} line_rec;

/* An article read back from `docs`: signature copied (LMDB values are only
 * 2-byte aligned), strings pointing into the map. */
typedef struct loaded {
    doc_head h;
    uint32_t *sig;
    const char *id, *outlet, *date, *title, *url, *match;
} loaded;

struct syndic_state {
    syndic_params params;
    syndic_state_options opts;
    char *dir;
    MDB_env *env;
    MDB_dbi meta, docs, ids, bands, stories, times, lines;
    MDB_txn *txn;          /* the open write transaction, or NULL */
    size_t pending;
    counters ctr, ctr_committed;
    int lock_fd;           /* flock on DIR/writer.lock for a writer */
    syndic_words words;
    uint64_t *hashes;
    size_t hash_count, hash_cap;
    syndic_words title_scratch;
    uint64_t *line_keys;   /* short-line keys of the current article */
    size_t line_key_count, line_key_cap;
    uint64_t *cands;
    size_t cand_count, cand_cap;
    uint32_t *sig, *sig_a, *sig_b; /* scratch signatures */
    syndic_buf rec;        /* scratch record */
    syndic_buf vbuf;       /* verdict strings */
    bool failed;           /* an error inside the line filter */
    int filter_rc;
};

const char *syndic_ingest_kind_name(syndic_ingest_kind k)
{
    static const char *names[] = {"new", "copy", "duplicate", "rejected"};
    return (unsigned)k < 4 ? names[k] : "unknown";
}

const syndic_params *syndic_state_params(const syndic_state *s) { return &s->params; }
size_t syndic_state_pending(const syndic_state *s) { return s->pending; }

static int lmdb_error(int rc, const char *what)
{
    int status = rc == ENOMEM ? SYNDIC_ENOMEM : SYNDIC_EIO;
    if (rc == MDB_MAP_FULL)
        return syndic__error(status, "%s: the state is full (map size); open it with a larger "
                                     "map_size", what);
    return syndic__error(status, "%s: %s", what, mdb_strerror(rc));
}

/* ---- keys ---- */

static MDB_val val(const void *p, size_t n) { return (MDB_val){n, (void *)(uintptr_t)p}; }

/* The `ids` key: the id itself, or for a very long id a prefix and a hash
 * (LMDB keys are at most 511 bytes). */
static size_t id_key(char *out, const char *id, size_t len)
{
    if (len <= MAX_ID_KEY) { memcpy(out, id, len); return len; }
    memcpy(out, id, MAX_ID_KEY - 16);
    XXH128_hash_t h = XXH3_128bits(id, len);
    memcpy(out + MAX_ID_KEY - 16, &h.high64, 8);
    memcpy(out + MAX_ID_KEY - 8, &h.low64, 8);
    return MAX_ID_KEY;
}

/* `times` key: big-endian (time + 2^63, seq), so byte order is time order. */
static void time_key(unsigned char out[16], int64_t t, uint64_t seq)
{
    uint64_t u = (uint64_t)t ^ UINT64_C(0x8000000000000000);
    for (int i = 0; i < 8; i++) {
        out[i] = (unsigned char)(u >> (56 - 8 * i));
        out[8 + i] = (unsigned char)(seq >> (56 - 8 * i));
    }
}

static int64_t time_of_key(const unsigned char *k)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) u = u << 8 | k[i];
    return (int64_t)(u ^ UINT64_C(0x8000000000000000));
}

static uint64_t seq_of_key(const unsigned char *k)
{
    uint64_t u = 0;
    for (int i = 8; i < 16; i++) u = u << 8 | k[i];
    return u;
}

/* ---- header ---- */

static void make_header(header *h, const syndic_params *p, const syndic_state_options *o)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, STATE_MAGIC, 8);
    h->format = STATE_FORMAT;
    h->params_version = p->version;
    h->shingle_words = p->shingle_words;
    h->num_hashes = p->num_hashes;
    h->bands = p->bands;
    h->rows = p->rows;
    h->threshold = p->threshold;
    h->seed = p->seed;
    h->max_bucket = p->max_bucket;
    h->min_shared = p->min_shared;
    h->max_gap = p->max_gap;
    h->same_outlet_gap = p->same_outlet_gap;
    h->guard = p->guard;
    h->numbers = p->numbers;
    h->containment = p->containment;
    h->lsh_threshold = p->lsh_threshold;
    h->template_docs = o->template_docs;
    h->window = o->window;
}

static void params_of_header(syndic_params *p, const header *h)
{
    *p = (syndic_params)SYNDIC_PARAMS_INIT;
    p->shingle_words = h->shingle_words;
    p->num_hashes = h->num_hashes;
    p->bands = h->bands;
    p->rows = h->rows;
    p->threshold = h->threshold;
    p->seed = h->seed;
    p->max_bucket = h->max_bucket;
    p->min_shared = h->min_shared;
    p->max_gap = h->max_gap;
    p->same_outlet_gap = h->same_outlet_gap;
    p->guard = h->guard;
    p->numbers = h->numbers;
    p->containment = h->containment;
    p->lsh_threshold = h->lsh_threshold;
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
#define CMP_D(f)                                                                       \
    if (memcmp(&have->f, &want->f, sizeof have->f) != 0)                               \
        return syndic__error(SYNDIC_EINVAL, "state %s was made with %s %g, not %g "       \
                             "(a state keeps its parameters)", dir, #f, have->f, want->f);
    CMP_U(params_version) CMP_U(shingle_words) CMP_U(num_hashes) CMP_U(bands) CMP_U(rows)
    CMP_D(threshold) CMP_U(seed) CMP_U(max_bucket) CMP_U(min_shared) CMP_I(max_gap)
    CMP_I(same_outlet_gap) CMP_D(guard) CMP_D(numbers) CMP_D(containment)
    CMP_D(lsh_threshold) CMP_U(template_docs) CMP_I(window)
#undef CMP_U
#undef CMP_I
#undef CMP_D
    return SYNDIC_OK;
}

/* ---- open and close ---- */

void syndic_state_free(syndic_state *s)
{
    if (!s) return;
    if (s->txn) mdb_txn_abort(s->txn);
    if (s->env) mdb_env_close(s->env);
    if (s->lock_fd >= 0) close(s->lock_fd);
    syndic__free(s->dir);
    syndic__words_free(&s->words);
    syndic__words_free(&s->title_scratch);
    syndic__free(s->hashes);
    syndic__free(s->line_keys);
    syndic__free(s->cands);
    syndic__free(s->sig);
    syndic__buf_free(&s->rec);
    syndic__buf_free(&s->vbuf);
    syndic__free(s);
}

static int load_counters(syndic_state *s, MDB_txn *txn)
{
    MDB_val k = val("counters", 8), v;
    int rc = mdb_get(txn, s->meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        s->ctr = (counters){1, 1, 0, INT64_MIN};
        return SYNDIC_OK;
    }
    if (rc) return lmdb_error(rc, s->dir);
    if (v.mv_size != sizeof s->ctr) return syndic__error(SYNDIC_EINVAL, "%s: bad counters", s->dir);
    memcpy(&s->ctr, v.mv_data, sizeof s->ctr);
    return SYNDIC_OK;
}

int syndic_state_open(syndic_state **out, const char *dir, const syndic_params *params,
                      const syndic_state_options *options)
{
    *out = NULL;
    syndic_state_options defaults = SYNDIC_STATE_OPTIONS_INIT;
    const syndic_state_options *o = options ? options : &defaults;
    if (!dir || !*dir) return syndic__error(SYNDIC_EINVAL, "a state needs a directory");
    if (!params && !o->read_only)
        return syndic__error(SYNDIC_EINVAL, "a state opened for writing needs params");
    if (o->window < 0) return syndic__error(SYNDIC_EINVAL, "window must not be negative");
    syndic_state *s = syndic__calloc(1, sizeof *s);
    if (!s) return syndic__oom();
    s->lock_fd = -1;
    s->opts = *o;
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
    unsigned flags = MDB_NOTLS | (o->read_only ? MDB_RDONLY : 0) | (o->sync ? 0 : MDB_NOSYNC);
    if (!mrc) mrc = mdb_env_open(s->env, dir, flags, 0666);
    if (mrc) { rc = lmdb_error(mrc, dir); goto fail; }
    mrc = mdb_txn_begin(s->env, NULL, o->read_only ? MDB_RDONLY : 0, &txn);
    if (mrc) { rc = lmdb_error(mrc, dir); goto fail; }
    unsigned create = o->read_only ? 0 : MDB_CREATE;
    struct { const char *name; MDB_dbi *dbi; unsigned flags; } dbs[] = {
        {"meta", &s->meta, 0},
        {"docs", &s->docs, MDB_INTEGERKEY},
        {"ids", &s->ids, 0},
        {"bands", &s->bands, MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP},
        {"stories", &s->stories, MDB_INTEGERKEY},
        {"times", &s->times, 0},
        {"lines", &s->lines, MDB_INTEGERKEY},
    };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        if ((mrc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | create, dbs[i].dbi))) {
            rc = mrc == MDB_NOTFOUND ? syndic__error(SYNDIC_EINVAL, "%s: not a syndic state", dir)
                                     : lmdb_error(mrc, dir);
            goto fail;
        }
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
            rc = syndic__error(SYNDIC_EINVAL, "%s: state format %u, this library reads %u", dir,
                               have.format, STATE_FORMAT);
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
    if ((rc = load_counters(s, txn)) < 0) goto fail;
    s->ctr_committed = s->ctr;
    /* Committed, read-only too: DBI handles opened in an aborted
     * transaction are closed with it. */
    if ((mrc = mdb_txn_commit(txn))) { txn = NULL; rc = lmdb_error(mrc, dir); goto fail; }
    txn = NULL;
    const size_t k = s->params.num_hashes;
    if (!(s->sig = syndic__reallocarray(NULL, 3 * k, sizeof *s->sig))) { rc = syndic__oom(); goto fail; }
    s->sig_a = s->sig + k;
    s->sig_b = s->sig + 2 * k;
    *out = s;
    return SYNDIC_OK;
fail:
    if (txn) mdb_txn_abort(txn);
    syndic_state_free(s);
    return rc;
}

/* ---- records ---- */

static int load_doc(syndic_state *s, MDB_txn *txn, uint64_t seq, uint32_t *sig, loaded *out)
{
    MDB_val k = val(&seq, sizeof seq), v;
    int rc = mdb_get(txn, s->docs, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return lmdb_error(rc, s->dir);
    const size_t kb = (size_t)s->params.num_hashes * sizeof *sig;
    if (v.mv_size < sizeof out->h + kb)
        return syndic__error(SYNDIC_EIO, "%s: article %llu: short record", s->dir,
                             (unsigned long long)seq);
    const char *p = v.mv_data;
    memcpy(&out->h, p, sizeof out->h);
    out->sig = sig;
    if (sig) memcpy(sig, p + sizeof out->h, kb);
    const char *str = p + sizeof out->h + kb, *end = p + v.mv_size;
    const char **dst[6] = {&out->id, &out->outlet, &out->date, &out->title, &out->url, &out->match};
    for (int i = 0; i < 6; i++) {
        if ((size_t)(end - str) < (size_t)out->h.lens[i] + 1)
            return syndic__error(SYNDIC_EIO, "%s: article %llu: bad record", s->dir,
                                 (unsigned long long)seq);
        *dst[i] = str;
        str += out->h.lens[i] + 1;
    }
    return 1;
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
    int rc = mdb_put(s->txn, s->stories, &k, &v, 0);
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

static int del_posting(syndic_state *s, uint64_t key, uint64_t seq)
{
    MDB_val k = val(&key, sizeof key), v = val(&seq, sizeof seq);
    int rc = mdb_del(s->txn, s->bands, &k, &v);
    return rc && rc != MDB_NOTFOUND ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

static int evict_one(syndic_state *s, uint64_t seq, const unsigned char *tkey)
{
    const syndic_params *p = &s->params;
    loaded d;
    int rc = load_doc(s, s->txn, seq, s->sig_a, &d);
    if (rc < 0) return rc;
    if (rc > 0) {
        if (d.h.shingles)
            for (unsigned b = 0; b < p->bands; b++)
                if ((rc = del_posting(s, syndic__band_key(s->sig_a, b, p->rows, p->seed), seq)) < 0)
                    return rc;
        char key[MAX_ID_KEY];
        MDB_val ik = val(key, id_key(key, d.id, d.h.lens[0]));
        int mrc = mdb_del(s->txn, s->ids, &ik, NULL);
        if (mrc && mrc != MDB_NOTFOUND) return lmdb_error(mrc, s->dir);
        uint64_t story = d.h.story;
        story_copy st;
        if ((rc = read_story(s, story, &st)) < 0) return rc;
        if (rc > 0) {
            MDB_val sk = val(&story, sizeof story);
            if (st.rec.live <= 1) {
                if ((mrc = mdb_del(s->txn, s->stories, &sk, NULL))) return lmdb_error(mrc, s->dir);
            } else {
                st.rec.live--;
                if ((rc = put_story(s, story, &st.rec, st.origin, st.outlet)) < 0) return rc;
            }
        }
        MDB_val dk = val(&seq, sizeof seq);
        if ((mrc = mdb_del(s->txn, s->docs, &dk, NULL))) return lmdb_error(mrc, s->dir);
    }
    MDB_val tk = val(tkey, 16);
    int mrc = mdb_del(s->txn, s->times, &tk, NULL);
    if (mrc && mrc != MDB_NOTFOUND) return lmdb_error(mrc, s->dir);
    s->ctr.evicted++;
    return SYNDIC_OK;
}

/* Evict every article older than newest - window. */
static int evict(syndic_state *s)
{
    if (!s->opts.window || s->ctr.newest == INT64_MIN) return SYNDIC_OK;
    int64_t cutoff = s->ctr.newest - s->opts.window;
    for (;;) {
        MDB_cursor *c;
        int rc = mdb_cursor_open(s->txn, s->times, &c);
        if (rc) return lmdb_error(rc, s->dir);
        MDB_val k, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
        unsigned char key[16];
        if (rc == 0 && k.mv_size == 16) memcpy(key, k.mv_data, 16);
        mdb_cursor_close(c);
        if (rc == MDB_NOTFOUND) return SYNDIC_OK;
        if (rc) return lmdb_error(rc, s->dir);
        if (k.mv_size != 16) return syndic__error(SYNDIC_EIO, "%s: bad time key", s->dir);
        if (time_of_key(key) >= cutoff) return SYNDIC_OK;
        if ((rc = evict_one(s, seq_of_key(key), key)) < 0) return rc;
    }
}

/* ---- templates ---- */

static bool is_template(const line_rec *r, unsigned min_docs)
{
    return r->docs >= min_docs && r->fp_count >= 2;
}

/* Line filter: drop the lines that are templates now; remember the short
 * lines' keys for counting afterwards. */
static bool ingest_line(void *ctx, const syndic_line *line)
{
    syndic_state *s = ctx;
    if (s->failed || line->words > MAX_TEMPLATE_WORDS) return true;
    bool keep = true;
    for (int i = 0; i < LINE_KEYS; i++) {
        uint64_t key = line->keys[i];
        if (!key) continue;
        if (syndic__grow(&s->line_keys, &s->line_key_cap, s->line_key_count + 1,
                         sizeof *s->line_keys) < 0) {
            s->failed = true;
            s->filter_rc = SYNDIC_ENOMEM;
            return true;
        }
        s->line_keys[s->line_key_count++] = key;
        if (!keep) continue;
        MDB_val k = val(&key, sizeof key), v;
        int rc = mdb_get(s->txn, s->lines, &k, &v);
        if (rc == 0 && v.mv_size == sizeof(line_rec)) {
            line_rec r;
            memcpy(&r, v.mv_data, sizeof r);
            if (is_template(&r, s->opts.template_docs)) keep = false;
        } else if (rc && rc != MDB_NOTFOUND) {
            s->failed = true;
            s->filter_rc = lmdb_error(rc, s->dir);
        }
    }
    return keep;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Count the article's short lines, with the learner's rule (templates.c):
 * the first sighting of a line is only remembered; from the second on, the
 * article's fingerprint (the hash of its longest raw line) is added. */
static int observe_lines(syndic_state *s, const char *text, size_t len)
{
    if (!s->line_key_count) return SYNDIC_OK;
    uint32_t fp = syndic__text_fingerprint(text, len);
    qsort(s->line_keys, s->line_key_count, sizeof *s->line_keys, cmp_u64);
    for (size_t i = 0; i < s->line_key_count; i++) {
        uint64_t key = s->line_keys[i];
        if (i > 0 && key == s->line_keys[i - 1]) continue;
        MDB_val k = val(&key, sizeof key), v;
        int rc = mdb_get(s->txn, s->lines, &k, &v);
        line_rec r = {0, 0, {0}};
        if (rc == 0 && v.mv_size == sizeof r) {
            memcpy(&r, v.mv_data, sizeof r);
            r.docs++;
            bool known = false;
            for (uint32_t f = 0; f < r.fp_count; f++) known |= r.fps[f] == fp;
            if (!known && r.fp_count < FINGERPRINTS) r.fps[r.fp_count++] = fp;
        } else if (rc == MDB_NOTFOUND || rc == 0) {
            r.docs = 1;
        } else {
            return lmdb_error(rc, s->dir);
        }
        /* A template stays one: its counts need no more updates. */
        v = val(&r, sizeof r);
        if ((rc = mdb_put(s->txn, s->lines, &k, &v, 0))) return lmdb_error(rc, s->dir);
    }
    return SYNDIC_OK;
}

/* ---- submit ---- */

static size_t measure(const char *s, size_t len) { return s && len == 0 ? strlen(s) : len; }

static int begin(syndic_state *s)
{
    if (s->txn) return SYNDIC_OK;
    if (s->opts.read_only) return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (rc) { s->txn = NULL; return lmdb_error(rc, s->dir); }
    return SYNDIC_OK;
}

static void abort_batch(syndic_state *s)
{
    if (s->txn) mdb_txn_abort(s->txn);
    s->txn = NULL;
    s->pending = 0;
    s->ctr = s->ctr_committed;
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
    if (rc > 0) { origin = st.origin; origin_len = st.rec.origin_len; out->story_size = st.rec.live; }
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

/* Candidates of the signature in s->sig: the union of its bands' postings. */
static int gather(syndic_state *s, const uint64_t *keys)
{
    const syndic_params *p = &s->params;
    s->cand_count = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(s->txn, s->bands, &c);
    if (rc) return lmdb_error(rc, s->dir);
    for (unsigned b = 0; b < p->bands; b++) {
        MDB_val k = val(&keys[b], sizeof keys[b]), v;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
        if (rc == MDB_NOTFOUND) { rc = 0; continue; }
        if (rc) break;
        size_t n;
        if ((rc = mdb_cursor_count(c, &n))) break;
        if (n + 1 > p->max_bucket) continue; /* a template bucket, as in the batch */
        if ((rc = syndic__grow(&s->cands, &s->cand_cap, s->cand_count + n, sizeof *s->cands)) < 0) {
            mdb_cursor_close(c);
            return rc;
        }
        for (rc = mdb_cursor_get(c, &k, &v, MDB_GET_MULTIPLE); rc == 0;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_MULTIPLE)) {
            size_t m = v.mv_size / sizeof(uint64_t);
            if (s->cand_count + m > s->cand_cap &&
                (rc = syndic__grow(&s->cands, &s->cand_cap, s->cand_count + m, sizeof *s->cands)) < 0) {
                mdb_cursor_close(c);
                return rc;
            }
            memcpy(s->cands + s->cand_count, v.mv_data, m * sizeof(uint64_t));
            s->cand_count += m;
        }
        if (rc != MDB_NOTFOUND) break;
        rc = 0;
    }
    mdb_cursor_close(c);
    if (rc) return lmdb_error(rc, s->dir);
    if (s->cand_count > 1) {
        qsort(s->cands, s->cand_count, sizeof *s->cands, cmp_u64);
        size_t u = 0;
        for (size_t i = 0; i < s->cand_count; i++)
            if (u == 0 || s->cands[i] != s->cands[u - 1]) s->cands[u++] = s->cands[i];
        s->cand_count = u;
    }
    return SYNDIC_OK;
}

static int submit(syndic_state *s, const syndic_doc *doc, int64_t arrival,
                  syndic_ingest_verdict *out)
{
    const syndic_params *p = &s->params;
    const unsigned k = p->num_hashes;
    size_t id_len = measure(doc->id, doc->id_len), text_len = measure(doc->text, doc->text_len);
    size_t lens[5] = {id_len, measure(doc->outlet, doc->outlet_len), measure(doc->date, doc->date_len),
                      measure(doc->title, doc->title_len), measure(doc->url, doc->url_len)};
    const char *fields[5] = {doc->id, doc->outlet ? doc->outlet : "", doc->date ? doc->date : "",
                             doc->title ? doc->title : "", doc->url ? doc->url : ""};
    int rc;
    /* 1. Already stored? */
    char key[MAX_ID_KEY];
    MDB_val ik = val(key, id_key(key, doc->id, id_len)), iv;
    rc = mdb_get(s->txn, s->ids, &ik, &iv);
    if (rc == 0) {
        uint64_t seq;
        memcpy(&seq, iv.mv_data, sizeof seq);
        return duplicate(s, seq, out);
    }
    if (rc != MDB_NOTFOUND) return lmdb_error(rc, s->dir);

    /* 2. Time, newest time, eviction. */
    doc_head h;
    memset(&h, 0, sizeof h);
    h.has_time = lens[2] && syndic_date_parse(&h.time, fields[2], lens[2]) == SYNDIC_OK;
    h.arrival = arrival;
    int64_t when = h.has_time ? h.time : arrival;
    if (when > s->ctr.newest) s->ctr.newest = when;
    if ((rc = evict(s)) < 0) return rc;

    /* 3. Sketch with the templates known now, then count the lines. */
    s->line_key_count = 0;
    s->failed = false;
    uint64_t salt = syndic__outlet_salt(fields[1], lens[1]);
    if (s->opts.template_docs)
        rc = syndic__normalize_lines(&s->words, doc->text, text_len, salt, ingest_line, s, NULL);
    else
        rc = syndic__normalize(&s->words, doc->text, text_len);
    if (rc < 0) return rc;
    if (s->failed) return s->filter_rc;
    if ((rc = syndic__shingle(&s->hashes, &s->hash_count, &s->hash_cap, &s->words,
                              p->shingle_words, p->seed)) < 0)
        return rc;
    syndic_sketch_hashes(p, s->hashes, s->hash_count, s->sig);
    h.shingles = s->hash_count > UINT32_MAX ? UINT32_MAX : (uint32_t)s->hash_count;
    syndic__numbers_extract(&h.numbers, &s->words, p->seed);
    if ((rc = syndic__title_fingerprint(&s->title_scratch, fields[3], lens[3], &h.title)) < 0)
        return rc;
    if (s->opts.template_docs && (rc = observe_lines(s, doc->text, text_len)) < 0) return rc;

    /* 4. Candidates, verified. */
    uint64_t keys[1024];
    for (unsigned b = 0; b < p->bands; b++) keys[b] = syndic__band_key(s->sig, b, p->rows, p->seed);
    s->cand_count = 0;
    if (h.shingles && (rc = gather(s, keys)) < 0) return rc;
    syndic_evdoc me = {s->sig, h.shingles, h.has_time != 0, h.time, fields[1], &h.numbers, &h.title};
    char outlet_z[256];
    if (lens[1] < sizeof outlet_z) {
        memcpy(outlet_z, fields[1], lens[1]);
        outlet_z[lens[1]] = 0;
        me.outlet = outlet_z;
    } else {
        /* Only compared for equality with stored outlets, which are kept
         * whole: a copy on the heap. */
        me.outlet = NULL;
    }
    char *long_outlet = NULL;
    scored *best = NULL;
    if (!me.outlet) {
        if (!(long_outlet = syndic__strndup(fields[1], lens[1]))) return syndic__oom();
        me.outlet = long_outlet;
    }
    size_t verified = 0;
    for (size_t i = 0; i < s->cand_count; i++) {
        loaded d;
        if ((rc = load_doc(s, s->txn, s->cands[i], s->sig_a, &d)) < 0) goto out;
        if (rc == 0) continue;
        syndic_evdoc other = {s->sig_a, d.h.shingles, d.h.has_time != 0, d.h.time, d.outlet,
                              &d.h.numbers, &d.h.title};
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
    const uint32_t guard_need = (uint32_t)ceil(p->guard * p->threshold * k - 1e-9);
    uint64_t seq = s->ctr.next_seq;
    story_copy st;
    bool copy = false;
    loaded match;
    uint32_t match_same = 0;
    for (size_t i = 0; i < verified && !copy; i++) {
        if ((rc = load_doc(s, s->txn, best[i].seq, s->sig_a, &match)) <= 0) {
            if (rc < 0) goto out;
            continue;
        }
        if ((rc = read_story(s, match.h.story, &st)) < 0) goto out;
        if (rc == 0) continue;
        bool ok = syndic__time_compatible(p, st.rec.origin_has_time != 0, st.rec.origin_time,
                                          st.outlet, me.has_time, me.time, me.outlet);
        if (ok && guard_need && st.rec.origin_seq != best[i].seq) {
            loaded origin;
            if ((rc = load_doc(s, s->txn, st.rec.origin_seq, s->sig_b, &origin)) < 0) goto out;
            if (rc > 0) ok = syndic__same_values(s->sig, s->sig_b, k) >= guard_need;
        }
        if (!ok) continue;
        copy = true;
        match_same = best[i].same;
    }
    char match_id[MAX_ID_KEY + 1] = "";
    size_t match_len = 0;
    if (copy) {
        match_len = match.h.lens[0] > MAX_ID_KEY ? MAX_ID_KEY : match.h.lens[0];
        memcpy(match_id, match.id, match_len);
        match_id[match_len] = 0;
        h.story = match.h.story;
        h.kind = SYNDIC_INGEST_COPY;
        h.jaccard = (double)match_same / k;
        h.containment = syndic__containment(h.jaccard, h.shingles, match.h.shingles);
        st.rec.live++;
        st.rec.total++;
        if (me.has_time && me.time > st.rec.last_time) st.rec.last_time = me.time;
    } else {
        h.story = s->ctr.next_story++;
        h.kind = SYNDIC_INGEST_NEW;
        memset(&st.rec, 0, sizeof st.rec);
        st.rec.origin_seq = seq;
        st.rec.origin_time = h.time;
        st.rec.origin_has_time = h.has_time;
        st.rec.last_time = h.has_time ? h.time : INT64_MIN;
        st.rec.live = st.rec.total = 1;
        st.rec.origin_len = (uint32_t)(id_len > MAX_ID_KEY ? MAX_ID_KEY : id_len);
        st.rec.outlet_len = (uint32_t)(lens[1] > 255 ? 255 : lens[1]);
        memcpy(st.origin, doc->id, st.rec.origin_len);
        st.origin[st.rec.origin_len] = 0;
        memcpy(st.outlet, fields[1], st.rec.outlet_len);
        st.outlet[st.rec.outlet_len] = 0;
    }
    if ((rc = put_story(s, h.story, &st.rec, st.origin, st.outlet)) < 0) goto out;

    /* 6. Store the article: record, id, time, postings. */
    for (int i = 0; i < 5; i++) h.lens[i] = (uint32_t)lens[i];
    h.lens[5] = (uint32_t)match_len;
    s->rec.len = 0;
    if (syndic__buf_append(&s->rec, (const char *)&h, sizeof h) < 0 ||
        syndic__buf_append(&s->rec, (const char *)s->sig, k * sizeof *s->sig) < 0) {
        rc = syndic__oom();
        goto out;
    }
    for (int i = 0; i < 5; i++)
        if (syndic__buf_append(&s->rec, fields[i], lens[i]) < 0 ||
            syndic__buf_append(&s->rec, "", 1) < 0) {
            rc = syndic__oom();
            goto out;
        }
    if (syndic__buf_append(&s->rec, match_id, match_len + 1) < 0) { rc = syndic__oom(); goto out; }
    MDB_val dk = val(&seq, sizeof seq), dv = val(s->rec.data, s->rec.len);
    int mrc = mdb_put(s->txn, s->docs, &dk, &dv, MDB_APPEND);
    if (!mrc) {
        iv = val(&seq, sizeof seq);
        mrc = mdb_put(s->txn, s->ids, &ik, &iv, MDB_NOOVERWRITE);
    }
    if (!mrc) {
        unsigned char tk[16];
        time_key(tk, when, seq);
        MDB_val tkv = val(tk, 16), tv = val("", 0);
        mrc = mdb_put(s->txn, s->times, &tkv, &tv, 0);
    }
    for (unsigned b = 0; !mrc && h.shingles && b < p->bands; b++) {
        MDB_val bk = val(&keys[b], sizeof keys[b]), bv = val(&seq, sizeof seq);
        mrc = mdb_put(s->txn, s->bands, &bk, &bv, 0);
    }
    if (mrc) { rc = lmdb_error(mrc, s->dir); goto out; }
    s->ctr.next_seq++;
    MDB_val ck = val("counters", 8), cv = val(&s->ctr, sizeof s->ctr);
    if ((mrc = mdb_put(s->txn, s->meta, &ck, &cv, 0))) { rc = lmdb_error(mrc, s->dir); goto out; }

    out->kind = out->first = (syndic_ingest_kind)h.kind;
    out->story = h.story;
    out->seq = seq;
    out->jaccard = h.jaccard;
    out->containment = h.containment;
    out->story_size = st.rec.live;
    rc = set_strings(s, out, doc->id, id_len, st.origin, st.rec.origin_len, match_id, match_len);
out:
    syndic__free(best);
    syndic__free(long_outlet);
    return rc;
}

int syndic_state_submit(syndic_state *s, const syndic_doc *doc, int64_t arrival,
                        syndic_ingest_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->id = out->origin = out->match = "";
    if (!doc || !doc->id || !measure(doc->id, doc->id_len) || !doc->text) {
        out->kind = out->first = SYNDIC_INGEST_REJECTED;
        out->reason = SYNDIC_REJECT_MISSING_FIELD;
        return syndic__error(SYNDIC_EBADREC, "a document needs an id and a text");
    }
    int rc = begin(s);
    if (rc < 0) return rc;
    if (!arrival) arrival = (int64_t)time(NULL);
    rc = submit(s, doc, arrival, out);
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

int syndic_state_commit(syndic_state *s)
{
    if (!s->txn) return SYNDIC_OK;
    int rc = mdb_txn_commit(s->txn);
    s->txn = NULL;
    s->pending = 0;
    if (rc) {
        s->ctr = s->ctr_committed;
        return lmdb_error(rc, s->dir);
    }
    s->ctr_committed = s->ctr;
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
    struct { MDB_dbi dbi; uint64_t *count; } dbs[] = {
        {s->docs, &out->documents}, {s->stories, &out->stories},
        {s->bands, &out->postings}, {s->lines, &out->lines}};
    uint64_t pages = 0;
    MDB_dbi all[] = {s->meta, s->docs, s->ids, s->bands, s->stories, s->times, s->lines};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if ((rc = mdb_stat(txn, all[i], &st))) goto fail;
        pages += st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages;
        for (size_t j = 0; j < sizeof dbs / sizeof dbs[0]; j++)
            if (dbs[j].dbi == all[i]) *dbs[j].count = st.ms_entries;
    }
    if ((rc = mdb_env_stat(s->env, &st))) goto fail;
    out->used_bytes = (pages + st.ms_branch_pages + st.ms_leaf_pages + 2) * st.ms_psize;
    counters c;
    MDB_val k = val("counters", 8), v;
    rc = mdb_get(txn, s->meta, &k, &v);
    if (rc == 0 && v.mv_size == sizeof c) memcpy(&c, v.mv_data, sizeof c);
    else c = (counters){1, 1, 0, INT64_MIN};
    rc = 0;
    out->submitted = c.next_seq - 1;
    out->stories_ever = c.next_story - 1;
    out->evicted = c.evicted;
    out->newest = c.newest;
    if (s->opts.template_docs) {
        MDB_cursor *cur;
        if ((rc = mdb_cursor_open(txn, s->lines, &cur))) goto fail;
        for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            line_rec r;
            if (v.mv_size != sizeof r) continue;
            memcpy(&r, v.mv_data, sizeof r);
            out->templates += is_template(&r, s->opts.template_docs);
        }
        mdb_cursor_close(cur);
        if (rc != MDB_NOTFOUND) goto fail;
        rc = 0;
    }
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
        if ((result = load_doc(s, txn, seq, s->sig_a, &d)) < 0) break;
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

typedef struct checker {
    syndic_state *s;
    MDB_txn *txn;
    uint64_t problems, postings, docs;
} checker;

/* Counts a problem; the first one becomes the last error. */
#define problem(c, ...)                                                        \
    do {                                                                       \
        if ((c)->problems++ == 0) syndic__error(SYNDIC_EIO, __VA_ARGS__);      \
    } while (0)

int syndic_state_verify(syndic_state *s, uint64_t *problems)
{
    *problems = 0;
    const syndic_params *p = &s->params;
    MDB_txn *txn;
    int rc = read_txn(s, &txn);
    if (rc < 0) return rc;
    checker c = {s, txn, 0, 0, 0};
    MDB_cursor *cur = NULL, *bc = NULL;
    counters ctr = {1, 1, 0, INT64_MIN};
    MDB_val ck = val("counters", 8), cv;
    if (mdb_get(txn, s->meta, &ck, &cv) == 0 && cv.mv_size == sizeof ctr)
        memcpy(&ctr, cv.mv_data, sizeof ctr);
    /* story -> members seen, indexed by story id */
    size_t live_cap = (size_t)ctr.next_story + 1;
    uint64_t *live = syndic__calloc(live_cap, sizeof *live);
    if (!live) { end_read(s, txn); return syndic__oom(); }
    int mrc = mdb_cursor_open(txn, s->docs, &cur);
    if (!mrc) mrc = mdb_cursor_open(txn, s->bands, &bc);
    if (mrc) { rc = lmdb_error(mrc, s->dir); goto out; }
    MDB_val k, v;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        loaded d;
        if ((rc = load_doc(s, txn, seq, s->sig_a, &d)) <= 0) {
            problem(&c, "article %llu unreadable", (unsigned long long)seq);
            continue;
        }
        c.docs++;
        char key[MAX_ID_KEY];
        MDB_val ik = val(key, id_key(key, d.id, d.h.lens[0])), iv;
        uint64_t got = 0;
        if (mdb_get(txn, s->ids, &ik, &iv) == 0 && iv.mv_size == 8) memcpy(&got, iv.mv_data, 8);
        if (got != seq) problem(&c, "%s: article %llu has no id entry", d.id, (unsigned long long)seq);
        unsigned char tk[16];
        time_key(tk, d.h.has_time ? d.h.time : d.h.arrival, seq);
        MDB_val tkv = val(tk, 16), tv;
        if (mdb_get(txn, s->times, &tkv, &tv) != 0) problem(&c, "%s: article %llu has no time entry", d.id, (unsigned long long)seq);
        if (d.h.shingles) {
            for (unsigned b = 0; b < p->bands; b++) {
                uint64_t bk = syndic__band_key(s->sig_a, b, p->rows, p->seed);
                MDB_val bkv = val(&bk, 8), bvv = val(&seq, 8);
                if (mdb_cursor_get(bc, &bkv, &bvv, MDB_GET_BOTH) != 0)
                    problem(&c, "%s: article %llu misses a posting", d.id, (unsigned long long)seq);
                c.postings++;
            }
        }
        story_rec st;
        if (get_story(s, txn, d.h.story, &st, NULL, NULL) <= 0) {
            problem(&c, "%s: article %llu has no story", d.id, (unsigned long long)seq);
        } else if (d.h.story < live_cap) {
            live[d.h.story]++;
        }
    }
    if (mrc != MDB_NOTFOUND) { rc = lmdb_error(mrc, s->dir); goto out; }
    MDB_stat st;
    uint64_t n_ids = 0, n_times = 0, n_post = 0;
    if (!mdb_stat(txn, s->ids, &st)) n_ids = st.ms_entries;
    if (!mdb_stat(txn, s->times, &st)) n_times = st.ms_entries;
    if (!mdb_stat(txn, s->bands, &st)) n_post = st.ms_entries;
    if (n_ids != c.docs) problem(&c, "%llu id entries for %llu articles", (unsigned long long)n_ids, (unsigned long long)c.docs);
    if (n_times != c.docs) problem(&c, "%llu time entries for %llu articles", (unsigned long long)n_times, (unsigned long long)c.docs);
    if (n_post != c.postings) problem(&c, "%llu postings where the articles have %llu", (unsigned long long)n_post, (unsigned long long)c.postings);
    mdb_cursor_close(cur);
    cur = NULL;
    if ((mrc = mdb_cursor_open(txn, s->stories, &cur))) { rc = lmdb_error(mrc, s->dir); goto out; }
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t id;
        story_rec sr;
        memcpy(&id, k.mv_data, sizeof id);
        memcpy(&sr, v.mv_data, sizeof sr);
        uint64_t seen = id < live_cap ? live[id] : 0;
        if (seen != sr.live) problem(&c, "story %llu: %u members recorded, %llu found", (unsigned long long)id, sr.live, (unsigned long long)seen);
    }
    rc = SYNDIC_OK;
out:
    if (cur) mdb_cursor_close(cur);
    if (bc) mdb_cursor_close(bc);
    end_read(s, txn);
    syndic__free(live);
    *problems = c.problems;
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
