/*
 * read.c - documents from JSON Lines files, gzip, stdin and text trees.
 *
 * Inputs:
 *  - a file or "-" (stdin): JSON Lines, one object per line, plain or gzip
 *    (by the magic bytes, never by the file name; see instream.c). A
 *    truncated or corrupt gzip stream ends the input with SYNDIC_EIO after
 *    every record before the damage.
 *  - a file whose name ends in ".txt": one document, the whole file.
 *  - a directory: every *.txt file below it, one document each, walked in
 *    sorted order so that runs are repeatable; id = the path relative to the
 *    directory; with outlet_from_dir the outlet is its first component.
 *
 * Each bad record is reported with its reason and the stream goes on:
 * invalid UTF-8 and NUL bytes are found before parsing (jansson's messages
 * for them are less clear); then JSON syntax, a non-object, a missing or
 * non-string field, an empty text, a line over max_line (skipped without
 * being buffered whole). Blank lines carry no record and are skipped.
 *
 * Lines are cut from a 1 MiB read buffer with memchr; a line that fits in
 * the buffer is parsed in place, without copying.
 *
 * Parsing has two paths that give the same documents and verdicts. The fast
 * one (json_scan.c: jsmn tokens checked against the grammar) reads a line
 * that is one well-formed JSON object: strings with escapes are unescaped
 * into a buffer kept from record to record, strings without are used where
 * they are in the line buffer, NUL-terminated over their closing quote. No
 * allocation per record.
 * Any line it is not sure of goes to jansson (json_loadb, as before), which
 * gives the verdict and, for malformed JSON, the message and column. The
 * fields are then checked by one piece of code for both paths.
 */
#include "internal.h"
#include "json_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)1 << 20)

enum input_kind { INPUT_JSONL, INPUT_TEXT };

struct syndic_reader {
    syndic_read_options opt;
    enum input_kind kind;
    char *name;
    uint64_t line;       /* JSONL: line number; text: file number */
    uint64_t bytes;
    /* JSONL */
    syndic_instream *in;
    char *buf;           /* read buffer */
    size_t buf_len, buf_pos, buf_cap;
    bool eof, failed;
    syndic_buf joined;   /* a line that spans buffer refills */
    json_t *record;      /* the last line parsed by jansson */
    syndic_json_scan *scan;
    char id_number[32];  /* a numeric id, printed */
    /* text files */
    char *root;          /* directory, or NULL for a single file */
    char **files;
    size_t file_count, file_cap, file_pos;
    syndic_buf text;
    const char *outlet;  /* points into the current relative path */
    size_t outlet_len;
};

static const char *reject_names[SYNDIC_REJECT_COUNT] = {
    "none", "malformed_json", "not_object", "missing_field", "not_string",
    "invalid_utf8", "nul_byte", "empty_text", "line_too_long", "duplicate_id"};

const char *syndic_reject_name(syndic_reject reason)
{
    return (unsigned)reason < SYNDIC_REJECT_COUNT ? reject_names[reason] : "unknown";
}

const char *syndic_reader_name(const syndic_reader *r) { return r->name; }
uint64_t syndic_reader_line(const syndic_reader *r) { return r->line; }
uint64_t syndic_reader_bytes(const syndic_reader *r) { return r->bytes; }

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the .txt files below root/rel into r->files (relative paths). */
static int walk(syndic_reader *r, const char *rel, int depth)
{
    if (depth > 64)
        return syndic__error(SYNDIC_EIO, "%s/%s: directories nested too deep", r->root, rel);
    size_t plen = strlen(r->root) + strlen(rel) + 2;
    char *path = syndic__malloc(plen);
    if (!path) return syndic__oom();
    snprintf(path, plen, "%s%s%s", r->root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) {
        int rc = syndic__error(SYNDIC_EIO, "%s: cannot open directory: %s", path, strerror(errno));
        syndic__free(path);
        return rc;
    }
    int rc = SYNDIC_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .., hidden files */
        size_t clen = strlen(rel) + strlen(e->d_name) + 2;
        char *child = syndic__malloc(clen);
        if (!child) { rc = syndic__oom(); break; }
        snprintf(child, clen, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        size_t flen = strlen(r->root) + clen + 1;
        char *full = syndic__malloc(flen);
        if (!full) { syndic__free(child); rc = syndic__oom(); break; }
        snprintf(full, flen, "%s/%s", r->root, child);
        struct stat st;
        if (stat(full, &st) != 0) {
            rc = syndic__error(SYNDIC_EIO, "%s: %s", full, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(r, child, depth + 1);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".txt")) {
            if ((rc = syndic__grow(&r->files, &r->file_cap, r->file_count + 1,
                                   sizeof *r->files)) == SYNDIC_OK) {
                r->files[r->file_count++] = child;
                child = NULL;
            }
        }
        syndic__free(full);
        syndic__free(child);
        if (rc < 0) break;
    }
    closedir(d);
    syndic__free(path);
    return rc;
}

