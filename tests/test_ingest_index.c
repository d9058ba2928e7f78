/*
 * test_ingest_index.c - the in-memory indexes of a feed-ingest state
 * (ingest_index.c), each against a plain reference model over many seeded
 * random operations.
 *
 * Multimap: open addressing with linear probing and backshift deletion is
 * easy to get subtly wrong at the edges, so the keys are made to collide on
 * purpose. A slot is found from the high 32 bits of key x 0x9E37...7C15 and
 * the part from bits 20..25 of that product; the multiplier is odd, so any
 * product is reached by multiplying by its inverse. The test makes keys
 * whose product puts them in one part with their home slot at the end of
 * the table (whatever its size: the high bits are near 2^32), at slot 0,
 * or in the middle: long probe chains that wrap around the end, runs that
 * meet, deletions in the middle of a run. The table's layout is also
 * checked directly (every key counted, the load under 0.7), and that a run
 * did wrap.
 *
 * Line counts, the time heap, the template set (also with a reader thread
 * while it grows), the article table and the live counts each get the same
 * treatment where they have logic: a model of what the header promises.
 */
#include "check_main.h"
#include "ingest_index.h"
#include "internal.h"
#include "test_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ck_assert records its location on every call (a write to a pipe in fork
 * mode): far too slow for the hundreds of thousands of checks here, so
 * they call Check only on a failure. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                \
    } while (0)
