/*
 * syndic.h - find copies of the same news story across outlets.
 *
 * This header is the manual of libsyndic. The library turns articles into
 * MinHash signatures over word shingles, finds candidate pairs with LSH
 * banding, verifies every candidate, and groups verified pairs into clusters
 * (one cluster per story).
 *
 * Conventions (after libgit2):
 *  - Functions return an int status: SYNDIC_OK (0) or a negative SYNDIC_E*
 *    code. syndic_last_error() gives a one-line message for the last failure
 *    on the calling thread.
 *  - An object returned through a `**out` parameter belongs to the caller and
 *    is released with its `_free` function. A pointer returned as the value
 *    of a function is borrowed from its parent and lives as long as it does.
 *  - The library never prints, never exits, and reports out-of-memory as
 *    SYNDIC_ENOMEM.
 *  - Options are transparent structs whose first field is a version, filled
 *    by an _INIT macro or, where a macro cannot be used, by an _init
 *    function (syndic_params_init) that refuses a version it does not know.
 *
 * Example: cluster two documents.
 *
 *     syndic_params p = SYNDIC_PARAMS_INIT;
 *     syndic_batch *b = NULL;
 *     if (syndic_batch_new(&b, &p, NULL) < 0) die(syndic_last_error());
 *     syndic_doc d;
 *     syndic_doc_from_strings(&d, "a", "Some wire story ...", NULL, NULL, NULL, NULL);
 *     syndic_batch_add(b, &d);
 *     syndic_doc_from_strings(&d, "b", "Some wire story, reprinted ...", NULL, NULL, NULL, NULL);
 *     syndic_batch_add(b, &d);
 *     syndic_batch_cluster(b);
 *     for (size_t c = 0; c < syndic_batch_cluster_count(b); c++) {
 *         const syndic_cluster *cl = syndic_batch_cluster_at(b, c);
 *         ... cl->size, cl->members[i].doc, cl->members[i].jaccard ...
 *     }
 *     syndic_batch_free(b);
 */
#ifndef SYNDIC_H
#define SYNDIC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * SYNDIC_API marks every function of this header, and only those. The
 * library is compiled with hidden visibility (-fvisibility=hidden), so a
 * shared libsyndic exports exactly these functions; its cross-module
 * syndic__ functions stay inside it (tests/check_exports.sh holds it). The
 * same objects make the static library, where the mark matters only when
 * the archive is linked into a shared library of yours: that one then
 * exports the syndic API too (build libsyndic with -DSYNDIC_API= to keep it
 * hidden there). Only ELF/Mach-O visibility is written here: the library
 * needs POSIX (threads, mmap, flock).
 */
#ifndef SYNDIC_API
#if defined(__GNUC__) && __GNUC__ >= 4 /* GCC, Clang */
#define SYNDIC_API __attribute__((visibility("default")))
#else
#define SYNDIC_API
#endif
#endif

#define SYNDIC_VERSION_MAJOR 0
#define SYNDIC_VERSION_MINOR 2
#define SYNDIC_VERSION_PATCH 0
#define SYNDIC_VERSION_STRING "0.2.0"

/** @return the library's version string, e.g. "0.1.0". */
SYNDIC_API const char *syndic_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/** Status codes. Every failure is negative. */
typedef enum syndic_status {
    SYNDIC_OK = 0,
    SYNDIC_ERROR = -1,     /**< unspecified failure */
    SYNDIC_ENOMEM = -2,    /**< an allocation failed */
    SYNDIC_EINVAL = -3,    /**< an argument or parameter is out of range */
    SYNDIC_EIO = -4,       /**< reading or writing a file failed */
    SYNDIC_EBADREC = -5,   /**< one input record is bad; the stream goes on */
    SYNDIC_EDUPLICATE = -6 /**< a document id was already added */
} syndic_status;

/** @return a static description of a status code. Never NULL. */
SYNDIC_API const char *syndic_strerror(int status);

/**
 * The message of the last failure on the calling thread: one line, no
 * trailing newline, e.g. "corpus.jsonl:12: malformed JSON: ...". Never NULL
 * (empty when nothing failed yet). Valid until the next library call on the
 * same thread.
 */
SYNDIC_API const char *syndic_last_error(void);

/* ------------------------------------------------------------------------ */
/* Parameters                                                               */
/* ------------------------------------------------------------------------ */

/**
 * Every parameter that changes which documents match. Initialise with
 * SYNDIC_PARAMS_INIT, change fields, then pass to syndic_params_resolve()
 * (the batch constructor calls it for you). Each field's bounds, default
 * and CLI option can be queried: syndic_param_at(). (A new field needs its
 * row in the library's parameter table, src/params.def, and its default in
 * SYNDIC_PARAMS_INIT; the tests check both.)
 */
typedef struct syndic_params {
    unsigned version;       /**< SYNDIC_PARAMS_VERSION */
    unsigned shingle_words; /**< words per shingle; default 4, range 1..16 */
    unsigned num_hashes;    /**< MinHash values K; default 128, range 8..1024 */
    unsigned bands;         /**< LSH bands b; 0 = choose from threshold */
    unsigned rows;          /**< LSH rows r per band; 0 = choose; b*r <= K */
    double threshold;       /**< estimated Jaccard for an edge; default 0.25,
                                 range (0, 1] */
    uint64_t seed;          /**< hash seed; default 0x5317d1c0ffee5eed */
    uint32_t max_bucket;    /**< LSH buckets with more documents are skipped
                                 and counted; default 200, range 2..2^31 */
    int64_t max_gap;        /**< seconds: two dated documents further apart
                                 are never one story; default 3 days;
                                 0 = no limit */
    int64_t same_outlet_gap; /**< seconds: the same for two documents of one
                                 outlet (a re-send comes within hours, the
                                 next day's edition is another story);
                                 default 12 hours; 0 = no limit */
    double guard;           /**< chaining guard: two clusters merge only when
                                 every member of the one whose representative
                                 is replaced matches the new representative
                                 at guard x threshold (estimated Jaccard);
                                 default 0.5, range [0, 1]; 0 = plain single
                                 linkage */
    uint32_t min_shared;    /**< evidence for short texts: a pair must share
                                 about this many shingles (estimated), or the
                                 shorter text must lie 80% inside the longer;
                                 default 20; 0 = off */
    double numbers;         /**< templated stories differ in their figures:
                                 when both texts have 3 or more numbers, the
                                 text with fewer must share at least this
                                 share of them with the other; default 0.5,
                                 range [0, 1]; 0 = off */
    double containment;     /**< partial copies: a pair also matches when the
                                 shorter text lies at least this much inside
                                 the longer (estimated from J and the set
                                 sizes); default 0.7, range [0, 1]; 0 = off.
                                 When on, LSH is tuned for the lower Jaccard
                                 of a trimmed copy (see lsh_threshold) */
    double lsh_threshold;   /**< Jaccard the LSH bands are chosen for; 0 =
                                 min(threshold, 0.2) with containment on,
                                 else the threshold */
} syndic_params;

#define SYNDIC_PARAMS_VERSION 1
#define SYNDIC_DEFAULT_SHINGLE_WORDS 4
#define SYNDIC_DEFAULT_NUM_HASHES 128
#define SYNDIC_DEFAULT_THRESHOLD 0.25
#define SYNDIC_DEFAULT_SEED UINT64_C(0x5317d1c0ffee5eed)
#define SYNDIC_DEFAULT_MAX_BUCKET 200
#define SYNDIC_DEFAULT_MAX_GAP (3 * 86400)
#define SYNDIC_DEFAULT_SAME_OUTLET_GAP (12 * 3600)
#define SYNDIC_DEFAULT_GUARD 0.5
#define SYNDIC_DEFAULT_MIN_SHARED 20
#define SYNDIC_DEFAULT_NUMBERS 0.5
#define SYNDIC_DEFAULT_CONTAINMENT 0.7
#define SYNDIC_PARAMS_INIT                                                     \
    {SYNDIC_PARAMS_VERSION,   SYNDIC_DEFAULT_SHINGLE_WORDS,                    \
     SYNDIC_DEFAULT_NUM_HASHES, 0, 0, SYNDIC_DEFAULT_THRESHOLD,                \
     SYNDIC_DEFAULT_SEED,     SYNDIC_DEFAULT_MAX_BUCKET,                       \
     SYNDIC_DEFAULT_MAX_GAP,  SYNDIC_DEFAULT_SAME_OUTLET_GAP,                  \
     SYNDIC_DEFAULT_GUARD,    SYNDIC_DEFAULT_MIN_SHARED,                       \
     SYNDIC_DEFAULT_NUMBERS,  SYNDIC_DEFAULT_CONTAINMENT, 0.0}

