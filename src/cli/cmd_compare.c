/*
 * cmd_compare.c - `syndic compare A B`: why two documents match or not.
 *
 * The tool a user reaches for when a cluster looks wrong: it shows, for two
 * documents, the exact Jaccard of their shingle sets next to the MinHash
 * estimate, containment both ways, the shared shingles, the figures and
 * dates, how many LSH bands they share, and the verdict the batch's
 * verification gives the pair (syndic_evidence_compute).
 */
#include "cli.h"
#include "options.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: syndic compare [options] A B\n"
    "Compare two documents: A and B are text files, or with --in, ids in a\n"
    "JSON Lines file.\n"
    "\n"
    "  --in FILE          look A and B up as ids in FILE (JSON Lines, gzip ok)\n"
    "  --field NAME=KEY   JSON key for id or text, as for cluster\n"
    "  --json             print one JSON object instead of text\n"
    "  --no-templates     with --in: keep the template lines learned from FILE\n";
static const char usage_tail[] = "  -h, --help         this help\n";

typedef struct side {
    const char *name;
    char *text;
    size_t len;
    char *date, *outlet; /* from --in records; NULL for files */
    uint64_t *shingles;
    size_t count;
    uint32_t *sig;
    size_t words;
} side;

static int load_file(side *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { cli_error("%s: cannot open", path); return -1; }
    size_t cap = 1 << 16, n;
    s->text = malloc(cap);
    s->len = 0;
    while (s->text && (n = fread(s->text + s->len, 1, cap - s->len, f)) > 0) {
        s->len += n;
        if (s->len == cap) {
            char *t = realloc(s->text, cap *= 2);
            if (!t) free(s->text);
            s->text = t;
        }
    }
    bool err = ferror(f);
    fclose(f);
    if (!s->text || err) { cli_error("%s: read error", path); return -1; }
    return 0;
}

static int load_ids(side *a, side *b, const char *path, const syndic_read_options *ro)
{
    syndic_reader *r;
    if (syndic_reader_open(&r, path, ro) < 0) { cli_error("%s", syndic_last_error()); return -1; }
    int rc;
    syndic_doc d;
    syndic_reject why;
    while ((rc = syndic_reader_next(&d, &why, r)) != 0) {
        if (rc == SYNDIC_EBADREC) continue; /* compare only needs the two ids */
        if (rc < 0) { cli_error("%s", syndic_last_error()); break; }
        side *sides[2] = {a, b};
        for (int i = 0; i < 2; i++) {
            side *s = sides[i];
            if (!s->text && strlen(s->name) == d.id_len && memcmp(s->name, d.id, d.id_len) == 0) {
                s->text = strndup(d.text, d.text_len);
                s->date = d.date ? strndup(d.date, d.date_len) : NULL;
                s->outlet = d.outlet ? strndup(d.outlet, d.outlet_len) : NULL;
                if (!s->text) { cli_error("out of memory"); rc = -1; goto done; }
                s->len = d.text_len;
            }
        }
        if (a->text && b->text) break;
    }
done:
    syndic_reader_free(r);
    if (rc < 0) return -1;
    for (side *s = a; s; s = s == a ? b : NULL) {
        if (!s->text) { cli_error("%s: no document with id \"%s\"", path, s->name); return -1; }
    }
    return 0;
}

static int learn_from(syndic_templates *t, const char *path, const syndic_read_options *ro)
{
    syndic_reader *r;
    if (syndic_reader_open(&r, path, ro) < 0) return -1;
    int rc;
    syndic_doc d;
    syndic_reject why;
    while ((rc = syndic_reader_next(&d, &why, r)) != 0) {
        if (rc == 1 && (rc = syndic_templates_observe(t, &d)) < 0) break;
        if (rc < 0 && rc != SYNDIC_EBADREC) { rc = rc == SYNDIC_EIO ? 0 : rc; break; }
    }
    syndic_reader_free(r);
    return rc < 0 ? -1 : 0;
}