#define CHECK_TRUE(cond) CHECK(cond, "assertion %s failed", #cond)
#define CHECK_OP(a, op, b, type, fmt)                                          \
    do {                                                                       \
        type a_ = (type)(a), b_ = (type)(b);                                   \
        if (!(a_ op b_))                                                       \
            ck_abort_msg("assertion %s %s %s failed: " fmt " vs " fmt, #a, #op, \
                         #b, a_, b_);                                          \
    } while (0)
#define CHECK_EQ(a, b) CHECK_OP(a, ==, b, unsigned long long, "%llu")
#define CHECK_LE(a, b) CHECK_OP(a, <=, b, unsigned long long, "%llu")
#define CHECK_LT(a, b) CHECK_OP(a, <, b, unsigned long long, "%llu")
#define CHECK_GE(a, b) CHECK_OP(a, >=, b, unsigned long long, "%llu")
#define CHECK_GT(a, b) CHECK_OP(a, >, b, unsigned long long, "%llu")
#define CHECK_INT_EQ(a, b) CHECK_OP(a, ==, b, long long, "%lld")


static uint64_t below(uint64_t n) { return next_random() % n; }

/* ---- keys that collide on purpose ---- */

#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

static uint64_t golden_inverse(void)
{
    uint64_t x = GOLDEN; /* Newton: each step doubles the correct low bits */
    for (int i = 0; i < 6; i++) x *= 2 - GOLDEN * x;
    return x;
}

/* A key whose product with GOLDEN has `hi` as its high 32 bits and `part`
 * in bits 20..25; `noise` (26 bits) fills the rest, to tell keys apart. */
static uint64_t crafted_key(uint32_t hi, unsigned part, uint32_t noise)
{
    uint64_t h = (uint64_t)hi << 32 | (uint64_t)(noise >> 20 & 0x3f) << 26 |
                 (uint64_t)part << 20 | (noise & 0xfffff);
    return h * golden_inverse();
}

enum { CLUSTER_PART = 5, END_KEYS = 60, ZERO_KEYS = 30, MID_KEYS = 30, RANDOM_KEYS = 200 };
enum { POOL = END_KEYS + ZERO_KEYS + MID_KEYS + RANDOM_KEYS + 2 };

/* The key pool: [0, END_KEYS) home at the last slot of part 5's table,
 * then ones at slot 0, in the middle, random ones, 0 and UINT64_MAX. */
static void make_pool(uint64_t *keys)
{
    size_t n = 0;
    for (uint32_t i = 0; i < END_KEYS; i++)
        keys[n++] = crafted_key(UINT32_MAX - i, CLUSTER_PART, i);
    for (uint32_t i = 0; i < ZERO_KEYS; i++) keys[n++] = crafted_key(i, CLUSTER_PART, 1000 + i);
    for (uint32_t i = 0; i < MID_KEYS; i++)
        keys[n++] = crafted_key(UINT32_C(0x80000000) + i, CLUSTER_PART, 2000 + i);
    for (uint32_t i = 0; i < RANDOM_KEYS; i++) keys[n++] = next_random();
    keys[n++] = 0;
    keys[n++] = UINT64_MAX;
    CHECK_EQ(n, POOL);
    CHECK_EQ(GOLDEN * golden_inverse(), 1);
}

START_TEST(test_crafted_keys)
{
    /* The crafting itself: the product has the bits asked for. */
    uint64_t k = crafted_key(0xabcdef01u, 17, 0x2345678);
    uint64_t h = k * GOLDEN;
    CHECK_EQ(h >> 32, 0xabcdef01u);
    CHECK_EQ(h >> 20 & 63, 17);
}
END_TEST

/* ---- multimap ---- */

/* Refs come from this table, so the model is a count per (key, ref). */
static const uint32_t REFS[8] = {0, 1, 2, 7, 1000, 65536, UINT32_MAX - 1, UINT32_MAX};

typedef struct ix_model {
    uint64_t keys[POOL];
    uint32_t count[POOL][8];
    size_t refs;
} ix_model;

static size_t model_keys(const ix_model *m)
{
    size_t n = 0;
    for (size_t k = 0; k < POOL; k++) {
        uint32_t t = 0;
        for (int r = 0; r < 8; r++) t += m->count[k][r];
        n += t > 0;
    }
    return n;
}

static bool is_end_key(const ix_model *m, uint64_t key)
{
    for (size_t i = 0; i < END_KEYS; i++)
        if (m->keys[i] == key) return true;
    return false;
}

/* Checks the index against the model; returns true when a run of the
 * end-of-table keys wrapped around to the start of part 5's table. */
static bool ix_check(const syndic_ix *ix, const ix_model *m)
{
    size_t keys = 0;
    for (size_t p = 0; p < IX_PARTS; p++) {
        const ix_part *P = &ix->part[p];
        size_t used = 0;
        for (size_t i = 0; i < P->cap; i++) {
            if (!P->slots[i].n) continue;
            used++;
            const uint32_t *refs;
            CHECK_EQ(syndic__ix_get(ix, P->slots[i].key, &refs), P->slots[i].n);
        }
        CHECK_EQ(used, P->keys);
        CHECK_LE(P->keys * 10, P->cap * 7);
        keys += used;
    }
    CHECK_EQ(keys, ix->keys);
    CHECK_EQ(ix->keys, model_keys(m));
    CHECK_EQ(ix->refs, m->refs);
    for (size_t k = 0; k < POOL; k++) {
        const uint32_t *refs = (const uint32_t *)&ix; /* must be reset */
        uint32_t n = syndic__ix_get(ix, m->keys[k], &refs);
        uint32_t got[8] = {0}, total = 0;
        for (uint32_t i = 0; i < n; i++) {
            int r = 0;
            while (r < 8 && REFS[r] != refs[i]) r++;
            CHECK(r < 8, "key %zu: ref %u never added", k, refs[i]);
            got[r]++;
        }
        for (int r = 0; r < 8; r++) {
            total += m->count[k][r];
            CHECK(got[r] == m->count[k][r], "key %zu ref %u: %u, expected %u", k, REFS[r],
                          got[r], m->count[k][r]);
        }
        CHECK_EQ(n, total);
        if (!n) CHECK(refs == NULL, "refs not reset");
    }
    const ix_part *P = &ix->part[CLUSTER_PART];
    for (size_t i = 0; i < P->cap / 2; i++)
        if (P->slots[i].n && is_end_key(m, P->slots[i].key)) return true;
    return false;
}

static void model_add(syndic_ix *ix, ix_model *m, size_t k, int r)
{
    CHECK_INT_EQ(syndic__ix_add(ix, m->keys[k], REFS[r]), SYNDIC_OK);
    m->count[k][r]++;
    m->refs++;
}

/* A key index, two in three from the colliding ones. */
static size_t pick_key(void)
{
    return below(3) ? below(END_KEYS + ZERO_KEYS + MID_KEYS) : below(POOL);
}

START_TEST(test_ix_against_model)
{
    rng_state = 0x5eed0001;
    static ix_model m;
    memset(&m, 0, sizeof m);
    make_pool(m.keys);
    syndic_ix ix;
    memset(&ix, 0, sizeof ix);
    /* Empty: nothing found, nothing removed, prefetch harmless. */
    for (size_t k = 0; k < POOL; k++) {
        syndic__ix_prefetch(&ix, m.keys[k]);
        CHECK_TRUE(!syndic__ix_remove(&ix, m.keys[k], 0));
    }
    ix_check(&ix, &m);
    bool wrapped = false;
    size_t removed_mid_run = 0;
    const int ops = 12000;
    for (int op = 0; op < ops; op++) {
        /* Grow, drain, grow again. */
        unsigned add_pct = op < 4000 ? 70 : op < 8000 ? 25 : 60;
        size_t k = pick_key();
        if (below(100) < add_pct) {
            model_add(&ix, &m, k, (int)below(8));
        } else {
            int r = (int)below(8);
            bool present = m.count[k][r] > 0;
            const ix_part *P = &ix.part[CLUSTER_PART];
            if (present && P->cap) { /* is the key inside a run (not its end)? */
                for (size_t i = 0; i < P->cap; i++)
                    if (P->slots[i].n && P->slots[i].key == m.keys[k] &&
                        P->slots[i + 1 == P->cap ? 0 : i + 1].n)
                        removed_mid_run++;
            }
            CHECK(syndic__ix_remove(&ix, m.keys[k], REFS[r]) == present,
                          "op %d: remove key %zu ref %u: expected %d", op, k, REFS[r], present);
            if (present) {
                m.count[k][r]--;
                m.refs--;
            }
        }
        if (op % 16 == 0) syndic__ix_prefetch(&ix, m.keys[pick_key()]);
        if (op % 300 == 299) wrapped |= ix_check(&ix, &m);
    }
    CHECK_TRUE(wrapped);
    CHECK_GT(removed_mid_run, 100);
    /* Drain everything: an empty table. */
    for (size_t k = 0; k < POOL; k++)
        for (int r = 0; r < 8; r++)
            while (m.count[k][r]) {
                CHECK_TRUE(syndic__ix_remove(&ix, m.keys[k], REFS[r]));
                m.count[k][r]--;
                m.refs--;
            }
    ix_check(&ix, &m);
    CHECK_EQ(ix.keys, 0);
    CHECK_EQ(ix.refs, 0);
    CHECK_GT(ix.free_count, 0); /* lists came back for reuse */
    /* And it works again after (reusing the lists). */
    size_t lists = ix.list_count;
    for (int i = 0; i < 3; i++) model_add(&ix, &m, 7, i);
    CHECK_EQ(ix.list_count, lists);
    ix_check(&ix, &m);
    syndic__ix_free(&ix);
}
END_TEST

/* A backshift across the end of the table, worked by hand: keys all at
 * home cap - 1 fill the last slot and wrap; removing the first must pull
 * every later one back, across the end, and stop at the gap. */
START_TEST(test_ix_wrap_by_hand)
{
    syndic_ix ix;
    memset(&ix, 0, sizeof ix);
    uint64_t end[5], zero[2];
    for (uint32_t i = 0; i < 5; i++) end[i] = crafted_key(UINT32_MAX - i, 9, i);
    for (uint32_t i = 0; i < 2; i++) zero[i] = crafted_key(i, 9, 100 + i);
    for (int i = 0; i < 5; i++) CHECK_INT_EQ(syndic__ix_add(&ix, end[i], (uint32_t)i), 0);
    for (int i = 0; i < 2; i++) CHECK_INT_EQ(syndic__ix_add(&ix, zero[i], 10u + (uint32_t)i), 0);
    const ix_part *P = &ix.part[9];
    size_t cap = P->cap;
    CHECK_EQ(cap, 64);
    /* Layout: end[0] at cap-1, end[1..4] at 0..3, zero[0..1] at 4..5. */
    CHECK_EQ(P->slots[cap - 1].key, end[0]);
    for (int i = 1; i < 5; i++) CHECK_EQ(P->slots[i - 1].key, end[i]);
    CHECK_EQ(P->slots[4].key, zero[0]);
    CHECK_EQ(P->slots[5].key, zero[1]);
    CHECK_TRUE(syndic__ix_remove(&ix, end[0], 0));
    /* end[1] moved back to its home at cap - 1; the rest shift by one. */
    CHECK_EQ(P->slots[cap - 1].key, end[1]);
    for (int i = 2; i < 5; i++) CHECK_EQ(P->slots[i - 2].key, end[i]);
    CHECK_EQ(P->slots[3].key, zero[0]);
    CHECK_EQ(P->slots[4].key, zero[1]);
    CHECK_EQ(P->slots[5].n, 0);
    /* Remove end[3] (slot 1): end[4] moves to 1, zero[0] to 2, zero[1]
     * to 3. */
    CHECK_TRUE(syndic__ix_remove(&ix, end[3], 3));
    CHECK_EQ(P->slots[1].key, end[4]);
    CHECK_EQ(P->slots[2].key, zero[0]);
    CHECK_EQ(P->slots[3].key, zero[1]);
    CHECK_EQ(P->slots[4].n, 0);
    /* Removing the key at the last slot pulls the wrapped ones back. */
    CHECK_TRUE(syndic__ix_remove(&ix, end[1], 1));
    CHECK_EQ(P->slots[cap - 1].key, end[2]);
    CHECK_EQ(P->slots[0].key, end[4]);
    CHECK_EQ(P->slots[1].key, zero[0]); /* home 0: slot 1 is after it */
    CHECK_EQ(P->slots[2].key, zero[1]);
    CHECK_EQ(P->slots[3].n, 0);
    const uint32_t *refs;
    CHECK_EQ(syndic__ix_get(&ix, end[2], &refs), 1);
    CHECK_EQ(refs[0], 2);
    CHECK_EQ(syndic__ix_get(&ix, zero[1], &refs), 1);
    CHECK_EQ(refs[0], 11);
    CHECK_EQ(syndic__ix_get(&ix, end[1], &refs), 0);
    CHECK_EQ(ix.keys, 4);
    /* A key never moves before its home: a at home 10, b and c at home 11
     * (slots 11, 12). Removing a leaves slot 10 empty, b and c in place. */
    uint64_t a = crafted_key(10u << 26, 9, 200), b = crafted_key(11u << 26, 9, 201),
             c = crafted_key(11u << 26, 9, 202);
    CHECK_INT_EQ(syndic__ix_add(&ix, a, 20), 0);
    CHECK_INT_EQ(syndic__ix_add(&ix, b, 21), 0);
    CHECK_INT_EQ(syndic__ix_add(&ix, c, 22), 0);
    CHECK_EQ(P->slots[10].key, a);
    CHECK_EQ(P->slots[11].key, b);
    CHECK_EQ(P->slots[12].key, c);
    CHECK_TRUE(syndic__ix_remove(&ix, a, 20));
    CHECK_EQ(P->slots[10].n, 0);
    CHECK_EQ(P->slots[11].key, b);
    CHECK_EQ(P->slots[12].key, c);
    /* Removing b pulls c back to its home, 11. */
    CHECK_TRUE(syndic__ix_remove(&ix, b, 21));
    CHECK_EQ(P->slots[11].key, c);
    CHECK_EQ(P->slots[12].n, 0);
    /* a and a2 at home 10 around c: removing a pulls a2 back over c (a2's
     * home 10 is not between slots 10 and 12). */
    CHECK_INT_EQ(syndic__ix_add(&ix, a, 20), 0);
    uint64_t a2 = crafted_key(10u << 26, 9, 203);
    CHECK_INT_EQ(syndic__ix_add(&ix, a2, 23), 0);
    CHECK_EQ(P->slots[10].key, a);
    CHECK_EQ(P->slots[11].key, c);
    CHECK_EQ(P->slots[12].key, a2);
    CHECK_TRUE(syndic__ix_remove(&ix, a, 20));
    CHECK_EQ(P->slots[10].key, a2);
    CHECK_EQ(P->slots[11].key, c);
    CHECK_EQ(P->slots[12].n, 0);
    CHECK_EQ(syndic__ix_get(&ix, c, &refs), 1);
    CHECK_EQ(refs[0], 22);
    /* Across the end: x at the last slot (its home), z at slot 0 (its
     * home). Removing x must leave z where it is. */
    uint64_t x = crafted_key(UINT32_MAX, 11, 300), z = crafted_key(0, 11, 301);
    CHECK_INT_EQ(syndic__ix_add(&ix, x, 30), 0);
    CHECK_INT_EQ(syndic__ix_add(&ix, z, 31), 0);
    const ix_part *Q = &ix.part[11];
    CHECK_EQ(Q->slots[Q->cap - 1].key, x);
    CHECK_EQ(Q->slots[0].key, z);
    CHECK_TRUE(syndic__ix_remove(&ix, x, 30));
    CHECK_EQ(Q->slots[Q->cap - 1].n, 0);
    CHECK_EQ(Q->slots[0].key, z);
    CHECK_EQ(syndic__ix_get(&ix, z, &refs), 1);
    CHECK_EQ(refs[0], 31);
    syndic__ix_free(&ix);
}
END_TEST

START_TEST(test_ix_many_refs)
{
    syndic_ix ix;
    memset(&ix, 0, sizeof ix);
    enum { N = 1000 };
    const uint64_t key = 0x1234567890abcdefULL;
    for (uint32_t i = 0; i < N; i++) CHECK_INT_EQ(syndic__ix_add(&ix, key, i * 3), SYNDIC_OK);
    CHECK_INT_EQ(syndic__ix_add(&ix, key + 1, 5), SYNDIC_OK);
    const uint32_t *refs;
    CHECK_EQ(syndic__ix_get(&ix, key, &refs), N);
    uint8_t seen[N] = {0};
    for (uint32_t i = 0; i < N; i++) {
        CHECK_EQ(refs[i] % 3, 0);
        CHECK_TRUE(!seen[refs[i] / 3]);
        seen[refs[i] / 3] = 1;
    }
    CHECK_EQ(ix.keys, 2);
    CHECK_EQ(ix.refs, N + 1);
    CHECK_TRUE(!syndic__ix_remove(&ix, key, 1)); /* not there */
    /* Remove in a scrambled order (a step coprime to N). */
    for (uint32_t i = 0; i < N; i++) {
        uint32_t ref = (i * 7 % N) * 3;
        CHECK_TRUE(syndic__ix_remove(&ix, key, ref));
        CHECK_TRUE(!syndic__ix_remove(&ix, key, ref) || i * 7 % N == 0);
        CHECK_EQ(syndic__ix_get(&ix, key, &refs), N - 1 - i);
    }
    CHECK_EQ(ix.keys, 1);
    CHECK_EQ(syndic__ix_get(&ix, key + 1, &refs), 1);
    CHECK_EQ(refs[0], 5);
    syndic__ix_free(&ix);
    CHECK_EQ(ix.keys, 0);
}
END_TEST

/* Bulk loading gives the same index as adding one by one. */
START_TEST(test_ix_stage_flush)
{
    rng_state = 0x5eed0002;
    static ix_model m;
    memset(&m, 0, sizeof m);
    make_pool(m.keys);
    syndic_ix a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    CHECK_INT_EQ(syndic__ix_reserve(&b, 3000), SYNDIC_OK);
    for (size_t p = 0; p < IX_PARTS; p++) CHECK_GE(b.part[p].cap, 3000 / 64 / 7 * 10);
    for (int i = 0; i < 6000; i++) {
        size_t k = pick_key();
        int r = (int)below(8);
        model_add(&a, &m, k, r);
        CHECK_INT_EQ(syndic__ix_stage(&b, m.keys[k], REFS[r]), SYNDIC_OK);
        CHECK_INT_EQ(syndic__ix_stage(&c, m.keys[k], REFS[r]), SYNDIC_OK); /* no reserve */
    }
    CHECK_EQ(b.refs, 0); /* staged only */
    CHECK_INT_EQ(syndic__ix_flush(&b), SYNDIC_OK);
    CHECK_INT_EQ(syndic__ix_flush(&c), SYNDIC_OK);
    ix_check(&a, &m);
    ix_check(&b, &m);
    ix_check(&c, &m);
    /* Nothing staged: a flush is a no-op. */
    CHECK_INT_EQ(syndic__ix_flush(&b), SYNDIC_OK);
    ix_check(&b, &m);
    syndic__ix_free(&a);
    syndic__ix_free(&b);
    syndic__ix_free(&c);
}
END_TEST

/* An add that fails for want of memory changes nothing. */
START_TEST(test_ix_out_of_memory)
{
    static ix_model m, ref;
    rng_state = 0x5eed0003;
    memset(&ref, 0, sizeof ref);
    make_pool(ref.keys);
    uint64_t seq_state = rng_state;
    bool completed = false;
    for (unsigned long n = 1; n < 400 && !completed; n++) {
        memcpy(&m, &ref, sizeof m);
        rng_state = seq_state;
        syndic_ix ix;
        memset(&ix, 0, sizeof ix);
        syndic__alloc_fail_after(n);
        bool failed = false;
        for (int i = 0; i < 400; i++) {
            size_t k = pick_key();
            int r = (int)below(8);
            int rc = syndic__ix_add(&ix, m.keys[k], REFS[r]);
            if (rc == SYNDIC_OK) {
                m.count[k][r]++;
                m.refs++;
            } else {
                CHECK_INT_EQ(rc, SYNDIC_ENOMEM);
                CHECK_TRUE(!failed);
                failed = true;
            }
        }
        syndic__alloc_fail_after(0);
        ix_check(&ix, &m);
        completed = !failed;
        syndic__ix_free(&ix);
    }
    CHECK_TRUE(completed);
}
END_TEST

/* ---- line counts ---- */

typedef struct line_model {
    uint64_t key;
    uint32_t docs;
    uint8_t fps;   /* bit f: fingerprint f was added (fingerprints 0..3) */
    bool template;
} line_model;

/* What the header promises: the first sighting only counts; later ones add
 * their fingerprint; a template has docs >= min_docs and two fingerprints,
 * and stays one. Returns whether it became one. */
static bool line_observe(line_model *l, uint32_t fp, unsigned min_docs)
{
    if (l->template) return false;
    if (l->docs++ > 0) l->fps |= (uint8_t)(1u << fp);
    bool two = l->fps & (l->fps - 1);
    l->template = two && l->docs >= min_docs;
    return l->template;
}

static const uint32_t FPS[4] = {0, 1, 0xdeadbeef, UINT32_MAX};

typedef struct became_log { uint64_t keys[POOL]; size_t n; int fail_at; } became_log;

static int log_became(void *ctx, uint64_t key)
{
    became_log *b = ctx;
    if ((int)b->n == b->fail_at) return SYNDIC_EIO;
    b->keys[b->n++] = key;
    return SYNDIC_OK;
}

static void check_lines(const syndic_lines *t, const line_model *m, size_t n)
{
    size_t count = 0, templates = 0;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].key) {
            CHECK_TRUE(!syndic__lines_is_template(t, 0));
            continue;
        }
        count += m[i].docs > 0;
        templates += m[i].template;
        CHECK(syndic__lines_is_template(t, m[i].key) == m[i].template,
                      "key %zu: docs %u fps %x template %d", i, m[i].docs, m[i].fps,
                      m[i].template);
    }
    CHECK_EQ(t->count, count);
    CHECK_EQ(t->templates, templates);
    for (size_t p = 0; p < IX_PARTS; p++) {
        size_t used = 0;
        for (size_t i = 0; i < t->part[p].cap; i++) used += t->part[p].slots[i].key != 0;
        CHECK_EQ(used, t->part[p].count);
        CHECK_LE(used * 10, t->part[p].cap * 7);
    }
}

