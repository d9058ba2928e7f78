/*
 * test_ingest.c - feed ingest (ingest.c): verdicts, persistence across
 * reopen, parameters recorded and enforced, duplicate ids, bad input,
 * eviction by window (and what a late copy gets), reopening after an
 * eviction out of story order, read-only readers beside a writer,
 * integrity check, agreement with the batch on the bundled corpus
 * in date order; the same verdicts when articles are prepared ahead of
 * their submission, when the state is closed and reopened (in-memory index
 * rebuilt) and with a transaction per article synced from another thread;
 * a lost batch; an old state format refused; compaction in place; the
 * durable pipeline: the same verdicts, in order, each after its commit,
 * held until then, and one result per document when it fails.
 */
#include "check_main.h"
#include "internal.h"
#include "test_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stories.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "%s/syndic-test-ingest-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static syndic_state *open_state(const syndic_params *p, int64_t window)
{
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.window = window;
    o.sync = 0;
    syndic_state *s = NULL;
    int rc = syndic_state_open(&s, dir, p, &o);
    ck_assert_msg(rc == SYNDIC_OK, "open: %s", syndic_last_error());
    return s;
}

static syndic_ingest_verdict submit(syndic_state *s, const char *id, const char *date,
                                    const char *text)
{
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = id; d.id_len = test_len(d.id);
    d.date = date; d.date_len = test_len(d.date);
    d.text = text; d.text_len = test_len(d.text);
    d.outlet = "Test Outlet"; d.outlet_len = test_len(d.outlet);
    syndic_ingest_verdict v;
    int rc = syndic_state_submit(&v, s, &d, 1000);
    ck_assert_msg(rc == SYNDIC_OK, "submit %s: %s", id, syndic_last_error());
    return v;
}

START_TEST(new_copy_and_persist)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 0);
    syndic_ingest_verdict v = submit(s, "a1", "2026-03-03T10:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_uint_eq(v.story, 1);
    ck_assert_str_eq(v.origin, "a1");
    v = submit(s, "b1", "2026-03-03T10:05:00Z", story_b);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_uint_eq(v.story, 2);
    char copy[2048];
    snprintf(copy, sizeof copy, "Advertisement\n%s\nRead more on our site.", story_a);
    v = submit(s, "a2", "2026-03-03T12:00:00Z", copy);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, 1);
    ck_assert_str_eq(v.origin, "a1");
    ck_assert_str_eq(v.match, "a1");
    ck_assert(v.jaccard > 0.5 && v.containment > 0.8);
    ck_assert_uint_eq(v.story_size, 2);
    ck_assert_uint_eq(syndic_state_pending(s), 3);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    /* Not committed: dropped on close. */
    submit(s, "b2", "2026-03-03T12:00:00Z", story_b);
    syndic_state_free(s);

    s = open_state(&p, 0);
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
    ck_assert_uint_eq(st.documents, 3);
    ck_assert_uint_eq(st.stories, 2);
    ck_assert_uint_eq(st.postings, 3 * (uint64_t)syndic_state_params(s)->bands);
    /* A re-submitted id: the stored verdict again, nothing stored. */
    v = submit(s, "a2", "2026-03-03T12:00:00Z", copy);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_DUPLICATE);
    ck_assert_int_eq(v.first, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, 1);
    ck_assert_str_eq(v.match, "a1");
    ck_assert_uint_eq(syndic_state_pending(s), 0);
    /* b2 was never committed: it is new to the state, a copy of b1. */
    v = submit(s, "b2", "2026-03-03T12:00:00Z", story_b);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, 2);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_uint_eq(problems, 0);
    syndic_state_free(s);
    remove_dir();
}
END_TEST

START_TEST(params_mismatch)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 0);
    syndic_state_free(s);
    p.threshold = 0.3;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(syndic_last_error(), "threshold 0.25, not 0.3"), "%s", syndic_last_error());
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    p.seed = 7;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_EINVAL);
    ck_assert_msg(strstr(syndic_last_error(), "seed"), "%s", syndic_last_error());
    p = (syndic_params)SYNDIC_PARAMS_INIT;
    o.window = 86400;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_EINVAL);
    ck_assert_msg(strstr(syndic_last_error(), "window"), "%s", syndic_last_error());
    o = (syndic_state_options)SYNDIC_STATE_OPTIONS_INIT;
    o.template_docs = 0;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_EINVAL);
    ck_assert_msg(strstr(syndic_last_error(), "template_docs"), "%s", syndic_last_error());
    /* A reader takes the state's parameters. */
    o = (syndic_state_options)SYNDIC_STATE_OPTIONS_INIT;
    o.read_only = 1;
    ck_assert_int_eq(syndic_state_open(&s, dir, NULL, &o), SYNDIC_OK);
    ck_assert_double_eq(syndic_state_params(s)->threshold, 0.25);
    syndic_ingest_verdict v;
    syndic_doc d = SYNDIC_DOC_INIT;
    d.id = "x"; d.id_len = test_len(d.id);
    d.text = story_a; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_state_submit(&v, s, &d, 0), SYNDIC_EINVAL);
    syndic_state_free(s);
    /* Not a state. */
    char other[300];
    snprintf(other, sizeof other, "%s/none", dir);
    ck_assert_int_eq(syndic_state_open(&s, other, NULL, &o), SYNDIC_EIO);
    remove_dir();
}
END_TEST

