/*
 * test_params.c - the parameter table (params.def through syndic_param_*),
 * walked row by row: SYNDIC_PARAMS_INIT holds the table's defaults and
 * every default validates; the table covers every field of syndic_params;
 * each boundary validates and one step outside it fails with a message
 * naming the parameter (through the setters and through
 * syndic_params_resolve); get/set round-trip; a state refuses a change of
 * any parameter, naming it; and the state header keeps format 2's layout.
 */
#include "check_main.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t count(void) { return syndic_param_count(); }
static const syndic_param_info *info(size_t i) { return syndic_param_at(i); }
static bool is_real(size_t i) { return info(i)->kind == SYNDIC_PARAM_FRACTION; }

static size_t index_of(const char *name)
{
    size_t i;
    ck_assert_msg(syndic_param_find(&i, name) == SYNDIC_OK, "%s", syndic_last_error());
    return i;
}

#define ck_assert_error_names(i)                                                   \
    ck_assert_msg(strstr(syndic_last_error(), info(i)->name), "%s: message '%s'", \
                  info(i)->name, syndic_last_error())

/* Where parameter i lives in syndic_params, found through the public API
 * only: from all-ones bytes, setting the smallest accepted value (0 when
 * accepted, else min) changes every byte of the field and no other. */
static void field_span(size_t i, size_t *offset, size_t *size)
{
    syndic_params p, q;
    memset(&p, 0xff, sizeof p);
    q = p;
    const syndic_param_info *in = info(i);
    int rc = is_real(i) ? syndic_param_set_real(&q, i, in->zero ? 0.0 : in->max_real)
                        : syndic_param_set_uint(&q, i, in->zero ? 0 : in->min_uint);
    ck_assert_msg(rc == SYNDIC_OK, "%s: %s", in->name, syndic_last_error());
    const unsigned char *a = (const unsigned char *)&p, *b = (const unsigned char *)&q;
    size_t first = sizeof p, last = 0;
    for (size_t k = 0; k < sizeof p; k++) {
        if (a[k] == b[k]) continue;
        if (first == sizeof p) first = k;
        last = k;
    }
    ck_assert_msg(first < sizeof p, "%s: setting it changed nothing", in->name);
    *offset = first;
    *size = last - first + 1;
    ck_assert_msg(*size == 4 || *size == 8, "%s: %zu bytes changed", in->name, *size);
}

/* Writes a raw value into parameter i's field, bypassing the setters. */
static void poke_uint(syndic_params *p, size_t i, uint64_t v)
{
    size_t off, size;
    field_span(i, &off, &size);
    if (size == 4) {
        uint32_t w = (uint32_t)v;
        memcpy((char *)p + off, &w, 4);
    } else {
        memcpy((char *)p + off, &v, 8);
    }
}

static void poke_real(syndic_params *p, size_t i, double v)
{
    size_t off, size;
    field_span(i, &off, &size);
    ck_assert_uint_eq(size, sizeof v);
    memcpy((char *)p + off, &v, sizeof v);
}

/* The rules between fields: bands and rows come together, with
 * bands x rows <= num_hashes. Makes p satisfy them around parameter i. */
static void fit_partners(syndic_params *p, size_t i)
{
    const size_t bands = index_of("bands"), rows = index_of("rows");
    if ((i == bands || i == rows) && (p->bands || p->rows)) {
        p->num_hashes = 1024;
        if (i == bands) p->rows = 1;
        else p->bands = 1;
    }
}