START_TEST(test_lines_against_model)
{
    static const unsigned min_docs[] = {0, 1, 2, 3, 5, 12};
    for (size_t md = 0; md < sizeof min_docs / sizeof min_docs[0]; md++) {
        rng_state = 0x5eed0004 + md;
        uint64_t keys[POOL];
        make_pool(keys);
        static line_model m[POOL];
        memset(m, 0, sizeof m);
        for (size_t i = 0; i < POOL; i++) m[i].key = keys[i];
        syndic_lines t, bulk;
        memset(&t, 0, sizeof t);
        memset(&bulk, 0, sizeof bulk);
        t.min_docs = bulk.min_docs = min_docs[md];
        CHECK_TRUE(!syndic__lines_is_template(&t, keys[0])); /* empty */
        syndic__lines_prefetch(&t, keys[0]);
        became_log want = {.fail_at = -1}, got = {.fail_at = -1};
        for (int op = 0; op < 5000; op++) {
            size_t k = pick_key();
            /* Most lines keep one fingerprint (a story re-sent); some get
             * a second. */
            uint32_t f = below(6) ? (uint32_t)(k % 4) : (uint32_t)below(4);
            bool became = true;
            syndic__lines_prefetch(&t, keys[k]);
            CHECK_INT_EQ(syndic__lines_observe(&t, keys[k], FPS[f], &became), SYNDIC_OK);
            CHECK_INT_EQ(syndic__lines_stage(&bulk, keys[k], FPS[f]), SYNDIC_OK);
            bool expect = keys[k] ? line_observe(&m[k], f, min_docs[md]) : false;
            CHECK(became == expect, "min_docs %u op %d key %zu: became %d", min_docs[md],
                          op, k, became);
            if (became) want.keys[want.n++] = keys[k];
            if (op % 500 == 0) check_lines(&t, m, POOL);
        }
        check_lines(&t, m, POOL);
        CHECK_GT(t.templates, 0);
        CHECK_LT(t.templates, t.count); /* and not every line */
        /* Replayed in bulk: the same counts, the same templates announced. */
        CHECK_INT_EQ(syndic__lines_flush(&bulk, log_became, &got), SYNDIC_OK);
        check_lines(&bulk, m, POOL);
        CHECK_EQ(got.n, want.n);
        for (size_t i = 0; i < want.n; i++) {
            size_t j = 0;
            while (j < got.n && got.keys[j] != want.keys[i]) j++;
            CHECK(j < got.n, "flush did not announce template %zu", i);
        }
        syndic__lines_free(&t);
        syndic__lines_free(&bulk);
        CHECK_EQ(t.min_docs, min_docs[md]); /* kept across free */
        CHECK_EQ(t.count, 0);
    }
}
END_TEST

