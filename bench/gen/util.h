/* util.h - RNG, growable buffers and small helpers for syndgen. */
#ifndef SYNDGEN_UTIL_H
#define SYNDGEN_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- rng -- */
/* xoshiro256** seeded through splitmix64: fast, portable, reproducible. */
typedef struct {
    uint64_t s[4];
} rng_t;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void rng_seed(rng_t *r, uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0xD1B54A32D192ED03ull) ^ 0x5EEDull;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rnext(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return res;
}

/* uniform in [0,1) */
static inline double ru(rng_t *r) { return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0); }
/* uniform integer in [0,n) */
static inline uint32_t rbelow(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}
/* uniform integer in [lo,hi] */
static inline int rrange(rng_t *r, int lo, int hi)
{
    return lo + (int)rbelow(r, (uint32_t)(hi - lo + 1));
}
static inline int chance(rng_t *r, double p) { return ru(r) < p; }
static inline double rnorm(rng_t *r)
{
    double u1 = ru(r), u2 = ru(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
static inline double runif(rng_t *r, double lo, double hi) { return lo + (hi - lo) * ru(r); }

/* ------------------------------------------------------------- buffer -- */
typedef struct {
    char *p;
    size_t n, cap;
} buf_t;

static inline void bgrow(buf_t *b, size_t add)
{
    if (b->n + add + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + add + 1)
            c *= 2;
        char *np = (char *)realloc(b->p, c);
        if (!np) {
            fputs("syndgen: out of memory\n", stderr);
            exit(2);
        }
        b->p = np;
        b->cap = c;
    }
}
static inline void bput(buf_t *b, const char *s, size_t n)
{
    bgrow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static inline void bputs(buf_t *b, const char *s) { bput(b, s, strlen(s)); }
static inline void bputc(buf_t *b, char c)
{
    bgrow(b, 1);
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}
static inline void bclear(buf_t *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}
static inline void bcopy(buf_t *dst, const buf_t *src)
{
    bclear(dst);
    bput(dst, src->p ? src->p : "", src->n);
}
static inline void bfree(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

__attribute__((format(printf, 2, 3))) static inline void bprintf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bgrow(b, 64);
    int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k >= b->cap - b->n) {
        bgrow(b, (size_t)k + 1);
        va_start(ap, fmt);
        k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
    }
    b->n += (size_t)k;
}

static inline void bputu(buf_t *b, uint64_t v)
{
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    bgrow(b, (size_t)i);
    while (i > 0)
        b->p[b->n++] = tmp[--i];
    b->p[b->n] = 0;
}

/* integer with thousands separators: 12,345 */
static inline void bcommas(buf_t *b, uint64_t v)
{
    char tmp[32];
    int i = 0, d = 0;
    do {
        if (d && d % 3 == 0)
            tmp[i++] = ',';
        tmp[i++] = (char)('0' + (int)(v % 10));
        v /= 10;
        d++;
    } while (v);
    bgrow(b, (size_t)i);
    while (i > 0)
        b->p[b->n++] = tmp[--i];
    b->p[b->n] = 0;
}

/* dst = a + b + c (NULL parts skipped), truncated to cap-1 bytes */
static inline void scat(char *dst, size_t cap, const char *a, const char *b, const char *c)
{
    size_t o = 0;
    const char *parts[3] = {a, b, c};
    for (int k = 0; k < 3; k++)
        for (const char *p = parts[k]; p && *p && o + 1 < cap; p++)
            dst[o++] = *p;
    if (cap)
        dst[o] = 0;
}

static inline int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline int is_alpha(int c) { return is_upper(c) || is_lower(c); }
static inline int is_digit(int c) { return c >= '0' && c <= '9'; }
static inline char to_upper(char c) { return is_lower(c) ? (char)(c - 32) : c; }
static inline char to_lower(char c) { return is_upper(c) ? (char)(c + 32) : c; }

#endif
