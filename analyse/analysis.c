/*
 * analysis.c - turns a loaded report into an rpp_analysis: where every event
 * and slice sits on one timeline, the imaging cycles, the session state, the
 * event breakdown, phase statistics, version 3 context and the bottleneck.
 * The diagnosis rules run last (rules.c). No printing, no global state.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UINT32_SPAN 4294967296ULL
/* v2 captures: a quiet gap this long followed by a new cacheLookup or
 * driveOpen starts a new cycle. */
#define V2_CYCLE_GAP_MS 30000
#define LONGEST_MAX 10

/* ---- arena helpers ----------------------------------------------------- */

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

/* ---- names ------------------------------------------------------------- */

const char *rpp_bottleneck_name(rpp_bottleneck_kind k)
{
    switch (k) {
    case RPP_BOTTLENECK_UNKNOWN: return "unknown";
    case RPP_BOTTLENECK_NETWORK: return "network";
    case RPP_BOTTLENECK_CPU: return "cpu";
    case RPP_BOTTLENECK_DISK: return "disk";
    }
    return "unknown";
}

const char *rpp_confidence_name(rpp_confidence c)
{
    switch (c) {
    case RPP_CONFIDENCE_NONE: return "none";
    case RPP_CONFIDENCE_LOW: return "low";
    case RPP_CONFIDENCE_MEDIUM: return "medium";
    case RPP_CONFIDENCE_HIGH: return "high";
    }
    return "none";
}

/* ---- helpers ----------------------------------------------------------- */

static bool is_background(rpp_event_type t)
{
    /* events the Imager records with no write going on */
    return t == RPP_EV_OS_LIST_FETCH || t == RPP_EV_OS_LIST_PARSE ||
           t == RPP_EV_SUBLIST_FETCH || t == RPP_EV_NETWORK_LATENCY ||
           t == RPP_EV_NETWORK_RETRY || t == RPP_EV_NETWORK_CONNECTION_STATS ||
           t == RPP_EV_DRIVE_LIST_POLL || t == RPP_EV_FILE_DIALOG_OPEN;
}

/* Case-insensitive "contains" for the cancellation words. */
static bool mentions_cancel(const char *s)
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

typedef struct work {
    rpp_cycle *cycles;
    size_t n_cycles;
    rpp_event_time *times;
    bool *breaks[RPP_PHASE_COUNT];
} work;

static const char *meta_value(rpp_analysis *a, const char *meta,
                              const char *key)
{
    char val[512];

    if (!rpp_meta_get(meta, key, val, sizeof(val)))
        return NULL;
    return rpp__an_strdup(a, val);
}

/* Cycles from cycleStart/cycleEnd events (version 3). */
static void cycles_from_events(rpp_analysis *a, work *w)
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
                c->state = mentions_cancel(msg) ? RPP_STATE_CANCELLED
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
static void cycles_inferred(rpp_analysis *a, work *w, bool any_session)
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
static void place_events(rpp_analysis *a, work *w)
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
static void place_slices(rpp_analysis *a, work *w)
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
static void settle_offsets(rpp_analysis *a, work *w)
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

static void extend_unknown_durations(rpp_analysis *a, work *w, bool slices)
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

/* ---- session ----------------------------------------------------------- */

