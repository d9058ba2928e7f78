/*
 * internal.h - declarations shared between the library's modules.
 *
 * Nothing here is part of the public API. Cross-module functions use the
 * syndic__ prefix (double underscore), after libgit2.
 */
#ifndef SYNDIC_INTERNAL_H
#define SYNDIC_INTERNAL_H

#include "syndic.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of a syndic_doc field: its len, or 0 when the pointer is NULL
 * (absent). A length of 0 is an empty string (include/syndic.h). */
static inline size_t syndic__field_len(const char *s, size_t len) { return s ? len : 0; }

/* ---- alloc.c: every allocation goes through here, so tests can make the
 * Nth one fail and check that each caller reports SYNDIC_ENOMEM. */
void *syndic__malloc(size_t size);
void *syndic__calloc(size_t count, size_t size);
void *syndic__realloc(void *ptr, size_t size);
/* realloc of count*size bytes with the multiplication checked. */
void *syndic__reallocarray(void *ptr, size_t count, size_t size);
void syndic__free(void *ptr);
char *syndic__strndup(const char *s, size_t len);
/* Test hook: the Nth allocation from now fails (0 turns it off). */
void syndic__alloc_fail_after(unsigned long n);

/* Grow *items (of `size` bytes each) so that it holds at least `need`. */
int syndic__grow(void *items_ptr, size_t *capacity, size_t need, size_t size);

/* ---- buf: a growable byte buffer */
typedef struct syndic_buf { char *data; size_t len, cap; } syndic_buf;
int syndic__buf_append(syndic_buf *b, const char *s, size_t n);
void syndic__buf_free(syndic_buf *b);

/* ---- error.c: the thread-local one-line message. Each setter returns the
 * status it is given, so that `return syndic__error(...)` reads naturally. */
