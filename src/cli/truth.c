/*
 * truth.c - ground truth for measuring quality: a TSV of id and story.
 *
 * Format: a header line ("id<TAB>story", more columns allowed and ignored),
 * then one line per document. Stories get dense integer labels by sorting
 * the rows on the story name, ids are then found by binary search: O(n log n)
 * for millions of rows. Documents of the batch missing from the truth are
 * counted and each becomes its own story, so they can only lower the scores.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry { char *id; char *story; uint32_t label; } entry;

static int cmp_story(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->story, ((const entry *)b)->story);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

int cli_truth_load(cli_truth *t, const char *path, const syndic_batch *b)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f) { cli_error("%s: cannot open the truth file", path); return -1; }
    entry *e = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    unsigned long lineno = 0;
    int rc = -1;
    ssize_t len;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (lineno == 1 || len == 0) continue; /* header */
        char *tab = strchr(line, '\t');
        if (!tab) { cli_error("%s:%lu: expected id<TAB>story", path, lineno); goto out; }
        *tab = 0;
        char *story = tab + 1;
        char *tab2 = strchr(story, '\t');
        if (tab2) *tab2 = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            entry *x = realloc(e, cap * sizeof *x);
            if (!x) goto oom;
            e = x;
        }
        e[n].id = strdup(line);
        e[n].story = strdup(story);
        n++;
        if (!e[n - 1].id || !e[n - 1].story) goto oom;
    }
    if (n) qsort(e, n, sizeof *e, cmp_story);
    uint32_t stories = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(e[i].story, e[i - 1].story) != 0) stories++;
        e[i].label = stories;
    }
    if (n) stories++;
    if (n) qsort(e, n, sizeof *e, cmp_id);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(e[i].id, e[i - 1].id) == 0) {
            cli_error("%s: id \"%s\" appears twice", path, e[i].id);
            goto out;
        }
    }
    size_t docs = syndic_batch_doc_count(b);
    t->label = malloc((docs ? docs : 1) * sizeof *t->label);
    if (!t->label) goto oom;
    uint32_t next = stories;
    for (size_t i = 0; i < docs; i++) {
        entry key = {(char *)(uintptr_t)syndic_batch_doc(b, i)->id, NULL, 0};
        entry *hit = n ? bsearch(&key, e, n, sizeof *e, cmp_id) : NULL;
        if (hit) t->label[i] = hit->label;
        else { t->label[i] = next++; t->missing++; }
    }
    t->stories = stories;
    rc = 0;
    goto out;
oom:
    cli_error("%s: out of memory reading the truth file", path);
out:
    for (size_t i = 0; i < n; i++) { free(e[i].id); free(e[i].story); }
    free(e);
    free(line);
    fclose(f);
    return rc;
}

void cli_truth_free(cli_truth *t)
{
    free(t->label);
    t->label = NULL;
}
