/*
 * format_json.c - the whole analysis as JSON. The shape is documented in
 * README.md ("JSON output") and stays stable: new keys may appear, existing
 * keys keep their meaning.
 */
#include "format.h"

#include <string.h>

#define JSON_FORMAT_VERSION 1

static void put_mbps(rpp_jw *w, const char *key, double kbps)
{
    rpp_jw_key(w, key);
    rpp_jw_num(w, kbps_to_mbps2(kbps));
}

static void put_spans(rpp_jw *w, const rpp_span *s, size_t n)
{
    size_t i;

    rpp_jw_arr(w);
    for (i = 0; i < n; i++) {
        rpp_jw_arr(w);
        rpp_jw_uint(w, s[i].start_ms);
        rpp_jw_uint(w, s[i].end_ms);
        rpp_jw_arr_end(w);
    }
    rpp_jw_arr_end(w);
}

static void put_phase(fmt_ctx *fc, const rpp_phase_stats *s, bool full)
{
    rpp_jw *w = &fc->jw;
    int k;

    rpp_jw_obj(w);
    rpp_jw_key(w, "slices");
    rpp_jw_uint(w, s->n_slices);
    rpp_jw_key(w, "activeMs");
    rpp_jw_uint(w, s->active_ms);
    rpp_jw_key(w, "bytes");
    rpp_jw_uint(w, s->bytes);
    rpp_jw_key(w, "bytesEstimated");
    rpp_jw_bool(w, s->bytes_estimated);
    put_mbps(w, "minMBps", s->min_kbps);
    put_mbps(w, "avgMBps", s->avg_kbps);
    put_mbps(w, "maxMBps", s->max_kbps);
    put_mbps(w, "p5MBps", s->p5_kbps);
    put_mbps(w, "medianMBps", s->median_kbps);
    put_mbps(w, "p95MBps", s->p95_kbps);
    rpp_jw_key(w, "cv");
    rpp_jw_num(w, round2(s->cv));
    rpp_jw_key(w, "lowShare");
    rpp_jw_num(w, round2(s->low_share));
    rpp_jw_key(w, "startMs");
    rpp_jw_uint(w, s->first_ms);
    rpp_jw_key(w, "endMs");
    rpp_jw_uint(w, s->last_ms);
    if (full) {
        rpp_jw_key(w, "samples");
        rpp_jw_uint(w, s->samples);
        rpp_jw_key(w, "buckets");
        rpp_jw_arr(w);
        for (k = 0; k < RPP_BUCKETS; k++)
            rpp_jw_uint(w, s->buckets[k]);
        rpp_jw_arr_end(w);
        rpp_jw_key(w, "gaps");
        put_spans(w, s->gaps, s->n_gaps);
        rpp_jw_key(w, "stallWindows");
        put_spans(w, s->stalls, s->n_stalls);
        rpp_jw_key(w, "drops");
        put_spans(w, s->drops, s->n_drops);
    }
    rpp_jw_obj_end(w);
}

static void put_value(fmt_ctx *fc, const rpp_value *v)
{
    rpp_jw *w = &fc->jw;

    rpp_jw_key(w, v->key);
    switch (v->kind) {
    case RPP_VALUE_INT: rpp_jw_int(w, v->i); break;
    case RPP_VALUE_NUM: rpp_jw_num(w, v->d); break;
    case RPP_VALUE_BOOL: rpp_jw_bool(w, v->i != 0); break;
    case RPP_VALUE_STR: rpp_jw_str(w, fmt_text(fc, v->s)); break;
    }
}

static void put_findings(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp_jw *w = &fc->jw;
    size_t i, k;

    rpp_jw_arr(w);
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        rpp_jw_obj(w);
        rpp_jw_key(w, "id");
        rpp_jw_str(w, f->id);
        rpp_jw_key(w, "severity");
        rpp_jw_str(w, rpp_level_name(f->level));
        rpp_jw_key(w, "message");
        rpp_jw_str(w, fmt_text(fc, f->message));
        rpp_jw_key(w, "cause");
        rpp_jw_str(w, fmt_text(fc, f->cause));
        rpp_jw_key(w, "phase");
        if (f->phase >= 0)
            rpp_jw_str(w, rpp_phase_name((rpp_phase)f->phase));
        else
            rpp_jw_null(w);
        rpp_jw_key(w, "evidence");
        rpp_jw_obj(w);
        for (k = 0; k < f->n_evidence; k++)
            put_value(fc, &f->evidence[k]);
        rpp_jw_obj_end(w);
        rpp_jw_key(w, "spans");
        put_spans(w, f->spans, f->n_spans);
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
}

