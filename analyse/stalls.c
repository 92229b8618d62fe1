/*
 * stalls.c - owns the stalls of a capture, each one reported once:
 *
 *  - the times the storage device stopped taking writes, as the Imager's
 *    progress watchdog records them (src/writeprogresswatchdog.cpp: a
 *    check a second; with writes pending it halves the queue depth after
 *    30 s of no progress, drains and switches to synchronous writes after
 *    60 s, restarts the write after 120 s if the drain failed, records a
 *    progressStall every second from 90 s, each one starting where the
 *    stall began, and gives up at 180 s), summarised as one episode;
 *  - the holes in the data: stretches in which a phase recorded no
 *    progress, merged across the phases they hit, each matched with the
 *    event that explains it (a page-cache flush, a network retry and its
 *    back-off, the watchdog, the final sync, ...).
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the watchdog does after how long without progress (ms). */
#define WATCHDOG_REDUCE_MS 30000
#define WATCHDOG_DRAIN_MS 60000
#define WATCHDOG_RESTART_MS 120000
#define WATCHDOG_GIVE_UP_MS 180000
/* the longest an episode can span: giving up, plus a drain that waits */
#define EPISODE_SPAN_MS (WATCHDOG_GIVE_UP_MS + 60000)

static bool watchdog_type(rpp_event_type t)
{
    return t == RPP_EV_PROGRESS_STALL || t == RPP_EV_QUEUE_DEPTH_REDUCTION ||
           t == RPP_EV_DRAIN_AND_HOT_SWAP || t == RPP_EV_WATCHDOG_RECOVERY;
}

typedef struct keyed {
    uint64_t key;
    size_t index;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index);
}

static uint64_t ev_end(const rpp_analysis *a, size_t i)
{
    return rpp_sat_add(a->event_times[i].start_ms,
                       a->report->events[i].duration_ms);
}

/* Indices of the watchdog's events, in the order they ended. */
static size_t *watchdog_events(rpp_analysis *a, size_t *n_out)
{
    const rpp_report *r = a->report;
    size_t i, n = 0;
    keyed *order;
    size_t *idx;

    *n_out = 0;
    for (i = 0; i < r->n_events; i++)
        n += watchdog_type(r->events[i].type);
    if (!n)
        return NULL;
    order = malloc(n * sizeof(*order));
    idx = rpp__an_alloc(a, n * sizeof(*idx));
    if (!order || !idx) {
        free(order);
        a->mem->oom = true;
        return NULL;
    }
    n = 0;
    for (i = 0; i < r->n_events; i++)
        if (watchdog_type(r->events[i].type)) {
            order[n].key = ev_end(a, i);
            order[n].index = i;
            n++;
        }
    qsort(order, n, sizeof(*order), cmp_keyed);
    for (i = 0; i < n; i++)
        idx[i] = order[i].index;
    free(order);
    *n_out = n;
    return idx;
}

/* The watchdog's action: "hardTimeout", "restart", "hotSwap" or "". */
static void action_of(const rpp_event *e, char *out, size_t n)
{
    if (!e->metadata || !rpp_meta_get(e->metadata, "action", out, n))
        out[0] = '\0';
}

/* When the writes stopped, as this event tells it (ms on the timeline);
 * UINT64_MAX when it does not. */
static uint64_t stop_start(const rpp_analysis *a, size_t i)
{
    const rpp_event *e = &a->report->events[i];
    uint64_t at = a->event_times[i].start_ms, end = ev_end(a, i), back = 0;
    char action[32];

    if (e->type == RPP_EV_PROGRESS_STALL)
        return at; /* it starts where the stall began */
    if (e->type == RPP_EV_QUEUE_DEPTH_REDUCTION)
        back = WATCHDOG_REDUCE_MS;
    else if (e->type == RPP_EV_DRAIN_AND_HOT_SWAP)
        return at >= WATCHDOG_DRAIN_MS ? at - WATCHDOG_DRAIN_MS : 0;
    else if (e->type == RPP_EV_WATCHDOG_RECOVERY) {
        action_of(e, action, sizeof(action));
        if (strcmp(action, "hardTimeout") == 0)
            back = WATCHDOG_GIVE_UP_MS;
        else if (strcmp(action, "restart") == 0)
            back = WATCHDOG_RESTART_MS;
        else
            return UINT64_MAX;
    }
    return end >= back ? end - back : 0;
}

