/*
 * test_alloc.c - failure injection: every allocation the library makes can
 * fail, and each failure must come back as SYNDIC_ENOMEM, cleanly.
 *
 * Design: a scenario (build a batch of 20 documents and cluster it; read a
 * JSON Lines file; read a text tree; sketch texts) is run with
 * syndic__alloc_fail_after(n) for n = 1, 2, 3, ... Each run must either
 * fail with SYNDIC_ENOMEM (message "out of memory") or complete with exactly
 * the result of an undisturbed reference run; the objects are freed in both
 * cases, so under ASan any leak, double free or use of a half-built object
 * is caught. The loop stops at the first n whose failure is never reached:
 * the run completes and the armed failure is still pending (probed with
 * syndic__malloc afterwards). A run that completes although its failure was
 * triggered means an allocation failure was swallowed: that is an error.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RUNS 5000


static void check_enomem(int rc, unsigned long n, const char *what)
{
    ck_assert_msg(rc == SYNDIC_ENOMEM, "fail_after(%lu): %s returned %d (%s), expected ENOMEM", n,
                  what, rc, syndic_last_error());
    ck_assert_msg(strstr(syndic_last_error(), "out of memory") != NULL,
                  "fail_after(%lu): %s: message \"%s\"", n, what, syndic_last_error());
}

/* ---- (a) batch ---- */

static const char *const texts[] = {
    "The city council approved the new budget on Tuesday after a long debate about road repairs",
    "City council approves the new budget on Tuesday after long debate about road repairs",
    "The city council approved its new budget on Tuesday after a long debate on road repairs",
    "Heavy rain flooded the valley overnight and forced hundreds of families from their homes",
    "Heavy rain flooded the valley overnight, forcing hundreds of families from their homes",
    "The museum will reopen in spring with a new wing dedicated to early photography",
    "Scientists reported a new species of frog discovered in the cloud forests of the north",
    "Scientists have reported a new species of frog discovered in cloud forests in the north",
    "",
    "!!! --- ...",
    "short",
};

typedef struct batch_result {
    size_t clusters;
    uint32_t sizes[32];
    uint32_t first_member[32];
    uint64_t edges;
} batch_result;

/* Runs the scenario; returns SYNDIC_OK or the first failure. */
static int batch_scenario(batch_result *res, bool retry_add)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = NULL;
    int rc = syndic_batch_new(&b, &p, NULL);
    if (rc < 0) {
        ck_assert_ptr_null(b);
        return rc;
    }
    for (int i = 0; i < 20; i++) {
        char id[16], title[32];
        snprintf(id, sizeof id, "doc-%02d", i);
        /* Copies of one text share a headline: the texts are short, and for
         * short texts the headline is part of the evidence. */
        snprintf(title, sizeof title, "Title %zu", (size_t)i % (sizeof texts / sizeof texts[0]));
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = id; d.id_len = test_len(d.id);
        d.text = texts[(size_t)i % (sizeof texts / sizeof texts[0])]; d.text_len = test_len(d.text);
        d.outlet = i % 2 ? "Outlet A" : "Outlet B"; d.outlet_len = test_len(d.outlet);
        d.date = i % 3 ? "2026-03-04T09:15:00Z" : NULL; d.date_len = test_len(d.date);
        d.title = title; d.title_len = test_len(d.title);
        d.url = "https://example.com/x"; d.url_len = test_len(d.url);
        rc = syndic_batch_add(b, &d);
        if (rc == SYNDIC_ENOMEM && retry_add) {
            /* The failed add left the batch usable: add the same document again. */
            syndic__alloc_fail_after(0);
            rc = syndic_batch_add(b, &d);
            ck_assert_msg(rc == SYNDIC_OK, "retry of doc %d: %d (%s)", i, rc, syndic_last_error());
        }
        if (rc < 0) {
            syndic_batch_free(b);
            return rc;
        }
    }
    /* A duplicate: not an allocation failure. */
    syndic_doc dup = SYNDIC_DOC_INIT;
    dup.id = "doc-00"; dup.id_len = test_len(dup.id);
    dup.text = "anything"; dup.text_len = test_len(dup.text);
    rc = syndic_batch_add(b, &dup);
    if (rc == SYNDIC_ENOMEM) {
        syndic_batch_free(b);
        return rc;
    }
    ck_assert_int_eq(rc, SYNDIC_EDUPLICATE);
    if ((rc = syndic_batch_cluster(b)) < 0) {
        ck_assert_uint_eq(syndic_batch_cluster_count(b), 0);
        syndic_batch_free(b);
        return rc;
    }
    memset(res, 0, sizeof *res);
    res->clusters = syndic_batch_cluster_count(b);
    ck_assert_uint_le(res->clusters, 32);
    for (size_t c = 0; c < res->clusters; c++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, c);
        res->sizes[c] = cl->size;
        res->first_member[c] = cl->members[0].doc;
    }
    res->edges = syndic_batch_get_stats(b)->edges;
    ck_assert_uint_eq(syndic_batch_doc_count(b), 20);
    ck_assert_str_eq(syndic_batch_doc(b, 7)->id, "doc-07");
    char want[32];
    snprintf(want, sizeof want, "Title %zu", (size_t)7 % (sizeof texts / sizeof texts[0]));
    ck_assert_str_eq(syndic_batch_doc(b, 7)->title, want);
    syndic_batch_free(b);
    return SYNDIC_OK;
}