static void compute_session(rpp_analysis *a, work *w, bool any_samples)
{
    const rpp_report *r = a->report;
    const rpp_summary *s = &r->summary;
    rpp_session_info *si = &a->session;
    size_t i;
    bool only_background = true, any_cycle_start = false;

    for (i = 0; i < r->n_events; i++) {
        if (!is_background(r->events[i].type))
            only_background = false;
        if (r->events[i].type == RPP_EV_CYCLE_START)
            any_cycle_start = true;
    }
    if (s->session_state != RPP_STATE_NONE &&
        s->session_state != RPP_STATE_UNRECOGNISED) {
        si->state = s->session_state;
    } else {
        si->state_inferred = true;
        if (!any_cycle_start && s->session_start_time == 0 && !any_samples &&
            only_background)
            si->state = RPP_STATE_NEVER_STARTED;
        else if (s->success)
            si->state = RPP_STATE_SUCCEEDED;
        else if (s->error_message && *s->error_message)
            si->state = mentions_cancel(s->error_message)
                            ? RPP_STATE_CANCELLED
                            : RPP_STATE_FAILED;
        else if (w->n_cycles && a->cycles_from_events &&
                 w->cycles[w->n_cycles - 1].state != RPP_STATE_IN_PROGRESS)
            si->state = w->cycles[w->n_cycles - 1].state;
        else if (s->session_end_time == 0)
            si->state = RPP_STATE_IN_PROGRESS;
        else
            si->state = RPP_STATE_FAILED;
    }
    switch (si->state) {
    case RPP_STATE_SUCCEEDED:
        si->result = "succeeded";
        break;
    case RPP_STATE_FAILED:
        si->result = rpp__an_printf(a, "failed: %s",
                               s->error_message && *s->error_message
                                   ? s->error_message
                                   : "no error message");
        break;
    case RPP_STATE_CANCELLED:
        si->result = rpp__an_printf(a, "cancelled: %s",
                               s->error_message && *s->error_message
                                   ? s->error_message
                                   : "no message");
        break;
    case RPP_STATE_IN_PROGRESS:
        si->result = "in progress (exported before the write ended)";
        break;
    case RPP_STATE_NEVER_STARTED:
        si->result = "never started";
        si->note = "No write was captured: this report was exported before "
                   "(or without) writing an image, so it only holds "
                   "background events. To capture a write, write the image "
                   "with Raspberry Pi Imager, then press Ctrl+Shift+P when "
                   "the write has finished or while it is slow, and attach "
                   "that file.";
        break;
    case RPP_STATE_NONE:
    case RPP_STATE_UNRECOGNISED:
        si->result = "unknown";
        break;
    }
    /* the whole timeline */
    si->timeline_ms = 0;
    for (i = 0; i < w->n_cycles; i++) {
        uint64_t end = rpp_sat_add(w->cycles[i].offset_ms,
                                   w->cycles[i].duration_ms);
        if (end > si->timeline_ms)
            si->timeline_ms = end;
    }
    for (i = 0; i < r->n_events; i++) {
        uint64_t end = rpp_sat_add(w->times[i].start_ms,
                                   r->events[i].duration_ms);
        if (end > si->timeline_ms)
            si->timeline_ms = end;
    }
    for (i = 0; i < RPP_PHASE_COUNT; i++) {
        const rpp_histogram *h = &r->histograms[i];
        if (h->n_slices && a->slice_times[i]) {
            uint64_t end = rpp_sat_add(a->slice_times[i][h->n_slices - 1],
                                       r->window_ms);
            if (end > si->timeline_ms)
                si->timeline_ms = end;
        }
    }
    /* The summary's duration covers the last cycle only when there are
     * several; shares of wall time then use the timeline. */
    if (si->state == RPP_STATE_NEVER_STARTED)
        si->wall_ms = 0; /* no session: shares of it mean nothing */
    else if (w->n_cycles <= 1 && s->duration_ms > 0)
        si->wall_ms = s->duration_ms;
    else
        si->wall_ms = si->timeline_ms;
}

/* ---- event breakdown --------------------------------------------------- */

/* Unknown type names are grouped with a small open-addressing table so the
 * breakdown stays linear whatever the report holds. */
typedef struct name_slot {
    const char *name;
    size_t stat;
} name_slot;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int cmp_type_order(const void *x, const void *y)
{
    const rpp_type_stats *a = x, *b = y;

    if (a->first_start_ms != b->first_start_ms)
        return a->first_start_ms < b->first_start_ms ? -1 : 1;
    if (a->first_index != b->first_index)
        return a->first_index < b->first_index ? -1 : 1;
    return 0;
}

