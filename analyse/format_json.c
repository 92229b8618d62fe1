/*
 * format_json.c - the whole analysis as JSON. The shape is documented in
 * README.md ("JSON output") and stays stable: new keys may appear, existing
 * keys keep their meaning.
 */
#include "format.h"

#include <math.h>

#include <string.h>

#define JSON_FORMAT_VERSION 1

static void put_mbps(rpp__jw *w, const char *key, double kbps)
{
    rpp__jw_key(w, key);
    rpp__jw_num(w, kbps_to_mbps2(kbps));
}

static void put_spans(rpp__jw *w, const rpp_span *s, size_t n)
{
    size_t i;

    rpp__jw_arr(w);
    for (i = 0; i < n; i++) {
        rpp__jw_arr(w);
        rpp__jw_uint(w, s[i].start_ms);
        rpp__jw_uint(w, s[i].end_ms);
        rpp__jw_arr_end(w);
    }
    rpp__jw_arr_end(w);
}

static void put_phase(fmt_ctx *fc, const rpp_phase_stats *s, bool full)
{
    rpp__jw *w = &fc->jw;
    int k;

    rpp__jw_obj(w);
    rpp__jw_key(w, "slices");
    rpp__jw_uint(w, s->n_slices);
    rpp__jw_key(w, "activeMs");
    rpp__jw_uint(w, s->active_ms);
    rpp__jw_key(w, "bytes");
    rpp__jw_uint(w, s->bytes);
    rpp__jw_key(w, "bytesEstimated");
    rpp__jw_bool(w, s->bytes_estimated);
    rpp__jw_key(w, "bytesTotal");
    if (s->bytes_total_known)
        rpp__jw_uint(w, s->bytes_total);
    else
        rpp__jw_null(w);
    put_mbps(w, "minMBps", s->min_kbps);
    put_mbps(w, "avgMBps", s->avg_kbps);
    put_mbps(w, "maxMBps", s->max_kbps);
    put_mbps(w, "p5MBps", s->p5_kbps);
    put_mbps(w, "medianMBps", s->median_kbps);
    put_mbps(w, "p95MBps", s->p95_kbps);
    rpp__jw_key(w, "cv");
    rpp__jw_num(w, round2(s->cv));
    rpp__jw_key(w, "lowShare");
    rpp__jw_num(w, round2(s->low_share));
    rpp__jw_key(w, "startMs");
    rpp__jw_uint(w, s->first_ms);
    rpp__jw_key(w, "endMs");
    rpp__jw_uint(w, s->last_ms);
    if (full) {
        rpp__jw_key(w, "samples");
        rpp__jw_uint(w, s->samples);
        rpp__jw_key(w, "buckets");
        rpp__jw_arr(w);
        for (k = 0; k < RPP_BUCKETS; k++)
            rpp__jw_uint(w, s->buckets[k]);
        rpp__jw_arr_end(w);
        rpp__jw_key(w, "gaps");
        put_spans(w, s->gaps, s->n_gaps);
        rpp__jw_key(w, "stallWindows");
        put_spans(w, s->stalls, s->n_stalls);
        rpp__jw_key(w, "drops");
        put_spans(w, s->drops, s->n_drops);
    }
    rpp__jw_obj_end(w);
}

static void put_value(fmt_ctx *fc, const rpp_value *v)
{
    rpp__jw *w = &fc->jw;

    rpp__jw_key(w, v->key);
    switch (v->kind) {
    case RPP_VALUE_INT: rpp__jw_int(w, v->i); break;
    case RPP_VALUE_NUM: rpp__jw_num(w, v->d); break;
    case RPP_VALUE_BOOL: rpp__jw_bool(w, v->i != 0); break;
    case RPP_VALUE_STR: rpp__jw_str(w, rpp__fmt_text(fc, v->s)); break;
    }
}

