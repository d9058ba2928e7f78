/*
 * shingle.c - word k-shingles as a set of 64-bit hashes.
 *
 * A shingle is k consecutive words. The normalized text keeps words separated
 * by exactly one space, so the k words starting at word i are one contiguous
 * byte range, text[start[i] .. end[i+k-1]), and a shingle's hash is XXH3_64
 * of that range with the run's seed: no copying, no joining.
 *
 * Degenerate cases:
 *  - a text with fewer than k words (but at least one) is one shingle made
 *    of all its words, so that very short texts (a one-line brief) still
 *    match exact copies of themselves;
 *  - a text with no words has no shingles. Its signature carries no
 *    information and the batch keeps it out of the index: otherwise every
 *    empty document would share every bucket and candidates would grow
 *    quadratically.
 *
 * syndic__shingle's result is sorted and distinct: exact set operations need
 * that. Sketching needs neither order nor distinctness (a bin's minimum is
 * the same with repeats) but needs the set size, for containment:
 * syndic__shingle_bag leaves the hashes as they come and counts the distinct
 * ones in a small hash set, a few times cheaper than sorting per document. 64-bit hashes make collisions negligible: about
 * n^2 / 2^65, i.e. 3e-14 for a 1,000-shingle document.
 */
#include "internal.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Every shingle's hash, in text order and with repeats, into *hashes;
 * *count of them (0 for a text without words). */
static int hash_all(uint64_t **hashes, size_t *count, size_t *cap, const syndic_words *w,
                    unsigned k, uint64_t seed)
{
    *count = 0;
    if (w->count == 0) return SYNDIC_OK;
    size_t n = w->count >= k ? w->count - k + 1 : 1;
    int rc = syndic__grow(hashes, cap, n, sizeof **hashes);
    if (rc < 0) return rc;
    uint64_t *h = *hashes;
    if (w->count < k) {
        h[0] = XXH3_64bits_withSeed(w->text, w->len, seed);
    } else {
        for (size_t i = 0; i < n; i++) {
            uint32_t a = w->start[i], b = w->end[i + k - 1];
            h[i] = XXH3_64bits_withSeed(w->text + a, b - a, seed);
        }
    }
    *count = n;
    return SYNDIC_OK;
}

int syndic__shingle(uint64_t **hashes, size_t *count, size_t *cap,
                    const syndic_words *w, unsigned k, uint64_t seed)
{
    size_t n;
    int rc = hash_all(hashes, &n, cap, w, k, seed);
    *count = 0;
    if (rc < 0 || n == 0) return rc;
    uint64_t *h = *hashes;
    if ((rc = syndic__sort_hashes(h, n)) < 0) return rc;
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (h[i] != h[m - 1]) h[m++] = h[i];
    *count = m;
    return SYNDIC_OK;
}

int syndic__shingle_bag(uint64_t **hashes, size_t *count, size_t *cap,
                        const syndic_words *w, unsigned k, uint64_t seed,
                        uint64_t **table, size_t *table_cap, size_t *distinct)
{
    *distinct = 0;
    int rc = hash_all(hashes, count, cap, w, k, seed);
    size_t n = *count;
    if (rc < 0 || n <= 1) {
        *distinct = n;
        return rc;
    }
    const uint64_t *h = *hashes;
    /* Open addressing at load <= 1/2; 0 marks a free slot, so a zero hash
     * is counted on the side. */
    size_t slots = 64;
    while (slots < 2 * n) slots *= 2;
    if (*table_cap < slots) {
        uint64_t *t = syndic__reallocarray(*table, slots, sizeof *t);
        if (!t) return syndic__oom();
        *table = t;
        *table_cap = slots;
    }
    uint64_t *t = *table;
    memset(t, 0, slots * sizeof *t);
    size_t mask = slots - 1, d = 0;
    bool zero = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = h[i];
        if (x == 0) { zero = true; continue; }
        size_t j = (size_t)x & mask;
        while (t[j] && t[j] != x) j = (j + 1) & mask;
        if (!t[j]) { t[j] = x; d++; }
    }
    *distinct = d + zero;
    return SYNDIC_OK;
}
