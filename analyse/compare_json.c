/*
 * compare_json.c - owns a comparison as JSON: one entry per run (its
 * context, phases, findings and how it ended) with its changes against the
 * baseline, the event types and findings over all runs, and the verdict.
 * A value that does not exist is null, never 0.
 */
#include "compare.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The shape of this output; the two-run shape of earlier builds was 1. */
#define COMPARE_JSON_FORMAT 2

static void num_or_null(rpp__jw *w, const char *key, double v)
{
    rpp__jw_key(w, key);
    if (isfinite(v))
        rpp__jw_num(w, v);
    else
        rpp__jw_null(w);
}

static void uint_or_null(rpp__jw *w, const char *key, bool have, uint64_t v)
{
    rpp__jw_key(w, key);
    if (have)
        rpp__jw_uint(w, v);
    else
        rpp__jw_null(w);
}

static void str_or_null(rpp__jw *w, const char *key, const char *s)
{
    rpp__jw_key(w, key);
    rpp__jw_str(w, s && *s ? s : NULL);
}

static void bool_or_null(rpp__jw *w, const char *key, bool have, bool v)
{
    rpp__jw_key(w, key);
    if (have)
        rpp__jw_bool(w, v);
    else
        rpp__jw_null(w);
}

static void context(fmt_ctx *fc, const rpp_compared_run *r)
{
    rpp__jw *w = &fc->jw;
    const rpp_analysis *a = r->analysis;
    const rpp_report *rep = a->report;
    const rpp_system *s = rep->system.present ? &rep->system : NULL;
    bool plat = s && s->has_platform, tgt = s && s->has_target,
         wc = s && s->has_write_config;
    char when[32] = "";
    time_t secs = (time_t)(rep->summary.session_start_time / 1000);
    struct tm tmv;

    rpp__jw_obj(w);
    str_or_null(w, "imagerVersion", s && s->has_imager ? s->imager.version
                                                       : NULL);
    str_or_null(w, "os", plat ? s->platform.os : NULL);
    str_or_null(w, "osVersion", plat ? s->platform.os_version : NULL);
    uint_or_null(w, "cpuCores", plat && s->platform.cpu_cores,
                 plat ? s->platform.cpu_cores : 0);
    str_or_null(w, "image", rpp__fmt_name(fc, "image", rep->summary.image_name));
    uint_or_null(w, "imageSize", rep->summary.image_size != 0,
                 rep->summary.image_size);
    str_or_null(w, "device",
                rpp__fmt_name(fc, "device", rep->summary.device_name));
    uint_or_null(w, "deviceSizeBytes", tgt && s->target.size_bytes,
                 tgt ? s->target.size_bytes : 0);
    bool_or_null(w, "usb", tgt, tgt && s->target.is_usb);
    bool_or_null(w, "directIO", wc, wc && s->write_config.direct_io_enabled);
    bool_or_null(w, "periodicSync", wc,
                 wc && s->write_config.periodic_sync_enabled);
    uint_or_null(w, "syncIntervalMB", wc && s->write_config.has_sync_interval,
                 wc ? s->write_config.sync_interval_mb : 0);
    uint_or_null(w, "syncIntervalMs", wc && s->write_config.has_sync_interval,
                 wc ? s->write_config.sync_interval_ms : 0);
    uint_or_null(w, "sessionStart", rep->summary.session_start_time != 0,
                 rep->summary.session_start_time);
    if (rep->summary.session_start_time &&
        rep->summary.session_start_time < 253402300800000ULL &&
        gmtime_r(&secs, &tmv))
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tmv);
    str_or_null(w, "sessionStartUtc", when);
    rpp__jw_key(w, "bottleneck");
    rpp__jw_str(w, rpp_bottleneck_name(a->bottleneck.kind));
    rpp__jw_key(w, "bottleneckConfidence");
    rpp__jw_str(w, rpp_confidence_name(a->bottleneck.confidence));
    rpp__jw_obj_end(w);
}

static void phases(rpp__jw *w, const rpp_compared_run *r)
{
    int p;

    rpp__jw_obj(w);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_compare_phase *d = &r->phases[p];
        rpp__jw_key(w, rpp_phase_name((rpp_phase)p));
        if (!d->present) {
            rpp__jw_null(w);
            continue;
        }
        rpp__jw_obj(w);
        num_or_null(w, "avgMBps", kbps_to_mbps2(d->avg_kbps));
        num_or_null(w, "p5MBps", kbps_to_mbps2(d->p5_kbps));
        num_or_null(w, "p95MBps", kbps_to_mbps2(d->p95_kbps));
        rpp__jw_key(w, "activeMs");
        rpp__jw_uint(w, d->active_ms);
        rpp__jw_obj_end(w);
    }
    rpp__jw_obj_end(w);
}

