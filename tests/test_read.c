/*
 * test_read.c - syndic_reader_* on real files: JSON Lines, gzip, stdin, text
 * trees.
 *
 * Design: every input is written to a fresh mkdtemp() directory (created by
 * an unchecked fixture in the parent process and removed after the suite),
 * then read back and compared with a table of expected results: for each
 * call of syndic_reader_next() the status, the reject reason, the reported
 * line and, for documents, the id and text. check_stream() also checks that
 * every SYNDIC_EBADREC message starts with "file:line:" and that the stream
 * ends with 0 (twice: the end is sticky). Bad records are interleaved with
 * good ones, so "the stream goes on after a bad record" is checked on every
 * row. Buffer boundaries (the reader cuts lines from 1 MiB reads) are hit
 * with lines placed to end just before, on and after the boundary, and with
 * a 3 MB record.
 */
#include "check_main.h"
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MIB ((size_t)1 << 20)

static char tmp_root[64];

static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
                char child[4096];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                rm_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void setup(void)
{
    snprintf(tmp_root, sizeof tmp_root, "/tmp/syndic-read-XXXXXX");
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        abort();
    }
}

static void teardown(void) { rm_tree(tmp_root); }

/* Path of `name` under the temporary directory (a static buffer per slot). */
static const char *tmp_path(const char *name)
{
    static char bufs[8][512];
    static unsigned next;
    char *p = bufs[next++ % 8];
    snprintf(p, 512, "%s/%s", tmp_root, name);
    return p;
}

/* Writes `len` bytes to `name` (directories must exist); returns its path. */
static const char *write_file(const char *name, const void *data, size_t len)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static const char *write_gzip(const char *name, const void *data, size_t len)
{
    const char *path = tmp_path(name);
    gzFile gz = gzopen(path, "wb");
    ck_assert_msg(gz != NULL, "cannot create %s", path);
    const char *p = data;
    while (len) {
        unsigned n = len > MIB ? (unsigned)MIB : (unsigned)len;
        ck_assert_int_eq(gzwrite(gz, p, n), (int)n);
        p += n;
        len -= n;
    }
    ck_assert_int_eq(gzclose(gz), Z_OK);
    return path;
}

static void make_dir(const char *name)
{
    ck_assert_int_eq(mkdir(tmp_path(name), 0700), 0);
}

static off_t file_size(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_size;
}

/* One expected result of syndic_reader_next(). */
typedef struct want {
    int rc;
    syndic_reject why;
    uint64_t line;
    const char *id;   /* for rc == 1 */
    const char *text; /* for rc == 1; NULL: not checked */
} want;

#define DOC(line, id, text) {1, SYNDIC_REJECT_NONE, line, id, text}
#define BAD(line, why) {SYNDIC_EBADREC, why, line, NULL, NULL}

static void check_stream(const char *path, const syndic_read_options *o, const want *w,
                         size_t n)
{
    syndic_reader *r = NULL;
    ck_assert_msg(syndic_reader_open(&r, path, o) == SYNDIC_OK, "open %s: %s", path,
                  syndic_last_error());
    for (size_t i = 0; i < n; i++) {
        syndic_doc d;
        syndic_reject why = SYNDIC_REJECT_COUNT;
        int rc = syndic_reader_next(&d, &why, r);
        ck_assert_msg(rc == w[i].rc, "%s item %zu: rc %d, expected %d (%s)", path, i, rc,
                      w[i].rc, syndic_last_error());
        ck_assert_msg(why == w[i].why, "%s item %zu: reason %s, expected %s (%s)", path, i,
                      syndic_reject_name(why), syndic_reject_name(w[i].why),
                      syndic_last_error());
        ck_assert_msg(syndic_reader_line(r) == w[i].line, "%s item %zu: line %llu, expected %llu",
                      path, i, (unsigned long long)syndic_reader_line(r),
                      (unsigned long long)w[i].line);
        if (rc == 1) {
            ck_assert_msg(d.id_len == strlen(w[i].id) && memcmp(d.id, w[i].id, d.id_len) == 0,
                          "%s item %zu: id \"%.*s\", expected \"%s\"", path, i, (int)d.id_len,
                          d.id, w[i].id);
            if (w[i].text)
                ck_assert_msg(d.text_len == strlen(w[i].text) &&
                                  memcmp(d.text, w[i].text, d.text_len) == 0,
                              "%s item %zu: text \"%.*s\", expected \"%s\"", path, i,
                              (int)d.text_len, d.text, w[i].text);
        } else if (rc == SYNDIC_EBADREC) {
            char prefix[600];
            snprintf(prefix, sizeof prefix, "%s:%llu: ", syndic_reader_name(r),
                     (unsigned long long)w[i].line);
            ck_assert_msg(strncmp(syndic_last_error(), prefix, strlen(prefix)) == 0,
                          "%s item %zu: message \"%s\" does not start with \"%s\"", path, i,
                          syndic_last_error(), prefix);
            ck_assert_ptr_null(strchr(syndic_last_error(), '\n'));
        }
    }
    syndic_doc d;
    syndic_reject why;
    ck_assert_msg(syndic_reader_next(&d, &why, r) == 0, "%s: no end after %zu items", path, n);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    syndic_reader_free(r);
}

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_all_fields)
{
    static const char data[] =
        "{\"id\":\"a1\",\"text\":\"Hello world\",\"outlet\":\"Reuters\",\"date\":\"2026-03-04\","
        "\"title\":\"A \\\"title\\\", with comma\",\"url\":\"https://example.com/a1\","
        "\"extra\":{\"ignored\":[1,2]}}\n"
        "{\"id\":42,\"text\":\"numeric id\"}\n"
        "{\"id\":-7,\"text\":\"negative id\",\"source\":\"AP\"}\n"
        "{\"id\":\"both\",\"text\":\"t\",\"outlet\":\"O\",\"source\":\"S\"}\n"
        "{\"id\":\"nulls\",\"text\":\"t\",\"outlet\":null,\"title\":null,\"date\":null}\n"
        "{\"id\":\"uni\",\"text\":\"caf\\u00e9 \xe2\x80\x9cquote\xe2\x80\x9d \\ud83d\\ude00\"}\n";
    const char *path = write_file("fields.jsonl", data, sizeof data - 1);
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
    ck_assert_str_eq(syndic_reader_name(r), path);
    ck_assert_uint_eq(syndic_reader_line(r), 0);
    syndic_doc d;
    syndic_reject why;

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_int_eq(why, SYNDIC_REJECT_NONE);
    ck_assert_uint_eq(syndic_reader_line(r), 1);
    ck_assert_str_eq(d.id, "a1");
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_str_eq(d.text, "Hello world");
    ck_assert_uint_eq(d.text_len, 11);
    ck_assert_str_eq(d.outlet, "Reuters");
    ck_assert_uint_eq(d.outlet_len, 7);
    ck_assert_str_eq(d.date, "2026-03-04");
    ck_assert_uint_eq(d.date_len, 10);
    ck_assert_str_eq(d.title, "A \"title\", with comma");
    ck_assert_uint_eq(d.title_len, strlen("A \"title\", with comma"));
    ck_assert_str_eq(d.url, "https://example.com/a1");
    ck_assert_uint_eq(d.url_len, strlen(d.url));

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_int_eq(memcmp(d.id, "42", 2), 0);
    ck_assert_ptr_null(d.outlet);
    ck_assert_ptr_null(d.date);
    ck_assert_ptr_null(d.title);
    ck_assert_ptr_null(d.url);

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_int_eq(memcmp(d.id, "-7", 2), 0);
    ck_assert_uint_eq(d.outlet_len, 2); /* "source" when "outlet" is absent */
    ck_assert_int_eq(memcmp(d.outlet, "AP", 2), 0);

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_uint_eq(d.outlet_len, 1); /* "outlet" wins over "source" */
    ck_assert_int_eq(d.outlet[0], 'O');

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.id, "nulls");
    ck_assert_ptr_null(d.outlet); /* null is absent */
    ck_assert_ptr_null(d.title);
    ck_assert_ptr_null(d.date);

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.text, "caf\xc3\xa9 \xe2\x80\x9cquote\xe2\x80\x9d \xf0\x9f\x98\x80");

    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    ck_assert_uint_eq(syndic_reader_line(r), 6);
    ck_assert_uint_eq(syndic_reader_bytes(r), sizeof data - 1);
    syndic_reader_free(r);
    syndic_reader_free(NULL);
}
END_TEST

