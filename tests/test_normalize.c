/*
 * test_normalize.c - text to canonical words, and the UTF-8 validator.
 *
 * Design: one table of (input bytes, expected normalized text, expected word
 * count) covers the rules of normalize.c: case folding, apostrophes, digit
 * joiners, NFKC/compat forms, marks, default-ignorables, non-Latin scripts,
 * invalid bytes and NUL. Inputs carry an explicit length so that embedded
 * NULs and invalid bytes are exact. Every row is also checked for the
 * structural invariants of syndic_words (offsets point at the words, words
 * are separated by exactly one space) and against the public wrapper
 * syndic_sketcher_normalize. Equivalence rows ("don’t" == "don't") compare
 * two inputs with each other, not just with a literal.
 */
#include "check_main.h"
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef struct norm_case {
    const char *in;
    size_t len;       /* 0: strlen(in) */
    const char *out;  /* expected normalized text */
    size_t words;
} norm_case;

#define S(lit) lit, sizeof(lit) - 1 /* literal with its exact byte length */

static const norm_case cases[] = {
    /* ASCII basics and case folding */
    {S("Hello World"), "hello world", 2},
    {S("  MiXeD   case\t\nTEXT  "), "mixed case text", 3},
    {S("ABC123 def"), "abc123 def", 2},
    /* apostrophes: straight and curly are dropped inside a word */
    {S("don't"), "dont", 1},
    {S("don\xe2\x80\x99t"), "dont", 1},                 /* U+2019 */
    {S("rock 'n' roll"), "rock n roll", 3},
    {S("'quoted'"), "quoted", 1},
    {S("students' union"), "students union", 2},
    /* quotes and dashes separate */
    {S("\xe2\x80\x9cQuoted\xe2\x80\x9d words"), "quoted words", 2}, /* “ ” */
    {S("well-known"), "well known", 2},
    {S("yes\xe2\x80\x94no"), "yes no", 2},               /* em dash */
    {S("a\xe2\x80\x93" "b"), "a b", 2},                   /* en dash */
    {S("\"straight\" quotes"), "straight quotes", 2},
    /* digit joiners */
    {S("1,200 people"), "1200 people", 2},
    {S("1,200,000"), "1200000", 1},
    {S("5.6 percent"), "5.6 pct", 2},
    {S("5.6%"), "5.6 pct", 2},
    {S("up 2.9 % on"), "up 2.9 pct on", 4},
    {S("5 mln dlrs"), "5 mln dlr", 3},
    {S("5 million dollars"), "5 mln dlr", 3},
    {S("nine cts vs ten cents"), "9 ct vs 10 ct", 5},
    /* every canonical spelling, and near misses that stay */
    {S("percent million mn billion bn dollars dollar dlrs cents cent cts zero one two "
       "three four five six seven eight nine ten"),
     "pct mln mln bln bln dlr dlr dlr ct ct ct 0 1 2 3 4 5 6 7 8 9 10", 22},
    {S("percents tens thee fiver dollarz"), "percents tens thee fiver dollarz", 5},
    {S("Million-dollar"), "mln dlr", 2},
    {S("3.14159"), "3.14159", 1},
    {S("a,b"), "a b", 2},
    {S("red, green"), "red green", 2},
    {S("1,,2"), "1 2", 2},
    {S("5. 6"), "5 6", 2},
    {S("end."), "end", 1},
    {S("U.S. troops"), "u s troops", 3},
    {S("e.g."), "e g", 2},
    /* compatibility forms */
    {S("\xef\xac\x81nance"), "finance", 1},               /* ﬁ ligature */
    {S("\xef\xbc\xa8\xef\xbd\x85\xef\xbd\x8c\xef\xbd\x8c\xef\xbd\x8f"), "hello", 1}, /* Ｈｅｌｌｏ */
    {S("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93"), "123", 1}, /* full-width 123 */
    {S("x\xc2\xb2"), "x2", 1},                            /* superscript two */
    /* accents: precomposed, combining, and none give the same word */
    {S("caf\xc3\xa9"), "cafe", 1},
    {S("cafe\xcc\x81"), "cafe", 1},
    {S("CAF\xc3\x89"), "cafe", 1},
    {S("na\xc3\xafve r\xc3\xa9sum\xc3\xa9"), "naive resume", 2},
    /* default-ignorables inside a word do not split it */
    {S("co\xc2\xad" "operate"), "cooperate", 1},          /* soft hyphen */
    {S("zero\xe2\x80\x8bwidth"), "zerowidth", 1},         /* U+200B */
    {S("joi\xe2\x80\x8dner"), "joiner", 1},               /* U+200D */
    {S("\xef\xbb\xbf" "bom"), "bom", 1},                  /* U+FEFF */
    /* German sharp s */
    {S("Stra\xc3\x9f" "e"), "strasse", 1},
    /* non-Latin scripts are kept, lower-cased */
    {S("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91"), "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1", 1}, /* ΑΘΗΝΑ */
    {S("\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90"), "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", 1}, /* МОСКВА */
    {S("\xe6\x9d\xb1\xe4\xba\xac news"), "\xe6\x9d\xb1\xe4\xba\xac news", 2}, /* 東京 */
    /* invalid UTF-8 separates and never crashes */
    {S("abc\xff" "def"), "abc def", 2},
    {S("abc\x80" "def"), "abc def", 2},
    {S("abc\xc3"), "abc", 1},                              /* truncated */
    {S("\xe2\x82" "x"), "x", 1},                           /* truncated */
    {S("\xc0\xaf" "ab"), "ab", 1},                         /* overlong */
    {S("a\xed\xa0\x80" "b"), "a b", 2},                    /* surrogate */
    {S("\xff\xfe\xfd"), "", 0},
    /* NUL bytes inside the buffer separate */
    {S("abc\0def"), "abc def", 2},
    {S("\0\0x\0"), "x", 1},
    /* nothing to keep */
    {S(""), "", 0},
    {S("   "), "", 0},
    {S("!!! ... --- ,,, ''' \xe2\x80\x94 \xe2\x80\x9c\xe2\x80\x9d ?"), "", 0},
};