static void put_findings(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp__jw *w = &fc->jw;
    size_t i, k;

    rpp__jw_arr(w);
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "id");
        rpp__jw_str(w, f->id);
        rpp__jw_key(w, "severity");
        rpp__jw_str(w, rpp_level_name(f->level));
        rpp__jw_key(w, "message");
        rpp__jw_str(w, rpp__fmt_text(fc, f->message));
        rpp__jw_key(w, "cause");
        rpp__jw_str(w, rpp__fmt_text(fc, f->cause));
        rpp__jw_key(w, "phase");
        if (f->phase >= 0)
            rpp__jw_str(w, rpp_phase_name((rpp_phase)f->phase));
        else
            rpp__jw_null(w);
        rpp__jw_key(w, "evidence");
        rpp__jw_obj(w);
        for (k = 0; k < f->n_evidence; k++)
            put_value(fc, &f->evidence[k]);
        rpp__jw_obj_end(w);
        rpp__jw_key(w, "spans");
        put_spans(w, f->spans, f->n_spans);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void put_event_ref(fmt_ctx *fc, size_t i)
{
    const rpp_event *e = &fc->a->report->events[i];
    rpp__jw *w = &fc->jw;

    rpp__jw_obj(w);
    rpp__jw_key(w, "index");
    rpp__jw_uint(w, i);
    rpp__jw_key(w, "type");
    rpp__jw_str(w, e->type_name);
    rpp__jw_key(w, "atMs");
    rpp__jw_uint(w, fc->a->event_times[i].start_ms);
    rpp__jw_key(w, "durationMs");
    rpp__jw_uint(w, e->duration_ms);
    rpp__jw_key(w, "success");
    rpp__jw_bool(w, e->success);
    rpp__jw_key(w, "metadata");
    rpp__jw_str(w, e->metadata ? rpp__fmt_text(fc, e->metadata) : NULL);
    rpp__jw_obj_end(w);
}

static void put_events(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp__jw *w = &fc->jw;
    size_t i;
    int c;

    rpp__jw_obj(w);
    rpp__jw_key(w, "count");
    rpp__jw_uint(w, a->report->n_events);
    rpp__jw_key(w, "byType");
    rpp__jw_arr(w);
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, t->name);
        rpp__jw_key(w, "known");
        rpp__jw_bool(w, t->type != RPP_EV_UNKNOWN);
        rpp__jw_key(w, "category");
        rpp__jw_str(w, rpp_category_id(t->category));
        rpp__jw_key(w, "count");
        rpp__jw_uint(w, t->count);
        rpp__jw_key(w, "totalMs");
        rpp__jw_uint(w, t->total_ms);
        rpp__jw_key(w, "avgMs");
        rpp__jw_num(w, round2(t->avg_ms));
        rpp__jw_key(w, "minMs");
        rpp__jw_uint(w, t->min_ms);
        rpp__jw_key(w, "maxMs");
        rpp__jw_uint(w, t->max_ms);
        rpp__jw_key(w, "failures");
        rpp__jw_uint(w, t->failures);
        rpp__jw_key(w, "share");
        rpp__jw_num(w, round4(t->share));
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "byCategory");
    rpp__jw_arr(w);
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        rpp__jw_obj(w);
        rpp__jw_key(w, "category");
        rpp__jw_str(w, rpp_category_id(cs->category));
        rpp__jw_key(w, "title");
        rpp__jw_str(w, rpp_category_title(cs->category));
        rpp__jw_key(w, "count");
        rpp__jw_uint(w, cs->count);
        rpp__jw_key(w, "totalMs");
        rpp__jw_uint(w, cs->total_ms);
        rpp__jw_key(w, "failures");
        rpp__jw_uint(w, cs->failures);
        rpp__jw_key(w, "share");
        rpp__jw_num(w, round4(cs->share));
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "longest");
    rpp__jw_arr(w);
    for (i = 0; i < a->n_longest; i++)
        put_event_ref(fc, a->longest[i]);
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "failed");
    rpp__jw_arr(w);
    for (i = 0; i < a->n_failed; i++)
        put_event_ref(fc, a->failed[i]);
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "summaryMismatches");
    rpp__jw_arr(w);
    for (i = 0; i < a->n_mismatches; i++) {
        const rpp_mismatch *m = &a->mismatches[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, m->name);
        rpp__jw_key(w, "summaryCount");
        rpp__jw_uint(w, m->summary_count);
        rpp__jw_key(w, "eventsCount");
        rpp__jw_uint(w, m->events_count);
        rpp__jw_key(w, "summaryTotalMs");
        rpp__jw_uint(w, m->summary_total_ms);
        rpp__jw_key(w, "eventsTotalMs");
        rpp__jw_uint(w, m->events_total_ms);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_obj_end(w);
}

