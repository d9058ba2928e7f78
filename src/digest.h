/*
 * digest.h - the per-document core: one text in, everything later stages
 * need out, from one normalization.
 *
 * A digest holds a text's normalized words, cut into lines (with the
 * template learner's keys for short lines) and into sentence pieces (for
 * the analysis' sentence diff). From it, without normalizing again:
 *  - the words of the lines that are kept once some are dropped as
 *    templates (syndic__digest_drop), their shingles, MinHash signature and
 *    figures (syndic__digest_sketch);
 *  - the kept raw text and its sentences (syndic__digest_content,
 *    syndic__digest_sentences);
 *  - a compact record of all of it (syndic__digest_pack/unpack), which the
 *    batch spools so that templates learned after the last document and the
 *    analysis work from it instead of reading and normalizing texts again.
 * Batch workers, ingest's prepare and the template learner all call it;
 * nothing else normalizes a document's text.
 */
#ifndef SYNDIC_DIGEST_H
#define SYNDIC_DIGEST_H

#include "internal.h"

/* Lines of at most this many words are template candidates (templates.c). */
#define SYNDIC_TEMPLATE_WORDS 40

/* One line of the text (cut at '\n'). Its words are the next `words` of
 * the digest's words; its raw bytes follow the previous line's newline. */
typedef struct syndic_dline {
    uint32_t raw_len;  /* bytes, without the newline */
    uint32_t words;
    uint32_t pieces;   /* its sentence pieces, the next `pieces` of the digest's */
    uint8_t newline;   /* a '\n' follows it in the text */
    uint8_t cut_end;   /* a sentence ends at its last byte ("... said.") */
    uint8_t dropped;   /* a template line: not part of the kept text */
    uint8_t keyed;     /* 1..SYNDIC_TEMPLATE_WORDS words: keys are set */
    uint64_t keys[LINE_KEYS]; /* see syndic_line; 0 = no such key */
} syndic_dline;

/* A run of a line between two sentence cuts: every piece but a line's last
 * ends at a cut; the last one ends at the line's end (a cut when cut_end).
 * A line with a cut at its very end has no empty last piece. */
typedef struct syndic_dpiece { uint32_t raw_len, words; } syndic_dpiece;

/* A sentence of the kept text, as the analysis diffs them: its span in the
 * kept content (trimmed of white space) and its words in the kept words. */
typedef struct syndic_dsentence {
    uint32_t off, len;
    uint32_t word_first, word_count;
} syndic_dsentence;

typedef struct syndic_digest {
    const char *raw;       /* the text, borrowed (from the record after unpack) */
    size_t raw_len;
    syndic_words words;    /* every line's words */
    syndic_dline *lines;
    size_t line_count, line_cap;
    syndic_dpiece *pieces;
    size_t piece_count, piece_cap;
    uint32_t fingerprint;  /* hash of the longest raw line (templates.c) */
    size_t dropped;        /* lines dropped */
    /* Derived from the kept lines: */
    syndic_words kept;     /* their words, when a line is dropped */
    bool kept_ready;
    uint64_t *hashes;      /* shingle scratch */
    size_t hash_count, hash_cap;
    uint64_t *table;
    size_t table_cap;
    uint64_t normalizations; /* texts normalized by syndic__digest_text */
} syndic_digest;

void syndic__digest_free(syndic_digest *d);

/* Normalize text once, line by line and sentence piece by piece. With
 * `keys`, lines of 1..SYNDIC_TEMPLATE_WORDS words get their template keys
 * (salted with the outlet's syndic__outlet_salt). The digest borrows text:
 * it must stay alive and unchanged while the digest is used. */
int syndic__digest_text(syndic_digest *d, const char *text, size_t len, uint64_t salt,
                        bool keys);

/* Drop the keyed lines for which is_template(ctx, key) holds for one of
 * their keys (any earlier drops are undone first); NULL keeps every line.
 * Returns the number of lines dropped. */
typedef bool (*syndic__key_test)(void *ctx, uint64_t key);
size_t syndic__digest_drop(syndic_digest *d, syndic__key_test is_template, void *ctx);
/* The test for a finished syndic_templates (ctx). */
bool syndic__templates_test(void *ctx, uint64_t key);

/* The words of the kept lines (borrowed until the digest changes). */
int syndic__digest_kept_words(syndic_digest *d, const syndic_words **out);

/* Signature (params->num_hashes values), distinct shingles and figures of
 * the kept words. */
int syndic__digest_sketch(syndic_digest *d, const syndic_params *params, uint32_t *signature,
                          uint32_t *shingles, syndic_numbers *numbers);

/* The kept raw text: each kept line with its newline, appended to out
 * (NUL-ended, even when nothing is kept). SYNDIC_EINVAL for a digest
 * unpacked from a record without the raw text. */
int syndic__digest_content(const syndic_digest *d, syndic_buf *out);

/* The sentences of the kept text, in order, as offsets into `content`
 * (what syndic__digest_content wrote); sentences without words are left
 * out. *out grows as syndic__grow does; *count is set. */
int syndic__digest_sentences(const syndic_digest *d, const char *content,
                             syndic_dsentence **out, size_t *count, size_t *cap);

/* The keys of the keyed lines, each with its raw line, in line order
 * (a line's keys one after the other), appended to *spans; the template
 * learner counts them (syndic__templates_count). SYNDIC_EINVAL for a digest
 * unpacked from a record without the raw text. */
int syndic__digest_key_spans(const syndic_digest *d, syndic_key_span **spans, size_t *count,
                             size_t *cap);

/* A record of the digest (lines, pieces, keys, normalized words and, with
 * raw, the text), appended to out; unpack makes a digest equal to the one
 * packed (without raw: its raw text is empty and only the words and lines
 * are usable). The unpacked digest borrows its raw text from rec. A record
 * whose counts do not add up (truncated, damaged) is refused with
 * SYNDIC_EIO and leaves an empty digest. */
int syndic__digest_pack(const syndic_digest *d, bool raw, syndic_buf *out);
int syndic__digest_unpack(syndic_digest *d, const char *rec, size_t len);

#endif
