/*
 * json_scan.c - the reader's fast path: jsmn tokens, checked against the
 * JSON grammar, and strings unescaped into a reused buffer. See json_scan.h for the
 * contract: 1 = "one JSON object, read it here", 0 = "ask jansson".
 *
 * jsmn (strict mode, with parent links) finds the tokens and their byte
 * ranges but is lenient about what lies between them (it takes {"a" "b"},
 * {"a":1,} or [1 2]) and about what a primitive or a string holds. So the
 * tokens are walked once more: every byte of the line must belong either to
 * a token or to the whitespace and the one punctuation mark the grammar
 * wants between two tokens; strings must hold no control character and only
 * valid escapes (surrogates paired); primitives must be true, false, null
 * or a number. What jansson would refuse for reasons beyond the grammar is
 * left to jansson: duplicate keys are compared here only when no key of the
 * object has an escape, numbers with an exponent or more than 18 digits
 * (which could overflow) and deep or very large lines are not read here.
 */
#include "json_scan.h"

#include "internal.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#define INITIAL_TOKENS 256u

/* A member of the top-level object. A string value with escapes is
 * unescaped by the scan into the scanner's buffer (s, len); one without
 * points into the line (s stays NULL until syndic__json_get). */
typedef struct member {
    int key;          /* its key's token; the value's is key + 1 */
    const char *s;
    size_t len;
} member;

struct syndic_json_scan {
    jsmntok_t *tok;
    unsigned cap;
    int count;
    char *line;
    size_t len;
    unsigned members;                         /* of the top-level object */
    member member[SYNDIC_JSON_MAX_KEYS];
    char *strings;                            /* unescaped strings, NUL after each */
    size_t strings_used, strings_cap;
};

int syndic__json_scan_new(syndic_json_scan **out)
{
    *out = syndic__calloc(1, sizeof **out);
    return *out ? SYNDIC_OK : syndic__oom();
}

void syndic__json_scan_free(syndic_json_scan *s)
{
    if (!s) return;
    syndic__free(s->tok);
    syndic__free(s->strings);
    syndic__free(s);
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    return v;
}

/* The first i' >= i with s[i'] below 0x20, '"' or '\\'; n when none. Eight
 * bytes at a time: a byte b of x matches when b - 0x20, b ^ '"' - 1 or
 * b ^ '\\' - 1 borrows into its high bit while b's own high bit is clear
 * (the "haszero"/"hasless" word tricks: no false negatives, and a false
 * positive only after a true one, which the byte loop then finds). */
static size_t plain_run(const char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
        if (((x - ones * 0x20) | (q - ones) | (b - ones)) & ~x & highs) break;
        i += 8;
    }
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\') break;
        i++;
    }
    return i;
}

int syndic__json_unescape(const char *in, size_t len, char *out, size_t *out_len)
{
    size_t i = 0, o = 0;
    for (;;) {
        size_t run = plain_run(in, i, len);
        if (out && run > i && out + o != in + i) memmove(out + o, in + i, run - i);
        o += run - i;
        i = run;
        if (i == len) break;
        if (in[i] != '\\' || len - i < 2) return -1;
        char e = in[i + 1];
        i += 2;
        uint32_t cp;
        switch (e) {
        case '"': case '\\': case '/': cp = (uint32_t)e; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u': {
            int hi = len - i >= 4 ? hex4(in + i) : -1;
            if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF)) return -1;
            i += 4;
            cp = (uint32_t)hi;
            if (hi >= 0xD800 && hi <= 0xDBFF) {
                int lo = len - i >= 6 && in[i] == '\\' && in[i + 1] == 'u' ? hex4(in + i + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF) return -1;
                i += 6;
                cp = 0x10000u + (((uint32_t)hi - 0xD800u) << 10) + ((uint32_t)lo - 0xDC00u);
            }
            break;
        }
        default:
            return -1;
        }
        /* The escape took at least as many bytes as its UTF-8: o stays <= i. */
        char u[4];
        size_t n;
        if (cp < 0x80) {
            u[0] = (char)cp;
            n = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18));
            u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (out) memcpy(out + o, u, n);
        o += n;
    }
    if (out_len) *out_len = o;
    return 0;
}

/* A string body: no control character, no raw quote, valid escapes. With
 * `out` (room for n bytes), a body with escapes is unescaped there and
 * *out_len set; *escaped says whether it had any. */
static bool string_ok(const char *s, size_t n, char *out, size_t *out_len, bool *escaped)
{
    size_t i = plain_run(s, 0, n);
    *escaped = i < n && s[i] == '\\';
    if (i == n) return true;
    if (!*escaped) return false;
    if (!out) return syndic__json_unescape(s + i, n - i, NULL, NULL) == 0;
    memcpy(out, s, i);
    size_t m;
    if (syndic__json_unescape(s + i, n - i, out + i, &m) < 0) return false;
    *out_len = i + m;
    return true;
}

