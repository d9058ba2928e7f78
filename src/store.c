/*
 * store.c - the on-disk side of a feed-ingest state: an LMDB environment in
 * a directory, its header, counters and records. ingest.c decides; this
 * module stores, reads back, iterates, verifies and copies.
 *
 * LMDB holds only what cannot be recomputed, written so that an article
 * costs appends, not random pages:
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
 * architectures). Everything else a writer needs - the LSH postings, the id
 * index, the eviction order, the template counts - is rebuilt in memory at
 * open by ingest.c from `docs` and `linelog` (syndic__store_each_doc,
 * syndic__store_each_line). Format 1 kept postings, ids, times and line
 * counts as B-trees: each article's 28 postings and ~10 line counts landed
 * on random pages, and a commit copied thousands of them. Format 1 states
 * are refused with a message (re-ingest the input).
 *
 * Invariants: the header never changes after creation, and a state is only
 * opened with the parameters it records (compare_header names the first
 * that differs); the counters are written in the same transaction as the
 * articles they count, so they always agree with `docs` (verify checks it);
 * one writer at a time, held by flock on DIR/writer.lock (also taken by an
 * in-place compaction), while any number of readers see the last commit.
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
 * Files in DIR: data.mdb and lock.mdb (LMDB's), writer.lock (ours), and
 * during an in-place compaction compact.tmp/. Nothing outside this module
 * knows those names.
 */
#define _DEFAULT_SOURCE /* flock */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_MAGIC "SYNDICST"
#define STATE_FORMAT 2

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

const syndic_params *syndic_state_params(const syndic_state *s) { return &s->params; }
size_t syndic_state_pending(const syndic_state *s) { return s->pending; }
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

int syndic__store_error(int rc, const char *what) { return lmdb_error(rc, what); }

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

static MDB_val val(const void *p, size_t n) { return (MDB_val){n, (void *)(uintptr_t)p}; }

/* ---- open and close ---- */

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

/* The writer lock: one writer at a time, and none during an in-place
 * compaction. Returns the locked descriptor; -1 when the lock file cannot
 * be opened (errno set), -2 when another process holds the lock. */
static int lock_writer(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/writer.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -2;
    }
    return fd;
}

