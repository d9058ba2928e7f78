/*
 * analysis.c - what a cluster says as a story: who ran it first, who copied
 * whom, when, and what each outlet changed.
 *
 * For each cluster, on the texts the batch kept (template lines dropped):
 *  1. Order: by time when every member is dated, else by input order (the
 *     report says so through `dated`). Ties in time keep the batch's order.
 *  2. Origin: the first; when several share the earliest time, the one that
 *     contains most of the others (sum of their containment in it).
 *  3. Source of each later member: the earlier member that contains most of
 *     it, containment = |S(m) n S(c)| / |S(m)| on exact shingle sets. A copy
 *     of a copy inherits that copy's edits (its reworded lead, its local
 *     paragraph), which the copy contains and the origin does not, so the
 *     chain shows. Exact ties go to the origin, then to the earliest.
 *  4. Edits against the source: both texts are cut into sentences, each
 *     sentence keyed by a hash of its normalized words, and a longest common
 *     subsequence over the keys marks each sentence kept, removed or added.
 *     Sentences with 70% of their words in common count as kept but
 *     "edited" (a typo, a changed figure). Label: verbatim (nothing removed,
 *     added or edited), trimmed (only removed), extended (only added),
 *     rewritten (removed and added, or a third or more of the copy's
 *     sentences, kept and added, edited ones, or only
 *     edits).
 * Spread: distinct outlets, first and last time, and the delay from the
 * origin until 2, 5 and 10 outlets had run the story.
 *
 * Cost: per cluster of m members with n shingles each, O(m^2 n) for the
 * containments and O(s^2) per diff of s sentences; clusters are small. Each
 * member's sentences are split once per story. Stories are independent and
 * run on the batch's threads (analyse_threads, below).
 */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define TIE 5 /* shingles: containments this close are equal */
#define MAX_DIFF_SENTENCES 4000 /* beyond this, a diff is skipped (counts only) */

struct syndic_analysis {
    syndic_story *stories;    /* clusters [first, first + story_count) */
    size_t first, story_count;
    /* Each member's record (digest.c), indexed like copies (story after
     * story, members in cluster order): borrowed from the batch's memory, or
     * read into text_buf. Its slot in text_buf (as long as the record) then
     * receives its kept text, which the diffs point into. */
    const char **rec;
    uint32_t *rec_len;
    char **slot;
    char *text_buf;
    size_t text_cap;
    const syndic_batch *batch; /* text_buf goes back to it (a reusable buffer) */
    syndic_copy *copies;      /* all stories' copies, story after story */
    syndic_diff_item *items;  /* all diffs */
};

const char *syndic_edit_name(syndic_edit e)
{
    static const char *names[] = {"origin", "verbatim", "trimmed", "extended", "rewritten"};
    return (unsigned)e < 5 ? names[e] : "unknown";
}

/* A sentence: its raw text, the hash of its normalized words, and the
 * sorted hashes of its distinct words (in the scratch pool) for the fuzzy
 * match that lets a typo or a respelled name leave a sentence "kept". */
typedef struct sentence {
    const char *text;
    uint32_t len;
    uint64_t key;
    uint64_t mask;               /* bit h % 64 set for each word hash h */
    size_t words_at, word_count; /* in the scratch's hashes */
} sentence;

typedef struct scratch {
    syndic_words words;  /* titles */
    syndic_digest digest; /* a member's record, unpacked */
    syndic_buf content;  /* ... its kept text */
    syndic_dsentence *ds; /* ... its sentences */
    size_t ds_cap;
    uint64_t *shingles;  /* ... and its shingle set */
    size_t shingles_cap;
    sentence *sents;     /* the story's members' sentences, each split once */
    size_t sents_len, sents_cap;
    uint32_t *lcs;
    size_t lcs_cap;
    uint64_t *hashes;    /* the sorted distinct word hashes of the sentences */
    size_t hashes_len, hashes_cap;
} scratch;

