/*
 * cmd_ingest.c - `syndic ingest`: a verdict per arriving article.
 *
 * A client of the library's durable pipeline (syndic_pipeline_*, see
 * src/ingest_pipeline.c): the pipeline's preparing thread pulls records
 * from next_record() - JSON Lines from files, gzip or stdin, read here -
 * and prepares them; its writing thread submits, commits and calls
 * print_result() with each verdict once its article is durable, in input
 * order; this file writes one JSON verdict per record and the summary.
 *
 * Durability (the pipeline's): batched by default - verdicts held until a
 * commit (LMDB fsyncs in it) every --commit-every articles, when the oldest
 * held verdict is --commit-ms old (also while the input is idle), and at
 * the end; with --commit-every 1 (and syncing) the state is opened for
 * group commit: each article its own transaction, a sync thread making
 * them durable back to back. So a verdict on stdout always names an article
 * that is in the state, whatever kills the process.
 *
 * A restarted run over the same input gets `duplicate` verdicts for the
 * articles already stored and goes on where the last commit ended; since a
 * verdict depends only on the state and the article, the resulting state is
 * the one an uninterrupted run would have made (tests/cli/ingest_crash.sh).
 *
 * Verdicts are written by hand (jsonout.c, no JSON library on the hot path),
 * byte for byte in jansson's compact format.
 */
#include "cli.h"
#include "jsonout.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_STATE = 1200, OPT_COMMIT_EVERY, OPT_COMMIT_MS, OPT_WINDOW, OPT_NO_SYNC, OPT_MAP_SIZE };

static const char usage[] =
    "Usage: syndic ingest --state DIR [options] [INPUT...]\n"
    "Give each arriving article a verdict against a persistent state: new (starts a\n"
    "story), copy (of story S: origin, best match, estimated Jaccard and\n"
    "containment), duplicate (id already stored: its stored verdict) or rejected\n"
    "(bad input, with the reason). One JSON verdict per record on stdout, in input\n"
    "order, each printed only once its article is durably committed.\n"
    "\n"
    "INPUT is a JSON Lines file (plain or gzip) or '-' for stdin (the default).\n"
    "\n"
    "State:\n"
    "  --state DIR        the state directory (LMDB; created when missing)\n"
    "  --window D         evict articles older than the newest article time minus\n"
    "                     D (units s, m, h, d, w; default 0 = keep everything)\n"
    "  --commit-every N   commit after N articles (default 1000); 1 = each article\n"
    "                     its own transaction, made durable by a sync thread that\n"
    "                     syncs back to back (group commit)\n"
    "  --commit-ms T      ... or when the oldest held verdict is T ms old\n"
    "                     (default 200), also while the input is idle\n"
    "  --no-sync          commits survive a crash of the process, not of the\n"
    "                     machine (no fsync)\n"
    "  --map-size MIB     largest state size in MiB (default 65536)\n"
    "Input:\n"
    "  --field NAME=KEY   JSON key for NAME (id, text, outlet, date, title, url)\n"
    "  --max-line BYTES   longest record accepted (default 64 MiB)\n"
    "Templates:\n"
    "  --no-templates     do not learn and drop outlets' template lines\n"
    "  --template-docs N  a template line is seen in N articles of an outlet with\n"
    "                     different contents (default 3)\n";
static const char usage_tail[] =
    "The state keeps the matching parameters, --window and the template setting\n"
    "it was made with, and refuses others.\n"
    "  -q, --quiet        no summary on stderr\n"
    "  -h, --help         this help\n";

/* ---- verdicts as JSON (jsonout.c: jansson's compact format) ---- */

