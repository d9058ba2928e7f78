/* words.h - embedded vocabulary for syndgen.
 *
 * Every list is an array of string literals terminated by NULL; each literal
 * holds whitespace-separated entries, ordered roughly from most to least
 * frequent (the generator samples them with a Zipf law on that rank).
 * Entries of the form "base:irregular" carry an irregular form (noun plural,
 * verb past tense).  Multi-word entries use '_' for a space.
 */
#ifndef SYNDGEN_WORDS_H
#define SYNDGEN_WORDS_H

extern const char *const W_NOUNS[];
extern const char *const W_VERBS[];
extern const char *const W_ADJS[];
extern const char *const W_ADVS[];
extern const char *const W_PREPS[];

enum { N_TOPICS = 8 };
extern const char *const W_TOPIC_NAMES[N_TOPICS];
extern const char *const W_TOPIC_NOUNS[N_TOPICS];
extern const char *const W_TOPIC_VERBS[N_TOPICS];

extern const char *const W_SYNONYMS[]; /* groups separated by ';' inside one literal */

extern const char *const W_FIRST[];
extern const char *const W_LAST[];
extern const char *const W_LAST_PRE[];
extern const char *const W_LAST_SUF[];
extern const char *const W_CITIES[];
extern const char *const W_COUNTRIES[];
extern const char *const W_CO_PRE[];
extern const char *const W_CO_SUF[];
extern const char *const W_CO_IND[];
extern const char *const W_CO_KIND[];
extern const char *const W_PAPERS[];
extern const char *const W_BRAND_A[];
extern const char *const W_BRAND_B[];
extern const char *const W_MASCOTS[];
extern const char *const W_ROLES[];
extern const char *const W_SECTORS[];

#endif