/* Sentences match when they are equal after normalization, or when their
 * word sets overlap at SAME_SENTENCE (Jaccard): a typo, a respelled name or
 * a changed figure in a 20-word sentence still leaves it the same sentence. */
#define SAME_SENTENCE 0.7

static bool same_sentence(const scratch *sc, const sentence *x, const sentence *y)
{
    if (x->key == y->key) return true;
    const uint64_t *a = sc->hashes + x->words_at, *b = sc->hashes + y->words_at;
    size_t na = x->word_count, nb = y->word_count, i = 0, j = 0, both = 0;
    if (!na || !nb) return false;
    /* J <= min/max: sentences of very different lengths cannot match. */
    if ((double)(na < nb ? na : nb) < SAME_SENTENCE * (double)(na > nb ? na : nb)) return false;
    /* A bit set in one mask only stands for at least one word missing from
     * the other sentence; J >= s allows at most (1 - s)(na + nb) of those. */
    unsigned only = (unsigned)__builtin_popcountll(x->mask ^ y->mask);
    if ((double)only > (1.0 - SAME_SENTENCE) * (double)(na + nb)) return false;
    while (i < na && j < nb) {
        if (a[i] == b[j]) { both++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    return (double)both >= SAME_SENTENCE * (double)(na + nb - both);
}

/* A member's kept text, its sentences and its exact shingle set, from its
 * record (digest.c): the lines the batch drops as templates left out, and
 * nothing normalized again. The kept text is written to `slot` (as large as
 * the record, which the text is never longer than), where the diffs point;
 * the sentences are appended to sc->sents. */
static int member_digest(scratch *sc, const syndic_batch *b, const char *rec, size_t rec_len,
                         char *slot, const syndic_words **words, size_t *first, size_t *count)
{
    syndic_digest *d = &sc->digest;
    int rc = syndic__digest_unpack(d, rec, rec_len);
    if (rc < 0) return rc;
    const syndic_templates *t = syndic__batch_drop_set(b);
    if (t) syndic__digest_drop(d, syndic__templates_test, (void *)(uintptr_t)t);
    sc->content.len = 0;
    if ((rc = syndic__digest_content(d, &sc->content)) < 0) return rc;
    if (sc->content.len >= rec_len) return syndic__error(SYNDIC_ERROR, "record shorter than its text");
    memcpy(slot, sc->content.data, sc->content.len + 1);
    const syndic_words *w;
    if ((rc = syndic__digest_kept_words(d, &w)) < 0) return rc;
    size_t n;
    if ((rc = syndic__digest_sentences(d, slot, &sc->ds, &n, &sc->ds_cap)) < 0) return rc;
    *words = w;
    *first = sc->sents_len;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        const syndic_dsentence *ds = &sc->ds[i];
        size_t w0 = ds->word_first, nw = ds->word_count;
        if ((rc = syndic__grow(&sc->sents, &sc->sents_cap, sc->sents_len + 1,
                               sizeof *sc->sents)) < 0)
            return rc;
        size_t at = sc->hashes_len;
        if ((rc = syndic__grow(&sc->hashes, &sc->hashes_cap, at + nw, sizeof *sc->hashes)) < 0)
            return rc;
        uint64_t *h = sc->hashes + at;
        for (size_t k = 0; k < nw; k++)
            h[k] = XXH3_64bits(w->text + w->start[w0 + k], w->end[w0 + k] - w->start[w0 + k]);
        syndic__sort_hashes(h, nw);
        size_t u = 0;
        for (size_t k = 0; k < nw; k++)
            if (u == 0 || h[k] != h[u - 1]) h[u++] = h[k];
        sc->hashes_len = at + u;
        uint64_t mask = 0;
        for (size_t k = 0; k < u; k++) mask |= UINT64_C(1) << (h[k] & 63);
        sc->sents[sc->sents_len++] =
            (sentence){slot + ds->off, ds->len,
                       XXH3_64bits(w->text + w->start[w0], w->end[w0 + nw - 1] - w->start[w0]),
                       mask, at, u};
        (*count)++;
    }
    return SYNDIC_OK;
}

static size_t intersect(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) { n++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    return n;
}

/* Normalized title equality. */
static int same_title(scratch *sc, const char *x, const char *y, bool *same)
{
    int rc = syndic__normalize(&sc->words, x, strlen(x));
    if (rc < 0) return rc;
    uint64_t hx = XXH3_64bits(sc->words.text, sc->words.len);
    if ((rc = syndic__normalize(&sc->words, y, strlen(y))) < 0) return rc;
    *same = hx == XXH3_64bits(sc->words.text, sc->words.len);
    return SYNDIC_OK;
}

typedef struct member {
    uint32_t doc;
    const char *text;  /* template lines dropped */
    size_t len;
    size_t sent_at, sent_count;
    uint64_t *sh;      /* exact shingle set */
    size_t n;
    int64_t key;       /* time, or input index when undated */
} member;

static int cmp_member_key(const void *a, const void *b)
{
    const member *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static double contained(const member *m, const member *in)
{
    return m->n ? (double)intersect(m->sh, m->n, in->sh, in->n) / (double)m->n : 0.0;
}

/* The diff of copy c against source s, appended to *items. */
static int diff(scratch *sc, member *s, member *c, syndic_copy *out,
                syndic_diff_item **items, size_t *count, size_t *cap)
{
    int rc;
    const sentence *A = sc->sents + s->sent_at, *B = sc->sents + c->sent_at;
    size_t na = s->sent_count, nb = c->sent_count;
    out->kept = out->removed = out->added = out->edited = 0;
    out->diff_count = 0;
    if (na > MAX_DIFF_SENTENCES || nb > MAX_DIFF_SENTENCES) {
        /* Too long for a quadratic diff: count by set membership only. */
        for (size_t j = 0; j < nb; j++) {
            bool found = false;
            for (size_t i = 0; i < na && !found; i++) found = same_sentence(sc, &A[i], &B[j]);
            if (found) out->kept++;
            else out->added++;
        }
        out->removed = na > out->kept ? (uint32_t)(na - out->kept) : 0;
        return SYNDIC_OK;
    }
    /* LCS table, (na+1) x (nb+1), filled from the end. */
    size_t w = nb + 1;
    if ((rc = syndic__grow(&sc->lcs, &sc->lcs_cap, (na + 1) * w, sizeof *sc->lcs)) < 0)
        return rc;
    uint32_t *L = sc->lcs;
    for (size_t i = na + 1; i-- > 0;) {
        for (size_t j = nb + 1; j-- > 0;) {
            if (i == na || j == nb) L[i * w + j] = 0;
            else if (same_sentence(sc, &A[i], &B[j])) L[i * w + j] = L[(i + 1) * w + j + 1] + 1;
            else {
                uint32_t d = L[(i + 1) * w + j], r = L[i * w + j + 1];
                L[i * w + j] = d > r ? d : r;
            }
        }
    }
    if ((rc = syndic__grow(items, cap, *count + na + nb, sizeof **items)) < 0) return rc;
    size_t i = 0, j = 0, start = *count;
    while (i < na || j < nb) {
        syndic_diff_item it;
        if (i < na && j < nb && same_sentence(sc, &A[i], &B[j]) &&
            L[i * w + j] == L[(i + 1) * w + j + 1] + 1) {
            it = (syndic_diff_item){SYNDIC_DIFF_KEPT, B[j].len, B[j].text,
                                    A[i].len, A[i].text};
            out->kept++;
            out->edited += A[i].key != B[j].key;
            i++; j++;
        } else if (i < na && (j == nb || L[(i + 1) * w + j] >= L[i * w + j + 1])) {
            it = (syndic_diff_item){SYNDIC_DIFF_REMOVED, A[i].len, A[i].text,
                                    A[i].len, A[i].text};
            out->removed++; i++;
        } else {
            it = (syndic_diff_item){SYNDIC_DIFF_ADDED, B[j].len, B[j].text, 0, NULL};
            out->added++; j++;
        }
        (*items)[(*count)++] = it;
    }
    out->diff = (const syndic_diff_item *)(uintptr_t)start; /* an offset until fixed up */
    out->diff_count = (uint32_t)(*count - start);
    return SYNDIC_OK;
}

syndic_edit syndic__edit_label(uint32_t kept, uint32_t removed, uint32_t added, uint32_t edited)
{
    /* Edits weigh against the copy's own sentences (kept and added): a wire
     * flash of 3 sentences grown to 7 with "today" put into its lead is
     * extended, not rewritten (Reuters-21578 10511 -> 10539). */
    if (edited && (uint64_t)edited * 3 >= (uint64_t)kept + added) return SYNDIC_EDIT_REWRITTEN;
    if (!removed && !added) return edited ? SYNDIC_EDIT_REWRITTEN : SYNDIC_EDIT_VERBATIM;
    if (!added) return SYNDIC_EDIT_TRIMMED;
    if (!removed) return SYNDIC_EDIT_EXTENDED;
    return SYNDIC_EDIT_REWRITTEN;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int analyse_story(scratch *sc, const syndic_batch *b, const syndic_cluster *cl,
                         const char *const *recs, const uint32_t *rec_lens, char *const *slots,
                         syndic_story *st, syndic_copy *copies, syndic_diff_item **items,
                         size_t *item_count, size_t *item_cap)
{
    uint32_t m = cl->size;
    int rc = SYNDIC_OK;
    sc->sents_len = sc->hashes_len = 0;
    member *mem = syndic__calloc(m, sizeof *mem);
    const char **outlets = syndic__calloc(m, sizeof *outlets);
    if (!mem || !outlets) { rc = syndic__oom(); goto out; }
    bool dated = true;
    for (uint32_t i = 0; i < m; i++) dated &= syndic_batch_doc(b, cl->members[i].doc)->has_time != 0;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t d = cl->members[i].doc;
        const syndic_doc_info *info = syndic_batch_doc(b, d);
        /* Kept text, sentences and shingles from the record (member_digest). */
        mem[i].doc = d;
        const syndic_words *w = NULL;
        if ((rc = member_digest(sc, b, recs[i], rec_lens[i], slots[i], &w, &mem[i].sent_at,
                                &mem[i].sent_count)) < 0)
            goto out;
        mem[i].text = slots[i];
        mem[i].len = sc->content.len;
        const syndic_params *p = syndic_batch_params(b);
        size_t n;
        if ((rc = syndic__shingle(&sc->shingles, &n, &sc->shingles_cap, w, p->shingle_words,
                                  p->seed)) < 0)
            goto out;
        const uint64_t *h = sc->shingles;
        mem[i].n = n;
        mem[i].key = dated ? info->time : (int64_t)info->input_index;
        mem[i].sh = syndic__reallocarray(NULL, n ? n : 1, sizeof *h);
        if (!mem[i].sh) { rc = syndic__oom(); goto out; }
        if (n) memcpy(mem[i].sh, h, n * sizeof *h);
    }
    /* Stable by key: the batch order (id) breaks ties. */
    for (uint32_t i = 1; i < m; i++) { /* insertion sort keeps stability */
        member x = mem[i];
        uint32_t j = i;
        while (j > 0 && cmp_member_key(&mem[j - 1], &x) > 0) { mem[j] = mem[j - 1]; j--; }
        mem[j] = x;
    }
    /* Origin among the earliest: the one that contains most of the others. */
    uint32_t ties = 1;
    while (ties < m && mem[ties].key == mem[0].key) ties++;
    if (ties > 1) {
        uint32_t best = 0;
        double best_sum = -1;
        for (uint32_t i = 0; i < ties; i++) {
            double sum = 0;
            for (uint32_t j = 0; j < m; j++)
                if (j != i) sum += contained(&mem[j], &mem[i]);
            if (sum > best_sum + 1e-12) { best_sum = sum; best = i; }
        }
        member x = mem[best];
        memmove(mem + 1, mem, best * sizeof *mem);
        mem[0] = x;
    }
    st->size = m;
    st->dated = dated;
    st->first = dated ? mem[0].key : -1;
    st->last = dated ? mem[m - 1].key : -1;
    for (int k = 0; k < 3; k++) st->to_reach[k] = -1;
    /* Spread: distinct outlets in publication order. */
    uint32_t distinct = 0;
    static const uint32_t marks[3] = {2, 5, 10};
    for (uint32_t i = 0; i < m; i++) {
        const char *o = syndic_batch_doc(b, mem[i].doc)->outlet;
        bool seen = false;
        for (uint32_t j = 0; j < distinct && !seen; j++) seen = strcmp(outlets[j], o) == 0;
        if (!seen) {
            outlets[distinct++] = o;
            for (int k = 0; k < 3; k++)
                if (distinct == marks[k] && dated) st->to_reach[k] = mem[i].key - mem[0].key;
        }
    }
    st->outlets = distinct;
    qsort(outlets, distinct, sizeof *outlets, cmp_str);
    /* Copy tree and edits. */
    for (uint32_t i = 0; i < m; i++) {
        syndic_copy *c = &copies[i];
        const syndic_doc_info *info = syndic_batch_doc(b, mem[i].doc);
        c->doc = mem[i].doc;
        c->delay = dated ? mem[i].key - mem[0].key : -1;
        size_t inter = intersect(mem[i].sh, mem[i].n, mem[0].sh, mem[0].n);
        size_t uni = mem[i].n + mem[0].n - inter;
        c->jaccard_origin = uni ? (double)inter / (double)uni : 0.0;
        if (i == 0) {
            c->source = -1;
            c->containment = 1.0;
            c->edit = SYNDIC_EDIT_ORIGIN;
            continue;
        }
        /* The earlier member that contains most of it: another member wins
         * only by more than TIE shingles, so near ties go to the origin, then
         * to the earliest. */
        int32_t best = 0;
        size_t best_n = intersect(mem[i].sh, mem[i].n, mem[0].sh, mem[0].n);
        for (uint32_t j = 1; j < i; j++) {
            if (mem[j].key > mem[i].key) break;
            size_t nj = intersect(mem[i].sh, mem[i].n, mem[j].sh, mem[j].n);
            if (nj > best_n + TIE) {
                best = (int32_t)j;
                best_n = nj;
            }
        }
        double best_c = mem[i].n ? (double)best_n / (double)mem[i].n : 0.0;
        c->source = best;
        c->containment = best_c;
        const syndic_doc_info *src = syndic_batch_doc(b, mem[best].doc);
        bool same;
        if ((rc = same_title(sc, src->title, info->title, &same)) < 0) goto out;
        c->headline_changed = !same;
        if ((rc = diff(sc, &mem[best], &mem[i], c, items, item_count, item_cap)) < 0)
            goto out;
        c->edit = syndic__edit_label(c->kept, c->removed, c->added, c->edited);
    }
out:
    if (mem)
        for (uint32_t i = 0; i < m; i++) syndic__free(mem[i].sh);
    syndic__free(mem);
    syndic__free(outlets);
    return rc;
}

static void scratch_free(scratch *sc)
{
    syndic__words_free(&sc->words);
    syndic__digest_free(&sc->digest);
    syndic__buf_free(&sc->content);
    syndic__free(sc->ds);
    syndic__free(sc->shingles);
    syndic__free(sc->sents);
    syndic__free(sc->lcs);
    syndic__free(sc->hashes);
}

/* Clusters [first, first + count), their copies from a->copies[pos] on, and
 * their diffs appended to *items; each copy's diff is an offset into *items
 * and each story's copies an offset into a->copies until fixed up. */
static int analyse_range(scratch *sc, const syndic_batch *b, syndic_analysis *a, size_t first,
                         size_t count, size_t pos, syndic_diff_item **items, size_t *item_count,
                         size_t *item_cap)
{
    for (size_t i = first; i < first + count; i++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, i);
        syndic_story *st = &a->stories[i - a->first];
        st->cluster = (uint32_t)i;
        int rc = analyse_story(sc, b, cl, a->rec + pos, a->rec_len + pos, a->slot + pos, st,
                               a->copies + pos,
                               items, item_count, item_cap);
        if (rc < 0) return rc;
        st->copies = (const syndic_copy *)(uintptr_t)pos;
        pos += cl->size;
    }
    return SYNDIC_OK;
}

/* Threads: the clusters are cut into jobs of consecutive clusters (about
 * JOB_MEMBERS members, and at least one cluster). A worker analyses a job
 * with its own scratch, writing the stories and copies in place (each story
 * has its own slots, its copies' offset known from the cluster sizes) and
 * the diffs into the job's own items. The caller's thread takes the jobs
 * back in cluster order and appends their items to a->items, so the
 * analysis is the one thread's, byte for byte. At most 2 jobs per worker
 * are in flight, so the jobs' items stay bounded. */
#define JOB_MEMBERS 256

typedef struct story_job {
    syndic_job job; /* first: the pool hands back &job */
    size_t first, count, pos;
    syndic_diff_item *items;
    size_t item_count, item_cap;
} story_job;

typedef struct story_threads {
    const syndic_batch *b;
    syndic_analysis *a;
    scratch *sc; /* one per worker */
} story_threads;

static int story_job_run(void *ctx, unsigned worker, syndic_job *job)
{
    story_threads *t = ctx;
    story_job *j = (story_job *)job;
    j->item_count = 0;
    return analyse_range(&t->sc[worker], t->b, t->a, j->first, j->count, j->pos, &j->items,
                         &j->item_count, &j->item_cap);
}

/* On the caller's thread: the job's items go after the ones before it. */
static int merge_job(syndic_analysis *a, story_job *j, size_t *item_count, size_t *item_cap)
{
    size_t base = *item_count;
    int rc = syndic__grow(&a->items, item_cap, base + j->item_count, sizeof *a->items);
    if (rc < 0) return rc;
    if (j->item_count) memcpy(a->items + base, j->items, j->item_count * sizeof *j->items);
    *item_count = base + j->item_count;
    for (size_t i = j->first; i < j->first + j->count; i++) {
        const syndic_story *st = &a->stories[i - a->first];
        syndic_copy *c = a->copies + (uintptr_t)st->copies;
        for (uint32_t k = 0; k < st->size; k++)
            if (c[k].diff_count)
                c[k].diff = (const syndic_diff_item *)((uintptr_t)c[k].diff + base);
    }
    /* A huge story made the job's items grow: give the memory back. */
    if (j->item_cap > (size_t)64 * JOB_MEMBERS) {
        syndic__free(j->items);
        j->items = NULL;
        j->item_cap = 0;
    }
    return SYNDIC_OK;
}

/* The stream's state (syndic__pool_stream): the next cluster to hand out,
 * and where the items go. */
typedef struct story_stream {
    const syndic_batch *b;
    syndic_analysis *a;
    size_t next, end, pos;
    size_t *item_count, *item_cap;
} story_stream;

static bool fill_story_job(void *ctx, syndic_job *job)
{
    story_stream *s = ctx;
    story_job *j = (story_job *)job;
    if (s->next >= s->end) return false;
    size_t members = 0;
    j->first = s->next;
    j->pos = s->pos;
    do {
        uint32_t size = syndic_batch_cluster_at(s->b, s->next)->size;
        members += size;
        s->pos += size;
        s->next++;
    } while (s->next < s->end && members < JOB_MEMBERS);
    j->count = s->next - j->first;
    return true;
}

static int take_story_job(void *ctx, syndic_job *job)
{
    story_stream *s = ctx;
    return merge_job(s->a, (story_job *)job, s->item_count, s->item_cap);
}

static int analyse_threads(const syndic_batch *b, syndic_analysis *a, size_t n, unsigned workers,
                           size_t *item_count, size_t *item_cap)
{
    story_threads t = {b, a, NULL};
    syndic_pool *pool = NULL;
    const size_t njobs = 2 * (size_t)workers;
    story_job *jobs = syndic__calloc(njobs, sizeof *jobs);
    story_stream stream = {b, a, a->first, a->first + n, 0, item_count, item_cap};
    int rc = SYNDIC_OK;
    t.sc = syndic__calloc(workers, sizeof *t.sc);
    if (!jobs || !t.sc) { rc = syndic__oom(); goto done; }
    if ((rc = syndic__pool_new(&pool, workers, story_job_run, &t)) < 0) goto done;
    rc = syndic__pool_stream(pool, jobs, sizeof *jobs, njobs, fill_story_job, take_story_job,
                             &stream);
done:
    syndic__pool_free(pool);
    if (jobs)
        for (size_t i = 0; i < njobs; i++) syndic__free(jobs[i].items);
    syndic__free(jobs);
    if (t.sc)
        for (unsigned w = 0; w < workers; w++) scratch_free(&t.sc[w]);
    syndic__free(t.sc);
    return rc;
}

/* Each member's record, in copies order, and its slot for the kept text:
 * records are borrowed from the batch's memory, or read from its spool file
 * into the slots (the record is unpacked before its kept text overwrites
 * it). The slots are one buffer sized up front: the diffs point into it, so
 * it must not move. */
static int load_records(syndic_analysis *a, const syndic_batch *b, const syndic_textstore *ts,
                        size_t members)
{
    a->rec = syndic__reallocarray(NULL, members ? members : 1, sizeof *a->rec);
    a->rec_len = syndic__reallocarray(NULL, members ? members : 1, sizeof *a->rec_len);
    a->slot = syndic__reallocarray(NULL, members ? members : 1, sizeof *a->slot);
    if (!a->rec || !a->rec_len || !a->slot) return syndic__oom();
    bool spooled = syndic__textstore_spooled(ts);
    size_t total = 0, pos = 0;
    for (size_t i = a->first; i < a->first + a->story_count; i++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, i);
        for (uint32_t k = 0; k < cl->size; k++, pos++) {
            size_t len = syndic__textstore_len(ts, cl->members[k].doc);
            a->rec_len[pos] = (uint32_t)len;
            total += len;
        }
    }
    uint64_t *by_doc = syndic__reallocarray(NULL, members, sizeof *by_doc);
    a->text_buf = syndic__batch_buffer_take(b, total ? total : 1, &a->text_cap);
    if (!by_doc || !a->text_buf) {
        syndic__free(by_doc);
        return syndic__oom();
    }
    size_t at = 0;
    pos = 0;
    for (size_t i = a->first; i < a->first + a->story_count; i++) {
        const syndic_cluster *cl = syndic_batch_cluster_at(b, i);
        for (uint32_t k = 0; k < cl->size; k++, pos++) {
            a->slot[pos] = a->text_buf + at;
            at += a->rec_len[pos];
            a->rec[pos] = spooled ? a->slot[pos] : syndic__textstore_peek(ts, cl->members[k].doc, NULL);
            by_doc[pos] = (uint64_t)cl->members[k].doc << 32 | pos;
        }
    }
    if (!spooled) {
        syndic__free(by_doc);
        return SYNDIC_OK;
    }
    /* Spooled: the reads in document (= file) order, all of them asked for
     * first, so that records not in the page cache come from the disk many
     * at a time and in order. */
    int rc = syndic__sort_u64(by_doc, members);
    for (size_t m = 0; rc == SYNDIC_OK && m < members; m++)
        syndic__textstore_prefetch(ts, (size_t)(by_doc[m] >> 32));
    for (size_t m = 0; rc == SYNDIC_OK && m < members; m++) {
        size_t doc = (size_t)(by_doc[m] >> 32), at_pos = (uint32_t)by_doc[m];
        rc = syndic__textstore_read(ts, doc, a->slot[at_pos]);
    }
    syndic__free(by_doc);
    return rc;
}

