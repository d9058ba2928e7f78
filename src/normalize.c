/*
 * normalize.c - text to a canonical sequence of words.
 *
 * Two copies of a story differ in ways that carry no meaning: case, curly
 * versus straight quotes, dashes, ligatures and full-width forms, accents
 * kept or dropped, "1,200" versus "1200", punctuation and spacing. This
 * module maps all of them to one form: lower-case words of letters and
 * digits separated by one space.
 *
 * Per code point: the compatibility decomposition (NFKD) with case folding,
 * marks stripped, default-ignorable characters (soft hyphen, zero-width
 * joiners) dropped and punctuation lumped to ASCII (utf8proc's COMPAT,
 * CASEFOLD, STRIPMARK, IGNORE and LUMP options). Because every combining mark
 * is stripped, no recomposition is needed: a precomposed "é" and "e" + U+0301
 * both become "e", and the result is the same as NFKC + case folding + mark
 * removal, computed in one pass without buffering the whole text.
 *
 * Word rules:
 *  - letters (L*) and digits (N*) make words; everything else separates;
 *  - an apostrophe between two word characters is dropped ("don't" and
 *    "don’t" both give "dont");
 *  - a comma between two digits is dropped ("1,200" -> "1200"); a period,
 *    slash or hyphen between two digits is kept, so that figures stay whole
 *    tokens ("5.6", "1/2", "8-1/8", a score "3-1"): figures are what tell
 *    templated stories apart (see numbers.c);
 *  - wire and newspaper spellings of units and small numbers are one token
 *    ("pct" = "percent" = "%", "mln" = "million", "dlrs" = "dollars",
 *    "nine" = "9"), because copy editors rewrite them;
 *  - invalid UTF-8 bytes separate words (the reader rejects such records;
 *    this only makes the library safe on any bytes).
 *
 * Fast path: ASCII bytes, the bulk of news text, go through a 256-entry table;
 * only non-ASCII code points call utf8proc.
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>

enum kind { K_SEP = 0, K_WORD, K_APOS, K_COMMA, K_DOT, K_SLASH, K_HYPHEN, K_PERCENT, K_IGNORE };

/* For ASCII: the kind, and for word characters the lower-case byte. */
static unsigned char ascii_kind[128];
static char ascii_lower[128];

/* Canonical forms of the words that copy editors rewrite: wire style
 * ("5 mln dlrs", "2.9 pct", "nine cts") against newspaper style ("5 million
 * dollars", "2.9 percent", "9 cents"). Both spellings map to one token, so
 * the rewrite changes no shingle. */
static const struct { const char *word, *canon; unsigned char len; } canon_words[] = {
    {"percent", "pct", 7}, {"million", "mln", 7}, {"mn", "mln", 2}, {"billion", "bln", 7},
    {"bn", "bln", 2}, {"dollars", "dlr", 7}, {"dollar", "dlr", 6}, {"dlrs", "dlr", 4},
    {"cents", "ct", 5}, {"cent", "ct", 4}, {"cts", "ct", 3}, {"zero", "0", 4}, {"one", "1", 3},
    {"two", "2", 3}, {"three", "3", 5}, {"four", "4", 4}, {"five", "5", 4}, {"six", "6", 3},
    {"seven", "7", 5}, {"eight", "8", 5}, {"nine", "9", 4}, {"ten", "10", 3},
};

/* Per first letter, the entries of canon_words starting with it (at most
 * CANON_PER_LETTER; "f" and "t" have the most): a word is compared with
 * these only, not with the whole table. */
#define CANON_PER_LETTER 4
#define CANON_COUNT (sizeof canon_words / sizeof canon_words[0])
static unsigned char canon_by_initial[128][CANON_PER_LETTER];
static unsigned char canon_initial_count[128];
/* Per first two letters (a-z), bit n set when a canonical word of n bytes
 * starts with them; entry 26 * 26 is all zero. Almost every word of a text
 * fails this one test, computed without a branch (a per-word branch on the
 * length mispredicted often enough to cost 8% of a run). */
static uint8_t canon_prefix_lengths[26 * 26 + 1];