START_TEST(table_is_complete)
{
    ck_assert_uint_ge(count(), 14);
    ck_assert_ptr_null(syndic_param_at(count()));
    for (size_t i = 0; i < count(); i++) {
        const syndic_param_info *in = info(i);
        ck_assert_ptr_nonnull(in->name);
        ck_assert_ptr_nonnull(in->option);
        ck_assert_ptr_nonnull(in->metavar);
        ck_assert_ptr_nonnull(in->help);
        ck_assert_msg(in->help[0] && !strchr(in->help, '\n'), "%s: help", in->name);
        size_t j;
        ck_assert_int_eq(syndic_param_find(&j, in->name), SYNDIC_OK);
        ck_assert_uint_eq(j, i);
        ck_assert_int_eq(syndic_param_find(&j, in->option), SYNDIC_OK);
        ck_assert_uint_eq(j, i);
        for (size_t k = 0; k < i; k++) {
            ck_assert_str_ne(in->name, info(k)->name);
            ck_assert_str_ne(in->option, info(k)->option);
        }
        /* Only the bounds of its kind are set, and they are ordered. */
        if (is_real(i)) {
            ck_assert(in->default_uint == 0 && in->min_uint == 0 && in->max_uint == 0);
            ck_assert(in->min_real < in->max_real);
        } else {
            ck_assert(in->default_real == 0.0 && in->min_real == 0.0 && in->max_real == 0.0);
            ck_assert(in->min_uint <= in->max_uint);
        }
        char range[32];
        ck_assert_int_eq(syndic_param_range(range, sizeof range, i), SYNDIC_OK);
        ck_assert(range[0]);
    }
    size_t j;
    ck_assert_int_eq(syndic_param_find(&j, "no_such_parameter"), SYNDIC_EINVAL);
    char range[32];
    ck_assert_int_eq(syndic_param_range(range, sizeof range, count()), SYNDIC_EINVAL);
    /* The ranges as messages and the CLI show them. */
    ck_assert_int_eq(syndic_param_range(range, sizeof range, index_of("shingle_words")), 0);
    ck_assert_str_eq(range, "1..16");
    ck_assert_int_eq(syndic_param_range(range, sizeof range, index_of("bands")), 0);
    ck_assert_str_eq(range, "0..1024");
    ck_assert_int_eq(syndic_param_range(range, sizeof range, index_of("max-bucket")), 0);
    ck_assert_str_eq(range, "2..2^31");
    ck_assert_int_eq(syndic_param_range(range, sizeof range, index_of("threshold")), 0);
    ck_assert_str_eq(range, "(0, 1]");
    ck_assert_int_eq(syndic_param_range(range, sizeof range, index_of("guard")), 0);
    ck_assert_str_eq(range, "[0, 1]");
}
END_TEST

/* Every field of syndic_params but version is a row of the table: laid out
 * in offset order, the table's fields and version leave no gap larger than
 * the alignment padding the next field needs. */
START_TEST(table_covers_the_struct)
{
    size_t n = count() + 1, off[64], size[64];
    ck_assert_uint_lt(n, 64);
    off[0] = offsetof(syndic_params, version);
    size[0] = sizeof(unsigned);
    for (size_t i = 0; i < count(); i++) field_span(i, &off[i + 1], &size[i + 1]);
    for (size_t a = 1; a < n; a++) { /* insertion sort by offset */
        for (size_t b = a; b > 0 && off[b - 1] > off[b]; b--) {
            size_t t = off[b]; off[b] = off[b - 1]; off[b - 1] = t;
            t = size[b]; size[b] = size[b - 1]; size[b - 1] = t;
        }
    }
    size_t end = 0;
    for (size_t k = 0; k < n; k++) {
        size_t aligned = (end + size[k] - 1) / size[k] * size[k];
        ck_assert_msg(off[k] == aligned, "bytes %zu..%zu of syndic_params are in no table row",
                      end, off[k]);
        end = off[k] + size[k];
    }
    ck_assert_msg((end + 7) / 8 * 8 == sizeof(syndic_params),
                  "bytes from %zu of syndic_params are in no table row", end);
}
END_TEST

START_TEST(init_is_the_defaults)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_uint_eq(p.version, SYNDIC_PARAMS_VERSION);
    for (size_t i = 0; i < count(); i++) {
        const syndic_param_info *in = info(i);
        if (is_real(i)) {
            double d;
            ck_assert_int_eq(syndic_param_get_real(&d, &p, i), SYNDIC_OK);
            ck_assert_msg(d == in->default_real, "%s: INIT %g, table %g", in->name, d,
                          in->default_real);
        } else {
            uint64_t u;
            ck_assert_int_eq(syndic_param_get_uint(&u, &p, i), SYNDIC_OK);
            ck_assert_msg(u == in->default_uint, "%s: INIT %llu, table %llu", in->name,
                          (unsigned long long)u, (unsigned long long)in->default_uint);
        }
    }
    /* The public default macros are the table's. */
    ck_assert_uint_eq(info(index_of("seed"))->default_uint, SYNDIC_DEFAULT_SEED);
    ck_assert_uint_eq(info(index_of("max_gap"))->default_uint, SYNDIC_DEFAULT_MAX_GAP);
    ck_assert(info(index_of("containment"))->default_real == SYNDIC_DEFAULT_CONTAINMENT);
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
}
END_TEST