/**
 * Fill `params` with the defaults, as SYNDIC_PARAMS_INIT does (for callers
 * that cannot use the macro, e.g. bindings).
 * @param version  SYNDIC_PARAMS_VERSION: the version the caller was
 *                 compiled against.
 * @return SYNDIC_OK; SYNDIC_EINVAL when params is NULL or the version is not
 *         one this library knows (params is left unchanged).
 */
SYNDIC_API int syndic_params_init(syndic_params *params, unsigned version);

/**
 * Validate parameters and fill bands and rows when they are 0 (and
 * lsh_threshold). Every field is checked against its bounds in the table
 * below, then the rules between fields: bands and rows are given together,
 * and bands x rows <= num_hashes.
 * @return SYNDIC_OK, or SYNDIC_EINVAL with a message naming the bad field and
 *         its range, e.g. "shingle_words 17 is outside 1..16".
 */
SYNDIC_API int syndic_params_resolve(syndic_params *params);

/*
 * The parameters as a table, after zstd's queryable bounds: one entry per
 * field of syndic_params (version excepted), with its CLI option, default,
 * bounds and help. The library validates with it and a state records every
 * entry; a program can build its options, help and reports from it.
 *
 * Example: print every parameter of p.
 *
 *     for (size_t i = 0; i < syndic_param_count(); i++) {
 *         const syndic_param_info *in = syndic_param_at(i);
 *         uint64_t u;
 *         double d;
 *         if (in->kind == SYNDIC_PARAM_FRACTION && syndic_param_get_real(&d, &p, i) == 0)
 *             printf("%s %g\n", in->name, d);
 *         else if (syndic_param_get_uint(&u, &p, i) == 0)
 *             printf("%s %llu\n", in->name, (unsigned long long)u);
 *     }
 */

/** The kind of value a parameter takes, and which get/set pair reads it. */
typedef enum syndic_param_kind {
    SYNDIC_PARAM_COUNT = 0, /**< a whole number (an unsigned or uint32_t
                                 field): syndic_param_get_uint/_set_uint */
    SYNDIC_PARAM_SEED,      /**< any 64-bit value (a uint64_t field): _uint */
    SYNDIC_PARAM_SECONDS,   /**< a duration in seconds (an int64_t field):
                                 _uint */
    SYNDIC_PARAM_FRACTION   /**< a real number (a double field): _real */
} syndic_param_kind;

/**
 * One parameter. Its accepted values: min..max for the whole kinds,
 * (min, max] for SYNDIC_PARAM_FRACTION (min itself excluded), and 0 as well
 * when `zero` is not NULL. Only the bounds of its kind are set: the _uint
 * ones for COUNT, SEED and SECONDS, the _real ones for FRACTION; the others
 * are 0.
 */
typedef struct syndic_param_info {
    const char *name;    /**< the field of syndic_params, e.g. "shingle_words" */
    const char *option;  /**< the CLI long option without "--", e.g. "shingle" */
    const char *metavar; /**< placeholder of the value in help, e.g. "N" */
    const char *help;    /**< one line, lower case, no final period */
    const char *zero;    /**< what 0 means ("off", "no limit", ...) when it is
                              accepted besides the range; NULL otherwise */
    syndic_param_kind kind;
    uint64_t default_uint, min_uint, max_uint;
    double default_real, min_real, max_real;
} syndic_param_info;

/** @return the number of parameters (entries of the table). */
SYNDIC_API size_t syndic_param_count(void);

/**
 * The description of parameter i.
 * @param i  0 .. syndic_param_count() - 1, in the order of the table.
 * @return the entry (static, never freed), or NULL when i is out of range.
 */
SYNDIC_API const syndic_param_info *syndic_param_at(size_t i);

/**
 * Find a parameter by its field name ("max_gap") or its option ("max-gap").
 * @param index  set to its index when found.
 * @param name   NUL-terminated.
 * @return SYNDIC_OK, or SYNDIC_EINVAL when no parameter has that name.
 */
SYNDIC_API int syndic_param_find(size_t *index, const char *name);

/**
 * Write the values parameter i accepts, as the library's messages show
 * them: "1..16", "0..1024" (0 accepted besides 1..1024), "(0, 1]", "[0, 1]"
 * (0 accepted besides (0, 1]), "2..2^31".
 * @param out  receives the text, NUL-terminated and truncated to fit.
 * @param cap  bytes at out; 32 is always enough.
 * @return SYNDIC_OK, or SYNDIC_EINVAL when i is out of range.
 */
SYNDIC_API int syndic_param_range(char *out, size_t cap, size_t i);

/**
 * Read a whole-number parameter (COUNT, SEED, SECONDS).
 * @param out  set to the value.
 * @param params  the parameters to read; not validated.
 * @param i    the parameter's index.
 * @return SYNDIC_OK; SYNDIC_EINVAL when i is out of range, names a FRACTION,
 *         or names a duration holding a negative value.
 */
SYNDIC_API int syndic_param_get_uint(uint64_t *out, const syndic_params *params, size_t i);

/**
 * Set a whole-number parameter (COUNT, SEED, SECONDS), checking its bounds.
 * @return SYNDIC_OK (the field is set); SYNDIC_EINVAL when i is out of
 *         range, names a FRACTION, or value is not accepted (the message
 *         names the field and its range; the field is left unchanged).
 */
SYNDIC_API int syndic_param_set_uint(syndic_params *params, size_t i, uint64_t value);

/**
 * Read a FRACTION parameter.
 * @param out  set to the value.
 * @return SYNDIC_OK; SYNDIC_EINVAL when i is out of range or names a whole
 *         kind.
 */
SYNDIC_API int syndic_param_get_real(double *out, const syndic_params *params, size_t i);

/**
 * Set a FRACTION parameter, checking its bounds (NaN is never accepted).
 * @return SYNDIC_OK (the field is set); SYNDIC_EINVAL when i is out of
 *         range, names a whole kind, or value is not accepted (the message
 *         names the field and its range; the field is left unchanged).
 */
SYNDIC_API int syndic_param_set_real(syndic_params *params, size_t i, double value);

/**
 * Probability that two documents with Jaccard similarity s share at least
 * one of b bands of r rows: 1 - (1 - s^r)^b.
 */
SYNDIC_API double syndic_lsh_probability(double s, unsigned bands, unsigned rows);

/**
 * Choose bands and rows for a threshold the way datasketch does: among all
 * b, r with b*r <= num_hashes, minimise
 *   fp_weight * (area under P(s) for s in [0, t]) +
 *   fn_weight * (area above P(s) for s in [t, 1]).
 * For K = 128 with equal weights: t = 0.5 gives b = 25, r = 5.
 * @return SYNDIC_OK, or SYNDIC_EINVAL for a threshold outside (0, 1].
 */
SYNDIC_API int syndic_lsh_choose(unsigned *bands, unsigned *rows, double threshold,
                                 unsigned num_hashes, double fp_weight, double fn_weight);

/* ------------------------------------------------------------------------ */
/* Normalizing, shingling, sketching one text                               */
/* ------------------------------------------------------------------------ */

/**
 * Turns text into MinHash signatures. Holds scratch memory reused from one
 * text to the next, so use one sketcher per thread.
 */
typedef struct syndic_sketcher syndic_sketcher;

/** @return SYNDIC_OK, SYNDIC_EINVAL for bad params, SYNDIC_ENOMEM. */
SYNDIC_API int syndic_sketcher_new(syndic_sketcher **out, const syndic_params *params);
/** Frees a sketcher; NULL is allowed. */
SYNDIC_API void syndic_sketcher_free(syndic_sketcher *s);

/**
 * Normalize `text` (NFKD compatibility decomposition, case folding, marks,
 * punctuation and symbols removed, words separated by one space).
 * @param out  set to the normalized text (NUL-terminated), borrowed from the
 *             sketcher until its next call.
 * @param out_len  its length in bytes.
 * @param words    number of words found.
 * Invalid UTF-8 bytes are treated as separators.
 */
SYNDIC_API int syndic_sketcher_normalize(const char **out, size_t *out_len, size_t *words,
                                         syndic_sketcher *s, const char *text, size_t len);

/**
 * The sorted, distinct 64-bit hashes of the word shingles of `text`.
 * A text of fewer words than a shingle gives one shingle of all its words;
 * a text without words gives none.
 * @param hashes set to an array borrowed from the sketcher until its next call.
 */
