/*
 * test_batch.c - batch clustering: copies join, different stories stay apart,
 * the result does not depend on input order, and the degenerate cases
 * (duplicate ids, texts without words, oversized buckets) behave as
 * documented in syndic.h; with threads, the same batch, and failures in a
 * worker reported.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "stories.h"

typedef struct doc { const char *id, *date, *text; } doc;

static char copy_a[2048], trimmed_a[2048], copy_b[2048];

static void make_variants(void)
{
    snprintf(copy_a, sizeof copy_a, "Advertisement\n%s\nAdd The Daily Harbor as a "
             "preferred source to see more of our stories on Google.", story_a);
    /* Same text, different case and punctuation: identical after normalizing. */
    size_t n = strlen(story_b);
    for (size_t i = 0; i <= n; i++)
        copy_b[i] = story_b[i] >= 'a' && story_b[i] <= 'z' ? (char)(story_b[i] - 32) : story_b[i];
    /* The first 80% of story_a (a trimmed ending). */
    size_t keep = strlen(story_a) * 8 / 10;
    memcpy(trimmed_a, story_a, keep);
    trimmed_a[keep] = 0;
}

static syndic_batch *run(const doc *docs, size_t n, const syndic_params *p)
{
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, p, NULL), SYNDIC_OK);
    for (size_t i = 0; i < n; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = docs[i].id; d.id_len = test_len(d.id);
        d.date = docs[i].date; d.date_len = test_len(d.date);
        d.text = docs[i].text; d.text_len = test_len(d.text);
        d.text_len = strlen(docs[i].text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);
    return b;
}

/* The clustering as text: one line per cluster, "id id id". */
static void render(const syndic_batch *b, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t c = 0; c < syndic_batch_cluster_count(b); c++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, c);
        for (uint32_t m = 0; m < cl->size; m++) {
            strncat(out, syndic_batch_doc(b, cl->members[m].doc)->id, cap - strlen(out) - 1);
            strncat(out, m + 1 < cl->size ? " " : "\n", cap - strlen(out) - 1);
        }
    }
}

START_TEST(test_copies_join_stories_stay_apart)
{
    make_variants();
    doc docs[] = {
        {"a-wire", "2026-03-04T09:00:00Z", story_a},
        {"a-copy", "2026-03-04T10:00:00Z", copy_a},
        {"a-trim", "2026-03-04T11:00:00Z", trimmed_a},
        {"b-wire", "2026-03-04T08:00:00Z", story_b},
        {"b-caps", "2026-03-05T08:00:00Z", copy_b},
    };
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = run(docs, 5, &p);
    char got[1024];
    render(b, got, sizeof got);
    ck_assert_str_eq(got, "a-wire a-copy a-trim\nb-wire b-caps\n");
    /* The representative is the earliest; members carry their evidence. */
    const syndic_cluster *c = syndic_batch_cluster_at(b, 1);
    ck_assert_double_eq(c->members[1].jaccard, 1.0); /* case only differs */
    c = syndic_batch_cluster_at(b, 0);
    ck_assert(c->members[1].jaccard > 0.5 && c->members[1].jaccard < 1.0);
    const syndic_batch_stats *s = syndic_batch_get_stats(b);
    ck_assert_uint_eq(s->documents, 5);
    ck_assert_uint_eq(s->clusters, 2);
    ck_assert_uint_eq(s->clustered_docs, 5);
    ck_assert_uint_ge(s->edges, 3);
    syndic_batch_free(b);
}
END_TEST

START_TEST(test_order_does_not_matter)
{
    make_variants();
    doc docs[] = {
        {"a-wire", "2026-03-04T09:00:00Z", story_a},
        {"a-copy", "2026-03-04T10:00:00Z", copy_a},
        {"a-trim", NULL, trimmed_a},
        {"b-wire", "Wed, 04 Mar 2026 08:00:00 +0000", story_b},
        {"b-caps", "2026-03-04T08:00:00Z", copy_b}, /* same time: id breaks the tie */
        {"lone", NULL, "A short unrelated note about a chess tournament in the park."},
    };
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = run(docs, 6, &p);
    char first[1024], again[1024];
    render(b, first, sizeof first);
    syndic_batch_free(b);
    /* Every rotation and the reversal give byte-identical clusters. */
    for (size_t r = 1; r <= 6; r++) {
        doc perm[6];
        for (size_t i = 0; i < 6; i++)
            perm[i] = r == 6 ? docs[5 - i] : docs[(i + r) % 6];
        b = run(perm, 6, &p);
        render(b, again, sizeof again);
        ck_assert_str_eq(again, first);
        syndic_batch_free(b);
    }
    ck_assert_str_eq(first, "a-wire a-copy a-trim\nb-caps b-wire\nlone\n");
}
END_TEST

