/*
 * test_pool.c - the worker pool (pool.c): jobs come back in the order they
 * were submitted whatever order they finish in, with their status and
 * message; in_flight counts them; freeing a pool with jobs still out
 * neither hangs nor leaks (ASan checks the second).
 *
 * The finishing order is forced, not hoped for from sleeps: the other jobs
 * wait until the first has started, and the first waits until every other
 * job has finished and the test releases it, so with two or more workers
 * it runs beside them and finishes last; the test records the order jobs
 * finished in.
 */
#include "check_main.h"
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { JOBS = 40 };

typedef struct test_job {
    syndic_job job; /* first: the pool hands this back */
    int id;
    int fail;        /* 0 ok; 1 fails with a message; 2 fails without one */
    int delay_us;
    int result;
    unsigned worker;
    int finished_as; /* 0-based position in the finishing order */
} test_job;

typedef struct ctx {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int finished;          /* jobs done so far */
    bool hold_first;       /* job 0 waits for release_first; the others
                              wait until it has started */
    bool first_started, release_first;
    bool gated;            /* every job waits for the gate to open */
    bool gate_open;
    int started;
    atomic_int running, most_running;
} ctx;

static void sleep_us(int us)
{
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static int run_job(void *arg, unsigned worker, syndic_job *job)
{
    ctx *c = arg;
    test_job *t = (test_job *)job;
    int now = atomic_fetch_add(&c->running, 1) + 1;
    int most = atomic_load(&c->most_running);
    while (now > most && !atomic_compare_exchange_weak(&c->most_running, &most, now)) {}
    t->worker = worker;
    if (c->gated) {
        pthread_mutex_lock(&c->lock);
        c->started++;
        pthread_cond_broadcast(&c->cond);
        while (!c->gate_open) pthread_cond_wait(&c->cond, &c->lock);
        pthread_mutex_unlock(&c->lock);
    }
    if (c->hold_first) {
        pthread_mutex_lock(&c->lock);
        if (t->id == 0) {
            c->first_started = true;
            pthread_cond_broadcast(&c->cond);
            while (!c->release_first) pthread_cond_wait(&c->cond, &c->lock);
        } else {
            while (!c->first_started) pthread_cond_wait(&c->cond, &c->lock);
        }
        pthread_mutex_unlock(&c->lock);
    }
    if (t->delay_us) sleep_us(t->delay_us);
    t->result = t->id * 3 + 1;
    atomic_fetch_sub(&c->running, 1);
    pthread_mutex_lock(&c->lock);
    t->finished_as = c->finished++;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (t->fail == 1) return syndic__error(SYNDIC_EIO, "job %d: disk %u on fire", t->id, 7u);
    if (t->fail == 2) return SYNDIC_EBADREC; /* no message of its own */
    return SYNDIC_OK;
}

static void ctx_init(ctx *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    atomic_init(&c->running, 0);
    atomic_init(&c->most_running, 0);
}

static void ctx_destroy(ctx *c)
{
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
}

/* Takes every job back and checks order, results, status and message. */
static void take_back_all(syndic_pool *pool, test_job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_uint_eq(syndic__pool_in_flight(pool), (size_t)(n - i));
        syndic_job *j = syndic__pool_wait_oldest(pool);
        ck_assert_msg(j == &jobs[i].job, "took back job %d, expected %d",
                      j ? ((test_job *)j)->id : -1, i);
        test_job *t = (test_job *)j;
        ck_assert(j->finished);
        ck_assert_int_eq(t->result, t->id * 3 + 1);
        ck_assert_uint_lt(t->worker, syndic__pool_workers(pool));
        switch (t->fail) {
        case 0:
            ck_assert_int_eq(j->status, SYNDIC_OK);
            ck_assert_str_eq(j->message, "");
            break;
        case 1: {
            char want[64];
            snprintf(want, sizeof want, "job %d: disk 7 on fire", t->id);
            ck_assert_int_eq(j->status, SYNDIC_EIO);
            ck_assert_str_eq(j->message, want);
            break;
        }
        default:
            /* No message set: the status's own, never a stale one from an
             * earlier job on the same thread. */
            ck_assert_int_eq(j->status, SYNDIC_EBADREC);
            ck_assert_str_eq(j->message, syndic_strerror(SYNDIC_EBADREC));
        }
    }
    ck_assert_uint_eq(syndic__pool_in_flight(pool), 0);
    ck_assert_ptr_null(syndic__pool_wait_oldest(pool));
    ck_assert_uint_eq(syndic__pool_in_flight(pool), 0);
}

static void prepare(test_job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].id = i;
        jobs[i].fail = i % 7 == 3 ? 1 : i % 7 == 4 ? 2 : 0; /* 4 after 3: same worker too */
        jobs[i].finished_as = -1;
        /* The message field is the job's: the pool must clear stale text. */
        snprintf(jobs[i].job.message, sizeof jobs[i].job.message, "stale %d", i);
    }
}

