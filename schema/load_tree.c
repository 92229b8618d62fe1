/*
 * load_tree.c - pass 3 of the loader: each section of a parsed report
 * (version, summary, system, events, histograms, schema) checked key by
 * key and converted into the model of report.h, through the checked walk
 * of load_walk.c. The keys of each object are listed here once; the odd
 * but well-formed slices are warned about last.
 */
#include "load_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*section_fn)(rpp__loader *ld, const cJSON *v);

/* Reads v, the value of key (nothing when NULL), with fn. */
static void load_key(rpp__loader *ld, const char *key, const cJSON *v,
                     section_fn fn)
{
    size_t saved;

    if (!v)
        return;
    saved = rpp__ld_push_key(ld, key);
    fn(ld, v);
    rpp__ld_pop(ld, saved);
}

/*
 * The number of children of c (an array or an object, what its type name
 * says), refused above max: "N WHAT, above the limit of MAX". False with
 * the problem recorded when c is not of that type or too large.
 */
static bool count_children(rpp__loader *ld, const cJSON *c, bool array,
                           const char *type_name, size_t max,
                           const char *what, size_t *n)
{
    const cJSON *k;

    if (array ? !cJSON_IsArray(c) : !cJSON_IsObject(c)) {
        RPP__LD_ERR(ld, "expected %s, got %s", type_name,
                    rpp__json_type_name(c));
        return false;
    }
    *n = 0;
    for (k = c->child; k; k = k->next)
        (*n)++;
    if (*n > max) {
        rpp__ld_problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                        "%zu %s, above the limit of %zu", *n, what, max);
        return false;
    }
    return true;
}

/* The keys of the phases, in "histograms" and "summary.phases". */
const char *const rpp__phase_keys[RPP_PHASE_COUNT] = {
#define X(e, name, since) name,
#include <rpiperf/phases.def>
#undef X
};
static const rpp__fields phase_fields = { rpp__phase_keys, RPP_PHASE_COUNT };

/* ---- summary.events ---------------------------------------------------- */

enum { EVS_COUNT, EVS_TOTAL, EVS_AVG, EVS_MIN, EVS_MAX, EVS__N };
static const char *const evs_names[EVS__N] = { "count", "totalMs", "avgMs",
                                               "minMs", "maxMs" };
static const rpp__fields evs_fields = { evs_names, EVS__N };

/* One entry of summary.events, named key: appended when valid. */
static void load_event_summary(rpp__loader *ld, const cJSON *c,
                               const char *key)
{
    rpp_summary *s = &ld->r->summary;
    const cJSON *f[EVS__N];
    uint64_t v[EVS__N];
    rpp_event_summary *es;
    bool ok = true;
    size_t k;

    if (!rpp__ld_collect(ld, c, &evs_fields, f))
        return;
    for (k = 0; k < EVS__N; k++) {
        v[k] = 0;
        if (!f[k]) {
            rpp__ld_missing(ld, evs_names[k]);
            ok = false;
        } else if (!rpp__ld_u53(ld, f[k], evs_names[k], &v[k])) {
            ok = false;
        }
    }
    if (!ok)
        return;
    es = &s->event_summaries[s->n_event_summaries];
    es->name = rpp__arena_strdup(ld->r->arena, key);
    if (!es->name) {
        RPP__LD_NOMEM(ld);
        return;
    }
    s->n_event_summaries++;
    es->type = rpp_event_type_from_name(key);
    es->count = v[EVS_COUNT];
    es->total_ms = v[EVS_TOTAL];
    es->avg_ms = v[EVS_AVG];
    es->min_ms = v[EVS_MIN];
    es->max_ms = v[EVS_MAX];
    if (es->type == RPP_EV_UNKNOWN)
        rpp__ld_unknown_type(ld, es->name);
}