static void compute_breakdown(rpp_analysis *a, work *w)
{
    const rpp_report *r = a->report;
    size_t n = r->n_events, i, n_stats = 0, cap_slots, n_failed = 0;
    size_t known_idx[RPP_EV_COUNT];
    rpp_type_stats *stats;
    name_slot *slots;
    size_t *longest, n_longest = 0, *failed;
    int c;

    for (i = 0; i < RPP_EV_COUNT; i++)
        known_idx[i] = SIZE_MAX;
    stats = rpp__an_calloc(a, n ? n : 1, sizeof(*stats));
    cap_slots = 16;
    while (cap_slots < 2 * n)
        cap_slots *= 2;
    slots = calloc(cap_slots, sizeof(*slots));
    if (!stats || !slots) {
        free(slots);
        a->mem->oom = true;
        return;
    }
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_type_stats *st;
        size_t si;

        if (e->type != RPP_EV_UNKNOWN) {
            si = known_idx[e->type];
            if (si == SIZE_MAX)
                si = known_idx[e->type] = n_stats++;
        } else {
            size_t j = (size_t)hash_str(e->type_name) & (cap_slots - 1);
            while (slots[j].name && strcmp(slots[j].name, e->type_name) != 0)
                j = (j + 1) & (cap_slots - 1);
            if (!slots[j].name) {
                slots[j].name = e->type_name;
                slots[j].stat = n_stats++;
            }
            si = slots[j].stat;
        }
        st = &stats[si];
        if (!st->count) {
            st->type = e->type;
            st->name = e->type_name;
            st->category = rpp_event_type_category(e->type);
            st->first_index = i;
            st->first_start_ms = w->times[i].start_ms;
            st->min_ms = e->duration_ms;
        }
        if (w->times[i].start_ms < st->first_start_ms)
            st->first_start_ms = w->times[i].start_ms;
        st->count++;
        st->total_ms = rpp_sat_add(st->total_ms, e->duration_ms);
        if (e->duration_ms < st->min_ms)
            st->min_ms = e->duration_ms;
        if (e->duration_ms > st->max_ms)
            st->max_ms = e->duration_ms;
        if (!e->success)
            st->failures++;
    }
    free(slots);
    for (i = 0; i < n_stats; i++) {
        rpp_type_stats *st = &stats[i];
        rpp_category_stats *cs = &a->categories[st->category];
        st->avg_ms = st->count ? (double)st->total_ms / (double)st->count : 0;
        st->share = a->session.wall_ms
                        ? (double)st->total_ms / (double)a->session.wall_ms
                        : 0;
        cs->count += st->count;
        cs->total_ms = rpp_sat_add(cs->total_ms, st->total_ms);
        cs->failures += st->failures;
    }
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        a->categories[c].category = (rpp_category)c;
        a->categories[c].share =
            a->session.wall_ms ? (double)a->categories[c].total_ms /
                                     (double)a->session.wall_ms
                               : 0;
    }
    if (n_stats > 1)
        qsort(stats, n_stats, sizeof(*stats), cmp_type_order);
    a->types = stats;
    a->n_types = n_stats;

    /* the longest individual events; the pipeline summaries are totals
     * over the whole write, not single operations, and are left out */
    longest = rpp__an_alloc(a, LONGEST_MAX * sizeof(*longest));
    failed = rpp__an_alloc(a, (n ? n : 1) * sizeof(*failed));
    if (!longest || !failed)
        return;
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_category cat = rpp_event_type_category(e->type);
        size_t j;

        if (!e->success)
            failed[n_failed++] = i;
        if (cat == RPP_CAT_PIPELINE || cat == RPP_CAT_CYCLE ||
            e->duration_ms == 0)
            continue;
        if (n_longest == LONGEST_MAX &&
            e->duration_ms <= r->events[longest[n_longest - 1]].duration_ms)
            continue;
        if (n_longest < LONGEST_MAX)
            n_longest++;
        j = n_longest - 1;
        while (j > 0 && r->events[longest[j - 1]].duration_ms < e->duration_ms) {
            longest[j] = longest[j - 1];
            j--;
        }
        longest[j] = i;
    }
    a->longest = longest;
    a->n_longest = n_longest;
    a->failed = failed;
    a->n_failed = n_failed;

    /* compare with summary.events, through a map of the names so that
     * thousands of types stay linear */
    {
        const rpp_summary *s = &r->summary;
        rpp_mismatch *mm = rpp__an_calloc(a, s->n_event_summaries + n_stats + 1,
                                     sizeof(*mm));
        rpp__namemap by_name = { NULL, NULL, 0, 0 }, in_summary = { NULL, NULL,
                                                                   0, 0 };
        size_t nm = 0, k, idx;
        if (!mm)
            return;
        for (i = 0; i < n_stats; i++)
            if (rpp__namemap_put(&by_name, stats[i].name, i, NULL) < 0)
                a->mem->oom = true;
        for (k = 0; k < s->n_event_summaries; k++) {
            const rpp_event_summary *es = &s->event_summaries[k];
            const rpp_type_stats *st =
                rpp__namemap_get(&by_name, es->name, &idx) ? &stats[idx] : NULL;
            if (rpp__namemap_put(&in_summary, es->name, k, NULL) < 0)
                a->mem->oom = true;
            if (!st || st->count != es->count || st->total_ms != es->total_ms) {
                mm[nm].name = es->name;
                mm[nm].summary_count = es->count;
                mm[nm].summary_total_ms = es->total_ms;
                mm[nm].events_count = st ? st->count : 0;
                mm[nm].events_total_ms = st ? st->total_ms : 0;
                nm++;
            }
        }
        for (i = 0; i < n_stats; i++) {
            if (!rpp__namemap_get(&in_summary, stats[i].name, &idx)) {
                mm[nm].name = stats[i].name;
                mm[nm].events_count = stats[i].count;
                mm[nm].events_total_ms = stats[i].total_ms;
                nm++;
            }
        }
        rpp__namemap_free(&by_name);
        rpp__namemap_free(&in_summary);
        a->mismatches = mm;
        a->n_mismatches = nm;
    }
}

