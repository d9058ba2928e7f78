/* options.h - long-option codes shared by the subcommands. */
#ifndef SYNDIC_CLI_OPTIONS_H
#define SYNDIC_CLI_OPTIONS_H

#include <stdbool.h>

enum {
    OPT_SHINGLE = 1000, OPT_NUM_HASHES, OPT_BANDS, OPT_ROWS, OPT_THRESHOLD,
    OPT_SEED, OPT_MAX_BUCKET, OPT_FIELD, OPT_OUTLET_FROM_DIR, OPT_MAX_LINE,
    OPT_STRICT, OPT_STATS, OPT_TRUTH, OPT_FORMAT, OPT_SINGLETONS, OPT_QUIET,
    OPT_MAX_WARNINGS, OPT_IN, OPT_JSON, OPT_HELP, OPT_MAX_GAP,
    OPT_SAME_OUTLET_GAP, OPT_GUARD, OPT_MIN_SHARED, OPT_NUMBERS, OPT_OUTLET, OPT_CONTAINMENT, OPT_LSH_THRESHOLD,
    OPT_NO_TEMPLATES, OPT_TEMPLATE_DOCS, OPT_NO_ANALYSIS, OPT_THREADS
};

/* Online CPUs (sysconf), at least 1: the default of --threads. */
unsigned cli_online_cpus(void);
/* Parses a --threads value: 1..256, or 0 for the online CPUs. */
bool cli_parse_threads(const char *arg, unsigned *out);

/* The getopt_long entries for the matching parameters. */
#define PARAM_LONG_OPTIONS                                                     \
    {"shingle", required_argument, NULL, OPT_SHINGLE},                         \
    {"num-hashes", required_argument, NULL, OPT_NUM_HASHES},                   \
    {"bands", required_argument, NULL, OPT_BANDS},                             \
    {"rows", required_argument, NULL, OPT_ROWS},                               \
    {"threshold", required_argument, NULL, OPT_THRESHOLD},                     \
    {"seed", required_argument, NULL, OPT_SEED},                               \
    {"max-bucket", required_argument, NULL, OPT_MAX_BUCKET},                   \
    {"max-gap", required_argument, NULL, OPT_MAX_GAP},                         \
    {"same-outlet-gap", required_argument, NULL, OPT_SAME_OUTLET_GAP},         \
    {"guard", required_argument, NULL, OPT_GUARD},                             \
    {"min-shared", required_argument, NULL, OPT_MIN_SHARED},                   \
    {"numbers", required_argument, NULL, OPT_NUMBERS},                         \
    {"containment", required_argument, NULL, OPT_CONTAINMENT},                 \
    {"lsh-threshold", required_argument, NULL, OPT_LSH_THRESHOLD}

#define PARAM_HELP                                                             \
    "Matching:\n"                                                              \
    "  --shingle N        words per shingle (default 4, 1..16)\n"              \
    "  --num-hashes K     MinHash values per document (default 128, 8..1024)\n" \
    "  --threshold T      estimated Jaccard for a match (default 0.25)\n"       \
    "  --containment C    or: the shorter text lies C inside the longer, for\n" \
    "                     trimmed and extended copies (default 0.7; 0 = off)\n" \
    "  --lsh-threshold L  Jaccard the LSH bands aim at (default: 0.2 with\n"    \
    "                     containment on, else the threshold)\n"       \
    "  --bands B --rows R LSH banding (default: chosen from the threshold)\n"  \
    "  --seed S           hash seed (default 0x5317d1c0ffee5eed)\n"            \
    "  --max-bucket N     skip LSH buckets of more documents (default 200)\n"    \
    "  --max-gap D        dated documents further apart are never one story\n"  \
    "                     (default 3d; units s, m, h, d; 0 = no limit)\n"       \
    "  --same-outlet-gap D  the same within one outlet (default 12h)\n"        \
    "  --guard G          clusters merge only if their representatives match\n" \
    "                     at G x threshold (default 0.5; 0 = single linkage)\n" \
    "  --min-shared N     a match shares ~N shingles, or the shorter text lies\n" \
    "                     80% inside the longer (default 20; 0 = off)\n"        \
    "  --numbers A        texts with 3+ numbers must share at least A of the\n" \
    "                     figures of the one with fewer (default 0.5; 0 = off)\n"

#endif