static double r4(double v)
{
    return isfinite(v) ? round4(v) : NAN;
}

/* The changes against the baseline; null for the baseline itself. Each
 * change is null where it cannot be computed. */
static void changes(rpp__jw *w, const rpp_comparison *c, size_t k)
{
    const rpp_compared_run *r = &c->runs[k];
    int p;

    rpp__jw_key(w, "changes");
    if (k == c->baseline) {
        rpp__jw_null(w);
        return;
    }
    rpp__jw_obj(w);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_compare_phase *d = &r->phases[p];
        rpp__jw_key(w, rpp_phase_name((rpp_phase)p));
        rpp__jw_obj(w);
        num_or_null(w, "avg", r4(d->avg_change));
        num_or_null(w, "p5", r4(d->p5_change));
        num_or_null(w, "p95", r4(d->p95_change));
        num_or_null(w, "activeMs", r4(d->ms_change));
        rpp__jw_obj_end(w);
    }
    rpp__jw_obj_end(w);
}

static void finding(fmt_ctx *fc, const rpp_finding *f)
{
    rpp__jw *w = &fc->jw;

    rpp__jw_obj(w);
    rpp__jw_key(w, "id");
    rpp__jw_str(w, f->id);
    rpp__jw_key(w, "severity");
    rpp__jw_str(w, rpp_level_name(f->level));
    str_or_null(w, "phase", f->phase >= 0 && f->phase < RPP_PHASE_COUNT
                                ? rpp_phase_name((rpp_phase)f->phase)
                                : NULL);
    rpp__jw_key(w, "message");
    rpp__jw_str(w, rpp__fmt_text(fc, f->message));
    rpp__jw_obj_end(w);
}

static void findings(fmt_ctx *fc, const char *key,
                     const rpp_finding *const *f, size_t n)
{
    size_t i;

    rpp__jw_key(&fc->jw, key);
    rpp__jw_arr(&fc->jw);
    for (i = 0; i < n; i++)
        finding(fc, f[i]);
    rpp__jw_arr_end(&fc->jw);
}

static void run(fmt_ctx *fc, const rpp_comparison *c, size_t k)
{
    rpp__jw *w = &fc->jw;
    const rpp_compared_run *r = &c->runs[k];
    const rpp_analysis *a = r->analysis;
    size_t i;

    rpp__jw_obj(w);
    rpp__jw_key(w, "index");
    rpp__jw_uint(w, k);
    rpp__jw_key(w, "given");
    rpp__jw_uint(w, r->given + 1);
    rpp__jw_key(w, "file");
    rpp__jw_str(w, r->name);
    rpp__jw_key(w, "tag");
    rpp__jw_str(w, r->tag);
    rpp__jw_key(w, "label");
    rpp__jw_str(w, r->label);
    rpp__jw_key(w, "baseline");
    rpp__jw_bool(w, r->baseline);
    rpp__jw_key(w, "formatVersion");
    rpp__jw_int(w, a->report->version);
    str_or_null(w, "state", rpp_session_state_name(a->session.state));
    rpp__jw_key(w, "stateInferred");
    rpp__jw_bool(w, a->session.state_inferred);
    rpp__jw_key(w, "finished");
    rpp__jw_bool(w, r->finished);
    str_or_null(w, "notCompared", r->not_compared);
    num_or_null(w, "writeShare", r4(r->write_share));
    rpp__jw_key(w, "context");
    context(fc, r);
    rpp__jw_key(w, "phases");
    phases(w, r);
    changes(w, c, k);
    num_or_null(w, "worstChange", k == c->baseline ? NAN : r4(r->worst_change));
    rpp__jw_key(w, "findings");
    rpp__jw_arr(w);
    for (i = 0; i < a->n_findings; i++)
        finding(fc, &a->findings[i]);
    rpp__jw_arr_end(w);
    if (k == c->baseline) {
        rpp__jw_key(w, "appeared");
        rpp__jw_null(w);
        rpp__jw_key(w, "disappeared");
        rpp__jw_null(w);
    } else {
        findings(fc, "appeared", r->appeared, r->n_appeared);
        findings(fc, "disappeared", r->disappeared, r->n_disappeared);
    }
    rpp__jw_obj_end(w);
}