static void load_event_summaries(rpp__loader *ld, const cJSON *obj)
{
    rpp_summary *s = &ld->r->summary;
    rpp__namemap seen = { NULL, NULL, 0, 0 };
    const cJSON *c;
    size_t n, saved;
    int added;

    if (!count_children(ld, obj, false, "an object", ld->opts.max_events,
                        "event types", &n))
        return;
    if (n && !(s->event_summaries = calloc(n, sizeof(*s->event_summaries)))) {
        RPP__LD_NOMEM(ld);
        return;
    }
    for (c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";

        saved = rpp__ld_push_key(ld, key);
        /* a set of the names seen, so that many types stay linear */
        added = rpp__namemap_put(&seen, key, 0, NULL);
        if (added < 0)
            RPP__LD_NOMEM(ld);
        else if (added == 0)
            RPP__LD_ERR(ld, "duplicate key");
        else
            load_event_summary(ld, c, key);
        rpp__ld_pop(ld, saved);
        if (added < 0)
            break;
    }
    rpp__namemap_free(&seen);
}

/* ---- summary.phases ---------------------------------------------------- */

/* In the order of the RPP_PH_* bits of report.h. */
enum { PH_SAMPLES, PH_BYTES, PH_DURATION, PH_MIN, PH_MAX, PH_AVG, PH__N };
static const char *const ph_names[PH__N] = {
    "sampleCount", "bytesTotal", "durationMs",
    "minThroughputKBps", "maxThroughputKBps", "avgThroughputKBps"
};
static const rpp__fields ph_fields = { ph_names, PH__N };

static void load_phase_summary(rpp__loader *ld, const cJSON *obj,
                               rpp_phase_summary *ps)
{
    uint64_t *dst[PH__N] = { &ps->sample_count, &ps->bytes_total,
                             &ps->duration_ms, &ps->min_kbps, &ps->max_kbps,
                             &ps->avg_kbps };
    const cJSON *f[PH__N];
    int k;

    if (!rpp__ld_collect(ld, obj, &ph_fields, f))
        return;
    ps->present = true;
    for (k = 0; k < PH__N; k++)
        if (f[k] && rpp__ld_u53(ld, f[k], ph_names[k], dst[k]))
            ps->fields |= 1u << k;
}

static void load_phase_summaries(rpp__loader *ld, const cJSON *obj)
{
    const cJSON *ph[RPP_PHASE_COUNT];
    size_t saved;
    int p;

    if (!rpp__ld_collect(ld, obj, &phase_fields, ph))
        return;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (!ph[p])
            continue;
        saved = rpp__ld_push_key(ld, rpp__phase_keys[p]);
        load_phase_summary(ld, ph[p], &ld->r->summary.phases[p]);
        rpp__ld_pop(ld, saved);
    }
}

/* ---- summary ----------------------------------------------------------- */

enum {
    SU_IMAGE, SU_DEVICE, SU_SIZE, SU_START, SU_END, SU_DURATION, SU_SUCCESS,
    SU_STATE, SU_ERROR, SU_EVENTS, SU_PHASES, SU__N
};
static const char *const su_names[SU__N] = {
    "imageName", "deviceName", "imageSize", "sessionStartTime",
    "sessionEndTime", "durationMs", "success", "sessionState",
    "errorMessage", "events", "phases"
};
static const rpp__fields su_fields = { su_names, SU__N };

/* summary.sessionState, checked against summary.success (f). */
static void load_session_state(rpp__loader *ld, const cJSON *const *f)
{
    rpp_summary *s = &ld->r->summary;
    size_t saved;

    s->session_state_raw = rpp__ld_str(ld, f[SU_STATE], su_names[SU_STATE]);
    if (!s->session_state_raw)
        return;
    s->session_state = rpp_session_state_from_name(s->session_state_raw);
    saved = rpp__ld_push_key(ld, "sessionState");
    if (s->session_state == RPP_STATE_UNRECOGNISED)
        RPP__LD_WARN(ld, "unknown session state; the state is inferred "
                         "instead");
    else if (f[SU_SUCCESS] && cJSON_IsBool(f[SU_SUCCESS]) &&
             s->success != (s->session_state == RPP_STATE_SUCCEEDED))
        RPP__LD_WARN(ld, "disagrees with \"success\": %s",
                     s->success ? "true" : "false");
    rpp__ld_pop(ld, saved);
}

