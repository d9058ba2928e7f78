/*
 * params.c - the parameter table, and validating parameters in one place.
 *
 * params.def lists every field of syndic_params once, with its CLI option,
 * kind, C type, default, bounds, what 0 means and a line of help. This file
 * expands it into:
 *  - the public table (syndic_param_count/_at/_find/_range) and typed
 *    get/set by index, which check the bounds: the CLI builds its options,
 *    help, parsing and stats from them, so it never repeats a range;
 *  - syndic_params_resolve(), which checks every field against the table,
 *    then the rules that tie fields together (bands and rows, lsh_threshold);
 *  - the record a state header keeps (syndic_params_record, internal.h) and
 *    its comparison, which names the first parameter that differs.
 *
 * Bounds: min..max for whole numbers, (min, max] for fractions (a threshold
 * of 0 would match everything), and 0 besides when the row says what 0
 * means ("off", "no limit", "chosen from the threshold"). Each value is
 * stored as its field's type; the table records each field's offset and
 * size, so get and set are one memcpy, and a compile-time check ties each
 * row's C type to the field's.
 *
 * Every constructor calls syndic_params_resolve(), so a bad value is caught
 * once with a message naming the field and its range, and bands/rows are
 * chosen from the threshold when the caller left them 0.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

enum {
#define SYNDIC_PARAM(field, option, metavar, kind, ctype, def, min, max, zero, help) \
    PARAM_##field,
#include "params.def"
#undef SYNDIC_PARAM
    PARAM_COUNT
};

/* Each row's C type is its field's, 4 or 8 bytes wide. */
#define SYNDIC_PARAM(field, option, metavar, kind, ctype, def, min, max, zero, help) \
    _Static_assert(_Generic(((syndic_params *)0)->field, ctype: 1, default: 0),      \
                   "params.def: syndic_params." #field " is not a " #ctype);          \
    _Static_assert(sizeof(ctype) == 4 || sizeof(ctype) == 8,                           \
                   "params.def: " #field " must be 4 or 8 bytes");
#include "params.def"
#undef SYNDIC_PARAM

#define IS_REAL(kind) (SYNDIC_PARAM_##kind == SYNDIC_PARAM_FRACTION)

static const syndic_param_info table[PARAM_COUNT] = {
#define SYNDIC_PARAM(field, option, metavar, kind, ctype, def, min, max, zero, help) \
    {#field, option, metavar, help, zero, SYNDIC_PARAM_##kind,                      \
     IS_REAL(kind) ? 0 : (uint64_t)(def), IS_REAL(kind) ? 0 : (uint64_t)(min),      \
     IS_REAL(kind) ? 0 : (uint64_t)(max), IS_REAL(kind) ? (double)(def) : 0.0,      \
     IS_REAL(kind) ? (double)(min) : 0.0, IS_REAL(kind) ? (double)(max) : 0.0},
#include "params.def"
#undef SYNDIC_PARAM
};

/* Where each value lives in syndic_params and in the state's record. */
static const struct place { size_t params, record, size; } places[PARAM_COUNT] = {
#define SYNDIC_PARAM(field, option, metavar, kind, ctype, def, min, max, zero, help) \
    {offsetof(syndic_params, field), offsetof(syndic_params_record, field), sizeof(ctype)},
#include "params.def"
#undef SYNDIC_PARAM
};

/* ---- raw access ---- */

/* A whole value as stored; a negative duration reads as > INT64_MAX, which
 * is outside every range. */
static uint64_t load_uint(const syndic_params *p, size_t i)
{
    const char *at = (const char *)p + places[i].params;
    if (places[i].size == 4) {
        uint32_t v;
        memcpy(&v, at, sizeof v);
        return v;
    }
    uint64_t v;
    memcpy(&v, at, sizeof v);
    return v;
}

static void store_uint(syndic_params *p, size_t i, uint64_t v)
{
    char *at = (char *)p + places[i].params;
    if (places[i].size == 4) {
        uint32_t w = (uint32_t)v;
        memcpy(at, &w, sizeof w);
    } else {
        memcpy(at, &v, sizeof v);
    }
}

static double load_real(const syndic_params *p, size_t i)
{
    double v;
    memcpy(&v, (const char *)p + places[i].params, sizeof v);
    return v;
}

static bool uint_ok(const syndic_param_info *in, uint64_t v)
{
    return (v >= in->min_uint && v <= in->max_uint) || (v == 0 && in->zero);
}

static bool real_ok(const syndic_param_info *in, double v)
{
    return (v > in->min_real && v <= in->max_real) || (v == 0.0 && in->zero);
}

/* "16", "2^31", "2^63-1": powers of two as the messages write them. */
static void format_uint(char *out, size_t cap, uint64_t v)
{
    if (v == UINT64_MAX) snprintf(out, cap, "2^64-1");
    else if (v == (uint64_t)INT64_MAX) snprintf(out, cap, "2^63-1");
    else if (v >= 65536 && (v & (v - 1)) == 0) snprintf(out, cap, "2^%d", __builtin_ctzll(v));
    else snprintf(out, cap, "%llu", (unsigned long long)v);
}

/* The value of parameter i as messages show it (a duration as signed). */
static void format_value(char *out, size_t cap, const syndic_params *p, size_t i)
{
    if (table[i].kind == SYNDIC_PARAM_FRACTION)
        snprintf(out, cap, "%g", load_real(p, i));
    else if (table[i].kind == SYNDIC_PARAM_SECONDS)
        snprintf(out, cap, "%lld", (long long)(int64_t)load_uint(p, i));
    else
        snprintf(out, cap, "%llu", (unsigned long long)load_uint(p, i));
}

static int out_of_range(const syndic_params *p, size_t i)
{
    char value[32], range[32];
    format_value(value, sizeof value, p, i);
    syndic_param_range(range, sizeof range, i);
    return syndic__error(SYNDIC_EINVAL, "%s %s is outside %s", table[i].name, value, range);
}

static int check_index(size_t i)
{
    if (i < PARAM_COUNT) return SYNDIC_OK;
    return syndic__error(SYNDIC_EINVAL, "no parameter %zu (there are %d)", i, PARAM_COUNT);
}

/* ---- the public table ---- */

size_t syndic_param_count(void) { return PARAM_COUNT; }

const syndic_param_info *syndic_param_at(size_t i)
{
    return i < PARAM_COUNT ? &table[i] : NULL;
}

int syndic_param_find(size_t *index, const char *name)
{
    if (!index || !name) return syndic__error(SYNDIC_EINVAL, "index or name is NULL");
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        if (strcmp(name, table[i].name) == 0 || strcmp(name, table[i].option) == 0) {
            *index = i;
            return SYNDIC_OK;
        }
    }
    return syndic__error(SYNDIC_EINVAL, "no parameter is called '%s'", name);
}

int syndic_param_range(char *out, size_t cap, size_t i)
{
    int rc = check_index(i);
    if (rc < 0) return rc;
    if (!out || !cap) return syndic__error(SYNDIC_EINVAL, "no room for the range");
    const syndic_param_info *in = &table[i];
    if (in->kind == SYNDIC_PARAM_FRACTION) {
        if (in->zero && in->min_real == 0.0) snprintf(out, cap, "[0, %g]", in->max_real);
        else snprintf(out, cap, "%s(%g, %g]", in->zero ? "0 or " : "", in->min_real, in->max_real);
        return SYNDIC_OK;
    }
    char lo[24], hi[24];
    format_uint(lo, sizeof lo, in->min_uint);
    format_uint(hi, sizeof hi, in->max_uint);
    if (in->zero && in->min_uint <= 1) snprintf(out, cap, "0..%s", hi);
    else snprintf(out, cap, "%s%s..%s", in->zero ? "0 or " : "", lo, hi);
    return SYNDIC_OK;
}

int syndic_param_get_uint(uint64_t *out, const syndic_params *params, size_t i)
{
    int rc = check_index(i);
    if (rc < 0) return rc;
    if (!out || !params) return syndic__error(SYNDIC_EINVAL, "out or params is NULL");
    if (table[i].kind == SYNDIC_PARAM_FRACTION)
        return syndic__error(SYNDIC_EINVAL, "%s is a fraction (syndic_param_get_real)",
                             table[i].name);
    uint64_t v = load_uint(params, i);
    if (table[i].kind == SYNDIC_PARAM_SECONDS && v > (uint64_t)INT64_MAX)
        return out_of_range(params, i);
    *out = v;
    return SYNDIC_OK;
}

int syndic_param_set_uint(syndic_params *params, size_t i, uint64_t value)
{
    int rc = check_index(i);
    if (rc < 0) return rc;
    if (!params) return syndic__error(SYNDIC_EINVAL, "params is NULL");
    const syndic_param_info *in = &table[i];
    if (in->kind == SYNDIC_PARAM_FRACTION)
        return syndic__error(SYNDIC_EINVAL, "%s is a fraction (syndic_param_set_real)", in->name);
    if (!uint_ok(in, value)) {
        char v[24], range[32];
        snprintf(v, sizeof v, "%llu", (unsigned long long)value);
        syndic_param_range(range, sizeof range, i);
        return syndic__error(SYNDIC_EINVAL, "%s %s is outside %s", in->name, v, range);
    }
    store_uint(params, i, value);
    return SYNDIC_OK;
}

int syndic_param_get_real(double *out, const syndic_params *params, size_t i)
{
    int rc = check_index(i);
    if (rc < 0) return rc;
    if (!out || !params) return syndic__error(SYNDIC_EINVAL, "out or params is NULL");
    if (table[i].kind != SYNDIC_PARAM_FRACTION)
        return syndic__error(SYNDIC_EINVAL, "%s is a whole number (syndic_param_get_uint)",
                             table[i].name);
    *out = load_real(params, i);
    return SYNDIC_OK;
}

int syndic_param_set_real(syndic_params *params, size_t i, double value)
{
    int rc = check_index(i);
    if (rc < 0) return rc;
    if (!params) return syndic__error(SYNDIC_EINVAL, "params is NULL");
    const syndic_param_info *in = &table[i];
    if (in->kind != SYNDIC_PARAM_FRACTION)
        return syndic__error(SYNDIC_EINVAL, "%s is a whole number (syndic_param_set_uint)",
                             in->name);
    if (!real_ok(in, value)) {
        char range[32];
        syndic_param_range(range, sizeof range, i);
        return syndic__error(SYNDIC_EINVAL, "%s %g is outside %s", in->name, value, range);
    }
    memcpy((char *)params + places[i].params, &value, sizeof value);
    return SYNDIC_OK;
}

/* ---- resolving ---- */

int syndic_params_resolve(syndic_params *p)
{
    if (!p) return syndic__error(SYNDIC_EINVAL, "params is NULL");
    if (p->version != SYNDIC_PARAMS_VERSION)
        return syndic__error(SYNDIC_EINVAL,
                             "params version %u, expected %u (use SYNDIC_PARAMS_INIT)",
                             p->version, SYNDIC_PARAMS_VERSION);
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        bool ok = table[i].kind == SYNDIC_PARAM_FRACTION ? real_ok(&table[i], load_real(p, i))
                                                         : uint_ok(&table[i], load_uint(p, i));
        if (!ok) return out_of_range(p, i);
    }
    if (p->lsh_threshold == 0.0)
        p->lsh_threshold = p->containment > 0 && p->threshold > 0.2 ? 0.2 : p->threshold;
    if ((p->bands == 0) != (p->rows == 0))
        return syndic__error(SYNDIC_EINVAL,
                             "bands and rows must be given together (got %u and %u)",
                             p->bands, p->rows);
    if (p->bands == 0) {
        int rc = syndic_lsh_choose(&p->bands, &p->rows, p->lsh_threshold,
                                   p->num_hashes, 0.5, 0.5);
        if (rc < 0) return rc;
    }
    if ((uint64_t)p->bands * p->rows > p->num_hashes)
        return syndic__error(SYNDIC_EINVAL,
                             "bands x rows = %u x %u exceeds the %u hashes",
                             p->bands, p->rows, p->num_hashes);
    return SYNDIC_OK;
}