static void verdict_json(cli_json *b, const syndic_ingest_verdict *v)
{
    cli_json_mem(b, "{", 1);
    cli_json_key(b, "id", true);
    cli_json_str(b, v->id);
    cli_json_key(b, "verdict", false);
    cli_json_str(b, syndic_ingest_kind_name(v->kind));
    cli_json_key(b, "story", false);
    cli_json_int(b, (long long)v->story);
    cli_json_key(b, "origin", false);
    cli_json_str(b, v->origin);
    if (v->kind == SYNDIC_INGEST_DUPLICATE) {
        cli_json_key(b, "first", false);
        cli_json_str(b, syndic_ingest_kind_name(v->first));
    }
    if (v->first == SYNDIC_INGEST_COPY) {
        cli_json_key(b, "match", false);
        cli_json_str(b, v->match);
        cli_json_key(b, "jaccard", false);
        cli_json_real(b, v->jaccard);
        cli_json_key(b, "containment", false);
        cli_json_real(b, v->containment);
    }
    if (v->kind != SYNDIC_INGEST_DUPLICATE) {
        cli_json_key(b, "candidates", false);
        cli_json_int(b, v->candidates);
        cli_json_key(b, "story_size", false);
        cli_json_int(b, v->story_size);
    }
    cli_json_mem(b, "}\n", 2);
}

static void reject_json(cli_json *b, syndic_reject why, const char *input, uint64_t line,
                        const char *msg)
{
    cli_json_lit(b, "{\"id\":null,\"verdict\":\"rejected\"");
    cli_json_key(b, "reason", false);
    cli_json_str(b, syndic_reject_name(why));
    cli_json_key(b, "input", false);
    cli_json_str(b, input);
    cli_json_key(b, "line", false);
    cli_json_int(b, (long long)line);
    cli_json_key(b, "message", false);
    cli_json_str(b, msg);
    cli_json_mem(b, "}\n", 2);
}

/* ---- records in, verdicts out (the pipeline's callbacks) ---- */

/* Where a record came from, for its rejection or an error: one per record,
 * from next_record() to print_result(). */
typedef struct record {
    const char *input; /* the reader's name for its input (kept to the end) */
    uint64_t line;
} record;

typedef struct run {
    const syndic_read_options *ro;
    char **inputs;
    int input_count;
    char **names;          /* input names, freed at the end */
    /* the preparing thread's (next_record) */
    syndic_reader *rd;
    int input;             /* index of the input being read */
    /* the writing thread's (print_result) */
    cli_json line;
    bool reported;         /* an error was printed already */
} run;

/* The pipeline's next(): the records of every input, in order. */
static int next_record(void *ctx, syndic_doc *doc, void **item, int64_t *arrival,
                       syndic_reject *why)
{
    run *r = ctx;
    (void)arrival; /* 0: the arrival is when it is prepared */
    for (;;) {
        if (!r->rd) {
            if (r->input == r->input_count) return 0;
            int rc = syndic_reader_open(&r->rd, r->inputs[r->input], r->ro);
            if (rc < 0) return rc;
            r->names[r->input] = strdup(syndic_reader_name(r->rd));
        }
        int rc = syndic_reader_next(doc, why, r->rd);
        if (rc == 0 || rc == SYNDIC_EIO) {
            if (rc == SYNDIC_EIO)
                fprintf(stderr, "%s: warning: %s (rest of the input lost)\n", cli_program,
                        syndic_last_error());
            syndic_reader_free(r->rd);
            r->rd = NULL;
            r->input++;
            continue;
        }
        if (rc < 0 && rc != SYNDIC_EBADREC) return rc;
        record *rec = malloc(sizeof *rec);
        if (!rec) return SYNDIC_ENOMEM;
        rec->input = r->names[r->input] ? r->names[r->input] : r->inputs[r->input];
        rec->line = syndic_reader_line(r->rd);
        *item = rec;
        return rc;
    }
}

/* The pipeline's on_result, on its writing thread: the verdict of a
 * durable article (or a rejection) as one JSON line; stdout is flushed
 * with the last line of each commit. */
static int print_result(void *ctx, const syndic_pipeline_result *res)
{
    run *r = ctx;
    record *rec = res->item;
    cli_json *b = &r->line;
    b->len = 0;
    if (res->status == SYNDIC_OK) {
        verdict_json(b, res->verdict);
    } else if (res->status == SYNDIC_EBADREC) {
        reject_json(b, res->verdict->reason, rec->input, rec->line, res->message);
    } else {
        /* Not durable: the pipeline failed. Name the record that failed. */
        if (res->cause && rec && !r->reported) {
            cli_error("%s:%llu: %s", rec->input, (unsigned long long)rec->line, res->message);
            r->reported = true;
        }
        free(rec);
        return 0;
    }
    free(rec);
    if (b->oom) {
        cli_error("out of memory");
        r->reported = true;
        return -1;
    }
    if (fwrite(b->data, 1, b->len, stdout) != b->len || (res->last && fflush(stdout) != 0)) {
        cli_error("writing verdicts: %s", strerror(errno));
        r->reported = true;
        return -1;
    }
    return 0;
}

