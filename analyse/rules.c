/*
 * rules.c - the diagnosis: ONE table of rules (id, default level, the
 * symptom and likely cause from the interpretation table of the format's
 * documentation, thresholds), a short check function per rule, and the
 * rules configuration (--set, rules files).
 */
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 4
/* Bounds that keep the output of a hostile report readable and linear:
 * evidence values and spans per finding, findings of one rule about single
 * events before the rest are summed up in one more finding. */
#define MAX_EVIDENCE 64
#define MAX_SPANS 200
#define MAX_PER_EVENT_FINDINGS 10

typedef struct rule_def rule_def;

typedef struct rule_ctx {
    rpp_analysis *a;
    const rule_def *def;
    const double *param;
    rpp_level level;
    /* findings collected so far (arena arrays, doubled when full) */
    rpp_finding *findings;
    size_t n, cap;
} rule_ctx;

typedef void (*check_fn)(rule_ctx *c);

struct rule_def {
    const char *id;
    rpp_level level;
    const char *symptom;
    const char *cause;
    size_t n_params;
    const char *param_names[MAX_PARAMS];
    double param_defaults[MAX_PARAMS];
    const char *param_help[MAX_PARAMS];
    check_fn check;
};

/* ---- building findings ------------------------------------------------- */

typedef struct fb {
    rule_ctx *c;
    rpp_finding *f;
    rpp_value *ev;
    size_t n_ev, cap_ev;
    rpp_span *sp;
    size_t n_sp, cap_sp;
} fb;

static void fb_begin(fb *b, rule_ctx *c, int phase, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fb_begin(fb *b, rule_ctx *c, int phase, const char *fmt, ...)
{
    rpp__buf buf = RPP__BUF_INIT;
    va_list ap;

    memset(b, 0, sizeof(*b));
    b->c = c;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        rpp_finding *nf = rpp__an_calloc(c->a, ncap, sizeof(*nf));
        if (!nf)
            return;
        if (c->n)
            memcpy(nf, c->findings, c->n * sizeof(*nf));
        c->findings = nf;
        c->cap = ncap;
    }
    b->f = &c->findings[c->n++];
    memset(b->f, 0, sizeof(*b->f));
    b->f->id = c->def->id;
    b->f->level = c->level;
    b->f->cause = c->def->cause;
    b->f->phase = phase;
    va_start(ap, fmt);
    rpp__buf_vprintf(&buf, fmt, ap);
    va_end(ap);
    if (buf.oom)
        c->a->mem->oom = true;
    b->f->message = rpp__an_strdup(c->a, buf.ptr ? buf.ptr : c->def->symptom);
    rpp__buf_free(&buf);
}

static rpp_value *fb_value(fb *b, const char *key)
{
    if (!b->f || b->n_ev >= MAX_EVIDENCE)
        return NULL;
    if (b->n_ev == b->cap_ev) {
        size_t ncap = b->cap_ev ? b->cap_ev * 2 : 8;
        rpp_value *nv = rpp__an_calloc(b->c->a, ncap, sizeof(*nv));
        if (!nv)
            return NULL;
        if (b->n_ev)
            memcpy(nv, b->ev, b->n_ev * sizeof(*nv));
        b->ev = nv;
        b->cap_ev = ncap;
    }
    b->ev[b->n_ev].key = key;
    b->f->evidence = b->ev;
    b->f->n_evidence = ++b->n_ev;
    return &b->ev[b->n_ev - 1];
}

static void fb_int(fb *b, const char *key, int64_t v)
{
    rpp_value *x = fb_value(b, key);
    if (x) {
        x->kind = RPP_VALUE_INT;
        x->i = v;
    }
}

/* Counts and times: saturated sums stay below 2^62 (internal.h), but a
 * value from elsewhere must not turn negative either. */
