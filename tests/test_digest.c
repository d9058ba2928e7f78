/*
 * test_digest.c - the per-document core (digest.c) against the code it
 * replaced: normalizing whole texts, scanning kept texts for sentences, and
 * normalizing kept texts again.
 *
 * Design: every check compares the digest with an independent computation
 * written here or taken from the module digest.c stands in for, never with
 * a literal that could be copied from its output:
 *  1. pieces: the words of normalizing line by line and piece by piece
 *     equal syndic__normalize() of the whole text (text, count, offsets);
 *     lines, pieces and cuts are checked against a plain split of the text
 *     and a plain scan for sentence ends;
 *  2. sentences: a reference splitter (the rules of the old analysis code,
 *     ref_sentences below) on the kept content gives the spans
 *     syndic__digest_sentences gives, and normalizing each span gives the
 *     sentence's kept words;
 *  3. dropping: the kept words equal syndic__normalize() of the kept
 *     content, and the sketch equals syndic_sketch_hashes over
 *     syndic__shingle of those words and the public sketcher's sketch of the
 *     kept content;
 *  4. records: unpack(pack(d)) is d; every truncation, every flipped header
 *     count and every count changed in a digest before packing it (so, for
 *     any table layout) is refused with SYNDIC_EIO, and any other flipped
 *     bit leaves a digest that reads nothing out of bounds (records, texts
 *     and contents live in exact-size heap blocks, so ASan sees a read one
 *     byte past them);
 *  5. template keys: spans in line order, the 40-word and 640-byte limits,
 *     shape and lead-in keys shared by lines that differ, salts.
 * Texts: a table of edge cases (CRLF, blank lines, lines of spaces,
 * abbreviations, figures, closers after a stop, no final newline, empty,
 * only newlines, invalid bytes) and texts drawn from a seeded generator
 * (gen_text) that hard-wraps sentences and puts template lines ("Read more:
 * ...", datelines) at the start, at the end, between paragraphs, next to
 * blank lines and between a sentence's two halves. Each text is checked
 * with no line dropped, with chosen lines dropped and with every keyed line
 * dropped.
 */
#include "check_main.h"
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Check records every assertion that holds (a message written per call):
 * over every word of every text that costs more than the work checked, so
 * these call Check only when they fail. */
#define REQUIRE(cond, ...)                                                              \
    do {                                                                                \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                         \
    } while (0)
#define REQUIRE_TRUE(cond) REQUIRE(cond, "%s:%d: %s", __FILE__, __LINE__, #cond)
#define REQUIRE_EQ(a, b)                                                                \
    do {                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                             \
        REQUIRE(a_ == b_, "%s:%d: %s == %s: %lld, %lld", __FILE__, __LINE__, #a, #b, a_, \
                b_);                                                                    \
    } while (0)

#define SALT_A UINT64_C(0x0123456789abcdef)
#define RANDOM_TEXTS 150

/* ---- tools ---- */

static uint64_t rnd(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n) { return (size_t)(rnd(s) % n); }

/* A heap copy of exactly n bytes (one when n is 0): ASan reports a read
 * past its end. */
static char *exact_copy(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    REQUIRE_TRUE(p);
    if (n) memcpy(p, s, n);
    return p;
}

static void append(syndic_buf *b, const char *s)
{
    REQUIRE_EQ(syndic__buf_append(b, s, strlen(s)), SYNDIC_OK);
}

/* Word i of a and word j of b have the same bytes. */
static bool same_word(const syndic_words *a, size_t i, const syndic_words *b, size_t j)
{
    size_t na = a->end[i] - a->start[i], nb = b->end[j] - b->start[j];
    return na == nb && memcmp(a->text + a->start[i], b->text + b->start[j], na) == 0;
}

/* got equals want exactly: text, count and every word's offsets. */
static void assert_words_equal(const syndic_words *got, const syndic_words *want,
                               const char *what, const char *id)
{
    REQUIRE(got->count == want->count, "%s (%s): %zu words, expected %zu", what, id,
            got->count, want->count);
    bool same = got->len == want->len &&
                (!want->len || memcmp(got->text, want->text, want->len) == 0);
    REQUIRE(same, "%s (%s): \"%.*s\", expected \"%.*s\"", what, id, (int)got->len,
            got->len ? got->text : "", (int)want->len, want->len ? want->text : "");
    for (size_t i = 0; i < want->count; i++)
        REQUIRE(got->start[i] == want->start[i] && got->end[i] == want->end[i],
                "%s (%s): word %zu at [%u, %u), expected [%u, %u)", what, id, i,
                got->start[i], got->end[i], want->start[i], want->end[i]);
}

/* ---- the texts ---- */

#define S(lit) lit, sizeof(lit) - 1 /* a literal with its exact byte length */

typedef struct text_case { const char *text; size_t len; } text_case;

static const text_case fixed_texts[] = {
    {S("")},
    {S("\n")},
    {S("\n\n\n")},
    {S("\r\n\r\n")},
    {S("   ")},
    {S("   \n  \t \nword")},
    {S("Hello world.")},
    {S("no final newline")},
    {S("He said \xe2\x80\x9cno.\xe2\x80\x9d Then he left.\n")},
    {S("CRLF line.\r\nNext line!\r\n\r\nNew para?\r\n")},
    {S("The U.S. economy grew 5.6 pct in 1,200 days, a 3-1 win. U.K. too.")},
    {S("Ends with closer.\") And more. (Aside.) Next")},
    {S("Wow! Really? Yes.' No.) Fine.\"\n")},
    {S("Z\xc3\xbcrich caf\xc3\xa9 na\xc3\xafve \xe2\x80\x94 em dash \xe2\x80\x93 en "
       "\xe2\x80\x99tis.")},
    {S("said.\xe2\x80\x9dHe went")},
    {S("said.\"\n\nNext one.")},
    {S("a.\tb! c?\td")},
    {S("trailing .\xe2\x80")},
    {S("trailing .\xe2\x80\x9d")},
    {S("closer split .\xe2\x80\n\x9d next")},
    {S("\xff\xfe invalid. bytes\x80 here.\xc3")},
    {S("...\n...!?\n")},
    {S(". . .")},
    {S("\xe2\x80\x9cQuoted sentence.\xe2\x80\x9d \xe2\x80\x98"
       "Another one.\xe2\x80\x99 (Parenthetical.) End.")},
    {S("1.\n2.\n3.")},
    {S("Paragraph one.\n\n\nParagraph two.\n   \nParagraph three.\n\n")},
    {S("Mr. Smith paid $4.5 mln dlrs, or 2.9%, on Jan. 3. He won 8-1/8.")},
    {S("don't don\xe2\x80\x99t rock 'n' roll.' end")},
    {S("\xef\xac\x81nal \xef\xbc\xa6\xef\xbd\x95\xef\xbd\x8c\xef\xbd\x8c soft\xc2\xadhyphen "
       "e\xcc\x81t\xc3\xa9.")},
    {S("line one\nline two\r\n\r\n\r\nline three")},
    {S("\n\nLeading blank lines. Then text.\n")},
    {S("A sentence that ends at the end of the text!")},
    {S("Question?\nAnswer.\n\n")},
};

/* Texts with template lines: the lines listed in template_lines are the
 * ones dropped (besides the random choices every text gets). */
static const text_case template_texts[] = {
    {S("Advertisement\nFirst sentence here. Second one.\n\nAnother paragraph.")},
    {S("First para.\n\nAdvertisement\n\nSecond para.")},
    {S("The minister said\nAdvertisement\nthat the plan would work.\n")},
    {S("Body text ends here.\nRead more: Some other headline")},
    {S("Tuesday 3 March 2026, 07:18\n\nBody starts. It ends\nRead more: Some other headline\n")},
    {S("Sentence without end\nAdvertisement\n\nNext paragraph.")},
    {S("A.\nAdvertisement\nB.")},
    {S("Sentence.\n\nAdvertisement\nAdvertisement\n\n")},
    {S("Ends with dot.\r\nAdvertisement\r\n\r\nCRLF para.")},
    {S("Quote: \xe2\x80\x9cHe left.\xe2\x80\x9d\nAdvertisement\n"
       "\xe2\x80\x9cShe stayed.\xe2\x80\x9d")},
    {S("No blank\nAdvertisement\n\nbefore this.\n\nAdvertisement")},
    {S("Advertisement\n\nAdvertisement")},
    {S("Advertisement")},
    {S("Half a\n\nAdvertisement\nsentence.")},
    {S("It rose 5.6\nTuesday 3 March 2026, 07:18\npct.\n")},
    {S("End.\nRead more: Some other headline\n\n\nNext.\n")},
};

