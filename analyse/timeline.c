/*
 * timeline.c - owns the one timeline of a capture: the imaging cycles
 * (from cycleStart/cycleEnd in version 3, inferred from quiet gaps in
 * version 2), where each event and each slice sits on it (version 3 cycles
 * laid end to end, uint32 wrap-arounds and events recorded after a
 * session placed at their cycle), and each cycle's length.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UINT32_SPAN 4294967296ULL
/* v2 captures: a quiet gap this long followed by a new cacheLookup or
 * driveOpen starts a new cycle. */
#define V2_CYCLE_GAP_MS 30000

bool rpp__is_background(rpp_event_type t)
{
    /* events the Imager records with no write going on */
    return t == RPP_EV_OS_LIST_FETCH || t == RPP_EV_OS_LIST_PARSE ||
           t == RPP_EV_SUBLIST_FETCH || t == RPP_EV_NETWORK_LATENCY ||
           t == RPP_EV_NETWORK_RETRY || t == RPP_EV_NETWORK_CONNECTION_STATS ||
           t == RPP_EV_DRIVE_LIST_POLL || t == RPP_EV_FILE_DIALOG_OPEN;
}

bool rpp__mentions_cancel(const char *s)
{
    static const char *const words[] = { "cancel", "removed", "user" };
    size_t i, j, n, wl;

    if (!s)
        return false;
    n = strlen(s);
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        wl = strlen(words[i]);
        for (j = 0; j + wl <= n; j++) {
            size_t k;
            for (k = 0; k < wl; k++) {
                char c = s[j + k];
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if (c != words[i][k])
                    break;
            }
            if (k == wl)
                return true;
        }
    }
    return false;
}

static bool wraps(const rpp_event *e)
{
    /* an event recorded with a duration longer than the time elapsed: its
     * uint32 startMs went negative and wrapped just under 2^32 */
    return e->start_ms < UINT32_SPAN &&
           e->start_ms + e->duration_ms >= UINT32_SPAN;
}

/* ---- cycles and the timeline ------------------------------------------- */

static const char *meta_value(rpp_analysis *a, const char *meta,
                              const char *key)
{
    char val[512];

    if (!rpp_meta_get(meta, key, val, sizeof(val)))
        return NULL;
    return rpp__an_strdup(a, val);
}

/* Cycles from cycleStart/cycleEnd events (version 3). */
static void cycles_from_events(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    size_t i, n = 0, k;
    int cur = -1;
    bool in_session = false;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CYCLE_START)
            n++;
    w->cycles = rpp__an_calloc(a, n, sizeof(*w->cycles));
    if (!w->cycles)
        return;
    w->n_cycles = n;
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        rpp_event_time *t = &w->times[i];

        if (e->type == RPP_EV_CYCLE_START) {
            rpp_cycle *c;
            /* an unfinished previous cycle lasted until this one began */
            if (cur >= 0 && in_session && e->start_ms > 0 &&
                !w->cycles[cur].duration_known) {
                w->cycles[cur].duration_ms = e->start_ms;
                w->cycles[cur].duration_known = true;
            }
            cur++;
            c = &w->cycles[cur];
            c->index = cur;
            c->state = RPP_STATE_IN_PROGRESS;
            c->image_name = meta_value(a, e->metadata, "image");
            c->device_name = meta_value(a, e->metadata, "device");
            in_session = true;
            t->cycle = cur;
            continue;
        }
        t->cycle = cur;
        if (e->type == RPP_EV_CYCLE_END && cur >= 0 && in_session) {
            rpp_cycle *c = &w->cycles[cur];
            const char *m = e->metadata ? e->metadata : "";
            c->duration_ms = e->start_ms;
            c->duration_known = true;
            if (e->success) {
                c->state = RPP_STATE_SUCCEEDED;
            } else {
                const char *msg = strncmp(m, "failed: ", 8) == 0 ? m + 8 : m;
                c->end_message = rpp__an_strdup(a, msg);
                c->state = rpp__mentions_cancel(msg) ? RPP_STATE_CANCELLED
                                                : RPP_STATE_FAILED;
            }
            in_session = false;
            continue;
        }
        t->outside_session = cur < 0 || !in_session;
    }
    /* a cycle followed by another with no end of its own was abandoned;
     * the last one without an end was still running at export */
    for (k = 0; k + 1 < n; k++)
        if (w->cycles[k].state == RPP_STATE_IN_PROGRESS)
            w->cycles[k].state = RPP_STATE_FAILED;
}