static void fb_uint(fb *b, const char *key, uint64_t v)
{
    fb_int(b, key, v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* A limit from the rules (a double) as a count of ms. */
static uint64_t ms_of(double v)
{
    if (!(v > 0))
        return 0;
    return v >= 9.2e18 ? (uint64_t)INT64_MAX : (uint64_t)v;
}

static void fb_num(fb *b, const char *key, double v)
{
    rpp_value *x = fb_value(b, key);
    if (x) {
        x->kind = RPP_VALUE_NUM;
        /* two decimals are plenty for every figure a finding carries */
        x->d = isfinite(v) ? round(v * 100) / 100 : 0;
    }
}

static void fb_str(fb *b, const char *key, const char *v)
{
    rpp_value *x = fb_value(b, key);
    if (x) {
        x->kind = RPP_VALUE_STR;
        x->s = rpp__an_strdup(b->c->a, v ? v : "");
    }
}

static void fb_bool(fb *b, const char *key, bool v)
{
    rpp_value *x = fb_value(b, key);
    if (x) {
        x->kind = RPP_VALUE_BOOL;
        x->i = v;
    }
}

static void fb_span(fb *b, uint64_t s, uint64_t e)
{
    if (!b->f || b->n_sp >= MAX_SPANS)
        return;
    if (b->n_sp == b->cap_sp) {
        size_t ncap = b->cap_sp ? b->cap_sp * 2 : 8;
        rpp_span *ns = rpp__an_calloc(b->c->a, ncap, sizeof(*ns));
        if (!ns)
            return;
        if (b->n_sp)
            memcpy(ns, b->sp, b->n_sp * sizeof(*ns));
        b->sp = ns;
        b->cap_sp = ncap;
    }
    b->sp[b->n_sp].start_ms = s;
    b->sp[b->n_sp].end_ms = e;
    b->f->spans = b->sp;
    b->f->n_spans = ++b->n_sp;
}

/* Rules with a finding per event: the first MAX_PER_EVENT_FINDINGS get one
 * each (*shown counts them); the others go into one more finding, *more,
 * begun at the first of them (*rest counts them), which collects their
 * spans here and gets its message at the end. Returns true when the event
 * went there. */
static bool into_rest(rule_ctx *c, size_t *shown, size_t *rest, fb *more,
                      uint64_t start, uint64_t end)
{
    if (*shown < MAX_PER_EVENT_FINDINGS) {
        (*shown)++;
        return false;
    }
    if (!(*rest)++)
        fb_begin(more, c, -1, "%s", "");
    fb_span(more, start, end);
    return true;
}

/* ---- shared helpers for checks ---------------------------------------- */

static double mbps(double kbps)
{
    return kbps / KBPS_PER_MBPS;
}

static const rpp_phase_stats *phase(rule_ctx *c, rpp_phase p)
{
    return &c->a->phases[p];
}

static bool usable(const rpp_phase_stats *s, double min_slices)
{
    return s->present && (double)s->n_slices >= min_slices && s->avg_kbps > 0;
}

static bool verdict(rule_ctx *c, rpp_bottleneck_kind k)
{
    return c->a->bottleneck.kind == k &&
           c->a->bottleneck.confidence >= RPP_CONFIDENCE_MEDIUM;
}

/* Download carries compressed bytes and, unless the network is the limit,
 * is paced by the stages after it; decompress is paced by the disk or the
 * network when either is the limit. Their variation then says nothing. */
static bool paced(rule_ctx *c, int p)
{
    if (p == RPP_PHASE_DOWNLOAD)
        return !verdict(c, RPP_BOTTLENECK_NETWORK);
    if (p == RPP_PHASE_DECOMPRESS)
        return verdict(c, RPP_BOTTLENECK_DISK) ||
               verdict(c, RPP_BOTTLENECK_NETWORK);
    return false;
}

static const rpp_event *ev(rule_ctx *c, size_t i)
{
    return &c->a->report->events[i];
}

static uint64_t ev_start(rule_ctx *c, size_t i)
{
    return c->a->event_times[i].start_ms;
}

static void fmt_duration(char *out, size_t n, double ms)
{
    if (ms < 1000)
        snprintf(out, n, "%.0f ms", ms);
    else if (ms < 120000)
        snprintf(out, n, "%.1f s", ms / 1000);
    else
        snprintf(out, n, "%.0f min %02.0f s", floor(ms / 60000),
                 fmod(ms / 1000, 60));
}

static void fmt_at(char *out, size_t n, uint64_t ms)
{
    snprintf(out, n, "%.1f s", (double)ms / 1000);
}

/* ---- checks ------------------------------------------------------------ */

static void check_slow_decompress(rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    fb b;

    if (!usable(de, c->param[2]) || !usable(wr, c->param[2]))
        return;
    if (verdict(c, RPP_BOTTLENECK_DISK) || verdict(c, RPP_BOTTLENECK_NETWORK))
        return;
    if (mbps(de->avg_kbps) >= c->param[0] ||
        de->avg_kbps >= c->param[1] * wr->avg_kbps)
        return;
    fb_begin(&b, c, RPP_PHASE_DECOMPRESS,
             "decompression averaged %.1f MB/s (below %.0f MB/s) while the "
             "write averaged %.1f MB/s",
             mbps(de->avg_kbps), c->param[0], mbps(wr->avg_kbps));
    fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    fb_str(&b, "bottleneck", rpp_bottleneck_name(c->a->bottleneck.kind));
    fb_span(&b, de->first_ms, de->last_ms);
}

/* A refused direct I/O sends writes through the page cache: worth saying
 * next to a slow write. */
static void direct_io_note(rule_ctx *c, fb *b)
{
    const rpp_report *r = c->a->report;
    size_t i;
    char err[96];

    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        if (e->type != RPP_EV_DIRECT_IO_ATTEMPT || e->success)
            continue;
        if (!e->metadata || !rpp_meta_get(e->metadata, "error", err, sizeof(err)))
            snprintf(err, sizeof(err), "unknown error");
        fb_str(b, "direct_io", rpp__an_printf(c->a, "not available (%s): writes "
                                               "went through the page cache",
                                         err));
        return;
    }
}

static void check_io_bound(rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    bool ratio, disk;
    fb b;

    if (!usable(wr, c->param[2]))
        return;
    ratio = usable(de, c->param[2]) &&
            de->avg_kbps >= c->param[0] * wr->avg_kbps;
    disk = verdict(c, RPP_BOTTLENECK_DISK);
    if (!(ratio || disk) || mbps(wr->avg_kbps) >= c->param[1])
        return;
    if (ratio)
        fb_begin(&b, c, RPP_PHASE_WRITE,
                 "decompression (%.1f MB/s) outpaced the write (%.1f MB/s): "
                 "the storage device limited the write",
                 mbps(de->avg_kbps), mbps(wr->avg_kbps));
    else
        fb_begin(&b, c, RPP_PHASE_WRITE,
                 "the write averaged %.1f MB/s and the pipeline data shows "
                 "the storage device as the limit",
                 mbps(wr->avg_kbps));
    fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    if (usable(de, 1))
        fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    fb_str(&b, "bottleneck", rpp_bottleneck_name(c->a->bottleneck.kind));
    fb_str(&b, "confidence",
           rpp_confidence_name(c->a->bottleneck.confidence));
    direct_io_note(c, &b);
    fb_span(&b, wr->first_ms, wr->last_ms);
}

static void check_cpu_bound(rule_ctx *c)
{
    const rpp_phase_stats *de = phase(c, RPP_PHASE_DECOMPRESS),
                          *wr = phase(c, RPP_PHASE_WRITE);
    bool ratio, cpu;
    fb b;

    ratio = usable(de, c->param[1]) && usable(wr, c->param[1]) &&
            wr->avg_kbps >= c->param[0] * de->avg_kbps;
    cpu = verdict(c, RPP_BOTTLENECK_CPU);
    if (!ratio && !cpu)
        return;
    if (ratio)
        fb_begin(&b, c, RPP_PHASE_DECOMPRESS,
                 "the write (%.1f MB/s) outpaced decompression (%.1f MB/s)",
                 mbps(wr->avg_kbps), mbps(de->avg_kbps));
    else
        fb_begin(&b, c, RPP_PHASE_DECOMPRESS,
                 "decompression limited the write%s",
                 wr->present ? "" : " (pipeline timing)");
    if (de->present)
        fb_num(&b, "decompress_avg_mbps", mbps(de->avg_kbps));
    if (wr->present)
        fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    fb_str(&b, "bottleneck", rpp_bottleneck_name(c->a->bottleneck.kind));
    fb_str(&b, "confidence",
           rpp_confidence_name(c->a->bottleneck.confidence));
    if (c->a->bottleneck.n_reasons)
        fb_str(&b, "pipeline", c->a->bottleneck.reasons[0]);
    if (de->present)
        fb_span(&b, de->first_ms, de->last_ms);
}

static void check_slow_card_write(rule_ctx *c)
{
    const rpp_phase_stats *wr = phase(c, RPP_PHASE_WRITE),
                          *ve = phase(c, RPP_PHASE_VERIFY);
    fb b;

    if (!usable(wr, 5) || !usable(ve, 5))
        return;
    if (ve->avg_kbps < c->param[0] * wr->avg_kbps ||
        mbps(wr->avg_kbps) >= c->param[1])
        return;
    if (verdict(c, RPP_BOTTLENECK_CPU) || verdict(c, RPP_BOTTLENECK_NETWORK))
        return;
    fb_begin(&b, c, RPP_PHASE_WRITE,
             "the card was written at %.1f MB/s but reads back at %.1f MB/s",
             mbps(wr->avg_kbps), mbps(ve->avg_kbps));
    fb_num(&b, "write_avg_mbps", mbps(wr->avg_kbps));
    fb_num(&b, "verify_avg_mbps", mbps(ve->avg_kbps));
    if (c->a->bottleneck.confidence < RPP_CONFIDENCE_MEDIUM &&
        !phase(c, RPP_PHASE_DECOMPRESS)->present)
        fb_str(&b, "note", "no decompress or pipeline data in this report: "
                           "slow decompression would look the same");
    fb_span(&b, wr->first_ms, wr->last_ms);
}

static void check_periodic_drops(rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        char iv[32];
        fb b;
        size_t i;
        double mean_iv;

        if (!s->present || (double)s->n_slices < c->param[0] || paced(c, p))
            continue;
        if ((double)s->n_drops < c->param[1] || s->drop_interval_cv > c->param[2])
            continue;
        mean_iv = s->n_drops > 1
                      ? (double)(s->drops[s->n_drops - 1].start_ms -
                                 s->drops[0].start_ms) /
                            (double)(s->n_drops - 1)
                      : 0;
        fmt_duration(iv, sizeof(iv), mean_iv);
        fb_begin(&b, c, p,
                 "%s throughput dropped below half its median %zu times, "
                 "about every %s",
                 rpp_phase_name((rpp_phase)p), s->n_drops, iv);
        fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        fb_uint(&b, "drops", s->n_drops);
        fb_num(&b, "interval_ms", mean_iv);
        fb_num(&b, "interval_cv", s->drop_interval_cv);
        fb_num(&b, "median_mbps", mbps(s->median_slice_kbps));
        for (i = 0; i < s->n_drops; i++)
            fb_span(&b, s->drops[i].start_ms, s->drops[i].end_ms);
    }
}

