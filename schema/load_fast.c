/*
 * load_fast.c - the fast paths for histogram slices and events.
 *
 * The slices are nearly all of a large report: arrays of 16 integers, up
 * to millions of them; the events are most of the rest, thousands of
 * small objects in the reports of slow cards. Building a cJSON node for
 * every number, key and string is what makes a general parser slow here,
 * so these two top-level values are read directly into the model when
 * they have exactly the expected shape:
 *
 *   "histograms": { "download"|"decompress"|"write"|"verify":
 *                   [ [int x 16], ... ], ... }
 *   "events": [ { "type": known name, "startMs": int, "durationMs": int,
 *                 "success": bool, "metadata"?: string,
 *                 "bytesTransferred"?: int, "throughputKBps"?: int }, ... ]
 *
 * each key at most once, integers 0..2^53 without sign, fraction or
 * exponent, strings of valid UTF-8 without escapes or control characters,
 * within the limits of the options. Anything else (an unknown key or event
 * type, a wrong type, a short slice, an escape, a limit exceeded) makes a
 * path give up, and the general path then reads the value and reports
 * every problem with its place. So a fast path takes only values that the
 * general path would read without a word, and reads them as it would;
 * some such values (1.0 for 1, escaped strings) it leaves to the general
 * path.
 */
#include "load_internal.h"

#include "util.h"

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

void rpp__fast_drop_histograms(rpp__fast *f)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        free(f->hist[p].slices);
    memset(f->hist, 0, sizeof(f->hist));
    f->hist_start = f->hist_end = 0;
}

void rpp__fast_drop_events(rpp__fast *f)
{
    free(f->events);
    free(f->meta_len);
    f->events = NULL;
    f->meta_len = NULL;
    f->n_events = f->cap_events = 0;
    f->ev_start = f->ev_end = 0;
}

void rpp__fast_free(rpp__fast *f)
{
    rpp__fast_drop_histograms(f);
    rpp__fast_drop_events(f);
}

/*
 * A string of valid UTF-8 without escapes or control characters (what
 * cJSON keeps byte for byte): its text is [*start, *start + *len) of the
 * reader's bytes.
 */
static bool fr_string(fast_reader *r, size_t *start, size_t *len)
{
    const unsigned char *p = r->p;
    size_t i, k;
    uint32_t cp;

    if (!fr_char(r, '"'))
        return false;
    for (i = r->i; i < r->n && p[i] != '"'; i += k) {
        k = 1;
        if (p[i] == '\\' || p[i] < 0x20)
            return false;
        if (p[i] >= 0x80 && !(k = rpp__utf8_next(p + i, r->n - i, &cp)))
            return false;
    }
    if (i >= r->n)
        return false;
    *start = r->i;
    *len = i - r->i;
    r->i = i + 1;
    return true;
}

/* Whether [s, s + len) of the reader's bytes is name. */
static bool fr_is(const fast_reader *r, size_t s, size_t len,
                  const char *name)
{
    return strlen(name) == len && memcmp(r->p + s, name, len) == 0;
}

/* A key that is one of names[n], and the colon after it: *out gets its
 * index. */
static bool read_key(fast_reader *r, const char *const *names, int n,
                     int *out)
{
    size_t s, len;
    int k;

    if (!fr_string(r, &s, &len))
        return false;
    for (k = 0; k < n; k++)
        if (fr_is(r, s, len, names[k]))
            break;
    *out = k;
    return k < n && fr_char(r, ':');
}

bool rpp__fast_histograms(const char *text, size_t n, size_t max_slices,
                          rpp__fast *f, size_t *consumed)
{
    fast_reader r = { (const unsigned char *)text, n, 0 };
    rpp_histogram *hs = f->hist;
    int p;

    rpp__fast_drop_histograms(f);
    if (!fr_char(&r, '{'))
        goto fail;
    if (!fr_char(&r, '}')) {
        do {
            if (!read_key(&r, rpp__phase_keys, RPP_PHASE_COUNT, &p) ||
                hs[p].present ||
                !fast_phase(&r, max_slices, &hs[p]))
                goto fail;
        } while (fr_char(&r, ','));
        if (!fr_char(&r, '}'))
            goto fail;
    }
    *consumed = r.i;
    return true;

fail:
    rpp__fast_drop_histograms(f);
    return false;
}

/* ---- Events ------------------------------------------------------------ */