START_TEST(test_duplicate_id_rejected)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = "x"; d.id_len = test_len(d.id);
    d.text = story_a; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    d.text = story_b; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EDUPLICATE);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "\"x\""));
    ck_assert_uint_eq(syndic_batch_doc_count(b), 1);
    ck_assert_uint_eq(syndic_batch_get_stats(b)->duplicate_ids, 1);
    /* Many ids force the id table to grow; all stay findable. */
    char id[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        d.id = id; d.id_len = test_len(d.id);
        d.text = "a few words"; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    for (int i = 0; i < 3000; i += 7) {
        snprintf(id, sizeof id, "doc-%d", i);
        d.id = id; d.id_len = test_len(d.id);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EDUPLICATE);
    }
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EINVAL); /* after clustering */
    syndic_batch_free(b);
}
END_TEST

START_TEST(test_wordless_texts_stay_singletons)
{
    doc docs[] = {
        {"p1", NULL, "!!! ... ---"}, {"p2", NULL, "???"}, {"p3", NULL, "  ,  "},
        {"w1", NULL, "Brief: markets closed."}, {"w2", NULL, "brief markets closed"},
    };
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = run(docs, 5, &p);
    const syndic_batch_stats *s = syndic_batch_get_stats(b);
    ck_assert_uint_eq(s->empty, 3);
    /* Texts shorter than a shingle still match exact copies of themselves. */
    ck_assert_uint_eq(s->clusters, 1);
    ck_assert_uint_eq(syndic_batch_cluster_at(b, 0)->size, 2);
    ck_assert_uint_eq(syndic_batch_cluster_count(b), 4);
    for (size_t i = 0; i < 3; i++) ck_assert_uint_eq(syndic_batch_doc(b, i)->shingles, 0);
    syndic_batch_free(b);
}
END_TEST

START_TEST(test_oversized_bucket_skipped)
{
    /* 30 identical texts share every band; with max_bucket 10 every bucket is
     * skipped, so nothing joins, and the skips are counted. */
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.max_bucket = 10;
    doc docs[30];
    char ids[30][8];
    for (int i = 0; i < 30; i++) {
        snprintf(ids[i], sizeof ids[i], "t%02d", i);
        docs[i] = (doc){ids[i], NULL, story_b};
    }
    syndic_batch *b = run(docs, 30, &p);
    const syndic_batch_stats *s = syndic_batch_get_stats(b);
    ck_assert_uint_eq(s->skipped_buckets, syndic_batch_params(b)->bands);
    ck_assert_uint_eq(s->skipped_bucket_docs, 30u * syndic_batch_params(b)->bands);
    ck_assert_uint_eq(s->clusters, 0);
    syndic_batch_free(b);
    p.max_bucket = 30;
    b = run(docs, 30, &p);
    ck_assert_uint_eq(syndic_batch_get_stats(b)->clusters, 1);
    ck_assert_uint_eq(syndic_batch_cluster_at(b, 0)->size, 30);
    syndic_batch_free(b);
}
END_TEST

START_TEST(test_bad_arguments)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.threshold = 2;
    syndic_batch *b = (syndic_batch *)1;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_EINVAL);
    ck_assert_ptr_null(b);
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    syndic_doc d = SYNDIC_DOC_INIT;
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EINVAL);
    d.id = ""; d.id_len = test_len(d.id);
    d.text = "text"; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_EINVAL);
    ck_assert_ptr_null(syndic_batch_doc(b, 0));
    ck_assert_ptr_null(syndic_batch_cluster_at(b, 0));
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK); /* empty batch */
    ck_assert_uint_eq(syndic_batch_cluster_count(b), 0);
    syndic_batch_free(b);
    syndic_batch_free(NULL);
}
END_TEST

/* ---- template-heavy corpus ----
 * Five outlets each wrap every story in seven template lines of their own
 * (about as many words as the story). Six stories run in all five outlets;
 * each outlet also runs four stories of its own. With the templates left in,
 * an outlet's different stories look alike; learned and dropped, every
 * shared story is one cluster of five and every other story stands alone. */

static uint64_t lcg = 42;
static unsigned next_word_index(unsigned n)
{
    lcg = lcg * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((lcg >> 33) % n);
}

