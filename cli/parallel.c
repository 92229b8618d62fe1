/*
 * parallel.c - owns running independent jobs on a few threads: a loop
 * whose iterations each thread takes in turn from a shared counter, for
 * commands that load and analyse several reports at once (compare).
 */
#include "cli.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct loop {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t n;
    atomic_size_t next;
} loop;

static void *take_jobs(void *arg)
{
    loop *l = arg;
    size_t i;

    while ((i = atomic_fetch_add(&l->next, 1)) < l->n)
        l->fn(l->ctx, i);
    return NULL;
}

unsigned cli_processors(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

void cli_parallel(size_t n, unsigned threads, void (*fn)(void *ctx, size_t i),
                  void *ctx)
{
    loop l;
    pthread_t *tids = NULL;
    size_t k, started = 0, extra;

    l.fn = fn;
    l.ctx = ctx;
    l.n = n;
    atomic_init(&l.next, 0);
    extra = threads > 1 && n > 1 ? (threads < n ? threads : n) - 1 : 0;
    if (extra)
        tids = malloc(extra * sizeof(*tids));
    /* a thread that cannot start leaves its share to the others */
    for (k = 0; tids && k < extra; k++) {
        if (pthread_create(&tids[started], NULL, take_jobs, &l) != 0)
            break;
        started++;
    }
    take_jobs(&l);
    for (k = 0; k < started; k++)
        pthread_join(tids[k], NULL);
    free(tids);
}