SYNDIC_API int syndic_sketcher_shingles(const uint64_t **hashes, size_t *count,
                                        syndic_sketcher *s, const char *text, size_t len);

/**
 * Signature of `text`: params.num_hashes values written to `signature`.
 * @param shingles set to the number of distinct shingles (0: the text has no
 *                 words; its signature must not be compared).
 */
SYNDIC_API int syndic_sketcher_sketch(uint32_t *signature, uint32_t *shingles,
                                      syndic_sketcher *s, const char *text, size_t len);

/**
 * Signature of a set of 64-bit hashes (distinct or not), as
 * syndic_sketcher_sketch does after shingling. `count` may be 0: the
 * signature is then all UINT32_MAX.
 */
SYNDIC_API void syndic_sketch_hashes(const syndic_params *params, const uint64_t *hashes,
                                     size_t count, uint32_t *signature);

/** Estimated Jaccard: the share of equal values among `num_hashes`. */
SYNDIC_API double syndic_signature_jaccard(const uint32_t *a, const uint32_t *b,
                                           unsigned num_hashes);

/* ------------------------------------------------------------------------ */
/* Documents and batch clustering                                           */
/* ------------------------------------------------------------------------ */

/** A document as handed to the library. Each string is `len` bytes and need
 *  not be NUL-terminated; NULL means absent (its length is then ignored). A
 *  length is always the length: 0 is an empty string, never "measure it"
 *  (syndic_doc_from_strings does that for NUL-terminated strings). */
typedef struct syndic_doc {
    const char *id;     size_t id_len;     /**< required, unique */
    const char *text;   size_t text_len;   /**< required */
    const char *outlet; size_t outlet_len; /**< optional */
    const char *date;   size_t date_len;   /**< optional, ISO 8601 or RFC 2822 */
    const char *title;  size_t title_len;  /**< optional */
    const char *url;    size_t url_len;    /**< optional */
} syndic_doc;
#define SYNDIC_DOC_INIT {NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0}

/** Fill `doc` from NUL-terminated strings (NULL = absent), measuring each. */
SYNDIC_API void syndic_doc_from_strings(syndic_doc *doc, const char *id, const char *text,
                                        const char *outlet, const char *date,
                                        const char *title, const char *url);

/** What the batch keeps of a document: text is not kept. Strings are
 *  NUL-terminated; absent ones are "". */
typedef struct syndic_doc_info {
    const char *id, *outlet, *date, *title, *url;
    int64_t time;      /**< seconds since 1970 UTC; valid when has_time */
    int has_time;      /**< the date parsed */
    uint32_t shingles; /**< distinct shingles; 0 = no words (never matches) */
    uint32_t input_index; /**< order of arrival */
} syndic_doc_info;

/** A member of a cluster, with its evidence against the representative. */
typedef struct syndic_member {
    uint32_t doc;    /**< index for syndic_batch_doc() */
    double jaccard;  /**< estimated Jaccard with the representative */
} syndic_member;

/** A cluster: members sorted by (time, id), the first being the
 *  representative (the earliest member; ties go to the smallest id). */
typedef struct syndic_cluster {
    uint32_t size;
    const syndic_member *members;
} syndic_cluster;

/** Counts and times of a batch run. */
typedef struct syndic_batch_stats {
    uint64_t documents;       /**< added */
    uint64_t empty;           /**< added with no words (singletons) */
    uint64_t duplicate_ids;   /**< rejected by syndic_batch_add */
    uint64_t bytes;           /**< text bytes sketched */
    uint64_t candidates;      /**< distinct candidate pairs */
    uint64_t edges;           /**< verified pairs */
    uint64_t refused_time;    /**< verified pairs too far apart in time */
    uint64_t refused_short;   /**< pairs with too little shared text */
    uint64_t refused_numbers; /**< pairs whose figures disagree */
    uint64_t refused_guard;   /**< merges refused by the chaining guard */
    uint64_t skipped_buckets; /**< buckets over max_bucket */
    uint64_t skipped_bucket_docs; /**< documents in them, summed */
    uint64_t clusters;        /**< with two or more members */
    uint64_t clustered_docs;  /**< documents in those clusters */
    uint64_t largest_cluster;
    double seconds_sketch, seconds_candidates, seconds_verify,
        seconds_cluster; /**< seconds_sketch: with threads, the sum of
                              the sketching threads' times (it can exceed
                              the time the adds took); seconds_candidates
                              includes the verification of the candidates
                              (done as they are found); seconds_verify is
                              the linking with the chaining guard */
    uint64_t normalizations;  /**< document texts normalized (each is
                                   normalized once: templates and the
                                   analysis work from its record) */
    double normalizations_per_doc; /**< normalizations / documents, set by
                                   syndic_batch_cluster(): 1.0 */
    uint64_t resketched;      /**< documents sketched again, from their
                                   records, without the template lines
                                   learned in the pass */
    double seconds_templates; /**< deciding the learned templates and
                                   sketching those documents again */
} syndic_batch_stats;

typedef struct syndic_batch syndic_batch;

typedef struct syndic_templates syndic_templates; /* see "Template lines" */

/** How a batch works, beside the matching parameters: one struct, as
 *  syndic_state_options is for a state. Fill with SYNDIC_BATCH_OPTIONS_INIT
 *  or syndic_batch_options_init(), then set what you need. */
typedef struct syndic_batch_options {
    unsigned version;        /**< SYNDIC_BATCH_OPTIONS_VERSION */
    /** Sketch on this many threads (0 = the online CPUs; 1, the default, =
     *  on the caller's thread). With n > 1, syndic_batch_add() checks the
     *  document, gives it its index and copies its metadata on the caller's
     *  thread, and copies its text into a chunk (256 documents or 4 MiB)
     *  that one of n worker threads sketches; at most 2 chunks per worker
     *  are queued (add then waits for one). The batch is the same, byte for
     *  byte, for any n. A worker's failure (SYNDIC_ENOMEM) is returned, with
     *  its message, by the next syndic_batch_add(), syndic_batch_flush() or
     *  syndic_batch_cluster(), and by every one after it: the batch cannot
     *  be clustered then. Accessors that read sketches (syndic_batch_doc's
     *  shingles, syndic_batch_signature, syndic_batch_text,
     *  syndic_batch_explain, syndic_batch_get_stats) wait for the queued
     *  work first; call syndic_batch_flush() before reading a batch from
     *  several threads. The analysis runs on as many threads. */
    unsigned threads;
    /** Drop these finished template lines from every document; they must
     *  outlive the batch. NULL (default): none given. Not with
     *  template_docs. */
    const syndic_templates *templates;
    /** Learn the template lines from the batch's own documents, in the same
     *  pass that sketches them (the input is read once), and drop them
     *  before clustering: a line is a template when it is seen in this many
     *  documents of one outlet whose contents differ (see
     *  syndic_templates_new; >= 2, 3 is the CLI's default; 0, the default,
     *  = no learning). The decision is made in syndic_batch_cluster(), after
     *  the last document, so the clusters do not depend on the input order;
     *  documents with template lines are then sketched again from their
     *  records (no text is read or normalized twice). */
    unsigned template_docs;
    /** Keep each document's text (with template lines dropped) for the
     *  analysis and the reports that show text. 0 (default): a batch keeps
     *  only signatures and metadata. */
    int keep_texts;
    /** Keep the per-document records (what learning templates and kept
     *  texts need) in an unlinked temporary file instead of memory: the
     *  batch then keeps 12 bytes per document for them, and the analysis
     *  reads back one range of stories at a time
     *  (syndic_analysis_new_range). The file disappears with the batch or
     *  the process. 0 (default): in memory. */
    int spool;
    /** Where the spool file goes: NULL or "": $TMPDIR, else /tmp. */
    const char *spool_dir;
} syndic_batch_options;
#define SYNDIC_BATCH_OPTIONS_VERSION 1
#define SYNDIC_BATCH_OPTIONS_INIT {SYNDIC_BATCH_OPTIONS_VERSION, 1, NULL, 0, 0, 0, NULL}

/**
 * Fill `options` with the defaults, as SYNDIC_BATCH_OPTIONS_INIT does.
 * @param version  SYNDIC_BATCH_OPTIONS_VERSION.
 * @return SYNDIC_OK; SYNDIC_EINVAL when options is NULL or the version is
 *         not one this library knows (options is left unchanged).
 */
SYNDIC_API int syndic_batch_options_init(syndic_batch_options *options, unsigned version);

/** @param options NULL for the defaults.
 *  @return SYNDIC_OK; SYNDIC_EINVAL (params, options of an unknown version,
 *  templates given and learned); SYNDIC_EIO when the spool file cannot be
 *  created (the message names the directory); SYNDIC_ERROR when a thread
 *  cannot be started; SYNDIC_ENOMEM. The params are resolved (bands and
 *  rows chosen) and copied. */
