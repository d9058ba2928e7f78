/*
 * templates.c - learning an outlet's template lines, and dropping them.
 *
 * Outlets wrap wire copy in lines of their own: "Advertisement" between
 * paragraphs, "Add The Daily Harbor as a preferred source ...", "Read more:",
 * copyright and newsletter lines, bylines. Left in, they make two different
 * stories of one outlet look alike and a copy look unlike its wire origin.
 *
 * What tells them apart from wire text: a template line repeats across an
 * outlet's *different* stories, while a wire paragraph repeats across
 * *outlets* within one story (an outlet runs a story once, or re-sends it).
 * So a line is a template of outlet O when it appears in at least
 * `min_docs` documents of O whose content differs: each document gets a
 * fingerprint, the hash of its longest line, and the line must be seen with
 * at least two different fingerprints (re-sends of one story share their
 * longest line, and so never turn their own paragraphs into templates).
 *
 * Lines are compared after normalization (normalize.c), keyed by XXH3 of the
 * normalized words seeded with a hash of the outlet. Only lines of at most
 * MAX_TEMPLATE_WORDS words are candidates; a line repeated within one
 * document counts once.
 *
 * Memory: most lines are seen once. A growing Bloom filter (seen.c) notes
 * every line; only a line the filter has seen before gets an exact entry, so
 * the exact table holds repeated lines only (plus ~1% false positives). The
 * count of an exact entry is its sightings since it was created plus the one
 * before. (A fixed 16 MiB count-min sketch did this until a million
 * documents saturated it: then every line got an exact entry.)
 *
 * Threads (syndic_templates_set_threads): observing a document is in two
 * steps, extracting its line keys (normalizing every line: the costly part)
 * and counting them. With threads, observe copies the document into a chunk
 * and workers (pool.c) extract the keys of whole chunks; the caller's thread
 * takes the chunks back in the order it gave them and counts their keys in
 * input order, so the counts, the examples and so the templates are the same
 * as on one thread.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define MAX_TEMPLATE_WORDS 40
#define MAX_TEMPLATE_BYTES 640 /* longer lines have more than 40 words */
#define FINGERPRINTS 4

typedef struct line_span { uint64_t key; const char *line; size_t len; } line_span;

/* The line keys of one document, as extract_keys() finds them. */
typedef struct key_sink {
    uint64_t *keys;        /* sorted after extract_keys */
    size_t count, cap;
    line_span *lines;      /* the same keys in line order, with their line */
    size_t line_cap;
    bool failed;           /* an allocation failed inside a callback */
} key_sink;

/* Threads: a chunk of documents whose keys workers extract. */
#define CHUNK_DOCS 256
#define CHUNK_BYTES ((size_t)4 << 20)

typedef struct tdoc {
    size_t text_off, text_len, outlet_off, outlet_len; /* in chunk.input */
    bool has_outlet;
    uint64_t salt;
    uint32_t fp;
    size_t keys_off, keys_count; /* in chunk.keys and chunk.lines */
} tdoc;

typedef struct key_chunk {
    syndic_job job;        /* first: the pool hands back &job */
    uint32_t count;
    syndic_buf input;      /* texts and outlets, back to back */
    tdoc *docs;            /* chunk_docs entries */
    uint64_t *keys;        /* every document's sorted keys, back to back */
    line_span *lines;      /* ... and its spans in line order */
    size_t key_count, key_cap, line_cap;
} key_chunk;

typedef struct key_worker { syndic_words words; key_sink sink; } key_worker;

typedef struct templates_threads {
    syndic_pool *pool;
    unsigned workers;
    key_worker *worker;
    key_chunk *chunks;     /* 2 * workers + 1 */
    key_chunk **spare;
    size_t spare_count;
    key_chunk *filling;
    int status;            /* first failure (sticky) */
    char message[512];
} templates_threads;

typedef struct entry {
    uint64_t key;          /* 0 = empty slot */
    uint32_t docs;
    uint32_t fp_count;
    uint32_t fps[FINGERPRINTS];
    const char *outlet, *text; /* an example, for the listing */
} entry;

struct syndic_templates {
    syndic_params params;
    uint32_t min_docs;
    syndic_seen *seen;     /* every line key counted so far */
    entry *slots;
    size_t slot_count, used;
    syndic_arena strings;
    syndic_words words;
    key_sink sink;         /* the current document's line keys */
    templates_threads *thr; /* NULL: one thread */
    bool finished;
    bool broken;           /* finish ran out of memory: every call fails */
    uint64_t *template_keys; /* sorted, after finish */
    size_t template_count;
    syndic_template_line *lines; /* the listing */
    uint64_t documents;
};

