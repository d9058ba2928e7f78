/*
 * batch.c - clustering a whole corpus at once.
 *
 * syndic_batch_add() sketches each document as it arrives and keeps only its
 * metadata and signature (K 32-bit values); the text is not kept. Then
 * syndic_batch_cluster() runs the rest of the pipeline:
 *
 *   signatures --LSH bands, sorted--> candidate pairs --verify--> edges
 *              --union-find--> components --sort--> clusters
 *
 * Verification: a candidate becomes an edge only when its estimated Jaccard
 * (share of equal signature values) is at least the threshold. Sharing one
 * band is weak evidence on its own: pipelines that take every shared band as
 * an edge chain unrelated documents into giant clusters.
 *
 * Determinism: the candidates, the edges and so the components depend only
 * on the documents' contents, never on the order of arrival. Members are
 * sorted by (date, id) and clusters by (size descending, representative's
 * date, id), so the output is the same for any input order. The one
 * exception is duplicate ids: the first one to arrive is kept.
 *
 * Documents without words are kept out of the index (see shingle.c) and are
 * always singletons.
 *
 * Threads (syndic_batch_options.threads): sketching is per document. With more
 * than one thread, syndic_batch_add() does the cheap in-order part on the
 * caller's thread (checks, the duplicate-id table, the document's index, its
 * metadata) and copies the text into a chunk; full chunks go to the pool's
 * workers (pool.c), each with its own sketcher and scratch. A worker writes
 * its results into the chunk; the caller's thread takes chunks back in
 * submission order and copies each result into its document's slots, so the
 * batch ends up byte for byte what one thread makes. At most 2 chunks per
 * worker are in flight (syndic_batch_add waits for one to come back), plus
 * the one being filled.
 */
#include "digest.h"
#include "intern.h"
#include "tset.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

typedef syndic_title_words title_words;

/* Threads: a chunk of documents to sketch, and its results. */
#define CHUNK_DOCS 256
#define CHUNK_BYTES ((size_t)4 << 20)

typedef struct chunk_doc {
    size_t text_off, text_len;   /* in chunk.input */
    size_t title_off, title_len; /* in chunk.input; has_title */
    bool has_title;
    uint64_t salt;               /* of its outlet, for templates */
    size_t rec_off, rec_len;     /* in chunk.records (b->records) */
    size_t span_off, span_count; /* in chunk.spans (learning) */
    uint32_t shingles, fp;
} chunk_doc;

typedef struct sketch_chunk {
    syndic_job job;              /* first: the pool hands back &job */
    uint32_t first, count;       /* documents [first, first + count) */
    syndic_buf input;            /* texts and titles, back to back */
    chunk_doc *docs;             /* chunk_docs entries */
    uint32_t *sigs;              /* chunk_docs * K values */
    syndic_numbers *numbers;
    title_words *titles;
    syndic_buf records;          /* documents' records, back to back */
    uint64_t normalized;         /* texts the worker normalized for it */
    syndic_key_span *spans;      /* documents' template keys (learning); their
                                    lines point into input, which does not
                                    move from submission to integrate */
    size_t span_count, span_cap;
    double seconds;              /* the worker's time on it */
} sketch_chunk;

/* What sketching a document needs beside the batch: one per thread. */
typedef struct sketch_worker {
    syndic_digest digest;
    syndic_words title;
    syndic_key_span *spans;
    size_t span_count, span_cap;
} sketch_worker;

typedef struct batch_threads {
    syndic_batch *owner;
    syndic_pool *pool;
    unsigned workers;
    sketch_worker *worker;       /* one per worker thread */
    sketch_chunk *chunks;        /* 2 * workers + 1 */
    sketch_chunk **spare;        /* chunks neither filling nor in flight */
    size_t spare_count;
    sketch_chunk *filling;       /* the chunk syndic_batch_add fills */
    size_t chunk_docs, chunk_bytes;
    int status;                  /* first failure (sticky), 0 = none */
    char message[512];
} batch_threads;

struct syndic_batch {
    syndic_params params;
    sketch_worker own;       /* the caller's thread's */
    syndic_buf rec;          /* scratch: one record */
    syndic_arena strings;
    syndic_doc_info *docs;
    size_t doc_count, doc_cap;
    uint32_t *sigs;          /* doc_count * K values */
    size_t sig_cap;          /* in documents */
    syndic_numbers *numbers; /* figures of each document */
    title_words *titles;     /* word hashes of each title (short texts) */
    const syndic_templates *templates; /* lines to drop, or NULL */
    syndic_templates *learner; /* learning in this pass (owned), or NULL */
    syndic_tset provisional; /* the lines that are templates by the counts so
                                far: the workers drop them already */
    syndic_textstore *keys;  /* each document's template keys (learning) */
    uint64_t *key_scratch;
    size_t key_scratch_cap;
    bool keep_texts;         /* records hold the raw text, for the analysis */
    bool spool;              /* records go to a file in spool_dir */
    char *spool_dir;
    /* Each document's digest record (digest.c), when kept texts or
     * learning need them after the pass; NULL otherwise. */
    syndic_textstore *records;
    syndic_arena text_cache; /* syndic_batch_text's kept texts */
    pthread_mutex_t buffer_lock; /* the analysis' reusable buffer */
    char *buffer;
    size_t buffer_cap;
    const char **text_cached;
    uint8_t *active;         /* 1 when the document has words */
    size_t active_cap;
    /* Open-addressing set of document indices keyed by id (for duplicates). */
    uint32_t *id_slots;      /* index + 1; 0 = empty */
    size_t id_slot_count;    /* a power of two */
    /* Outlets repeat in every document: one copy of each (a feed has
     * hundreds of outlets and millions of documents). */
    syndic_interner outlets;
    /* Results. */
    bool clustered;
    syndic_member *members;  /* all members, cluster by cluster */
    syndic_cluster *clusters;
    size_t cluster_count;
    syndic_batch_stats stats;
    /* Threads; NULL = sketch on the caller's thread. */
    batch_threads *thr;
    unsigned threads;
    int status;              /* a failure that leaves the batch unusable */
    char message[512];
    size_t chunk_docs, chunk_bytes; /* 0 = CHUNK_DOCS, CHUNK_BYTES */
};

static int set_threads(syndic_batch *b, unsigned n);
static int set_records(syndic_batch *b, bool keep, bool spool, const char *dir);

int syndic_batch_options_init(syndic_batch_options *options, unsigned version)
{
    if (!options) return syndic__error(SYNDIC_EINVAL, "batch options is NULL");
    if (version != SYNDIC_BATCH_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL, "batch options version %u, expected %u", version,
                             SYNDIC_BATCH_OPTIONS_VERSION);
    *options = (syndic_batch_options)SYNDIC_BATCH_OPTIONS_INIT;
    return SYNDIC_OK;
}

