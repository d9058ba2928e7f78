/*
 * test_date.c - syndic_date_parse on the forms news feeds carry.
 *
 * Design: one table of accepted strings with their epoch seconds, each value
 * computed independently with GNU date (`date -u -d '2026-03-04T09:15:00Z'
 * +%s` = 1772615700), and one table of strings that must be rejected
 * (impossible dates, out-of-range fields, trailing junk, ambiguous forms).
 * The human forms news pages print use Friday 2026-02-06: 16:43 UTC is
 * 1770396180 (`date -u -d 'Fri, February 6, 2026 4:43 PM UTC' +%s`), the
 * midnight before it 1770336000. Further checks exercise the explicit length
 * (the parser must never read past `len`) and the 12-hour clock against the
 * 24-hour one for every hour.
 */
#include "check_main.h"
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef struct good_date {
    const char *s;
    int64_t want;
} good_date;

static const good_date good[] = {
    /* ISO 8601 */
    {"2026-03-04", 1772582400},
    {"2026-03-04T09:15", 1772615700},
    {"2026-03-04t09:15", 1772615700},
    {"2026-03-04 09:15", 1772615700},
    {"2026-03-04T09:15:30", 1772615730},
    {"2026-03-04 09:15:30", 1772615730},
    {"2026-03-04T09:15:00Z", 1772615700},
    {"2026-03-04T09:15:00z", 1772615700},
    {"2026-03-04T09:15:30.123Z", 1772615730},
    {"2026-03-04T09:15:30.999999999Z", 1772615730},
    {"2026-03-04T09:15:30,5", 1772615730},
    {"2026-03-04T09:15:00+01:00", 1772612100},
    {"2026-03-04T09:15:00+0100", 1772612100},
    {"2026-03-04T09:15:00+01", 1772612100},
    {"2026-03-04T09:15:00-05", 1772633700},
    {"2026-03-04T09:15:00-05:00", 1772633700},
    {"2026-03-04T09:15:00+05:30", 1772595900},
    {"2026-03-04T09:15:00 +01:00", 1772612100},
    {"2026-03-04T09:15:00.5-05:00", 1772633700},
    {"2026-03-04T09:15Z", 1772615700},
    {"2026-03-04T09:15:00 UTC", 1772615700},
    {"1970-01-01", 0},
    {"1970-01-01T00:00:01Z", 1},
    {"1969-12-31T23:59:59Z", -1},
    {"2000-01-01", 946684800},
    {"2000-02-29", 951782400},            /* divisible by 400: leap */
    {"2024-02-29", 1709164800},
    {"2026-12-31T23:59:59Z", 1798761599},
    /* RFC 2822 */
    {"Wed, 04 Mar 2026 10:40:00 +0000", 1772620800},
    {"04 Mar 2026 10:40:00 +0000", 1772620800},
    {"4 Mar 2026 10:40 GMT", 1772620800},
    {"Wed, 4 Mar 2026 10:40:00 GMT", 1772620800},
    {"Wed, 04 Mar 2026 10:40:00 UT", 1772620800},
    {"Wed, 04 Mar 2026 10:40:00 UTC", 1772620800},
    {"Wed, 04 Mar 2026 10:40:00", 1772620800},  /* no zone: UTC */
    {"wed, 04 mar 2026 10:40:00 gmt", 1772620800},
    {"Wed, 04 Mar 2026 10:40:00 EST", 1772638800},
    {"Wed, 04 Mar 2026 10:40:00 EDT", 1772635200},
    {"Wed, 04 Mar 2026 10:40:00 CST", 1772642400},
    {"Wed, 04 Mar 2026 10:40:00 MDT", 1772642400},
    {"Wed, 04 Mar 2026 10:40:00 PDT", 1772646000},
    {"Wed, 04 Mar 2026 10:40:00 PST", 1772649600},
    {"Wed, 04 Mar 2026 10:40:00 -0800", 1772649600},
    {"Wed, 04 Mar 2026 10:40:00 +0530", 1772601000},
    {"Sun, 29 Feb 2024 00:00:00 GMT", 1709164800},
    {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
    {"Wed, 04 Mar 2026", 1772582400},     /* no time: midnight */
    /* month names, as news pages print them */
    {"Fri, February 6, 2026 at 4:43 PM UTC", 1770396180},
    {"February 6, 2026 at 4:43 PM UTC", 1770396180},
    {"Fri, February 6, 2026 4:43 PM UTC", 1770396180},
    {"Fri, February 6, 2026 at 4:43 PM", 1770396180},
    {"Friday, February 6, 2026 at 4:43 PM", 1770396180},
    {"FRI, FEBRUARY 6, 2026 AT 4:43 PM UTC", 1770396180},
    {"fri, february 6, 2026 at 4:43 pm utc", 1770396180},
    {"February 6, 2026, 4:43 p.m.", 1770396180},
    {"February 6, 2026 4:43 P.M.", 1770396180},
    {"February 6, 2026 4:43 p.m", 1770396180},
    {"February 6, 2026 4:43PM", 1770396180},
    {"February 6, 2026 4:43 pm EST", 1770414180},
    {"February 6, 2026 at 4 PM", 1770393600},
    {"February 6, 2026 at 04:43 PM", 1770396180},
    {"February 6, 2026 at 4:43:10 PM", 1770396190},
    {"February 6, 2026 at 4:43 AM", 1770352980},
    {"February 6, 2026 at 4:43 a.m.", 1770352980},
    {"February 6, 2026 at 12:43 AM", 1770338580},  /* 12 AM is 00 */
    {"February 6, 2026 at 12:43 PM", 1770381780},  /* 12 PM is 12 */
    {"February 6, 2026 at 11:59 AM", 1770379140},
    {"February 6, 2026 at 12:00 a.m.", 1770336000},
    {"February 6, 2026", 1770336000},
    {"February 6 2026", 1770336000},
    {"Feb 6, 2026", 1770336000},
    {"Feb. 6, 2026", 1770336000},
    {"Fri, Feb. 6, 2026", 1770336000},
    {"Febr 6, 2026", 1770336000},       /* any prefix of three letters or more */
    {"6 February 2026", 1770336000},
    {"6 Feb 2026", 1770336000},
    {"6 Feb. 2026", 1770336000},
    {"06 Feb 2026", 1770336000},
    {"6 Feb 2026 16:43", 1770396180},
    {"6 Feb 2026 4:43 pm", 1770396180},
    {"6 Feb 2026 at 16:43", 1770396180},
    {"February 6, 2026 16:43:10 GMT", 1770396190},
    {"February 6, 2026 16:43:10.5 GMT", 1770396190},
    {"Sep 15, 2026", 1789430400},
    {"Sept 15, 2026", 1789430400},
    {"Sept. 15, 2026", 1789430400},
    {"September 15, 2026 8:05 AM", 1789459500},
    {"15 Sept 2026", 1789430400},
    {"May 1, 2026", 1777593600},
    {"June 1, 2026", 1780272000},
    {"Jul 4, 2026", 1783123200},
    {"Thurs, Jan 1, 2026", 1767225600},
    {"Sat, February 6, 2026", 1770336000},  /* the weekday is not checked */
    {"February 29, 2024", 1709164800},
    {"Dec 31, 2026 11:59:59 PM", 1798761599},
    /* numeric, year first or day first */
    {"2026/02/06", 1770336000},
    {"2026/03/04", 1772582400},
    {"2026/02/06 16:43", 1770396180},
    {"2026/02/06 4:43 PM", 1770396180},
    {"2026/02/06 16:43:10 UTC", 1770396190},
    {"2026-02-06T16:43:00.000+0000", 1770396180},
    {"06.02.2026", 1770336000},
    {"6.2.2026", 1770336000},
    {"06.02.2026 16:43", 1770396180},
    {"06.02.2026, 16:43 CET", 1770392580},
    {"29.02.2024", 1709164800},
    /* zones */
    {"6 Feb 2026 16:43 CET", 1770392580},
    {"6 Feb 2026 16:43 cest", 1770388980},
    {"6 Feb 2026 16:43 BST", 1770392580},
    {"6 Feb 2026 16:43 +01:00", 1770392580},
    {"6 Feb 2026 16:43 +0100", 1770392580},
    {"6 Feb 2026 16:43 +01", 1770392580},
    {"6 Feb 2026 16:43 UTC+1", 1770392580},
    {"6 Feb 2026 16:43 UTC+01", 1770392580},
    {"6 Feb 2026 16:43 GMT+01:00", 1770392580},
    {"6 Feb 2026 16:43 GMT+0100", 1770392580},
    {"6 Feb 2026 16:43 UT+1", 1770392580},
    {"6 Feb 2026 16:43 UTC-5:30", 1770415980},
    {"6 Feb 2026 16:43 UTC+5:30", 1770376380},
    {"6 Feb 2026 16:43 utc-8", 1770424980},
    {"6 Feb 2026 4:43 PM GMT-05:00", 1770414180},
    {"6 Feb 2026 16:43Z", 1770396180},
    /* white space news pages use: U+00A0, and U+202F before AM/PM (ICU) */
    {"February\xc2\xa0" "6, 2026 at 4:43\xe2\x80\xaf" "PM", 1770396180},
    /* surrounding white space */
    {"  2026-03-04T09:15:00Z  ", 1772615700},
    {"\t2026-03-04\n", 1772582400},
    {"  Wed, 04 Mar 2026 10:40:00 GMT \r\n", 1772620800},
};

static const char *const bad[] = {
    "",
    "   ",
    "garbage",
    "yesterday",
    "2026",
    "2026-03",
    "2026-3-4",
    "26-03-04",
    "2026/3/4",
    "2026/03-04",
    "2026.02.06",
    "2026-02-30",
    "2025-02-29",   /* 2025 is not a leap year */
    "2026-03-04T24:30",         /* only 24:00 ends a day */
    "2026-03-04T09:15:00+01:",  /* a colon without minutes */
    "1900-02-29",   /* divisible by 100, not 400 */
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-03-00",
    "2026-03-32",
    "2026-03-04T",
    "2026-03-04T9:15",
    "2026-03-04T25:00",
    "2026-03-04T09:60",
    "2026-03-04T09:15:61",
    "2026-03-04T09:15:00.",
    "2026-03-04T09:15:00+1",
    "2026-03-04T09:15:00+24:00",
    "2026-03-04T09:15:00+01:60",
    "2026-03-04T09:15:00ZZ",
    "2026-03-04T09:15:00Zjunk",
    "2026-03-04 junk",
    "2026-03-04x",
    "2026-03-04T09:15:00+01:00 x",
    "2026-03-04T09:15:00 XYZ",
    "Wed 04 Mar 2026 10:40:00 GMT",   /* day name without comma */
    "Wed, 04 Foo 2026 10:40:00 GMT",
    "Wed, 04 Mar 26 10:40:00 GMT",    /* two-digit year */
    "Wed, 31 Feb 2026 10:40:00 GMT",
    "Wed, 04 Mar 2026 10",            /* an hour alone, no AM/PM */
    "Wed, 04 Mar 2026 10:40:00 GMT trailing",
    "Wed, 04 Mar 2026 25:40:00 GMT",
    "Foo, 04 Mar 2026 10:40:00 GMT",  /* not a weekday */
    /* human forms */
    "February",
    "February 2026",
    "February 6",
    "Febr. 6 2026 x",
    "Fe 6, 2026",                     /* fewer than three letters */
    "Februaryx 6, 2026",
    "February 30, 2026",
    "Feb 29, 2026",
    "31 April 2026",
    "February 6, 26",
    "February 6, 2026,",
    "February 6, 2026.",
    "February 6, 2026 at",
    "February 6, 2026 at noon",
    "February 6, 2026 at 4:43 PM UTC trailing",
    "February 6, 2026 at 4:43 PM, Reuters",
    "Fri February 6, 2026",           /* weekday without comma */
    "Fri, , February 6, 2026",
    "February, 6 2026",
    "February 6, 2026 at 13:43 PM",   /* no 13 PM */
    "February 6, 2026 at 0:43 AM",    /* no 0 AM */
    "February 6, 2026 at 00:00 AM",
    "February 6, 2026 at 16:43 am",
    "February 6, 2026 at 4 43 PM",
    "February 6, 2026 at 4:3 PM",
    "February 6, 2026 at 4:43 P M",
    "February 6, 2026 at 4:43 p. m.",
    "February 6, 2026 at 4:43 a.",
    "February 6, 2026 at 4:43 PM PM",
    "February 6, 2026 at 24:00 PM",
    "February 6, 2026 at 4",
    "February 6, 2026 at 4:60 PM",
    "6 Feb 2026 16:43 IST",           /* India, Ireland or Israel */
    "6 Feb 2026 16:43 XST",
    "6 Feb 2026 16:43 UTC+",
    "6 Feb 2026 16:43 UTC+24",
    "6 Feb 2026 16:43 UTC+123",
    "6 Feb 2026 16:43 UTC +1",
    "6 Feb 2026 16:43 CET+1",
    "6 Feb 2026 16:43 +1",
    "6 Feb 2026 16:43 + 01:00",
    "6 Feb 2026 UTC",                 /* a zone needs a time */
    "2026-02-06T4:43 PM",             /* ISO keeps the 24-hour clock */
    "2026-02-06 04:43 PM",
    "2026-02-06T 16:43",
    "2026-02-06 at 16:43",
    "2026-02-06, 16:43",
    /* numeric day and month orders */
    "02/06/2026",                     /* US or not: ambiguous */
    "2/6/2026",
    "06/02/2026",
    "13/02/2026",
    "06-02-2026",
    "06.02.26",
    "06.02.2026.",
    "06 .02.2026",
    "06.02 .2026",
    "30.02.2026",
    "06.13.2026",
    "006.02.2026",
    "2026/02/06T16:43",
    "\xc2\xa0",
    "February 6, 2026 \xc2",
    "Wed, 04 Mar 2026 10:40:00 GMT\xe2\x80",
};

START_TEST(test_accepts)
{
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t t = -12345;
        int rc = syndic_date_parse(&t, good[i].s, strlen(good[i].s));
        ck_assert_msg(rc == SYNDIC_OK, "\"%s\" rejected", good[i].s);
        ck_assert_msg(t == good[i].want, "\"%s\": got %lld, expected %lld", good[i].s,
                      (long long)t, (long long)good[i].want);
    }
}
END_TEST

