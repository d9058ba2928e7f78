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
 * them is quadratic. A pair is emitted only in the first band where its two
 * documents meet (checked on the signature values of the earlier bands), so
 * each pair comes once and none needs to be kept: deduplicating by
 * re-sorting a growing array of repeats made this stage superlinear (29 s of
 * 125 s at 1M documents). Pairs go to the caller in blocks, as they are
 * found (the batch verifies each block on its threads meanwhile).
 * Memory: 16 bytes per document for the band array, one bit per document
 * and band for skipped buckets, and one block of pairs. (A 64-bit key
 * collision between different band values can emit a pair a second time in
 * a later band; the batch drops the repeated edge.)
 */
#include "internal.h"

#include <math.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* 1 - (1 - x)^b as -expm1(b log1p(-x)): written out, 1 - x rounds to 1 for
 * x = s^r below 2^-53 and a small P came out 0, so a choice weighting false
 * positives heavily saw every long band as equally good (K = 100, fp_weight
 * 1, fn_weight 0 chose r = 54, not 100). */
double syndic_lsh_probability(double s, unsigned bands, unsigned rows)
{
    return -expm1((double)bands * log1p(-pow(s, (double)rows)));
}

static double integrate(double lo, double hi, unsigned b, unsigned r, bool fn)
{
    const int n = 512; /* even */
    double h = (hi - lo) / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double s = lo + h * i;
        /* The miss probability directly: 1 - P loses it where P is near 1. */
        double f = fn ? pow(1.0 - pow(s, (double)r), (double)b) : syndic_lsh_probability(s, b, r);
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

/* Did documents x and y already meet in a band before `band`, in a bucket
 * that was not skipped? Then the pair was emitted there. Equal values give
 * equal band keys; the rare 64-bit key collision between different values
 * is caught by the final sort. */
static bool met_before(const uint32_t *sx, const uint32_t *sy, unsigned band,
                       unsigned rows, const uint8_t *skipped_x)
{
    for (unsigned b = 0; b < band; b++) {
        const uint32_t *vx = sx + (size_t)b * rows, *vy = sy + (size_t)b * rows;
        unsigned r = 0;
        while (r < rows && vx[r] == vy[r]) r++;
        if (r == rows && !(skipped_x[b >> 3] & (1u << (b & 7)))) return true;
    }
    return false;
}

int syndic__lsh_candidates(syndic_candidates *out, const uint32_t *sigs,
                           const uint8_t *active, uint32_t n, const syndic_params *p,
                           syndic__pairs_fn fn, void *ctx)
{
    out->count = 0;
    out->skipped_buckets = out->skipped_bucket_docs = 0;
    const size_t mask_bytes = (p->bands + 7) / 8;
    syndic_keyed *keys = syndic__reallocarray(NULL, n ? n : 1, sizeof *keys);
    /* Per document, one bit per band: its bucket there was skipped. */
    uint8_t *skipped = syndic__calloc(n ? n : 1, mask_bytes);
    uint64_t *block = syndic__reallocarray(NULL, SYNDIC__PAIR_BLOCK, sizeof *block);
    size_t fill = 0;
    int rc = SYNDIC_OK;
    if (!keys || !skipped || !block) { rc = syndic__oom(); goto out; }
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
                for (size_t x = i; x < j; x++)
                    skipped[(size_t)keys[x].val * mask_bytes + band / 8] |=
                        (uint8_t)(1u << (band & 7));
            } else if (run > 1) {
                for (size_t x = i; x < j; x++) {
                    uint32_t dx = keys[x].val;
                    const uint32_t *sx = sigs + (size_t)dx * p->num_hashes;
                    const uint8_t *mx = skipped + (size_t)dx * mask_bytes;
                    for (size_t y = x + 1; y < j; y++) {
                        uint32_t dy = keys[y].val;
                        /* Only in the first band the pair shares: each pair
                         * once (see the top comment). */
                        if (met_before(sx, sigs + (size_t)dy * p->num_hashes,
                                       band, p->rows, mx))
                            continue;
                        block[fill++] = (uint64_t)dx << 32 | dy;
                        if (fill == SYNDIC__PAIR_BLOCK) {
                            out->count += fill;
                            if ((rc = fn(ctx, block, fill)) < 0) goto out;
                            fill = 0;
                        }
                    }
                }
            }
            i = j;
        }
    }
    out->count += fill;
    if (fill) rc = fn(ctx, block, fill);
out:
    syndic__free(keys);
    syndic__free(skipped);
    syndic__free(block);
    return rc;
}