uint64_t syndic__outlet_salt(const char *outlet, size_t len)
{
    return XXH3_64bits_withSeed(outlet ? outlet : "", outlet ? len : 0,
                                UINT64_C(0x74656d706c617465));
}

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

/* The keys of the line made of words [first, w->count) of w. */
static void line_keys(syndic_line *line, const syndic_words *w, size_t first, uint64_t salt)
{
    uint32_t a = w->start[first], b = w->end[w->count - 1];
    line->keys[0] = XXH3_64bits_withSeed(w->text + a, b - a, salt) | 1;
    if (line->words > MAX_TEMPLATE_WORDS) return;
    /* Shape: a dateline ("Tuesday 3 March 2026, 07:18", "Published March 9,
     * 2026 6:25 a.m. ET") differs in every document but keeps its shape.
     * Only lines that are mostly figures and calendar words get one. */
    char shape[2 * MAX_TEMPLATE_WORDS + 64];
    size_t len = 0, calendar = 0, numbers = 0;
    for (size_t i = first; i < w->count && numbers < 2; i++)
        numbers += is_number(w->text + w->start[i], w->end[i] - w->start[i]);
    for (size_t i = first; numbers >= 2 && i < w->count && len + 40 < sizeof shape; i++) {
        const char *s = w->text + w->start[i];
        size_t n = w->end[i] - w->start[i];
        if (is_number(s, n)) { shape[len++] = '#'; calendar++; }
        else if (is_calendar_word(s, n)) { shape[len++] = 'M'; calendar++; }
        else { memcpy(shape + len, s, n < 32 ? n : 32); len += n < 32 ? n : 32; }
        shape[len++] = ' ';
    }
    if (calendar * 2 >= line->words && calendar >= 3)
        line->keys[1] = XXH3_64bits_withSeed(shape, len, salt ^ UINT64_C(0x7368617065)) | 1;
    /* Lead-in: "Read more: <another headline>", "See also: ...", "RELATED:
     * ...": a colon after one to three words, and more words after it. */
    const char *colon = memchr(line->raw, ':', line->raw_len < 40 ? line->raw_len : 40);
    size_t end = line->raw_len;
    while (end && (line->raw[end - 1] == ' ' || line->raw[end - 1] == '\r')) end--;
    bool sentence = end && (line->raw[end - 1] == '.' || line->raw[end - 1] == '!' ||
                            line->raw[end - 1] == '?');
    /* A pointer to another story is a headline: short, no final period
     * ("NOTE: net includes a charge of 8 mln dlrs." is content). */
    if (colon && !sentence && line->words >= 3 && line->words <= 20) {
        /* The raw words before the colon; their normalized forms are the
         * first words of the line. */
        size_t lead = 0;
        for (const char *p = line->raw; p < colon; p++)
            lead += (p == line->raw || p[-1] == ' ') && *p != ' ';
        if (lead >= 1 && lead <= 3 && lead < line->words) {
            uint32_t e = w->end[first + lead - 1];
            line->keys[2] = XXH3_64bits_withSeed(w->text + a, e - a, salt ^ UINT64_C(0x6c656164)) | 1;
        }
    }
}

static bool collect_key(void *ctx, const syndic_line *line);

int syndic__normalize_lines(syndic_words *w, const char *text, size_t len, uint64_t salt,
                            syndic__line_filter keep, void *ctx, syndic_buf *content)
{
    w->len = 0;
    w->count = 0;
    if (content) content->len = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t before_words = w->count, before_len = w->len;
        int rc;
        if (!content && keep == collect_key) {
            /* Learning: a line this long is never a template. Most of a
             * story's bytes are in such lines, so normalizing stops at the
             * first word too many. */
            if (end - pos > MAX_TEMPLATE_BYTES) rc = SYNDIC__STOPPED;
            else rc = syndic__normalize_append_max(w, text + pos, end - pos,
                                                   before_words + MAX_TEMPLATE_WORDS);
            if (rc == SYNDIC__STOPPED) {
                pos = end + 1;
                continue;
            }
        } else {
            rc = syndic__normalize_append(w, text + pos, end - pos);
        }
        if (rc < 0) return rc;
        bool kept = true;
        size_t n = w->count - before_words;
        if (n > 0 && keep) {
            syndic_line line = {{0}, n, text + pos, end - pos};
            line_keys(&line, w, before_words, salt);
            kept = keep(ctx, &line);
            if (!kept) { /* drop the line's words */
                w->count = before_words;
                w->len = before_len;
                w->text[w->len] = '\0';
            }
        }
        if (content && kept && (rc = syndic__buf_append(content, text + pos,
                                                        end - pos + (nl != NULL))) < 0)
            return rc;
        pos = end + 1;
    }
    if (content && !content->data && (syndic__buf_append(content, "", 0)) < 0)
        return syndic__oom();
    return SYNDIC_OK;
}