START_TEST(bad_input)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 0);
    syndic_doc d = SYNDIC_DOC_INIT;
    syndic_ingest_verdict v;
    d.text = story_a; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_state_submit(&v, s, &d, 0), SYNDIC_EBADREC);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_REJECTED);
    ck_assert_int_eq(v.reason, SYNDIC_REJECT_MISSING_FIELD);
    d.id = ""; d.id_len = test_len(d.id);
    ck_assert_int_eq(syndic_state_submit(&v, s, &d, 0), SYNDIC_EBADREC);
    d.id = "t"; d.id_len = test_len(d.id);
    d.text = NULL; d.text_len = test_len(d.text);
    ck_assert_int_eq(syndic_state_submit(&v, s, &d, 0), SYNDIC_EBADREC);
    /* The stream goes on; a text without words is stored, never matches. */
    v = submit(s, "empty", NULL, "... --- ...");
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    v = submit(s, "empty2", NULL, "!!!");
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_uint_ne(v.story, 1);
    v = submit(s, "a", "not a date", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    uint64_t problems;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_uint_eq(problems, 0);
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* Window 2 days, max gap off so time alone decides. */
START_TEST(eviction)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.max_gap = 0;
    p.same_outlet_gap = 0;
    syndic_state *s = open_state(&p, 2 * 86400);
    syndic_ingest_verdict v = submit(s, "a1", "2026-03-01T00:00:00Z", story_a);
    uint64_t story_a_id = v.story;
    submit(s, "b1", "2026-03-01T06:00:00Z", story_b);
    /* Day 2: a copy of a keeps the story alive in the window. */
    v = submit(s, "a2", "2026-03-02T12:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    /* Day 3.5: a1 and b1 fall out of the window (newest - 2 d). */
    v = submit(s, "a3", "2026-03-03T13:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, story_a_id);
    ck_assert_str_eq(v.origin, "a1"); /* the origin's id outlives its article */
    ck_assert_str_eq(v.match, "a2");
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
    ck_assert_uint_eq(st.evicted, 2);
    ck_assert_uint_eq(st.documents, 2);
    ck_assert_uint_eq(st.stories, 1);
    /* A late copy of b, whose every article is evicted: a new story. */
    v = submit(s, "b2", "2026-03-03T14:00:00Z", story_b);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_str_eq(v.origin, "b2");
    /* An evicted id is unknown again: re-submitting a1 stores it anew, and
     * it is evicted at once by the next article (it is older than the
     * window), after being compared with what is there. */
    v = submit(s, "a1", "2026-03-01T00:00:00Z", story_a);
    ck_assert_int_ne(v.kind, SYNDIC_INGEST_DUPLICATE);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    uint64_t problems;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* Eviction goes by time, story ids by arrival: a1 (story 1) is evicted
 * while b1 (story 2, a later seq) stays, and a2, a copy of a1 stored after
 * b1, keeps story 1 alive. Reopening rebuilds the live counts in seq order,
 * meeting story 2 before story 1; that must work. */
START_TEST(reopen_after_eviction_out_of_story_order)
{
    static const char *const story_c =
        "The museum will reopen in spring with a new wing dedicated to early "
        "photography and a collection of glass plates donated by a local family "
        "who had kept them in an attic for more than a century, the director said.";
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    p.max_gap = 0;
    p.same_outlet_gap = 0;
    syndic_state *s = open_state(&p, 86400);
    syndic_ingest_verdict v = submit(s, "a1", "2026-03-01T00:00:00Z", story_a);
    ck_assert_uint_eq(v.story, 1);
    v = submit(s, "b1", "2026-03-01T12:00:00Z", story_b);
    ck_assert_uint_eq(v.story, 2);
    v = submit(s, "a2", "2026-03-01T20:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, 1);
    v = submit(s, "c1", "2026-03-02T06:00:00Z", story_c); /* a1 falls out */
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
    ck_assert_uint_eq(st.evicted, 1);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    syndic_state_free(s);
    s = open_state(&p, 86400);
    v = submit(s, "a3", "2026-03-02T07:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.story, 1);
    ck_assert_str_eq(v.match, "a2");
    ck_assert_uint_eq(v.story_size, 2);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* A reader sees the last commit while the writer holds an open batch. */
START_TEST(reader_beside_writer)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *w = open_state(&p, 0);
    submit(w, "a1", NULL, story_a);
    ck_assert_int_eq(syndic_state_commit(w), SYNDIC_OK);
    submit(w, "b1", NULL, story_b);
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.read_only = 1;
    syndic_state *r = NULL;
    ck_assert_int_eq(syndic_state_open(&r, dir, NULL, &o), SYNDIC_OK);
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, r), SYNDIC_OK);
    ck_assert_uint_eq(st.documents, 1);
    ck_assert_int_eq(syndic_state_commit(w), SYNDIC_OK);
    ck_assert_int_eq(syndic_state_get_stats(&st, r), SYNDIC_OK);
    ck_assert_uint_eq(st.documents, 2);
    /* A second writer is refused while the first is open. */
    syndic_state *w2 = NULL;
    syndic_state_options wo = SYNDIC_STATE_OPTIONS_INIT;
    ck_assert_int_eq(syndic_state_open(&w2, dir, &p, &wo), SYNDIC_EIO);
    syndic_state_free(r);
    syndic_state_free(w);
    remove_dir();
}
END_TEST

/* Eviction can leave an article of a newer story before a copy of an older
 * one (in seq order): the rebuild at open must still count every story's
 * members (it refused with "story N is gone" when the first stored article
 * was not of the oldest live story). The reopened state gives the verdicts
 * of an uninterrupted run. */
START_TEST(reopen_after_eviction)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_ingest_verdict v;
    char id[32], date[32], text[1200];
    uint64_t story[2][130];
    for (int run = 0; run < 2; run++) {
        make_dir();
        syndic_state *s = open_state(&p, 86400);
        for (int i = 0; i < 130; i++) { /* an hour apart, one outlet: a new
                                           story every 12 hours or so */
            if (run == 1 && i == 120) { /* closed and reopened */
                ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
                syndic_state_free(s);
                s = open_state(&p, 86400);
            }
            snprintf(id, sizeof id, "d%d", i);
            snprintf(date, sizeof date, "2026-03-%02dT%02d:00:00Z", 1 + i / 24, i % 24);
            snprintf(text, sizeof text, "%s Item %d.", i % 2 ? story_a : story_b, i);
            v = submit(s, id, date, text);
            story[run][i] = v.story;
        }
        ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
        uint64_t problems = 99;
        ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
        ck_assert_msg(problems == 0, "%s", syndic_last_error());
        syndic_state_free(s);
        remove_dir();
    }
    ck_assert_uint_gt(story[0][129], 4);
    for (int i = 0; i < 130; i++) ck_assert_uint_eq(story[0][i], story[1][i]);
}
END_TEST

/* Ids of the stored articles, in submission order, joined by spaces. */
static int join_id(void *ctx, const syndic_state_doc *d)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    snprintf(buf + n, 8192 - n, "%s ", d->id);
    return 0;
}

static void stored_ids(char *buf)
{
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.read_only = 1;
    syndic_state *r = NULL;
    ck_assert_int_eq(syndic_state_open(&r, dir, NULL, &o), SYNDIC_OK);
    buf[0] = 0;
    ck_assert_int_eq(syndic_state_foreach(r, join_id, buf), SYNDIC_OK);
    syndic_state_free(r);
}

/* In-place compaction: refused beside a writer; afterwards the state holds
 * the same articles, verifies, and a writer goes on with it. */
START_TEST(compact_in_place)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 86400);
    char id[32], date[32], text[1200];
    for (int i = 0; i < 120; i++) { /* an hour apart: most are evicted */
        snprintf(id, sizeof id, "d%d", i);
        snprintf(date, sizeof date, "2026-03-%02dT%02d:00:00Z", 1 + i / 24, i % 24);
        snprintf(text, sizeof text, "%s Item %d.", i % 2 ? story_a : story_b, i);
        submit(s, id, date, text);
        if (i % 10 == 9) ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    }
    uint64_t before = 0, after = 0;
    ck_assert_int_eq(syndic_state_compact(&before, &after, dir), SYNDIC_EIO);
    ck_assert_msg(strstr(syndic_last_error(), "an ingest is writing"), "%s", syndic_last_error());
    syndic_state_free(s);
    char ids_before[8192], ids_after[8192];
    stored_ids(ids_before);
    ck_assert_int_eq(syndic_state_compact(&before, &after, dir), SYNDIC_OK);
    ck_assert_uint_gt(after, 0);
    ck_assert_uint_lt(after, before); /* the evicted articles' pages are gone */
    stored_ids(ids_after);
    ck_assert_str_eq(ids_before, ids_after);
    ck_assert_ptr_nonnull(strstr(ids_after, "d119 "));
    s = open_state(&p, 86400);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    syndic_ingest_verdict v = submit(s, "d119", "2026-03-05T23:00:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_DUPLICATE);
    v = submit(s, "late", "2026-03-05T23:30:00Z", story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    syndic_state_free(s);
    /* Not a state. */
    char other[300];
    snprintf(other, sizeof other, "%s/none", dir);
    ck_assert_int_eq(syndic_state_compact(NULL, NULL, other), SYNDIC_EIO);
    ck_assert_msg(strstr(syndic_last_error(), "no state here"), "%s", syndic_last_error());
    remove_dir();
}
END_TEST

/* ---- agreement with the batch on the bundled corpus, in date order ---- */

typedef struct cdoc {
    char *id, *outlet, *date, *title, *text;
    int64_t time;
    int has_time;
} cdoc;

static int cmp_cdoc(const void *a, const void *b)
{
    const cdoc *x = a, *y = b;
    if (x->has_time != y->has_time) return x->has_time ? -1 : 1;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return strcmp(x->id, y->id);
}

static char *dup_or_null(const char *s, size_t n) { return s ? strndup(s, n ? n : strlen(s)) : NULL; }

typedef struct labels { char **ids; uint64_t *story; size_t n; } labels;

static int label(void *ctx, const syndic_state_doc *d)
{
    labels *l = ctx;
    l->ids[l->n] = strdup(d->id);
    l->story[l->n++] = d->story;
    return 0;
}

START_TEST(agrees_with_batch)
{
    make_dir();
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    syndic_reader *rd;
    ck_assert_int_eq(syndic_reader_open(&rd, SYNDIC_SOURCE_DIR "/corpus/articles.jsonl", &ro), SYNDIC_OK);
    cdoc *docs = calloc(1000, sizeof *docs);
    size_t n = 0;
    syndic_doc d;
    syndic_reject why;
    while (syndic_reader_next(&d, &why, rd) == 1) {
        ck_assert_uint_lt(n, 1000);
        cdoc *c = &docs[n++];
        c->id = dup_or_null(d.id, d.id_len);
        c->outlet = dup_or_null(d.outlet, d.outlet_len);
        c->date = dup_or_null(d.date, d.date_len);
        c->title = dup_or_null(d.title, d.title_len);
        c->text = dup_or_null(d.text, d.text_len);
        c->has_time = c->date && syndic_date_parse(&c->time, c->date, strlen(c->date)) == 0;
    }
    syndic_reader_free(rd);
    qsort(docs, n, sizeof *docs, cmp_cdoc);

    /* Batch, with templates learned from the whole corpus (as the CLI). */
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b;
    syndic_templates *t;
    ck_assert_int_eq(syndic_templates_new(&t, &p, SYNDIC_DEFAULT_TEMPLATE_DOCS), SYNDIC_OK);
    for (size_t i = 0; i < n; i++) {
        syndic_doc x;
        syndic_doc_from_strings(&x, docs[i].id, docs[i].text, docs[i].outlet, docs[i].date,
                                docs[i].title, NULL);
        ck_assert_int_eq(syndic_templates_observe(t, &x), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_templates_finish(t), SYNDIC_OK);
    syndic_batch_options bo = SYNDIC_BATCH_OPTIONS_INIT;
    bo.templates = t;
    ck_assert_int_eq(syndic_batch_new(&b, &p, &bo), SYNDIC_OK);
    syndic_state *s = open_state(&p, 0);
    for (size_t i = 0; i < n; i++) {
        syndic_doc x;
        syndic_doc_from_strings(&x, docs[i].id, docs[i].text, docs[i].outlet, docs[i].date,
                                docs[i].title, NULL);
        ck_assert_int_eq(syndic_batch_add(b, &x), SYNDIC_OK);
        syndic_ingest_verdict v;
        ck_assert_int_eq(syndic_state_submit(&v, s, &x, 1), SYNDIC_OK);
    }
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    ck_assert_int_eq(syndic_batch_cluster(b), SYNDIC_OK);

    /* Two partitions of the same ids: equal when every pair of ids is
     * together in both or apart in both. */
    labels l = {calloc(n, sizeof(char *)), calloc(n, sizeof(uint64_t)), 0};
    ck_assert_int_eq(syndic_state_foreach(s, label, &l), SYNDIC_OK);
    ck_assert_uint_eq(l.n, n);
    uint32_t *batch_label = calloc(n, sizeof *batch_label);
    for (size_t c = 0; c < syndic_batch_cluster_count(b); c++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, c);
        for (uint32_t m = 0; m < cl->size; m++) {
            const char *id = syndic_batch_doc(b, cl->members[m].doc)->id;
            for (size_t i = 0; i < n; i++)
                if (strcmp(l.ids[i], id) == 0) batch_label[i] = (uint32_t)c;
        }
    }
    size_t disagree = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if ((batch_label[i] == batch_label[j]) != (l.story[i] == l.story[j])) {
                if (disagree++ < 5)
                    fprintf(stderr, "agreement: %s and %s: batch %s, ingest %s\n", l.ids[i],
                            l.ids[j], batch_label[i] == batch_label[j] ? "together" : "apart",
                            l.story[i] == l.story[j] ? "together" : "apart");
            }
    /* docs/ingest.md: on the bundled corpus in date order the stories are
     * the batch's clusters exactly. */
    ck_assert_uint_eq(disagree, 0);
    for (size_t i = 0; i < n; i++) {
        free(l.ids[i]);
        free(docs[i].id); free(docs[i].outlet); free(docs[i].date); free(docs[i].title);
        free(docs[i].text);
    }
    free(l.ids);
    free(l.story);
    free(batch_label);
    free(docs);
    syndic_state_free(s);
    syndic_batch_free(b);
    syndic_templates_free(t);
    remove_dir();
}
END_TEST

/* ---- prepared on the side, restarted, group-committed: the same verdicts ---- */

typedef struct vrec {
    int kind;
    uint64_t story;
    uint32_t candidates, story_size;
    double jaccard;
    char match[64], origin[64];
} vrec;

static vrec keep_verdict(const syndic_ingest_verdict *v)
{
    vrec r = {(int)v->kind, v->story, v->candidates, v->story_size, v->jaccard, "", ""};
    snprintf(r.match, sizeof r.match, "%s", v->match);
    snprintf(r.origin, sizeof r.origin, "%s", v->origin);
    return r;
}

static void same_verdicts(const vrec *a, const vrec *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(a[i].kind == b[i].kind && a[i].story == b[i].story &&
                          a[i].candidates == b[i].candidates &&
                          a[i].story_size == b[i].story_size && a[i].jaccard == b[i].jaccard &&
                          strcmp(a[i].match, b[i].match) == 0 &&
                          strcmp(a[i].origin, b[i].origin) == 0,
                      "%s: verdict %zu differs", what, i);
    }
}

