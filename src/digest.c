/*
 * digest.c - the per-document core: a text is normalized once, and
 * everything the later stages need comes from that one pass.
 *
 * Why one module: the batch's workers, ingest's prepare, the template
 * learner and the analysis each used to normalize a document themselves
 * (up to four times per clustered document in a batch run: the template
 * pass, the sketch, the analysis' sentences). Here the text is cut into
 * lines, each line into sentence pieces, and each piece normalized once
 * (normalize.c), appending to one word list. That list, with the lines'
 * and pieces' word counts, is enough for every consumer:
 *
 *   text --lines, pieces--> words --drop template lines--> kept words
 *                             |                               |--> shingles, signature, figures
 *                             |--> short lines' keys          |--> sentences (analysis)
 *                                  (template learner)
 *
 * Equivalences this rests on (tests/test_digest.c checks them):
 *  - Normalizing piece by piece gives the words of normalizing the whole
 *    text: a piece ends at a line end ('\n' separates words) or at a
 *    sentence cut, which is always followed by white space.
 *  - The sentences of the kept text are those the analysis used to find by
 *    scanning it: a cut inside a line depends only on the line's bytes (the
 *    line's end is followed by '\n' or the end of the text, both of which
 *    complete a cut), and the one cut that depends on other lines - a blank
 *    line, "\n\n" - is found from the next kept line's length.
 *  - Dropping a line drops exactly its words: the kept words equal the
 *    words of normalizing the kept lines.
 *
 * Template keys (for the learner, templates.c) are computed here because
 * they need the line's normalized words: [0] the exact line; [1] its shape
 * for datelines (figures, month and weekday names replaced); [2] its
 * lead-in for "Read more: <headline>" lines. Keys are salted with the
 * outlet, so outlets never share a template.
 *
 * The record (pack/unpack) is what the batch spools per document: lines,
 * pieces, keys, the normalized words (joined by single spaces, so word
 * boundaries need no offsets) and optionally the raw text. Integers are
 * native-endian: a record lives as long as its process.
 */
#include "digest.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Template candidates are lines of 1..SYNDIC_TEMPLATE_WORDS words and at
 * most this many bytes (a pasted URL of 40 words is not furniture). */
#define MAX_TEMPLATE_BYTES 640

void syndic__digest_free(syndic_digest *d)
{
    if (!d) return;
    syndic__words_free(&d->words);
    syndic__words_free(&d->kept);
    syndic__free(d->lines);
    syndic__free(d->pieces);
    syndic__free(d->hashes);
    syndic__free(d->table);
    memset(d, 0, sizeof *d);
}

/* ---- template keys of a line ---- */

static bool is_number(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9') return true;
    return false;
}

/* Month and weekday names, full and short, after normalization. Called on
 * every word of every line with figures in it: a mask of lengths and first
 * letters rejects most words before any comparison. */
#define CALENDAR(w) {w, sizeof w - 1}
static const struct { const char *name; size_t len; } calendar_words[] = {
    CALENDAR("january"), CALENDAR("february"), CALENDAR("march"), CALENDAR("april"),
    CALENDAR("may"), CALENDAR("june"), CALENDAR("july"), CALENDAR("august"),
    CALENDAR("september"), CALENDAR("october"), CALENDAR("november"), CALENDAR("december"),
    CALENDAR("jan"), CALENDAR("feb"), CALENDAR("mar"), CALENDAR("apr"), CALENDAR("jun"),
    CALENDAR("jul"), CALENDAR("aug"), CALENDAR("sep"), CALENDAR("sept"), CALENDAR("oct"),
    CALENDAR("nov"), CALENDAR("dec"), CALENDAR("monday"), CALENDAR("tuesday"),
    CALENDAR("wednesday"), CALENDAR("thursday"), CALENDAR("friday"), CALENDAR("saturday"),
    CALENDAR("sunday"), CALENDAR("mon"), CALENDAR("tue"), CALENDAR("wed"), CALENDAR("thu"),
    CALENDAR("fri"), CALENDAR("sat"), CALENDAR("sun"), CALENDAR("am"), CALENDAR("pm"),
    CALENDAR("a"), CALENDAR("m"), CALENDAR("p"), CALENDAR("utc"), CALENDAR("gmt"),
    CALENDAR("et"), CALENDAR("at")};