/* The first job finishes last, and is still running when the caller asks
 * for the oldest job with all the others done: the order they are taken
 * back in does not change. */
static void check_first_finishes_last(unsigned workers)
{
    ctx c;
    ctx_init(&c);
    c.hold_first = true;
    syndic_pool *pool = NULL;
    ck_assert_int_eq(syndic__pool_new(&pool, workers, run_job, &c), SYNDIC_OK);
    ck_assert_uint_eq(syndic__pool_workers(pool), workers);
    ck_assert_uint_eq(syndic__pool_in_flight(pool), 0);
    test_job jobs[JOBS];
    prepare(jobs, JOBS);
    jobs[0].delay_us = 20000;
    for (int i = 0; i < JOBS; i++) {
        syndic__pool_submit(pool, &jobs[i].job);
        ck_assert_uint_eq(syndic__pool_in_flight(pool), (size_t)i + 1);
    }
    pthread_mutex_lock(&c.lock);
    while (c.finished < JOBS - 1) pthread_cond_wait(&c.cond, &c.lock);
    c.release_first = true; /* it still sleeps 20 ms */
    pthread_cond_broadcast(&c.cond);
    pthread_mutex_unlock(&c.lock);
    ck_assert_uint_eq(syndic__pool_in_flight(pool), JOBS);
    take_back_all(pool, jobs, JOBS);
    ck_assert_int_eq(jobs[0].finished_as, JOBS - 1);
    ck_assert_int_le(atomic_load(&c.most_running), (int)workers);
    ck_assert_int_ge(atomic_load(&c.most_running), 2); /* job 0 beside the others */
    syndic__pool_free(pool);
    ctx_destroy(&c);
}

START_TEST(test_order_two_workers) { check_first_finishes_last(2); }
END_TEST

START_TEST(test_order_eight_workers) { check_first_finishes_last(8); }
END_TEST

/* Early jobs slow (sleeps falling from 4 ms to 0), and the pool reused
 * for a second round; one worker runs them strictly in order. */
static void check_slow_early(unsigned workers)
{
    ctx c;
    ctx_init(&c);
    syndic_pool *pool = NULL;
    ck_assert_int_eq(syndic__pool_new(&pool, workers, run_job, &c), SYNDIC_OK);
    test_job jobs[JOBS];
    for (int round = 0; round < 2; round++) {
        prepare(jobs, JOBS);
        for (int i = 0; i < JOBS; i++) jobs[i].delay_us = (JOBS - i) * 100;
        c.finished = 0;
        for (int i = 0; i < JOBS; i++) syndic__pool_submit(pool, &jobs[i].job);
        take_back_all(pool, jobs, JOBS);
        if (workers == 1)
            for (int i = 0; i < JOBS; i++) {
                ck_assert_int_eq(jobs[i].finished_as, i);
                ck_assert_uint_eq(jobs[i].worker, 0);
            }
    }
    if (workers == 1) ck_assert_int_eq(atomic_load(&c.most_running), 1);
    syndic__pool_free(pool);
    ctx_destroy(&c);
}

START_TEST(test_slow_early_one_worker) { check_slow_early(1); }
END_TEST

START_TEST(test_slow_early_eight_workers) { check_slow_early(8); }
END_TEST

/* Jobs submitted and taken back one at a time, interleaved with more
 * submissions: in_flight follows. */
START_TEST(test_interleaved)
{
    ctx c;
    ctx_init(&c);
    syndic_pool *pool = NULL;
    ck_assert_int_eq(syndic__pool_new(&pool, 3, run_job, &c), SYNDIC_OK);
    test_job jobs[JOBS];
    prepare(jobs, JOBS);
    int next_in = 0, next_out = 0;
    while (next_out < JOBS) {
        /* Two in, one out, while there are jobs left to submit. */
        for (int k = 0; k < 2 && next_in < JOBS; k++)
            syndic__pool_submit(pool, &jobs[next_in++].job);
        ck_assert_uint_eq(syndic__pool_in_flight(pool), (size_t)(next_in - next_out));
        syndic_job *j = syndic__pool_wait_oldest(pool);
        ck_assert_ptr_eq(j, &jobs[next_out].job);
        ck_assert_int_eq(jobs[next_out].result, next_out * 3 + 1);
        next_out++;
        ck_assert_uint_eq(syndic__pool_in_flight(pool), (size_t)(next_in - next_out));
    }
    ck_assert_ptr_null(syndic__pool_wait_oldest(pool));
    syndic__pool_free(pool);
    ctx_destroy(&c);
}
END_TEST

static void *free_pool(void *pool)
{
    syndic__pool_free(pool);
    return NULL;
}

/* Freed with jobs still out: the running ones finish, the rest are left
 * alone, and free returns (a hang would trip the test's timeout). The jobs
 * wait at a gate until every worker holds one; the pool is freed from
 * another thread meanwhile, and the gate opens. */
