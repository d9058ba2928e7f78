/*
 * test_lsh.c - LSH banding (lsh.c): the S-curve, the (b, r) choice, band
 * keys, and candidate pairs.
 *
 * The candidates are checked against a brute force that knows nothing of
 * keys or sorting: a pair is a candidate when both documents are active and
 * some band of theirs is equal value for value, in a bucket (the active
 * documents with that band's values) of at most max_bucket documents. Each
 * such pair must come exactly once, x < y, band by band (a pair in the
 * first band where it is a candidate); the buckets over max_bucket must be
 * counted. The random signatures come from a few "stories" copied with
 * mutations, plus boilerplate bands shared by many documents, so buckets of
 * every size occur.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ck_assert records its location on every call (a write to a pipe in fork
 * mode): too slow for the loops over every pair, which call Check only on
 * a failure. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                \
    } while (0)


/* ---- syndic_lsh_probability ---- */

typedef struct { double s; unsigned b, r; double p; } prob_case;

START_TEST(test_probability_closed_form)
{
    /* 1 - (1 - s^r)^b worked by hand (most exact in binary), and one
     * worked elsewhere: 1 - (31/32)^25. */
    static const prob_case table[] = {
        {0.0, 20, 5, 0.0},
        {1.0, 20, 5, 1.0},
        {1.0, 1, 128, 1.0},
        {0.5, 1, 1, 0.5},
        {0.5, 2, 1, 0.75},
        {0.5, 3, 1, 0.875},
        {0.25, 1, 2, 0.0625},
        {0.5, 2, 2, 0.4375},
        {0.75, 2, 2, 0.80859375},
        {0.5, 1, 3, 0.125},
        {0.5, 25, 5, 0.5478392215509674},
        /* Small ones keep their digits (relative error). */
        {0.5, 1, 60, 0x1p-60},
        {0.01, 1, 16, 1e-32},
        {0.001, 2, 4, 1.999999999999e-12},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const prob_case *c = &table[i];
        double got = syndic_lsh_probability(c->s, c->b, c->r);
        ck_assert_msg(fabs(got - c->p) <= 1e-12 * c->p, "P(%g; b=%u, r=%u) = %.17g, expected %.17g",
                      c->s, c->b, c->r, got, c->p);
    }
}
END_TEST

START_TEST(test_probability_shape)
{
    /* Rises with s and with b, falls with r; stays in [0, 1]. */
    for (unsigned b = 1; b <= 32; b *= 2)
        for (unsigned r = 1; r <= 16; r *= 2) {
            double prev = -1;
            for (int i = 0; i <= 100; i++) {
                double s = i / 100.0;
                double p = syndic_lsh_probability(s, b, r);
                CHECK(p >= 0.0 && p <= 1.0, "P(%g; %u, %u) = %g", s, b, r, p);
                CHECK(p >= prev, "P falls at s=%g b=%u r=%u", s, b, r);
                prev = p;
                if (i == 0 || i == 100) continue;
                double more_bands = syndic_lsh_probability(s, b + 1, r);
                double more_rows = syndic_lsh_probability(s, b, r + 1);
                CHECK(more_bands >= p && more_rows <= p, "s=%g b=%u r=%u", s, b, r);
                if (p < 1 - 1e-9) /* below where 1 - tiny rounds to 1 */
                    CHECK(more_bands > p && more_rows < p, "s=%g b=%u r=%u", s, b, r);
            }
        }
}
END_TEST

/* ---- syndic_lsh_choose ---- */

/* The objective of lsh_choose computed another way: the midpoint rule on
 * 1024 intervals instead of Simpson's on 512, and P written out here. */
static double objective(double t, unsigned b, unsigned r, double wfp, double wfn)
{
    const int n = 1024;
    double fp = 0, fn = 0;
    for (int i = 0; i < n; i++) {
        double s = t * (i + 0.5) / n;
        fp += 1 - pow(1 - pow(s, r), b);
        s = t + (1 - t) * (i + 0.5) / n;
        fn += pow(1 - pow(s, r), b);
    }
    return wfp * fp * t / n + wfn * fn * (1 - t) / n;
}

START_TEST(test_choose_header_example)
{
    /* include/syndic.h: for K = 128 with equal weights, t = 0.5 gives
     * b = 25, r = 5. */
    unsigned b = 0, r = 0;
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.5, 128, 0.5, 0.5), SYNDIC_OK);
    ck_assert_uint_eq(b, 25);
    ck_assert_uint_eq(r, 5);
}
END_TEST