SYNDIC_API int syndic_batch_new(syndic_batch **out, const syndic_params *params,
                                const syndic_batch_options *options);
/** Frees a batch; NULL is allowed. */
SYNDIC_API void syndic_batch_free(syndic_batch *b);
/** The resolved parameters. */
SYNDIC_API const syndic_params *syndic_batch_params(const syndic_batch *b);

/**
 * Normalize, shingle and sketch a document and keep its signature and
 * metadata. The text is not kept.
 * @return SYNDIC_OK; SYNDIC_EDUPLICATE when the id was added before (the
 *         document is not added); SYNDIC_EINVAL without id or text;
 *         SYNDIC_ENOMEM; SYNDIC_EINVAL after syndic_batch_cluster().
 */
SYNDIC_API int syndic_batch_add(syndic_batch *b, const syndic_doc *doc);

/** Threads the batch sketches on (1 when on the caller's thread); the
 *  analysis of the batch (syndic_analysis_new) runs on as many. */
SYNDIC_API unsigned syndic_batch_threads(const syndic_batch *b);
/**
 * Wait until every document added so far is sketched. No-op on one thread.
 * @return SYNDIC_OK, or a worker's failure (see syndic_batch_options.threads).
 */
SYNDIC_API int syndic_batch_flush(syndic_batch *b);

/** Number of documents added. */
SYNDIC_API size_t syndic_batch_doc_count(const syndic_batch *b);
/** Document `i` (0-based, in arrival order); NULL when out of range. */
SYNDIC_API const syndic_doc_info *syndic_batch_doc(const syndic_batch *b, size_t i);
/** Signature of document `i` (num_hashes values); NULL when out of range. */
SYNDIC_API const uint32_t *syndic_batch_signature(const syndic_batch *b, size_t i);

/**
 * Find candidates with LSH, verify each, and cluster. Call once, after the
 * last syndic_batch_add(). The clusters are deterministic: they depend on the
 * set of documents, not on the order they were added in.
 */
SYNDIC_API int syndic_batch_cluster(syndic_batch *b);

/** Why two documents are, or are not, one story: the evidence the batch
 *  weighs for a candidate pair, in the order it checks it. */
typedef enum syndic_pair_verdict {
    SYNDIC_MATCH = 0,           /**< an edge */
    SYNDIC_NO_WORDS,            /**< a text has no words: never matches */
    SYNDIC_BELOW_THRESHOLD,     /**< estimated Jaccard under the threshold */
    SYNDIC_TOO_LITTLE_SHARED,   /**< short texts, too little in common */
    SYNDIC_TOO_FAR_APART,       /**< dates too far apart for one story */
    SYNDIC_FIGURES_DISAGREE     /**< the numbers in the texts differ */
} syndic_pair_verdict;

typedef struct syndic_evidence {
    syndic_pair_verdict verdict;
    double jaccard;             /**< estimated from the signatures */
    double containment_ab;      /**< estimated |A n B| / |A| */
    double containment_ba;      /**< estimated |A n B| / |B| */
    double shared;              /**< estimated shingles in common */
    double figures;             /**< share of figures agreeing (1 if few) */
    uint32_t figures_a, figures_b; /**< distinct number tokens */
    int64_t gap;                /**< seconds between the dates; -1 unknown */
    unsigned bands_shared;      /**< LSH bands with equal keys */
} syndic_evidence;

/** Short stable name of a verdict, e.g. "figures_disagree". */
SYNDIC_API const char *syndic_pair_verdict_name(syndic_pair_verdict v);

/**
 * The evidence for two documents, without a batch: each is normalized,
 * sketched and fingerprinted as a batch does (dropping the template lines of
 * `templates` when given), and the pair is verified as the batch verifies a
 * candidate. This is what `syndic compare` shows.
 * @param templates finished templates, or NULL.
 * @return SYNDIC_OK, SYNDIC_EINVAL (params, or a document without text),
 *         SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_evidence_compute(syndic_evidence *out, const syndic_params *params,
                                       const syndic_doc *a, const syndic_doc *b,
                                       const syndic_templates *templates);

/**
 * The evidence for documents i and j of a batch (clustered or not), as the
 * verification step computes it. The chaining guard, which looks at whole
 * clusters, is not part of it.
 * @return SYNDIC_OK, or SYNDIC_EINVAL when i or j is out of range.
 */
SYNDIC_API int syndic_batch_explain(syndic_evidence *out, const syndic_batch *b, size_t i,
                                    size_t j);

/** Number of clusters, singletons included (sorted: size descending, then
 *  by the representative's time and id). */
SYNDIC_API size_t syndic_batch_cluster_count(const syndic_batch *b);
/** Cluster `i`; NULL when out of range or before syndic_batch_cluster(). */
SYNDIC_API const syndic_cluster *syndic_batch_cluster_at(const syndic_batch *b, size_t i);
/** The batch's counts and times so far. */
SYNDIC_API const syndic_batch_stats *syndic_batch_get_stats(const syndic_batch *b);

/* ------------------------------------------------------------------------ */
/* Syndication analysis: origin, spread, copy tree, edits                   */
/* ------------------------------------------------------------------------ */

/** How a copy differs from its source, by sentences. */
typedef enum syndic_edit {
    SYNDIC_EDIT_ORIGIN = 0, /**< the story's first publication */
    SYNDIC_EDIT_VERBATIM,   /**< every sentence kept unchanged, none added */
    SYNDIC_EDIT_TRIMMED,    /**< sentences removed, none added */
    SYNDIC_EDIT_EXTENDED,   /**< sentences added, none removed */
    SYNDIC_EDIT_REWRITTEN   /**< sentences removed and added, or a third
                                 or more of the copy's sentences (kept and
                                 added) edited ones, or only edits */
} syndic_edit;

/** "origin", "verbatim", "trimmed", "extended", "rewritten". */
SYNDIC_API const char *syndic_edit_name(syndic_edit e);

typedef enum syndic_diff_op {
    SYNDIC_DIFF_KEPT = 0, SYNDIC_DIFF_REMOVED, SYNDIC_DIFF_ADDED
} syndic_diff_op;

/** One sentence of a copy-against-source diff. Texts are borrowed from the
 *  batch's kept texts (or the analysis' copy of spooled ones) and are not
 *  NUL-terminated. `text` is the copy's
 *  sentence (the source's for REMOVED); for KEPT, `source_text` is the
 *  source's, which differs from `text` when the sentence was edited. */
typedef struct syndic_diff_item {
    syndic_diff_op op;
    uint32_t len;
    const char *text;
    uint32_t source_len;
    const char *source_text;
} syndic_diff_item;

/** A member of a story, against its likely source. */
typedef struct syndic_copy {
    uint32_t doc;          /**< index for syndic_batch_doc() */
    int32_t source;        /**< index in the story's copies[] of the member
                                it most likely copied; -1 for the origin */
    double containment;    /**< exact share of its shingles in the source */
    double jaccard_origin; /**< exact Jaccard with the origin */
    int64_t delay;         /**< seconds after the origin; -1 if unknown */
    syndic_edit edit;
    int headline_changed;  /**< normalized title differs from the source's */
    uint32_t kept, removed, added; /**< sentences against the source */
    uint32_t edited;       /**< of the kept, those changed slightly (a typo,
                                a figure, a name: 70% of words in common) */
    const syndic_diff_item *diff;  /**< the sentences in order, marked */
    uint32_t diff_count;
} syndic_copy;

/** A cluster seen as a story that spread. */
typedef struct syndic_story {
    uint32_t cluster;      /**< index for syndic_batch_cluster_at() */
    uint32_t size;
    const syndic_copy *copies; /**< in publication order; [0] is the origin */
    uint32_t outlets;      /**< distinct outlets (no outlet counts as one) */
    int dated;             /**< every member has a date; otherwise the
                                order is the input order, not time */
    int64_t first, last;   /**< first and last time, when dated */
    int64_t to_reach[3];   /**< seconds from the origin until 2, 5 and 10
                                outlets ran it; -1 when not reached/known */
} syndic_story;

typedef struct syndic_analysis syndic_analysis;