static void put_phases(fmt_ctx *fc, const rpp_phase_stats *ph, bool full)
{
    rpp__jw *w = &fc->jw;
    int p;

    rpp__jw_obj(w);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp__jw_key(w, rpp_phase_name((rpp_phase)p));
        if (ph[p].present)
            put_phase(fc, &ph[p], full);
        else
            rpp__jw_null(w);
    }
    rpp__jw_obj_end(w);
}

static void put_progress(fmt_ctx *fc, const rpp_progress *pg)
{
    rpp__jw *w = &fc->jw;

    rpp__jw_obj(w);
    rpp__jw_key(w, "imageBytes");
    if (pg->image_bytes)
        rpp__jw_uint(w, pg->image_bytes);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "writtenBytes");
    rpp__jw_uint(w, pg->written_bytes);
    rpp__jw_key(w, "writtenEstimated");
    rpp__jw_bool(w, pg->written_estimated);
    rpp__jw_key(w, "writtenShare");
    if (pg->image_bytes)
        rpp__jw_num(w, round(pg->written_share * 10000) / 10000);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "verifiedBytes");
    rpp__jw_uint(w, pg->verified_bytes);
    rpp__jw_key(w, "verifiedEstimated");
    rpp__jw_bool(w, pg->verified_estimated);
    rpp__jw_key(w, "verifiedShare");
    if (pg->image_bytes)
        rpp__jw_num(w, round(pg->verified_share * 10000) / 10000);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "writeComplete");
    rpp__jw_bool(w, pg->write_complete);
    rpp__jw_key(w, "verifyComplete");
    rpp__jw_bool(w, pg->verify_complete);
    rpp__jw_key(w, "lastProgressMs");
    if (pg->last_phase >= 0)
        rpp__jw_uint(w, pg->last_progress_ms);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "lastPhase");
    rpp__jw_str(w, pg->last_phase >= 0
                       ? rpp_phase_name((rpp_phase)pg->last_phase)
                       : NULL);
    rpp__jw_obj_end(w);
}

static void put_bottleneck(fmt_ctx *fc, const rpp_bottleneck *bn)
{
    const rpp_pipeline_evidence *ev = &bn->evidence;
    rpp__jw *w = &fc->jw;
    size_t i;

    rpp__jw_obj(w);
    rpp__jw_key(w, "kind");
    rpp__jw_str(w, rpp_bottleneck_name(bn->kind));
    rpp__jw_key(w, "confidence");
    rpp__jw_str(w, rpp_confidence_name(bn->confidence));
    rpp__jw_key(w, "summary");
    rpp__jw_str(w, bn->summary);
    rpp__jw_key(w, "reasons");
    rpp__jw_arr(w);
    for (i = 0; i < bn->n_reasons; i++)
        rpp__jw_str(w, bn->reasons[i]);
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "cycle");
    if (bn->cycle >= 0)
        rpp__jw_int(w, bn->cycle + 1);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "deviceStopped");
    rpp__jw_bool(w, bn->device_stopped);
    rpp__jw_key(w, "evidence");
    rpp__jw_obj(w);
    rpp__jw_key(w, "writeProducerStalls");
    rpp__jw_uint(w, ev->write_producer_stalls);
    rpp__jw_key(w, "inputProducerStalls");
    rpp__jw_uint(w, ev->input_producer_stalls);
    rpp__jw_key(w, "inputConsumerStalls");
    rpp__jw_uint(w, ev->input_consumer_stalls);
    rpp__jw_key(w, "stallTimeouts");
    rpp__jw_uint(w, ev->stall_timeouts);
    rpp__jw_key(w, "decompressBusyMs");
    if (ev->has_decompress_time)
        rpp__jw_uint(w, ev->decompress_busy_ms);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "inputWaitMs");
    if (ev->has_input_wait)
        rpp__jw_uint(w, ev->input_wait_ms);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "writeWaitMs");
    if (ev->has_write_wait)
        rpp__jw_uint(w, ev->write_wait_ms);
    else
        rpp__jw_null(w);
    rpp__jw_key(w, "writeMs");
    rpp__jw_uint(w, ev->write_ms);
    rpp__jw_key(w, "networkRetries");
    rpp__jw_uint(w, ev->network_retries);
    rpp__jw_key(w, "retrySleepMs");
    rpp__jw_uint(w, ev->retry_sleep_ms);
    rpp__jw_key(w, "downloadSteady");
    rpp__jw_bool(w, ev->download_steady);
    rpp__jw_key(w, "downloadEndedEarly");
    rpp__jw_bool(w, ev->download_ended_early);
    rpp__jw_key(w, "writeCallMs");
    if (ev->has_write_timing)
        rpp__jw_uint(w, ev->write_call_ms);
    else
        rpp__jw_null(w);
    rpp__jw_obj_end(w);
    rpp__jw_obj_end(w);
}