typedef struct { unsigned k; double t, wfp, wfn; } choose_case;

START_TEST(test_choose_is_the_minimum)
{
    /* The choice minimises the objective: no (b, r) with b * r <= K does
     * better by more than the two integrations can disagree. */
    static const choose_case table[] = {
        {16, 0.1, 0.5, 0.5},  {16, 0.25, 0.5, 0.5}, {16, 0.5, 0.5, 0.5}, {16, 0.8, 0.5, 0.5},
        {16, 1.0, 0.5, 0.5},  {16, 0.3, 0.8, 0.2},  {16, 0.3, 0.2, 0.8}, {16, 0.7, 0.9, 0.1},
        {64, 0.2, 0.5, 0.5},  {64, 0.5, 0.5, 0.5},  {64, 0.9, 0.5, 0.5}, {64, 0.4, 0.3, 0.7},
        {128, 0.25, 0.5, 0.5}, {128, 0.6, 0.5, 0.5},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const choose_case *c = &table[i];
        unsigned b = 0, r = 0;
        ck_assert_int_eq(syndic_lsh_choose(&b, &r, c->t, c->k, c->wfp, c->wfn), SYNDIC_OK);
        ck_assert_msg(b >= 1 && r >= 1 && b * r <= c->k, "K=%u t=%g: b=%u r=%u", c->k, c->t,
                      b, r);
        double got = objective(c->t, b, r, c->wfp, c->wfn), best = INFINITY;
        unsigned bb = 0, br = 0;
        for (unsigned x = 1; x <= c->k; x++)
            for (unsigned y = 1; y <= c->k / x; y++) {
                double e = objective(c->t, x, y, c->wfp, c->wfn);
                if (e < best) { best = e; bb = x; br = y; }
            }
        ck_assert_msg(got <= best + 1e-5,
                      "K=%u t=%g w=%g/%g: chose b=%u r=%u (%.9f), b=%u r=%u is %.9f", c->k,
                      c->t, c->wfp, c->wfn, b, r, got, bb, br, best);
    }
}
END_TEST

START_TEST(test_choose_one_sided_weights)
{
    /* Only false positives count: the lowest curve, one band of all K rows.
     * Only false negatives: the highest, K bands of one row. */
    static const unsigned ks[] = {8, 16, 100, 128};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        unsigned b = 0, r = 0;
        ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.5, ks[i], 1.0, 0.0), SYNDIC_OK);
        ck_assert_uint_eq(b, 1);
        ck_assert_uint_eq(r, ks[i]);
        ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.5, ks[i], 0.0, 1.0), SYNDIC_OK);
        ck_assert_uint_eq(b, ks[i]);
        ck_assert_uint_eq(r, 1);
    }
}
END_TEST

START_TEST(test_choose_invalid)
{
    static const double bad[] = {0.0, -0.25, 1.0000001, 1.5, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned b = 77, r = 77;
        syndic__error_clear();
        ck_assert_int_eq(syndic_lsh_choose(&b, &r, bad[i], 128, 0.5, 0.5), SYNDIC_EINVAL);
        ck_assert_ptr_nonnull(strstr(syndic_last_error(), "threshold"));
        ck_assert_uint_eq(b, 77); /* outputs untouched on failure */
        ck_assert_uint_eq(r, 77);
    }
    unsigned b = 77, r = 77;
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.5, 0, 0.5, 0.5), SYNDIC_EINVAL);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "num_hashes"));
    /* The closed end of (0, 1] is allowed; K = 1 has one choice. */
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 1.0, 128, 0.5, 0.5), SYNDIC_OK);
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.3, 1, 0.5, 0.5), SYNDIC_OK);
    ck_assert_uint_eq(b, 1);
    ck_assert_uint_eq(r, 1);
}
END_TEST

/* ---- syndic__band_key ---- */

