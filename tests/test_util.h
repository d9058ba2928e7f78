/*
 * test_util.h - helpers the Check suites share: reproducible random data
 * and the allocation-failure probe. Include after internal.h.
 */
#ifndef SYNDIC_TEST_UTIL_H
#define SYNDIC_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A syndic_doc field's length: the strlen of a NUL-terminated string, 0 for
 * NULL (the library takes lengths as given: 0 is an empty string). */
static inline size_t test_len(const char *s) { return s ? strlen(s) : 0; }

/* xorshift64*: reproducible test data. Each suite sets rng_state (never 0)
 * where it wants a fixed sequence. */
static uint64_t rng_state = 0x123456789abcdefULL;

static inline uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

/* After a successful run armed with syndic__alloc_fail_after(n): true when
 * the failure is still pending, i.e. the run made fewer than n
 * allocations. Disarms. */
static inline bool failure_pending(unsigned long n)
{
    bool pending = false;
    void **p = calloc(n + 1, sizeof *p);
    for (unsigned long i = 0; i < n; i++) {
        p[i] = syndic__malloc(1);
        if (!p[i]) { pending = true; break; }
    }
    for (unsigned long i = 0; i < n; i++) syndic__free(p[i]);
    free(p);
    syndic__alloc_fail_after(0);
    return pending;
}

#endif
