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
        int rc = syndic_reader_next(r, &d, &why);
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
    ck_assert_msg(syndic_reader_next(r, &d, &why) == 0, "%s: no end after %zu items", path, n);
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
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

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_int_eq(memcmp(d.id, "42", 2), 0);
    ck_assert_ptr_null(d.outlet);
    ck_assert_ptr_null(d.date);
    ck_assert_ptr_null(d.title);
    ck_assert_ptr_null(d.url);

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_uint_eq(d.id_len, 2);
    ck_assert_int_eq(memcmp(d.id, "-7", 2), 0);
    ck_assert_uint_eq(d.outlet_len, 2); /* "source" when "outlet" is absent */
    ck_assert_int_eq(memcmp(d.outlet, "AP", 2), 0);

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_uint_eq(d.outlet_len, 1); /* "outlet" wins over "source" */
    ck_assert_int_eq(d.outlet[0], 'O');

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_str_eq(d.id, "nulls");
    ck_assert_ptr_null(d.outlet); /* null is absent */
    ck_assert_ptr_null(d.title);
    ck_assert_ptr_null(d.date);

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_str_eq(d.text, "caf\xc3\xa9 \xe2\x80\x9cquote\xe2\x80\x9d \xf0\x9f\x98\x80");

    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_str_eq(d.id, "m1");
    ck_assert_str_eq(d.text, "mapped body");
    ck_assert_str_eq(d.outlet, "X");
    ck_assert_str_eq(d.date, "2026-01-01");
    ck_assert_str_eq(d.title, "H");
    ck_assert_str_eq(d.url, "L");
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), SYNDIC_EBADREC);
    ck_assert_int_eq(why, SYNDIC_REJECT_MISSING_FIELD);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "\"body\""));
    /* An explicit outlet key has no "source" fallback. */
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_str_eq(d.id, "m3");
    ck_assert_ptr_null(d.outlet);
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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
        syndic_reader_next(r, &d, &why);
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
        int rc = syndic_reader_next(r, &d, &why);
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
        ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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
    while (syndic_reader_next(r, &d, &why) == 1) {
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
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 1);
        ck_assert_uint_eq(doc.text_len, l1 - 3 - 20);
        ck_assert_int_eq(memcmp(doc.text, d + 20, doc.text_len), 0);
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 1);
        ck_assert_uint_eq(doc.id_len, 4);
        ck_assert_int_eq(memcmp(doc.text, "after", 5), 0);
        ck_assert_uint_eq(syndic_reader_line(r), 2);
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 0);
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
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 1);
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 1);
        ck_assert_uint_eq(doc.id_len, 4);
        ck_assert_uint_eq(doc.text_len, big);
        ck_assert_int_eq(memcmp(doc.text, d + text_at, big), 0);
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 1);
        ck_assert_uint_eq(doc.text_len, 4);
        ck_assert_int_eq(memcmp(doc.text, "tail", 4), 0);
        ck_assert_uint_eq(syndic_reader_line(r), 3);
        ck_assert_int_eq(syndic_reader_next(r, &doc, &why), 0);
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
                int rc = syndic_reader_next(r, &d, &why);
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
            ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
            syndic_reader_free(r);
        }
    }

    /* A single .txt file: one document whose id is the path. */
    const char *one = tmp_path("tree/top.txt");
    syndic_reader *r;
    ck_assert_int_eq(syndic_reader_open(&r, one, NULL), SYNDIC_OK);
    syndic_doc d;
    syndic_reject why;
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_uint_eq(d.id_len, strlen(one));
    ck_assert_int_eq(memcmp(d.id, one, d.id_len), 0);
    ck_assert_int_eq(memcmp(d.text, "top level", 9), 0);
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_int_eq(memcmp(d.id, "in1", 3), 0);
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), SYNDIC_EBADREC);
    ck_assert_int_eq(why, SYNDIC_REJECT_NOT_OBJECT);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "<stdin>:2:"));
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 1);
    ck_assert_int_eq(syndic_reader_next(r, &d, &why), 0);
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
    suite_add_tcase(s, tc);
    return s;
}
