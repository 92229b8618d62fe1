/*
 * load_fast.c - the fast path for histogram slices.
 *
 * The slices are nearly all of a report: arrays of 16 integers, up to
 * millions of them. Building a cJSON node for every number is what makes a
 * general parser slow and large here, so the "histograms" value is read
 * directly into the model when it has exactly the expected shape:
 *
 *   { "download"|"decompress"|"write"|"verify": [ [int x 16], ... ], ... }
 *
 * each phase at most once, integers 0..2^53 without sign, fraction or
 * exponent. Anything else (an unknown key, a wrong type, a short slice, a
 * limit exceeded) makes it give up, and the general path then reads the
 * value and reports every problem with its place. So the fast path accepts
 * exactly what the general path accepts as valid slices, never more.
 */
#include "load_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct fast_reader {
    const unsigned char *p;
    size_t n, i;
} fast_reader;

static inline bool fr_is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline void fr_ws(fast_reader *r)
{
    static const uint64_t spaces = 0x2020202020202020ULL;
    uint64_t w;

    /* Qt's layout indents every number by 16 spaces or more: skip
     * eight at a time */
    while (r->i < r->n && fr_is_ws(r->p[r->i])) {
        r->i++;
        while (r->i + 8 <= r->n) {
            memcpy(&w, r->p + r->i, 8);
            if (w != spaces)
                break;
            r->i += 8;
        }
    }
}

static inline bool fr_char(fast_reader *r, unsigned char c)
{
    fr_ws(r);
    if (r->i < r->n && r->p[r->i] == c) {
        r->i++;
        return true;
    }
    return false;
}

static inline bool fr_uint(fast_reader *r, uint64_t *out)
{
    uint64_t v = 0;
    size_t start;

    fr_ws(r);
    start = r->i;
    while (r->i < r->n && rpp__is_digit(r->p[r->i])) {
        if (r->i - start >= 16)
            return false;   /* 17 digits: beyond 2^53 */
        v = v * 10 + (uint64_t)(r->p[r->i] - '0');
        r->i++;
    }
    if (r->i == start || (r->p[start] == '0' && r->i - start > 1) ||
        v > ((uint64_t)1 << 53))
        return false;
    *out = v;
    return true;
}

/* One slice: "[" 16 integers "]". */
static bool read_slice(fast_reader *r, uint64_t *v)
{
    int k;

    if (!fr_char(r, '['))
        return false;
    for (k = 0; k < RPP_SLICE_FIELDS; k++)
        if ((k && !fr_char(r, ',')) || !fr_uint(r, &v[k]))
            return false;
    return fr_char(r, ']');
}

/* Appends a slice to h, whose array holds *cap; false at the limit or out
 * of memory. */
static bool append_slice(rpp_histogram *h, size_t *cap, size_t max_slices,
                         const uint64_t *v)
{
    rpp_slice *sl;

    if (h->n_slices >= max_slices)
        return false;
    if (h->n_slices == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        rpp_slice *ns = realloc(h->slices, ncap * sizeof(*ns));

        if (!ns)
            return false;
        h->slices = ns;
        *cap = ncap;
    }
    sl = &h->slices[h->n_slices++];
    sl->t_ms = v[0];
    sl->min_kbps = v[1];
    sl->max_kbps = v[2];
    sl->avg_kbps = v[3];
    memcpy(sl->buckets, v + 4, sizeof(sl->buckets));
    return true;
}

/* One phase's array of slices. */
static bool fast_phase(fast_reader *r, size_t max_slices, rpp_histogram *h)
{
    uint64_t v[RPP_SLICE_FIELDS];
    size_t cap = 0;

    h->present = true;
    if (!fr_char(r, '['))
        return false;
    if (fr_char(r, ']'))
        return true;
    do {
        if (!read_slice(r, v) || !append_slice(h, &cap, max_slices, v))
            return false;
    } while (fr_char(r, ','));
    if (!fr_char(r, ']'))
        return false;
    /* give back what doubling over-allocated */
    if (h->n_slices < cap) {
        rpp_slice *ns = realloc(h->slices, h->n_slices * sizeof(*ns));
        if (ns)
            h->slices = ns;
    }
    return true;
}

void rpp__fast_free(rpp_histogram *hs)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        free(hs[p].slices);
        memset(&hs[p], 0, sizeof(hs[p]));
    }
}

/* A key without escapes naming a phase, and the colon after it. */
static bool read_phase_key(fast_reader *r, rpp_phase *out)
{
    size_t ks;
    int p;

    if (!fr_char(r, '"'))
        return false;
    ks = r->i;
    while (r->i < r->n && r->p[r->i] != '"' && r->p[r->i] != '\\')
        r->i++;
    if (r->i >= r->n || r->p[r->i] != '"')
        return false;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const char *name = rpp_phase_name((rpp_phase)p);

        if (strlen(name) == r->i - ks &&
            memcmp(r->p + ks, name, r->i - ks) == 0)
            break;
    }
    r->i++;
    *out = (rpp_phase)p;
    return p < RPP_PHASE_COUNT && fr_char(r, ':');
}

bool rpp__fast_histograms(const char *text, size_t n, size_t max_slices,
                          rpp_histogram *hs, size_t *consumed)
{
    fast_reader r = { (const unsigned char *)text, n, 0 };
    rpp_phase p;

    memset(hs, 0, RPP_PHASE_COUNT * sizeof(*hs));
    if (!fr_char(&r, '{'))
        goto fail;
    if (!fr_char(&r, '}')) {
        do {
            if (!read_phase_key(&r, &p) || hs[p].present ||
                !fast_phase(&r, max_slices, &hs[p]))
                goto fail;
        } while (fr_char(&r, ','));
        if (!fr_char(&r, '}'))
            goto fail;
    }
    *consumed = r.i;
    return true;

fail:
    rpp__fast_free(hs);
    return false;
}
