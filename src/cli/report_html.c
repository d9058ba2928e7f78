/*
 * report_html.c - one self-contained HTML page about how each story spread.
 *
 * The page is for people reading it in any browser, offline, possibly from
 * an untrusted corpus, so:
 *  - No JavaScript, no external resources: the CSS is inline, the timelines
 *    are inline SVG, fonts are the reader's own. Collapsing (the template
 *    lines, the side-by-side views) uses <details>.
 *  - Everything that comes from a document (id, outlet, title, url, text)
 *    goes through one escaper, esc_n(), in HTML and SVG alike. URLs are shown
 *    as text, never as links.
 *  - The output depends only on the batch, the analysis and the templates:
 *    no generation time, no pointers; stories are sorted by a total order.
 *
 * Layout: a header with counts and the learned template lines; an overview
 * table of the stories by reach (distinct outlets, then copies, then cluster
 * number); then a section per story (id "story-N", N = the cluster number of
 * the JSON Lines output) with a timeline (time across, one row per outlet,
 * a circle per copy, an arrow from each copy's source to it), a table of the
 * copies, and each copy beside its source: kept sentences on both sides,
 * removed ones struck out on the left, added ones marked on the right.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------ */
/* Escaping and formatting                                                  */

/* Writes s[0..len) with & < > " ' escaped; safe in element text and in
 * quoted attribute values, in HTML and in inline SVG. */
static void esc_n(FILE *out, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        fwrite(s + run, 1, i - run, out);
        fputs(rep, out);
        run = i + 1;
    }
    fwrite(s + run, 1, len - run, out);
}

static void esc(FILE *out, const char *s) { esc_n(out, s, strlen(s)); }

/* Escapes at most `max` characters of s (UTF-8 code points, never split);
 * a longer s ends in an ellipsis. */
static void esc_cut(FILE *out, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80) continue;
        if (chars == max) break;
        chars++;
    }
    esc_n(out, s, i);
    if (s[i]) fputs("\xe2\x80\xa6", out);
}

/* s, or a placeholder for an absent field, escaped. */
static void esc_or(FILE *out, const char *s, const char *absent)
{
    if (s && *s) esc(out, s);
    else fprintf(out, "<span class=\"none\">%s</span>", absent);
}

