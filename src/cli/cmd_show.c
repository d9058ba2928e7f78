/*
 * cmd_show.c - `syndic show REPORT [STORY]`: one story in the terminal.
 *
 * Reads a story report (the JSON Lines `syndic cluster` writes by default)
 * and draws one story for people: its spread, a timeline (time across,
 * outlets down, one mark per copy) and the copy tree (each copy under the
 * copy it came from). Without STORY it lists the stories, one per line.
 * Working from the report means no re-clustering: the report is the record.
 */
#include "cli.h"
#include "options.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: syndic show [options] REPORT [STORY]\n"
    "Show a story of a report written by 'syndic cluster' (JSON Lines; '-' for\n"
    "stdin): its timeline and copy tree. Without STORY, list the stories.\n"
    "\n"
    "  --width N   columns of the timeline (default 60, 20..400)\n"
    "  -h, --help  this help\n";

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static void list_line(json_t *story)
{
    json_t *members = json_object_get(story, "members");
    json_t *origin = json_array_get(members, 0);
    printf("%5lld  %3lld copies %3lld outlets  ", (long long)num(story, "cluster"),
           (long long)num(story, "size"), (long long)num(story, "outlets"));
    cli_text_column(stdout, str(origin, "outlet"), 24, true);
    fputs("  ", stdout);
    cli_text_column(stdout, str(origin, "title"), 60, false);
    fputc('\n', stdout);
}

/* Prints the subtree of copy `i` (children: members whose source is its id). */
static void tree(json_t *members, size_t i, const char *prefix, bool last, bool root)
{
    json_t *m = json_array_get(members, i);
    char delay[32];
    cli_duration(delay, sizeof delay, num(m, "delay_seconds"));
    printf("%s%s", prefix, root ? "" : last ? "`-- " : "|-- ");
    printf("%s  (%s", str(m, "id"), str(m, "outlet")[0] ? str(m, "outlet") : "no outlet");
    if (root) printf(", origin)\n");
    else {
        json_t *s = json_object_get(m, "sentences");
        printf(", +%s, %s: %lld kept, %lld removed, %lld added%s)\n", delay, str(m, "edit"),
               (long long)num(s, "kept"), (long long)num(s, "removed"), (long long)num(s, "added"),
               json_is_true(json_object_get(m, "headline_changed")) ? ", new headline" : "");
    }
    char sub[512];
    snprintf(sub, sizeof sub, "%s%s", prefix, root ? "" : last ? "    " : "|   ");
    size_t n = json_array_size(members), kids = 0, seen = 0;
    const char *id = str(m, "id");
    for (size_t j = 0; j < n; j++) kids += strcmp(str(json_array_get(members, j), "source"), id) == 0;
    for (size_t j = 0; j < n; j++) {
        if (strcmp(str(json_array_get(members, j), "source"), id) != 0) continue;
        tree(members, j, sub, ++seen == kids, false);
    }
}

static void show(json_t *story, int width)
{
    json_t *members = json_object_get(story, "members");
    json_t *origin = json_array_get(members, 0);
    size_t n = json_array_size(members);
    printf("story %lld: \"%s\"\n", (long long)num(story, "cluster"), str(origin, "title"));
    printf("  %lld copies in %lld outlets; first %s by %s", (long long)num(story, "size"),
           (long long)num(story, "outlets"), str(story, "first")[0] ? str(story, "first") : "(undated)",
           str(origin, "outlet")[0] ? str(origin, "outlet") : "(no outlet)");
    if (str(story, "last")[0]) printf(", last %s", str(story, "last"));
    printf("\n");
    json_t *reach = json_object_get(story, "seconds_to_reach");
    char r2[32], r5[32], r10[32];
    cli_duration(r2, sizeof r2, num(reach, "2"));
    cli_duration(r5, sizeof r5, num(reach, "5"));
    cli_duration(r10, sizeof r10, num(reach, "10"));
    printf("  time to reach 2 outlets: %s, 5: %s, 10: %s\n\n", r2, r5, r10);

    bool dated = json_is_true(json_object_get(story, "dated"));
    int64_t span = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = num(json_array_get(members, i), "delay_seconds");
        if (d > span) span = d;
    }
    char total[32];
    cli_duration(total, sizeof total, span);
    printf("timeline  %s%*s%s\n", dated ? "0" : "first", width - (dated ? 1 : 5), "",
           dated ? total : "last (input order; dates missing)");
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array_get(members, i);
        int64_t d = num(m, "delay_seconds");
        int col = !dated ? (n > 1 ? (int)((double)i * (width - 1) / (double)(n - 1)) : 0)
                         : span > 0 ? (int)((double)d * (width - 1) / (double)span) : 0;
        fputs("  ", stdout);
        cli_text_column(stdout, str(m, "outlet")[0] ? str(m, "outlet") : "(no outlet)", 24, true);
        fputs("  ", stdout);
        for (int c = 0; c < width; c++) fputc(c == col ? (i == 0 ? 'O' : '*') : '.', stdout);
        fputc('\n', stdout);
    }
    printf("\ncopy tree (each copy under the one it most likely came from)\n");
    tree(members, 0, "  ", true, true);
}

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"width", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int width = 60, opt;
    unsigned long long u;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'w':
            if (!cli_parse_uint(optarg, 400, &u) || u < 20) {
                cli_error("--width: expected a whole number in 20..400, got '%s'", optarg);
                return EXIT_USAGE;
            }
            width = (int)u;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2) {
        cli_error("show: expected REPORT [STORY]");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    long long want = -1;
    if (argc - optind == 2) {
        if (!cli_parse_uint(argv[optind + 1], 1ull << 40, &u) || u == 0) {
            cli_error("show: STORY must be a story number from the report, got '%s'",
                      argv[optind + 1]);
            return EXIT_USAGE;
        }
        want = (long long)u;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) { cli_error("%s: cannot open", path); return EXIT_RUNTIME; }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int status = want < 0 ? EXIT_OK : EXIT_RUNTIME;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t err;
        json_t *story = json_loadb(line, (size_t)len, 0, &err);
        if (!story || !json_is_array(json_object_get(story, "members")) ||
            !json_object_get(story, "origin")) {
            cli_error("%s:%lu: not a story report line (write one with 'syndic cluster'"
                      " without --no-analysis)", path, lineno);
            json_decref(story);
            status = EXIT_RUNTIME;
            break;
        }
        if (want < 0) list_line(story);
        else if (num(story, "cluster") == want) {
            show(story, width);
            status = EXIT_OK;
            json_decref(story);
            break;
        }
        json_decref(story);
    }
    if (want >= 0 && status != EXIT_OK && lineno > 0 && len <= 0)
        cli_error("%s: no story %lld (the report has %lu)", path, want, lineno);
    free(line);
    if (f != stdin) fclose(f);
    return status;
}