int syndic_batch_new(syndic_batch **out, const syndic_params *params,
                     const syndic_batch_options *options)
{
    *out = NULL;
    const syndic_batch_options defaults = SYNDIC_BATCH_OPTIONS_INIT;
    const syndic_batch_options *o = options ? options : &defaults;
    if (o->version != SYNDIC_BATCH_OPTIONS_VERSION)
        return syndic__error(SYNDIC_EINVAL,
                             "batch options of version %u, expected %u (use "
                             "SYNDIC_BATCH_OPTIONS_INIT or syndic_batch_options_init)",
                             o->version, SYNDIC_BATCH_OPTIONS_VERSION);
    if (o->templates && o->template_docs)
        return syndic__error(SYNDIC_EINVAL, "a batch either uses given templates or learns them");
    if (o->template_docs == 1)
        return syndic__error(SYNDIC_EINVAL, "template_docs must be 0 or at least 2");
    syndic_batch *b = syndic__calloc(1, sizeof *b);
    if (!b) return syndic__oom();
    pthread_mutex_init(&b->buffer_lock, NULL);
    b->params = *params;
    int rc = syndic_params_resolve(&b->params);
    if (rc < 0) goto fail;
    if ((o->keep_texts || o->spool) &&
        (rc = set_records(b, o->keep_texts != 0, o->spool != 0, o->spool_dir)) < 0)
        goto fail;
    /* Unfinished or empty templates have nothing to drop. */
    if (o->templates && syndic_templates_count(o->templates)) b->templates = o->templates;
    if (o->template_docs &&
        (rc = syndic_templates_new(&b->learner, &b->params, o->template_docs)) < 0)
        goto fail;
    if ((rc = set_threads(b, o->threads)) < 0) goto fail;
    *out = b;
    return SYNDIC_OK;
fail:
    syndic_batch_free(b);
    return rc;
}

static void threads_free(batch_threads *t);
static void worker_free(sketch_worker *w);

void syndic_batch_free(syndic_batch *b)
{
    if (!b) return;
    threads_free(b->thr);
    worker_free(&b->own);
    syndic__buf_free(&b->rec);
    syndic_templates_free(b->learner);
    syndic__tset_free(&b->provisional);
    syndic__textstore_free(b->keys);
    syndic__free(b->key_scratch);
    syndic__free(b->spool_dir);
    syndic__textstore_free(b->records);
    syndic__arena_free(&b->text_cache);
    syndic__free(b->buffer);
    pthread_mutex_destroy(&b->buffer_lock);
    syndic__free(b->text_cached);
    syndic__arena_free(&b->strings);
    syndic__free(b->docs);
    syndic__free(b->sigs);
    syndic__free(b->active);
    syndic__free(b->numbers);
    syndic__free(b->titles);
    syndic__free(b->id_slots);
    syndic__intern_free(&b->outlets);
    syndic__free(b->members);
    syndic__free(b->clusters);
    syndic__free(b);
}

static bool provisional_test(void *ctx, uint64_t key) { return syndic__tset_has(ctx, key); }

static int provisional_add(void *ctx, uint64_t key) { return syndic__tset_add(ctx, key); }

static void worker_free(sketch_worker *w)
{
    syndic__digest_free(&w->digest);
    syndic__words_free(&w->title);
    syndic__free(w->spans);
}

/* Everything kept of one document's text, from one digest (digest.c):
 * signature and shingle count, figures, headline words; with `rec`, its
 * record (appended: the raw text too when the batch keeps texts); with
 * `spans`, its template keys (the worker's spans) for the learner. The one
 * definition for the caller's thread and the workers, so that both give
 * the same bytes. */
static int sketch_one(const syndic_batch *b, sketch_worker *w, const char *text, size_t len,
                      uint64_t salt, const char *title, size_t title_len, uint32_t *sig,
                      uint32_t *shingles, uint32_t *fp, syndic_numbers *numbers,
                      syndic_title_words *headline, syndic_buf *rec, bool spans)
{
    syndic_digest *d = &w->digest;
    int rc = syndic__digest_text(d, text, len, salt, b->learner || b->templates);
    if (rc < 0) return rc;
    if (b->templates)
        syndic__digest_drop(d, syndic__templates_test, (void *)(uintptr_t)b->templates);
    else if (b->learner) /* the templates known so far (see apply_templates) */
        syndic__digest_drop(d, provisional_test, (void *)(uintptr_t)&b->provisional);
    if ((rc = syndic__digest_sketch(d, &b->params, sig, shingles, numbers)) < 0) return rc;
    *fp = d->fingerprint;
    if (rec && (rc = syndic__digest_pack(d, b->keep_texts, rec)) < 0) return rc;
    w->span_count = 0;
    if (spans && (rc = syndic__digest_key_spans(d, &w->spans, &w->span_count, &w->span_cap)) < 0)
        return rc;
    return syndic__title_fingerprint(&w->title, title, title_len, headline);
}

/* ---- threads ---- */

static void threads_free(batch_threads *t)
{
    if (!t) return;
    syndic__pool_free(t->pool); /* joins the workers first */
    if (t->worker)
        for (unsigned i = 0; i < t->workers; i++) worker_free(&t->worker[i]);
    if (t->chunks)
        for (unsigned i = 0; i < 2 * t->workers + 1; i++) {
            sketch_chunk *c = &t->chunks[i];
            syndic__buf_free(&c->input);
            syndic__buf_free(&c->records);
            syndic__free(c->spans);
            syndic__free(c->docs);
            syndic__free(c->sigs);
            syndic__free(c->numbers);
            syndic__free(c->titles);
        }
    syndic__free(t->worker);
    syndic__free(t->chunks);
    syndic__free(t->spare);
    syndic__free(t);
}

/* A worker: sketch every document of a chunk, as syndic_batch_add does on
 * one thread, writing the results into the chunk. */
static int sketch_chunk_run(void *ctx, unsigned worker, syndic_job *job)
{
    batch_threads *t = ctx;
    sketch_chunk *c = (sketch_chunk *)job;
    sketch_worker *w = &t->worker[worker];
    /* Fixed once the first document is added (before any chunk exists). */
    const syndic_batch *b = t->owner;
    const bool keep = b->records != NULL, learn = b->learner != NULL;
    const size_t k = b->params.num_hashes;
    double t0 = syndic__now();
    int rc = SYNDIC_OK;
    uint64_t normalized = w->digest.normalizations;
    c->records.len = 0;
    c->span_count = 0;
    for (uint32_t i = 0; i < c->count; i++) {
        chunk_doc *d = &c->docs[i];
        const char *text = c->input.data + d->text_off;
        d->rec_off = c->records.len;
        if ((rc = sketch_one(b, w, text, d->text_len, d->salt,
                             d->has_title ? c->input.data + d->title_off : NULL, d->title_len,
                             c->sigs + i * k, &d->shingles, &d->fp, &c->numbers[i],
                             &c->titles[i], keep ? &c->records : NULL, learn)) < 0)
            break;
        d->rec_len = c->records.len - d->rec_off;
        if ((rc = syndic__grow(&c->spans, &c->span_cap, c->span_count + w->span_count,
                               sizeof *c->spans)) < 0)
            break;
        d->span_off = c->span_count;
        d->span_count = w->span_count;
        if (w->span_count)
            memcpy(c->spans + c->span_count, w->spans, w->span_count * sizeof *w->spans);
        c->span_count += w->span_count;
    }
    c->seconds = syndic__now() - t0;
    c->normalized = w->digest.normalizations - normalized;
    return rc;
}

static int threads_error(const batch_threads *t)
{
    return syndic__error(t->status, "%s", t->message);
}

static void fail_threads(batch_threads *t, int status, const char *what, uint32_t doc)
{
    if (t->status < 0) return;
    t->status = status;
    snprintf(t->message, sizeof t->message, "%.300s (sketching document %lu, \"%.80s\")", what,
             (unsigned long)doc + 1, t->owner->docs[doc].id);
}

