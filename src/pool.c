/*
 * pool.c - worker threads that run jobs, handed back in submission order.
 *
 * The batch (sketching) and the template learner (line keys) cut their input
 * into chunks of documents; the caller's thread fills a chunk, submits it,
 * and workers process chunks in parallel. Each job's results go into the job
 * itself, and the caller takes jobs back with syndic__pool_wait_oldest() in
 * the order it submitted them, so what it does with the results (copy them
 * into place, count them) never depends on the scheduling.
 *
 * One list holds every job submitted and not yet taken back, oldest first;
 * `next` marks the first one no worker has started (workers start jobs in
 * submission order, so the jobs waiting for a worker are a suffix of the
 * list). One mutex guards the list and the flags; `work` wakes workers,
 * `done` wakes the caller waiting for its oldest job.
 *
 * A worker copies its thread's error message into the job when the job
 * fails: the message is thread-local (error.c), and the caller reports it.
 */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct syndic_pool {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    pthread_t *threads;
    struct worker_arg *args; /* one per thread, kept until they are joined */
    unsigned workers, started;
    bool stop;
    syndic__pool_fn fn;
    void *ctx;
    syndic_job *head, *tail; /* submitted, not taken back; oldest first */
    syndic_job *next;        /* first job no worker has started */
    size_t in_flight;
};

typedef struct worker_arg { syndic_pool *pool; unsigned index; } worker_arg;

static void *worker_main(void *p)
{
    worker_arg *arg = p;
    syndic_pool *pool = arg->pool;
    unsigned index = arg->index;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && !pool->next) pthread_cond_wait(&pool->work, &pool->lock);
        if (pool->stop) break;
        syndic_job *job = pool->next;
        pool->next = job->next;
        pthread_mutex_unlock(&pool->lock);
        syndic__error_clear();
        job->status = pool->fn(pool->ctx, index, job);
        if (job->status < 0) {
            snprintf(job->message, sizeof job->message, "%s", syndic_last_error());
            if (!job->message[0])
                snprintf(job->message, sizeof job->message, "%s", syndic_strerror(job->status));
        }
        pthread_mutex_lock(&pool->lock);
        job->finished = true;
        pthread_cond_broadcast(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

int syndic__pool_new(syndic_pool **out, unsigned workers, syndic__pool_fn fn, void *ctx)
{
    *out = NULL;
    if (workers == 0) return syndic__error(SYNDIC_EINVAL, "a pool needs a worker");
    syndic_pool *pool = syndic__calloc(1, sizeof *pool);
    if (!pool) return syndic__oom();
    pool->threads = syndic__calloc(workers, sizeof *pool->threads);
    worker_arg *args = syndic__calloc(workers, sizeof *args);
    if (!pool->threads || !args) {
        syndic__free(pool->threads);
        syndic__free(pool);
        syndic__free(args);
        return syndic__oom();
    }
    pool->workers = workers;
    pool->fn = fn;
    pool->ctx = ctx;
    if (pthread_mutex_init(&pool->lock, NULL) != 0) goto fail_lock;
    if (pthread_cond_init(&pool->work, NULL) != 0) goto fail_work;
    if (pthread_cond_init(&pool->done, NULL) != 0) goto fail_done;
    for (unsigned i = 0; i < workers; i++) {
        args[i] = (worker_arg){pool, i};
        if (pthread_create(&pool->threads[i], NULL, worker_main, &args[i]) != 0) {
            pool->args = args;
            syndic__pool_free(pool);
            return syndic__error(SYNDIC_ERROR, "cannot start a worker thread");
        }
        pool->started++;
    }
    pool->args = args;
    *out = pool;
    return SYNDIC_OK;
fail_done:
    pthread_cond_destroy(&pool->work);
fail_work:
    pthread_mutex_destroy(&pool->lock);
fail_lock:
    syndic__free(pool->threads);
    syndic__free(args);
    syndic__free(pool);
    return syndic__error(SYNDIC_ERROR, "cannot create a thread pool");
}

void syndic__pool_free(syndic_pool *pool)
{
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = true;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->started; i++) pthread_join(pool->threads[i], NULL);
    pthread_cond_destroy(&pool->done);
    pthread_cond_destroy(&pool->work);
    pthread_mutex_destroy(&pool->lock);
    syndic__free(pool->threads);
    syndic__free(pool->args);
    syndic__free(pool);
}

unsigned syndic__pool_workers(const syndic_pool *pool) { return pool->workers; }

size_t syndic__pool_in_flight(const syndic_pool *pool) { return pool->in_flight; }

void syndic__pool_submit(syndic_pool *pool, syndic_job *job)
{
    job->next = NULL;
    job->finished = false;
    job->status = SYNDIC_OK;
    job->message[0] = '\0';
    pthread_mutex_lock(&pool->lock);
    if (pool->tail) pool->tail->next = job;
    else pool->head = job;
    pool->tail = job;
    if (!pool->next) pool->next = job;
    pool->in_flight++;
    pthread_cond_signal(&pool->work);
    pthread_mutex_unlock(&pool->lock);
}

syndic_job *syndic__pool_wait_oldest(syndic_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    syndic_job *job = pool->head;
    if (job) {
        while (!job->finished) pthread_cond_wait(&pool->done, &pool->lock);
        pool->head = job->next;
        if (!pool->head) pool->tail = NULL;
        pool->in_flight--;
        job->next = NULL;
    }
    pthread_mutex_unlock(&pool->lock);
    return job;
}

int syndic__pool_stream(syndic_pool *pool, void *jobs, size_t size, size_t slots,
                        bool (*fill)(void *ctx, syndic_job *job),
                        int (*take)(void *ctx, syndic_job *job), void *ctx)
{
    size_t submitted = 0;
    bool more = true;
    int rc = SYNDIC_OK;
    char message[sizeof ((syndic_job *)0)->message] = "";
    for (;;) {
        /* Fill the free slots (a slot is free once its job is taken back:
         * jobs come back in submission order), then take the oldest. */
        while (rc == SYNDIC_OK && more && syndic__pool_in_flight(pool) < slots) {
            syndic_job *j = (syndic_job *)((char *)jobs + (submitted % slots) * size);
            if (!(more = fill(ctx, j))) break;
            submitted++;
            syndic__pool_submit(pool, j);
        }
        syndic_job *j = syndic__pool_wait_oldest(pool);
        if (!j) break;
        if (rc < 0) continue; /* drain after a failure */
        if (j->status < 0) {
            rc = j->status;
            snprintf(message, sizeof message, "%s", j->message);
        } else if (take && (rc = take(ctx, j)) < 0) {
            snprintf(message, sizeof message, "%s", syndic_last_error());
        }
    }
    if (rc < 0 && message[0]) return syndic__error(rc, "%s", message);
    return rc;
}

