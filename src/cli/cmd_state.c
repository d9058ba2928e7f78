/*
 * cmd_state.c - `syndic state DIR stats|export|verify|compact`.
 *
 * Every action but an in-place compact opens the state read-only: LMDB gives
 * each reader a snapshot of the last commit, so they run while an ingest
 * writes. An in-place compact is syndic_state_compact(): the library takes
 * the writer lock (no ingest may run) and replaces the state's data file
 * with a compacted copy. The tool knows nothing of the state's files.
 */
#include "cli.h"
#include "options.h"
#include "jsonout.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: syndic state DIR ACTION [options]\n"
    "Look into a feed-ingest state (made by 'syndic ingest --state DIR').\n"
    "\n"
    "Actions:\n"
    "  stats [--json]          counts and size\n"
    "  export [--singletons] [-o FILE]\n"
    "                          the stories as syndic.cluster/1 JSON Lines, as\n"
    "                          'syndic cluster --no-analysis' writes them (with\n"
    "                          the state's story id as \"story\")\n"
    "  verify                  check the state's integrity (exit 1 on a problem)\n"
    "  compact [DEST]          write a compacted copy to DEST, or with no DEST\n"
    "                          compact DIR in place (no ingest may be running)\n"
    "  -h, --help              this help\n";

/* ---- export ---- */

/* A stored article, copied out of the state's read snapshot. */
typedef struct member {
    syndic_doc_info info; /* id, outlet, date, title, url: owned copies */
    uint64_t story;
    uint32_t *sig;
} member;

typedef struct collected {
    member *m;
    size_t n, cap;
    unsigned k;
} collected;

static void free_member(member *m)
{
    free((char *)(uintptr_t)m->info.id);
    free((char *)(uintptr_t)m->info.outlet);
    free((char *)(uintptr_t)m->info.date);
    free((char *)(uintptr_t)m->info.title);
    free((char *)(uintptr_t)m->info.url);
    free(m->sig);
}

static int collect(void *ctx, const syndic_state_doc *d)
{
    collected *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        member *p = realloc(c->m, cap * sizeof *p);
        if (!p) return -1;
        c->m = p;
        c->cap = cap;
    }
    member *m = &c->m[c->n];
    memset(m, 0, sizeof *m);
    m->info.id = strdup(d->id);
    m->info.outlet = strdup(d->outlet);
    m->info.date = strdup(d->date);
    m->info.title = strdup(d->title);
    m->info.url = strdup(d->url);
    m->sig = malloc(c->k * sizeof *m->sig);
    if (!m->info.id || !m->info.outlet || !m->info.date || !m->info.title || !m->info.url ||
        !m->sig) {
        free_member(m);
        return -1;
    }
    memcpy(m->sig, d->signature, c->k * sizeof *m->sig);
    m->info.has_time = d->has_time;
    m->info.time = d->time;
    m->info.shingles = d->shingles;
    m->story = d->story;
    c->n++;
    return 0;
}

/* Members by (dated first, time, id), as the batch orders them. */
static int member_order(const member *x, const member *y)
{
    if (x->info.has_time != y->info.has_time) return x->info.has_time ? -1 : 1;
    if (x->info.has_time && x->info.time != y->info.time) return x->info.time < y->info.time ? -1 : 1;
    return strcmp(x->info.id, y->info.id);
}

static int cmp_by_story(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->story != y->story) return x->story < y->story ? -1 : 1;
    return member_order(x, y);
}

typedef struct group { size_t start, size; } group;
static const member *sort_members;

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return member_order(&sort_members[x->start], &sort_members[y->start]);
}

/* A story's members for the cluster writer: Jaccard against the first. */
typedef struct story_view { const member *m; unsigned k; } story_view;

static const syndic_doc_info *story_member(const void *ctx, uint32_t i, double *jaccard)
{
    const story_view *v = ctx;
    *jaccard = i == 0 ? 1.0 : syndic_signature_jaccard(v->m[0].sig, v->m[i].sig, v->k);
    return &v->m[i].info;
}