static const char *vocab[] = {
    "harbour", "council", "budget", "river", "school", "minister", "storm", "vote",
    "factory", "union", "court", "judge", "bridge", "train", "police", "market",
    "price", "farmers", "drought", "wheat", "hospital", "nurses", "strike", "airport",
    "pilots", "museum", "painting", "festival", "mayor", "election", "ballot", "rail",
    "tunnel", "engineers", "fire", "forest", "village", "mountain", "snow", "road",
    "bank", "rate", "inflation", "export", "port", "ship", "cargo", "fishing",
    "quota", "treaty", "border", "talks", "summit", "leaders", "climate", "energy",
    "solar", "wind", "grid", "outage", "water", "pipe", "repair", "contract"};

static void make_story(char *out, size_t cap)
{
    size_t len = 0;
    for (int para = 0; para < 3; para++) {
        for (int w = 0; w < 22 && len + 20 < cap; w++)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", w ? " " : "",
                                    vocab[next_word_index(sizeof vocab / sizeof vocab[0])]);
        len += (size_t)snprintf(out + len, cap - len, ".\n\n");
    }
}

static const char *outlet_names[5] = {"Harbor Daily", "Ridge Courier", "Valley Post",
                                      "Coast Ledger", "Metro Sun"};

static void wrap(char *out, size_t cap, const char *story, int outlet)
{
    const char *o = outlet_names[outlet];
    char paras[3][400];
    const char *p = story;
    for (int i = 0; i < 3; i++) {
        const char *e = strstr(p, "\n\n");
        snprintf(paras[i], sizeof paras[i], "%.*s", (int)(e - p), p);
        p = e + 2;
    }
    snprintf(out, cap,
             "By %s staff and wire reports\nShare this story with friends and family on social media\n"
             "%s\nAdvertisement\n%s\nFollow %s on every platform for the latest breaking news updates\n"
             "%s\nSign up for the %s morning newsletter delivered free to your inbox every weekday\n"
             "Copyright 2026 %s all rights reserved including the right of reproduction\n"
             "Read the full %s guide to local events weather traffic and sport this weekend\n",
             o, paras[0], paras[1], o, paras[2], o, o, o);
}

static void heavy_templates(bool learn, syndic_quality *q, size_t *clusters_of_five)
{
    static char stories[30][1400], texts[50][3000], ids[50][32];
    uint32_t truth[50];
    lcg = 42;
    for (int i = 0; i < 26; i++) make_story(stories[i], sizeof stories[i]);
    size_t n = 0;
    for (int s = 0; s < 6; s++)
        for (int o = 0; o < 5; o++) {
            wrap(texts[n], sizeof texts[n], stories[s], o);
            snprintf(ids[n], sizeof ids[n], "shared%d-%d", s, o);
            truth[n++] = (uint32_t)s;
        }
    for (int o = 0; o < 5; o++)
        for (int k = 0; k < 4; k++) {
            wrap(texts[n], sizeof texts[n], stories[6 + o * 4 + k], o);
            snprintf(ids[n], sizeof ids[n], "own%d-%d", o, k);
            truth[n] = (uint32_t)(6 + o * 4 + k);
            n++;
        }
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_templates *t = NULL;
    syndic_batch *b;
    if (learn) {
        ck_assert_int_eq(syndic_templates_new(&t, &p, 3), SYNDIC_OK);
        for (size_t i = 0; i < n; i++) {
            syndic_doc d = SYNDIC_DOC_INIT;
            d.id = ids[i]; d.id_len = test_len(d.id); d.text = texts[i]; d.text_len = test_len(d.text); d.outlet = outlet_names[i < 30 ? i % 5 : (i - 30) / 4]; d.outlet_len = test_len(d.outlet);
            ck_assert_int_eq(syndic_templates_observe(t, &d), SYNDIC_OK);
        }
        ck_assert_int_eq(syndic_templates_finish(t), SYNDIC_OK);
        /* Its seven lines per outlet, nothing else. */
        ck_assert_uint_eq(syndic_templates_count(t), 5 * 7);
    }
    syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
    o.templates = t;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_OK);
    for (size_t i = 0; i < n; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = ids[i]; d.id_len = test_len(d.id); d.text = texts[i]; d.text_len = test_len(d.text); d.outlet = outlet_names[i < 30 ? i % 5 : (i - 30) / 4]; d.outlet_len = test_len(d.outlet);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);
    uint32_t pred[50];
    *clusters_of_five = 0;
    for (size_t c = 0; c < syndic_batch_cluster_count(b); c++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, c);
        *clusters_of_five += cl->size == 5;
        for (uint32_t m = 0; m < cl->size; m++) pred[cl->members[m].doc] = (uint32_t)c;
    }
    ck_assert_int_eq(syndic_quality_compute(q, pred, truth, n), SYNDIC_OK);
    syndic_batch_free(b);
    syndic_templates_free(t);
}