static cdoc *load_corpus(size_t *count)
{
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    syndic_reader *rd;
    ck_assert_int_eq(syndic_reader_open(&rd, SYNDIC_SOURCE_DIR "/corpus/articles.jsonl", &ro), SYNDIC_OK);
    cdoc *docs = calloc(1000, sizeof *docs);
    size_t n = 0;
    syndic_doc d;
    syndic_reject why;
    while (syndic_reader_next(&d, &why, rd) == 1) {
        ck_assert_uint_lt(n, 1000);
        cdoc *c = &docs[n++];
        c->id = dup_or_null(d.id, d.id_len);
        c->outlet = dup_or_null(d.outlet, d.outlet_len);
        c->date = dup_or_null(d.date, d.date_len);
        c->title = dup_or_null(d.title, d.title_len);
        c->text = dup_or_null(d.text, d.text_len);
    }
    syndic_reader_free(rd);
    *count = n;
    return docs;
}

static void free_corpus(cdoc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(docs[i].id); free(docs[i].outlet); free(docs[i].date); free(docs[i].title);
        free(docs[i].text);
    }
    free(docs);
}

static syndic_doc as_doc(const cdoc *c)
{
    syndic_doc x;
    syndic_doc_from_strings(&x, c->id, c->text, c->outlet, c->date, c->title, NULL);
    return x;
}

