/*
 * ingest_index.c - in-memory indexes of a feed-ingest state.
 *
 * The state keeps only what cannot be recomputed in LMDB (store.c: articles
 * with their signatures, stories, the template learner's log), and ingest.c
 * rebuilds these at open. That takes the per-article random writes out of
 * the B-trees: an article's 28 LSH postings used to land on 28 random pages
 * of a postings tree, so a commit copied thousands of pages and slowed as
 * the state grew.
 *
 * Multimap (LSH postings: band key -> articles; ids: XXH3 of the id ->
 * articles). Split by key into 64 parts that grow one at a time (so a
 * growth pauses a submit for 1/64 of a full rehash). Each part is open
 * addressing with linear probing over 16-byte slots
 * {key, val, n}: a key with one ref keeps it inline (most band keys have one
 * article), a key with more points to a growable list. Slots are found by
 * the high bits of (key x golden ratio), mapped onto any capacity by a
 * multiply-shift (so the table can grow by 1.5 instead of doubling).
 * Deletion shifts the following run back (no tombstones), so lookups never
 * slow down with eviction. Refs are 32 bits: ingest.c stores the low half of
 * an article's seq and restores the rest from the next seq (articles in the
 * state always span fewer than 2^32 seqs; it checks).
 *
 * Cost: 16 bytes a slot at a load of at most 0.7 (about 19-27 bytes per
 * distinct key), plus 4 bytes per ref and a malloc'd list for shared keys.
 * For 1M articles x 28 bands that is a few hundred MB; measured figures in
 * docs/ingest.md.
 *
 * Line counts: the same probing over {key, fp, docs|flags}: see the header.
 * Time heap: a plain binary min-heap on (time, seq).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "ingest_index.h"
#include "internal.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define MAX_LOAD_NUM 7
#define MAX_LOAD_DEN 10

uint64_t syndic__id_hash(const char *id, size_t len) { return XXH3_64bits(id, len); }

static inline size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

/* Large tables (4 MiB and more) are mapped directly, with transparent huge
 * page advice given before the first touch: in this VM a 4 KiB page fault
 * costs microseconds and a random probe a page walk, and the tables are
 * hundreds of MB probed at random. (Through malloc, a block may come from
 * the heap already touched, or be zeroed by calloc first.) Smaller ones use
 * the allocator. A mapping's size is recomputed from the table's capacity. */
#define BIG ((size_t)4 << 20)

static void *big_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    size_t bytes = count * size;
    if (bytes < BIG) return syndic__calloc(count, size);
    /* Let the allocation-failure tests reach this path too. */
    void *probe = syndic__malloc(1);
    if (!probe) return NULL;
    syndic__free(probe);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

static void big_free(void *p, size_t bytes)
{
    if (!p) return;
    if (bytes < BIG) syndic__free(p);
    else munmap(p, bytes);
}

/* Which part a key is in: middle bits of the same product (slot_of takes
 * the high ones). */
static inline size_t part_of(uint64_t key)
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (IX_PARTS - 1);
}

/* ---- multimap ---- */

static int ix_rehash(ix_part *P, size_t cap)
{
    if (cap > UINT32_MAX) return syndic__error(SYNDIC_ENOMEM, "index too large");
    ix_slot *slots = big_calloc(cap, sizeof *slots);
    if (!slots) return syndic__oom();
    for (size_t i = 0; i < P->cap; i++) {
        if (!P->slots[i].n) continue;
        size_t j = slot_of(P->slots[i].key, cap);
        while (slots[j].n) j = j + 1 == cap ? 0 : j + 1;
        slots[j] = P->slots[i];
    }
    big_free(P->slots, P->cap * sizeof *P->slots);
    P->slots = slots;
    P->cap = cap;
    return SYNDIC_OK;
}

int syndic__ix_reserve(syndic_ix *ix, size_t keys)
{
    size_t need = keys / IX_PARTS / MAX_LOAD_NUM * MAX_LOAD_DEN + 16;
    for (size_t i = 0; i < IX_PARTS; i++) {
        if (need <= ix->part[i].cap) continue;
        int rc = ix_rehash(&ix->part[i], need);
        if (rc < 0) return rc;
    }
    return SYNDIC_OK;
}