#undef CALENDAR

static bool is_calendar_word(const char *s, size_t n)
{
    /* Bit c - 'a' set when some name starts with c. */
    static const uint32_t initials = 1u << ('a' - 'a') | 1u << ('d' - 'a') | 1u << ('e' - 'a') |
                                     1u << ('f' - 'a') | 1u << ('g' - 'a') | 1u << ('j' - 'a') |
                                     1u << ('m' - 'a') | 1u << ('n' - 'a') | 1u << ('o' - 'a') |
                                     1u << ('p' - 'a') | 1u << ('s' - 'a') | 1u << ('t' - 'a') |
                                     1u << ('u' - 'a') | 1u << ('w' - 'a');
    if (n == 0 || n > 9) return false;
    unsigned c = (unsigned char)s[0] - 'a';
    if (c >= 26 || !(initials >> c & 1)) return false;
    for (size_t i = 0; i < sizeof calendar_words / sizeof calendar_words[0]; i++)
        if (calendar_words[i].len == n && calendar_words[i].name[0] == s[0] &&
            memcmp(calendar_words[i].name, s, n) == 0)
            return true;
    return false;
}

/* The keys of a line of `words` words starting at word `first` of w, whose
 * raw bytes are raw[0..raw_len). */
static void line_keys(uint64_t keys[LINE_KEYS], const syndic_words *w, size_t first,
                      size_t words, const char *raw, size_t raw_len, uint64_t salt)
{
    size_t last = first + words; /* one past */
    uint32_t a = w->start[first], b = w->end[last - 1];
    keys[0] = XXH3_64bits_withSeed(w->text + a, b - a, salt) | 1;
    keys[1] = keys[2] = 0;
    /* Shape: a dateline ("Tuesday 3 March 2026, 07:18", "Published March 9,
     * 2026 6:25 a.m. ET") differs in every document but keeps its shape.
     * Only lines that are mostly figures and calendar words get one. */
    char shape[2 * SYNDIC_TEMPLATE_WORDS + 64];
    size_t len = 0, calendar = 0, numbers = 0;
    for (size_t i = first; i < last && numbers < 2; i++)
        numbers += is_number(w->text + w->start[i], w->end[i] - w->start[i]);
    for (size_t i = first; numbers >= 2 && i < last && len + 40 < sizeof shape; i++) {
        const char *s = w->text + w->start[i];
        size_t n = w->end[i] - w->start[i];
        if (is_number(s, n)) { shape[len++] = '#'; calendar++; }
        else if (is_calendar_word(s, n)) { shape[len++] = 'M'; calendar++; }
        else { memcpy(shape + len, s, n < 32 ? n : 32); len += n < 32 ? n : 32; }
        shape[len++] = ' ';
    }
    if (calendar * 2 >= words && calendar >= 3)
        keys[1] = XXH3_64bits_withSeed(shape, len, salt ^ UINT64_C(0x7368617065)) | 1;
    /* Lead-in: "Read more: <another headline>", "See also: ...", "RELATED:
     * ...": a colon after one to three words, and more words after it. */
    const char *colon = memchr(raw, ':', raw_len < 40 ? raw_len : 40);
    size_t end = raw_len;
    while (end && (raw[end - 1] == ' ' || raw[end - 1] == '\r')) end--;
    bool sentence = end && (raw[end - 1] == '.' || raw[end - 1] == '!' || raw[end - 1] == '?');
    /* A pointer to another story is a headline: short, no final period
     * ("NOTE: net includes a charge of 8 mln dlrs." is content). */
    if (colon && !sentence && words >= 3 && words <= 20) {
        /* The raw words before the colon; their normalized forms are the
         * first words of the line. */
        size_t lead = 0;
        for (const char *p = raw; p < colon; p++) lead += (p == raw || p[-1] == ' ') && *p != ' ';
        if (lead >= 1 && lead <= 3 && lead < words) {
            uint32_t e = w->end[first + lead - 1];
            keys[2] = XXH3_64bits_withSeed(w->text + a, e - a, salt ^ UINT64_C(0x6c656164)) | 1;
        }
    }
}

/* ---- one normalization ---- */

