/*
 * report.c - writing clusters and stories as JSON Lines, CSV or text.
 *
 * Two shapes (schemas in docs/output.md):
 *  - with the analysis (the default), `syndic.story/1`: each cluster as a
 *    story, members in publication order, the origin first, each member with
 *    its likely source, delay, edit label and sentence counts;
 *  - without (--no-analysis, texts not kept), `syndic.cluster/1`: members
 *    with their estimated Jaccard against the representative; `syndic
 *    state export` writes the same lines (cli_cluster_jsonl), with the
 *    state's story id added.
 * JSON keys come in a fixed order and absent metadata is null. The JSON
 * Lines are written by jsonout.c, byte for byte in jansson's compact format
 * (escaping included, so any text in an id or a title is valid JSON); the
 * stats record is small and still built with jansson.
 * CSV is RFC 4180: one row per member, fields with a comma, quote or line
 * break quoted and quotes doubled.
 */
#include "cli.h"
#include "jsonout.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#define EXAMPLES 3 /* added and removed sentences shown per copy */

/* Seconds since 1970 in UTC, ISO 8601 ("2026-03-04T09:15:00Z"). */
void cli_iso_time(char *out, size_t cap, int64_t when)
{
    time_t t = (time_t)when;
    struct tm tm;
    out[0] = 0;
    if (gmtime_r(&t, &tm)) strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void doc_time(char *out, size_t cap, const syndic_doc_info *d)
{
    out[0] = 0;
    if (d->has_time) cli_iso_time(out, cap, d->time);
}

void cli_duration(char *out, size_t cap, int64_t s)
{
    if (s < 0) { snprintf(out, cap, "-"); return; }
    if (s < 60) snprintf(out, cap, "%llds", (long long)s);
    else if (s < 3600) snprintf(out, cap, "%lldm", (long long)(s / 60));
    else if (s < 86400) snprintf(out, cap, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else snprintf(out, cap, "%lldd %02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

/* One JSON line at a time, written by jsonout.c in jansson's format. */
static cli_json line;

static void secs_or_null(cli_json *j, int64_t s)
{
    if (s >= 0) cli_json_int(j, (long long)s);
    else cli_json_lit(j, "null");
}

static void put_doc(cli_json *j, const syndic_doc_info *d)
{
    char when[32];
    doc_time(when, sizeof when, d);
    cli_json_key(j, "id", true);
    cli_json_str(j, d->id);
    cli_json_key(j, "outlet", false);
    cli_json_str_or_null(j, d->outlet);
    cli_json_key(j, "date", false);
    cli_json_str_or_null(j, d->date);
    cli_json_key(j, "time", false);
    cli_json_str_or_null(j, when);
    cli_json_key(j, "title", false);
    cli_json_str_or_null(j, d->title);
    cli_json_key(j, "url", false);
    cli_json_str_or_null(j, d->url);
}

static int end_line(FILE *out)
{
    cli_json_mem(&line, "}\n", 2);
    return cli_json_flush(&line, out);
}

/* The one writer of `syndic.cluster/1` (docs/output.md): `syndic cluster
 * --no-analysis` (below) and `syndic state export` (cmd_state.c) both
 * write their lines here. */
int cli_cluster_jsonl(FILE *out, struct cli_json *j, size_t index, uint64_t story, uint32_t size,
                      cli_member_fn member, const void *ctx)
{
    double jaccard;
    j->len = 0;
    cli_json_mem(j, "{", 1);
    cli_json_key(j, "cluster", true);
    cli_json_int(j, (long long)index + 1);
    if (story) {
        cli_json_key(j, "story", false);
        cli_json_int(j, (long long)story);
    }
    cli_json_key(j, "size", false);
    cli_json_int(j, size);
    cli_json_key(j, "representative", false);
    cli_json_str(j, member(ctx, 0, &jaccard)->id);
    cli_json_key(j, "members", false);
    cli_json_mem(j, "[", 1);
    for (uint32_t i = 0; i < size; i++) {
        const syndic_doc_info *d = member(ctx, i, &jaccard);
        cli_json_mem(j, i ? ",{" : "{", i ? 2 : 1);
        put_doc(j, d);
        cli_json_key(j, "jaccard", false);
        cli_json_real(j, jaccard);
        cli_json_mem(j, "}", 1);
    }
    cli_json_mem(j, "]}\n", 3);
    return cli_json_flush(j, out);
}

typedef struct batch_cluster { const syndic_batch *b; const syndic_cluster *c; } batch_cluster;

static const syndic_doc_info *batch_member(const void *ctx, uint32_t i, double *jaccard)
{
    const batch_cluster *bc = ctx;
    *jaccard = bc->c->members[i].jaccard;
    return syndic_batch_doc(bc->b, bc->c->members[i].doc);
}

static int cluster_jsonl(FILE *out, const syndic_batch *b, size_t index, const syndic_cluster *c)
{
    batch_cluster bc = {b, c};
    return cli_cluster_jsonl(out, &line, index, 0, c->size, batch_member, &bc);
}

/* The first `max` sentences of a diff with operation `op`, as strings. */
static void examples(cli_json *j, const syndic_copy *c, syndic_diff_op op, int max)
{
    int shown = 0;
    cli_json_mem(j, "[", 1);
    for (uint32_t i = 0; i < c->diff_count && shown < max; i++) {
        if (c->diff[i].op != op) continue;
        if (shown++) cli_json_mem(j, ",", 1);
        cli_json_strn(j, c->diff[i].text, c->diff[i].len);
    }
    cli_json_mem(j, "]", 1);
}

static int story_jsonl(FILE *out, const syndic_batch *b, size_t index, const syndic_story *s)
{
    cli_json *j = &line;
    const syndic_copy *cp = s->copies;
    char t[32];
    j->len = 0;
    cli_json_mem(j, "{", 1);
    cli_json_key(j, "cluster", true);
    cli_json_int(j, (long long)index + 1);
    cli_json_key(j, "size", false);
    cli_json_int(j, s->size);
    cli_json_key(j, "origin", false);
    cli_json_str(j, syndic_batch_doc(b, cp[0].doc)->id);
    cli_json_key(j, "outlets", false);
    cli_json_int(j, s->outlets);
    cli_json_key(j, "dated", false);
    cli_json_lit(j, s->dated ? "true" : "false");
    cli_json_key(j, "first", false);
    if (s->dated) cli_iso_time(t, sizeof t, s->first);
    cli_json_str_or_null(j, s->dated ? t : NULL);
    cli_json_key(j, "last", false);
    if (s->dated) cli_iso_time(t, sizeof t, s->last);
    cli_json_str_or_null(j, s->dated ? t : NULL);
    cli_json_key(j, "seconds_to_reach", false);
    cli_json_mem(j, "{", 1);
    cli_json_key(j, "2", true);
    secs_or_null(j, s->to_reach[0]);
    cli_json_key(j, "5", false);
    secs_or_null(j, s->to_reach[1]);
    cli_json_key(j, "10", false);
    secs_or_null(j, s->to_reach[2]);
    cli_json_mem(j, "}", 1);
    cli_json_key(j, "members", false);
    cli_json_mem(j, "[", 1);
    for (uint32_t i = 0; i < s->size; i++) {
        const syndic_copy *c = &cp[i];
        cli_json_mem(j, i ? ",{" : "{", i ? 2 : 1);
        put_doc(j, syndic_batch_doc(b, c->doc));
        cli_json_key(j, "delay_seconds", false);
        secs_or_null(j, c->delay);
        cli_json_key(j, "source", false);
        cli_json_str_or_null(j, c->source < 0 ? NULL : syndic_batch_doc(b, cp[c->source].doc)->id);
        cli_json_key(j, "containment_in_source", false);
        cli_json_real(j, c->containment);
        cli_json_key(j, "jaccard_with_origin", false);
        cli_json_real(j, c->jaccard_origin);
        cli_json_key(j, "edit", false);
        cli_json_str(j, syndic_edit_name(c->edit));
        if (c->source >= 0) {
            cli_json_key(j, "headline_changed", false);
            cli_json_lit(j, c->headline_changed ? "true" : "false");
            cli_json_key(j, "sentences", false);
            cli_json_mem(j, "{", 1);
            cli_json_key(j, "kept", true);
            cli_json_int(j, c->kept);
            cli_json_key(j, "removed", false);
            cli_json_int(j, c->removed);
            cli_json_key(j, "added", false);
            cli_json_int(j, c->added);
            cli_json_key(j, "edited", false);
            cli_json_int(j, c->edited);
            cli_json_mem(j, "}", 1);
            cli_json_key(j, "removed", false);
            examples(j, c, SYNDIC_DIFF_REMOVED, EXAMPLES);
            cli_json_key(j, "added", false);
            examples(j, c, SYNDIC_DIFF_ADDED, EXAMPLES);
        }
        cli_json_mem(j, "}", 1);
    }
    cli_json_mem(j, "]", 1);
    return end_line(out);
}

static void csv_field(FILE *out, const char *s, bool last)
{
    if (!strpbrk(s, ",\"\r\n")) fputs(s, out);
    else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"') fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
    fputs(last ? "\r\n" : ",", out);
}

static void csv_doc(FILE *out, const syndic_doc_info *d)
{
    char when[32];
    doc_time(when, sizeof when, d);
    csv_field(out, d->id, false);
    csv_field(out, d->outlet, false);
    csv_field(out, d->date, false);
    csv_field(out, when, false);
    csv_field(out, d->title, false);
    csv_field(out, d->url, false);
}

static void cluster_csv(FILE *out, const syndic_batch *b, size_t index, const syndic_cluster *c)
{
    for (uint32_t i = 0; i < c->size; i++) {
        fprintf(out, "%zu,%u,", index + 1, c->size);
        csv_doc(out, syndic_batch_doc(b, c->members[i].doc));
        fprintf(out, "%.4f\r\n", c->members[i].jaccard);
    }
}

static void story_csv(FILE *out, const syndic_batch *b, size_t index, const syndic_story *s)
{
    for (uint32_t i = 0; i < s->size; i++) {
        const syndic_copy *c = &s->copies[i];
        fprintf(out, "%zu,%u,", index + 1, s->size);
        csv_field(out, syndic_batch_doc(b, s->copies[0].doc)->id, false);
        csv_doc(out, syndic_batch_doc(b, c->doc));
        csv_field(out, c->source < 0 ? "" : syndic_batch_doc(b, s->copies[c->source].doc)->id, false);
        if (c->delay >= 0) fprintf(out, "%lld,", (long long)c->delay);
        else fputc(',', out);
        fprintf(out, "%s,%s,%u,%u,%u,%u,%.4f,%.4f\r\n", syndic_edit_name(c->edit),
                c->source < 0 ? "" : c->headline_changed ? "yes" : "no", c->kept, c->removed,
                c->added, c->edited, c->containment, c->jaccard_origin);
    }
}

/* Prints s in `width` display columns (counting UTF-8 lead bytes), never
 * splitting a character; a longer s is cut and ends in "...". Padded with
 * spaces when `pad`, so that columns line up. */
void cli_text_column(FILE *out, const char *s, int width, bool pad)
{
    int total = 0;
    for (const char *p = s; *p; p++) total += (*p & 0xC0) != 0x80;
    int keep = total <= width ? total : width - 3, cols = 0;
    const char *p = s;
    while (*p && cols < keep) {
        const char *q = p + 1;
        while ((*q & 0xC0) == 0x80) q++;
        if (*p == '\n' || *p == '\t' || *p == '\r') fputc(' ', out);
        else fwrite(p, 1, (size_t)(q - p), out);
        p = q;
        cols++;
    }
    if (keep < total) { fputs("...", out); cols += 3; }
    for (; pad && cols < width; cols++) fputc(' ', out);
}

static void short_time(char *out, size_t cap, const syndic_doc_info *d)
{
    doc_time(out, cap, d);
    if (out[0]) { out[10] = ' '; out[16] = 0; } /* "2026-03-04 09:15" */
    else snprintf(out, cap, "-");
}

static void cluster_text(FILE *out, const syndic_batch *b, size_t index, const syndic_cluster *c)
{
    fprintf(out, "cluster %zu: %u documents (time UTC, outlet, estimated Jaccard with"
                 " the representative, id, title)\n", index + 1, c->size);
    for (uint32_t i = 0; i < c->size; i++) {
        const syndic_doc_info *d = syndic_batch_doc(b, c->members[i].doc);
        char when[32];
        short_time(when, sizeof when, d);
        fputs("  ", out);
        cli_text_column(out, when, 16, true);
        fputs("  ", out);
        cli_text_column(out, d->outlet[0] ? d->outlet : "-", 24, true);
        if (i == 0) fputs("  rep   ", out);
        else fprintf(out, "  %.2f  ", c->members[i].jaccard);
        cli_text_column(out, d->id, 26, true);
        fputs("  ", out);
        cli_text_column(out, d->title, 60, false);
        fputc('\n', out);
    }
    fputc('\n', out);
}

void cli_story_text(FILE *out, const syndic_batch *b, size_t index, const syndic_story *s)
{
    const syndic_copy *cp = s->copies;
    const syndic_doc_info *o = syndic_batch_doc(b, cp[0].doc);
    char r2[32], r5[32], r10[32];
    cli_duration(r2, sizeof r2, s->to_reach[0]);
    cli_duration(r5, sizeof r5, s->to_reach[1]);
    cli_duration(r10, sizeof r10, s->to_reach[2]);
    fprintf(out, "story %zu: %u copies in %u outlets, first by %s: \"%s\"\n", index + 1,
            s->size, s->outlets, o->outlet[0] ? o->outlet : "(no outlet)", o->title);
    if (s->dated)
        fprintf(out, "  reached 2 outlets after %s, 5 after %s, 10 after %s\n", r2, r5, r10);
    else
        fputs("  (not every copy is dated: the order is the input order)\n", out);
    fputs("  time (UTC)        delay     outlet                    edit       source                  id\n", out);
    for (uint32_t i = 0; i < s->size; i++) {
        const syndic_copy *c = &cp[i];
        const syndic_doc_info *d = syndic_batch_doc(b, c->doc);
        char when[32], delay[32];
        short_time(when, sizeof when, d);
        if (i == 0) snprintf(delay, sizeof delay, "origin");
        else cli_duration(delay, sizeof delay, c->delay);
        fputs("  ", out);
        cli_text_column(out, when, 16, true);
        fputs("  ", out);
        cli_text_column(out, delay, 8, true);
        fputs("  ", out);
        cli_text_column(out, d->outlet[0] ? d->outlet : "-", 24, true);
        fputs("  ", out);
        cli_text_column(out, i == 0 ? "" : syndic_edit_name(c->edit), 9, true);
        fputs("  ", out);
        cli_text_column(out, c->source < 0 ? "" : syndic_batch_doc(b, cp[c->source].doc)->id,
                        22, true);
        fputs("  ", out);
        cli_text_column(out, d->id, 40, false);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void write_header(FILE *out, cli_format format, bool stories)
{
    if (format == FORMAT_CSV)
        fputs(stories ? "cluster,size,origin,id,outlet,date,time,title,url,source,delay_seconds,"
                        "edit,headline_changed,sentences_kept,sentences_removed,sentences_added,"
                        "sentences_edited,"
                        "containment_in_source,jaccard_with_origin\r\n"
                      : "cluster,size,id,outlet,date,time,title,url,jaccard\r\n",
              out);
}

/* Cluster i, as a story when s is not NULL. */
static int write_one(FILE *out, const syndic_batch *b, size_t i, const syndic_story *s,
                     cli_format format)
{
    const syndic_cluster *c = syndic_batch_cluster_at(b, i);
    switch (format) {
    case FORMAT_JSONL:
        return s ? story_jsonl(out, b, i, s) : cluster_jsonl(out, b, i, c);
    case FORMAT_CSV:
        if (s) story_csv(out, b, i, s);
        else cluster_csv(out, b, i, c);
        return 0;
    case FORMAT_TEXT:
    case FORMAT_HTML: /* written by report_html.c */
        if (s) cli_story_text(out, b, i, s);
        else cluster_text(out, b, i, c);
        return 0;
    }
    return 0;
}

/* Clusters shown: all of size 2+, then singletons when asked (clusters are
 * sorted by size, so the first singleton ends the rest). */
static size_t shown_count(const syndic_batch *b, bool singletons)
{
    size_t n = syndic_batch_cluster_count(b), i = 0;
    if (singletons) return n;
    while (i < n && syndic_batch_cluster_at(b, i)->size >= 2) i++;
    return i;
}

int cli_write_clusters(FILE *out, const syndic_batch *b, const syndic_analysis *a,
                       cli_format format, bool singletons)
{
    write_header(out, format, a != NULL);
    size_t shown = shown_count(b, singletons);
    int rc = 0;
    for (size_t i = 0; i < shown && rc == 0; i++)
        rc = write_one(out, b, i, a ? syndic_analysis_story(a, i) : NULL, format);
    cli_json_free(&line);
    if (rc < 0) return -1;
    if (format == FORMAT_TEXT && shown == 0) fputs("no clusters found\n", out);
    return ferror(out) ? -1 : 0;
}

/* A range of stories to analyse and write at once: enough members to keep
 * the threads busy, few enough that its texts and diffs stay small. */
#define RANGE_MEMBERS 8192 /* a member's record is about twice its text (digest.c) */

int cli_write_stories(FILE *out, const syndic_batch *b, cli_format format, bool singletons,
                      double *analysis_s, double *write_s)
{
    double t0 = cli_now();
    write_header(out, format, true);
    size_t shown = shown_count(b, singletons);
    *write_s += cli_now() - t0;
    for (size_t first = 0; first < shown;) {
        size_t end = first, members = 0;
        while (end < shown && (end == first || members < RANGE_MEMBERS))
            members += syndic_batch_cluster_at(b, end++)->size;
        t0 = cli_now();
        syndic_analysis *a;
        if (syndic_analysis_new_range(&a, b, first, end - first) < 0) {
            cli_error("%s", syndic_last_error());
            cli_json_free(&line);
            return -2;
        }
        double t1 = cli_now();
        *analysis_s += t1 - t0;
        int rc = 0;
        for (size_t i = first; i < end && rc == 0; i++)
            rc = write_one(out, b, i, syndic_analysis_story(a, i), format);
        syndic_analysis_free(a);
        *write_s += cli_now() - t1;
        if (rc < 0 || ferror(out)) {
            cli_json_free(&line);
            return -1;
        }
        first = end;
    }
    cli_json_free(&line);
    if (format == FORMAT_TEXT && shown == 0) fputs("no clusters found\n", out);
    return ferror(out) ? -1 : 0;
}