static void load_summary(rpp__loader *ld, const cJSON *obj)
{
    rpp_summary *s = &ld->r->summary;
    uint64_t *nums[SU__N] = { [SU_SIZE] = &s->image_size,
                              [SU_START] = &s->session_start_time,
                              [SU_END] = &s->session_end_time,
                              [SU_DURATION] = &s->duration_ms };
    const cJSON *f[SU__N];
    int k;

    if (!rpp__ld_collect(ld, obj, &su_fields, f))
        return;
    /* fields the Imager always writes */
    for (k = 0; k < SU__N; k++)
        if (!f[k] && k != SU_STATE && k != SU_ERROR)
            rpp__ld_missing(ld, su_names[k]);
    if (f[SU_IMAGE])
        s->image_name = rpp__ld_str(ld, f[SU_IMAGE], su_names[SU_IMAGE]);
    if (f[SU_DEVICE])
        s->device_name = rpp__ld_str(ld, f[SU_DEVICE], su_names[SU_DEVICE]);
    for (k = SU_SIZE; k <= SU_DURATION; k++)
        if (f[k])
            rpp__ld_u53(ld, f[k], su_names[k], nums[k]);
    if (f[SU_SUCCESS])
        rpp__ld_bool(ld, f[SU_SUCCESS], su_names[SU_SUCCESS], &s->success);
    if (f[SU_ERROR])
        s->error_message = rpp__ld_str(ld, f[SU_ERROR], su_names[SU_ERROR]);
    if (f[SU_STATE])
        load_session_state(ld, f);
    if (!s->image_name)
        s->image_name = "";
    if (!s->device_name)
        s->device_name = "";
    load_key(ld, "events", f[SU_EVENTS], load_event_summaries);
    load_key(ld, "phases", f[SU_PHASES], load_phase_summaries);
}

/* ---- events ------------------------------------------------------------ */

const char *const rpp__event_keys[RPP__EVK_N] = {
    "type", "startMs", "durationMs", "success", "metadata",
    "bytesTransferred", "throughputKBps"
};
static const rpp__fields ev_fields = { rpp__event_keys, RPP__EVK_N };

/* The type of an event: false when it is not a string. */
static bool load_event_type(rpp__loader *ld, const cJSON *it, rpp_event *e)
{
    size_t saved;

    e->type_name = rpp__ld_str(ld, it, "type");
    if (!e->type_name)
        return false;
    e->type = rpp_event_type_from_name(e->type_name);
    if (e->type != RPP_EV_UNKNOWN) {
        /* share the table's copy of known names */
        e->type_name = rpp_event_type_name(e->type);
        return true;
    }
    saved = rpp__ld_push_key(ld, "type");
    rpp__ld_unknown_type(ld, e->type_name);
    rpp__ld_pop(ld, saved);
    return true;
}

/* An optional number: true when absent or valid (*has then set). */
static bool load_optional_u53(rpp__loader *ld, const cJSON *it,
                              const char *key, uint64_t *out, bool *has)
{
    if (!it)
        return true;
    *has = rpp__ld_u53(ld, it, key, out);
    return *has;
}

/* Event c into e; false (with the problems recorded) when it is not
 * valid. */
static bool load_event(rpp__loader *ld, const cJSON *c, rpp_event *e)
{
    const char *const *key = rpp__event_keys;
    const cJSON *f[RPP__EVK_N];
    bool ok = true;
    int k;

    if (!rpp__ld_collect(ld, c, &ev_fields, f))
        return false;
    for (k = 0; k < RPP__EVK_META; k++)
        if (!f[k]) {
            rpp__ld_missing(ld, key[k]);
            ok = false;
        }
    if (f[RPP__EVK_TYPE] && !load_event_type(ld, f[RPP__EVK_TYPE], e))
        ok = false;
    if (f[RPP__EVK_START] && !rpp__ld_u53(ld, f[RPP__EVK_START],
                                          key[RPP__EVK_START], &e->start_ms))
        ok = false;
    if (f[RPP__EVK_DURATION] &&
        !rpp__ld_u53(ld, f[RPP__EVK_DURATION], key[RPP__EVK_DURATION],
                     &e->duration_ms))
        ok = false;
    if (f[RPP__EVK_SUCCESS] && !rpp__ld_bool(ld, f[RPP__EVK_SUCCESS],
                                             key[RPP__EVK_SUCCESS],
                                             &e->success))
        ok = false;
    if (f[RPP__EVK_META] &&
        !(e->metadata = rpp__ld_str(ld, f[RPP__EVK_META],
                                    key[RPP__EVK_META])))
        ok = false;
    if (!load_optional_u53(ld, f[RPP__EVK_BYTES], key[RPP__EVK_BYTES],
                           &e->bytes_transferred, &e->has_bytes))
        ok = false;
    if (!load_optional_u53(ld, f[RPP__EVK_THROUGHPUT],
                           key[RPP__EVK_THROUGHPUT], &e->throughput_kbps,
                           &e->has_throughput))
        ok = false;
    return ok;
}