int syndic_analysis_new(syndic_analysis **out, const syndic_batch *b)
{
    return syndic_analysis_new_range(out, b, 0, syndic_batch_cluster_count(b));
}

int syndic_analysis_new_range(syndic_analysis **out, const syndic_batch *b, size_t first,
                              size_t count)
{
    *out = NULL;
    size_t n = syndic_batch_cluster_count(b);
    if (syndic_batch_doc_count(b) && !n)
        return syndic__error(SYNDIC_EINVAL, "the batch is not clustered");
    const syndic_textstore *ts = syndic__batch_records(b);
    if (syndic_batch_doc_count(b) && !ts)
        return syndic__error(SYNDIC_EINVAL, "the batch did not keep its texts");
    if (first > n || count > n - first)
        return syndic__error(SYNDIC_EINVAL, "clusters %zu to %zu: the batch has %zu", first,
                             first + count, n);
    syndic_analysis *a = syndic__calloc(1, sizeof *a);
    scratch sc = {0};
    int rc = SYNDIC_OK;
    size_t item_count = 0, item_cap = 0, members = 0;
    if (!a) return syndic__oom();
    a->first = first;
    a->story_count = count;
    a->batch = b;
    for (size_t i = first; i < first + count; i++)
        members += syndic_batch_cluster_at(b, i)->size;
    a->stories = syndic__calloc(count ? count : 1, sizeof *a->stories);
    a->copies = syndic__calloc(members + 1, sizeof *a->copies);
    if (!a->stories || !a->copies) { rc = syndic__oom(); goto fail; }
    if (members && (rc = load_records(a, b, ts, members)) < 0) goto fail;
    unsigned workers = syndic_batch_threads(b);
    if (workers > 1 && count > 1) {
        if ((rc = analyse_threads(b, a, count, workers, &item_count, &item_cap)) < 0) goto fail;
    } else {
        if ((rc = analyse_range(&sc, b, a, first, count, 0, &a->items, &item_count,
                                &item_cap)) < 0)
            goto fail;
    }
    /* Offsets to pointers, now that the arrays stopped moving. */
    for (size_t i = 0; i < count; i++) {
        a->stories[i].copies = a->copies + (uintptr_t)a->stories[i].copies;
        syndic_copy *c = (syndic_copy *)(uintptr_t)a->stories[i].copies;
        for (uint32_t j = 0; j < a->stories[i].size; j++)
            c[j].diff = c[j].diff_count ? a->items + (uintptr_t)c[j].diff : NULL;
    }
    *out = a;
    goto done;
fail:
    syndic_analysis_free(a);
done:
    scratch_free(&sc);
    return rc;
}

void syndic_analysis_free(syndic_analysis *a)
{
    if (!a) return;
    syndic__free(a->stories);
    syndic__free(a->copies);
    syndic__free(a->items);
    syndic__free(a->rec);
    syndic__free(a->rec_len);
    syndic__free(a->slot);
    if (a->text_buf) syndic__batch_buffer_give(a->batch, a->text_buf, a->text_cap);
    syndic__free(a);
}

const syndic_story *syndic_analysis_story(const syndic_analysis *a, size_t i)
{
    return i >= a->first && i - a->first < a->story_count ? &a->stories[i - a->first] : NULL;
}
