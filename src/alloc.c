/*
 * alloc.c - the one place the library allocates memory.
 *
 * Every allocation of the library goes through these wrappers so that the
 * tests can make the Nth allocation fail (syndic__alloc_fail_after) and check
 * that the caller reports SYNDIC_ENOMEM and leaks nothing. Size products are
 * checked for overflow here, once, instead of at each call site.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong fail_countdown; /* 0: never fail */

void syndic__alloc_fail_after(unsigned long n) { atomic_store(&fail_countdown, n); }

static bool should_fail(void)
{
    unsigned long v = atomic_load(&fail_countdown);
    while (v != 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &v, v - 1))
            return v == 1;
    }
    return false;
}

void *syndic__malloc(size_t size)
{
    if (should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *syndic__calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    if (count == 0 || size == 0) return calloc(1, 1);
    return calloc(count, size);
}

void *syndic__realloc(void *ptr, size_t size)
{
    if (should_fail()) return NULL;
    return realloc(ptr, size ? size : 1);
}

void *syndic__reallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    return syndic__realloc(ptr, count * size);
}

void syndic__free(void *ptr) { free(ptr); }

char *syndic__strndup(const char *s, size_t len)
{
    if (len == SIZE_MAX) return NULL;
    char *p = syndic__malloc(len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int syndic__grow(void *items_ptr, size_t *capacity, size_t need, size_t size)
{
    void **items = items_ptr;
    if (need <= *capacity) return SYNDIC_OK;
    size_t cap = *capacity ? *capacity : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) return syndic__oom();
        cap *= 2;
    }
    void *p = syndic__reallocarray(*items, cap, size);
    if (!p) return syndic__oom();
    *items = p;
    *capacity = cap;
    return SYNDIC_OK;
}

int syndic__buf_append(syndic_buf *b, const char *s, size_t n)
{
    if (n > SIZE_MAX - b->len - 1) return syndic__oom();
    int rc = syndic__grow(&b->data, &b->cap, b->len + n + 1, 1);
    if (rc < 0) return rc;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SYNDIC_OK;
}

void syndic__buf_free(syndic_buf *b)
{
    syndic__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
