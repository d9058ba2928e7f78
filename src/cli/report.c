/*
 * report.c - writing clusters as JSON Lines, CSV or text for people.
 *
 * JSON Lines (schema in docs/output.md): one cluster per line, keys in a
 * fixed order, absent metadata as null, numbers exact (an estimated Jaccard
 * is a multiple of 1/K). jansson does the escaping, so any text in an id or
 * a title comes out as valid JSON.
 * CSV (RFC 4180): one row per member; fields with a comma, quote or line
 * break are quoted and quotes doubled.
 */
#include "cli.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

/* The parsed date in UTC, ISO 8601 ("2026-03-04T09:15:00Z"); "" if none. */
static void iso_time(char *out, size_t cap, const syndic_doc_info *d)
{
    out[0] = 0;
    if (!d->has_time) return;
    time_t t = (time_t)d->time;
    struct tm tm;
    if (gmtime_r(&t, &tm)) strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static int write_jsonl(FILE *out, const syndic_batch *b, size_t index,
                       const syndic_cluster *c)
{
    json_t *obj = json_object();
    json_t *members = json_array();
    if (!obj || !members) { json_decref(obj); json_decref(members); return -1; }
    json_object_set_new(obj, "cluster", json_integer((json_int_t)index + 1));
    json_object_set_new(obj, "size", json_integer(c->size));
    json_object_set_new(obj, "representative",
                        json_string(syndic_batch_doc(b, c->members[0].doc)->id));
    for (uint32_t i = 0; i < c->size; i++) {
        const syndic_doc_info *d = syndic_batch_doc(b, c->members[i].doc);
        json_t *m = json_object();
        json_object_set_new(m, "id", json_string(d->id));
        json_object_set_new(m, "outlet", str_or_null(d->outlet));
        char when[32];
        iso_time(when, sizeof when, d);
        json_object_set_new(m, "date", str_or_null(d->date));
        json_object_set_new(m, "time", str_or_null(when));
        json_object_set_new(m, "title", str_or_null(d->title));
        json_object_set_new(m, "url", str_or_null(d->url));
        json_object_set_new(m, "jaccard", json_real(c->members[i].jaccard));
        json_array_append_new(members, m);
    }
    json_object_set_new(obj, "members", members);
    int rc = json_dumpf(obj, out, JSON_COMPACT);
    json_decref(obj);
    if (rc < 0) return -1;
    fputc('\n', out);
    return 0;
}

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_csv(FILE *out, const syndic_batch *b, size_t index,
                      const syndic_cluster *c)
{
    for (uint32_t i = 0; i < c->size; i++) {
        const syndic_doc_info *d = syndic_batch_doc(b, c->members[i].doc);
        fprintf(out, "%zu,%u,", index + 1, c->size);
        csv_field(out, d->id);
        fputc(',', out);
        csv_field(out, d->outlet);
        fputc(',', out);
        csv_field(out, d->date);
        char when[32];
        iso_time(when, sizeof when, d);
        fprintf(out, ",%s,", when);
        csv_field(out, d->title);
        fputc(',', out);
        csv_field(out, d->url);
        fprintf(out, ",%.4f\r\n", c->members[i].jaccard);
    }
}

/* Prints s in `width` display columns (counting UTF-8 lead bytes), never
 * splitting a character; a longer s is cut and ends in "...". Padded with
 * spaces when `pad`, so that columns line up. */
static void text_column(FILE *out, const char *s, int width, bool pad)
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

static void write_text(FILE *out, const syndic_batch *b, size_t index,
                       const syndic_cluster *c)
{
    const syndic_doc_info *rep = syndic_batch_doc(b, c->members[0].doc);
    fprintf(out, "cluster %zu: %u documents (time UTC, outlet, estimated Jaccard with"
                 " the representative, id, title)\n", index + 1, c->size);
    for (uint32_t i = 0; i < c->size; i++) {
        const syndic_doc_info *d = syndic_batch_doc(b, c->members[i].doc);
        char when[32];
        iso_time(when, sizeof when, d);
        if (when[0]) { when[10] = ' '; when[16] = 0; } /* "2026-03-04 09:15" */
        fputs("  ", out);
        text_column(out, when[0] ? when : "-", 16, true);
        fputs("  ", out);
        text_column(out, d->outlet[0] ? d->outlet : "-", 24, true);
        fputs("  ", out);
        if (d == rep) fputs("rep  ", out);
        else fprintf(out, "%.2f ", c->members[i].jaccard);
        fputs(" ", out);
        text_column(out, d->id, 26, true);
        fputs("  ", out);
        text_column(out, d->title[0] ? d->title : "", 60, false);
        fputc('\n', out);
    }
    fputc('\n', out);
}

int cli_write_clusters(FILE *out, const syndic_batch *b, cli_format format,
                       bool singletons)
{
    if (format == FORMAT_CSV) fputs("cluster,size,id,outlet,date,time,title,url,jaccard\r\n", out);
    size_t shown = 0;
    for (size_t i = 0; i < syndic_batch_cluster_count(b); i++) {
        const syndic_cluster *c = syndic_batch_cluster_at(b, i);
        if (c->size < 2 && !singletons) break; /* sorted by size: the rest are singletons */
        switch (format) {
        case FORMAT_JSONL:
            if (write_jsonl(out, b, i, c) < 0) return -1;
            break;
        case FORMAT_CSV: write_csv(out, b, i, c); break;
        case FORMAT_TEXT: write_text(out, b, i, c); break;
        }
        shown++;
    }
    if (format == FORMAT_TEXT && shown == 0) fputs("no clusters found\n", out);
    return ferror(out) ? -1 : 0;
}