START_TEST(test_field_mapping)
{
    static const char data[] =
        "{\"doc\":\"m1\",\"body\":\"mapped body\",\"src\":\"X\",\"when\":\"2026-01-01\","
        "\"headline\":\"H\",\"link\":\"L\",\"text\":\"not this\",\"source\":\"not this\"}\n"
        "{\"doc\":\"m2\",\"text\":\"only text\"}\n"
        "{\"doc\":\"m3\",\"body\":\"b\",\"source\":\"S\"}\n";
    const char *path = write_file("mapped.jsonl", data, sizeof data - 1);
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.field_id = "doc";
    o.field_text = "body";
    o.field_outlet = "src";
    o.field_date = "when";
    o.field_title = "headline";
    o.field_url = "link";
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, &o), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.id, "m1");
    ck_assert_str_eq(d.text, "mapped body");
    ck_assert_str_eq(d.outlet, "X");
    ck_assert_str_eq(d.date, "2026-01-01");
    ck_assert_str_eq(d.title, "H");
    ck_assert_str_eq(d.url, "L");
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), SYNDIC_EBADREC);
    ck_assert_int_eq(why, SYNDIC_REJECT_MISSING_FIELD);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "\"body\""));
    /* An explicit outlet key has no "source" fallback. */
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.id, "m3");
    ck_assert_ptr_null(d.outlet);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    syndic_reader_free(r);
}
END_TEST

START_TEST(test_line_endings_and_blanks)
{
    static const char crlf[] = "{\"id\":\"c1\",\"text\":\"first\"}\r\n"
                               "{\"id\":\"c2\",\"text\":\"second\"}  \r\n"
                               "\r\n"
                               "   {\"id\":\"c3\",\"text\":\"third\"}\t\r\n";
    static const want w1[] = {DOC(1, "c1", "first"), DOC(2, "c2", "second"),
                              DOC(4, "c3", "third")};
    check_stream(write_file("crlf.jsonl", crlf, sizeof crlf - 1), NULL, w1, LEN(w1));

    static const char blanks[] = "\n\n   \n\t\n{\"id\":\"b1\",\"text\":\"x\"}\n\n\n"
                                 "{\"id\":\"b2\",\"text\":\"y\"}\n\n";
    static const want w2[] = {DOC(5, "b1", "x"), DOC(8, "b2", "y")};
    check_stream(write_file("blanks.jsonl", blanks, sizeof blanks - 1), NULL, w2, LEN(w2));

    static const char nonl[] = "{\"id\":\"n1\",\"text\":\"x\"}\n{\"id\":\"n2\",\"text\":\"last\"}";
    static const want w3[] = {DOC(1, "n1", "x"), DOC(2, "n2", "last")};
    check_stream(write_file("nonl.jsonl", nonl, sizeof nonl - 1), NULL, w3, LEN(w3));

    static const char nonl_crlf[] = "{\"id\":\"n1\",\"text\":\"x\"}\r\n{\"id\":\"n2\",\"text\":\"z\"}\r";
    static const want w4[] = {DOC(1, "n1", "x"), DOC(2, "n2", "z")};
    check_stream(write_file("nonl_crlf.jsonl", nonl_crlf, sizeof nonl_crlf - 1), NULL, w4,
                 LEN(w4));

    /* Empty and blank-only files: no documents. */
    check_stream(write_file("empty.jsonl", "", 0), NULL, NULL, 0);
    check_stream(write_file("blank.jsonl", "\n \r\n\n", 5), NULL, NULL, 0);
}
END_TEST