START_TEST(test_heavy_templates)
{
    syndic_quality with, without;
    size_t fives_with, fives_without;
    heavy_templates(false, &without, &fives_without);
    heavy_templates(true, &with, &fives_with);
    fprintf(stderr, "heavy templates: pairwise P/R without learning %.3f/%.3f, with %.3f/%.3f\n",
            without.precision, without.recall, with.precision, with.recall);
    ck_assert_msg(with.precision == 1.0 && with.recall == 1.0,
                  "with templates: P %.3f R %.3f", with.precision, with.recall);
    ck_assert_uint_eq(fives_with, 6);
    ck_assert_msg(without.precision < 1.0, "templates should have merged different stories");
}
END_TEST

/* ---- threads ---- */

/* A few dozen documents: copies of the two stories under other ids, some
 * wordless, each with a title and an outlet. */
static void add_docs(syndic_batch *b, int count, int *status)
{
    char id[32], title[64];
    for (int i = 0; i < count && *status == SYNDIC_OK; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        snprintf(id, sizeof id, "d%03d", i);
        snprintf(title, sizeof title, "Title number %d of %s", i, i % 2 ? "rates" : "floods");
        d.id = id; d.id_len = test_len(d.id);
        d.title = title; d.title_len = test_len(d.title);
        d.outlet = i % 3 ? "Harbor Daily" : "Metro Sun"; d.outlet_len = test_len(d.outlet);
        d.text = i % 7 == 6 ? "!!! ---" : i % 2 ? story_a : story_b; d.text_len = test_len(d.text);
        *status = syndic_batch_add(b, &d);
    }
}

/* Texts spooled to a temporary file give the analysis of texts kept in
 * memory, story by story and diff by diff, whether analysed whole or one
 * cluster at a time, on one thread or two. */
static void same_story(const syndic_story *x, const syndic_story *y)
{
    ck_assert_uint_eq(x->cluster, y->cluster);
    ck_assert_uint_eq(x->size, y->size);
    ck_assert_uint_eq(x->outlets, y->outlets);
    for (uint32_t i = 0; i < x->size; i++) {
        const syndic_copy *a = &x->copies[i], *b = &y->copies[i];
        ck_assert_uint_eq(a->doc, b->doc);
        ck_assert_int_eq(a->source, b->source);
        ck_assert_int_eq(a->edit, b->edit);
        ck_assert_uint_eq(a->kept, b->kept);
        ck_assert_uint_eq(a->removed, b->removed);
        ck_assert_uint_eq(a->added, b->added);
        ck_assert_uint_eq(a->diff_count, b->diff_count);
        for (uint32_t k = 0; k < a->diff_count; k++) {
            ck_assert_int_eq(a->diff[k].op, b->diff[k].op);
            ck_assert_uint_eq(a->diff[k].len, b->diff[k].len);
            ck_assert(memcmp(a->diff[k].text, b->diff[k].text, a->diff[k].len) == 0);
        }
    }
}