static const char *const template_lines[] = {
    "Advertisement", "Read more: Some other headline", "Read more: Markets slide as oil jumps",
    "Tuesday 3 March 2026, 07:18", "Published March 9, 2026 6:25 a.m. ET",
    "SEE ALSO: Fed holds rates", "(Reporting by Jane Doe; Editing by John Roe)",
};

static bool is_template_line(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
    for (size_t i = 0; i < sizeof template_lines / sizeof template_lines[0]; i++)
        if (strlen(template_lines[i]) == n && memcmp(template_lines[i], s, n) == 0) return true;
    return false;
}

static const char *const vocab[] = {
    "the", "minister", "said", "that", "a", "plan", "would", "work", "Z\xc3\xbcrich",
    "caf\xc3\xa9", "na\xc3\xafve", "S\xc3\xa3o", "Paulo", "\xc3\x86r\xc3\xb8", "STRASSE",
    "stra\xc3\x9f" "e", "don't", "don\xe2\x80\x99t", "\xe2\x80\x9cquoted\xe2\x80\x9d",
    "\xe2\x80\x98single\xe2\x80\x99", "U.S.", "U.K.", "Mr.", "e.g.", "Jan.", "1,200", "5.6",
    "3-1", "2.9%", "8-1/8", "1/2", "\xe2\x80\x94", "\xe2\x80\x93", "(aside)", "co-operate",
    "...", "\xe2\x80\xa6", "mln", "dlrs", "nine", "\xef\xac\x81nal", "\xef\xbc\xa6ull",
    "soft\xc2\xadhyphen", "e\xcc\x81t\xc3\xa9", "A.", "3.", "$4.5", "No.", "x.y", "?!",
    "\"", "'", ")", "(", "\xe2\x80\x9d", "rock", "'n'", "roll", "market", "shares", "fell",
    "Tuesday", "March", "2026,", "07:18", "Read", "more:",
};

static const char *const enders[] = {
    ".", ".", ".", "!", "?", ".\"", ".'", ".)", ".\xe2\x80\x9d", ".\xe2\x80\x99",
    "?\xe2\x80\x9d", "!\xe2\x80\x99\xe2\x80\x9d", ".\")", "...", "", ":", ";", ".\"'", ".\xe2\x80",
};

/* One of the template lines on its own line: nl, the line, nl. */
static void template_line(uint64_t *s, syndic_buf *b, const char *nl)
{
    append(b, nl);
    append(b, template_lines[pick(s, sizeof template_lines / sizeof template_lines[0])]);
    append(b, nl);
}

/* A news-like text from seed: paragraphs of sentences, hard-wrapped at
 * random, template lines and blank lines in between. */
static void gen_text(uint64_t seed, syndic_buf *b)
{
    uint64_t s = seed;
    b->len = 0;
    const char *nl = pick(&s, 4) == 0 ? "\r\n" : "\n";
    bool crlf = nl[0] == '\r';
    if (pick(&s, 5) == 0) { /* a template line first, maybe a blank line after */
        append(b, template_lines[pick(&s, sizeof template_lines / sizeof template_lines[0])]);
        append(b, nl);
        if (pick(&s, 2)) append(b, nl);
    } else if (pick(&s, 8) == 0) {
        append(b, nl);
    }
    size_t paragraphs = 1 + pick(&s, 5);
    for (size_t p = 0; p < paragraphs; p++) {
        if (p) {
            switch (pick(&s, 7)) {
            case 0: append(b, nl); break;
            case 1: template_line(&s, b, nl); break;
            case 2: append(b, nl); template_line(&s, b, nl); append(b, nl); break;
            case 3: append(b, crlf ? "\r\n   \r\n" : "\n   \n"); break;
            case 4: append(b, nl); append(b, nl); append(b, nl); break;
            case 5: template_line(&s, b, nl); append(b, nl); break;
            default: append(b, nl); append(b, nl); break;
            }
        }
        size_t sentences = 1 + pick(&s, 4);
        bool long_line = pick(&s, 6) == 0; /* over 40 words on one line */
        for (size_t x = 0; x < sentences; x++) {
            if (x) {
                switch (pick(&s, 10)) {
                case 0: append(b, nl); break;
                case 1: template_line(&s, b, nl); break;
                case 2: append(b, "\t"); break;
                case 3: append(b, "  "); break;
                default: append(b, " "); break;
                }
            }
            size_t words = long_line ? 15 + pick(&s, 20) : 1 + pick(&s, 12);
            for (size_t w = 0; w < words; w++) {
                if (w) {
                    size_t r = pick(&s, 40);
                    if (long_line || r >= 6) append(b, " ");
                    else if (r < 3) append(b, nl); /* a hard wrap */
                    else if (r < 5) template_line(&s, b, nl); /* between two halves */
                    else append(b, "  ");
                }
                append(b, vocab[pick(&s, sizeof vocab / sizeof vocab[0])]);
            }
            append(b, enders[pick(&s, sizeof enders / sizeof enders[0])]);
        }
    }
    switch (pick(&s, 8)) {
    case 0: break; /* no final newline */
    case 1: template_line(&s, b, nl); break;
    case 2: append(b, nl); template_line(&s, b, nl); break;
    case 3: append(b, nl); append(b, template_lines[0]); break;
    case 4: append(b, "  "); break;
    case 5: append(b, nl); append(b, "   "); break;
    default: append(b, nl); break;
    }
}

/* Text number i: the fixed ones, the template ones, then `randoms` random
 * ones (generated into b). Returns false past the last. */
#define FIXED_COUNT (sizeof fixed_texts / sizeof fixed_texts[0])
#define TEMPLATE_COUNT (sizeof template_texts / sizeof template_texts[0])

static bool text_at(size_t i, size_t randoms, syndic_buf *b, const char **text, size_t *len,
                    char *id, size_t id_size)
{
    if (i < FIXED_COUNT) {
        *text = fixed_texts[i].text;
        *len = fixed_texts[i].len;
        snprintf(id, id_size, "fixed text %zu", i);
    } else if (i < FIXED_COUNT + TEMPLATE_COUNT) {
        *text = template_texts[i - FIXED_COUNT].text;
        *len = template_texts[i - FIXED_COUNT].len;
        snprintf(id, id_size, "template text %zu", i - FIXED_COUNT);
    } else if (i < FIXED_COUNT + TEMPLATE_COUNT + randoms) {
        size_t r = i - FIXED_COUNT - TEMPLATE_COUNT;
        gen_text(UINT64_C(0xd16e57) + r, b);
        *text = b->data;
        *len = b->len;
        snprintf(id, id_size, "random text %zu", r);
    } else {
        return false;
    }
    return true;
}

/* ---- plain computations the digest is compared with ---- */

/* Lines of text as a plain split at '\n'. */
typedef struct line_span { size_t off, len; bool newline; } line_span;

static size_t split_lines(const char *t, size_t len, line_span **out)
{
    size_t n = 0, cap = 16;
    line_span *v = malloc(cap * sizeof *v);
    REQUIRE_TRUE(v);
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(t + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - t) : len;
        if (n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            REQUIRE_TRUE(v);
        }
        v[n++] = (line_span){pos, end - pos, nl != NULL};
        pos = end + 1;
    }
    *out = v;
    return n;
}

/* At t[i], a sentence end as the old analysis code found it: '.', '!' or
 * '?', then closers ('"', '\'', ')', U+201D, U+2019), then white space or
 * the end. *j: where the sentence ends. */
static bool ref_cut(const char *t, size_t len, size_t i, size_t *j)
{
    if (t[i] != '.' && t[i] != '!' && t[i] != '?') return false;
    size_t k = i + 1;
    for (;;) {
        if (k < len && (t[k] == '"' || t[k] == '\'' || t[k] == ')')) k++;
        else if (k + 2 < len && (unsigned char)t[k] == 0xe2 && (unsigned char)t[k + 1] == 0x80 &&
                 ((unsigned char)t[k + 2] == 0x9d || (unsigned char)t[k + 2] == 0x99))
            k += 3;
        else break;
    }
    *j = k;
    return k >= len || t[k] == ' ' || t[k] == '\n' || t[k] == '\t';
}

