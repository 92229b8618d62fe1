/*
 * support_synth.c - synthetic reports for the tests (see support_synth.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_synth.h"
#include "util.h"

typedef struct sev {
    char *type;
    uint64_t start, dur, bytes;
    bool success, has_bytes;
    char *meta;
} sev;

typedef struct sslice {
    uint64_t v[RPP_SLICE_FIELDS];
} sslice;

struct synth {
    int version;
    char *state;
    bool success;
    char *error;
    uint64_t start_time, duration;
    sev *events;
    size_t n_events, cap_events;
    sslice *slices[RPP_PHASE_COUNT];
    size_t n_slices[RPP_PHASE_COUNT], cap_slices[RPP_PHASE_COUNT];
    uint64_t sample_count[RPP_PHASE_COUNT];
    bool has_sample_count[RPP_PHASE_COUNT];
    bool break_summary;
};

synth *synth_new(int version)
{
    synth *s = calloc(1, sizeof(*s));

    assert_non_null(s);
    s->version = version;
    s->state = strdup("succeeded");
    s->success = true;
    s->start_time = 1764579600000ULL;
    s->duration = 600000;
    return s;
}

void synth_free(synth *s)
{
    size_t i;
    int p;

    if (!s)
        return;
    for (i = 0; i < s->n_events; i++) {
        free(s->events[i].type);
        free(s->events[i].meta);
    }
    free(s->events);
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        free(s->slices[p]);
    free(s->state);
    free(s->error);
    free(s);
}

void synth_session(synth *s, const char *state, bool success,
                   const char *error_message, uint64_t start_time,
                   uint64_t duration_ms)
{
    free(s->state);
    free(s->error);
    s->state = state ? strdup(state) : NULL;
    s->success = success;
    s->error = error_message ? strdup(error_message) : NULL;
    s->start_time = start_time;
    s->duration = duration_ms;
}

static sev *push_event(synth *s)
{
    if (s->n_events == s->cap_events) {
        s->cap_events = s->cap_events ? s->cap_events * 2 : 16;
        s->events = realloc(s->events, s->cap_events * sizeof(*s->events));
        assert_non_null(s->events);
    }
    memset(&s->events[s->n_events], 0, sizeof(sev));
    return &s->events[s->n_events++];
}

void synth_event(synth *s, const char *type, uint64_t start_ms,
                 uint64_t duration_ms, bool success, const char *metadata)
{
    sev *e = push_event(s);

    e->type = strdup(type);
    e->start = start_ms;
    e->dur = duration_ms;
    e->success = success;
    e->meta = metadata ? strdup(metadata) : NULL;
}

void synth_event_bytes(synth *s, const char *type, uint64_t start_ms,
                       uint64_t duration_ms, uint64_t bytes,
                       const char *metadata)
{
    synth_event(s, type, start_ms, duration_ms, true, metadata);
    s->events[s->n_events - 1].bytes = bytes;
    s->events[s->n_events - 1].has_bytes = true;
}

void synth_slice_buckets(synth *s, rpp_phase p, uint64_t t_ms,
                         uint64_t min_kbps, uint64_t max_kbps,
                         uint64_t avg_kbps, const uint64_t *buckets)
{
    sslice *sl;
    int k;

    if (s->n_slices[p] == s->cap_slices[p]) {
        s->cap_slices[p] = s->cap_slices[p] ? s->cap_slices[p] * 2 : 64;
        s->slices[p] = realloc(s->slices[p], s->cap_slices[p] * sizeof(sslice));
        assert_non_null(s->slices[p]);
    }
    sl = &s->slices[p][s->n_slices[p]++];
    sl->v[0] = t_ms;
    sl->v[1] = min_kbps;
    sl->v[2] = max_kbps;
    sl->v[3] = avg_kbps;
    for (k = 0; k < RPP_BUCKETS; k++)
        sl->v[4 + k] = buckets[k];
}

static int bucket_of(uint64_t kbps)
{
    uint64_t mb = kbps / 1024;
    int b = 0;

    if (mb < 1)
        return 0;
    while (b < 11 && mb >= (1ULL << b))
        b++;
    return b;
}

void synth_slice(synth *s, rpp_phase p, uint64_t t_ms, uint64_t min_kbps,
                 uint64_t max_kbps, uint64_t avg_kbps, unsigned count)
{
    uint64_t buckets[RPP_BUCKETS] = { 0 };

    buckets[bucket_of(avg_kbps)] = count;
    synth_slice_buckets(s, p, t_ms, min_kbps, max_kbps, avg_kbps, buckets);
}

void synth_steady(synth *s, rpp_phase p, uint64_t t0, uint64_t step,
                  size_t n, uint64_t avg_kbps)
{
    size_t i;

    for (i = 0; i < n; i++)
        synth_slice(s, p, t0 + i * step, avg_kbps - avg_kbps / 20,
                    avg_kbps + avg_kbps / 20, avg_kbps, 8);
}

void synth_sample_count(synth *s, rpp_phase p, uint64_t count)
{
    s->sample_count[p] = count;
    s->has_sample_count[p] = true;
}

void synth_break_summary(synth *s)
{
    s->break_summary = true;
}

static const char *const phase_keys[] = { "download", "decompress", "write",
                                          "verify" };

char *synth_json(const synth *s)
{
    rpp__buf b = RPP__BUF_INIT;
    size_t i, j;
    int p, k;

    rpp__buf_printf(&b, "{\"version\": %d, \"exportTime\": "
                       "\"2025-12-01T09:00:00\",\n\"summary\": {",
                   s->version);
    rpp__buf_printf(&b, "\"imageName\": \"img\", \"deviceName\": "
                       "\"/dev/sdx\", \"imageSize\": 1000000000, "
                       "\"sessionStartTime\": %llu, \"sessionEndTime\": "
                       "%llu, \"durationMs\": %llu, \"success\": %s",
                   (unsigned long long)s->start_time,
                   (unsigned long long)(s->start_time ? s->start_time +
                                                            s->duration
                                                      : 0),
                   (unsigned long long)s->duration,
                   s->success ? "true" : "false");
    if (s->state && s->version >= 3)
        rpp__buf_printf(&b, ", \"sessionState\": \"%s\"", s->state);
    if (s->error) {
        rpp__buf_puts(&b, ", \"errorMessage\": ");
        rpp__json_str(&b, s->error, false);
    }
    /* summary.events computed from the events, like the writer */
    rpp__buf_puts(&b, ",\n\"events\": {");
    for (i = 0; i < s->n_events; i++) {
        uint64_t count = 0, total = 0, mn = UINT64_MAX, mx = 0;
        for (j = 0; j < i; j++)
            if (strcmp(s->events[j].type, s->events[i].type) == 0)
                break;
        if (j < i)
            continue;
        for (j = i; j < s->n_events; j++) {
            if (strcmp(s->events[j].type, s->events[i].type) != 0)
                continue;
            count++;
            total += s->events[j].dur;
            if (s->events[j].dur < mn)
                mn = s->events[j].dur;
            if (s->events[j].dur > mx)
                mx = s->events[j].dur;
        }
        if (s->break_summary && i == 0)
            count++;
        rpp__buf_puts(&b, b.ptr[b.len - 1] == '{' ? "" : ", ");
        rpp__json_str(&b, s->events[i].type, false);
        rpp__buf_printf(&b, ": {\"count\": %llu, \"totalMs\": %llu, "
                           "\"avgMs\": %llu, \"minMs\": %llu, \"maxMs\": "
                           "%llu}",
                       (unsigned long long)count, (unsigned long long)total,
                       (unsigned long long)(total / count),
                       (unsigned long long)mn, (unsigned long long)mx);
    }
    rpp__buf_puts(&b, "},\n\"phases\": {");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (s->version == 2 && p == RPP_PHASE_DECOMPRESS)
            continue;
        rpp__buf_printf(&b, "%s\"%s\": {", p ? ", " : "", phase_keys[p]);
        if (s->has_sample_count[p])
            rpp__buf_printf(&b, "\"sampleCount\": %llu, \"bytesTotal\": 1000",
                           (unsigned long long)s->sample_count[p]);
        rpp__buf_puts(&b, "}");
    }
    rpp__buf_puts(&b, "}},\n\"events\": [");
    for (i = 0; i < s->n_events; i++) {
        const sev *e = &s->events[i];
        rpp__buf_printf(&b, "%s\n{\"type\": ", i ? "," : "");
        rpp__json_str(&b, e->type, false);
        rpp__buf_printf(&b, ", \"startMs\": %llu, \"durationMs\": %llu, "
                           "\"success\": %s",
                       (unsigned long long)e->start,
                       (unsigned long long)e->dur,
                       e->success ? "true" : "false");
        if (e->meta) {
            rpp__buf_puts(&b, ", \"metadata\": ");
            rpp__json_str(&b, e->meta, false);
        }
        if (e->has_bytes)
            rpp__buf_printf(&b, ", \"bytesTransferred\": %llu",
                           (unsigned long long)e->bytes);
        rpp__buf_puts(&b, "}");
    }
    rpp__buf_puts(&b, "],\n\"histograms\": {");
    for (p = 0, j = 0; p < RPP_PHASE_COUNT; p++) {
        if (!s->n_slices[p])
            continue;
        rpp__buf_printf(&b, "%s\"%s\": [", j++ ? ",\n" : "", phase_keys[p]);
        for (i = 0; i < s->n_slices[p]; i++) {
            rpp__buf_puts(&b, i ? ",\n[" : "[");
            for (k = 0; k < RPP_SLICE_FIELDS; k++)
                rpp__buf_printf(&b, "%s%llu", k ? "," : "",
                               (unsigned long long)s->slices[p][i].v[k]);
            rpp__buf_puts(&b, "]");
        }
        rpp__buf_puts(&b, "]");
    }
    rpp__buf_puts(&b, "},\n\"schema\": {\"histogramSliceFormat\": "
                     "[\"timestampMs\", \"minKBps\", \"maxKBps\", "
                     "\"avgKBps\", \"bucket_0-1MB\", \"bucket_1-2MB\", "
                     "\"bucket_2-4MB\", \"bucket_4-8MB\", \"bucket_8-16MB\", "
                     "\"bucket_16-32MB\", \"bucket_32-64MB\", "
                     "\"bucket_64-128MB\", \"bucket_128-256MB\", "
                     "\"bucket_256-512MB\", \"bucket_512-1024MB\", "
                     "\"bucket_1024+MB\"], \"histogramWindowMs\": 1000, "
                     "\"throughputUnit\": \"KB/s\"}}\n");
    assert_false(b.oom);
    return rpp__buf_detach(&b);
}

rpp_report *synth_load(const synth *s)
{
    char *text = synth_json(s);
    rpp_report *r = NULL;
    rpp_diags d;
    int st;

    rpp_diags_clear(&d);
    st = rpp_report_load_buffer(&r, text, strlen(text), NULL, &d);
    if (st != RPP_OK && d.n_items)
        fprintf(stderr, "synth: %s: %s\n", d.items[0].err.path,
                d.items[0].err.message);
    free(text);
    assert_int_equal(st, RPP_OK);
    assert_non_null(r);
    return r;
}