static void new_dir(void)
{
    remove_dir();
    make_dir();
}

START_TEST(prepared_restarted_same)
{
    make_dir();
    size_t n;
    cdoc *docs = load_corpus(&n);
    syndic_params p = SYNDIC_PARAMS_INIT;
    vrec *serial = calloc(n, sizeof *serial), *other = calloc(n, sizeof *other);
    syndic_ingest_verdict v;

    /* One call per article, in file order. */
    syndic_state *s = open_state(&p, 0);
    for (size_t i = 0; i < n; i++) {
        syndic_doc x = as_doc(&docs[i]);
        ck_assert_int_eq(syndic_state_submit(&v, s, &x, 1), SYNDIC_OK);
        serial[i] = keep_verdict(&v);
    }
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
    ck_assert_uint_gt(st.templates, 0); /* templates were learned on the way */
    syndic_state_free(s);

    /* Every article prepared before any is submitted: each prep saw no
     * template, so those whose lines became templates meanwhile must be
     * sketched again by the writer to give the same verdicts. */
    new_dir();
    s = open_state(&p, 0);
    syndic_state_prep **preps = calloc(n, sizeof *preps);
    for (size_t i = 0; i < n; i++) {
        syndic_doc x = as_doc(&docs[i]);
        ck_assert_int_eq(syndic_state_prep_new(&preps[i]), SYNDIC_OK);
        ck_assert_int_eq(syndic_state_prepare(s, preps[i], &x, 1), SYNDIC_OK);
    }
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(syndic_state_submit_prepared(&v, s, preps[i]), SYNDIC_OK);
        other[i] = keep_verdict(&v);
        /* A prep is submitted once. */
        if (i == 0) ck_assert_int_eq(syndic_state_submit_prepared(&v, s, preps[i]), SYNDIC_EBADREC);
    }
    same_verdicts(serial, other, n, "prepared ahead");
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    for (size_t i = 0; i < n; i++) syndic_state_prep_free(preps[i]);
    free(preps);
    syndic_state_free(s);

    /* Interrupted three times (closed and reopened: postings, ids and
     * template counts rebuilt from LMDB), with an uncommitted batch lost
     * each time and submitted again. */
    new_dir();
    size_t done = 0;
    for (int part = 0; part < 4; part++) {
        s = open_state(&p, 0);
        size_t end = part == 3 ? n : (size_t)(part + 1) * n / 4;
        for (; done < end; done++) {
            syndic_doc x = as_doc(&docs[done]);
            ck_assert_int_eq(syndic_state_submit(&v, s, &x, 1), SYNDIC_OK);
            other[done] = keep_verdict(&v);
        }
        ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
        for (size_t i = done; i < done + 10 && i < n; i++) { /* lost with the close */
            syndic_doc x = as_doc(&docs[i]);
            ck_assert_int_eq(syndic_state_submit(&v, s, &x, 1), SYNDIC_OK);
        }
        uint64_t problems = 99;
        ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
        ck_assert_msg(problems == 0, "%s", syndic_last_error());
        syndic_state_free(s);
    }
    same_verdicts(serial, other, n, "restarted");

    /* A transaction per article, made durable by syncs from another thread
     * (group commit). */
    new_dir();
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.sync = SYNDIC_STATE_SYNC_GROUP;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_OK);
    for (size_t i = 0; i < n; i++) {
        syndic_doc x = as_doc(&docs[i]);
        ck_assert_int_eq(syndic_state_submit(&v, s, &x, 1), SYNDIC_OK);
        other[i] = keep_verdict(&v);
        ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
        ck_assert_uint_eq(syndic_state_commits(s), i + 1);
    }
    uint64_t durable = 0;
    ck_assert_int_eq(syndic_state_sync(&durable, s), SYNDIC_OK);
    ck_assert_uint_eq(durable, n);
    same_verdicts(serial, other, n, "group commit");
    syndic_state_free(s);

    free(serial);
    free(other);
    free_corpus(docs, n);
    remove_dir();
}
END_TEST