/* ---- phases ------------------------------------------------------------ */

static void compute_phases(rpp_analysis *a, work *w)
{
    const rpp_report *r = a->report;
    size_t k;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *h = &r->histograms[p];
        rpp_phase_stats *st = &a->phases[p];

        rpp__phase_compute(a, (rpp_phase)p, 0, h->n_slices, w->breaks[p], st);
        if (st->present) {
            st->bytes = r->summary.phases[p].bytes_total;
            if (!(r->summary.phases[p].fields & RPP_PH_BYTES_TOTAL)) {
                double est = st->avg_kbps * 1024.0 * (double)st->active_ms /
                             1000.0;
                st->bytes = est > 0 && est < 1.8e19 ? (uint64_t)est : 0;
                st->bytes_estimated = true;
            }
        }
        for (k = 0; k < w->n_cycles; k++) {
            rpp_cycle *c = &w->cycles[k];
            rpp_phase_stats *cs = &c->phases[p];
            double est;
            if (c->slice_end[p] <= c->slice_begin[p])
                continue;
            rpp__phase_compute(a, (rpp_phase)p, c->slice_begin[p],
                              c->slice_end[p], w->breaks[p], cs);
            est = cs->avg_kbps * 1024.0 * (double)cs->active_ms / 1000.0;
            cs->bytes = est > 0 && est < 1.8e19 ? (uint64_t)est : 0;
            cs->bytes_estimated = true;
            if (k + 1 == w->n_cycles &&
                (r->summary.phases[p].fields & RPP_PH_BYTES_TOTAL)) {
                cs->bytes = r->summary.phases[p].bytes_total;
                cs->bytes_estimated = false;
            }
        }
    }
}

/* ---- context ----------------------------------------------------------- */

static int cmp_by_time(const void *x, const void *y, const rpp_event_time *t)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;

    if (t[i].start_ms != t[j].start_ms)
        return t[i].start_ms < t[j].start_ms ? -1 : 1;
    return i < j ? -1 : (i > j);
}

/* A stable sort by timeline start: merge sort (qsort has no context
 * argument in C11, and its order of equal keys is unspecified). */
static void sort_by_time(size_t *v, size_t n, const rpp_event_time *t)
{
    size_t *tmp, width, i;

    if (n < 2)
        return;
    tmp = malloc(n * sizeof(*tmp));
    if (!tmp)
        return; /* leaves file order: still a usable order */
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n,
                   hi = i + 2 * width < n ? i + 2 * width : n, x = lo, y = mid,
                   k = lo;
            while (x < mid && y < hi)
                tmp[k++] = cmp_by_time(&v[x], &v[y], t) <= 0 ? v[x++] : v[y++];
            while (x < mid)
                tmp[k++] = v[x++];
            while (y < hi)
                tmp[k++] = v[y++];
        }
        memcpy(v, tmp, n * sizeof(*v));
    }
    free(tmp);
}

static bool is_detail(rpp_event_type t)
{
    return rpp_event_type_category(t) == RPP_CAT_PIPELINE ||
           t == RPP_EV_DIRECT_IO_ATTEMPT || t == RPP_EV_NETWORK_CONNECTION_STATS;
}