/**
 * Origin, spread, copy tree and edits of every cluster of a clustered batch
 * that kept its texts (syndic_batch_options.keep_texts).
 *  - Origin: the earliest member; among members of the same earliest time,
 *    the one that contains most of the others. Without dates on every member
 *    the input order stands in for time, and `dated` says so.
 *  - Source of a member: the earlier member that contains most of its
 *    shingles; on a tie the origin, then the earliest.
 *  - Edits: sentences of the member against its source's, matched after
 *    normalization, in order (a longest-common-subsequence diff).
 * The analysis borrows from the batch, which must outlive it. It runs on
 * the batch's threads (syndic_batch_threads), stories in parallel, and is
 * the same, byte for byte, for any number.
 * @return SYNDIC_OK, SYNDIC_EINVAL (not clustered, or texts not kept),
 *         SYNDIC_ENOMEM; SYNDIC_ERROR when a thread cannot be started.
 */
SYNDIC_API int syndic_analysis_new(syndic_analysis **out, const syndic_batch *b);
/**
 * The same for clusters [first, first + count) only: a report can analyse,
 * write and free a range at a time, so that the texts and diffs of a large
 * batch are never all in memory. Each story is the same as in the whole
 * analysis. With spooled texts, the range's texts are read into the
 * analysis (they are what the diffs point into).
 * @return as syndic_analysis_new; SYNDIC_EINVAL for a range past the end,
 *         SYNDIC_EIO when spooled texts cannot be read back.
 */
SYNDIC_API int syndic_analysis_new_range(syndic_analysis **out, const syndic_batch *b, size_t first,
                                         size_t count);
/** Frees an analysis (NULL is allowed); its batch must still be alive (the
 *  analysis gives its read buffer back to it, for the next range). */
SYNDIC_API void syndic_analysis_free(syndic_analysis *a);
/** The story of cluster i (same index as syndic_batch_cluster_at); NULL
 *  when i is outside the analysed range. */
SYNDIC_API const syndic_story *syndic_analysis_story(const syndic_analysis *a, size_t i);

/* ------------------------------------------------------------------------ */
/* Template lines                                                           */
/* ------------------------------------------------------------------------ */

/**
 * Learns each outlet's template lines ("Advertisement", "Add X as a preferred
 * source", copyright and newsletter lines) from a corpus: a line of at most
 * 40 words (and 640 bytes) seen in `min_docs` or more documents of one outlet
 * whose contents differ. Feed every document to syndic_templates_observe(),
 * then call syndic_templates_finish(), then give it to a batch in its
 * options (templates): the batch drops those lines before shingling. (A
 * batch can also learn from its own documents in the pass that sketches
 * them: syndic_batch_options.template_docs.) Documents without an outlet
 * count as one unknown outlet.
 */
typedef struct syndic_templates syndic_templates;

/** A learned template line: the outlet, the line as first seen (trimmed, at
 *  most 160 bytes) and the number of documents it was seen in. */
typedef struct syndic_template_line {
    const char *outlet;
    const char *text;
    uint32_t documents;
} syndic_template_line;

/** @param min_docs documents of one outlet a line must be seen in (>= 2;
 *  3 is the CLI default). @return SYNDIC_OK, SYNDIC_EINVAL, SYNDIC_ENOMEM. */
SYNDIC_API int syndic_templates_new(syndic_templates **out, const syndic_params *params,
                                    unsigned min_docs);
SYNDIC_API void syndic_templates_free(syndic_templates *t);
/** Counts the lines of one document (id is not needed; text is). */
SYNDIC_API int syndic_templates_observe(syndic_templates *t, const syndic_doc *doc);
/** Decides which lines are templates; observe can no longer be called. */
SYNDIC_API int syndic_templates_finish(syndic_templates *t);
/** Number of template lines (0 before finish). */
SYNDIC_API size_t syndic_templates_count(const syndic_templates *t);
/** Template line i, sorted by outlet, documents descending, text. */
SYNDIC_API const syndic_template_line *syndic_templates_at(const syndic_templates *t, size_t i);

/** The template lines the batch drops: those given in its options
 *  (templates), or those learned (template_docs), once the batch is
 *  clustered (NULL before, and when there are none to use). Borrowed. */
SYNDIC_API const syndic_templates *syndic_batch_templates(const syndic_batch *b);

/** Kept text of document i, NUL-terminated (NULL when texts are not kept,
 *  or are spooled to a file: options keep_texts and spool). */
SYNDIC_API const char *syndic_batch_text(const syndic_batch *b, size_t i, size_t *len);

/* ------------------------------------------------------------------------ */
/* Dates                                                                    */
/* ------------------------------------------------------------------------ */

/**
 * Parse a date, case-insensitively: ISO 8601 ("2026-03-04", "2026-03-04T09:15",
 * "...:00Z", "...+01:00", fractional seconds), RFC 2822 ("Wed, 04 Mar 2026
 * 10:40:00 +0000"), and the forms news pages print: "Fri, February 6, 2026 at
 * 4:43 PM UTC" (weekday, "at", zone optional; AM/PM/a.m./p.m.), "Feb. 6,
 * 2026", "6 February 2026 16:43", "Sept 6, 2026", "2026/02/06 16:43",
 * "06.02.2026" (day.month.year). Zones: UT, UTC, GMT, Z, EST/EDT, CST/CDT,
 * MST/MDT, PST/PDT, CET, CEST, BST, "+01:00", "+0100", "UTC+1", "GMT+01:00".
 * A missing zone means UTC; a missing time, midnight. A weekday name (followed
 * by a comma) is accepted but not checked against the date. Rejected as
 * ambiguous: IST and slashed day/month orders such as "02/06/2026".
 * @param out seconds since 1970-01-01 UTC.
 * @return SYNDIC_OK or SYNDIC_EINVAL.
 */
SYNDIC_API int syndic_date_parse(int64_t *out, const char *s, size_t len);

/* ------------------------------------------------------------------------ */
/* Reading JSON Lines and text files                                        */
/* ------------------------------------------------------------------------ */

/** Why a record was rejected. */
typedef enum syndic_reject {
    SYNDIC_REJECT_NONE = 0,
    SYNDIC_REJECT_MALFORMED_JSON,
    SYNDIC_REJECT_NOT_OBJECT,
    SYNDIC_REJECT_MISSING_FIELD,
    SYNDIC_REJECT_NOT_STRING,
    SYNDIC_REJECT_INVALID_UTF8,
    SYNDIC_REJECT_NUL_BYTE,
    SYNDIC_REJECT_EMPTY_TEXT,
    SYNDIC_REJECT_LINE_TOO_LONG,
    SYNDIC_REJECT_DUPLICATE_ID,
    SYNDIC_REJECT_COUNT
} syndic_reject;

/** Short stable name of a reason, e.g. "malformed_json". */
SYNDIC_API const char *syndic_reject_name(syndic_reject reason);

/** How to read inputs. */
typedef struct syndic_read_options {
    unsigned version;         /**< SYNDIC_READ_OPTIONS_VERSION */
    const char *field_id;     /**< JSON key of the id; default "id" */
    const char *field_text;   /**< default "text" */
    const char *field_outlet; /**< default "outlet", then "source" */
    const char *field_date;   /**< default "date" */
    const char *field_title;  /**< default "title" */
    const char *field_url;    /**< default "url" */
    size_t max_line;          /**< longest record in bytes; default 64 MiB */
    int outlet_from_dir;      /**< text trees: outlet = first path part */
    const char *display_name; /**< name in messages; NULL = the path */
} syndic_read_options;
#define SYNDIC_READ_OPTIONS_VERSION 1
#define SYNDIC_DEFAULT_MAX_LINE ((size_t)64 << 20)
#define SYNDIC_READ_OPTIONS_INIT                                               \
    {SYNDIC_READ_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL,          \
     SYNDIC_DEFAULT_MAX_LINE, 0, NULL}

/**
 * Fill `options` with the defaults, as SYNDIC_READ_OPTIONS_INIT does.
 * @param version  SYNDIC_READ_OPTIONS_VERSION.
 * @return SYNDIC_OK; SYNDIC_EINVAL when options is NULL or the version is
 *         not one this library knows (options is left unchanged).
 */
SYNDIC_API int syndic_read_options_init(syndic_read_options *options, unsigned version);

/**
 * Reads documents from one input: a JSON Lines file (plain or gzip, detected
 * by its magic bytes), "-" for standard input, or a directory tree of .txt
 * files (one document each, id = path relative to the directory, walked in
 * sorted order).
 */
typedef struct syndic_reader syndic_reader;

/** @return SYNDIC_OK, SYNDIC_EIO (message names the path), SYNDIC_ENOMEM. */
SYNDIC_API int syndic_reader_open(syndic_reader **out, const char *path,
                                  const syndic_read_options *options);
/** Closes a reader; NULL is allowed. */
SYNDIC_API void syndic_reader_free(syndic_reader *r);