/* ---- the durable pipeline (ingest_pipeline.c) ---- */

/* The input of the pipeline tests: the corpus in file order, with a
 * document without text (rejected by the preparation), a record a reader
 * refused (pushed as a rejection, or returned by next()), and an id sent
 * twice (a duplicate). */
enum { IN_DOC, IN_NO_TEXT, IN_REFUSED };
typedef struct input { int kind; size_t doc; } input;

static input *make_input(size_t n, size_t *count)
{
    input *in = calloc(n + 3, sizeof *in);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 10) in[m++] = (input){IN_NO_TEXT, i};
        if (i == 20) in[m++] = (input){IN_REFUSED, 0};
        in[m++] = (input){IN_DOC, i};
        if (i == 50) in[m++] = (input){IN_DOC, 3}; /* docs[3] again */
    }
    *count = m;
    return in;
}

/* The item given with an input: the input itself. */
static void *as_item(const input *in) { return (void *)(uintptr_t)in; }

static syndic_doc input_doc(const cdoc *docs, const input *in)
{
    syndic_doc x = as_doc(&docs[in->doc]);
    if (in->kind == IN_NO_TEXT) x.text = NULL;
    return x;
}

/* The verdicts of syndic_state_submit, one at a time. */
static vrec *serial_verdicts(const cdoc *docs, const input *in, size_t m)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    vrec *serial = calloc(m, sizeof *serial);
    syndic_state *s = open_state(&p, 0);
    for (size_t i = 0; i < m; i++) {
        syndic_ingest_verdict v;
        if (in[i].kind == IN_REFUSED) {
            serial[i].kind = SYNDIC_INGEST_REJECTED;
            continue;
        }
        syndic_doc x = input_doc(docs, &in[i]);
        int rc = syndic_state_submit(&v, s, &x, 1);
        ck_assert_int_eq(rc, in[i].kind == IN_NO_TEXT ? SYNDIC_EBADREC : SYNDIC_OK);
        serial[i] = keep_verdict(&v);
    }
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    syndic_state_free(s);
    return serial;
}

/* What on_result saw. */
typedef struct seen {
    const cdoc *docs;
    const input *in;
    size_t m, pulled;
    pthread_mutex_t mu;
    size_t count;          /* results so far */
    vrec *got;
    int *status;
    int bad;               /* out of order, wrong item, not yet committed */
    char why[200];
    syndic_state *reader;  /* read-only: sees the last commit */
} seen;

static void seen_init(seen *w, const cdoc *docs, const input *in, size_t m)
{
    memset(w, 0, sizeof *w);
    w->docs = docs;
    w->in = in;
    w->m = m;
    pthread_mutex_init(&w->mu, NULL);
    w->got = calloc(m, sizeof *w->got);
    w->status = calloc(m, sizeof *w->status);
}

static void seen_free(seen *w)
{
    syndic_state_free(w->reader);
    pthread_mutex_destroy(&w->mu);
    free(w->got);
    free(w->status);
}

static void open_reader(seen *w)
{
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.read_only = 1;
    ck_assert_int_eq(syndic_state_open(&w->reader, dir, NULL, &o), SYNDIC_OK);
}

static size_t seen_count(seen *w)
{
    pthread_mutex_lock(&w->mu);
    size_t n = w->count;
    pthread_mutex_unlock(&w->mu);
    return n;
}

