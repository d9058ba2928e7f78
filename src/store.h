/*
 * store.h - the on-disk side of a feed-ingest state (store.c), and the
 * state handle it shares with the algorithm (ingest.c).
 *
 * One public handle, syndic_state, two modules: store.c owns the LMDB
 * environment, the writer lock, the header, the counters and the record
 * formats of `docs`, `stories` and `linelog`; ingest.c owns the in-memory
 * indexes rebuilt from those records and the algorithm that gives a
 * verdict. ingest.c reads and writes articles and stories as the structs
 * below, never as bytes (one exception: the line log, see ingest.c).
 */
#ifndef SYNDIC_STORE_H
#define SYNDIC_STORE_H

#include <lmdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ingest_index.h"
#include "internal.h"

#define MAX_ID_KEY 400 /* longest id kept whole in a story record */

/* Kept by ingest.c as it submits, written by the store with each article
 * (meta "counters"). */
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

/* An article as stored. Read back from `docs`: signature copied (LMDB
 * values are only 2-byte aligned), strings pointing into the map (valid
 * until the next write or the end of the transaction). Written: every
 * string NUL-terminated, h.lens its lengths. */
typedef struct loaded {
    doc_head h;
    uint32_t *sig;
    const char *id, *outlet, *date, *title, *url, *match;
} loaded;

/* Story `id`'s record with its strings copied to the side: LMDB pointers
 * die with the next write. */
typedef struct story_copy {
    story_rec rec;
    char origin[MAX_ID_KEY + 1], outlet[256];
} story_copy;

struct syndic_state {
    /* ---- the store (store.c) */
    syndic_params params;
    syndic_state_options opts; /* template_docs and window: the state's */
    char *dir;
    MDB_env *env;
    MDB_dbi meta, docs, stories, linelog;
    MDB_txn *txn;          /* the open write transaction, or NULL */
    size_t pending;        /* articles in it */
    counters ctr, ctr_committed; /* as in txn; as of the last commit */
    int lock_fd;           /* flock on DIR/writer.lock for a writer */
    _Atomic uint64_t commits; /* commits returned so far */
    uint32_t *scan_sig;    /* scratch: the signature of an iterated article */
    syndic_buf rec;        /* scratch record */
    /* ---- the algorithm (ingest.c): in memory, rebuilt at open (writer
     * only) from the stored articles and line log. */
    syndic_ix bands, ids;
    syndic_lines lines;
    syndic_theap times;
    syndic_tset tset;
    syndic_vtab vt;        /* what verification needs of each article */
    syndic_live live;      /* live members per story */
    bool stale;            /* memory holds what LMDB lost: rebuild */
    double open_seconds;
    syndic_state_prep *own;   /* for syndic_state_submit */
    uint64_t *cands;
    size_t cand_count, cand_cap;
    uint32_t *sig_a;       /* scratch: an evicted article's signature */
    syndic_buf vbuf;       /* verdict strings */
};

/* An LMDB return code as a status, with the message "what: reason". */
int syndic__store_error(int rc, const char *what);

/* ---- opening and closing */

/* Opens (or creates) the state in dir into s (zeroed), as
 * syndic_state_open() describes: a writer takes DIR/writer.lock, creates
 * the databases and writes the header, or checks the stored header against
 * params and o; a reader (o->read_only) takes the header's parameters when
 * params is NULL. Sets s->params, s->opts and s->ctr. */
int syndic__store_open(syndic_state *s, const char *dir, const syndic_params *params,
                       const syndic_state_options *o);
/* Drops the open transaction, closes the environment, releases the lock;
 * safe after a failed syndic__store_open. */
void syndic__store_close(syndic_state *s);

/* ---- transactions (the writer) */

/* Starts the write transaction (s->txn). */
int syndic__store_begin(syndic_state *s);
/* Drops the write transaction: the counters go back to the last commit. */
void syndic__store_abort(syndic_state *s);
/* Commits it (no-op without one). On failure the batch is lost and the
 * counters go back to the last commit. */