/* Every kind of bad record, each followed by the next line being read. */
START_TEST(test_bad_records)
{
    static const char data[] =
        "{\"id\":\"g1\",\"text\":\"good one\"}\n"                 /* 1 */
        "{\"id\":\"x\",\"text\":\n"                                /* 2 malformed */
        "[1,2]\n"                                                  /* 3 not an object */
        "{\"text\":\"no id\"}\n"                                   /* 4 missing id */
        "{\"id\":\"m\"}\n"                                         /* 5 missing text */
        "{\"id\":\"n\",\"text\":5}\n"                              /* 6 text a number */
        "{\"id\":\"u\",\"text\":\"bad \xff byte\"}\n"              /* 7 invalid UTF-8 */
        "{\"id\":\"z\",\"text\":\"nul\0byte\"}\n"                  /* 8 raw NUL */
        "{\"id\":\"e\",\"text\":\"a\\u0000b\"}\n"                  /* 9 \u0000 in text */
        "{\"id\":\"e2\",\"text\":\"\"}\n"                          /* 10 empty text */
        "{\"id\":\"e3\",\"text\":\"  \\t\\n \\r \"}\n"             /* 11 blank text */
        "{\"id\":\"d\",\"text\":\"a\",\"text\":\"b\"}\n"           /* 12 duplicate key */
        "{\"id\":\"\",\"text\":\"x\"}\n"                           /* 13 empty id */
        "{\"id\":true,\"text\":\"x\"}\n"                           /* 14 id a boolean */
        "{\"id\":1.5,\"text\":\"x\"}\n"                            /* 15 id a real */
        "{\"id\":\"t\",\"text\":\"x\",\"title\":7}\n"              /* 16 title a number */
        "{\"id\":\"a\\u0000b\",\"text\":\"x\"}\n"                  /* 17 \u0000 in id */
        "{\"id\":\"x\",\"text\":\"y\"} trailing\n"                 /* 18 trailing junk */
        "{\"id\":null,\"text\":\"x\"}\n"                           /* 19 null id */
        "{}\n"                                                     /* 20 */
        "{\"id\":\"ov\",\"text\":\"\xc0\xaf\"}\n"                  /* 21 overlong */
        "{\"id\":\"g2\",\"text\":\"the end\"}\n";                  /* 22 */
    static const want w[] = {
        DOC(1, "g1", "good one"),
        BAD(2, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(3, SYNDIC_REJECT_NOT_OBJECT),
        BAD(4, SYNDIC_REJECT_MISSING_FIELD),
        BAD(5, SYNDIC_REJECT_MISSING_FIELD),
        BAD(6, SYNDIC_REJECT_NOT_STRING),
        BAD(7, SYNDIC_REJECT_INVALID_UTF8),
        BAD(8, SYNDIC_REJECT_NUL_BYTE),
        BAD(9, SYNDIC_REJECT_NUL_BYTE),
        BAD(10, SYNDIC_REJECT_EMPTY_TEXT),
        BAD(11, SYNDIC_REJECT_EMPTY_TEXT),
        BAD(12, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(13, SYNDIC_REJECT_MISSING_FIELD),
        BAD(14, SYNDIC_REJECT_NOT_STRING),
        BAD(15, SYNDIC_REJECT_NOT_STRING),
        BAD(16, SYNDIC_REJECT_NOT_STRING),
        BAD(17, SYNDIC_REJECT_NUL_BYTE),
        BAD(18, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(19, SYNDIC_REJECT_MISSING_FIELD),
        BAD(20, SYNDIC_REJECT_MISSING_FIELD),
        BAD(21, SYNDIC_REJECT_INVALID_UTF8),
        DOC(22, "g2", "the end"),
    };
    check_stream(write_file("bad.jsonl", data, sizeof data - 1), NULL, w, LEN(w));

    /* Message details: the reason in words, the byte of bad UTF-8. */
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, tmp_path("bad.jsonl"), NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    static const char *const words[] = {NULL, "malformed JSON", "not a JSON object",
                                        "missing field \"id\"", "missing field \"text\"",
                                        "\"text\" is not a string", "invalid UTF-8: at byte 23"};
    for (size_t i = 0; i < LEN(words); i++) {
        syndic_reader_next(&d, &why, r);
        if (words[i])
            ck_assert_msg(strstr(syndic_last_error(), words[i]) != NULL,
                          "line %zu: \"%s\" lacks \"%s\"", i + 1, syndic_last_error(), words[i]);
    }
    syndic_reader_free(r);
}
END_TEST

/* A valid JSON value that is not an object is "not an object", not
 * "malformed JSON" (it was reported as malformed before JSON_DECODE_ANY). */
START_TEST(test_json_scalars_are_not_objects)
{
    static const char data[] = "\"str\"\n42\nnull\n{\"id\":\"g\",\"text\":\"ok\"}\n";
    const char *path = write_file("scalars.jsonl", data, sizeof data - 1);
    static const want w[] = {BAD(1, SYNDIC_REJECT_NOT_OBJECT), BAD(2, SYNDIC_REJECT_NOT_OBJECT),
                             BAD(3, SYNDIC_REJECT_NOT_OBJECT), DOC(4, "g", "ok")};
    check_stream(path, NULL, w, LEN(w));
}
END_TEST

START_TEST(test_line_too_long)
{
    char data[1024];
    size_t n = 0;
    n += (size_t)sprintf(data + n, "{\"id\":\"s1\",\"text\":\"short\"}\n");
    /* line 2: 200 bytes */
    n += (size_t)sprintf(data + n, "{\"id\":\"long\",\"text\":\"");
    size_t start = n;
    while (n - start < 200) data[n++] = 'x';
    n += (size_t)sprintf(data + n, "\"}\n");
    n += (size_t)sprintf(data + n, "{\"id\":\"s2\",\"text\":\"after\"}\n");
    /* line 4: exactly 64 bytes is accepted, line 5: 65 is not */
    const char *head = "{\"id\":\"e64\",\"text\":\"";
    n += (size_t)sprintf(data + n, "%s", head);
    for (size_t i = strlen(head); i < 62; i++) data[n++] = 'y';
    n += (size_t)sprintf(data + n, "\"}\n");
    head = "{\"id\":\"e65\",\"text\":\"";
    n += (size_t)sprintf(data + n, "%s", head);
    for (size_t i = strlen(head); i < 63; i++) data[n++] = 'y';
    n += (size_t)sprintf(data + n, "\"}\n");
    n += (size_t)sprintf(data + n, "{\"id\":\"s3\",\"text\":\"again\"}\n");
    /* line 7: too long and the last line, without a newline */
    n += (size_t)sprintf(data + n, "{\"id\":\"tail\",\"text\":\"");
    for (int i = 0; i < 100; i++) data[n++] = 'z';
    static const want w[] = {
        DOC(1, "s1", "short"), BAD(2, SYNDIC_REJECT_LINE_TOO_LONG), DOC(3, "s2", "after"),
        DOC(4, "e64", NULL),   BAD(5, SYNDIC_REJECT_LINE_TOO_LONG), DOC(6, "s3", "again"),
        BAD(7, SYNDIC_REJECT_LINE_TOO_LONG),
    };
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.max_line = 64;
    check_stream(write_file("long.jsonl", data, n), &o, w, LEN(w));
}
END_TEST

/* Pseudo-random words, so that gzip cannot shrink the data to nothing. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* `count` records "r<i>" with random texts; returns the malloc'd data. */
static char *make_records(size_t count, size_t *len)
{
    size_t cap = count * 200 + 1;
    char *d = malloc(cap);
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        n += (size_t)sprintf(d + n, "{\"id\":\"r%zu\",\"text\":\"", i);
        for (int w = 0; w < 15; w++) {
            uint32_t x = next_rand();
            n += (size_t)sprintf(d + n, "%s%c%c%c%x", w ? " " : "", 'a' + (int)(x % 26),
                                 'a' + (int)(x / 26 % 26), 'a' + (int)(x / 676 % 26), x % 4096);
        }
        n += (size_t)sprintf(d + n, "\"}\n");
    }
    *len = n;
    return d;
}

/* Reads a file of make_records() to its end and returns how many records
 * came intact, in order, before anything else (a bad record or the end);
 * stores the final status (0 or SYNDIC_EIO) in *end. Records decoded from
 * damaged data may come out as bad records: they are skipped. */
static size_t read_records(const char *path, int *end, char *msg, size_t msg_size)
{
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
    size_t got = 0;
    bool in_prefix = true;
    msg[0] = '\0';
    for (;;) {
        syndic_doc d;
        syndic_reject why;
        int rc = syndic_reader_next(&d, &why, r);
        if (rc == SYNDIC_EBADREC) { in_prefix = false; continue; }
        if (rc != 1) {
            *end = rc;
            if (rc < 0) snprintf(msg, msg_size, "%s", syndic_last_error());
            break;
        }
        char id[32];
        int idn = snprintf(id, sizeof id, "r%zu", got);
        if (in_prefix && d.id_len == (size_t)idn && memcmp(d.id, id, d.id_len) == 0 &&
            d.text_len > 60)
            got++;
        else
            in_prefix = false;
    }
    if (*end == SYNDIC_EIO) {
        /* the reader is at its end */
        syndic_doc d;
        syndic_reject why;
        ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    }
    syndic_reader_free(r);
    return got;
}

/* Independently of the reader: inflate the gzip file at `path` with zlib
 * until the data ends or goes wrong, and count the complete lines of the
 * output that equal the original `data`: the records before the damage. */
static size_t lines_before_damage(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t size = (size_t)file_size(path);
    unsigned char *in = malloc(size ? size : 1);
    ck_assert_uint_eq(fread(in, 1, size, f), size);
    fclose(f);
    size_t cap = len + 65536;
    unsigned char *out = malloc(cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 16 + 15), Z_OK);
    z.next_in = in;
    z.avail_in = (uInt)size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    while (z.avail_out > 0) {
        int zr = inflate(&z, Z_SYNC_FLUSH);
        if (zr != Z_OK) break;
    }
    size_t produced = cap - z.avail_out;
    inflateEnd(&z);
    size_t same = 0;
    while (same < produced && same < len && out[same] == (unsigned char)data[same]) same++;
    size_t lines = 0;
    for (size_t i = 0; i < same; i++) lines += data[i] == '\n';
    free(in);
    free(out);
    return lines;
}

START_TEST(test_gzip)
{
    size_t len;
    char *data = make_records(3000, &len); /* about 300 KB */
    const char *plain = write_file("recs.jsonl", data, len);
    const char *gz = write_gzip("recs.jsonl.gz", data, len);
    ck_assert_int_lt(file_size(gz), (off_t)len);
    int end;
    char msg[512];
    ck_assert_uint_eq(read_records(plain, &end, msg, sizeof msg), 3000);
    ck_assert_int_eq(end, 0);
    ck_assert_uint_eq(read_records(gz, &end, msg, sizeof msg), 3000);
    ck_assert_int_eq(end, 0);
    /* Detected by magic, not name. */
    const char *disguised = write_gzip("gz-named.jsonl", data, len);
    ck_assert_uint_eq(read_records(disguised, &end, msg, sizeof msg), 3000);
    ck_assert_int_eq(end, 0);
    /* Bytes are counted after decompression. */
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, gz, NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    while (syndic_reader_next(&d, &why, r) == 1) {
    }
    ck_assert_uint_eq(syndic_reader_bytes(r), len);
    syndic_reader_free(r);

    /* The table-driven checks hold for gzip as for plain text. */
    static const char small[] = "{\"id\":\"g1\",\"text\":\"one\"}\r\n\n[1]\n{\"id\":\"g2\",\"text\":\"two\"}";
    static const want w[] = {DOC(1, "g1", "one"), BAD(3, SYNDIC_REJECT_NOT_OBJECT),
                             DOC(4, "g2", "two")};
    check_stream(write_gzip("small.gz", small, sizeof small - 1), NULL, w, LEN(w));
    free(data);
}
END_TEST

/* A gzip cut short: the records before the damage, then SYNDIC_EIO. */
START_TEST(test_gzip_truncated)
{
    size_t len;
    char *data = make_records(3000, &len);
    static const off_t cuts[] = {1, 4, 9, 100, 5000};
    for (size_t i = 0; i < LEN(cuts); i++) {
        char name[64];
        snprintf(name, sizeof name, "cut%zu.jsonl.gz", i);
        const char *gz = write_gzip(name, data, len);
        off_t size = file_size(gz);
        ck_assert_int_eq(truncate(gz, size - cuts[i]), 0);
        int end;
        char msg[512];
        size_t got = read_records(gz, &end, msg, sizeof msg);
        ck_assert_msg(end == SYNDIC_EIO, "cut %lld: end %d (%s)", (long long)cuts[i], end, msg);
        ck_assert_msg(strstr(msg, "truncated") || strstr(msg, "corrupt"),
                      "cut %lld: message \"%s\"", (long long)cuts[i], msg);
        ck_assert_ptr_nonnull(strstr(msg, gz));
        /* Everything before the damage. */
        size_t before = lines_before_damage(gz, data, len);
        ck_assert_msg(got + 1 >= before && got <= before,
                      "cut %lld: %zu records before the error, %zu intact in the data",
                      (long long)cuts[i], got, before);
        if (cuts[i] >= 100) ck_assert_uint_lt(got, 3000);
    }
    /* Cut to just the 10-byte header. */
    const char *gz = write_gzip("header-only.gz", data, len);
    ck_assert_int_eq(truncate(gz, 10), 0);
    int end;
    char msg[512];
    ck_assert_uint_eq(read_records(gz, &end, msg, sizeof msg), 0);
    ck_assert_int_eq(end, SYNDIC_EIO);
    free(data);
}
END_TEST

/* A gzip with damaged bytes in the middle: the records before, then EIO. */
START_TEST(test_gzip_corrupt)
{
    size_t len;
    char *data = make_records(3000, &len);
    const char *gz = write_gzip("corrupt.jsonl.gz", data, len);
    off_t size = file_size(gz);
    FILE *f = fopen(gz, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseeko(f, size * 3 / 4, SEEK_SET), 0);
    for (int i = 0; i < 64; i++) fputc(0xff, f);
    ck_assert_int_eq(fclose(f), 0);
    int end;
    char msg[512];
    size_t got = read_records(gz, &end, msg, sizeof msg);
    ck_assert_msg(end == SYNDIC_EIO, "end %d (%s)", end, msg);
    ck_assert_msg(strstr(msg, "truncated") || strstr(msg, "corrupt"), "message \"%s\"", msg);
    /* Every record before the damage came out first (the damage is three
     * quarters in, so that is about 2000 records). */
    size_t before = lines_before_damage(gz, data, len);
    ck_assert_uint_gt(before, 1000);
    ck_assert_msg(got + 1 >= before && got <= before,
                  "%zu records before the error, %zu intact in the data before the damage", got,
                  before);
    free(data);
}
END_TEST

/* Lines ending just before, on and after the 1 MiB read boundary, and a
 * 3 MB record spanning several refills. */
START_TEST(test_buffer_boundaries)
{
    for (int delta = -2; delta <= 2; delta++) {
        /* Line 1 ends with its newline at byte MIB + delta - 1 (0-based). */
        size_t l1 = (size_t)((long)MIB + delta);
        size_t total = l1 + 64;
        char *d = malloc(total);
        size_t n = (size_t)sprintf(d, "{\"id\":\"big\",\"text\":\"");
        for (; n < l1 - 3; n++) d[n] = (char)('a' + n % 26);
        memcpy(d + n, "\"}\n", 3);
        n += 3;
        ck_assert_uint_eq(n, l1);
        n += (size_t)sprintf(d + n, "{\"id\":\"next\",\"text\":\"after\"}\n");
        const char *path = write_file("boundary.jsonl", d, n);
        syndic_reader *r;
        ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
        syndic_doc doc;
        syndic_reject why;
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 1);
        ck_assert_uint_eq(doc.text_len, l1 - 3 - 20);
        ck_assert_int_eq(memcmp(doc.text, d + 20, doc.text_len), 0);
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 1);
        ck_assert_uint_eq(doc.id_len, 4);
        ck_assert_int_eq(memcmp(doc.text, "after", 5), 0);
        ck_assert_uint_eq(syndic_reader_line(r), 2);
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 0);
        syndic_reader_free(r);
        free(d);
    }

    /* A 3 MB record between two small ones. */
    size_t big = 3 * 1000 * 1000;
    char *d = malloc(big + 200);
    size_t n = (size_t)sprintf(d, "{\"id\":\"s\",\"text\":\"small\"}\n{\"id\":\"huge\",\"text\":\"");
    size_t text_at = n;
    for (size_t i = 0; i < big; i++) d[n++] = (i % 7 == 6) ? ' ' : (char)('a' + i % 23);
    n += (size_t)sprintf(d + n, "\"}\n{\"id\":\"t\",\"text\":\"tail\"}\n");
    const char *path = write_file("huge.jsonl", d, n);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) path = write_gzip("huge.jsonl.gz", d, n);
        syndic_reader *r;
        ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
        syndic_doc doc;
        syndic_reject why;
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 1);
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 1);
        ck_assert_uint_eq(doc.id_len, 4);
        ck_assert_uint_eq(doc.text_len, big);
        ck_assert_int_eq(memcmp(doc.text, d + text_at, big), 0);
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 1);
        ck_assert_uint_eq(doc.text_len, 4);
        ck_assert_int_eq(memcmp(doc.text, "tail", 4), 0);
        ck_assert_uint_eq(syndic_reader_line(r), 3);
        ck_assert_int_eq(syndic_reader_next(&doc, &why, r), 0);
        ck_assert_uint_eq(syndic_reader_bytes(r), n);
        syndic_reader_free(r);
    }
    /* The same record over max_line is skipped whole; the next is read. */
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.max_line = MIB + 100;
    static const want w[] = {DOC(1, "s", "small"), BAD(2, SYNDIC_REJECT_LINE_TOO_LONG),
                             DOC(3, "t", "tail")};
    check_stream(path, &o, w, LEN(w));
    free(d);
}
END_TEST