typedef struct span { size_t off, len; } span;
typedef struct spans { span *v; size_t n, cap; } spans;

static void push_span(spans *s, size_t off, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        REQUIRE_TRUE(s->v);
    }
    s->v[s->n++] = (span){off, len};
}

static bool ws(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static void ref_add(const char *t, size_t start, size_t end, spans *out, syndic_words *scratch)
{
    while (start < end && ws(t[start])) start++;
    while (end > start && ws(t[end - 1])) end--;
    REQUIRE_EQ(syndic__normalize(scratch, t + start, end - start), SYNDIC_OK);
    if (scratch->count) push_span(out, start, end - start);
}

/* The reference sentence splitter, on a kept content string. */
static void ref_sentences(const char *t, size_t len, spans *out, syndic_words *scratch)
{
    out->n = 0;
    size_t start = 0, i = 0, j;
    while (i < len) {
        if (ref_cut(t, len, i, &j)) {
            ref_add(t, start, j, out, scratch);
            start = i = j;
        } else if (t[i] == '\n' && i + 1 < len && t[i + 1] == '\n') {
            ref_add(t, start, i + 1, out, scratch);
            start = i = i + 1;
        } else {
            i++;
        }
    }
    ref_add(t, start, len, out, scratch);
}

/* ---- 1. piece by piece equals the whole text ---- */

typedef struct scratch {
    syndic_digest d, u;
    syndic_words w, w2;
    syndic_buf content, gen, rec;
    spans ref;
    syndic_dsentence *ds;
    size_t ds_count, ds_cap;
    syndic_key_span *ks;
    size_t ks_count, ks_cap;
    uint64_t *h;
    size_t h_count, h_cap;
    syndic_sketcher *sketchers[3];
    syndic_params params[3];
    size_t rec_max; /* the longest record unpacked into u */
} scratch;

static const unsigned shingle_ks[3] = {1, 3, 4};

static void scratch_init(scratch *sc)
{
    memset(sc, 0, sizeof *sc);
    for (int i = 0; i < 3; i++) {
        syndic_params p = SYNDIC_PARAMS_INIT;
        p.shingle_words = shingle_ks[i];
        p.num_hashes = i == 2 ? 128 : 32;
        REQUIRE_EQ(syndic_params_resolve(&p), SYNDIC_OK);
        sc->params[i] = p;
        REQUIRE_EQ(syndic_sketcher_new(&sc->sketchers[i], &p), SYNDIC_OK);
    }
}

static void scratch_free(scratch *sc)
{
    syndic__digest_free(&sc->d);
    syndic__digest_free(&sc->u);
    syndic__words_free(&sc->w);
    syndic__words_free(&sc->w2);
    syndic__buf_free(&sc->content);
    syndic__buf_free(&sc->gen);
    syndic__buf_free(&sc->rec);
    free(sc->ref.v);
    syndic__free(sc->ds);
    syndic__free(sc->ks);
    syndic__free(sc->h);
    for (int i = 0; i < 3; i++) syndic_sketcher_free(sc->sketchers[i]);
}

/* The digest's lines are the plain split, its pieces end at the reference
 * cuts, and each line's and piece's words are those of normalizing it
 * alone. */
static void check_structure(scratch *sc, const syndic_digest *d, const char *text, size_t len,
                            const char *id)
{
    line_span *ls;
    size_t n = split_lines(text, len, &ls);
    REQUIRE(d->line_count == n, "%s: %zu lines, expected %zu", id, d->line_count, n);
    size_t word = 0, piece = 0;
    for (size_t i = 0; i < n; i++) {
        const syndic_dline *l = &d->lines[i];
        const char *s = text + ls[i].off;
        REQUIRE(l->raw_len == ls[i].len && l->newline == ls[i].newline,
                "%s: line %zu has %u bytes (newline %d), expected %zu (%d)", id, i,
                l->raw_len, l->newline, ls[i].len, ls[i].newline);
        REQUIRE(!l->dropped, "%s: line %zu dropped before any drop", id, i);
        REQUIRE_EQ(syndic__normalize(&sc->w, s, ls[i].len), SYNDIC_OK);
        REQUIRE(l->words == sc->w.count, "%s: line %zu has %u words, expected %zu", id,
                i, l->words, sc->w.count);
        for (size_t k = 0; k < sc->w.count; k++)
            REQUIRE(same_word(&d->words, word + k, &sc->w, k),
                    "%s: line %zu word %zu differs", id, i, k);
        /* The reference cuts of the line: each piece ends at the next one. */
        size_t start = 0, at = 0, j, line_pieces = 0, off = 0;
        bool cut_end = false;
        while (at < ls[i].len) {
            if (!ref_cut(s, ls[i].len, at, &j)) { at++; continue; }
            REQUIRE(line_pieces < l->pieces, "%s: line %zu has too few pieces", id, i);
            REQUIRE(d->pieces[piece + line_pieces].raw_len == j - start,
                    "%s: line %zu piece %zu has %u bytes, expected %zu", id, i,
                    line_pieces, d->pieces[piece + line_pieces].raw_len, j - start);
            line_pieces++;
            cut_end = j == ls[i].len;
            start = at = j;
        }
        if (start < ls[i].len) {
            REQUIRE(line_pieces < l->pieces, "%s: line %zu lacks its last piece", id, i);
            REQUIRE_EQ(d->pieces[piece + line_pieces].raw_len, ls[i].len - start);
            line_pieces++;
        }
        REQUIRE(l->pieces == line_pieces, "%s: line %zu has %u pieces, expected %zu", id,
                i, l->pieces, line_pieces);
        REQUIRE(l->cut_end == cut_end, "%s: line %zu cut_end %d", id, i, l->cut_end);
        /* Each piece's words are those of normalizing the piece alone. */
        size_t pw = word;
        for (size_t p = 0; p < line_pieces; p++) {
            const syndic_dpiece *pc = &d->pieces[piece + p];
            REQUIRE_EQ(syndic__normalize(&sc->w2, s + off, pc->raw_len), SYNDIC_OK);
            REQUIRE(pc->words == sc->w2.count, "%s: line %zu piece %zu has %u words, "
                    "expected %zu", id, i, p, pc->words, sc->w2.count);
            for (size_t k = 0; k < sc->w2.count; k++)
                REQUIRE_TRUE(same_word(&d->words, pw + k, &sc->w2, k));
            pw += pc->words;
            off += pc->raw_len;
        }
        piece += line_pieces;
        word += l->words;
    }
    REQUIRE(piece == d->piece_count && word == d->words.count,
            "%s: lines cover %zu pieces and %zu words of %zu and %zu", id, piece, word,
            d->piece_count, d->words.count);
    /* The fingerprint is the hash of the first longest line. */
    size_t best = 0;
    for (size_t i = 0; i < n; i++)
        if (ls[i].len > ls[best].len) best = i;
    uint32_t fingerprint =
        n && ls[best].len ? (uint32_t)XXH3_64bits(text + ls[best].off, ls[best].len) : 0;
    REQUIRE(d->fingerprint == fingerprint, "%s: fingerprint %08x, expected %08x", id,
            d->fingerprint, fingerprint);
    free(ls);
}

START_TEST(test_pieces_equal_whole)
{
    scratch sc;
    scratch_init(&sc);
    char id[64];
    const char *t0;
    size_t len, texts = 0;
    for (size_t i = 0; text_at(i, RANDOM_TEXTS, &sc.gen, &t0, &len, id, sizeof id); i++) {
        char *text = exact_copy(t0, len);
        for (int keys = 0; keys < 2; keys++) {
            REQUIRE_EQ(syndic__digest_text(&sc.d, text, len, SALT_A, keys), SYNDIC_OK);
            REQUIRE_EQ(syndic__normalize(&sc.w, text, len), SYNDIC_OK);
            assert_words_equal(&sc.d.words, &sc.w, "digest words", id);
            check_structure(&sc, &sc.d, text, len, id);
            for (size_t l = 0; !keys && l < sc.d.line_count; l++)
                REQUIRE(!sc.d.lines[l].keyed, "%s: line %zu keyed without keys", id, l);
        }
        /* The public sketcher normalizes through the digest too. */
        REQUIRE_EQ(syndic__normalize(&sc.w, text, len), SYNDIC_OK);
        const char *out;
        size_t out_len, words;
        REQUIRE_EQ(syndic_sketcher_normalize(&out, &out_len, &words, sc.sketchers[0], text, len), SYNDIC_OK);
        REQUIRE(words == sc.w.count && out_len == sc.w.len &&
                memcmp(out, sc.w.text, out_len) == 0 && out[out_len] == '\0',
                "%s: the sketcher's words differ", id);
        free(text);
        texts++;
    }
    REQUIRE_EQ(sc.d.normalizations, 2 * texts);
    scratch_free(&sc);
}
END_TEST

/* ---- variants: the same texts with lines dropped ---- */

/* The keys syndic__digest_drop is told are templates. */
typedef struct keyset { uint64_t *k; size_t n, cap, asked; } keyset;

static bool in_keyset(void *ctx, uint64_t key)
{
    keyset *s = ctx;
    s->asked++;
    for (size_t i = 0; i < s->n; i++)
        if (s->k[i] == key) return true;
    return false;
}

static void keyset_add(keyset *s, uint64_t key)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->k = realloc(s->k, s->cap * sizeof *s->k);
        REQUIRE_TRUE(s->k);
    }
    s->k[s->n++] = key;
}

