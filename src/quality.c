/*
 * quality.c - agreement of a clustering with ground truth.
 *
 * Everything comes from the contingency table of (predicted, true) label
 * pairs, built by sorting the n pairs: O(n log n) time, O(n) memory, so it
 * scales to millions of documents.
 *  - Pairwise precision/recall: over unordered pairs of items, a pair is
 *    "found" when both are in one predicted cluster and "true" when both are
 *    in one true group. With cell counts n_ij, row sums a_i, column sums b_j:
 *    correct = sum C(n_ij, 2), found = sum C(a_i, 2), true = sum C(b_j, 2).
 *  - Adjusted Rand index (Hubert and Arabie 1985) from the same sums.
 *  - B-cubed (Bagga and Baldwin 1998): per item, precision = n_ij / a_i and
 *    recall = n_ij / b_j for its own cell, averaged over items.
 */
#include "internal.h"

#include <stdlib.h>

static double pairs(uint64_t x) { return (double)x * (double)(x - (x > 0)) / 2.0; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sizes of groups of equal labels, written per item into `count`. */
static int group_sizes(const uint32_t *labels, size_t n, uint32_t *count)
{
    uint64_t *v = syndic__reallocarray(NULL, n ? n : 1, sizeof *v);
    if (!v) return syndic__oom();
    for (size_t i = 0; i < n; i++) v[i] = (uint64_t)labels[i] << 32 | (uint32_t)i;
    qsort(v, n, sizeof *v, cmp_u64);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j] >> 32 == v[i] >> 32) j++;
        for (size_t t = i; t < j; t++) count[(uint32_t)v[t]] = (uint32_t)(j - i);
        i = j;
    }
    syndic__free(v);
    return SYNDIC_OK;
}

int syndic_quality_compute(syndic_quality *q, const uint32_t *pred,
                           const uint32_t *truth, size_t n)
{
    *q = (syndic_quality){0};
    if (n > UINT32_MAX) return syndic__error(SYNDIC_EINVAL, "too many items");
    int rc = SYNDIC_OK;
    uint32_t *a = syndic__reallocarray(NULL, n ? n : 1, sizeof *a);
    uint32_t *bsz = syndic__reallocarray(NULL, n ? n : 1, sizeof *bsz);
    uint64_t *cell = syndic__reallocarray(NULL, n ? n : 1, sizeof *cell);
    if (!a || !bsz || !cell) { rc = syndic__oom(); goto out; }
    if ((rc = group_sizes(pred, n, a)) < 0 || (rc = group_sizes(truth, n, bsz)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) cell[i] = (uint64_t)pred[i] << 32 | truth[i];
    qsort(cell, n, sizeof *cell, cmp_u64);
    double sum_cells = 0, sum_a = 0, sum_b = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cell[j] == cell[i]) j++;
        sum_cells += pairs(j - i);
        i = j;
    }
    /* Row and column sums: each group of size s contributes C(s,2) once, i.e.
     * C(s,2)/s per member. */
    double bp = 0, br = 0;
    for (size_t i = 0; i < n; i++) {
        sum_a += pairs(a[i]) / a[i];
        sum_b += pairs(bsz[i]) / bsz[i];
    }
    {
        /* B-cubed needs each item's own cell size: binary-search its
         * (pred, truth) key in the sorted cells. */
        uint64_t *order = syndic__reallocarray(NULL, n ? n : 1, sizeof *order);
        uint32_t *cell_size = syndic__reallocarray(NULL, n ? n : 1, sizeof *cell_size);
        if (!order || !cell_size) {
            syndic__free(order);
            syndic__free(cell_size);
            rc = syndic__oom();
            goto out;
        }
        for (size_t i = 0; i < n; i++) order[i] = (uint64_t)pred[i] << 32 | truth[i];
        for (size_t i = 0; i < n; i++) {
            uint64_t key = order[i];
            size_t lo = 0, hi = n;
            while (lo < hi) { size_t mid = (lo + hi) / 2; if (cell[mid] < key) lo = mid + 1; else hi = mid; }
            size_t first = lo;
            hi = n;
            while (lo < hi) { size_t mid = (lo + hi) / 2; if (cell[mid] <= key) lo = mid + 1; else hi = mid; }
            cell_size[i] = (uint32_t)(lo - first);
        }
        for (size_t i = 0; i < n; i++) {
            bp += (double)cell_size[i] / a[i];
            br += (double)cell_size[i] / bsz[i];
        }
        syndic__free(order);
        syndic__free(cell_size);
    }
    q->correct_pairs = (uint64_t)sum_cells;
    q->found_pairs = (uint64_t)sum_a;
    q->true_pairs = (uint64_t)sum_b;
    q->precision = sum_a > 0 ? sum_cells / sum_a : 1.0;
    q->recall = sum_b > 0 ? sum_cells / sum_b : 1.0;
    q->f1 = q->precision + q->recall > 0
                ? 2 * q->precision * q->recall / (q->precision + q->recall) : 0;
    double total = pairs(n);
    double expected = total > 0 ? sum_a * sum_b / total : 0;
    double max_index = (sum_a + sum_b) / 2;
    q->ari = max_index - expected != 0 ? (sum_cells - expected) / (max_index - expected) : 1.0;
    if (n) {
        q->bcubed_precision = bp / (double)n;
        q->bcubed_recall = br / (double)n;
        double s = q->bcubed_precision + q->bcubed_recall;
        q->bcubed_f1 = s > 0 ? 2 * q->bcubed_precision * q->bcubed_recall / s : 0;
    }
out:
    syndic__free(a);
    syndic__free(bsz);
    syndic__free(cell);
    return rc;
}