/* The in-order part of keeping document x, on the caller's thread: its
 * record stored, and when learning, its template keys counted (in input
 * order, so that the templates are the same for any number of threads) and
 * listed for the decision after the last document. */
static int keep_doc(syndic_batch *b, size_t x, const char *outlet, const char *rec,
                    size_t rec_len, const syndic_key_span *spans, size_t nspans, uint32_t fp)
{
    int rc;
    if (b->records && (rc = syndic__textstore_put(b->records, x, rec, rec_len)) < 0) return rc;
    if (!b->learner) return SYNDIC_OK;
    if ((rc = syndic__templates_count(b->learner, spans, nspans, fp, outlet, strlen(outlet),
                                      provisional_add, &b->provisional)) < 0) {
        /* The counts are half done: the batch cannot learn any more. */
        b->status = rc;
        snprintf(b->message, sizeof b->message, "%.400s (learning templates)", syndic_last_error());
        return rc;
    }
    if ((rc = syndic__grow(&b->key_scratch, &b->key_scratch_cap, nspans ? nspans : 1,
                           sizeof *b->key_scratch)) < 0)
        return rc;
    /* Listed: the keys of the lines it kept (apply_templates only asks
     * whether one is a template: no order needed). It was sketched without
     * the lines that were templates by the counts then; as templates are
     * never undone, it must be sketched again only if a line it kept
     * becomes one. */
    uint64_t *keys = b->key_scratch;
    size_t n = 0;
    for (size_t i = 0; i < nspans; i++)
        if (!spans[i].dropped) keys[n++] = spans[i].key;
    return syndic__textstore_put(b->keys, x, (const char *)keys, n * sizeof *keys);
}

/* On the caller's thread: copy a finished chunk's results into its
 * documents' slots, and make the chunk spare again. */
static void integrate(syndic_batch *b, sketch_chunk *c)
{
    batch_threads *t = b->thr;
    const size_t k = b->params.num_hashes;
    const bool ok = c->job.status >= 0;
    if (!ok) fail_threads(t, c->job.status, c->job.message, c->first);
    for (uint32_t i = 0; i < c->count; i++) {
        size_t x = (size_t)c->first + i;
        const chunk_doc *d = &c->docs[i];
        uint32_t shingles = 0;
        if (ok) {
            memcpy(b->sigs + x * k, c->sigs + i * k, k * sizeof *b->sigs);
            b->numbers[x] = c->numbers[i];
            b->titles[x] = c->titles[i];
            shingles = d->shingles;
        } else { /* never compared: the batch now refuses to cluster */
            for (size_t j = 0; j < k; j++) b->sigs[x * k + j] = UINT32_MAX;
            memset(&b->numbers[x], 0, sizeof b->numbers[x]);
            memset(&b->titles[x], 0, sizeof b->titles[x]);
        }
        b->docs[x].shingles = shingles;
        b->active[x] = shingles > 0;
        if (shingles == 0) b->stats.empty++;
        if (!ok || t->status < 0) continue;
        int rc = keep_doc(b, x, b->docs[x].outlet, c->records.data + d->rec_off, d->rec_len,
                          c->spans + d->span_off, d->span_count, d->fp);
        if (rc < 0) fail_threads(t, rc, syndic_last_error(), (uint32_t)x);
    }
    b->stats.seconds_sketch += c->seconds;
    b->stats.normalizations += c->normalized;
    c->count = 0;
    /* A huge document made the buffers grow: give the memory back. */
    if (c->input.cap > 2 * t->chunk_bytes) syndic__buf_free(&c->input);
    if (c->records.cap > 4 * t->chunk_bytes) syndic__buf_free(&c->records);
    t->spare[t->spare_count++] = c;
}

static int set_threads(syndic_batch *b, unsigned n)
{
    if (n == 0) n = syndic__online_cpus();
    if (n > SYNDIC_MAX_THREADS) n = SYNDIC_MAX_THREADS;
    threads_free(b->thr);
    b->thr = NULL;
    b->threads = 1;
    if (n == 1) return SYNDIC_OK;
    batch_threads *t = syndic__calloc(1, sizeof *t);
    if (!t) return syndic__oom();
    t->owner = b;
    t->workers = n;
    t->chunk_docs = b->chunk_docs ? b->chunk_docs : CHUNK_DOCS;
    t->chunk_bytes = b->chunk_bytes ? b->chunk_bytes : CHUNK_BYTES;
    const size_t k = b->params.num_hashes, nchunks = 2 * (size_t)n + 1;
    t->worker = syndic__calloc(n, sizeof *t->worker);
    t->chunks = syndic__calloc(nchunks, sizeof *t->chunks);
    t->spare = syndic__calloc(nchunks, sizeof *t->spare);
    int rc = SYNDIC_OK;
    if (!t->worker || !t->chunks || !t->spare) { rc = syndic__oom(); goto fail; }
    for (size_t i = 0; i < nchunks; i++) {
        sketch_chunk *c = &t->chunks[i];
        c->docs = syndic__reallocarray(NULL, t->chunk_docs, sizeof *c->docs);
        c->sigs = syndic__reallocarray(NULL, t->chunk_docs, k * sizeof *c->sigs);
        c->numbers = syndic__reallocarray(NULL, t->chunk_docs, sizeof *c->numbers);
        c->titles = syndic__reallocarray(NULL, t->chunk_docs, sizeof *c->titles);
        if (!c->docs || !c->sigs || !c->numbers || !c->titles) { rc = syndic__oom(); goto fail; }
        t->spare[t->spare_count++] = c;
    }
    /* normalize.c fills its tables under call_once, which ThreadSanitizer
     * cannot see through (glibc runs it in uninstrumented code): fill them
     * here, before the workers start, so that a race check stays quiet. */
    if ((rc = syndic__normalize(&t->worker[0].title, "", 0)) < 0) goto fail;
    if ((rc = syndic__pool_new(&t->pool, n, sketch_chunk_run, t)) < 0) goto fail;
    b->thr = t;
    b->threads = n;
    return SYNDIC_OK;
fail:
    threads_free(t);
    return rc;
}

int syndic__batch_set_chunk(syndic_batch *b, size_t docs, size_t bytes)
{
    if (b->doc_count)
        return syndic__error(SYNDIC_EINVAL, "chunks must be set before documents are added");
    b->chunk_docs = docs;
    b->chunk_bytes = bytes;
    /* Threads started by syndic_batch_new take the new size when started
     * again (nothing is queued before the first document). */
    return b->thr ? set_threads(b, b->threads) : SYNDIC_OK;
}

unsigned syndic_batch_threads(const syndic_batch *b) { return b->threads ? b->threads : 1; }

int syndic_batch_flush(syndic_batch *b)
{
    batch_threads *t = b->thr;
    if (t) {
        if (t->filling && t->filling->count) {
            syndic__pool_submit(t->pool, &t->filling->job);
            t->filling = NULL;
        }
        syndic_job *job;
        while ((job = syndic__pool_wait_oldest(t->pool))) integrate(b, (sketch_chunk *)job);
        if (t->status < 0) return threads_error(t);
    }
    if (b->status < 0) return syndic__error(b->status, "%s", b->message);
    /* Spooled records: what is buffered goes to the file, for the readers. */
    int rc = b->records ? syndic__textstore_seal(b->records) : SYNDIC_OK;
    if (rc == SYNDIC_OK && b->keys) rc = syndic__textstore_seal(b->keys);
    return rc;
}