START_TEST(test_text_tree)
{
    make_dir("tree");
    make_dir("tree/reuters");
    make_dir("tree/ap");
    make_dir("tree/ap/sub");
    make_dir("tree/empty");
    make_dir("tree/bad");
    make_dir("tree/nothing");
    write_file("tree/reuters/b.txt", "Story b", 7);
    write_file("tree/reuters/a.txt", "Story a\r\nline two\n", 18);
    write_file("tree/ap/sub/c.txt", "Story c", 7);
    write_file("tree/ap/notes.md", "not a document", 14);
    write_file("tree/ap/c.txt.bak", "not a document", 14);
    write_file("tree/top.txt", "top level", 9);
    write_file("tree/empty/e.txt", "", 0);
    write_file("tree/empty/f.txt", " \n\t\r\n", 5);
    write_file("tree/bad/u.txt", "ok \xff", 4);
    write_file("tree/bad/v.txt", "nul\0in", 6);
    write_file("tree/.hidden.txt", "hidden", 6);

    static const want w[] = {
        DOC(1, "ap/sub/c.txt", "Story c"),
        BAD(2, SYNDIC_REJECT_INVALID_UTF8),
        BAD(3, SYNDIC_REJECT_NUL_BYTE),
        BAD(4, SYNDIC_REJECT_EMPTY_TEXT),
        BAD(5, SYNDIC_REJECT_EMPTY_TEXT),
        DOC(6, "reuters/a.txt", "Story a\r\nline two\n"),
        DOC(7, "reuters/b.txt", "Story b"),
        DOC(8, "top.txt", "top level"),
    };
    /* check_stream's message check expects "tree:N:"; text files report
     * "tree/<rel>:1:" instead, so check the EBADREC messages here. */
    static const char *const bad_names[] = {NULL, "bad/u.txt", "bad/v.txt", "empty/e.txt",
                                            "empty/f.txt"};
    for (int trailing = 0; trailing < 2; trailing++) {
        const char *root = tmp_path(trailing ? "tree/" : "tree");
        for (int from_dir = 0; from_dir < 2; from_dir++) {
            syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
            o.outlet_from_dir = from_dir;
            syndic_reader *r;
            ck_assert_int_eq(syndic_reader_open(&r, root, &o), SYNDIC_OK);
            for (size_t i = 0; i < LEN(w); i++) {
                syndic_doc d;
                syndic_reject why;
                int rc = syndic_reader_next(&d, &why, r);
                ck_assert_msg(rc == w[i].rc, "item %zu: rc %d (%s)", i, rc, syndic_last_error());
                ck_assert_int_eq(why, w[i].why);
                ck_assert_uint_eq(syndic_reader_line(r), w[i].line);
                if (rc == 1) {
                    ck_assert_uint_eq(d.id_len, strlen(w[i].id));
                    ck_assert_int_eq(memcmp(d.id, w[i].id, d.id_len), 0);
                    ck_assert_uint_eq(d.text_len, strlen(w[i].text));
                    ck_assert_int_eq(memcmp(d.text, w[i].text, d.text_len), 0);
                    const char *slash = strchr(w[i].id, '/');
                    if (from_dir && slash) {
                        ck_assert_uint_eq(d.outlet_len, (size_t)(slash - w[i].id));
                        ck_assert_int_eq(memcmp(d.outlet, w[i].id, d.outlet_len), 0);
                    } else {
                        ck_assert_ptr_null(d.outlet);
                    }
                } else {
                    char want_msg[600];
                    snprintf(want_msg, sizeof want_msg, "%s/%s:1: ", tmp_path("tree"),
                             bad_names[i]);
                    ck_assert_msg(strncmp(syndic_last_error(), want_msg, strlen(want_msg)) == 0,
                                  "message \"%s\", expected prefix \"%s\"", syndic_last_error(),
                                  want_msg);
                }
            }
            syndic_doc d;
            syndic_reject why;
            ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
            syndic_reader_free(r);
        }
    }

    /* A single .txt file: one document whose id is the path. */
    const char *one = tmp_path("tree/top.txt");
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, one, NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_uint_eq(d.id_len, strlen(one));
    ck_assert_int_eq(memcmp(d.id, one, d.id_len), 0);
    ck_assert_int_eq(memcmp(d.text, "top level", 9), 0);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    syndic_reader_free(r);

    /* A directory with no .txt files: no documents. */
    check_stream(tmp_path("tree/nothing"), NULL, NULL, 0);
}
END_TEST

