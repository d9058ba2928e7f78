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
/* The same, but stops (returns SYNDIC__STOPPED, w unchanged) as soon as w
 * would hold more than max_count words: learning skips long lines cheaply. */
#define SYNDIC__STOPPED 1
int syndic__normalize_append_max(syndic_words *w, const char *text, size_t len,
                                 size_t max_count);
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
/* Sketch a document's text, dropping its outlet's template lines (salt from
 * syndic__outlet_salt) when templates is not NULL, and copying the kept raw
 * text to content when that is not NULL. */
int syndic__sketcher_sketch_doc(syndic_sketcher *s, const char *text, size_t len,
                                uint64_t salt, const syndic_templates *templates,
                                syndic_buf *content, uint32_t *signature, uint32_t *shingles);
/* Fingerprint of the text last given to syndic_sketcher_sketch(). */
void syndic__sketcher_numbers(const syndic_sketcher *s, syndic_numbers *out);

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
syndic_verdict syndic__verify(const syndic_params *p, const syndic_evdoc *x,
                              const syndic_evdoc *y, uint32_t *same);

/* ---- templates.c */
/* A line of a text as the template learner sees it. keys[] identify it
 * (0 = no such key): [0] the exact normalized line; [1] its shape, for date
 * lines (figures, month and weekday names replaced by placeholders); [2] its
 * lead-in, for "Read more: ..." style lines (the words before a colon). */
#define LINE_KEYS 3
typedef struct syndic_line {
    uint64_t keys[LINE_KEYS];
    size_t words;
    const char *raw;
    size_t raw_len;
} syndic_line;
/* Called for each line with words: return false to drop it. */
typedef bool (*syndic__line_filter)(void *ctx, const syndic_line *line);
/* Normalizes text a line at a time; keys are XXH3 of a line's normalized
 * words seeded with `salt` (odd, never 0). With `content`, the raw lines kept
 * (with their newlines) are copied there. */
int syndic__normalize_lines(syndic_words *w, const char *text, size_t len, uint64_t salt,
                            syndic__line_filter keep, void *ctx, syndic_buf *content);
uint64_t syndic__outlet_salt(const char *outlet, size_t len);
/* A document's content fingerprint for the template rule: the hash of its
 * longest raw line (re-sends of one story share it). */
uint32_t syndic__text_fingerprint(const char *text, size_t len);
bool syndic__templates_has(const syndic_templates *t, uint64_t key);

/* ---- lsh.c */
uint64_t syndic__band_key(const uint32_t *signature, unsigned band,
                          unsigned rows, uint64_t seed);
/* Candidate pairs (a < b, packed a << 32 | b), sorted and distinct, from
 * documents whose `active` flag is set. */
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
/* Online CPUs (sysconf), 1..256. */
unsigned syndic__online_cpus(void);
/* Test hook: chunks of `docs` documents or `bytes` bytes (0 = the
 * defaults); call before syndic_batch_set_threads. */
void syndic__batch_set_chunk(syndic_batch *b, size_t docs, size_t bytes);
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

/* The batch's kept texts (NULL when not kept), every queued document sketched. */
const syndic_textstore *syndic__batch_texts(const syndic_batch *b);

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

#endif
