/*
 * options.c - strict parsing of command-line values.
 *
 * "--threshold 0.5x" or "--num-hashes -3" are usage errors, never silently
 * read as something else: strtoull/strtod are checked for trailing junk,
 * signs, range and overflow.
 *
 * The matching parameters' long options, parsing, help section, error
 * messages, summary line and stats object are built from the library's
 * parameter table (syndic_param_at): no name, range or default of a
 * parameter is written in the CLI.
 */
#include "cli.h"
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *cli_program = "syndic";

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

bool cli_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !isdigit((unsigned char)*s)) return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max) return false;
    *out = v;
    return true;
}

bool cli_parse_double(const char *s, double *out)
{
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return false;
    *out = v;
    return true;
}

bool cli_parse_field(syndic_read_options *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) return false;
    size_t n = (size_t)(eq - arg);
    const char *key = eq + 1;
    static const char *names[] = {"id", "text", "outlet", "date", "title", "url"};
    const char **slots[] = {&o->field_id,   &o->field_text,  &o->field_outlet,
                            &o->field_date, &o->field_title, &o->field_url};
    for (size_t i = 0; i < 6; i++) {
        if (strlen(names[i]) == n && strncmp(arg, names[i], n) == 0) {
            *slots[i] = key;
            return true;
        }
    }
    return false;
}

/* ---- the matching parameters, from the library's table ---- */

/* "3d", "12h", "90m", "45s": the largest unit that divides exactly. */
static void format_duration(char *out, size_t cap, uint64_t secs)
{
    static const struct { uint64_t size; char unit; } units[] = {
        {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}};
    for (size_t u = 0; secs && u < sizeof units / sizeof units[0]; u++) {
        if (secs % units[u].size == 0) {
            snprintf(out, cap, "%llu%c", (unsigned long long)(secs / units[u].size), units[u].unit);
            return;
        }
    }
    snprintf(out, cap, secs ? "%llus" : "%llu", (unsigned long long)secs);
}

/* The shortest of %.15g and %.17g that reads back as v. */
static void format_real(char *out, size_t cap, double v)
{
    snprintf(out, cap, "%.15g", v);
    if (strtod(out, NULL) != v) snprintf(out, cap, "%.17g", v);
}

/* Parameter i of p as its option takes it: "4", "0x5317d1c0ffee5eed",
 * "3d", "0.25". */
static void format_param(char *out, size_t cap, const syndic_params *p, size_t i)
{
    const syndic_param_info *in = syndic_param_at(i);
    uint64_t u = 0;
    double d = 0;
    if (in->kind == SYNDIC_PARAM_FRACTION) {
        syndic_param_get_real(&d, p, i);
        format_real(out, cap, d);
    } else if (syndic_param_get_uint(&u, p, i) < 0) {
        snprintf(out, cap, "?"); /* a negative duration: resolved params have none */
    } else if (in->kind == SYNDIC_PARAM_SEED) {
        snprintf(out, cap, "0x%016llx", (unsigned long long)u);
    } else if (in->kind == SYNDIC_PARAM_SECONDS) {
        format_duration(out, cap, u);
    } else {
        snprintf(out, cap, "%llu", (unsigned long long)u);
    }
}

int cli_param_option(syndic_params *p, int opt, const char *arg)
{
    if (opt < OPT_PARAM || (size_t)(opt - OPT_PARAM) >= syndic_param_count()) return 0;
    const size_t i = (size_t)(opt - OPT_PARAM);
    const syndic_param_info *in = syndic_param_at(i);
    char range[32];
    syndic_param_range(range, sizeof range, i);
    unsigned long long u;
    int64_t secs;
    double d;
    switch (in->kind) {
    case SYNDIC_PARAM_COUNT:
        if (cli_parse_uint(arg, UINT64_MAX, &u) && syndic_param_set_uint(p, i, u) == 0) return 1;
        cli_error("--%s: expected a whole number in %s, got '%s'", in->option, range, arg);
        return -1;
    case SYNDIC_PARAM_SEED:
        if (cli_parse_uint(arg, UINT64_MAX, &u) && syndic_param_set_uint(p, i, u) == 0) return 1;
        cli_error("--%s: expected a whole number (0x for hex), got '%s'", in->option, arg);
        return -1;
    case SYNDIC_PARAM_SECONDS:
        if (cli_parse_duration(arg, &secs) && syndic_param_set_uint(p, i, (uint64_t)secs) == 0)
            return 1;
        cli_error("--%s: expected a duration such as 90m, 12h or 3d, got '%s'", in->option, arg);
        return -1;
    case SYNDIC_PARAM_FRACTION:
        if (cli_parse_double(arg, &d) && syndic_param_set_real(p, i, d) == 0) return 1;
        cli_error("--%s: expected a number in %s, got '%s'", in->option, range, arg);
        return -1;
    }
    return 0;
}