/* One of a keyed line's keys, at random. */
static uint64_t some_key(uint64_t *s, const syndic_dline *l)
{
    uint64_t k;
    do k = l->keys[pick(s, LINE_KEYS)]; while (!k);
    return k;
}

enum { V_NONE, V_TEMPLATES, V_RANDOM, V_ALL, V_NONE_AGAIN, VARIANTS };
static const char *const variant_names[VARIANTS] = {
    "no drop", "template lines dropped", "random lines dropped", "every keyed line dropped",
    "no drop after drops"};

typedef struct variant {
    syndic__key_test test; /* as given to syndic__digest_drop */
    keyset *keys;
    const char *text, *content; /* content: an exact-size copy */
    size_t len, content_len;
    const char *id;
} variant;

typedef void (*variant_check)(scratch *sc, const variant *v);

/* For each text and each way of dropping lines: drops them, checks which
 * lines went and the kept content (the kept raw lines, each with its
 * newline), and calls check. */
static void for_each_variant(scratch *sc, size_t randoms, variant_check check)
{
    char id[64], vid[128];
    const char *t0;
    size_t len;
    keyset ks = {0};
    size_t texts_dropping[VARIANTS] = {0}, inside_sentence[VARIANTS] = {0}, texts = 0;
    for (size_t i = 0; text_at(i, randoms, &sc->gen, &t0, &len, id, sizeof id); i++, texts++) {
        char *text = exact_copy(t0, len);
        REQUIRE_EQ(syndic__digest_text(&sc->d, text, len, SALT_A, true), SYNDIC_OK);
        line_span *ls;
        size_t n = split_lines(text, len, &ls);
        REQUIRE_EQ(sc->d.line_count, n);
        uint64_t seed = UINT64_C(0x5eed) + i;
        for (int v = 0; v < VARIANTS; v++) {
            ks.n = ks.asked = 0;
            for (size_t l = 0; l < n; l++) {
                const syndic_dline *dl = &sc->d.lines[l];
                if (!dl->keyed) continue;
                bool chosen = v == V_ALL ||
                              (v == V_TEMPLATES && is_template_line(text + ls[l].off, ls[l].len)) ||
                              (v == V_RANDOM && pick(&seed, 4) == 0);
                if (chosen) keyset_add(&ks, v == V_ALL ? dl->keys[0] : some_key(&seed, dl));
            }
            bool none = v == V_NONE || v == V_NONE_AGAIN;
            size_t dropped = syndic__digest_drop(&sc->d, none ? NULL : in_keyset, &ks);
            /* Expected: the keyed lines with a key in the set. */
            size_t want_dropped = 0;
            sc->content.len = 0;
            syndic_buf want = {0};
            for (size_t l = 0; l < n; l++) {
                const syndic_dline *dl = &sc->d.lines[l];
                bool drop = false;
                for (int k = 0; !none && dl->keyed && k < LINE_KEYS; k++)
                    drop |= dl->keys[k] && in_keyset(&ks, dl->keys[k]);
                REQUIRE(dl->dropped == drop, "%s, %s: line %zu dropped %d", id,
                        variant_names[v], l, dl->dropped);
                REQUIRE(!drop || is_template_line(text + ls[l].off, ls[l].len) ||
                        v != V_TEMPLATES,
                        "%s: a line that is no template was dropped", id);
                want_dropped += drop;
                if (!drop)
                    REQUIRE_EQ(syndic__buf_append(&want, text + ls[l].off,
                                                  ls[l].len + ls[l].newline), SYNDIC_OK);
            }
            REQUIRE_EQ(dropped, want_dropped);
            texts_dropping[v] += dropped > 0;
            /* A dropped line inside a sentence: the kept lines around it
             * run on (no cut at the end of the one before, words in the
             * one after). */
            for (size_t l = 1; l + 1 < n; l++)
                if (sc->d.lines[l].dropped && !sc->d.lines[l - 1].dropped &&
                    !sc->d.lines[l - 1].cut_end && sc->d.lines[l - 1].words &&
                    !sc->d.lines[l + 1].dropped && sc->d.lines[l + 1].words)
                    inside_sentence[v]++;
            REQUIRE_EQ(sc->d.dropped, want_dropped);
            REQUIRE_EQ(syndic__digest_content(&sc->d, &sc->content), SYNDIC_OK);
            REQUIRE(sc->content.len == want.len &&
                    (!want.len || memcmp(sc->content.data, want.data, want.len) == 0),
                    "%s, %s: content \"%.*s\", expected \"%.*s\"", id, variant_names[v],
                    (int)sc->content.len, sc->content.data, (int)want.len,
                    want.len ? want.data : "");
            REQUIRE(sc->content.data[sc->content.len] == '\0', "%s: content not ended",
                    id);
            syndic__buf_free(&want);
            char *content = exact_copy(sc->content.data, sc->content.len);
            snprintf(vid, sizeof vid, "%s, %s", id, variant_names[v]);
            variant var = {none ? NULL : in_keyset, &ks, text, content, len,
                           sc->content.len, vid};
            check(sc, &var);
            free(content);
        }
        free(ls);
        free(text);
    }
    free(ks.k);
    /* The texts exercise what they are for: lines dropped in most of them,
     * many inside a sentence. */
    for (int v = V_TEMPLATES; v <= V_RANDOM; v++)
        REQUIRE(2 * texts_dropping[v] >= texts && 4 * inside_sentence[v] >= texts,
                "%s: lines dropped in %zu of %zu texts, %zu inside a sentence",
                variant_names[v], texts_dropping[v], texts, inside_sentence[v]);
}

/* ---- 2. sentences ---- */

static void check_sentences(scratch *sc, const variant *v)
{
    const syndic_words *kept;
    REQUIRE_EQ(syndic__digest_kept_words(&sc->d, &kept), SYNDIC_OK);
    REQUIRE_EQ(syndic__digest_sentences(&sc->d, v->content, &sc->ds, &sc->ds_count,
                                        &sc->ds_cap), SYNDIC_OK);
    ref_sentences(v->content, v->content_len, &sc->ref, &sc->w);
    size_t n = sc->ref.n < sc->ds_count ? sc->ref.n : sc->ds_count;
    for (size_t i = 0; i < n; i++) {
        const syndic_dsentence *s = &sc->ds[i];
        const span *r = &sc->ref.v[i];
        REQUIRE(s->off == r->off && s->len == r->len,
                "%s: sentence %zu is \"%.*s\" at %u, expected \"%.*s\" at %zu", v->id, i,
                (int)s->len, v->content + s->off, s->off, (int)r->len,
                v->content + r->off, r->off);
        REQUIRE_EQ(syndic__normalize(&sc->w, v->content + r->off, r->len), SYNDIC_OK);
        REQUIRE(s->word_count == sc->w.count && s->word_first + s->word_count <= kept->count,
                "%s: sentence %zu has words [%u, +%u) of %zu, expected %zu", v->id, i,
                s->word_first, s->word_count, kept->count, sc->w.count);
        for (size_t k = 0; k < sc->w.count; k++)
            REQUIRE(same_word(kept, s->word_first + k, &sc->w, k),
                    "%s: sentence %zu word %zu differs", v->id, i, k);
    }
    REQUIRE(sc->ds_count == sc->ref.n, "%s: %zu sentences, expected %zu", v->id,
            sc->ds_count, sc->ref.n);
}