int syndic_templates_new(syndic_templates **out, const syndic_params *params,
                         unsigned min_docs)
{
    *out = NULL;
    syndic_templates *t = syndic__calloc(1, sizeof *t);
    if (!t) return syndic__oom();
    t->params = *params;
    int rc = syndic_params_resolve(&t->params);
    if (rc < 0) { syndic__free(t); return rc; }
    t->min_docs = min_docs < 2 ? 2 : min_docs;
    if ((rc = syndic__seen_new(&t->seen)) < 0) { syndic__free(t); return rc; }
    t->slot_count = 1024;
    t->slots = syndic__calloc(t->slot_count, sizeof *t->slots);
    if (!t->slots) { syndic_templates_free(t); return syndic__oom(); }
    *out = t;
    return SYNDIC_OK;
}

static void threads_free(templates_threads *th);

void syndic_templates_free(syndic_templates *t)
{
    if (!t) return;
    syndic__seen_free(t->seen);
    syndic__free(t->slots);
    syndic__arena_free(&t->strings);
    syndic__words_free(&t->words);
    syndic__free(t->sink.keys);
    syndic__free(t->sink.lines);
    threads_free(t->thr);
    syndic__free(t->template_keys);
    syndic__free(t->lines);
    syndic__free(t);
}

static entry *find_slot(entry *slots, size_t count, uint64_t key)
{
    size_t i = (size_t)(key >> 7) & (count - 1);
    while (slots[i].key && slots[i].key != key) i = (i + 1) & (count - 1);
    return &slots[i];
}

static int grow_table(syndic_templates *t)
{
    size_t count = t->slot_count * 2;
    entry *slots = syndic__calloc(count, sizeof *slots);
    if (!slots) return syndic__oom();
    for (size_t i = 0; i < t->slot_count; i++)
        if (t->slots[i].key) *find_slot(slots, count, t->slots[i].key) = t->slots[i];
    syndic__free(t->slots);
    t->slots = slots;
    t->slot_count = count;
    return SYNDIC_OK;
}

static bool collect_key(void *ctx, const syndic_line *line)
{
    key_sink *k = ctx;
    if (line->words > MAX_TEMPLATE_WORDS) return true;
    for (int i = 0; i < LINE_KEYS; i++) {
        if (!line->keys[i]) continue;
        if (syndic__grow(&k->keys, &k->cap, k->count + 1, sizeof *k->keys) < 0 ||
            syndic__grow(&k->lines, &k->line_cap, k->count + 1, sizeof *k->lines) < 0) {
            k->failed = true;
            return true;
        }
        k->lines[k->count] = (line_span){line->keys[i], line->raw, line->raw_len};
        k->keys[k->count++] = line->keys[i];
    }
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The first step of observing: the document's line keys (sorted) and spans,
 * and its fingerprint, the hash of its longest line. */
uint32_t syndic__text_fingerprint(const char *text, size_t len)
{
    uint32_t fp = 0;
    size_t best = 0, pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end - pos > best) {
            best = end - pos;
            fp = (uint32_t)XXH3_64bits(text + pos, end - pos);
        }
        pos = end + 1;
    }
    return fp;
}

static int extract_keys(syndic_words *w, key_sink *k, const char *text, size_t len,
                        uint64_t salt, uint32_t *fp_out)
{
    k->count = 0;
    k->failed = false;
    int rc = syndic__normalize_lines(w, text, len, salt, collect_key, k, NULL);
    if (rc < 0) return rc;
    if (k->failed) return syndic__oom();
    *fp_out = syndic__text_fingerprint(text, len);
    /* Sort the keys (lines keeps the line order, for the examples). */
    if (k->count > 1) qsort(k->keys, k->count, sizeof *k->keys, cmp_u64);
    return SYNDIC_OK;
}

