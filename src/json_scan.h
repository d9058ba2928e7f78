/*
 * json_scan.h - the reader's fast path for one JSON Lines record.
 *
 * jsmn (libjsmn-dev, header-only) cuts the line into tokens without
 * allocating or unescaping; this module checks that the tokens are exactly
 * the JSON grammar jansson accepts, and hands out the top-level fields:
 * strings with escapes unescaped into a buffer the scanner keeps from one
 * line to the next, strings without pointing into the line. It only ever says "yes, this line is one JSON
 * object I can read" or "not sure": everything it is not sure of (any
 * syntax error, a top-level value other than an object, keys with escapes,
 * objects of more than SYNDIC_JSON_MAX_KEYS keys, numbers with an exponent or
 * many digits, nesting deeper than SYNDIC_JSON_MAX_DEPTH, very many tokens)
 * goes to jansson, which gives the final verdict and the error message. So
 * the fast path never rejects a line, and accepts only lines that jansson
 * (with JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY) accepts
 * with the same values.
 */
#ifndef SYNDIC_JSON_SCAN_H
#define SYNDIC_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#define SYNDIC_JSON_MAX_KEYS 32    /* keys of one object; more: jansson */
#define SYNDIC_JSON_MAX_DEPTH 32   /* nesting; deeper: jansson */
#define SYNDIC_JSON_MAX_TOKENS 65536

typedef struct syndic_json_scan syndic_json_scan;

/** @return SYNDIC_OK or SYNDIC_ENOMEM. */
int syndic__json_scan_new(syndic_json_scan **out);
void syndic__json_scan_free(syndic_json_scan *s);

/* Scans line[0..len). Returns 1 when the line is one JSON object (with
 * optional JSON whitespace around it) that the fast path reads, 0 when it is
 * not sure (parse the line with jansson instead), SYNDIC_ENOMEM. The
 * top-level string values with escapes are unescaped by the scan. The line
 * is not changed; syndic__json_get() changes it. Allocates only when a line
 * is longer or has more tokens than any before. */
int syndic__json_scan(syndic_json_scan *s, char *line, size_t len);

typedef enum syndic_json_kind {
    SYNDIC_JSON_ABSENT,  /* no such key */
    SYNDIC_JSON_NULL,
    SYNDIC_JSON_STRING,  /* s, len: unescaped, NUL-terminated; may hold NULs */
    SYNDIC_JSON_INTEGER, /* integer (no fraction, no exponent) */
    SYNDIC_JSON_OTHER    /* true, false, a real, an object, an array */
} syndic_json_kind;

typedef struct syndic_json_value {
    syndic_json_kind kind;
    const char *s;
    size_t len;
    long long integer;
} syndic_json_value;

/* The top-level member `key` of the line last scanned with result 1 (keys
 * compared byte for byte: the fast path takes no key with escapes). A
 * string with escapes lives in the scanner until its next scan; one without
 * is the body in the line, NUL-terminated over its closing quote, so the
 * line must stay alive while the value is used. */
void syndic__json_get(syndic_json_scan *s, const char *key, syndic_json_value *out);

/* Unescapes the body of a JSON string (the bytes between its quotes):
 * \" \\ \/ \b \f \n \r \t and \uXXXX (UTF-8 encoded; a surrogate pair makes
 * one code point; \u0000 gives a NUL byte). Returns 0, or -1 for an invalid
 * escape, a lone or reversed surrogate, a raw '"' or a control character
 * below 0x20. `out` may be NULL (check only) or `in` itself (in place: the
 * output is never longer than the input). *out_len (may be NULL) gets the
 * output length. */
int syndic__json_unescape(const char *in, size_t len, char *out, size_t *out_len);

#endif