static void run_batch(void)
{
    batch_result ref, got;
    ck_assert_int_eq(batch_scenario(&ref, false), SYNDIC_OK);
    ck_assert_uint_lt(ref.clusters, 20); /* some documents did cluster */
    unsigned long n;
    for (n = 1; n < MAX_RUNS; n++) {
        syndic__alloc_fail_after(n);
        int rc = batch_scenario(&got, false);
        if (rc == SYNDIC_OK) {
            ck_assert_msg(failure_pending(n), "fail_after(%lu): the failure was swallowed", n);
            ck_assert_uint_eq(got.clusters, ref.clusters);
            ck_assert_mem_eq(got.sizes, ref.sizes, sizeof ref.sizes);
            ck_assert_mem_eq(got.first_member, ref.first_member, sizeof ref.first_member);
            ck_assert_uint_eq(got.edges, ref.edges);
            break;
        }
        syndic__alloc_fail_after(0);
        check_enomem(rc, n, "batch scenario");
    }
    ck_assert_uint_lt(n, MAX_RUNS);
    ck_assert_uint_gt(n, 5); /* the scenario allocates many times */
}

START_TEST(test_batch)
{
    run_batch();
}
END_TEST

/* A failed syndic_batch_add leaves the batch as it was: the same document
 * can be added again and the clusters are those of an undisturbed run. */
START_TEST(test_batch_add_retry)
{
    batch_result ref, got;
    ck_assert_int_eq(batch_scenario(&ref, false), SYNDIC_OK);
    for (unsigned long n = 1; n < MAX_RUNS; n++) {
        syndic__alloc_fail_after(n);
        int rc = batch_scenario(&got, true);
        bool pending = failure_pending(n);
        if (rc == SYNDIC_OK) {
            ck_assert_uint_eq(got.clusters, ref.clusters);
            ck_assert_mem_eq(got.sizes, ref.sizes, sizeof ref.sizes);
            ck_assert_uint_eq(got.edges, ref.edges);
            if (pending) return;
        } else {
            check_enomem(rc, n, "batch scenario with retried adds");
        }
    }
    ck_abort_msg("never completed");
}
END_TEST

/* A failed syndic_batch_cluster can be called again once memory is back:
 * same clusters, same counts, nothing leaked (ASan). */
static syndic_batch *twenty_docs(void)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "doc-%02d", i);
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = id; d.id_len = test_len(d.id);
        d.text = texts[(size_t)i % (sizeof texts / sizeof texts[0])]; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    return b;
}