/* The raw text of the document's line with this key, trimmed. */
static const char *example_line(syndic_templates *t, const line_span *lines, size_t count,
                                uint64_t key)
{
    for (size_t i = 0; i < count; i++) {
        if (lines[i].key != key) continue;
        const char *p = lines[i].line;
        size_t n = lines[i].len;
        while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
        return syndic__arena_strndup(&t->strings, p, n > 160 ? 160 : n);
    }
    return "";
}

/* The second step: count one document's keys, in input order. */
static int count_keys(syndic_templates *t, const uint64_t *keys, const line_span *lines,
                      size_t count, uint32_t fp, const char *outlet, size_t olen)
{
    int rc;
    t->documents++;
    for (size_t i = 0; i < count; i++) {
        uint64_t key = keys[i];
        if (i > 0 && key == keys[i - 1]) continue; /* once per document */
        /* First sighting: only the filter remembers it. */
        if ((rc = syndic__seen_check_add(t->seen, key)) <= 0) {
            if (rc < 0) return rc;
            continue;
        }
        entry *e = find_slot(t->slots, t->slot_count, key);
        if (!e->key) {
            if ((t->used + 1) * 2 > t->slot_count) {
                if ((rc = grow_table(t)) < 0) return rc;
                e = find_slot(t->slots, t->slot_count, key);
            }
            e->key = key;
            e->docs = 1; /* the earlier sighting */
            e->outlet = syndic__arena_strndup(&t->strings, outlet ? outlet : "", olen);
            e->text = example_line(t, lines, count, key);
            if (!e->outlet || !e->text) return syndic__oom();
            t->used++;
        }
        e->docs++;
        bool known = false;
        for (uint32_t f = 0; f < e->fp_count; f++) known |= e->fps[f] == fp;
        if (!known && e->fp_count < FINGERPRINTS) e->fps[e->fp_count++] = fp;
    }
    return SYNDIC_OK;
}

/* ---- threads ---- */

static void threads_free(templates_threads *th)
{
    if (!th) return;
    syndic__pool_free(th->pool); /* joins the workers first */
    if (th->worker)
        for (unsigned i = 0; i < th->workers; i++) {
            syndic__words_free(&th->worker[i].words);
            syndic__free(th->worker[i].sink.keys);
            syndic__free(th->worker[i].sink.lines);
        }
    if (th->chunks)
        for (unsigned i = 0; i < 2 * th->workers + 1; i++) {
            key_chunk *c = &th->chunks[i];
            syndic__buf_free(&c->input);
            syndic__free(c->docs);
            syndic__free(c->keys);
            syndic__free(c->lines);
        }
    syndic__free(th->worker);
    syndic__free(th->chunks);
    syndic__free(th->spare);
    syndic__free(th);
}

/* A worker: the keys of every document of a chunk. */
static int key_chunk_run(void *ctx, unsigned worker, syndic_job *job)
{
    templates_threads *th = ctx;
    key_chunk *c = (key_chunk *)job;
    key_worker *w = &th->worker[worker];
    c->key_count = 0;
    for (uint32_t i = 0; i < c->count; i++) {
        tdoc *d = &c->docs[i];
        int rc = extract_keys(&w->words, &w->sink, c->input.data + d->text_off, d->text_len,
                              d->salt, &d->fp);
        if (rc < 0) return rc;
        size_t need = c->key_count + w->sink.count;
        if ((rc = syndic__grow(&c->keys, &c->key_cap, need, sizeof *c->keys)) < 0 ||
            (rc = syndic__grow(&c->lines, &c->line_cap, need, sizeof *c->lines)) < 0)
            return rc;
        if (w->sink.count) {
            memcpy(c->keys + c->key_count, w->sink.keys, w->sink.count * sizeof *c->keys);
            memcpy(c->lines + c->key_count, w->sink.lines, w->sink.count * sizeof *c->lines);
        }
        d->keys_off = c->key_count;
        d->keys_count = w->sink.count;
        c->key_count = need;
    }
    return SYNDIC_OK;
}

/* On the caller's thread: count a finished chunk's keys, document by
 * document, and make the chunk spare again. */
static void integrate(syndic_templates *t, key_chunk *c)
{
    templates_threads *th = t->thr;
    int rc = c->job.status;
    if (rc < 0 && th->status >= 0) {
        th->status = rc;
        snprintf(th->message, sizeof th->message, "%.300s (learning templates)", c->job.message);
    }
    for (uint32_t i = 0; rc >= 0 && th->status >= 0 && i < c->count; i++) {
        const tdoc *d = &c->docs[i];
        rc = count_keys(t, c->keys + d->keys_off, c->lines + d->keys_off, d->keys_count, d->fp,
                        d->has_outlet ? c->input.data + d->outlet_off : NULL, d->outlet_len);
        if (rc < 0) {
            th->status = rc;
            snprintf(th->message, sizeof th->message, "%.300s", syndic_last_error());
        }
    }
    c->count = 0;
    if (c->input.cap > 2 * CHUNK_BYTES) syndic__buf_free(&c->input);
    th->spare[th->spare_count++] = c;
}

