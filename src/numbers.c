/*
 * numbers.c - do two texts report the same figures?
 *
 * Templated stories are the hard negatives of syndication detection: two
 * dividend notices, two days' hog-slaughter estimates, two football results
 * or two eurobond announcements share most of their wording and differ in
 * their numbers. Copies of one story keep its numbers: a trimmed copy has a
 * subset of them, a copy with a local paragraph a superset, and the usual
 * rewrites ("5 mln" -> "5 million", "pct" -> "percent") leave the digits
 * alone. So for every document we keep a fingerprint of its number tokens
 * (words with a digit: "5", "7.5", "1987", "3rd"), and a candidate pair whose
 * texts both carry enough numbers must agree on most of those of the text
 * with fewer.
 *
 * Fingerprint: the NUMBER_SLOTS smallest distinct 32-bit hashes of the
 * number tokens (a bottom-k sample, Broder 1997), plus the total count of
 * distinct tokens. For texts with at most NUMBER_SLOTS distinct numbers the
 * set is exact. Otherwise the two samples are compared below the smaller of
 * their largest kept hashes, where both are complete, which estimates the
 * containment |A n B| / |A| without bias.
 */
#include "internal.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Adds one number token's hash to the sorted bottom-k array, skipping
 * duplicates. */
static void add_number(syndic_numbers *out, const char *s, size_t n, uint64_t seed)
{
    uint32_t h = (uint32_t)XXH3_64bits_withSeed(s, n, seed ^ UINT64_C(0x6e756d62657273));
    uint32_t c = out->count, pos = c;
    while (pos > 0 && out->hash[pos - 1] > h) pos--;
    if (pos > 0 && out->hash[pos - 1] == h) return;
    out->total++;
    if (pos == NUMBER_SLOTS) return; /* larger than every kept hash */
    if (c == NUMBER_SLOTS) c--;      /* drop the largest */
    for (uint32_t j = c; j > pos; j--) out->hash[j] = out->hash[j - 1];
    out->hash[pos] = h;
    out->count = c + 1;
}

void syndic__numbers_extract(syndic_numbers *out, const syndic_words *w, uint64_t seed)
{
    out->count = 0;
    out->total = 0;
    if (!w->text || !w->len) return;
    /* Words are joined by single spaces and most have no digit: jump from
     * digit to digit (strpbrk, the text is NUL-terminated), and take the
     * word around each; the words come in text order, as a walk over the
     * words would take them. */
    const char *t = w->text, *end = t + w->len, *p = t;
    while ((p = strpbrk(p, "0123456789")) && p < end) {
        const char *a = p, *b = p;
        while (a > t && a[-1] != ' ') a--;
        while (b < end && *b != ' ') b++;
        add_number(out, a, (size_t)(b - a), seed);
        p = b;
    }
}

double syndic__numbers_agreement(const syndic_numbers *a, const syndic_numbers *b)
{
    /* Compare below the sampling limit both samples share. */
    uint32_t limit = UINT32_MAX;
    if (a->total > a->count && a->count) limit = a->hash[a->count - 1];
    if (b->total > b->count && b->count && b->hash[b->count - 1] < limit)
        limit = b->hash[b->count - 1];
    uint32_t na = 0, nb = 0, both = 0, i = 0, j = 0;
    while (i < a->count || j < b->count) {
        uint32_t x = i < a->count ? a->hash[i] : UINT32_MAX;
        uint32_t y = j < b->count ? b->hash[j] : UINT32_MAX;
        uint32_t v = x < y ? x : y;
        if (v > limit || (i >= a->count && j >= b->count)) break;
        if (x == y) { both++; na++; nb++; i++; j++; }
        else if (x < y) { na++; i++; }
        else { nb++; j++; }
    }
    uint32_t fewer = a->total < b->total ? na : nb;
    return fewer ? (double)both / fewer : 1.0;
}
