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
 * Lines are compared after normalization, by the keys the per-document core
 * computes (digest.c: XXH3 of the normalized words seeded with a hash of the
 * outlet, plus a dateline shape and a "Read more:" lead-in). Only lines of
 * at most SYNDIC_TEMPLATE_WORDS words are candidates; a line repeated within
 * one document counts once. This module only counts and decides: it never
 * normalizes. A batch learns in the same pass that sketches
 * (syndic_batch_options.template_docs): its workers digest each document once and
 * the batch counts the keys here in input order.
 *
 * Memory: most lines are seen once. A growing Bloom filter (seen.c) notes
 * every line; only a line the filter has seen before gets an exact entry, so
 * the exact table holds repeated lines only (plus ~1% false positives). The
 * count of an exact entry is its sightings since it was created plus the one
 * before. (A fixed 16 MiB count-min sketch did this until a million
 * documents saturated it: then every line got an exact entry.)
 *
 * syndic_templates_observe digests a document (digest.c) and counts it, on
 * the caller's thread (learning inside a batch uses the batch's threads).
 */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define FINGERPRINTS 4

typedef struct entry {
    uint64_t key;          /* 0 = empty slot */
    uint32_t docs;
    uint32_t fp_count;
    uint32_t fps[FINGERPRINTS];
    bool became;           /* reported to syndic__templates_count's caller */
    const char *outlet, *text; /* an example, for the listing */
} entry;

struct syndic_templates {
    syndic_params params;
    uint32_t min_docs;
    syndic_seen *seen;     /* every line key counted so far */
    entry *slots;
    size_t slot_count, used;
    syndic_arena strings;
    syndic_digest digest;  /* observe's */
    syndic_key_span *spans;
    size_t span_count, span_cap;
    uint64_t *keys;        /* scratch: one document's keys, sorted */
    size_t key_cap;
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

void syndic_templates_free(syndic_templates *t)
{
    if (!t) return;
    syndic__seen_free(t->seen);
    syndic__free(t->slots);
    syndic__arena_free(&t->strings);
    syndic__digest_free(&t->digest);
    syndic__free(t->spans);
    syndic__free(t->keys);
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The raw text of the document's line with this key, trimmed. */
static const char *example_line(syndic_templates *t, const syndic_key_span *lines,
                                size_t count, uint64_t key)
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

int syndic__templates_count(syndic_templates *t, const syndic_key_span *lines, size_t count,
                            uint32_t fp, const char *outlet, size_t olen, syndic__key_fn became,
                            void *ctx)
{
    if (t->finished) return syndic__error(SYNDIC_EINVAL, "templates are already learned");
    int rc = syndic__grow(&t->keys, &t->key_cap, count ? count : 1, sizeof *t->keys);
    if (rc < 0) return rc;
    uint64_t *keys = t->keys;
    for (size_t i = 0; i < count; i++) keys[i] = lines[i].key;
    if (count > 1) qsort(keys, count, sizeof *keys, cmp_u64);
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
        if (became && !e->became && e->docs >= t->min_docs && e->fp_count >= 2) {
            e->became = true;
            if ((rc = became(ctx, key)) < 0) return rc;
        }
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
    int rc = syndic__digest_text(&t->digest, doc->text, len, salt, true);
    t->span_count = 0;
    if (rc == SYNDIC_OK)
        rc = syndic__digest_key_spans(&t->digest, &t->spans, &t->span_count, &t->span_cap);
    if (rc < 0) return rc;
    return syndic__templates_count(t, t->spans, t->span_count, t->digest.fingerprint,
                                   doc->outlet, olen, NULL, NULL);
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
    size_t n = 0;
    for (size_t i = 0; i < t->slot_count; i++)
        n += t->slots[i].key && t->slots[i].docs >= t->min_docs && t->slots[i].fp_count >= 2;
    t->template_keys = syndic__reallocarray(NULL, n ? n : 1, sizeof *t->template_keys);
    t->lines = syndic__reallocarray(NULL, n ? n : 1, sizeof *t->lines);
    if (!t->template_keys || !t->lines) {
        /* The counts are half used: no way back. */
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
