/*
 * rules_pipeline.c - owns the checks that speak about the pipeline and
 * the device: the ones derived from the one bottleneck verdict
 * (slow-decompress, cpu-bound, io-bound, network-bound, slow-card-write),
 * so that they can never contradict it or each other; the stalls, each
 * reported once with its cause; the watchdog's device stops; the
 * ring-buffer timeouts; periodic drops; and how a session ended, reasoned
 * from how far it got and what preceded the end.
 */
#include "rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double mbps(double kbps)
{
    return kbps / KBPS_PER_MBPS;
}

static const rpp_phase_stats *phase(rpp__rule_ctx *c, rpp_phase p)
{
    return &c->a->phases[p];
}

static bool usable(const rpp_phase_stats *s, double min_slices)
{
    return s->present && (double)s->n_slices >= min_slices && s->avg_kbps > 0;
}

/* The verdict is k, with at least medium confidence. */
static bool verdict_is(rpp__rule_ctx *c, rpp_bottleneck_kind k)
{
    return c->a->bottleneck.kind == k &&
           c->a->bottleneck.confidence >= RPP_CONFIDENCE_MEDIUM;
}

static void verdict_evidence(rpp__fb *b, rpp__rule_ctx *c)
{
    const rpp_bottleneck *bn = &c->a->bottleneck;
    const rpp_pipeline_evidence *ev = &bn->evidence;

    rpp__fb_str(b, "bottleneck", rpp_bottleneck_name(bn->kind));
    rpp__fb_str(b, "confidence", rpp_confidence_name(bn->confidence));
    if (bn->n_reasons)
        rpp__fb_str(b, "reason", bn->reasons[0]);
    if (ev->write_producer_stalls || ev->input_producer_stalls ||
        ev->input_consumer_stalls) {
        rpp__fb_uint(b, "write_producer_stalls", ev->write_producer_stalls);
        rpp__fb_uint(b, "input_producer_stalls", ev->input_producer_stalls);
        rpp__fb_uint(b, "input_consumer_stalls", ev->input_consumer_stalls);
    }
}

/* "2.5 GB (46 % of the 5.5 GB image)" or "2.5 GB", in the words of every
 * output. */
static char *how_far(rpp_analysis *a, uint64_t bytes, double share,
                     uint64_t image)
{
    char done[32], whole[32], pct[32];

    rpp_human_bytes(done, sizeof(done), (double)bytes);
    if (!image)
        return rpp__an_printf(a, "%s", done);
    rpp_human_bytes(whole, sizeof(whole), (double)image);
    rpp_human_percent(pct, sizeof(pct), share);
    return rpp__an_printf(a, "%s (%s of the %s image)", done, pct, whole);
}

/* ---- derived from the verdict ------------------------------------------ */

void rpp__check_slow_decompress(rpp__rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    rpp__fb b;

    if (!verdict_is(c, RPP_BOTTLENECK_CPU) || !usable(de, c->param[1]) ||
        mbps(de->avg_kbps) >= c->param[0])
        return;
    rpp__fb_begin(&b, c, RPP_PHASE_DECOMPRESS,
                  "decompression averaged %s (below %.0f MB/s) and "
                  "limited the write",
                  rpp__fb_rate(c, mbps(de->avg_kbps)), c->param[0]);
    rpp__fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    if (wr->present)
        rpp__fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    verdict_evidence(&b, c);
    rpp__fb_span(&b, de->first_ms, de->last_ms);
}

void rpp__check_cpu_bound(rpp__rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    rpp__fb b;

    if (!verdict_is(c, RPP_BOTTLENECK_CPU) || !usable(wr, c->param[1]) ||
        mbps(wr->avg_kbps) >= c->param[0])
        return;
    rpp__fb_begin(&b, c, RPP_PHASE_DECOMPRESS,
                  "decompression limited the write to %s",
                  rpp__fb_rate(c, mbps(wr->avg_kbps)));
    if (de->present)
        rpp__fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    rpp__fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    verdict_evidence(&b, c);
    rpp__fb_span(&b, wr->first_ms, wr->last_ms);
}

/* A refused direct I/O sends writes through the page cache: worth saying
 * next to a slow write. */
static void direct_io_note(rpp__rule_ctx *c, rpp__fb *b)
{
    const rpp_report *r = c->a->report;
    size_t i;
    char err[96];

    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        if (e->type != RPP_EV_DIRECT_IO_ATTEMPT || e->success)
            continue;
        if (!e->metadata ||
            !rpp_meta_get(e->metadata, "error", err, sizeof(err)))
            snprintf(err, sizeof(err), "unknown error");
        rpp__fb_str(b, "direct_io",
                    rpp__an_printf(c->a, "not available (%s): writes went "
                                         "through the page cache",
                                   err));
        return;
    }
}

