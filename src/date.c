/*
 * date.c - parsing the dates news feeds and news pages carry.
 *
 * Accepted forms, all case-insensitive (a missing zone means UTC):
 *   ISO 8601:  2026-03-04, 2026-03-04T09:15, 2026-03-04 09:15:00,
 *              2026-03-04T09:15:00.123Z, ...+01:00, ...+0100, ...-05
 *   RFC 2822:  Wed, 04 Mar 2026 10:40:00 +0000, 4 Mar 2026 10:40 GMT
 *   human:     Fri, February 6, 2026 at 4:43 PM UTC, February 6, 2026,
 *              Feb. 6, 2026, 6 February 2026, 6 Feb 2026 16:43,
 *              February 6, 2026, 4:43 p.m., Feb 6, 2026 4 PM,
 *              2026/02/06 16:43, 06.02.2026 (day.month.year), 6.2.2026 16:43
 *   zones:     Z, UT, UTC, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT, CET, CEST,
 *              BST (+1), [+-]HH[[:]MM], UTC+1, GMT+01:00, UTC-5:30
 *
 * A month or weekday is its name or any prefix of at least three letters
 * (Sep, Sept, Thurs). A weekday must be followed by a comma; it is not
 * checked against the date. The 12-hour clock runs 12 AM (00) .. 11 PM (23);
 * "0 AM" and "13 PM" are rejected. Rejected as ambiguous: IST (India,
 * Ireland, Israel), and numeric day/month orders with slashes (02/06/2026).
 *
 * The string is cut into tokens (numbers, words, single punctuation marks,
 * each noting whether white space precedes it), then read by one grammar:
 *
 *   [weekday ","] date [(T | [","] ["at"]) time [zone]]
 *   date = YYYY-MM-DD | YYYY/MM/DD | D.M.YYYY | D month YYYY | month D[,] YYYY
 *   time = H[:MM[:SS[.frac]]] [AM | PM | a.m. | p.m.]
 *
 * The ISO form keeps ISO's rules: time after 'T' or one space, a two-digit
 * hour, no AM/PM. Numeric shapes (dates, times, offsets, "a.m.") must not
 * contain white space. An hour alone needs AM/PM.
 *
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

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

/* ---- tokens ------------------------------------------------------------ */

enum { T_END, T_NUM, T_WORD, T_PUNCT };
#define MAX_TOKENS 40 /* the longest accepted form has about 25 */

typedef struct token {
    int kind;
    bool sp;          /* white space before it */
    const char *s;    /* T_WORD: the letters; T_PUNCT: the mark */
    size_t len;       /* characters (T_NUM: digits) */
    int num;          /* T_NUM: value of the first 9 digits */
} token;

typedef struct tokens {
    token t[MAX_TOKENS + 1]; /* ends with T_END */
    int i;                   /* the next one to read */
} tokens;

/* White space: blank, tab, U+00A0 and U+202F (ICU puts it before AM/PM). */
static size_t space_len(const char *s, const char *end)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*s == ' ' || *s == '\t') return 1;
    if (end - s >= 2 && u[0] == 0xC2 && u[1] == 0xA0) return 2;
    if (end - s >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF) return 3;
    return 0;
}

static bool tokenize(tokens *ts, const char *s, const char *end)
{
    int n = 0;
    bool sp = false;
    while (s < end) {
        size_t blank = space_len(s, end);
        if (blank) { s += blank; sp = true; continue; }
        if (n == MAX_TOKENS) return false;
        token *t = &ts->t[n++];
        const char *from = s;
        t->sp = sp;
        t->num = 0;
        sp = false;
        if (isdigit((unsigned char)*s)) {
            t->kind = T_NUM;
            for (; s < end && isdigit((unsigned char)*s); s++)
                if (s - from < 9) t->num = t->num * 10 + (*s - '0');
        } else if (isalpha((unsigned char)*s)) {
            t->kind = T_WORD;
            while (s < end && isalpha((unsigned char)*s)) s++;
        } else {
            t->kind = T_PUNCT;
            s++;
        }
        t->s = from;
        t->len = (size_t)(s - from);
    }
    ts->t[n] = (token){.kind = T_END, .sp = sp};
    ts->i = 0;
    return true;
}