START_TEST(test_sentences)
{
    scratch sc;
    scratch_init(&sc);
    for_each_variant(&sc, RANDOM_TEXTS, check_sentences);
    scratch_free(&sc);
}
END_TEST

/* The reference splitter itself, on texts whose sentences are plain. */
START_TEST(test_reference_splitter)
{
    static const struct { const char *text; const char *sentences[4]; } cases[] = {
        {"One. Two! Three? Four", {"One.", "Two!", "Three?", "Four"}},
        {"He said \xe2\x80\x9cno.\xe2\x80\x9d Then.\n", {"He said \xe2\x80\x9cno.\xe2\x80\x9d",
                                                         "Then."}},
        {"U.S. rates.\tUp 5.6. e.g.x", {"U.S.", "rates.", "Up 5.6.", "e.g.x"}},
        {"no stop\n\nnew para\n \nsame para", {"no stop", "new para\n \nsame para"}},
        {"\n\n  .  \n\n", {NULL}},
        {"(Aside.) x.\"y", {"(Aside.)", "x.\"y"}},
    };
    spans sp = {0};
    syndic_words w = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i].text;
        ref_sentences(t, strlen(t), &sp, &w);
        size_t want = 0;
        while (want < 4 && cases[i].sentences[want]) want++;
        REQUIRE(sp.n == want, "case %zu: %zu sentences, expected %zu", i, sp.n, want);
        for (size_t k = 0; k < want; k++)
            REQUIRE(strlen(cases[i].sentences[k]) == sp.v[k].len &&
                    memcmp(t + sp.v[k].off, cases[i].sentences[k], sp.v[k].len) == 0,
                    "case %zu: sentence %zu is \"%.*s\"", i, k, (int)sp.v[k].len,
                    t + sp.v[k].off);
    }
    free(sp.v);
    syndic__words_free(&w);
}
END_TEST

/* ---- 3. dropping: kept words and the sketch ---- */

static void check_kept(scratch *sc, const variant *v)
{
    const syndic_words *kept;
    REQUIRE_EQ(syndic__digest_kept_words(&sc->d, &kept), SYNDIC_OK);
    REQUIRE_EQ(syndic__normalize(&sc->w, v->content, v->content_len), SYNDIC_OK);
    assert_words_equal(kept, &sc->w, "kept words", v->id);
    REQUIRE(kept->text[kept->len] == '\0', "%s: kept words not ended", v->id);
    for (int i = 0; i < 3; i++) {
        const syndic_params *p = &sc->params[i];
        uint32_t sig[128], want[128], pub[128], shingles, pub_shingles;
        syndic_numbers numbers, want_numbers;
        REQUIRE_EQ(syndic__digest_sketch(&sc->d, p, sig, &shingles, &numbers), SYNDIC_OK);
        REQUIRE_EQ(syndic__shingle(&sc->h, &sc->h_count, &sc->h_cap, &sc->w,
                                   p->shingle_words, p->seed), SYNDIC_OK);
        syndic_sketch_hashes(p, sc->h, sc->h_count, want);
        REQUIRE(shingles == sc->h_count, "%s, k=%u: %u shingles, expected %zu", v->id,
                p->shingle_words, shingles, sc->h_count);
        REQUIRE(memcmp(sig, want, p->num_hashes * sizeof *sig) == 0,
                "%s, k=%u: signature differs", v->id, p->shingle_words);
        REQUIRE_EQ(syndic_sketcher_sketch(pub, &pub_shingles, sc->sketchers[i], v->content, v->content_len), SYNDIC_OK);
        REQUIRE(pub_shingles == shingles &&
                memcmp(sig, pub, p->num_hashes * sizeof *sig) == 0,
                "%s, k=%u: the public sketch of the kept content differs", v->id,
                p->shingle_words);
        syndic__numbers_extract(&want_numbers, &sc->w, p->seed);
        REQUIRE(numbers.count == want_numbers.count &&
                numbers.total == want_numbers.total &&
                memcmp(numbers.hash, want_numbers.hash,
                       numbers.count * sizeof *numbers.hash) == 0,
                "%s: figures differ", v->id);
    }
    /* Asked again without a drop in between: the same kept words. */
    const syndic_words *again;
    REQUIRE_EQ(syndic__digest_kept_words(&sc->d, &again), SYNDIC_OK);
    assert_words_equal(again, &sc->w, "kept words asked again", v->id);
}

START_TEST(test_dropping)
{
    scratch sc;
    scratch_init(&sc);
    for_each_variant(&sc, RANDOM_TEXTS, check_kept);
    scratch_free(&sc);
}
END_TEST

/* The kept content is appended to what out holds, and NUL-ended even when
 * nothing is kept and out held a longer text before. */
START_TEST(test_content_appends)
{
    static const char text[] = "Advertisement\nAdvertisement\n";
    syndic_digest d = {0};
    syndic_buf out = {0};
    REQUIRE_EQ(syndic__digest_text(&d, text, sizeof text - 1, SALT_A, true), SYNDIC_OK);
    keyset ks = {0};
    keyset_add(&ks, d.lines[0].keys[0]);
    REQUIRE_EQ(syndic__digest_drop(&d, in_keyset, &ks), 2);
    append(&out, "stale text");
    out.len = 0;
    REQUIRE_EQ(syndic__digest_content(&d, &out), SYNDIC_OK);
    REQUIRE_EQ(out.len, 0);
    REQUIRE(out.data[0] == '\0', "empty content not NUL-ended: \"%s\"", out.data);
    syndic__digest_drop(&d, NULL, NULL);
    append(&out, ">");
    REQUIRE_EQ(syndic__digest_content(&d, &out), SYNDIC_OK);
    ck_assert_str_eq(out.data, ">Advertisement\nAdvertisement\n");
    free(ks.k);
    syndic__buf_free(&out);
    syndic__digest_free(&d);
}
END_TEST

/* ---- 4. records ---- */

static void assert_digests_equal(const syndic_digest *a, const syndic_digest *b, bool raw,
                                 const char *id)
{
    REQUIRE(a->line_count == b->line_count && a->piece_count == b->piece_count,
            "%s: %zu lines, %zu pieces; expected %zu, %zu", id, a->line_count,
            a->piece_count, b->line_count, b->piece_count);
    for (size_t i = 0; i < b->line_count; i++) {
        const syndic_dline *x = &a->lines[i], *y = &b->lines[i];
        REQUIRE(x->raw_len == y->raw_len && x->words == y->words &&
                x->pieces == y->pieces && x->newline == y->newline &&
                x->cut_end == y->cut_end && x->keyed == y->keyed,
                "%s: line %zu differs", id, i);
        for (int k = 0; k < LINE_KEYS; k++)
            REQUIRE(x->keys[k] == y->keys[k], "%s: line %zu key %d differs", id, i, k);
    }
    for (size_t i = 0; i < b->piece_count; i++)
        REQUIRE(a->pieces[i].raw_len == b->pieces[i].raw_len &&
                a->pieces[i].words == b->pieces[i].words,
                "%s: piece %zu differs", id, i);
    assert_words_equal(&a->words, &b->words, "unpacked words", id);
    REQUIRE_EQ(a->fingerprint, b->fingerprint);
    REQUIRE_EQ(a->raw_len, raw ? b->raw_len : 0);
    if (raw && b->raw_len) REQUIRE_TRUE(memcmp(a->raw, b->raw, b->raw_len) == 0);
}