void rpp__check_io_bound(rpp__rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    rpp__fb b;

    if (!verdict_is(c, RPP_BOTTLENECK_DISK) ||
        c->a->bottleneck.device_stopped || !usable(wr, c->param[1]) ||
        mbps(wr->avg_kbps) >= c->param[0])
        return;
    rpp__fb_begin(&b, c, RPP_PHASE_WRITE,
                  "the storage device limited the write to %s",
                  rpp__fb_rate(c, mbps(wr->avg_kbps)));
    rpp__fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    if (de->present)
        rpp__fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    verdict_evidence(&b, c);
    direct_io_note(c, &b);
    rpp__fb_span(&b, wr->first_ms, wr->last_ms);
}

void rpp__check_network_bound(rpp__rule_ctx *c)
{
    const rpp_phase_stats *dl = phase(c, RPP_PHASE_DOWNLOAD),
                          *wr = phase(c, RPP_PHASE_WRITE);
    const rpp_pipeline_evidence *ev = &c->a->bottleneck.evidence;
    rpp__fb b;

    if (!verdict_is(c, RPP_BOTTLENECK_NETWORK) || !usable(wr, c->param[1]) ||
        mbps(wr->avg_kbps) >= c->param[0])
        return;
    if (dl->present)
        rpp__fb_begin(&b, c, RPP_PHASE_DOWNLOAD,
                      "the download (%s of compressed data) limited the "
                      "write to %s",
                      rpp__fb_rate(c, mbps(dl->avg_kbps)),
                      rpp__fb_rate(c, mbps(wr->avg_kbps)));
    else
        rpp__fb_begin(&b, c, RPP_PHASE_DOWNLOAD,
                      "the download limited the write to %s",
                      rpp__fb_rate(c, mbps(wr->avg_kbps)));
    if (dl->present)
        rpp__fb_num(&b, "download_avg_mbps", mbps(dl->avg_kbps));
    rpp__fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    verdict_evidence(&b, c);
    if (ev->has_input_wait)
        rpp__fb_uint(&b, "input_wait_ms", ev->input_wait_ms);
    if (ev->network_retries) {
        rpp__fb_uint(&b, "network_retries", ev->network_retries);
        rpp__fb_uint(&b, "retry_sleep_ms", ev->retry_sleep_ms);
    }
    if (dl->present)
        rpp__fb_span(&b, dl->first_ms, dl->last_ms);
}

void rpp__check_slow_card_write(rpp__rule_ctx *c)
{
    const rpp_phase_stats *wr = phase(c, RPP_PHASE_WRITE),
                          *ve = phase(c, RPP_PHASE_VERIFY);
    rpp__fb b;

    if (c->a->bottleneck.kind != RPP_BOTTLENECK_DISK ||
        c->a->bottleneck.device_stopped || !usable(wr, c->param[2]) ||
        !usable(ve, c->param[2]))
        return;
    if (ve->avg_kbps < c->param[0] * wr->avg_kbps ||
        mbps(wr->avg_kbps) >= c->param[1])
        return;
    rpp__fb_begin(&b, c, RPP_PHASE_WRITE,
                  "the card was written at %s but reads back at %s",
                  rpp__fb_rate(c, mbps(wr->avg_kbps)),
                  rpp__fb_rate(c, mbps(ve->avg_kbps)));
    rpp__fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    rpp__fb_num(&b, "verify_avg_mbps", mbps(ve->avg_kbps));
    verdict_evidence(&b, c);
    if (c->a->bottleneck.confidence < RPP_CONFIDENCE_MEDIUM)
        rpp__fb_str(&b, "note",
                    c->a->report->version < 3
                        ? "a version 2 report has no decompress phase or "
                          "pipeline data: slow decompression would look the "
                          "same"
                        : "no stall events or pipeline summaries in this "
                          "report: slow decompression would look the same");
    rpp__fb_span(&b, wr->first_ms, wr->last_ms);
}

/* ---- periodic drops ----------------------------------------------------- */

/* Download carries compressed bytes and, unless the network is the limit,
 * is paced by the stages after it; decompress, unless the CPU is the
 * limit, is paced by the card (it fills the write buffer and waits) or the
 * network (it waits for data). Their variation then says nothing of the
 * device or its link, which is what the findings on it would blame. */
