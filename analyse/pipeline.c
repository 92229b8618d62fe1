/*
 * pipeline.c - owns the bottleneck verdict: which stage of the Imager's
 * pipeline (the download, decompression, the storage device) limited a
 * write, inferred once per imaging cycle from every kind of evidence the
 * report holds, each weighed by how much it proves.
 *
 * The Imager moves data from the download through an input ring buffer to
 * the decompressor, and through a write ring buffer to the card. Whichever
 * stage is slowest keeps the buffer before it full and the one after it
 * empty, so:
 *
 *  - the write buffer full (write producer_stall: decompressed data waits
 *    for the card) means the card is the limit;
 *  - the input buffer empty (input consumer_stall: decompression waits for
 *    downloaded data) means the download is the limit;
 *  - the input buffer full (input producer_stall: the download waits) means
 *    the download is not the limit, and no more: decompression writes to
 *    the card itself, so a card that keeps each write waiting holds the
 *    decompressor inside the write call, and behind a USB reader (whose
 *    queue of writes the Imager keeps short) the write buffer never fills.
 *    A slow card and a slow decompressor then leave the same input-side
 *    stalls; decompression is named only when the write timing shows the
 *    card idle most of the write (writeTimingBreakdown, recorded when the
 *    write ends: little time inside write calls), and the card when it
 *    shows the decompressor inside write calls nearly all the write.
 *
 * The summaries recorded when a write ends weigh most: the decompressor's
 * busy time, its wait for downloaded data and the writer buffer's waits,
 * as shares of the write. Without them (a report exported mid-write, a
 * failed write) the stall events decide; with neither (version 2 reports)
 * the rates do, at low confidence: a steady download that lasted as long as
 * the write, a card that reads back much faster than it was written. A
 * stage that finished long before the write did cannot have limited the
 * rest of it. Every threshold is a parameter of the "bottleneck" row of
 * the rule table.
 */
#include "rules.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define MAX_REASONS 16

typedef struct reasons {
    const char *items[MAX_REASONS];
    size_t n;
} reasons;

