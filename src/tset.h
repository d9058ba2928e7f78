/*
 * tset.h - a set of 64-bit keys that any thread may read while one thread
 * adds to it: the template lines known so far, which the batch's sketching
 * workers and ingest's preparing thread drop while the counting thread
 * learns more (tset.c).
 */
#ifndef SYNDIC_TSET_H
#define SYNDIC_TSET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the line keys that are templates, read by any thread
 * (the sketching thread) while one writer adds to it. Lock-free: a reader
 * loads the current table (acquire) and probes it; the writer stores new
 * keys with release order and, to grow, publishes a copy and keeps the old
 * table alive until syndic__tset_free (so a reader never touches freed
 * memory). gen counts changes: a reader that saw gen g before sketching saw
 * every template added before g was published. */
typedef struct tset_table { size_t cap; _Atomic uint64_t keys[]; } tset_table;
typedef struct syndic_tset {
    _Atomic(tset_table *) cur;
    _Atomic uint64_t gen;
    size_t count;                  /* writer only */
    tset_table **old;              /* writer only: retired tables */
    size_t old_n, old_cap;
} syndic_tset;
bool syndic__tset_has(syndic_tset *t, uint64_t key);
uint64_t syndic__tset_gen(syndic_tset *t);
int syndic__tset_add(syndic_tset *t, uint64_t key);
/* Starts an empty set (the old tables stay readable until free). */
int syndic__tset_clear(syndic_tset *t);
void syndic__tset_free(syndic_tset *t);

#endif