bool rpp__paced(const rpp_analysis *a, int p)
{
    const rpp_bottleneck *bn = &a->bottleneck;
    bool sure = bn->confidence >= RPP_CONFIDENCE_MEDIUM;

    if (p == RPP_PHASE_DOWNLOAD)
        return !(sure && bn->kind == RPP_BOTTLENECK_NETWORK);
    if (p == RPP_PHASE_DECOMPRESS)
        return !(sure && bn->kind == RPP_BOTTLENECK_CPU);
    return false;
}

/* How many of the drops a periodic sync overlaps (within a window). Both
 * lists are in time order: one pass. */
static size_t drops_at_syncs(const rpp_analysis *a, const rpp_phase_stats *s,
                             size_t *n_syncs)
{
    const rpp_report *r = a->report;
    uint64_t window = rpp__window_ms(r);
    size_t i, n = 0, matched = 0, j = 0;
    rpp_span *syncs;

    *n_syncs = 0;
    for (i = 0; i < r->n_events; i++)
        n += r->events[i].type == RPP_EV_PERIODIC_SYNC ||
             r->events[i].type == RPP_EV_PAGE_CACHE_FLUSH;
    if (!n)
        return 0;
    syncs = malloc(n * sizeof(*syncs));
    if (!syncs)
        return 0;
    n = 0;
    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_PERIODIC_SYNC ||
            r->events[i].type == RPP_EV_PAGE_CACHE_FLUSH) {
            uint64_t st = a->event_times[i].start_ms;
            syncs[n].start_ms = st > window ? st - window : 0;
            syncs[n].end_ms = rpp_sat_add(rpp_sat_add(st, r->events[i].duration_ms),
                                          window);
            /* keep them in time order; events come nearly sorted */
            if (n && syncs[n].start_ms < syncs[n - 1].start_ms) {
                free(syncs);
                return 0;
            }
            n++;
        }
    *n_syncs = n;
    for (i = 0; i < s->n_drops; i++) {
        while (j < n && syncs[j].end_ms < s->drops[i].start_ms)
            j++;
        if (j < n && syncs[j].start_ms <= s->drops[i].end_ms)
            matched++;
    }
    free(syncs);
    return matched;
}

void rpp__check_periodic_drops(rpp__rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        char iv[32];
        rpp__fb b;
        size_t i, n_syncs, at_syncs;
        double mean_iv, cv;

        if (!s->present || (double)s->n_slices < c->param[0] ||
            rpp__paced(c->a, p))
            continue;
        if ((double)s->n_drops < c->param[1] ||
            s->drop_interval_cv > c->param[2])
            continue;
        if (!rpp__drop_period(s, &mean_iv, &cv)) {
            c->a->mem->oom = true;
            continue;
        }
        rpp_human_duration(iv, sizeof(iv), mean_iv);
        rpp__fb_begin(&b, c, p,
                      "%s throughput dropped below half its median %zu "
                      "times, about every %s",
                      rpp_phase_name((rpp_phase)p), s->n_drops, iv);
        at_syncs = drops_at_syncs(c->a, s, &n_syncs);
        if (at_syncs * 2 >= s->n_drops && at_syncs) {
            rpp__fb_cause(&b, "the periodic syncs: %zu of the %zu drops come "
                              "with a page-cache flush (%zu in all), not a "
                              "USB hub or driver",
                          at_syncs, s->n_drops, n_syncs);
        }
        rpp__fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        rpp__fb_uint(&b, "drops", s->n_drops);
        rpp__fb_num(&b, "interval_ms", mean_iv);
        rpp__fb_num(&b, "interval_cv", s->drop_interval_cv);
        rpp__fb_num(&b, "median_mbps", mbps(s->median_slice_kbps));
        if (n_syncs)
            rpp__fb_uint(&b, "drops_at_syncs", at_syncs);
        for (i = 0; i < s->n_drops; i++)
            rpp__fb_span(&b, s->drops[i].start_ms, s->drops[i].end_ms);
    }
}

/* ---- stalls --------------------------------------------------------------- */

static char *phase_list(rpp_analysis *a, unsigned phases)
{
    rpp__buf b = RPP__BUF_INIT;
    char *s;
    int p, n = 0, total = 0;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        total += (phases >> p) & 1;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (!((phases >> p) & 1))
            continue;
        if (n)
            rpp__buf_puts(&b, ++n == total ? " and " : ", ");
        else
            n++;
        rpp__buf_puts(&b, rpp_phase_name((rpp_phase)p));
    }
    if (b.oom)
        a->mem->oom = true;
    s = rpp__an_strdup(a, b.ptr ? b.ptr : "");
    rpp__buf_free(&b);
    return s;
}

