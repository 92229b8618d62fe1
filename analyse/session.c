/*
 * session.c - owns the session as a whole: its state (written in version 3,
 * inferred in version 2), the one-line result, the length of the timeline
 * and of the wall time that shares are taken of, and how far each cycle's
 * write and verify got.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
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
        uint64_t end;
        /* a pipeline summary's duration is a total, not a span of time */
        if (rpp_event_type_category(r->events[i].type) == RPP_CAT_PIPELINE)
            continue;
        end = rpp_sat_add(w->times[i].start_ms, r->events[i].duration_ms);
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

/* ---- how far it got ------------------------------------------------------- */

uint64_t rpp__phase_bytes(const rpp_analysis *a, rpp_phase p, size_t b,
                          size_t e, uint64_t until)
{
    const rpp_histogram *h = &a->report->histograms[p];
    const uint64_t *t = a->slice_times[p];
    double window = (double)rpp__window_ms(a->report);
    double bytes = 0;
    size_t i;

    if (!t || e > h->n_slices)
        return 0;
    /* each slice's average over the time to the next slice, at most one
     * and a half windows (a gap carries no bytes) */
    for (i = b; i < e && t[i] < until; i++) {
        double dt = window;
        if (i + 1 < e && t[i + 1] > t[i] && (double)(t[i + 1] - t[i]) < dt * 1.5)
            dt = (double)(t[i + 1] - t[i]);
        bytes += (double)h->slices[i].avg_kbps * RPP_BYTES_PER_KB * dt / 1000.0;
    }
    return bytes > 0 ? (bytes < (double)RPP_SAT_MAX ? (uint64_t)bytes
                                                    : RPP_SAT_MAX)
                     : 0;
}

/* The image size a cycleStart event gives (its bytes, or the "size" of
 * its metadata); 0 when it gives none. */
static uint64_t start_image_bytes(const rpp_event *e)
{
    double d;

    if (e->has_bytes && e->bytes_transferred)
        return e->bytes_transferred;
    if (e->metadata && rpp__meta_number(e->metadata, "size", &d) && d > 0 &&
        d < (double)RPP_SAT_MAX)
        return (uint64_t)d;
    return 0;
}

static void fill_progress(const rpp_analysis *a, rpp_progress *pg,
                          const size_t *b, const size_t *e,
                          rpp_session_state state, uint64_t image)
{
    const rpp_report *r = a->report;
    uint64_t window = rpp__window_ms(r);
    bool has[RPP_PHASE_COUNT];
    int p;

    memset(pg, 0, sizeof(*pg));
    pg->last_phase = -1;
    pg->image_bytes = image;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        has[p] = e[p] > b[p] && a->slice_times[p];
        if (has[p]) {
            uint64_t end = rpp_sat_add(a->slice_times[p][e[p] - 1], window);
            if (end >= pg->last_progress_ms) {
                pg->last_progress_ms = end;
                pg->last_phase = p;
            }
        }
    }
    /* a write is whole when the session succeeded or the verify began */
    pg->write_complete = has[RPP_PHASE_WRITE] &&
                         (state == RPP_STATE_SUCCEEDED || has[RPP_PHASE_VERIFY]);
    pg->verify_complete = has[RPP_PHASE_VERIFY] && state == RPP_STATE_SUCCEEDED;
    if (has[RPP_PHASE_WRITE]) {
        if (pg->write_complete && image) {
            pg->written_bytes = image;
        } else {
            pg->written_bytes = rpp__phase_bytes(a, RPP_PHASE_WRITE,
                                                 b[RPP_PHASE_WRITE],
                                                 e[RPP_PHASE_WRITE],
                                                 UINT64_MAX);
            pg->written_estimated = true;
        }
    }
    if (has[RPP_PHASE_VERIFY]) {
        if (pg->verify_complete && image) {
            pg->verified_bytes = image;
        } else {
            pg->verified_bytes = rpp__phase_bytes(a, RPP_PHASE_VERIFY,
                                                  b[RPP_PHASE_VERIFY],
                                                  e[RPP_PHASE_VERIFY],
                                                  UINT64_MAX);
            pg->verified_estimated = true;
        }
    }
    if (image) {
        if (pg->written_bytes > image)
            pg->written_bytes = image;
        if (pg->verified_bytes > image)
            pg->verified_bytes = image;
        pg->written_share = (double)pg->written_bytes / (double)image;
        pg->verified_share = (double)pg->verified_bytes / (double)image;
    }
}

void rpp__progress_compute(rpp_analysis *a)
{
    const rpp_report *r = a->report;
    size_t k, b[RPP_PHASE_COUNT], e[RPP_PHASE_COUNT], ev = 0;
    int p;

    /* each cycle's image size from its cycleStart (the k-th one), else the
     * summary's for the last cycle: the events are read once for all */
    for (k = 0; k < a->n_cycles; k++) {
        rpp_cycle *c = (rpp_cycle *)&a->cycles[k];
        uint64_t image = 0;

        while (a->cycles_from_events && ev < r->n_events &&
               r->events[ev].type != RPP_EV_CYCLE_START)
            ev++;
        if (a->cycles_from_events && ev < r->n_events)
            image = start_image_bytes(&r->events[ev++]);
        if (!image && k + 1 == a->n_cycles)
            image = r->summary.image_size;
        fill_progress(a, &c->progress, c->slice_begin, c->slice_end,
                      c->state, image);
    }
    if (a->n_cycles) {
        a->session.progress = a->cycles[a->n_cycles - 1].progress;
        return;
    }
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        b[p] = 0;
        e[p] = r->histograms[p].n_slices;
    }
    fill_progress(a, &a->session.progress, b, e, a->session.state,
                  r->summary.image_size);
}
