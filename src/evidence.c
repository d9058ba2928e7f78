/*
 * evidence.c - may two documents be one story? The verification of one
 * candidate pair, shared by the batch (batch.c) and feed ingest (ingest.c)
 * so that both weigh exactly the same evidence.
 *
 * The checks, in order (syndic__verify):
 *  1. both texts have words (an empty text's signature is all UINT32_MAX and
 *     must never be compared);
 *  2. estimated Jaccard at the threshold, or - for trimmed and extended
 *     copies - the shorter text lies `containment` inside the longer
 *     (estimated from J and the set sizes);
 *  3. enough shared text: about min_shared shingles, or for texts too short
 *     for that, 80% of the shorter inside the longer and (when both have
 *     one) headlines sharing half their words;
 *  4. dates that allow one story (max_gap; same_outlet_gap within an outlet);
 *  5. figures that agree (numbers.c).
 *
 * A document is seen through syndic_evdoc: pointers to what the caller keeps
 * (its signature, numbers and title fingerprint), so the batch passes its
 * arrays and ingest passes records read from its LMDB state, without copies.
 *
 * This module owns everything about a pair: the checks and the verdict
 * (syndic__verify), the figures a report or `syndic compare` shows
 * (syndic__evidence), and the chaining guard that batch linking and ingest's
 * match choice apply to a cluster's representative (syndic__guard_ok). The
 * public syndic_evidence_compute() runs the per-document core on two
 * documents and weighs them, without a batch.
 */
#include "digest.h"

#include <math.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

int syndic__title_fingerprint(syndic_words *w, const char *title, size_t len,
                              syndic_title_words *out)
{
    out->count = 0;
    if (!title || !len) return SYNDIC_OK;
    int rc = syndic__normalize(w, title, len);
    if (rc < 0) return rc;
    for (size_t i = 0; i < w->count; i++) {
        uint32_t h = (uint32_t)XXH3_64bits(w->text + w->start[i], w->end[i] - w->start[i]);
        uint32_t c = out->count, pos = c;
        while (pos > 0 && out->hash[pos - 1] > h) pos--;
        if (pos > 0 && out->hash[pos - 1] == h) continue;
        if (pos == SYNDIC_TITLE_WORDS) continue;
        if (c == SYNDIC_TITLE_WORDS) c--;
        for (uint32_t j = c; j > pos; j--) out->hash[j] = out->hash[j - 1];
        out->hash[pos] = h;
        out->count = c + 1;
    }
    return SYNDIC_OK;
}

uint32_t syndic__same_values(const uint32_t *a, const uint32_t *b, unsigned k)
{
    uint32_t same = 0;
    for (unsigned j = 0; j < k; j++) same += a[j] == b[j];
    return same;
}

/* Time evidence: may two documents be one story? Copies of a wire story
 * appear within minutes to a few days; periodic reports (a daily market
 * close, a central bank's operations) repeat their wording on other days and
 * are other stories; one outlet re-sends a story within hours, not the next
 * day. Undated documents give no evidence either way. */
bool syndic__time_compatible(const syndic_params *p, bool x_has, int64_t x_time,
                             const char *x_outlet, bool y_has, int64_t y_time,
                             const char *y_outlet)
{
    if (!x_has || !y_has) return true;
    int64_t gap = x_time > y_time ? x_time - y_time : y_time - x_time;
    if (p->max_gap && gap > p->max_gap) return false;
    if (p->same_outlet_gap && gap > p->same_outlet_gap && x_outlet[0] &&
        strcmp(x_outlet, y_outlet) == 0)
        return false;
    return true;
}

/* Containment of the smaller set in the larger, from the Jaccard estimate
 * and the set sizes: |A n B| = J (|A| + |B|) / (1 + J), over min(|A|, |B|).
 * A copy cut to its first half has J ~ 0.5 with the original but C ~ 1. */
double syndic__containment(double j, uint32_t na, uint32_t nb)
{
    double smaller = na < nb ? na : nb;
    if (smaller <= 0) return 0;
    double c = j * ((double)na + nb) / ((1.0 + j) * smaller);
    return c > 1.0 ? 1.0 : c;
}