static bool watchdog_cause(const rpp_analysis *a, const rpp_stall *s)
{
    rpp_event_type t;

    if (s->cause_event == SIZE_MAX)
        return false;
    t = a->report->events[s->cause_event].type;
    return t == RPP_EV_PROGRESS_STALL || t == RPP_EV_QUEUE_DEPTH_REDUCTION ||
           t == RPP_EV_DRAIN_AND_HOT_SWAP || t == RPP_EV_WATCHDOG_RECOVERY;
}

static bool sync_cause(const rpp_analysis *a, const rpp_stall *s)
{
    rpp_event_type t;

    if (s->cause_event == SIZE_MAX)
        return false;
    t = a->report->events[s->cause_event].type;
    return t == RPP_EV_PERIODIC_SYNC || t == RPP_EV_PAGE_CACHE_FLUSH;
}

/* The stalls the periodic syncs caused: one finding for all of them. */
static void sync_stalls(rpp__rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    uint64_t shortest = UINT64_MAX, longest = 0;
    unsigned phases = 0;
    size_t i, n = 0;
    const char *type = NULL;
    char lo[32], hi[32];
    rpp__fb b;

    for (i = 0; i < a->n_stalls; i++) {
        const rpp_stall *s = &a->stalls[i];
        uint64_t d = s->end_ms - s->start_ms;
        if (!sync_cause(a, s))
            continue;
        n++;
        phases |= s->phases;
        type = a->report->events[s->cause_event].type_name;
        if (d < shortest)
            shortest = d;
        if (d > longest)
            longest = d;
    }
    if (!n)
        return;
    rpp_human_duration(lo, sizeof(lo), (double)shortest);
    rpp_human_duration(hi, sizeof(hi), (double)longest);
    if (n == 1)
        rpp__fb_begin(&b, c, -1, "no progress for %s in %s during a "
                                 "page-cache flush",
                      hi, phase_list(c->a, phases));
    else
        rpp__fb_begin(&b, c, -1, "no progress %zu times, for %s to %s each, "
                                 "in %s: each during a page-cache flush",
                      n, lo, hi, phase_list(c->a, phases));
    rpp__fb_cause(&b, "the periodic syncs (%s): while the page cache is "
                      "flushed to the card, nothing else moves",
                  type);
    rpp__fb_str(&b, "phases", phase_list(c->a, phases));
    rpp__fb_uint(&b, "stalls", n);
    rpp__fb_uint(&b, "shortest_ms", shortest);
    rpp__fb_uint(&b, "longest_ms", longest);
    rpp__fb_str(&b, "cause_event", type);
    for (i = 0; i < a->n_stalls; i++)
        if (sync_cause(a, &a->stalls[i]))
            rpp__fb_span(&b, a->stalls[i].start_ms, a->stalls[i].end_ms);
}

void rpp__check_throughput_gap(rpp__rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    size_t i, shown = 0, rest = 0;
    rpp__fb more;

    sync_stalls(c);
    more.f = NULL;
    for (i = 0; i < a->n_stalls; i++) {
        const rpp_stall *s = &a->stalls[i];
        char d[32], at[32];
        int p, first = -1, count = 0;
        rpp__fb b;

        /* a stop of the device is the device-stopped rule's; the periodic
         * syncs' are summed up above */
        if (watchdog_cause(a, s) || sync_cause(a, s))
            continue;
        if (rpp__fb_into_rest(c, &shown, &rest, &more, s->start_ms,
                              s->end_ms))
            continue;
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            if ((s->phases >> p) & 1) {
                if (first < 0)
                    first = p;
                count++;
            }
        rpp_human_duration(d, sizeof(d), (double)(s->end_ms - s->start_ms));
        rpp_human_duration(at, sizeof(at), (double)s->start_ms);
        rpp__fb_begin(&b, c, count == 1 ? first : -1,
                      "no progress for %s at %s in %s", d, at,
                      phase_list(c->a, s->phases));
        if (s->cause)
            rpp__fb_cause(&b, "%s", s->cause);
        rpp__fb_str(&b, "phases", phase_list(c->a, s->phases));
        rpp__fb_uint(&b, "at_ms", s->start_ms);
        rpp__fb_uint(&b, "duration_ms", s->end_ms - s->start_ms);
        if (s->cause_event != SIZE_MAX) {
            rpp__fb_str(&b, "cause_event",
                        a->report->events[s->cause_event].type_name);
            rpp__fb_uint(&b, "cause_index", s->cause_event);
        }
        rpp__fb_span(&b, s->start_ms, s->end_ms);
    }
    rpp__fb_rest_end(&more, rest, "%zu more stalls with no progress recorded",
                     rest);
}