static int do_export(syndic_state *st, int argc, char **argv)
{
    bool singletons = false;
    const char *output = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--singletons") == 0) singletons = true;
        else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            output = argv[++i];
        else { cli_error("export: unknown option '%s'", argv[i]); return EXIT_USAGE; }
    }
    collected c = {NULL, 0, 0, syndic_state_params(st)->num_hashes};
    int result = EXIT_RUNTIME;
    group *groups = NULL;
    FILE *out = stdout;
    cli_json line = {0};
    if (syndic_state_foreach(st, collect, &c) != 0) {
        cli_error("export: %s", syndic_last_error()[0] ? syndic_last_error() : "out of memory");
        goto done;
    }
    if (c.n) qsort(c.m, c.n, sizeof *c.m, cmp_by_story);
    groups = malloc((c.n ? c.n : 1) * sizeof *groups);
    if (!groups) { cli_error("out of memory"); goto done; }
    size_t ng = 0;
    for (size_t i = 0; i < c.n;) {
        size_t j = i + 1;
        while (j < c.n && c.m[j].story == c.m[i].story) j++;
        groups[ng++] = (group){i, j - i};
        i = j;
    }
    sort_members = c.m;
    if (ng) qsort(groups, ng, sizeof *groups, cmp_group);
    if (output && !(out = fopen(output, "w"))) {
        cli_error("%s: %s", output, strerror(errno));
        goto done;
    }
    for (size_t g = 0; g < ng; g++) {
        if (groups[g].size < 2 && !singletons) continue;
        story_view v = {c.m + groups[g].start, c.k};
        if (cli_cluster_jsonl(out, &line, g, v.m[0].story, (uint32_t)groups[g].size, story_member,
                              &v) < 0)
            break;
    }
    if (line.oom || fflush(out) != 0 || ferror(out)) { cli_error("writing the export failed"); goto done; }
    result = EXIT_OK;
done:
    if (out && out != stdout) fclose(out);
    for (size_t i = 0; i < c.n; i++) free_member(&c.m[i]);
    free(c.m);
    free(groups);
    cli_json_free(&line);
    return result;
}

/* ---- stats ---- */

static int do_stats(syndic_state *st, const char *dir, int argc, char **argv)
{
    bool json = argc > 0 && strcmp(argv[0], "--json") == 0;
    if (argc > (json ? 1 : 0)) { cli_error("stats: unknown option '%s'", argv[json]); return EXIT_USAGE; }
    syndic_state_stats s;
    if (syndic_state_get_stats(&s, st) < 0) { cli_error("%s", syndic_last_error()); return EXIT_RUNTIME; }
    const syndic_params *p = syndic_state_params(st);
    char newest[32] = "";
    if (s.newest != INT64_MIN) cli_iso_time(newest, sizeof newest, s.newest);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "record", json_string("syndic.state_stats/1"));
        json_object_set_new(o, "documents", json_integer((json_int_t)s.documents));
        json_object_set_new(o, "stories", json_integer((json_int_t)s.stories));
        json_object_set_new(o, "postings", json_integer((json_int_t)s.postings));
        json_object_set_new(o, "template_lines", json_integer((json_int_t)s.templates));
        json_object_set_new(o, "counted_lines", json_integer((json_int_t)s.lines));
        json_object_set_new(o, "submitted", json_integer((json_int_t)s.submitted));
        json_object_set_new(o, "evicted", json_integer((json_int_t)s.evicted));
        json_object_set_new(o, "stories_ever", json_integer((json_int_t)s.stories_ever));
        json_object_set_new(o, "file_bytes", json_integer((json_int_t)s.file_bytes));
        json_object_set_new(o, "used_bytes", json_integer((json_int_t)s.used_bytes));
        json_object_set_new(o, "newest", newest[0] ? json_string(newest) : json_null());
        json_object_set_new(o, "params", cli_params_json(p));
        json_dumpf(o, stdout, JSON_COMPACT);
        json_decref(o);
        fputc('\n', stdout);
        return EXIT_OK;
    }
    printf("state %s\n", dir);
    printf("articles   %llu in the window, %llu submitted, %llu evicted\n",
           (unsigned long long)s.documents, (unsigned long long)s.submitted,
           (unsigned long long)s.evicted);
    printf("stories    %llu with articles in the window, %llu ever\n",
           (unsigned long long)s.stories, (unsigned long long)s.stories_ever);
    printf("postings   %llu LSH postings (%u bands x %u rows)\n", (unsigned long long)s.postings,
           p->bands, p->rows);
    printf("templates  %llu template lines among %llu counted short lines\n",
           (unsigned long long)s.templates, (unsigned long long)s.lines);
    printf("newest     %s\n", newest[0] ? newest : "-");
    printf("size       %.1f MiB on disk, %.1f MiB in use (%.0f bytes per article)\n",
           (double)s.file_bytes / 1048576.0, (double)s.used_bytes / 1048576.0,
           s.documents ? (double)s.used_bytes / (double)s.documents : 0.0);
    fputs("params     ", stdout);
    cli_params_line(stdout, p);
    fputc('\n', stdout);
    return EXIT_OK;
}

