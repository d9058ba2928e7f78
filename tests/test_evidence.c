/*
 * test_evidence.c - the verification of one pair (evidence.c).
 *
 * Design: documents are syndic_evdoc structs built by hand, so every figure
 * verification weighs is chosen by the test: signatures with exactly `same`
 * equal values (the estimated Jaccard is same/K, exact), shingle counts,
 * dates and outlets, figure hashes with a chosen overlap, title hashes with
 * a chosen overlap. The expectations are computed here from the rules the
 * module's top comment states (ceil(threshold * K - 1e-9) equal values;
 * containment J (|A| + |B|) / ((1 + J) min); shared J (|A| + |B|) / (1 + J)
 * against min_shared and 80% of the shorter; titles sharing half their
 * words; max_gap and same_outlet_gap; 3 figures or more), never copied from
 * its output. Each table row sits on one side of a boundary, and each
 * parameter is also set to 0 (off). The public syndic_evidence_compute is
 * checked on generated texts: verbatim and trimmed copies, a template with
 * other figures, dates days apart, and template lines dropped exactly as a
 * batch using the same templates drops them.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_K 128
#define DAY INT64_C(86400)
#define T0 INT64_C(1772000000)

/* ---- hand-built documents ---- */

typedef struct side {
    uint32_t sig[MAX_K];
    syndic_numbers numbers;
    syndic_title_words title;
    syndic_evdoc ev;
} side;

/* x and y with signatures of k values, exactly `same` of them equal (at
 * the positions where equal[] is set, chosen at random). */
static void make_sigs(side *x, side *y, unsigned k, unsigned same, bool *equal)
{
    bool local[MAX_K];
    if (!equal) equal = local;
    for (unsigned j = 0; j < k; j++) equal[j] = j < same;
    for (unsigned j = k; j > 1; j--) { /* shuffle */
        unsigned r = (unsigned)(next_random() % j);
        bool t = equal[j - 1];
        equal[j - 1] = equal[r];
        equal[r] = t;
    }
    for (unsigned j = 0; j < k; j++) {
        uint32_t v = (uint32_t)next_random() & 0x7fffffff;
        x->sig[j] = v;
        y->sig[j] = equal[j] ? v : v + 1;
    }
}

/* Figures: `shared` hashes both have, the rest each its own; totals as
 * given (at most NUMBER_SLOTS, so every number is in the sample). */
static void make_numbers(side *x, side *y, uint32_t tx, uint32_t ty, uint32_t shared)
{
    memset(&x->numbers, 0, sizeof x->numbers);
    memset(&y->numbers, 0, sizeof y->numbers);
    for (uint32_t i = 0; i < tx; i++) x->numbers.hash[i] = i < shared ? 10 + i : 1000 + i;
    for (uint32_t i = 0; i < ty; i++) y->numbers.hash[i] = i < shared ? 10 + i : 2000 + i;
    x->numbers.count = x->numbers.total = tx;
    y->numbers.count = y->numbers.total = ty;
}

static void make_titles(side *x, side *y, uint32_t tx, uint32_t ty, uint32_t shared)
{
    memset(&x->title, 0, sizeof x->title);
    memset(&y->title, 0, sizeof y->title);
    for (uint32_t i = 0; i < tx; i++) x->title.hash[i] = i < shared ? 5 + i : 100 + i;
    for (uint32_t i = 0; i < ty; i++) y->title.hash[i] = i < shared ? 5 + i : 200 + i;
    x->title.count = tx;
    y->title.count = ty;
}

static void link_ev(side *s, uint32_t shingles, bool has_time, int64_t time, const char *outlet)
{
    s->ev = (syndic_evdoc){s->sig, shingles, has_time, time, outlet, &s->numbers, &s->title};
}

static syndic_params base_params(unsigned k, double threshold)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.num_hashes = k;
    p.threshold = threshold;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    return p;
}

/* ---- syndic__containment ---- */

