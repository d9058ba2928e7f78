/*
 * cli.h - what the subcommands of the syndic tool share.
 *
 * The tool is a user program of the library: it uses only syndic.h. Results
 * go to stdout (or -o), diagnostics and progress to stderr. Exit codes: 0 ok,
 * 1 runtime error, 2 usage error.
 */
#ifndef SYNDIC_CLI_H
#define SYNDIC_CLI_H

#include "syndic.h"

#include <stdbool.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* options.c */
extern const char *cli_program;
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool cli_parse_uint(const char *s, unsigned long long max, unsigned long long *out);
bool cli_parse_double(const char *s, double *out);
/* "90" (seconds), "90s", "15m", "12h", "3d", "1w". */
bool cli_parse_duration(const char *s, int64_t *out);
/* Parses a NAME=KEY field mapping into the read options. */
bool cli_parse_field(syndic_read_options *o, const char *arg);
/* Parses the matching parameters shared by commands; returns 1 when `opt`
 * was one of them, 0 when not, -1 on a bad value (already reported). */
int cli_param_option(syndic_params *p, int opt, const char *arg);
double cli_now(void);

/* report.c */
typedef enum { FORMAT_JSONL, FORMAT_CSV, FORMAT_TEXT, FORMAT_HTML } cli_format;
/* Member i of a cluster (0: the representative) and its estimated Jaccard
 * with the representative. */
typedef const syndic_doc_info *(*cli_member_fn)(const void *ctx, uint32_t i, double *jaccard);
struct cli_json;
/* One cluster as a `syndic.cluster/1` JSON line, built in buf and written
 * to out: the one writer of the format (`cluster --no-analysis`, `state
 * export`). index: 0-based; story: the state's story id, 0 for none (the
 * key is left out). Returns 0, or -1 on a write or allocation failure. */
int cli_cluster_jsonl(FILE *out, struct cli_json *buf, size_t index, uint64_t story,
                      uint32_t size, cli_member_fn member, const void *ctx);
/* Clusters, as stories when `a` (the analysis) is not NULL. */
int cli_write_clusters(FILE *out, const syndic_batch *b, const syndic_analysis *a,
                       cli_format format, bool singletons);
/* Stories, analysed and written a range at a time (the batch's texts are
 * never all in memory); the times spent on each are added to *analysis_s
 * and *write_s. Returns -1 on a write error, -2 when the analysis failed
 * (reported). */
int cli_write_stories(FILE *out, const syndic_batch *b, cli_format format, bool singletons,
                      double *analysis_s, double *write_s);
/* One story as text for people (also used by `syndic show`). */
void cli_story_text(FILE *out, const syndic_batch *b, size_t index, const syndic_story *s);
void cli_iso_time(char *out, size_t cap, int64_t when);
/* "45s", "12m", "3h 05m", "2d 04h"; "-" for a negative value. */
void cli_duration(char *out, size_t cap, int64_t seconds);
void cli_text_column(FILE *out, const char *s, int width, bool pad);

/* report_html.c: one self-contained HTML file (no script, no network): an
 * overview of the stories sorted by reach, and per story a timeline in
 * inline SVG with the copy tree, and each copy beside its source with the
 * removed and added sentences marked. All document text is escaped. */
int cli_write_html(FILE *out, const syndic_batch *b, const syndic_analysis *a,
                   const syndic_templates *templates, bool singletons);

/* truth.c: ground truth as id -> story label for the batch's documents. */
typedef struct cli_truth {
    uint32_t *label;     /* per batch document, UINT32_MAX when not in truth */
    size_t missing;      /* batch documents absent from the truth */
    size_t stories;
} cli_truth;
int cli_truth_load(cli_truth *t, const char *path, const syndic_batch *b);
void cli_truth_free(cli_truth *t);

/* Subcommands. */
int cmd_cluster(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_state(int argc, char **argv);

#endif