static void types(rpp__jw *w, const rpp_comparison *c)
{
    size_t i, k;

    rpp__jw_arr(w);
    for (i = 0; i < c->n_types; i++) {
        const rpp_compare_type *t = &c->types[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, t->name);
        rpp__jw_key(w, "notable");
        rpp__jw_bool(w, t->notable);
        rpp__jw_key(w, "count");
        rpp__jw_arr(w);
        for (k = 0; k < c->n_runs; k++)
            if (t->recordable[k])
                rpp__jw_uint(w, t->count[k]);
            else
                rpp__jw_null(w);
        rpp__jw_arr_end(w);
        rpp__jw_key(w, "totalMs");
        rpp__jw_arr(w);
        for (k = 0; k < c->n_runs; k++)
            if (t->recordable[k])
                rpp__jw_uint(w, t->total_ms[k]);
            else
                rpp__jw_null(w);
        rpp__jw_arr_end(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void finding_union(rpp__jw *w, const rpp_comparison *c)
{
    size_t i, k;

    rpp__jw_arr(w);
    for (i = 0; i < c->n_findings; i++) {
        const rpp_compare_finding *f = &c->findings[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "id");
        rpp__jw_str(w, f->id);
        str_or_null(w, "phase", f->phase >= 0 && f->phase < RPP_PHASE_COUNT
                                    ? rpp_phase_name((rpp_phase)f->phase)
                                    : NULL);
        rpp__jw_key(w, "severity");
        rpp__jw_str(w, rpp_level_name(f->level));
        rpp__jw_key(w, "count");
        rpp__jw_arr(w);
        for (k = 0; k < c->n_runs; k++)
            if (f->expressible[k] || f->count[k])
                rpp__jw_uint(w, f->count[k]);
            else
                rpp__jw_null(w);
        rpp__jw_arr_end(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void verdict(rpp__jw *w, const rpp_comparison *c)
{
    size_t k;

    rpp__jw_obj(w);
    rpp__jw_key(w, "text");
    rpp__jw_str(w, c->verdict);
    rpp__jw_key(w, "regression");
    rpp__jw_bool(w, c->regression);
    rpp__jw_key(w, "firstSlower");
    if (c->first_slower < c->n_runs && c->slower_phase >= 0) {
        rpp__jw_obj(w);
        rpp__jw_key(w, "run");
        rpp__jw_uint(w, c->first_slower);
        rpp__jw_key(w, "phase");
        rpp__jw_str(w, rpp_phase_name((rpp_phase)c->slower_phase));
        num_or_null(w, "change", r4(c->slower_change));
        rpp__jw_obj_end(w);
    } else {
        rpp__jw_null(w);
    }
    rpp__jw_key(w, "notCompared");
    rpp__jw_arr(w);
    for (k = 0; k < c->n_runs; k++) {
        if (!c->runs[k].not_compared ||
            (k == c->baseline && c->runs[k].finished))
            continue;
        rpp__jw_obj(w);
        rpp__jw_key(w, "run");
        rpp__jw_uint(w, k);
        rpp__jw_key(w, "reason");
        rpp__jw_str(w, c->runs[k].not_compared);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_obj_end(w);
}

void rpp__compare_json(fmt_ctx *fc, const rpp_comparison *c)
{
    rpp__jw *w = &fc->jw;
    size_t k;

    rpp__jw_init(w, fc->out, 2);
    rpp__jw_obj(w);
    rpp__fmt_json_tool(fc, COMPARE_JSON_FORMAT);
    rpp__jw_key(w, "sort");
    rpp__jw_str(w, rpp_compare_sort_name(c->sort));
    rpp__jw_key(w, "baseline");
    rpp__jw_uint(w, c->baseline);
    rpp__jw_key(w, "notableChange");
    rpp__jw_num(w, RPP_COMPARE_NOTABLE);
    rpp__jw_key(w, "verdict");
    verdict(w, c);
    rpp__jw_key(w, "runs");
    rpp__jw_arr(w);
    for (k = 0; k < c->n_runs; k++)
        run(fc, c, k);
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "events");
    types(w, c);
    rpp__jw_key(w, "findings");
    finding_union(w, c);
    rpp__jw_obj_end(w);
    rpp__buf_putc(fc->out, '\n');
}