static int analyse(side *s, syndic_sketcher *sk, const syndic_params *p)
{
    const char *norm;
    size_t nlen;
    const uint64_t *h;
    if (syndic_sketcher_normalize(&norm, &nlen, &s->words, sk, s->text, s->len) < 0 ||
        syndic_sketcher_shingles(&h, &s->count, sk, s->text, s->len) < 0) {
        cli_error("%s", syndic_last_error());
        return -1;
    }
    s->shingles = malloc((s->count ? s->count : 1) * sizeof *h);
    s->sig = malloc(p->num_hashes * sizeof *s->sig);
    if (!s->shingles || !s->sig) { cli_error("out of memory"); return -1; }
    if (s->count) memcpy(s->shingles, h, s->count * sizeof *h);
    syndic_sketch_hashes(p, s->shingles, s->count, s->sig);
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option own[] = {
        {"in", required_argument, NULL, OPT_IN},
        {"field", required_argument, NULL, OPT_FIELD},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-templates", no_argument, NULL, OPT_NO_TEMPLATES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const struct option *longopts = cli_long_options(own);
    if (!longopts) return EXIT_RUNTIME;
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_read_options ro = SYNDIC_READ_OPTIONS_INIT;
    const char *in = NULL;
    bool as_json = false;
    unsigned template_docs = 3;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int got = cli_param_option(&p, opt, optarg);
        if (got < 0) return EXIT_USAGE;
        if (got > 0) continue;
        switch (opt) {
        case OPT_IN: in = optarg; break;
        case OPT_FIELD:
            if (!cli_parse_field(&ro, optarg)) {
                cli_error("--field: expected NAME=KEY, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_JSON: as_json = true; break;
        case OPT_NO_TEMPLATES: template_docs = 0; break;
        case 'h': cli_usage(stdout, usage, usage_tail); return EXIT_OK;
        default: cli_usage(stderr, usage, usage_tail); return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        cli_error("compare: expected two documents, got %d", argc - optind);
        cli_usage(stderr, usage, usage_tail);
        return EXIT_USAGE;
    }
    if (syndic_params_resolve(&p) < 0) { cli_error("%s", syndic_last_error()); return EXIT_USAGE; }
    side a = {.name = argv[optind]};
    side b = {.name = argv[optind + 1]};
    syndic_sketcher *sk = NULL;
    syndic_templates *templates = NULL;
    int status = EXIT_RUNTIME;
    if (in ? load_ids(&a, &b, in, &ro) < 0 : (load_file(&a, a.name) < 0 || load_file(&b, b.name) < 0))
        goto out;
    if (syndic_sketcher_new(&sk, &p) < 0) { cli_error("%s", syndic_last_error()); goto out; }
    if (analyse(&a, sk, &p) < 0 || analyse(&b, sk, &p) < 0) goto out;

    /* The verdict is the library's evidence for the pair, the decision
     * `cluster` makes for it. With --in, the outlets' template lines are
     * learned from that corpus and dropped, as `cluster` does. */
    syndic_evidence ev;
    if (in && template_docs) {
        if (syndic_templates_new(&templates, &p, template_docs) < 0 ||
            learn_from(templates, in, &ro) < 0 || syndic_templates_finish(templates) < 0) {
            cli_error("%s", syndic_last_error());
            goto out;
        }
    }
    syndic_doc docs[2] = {SYNDIC_DOC_INIT, SYNDIC_DOC_INIT};
    side *sides[2] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        syndic_doc *d = &docs[i];
        d->id = i == 0 ? "A" : "B";
        d->text = sides[i]->len ? sides[i]->text : " "; /* a length of 0 means "measure" */
        d->text_len = sides[i]->len ? sides[i]->len : 1;
        d->date = sides[i]->date;
        d->outlet = sides[i]->outlet;
    }
    if (syndic_evidence_compute(&ev, &p, &docs[0], &docs[1], templates) < 0) {
        cli_error("%s", syndic_last_error());
        goto out;
    }

    size_t shared = 0;
    for (size_t i = 0, j = 0; i < a.count && j < b.count;) {
        if (a.shingles[i] == b.shingles[j]) { shared++; i++; j++; }
        else if (a.shingles[i] < b.shingles[j]) i++;
        else j++;
    }
    size_t uni = a.count + b.count - shared;
    double exact = uni ? (double)shared / (double)uni : 0;
    double cab = a.count ? (double)shared / (double)a.count : 0;
    double cba = b.count ? (double)shared / (double)b.count : 0;
    unsigned same = (unsigned)(ev.jaccard * p.num_hashes + 0.5);
    if (as_json) {
        json_t *o = json_pack(
            "{s:{s:s, s:I, s:I}, s:{s:s, s:I, s:I}, s:I, s:f, s:f, s:I, s:f, s:f, s:I, s:I, s:b,"
            " s:f, s:I, s:I, s:I, s:s}",
            "a", "name", a.name, "words", (json_int_t)a.words, "shingles", (json_int_t)a.count,
            "b", "name", b.name, "words", (json_int_t)b.words, "shingles", (json_int_t)b.count,
            "shared_shingles", (json_int_t)shared, "jaccard", exact, "estimated_jaccard",
            ev.jaccard, "equal_values", (json_int_t)same, "containment_a_in_b", cab,
            "containment_b_in_a", cba, "bands_shared", (json_int_t)ev.bands_shared,
            "bands", (json_int_t)p.bands, "candidate", ev.bands_shared > 0,
            "figures_agreement", ev.figures, "figures_a", (json_int_t)ev.figures_a,
            "figures_b", (json_int_t)ev.figures_b, "gap_seconds", (json_int_t)ev.gap,
            "verdict", syndic_pair_verdict_name(ev.verdict));
        if (!o) { cli_error("out of memory"); goto out; }
        json_dumpf(o, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(o);
    } else {
        printf("A: %s: %zu words, %zu shingles\n", a.name, a.words, a.count);
        printf("B: %s: %zu words, %zu shingles\n", b.name, b.words, b.count);
        printf("shared shingles     %zu (%u-word shingles)\n", shared, p.shingle_words);
        printf("exact Jaccard       %.4f\n", exact);
        printf("estimated Jaccard   %.4f (%u of %u values equal; threshold %.2f)\n",
               ev.jaccard, same, p.num_hashes, p.threshold);
        printf("containment A in B  %.4f\n", cab);
        printf("containment B in A  %.4f\n", cba);
        printf("figures             %u and %u numbers, %.0f%% of the smaller set agree\n",
               ev.figures_a, ev.figures_b, 100.0 * ev.figures);
        if (ev.gap >= 0) printf("time apart          %.1f hours\n", (double)ev.gap / 3600.0);
        else printf("time apart          unknown (a date is missing)\n");
        printf("LSH bands shared    %u of %u (%u rows each): %s\n", ev.bands_shared, p.bands,
               p.rows, ev.bands_shared ? "candidates" : "not candidates");
        printf("verdict             %s\n", syndic_pair_verdict_name(ev.verdict));
    }
    status = ferror(stdout) ? EXIT_RUNTIME : EXIT_OK;
out:
    syndic_sketcher_free(sk);
    syndic_templates_free(templates);
    free(a.text); free(a.shingles); free(a.sig); free(a.date); free(a.outlet);
    free(b.text); free(b.shingles); free(b.sig); free(b.date); free(b.outlet);
    return status;
}