static void put_event_ref(fmt_ctx *fc, size_t i)
{
    const rpp_event *e = &fc->a->report->events[i];
    rpp_jw *w = &fc->jw;

    rpp_jw_obj(w);
    rpp_jw_key(w, "index");
    rpp_jw_uint(w, i);
    rpp_jw_key(w, "type");
    rpp_jw_str(w, e->type_name);
    rpp_jw_key(w, "atMs");
    rpp_jw_uint(w, fc->a->event_times[i].start_ms);
    rpp_jw_key(w, "durationMs");
    rpp_jw_uint(w, e->duration_ms);
    rpp_jw_key(w, "success");
    rpp_jw_bool(w, e->success);
    rpp_jw_key(w, "metadata");
    rpp_jw_str(w, e->metadata ? fmt_text(fc, e->metadata) : NULL);
    rpp_jw_obj_end(w);
}

static void put_events(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp_jw *w = &fc->jw;
    size_t i;
    int c;

    rpp_jw_obj(w);
    rpp_jw_key(w, "count");
    rpp_jw_uint(w, a->report->n_events);
    rpp_jw_key(w, "byType");
    rpp_jw_arr(w);
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        rpp_jw_obj(w);
        rpp_jw_key(w, "type");
        rpp_jw_str(w, t->name);
        rpp_jw_key(w, "known");
        rpp_jw_bool(w, t->type != RPP_EV_UNKNOWN);
        rpp_jw_key(w, "category");
        rpp_jw_str(w, rpp_category_id(t->category));
        rpp_jw_key(w, "count");
        rpp_jw_uint(w, t->count);
        rpp_jw_key(w, "totalMs");
        rpp_jw_uint(w, t->total_ms);
        rpp_jw_key(w, "avgMs");
        rpp_jw_num(w, round2(t->avg_ms));
        rpp_jw_key(w, "minMs");
        rpp_jw_uint(w, t->min_ms);
        rpp_jw_key(w, "maxMs");
        rpp_jw_uint(w, t->max_ms);
        rpp_jw_key(w, "failures");
        rpp_jw_uint(w, t->failures);
        rpp_jw_key(w, "share");
        rpp_jw_num(w, round4(t->share));
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "byCategory");
    rpp_jw_arr(w);
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        rpp_jw_obj(w);
        rpp_jw_key(w, "category");
        rpp_jw_str(w, rpp_category_id(cs->category));
        rpp_jw_key(w, "title");
        rpp_jw_str(w, rpp_category_title(cs->category));
        rpp_jw_key(w, "count");
        rpp_jw_uint(w, cs->count);
        rpp_jw_key(w, "totalMs");
        rpp_jw_uint(w, cs->total_ms);
        rpp_jw_key(w, "failures");
        rpp_jw_uint(w, cs->failures);
        rpp_jw_key(w, "share");
        rpp_jw_num(w, round4(cs->share));
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "longest");
    rpp_jw_arr(w);
    for (i = 0; i < a->n_longest; i++)
        put_event_ref(fc, a->longest[i]);
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "failed");
    rpp_jw_arr(w);
    for (i = 0; i < a->n_failed; i++)
        put_event_ref(fc, a->failed[i]);
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "summaryMismatches");
    rpp_jw_arr(w);
    for (i = 0; i < a->n_mismatches; i++) {
        const rpp_mismatch *m = &a->mismatches[i];
        rpp_jw_obj(w);
        rpp_jw_key(w, "type");
        rpp_jw_str(w, m->name);
        rpp_jw_key(w, "summaryCount");
        rpp_jw_uint(w, m->summary_count);
        rpp_jw_key(w, "eventsCount");
        rpp_jw_uint(w, m->events_count);
        rpp_jw_key(w, "summaryTotalMs");
        rpp_jw_uint(w, m->summary_total_ms);
        rpp_jw_key(w, "eventsTotalMs");
        rpp_jw_uint(w, m->events_total_ms);
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
    rpp_jw_obj_end(w);
}