static bool is_closer(const char *s, size_t j, size_t n, size_t *step)
{
    if (s[j] == '"' || s[j] == '\'' || s[j] == ')') { *step = 1; return true; }
    /* U+201D and U+2019, the closing quotes */
    if ((unsigned char)s[j] == 0xe2 && j + 2 < n && (unsigned char)s[j + 1] == 0x80 &&
        ((unsigned char)s[j + 2] == 0x9d || (unsigned char)s[j + 2] == 0x99)) {
        *step = 3;
        return true;
    }
    return false;
}

/* Appends the pieces of line s[0..n) to d, normalizing each; sets the
 * line's words, pieces and cut_end. A sentence ends after . ! or ?
 * (closing quotes and parentheses after it included) followed by white
 * space or the end of the line. */
/* The next . ! or ? at or after `from` (n when none): three memchr's,
 * each redone only once its last answer is passed. */
typedef struct stops { size_t at[3]; } stops;
static const char stop_chars[3] = {'.', '!', '?'};

static size_t next_stop(stops *st, const char *s, size_t from, size_t n)
{
    size_t best = n;
    for (int k = 0; k < 3; k++) {
        if (st->at[k] < from) {
            const char *p = from < n ? memchr(s + from, stop_chars[k], n - from) : NULL;
            st->at[k] = p ? (size_t)(p - s) : n;
        }
        if (st->at[k] < best) best = st->at[k];
    }
    return best;
}

/* A piece s[start, end) of the line: its words appended to d. */
static int add_piece(syndic_digest *d, const char *s, size_t start, size_t end)
{
    size_t before = d->words.count;
    int rc = syndic__normalize_append(&d->words, s + start, end - start);
    if (rc < 0) return rc;
    if ((rc = syndic__grow(&d->pieces, &d->piece_cap, d->piece_count + 1, sizeof *d->pieces)) < 0)
        return rc;
    d->pieces[d->piece_count++] =
        (syndic_dpiece){(uint32_t)(end - start), (uint32_t)(d->words.count - before)};
    return SYNDIC_OK;
}

/* Appends the pieces of line s[0..n) to d, normalizing each; sets the
 * line's words, pieces and cut_end. A sentence ends after . ! or ?
 * (closing quotes and parentheses after it included) followed by white
 * space or the end of the line. */
static int digest_line(syndic_digest *d, syndic_dline *line, const char *s, size_t n)
{
    size_t start = 0, i = 0, words0 = d->words.count, pieces0 = d->piece_count;
    stops st;
    for (int k = 0; k < 3; k++) {
        const char *p = n ? memchr(s, stop_chars[k], n) : NULL;
        st.at[k] = p ? (size_t)(p - s) : n;
    }
    int rc;
    line->cut_end = 0;
    for (;;) {
        i = next_stop(&st, s, i, n);
        if (i >= n) {
            if (start < n && (rc = add_piece(d, s, start, n)) < 0) return rc; /* not a cut */
            break;
        }
        size_t j = i + 1, step;
        while (j < n && is_closer(s, j, n, &step)) j += step;
        if (j >= n || s[j] == ' ' || s[j] == '\t') {
            if ((rc = add_piece(d, s, start, j)) < 0) return rc;
            line->cut_end = j == n;
            start = i = j;
        } else {
            i++;
        }
    }
    line->words = (uint32_t)(d->words.count - words0);
    line->pieces = (uint32_t)(d->piece_count - pieces0);
    return SYNDIC_OK;
}

