/*
 * score.c - syndic_score: score any clustering against a ground truth.
 *
 *   syndic_score [--json] CLUSTERS.jsonl TRUTH.tsv
 *
 * CLUSTERS.jsonl is a clustering in syndic's report schema (syndic.cluster/1):
 * one JSON object per line with a `members` array whose elements carry an
 * `id` string; every other key is ignored, so the output of other tools can be
 * scored once written in that shape (bench/peer does). Blank lines are
 * allowed. A document of the truth listed in no cluster is a singleton.
 *
 * TRUTH.tsv is `id<TAB>story[<TAB>more columns...]`, one row per document, with
 * an optional header line whose first column is `id` (syndgen writes one).
 * The documents of the truth are the universe that is scored.
 *
 * Errors are strict and name the file and line: malformed JSON, a line that is
 * not an object, a missing or non-array `members`, a member without a string
 * `id`, an id that is not in the truth, an id listed twice (in one cluster or
 * in two), a truth row without a tab, an empty id or story, a duplicate id in
 * the truth. Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.
 *
 * Output (stdout): two lines for people, or with --json one JSON object:
 *   {"documents","stories","clusters","clustered_documents","precision",
 *    "recall","f1","ari","bcubed_precision","bcubed_recall","bcubed_f1",
 *    "true_pairs","found_pairs","correct_pairs"}
 * The scores come from syndic_quality_compute() (include/syndic.h), the same
 * function `syndic cluster --truth` uses, so the two agree for syndic's own
 * reports.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <syndic.h>

typedef struct row {
    char *id;
    char *story;
    unsigned long line; /* line in the truth file */
    uint32_t label;     /* dense story label */
    uint32_t index;     /* position in the universe (order of the file) */
} row;

static const char *prog = "syndic_score";

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fail("out of memory");
        exit(1);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

static int cmp_story(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->story, y->story);
    if (c) return c;
    return (x->index > y->index) - (x->index < y->index);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const row *)a)->id, ((const row *)b)->id);
}

/* Strip a trailing "\n" or "\r\n". */
static size_t chomp(char *s, ssize_t len)
{
    size_t n = (size_t)len;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
    return n;
}

/* Reads the truth; rows come back sorted by id, with labels. */
static int load_truth(const char *path, row **out, size_t *out_n, uint32_t *stories)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fail("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    row *r = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    unsigned long lineno = 0;
    ssize_t len;
    int rc = -1;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        size_t l = chomp(line, len);
        if (l == 0) continue;
        if (strlen(line) != l) {
            fail("%s:%lu: NUL byte in the line", path, lineno);
            goto out;
        }
        char *tab = strchr(line, '\t');
        if (!tab) {
            fail("%s:%lu: expected id<TAB>story", path, lineno);
            goto out;
        }
        *tab = 0;
        char *story = tab + 1;
        char *tab2 = strchr(story, '\t');
        if (tab2) *tab2 = 0;
        if (lineno == 1 && strcmp(line, "id") == 0) continue; /* header */
        if (!*line) {
            fail("%s:%lu: empty id", path, lineno);
            goto out;
        }
        if (!*story) {
            fail("%s:%lu: empty story for id \"%s\"", path, lineno, line);
            goto out;
        }
        if (n == UINT32_MAX) {
            fail("%s:%lu: too many rows", path, lineno);
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            r = xrealloc(r, cap * sizeof *r);
        }
        r[n].id = xstrdup(line);
        r[n].story = xstrdup(story);
        r[n].line = lineno;
        r[n].index = (uint32_t)n;
        r[n].label = 0;
        n++;
    }
    if (ferror(f)) {
        fail("%s: read error: %s", path, strerror(errno));
        goto out;
    }
    if (n == 0) {
        fail("%s: no rows", path);
        goto out;
    }
    qsort(r, n, sizeof *r, cmp_story);
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(r[i].story, r[i - 1].story) != 0) s++;
        r[i].label = s;
    }
    *stories = s + 1;
    qsort(r, n, sizeof *r, cmp_id);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(r[i].id, r[i - 1].id) == 0) {
            unsigned long a = r[i].line < r[i - 1].line ? r[i].line : r[i - 1].line;
            unsigned long b = r[i].line < r[i - 1].line ? r[i - 1].line : r[i].line;
            fail("%s:%lu: id \"%s\" appears again (first on line %lu)", path, b, r[i].id, a);
            goto out;
        }
    }
    rc = 0;
out:
    free(line);
    fclose(f);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++) {
            free(r[i].id);
            free(r[i].story);
        }
        free(r);
        return -1;
    }
    *out = r;
    *out_n = n;
    return 0;
}

/* Reads the clusters; predicted[i] gets a label for each truth row i (in
 * universe order). Unlisted documents keep UINT32_MAX until the caller fills
 * them in. */