START_TEST(test_lines_rule_by_hand)
{
    syndic_lines t;
    memset(&t, 0, sizeof t);
    t.min_docs = 3;
    const uint64_t key = 0x77;
    bool became;
    /* The first sighting's fingerprint does not count: 9 then 5, 5. */
    CHECK_INT_EQ(syndic__lines_observe(&t, key, 9, &became), SYNDIC_OK);
    CHECK_TRUE(!became);
    CHECK_INT_EQ(syndic__lines_observe(&t, key, 5, &became), SYNDIC_OK);
    CHECK_TRUE(!became);
    CHECK_INT_EQ(syndic__lines_observe(&t, key, 5, &became), SYNDIC_OK);
    CHECK_TRUE(!became && !syndic__lines_is_template(&t, key));
    /* A second fingerprint with three articles: a template. */
    CHECK_INT_EQ(syndic__lines_observe(&t, key, 6, &became), SYNDIC_OK);
    CHECK_TRUE(became && syndic__lines_is_template(&t, key));
    CHECK_INT_EQ(syndic__lines_observe(&t, key, 7, &became), SYNDIC_OK);
    CHECK_TRUE(!became); /* once */
    CHECK_EQ(t.templates, 1);
    /* Two fingerprints before min_docs: it waits for the count. */
    const uint64_t other = 0x99;
    CHECK_INT_EQ(syndic__lines_observe(&t, other, 1, &became), SYNDIC_OK);
    CHECK_INT_EQ(syndic__lines_observe(&t, other, 0, &became), SYNDIC_OK);
    CHECK_TRUE(!became);
    CHECK_INT_EQ(syndic__lines_observe(&t, other, UINT32_MAX, &became), SYNDIC_OK);
    CHECK_TRUE(became); /* fingerprint 0 is a fingerprint */
    /* Key 0 is no line. */
    became = true;
    CHECK_INT_EQ(syndic__lines_observe(&t, 0, 1, &became), SYNDIC_OK);
    CHECK_TRUE(!became);
    CHECK_EQ(t.count, 2);
    CHECK_INT_EQ(syndic__lines_stage(&t, 0, 1), SYNDIC_OK);
    syndic__lines_free(&t);
}
END_TEST