START_TEST(test_containment_formula)
{
    static const struct { double j; uint32_t na, nb; } rows[] = {
        {0.25, 100, 275}, {0.5, 30, 30}, {0.1, 10, 1000}, {0.9, 7, 8}, {0.0, 5, 9},
        {1.0, 40, 40}, {0.3, 1000, 10}, {0.05, 200, 300},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        double j = rows[i].j, a = rows[i].na, b = rows[i].nb;
        double want = j * (a + b) / ((1 + j) * (a < b ? a : b));
        if (want > 1) want = 1;
        double got = syndic__containment(j, rows[i].na, rows[i].nb);
        ck_assert_msg(fabs(got - want) < 1e-12, "row %zu: %g, want %g", i, got, want);
        ck_assert_msg(got == syndic__containment(j, rows[i].nb, rows[i].na), "row %zu: symmetric", i);
    }
    /* Clamped at 1: a tenth shared of a set 100 times the other's size. */
    ck_assert(syndic__containment(0.1, 10, 1000) == 1.0);
    /* An empty set is contained in nothing. */
    ck_assert(syndic__containment(0.5, 0, 10) == 0.0);
    ck_assert(syndic__containment(0.5, 10, 0) == 0.0);
}
END_TEST

/* ---- syndic__verify: the checks in their order ---- */

typedef struct vcase {
    const char *name;
    unsigned k;
    double threshold, containment;
    uint32_t min_shared;
    int64_t max_gap, same_outlet_gap;
    double numbers;
    unsigned same;
    uint32_t na, nb;
    bool xhas, yhas;
    int64_t dt;
    const char *xo, *yo;
    uint32_t tx, ty, tshared;   /* title words */
    uint32_t fx, fy, fshared;   /* figures */
    syndic_pair_verdict want;
} vcase;

#define M SYNDIC_MATCH
#define NW SYNDIC_NO_WORDS
#define BT SYNDIC_BELOW_THRESHOLD
#define LS SYNDIC_TOO_LITTLE_SHARED
#define FA SYNDIC_TOO_FAR_APART
#define FD SYNDIC_FIGURES_DISAGREE
#define GAPS 3 * DAY, 12 * 3600