START_TEST(test_free_with_jobs_out)
{
    static const unsigned worker_counts[] = {1, 2, 8};
    for (size_t w = 0; w < sizeof worker_counts / sizeof worker_counts[0]; w++) {
        const unsigned workers = worker_counts[w];
        ctx c;
        ctx_init(&c);
        c.gated = true;
        syndic_pool *pool = NULL;
        ck_assert_int_eq(syndic__pool_new(&pool, workers, run_job, &c), SYNDIC_OK);
        test_job jobs[JOBS];
        prepare(jobs, JOBS);
        for (int i = 0; i < JOBS; i++) {
            jobs[i].delay_us = 2000;
            syndic__pool_submit(pool, &jobs[i].job);
        }
        pthread_mutex_lock(&c.lock);
        while (c.started < (int)workers) pthread_cond_wait(&c.cond, &c.lock);
        pthread_mutex_unlock(&c.lock);
        pthread_t freer;
        ck_assert_int_eq(pthread_create(&freer, NULL, free_pool, pool), 0);
        sleep_us(10000); /* let free raise its stop flag: a late one costs only jobs */
        pthread_mutex_lock(&c.lock);
        c.gate_open = true;
        pthread_cond_broadcast(&c.cond);
        pthread_mutex_unlock(&c.lock);
        ck_assert_int_eq(pthread_join(freer, NULL), 0);
        int ran = 0;
        for (int i = 0; i < JOBS; i++) {
            const test_job *t = &jobs[i];
            bool did = t->finished_as >= 0;
            ran += did;
            ck_assert_msg(t->job.finished == did, "job %d: finished %d, ran %d", i,
                          t->job.finished, did);
            if (!did) { /* never touched after submit */
                ck_assert_int_eq(t->result, 0);
                ck_assert_str_eq(t->job.message, "");
            }
        }
        /* The first jobs in order: the ones the workers held at the gate. */
        for (int i = 0; i < (int)workers; i++) ck_assert(jobs[i].job.finished);
        ck_assert_int_eq(ran, c.finished);
        ck_assert_int_ge(ran, (int)workers);
        ck_assert_int_eq(atomic_load(&c.running), 0);
        ctx_destroy(&c);
    }
    /* All finished, none taken back. */
    ctx c;
    ctx_init(&c);
    syndic_pool *pool = NULL;
    ck_assert_int_eq(syndic__pool_new(&pool, 4, run_job, &c), SYNDIC_OK);
    test_job jobs[8];
    prepare(jobs, 8);
    for (int i = 0; i < 8; i++) syndic__pool_submit(pool, &jobs[i].job);
    pthread_mutex_lock(&c.lock);
    while (c.finished < 8) pthread_cond_wait(&c.cond, &c.lock);
    pthread_mutex_unlock(&c.lock);
    syndic__pool_free(pool);
    for (int i = 0; i < 8; i++) ck_assert(jobs[i].job.finished);
    ctx_destroy(&c);
    /* Never used, and NULL. */
    ctx_init(&c);
    ck_assert_int_eq(syndic__pool_new(&pool, 8, run_job, &c), SYNDIC_OK);
    syndic__pool_free(pool);
    syndic__pool_free(NULL);
    ctx_destroy(&c);
}
END_TEST

START_TEST(test_new_errors)
{
    ctx c;
    ctx_init(&c);
    syndic_pool *pool = (syndic_pool *)&c; /* must be reset */
    ck_assert_int_eq(syndic__pool_new(&pool, 0, run_job, &c), SYNDIC_EINVAL);
    ck_assert_ptr_null(pool);
    ck_assert_ptr_nonnull(strstr(syndic_last_error(), "worker"));
    /* Each allocation of pool_new failing in turn. */
    bool built = false;
    for (unsigned long n = 1; n < 10 && !built; n++) {
        syndic__alloc_fail_after(n);
        pool = (syndic_pool *)&c;
        int rc = syndic__pool_new(&pool, 3, run_job, &c);
        syndic__alloc_fail_after(0);
        if (rc == SYNDIC_OK) {
            built = true;
            ck_assert_uint_gt(n, 1); /* it does allocate */
            test_job jobs[3];
            prepare(jobs, 3);
            for (int i = 0; i < 3; i++) syndic__pool_submit(pool, &jobs[i].job);
            take_back_all(pool, jobs, 3);
            syndic__pool_free(pool);
        } else {
            ck_assert_int_eq(rc, SYNDIC_ENOMEM);
            ck_assert_ptr_null(pool);
        }
    }
    ck_assert(built);
    ctx_destroy(&c);
}
END_TEST

START_TEST(test_online_cpus)
{
    unsigned n = syndic__online_cpus();
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_le(n, 256);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_order_two_workers);
    tcase_add_test(tc, test_order_eight_workers);
    tcase_add_test(tc, test_slow_early_one_worker);
    tcase_add_test(tc, test_slow_early_eight_workers);
    tcase_add_test(tc, test_interleaved);
    tcase_add_test(tc, test_free_with_jobs_out);
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_online_cpus);
    suite_add_tcase(s, tc);
    return s;
}