START_TEST(test_band_key)
{
    enum { K = 16, ROWS = 4 };
    const uint64_t seed = SYNDIC_DEFAULT_SEED;
    uint32_t a[K], b[K];
    for (unsigned i = 0; i < K; i++) { a[i] = 1000 + i; b[i] = 5000 + i; }
    /* Band 2 (values 8..11) equal, the rest different. */
    for (unsigned i = 8; i < 12; i++) b[i] = a[i];
    ck_assert_uint_eq(syndic__band_key(a, 2, ROWS, seed), syndic__band_key(b, 2, ROWS, seed));
    for (unsigned band = 0; band < K / ROWS; band++)
        if (band != 2)
            ck_assert_uint_ne(syndic__band_key(a, band, ROWS, seed),
                              syndic__band_key(b, band, ROWS, seed));
    /* Any one value of the band changes its key, and only its key. */
    for (unsigned i = 8; i < 12; i++) {
        uint32_t c[K];
        memcpy(c, a, sizeof c);
        c[i] ^= 1;
        ck_assert_uint_ne(syndic__band_key(c, 2, ROWS, seed), syndic__band_key(a, 2, ROWS, seed));
        ck_assert_uint_eq(syndic__band_key(c, 1, ROWS, seed), syndic__band_key(a, 1, ROWS, seed));
        ck_assert_uint_eq(syndic__band_key(c, 3, ROWS, seed), syndic__band_key(a, 3, ROWS, seed));
    }
    /* The same values in different bands are different buckets. */
    uint32_t flat[K];
    for (unsigned i = 0; i < K; i++) flat[i] = 7;
    uint64_t keys[K / ROWS];
    for (unsigned band = 0; band < K / ROWS; band++) {
        keys[band] = syndic__band_key(flat, band, ROWS, seed);
        for (unsigned prev = 0; prev < band; prev++) ck_assert_uint_ne(keys[prev], keys[band]);
    }
    /* The seed matters; the rows too. */
    ck_assert_uint_ne(syndic__band_key(a, 0, ROWS, seed),
                      syndic__band_key(a, 0, ROWS, seed ^ 0xff00));
    ck_assert_uint_ne(syndic__band_key(a, 0, ROWS, seed), syndic__band_key(a, 0, ROWS + 1, seed));
    /* A pure function. */
    ck_assert_uint_eq(syndic__band_key(a, 3, ROWS, seed), syndic__band_key(a, 3, ROWS, seed));
}
END_TEST

/* ---- syndic__lsh_candidates ---- */

typedef struct collect {
    uint64_t *pairs;
    size_t count, cap;
    size_t calls, max_block;
    size_t stop_at_call; /* 1-based; 0 = never stop */
    int stop_rc;
} collect;

static int collect_fn(void *ctx, const uint64_t *pairs, size_t count)
{
    collect *c = ctx;
    c->calls++;
    CHECK(count > 0, "an empty block");
    if (count > c->max_block) c->max_block = count;
    if (c->count + count > c->cap) {
        c->cap = (c->count + count) * 2;
        c->pairs = realloc(c->pairs, c->cap * sizeof *c->pairs);
        CHECK(c->pairs != NULL, "out of memory");
    }
    memcpy(c->pairs + c->count, pairs, count * sizeof *pairs);
    c->count += count;
    return c->calls == c->stop_at_call ? c->stop_rc : 0;
}

static void params_for(syndic_params *p, unsigned k, unsigned bands, unsigned rows,
                       uint32_t max_bucket)
{
    *p = (syndic_params)SYNDIC_PARAMS_INIT;
    p->num_hashes = k;
    p->bands = bands;
    p->rows = rows;
    p->max_bucket = max_bucket;
    ck_assert_int_eq(syndic_params_resolve(p), SYNDIC_OK);
}

/* The brute force: for each pair, the first band where it is a candidate
 * (-1 = none), and the skipped buckets. */
typedef struct reference {
    int *first_band; /* n * n, [x * n + y] for x < y */
    uint64_t pairs, skipped_buckets, skipped_bucket_docs;
} reference;

static bool same_band(const uint32_t *sigs, const syndic_params *p, uint32_t x, uint32_t y,
                      unsigned band)
{
    const uint32_t *a = sigs + (size_t)x * p->num_hashes + (size_t)band * p->rows;
    const uint32_t *b = sigs + (size_t)y * p->num_hashes + (size_t)band * p->rows;
    return memcmp(a, b, p->rows * sizeof *a) == 0;
}