static void compute_context(rpp_analysis *a, work *w)
{
    const rpp_report *r = a->report;
    rpp_context *cx = &a->context;
    size_t n = r->n_events, i, nd = 0, nr = 0, nt = 0, nn = 0;
    rpp_context_event *details;
    size_t *recovery, *transfers, *network;
    double *tk;

    details = rpp__an_calloc(a, n ? n : 1, sizeof(*details));
    recovery = rpp__an_alloc(a, (n ? n : 1) * sizeof(*recovery));
    transfers = rpp__an_alloc(a, (n ? n : 1) * sizeof(*transfers));
    network = rpp__an_alloc(a, (n ? n : 1) * sizeof(*network));
    tk = rpp__an_alloc(a, (n ? n : 1) * sizeof(*tk));
    if (!details || !recovery || !transfers || !network || !tk)
        return;
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_category cat = rpp_event_type_category(e->type);

        if (e->type == RPP_EV_PERIODIC_SYNC || e->type == RPP_EV_PAGE_CACHE_FLUSH) {
            cx->sync_count++;
            cx->sync_total_ms = rpp_sat_add(cx->sync_total_ms, e->duration_ms);
            if (e->duration_ms > cx->sync_max_ms)
                cx->sync_max_ms = e->duration_ms;
        }
        if (e->type == RPP_EV_WRITE_TIMING_BREAKDOWN && e->metadata) {
            double sys = 0, pre = 0, post = 0, syn = 0, tot;
            bool ok = rpp__meta_number(e->metadata, "syscallMs", &sys);
            rpp__meta_number(e->metadata, "preHashWaitMs", &pre);
            rpp__meta_number(e->metadata, "postHashWaitMs", &post);
            rpp__meta_number(e->metadata, "syncMs", &syn);
            /* a negative part means nothing; count it as 0 */
            sys = sys > 0 ? sys : 0;
            pre = pre > 0 ? pre : 0;
            post = post > 0 ? post : 0;
            syn = syn > 0 ? syn : 0;
            /* the parts can overlap the event's duration (syncs inside
             * write calls): share of whichever is larger */
            tot = (double)e->duration_ms;
            if (sys + pre + post + syn > tot)
                tot = sys + pre + post + syn;
            if (ok && tot > 0) {
                /* several cycles: weight by each breakdown's total */
                double prev = (double)cx->write_timing_total_ms;
                double all = prev + tot;
                cx->write_syscall_share =
                    (cx->write_syscall_share * prev + sys) / all;
                cx->write_hash_wait_share =
                    (cx->write_hash_wait_share * prev + pre + post) / all;
                cx->write_sync_share = (cx->write_sync_share * prev + syn) / all;
                cx->write_timing_total_ms = all < (double)RPP_SAT_MAX
                                                ? (uint64_t)all
                                                : RPP_SAT_MAX;
                cx->has_write_timing = true;
            }
        }
        if (is_detail(e->type) && e->metadata) {
            char buf[1024];
            rpp_meta_pair tmp[32];
            size_t np = rpp_meta_parse(e->metadata, buf, sizeof(buf), tmp, 32),
                   j;
            rpp_meta_pair *pairs = rpp__an_calloc(a, np ? np : 1, sizeof(*pairs));
            if (!pairs)
                return;
            for (j = 0; j < np; j++) {
                pairs[j].key = rpp__an_strdup(a, tmp[j].key);
                pairs[j].value = rpp__an_strdup(a, tmp[j].value);
            }
            details[nd].index = i;
            details[nd].pairs = pairs;
            details[nd].n_pairs = np;
            nd++;
        }
        if (cat == RPP_CAT_RECOVERY)
            recovery[nr++] = i;
        if (e->has_bytes && e->bytes_transferred > 0 && e->duration_ms > 0 &&
            cat != RPP_CAT_CYCLE)
            transfers[nt++] = i;
        if (cat == RPP_CAT_NETWORK || cat == RPP_CAT_CACHE ||
            (e->has_bytes && e->bytes_transferred > 0 && cat != RPP_CAT_CYCLE))
            network[nn++] = i;
    }
    sort_by_time(recovery, nr, w->times);
    sort_by_time(transfers, nt, w->times);
    sort_by_time(network, nn, w->times);
    for (i = 0; i < nt; i++) {
        const rpp_event *e = &r->events[transfers[i]];
        tk[i] = (double)e->bytes_transferred * 1000.0 /
                ((double)e->duration_ms * 1024.0);
    }
    cx->details = details;
    cx->n_details = nd;
    cx->recovery = recovery;
    cx->n_recovery = nr;
    cx->transfers = transfers;
    cx->transfer_kbps = tk;
    cx->n_transfers = nt;
    cx->network = network;
    cx->n_network = nn;
}

/* ---- bottleneck -------------------------------------------------------- */

/* "producer_stalls: 156 (751731 ms)": the figure in parentheses. */
static bool paren_ms(const char *meta, const char *key, double *out)
{
    char val[128], *open, *end;
    double d;

    if (!rpp_meta_get(meta, key, val, sizeof(val)))
        return false;
    open = strchr(val, '(');
    if (!open)
        return false;
    d = strtod(open + 1, &end);
    if (end == open + 1 || !isfinite(d) || d < 0)
        return false;
    *out = d;
    return true;
}

typedef struct reasons {
    const char *items[16];
    size_t n;
} reasons;

static void reason(rpp_analysis *a, reasons *rs, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reason(rpp_analysis *a, reasons *rs, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;

    if (rs->n >= 16)
        return;
    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.oom)
        a->mem->oom = true;
    rs->items[rs->n] = rpp__an_strdup(a, b.ptr ? b.ptr : "");
    if (rs->items[rs->n])
        rs->n++;
    rpp__buf_free(&b);
}