START_TEST(test_lines_flush_stops)
{
    syndic_lines t;
    memset(&t, 0, sizeof t);
    t.min_docs = 2;
    for (uint64_t key = 1; key <= 50; key++) {
        CHECK_INT_EQ(syndic__lines_stage(&t, key * 0x9E3779B9u, 1), SYNDIC_OK);
        CHECK_INT_EQ(syndic__lines_stage(&t, key * 0x9E3779B9u, 2), SYNDIC_OK);
        CHECK_INT_EQ(syndic__lines_stage(&t, key * 0x9E3779B9u, 3), SYNDIC_OK);
    }
    became_log log = {.fail_at = 3};
    CHECK_INT_EQ(syndic__lines_flush(&t, log_became, &log), SYNDIC_EIO);
    CHECK_EQ(log.n, 3);
    /* The staged sightings are dropped: a second flush announces nothing. */
    log = (became_log){.fail_at = -1};
    CHECK_INT_EQ(syndic__lines_flush(&t, log_became, &log), SYNDIC_OK);
    CHECK_EQ(log.n, 0);
    syndic__lines_free(&t);
}
END_TEST

/* ---- time heap ---- */

static int cmp_entry(const void *a, const void *b)
{
    const th_entry *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

START_TEST(test_theap)
{
    rng_state = 0x5eed0005;
    enum { N = 3000 };
    static th_entry ref[N];
    syndic_theap h = {0};
    syndic__theap_pop(&h); /* empty: nothing happens */
    CHECK_EQ(h.n, 0);
    for (int i = 0; i < N; i++) {
        /* Few distinct times, so ties are broken by seq. */
        ref[i] = (th_entry){(int64_t)below(50) - 25, next_random() % 100000};
        CHECK_INT_EQ(syndic__theap_push(&h, ref[i].time, ref[i].seq), SYNDIC_OK);
    }
    qsort(ref, N, sizeof *ref, cmp_entry);
    for (int i = 0; i < N; i++) {
        CHECK_EQ(h.n, (size_t)(N - i));
        CHECK_INT_EQ(h.v[0].time, ref[i].time);
        CHECK_EQ(h.v[0].seq, ref[i].seq);
        syndic__theap_pop(&h);
    }
    CHECK_EQ(h.n, 0);
    /* Bulk: filled in any order, heapified. */
    for (int i = 0; i < N; i++)
        CHECK_INT_EQ(syndic__theap_push(&h, 0, 0), SYNDIC_OK); /* room */
    for (int i = 0; i < N; i++) {
        ref[i] = (th_entry){INT64_MAX - (int64_t)below(100), (uint64_t)i};
        h.v[N - 1 - i] = ref[i];
    }
    syndic__theap_heapify(&h);
    qsort(ref, N, sizeof *ref, cmp_entry);
    for (int i = 0; i < N; i++) {
        CHECK_INT_EQ(h.v[0].time, ref[i].time);
        CHECK_EQ(h.v[0].seq, ref[i].seq);
        syndic__theap_pop(&h);
    }
    syndic__theap_free(&h);
    CHECK_TRUE(NULL == h.v);
    CHECK_EQ(h.n, 0);
}
END_TEST

/* ---- template set ---- */

static uint64_t tkey(uint64_t i) { return (i + 1) * GOLDEN | 1; }    /* odd, never 0 */
static uint64_t tabsent(uint64_t i) { return ((i + 1) * GOLDEN) & ~UINT64_C(1); }

START_TEST(test_tset_single_thread)
{
    syndic_tset t;
    memset(&t, 0, sizeof t);
    CHECK_TRUE(!syndic__tset_has(&t, tkey(0))); /* no table yet */
    CHECK_EQ(syndic__tset_gen(&t), 0);
    CHECK_INT_EQ(syndic__tset_add(&t, 0), SYNDIC_OK); /* 0 is no key */
    CHECK_EQ(syndic__tset_gen(&t), 0);
    CHECK_TRUE(!syndic__tset_has(&t, 0));
    tset_table *first = NULL;
    enum { N = 5000 };
    for (uint64_t i = 0; i < N; i++) {
        CHECK_INT_EQ(syndic__tset_add(&t, tkey(i)), SYNDIC_OK);
        if (!first) first = atomic_load(&t.cur);
        CHECK_EQ(syndic__tset_gen(&t), i + 1);
        if (i % 97 == 0)
            for (uint64_t j = 0; j <= i; j += 13) CHECK_TRUE(syndic__tset_has(&t, tkey(j)));
    }
    for (uint64_t i = 0; i < N; i++) {
        CHECK_TRUE(syndic__tset_has(&t, tkey(i)));
        CHECK_TRUE(!syndic__tset_has(&t, tabsent(i)));
    }
    CHECK_TRUE(!syndic__tset_has(&t, 0));
    CHECK_GE(atomic_load(&t.cur)->cap, 2 * N);
    /* The first table was retired, not freed: a reader still holding it
     * sees the keys it had (ASan would catch a free). */
    CHECK_TRUE(first != atomic_load(&t.cur));
    size_t in_first = 0;
    for (size_t i = 0; i < first->cap; i++) in_first += atomic_load(&first->keys[i]) != 0;
    CHECK_GT(in_first, 0);
    /* Clear: nothing found, the generation moves on, adds work again. */
    uint64_t g = syndic__tset_gen(&t);
    tset_table *before = atomic_load(&t.cur);
    CHECK_INT_EQ(syndic__tset_clear(&t), SYNDIC_OK);
    CHECK_GT(syndic__tset_gen(&t), g);
    for (uint64_t i = 0; i < N; i += 7) CHECK_TRUE(!syndic__tset_has(&t, tkey(i)));
    size_t in_before = 0; /* retired by the clear, still whole */
    for (size_t i = 0; i < before->cap; i++) in_before += atomic_load(&before->keys[i]) != 0;
    CHECK_EQ(in_before, N);
    CHECK_INT_EQ(syndic__tset_add(&t, tkey(3)), SYNDIC_OK);
    CHECK_TRUE(syndic__tset_has(&t, tkey(3)));
    CHECK_TRUE(!syndic__tset_has(&t, tkey(4)));
    syndic__tset_free(&t);
    CHECK_TRUE(!syndic__tset_has(&t, tkey(3)));
}
END_TEST

typedef struct reader_arg {
    syndic_tset *t;
    atomic_bool done;
    long checks, misses, false_hits;
} reader_arg;

static void *tset_reader(void *p)
{
    reader_arg *a = p;
    uint64_t x = 0x1234;
    while (!atomic_load(&a->done)) {
        uint64_t g = syndic__tset_gen(a->t);
        if (!g) continue;
        /* Every key added before the generation read is visible. */
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t i = (x >> 33) % g;
        a->misses += !syndic__tset_has(a->t, tkey(i));
        a->false_hits += syndic__tset_has(a->t, tabsent(i));
        a->checks++;
    }
    return NULL;
}

START_TEST(test_tset_reader_while_growing)
{
    syndic_tset t;
    memset(&t, 0, sizeof t);
    reader_arg a = {.t = &t};
    atomic_init(&a.done, false);
    pthread_t th;
    CHECK_INT_EQ(pthread_create(&th, NULL, tset_reader, &a), 0);
    for (uint64_t i = 0; i < 20000; i++) CHECK_INT_EQ(syndic__tset_add(&t, tkey(i)), SYNDIC_OK);
    atomic_store(&a.done, true);
    CHECK_INT_EQ(pthread_join(th, NULL), 0);
    CHECK_INT_EQ(a.misses, 0);
    CHECK_INT_EQ(a.false_hits, 0);
    syndic__tset_free(&t);
}
END_TEST

/* ---- articles for verification ---- */

enum { VT_K = 4, VT_OUTLETS = 300 };

static void outlet_name(char *buf, size_t cap, unsigned o)
{
    /* "" and names that are prefixes of one another among them. */
    static const char *const special[] = {"", "a", "ab", "abc"};
    if (o < 4) snprintf(buf, cap, "%s", special[o]);
    else snprintf(buf, cap, "outlet-%u", o);
}

typedef struct vt_model {
    uint64_t first, next;    /* seqs [first, next) were handed out */
    uint8_t *live;           /* by seq - first */
    uint16_t *outlet;
    size_t cap;
} vt_model;

static void vt_sig(uint64_t seq, uint32_t *sig)
{
    for (unsigned i = 0; i < VT_K; i++) sig[i] = (uint32_t)(seq * 2654435761u + i);
}

static void vt_add(syndic_vtab *t, vt_model *m, uint64_t seq, unsigned outlet)
{
    vdoc d;
    memset(&d, 0, sizeof d);
    d.story = seq * 3;
    d.time = (int64_t)seq * 60 - 1000000;
    d.shingles = (uint32_t)seq % 500;
    d.has_time = seq % 5 != 0;
    d.live = 0; /* add sets it */
    d.numbers.count = 1;
    d.numbers.hash[0] = (uint32_t)seq;
    d.title.count = 2;
    d.title.hash[1] = (uint32_t)(seq >> 1);
    uint32_t sig[VT_K];
    vt_sig(seq, sig);
    char name[32];
    outlet_name(name, sizeof name, outlet);
    CHECK_INT_EQ(syndic__vtab_add(t, seq, &d, sig, name, strlen(name)), SYNDIC_OK);
    size_t at = (size_t)(seq - m->first);
    CHECK_LT(at, m->cap);
    m->live[at] = 1;
    m->outlet[at] = (uint16_t)outlet;
    m->next = seq + 1;
}

static void vt_check(const syndic_vtab *t, const vt_model *m)
{
    for (uint64_t seq = m->first > 5 ? m->first - 5 : 0; seq < m->next + 5; seq++) {
        syndic__vtab_prefetch(t, seq);
        const vdoc *d = syndic__vtab_get(t, seq);
        bool live = seq >= m->first && seq < m->next && m->live[seq - m->first];
        CHECK((d != NULL) == live, "seq %llu: got %p, live %d", (unsigned long long)seq,
                      (const void *)d, live);
        if (!d) continue;
        CHECK_EQ(d->story, seq * 3);
        CHECK_INT_EQ(d->time, (int64_t)seq * 60 - 1000000);
        CHECK_EQ(d->shingles, (uint32_t)seq % 500);
        CHECK_EQ(d->has_time, seq % 5 != 0);
        CHECK_EQ(d->numbers.hash[0], (uint32_t)seq);
        CHECK_EQ(d->title.hash[1], (uint32_t)(seq >> 1));
        uint32_t sig[VT_K];
        vt_sig(seq, sig);
        CHECK(memcmp(syndic__vtab_sig(t, seq), sig, sizeof sig) == 0, "seq %llu: signature",
              (unsigned long long)seq);
        char name[32];
        outlet_name(name, sizeof name, m->outlet[seq - m->first]);
        CHECK(strcmp(syndic__vtab_outlet(t, d), name) == 0, "seq %llu: outlet %s, expected %s",
              (unsigned long long)seq, syndic__vtab_outlet(t, d), name);
    }
}

START_TEST(test_vtab_against_model)
{
    rng_state = 0x5eed0006;
    syndic_vtab t;
    memset(&t, 0, sizeof t);
    t.k = VT_K;
    vt_model m = {.first = 1000, .next = 1000, .cap = 80000};
    m.live = calloc(m.cap, 1);
    m.outlet = calloc(m.cap, sizeof *m.outlet);
    CHECK_TRUE(NULL == syndic__vtab_get(&t, 1000)); /* empty */
    syndic__vtab_prefetch(&t, 1000);
    CHECK_INT_EQ(syndic__vtab_reserve(&t, 2000), SYNDIC_OK);
    uint8_t used[VT_OUTLETS] = {0};
    size_t live = 0, oldest = 0;
    uint64_t max_base = 0;
    for (int i = 0; i < 30000; i++) {
        uint64_t seq = m.next + (below(4) ? 0 : below(3)); /* gaps now and then */
        unsigned o = (unsigned)(below(4) ? below(20) : below(VT_OUTLETS));
        used[o] = 1;
        vt_add(&t, &m, seq, o);
        live++;
        /* Evict: mostly the oldest (so the dead prefix grows), sometimes
         * one at random. */
        while (live > 3000 || (live > 10 && below(5) == 0)) {
            size_t at;
            if (below(4)) {
                while (!m.live[oldest]) oldest++;
                at = oldest;
            } else {
                do at = (size_t)below(m.next - m.first); while (!m.live[at]);
            }
            syndic__vtab_kill(&t, m.first + at);
            m.live[at] = 0;
            live--;
        }
        if (t.base > max_base) max_base = t.base;
        if (i % 3000 == 2999) vt_check(&t, &m);
    }
    vt_check(&t, &m);
    CHECK_GT(max_base, m.first + 4096); /* the dead prefix was dropped */
    size_t distinct = 0;
    for (unsigned o = 0; o < VT_OUTLETS; o++) distinct += used[o];
    CHECK_EQ(t.outlets.count, distinct); /* each interned once */
    /* Killing what is gone or was never there changes nothing. */
    syndic__vtab_kill(&t, m.first);
    syndic__vtab_kill(&t, m.next + 100);
    vt_check(&t, &m);
    /* Seqs must grow. */
    vdoc d;
    memset(&d, 0, sizeof d);
    uint32_t sig[VT_K] = {0};
    CHECK_INT_EQ(syndic__vtab_add(&t, m.next - 1, &d, sig, "x", 1), SYNDIC_EINVAL);
    CHECK_INT_EQ(syndic__vtab_add(&t, m.first, &d, sig, "x", 1), SYNDIC_EINVAL);
    CHECK_INT_EQ(syndic__vtab_add(&t, m.next + ((uint64_t)1 << 32) + 1, &d, sig, "x", 1),
                     SYNDIC_ENOMEM);
    vt_check(&t, &m);
    syndic__vtab_free(&t);
    CHECK_EQ(t.k, VT_K);
    CHECK_TRUE(NULL == syndic__vtab_get(&t, m.next - 1));
    free(m.live);
    free(m.outlet);
}
END_TEST

START_TEST(test_vtab_restart_when_all_dead)
{
    syndic_vtab t;
    memset(&t, 0, sizeof t);
    t.k = VT_K;
    vt_model m = {.first = 50, .next = 50, .cap = 2000};
    m.live = calloc(m.cap, 1);
    m.outlet = calloc(m.cap, sizeof *m.outlet);
    for (uint64_t s = 50; s < 60; s++) vt_add(&t, &m, s, (unsigned)s % 3);
    for (uint64_t s = 50; s < 60; s++) {
        syndic__vtab_kill(&t, s);
        m.live[s - m.first] = 0;
    }
    vt_check(&t, &m);
    /* Nothing live and a gap: the table starts over at the new seq, with
     * no dead slots in front. */
    vt_add(&t, &m, 1500, 1);
    CHECK_EQ(t.base, 1500);
    CHECK_EQ(t.count, 1);
    vt_check(&t, &m);
    /* Nothing live and no gap: appended. */
    syndic__vtab_kill(&t, 1500);
    m.live[1500 - m.first] = 0;
    vt_add(&t, &m, 1501, 2);
    CHECK_TRUE(NULL != syndic__vtab_get(&t, 1501));
    vt_check(&t, &m);
    /* A gap after a live one: dead slots between. */
    vt_add(&t, &m, 1505, 0);
    vt_check(&t, &m);
    syndic__vtab_free(&t);
    free(m.live);
    free(m.outlet);
}
END_TEST

/* ---- live members per story ---- */

START_TEST(test_live_against_model)
{
    rng_state = 0x5eed0007;
    enum { MAX_STORY = 60000 };
    uint32_t *model = calloc(MAX_STORY, sizeof *model);
    uint64_t *alive = malloc(MAX_STORY * sizeof *alive); /* stories with members */
    size_t n_alive = 0;
    syndic_live l;
    memset(&l, 0, sizeof l);
    CHECK_EQ(syndic__live_get(&l, 0), 0);
    uint64_t next_story = 10, max_base = 0;
    uint32_t now;
    for (int op = 0; op < 40000 && next_story < MAX_STORY - 10; op++) {
        uint64_t r = below(10);
        if (r < 4 || n_alive == 0) { /* a new story (ids only grow) */
            uint64_t s = next_story;
            next_story += 1 + (below(5) == 0 ? below(4) : 0);
            CHECK_INT_EQ(syndic__live_add(&l, s, 1, &now), SYNDIC_OK);
            CHECK_EQ(now, 1);
            model[s] = 1;
            alive[n_alive++] = s;
        } else {
            /* Old stories lose members first, so whole prefixes die. */
            size_t at = r < 8 ? (size_t)below(n_alive < 8 ? n_alive : 8) : (size_t)below(n_alive);
            uint64_t s = alive[at];
            int delta = r == 9 ? 1 : -1;
            CHECK_INT_EQ(syndic__live_add(&l, s, delta, &now), SYNDIC_OK);
            model[s] = delta > 0 ? model[s] + 1 : model[s] - 1;
            CHECK_EQ(now, model[s]);
            if (!model[s]) {
                memmove(alive + at, alive + at + 1, (n_alive - at - 1) * sizeof *alive);
                n_alive--;
            }
        }
        if (l.base > max_base) max_base = l.base;
        if (op % 4000 == 0 || op == 39999)
            for (uint64_t s = 0; s < next_story + 3; s++)
                CHECK(syndic__live_get(&l, s) == model[s], "story %llu: %u, expected %u",
                              (unsigned long long)s, syndic__live_get(&l, s), model[s]);
    }
    CHECK_GT(max_base, 4096); /* the dead prefix was dropped */
    /* Errors: below zero, an unknown story, a story gone with the prefix. */
    uint64_t dead = 0;
    for (uint64_t s = l.base; s < next_story && !dead; s++)
        if (!model[s] && s > l.base) dead = s;
    CHECK_GT(dead, 0);
    CHECK_INT_EQ(syndic__live_add(&l, dead, -1, &now), SYNDIC_EINVAL);
    CHECK_INT_EQ(syndic__live_add(&l, next_story + 5, -1, &now), SYNDIC_EINVAL);
    CHECK_INT_EQ(syndic__live_add(&l, l.base - 1, -1, &now), SYNDIC_EINVAL);
    CHECK_EQ(syndic__live_get(&l, l.base - 1), 0);
    for (uint64_t s = 0; s < next_story + 3; s++) CHECK_EQ(syndic__live_get(&l, s), model[s]);
    syndic__live_free(&l);
    CHECK_EQ(syndic__live_get(&l, alive[0]), 0);
    free(model);
    free(alive);
}
END_TEST

/* A rebuild adds the stored articles in seq order, and their stories come
 * out of id order: an article may belong to an older story than the one
 * before it, when that story's earlier articles were evicted (by time, not
 * by seq). Stories from a simulated feed, half its articles evicted (older
 * ones more), the rest added in seq order: every count right, then every
 * member taken away again. */
START_TEST(test_live_rebuild_order)
{
    rng_state = 0x5eed0008;
    enum { ARTICLES = 20000 };
    static uint64_t story_of[ARTICLES];
    static uint32_t model[ARTICLES + 1];
    static uint8_t kept[ARTICLES];
    uint64_t next_story = 1;
    for (size_t i = 0; i < ARTICLES; i++) {
        /* A new story, or a copy of one of the last 300. */
        if (next_story == 1 || below(10) < 3) story_of[i] = next_story++;
        else story_of[i] = next_story - 1 - below(next_story - 1 < 300 ? next_story - 1 : 300);
        kept[i] = below(ARTICLES) < i; /* evicted: older ones more often */
    }
    syndic_live l;
    memset(&l, 0, sizeof l);
    uint32_t now;
    size_t out_of_order = 0;
    uint64_t last = 0;
    for (size_t i = 0; i < ARTICLES; i++) {
        if (!kept[i]) continue;
        uint64_t s = story_of[i];
        out_of_order += s < last;
        last = s;
        CHECK(syndic__live_add(&l, s, 1, &now) == SYNDIC_OK, "article %zu, story %llu: %s", i,
              (unsigned long long)s, syndic_last_error());
        CHECK_EQ(now, ++model[s]);
    }
    CHECK_GT(out_of_order, 1000);
    for (uint64_t s = 0; s <= ARTICLES; s++) CHECK_EQ(syndic__live_get(&l, s), model[s]);
    /* Evicted now by time (here: in seq order): every count down to 0. */
    for (size_t i = 0; i < ARTICLES; i++) {
        if (!kept[i]) continue;
        uint64_t s = story_of[i];
        CHECK(syndic__live_add(&l, s, -1, &now) == SYNDIC_OK, "article %zu, story %llu: %s", i,
              (unsigned long long)s, syndic_last_error());
        CHECK_EQ(now, --model[s]);
        CHECK_EQ(syndic__live_get(&l, s), model[s]);
    }
    for (uint64_t s = 0; s <= ARTICLES; s++) CHECK_EQ(syndic__live_get(&l, s), 0);
    /* By hand: 5, then 3 below it, then 1 below a dead 3. */
    syndic__live_free(&l);
    CHECK_INT_EQ(syndic__live_add(&l, 5, 1, &now), SYNDIC_OK);
    CHECK_INT_EQ(syndic__live_add(&l, 3, 1, &now), SYNDIC_OK);
    CHECK_EQ(l.base, 3);
    CHECK_EQ(syndic__live_get(&l, 3), 1);
    CHECK_EQ(syndic__live_get(&l, 4), 0);
    CHECK_EQ(syndic__live_get(&l, 5), 1);
    CHECK_INT_EQ(syndic__live_add(&l, 3, -1, &now), SYNDIC_OK);
    CHECK_INT_EQ(syndic__live_add(&l, 1, 1, &now), SYNDIC_OK);
    CHECK_EQ(syndic__live_get(&l, 1), 1);
    CHECK_EQ(syndic__live_get(&l, 3), 0);
    CHECK_EQ(syndic__live_get(&l, 5), 1);
    CHECK_INT_EQ(syndic__live_add(&l, 0, -1, &now), SYNDIC_EINVAL); /* never had any */
    syndic__live_free(&l);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ingest_index");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_crafted_keys);
    tcase_add_test(tc, test_ix_against_model);
    tcase_add_test(tc, test_ix_wrap_by_hand);
    tcase_add_test(tc, test_ix_many_refs);
    tcase_add_test(tc, test_ix_stage_flush);
    tcase_add_test(tc, test_ix_out_of_memory);
    tcase_add_test(tc, test_lines_against_model);
    tcase_add_test(tc, test_lines_rule_by_hand);
    tcase_add_test(tc, test_lines_flush_stops);
    tcase_add_test(tc, test_theap);
    tcase_add_test(tc, test_tset_single_thread);
    tcase_add_test(tc, test_tset_reader_while_growing);
    tcase_add_test(tc, test_vtab_against_model);
    tcase_add_test(tc, test_vtab_restart_when_all_dead);
    tcase_add_test(tc, test_live_against_model);
    tcase_add_test(tc, test_live_rebuild_order);
    suite_add_tcase(s, tc);
    return s;
}