/* One finding per rule for events of a type longer than a limit. */
static void slow_events(rule_ctx *c, rpp_event_type type, double max_ms,
                        const char *what)
{
    const rpp_report *r = c->a->report;
    size_t i, n = 0;
    uint64_t longest = 0, total = 0;
    fb b;
    char d[32], lim[32];

    for (i = 0; i < r->n_events; i++) {
        if (ev(c, i)->type != type || (double)ev(c, i)->duration_ms <= max_ms)
            continue;
        n++;
        total = rpp_sat_add(total, ev(c, i)->duration_ms);
        if (ev(c, i)->duration_ms > longest)
            longest = ev(c, i)->duration_ms;
    }
    if (!n)
        return;
    fmt_duration(d, sizeof(d), (double)longest);
    fmt_duration(lim, sizeof(lim), max_ms);
    if (n == 1)
        fb_begin(&b, c, -1, "%s took %s (expected under %s)", what, d, lim);
    else
        fb_begin(&b, c, -1, "%s took up to %s, %zu times over %s", what, d,
                 n, lim);
    fb_str(&b, "event", rpp_event_type_name(type));
    fb_uint(&b, "duration_ms", longest);
    fb_uint(&b, "limit_ms", ms_of(max_ms));
    if (n > 1) {
        fb_uint(&b, "count", n);
        fb_uint(&b, "total_ms", total);
    }
    for (i = 0; i < r->n_events; i++) {
        if (ev(c, i)->type != type || (double)ev(c, i)->duration_ms <= max_ms)
            continue;
        if (n == 1 && ev(c, i)->metadata)
            fb_str(&b, "metadata", ev(c, i)->metadata);
        if (n == 1) {
            char at[32];
            fmt_at(at, sizeof(at), ev_start(c, i));
            fb_str(&b, "at", at);
        }
        fb_span(&b, ev_start(c, i), ev_start(c, i) + ev(c, i)->duration_ms);
    }
}

static void check_slow_drive_open(rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_OPEN, c->param[0], "opening the drive");
}

static void check_slow_unmount_volumes(rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_UNMOUNT_VOLUMES, c->param[0],
                "unmounting the volumes");
}

static void check_slow_disk_clean(rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_DISK_CLEAN, c->param[0], "cleaning the disk");
}

static void check_slow_customisation(rule_ctx *c)
{
    slow_events(c, RPP_EV_CUSTOMISATION, c->param[0], "customisation");
}

static void check_slow_final_sync(rule_ctx *c)
{
    slow_events(c, RPP_EV_FINAL_SYNC, c->param[0], "the final sync");
}

static void stalls(rule_ctx *c, const char *kind)
{
    const rpp_report *r = c->a->report;
    size_t i, n = 0, n_long = 0;
    uint64_t total = 0, longest = 0, longest_at = 0;
    char buffer[64] = "", d[32];
    fb b;

    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        if (e->type != RPP_EV_RING_BUFFER_STARVATION || !e->metadata ||
            !strstr(e->metadata, kind))
            continue;
        n++;
        total = rpp_sat_add(total, e->duration_ms);
        if ((double)e->duration_ms >= c->param[0])
            n_long++;
        if (e->duration_ms > longest) {
            longest = e->duration_ms;
            longest_at = ev_start(c, i);
            if (!rpp_meta_get(e->metadata, "buffer", buffer, sizeof(buffer)))
                buffer[0] = '\0';
        }
    }
    if (!n_long)
        return;
    fmt_duration(d, sizeof(d), (double)longest);
    fb_begin(&b, c, -1, "%zu ring buffer %s%s, %zu of them %.0f ms or "
                        "longer (longest %s)",
             n, kind, n == 1 ? "" : "s", n_long, c->param[0], d);
    fb_uint(&b, "count", n);
    fb_uint(&b, "long_count", n_long);
    fb_uint(&b, "total_ms", total);
    fb_uint(&b, "longest_ms", longest);
    fb_uint(&b, "longest_at_ms", longest_at);
    if (buffer[0])
        fb_str(&b, "buffer", buffer);
    /* which buffer says what waited for what */
    if (!b.f)
        return;
    if (strcmp(kind, "consumer_stall") == 0 && strcmp(buffer, "write") == 0)
        b.f->cause = "decompression slower than the writer: the write ring "
                     "buffer ran empty";
    else if (strcmp(kind, "producer_stall") == 0 &&
             strcmp(buffer, "input") == 0)
        b.f->cause = "decompression slower than the download: the input "
                     "ring buffer was full";
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        if (e->type == RPP_EV_RING_BUFFER_STARVATION && e->metadata &&
            strstr(e->metadata, kind) && (double)e->duration_ms >= c->param[0])
            fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
}

static void check_producer_stall(rule_ctx *c)
{
    stalls(c, "producer_stall");
}

static void check_consumer_stall(rule_ctx *c)
{
    stalls(c, "consumer_stall");
}

/* Gaps are looked for within each cycle: the timeline puts cycles end to
 * end, and the space between two cycles is not a stall. */
