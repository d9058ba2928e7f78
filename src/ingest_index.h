/*
 * ingest_index.h - the in-memory indexes of a feed-ingest state
 * (ingest_index.c): a multimap from 64-bit keys to 32-bit article refs (LSH
 * postings, id hashes), the template learner's line counts, and a min-heap
 * of (time, seq) for eviction. All are rebuilt from LMDB when a state opens.
 */
#ifndef SYNDIC_INGEST_INDEX_H
#define SYNDIC_INGEST_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include "internal.h"
#include "intern.h"
#include "tset.h"

/* ---- multimap: key -> refs (a multiset; order within a key unspecified) */
typedef struct ix_slot {
    uint64_t key;
    uint32_t val; /* n == 1: the ref; n > 1: index of a list */
    uint32_t n;   /* refs under key; 0 = empty slot */
} ix_slot;
typedef struct ix_list { uint32_t *refs; uint32_t cap; } ix_list;
/* The table is split by key into IX_PARTS open-addressing tables that grow
 * one at a time: a growth copies 1/64 of the index, never all of it. */
#define IX_PARTS 64
typedef struct ix_part {
    ix_slot *slots;
    size_t cap, keys;
    uint64_t *staged_keys; /* bulk loading: added at syndic__ix_flush */
    uint32_t *staged_refs;
    size_t staged, staged_cap;
} ix_part;
typedef struct syndic_ix {
    ix_part part[IX_PARTS];
    size_t keys, refs;
    ix_list *lists;
    size_t list_count, list_cap;
    uint32_t *free_lists;
    size_t free_count, free_cap;
} syndic_ix;

/* Refs are the low 32 bits of an article's seq (the articles in a state
 * span fewer than 2^32 seqs): the seq whose low 32 bits are ref, among the
 * 2^32 seqs before next. */
static inline uint64_t syndic__seq_of_ref(uint64_t next, uint32_t ref)
{
    return next - (uint32_t)((uint32_t)next - ref);
}
/* The key of an id in the id index (XXH3 of its bytes). */
uint64_t syndic__id_hash(const char *id, size_t len);

/* Room for `keys` distinct keys without growing. */
int syndic__ix_reserve(syndic_ix *ix, size_t keys);
int syndic__ix_add(syndic_ix *ix, uint64_t key, uint32_t ref);
/* Starts loading key's slot into the cache: a caller with many keys
 * prefetches them all first, so their misses overlap. */
void syndic__ix_prefetch(const syndic_ix *ix, uint64_t key);
/* Bulk loading (a rebuild): stage adds, then insert them a part at a time,
 * so the random writes of each part stay within its (cache-sized) table. */
int syndic__ix_stage(syndic_ix *ix, uint64_t key, uint32_t ref);
int syndic__ix_flush(syndic_ix *ix);
/* Removes one occurrence of ref under key; false if it was not there. */
bool syndic__ix_remove(syndic_ix *ix, uint64_t key, uint32_t ref);
/* The refs under key (borrowed until the next change); returns their count. */
uint32_t syndic__ix_get(const syndic_ix *ix, uint64_t key, const uint32_t **refs);
void syndic__ix_free(syndic_ix *ix);

/* ---- line counts of the template learner (templates.c's rule): per line
 * key, the articles that had it and whether two different fingerprints were
 * added (the first sighting adds none; later ones add the article's). That is
 * all the rule needs: a template is a line with docs >= min_docs and two
 * fingerprints. */
typedef struct lt_slot {
    uint64_t key;   /* never 0 (0 = empty slot; line keys are never 0) */
    uint32_t fp;    /* the first fingerprint added */
    uint32_t docs;  /* bit 31: a second, different fingerprint was added;
                       bit 30: fp is set; bits 0-29: articles (saturating) */
} lt_slot;
typedef struct lt_part {
    lt_slot *slots;
    size_t cap, count;
    uint64_t *staged_keys; /* bulk replay, in order: see syndic__lines_flush */
    uint32_t *staged_fps;
    size_t staged, staged_cap;
} lt_part;
typedef struct syndic_lines {
    lt_part part[IX_PARTS];
    size_t count, templates;
    unsigned min_docs;
} syndic_lines;