/* Accessors that read what the workers compute wait for them first. */
static void settle(const syndic_batch *b)
{
    const batch_threads *t = b->thr;
    if (t && ((t->filling && t->filling->count) || syndic__pool_in_flight(t->pool)))
        (void)syndic_batch_flush(t->owner);
}

/* Queue document n for the workers: its text (and title) go into the chunk
 * being filled. Nothing is queued on failure. */
static int queue_doc(syndic_batch *b, uint32_t n, const char *text, size_t text_len,
                     uint64_t salt, const char *title, size_t title_len)
{
    batch_threads *t = b->thr;
    if (!t->filling) {
        while (!t->spare_count) {
            syndic_job *job = syndic__pool_wait_oldest(t->pool);
            if (!job) return syndic__error(SYNDIC_ERROR, "no chunk to sketch into");
            integrate(b, (sketch_chunk *)job);
        }
        if (t->status < 0) return threads_error(t);
        t->filling = t->spare[--t->spare_count];
        t->filling->first = n;
        t->filling->count = 0;
        t->filling->input.len = 0;
    }
    sketch_chunk *c = t->filling;
    size_t before = c->input.len;
    int rc = syndic__buf_append(&c->input, text, text_len);
    if (rc == SYNDIC_OK && title) rc = syndic__buf_append(&c->input, title, title_len);
    if (rc < 0) {
        c->input.len = before;
        return rc;
    }
    c->docs[c->count++] = (chunk_doc){.text_off = before, .text_len = text_len,
                                      .title_off = before + text_len, .title_len = title_len,
                                      .has_title = title != NULL, .salt = salt};
    return SYNDIC_OK;
}

/* After document n is in: a full chunk goes to the workers. */
static void submit_if_full(batch_threads *t)
{
    sketch_chunk *c = t->filling;
    if (c && (c->count >= t->chunk_docs || c->input.len >= t->chunk_bytes)) {
        syndic__pool_submit(t->pool, &c->job);
        t->filling = NULL;
    }
}

const syndic_params *syndic_batch_params(const syndic_batch *b) { return &b->params; }
size_t syndic_batch_doc_count(const syndic_batch *b) { return b->doc_count; }
const syndic_batch_stats *syndic_batch_get_stats(const syndic_batch *b)
{
    settle(b);
    return &b->stats;
}

const syndic_doc_info *syndic_batch_doc(const syndic_batch *b, size_t i)
{
    if (i >= b->doc_count) return NULL;
    settle(b);
    return &b->docs[i];
}

const uint32_t *syndic_batch_signature(const syndic_batch *b, size_t i)
{
    if (i >= b->doc_count) return NULL;
    settle(b);
    return b->sigs + i * b->params.num_hashes;
}

const syndic_templates *syndic_batch_templates(const syndic_batch *b)
{
    return b->learner ? (b->clustered ? b->learner : NULL) : b->templates;
}

/* Where a new batch's records go: memory, or a file in dir (NULL or "" =
 * $TMPDIR or /tmp). The store is made here, so that a bad directory is
 * reported by syndic_batch_new. */
static int set_records(syndic_batch *b, bool keep, bool spool, const char *dir)
{
    char *copy = NULL;
    syndic_textstore *store = NULL;
    if (spool && !(copy = syndic__strndup(dir ? dir : "", dir ? strlen(dir) : 0)))
        return syndic__oom();
    int rc = syndic__textstore_new(&store, spool ? copy : NULL);
    if (rc < 0) {
        syndic__free(copy);
        return rc;
    }
    b->records = store;
    b->spool = spool;
    b->spool_dir = copy;
    b->keep_texts = keep;
    return SYNDIC_OK;
}

/* The stores the settings ask for, before the first document: records for
 * learning (where set_records said, else memory) and each document's keys. */
static int open_stores(syndic_batch *b)
{
    if (!b->learner) return SYNDIC_OK;
    const char *dir = b->spool ? b->spool_dir : NULL;
    int rc;
    if (!b->records && (rc = syndic__textstore_new(&b->records, dir)) < 0) return rc;
    if (!b->keys && (rc = syndic__textstore_new(&b->keys, dir)) < 0) return rc;
    return SYNDIC_OK;
}

/* Kept text i: materialized from its record the first time it is asked
 * for (texts in memory only). */
const char *syndic_batch_text(const syndic_batch *b, size_t i, size_t *len)
{
    if (!b->keep_texts || i >= b->doc_count || syndic__textstore_spooled(b->records)) return NULL;
    if (b->learner && !b->clustered) return NULL; /* the templates are not known yet */
    settle(b);
    syndic_batch *m = (syndic_batch *)(uintptr_t)b; /* a cache, invisible to the caller */
    if (!m->text_cached) {
        m->text_cached = syndic__calloc(b->doc_count, sizeof *m->text_cached);
        if (!m->text_cached) return NULL;
    }
    if (!m->text_cached[i]) {
        size_t rlen;
        const char *rec = syndic__textstore_peek(b->records, i, &rlen);
        syndic_digest d = {0};
        syndic_buf content = {0};
        int rc = syndic__digest_unpack(&d, rec, rlen);
        if (rc == SYNDIC_OK && b->templates)
            syndic__digest_drop(&d, syndic__templates_test, (void *)(uintptr_t)b->templates);
        if (rc == SYNDIC_OK) rc = syndic__digest_content(&d, &content);
        if (rc == SYNDIC_OK)
            m->text_cached[i] = syndic__arena_strndup(&m->text_cache, content.data, content.len);
        syndic__digest_free(&d);
        syndic__buf_free(&content);
        if (!m->text_cached[i]) return NULL;
    }
    if (len) *len = strlen(m->text_cached[i]);
    return m->text_cached[i];
}

const syndic_textstore *syndic__batch_records(const syndic_batch *b)
{
    if (!b->keep_texts) return NULL;
    settle(b);
    return b->records;
}

const syndic_templates *syndic__batch_drop_set(const syndic_batch *b)
{
    return b->templates;
}

char *syndic__batch_buffer_take(const syndic_batch *b, size_t size, size_t *cap)
{
    syndic_batch *m = (syndic_batch *)(uintptr_t)b; /* the cache is not the batch's state */
    pthread_mutex_lock(&m->buffer_lock);
    char *buf = m->buffer;
    size_t have = m->buffer_cap;
    m->buffer = NULL;
    m->buffer_cap = 0;
    pthread_mutex_unlock(&m->buffer_lock);
    if (buf && have >= size) {
        *cap = have;
        return buf;
    }
    syndic__free(buf);
    /* Some room to grow: the next range is rarely smaller by much. */
    size_t want = size + size / 4;
    if (!(buf = syndic__malloc(want))) return NULL;
    *cap = want;
    return buf;
}

void syndic__batch_buffer_give(const syndic_batch *b, char *buf, size_t cap)
{
    syndic_batch *m = (syndic_batch *)(uintptr_t)b;
    pthread_mutex_lock(&m->buffer_lock);
    if (!m->buffer || m->buffer_cap < cap) {
        char *old = m->buffer;
        m->buffer = buf;
        m->buffer_cap = cap;
        buf = old;
    }
    pthread_mutex_unlock(&m->buffer_lock);
    syndic__free(buf);
}

static uint64_t id_hash(const char *s, size_t len) { return XXH3_64bits(s, len); }

