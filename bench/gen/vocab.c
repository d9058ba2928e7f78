/* vocab.c - parse the embedded word lists, derive inflections, Zipf tables. */
#include "vocab.h"

static char *dup_sp(const char *s, size_t n)
{
    char *d = (char *)malloc(n + 1);
    if (!d) {
        fputs("syndgen: out of memory\n", stderr);
        exit(2);
    }
    for (size_t i = 0; i < n; i++)
        d[i] = s[i] == '_' ? ' ' : s[i];
    d[n] = 0;
    return d;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Inflect the first word of s (multi-word entries keep their tail). */
static char *inflect(const char *s, int what /* 0 plural/s3, 1 past, 2 ing */, const char *past)
{
    size_t n = strlen(s);
    const char *sp = strchr(s, ' ');
    size_t head = sp ? (size_t)(sp - s) : n;
    /* plural applies to the last word for nouns: handled by caller passing what=3 */
    char out[128];
    size_t o = 0;
    if (head > 100)
        head = 100;
    memcpy(out, s, head);
    o = head;
    char last = head ? s[head - 1] : 'x';
    char prev = head > 1 ? s[head - 2] : 'x';
    if (what == 0) {
        if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's'))) {
            out[o++] = 'e';
            out[o++] = 's';
        } else if (last == 'y' && !is_vowel(prev)) {
            out[o - 1] = 'i';
            out[o++] = 'e';
            out[o++] = 's';
        } else {
            out[o++] = 's';
        }
    } else if (what == 1) {
        if (last == 'e') {
            out[o++] = 'd';
        } else if (last == 'y' && !is_vowel(prev)) {
            out[o - 1] = 'i';
            out[o++] = 'e';
            out[o++] = 'd';
        } else {
            out[o++] = 'e';
            out[o++] = 'd';
        }
    } else {
        /* doubled final consonant if the past form doubles it (planned) */
        size_t pl = past ? strlen(past) : 0;
        if (pl == head + 3 && past[pl - 1] == 'd' && past[pl - 2] == 'e' && past[pl - 3] == last &&
            !is_vowel(last)) {
            out[o++] = last;
        } else if (last == 'e' && head > 2 && prev == 'i') {
            o -= 2;
            out[o++] = 'y';
        } else if (last == 'e' && head > 2 && prev != 'e' && prev != 'o') {
            o--;
        }
        memcpy(out + o, "ing", 3);
        o += 3;
    }
    if (sp) {
        size_t tl = n - head;
        if (o + tl > 126)
            tl = 126 - o;
        memcpy(out + o, sp, tl);
        o += tl;
    }
    return dup_sp(out, o);
}

/* plural of the last word of a multi-word noun */
static char *plural_last(const char *s)
{
    const char *sp = strrchr(s, ' ');
    if (!sp)
        return inflect(s, 0, NULL);
    char *tail = inflect(sp + 1, 0, NULL);
    size_t hl = (size_t)(sp - s) + 1, tl = strlen(tail);
    char *d = (char *)malloc(hl + tl + 1);
    if (!d)
        exit(2);
    memcpy(d, s, hl);
    memcpy(d + hl, tail, tl + 1);
    free(tail);
    return d;
}

void wl_load(wl_t *wl, const char *const *src, int kind, double zipf_s, char sep)
{
    uint32_t cap = 64;
    memset(wl, 0, sizeof *wl);
    for (int k = 0; k < 4; k++)
        wl->f[k] = (const char **)malloc(cap * sizeof(char *));
    for (const char *const *lit = src; *lit; lit++) {
        const char *p = *lit;
        while (*p) {
            while (*p == sep || *p == ' ')
                p++;
            if (!*p)
                break;
            const char *st = p;
            while (*p && *p != sep)
                p++;
            size_t len = (size_t)(p - st);
            const char *colon = memchr(st, ':', len);
            size_t blen = colon ? (size_t)(colon - st) : len;
            char *base = dup_sp(st, blen);
            int dup = 0;
            for (uint32_t i = 0; i < wl->n; i++)
                if (strcmp(wl->f[0][i], base) == 0) {
                    dup = 1;
                    break;
                }
            if (dup) {
                free(base);
                continue;
            }
            if (wl->n == cap) {
                cap *= 2;
                for (int k = 0; k < 4; k++)
                    wl->f[k] = (const char **)realloc((void *)wl->f[k], cap * sizeof(char *));
            }
            uint32_t i = wl->n++;
            char *irr = colon ? dup_sp(colon + 1, len - blen - 1) : NULL;
            wl->f[0][i] = base;
            if (kind == WL_NOUN) {
                wl->f[1][i] = irr ? irr : plural_last(base);
                wl->f[2][i] = wl->f[3][i] = wl->f[1][i];
            } else if (kind == WL_VERB) {
                char *past = irr ? irr : inflect(base, 1, NULL);
                wl->f[1][i] = past;
                if (strncmp(base, "have", 4) == 0 && (base[4] == 0 || base[4] == ' '))
                    wl->f[2][i] = "has";
                else
                    wl->f[2][i] = inflect(base, 0, NULL);
                wl->f[3][i] = inflect(base, 2, past);
            } else {
                wl->f[1][i] = wl->f[2][i] = wl->f[3][i] = base;
            }
        }
    }
    wl->cdf = (double *)malloc((wl->n ? wl->n : 1) * sizeof(double));
    double tot = 0;
    for (uint32_t i = 0; i < wl->n; i++) {
        tot += 1.0 / pow((double)i + 1.0, zipf_s);
        wl->cdf[i] = tot;
    }
    for (uint32_t i = 0; i < wl->n; i++)
        wl->cdf[i] /= tot;
    if (wl->n)
        wl->cdf[wl->n - 1] = 1.0;
}