static void brute_force(reference *ref, const uint32_t *sigs, const uint8_t *active, uint32_t n,
                        const syndic_params *p)
{
    ref->first_band = malloc((size_t)n * n * sizeof *ref->first_band);
    ck_assert_ptr_nonnull(ref->first_band);
    for (size_t i = 0; i < (size_t)n * n; i++) ref->first_band[i] = -1;
    ref->pairs = ref->skipped_buckets = ref->skipped_bucket_docs = 0;
    uint32_t *size = malloc((n ? n : 1) * sizeof *size);
    for (unsigned band = 0; band < p->bands; band++) {
        for (uint32_t x = 0; x < n; x++) {
            size[x] = 0;
            if (!active[x]) continue;
            bool first = true;
            for (uint32_t y = 0; y < n; y++) {
                if (!active[y] || !same_band(sigs, p, x, y, band)) continue;
                size[x]++;
                if (y < x) first = false;
            }
            if (first && size[x] > p->max_bucket) {
                ref->skipped_buckets++;
                ref->skipped_bucket_docs += size[x];
            }
        }
        for (uint32_t x = 0; x < n; x++) {
            if (!active[x] || size[x] > p->max_bucket) continue;
            for (uint32_t y = x + 1; y < n; y++) {
                if (!active[y] || ref->first_band[(size_t)x * n + y] >= 0) continue;
                if (!same_band(sigs, p, x, y, band)) continue;
                ref->first_band[(size_t)x * n + y] = (int)band;
                ref->pairs++;
            }
        }
    }
    free(size);
}

/* Runs the candidates and checks them against the brute force; returns
 * the brute force's counts. */
static reference check_candidates(const uint32_t *sigs, const uint8_t *active, uint32_t n,
                             const syndic_params *p)
{
    reference ref;
    brute_force(&ref, sigs, active, n, p);
    collect c = {0};
    syndic_candidates out;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, n, p, collect_fn, &c), SYNDIC_OK);
    ck_assert_uint_eq(out.count, c.count);
    ck_assert_uint_le(c.max_block, SYNDIC__PAIR_BLOCK);
    ck_assert_msg(c.count == ref.pairs, "n=%u b=%u r=%u max_bucket=%u: %zu pairs, expected %llu",
                  n, p->bands, p->rows, p->max_bucket, c.count, (unsigned long long)ref.pairs);
    ck_assert_uint_eq(out.skipped_buckets, ref.skipped_buckets);
    ck_assert_uint_eq(out.skipped_bucket_docs, ref.skipped_bucket_docs);
    uint8_t *seen = calloc((size_t)n * n, 1);
    int last_band = 0;
    for (size_t i = 0; i < c.count; i++) {
        uint32_t x = (uint32_t)(c.pairs[i] >> 32), y = (uint32_t)c.pairs[i];
        CHECK(x < y && y < n, "pair %u %u", x, y);
        CHECK(active[x] && active[y], "inactive document in pair %u %u", x, y);
        size_t at = (size_t)x * n + y;
        CHECK(!seen[at], "pair %u %u twice", x, y);
        seen[at] = 1;
        int band = ref.first_band[at];
        CHECK(band >= 0, "pair %u %u shares no band in a small bucket", x, y);
        CHECK(band >= last_band, "pair %u %u (band %d) after band %d", x, y, band, last_band);
        last_band = band;
    }
    /* Same count, no repeats, every one expected: the sets are equal. Run
     * again: the same pairs in the same order. */
    collect again = {0};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, n, p, collect_fn, &again),
                     SYNDIC_OK);
    ck_assert_uint_eq(again.count, c.count);
    if (c.count) ck_assert_mem_eq(again.pairs, c.pairs, c.count * sizeof *c.pairs);
    free(again.pairs);
    free(seen);
    free(c.pairs);
    free(ref.first_band);
    ref.first_band = NULL;
    return ref;
}

/* Unique values everywhere: no document shares anything by accident. */
static void unique_sigs(uint32_t *sigs, uint32_t n, unsigned k)
{
    for (uint32_t d = 0; d < n; d++)
        for (unsigned i = 0; i < k; i++) sigs[(size_t)d * k + i] = 1000000 + d * 1000 + i;
}