static void put_phases(fmt_ctx *fc, const rpp_phase_stats *ph, bool full)
{
    rpp_jw *w = &fc->jw;
    int p;

    rpp_jw_obj(w);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp_jw_key(w, rpp_phase_name((rpp_phase)p));
        if (ph[p].present)
            put_phase(fc, &ph[p], full);
        else
            rpp_jw_null(w);
    }
    rpp_jw_obj_end(w);
}

static void put_cycles(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp_jw *w = &fc->jw;
    size_t i;

    rpp_jw_arr(w);
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        rpp_jw_obj(w);
        rpp_jw_key(w, "index");
        rpp_jw_uint(w, i + 1);
        rpp_jw_key(w, "state");
        rpp_jw_str(w, rpp_session_state_name(c->state));
        rpp_jw_key(w, "image");
        rpp_jw_str(w, fmt_name(fc, "image", c->image_name));
        rpp_jw_key(w, "device");
        rpp_jw_str(w, fmt_name(fc, "device", c->device_name));
        rpp_jw_key(w, "message");
        rpp_jw_str(w, c->end_message ? fmt_text(fc, c->end_message) : NULL);
        rpp_jw_key(w, "offsetMs");
        rpp_jw_uint(w, c->offset_ms);
        rpp_jw_key(w, "durationMs");
        rpp_jw_uint(w, c->duration_ms);
        rpp_jw_key(w, "durationKnown");
        rpp_jw_bool(w, c->duration_known);
        rpp_jw_key(w, "phases");
        put_phases(fc, c->phases, false);
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
}

static void put_system(fmt_ctx *fc)
{
    const rpp_system *s = &fc->a->report->system;
    rpp_jw *w = &fc->jw;

    if (!s->present) {
        rpp_jw_null(w);
        return;
    }
    rpp_jw_obj(w);
    rpp_jw_key(w, "os");
    rpp_jw_str(w, fmt_text(fc, s->platform.os));
    rpp_jw_key(w, "osVersion");
    rpp_jw_str(w, fmt_text(fc, s->platform.os_version));
    rpp_jw_key(w, "cpuArchitecture");
    rpp_jw_str(w, fmt_text(fc, s->platform.cpu_architecture));
    rpp_jw_key(w, "cpuCores");
    rpp_jw_uint(w, s->platform.cpu_cores);
    rpp_jw_key(w, "memoryTotalMB");
    rpp_jw_uint(w, s->memory.total_mb);
    rpp_jw_key(w, "memoryAvailableMB");
    rpp_jw_uint(w, s->memory.available_mb);
    rpp_jw_key(w, "targetDevice");
    rpp_jw_obj(w);
    rpp_jw_key(w, "path");
    rpp_jw_str(w, fmt_name(fc, "device", s->target.path));
    rpp_jw_key(w, "description");
    rpp_jw_str(w, fmt_text(fc, s->target.description));
    rpp_jw_key(w, "sizeBytes");
    rpp_jw_uint(w, s->target.size_bytes);
    rpp_jw_key(w, "isUsb");
    rpp_jw_bool(w, s->target.is_usb);
    rpp_jw_key(w, "isRemovable");
    rpp_jw_bool(w, s->target.is_removable);
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "imager");
    rpp_jw_obj(w);
    rpp_jw_key(w, "version");
    rpp_jw_str(w, fmt_text(fc, s->imager.version));
    rpp_jw_key(w, "buildType");
    rpp_jw_str(w, fmt_text(fc, s->imager.build_type));
    rpp_jw_key(w, "binarySha256");
    rpp_jw_str(w, fmt_name(fc, "hash", s->imager.binary_sha256));
    rpp_jw_key(w, "qtRuntime");
    rpp_jw_str(w, fmt_text(fc, s->imager.qt_runtime));
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "writeConfig");
    if (s->has_write_config) {
        rpp_jw_obj(w);
        rpp_jw_key(w, "directIO");
        rpp_jw_bool(w, s->write_config.direct_io_enabled);
        rpp_jw_key(w, "periodicSync");
        rpp_jw_bool(w, s->write_config.periodic_sync_enabled);
        rpp_jw_key(w, "syncIntervalMB");
        rpp_jw_uint(w, s->write_config.sync_interval_mb);
        rpp_jw_key(w, "syncIntervalMs");
        rpp_jw_uint(w, s->write_config.sync_interval_ms);
        rpp_jw_key(w, "memoryTier");
        rpp_jw_str(w, fmt_text(fc, s->write_config.memory_tier));
        rpp_jw_key(w, "writeBufferKB");
        rpp_jw_uint(w, s->write_config.buffers.write_buffer_kb);
        rpp_jw_key(w, "inputBufferKB");
        rpp_jw_uint(w, s->write_config.buffers.input_buffer_kb);
        rpp_jw_key(w, "inputRingBufferSlots");
        rpp_jw_uint(w, s->write_config.buffers.input_ring_buffer_slots);
        rpp_jw_key(w, "writeRingBufferSlots");
        rpp_jw_uint(w, s->write_config.buffers.write_ring_buffer_slots);
        rpp_jw_obj_end(w);
    } else {
        rpp_jw_null(w);
    }
    rpp_jw_obj_end(w);
}

