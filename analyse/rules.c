/*
 * rules.c - owns the diagnosis' table: ONE row per rule (its id, default
 * level, the symptom and likely cause from the interpretation table of the
 * format's documentation, its thresholds) and per group of settings of the
 * analysis itself, the checks about single events and phases, and the run
 * that collects every finding, most severe first. The checks about the
 * pipeline and the device are in rules_pipeline.c; the configuration
 * (--set, rules files) in rules_config.c.
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

static const rpp_event *ev(rpp__rule_ctx *c, size_t i)
{
    return &c->a->report->events[i];
}

static uint64_t ev_start(rpp__rule_ctx *c, size_t i)
{
    return c->a->event_times[i].start_ms;
}

/* A place on the timeline, in words. */
static void fmt_at(char *out, size_t n, uint64_t ms)
{
    rpp_human_duration(out, n, (double)ms);
}

/* ---- checks ------------------------------------------------------------ */

/* The drive's preparation steps that driveOpen can contain (on Windows it
 * spans unmounting, cleaning and rescanning; elsewhere the authorisation
 * and the zeroing): each has its own rule or limit. */
static bool drive_step(rpp_event_type t)
{
    return t == RPP_EV_DRIVE_UNMOUNT_VOLUMES || t == RPP_EV_DRIVE_DISK_CLEAN ||
           t == RPP_EV_DRIVE_RESCAN || t == RPP_EV_DRIVE_AUTHORIZATION ||
           t == RPP_EV_DRIVE_MBR_ZEROING || t == RPP_EV_DRIVE_UNMOUNT;
}

/* An event's own time: for a driveOpen, less the steps recorded inside
 * it (they end first, so they come before it: at most 64 are looked at). */
static uint64_t own_ms(rpp__rule_ctx *c, size_t i)
{
    const rpp_event *e = ev(c, i);
    uint64_t start = ev_start(c, i), end = start + e->duration_ms, inner = 0;
    size_t k, looked = 0;

    if (e->type != RPP_EV_DRIVE_OPEN)
        return e->duration_ms;
    for (k = i; k-- > 0 && looked++ < 64;) {
        const rpp_event *x = ev(c, k);
        if (!drive_step(x->type) || ev_start(c, k) < start ||
            ev_start(c, k) + x->duration_ms > end)
            continue;
        inner = rpp_sat_add(inner, x->duration_ms);
    }
    return inner < e->duration_ms ? e->duration_ms - inner : 0;
}

static void slow_events(rpp__rule_ctx *c, rpp_event_type type, double max_ms,
                        const char *what)
{
    const rpp_report *r = c->a->report;
    size_t i, n = 0;
    uint64_t longest = 0, total = 0;
    rpp__fb b;
    char d[32], lim[32];

    for (i = 0; i < r->n_events; i++) {
        uint64_t own;
        if (ev(c, i)->type != type)
            continue;
        own = own_ms(c, i);
        if ((double)own <= max_ms)
            continue;
        n++;
        total = rpp_sat_add(total, own);
        if (own > longest)
            longest = own;
    }
    if (!n)
        return;
    rpp_human_duration(d, sizeof(d), (double)longest);
    rpp_human_duration(lim, sizeof(lim), max_ms);
    if (n == 1)
        rpp__fb_begin(&b, c, -1, "%s took %s (expected under %s)", what, d, lim);
    else
        rpp__fb_begin(&b, c, -1, "%s took up to %s, %zu times over %s", what, d,
                 n, lim);
    rpp__fb_str(&b, "event", rpp_event_type_name(type));
    rpp__fb_uint(&b, "duration_ms", longest);
    rpp__fb_uint(&b, "limit_ms", rpp__ms_of(max_ms));
    if (n > 1) {
        rpp__fb_uint(&b, "count", n);
        rpp__fb_uint(&b, "total_ms", total);
    }
    for (i = 0; i < r->n_events; i++) {
        if (ev(c, i)->type != type || (double)own_ms(c, i) <= max_ms)
            continue;
        if (own_ms(c, i) != ev(c, i)->duration_ms)
            rpp__fb_uint(&b, "steps_inside_ms",
                         ev(c, i)->duration_ms - own_ms(c, i));
        if (n == 1 && ev(c, i)->metadata)
            rpp__fb_str(&b, "metadata", ev(c, i)->metadata);
        if (n == 1)
            rpp__fb_uint(&b, "at_ms", ev_start(c, i));
        rpp__fb_span(&b, ev_start(c, i), ev_start(c, i) + ev(c, i)->duration_ms);
    }
}