static void set_band(uint32_t *sigs, const syndic_params *p, uint32_t d, unsigned band,
                     uint32_t value)
{
    for (unsigned i = 0; i < p->rows; i++)
        sigs[(size_t)d * p->num_hashes + band * p->rows + i] = value + i;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

#define PAIR(x, y) ((uint64_t)(x) << 32 | (y))

/* Worked by hand: a skipped bucket, a pair met twice, a pair that meets
 * first in a skipped bucket and then in a small one, an inactive document. */
START_TEST(test_candidates_by_hand)
{
    syndic_params p;
    params_for(&p, 8, 4, 2, 3);
    enum { N = 6 };
    uint32_t sigs[N * 8];
    unique_sigs(sigs, N, 8);
    for (uint32_t d = 0; d < 4; d++) set_band(sigs, &p, d, 0, 10); /* 4 > 3: skipped */
    set_band(sigs, &p, 5, 0, 10);
    set_band(sigs, &p, 0, 1, 20);
    set_band(sigs, &p, 1, 1, 20);
    set_band(sigs, &p, 5, 1, 20);
    set_band(sigs, &p, 0, 2, 30); /* (0, 1) again: not repeated */
    set_band(sigs, &p, 1, 2, 30);
    set_band(sigs, &p, 2, 2, 40);
    set_band(sigs, &p, 4, 2, 40);
    set_band(sigs, &p, 2, 3, 50); /* (2, 3) met in band 0, but skipped there */
    set_band(sigs, &p, 3, 3, 50);
    uint8_t active[N] = {1, 1, 1, 1, 1, 0};

    collect c = {0};
    syndic_candidates out;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, N, &p, collect_fn, &c), SYNDIC_OK);
    const uint64_t want[] = {PAIR(0, 1), PAIR(2, 4), PAIR(2, 3)}; /* band by band */
    ck_assert_uint_eq(c.count, 3);
    ck_assert_mem_eq(c.pairs, want, sizeof want);
    ck_assert_uint_eq(out.count, 3);
    ck_assert_uint_eq(out.skipped_buckets, 1);
    ck_assert_uint_eq(out.skipped_bucket_docs, 4);
    (void)check_candidates(sigs, active, N, &p);

    /* Document 5 active: band 0 has 5 documents, band 1 three (not over
     * max_bucket 3): (0, 1), (0, 5), (1, 5) there. */
    active[5] = 1;
    free(c.pairs);
    c = (collect){0};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, N, &p, collect_fn, &c), SYNDIC_OK);
    ck_assert_uint_eq(c.count, 5);
    qsort(c.pairs, 3, sizeof *c.pairs, cmp_u64); /* band 1: order by key */
    const uint64_t want2[] = {PAIR(0, 1), PAIR(0, 5), PAIR(1, 5), PAIR(2, 4), PAIR(2, 3)};
    ck_assert_mem_eq(c.pairs, want2, sizeof want2);
    ck_assert_uint_eq(out.skipped_buckets, 1);
    ck_assert_uint_eq(out.skipped_bucket_docs, 5);
    (void)check_candidates(sigs, active, N, &p);
    free(c.pairs);
}
END_TEST

START_TEST(test_candidates_nothing)
{
    syndic_params p;
    params_for(&p, 16, 4, 4, 10);
    uint32_t sigs[3 * 16];
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigs[i] = 9; /* all equal */
    uint8_t active[3] = {0, 0, 0};
    collect c = {0};
    syndic_candidates out = {123, 456, 789};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, 3, &p, collect_fn, &c), SYNDIC_OK);
    ck_assert_uint_eq(c.calls, 0);
    ck_assert_uint_eq(out.count, 0);
    ck_assert_uint_eq(out.skipped_buckets, 0);
    ck_assert_uint_eq(out.skipped_bucket_docs, 0);
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, 0, &p, collect_fn, &c), SYNDIC_OK);
    ck_assert_uint_eq(c.calls, 0);
    /* One active document: no pair. */
    active[1] = 1;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, 3, &p, collect_fn, &c), SYNDIC_OK);
    ck_assert_uint_eq(c.calls, 0);
    ck_assert_uint_eq(out.count, 0);
}
END_TEST

/* Documents copied from a few stories with mutations, some boilerplate
 * bands shared by many, some from a tiny alphabet. */