/* ---- the device stops (the progress watchdog) ---------------------------- */

static const char *outcome_words(rpp_stop_outcome o)
{
    switch (o) {
    case RPP_STOP_RECOVERED: return "the write went on";
    case RPP_STOP_RESTARTED: return "the watchdog restarted the write";
    case RPP_STOP_GAVE_UP: return "the watchdog gave up";
    case RPP_STOP_ONGOING: break;
    }
    return "still stopped when the report was taken";
}

/* "queueDepthReduction at +30 s (depth=16->8), ..." */
static char *actions_words(rpp_analysis *a, const rpp_device_stop *s)
{
    rpp__buf b = RPP__BUF_INIT;
    char *out, d[32];
    size_t i;
    uint64_t swapped_at = UINT64_MAX;   /* a drain that switched, ms */

    for (i = 0; i < s->n_actions && i < 8; i++) {
        size_t k = s->actions[i];
        const rpp_event *e = &a->report->events[k];
        uint64_t end = rpp_sat_add(a->event_times[k].start_ms, e->duration_ms);
        char action[32];

        /* the watchdog's hotSwap recovery repeats the drain that
         * switched: said once */
        if (e->type == RPP_EV_WATCHDOG_RECOVERY && swapped_at != UINT64_MAX &&
            rpp_meta_is(e->metadata, "action", "hotSwap") &&
            (end > swapped_at ? end - swapped_at : swapped_at - end) <= 1000)
            continue;
        if (e->type == RPP_EV_DRAIN_AND_HOT_SWAP && e->success)
            swapped_at = end;
        rpp_human_duration(d, sizeof(d),
                            end > s->start_ms ? (double)(end - s->start_ms)
                                              : 0);
        if (b.len)
            rpp__buf_puts(&b, ", ");
        if (e->type == RPP_EV_QUEUE_DEPTH_REDUCTION)
            rpp__buf_printf(&b, "reduced the queue depth at +%s", d);
        else if (e->type == RPP_EV_DRAIN_AND_HOT_SWAP)
            rpp__buf_printf(&b, "%s at +%s",
                            e->success ? "drained the queue and switched to "
                                         "synchronous writes"
                                       : "tried to drain the queue (it did "
                                         "not drain)",
                            d);
        else if (e->metadata &&
                 rpp_meta_get(e->metadata, "action", action, sizeof(action)))
            rpp__buf_printf(&b, "%s at +%s",
                            strcmp(action, "hardTimeout") == 0
                                ? "gave up"
                                : strcmp(action, "restart") == 0
                                      ? "restarted the write"
                                      : strcmp(action, "hotSwap") == 0
                                            ? "went on in synchronous mode"
                                            : action,
                            d);
        else
            rpp__buf_printf(&b, "%s at +%s", e->type_name, d);
    }
    if (b.oom)
        a->mem->oom = true;
    out = rpp__an_strdup(a, b.ptr ? b.ptr : "");
    rpp__buf_free(&b);
    return out;
}

