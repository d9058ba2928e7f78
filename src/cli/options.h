/* options.h - long-option codes shared by the subcommands, and the matching
 * parameters' options, help and reports, built from the library's table. */
#ifndef SYNDIC_CLI_OPTIONS_H
#define SYNDIC_CLI_OPTIONS_H

#include "syndic.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

enum {
    OPT_FIELD = 1000, OPT_OUTLET_FROM_DIR, OPT_MAX_LINE,
    OPT_STRICT, OPT_STATS, OPT_TRUTH, OPT_FORMAT, OPT_SINGLETONS, OPT_QUIET,
    OPT_MAX_WARNINGS, OPT_IN, OPT_JSON, OPT_HELP, OPT_OUTLET,
    OPT_NO_TEMPLATES, OPT_TEMPLATE_DOCS, OPT_NO_ANALYSIS, OPT_THREADS,
    /* The matching parameters: OPT_PARAM + their index in the library's
     * table (syndic_param_at). */
    OPT_PARAM = 3000
};

/* Online CPUs (sysconf), at least 1: the default of --threads. */
unsigned cli_online_cpus(void);
/* Parses a --threads value: 1..256, or 0 for the online CPUs. */
bool cli_parse_threads(const char *arg, unsigned *out);

/* The command's own long options (ending with a zero entry) followed by
 * one per matching parameter, for getopt_long. Built anew at each call (a
 * process runs one command); NULL when out of memory (reported). */
const struct option *cli_long_options(const struct option *own);
/* head, the "Matching:" section of the help (from the parameter table),
 * then tail. */
void cli_usage(FILE *out, const char *head, const char *tail);
/* Every parameter as the options that give it, e.g. "--shingle 4
 * --num-hashes 128 ... --max-gap 3d ...": a run can be repeated from it. */
void cli_params_line(FILE *out, const syndic_params *p);
/* Every parameter as a JSON object (jansson): its field name as key
 * (durations with "_seconds"), the seed as a "0x..." string. NULL when out
 * of memory. */
struct json_t *cli_params_json(const syndic_params *p);

#endif