static void check_throughput_gap(rule_ctx *c)
{
    const rpp_report *r = c->a->report;
    double limit = c->param[0] * (double)r->window_ms;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *h = &r->histograms[p];
        const uint64_t *t = c->a->slice_times[p];
        size_t i, k, n = 0, ranges = c->a->n_cycles ? c->a->n_cycles : 1;
        uint64_t longest = 0, longest_at = 0;
        fb b;
        bool started = false;

        if (!h->n_slices || !t)
            continue;
        for (k = 0; k < ranges; k++) {
            size_t lo = c->a->n_cycles ? c->a->cycles[k].slice_begin[p] : 0;
            size_t hi = c->a->n_cycles ? c->a->cycles[k].slice_end[p]
                                       : h->n_slices;
            for (i = lo + 1; i < hi; i++) {
                uint64_t prev_end, gap;
                if (h->slices[i].t_ms <= h->slices[i - 1].t_ms ||
                    (double)(h->slices[i].t_ms - h->slices[i - 1].t_ms) <=
                        limit)
                    continue;
                prev_end = t[i - 1] + r->window_ms;
                gap = t[i] > prev_end ? t[i] - prev_end : 0;
                if (!started) {
                    fb_begin(&b, c, p, "%s", "");
                    started = true;
                }
                n++;
                if (gap > longest) {
                    longest = gap;
                    longest_at = prev_end;
                }
                fb_span(&b, prev_end, t[i]);
            }
        }
        if (started && b.f) {
            char d[32], at[32];
            fmt_duration(d, sizeof(d), (double)longest);
            fmt_at(at, sizeof(at), longest_at);
            b.f->message = rpp__an_printf(
                c->a, "%s: %zu gap%s with no progress recorded, the longest "
                      "%s at %s",
                rpp_phase_name((rpp_phase)p), n, n == 1 ? "" : "s", d, at);
            fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
            fb_uint(&b, "gaps", n);
            fb_uint(&b, "longest_ms", longest);
            fb_uint(&b, "longest_at_ms", longest_at);
        }
    }
}

static void check_high_variance(rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        fb b;

        if (!s->present || (double)s->n_slices < c->param[0] || paced(c, p) ||
            s->cv <= c->param[1])
            continue;
        fb_begin(&b, c, p,
                 "%s throughput varied widely: coefficient of variation %.2f "
                 "(average %.1f MB/s, slices from %.1f to %.1f MB/s)",
                 rpp_phase_name((rpp_phase)p), s->cv, mbps(s->avg_kbps),
                 mbps(s->min_kbps), mbps(s->max_kbps));
        fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        fb_num(&b, "cv", s->cv);
        fb_num(&b, "avg_mbps", mbps(s->avg_kbps));
        fb_uint(&b, "slices", s->n_slices);
        fb_span(&b, s->first_ms, s->last_ms);
    }
}

static void check_low_throughput_samples(rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        fb b;
        size_t i;

        if (!s->present || !s->samples || paced(c, p) ||
            s->low_share < c->param[0])
            continue;
        fb_begin(&b, c, p,
                 "%.0f %% of the %s samples were below 2 MB/s",
                 100 * s->low_share, rpp_phase_name((rpp_phase)p));
        fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        fb_num(&b, "share", s->low_share);
        fb_uint(&b, "samples", s->samples);
        fb_uint(&b, "low_samples", rpp_sat_add(s->buckets[0], s->buckets[1]));
        for (i = 0; i < s->n_stalls; i++)
            fb_span(&b, s->stalls[i].start_ms, s->stalls[i].end_ms);
    }
}

static void check_long_event(rule_ctx *c)
{
    const rpp_report *r = c->a->report;
    size_t i, shown = 0, rest = 0;
    fb more;

    more.f = NULL;
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        double limit = (double)rpp_event_type_expected_max_ms(e->type) *
                       c->param[0];
        char d[32], lim[32], at[32];
        fb b;

        if (limit <= 0 || (double)e->duration_ms <= limit)
            continue;
        if (into_rest(c, &shown, &rest, &more, ev_start(c, i),
                      ev_start(c, i) + e->duration_ms))
            continue;
        fmt_duration(d, sizeof(d), (double)e->duration_ms);
        fmt_duration(lim, sizeof(lim), limit);
        fmt_at(at, sizeof(at), ev_start(c, i));
        fb_begin(&b, c, -1, "%s took %s (expected under %s) at %s",
                 e->type_name, d, lim, at);
        fb_str(&b, "event", e->type_name);
        fb_uint(&b, "index", i);
        fb_uint(&b, "duration_ms", e->duration_ms);
        fb_uint(&b, "limit_ms", ms_of(limit));
        fb_uint(&b, "at_ms", ev_start(c, i));
        if (e->metadata)
            fb_str(&b, "metadata", e->metadata);
        fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%zu more events took longer than "
                                          "expected",
                                    rest);
        fb_uint(&more, "count", rest);
    }
}

static void check_failed_event(rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    size_t k, shown = 0, rest = 0;
    fb more;
    rpp__buf names = RPP__BUF_INIT;

    more.f = NULL;
    for (k = 0; k < a->n_failed; k++) {
        size_t i = a->failed[k];
        const rpp_event *e = ev(c, i);
        char at[32];
        fb b;

        /* a failed cycle is the session rule's; a refused direct I/O is a
         * fallback the writer handles, shown as context */
        if (e->type == RPP_EV_CYCLE_END || e->type == RPP_EV_DIRECT_IO_ATTEMPT)
            continue;
        if (into_rest(c, &shown, &rest, &more, ev_start(c, i),
                      ev_start(c, i) + e->duration_ms)) {
            if (names.len < 200 && !strstr(names.ptr ? names.ptr : "",
                                           e->type_name)) {
                if (names.len)
                    rpp__buf_puts(&names, ", ");
                rpp__buf_puts(&names, e->type_name);
            }
            continue;
        }
        fmt_at(at, sizeof(at), ev_start(c, i));
        fb_begin(&b, c, -1, "%s failed at %s%s%s", e->type_name, at,
                 e->metadata ? ": " : "", e->metadata ? e->metadata : "");
        if (b.f)
            b.f->cause = rpp__an_printf(c->a, "%s",
                                   e->metadata ? e->metadata
                                               : "no details given");
        fb_str(&b, "event", e->type_name);
        fb_uint(&b, "index", i);
        fb_uint(&b, "at_ms", ev_start(c, i));
        fb_uint(&b, "duration_ms", e->duration_ms);
        if (e->metadata)
            fb_str(&b, "metadata", e->metadata);
        fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%zu more events failed (%s)", rest,
                                    names.ptr ? names.ptr : "");
        fb_uint(&more, "count", rest);
    }
    if (names.oom)
        c->a->mem->oom = true;
    rpp__buf_free(&names);
}