int syndic__digest_text(syndic_digest *d, const char *text, size_t len, uint64_t salt,
                        bool keys)
{
    d->raw = text;
    d->raw_len = len;
    d->words.len = d->words.count = 0;
    d->line_count = d->piece_count = 0;
    d->dropped = 0;
    d->kept_ready = false;
    d->fingerprint = 0;
    d->normalizations++;
    if (len > UINT32_MAX / 4)
        return syndic__error(SYNDIC_EINVAL, "text of %zu bytes is too long", len);
    size_t best = 0, pos = 0;
    int rc = syndic__normalize(&d->words, "", 0); /* a NUL-terminated empty text */
    if (rc < 0) return rc;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
        if (n > best) { /* the fingerprint: the longest line's hash */
            best = n;
            d->fingerprint = (uint32_t)XXH3_64bits(text + pos, n);
        }
        if ((rc = syndic__grow(&d->lines, &d->line_cap, d->line_count + 1, sizeof *d->lines)) < 0)
            return rc;
        syndic_dline *line = &d->lines[d->line_count++];
        memset(line, 0, sizeof *line);
        line->raw_len = (uint32_t)n;
        line->newline = nl != NULL;
        size_t first = d->words.count;
        if ((rc = digest_line(d, line, text + pos, n)) < 0) return rc;
        if (keys && line->words && line->words <= SYNDIC_TEMPLATE_WORDS &&
            n <= MAX_TEMPLATE_BYTES) {
            line_keys(line->keys, &d->words, first, line->words, text + pos, n, salt);
            line->keyed = 1;
        }
        pos = end + 1;
    }
    return SYNDIC_OK;
}

size_t syndic__digest_drop(syndic_digest *d, syndic__key_test is_template, void *ctx)
{
    d->dropped = 0;
    d->kept_ready = false;
    for (size_t i = 0; i < d->line_count; i++) {
        syndic_dline *l = &d->lines[i];
        bool drop = false;
        if (is_template && l->keyed)
            for (int k = 0; k < LINE_KEYS; k++) /* every key asked: ingest records each */
                if (l->keys[k] && is_template(ctx, l->keys[k])) drop = true;
        l->dropped = drop;
        d->dropped += drop;
    }
    return d->dropped;
}

bool syndic__templates_test(void *ctx, uint64_t key)
{
    return syndic__templates_has(ctx, key);
}

/* Grows w to hold `bytes` bytes of text (and a NUL) and `words` words. */
static int words_reserve(syndic_words *w, size_t bytes, size_t words)
{
    if (bytes + 1 > w->cap) {
        char *t = syndic__realloc(w->text, bytes + 1);
        if (!t) return syndic__oom();
        w->text = t;
        w->cap = bytes + 1;
    }
    if (words > w->word_cap) {
        uint32_t *s = syndic__reallocarray(w->start, words, sizeof *s);
        if (!s) return syndic__oom();
        w->start = s;
        uint32_t *e = syndic__reallocarray(w->end, words, sizeof *e);
        if (!e) return syndic__oom();
        w->end = e;
        w->word_cap = words;
    }
    return SYNDIC_OK;
}

int syndic__digest_kept_words(syndic_digest *d, const syndic_words **out)
{
    if (!d->dropped) {
        *out = &d->words;
        return SYNDIC_OK;
    }
    syndic_words *k = &d->kept;
    if (d->kept_ready) {
        *out = k;
        return SYNDIC_OK;
    }
    const syndic_words *w = &d->words;
    int rc = words_reserve(k, w->len, w->count ? w->count : 1);
    if (rc < 0) return rc;
    k->len = k->count = 0;
    size_t wi = 0;
    for (size_t i = 0; i < d->line_count; i++) {
        const syndic_dline *l = &d->lines[i];
        if (!l->dropped && l->words) {
            uint32_t a = w->start[wi], b = w->end[wi + l->words - 1];
            if (k->count) k->text[k->len++] = ' ';
            /* Offsets move by the same amount for every word of the line. */
            int64_t shift = (int64_t)k->len - a;
            memcpy(k->text + k->len, w->text + a, b - a);
            k->len += b - a;
            for (uint32_t j = 0; j < l->words; j++, k->count++) {
                k->start[k->count] = (uint32_t)(w->start[wi + j] + shift);
                k->end[k->count] = (uint32_t)(w->end[wi + j] + shift);
            }
        }
        wi += l->words;
    }
    k->text[k->len] = '\0';
    d->kept_ready = true;
    *out = k;
    return SYNDIC_OK;
}

int syndic__digest_sketch(syndic_digest *d, const syndic_params *p, uint32_t *signature,
                          uint32_t *shingles, syndic_numbers *numbers)
{
    const syndic_words *w;
    int rc = syndic__digest_kept_words(d, &w);
    if (rc < 0) return rc;
    size_t distinct;
    if ((rc = syndic__shingle_bag(&d->hashes, &d->hash_count, &d->hash_cap, w, p->shingle_words,
                                  p->seed, &d->table, &d->table_cap, &distinct)) < 0)
        return rc;
    syndic_sketch_hashes(p, d->hashes, d->hash_count, signature);
    *shingles = distinct > UINT32_MAX ? UINT32_MAX : (uint32_t)distinct;
    syndic__numbers_extract(numbers, w, p->seed);
    return SYNDIC_OK;
}

