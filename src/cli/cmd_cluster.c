/*
 * cmd_cluster.c - `syndic cluster`: read a corpus, write its clusters.
 *
 * Reads every input in turn, skipping (and counting, and warning about) bad
 * records unless --strict, sketches each document as it is read (on
 * --threads worker threads, the reading thread queueing documents for them;
 * the output does not depend on the number), then clusters, analyses the
 * stories (on as many threads) and writes the report. The summary on stderr and the JSON stats
 * record (--stats) carry the parameters, the counts by reason and the time
 * of each stage, so any run can be reproduced and explained.
 */
#include "cli.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage[] =
    "Usage: syndic cluster [options] INPUT...\n"
    "Group copies of the same story into clusters.\n"
    "\n"
    "INPUT is a JSON Lines file (plain or gzip), '-' for stdin, a .txt file,\n"
    "or a directory of .txt files (one article per file, id = relative path).\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE  write clusters to FILE (default stdout)\n"
    "  --format F         jsonl (default), csv (a row per member), text, or html\n"
    "                     (one self-contained page: timelines, copy trees, diffs)\n"
    "  --singletons       also write clusters of one document\n"
    "  --no-analysis      plain clusters: no origin, copy tree or edits, and no\n"
    "                     texts kept in memory (for very large corpora)\n"
    "  --stats FILE       write the run's parameters, counts and times as JSON\n"
    "                     ('-' for stderr)\n"
    "  --truth FILE       score the clusters against a TSV of id<TAB>story\n"
    "  -q, --quiet        no progress and no summary on stderr\n"
    "Input:\n"
    "  --field NAME=KEY   JSON key for NAME (id, text, outlet, date, title, url),\n"
    "                     e.g. --field text=body\n"
    "  --outlet-from-dir  in directories, the first path component is the outlet\n"
    "  --max-line BYTES   longest record accepted (default 64 MiB)\n"
    "  --strict           stop at the first bad record (exit 1)\n"
    "  --max-warnings N   print at most N warnings about bad records (default 20)\n"
    "  --threads N        sketch, learn templates and analyse on N threads; the\n"
    "                     output is the same for any N (default: the online CPUs;\n"
    "                     0 = them)\n"
    "Templates:\n"
    "  --no-templates     do not learn and drop outlets' template lines\n"
    "  --template-docs N  a template line is seen in N documents of an outlet\n"
    "                     with different contents (default 3)\n";
static const char usage_tail[] = "  -h, --help         this help\n";

typedef struct run {
    syndic_batch *batch;
    uint64_t rejected[SYNDIC_REJECT_COUNT];
    uint64_t rejected_total, io_errors, records;
    unsigned long long max_warnings, warnings;
    bool strict, quiet, progress;
    const syndic_templates *templates; /* learned in the pass, or NULL */
    unsigned threads;
    double start, last_progress, templates_s, analysis_s;
    uint64_t bytes_done; /* bytes of finished inputs */
} run;

static void warn_record(run *r, const char *msg)
{
    if (r->warnings++ < r->max_warnings) {
        if (r->progress) fputs("\r\033[K", stderr);
        fprintf(stderr, "%s: warning: %s (skipped)\n", cli_program, msg);
        if (r->warnings == r->max_warnings)
            fprintf(stderr, "%s: further warnings are not shown; the summary counts them\n",
                    cli_program);
    }
}

static void show_progress(run *r, const syndic_reader *rd, bool force)
{
    if (!r->progress) return;
    double t = cli_now();
    if (!force && (t - r->start < 1.0 || t - r->last_progress < 0.25)) return;
    r->last_progress = t;
    double mb = (double)(r->bytes_done + syndic_reader_bytes(rd)) / 1e6;
    fprintf(stderr, "\r\033[Kreading %s: %llu documents, %.1f MB, %.1f MB/s",
            syndic_reader_name(rd), (unsigned long long)r->records, mb,
            mb / (t - r->start + 1e-9));
}