/**
 * Next document.
 * @param doc set to the document, borrowed until the next call.
 * @return 1 with a document; 0 at the end of the input;
 *         SYNDIC_EBADREC when one record is bad: `*reason` says why,
 *         syndic_last_error() says "file:line: reason", and the next call
 *         goes on with the following record;
 *         SYNDIC_EIO when the input cannot be read further (a truncated or
 *         corrupt gzip stream, a read error): the reader is then at its end;
 *         SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_reader_next(syndic_doc *doc, syndic_reject *reason,
                                  syndic_reader *r);

/** Where the reader is: the input's display name and the 1-based line (or
 *  file number for a text tree) of the last record returned. */
SYNDIC_API const char *syndic_reader_name(const syndic_reader *r);
SYNDIC_API uint64_t syndic_reader_line(const syndic_reader *r);
/** Bytes consumed from the input so far (after decompression). */
SYNDIC_API uint64_t syndic_reader_bytes(const syndic_reader *r);

/* ------------------------------------------------------------------------ */
/* Feed ingest: a verdict per arriving article, against a persistent state   */
/* ------------------------------------------------------------------------ */

/**
 * A state: an LMDB environment in a directory holding every article in the
 * window (metadata, signature, figures and title fingerprints), the LSH
 * postings (band key -> articles), the stories and the template line counts.
 * It records the parameters that made it and refuses other ones. Articles
 * are submitted one at a time; each gets a verdict against everything
 * submitted before it; syndic_state_commit() makes them durable. Readers
 * (other processes opening the state read-only) see the last commit and may
 * run while a writer works. Design and guarantees: docs/ingest.md.
 *
 * Example: ingest and print verdicts only once they are durable.
 *
 *     syndic_params p = SYNDIC_PARAMS_INIT;
 *     syndic_state_options o = SYNDIC_STATE_OPTIONS_INIT;
 *     syndic_state *st = NULL;
 *     if (syndic_state_open(&st, "state/", &p, &o) < 0) die(syndic_last_error());
 *     syndic_ingest_verdict v;
 *     if (syndic_state_submit(&v, st, &doc, 0) < 0) die(...);
 *     ... keep what you need of v, submit more ...
 *     if (syndic_state_commit(st) < 0) die(...);   now publish the verdicts
 *     syndic_state_free(st);
 */
typedef struct syndic_state syndic_state;

typedef struct syndic_state_options {
    unsigned version;       /**< SYNDIC_STATE_OPTIONS_VERSION */
    int read_only;          /**< open an existing state for reading (stats,
                                 export, verify); params may then be NULL */
    int64_t window;         /**< seconds: articles older than the newest
                                 article time seen minus this are evicted;
                                 0 = keep everything (default). Recorded in
                                 the state like the params */
    unsigned template_docs; /**< a line seen in this many articles of one
                                 outlet with different contents is a template
                                 (as syndic_templates_new); default 3; 0 = no
                                 templates. Recorded in the state */
    int sync;               /**< 1 (default): a commit is on disk when it
                                 returns (fsync); 0: survives a crash of the
                                 process, not of the machine;
                                 SYNDIC_STATE_SYNC_GROUP: commits do not
                                 sync; syndic_state_sync() (from any thread)
                                 makes every commit returned before it
                                 durable (group commit) */
    uint64_t map_size;      /**< largest state in bytes (the file grows as
                                 needed); default 64 GiB */
} syndic_state_options;
#define SYNDIC_STATE_OPTIONS_VERSION 1
#define SYNDIC_STATE_SYNC_GROUP 2
#define SYNDIC_DEFAULT_TEMPLATE_DOCS 3
#define SYNDIC_DEFAULT_MAP_SIZE ((uint64_t)64 << 30)
#define SYNDIC_STATE_OPTIONS_INIT                                              \
    {SYNDIC_STATE_OPTIONS_VERSION, 0, 0, SYNDIC_DEFAULT_TEMPLATE_DOCS, 1,      \
     SYNDIC_DEFAULT_MAP_SIZE}

/**
 * Fill `options` with the defaults, as SYNDIC_STATE_OPTIONS_INIT does.
 * @param version  SYNDIC_STATE_OPTIONS_VERSION.
 * @return SYNDIC_OK; SYNDIC_EINVAL when options is NULL or the version is
 *         not one this library knows (options is left unchanged).
 */
SYNDIC_API int syndic_state_options_init(syndic_state_options *options, unsigned version);

/** What an article got. */
typedef enum syndic_ingest_kind {
    SYNDIC_INGEST_NEW = 0,   /**< starts a story */
    SYNDIC_INGEST_COPY,      /**< a copy of an earlier article's story */
    SYNDIC_INGEST_DUPLICATE, /**< its id is already in the state: nothing is
                                  stored; the verdict is the stored one */
    SYNDIC_INGEST_REJECTED   /**< bad input; nothing is stored */
} syndic_ingest_kind;

/** "new", "copy", "duplicate", "rejected". */
SYNDIC_API const char *syndic_ingest_kind_name(syndic_ingest_kind k);

/** A verdict. Strings are NUL-terminated and borrowed from the state until
 *  its next call. */
typedef struct syndic_ingest_verdict {
    syndic_ingest_kind kind;
    syndic_ingest_kind first;  /**< DUPLICATE: what the id got first (NEW or
                                    COPY); otherwise equal to kind */
    syndic_reject reason;      /**< REJECTED: why */
    uint64_t story;            /**< story id (from 1); 0 when rejected */
    uint64_t seq;              /**< the article's number in the state */
    const char *id;
    const char *origin;        /**< id of the story's first article */
    const char *match;         /**< COPY: the best-matching earlier article
                                    (highest estimated Jaccard); "" otherwise */
    double jaccard;            /**< COPY: estimated Jaccard with the match */
    double containment;        /**< COPY: estimated containment of the
                                    shorter of the two in the longer */
    uint32_t candidates;       /**< articles verified (sharing a band) */
    uint32_t story_size;       /**< articles of the story in the window */
} syndic_ingest_verdict;

/**
 * Open (or create) the state in directory `dir` (created when missing). A
 * writer rebuilds its in-memory index (LSH postings, ids, the articles'
 * signatures, template counts) from the stored articles: time and memory
 * grow with the state (about 11 s and 1.8 GB for 1M articles on the bench
 * machine; docs/ingest.md). States of an older format are refused.
 * @param params  the matching parameters (resolved and compared with the
 *                state's); NULL with read_only to take the state's.
 * @param options NULL for the defaults.
 * @return SYNDIC_OK; SYNDIC_EINVAL when the state was made with other
 *         parameters or settings (the message names the first that differs)
 *         or is not a syndic state of this format version; SYNDIC_EIO when
 *         the directory or LMDB cannot be opened; SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_state_open(syndic_state **out, const char *dir, const syndic_params *params,
                                 const syndic_state_options *options);
/** Closes the state, dropping what was submitted since the last commit. NULL
 *  is allowed. */
SYNDIC_API void syndic_state_free(syndic_state *s);
/** The state's resolved parameters. */
SYNDIC_API const syndic_params *syndic_state_params(const syndic_state *s);

/**
 * Verdict for one article, against every article submitted before it (the
 * uncommitted ones included), and store it. Same normalization, template
 * dropping and verification as the batch (see docs/ingest.md for the
 * differences that arrival order makes).
 * @param arrival seconds since 1970: the article's time when its date is
 *                absent or does not parse (for the window); 0 = now.
 * @return SYNDIC_OK (verdict NEW, COPY or DUPLICATE); SYNDIC_EBADREC with a
 *         REJECTED verdict (no id or no text); SYNDIC_EINVAL on a read-only
 *         state; SYNDIC_EIO or SYNDIC_ENOMEM, after which everything
 *         submitted since the last commit is dropped.
 */
SYNDIC_API int syndic_state_submit(syndic_ingest_verdict *out, syndic_state *s,
                                   const syndic_doc *doc, int64_t arrival);
/**
 * Submitting in two steps, so that a caller can sketch on one thread while
 * another submits: syndic_state_prepare() copies the document, parses its
 * date and sketches it with the templates known now; it may run on any
 * thread, concurrently with the submitting thread's calls, for a prep that
 * thread does not touch. syndic_state_submit_prepared() then gives its
 * verdict on the submitting thread; if templates learned in between change
 * how the text is cut, it sketches again, so the verdicts are the ones
 * syndic_state_submit() gives in the same order. A prep is reusable.
 */
