/*
 * seen.c - "was this 64-bit key seen before?" for hundreds of millions of
 * keys, in about 1.5 bytes per key.
 *
 * The template learner (templates.c) keeps exact counts only for lines seen
 * twice; most lines are seen once, so the first sighting must be remembered
 * cheaply. A fixed-size count-min sketch did that until the corpus outgrew
 * it: at a million documents its 4 x 2^22 counters were all non-zero, every
 * new line looked seen, and the exact table took every line (1.2 GB and a
 * third of the run). This is a Bloom filter (Bloom 1970) that grows instead:
 *
 *  - Blocked (Putze, Sanders and Singler 2007): the K_BITS bits of a key lie
 *    in one 512-bit block, one cache line, so a probe costs one miss.
 *  - Scalable (Almeida et al. 2007): when a filter holds its capacity, a new
 *    one of twice the capacity takes the inserts; a key is seen if any
 *    filter has it. At BITS_PER_KEY = 12 and K_BITS = 6 a full filter's
 *    false positive rate is about 0.5%; a key is tested against every
 *    filter, so the rates add up, but capacities double from 2^22 keys, so
 *    there are few filters: 3 at 25 million keys (a million news articles),
 *    6 at 250 million.
 *
 * A false positive only means a line seen once gets an exact entry, as if
 * seen twice: it can over-count a line by one, as the count-min sketch
 * could. There are no false negatives. Keys are already uniform hashes
 * (XXH3); the block and bit positions are cut from a remix of the key.
 */
#include "internal.h"

#include <string.h>

#define BLOCK_WORDS 8 /* 8 x 64 bits = one 64-byte cache line */
#define K_BITS 6
#define BITS_PER_KEY 12
#define FIRST_CAPACITY ((size_t)1 << 22)
#define MAX_FILTERS 40

typedef struct filter {
    uint64_t *blocks; /* block_count * BLOCK_WORDS */
    size_t block_count, capacity, inserted;
} filter;

struct syndic_seen {
    filter f[MAX_FILTERS];
    unsigned count;
};

static inline uint64_t remix(uint64_t x)
{
    x ^= x >> 33; x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33; x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

static int add_filter(syndic_seen *s)
{
    if (s->count == MAX_FILTERS) return syndic__error(SYNDIC_ENOMEM, "too many keys seen");
    size_t capacity = s->count ? s->f[s->count - 1].capacity * 2 : FIRST_CAPACITY;
    size_t blocks = capacity * BITS_PER_KEY / (BLOCK_WORDS * 64);
    filter *f = &s->f[s->count];
    f->blocks = syndic__calloc(blocks, BLOCK_WORDS * sizeof *f->blocks);
    if (!f->blocks) return syndic__oom();
    f->block_count = blocks;
    f->capacity = capacity;
    f->inserted = 0;
    s->count++;
    return SYNDIC_OK;
}

int syndic__seen_new(syndic_seen **out)
{
    *out = syndic__calloc(1, sizeof **out);
    if (!*out) return syndic__oom();
    int rc = add_filter(*out);
    if (rc < 0) {
        syndic__seen_free(*out);
        *out = NULL;
    }
    return rc;
}

void syndic__seen_free(syndic_seen *s)
{
    if (!s) return;
    for (unsigned i = 0; i < s->count; i++) syndic__free(s->f[i].blocks);
    syndic__free(s);
}

/* The block of a key: Lemire's reduction of 32 hash bits to
 * [0, block_count) (block_count < 2^32: 256 GB of filter). */
static inline uint64_t *block_of(const filter *f, uint32_t h)
{
    return f->blocks + (size_t)(((uint64_t)h * f->block_count) >> 32) * BLOCK_WORDS;
}

/* The K_BITS bit positions in the block: 9-bit fields of the second hash. */
static inline bool test_bits(const uint64_t *block, uint64_t g)
{
    for (unsigned i = 0; i < K_BITS; i++) {
        unsigned bit = (unsigned)(g >> (9 * i)) & 511;
        if (!(block[bit >> 6] & UINT64_C(1) << (bit & 63))) return false;
    }
    return true;
}

static inline void set_bits(uint64_t *block, uint64_t g)
{
    for (unsigned i = 0; i < K_BITS; i++) {
        unsigned bit = (unsigned)(g >> (9 * i)) & 511;
        block[bit >> 6] |= UINT64_C(1) << (bit & 63);
    }
}

int syndic__seen_check_add(syndic_seen *s, uint64_t key)
{
    uint64_t h = remix(key), g = remix(h ^ UINT64_C(0x9e3779b97f4a7c15));
    for (unsigned i = 0; i < s->count; i++)
        if (test_bits(block_of(&s->f[i], (uint32_t)(h >> 32)), g)) return 1;
    filter *last = &s->f[s->count - 1];
    if (last->inserted >= last->capacity) {
        int rc = add_filter(s);
        if (rc < 0) return rc;
        last = &s->f[s->count - 1];
    }
    set_bits(block_of(last, (uint32_t)(h >> 32)), g);
    last->inserted++;
    return 0;
}

size_t syndic__seen_bytes(const syndic_seen *s)
{
    size_t n = 0;
    for (unsigned i = 0; i < s->count; i++) n += s->f[i].block_count * BLOCK_WORDS * 8;
    return n;
}
