/*
 * arena.c - owns the memory of an analysis: everything a step allocates
 * comes from the analysis' arena and is released with it; a failed
 * allocation marks the analysis out of memory, so that a step checks once.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

void *rpp__an_alloc(rpp_analysis *a, size_t n)
{
    void *p = rpp__arena_alloc(a->mem->arena, n);

    if (!p)
        a->mem->oom = true;
    return p;
}

void *rpp__an_calloc(rpp_analysis *a, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size) {
        a->mem->oom = true;
        return NULL;
    }
    p = rpp__an_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *rpp__an_strdup(rpp_analysis *a, const char *s)
{
    char *p = rpp__arena_strdup(a->mem->arena, s ? s : "");

    if (!p)
        a->mem->oom = true;
    return p;
}

char *rpp__an_printf(rpp_analysis *a, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;
    char *s;

    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s = rpp__an_strdup(a, b.ptr ? b.ptr : "");
    if (b.oom)
        a->mem->oom = true;
    rpp__buf_free(&b);
    return s;
}

