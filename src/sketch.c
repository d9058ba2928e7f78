/*
 * sketch.c - MinHash signatures by one-permutation hashing with optimal
 * densification.
 *
 * Classic MinHash applies K independent hash functions to each of the n
 * shingles: O(n*K). One-permutation hashing (OPH; Li, Owen and Zhang, NIPS
 * 2012) hashes each shingle once and splits the hash range into K bins: the
 * high 32 bits of the shingle hash pick the bin, the low 32 bits are the
 * value, and each bin keeps its minimum. That is O(n + K), and for n >> K it
 * estimates Jaccard with slightly lower variance than K permutations (it
 * samples without replacement).
 *
 * Short texts leave bins empty. "Optimal densification" (Shrivastava, ICML
 * 2017) fills each empty bin i with the value of a non-empty bin chosen by a
 * fixed hash sequence h(i, 0), h(i, 1), ... (the first non-empty one). The
 * sequence depends only on the seed, so two documents that both have bin i
 * empty probe the same bins, which is what keeps the estimator unbiased; the
 * paper shows its variance is close to that of K independent permutations.
 * tests/test_sketch.c checks the RMS error over Jaccard 0.1..0.9 against
 * sqrt(J(1-J)/K).
 *
 * Values are 32 bits: a chance match of two different minima has probability
 * 2^-32 per bin, negligible against the estimator's own error, and it halves
 * the memory of a signature (512 bytes at K = 128).
 *
 * An empty set gives all UINT32_MAX; callers must not compare it (a text with
 * no words is a singleton that never matches).
 */
#include "digest.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static inline uint64_t mix64(uint64_t x)
{
    /* splitmix64 finalizer (Steele, Lea and Flood 2014). */
    x ^= x >> 30; x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27; x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static inline uint32_t reduce(uint32_t x, uint32_t n)
{
    /* Lemire's multiply-shift range reduction: x uniform in 2^32 -> [0, n). */
    return (uint32_t)(((uint64_t)x * n) >> 32);
}

void syndic_sketch_hashes(const syndic_params *params, const uint64_t *hashes,
                          size_t count, uint32_t *sig)
{
    const uint32_t k = params->num_hashes;
    /* Bins start at UINT64_MAX ("empty"); values are < 2^32 so never equal. */
    uint64_t bins[1024];
    for (uint32_t i = 0; i < k; i++) bins[i] = UINT64_MAX;
    for (size_t i = 0; i < count; i++) {
        uint64_t h = hashes[i];
        uint32_t bin = reduce((uint32_t)(h >> 32), k);
        uint64_t v = h & 0xffffffffu;
        if (v < bins[bin]) bins[bin] = v;
    }
    if (count == 0) {
        for (uint32_t i = 0; i < k; i++) sig[i] = UINT32_MAX;
        return;
    }
    for (uint32_t i = 0; i < k; i++) {
        if (bins[i] != UINT64_MAX) { sig[i] = (uint32_t)bins[i]; continue; }
        /* Optimal densification: probe h(i, attempt) until a filled bin. */
        for (uint64_t attempt = 0;; attempt++) {
            uint64_t r = mix64(params->seed ^ ((uint64_t)i << 32 | attempt) ^
                               UINT64_C(0x9e3779b97f4a7c15));
            uint32_t j = reduce((uint32_t)r, k);
            if (bins[j] != UINT64_MAX) { sig[i] = (uint32_t)bins[j]; break; }
        }
    }
}

double syndic_signature_jaccard(const uint32_t *a, const uint32_t *b,
                                unsigned num_hashes)
{
    unsigned same = 0;
    for (unsigned i = 0; i < num_hashes; i++) same += a[i] == b[i];
    return num_hashes ? (double)same / num_hashes : 0.0;
}

/* The public sketcher is a user of the per-document core (digest.c). */
struct syndic_sketcher {
    syndic_params params;
    syndic_digest digest;
    uint64_t *hashes;
    size_t hash_count, hash_cap;
};

int syndic_sketcher_new(syndic_sketcher **out, const syndic_params *params)
{
    *out = NULL;
    syndic_params p = *params;
    int rc = syndic_params_resolve(&p);
    if (rc < 0) return rc;
    syndic_sketcher *s = syndic__calloc(1, sizeof *s);
    if (!s) return syndic__oom();
    s->params = p;
    *out = s;
    return SYNDIC_OK;
}

void syndic_sketcher_free(syndic_sketcher *s)
{
    if (!s) return;
    syndic__digest_free(&s->digest);
    syndic__free(s->hashes);
    syndic__free(s);
}

int syndic_sketcher_normalize(const char **out, size_t *out_len, size_t *words,
                              syndic_sketcher *s, const char *text, size_t len)
{
    int rc = syndic__digest_text(&s->digest, text, len, 0, false);
    if (rc < 0) return rc;
    *out = s->digest.words.text;
    *out_len = s->digest.words.len;
    if (words) *words = s->digest.words.count;
    return SYNDIC_OK;
}

int syndic_sketcher_shingles(const uint64_t **hashes, size_t *count, syndic_sketcher *s,
                             const char *text, size_t len)
{
    int rc = syndic__digest_text(&s->digest, text, len, 0, false);
    if (rc < 0) return rc;
    rc = syndic__shingle(&s->hashes, &s->hash_count, &s->hash_cap, &s->digest.words,
                         s->params.shingle_words, s->params.seed);
    if (rc < 0) return rc;
    *hashes = s->hashes;
    *count = s->hash_count;
    return SYNDIC_OK;
}

int syndic_sketcher_sketch(uint32_t *signature, uint32_t *shingles, syndic_sketcher *s,
                           const char *text, size_t len)
{
    syndic_numbers numbers;
    int rc = syndic__digest_text(&s->digest, text, len, 0, false);
    if (rc < 0) return rc;
    return syndic__digest_sketch(&s->digest, &s->params, signature, shingles, &numbers);
}