/* An event that can start a cycle, for the look-up by time below. */
typedef struct starter {
    uint64_t start_ms;
    size_t index;
} starter;

static int cmp_starter(const void *x, const void *y)
{
    const starter *a = x, *b = y;

    if (a->start_ms != b->start_ms)
        return a->start_ms < b->start_ms ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index);
}

/* The first event in file order among the starters (sorted by time) that
 * start in (lo, hi], or SIZE_MAX. The ranges asked for never overlap and
 * come in increasing order, so all the calls together stay linear. */
static size_t first_starter(const starter *st, size_t n, uint64_t lo,
                            uint64_t hi)
{
    size_t a = 0, b = n, best = SIZE_MAX;

    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (st[mid].start_ms <= lo)
            a = mid + 1;
        else
            b = mid;
    }
    for (; a < n && st[a].start_ms <= hi; a++)
        if (st[a].index < best)
            best = st[a].index;
    return best;
}

/* One cycle, or several split at long quiet gaps (version 2 and reports
 * without cycle events). Boundaries are on the report's own clock. */
static void cycles_inferred(rpp_analysis *a, rpp__work *w, bool any_session)
{
    const rpp_report *r = a->report;
    uint64_t window = r->window_ms;
    size_t idx[RPP_PHASE_COUNT] = { 0 }, i, n_bounds = 0, cap_bounds = 0;
    size_t n_starters = 0;
    uint64_t *bounds = NULL, last_end = 0, cur;
    starter *starters;
    bool have_last = false;
    int p, best;

    if (!any_session)
        return;
    /* the events that can start a cycle, by time */
    starters = malloc((r->n_events ? r->n_events : 1) * sizeof(*starters));
    if (!starters) {
        a->mem->oom = true;
        return;
    }
    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CACHE_LOOKUP ||
            r->events[i].type == RPP_EV_DRIVE_OPEN) {
            starters[n_starters].start_ms = r->events[i].start_ms;
            starters[n_starters].index = i;
            n_starters++;
        }
    if (n_starters > 1)
        qsort(starters, n_starters, sizeof(*starters), cmp_starter);
    /* merge the four (sorted) slice lists and look for quiet gaps */
    for (;;) {
        best = -1;
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            const rpp_histogram *h = &r->histograms[p];
            if (idx[p] < h->n_slices &&
                (best < 0 || h->slices[idx[p]].t_ms <
                                 r->histograms[best].slices[idx[best]].t_ms))
                best = p;
        }
        if (best < 0)
            break;
        cur = r->histograms[best].slices[idx[best]].t_ms;
        idx[best]++;
        if (have_last && cur > last_end && cur - last_end > V2_CYCLE_GAP_MS) {
            /* a new cacheLookup/driveOpen inside the gap starts a cycle */
            i = first_starter(starters, n_starters, last_end,
                              rpp_sat_add(cur, window));
            if (i != SIZE_MAX) {
                if (n_bounds == cap_bounds) {
                    size_t nc = cap_bounds ? cap_bounds * 2 : 4;
                    uint64_t *nb = realloc(bounds, nc * sizeof(*nb));
                    if (!nb) {
                        a->mem->oom = true;
                        break;
                    }
                    bounds = nb;
                    cap_bounds = nc;
                }
                bounds[n_bounds++] = r->events[i].start_ms;
            }
        }
        if (!have_last || cur + window > last_end)
            last_end = cur + window;
        have_last = true;
    }
    free(starters);
    w->cycles = rpp__an_calloc(a, n_bounds + 1, sizeof(*w->cycles));
    if (!w->cycles) {
        free(bounds);
        return;
    }
    w->n_cycles = n_bounds + 1;
    for (i = 0; i < w->n_cycles; i++) {
        rpp_cycle *c = &w->cycles[i];
        c->index = (int)i;
        c->offset_ms = i ? bounds[i - 1] : 0;
        c->state = i + 1 < w->n_cycles ? RPP_STATE_SUCCEEDED
                                       : RPP_STATE_IN_PROGRESS;
        if (i + 1 < w->n_cycles) {
            c->duration_ms = bounds[i] - c->offset_ms;
            c->duration_known = true;
        }
    }
    free(bounds);
}

