/*
 * tset.c - the template set: keys read by any thread while one writer adds.
 *
 * Open addressing with linear probing in a table of atomic 64-bit keys (0 =
 * empty), at most half full. A reader loads the current table with acquire
 * order and probes it; the writer stores a key with release order, so a
 * reader that finds a key sees it whole. To grow, the writer copies the keys
 * into a table twice the size and publishes it; the old table is kept until
 * syndic__tset_free, because a reader may still be probing it. Keys are
 * only added (or all cleared at once), so a reader's answer is at worst a
 * little out of date, never wrong about a key it finds. gen counts the
 * changes, for callers that must know whether the set moved since they
 * looked (ingest's confirm_sketch).
 */
#include "tset.h"

#include "internal.h"

static inline size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static tset_table *tset_table_new(size_t cap)
{
    tset_table *t = syndic__calloc(1, sizeof *t + cap * sizeof t->keys[0]);
    if (!t) return NULL;
    t->cap = cap;
    for (size_t i = 0; i < cap; i++) atomic_init(&t->keys[i], 0);
    return t;
}

bool syndic__tset_has(syndic_tset *t, uint64_t key)
{
    tset_table *tab = atomic_load_explicit(&t->cur, memory_order_acquire);
    if (!tab || !key) return false;
    for (size_t i = slot_of(key, tab->cap);; i = i + 1 == tab->cap ? 0 : i + 1) {
        uint64_t k = atomic_load_explicit(&tab->keys[i], memory_order_acquire);
        if (k == key) return true;
        if (!k) return false;
    }
}

uint64_t syndic__tset_gen(syndic_tset *t)
{
    return atomic_load_explicit(&t->gen, memory_order_acquire);
}

static int tset_retire(syndic_tset *t, tset_table *old)
{
    if (!old) return SYNDIC_OK;
    if (syndic__grow(&t->old, &t->old_cap, t->old_n + 1, sizeof *t->old) < 0) return syndic__oom();
    t->old[t->old_n++] = old;
    return SYNDIC_OK;
}

static void tset_put(tset_table *tab, uint64_t key)
{
    size_t i = slot_of(key, tab->cap);
    for (;;) {
        uint64_t k = atomic_load_explicit(&tab->keys[i], memory_order_relaxed);
        if (k == key) return;
        if (!k) break;
        i = i + 1 == tab->cap ? 0 : i + 1;
    }
    atomic_store_explicit(&tab->keys[i], key, memory_order_release);
}

int syndic__tset_add(syndic_tset *t, uint64_t key)
{
    if (!key) return SYNDIC_OK;
    tset_table *tab = atomic_load_explicit(&t->cur, memory_order_relaxed);
    if (!tab || (t->count + 1) * 2 > tab->cap) {
        /* A copy twice the size, published whole; the old one is retired. */
        tset_table *bigger = tset_table_new(tab ? tab->cap * 2 : 256);
        if (!bigger) return syndic__oom();
        for (size_t i = 0; tab && i < tab->cap; i++) {
            uint64_t k = atomic_load_explicit(&tab->keys[i], memory_order_relaxed);
            if (k) tset_put(bigger, k);
        }
        if (tset_retire(t, tab) < 0) { syndic__free(bigger); return syndic__oom(); }
        atomic_store_explicit(&t->cur, bigger, memory_order_release);
        tab = bigger;
    }
    tset_put(tab, key);
    t->count++;
    atomic_fetch_add_explicit(&t->gen, 1, memory_order_release);
    return SYNDIC_OK;
}

int syndic__tset_clear(syndic_tset *t)
{
    tset_table *fresh = tset_table_new(256);
    if (!fresh) return syndic__oom();
    tset_table *tab = atomic_load_explicit(&t->cur, memory_order_relaxed);
    if (tset_retire(t, tab) < 0) { syndic__free(fresh); return syndic__oom(); }
    atomic_store_explicit(&t->cur, fresh, memory_order_release);
    t->count = 0;
    atomic_fetch_add_explicit(&t->gen, 1, memory_order_release);
    return SYNDIC_OK;
}

void syndic__tset_free(syndic_tset *t)
{
    for (size_t i = 0; i < t->old_n; i++) syndic__free(t->old[i]);
    syndic__free(t->old);
    syndic__free(atomic_load_explicit(&t->cur, memory_order_relaxed));
    t->old = NULL;
    t->old_n = t->old_cap = t->count = 0;
    atomic_store_explicit(&t->cur, NULL, memory_order_relaxed);
}