static void put_stalls(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp__jw *w = &fc->jw;
    size_t i;
    int p;

    rpp__jw_arr(w);
    for (i = 0; i < a->n_stalls; i++) {
        const rpp_stall *s = &a->stalls[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "startMs");
        rpp__jw_uint(w, s->start_ms);
        rpp__jw_key(w, "endMs");
        rpp__jw_uint(w, s->end_ms);
        rpp__jw_key(w, "phases");
        rpp__jw_arr(w);
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            if ((s->phases >> p) & 1)
                rpp__jw_str(w, rpp_phase_name((rpp_phase)p));
        rpp__jw_arr_end(w);
        rpp__jw_key(w, "cycle");
        if (s->cycle >= 0)
            rpp__jw_int(w, s->cycle + 1);
        else
            rpp__jw_null(w);
        rpp__jw_key(w, "causeEvent");
        if (s->cause_event != SIZE_MAX)
            rpp__jw_uint(w, s->cause_event);
        else
            rpp__jw_null(w);
        rpp__jw_key(w, "cause");
        rpp__jw_str(w, s->cause ? rpp__fmt_text(fc, s->cause) : NULL);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void put_device_stops(fmt_ctx *fc)
{
    static const char *const outcomes[] = { "ongoing", "recovered",
                                            "restarted", "gave up" };
    const rpp_analysis *a = fc->a;
    rpp__jw *w = &fc->jw;
    size_t i, k;

    rpp__jw_arr(w);
    for (i = 0; i < a->n_device_stops; i++) {
        const rpp_device_stop *s = &a->device_stops[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "startMs");
        rpp__jw_uint(w, s->start_ms);
        rpp__jw_key(w, "durationMs");
        rpp__jw_uint(w, s->duration_ms);
        rpp__jw_key(w, "writtenBytes");
        rpp__jw_uint(w, s->written_bytes);
        rpp__jw_key(w, "writtenShare");
        rpp__jw_num(w, round(s->written_share * 10000) / 10000);
        rpp__jw_key(w, "outcome");
        rpp__jw_str(w, outcomes[s->outcome <= RPP_STOP_GAVE_UP ? s->outcome
                                                               : 0]);
        rpp__jw_key(w, "progressStalls");
        rpp__jw_uint(w, s->n_progress_stalls);
        rpp__jw_key(w, "actions");
        rpp__jw_arr(w);
        for (k = 0; k < s->n_actions; k++)
            rpp__jw_uint(w, s->actions[k]);
        rpp__jw_arr_end(w);
        rpp__jw_key(w, "message");
        rpp__jw_str(w, s->message ? rpp__fmt_text(fc, s->message) : NULL);
        rpp__jw_key(w, "cycle");
        if (s->cycle >= 0)
            rpp__jw_int(w, s->cycle + 1);
        else
            rpp__jw_null(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void put_cycles(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    rpp__jw *w = &fc->jw;
    size_t i;

    rpp__jw_arr(w);
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "index");
        rpp__jw_uint(w, i + 1);
        rpp__jw_key(w, "state");
        rpp__jw_str(w, rpp_session_state_name(c->state));
        rpp__jw_key(w, "image");
        rpp__jw_str(w, rpp__fmt_name(fc, "image", c->image_name));
        rpp__jw_key(w, "device");
        rpp__jw_str(w, rpp__fmt_name(fc, "device", c->device_name));
        rpp__jw_key(w, "message");
        rpp__jw_str(w, c->end_message ? rpp__fmt_text(fc, c->end_message) : NULL);
        rpp__jw_key(w, "offsetMs");
        rpp__jw_uint(w, c->offset_ms);
        rpp__jw_key(w, "durationMs");
        rpp__jw_uint(w, c->duration_ms);
        rpp__jw_key(w, "durationKnown");
        rpp__jw_bool(w, c->duration_known);
        rpp__jw_key(w, "phases");
        put_phases(fc, c->phases, false);
        rpp__jw_key(w, "progress");
        put_progress(fc, &c->progress);
        rpp__jw_key(w, "bottleneck");
        if (c->bottleneck)
            put_bottleneck(fc, c->bottleneck);
        else
            rpp__jw_null(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void put_system(fmt_ctx *fc)
{
    const rpp_system *s = &fc->a->report->system;
    rpp__jw *w = &fc->jw;

    if (!s->present) {
        rpp__jw_null(w);
        return;
    }
    rpp__jw_obj(w);
    rpp__jw_key(w, "os");
    rpp__jw_str(w, rpp__fmt_text(fc, s->platform.os));
    rpp__jw_key(w, "osVersion");
    rpp__jw_str(w, rpp__fmt_text(fc, s->platform.os_version));
    rpp__jw_key(w, "cpuArchitecture");
    rpp__jw_str(w, rpp__fmt_text(fc, s->platform.cpu_architecture));
    rpp__jw_key(w, "cpuCores");
    rpp__jw_uint(w, s->platform.cpu_cores);
    rpp__jw_key(w, "memoryTotalMB");
    rpp__jw_uint(w, s->memory.total_mb);
    rpp__jw_key(w, "memoryAvailableMB");
    rpp__jw_uint(w, s->memory.available_mb);
    rpp__jw_key(w, "targetDevice");
    rpp__jw_obj(w);
    rpp__jw_key(w, "path");
    rpp__jw_str(w, rpp__fmt_name(fc, "device", s->target.path));
    rpp__jw_key(w, "description");
    rpp__jw_str(w, rpp__fmt_name(fc, "description", s->target.description));
    rpp__jw_key(w, "sizeBytes");
    rpp__jw_uint(w, s->target.size_bytes);
    rpp__jw_key(w, "isUsb");
    rpp__jw_bool(w, s->target.is_usb);
    rpp__jw_key(w, "isRemovable");
    rpp__jw_bool(w, s->target.is_removable);
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "imager");
    rpp__jw_obj(w);
    rpp__jw_key(w, "version");
    rpp__jw_str(w, rpp__fmt_text(fc, s->imager.version));
    rpp__jw_key(w, "buildType");
    rpp__jw_str(w, rpp__fmt_text(fc, s->imager.build_type));
    rpp__jw_key(w, "binarySha256");
    rpp__jw_str(w, rpp__fmt_name(fc, "hash", s->imager.binary_sha256));
    rpp__jw_key(w, "qtRuntime");
    rpp__jw_str(w, rpp__fmt_text(fc, s->imager.qt_runtime));
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "writeConfig");
    if (s->has_write_config) {
        rpp__jw_obj(w);
        rpp__jw_key(w, "directIO");
        rpp__jw_bool(w, s->write_config.direct_io_enabled);
        rpp__jw_key(w, "periodicSync");
        rpp__jw_bool(w, s->write_config.periodic_sync_enabled);
        rpp__jw_key(w, "syncIntervalMB");
        rpp__jw_uint(w, s->write_config.sync_interval_mb);
        rpp__jw_key(w, "syncIntervalMs");
        rpp__jw_uint(w, s->write_config.sync_interval_ms);
        rpp__jw_key(w, "memoryTier");
        rpp__jw_str(w, rpp__fmt_text(fc, s->write_config.memory_tier));
        rpp__jw_key(w, "writeBufferKB");
        rpp__jw_uint(w, s->write_config.buffers.write_buffer_kb);
        rpp__jw_key(w, "inputBufferKB");
        rpp__jw_uint(w, s->write_config.buffers.input_buffer_kb);
        rpp__jw_key(w, "inputRingBufferSlots");
        rpp__jw_uint(w, s->write_config.buffers.input_ring_buffer_slots);
        rpp__jw_key(w, "writeRingBufferSlots");
        rpp__jw_uint(w, s->write_config.buffers.write_ring_buffer_slots);
        rpp__jw_obj_end(w);
    } else {
        rpp__jw_null(w);
    }
    rpp__jw_obj_end(w);
}

static void put_context(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_context *cx = &a->context;
    rpp__jw *w = &fc->jw;
    size_t i, k;

    rpp__jw_obj(w);
    rpp__jw_key(w, "system");
    put_system(fc);
    rpp__jw_key(w, "syncs");
    rpp__jw_obj(w);
    rpp__jw_key(w, "count");
    rpp__jw_uint(w, cx->sync_count);
    rpp__jw_key(w, "totalMs");
    rpp__jw_uint(w, cx->sync_total_ms);
    rpp__jw_key(w, "maxMs");
    rpp__jw_uint(w, cx->sync_max_ms);
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "writeTiming");
    if (cx->has_write_timing) {
        rpp__jw_obj(w);
        rpp__jw_key(w, "totalMs");
        rpp__jw_uint(w, cx->write_timing_total_ms);
        rpp__jw_key(w, "syscallShare");
        rpp__jw_num(w, round4(cx->write_syscall_share));
        rpp__jw_key(w, "hashWaitShare");
        rpp__jw_num(w, round4(cx->write_hash_wait_share));
        rpp__jw_key(w, "syncShare");
        rpp__jw_num(w, round4(cx->write_sync_share));
        rpp__jw_obj_end(w);
    } else {
        rpp__jw_null(w);
    }
    rpp__jw_key(w, "details");
    rpp__jw_arr(w);
    for (i = 0; i < cx->n_details; i++) {
        const rpp_context_event *d = &cx->details[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, a->report->events[d->index].type_name);
        rpp__jw_key(w, "index");
        rpp__jw_uint(w, d->index);
        rpp__jw_key(w, "durationMs");
        rpp__jw_uint(w, a->report->events[d->index].duration_ms);
        rpp__jw_key(w, "values");
        rpp__jw_obj(w);
        for (k = 0; k < d->n_pairs; k++) {
            /* repeated keys in one metadata string: keep the first */
            size_t j;
            for (j = 0; j < k; j++)
                if (strcmp(d->pairs[j].key, d->pairs[k].key) == 0)
                    break;
            if (j < k)
                continue;
            rpp__jw_key(w, d->pairs[k].key);
            rpp__jw_str(w, rpp__fmt_text(fc, d->pairs[k].value));
        }
        rpp__jw_obj_end(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "recovery");
    rpp__jw_arr(w);
    for (i = 0; i < cx->n_recovery; i++)
        put_event_ref(fc, cx->recovery[i]);
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "transfers");
    rpp__jw_arr(w);
    for (i = 0; i < cx->n_transfers; i++) {
        const rpp_event *e = &a->report->events[cx->transfers[i]];
        rpp__jw_obj(w);
        rpp__jw_key(w, "index");
        rpp__jw_uint(w, cx->transfers[i]);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, e->type_name);
        rpp__jw_key(w, "bytes");
        rpp__jw_uint(w, e->bytes_transferred);
        rpp__jw_key(w, "durationMs");
        rpp__jw_uint(w, e->duration_ms);
        put_mbps(w, "MBps", cx->transfer_kbps[i]);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_obj_end(w);
}

void rpp__fmt_json_tool(fmt_ctx *fc, int format_version)
{
    rpp__jw *w = &fc->jw;

    rpp__jw_key(w, "tool");
    rpp__jw_obj(w);
    rpp__jw_key(w, "name");
    rpp__jw_str(w, "rpiperf");
    rpp__jw_key(w, "version");
    rpp__jw_str(w, fc->opts.tool_version ? fc->opts.tool_version
                                        : RPP_VERSION_STRING);
    rpp__jw_key(w, "formatVersion");
    rpp__jw_int(w, format_version);
    rpp__jw_key(w, "redacted");
    rpp__jw_bool(w, fc->opts.redact);
    rpp__jw_obj_end(w);
}

void rpp__fmt_json(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    rpp__jw *w = &fc->jw;

    rpp__jw_init(w, fc->out, 2);
    rpp__jw_obj(w);
    rpp__fmt_json_tool(fc, JSON_FORMAT_VERSION);
    rpp__jw_key(w, "file");
    rpp__jw_str(w, fc->opts.file_name);
    rpp__jw_key(w, "report");
    rpp__jw_obj(w);
    rpp__jw_key(w, "version");
    rpp__jw_int(w, r->version);
    rpp__jw_key(w, "exportTime");
    rpp__jw_str(w, rpp__fmt_text(fc, r->export_time));
    rpp__jw_key(w, "windowMs");
    rpp__jw_uint(w, r->window_ms);
    rpp__jw_obj_end(w);

    rpp__jw_key(w, "session");
    rpp__jw_obj(w);
    rpp__jw_key(w, "state");
    rpp__jw_str(w, rpp_session_state_name(a->session.state));
    rpp__jw_key(w, "stateInferred");
    rpp__jw_bool(w, a->session.state_inferred);
    rpp__jw_key(w, "result");
    rpp__jw_str(w, rpp__fmt_text(fc, a->session.result));
    rpp__jw_key(w, "image");
    rpp__jw_str(w, rpp__fmt_name(fc, "image", r->summary.image_name));
    rpp__jw_key(w, "device");
    rpp__jw_str(w, rpp__fmt_name(fc, "device", r->summary.device_name));
    rpp__jw_key(w, "imageSize");
    rpp__jw_uint(w, r->summary.image_size);
    rpp__jw_key(w, "startTime");
    rpp__jw_uint(w, r->summary.session_start_time);
    rpp__jw_key(w, "durationMs");
    rpp__jw_uint(w, r->summary.duration_ms);
    rpp__jw_key(w, "wallMs");
    rpp__jw_uint(w, a->session.wall_ms);
    rpp__jw_key(w, "timelineMs");
    rpp__jw_uint(w, a->session.timeline_ms);
    rpp__jw_key(w, "errorMessage");
    rpp__jw_str(w, r->summary.error_message
                      ? rpp__fmt_text(fc, r->summary.error_message)
                      : NULL);
    rpp__jw_key(w, "note");
    rpp__jw_str(w, a->session.note);
    rpp__jw_key(w, "progress");
    put_progress(fc, &a->session.progress);
    rpp__jw_obj_end(w);

    rpp__jw_key(w, "findings");
    put_findings(fc);
    rpp__jw_key(w, "counts");
    rpp__jw_obj(w);
    rpp__jw_key(w, "error");
    rpp__jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_ERROR));
    rpp__jw_key(w, "warning");
    rpp__jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_WARNING) -
                       rpp_analysis_count(a, RPP_LEVEL_ERROR));
    rpp__jw_key(w, "info");
    rpp__jw_uint(w, rpp_analysis_count(a, RPP_LEVEL_INFO) -
                       rpp_analysis_count(a, RPP_LEVEL_WARNING));
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "events");
    put_events(fc);
    rpp__jw_key(w, "phases");
    put_phases(fc, a->phases, true);
    rpp__jw_key(w, "cycles");
    put_cycles(fc);
    rpp__jw_key(w, "cyclesFromEvents");
    rpp__jw_bool(w, a->cycles_from_events);
    rpp__jw_key(w, "bottleneck");
    put_bottleneck(fc, &a->bottleneck);
    rpp__jw_key(w, "stalls");
    put_stalls(fc);
    rpp__jw_key(w, "deviceStops");
    put_device_stops(fc);
    rpp__jw_key(w, "context");
    put_context(fc);
    rpp__jw_obj_end(w);
    rpp__buf_putc(fc->out, '\n');
}