static void expect_same_counts(const syndic_batch_stats *got, const syndic_batch_stats *want,
                               unsigned long n)
{
    const struct { const char *name; uint64_t got, want; } f[] = {
        {"candidates", got->candidates, want->candidates},
        {"edges", got->edges, want->edges},
        {"refused_time", got->refused_time, want->refused_time},
        {"refused_short", got->refused_short, want->refused_short},
        {"refused_numbers", got->refused_numbers, want->refused_numbers},
        {"refused_guard", got->refused_guard, want->refused_guard},
        {"clusters", got->clusters, want->clusters},
        {"clustered_docs", got->clustered_docs, want->clustered_docs},
        {"largest_cluster", got->largest_cluster, want->largest_cluster},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        ck_assert_msg(f[i].got == f[i].want,
                      "fail_after(%lu) then retry: stats.%s = %llu, expected %llu", n, f[i].name,
                      (unsigned long long)f[i].got, (unsigned long long)f[i].want);
}

START_TEST(test_batch_cluster_retry)
{
    syndic_batch *ref = twenty_docs();
    ck_assert_int_eq(syndic_batch_cluster(ref), SYNDIC_OK);
    ck_assert_uint_gt(syndic_batch_get_stats(ref)->edges, 0);
    for (unsigned long n = 1; n < MAX_RUNS; n++) {
        syndic_batch *b = twenty_docs();
        syndic__alloc_fail_after(n);
        int rc = syndic_batch_cluster(b);
        bool pending = rc == SYNDIC_OK && failure_pending(n);
        syndic__alloc_fail_after(0);
        if (rc < 0) {
            check_enomem(rc, n, "syndic_batch_cluster");
            ck_assert_uint_eq(syndic_batch_cluster_count(b), 0);
            ck_assert_ptr_null(syndic_batch_cluster_at(b, 0));
            ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);
        }
        ck_assert_uint_eq(syndic_batch_cluster_count(b), syndic_batch_cluster_count(ref));
        for (size_t c = 0; c < syndic_batch_cluster_count(ref); c++) {
            const syndic_cluster *x = syndic_batch_cluster_at(b, c), *y = syndic_batch_cluster_at(ref, c);
            ck_assert_uint_eq(x->size, y->size);
            for (uint32_t m = 0; m < x->size; m++) ck_assert_uint_eq(x->members[m].doc, y->members[m].doc);
        }
        expect_same_counts(syndic_batch_get_stats(b), syndic_batch_get_stats(ref), n);
        syndic_batch_free(b);
        if (pending) {
            syndic_batch_free(ref);
            return;
        }
    }
    ck_abort_msg("never completed");
}
END_TEST

/* ---- (b) readers ---- */

static char tmp_root[64];

static void setup(void)
{
    snprintf(tmp_root, sizeof tmp_root, "/tmp/syndic-alloc-XXXXXX");
    if (!mkdtemp(tmp_root)) abort();
}

static void write_at(const char *rel, const char *data)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    fputs(data, f);
    fclose(f);
}

static void teardown(void)
{
    static const char *const files[] = {"in.jsonl", "tree/a/one.txt", "tree/a/two.txt",
                                        "tree/b/three.txt", "tree/empty.txt"};
    static const char *const dirs[] = {"tree/a", "tree/b", "tree", ""};
    char path[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_root, files[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_root, dirs[i]);
        rmdir(path);
    }
}

