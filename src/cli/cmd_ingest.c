/*
 * cmd_ingest.c - `syndic ingest`: a verdict per arriving article.
 *
 * Reads JSON Lines (files, gzip, stdin) record by record, submits each to
 * the state (syndic_state_submit) and writes one JSON verdict per record in
 * input order. Verdicts are held in memory until the commit that makes their
 * articles durable: a commit happens every --commit-every articles, when the
 * oldest held verdict is --commit-ms old (checked as each record arrives),
 * and at the end of the input. (On an idle feed the held verdicts wait for
 * the next record: the reader buffers input, so a poll on stdin cannot tell
 * whether the next read would block.) So a verdict on stdout
 * always names an article that is in the state, whatever kills the process.
 *
 * A restarted run over the same input gets `duplicate` verdicts for the
 * articles already stored and goes on where the last commit ended; since a
 * verdict depends only on the state and the article, the resulting state is
 * the one an uninterrupted run would have made (tests/cli/ingest_crash.sh).
 */
#include "cli.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
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
    "  --commit-every N   commit after N articles (default 1000)\n"
    "  --commit-ms T      ... or when the oldest held verdict is T ms old\n"
    "                     (default 200)\n"
    "  --no-sync          commits survive a crash of the process, not of the\n"
    "                     machine (no fsync)\n"
    "  --map-size MIB     largest state size in MiB (default 65536)\n"
    "Input:\n"
    "  --field NAME=KEY   JSON key for NAME (id, text, outlet, date, title, url)\n"
    "  --max-line BYTES   longest record accepted (default 64 MiB)\n"
    "Templates:\n"
    "  --no-templates     do not learn and drop outlets' template lines\n"
    "  --template-docs N  a template line is seen in N articles of an outlet with\n"
    "                     different contents (default 3)\n"
    PARAM_HELP
    "The state keeps the matching parameters, --window and the template setting\n"
    "it was made with, and refuses others.\n"
    "  -q, --quiet        no summary on stderr\n"
    "  -h, --help         this help\n";

typedef struct run {
    syndic_state *state;
    unsigned long long commit_every, commit_ms;
    char *held;            /* verdict lines waiting for their commit */
    size_t held_len, held_cap;
    size_t held_count;
    double batch_start;
    uint64_t counts[4], commits;
    float *lat;            /* submit latency of each article, microseconds */
    size_t lat_count, lat_cap;
    bool failed;
} run;

static int hold(run *r, json_t *obj)
{
    char *line = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    if (!line) { cli_error("out of memory"); return -1; }
    size_t n = strlen(line);
    if (r->held_len + n + 1 > r->held_cap) {
        size_t cap = r->held_cap ? r->held_cap * 2 : 1 << 16;
        while (cap < r->held_len + n + 1) cap *= 2;
        char *p = realloc(r->held, cap);
        if (!p) { free(line); cli_error("out of memory"); return -1; }
        r->held = p;
        r->held_cap = cap;
    }
    if (r->held_count == 0) r->batch_start = cli_now();
    memcpy(r->held + r->held_len, line, n);
    r->held[r->held_len + n] = '\n';
    r->held_len += n + 1;
    r->held_count++;
    free(line);
    return 0;
}

/* Commit, then release the held verdicts. */
static int commit(run *r)
{
    if (r->held_count == 0 && syndic_state_pending(r->state) == 0) return 0;
    if (syndic_state_commit(r->state) < 0) {
        cli_error("commit: %s", syndic_last_error());
        return -1;
    }
    r->commits++;
    if (r->held_len && (fwrite(r->held, 1, r->held_len, stdout) != r->held_len || fflush(stdout))) {
        cli_error("writing verdicts: %s", strerror(errno));
        return -1;
    }
    r->held_len = 0;
    r->held_count = 0;
    return 0;
}

static int maybe_commit(run *r)
{
    if (r->held_count == 0) return 0;
    if (r->held_count >= r->commit_every ||
        (cli_now() - r->batch_start) * 1000.0 >= (double)r->commit_ms)
        return commit(r);
    return 0;
}

static json_t *verdict_json(const syndic_ingest_verdict *v)
{
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "id", json_string(v->id));
    json_object_set_new(o, "verdict", json_string(syndic_ingest_kind_name(v->kind)));
    json_object_set_new(o, "story", json_integer((json_int_t)v->story));
    json_object_set_new(o, "origin", json_string(v->origin));
    if (v->kind == SYNDIC_INGEST_DUPLICATE)
        json_object_set_new(o, "first", json_string(syndic_ingest_kind_name(v->first)));
    if (v->first == SYNDIC_INGEST_COPY) {
        json_object_set_new(o, "match", json_string(v->match));
        json_object_set_new(o, "jaccard", json_real(v->jaccard));
        json_object_set_new(o, "containment", json_real(v->containment));
    }
    if (v->kind != SYNDIC_INGEST_DUPLICATE) {
        json_object_set_new(o, "candidates", json_integer(v->candidates));
        json_object_set_new(o, "story_size", json_integer(v->story_size));
    }
    return o;
}