static int read_input(run *r, const char *path, const syndic_read_options *ro)
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
        int rc = syndic_reader_next(&doc, &why, rd);
        if (rc == 0) break;
        if (rc == 1) {
            r->records++;
            rc = syndic_batch_add(r->batch, &doc);
            if (rc == SYNDIC_EDUPLICATE) {
                why = SYNDIC_REJECT_DUPLICATE_ID;
                char msg[400];
                snprintf(msg, sizeof msg, "%s:%llu: %s", syndic_reader_name(rd),
                         (unsigned long long)syndic_reader_line(rd), syndic_last_error());
                rc = SYNDIC_EBADREC;
                if (r->strict) { cli_error("%s", msg); result = -1; break; }
                r->rejected[why]++;
                r->rejected_total++;
                warn_record(r, msg);
                continue;
            }
            if (rc < 0) {
                cli_error("%s:%llu: %s", syndic_reader_name(rd),
                          (unsigned long long)syndic_reader_line(rd), syndic_last_error());
                result = -1;
                break;
            }
            show_progress(r, rd, false);
            continue;
        }
        if (rc == SYNDIC_EBADREC) {
            if (r->strict) { cli_error("%s", syndic_last_error()); result = -1; break; }
            r->rejected[why]++;
            r->rejected_total++;
            warn_record(r, syndic_last_error());
            continue;
        }
        if (rc == SYNDIC_EIO) {
            /* The input cannot be read further; what came before is kept. */
            r->io_errors++;
            if (r->strict) { cli_error("%s", syndic_last_error()); result = -1; break; }
            if (r->progress) fputs("\r\033[K", stderr);
            fprintf(stderr, "%s: warning: %s (rest of the input lost)\n", cli_program,
                    syndic_last_error());
            break;
        }
        cli_error("%s", syndic_last_error());
        result = -1;
        break;
    }
    r->bytes_done += syndic_reader_bytes(rd);
    syndic_reader_free(rd);
    return result;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* Sets key to an integer, a real or a string in obj (jansson's set_new
 * takes ownership of the value). */
static void put_int(json_t *o, const char *k, uint64_t v) { json_object_set_new(o, k, json_integer((json_int_t)v)); }
static void put_real(json_t *o, const char *k, double v) { json_object_set_new(o, k, json_real(v)); }