START_TEST(test_rejects)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 0;
        int rc = syndic_date_parse(&t, bad[i], strlen(bad[i]));
        ck_assert_msg(rc == SYNDIC_EINVAL, "\"%s\" accepted (%lld)", bad[i], (long long)t);
    }
}
END_TEST

/* The length is what counts: no reading past it, no reliance on a NUL. */
START_TEST(test_length)
{
    int64_t t;
    const char *s = "2026-03-04T09:15:00Z";
    ck_assert_int_eq(syndic_date_parse(&t, s, 10), SYNDIC_OK);
    ck_assert_int_eq(t, 1772582400);
    ck_assert_int_eq(syndic_date_parse(&t, s, 16), SYNDIC_OK);
    ck_assert_int_eq(t, 1772615700);
    ck_assert_int_eq(syndic_date_parse(&t, s, 9), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_date_parse(&t, s, 0), SYNDIC_EINVAL);
    /* A NUL inside the given length is junk, not an end. */
    const char nul[] = "2026-03-04\0junk";
    ck_assert_int_eq(syndic_date_parse(&t, nul, sizeof nul - 1), SYNDIC_EINVAL);
    /* Not NUL-terminated at all: a heap copy of exactly the bytes. */
    char *exact = syndic__malloc(20);
    ck_assert_ptr_nonnull(exact);
    memcpy(exact, s, 20);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 20), SYNDIC_OK);
    ck_assert_int_eq(t, 1772615700);
    memcpy(exact, "Wed, 04 Mar 2026 10:", 20);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 20), SYNDIC_EINVAL);
    memcpy(exact, "Wed, 04 Mar 2026 10", 19);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 19), SYNDIC_EINVAL);
    memcpy(exact, "Feb 6, 2026 4:43 p.m", 20);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 20), SYNDIC_OK);
    ck_assert_int_eq(t, 1770396180);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 19), SYNDIC_EINVAL); /* "p." */
    ck_assert_int_eq(syndic_date_parse(&t, exact, 11), SYNDIC_OK);     /* the date */
    ck_assert_int_eq(t, 1770336000);
    memcpy(exact, "6 Feb 2026 16:43 UTC", 20);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 20), SYNDIC_OK);
    ck_assert_int_eq(t, 1770396180);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 19), SYNDIC_OK);     /* "UT" */
    ck_assert_int_eq(syndic_date_parse(&t, exact, 18), SYNDIC_EINVAL); /* "U" */
    memcpy(exact, "\xc2\xa0" "Feb 6, 2026\xe2\x80\xaf", 16);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 16), SYNDIC_OK);
    ck_assert_int_eq(syndic_date_parse(&t, exact, 15), SYNDIC_EINVAL); /* cut U+202F */
    syndic__free(exact);
}
END_TEST

