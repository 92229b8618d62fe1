/*
 * failmalloc.c - an LD_PRELOAD library for tests/cli/test_oom.sh: the
 * FAIL_AT-th call of malloc, calloc or realloc in the process returns NULL
 * (with errno ENOMEM), every other call is glibc's own. With FAIL_COUNT
 * set, the number of calls is printed on standard error at exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static long calls, fail_at = -1;
static int ready;

static int fails(void)
{
    if (!ready) {
        const char *s = getenv("FAIL_AT");
        fail_at = s ? atol(s) : -1;
        ready = 1;
    }
    if (++calls != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    return fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fails() ? NULL : __libc_realloc(p, n);
}

__attribute__((destructor)) static void count(void)
{
    if (getenv("FAIL_COUNT"))
        fprintf(stderr, "failmalloc: %ld calls\n", calls);
}