/* ck_assert records its location on every call (a write to a pipe in fork
 * mode): too slow for the inner loops below, so they only call Check on a
 * failure. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                \
    } while (0)

/* Structural invariants of a syndic_words. */
static void check_words(const syndic_words *w, const char *label)
{
    CHECK(strlen(w->text) == w->len, "%s: len %zu vs strlen %zu", label, w->len,
                  strlen(w->text));
    size_t pos = 0;
    for (size_t i = 0; i < w->count; i++) {
        CHECK(w->start[i] == pos, "%s: word %zu starts at %u, expected %zu", label, i,
                      w->start[i], pos);
        CHECK(w->end[i] > w->start[i], "%s: word %zu is empty", label, i);
        for (uint32_t j = w->start[i]; j < w->end[i]; j++)
            CHECK(w->text[j] != ' ', "%s: space inside word %zu", label, i);
        pos = w->end[i];
        if (i + 1 < w->count) {
            CHECK(w->text[pos] == ' ', "%s: no space after word %zu", label, i);
            pos++;
        }
    }
    CHECK(pos == w->len, "%s: words end at %zu, text at %zu", label, pos, w->len);
}

START_TEST(test_table)
{
    syndic_words w = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const norm_case *c = &cases[i];
        ck_assert_int_eq(syndic__normalize(&w, c->in, c->len), SYNDIC_OK);
        ck_assert_msg(strcmp(w.text, c->out) == 0, "case %zu: got \"%s\", expected \"%s\"", i,
                      w.text, c->out);
        ck_assert_msg(w.count == c->words, "case %zu (\"%s\"): %zu words, expected %zu", i,
                      c->out, w.count, c->words);
        char label[32];
        snprintf(label, sizeof label, "case %zu", i);
        check_words(&w, label);
    }
    syndic__words_free(&w);
    ck_assert_ptr_null(w.text);
}
END_TEST

/* The public wrapper gives the same as the internal function. */
START_TEST(test_sketcher_normalize)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_sketcher *s;
    ck_assert_int_eq(syndic_sketcher_new(&s, &p), SYNDIC_OK);
    syndic_words w = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out;
        size_t out_len, words = 99;
        ck_assert_int_eq(
            syndic_sketcher_normalize(&out, &out_len, &words, s, cases[i].in, cases[i].len),
            SYNDIC_OK);
        ck_assert_int_eq(syndic__normalize(&w, cases[i].in, cases[i].len), SYNDIC_OK);
        ck_assert_uint_eq(out_len, w.len);
        ck_assert_str_eq(out, w.text);
        ck_assert_uint_eq(words, w.count);
    }
    /* words may be NULL */
    const char *out;
    size_t out_len;
    ck_assert_int_eq(syndic_sketcher_normalize(&out, &out_len, NULL, s, "A b", 3), SYNDIC_OK);
    ck_assert_str_eq(out, "a b");
    syndic__words_free(&w);
    syndic_sketcher_free(s);
}
END_TEST