/* Each default, each boundary (and 0 where it means something) is accepted
 * by the setter and by syndic_params_resolve. */
START_TEST(boundaries_validate)
{
    for (size_t i = 0; i < count(); i++) {
        const syndic_param_info *in = info(i);
        double reals[4];
        uint64_t uints[4];
        size_t n = 0;
        if (is_real(i)) {
            reals[n++] = in->default_real;
            reals[n++] = nextafter(in->min_real, in->max_real); /* min is excluded */
            reals[n++] = in->max_real;
            if (in->zero) reals[n++] = 0.0;
        } else {
            uints[n++] = in->default_uint;
            uints[n++] = in->min_uint;
            uints[n++] = in->max_uint;
            if (in->zero) uints[n++] = 0;
        }
        for (size_t k = 0; k < n; k++) {
            syndic_params p = SYNDIC_PARAMS_INIT;
            int rc = is_real(i) ? syndic_param_set_real(&p, i, reals[k])
                                : syndic_param_set_uint(&p, i, uints[k]);
            ck_assert_msg(rc == SYNDIC_OK, "%s: set %s", in->name, syndic_last_error());
            fit_partners(&p, i);
            rc = syndic_params_resolve(&p);
            ck_assert_msg(rc == SYNDIC_OK, "%s boundary %zu: %s", in->name, k,
                          syndic_last_error());
        }
    }
}
END_TEST

/* One step outside each bound fails, naming the parameter: the setter
 * refuses it (and leaves the field as it was), and so does
 * syndic_params_resolve when it is written into the struct directly. */
START_TEST(outside_fails)
{
    size_t checked = 0;
    for (size_t i = 0; i < count(); i++) {
        const syndic_param_info *in = info(i);
        if (is_real(i)) {
            double outside[4];
            size_t n = 0;
            outside[n++] = nextafter(in->max_real, INFINITY);
            outside[n++] = in->zero && in->min_real == 0.0 ? nextafter(0.0, -INFINITY)
                                                           : in->min_real;
            outside[n++] = NAN;
            for (size_t k = 0; k < n; k++) {
                syndic_params p = SYNDIC_PARAMS_INIT;
                ck_assert_int_eq(syndic_param_set_real(&p, i, outside[k]), SYNDIC_EINVAL);
                ck_assert_error_names(i);
                double d;
                ck_assert_int_eq(syndic_param_get_real(&d, &p, i), SYNDIC_OK);
                ck_assert(d == in->default_real);
                poke_real(&p, i, outside[k]);
                ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
                ck_assert_error_names(i);
            }
            checked++;
            continue;
        }
        const uint64_t type_max = in->kind == SYNDIC_PARAM_SECONDS ? (uint64_t)INT64_MAX
                                : in->kind == SYNDIC_PARAM_SEED    ? UINT64_MAX
                                                                   : UINT32_MAX;
        uint64_t outside[2];
        size_t n = 0;
        if (in->max_uint < type_max) outside[n++] = in->max_uint + 1;
        if (in->min_uint > 1 || (in->min_uint == 1 && !in->zero)) outside[n++] = in->min_uint - 1;
        for (size_t k = 0; k < n; k++) {
            syndic_params p = SYNDIC_PARAMS_INIT;
            ck_assert_int_eq(syndic_param_set_uint(&p, i, outside[k]), SYNDIC_EINVAL);
            ck_assert_error_names(i);
            uint64_t u;
            ck_assert_int_eq(syndic_param_get_uint(&u, &p, i), SYNDIC_OK);
            ck_assert_uint_eq(u, in->default_uint);
            poke_uint(&p, i, outside[k]);
            ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
            ck_assert_error_names(i);
        }
        if (in->kind == SYNDIC_PARAM_SECONDS) {
            /* Past INT64_MAX for the setter; a negative duration in the
             * struct for resolve and the getter. */
            syndic_params p = SYNDIC_PARAMS_INIT;
            ck_assert_int_eq(syndic_param_set_uint(&p, i, (uint64_t)INT64_MAX + 1), SYNDIC_EINVAL);
            ck_assert_error_names(i);
            poke_uint(&p, i, (uint64_t)-1);
            ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_EINVAL);
            ck_assert_error_names(i);
            uint64_t u;
            ck_assert_int_eq(syndic_param_get_uint(&u, &p, i), SYNDIC_EINVAL);
            n++;
        }
        if (n) checked++;
        else ck_assert_msg(in->kind == SYNDIC_PARAM_SEED, "%s: no bound checked", in->name);
    }
    /* Every row but the seed (which takes any value) has a bound to cross. */
    ck_assert_uint_eq(checked, count() - 1);
}
END_TEST

