/*
 * pipeline.c - owns the bottleneck verdict: which stage of the Imager's
 * pipeline (network, decompression, storage device) limited the write,
 * from every kind of evidence the report holds.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void rpp__bottleneck_compute(rpp_analysis *a)
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

