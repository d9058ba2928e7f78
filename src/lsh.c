/*
 * lsh.c - choosing LSH bands, and candidate pairs by sorting band keys.
 *
 * Banding: the K signature values are cut into b bands of r rows. Two
 * documents are candidates when all r values of some band agree, which for
 * Jaccard s happens with probability P(s) = 1 - (1 - s^r)^b: an S-curve that
 * rises around (1/b)^(1/r).
 *
 * Choosing b and r (datasketch's rule): for threshold t, minimise
 *     w_fp * integral_0^t P(s) ds  +  w_fn * integral_t^1 (1 - P(s)) ds
 * over b*r <= K, scanning b then r upwards and keeping the first minimum.
 * The integrals use composite Simpson's rule on 512 intervals, exact to far
 * below the gaps between neighbouring (b, r) choices.
 *
 * Candidates: instead of a hash table of growing bucket vectors, each band in
 * turn fills an array of (band key, document) and radix-sorts it; runs of
 * equal keys are the buckets. A run longer than max_bucket is skipped and
 * counted: such buckets are templates or boilerplate, and all-pairs within
 * them is quadratic. Pairs from all bands are then sorted and deduplicated.
 * Memory: 16 bytes per document for the band array plus 8 bytes per pair.
 */
#include "internal.h"

#include <math.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

double syndic_lsh_probability(double s, unsigned bands, unsigned rows)
{
    return 1.0 - pow(1.0 - pow(s, (double)rows), (double)bands);
}

static double integrate(double lo, double hi, unsigned b, unsigned r, bool fn)
{
    const int n = 512; /* even */
    double h = (hi - lo) / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double s = lo + h * i;
        double p = syndic_lsh_probability(s, b, r);
        double f = fn ? 1.0 - p : p;
        sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    return sum * h / 3.0;
}

int syndic_lsh_choose(unsigned *bands, unsigned *rows, double threshold,
                      unsigned num_hashes, double fp_weight, double fn_weight)
{
    if (!(threshold > 0.0 && threshold <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "threshold %g is outside (0, 1]", threshold);
    if (num_hashes == 0)
        return syndic__error(SYNDIC_EINVAL, "num_hashes must be positive");
    double best = INFINITY;
    unsigned best_b = 1, best_r = num_hashes;
    for (unsigned b = 1; b <= num_hashes; b++) {
        for (unsigned r = 1; r <= num_hashes / b; r++) {
            double fp = integrate(0.0, threshold, b, r, false);
            double fn = integrate(threshold, 1.0, b, r, true);
            double err = fp * fp_weight + fn * fn_weight;
            if (err < best) { best = err; best_b = b; best_r = r; }
        }
    }
    *bands = best_b;
    *rows = best_r;
    return SYNDIC_OK;
}

uint64_t syndic__band_key(const uint32_t *signature, unsigned band,
                          unsigned rows, uint64_t seed)
{
    return XXH3_64bits_withSeed(signature + (size_t)band * rows,
                                rows * sizeof *signature, seed + band);
}

int syndic__lsh_candidates(syndic_candidates *out, const uint32_t *sigs,
                           const uint8_t *active, uint32_t n,
                           const syndic_params *p)
{
    out->pairs = NULL;
    out->count = 0;
    out->skipped_buckets = out->skipped_bucket_docs = 0;
    syndic_keyed *keys = syndic__reallocarray(NULL, n ? n : 1, sizeof *keys);
    if (!keys) return syndic__oom();
    size_t cap = 0;
    int rc = SYNDIC_OK;
    for (unsigned band = 0; band < p->bands; band++) {
        size_t m = 0;
        for (uint32_t d = 0; d < n; d++) {
            if (!active[d]) continue;
            keys[m].key = syndic__band_key(sigs + (size_t)d * p->num_hashes,
                                           band, p->rows, p->seed);
            keys[m].val = d;
            keys[m].pad = 0;
            m++;
        }
        if ((rc = syndic__sort_keyed(keys, m)) < 0) goto out;
        for (size_t i = 0; i < m;) {
            size_t j = i + 1;
            while (j < m && keys[j].key == keys[i].key) j++;
            size_t run = j - i;
            if (run > p->max_bucket) {
                out->skipped_buckets++;
                out->skipped_bucket_docs += run;
            } else if (run > 1) {
                size_t add = run * (run - 1) / 2;
                if ((rc = syndic__grow(&out->pairs, &cap, out->count + add,
                                       sizeof *out->pairs)) < 0)
                    goto out;
                for (size_t x = i; x < j; x++)
                    for (size_t y = x + 1; y < j; y++)
                        out->pairs[out->count++] =
                            (uint64_t)keys[x].val << 32 | keys[y].val;
            }
            i = j;
        }
        /* Deduplicate as we go so the pair array stays near its final size. */
        if (out->count > 4 * (size_t)n + 1024 || band + 1 == p->bands) {
            if ((rc = syndic__sort_u64(out->pairs, out->count)) < 0) goto out;
            size_t u = 0;
            for (size_t i = 0; i < out->count; i++)
                if (u == 0 || out->pairs[i] != out->pairs[u - 1])
                    out->pairs[u++] = out->pairs[i];
            out->count = u;
        }
    }
out:
    syndic__free(keys);
    if (rc < 0) {
        syndic__free(out->pairs);
        out->pairs = NULL;
        out->count = 0;
    }
    return rc;
}