static void check_slow_drive_open(rpp__rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_OPEN, c->param[0], "opening the drive");
}

static void check_slow_unmount_volumes(rpp__rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_UNMOUNT_VOLUMES, c->param[0],
                "unmounting the volumes");
}

static void check_slow_disk_clean(rpp__rule_ctx *c)
{
    slow_events(c, RPP_EV_DRIVE_DISK_CLEAN, c->param[0], "cleaning the disk");
}

static void check_slow_customisation(rpp__rule_ctx *c)
{
    slow_events(c, RPP_EV_CUSTOMISATION, c->param[0], "customisation");
}

static void check_slow_final_sync(rpp__rule_ctx *c)
{
    slow_events(c, RPP_EV_FINAL_SYNC, c->param[0], "the final sync");
}

static void check_high_variance(rpp__rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        rpp__fb b;

        if (!s->present || (double)s->n_slices < c->param[0] || rpp__paced(c->a, p) ||
            s->cv <= c->param[1])
            continue;
        rpp__fb_begin(&b, c, p,
                 "%s throughput varied widely: coefficient of variation %.2f "
                 "(average %.1f MB/s, slices from %.1f to %.1f MB/s)",
                 rpp_phase_name((rpp_phase)p), s->cv, mbps(s->avg_kbps),
                 mbps(s->min_kbps), mbps(s->max_kbps));
        rpp__fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        rpp__fb_num(&b, "cv", s->cv);
        rpp__fb_num(&b, "avg_mbps", mbps(s->avg_kbps));
        rpp__fb_uint(&b, "slices", s->n_slices);
        rpp__fb_span(&b, s->first_ms, s->last_ms);
    }
}

static void check_low_throughput_samples(rpp__rule_ctx *c)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = phase(c, (rpp_phase)p);
        rpp__fb b;
        size_t i;

        if (!s->present || !s->samples || rpp__paced(c->a, p) ||
            s->low_share < c->param[0])
            continue;
        rpp__fb_begin(&b, c, p,
                 "%.0f %% of the %s samples were below 2 MB/s",
                 100 * s->low_share, rpp_phase_name((rpp_phase)p));
        rpp__fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        rpp__fb_num(&b, "share", s->low_share);
        rpp__fb_uint(&b, "samples", s->samples);
        rpp__fb_uint(&b, "low_samples", rpp_sat_add(s->buckets[0], s->buckets[1]));
        for (i = 0; i < s->n_stalls; i++)
            rpp__fb_span(&b, s->stalls[i].start_ms, s->stalls[i].end_ms);
    }
}

static void check_long_event(rpp__rule_ctx *c)
{
    const rpp_report *r = c->a->report;
    size_t i, shown = 0, rest = 0;
    rpp__fb more;

    more.f = NULL;
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        double limit = (double)rpp_event_type_expected_max_ms(e->type) *
                       c->param[0];
        char d[32], lim[32], at[32];
        rpp__fb b;

        if (limit <= 0 || (double)e->duration_ms <= limit)
            continue;
        if (rpp__fb_into_rest(c, &shown, &rest, &more, ev_start(c, i),
                      ev_start(c, i) + e->duration_ms))
            continue;
        rpp_human_duration(d, sizeof(d), (double)e->duration_ms);
        rpp_human_duration(lim, sizeof(lim), limit);
        fmt_at(at, sizeof(at), ev_start(c, i));
        rpp__fb_begin(&b, c, -1, "%s took %s (expected under %s) at %s",
                 e->type_name, d, lim, at);
        rpp__fb_str(&b, "event", e->type_name);
        rpp__fb_uint(&b, "index", i);
        rpp__fb_uint(&b, "duration_ms", e->duration_ms);
        rpp__fb_uint(&b, "limit_ms", rpp__ms_of(limit));
        rpp__fb_uint(&b, "at_ms", ev_start(c, i));
        if (e->metadata)
            rpp__fb_str(&b, "metadata", e->metadata);
        rpp__fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%zu more events took longer than "
                                          "expected",
                                    rest);
        rpp__fb_uint(&more, "count", rest);
    }
}