static void init_tables(void)
{
    for (int c = 0; c < 128; c++) {
        ascii_kind[c] = K_SEP;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            ascii_kind[c] = K_WORD;
            ascii_lower[c] = (char)c;
        } else if (c >= 'A' && c <= 'Z') {
            ascii_kind[c] = K_WORD;
            ascii_lower[c] = (char)(c - 'A' + 'a');
        }
    }
    ascii_kind['\''] = K_APOS;
    ascii_kind[','] = K_COMMA;
    ascii_kind['.'] = K_DOT;
    ascii_kind['/'] = K_SLASH;
    ascii_kind['-'] = K_HYPHEN;
    ascii_kind['%'] = K_PERCENT;
    for (size_t i = 0; i < CANON_COUNT; i++) {
        unsigned char c = (unsigned char)canon_words[i].word[0];
        if (canon_initial_count[c] < CANON_PER_LETTER) /* never full: test_normalize */
            canon_by_initial[c][canon_initial_count[c]++] = (unsigned char)i;
        canon_prefix_lengths[(c - 'a') * 26 + (canon_words[i].word[1] - 'a')] |=
            (uint8_t)(1u << canon_words[i].len);
    }
}

/* Tables are filled once; the values are constant so a benign race between
 * first callers writes identical bytes, but use call_once for correctness. */
#include <threads.h>
static once_flag tables_once = ONCE_FLAG_INIT;

typedef struct state {
    syndic_words *w;
    bool in_word;      /* the last thing emitted was a word character */
    bool last_digit;   /* ... and it was a digit */
    int pending;       /* K_APOS, K_COMMA, K_DOT seen after a word char */
} state;

static int reserve(syndic_words *w, size_t more)
{
    if (more > SIZE_MAX - w->len - 2) return syndic__oom();
    return syndic__grow(&w->text, &w->cap, w->len + more + 2, 1);
}

static inline void canonical_word(syndic_words *w)
{
    uint32_t start = w->start[w->count - 1];
    size_t n = w->len - start;
    const char *word = w->text + start;
    unsigned char c = (unsigned char)word[0];
    unsigned c1 = c - (unsigned)'a', c2 = (n > 1 ? (unsigned char)word[1] : 0u) - (unsigned)'a';
    size_t at = (c1 < 26u) & (c2 < 26u) ? c1 * 26 + c2 : 26 * 26;
    if (!((canon_prefix_lengths[at] >> (n & 7)) & (n < 8))) return;
    for (unsigned k = 0; k < canon_initial_count[c]; k++) {
        size_t i = canon_by_initial[c][k];
        if (canon_words[i].len == n && memcmp(canon_words[i].word, word, n) == 0) {
            size_t m = strlen(canon_words[i].canon); /* never longer than the word */
            memcpy(w->text + start, canon_words[i].canon, m);
            w->len = start + m;
            return;
        }
    }
}

static inline int end_word(state *st)
{
    syndic_words *w = st->w;
    if (!st->in_word) return SYNDIC_OK;
    canonical_word(w);
    w->end[w->count - 1] = (uint32_t)w->len;
    st->in_word = false;
    return SYNDIC_OK;
}

/* Emit one word character (UTF-8 bytes) applying the joiner rules. */
static int emit(state *st, const char *bytes, size_t n, bool digit)
{
    syndic_words *w = st->w;
    int rc;
    if (st->in_word && st->pending) {
        bool glue = st->pending == K_APOS || (st->pending != K_APOS && st->last_digit && digit);
        if (glue && st->pending != K_APOS && st->pending != K_COMMA) {
            /* '.', '/' and '-' between digits stay: 5.6, 1/2, 8-1/8, 3-1. */
            if ((rc = reserve(w, 1)) < 0) return rc;
            w->text[w->len++] = st->pending == K_DOT ? '.' : st->pending == K_SLASH ? '/' : '-';
        } else if (!glue) {
            end_word(st);
        }
    }
    st->pending = 0;
    if (!st->in_word) {
        if (w->count == w->word_cap) {
            /* start[] and end[] share one capacity. */
            size_t cap = w->word_cap;
            if ((rc = syndic__grow(&w->start, &cap, w->count + 1,
                                   sizeof *w->start)) < 0)
                return rc;
            uint32_t *e = syndic__reallocarray(w->end, cap, sizeof *w->end);
            if (!e) return syndic__oom();
            w->end = e;
            w->word_cap = cap;
        }
        if ((rc = reserve(w, n + 1)) < 0) return rc;
        if (w->count) w->text[w->len++] = ' ';
        w->start[w->count++] = (uint32_t)w->len;
        st->in_word = true;
    } else if ((rc = reserve(w, n)) < 0) {
        return rc;
    }
    memcpy(w->text + w->len, bytes, n);
    w->len += n;
    st->last_digit = digit;
    return SYNDIC_OK;
}

