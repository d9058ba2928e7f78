/*
 * test_quality.c - pairwise P/R/F1, adjusted Rand index and B-cubed.
 *
 * Design: a table of small clusterings whose scores were worked out by hand
 * (the derivation is in the comment of each row), then randomized
 * clusterings with sparse, arbitrary label values checked against a brute
 * force O(n^2) reference written independently here: pairs counted one by
 * one, ARI from the pair-counting form 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d))
 * (Steinley 2004) rather than the contingency-table form quality.c uses, and
 * B-cubed by counting each item's neighbours directly.
 */
#include "check_main.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#define TOL 1e-12

typedef struct hand_case {
    const char *name;
    size_t n;
    uint32_t pred[8], truth[8];
    double precision, recall, f1, ari, bp, br, bf1;
    uint64_t true_pairs, found_pairs, correct_pairs;
} hand_case;

static const hand_case hand[] = {
    /* Same partition under other label values: all 1. True pairs C(2,2) +
     * C(3,2) = 4. */
    {"perfect", 6, {5, 5, 9, 9, 9, 1}, {0, 0, 1, 1, 1, 2},
     1, 1, 1, 1, 1, 1, 1, 4, 4, 4},
    /* All singletons predicted against {0,1,2},{3,4}: no found pairs, so
     * precision is 1 by definition and recall 0; ARI: expected index 0, max
     * (0 + 4) / 2 = 2, index 0 -> 0. B-cubed precision 1, recall (3 * 1/3 +
     * 2 * 1/2) / 5 = 0.4, F1 = 0.8 / 1.4. */
    {"singletons", 5, {10, 11, 12, 13, 14}, {0, 0, 0, 1, 1},
     1, 0, 0, 0, 1, 0.4, 0.8 / 1.4, 4, 0, 0},
    /* Everything in one cluster: found C(5,2) = 10, correct 3 + 1 = 4, true
     * 4: precision 0.4, recall 1, F1 0.8 / 1.4. ARI: expected 10 * 4 / 10 = 4
     * = index -> 0. B-cubed precision (3 * 3/5 + 2 * 2/5) / 5 = 0.52. */
    {"one cluster", 5, {7, 7, 7, 7, 7}, {0, 0, 0, 1, 1},
     0.4, 1, 0.8 / 1.4, 0, 0.52, 1, 1.04 / 1.52, 4, 10, 4},
    /* truth {0,1,2},{3,4,5}; predicted {0,1},{2,3,4},{5}. Cells (p,t): 2, 1,
     * 2, 1 -> correct 2; found 1 + 3 + 0 = 4; true 3 + 3 = 6. P = 1/2, R =
     * 1/3, F1 = 0.4. ARI: 15 pairs, expected 4 * 6 / 15 = 1.6, max 5:
     * (2 - 1.6) / (5 - 1.6) = 2/17. B-cubed precision (1 + 1 + 1/3 + 2/3 +
     * 2/3 + 1) / 6 = 7/9, recall (2/3 * 4 + 1/3 * 2) / 6 = 5/9, F1 =
     * 2 * 35/81 / (12/9) = 35/54. */
    {"hand-worked", 6, {0, 0, 1, 1, 1, 2}, {0, 0, 0, 1, 1, 1},
     0.5, 1.0 / 3, 0.4, 2.0 / 17, 7.0 / 9, 5.0 / 9, 35.0 / 54, 6, 4, 2},
    /* Sparse label values, including the extremes. truth {0,1},{2,3},{4}:
     * predicted {0,1,2},{3,4}: correct 1 (pair 0-1), found 3 + 1 = 4, true
     * 2: P = 1/4, R = 1/2, F1 = 1/3. ARI: 10 pairs, expected 4 * 2 / 10 =
     * 0.8, max 3: (1 - 0.8) / (3 - 0.8) = 1/11. B-cubed precision (2/3 +
     * 2/3 + 1/3 + 1/2 + 1/2) / 5 = 8/15, recall (1 + 1 + 1/2 + 1/2 + 1) / 5 =
     * 4/5, F1 = 2 * 32/75 / (20/15) = 16/25. */
    {"sparse labels", 5,
     {UINT32_MAX, UINT32_MAX, UINT32_MAX, 0, 0},
     {123456789, 123456789, 4000000000u, 4000000000u, 1},
     0.25, 0.5, 1.0 / 3, 1.0 / 11, 8.0 / 15, 0.8, 0.64, 2, 4, 1},
    /* Both all singletons: a perfect match of nothing. */
    {"both singletons", 4, {1, 2, 3, 4}, {4, 3, 2, 1},
     1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    /* One item. */
    {"one item", 1, {3}, {8}, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
};

static void expect_close(const char *name, const char *what, double got, double want)
{
    ck_assert_msg(got > want - 1e-9 && got < want + 1e-9, "%s: %s = %.12f, expected %.12f", name,
                  what, got, want);
}

START_TEST(test_hand_worked)
{
    for (size_t i = 0; i < sizeof hand / sizeof hand[0]; i++) {
        const hand_case *c = &hand[i];
        syndic_quality q;
        ck_assert_int_eq(syndic_quality_compute(&q, c->pred, c->truth, c->n), SYNDIC_OK);
        expect_close(c->name, "precision", q.precision, c->precision);
        expect_close(c->name, "recall", q.recall, c->recall);
        expect_close(c->name, "f1", q.f1, c->f1);
        expect_close(c->name, "ari", q.ari, c->ari);
        expect_close(c->name, "bcubed_precision", q.bcubed_precision, c->bp);
        expect_close(c->name, "bcubed_recall", q.bcubed_recall, c->br);
        expect_close(c->name, "bcubed_f1", q.bcubed_f1, c->bf1);
        ck_assert_msg(q.true_pairs == c->true_pairs && q.found_pairs == c->found_pairs &&
                          q.correct_pairs == c->correct_pairs,
                      "%s: pairs true %llu found %llu correct %llu", c->name,
                      (unsigned long long)q.true_pairs, (unsigned long long)q.found_pairs,
                      (unsigned long long)q.correct_pairs);
    }
}
END_TEST

/* Swapping predicted and true swaps precision and recall; ARI is symmetric. */
START_TEST(test_symmetry)
{
    const hand_case *c = &hand[3];
    syndic_quality a, b;
    ck_assert_int_eq(syndic_quality_compute(&a, c->pred, c->truth, c->n), SYNDIC_OK);
    ck_assert_int_eq(syndic_quality_compute(&b, c->truth, c->pred, c->n), SYNDIC_OK);
    expect_close("swap", "precision", b.precision, a.recall);
    expect_close("swap", "recall", b.recall, a.precision);
    expect_close("swap", "ari", b.ari, a.ari);
    expect_close("swap", "bcubed_precision", b.bcubed_precision, a.bcubed_recall);
    expect_close("swap", "bcubed_recall", b.bcubed_recall, a.bcubed_precision);
}
END_TEST

/* ---- brute-force reference ---- */

typedef struct ref_quality {
    double precision, recall, f1, ari, bp, br;
    uint64_t same_both, same_pred, same_truth;
} ref_quality;

static ref_quality reference(const uint32_t *pred, const uint32_t *truth, size_t n)
{
    ref_quality r = {0};
    uint64_t a = 0, b = 0, c = 0, d = 0;
    double bp = 0, br = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t cell = 0, psize = 0, tsize = 0;
        for (size_t j = 0; j < n; j++) {
            bool sp = pred[i] == pred[j], st = truth[i] == truth[j];
            cell += sp && st;
            psize += sp;
            tsize += st;
            if (j <= i) continue;
            if (sp && st) a++;
            else if (sp) b++;
            else if (st) c++;
            else d++;
        }
        bp += (double)cell / (double)psize;
        br += (double)cell / (double)tsize;
    }
    r.same_both = a;
    r.same_pred = a + b;
    r.same_truth = a + c;
    r.precision = a + b ? (double)a / (double)(a + b) : 1.0;
    r.recall = a + c ? (double)a / (double)(a + c) : 1.0;
    r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
    double A = (double)a, B = (double)b, C = (double)c, D = (double)d;
    double den = (A + B) * (B + D) + (A + C) * (C + D);
    r.ari = den != 0 ? 2 * (A * D - B * C) / den : 1.0;
    r.bp = bp / (double)n;
    r.br = br / (double)n;
    return r;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint32_t next_rand(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

START_TEST(test_against_reference)
{
    enum { N = 300 };
    static uint32_t pred[N], truth[N], palette[N];
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 2 + next_rand() % (N - 1);
        /* Label values: sparse, anywhere in 32 bits. */
        size_t groups_t = 1 + next_rand() % n, groups_p = 1 + next_rand() % n;
        for (size_t i = 0; i < N; i++) palette[i] = next_rand();
        for (size_t i = 0; i < n; i++) {
            truth[i] = palette[next_rand() % groups_t];
            /* Predictions mostly follow the truth, with some noise. */
            pred[i] = next_rand() % 4 ? truth[i] ^ 0x5a5a5a5au : palette[next_rand() % groups_p];
        }
        syndic_quality q;
        ck_assert_int_eq(syndic_quality_compute(&q, pred, truth, n), SYNDIC_OK);
        ref_quality r = reference(pred, truth, n);
        char name[32];
        snprintf(name, sizeof name, "trial %d (n=%zu)", trial, n);
        ck_assert_uint_eq(q.correct_pairs, r.same_both);
        ck_assert_uint_eq(q.found_pairs, r.same_pred);
        ck_assert_uint_eq(q.true_pairs, r.same_truth);
        expect_close(name, "precision", q.precision, r.precision);
        expect_close(name, "recall", q.recall, r.recall);
        expect_close(name, "f1", q.f1, r.f1);
        expect_close(name, "ari", q.ari, r.ari);
        expect_close(name, "bcubed_precision", q.bcubed_precision, r.bp);
        expect_close(name, "bcubed_recall", q.bcubed_recall, r.br);
        double bf1 = 2 * r.bp * r.br / (r.bp + r.br);
        expect_close(name, "bcubed_f1", q.bcubed_f1, bf1);
        ck_assert(q.ari <= 1.0 + TOL);
    }
}
END_TEST

/* Large enough that pair counts overflow 32 bits: 100000 items in one
 * predicted cluster, two true halves. */
START_TEST(test_large_counts)
{
    enum { N = 100000 };
    uint32_t *pred = malloc(N * sizeof *pred), *truth = malloc(N * sizeof *truth);
    for (uint32_t i = 0; i < N; i++) {
        pred[i] = 42;
        truth[i] = i < N / 2 ? 1 : 2;
    }
    syndic_quality q;
    ck_assert_int_eq(syndic_quality_compute(&q, pred, truth, N), SYNDIC_OK);
    uint64_t half = (uint64_t)(N / 2) * (N / 2 - 1) / 2;
    ck_assert_uint_eq(q.found_pairs, (uint64_t)N * (N - 1) / 2);
    ck_assert_uint_eq(q.true_pairs, 2 * half);
    ck_assert_uint_eq(q.correct_pairs, 2 * half);
    expect_close("large", "recall", q.recall, 1.0);
    expect_close("large", "precision", q.precision, (double)(2 * half) / ((double)N * (N - 1) / 2));
    expect_close("large", "bcubed_precision", q.bcubed_precision, 0.5);
    free(pred);
    free(truth);
}
END_TEST

START_TEST(test_out_of_memory)
{
    uint32_t p[4] = {1, 1, 2, 2}, t[4] = {1, 2, 1, 2};
    for (unsigned long n = 1; n < 20; n++) {
        syndic__alloc_fail_after(n);
        syndic_quality q;
        int rc = syndic_quality_compute(&q, p, t, 4);
        syndic__alloc_fail_after(0);
        if (rc == SYNDIC_OK) {
            ck_assert_uint_ge(n, 2); /* at least one allocation happens */
            return;
        }
        ck_assert_int_eq(rc, SYNDIC_ENOMEM);
    }
    ck_abort_msg("quality never succeeded");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("quality");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hand_worked);
    tcase_add_test(tc, test_symmetry);
    tcase_add_test(tc, test_against_reference);
    tcase_add_test(tc, test_large_counts);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}