/* The text after "action=...; " of a watchdogRecovery: its message. */
static const char *watchdog_message(rpp_analysis *a, const rpp_event *e)
{
    const char *m = e->metadata, *semi;

    if (!m || strncmp(m, "action=", 7) != 0)
        return NULL;
    semi = strstr(m, "; ");
    return semi && semi[2] ? rpp__an_strdup(a, semi + 2) : NULL;
}

void rpp__device_stops_compute(rpp_analysis *a)
{
    const rpp_report *r = a->report;
    size_t n_ev = 0, i, n = 0, cap = 0;
    size_t *evs = watchdog_events(a, &n_ev);
    rpp_device_stop *stops = NULL, *cur = NULL;
    uint64_t cur_first = 0, cur_last = 0;

    if (!evs)
        return;
    for (i = 0; i < n_ev; i++) {
        size_t k = evs[i];
        const rpp_event *e = &r->events[k];
        uint64_t at = ev_end(a, k), from = stop_start(a, k);
        char action[32];

        if (cur && e->type == RPP_EV_PROGRESS_STALL &&
            a->event_times[k].outside_session) {
            /* a warning the watchdog gave after the session had ended
             * (startMs 0: no time of its own): the stop went on */
            cur->n_progress_stalls++;
            continue;
        }
        if (!cur || at > cur_first + EPISODE_SPAN_MS ||
            (from != UINT64_MAX && from > cur_last + 2000)) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 4;
                rpp_device_stop *ns = rpp__an_calloc(a, ncap, sizeof(*ns));
                if (!ns)
                    return;
                if (n)
                    memcpy(ns, stops, n * sizeof(*ns));
                stops = ns;
                cap = ncap;
            }
            cur = &stops[n++];
            memset(cur, 0, sizeof(*cur));
            cur->start_ms = from != UINT64_MAX ? from : at;
            cur->cycle = a->event_times[k].cycle;
            cur->actions = rpp__an_alloc(a, n_ev * sizeof(size_t));
            if (!cur->actions)
                return;
            cur_first = cur->start_ms;
        }
        cur_last = at;
        if (e->type == RPP_EV_PROGRESS_STALL) {
            /* the series: each one from where the stall began, a second
             * longer; the watchdog's own measure beats the estimates */
            if (!cur->n_progress_stalls++ ||
                a->event_times[k].start_ms < cur->start_ms)
                cur->start_ms = a->event_times[k].start_ms;
        } else {
            ((size_t *)cur->actions)[cur->n_actions++] = k;
            if (from != UINT64_MAX && from < cur->start_ms &&
                cur->n_progress_stalls == 0)
                cur->start_ms = from;
        }
        if (at > cur->start_ms && at - cur->start_ms > cur->duration_ms)
            cur->duration_ms = at - cur->start_ms;
        if (e->type == RPP_EV_WATCHDOG_RECOVERY) {
            action_of(e, action, sizeof(action));
            if (strcmp(action, "hardTimeout") == 0)
                cur->outcome = RPP_STOP_GAVE_UP;
            else if (strcmp(action, "restart") == 0)
                cur->outcome = RPP_STOP_RESTARTED;
            else if (strcmp(action, "hotSwap") == 0 && e->success)
                cur->outcome = RPP_STOP_RECOVERED;
            if (!e->success)
                cur->message = watchdog_message(a, e);
        } else if (e->type == RPP_EV_DRAIN_AND_HOT_SWAP && e->success &&
                   cur->outcome == RPP_STOP_ONGOING) {
            cur->outcome = RPP_STOP_RECOVERED;
        }
    }
    for (i = 0; i < n; i++) {
        rpp_device_stop *s = &stops[i];
        int c = s->cycle;
        size_t b = 0, e = r->histograms[RPP_PHASE_WRITE].n_slices;
        const rpp_phase_stats *wr = &a->phases[RPP_PHASE_WRITE];

        if (c >= 0 && (size_t)c < a->n_cycles) {
            b = a->cycles[c].slice_begin[RPP_PHASE_WRITE];
            e = a->cycles[c].slice_end[RPP_PHASE_WRITE];
        }
        s->written_bytes = rpp__phase_bytes(a, RPP_PHASE_WRITE, b, e,
                                            s->start_ms);
        {
            const rpp_progress *pg = c >= 0 && (size_t)c < a->n_cycles
                                         ? &a->cycles[c].progress
                                         : &a->session.progress;
            if (pg->image_bytes) {
                if (s->written_bytes > pg->image_bytes)
                    s->written_bytes = pg->image_bytes;
                s->written_share =
                    (double)s->written_bytes / (double)pg->image_bytes;
            }
        }
        /* no outcome recorded: the write went on if it has data after */
        if (s->outcome == RPP_STOP_ONGOING && wr->present &&
            wr->last_ms > s->start_ms + s->duration_ms + 2000)
            s->outcome = RPP_STOP_RECOVERED;
    }
    a->device_stops = stops;
    a->n_device_stops = n;
}