static int on_result(void *ctx, const syndic_pipeline_result *r)
{
    seen *w = ctx;
    pthread_mutex_lock(&w->mu);
    size_t i = w->count;
    if (w->bad) goto out;
    if (i >= w->m || r->number != i || r->item != as_item(&w->in[i])) {
        w->bad = 1;
        snprintf(w->why, sizeof w->why, "result %zu: number %llu, item %p", i,
                 (unsigned long long)r->number, r->item);
        goto out;
    }
    w->status[i] = r->status;
    if (r->status == SYNDIC_OK || r->status == SYNDIC_EBADREC) {
        w->got[i] = keep_verdict(r->verdict);
        if (r->status == SYNDIC_EBADREC) w->got[i] = (vrec){SYNDIC_INGEST_REJECTED, 0, 0, 0, 0, "", ""};
        if (r->status == SYNDIC_EBADREC && w->in[i].kind == IN_REFUSED &&
            (r->verdict->reason != SYNDIC_REJECT_MALFORMED_JSON || strcmp(r->message, "refused") != 0)) {
            w->bad = 1;
            snprintf(w->why, sizeof w->why, "result %zu: reason %d, message %s", i,
                     (int)r->verdict->reason, r->message);
        }
        /* Durable: its commit is visible to a reader. */
        syndic_state_stats st;
        if (r->status == SYNDIC_OK && w->reader &&
            (syndic_state_get_stats(&st, w->reader) < 0 || st.submitted < r->verdict->seq)) {
            w->bad = 1;
            snprintf(w->why, sizeof w->why, "result %zu: article %llu delivered before its commit",
                     i, (unsigned long long)r->verdict->seq);
        }
    }
out:
    w->count++;
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* Pull mode: the input as a reader would give it. */
static int next_input(void *ctx, syndic_doc *doc, void **item, int64_t *arrival,
                      syndic_reject *why)
{
    seen *w = ctx;
    if (w->pulled == w->m) return 0;
    const input *in = &w->in[w->pulled++];
    *item = as_item(in);
    *arrival = 1;
    if (in->kind == IN_REFUSED) {
        *why = SYNDIC_REJECT_MALFORMED_JSON;
        syndic__error(SYNDIC_EBADREC, "refused");
        return SYNDIC_EBADREC;
    }
    *doc = input_doc(w->docs, in);
    return 1;
}

static void push_input(syndic_pipeline *pl, const cdoc *docs, const input *in, size_t m,
                       size_t batch)
{
    syndic_doc *xs = calloc(batch, sizeof *xs);
    void **items = calloc(batch, sizeof *items);
    for (size_t i = 0; i < m;) {
        if (in[i].kind == IN_REFUSED) {
            ck_assert_int_eq(syndic_pipeline_push_rejected(pl, SYNDIC_REJECT_MALFORMED_JSON,
                                                           "refused", as_item(&in[i])),
                             SYNDIC_OK);
            i++;
            continue;
        }
        size_t k = 0;
        for (; i + k < m && k < batch && in[i + k].kind != IN_REFUSED; k++) {
            xs[k] = input_doc(docs, &in[i + k]);
            items[k] = as_item(&in[i + k]);
        }
        size_t accepted = 0;
        if (k == 1) ck_assert_int_eq(syndic_pipeline_push(pl, &xs[0], 1, items[0]), SYNDIC_OK);
        else ck_assert_int_eq(syndic_pipeline_push_batch(pl, xs, k, 1, items, &accepted), SYNDIC_OK);
        if (k > 1) ck_assert_uint_eq(accepted, k);
        i += k;
    }
    free(xs);
    free(items);
}

/* Every verdict, in order, after its commit, as one thread submitting one
 * at a time gives them: pushed (one by one and in batches) with batched
 * commits, and pulled with group commit. */
START_TEST(pipeline_same_in_order_durable)
{
    make_dir();
    size_t n, m;
    cdoc *docs = load_corpus(&n);
    input *in = make_input(n, &m);
    vrec *serial = serial_verdicts(docs, in, m);
    syndic_params p = SYNDIC_PARAMS_INIT;
    for (int mode = 0; mode < 3; mode++) {
        new_dir();
        syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
        o.sync = mode == 2 ? SYNDIC_STATE_SYNC_GROUP : 1;
        syndic_state *s = NULL;
        ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_OK);
        seen w;
        seen_init(&w, docs, in, m);
        open_reader(&w);
        syndic_pipeline_options po = SYNDIC_PIPELINE_OPTIONS_INIT;
        po.commit_every = mode == 0 ? 7 : 50;
        po.queue = mode == 1 ? 3 : 64; /* a full queue blocks the pushes */
        po.on_result = on_result;
        po.next = mode == 2 ? next_input : NULL;
        po.ctx = &w;
        syndic_pipeline *pl = NULL;
        ck_assert_int_eq(syndic_pipeline_new(&pl, s, &po), SYNDIC_OK);
        if (mode < 2) push_input(pl, docs, in, m, mode == 0 ? 1 : 10);
        ck_assert_int_eq(syndic_pipeline_finish(pl), SYNDIC_OK);
        ck_assert_msg(!w.bad, "mode %d: %s", mode, w.why);
        ck_assert_uint_eq(w.count, m);
        for (size_t i = 0; i < m; i++)
            ck_assert_int_eq(w.status[i], in[i].kind == IN_DOC ? SYNDIC_OK : SYNDIC_EBADREC);
        same_verdicts(serial, w.got, m, mode == 0 ? "pushed" : mode == 1 ? "pushed in batches"
                                                                         : "pulled, group commit");
        syndic_pipeline_stats ps;
        ck_assert_int_eq(syndic_pipeline_get_stats(&ps, pl), SYNDIC_OK);
        ck_assert_uint_eq(ps.verdicts[0] + ps.verdicts[1] + ps.verdicts[2] + ps.verdicts[3], m);
        ck_assert_uint_eq(ps.verdicts[SYNDIC_INGEST_DUPLICATE], 1);
        ck_assert_uint_eq(ps.verdicts[SYNDIC_INGEST_REJECTED], 2);
        ck_assert_uint_eq(ps.commits, mode == 2 ? n : (n + 3 + po.commit_every - 1) / po.commit_every);
        ck_assert_uint_eq(ps.submit.count, m - 2); /* the rejections are not submitted */
        ck_assert_uint_eq(ps.verdict.count, m);
        ck_assert(ps.verdict.p50 > 0 && ps.verdict.p50 <= ps.verdict.p99 &&
                  ps.verdict.p99 <= ps.verdict.max);
        ck_assert_int_eq(syndic_pipeline_push(pl, NULL, 0, NULL), SYNDIC_EINVAL);
        syndic_pipeline_free(pl);
        /* The state is the caller's again. */
        uint64_t problems = 99;
        ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
        ck_assert_msg(problems == 0, "%s", syndic_last_error());
        syndic_state_stats st;
        ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
        ck_assert_uint_eq(st.documents, n);
        syndic_state_free(s);
        seen_free(&w);
    }
    free(serial);
    free(in);
    free_corpus(docs, n);
    remove_dir();
}
END_TEST

