/*
 * test_api.c - the shape of the public API, through the shared library
 * (libsyndic.so, linked as any program would, with include/syndic.h only):
 * each versioned options struct's _init function fills what its _INIT macro
 * does, field by field (syndic_params through its parameter table, so a new
 * parameter is covered without touching this file), and refuses a version
 * it does not know, and NULL, with SYNDIC_EINVAL and a message, leaving the
 * struct unchanged.
 */
#include "check_main.h"
#include "syndic.h"

#include <limits.h>
#include <string.h>

/* init(&x, v) for v = 0 (a zeroed struct), the next version and UINT_MAX
 * (versions this library does not know) returns SYNDIC_EINVAL with a message
 * naming the version and leaves x, filled with a pattern, as it was. */
#define ck_refuses(type, init, version)                                               \
    do {                                                                              \
        const unsigned bad_[] = {0, (version) + 1, UINT_MAX};                         \
        for (size_t k_ = 0; k_ < sizeof bad_ / sizeof bad_[0]; k_++) {                \
            type got_, before_;                                                       \
            memset(&got_, 0x5a, sizeof got_);                                         \
            memcpy(&before_, &got_, sizeof got_);                                     \
            ck_assert_int_eq(init(&got_, bad_[k_]), SYNDIC_EINVAL);                   \
            ck_assert_msg(strstr(syndic_last_error(), "version"),                     \
                          #init "(%u): message '%s'", bad_[k_], syndic_last_error()); \
            ck_assert_msg(memcmp(&got_, &before_, sizeof got_) == 0,                  \
                          #init "(%u) changed the struct", bad_[k_]);                 \
        }                                                                             \
    } while (0)

START_TEST(params_init_is_the_macro)
{
    syndic_params got, want = SYNDIC_PARAMS_INIT;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(syndic_params_init(&got, SYNDIC_PARAMS_VERSION), SYNDIC_OK);
    ck_assert_uint_eq(got.version, SYNDIC_PARAMS_VERSION);
    ck_assert_uint_eq(got.version, want.version);
    ck_assert_uint_ge(syndic_param_count(), 14);
    for (size_t i = 0; i < syndic_param_count(); i++) {
        const syndic_param_info *in = syndic_param_at(i);
        if (in->kind == SYNDIC_PARAM_FRACTION) {
            double g, w;
            ck_assert_int_eq(syndic_param_get_real(&g, &got, i), SYNDIC_OK);
            ck_assert_int_eq(syndic_param_get_real(&w, &want, i), SYNDIC_OK);
            ck_assert_msg(g == w, "%s: %g, the macro says %g", in->name, g, w);
            ck_assert_msg(g == in->default_real, "%s: %g, the table says %g", in->name, g,
                          in->default_real);
        } else {
            uint64_t g, w;
            ck_assert_int_eq(syndic_param_get_uint(&g, &got, i), SYNDIC_OK);
            ck_assert_int_eq(syndic_param_get_uint(&w, &want, i), SYNDIC_OK);
            ck_assert_msg(g == w, "%s: %llu, the macro says %llu", in->name,
                          (unsigned long long)g, (unsigned long long)w);
            ck_assert_msg(g == in->default_uint, "%s: %llu, the table says %llu", in->name,
                          (unsigned long long)g, (unsigned long long)in->default_uint);
        }
    }
    /* The defaults validate as they are. */
    ck_assert_int_eq(syndic_params_resolve(&got), SYNDIC_OK);
}
END_TEST

START_TEST(read_options_init_is_the_macro)
{
    syndic_read_options got, want = SYNDIC_READ_OPTIONS_INIT;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(syndic_read_options_init(&got, SYNDIC_READ_OPTIONS_VERSION), SYNDIC_OK);
    ck_assert_uint_eq(got.version, SYNDIC_READ_OPTIONS_VERSION);
    ck_assert_uint_eq(got.version, want.version);
    ck_assert_ptr_eq(got.field_id, want.field_id);
    ck_assert_ptr_eq(got.field_text, want.field_text);
    ck_assert_ptr_eq(got.field_outlet, want.field_outlet);
    ck_assert_ptr_eq(got.field_date, want.field_date);
    ck_assert_ptr_eq(got.field_title, want.field_title);
    ck_assert_ptr_eq(got.field_url, want.field_url);
    ck_assert_uint_eq(got.max_line, want.max_line);
    ck_assert_uint_eq(got.max_line, SYNDIC_DEFAULT_MAX_LINE);
    ck_assert_int_eq(got.outlet_from_dir, want.outlet_from_dir);
    ck_assert_ptr_eq(got.display_name, want.display_name);
}
END_TEST

START_TEST(state_options_init_is_the_macro)
{
    syndic_state_options got, want = SYNDIC_STATE_OPTIONS_INIT;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(syndic_state_options_init(&got, SYNDIC_STATE_OPTIONS_VERSION), SYNDIC_OK);
    ck_assert_uint_eq(got.version, SYNDIC_STATE_OPTIONS_VERSION);
    ck_assert_uint_eq(got.version, want.version);
    ck_assert_int_eq(got.read_only, want.read_only);
    ck_assert_int_eq(got.window, want.window);
    ck_assert_uint_eq(got.template_docs, want.template_docs);
    ck_assert_uint_eq(got.template_docs, SYNDIC_DEFAULT_TEMPLATE_DOCS);
    ck_assert_int_eq(got.sync, want.sync);
    ck_assert_int_eq(got.sync, 1);
    ck_assert_uint_eq(got.map_size, want.map_size);
    ck_assert_uint_eq(got.map_size, SYNDIC_DEFAULT_MAP_SIZE);
}
END_TEST

START_TEST(pipeline_options_init_is_the_macro)
{
    syndic_pipeline_options got, want = SYNDIC_PIPELINE_OPTIONS_INIT;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(syndic_pipeline_options_init(&got, SYNDIC_PIPELINE_OPTIONS_VERSION),
                     SYNDIC_OK);
    ck_assert_uint_eq(got.version, SYNDIC_PIPELINE_OPTIONS_VERSION);
    ck_assert_uint_eq(got.version, want.version);
    ck_assert_uint_eq(got.commit_every, want.commit_every);
    ck_assert_uint_eq(got.commit_every, SYNDIC_DEFAULT_COMMIT_EVERY);
    ck_assert_uint_eq(got.commit_ms, want.commit_ms);
    ck_assert_uint_eq(got.commit_ms, SYNDIC_DEFAULT_COMMIT_MS);
    ck_assert_uint_eq(got.queue, want.queue);
    ck_assert_uint_eq(got.queue, SYNDIC_DEFAULT_QUEUE);
    ck_assert(got.on_result == NULL && want.on_result == NULL);
    ck_assert(got.next == NULL && want.next == NULL);
    ck_assert_ptr_null(got.ctx);
}
END_TEST

START_TEST(batch_options_init_is_the_macro)
{
    syndic_batch_options got, want = SYNDIC_BATCH_OPTIONS_INIT;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(syndic_batch_options_init(&got, SYNDIC_BATCH_OPTIONS_VERSION), SYNDIC_OK);
    ck_assert_uint_eq(got.version, SYNDIC_BATCH_OPTIONS_VERSION);
    ck_assert_uint_eq(got.version, want.version);
    ck_assert_uint_eq(got.threads, want.threads);
    ck_assert_uint_eq(got.threads, 1);
    ck_assert(got.templates == NULL && want.templates == NULL);
    ck_assert_uint_eq(got.template_docs, 0);
    ck_assert_uint_eq(want.template_docs, 0);
    ck_assert_int_eq(got.keep_texts, 0);
    ck_assert_int_eq(got.spool, 0);
    ck_assert(got.spool_dir == NULL && want.spool_dir == NULL);
}
END_TEST

/* A length is a length: 0 is an empty string, never "measure it"; NULL is
 * absent whatever its length; syndic_doc_from_strings measures. */
START_TEST(doc_lengths_are_taken_as_given)
{
    const char *text = "Floods hit the Sava valley on Tuesday, and three people died there.";
    syndic_doc d;
    syndic_doc_from_strings(&d, "a", text, NULL, "2026-03-04", NULL, "");
    ck_assert_uint_eq(d.id_len, 1);
    ck_assert_uint_eq(d.text_len, strlen(text));
    ck_assert(d.outlet == NULL && d.outlet_len == 0);
    ck_assert_uint_eq(d.date_len, 10);
    ck_assert(d.title == NULL && d.title_len == 0);
    ck_assert(d.url != NULL && d.url_len == 0);
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = NULL;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    d.id = "b";
    d.text_len = 0; /* an empty text: no words, though the pointer is not */
    d.date = "not read"; d.date_len = 99; /* absent... */
    d.date = NULL;                        /* ...by its NULL pointer */
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    d.id = "c"; d.id_len = 0; /* an empty id is refused */
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EINVAL);
    ck_assert_uint_eq(syndic_batch_doc_count(b), 2);
    ck_assert_uint_gt(syndic_batch_doc(b, 0)->shingles, 0);
    ck_assert_uint_eq(syndic_batch_doc(b, 1)->shingles, 0);
    ck_assert_int_eq(syndic_batch_doc(b, 0)->has_time, 1);
    ck_assert_int_eq(syndic_batch_doc(b, 1)->has_time, 0);
    ck_assert_str_eq(syndic_batch_doc(b, 1)->date, "");
    syndic_batch_free(b);
}
END_TEST

START_TEST(init_refuses_unknown_versions)
{
    ck_refuses(syndic_batch_options, syndic_batch_options_init, SYNDIC_BATCH_OPTIONS_VERSION);
    ck_refuses(syndic_params, syndic_params_init, SYNDIC_PARAMS_VERSION);
    ck_refuses(syndic_read_options, syndic_read_options_init, SYNDIC_READ_OPTIONS_VERSION);
    ck_refuses(syndic_state_options, syndic_state_options_init, SYNDIC_STATE_OPTIONS_VERSION);
    ck_refuses(syndic_pipeline_options, syndic_pipeline_options_init,
               SYNDIC_PIPELINE_OPTIONS_VERSION);
}
END_TEST

START_TEST(init_refuses_null)
{
    ck_assert_int_eq(syndic_params_init(NULL, SYNDIC_PARAMS_VERSION), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_batch_options_init(NULL, SYNDIC_BATCH_OPTIONS_VERSION), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_read_options_init(NULL, SYNDIC_READ_OPTIONS_VERSION), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_state_options_init(NULL, SYNDIC_STATE_OPTIONS_VERSION), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_pipeline_options_init(NULL, SYNDIC_PIPELINE_OPTIONS_VERSION),
                     SYNDIC_EINVAL);
    ck_assert_str_ne(syndic_last_error(), "");
}
END_TEST

/* A constructor refuses an options struct of another version, as the
 * _init functions do, before it touches the disk. */
START_TEST(state_open_refuses_unknown_version)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.version = SYNDIC_STATE_OPTIONS_VERSION + 1;
    syndic_state *st = (syndic_state *)&o; /* must come back NULL */
    ck_assert_int_eq(syndic_state_open(&st, "/nonexistent/syndic-api-test", &p, &o), SYNDIC_EINVAL);
    ck_assert_ptr_null(st);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "version"));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("init");
    tcase_add_test(tc, params_init_is_the_macro);
    tcase_add_test(tc, read_options_init_is_the_macro);
    tcase_add_test(tc, state_options_init_is_the_macro);
    tcase_add_test(tc, pipeline_options_init_is_the_macro);
    tcase_add_test(tc, batch_options_init_is_the_macro);
    tcase_add_test(tc, doc_lengths_are_taken_as_given);
    tcase_add_test(tc, init_refuses_unknown_versions);
    tcase_add_test(tc, init_refuses_null);
    tcase_add_test(tc, state_open_refuses_unknown_version);
    suite_add_tcase(s, tc);
    return s;
}