static void story_sigs(uint32_t *sigs, uint8_t *active, uint32_t n, const syndic_params *p)
{
    enum { STORIES = 25 };
    unsigned k = p->num_hashes;
    uint32_t *parents = malloc((size_t)STORIES * k * sizeof *parents);
    for (size_t i = 0; i < (size_t)STORIES * k; i++) parents[i] = (uint32_t)next_random();
    for (uint32_t d = 0; d < n; d++) {
        uint32_t *s = sigs + (size_t)d * k;
        uint64_t kind = next_random() % 10;
        if (kind == 0) { /* tiny alphabet */
            for (unsigned i = 0; i < k; i++) s[i] = (uint32_t)(next_random() % 3);
        } else {
            memcpy(s, parents + (next_random() % STORIES) * k, k * sizeof *s);
            for (unsigned i = 0; i < k; i++)
                if (next_random() % 10 < 3) s[i] = (uint32_t)next_random();
        }
        if (next_random() % 8 == 0) { /* boilerplate in one of two bands */
            unsigned band = (unsigned)(next_random() % 2) * (p->bands - 1);
            for (unsigned i = 0; i < p->rows; i++) s[band * p->rows + i] = 0xb0b0 + i;
        }
        active[d] = next_random() % 100 < 85;
    }
    free(parents);
}

START_TEST(test_candidates_brute_force)
{
    typedef struct { unsigned k, bands, rows; uint32_t max_bucket; uint32_t n; } shape;
    static const shape shapes[] = {
        {16, 8, 2, 1000, 300}, {16, 8, 2, 12, 300}, {16, 8, 2, 4, 300},
        {16, 8, 2, 2, 300},    {16, 5, 3, 8, 250},  {32, 4, 8, 1000, 200},
        {8, 8, 1, 8, 200},    {12, 3, 4, 3, 120},
    };
    rng_state = 0x1b5c0ffee0ddf00dULL;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const shape *sh = &shapes[i];
        syndic_params p;
        params_for(&p, sh->k, sh->bands, sh->rows, sh->max_bucket);
        uint32_t *sigs = malloc((size_t)sh->n * sh->k * sizeof *sigs);
        uint8_t *active = malloc(sh->n);
        story_sigs(sigs, active, sh->n, &p);
        reference ref = check_candidates(sigs, active, sh->n, &p);
        /* The data is not trivial: pairs in each shape, and buckets skipped
         * under every small limit. */
        ck_assert_msg(ref.pairs >= 20, "shape %zu: %llu pairs", i, (unsigned long long)ref.pairs);
        if (sh->max_bucket < 100)
            ck_assert_msg(ref.skipped_buckets > 0, "shape %zu: nothing skipped", i);
        else
            ck_assert_uint_eq(ref.skipped_buckets, 0);
        free(sigs);
        free(active);
    }
}
END_TEST

/* 400 identical documents: 79,800 pairs, all in band 0, in blocks. */
enum { SAME_N = 400, SAME_PAIRS = SAME_N * (SAME_N - 1) / 2 };

static uint32_t *identical_sigs(const syndic_params *p, uint8_t *active)
{
    uint32_t *sigs = malloc((size_t)SAME_N * p->num_hashes * sizeof *sigs);
    for (uint32_t d = 0; d < SAME_N; d++) {
        for (unsigned i = 0; i < p->num_hashes; i++) sigs[(size_t)d * p->num_hashes + i] = 42 + i;
        active[d] = 1;
    }
    return sigs;
}

START_TEST(test_candidates_blocks)
{
    syndic_params p;
    params_for(&p, 16, 4, 4, 1000);
    uint8_t active[SAME_N];
    uint32_t *sigs = identical_sigs(&p, active);
    collect c = {0};
    syndic_candidates out;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, SAME_N, &p, collect_fn, &c),
                     SYNDIC_OK);
    ck_assert_uint_eq(c.count, SAME_PAIRS);
    ck_assert_uint_eq(out.count, SAME_PAIRS);
    ck_assert_uint_le(c.max_block, SYNDIC__PAIR_BLOCK);
    ck_assert_uint_ge(c.calls, (SAME_PAIRS + SYNDIC__PAIR_BLOCK - 1) / SYNDIC__PAIR_BLOCK);
    uint8_t *seen = calloc((size_t)SAME_N * SAME_N, 1);
    for (size_t i = 0; i < c.count; i++) {
        uint32_t x = (uint32_t)(c.pairs[i] >> 32), y = (uint32_t)c.pairs[i];
        CHECK(x < y && y < SAME_N, "pair %u %u", x, y);
        CHECK(!seen[x * SAME_N + y], "pair %u %u twice", x, y);
        seen[x * SAME_N + y] = 1;
    }
    free(seen);
    free(c.pairs);

    /* Just over the bucket limit: nothing, and every band's bucket counted. */
    params_for(&p, 16, 4, 4, SAME_N - 1);
    c = (collect){0};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, SAME_N, &p, collect_fn, &c),
                     SYNDIC_OK);
    ck_assert_uint_eq(c.calls, 0);
    ck_assert_uint_eq(out.count, 0);
    ck_assert_uint_eq(out.skipped_buckets, 4);
    ck_assert_uint_eq(out.skipped_bucket_docs, 4 * SAME_N);
    /* At the limit: all pairs again. */
    params_for(&p, 16, 4, 4, SAME_N);
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, SAME_N, &p, collect_fn, &c),
                     SYNDIC_OK);
    ck_assert_uint_eq(out.count, SAME_PAIRS);
    ck_assert_uint_eq(out.skipped_buckets, 0);
    free(c.pairs);
    free(sigs);
}
END_TEST