/* ---- holes in the data ---------------------------------------------------- */

typedef struct hole {
    uint64_t start, end;
    unsigned phases;
} hole;

static int cmp_hole(const void *x, const void *y)
{
    const hole *a = x, *b = y;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : (a->end > b->end);
}

/* Events that can explain a hole. */
static bool explains(const rpp_event *e)
{
    rpp_event_type t = e->type;

    if (t == RPP_EV_RING_BUFFER_STARVATION)
        return e->duration_ms >= 1000; /* a buffer that timed out */
    return t == RPP_EV_PERIODIC_SYNC || t == RPP_EV_PAGE_CACHE_FLUSH ||
           t == RPP_EV_NETWORK_RETRY || t == RPP_EV_DEVICE_IO_TIMEOUT ||
           t == RPP_EV_SYNC_FALLBACK_ACTIVATED || t == RPP_EV_FINAL_SYNC ||
           watchdog_type(t);
}

typedef struct cand {
    uint64_t start, end;
    size_t index;
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index);
}

/* "4.1 s page-cache flush (periodicSync at 930 MB)" and the like. */
static const char *cause_text(rpp_analysis *a, size_t i)
{
    const rpp_event *e = &a->report->events[i];
    char d[48], v[96], v2[96];

    rpp_human_duration(d, sizeof(d), (double)e->duration_ms);
    if (e->type == RPP_EV_PERIODIC_SYNC || e->type == RPP_EV_PAGE_CACHE_FLUSH)
        return rpp__an_printf(a, "%s page-cache flush (%s%s%s)", d,
                              e->type_name, e->metadata ? " " : "",
                              e->metadata ? e->metadata : "");
    if (e->type == RPP_EV_NETWORK_RETRY) {
        if (!e->metadata || !rpp_meta_get(e->metadata, "error", v, sizeof(v)))
            snprintf(v, sizeof(v), "the connection failed");
        if (!e->metadata ||
            !rpp_meta_get(e->metadata, "offset", v2, sizeof(v2)))
            v2[0] = '\0';
        if (!e->duration_ms)
            return rpp__an_printf(a, "a network retry, at once (%s%s%s)", v,
                                  v2[0] ? ", at " : "", v2);
        return rpp__an_printf(a, "a network retry with %s of back-off "
                                 "(%s%s%s)",
                              d, v, v2[0] ? ", at " : "", v2);
    }
    if (watchdog_type(e->type) || e->type == RPP_EV_SYNC_FALLBACK_ACTIVATED)
        return rpp__an_printf(a, "the device stopped taking writes (%s)",
                              e->type_name);
    if (e->type == RPP_EV_DEVICE_IO_TIMEOUT)
        return rpp__an_printf(a, "a device I/O timeout%s%s",
                              e->metadata ? ": " : "",
                              e->metadata ? e->metadata : "");
    if (e->type == RPP_EV_FINAL_SYNC)
        return rpp__an_printf(a, "the %s final sync", d);
    return rpp__an_printf(a, "a %s %s (%s)", d, e->type_name,
                          e->metadata ? e->metadata : "ring buffer stall");
}