START_TEST(test_spooled_texts)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    for (unsigned threads = 1; threads <= 2; threads++) {
        syndic_batch *mem, *spool;
        syndic_batch_options om = SYNDIC_BATCH_OPTIONS_INIT, os = SYNDIC_BATCH_OPTIONS_INIT;
        om.keep_texts = os.keep_texts = 1;
        os.spool = 1;
        om.threads = os.threads = threads;
        ck_assert_int_eq(syndic_batch_new(&mem, &p, &om), SYNDIC_OK);
        ck_assert_int_eq(syndic_batch_new(&spool, &p, &os), SYNDIC_OK);
        int st = SYNDIC_OK;
        add_docs(mem, 30, &st);
        add_docs(spool, 30, &st);
        ck_assert_int_eq(st, SYNDIC_OK);
        ck_assert_int_eq(syndic_batch_cluster(mem), SYNDIC_OK);
        ck_assert_int_eq(syndic_batch_cluster(spool), SYNDIC_OK);
        ck_assert_ptr_nonnull(syndic_batch_text(mem, 0, NULL));
        ck_assert_ptr_null(syndic_batch_text(spool, 0, NULL));
        size_t n = syndic_batch_cluster_count(mem);
        ck_assert_uint_eq(n, syndic_batch_cluster_count(spool));
        ck_assert_uint_ge(syndic_batch_cluster_at(mem, 0)->size, 2);
        syndic_analysis *whole, *part;
        ck_assert_int_eq(syndic_analysis_new(&whole, mem), SYNDIC_OK);
        for (size_t i = 0; i < n; i++) {
            ck_assert_int_eq(syndic_analysis_new_range(&part, spool, i, 1), SYNDIC_OK);
            ck_assert_ptr_null(syndic_analysis_story(part, i + 1));
            if (i) ck_assert_ptr_null(syndic_analysis_story(part, i - 1));
            same_story(syndic_analysis_story(whole, i), syndic_analysis_story(part, i));
            syndic_analysis_free(part);
        }
        ck_assert_int_eq(syndic_analysis_new(&part, spool), SYNDIC_OK);
        for (size_t i = 0; i < n; i++)
            same_story(syndic_analysis_story(whole, i), syndic_analysis_story(part, i));
        syndic_analysis_free(part);
        syndic_analysis_free(whole);
        /* Ranges past the end are refused; an empty one at the end is not. */
        ck_assert_int_eq(syndic_analysis_new_range(&part, spool, n, 1), SYNDIC_EINVAL);
        ck_assert_int_eq(syndic_analysis_new_range(&part, spool, n + 1, 0), SYNDIC_EINVAL);
        ck_assert_int_eq(syndic_analysis_new_range(&part, spool, n, 0), SYNDIC_OK);
        ck_assert_ptr_null(syndic_analysis_story(part, 0));
        syndic_analysis_free(part);
        syndic_batch_free(mem);
        syndic_batch_free(spool);
    }
    /* A directory that cannot hold the file: an error naming it. */
    syndic_batch *b = (syndic_batch *)&p; /* set to NULL on failure */
    syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
    o.keep_texts = o.spool = 1;
    o.spool_dir = "/nonexistent/syndic-dir";
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_EIO);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "/nonexistent/syndic-dir"));
    /* Options of another version, and templates both given and learned. */
    o = (syndic_batch_options)SYNDIC_BATCH_OPTIONS_INIT;
    o.version = 99;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_EINVAL);
    ck_assert_int_eq(syndic_batch_options_init(&o, 99), SYNDIC_EINVAL);
    ck_assert_uint_eq(o.version, 99); /* left unchanged */
    ck_assert_int_eq(syndic_batch_options_init(&o, SYNDIC_BATCH_OPTIONS_VERSION), SYNDIC_OK);
    ck_assert_uint_eq(o.threads, 1);
    o.template_docs = 1;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_EINVAL);
    syndic_templates *t = NULL;
    ck_assert_int_eq(syndic_templates_new(&t, &p, 3), SYNDIC_OK);
    ck_assert_int_eq(syndic_templates_finish(t), SYNDIC_OK);
    o.templates = t;
    o.template_docs = 3;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_EINVAL);
    syndic_templates_free(t);
}
END_TEST

START_TEST(test_threads_api)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *one, *two;
    syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
    ck_assert_int_eq(syndic_batch_new(&one, &p, NULL), SYNDIC_OK);
    ck_assert_uint_eq(syndic_batch_threads(one), 1);
    o.threads = 0; /* online CPUs */
    ck_assert_int_eq(syndic_batch_new(&two, &p, &o), SYNDIC_OK);
    ck_assert_uint_ge(syndic_batch_threads(two), 1);
    syndic_batch_free(two);
    o.threads = 3;
    ck_assert_int_eq(syndic_batch_new(&two, &p, &o), SYNDIC_OK);
    ck_assert_int_eq(syndic__batch_set_chunk(two, 3, 1 << 20), SYNDIC_OK); /* threads again */
    ck_assert_uint_eq(syndic_batch_threads(two), 3);
    ck_assert_int_eq(syndic_batch_flush(one), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_flush(two), SYNDIC_OK); /* nothing queued */
    int st1 = SYNDIC_OK, st2 = SYNDIC_OK;
    add_docs(one, 40, &st1);
    add_docs(two, 40, &st2);
    ck_assert_int_eq(st1, SYNDIC_OK);
    ck_assert_int_eq(st2, SYNDIC_OK);
    /* A duplicate is refused on the caller's thread, as on one thread. */
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = "d001"; d.id_len = test_len(d.id);
    d.text = story_a; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_batch_add(two, &d), SYNDIC_EDUPLICATE);
    /* Accessors wait for the queued work: no flush before them. */
    const unsigned k = syndic_batch_params(one)->num_hashes;
    for (size_t i = 0; i < 40; i++) {
        ck_assert_uint_eq(syndic_batch_doc(two, i)->shingles, syndic_batch_doc(one, i)->shingles);
        ck_assert_int_eq(memcmp(syndic_batch_signature(two, i), syndic_batch_signature(one, i),
                                k * sizeof(uint32_t)), 0);
    }
    ck_assert_uint_eq(syndic_batch_get_stats(two)->empty, syndic_batch_get_stats(one)->empty);
    ck_assert_uint_eq(syndic_batch_get_stats(two)->empty, 5);
    ck_assert_int_eq(syndic_batch_flush(two), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_cluster(one), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_cluster(two), SYNDIC_OK);
    char a[4096], b[4096];
    render(one, a, sizeof a);
    render(two, b, sizeof b);
    ck_assert_str_eq(a, b);
    syndic_batch_free(one);
    syndic_batch_free(two);
    /* Freeing a batch with work still queued joins its workers. */
    o.threads = 2;
    ck_assert_int_eq(syndic_batch_new(&two, &p, &o), SYNDIC_OK);
    ck_assert_int_eq(syndic__batch_set_chunk(two, 2, 1 << 20), SYNDIC_OK);
    add_docs(two, 25, &st2);
    ck_assert_int_eq(st2, SYNDIC_OK);
    syndic_batch_free(two);
}
END_TEST