/* 12-hour and 24-hour clocks agree at every hour, in every spelling. */
START_TEST(test_twelve_hour)
{
    static const char *const am[] = {"AM", "am", "a.m.", "A.M."};
    static const char *const pm[] = {"PM", "pm", "p.m.", "P.M."};
    for (int h = 0; h < 24; h++) {
        char s24[40], s12[60];
        snprintf(s24, sizeof s24, "6 Feb 2026 %02d:43", h);
        int64_t want, got;
        ck_assert_int_eq(syndic_date_parse(&want, s24, strlen(s24)), SYNDIC_OK);
        ck_assert_int_eq(want, 1770336000 + h * 3600 + 43 * 60);
        for (int k = 0; k < 4; k++) {
            snprintf(s12, sizeof s12, "Feb 6, 2026 at %d:43 %s", h % 12 ? h % 12 : 12,
                     h < 12 ? am[k] : pm[k]);
            ck_assert_msg(syndic_date_parse(&got, s12, strlen(s12)) == SYNDIC_OK,
                          "\"%s\" rejected", s12);
            ck_assert_msg(got == want, "\"%s\": %lld, expected %lld", s12,
                          (long long)got, (long long)want);
        }
    }
}
END_TEST

/* Every day of 1970..2100 parses, and consecutive days are 86400 s apart. */
START_TEST(test_calendar_walk)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t prev = -86400;
    for (int y = 1970; y <= 2100; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int days = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= days + 1; d++) {
                char s[40];
                snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
                int64_t t;
                int rc = syndic_date_parse(&t, s, strlen(s));
                if (d > days) {
                    ck_assert_msg(rc == SYNDIC_EINVAL, "%s accepted", s);
                    continue;
                }
                ck_assert_msg(rc == SYNDIC_OK, "%s rejected", s);
                ck_assert_msg(t == prev + 86400, "%s: %lld after %lld", s, (long long)t,
                              (long long)prev);
                prev = t;
            }
        }
    }
    ck_assert_int_eq(prev, 4133894400); /* date -u -d 2100-12-31 +%s */
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_accepts);
    tcase_add_test(tc, test_rejects);
    tcase_add_test(tc, test_length);
    tcase_add_test(tc, test_twelve_hour);
    tcase_add_test(tc, test_calendar_walk);
    suite_add_tcase(s, tc);
    return s;
}
