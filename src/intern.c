/*
 * intern.c - one copy of each distinct string, by index.
 *
 * Open addressing on XXH3 with linear probing, at most half full; the table
 * holds indices + 1 so that it is four bytes a slot, and the copies live in
 * an arena, so a pointer handed out stays valid while more are added.
 */
#include "intern.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static size_t probe_start(const char *s, size_t len, size_t slot_count)
{
    return (size_t)XXH3_64bits(s, len) & (slot_count - 1);
}

static int grow(syndic_interner *in)
{
    size_t count = in->slot_count ? in->slot_count * 2 : 64;
    uint32_t *slots = syndic__calloc(count, sizeof *slots);
    if (!slots) return syndic__oom();
    for (size_t i = 0; i < in->count; i++) {
        const char *s = in->names[i];
        size_t j = probe_start(s, strlen(s), count);
        while (slots[j]) j = (j + 1) & (count - 1);
        slots[j] = (uint32_t)i + 1;
    }
    syndic__free(in->slots);
    in->slots = slots;
    in->slot_count = count;
    return SYNDIC_OK;
}

int syndic__intern(syndic_interner *in, const char *s, size_t len, uint32_t *index)
{
    int rc;
    if ((in->count + 1) * 2 > in->slot_count && (rc = grow(in)) < 0) return rc;
    size_t mask = in->slot_count - 1, j = probe_start(s, len, in->slot_count);
    for (uint32_t x; (x = in->slots[j]); j = (j + 1) & mask) {
        const char *o = in->names[x - 1];
        if (strlen(o) == len && memcmp(o, s, len) == 0) {
            *index = x - 1;
            return SYNDIC_OK;
        }
    }
    if (in->count >= UINT32_MAX - 1) return syndic__error(SYNDIC_ENOMEM, "too many distinct strings");
    if ((rc = syndic__grow(&in->names, &in->cap, in->count + 1, sizeof *in->names)) < 0) return rc;
    const char *copy = syndic__arena_strndup(&in->strings, s, len);
    if (!copy) return syndic__oom();
    in->names[in->count] = copy;
    in->slots[j] = (uint32_t)in->count + 1;
    *index = (uint32_t)in->count++;
    return SYNDIC_OK;
}

void syndic__intern_free(syndic_interner *in)
{
    syndic__arena_free(&in->strings);
    syndic__free(in->names);
    syndic__free(in->slots);
    memset(in, 0, sizeof *in);
}