/* A worker that runs out of memory: the failure comes back from the next
 * call, with the message, and sticks; nothing crashes or leaks. */
START_TEST(test_threads_worker_out_of_memory)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
    o.keep_texts = 1;
    o.threads = 2;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &o), SYNDIC_OK);
    ck_assert_int_eq(syndic__batch_set_chunk(b, 1000, (size_t)1 << 20), SYNDIC_OK); /* one chunk */
    int st = SYNDIC_OK;
    add_docs(b, 10, &st);
    ck_assert_int_eq(st, SYNDIC_OK);
    /* The caller's thread allocates nothing more until the chunk is back:
     * the first allocation from now is the worker's. */
    syndic__alloc_fail_after(1);
    int rc = syndic_batch_flush(b);
    syndic__alloc_fail_after(0);
    ck_assert_int_eq(rc, SYNDIC_ENOMEM);
    ck_assert_msg(strstr(syndic_last_error(), "out of memory") &&
                      strstr(syndic_last_error(), "sketching document 1"),
                  "message: %s", syndic_last_error());
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = "late"; d.id_len = test_len(d.id);
    d.text = story_a; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_ENOMEM);
    ck_assert_int_eq(syndic_batch_flush(b), SYNDIC_ENOMEM);
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_ENOMEM);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "out of memory"));
    syndic_evidence ev;
    ck_assert_int_eq(syndic_batch_explain(&ev, b, 0, 1), SYNDIC_ENOMEM);
    syndic_batch_free(b);

    /* The template learner: the same. Short lines, so that the worker
     * normalizes them (learning skips lines too long to be templates). */
    syndic_templates *t;
    ck_assert_int_eq(syndic_templates_new(&t, &p, 2), SYNDIC_OK);
    d.outlet = "Harbor Daily"; d.outlet_len = test_len(d.outlet);
    d.text = "Advertisement\nFloods in Villanova\nRead more: the river rose overnight\n"; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_templates_observe(t, &d), SYNDIC_OK);
    syndic__alloc_fail_after(1);
    rc = syndic_templates_finish(t);
    syndic__alloc_fail_after(0);
    ck_assert_int_eq(rc, SYNDIC_ENOMEM);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "out of memory"));
    ck_assert_int_eq(syndic_templates_observe(t, &d), SYNDIC_ENOMEM);
    ck_assert_int_eq(syndic_templates_finish(t), SYNDIC_ENOMEM);
    syndic_templates_free(t);
}
END_TEST

/* Every allocation, the caller's or a worker's, made to fail in turn: each
 * run ends in SYNDIC_OK or SYNDIC_ENOMEM with a message, never a crash (nor
 * a leak, under the sanitizers). Which allocation is the Nth depends on the
 * scheduling; the outcome must not. */
static void sweep_outcome(int rc, unsigned long n, unsigned *ok, unsigned *failed,
                          unsigned *in_worker)
{
    ck_assert_msg(rc == SYNDIC_OK || rc == SYNDIC_ENOMEM, "n=%lu: status %d (%s)", n, rc,
                  syndic_last_error());
    if (rc == SYNDIC_OK) {
        (*ok)++;
        return;
    }
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "out of memory"));
    (*failed)++;
    *in_worker += strstr(syndic_last_error(), "(sketching document") ||
                  strstr(syndic_last_error(), "(learning templates");
}

