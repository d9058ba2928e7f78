/*
 * arena.c - a string arena: many small strings, freed all at once.
 *
 * The batch keeps the id, outlet, date, title and url of every document for
 * the report. One malloc per string would cost 16+ bytes of header each and
 * fragment the heap; the arena packs them into 1 MiB chunks.
 */
#include "internal.h"

#include <string.h>

struct syndic_arena_chunk { syndic_arena_chunk *next; char data[]; };

#define CHUNK ((size_t)1 << 20)

const char *syndic__arena_strndup(syndic_arena *a, const char *s, size_t len)
{
    if (len >= SIZE_MAX / 2) return NULL;
    if (!a->head || a->size - a->used < len + 1) {
        size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;
        syndic_arena_chunk *c = syndic__malloc(sizeof *c + size);
        if (!c) return NULL;
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->size = size;
    }
    char *p = a->head->data + a->used;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    a->used += len + 1;
    return p;
}

void syndic__arena_free(syndic_arena *a)
{
    syndic_arena_chunk *c = a->head;
    while (c) {
        syndic_arena_chunk *n = c->next;
        syndic__free(c);
        c = n;
    }
    a->head = NULL;
    a->used = a->size = 0;
}