static void wait_count(seen *w, size_t want)
{
    for (int i = 0; i < 2000 && seen_count(w) < want; i++) usleep(5000);
    ck_assert_uint_eq(seen_count(w), want);
}

static size_t committed_docs(seen *w)
{
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, w->reader), SYNDIC_OK);
    return (size_t)st.documents;
}

/* Verdicts wait for their commit: none before commit_every are held (the
 * deadline far away); an idle input gets its verdicts after commit_ms;
 * freed before the end, the rest get a status < 0 and nothing of them is
 * stored. */
START_TEST(pipeline_holds_until_commit)
{
    make_dir();
    size_t n, m;
    cdoc *docs = load_corpus(&n);
    input *in = make_input(n, &m);
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 0);
    seen w;
    seen_init(&w, docs, in, m);
    open_reader(&w);
    syndic_pipeline_options po = SYNDIC_PIPELINE_OPTIONS_INIT;
    po.commit_every = 5;
    po.commit_ms = 3600 * 1000;
    po.on_result = on_result;
    po.ctx = &w;
    syndic_pipeline *pl = NULL;
    ck_assert_int_eq(syndic_pipeline_new(&pl, s, &po), SYNDIC_OK);
    push_input(pl, docs, in, 4, 1);
    usleep(300 * 1000);
    ck_assert_uint_eq(seen_count(&w), 0);
    ck_assert_uint_eq(committed_docs(&w), 0);
    push_input(pl, docs, in + 4, 1, 1);
    wait_count(&w, 5);
    ck_assert_uint_eq(committed_docs(&w), 5);
    push_input(pl, docs, in + 5, 3, 1); /* held: the deadline is an hour away */
    usleep(200 * 1000);
    ck_assert_uint_eq(seen_count(&w), 5);
    syndic_pipeline_free(pl); /* before the end: dropped */
    ck_assert_msg(!w.bad, "%s", w.why);
    ck_assert_uint_eq(w.count, 8);
    for (size_t i = 0; i < 8; i++) ck_assert_int_eq(w.status[i] < 0, i >= 5);
    ck_assert_uint_eq(committed_docs(&w), 5);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    seen_free(&w);

    /* An idle input: commit_ms commits what is held. */
    seen_init(&w, docs, in, m);
    open_reader(&w);
    po.commit_every = 1000;
    po.commit_ms = 50;
    ck_assert_int_eq(syndic_pipeline_new(&pl, s, &po), SYNDIC_OK);
    push_input(pl, docs, in, 3, 1); /* 0..2 again: duplicates of 0..2 */
    wait_count(&w, 3);
    ck_assert_msg(!w.bad, "%s", w.why);
    ck_assert_int_eq(w.got[0].kind, SYNDIC_INGEST_DUPLICATE);
    ck_assert_int_eq(syndic_pipeline_finish(pl), SYNDIC_OK);
    syndic_pipeline_free(pl);
    seen_free(&w);
    syndic_state_free(s);
    free(in);
    free_corpus(docs, n);
    remove_dir();
}
END_TEST

/* A fresh state whose map (256 KiB) fills after a few hundred articles. */
static syndic_state *open_small_state(void)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.sync = 0;
    o.map_size = 256 << 10;
    syndic_state *s = NULL;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_OK);
    return s;
}

/* A pipeline that fails (the state's map is full) gives every document it
 * accepted one result, in order: the committed verdicts, then status < 0
 * for the rest; pushes are refused after; what was delivered is stored. */
START_TEST(pipeline_failure_answers_all)
{
    syndic_state *s = open_small_state();
    enum { MAX = 3000 };
    input *in = calloc(MAX, sizeof *in);
    seen w;
    seen_init(&w, NULL, in, MAX);
    syndic_pipeline_options po = SYNDIC_PIPELINE_OPTIONS_INIT;
    po.commit_every = 10;
    po.on_result = on_result;
    po.ctx = &w;
    syndic_pipeline *pl = NULL;
    ck_assert_int_eq(syndic_pipeline_new(&pl, s, &po), SYNDIC_OK);
    char id[32], text[1200];
    size_t pushed = 0;
    int rc = SYNDIC_OK;
    for (; pushed < MAX; pushed++) {
        snprintf(id, sizeof id, "b%zu", pushed);
        snprintf(text, sizeof text, "%s Number %zu.", story_b, pushed);
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = id; d.id_len = test_len(d.id);
        d.text = text; d.text_len = test_len(d.text);
        if ((rc = syndic_pipeline_push(pl, &d, 1000, as_item(&in[pushed]))) < 0) break;
    }
    ck_assert_int_eq(rc, SYNDIC_EIO);
    ck_assert_msg(strstr(syndic_last_error(), "full"), "%s", syndic_last_error());
    ck_assert_int_eq(syndic_pipeline_finish(pl), SYNDIC_EIO);
    ck_assert_msg(strstr(syndic_last_error(), "full"), "%s", syndic_last_error());
    syndic_pipeline_free(pl);
    ck_assert_msg(!w.bad, "%s", w.why);
    ck_assert_uint_eq(w.count, pushed);
    size_t ok = 0;
    while (ok < pushed && w.status[ok] == SYNDIC_OK) ok++;
    ck_assert_uint_gt(ok, 0);
    ck_assert_uint_lt(ok, pushed);
    for (size_t i = ok; i < pushed; i++) ck_assert_int_eq(w.status[i], SYNDIC_EIO);
    ck_assert_uint_eq(ok % 10, 0); /* whole commits */
    syndic_state_stats st;
    ck_assert_int_eq(syndic_state_get_stats(&st, s), SYNDIC_OK);
    ck_assert_uint_eq(st.documents, ok);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    syndic_state_free(s);
    seen_free(&w);
    free(in);
    remove_dir();
}
END_TEST

