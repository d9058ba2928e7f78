/*
 * test_sketch.c - the MinHash estimator and the LSH (b, r) choice.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <math.h>
#include <string.h>


/* Builds A and B over a union of m random hashes with |A ∩ B| = x, the
 * remainder split evenly, so J = x / m exactly. */
static void make_pair(uint64_t *a, size_t *na, uint64_t *b, size_t *nb,
                      size_t m, size_t x)
{
    *na = *nb = 0;
    for (size_t i = 0; i < m; i++) {
        uint64_t h = next_random();
        if (i < x) { a[(*na)++] = h; b[(*nb)++] = h; }
        else if ((i - x) % 2 == 0) a[(*na)++] = h;
        else b[(*nb)++] = h;
    }
}

/* RMS error of the estimate against the true J, over `trials` pairs. */
static double rmse(const syndic_params *p, double j, size_t m_min, size_t m_max,
                   int trials)
{
    static uint64_t a[20000], b[20000];
    uint32_t sa[1024], sb[1024];
    double sum = 0;
    for (int t = 0; t < trials; t++) {
        size_t m = m_min + (size_t)(next_random() % (m_max - m_min + 1));
        size_t x = (size_t)llround(j * (double)m);
        size_t na, nb;
        make_pair(a, &na, b, &nb, m, x);
        syndic_sketch_hashes(p, a, na, sa);
        syndic_sketch_hashes(p, b, nb, sb);
        double est = syndic_signature_jaccard(sa, sb, p->num_hashes);
        double truth = (double)x / (double)m;
        sum += (est - truth) * (est - truth);
    }
    return sqrt(sum / trials);
}

static void check_accuracy(size_t m_min, size_t m_max)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    for (int i = 1; i <= 9; i++) {
        double j = i / 10.0;
        double got = rmse(&p, j, m_min, m_max, 2000);
        double bound = 1.1 * sqrt(j * (1 - j) / p.num_hashes);
        ck_assert_msg(got <= bound, "J=%.1f, union %zu..%zu: RMSE %.4f > %.4f", j,
                      m_min, m_max, got, bound);
    }
}

/* Documents of news length: unions of 200..4000 shingles. */
START_TEST(test_accuracy_news_sized)
{
    check_accuracy(200, 4000);
}
END_TEST

/* Short documents, where most bins are empty and densification does the
 * work: unions of 40..200 shingles against K = 128. */
START_TEST(test_accuracy_short)
{
    check_accuracy(40, 200);
}
END_TEST

START_TEST(test_identical_and_disjoint)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    uint64_t a[300], b[300];
    for (int i = 0; i < 300; i++) { a[i] = next_random(); b[i] = next_random(); }
    uint32_t sa[128], sb[128], sa2[128];
    syndic_sketch_hashes(&p, a, 300, sa);
    syndic_sketch_hashes(&p, a, 300, sa2);
    syndic_sketch_hashes(&p, b, 300, sb);
    ck_assert(syndic_signature_jaccard(sa, sa2, 128) == 1.0);
    ck_assert(syndic_signature_jaccard(sa, sb, 128) < 0.05);
    /* Order and repetition of the input do not matter: it is a set. */
    uint64_t rev[600];
    for (int i = 0; i < 300; i++) rev[i] = rev[300 + i] = a[299 - i];
    syndic_sketch_hashes(&p, rev, 600, sa2);
    ck_assert_mem_eq(sa, sa2, sizeof sa);
}
END_TEST

START_TEST(test_single_shingle_and_empty)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    uint64_t h = 42;
    uint32_t s1[128], s2[128];
    syndic_sketch_hashes(&p, &h, 1, s1);
    /* Densification copies the one value into every bin. */
    for (int i = 1; i < 128; i++) ck_assert_uint_eq(s1[i], s1[0]);
    syndic_sketch_hashes(&p, NULL, 0, s2);
    for (int i = 0; i < 128; i++) ck_assert_uint_eq(s2[i], UINT32_MAX);
}
END_TEST

/* Pinned values: a change of hashing or densification changes every stored
 * signature, so it must fail here loudly (after xxHash's test vectors). */
START_TEST(test_pinned_signature)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    syndic_sketcher *s;
    ck_assert_int_eq(syndic_sketcher_new(&s, &p), SYNDIC_OK);
    uint32_t sig[128], n;
    const char *text = "The quick brown fox jumps over the lazy dog near the river bank.";
    ck_assert_int_eq(syndic_sketcher_sketch(sig, &n, s, text, strlen(text)), SYNDIC_OK);
    ck_assert_uint_eq(n, 10);
    uint64_t h = 0;
    for (int i = 0; i < 128; i++) h = h * 1000003u ^ sig[i];
    ck_assert_msg(h == UINT64_C(0x92b1d240e7c1d14f), "signature hash changed: 0x%016llx",
                  (unsigned long long)h);
    syndic_sketcher_free(s);
}
END_TEST

typedef struct { double t; unsigned k, b, r; } choice;

START_TEST(test_lsh_choice)
{
    /* datasketch's _optimal_param gives these for num_perm = 128. */
    static const choice table[] = {
        {0.5, 128, 25, 5},
        {0.9, 128, 5, 25},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        unsigned b, r;
        ck_assert_int_eq(syndic_lsh_choose(&b, &r, table[i].t, table[i].k, 0.5, 0.5), SYNDIC_OK);
        ck_assert_msg(b == table[i].b && r == table[i].r, "t=%.2f K=%u: got b=%u r=%u",
                      table[i].t, table[i].k, b, r);
    }
    unsigned b, r;
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 0.0, 128, 0.5, 0.5), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_lsh_choose(&b, &r, 1.5, 128, 0.5, 0.5), SYNDIC_EINVAL);
}
END_TEST

START_TEST(test_lsh_probability)
{
    ck_assert_double_eq_tol(syndic_lsh_probability(1.0, 20, 5), 1.0, 1e-12);
    ck_assert_double_eq_tol(syndic_lsh_probability(0.0, 20, 5), 0.0, 1e-12);
    ck_assert_double_eq_tol(syndic_lsh_probability(0.5, 1, 1), 0.5, 1e-12);
    ck_assert_double_eq_tol(syndic_lsh_probability(0.5, 2, 1), 0.75, 1e-12);
}
END_TEST

START_TEST(test_params_validation)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.shingle_words = 0;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "shingle"));
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    p.bands = 40; p.rows = 4; /* 160 > 128 */
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    p.bands = 16;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    p.threshold = 0;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    p.version = 99;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    ck_assert_uint_gt(p.bands, 0);
    ck_assert_uint_le(p.bands * p.rows, p.num_hashes);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sketch");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_accuracy_news_sized);
    tcase_add_test(tc, test_accuracy_short);
    tcase_add_test(tc, test_identical_and_disjoint);
    tcase_add_test(tc, test_single_shingle_and_empty);
    tcase_add_test(tc, test_pinned_signature);
    tcase_add_test(tc, test_lsh_choice);
    tcase_add_test(tc, test_lsh_probability);
    tcase_add_test(tc, test_params_validation);
    suite_add_tcase(s, tc);
    return s;
}