void syndic__ix_prefetch(const syndic_ix *ix, uint64_t key)
{
    const ix_part *P = &ix->part[part_of(key)];
    if (P->cap) __builtin_prefetch(&P->slots[slot_of(key, P->cap)]);
}

static size_t ix_find(const ix_part *P, uint64_t key)
{
    size_t i = slot_of(key, P->cap);
    while (P->slots[i].n && P->slots[i].key != key) i = i + 1 == P->cap ? 0 : i + 1;
    return i;
}

static int new_list(syndic_ix *ix, uint32_t *out)
{
    if (ix->free_count) {
        *out = ix->free_lists[--ix->free_count];
        return SYNDIC_OK;
    }
    if (ix->list_count >= UINT32_MAX) return syndic__error(SYNDIC_ENOMEM, "index too large");
    if (syndic__grow(&ix->lists, &ix->list_cap, ix->list_count + 1, sizeof *ix->lists) < 0)
        return syndic__oom();
    ix->lists[ix->list_count] = (ix_list){NULL, 0};
    *out = (uint32_t)ix->list_count++;
    return SYNDIC_OK;
}

int syndic__ix_add(syndic_ix *ix, uint64_t key, uint32_t ref)
{
    ix_part *P = &ix->part[part_of(key)];
    if ((P->keys + 1) * MAX_LOAD_DEN > P->cap * MAX_LOAD_NUM) {
        int rc = ix_rehash(P, P->cap < 64 ? 64 : P->cap + P->cap / 2);
        if (rc < 0) return rc;
    }
    size_t i = ix_find(P, key);
    ix_slot *s = &P->slots[i];
    if (!s->n) {
        *s = (ix_slot){key, ref, 1};
        P->keys++;
        ix->keys++;
        ix->refs++;
        return SYNDIC_OK;
    }
    if (s->n == UINT32_MAX) return syndic__error(SYNDIC_ENOMEM, "index bucket too large");
    if (s->n == 1) {
        uint32_t l = 0;
        int rc = new_list(ix, &l);
        if (rc < 0) return rc;
        ix_list *L = &ix->lists[l];
        if (L->cap < 4) {
            uint32_t *p = syndic__reallocarray(L->refs, 4, sizeof *p);
            if (!p) return syndic__oom(); /* the list stays free for reuse */
            L->refs = p;
            L->cap = 4;
        }
        L->refs[0] = s->val;
        s->val = l;
    }
    ix_list *L = &ix->lists[s->val];
    if (s->n == L->cap) {
        uint32_t cap = L->cap > UINT32_MAX / 2 ? UINT32_MAX : L->cap * 2;
        uint32_t *p = syndic__reallocarray(L->refs, cap, sizeof *p);
        if (!p) return syndic__oom();
        L->refs = p;
        L->cap = cap;
    }
    L->refs[s->n++] = ref;
    ix->refs++;
    return SYNDIC_OK;
}

int syndic__ix_stage(syndic_ix *ix, uint64_t key, uint32_t ref)
{
    ix_part *P = &ix->part[part_of(key)];
    if (P->staged == P->staged_cap) {
        /* A first guess from the reserved size, then doubling. */
        size_t cap = P->staged_cap ? P->staged_cap * 2
                                   : (P->cap / MAX_LOAD_DEN * MAX_LOAD_NUM + 1024);
        uint64_t *k = syndic__reallocarray(P->staged_keys, cap, sizeof *k);
        if (!k) return syndic__oom();
        P->staged_keys = k;
        uint32_t *r = syndic__reallocarray(P->staged_refs, cap, sizeof *r);
        if (!r) return syndic__oom();
        P->staged_refs = r;
        P->staged_cap = cap;
    }
    P->staged_keys[P->staged] = key;
    P->staged_refs[P->staged++] = ref;
    return SYNDIC_OK;
}

int syndic__ix_flush(syndic_ix *ix)
{
    int rc = SYNDIC_OK;
    for (size_t p = 0; p < IX_PARTS; p++) {
        ix_part *P = &ix->part[p];
        for (size_t i = 0; i < P->staged && rc == SYNDIC_OK; i++)
            rc = syndic__ix_add(ix, P->staged_keys[i], P->staged_refs[i]);
        syndic__free(P->staged_keys);
        syndic__free(P->staged_refs);
        P->staged_keys = NULL;
        P->staged_refs = NULL;
        P->staged = P->staged_cap = 0;
    }
    return rc;
}