static void check_record(scratch *sc, const variant *v)
{
    for (int raw = 1; raw >= 0; raw--) {
        sc->rec.len = 0;
        REQUIRE_EQ(syndic__digest_pack(&sc->d, raw, &sc->rec), SYNDIC_OK);
        size_t rec_len = sc->rec.len;
        char *rec = exact_copy(sc->rec.data, rec_len);
        REQUIRE_EQ(syndic__digest_unpack(&sc->u, rec, rec_len), SYNDIC_OK);
        assert_digests_equal(&sc->u, &sc->d, raw, v->id);
        /* Packing the unpacked digest gives the same record. */
        sc->rec.len = 0;
        REQUIRE_EQ(syndic__digest_pack(&sc->u, raw, &sc->rec), SYNDIC_OK);
        REQUIRE(sc->rec.len == rec_len && memcmp(sc->rec.data, rec, rec_len) == 0,
                "%s: packing the unpacked digest gives another record", v->id);
        /* The same drop: the same kept words and sketch. */
        REQUIRE_EQ(syndic__digest_drop(&sc->u, v->test, v->keys), sc->d.dropped);
        const syndic_words *a, *b;
        REQUIRE_EQ(syndic__digest_kept_words(&sc->u, &a), SYNDIC_OK);
        REQUIRE_EQ(syndic__digest_kept_words(&sc->d, &b), SYNDIC_OK);
        assert_words_equal(a, b, "kept words after unpack", v->id);
        uint32_t sig_a[128], sig_b[128], sh_a, sh_b;
        syndic_numbers na, nb;
        REQUIRE_EQ(syndic__digest_sketch(&sc->u, &sc->params[2], sig_a, &sh_a, &na),
                   SYNDIC_OK);
        REQUIRE_EQ(syndic__digest_sketch(&sc->d, &sc->params[2], sig_b, &sh_b, &nb),
                   SYNDIC_OK);
        REQUIRE(sh_a == sh_b && memcmp(sig_a, sig_b, sizeof sig_a) == 0 &&
                na.total == nb.total,
                "%s: sketch after unpack differs", v->id);
        if (raw) {
            /* The content, its sentences and the key spans. */
            sc->content.len = 0;
            REQUIRE_EQ(syndic__digest_content(&sc->u, &sc->content), SYNDIC_OK);
            REQUIRE(sc->content.len == v->content_len &&
                    memcmp(sc->content.data, v->content, v->content_len) == 0,
                    "%s: content after unpack differs", v->id);
            REQUIRE_EQ(syndic__digest_sentences(&sc->u, v->content, &sc->ds,
                                                &sc->ds_count, &sc->ds_cap), SYNDIC_OK);
            syndic_dsentence *want = NULL;
            size_t want_count, want_cap = 0;
            REQUIRE_EQ(syndic__digest_sentences(&sc->d, v->content, &want, &want_count,
                                                &want_cap), SYNDIC_OK);
            REQUIRE_EQ(sc->ds_count, want_count);
            REQUIRE_TRUE(!want_count || memcmp(sc->ds, want, want_count * sizeof *want) == 0);
            syndic__free(want);
            syndic_key_span *ks = NULL;
            size_t ks_count = 0, ks_cap = 0;
            sc->ks_count = 0;
            REQUIRE_EQ(syndic__digest_key_spans(&sc->u, &sc->ks, &sc->ks_count,
                                                &sc->ks_cap), SYNDIC_OK);
            REQUIRE_EQ(syndic__digest_key_spans(&sc->d, &ks, &ks_count, &ks_cap),
                       SYNDIC_OK);
            REQUIRE_EQ(sc->ks_count, ks_count);
            for (size_t i = 0; i < ks_count; i++)
                REQUIRE(sc->ks[i].key == ks[i].key && sc->ks[i].len == ks[i].len &&
                        sc->ks[i].line - sc->u.raw == ks[i].line - sc->d.raw &&
                        sc->ks[i].dropped == ks[i].dropped,
                        "%s: key span %zu differs after unpack", v->id, i);
            syndic__free(ks);
        }
        free(rec);
    }
}

START_TEST(test_record_round_trip)
{
    scratch sc;
    scratch_init(&sc);
    for_each_variant(&sc, RANDOM_TEXTS / 3, check_record);
    scratch_free(&sc);
}
END_TEST

/* Everything a consumer reads of an unpacked digest, with and without
 * drops: under ASan, any read outside the record shows. */
static void use_digest(scratch *sc, syndic_digest *u, keyset *all)
{
    for (int v = 0; v < 2; v++) {
        syndic__digest_drop(u, v ? in_keyset : NULL, all);
        const syndic_words *kept;
        REQUIRE_EQ(syndic__digest_kept_words(u, &kept), SYNDIC_OK);
        uint32_t sig[128], shingles;
        syndic_numbers numbers;
        REQUIRE_EQ(syndic__digest_sketch(u, &sc->params[0], sig, &shingles, &numbers),
                   SYNDIC_OK);
        sc->content.len = 0;
        if (syndic__digest_content(u, &sc->content) < 0) continue; /* a record without raw */
        char *content = exact_copy(sc->content.data, sc->content.len);
        REQUIRE_EQ(syndic__digest_sentences(u, content, &sc->ds, &sc->ds_count,
                                            &sc->ds_cap), SYNDIC_OK);
        for (size_t i = 0; i < sc->ds_count; i++)
            REQUIRE_TRUE(sc->ds[i].off + sc->ds[i].len <= sc->content.len &&
                         sc->ds[i].word_first + sc->ds[i].word_count <= kept->count);
        free(content);
        sc->ks_count = 0;
        if (syndic__digest_key_spans(u, &sc->ks, &sc->ks_count, &sc->ks_cap) < 0) continue;
        for (size_t i = 0; i < sc->ks_count; i++)
            REQUIRE_TRUE(sc->ks[i].line >= u->raw && sc->ks[i].line + sc->ks[i].len <= u->raw +
                         u->raw_len);
    }
}

/* Unpacks rec (len bytes, in an exact-size block) into sc->u: refused with
 * SYNDIC_EIO when must_refuse, else refused or usable (use_digest). Either
 * way nothing is allocated for counts the records cannot hold, and a refused
 * record leaves an empty digest. */
static void unpack_checked(scratch *sc, const char *rec, size_t len, bool must_refuse,
                           keyset *all, const char *what)
{
    int rc = syndic__digest_unpack(&sc->u, rec, len);
    REQUIRE(rc == SYNDIC_EIO || (rc == SYNDIC_OK && !must_refuse), "%s: unpack gives %d", what,
            rc);
    const syndic_digest *u = &sc->u;
    REQUIRE(rc == SYNDIC_OK ||
            (u->line_count == 0 && u->piece_count == 0 && u->words.count == 0 && u->raw_len == 0),
            "%s: a partial digest left behind", what);
    if (len > sc->rec_max) sc->rec_max = len;
    const size_t most = 16 + 2 * sc->rec_max; /* grow's first size, and doubling */
    REQUIRE(u->line_cap <= most && u->piece_cap <= most && u->words.word_cap <= most &&
            u->words.cap <= most,
            "%s: %zu lines, %zu pieces, %zu words allocated for records of %zu bytes", what,
            u->line_cap, u->piece_cap, u->words.word_cap, sc->rec_max);
    if (rc == SYNDIC_OK) use_digest(sc, &sc->u, all);
}

/* d with one count changed, packed: the counts no longer add up, and the
 * record must be refused whatever its layout. With the raw text the lines'
 * bytes must also match the text; a shorter piece may still lie inside
 * its line. */
static void check_damaged_digests(scratch *sc, bool raw, keyset *all, const char *id)
{
    const syndic_digest *d = &sc->d;
    syndic_digest m = *d; /* shares everything but the tables changed */
    m.lines = malloc((d->line_count ? d->line_count : 1) * sizeof *m.lines);
    m.pieces = malloc((d->piece_count ? d->piece_count : 1) * sizeof *m.pieces);
    REQUIRE_TRUE(m.lines && m.pieces);
    char what[256];
    enum { PLUS, MINUS, HIGH, TOGGLE, CHANGES };
    for (size_t i = 0; i < d->line_count + d->piece_count; i++) {
        bool line = i < d->line_count;
        size_t x = line ? i : i - d->line_count;
        for (int field = 0; field < (line ? 4 : 2); field++) {
            for (int change = 0; change < CHANGES; change++) {
                if ((field == 3) != (change == TOGGLE)) continue; /* newline: toggled */
                memcpy(m.lines, d->lines, d->line_count * sizeof *m.lines);
                memcpy(m.pieces, d->pieces, d->piece_count * sizeof *m.pieces);
                /* fields: a line's words, pieces, raw_len, newline; a
                 * piece's words, raw_len */
                uint32_t *f = line ? (field == 0   ? &m.lines[x].words
                                      : field == 1 ? &m.lines[x].pieces
                                                   : &m.lines[x].raw_len)
                                   : (field == 0 ? &m.pieces[x].words : &m.pieces[x].raw_len);
                bool must = true;
                if (change == TOGGLE) {
                    m.lines[x].newline ^= 1;
                    must = raw;
                } else {
                    *f = change == PLUS ? *f + 1 : change == MINUS ? *f - 1 : *f | 1u << 30;
                    if (line && field == 2) must = raw; /* a line's bytes: the text */
                    if (!line && field == 1 && change == MINUS) must = false; /* inside */
                }
                sc->rec.len = 0;
                REQUIRE_EQ(syndic__digest_pack(&m, raw, &sc->rec), SYNDIC_OK);
                char *rec = exact_copy(sc->rec.data, sc->rec.len);
                snprintf(what, sizeof what, "%s raw %d: %s %zu field %d change %d", id, raw,
                         line ? "line" : "piece", x, field, change);
                unpack_checked(sc, rec, sc->rec.len, must, all, what);
                free(rec);
            }
        }
    }
    free(m.lines);
    free(m.pieces);
}

