/*
 * sort.c - radix sorts for 64-bit keys.
 *
 * Candidate generation sorts (band key, document) tuples and shingling sorts
 * hashes; both are large arrays of random 64-bit keys, where an LSD radix
 * sort (8 passes of 8 bits, stable) beats comparison sorting by a wide
 * margin and, unlike qsort, is deterministic for equal keys. Small arrays use
 * insertion sort. Passes whose byte is the same in every key are skipped.
 *
 * Hashes (uniformly random keys: a document's shingles, a sentence's words)
 * need fewer passes: sorted on their top 8 * p bits, where 2^(8p) is at
 * least 16 times the count, they are nearly in order (a prefix is shared by
 * few keys), and one insertion-sort pass finishes the job in about n steps.
 * Per document that is 2 passes instead of 8, with no allocation below
 * HASH_STACK keys.
 */
#include "internal.h"

#include <string.h>

#define SMALL 48

static void insertion_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

int syndic__sort_u64(uint64_t *v, size_t n)
{
    if (n <= SMALL) { insertion_u64(v, n); return SYNDIC_OK; }
    uint64_t *tmp = syndic__reallocarray(NULL, n, sizeof *tmp);
    if (!tmp) return syndic__oom();
    size_t counts[8][256];
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < 8; p++) counts[p][(v[i] >> (8 * p)) & 0xff]++;
    uint64_t *src = v, *dst = tmp;
    for (unsigned p = 0; p < 8; p++) {
        size_t *c = counts[p];
        if (c[(src[0] >> (8 * p)) & 0xff] == n) continue; /* one bucket */
        size_t sum = 0;
        for (unsigned b = 0; b < 256; b++) { size_t t = c[b]; c[b] = sum; sum += t; }
        for (size_t i = 0; i < n; i++) dst[c[(src[i] >> (8 * p)) & 0xff]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    syndic__free(tmp);
    return SYNDIC_OK;
}

int syndic__sort_keyed(syndic_keyed *v, size_t n)
{
    if (n <= SMALL) {
        for (size_t i = 1; i < n; i++) {
            syndic_keyed x = v[i];
            size_t j = i;
            while (j > 0 && (v[j - 1].key > x.key ||
                             (v[j - 1].key == x.key && v[j - 1].val > x.val))) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return SYNDIC_OK;
    }
    syndic_keyed *tmp = syndic__reallocarray(NULL, n, sizeof *tmp);
    if (!tmp) return syndic__oom();
    size_t counts[8][256];
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < 8; p++) counts[p][(v[i].key >> (8 * p)) & 0xff]++;
    syndic_keyed *src = v, *dst = tmp;
    for (unsigned p = 0; p < 8; p++) {
        size_t *c = counts[p];
        if (c[(src[0].key >> (8 * p)) & 0xff] == n) continue;
        size_t sum = 0;
        for (unsigned b = 0; b < 256; b++) { size_t t = c[b]; c[b] = sum; sum += t; }
        for (size_t i = 0; i < n; i++) dst[c[(src[i].key >> (8 * p)) & 0xff]++] = src[i];
        syndic_keyed *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    syndic__free(tmp);
    return SYNDIC_OK;
}

#define HASH_STACK 2048

int syndic__sort_hashes(uint64_t *v, size_t n)
{
    if (n <= SMALL) { insertion_u64(v, n); return SYNDIC_OK; }
    unsigned passes = 2;
    while (passes < 8 && ((uint64_t)1 << (8 * passes)) < (uint64_t)n * 16) passes++;
    uint64_t stack[HASH_STACK];
    uint64_t *tmp = n <= HASH_STACK ? stack : syndic__reallocarray(NULL, n, sizeof *tmp);
    if (!tmp) return syndic__oom();
    size_t counts[8][256];
    memset(counts, 0, passes * sizeof counts[0]);
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < passes; p++) counts[p][(v[i] >> (56 - 8 * p)) & 0xff]++;
    uint64_t *src = v, *dst = tmp;
    for (unsigned q = passes; q-- > 0;) { /* least significant of the top bytes first */
        size_t *c = counts[q];
        unsigned shift = 56 - 8 * q;
        size_t sum = 0;
        for (unsigned b = 0; b < 256; b++) { size_t t = c[b]; c[b] = sum; sum += t; }
        for (size_t i = 0; i < n; i++) dst[c[(src[i] >> shift) & 0xff]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    if (tmp != stack) syndic__free(tmp);
    /* Nearly sorted: about n steps. Keys that are not random (crafted
     * input, say) could make this quadratic: past a budget, sort fully. */
    size_t budget = 8 * n + 1024;
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
            if (--budget == 0) {
                v[j] = x;
                return syndic__sort_u64(v, n);
            }
        }
        v[j] = x;
    }
    return SYNDIC_OK;
}