/* The events the fast path read: each metadata copied from the text into
 * the report. */
static void adopt_fast_events(rpp__loader *ld)
{
    rpp__fast *f = ld->fast;
    rpp_report *r = ld->r;
    size_t i;

    r->events = f->events;
    r->n_events = f->n_events;
    for (i = 0; i < r->n_events; i++) {
        rpp_event *e = &r->events[i];

        if (e->metadata &&
            !(e->metadata = rpp__arena_strndup(r->arena, e->metadata,
                                               f->meta_len[i])))
            RPP__LD_NOMEM(ld);
    }
    f->events = NULL;
    f->n_events = f->cap_events = 0;
}

static void load_events(rpp__loader *ld, const cJSON *arr)
{
    rpp_report *r = ld->r;
    const cJSON *c;
    size_t n, i, saved;

    if (ld->fast && ld->fast->ev_end) {
        /* already read (the tree holds an empty array in its place) */
        adopt_fast_events(ld);
        return;
    }
    if (!count_children(ld, arr, true, "an array", ld->opts.max_events,
                        "events", &n) || !n)
        return;
    if (!(r->events = calloc(n, sizeof(*r->events)))) {
        RPP__LD_NOMEM(ld);
        return;
    }
    for (c = arr->child, i = 0; c; c = c->next, i++) {
        rpp_event *e = &r->events[r->n_events];

        saved = rpp__ld_push_index(ld, i);
        if (load_event(ld, c, e))
            r->n_events++;
        else
            memset(e, 0, sizeof(*e));
        rpp__ld_pop(ld, saved);
    }
}

/* ---- histograms -------------------------------------------------------- */

/* Slice c into *sl when it is exactly 16 valid numbers: the hot loop of
 * large reports that did not take the fast path. */
static bool read_slice(const cJSON *c, rpp_slice *sl)
{
    uint64_t vals[RPP_SLICE_FIELDS];
    const cJSON *v;
    size_t j;

    if (!cJSON_IsArray(c))
        return false;
    for (v = c->child, j = 0; v && j < RPP_SLICE_FIELDS; v = v->next, j++)
        if (!rpp__is_u53(v, &vals[j]))
            return false;
    if (j != RPP_SLICE_FIELDS || v)
        return false;
    sl->t_ms = vals[0];
    sl->min_kbps = vals[1];
    sl->max_kbps = vals[2];
    sl->avg_kbps = vals[3];
    memcpy(sl->buckets, vals + 4, sizeof(sl->buckets));
    return true;
}

/* Says exactly what is wrong with slice c, which read_slice refused. */
static void bad_slice(rpp__loader *ld, const cJSON *c)
{
    const cJSON *v;
    size_t count = 0, j, saved;
    uint64_t ignored;

    if (!cJSON_IsArray(c)) {
        RPP__LD_ERR(ld, "expected an array of %d numbers, got %s",
                    RPP_SLICE_FIELDS, rpp__json_type_name(c));
        return;
    }
    for (v = c->child; v; v = v->next)
        count++;
    if (count != RPP_SLICE_FIELDS)
        RPP__LD_ERR(ld, "expected %d numbers, got %zu", RPP_SLICE_FIELDS,
                    count);
    for (v = c->child, j = 0; v; v = v->next, j++) {
        if (rpp__is_u53(v, &ignored))
            continue;
        saved = rpp__ld_push_index(ld, j);
        rpp__ld_bad_number(ld, v, "a non-negative integer");
        rpp__ld_pop(ld, saved);
    }
}