START_TEST(test_record_damage)
{
    static const text_case texts[] = {
        {S("Tuesday 3 March 2026, 07:18\n\nBody starts. It ends\nRead more: Some headline\n")},
        {S("Half a\n\nAdvertisement\nsentence.\r\n\xe2\x80\x9cQuote.\xe2\x80\x9d")},
        {S("One line")},
        {S("\n\n")},
        {S("")},
    };
    scratch sc;
    scratch_init(&sc);
    keyset all = {0};
    char what[160];
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        char *text = exact_copy(texts[t].text, texts[t].len);
        REQUIRE_EQ(syndic__digest_text(&sc.d, text, texts[t].len, SALT_A, true), SYNDIC_OK);
        all.n = 0;
        for (size_t l = 0; l < sc.d.line_count; l++)
            if (sc.d.lines[l].keyed) keyset_add(&all, sc.d.lines[l].keys[0]);
        for (int raw = 0; raw < 2; raw++) {
            snprintf(what, sizeof what, "text %zu", t);
            check_damaged_digests(&sc, raw, &all, what);
            sc.rec.len = 0;
            REQUIRE_EQ(syndic__digest_pack(&sc.d, raw, &sc.rec), SYNDIC_OK);
            const size_t len = sc.rec.len;
            char *good = exact_copy(sc.rec.data, len);
            /* Every truncation, and one byte too many. */
            for (size_t n = 0; n < len; n++) {
                char *rec = exact_copy(good, n);
                snprintf(what, sizeof what, "text %zu raw %d: cut to %zu of %zu bytes", t, raw,
                         n, len);
                unpack_checked(&sc, rec, n, true, &all, what);
                free(rec);
            }
            char *longer = malloc(len + 1);
            memcpy(longer, good, len);
            longer[len] = 'x';
            unpack_checked(&sc, longer, len + 1, true, &all, "one byte too many");
            free(longer);
            /* Every bit flipped: refused or safe; in the header (eight u32,
             * the first five counts, the seventh has_raw) refused. Flipping
             * has_raw of an empty text's record makes another valid one. */
            char *rec = malloc(len);
            REQUIRE_TRUE(rec);
            for (size_t byte = 0; byte < len; byte++) {
                for (int bit = 0; bit < 8; bit++) {
                    memcpy(rec, good, len);
                    rec[byte] = (char)(rec[byte] ^ (1 << bit));
                    uint32_t has_raw;
                    memcpy(&has_raw, rec + 24, 4);
                    bool must = byte < 20 || (byte >= 24 && byte < 28 &&
                                              (texts[t].len || has_raw > 1));
                    snprintf(what, sizeof what, "text %zu raw %d: bit %d of byte %zu flipped",
                             t, raw, bit, byte);
                    unpack_checked(&sc, rec, len, must, &all, what);
                }
            }
            /* And the record itself is still good. */
            REQUIRE_EQ(syndic__digest_unpack(&sc.u, good, len), SYNDIC_OK);
            assert_digests_equal(&sc.u, &sc.d, raw, what);
            free(rec);
            free(good);
        }
        free(text);
    }
    free(all.k);
    scratch_free(&sc);
}
END_TEST

/* A record packed without the raw text gives the kept words and sketch, and
 * refuses to give a content it does not have. */
START_TEST(test_record_without_raw)
{
    static const char text[] = "Advertisement\nThe minister said. It rose 5.6 pct.\n";
    scratch sc;
    scratch_init(&sc);
    REQUIRE_EQ(syndic__digest_text(&sc.d, text, sizeof text - 1, SALT_A, true),
               SYNDIC_OK);
    REQUIRE_EQ(syndic__digest_pack(&sc.d, false, &sc.rec), SYNDIC_OK);
    char *rec = exact_copy(sc.rec.data, sc.rec.len);
    REQUIRE_EQ(syndic__digest_unpack(&sc.u, rec, sc.rec.len), SYNDIC_OK);
    keyset ks = {0};
    keyset_add(&ks, sc.d.lines[0].keys[0]);
    REQUIRE_EQ(syndic__digest_drop(&sc.u, in_keyset, &ks), 1);
    const syndic_words *kept;
    REQUIRE_EQ(syndic__digest_kept_words(&sc.u, &kept), SYNDIC_OK);
    ck_assert_str_eq(kept->text, "the minister said it rose 5.6 pct");
    sc.content.len = 0;
    REQUIRE_EQ(syndic__digest_content(&sc.u, &sc.content), SYNDIC_EINVAL);
    sc.ks_count = 0;
    REQUIRE_EQ(syndic__digest_key_spans(&sc.u, &sc.ks, &sc.ks_count, &sc.ks_cap),
               SYNDIC_EINVAL);
    free(ks.k);
    free(rec);
    scratch_free(&sc);
}
END_TEST

/* ---- 5. template keys ---- */

/* A line of exactly `bytes` bytes and `words` words of letters. */
static void make_line(syndic_buf *b, size_t bytes, size_t words)
{
    size_t letters = bytes - (words - 1);
    for (size_t i = 0; i < words; i++) {
        if (i) append(b, " ");
        size_t n = letters / words + (i < letters % words);
        for (size_t k = 0; k < n; k++) {
            char c[2] = {(char)('a' + (i + k) % 26), 0};
            append(b, c);
        }
    }
}

/* The keys of one line alone. */
static void keys_of(syndic_digest *d, const char *line, uint64_t salt, uint64_t keys[LINE_KEYS])
{
    REQUIRE_EQ(syndic__digest_text(d, line, strlen(line), salt, true), SYNDIC_OK);
    REQUIRE(d->line_count == 1 && d->lines[0].keyed, "\"%s\" is not keyed", line);
    REQUIRE(d->lines[0].keys[0] != 0, "\"%s\" has no exact key", line);
    memcpy(keys, d->lines[0].keys, sizeof d->lines[0].keys);
}