static int handle(state *st, int kind)
{
    switch (kind) {
    case K_PERCENT: { /* "2.9%" -> "2.9 pct" */
        st->pending = 0;
        int rc = end_word(st);
        if (rc == SYNDIC_OK) rc = emit(st, "pct", 3, false);
        if (rc == SYNDIC_OK) rc = end_word(st);
        return rc;
    }
    case K_IGNORE: return SYNDIC_OK;
    case K_APOS: case K_COMMA: case K_DOT: case K_SLASH: case K_HYPHEN:
        if (st->in_word && !st->pending) st->pending = kind;
        else { st->pending = 0; return end_word(st); }
        return SYNDIC_OK;
    default:
        st->pending = 0;
        return end_word(st);
    }
}

static int code_point(state *st, utf8proc_int32_t cp)
{
    if (cp < 128) {
        int k = ascii_kind[cp];
        if (k == K_WORD) {
            char c = ascii_lower[cp];
            return emit(st, &c, 1, c >= '0' && c <= '9');
        }
        return handle(st, k);
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    switch (cat) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_ND: {
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
        return emit(st, (const char *)buf, (size_t)n,
                    cat == UTF8PROC_CATEGORY_ND);
    }
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
        return SYNDIC_OK; /* marks and format characters never split words */
    default:
        return handle(st, K_SEP);
    }
}

int syndic__normalize(syndic_words *w, const char *text, size_t len)
{
    w->len = 0;
    w->count = 0;
    return syndic__normalize_append(w, text, len);
}

int syndic__normalize_append(syndic_words *w, const char *text, size_t len)
{
    call_once(&tables_once, init_tables);
    if (len > UINT32_MAX / 4 || w->len > UINT32_MAX / 4)
        return syndic__error(SYNDIC_EINVAL, "text of %zu bytes is too long", len + w->len);
    int rc = reserve(w, len / 2 + 16);
    if (rc < 0) return rc;
    state st = {w, false, false, 0};
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 128) {
            i++;
            int k = ascii_kind[c];
            if (k == K_WORD && !st.in_word) {
                /* The common case: a plain ASCII word after a separator.
                 * Copy its run of letters and digits in one go. */
                if (w->count == w->word_cap || w->len + (len - i) + 3 > w->cap) {
                    char lc = ascii_lower[c]; /* the general path makes room */
                    if ((rc = emit(&st, &lc, 1, lc >= '0' && lc <= '9'))) return rc;
                    continue;
                }
                if (w->count) w->text[w->len++] = ' ';
                w->start[w->count++] = (uint32_t)w->len;
                char *out = w->text + w->len;
                out[0] = ascii_lower[c];
                size_t n = 1;
                while (i < len && s[i] < 128 && ascii_kind[s[i]] == K_WORD)
                    out[n++] = ascii_lower[s[i++]];
                w->len += n;
                st.in_word = true;
                st.last_digit = out[n - 1] >= '0' && out[n - 1] <= '9';
                continue;
            }
            if (k == K_WORD) {
                /* Inline the common case: a letter continuing a word. */
                if (st.in_word && !st.pending && w->len + 2 < w->cap) {
                    char lc = ascii_lower[c];
                    w->text[w->len++] = lc;
                    st.last_digit = lc >= '0' && lc <= '9';
                    continue;
                }
                char lc = ascii_lower[c];
                rc = emit(&st, &lc, 1, lc >= '0' && lc <= '9');
            } else if (k == K_SEP) { /* a space, mostly: handle()'s default, inline */
                st.pending = 0;
                if (st.in_word) end_word(&st);
                continue;
            } else {
                rc = handle(&st, k);
            }
            if (rc) return rc;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { /* invalid byte: a separator */
            i++;
            if ((rc = handle(&st, K_SEP)) != 0) return rc;
            continue;
        }
        i += (size_t)n;
        utf8proc_int32_t out[32];
        int last_boundclass = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(
            cp, out, 32,
            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP,
            &last_boundclass);
        if (m < 0 || m > 32) { /* cannot happen for valid code points */
            if ((rc = handle(&st, K_SEP)) != 0) return rc;
            continue;
        }
        for (utf8proc_ssize_t j = 0; j < m; j++)
            if ((rc = code_point(&st, out[j])) != 0) return rc;
    }
    end_word(&st);
    w->text[w->len] = '\0';
    return SYNDIC_OK;
}

void syndic__words_free(syndic_words *w)
{
    syndic__free(w->text);
    syndic__free(w->start);
    syndic__free(w->end);
    memset(w, 0, sizeof *w);
}

bool syndic__utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 128) { i++; continue; }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        i += (size_t)n;
    }
    return true;
}