START_TEST(test_missing_path)
{
    static const char *const names[] = {"does-not-exist.jsonl", "no/such/dir", "nope.txt"};
    for (size_t i = 0; i < LEN(names); i++) {
        const char *path = tmp_path(names[i]);
        syndic_reader *r = (syndic_reader *)&r; /* must be reset to NULL */
        ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_EIO);
        ck_assert_ptr_null(r);
        ck_assert_msg(strstr(syndic_last_error(), path) != NULL, "message \"%s\" lacks %s",
                      syndic_last_error(), path);
    }
    /* Wrong options version. */
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.version = 99;
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, tmp_path("x"), &o), SYNDIC_EINVAL);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_stdin)
{
    static const char data[] = "{\"id\":\"in1\",\"text\":\"from stdin\"}\n[]\n{\"id\":\"in2\",\"text\":\"x\"}\n";
    const char *path = write_file("stdin.jsonl", data, sizeof data - 1);
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(dup2(fd, 0), 0); /* Check runs each test in its own process */
    close(fd);
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, "-", NULL), SYNDIC_OK);
    ck_assert_str_eq(syndic_reader_name(r), "<stdin>");
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_int_eq(memcmp(d.id, "in1", 3), 0);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), SYNDIC_EBADREC);
    ck_assert_int_eq(why, SYNDIC_REJECT_NOT_OBJECT);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "<stdin>:2:"));
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    syndic_reader_free(r);
}
END_TEST

START_TEST(test_reject_names)
{
    static const char *const names[] = {"none", "malformed_json", "not_object", "missing_field",
                                        "not_string", "invalid_utf8", "nul_byte", "empty_text",
                                        "line_too_long", "duplicate_id"};
    ck_assert_int_eq(LEN(names), SYNDIC_REJECT_COUNT);
    for (int i = 0; i < SYNDIC_REJECT_COUNT; i++)
        ck_assert_str_eq(syndic_reject_name((syndic_reject)i), names[i]);
    ck_assert_str_eq(syndic_reject_name(SYNDIC_REJECT_COUNT), "unknown");
    ck_assert_str_eq(syndic_reject_name((syndic_reject)-1), "unknown");
}
END_TEST

/* ---- the fast path (json_scan.c) and its agreement with jansson ---- */

/* Reads `data` (one record per line) and checks the first document's text
 * (and that it is NUL-terminated right after text_len). */
static void check_text(const char *name, const char *data, const char *want_text, size_t want_len)
{
    const char *path = write_file(name, data, strlen(data));
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    int rc = syndic_reader_next(&d, &why, r);
    ck_assert_msg(rc == 1, "%s: rc %d (%s)", name, rc, syndic_last_error());
    ck_assert_msg(d.text_len == want_len && memcmp(d.text, want_text, want_len) == 0,
                  "%s: text \"%.*s\" (%zu bytes), expected \"%s\"", name, (int)d.text_len, d.text,
                  d.text_len, want_text);
    ck_assert_int_eq(d.text[d.text_len], '\0');
    ck_assert_int_eq(d.id[d.id_len], '\0');
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
    syndic_reader_free(r);
}

START_TEST(test_escapes)
{
    static const struct { const char *json, *text; } cases[] = {
        {"a\\\"b", "a\"b"},
        {"a\\\\b", "a\\b"},
        {"a\\/b", "a/b"},
        {"a\\bb", "a\bb"},
        {"a\\fb", "a\fb"},
        {"a\\nb", "a\nb"},
        {"a\\rb", "a\rb"},
        {"a\\tb", "a\tb"},
        {"\\u0041\\u00e9\\u00E9", "A\xc3\xa9\xc3\xa9"},           /* 1 and 2 bytes */
        {"x\\u20ACy\\u0800\\uffff", "x\xe2\x82\xacy\xe0\xa0\x80\xef\xbf\xbf"}, /* 3 */
        {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},                   /* a pair: 4 bytes */
        {"\\uD800\\uDC00|\\udbff\\udfff", "\xf0\x90\x80\x80|\xf4\x8f\xbf\xbf"},
        {"\\\\n is not \\n", "\\n is not \n"},
        {"\\\"\\\"\\\"", "\"\"\""},                               /* only escapes */
        {"end\\\\", "end\\"},
        {"caf\xc3\xa9 \\u00e9 \xe2\x80\x9c", "caf\xc3\xa9 \xc3\xa9 \xe2\x80\x9c"},
        {"sixteen bytes...\\nsixteen bytes...\\t", "sixteen bytes...\nsixteen bytes...\t"},
    };
    for (size_t i = 0; i < LEN(cases); i++) {
        char line[256], name[32];
        snprintf(line, sizeof line, "{\"id\":\"e%zu\",\"text\":\"%s\"}\n", i, cases[i].json);
        snprintf(name, sizeof name, "esc%zu.jsonl", i);
        check_text(name, line, cases[i].text, strlen(cases[i].text));
    }

    /* Every field unescaped, NUL-terminated, the id too; a field with
     * escapes and one without side by side; whitespace around tokens. */
    static const char data[] =
        " { \"id\" : \"i\\u0064\" , \"text\" :\t\"T\\n\" , \"outlet\":\"O\\/x\","
        "\"date\":\"2026-03-04\",\"title\":\"\\\"Q\\\"\",\"url\":\"u\" }\n";
    const char *path = write_file("allesc.jsonl", data, sizeof data - 1);
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.id, "id");
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_str_eq(d.text, "T\n");
    ck_assert_str_eq(d.outlet, "O/x");
    ck_assert_str_eq(d.date, "2026-03-04");
    ck_assert_str_eq(d.title, "\"Q\"");
    ck_assert_uint_eq(d.title_len, 3);
    ck_assert_str_eq(d.url, "u");
    syndic_reader_free(r);

    /* The same key mapped to two fields gives the same string twice. */
    static const char twice[] = "{\"id\":\"t\",\"text\":\"a\\nb\",\"plain\":\"p\"}\n";
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    o.field_title = "text";
    o.field_url = "plain";
    o.field_date = "plain";
    ck_assert_int_eq(syndic_reader_open(&r, write_file("twice.jsonl", twice, sizeof twice - 1), &o),
                     SYNDIC_OK);
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
    ck_assert_str_eq(d.text, "a\nb");
    ck_assert_str_eq(d.title, "a\nb");
    ck_assert_str_eq(d.url, "p");
    ck_assert_str_eq(d.date, "p");
    syndic_reader_free(r);
}
END_TEST