static void device_stop(rpp__rule_ctx *c, bool recovered)
{
    const rpp_analysis *a = c->a;
    size_t i, shown = 0, rest = 0;
    rpp__fb more;

    more.f = NULL;
    for (i = 0; i < a->n_device_stops; i++) {
        const rpp_device_stop *s = &a->device_stops[i];
        const rpp_progress *pg = s->cycle >= 0 &&
                                         (size_t)s->cycle < a->n_cycles
                                     ? &a->cycles[s->cycle].progress
                                     : &a->session.progress;
        char d[32], at[32];
        rpp__fb b;
        /* a stop the writer recovered from before the watchdog's 90 s
         * warnings is a recovery; anything longer, or the end of the
         * write, is the device stopping */
        bool is_recovery = s->outcome == RPP_STOP_RECOVERED &&
                           s->n_progress_stalls == 0;

        if (is_recovery != recovered)
            continue;
        if (rpp__fb_into_rest(c, &shown, &rest, &more, s->start_ms,
                              s->start_ms + s->duration_ms))
            continue;
        rpp_human_duration(d, sizeof(d), (double)s->duration_ms);
        rpp_human_duration(at, sizeof(at), (double)s->start_ms);
        rpp__fb_begin(&b, c, RPP_PHASE_WRITE,
                      "the device stopped taking writes at %s, %s into the "
                      "capture, for %s%s%s%s%s",
                      how_far(c->a, s->written_bytes, s->written_share,
                              pg->image_bytes),
                      at, d, s->n_actions ? ": the watchdog " : "",
                      s->n_actions ? actions_words(c->a, s) : "",
                      s->outcome == RPP_STOP_GAVE_UP ||
                              s->outcome == RPP_STOP_RESTARTED
                          ? ""
                          : "; ",
                      s->outcome == RPP_STOP_GAVE_UP ||
                              s->outcome == RPP_STOP_RESTARTED
                          ? ""
                          : outcome_words(s->outcome));
        if (s->n_progress_stalls)
            rpp__fb_cause(&b, "the storage device, its reader or the USB "
                              "link stopped completing writes (%zu "
                              "progressStall warnings from 90 s on)",
                          s->n_progress_stalls);
        else
            rpp__fb_cause(&b, "the storage device stopped completing writes "
                              "for a while; the writer adapted");
        rpp__fb_uint(&b, "at_ms", s->start_ms);
        rpp__fb_uint(&b, "duration_ms", s->duration_ms);
        rpp__fb_uint(&b, "written_bytes", s->written_bytes);
        if (pg->image_bytes)
            rpp__fb_num(&b, "written_share", s->written_share);
        rpp__fb_uint(&b, "progress_stalls", s->n_progress_stalls);
        rpp__fb_str(&b, "outcome",
                    s->outcome == RPP_STOP_RECOVERED   ? "recovered"
                    : s->outcome == RPP_STOP_RESTARTED ? "restarted"
                    : s->outcome == RPP_STOP_GAVE_UP   ? "gave up"
                                                       : "ongoing");
        rpp__fb_span(&b, s->start_ms, s->start_ms + s->duration_ms);
    }
    rpp__fb_rest_end(&more, rest, "the device stopped taking writes %zu more "
                                  "times",
                     rest);
}

void rpp__check_device_stopped(rpp__rule_ctx *c)
{
    device_stop(c, false);
}

void rpp__check_write_recovery(rpp__rule_ctx *c)
{
    const rpp_report *r = c->a->report;
    size_t i;

    device_stop(c, true);
    /* a switch to synchronous writes outside the watchdog's episodes */
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        char at[32];
        rpp__fb b;

        if (e->type != RPP_EV_SYNC_FALLBACK_ACTIVATED)
            continue;
        rpp_human_duration(at, sizeof(at),
                            (double)c->a->event_times[i].start_ms);
        rpp__fb_begin(&b, c, RPP_PHASE_WRITE,
                      "the writer switched to synchronous writes at %s%s%s",
                      at, e->metadata ? ": " : "",
                      e->metadata ? e->metadata : "");
        rpp__fb_uint(&b, "at_ms", c->a->event_times[i].start_ms);
        rpp__fb_span(&b, c->a->event_times[i].start_ms,
                     c->a->event_times[i].start_ms + e->duration_ms);
        break;
    }
}

/* ---- ring buffers that timed out ------------------------------------------ */

/* Stall events of one side that lasted min_ms or more: in the Imager's
 * reports only a wait that timed out (30 s, "type: stall_timeout", which
 * ends the write) lasts that long. */
static void long_stalls(rpp__rule_ctx *c, const char *kind)
{
    const rpp_report *r = c->a->report;
    size_t i, n = 0;
    uint64_t longest = 0, longest_at = 0;
    char buffer[32] = "", type[32], stype[32], d[32];
    bool timeout = false;
    rpp__fb b;

    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        if (e->type != RPP_EV_RING_BUFFER_STARVATION || !e->metadata ||
            (double)e->duration_ms < c->param[0] ||
            !rpp_meta_get(e->metadata, "type", type, sizeof(type)))
            continue;
        if (strcmp(type, "stall_timeout") == 0) {
            if (!rpp_meta_get(e->metadata, "stall_type", stype, sizeof(stype)))
                stype[0] = '\0';
            /* "ProducerStall" or "producer_stall" */
            if (strncmp(kind, "producer", 8) == 0
                    ? !strstr(stype, "roducer")
                    : !strstr(stype, "onsumer"))
                continue;
        } else if (strcmp(type, kind) != 0) {
            continue;
        }
        n++;
        if (e->duration_ms > longest) {
            longest = e->duration_ms;
            longest_at = c->a->event_times[i].start_ms;
            timeout = strcmp(type, "stall_timeout") == 0;
            if (!rpp_meta_get(e->metadata, "buffer", buffer, sizeof(buffer)))
                buffer[0] = '\0';
        }
    }
    if (!n)
        return;
    rpp_human_duration(d, sizeof(d), (double)longest);
    rpp__fb_begin(&b, c, -1, "%s%s ring buffer %s %s%s",
                  buffer[0] ? "the " : "a ", buffer[0] ? buffer : "",
                  timeout ? "timed out after" : "stalled for", d,
                  n > 1 ? rpp__an_printf(c->a, " (%zu such stalls)", n) : "");
    if (timeout && strcmp(buffer, "write") == 0)
        rpp__fb_cause(&b, "decompressed data could not reach the card for "
                          "30 s: the device stopped taking writes, and the "
                          "write ended");
    else if (timeout && strcmp(kind, "consumer_stall") == 0)
        rpp__fb_cause(&b, "no data came from the download for 30 s, and the "
                          "write ended");
    else if (strcmp(buffer, "input") == 0 &&
             strcmp(kind, "producer_stall") == 0)
        rpp__fb_cause(&b, "decompression (or the card behind it) held the "
                          "download back");
    rpp__fb_uint(&b, "count", n);
    rpp__fb_uint(&b, "longest_ms", longest);
    rpp__fb_uint(&b, "at_ms", longest_at);
    if (buffer[0])
        rpp__fb_str(&b, "buffer", buffer);
    rpp__fb_bool(&b, "timeout", timeout);
    rpp__fb_span(&b, longest_at, longest_at + longest);
}