/* Short texts: two dividend notices or two one-line briefs from one
 * template share most of their few shingles, so a Jaccard estimate alone
 * says little. A pair must share about min_shared shingles (estimated from
 * J and the set sizes: |A n B| = J (|A| + |B|) / (1 + J)), or, when a text
 * is too short for that, the shorter must lie at least 80% inside the
 * longer: a re-send of a brief still matches, a same-template notice with
 * other names and numbers does not. */
static bool enough_shared(const syndic_params *p, double j, uint32_t na, uint32_t nb,
                          const syndic_title_words *ta, const syndic_title_words *tb)
{
    if (p->min_shared == 0) return true;
    double shared = j * ((double)na + nb) / (1.0 + j);
    if (shared >= p->min_shared) return true;
    double smaller = na < nb ? na : nb;
    if (shared < 0.8 * smaller) return false;
    /* So little text that the headline is evidence too: two dividend
     * notices of one template differ only in the company their headlines
     * name. Titles (when both have one) must share half their words. */
    if (!ta->count || !tb->count) return true;
    uint32_t both = 0;
    for (uint32_t x = 0, y = 0; x < ta->count && y < tb->count;) {
        if (ta->hash[x] == tb->hash[y]) { both++; x++; y++; }
        else if (ta->hash[x] < tb->hash[y]) x++;
        else y++;
    }
    return 2 * both >= ta->count + tb->count - both;
}

/* Figures: see numbers.c. Texts with fewer than MIN_NUMBERS numbers give no
 * evidence either way. */
#define MIN_NUMBERS 3

static bool numbers_agree(const syndic_params *p, const syndic_numbers *a,
                          const syndic_numbers *b)
{
    if (p->numbers <= 0 || a->total < MIN_NUMBERS || b->total < MIN_NUMBERS) return true;
    return syndic__numbers_agreement(a, b) >= p->numbers;
}

syndic_pair_verdict syndic__verify(const syndic_params *p, const syndic_evdoc *x,
                              const syndic_evdoc *y, uint32_t *same)
{
    const unsigned k = p->num_hashes;
    *same = 0;
    if (!x->shingles || !y->shingles) return SYNDIC_NO_WORDS;
    *same = syndic__same_values(x->sig, y->sig, k);
    double j = (double)*same / k;
    if (*same < (uint32_t)ceil(p->threshold * k - 1e-9) &&
        !(p->containment > 0 &&
          syndic__containment(j, x->shingles, y->shingles) >= p->containment))
        return SYNDIC_BELOW_THRESHOLD;
    if (!enough_shared(p, j, x->shingles, y->shingles, x->title, y->title))
        return SYNDIC_TOO_LITTLE_SHARED;
    if (!syndic__time_compatible(p, x->has_time, x->time, x->outlet, y->has_time, y->time,
                                 y->outlet))
        return SYNDIC_TOO_FAR_APART;
    if (!numbers_agree(p, x->numbers, y->numbers)) return SYNDIC_FIGURES_DISAGREE;
    return SYNDIC_MATCH;
}

uint32_t syndic__guard_need(const syndic_params *p)
{
    return (uint32_t)ceil(p->guard * p->threshold * p->num_hashes - 1e-9);
}

/* The chaining guard: a document may join a cluster only when it is
 * compatible with the cluster's representative - close enough in time, and
 * similar at guard x threshold. Without the representative's signature (an
 * evicted origin in ingest, or the representative itself) only time counts. */
bool syndic__guard_ok(const syndic_params *p, const syndic_evdoc *rep, const syndic_evdoc *m)
{
    if (!syndic__time_compatible(p, rep->has_time, rep->time, rep->outlet, m->has_time, m->time,
                                 m->outlet))
        return false;
    uint32_t need = syndic__guard_need(p);
    return need == 0 || !rep->sig || !m->sig ||
           syndic__same_values(rep->sig, m->sig, p->num_hashes) >= need;
}