static bool fr_bool(fast_reader *r, bool *out)
{
    fr_ws(r);
    if (r->n - r->i >= 4 && memcmp(r->p + r->i, "true", 4) == 0) {
        r->i += 4;
        *out = true;
        return true;
    }
    if (r->n - r->i >= 5 && memcmp(r->p + r->i, "false", 5) == 0) {
        r->i += 5;
        *out = false;
        return true;
    }
    return false;
}

/* A string within the size limit. */
static bool fr_bounded_string(fast_reader *r, size_t max, size_t *start,
                              size_t *len)
{
    return fr_string(r, start, len) && *len <= max;
}

/* The type of an event: a known name (an unknown one has a warning to
 * give, which the general path gives). */
static bool read_event_type(fast_reader *r, size_t max, rpp_event *e)
{
    char name[64];
    size_t s, len;

    if (!fr_bounded_string(r, max, &s, &len) || len >= sizeof(name))
        return false;
    memcpy(name, r->p + s, len);
    name[len] = '\0';
    e->type = rpp_event_type_from_name(name);
    e->type_name = rpp_event_type_name(e->type);
    return e->type != RPP_EV_UNKNOWN;
}

/* The value of key k of an event into e. */
static bool read_event_value(fast_reader *r, int k, size_t max_string,
                             rpp_event *e, size_t *meta_len)
{
    size_t s;

    switch (k) {
    case RPP__EVK_TYPE:
        return read_event_type(r, max_string, e);
    case RPP__EVK_START:
        return fr_uint(r, &e->start_ms);
    case RPP__EVK_DURATION:
        return fr_uint(r, &e->duration_ms);
    case RPP__EVK_SUCCESS:
        return fr_bool(r, &e->success);
    case RPP__EVK_META:
        if (!fr_bounded_string(r, max_string, &s, meta_len))
            return false;
        e->metadata = (const char *)r->p + s;
        return true;
    case RPP__EVK_BYTES:
        return (e->has_bytes = fr_uint(r, &e->bytes_transferred));
    case RPP__EVK_THROUGHPUT:
        return (e->has_throughput = fr_uint(r, &e->throughput_kbps));
    default:
        return false;
    }
}

/* One event: an object of the keys of an event, each at most once, the
 * required ones present. */
static bool read_event(fast_reader *r, size_t max_string, rpp_event *e,
                       size_t *meta_len)
{
    const unsigned required = (1u << RPP__EVK_META) - 1;
    unsigned seen = 0;
    int k;

    memset(e, 0, sizeof(*e));
    *meta_len = 0;
    if (!fr_char(r, '{'))
        return false;
    do {
        if (!read_key(r, rpp__event_keys, RPP__EVK_N, &k) ||
            (seen & 1u << k) ||
            !read_event_value(r, k, max_string, e, meta_len))
            return false;
        seen |= 1u << k;
    } while (fr_char(r, ','));
    return fr_char(r, '}') && (seen & required) == required;
}

/* Room for one more event in f. */
static bool grow_events(rpp__fast *f)
{
    size_t ncap;
    rpp_event *ne;
    size_t *nl;

    if (f->n_events < f->cap_events)
        return true;
    ncap = f->cap_events ? f->cap_events * 2 : 64;
    if (!(ne = realloc(f->events, ncap * sizeof(*ne))))
        return false;
    f->events = ne;
    if (!(nl = realloc(f->meta_len, ncap * sizeof(*nl))))
        return false;
    f->meta_len = nl;
    f->cap_events = ncap;
    return true;
}

/* Gives back what doubling over-allocated (the report keeps the array). */
static void shrink_events(rpp__fast *f)
{
    rpp_event *ne;

    if (f->n_events && f->n_events < f->cap_events &&
        (ne = realloc(f->events, f->n_events * sizeof(*ne))) != NULL) {
        f->events = ne;
        f->cap_events = f->n_events;
    }
}

bool rpp__fast_events(const char *text, size_t n, const rpp_load_opts *o,
                      rpp__fast *f, size_t *consumed)
{
    fast_reader r = { (const unsigned char *)text, n, 0 };

    rpp__fast_drop_events(f);
    if (!fr_char(&r, '['))
        goto fail;
    if (!fr_char(&r, ']')) {
        do {
            if (f->n_events >= o->max_events || !grow_events(f) ||
                !read_event(&r, o->max_string, &f->events[f->n_events],
                            &f->meta_len[f->n_events]))
                goto fail;
            f->n_events++;
        } while (fr_char(&r, ','));
        if (!fr_char(&r, ']'))
            goto fail;
    }
    shrink_events(f);
    *consumed = r.i;
    return true;

fail:
    rpp__fast_drop_events(f);
    return false;
}