/* An unpacked record packed without its raw text has lines but no bytes
 * for them: what reads the raw lines refuses it. */
static int no_raw(void)
{
    return syndic__error(SYNDIC_EINVAL, "the document's record holds no raw text");
}

int syndic__digest_content(const syndic_digest *d, syndic_buf *out)
{
    if (!d->raw && d->line_count) return no_raw();
    size_t pos = 0;
    for (size_t i = 0; i < d->line_count; i++) {
        const syndic_dline *l = &d->lines[i];
        size_t n = l->raw_len + l->newline;
        if (n > d->raw_len - pos) return no_raw();
        if (!l->dropped && n) {
            int rc = syndic__buf_append(out, d->raw + pos, n);
            if (rc < 0) return rc;
        }
        pos += n;
    }
    /* NUL-ended even when nothing is kept: out may be new (buf_append of
     * nothing allocates) or hold an older, longer text past out->len. */
    return syndic__buf_append(out, "", 0);
}

static bool blank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* Emits the sentence of kept content [start, end) with its words, trimmed. */
static int emit_sentence(const char *content, size_t start, size_t end, size_t word_first,
                         size_t word_count, syndic_dsentence **out, size_t *count, size_t *cap)
{
    if (!word_count) return SYNDIC_OK;
    while (start < end && blank(content[start])) start++;
    while (end > start && blank(content[end - 1])) end--;
    int rc = syndic__grow(out, cap, *count + 1, sizeof **out);
    if (rc < 0) return rc;
    (*out)[(*count)++] = (syndic_dsentence){(uint32_t)start, (uint32_t)(end - start),
                                            (uint32_t)word_first, (uint32_t)word_count};
    return SYNDIC_OK;
}

int syndic__digest_sentences(const syndic_digest *d, const char *content,
                             syndic_dsentence **out, size_t *count, size_t *cap)
{
    *count = 0;
    size_t pos = 0, piece = 0, word = 0; /* pos: in content */
    size_t s_start = 0, s_word = 0, s_words = 0;
    int rc;
    for (size_t i = 0; i < d->line_count; i++) {
        const syndic_dline *l = &d->lines[i];
        if (l->dropped) {
            piece += l->pieces;
            continue;
        }
        size_t off = pos;
        for (uint32_t p = 0; p < l->pieces; p++, piece++) {
            const syndic_dpiece *pc = &d->pieces[piece];
            s_words += pc->words;
            word += pc->words;
            off += pc->raw_len;
            if (p + 1 == l->pieces && !l->cut_end) continue; /* runs on */
            if ((rc = emit_sentence(content, s_start, off, s_word, s_words, out, count, cap)) < 0)
                return rc;
            s_start = off;
            s_word = word;
            s_words = 0;
        }
        pos += l->raw_len + l->newline;
        /* A blank line after this one ends a sentence ("\n\n"). */
        size_t j = i + 1;
        while (j < d->line_count && d->lines[j].dropped) j++;
        if (l->newline && j < d->line_count && d->lines[j].raw_len == 0) {
            if ((rc = emit_sentence(content, s_start, pos, s_word, s_words, out, count, cap)) < 0)
                return rc;
            s_start = pos;
            s_word = word;
            s_words = 0;
        }
    }
    return emit_sentence(content, s_start, pos, s_word, s_words, out, count, cap);
}

int syndic__digest_key_spans(const syndic_digest *d, syndic_key_span **spans, size_t *count,
                             size_t *cap)
{
    size_t pos = 0;
    for (size_t i = 0; i < d->line_count; i++) {
        const syndic_dline *l = &d->lines[i];
        if (!d->raw || (size_t)l->raw_len + l->newline > d->raw_len - pos) return no_raw();
        for (int k = 0; l->keyed && k < LINE_KEYS; k++) {
            if (!l->keys[k]) continue;
            int rc = syndic__grow(spans, cap, *count + 1, sizeof **spans);
            if (rc < 0) return rc;
            (*spans)[(*count)++] =
                (syndic_key_span){l->keys[k], d->raw + pos, l->raw_len, l->dropped != 0};
        }
        pos += l->raw_len + l->newline;
    }
    return SYNDIC_OK;
}