/* Bad escapes, lone surrogates and raw control characters are malformed
 * JSON, with jansson's message and column; the next line is read. */
START_TEST(test_bad_escapes)
{
    static const char *const bodies[] = {
        "\\ud800",          /* lone high surrogate at the end */
        "\\ud800x",         /* followed by a character */
        "\\ud83d\\u0041",   /* followed by another escape, not a low one */
        "\\ud83d\\n",
        "\\ude00",          /* lone low surrogate */
        "\\ude00\\ud83d",   /* a pair the wrong way round */
        "\\x",              /* not an escape */
        "\\'",
        "\\U00e9",
        "\\u12g4",          /* not hex */
        "\\u12",            /* too short */
        "a\\",              /* a backslash before the closing quote */
        "raw\ttab",         /* control characters must be escaped */
        "raw\x01",
        "raw\x1f",
    };
    for (size_t i = 0; i < LEN(bodies); i++) {
        char line[256];
        int n = snprintf(line, sizeof line,
                         "{\"id\":\"b\",\"text\":\"%s\"}\n{\"id\":\"g\",\"text\":\"good\"}\n",
                         bodies[i]);
        const char *path = write_file("badesc.jsonl", line, (size_t)n);
        static const want w[] = {BAD(1, SYNDIC_REJECT_MALFORMED_JSON), DOC(2, "g", "good")};
        check_stream(path, NULL, w, LEN(w));
        /* also in a field that is not read, and in a key */
        n = snprintf(line, sizeof line, "{\"id\":\"b\",\"text\":\"t\",\"other\":[\"%s\"]}\n", bodies[i]);
        path = write_file("badesc2.jsonl", line, (size_t)n);
        check_stream(path, NULL, w, 1);
        n = snprintf(line, sizeof line, "{\"id\":\"b\",\"text\":\"t\",\"%s\":1}\n", bodies[i]);
        path = write_file("badesc3.jsonl", line, (size_t)n);
        check_stream(path, NULL, w, 1);
    }
    static const char data[] = "{\"id\":\"s\",\"text\":\"x\\ud800y\"}\n";
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, write_file("surr.jsonl", data, sizeof data - 1), NULL),
                     SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(&d, &why, r), SYNDIC_EBADREC);
    ck_assert_msg(strstr(syndic_last_error(), "malformed JSON: ") &&
                      strstr(syndic_last_error(), "(column "),
                  "message: %s", syndic_last_error());
    syndic_reader_free(r);
}
END_TEST

/* Strings much longer than the read buffer, full of escapes. */
START_TEST(test_long_escaped_strings)
{
    size_t pieces = 300000; /* "word\n" + "\u00e9" ... about 3.6 MB of JSON */
    size_t cap = pieces * 12 + 100;
    char *json = malloc(cap), *text = malloc(cap);
    size_t n = (size_t)sprintf(json, "{\"id\":\"long\",\"text\":\""), t = 0;
    for (size_t i = 0; i < pieces; i++) {
        switch (i % 4) {
        case 0: n += (size_t)sprintf(json + n, "w%zu\\n", i % 10); t += (size_t)sprintf(text + t, "w%zu\n", i % 10); break;
        case 1: memcpy(json + n, "\\u00e9", 6); n += 6; memcpy(text + t, "\xc3\xa9", 2); t += 2; break;
        case 2: memcpy(json + n, "\\\"q\\\" ", 6); n += 6; memcpy(text + t, "\"q\" ", 4); t += 4; break;
        default: memcpy(json + n, "\\ud83d\\ude00", 12); n += 12; memcpy(text + t, "\xf0\x9f\x98\x80", 4); t += 4;
        }
    }
    n += (size_t)sprintf(json + n, "\",\"title\":\"plain title\"}\n{\"id\":\"next\",\"text\":\"n\"}\n");
    const char *path = write_file("longesc.jsonl", json, n);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) path = write_gzip("longesc.jsonl.gz", json, n);
        syndic_reader *r;
        ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
        syndic_doc d;
        syndic_reject why;
        ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
        ck_assert_uint_eq(d.text_len, t);
        ck_assert_int_eq(memcmp(d.text, text, t), 0);
        ck_assert_int_eq(d.text[t], '\0');
        ck_assert_str_eq(d.title, "plain title");
        ck_assert_int_eq(syndic_reader_next(&d, &why, r), 1);
        ck_assert_str_eq(d.text, "n");
        ck_assert_int_eq(syndic_reader_next(&d, &why, r), 0);
        syndic_reader_free(r);
    }
    free(json);
    free(text);
}
END_TEST