int syndic_reader_open(syndic_reader **out, const char *path,
                       const syndic_read_options *options)
{
    *out = NULL;
    syndic_read_options defaults = SYNDIC_READ_OPTIONS_INIT;
    if (!options) options = &defaults;
    if (options->version != SYNDIC_READ_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "read options version %u, expected %u",
                             options->version, SYNDIC_READ_OPTIONS_VERSION);
    syndic_reader *r = syndic__calloc(1, sizeof *r);
    if (!r) return syndic__oom();
    r->opt = *options;
    if (r->opt.max_line == 0) r->opt.max_line = SYNDIC_DEFAULT_MAX_LINE;
    int rc = SYNDIC_OK;
    bool is_stdin = strcmp(path, "-") == 0;
    const char *shown = r->opt.display_name ? r->opt.display_name : is_stdin ? "<stdin>" : path;
    r->name = syndic__strndup(shown, strlen(shown));
    if (!r->name) { rc = syndic__oom(); goto fail; }
    struct stat st;
    if (!is_stdin && stat(path, &st) != 0) {
        rc = syndic__error(SYNDIC_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!is_stdin && S_ISDIR(st.st_mode)) {
        r->kind = INPUT_TEXT;
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/') n--;
        if (!(r->root = syndic__strndup(path, n))) { rc = syndic__oom(); goto fail; }
        if ((rc = walk(r, "", 0)) < 0) goto fail;
        if (r->file_count) qsort(r->files, r->file_count, sizeof *r->files, cmp_str);
    } else if (!is_stdin && ends_with(path, ".txt")) {
        r->kind = INPUT_TEXT;
        if ((rc = syndic__grow(&r->files, &r->file_cap, 1, sizeof *r->files)) < 0) goto fail;
        if (!(r->files[0] = syndic__strndup(path, strlen(path)))) { rc = syndic__oom(); goto fail; }
        r->file_count = 1;
    } else {
        r->kind = INPUT_JSONL;
        int fd = is_stdin ? dup(0) : open(path, O_RDONLY);
        if (fd < 0) {
            rc = syndic__error(SYNDIC_EIO, "%s: %s", r->name, strerror(errno));
            goto fail;
        }
        if ((rc = syndic__instream_open(&r->in, fd)) < 0) {
            if (rc == SYNDIC_EIO)
                rc = syndic__error_within(SYNDIC_EIO, r->name);
            goto fail;
        }
        r->buf_cap = READ_CHUNK;
        if (!(r->buf = syndic__malloc(r->buf_cap))) { rc = syndic__oom(); goto fail; }
        if ((rc = syndic__json_scan_new(&r->scan)) < 0) goto fail;
    }
    *out = r;
    return SYNDIC_OK;
fail:
    syndic_reader_free(r);
    return rc;
}

void syndic_reader_free(syndic_reader *r)
{
    if (!r) return;
    syndic__instream_close(r->in);
    if (r->record) json_decref(r->record);
    syndic__json_scan_free(r->scan);
    syndic__free(r->buf);
    syndic__buf_free(&r->joined);
    syndic__buf_free(&r->text);
    for (size_t i = 0; i < r->file_count; i++) syndic__free(r->files[i]);
    syndic__free(r->files);
    syndic__free(r->root);
    syndic__free(r->name);
    syndic__free(r);
}

/* Refill the buffer; returns bytes read, 0 at end, or SYNDIC_EIO. */
static int refill(syndic_reader *r)
{
    if (r->eof) return 0;
    long n = syndic__instream_read(r->in, r->buf, r->buf_cap);
    if (n < 0) {
        r->eof = r->failed = true;
        if (n == SYNDIC_ENOMEM) return (int)n;
        char where[64];
        snprintf(where, sizeof where, "after line %llu", (unsigned long long)r->line);
        syndic__error_within(SYNDIC_EIO, where);
        return syndic__error_within(SYNDIC_EIO, r->name);
    }
    if (n == 0) { r->eof = true; return 0; }
    r->buf_len = (size_t)n;
    r->buf_pos = 0;
    r->bytes += (uint64_t)n;
    return (int)n;
}

/* Next line (without its newline). Returns 1 with a line, 0 at end,
 * SYNDIC_EBADREC for an over-long line (skipped), SYNDIC_EIO. */
static int next_line(syndic_reader *r, char **line, size_t *len)
{
    r->joined.len = 0;
    bool too_long = false;
    for (;;) {
        if (r->buf_pos >= r->buf_len) {
            int n = refill(r);
            if (n < 0) {
                if (r->joined.len || too_long) r->line++;
                return n;
            }
            if (n == 0) {
                if (r->joined.len == 0 && !too_long) return 0;
                r->line++; /* last line without a newline */
                if (too_long) goto long_line;
                *line = r->joined.data;
                *len = r->joined.len;
                return 1;
            }
        }
        char *start = r->buf + r->buf_pos;
        size_t avail = r->buf_len - r->buf_pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        r->buf_pos += take + (nl != NULL);
        if (!too_long && r->joined.len + take > r->opt.max_line) {
            too_long = true;
            r->joined.len = 0;
        }
        if (nl && !too_long && r->joined.len == 0) {
            r->line++;
            *line = start; /* the whole line is in the buffer */
            *len = take;
            return 1;
        }
        if (!too_long) {
            int rc = syndic__buf_append(&r->joined, start, take);
            if (rc < 0) return rc;
        }
        if (nl) {
            r->line++;
            if (too_long) goto long_line;
            *line = r->joined.data;
            *len = r->joined.len;
            return 1;
        }
    }
long_line:
    return syndic__error(SYNDIC_EBADREC, "%s:%llu: line longer than %zu bytes", r->name,
                         (unsigned long long)r->line, r->opt.max_line);
}

static int bad(syndic_reader *r, syndic_reject *reason, syndic_reject why,
               const char *fmt, const char *detail)
{
    *reason = why;
    return syndic__error(SYNDIC_EBADREC, "%s:%llu: %s%s%s", r->name,
                         (unsigned long long)r->line, fmt, detail ? ": " : "",
                         detail ? detail : "");
}

/* syndic__utf8_valid, with ASCII skipped eight bytes at a time: only the
 * runs of bytes >= 0x80 go to it. The answer and the offset are the same: a
 * sequence never holds an ASCII byte, so one cut by the end of its run is
 * invalid either way, and reported at its first byte either way. */
static bool utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    size_t i = 0;
    while (i < len) {
        while (len - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (x & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        while (i < len && (unsigned char)s[i] < 0x80) i++;
        if (i == len) break;
        size_t end = i;
        while (end < len && (unsigned char)s[end] >= 0x80) end++;
        size_t at;
        if (!syndic__utf8_valid(s + i, end - i, &at)) {
            *bad_at = i + at;
            return false;
        }
        i = end;
    }
    return true;
}

/* A top-level field of the current record, from the fast path or from
 * jansson's tree. */
static void get_field(syndic_reader *r, bool fast, const char *key, syndic_json_value *v)
{
    if (fast) {
        syndic__json_get(r->scan, key, v);
        return;
    }
    *v = (syndic_json_value){SYNDIC_JSON_ABSENT, NULL, 0, 0};
    json_t *j = json_object_get(r->record, key);
    if (!j) return;
    if (json_is_null(j)) {
        v->kind = SYNDIC_JSON_NULL;
    } else if (json_is_string(j)) {
        v->kind = SYNDIC_JSON_STRING;
        v->s = json_string_value(j);
        v->len = json_string_length(j);
    } else if (json_is_integer(j)) {
        v->kind = SYNDIC_JSON_INTEGER;
        v->integer = json_integer_value(j);
    } else {
        v->kind = SYNDIC_JSON_OTHER;
    }
}

/* Looks up an optional string field. Returns 1 found, 0 absent or null,
 * -1 present but not a string. */
static int string_field(syndic_reader *r, bool fast, const char *key, const char **s,
                        size_t *len)
{
    syndic_json_value v;
    get_field(r, fast, key, &v);
    if (v.kind == SYNDIC_JSON_ABSENT || v.kind == SYNDIC_JSON_NULL) return 0;
    if (v.kind != SYNDIC_JSON_STRING) return -1;
    *s = v.s;
    *len = v.len;
    return 1;
}

static int parse_record(syndic_reader *r, char *line, size_t len, syndic_doc *doc,
                        syndic_reject *reason)
{
    size_t bad_at;
    if (memchr(line, '\0', len))
        return bad(r, reason, SYNDIC_REJECT_NUL_BYTE, "NUL byte in the line", NULL);
    if (!utf8_valid(line, len, &bad_at)) {
        char where[48];
        snprintf(where, sizeof where, "at byte %zu", bad_at + 1);
        return bad(r, reason, SYNDIC_REJECT_INVALID_UTF8, "invalid UTF-8", where);
    }
    if (r->record) { json_decref(r->record); r->record = NULL; }
    int fast = syndic__json_scan(r->scan, line, len);
    if (fast < 0) return fast;
    if (!fast) {
        json_error_t err;
        r->record = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
        if (!r->record) {
            char detail[200];
            snprintf(detail, sizeof detail, "%s (column %d)", err.text, err.column);
            return bad(r, reason, SYNDIC_REJECT_MALFORMED_JSON, "malformed JSON", detail);
        }
        if (!json_is_object(r->record))
            return bad(r, reason, SYNDIC_REJECT_NOT_OBJECT, "not a JSON object", NULL);
    }
    const syndic_read_options *o = &r->opt;
    const char *id_key = o->field_id ? o->field_id : "id";
    const char *text_key = o->field_text ? o->field_text : "text";
    syndic_json_value id;
    get_field(r, fast, id_key, &id);
    char what[160];
    if (id.kind == SYNDIC_JSON_ABSENT || id.kind == SYNDIC_JSON_NULL) {
        snprintf(what, sizeof what, "missing field \"%.100s\"", id_key);
        return bad(r, reason, SYNDIC_REJECT_MISSING_FIELD, what, NULL);
    }
    *doc = (syndic_doc)SYNDIC_DOC_INIT;
    if (id.kind == SYNDIC_JSON_STRING) {
        doc->id = id.s;
        doc->id_len = id.len;
    } else if (id.kind == SYNDIC_JSON_INTEGER) {
        snprintf(r->id_number, sizeof r->id_number, "%" JSON_INTEGER_FORMAT,
                 (json_int_t)id.integer);
        doc->id = r->id_number;
        doc->id_len = strlen(r->id_number);
    } else {
        snprintf(what, sizeof what, "field \"%.100s\" is not a string or integer", id_key);
        return bad(r, reason, SYNDIC_REJECT_NOT_STRING, what, NULL);
    }
    if (doc->id_len == 0) {
        snprintf(what, sizeof what, "field \"%.100s\" is empty", id_key);
        return bad(r, reason, SYNDIC_REJECT_MISSING_FIELD, what, NULL);
    }
    struct { const char *key, *fallback; const char **s; size_t *len; bool required; } f[] = {
        {text_key, NULL, &doc->text, &doc->text_len, true},
        {o->field_outlet ? o->field_outlet : "outlet", o->field_outlet ? NULL : "source",
         &doc->outlet, &doc->outlet_len, false},
        {o->field_date ? o->field_date : "date", NULL, &doc->date, &doc->date_len, false},
        {o->field_title ? o->field_title : "title", NULL, &doc->title, &doc->title_len, false},
        {o->field_url ? o->field_url : "url", NULL, &doc->url, &doc->url_len, false},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const char *key = f[i].key;
        int got = string_field(r, fast, key, f[i].s, f[i].len);
        if (got == 0 && f[i].fallback) {
            key = f[i].fallback;
            got = string_field(r, fast, key, f[i].s, f[i].len);
        }
        if (got < 0) {
            snprintf(what, sizeof what, "field \"%.100s\" is not a string", key);
            return bad(r, reason, SYNDIC_REJECT_NOT_STRING, what, NULL);
        }
        if (got == 0 && f[i].required) {
            snprintf(what, sizeof what, "missing field \"%.100s\"", key);
            return bad(r, reason, SYNDIC_REJECT_MISSING_FIELD, what, NULL);
        }
        if (got > 0 && memchr(*f[i].s, '\0', *f[i].len)) {
            snprintf(what, sizeof what, "field \"%.100s\" contains \\u0000", key);
            return bad(r, reason, SYNDIC_REJECT_NUL_BYTE, what, NULL);
        }
    }
    if (memchr(doc->id, '\0', doc->id_len))
        return bad(r, reason, SYNDIC_REJECT_NUL_BYTE, "the id contains \\u0000", NULL);
    bool blank = true;
    for (size_t i = 0; i < doc->text_len && blank; i++)
        blank = doc->text[i] == ' ' || doc->text[i] == '\t' || doc->text[i] == '\n' ||
                doc->text[i] == '\r';
    if (blank) {
        snprintf(what, sizeof what, "empty text (id \"%.100s\")", doc->id);
        return bad(r, reason, SYNDIC_REJECT_EMPTY_TEXT, what, NULL);
    }
    return 1;
}

static int next_jsonl(syndic_reader *r, syndic_doc *doc, syndic_reject *reason)
{
    for (;;) {
        char *line = NULL;
        size_t len = 0;
        int rc = next_line(r, &line, &len);
        if (rc == SYNDIC_EBADREC) { *reason = SYNDIC_REJECT_LINE_TOO_LONG; return rc; }
        if (rc <= 0) return rc;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        size_t lead = 0;
        while (lead < len && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        if (lead == len) continue; /* a blank line holds no record */
        return parse_record(r, line + lead, len - lead, doc, reason);
    }
}

static int next_text(syndic_reader *r, syndic_doc *doc, syndic_reject *reason)
{
    if (r->file_pos >= r->file_count) return 0;
    const char *rel = r->files[r->file_pos++];
    r->line = r->file_pos;
    size_t plen = (r->root ? strlen(r->root) + 1 : 0) + strlen(rel) + 1;
    char *path = syndic__malloc(plen);
    if (!path) return syndic__oom();
    snprintf(path, plen, "%s%s%s", r->root ? r->root : "", r->root ? "/" : "", rel);
    int rc = SYNDIC_OK;
    syndic_instream *in = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        rc = syndic__error(SYNDIC_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if ((rc = syndic__instream_open(&in, fd)) < 0) {
        if (rc == SYNDIC_EIO) rc = syndic__error_within(SYNDIC_EIO, path);
        goto out;
    }
    r->text.len = 0;
    char chunk[65536];
    bool too_long = false;
    for (;;) {
        long n = syndic__instream_read(in, chunk, sizeof chunk);
        if (n < 0) {
            if (n == SYNDIC_EIO) rc = syndic__error_within(SYNDIC_EIO, path);
            else rc = (int)n;
            goto out;
        }
        if (n == 0) break;
        r->bytes += (uint64_t)n;
        if (r->text.len + (size_t)n > r->opt.max_line) { too_long = true; break; }
        if ((rc = syndic__buf_append(&r->text, chunk, (size_t)n)) < 0) goto out;
    }
    /* Report bad records under the file's own name, line 1. */
    char *saved = r->name;
    r->name = path;
    uint64_t saved_line = r->line;
    r->line = 1;
    size_t bad_at;
    if (too_long) {
        char what[64];
        snprintf(what, sizeof what, "file longer than %zu bytes", r->opt.max_line);
        rc = bad(r, reason, SYNDIC_REJECT_LINE_TOO_LONG, what, NULL);
    } else if (r->text.len && memchr(r->text.data, '\0', r->text.len)) {
        rc = bad(r, reason, SYNDIC_REJECT_NUL_BYTE, "NUL byte in the file", NULL);
    } else if (!syndic__utf8_valid(r->text.data, r->text.len, &bad_at)) {
        char where[48];
        snprintf(where, sizeof where, "at byte %zu", bad_at + 1);
        rc = bad(r, reason, SYNDIC_REJECT_INVALID_UTF8, "invalid UTF-8", where);
    } else {
        bool blank = true;
        for (size_t i = 0; i < r->text.len && blank; i++)
            blank = r->text.data[i] == ' ' || r->text.data[i] == '\t' ||
                    r->text.data[i] == '\n' || r->text.data[i] == '\r';
        if (blank) rc = bad(r, reason, SYNDIC_REJECT_EMPTY_TEXT, "empty text", NULL);
    }
    r->name = saved;
    r->line = saved_line;
    if (rc < 0) goto out;
    *doc = (syndic_doc)SYNDIC_DOC_INIT;
    doc->id = rel;
    doc->id_len = strlen(rel);
    doc->text = r->text.data;
    doc->text_len = r->text.len;
    const char *slash = strchr(rel, '/');
    if (r->root && r->opt.outlet_from_dir && slash) {
        doc->outlet = rel;
        doc->outlet_len = (size_t)(slash - rel);
    }
    rc = 1;
out:
    syndic__instream_close(in);
    syndic__free(path);
    return rc;
}

int syndic_reader_next(syndic_doc *doc, syndic_reject *reason, syndic_reader *r)
{
    *reason = SYNDIC_REJECT_NONE;
    return r->kind == INPUT_JSONL ? next_jsonl(r, doc, reason) : next_text(r, doc, reason);
}

int syndic_read_options_init(syndic_read_options *options, unsigned version)
{
    if (!options) return syndic__error(SYNDIC_EINVAL, "read options is NULL");
    if (version != SYNDIC_READ_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "read options version %u, expected %u", version,
                             SYNDIC_READ_OPTIONS_VERSION);
    *options = (syndic_read_options)SYNDIC_READ_OPTIONS_INIT;
    return SYNDIC_OK;
}