void rpp__check_producer_stall(rpp__rule_ctx *c)
{
    long_stalls(c, "producer_stall");
}

void rpp__check_consumer_stall(rpp__rule_ctx *c)
{
    long_stalls(c, "consumer_stall");
}

/* ---- how the session ended ------------------------------------------------ */

/* The stop of the device in cycle k that ended the write, or NULL. */
static const rpp_device_stop *final_stop(const rpp_analysis *a, int k)
{
    size_t i;

    for (i = a->n_device_stops; i-- > 0;) {
        const rpp_device_stop *s = &a->device_stops[i];
        if ((k < 0 || s->cycle == k) && s->outcome != RPP_STOP_RECOVERED)
            return s;
    }
    return NULL;
}

/* The last failed event of cycle k (not the cycle's own end, not a
 * refused direct I/O), or SIZE_MAX. */
static size_t last_failed(const rpp_analysis *a, int k)
{
    size_t j, found = SIZE_MAX;

    for (j = 0; j < a->n_failed; j++) {
        size_t i = a->failed[j];
        rpp_event_type t = a->report->events[i].type;
        if (t == RPP_EV_CYCLE_END || t == RPP_EV_DIRECT_IO_ATTEMPT)
            continue;
        if (k >= 0 && a->event_times[i].cycle != k)
            continue;
        found = i;
    }
    return found;
}

/* The likely cause of an end, reasoned from the events and the data. */
static void end_cause(rpp__rule_ctx *c, rpp__fb *b, int k,
                      const rpp_progress *pg, uint64_t end_ms, bool cancelled)
{
    const rpp_analysis *a = c->a;
    const rpp_device_stop *stop = final_stop(a, k);
    size_t f = last_failed(a, k);
    char d[32];

    if (stop && !cancelled) {
        rpp_human_duration(d, sizeof(d), (double)stop->duration_ms);
        rpp__fb_cause(b, "the device stopped taking writes at %s and %s after "
                         "%s without progress",
                      how_far(c->a, stop->written_bytes, stop->written_share,
                              pg->image_bytes),
                      stop->outcome == RPP_STOP_RESTARTED
                          ? "the watchdog restarted the write"
                          : "the watchdog gave up",
                      d);
        return;
    }
    if (f != SIZE_MAX && !cancelled) {
        const rpp_event *e = &a->report->events[f];
        rpp_human_duration(d, sizeof(d), (double)a->event_times[f].start_ms);
        rpp__fb_cause(b, "%s failed at %s%s%s", e->type_name, d,
                      e->metadata ? ": " : "", e->metadata ? e->metadata : "");
        return;
    }
    if (!pg->written_bytes) {
        rpp__fb_cause(b, "%s before the first byte was written",
                      cancelled ? "it was cancelled" : "it ended");
        return;
    }
    rpp_human_duration(d, sizeof(d),
                        end_ms > pg->last_progress_ms
                            ? (double)(end_ms - pg->last_progress_ms)
                            : 0);
    if (cancelled)
        rpp__fb_cause(b, "cancelled by the user (or the device was removed) "
                         "after %s had been written",
                      how_far(c->a, pg->written_bytes, pg->written_share,
                              pg->image_bytes));
    else
        rpp__fb_cause(b, "the %s stopped at %s, %s before the end, and no "
                         "event says why: the device reported an error to "
                         "the writer (see the message)",
                      pg->verified_bytes ? "verify" : "write",
                      how_far(c->a, pg->verified_bytes ? pg->verified_bytes
                                                       : pg->written_bytes,
                              pg->verified_bytes ? pg->verified_share
                                                 : pg->written_share,
                              pg->image_bytes),
                      d);
}