/* Empties slot i and shifts the rest of its run back. */
static void ix_vacate(ix_part *P, size_t i)
{
    size_t j = i;
    for (;;) {
        j = j + 1 == P->cap ? 0 : j + 1;
        if (!P->slots[j].n) break;
        size_t home = slot_of(P->slots[j].key, P->cap);
        /* Can the entry at j move to i? Only if its home is not in (i, j]. */
        bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (in_between) continue;
        P->slots[i] = P->slots[j];
        i = j;
    }
    P->slots[i] = (ix_slot){0, 0, 0};
    P->keys--;
}

bool syndic__ix_remove(syndic_ix *ix, uint64_t key, uint32_t ref)
{
    ix_part *P = &ix->part[part_of(key)];
    if (!P->cap) return false;
    size_t i = ix_find(P, key);
    ix_slot *s = &P->slots[i];
    if (!s->n) return false;
    if (s->n == 1) {
        if (s->val != ref) return false;
        ix_vacate(P, i);
        ix->keys--;
        ix->refs--;
        return true;
    }
    ix_list *L = &ix->lists[s->val];
    uint32_t at = 0;
    while (at < s->n && L->refs[at] != ref) at++;
    if (at == s->n) return false;
    L->refs[at] = L->refs[--s->n];
    ix->refs--;
    if (s->n == 1) {
        /* Back inline; the list is kept for reuse. */
        uint32_t l = s->val;
        s->val = L->refs[0];
        if (syndic__grow(&ix->free_lists, &ix->free_cap, ix->free_count + 1,
                         sizeof *ix->free_lists) == 0)
            ix->free_lists[ix->free_count++] = l;
        /* else: the list leaks into the table until it is freed; harmless. */
    }
    return true;
}

uint32_t syndic__ix_get(const syndic_ix *ix, uint64_t key, const uint32_t **refs)
{
    *refs = NULL;
    const ix_part *P = &ix->part[part_of(key)];
    if (!P->cap) return 0;
    const ix_slot *s = &P->slots[ix_find(P, key)];
    if (!s->n) return 0;
    *refs = s->n == 1 ? &s->val : ix->lists[s->val].refs;
    return s->n;
}

void syndic__ix_free(syndic_ix *ix)
{
    for (size_t i = 0; i < ix->list_count; i++) syndic__free(ix->lists[i].refs);
    syndic__free(ix->lists);
    syndic__free(ix->free_lists);
    for (size_t i = 0; i < IX_PARTS; i++) {
        big_free(ix->part[i].slots, ix->part[i].cap * sizeof *ix->part[i].slots);
        syndic__free(ix->part[i].staged_keys);
        syndic__free(ix->part[i].staged_refs);
    }
    memset(ix, 0, sizeof *ix);
}

/* ---- line counts ---- */

#define LT_TWO (UINT32_C(1) << 31)
#define LT_FP (UINT32_C(1) << 30)
#define LT_COUNT (LT_FP - 1)

static bool lt_template(const lt_slot *s, unsigned min_docs)
{
    return (s->docs & LT_TWO) && (s->docs & LT_COUNT) >= min_docs;
}

static size_t lt_find(const lt_part *P, uint64_t key)
{
    size_t i = slot_of(key, P->cap);
    while (P->slots[i].key && P->slots[i].key != key) i = i + 1 == P->cap ? 0 : i + 1;
    return i;
}

void syndic__lines_prefetch(const syndic_lines *t, uint64_t key)
{
    const lt_part *P = &t->part[part_of(key)];
    if (P->cap) __builtin_prefetch(&P->slots[slot_of(key, P->cap)]);
}

bool syndic__lines_is_template(const syndic_lines *t, uint64_t key)
{
    const lt_part *P = &t->part[part_of(key)];
    if (!P->cap) return false;
    const lt_slot *s = &P->slots[lt_find(P, key)];
    return s->key && lt_template(s, t->min_docs);
}

