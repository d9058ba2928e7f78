/*
 * intern.h - one copy of each distinct string, by index (intern.c).
 *
 * A feed has hundreds of outlets and millions of documents: the batch's
 * document table and ingest's verification table each keep an outlet as an
 * index into one of these rather than a string per document.
 */
#ifndef SYNDIC_INTERN_H
#define SYNDIC_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

typedef struct syndic_interner {
    syndic_arena strings;   /* the copies: they never move */
    const char **names;     /* by index */
    size_t count, cap;
    uint32_t *slots;        /* open addressing: index + 1, 0 = empty */
    size_t slot_count;      /* 0 or a power of two */
} syndic_interner;

/* The index of s[0..len) (need not be NUL-terminated), adding a copy when it
 * is new. Indices count up from 0 in the order strings were first seen. */
int syndic__intern(syndic_interner *in, const char *s, size_t len, uint32_t *index);
/* The NUL-terminated copy with this index; valid until syndic__intern_free. */
static inline const char *syndic__interned(const syndic_interner *in, uint32_t index)
{
    return in->names[index];
}
void syndic__intern_free(syndic_interner *in);

#endif