/* true, false, null, or a number without exponent of at most 18 digits. */
static bool primitive_ok(const char *p, size_t n)
{
    if (n == 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "null", 4) == 0)) return true;
    if (n == 5 && memcmp(p, "false", 5) == 0) return true;
    size_t i = 0, digits = 0;
    if (i < n && p[i] == '-') i++;
    if (i < n && p[i] == '0') {
        i++;
        digits++;
    } else if (i < n && p[i] >= '1' && p[i] <= '9') {
        while (i < n && p[i] >= '0' && p[i] <= '9') { i++; digits++; }
    } else {
        return false;
    }
    if (i < n && p[i] == '.') {
        size_t f = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9') i++;
        if (i == f) return false;
        digits += i - f;
    }
    return i == n && digits <= 18; /* an exponent or anything else: jansson */
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* js[from..to) is whitespace around exactly one `punct` (none when 0). */
static bool gap(const char *js, size_t from, size_t to, char punct)
{
    while (from < to && is_ws(js[from])) from++;
    if (punct) {
        if (from >= to || js[from] != punct) return false;
        from++;
        while (from < to && is_ws(js[from])) from++;
    }
    return from == to;
}

/* The bytes of a token's literal (a string's with its quotes). */
static size_t lit_begin(const jsmntok_t *t)
{
    return (size_t)t->start - (t->type == JSMN_STRING);
}
static size_t lit_end(const jsmntok_t *t) { return (size_t)t->end + (t->type == JSMN_STRING); }

static int check_value(syndic_json_scan *s, int i, int depth, member *top);

/* Checks the object at token i; returns the token after it, or -1. */
static int check_object(syndic_json_scan *s, int i, int depth)
{
    const jsmntok_t *t = &s->tok[i];
    const char *js = s->line;
    if (depth >= SYNDIC_JSON_MAX_DEPTH || t->size < 0 || t->size > SYNDIC_JSON_MAX_KEYS ||
        js[t->start] != '{' || js[t->end - 1] != '}')
        return -1;
    int keys[SYNDIC_JSON_MAX_KEYS];
    size_t pos = (size_t)t->start + 1;
    int j = i + 1;
    for (int k = 0; k < t->size; k++) {
        if (j + 1 >= s->count) return -1;
        const jsmntok_t *key = &s->tok[j];
        if (key->type != JSMN_STRING || key->size != 1 || js[key->start - 1] != '"' ||
            js[key->end] != '"' || !gap(js, pos, lit_begin(key), k ? ',' : 0))
            return -1;
        size_t klen = (size_t)(key->end - key->start);
        bool escaped;
        if (!string_ok(js + key->start, klen, NULL, NULL, &escaped) || escaped) return -1;
        for (int m = 0; m < k; m++) { /* jansson rejects duplicate keys */
            const jsmntok_t *o = &s->tok[keys[m]];
            if ((size_t)(o->end - o->start) == klen && memcmp(js + o->start, js + key->start, klen) == 0)
                return -1;
        }
        keys[k] = j;
        const jsmntok_t *v = &s->tok[j + 1];
        if (!gap(js, (size_t)key->end + 1, lit_begin(v), ':')) return -1;
        pos = lit_end(v);
        member *top = depth == 0 ? &s->member[k] : NULL;
        if (top) *top = (member){j, NULL, 0};
        if ((j = check_value(s, j + 1, depth + 1, top)) < 0) return -1;
        if (top) s->members = (unsigned)k + 1;
    }
    return gap(js, pos, (size_t)t->end - 1, 0) ? j : -1;
}

/* Checks the value at token i; returns the token after it, or -1. With
 * `top`, a string with escapes is unescaped into s->strings. */