START_TEST(test_json_structure)
{
    static const char data[] =
        /* 1: keys with escapes */
        "{\"\\u0069d\":\"k1\",\"te\\u0078t\":\"escaped keys\"}\n"
        /* 2: an unread key with escapes */
        "{\"id\":\"k2\",\"text\":\"x\",\"a\\\"b\":1,\"\\n\":2}\n"
        /* 3: a duplicate spelt with an escape */
        "{\"id\":\"k3\",\"text\":\"a\",\"t\\u0065xt\":\"b\"}\n"
        /* 4: nested objects and arrays in fields that are not read */
        "{\"id\":\"n1\",\"meta\":{\"a\":[1,2,{\"b\":null,\"c\":[true,false]}],\"d\":{}},"
        "\"tags\":[],\"text\":\"nested\",\"x\":[[[]],{}],\"y\":[\"s\",\"\\n\",-1.5,0]}\n"
        /* 5: a duplicate key inside a nested object (jansson rejects it) */
        "{\"id\":\"n2\",\"text\":\"t\",\"meta\":{\"a\":1,\"a\":2}}\n"
        /* 6: the same key in two different objects is fine */
        "{\"id\":\"n3\",\"text\":\"t\",\"a\":{\"id\":1,\"text\":2},\"b\":{\"a\":{\"a\":3}}}\n"
        /* 7-12: numbers */
        "{\"id\":12345678901234567,\"text\":\"big id\"}\n"
        "{\"id\":-0,\"text\":\"minus zero\"}\n"
        "{\"id\":1e2,\"text\":\"a real id\"}\n"
        "{\"id\":\"r\",\"text\":\"t\",\"n\":[1e5,-1.5E-3,0.25,1E+2,1234567890123456789012.5]}\n"
        "{\"id\":\"r\",\"text\":\"t\",\"n\":123456789012345678901}\n"
        "{\"id\":\"r\",\"text\":\"t\",\"n\":1e999}\n"
        /* 13-15: not objects */
        "true\n"
        " [ ] \n"
        "\"{}\"\n"
        /* 16-19: trailing garbage */
        "{\"id\":\"x\",\"text\":\"y\"}}\n"
        "{\"id\":\"x\",\"text\":\"y\"} {}\n"
        "{\"id\":\"x\",\"text\":\"y\"},\n"
        "{\"id\":\"x\",\"text\":\"y\"}\"\n"
        /* 20: the last good one */
        "{\"id\":\"end\",\"text\":\"end\"}\n";
    static const want w[] = {
        DOC(1, "k1", "escaped keys"),
        DOC(2, "k2", "x"),
        BAD(3, SYNDIC_REJECT_MALFORMED_JSON),
        DOC(4, "n1", "nested"),
        BAD(5, SYNDIC_REJECT_MALFORMED_JSON),
        DOC(6, "n3", "t"),
        DOC(7, "12345678901234567", "big id"),
        DOC(8, "0", "minus zero"),
        BAD(9, SYNDIC_REJECT_NOT_STRING),
        DOC(10, "r", "t"),
        BAD(11, SYNDIC_REJECT_MALFORMED_JSON), /* too big integer */
        BAD(12, SYNDIC_REJECT_MALFORMED_JSON), /* real number overflow */
        BAD(13, SYNDIC_REJECT_NOT_OBJECT),
        BAD(14, SYNDIC_REJECT_NOT_OBJECT),
        BAD(15, SYNDIC_REJECT_NOT_OBJECT),
        BAD(16, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(17, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(18, SYNDIC_REJECT_MALFORMED_JSON),
        BAD(19, SYNDIC_REJECT_MALFORMED_JSON),
        DOC(20, "end", "end"),
    };
    check_stream(write_file("structure.jsonl", data, sizeof data - 1), NULL, w, LEN(w));

    /* What jsmn lets through but JSON does not: all malformed. */
    static const char *const bad[] = {
        "{\"id\":\"a\",\"text\":\"b\",}",
        "{,\"id\":\"a\",\"text\":\"b\"}",
        "{\"id\" \"a\",\"text\":\"b\"}",
        "{\"id\":\"a\" \"text\":\"b\"}",
        "{\"id\":\"a\",,\"text\":\"b\"}",
        "{\"id\":\"a\";\"text\":\"b\"}",
        "{\"id\"::\"a\",\"text\":\"b\"}",
        "{\"id\":\"a\",\"text\":\"b\":\"c\"}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\"}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[1 2]}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[1,]}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[,1]}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[1,,2]}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[1}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":{\"y\"}}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":{1:2}}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":tru}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":True}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":nul}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":01}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":1.}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":.5}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":-}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":+1}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":1e}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":0x10}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":'s'}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":1:2}",
        "{id:\"a\",\"text\":\"b\"}",
        "{\"id\":\"a\",\"text\":\"b\"",
        "{\"id\":\"a\",\"text\":\"b",
        "{\"id\":\"a\",\"text\":\"b\"]",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":[}]}",
        "{\"id\":\"a\",\"text\":\"b\",\"x\":\"\xc2\xa0\"}\xc2\xa0",
        "{\"id\":\"a\",\"text\":\"b\"}\v",
        "\v{\"id\":\"a\",\"text\":\"b\"}",
    };
    for (size_t i = 0; i < LEN(bad); i++) {
        char line[256];
        int n = snprintf(line, sizeof line, "%s\n{\"id\":\"g\",\"text\":\"good\"}\n", bad[i]);
        static const want wb[] = {BAD(1, SYNDIC_REJECT_MALFORMED_JSON), DOC(2, "g", "good")};
        check_stream(write_file("jsmnbad.jsonl", line, (size_t)n), NULL, wb, LEN(wb));
    }

    /* Deep nesting, many keys, many tokens: read (by jansson) all the same. */
    size_t cap = 400000;
    char *d = malloc(cap);
    size_t n = (size_t)sprintf(d, "{\"id\":\"deep\",\"text\":\"d\",\"x\":");
    for (int i = 0; i < 100; i++) d[n++] = '[';
    for (int i = 0; i < 100; i++) d[n++] = ']';
    n += (size_t)sprintf(d + n, "}\n{\"id\":\"wide\",\"text\":\"w\"");
    for (int i = 0; i < 40; i++) n += (size_t)sprintf(d + n, ",\"k%d\":%d", i, i);
    n += (size_t)sprintf(d + n, "}\n{\"id\":\"many\",\"text\":\"m\",\"x\":[");
    for (int i = 0; i < 70000; i++) n += (size_t)sprintf(d + n, "%s%d", i ? "," : "", i % 10);
    n += (size_t)sprintf(d + n, "]}\n{\"id\":\"wd\",\"text\":\"w\"");
    for (int i = 0; i < 40; i++) n += (size_t)sprintf(d + n, ",\"k%d\":%d", i % 39, i);
    n += (size_t)sprintf(d + n, "}\n");
    static const want wd[] = {DOC(1, "deep", "d"), DOC(2, "wide", "w"), DOC(3, "many", "m"),
                              BAD(4, SYNDIC_REJECT_MALFORMED_JSON)};
    check_stream(write_file("deep.jsonl", d, n), NULL, wd, LEN(wd));
    free(d);
}
END_TEST

/* The fast path against jansson on mutated records: each line is given the
 * verdict the reader had before it (jansson, then the field checks), and
 * the reader must agree on the verdict, the reason, the strings and, for
 * malformed JSON, carry jansson's own message and column. */
typedef struct expect {
    int rc;
    syndic_reject why;
    char msg[200];
    char *id, *text, *title;
    size_t id_len, text_len, title_len;
} expect;

static void set_str(char **dst, size_t *len, json_t *v)
{
    *dst = NULL;
    *len = 0;
    if (json_is_string(v)) {
        *len = json_string_length(v);
        *dst = malloc(*len + 1);
        memcpy(*dst, json_string_value(v), *len + 1);
    }
}

static bool nul_in(json_t *v)
{
    return json_is_string(v) && memchr(json_string_value(v), '\0', json_string_length(v));
}

static void oracle(const char *line, size_t len, expect *e)
{
    memset(e, 0, sizeof *e);
    e->rc = SYNDIC_EBADREC;
    size_t at;
    if (!syndic__utf8_valid(line, len, &at)) { e->why = SYNDIC_REJECT_INVALID_UTF8; return; }
    json_error_t err;
    json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
    if (!j) {
        e->why = SYNDIC_REJECT_MALFORMED_JSON;
        snprintf(e->msg, sizeof e->msg, "malformed JSON: %s (column %d)", err.text, err.column);
        return;
    }
    if (!json_is_object(j)) { e->why = SYNDIC_REJECT_NOT_OBJECT; json_decref(j); return; }
    json_t *id = json_object_get(j, "id"), *text = json_object_get(j, "text");
    json_t *outlet = json_object_get(j, "outlet");
    if (!outlet || json_is_null(outlet)) outlet = json_object_get(j, "source");
    json_t *opt[] = {outlet, json_object_get(j, "date"), json_object_get(j, "title"),
                     json_object_get(j, "url")};
    e->why = SYNDIC_REJECT_NONE;
    if (!id || json_is_null(id)) e->why = SYNDIC_REJECT_MISSING_FIELD;
    else if (!json_is_string(id) && !json_is_integer(id)) e->why = SYNDIC_REJECT_NOT_STRING;
    else if (json_is_string(id) && json_string_length(id) == 0) e->why = SYNDIC_REJECT_MISSING_FIELD;
    else if (text && !json_is_null(text) && !json_is_string(text)) e->why = SYNDIC_REJECT_NOT_STRING;
    else if (!text || json_is_null(text)) e->why = SYNDIC_REJECT_MISSING_FIELD;
    else if (nul_in(text)) e->why = SYNDIC_REJECT_NUL_BYTE;
    for (size_t i = 0; i < LEN(opt) && e->why == SYNDIC_REJECT_NONE; i++) {
        if (opt[i] && !json_is_null(opt[i]) && !json_is_string(opt[i])) e->why = SYNDIC_REJECT_NOT_STRING;
        else if (nul_in(opt[i])) e->why = SYNDIC_REJECT_NUL_BYTE;
    }
    if (e->why == SYNDIC_REJECT_NONE && nul_in(id)) e->why = SYNDIC_REJECT_NUL_BYTE;
    if (e->why == SYNDIC_REJECT_NONE) {
        bool blank = true;
        const char *t = json_string_value(text);
        for (size_t i = 0; i < json_string_length(text) && blank; i++)
            blank = strchr(" \t\n\r", t[i]) != NULL;
        if (blank) e->why = SYNDIC_REJECT_EMPTY_TEXT;
    }
    if (e->why == SYNDIC_REJECT_NONE) {
        e->rc = 1;
        if (json_is_integer(id)) {
            char num[32];
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
            json_t *s = json_string(num);
            set_str(&e->id, &e->id_len, s);
            json_decref(s);
        } else {
            set_str(&e->id, &e->id_len, id);
        }
        set_str(&e->text, &e->text_len, text);
        set_str(&e->title, &e->title_len, opt[2]);
    }
    json_decref(j);
}