/* Places every event on the timeline. */
static void place_events(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    size_t i, last_timed = SIZE_MAX;
    bool ended = r->summary.session_end_time > 0;

    if (!a->cycles_from_events) {
        for (i = 0; i < r->n_events; i++)
            if (r->events[i].start_ms > 0 && !wraps(&r->events[i]))
                last_timed = i;
    }
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        rpp_event_time *t = &w->times[i];
        uint64_t start = e->start_ms;

        if (wraps(e)) {
            start = 0;
            t->wrapped = true;
        }
        if (a->cycles_from_events) {
            if (t->cycle < 0) {
                t->start_ms = 0;
            } else {
                const rpp_cycle *c = &w->cycles[t->cycle];
                if (t->outside_session && e->type != RPP_EV_CYCLE_END)
                    /* recorded after the cycle ended, with startMs 0 */
                    t->start_ms = rpp_sat_add(c->offset_ms, c->duration_ms);
                else
                    t->start_ms = rpp_sat_add(c->offset_ms, start);
            }
            continue;
        }
        /* inferred cycles: one clock; find the cycle by time (the last
         * one starting at or before the event; offsets increase) */
        t->start_ms = start;
        t->cycle = w->n_cycles ? 0 : -1;
        if (w->n_cycles > 1) {
            size_t lo = 0, hi = w->n_cycles;
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (w->cycles[mid].offset_ms <= start)
                    lo = mid;
                else
                    hi = mid;
            }
            t->cycle = (int)lo;
        }
        /* v2: events after the last timed one with startMs 0 were recorded
         * after endSession (deviceClose): show them at the session's end */
        if (ended && w->n_cycles && last_timed != SIZE_MAX && i > last_timed &&
            e->start_ms == 0 && r->summary.duration_ms > 0) {
            t->outside_session = true;
            t->start_ms = r->summary.duration_ms;
            t->cycle = (int)w->n_cycles - 1;
        }
        if (!w->n_cycles)
            t->outside_session = true;
    }
}

/* Assigns each phase's slices to cycles and computes timeline times. */
static void place_slices(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    uint64_t window = r->window_ms;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *h = &r->histograms[p];
        uint64_t *tt;
        bool *brk;
        size_t i, seg_start, run_end = 0, k = 0;

        if (!h->n_slices)
            continue;
        tt = rpp__an_alloc(a, h->n_slices * sizeof(*tt));
        brk = rpp__an_calloc(a, h->n_slices, sizeof(*brk));
        if (!tt || !brk)
            return;
        a->slice_times[p] = tt;
        w->breaks[p] = brk;
        if (!w->n_cycles) {
            for (i = 0; i < h->n_slices; i++) {
                tt[i] = h->slices[i].t_ms;
                brk[i] = i > 0 && h->slices[i].t_ms < h->slices[i - 1].t_ms;
            }
            continue;
        }
        if (!a->cycles_from_events) {
            /* one clock: a cycle is a time range */
            for (i = 0; i < h->n_slices; i++) {
                uint64_t t = h->slices[i].t_ms;
                tt[i] = t;
                brk[i] = i > 0 && t < h->slices[i - 1].t_ms;
                while (k + 1 < w->n_cycles && t >= w->cycles[k + 1].offset_ms) {
                    k++;
                    brk[i] = true;
                }
                if (!w->cycles[k].slice_end[p])
                    w->cycles[k].slice_begin[p] = i;
                w->cycles[k].slice_end[p] = i + 1;
            }
            continue;
        }
        /* version 3: the timer restarts with each cycle, so a phase's slices
         * come in segments whose times fall back to 0; segment j belongs to
         * the earliest remaining cycle long enough to hold it. The end of
         * a run of slices in time order is found once, not again after
         * each split of it, which would be quadratic with many cycles. */
        for (seg_start = 0; seg_start < h->n_slices;) {
            size_t seg_end;
            uint64_t seg_last;

            if (seg_start >= run_end) {
                run_end = seg_start + 1;
                while (run_end < h->n_slices &&
                       h->slices[run_end].t_ms >= h->slices[run_end - 1].t_ms)
                    run_end++;
            }
            seg_end = run_end;
            seg_last = h->slices[seg_end - 1].t_ms;
            while (k + 1 < w->n_cycles && w->cycles[k].duration_known &&
                   h->slices[seg_start].t_ms >
                       w->cycles[k].duration_ms + 2 * window)
                k++;
            /* a segment running past its cycle's end holds the next
             * cycle too (its times did not fall back): split it */
            if (k + 1 < w->n_cycles && w->cycles[k].duration_known &&
                seg_last > w->cycles[k].duration_ms + 2 * window) {
                size_t m = seg_start;
                while (m < seg_end && h->slices[m].t_ms <=
                                          w->cycles[k].duration_ms + 2 * window)
                    m++;
                if (m > seg_start)
                    seg_end = m;
            }
            for (i = seg_start; i < seg_end; i++)
                tt[i] = rpp_sat_add(w->cycles[k].offset_ms, h->slices[i].t_ms);
            brk[seg_start] = seg_start > 0;
            if (!w->cycles[k].slice_end[p])
                w->cycles[k].slice_begin[p] = seg_start;
            w->cycles[k].slice_end[p] = seg_end;
            if (k + 1 < w->n_cycles)
                k++;
            seg_start = seg_end;
        }
    }
}

