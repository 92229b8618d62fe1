/*
 * session.c - owns the session as a whole: its state (written in version 3,
 * inferred in version 2), the one-line result, and the length of the
 * timeline and of the wall time that shares are taken of.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void rpp__session_compute(rpp_analysis *a, rpp__work *w, bool any_samples)
{
    const rpp_report *r = a->report;
    const rpp_summary *s = &r->summary;
    rpp_session_info *si = &a->session;
    size_t i;
    bool only_background = true, any_cycle_start = false;

    for (i = 0; i < r->n_events; i++) {
        if (!rpp__is_background(r->events[i].type))
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
            si->state = rpp__mentions_cancel(s->error_message)
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