START_TEST(test_agrees_with_jansson)
{
    static const char *const bases[] = {
        "{\"id\":\"a1\",\"text\":\"Hello \\\"world\\\"\\n\\u00e9\\ud83d\\ude00 end\",\"title\":\"T\\t1\"}",
        "{\"id\":42,\"text\":\"numeric\",\"source\":\"S\",\"date\":null,\"x\":[1,-2.5,{\"y\":[]}]}",
        "{ \"id\" : \"sp\" , \"text\" : \"spaces\\/slash\" , \"url\" : \"u\" , \"n\" : true }",
        "{\"id\":\"k\",\"te\\u0078t\":\"escaped key\",\"title\":\"caf\xc3\xa9\"}",
        "{\"id\":\"z\",\"text\":\"a\\u0000b\",\"meta\":{\"a\":{\"b\":false}}}",
        "{\"id\":\"d\",\"text\":\"t\",\"outlet\":\"O\",\"outlet2\":\"P\",\"e\":1e3}",
        "{\"id\":\"ns\",\"text\":\"t\",\"title\":7,\"url\":[\"u\"]}",
    };
    static const char *const pieces[] = {
        "{", "}", "[", "]", ":", ",", "\"", "\\", " ", "\t", "0", "1", "-", ".", "e", "E",
        "t", "n", "u", "a", "\\u", "\\ud83d", "\\ude00", "\\u0000", "\\n", "null", "true",
        "\"id\"", "\"text\"", "\"title\"", "\"text\":", "\"id\":", ",\"text\":\"x\"", "{}", "[]",
        "\x01", "\xc3\xa9", "\xc3", "\"\"",
    };
    size_t lines = 6000, cap = lines * 200, n = 0;
    char *data = malloc(cap);
    size_t *start = malloc(lines * sizeof *start), *len = malloc(lines * sizeof *len);
    for (size_t i = 0; i < lines; i++) {
        const char *b = bases[i % LEN(bases)];
        char line[256];
        size_t l = strlen(b);
        memcpy(line, b, l);
        int edits = (int)(next_rand() % 3) + (i % 10 == 0 ? 0 : 1); /* some left intact */
        for (int k = 0; k < edits; k++) {
            size_t at = next_rand() % (l + 1);
            const char *p = pieces[next_rand() % LEN(pieces)];
            size_t pl = strlen(p);
            switch (next_rand() % 3) {
            case 0: /* insert */
                if (l + pl < sizeof line) {
                    memmove(line + at + pl, line + at, l - at);
                    memcpy(line + at, p, pl);
                    l += pl;
                }
                break;
            case 1: /* delete a byte */
                if (at < l) { memmove(line + at, line + at + 1, l - at - 1); l--; }
                break;
            default: /* replace a byte */
                if (at < l) line[at] = p[0];
            }
        }
        start[i] = n;
        len[i] = l;
        memcpy(data + n, line, l);
        n += l;
        data[n++] = '\n';
    }
    const char *path = write_file("mutants.jsonl", data, n);
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, path, NULL), SYNDIC_OK);
    size_t seen = 0, fast_docs = 0, counts[SYNDIC_REJECT_COUNT] = {0};
    for (;;) {
        syndic_doc d;
        syndic_reject why;
        int rc = syndic_reader_next(&d, &why, r);
        if (rc == 0) break;
        uint64_t ln = syndic_reader_line(r);
        ck_assert_uint_ge(ln, 1);
        ck_assert_uint_le(ln, lines);
        /* the line as the reader sees it: blanks trimmed */
        const char *s = data + start[ln - 1];
        size_t l = len[ln - 1];
        while (l && strchr("\r \t", s[l - 1])) l--;
        while (l && (*s == ' ' || *s == '\t')) { s++; l--; }
        expect e;
        oracle(s, l, &e);
        ck_assert_msg(rc == e.rc && why == e.why,
                      "line %llu \"%.*s\": rc %d %s, expected %d %s (%s)", (unsigned long long)ln,
                      (int)l, s, rc, syndic_reject_name(why), e.rc, syndic_reject_name(e.why),
                      syndic_last_error());
        if (e.why == SYNDIC_REJECT_MALFORMED_JSON)
            ck_assert_msg(strstr(syndic_last_error(), e.msg) != NULL, "line %llu: \"%s\" lacks \"%s\"",
                          (unsigned long long)ln, syndic_last_error(), e.msg);
        if (rc == 1) {
            ck_assert(d.id_len == e.id_len && memcmp(d.id, e.id, e.id_len) == 0);
            ck_assert(d.text_len == e.text_len && memcmp(d.text, e.text, e.text_len) == 0);
            ck_assert_int_eq(d.text[d.text_len], '\0');
            ck_assert(d.title_len == e.title_len &&
                      (e.title == NULL ? d.title == NULL : memcmp(d.title, e.title, e.title_len) == 0));
            fast_docs++;
        }
        counts[why]++;
        free(e.id);
        free(e.text);
        free(e.title);
        seen++;
    }
    syndic_reader_free(r);
    /* the mutations reach good records and most kinds of bad ones */
    ck_assert_uint_gt(fast_docs, 300);
    ck_assert_uint_gt(counts[SYNDIC_REJECT_MALFORMED_JSON], 1000);
    ck_assert_uint_gt(counts[SYNDIC_REJECT_NOT_STRING], 0);
    ck_assert_uint_gt(counts[SYNDIC_REJECT_MISSING_FIELD], 0);
    ck_assert_uint_gt(seen, lines * 9 / 10);
    free(data);
    free(start);
    free(len);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("read");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_all_fields);
    tcase_add_test(tc, test_field_mapping);
    tcase_add_test(tc, test_line_endings_and_blanks);
    tcase_add_test(tc, test_bad_records);
    tcase_add_test(tc, test_line_too_long);
    tcase_add_test(tc, test_json_scalars_are_not_objects);
    tcase_add_test(tc, test_gzip);
    tcase_add_test(tc, test_gzip_truncated);
    tcase_add_test(tc, test_gzip_corrupt);
    tcase_add_test(tc, test_buffer_boundaries);
    tcase_add_test(tc, test_text_tree);
    tcase_add_test(tc, test_missing_path);
    tcase_add_test(tc, test_stdin);
    tcase_add_test(tc, test_reject_names);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_bad_escapes);
    tcase_add_test(tc, test_long_escaped_strings);
    tcase_add_test(tc, test_json_structure);
    tcase_add_test(tc, test_agrees_with_jansson);
    suite_add_tcase(s, tc);
    return s;
}
