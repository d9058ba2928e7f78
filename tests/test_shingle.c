/*
 * test_shingle.c - word k-shingles as sorted, distinct 64-bit hashes.
 *
 * Design: texts of n distinct words ("w0 w1 ...") give exactly n - k + 1
 * distinct shingles for n >= k, so the count is checked over a grid of n and
 * k; repeated text checks deduplication. Each hash is recomputed
 * independently as XXH3_64 of the k words joined by single spaces, which pins
 * the definition of a shingle (a change of it would change every stored
 * signature). Output order (strictly increasing) is checked on every result.
 */
#include "check_main.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define SEED UINT64_C(0x5317d1c0ffee5eed)

typedef struct shingled {
    syndic_words w;
    uint64_t *h;
    size_t count, cap;
} shingled;

static void run(shingled *s, const char *text, unsigned k, uint64_t seed)
{
    ck_assert_int_eq(syndic__normalize(&s->w, text, strlen(text)), SYNDIC_OK);
    ck_assert_int_eq(syndic__shingle(&s->h, &s->count, &s->cap, &s->w, k, seed), SYNDIC_OK);
    for (size_t i = 1; i < s->count; i++)
        ck_assert_msg(s->h[i - 1] < s->h[i], "hashes not sorted and distinct at %zu", i);
}

static void done(shingled *s)
{
    syndic__words_free(&s->w);
    syndic__free(s->h);
    memset(s, 0, sizeof *s);
}

static bool contains(const shingled *s, uint64_t h)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->h[i] == h) return true;
    return false;
}

/* "w0 w1 ... w(n-1)" */
static char *distinct_words(size_t n)
{
    char *t = malloc(n * 8 + 1);
    size_t len = 0;
    t[0] = '\0';
    for (size_t i = 0; i < n; i++) len += (size_t)sprintf(t + len, "%sw%zu", i ? " " : "", i);
    return t;
}

START_TEST(test_counts)
{
    static const unsigned ks[] = {1, 2, 3, 4, 5, 8, 16};
    static const size_t ns[] = {1, 2, 3, 4, 5, 7, 16, 17, 100};
    shingled s = {0};
    for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++) {
        char *text = distinct_words(ns[a]);
        for (size_t b = 0; b < sizeof ks / sizeof ks[0]; b++) {
            size_t n = ns[a];
            unsigned k = ks[b];
            run(&s, text, k, SEED);
            size_t want = n >= k ? n - k + 1 : 1;
            ck_assert_msg(s.count == want, "n=%zu k=%u: %zu shingles, expected %zu", n, k,
                          s.count, want);
        }
        free(text);
    }
    done(&s);
}
END_TEST

typedef struct dedup_case {
    const char *text;
    unsigned k;
    size_t want;
} dedup_case;

START_TEST(test_dedup)
{
    static const dedup_case cases[] = {
        {"a b a b a b a b", 2, 2},            /* "a b", "b a" */
        {"x x x x x x", 4, 1},
        {"x x x x x x", 1, 1},
        {"the cat the cat the dog", 2, 3},     /* the cat, cat the, the dog */
        {"a b c a b c a b c", 3, 3},
        {"a b c d a b c d", 4, 4},             /* abcd bcda cdab dabc abcd */
        {"One, ONE; one! one", 1, 1},          /* normalization first */
    };
    shingled s = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run(&s, cases[i].text, cases[i].k, SEED);
        ck_assert_msg(s.count == cases[i].want, "\"%s\" k=%u: %zu, expected %zu",
                      cases[i].text, cases[i].k, s.count, cases[i].want);
    }
    done(&s);
}
END_TEST

/* The bag: the same multiset of hashes as the sorted set with repeats, its
 * distinct count equals the set's size, and so the same signature. Texts of
 * 1 to 3,000 words with many repeats (a small vocabulary), for the table's
 * growth and collisions. */
