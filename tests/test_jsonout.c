/*
 * test_jsonout.c - the CLI's hand-written JSON (src/cli/jsonout.c) is byte
 * for byte what jansson writes in compact mode, for reals of every
 * magnitude and for strings with every kind of character that needs care;
 * and invalid UTF-8 (which jansson refuses) becomes U+FFFD.
 */
#include "check_main.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/jsonout.h"

static void same_as_jansson_real(double v)
{
    cli_json b = {0};
    cli_json_real(&b, v);
    cli_json_mem(&b, "", 1);
    json_t *r = json_real(v);
    char *want = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY);
    ck_assert_msg(strcmp(b.data, want) == 0, "%.17g: %s, jansson %s", v, b.data, want);
    free(want);
    json_decref(r);
    cli_json_free(&b);
}

START_TEST(test_reals)
{
    static const double fixed[] = {0, 1, -1, 0.5, 1e-5, 1e-4, 0.1, 1.0 / 3, 2.0 / 3, 1e21, 1e16,
                                   1e17, 123456789012345678.0, 0.875, 0.9120879120879121,
                                   1e-300, 5e-324, 1e100, -2.5, 1e308};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) same_as_jansson_real(fixed[i]);
    unsigned s = 1;
    for (int i = 0; i < 20000; i++) {
        s = s * 1103515245u + 12345u;
        double m = (double)(s >> 8) / (double)(1u << 24);
        same_as_jansson_real(ldexp(m, (int)(s % 160) - 80));
        same_as_jansson_real((double)(s % 1000) / (double)(s % 997 + 1));
    }
}
END_TEST

START_TEST(test_strings)
{
    static const char *const cases[] = {
        "", "plain", "quote \" and backslash \\ and slash /", "tab\there, new\nline, cr\r",
        "\b\f\x01\x1f\x7f", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xb0",
        "line sep \xe2\x80\xa8 and para sep \xe2\x80\xa9", "<script>&amp;</script>"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_json b = {0};
        cli_json_str(&b, cases[i]);
        cli_json_mem(&b, "", 1);
        json_t *j = json_string(cases[i]);
        ck_assert_ptr_nonnull(j);
        char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        ck_assert_str_eq(b.data, want);
        free(want);
        json_decref(j);
        cli_json_free(&b);
    }
    /* Invalid UTF-8: a lone continuation byte, a truncated sequence, an
     * overlong form and a surrogate each become U+FFFD. */
    cli_json b = {0};
    cli_json_strn(&b, "a\x80z\xe6\x97 \xc0\xaf \xed\xa0\x80", 12);
    cli_json_mem(&b, "", 1);
    ck_assert_str_eq(b.data, "\"a\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
                             "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    json_t *back = json_loads(b.data, JSON_DECODE_ANY, NULL);
    ck_assert_ptr_nonnull(back);
    json_decref(back);
    cli_json_free(&b);
}
END_TEST

START_TEST(test_object)
{
    cli_json b = {0};
    cli_json_mem(&b, "{", 1);
    cli_json_key(&b, "a", true);
    cli_json_int(&b, -42);
    cli_json_key(&b, "b", false);
    cli_json_str_or_null(&b, "");
    cli_json_key(&b, "c", false);
    cli_json_str_or_null(&b, NULL);
    cli_json_key(&b, "d", false);
    cli_json_str_or_null(&b, "x");
    cli_json_key(&b, "e", false);
    cli_json_real(&b, NAN);
    cli_json_mem(&b, "}", 2);
    ck_assert_str_eq(b.data, "{\"a\":-42,\"b\":null,\"c\":null,\"d\":\"x\",\"e\":null}");
    cli_json_free(&b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("jsonout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_reals);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_object);
    suite_add_tcase(s, tc);
    return s;
}