static int load_clusters(const char *path, const row *rows, size_t n, uint32_t *predicted,
                         unsigned long *where, uint64_t *clusters, uint64_t *clustered)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fail("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_cap = 0;
    unsigned long lineno = 0;
    ssize_t len;
    int rc = -1;
    uint32_t next = 0;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        size_t l = chomp(line, len);
        size_t k = 0;
        while (k < l && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == l) continue; /* blank line */
        json_error_t err;
        json_t *o = json_loadb(line, l, JSON_REJECT_DUPLICATES, &err);
        if (!o) {
            fail("%s:%lu: malformed JSON (column %d): %s", path, lineno, err.column, err.text);
            goto out;
        }
        if (!json_is_object(o)) {
            fail("%s:%lu: not a JSON object", path, lineno);
            json_decref(o);
            goto out;
        }
        json_t *m = json_object_get(o, "members");
        if (!m) {
            fail("%s:%lu: no \"members\"", path, lineno);
            json_decref(o);
            goto out;
        }
        if (!json_is_array(m)) {
            fail("%s:%lu: \"members\" is not an array", path, lineno);
            json_decref(o);
            goto out;
        }
        if (next == UINT32_MAX) {
            fail("%s:%lu: too many clusters", path, lineno);
            json_decref(o);
            goto out;
        }
        uint32_t label = next++;
        size_t i;
        json_t *mem;
        json_array_foreach(m, i, mem) {
            json_t *id = json_is_object(mem) ? json_object_get(mem, "id") : NULL;
            if (!json_is_string(id)) {
                fail("%s:%lu: member %zu has no string \"id\"", path, lineno, i + 1);
                json_decref(o);
                goto out;
            }
            row key = {(char *)(uintptr_t)json_string_value(id), NULL, 0, 0, 0};
            const row *hit = bsearch(&key, rows, n, sizeof *rows, cmp_id);
            if (!hit) {
                fail("%s:%lu: id \"%s\" is not in the truth", path, lineno, key.id);
                json_decref(o);
                goto out;
            }
            if (predicted[hit->index] != UINT32_MAX) {
                fail("%s:%lu: id \"%s\" is listed twice (first on line %lu)", path, lineno,
                     key.id, where[hit->index]);
                json_decref(o);
                goto out;
            }
            predicted[hit->index] = label;
            where[hit->index] = lineno;
            (*clustered)++;
        }
        (*clusters)++;
        json_decref(o);
    }
    if (ferror(f)) {
        fail("%s: read error: %s", path, strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (predicted[i] == UINT32_MAX) {
            if (next == UINT32_MAX) {
                fail("%s: too many clusters", path);
                goto out;
            }
            predicted[i] = next++; /* a singleton */
        }
    rc = 0;
out:
    free(line);
    if (f != stdin) fclose(f);
    return rc;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: %s [--json] CLUSTERS.jsonl TRUTH.tsv\n"
            "Scores a clustering in syndic's JSONL schema (members[].id; unlisted documents\n"
            "are singletons) against a truth TSV (id<TAB>story...): pairwise precision,\n"
            "recall and F1, adjusted Rand index, B-cubed precision, recall and F1.\n"
            "CLUSTERS may be - for stdin.\n",
            prog);
}

int main(int argc, char **argv)
{
    int json = 0;
    const char *files[2];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != 0) {
            fail("unknown option %s", argv[i]);
            usage(stderr);
            return 2;
        } else if (nfiles < 2) files[nfiles++] = argv[i];
        else {
            fail("too many arguments");
            usage(stderr);
            return 2;
        }
    }
    if (nfiles != 2) {
        usage(stderr);
        return 2;
    }

    row *rows = NULL;
    size_t n = 0;
    uint32_t stories = 0;
    if (load_truth(files[1], &rows, &n, &stories) < 0) return 1;

    uint32_t *truth = xrealloc(NULL, n * sizeof *truth);
    uint32_t *predicted = xrealloc(NULL, n * sizeof *predicted);
    unsigned long *where = xrealloc(NULL, n * sizeof *where);
    for (size_t i = 0; i < n; i++) {
        truth[rows[i].index] = rows[i].label;
        predicted[i] = UINT32_MAX;
    }
    uint64_t clusters = 0, clustered = 0;
    int rc = 1;
    if (load_clusters(files[0], rows, n, predicted, where, &clusters, &clustered) < 0) goto out;

    syndic_quality q;
    if (syndic_quality_compute(&q, predicted, truth, n) < 0) {
        fail("%s", syndic_last_error());
        goto out;
    }
    if (json) {
        json_t *o = json_pack(
            "{s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I}",
            "documents", (json_int_t)n, "stories", (json_int_t)stories, "clusters",
            (json_int_t)clusters, "clustered_documents", (json_int_t)clustered, "precision",
            q.precision, "recall", q.recall, "f1", q.f1, "ari", q.ari, "bcubed_precision",
            q.bcubed_precision, "bcubed_recall", q.bcubed_recall, "bcubed_f1", q.bcubed_f1,
            "true_pairs", (json_int_t)q.true_pairs, "found_pairs", (json_int_t)q.found_pairs,
            "correct_pairs", (json_int_t)q.correct_pairs);
        if (!o || json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(17)) < 0) {
            fail("cannot write the JSON record");
            json_decref(o);
            goto out;
        }
        json_decref(o);
        putchar('\n');
    } else {
        printf("%zu documents, %" PRIu32 " stories in the truth; %" PRIu64
               " clusters listed (%" PRIu64 " documents)\n",
               n, stories, clusters, clustered);
        printf("pairwise precision %.4f recall %.4f F1 %.4f, ARI %.4f, B-cubed precision %.4f "
               "recall %.4f F1 %.4f\n",
               q.precision, q.recall, q.f1, q.ari, q.bcubed_precision, q.bcubed_recall,
               q.bcubed_f1);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fail("write error: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].id);
        free(rows[i].story);
    }
    free(rows);
    free(truth);
    free(predicted);
    free(where);
    return rc;
}