static const token *peek(const tokens *ts) { return &ts->t[ts->i]; }

/* A punctuation mark `ch`; `glued`: with no white space before it. */
static bool punct(tokens *ts, char ch, bool glued)
{
    const token *t = peek(ts);
    if (t->kind != T_PUNCT || *t->s != ch || (glued && t->sp)) return false;
    ts->i++;
    return true;
}

/* A number of `min`..`max` digits. */
static bool number(tokens *ts, size_t min, size_t max, bool glued, int *out)
{
    const token *t = peek(ts);
    if (t->kind != T_NUM || t->len < min || t->len > max || (glued && t->sp))
        return false;
    *out = t->num;
    ts->i++;
    return true;
}

/* The word `w` exactly. */
static bool word(tokens *ts, const char *w, bool glued)
{
    const token *t = peek(ts);
    if (t->kind != T_WORD || strlen(w) != t->len || strncasecmp(t->s, w, t->len) ||
        (glued && t->sp))
        return false;
    ts->i++;
    return true;
}

/* A name of `names`, or a prefix of at least three letters: index or -1. */
static int name(tokens *ts, const char *const *names, int n)
{
    const token *t = peek(ts);
    if (t->kind != T_WORD || t->len < 3) return -1;
    for (int i = 0; i < n; i++) {
        if (t->len <= strlen(names[i]) && strncasecmp(t->s, names[i], t->len) == 0) {
            ts->i++;
            return i;
        }
    }
    return -1;
}

/* ---- the grammar ------------------------------------------------------- */

static const char *const months[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
static const char *const weekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};

static int month(tokens *ts)
{
    int m = name(ts, months, 12);
    if (m >= 0) punct(ts, '.', true); /* "Feb.", "Sept." */
    return m + 1;
}

/* The date; *iso: it was YYYY-MM-DD. */
static bool date(tokens *ts, int *y, int *m, int *d, bool *iso)
{
    *iso = false;
    if (number(ts, 4, 4, false, y)) { /* YYYY-MM-DD, YYYY/MM/DD */
        const token *sep = peek(ts);
        char ch = sep->kind == T_PUNCT ? *sep->s : 0;
        *iso = ch == '-';
        return (ch == '-' || ch == '/') && punct(ts, ch, true) &&
               number(ts, 2, 2, true, m) && punct(ts, ch, true) &&
               number(ts, 2, 2, true, d);
    }
    if (number(ts, 1, 2, false, d)) {
        if (punct(ts, '.', true)) /* D.M.YYYY */
            return number(ts, 1, 2, true, m) && punct(ts, '.', true) &&
                   number(ts, 4, 4, true, y);
        return (*m = month(ts)) > 0 && number(ts, 4, 4, false, y); /* D month YYYY */
    }
    if ((*m = month(ts)) > 0) { /* month D[,] YYYY */
        if (!number(ts, 1, 2, false, d)) return false;
        punct(ts, ',', false);
        return number(ts, 4, 4, false, y);
    }
    return false;
}

/* AM/PM, a.m./p.m.: 1 for AM, 2 for PM, 0 for neither. */
static int meridiem(tokens *ts)
{
    if (word(ts, "am", false)) return 1;
    if (word(ts, "pm", false)) return 2;
    int which = word(ts, "a", false) ? 1 : word(ts, "p", false) ? 2 : 0;
    if (!which) return 0;
    if (!punct(ts, '.', true) || !word(ts, "m", true)) return -1;
    punct(ts, '.', true);
    return which;
}