static void check_failed_event(rpp__rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    size_t k, shown = 0, rest = 0;
    rpp__fb more;
    rpp__buf names = RPP__BUF_INIT;

    more.f = NULL;
    for (k = 0; k < a->n_failed; k++) {
        size_t i = a->failed[k];
        const rpp_event *e = ev(c, i);
        char at[32];
        rpp__fb b;

        /* a failed cycle is the session rule's; a refused direct I/O is a
         * fallback the writer handles, shown as context; the watchdog's
         * events, the device timeouts and the failed allocations have
         * rules of their own */
        if (e->type == RPP_EV_CYCLE_END || e->type == RPP_EV_DIRECT_IO_ATTEMPT ||
            rpp_event_type_category(e->type) == RPP_CAT_RECOVERY)
            continue;
        if (rpp__fb_into_rest(c, &shown, &rest, &more, ev_start(c, i),
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
        rpp__fb_begin(&b, c, -1, "%s failed at %s%s%s", e->type_name, at,
                 e->metadata ? ": " : "", e->metadata ? e->metadata : "");
        if (b.f)
            b.f->cause = rpp__an_printf(c->a, "%s",
                                   e->metadata ? e->metadata
                                               : "no details given");
        rpp__fb_str(&b, "event", e->type_name);
        rpp__fb_uint(&b, "index", i);
        rpp__fb_uint(&b, "at_ms", ev_start(c, i));
        rpp__fb_uint(&b, "duration_ms", e->duration_ms);
        if (e->metadata)
            rpp__fb_str(&b, "metadata", e->metadata);
        rpp__fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%zu more events failed (%s)", rest,
                                    names.ptr ? names.ptr : "");
        rpp__fb_uint(&more, "count", rest);
    }
    if (names.oom)
        c->a->mem->oom = true;
    rpp__buf_free(&names);
}


static void check_never_started(rpp__rule_ctx *c)
{
    rpp__fb b;

    if (c->a->session.state != RPP_STATE_NEVER_STARTED)
        return;
    rpp__fb_begin(&b, c, -1,
             "no write was captured: only %zu background event%s",
             c->a->report->n_events, c->a->report->n_events == 1 ? "" : "s");
    rpp__fb_uint(&b, "events", c->a->report->n_events);
    rpp__fb_str(&b, "how_to_capture", c->a->session.note);
}

static void check_summary_mismatch(rpp__rule_ctx *c)
{
    const rpp_analysis *a = c->a;
    size_t k;
    rpp__fb b;
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
    rpp__fb_begin(&b, c, -1,
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
        rpp__fb_str(&b, rpp__an_printf(c->a, "%s", m->name), v);
    }
}

/* Two hashes in one metadata string that should be equal. */
static void hash_pair(rpp__rule_ctx *c, rpp_event_type type, const char *k1,
                      const char *k2, const char *what)
{
    const rpp_report *r = c->a->report;
    size_t i, shown = 0, rest = 0;
    rpp__fb more;

    more.f = NULL;
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = ev(c, i);
        char h1[160], h2[160], at[32];
        rpp__fb b;

        if (e->type != type || !e->metadata ||
            !rpp_meta_get(e->metadata, k1, h1, sizeof(h1)) ||
            !rpp_meta_get(e->metadata, k2, h2, sizeof(h2)))
            continue;
        if (strcmp(h1, h2) == 0)
            continue;
        if (rpp__fb_into_rest(c, &shown, &rest, &more, ev_start(c, i),
                      ev_start(c, i) + e->duration_ms))
            continue;
        fmt_at(at, sizeof(at), ev_start(c, i));
        rpp__fb_begin(&b, c, -1, "%s at %s: %s %s differs from %s %s", what, at,
                 k1, h1, k2, h2);
        rpp__fb_str(&b, k1, h1);
        rpp__fb_str(&b, k2, h2);
        rpp__fb_uint(&b, "index", i);
        rpp__fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (rest && more.f) {
        more.f->message = rpp__an_printf(c->a, "%s: %zu more", what, rest);
        rpp__fb_uint(&more, "count", rest);
    }
}

static void check_verify_mismatch(rpp__rule_ctx *c)
{
    hash_pair(c, RPP_EV_HASH_COMPUTATION, "writeHash", "verifyHash",
              "verification failed");
}

static void check_cache_corrupt(rpp__rule_ctx *c)
{
    hash_pair(c, RPP_EV_CACHE_VERIFICATION, "expectedHash", "computedHash",
              "the cached image is corrupt");
}

static void events_of(rpp__rule_ctx *c, const rpp_event_type *types, size_t nt,
                      const char *what)
{
    const rpp_analysis *a = c->a;
    const rpp_report *r = a->report;
    size_t i, j, n = 0;
    rpp__buf list = RPP__BUF_INIT;
    rpp__fb b;

    for (i = 0; i < r->n_events; i++)
        for (j = 0; j < nt; j++)
            if (ev(c, i)->type == types[j])
                n++;
    if (!n)
        return;
    rpp__fb_begin(&b, c, -1, "%s", "");
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
        if (b.n_ev < RPP__MAX_EVIDENCE)
            rpp__fb_str(&b, rpp__an_printf(c->a, "event_%zu", (size_t)b.n_ev + 1),
                   rpp__an_printf(c->a, "%s at %s%s%s", e->type_name, at,
                             e->metadata && *e->metadata ? ": " : "",
                             e->metadata ? e->metadata : ""));
        rpp__fb_span(&b, ev_start(c, i), ev_start(c, i) + e->duration_ms);
    }
    if (b.f)
        b.f->message = rpp__an_printf(c->a, "%s: %s%s", what,
                                 list.ptr ? list.ptr : "",
                                 list.len >= 400 ? " ..." : "");
    if (list.oom)
        c->a->mem->oom = true;
    rpp__buf_free(&list);
}