static void session_end(rule_ctx *c, rpp_session_state want, const char *what)
{
    const rpp_analysis *a = c->a;
    const char *msg = a->report->summary.error_message;
    size_t k, n = 0;
    fb b;

    /* several cycles: each one that ended this way (the first few; the
     * rest in one more finding) */
    if (a->cycles_from_events && a->n_cycles > 1) {
        fb more;
        size_t rest = 0;

        more.f = NULL;
        for (k = 0; k < a->n_cycles; k++) {
            const rpp_cycle *cy = &a->cycles[k];
            if (cy->state != want)
                continue;
            if (into_rest(c, &n, &rest, &more, cy->offset_ms,
                          cy->offset_ms + cy->duration_ms))
                continue;
            fb_begin(&b, c, -1, "imaging cycle %zu %s%s%s", k + 1, what,
                     cy->end_message && *cy->end_message ? ": " : "",
                     cy->end_message ? cy->end_message : "");
            if (b.f)
                b.f->cause = rpp__an_printf(c->a, "%s",
                                       cy->end_message && *cy->end_message
                                           ? cy->end_message
                                           : "no message");
            fb_uint(&b, "cycle", k + 1);
            if (cy->end_message)
                fb_str(&b, "message", cy->end_message);
            fb_span(&b, cy->offset_ms, cy->offset_ms + cy->duration_ms);
        }
        if (rest && more.f) {
            more.f->message = rpp__an_printf(c->a, "%zu more imaging cycles %s",
                                        rest, want == RPP_STATE_FAILED
                                                  ? "failed"
                                                  : "were cancelled");
            fb_uint(&more, "count", rest);
        }
        return;
    }
    if (a->session.state != want)
        return;
    fb_begin(&b, c, -1, "the write %s%s%s", what, msg && *msg ? ": " : "",
             msg ? msg : "");
    if (want == RPP_STATE_FAILED && b.f)
        b.f->cause = rpp__an_printf(c->a, "%s", msg && *msg ? msg
                                                       : "no error message");
    if (msg)
        fb_str(&b, "error_message", msg);
    fb_bool(&b, "inferred", a->session.state_inferred);
    if (a->n_cycles)
        fb_span(&b, a->cycles[a->n_cycles - 1].offset_ms,
                a->cycles[a->n_cycles - 1].offset_ms +
                    a->cycles[a->n_cycles - 1].duration_ms);
    (void)n;
}

static void check_session_failed(rule_ctx *c)
{
    session_end(c, RPP_STATE_FAILED, "failed");
}

static void check_session_cancelled(rule_ctx *c)
{
    session_end(c, RPP_STATE_CANCELLED, "was cancelled");
}

static void check_never_started(rule_ctx *c)
{
    fb b;

    if (c->a->session.state != RPP_STATE_NEVER_STARTED)
        return;
    fb_begin(&b, c, -1,
             "no write was captured: only %zu background event%s",
             c->a->report->n_events, c->a->report->n_events == 1 ? "" : "s");
    fb_uint(&b, "events", c->a->report->n_events);
    fb_str(&b, "how_to_capture", c->a->session.note);
}

static void check_summary_mismatch(rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    size_t k;
    fb b;
    rpp__buf names = RPP__BUF_INIT;

    if (!a->n_mismatches)
        return;
    for (k = 0; k < a->n_mismatches && k < 8; k++) {
        if (k)
            rpp__buf_puts(&names, ", ");
        rpp__buf_puts(&names, a->mismatches[k].name);
    }
    if (a->n_mismatches > 8)
        rpp__buf_printf(&names, " and %zu more", a->n_mismatches - 8);
    fb_begin(&b, c, -1,
             "summary.events disagrees with the events array for %zu type%s: "
             "%s",
             a->n_mismatches, a->n_mismatches == 1 ? "" : "s",
             names.ptr ? names.ptr : "");
    if (names.oom)
        c->a->mem->oom = true;
    rpp__buf_free(&names);
    for (k = 0; k < a->n_mismatches && k < 16; k++) {
        const rpp_mismatch *m = &a->mismatches[k];
        char *v = rpp__an_printf(c->a,
                            "summary: %llu events, %llu ms; events array: "
                            "%llu events, %llu ms",
                            (unsigned long long)m->summary_count,
                            (unsigned long long)m->summary_total_ms,
                            (unsigned long long)m->events_count,
                            (unsigned long long)m->events_total_ms);
        fb_str(&b, rpp__an_printf(c->a, "%s", m->name), v);
    }
}

/* Two hashes in one metadata string that should be equal. */
static void hash_pair(rule_ctx *c, rpp_event_type type, const char *k1,
                      const char *k2, const char *what)
{
    const rpp_report *r = c->a->report;
    size_t i, shown = 0, rest = 0;
    fb more;

    more.f = NULL;
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        char h1[160], h2[160], at[32];
        fb b;

        if (e->type != type || !e->metadata ||
            !rpp_meta_get(e->metadata, k1, h1, sizeof(h1)) ||
            !rpp_meta_get(e->metadata, k2, h2, sizeof(h2)))
            continue;
        if (strcmp(h1, h2) == 0)
            continue;
        if (into_rest(c, &shown, &rest, &more, ev_start(c, i),
                      ev_start(c, i) + e->duration_ms))
            continue;
        fmt_at(at, sizeof(at), ev_start(c, i));
        fb_begin(&b, c, -1, "%s at %s: %s %s differs from %s %s", what, at,
                 k1, h1, k2, h2);
        fb_str(&b, k1, h1);
        fb_str(&b, k2, h2);
        fb_uint(&b, "index", i);
        fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%s: %zu more", what, rest);
        fb_uint(&more, "count", rest);
    }
}

static void check_verify_mismatch(rule_ctx *c)
{
    hash_pair(c, RPP_EV_HASH_COMPUTATION, "writeHash", "verifyHash",
              "verification failed");
}

static void check_cache_corrupt(rule_ctx *c)
{
    hash_pair(c, RPP_EV_CACHE_VERIFICATION, "expectedHash", "computedHash",
              "the cached image is corrupt");
}

static void events_of(rule_ctx *c, const rpp_event_type *types, size_t nt,
                      const char *what)
{
    const rpp_analysis *a = c->a;
    const rpp_report *r = a->report;
    size_t i, j, n = 0;
    rpp__buf list = RPP__BUF_INIT;
    fb b;

    for (i = 0; i < r->n_events; i++)
        for (j = 0; j < nt; j++)
            if (ev(c, i)->type == types[j])
                n++;
    if (!n)
        return;
    fb_begin(&b, c, -1, "%s", "");
    /* in timeline order, for the recovery story */
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        char at[32];
        for (j = 0; j < nt; j++)
            if (e->type == types[j])
                break;
        if (j == nt)
            continue;
        fmt_at(at, sizeof(at), ev_start(c, i));
        if (list.len < 400) {
            if (list.len)
                rpp__buf_puts(&list, "; ");
            rpp__buf_printf(&list, "%s at %s", e->type_name, at);
            if (e->metadata && *e->metadata)
                rpp__buf_printf(&list, " (%s)", e->metadata);
        }
        /* (only while there is room: the copies would pile up) */
        if (b.n_ev < MAX_EVIDENCE)
            fb_str(&b, rpp__an_printf(c->a, "event_%zu", (size_t)b.n_ev + 1),
                   rpp__an_printf(c->a, "%s at %s%s%s", e->type_name, at,
                             e->metadata && *e->metadata ? ": " : "",
                             e->metadata ? e->metadata : ""));
        fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (b.f)
        b.f->message = rpp__an_printf(c->a, "%s: %s%s", what,
                                 list.ptr ? list.ptr : "",
                                 list.len >= 400 ? " ..." : "");
    if (list.oom)
        c->a->mem->oom = true;
    rpp__buf_free(&list);
}