/* Pairs that must normalize to the same text. */
START_TEST(test_equivalences)
{
    static const struct { const char *a, *b; } eq[] = {
        {"Don\xe2\x80\x99t panic", "don't PANIC"},
        {"The \xe2\x80\x9c" "deal\xe2\x80\x9d \xe2\x80\x94 signed", "the \"deal\" - signed"},
        {"caf\xc3\xa9 cr\xc3\xa8me", "cafe\xcc\x81 cre\xcc\x80me"},
        {"caf\xc3\xa9 cr\xc3\xa8me", "cafe creme"},
        {"\xef\xac\x81" "fty \xef\xac\x82" "at", "fifty flat"},
        {"\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc"},
        {"1,200 jobs", "1200 jobs"},
        {"Gro\xc3\x9f" "e Stra\xc3\x9f" "e", "GROSSE STRASSE"},
        {"co\xc2\xad" "op\xe2\x80\x8b" "er\xe2\x80\x8c" "ate", "cooperate"},
    };
    syndic_words a = {0}, b = {0};
    for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++) {
        ck_assert_int_eq(syndic__normalize(&a, eq[i].a, strlen(eq[i].a)), SYNDIC_OK);
        ck_assert_int_eq(syndic__normalize(&b, eq[i].b, strlen(eq[i].b)), SYNDIC_OK);
        ck_assert_msg(strcmp(a.text, b.text) == 0, "pair %zu: \"%s\" vs \"%s\"", i, a.text,
                      b.text);
        ck_assert_uint_eq(a.count, b.count);
    }
    syndic__words_free(&a);
    syndic__words_free(&b);
}
END_TEST

START_TEST(test_offsets)
{
    syndic_words w = {0};
    const char *in = "Hello, big \xe2\x80\x9cWORLD\xe2\x80\x9d caf\xc3\xa9 1,200.";
    ck_assert_int_eq(syndic__normalize(&w, in, strlen(in)), SYNDIC_OK);
    ck_assert_str_eq(w.text, "hello big world cafe 1200");
    static const uint32_t start[] = {0, 6, 10, 16, 21}, end[] = {5, 9, 15, 20, 25};
    ck_assert_uint_eq(w.count, 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_uint_eq(w.start[i], start[i]);
        ck_assert_uint_eq(w.end[i], end[i]);
    }
    /* Multi-byte words: offsets are in bytes of the normalized text. */
    const char *greek = "\xce\x91\xce\x92 x";  /* "ΑΒ x" -> "αβ x" */
    ck_assert_int_eq(syndic__normalize(&w, greek, strlen(greek)), SYNDIC_OK);
    ck_assert_uint_eq(w.count, 2);
    ck_assert_uint_eq(w.start[0], 0);
    ck_assert_uint_eq(w.end[0], 4);
    ck_assert_uint_eq(w.start[1], 5);
    ck_assert_uint_eq(w.end[1], 6);
    syndic__words_free(&w);
}
END_TEST

/* Reusing one syndic_words across texts resets it; many words grow it. */
START_TEST(test_reuse_and_growth)
{
    syndic_words w = {0};
    ck_assert_int_eq(syndic__normalize(&w, "one two three", 13), SYNDIC_OK);
    ck_assert_uint_eq(w.count, 3);
    ck_assert_int_eq(syndic__normalize(&w, "fours", 5), SYNDIC_OK);
    ck_assert_uint_eq(w.count, 1);
    ck_assert_str_eq(w.text, "fours");
    ck_assert_int_eq(syndic__normalize(&w, "", 0), SYNDIC_OK);
    ck_assert_uint_eq(w.count, 0);
    ck_assert_str_eq(w.text, "");

    /* 5000 words "w0 w1 ..." separated by punctuation that grows the output
     * past the initial reservation (len / 2 + 16). */
    static char big[5000 * 8];
    size_t n = 0;
    for (int i = 0; i < 5000; i++) n += (size_t)snprintf(big + n, sizeof big - n, "W%d!", i);
    ck_assert_int_eq(syndic__normalize(&w, big, n), SYNDIC_OK);
    ck_assert_uint_eq(w.count, 5000);
    check_words(&w, "big");
    char word[16];
    snprintf(word, sizeof word, "w%d", 4321);
    ck_assert_int_eq(memcmp(w.text + w.start[4321], word, strlen(word)), 0);
    ck_assert_uint_eq(w.end[4321] - w.start[4321], strlen(word));
    syndic__words_free(&w);
}
END_TEST