static void load_slices(rpp__loader *ld, const cJSON *arr, rpp_histogram *h)
{
    const cJSON *c;
    size_t n, i, saved;

    if (!count_children(ld, arr, true, "an array of slices",
                        ld->opts.max_slices, "slices", &n)) {
        h->present = cJSON_IsArray(arr);
        return;
    }
    h->present = true;
    if (!n)
        return;
    if (!(h->slices = malloc(n * sizeof(*h->slices)))) {
        RPP__LD_NOMEM(ld);
        return;
    }
    for (c = arr->child, i = 0; c; c = c->next, i++) {
        if (read_slice(c, &h->slices[h->n_slices])) {
            h->n_slices++;
            continue;
        }
        saved = rpp__ld_push_index(ld, i);
        bad_slice(ld, c);
        rpp__ld_pop(ld, saved);
    }
}

static void load_histograms(rpp__loader *ld, const cJSON *obj)
{
    const cJSON *ph[RPP_PHASE_COUNT];
    size_t saved;
    int p;

    if (ld->fast && ld->fast->hist_end) {
        /* already read (the tree holds an empty object in its place) */
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            ld->r->histograms[p] = ld->fast->hist[p];
            memset(&ld->fast->hist[p], 0, sizeof(ld->fast->hist[p]));
        }
        return;
    }
    if (!rpp__ld_collect(ld, obj, &phase_fields, ph))
        return;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (!ph[p])
            continue;
        saved = rpp__ld_push_key(ld, rpp__phase_keys[p]);
        load_slices(ld, ph[p], &ld->r->histograms[p]);
        rpp__ld_pop(ld, saved);
    }
}

/* Warns (at the first place) about slices out of time order or with min >
 * avg or avg > max in h, the slices of phase p. */
static void check_phase_slices(rpp__loader *ld, int p,
                               const rpp_histogram *h, size_t cycle_starts)
{
    size_t i, backwards = 0, odd = 0, first_back = 0, first_odd = 0;
    size_t saved, s2, s3;

    for (i = 0; i < h->n_slices; i++) {
        const rpp_slice *sl = &h->slices[i];

        if (i && sl->t_ms < h->slices[i - 1].t_ms && !backwards++)
            first_back = i;
        if ((sl->min_kbps > sl->avg_kbps || sl->avg_kbps > sl->max_kbps) &&
            !odd++)
            first_odd = i;
    }
    saved = rpp__ld_push_key(ld, "histograms");
    s2 = rpp__ld_push_key(ld, rpp__phase_keys[p]);
    /* A version 3 timer restarts at each cycleStart: one step back per
     * extra cycle is expected, not disorder. */
    if (backwards > (cycle_starts > 1 ? cycle_starts - 1 : 0)) {
        s3 = rpp__ld_push_index(ld, first_back);
        RPP__LD_WARN(ld, "slices out of time order (%zu place%s)", backwards,
                     backwards == 1 ? "" : "s");
        rpp__ld_pop(ld, s3);
    }
    if (odd) {
        s3 = rpp__ld_push_index(ld, first_odd);
        RPP__LD_WARN(ld, "min > avg or avg > max in %zu slice%s", odd,
                     odd == 1 ? "" : "s");
        rpp__ld_pop(ld, s3);
    }
    rpp__ld_pop(ld, s2);
    rpp__ld_pop(ld, saved);
}

/* Warnings about slices that are well-formed but odd. */
static void check_slices(rpp__loader *ld)
{
    const rpp_report *r = ld->r;
    size_t i, cycle_starts = 0;
    int p;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CYCLE_START)
            cycle_starts++;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (r->histograms[p].n_slices)
            check_phase_slices(ld, p, &r->histograms[p], cycle_starts);
}

/* ---- schema ------------------------------------------------------------ */

enum { SC_FORMAT, SC_WINDOW, SC_UNIT, SC__N };
static const char *const sc_names[SC__N] = { "histogramSliceFormat",
                                             "histogramWindowMs",
                                             "throughputUnit" };
static const rpp__fields sc_fields = { sc_names, SC__N };