static void compute_bottleneck(rpp_analysis *a)
{
    const rpp_report *r = a->report;
    rpp_bottleneck *bn = &a->bottleneck;
    const rpp_phase_stats *dl = &a->phases[RPP_PHASE_DOWNLOAD],
                          *de = &a->phases[RPP_PHASE_DECOMPRESS],
                          *wr = &a->phases[RPP_PHASE_WRITE],
                          *ve = &a->phases[RPP_PHASE_VERIFY];
    double D = 0, R = 0, P = 0, C = 0, WW = 0, W, busy, b, rr;
    double in_consumer = 0, in_consumer_max = 0;
    bool have_D = false, have_ring = false, have_ww = false;
    bool dl_saturated = false;
    reasons rs = { { 0 }, 0 };
    rpp_bottleneck_kind kind = RPP_BOTTLENECK_UNKNOWN;
    rpp_confidence conf = RPP_CONFIDENCE_NONE;
    size_t i;
    const char **items;

    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        double p_ms, c_ms;
        if (e->type == RPP_EV_PIPELINE_DECOMPRESSION_TIME) {
            D += (double)e->duration_ms;
            have_D = true;
        } else if (e->type == RPP_EV_PIPELINE_RING_BUFFER_WAIT_TIME) {
            R += (double)e->duration_ms;
        } else if (e->type == RPP_EV_PIPELINE_WRITE_WAIT_TIME) {
            WW += (double)e->duration_ms;
            have_ww = true;
        } else if (e->type == RPP_EV_WRITE_RING_BUFFER_STATS) {
            if (e->metadata &&
                paren_ms(e->metadata, "producer_stalls", &p_ms) &&
                paren_ms(e->metadata, "consumer_stalls", &c_ms)) {
                P += p_ms;
                C += c_ms;
                have_ring = true;
            }
        } else if (e->type == RPP_EV_RING_BUFFER_STARVATION && e->metadata &&
                   strstr(e->metadata, "consumer_stall") &&
                   strstr(e->metadata, "buffer: input")) {
            in_consumer += (double)e->duration_ms;
            if ((double)e->duration_ms > in_consumer_max)
                in_consumer_max = (double)e->duration_ms;
        }
    }
    W = (double)wr->active_ms;
    busy = (D >= R && R > 0) ? D - R : D;
    if (dl->n_slices >= 10 && dl->avg_kbps > 0 &&
        dl->max_kbps < 2.0 * dl->avg_kbps)
        dl_saturated = true;

    if (have_D && W > 0) {
        b = busy / W;
        rr = R / W;
        if (rr >= 0.3 && R > busy) {
            kind = RPP_BOTTLENECK_NETWORK;
            conf = RPP_CONFIDENCE_MEDIUM;
            reason(a, &rs,
                   "decompression waited %.0f s for downloaded data (%.0f %% "
                   "of the %.0f s write)",
                   R / 1000, 100 * rr, W / 1000);
            if (in_consumer_max >= 1000 || dl_saturated)
                conf = RPP_CONFIDENCE_HIGH;
        } else if (b >= 0.8) {
            kind = RPP_BOTTLENECK_CPU;
            conf = have_ring && C >= P ? RPP_CONFIDENCE_HIGH
                                       : RPP_CONFIDENCE_MEDIUM;
            reason(a, &rs,
                   "the decompressor was busy %.0f s, %.0f %% of the %.0f s "
                   "write",
                   busy / 1000, 100 * b, W / 1000);
        } else if (b <= 0.5) {
            kind = RPP_BOTTLENECK_DISK;
            conf = have_ring && P >= 2 * C ? RPP_CONFIDENCE_HIGH
                                           : RPP_CONFIDENCE_MEDIUM;
            reason(a, &rs,
                   "the decompressor was busy only %.0f s, %.0f %% of the "
                   "%.0f s write: it could have gone faster",
                   busy / 1000, 100 * b, W / 1000);
        } else if (have_ring && P >= 2 * C) {
            kind = RPP_BOTTLENECK_DISK;
            conf = RPP_CONFIDENCE_MEDIUM;
        } else if (have_ring && C >= 2 * P) {
            kind = RPP_BOTTLENECK_CPU;
            conf = RPP_CONFIDENCE_MEDIUM;
        } else {
            reason(a, &rs,
                   "the decompressor was busy %.0f %% of the write: neither "
                   "clearly idle nor saturated",
                   100 * b);
        }
    }
    if (have_ring && (P > 0 || C > 0)) {
        if (P >= 2 * C)
            reason(a, &rs,
                   "decompressed data waited %.0f s for the disk (write "
                   "buffer full) against %.0f s the writer waited for data",
                   P / 1000, C / 1000);
        else if (C >= 2 * P)
            reason(a, &rs,
                   "the writer waited %.0f s for decompressed data (write "
                   "buffer empty) against %.0f s the other way",
                   C / 1000, P / 1000);
        if (kind == RPP_BOTTLENECK_UNKNOWN && P >= 2 * C) {
            kind = RPP_BOTTLENECK_DISK;
            conf = RPP_CONFIDENCE_MEDIUM;
        } else if (kind == RPP_BOTTLENECK_UNKNOWN && C >= 2 * P) {
            kind = in_consumer > C / 2 ? RPP_BOTTLENECK_NETWORK
                                       : RPP_BOTTLENECK_CPU;
            conf = RPP_CONFIDENCE_MEDIUM;
        }
    }
    if (de->n_slices >= 5 && wr->n_slices >= 5 && de->avg_kbps > 0 &&
        wr->avg_kbps > 0) {
        if (de->avg_kbps >= 1.25 * wr->avg_kbps) {
            reason(a, &rs, "decompress averaged %.1f MB/s, write %.1f MB/s",
                   de->avg_kbps / KBPS_PER_MBPS, wr->avg_kbps / KBPS_PER_MBPS);
            if (kind == RPP_BOTTLENECK_UNKNOWN) {
                kind = RPP_BOTTLENECK_DISK;
                conf = RPP_CONFIDENCE_MEDIUM;
            } else if (kind == RPP_BOTTLENECK_DISK &&
                       conf == RPP_CONFIDENCE_MEDIUM) {
                conf = RPP_CONFIDENCE_HIGH;
            }
        } else if (wr->avg_kbps >= 1.25 * de->avg_kbps) {
            reason(a, &rs, "write averaged %.1f MB/s, decompress %.1f MB/s",
                   wr->avg_kbps / KBPS_PER_MBPS, de->avg_kbps / KBPS_PER_MBPS);
            if (kind == RPP_BOTTLENECK_UNKNOWN) {
                kind = RPP_BOTTLENECK_CPU;
                conf = RPP_CONFIDENCE_MEDIUM;
            }
        }
    }
    if (in_consumer_max >= 1000)
        reason(a, &rs,
               "decompression waited for the download %.1f s in all, "
               "%.1f s at the longest (input buffer empty)",
               in_consumer / 1000, in_consumer_max / 1000);
    if (dl_saturated) {
        reason(a, &rs,
               "the download never went above %.1f MB/s (average %.1f MB/s): "
               "the link itself was the limit",
               dl->max_kbps / KBPS_PER_MBPS, dl->avg_kbps / KBPS_PER_MBPS);
        if (kind == RPP_BOTTLENECK_UNKNOWN) {
            kind = RPP_BOTTLENECK_NETWORK;
            conf = RPP_CONFIDENCE_MEDIUM;
        }
    }
    if (kind == RPP_BOTTLENECK_UNKNOWN && in_consumer_max >= 1000) {
        kind = RPP_BOTTLENECK_NETWORK;
        conf = RPP_CONFIDENCE_LOW;
    }
    if (have_ww && W > 0) {
        reason(a, &rs, "the pipeline waited %.0f s for disk writes (%.0f %% "
                       "of the write)",
               WW / 1000, 100 * WW / W);
        if (kind == RPP_BOTTLENECK_UNKNOWN && WW / W >= 0.5) {
            kind = RPP_BOTTLENECK_DISK;
            conf = RPP_CONFIDENCE_MEDIUM;
        }
    }
    if (kind == RPP_BOTTLENECK_UNKNOWN && ve->n_slices >= 5 &&
        wr->n_slices >= 5 && ve->avg_kbps >= 2 * wr->avg_kbps) {
        kind = RPP_BOTTLENECK_DISK;
        conf = RPP_CONFIDENCE_LOW;
        reason(a, &rs,
               "the card reads back at %.1f MB/s but was written at %.1f "
               "MB/s",
               ve->avg_kbps / KBPS_PER_MBPS, wr->avg_kbps / KBPS_PER_MBPS);
        if (!de->present && !have_D)
            reason(a, &rs,
                   "without decompress or pipeline data (version 2) slow "
                   "decompression would look the same");
    }
    bn->kind = kind;
    bn->confidence = kind == RPP_BOTTLENECK_UNKNOWN ? RPP_CONFIDENCE_NONE
                                                    : conf;
    switch (kind) {
    case RPP_BOTTLENECK_NETWORK:
        bn->summary = "The network is the bottleneck: the download could not "
                      "keep the rest of the pipeline busy.";
        break;
    case RPP_BOTTLENECK_CPU:
        bn->summary = "Decompression (the CPU) is the bottleneck: the card "
                      "could take data faster than it was produced.";
        break;
    case RPP_BOTTLENECK_DISK:
        bn->summary = "The storage device is the bottleneck: data was ready "
                      "faster than the card or reader took it.";
        break;
    case RPP_BOTTLENECK_UNKNOWN:
        bn->summary = wr->present ? "The report does not show which stage "
                                    "limited the write."
                                  : "No write data: no bottleneck to "
                                    "determine.";
        break;
    }
    items = rpp__an_calloc(a, rs.n ? rs.n : 1, sizeof(*items));
    if (!items)
        return;
    for (i = 0; i < rs.n; i++)
        items[i] = rs.items[i];
    bn->reasons = items;
    bn->n_reasons = rs.n;
}