typedef struct syndic_state_prep syndic_state_prep;
SYNDIC_API int syndic_state_prep_new(syndic_state_prep **out);
SYNDIC_API void syndic_state_prep_free(syndic_state_prep *p);
/** @return SYNDIC_OK; SYNDIC_EBADREC (no id or no text: submitting the prep
 *  then gives a REJECTED verdict); SYNDIC_EINVAL (read-only); SYNDIC_ENOMEM. */
SYNDIC_API int syndic_state_prepare(syndic_state *s, syndic_state_prep *p, const syndic_doc *doc,
                                    int64_t arrival);
/** As syndic_state_submit(), for a prepared document. */
SYNDIC_API int syndic_state_submit_prepared(syndic_ingest_verdict *out, syndic_state *s,
                                            syndic_state_prep *p);
/** Articles submitted since the last commit. */
SYNDIC_API size_t syndic_state_pending(const syndic_state *s);
/**
 * Make every submitted article durable (one LMDB transaction). Verdicts
 * should be published only after this returns SYNDIC_OK.
 * @return SYNDIC_OK, SYNDIC_EIO (nothing of the batch is kept).
 */
SYNDIC_API int syndic_state_commit(syndic_state *s);
/** Commits returned so far (any thread may read it). */
SYNDIC_API uint64_t syndic_state_commits(syndic_state *s);
/**
 * Flush the state's file to disk (fdatasync), safe to call from another
 * thread while the writer submits and commits. Every commit counted by
 * syndic_state_commits() before the call started is durable when it
 * returns. With SYNDIC_STATE_SYNC_GROUP, this is what makes commits
 * durable (see docs/ingest.md for the guarantees).
 * @param durable set to the number of commits now durable (may be NULL).
 * @return SYNDIC_OK, SYNDIC_EIO, SYNDIC_EINVAL (read-only).
 */
SYNDIC_API int syndic_state_sync(uint64_t *durable, syndic_state *s);
/** Seconds syndic_state_open() took (for a writer: the rebuild of the
 *  in-memory index from the stored articles). */
SYNDIC_API double syndic_state_open_seconds(const syndic_state *s);

/** Counts of a state (as of the last commit for a reader). */
typedef struct syndic_state_stats {
    uint64_t documents;   /**< in the window */
    uint64_t stories;     /**< with at least one article in the window */
    uint64_t postings;    /**< LSH postings (kept in memory, rebuilt at open) */
    uint64_t lines;       /**< short lines counted for templates */
    uint64_t templates;   /**< of them, templates */
    uint64_t submitted;   /**< articles ever stored (evicted included) */
    uint64_t evicted;
    uint64_t stories_ever;
    uint64_t file_bytes;  /**< size of the data file */
    uint64_t used_bytes;  /**< pages in use */
    int64_t newest;       /**< newest article time seen; INT64_MIN if none */
} syndic_state_stats;
SYNDIC_API int syndic_state_get_stats(syndic_state_stats *out, syndic_state *s);

/** An article as stored: strings NUL-terminated, "" when absent; borrowed
 *  for the duration of the callback. */
typedef struct syndic_state_doc {
    uint64_t seq, story;
    const char *id, *outlet, *date, *title, *url;
    int has_time;
    int64_t time;         /**< the date parsed, when has_time */
    int64_t arrival;
    uint32_t shingles;
    const uint32_t *signature; /**< num_hashes values */
} syndic_state_doc;
/** Calls fn for every article in the state, in submission order, inside one
 *  read snapshot; a non-zero return from fn stops and is returned. */
SYNDIC_API int syndic_state_foreach(syndic_state *s,
                                    int (*fn)(void *ctx, const syndic_state_doc *d), void *ctx);

/**
 * Check the state's invariants: every article has its id, time and postings
 * entries and a story; counts agree; every posting and id names an article
 * (a writer's in-memory index is checked too, unless a lost batch left it
 * to be rebuilt before the next write).
 * @param problems set to the number of problems; the first is described by
 *                 syndic_last_error().
 * @return SYNDIC_OK (also with problems), SYNDIC_EIO, SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_state_verify(uint64_t *problems, syndic_state *s);
/**
 * Write a compacted copy of the state (free pages left out) into directory
 * `dest` (created, must not hold a state), from one read snapshot.
 * @return SYNDIC_OK; SYNDIC_EIO when `dest` cannot be created, already
 *         holds a state, or the copy failed.
 */
SYNDIC_API int syndic_state_copy(syndic_state *s, const char *dest);
/**
 * Compact the state in directory `dir` in place: free pages are left out of
 * a copy, which then replaces the data file atomically (a crash leaves the
 * old file or the new one, never a mix). Takes the writer lock for the
 * duration, so it fails rather than run beside an ingest; no reader should
 * have the state open (it would keep reading the old file).
 * @param bytes_before set to the data file's size before (may be NULL).
 * @param bytes_after  set to its size after (may be NULL).
 * @return SYNDIC_OK; SYNDIC_EIO when there is no state in `dir`, another
 *         process is writing it, or the copy or the replacement failed (the
 *         state is then unchanged); SYNDIC_EINVAL when `dir` holds no
 *         syndic state of this format; SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_state_compact(uint64_t *bytes_before, uint64_t *bytes_after, const char *dir);

/* ------------------------------------------------------------------------ */
/* Durable ingest: a pipeline that gives verdicts once they are durable     */
/* ------------------------------------------------------------------------ */

/**
 * A pipeline feeds a writable state from a stream of documents on threads
 * of its own, and hands each verdict back once the article is durable, in
 * submission order: what `syndic ingest` does, for any program (an HTTP
 * service, a binding). It runs
 *  - a preparing thread (syndic_state_prepare: normalize, sketch),
 *  - a writing thread (syndic_state_submit_prepared, commits, and the
 *    result callback),
 *  - with a state opened with sync = SYNDIC_STATE_SYNC_GROUP, a syncing
 *    thread: every article is then its own transaction, committed without
 *    a sync, and delivered once a sync that started after its commit has
 *    ended (group commit; commit_every and commit_ms do not apply).
 *    Otherwise commits are batched: after commit_every held verdicts, when
 *    the oldest held verdict is commit_ms old (also while no document
 *    comes), and at the end; each is durable as the state's sync option
 *    says.
 * The verdicts are the ones syndic_state_submit() gives for the same
 * documents in the same order.
 *
 * Documents come one of two ways:
 *  - pushed, from any thread (syndic_pipeline_push, _push_batch,
 *    _push_rejected): copied; a push blocks while `queue` documents wait;
 *  - pulled: options.next is called on the preparing thread for each
 *    document, as syndic_reader_next() gives them, until it returns 0.
 *
 * Every document accepted (a push that returned SYNDIC_OK, a document or
 * rejection that next() returned) gets exactly one call of on_result, in
 * submission order, on the writing thread (after a failure, possibly on the
 * preparing thread): its durable verdict, its rejection, or - once the
 * pipeline has failed or is freed before its end - a status < 0 saying
 * that no durable verdict will come. So each item can be answered and
 * released in on_result. on_result must not call the pipeline's functions.
 *
 * The state belongs to the pipeline from syndic_pipeline_new() to
 * syndic_pipeline_free(): use none of its functions meanwhile.
 *
 * Example: an HTTP handler submits a request's documents; a verdict
 * answers each once durable.
 *
 *     static int answer(void *ctx, const syndic_pipeline_result *r)
 *     {
 *         request *q = r->item;
 *         if (r->status == SYNDIC_OK) reply(q, r->verdict);
 *         else if (r->status == SYNDIC_EBADREC) reply_bad(q, r->message);
 *         else reply_error(q, r->message);
 *         return 0;
 *     }
 *     ...
 *     syndic_pipeline_options o = SYNDIC_PIPELINE_OPTIONS_INIT;
 *     o.on_result = answer;
 *     o.commit_ms = 5;
 *     syndic_pipeline *pl = NULL;
 *     if (syndic_pipeline_new(&pl, state, &o) < 0) die(syndic_last_error());
 *     ... per request: syndic_pipeline_push_batch(pl, docs, n, 0, items) ...
 *     syndic_pipeline_finish(pl);    at shutdown: the last verdicts
 *     syndic_pipeline_free(pl);
 */
typedef struct syndic_pipeline syndic_pipeline;