static json_t *stats_json(const run *r, const syndic_quality *q, const char *truth,
                          const cli_truth *t, double read_s, double write_s)
{
    const syndic_params *p = syndic_batch_params(r->batch);
    const syndic_batch_stats *s = syndic_batch_get_stats(r->batch);
    json_t *o = json_object(), *par = cli_params_json(p), *cnt = json_object(),
           *skipped = json_object(), *sec = json_object();
    if (!o || !par || !cnt || !skipped || !sec) {
        json_decref(o); json_decref(par); json_decref(cnt); json_decref(skipped);
        json_decref(sec);
        return NULL;
    }
    json_object_set_new(o, "record", json_string("syndic.stats/1"));
    json_object_set_new(o, "version", json_string(syndic_version()));

    put_int(par, "threads", r->threads);
    json_object_set_new(o, "params", par);

    for (int i = 1; i < SYNDIC_REJECT_COUNT; i++)
        put_int(skipped, syndic_reject_name((syndic_reject)i), r->rejected[i]);
    put_int(cnt, "records", r->records);
    put_int(cnt, "documents", s->documents);
    json_object_set_new(cnt, "skipped", skipped);
    put_int(cnt, "skipped_total", r->rejected_total);
    put_int(cnt, "input_errors", r->io_errors);
    put_int(cnt, "empty", s->empty);
    put_int(cnt, "bytes", s->bytes);
    put_int(cnt, "candidates", s->candidates);
    put_int(cnt, "edges", s->edges);
    put_int(cnt, "refused_time", s->refused_time);
    put_int(cnt, "refused_short", s->refused_short);
    put_int(cnt, "refused_numbers", s->refused_numbers);
    put_int(cnt, "refused_guard", s->refused_guard);
    put_int(cnt, "skipped_buckets", s->skipped_buckets);
    put_int(cnt, "skipped_bucket_documents", s->skipped_bucket_docs);
    put_int(cnt, "clusters", s->clusters);
    put_int(cnt, "clustered_documents", s->clustered_docs);
    put_int(cnt, "largest_cluster", s->largest_cluster);
    put_int(cnt, "normalizations", s->normalizations);
    put_real(cnt, "normalizations_per_document", s->normalizations_per_doc);
    put_int(cnt, "resketched", s->resketched);
    json_object_set_new(o, "counts", cnt);

    put_real(sec, "read_and_sketch", read_s);
    put_real(sec, "sketch", s->seconds_sketch);
    put_real(sec, "candidates", s->seconds_candidates);
    put_real(sec, "verify_and_link", s->seconds_verify);
    put_real(sec, "cluster", s->seconds_cluster);
    put_real(sec, "analysis", r->analysis_s);
    put_real(sec, "write", write_s);
    json_object_set_new(o, "seconds", sec);
    put_int(o, "peak_rss_kib", (uint64_t)peak_rss_kib());
    if (r->templates) {
        json_t *list = json_array();
        size_t n = syndic_templates_count(r->templates);
        for (size_t i = 0; list && i < n; i++) {
            const syndic_template_line *l = syndic_templates_at(r->templates, i);
            json_t *x = json_object();
            json_object_set_new(x, "outlet", json_string(l->outlet));
            json_object_set_new(x, "line", json_string(l->text));
            put_int(x, "documents", l->documents);
            json_array_append_new(list, x);
        }
        json_object_set_new(o, "templates", list);
        put_real(sec, "templates", r->templates_s);
    }

    if (q) {
        json_t *qo = json_object();
        if (qo) {
            json_object_set_new(qo, "truth", json_string(truth));
            put_int(qo, "stories", t->stories);
            put_int(qo, "documents_missing_from_truth", t->missing);
            put_real(qo, "precision", q->precision);
            put_real(qo, "recall", q->recall);
            put_real(qo, "f1", q->f1);
            put_real(qo, "ari", q->ari);
            put_real(qo, "bcubed_precision", q->bcubed_precision);
            put_real(qo, "bcubed_recall", q->bcubed_recall);
            put_real(qo, "bcubed_f1", q->bcubed_f1);
            put_int(qo, "true_pairs", q->true_pairs);
            put_int(qo, "found_pairs", q->found_pairs);
            put_int(qo, "correct_pairs", q->correct_pairs);
            json_object_set_new(o, "quality", qo);
        }
    }
    return o;
}