/* ---- the record ----
 *
 *   u32 raw_len (0 without the raw text), u32 words_len, u32 word_count,
 *   u32 line_count, u32 piece_count, u32 fingerprint, u32 has_raw, u32 0
 *   per line:  varints raw_len, words, pieces, flags (bit 0 newline, 1
 *              cut_end, 2..4 which of the LINE_KEYS keys follow), then
 *              those keys (u64 each)
 *   per piece: varints raw_len, words
 *   the words joined by single spaces (words_len bytes), the raw text
 * Varints (7 bits a byte, low first) and only the keys a line has keep the
 * tables small: a news article's record is about its raw text plus its
 * normalized words, and the analysis reads every clustered one back.
 */
#define REC_HEAD 8
#define VARINT_MAX 5 /* bytes of a 32-bit varint */

static size_t put_varint(unsigned char *p, uint32_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static bool get_varint(const char *rec, size_t len, size_t *at, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35 && *at < len; shift += 7) {
        unsigned char c = (unsigned char)rec[(*at)++];
        if (shift == 28 && c > 0x0f) return false;
        v |= (uint32_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

int syndic__digest_pack(const syndic_digest *d, bool raw, syndic_buf *out)
{
    const syndic_words *w = &d->words;
    uint32_t head[REC_HEAD] = {raw ? (uint32_t)d->raw_len : 0, (uint32_t)w->len,
                               (uint32_t)w->count, (uint32_t)d->line_count,
                               (uint32_t)d->piece_count, d->fingerprint, raw, 0};
    int rc = syndic__buf_append(out, (const char *)head, sizeof head);
    unsigned char tmp[4 * VARINT_MAX + LINE_KEYS * 8];
    for (size_t i = 0; rc == SYNDIC_OK && i < d->line_count; i++) {
        const syndic_dline *l = &d->lines[i];
        unsigned mask = 0;
        for (int k = 0; l->keyed && k < LINE_KEYS; k++) mask |= (unsigned)(l->keys[k] != 0) << k;
        size_t n = put_varint(tmp, l->raw_len);
        n += put_varint(tmp + n, l->words);
        n += put_varint(tmp + n, l->pieces);
        n += put_varint(tmp + n, (uint32_t)l->newline | (uint32_t)l->cut_end << 1 | mask << 2);
        for (int k = 0; k < LINE_KEYS; k++)
            if (mask >> k & 1) {
                memcpy(tmp + n, &l->keys[k], 8);
                n += 8;
            }
        rc = syndic__buf_append(out, (const char *)tmp, n);
    }
    for (size_t i = 0; rc == SYNDIC_OK && i < d->piece_count; i++) {
        size_t n = put_varint(tmp, d->pieces[i].raw_len);
        n += put_varint(tmp + n, d->pieces[i].words);
        rc = syndic__buf_append(out, (const char *)tmp, n);
    }
    if (rc == SYNDIC_OK) rc = syndic__buf_append(out, w->text ? w->text : "", w->len);
    if (rc == SYNDIC_OK && raw) rc = syndic__buf_append(out, d->raw, d->raw_len);
    return rc;
}

/* A damaged record leaves an empty digest behind, never a partial one. */
static int corrupt(syndic_digest *d)
{
    d->raw = "";
    d->raw_len = 0;
    d->line_count = d->piece_count = 0;
    d->words.len = d->words.count = 0;
    return syndic__error(SYNDIC_EIO, "a spooled document record is damaged");
}

int syndic__digest_unpack(syndic_digest *d, const char *rec, size_t len)
{
    d->raw = "";
    d->raw_len = 0;
    uint32_t head[REC_HEAD];
    if (len < sizeof head) return corrupt(d);
    memcpy(head, rec, sizeof head);
    size_t at = sizeof head;
    const size_t raw_len = head[0], words_len = head[1], word_count = head[2];
    const size_t lines = head[3], pieces = head[4];
    d->fingerprint = head[5];
    d->dropped = 0;
    d->kept_ready = false;
    d->line_count = d->piece_count = 0;
    /* A line takes 4 bytes at least, a piece 2: no huge allocation for a
     * damaged count. */
    if (lines > len / 4 || pieces > len / 2 || head[6] > 1 || (!head[6] && raw_len) ||
        word_count > words_len / 2 + 1)
        return corrupt(d);
    int rc;
    if ((rc = syndic__grow(&d->lines, &d->line_cap, lines ? lines : 1, sizeof *d->lines)) < 0 ||
        (rc = syndic__grow(&d->pieces, &d->piece_cap, pieces ? pieces : 1, sizeof *d->pieces)) < 0)
        return rc;
    size_t words = 0, piece_sum = 0, raw_sum = 0;
    for (size_t i = 0; i < lines; i++) {
        uint32_t v[4];
        for (int k = 0; k < 4; k++)
            if (!get_varint(rec, len, &at, &v[k])) return corrupt(d);
        if (v[3] >> 5) return corrupt(d);
        syndic_dline *l = &d->lines[i];
        memset(l, 0, sizeof *l);
        l->raw_len = v[0];
        l->words = v[1];
        l->pieces = v[2];
        l->newline = v[3] & 1;
        l->cut_end = v[3] >> 1 & 1;
        l->keyed = (v[3] >> 2) != 0;
        for (int k = 0; k < LINE_KEYS; k++) {
            if (!(v[3] >> (2 + k) & 1)) continue;
            if (len - at < 8) return corrupt(d);
            memcpy(&l->keys[k], rec + at, 8);
            at += 8;
        }
        if (l->pieces > l->raw_len) return corrupt(d);
        words += l->words;
        piece_sum += l->pieces;
        raw_sum += (size_t)l->raw_len + l->newline;
    }
    d->line_count = lines;
    if (words != word_count || piece_sum != pieces || (head[6] && raw_sum != raw_len))
        return corrupt(d);
    for (size_t i = 0; i < pieces; i++)
        if (!get_varint(rec, len, &at, &d->pieces[i].raw_len) ||
            !get_varint(rec, len, &at, &d->pieces[i].words))
            return corrupt(d);
    d->piece_count = pieces;
    /* Each line's pieces lie inside it and hold its words. */
    for (size_t i = 0, p = 0; i < lines; i++) {
        uint64_t bytes = 0, in_words = 0;
        for (uint32_t k = 0; k < d->lines[i].pieces; k++, p++) {
            bytes += d->pieces[p].raw_len;
            in_words += d->pieces[p].words;
        }
        if (bytes != d->lines[i].raw_len || in_words != d->lines[i].words) return corrupt(d);
    }
    if (len - at != words_len + raw_len) return corrupt(d);
    /* The words: boundaries from the single spaces between them. */
    syndic_words *w = &d->words;
    if ((rc = words_reserve(w, words_len, word_count ? word_count : 1)) < 0) return rc;
    memcpy(w->text, rec + at, words_len);
    w->text[words_len] = '\0';
    w->len = words_len;
    size_t c = 0;
    if (words_len) {
        const char *t = w->text;
        w->start[0] = 0;
        for (size_t i = 0; i < words_len; i++) {
            if (t[i] != ' ') continue;
            if (c + 1 >= word_count) return corrupt(d);
            w->end[c++] = (uint32_t)i;
            w->start[c] = (uint32_t)i + 1;
        }
        w->end[c++] = (uint32_t)words_len;
    }
    w->count = c;
    if (c != word_count) return corrupt(d);
    at += words_len;
    d->raw = head[6] ? rec + at : NULL; /* borrowed from the record */
    d->raw_len = raw_len;
    return SYNDIC_OK;
}

void syndic_doc_from_strings(syndic_doc *doc, const char *id, const char *text,
                             const char *outlet, const char *date, const char *title,
                             const char *url)
{
    *doc = (syndic_doc){id,     id ? strlen(id) : 0,         text,  text ? strlen(text) : 0,
                        outlet, outlet ? strlen(outlet) : 0, date,  date ? strlen(date) : 0,
                        title,  title ? strlen(title) : 0,   url,   url ? strlen(url) : 0};
}