START_TEST(get_set_round_trip)
{
    for (size_t i = 0; i < count(); i++) {
        const syndic_param_info *in = info(i);
        syndic_params p = SYNDIC_PARAMS_INIT;
        uint64_t u;
        double d;
        if (is_real(i)) {
            const double values[] = {in->max_real, (in->min_real + in->max_real) / 3,
                                     nextafter(in->min_real, in->max_real)};
            for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
                ck_assert_int_eq(syndic_param_set_real(&p, i, values[k]), SYNDIC_OK);
                ck_assert_int_eq(syndic_param_get_real(&d, &p, i), SYNDIC_OK);
                ck_assert_msg(memcmp(&d, &values[k], sizeof d) == 0, "%s", in->name);
            }
            /* The wrong kind is refused. */
            ck_assert_int_eq(syndic_param_get_uint(&u, &p, i), SYNDIC_EINVAL);
            ck_assert_int_eq(syndic_param_set_uint(&p, i, 1), SYNDIC_EINVAL);
            ck_assert_error_names(i);
        } else {
            const uint64_t values[] = {in->max_uint, in->min_uint,
                                       in->min_uint + (in->max_uint - in->min_uint) / 3};
            for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
                ck_assert_int_eq(syndic_param_set_uint(&p, i, values[k]), SYNDIC_OK);
                ck_assert_int_eq(syndic_param_get_uint(&u, &p, i), SYNDIC_OK);
                ck_assert_uint_eq(u, values[k]);
            }
            ck_assert_int_eq(syndic_param_get_real(&d, &p, i), SYNDIC_EINVAL);
            ck_assert_int_eq(syndic_param_set_real(&p, i, 0.5), SYNDIC_EINVAL);
            ck_assert_error_names(i);
        }
    }
    /* The struct's fields are the ones the table names. */
    syndic_params p = SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_param_set_uint(&p, index_of("shingle"), 7), SYNDIC_OK);
    ck_assert_uint_eq(p.shingle_words, 7);
    ck_assert_int_eq(syndic_param_set_uint(&p, index_of("same-outlet-gap"), 90 * 60), SYNDIC_OK);
    ck_assert_int_eq(p.same_outlet_gap, 90 * 60);
    ck_assert_int_eq(syndic_param_set_real(&p, index_of("lsh_threshold"), 0.4), SYNDIC_OK);
    ck_assert(p.lsh_threshold == 0.4);
    ck_assert_int_eq(syndic_param_set_uint(&p, index_of("seed"), UINT64_MAX), SYNDIC_OK);
    ck_assert_uint_eq(p.seed, UINT64_MAX);
    /* An index past the table. */
    ck_assert_int_eq(syndic_param_set_uint(&p, count(), 1), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_param_get_real(NULL, &p, 0), SYNDIC_EINVAL);
}
END_TEST

/* ---- the state's record of its parameters ---- */

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "%s/syndic-test-params-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* p with parameter i moved to another value that still resolves. */
static bool changed(syndic_params *p, size_t i)
{
    const syndic_param_info *in = info(i);
    for (int step = 1; step <= 3; step++) {
        for (int sign = 1; sign >= -1; sign -= 2) {
            syndic_params q = *p;
            int rc;
            if (is_real(i)) {
                double d;
                syndic_param_get_real(&d, &q, i);
                rc = syndic_param_set_real(&q, i, d + sign * 0.05 * step);
            } else {
                uint64_t u;
                syndic_param_get_uint(&u, &q, i);
                rc = syndic_param_set_uint(&q, i, u + (uint64_t)(sign * step));
            }
            if (rc < 0) continue;
            syndic_params r = q;
            if (syndic_params_resolve(&r) < 0) continue;
            *p = q;
            return true;
        }
    }
    ck_abort_msg("%s: no other value resolves", in->name);
    return false;
}