START_TEST(test_key_spans)
{
    syndic_buf b = {0};
    /* line indexes of the limit cases */
    enum { W40 = 7, W41, B640, B641, LINES = 14 };
    static const char *const plain[] = {
        "Advertisement", "Body text that is a sentence of content, not furniture at all.", "",
        "Tuesday 3 March 2026, 07:18", "Read more: Some other headline", "   ", "\r",
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        append(&b, plain[i]);
        append(&b, "\n");
    }
    make_line(&b, 40 * 6 - 1, 40); append(&b, "\n");  /* W40: keyed */
    make_line(&b, 41 * 6 - 1, 41); append(&b, "\n");  /* W41: not */
    make_line(&b, 640, 20); append(&b, "\n");         /* B640: keyed */
    make_line(&b, 641, 20); append(&b, "\n");         /* B641: not */
    append(&b, "ADVERTISEMENT\r\n");
    append(&b, "Read more: Markets slide as oil jumps\n");
    append(&b, "  Advertisement");
    char *text = exact_copy(b.data, b.len);
    const size_t len = b.len;
    syndic_digest d = {0};
    REQUIRE_EQ(syndic__digest_text(&d, text, len, SALT_A, true), SYNDIC_OK);
    line_span *ls;
    size_t n = split_lines(text, len, &ls);
    REQUIRE_EQ(n, LINES);
    REQUIRE_EQ(d.line_count, LINES);
    syndic_words w = {0};
    for (size_t i = 0; i < n; i++) {
        REQUIRE_EQ(syndic__normalize(&w, text + ls[i].off, ls[i].len), SYNDIC_OK);
        bool keyed = w.count >= 1 && w.count <= SYNDIC_TEMPLATE_WORDS && ls[i].len <= 640;
        REQUIRE(d.lines[i].keyed == keyed, "line %zu (%zu words, %zu bytes) keyed %d", i,
                w.count, ls[i].len, d.lines[i].keyed);
        for (int k = 0; k < LINE_KEYS; k++)
            REQUIRE_TRUE(keyed ? k > 0 || d.lines[i].keys[0] : !d.lines[i].keys[k]);
    }
    REQUIRE_TRUE(d.lines[W40].keyed && !d.lines[W41].keyed);
    REQUIRE_TRUE(d.lines[B640].keyed && !d.lines[B641].keyed);
    /* Lines equal once normalized share the exact key: dropping one key
     * drops all three advertisements and nothing else. */
    keyset ks = {0};
    keyset_add(&ks, d.lines[0].keys[0]);
    REQUIRE_EQ(syndic__digest_drop(&d, in_keyset, &ks), 3);
    REQUIRE_TRUE(d.lines[0].dropped && d.lines[11].dropped && d.lines[13].dropped);
    /* The spans: appended, in line order, each key with its raw line. */
    syndic_key_span *ksp = NULL;
    size_t count = 0, cap = 0;
    REQUIRE_EQ(syndic__grow(&ksp, &cap, 1, sizeof *ksp), SYNDIC_OK);
    ksp[count++] = (syndic_key_span){42, "before", 6, false};
    REQUIRE_EQ(syndic__digest_key_spans(&d, &ksp, &count, &cap), SYNDIC_OK);
    REQUIRE_TRUE(ksp[0].key == 42 && ksp[0].len == 6);
    size_t at = 1;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; d.lines[i].keyed && k < LINE_KEYS; k++) {
            if (!d.lines[i].keys[k]) continue;
            REQUIRE(at < count, "span of line %zu key %d missing", i, k);
            REQUIRE(ksp[at].key == d.lines[i].keys[k] &&
                    ksp[at].line == text + ls[i].off && ksp[at].len == ls[i].len &&
                    ksp[at].dropped == (d.lines[i].dropped != 0),
                    "span %zu is not line %zu key %d", at, i, k);
            at++;
        }
    REQUIRE_EQ(count, at);
    REQUIRE_TRUE(count >= 1 + 9); /* 9 keyed lines, some with two keys */
    /* Without keys nothing is keyed, nothing can be dropped. */
    REQUIRE_EQ(syndic__digest_text(&d, text, len, SALT_A, false), SYNDIC_OK);
    count = 0;
    REQUIRE_EQ(syndic__digest_key_spans(&d, &ksp, &count, &cap), SYNDIC_OK);
    REQUIRE_EQ(count, 0);
    size_t asked = ks.asked;
    REQUIRE_EQ(syndic__digest_drop(&d, in_keyset, &ks), 0);
    REQUIRE_EQ(ks.asked, asked); /* no line had a key to ask about */
    syndic__free(ksp);
    syndic__words_free(&w);
    syndic__digest_free(&d);
    free(ks.k);
    free(ls);
    free(text);
    syndic__buf_free(&b);
}
END_TEST

START_TEST(test_shape_and_lead_in_keys)
{
    /* Pairs of lines that differ but share a shape (key 1) or a lead-in
     * (key 2). */
    static const struct { const char *a, *b; int key; } same[] = {
        {"Tuesday 3 March 2026, 07:18", "Wednesday 11 February 2025, 19:02", 1},
        {"Published March 9, 2026 6:25 a.m. ET", "Published April 12, 2025 11:05 p.m. ET", 1},
        {"Updated: Mon, Jan 5 2026 10:00 GMT", "Updated: Tue, Feb 17 2025 09:30 GMT", 1},
        {"Read more: Some other headline", "Read more: Markets slide as oil jumps", 2},
        {"SEE ALSO: Fed holds rates", "See also: \xe2\x80\x9c" "A quoted headline\xe2\x80\x9d", 2},
        {"RELATED: Storm hits coast", "Related: Rates rise again today", 2},
    };
    syndic_digest d = {0};
    uint64_t ka[LINE_KEYS], kb[LINE_KEYS];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        keys_of(&d, same[i].a, SALT_A, ka);
        keys_of(&d, same[i].b, SALT_A, kb);
        int k = same[i].key;
        REQUIRE(ka[k] && ka[k] == kb[k], "\"%s\" and \"%s\": key %d %016llx, %016llx",
                same[i].a, same[i].b, k, (unsigned long long)ka[k],
                (unsigned long long)kb[k]);
        REQUIRE(ka[0] != kb[0], "\"%s\" and \"%s\" share the exact key", same[i].a,
                same[i].b);
    }
    /* Lines that must not share them, or have none. */
    static const struct { const char *a, *b; int key; } differ[] = {
        {"Tuesday 3 March 2026, 07:18", "Tuesday 3 March 2026, 07:18 in Paris", 1},
        {"Read more: Some other headline", "See also: Some other headline", 2},
        {"Read more: Some other headline", "Read: Some other headline", 2},
    };
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        keys_of(&d, differ[i].a, SALT_A, ka);
        keys_of(&d, differ[i].b, SALT_A, kb);
        int k = differ[i].key;
        REQUIRE(ka[k] != kb[k], "\"%s\" and \"%s\" share key %d", differ[i].a,
                differ[i].b, k);
    }
    static const struct { const char *line; int key; } none[] = {
        {"The 3 pigs ate 2 apples", 1},
        {"Advertisement", 1},
        {"NOTE: net includes a charge of 8 mln dlrs.", 2},
        {"Read more:", 2},
        {"A long lead in before the colon: then the headline", 2},
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        keys_of(&d, none[i].line, SALT_A, ka);
        REQUIRE(ka[none[i].key] == 0, "\"%s\" has key %d", none[i].line, none[i].key);
    }
    /* Outlets never share a key; the same outlet always gives the same one,
     * wherever the line stands. */
    static const char *const lines[] = {
        "Advertisement", "Tuesday 3 March 2026, 07:18", "Read more: Some other headline",
    };
    const uint64_t bbc = syndic__outlet_salt("bbc.co.uk", 9);
    const uint64_t reuters = syndic__outlet_salt("reuters.com", 11);
    REQUIRE_TRUE(bbc != reuters);
    uint64_t kc[LINE_KEYS];
    size_t compared = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        keys_of(&d, lines[i], bbc, ka);
        keys_of(&d, lines[i], reuters, kb);
        for (int k = 0; k < LINE_KEYS; k++) {
            REQUIRE((ka[k] != 0) == (kb[k] != 0), "\"%s\": key %d present for one salt",
                    lines[i], k);
            if (!ka[k]) continue;
            REQUIRE(ka[k] != kb[k], "\"%s\": key %d equal under two salts", lines[i], k);
            compared++;
        }
        char text[160];
        snprintf(text, sizeof text, "First line. Of body.\n\n%s\nLast line.", lines[i]);
        REQUIRE_EQ(syndic__digest_text(&d, text, strlen(text), bbc, true), SYNDIC_OK);
        REQUIRE_EQ(d.line_count, 4);
        memcpy(kc, d.lines[2].keys, sizeof kc);
        REQUIRE(memcmp(ka, kc, sizeof ka) == 0, "\"%s\": keys depend on the position",
                lines[i]);
    }
    REQUIRE_EQ(compared, 5); /* exact keys of all three, a shape, a lead-in */
    syndic__digest_free(&d);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("digest");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_pieces_equal_whole);
    tcase_add_test(tc, test_reference_splitter);
    tcase_add_test(tc, test_sentences);
    tcase_add_test(tc, test_dropping);
    tcase_add_test(tc, test_content_appends);
    tcase_add_test(tc, test_record_round_trip);
    tcase_add_test(tc, test_record_damage);
    tcase_add_test(tc, test_record_without_raw);
    tcase_add_test(tc, test_key_spans);
    tcase_add_test(tc, test_shape_and_lead_in_keys);
    suite_add_tcase(s, tc);
    return s;
}