static int lt_grow(lt_part *P)
{
    size_t cap = P->cap < 64 ? 64 : P->cap + P->cap / 2;
    lt_slot *slots = big_calloc(cap, sizeof *slots);
    if (!slots) return syndic__oom();
    for (size_t i = 0; i < P->cap; i++) {
        if (!P->slots[i].key) continue;
        size_t j = slot_of(P->slots[i].key, cap);
        while (slots[j].key) j = j + 1 == cap ? 0 : j + 1;
        slots[j] = P->slots[i];
    }
    big_free(P->slots, P->cap * sizeof *P->slots);
    P->slots = slots;
    P->cap = cap;
    return SYNDIC_OK;
}

int syndic__lines_observe(syndic_lines *t, uint64_t key, uint32_t fp, bool *became)
{
    *became = false;
    if (!key) return SYNDIC_OK;
    lt_part *P = &t->part[part_of(key)];
    if ((P->count + 1) * MAX_LOAD_DEN > P->cap * MAX_LOAD_NUM) {
        int rc = lt_grow(P);
        if (rc < 0) return rc;
    }
    lt_slot *s = &P->slots[lt_find(P, key)];
    if (!s->key) { /* first sighting: only counted */
        *s = (lt_slot){key, 0, 1};
        P->count++;
        t->count++;
        return SYNDIC_OK;
    }
    if (lt_template(s, t->min_docs)) return SYNDIC_OK; /* a template stays one */
    if ((s->docs & LT_COUNT) < LT_COUNT) s->docs++;
    if (!(s->docs & LT_FP)) {
        s->fp = fp;
        s->docs |= LT_FP;
    } else if (s->fp != fp) {
        s->docs |= LT_TWO;
    }
    if (lt_template(s, t->min_docs)) {
        t->templates++;
        *became = true;
    }
    return SYNDIC_OK;
}

int syndic__lines_stage(syndic_lines *t, uint64_t key, uint32_t fp)
{
    if (!key) return SYNDIC_OK;
    lt_part *P = &t->part[part_of(key)];
    if (P->staged == P->staged_cap) {
        size_t cap = P->staged_cap ? P->staged_cap * 2 : 1024;
        uint64_t *k = syndic__reallocarray(P->staged_keys, cap, sizeof *k);
        if (!k) return syndic__oom();
        P->staged_keys = k;
        uint32_t *f = syndic__reallocarray(P->staged_fps, cap, sizeof *f);
        if (!f) return syndic__oom();
        P->staged_fps = f;
        P->staged_cap = cap;
    }
    P->staged_keys[P->staged] = key;
    P->staged_fps[P->staged++] = fp;
    return SYNDIC_OK;
}

int syndic__lines_flush(syndic_lines *t, int (*became)(void *ctx, uint64_t key), void *ctx)
{
    int rc = SYNDIC_OK;
    for (size_t p = 0; p < IX_PARTS; p++) {
        lt_part *P = &t->part[p];
        for (size_t i = 0; i < P->staged && rc == SYNDIC_OK; i++) {
            bool b;
            rc = syndic__lines_observe(t, P->staged_keys[i], P->staged_fps[i], &b);
            if (rc == SYNDIC_OK && b) rc = became(ctx, P->staged_keys[i]);
        }
        syndic__free(P->staged_keys);
        syndic__free(P->staged_fps);
        P->staged_keys = NULL;
        P->staged_fps = NULL;
        P->staged = P->staged_cap = 0;
    }
    return rc;
}

void syndic__lines_free(syndic_lines *t)
{
    for (size_t i = 0; i < IX_PARTS; i++) {
        big_free(t->part[i].slots, t->part[i].cap * sizeof *t->part[i].slots);
        syndic__free(t->part[i].staged_keys);
        syndic__free(t->part[i].staged_fps);
    }
    unsigned min_docs = t->min_docs;
    memset(t, 0, sizeof *t);
    t->min_docs = min_docs;
}

/* ---- time heap ---- */

static bool th_less(const th_entry *a, const th_entry *b)
{
    return a->time != b->time ? a->time < b->time : a->seq < b->seq;
}

static void th_down(syndic_theap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < h->n && th_less(&h->v[l], &h->v[m])) m = l;
        if (l + 1 < h->n && th_less(&h->v[l + 1], &h->v[m])) m = l + 1;
        if (m == i) return;
        th_entry t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
}