/* Syncs from a second thread while the writer submits and commits. */
typedef struct syncer { syndic_state *s; _Atomic int stop; uint64_t last; int bad; } syncer;

static void *sync_loop(void *arg)
{
    syncer *y = arg;
    while (!y->stop) {
        uint64_t d = 0;
        if (syndic_state_sync(&d, y->s) != SYNDIC_OK || d < y->last) y->bad = 1;
        y->last = d;
    }
    return NULL;
}

START_TEST(sync_beside_writer)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    o.sync = SYNDIC_STATE_SYNC_GROUP;
    syndic_state *s = NULL;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_OK);
    syncer y = {s, 0, 0, 0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, sync_loop, &y), 0);
    char id[32], text[1200];
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "doc%d", i);
        snprintf(text, sizeof text, "%s Item %d.", i % 2 ? story_a : story_b, i);
        syndic_ingest_verdict v = submit(s, id, NULL, text);
        ck_assert_int_eq(v.kind, i < 2 ? SYNDIC_INGEST_NEW : SYNDIC_INGEST_COPY);
        ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    }
    y.stop = 1;
    pthread_join(t, NULL);
    ck_assert_int_eq(y.bad, 0);
    uint64_t durable;
    ck_assert_int_eq(syndic_state_sync(&durable, s), SYNDIC_OK);
    ck_assert_uint_eq(durable, 200);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_uint_eq(problems, 0);
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* A write that fails (the map is full) drops the batch; the in-memory
 * index, which already held it, is rebuilt before the next write. */
START_TEST(lost_batch_rebuilds_memory)
{
    syndic_state *s = open_small_state();
    syndic_ingest_verdict v = submit(s, "a1", NULL, story_a);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    char id[32], text[1200];
    int rc = SYNDIC_OK, i;
    for (i = 0; i < 100000 && rc == SYNDIC_OK; i++) {
        syndic_doc d = SYNDIC_DOC_INIT;
        snprintf(id, sizeof id, "b%d", i);
        snprintf(text, sizeof text, "%s Number %d.", story_b, i);
        d.id = id; d.id_len = test_len(d.id);
        d.text = text; d.text_len = test_len(d.text);
        rc = syndic_state_submit(&v, s, &d, 1000);
    }
    ck_assert_int_eq(rc, SYNDIC_EIO);
    ck_assert_msg(strstr(syndic_last_error(), "full"), "%s", syndic_last_error());
    /* The b articles are gone from LMDB and from memory: b0 is new again,
     * and a copy of a1 still finds a1. */
    v = submit(s, "b0", NULL, story_b);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_NEW);
    ck_assert_uint_eq(v.candidates, 0);
    v = submit(s, "a2", NULL, story_a);
    ck_assert_int_eq(v.kind, SYNDIC_INGEST_COPY);
    ck_assert_uint_eq(v.candidates, 1);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    uint64_t problems = 99;
    ck_assert_int_eq(syndic_state_verify(&problems, s), SYNDIC_OK);
    ck_assert_msg(problems == 0, "%s", syndic_last_error());
    syndic_state_free(s);
    remove_dir();
}
END_TEST

/* A state of format 1 (postings in LMDB) is refused with a message. */
START_TEST(old_format_refused)
{
    make_dir();
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_state *s = open_state(&p, 0);
    submit(s, "a1", NULL, story_a);
    ck_assert_int_eq(syndic_state_commit(s), SYNDIC_OK);
    syndic_state_free(s);
    /* Rewrite the header's format field in place (LMDB keeps small values
     * inline in their page; it has no checksums). */
    char path[400];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    char *data = malloc((size_t)size);
    rewind(f);
    ck_assert_uint_eq(fread(data, 1, (size_t)size, f), (size_t)size);
    int found = 0;
    for (long i = 0; i + 12 <= size; i++) {
        uint32_t fmt;
        memcpy(&fmt, data + i + 8, 4);
        if (memcmp(data + i, "SYNDICST", 8) == 0 && fmt == 2) {
            fmt = 1;
            fseek(f, i + 8, SEEK_SET);
            ck_assert_uint_eq(fwrite(&fmt, 4, 1, f), 1);
            found++;
        }
    }
    fclose(f);
    free(data);
    ck_assert_int_ge(found, 1);
    syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
    ck_assert_int_eq(syndic_state_open(&s, dir, &p, &o), SYNDIC_EINVAL);
    ck_assert_msg(strstr(syndic_last_error(), "state format 1"), "%s", syndic_last_error());
    o.read_only = 1;
    ck_assert_int_eq(syndic_state_open(&s, dir, NULL, &o), SYNDIC_EINVAL);
    remove_dir();
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ingest");
    TCase *tc = tcase_create("ingest");
    tcase_add_test(tc, new_copy_and_persist);
    tcase_add_test(tc, params_mismatch);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, eviction);
    tcase_add_test(tc, reopen_after_eviction_out_of_story_order);
    tcase_add_test(tc, reader_beside_writer);
    tcase_add_test(tc, reopen_after_eviction);
    tcase_add_test(tc, compact_in_place);
    tcase_add_test(tc, agrees_with_batch);
    tcase_add_test(tc, prepared_restarted_same);
    tcase_add_test(tc, pipeline_same_in_order_durable);
    tcase_add_test(tc, pipeline_holds_until_commit);
    tcase_add_test(tc, pipeline_failure_answers_all);
    tcase_add_test(tc, sync_beside_writer);
    tcase_add_test(tc, lost_batch_rebuilds_memory);
    tcase_add_test(tc, old_format_refused);
    suite_add_tcase(s, tc);
    return s;
}