static void reason(rpp_analysis *a, reasons *rs, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reason(rpp_analysis *a, reasons *rs, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;

    if (rs->n >= MAX_REASONS)
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

/* The thresholds, read once. */
typedef struct knobs {
    double busy_cpu, busy_idle, write_wait, input_wait;
    double cpu_stalls, write_share, network_stalls;
    double medium_events, high_events;
    double ended_early_ms, ended_early_share;
    double steady_ratio, verify_ratio, rate_ratio, min_slices;
    double idle_card, busy_card;
} knobs;

static void read_knobs(const rpp_analysis *a, knobs *k)
{
    k->busy_cpu = rpp__setting(a, "bottleneck", "busy_cpu");
    k->busy_idle = rpp__setting(a, "bottleneck", "busy_idle");
    k->write_wait = rpp__setting(a, "bottleneck", "write_wait");
    k->input_wait = rpp__setting(a, "bottleneck", "input_wait");
    k->cpu_stalls = rpp__setting(a, "bottleneck", "cpu_stalls");
    k->write_share = rpp__setting(a, "bottleneck", "write_share");
    k->network_stalls = rpp__setting(a, "bottleneck", "network_stalls");
    k->medium_events = rpp__setting(a, "bottleneck", "medium_events");
    k->high_events = rpp__setting(a, "bottleneck", "high_events");
    k->ended_early_ms = rpp__setting(a, "bottleneck", "ended_early_ms");
    k->ended_early_share = rpp__setting(a, "bottleneck", "ended_early_share");
    k->steady_ratio = rpp__setting(a, "bottleneck", "steady_ratio");
    k->verify_ratio = rpp__setting(a, "bottleneck", "verify_ratio");
    k->rate_ratio = rpp__setting(a, "bottleneck", "rate_ratio");
    k->min_slices = rpp__setting(a, "bottleneck", "min_slices");
    k->idle_card = rpp__setting(a, "bottleneck", "idle_card");
    k->busy_card = rpp__setting(a, "bottleneck", "busy_card");
}

static double mbps(double kbps)
{
    return kbps / KBPS_PER_MBPS;
}

static uint64_t u64_of(double v)
{
    return v > 0 ? (v < (double)RPP_SAT_MAX ? (uint64_t)v : RPP_SAT_MAX) : 0;
}

/* ---- what each cycle holds -------------------------------------------- */

/* The events and device stops of each imaging cycle, grouped in one pass
 * (a counting sort by cycle), so that the verdicts of all cycles together
 * read each event once however many cycles there are. Cycle k holds the
 * events ev[ev_first[k]] .. ev[ev_first[k + 1] - 1] (indices into the
 * report's events), and likewise the stops; what lies outside every cycle
 * is left out. NULL arrays (no cycles, or out of memory) stand for "every
 * event and stop", read through the cycle numbers instead. */
typedef struct by_cycle {
    size_t *ev, *ev_first;
    size_t *stop, *stop_first;
} by_cycle;

/* Groups n items by their cycle (cycle_of(i) in 0..n_cycles - 1, anything
 * else left out), in order: *order gets the item indices cycle by cycle,
 * and cycle k's run is (*first)[k] .. (*first)[k + 1] - 1 (*first has
 * n_cycles + 2 entries, the last one spare). False when out of memory. */
static bool group(rpp_analysis *a, size_t n, size_t n_cycles,
                  int (*cycle_of)(const rpp_analysis *, size_t),
                  size_t **order, size_t **first)
{
    size_t *o = rpp__an_calloc(a, n ? n : 1, sizeof(*o));
    size_t *f = rpp__an_calloc(a, n_cycles + 2, sizeof(*f));
    size_t i, k;

    if (!o || !f)
        return false;
    for (i = 0; i < n; i++) {
        int c = cycle_of(a, i);
        if (c >= 0 && (size_t)c < n_cycles)
            f[c + 2]++;
    }
    for (k = 2; k < n_cycles + 2; k++)
        f[k] += f[k - 1];
    /* f[c + 1] is now where cycle c begins: place each item there */
    for (i = 0; i < n; i++) {
        int c = cycle_of(a, i);
        if (c >= 0 && (size_t)c < n_cycles)
            o[f[c + 1]++] = i;
    }
    /* and f[c] where it began */
    *order = o;
    *first = f;
    return true;
}

static int event_cycle(const rpp_analysis *a, size_t i)
{
    return a->event_times[i].cycle;
}

static int stop_cycle(const rpp_analysis *a, size_t i)
{
    return a->device_stops[i].cycle;
}

static void by_cycle_make(rpp_analysis *a, by_cycle *bc)
{
    memset(bc, 0, sizeof(*bc));
    if (!a->n_cycles || !a->event_times)
        return;
    if (!group(a, a->report->n_events, a->n_cycles, event_cycle, &bc->ev,
               &bc->ev_first) ||
        !group(a, a->n_device_stops, a->n_cycles, stop_cycle, &bc->stop,
               &bc->stop_first))
        memset(bc, 0, sizeof(*bc));
}

/* ---- evidence ----------------------------------------------------------- */

static void stall_event(const rpp_event *e, rpp_pipeline_evidence *ev)
{
    char buffer[32], type[32];

    if (!e->metadata ||
        !rpp_meta_get(e->metadata, "buffer", buffer, sizeof(buffer)) ||
        !rpp_meta_get(e->metadata, "type", type, sizeof(type)))
        return;
    if (strcmp(type, "stall_timeout") == 0)
        ev->stall_timeouts++;
    else if (strcmp(buffer, "write") == 0 &&
             strcmp(type, "producer_stall") == 0)
        ev->write_producer_stalls++;
    else if (strcmp(buffer, "input") == 0 &&
             strcmp(type, "producer_stall") == 0)
        ev->input_producer_stalls++;
    else if (strcmp(buffer, "input") == 0 &&
             strcmp(type, "consumer_stall") == 0)
        ev->input_consumer_stalls++;
}

/* The evidence of cycle k (every cycle when k is -1, for reports with no
 * cycle of their own). */
static void gather(const rpp_analysis *a, int k, const by_cycle *bc,
                   const knobs *kn, rpp_pipeline_evidence *ev)
{
    const rpp_report *r = a->report;
    const rpp_phase_stats *ph = k >= 0 ? a->cycles[k].phases : a->phases;
    const rpp_phase_stats *dl = &ph[RPP_PHASE_DOWNLOAD],
                          *wr = &ph[RPP_PHASE_WRITE];
    double wait_count, wait_ms, c_count, c_ms;
    size_t j, from = 0, to = r->n_events;

    memset(ev, 0, sizeof(*ev));
    if (k >= 0 && bc->ev) {
        from = bc->ev_first[k];
        to = bc->ev_first[k + 1];
    }
    for (j = from; j < to; j++) {
        size_t i = k >= 0 && bc->ev ? bc->ev[j] : j;
        const rpp_event *e = &r->events[i];

        if (k >= 0 && !bc->ev && a->event_times[i].cycle != k)
            continue;
        if (e->type == RPP_EV_RING_BUFFER_STARVATION) {
            stall_event(e, ev);
        } else if (e->type == RPP_EV_PIPELINE_DECOMPRESSION_TIME) {
            ev->has_decompress_time = true;
            ev->decompress_busy_ms =
                rpp_sat_add(ev->decompress_busy_ms, e->duration_ms);
        } else if (e->type == RPP_EV_PIPELINE_RING_BUFFER_WAIT_TIME) {
            ev->has_input_wait = true;
            ev->input_wait_ms = rpp_sat_add(ev->input_wait_ms, e->duration_ms);
        } else if (e->type == RPP_EV_WRITE_RING_BUFFER_STATS) {
            if (e->metadata &&
                rpp_meta_count_ms(e->metadata, "producer_stalls",
                                  &wait_count, &wait_ms) &&
                rpp_meta_count_ms(e->metadata, "consumer_stalls", &c_count,
                                  &c_ms) &&
                wait_count >= 0 && c_count >= 0) {
                ev->has_write_wait = true;
                ev->write_wait_ms =
                    rpp_sat_add(ev->write_wait_ms, u64_of(wait_ms));
                ev->write_wait_polls =
                    rpp_sat_add(ev->write_wait_polls, u64_of(wait_count));
            }
        } else if (e->type == RPP_EV_WRITE_TIMING_BREAKDOWN &&
                   !ev->has_write_timing && e->metadata &&
                   rpp__meta_number(e->metadata, "syscallMs", &wait_ms)) {
            /* the first copy: the later one repeats it */
            ev->has_write_timing = true;
            ev->write_call_ms = u64_of(wait_ms);
        } else if (e->type == RPP_EV_NETWORK_RETRY) {
            ev->network_retries++;
            ev->retry_sleep_ms = rpp_sat_add(ev->retry_sleep_ms,
                                             e->duration_ms);
        }
    }
    ev->write_ms = wr->present ? wr->active_ms : 0;
    if (dl->present && (double)dl->n_slices >= 2 * kn->min_slices &&
        dl->avg_kbps > 0 && dl->max_kbps < kn->steady_ratio * dl->avg_kbps)
        ev->download_steady = true;
    if (dl->present && wr->present && wr->last_ms > dl->last_ms) {
        uint64_t lead = wr->last_ms - dl->last_ms;
        double slack = kn->ended_early_share * (double)ev->write_ms;
        if (slack < kn->ended_early_ms)
            slack = kn->ended_early_ms;
        ev->download_lead_ms = lead;
        ev->download_ended_early = (double)lead > slack;
    }
}

/* ---- the verdict ------------------------------------------------------- */

typedef struct verdict {
    rpp_bottleneck_kind kind;
    rpp_confidence conf;
} verdict;

static rpp_confidence by_count(const knobs *kn, double n)
{
    if (n >= kn->high_events)
        return RPP_CONFIDENCE_HIGH;
    if (n >= kn->medium_events)
        return RPP_CONFIDENCE_MEDIUM;
    return RPP_CONFIDENCE_LOW;
}

static rpp_confidence lower(rpp_confidence c)
{
    return c > RPP_CONFIDENCE_LOW ? (rpp_confidence)(c - 1) : c;
}

/* "41 % of the 691 s write"; a total longer than the write's data (the
 * samples stop at their limit while the Imager's totals run on) reads
 * "longer than the 691 s of write data", never above 100 %. */
static const char *of_write(rpp_analysis *a, double part_ms, double write_ms)
{
    double pct = 100 * part_ms / write_ms;

    if (pct >= 100.5)
        return rpp__an_printf(a, "longer than the %.0f s of write data",
                              write_ms / 1000);
    return rpp__an_printf(a, "%.0f %% of the %.0f s write",
                          pct < 100 ? pct : 100, write_ms / 1000);
}

/* From the totals recorded when the write ended. */
static verdict from_summaries(rpp_analysis *a, const knobs *kn,
                              const rpp_pipeline_evidence *ev, reasons *rs)
{
    verdict v = { RPP_BOTTLENECK_UNKNOWN, RPP_CONFIDENCE_NONE };
    double W = (double)ev->write_ms, busy, b, rr, pw;

    if (!(W > 0) || (!ev->has_decompress_time && !ev->has_write_wait))
        return v;
    busy = (double)ev->decompress_busy_ms;
    if (ev->has_input_wait && busy >= (double)ev->input_wait_ms &&
        ev->input_wait_ms > 0)
        busy -= (double)ev->input_wait_ms;
    b = busy / W;
    rr = (double)ev->input_wait_ms / W;
    pw = (double)ev->write_wait_ms / W;
    if (ev->has_decompress_time && ev->has_input_wait &&
        rr >= kn->input_wait && (double)ev->input_wait_ms > busy) {
        v.kind = RPP_BOTTLENECK_NETWORK;
        reason(a, rs, "decompression waited %.0f s for downloaded data, %s",
               (double)ev->input_wait_ms / 1000,
               of_write(a, (double)ev->input_wait_ms, W));
    } else if (ev->has_decompress_time && b >= kn->busy_cpu) {
        v.kind = RPP_BOTTLENECK_CPU;
        reason(a, rs, "the decompressor was busy %.0f s, %s", busy / 1000,
               of_write(a, busy, W));
    } else if (ev->has_write_wait && pw >= kn->write_wait) {
        v.kind = RPP_BOTTLENECK_DISK;
        reason(a, rs, "decompressed data waited %.0f s for the card (write "
                      "buffer full), %s",
               (double)ev->write_wait_ms / 1000,
               of_write(a, (double)ev->write_wait_ms, W));
    } else if (ev->has_decompress_time && b <= kn->busy_idle) {
        v.kind = RPP_BOTTLENECK_DISK;
        reason(a, rs, "the decompressor was busy only %.0f s, %s%s",
               busy / 1000, of_write(a, busy, W),
               ev->has_input_wait
                   ? rpp__an_printf(a, ", and waited %.0f s for downloaded "
                                       "data: neither it nor the download "
                                       "held the write back",
                                    (double)ev->input_wait_ms / 1000)
                   : ": it could have gone faster");
    } else if (ev->has_decompress_time) {
        reason(a, rs, "the decompressor was busy %.0f %% of the write: "
                      "neither clearly idle nor saturated",
               100 * b);
        return v;
    } else {
        return v;
    }
    if (v.kind == RPP_BOTTLENECK_DISK && ev->has_decompress_time &&
        b <= kn->busy_idle && ev->has_write_wait && pw >= kn->write_wait)
        reason(a, rs, "the decompressor was busy only %.0f %% of the write",
               100 * b);
    v.conf = RPP_CONFIDENCE_HIGH;
    return v;
}

/* The write timing shows the card idle most of the write. */
static bool idle_card(const knobs *kn, const rpp_pipeline_evidence *ev)
{
    return ev->has_write_timing && ev->write_ms > 0 &&
           (double)ev->write_call_ms <= kn->idle_card * (double)ev->write_ms;
}

/* The write timing shows the decompressor inside write calls nearly all
 * the write. */
static bool busy_card(const knobs *kn, const rpp_pipeline_evidence *ev)
{
    return ev->has_write_timing && ev->write_ms > 0 &&
           (double)ev->write_call_ms >= kn->busy_card * (double)ev->write_ms;
}

/* From the ringBufferStarvation events (and the write timing). */
static verdict from_stalls(rpp_analysis *a, const knobs *kn,
                           const rpp_pipeline_evidence *ev, reasons *rs)
{
    verdict v = { RPP_BOTTLENECK_UNKNOWN, RPP_CONFIDENCE_NONE };
    double w = (double)ev->write_producer_stalls,
           i = (double)ev->input_producer_stalls,
           c = (double)ev->input_consumer_stalls;

    if (c >= kn->network_stalls && c >= 2 * (w + i)) {
        v.kind = RPP_BOTTLENECK_NETWORK;
        v.conf = by_count(kn, c);
        if (w + i > 0)
            v.conf = lower(v.conf);
        reason(a, rs, "decompression waited for downloaded data %.0f "
                      "time%s (input buffer empty), against %.0f wait%s of "
                      "the download or the decompressor for space",
               c, c == 1 ? "" : "s", w + i, w + i == 1 ? "" : "s");
    } else if (w >= 1 && w >= kn->write_share * (w + i) && w >= 2 * c) {
        v.kind = RPP_BOTTLENECK_DISK;
        v.conf = by_count(kn, w);
        reason(a, rs, "decompressed data waited for the card %.0f time%s "
                      "(write buffer full)%s",
               w, w == 1 ? "" : "s",
               i > 0 ? rpp__an_printf(a, ", and the download waited %.0f "
                                         "time%s for decompression (input "
                                         "buffer full)",
                                      i, i == 1 ? "" : "s")
                     : "");
    } else if (idle_card(kn, ev) && c * 10 <= i && w == 0) {
        /* the card sat idle and the download was held back (or at least
         * not waited for): decompression */
        v.kind = RPP_BOTTLENECK_CPU;
        v.conf = i >= kn->cpu_stalls ? RPP_CONFIDENCE_HIGH
                 : i >= 1            ? RPP_CONFIDENCE_MEDIUM
                                     : RPP_CONFIDENCE_LOW;
        reason(a, rs, "the card was busy with writes only %.0f %% of the "
                      "%.0f s write, and the download %s",
               100 * (double)ev->write_call_ms / (double)ev->write_ms,
               (double)ev->write_ms / 1000,
               i > 0 ? rpp__an_printf(a, "waited %.0f time%s for "
                                         "decompression (input buffer full)",
                                      i, i == 1 ? "" : "s")
                     : "was never waited for");
    } else if (busy_card(kn, ev) && c * 10 <= i + 1) {
        /* the decompressor spent nearly the whole write inside write calls,
         * waiting for the card */
        v.kind = RPP_BOTTLENECK_DISK;
        v.conf = RPP_CONFIDENCE_MEDIUM;
        reason(a, rs, "the decompressor waited in write calls %.0f %% of the "
                      "%.0f s write: the card kept it waiting",
               100 * (double)ev->write_call_ms / (double)ev->write_ms,
               (double)ev->write_ms / 1000);
    } else if (w + i + c > 0) {
        if (i > 0 && w == 0 && c == 0)
            reason(a, rs, "the download waited %.0f time%s for the rest of "
                          "the pipeline (input buffer full): not the network, "
                          "but decompression or the card; a card that keeps "
                          "writes waiting looks the same until the write "
                          "ends",
                   i, i == 1 ? "" : "s");
        else
            reason(a, rs, "%.0f write-buffer, %.0f input-buffer and %.0f "
                          "download-wait stall event%s: too few to tell which "
                          "stage limited the write",
                   w, i, c, w + i + c == 1 ? "" : "s");
    }
    return v;
}

/* Without summaries or stall events: the rates, at low confidence. */
static verdict from_rates(rpp_analysis *a, const knobs *kn, int k,
                          const rpp_pipeline_evidence *ev, reasons *rs)
{
    const rpp_phase_stats *ph = k >= 0 ? a->cycles[k].phases : a->phases;
    const rpp_phase_stats *dl = &ph[RPP_PHASE_DOWNLOAD],
                          *de = &ph[RPP_PHASE_DECOMPRESS],
                          *wr = &ph[RPP_PHASE_WRITE],
                          *ve = &ph[RPP_PHASE_VERIFY];
    verdict v = { RPP_BOTTLENECK_UNKNOWN, RPP_CONFIDENCE_NONE };
    bool usable_wr = wr->present && (double)wr->n_slices >= kn->min_slices &&
                     wr->avg_kbps > 0;

    if (ev->download_steady && !ev->download_ended_early && usable_wr) {
        v.kind = RPP_BOTTLENECK_NETWORK;
        reason(a, rs, "the download never went above %.1f MB/s (average "
                      "%.1f MB/s) and lasted as long as the write: "
                      "consistent with the link as the limit",
               mbps(dl->max_kbps), mbps(dl->avg_kbps));
    } else if (usable_wr && de->present &&
               (double)de->n_slices >= kn->min_slices && de->avg_kbps > 0 &&
               de->avg_kbps >= kn->rate_ratio * wr->avg_kbps) {
        v.kind = RPP_BOTTLENECK_DISK;
        reason(a, rs, "decompression averaged %.1f MB/s, the write %.1f MB/s",
               mbps(de->avg_kbps), mbps(wr->avg_kbps));
    } else if (usable_wr && de->present &&
               (double)de->n_slices >= kn->min_slices && de->avg_kbps > 0 &&
               wr->avg_kbps >= kn->rate_ratio * de->avg_kbps) {
        v.kind = RPP_BOTTLENECK_CPU;
        reason(a, rs, "the write averaged %.1f MB/s, decompression %.1f MB/s",
               mbps(wr->avg_kbps), mbps(de->avg_kbps));
    } else if (usable_wr && ve->present &&
               (double)ve->n_slices >= kn->min_slices &&
               ve->avg_kbps >= kn->verify_ratio * wr->avg_kbps) {
        v.kind = RPP_BOTTLENECK_DISK;
        reason(a, rs, "the card reads back at %.1f MB/s but was written at "
                      "%.1f MB/s",
               mbps(ve->avg_kbps), mbps(wr->avg_kbps));
    }
    if (v.kind != RPP_BOTTLENECK_UNKNOWN) {
        v.conf = RPP_CONFIDENCE_LOW;
        reason(a, rs, "%s",
               a->report->version < 3
                   ? "a version 2 report has no decompress phase, stall "
                     "events or pipeline summaries: a slow decompressor "
                     "would look the same"
                   : "no stall events or pipeline summaries in this report: "
                     "the rates alone are weak evidence");
    }
    return v;
}

static const char *summary_of(rpp_bottleneck_kind k, bool stopped,
                              bool has_write)
{
    if (stopped)
        return "The storage device stopped taking writes: the watchdog found "
               "no progress for a long time.";
    switch (k) {
    case RPP_BOTTLENECK_NETWORK:
        return "The network is the bottleneck: the download could not keep "
               "the rest of the pipeline busy.";
    case RPP_BOTTLENECK_CPU:
        return "Decompression (the CPU) is the bottleneck: the card could "
               "take data faster than it was produced.";
    case RPP_BOTTLENECK_DISK:
        return "The storage device is the bottleneck: data was ready faster "
               "than the card or reader took it.";
    case RPP_BOTTLENECK_UNKNOWN:
        break;
    }
    return has_write ? "Not determined: the report does not show which stage "
                       "limited the write."
                     : "Not determined: no write data.";
}

/* The device stop of cycle k that ended the write or lasted longest. */
static const rpp_device_stop *stop_of(const rpp_analysis *a, int k,
                                      const by_cycle *bc)
{
    const rpp_device_stop *best = NULL;
    size_t j, from = 0, to = a->n_device_stops;

    if (k >= 0 && bc->stop) {
        from = bc->stop_first[k];
        to = bc->stop_first[k + 1];
    }
    for (j = from; j < to; j++) {
        const rpp_device_stop *s =
            &a->device_stops[k >= 0 && bc->stop ? bc->stop[j] : j];
        if (k >= 0 && !bc->stop && s->cycle != k)
            continue;
        if (s->outcome == RPP_STOP_RECOVERED)
            continue;
        if (!best || s->duration_ms > best->duration_ms)
            best = s;
    }
    return best;
}

/* Why nothing tells the stage, when no other reason says so: a report
 * taken while the write ran may simply hold too little yet. */
static void unknown_reason(rpp_analysis *a, int k, const rpp_phase_stats *wr,
                           reasons *rs)
{
    const rpp_progress *pg = k >= 0 && (size_t)k < a->n_cycles
                                 ? &a->cycles[k].progress
                                 : &a->session.progress;

    if (a->session.state == RPP_STATE_IN_PROGRESS && !pg->write_complete &&
        (k < 0 || k + 1 == (int)a->n_cycles))
        reason(a, rs, "exported %.0f s into the write, with no stall events "
                      "or pipeline summaries yet: too little data",
               (double)wr->active_ms / 1000);
    else
        reason(a, rs, "no stall events or pipeline summaries, and the "
                      "rates do not tell");
}

static void decide(rpp_analysis *a, int k, const by_cycle *bc,
                   const knobs *kn, rpp_bottleneck *bn)
{
    const rpp_phase_stats *ph = k >= 0 ? a->cycles[k].phases : a->phases;
    const rpp_phase_stats *wr = &ph[RPP_PHASE_WRITE];
    const rpp_device_stop *stop = stop_of(a, k, bc);
    rpp_pipeline_evidence *ev = &bn->evidence;
    reasons rs;
    verdict s, e, v;
    const char **items;
    size_t i;

    memset(&rs, 0, sizeof(rs));
    memset(bn, 0, sizeof(*bn));
    bn->cycle = k;
    gather(a, k, bc, kn, ev);
    v.kind = RPP_BOTTLENECK_UNKNOWN;
    v.conf = RPP_CONFIDENCE_NONE;
    if (stop) {
        v.kind = RPP_BOTTLENECK_DISK;
        v.conf = RPP_CONFIDENCE_HIGH;
        bn->device_stopped = true;
        reason(a, &rs, "the progress watchdog found no progress for %.0f s%s",
               (double)stop->duration_ms / 1000,
               stop->outcome == RPP_STOP_GAVE_UP    ? " and gave up"
               : stop->outcome == RPP_STOP_RESTARTED ? " and restarted the "
                                                       "write"
                                                     : "");
    } else if (!wr->present) {
        reason(a, &rs, "no write data%s",
               a->session.state == RPP_STATE_IN_PROGRESS
                   ? ": exported before the write began"
                   : "");
    } else {
        size_t said;

        s = from_summaries(a, kn, ev, &rs);
        said = rs.n;
        e = from_stalls(a, kn, ev, &rs);
        /* stall events that cannot tell say nothing beside totals that
         * can ("too few to tell" under a confident verdict) */
        if (s.kind != RPP_BOTTLENECK_UNKNOWN &&
            e.kind == RPP_BOTTLENECK_UNKNOWN)
            rs.n = said;
        if (s.kind != RPP_BOTTLENECK_UNKNOWN) {
            v = s;
            if (e.kind != RPP_BOTTLENECK_UNKNOWN && e.kind != s.kind &&
                e.conf >= RPP_CONFIDENCE_MEDIUM) {
                v.conf = RPP_CONFIDENCE_MEDIUM;
                reason(a, &rs, "the stall events point to %s instead",
                       rpp_bottleneck_name(e.kind));
            }
        } else if (e.kind != RPP_BOTTLENECK_UNKNOWN) {
            v = e;
        } else if (!ev->write_producer_stalls && !ev->input_producer_stalls &&
                   !ev->input_consumer_stalls && !ev->has_decompress_time &&
                   !ev->has_write_wait) {
            v = from_rates(a, kn, k, ev, &rs);
        }
        if (ev->network_retries && ev->retry_sleep_ms &&
            v.kind == RPP_BOTTLENECK_NETWORK)
            reason(a, &rs, "the download was retried %llu time%s, with "
                           "%.1f s of back-off",
                   (unsigned long long)ev->network_retries,
                   ev->network_retries == 1 ? "" : "s",
                   (double)ev->retry_sleep_ms / 1000);
        if (ev->download_ended_early) {
            reason(a, &rs, "the download finished %.0f s before the write: "
                           "the network did not limit the rest of it",
                   (double)ev->download_lead_ms / 1000);
            if (v.kind == RPP_BOTTLENECK_NETWORK)
                v.conf = lower(v.conf);
        }
        if (v.kind == RPP_BOTTLENECK_UNKNOWN && rs.n == 0)
            unknown_reason(a, k, wr, &rs);
    }
    bn->kind = v.kind;
    bn->confidence = v.kind == RPP_BOTTLENECK_UNKNOWN ? RPP_CONFIDENCE_NONE
                                                      : v.conf;
    bn->summary = summary_of(v.kind, bn->device_stopped, wr->present);
    items = rpp__an_calloc(a, rs.n ? rs.n : 1, sizeof(*items));
    if (!items)
        return;
    for (i = 0; i < rs.n; i++)
        items[i] = rs.items[i];
    bn->reasons = items;
    bn->n_reasons = rs.n;
}

void rpp__bottleneck_compute(rpp_analysis *a)
{
    knobs kn;
    by_cycle bc;
    size_t k;
    int pick = -1;

    read_knobs(a, &kn);
    by_cycle_make(a, &bc);
    if (!a->n_cycles) {
        decide(a, -1, &bc, &kn, &a->bottleneck);
        return;
    }
    for (k = 0; k < a->n_cycles; k++) {
        rpp_cycle *c = (rpp_cycle *)&a->cycles[k];
        rpp_bottleneck *bn = rpp__an_calloc(a, 1, sizeof(*bn));
        if (!bn)
            return;
        decide(a, (int)k, &bc, &kn, bn);
        c->bottleneck = bn;
        /* the capture's verdict: the latest cycle that has one */
        if (c->phases[RPP_PHASE_WRITE].present &&
            (pick < 0 || bn->kind != RPP_BOTTLENECK_UNKNOWN ||
             a->cycles[pick].bottleneck->kind == RPP_BOTTLENECK_UNKNOWN))
            pick = (int)k;
    }
    if (pick < 0)
        pick = (int)a->n_cycles - 1;
    a->bottleneck = *a->cycles[pick].bottleneck;
    if (a->n_cycles > 1 && pick + 1 < (int)a->n_cycles &&
        a->bottleneck.kind != RPP_BOTTLENECK_UNKNOWN) {
        /* from an earlier cycle: say so first */
        const char **items = rpp__an_calloc(a, a->bottleneck.n_reasons + 1,
                                            sizeof(*items));
        if (!items)
            return;
        items[0] = rpp__an_printf(a, "from imaging cycle %d: the last one "
                                     "does not show",
                                  pick + 1);
        memcpy(items + 1, a->bottleneck.reasons,
               a->bottleneck.n_reasons * sizeof(*items));
        a->bottleneck.reasons = items;
        a->bottleneck.n_reasons++;
    }
}