static void put_context(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_context *cx = &a->context;
    rpp_jw *w = &fc->jw;
    size_t i, k;

    rpp_jw_obj(w);
    rpp_jw_key(w, "system");
    put_system(fc);
    rpp_jw_key(w, "syncs");
    rpp_jw_obj(w);
    rpp_jw_key(w, "count");
    rpp_jw_uint(w, cx->sync_count);
    rpp_jw_key(w, "totalMs");
    rpp_jw_uint(w, cx->sync_total_ms);
    rpp_jw_key(w, "maxMs");
    rpp_jw_uint(w, cx->sync_max_ms);
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "writeTiming");
    if (cx->has_write_timing) {
        rpp_jw_obj(w);
        rpp_jw_key(w, "totalMs");
        rpp_jw_uint(w, cx->write_timing_total_ms);
        rpp_jw_key(w, "syscallShare");
        rpp_jw_num(w, round4(cx->write_syscall_share));
        rpp_jw_key(w, "hashWaitShare");
        rpp_jw_num(w, round4(cx->write_hash_wait_share));
        rpp_jw_key(w, "syncShare");
        rpp_jw_num(w, round4(cx->write_sync_share));
        rpp_jw_obj_end(w);
    } else {
        rpp_jw_null(w);
    }
    rpp_jw_key(w, "details");
    rpp_jw_arr(w);
    for (i = 0; i < cx->n_details; i++) {
        const rpp_context_event *d = &cx->details[i];
        rpp_jw_obj(w);
        rpp_jw_key(w, "type");
        rpp_jw_str(w, a->report->events[d->index].type_name);
        rpp_jw_key(w, "index");
        rpp_jw_uint(w, d->index);
        rpp_jw_key(w, "durationMs");
        rpp_jw_uint(w, a->report->events[d->index].duration_ms);
        rpp_jw_key(w, "values");
        rpp_jw_obj(w);
        for (k = 0; k < d->n_pairs; k++) {
            /* repeated keys in one metadata string: keep the first */
            size_t j;
            for (j = 0; j < k; j++)
                if (strcmp(d->pairs[j].key, d->pairs[k].key) == 0)
                    break;
            if (j < k)
                continue;
            rpp_jw_key(w, d->pairs[k].key);
            rpp_jw_str(w, fmt_text(fc, d->pairs[k].value));
        }
        rpp_jw_obj_end(w);
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "recovery");
    rpp_jw_arr(w);
    for (i = 0; i < cx->n_recovery; i++)
        put_event_ref(fc, cx->recovery[i]);
    rpp_jw_arr_end(w);
    rpp_jw_key(w, "transfers");
    rpp_jw_arr(w);
    for (i = 0; i < cx->n_transfers; i++) {
        const rpp_event *e = &a->report->events[cx->transfers[i]];
        rpp_jw_obj(w);
        rpp_jw_key(w, "index");
        rpp_jw_uint(w, cx->transfers[i]);
        rpp_jw_key(w, "type");
        rpp_jw_str(w, e->type_name);
        rpp_jw_key(w, "bytes");
        rpp_jw_uint(w, e->bytes_transferred);
        rpp_jw_key(w, "durationMs");
        rpp_jw_uint(w, e->duration_ms);
        put_mbps(w, "MBps", cx->transfer_kbps[i]);
        rpp_jw_obj_end(w);
    }
    rpp_jw_arr_end(w);
    rpp_jw_obj_end(w);
}