static void print_summary(const run *r, int inputs, const syndic_quality *q,
                          const char *truth, const cli_truth *t, double read_s,
                          double write_s)
{
    const syndic_params *p = syndic_batch_params(r->batch);
    const syndic_batch_stats *s = syndic_batch_get_stats(r->batch);
    FILE *e = stderr;
    fprintf(e, "read %llu documents from %d input%s (%.1f MB of text), skipped %llu",
            (unsigned long long)s->documents, inputs, inputs == 1 ? "" : "s",
            (double)s->bytes / 1e6, (unsigned long long)r->rejected_total);
    if (r->rejected_total) {
        const char *sep = " (";
        for (int i = 1; i < SYNDIC_REJECT_COUNT; i++) {
            if (!r->rejected[i]) continue;
            fprintf(e, "%s%s %llu", sep, syndic_reject_name((syndic_reject)i),
                    (unsigned long long)r->rejected[i]);
            sep = ", ";
        }
        fputc(')', e);
    }
    fputc('\n', e);
    if (r->io_errors)
        fprintf(e, "%llu input%s could not be read to the end (see the warnings)\n",
                (unsigned long long)r->io_errors, r->io_errors == 1 ? "" : "s");
    if (s->empty)
        fprintf(e, "%llu documents have no words and stay singletons\n",
                (unsigned long long)s->empty);
    fputs("params: ", e);
    cli_params_line(e, p);
    fputc('\n', e);
    if (r->templates) {
        size_t n = syndic_templates_count(r->templates);
        fprintf(e, "templates: %zu lines learned in the pass and dropped (%.2f s, %llu documents"
                   " sketched again)%s",
                n, r->templates_s, (unsigned long long)s->resketched, n ? ", e.g." : "\n");
        for (size_t i = 0, shown = 0; i < n && shown < 3; i += n / 3 ? n / 3 : 1, shown++) {
            const syndic_template_line *l = syndic_templates_at(r->templates, i);
            fprintf(e, "%s %s: \"%.60s\" (%u documents)", shown ? ";" : "",
                    l->outlet[0] ? l->outlet : "(no outlet)", l->text, l->documents);
        }
        if (n) fputc('\n', e);
    }
    fprintf(e, "LSH P(candidate) by Jaccard:");
    for (int i = 1; i <= 9; i++)
        fprintf(e, " %.1f:%.2f", i / 10.0, syndic_lsh_probability(i / 10.0, p->bands, p->rows));
    fputc('\n', e);
    fprintf(e, "candidates %llu, verified edges %llu (refused: %llu too far apart in time,"
               " %llu too little shared text, %llu figures disagree,"
               " %llu merges by the chaining guard)",
            (unsigned long long)s->candidates, (unsigned long long)s->edges,
            (unsigned long long)s->refused_time, (unsigned long long)s->refused_short,
            (unsigned long long)s->refused_numbers,
            (unsigned long long)s->refused_guard);
    if (s->skipped_buckets)
        fprintf(e, ", %llu oversized buckets skipped (%llu documents)",
                (unsigned long long)s->skipped_buckets,
                (unsigned long long)s->skipped_bucket_docs);
    fputc('\n', e);
    fprintf(e, "clusters: %llu of two or more (%llu documents), largest %llu\n",
            (unsigned long long)s->clusters, (unsigned long long)s->clustered_docs,
            (unsigned long long)s->largest_cluster);
    fprintf(e, "time on %u thread%s: templates %.2f s, read+sketch %.2f s (sketch %.2f%s),"
               " candidates+verify %.2f s, link %.2f s, cluster %.2f s, analysis %.2f s,"
               " write %.2f s; peak memory %.1f MiB; %.2f normalizations per document\n",
            r->threads, r->threads == 1 ? "" : "s", r->templates_s, read_s,
            s->seconds_sketch, r->threads > 1 ? " summed over threads" : "",
            s->seconds_candidates,
            s->seconds_verify, s->seconds_cluster, r->analysis_s, write_s,
            (double)peak_rss_kib() / 1024.0, s->normalizations_per_doc);
    if (q) {
        fprintf(e, "quality against %s (%zu stories", truth, t->stories);
        if (t->missing) fprintf(e, ", %zu documents missing from it", t->missing);
        fprintf(e, "): pairwise precision %.4f recall %.4f F1 %.4f, ARI %.4f,"
                   " B-cubed F1 %.4f\n",
                q->precision, q->recall, q->f1, q->ari, q->bcubed_f1);
    }
}