/* schema.histogramSliceFormat: the documented field names, in order. */
static void load_slice_format(rpp__loader *ld, const cJSON *arr)
{
    const cJSON *c;
    size_t i, saved;

    if (!cJSON_IsArray(arr)) {
        RPP__LD_ERR(ld, "expected an array, got %s",
                    rpp__json_type_name(arr));
        return;
    }
    for (c = arr->child, i = 0; c; c = c->next, i++) {
        const char *want = rpp_slice_field_name((int)i);

        if (!want)
            continue;
        saved = rpp__ld_push_index(ld, i);
        if (!cJSON_IsString(c))
            RPP__LD_ERR(ld, "expected \"%s\", got %s", want,
                        rpp__json_type_name(c));
        else if (strcmp(c->valuestring, want) != 0)
            RPP__LD_ERR(ld, "expected \"%s\"; this tool reads the documented "
                            "slice layout only",
                        want);
        rpp__ld_pop(ld, saved);
    }
    if (i != RPP_SLICE_FIELDS)
        RPP__LD_ERR(ld, "expected %d field names, got %zu", RPP_SLICE_FIELDS,
                    i);
}

/* schema.histogramWindowMs: 1 ms to 1 day. */
static void load_window(rpp__loader *ld, const cJSON *it)
{
    uint64_t w;
    size_t saved;

    if (!rpp__ld_u53(ld, it, sc_names[SC_WINDOW], &w))
        return;
    saved = rpp__ld_push_key(ld, sc_names[SC_WINDOW]);
    if (w == 0 || w > 86400000u)
        RPP__LD_ERR(ld, "window of %llu ms is out of range (1 ms to 1 day)",
                    (unsigned long long)w);
    else
        ld->r->window_ms = w;
    rpp__ld_pop(ld, saved);
}

/* schema.throughputUnit: the one unit of the format. */
static void load_unit(rpp__loader *ld, const cJSON *it)
{
    if (!cJSON_IsString(it))
        RPP__LD_ERR(ld, "expected a string, got %s", rpp__json_type_name(it));
    else if (strcmp(it->valuestring, RPP_THROUGHPUT_UNIT) != 0)
        RPP__LD_ERR(ld, "unsupported unit; this tool reads \"%s\"",
                    RPP_THROUGHPUT_UNIT);
}

static void load_schema(rpp__loader *ld, const cJSON *obj)
{
    const cJSON *f[SC__N];

    if (!rpp__ld_collect(ld, obj, &sc_fields, f))
        return;
    ld->r->has_schema = true;
    if (f[SC_FORMAT])
        load_key(ld, sc_names[SC_FORMAT], f[SC_FORMAT], load_slice_format);
    else
        RPP__LD_WARN(ld, "no \"histogramSliceFormat\"; assuming the "
                         "documented layout");
    if (f[SC_WINDOW])
        load_window(ld, f[SC_WINDOW]);
    else
        RPP__LD_WARN(ld, "no \"histogramWindowMs\"; assuming %d ms",
                     RPP_WINDOW_MS);
    if (f[SC_UNIT])
        load_key(ld, sc_names[SC_UNIT], f[SC_UNIT], load_unit);
    else
        RPP__LD_WARN(ld, "no \"throughputUnit\"; assuming %s",
                     RPP_THROUGHPUT_UNIT);
}

/* ---- system (version 3) ------------------------------------------------ */

/*
 * The system block is objects of flat fields, listed as (key, kind,
 * destination). An object field (K_OBJ) is read with its own list; its
 * destination is a bool set when the object was read.
 */
enum kind { K_U53, K_BOOL, K_STR, K_OBJ };
typedef struct sysfield {
    const char *name;
    enum kind kind;
    void *dst;
    const struct sysfield *fields;    /* K_OBJ: its fields */
    size_t n_fields;
    bool *present;                    /* when not NULL: set when the key is
                                         there */
} sysfield;

#define MAX_SYSFIELDS 8

static bool load_flat(rpp__loader *ld, const cJSON *obj, const sysfield *fs,
                      size_t n);