static int reject(run *r, const syndic_reader *rd, syndic_reject why, const char *msg)
{
    json_t *o = json_object();
    if (!o) return -1;
    json_object_set_new(o, "id", json_null());
    json_object_set_new(o, "verdict", json_string("rejected"));
    json_object_set_new(o, "reason", json_string(syndic_reject_name(why)));
    json_object_set_new(o, "input", json_string(syndic_reader_name(rd)));
    json_object_set_new(o, "line", json_integer((json_int_t)syndic_reader_line(rd)));
    json_object_set_new(o, "message", json_string(msg));
    r->counts[SYNDIC_INGEST_REJECTED]++;
    return hold(r, o);
}

static void note_latency(run *r, double seconds)
{
    if (r->lat_count == r->lat_cap) {
        size_t cap = r->lat_cap ? r->lat_cap * 2 : 1 << 16;
        float *p = realloc(r->lat, cap * sizeof *p);
        if (!p) return; /* only the summary loses detail */
        r->lat = p;
        r->lat_cap = cap;
    }
    r->lat[r->lat_count++] = (float)(seconds * 1e6);
}

static int ingest_input(run *r, const char *path, const syndic_read_options *ro)
{
    syndic_reader *rd;
    if (syndic_reader_open(&rd, path, ro) < 0) {
        cli_error("%s", syndic_last_error());
        return -1;
    }
    int result = 0;
    for (;;) {
        syndic_doc doc;
        syndic_reject why;
        int rc = syndic_reader_next(rd, &doc, &why);
        if (rc == 0) break;
        if (rc == SYNDIC_EBADREC) {
            if (reject(r, rd, why, syndic_last_error()) < 0) { result = -1; break; }
            if (maybe_commit(r) < 0) { result = -1; break; }
            continue;
        }
        if (rc == SYNDIC_EIO) {
            fprintf(stderr, "%s: warning: %s (rest of the input lost)\n", cli_program,
                    syndic_last_error());
            break;
        }
        if (rc < 0) { cli_error("%s", syndic_last_error()); result = -1; break; }
        syndic_ingest_verdict v;
        double t0 = cli_now();
        rc = syndic_state_submit(r->state, &doc, 0, &v);
        note_latency(r, cli_now() - t0);
        if (rc == SYNDIC_EBADREC) {
            if (reject(r, rd, v.reason, syndic_last_error()) < 0) { result = -1; break; }
        } else if (rc < 0) {
            cli_error("%s:%llu: %s", syndic_reader_name(rd),
                      (unsigned long long)syndic_reader_line(rd), syndic_last_error());
            result = -1;
            break;
        } else {
            r->counts[v.kind]++;
            if (hold(r, verdict_json(&v)) < 0) { result = -1; break; }
        }
        if (maybe_commit(r) < 0) { result = -1; break; }
    }
    syndic_reader_free(rd);
    return result;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double percentile(const float *v, size_t n, double q)
{
    if (!n) return 0;
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void summary(run *r, double seconds)
{
    syndic_state_stats st;
    if (syndic_state_get_stats(r->state, &st) < 0) memset(&st, 0, sizeof st);
    if (r->lat_count) qsort(r->lat, r->lat_count, sizeof *r->lat, cmp_float);
    uint64_t stored = r->counts[SYNDIC_INGEST_NEW] + r->counts[SYNDIC_INGEST_COPY];
    fprintf(stderr,
            "ingested %llu records in %.2f s (%.0f/s): new %llu, copy %llu, duplicate %llu, "
            "rejected %llu; %llu commits\n",
            (unsigned long long)(stored + r->counts[2] + r->counts[3]), seconds,
            (double)(stored + r->counts[2] + r->counts[3]) / (seconds + 1e-9),
            (unsigned long long)r->counts[0], (unsigned long long)r->counts[1],
            (unsigned long long)r->counts[2], (unsigned long long)r->counts[3],
            (unsigned long long)r->commits);
    fprintf(stderr, "submit latency: p50 %.0f us, p99 %.0f us, max %.0f us\n",
            percentile(r->lat, r->lat_count, 0.5), percentile(r->lat, r->lat_count, 0.99),
            r->lat_count ? (double)r->lat[r->lat_count - 1] : 0.0);
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
    static const struct option longopts[] = {
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
        PARAM_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    syndic_params params = SYNDIC_PARAMS_INIT;
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    syndic_state_options so = SYNDIC_STATE_OPTIONS_INIT;
    run r = {0};
    r.commit_every = 1000;
    r.commit_ms = 200;
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
            if (!cli_parse_uint(optarg, 1ull << 30, &r.commit_every) || r.commit_every < 1) {
                cli_error("--commit-every: expected a whole number >= 1, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_COMMIT_MS:
            if (!cli_parse_uint(optarg, 1ull << 30, &r.commit_ms)) {
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
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (!dir) {
        cli_error("ingest needs --state DIR");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (syndic_state_open(&r.state, dir, &params, &so) < 0) {
        cli_error("%s", syndic_last_error());
        return EXIT_RUNTIME;
    }
    double t0 = cli_now();
    int rc = 0;
    if (optind == argc) rc = ingest_input(&r, "-", &ro);
    for (int i = optind; rc == 0 && i < argc; i++) rc = ingest_input(&r, argv[i], &ro);
    if (rc == 0) rc = commit(&r);
    if (!quiet) summary(&r, cli_now() - t0);
    syndic_state_free(r.state);
    free(r.held);
    free(r.lat);
    return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}