/* The candidate that overlaps [s, e] most, or SIZE_MAX. Candidates are
 * sorted by start; at most 64 before the end of the range are looked at,
 * which bounds the work on a hostile report. */
static size_t best_cause(const cand *c, size_t n, uint64_t s, uint64_t e)
{
    size_t lo = 0, hi = n, best = SIZE_MAX, looked = 0;
    uint64_t best_ov = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].start <= e)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo > 0 && looked++ < 64) {
        const cand *x = &c[--lo];
        uint64_t a = x->start > s ? x->start : s;
        uint64_t b = x->end < e ? x->end : e;
        uint64_t ov = b > a ? b - a : (x->end >= s ? 1 : 0);
        if (ov > best_ov) {
            best_ov = ov;
            best = x->index;
        }
    }
    return best;
}

void rpp__stalls_compute(rpp_analysis *a)
{
    const rpp_report *r = a->report;
    uint64_t window = rpp__window_ms(r);
    size_t n_holes = 0, i, n_c = 0, n_out = 0;
    hole *holes;
    cand *cands;
    rpp_stall *out;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        n_holes += a->phases[p].n_gaps;
    if (!n_holes)
        return;
    holes = malloc(n_holes * sizeof(*holes));
    cands = malloc((r->n_events ? r->n_events : 1) * sizeof(*cands));
    out = rpp__an_calloc(a, n_holes, sizeof(*out));
    if (!holes || !cands || !out) {
        free(holes);
        free(cands);
        a->mem->oom = true;
        return;
    }
    n_holes = 0;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        for (i = 0; i < a->phases[p].n_gaps; i++) {
            holes[n_holes].start = a->phases[p].gaps[i].start_ms;
            holes[n_holes].end = a->phases[p].gaps[i].end_ms;
            holes[n_holes].phases = 1u << p;
            n_holes++;
        }
    qsort(holes, n_holes, sizeof(*holes), cmp_hole);
    for (i = 0; i < r->n_events; i++)
        if (explains(&r->events[i])) {
            cands[n_c].start = a->event_times[i].start_ms;
            cands[n_c].end = ev_end(a, i);
            cands[n_c].index = i;
            n_c++;
        }
    qsort(cands, n_c, sizeof(*cands), cmp_cand);
    /* one stall for the holes of several phases at the same time: they
     * overlap, or meet within a window */
    for (i = 0; i < n_holes; i++) {
        rpp_stall *s = n_out ? &out[n_out - 1] : NULL;
        if (s && holes[i].start <= rpp_sat_add(s->end_ms, window)) {
            if (holes[i].end > s->end_ms)
                s->end_ms = holes[i].end;
            s->phases |= holes[i].phases;
            continue;
        }
        s = &out[n_out++];
        s->start_ms = holes[i].start;
        s->end_ms = holes[i].end;
        s->phases = holes[i].phases;
        s->cause_event = SIZE_MAX;
    }
    for (i = 0; i < n_out; i++) {
        rpp_stall *s = &out[i];
        size_t k, lo = 0, hi = a->n_cycles;

        s->cycle = -1;
        while (hi > lo) {
            size_t mid = lo + (hi - lo) / 2;
            if (a->cycles[mid].offset_ms <= s->start_ms)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0)
            s->cycle = (int)lo - 1;
        k = best_cause(cands, n_c, s->start_ms > window ? s->start_ms - window
                                                        : 0,
                       rpp_sat_add(s->end_ms, window));
        if (k != SIZE_MAX) {
            s->cause_event = k;
            s->cause = cause_text(a, k);
        }
    }
    free(holes);
    free(cands);
    a->stalls = out;
    a->n_stalls = n_out;
}