START_TEST(test_bag_matches_set)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    shingled s = {0};
    uint64_t *bag = NULL, *table = NULL;
    size_t bag_count, bag_cap = 0, table_cap = 0, distinct;
    unsigned rng = 7;
    static const size_t sizes[] = {1, 2, 3, 4, 5, 40, 300, 3000};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        char *text = malloc(sizes[c] * 4 + 1);
        size_t len = 0;
        for (size_t i = 0; i < sizes[c]; i++) {
            rng = rng * 1103515245u + 12345u;
            len += (size_t)sprintf(text + len, "%s%c%c", i ? " " : "", 'a' + (rng >> 16) % 5,
                                   'a' + (rng >> 20) % 3);
        }
        run(&s, text, 4, SEED);
        ck_assert_int_eq(syndic__shingle_bag(&bag, &bag_count, &bag_cap, &s.w, 4, SEED, &table,
                                             &table_cap, &distinct),
                         SYNDIC_OK);
        ck_assert_uint_eq(distinct, s.count);
        ck_assert_uint_ge(bag_count, distinct);
        for (size_t i = 0; i < bag_count; i++) ck_assert(contains(&s, bag[i]));
        uint32_t a[128], b[128];
        syndic_sketch_hashes(&p, s.h, s.count, a);
        syndic_sketch_hashes(&p, bag, bag_count, b);
        ck_assert_mem_eq(a, b, sizeof a);
        free(text);
    }
    done(&s);
    syndic__free(bag);
    syndic__free(table);
}
END_TEST

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* syndic__sort_hashes sorts like qsort: random keys of many sizes (some
 * repeated), and keys sharing their top 32 bits, which defeat its shortcut
 * and must still come out sorted (through the full sort). */
START_TEST(test_sort_hashes)
{
    static const size_t sizes[] = {0, 1, 2, 47, 48, 49, 300, 2048, 2049, 70000};
    uint64_t state = 12345;
    for (int adversarial = 0; adversarial < 2; adversarial++) {
        for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
            size_t n = sizes[c];
            uint64_t *v = malloc((n + 1) * sizeof *v), *w = malloc((n + 1) * sizeof *w);
            for (size_t i = 0; i < n; i++) {
                state = state * UINT64_C(6364136223846793005) + 1442695040888963407u;
                uint64_t x = XXH3_64bits(&state, sizeof state);
                if (adversarial) x = UINT64_C(0xabcdef0100000000) | (x & 0xffffffffu);
                v[i] = w[i] = i % 7 == 3 && i ? v[i - 1] : x;
                w[i] = v[i];
            }
            ck_assert_int_eq(syndic__sort_hashes(v, n), SYNDIC_OK);
            qsort(w, n, sizeof *w, cmp_u64);
            ck_assert(n == 0 || memcmp(v, w, n * sizeof *v) == 0);
            free(v);
            free(w);
        }
    }
}
END_TEST

/* The "seen" filter of the template learner (seen.c): no false negatives,
 * across its growth from one filter to several, and few false positives. */
START_TEST(test_seen_filter)
{
    syndic_seen *seen;
    ck_assert_int_eq(syndic__seen_new(&seen), SYNDIC_OK);
    const uint64_t n = 4400000; /* past the first filter's 4M capacity */
    uint64_t false_pos = 0;
    for (uint64_t i = 0; i < n; i++) {
        int rc = syndic__seen_check_add(seen, XXH3_64bits(&i, sizeof i));
        ck_assert_int_ge(rc, 0);
        false_pos += (uint64_t)rc;
    }
    ck_assert_msg(false_pos < n / 50, "%llu false positives in %llu new keys",
                  (unsigned long long)false_pos, (unsigned long long)n);
    for (uint64_t i = 0; i < n; i += 7)
        ck_assert_int_eq(syndic__seen_check_add(seen, XXH3_64bits(&i, sizeof i)), 1);
    ck_assert_uint_gt(syndic__seen_bytes(seen), (size_t)7 << 20); /* two filters */
    syndic__seen_free(seen);
}
END_TEST

START_TEST(test_short_and_empty)
{
    shingled s = {0};
    /* Fewer words than k: exactly one shingle, the hash of all the words. */
    run(&s, "Breaking: news", 4, SEED);
    ck_assert_uint_eq(s.count, 1);
    ck_assert(s.h[0] == XXH3_64bits_withSeed("breaking news", 13, SEED));
    run(&s, "solo", 16, SEED);
    ck_assert_uint_eq(s.count, 1);
    ck_assert(s.h[0] == XXH3_64bits_withSeed("solo", 4, SEED));
    /* No words: no shingles, even after a text that had some. */
    static const char *empty[] = {"", "   ", "--- !!! ...", "\xe2\x80\x94"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        run(&s, empty[i], 4, SEED);
        ck_assert_msg(s.count == 0, "\"%s\": %zu shingles", empty[i], s.count);
    }
    done(&s);
}
END_TEST