static int threads_error(const templates_threads *th)
{
    return syndic__error(th->status, "%s", th->message);
}

int syndic_templates_set_threads(syndic_templates *t, unsigned n)
{
    if (t->documents || t->finished || (t->thr && (t->thr->filling ||
                                                   syndic__pool_in_flight(t->thr->pool))))
        return syndic__error(SYNDIC_EINVAL, "threads must be set before documents are observed");
    if (n == 0) n = syndic__online_cpus();
    if (n > SYNDIC_MAX_THREADS) n = SYNDIC_MAX_THREADS;
    threads_free(t->thr);
    t->thr = NULL;
    if (n == 1) return SYNDIC_OK;
    templates_threads *th = syndic__calloc(1, sizeof *th);
    if (!th) return syndic__oom();
    th->workers = n;
    size_t nchunks = 2 * (size_t)n + 1;
    th->worker = syndic__calloc(n, sizeof *th->worker);
    th->chunks = syndic__calloc(nchunks, sizeof *th->chunks);
    th->spare = syndic__calloc(nchunks, sizeof *th->spare);
    int rc = SYNDIC_OK;
    if (!th->worker || !th->chunks || !th->spare) { rc = syndic__oom(); goto fail; }
    for (size_t i = 0; i < nchunks; i++) {
        key_chunk *c = &th->chunks[i];
        if (!(c->docs = syndic__reallocarray(NULL, CHUNK_DOCS, sizeof *c->docs))) {
            rc = syndic__oom();
            goto fail;
        }
        th->spare[th->spare_count++] = c;
    }
    /* The normalizer's tables, filled before the workers start (see
     * syndic_batch_set_threads). */
    if ((rc = syndic__normalize(&th->worker[0].words, "", 0)) < 0) goto fail;
    if ((rc = syndic__pool_new(&th->pool, n, key_chunk_run, th)) < 0) goto fail;
    t->thr = th;
    return SYNDIC_OK;
fail:
    threads_free(th);
    return rc;
}

/* Wait for every chunk and count it. */
static int flush(syndic_templates *t)
{
    templates_threads *th = t->thr;
    if (!th) return SYNDIC_OK;
    if (th->filling && th->filling->count) {
        syndic__pool_submit(th->pool, &th->filling->job);
        th->filling = NULL;
    }
    syndic_job *job;
    while ((job = syndic__pool_wait_oldest(th->pool))) integrate(t, (key_chunk *)job);
    return th->status < 0 ? threads_error(th) : SYNDIC_OK;
}

static int queue_doc(syndic_templates *t, const char *text, size_t len, const char *outlet,
                     size_t olen, uint64_t salt)
{
    templates_threads *th = t->thr;
    if (th->status < 0) return threads_error(th);
    if (!th->filling) {
        while (!th->spare_count) {
            syndic_job *job = syndic__pool_wait_oldest(th->pool);
            if (!job) return syndic__error(SYNDIC_ERROR, "no chunk to learn into");
            integrate(t, (key_chunk *)job);
        }
        if (th->status < 0) return threads_error(th);
        th->filling = th->spare[--th->spare_count];
        th->filling->count = 0;
        th->filling->input.len = 0;
    }
    key_chunk *c = th->filling;
    size_t before = c->input.len;
    int rc = syndic__buf_append(&c->input, text, len);
    if (rc == SYNDIC_OK && outlet) rc = syndic__buf_append(&c->input, outlet, olen);
    if (rc < 0) {
        c->input.len = before;
        return rc;
    }
    c->docs[c->count++] = (tdoc){before, len, before + len, olen, outlet != NULL, salt, 0, 0, 0};
    if (c->count >= CHUNK_DOCS || c->input.len >= CHUNK_BYTES) {
        syndic__pool_submit(th->pool, &c->job);
        th->filling = NULL;
    }
    return SYNDIC_OK;
}