/* "0s", "45s", "12m", "1h 05m", "2d 03h"; a dash when unknown (negative). */
static void fmt_duration(char *buf, size_t cap, int64_t s)
{
    if (s < 0) snprintf(buf, cap, "\xe2\x80\x93");
    else if (s < 60) snprintf(buf, cap, "%llds", (long long)s);
    else if (s < 3600) snprintf(buf, cap, "%lldm", (long long)(s / 60));
    else if (s < 86400)
        snprintf(buf, cap, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else snprintf(buf, cap, "%lldd %02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

/* "2026-03-06 07:15" in UTC; with `full` also the seconds. */
static void fmt_time(char *buf, size_t cap, int64_t t, bool full)
{
    time_t tt = (time_t)t;
    struct tm tm;
    buf[0] = 0;
    if (gmtime_r(&tt, &tm))
        strftime(buf, cap, full ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
}

static const syndic_doc_info *copy_doc(const syndic_batch *b, const syndic_story *st, size_t i)
{
    return syndic_batch_doc(b, st->copies[i].doc);
}

/* The story's name: the origin's title, or its id when it has none. */
static const char *story_title(const syndic_batch *b, const syndic_story *st)
{
    const syndic_doc_info *d = copy_doc(b, st, 0);
    return d->title[0] ? d->title : d->id;
}

/* ------------------------------------------------------------------------ */
/* Page head and header                                                     */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:#212529;background:#f8f9fa;margin:0}"
    "main{max-width:1280px;margin:0 auto;padding:16px 24px 48px}"
    "h1{font-size:26px;margin:8px 0 4px}"
    "h2{font-size:19px;margin:0 0 6px;line-height:1.3}"
    "h3{font-size:15px;margin:18px 0 6px}"
    "a{color:#1864ab;text-decoration:none}a:hover{text-decoration:underline}"
    ".counts{color:#495057;margin:0 0 10px}.counts b{color:#212529}"
    ".none{color:#adb5bd;font-style:italic}"
    ".muted{color:#868e96}"
    "table{border-collapse:collapse;background:#fff;width:100%}"
    "th,td{padding:4px 8px;border-bottom:1px solid #e9ecef;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:#f1f3f5;font-weight:600;white-space:nowrap;font-size:13px}"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "td.t{white-space:nowrap;font-variant-numeric:tabular-nums}td.o{min-width:10em}"
    "tr:hover td{background:#f8f9fa}"
    "details{margin:6px 0}summary{cursor:pointer}"
    "details.templates{background:#fff;border:1px solid #dee2e6;border-radius:6px;"
    "padding:6px 12px;margin:10px 0 18px}"
    "details.templates table{margin:6px 0}"
    "details.templates td.o{font-weight:600;white-space:nowrap}"
    "section.story{background:#fff;border:1px solid #dee2e6;border-radius:8px;"
    "padding:14px 18px;margin:22px 0}"
    ".num{color:#868e96;font-weight:400;margin-right:6px}"
    ".meta{color:#495057;margin:0 0 8px}"
    "figure{margin:8px 0}figcaption{color:#495057;font-size:12px;margin-top:2px}"
    "svg.timeline{display:block;max-width:100%;height:auto;background:#fff}"
    "svg.timeline text{font:11px system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "fill:#343a40}"
    "svg.timeline text.tick{fill:#868e96}"
    "svg.timeline line.row{stroke:#f1f3f5}svg.timeline line.grid{stroke:#e9ecef}"
    "svg.timeline path.edge{fill:none;stroke:#868e96;stroke-width:1.2}"
    "svg.timeline circle.copy{stroke:#fff;stroke-width:1.5}"
    ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 3px 0 10px;"
    "vertical-align:-1px}"
    ".e-origin{background:#e8590c}.e-verbatim{background:#868e96}.e-trimmed{background:#1c7ed6}"
    ".e-extended{background:#2f9e44}.e-rewritten{background:#ae3ec9}"
    "circle[data-edit=origin]{fill:#e8590c}circle[data-edit=verbatim]{fill:#868e96}"
    "circle[data-edit=trimmed]{fill:#1c7ed6}circle[data-edit=extended]{fill:#2f9e44}"
    "circle[data-edit=rewritten]{fill:#ae3ec9}"
    "svg.timeline circle.origin{stroke:#7f2704;stroke-width:2}"
    ".label{display:inline-block;padding:0 6px;border-radius:9px;color:#fff;font-size:12px;"
    "white-space:nowrap}"
    ".hl{display:inline-block;margin-left:6px;padding:0 5px;border:1px solid #f08c00;"
    "border-radius:4px;color:#e67700;font-size:11px;white-space:nowrap}"
    ".sub{color:#868e96;font-size:12px;word-break:break-all}"
    "tr.origin td{background:#fff4e6}"
    "details.sidebyside{border:1px solid #e9ecef;border-radius:6px;padding:4px 10px}"
    "details.sidebyside[open]{padding-bottom:10px}"
    "details.sidebyside table{table-layout:fixed;margin-top:6px}"
    "details.sidebyside td{width:50%;border-bottom:1px solid #f1f3f5;font-size:13px}"
    "del{background:#ffe3e3;color:#c92a2a;text-decoration:line-through}"
    "ins{background:#d3f9d8;color:#2b8a3e;text-decoration:none}"
    "tr.edited td{background:#fff9db}"
    ".ops{font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".ops .k{color:#495057}.ops .r{color:#c92a2a}.ops .a{color:#2b8a3e}.ops .e{color:#e67700}";

static void write_head(FILE *out)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<title>syndic report</title>\n<style>", out);
    fputs(css, out);
    fputs("</style>\n</head>\n<body>\n<main>\n", out);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Distinct outlets over all documents ("" counts as one). */
static int count_outlets(const syndic_batch *b, size_t *out)
{
    size_t n = syndic_batch_doc_count(b), distinct = 0;
    *out = 0;
    if (!n) return 0;
    const char **o = malloc(n * sizeof *o);
    if (!o) return -1;
    for (size_t i = 0; i < n; i++) o[i] = syndic_batch_doc(b, i)->outlet;
    qsort(o, n, sizeof *o, cmp_str);
    for (size_t i = 0; i < n; i++) distinct += i == 0 || strcmp(o[i - 1], o[i]) != 0;
    free(o);
    *out = distinct;
    return 0;
}

/* The learned template lines, grouped by outlet (they come sorted by
 * outlet), collapsed. */
static void write_templates(FILE *out, const syndic_templates *t)
{
    size_t n = t ? syndic_templates_count(t) : 0, outlets = 0;
    for (size_t i = 0; i < n; i++)
        outlets += i == 0 || strcmp(syndic_templates_at(t, i - 1)->outlet,
                                    syndic_templates_at(t, i)->outlet) != 0;
    if (!t) {
        fputs("<p class=\"muted\">Template lines were not learned.</p>\n", out);
        return;
    }
    fprintf(out, "<details class=\"templates\"><summary>Template lines dropped before "
                 "matching: <b>%zu</b> line%s in <b>%zu</b> outlet%s</summary>\n",
            n, n == 1 ? "" : "s", outlets, outlets == 1 ? "" : "s");
    if (!n) { fputs("<p class=\"muted\">None found.</p></details>\n", out); return; }
    fputs("<table><thead><tr><th>Outlet</th><th class=\"n\">Documents</th><th>Line</th>"
          "</tr></thead><tbody>\n", out);
    for (size_t i = 0; i < n; i++) {
        const syndic_template_line *l = syndic_templates_at(t, i);
        bool first = i == 0 || strcmp(syndic_templates_at(t, i - 1)->outlet, l->outlet) != 0;
        fputs("<tr><td class=\"o\">", out);
        if (first) esc_or(out, l->outlet, "(no outlet)");
        fprintf(out, "</td><td class=\"n\">%u</td><td>", l->documents);
        esc(out, l->text);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></details>\n", out);
}

static void write_header(FILE *out, const syndic_batch *b, size_t stories, size_t in_stories,
                         size_t outlets, const syndic_templates *t)
{
    size_t docs = syndic_batch_doc_count(b);
    fputs("<header>\n<h1>syndic report</h1>\n", out);
    fprintf(out, "<p class=\"counts\"><b>%zu</b> document%s &middot; <b>%zu</b> stor%s of "
                 "2+ copies (%zu documents) &middot; <b>%zu</b> outlet%s</p>\n",
            docs, docs == 1 ? "" : "s", stories, stories == 1 ? "y" : "ies", in_stories,
            outlets, outlets == 1 ? "" : "s");
    write_templates(out, t);
    fputs("</header>\n", out);
}

/* ------------------------------------------------------------------------ */
/* Overview                                                                 */

/* By reach: distinct outlets, then copies, descending; then cluster. */
static int cmp_reach(const void *x, const void *y)
{
    const syndic_story *a = *(const syndic_story *const *)x;
    const syndic_story *b = *(const syndic_story *const *)y;
    if (a->outlets != b->outlets) return a->outlets > b->outlets ? -1 : 1;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return (a->cluster > b->cluster) - (a->cluster < b->cluster);
}

static void write_overview(FILE *out, const syndic_batch *b, const syndic_story *const *st,
                           size_t n)
{
    fputs("<h2 id=\"overview\">Stories by reach</h2>\n", out);
    if (!n) {
        fputs("<p class=\"muted\">No story was found in two or more copies.</p>\n", out);
        return;
    }
    fputs("<table class=\"overview\"><thead><tr><th class=\"n\">Story</th><th>Origin outlet</th>"
          "<th>Origin title</th><th class=\"n\">Outlets</th><th class=\"n\">Copies</th>"
          "<th>First (UTC)</th><th class=\"n\">To 2 outlets</th><th class=\"n\">To 5</th>"
          "<th class=\"n\">To 10</th></tr></thead><tbody>\n", out);
    for (size_t i = 0; i < n; i++) {
        const syndic_story *s = st[i];
        const syndic_doc_info *o = copy_doc(b, s, 0);
        unsigned num = s->cluster + 1;
        fprintf(out, "<tr><td class=\"n\"><a href=\"#story-%u\">%u</a></td><td class=\"o\">",
                num, num);
        esc_or(out, o->outlet, "(no outlet)");
        fprintf(out, "</td><td><a href=\"#story-%u\">", num);
        esc(out, story_title(b, s));
        fprintf(out, "</a></td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"t\">",
                s->outlets, s->size);
        char buf[40];
        if (s->dated) { fmt_time(buf, sizeof buf, s->first, false); fputs(buf, out); }
        else fputs("<span class=\"none\">undated</span>", out);
        fputs("</td>", out);
        for (int k = 0; k < 3; k++) {
            fmt_duration(buf, sizeof buf, s->to_reach[k]);
            fprintf(out, "<td class=\"n\">%s</td>", buf);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

/* ------------------------------------------------------------------------ */
/* One story                                                                */

enum { SVG_W = 1000, SVG_LEFT = 200, SVG_RIGHT = 30, SVG_TOP = 30, SVG_ROW = 24,
       SVG_BOTTOM = 10, LABEL_CHARS = 30 };

/* The row of each copy: distinct outlets in order of first appearance.
 * Fills row[] (m entries) and returns the number of rows. */
static uint32_t outlet_rows(const syndic_batch *b, const syndic_story *st, uint32_t *row,
                            uint32_t *first_copy)
{
    uint32_t rows = 0;
    for (uint32_t i = 0; i < st->size; i++) {
        const char *o = copy_doc(b, st, i)->outlet;
        uint32_t r = 0;
        while (r < rows && strcmp(copy_doc(b, st, first_copy[r])->outlet, o) != 0) r++;
        if (r == rows) first_copy[rows++] = i;
        row[i] = r;
    }
    return rows;
}

static double copy_x(const syndic_story *st, uint32_t i)
{
    double left = SVG_LEFT + 12, width = SVG_W - SVG_RIGHT - left, f = 0;
    if (st->dated) {
        int64_t span = st->last - st->first;
        f = span > 0 ? (double)st->copies[i].delay / (double)span : 0;
    } else if (st->size > 1) {
        f = (double)i / (double)(st->size - 1);
    }
    return left + f * width;
}

static double row_y(uint32_t r) { return SVG_TOP + SVG_ROW * (r + 0.5); }

static double copy_r(uint32_t i) { return i == 0 ? 7.0 : 5.5; }

static void write_axis(FILE *out, const syndic_story *st, double height)
{
    double left = SVG_LEFT + 12, width = SVG_W - SVG_RIGHT - left;
    if (!st->dated) {
        fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"16\">input order &#8594;</text>\n", left);
        return;
    }
    int64_t span = st->last - st->first;
    int ticks = span > 0 ? 5 : 1;
    for (int k = 0; k < ticks; k++) {
        double f = ticks > 1 ? k / (double)(ticks - 1) : 0, x = left + f * width;
        char buf[40];
        if (k == 0) fmt_time(buf, sizeof buf, st->first, false);
        else { buf[0] = '+'; fmt_duration(buf + 1, sizeof buf - 1, (int64_t)((double)span * f)); }
        const char *anchor = k == 0 ? "start" : k == ticks - 1 ? "end" : "middle";
        fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"22\" x2=\"%.1f\" y2=\"%.1f\"/>"
                     "<text class=\"tick\" x=\"%.1f\" y=\"16\" text-anchor=\"%s\">%s</text>\n",
                x, x, height - SVG_BOTTOM / 2.0, k == 0 ? x - 6 : x, anchor, buf);
    }
}

/* An arrow from copy `from` to copy `to`: a straight line between rows, an
 * arc above the row within one. Both ends stop at the circles' edges. */
static void write_edge(FILE *out, const syndic_story *st, const uint32_t *row, uint32_t from,
                       uint32_t to, unsigned num)
{
    double x0 = copy_x(st, from), y0 = row_y(row[from]);
    double x2 = copy_x(st, to), y2 = row_y(row[to]);
    double dx = x2 - x0, dy = y2 - y0, cx = (x0 + x2) / 2, cy = (y0 + y2) / 2;
    double r0 = copy_r(from) + 1, r2 = copy_r(to) + 2;
    if (row[from] == row[to]) {
        double lift = dx / 3 + 8;
        cy -= lift < SVG_ROW * 0.8 ? lift : SVG_ROW * 0.8;
    }
    double d0x = cx - x0, d0y = cy - y0, d2x = x2 - cx, d2y = y2 - cy;
    double l0 = sqrt(d0x * d0x + d0y * d0y), l2 = sqrt(d2x * d2x + d2y * d2y);
    if (sqrt(dx * dx + dy * dy) < r0 + r2 + 4 || l0 <= 0 || l2 <= 0) return; /* overlap */
    x0 += d0x / l0 * r0; y0 += d0y / l0 * r0;
    x2 -= d2x / l2 * r2; y2 -= d2y / l2 * r2;
    fprintf(out, "<path class=\"edge\" d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" "
                 "marker-end=\"url(#arrow-%u)\"/>\n", x0, y0, cx, cy, x2, y2, num);
}

static void write_circle(FILE *out, const syndic_batch *b, const syndic_story *st,
                         const uint32_t *row, uint32_t i)
{
    const syndic_copy *c = &st->copies[i];
    const syndic_doc_info *d = syndic_batch_doc(b, c->doc);
    fprintf(out, "<circle class=\"%s\" data-edit=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">"
                 "<title>#%u ", i == 0 ? "copy origin" : "copy", syndic_edit_name(c->edit),
            copy_x(st, i), row_y(row[i]), copy_r(i), i + 1);
    esc_or(out, d->outlet, "(no outlet)");
    if (d->has_time) {
        char buf[40];
        fmt_time(buf, sizeof buf, d->time, false);
        fprintf(out, ", %s UTC", buf);
    }
    fprintf(out, ", %s: ", syndic_edit_name(c->edit));
    esc(out, d->title[0] ? d->title : d->id);
    fputs("</title></circle>\n", out);
}

static int write_timeline(FILE *out, const syndic_batch *b, const syndic_story *st)
{
    uint32_t m = st->size, *row = malloc(2 * (size_t)m * sizeof *row);
    if (!row) return -1;
    uint32_t *first_copy = row + m, rows = outlet_rows(b, st, row, first_copy);
    unsigned num = st->cluster + 1;
    double height = SVG_TOP + (double)rows * SVG_ROW + SVG_BOTTOM;
    fprintf(out, "<figure>\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
                 "width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">\n"
                 "<defs><marker id=\"arrow-%u\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
                 "markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" "
                 "fill=\"#868e96\"/></marker></defs>\n",
            SVG_W, height, SVG_W, height, num);
    write_axis(out, st, height);
    for (uint32_t r = 0; r < rows; r++) {
        double y = row_y(r);
        fprintf(out, "<line class=\"row\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                     "<text x=\"8\" y=\"%.1f\">", SVG_LEFT, y, SVG_W - SVG_RIGHT / 2, y, y + 4);
        const char *o = copy_doc(b, st, first_copy[r])->outlet;
        if (o[0]) {
            fputs("<title>", out);
            esc(out, o);
            fputs("</title>", out);
            esc_cut(out, o, LABEL_CHARS);
        } else {
            fputs("(no outlet)", out);
        }
        fputs("</text>\n", out);
    }
    for (uint32_t i = 1; i < m; i++)
        if (st->copies[i].source >= 0 && (uint32_t)st->copies[i].source < m)
            write_edge(out, st, row, (uint32_t)st->copies[i].source, i, num);
    for (uint32_t i = m; i-- > 0;) write_circle(out, b, st, row, i); /* origin on top */
    fputs("</svg>\n<figcaption>", out);
    if (st->dated) fputs("Time (UTC) across, one row per outlet; an arrow runs from the copy "
                         "each copy most likely came from.", out);
    else fputs("<b>Not every copy is dated:</b> the x axis is the input order, not time; "
                "an arrow runs from the copy each copy most likely came from.", out);
    static const char *edits[] = {"origin", "verbatim", "trimmed", "extended", "rewritten"};
    fputs("<br>", out);
    for (int k = 0; k < 5; k++)
        fprintf(out, "<span class=\"dot e-%s\"></span>%s", edits[k], edits[k]);
    fputs("</figcaption>\n</figure>\n", out);
    free(row);
    return 0;
}

/* "#3 Outlet" for copy i of a story. */
static void copy_ref(FILE *out, const syndic_batch *b, const syndic_story *st, uint32_t i)
{
    fprintf(out, "#%u ", i + 1);
    esc_or(out, copy_doc(b, st, i)->outlet, "(no outlet)");
}

static void write_ops(FILE *out, const syndic_copy *c)
{
    fprintf(out, "<span class=\"ops\"><span class=\"k\">%u</span> / <span class=\"r\">&minus;%u"
                 "</span> / <span class=\"a\">+%u</span>", c->kept, c->removed, c->added);
    if (c->edited) fprintf(out, " <span class=\"e\">(%u edited)</span>", c->edited);
    fputs("</span>", out);
}

static void write_copy_row(FILE *out, const syndic_batch *b, const syndic_story *st, uint32_t i)
{
    const syndic_copy *c = &st->copies[i];
    const syndic_doc_info *d = syndic_batch_doc(b, c->doc);
    char buf[40];
    fprintf(out, "<tr%s><td class=\"n\">%u</td><td class=\"t\">", i == 0 ? " class=\"origin\"" : "",
            i + 1);
    if (d->has_time) { fmt_time(buf, sizeof buf, d->time, false); fputs(buf, out); }
    else fputs("<span class=\"none\">undated</span>", out);
    fmt_duration(buf, sizeof buf, i == 0 ? -1 : c->delay);
    fprintf(out, "</td><td class=\"n\">%s</td><td>", buf);
    esc_or(out, d->outlet, "(no outlet)");
    fputs("</td><td>", out);
    esc_or(out, d->title, "(no title)");
    if (i > 0 && c->headline_changed)
        fputs("<span class=\"hl\" title=\"the headline differs from the source's\">new headline"
              "</span>", out);
    fputs("<div class=\"sub\">", out);
    esc(out, d->id);
    if (d->url[0]) { fputs(" &middot; ", out); esc(out, d->url); }
    fputs("</div></td><td>", out);
    if (c->source >= 0) copy_ref(out, b, st, (uint32_t)c->source);
    else fputs("&ndash;", out);
    fprintf(out, "</td><td><span class=\"label e-%s\">%s</span></td><td>",
            syndic_edit_name(c->edit), syndic_edit_name(c->edit));
    if (i > 0) write_ops(out, c);
    fputs("</td><td class=\"n\">", out);
    if (i > 0) fprintf(out, "%.0f%%", c->containment * 100);
    fputs("</td></tr>\n", out);
}

static void write_copies(FILE *out, const syndic_batch *b, const syndic_story *st)
{
    fputs("<table class=\"copies\"><thead><tr><th class=\"n\">#</th><th>Time (UTC)</th>"
          "<th class=\"n\">Delay</th><th>Outlet</th><th>Title</th><th>Source</th><th>Edit</th>"
          "<th title=\"sentences kept / removed / added against the source\">Sentences "
          "k / &minus; / +</th><th class=\"n\" title=\"share of the copy's shingles found in "
          "its source\">In source</th></tr></thead><tbody>\n", out);
    for (uint32_t i = 0; i < st->size; i++) write_copy_row(out, b, st, i);
    fputs("</tbody></table>\n", out);
}

/* Copy i beside its source, sentence by sentence, in the diff's order. */
static void write_sidebyside(FILE *out, const syndic_batch *b, const syndic_story *st, uint32_t i)
{
    const syndic_copy *c = &st->copies[i];
    fprintf(out, "<details class=\"sidebyside\"><summary>");
    copy_ref(out, b, st, i);
    fprintf(out, " <span class=\"label e-%s\">%s</span> against ", syndic_edit_name(c->edit),
            syndic_edit_name(c->edit));
    copy_ref(out, b, st, (uint32_t)c->source);
    fputs(": ", out);
    write_ops(out, c);
    fputs("</summary>\n", out);
    if (!c->diff_count) {
        fprintf(out, "<p class=\"muted\">%s</p></details>\n",
                c->kept + c->removed + c->added ? "Too long to show sentence by sentence."
                                                : "No sentences on either side.");
        return;
    }
    fputs("<table><thead><tr><th>Source ", out);
    copy_ref(out, b, st, (uint32_t)c->source);
    fputs("</th><th>Copy ", out);
    copy_ref(out, b, st, i);
    fputs("</th></tr></thead><tbody>\n", out);
    for (uint32_t k = 0; k < c->diff_count; k++) {
        const syndic_diff_item *it = &c->diff[k];
        switch (it->op) {
        case SYNDIC_DIFF_KEPT:
            /* An edited sentence shows each side's own wording. */
            fputs(it->source_len == it->len && memcmp(it->source_text, it->text, it->len) == 0
                      ? "<tr class=\"kept\"><td>" : "<tr class=\"kept edited\"><td>", out);
            esc_n(out, it->source_text, it->source_len);
            fputs("</td><td>", out);
            esc_n(out, it->text, it->len);
            break;
        case SYNDIC_DIFF_REMOVED:
            fputs("<tr class=\"removed\"><td><del>", out);
            esc_n(out, it->text, it->len);
            fputs("</del></td><td>", out);
            break;
        case SYNDIC_DIFF_ADDED:
            fputs("<tr class=\"added\"><td></td><td><ins>", out);
            esc_n(out, it->text, it->len);
            fputs("</ins>", out);
            break;
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></details>\n", out);
}

static int write_story(FILE *out, const syndic_batch *b, const syndic_story *st)
{
    const syndic_doc_info *o = copy_doc(b, st, 0);
    unsigned num = st->cluster + 1;
    char buf[40];
    fprintf(out, "<section class=\"story\" id=\"story-%u\">\n<h2><span class=\"num\">Story %u"
                 "</span>", num, num);
    esc(out, story_title(b, st));
    fputs("</h2>\n<p class=\"meta\">First in <b>", out);
    esc_or(out, o->outlet, "(no outlet)");
    fputs("</b>", out);
    if (o->has_time) {
        fmt_time(buf, sizeof buf, o->time, false);
        fprintf(out, " at %s UTC", buf);
    }
    fprintf(out, " &middot; %u cop%s in %u outlet%s", st->size, st->size == 1 ? "y" : "ies",
            st->outlets, st->outlets == 1 ? "" : "s");
    if (st->dated && st->size > 1) {
        fmt_duration(buf, sizeof buf, st->last - st->first);
        fprintf(out, " over %s", buf);
    }
    static const int marks[3] = {2, 5, 10};
    for (int k = 0; k < 3; k++) {
        if (st->to_reach[k] < 0) continue;
        fmt_duration(buf, sizeof buf, st->to_reach[k]);
        fprintf(out, " &middot; %d outlets after %s", marks[k], buf);
    }
    fputs(" &middot; <a href=\"#overview\">overview</a></p>\n", out);
    if (write_timeline(out, b, st) < 0) return -1;
    write_copies(out, b, st);
    if (st->size > 1) {
        fputs("<h3>Each copy beside its source</h3>\n<p class=\"muted\">Removed sentences are "
              "<del>struck out</del> on the left, added ones <ins>marked</ins> on the right; a "
              "sentence kept with small edits is shaded, each side in its own words."
              "</p>\n", out);
        for (uint32_t i = 1; i < st->size; i++)
            if (st->copies[i].source >= 0) write_sidebyside(out, b, st, i);
    }
    fputs("</section>\n", out);
    return 0;
}

/* ------------------------------------------------------------------------ */

int cli_write_html(FILE *out, const syndic_batch *b, const syndic_analysis *a,
                   const syndic_templates *templates, bool singletons)
{
    size_t n = syndic_batch_cluster_count(b), shown = 0, stories = 0, in_stories = 0, outlets;
    const syndic_story **st = malloc((n ? n : 1) * sizeof *st);
    if (!st || count_outlets(b, &outlets) < 0) { free(st); return -1; }
    for (size_t i = 0; i < n; i++) {
        const syndic_story *s = syndic_analysis_story(a, i);
        if (!s) break;
        if (s->size >= 2) { stories++; in_stories += s->size; }
        if (s->size >= 2 || singletons) st[shown++] = s;
    }
    qsort(st, shown, sizeof *st, cmp_reach);
    write_head(out);
    write_header(out, b, stories, in_stories, outlets, templates);
    write_overview(out, b, st, shown);
    int rc = 0;
    for (size_t i = 0; i < shown && rc == 0; i++) rc = write_story(out, b, st[i]);
    fputs("</main>\n</body>\n</html>\n", out);
    free(st);
    if (rc < 0) return -1;
    return ferror(out) ? -1 : 0;
}