static const vcase vcases[] = {
    /* 1. words */
    {"no words x", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 0, 50, 1, 1, 0, "o", "p", 0, 0, 0, 0, 0, 0, NW},
    {"no words y", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 0, 1, 1, 0, "o", "p", 0, 0, 0, 0, 0, 0, NW},
    {"no words beats far apart", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 0, 0, 1, 1, 9 * DAY, "o", "p", 0, 0, 0, 0, 0, 0, NW},
    /* 2. threshold: ceil(0.25 * 100) = 25; ceil(0.3 * 100 - 1e-9) = 30 although
     * 0.3 * 100 is 30.000000000000004 in doubles; 0.5 * 128 = 64 */
    {"at threshold", 100, 0.25, 0, 20, GAPS, 0.5, 25, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"below threshold", 100, 0.25, 0, 20, GAPS, 0.5, 24, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    {"at threshold 0.3", 100, 0.3, 0, 20, GAPS, 0.5, 30, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"below threshold 0.3", 100, 0.3, 0, 20, GAPS, 0.5, 29, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    {"at threshold 0.5/128", 128, 0.5, 0, 20, GAPS, 0.5, 64, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"below threshold 0.5/128", 128, 0.5, 0, 20, GAPS, 0.5, 63, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    /* containment rescue: J = 32/128 = 0.25, C = 0.25 (100 + nb) / (1.25 * 100):
     * exactly 0.75 at nb = 275 */
    {"contained at 0.75", 128, 0.5, 0.75, 20, GAPS, 0.5, 32, 100, 275, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"contained at 0.75 (b, a)", 128, 0.5, 0.75, 20, GAPS, 0.5, 32, 275, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"contained under 0.75", 128, 0.5, 0.75, 20, GAPS, 0.5, 32, 100, 274, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    {"containment off", 128, 0.5, 0, 20, GAPS, 0.5, 32, 100, 1000, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    {"equal sizes not contained", 100, 0.25, 0.7, 20, GAPS, 0.5, 24, 100, 100, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, BT},
    {"below beats far apart", 100, 0.25, 0.7, 20, GAPS, 0.5, 24, 100, 100, 1, 1, 9 * DAY, "o", "p", 0, 0, 0, 4, 4, 0, BT},
    /* 3. shared text, J = 0.5: shared = (na + nb) / 3 */
    {"shared exactly min_shared", 128, 0.5, 0, 20, GAPS, 0.5, 64, 30, 30, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    {"shared under min_shared", 128, 0.5, 0, 20, GAPS, 0.5, 64, 29, 29, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, LS},
    {"min_shared off", 128, 0.5, 0, 0, GAPS, 0.5, 64, 3, 3, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    /* 80% of the shorter: J = 96/128 = 0.75, 10 + 10: shared 8.57 >= 8 */
    {"80% inside", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    /* J = 80/128 = 0.625: shared 7.69 < 8 */
    {"under 80% inside", 128, 0.5, 0, 20, GAPS, 0.5, 80, 10, 10, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, LS},
    /* J = 0.5, 12 + 40: shared 17.3 < 20 but >= 0.8 * 12 */
    {"80% of the shorter", 128, 0.5, 0, 20, GAPS, 0.5, 64, 12, 40, 0, 0, 0, "", "", 0, 0, 0, 0, 0, 0, M},
    /* titles, checked only in the 80% case: 2 both >= union */
    {"titles 3 of 3+3", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 4, 4, 3, 0, 0, 0, M},
    {"titles 2 of 4+4", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 4, 4, 2, 0, 0, 0, LS},
    {"titles 2 of 3+3 (exactly half)", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 3, 3, 2, 0, 0, 0, M},
    {"titles 1 of 3+3", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 3, 3, 1, 0, 0, 0, LS},
    {"titles 1 of 2+2", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 2, 2, 1, 0, 0, 0, LS},
    {"titles 1 of 1+2", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 1, 2, 1, 0, 0, 0, M},
    {"one title missing", 128, 0.5, 0, 20, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 0, 4, 0, 0, 0, 0, M},
    {"titles ignored with enough text", 128, 0.5, 0, 20, GAPS, 0.5, 64, 40, 40, 0, 0, 0, "", "", 4, 4, 0, 0, 0, 0, M},
    {"titles ignored, min_shared off", 128, 0.5, 0, 0, GAPS, 0.5, 96, 10, 10, 0, 0, 0, "", "", 4, 4, 0, 0, 0, 0, M},
    {"little shared beats far apart", 128, 0.5, 0, 20, GAPS, 0.5, 64, 29, 29, 1, 1, 9 * DAY, "o", "p", 0, 0, 0, 4, 4, 0, LS},
    /* 4. time */
    {"max_gap exactly", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 3 * DAY, "o", "p", 0, 0, 0, 0, 0, 0, M},
    {"max_gap + 1", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 3 * DAY + 1, "o", "p", 0, 0, 0, 0, 0, 0, FA},
    {"max_gap + 1, y first", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, -3 * DAY - 1, "o", "p", 0, 0, 0, 0, 0, 0, FA},
    {"max_gap off", 100, 0.25, 0.7, 20, 0, 12 * 3600, 0.5, 100, 50, 50, 1, 1, 400 * DAY, "o", "p", 0, 0, 0, 0, 0, 0, M},
    {"x undated", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 1, 400 * DAY, "o", "o", 0, 0, 0, 0, 0, 0, M},
    {"y undated", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 0, 400 * DAY, "o", "o", 0, 0, 0, 0, 0, 0, M},
    {"same outlet 12h", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 12 * 3600, "o", "o", 0, 0, 0, 0, 0, 0, M},
    {"same outlet 12h + 1", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 12 * 3600 + 1, "o", "o", 0, 0, 0, 0, 0, 0, FA},
    {"other outlets 2 days", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 2 * DAY, "o", "p", 0, 0, 0, 0, 0, 0, M},
    {"no outlet 2 days", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 2 * DAY, "", "", 0, 0, 0, 0, 0, 0, M},
    {"same_outlet_gap off", 100, 0.25, 0.7, 20, 3 * DAY, 0, 0.5, 100, 50, 50, 1, 1, 2 * DAY, "o", "o", 0, 0, 0, 0, 0, 0, M},
    {"far apart beats figures", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 1, 1, 4 * DAY, "o", "p", 0, 0, 0, 4, 4, 0, FA},
    /* 5. figures: 3 or more each; the text with fewer shares >= 0.5 */
    {"figures 2 of 4", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 4, 4, 2, M},
    {"figures 1 of 4", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 4, 4, 1, FD},
    {"figures 0 of 3", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 3, 3, 0, FD},
    {"figures 2 of 3 (fewer) vs 10", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 3, 10, 2, M},
    {"figures 1 of 3 (fewer) vs 10", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 10, 3, 1, FD},
    {"figures: x has 2", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 2, 8, 0, M},
    {"figures: y has 2", 100, 0.25, 0.7, 20, GAPS, 0.5, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 8, 2, 0, M},
    {"figures off", 100, 0.25, 0.7, 20, GAPS, 0, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 8, 8, 0, M},
    {"figures 0.75: 3 of 4", 100, 0.25, 0.7, 20, GAPS, 0.75, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 4, 4, 3, M},
    {"figures 0.75: 2 of 4", 100, 0.25, 0.7, 20, GAPS, 0.75, 100, 50, 50, 0, 0, 0, "", "", 0, 0, 0, 4, 4, 2, FD},
};

static void setup_case(const vcase *c, syndic_params *p, side *x, side *y)
{
    *p = base_params(c->k, c->threshold);
    p->containment = c->containment;
    p->min_shared = c->min_shared;
    p->max_gap = c->max_gap;
    p->same_outlet_gap = c->same_outlet_gap;
    p->numbers = c->numbers;
    make_sigs(x, y, c->k, c->same, NULL);
    make_numbers(x, y, c->fx, c->fy, c->fshared);
    make_titles(x, y, c->tx, c->ty, c->tshared);
    link_ev(x, c->na, c->xhas, T0, c->xo);
    link_ev(y, c->nb, c->yhas, T0 + c->dt, c->yo);
}

START_TEST(test_verify_table)
{
    const vcase *c = &vcases[_i];
    syndic_params p;
    side x, y;
    setup_case(c, &p, &x, &y);
    uint32_t same = 12345;
    syndic_pair_verdict v = syndic__verify(&p, &x.ev, &y.ev, &same);
    ck_assert_msg(v == c->want, "%s: %s, want %s", c->name, syndic_pair_verdict_name(v),
                  syndic_pair_verdict_name(c->want));
    ck_assert_msg(same == (c->na && c->nb ? c->same : 0), "%s: same %u", c->name, same);
    /* Symmetric. */
    same = 12345;
    ck_assert_msg(syndic__verify(&p, &y.ev, &x.ev, &same) == c->want, "%s: swapped", c->name);
}
END_TEST

/* The threshold's boundary for every K and a few thresholds. */
START_TEST(test_threshold_boundary_sweep)
{
    static const double thresholds[] = {0.1, 0.2, 0.25, 0.3, 0.35, 0.6, 0.7, 0.9, 1.0};
    for (unsigned k = 8; k <= MAX_K; k += 8)
        for (size_t t = 0; t < sizeof thresholds / sizeof *thresholds; t++) {
            syndic_params p = base_params(k, thresholds[t]);
            p.containment = 0;
            p.min_shared = 0;
            unsigned need = (unsigned)ceil(thresholds[t] * k - 1e-9);
            side x, y;
            for (unsigned same = need ? need - 1 : 0; same <= need && same <= k; same++) {
                make_sigs(&x, &y, k, same, NULL);
                link_ev(&x, 50, false, 0, "");
                link_ev(&y, 50, false, 0, "");
                make_numbers(&x, &y, 0, 0, 0);
                make_titles(&x, &y, 0, 0, 0);
                uint32_t got;
                syndic_pair_verdict v = syndic__verify(&p, &x.ev, &y.ev, &got);
                ck_assert_msg(v == (same >= need ? SYNDIC_MATCH : SYNDIC_BELOW_THRESHOLD),
                              "k %u threshold %g same %u need %u: %s", k, thresholds[t], same,
                              need, syndic_pair_verdict_name(v));
                ck_assert_uint_eq(got, same);
            }
        }
}
END_TEST

/* ---- syndic__evidence: the figures ---- */

START_TEST(test_evidence_figures)
{
    rng_state = 0x5eed0001;
    for (int round = 0; round < 300; round++) {
        unsigned k = 8 * (1 + (unsigned)(next_random() % (MAX_K / 8)));
        syndic_params p = base_params(k, 0.25);
        if (round % 3 == 0) { /* explicit bands, not covering all of K */
            p.rows = 1 + (unsigned)(next_random() % 4);
            p.bands = k / p.rows - (unsigned)(next_random() % 2);
            if (!p.bands) p.bands = 1;
        }
        /* Many equal values, so that whole bands are equal too. */
        unsigned same = k - (unsigned)(next_random() % (k / 4 + 1));
        if (round % 5 == 0) same = (unsigned)(next_random() % (k + 1));
        side x, y;
        bool equal[MAX_K];
        make_sigs(&x, &y, k, same, equal);
        uint32_t na = (uint32_t)(next_random() % 400), nb = 1 + (uint32_t)(next_random() % 400);
        if (round % 7 == 0) na = 0;
        bool xhas = next_random() % 4 != 0, yhas = next_random() % 4 != 0;
        int64_t dt = (int64_t)(next_random() % (10 * DAY)) - 5 * DAY;
        uint32_t fx = (uint32_t)(next_random() % 9), fy = (uint32_t)(next_random() % 9);
        uint32_t fs = (uint32_t)(next_random() % ((fx < fy ? fx : fy) + 1));
        make_numbers(&x, &y, fx, fy, fs);
        make_titles(&x, &y, 0, 0, 0);
        link_ev(&x, na, xhas, T0, "o");
        link_ev(&y, nb, yhas, T0 + dt, "p");

        syndic_evidence e;
        memset(&e, 0xa5, sizeof e);
        syndic__evidence(&p, &x.ev, &y.ev, &e);
        uint32_t vsame;
        ck_assert_int_eq(e.verdict, syndic__verify(&p, &x.ev, &y.ev, &vsame));
        if (!na) {
            ck_assert_int_eq(e.verdict, SYNDIC_NO_WORDS);
            ck_assert(e.jaccard == 0 && e.shared == 0 && e.containment_ab == 0 &&
                      e.containment_ba == 0);
            ck_assert_uint_eq(e.bands_shared, 0);
        } else {
            double j = (double)same / k;
            ck_assert(e.jaccard == j);
            double shared = j * ((double)na + nb) / (1 + j);
            ck_assert_msg(fabs(e.shared - shared) < 1e-9, "shared %g want %g", e.shared, shared);
            ck_assert(fabs(e.containment_ab - shared / na) < 1e-9);
            ck_assert(fabs(e.containment_ba - shared / nb) < 1e-9);
            unsigned bands = 0;
            for (unsigned b = 0; b < p.bands; b++) {
                bool all = true;
                for (unsigned r = 0; r < p.rows; r++) all &= equal[b * p.rows + r];
                bands += all;
            }
            ck_assert_uint_eq(e.bands_shared, bands);
        }
        uint32_t fewer = fx < fy ? fx : fy;
        double figures = fewer ? (double)fs / fewer : 1.0;
        ck_assert_msg(fabs(e.figures - figures) < 1e-12, "figures %g want %g", e.figures, figures);
        ck_assert_uint_eq(e.figures_a, fx);
        ck_assert_uint_eq(e.figures_b, fy);
        ck_assert_int_eq(e.gap, xhas && yhas ? (dt < 0 ? -dt : dt) : -1);
    }
}
END_TEST

/* Bands counted one by one: equal values everywhere but in chosen bands. */
START_TEST(test_evidence_bands_one_by_one)
{
    syndic_params p = base_params(100, 0.25);
    p.bands = 20;
    p.rows = 5;
    side x, y;
    make_sigs(&x, &y, 100, 100, NULL);
    make_numbers(&x, &y, 0, 0, 0);
    make_titles(&x, &y, 0, 0, 0);
    link_ev(&x, 80, false, 0, "");
    link_ev(&y, 80, false, 0, "");
    syndic_evidence e;
    syndic__evidence(&p, &x.ev, &y.ev, &e);
    ck_assert_uint_eq(e.bands_shared, 20);
    for (unsigned b = 0; b < 20; b++) {
        y.sig[b * 5 + b % 5]++; /* one value of band b */
        syndic__evidence(&p, &x.ev, &y.ev, &e);
        ck_assert_uint_eq(e.bands_shared, 19 - b);
        ck_assert(e.jaccard == (100.0 - b - 1) / 100);
    }
}
END_TEST

/* ---- syndic__guard_ok ---- */

typedef struct gcase {
    const char *name;
    unsigned k;
    double threshold, guard;
    unsigned same;
    bool null_sig;
    int64_t dt;
    bool want;
} gcase;

static const gcase gcases[] = {
    /* 0.5 * 0.25 * 100 = 12.5: 13 */
    {"at guard", 100, 0.25, 0.5, 13, false, 0, true},
    {"below guard", 100, 0.25, 0.5, 12, false, 0, false},
    /* 0.6 * 0.5 * 100 = 30.000000000000004 in doubles: 30 */
    {"at guard 0.6 x 0.5", 100, 0.5, 0.6, 30, false, 0, true},
    {"below guard 0.6 x 0.5", 100, 0.5, 0.6, 29, false, 0, false},
    {"guard 1: the threshold", 128, 0.5, 1.0, 64, false, 0, true},
    {"guard 1: under the threshold", 128, 0.5, 1.0, 63, false, 0, false},
    {"guard off", 100, 0.25, 0, 0, false, 0, true},
    {"no signature", 100, 0.25, 0.5, 0, true, 0, true},
    {"too far apart", 100, 0.25, 0.5, 100, false, 3 * DAY + 1, false},
    {"too far apart, no signature", 100, 0.25, 0.5, 0, true, 3 * DAY + 1, false},
    {"too far apart, guard off", 100, 0.25, 0, 100, false, -4 * DAY, false},
    {"within max_gap", 100, 0.25, 0.5, 100, false, 3 * DAY, true},
};

START_TEST(test_guard_table)
{
    const gcase *c = &gcases[_i];
    syndic_params p = base_params(c->k, c->threshold);
    p.guard = c->guard;
    unsigned need = (unsigned)ceil(c->guard * c->threshold * c->k - 1e-9);
    ck_assert_uint_eq(syndic__guard_need(&p), need);
    for (int nulled = 0; nulled < 2; nulled++) {
        side x, y;
        make_sigs(&x, &y, c->k, c->same, NULL);
        make_numbers(&x, &y, 0, 0, 0);
        make_titles(&x, &y, 0, 0, 0);
        link_ev(&x, 50, true, T0, "o");
        link_ev(&y, 50, true, T0 + c->dt, "p");
        if (c->null_sig) {
            if (nulled) x.ev.sig = NULL;
            else y.ev.sig = NULL;
        }
        ck_assert_msg(syndic__guard_ok(&p, &x.ev, &y.ev) == c->want, "%s", c->name);
        ck_assert_msg(syndic__guard_ok(&p, &y.ev, &x.ev) == c->want, "%s swapped", c->name);
    }
}
END_TEST

/* ---- syndic_evidence_compute on texts ---- */

static const char *const vocabulary[] = {
    "harbour", "council", "minister", "river", "market", "shares", "winter", "bridge",
    "police", "report", "budget", "school", "railway", "storm", "festival", "company",
    "workers", "airport", "election", "museum", "hospital", "farmers", "court", "coast",
    "village", "engineers", "students", "mayor", "trial", "factory", "tourists", "league",
    "station", "forest", "contract", "union", "vote", "ministry", "director", "plan",
};

/* A story of `paragraphs` paragraphs of random words; with figures, each
 * paragraph carries numbers base + 7 * i. Between paragraphs, `between`
 * when given (a template line). */
static void gen_story(char *out, size_t cap, uint64_t seed, int paragraphs, int figures_base,
                      const char *between)
{
    uint64_t keep = rng_state;
    rng_state = seed;
    size_t len = 0;
    out[0] = 0;
    for (int para = 0; para < paragraphs; para++) {
        for (int s = 0; s < 4; s++) {
            for (int w = 0; w < 12; w++) {
                const char *word = vocabulary[next_random() % (sizeof vocabulary / sizeof *vocabulary)];
                len += (size_t)snprintf(out + len, cap - len, "%s%s", w ? " " : "", word);
            }
            if (figures_base && s == 1)
                len += (size_t)snprintf(out + len, cap - len, " by %d percent",
                                        figures_base + 7 * para);
            len += (size_t)snprintf(out + len, cap - len, ". ");
        }
        len += (size_t)snprintf(out + len, cap - len, "\n");
        if (between && para + 1 < paragraphs)
            len += (size_t)snprintf(out + len, cap - len, "%s\n", between);
        ck_assert(len < cap);
    }
    rng_state = keep;
}

static syndic_doc text_doc(const char *id, const char *text, const char *outlet, const char *date)
{
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = id; d.id_len = test_len(d.id);
    d.text = text; d.text_len = test_len(d.text);
    d.outlet = outlet; d.outlet_len = test_len(d.outlet);
    d.date = date; d.date_len = test_len(d.date);
    return d;
}

static char text_a[16384], text_b[16384];

START_TEST(test_compute_verbatim_and_trimmed)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    gen_story(text_a, sizeof text_a, 11, 8, 0, NULL);
    syndic_doc a = text_doc("a", text_a, "wire", "2026-03-01T10:00:00Z");
    syndic_doc b = text_doc("b", text_a, "paper", "2026-03-01T12:00:00Z");
    syndic_evidence e;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_MATCH);
    ck_assert(e.jaccard == 1.0);
    ck_assert_int_eq(e.gap, 7200);
    ck_assert(e.containment_ab == 1.0 && e.containment_ba == 1.0);

    /* The first half of the paragraphs: J about 0.5, contained. At a
     * threshold of 0.6 only containment makes it a match. */
    size_t half = 0;
    for (int lines = 0; lines < 4; half++) lines += text_a[half] == '\n';
    memcpy(text_b, text_a, half);
    text_b[half] = 0;
    b.text = text_b; b.text_len = test_len(b.text);
    p.threshold = 0.6;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_msg(e.jaccard > 0.3 && e.jaccard < 0.6, "J %g", e.jaccard);
    ck_assert_msg(e.containment_ba > 0.9, "C %g", e.containment_ba);
    ck_assert(e.containment_ab < e.containment_ba);
    ck_assert_int_eq(e.verdict, SYNDIC_MATCH);
    p.containment = 0;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_BELOW_THRESHOLD);
}
END_TEST

START_TEST(test_compute_figures_and_dates)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    /* One template, other figures. */
    gen_story(text_a, sizeof text_a, 21, 8, 10, NULL);
    gen_story(text_b, sizeof text_b, 21, 8, 500, NULL);
    syndic_doc a = text_doc("a", text_a, "wire", "2026-03-01T10:00:00Z");
    syndic_doc b = text_doc("b", text_b, "paper", "2026-03-01T11:00:00Z");
    syndic_evidence e;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_msg(e.jaccard >= 0.5, "J %g", e.jaccard);
    ck_assert_uint_eq(e.figures_a, 8);
    ck_assert_uint_eq(e.figures_b, 8);
    ck_assert(e.figures == 0.0);
    ck_assert_int_eq(e.verdict, SYNDIC_FIGURES_DISAGREE);
    p.numbers = 0;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_MATCH);

    /* The same text four days apart. */
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    b = text_doc("b", text_a, "paper", "2026-03-05T10:00:00Z");
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_TOO_FAR_APART);
    ck_assert_int_eq(e.gap, 4 * DAY);
    ck_assert(e.figures == 1.0);
    p.max_gap = 0;
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_MATCH);
    /* Undated: no evidence either way. */
    p.max_gap = 3 * DAY;
    b.date = NULL; b.date_len = test_len(b.date);
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(e.verdict, SYNDIC_MATCH);
    ck_assert_int_eq(e.gap, -1);
    /* A document without text is refused. */
    b.text = NULL; b.text_len = test_len(b.text);
    ck_assert_int_eq(syndic_evidence_compute(&e, &p, &a, &b, NULL), SYNDIC_EINVAL);
}
END_TEST

static bool same_evidence(const syndic_evidence *x, const syndic_evidence *y)
{
    return x->verdict == y->verdict && x->jaccard == y->jaccard &&
           x->containment_ab == y->containment_ab && x->containment_ba == y->containment_ba &&
           x->shared == y->shared && x->figures == y->figures && x->figures_a == y->figures_a &&
           x->figures_b == y->figures_b && x->gap == y->gap && x->bands_shared == y->bands_shared;
}

START_TEST(test_compute_with_templates)
{
    enum { OTHERS = 4 };
    static char others[OTHERS][8192];
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_templates *t;
    ck_assert_int_eq(syndic_templates_new(&t, &p, 3), SYNDIC_OK);
    for (int i = 0; i < OTHERS; i++) {
        gen_story(others[i], sizeof others[i], 100 + (uint64_t)i, 4, 0, "Advertisement");
        syndic_doc d = text_doc("x", others[i], "Daily Harbor", NULL);
        ck_assert_int_eq(syndic_templates_observe(t, &d), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_templates_finish(t), SYNDIC_OK);
    ck_assert_uint_eq(syndic_templates_count(t), 1);
    ck_assert_str_eq(syndic_templates_at(t, 0)->text, "Advertisement");

    /* The wire story, and the outlet's copy with its template lines. */
    gen_story(text_a, sizeof text_a, 31, 8, 0, NULL);
    gen_story(text_b, sizeof text_b, 31, 8, 0, "Advertisement");
    syndic_doc a = text_doc("wire", text_a, "Wire", "2026-03-01T10:00:00Z");
    syndic_doc b = text_doc("copy", text_b, "Daily Harbor", "2026-03-01T10:30:00Z");
    syndic_evidence plain, dropped;
    ck_assert_int_eq(syndic_evidence_compute(&plain, &p, &a, &b, NULL), SYNDIC_OK);
    ck_assert_int_eq(syndic_evidence_compute(&dropped, &p, &a, &b, t), SYNDIC_OK);
    ck_assert_msg(plain.jaccard < 1.0, "J %g", plain.jaccard);
    ck_assert_msg(dropped.jaccard > plain.jaccard, "J %g, %g", dropped.jaccard, plain.jaccard);
    ck_assert(dropped.jaccard == 1.0); /* nothing else differs */

    /* The same pair in a batch that uses the same templates. */
    syndic_batch *batch;
    syndic_batch_options bo = SYNDIC_BATCH_OPTIONS_INIT;
    bo.templates = t;
    ck_assert_int_eq(syndic_batch_new(&batch, &p, &bo), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(batch, &a), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(batch, &b), SYNDIC_OK);
    syndic_evidence batched;
    ck_assert_int_eq(syndic_batch_explain(&batched, batch, 0, 1), SYNDIC_OK);
    ck_assert(same_evidence(&batched, &dropped));
    ck_assert_int_eq(syndic_batch_cluster(batch), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_explain(&batched, batch, 0, 1), SYNDIC_OK);
    ck_assert(same_evidence(&batched, &dropped));
    syndic_batch_free(batch);

    /* And without templates, the batch agrees with the plain figures. */
    ck_assert_int_eq(syndic_batch_new(&batch, &p, NULL), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(batch, &a), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(batch, &b), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_explain(&batched, batch, 0, 1), SYNDIC_OK);
    ck_assert(same_evidence(&batched, &plain));
    syndic_batch_free(batch);
    syndic_templates_free(t);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("evidence");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_containment_formula);
    tcase_add_loop_test(tc, test_verify_table, 0, (int)(sizeof vcases / sizeof *vcases));
    tcase_add_test(tc, test_threshold_boundary_sweep);
    tcase_add_test(tc, test_evidence_figures);
    tcase_add_test(tc, test_evidence_bands_one_by_one);
    tcase_add_loop_test(tc, test_guard_table, 0, (int)(sizeof gcases / sizeof *gcases));
    tcase_add_test(tc, test_compute_verbatim_and_trimmed);
    tcase_add_test(tc, test_compute_figures_and_dates);
    tcase_add_test(tc, test_compute_with_templates);
    suite_add_tcase(s, tc);
    return s;
}