/* The batch's one copy of an outlet name (NULL: out of memory). */
static const char *intern_outlet(syndic_batch *b, const char *s, size_t len)
{
    uint32_t index;
    if (syndic__intern(&b->outlets, s, len, &index) < 0) return NULL;
    return syndic__interned(&b->outlets, index);
}

/* Finds the slot for id; *found tells whether it holds that id. */
static size_t id_slot(const syndic_batch *b, const char *id, size_t len, bool *found)
{
    size_t mask = b->id_slot_count - 1;
    size_t i = (size_t)id_hash(id, len) & mask;
    for (;;) {
        uint32_t v = b->id_slots[i];
        if (v == 0) { *found = false; return i; }
        const char *other = b->docs[v - 1].id;
        if (strlen(other) == len && memcmp(other, id, len) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int id_rehash(syndic_batch *b)
{
    size_t count = b->id_slot_count ? b->id_slot_count * 2 : 1024;
    uint32_t *slots = syndic__calloc(count, sizeof *slots);
    if (!slots) return syndic__oom();
    syndic__free(b->id_slots);
    b->id_slots = slots;
    b->id_slot_count = count;
    for (size_t d = 0; d < b->doc_count; d++) {
        bool found;
        const char *id = b->docs[d].id;
        size_t i = id_slot(b, id, strlen(id), &found);
        b->id_slots[i] = (uint32_t)d + 1;
    }
    return SYNDIC_OK;
}

int syndic_batch_add(syndic_batch *b, const syndic_doc *doc)
{
    if (b->clustered)
        return syndic__error(SYNDIC_EINVAL, "documents cannot be added after clustering");
    if (b->thr && b->thr->status < 0) return threads_error(b->thr);
    if (b->status < 0) return syndic__error(b->status, "%s", b->message);
    if (!doc || !doc->id || !doc->text)
        return syndic__error(SYNDIC_EINVAL, "a document needs an id and a text");
    if (b->doc_count >= UINT32_MAX - 1)
        return syndic__error(SYNDIC_EINVAL, "too many documents for one batch");
    size_t id_len = syndic__field_len(doc->id, doc->id_len);
    size_t text_len = syndic__field_len(doc->text, doc->text_len);
    if (id_len == 0)
        return syndic__error(SYNDIC_EINVAL, "a document id must not be empty");
    int rc;
    if (!b->doc_count && (rc = open_stores(b)) < 0) return rc;
    if ((b->doc_count + 1) * 2 > b->id_slot_count && (rc = id_rehash(b)) < 0) return rc;
    bool found;
    size_t slot = id_slot(b, doc->id, id_len, &found);
    if (found) {
        b->stats.duplicate_ids++;
        return syndic__error(SYNDIC_EDUPLICATE, "duplicate id \"%.*s\"",
                             (int)(id_len > 200 ? 200 : id_len), doc->id);
    }
    const size_t k = b->params.num_hashes;
    size_t n = b->doc_count;
    if ((rc = syndic__grow(&b->docs, &b->doc_cap, n + 1, sizeof *b->docs)) < 0) return rc;
    if ((rc = syndic__grow(&b->active, &b->active_cap, n + 1, 1)) < 0) return rc;
    if (n + 1 > b->sig_cap) {
        size_t cap = b->sig_cap ? b->sig_cap * 2 : 1024;
        uint32_t *s = syndic__reallocarray(b->sigs, cap, k * sizeof *s);
        if (!s) return syndic__oom();
        b->sigs = s;
        syndic_numbers *nums = syndic__reallocarray(b->numbers, cap, sizeof *nums);
        if (!nums) return syndic__oom();
        b->numbers = nums;
        title_words *tw = syndic__reallocarray(b->titles, cap, sizeof *tw);
        if (!tw) return syndic__oom();
        b->titles = tw;
        b->sig_cap = cap;
    }
    syndic_doc_info *info = &b->docs[n];
    memset(info, 0, sizeof *info);
    uint32_t shingles = 0, fp = 0;
    size_t outlet_len = syndic__field_len(doc->outlet, doc->outlet_len);
    size_t title_len = syndic__field_len(doc->title, doc->title_len);
    uint64_t salt = b->templates || b->learner ? syndic__outlet_salt(doc->outlet, outlet_len) : 0;
    if (!b->thr) { /* sketch here; with threads, a worker does (queue_doc) */
        double t0 = syndic__now();
        b->rec.len = 0;
        if ((rc = sketch_one(b, &b->own, doc->text, text_len, salt, doc->title, title_len,
                             b->sigs + n * k, &shingles, &fp, &b->numbers[n], &b->titles[n],
                             b->records ? &b->rec : NULL, b->learner != NULL)) < 0)
            return rc;
        b->stats.seconds_sketch += syndic__now() - t0;
        b->stats.normalizations++;
    }
    const char *fields[5] = {doc->id, doc->outlet, doc->date, doc->title, doc->url};
    size_t lens[5] = {id_len, outlet_len, syndic__field_len(doc->date, doc->date_len), title_len,
                      syndic__field_len(doc->url, doc->url_len)};
    const char *copies[5];
    for (int i = 0; i < 5; i++) {
        copies[i] = i == 1 ? intern_outlet(b, fields[1] ? fields[1] : "", fields[1] ? lens[1] : 0)
                           : syndic__arena_strndup(&b->strings, fields[i] ? fields[i] : "",
                                                   fields[i] ? lens[i] : 0);
        if (!copies[i]) return syndic__oom();
    }
    /* The last step that can fail: nothing of the document is kept before
     * (but the learner's counts, when they fail half done: see keep_doc). */
    if (b->thr && (rc = queue_doc(b, (uint32_t)n, doc->text, text_len, salt, doc->title,
                                  title_len)) < 0)
        return rc;
    if (!b->thr && (rc = keep_doc(b, n, copies[1], b->rec.data, b->rec.len, b->own.spans,
                                  b->own.span_count, fp)) < 0)
        return rc;
    info->id = copies[0];
    info->outlet = copies[1];
    info->date = copies[2];
    info->title = copies[3];
    info->url = copies[4];
    info->has_time = lens[2] && syndic_date_parse(&info->time, copies[2], lens[2]) == SYNDIC_OK;
    info->shingles = shingles; /* with threads: set when the chunk comes back */
    info->input_index = (uint32_t)n;
    b->active[n] = shingles > 0;
    b->id_slots[slot] = (uint32_t)n + 1;
    b->doc_count = n + 1;
    b->stats.documents++;
    b->stats.bytes += text_len;
    if (b->thr) submit_if_full(b->thr);
    else if (shingles == 0) b->stats.empty++;
    return SYNDIC_OK;
}

/* ---- ordering: documents by (dated first, time, id), content only ---- */

static _Thread_local const syndic_doc_info *sort_docs;

static int doc_order(uint32_t a, uint32_t b)
{
    const syndic_doc_info *x = &sort_docs[a], *y = &sort_docs[b];
    if (x->has_time != y->has_time) return x->has_time ? -1 : 1;
    if (x->has_time && x->time != y->time) return x->time < y->time ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int cmp_doc(const void *a, const void *b)
{
    return doc_order(*(const uint32_t *)a, *(const uint32_t *)b);
}

static int cmp_member(const void *a, const void *b)
{
    return doc_order(((const syndic_member *)a)->doc, ((const syndic_member *)b)->doc);
}

static int cmp_cluster(const void *a, const void *b)
{
    const syndic_cluster *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return doc_order(x->members[0].doc, y->members[0].doc);
}

/* A verified pair. `lo` and `hi` are ranks in the document order, so that
 * sorting edges never depends on the order of arrival. */
typedef struct edge { uint32_t same, lo, hi; } edge;

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->same != y->same) return x->same > y->same ? -1 : 1;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return (x->hi > y->hi) - (x->hi < y->hi);
}

#define GUARD_CHECKS 512

static syndic_evdoc evdoc(const syndic_batch *b, uint32_t x)
{
    const syndic_doc_info *d = &b->docs[x];
    return (syndic_evdoc){b->sigs + (size_t)x * b->params.num_hashes,
                          b->active[x] ? d->shingles : 0, d->has_time != 0, d->time,
                          d->outlet, &b->numbers[x], &b->titles[x]};
}

/* The verification of one candidate pair (evidence.c): both texts have
 * words; estimated Jaccard at the threshold; enough shared text; dates that
 * allow one story; figures that agree. `same` gets the number of equal
 * values. */
static syndic_pair_verdict verify_pair(const syndic_batch *b, uint32_t x, uint32_t y,
                                  uint32_t *same)
{
    syndic_evdoc dx = evdoc(b, x), dy = evdoc(b, y);
    return syndic__verify(&b->params, &dx, &dy, same);
}

/* Verification, as the candidates come: the LSH stage hands over blocks of
 * new pairs (lsh.c) and each block becomes a job for the batch's threads,
 * while the caller's thread goes on finding pairs. Jobs keep their own edges
 * and refusal counts and are taken back in the order they were made, so the
 * edges come out as on one thread; with one thread a block is verified at
 * once. No array of all candidate pairs exists (18 per document at 1M
 * documents: 144 MB). */
typedef struct verify_job {
    syndic_job job; /* first: the pool hands back &job */
    uint64_t *pairs; /* a copy of the block */
    size_t npairs;
    edge *edges;
    size_t count, cap;
    uint64_t refused_short, refused_time, refused_numbers;
} verify_job;

typedef struct verify_pipe {
    syndic_batch *b;
    const uint32_t *rank; /* document -> its place in (time, id) order */
    syndic_pool *pool;    /* NULL: verify on the caller's thread */
    verify_job *jobs;     /* 2 per worker */
    size_t njobs, submitted;
    verify_job one;       /* the caller's thread's job */
    edge *edges;
    size_t edge_count, edge_cap;
    char message[256];    /* a worker's failure */
} verify_pipe;

static int verify_range(const syndic_batch *b, const uint32_t *rank, const uint64_t *pairs,
                        size_t npairs, verify_job *j)
{
    j->count = 0;
    j->refused_short = j->refused_time = j->refused_numbers = 0;
    for (size_t i = 0; i < npairs; i++) {
        uint32_t x = (uint32_t)(pairs[i] >> 32), y = (uint32_t)pairs[i];
        uint32_t same;
        switch (verify_pair(b, x, y, &same)) {
        case SYNDIC_MATCH: break;
        case SYNDIC_TOO_LITTLE_SHARED: j->refused_short++; continue;
        case SYNDIC_TOO_FAR_APART: j->refused_time++; continue;
        case SYNDIC_FIGURES_DISAGREE: j->refused_numbers++; continue;
        default: continue;
        }
        int rc = syndic__grow(&j->edges, &j->cap, j->count + 1, sizeof *j->edges);
        if (rc < 0) return rc;
        uint32_t rx = rank[x], ry = rank[y];
        j->edges[j->count++] = (edge){same, rx < ry ? rx : ry, rx < ry ? ry : rx};
    }
    return SYNDIC_OK;
}

static int verify_job_run(void *ctx, unsigned worker, syndic_job *job)
{
    (void)worker;
    verify_pipe *v = ctx;
    verify_job *j = (verify_job *)job;
    return verify_range(v->b, v->rank, j->pairs, j->npairs, j);
}

/* A finished job's edges after the earlier ones (the caller's thread). */
static int take_job(verify_pipe *v, verify_job *j)
{
    int rc = syndic__grow(&v->edges, &v->edge_cap, v->edge_count + j->count, sizeof *v->edges);
    if (rc < 0) return rc;
    if (j->count) memcpy(v->edges + v->edge_count, j->edges, j->count * sizeof *v->edges);
    v->edge_count += j->count;
    v->b->stats.refused_short += j->refused_short;
    v->b->stats.refused_time += j->refused_time;
    v->b->stats.refused_numbers += j->refused_numbers;
    return SYNDIC_OK;
}

/* Takes the oldest job back. */
static int take_oldest(verify_pipe *v)
{
    verify_job *j = (verify_job *)syndic__pool_wait_oldest(v->pool);
    if (!j) return SYNDIC_OK;
    if (j->job.status < 0) {
        snprintf(v->message, sizeof v->message, "%s", j->job.message);
        return j->job.status;
    }
    return take_job(v, j);
}

static int verify_block(void *ctx, const uint64_t *pairs, size_t count)
{
    verify_pipe *v = ctx;
    int rc;
    if (!v->pool) {
        if ((rc = verify_range(v->b, v->rank, pairs, count, &v->one)) < 0) return rc;
        return take_job(v, &v->one);
    }
    if (syndic__pool_in_flight(v->pool) == v->njobs && (rc = take_oldest(v)) < 0) return rc;
    verify_job *j = &v->jobs[v->submitted++ % v->njobs];
    if (!j->pairs && !(j->pairs = syndic__reallocarray(NULL, SYNDIC__PAIR_BLOCK, sizeof *j->pairs)))
        return syndic__oom();
    memcpy(j->pairs, pairs, count * sizeof *pairs);
    j->npairs = count;
    syndic__pool_submit(v->pool, &j->job);
    return SYNDIC_OK;
}

/* Candidates and their verification; the edges in v->edges. */
static int candidates_verified(syndic_batch *b, const uint32_t *rank, syndic_candidates *cand,
                               verify_pipe *v)
{
    const syndic_params *p = &b->params;
    unsigned workers = syndic_batch_threads(b);
    int rc = SYNDIC_OK;
    *v = (verify_pipe){.b = b, .rank = rank};
    if (workers > 1) {
        v->njobs = 2 * (size_t)workers;
        if (!(v->jobs = syndic__calloc(v->njobs, sizeof *v->jobs))) return syndic__oom();
        if ((rc = syndic__pool_new(&v->pool, workers, verify_job_run, v)) < 0) return rc;
    }
    rc = syndic__lsh_candidates(cand, b->sigs, b->active, (uint32_t)b->doc_count, p,
                                verify_block, v);
    /* The jobs still in flight: taken back, or drained after a failure. */
    while (v->pool && syndic__pool_in_flight(v->pool)) {
        int r = take_oldest(v);
        if (rc == SYNDIC_OK) rc = r;
    }
    if (rc < 0 && v->message[0]) return syndic__error(rc, "%s", v->message);
    return rc;
}

static void verify_pipe_free(verify_pipe *v)
{
    syndic__pool_free(v->pool);
    if (v->jobs)
        for (size_t i = 0; i < v->njobs; i++) {
            syndic__free(v->jobs[i].pairs);
            syndic__free(v->jobs[i].edges);
        }
    syndic__free(v->jobs);
    syndic__free(v->one.edges);
    syndic__free(v->edges);
}

const char *syndic_pair_verdict_name(syndic_pair_verdict v)
{
    static const char *names[] = {"match", "no_words", "below_threshold",
                                  "too_little_shared", "too_far_apart",
                                  "figures_disagree"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "unknown";
}

int syndic_batch_explain(syndic_evidence *out, const syndic_batch *b, size_t i, size_t j)
{
    if (i >= b->doc_count || j >= b->doc_count)
        return syndic__error(SYNDIC_EINVAL, "document index out of range");
    settle(b);
    if (b->thr && b->thr->status < 0) return threads_error(b->thr);
    syndic_evdoc x = evdoc(b, (uint32_t)i), y = evdoc(b, (uint32_t)j);
    syndic__evidence(&b->params, &x, &y, out);
    return SYNDIC_OK;
}

/* ---- union-find with path halving; each root knows its representative,
 * the earliest member in the document order ---- */

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* ---- templates learned in the pass ----
 *
 * The learner counts every document's short lines as they come, in input
 * order (keep_doc). A line becomes a template once its counts satisfy the
 * rule, and more counts never undo that; so the workers already drop the
 * lines that are templates by the counts so far (`provisional`, a set they
 * read while the caller's thread adds to it). After the last document the
 * learner decides; a document whose kept lines include a line that became a
 * template later than its sketch (the first documents of each outlet,
 * mostly) is sketched again from its record (digest.c): its words without
 * those lines, shingled and sketched, with no text read or normalized
 * again. The result is that of deciding first and sketching after, whatever
 * the order or the threads: the clusters do not depend on either. Jobs of
 * consecutive documents run on the batch's threads; each writes only its
 * own documents' slots. */
#define RESKETCH_DOCS 256

typedef struct resketch_job {
    syndic_job job;   /* first: the pool hands back &job */
    const uint32_t *docs;
    size_t count;
} resketch_job;

typedef struct resketch_ctx {
    syndic_batch *b;
    sketch_worker *worker; /* one per thread */
    syndic_buf *buf;
} resketch_ctx;

static int resketch_range(syndic_batch *b, sketch_worker *w, syndic_buf *buf,
                          const uint32_t *docs, size_t count)
{
    const size_t k = b->params.num_hashes;
    int rc = SYNDIC_OK;
    for (size_t i = 0; i < count && rc == SYNDIC_OK; i++) {
        size_t x = docs[i], len = syndic__textstore_len(b->records, x);
        buf->len = 0;
        if ((rc = syndic__grow(&buf->data, &buf->cap, len + 1, 1)) < 0) break;
        if ((rc = syndic__textstore_read(b->records, x, buf->data)) < 0) break;
        if ((rc = syndic__digest_unpack(&w->digest, buf->data, len)) < 0) break;
        syndic__digest_drop(&w->digest, syndic__templates_test, (void *)(uintptr_t)b->templates);
        uint32_t shingles;
        if ((rc = syndic__digest_sketch(&w->digest, &b->params, b->sigs + x * k, &shingles,
                                        &b->numbers[x])) < 0)
            break;
        b->docs[x].shingles = shingles;
        b->active[x] = shingles > 0;
    }
    return rc;
}

static int resketch_job_run(void *ctx, unsigned worker, syndic_job *job)
{
    resketch_ctx *r = ctx;
    resketch_job *j = (resketch_job *)job;
    return resketch_range(r->b, &r->worker[worker], &r->buf[worker], j->docs, j->count);
}

typedef struct resketch_stream { const uint32_t *docs; size_t count, next; } resketch_stream;

static bool fill_resketch_job(void *ctx, syndic_job *job)
{
    resketch_stream *s = ctx;
    resketch_job *j = (resketch_job *)job;
    if (s->next >= s->count) return false;
    j->docs = s->docs + s->next;
    j->count = s->count - s->next < RESKETCH_DOCS ? s->count - s->next : RESKETCH_DOCS;
    s->next += j->count;
    return true;
}

static int resketch(syndic_batch *b, const uint32_t *docs, size_t count)
{
    unsigned workers = syndic_batch_threads(b);
    syndic_buf one = {0};
    if (workers == 1 || count <= RESKETCH_DOCS) {
        int rc = resketch_range(b, &b->own, &one, docs, count);
        syndic__buf_free(&one);
        return rc;
    }
    resketch_ctx r = {b, syndic__calloc(workers, sizeof *r.worker),
                      syndic__calloc(workers, sizeof *r.buf)};
    const size_t njobs = 2 * (size_t)workers;
    resketch_job *jobs = syndic__calloc(njobs, sizeof *jobs);
    resketch_stream stream = {docs, count, 0};
    syndic_pool *pool = NULL;
    int rc = SYNDIC_OK;
    if (!r.worker || !r.buf || !jobs) { rc = syndic__oom(); goto out; }
    if ((rc = syndic__pool_new(&pool, workers, resketch_job_run, &r)) < 0) goto out;
    rc = syndic__pool_stream(pool, jobs, sizeof *jobs, njobs, fill_resketch_job, NULL, &stream);
out:
    syndic__pool_free(pool);
    if (r.worker)
        for (unsigned i = 0; i < workers; i++) worker_free(&r.worker[i]);
    if (r.buf)
        for (unsigned i = 0; i < workers; i++) syndic__buf_free(&r.buf[i]);
    syndic__free(r.worker);
    syndic__free(r.buf);
    syndic__free(jobs);
    return rc;
}

static int apply_templates(syndic_batch *b)
{
    double t0 = syndic__now();
    int rc = syndic_templates_finish(b->learner);
    if (rc < 0) return rc;
    b->templates = syndic_templates_count(b->learner) ? b->learner : NULL;
    uint32_t *stale = NULL; /* documents to sketch again */
    size_t nstale = 0, cap = 0;
    uint64_t *keys = NULL;
    size_t key_cap = 0;
    for (size_t x = 0; b->templates && x < b->doc_count; x++) {
        size_t n = syndic__textstore_len(b->keys, x) / sizeof *keys;
        if (!n) continue;
        if ((rc = syndic__grow(&keys, &key_cap, n, sizeof *keys)) < 0) goto out;
        if ((rc = syndic__textstore_read(b->keys, x, (char *)keys)) < 0) goto out;
        bool hit = false;
        for (size_t i = 0; i < n && !hit; i++) hit = syndic__templates_has(b->templates, keys[i]);
        if (!hit) continue;
        if ((rc = syndic__grow(&stale, &cap, nstale + 1, sizeof *stale)) < 0) goto out;
        stale[nstale++] = (uint32_t)x;
    }
    if (nstale && (rc = resketch(b, stale, nstale)) < 0) goto out;
    b->stats.resketched = nstale;
    b->stats.empty = 0;
    for (size_t x = 0; x < b->doc_count; x++) b->stats.empty += !b->active[x];
out:
    if (rc == SYNDIC_OK) { /* each document's keys are no longer needed */
        syndic__textstore_free(b->keys);
        b->keys = NULL;
    }
    syndic__free(stale);
    syndic__free(keys);
    b->stats.seconds_templates = syndic__now() - t0;
    return rc;
}

int syndic_batch_cluster(syndic_batch *b)
{
    if (b->clustered) return syndic__error(SYNDIC_EINVAL, "the batch is already clustered");
    int rc = syndic_batch_flush(b);
    if (rc < 0) return rc;
    if (b->learner && b->keys && (rc = apply_templates(b)) < 0) return rc;
    b->stats.normalizations_per_doc =
        b->doc_count ? (double)b->stats.normalizations / (double)b->doc_count : 0.0;
    const uint32_t n = (uint32_t)b->doc_count;
    const unsigned k = b->params.num_hashes;
    const syndic_params *p = &b->params;
    uint32_t *parent = NULL, *size = NULL, *start = NULL, *order = NULL, *rank = NULL;
    uint32_t *rep = NULL, *next = NULL;
    edge *edges = NULL;
    size_t edge_count = 0;
    syndic_candidates cand = {0};
    verify_pipe pipe;
    sort_docs = b->docs;
    /* A call after a failed one (out of memory, say) starts afresh. */
    syndic__free(b->members);
    syndic__free(b->clusters);
    b->members = NULL;
    b->clusters = NULL;
    syndic_batch_stats *st = &b->stats;
    st->candidates = st->edges = st->refused_time = st->refused_short = 0;
    st->refused_numbers = st->refused_guard = st->skipped_buckets = 0;
    st->skipped_bucket_docs = st->clusters = st->clustered_docs = st->largest_cluster = 0;

    double t0 = syndic__now();
    size_t alloc_n = n ? n : 1;
    parent = syndic__reallocarray(NULL, alloc_n, sizeof *parent);
    size = syndic__reallocarray(NULL, alloc_n, sizeof *size);
    rep = syndic__reallocarray(NULL, alloc_n, sizeof *rep);
    next = syndic__reallocarray(NULL, alloc_n, sizeof *next);
    order = syndic__reallocarray(NULL, alloc_n, sizeof *order);
    rank = syndic__reallocarray(NULL, alloc_n, sizeof *rank);
    start = syndic__calloc((size_t)n + 1, sizeof *start);
    b->members = syndic__reallocarray(NULL, alloc_n, sizeof *b->members);
    if (!parent || !size || !rep || !next || !order || !rank || !start || !b->members) {
        rc = syndic__oom();
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) order[i] = i;
    qsort(order, n, sizeof *order, cmp_doc);
    for (uint32_t i = 0; i < n; i++) rank[order[i]] = i;

    /* Candidates, each verified as it comes (see verify_pair), on the
     * batch's threads. */
    rc = candidates_verified(b, rank, &cand, &pipe);
    edges = pipe.edges;
    edge_count = pipe.edge_count;
    pipe.edges = NULL;
    verify_pipe_free(&pipe);
    if (rc < 0) goto out;
    b->stats.candidates = cand.count;
    b->stats.skipped_buckets = cand.skipped_buckets;
    b->stats.skipped_bucket_docs = cand.skipped_bucket_docs;
    double t1 = syndic__now();
    b->stats.seconds_candidates = t1 - t0;

    /* Strongest edges first (Kruskal order). Two clusters merge only when
     * their representatives are themselves compatible: close enough in time,
     * and similar at guard x threshold. Plain single linkage would let a run
     * of moderately similar templated reports (each like the next) chain into
     * one giant cluster; the guard keeps every cluster anchored to its
     * representative, while copies of copies still join through the strong
     * edges that are merged first. */
    if (edge_count) qsort(edges, edge_count, sizeof *edges, cmp_edge);
    /* A pair emitted twice (a band-key collision, see lsh.c) is one edge. */
    size_t unique = 0;
    for (size_t i = 0; i < edge_count; i++)
        if (!unique || edges[i].lo != edges[unique - 1].lo || edges[i].hi != edges[unique - 1].hi)
            edges[unique++] = edges[i];
    edge_count = unique;
    b->stats.edges = edge_count;
    for (uint32_t i = 0; i < n; i++) { parent[i] = i; size[i] = 1; rep[i] = i; next[i] = i; }
    for (size_t i = 0; i < edge_count; i++) {
        uint32_t x = find(parent, order[edges[i].lo]), y = find(parent, order[edges[i].hi]);
        if (x == y) continue;
        /* The merged cluster keeps the earlier representative; every member
         * of the other cluster must pass the chaining guard with it (at most
         * GUARD_CHECKS of them are checked, in list order, to bound the cost
         * on huge clusters). */
        uint32_t keep = rank[rep[x]] < rank[rep[y]] ? x : y, other = keep == x ? y : x;
        uint32_t r = rep[keep];
        syndic_evdoc rd = evdoc(b, r);
        bool ok = true;
        uint32_t m = other, checked = 0;
        do {
            syndic_evdoc md = evdoc(b, m);
            ok = syndic__guard_ok(p, &rd, &md);
            m = next[m];
        } while (ok && m != other && ++checked < GUARD_CHECKS);
        if (!ok) {
            b->stats.refused_guard++;
            continue;
        }
        /* Splice the two circular member lists and link the roots. */
        uint32_t t = next[x]; next[x] = next[y]; next[y] = t;
        if (size[x] < size[y]) { t = x; x = y; y = t; }
        parent[y] = x;
        size[x] += size[y];
        rep[x] = r;
    }
    double t2 = syndic__now();
    b->stats.seconds_verify = t2 - t1;

    /* Group members by root (counting sort), then order everything. */
    for (uint32_t i = 0; i < n; i++) start[find(parent, i) + 1]++;
    size_t clusters = 0;
    for (uint32_t i = 0; i < n; i++) clusters += start[i + 1] > 0;
    for (uint32_t i = 0; i < n; i++) start[i + 1] += start[i];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = find(parent, i);
        b->members[start[r]++] = (syndic_member){i, 1.0};
    }
    b->clusters = syndic__reallocarray(NULL, clusters ? clusters : 1, sizeof *b->clusters);
    if (!b->clusters) { rc = syndic__oom(); goto out; }
    size_t c = 0, pos = 0;
    while (pos < n) {
        uint32_t r = find(parent, b->members[pos].doc);
        uint32_t sz = size[r];
        syndic_member *m = b->members + pos;
        qsort(m, sz, sizeof *m, cmp_member);
        const uint32_t *rs = b->sigs + (size_t)m[0].doc * k;
        for (uint32_t j = 1; j < sz; j++)
            m[j].jaccard = syndic_signature_jaccard(rs, b->sigs + (size_t)m[j].doc * k, k);
        b->clusters[c++] = (syndic_cluster){sz, m};
        if (sz > 1) {
            b->stats.clusters++;
            b->stats.clustered_docs += sz;
        }
        if (sz > b->stats.largest_cluster) b->stats.largest_cluster = sz;
        pos += sz;
    }
    qsort(b->clusters, c, sizeof *b->clusters, cmp_cluster);
    b->cluster_count = c;
    b->clustered = true;
    b->stats.seconds_cluster = syndic__now() - t2;
    rc = SYNDIC_OK;
out:
    sort_docs = NULL;
    syndic__free(edges);
    syndic__free(parent);
    syndic__free(size);
    syndic__free(rep);
    syndic__free(next);
    syndic__free(order);
    syndic__free(rank);
    syndic__free(start);
    return rc;
}

size_t syndic_batch_cluster_count(const syndic_batch *b)
{
    return b->clustered ? b->cluster_count : 0;
}

const syndic_cluster *syndic_batch_cluster_at(const syndic_batch *b, size_t i)
{
    return b->clustered && i < b->cluster_count ? &b->clusters[i] : NULL;
}