static int check_value(syndic_json_scan *s, int i, int depth, member *top)
{
    if (i >= s->count) return -1;
    const jsmntok_t *t = &s->tok[i];
    const char *js = s->line;
    if (t->start < 0 || t->end < t->start) return -1;
    switch (t->type) {
    case JSMN_STRING: {
        char *out = top ? s->strings + s->strings_used : NULL;
        size_t out_len = 0;
        bool escaped;
        if (t->size != 0 || t->start < 1 || js[t->start - 1] != '"' || js[t->end] != '"' ||
            !string_ok(js + t->start, (size_t)(t->end - t->start), out, &out_len, &escaped))
            return -1;
        if (top && escaped) { /* out_len <= the body's length: the buffer holds it */
            out[out_len] = '\0';
            s->strings_used += out_len + 1;
            top->s = out;
            top->len = out_len;
        }
        return i + 1;
    }
    case JSMN_PRIMITIVE:
        if (t->size != 0 || !primitive_ok(js + t->start, (size_t)(t->end - t->start))) return -1;
        return i + 1;
    case JSMN_OBJECT:
        return check_object(s, i, depth);
    case JSMN_ARRAY: {
        if (depth >= SYNDIC_JSON_MAX_DEPTH || t->size < 0 || js[t->start] != '[' ||
            js[t->end - 1] != ']')
            return -1;
        size_t pos = (size_t)t->start + 1;
        int j = i + 1;
        for (int k = 0; k < t->size; k++) {
            if (j >= s->count || !gap(js, pos, lit_begin(&s->tok[j]), k ? ',' : 0)) return -1;
            pos = lit_end(&s->tok[j]);
            if ((j = check_value(s, j, depth + 1, NULL)) < 0) return -1;
        }
        return gap(js, pos, (size_t)t->end - 1, 0) ? j : -1;
    }
    default:
        return -1;
    }
}

int syndic__json_scan(syndic_json_scan *s, char *line, size_t len)
{
    s->members = 0;
    s->count = 0;
    s->line = line;
    s->len = len;
    s->strings_used = 0;
    if (len == 0 || len > (size_t)INT_MAX / 2) return 0;
    /* Unescaped strings, each with a NUL, take no more than the line (a
     * body shrinks or stays, and its two quotes make room for the NUL). */
    if (s->strings_cap < len) {
        size_t cap = len > 65536 ? len : 65536;
        char *bigger = syndic__realloc(s->strings, cap);
        if (!bigger) return syndic__oom();
        s->strings = bigger;
        s->strings_cap = cap;
    }
    if (!s->tok) {
        if (!(s->tok = syndic__reallocarray(NULL, INITIAL_TOKENS, sizeof *s->tok)))
            return syndic__oom();
        s->cap = INITIAL_TOKENS;
    }
    for (;;) {
        jsmn_parser p;
        jsmn_init(&p);
        int n = jsmn_parse(&p, line, len, s->tok, s->cap);
        if (n == JSMN_ERROR_NOMEM) {
            if (s->cap >= SYNDIC_JSON_MAX_TOKENS) return 0;
            jsmntok_t *bigger = syndic__reallocarray(s->tok, s->cap * 4, sizeof *s->tok);
            if (!bigger) return syndic__oom();
            s->tok = bigger;
            s->cap *= 4;
            continue;
        }
        if (n < 1 || p.pos != len) return 0; /* an error, or a NUL byte */
        s->count = n;
        break;
    }
    const jsmntok_t *t = &s->tok[0];
    if (t->type != JSMN_OBJECT || t->start < 0 || t->end <= t->start ||
        !gap(line, 0, (size_t)t->start, 0) || !gap(line, (size_t)t->end, len, 0) ||
        check_object(s, 0, 0) != s->count) {
        s->members = 0;
        return 0;
    }
    return 1;
}

void syndic__json_get(syndic_json_scan *s, const char *key, syndic_json_value *out)
{
    *out = (syndic_json_value){SYNDIC_JSON_ABSENT, NULL, 0, 0};
    size_t klen = strlen(key);
    char *js = s->line;
    for (unsigned m = 0; m < s->members; m++) {
        member *mb = &s->member[m];
        const jsmntok_t *k = &s->tok[mb->key];
        if ((size_t)(k->end - k->start) != klen || memcmp(js + k->start, key, klen) != 0)
            continue;
        const jsmntok_t *v = k + 1;
        if (v->type == JSMN_STRING) {
            if (!mb->s) { /* no escapes: the body in the line, NUL over its quote */
                js[v->end] = '\0';
                mb->s = js + v->start;
                mb->len = (size_t)(v->end - v->start);
            }
            out->kind = SYNDIC_JSON_STRING;
            out->s = mb->s;
            out->len = mb->len;
        } else if (v->type == JSMN_PRIMITIVE) {
            const char *p = js + v->start;
            size_t n = (size_t)(v->end - v->start);
            if (*p == 'n') {
                out->kind = SYNDIC_JSON_NULL;
            } else if (*p == 't' || *p == 'f' || memchr(p, '.', n)) {
                out->kind = SYNDIC_JSON_OTHER;
            } else { /* at most 18 digits: no overflow */
                bool neg = *p == '-';
                long long x = 0;
                for (size_t i = neg; i < n; i++) x = x * 10 + (p[i] - '0');
                out->kind = SYNDIC_JSON_INTEGER;
                out->integer = neg ? -x : x;
            }
        } else {
            out->kind = SYNDIC_JSON_OTHER;
        }
        return;
    }
}