/* ---- entry points ------------------------------------------------------ */

int rpp_analysis_run(rpp_analysis **out, const rpp_report *r,
                     const rpp_rules *rules)
{
    rpp_analysis *a = NULL;
    work w;
    bool any_samples = false, any_session;
    size_t i;
    int p, st = RPP_OK;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!r)
        return RPP_ERR_ARG;
    memset(&w, 0, sizeof(w));
    a = calloc(1, sizeof(*a));
    if (!a)
        return RPP_ERR_NOMEM;
    a->mem = calloc(1, sizeof(*a->mem));
    if (!a->mem || !(a->mem->arena = rpp__arena_new())) {
        rpp_analysis_free(a);
        return RPP_ERR_NOMEM;
    }
    a->report = r;
    w.times = rpp__an_calloc(a, r->n_events ? r->n_events : 1, sizeof(*w.times));
    if (!w.times)
        goto cleanup;
    for (i = 0; i < r->n_events; i++)
        w.times[i].cycle = -1;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (r->histograms[p].n_slices ||
            r->summary.phases[p].sample_count > 0)
            any_samples = true;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CYCLE_START)
            break;
    a->cycles_from_events = i < r->n_events;
    if (a->cycles_from_events) {
        cycles_from_events(a, &w);
        extend_unknown_durations(a, &w, false);
        settle_offsets(a, &w);
    } else {
        any_session = any_samples || r->summary.session_start_time > 0;
        for (i = 0; i < r->n_events && !any_session; i++)
            if (!is_background(r->events[i].type))
                any_session = true;
        cycles_inferred(a, &w, any_session);
    }
    if (a->mem->oom)
        goto cleanup;
    place_events(a, &w);
    place_slices(a, &w);
    extend_unknown_durations(a, &w, true);
    if (a->cycles_from_events) {
        /* durations grew with the slices: lay the cycles out again */
        settle_offsets(a, &w);
        place_events(a, &w);
        memset(w.breaks, 0, sizeof(w.breaks));
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            a->slice_times[p] = NULL;
        for (i = 0; i < w.n_cycles; i++) {
            memset(w.cycles[i].slice_begin, 0, sizeof(w.cycles[i].slice_begin));
            memset(w.cycles[i].slice_end, 0, sizeof(w.cycles[i].slice_end));
        }
        place_slices(a, &w);
    }
    for (i = 0; i < w.n_cycles; i++) {
        rpp_cycle *c = &w.cycles[i];
        if (!c->image_name)
            c->image_name = i + 1 == w.n_cycles ? r->summary.image_name : "";
        if (!c->device_name)
            c->device_name = i + 1 == w.n_cycles ? r->summary.device_name : "";
        if (!a->cycles_from_events && i + 1 == w.n_cycles)
            c->state = RPP_STATE_IN_PROGRESS; /* set from the session below */
    }
    a->cycles = w.cycles;
    a->n_cycles = w.n_cycles;
    a->event_times = w.times;
    if (a->mem->oom)
        goto cleanup;
    compute_session(a, &w, any_samples);
    if (!a->cycles_from_events && w.n_cycles)
        w.cycles[w.n_cycles - 1].state = a->session.state;
    compute_breakdown(a, &w);
    compute_phases(a, &w);
    compute_context(a, &w);
    compute_bottleneck(a);
    if (a->mem->oom)
        goto cleanup;
    st = rpp__rules_run(a, rules);
    if (st == RPP_OK && a->mem->oom)
        st = RPP_ERR_NOMEM;

cleanup:
    if (a->mem->oom && st == RPP_OK)
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp_analysis_free(a);
        return st;
    }
    *out = a;
    return RPP_OK;
}

void rpp_analysis_free(rpp_analysis *a)
{
    if (!a)
        return;
    if (a->mem) {
        rpp__arena_free(a->mem->arena);
        free(a->mem);
    }
    free(a);
}

size_t rpp_analysis_count(const rpp_analysis *a, rpp_level at_least)
{
    size_t i, n = 0;

    if (!a)
        return 0;
    for (i = 0; i < a->n_findings; i++)
        if (a->findings[i].level >= at_least && at_least != RPP_LEVEL_OFF)
            n++;
    return n;
}