/* ---- the state's record ---- */

void syndic__params_record_make(syndic_params_record *r, const syndic_params *p)
{
    memset(r, 0, sizeof *r); /* padding, if a row ever leaves some, is zero */
    for (size_t i = 0; i < PARAM_COUNT; i++)
        memcpy((char *)r + places[i].record, (const char *)p + places[i].params, places[i].size);
}

void syndic__params_record_read(syndic_params *p, const syndic_params_record *r)
{
    *p = (syndic_params)SYNDIC_PARAMS_INIT;
    for (size_t i = 0; i < PARAM_COUNT; i++)
        memcpy((char *)p + places[i].params, (const char *)r + places[i].record, places[i].size);
}

int syndic__params_record_diff(const syndic_params_record *have, const syndic_params_record *want,
                               char *have_text, char *want_text)
{
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        const size_t at = places[i].record;
        if (memcmp((const char *)have + at, (const char *)want + at, places[i].size) == 0)
            continue;
        syndic_params a, b;
        syndic__params_record_read(&a, have);
        syndic__params_record_read(&b, want);
        format_value(have_text, 32, &a, i);
        format_value(want_text, 32, &b, i);
        return (int)i;
    }
    return -1;
}

/* ---- defaults without the macro ---- */

int syndic_params_init(syndic_params *params, unsigned version)
{
    if (!params) return syndic__error(SYNDIC_EINVAL, "params is NULL");
    if (version != SYNDIC_PARAMS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "params version %u, expected %u", version,
                             SYNDIC_PARAMS_VERSION);
    *params = (syndic_params)SYNDIC_PARAMS_INIT;
    return SYNDIC_OK;
}