void fmt_json(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    rpp_jw *w = &fc->jw;
    size_t i;

    rpp_jw_init(w, fc->out, 2);
    rpp_jw_obj(w);
    rpp_jw_key(w, "tool");
    rpp_jw_obj(w);
    rpp_jw_key(w, "name");
    rpp_jw_str(w, "rpiperf");
    rpp_jw_key(w, "version");
    rpp_jw_str(w, fc->opts.tool_version ? fc->opts.tool_version
                                        : RPP_VERSION_STRING);
    rpp_jw_key(w, "formatVersion");
    rpp_jw_int(w, JSON_FORMAT_VERSION);
    rpp_jw_key(w, "redacted");
    rpp_jw_bool(w, fc->opts.redact);
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "file");
    rpp_jw_str(w, fc->opts.file_name);
    rpp_jw_key(w, "report");
    rpp_jw_obj(w);
    rpp_jw_key(w, "version");
    rpp_jw_int(w, r->version);
    rpp_jw_key(w, "exportTime");
    rpp_jw_str(w, fmt_text(fc, r->export_time));
    rpp_jw_key(w, "windowMs");
    rpp_jw_uint(w, r->window_ms);
    rpp_jw_obj_end(w);

    rpp_jw_key(w, "session");
    rpp_jw_obj(w);
    rpp_jw_key(w, "state");
    rpp_jw_str(w, rpp_session_state_name(a->session.state));
    rpp_jw_key(w, "stateInferred");
    rpp_jw_bool(w, a->session.state_inferred);
    rpp_jw_key(w, "result");
    rpp_jw_str(w, fmt_text(fc, a->session.result));
    rpp_jw_key(w, "image");
    rpp_jw_str(w, fmt_name(fc, "image", r->summary.image_name));
    rpp_jw_key(w, "device");
    rpp_jw_str(w, fmt_name(fc, "device", r->summary.device_name));
    rpp_jw_key(w, "imageSize");
    rpp_jw_uint(w, r->summary.image_size);
    rpp_jw_key(w, "startTime");
    rpp_jw_uint(w, r->summary.session_start_time);
    rpp_jw_key(w, "durationMs");
    rpp_jw_uint(w, r->summary.duration_ms);
    rpp_jw_key(w, "wallMs");
    rpp_jw_uint(w, a->session.wall_ms);
    rpp_jw_key(w, "timelineMs");
    rpp_jw_uint(w, a->session.timeline_ms);
    rpp_jw_key(w, "errorMessage");
    rpp_jw_str(w, r->summary.error_message
                      ? fmt_text(fc, r->summary.error_message)
                      : NULL);
    rpp_jw_key(w, "note");
    rpp_jw_str(w, a->session.note);
    rpp_jw_obj_end(w);

    rpp_jw_key(w, "findings");
    put_findings(fc);
    rpp_jw_key(w, "counts");
    rpp_jw_obj(w);
    rpp_jw_key(w, "error");
    rpp_jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_ERROR));
    rpp_jw_key(w, "warning");
    rpp_jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_WARNING) -
                       rpp_analysis_count(a, RPP_LEVEL_ERROR));
    rpp_jw_key(w, "info");
    rpp_jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_INFO) -
                       rpp_analysis_count(a, RPP_LEVEL_WARNING));
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "events");
    put_events(fc);
    rpp_jw_key(w, "phases");
    put_phases(fc, a->phases, true);
    rpp_jw_key(w, "cycles");
    put_cycles(fc);
    rpp_jw_key(w, "cyclesFromEvents");
    rpp_jw_bool(w, a->cycles_from_events);
    rpp_jw_key(w, "bottleneck");
    rpp_jw_obj(w);
    rpp_jw_key(w, "kind");
    rpp_jw_str(w, rpp_bottleneck_name(a->bottleneck.kind));
    rpp_jw_key(w, "confidence");
    rpp_jw_str(w, rpp_confidence_name(a->bottleneck.confidence));
    rpp_jw_key(w, "summary");
    rpp_jw_str(w, a->bottleneck.summary);
    rpp_jw_key(w, "reasons");
    rpp_jw_arr(w);
    for (i = 0; i < a->bottleneck.n_reasons; i++)
        rpp_jw_str(w, a->bottleneck.reasons[i]);
    rpp_jw_arr_end(w);
    rpp_jw_obj_end(w);
    rpp_jw_key(w, "context");
    put_context(fc);
    rpp_jw_obj_end(w);
    rpp_buf_putc(fc->out, '\n');
}