bool syndic__lines_is_template(const syndic_lines *t, uint64_t key);
void syndic__lines_prefetch(const syndic_lines *t, uint64_t key);
/* Counts one article's sighting of key (fp: its content fingerprint); sets
 * *became when the line turned into a template with it. */
int syndic__lines_observe(syndic_lines *t, uint64_t key, uint32_t fp, bool *became);
/* Bulk replay: stage sightings in order, then count them a part at a time
 * (a key's sightings stay in order: they are all in one part); the keys
 * that became templates are passed to became(ctx, key). */
int syndic__lines_stage(syndic_lines *t, uint64_t key, uint32_t fp);
int syndic__lines_flush(syndic_lines *t, int (*became)(void *ctx, uint64_t key), void *ctx);
void syndic__lines_free(syndic_lines *t);

/* ---- (time, seq) min-heap: the eviction order */
typedef struct th_entry { int64_t time; uint64_t seq; } th_entry;
typedef struct syndic_theap { th_entry *v; size_t n, cap; } syndic_theap;
int syndic__theap_push(syndic_theap *h, int64_t time, uint64_t seq);
void syndic__theap_pop(syndic_theap *h);
/* Builds the heap from v[0..n) in place (after bulk loading). */
void syndic__theap_heapify(syndic_theap *h);
void syndic__theap_free(syndic_theap *h);

/* ---- the template set (syndic_tset) is in tset.h */

/* ---- the articles as verification needs them, by seq: the batch keeps
 * these in memory too. Candidates are verified here without reading LMDB
 * (a random B-tree lookup each, the largest cost of a submit before). A
 * window of seqs [base, base + count); evicted ones are marked dead and the
 * dead prefix is dropped as it grows. Outlets are interned. */
typedef struct vdoc {
    uint64_t story;
    int64_t time;
    uint32_t shingles;
    uint32_t outlet;         /* index into the interned outlets */
    uint8_t has_time, live, pad[6];
    syndic_numbers numbers;
    syndic_title_words title;
} vdoc;
typedef struct syndic_vtab {
    vdoc *v;
    uint32_t *sig;           /* k values per slot */
    unsigned k;
    uint64_t base;           /* seq of v[0] */
    size_t count, cap, dead_prefix;
    syndic_interner outlets;
} syndic_vtab;
/* Appends the article with this seq (seqs only grow; a gap is filled with
 * dead slots). */
int syndic__vtab_add(syndic_vtab *t, uint64_t seq, const vdoc *d, const uint32_t *sig,
                     const char *outlet, size_t outlet_len);
int syndic__vtab_reserve(syndic_vtab *t, size_t count);
/* The live article with this seq, or NULL. */
const vdoc *syndic__vtab_get(const syndic_vtab *t, uint64_t seq);
const uint32_t *syndic__vtab_sig(const syndic_vtab *t, uint64_t seq);
void syndic__vtab_prefetch(const syndic_vtab *t, uint64_t seq);
const char *syndic__vtab_outlet(const syndic_vtab *t, const vdoc *d);
void syndic__vtab_kill(syndic_vtab *t, uint64_t seq);
void syndic__vtab_free(syndic_vtab *t);

/* ---- live members per story, by story id: a window of ids
 * [base, base + count), the dead prefix dropped as it grows. New stories
 * come with growing ids, but a rebuild adds the stored articles in seq
 * order, and a later article may belong to an older story whose earlier
 * articles were evicted (eviction goes by time): the rebuild starts the
 * window at the lowest stored story (syndic__live_start), and a member
 * added to a story below the window extends it down. Taking one from a
 * story below the window is an error (the story is gone). */
typedef struct syndic_live {
    uint32_t *n;
    uint64_t base;
    size_t count, cap, dead_prefix;
    bool based;
} syndic_live;
/* Starts an empty table at story `first`, the lowest that will be added. */
void syndic__live_start(syndic_live *l, uint64_t first);
int syndic__live_add(syndic_live *l, uint64_t story, int delta, uint32_t *now);
uint32_t syndic__live_get(const syndic_live *l, uint64_t story);
void syndic__live_free(syndic_live *l);

#endif