/* Each shingle is XXH3_64(seed) of its k words joined by single spaces. */
START_TEST(test_hash_definition)
{
    const char *text = "The Mayor\xe2\x80\x99s office said, on Tuesday, that 1,200 new homes would be built.";
    static const char *words[] = {"the", "mayors", "office", "said", "on", "tuesday", "that",
                                  "1200", "new", "homes", "would", "be", "built"};
    const size_t n = sizeof words / sizeof words[0];
    shingled s = {0};
    for (unsigned k = 1; k <= 5; k++) {
        run(&s, text, k, SEED);
        ck_assert_uint_eq(s.count, n - k + 1);
        for (size_t i = 0; i + k <= n; i++) {
            char joined[256] = "";
            for (size_t j = 0; j < k; j++) {
                if (j) strcat(joined, " ");
                strcat(joined, words[i + j]);
            }
            uint64_t h = XXH3_64bits_withSeed(joined, strlen(joined), SEED);
            ck_assert_msg(contains(&s, h), "k=%u: shingle \"%s\" missing", k, joined);
        }
    }
    done(&s);
}
END_TEST

START_TEST(test_determinism_and_seed)
{
    const char *text = "Officials confirmed the bridge will reopen to traffic next week after repairs";
    shingled a = {0}, b = {0};
    run(&a, text, 4, SEED);
    run(&b, text, 4, SEED);
    ck_assert_uint_eq(a.count, b.count);
    ck_assert_mem_eq(a.h, b.h, a.count * sizeof *a.h);
    /* Same words under different formatting: same shingles. */
    run(&b, "OFFICIALS confirmed -- the bridge will reopen, to traffic next week after repairs!", 4,
        SEED);
    ck_assert_uint_eq(a.count, b.count);
    ck_assert_mem_eq(a.h, b.h, a.count * sizeof *a.h);
    /* Another seed: the same number of shingles, none of the hashes shared. */
    run(&b, text, 4, SEED + 1);
    ck_assert_uint_eq(a.count, b.count);
    for (size_t i = 0; i < b.count; i++) ck_assert(!contains(&a, b.h[i]));
    done(&a);
    done(&b);
}
END_TEST

/* The public wrapper equals the internal pipeline with the params' k and seed. */
START_TEST(test_sketcher_shingles)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.shingle_words = 3;
    p.seed = 77;
    syndic_sketcher *sk;
    ck_assert_int_eq(syndic_sketcher_new(&sk, &p), SYNDIC_OK);
    const char *text = "alpha beta gamma delta epsilon alpha beta gamma";
    const uint64_t *h;
    size_t count;
    ck_assert_int_eq(syndic_sketcher_shingles(&h, &count, sk, text, strlen(text)), SYNDIC_OK);
    shingled s = {0};
    run(&s, text, 3, 77);
    ck_assert_uint_eq(count, 5); /* 6 windows, "alpha beta gamma" twice */
    ck_assert_uint_eq(count, s.count);
    ck_assert_mem_eq(h, s.h, count * sizeof *h);
    uint32_t sig[128], nsh;
    ck_assert_int_eq(syndic_sketcher_sketch(sig, &nsh, sk, text, strlen(text)), SYNDIC_OK);
    ck_assert_uint_eq(nsh, 5);
    ck_assert_int_eq(syndic_sketcher_sketch(sig, &nsh, sk, "", 0), SYNDIC_OK);
    ck_assert_uint_eq(nsh, 0);
    for (int i = 0; i < 128; i++) ck_assert_uint_eq(sig[i], UINT32_MAX);
    done(&s);
    syndic_sketcher_free(sk);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("shingle");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300); /* the seen filter test takes ~40 s under ASan, more on a loaded machine */
    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_dedup);
    tcase_add_test(tc, test_bag_matches_set);
    tcase_add_test(tc, test_sort_hashes);
    tcase_add_test(tc, test_seen_filter);
    tcase_add_test(tc, test_short_and_empty);
    tcase_add_test(tc, test_hash_definition);
    tcase_add_test(tc, test_determinism_and_seed);
    tcase_add_test(tc, test_sketcher_shingles);
    suite_add_tcase(s, tc);
    return s;
}