int syndic__store_commit(syndic_state *s);

/* A transaction to read in: the writer's own when one is open (a writer
 * sees its batch), else a read snapshot, ended by syndic__store_end_read. */
int syndic__store_read(syndic_state *s, MDB_txn **txn);
void syndic__store_end_read(syndic_state *s, MDB_txn *txn);

/* ---- records, in the write transaction */

/* Article seq: 1 with *out filled (its signature copied to sig unless
 * sig is NULL), 0 when absent, < 0. */
int syndic__store_load_doc(syndic_state *s, uint64_t seq, uint32_t *sig, loaded *out);
/* Appends article seq (seqs only grow). */
int syndic__store_put_doc(syndic_state *s, uint64_t seq, const loaded *d);
int syndic__store_del_doc(syndic_state *s, uint64_t seq);
/* Story id, copied: 1, 0 when absent, < 0. */
int syndic__store_read_story(syndic_state *s, uint64_t id, story_copy *c);
/* Appends story id (ids only grow); origin and outlet are NUL-terminated
 * and st gives their lengths. */
int syndic__store_put_story(syndic_state *s, uint64_t id, const story_rec *st,
                            const char *origin, const char *outlet);
/* Deletes story id (absent is fine). */
int syndic__store_del_story(syndic_state *s, uint64_t id);
/* Writes s->ctr. */
int syndic__store_put_counters(syndic_state *s);
/* Appends article seq's line log record (the template learner's input:
 * its fingerprint, then its distinct short line keys). */
int syndic__store_log_lines(syndic_state *s, uint64_t seq, const void *rec, size_t len);
/* The lowest stored seq: 1 with *seq set, 0 when there is no article. */
int syndic__store_first_seq(syndic_state *s, uint64_t *seq);

/* ---- iteration, in txn (syndic__store_read) */

/* Articles stored. */
int syndic__store_doc_count(syndic_state *s, MDB_txn *txn, size_t *count);
/* The lowest story id stored (every stored article's story is): 1 with *id
 * set, 0 when there is no story. */
int syndic__store_first_story(syndic_state *s, MDB_txn *txn, uint64_t *id);
/* Calls fn for every article in seq order (d->sig: scratch valid during the
 * call); a non-zero return from fn stops and is returned. */
int syndic__store_each_doc(syndic_state *s, MDB_txn *txn,
                           int (*fn)(void *ctx, uint64_t seq, const loaded *d), void *ctx);
/* Calls fn for every line key of the line log, in seq order and, within an
 * article, in its logged order, with the article's content fingerprint. */
int syndic__store_each_line(syndic_state *s, MDB_txn *txn,
                            int (*fn)(void *ctx, uint64_t key, uint32_t fp), void *ctx);

/* ---- integrity */

/* Counts a problem; the first one becomes the last error. */
#define syndic__store_problem(n, ...)                                          \
    do {                                                                       \
        if ((*(n))++ == 0) syndic__error(SYNDIC_EIO, __VA_ARGS__);             \
    } while (0)

/* What the verifier asks of the in-memory side (a writer's), at the points
 * where it knows the answer; each counts its findings with
 * syndic__store_problem and returns < 0 only on failure. */
typedef struct syndic_store_check {
    void *ctx;
    /* Every readable article, as stored. */
    int (*doc)(void *ctx, uint64_t seq, const loaded *d, uint64_t *problems);
    /* After the articles: how many there are, how many with words. */
    int (*totals)(void *ctx, uint64_t docs, uint64_t indexed, uint64_t *problems);
    /* Every stored story, with the members found for it. */
    int (*story)(void *ctx, uint64_t id, uint64_t members, uint64_t *problems);
} syndic_store_check;

/* The checks of syndic_state_verify() on what is stored, with `memory`'s
 * (may be NULL) on what is in memory. */
int syndic__store_verify(syndic_state *s, const syndic_store_check *memory, uint64_t *problems);

#endif