static void progress_evidence(rpp__fb *b, const rpp_progress *pg)
{
    rpp__fb_uint(b, "written_bytes", pg->written_bytes);
    if (pg->image_bytes) {
        rpp__fb_uint(b, "image_bytes", pg->image_bytes);
        rpp__fb_num(b, "written_share", pg->written_share);
    }
    if (pg->verified_bytes) {
        rpp__fb_uint(b, "verified_bytes", pg->verified_bytes);
        if (pg->image_bytes)
            rpp__fb_num(b, "verified_share", pg->verified_share);
    }
    if (pg->last_phase >= 0) {
        rpp__fb_uint(b, "last_progress_ms", pg->last_progress_ms);
        rpp__fb_str(b, "last_phase", rpp_phase_name((rpp_phase)pg->last_phase));
    }
}

static void session_end(rpp__rule_ctx *c, rpp_session_state want)
{
    const rpp_analysis *a = c->a;
    const char *msg = a->report->summary.error_message;
    bool cancelled = want == RPP_STATE_CANCELLED;
    const char *what = cancelled ? "was cancelled" : "failed";
    size_t k, n = 0, rest = 0;
    rpp__fb b, more;

    /* several cycles: each one that ended this way (the first few; the
     * rest in one more finding) */
    if (a->cycles_from_events && a->n_cycles > 1) {
        more.f = NULL;
        for (k = 0; k < a->n_cycles; k++) {
            const rpp_cycle *cy = &a->cycles[k];
            if (cy->state != want)
                continue;
            if (rpp__fb_into_rest(c, &n, &rest, &more, cy->offset_ms,
                                  cy->offset_ms + cy->duration_ms))
                continue;
            rpp__fb_begin(&b, c, -1, "imaging cycle %zu %s%s%s", k + 1, what,
                          cy->end_message && *cy->end_message ? ": " : "",
                          cy->end_message ? cy->end_message : "");
            end_cause(c, &b, (int)k, &cy->progress,
                      cy->offset_ms + cy->duration_ms, cancelled);
            rpp__fb_uint(&b, "cycle", k + 1);
            progress_evidence(&b, &cy->progress);
            rpp__fb_span(&b, cy->offset_ms, cy->offset_ms + cy->duration_ms);
        }
        rpp__fb_rest_end(&more, rest, "%zu more imaging cycles %s", rest,
                         cancelled ? "were cancelled" : "failed");
        return;
    }
    if (a->session.state != want)
        return;
    rpp__fb_begin(&b, c, -1, "the write %s%s%s", what,
                  msg && *msg ? ": " : "", msg ? msg : "");
    end_cause(c, &b, a->n_cycles ? (int)a->n_cycles - 1 : -1,
              &a->session.progress, a->session.timeline_ms, cancelled);
    rpp__fb_bool(&b, "inferred", a->session.state_inferred);
    progress_evidence(&b, &a->session.progress);
    if (a->n_cycles)
        rpp__fb_span(&b, a->cycles[a->n_cycles - 1].offset_ms,
                     a->cycles[a->n_cycles - 1].offset_ms +
                         a->cycles[a->n_cycles - 1].duration_ms);
}

void rpp__check_session_failed(rpp__rule_ctx *c)
{
    session_end(c, RPP_STATE_FAILED);
}

void rpp__check_session_cancelled(rpp__rule_ctx *c)
{
    session_end(c, RPP_STATE_CANCELLED);
}

void rpp__check_session_in_progress(rpp__rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    const rpp_progress *pg = &a->session.progress;
    rpp__fb b;

    if (a->session.state != RPP_STATE_IN_PROGRESS)
        return;
    if (pg->verified_bytes && pg->write_complete)
        rpp__fb_begin(&b, c, RPP_PHASE_VERIFY,
                      "exported during the verify: the write is complete, "
                      "%s verified",
                      how_far(c->a, pg->verified_bytes, pg->verified_share,
                              pg->image_bytes));
    else if (pg->written_bytes)
        rpp__fb_begin(&b, c, RPP_PHASE_WRITE,
                      "exported during the write: %s written",
                      how_far(c->a, pg->written_bytes, pg->written_share,
                              pg->image_bytes));
    else
        rpp__fb_begin(&b, c, -1, "exported before the write began");
    progress_evidence(&b, pg);
    if (pg->last_phase >= 0)
        rpp__fb_span(&b, pg->last_progress_ms, pg->last_progress_ms);
}