void syndic__evidence(const syndic_params *p, const syndic_evdoc *x, const syndic_evdoc *y,
                      syndic_evidence *out)
{
    const unsigned k = p->num_hashes;
    uint32_t same;
    memset(out, 0, sizeof *out);
    out->verdict = syndic__verify(p, x, y, &same);
    out->jaccard = (double)same / k;
    if (x->shingles && y->shingles) {
        double j = out->jaccard;
        out->shared = j * ((double)x->shingles + y->shingles) / (1.0 + j);
        out->containment_ab = out->shared / x->shingles;
        out->containment_ba = out->shared / y->shingles;
        for (unsigned band = 0; band < p->bands; band++)
            out->bands_shared += memcmp(x->sig + band * p->rows, y->sig + band * p->rows,
                                        p->rows * sizeof *x->sig) == 0;
    }
    out->figures = syndic__numbers_agreement(x->numbers, y->numbers);
    out->figures_a = x->numbers->total;
    out->figures_b = y->numbers->total;
    out->gap = x->has_time && y->has_time ? (x->time > y->time ? x->time - y->time
                                                               : y->time - x->time)
                                          : -1;
}


/* One side of syndic_evidence_compute: what the batch keeps of a document. */
typedef struct side {
    syndic_digest digest;
    syndic_words title_words;
    uint32_t *sig;
    syndic_numbers numbers;
    syndic_title_words title;
    syndic_evdoc ev;
    char *outlet;
} side;

static int digest_side(side *s, const syndic_params *p, const syndic_doc *d,
                       const syndic_templates *t)
{
    if (!d || !d->text) return syndic__error(SYNDIC_EINVAL, "a document needs a text");
    size_t olen = syndic__field_len(d->outlet, d->outlet_len), tlen = syndic__field_len(d->title, d->title_len);
    size_t dlen = syndic__field_len(d->date, d->date_len);
    uint64_t salt = t ? syndic__outlet_salt(d->outlet, olen) : 0;
    int rc = syndic__digest_text(&s->digest, d->text, syndic__field_len(d->text, d->text_len), salt, t != NULL);
    if (rc < 0) return rc;
    if (t) syndic__digest_drop(&s->digest, syndic__templates_test, (void *)(uintptr_t)t);
    if (!(s->sig = syndic__reallocarray(NULL, p->num_hashes, sizeof *s->sig))) return syndic__oom();
    uint32_t shingles;
    if ((rc = syndic__digest_sketch(&s->digest, p, s->sig, &shingles, &s->numbers)) < 0) return rc;
    if ((rc = syndic__title_fingerprint(&s->title_words, d->title, tlen, &s->title)) < 0) return rc;
    if (!(s->outlet = syndic__strndup(d->outlet ? d->outlet : "", d->outlet ? olen : 0)))
        return syndic__oom();
    int64_t time = 0;
    bool has_time = dlen && syndic_date_parse(&time, d->date, dlen) == SYNDIC_OK;
    s->ev = (syndic_evdoc){s->sig, shingles, has_time, has_time ? time : 0, s->outlet,
                           &s->numbers, &s->title};
    return SYNDIC_OK;
}

static void side_free(side *s)
{
    syndic__digest_free(&s->digest);
    syndic__words_free(&s->title_words);
    syndic__free(s->sig);
    syndic__free(s->outlet);
}

int syndic_evidence_compute(syndic_evidence *out, const syndic_params *params,
                            const syndic_doc *a, const syndic_doc *b,
                            const syndic_templates *templates)
{
    syndic_params p = *params;
    int rc = syndic_params_resolve(&p);
    if (rc < 0) return rc;
    if (templates && !syndic_templates_count(templates)) templates = NULL;
    side x = {0}, y = {0};
    if ((rc = digest_side(&x, &p, a, templates)) == SYNDIC_OK &&
        (rc = digest_side(&y, &p, b, templates)) == SYNDIC_OK)
        syndic__evidence(&p, &x.ev, &y.ev, out);
    side_free(&x);
    side_free(&y);
    return rc;
}