/* A cycle whose write went on after a stop of the device and succeeded:
 * the Imager then records a deviceIOTimeout for the writes it replayed
 * synchronously, which is part of that recovery. */
static bool recovered_cycle(const rpp_analysis *a, int cycle)
{
    size_t k;

    if (cycle < 0 || (size_t)cycle >= a->n_cycles ||
        a->cycles[cycle].state != RPP_STATE_SUCCEEDED)
        return false;
    for (k = 0; k < a->n_device_stops; k++)
        if (a->device_stops[k].cycle == cycle &&
            a->device_stops[k].outcome == RPP_STOP_RECOVERED)
            return true;
    return false;
}

static void check_device_io_timeout(rpp__rule_ctx *c)
{
    static const rpp_event_type t[] = { RPP_EV_DEVICE_IO_TIMEOUT };
    const rpp_report *r = c->a->report;
    size_t i;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_DEVICE_IO_TIMEOUT &&
            !recovered_cycle(c->a, c->a->event_times[i].cycle))
            break;
    if (i < r->n_events)
        events_of(c, t, 1, "the device did not complete writes in time");
}


static void check_memory_allocation_failure(rpp__rule_ctx *c)
{
    static const rpp_event_type t[] = { RPP_EV_MEMORY_ALLOCATION_FAILURE };
    events_of(c, t, 1, "buffer memory could not be allocated");
}