int syndic__theap_push(syndic_theap *h, int64_t time, uint64_t seq)
{
    if (syndic__grow(&h->v, &h->cap, h->n + 1, sizeof *h->v) < 0) return syndic__oom();
    size_t i = h->n++;
    h->v[i] = (th_entry){time, seq};
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!th_less(&h->v[i], &h->v[p])) break;
        th_entry t = h->v[i];
        h->v[i] = h->v[p];
        h->v[p] = t;
        i = p;
    }
    return SYNDIC_OK;
}

void syndic__theap_pop(syndic_theap *h)
{
    if (!h->n) return;
    h->v[0] = h->v[--h->n];
    th_down(h, 0);
}

void syndic__theap_heapify(syndic_theap *h)
{
    for (size_t i = h->n / 2; i-- > 0;) th_down(h, i);
}

void syndic__theap_free(syndic_theap *h)
{
    syndic__free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

/* ---- articles for verification ---- */

/* Drops the dead prefix once it is more than half of the table. */
static void vtab_trim(syndic_vtab *t)
{
    if (t->dead_prefix < 4096 || t->dead_prefix * 2 < t->count) return;
    size_t d = t->dead_prefix;
    memmove(t->v, t->v + d, (t->count - d) * sizeof *t->v);
    memmove(t->sig, t->sig + d * t->k, (t->count - d) * t->k * sizeof *t->sig);
    t->count -= d;
    t->base += d;
    t->dead_prefix = 0;
}

static int vtab_room(syndic_vtab *t, size_t need)
{
    if (need <= t->cap) return SYNDIC_OK;
    size_t cap = t->cap ? t->cap + t->cap / 2 : 1024;
    if (cap < need) cap = need;
    if (cap > SIZE_MAX / sizeof *t->v / t->k) return syndic__oom();
    vdoc *v = big_calloc(cap, sizeof *v);
    uint32_t *sig = big_calloc(cap * t->k, sizeof *sig);
    if (!v || !sig) {
        big_free(v, cap * sizeof *v);
        big_free(sig, cap * t->k * sizeof *sig);
        return syndic__oom();
    }
    if (t->count) {
        memcpy(v, t->v, t->count * sizeof *v);
        memcpy(sig, t->sig, t->count * t->k * sizeof *sig);
    }
    big_free(t->v, t->cap * sizeof *t->v);
    big_free(t->sig, t->cap * t->k * sizeof *t->sig);
    t->v = v;
    t->sig = sig;
    t->cap = cap;
    return SYNDIC_OK;
}

int syndic__vtab_reserve(syndic_vtab *t, size_t count) { return vtab_room(t, count); }

int syndic__vtab_add(syndic_vtab *t, uint64_t seq, const vdoc *d, const uint32_t *sig,
                     const char *outlet, size_t outlet_len)
{
    if (!t->count && !t->dead_prefix) t->base = seq;
    if (seq < t->base + t->count) return syndic__error(SYNDIC_EINVAL, "article seqs must grow");
    uint64_t gap = seq - (t->base + t->count);
    if (gap > ((uint64_t)1 << 32)) return syndic__error(SYNDIC_ENOMEM, "article seqs too far apart");
    if (t->count == t->dead_prefix && gap) {
        /* Nothing live: start the table at this seq. */
        t->base = seq;
        t->count = t->dead_prefix = 0;
        gap = 0;
    }
    int rc = vtab_room(t, t->count + (size_t)gap + 1);
    if (rc < 0) return rc;
    for (uint64_t i = 0; i < gap; i++) {
        memset(&t->v[t->count], 0, sizeof *t->v);
        t->count++;
    }
    uint32_t o = 0;
    if ((rc = syndic__intern(&t->outlets, outlet, outlet_len, &o)) < 0) return rc;
    t->v[t->count] = *d;
    t->v[t->count].outlet = o;
    t->v[t->count].live = 1;
    memcpy(t->sig + t->count * t->k, sig, t->k * sizeof *sig);
    t->count++;
    return SYNDIC_OK;
}

const vdoc *syndic__vtab_get(const syndic_vtab *t, uint64_t seq)
{
    if (seq < t->base || seq - t->base >= t->count) return NULL;
    const vdoc *d = &t->v[seq - t->base];
    return d->live ? d : NULL;
}

void syndic__vtab_prefetch(const syndic_vtab *t, uint64_t seq)
{
    if (seq < t->base || seq - t->base >= t->count) return;
    __builtin_prefetch(&t->v[seq - t->base]);
    const char *sig = (const char *)(t->sig + (seq - t->base) * t->k);
    for (size_t i = 0; i < t->k * sizeof *t->sig; i += 64) __builtin_prefetch(sig + i);
}

const uint32_t *syndic__vtab_sig(const syndic_vtab *t, uint64_t seq)
{
    return t->sig + (seq - t->base) * t->k;
}

const char *syndic__vtab_outlet(const syndic_vtab *t, const vdoc *d)
{
    return syndic__interned(&t->outlets, d->outlet);
}

void syndic__vtab_kill(syndic_vtab *t, uint64_t seq)
{
    if (seq < t->base || seq - t->base >= t->count) return;
    t->v[seq - t->base].live = 0;
    while (t->dead_prefix < t->count && !t->v[t->dead_prefix].live) t->dead_prefix++;
    vtab_trim(t);
}

void syndic__vtab_free(syndic_vtab *t)
{
    syndic__intern_free(&t->outlets);
    big_free(t->v, t->cap * sizeof *t->v);
    big_free(t->sig, t->cap * t->k * sizeof *t->sig);
    unsigned k = t->k;
    memset(t, 0, sizeof *t);
    t->k = k;
}

/* ---- live members per story ---- */

void syndic__live_start(syndic_live *l, uint64_t first)
{
    l->base = first;
    l->based = true;
}

int syndic__live_add(syndic_live *l, uint64_t story, int delta, uint32_t *now)
{
    if (!l->count && !l->based) l->base = story;
    if (story < l->base) {
        /* A story below the window gains a member only in a rebuild (see
         * the header): the window grows down to it. One that loses one is
         * gone (its members were all counted out, then dropped). */
        if (delta < 0 || l->base - story >= ((uint64_t)1 << 32) - l->count)
            return syndic__error(SYNDIC_EINVAL, "story %llu is gone", (unsigned long long)story);
        size_t front = (size_t)(l->base - story);
        if (syndic__grow(&l->n, &l->cap, l->count + front, sizeof *l->n) < 0) return syndic__oom();
        memmove(l->n + front, l->n, l->count * sizeof *l->n);
        memset(l->n, 0, front * sizeof *l->n);
        l->count += front;
        l->base = story;
        l->dead_prefix = 0; /* story, in front, is about to have a member */
    }
    uint64_t at = story - l->base;
    if (at >= l->count) {
        if (delta < 0 || at >= ((uint64_t)1 << 32))
            return syndic__error(SYNDIC_EINVAL, "story %llu unknown", (unsigned long long)story);
        if (syndic__grow(&l->n, &l->cap, (size_t)at + 1, sizeof *l->n) < 0) return syndic__oom();
        memset(l->n + l->count, 0, ((size_t)at + 1 - l->count) * sizeof *l->n);
        l->count = (size_t)at + 1;
    }
    uint32_t *c = &l->n[at];
    if (delta < 0 && *c == 0) return syndic__error(SYNDIC_EINVAL, "story %llu has no members",
                                                   (unsigned long long)story);
    *c = delta < 0 ? *c - 1 : *c + 1;
    *now = *c;
    while (l->dead_prefix < l->count && !l->n[l->dead_prefix]) l->dead_prefix++;
    if (l->dead_prefix >= 4096 && l->dead_prefix * 2 >= l->count) {
        memmove(l->n, l->n + l->dead_prefix, (l->count - l->dead_prefix) * sizeof *l->n);
        l->count -= l->dead_prefix;
        l->base += l->dead_prefix;
        l->dead_prefix = 0;
    }
    return SYNDIC_OK;
}

uint32_t syndic__live_get(const syndic_live *l, uint64_t story)
{
    return story >= l->base && story - l->base < l->count ? l->n[story - l->base] : 0;
}

void syndic__live_free(syndic_live *l)
{
    syndic__free(l->n);
    memset(l, 0, sizeof *l);
}