int syndic__error(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int syndic__oom(void);
/* Prefixes the current message with `where: ` (a file name, say). */
int syndic__error_within(int status, const char *where);
void syndic__error_clear(void);

/* ---- normalize.c */
typedef struct syndic_words {
    char *text;       /* normalized words joined by single spaces, NUL-ended */
    size_t len, cap;
    uint32_t *start;  /* byte offset of each word in text */
    uint32_t *end;    /* one past its last byte */
    size_t count, word_cap;
} syndic_words;
int syndic__normalize(syndic_words *w, const char *text, size_t len);
/* The same, appending to the words already in w (a line at a time). */
int syndic__normalize_append(syndic_words *w, const char *text, size_t len);
void syndic__words_free(syndic_words *w);
bool syndic__utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* ---- shingle.c: hashes of word k-shingles; sorted and distinct. */
int syndic__shingle(uint64_t **hashes, size_t *count, size_t *cap,
                    const syndic_words *w, unsigned k, uint64_t seed);
/* Unsorted, with repeats (*count of them), and the number of distinct ones;
 * table is scratch kept between calls. Enough for a sketch. */
int syndic__shingle_bag(uint64_t **hashes, size_t *count, size_t *cap,
                        const syndic_words *w, unsigned k, uint64_t seed,
                        uint64_t **table, size_t *table_cap, size_t *distinct);

/* ---- numbers.c: fingerprints of the number tokens of a text. */
#define NUMBER_SLOTS 16
typedef struct syndic_numbers {
    uint32_t hash[NUMBER_SLOTS]; /* smallest distinct hashes, ascending */
    uint32_t count;              /* entries used in hash[] */
    uint32_t total;              /* distinct number tokens in the text */
} syndic_numbers;
void syndic__numbers_extract(syndic_numbers *out, const syndic_words *w, uint64_t seed);
/* Share of the numbers of the text with fewer that the other also has;
 * 1.0 when that text has none. */
double syndic__numbers_agreement(const syndic_numbers *a, const syndic_numbers *b);

/* ---- evidence.c: the verification of one candidate pair (batch and ingest).
 * A document as verification sees it; every pointer is borrowed. */
#define SYNDIC_TITLE_WORDS 8
/* Up to SYNDIC_TITLE_WORDS smallest distinct word hashes of a title. */
typedef struct syndic_title_words {
    uint32_t hash[SYNDIC_TITLE_WORDS];
    uint32_t count;
} syndic_title_words;
typedef struct syndic_evdoc {
    const uint32_t *sig;              /* num_hashes values */
    uint32_t shingles;                /* 0 = no words: never matches */
    bool has_time;
    int64_t time;
    const char *outlet;               /* NUL-terminated, "" when none */
    const syndic_numbers *numbers;
    const syndic_title_words *title;
} syndic_evdoc;
int syndic__title_fingerprint(syndic_words *w, const char *title, size_t len,
                              syndic_title_words *out);
uint32_t syndic__same_values(const uint32_t *a, const uint32_t *b, unsigned k);
bool syndic__time_compatible(const syndic_params *p, bool x_has, int64_t x_time,
                             const char *x_outlet, bool y_has, int64_t y_time,
                             const char *y_outlet);
double syndic__containment(double j, uint32_t na, uint32_t nb);
/* Words, threshold (or containment), shared text, time, figures, in that
 * order; `same` gets the number of equal signature values. */
syndic_pair_verdict syndic__verify(const syndic_params *p, const syndic_evdoc *x,
                              const syndic_evdoc *y, uint32_t *same);
/* Everything verification weighs for a pair, as syndic_evidence reports it. */
void syndic__evidence(const syndic_params *p, const syndic_evdoc *x, const syndic_evdoc *y,
                      syndic_evidence *out);
/* The chaining guard (see evidence.c): equal signature values a member needs
 * with its cluster's representative, and the whole check; a NULL sig in
 * either evdoc skips the similarity part. */
uint32_t syndic__guard_need(const syndic_params *p);
bool syndic__guard_ok(const syndic_params *p, const syndic_evdoc *rep, const syndic_evdoc *m);

/* ---- templates.c: counting lines and deciding which are templates (the
 * keys come from digest.c). A line has up to LINE_KEYS keys (0 = none): [0]
 * the exact normalized line; [1] its shape, for date lines (figures, month
 * and weekday names replaced by placeholders); [2] its lead-in, for "Read
 * more: ..." style lines (the words before a colon). */
#define LINE_KEYS 3
/* A key with the raw line it came from (an example for the listing), and
 * whether that line was dropped as a template when the document was
 * sketched. */
typedef struct syndic_key_span {
    uint64_t key;
    const char *line;
    size_t len;
    bool dropped;
} syndic_key_span;
uint64_t syndic__outlet_salt(const char *outlet, size_t len);
/* Counts one document's keys (spans in line order, each key with its line;
 * a key repeated within the document counts once), as observe does. When a
 * key becomes a template by this count (the decision finish will make, which
 * more counts never undo), became(ctx, key) is called; its failure is
 * returned. became may be NULL. */
typedef int (*syndic__key_fn)(void *ctx, uint64_t key);
int syndic__templates_count(syndic_templates *t, const syndic_key_span *spans, size_t count,
                            uint32_t fingerprint, const char *outlet, size_t outlet_len,
                            syndic__key_fn became, void *ctx);
bool syndic__templates_has(const syndic_templates *t, uint64_t key);

/* ---- lsh.c */
uint64_t syndic__band_key(const uint32_t *signature, unsigned band,
                          unsigned rows, uint64_t seed);
/* What syndic__lsh_candidates found among the documents whose `active` flag
 * is set: the pairs it handed over, and the buckets over max_bucket it
 * skipped (with their documents, counted once per band). */
typedef struct syndic_candidates {
    uint64_t count;            /* pairs handed to the callback */
    uint64_t skipped_buckets, skipped_bucket_docs;
} syndic_candidates;
/* Candidate pairs (x << 32 | y, x < y), each once, handed to fn in blocks of
 * at most SYNDIC__PAIR_BLOCK in a fixed order (band by band); the block is
 * reused after fn returns. A negative return from fn stops and is returned. */
#define SYNDIC__PAIR_BLOCK 65536
typedef int (*syndic__pairs_fn)(void *ctx, const uint64_t *pairs, size_t count);
int syndic__lsh_candidates(syndic_candidates *out, const uint32_t *signatures,
                           const uint8_t *active, uint32_t n, const syndic_params *p,
                           syndic__pairs_fn fn, void *ctx);

/* ---- analysis.c: a copy's edit label from its sentence counts against
 * its source (the rules at syndic_edit in syndic.h). */
syndic_edit syndic__edit_label(uint32_t kept, uint32_t removed, uint32_t added, uint32_t edited);

/* ---- sort.c: LSD radix sorts (stable, O(n)). */
int syndic__sort_u64(uint64_t *v, size_t n);
/* The same result for uniformly random keys (hashes), in fewer passes; on
 * other keys it is still correct but may be slow. */
int syndic__sort_hashes(uint64_t *v, size_t n);
typedef struct syndic_keyed { uint64_t key; uint32_t val; uint32_t pad; } syndic_keyed;
int syndic__sort_keyed(syndic_keyed *v, size_t n);

/* ---- instream.c: bytes from a file descriptor, gunzipped when the magic
 * bytes say gzip. read returns bytes (> 0), 0 at the end, or a negative
 * status (SYNDIC_EIO with the reason as last error) after every good byte
 * has been returned. open takes ownership of fd (closed on failure too). */
typedef struct syndic_instream syndic_instream;
int syndic__instream_open(syndic_instream **out, int fd);
long syndic__instream_read(syndic_instream *s, char *buf, size_t cap);
void syndic__instream_close(syndic_instream *s);


/* ---- pool.c: worker threads running jobs; the caller takes the jobs back
 * in the order it submitted them. A job is embedded (first) in the caller's
 * own structure. fn runs on a worker (index 0..workers-1) and returns a
 * status; on failure the worker's error message is copied into the job. */
typedef struct syndic_job {
    struct syndic_job *next;
    bool finished;
    int status;
    char message[256];
} syndic_job;
typedef struct syndic_pool syndic_pool;
typedef int (*syndic__pool_fn)(void *ctx, unsigned worker, syndic_job *job);
int syndic__pool_new(syndic_pool **out, unsigned workers, syndic__pool_fn fn, void *ctx);
/* Stops the workers once their current job is done (jobs not started are
 * left alone) and joins them. NULL is allowed. */
void syndic__pool_free(syndic_pool *pool);
unsigned syndic__pool_workers(const syndic_pool *pool);
/* Jobs submitted and not yet taken back (read by the submitting thread). */
size_t syndic__pool_in_flight(const syndic_pool *pool);
void syndic__pool_submit(syndic_pool *pool, syndic_job *job);
/* Waits until the oldest job in flight is finished and takes it back;
 * NULL when none is in flight. */
syndic_job *syndic__pool_wait_oldest(syndic_pool *pool);
/* Runs a stream of jobs through the pool with at most `slots` in flight,
 * taking each back in submission order. `jobs` is an array of `slots`
 * structures of `size` bytes, each starting with its syndic_job.
 * fill(ctx, job) prepares the next job in a free structure and returns
 * true, or false when there is none; take(ctx, job) (may be NULL) takes a
 * finished job back on the caller's thread. The first failure - a job's
 * status or take's return - stops the filling, the jobs in flight are
 * drained, and it is returned with its message. */
int syndic__pool_stream(syndic_pool *pool, void *jobs, size_t size, size_t slots,
                        bool (*fill)(void *ctx, syndic_job *job),
                        int (*take)(void *ctx, syndic_job *job), void *ctx);
/* ---- platform.c: clocks (seconds: monotonic, and this thread's CPU time)
 * and the online CPUs (sysconf, 1..SYNDIC_MAX_THREADS). */
double syndic__now(void);
double syndic__thread_cpu(void);
unsigned syndic__online_cpus(void);
/* Test hook: chunks of `docs` documents or `bytes` bytes (0 = the
 * defaults); threads started by syndic_batch_new are started again
 * with the new size (before the first document only). */
int syndic__batch_set_chunk(syndic_batch *b, size_t docs, size_t bytes);
/* The most threads a batch or a learner takes. */
#define SYNDIC_MAX_THREADS 256

/* ---- textstore.c: kept texts by document index, in memory or spooled to
 * an unlinked temporary file (spool_dir: "" = $TMPDIR or /tmp; NULL = in
 * memory). Reads are thread-safe after seal. */
typedef struct syndic_textstore syndic_textstore;
int syndic__textstore_new(syndic_textstore **out, const char *spool_dir);
void syndic__textstore_free(syndic_textstore *s);
bool syndic__textstore_spooled(const syndic_textstore *s);
int syndic__textstore_put(syndic_textstore *s, size_t i, const char *text, size_t len);
int syndic__textstore_seal(syndic_textstore *s);
size_t syndic__textstore_len(const syndic_textstore *s, size_t i);
/* In memory only (else NULL): the text itself, NUL-terminated. */
const char *syndic__textstore_peek(const syndic_textstore *s, size_t i, size_t *len);
/* Copies text i (syndic__textstore_len bytes, no NUL) to dst. */
int syndic__textstore_read(const syndic_textstore *s, size_t i, char *dst);
/* Spooled: starts reading text i from the disk in the background. */
void syndic__textstore_prefetch(const syndic_textstore *s, size_t i);

/* The batch's per-document records with their raw texts (digest.c; NULL
 * when texts are not kept), every queued document sketched; and the
 * template lines its documents drop (NULL: none). */
const syndic_textstore *syndic__batch_records(const syndic_batch *b);
const syndic_templates *syndic__batch_drop_set(const syndic_batch *b);
/* A buffer of at least `size` bytes (*cap set to its size), reused from the
 * last one given back: an analysis of one range after another reads its
 * records into memory already touched (a fresh buffer costs a page fault per
 * 4 KiB). Thread-safe; give back what was taken. */
char *syndic__batch_buffer_take(const syndic_batch *b, size_t size, size_t *cap);
void syndic__batch_buffer_give(const syndic_batch *b, char *buf, size_t cap);

/* ---- seen.c: a growing blocked Bloom filter of 64-bit keys (hashes). */
typedef struct syndic_seen syndic_seen;
int syndic__seen_new(syndic_seen **out);
void syndic__seen_free(syndic_seen *s);
/* 1 if key was (probably: ~1% false positives) added before, else 0 after
 * adding it; SYNDIC_ENOMEM. */
int syndic__seen_check_add(syndic_seen *s, uint64_t key);
size_t syndic__seen_bytes(const syndic_seen *s);

/* ---- ingest.c */
/* Drops the state's open write transaction; call it on the thread that
 * began it (LMDB's rule). When it held articles they are lost, and the
 * in-memory indexes are rebuilt before the next write. */
void syndic__state_abort(syndic_state *s);

/* ---- arena.c: NUL-terminated strings that live as long as their arena. */
typedef struct syndic_arena_chunk syndic_arena_chunk;
typedef struct syndic_arena { syndic_arena_chunk *head; size_t used, size; } syndic_arena;
/* Copies s[0..len) and returns the copy, or NULL when out of memory. */
const char *syndic__arena_strndup(syndic_arena *a, const char *s, size_t len);
void syndic__arena_free(syndic_arena *a);

/* ---- params.c: the parameter table (params.def) as a state records it.
 * The record has a field per row of the table, in its order, of the row's
 * C type: with natural alignment, that is the layout of the parameters in
 * the format 2 state header. */
typedef struct syndic_params_record {
#define SYNDIC_PARAM(field, option, metavar, kind, ctype, def, min, max, zero, help) \
    ctype field;
#include "params.def"
#undef SYNDIC_PARAM
} syndic_params_record;
void syndic__params_record_make(syndic_params_record *r, const syndic_params *p);
/* p = SYNDIC_PARAMS_INIT with every field of the record. */
void syndic__params_record_read(syndic_params *p, const syndic_params_record *r);
/* The index of the first parameter whose values differ (bit for bit), or
 * -1 when they are equal; both values as text in have_text and want_text
 * (32 bytes each). */
int syndic__params_record_diff(const syndic_params_record *have, const syndic_params_record *want,
                               char *have_text, char *want_text);

#endif