const struct option *cli_long_options(const struct option *own)
{
    static struct option *all;
    size_t n = 0, k = syndic_param_count();
    while (own[n].name) n++;
    free(all);
    if (!(all = calloc(n + k + 1, sizeof *all))) {
        cli_error("out of memory");
        return NULL;
    }
    memcpy(all, own, n * sizeof *all);
    for (size_t i = 0; i < k; i++)
        all[n + i] = (struct option){syndic_param_at(i)->option, required_argument, NULL,
                                     OPT_PARAM + (int)i};
    return all;
}

/* A space the help never breaks a line at ("0 = off", "[0, 1]"). */
#define NBSP '\x1f'

/* Writes the words of text to out after a label `col` columns wide, wrapped
 * before column `width`, continuation lines indented to column `indent`. */
static void put_wrapped(FILE *out, const char *text, int col, int indent, int width)
{
    bool fresh = true; /* no word yet on this line */
    for (const char *s = text; *s;) {
        if (*s == ' ') { s++; continue; }
        int len = (int)strcspn(s, " ");
        if (!fresh && col + 1 + len > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (!fresh) {
            fputc(' ', out);
            col++;
        }
        for (int k = 0; k < len; k++) fputc(s[k] == NBSP ? ' ' : s[k], out);
        col += len;
        s += len;
        fresh = false;
    }
}

/* Spaces in s become NBSP. */
static void unbreakable(char *s)
{
    for (; *s; s++)
        if (*s == ' ') *s = NBSP;
}

void cli_usage(FILE *out, const char *head, const char *tail)
{
    enum { INDENT = 21, WIDTH = 78 };
    const syndic_params defaults = SYNDIC_PARAMS_INIT;
    fputs(head, out);
    fputs("Matching:\n", out);
    for (size_t i = 0; i < syndic_param_count(); i++) {
        const syndic_param_info *in = syndic_param_at(i);
        char range[32], def[32], zero[128] = "", text[512];
        syndic_param_range(range, sizeof range, i);
        unbreakable(range);
        format_param(def, sizeof def, &defaults, i);
        if (in->zero) snprintf(zero, sizeof zero, "0 = %s", in->zero);
        /* "0 = off" stays on one line; a longer meaning may wrap after "0 =". */
        if (strlen(zero) < 20) unbreakable(zero);
        else zero[1] = zero[3] = NBSP;
        const char *what = in->kind == SYNDIC_PARAM_SECONDS ? "units s, m, h, d, w"
                         : in->kind == SYNDIC_PARAM_SEED    ? ""
                                                            : range;
        const bool zero_default = in->zero && in->default_uint == 0 && in->default_real == 0.0;
        if (zero_default)
            snprintf(text, sizeof text, "%s (default %s%s%s)", in->help, zero, *what ? "; " : "",
                     what);
        else
            snprintf(text, sizeof text, "%s (default %s%s%s%s%s)", in->help, def,
                     !*what ? "" : in->kind == SYNDIC_PARAM_SECONDS ? "; " : ", ", what,
                     in->zero ? "; " : "", zero);
        int col = fprintf(out, "  --%s %s", in->option, in->metavar);
        if (col < INDENT - 1) {
            fprintf(out, "%*s", INDENT - col, "");
            col = INDENT;
        } else {
            fputs("  ", out);
            col += 2;
        }
        put_wrapped(out, text, col, INDENT, WIDTH);
        fputc('\n', out);
    }
    fputs(tail, out);
}

void cli_params_line(FILE *out, const syndic_params *p)
{
    for (size_t i = 0; i < syndic_param_count(); i++) {
        char v[32];
        format_param(v, sizeof v, p, i);
        fprintf(out, "%s--%s %s", i ? " " : "", syndic_param_at(i)->option, v);
    }
}

json_t *cli_params_json(const syndic_params *p)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < syndic_param_count(); i++) {
        const syndic_param_info *in = syndic_param_at(i);
        char key[64], seed[32];
        uint64_t u = 0;
        double d = 0;
        json_t *v;
        snprintf(key, sizeof key, "%s%s", in->name,
                 in->kind == SYNDIC_PARAM_SECONDS ? "_seconds" : "");
        if (in->kind == SYNDIC_PARAM_FRACTION) {
            syndic_param_get_real(&d, p, i);
            v = json_real(d);
        } else {
            syndic_param_get_uint(&u, p, i);
            if (in->kind == SYNDIC_PARAM_SEED) {
                snprintf(seed, sizeof seed, "0x%016llx", (unsigned long long)u);
                v = json_string(seed);
            } else {
                v = json_integer((json_int_t)u);
            }
        }
        if (json_object_set_new(o, key, v) < 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

bool cli_parse_duration(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s)) return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno) return false;
    unsigned long long unit = 1;
    if (*end) {
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default: return false;
        }
        if (end[1]) return false;
    }
    if (v > (unsigned long long)INT64_MAX / unit) return false;
    *out = (int64_t)(v * unit);
    return true;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

unsigned cli_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 256 ? 256u : (unsigned)n;
}

bool cli_parse_threads(const char *arg, unsigned *out)
{
    unsigned long long u;
    if (!cli_parse_uint(arg, 256, &u)) return false;
    *out = u ? (unsigned)u : cli_online_cpus();
    return true;
}