/* ---- compact ---- */

static int do_compact(syndic_state **st, const char *dir, int argc, char **argv)
{
    if (argc > 1) { cli_error("compact: expected at most one DEST"); return EXIT_USAGE; }
    if (argc == 1) {
        if (syndic_state_copy(*st, argv[0]) < 0) { cli_error("%s", syndic_last_error()); return EXIT_RUNTIME; }
        return EXIT_OK;
    }
    /* In place: the library takes the writer lock and opens the state
     * itself; this reader must not hold the old file meanwhile. */
    syndic_state_free(*st);
    *st = NULL;
    uint64_t before, after;
    if (syndic_state_compact(&before, &after, dir) < 0) {
        cli_error("%s", syndic_last_error());
        return EXIT_RUNTIME;
    }
    printf("compacted %s: %.1f MiB -> %.1f MiB\n", dir, (double)before / 1048576.0,
           (double)after / 1048576.0);
    return EXIT_OK;
}

int cmd_state(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc < 3) { fputs(usage, stderr); return EXIT_USAGE; }
    const char *dir = argv[1], *action = argv[2];
    if (strcmp(action, "stats") && strcmp(action, "export") && strcmp(action, "verify") &&
        strcmp(action, "compact")) {
        cli_error("state: unknown action '%s'", action);
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    syndic_state_options so = SYNDIC_STATE_OPTIONS_INIT;
    so.read_only = 1;
    syndic_state *st;
    if (syndic_state_open(&st, dir, NULL, &so) < 0) {
        cli_error("%s", syndic_last_error());
        return EXIT_RUNTIME;
    }
    int rc;
    if (strcmp(action, "stats") == 0) rc = do_stats(st, dir, argc - 3, argv + 3);
    else if (strcmp(action, "export") == 0) rc = do_export(st, argc - 3, argv + 3);
    else if (strcmp(action, "compact") == 0) rc = do_compact(&st, dir, argc - 3, argv + 3);
    else {
        uint64_t problems;
        if (argc > 3) { cli_error("verify: no options expected"); rc = EXIT_USAGE; }
        else if (syndic_state_verify(&problems, st) < 0) {
            cli_error("%s", syndic_last_error());
            rc = EXIT_RUNTIME;
        } else if (problems) {
            cli_error("%s: %llu problems; the first: %s", dir, (unsigned long long)problems,
                      syndic_last_error());
            rc = EXIT_RUNTIME;
        } else {
            printf("%s: ok\n", dir);
            rc = EXIT_OK;
        }
    }
    syndic_state_free(st);
    return rc;
}