uint32_t wl_pick(const wl_t *wl, rng_t *r)
{
    double u = ru(r);
    uint32_t lo = 0, hi = wl->n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) >> 1;
        if (wl->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ------------------------------------------------ word -> category map -- */
#define HBITS 14
#define HSIZE (1u << HBITS)
typedef struct {
    const char *w;
    int v;
} hent_t;
static hent_t cat_tab[HSIZE];
static hent_t syn_tab[HSIZE];

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

static int h_get(const hent_t *t, const char *w, size_t n)
{
    uint32_t h = hash_str(w, n) & (HSIZE - 1);
    while (t[h].w) {
        if (strncmp(t[h].w, w, n) == 0 && t[h].w[n] == 0)
            return t[h].v;
        h = (h + 1) & (HSIZE - 1);
    }
    return 0;
}

static void h_put(hent_t *t, const char *w, int v)
{
    size_t n = strlen(w);
    uint32_t h = hash_str(w, n) & (HSIZE - 1);
    uint32_t probes = 0;
    while (t[h].w) {
        if (strcmp(t[h].w, w) == 0)
            return; /* first insertion wins */
        h = (h + 1) & (HSIZE - 1);
        if (++probes > HSIZE / 2)
            return;
    }
    t[h].w = w;
    t[h].v = v;
}

void cat_add_list(const wl_t *wl, int form, int cat)
{
    for (uint32_t i = 0; i < wl->n; i++)
        if (!strchr(wl->f[form][i], ' '))
            h_put(cat_tab, wl->f[form][i], cat);
}

int cat_lookup(const char *w, size_t n) { return h_get(cat_tab, w, n); }

/* synonym groups: group g occupies syn_words[syn_start[g] .. syn_start[g+1]) */
static const char **syn_words;
static int *syn_start;
static int syn_ngroups;

void syn_load(const char *const *src)
{
    int cap = 512, n = 0, gcap = 256;
    syn_words = (const char **)malloc((size_t)cap * sizeof(char *));
    syn_start = (int *)malloc((size_t)gcap * sizeof(int));
    syn_ngroups = 0;
    for (const char *const *lit = src; *lit; lit++) {
        const char *p = *lit;
        while (*p) {
            const char *ge = strchr(p, ';');
            if (!ge)
                ge = p + strlen(p);
            if (syn_ngroups + 2 >= gcap) {
                gcap *= 2;
                syn_start = (int *)realloc(syn_start, (size_t)gcap * sizeof(int));
            }
            syn_start[syn_ngroups] = n;
            const char *q = p;
            while (q < ge) {
                while (q < ge && *q == ' ')
                    q++;
                const char *st = q;
                while (q < ge && *q != ' ')
                    q++;
                if (q > st) {
                    if (n == cap) {
                        cap *= 2;
                        syn_words = (const char **)realloc((void *)syn_words, (size_t)cap * sizeof(char *));
                    }
                    char *w = dup_sp(st, (size_t)(q - st));
                    syn_words[n++] = w;
                    h_put(syn_tab, w, syn_ngroups + 1);
                }
            }
            syn_ngroups++;
            p = *ge ? ge + 1 : ge;
        }
    }
    syn_start[syn_ngroups] = n;
}

const char *syn_pick(const char *w, size_t n, rng_t *r)
{
    int g = h_get(syn_tab, w, n);
    if (!g)
        return NULL;
    g--;
    int a = syn_start[g], b = syn_start[g + 1];
    if (b - a < 2)
        return NULL;
    for (int tries = 0; tries < 4; tries++) {
        const char *c = syn_words[a + (int)rbelow(r, (uint32_t)(b - a))];
        if (!(strncmp(c, w, n) == 0 && c[n] == 0))
            return c;
    }
    return NULL;
}