START_TEST(state_refuses_each_change)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.sync = 0;
    syndic_state *s = NULL;
    ck_assert_msg(syndic_state_open(&s, dir, &p, &o) == SYNDIC_OK, "%s", syndic_last_error());
    const syndic_params made = *syndic_state_params(s); /* resolved: bands and rows set */
    syndic_state_free(s);
    /* The same parameters, resolved or not, open it. */
    ck_assert_int_eq(syndic_state_open(&s, dir, &made, &o), SYNDIC_OK);
    syndic_state_free(s);
    for (size_t i = 0; i < count(); i++) {
        syndic_params q = made;
        changed(&q, i);
        s = NULL;
        ck_assert_int_eq(syndic_state_open(&s, dir, &q, &o), SYNDIC_EINVAL);
        ck_assert_ptr_null(s);
        char want[80];
        snprintf(want, sizeof want, "made with %s ", info(i)->name);
        ck_assert_msg(strstr(syndic_last_error(), want), "%s: '%s'", info(i)->name,
                      syndic_last_error());
    }
    /* A reader takes every parameter from the state. */
    o.read_only = 1;
    ck_assert_int_eq(syndic_state_open(&s, dir, NULL, &o), SYNDIC_OK);
    const syndic_params *got = syndic_state_params(s);
    for (size_t i = 0; i < count(); i++) {
        uint64_t a = 0, b = 0;
        double x = 0, y = 0;
        if (is_real(i)) {
            syndic_param_get_real(&x, got, i);
            syndic_param_get_real(&y, &made, i);
        } else {
            syndic_param_get_uint(&a, got, i);
            syndic_param_get_uint(&b, &made, i);
        }
        ck_assert_msg(a == b && x == y, "%s read back differs", info(i)->name);
    }
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* The header of format 2, as it was declared before the table: a state made
 * now is readable by the syndic that wrote format 2, and the other way. */
typedef struct format2_header {
    char magic[8];
    uint32_t format, params_version;
    uint32_t shingle_words, num_hashes, bands, rows;
    double threshold;
    uint64_t seed;
    uint32_t max_bucket, min_shared;
    int64_t max_gap, same_outlet_gap;
    double guard, numbers, containment, lsh_threshold;
    uint32_t template_docs, pad;
    int64_t window;
} format2_header;

START_TEST(state_header_is_format_2)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.seed = UINT64_C(0x0123456789abcdef);
    p.max_gap = 5 * 86400;
    p.min_shared = 7;
    p.guard = 0.375;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.sync = 0;
    o.window = 86400;
    o.template_docs = 4;
    syndic_state *s = NULL;
    ck_assert_msg(syndic_state_open(&s, dir, &p, &o) == SYNDIC_OK, "%s", syndic_last_error());
    const syndic_params r = *syndic_state_params(s);
    syndic_state_free(s);

    format2_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, "SYNDICST", 8);
    h.format = 2;
    h.params_version = r.version;
    h.shingle_words = r.shingle_words;
    h.num_hashes = r.num_hashes;
    h.bands = r.bands;
    h.rows = r.rows;
    h.threshold = r.threshold;
    h.seed = r.seed;
    h.max_bucket = r.max_bucket;
    h.min_shared = r.min_shared;
    h.max_gap = r.max_gap;
    h.same_outlet_gap = r.same_outlet_gap;
    h.guard = r.guard;
    h.numbers = r.numbers;
    h.containment = r.containment;
    h.lsh_threshold = r.lsh_threshold;
    h.template_docs = 4;
    h.window = 86400;

    char path[400];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    char *data = malloc((size_t)size);
    ck_assert_ptr_nonnull(data);
    rewind(f);
    ck_assert_uint_eq(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    int found = 0;
    for (long i = 0; i + (long)sizeof h <= size; i++) {
        if (memcmp(data + i, "SYNDICST", 8) != 0) continue;
        ck_assert_msg(memcmp(data + i, &h, sizeof h) == 0, "the header is not format 2's");
        found++;
    }
    free(data);
    ck_assert_int_ge(found, 1);
    remove_dir();
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("params");
    TCase *tc = tcase_create("params");
    tcase_add_test(tc, table_is_complete);
    tcase_add_test(tc, table_covers_the_struct);
    tcase_add_test(tc, init_is_the_defaults);
    tcase_add_test(tc, boundaries_validate);
    tcase_add_test(tc, outside_fails);
    tcase_add_test(tc, get_set_round_trip);
    tcase_add_test(tc, state_refuses_each_change);
    tcase_add_test(tc, state_header_is_format_2);
    suite_add_tcase(s, tc);
    return s;
}
