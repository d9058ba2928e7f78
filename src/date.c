/*
 * date.c - parsing the dates news feeds carry.
 *
 * Accepted forms (a missing zone means UTC):
 *   ISO 8601:  2026-03-04, 2026-03-04T09:15, 2026-03-04 09:15:00,
 *              2026-03-04T09:15:00.123Z, ...+01:00, ...+0100, ...-05
 *   RFC 2822:  Wed, 04 Mar 2026 10:40:00 +0000, 4 Mar 2026 10:40 GMT,
 *              zone names UT, UTC, GMT, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT
 * Calendar arithmetic uses the days-from-civil formula for the proleptic
 * Gregorian calendar (H. Hinnant, "chrono-compatible low-level date
 * algorithms"), so no timegm() or locale is involved.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

typedef struct cursor { const char *s, *end; } cursor;

static void skip_space(cursor *c)
{
    while (c->s < c->end && (*c->s == ' ' || *c->s == '\t')) c->s++;
}

/* Read exactly `min`..`max` digits. */
static bool digits(cursor *c, int min, int max, int *out)
{
    int v = 0, n = 0;
    while (c->s < c->end && n < max && isdigit((unsigned char)*c->s)) {
        v = v * 10 + (*c->s - '0');
        c->s++;
        n++;
    }
    if (n < min) return false;
    *out = v;
    return true;
}

static bool accept(cursor *c, char ch)
{
    if (c->s < c->end && *c->s == ch) { c->s++; return true; }
    return false;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

/* [+-]HH[:][MM] | Z | zone name. Returns offset seconds east of UTC. */
static bool zone(cursor *c, int *offset)
{
    skip_space(c);
    *offset = 0;
    if (c->s >= c->end) return true;
    if (*c->s == '+' || *c->s == '-') {
        int sign = *c->s == '-' ? -1 : 1, hh, mm = 0;
        c->s++;
        if (!digits(c, 2, 2, &hh)) return false;
        bool colon = accept(c, ':');
        if ((colon || (c->s < c->end && isdigit((unsigned char)*c->s))) &&
            !digits(c, 2, 2, &mm))
            return false;
        if (hh > 23 || mm > 59) return false;
        *offset = sign * (hh * 3600 + mm * 60);
        return true;
    }
    static const struct { const char *name; int hours; } names[] = {
        {"Z", 0}, {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"EST", -5}, {"EDT", -4},
        {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8},
        {"PDT", -7}};
    size_t n = 0;
    while (c->s + n < c->end && isalpha((unsigned char)c->s[n])) n++;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == n && strncasecmp(c->s, names[i].name, n) == 0) {
            *offset = names[i].hours * 3600;
            c->s += n;
            return true;
        }
    }
    return false;
}

/* HH:MM[:SS[.frac]] */
static bool clock_time(cursor *c, int *h, int *m, int *s)
{
    *s = 0;
    if (!digits(c, 2, 2, h) || !accept(c, ':') || !digits(c, 2, 2, m)) return false;
    if (accept(c, ':')) {
        if (!digits(c, 2, 2, s)) return false;
        if (accept(c, '.') || accept(c, ',')) {
            int frac;
            if (!digits(c, 1, 9, &frac)) return false;
        }
    }
    /* 24:00:00 is the end of a day; 24:30 is no time at all. */
    return (*h < 24 || (*h == 24 && *m == 0 && *s == 0)) && *m <= 59 && *s <= 60;
}

static int finish(int64_t *out, int y, int mo, int d, int h, int mi, int s,
                  int offset, cursor *c)
{
    skip_space(c);
    if (c->s != c->end || !valid_ymd(y, mo, d)) return SYNDIC_EINVAL;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + s - offset;
    return SYNDIC_OK;
}

static int parse_iso(int64_t *out, cursor c)
{
    int y, mo, d, h = 0, mi = 0, s = 0, off = 0;
    if (!digits(&c, 4, 4, &y) || !accept(&c, '-') || !digits(&c, 2, 2, &mo) ||
        !accept(&c, '-') || !digits(&c, 2, 2, &d))
        return SYNDIC_EINVAL;
    if (accept(&c, 'T') || accept(&c, 't') || accept(&c, ' ')) {
        if (!clock_time(&c, &h, &mi, &s)) return SYNDIC_EINVAL;
        if (!zone(&c, &off)) return SYNDIC_EINVAL;
    }
    return finish(out, y, mo, d, h, mi, s, off, &c);
}

static int parse_rfc2822(int64_t *out, cursor c)
{
    static const char *months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    skip_space(&c);
    /* Optional day name and comma. */
    if (c.s < c.end && isalpha((unsigned char)*c.s)) {
        while (c.s < c.end && isalpha((unsigned char)*c.s)) c.s++;
        if (!accept(&c, ',')) return SYNDIC_EINVAL;
        skip_space(&c);
    }
    int d, y, h, mi, s, off, mo = 0;
    if (!digits(&c, 1, 2, &d)) return SYNDIC_EINVAL;
    skip_space(&c);
    if (c.end - c.s < 3) return SYNDIC_EINVAL;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(c.s, months[i], 3) == 0) mo = i + 1;
    if (!mo) return SYNDIC_EINVAL;
    c.s += 3;
    skip_space(&c);
    if (!digits(&c, 4, 4, &y)) return SYNDIC_EINVAL;
    skip_space(&c);
    if (!clock_time(&c, &h, &mi, &s) || !zone(&c, &off)) return SYNDIC_EINVAL;
    return finish(out, y, mo, d, h, mi, s, off, &c);
}

int syndic_date_parse(int64_t *out, const char *s, size_t len)
{
    cursor c = {s, s + len};
    while (c.s < c.end && isspace((unsigned char)*c.s)) c.s++;
    while (c.end > c.s && isspace((unsigned char)c.end[-1])) c.end--;
    if (c.s == c.end) return SYNDIC_EINVAL;
    if (parse_iso(out, c) == SYNDIC_OK) return SYNDIC_OK;
    if (parse_rfc2822(out, c) == SYNDIC_OK) return SYNDIC_OK;
    return SYNDIC_EINVAL;
}