START_TEST(test_threads_allocation_sweep)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    /* Resolved once: choosing the bands is what costs in a new batch. */
    ck_assert_int_eq(syndic_params_resolve(&p), SYNDIC_OK);
    /* Templates learned once (a finished learner is only read). */
    syndic_templates *learned;
    ck_assert_int_eq(syndic_templates_new(&learned, &p, 2), SYNDIC_OK);
    for (int i = 0; i < 30; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.outlet = i % 2 ? "Harbor Daily" : "Metro Sun"; d.outlet_len = test_len(d.outlet);
        d.text = i % 3 ? story_a : story_b; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_templates_observe(learned, &d), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_templates_finish(learned), SYNDIC_OK);
    unsigned failed = 0, ok = 0, in_worker = 0;
    for (unsigned long n = 1; n <= 200; n++) {
        syndic__alloc_fail_after(n);
        syndic_batch *b = NULL;
        syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
        o.keep_texts = 1;
        o.templates = learned;
        o.threads = 2;
        int rc = syndic_batch_new(&b, &p, &o);
        if (rc == SYNDIC_OK) rc = syndic__batch_set_chunk(b, 4, 1 << 20);
        if (rc == SYNDIC_OK) add_docs(b, 30, &rc);
        if (rc == SYNDIC_OK) rc = syndic_batch_cluster(b);
        syndic__alloc_fail_after(0);
        sweep_outcome(rc, n, &ok, &failed, &in_worker);
        if (rc == SYNDIC_OK) ck_assert_uint_eq(syndic_batch_doc_count(b), 30);
        syndic_batch_free(b);
    }
    fprintf(stderr, "threads allocation sweep, batch: %u runs ok, %u out of memory (%u in a"
            " worker)\n", ok, failed, in_worker);
    ck_assert_uint_gt(failed, 50);
    ck_assert_uint_gt(ok, 0);
    syndic_templates_free(learned);
    /* The learner on threads. */
    failed = ok = in_worker = 0;
    for (unsigned long n = 1; n <= 60; n++) {
        syndic__alloc_fail_after(n);
        syndic_templates *t = NULL;
        int rc = syndic_templates_new(&t, &p, 2);
        for (int i = 0; i < 30 && rc == SYNDIC_OK; i++) {
            syndic_doc d = SYNDIC_DOC_INIT;
            d.outlet = i % 2 ? "Harbor Daily" : "Metro Sun"; d.outlet_len = test_len(d.outlet);
            d.text = i % 3 ? story_a : story_b; d.text_len = test_len(d.text);
            rc = syndic_templates_observe(t, &d);
        }
        if (rc == SYNDIC_OK) rc = syndic_templates_finish(t);
        syndic__alloc_fail_after(0);
        sweep_outcome(rc, n, &ok, &failed, &in_worker);
        syndic_templates_free(t);
    }
    fprintf(stderr, "threads allocation sweep, templates: %u runs ok, %u out of memory (%u in a"
            " worker)\n", ok, failed, in_worker);
    ck_assert_uint_gt(failed, 10);
    ck_assert_uint_gt(ok, 0);
}
END_TEST

/* Two dividend notices from one template are nearly the same text; only
 * their headlines name different companies. Texts this short need the
 * headlines to agree; a re-send of a notice (same headline) still joins. */
START_TEST(test_short_notices_need_headlines)
{
    static const char *notice = "Qtly div 10 cts vs 10 cts prior\nPay April 15\nRecord March 31";
    struct { const char *id, *title; } docs[] = {
        {"tm1", "THOMPSON MEDICAL CO INC <TM> SETS QUARTERLY"},
        {"tm2", "THOMPSON MEDICAL CO INC <TM> DECLARES QTLY DIV"},
        {"kn1", "KNUTSON MORTGAGE CORP <KNMC> SETS QUARTERLY"},
    };
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    for (int i = 0; i < 3; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = docs[i].id; d.id_len = test_len(d.id);
        d.title = docs[i].title; d.title_len = test_len(d.title);
        d.text = notice; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    syndic_evidence ev;
    ck_assert_int_eq(syndic_batch_explain(&ev, b, 0, 1), SYNDIC_OK);
    ck_assert_int_eq(ev.verdict, SYNDIC_MATCH);
    ck_assert_int_eq(syndic_batch_explain(&ev, b, 0, 2), SYNDIC_OK);
    ck_assert_int_eq(ev.verdict, SYNDIC_TOO_LITTLE_SHARED);
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);
    const syndic_cluster *c = syndic_batch_cluster_at(b, 0);
    ck_assert_uint_eq(c->size, 2);
    ck_assert_uint_eq(syndic_batch_cluster_count(b), 2);
    syndic_batch_free(b);
}
END_TEST

/* Two days' market reports: the same sentences around other figures. The
 * figures disagree, so they are not one story; a copy that keeps the
 * figures (and rewrites "pct" as "percent") is. */