int syndic_templates_observe(syndic_templates *t, const syndic_doc *doc)
{
    if (t->finished) return syndic__error(SYNDIC_EINVAL, "templates are already learned");
    if (t->broken) return syndic__error(SYNDIC_ENOMEM, "out of memory learning templates");
    if (!doc || !doc->text) return syndic__error(SYNDIC_EINVAL, "a document needs a text");
    size_t len = doc->text_len ? doc->text_len : strlen(doc->text);
    size_t olen = doc->outlet ? (doc->outlet_len ? doc->outlet_len : strlen(doc->outlet)) : 0;
    uint64_t salt = syndic__outlet_salt(doc->outlet, olen);
    if (t->thr) return queue_doc(t, doc->text, len, doc->outlet, olen, salt);
    uint32_t fp = 0;
    int rc = extract_keys(&t->words, &t->sink, doc->text, len, salt, &fp);
    if (rc < 0) return rc;
    return count_keys(t, t->sink.keys, t->sink.lines, t->sink.count, fp, doc->outlet, olen);
}

static int cmp_line(const void *a, const void *b)
{
    const syndic_template_line *x = a, *y = b;
    int c = strcmp(x->outlet, y->outlet);
    if (c) return c;
    if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
    return strcmp(x->text, y->text);
}

int syndic_templates_finish(syndic_templates *t)
{
    if (t->finished) return SYNDIC_OK;
    if (t->broken) return syndic__error(SYNDIC_ENOMEM, "out of memory learning templates");
    int rc = flush(t);
    if (rc < 0) return rc;
    /* The workers are no longer needed. */
    threads_free(t->thr);
    t->thr = NULL;
    size_t n = 0;
    for (size_t i = 0; i < t->slot_count; i++)
        n += t->slots[i].key && t->slots[i].docs >= t->min_docs && t->slots[i].fp_count >= 2;
    t->template_keys = syndic__reallocarray(NULL, n ? n : 1, sizeof *t->template_keys);
    t->lines = syndic__reallocarray(NULL, n ? n : 1, sizeof *t->lines);
    if (!t->template_keys || !t->lines) {
        /* The workers are gone and the counts half used: no way back. */
        syndic__free(t->template_keys);
        syndic__free(t->lines);
        t->template_keys = NULL;
        t->lines = NULL;
        t->broken = true;
        return syndic__oom();
    }
    size_t j = 0;
    for (size_t i = 0; i < t->slot_count; i++) {
        const entry *e = &t->slots[i];
        if (!(e->key && e->docs >= t->min_docs && e->fp_count >= 2)) continue;
        t->template_keys[j] = e->key;
        t->lines[j] = (syndic_template_line){e->outlet, e->text, e->docs};
        j++;
    }
    t->template_count = n;
    if (n > 1) {
        qsort(t->template_keys, n, sizeof *t->template_keys, cmp_u64);
        qsort(t->lines, n, sizeof *t->lines, cmp_line);
    }
    /* The counting structures are no longer needed, nor the outlet and
     * example strings of the lines that are not templates (at 1M documents
     * the repeated lines are over a million): the templates' strings move to
     * a fresh arena, and the rest goes before the batch starts to grow. */
    syndic_arena keep = {0};
    const char **moved = syndic__reallocarray(NULL, 2 * n + 1, sizeof *moved);
    bool ok = moved != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        moved[2 * i] = syndic__arena_strndup(&keep, t->lines[i].outlet, strlen(t->lines[i].outlet));
        moved[2 * i + 1] = syndic__arena_strndup(&keep, t->lines[i].text, strlen(t->lines[i].text));
        ok = moved[2 * i] && moved[2 * i + 1];
    }
    if (ok) {
        for (size_t i = 0; i < n; i++) {
            t->lines[i].outlet = moved[2 * i];
            t->lines[i].text = moved[2 * i + 1];
        }
        syndic__arena_free(&t->strings);
        t->strings = keep;
        syndic__free(t->slots);
        t->slots = NULL;
        t->slot_count = t->used = 0;
    } else { /* out of memory: keep everything as it is (correct, only larger) */
        syndic__arena_free(&keep);
    }
    syndic__free(moved);
    syndic__seen_free(t->seen);
    t->seen = NULL;
    t->finished = true;
    return SYNDIC_OK;
}

size_t syndic_templates_count(const syndic_templates *t)
{
    return t->finished ? t->template_count : 0;
}

const syndic_template_line *syndic_templates_at(const syndic_templates *t, size_t i)
{
    return t->finished && i < t->template_count ? &t->lines[i] : NULL;
}

bool syndic__templates_has(const syndic_templates *t, uint64_t key)
{
    size_t lo = 0, hi = t->template_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->template_keys[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->template_count && t->template_keys[lo] == key;
}