/* One field of a system object. */
static void load_sysfield(rpp__loader *ld, const cJSON *it,
                          const sysfield *f)
{
    const char *s;
    size_t saved;

    if (f->present)
        *f->present = true;
    switch (f->kind) {
    case K_U53: rpp__ld_u53(ld, it, f->name, f->dst); break;
    case K_BOOL: rpp__ld_bool(ld, it, f->name, f->dst); break;
    case K_STR:
        if ((s = rpp__ld_str(ld, it, f->name)) != NULL)
            *(const char **)f->dst = s;
        break;
    case K_OBJ:
        saved = rpp__ld_push_key(ld, f->name);
        *(bool *)f->dst = load_flat(ld, it, f->fields, f->n_fields);
        rpp__ld_pop(ld, saved);
        break;
    }
}

/* The fields fs[n] of obj; false when obj is not an object. */
static bool load_flat(rpp__loader *ld, const cJSON *obj, const sysfield *fs,
                      size_t n)
{
    const char *names[MAX_SYSFIELDS];
    const cJSON *slots[MAX_SYSFIELDS];
    rpp__fields set = { names, n };
    size_t i;

    if (n > MAX_SYSFIELDS)
        n = set.n = MAX_SYSFIELDS;
    for (i = 0; i < n; i++)
        names[i] = fs[i].name;
    if (!rpp__ld_collect(ld, obj, &set, slots))
        return false;
    for (i = 0; i < n; i++)
        if (slots[i])
            load_sysfield(ld, slots[i], &fs[i]);
    return true;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define F_U53(name, dst) { name, K_U53, dst, NULL, 0, NULL }
#define F_BOOL(name, dst) { name, K_BOOL, dst, NULL, 0, NULL }
#define F_STR(name, dst) { name, K_STR, dst, NULL, 0, NULL }
#define F_OBJ(name, read, fields) \
    { name, K_OBJ, read, fields, N_OF(fields), NULL }

static void load_system(rpp__loader *ld, const cJSON *obj)
{
    rpp_system *sy = &ld->r->system;
    const sysfield memory[] = {
        F_U53("totalBytes", &sy->memory.total_bytes),
        F_U53("availableBytes", &sy->memory.available_bytes),
        F_U53("totalMB", &sy->memory.total_mb),
        F_U53("availableMB", &sy->memory.available_mb),
    };
    const sysfield target[] = {
        F_STR("path", &sy->target.path),
        F_U53("sizeBytes", &sy->target.size_bytes),
        F_U53("sizeMB", &sy->target.size_mb),
        F_STR("description", &sy->target.description),
        F_BOOL("isUsb", &sy->target.is_usb),
        F_BOOL("isRemovable", &sy->target.is_removable),
    };
    const sysfield platform[] = {
        F_STR("os", &sy->platform.os),
        F_STR("osVersion", &sy->platform.os_version),
        F_STR("cpuArchitecture", &sy->platform.cpu_architecture),
        F_U53("cpuCores", &sy->platform.cpu_cores),
    };
    const sysfield imager[] = {
        F_STR("version", &sy->imager.version),
        F_STR("buildType", &sy->imager.build_type),
        F_STR("binarySha256", &sy->imager.binary_sha256),
        F_STR("qtRuntime", &sy->imager.qt_runtime),
        F_STR("qtBuild", &sy->imager.qt_build),
    };
    const sysfield buffers[] = {
        F_U53("writeBufferBytes", &sy->write_config.buffers.write_buffer_bytes),
        F_U53("writeBufferKB", &sy->write_config.buffers.write_buffer_kb),
        F_U53("inputBufferBytes", &sy->write_config.buffers.input_buffer_bytes),
        F_U53("inputBufferKB", &sy->write_config.buffers.input_buffer_kb),
        F_U53("inputRingBufferSlots",
              &sy->write_config.buffers.input_ring_buffer_slots),
        F_U53("writeRingBufferSlots",
              &sy->write_config.buffers.write_ring_buffer_slots),
    };
    const sysfield write_config[] = {
        F_BOOL("directIOEnabled", &sy->write_config.direct_io_enabled),
        F_BOOL("periodicSyncEnabled", &sy->write_config.periodic_sync_enabled),
        { "syncIntervalBytes", K_U53, &sy->write_config.sync_interval_bytes,
          NULL, 0, &sy->write_config.has_sync_interval },
        F_U53("syncIntervalMB", &sy->write_config.sync_interval_mb),
        F_U53("syncIntervalMs", &sy->write_config.sync_interval_ms),
        F_STR("memoryTier", &sy->write_config.memory_tier),
        F_OBJ("buffers", &sy->has_buffers, buffers),
    };
    const sysfield system[] = {
        F_OBJ("memory", &sy->has_memory, memory),
        F_OBJ("targetDevice", &sy->has_target, target),
        F_OBJ("platform", &sy->has_platform, platform),
        F_OBJ("imager", &sy->has_imager, imager),
        F_OBJ("writeConfig", &sy->has_write_config, write_config),
    };

    sy->target.path = sy->target.description = "";
    sy->platform.os = sy->platform.os_version = sy->platform.cpu_architecture =
        "";
    sy->imager.version = sy->imager.build_type = sy->imager.binary_sha256 =
        sy->imager.qt_runtime = sy->imager.qt_build = "";
    sy->write_config.memory_tier = "";
    sy->present = load_flat(ld, obj, system, N_OF(system));
}

/* ---- top level --------------------------------------------------------- */

enum { TOP_VERSION, TOP_EXPORT, TOP_SUMMARY, TOP_SYSTEM, TOP_EVENTS,
       TOP_HISTOGRAMS, TOP_SCHEMA, TOP__N };
static const char *const top_names[TOP__N] = {
    "version", "exportTime", "summary", "system", "events", "histograms",
    "schema"
};
static const rpp__fields top_fields = { top_names, TOP__N };

/* The version (2 or 3) into the report; false when there is none. */
static bool load_version(rpp__loader *ld, const cJSON *it)
{
    uint64_t version = 0;
    size_t saved;

    if (!it) {
        rpp__ld_missing(ld, "version");
        return false;
    }
    if (!rpp__ld_u53(ld, it, "version", &version))
        return false;
    if (version != 2 && version != 3) {
        saved = rpp__ld_push_key(ld, "version");
        RPP__LD_ERR(ld, "unsupported version %llu; this tool reads versions "
                        "2 and 3",
                    (unsigned long long)version);
        rpp__ld_pop(ld, saved);
        return false;
    }
    ld->r->version = (int)version;
    return true;
}

void rpp__load_root(rpp__loader *ld, const cJSON *root)
{
    const cJSON *f[TOP__N];
    const char *s;

    if (!cJSON_IsObject(root)) {
        RPP__LD_ERR(ld, "the top level must be an object, got %s",
                    rpp__json_type_name(root));
        return;
    }
    if (!rpp__ld_collect(ld, root, &top_fields, f) ||
        !load_version(ld, f[TOP_VERSION]))
        return;
    if (!f[TOP_SUMMARY])
        rpp__ld_missing(ld, top_names[TOP_SUMMARY]);
    if (!f[TOP_EVENTS])
        rpp__ld_missing(ld, top_names[TOP_EVENTS]);
    if (!f[TOP_HISTOGRAMS])
        rpp__ld_missing(ld, top_names[TOP_HISTOGRAMS]);
    if (!f[TOP_EXPORT])
        RPP__LD_WARN(ld, "no \"exportTime\"");
    else if ((s = rpp__ld_str(ld, f[TOP_EXPORT], "exportTime")) != NULL)
        ld->r->export_time = s;
    load_key(ld, "summary", f[TOP_SUMMARY], load_summary);
    load_key(ld, "system", f[TOP_SYSTEM], load_system);
    load_key(ld, "events", f[TOP_EVENTS], load_events);
    load_key(ld, "histograms", f[TOP_HISTOGRAMS], load_histograms);
    if (f[TOP_SCHEMA])
        load_key(ld, "schema", f[TOP_SCHEMA], load_schema);
    else
        RPP__LD_WARN(ld, "no \"schema\" block; assuming %d ms windows and %s",
                     RPP_WINDOW_MS, RPP_THROUGHPUT_UNIT);
    if (ld->status == RPP_OK)
        check_slices(ld);
}