/* Every single byte value and every pair of bytes: no crash, invariants hold. */
START_TEST(test_all_bytes)
{
    syndic_words w = {0};
    char buf[4];
    for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            buf[0] = 'x';
            buf[1] = (char)a;
            buf[2] = (char)b;
            buf[3] = 'y';
            CHECK(syndic__normalize(&w, buf, 4) == SYNDIC_OK, "bytes %02x %02x", a, b);
            /* x, y and at most one word per byte ('%' is the word "pct"). */
            CHECK(w.count >= 1 && w.count <= 4, "bytes %02x %02x: %zu words", a, b, w.count);
            check_words(&w, "bytes");
        }
    }
    syndic__words_free(&w);
}
END_TEST

typedef struct utf8_case {
    const char *s;
    size_t len;
    bool valid;
    size_t bad; /* offset of the first bad byte when !valid */
} utf8_case;

START_TEST(test_utf8_valid)
{
    static const utf8_case cases8[] = {
        {S(""), true, 0},
        {S("hello"), true, 0},
        {S("h\xc3\xa9llo"), true, 0},
        {S("\xe2\x80\x99"), true, 0},
        {S("\xf0\x9f\x98\x80"), true, 0},            /* U+1F600 */
        {S("\xf4\x8f\xbf\xbf"), true, 0},            /* U+10FFFF */
        {S("\xef\xbb\xbf"), true, 0},                /* BOM */
        {S("a\0b"), true, 0},                        /* NUL is valid UTF-8 */
        {S("\xff"), false, 0},
        {S("\xfe"), false, 0},
        {S("abc\x80"), false, 3},                    /* lone continuation */
        {S("\xc0\xaf"), false, 0},                   /* overlong '/' */
        {S("\xc1\xbf"), false, 0},                   /* overlong */
        {S("ab\xe0\x80\xaf"), false, 2},             /* overlong 3-byte */
        {S("\xf0\x80\x80\xaf"), false, 0},           /* overlong 4-byte */
        {S("x\xed\xa0\x80"), false, 1},              /* U+D800 */
        {S("xy\xed\xbf\xbf"), false, 2},             /* U+DFFF */
        {S("\xf4\x90\x80\x80"), false, 0},           /* > U+10FFFF */
        {S("abc\xc3"), false, 3},                    /* truncated 2-byte */
        {S("abc\xe2\x82"), false, 3},                /* truncated 3-byte */
        {S("\xf0\x9f\x98"), false, 0},               /* truncated 4-byte */
        {S("\xe2\x82x"), false, 0},                  /* bad continuation */
        {S("ok \xc3\xa9 then \xc3("), false, 11},
    };
    for (size_t i = 0; i < sizeof cases8 / sizeof cases8[0]; i++) {
        size_t bad = 12345;
        bool v = syndic__utf8_valid(cases8[i].s, cases8[i].len, &bad);
        ck_assert_msg(v == cases8[i].valid, "case %zu: valid=%d", i, v);
        if (!cases8[i].valid)
            ck_assert_msg(bad == cases8[i].bad, "case %zu: bad offset %zu, expected %zu", i,
                          bad, cases8[i].bad);
        else
            ck_assert_uint_eq(bad, 12345); /* untouched when valid */
        /* bad_offset may be NULL */
        ck_assert(syndic__utf8_valid(cases8[i].s, cases8[i].len, NULL) == cases8[i].valid);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_sketcher_normalize);
    tcase_add_test(tc, test_equivalences);
    tcase_add_test(tc, test_offsets);
    tcase_add_test(tc, test_reuse_and_growth);
    tcase_add_test(tc, test_all_bytes);
    tcase_add_test(tc, test_utf8_valid);
    suite_add_tcase(s, tc);
    return s;
}
