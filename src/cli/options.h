/* options.h - long-option codes shared by the subcommands. */
#ifndef SYNDIC_CLI_OPTIONS_H
#define SYNDIC_CLI_OPTIONS_H

enum {
    OPT_SHINGLE = 1000, OPT_NUM_HASHES, OPT_BANDS, OPT_ROWS, OPT_THRESHOLD,
    OPT_SEED, OPT_MAX_BUCKET, OPT_FIELD, OPT_OUTLET_FROM_DIR, OPT_MAX_LINE,
    OPT_STRICT, OPT_STATS, OPT_TRUTH, OPT_FORMAT, OPT_SINGLETONS, OPT_QUIET,
    OPT_MAX_WARNINGS, OPT_IN, OPT_JSON, OPT_HELP
};

/* The getopt_long entries for the matching parameters. */
#define PARAM_LONG_OPTIONS                                                     \
    {"shingle", required_argument, NULL, OPT_SHINGLE},                         \
    {"num-hashes", required_argument, NULL, OPT_NUM_HASHES},                   \
    {"bands", required_argument, NULL, OPT_BANDS},                             \
    {"rows", required_argument, NULL, OPT_ROWS},                               \
    {"threshold", required_argument, NULL, OPT_THRESHOLD},                     \
    {"seed", required_argument, NULL, OPT_SEED},                               \
    {"max-bucket", required_argument, NULL, OPT_MAX_BUCKET}

#define PARAM_HELP                                                             \
    "Matching:\n"                                                              \
    "  --shingle N        words per shingle (default 4, 1..16)\n"              \
    "  --num-hashes K     MinHash values per document (default 128, 8..1024)\n" \
    "  --threshold T      estimated Jaccard for a match (default 0.35)\n"       \
    "  --bands B --rows R LSH banding (default: chosen from the threshold)\n"  \
    "  --seed S           hash seed (default 0x5317d1c0ffee5eed)\n"            \
    "  --max-bucket N     skip LSH buckets of more documents (default 200)\n"

#endif