int syndic__store_open(syndic_state *s, const char *dir, const syndic_params *params,
                       const syndic_state_options *o)
{
    s->lock_fd = -1;
    s->opts = *o;
    atomic_init(&s->commits, 0);
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
        if ((s->lock_fd = lock_writer(dir)) < 0) {
            rc = syndic__error(SYNDIC_EIO, "%s: %s", dir,
                               s->lock_fd == -1 ? strerror(errno)
                                                : "another process is writing this state");
            s->lock_fd = -1;
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
    if (!(s->scan_sig = syndic__reallocarray(NULL, s->params.num_hashes, sizeof *s->scan_sig))) {
        rc = syndic__oom();
        goto fail;
    }
    /* Committed, read-only too: DBI handles opened in an aborted
     * transaction are closed with it. */
    if ((mrc = mdb_txn_commit(txn))) { txn = NULL; rc = lmdb_error(mrc, dir); goto fail; }
    return SYNDIC_OK;
fail:
    if (txn) mdb_txn_abort(txn);
    return rc;
}

void syndic__store_close(syndic_state *s)
{
    if (s->txn) mdb_txn_abort(s->txn);
    s->txn = NULL;
    if (s->env) mdb_env_close(s->env);
    s->env = NULL;
    if (s->lock_fd >= 0) close(s->lock_fd);
    s->lock_fd = -1;
    syndic__free(s->dir);
    s->dir = NULL;
    syndic__free(s->scan_sig);
    s->scan_sig = NULL;
    syndic__buf_free(&s->rec);
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

int syndic__store_load_doc(syndic_state *s, uint64_t seq, uint32_t *sig, loaded *out)
{
    return load_doc(s, s->txn, seq, sig, out);
}

int syndic__store_put_doc(syndic_state *s, uint64_t seq, const loaded *d)
{
    const char *strs[6] = {d->id, d->outlet, d->date, d->title, d->url, d->match};
    s->rec.len = 0;
    if (syndic__buf_append(&s->rec, (const char *)&d->h, sizeof d->h) < 0 ||
        syndic__buf_append(&s->rec, (const char *)d->sig,
                           (size_t)s->params.num_hashes * sizeof *d->sig) < 0)
        return syndic__oom();
    for (int i = 0; i < 6; i++)
        if (syndic__buf_append(&s->rec, strs[i], (size_t)d->h.lens[i] + 1) < 0)
            return syndic__oom();
    MDB_val k = val(&seq, sizeof seq), v = val(s->rec.data, s->rec.len);
    int rc = mdb_put(s->txn, s->docs, &k, &v, MDB_APPEND);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

int syndic__store_del_doc(syndic_state *s, uint64_t seq)
{
    MDB_val k = val(&seq, sizeof seq);
    int rc = mdb_del(s->txn, s->docs, &k, NULL);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
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

int syndic__store_put_story(syndic_state *s, uint64_t id, const story_rec *st, const char *origin,
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

int syndic__store_read_story(syndic_state *s, uint64_t id, story_copy *c)
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

int syndic__store_del_story(syndic_state *s, uint64_t id)
{
    MDB_val k = val(&id, sizeof id);
    int rc = mdb_del(s->txn, s->stories, &k, NULL);
    return rc && rc != MDB_NOTFOUND ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

int syndic__store_log_lines(syndic_state *s, uint64_t seq, const void *rec, size_t len)
{
    MDB_val k = val(&seq, sizeof seq), v = val(rec, len);
    int rc = mdb_put(s->txn, s->linelog, &k, &v, MDB_APPEND);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

int syndic__store_put_counters(syndic_state *s)
{
    MDB_val k = val("counters", 8), v = val(&s->ctr, sizeof s->ctr);
    int rc = mdb_put(s->txn, s->meta, &k, &v, 0);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

/* The first key of dbi (a u64) in txn: 1, 0 when dbi is empty, < 0. */
static int first_key(syndic_state *s, MDB_txn *txn, MDB_dbi dbi, uint64_t *key)
{
    MDB_cursor *c;
    int mrc = mdb_cursor_open(txn, dbi, &c);
    if (mrc) return lmdb_error(mrc, s->dir);
    MDB_val k, v;
    mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    size_t size = mrc ? 0 : k.mv_size;
    if (size == sizeof *key) memcpy(key, k.mv_data, sizeof *key);
    mdb_cursor_close(c);
    if (mrc == MDB_NOTFOUND) return 0;
    if (mrc) return lmdb_error(mrc, s->dir);
    if (size != sizeof *key) return syndic__error(SYNDIC_EIO, "%s: a key of %zu bytes", s->dir, size);
    return 1;
}

int syndic__store_first_seq(syndic_state *s, uint64_t *seq)
{
    return first_key(s, s->txn, s->docs, seq);
}

/* ---- transactions ---- */

int syndic__store_begin(syndic_state *s)
{
    int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (rc) { s->txn = NULL; return lmdb_error(rc, s->dir); }
    return SYNDIC_OK;
}

void syndic__store_abort(syndic_state *s)
{
    if (s->txn) mdb_txn_abort(s->txn);
    s->txn = NULL;
    s->pending = 0;
    s->ctr = s->ctr_committed;
}

int syndic__store_commit(syndic_state *s)
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
    atomic_fetch_add_explicit(&s->commits, 1, memory_order_release);
    return SYNDIC_OK;
}

int syndic_state_sync(uint64_t *durable, syndic_state *s)
{
    uint64_t upto = atomic_load_explicit(&s->commits, memory_order_acquire);
    if (s->opts.read_only) return syndic__error(SYNDIC_EINVAL, "%s: the state is open read-only", s->dir);
    int rc = mdb_env_sync(s->env, 1);
    if (rc) return lmdb_error(rc, s->dir);
    if (durable) *durable = upto;
    return SYNDIC_OK;
}

int syndic__store_read(syndic_state *s, MDB_txn **txn)
{
    if (s->txn) { *txn = s->txn; return SYNDIC_OK; } /* a writer sees its own batch */
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
    return rc ? lmdb_error(rc, s->dir) : SYNDIC_OK;
}

void syndic__store_end_read(syndic_state *s, MDB_txn *txn)
{
    if (txn != s->txn) mdb_txn_abort(txn);
}

/* ---- iteration ---- */

int syndic__store_doc_count(syndic_state *s, MDB_txn *txn, size_t *count)
{
    MDB_stat st;
    int rc = mdb_stat(txn, s->docs, &st);
    if (rc) return lmdb_error(rc, s->dir);
    *count = st.ms_entries;
    return SYNDIC_OK;
}

int syndic__store_first_story(syndic_state *s, MDB_txn *txn, uint64_t *id)
{
    return first_key(s, txn, s->stories, id);
}

int syndic__store_each_doc(syndic_state *s, MDB_txn *txn,
                           int (*fn)(void *ctx, uint64_t seq, const loaded *d), void *ctx)
{
    MDB_cursor *cur;
    int mrc = mdb_cursor_open(txn, s->docs, &cur);
    if (mrc) return lmdb_error(mrc, s->dir);
    MDB_val k, v;
    int rc = SYNDIC_OK;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        loaded d;
        if ((rc = parse_doc(s, seq, &v, s->scan_sig, &d)) < 0) break;
        if ((rc = fn(ctx, seq, &d)) != 0) break;
    }
    mdb_cursor_close(cur);
    if (rc != 0) return rc;
    return mrc == MDB_NOTFOUND ? SYNDIC_OK : lmdb_error(mrc, s->dir);
}

/* One `linelog` entry's keys, handed to fn. */
static int each_key(syndic_state *s, uint64_t seq, const MDB_val *v,
                    int (*fn)(void *ctx, uint64_t key, uint32_t fp), void *ctx)
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
        int rc = fn(ctx, key, fp);
        if (rc != 0) return rc;
    }
    return SYNDIC_OK;
}

int syndic__store_each_line(syndic_state *s, MDB_txn *txn,
                            int (*fn)(void *ctx, uint64_t key, uint32_t fp), void *ctx)
{
    MDB_cursor *cur;
    int mrc = mdb_cursor_open(txn, s->linelog, &cur);
    if (mrc) return lmdb_error(mrc, s->dir);
    MDB_val k, v;
    int rc = SYNDIC_OK;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && rc == SYNDIC_OK;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t seq;
        memcpy(&seq, k.mv_data, sizeof seq);
        rc = each_key(s, seq, &v, fn, ctx);
    }
    mdb_cursor_close(cur);
    if (rc != 0) return rc;
    return mrc == MDB_NOTFOUND ? SYNDIC_OK : lmdb_error(mrc, s->dir);
}

/* ---- readers ---- */

int syndic_state_get_stats(syndic_state_stats *out, syndic_state *s)
{
    memset(out, 0, sizeof *out);
    MDB_txn *txn;
    int rc = syndic__store_read(s, &txn);
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
    if ((rc = load_counters(s, txn, &c)) < 0) { syndic__store_end_read(s, txn); return rc; }
    out->submitted = c.next_seq - 1;
    out->stories_ever = c.next_story - 1;
    out->evicted = c.evicted;
    out->newest = c.newest;
    out->postings = c.indexed * s->params.bands;
    out->lines = c.lines;
    out->templates = c.templates;
    syndic__store_end_read(s, txn);
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", s->dir);
    struct stat sb;
    if (stat(path, &sb) == 0) out->file_bytes = (uint64_t)sb.st_size;
    return SYNDIC_OK;
fail:
    syndic__store_end_read(s, txn);
    return lmdb_error(rc, s->dir);
}

typedef struct foreach_ctx {
    int (*fn)(void *ctx, const syndic_state_doc *d);
    void *ctx;
} foreach_ctx;

static int foreach_doc(void *ctx, uint64_t seq, const loaded *d)
{
    const foreach_ctx *f = ctx;
    syndic_state_doc sd = {seq, d->h.story, d->id, d->outlet, d->date, d->title, d->url,
                           d->h.has_time, d->h.time, d->h.arrival, d->h.shingles, d->sig};
    return f->fn(f->ctx, &sd);
}

int syndic_state_foreach(syndic_state *s, int (*fn)(void *ctx, const syndic_state_doc *d),
                         void *ctx)
{
    MDB_txn *txn;
    int rc = syndic__store_read(s, &txn);
    if (rc < 0) return rc;
    foreach_ctx f = {fn, ctx};
    rc = syndic__store_each_doc(s, txn, foreach_doc, &f);
    syndic__store_end_read(s, txn);
    return rc;
}

/* ---- integrity ---- */

#define problem syndic__store_problem

/* Every article readable (its signature whole, its strings terminated), with
 * a story and a seq below the next one; no id twice; the counters agree with
 * the articles, the stories' live counts with their members, the template
 * counts with a replay of the line log; and what `mem` checks of the
 * in-memory side. */
int syndic__store_verify(syndic_state *s, const syndic_store_check *mem, uint64_t *problems)
{
    *problems = 0;
    uint64_t *np = problems;
    MDB_txn *txn;
    int rc = syndic__store_read(s, &txn);
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
        if (parse_doc(s, seq, &v, s->scan_sig, &d) < 0) {
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
        uint64_t h = syndic__id_hash(d.id, d.h.lens[0]);
        const uint32_t *refs;
        uint32_t n = syndic__ix_get(&ids, h, &refs);
        for (uint32_t i = 0; i < n; i++) {
            loaded o;
            uint64_t q = syndic__seq_of_ref(ctr.next_seq, refs[i]);
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
        if (mem && (rc = mem->doc(mem->ctx, seq, &d, np)) < 0) goto out;
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
    if (mem && (rc = mem->totals(mem->ctx, docs, indexed, np)) < 0) goto out;
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
        if (mem && (rc = mem->story(mem->ctx, id, seen, np)) < 0) goto out;
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
    syndic__store_end_read(s, txn);
    syndic__ix_free(&ids);
    syndic__lines_free(&lines);
    syndic__free(live);
    return rc;
}

#undef problem

/* ---- copies ---- */

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

/* In place: under the writer lock (no ingest may run meanwhile), a
 * compacted copy is written to DIR/compact.tmp from a read snapshot, then
 * renamed over data.mdb (atomic: a crash leaves the old file or the new
 * one), and LMDB's lock.mdb removed (its reader table describes the old
 * file; the next open makes a new one). */
int syndic_state_compact(uint64_t *bytes_before, uint64_t *bytes_after, const char *dir)
{
    if (bytes_before) *bytes_before = 0;
    if (bytes_after) *bytes_after = 0;
    if (!dir || !*dir) return syndic__error(SYNDIC_EINVAL, "a state needs a directory");
    char tmp[4096], from[4096], to[4096], lockmdb[4096];
    snprintf(tmp, sizeof tmp, "%s/compact.tmp", dir);
    snprintf(from, sizeof from, "%s/compact.tmp/data.mdb", dir);
    snprintf(to, sizeof to, "%s/data.mdb", dir);
    snprintf(lockmdb, sizeof lockmdb, "%s/lock.mdb", dir);
    if (access(to, F_OK) != 0) return syndic__error(SYNDIC_EIO, "%s: no state here", dir);
    int fd = lock_writer(dir);
    if (fd < 0)
        return syndic__error(SYNDIC_EIO, "%s: %s", dir,
                             fd == -1 ? strerror(errno)
                                      : "an ingest is writing this state; stop it first");
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.read_only = 1;
    syndic_state *s = syndic__calloc(1, sizeof *s);
    int rc;
    if (!s) { rc = syndic__oom(); goto out; }
    if ((rc = syndic__store_open(s, dir, NULL, &o)) < 0) goto out;
    struct stat sb;
    if (bytes_before && stat(to, &sb) == 0) *bytes_before = (uint64_t)sb.st_size;
    unlink(from);
    rmdir(tmp);
    if ((rc = syndic_state_copy(s, tmp)) < 0) goto out;
    syndic__store_close(s); /* the old file is no longer mapped */
    if (rename(from, to) != 0) {
        rc = syndic__error(SYNDIC_EIO, "%s: %s", to, strerror(errno));
        goto out;
    }
    rmdir(tmp);
    unlink(lockmdb);
    if (bytes_after && stat(to, &sb) == 0) *bytes_after = (uint64_t)sb.st_size;
    rc = SYNDIC_OK;
out:
    if (s) {
        syndic__store_close(s);
        syndic__free(s);
    }
    close(fd);
    return rc;
}
