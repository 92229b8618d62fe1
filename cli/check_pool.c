/*
 * check_pool.c - owns the worker threads of `rpiperf check`: each takes
 * the next file, checks it (check_report.c) and leaves the result in the
 * file's slot; the command takes the results in the order of the files,
 * whatever the number of threads, and frees each when it is written out,
 * so that memory does not grow with the number of reports.
 */
#include "cli.h"
#include "check.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64

enum { SLOT_PENDING, SLOT_DONE, SLOT_TAKEN };

/* The place of one file's result. */
typedef struct slot {
    check_result *res;          /* NULL when memory ran out */
    unsigned char state;        /* SLOT_* */
} slot;

struct check_pool {
    const check_files *files;
    const check_job *job;
    pthread_mutex_t lock;
    pthread_cond_t done;        /* a slot became SLOT_DONE */
    size_t next;                /* the next file to take */
    slot *slots;                /* one per file */
    pthread_t tids[MAX_JOBS];
    size_t n_threads;
};

static void *worker(void *arg)
{
    check_pool *p = arg;

    for (;;) {
        size_t i;
        check_result *res;

        pthread_mutex_lock(&p->lock);
        i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->files->n)
            break;
        res = check_report(p->job, p->files->paths[i]);
        pthread_mutex_lock(&p->lock);
        p->slots[i].res = res;
        p->slots[i].state = SLOT_DONE;
        pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

/* The condition variable waits on CLOCK_MONOTONIC: a change of the
 * system's time does not stretch or cut a wait. */
static int init_sync(check_pool *p)
{
    pthread_condattr_t ca;
    int rc;

    if (pthread_condattr_init(&ca) != 0)
        return -1;
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    rc = pthread_cond_init(&p->done, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        pthread_cond_destroy(&p->done);
        return -1;
    }
    return 0;
}

int check_pool_start(check_pool **out, const check_files *files,
                     const check_job *job, unsigned long jobs)
{
    check_pool *p = calloc(1, sizeof(*p));
    int rc = -1;

    *out = NULL;
    if (!p)
        goto cleanup;
    p->files = files;
    p->job = job;
    p->slots = calloc(files->n ? files->n : 1, sizeof(*p->slots));
    if (!p->slots || init_sync(p) < 0)
        goto cleanup;
    if (!jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned long)n : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > files->n)
        jobs = files->n;
    for (p->n_threads = 0; p->n_threads < jobs; p->n_threads++)
        if (pthread_create(&p->tids[p->n_threads], NULL, worker, p) != 0)
            break;
    if (!p->n_threads)
        worker(p);  /* no thread could start: do the work here */
    *out = p;
    p = NULL;
    rc = 0;

cleanup:
    if (p) {
        free(p->slots);
        free(p);
    }
    return rc;
}

bool check_pool_take(check_pool *p, size_t i, double timeout,
                     check_result **res)
{
    bool ready;

    pthread_mutex_lock(&p->lock);
    if (p->slots[i].state == SLOT_PENDING) {
        if (timeout < 0) {
            while (p->slots[i].state == SLOT_PENDING)
                pthread_cond_wait(&p->done, &p->lock);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += (time_t)timeout;
            ts.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&p->done, &p->lock, &ts);
        }
    }
    ready = p->slots[i].state == SLOT_DONE;
    if (ready) {
        *res = p->slots[i].res;
        p->slots[i].res = NULL;
        p->slots[i].state = SLOT_TAKEN;
    }
    pthread_mutex_unlock(&p->lock);
    return ready;
}

void check_pool_stop(check_pool *p)
{
    size_t i;

    if (!p)
        return;
    /* files not taken yet are not started any more */
    pthread_mutex_lock(&p->lock);
    p->next = p->files->n;
    pthread_mutex_unlock(&p->lock);
    for (i = 0; i < p->n_threads; i++)
        pthread_join(p->tids[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->done);
    for (i = 0; i < p->files->n; i++)
        check_result_free(p->slots[i].res);
    free(p->slots);
    free(p);
}