/** One document's outcome, borrowed for the duration of on_result. */
typedef struct syndic_pipeline_result {
    int status;        /**< SYNDIC_OK: `verdict` (NEW, COPY, DUPLICATE) is
                            durable; SYNDIC_EBADREC: rejected, nothing
                            stored (`verdict` says why, `message` too);
                            other negative: no durable verdict - the
                            pipeline failed or was freed before the end,
                            the article may or may not be stored
                            (resubmitting it gives its verdict) */
    const syndic_ingest_verdict *verdict; /**< NULL when status is neither
                            SYNDIC_OK nor SYNDIC_EBADREC */
    const char *message; /**< why, when status < 0; "" otherwise */
    void *item;        /**< the caller's pointer given with the document */
    uint64_t number;   /**< its place in submission order, from 0 */
    double seconds;    /**< from its push (or next() returning it) to now */
    int cause;         /**< status < 0: 1 for the document whose preparation
                            or submission failed and stopped the pipeline */
    int last;          /**< 1 for the last result of a delivery (a commit's,
                            a sync's, a failure's): a good moment to flush
                            output */
} syndic_pipeline_result;

/** on_result: a non-zero return stops the pipeline (a failure; the
 *  remaining documents get status < 0). */
typedef int (*syndic_pipeline_result_fn)(void *ctx, const syndic_pipeline_result *r);

/**
 * next (pull mode), called on the preparing thread.
 * @param doc     set to the next document, borrowed until the next call.
 * @param item    set to the caller's pointer for it (starts NULL).
 * @param arrival as syndic_state_submit()'s (starts 0: now).
 * @param reason  set when the record is rejected.
 * @return 1 with a document; 0 at the end of the input; SYNDIC_EBADREC
 *         for a bad record (a REJECTED verdict in its place, with
 *         syndic_last_error() as message); another negative status stops
 *         the pipeline (syndic_last_error() says why).
 */
typedef int (*syndic_pipeline_next_fn)(void *ctx, syndic_doc *doc, void **item,
                                       int64_t *arrival, syndic_reject *reason);

typedef struct syndic_pipeline_options {
    unsigned version;      /**< SYNDIC_PIPELINE_OPTIONS_VERSION */
    unsigned commit_every; /**< batched commits: after this many held
                                verdicts (duplicates and rejections
                                included); default 1000, range 1..2^30 */
    unsigned commit_ms;    /**< ... or when the oldest held verdict is this
                                many milliseconds old; default 200, range
                                0..2^30 */
    unsigned queue;        /**< documents taken ahead of the writing
                                thread; default 1024, range 1..2^20 */
    syndic_pipeline_result_fn on_result; /**< required */
    syndic_pipeline_next_fn next;        /**< NULL: documents are pushed */
    void *ctx;             /**< passed to on_result and next */
} syndic_pipeline_options;
#define SYNDIC_PIPELINE_OPTIONS_VERSION 1
#define SYNDIC_DEFAULT_COMMIT_EVERY 1000
#define SYNDIC_DEFAULT_COMMIT_MS 200
#define SYNDIC_DEFAULT_QUEUE 1024
#define SYNDIC_PIPELINE_OPTIONS_INIT                                           \
    {SYNDIC_PIPELINE_OPTIONS_VERSION, SYNDIC_DEFAULT_COMMIT_EVERY,             \
     SYNDIC_DEFAULT_COMMIT_MS, SYNDIC_DEFAULT_QUEUE, NULL, NULL, NULL}

/**
 * Fill `options` with the defaults, as SYNDIC_PIPELINE_OPTIONS_INIT does
 * (on_result, next and ctx NULL: on_result is still to be set).
 * @param version  SYNDIC_PIPELINE_OPTIONS_VERSION.
 * @return SYNDIC_OK; SYNDIC_EINVAL when options is NULL or the version is
 *         not one this library knows (options is left unchanged).
 */
SYNDIC_API int syndic_pipeline_options_init(syndic_pipeline_options *options,
                                            unsigned version);

/**
 * Start a pipeline on a state opened for writing.
 * @param state   taken over until syndic_pipeline_free() (not freed by it).
 * @param options on_result is required.
 * @return SYNDIC_OK; SYNDIC_EINVAL (a read-only state, an option out of
 *         range, no on_result); SYNDIC_ENOMEM; SYNDIC_ERROR when a thread
 *         cannot be started.
 */
SYNDIC_API int syndic_pipeline_new(syndic_pipeline **out, syndic_state *state,
                                   const syndic_pipeline_options *options);
/**
 * Submit one document (push mode): copied, so `doc` may go when this
 * returns. Blocks while `queue` documents wait.
 * @param arrival as syndic_state_submit()'s; 0 = when prepared.
 * @param item    handed back with its result (may be NULL).
 * @return SYNDIC_OK (on_result will be called for it); SYNDIC_EINVAL in
 *         pull mode or after syndic_pipeline_finish(); the pipeline's
 *         failure status once it has failed (syndic_last_error() says
 *         why); SYNDIC_ENOMEM. On failure on_result is not called for it.
 */
SYNDIC_API int syndic_pipeline_push(syndic_pipeline *p, const syndic_doc *doc, int64_t arrival,
                                    void *item);
/**
 * Submit n documents, consecutive in submission order (no other thread's
 * push comes between them).
 * @param items n pointers, one per document (the array may be NULL).
 * @return as syndic_pipeline_push(); on a failure the documents before
 *         the failing one were accepted: `*accepted` (may be NULL) says how
 *         many.
 */
SYNDIC_API int syndic_pipeline_push_batch(syndic_pipeline *p, const syndic_doc *docs, size_t n,
                                          int64_t arrival, void *const *items, size_t *accepted);
/**
 * Submit a record that was rejected before it became a document (a
 * reader's syndic_reader_next() said SYNDIC_EBADREC): it keeps its place
 * in the order and comes back as a REJECTED verdict with this reason and
 * message (may be NULL).
 * @return as syndic_pipeline_push().
 */
SYNDIC_API int syndic_pipeline_push_rejected(syndic_pipeline *p, syndic_reject reason,
                                             const char *message, void *item);
/**
 * End of input: waits until every document has its result (the last batch
 * committed and durable), then stops the threads. Push mode: no push may
 * follow. Pull mode: waits for next() to return 0.
 * @return SYNDIC_OK; the failure status of a pipeline that failed (the
 *         first failure: syndic_last_error() gives its message; in pull
 *         mode the preparing thread may then still be in a next() call,
 *         which syndic_pipeline_free() waits for).
 */
SYNDIC_API int syndic_pipeline_finish(syndic_pipeline *p);
/**
 * Stop and free. Before syndic_pipeline_finish(), what is not durable is
 * dropped: the open transaction is abandoned and the documents without a
 * result get status < 0. NULL is allowed.
 */
SYNDIC_API void syndic_pipeline_free(syndic_pipeline *p);

/** Latencies in microseconds (from a log-linear histogram: within 1%). */
typedef struct syndic_latency {
    uint64_t count;
    double p50, p99, max;
} syndic_latency;

/** What a pipeline did so far (as of its last delivery; complete after
 *  syndic_pipeline_finish()). */
typedef struct syndic_pipeline_stats {
    uint64_t verdicts[4];     /**< results delivered, by syndic_ingest_kind */
    uint64_t commits;
    double commit_seconds;    /**< in syndic_state_commit() */
    double commit_max_seconds;
    double wait_seconds;      /**< the writing thread waiting for documents */
    double writer_cpu_seconds, prepare_cpu_seconds; /**< CPU time of the
                                 writing and the preparing thread (pull
                                 mode: next() included) */
    syndic_latency submit;    /**< syndic_state_submit_prepared() */
    syndic_latency prepare;   /**< syndic_state_prepare() */
    syndic_latency verdict;   /**< from a document's push (or next()) to
                                 the end of the on_result calls of its
                                 delivery */
} syndic_pipeline_stats;
/**
 * What the pipeline did so far (any thread, also from on_result's).
 * @return SYNDIC_OK.
 */
SYNDIC_API int syndic_pipeline_get_stats(syndic_pipeline_stats *out, syndic_pipeline *p);

/* ------------------------------------------------------------------------ */
/* Quality against ground truth                                             */
/* ------------------------------------------------------------------------ */

/** Agreement of a clustering with a true partition of the same n items. */
typedef struct syndic_quality {
    double precision, recall, f1; /**< over pairs of items */
    double ari;                   /**< adjusted Rand index */
    double bcubed_precision, bcubed_recall, bcubed_f1;
    uint64_t true_pairs, found_pairs, correct_pairs;
} syndic_quality;

/**
 * Compare predicted labels with true labels (each an integer per item;
 * items with the same label are in the same group).
 * @return SYNDIC_OK, SYNDIC_ENOMEM.
 */
SYNDIC_API int syndic_quality_compute(syndic_quality *out, const uint32_t *predicted,
                                      const uint32_t *truth, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* SYNDIC_H */
