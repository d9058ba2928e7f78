/*
 * jsonout.h - JSON written by hand into a growing buffer, byte for byte as
 * jansson's compact format writes it (see jsonout.c).
 */
#ifndef SYNDIC_CLI_JSONOUT_H
#define SYNDIC_CLI_JSONOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_json {
    char *data;
    size_t len, cap;
    bool oom; /* an append failed: the buffer is incomplete */
} cli_json;

void cli_json_mem(cli_json *b, const char *s, size_t n);
void cli_json_lit(cli_json *b, const char *s);
/* A JSON string of n bytes (escaped; invalid UTF-8 bytes become U+FFFD). */
void cli_json_strn(cli_json *b, const char *s, size_t n);
void cli_json_str(cli_json *b, const char *s);
/* The string, or null when s is NULL or empty. */
void cli_json_str_or_null(cli_json *b, const char *s);
void cli_json_real(cli_json *b, double v);
void cli_json_int(cli_json *b, long long v);
/* ",\"key\":" (no comma when first). */
void cli_json_key(cli_json *b, const char *key, bool first);
/* Writes the buffer to out and empties it: 0, or -1 after an allocation
 * failure or a write error. */
int cli_json_flush(cli_json *b, FILE *out);
void cli_json_free(cli_json *b);

#endif