/* H[:MM[:SS[.frac]]] [AM|PM]; `iso`: HH:MM[:SS[.frac]], 24-hour only. */
static bool clock_time(tokens *ts, bool iso, int *h, int *mi, int *s)
{
    int frac, ampm = 0;
    *mi = *s = 0;
    if (!number(ts, iso ? 2 : 1, 2, false, h)) return false;
    bool minutes = punct(ts, ':', true);
    if (minutes) {
        if (!number(ts, 2, 2, true, mi)) return false;
        if (punct(ts, ':', true)) {
            if (!number(ts, 2, 2, true, s)) return false;
            if ((punct(ts, '.', true) || punct(ts, ',', true)) &&
                !number(ts, 1, 9, true, &frac))
                return false;
        }
    } else if (iso) {
        return false;
    }
    if (!iso && (ampm = meridiem(ts)) < 0) return false;
    if (*mi > 59 || *s > 60) return false;
    if (ampm) {
        if (*h < 1 || *h > 12) return false;
        *h = *h % 12 + (ampm == 2 ? 12 : 0);
        return true;
    }
    /* An hour alone is no time; 24:00:00 ends a day, 24:30 is no time at all. */
    return minutes && (*h < 24 || (*h == 24 && *mi == 0 && *s == 0));
}

/* [+-]HH[[:]MM]; `short_hour`: H is enough (after UTC/GMT). Seconds east. */
static bool offset(tokens *ts, bool short_hour, int *out)
{
    const token *t = peek(ts);
    if (t->kind != T_PUNCT || (*t->s != '+' && *t->s != '-')) return false;
    int sign = *t->s == '-' ? -1 : 1, hh, mm = 0;
    ts->i++;
    if (number(ts, 4, 4, true, &hh)) {
        mm = hh % 100;
        hh /= 100;
    } else if (!number(ts, short_hour ? 1 : 2, 2, true, &hh) ||
               (punct(ts, ':', true) && !number(ts, 2, 2, true, &mm))) {
        return false;
    }
    if (hh > 23 || mm > 59) return false;
    *out = sign * (hh * 3600 + mm * 60);
    return true;
}

/* Z | zone name | [+-]HH[[:]MM] | UTC+H[:MM]. Seconds east of UTC. */
static bool zone(tokens *ts, int *out)
{
    /* IST stays out: India +5:30, Ireland +1 and Israel +2 all print it. */
    static const struct { const char *name; int hours; bool base; } names[] = {
        {"Z", 0, false},  {"UT", 0, true},   {"UTC", 0, true}, {"GMT", 0, true},
        {"EST", -5, false}, {"EDT", -4, false}, {"CST", -6, false},
        {"CDT", -5, false}, {"MST", -7, false}, {"MDT", -6, false},
        {"PST", -8, false}, {"PDT", -7, false}, {"CET", 1, false},
        {"CEST", 2, false}, {"BST", 1, false}};
    *out = 0;
    if (peek(ts)->kind == T_END) return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (word(ts, names[i].name, false)) {
            *out = names[i].hours * 3600;
            const token *t = peek(ts);
            if (names[i].base && t->kind == T_PUNCT && !t->sp) /* UTC+1 */
                return offset(ts, true, out);
            return true;
        }
    }
    return offset(ts, false, out);
}

int syndic_date_parse(int64_t *out, const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end && isspace((unsigned char)*s)) s++;
    while (end > s && isspace((unsigned char)end[-1])) end--;
    tokens ts;
    if (s == end || !tokenize(&ts, s, end)) return SYNDIC_EINVAL;

    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    bool iso;
    if (name(&ts, weekdays, 7) >= 0 && !punct(&ts, ',', false)) return SYNDIC_EINVAL;
    if (!date(&ts, &y, &mo, &d, &iso)) return SYNDIC_EINVAL;
    bool need_time;
    if (iso) {
        need_time = word(&ts, "T", true);
        if (need_time && peek(&ts)->sp) return SYNDIC_EINVAL;
    } else {
        need_time = punct(&ts, ',', false);
        need_time |= word(&ts, "at", false);
    }
    const token *t = peek(&ts);
    if (need_time || (t->kind == T_NUM && t->sp)) {
        if (!clock_time(&ts, iso, &h, &mi, &sec) || !zone(&ts, &off))
            return SYNDIC_EINVAL;
    }
    if (peek(&ts)->kind != T_END || !valid_ymd(y, mo, d)) return SYNDIC_EINVAL;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + sec - off;
    return SYNDIC_OK;
}