static void check_capture_truncated(rpp__rule_ctx *c)
{
    const rpp_summary *s = &c->a->report->summary;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_summary *ps = &s->phases[p];
        const rpp_phase_stats *st = phase(c, (rpp_phase)p);
        rpp__fb b;

        if (!(ps->fields & RPP_PH_SAMPLE_COUNT) ||
            (double)ps->sample_count < c->param[0])
            continue;
        rpp__fb_begin(&b, c, p,
                 "%s reached the writer's limit of %.0f samples: its data "
                 "ends after %.0f s",
                 rpp_phase_name((rpp_phase)p), c->param[0],
                 st->present ? (double)st->active_ms / 1000 : 0.0);
        rpp__fb_str(&b, "phase", rpp_phase_name((rpp_phase)p));
        rpp__fb_uint(&b, "sample_count", ps->sample_count);
        if (st->present) {
            rpp__fb_uint(&b, "data_ends_at_ms", st->last_ms);
            rpp__fb_span(&b, st->last_ms, st->last_ms);
        }
    }
}

/* Throughput bars a test rig sets, e.g. write.min_avg_mbps = 35. */
static void phase_bar(rpp__rule_ctx *c, rpp_phase p)
{
    const rpp_phase_stats *s = phase(c, p);
    double avg, p5;
    rpp__fb b;

    if (!s->present)
        return;
    avg = mbps(s->avg_kbps);
    p5 = mbps(s->p5_kbps);
    if (c->param[0] > 0 && avg < c->param[0]) {
        rpp__fb_begin(&b, c, p, "%s averaged %s, below the required %s",
                      rpp_phase_name(p), rpp__fb_rate(c, avg),
                      rpp__fb_rate(c, c->param[0]));
        rpp__fb_num(&b, "avg_mbps", avg);
        rpp__fb_num(&b, "min_avg_mbps", c->param[0]);
        rpp__fb_span(&b, s->first_ms, s->last_ms);
    }
    if (c->param[1] > 0 && avg > c->param[1]) {
        rpp__fb_begin(&b, c, p, "%s averaged %s, above the allowed %s",
                      rpp_phase_name(p), rpp__fb_rate(c, avg),
                      rpp__fb_rate(c, c->param[1]));
        rpp__fb_num(&b, "avg_mbps", avg);
        rpp__fb_num(&b, "max_avg_mbps", c->param[1]);
        rpp__fb_span(&b, s->first_ms, s->last_ms);
    }
    if (c->param[2] > 0 && p5 < c->param[2]) {
        rpp__fb_begin(&b, c, p, "%s 5th percentile %s, below the required %s",
                      rpp_phase_name(p), rpp__fb_rate(c, p5),
                      rpp__fb_rate(c, c->param[2]));
        rpp__fb_num(&b, "p5_mbps", p5);
        rpp__fb_num(&b, "min_p5_mbps", c->param[2]);
        rpp__fb_span(&b, s->first_ms, s->last_ms);
    }
}

static void check_download_bar(rpp__rule_ctx *c) { phase_bar(c, RPP_PHASE_DOWNLOAD); }
static void check_decompress_bar(rpp__rule_ctx *c) { phase_bar(c, RPP_PHASE_DECOMPRESS); }
static void check_write_bar(rpp__rule_ctx *c) { phase_bar(c, RPP_PHASE_WRITE); }
static void check_verify_bar(rpp__rule_ctx *c) { phase_bar(c, RPP_PHASE_VERIFY); }

/* ---- the table --------------------------------------------------------- */

#define P0 0, { NULL }, { 0 }, { NULL }
#define MAXMS(v) 1, { "max_ms" }, { v }, { "longest acceptable duration" }
#define BAR                                                                  \
    3, { "min_avg_mbps", "max_avg_mbps", "min_p5_mbps" }, { 0, 0, 0 },       \
        { "lowest acceptable average (0 = no bar)",                          \
          "highest acceptable average (0 = no bar)",                         \
          "lowest acceptable 5th percentile (0 = no bar)" }