START_TEST(test_figures_must_agree)
{
    static const char *day1 =
        "The benchmark index rose 0.4 pct to 1,842.6 points on Tuesday, its third gain in a "
        "row, as banks and miners led the market higher. Turnover was 612 mln shares, against "
        "a daily average of 540 mln over the past month. The currency firmed to 1.0842 against "
        "the dollar and the ten-year bond yield eased two basis points to 3.12 pct. Dealers said "
        "investors were waiting for the central bank's rate decision on Thursday.";
    static const char *day2 =
        "The benchmark index rose 1.1 pct to 1,863.0 points on Tuesday, its third gain in a "
        "row, as banks and miners led the market higher. Turnover was 705 mln shares, against "
        "a daily average of 552 mln over the past month. The currency firmed to 1.0871 against "
        "the dollar and the ten-year bond yield eased four basis points to 3.08 pct. Dealers said "
        "investors were waiting for the central bank's rate decision on Thursday.";
    static const char *copy1 =
        "The benchmark index rose 0.4 percent to 1,842.6 points on Tuesday, its third gain in a "
        "row, as banks and miners led the market higher. Turnover was 612 million shares, "
        "against a daily average of 540 million over the past month. The currency firmed to "
        "1.0842 against the dollar and the ten-year bond yield eased two basis points to 3.12 "
        "percent.";
    const char *texts[3] = {day1, day2, copy1}, *ids[3] = {"day1", "day2", "copy1"};
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    for (int i = 0; i < 3; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = ids[i]; d.id_len = test_len(d.id);
        d.text = texts[i]; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    syndic_evidence ev;
    ck_assert_int_eq(syndic_batch_explain(&ev, b, 0, 1), SYNDIC_OK);
    ck_assert_msg(ev.jaccard >= p.threshold, "the wording alone should pass: J %.2f", ev.jaccard);
    ck_assert_int_eq(ev.verdict, SYNDIC_FIGURES_DISAGREE);
    ck_assert_int_eq(syndic_batch_explain(&ev, b, 0, 2), SYNDIC_OK);
    ck_assert_int_eq(ev.verdict, SYNDIC_MATCH);
    ck_assert(ev.figures == 1.0);
    syndic_batch_free(b);
}
END_TEST

/* Time as evidence: one outlet's identical text a day later is its next
 * daily report; another outlet's a day later is a copy; four days apart
 * nothing is one story; without dates time says nothing. */
START_TEST(test_time_gaps)
{
    struct { const char *id, *outlet, *date; } docs[] = {
        {"a", "Agency", "2026-03-02T10:30:00Z"},
        {"a-next-day", "Agency", "2026-03-03T10:30:00Z"},
        {"b-next-day", "Paper", "2026-03-03T10:30:00Z"},
        {"c-4-days", "Paper", "2026-03-06T11:00:00Z"},
        {"undated", "Paper", NULL},
    };
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    ck_assert_int_eq(syndic_batch_new(&b, &p, NULL), SYNDIC_OK);
    for (int i = 0; i < 5; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = docs[i].id; d.id_len = test_len(d.id); d.outlet = docs[i].outlet; d.outlet_len = test_len(d.outlet); d.date = docs[i].date; d.date_len = test_len(d.date); d.text = story_a; d.text_len = test_len(d.text);
        ck_assert_int_eq(syndic_batch_add(b, &d), SYNDIC_OK);
    }
    static const struct { size_t i, j; syndic_pair_verdict v; } want[] = {
        {0, 1, SYNDIC_TOO_FAR_APART}, {0, 2, SYNDIC_MATCH}, {0, 3, SYNDIC_TOO_FAR_APART},
        {0, 4, SYNDIC_MATCH}, {1, 2, SYNDIC_MATCH}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        syndic_evidence ev;
        ck_assert_int_eq(syndic_batch_explain(&ev, b, want[k].i, want[k].j), SYNDIC_OK);
        ck_assert_msg(ev.verdict == want[k].v, "%s/%s: %s", docs[want[k].i].id,
                      docs[want[k].j].id, syndic_pair_verdict_name(ev.verdict));
    }
    syndic_batch_free(b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_copies_join_stories_stay_apart);
    tcase_add_test(tc, test_order_does_not_matter);
    tcase_add_test(tc, test_duplicate_id_rejected);
    tcase_add_test(tc, test_wordless_texts_stay_singletons);
    tcase_add_test(tc, test_oversized_bucket_skipped);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_heavy_templates);
    tcase_add_test(tc, test_short_notices_need_headlines);
    tcase_add_test(tc, test_figures_must_agree);
    tcase_add_test(tc, test_time_gaps);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("threads");
    tcase_set_timeout(th, 120);
    tcase_add_test(th, test_threads_api);
    tcase_add_test(th, test_spooled_texts);
    tcase_add_test(th, test_threads_worker_out_of_memory);
    tcase_add_test(th, test_threads_allocation_sweep);
    suite_add_tcase(s, th);
    return s;
}