static void make_inputs(void)
{
    char path[256];
    /* Long lines (over 64 KiB) take the joined-line path of the reader. */
    static char jsonl[200000];
    size_t n = 0;
    for (int i = 0; i < 12; i++) {
        n += (size_t)snprintf(jsonl + n, sizeof jsonl - n,
                              "{\"id\":\"r%d\",\"text\":\"record number %d\",\"source\":\"S\"}\n", i,
                              i);
        if (i == 3) n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, "[1]\n\n");
    }
    n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, "{\"id\":\"big\",\"text\":\"");
    while (n < 150000) jsonl[n++] = 'w';
    n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, "\"}\n{\"id\":\"end\",\"text\":\"x\"}");
    write_at("in.jsonl", jsonl);
    snprintf(path, sizeof path, "%s/tree", tmp_root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/tree/a", tmp_root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/tree/b", tmp_root);
    mkdir(path, 0700);
    write_at("tree/a/one.txt", "first text");
    write_at("tree/a/two.txt", "second text");
    write_at("tree/b/three.txt", "third text");
    write_at("tree/empty.txt", "");
}

/* Reads `rel` to its end; returns the number of documents plus 1000 per bad
 * record, or the first failure. */
static int read_scenario(const char *rel, int outlet_from_dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.outlet_from_dir = outlet_from_dir;
    syndic_reader *r = NULL;
    int rc = syndic_reader_open(&r, path, &o);
    if (rc < 0) {
        ck_assert_ptr_null(r);
        return rc;
    }
    int count = 0;
    for (;;) {
        syndic_doc d;
        syndic_reject why;
        rc = syndic_reader_next(&d, &why, r);
        if (rc == 0) break;
        if (rc == SYNDIC_EBADREC) { count += 1000; continue; }
        if (rc < 0) {
            syndic_reader_free(r);
            return rc;
        }
        ck_assert_uint_gt(d.id_len, 0);
        ck_assert_uint_gt(d.text_len, 0);
        count++;
    }
    syndic_reader_free(r);
    return count;
}

static void run_reader(const char *rel, int expected)
{
    ck_assert_int_eq(read_scenario(rel, 1), expected);
    unsigned long n;
    for (n = 1; n < MAX_RUNS; n++) {
        syndic__alloc_fail_after(n);
        int rc = read_scenario(rel, 1);
        if (rc >= 0) {
            ck_assert_msg(failure_pending(n), "fail_after(%lu): the failure was swallowed", n);
            ck_assert_int_eq(rc, expected);
            break;
        }
        syndic__alloc_fail_after(0);
        check_enomem(rc, n, rel);
    }
    ck_assert_uint_gt(n, 1);
    ck_assert_uint_lt(n, MAX_RUNS);
}

START_TEST(test_reader_jsonl)
{
    make_inputs();
    run_reader("in.jsonl", 14 + 1000);
}
END_TEST

START_TEST(test_reader_tree)
{
    make_inputs();
    run_reader("tree", 3 + 1000);
}
END_TEST

/* ---- sketcher ---- */

START_TEST(test_sketcher)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    unsigned long n;
    static char text[20000];
    for (size_t i = 0; i + 1 < sizeof text; i++) text[i] = i % 6 == 5 ? ' ' : (char)('a' + i % 13);
    for (n = 1; n < MAX_RUNS; n++) {
        syndic__alloc_fail_after(n);
        syndic_sketcher *s = NULL;
        int rc = syndic_sketcher_new(&s, &p);
        uint32_t sig[128], shingles = 0;
        if (rc == SYNDIC_OK) rc = syndic_sketcher_sketch(sig, &shingles, s, "caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d", 12);
        if (rc == SYNDIC_OK) rc = syndic_sketcher_sketch(sig, &shingles, s, text, strlen(text));
        syndic_sketcher_free(s);
        if (rc == SYNDIC_OK) {
            ck_assert(failure_pending(n));
            ck_assert_uint_gt(shingles, 1);
            break;
        }
        syndic__alloc_fail_after(0);
        check_enomem(rc, n, "sketcher");
    }
    ck_assert_uint_gt(n, 2);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_batch);
    tcase_add_test(tc, test_batch_add_retry);
    tcase_add_test(tc, test_batch_cluster_retry);
    tcase_add_test(tc, test_reader_jsonl);
    tcase_add_test(tc, test_reader_tree);
    tcase_add_test(tc, test_sketcher);
    suite_add_tcase(s, tc);
    return s;
}