/* Cycle durations not given by a cycleEnd: up to their last event/slice.
 * Offsets are then laid end to end. Called twice: events first (offsets are
 * needed to place slices), then slices. */
static void settle_offsets(rpp_analysis *a, rpp__work *w)
{
    size_t k;
    uint64_t off = 0;

    if (!a->cycles_from_events)
        return;
    for (k = 0; k < w->n_cycles; k++) {
        w->cycles[k].offset_ms = off;
        off = rpp_sat_add(off, w->cycles[k].duration_ms);
    }
}

static void extend_unknown_durations(rpp_analysis *a, rpp__work *w, bool slices)
{
    const rpp_report *r = a->report;
    size_t i, k;
    int p;

    for (i = 0; i < r->n_events && !slices; i++) {
        const rpp_event *e = &r->events[i];
        int c = w->times[i].cycle;
        uint64_t end;
        if (c < 0 || w->cycles[c].duration_known || w->times[i].outside_session)
            continue;
        end = rpp_sat_add(w->times[i].wrapped ? 0 : e->start_ms,
                          e->duration_ms);
        if (end > w->cycles[c].duration_ms)
            w->cycles[c].duration_ms = end;
    }
    for (p = 0; p < RPP_PHASE_COUNT && slices; p++) {
        const rpp_histogram *h = &r->histograms[p];
        for (k = 0; k < w->n_cycles; k++) {
            rpp_cycle *c = &w->cycles[k];
            uint64_t end;
            if (c->duration_known || c->slice_end[p] <= c->slice_begin[p])
                continue;
            end = rpp_sat_add(h->slices[c->slice_end[p] - 1].t_ms,
                              r->window_ms);
            if (a->cycles_from_events) {
                if (end > c->duration_ms)
                    c->duration_ms = end;
            } else if (end > c->offset_ms &&
                       end - c->offset_ms > c->duration_ms) {
                c->duration_ms = end - c->offset_ms;
            }
        }
    }
}

void rpp__timeline_build(rpp_analysis *a, rpp__work *w, bool any_samples)
{
    const rpp_report *r = a->report;
    bool any_session;
    size_t i;
    int p;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CYCLE_START)
            break;
    a->cycles_from_events = i < r->n_events;
    if (a->cycles_from_events) {
        cycles_from_events(a, w);
        extend_unknown_durations(a, w, false);
        settle_offsets(a, w);
    } else {
        any_session = any_samples || r->summary.session_start_time > 0;
        for (i = 0; i < r->n_events && !any_session; i++)
            if (!rpp__is_background(r->events[i].type))
                any_session = true;
        cycles_inferred(a, w, any_session);
    }
    if (a->mem->oom)
        return;
    place_events(a, w);
    place_slices(a, w);
    extend_unknown_durations(a, w, true);
    if (a->cycles_from_events) {
        /* durations grew with the slices: lay the cycles out again */
        settle_offsets(a, w);
        place_events(a, w);
        memset(w->breaks, 0, sizeof(w->breaks));
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            a->slice_times[p] = NULL;
        for (i = 0; i < w->n_cycles; i++) {
            memset(w->cycles[i].slice_begin, 0, sizeof(w->cycles[i].slice_begin));
            memset(w->cycles[i].slice_end, 0, sizeof(w->cycles[i].slice_end));
        }
        place_slices(a, w);
    }
    for (i = 0; i < w->n_cycles; i++) {
        rpp_cycle *c = &w->cycles[i];
        if (!c->image_name)
            c->image_name = i + 1 == w->n_cycles ? r->summary.image_name : "";
        if (!c->device_name)
            c->device_name = i + 1 == w->n_cycles ? r->summary.device_name : "";
        if (!a->cycles_from_events && i + 1 == w->n_cycles)
            c->state = RPP_STATE_IN_PROGRESS; /* set from the session below */
    }
    a->cycles = w->cycles;
    a->n_cycles = w->n_cycles;
    a->event_times = w->times;
}