#define SETTINGS RPP_LEVEL_OFF, true
#define RULE(level) level, false

static const rpp__rule_def rule_table[] = {
    { "bottleneck", SETTINGS,
      "Settings of the bottleneck verdict (not a rule)",
      "which stage limited the write: the download, decompression or the "
      "storage device",
      17,
      { "busy_cpu", "busy_idle", "write_wait", "input_wait", "cpu_stalls",
        "write_share", "network_stalls", "medium_events", "high_events",
        "ended_early_ms", "ended_early_share", "steady_ratio",
        "verify_ratio", "rate_ratio", "min_slices", "idle_card",
        "busy_card" },
      { 0.8, 0.5, 0.3, 0.3, 8, 0.15, 2, 3, 10, 10000, 0.1, 2, 2, 1.25, 5,
        0.3, 0.9 },
      { "decompressor busy this share of the write: decompression is the "
        "limit",
        "busy at most this share: decompression is not the limit",
        "decompressed data waited for the card this share of the write: the "
        "card is the limit",
        "decompression waited for downloaded data this share: the network "
        "is the limit",
        "input-buffer producer stalls for high confidence in decompression "
        "(with the card idle)",
        "least share of write-buffer stalls among the producer stalls for "
        "the card as the limit",
        "input-buffer consumer stalls that show the network as the limit",
        "stall events for medium confidence",
        "stall events for high confidence",
        "a download that ended this many ms before the write did not limit "
        "the rest of it",
        "... or this share of the write, whichever is longer",
        "a download never above this times its average is steady",
        "verify at least this times the write: the card (weak evidence, "
        "without stall events or summaries)",
        "one phase at least this times another: the slower one limits "
        "(weak evidence, likewise)",
        "slices a phase needs for its rates to count",
        "time in write calls at most this share of the write: the card was "
        "idle (writeTimingBreakdown)",
        "time in write calls at least this share of the write: the card "
        "kept the decompressor waiting" },
      NULL },
    { "phases", SETTINGS,
      "Settings of the phase statistics (not a rule)",
      "what counts as a stall window, a low sample and a drop",
      3, { "stall_mbps", "low_mbps", "drop_ratio" }, { 1, 2, 0.5 },
      { "a slice averaging below this is a stall window",
        "samples in the buckets below this count as low (a bucket edge: "
        "1, 2, 4, ...)",
        "a slice below this share of the phase's median slice is a drop" },
      NULL },
    { "slow-decompress", RULE(RPP_LEVEL_WARNING), "Low decompress throughput",
      "single-threaded decompression (gzip/zstd) or a slow CPU",
      2, { "max_mbps", "min_slices" }, { 25, 5 },
      { "decompression the bottleneck and averaging below this fires",
        "slices the phase needs" },
      rpp__check_slow_decompress },
    { "io-bound", RULE(RPP_LEVEL_WARNING), "Decompress faster than write",
      "I/O-bound: the SD card or USB device is the bottleneck",
      2, { "max_write_mbps", "min_slices" }, { 20, 5 },
      { "only when the write averaged below this (a card-limited 45 MB/s "
        "write is healthy)",
        "slices the write needs" },
      rpp__check_io_bound },
    { "cpu-bound", RULE(RPP_LEVEL_WARNING), "Write faster than decompress",
      "CPU-bound: consider images with faster compression",
      2, { "max_write_mbps", "min_slices" }, { 20, 5 },
      { "only when the write averaged below this",
        "slices the write needs" },
      rpp__check_cpu_bound },
    { "network-bound", RULE(RPP_LEVEL_WARNING),
      "The download limited the write",
      "a slow or unreliable network: download the image first, or use a "
      "wired connection",
      2, { "max_write_mbps", "min_slices" }, { 20, 5 },
      { "only when the write averaged below this",
        "slices the write needs" },
      rpp__check_network_bound },
    { "slow-card-write", RULE(RPP_LEVEL_WARNING),
      "Low write throughput, high verify throughput",
      "slow SD card write speed",
      3, { "ratio", "max_write_mbps", "min_slices" }, { 2, 20, 5 },
      { "verify average at least this times the write average",
        "and the write averaged below this",
        "slices both phases need" },
      rpp__check_slow_card_write },
    { "periodic-drops", RULE(RPP_LEVEL_WARNING), "Periodic throughput drops",
      "USB hub or driver issues",
      3, { "min_slices", "min_drops", "max_interval_cv" }, { 20, 3, 0.35 },
      { "slices the phase needs",
        "drops (runs below phases.drop_ratio of the median) needed",
        "highest coefficient of variation of the drop intervals" },
      rpp__check_periodic_drops },
    { "slow-drive-open", RULE(RPP_LEVEL_WARNING), "Long driveOpen time",
      "drive enumeration problems", MAXMS(5000), check_slow_drive_open },
    { "slow-unmount-volumes", RULE(RPP_LEVEL_WARNING),
      "Long driveUnmountVolumes time (Windows)",
      "a volume is in use by another application", MAXMS(5000),
      check_slow_unmount_volumes },
    { "slow-disk-clean", RULE(RPP_LEVEL_WARNING),
      "Long driveDiskClean time (Windows)",
      "the disk is locked or being scanned by antivirus software",
      MAXMS(10000), check_slow_disk_clean },
    { "slow-customisation", RULE(RPP_LEVEL_WARNING), "Long customisation time",
      "complex customisation or slow FAT operations", MAXMS(30000),
      check_slow_customisation },
    { "slow-final-sync", RULE(RPP_LEVEL_WARNING), "Long finalSync time",
      "a large page cache or a slow drive flush", MAXMS(10000),
      check_slow_final_sync },
    { "producer-stall", RULE(RPP_LEVEL_WARNING),
      "ringBufferStarvation with producer_stall",
      "disk or decompression slower than the download: the ring buffer "
      "was full",
      1, { "min_ms" }, { 1000 },
      { "a stall at least this long fires: the Imager records only the last "
        "50-99 ms of a wait, or a 30 s timeout" },
      rpp__check_producer_stall },
    { "consumer-stall", RULE(RPP_LEVEL_WARNING),
      "ringBufferStarvation with consumer_stall",
      "network slower than processing: the ring buffer was empty",
      1, { "min_ms" }, { 1000 },
      { "a stall at least this long fires (as for producer-stall)" },
      rpp__check_consumer_stall },
    { "throughput-gap", RULE(RPP_LEVEL_WARNING), "Large gaps in histogram data",
      "a stall: no progress was recorded",
      1, { "windows" }, { 2 },
      { "consecutive slices more than this many windows apart" },
      rpp__check_throughput_gap },
    { "high-variance", RULE(RPP_LEVEL_WARNING), "High variance in throughput",
      "unstable throughput",
      2, { "min_slices", "max_cv" }, { 10, 0.5 },
      { "slices the phase needs",
        "highest acceptable coefficient of variation of slice averages" },
      check_high_variance },
    { "low-throughput-samples", RULE(RPP_LEVEL_WARNING),
      "Many samples in the lowest throughput buckets",
      "the device or link repeatedly crawled below 2 MB/s",
      1, { "min_share" }, { 0.10 },
      { "share of samples below phases.low_mbps that fires" },
      check_low_throughput_samples },
    { "long-event", RULE(RPP_LEVEL_WARNING),
      "Unexpectedly long event durations",
      "an operation took far longer than usual",
      1, { "factor" }, { 1 },
      { "multiplier on each type's expected maximum (see README)" },
      check_long_event },
    { "failed-event", RULE(RPP_LEVEL_ERROR), "An operation failed",
      "see the event's metadata", P0, check_failed_event },
    { "device-stopped", RULE(RPP_LEVEL_ERROR),
      "The device stopped taking writes",
      "the storage device, its reader or the USB link stopped completing "
      "writes",
      P0, rpp__check_device_stopped },
    { "session-failed", RULE(RPP_LEVEL_ERROR), "The write failed",
      "see the error message", P0, rpp__check_session_failed },
    { "session-cancelled", RULE(RPP_LEVEL_INFO), "The write was cancelled",
      "cancelled by the user or the device was removed", P0,
      rpp__check_session_cancelled },
    { "session-in-progress", RULE(RPP_LEVEL_INFO),
      "Exported while the write was running",
      "the report was taken before the write ended: its statistics cover "
      "what was done so far",
      P0, rpp__check_session_in_progress },
    { "never-started", RULE(RPP_LEVEL_INFO),
      "No imaging session in the capture",
      "the report was exported before or without a write", P0,
      check_never_started },
    { "summary-mismatch", RULE(RPP_LEVEL_WARNING),
      "summary.events disagrees with the events",
      "an edited or corrupted report", P0, check_summary_mismatch },
    { "verify-mismatch", RULE(RPP_LEVEL_ERROR),
      "Verification hash differs from the written hash",
      "what was read back differs from what was written: a failing card, "
      "reader or hub",
      P0, check_verify_mismatch },
    { "cache-corrupt", RULE(RPP_LEVEL_WARNING), "Cached image hash mismatch",
      "the cached download is corrupt and will be fetched again", P0,
      check_cache_corrupt },
    { "device-io-timeout", RULE(RPP_LEVEL_ERROR), "Device I/O timeout",
      "the device or OS did not complete writes in time", P0,
      check_device_io_timeout },
    { "write-recovery", RULE(RPP_LEVEL_WARNING), "Write recovery actions",
      "the device responded slowly and the writer had to adapt", P0,
      rpp__check_write_recovery },
    { "memory-allocation-failure", RULE(RPP_LEVEL_ERROR),
      "Memory allocation failure",
      "not enough memory for the write buffers", P0,
      check_memory_allocation_failure },
    { "capture-truncated", RULE(RPP_LEVEL_INFO),
      "A phase reached the writer's sample cap",
      "the rest of that phase was not recorded; its statistics cover only "
      "the start",
      1, { "samples" }, { RPP_SAMPLE_CAP },
      { "sample count that means the writer's cap was reached" },
      check_capture_truncated },
    { "download", RULE(RPP_LEVEL_ERROR), "Download throughput outside the bars",
      "a regression of the network or the download path", BAR,
      check_download_bar },
    { "decompress", RULE(RPP_LEVEL_ERROR),
      "Decompress throughput outside the bars",
      "a regression of decompression (CPU or image compression)", BAR,
      check_decompress_bar },
    { "write", RULE(RPP_LEVEL_ERROR), "Write throughput outside the bars",
      "a regression of the card, reader or write path", BAR,
      check_write_bar },
    { "verify", RULE(RPP_LEVEL_ERROR), "Verify throughput outside the bars",
      "a regression of the card's read speed or the reader", BAR,
      check_verify_bar },
};

#define N_RULES (sizeof(rule_table) / sizeof(rule_table[0]))

const rpp__rule_def *rpp__rule_table(size_t *n)
{
    *n = N_RULES;
    return rule_table;
}

/* ---- running ------------------------------------------------------------ */

int rpp__rules_run(rpp_analysis *a, const rpp_rules *rules)
{
    rpp__rule_ctx c;
    size_t i, j;
    int lvl;
    rpp_finding *sorted;

    memset(&c, 0, sizeof(c));
    c.a = a;
    for (i = 0; i < N_RULES; i++) {
        if (rule_table[i].settings || !rule_table[i].check)
            continue;
        c.level = rpp__rules_level(rules, i);
        if (c.level == RPP_LEVEL_OFF)
            continue;
        c.def = &rule_table[i];
        c.param = rpp__rules_params(rules, i);
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