static void latency_line(const char *what, const syndic_latency *l)
{
    fprintf(stderr, "%s: p50 %.0f us, p99 %.0f us, max %.0f us\n", what, l->p50, l->p99, l->max);
}

static void summary(syndic_state *state, const syndic_pipeline_stats *ps, double seconds)
{
    syndic_state_stats st;
    if (syndic_state_get_stats(&st, state) < 0) memset(&st, 0, sizeof st);
    const uint64_t *n = ps->verdicts;
    uint64_t all = n[0] + n[1] + n[2] + n[3];
    fprintf(stderr,
            "ingested %llu records in %.2f s (%.0f/s): new %llu, copy %llu, duplicate %llu, "
            "rejected %llu; %llu commits\n",
            (unsigned long long)all, seconds, (double)all / (seconds + 1e-9),
            (unsigned long long)n[0], (unsigned long long)n[1], (unsigned long long)n[2],
            (unsigned long long)n[3], (unsigned long long)ps->commits);
    /* "main" is the writing thread, "reader" the reading and preparing one. */
    fprintf(stderr,
            "main thread: commits %.2f s (longest %.1f ms), waiting for input %.2f s; CPU: main "
            "%.2f s, reader %.2f s\n",
            ps->commit_seconds, ps->commit_max_seconds * 1e3, ps->wait_seconds,
            ps->writer_cpu_seconds, ps->prepare_cpu_seconds);
    latency_line("submit latency", &ps->submit);
    latency_line("prepare latency (reader thread)", &ps->prepare);
    latency_line("verdict latency (read to printed)", &ps->verdict);
    fprintf(stderr, "open: %.3f s (in-memory index rebuilt from the stored articles)\n",
            syndic_state_open_seconds(state));
    fprintf(stderr,
            "state: %llu articles in %llu stories (%llu evicted), %llu postings, %llu "
            "template lines; %.1f MiB (%.0f bytes per article)\n",
            (unsigned long long)st.documents, (unsigned long long)st.stories,
            (unsigned long long)st.evicted, (unsigned long long)st.postings,
            (unsigned long long)st.templates, (double)st.file_bytes / 1048576.0,
            st.documents ? (double)st.file_bytes / (double)st.documents : 0.0);
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option own[] = {
        {"state", required_argument, NULL, OPT_STATE},
        {"commit-every", required_argument, NULL, OPT_COMMIT_EVERY},
        {"commit-ms", required_argument, NULL, OPT_COMMIT_MS},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"no-sync", no_argument, NULL, OPT_NO_SYNC},
        {"map-size", required_argument, NULL, OPT_MAP_SIZE},
        {"field", required_argument, NULL, OPT_FIELD},
        {"max-line", required_argument, NULL, OPT_MAX_LINE},
        {"no-templates", no_argument, NULL, OPT_NO_TEMPLATES},
        {"template-docs", required_argument, NULL, OPT_TEMPLATE_DOCS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const struct option *longopts = cli_long_options(own);
    if (!longopts) return EXIT_RUNTIME;
    syndic_params params = SYNDIC_PARAMS_INIT;
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    syndic_state_options so = SYNDIC_STATE_OPTIONS_INIT;
    static run r;
    memset(&r, 0, sizeof r);
    unsigned long long commit_every = SYNDIC_DEFAULT_COMMIT_EVERY;
    unsigned long long commit_ms = SYNDIC_DEFAULT_COMMIT_MS;
    const char *dir = NULL;
    bool quiet = false;
    unsigned long long u;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        int pr = cli_param_option(&params, opt, optarg);
        if (pr < 0) return EXIT_USAGE;
        if (pr > 0) continue;
        switch (opt) {
        case OPT_STATE: dir = optarg; break;
        case OPT_COMMIT_EVERY:
            if (!cli_parse_uint(optarg, 1ull << 30, &commit_every) || commit_every < 1) {
                cli_error("--commit-every: expected a whole number >= 1, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_COMMIT_MS:
            if (!cli_parse_uint(optarg, 1ull << 30, &commit_ms)) {
                cli_error("--commit-ms: expected milliseconds, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_WINDOW:
            if (!cli_parse_duration(optarg, &so.window)) {
                cli_error("--window: expected a duration such as 12h, 7d or 2w, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_NO_SYNC: so.sync = 0; break;
        case OPT_MAP_SIZE:
            if (!cli_parse_uint(optarg, 1ull << 30, &u) || u < 1) {
                cli_error("--map-size: expected MiB, got '%s'", optarg);
                return EXIT_USAGE;
            }
            so.map_size = (uint64_t)u << 20;
            break;
        case OPT_FIELD:
            if (!cli_parse_field(&ro, optarg)) {
                cli_error("--field: expected NAME=KEY with NAME one of id, text, outlet, date, "
                          "title, url; got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_MAX_LINE:
            if (!cli_parse_uint(optarg, SIZE_MAX, &u) || u < 16) {
                cli_error("--max-line: expected a number of bytes >= 16, got '%s'", optarg);
                return EXIT_USAGE;
            }
            ro.max_line = (size_t)u;
            break;
        case OPT_NO_TEMPLATES: so.template_docs = 0; break;
        case OPT_TEMPLATE_DOCS:
            if (!cli_parse_uint(optarg, 1u << 20, &u) || u < 2) {
                cli_error("--template-docs: expected a whole number >= 2, got '%s'", optarg);
                return EXIT_USAGE;
            }
            so.template_docs = (unsigned)u;
            break;
        case 'q': quiet = true; break;
        case 'h': cli_usage(stdout, usage, usage_tail); return EXIT_OK;
        default: cli_usage(stderr, usage, usage_tail); return EXIT_USAGE;
        }
    }
    if (!dir) {
        cli_error("ingest needs --state DIR");
        cli_usage(stderr, usage, usage_tail);
        return EXIT_USAGE;
    }
    /* A commit per article, durable: group commit through a sync thread. */
    if (commit_every == 1 && so.sync) so.sync = SYNDIC_STATE_SYNC_GROUP;
    double t0 = cli_now();
    syndic_state *state = NULL;
    if (syndic_state_open(&state, dir, &params, &so) < 0) {
        cli_error("%s", syndic_last_error());
        return EXIT_RUNTIME;
    }
    static char *stdin_only[] = {"-"};
    r.ro = &ro;
    r.inputs = optind == argc ? stdin_only : argv + optind;
    r.input_count = optind == argc ? 1 : argc - optind;
    r.names = calloc((size_t)r.input_count, sizeof *r.names);
    if (!r.names) {
        cli_error("out of memory");
        syndic_state_free(state);
        return EXIT_RUNTIME;
    }
    syndic_pipeline_options po = SYNDIC_PIPELINE_OPTIONS_INIT;
    po.commit_every = (unsigned)commit_every;
    po.commit_ms = (unsigned)commit_ms;
    po.next = next_record;
    po.on_result = print_result;
    po.ctx = &r;
    syndic_pipeline *pl = NULL;
    if (syndic_pipeline_new(&pl, state, &po) < 0) {
        cli_error("%s", syndic_last_error());
        syndic_state_free(state);
        free(r.names);
        return EXIT_RUNTIME;
    }
    if (syndic_pipeline_finish(pl) < 0) {
        if (!r.reported) cli_error("%s", syndic_last_error());
        /* The reading thread may be blocked reading a live feed: the
         * process exits without waiting for it, so the pipeline and the
         * state are left. */
        fflush(stdout);
        return EXIT_RUNTIME;
    }
    syndic_pipeline_stats ps;
    syndic_pipeline_get_stats(&ps, pl);
    syndic_pipeline_free(pl);
    if (!quiet) summary(state, &ps, cli_now() - t0);
    syndic_state_free(state);
    for (int i = 0; i < r.input_count; i++) free(r.names[i]);
    free(r.names);
    cli_json_free(&r.line);
    return EXIT_OK;
}
