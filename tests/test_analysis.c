/*
 * test_analysis.c - the edit label of a copy (analysis.c), rule by rule as
 * include/syndic.h states them at syndic_edit:
 *   verbatim   every sentence kept unchanged, none added;
 *   trimmed    sentences removed, none added;
 *   extended   sentences added, none removed;
 *   rewritten  sentences removed and added, or a third or more of the copy's
 *              sentences (kept and added) edited ones, or only edits.
 * "Edited" sentences are among the kept ones (a typo, a changed figure).
 */
#include "check_main.h"
#include "internal.h"

#include <string.h>

typedef struct label_case {
    uint32_t kept, removed, added, edited;
    syndic_edit want;
    const char *why;
} label_case;

#define V SYNDIC_EDIT_VERBATIM
#define T SYNDIC_EDIT_TRIMMED
#define E SYNDIC_EDIT_EXTENDED
#define R SYNDIC_EDIT_REWRITTEN

static const label_case cases[] = {
    /* verbatim */
    {12, 0, 0, 0, V, "every sentence kept unchanged"},
    {1, 0, 0, 0, V, "a one-sentence copy"},
    {0, 0, 0, 0, V, "two empty texts: nothing changed"},
    /* only edits */
    {12, 0, 0, 1, R, "only edits: one of twelve"},
    {1, 0, 0, 1, R, "only edits: the one sentence"},
    {300, 0, 0, 1, R, "only edits: one of three hundred"},
    /* trimmed */
    {10, 3, 0, 0, T, "sentences removed, none added"},
    {0, 4, 0, 0, T, "every sentence removed"},
    {10, 3, 0, 3, T, "removed, edits under a third of the kept"},
    /* extended */
    {10, 0, 3, 0, E, "sentences added, none removed"},
    {0, 0, 4, 0, E, "nothing kept, sentences added"},
    {10, 0, 3, 3, E, "added, edits under a third of the kept"},
    /* removed and added */
    {10, 3, 3, 0, R, "removed and added"},
    {0, 1, 1, 0, R, "one out, one in"},
    {10, 1, 1, 1, R, "removed and added, few edits"},
    /* the boundary: a third or more of the copy's sentences (kept + added)
     * edited */
    {9, 1, 0, 3, R, "removed, 3 of 9 kept edited: a third"},
    {10, 1, 0, 3, T, "removed, 3 of 10 kept edited: under a third"},
    {8, 0, 1, 3, R, "added, 3 of 8 kept + 1 added edited: a third"},
    {9, 0, 1, 3, E, "added, 3 of 9 kept + 1 added edited: under a third"},
    {10, 0, 1, 3, E, "added, 3 of 10 kept edited: under a third"},
    {6, 2, 0, 2, R, "removed, 2 of 6 kept edited: a third"},
    {7, 2, 0, 2, T, "removed, 2 of 7 kept edited: under a third"},
    {3, 0, 4, 1, E, "a flash grown to the full story, one lead edited (Reuters 10539)"},
    {3, 0, 30, 1, E, "added many, 1 of 3 kept edited: under a third of the copy"},
    {3, 0, 3, 2, R, "added, 2 of 3 kept + 3 added edited: a third"},
    {4, 0, 30, 1, E, "added many, 1 of 4 kept edited: under a third"},
    {3, 30, 0, 1, R, "removed many, 1 of 3 kept edited: a third"},
    {4, 30, 0, 1, T, "removed many, 1 of 4 kept edited: under a third"},
    {12, 5, 0, 12, R, "removed, every kept one edited"},
    {99, 0, 7, 36, R, "added, 36 of 99 kept + 7 added edited: a third"},
    {99, 0, 7, 35, E, "added, 35 of 99 kept + 7 added edited: under a third"},
    {100, 0, 7, 33, E, "added, 33 of 100 kept edited: under a third"},
    /* counts far past any real text: no overflow in "a third" */
    {UINT32_MAX, 0, 5, UINT32_MAX / 3 + 2, R, "huge: a third (kept + added overflows 32 bits)"},
    {UINT32_MAX, 0, 5, UINT32_MAX / 3 + 1, E, "huge: just under a third"},
    {UINT32_MAX, 5, 0, 0x60000000u, R, "huge: over a third (x3 overflows 32 bits)"},
    {UINT32_MAX, 0, UINT32_MAX, 0, E, "huge: added"},
};

START_TEST(test_label_rules)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const label_case *c = &cases[i];
        syndic_edit got = syndic__edit_label(c->kept, c->removed, c->added, c->edited);
        ck_assert_msg(got == c->want,
                      "kept %u removed %u added %u edited %u (%s): %s, expected %s", c->kept,
                      c->removed, c->added, c->edited, c->why, syndic_edit_name(got),
                      syndic_edit_name(c->want));
    }
}
END_TEST

/* The same rules over every small count, stated the header's way round. */
START_TEST(test_label_exhaustive)
{
    for (uint32_t kept = 0; kept <= 15; kept++)
        for (uint32_t removed = 0; removed <= 4; removed++)
            for (uint32_t added = 0; added <= 4; added++)
                for (uint32_t edited = 0; edited <= kept; edited++) {
                    bool many_edits = edited > 0 && 3 * edited >= kept + added;
                    syndic_edit want;
                    if ((removed && added) || many_edits ||
                        (edited && !removed && !added))
                        want = R;
                    else if (removed)
                        want = T;
                    else if (added)
                        want = E;
                    else
                        want = V;
                    syndic_edit got = syndic__edit_label(kept, removed, added, edited);
                    if (got != want)
                        ck_abort_msg("kept %u removed %u added %u edited %u: %s, expected %s",
                                     kept, removed, added, edited, syndic_edit_name(got),
                                     syndic_edit_name(want));
                }
}
END_TEST

START_TEST(test_edit_names)
{
    static const struct { syndic_edit e; const char *name; } names[] = {
        {SYNDIC_EDIT_ORIGIN, "origin"},     {SYNDIC_EDIT_VERBATIM, "verbatim"},
        {SYNDIC_EDIT_TRIMMED, "trimmed"},   {SYNDIC_EDIT_EXTENDED, "extended"},
        {SYNDIC_EDIT_REWRITTEN, "rewritten"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_str_eq(syndic_edit_name(names[i].e), names[i].name);
    ck_assert_str_eq(syndic_edit_name((syndic_edit)5), "unknown");
    ck_assert_str_eq(syndic_edit_name((syndic_edit)-1), "unknown");
    /* The label never says "origin": that is the story's first member. */
    for (uint32_t k = 0; k < 4; k++)
        for (uint32_t r = 0; r < 4; r++)
            for (uint32_t a = 0; a < 4; a++)
                for (uint32_t e = 0; e <= k; e++)
                    ck_assert_int_ne(syndic__edit_label(k, r, a, e), SYNDIC_EDIT_ORIGIN);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("labels");
    tcase_add_test(tc, test_label_rules);
    tcase_add_test(tc, test_label_exhaustive);
    tcase_add_test(tc, test_edit_names);
    suite_add_tcase(s, tc);
    return s;
}
