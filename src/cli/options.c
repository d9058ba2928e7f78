/*
 * options.c - strict parsing of command-line values.
 *
 * "--threshold 0.5x" or "--num-hashes -3" are usage errors, never silently
 * read as something else: strtoull/strtod are checked for trailing junk,
 * signs, range and overflow.
 */
#include "cli.h"
#include "options.h"

#include <ctype.h>
#include <errno.h>
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

int cli_param_option(syndic_params *p, int opt, const char *arg)
{
    unsigned long long u;
    double d;
    switch (opt) {
    case OPT_SHINGLE:
        if (!cli_parse_uint(arg, 16, &u) || u < 1) {
            cli_error("--shingle: expected a whole number of words in 1..16, got '%s'", arg);
            return -1;
        }
        p->shingle_words = (unsigned)u;
        return 1;
    case OPT_NUM_HASHES:
        if (!cli_parse_uint(arg, 1024, &u) || u < 8) {
            cli_error("--num-hashes: expected a whole number in 8..1024, got '%s'", arg);
            return -1;
        }
        p->num_hashes = (unsigned)u;
        return 1;
    case OPT_BANDS:
    case OPT_ROWS:
        if (!cli_parse_uint(arg, 1024, &u) || u < 1) {
            cli_error("--%s: expected a whole number in 1..1024, got '%s'",
                      opt == OPT_BANDS ? "bands" : "rows", arg);
            return -1;
        }
        if (opt == OPT_BANDS) p->bands = (unsigned)u;
        else p->rows = (unsigned)u;
        return 1;
    case OPT_THRESHOLD:
        if (!cli_parse_double(arg, &d) || !(d > 0 && d <= 1)) {
            cli_error("--threshold: expected a number in (0, 1], got '%s'", arg);
            return -1;
        }
        p->threshold = d;
        return 1;
    case OPT_SEED:
        if (!cli_parse_uint(arg, UINT64_MAX, &u)) {
            cli_error("--seed: expected a whole number, got '%s'", arg);
            return -1;
        }
        p->seed = u;
        return 1;
    case OPT_MAX_BUCKET:
        if (!cli_parse_uint(arg, 1ull << 31, &u) || u < 2) {
            cli_error("--max-bucket: expected a whole number in 2..2^31, got '%s'", arg);
            return -1;
        }
        p->max_bucket = (uint32_t)u;
        return 1;
    case OPT_MAX_GAP:
    case OPT_SAME_OUTLET_GAP: {
        int64_t secs;
        if (!cli_parse_duration(arg, &secs)) {
            cli_error("--%s: expected a duration such as 90m, 12h or 3d, got '%s'",
                      opt == OPT_MAX_GAP ? "max-gap" : "same-outlet-gap", arg);
            return -1;
        }
        if (opt == OPT_MAX_GAP) p->max_gap = secs;
        else p->same_outlet_gap = secs;
        return 1;
    }
    case OPT_MIN_SHARED:
        if (!cli_parse_uint(arg, 1u << 30, &u)) {
            cli_error("--min-shared: expected a whole number, got '%s'", arg);
            return -1;
        }
        p->min_shared = (uint32_t)u;
        return 1;
    case OPT_GUARD:
    case OPT_NUMBERS:
    case OPT_CONTAINMENT:
    case OPT_LSH_THRESHOLD: {
        const char *name = opt == OPT_GUARD ? "guard" : opt == OPT_NUMBERS ? "numbers"
                         : opt == OPT_CONTAINMENT ? "containment" : "lsh-threshold";
        if (!cli_parse_double(arg, &d) || !(d >= 0 && d <= 1)) {
            cli_error("--%s: expected a number in [0, 1], got '%s'", name, arg);
            return -1;
        }
        if (opt == OPT_GUARD) p->guard = d;
        else if (opt == OPT_NUMBERS) p->numbers = d;
        else if (opt == OPT_CONTAINMENT) p->containment = d;
        else p->lsh_threshold = d;
        return 1;
    }
    default:
        return 0;
    }
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