int cmd_cluster(int argc, char **argv)
{
    static const struct option own[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"singletons", no_argument, NULL, OPT_SINGLETONS},
        {"stats", required_argument, NULL, OPT_STATS},
        {"truth", required_argument, NULL, OPT_TRUTH},
        {"quiet", no_argument, NULL, 'q'},
        {"field", required_argument, NULL, OPT_FIELD},
        {"outlet-from-dir", no_argument, NULL, OPT_OUTLET_FROM_DIR},
        {"max-line", required_argument, NULL, OPT_MAX_LINE},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"max-warnings", required_argument, NULL, OPT_MAX_WARNINGS},
        {"no-templates", no_argument, NULL, OPT_NO_TEMPLATES},
        {"no-analysis", no_argument, NULL, OPT_NO_ANALYSIS},
        {"template-docs", required_argument, NULL, OPT_TEMPLATE_DOCS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const struct option *longopts = cli_long_options(own);
    if (!longopts) return EXIT_RUNTIME;
    syndic_params params = SYNDIC_PARAMS_INIT;
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    run r = {0};
    r.max_warnings = 20;
    r.threads = cli_online_cpus();
    const char *output = NULL, *stats_path = NULL, *truth_path = NULL;
    cli_format format = FORMAT_JSONL;
    bool singletons = false;
    unsigned template_docs = 3;
    bool analysis_on = true;
    unsigned long long u;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        int got = cli_param_option(&params, opt, optarg);
        if (got < 0) return EXIT_USAGE;
        if (got > 0) continue;
        switch (opt) {
        case 'o': output = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "jsonl") == 0) format = FORMAT_JSONL;
            else if (strcmp(optarg, "csv") == 0) format = FORMAT_CSV;
            else if (strcmp(optarg, "text") == 0) format = FORMAT_TEXT;
            else if (strcmp(optarg, "html") == 0) format = FORMAT_HTML;
            else {
                cli_error("--format: expected jsonl, csv, text or html, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SINGLETONS: singletons = true; break;
        case OPT_STATS: stats_path = optarg; break;
        case OPT_TRUTH: truth_path = optarg; break;
        case 'q': r.quiet = true; break;
        case OPT_FIELD:
            if (!cli_parse_field(&ro, optarg)) {
                cli_error("--field: expected NAME=KEY with NAME one of id, text, outlet,"
                          " date, title, url; got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_OUTLET_FROM_DIR: ro.outlet_from_dir = 1; break;
        case OPT_MAX_LINE:
            if (!cli_parse_uint(optarg, SIZE_MAX / 2, &u) || u < 16) {
                cli_error("--max-line: expected a number of bytes >= 16, got '%s'", optarg);
                return EXIT_USAGE;
            }
            ro.max_line = (size_t)u;
            break;
        case OPT_STRICT: r.strict = true; break;
        case OPT_MAX_WARNINGS:
            if (!cli_parse_uint(optarg, ~0ull, &r.max_warnings)) {
                cli_error("--max-warnings: expected a whole number, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_NO_TEMPLATES: template_docs = 0; break;
        case OPT_NO_ANALYSIS: analysis_on = false; break;
        case OPT_TEMPLATE_DOCS:
            if (!cli_parse_uint(optarg, 1u << 30, &u) || u < 2) {
                cli_error("--template-docs: expected a whole number >= 2, got '%s'", optarg);
                return EXIT_USAGE;
            }
            template_docs = (unsigned)u;
            break;
        case OPT_THREADS:
            if (!cli_parse_threads(optarg, &r.threads)) {
                cli_error("--threads: expected a whole number in 0..256, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': cli_usage(stdout, usage, usage_tail); return EXIT_OK;
        default: cli_usage(stderr, usage, usage_tail); return EXIT_USAGE;
        }
    }
    if (format == FORMAT_HTML && !analysis_on) {
        cli_error("--format html needs the analysis (drop --no-analysis)");
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        cli_error("cluster: no input given (use '-' for stdin)");
        cli_usage(stderr, usage, usage_tail);
        return EXIT_USAGE;
    }
    /* Templates are learned in the pass that sketches (the input is read
     * once) and decided when the batch clusters. The analysis reads the
     * texts back a range of stories at a time, from a temporary file: memory
     * stays small on a large corpus; learning keeps records too (no texts),
     * spooled likewise. Where no temporary file can be made, they stay in
     * memory. */
    syndic_batch_options bo = SYNDIC_BATCH_OPTIONS_INIT;
    bo.threads = r.threads;
    bo.template_docs = template_docs;
    bo.keep_texts = analysis_on;
    bo.spool = analysis_on || template_docs;
    int brc = syndic_batch_new(&r.batch, &params, &bo);
    if (brc == SYNDIC_EIO && bo.spool) {
        bo.spool = 0;
        brc = syndic_batch_new(&r.batch, &params, &bo);
    }
    if (brc < 0) {
        cli_error("%s", syndic_last_error());
        return brc == SYNDIC_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
    }
    int status = EXIT_RUNTIME;
    FILE *out = stdout;
    cli_truth truth = {0};
    syndic_quality quality;
    bool have_quality = false;
    const syndic_templates *templates = NULL;
    syndic_analysis *analysis = NULL;
    r.progress = !r.quiet && isatty(2);
    r.start = cli_now();
    int inputs = argc - optind;
    for (int i = optind; i < argc; i++)
        if (read_input(&r, argv[i], &ro) < 0) goto out;
    /* The last documents queued for the sketching threads. */
    if (syndic_batch_flush(r.batch) < 0) {
        cli_error("%s", syndic_last_error());
        goto out;
    }
    if (r.progress) fputs("\r\033[K", stderr);
    double read_s = cli_now() - r.start;
    if (syndic_batch_cluster(r.batch) < 0) {
        cli_error("%s", syndic_last_error());
        goto out;
    }
    templates = r.templates = syndic_batch_templates(r.batch);
    r.templates_s = syndic_batch_get_stats(r.batch)->seconds_templates;
    double t0 = cli_now();
    if (output && strcmp(output, "-") != 0 && !(out = fopen(output, "w"))) {
        cli_error("%s: cannot open for writing", output);
        out = stdout;
        goto out;
    }
    double write_s = 0;
    int wrc;
    if (format == FORMAT_HTML) { /* the overview needs every story at once */
        if (syndic_analysis_new(&analysis, r.batch) < 0) {
            cli_error("%s", syndic_last_error());
            goto out;
        }
        r.analysis_s = cli_now() - t0;
        t0 = cli_now();
        wrc = cli_write_html(out, r.batch, analysis, templates, singletons);
        write_s = cli_now() - t0;
    } else if (analysis_on) {
        wrc = cli_write_stories(out, r.batch, format, singletons, &r.analysis_s, &write_s);
        if (wrc == -2) goto out;
    } else {
        wrc = cli_write_clusters(out, r.batch, NULL, format, singletons);
        write_s = cli_now() - t0;
    }
    t0 = cli_now();
    if (wrc < 0 || fflush(out) != 0) {
        cli_error("%s: write error", output ? output : "<stdout>");
        goto out;
    }
    write_s += cli_now() - t0;
    if (truth_path) {
        if (cli_truth_load(&truth, truth_path, r.batch) < 0) goto out;
        size_t n = syndic_batch_doc_count(r.batch);
        uint32_t *pred = malloc((n ? n : 1) * sizeof *pred);
        if (!pred) { cli_error("out of memory"); goto out; }
        for (size_t c = 0; c < syndic_batch_cluster_count(r.batch); c++) {
            const syndic_cluster *cl = syndic_batch_cluster_at(r.batch, c);
            for (uint32_t m = 0; m < cl->size; m++) pred[cl->members[m].doc] = (uint32_t)c;
        }
        int rc = syndic_quality_compute(&quality, pred, truth.label, n);
        free(pred);
        if (rc < 0) { cli_error("%s", syndic_last_error()); goto out; }
        have_quality = true;
    }
    if (!r.quiet)
        print_summary(&r, inputs, have_quality ? &quality : NULL, truth_path, &truth,
                      read_s, write_s);
    if (stats_path) {
        json_t *st = stats_json(&r, have_quality ? &quality : NULL, truth_path, &truth,
                                read_s, write_s);
        FILE *sf = strcmp(stats_path, "-") == 0 ? stderr : fopen(stats_path, "w");
        if (!st || !sf) {
            cli_error("%s: cannot write the stats", stats_path);
            json_decref(st);
            goto out;
        }
        json_dumpf(st, sf, JSON_COMPACT);
        fputc('\n', sf);
        json_decref(st);
        if (sf != stderr && fclose(sf) != 0) {
            cli_error("%s: write error", stats_path);
            goto out;
        }
    }
    status = EXIT_OK;
out:
    if (out != stdout && fclose(out) != 0 && status == EXIT_OK) {
        cli_error("%s: write error", output);
        status = EXIT_RUNTIME;
    }
    cli_truth_free(&truth);
    syndic_analysis_free(analysis); /* before its batch, which it borrows from */
    syndic_batch_free(r.batch);
    return status;
}