static void check_device_io_timeout(rule_ctx *c)
{
    static const rpp_event_type t[] = { RPP_EV_DEVICE_IO_TIMEOUT };
    events_of(c, t, 1, "the device did not complete writes in time");
}

static void check_write_recovery(rule_ctx *c)
{
    static const rpp_event_type t[] = {
        RPP_EV_PROGRESS_STALL, RPP_EV_QUEUE_DEPTH_REDUCTION,
        RPP_EV_SYNC_FALLBACK_ACTIVATED, RPP_EV_DRAIN_AND_HOT_SWAP,
        RPP_EV_WATCHDOG_RECOVERY
    };
    events_of(c, t, sizeof(t) / sizeof(t[0]),
              "the writer had to recover from a slow device");
}

static void check_memory_allocation_failure(rule_ctx *c)
{
    static const rpp_event_type t[] = { RPP_EV_MEMORY_ALLOCATION_FAILURE };
    events_of(c, t, 1, "buffer memory could not be allocated");
}

static void check_capture_truncated(rule_ctx *c)
{
    const rpp_summary *s = &c->a->report->summary;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_summary *ps = &s->phases[p];
        const rpp_phase_stats *st = phase(c, (rpp_phase)p);
        fb b;

        if (!(ps->fields & RPP_PH_SAMPLE_COUNT) ||
            (double)ps->sample_count < c->param[0])
            continue;
        fb_begin(&b, c, p,
                 "%s reached the writer's limit of %.0f samples: its data "
                 "ends after %.0f s",
                 rpp_phase_name((rpp_phase)p), c->param[0],
                 st->present ? (double)st->active_ms / 1000 : 0.0);
        fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        fb_uint(&b, "sample_count", ps->sample_count);
        if (st->present) {
            fb_uint(&b, "data_ends_at_ms", st->last_ms);
            fb_span(&b, st->last_ms, st->last_ms);
        }
    }
}

/* Throughput bars a test rig sets, e.g. write.min_avg_mbps = 35. */
static void phase_bar(rule_ctx *c, rpp_phase p)
{
    const rpp_phase_stats *s = phase(c, p);
    double avg, p5;
    fb b;

    if (!s->present)
        return;
    avg = mbps(s->avg_kbps);
    p5 = mbps(s->p5_kbps);
    if (c->param[0] > 0 && avg < c->param[0]) {
        fb_begin(&b, c, p, "%s averaged %.1f MB/s, below the required %.1f "
                           "MB/s",
                 rpp_phase_name(p), avg, c->param[0]);
        fb_num(&b, "avg_mbps", avg);
        fb_num(&b, "min_avg_mbps", c->param[0]);
        fb_span(&b, s->first_ms, s->last_ms);
    }
    if (c->param[1] > 0 && avg > c->param[1]) {
        fb_begin(&b, c, p, "%s averaged %.1f MB/s, above the allowed %.1f "
                           "MB/s",
                 rpp_phase_name(p), avg, c->param[1]);
        fb_num(&b, "avg_mbps", avg);
        fb_num(&b, "max_avg_mbps", c->param[1]);
        fb_span(&b, s->first_ms, s->last_ms);
    }
    if (c->param[2] > 0 && p5 < c->param[2]) {
        fb_begin(&b, c, p, "%s 5th percentile %.1f MB/s, below the required "
                           "%.1f MB/s",
                 rpp_phase_name(p), p5, c->param[2]);
        fb_num(&b, "p5_mbps", p5);
        fb_num(&b, "min_p5_mbps", c->param[2]);
        fb_span(&b, s->first_ms, s->last_ms);
    }
}

static void check_download_bar(rule_ctx *c) { phase_bar(c, RPP_PHASE_DOWNLOAD); }
static void check_decompress_bar(rule_ctx *c) { phase_bar(c, RPP_PHASE_DECOMPRESS); }
static void check_write_bar(rule_ctx *c) { phase_bar(c, RPP_PHASE_WRITE); }
static void check_verify_bar(rule_ctx *c) { phase_bar(c, RPP_PHASE_VERIFY); }

/* ---- the table --------------------------------------------------------- */

#define P0 0, { NULL }, { 0 }, { NULL }
#define MAXMS(v) 1, { "max_ms" }, { v }, { "longest acceptable duration" }
#define BAR                                                                  \
    3, { "min_avg_mbps", "max_avg_mbps", "min_p5_mbps" }, { 0, 0, 0 },       \
        { "lowest acceptable average (0 = no bar)",                          \
          "highest acceptable average (0 = no bar)",                         \
          "lowest acceptable 5th percentile (0 = no bar)" }