START_TEST(test_candidates_callback_stops)
{
    syndic_params p;
    params_for(&p, 16, 4, 4, 1000);
    uint8_t active[SAME_N];
    uint32_t *sigs = identical_sigs(&p, active);
    /* Stopped by the first block, a full one: nothing more is handed. */
    collect c = {.stop_at_call = 1, .stop_rc = SYNDIC_EIO};
    syndic_candidates out;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, SAME_N, &p, collect_fn, &c),
                     SYNDIC_EIO);
    ck_assert_uint_eq(c.calls, 1);
    ck_assert_uint_eq(out.count, c.count);
    free(c.pairs);
    /* Stopped by the last block: its status is returned too. */
    c = (collect){.stop_at_call = 2, .stop_rc = -12345};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, SAME_N, &p, collect_fn, &c),
                     -12345);
    ck_assert_uint_eq(c.calls, 2);
    ck_assert_uint_eq(c.count, SAME_PAIRS);
    free(c.pairs);
    /* A small run: one block, stopped. */
    c = (collect){.stop_at_call = 1, .stop_rc = SYNDIC_ERROR};
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, 10, &p, collect_fn, &c),
                     SYNDIC_ERROR);
    ck_assert_uint_eq(c.calls, 1);
    ck_assert_uint_eq(c.count, 45);
    free(c.pairs);
    free(sigs);
}
END_TEST


START_TEST(test_candidates_out_of_memory)
{
    syndic_params p;
    params_for(&p, 16, 8, 2, 12);
    enum { N = 120 };
    uint32_t sigs[N * 16];
    uint8_t active[N];
    rng_state = 0xa110c;
    story_sigs(sigs, active, N, &p);
    collect ref = {0};
    syndic_candidates out;
    ck_assert_int_eq(syndic__lsh_candidates(&out, sigs, active, N, &p, collect_fn, &ref),
                     SYNDIC_OK);
    ck_assert_uint_gt(ref.count, 0);
    bool completed = false;
    for (unsigned long n = 1; n < 200 && !completed; n++) {
        collect c = {0};
        syndic__alloc_fail_after(n);
        int rc = syndic__lsh_candidates(&out, sigs, active, N, &p, collect_fn, &c);
        if (rc == SYNDIC_OK) {
            /* Completed: only right when the armed failure was never
             * reached (else a failure was swallowed). */
            ck_assert_msg(failure_pending(n), "fail_after(%lu): completed anyway", n);
            completed = true;
            ck_assert_uint_eq(c.count, ref.count);
            ck_assert_mem_eq(c.pairs, ref.pairs, c.count * sizeof *c.pairs);
        } else {
            ck_assert_int_eq(rc, SYNDIC_ENOMEM);
        }
        syndic__alloc_fail_after(0);
        free(c.pairs);
    }
    ck_assert(completed);
    free(ref.pairs);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("lsh");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_probability_closed_form);
    tcase_add_test(tc, test_probability_shape);
    tcase_add_test(tc, test_choose_header_example);
    tcase_add_test(tc, test_choose_is_the_minimum);
    tcase_add_test(tc, test_choose_one_sided_weights);
    tcase_add_test(tc, test_choose_invalid);
    tcase_add_test(tc, test_band_key);
    tcase_add_test(tc, test_candidates_by_hand);
    tcase_add_test(tc, test_candidates_nothing);
    tcase_add_test(tc, test_candidates_brute_force);
    tcase_add_test(tc, test_candidates_blocks);
    tcase_add_test(tc, test_candidates_callback_stops);
    tcase_add_test(tc, test_candidates_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}
