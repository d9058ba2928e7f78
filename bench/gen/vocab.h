/* vocab.h - parsed, Zipf-weighted word lists for syndgen. */
#ifndef SYNDGEN_VOCAB_H
#define SYNDGEN_VOCAB_H

#include "util.h"

/* word forms */
enum { F_SING = 0, F_PLUR = 1 };                         /* nouns */
enum { F_BASE = 0, F_PAST = 1, F_S3 = 2, F_ING = 3 };     /* verbs */

typedef struct {
    uint32_t n;
    const char **f[4]; /* f[0] always set; nouns use 0..1, verbs 0..3 */
    double *cdf;       /* Zipf cumulative weights, cdf[n-1] == 1 */
} wl_t;

enum { WL_PLAIN = 0, WL_NOUN = 1, WL_VERB = 2 };

void wl_load(wl_t *wl, const char *const *src, int kind, double zipf_s, char sep);
uint32_t wl_pick(const wl_t *wl, rng_t *r);
static inline const char *wl_zipf(const wl_t *wl, rng_t *r, int form)
{
    return wl->f[form][wl_pick(wl, r)];
}
static inline const char *wl_unif(const wl_t *wl, rng_t *r, int form)
{
    return wl->f[form][rbelow(r, wl->n)];
}

/* word -> category lookup used by the rewording edit */
enum { C_NONE = 0, C_NOUN_S, C_NOUN_P, C_VERB_BASE, C_VERB_PAST, C_VERB_S3, C_VERB_ING, C_ADJ, C_ADV };
void cat_add_list(const wl_t *wl, int form, int cat);
int cat_lookup(const char *w, size_t n);

/* synonym groups */
void syn_load(const char *const *src);
/* returns a synonym of w (different from w) or NULL */
const char *syn_pick(const char *w, size_t n, rng_t *r);

#endif