static const rule_def rule_table[] = {
    { "slow-decompress", RPP_LEVEL_WARNING, "Low decompress throughput",
      "single-threaded decompression (gzip/zstd) or a slow CPU",
      3, { "max_mbps", "ratio", "min_slices" }, { 25, 1.25, 5 },
      { "decompress average below this fires",
        "and below this times the write average",
        "slices both phases need" },
      check_slow_decompress },
    { "io-bound", RPP_LEVEL_WARNING, "Decompress faster than write",
      "I/O-bound: the SD card or USB device is the bottleneck",
      3, { "ratio", "max_write_mbps", "min_slices" }, { 1.25, 20, 5 },
      { "decompress average at least this times the write average",
        "only when the write averaged below this",
        "slices both phases need" },
      check_io_bound },
    { "cpu-bound", RPP_LEVEL_WARNING, "Write faster than decompress",
      "CPU-bound: consider images with faster compression",
      2, { "ratio", "min_slices" }, { 1.25, 5 },
      { "write average at least this times the decompress average",
        "slices both phases need" },
      check_cpu_bound },
    { "slow-card-write", RPP_LEVEL_WARNING,
      "Low write throughput, high verify throughput",
      "slow SD card write speed",
      2, { "ratio", "max_write_mbps" }, { 2, 20 },
      { "verify average at least this times the write average",
        "and the write averaged below this" },
      check_slow_card_write },
    { "periodic-drops", RPP_LEVEL_WARNING, "Periodic throughput drops",
      "USB hub or driver issues",
      3, { "min_slices", "min_drops", "max_interval_cv" }, { 20, 3, 0.35 },
      { "slices the phase needs",
        "drops (runs below half the median) needed",
        "highest coefficient of variation of the drop intervals" },
      check_periodic_drops },
    { "slow-drive-open", RPP_LEVEL_WARNING, "Long driveOpen time",
      "drive enumeration problems", MAXMS(5000), check_slow_drive_open },
    { "slow-unmount-volumes", RPP_LEVEL_WARNING,
      "Long driveUnmountVolumes time (Windows)",
      "a volume is in use by another application", MAXMS(5000),
      check_slow_unmount_volumes },
    { "slow-disk-clean", RPP_LEVEL_WARNING,
      "Long driveDiskClean time (Windows)",
      "the disk is locked or being scanned by antivirus software",
      MAXMS(10000), check_slow_disk_clean },
    { "slow-customisation", RPP_LEVEL_WARNING, "Long customisation time",
      "complex customisation or slow FAT operations", MAXMS(30000),
      check_slow_customisation },
    { "slow-final-sync", RPP_LEVEL_WARNING, "Long finalSync time",
      "a large page cache or a slow drive flush", MAXMS(10000),
      check_slow_final_sync },
    { "producer-stall", RPP_LEVEL_WARNING,
      "ringBufferStarvation with producer_stall",
      "disk or decompression slower than the download: the ring buffer "
      "was full",
      1, { "min_ms" }, { 1000 },
      { "a stall at least this long fires (short ones are normal)" },
      check_producer_stall },
    { "consumer-stall", RPP_LEVEL_WARNING,
      "ringBufferStarvation with consumer_stall",
      "network slower than processing: the ring buffer was empty",
      1, { "min_ms" }, { 1000 },
      { "a stall at least this long fires (short ones are normal)" },
      check_consumer_stall },
    { "throughput-gap", RPP_LEVEL_WARNING, "Large gaps in histogram data",
      "a stall: no progress was recorded",
      1, { "windows" }, { 2 },
      { "consecutive slices more than this many windows apart" },
      check_throughput_gap },
    { "high-variance", RPP_LEVEL_WARNING, "High variance in throughput",
      "unstable throughput",
      2, { "min_slices", "max_cv" }, { 10, 0.5 },
      { "slices the phase needs",
        "highest acceptable coefficient of variation of slice averages" },
      check_high_variance },
    { "low-throughput-samples", RPP_LEVEL_WARNING,
      "Many samples in the lowest throughput buckets",
      "the device or link repeatedly crawled below 2 MB/s",
      1, { "min_share" }, { 0.10 },
      { "share of samples below 2 MB/s that fires" },
      check_low_throughput_samples },
    { "long-event", RPP_LEVEL_WARNING, "Unexpectedly long event durations",
      "an operation took far longer than usual",
      1, { "factor" }, { 1 },
      { "multiplier on each type's expected maximum (see README)" },
      check_long_event },
    { "failed-event", RPP_LEVEL_ERROR, "An operation failed",
      "see the event's metadata", P0, check_failed_event },
    { "session-failed", RPP_LEVEL_ERROR, "The write failed",
      "see the error message", P0, check_session_failed },
    { "session-cancelled", RPP_LEVEL_INFO, "The write was cancelled",
      "cancelled by the user or the device was removed", P0,
      check_session_cancelled },
    { "never-started", RPP_LEVEL_INFO, "No imaging session in the capture",
      "the report was exported before or without a write", P0,
      check_never_started },
    { "summary-mismatch", RPP_LEVEL_WARNING,
      "summary.events disagrees with the events",
      "an edited or corrupted report", P0, check_summary_mismatch },
    { "verify-mismatch", RPP_LEVEL_ERROR,
      "Verification hash differs from the written hash",
      "what was read back differs from what was written: a failing card, "
      "reader or hub",
      P0, check_verify_mismatch },
    { "cache-corrupt", RPP_LEVEL_WARNING, "Cached image hash mismatch",
      "the cached download is corrupt and will be fetched again", P0,
      check_cache_corrupt },
    { "device-io-timeout", RPP_LEVEL_ERROR, "Device I/O timeout",
      "the device or OS did not complete writes in time", P0,
      check_device_io_timeout },
    { "write-recovery", RPP_LEVEL_WARNING, "Write recovery actions",
      "the device responded slowly and the writer had to adapt", P0,
      check_write_recovery },
    { "memory-allocation-failure", RPP_LEVEL_ERROR,
      "Memory allocation failure",
      "not enough memory for the write buffers", P0,
      check_memory_allocation_failure },
    { "capture-truncated", RPP_LEVEL_INFO,
      "A phase reached the 6000-sample cap",
      "the rest of that phase was not recorded; its statistics cover only "
      "the start",
      1, { "samples" }, { RPP_SAMPLE_CAP },
      { "sample count that means the writer's cap was reached" },
      check_capture_truncated },
    { "download", RPP_LEVEL_ERROR, "Download throughput outside the bars",
      "a regression of the network or the download path", BAR,
      check_download_bar },
    { "decompress", RPP_LEVEL_ERROR,
      "Decompress throughput outside the bars",
      "a regression of decompression (CPU or image compression)", BAR,
      check_decompress_bar },
    { "write", RPP_LEVEL_ERROR, "Write throughput outside the bars",
      "a regression of the card, reader or write path", BAR,
      check_write_bar },
    { "verify", RPP_LEVEL_ERROR, "Verify throughput outside the bars",
      "a regression of the card's read speed or the reader", BAR,
      check_verify_bar },
};

#define N_RULES (sizeof(rule_table) / sizeof(rule_table[0]))

/* ---- configuration ----------------------------------------------------- */

struct rpp_rules {
    rpp_level level[N_RULES];
    double param[N_RULES][MAX_PARAMS];
};

const char *rpp_level_name(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_OFF: return "off";
    case RPP_LEVEL_INFO: return "info";
    case RPP_LEVEL_WARNING: return "warning";
    case RPP_LEVEL_ERROR: return "error";
    }
    return "off";
}

bool rpp_level_parse(const char *s, rpp_level *out)
{
    static const rpp_level all[] = { RPP_LEVEL_OFF, RPP_LEVEL_INFO,
                                     RPP_LEVEL_WARNING, RPP_LEVEL_ERROR };
    size_t i;

    for (i = 0; s && i < 4; i++)
        if (strcmp(s, rpp_level_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

static void defaults(rpp_rules *r)
{
    size_t i, k;

    for (i = 0; i < N_RULES; i++) {
        r->level[i] = rule_table[i].level;
        for (k = 0; k < MAX_PARAMS; k++)
            r->param[i][k] = rule_table[i].param_defaults[k];
    }
}

int rpp_rules_new(rpp_rules **out)
{
    rpp_rules *r;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    r = calloc(1, sizeof(*r));
    if (!r)
        return RPP_ERR_NOMEM;
    defaults(r);
    *out = r;
    return RPP_OK;
}

void rpp_rules_free(rpp_rules *rules)
{
    free(rules);
}

bool rpp_rule_get(size_t index, rpp_rule_info *out)
{
    const rule_def *d;

    if (index >= N_RULES || !out)
        return false;
    d = &rule_table[index];
    out->id = d->id;
    out->default_level = d->level;
    out->symptom = d->symptom;
    out->cause = d->cause;
    out->n_params = d->n_params;
    out->param_names = d->param_names;
    out->param_defaults = d->param_defaults;
    out->param_help = d->param_help;
    return true;
}

static void set_err(rpp_error *err, int code, unsigned line, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void set_err(rpp_error *err, int code, unsigned line, const char *fmt,
                    ...)
{
    va_list ap;

    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->code = code;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

/* Applies "RULE.PARAM = VALUE" or "RULE = LEVEL" given as a trimmed,
 * NUL-terminated copy; line is for messages (0 = not from a file). */
static int apply(rpp_rules *rules, char *s, unsigned line, rpp_error *err)
{
    char *eq = strchr(s, '='), *lhs, *rhs, *dot, *end;
    size_t i, k, n;
    double v;

    if (!eq) {
        set_err(err, RPP_ERR_ARG, line,
                "expected RULE.PARAM = VALUE or RULE = off|info|warning|error");
        return RPP_ERR_ARG;
    }
    *eq = '\0';
    lhs = s;
    rhs = eq + 1;
    while (*lhs == ' ' || *lhs == '\t')
        lhs++;
    n = strlen(lhs);
    while (n && (lhs[n - 1] == ' ' || lhs[n - 1] == '\t'))
        lhs[--n] = '\0';
    while (*rhs == ' ' || *rhs == '\t')
        rhs++;
    n = strlen(rhs);
    while (n && (rhs[n - 1] == ' ' || rhs[n - 1] == '\t' || rhs[n - 1] == '\r'))
        rhs[--n] = '\0';
    dot = strchr(lhs, '.');
    if (dot)
        *dot = '\0';
    for (i = 0; i < N_RULES; i++)
        if (strcmp(rule_table[i].id, lhs) == 0)
            break;
    if (i == N_RULES) {
        set_err(err, RPP_ERR_NOT_FOUND, line, "unknown rule \"%.60s\"", lhs);
        return RPP_ERR_NOT_FOUND;
    }
    if (!dot) {
        rpp_level l;
        if (!rpp_level_parse(rhs, &l)) {
            set_err(err, RPP_ERR_ARG, line,
                    "%s: expected off, info, warning or error, got \"%.40s\"",
                    rule_table[i].id, rhs);
            return RPP_ERR_ARG;
        }
        rules->level[i] = l;
        return RPP_OK;
    }
    for (k = 0; k < rule_table[i].n_params; k++)
        if (strcmp(rule_table[i].param_names[k], dot + 1) == 0)
            break;
    if (k == rule_table[i].n_params) {
        if (rule_table[i].n_params == 0)
            set_err(err, RPP_ERR_NOT_FOUND, line,
                    "rule %s has no parameters", rule_table[i].id);
        else
            set_err(err, RPP_ERR_NOT_FOUND, line,
                    "rule %s has no parameter \"%.40s\" (it has: %s%s%s%s%s)",
                    rule_table[i].id, dot + 1, rule_table[i].param_names[0],
                    rule_table[i].n_params > 1 ? ", " : "",
                    rule_table[i].n_params > 1 ? rule_table[i].param_names[1]
                                               : "",
                    rule_table[i].n_params > 2 ? ", " : "",
                    rule_table[i].n_params > 2 ? rule_table[i].param_names[2]
                                               : "");
        return RPP_ERR_NOT_FOUND;
    }
    v = strtod(rhs, &end);
    if (!*rhs || *end || !isfinite(v) || v < 0) {
        set_err(err, RPP_ERR_ARG, line,
                "%s.%s: expected a non-negative number, got \"%.40s\"",
                rule_table[i].id, rule_table[i].param_names[k], rhs);
        return RPP_ERR_ARG;
    }
    rules->param[i][k] = v;
    return RPP_OK;
}

int rpp_rules_set(rpp_rules *rules, const char *assignment, rpp_error *err)
{
    char *copy;
    int st;

    if (!rules || !assignment) {
        set_err(err, RPP_ERR_ARG, 0, "no assignment");
        return RPP_ERR_ARG;
    }
    copy = strdup(assignment);
    if (!copy) {
        set_err(err, RPP_ERR_NOMEM, 0, "out of memory");
        return RPP_ERR_NOMEM;
    }
    st = apply(rules, copy, 0, err);
    free(copy);
    return st;
}

int rpp_rules_parse(rpp_rules *rules, const char *text, size_t len,
                    rpp_error *err)
{
    size_t pos = 0;
    unsigned line = 0;
    int st;

    if (!rules || (!text && len)) {
        set_err(err, RPP_ERR_ARG, 0, "no rules text");
        return RPP_ERR_ARG;
    }
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        char buf[512], *p, *hash;

        line++;
        if (n >= sizeof(buf)) {
            set_err(err, RPP_ERR_ARG, line, "line too long");
            return RPP_ERR_ARG;
        }
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos += n + (nl ? 1 : 0);
        if (memchr(buf, '\0', n)) {
            set_err(err, RPP_ERR_ARG, line, "NUL byte in the line");
            return RPP_ERR_ARG;
        }
        hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        for (p = buf; *p == ' ' || *p == '\t' || *p == '\r'; p++)
            ;
        if (!*p)
            continue;
        st = apply(rules, p, line, err);
        if (st != RPP_OK)
            return st;
    }
    return RPP_OK;
}

/* ---- running ------------------------------------------------------------ */

int rpp__rules_run(rpp_analysis *a, const rpp_rules *rules)
{
    rpp_rules defaults_local;
    rule_ctx c;
    size_t i, j;
    int lvl;
    rpp_finding *sorted;

    if (!rules) {
        defaults(&defaults_local);
        rules = &defaults_local;
    }
    memset(&c, 0, sizeof(c));
    c.a = a;
    for (i = 0; i < N_RULES; i++) {
        if (rules->level[i] == RPP_LEVEL_OFF)
            continue;
        c.def = &rule_table[i];
        c.param = rules->param[i];
        c.level = rules->level[i];
        rule_table[i].check(&c);
        if (a->mem->oom)
            return RPP_ERR_NOMEM;
    }
    /* most severe first; equal levels keep the table's order */
    sorted = rpp__an_calloc(a, c.n ? c.n : 1, sizeof(*sorted));
    if (!sorted)
        return RPP_ERR_NOMEM;
    j = 0;
    for (lvl = RPP_LEVEL_ERROR; lvl >= RPP_LEVEL_INFO; lvl--)
        for (i = 0; i < c.n; i++)
            if ((int)c.findings[i].level == lvl)
                sorted[j++] = c.findings[i];
    a->findings = sorted;
    a->n_findings = c.n;
    return RPP_OK;
}
