/*
 * writer_export.c - the export of the recorder (writer.h): the report laid
 * out exactly as the Imager's exportToJson writes it. Qt's indented JSON
 * with keys in alphabetical order and Qt's string escaping; the histogram
 * windows, slices and phase summaries computed with the Imager's integer
 * widths, floor divisions and wrap-arounds; the export time as the Imager
 * prints it. Writing to a string, a stream or a file (atomically, through
 * rpp_file_write_atomic).
 */
#include "writer_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Containers nest this deep at most in a report. */
#define MAX_DEPTH 8
/* The Imager's units for sizes: KB and MB of 1024. */
#define KB ((int64_t)1024)
#define MB (KB * KB)

/* ---- Qt's indented JSON ------------------------------------------------ */

/*
 * Qt's layout: members joined by ",\n", each on its own line indented by
 * 4 spaces per level; "{\n" opens, "\n" + indent + "}" closes (an empty
 * container is "{\n" + indent + "}").
 */
typedef struct jout {
    rpp__buf *b;
    int depth;
    unsigned n[MAX_DEPTH + 1];
} jout;

static void j_next(jout *j)
{
    if (j->n[j->depth]++)
        rpp__buf_put(j->b, ",\n", 2);
    rpp__buf_indent(j->b, 4 * j->depth);
}

static void j_open(jout *j, char c)
{
    rpp__buf_putc(j->b, c);
    rpp__buf_putc(j->b, '\n');
    j->depth++;
    j->n[j->depth] = 0;
}

static void j_close(jout *j, char c)
{
    if (j->n[j->depth])
        rpp__buf_putc(j->b, '\n');
    j->depth--;
    rpp__buf_indent(j->b, 4 * j->depth);
    rpp__buf_putc(j->b, c);
}

static void j_key(jout *j, const char *key)
{
    j_next(j);
    rpp__buf_putc(j->b, '"');
    rpp__buf_puts(j->b, key);
    rpp__buf_put(j->b, "\": ", 3);
}

static void j_open_key(jout *j, const char *key, char c)
{
    j_key(j, key);
    j_open(j, c);
}

/*
 * A string as Qt writes it: \" \\ \b \f \n \r \t, other control characters
 * as \u00xx, everything else as UTF-8; bytes that are not valid UTF-8 each
 * become U+FFFD, as Qt's UTF-8 decoder makes them.
 */
static void qt_string(rpp__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, run, k;
    uint32_t cp;

    rpp__buf_putc(b, '"');
    while (i < n) {
        run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' &&
               p[run] != '\\')
            run++;
        if (run > i) {
            rpp__buf_put(b, (const char *)p + i, run - i);
            i = run;
            continue;
        }
        if (p[i] >= 0x80) {
            k = rpp__utf8_next(p + i, n - i, &cp);
            if (k) {
                rpp__buf_put(b, (const char *)p + i, k);
                i += k;
            } else {
                rpp__buf_put(b, "\xef\xbf\xbd", 3);
                i++;
            }
            continue;
        }
        switch (p[i]) {
        case '"': rpp__buf_put(b, "\\\"", 2); break;
        case '\\': rpp__buf_put(b, "\\\\", 2); break;
        case '\b': rpp__buf_put(b, "\\b", 2); break;
        case '\f': rpp__buf_put(b, "\\f", 2); break;
        case '\n': rpp__buf_put(b, "\\n", 2); break;
        case '\r': rpp__buf_put(b, "\\r", 2); break;
        case '\t': rpp__buf_put(b, "\\t", 2); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15] };

            rpp__buf_put(b, e, 6);
        }
        }
        i++;
    }
    rpp__buf_putc(b, '"');
}

static void j_int(jout *j, const char *key, int64_t v)
{
    j_key(j, key);
    rpp__buf_put_i64(j->b, v);
}

static void j_bool(jout *j, const char *key, bool v)
{
    j_key(j, key);
    rpp__buf_puts(j->b, v ? "true" : "false");
}

static void j_str(jout *j, const char *key, const char *s)
{
    j_key(j, key);
    qt_string(j->b, s);
}

/* ---- Export ------------------------------------------------------------ */

/* Throughput of a pair of samples in KB/s, with the Imager's widths:
 * 64-bit products and quotient, truncated to 32 bits. */
static bool pair_kbps(const wr_sample *prev, const wr_sample *cur,
                      uint32_t *kbps)
{
    uint64_t db;
    uint32_t dt;

    if (!(cur->t > prev->t && cur->bytes > prev->bytes))
        return false;
    db = cur->bytes - prev->bytes;
    dt = cur->t - prev->t;
    *kbps = (uint32_t)((db * 1000) / ((uint64_t)dt * KB));
    return true;
}

/* The throughputs of one histogram window: the pairs of samples in it. */
typedef struct window {
    unsigned counts[RPP_BUCKETS];
    uint32_t min, max;
    uint64_t sum;
    unsigned n;
} window;

/* The pairs of samples [first, end) of s, each with the one before it. */
static void window_stats(const wr_samples *s, size_t first, size_t end,
                         window *w)
{
    uint32_t kbps;
    size_t i;

    memset(w, 0, sizeof(*w));
    w->min = UINT32_MAX;
    for (i = first + 1; i < end; i++) {
        if (!pair_kbps(&s->v[i - 1], &s->v[i], &kbps))
            continue;
        w->counts[rpp_bucket_index(kbps)]++;
        w->min = kbps < w->min ? kbps : w->min;
        w->max = kbps > w->max ? kbps : w->max;
        w->sum += kbps;
        w->n++;
    }
}

/* One slice: [start, min, max, avg, 12 bucket counts]. */
static void put_slice(jout *j, uint32_t start, const window *w)
{
    uint64_t v[RPP_SLICE_FIELDS];
    int k;

    v[0] = start;
    v[1] = w->min == UINT32_MAX ? 0 : w->min;
    v[2] = w->max;
    v[3] = w->sum / w->n;
    for (k = 0; k < RPP_BUCKETS; k++)
        v[4 + k] = w->counts[k];
    j_next(j);
    j_open(j, '[');
    for (k = 0; k < RPP_SLICE_FIELDS; k++) {
        j_next(j);
        rpp__buf_put_u64(j->b, v[k]);
    }
    j_close(j, ']');
}

/* The slices of a phase: windows of RPP_WRITER_WINDOW_MS from the first
 * sample's time, each starting at its first sample; a window without a
 * pair that moved bytes is left out. */
static void put_histogram(jout *j, const wr_samples *s)
{
    size_t first = 0, end;
    uint32_t start;
    window w;

    if (s->n < 2)
        return;
    while (first < s->n) {
        start = s->v[first].t;
        end = first;
        while (end < s->n &&
               (uint32_t)(s->v[end].t - start) < RPP_WRITER_WINDOW_MS)
            end++;
        window_stats(s, first, end, &w);
        if (w.n)
            put_slice(j, start, &w);
        first = end;
    }
}

static void put_phase_summary(jout *j, const char *name, const wr_samples *s,
                              uint64_t total)
{
    uint32_t mn = UINT32_MAX, mx = 0, kbps;
    uint64_t sum = 0;
    size_t i, cnt = 0;

    j_open_key(j, name, '{');
    if (s->n >= 2) {
        for (i = 1; i < s->n; i++) {
            if (!pair_kbps(&s->v[i - 1], &s->v[i], &kbps))
                continue;
            mn = kbps < mn ? kbps : mn;
            mx = kbps > mx ? kbps : mx;
            sum += kbps;
            cnt++;
        }
        if (cnt)
            j_int(j, "avgThroughputKBps", (int64_t)(sum / cnt));
    }
    if (s->n) {
        j_int(j, "bytesTotal", (int64_t)total);
        if (s->n >= 2)
            j_int(j, "durationMs",
                  (int64_t)(uint32_t)(s->v[s->n - 1].t - s->v[0].t));
        if (cnt) {
            j_int(j, "maxThroughputKBps", mx);
            j_int(j, "minThroughputKBps", mn);
        }
        j_int(j, "sampleCount", (int64_t)s->n);
    }
    j_close(j, '}');
}

static int cmp_type_name(const void *a, const void *b)
{
    return strcmp(rpp_event_type_name(*(const rpp_event_type *)a),
                  rpp_event_type_name(*(const rpp_event_type *)b));
}

static void put_event_summary(jout *j, const rpp_writer *w)
{
    struct {
        uint64_t count, sum;
        uint32_t min, max;
    } st[RPP_EV_COUNT];
    rpp_event_type order[RPP_EV_COUNT];
    size_t i, n = 0;

    memset(st, 0, sizeof(st));
    for (i = 0; i < w->n_events; i++) {
        const wr_event *e = &w->events[i];

        if (!st[e->type].count++)
            st[e->type].min = UINT32_MAX;
        st[e->type].sum += e->duration;
        if (e->duration < st[e->type].min)
            st[e->type].min = e->duration;
        if (e->duration > st[e->type].max)
            st[e->type].max = e->duration;
    }
    for (i = 0; i < RPP_EV_COUNT; i++)
        if (st[i].count)
            order[n++] = (rpp_event_type)i;
    if (n > 1)
        qsort(order, n, sizeof(order[0]), cmp_type_name);
    j_open_key(j, "events", '{');
    for (i = 0; i < n; i++) {
        rpp_event_type t = order[i];

        j_open_key(j, rpp_event_type_name(t), '{');
        j_int(j, "avgMs", (int64_t)(st[t].sum / st[t].count));
        j_int(j, "count", (int64_t)st[t].count);
        j_int(j, "maxMs", st[t].max);
        j_int(j, "minMs", st[t].min);
        j_int(j, "totalMs", (int64_t)st[t].sum);
        j_close(j, '}');
    }
    j_close(j, '}');
}

static const char *sys_s(const rpp_writer *w, int i)
{
    return w->sys_str[i] ? w->sys_str[i] : "";
}

static void put_system(jout *j, const rpp_writer *w)
{
    const rpp_writer_system *y = &w->sys;

    j_open_key(j, "system", '{');
    j_open_key(j, "imager", '{');
    if (w->sys_str[SYS_SHA256])
        j_str(j, "binarySha256", sys_s(w, SYS_SHA256));
    if (w->sys_str[SYS_BUILD_TYPE])
        j_str(j, "buildType", sys_s(w, SYS_BUILD_TYPE));
    if (w->sys_str[SYS_QT_BUILD])
        j_str(j, "qtBuild", sys_s(w, SYS_QT_BUILD));
    if (w->sys_str[SYS_QT_VERSION])
        j_str(j, "qtRuntime", sys_s(w, SYS_QT_VERSION));
    j_str(j, "version", sys_s(w, SYS_IMAGER_VERSION));
    j_close(j, '}');

    j_open_key(j, "memory", '{');
    j_int(j, "availableBytes", (int64_t)y->available_memory_bytes);
    j_int(j, "availableMB", (int64_t)(y->available_memory_bytes / MB));
    j_int(j, "totalBytes", (int64_t)y->total_memory_bytes);
    j_int(j, "totalMB", (int64_t)(y->total_memory_bytes / MB));
    j_close(j, '}');

    j_open_key(j, "platform", '{');
    j_str(j, "cpuArchitecture", sys_s(w, SYS_CPU_ARCH));
    j_int(j, "cpuCores", y->cpu_core_count);
    j_str(j, "os", sys_s(w, SYS_OS_NAME));
    j_str(j, "osVersion", sys_s(w, SYS_OS_VERSION));
    j_close(j, '}');

    j_open_key(j, "targetDevice", '{');
    j_str(j, "description", sys_s(w, SYS_DEVICE_DESCRIPTION));
    j_bool(j, "isRemovable", y->device_is_removable);
    j_bool(j, "isUsb", y->device_is_usb);
    j_str(j, "path", sys_s(w, SYS_DEVICE_PATH));
    j_int(j, "sizeBytes", (int64_t)y->device_size_bytes);
    j_int(j, "sizeMB", (int64_t)(y->device_size_bytes / MB));
    j_close(j, '}');

    j_open_key(j, "writeConfig", '{');
    j_open_key(j, "buffers", '{');
    j_int(j, "inputBufferBytes", y->input_buffer_size);
    j_int(j, "inputBufferKB", y->input_buffer_size / KB);
    j_int(j, "inputRingBufferSlots", y->input_ring_buffer_slots);
    j_int(j, "writeBufferBytes", y->write_buffer_size);
    j_int(j, "writeBufferKB", y->write_buffer_size / KB);
    j_int(j, "writeRingBufferSlots", y->write_ring_buffer_slots);
    j_close(j, '}');
    j_bool(j, "directIOEnabled", y->direct_io_enabled);
    if (w->sys_str[SYS_MEMORY_TIER])
        j_str(j, "memoryTier", sys_s(w, SYS_MEMORY_TIER));
    j_bool(j, "periodicSyncEnabled", y->periodic_sync_enabled);
    if (y->periodic_sync_enabled) {
        j_int(j, "syncIntervalBytes", y->sync_interval_bytes);
        j_int(j, "syncIntervalMB",
              y->sync_interval_bytes / MB);
        j_int(j, "syncIntervalMs", y->sync_interval_ms);
    }
    j_close(j, '}');
    j_close(j, '}');
}

static void put_events(jout *j, const rpp_writer *w)
{
    size_t i;

    j_open_key(j, "events", '[');
    for (i = 0; i < w->n_events; i++) {
        const wr_event *e = &w->events[i];

        j_next(j);
        j_open(j, '{');
        if (e->bytes > 0)
            j_int(j, "bytesTransferred", (int64_t)e->bytes);
        j_int(j, "durationMs", e->duration);
        if (e->meta)
            j_str(j, "metadata", e->meta);
        j_int(j, "startMs", e->start);
        j_bool(j, "success", e->success);
        if (e->bytes > 0 && e->duration > 0)
            j_int(j, "throughputKBps",
                  (int64_t)((e->bytes * 1000) /
                            ((uint64_t)e->duration * KB)));
        j_str(j, "type", rpp_event_type_name(e->type));
        j_close(j, '}');
    }
    j_close(j, ']');
}

static void put_export_time(jout *j, const rpp_writer *w)
{
    int64_t ms = rpp__writer_wall_ms(w);
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : -((999 - ms) / 1000));
    struct tm tm;
    char tmp[64];

    if (!(w->utc ? gmtime_r(&secs, &tm) : localtime_r(&secs, &tm)))
        memset(&tm, 0, sizeof(tm));
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
    j_str(j, "exportTime", tmp);
}

/* The phases in the key order of the report (alphabetical, as Qt writes
 * the keys of an object). */
static const rpp_phase sorted_phases[RPP_PHASE_COUNT] = {
    RPP_PHASE_DECOMPRESS, RPP_PHASE_DOWNLOAD, RPP_PHASE_VERIFY,
    RPP_PHASE_WRITE
};

static bool writes_phase(const rpp_writer *w, rpp_phase p)
{
    return rpp_phase_since_version(p) <= w->version;
}

static void put_histograms(jout *j, const rpp_writer *w)
{
    int k;

    j_open_key(j, "histograms", '{');
    for (k = 0; k < RPP_PHASE_COUNT; k++) {
        rpp_phase p = sorted_phases[k];

        if (w->samples[p].n == 0 || !writes_phase(w, p))
            continue;
        j_open_key(j, rpp_phase_name(p), '[');
        put_histogram(j, &w->samples[p]);
        j_close(j, ']');
    }
    j_close(j, '}');
}

static void put_schema(jout *j)
{
    int i;

    j_open_key(j, "schema", '{');
    j_open_key(j, "histogramSliceFormat", '[');
    for (i = 0; i < RPP_SLICE_FIELDS; i++) {
        j_next(j);
        qt_string(j->b, rpp_slice_field_name(i));
    }
    j_close(j, ']');
    j_int(j, "histogramWindowMs", RPP_WRITER_WINDOW_MS);
    j_str(j, "throughputUnit", RPP_THROUGHPUT_UNIT);
    j_close(j, '}');
}

static void put_summary(jout *j, const rpp_writer *w)
{
    int k;

    j_open_key(j, "summary", '{');
    j_str(j, "deviceName", w->device_name);
    j_int(j, "durationMs", w->end_time > 0 ? w->end_time - w->start_time : 0);
    if (w->error_message)
        j_str(j, "errorMessage", w->error_message);
    put_event_summary(j, w);
    j_str(j, "imageName", w->image_name);
    j_int(j, "imageSize", (int64_t)w->image_size);
    j_open_key(j, "phases", '{');
    for (k = 0; k < RPP_PHASE_COUNT; k++)
        if (writes_phase(w, sorted_phases[k]))
            put_phase_summary(j, rpp_phase_name(sorted_phases[k]),
                              &w->samples[sorted_phases[k]],
                              w->totals[sorted_phases[k]]);
    j_close(j, '}');
    j_int(j, "sessionEndTime", w->end_time);
    j_int(j, "sessionStartTime", w->start_time);
    if (w->version >= 3) {
        j_str(j, "sessionState", rpp_session_state_name(w->state));
        j_bool(j, "success", w->state == RPP_STATE_SUCCEEDED);
    } else {
        j_bool(j, "success", w->success);
    }
    j_close(j, '}');
}

void rpp__writer_build(rpp__buf *b, const rpp_writer *w)
{
    jout j = { b, 0, { 0 } };

    j_open(&j, '{');
    put_events(&j, w);
    put_export_time(&j, w);
    put_histograms(&j, w);
    put_schema(&j);
    put_summary(&j, w);
    if (w->version >= 3 && w->has_system)
        put_system(&j, w);
    j_int(&j, "version", w->version);
    j_close(&j, '}');
    rpp__buf_putc(b, '\n');
}

int rpp_writer_export_string(rpp_writer *w, char **out, size_t *len)
{
    rpp__buf b = RPP__BUF_INIT;
    size_t n;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (len)
        *len = 0;
    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    rpp__writer_build(&b, w);
    pthread_mutex_unlock(&w->mu);
    n = b.len;
    *out = rpp__buf_detach(&b);
    if (!*out)
        return RPP_ERR_NOMEM;
    if (len)
        *len = n;
    return RPP_OK;
}

int rpp_writer_export_stream(rpp_writer *w, FILE *f)
{
    char *s = NULL;
    size_t n = 0;
    int rc;

    if (!f)
        return RPP_ERR_ARG;
    if ((rc = rpp_writer_export_string(w, &s, &n)) < 0)
        return rc;
    if (fwrite(s, 1, n, f) != n || fflush(f) != 0)
        rc = RPP_ERR_IO;
    free(s);
    return rc;
}

int rpp_writer_export_file(rpp_writer *w, const char *path)
{
    char *s = NULL;
    size_t n = 0;
    int rc;

    if (!path || !*path)
        return RPP_ERR_ARG;
    if ((rc = rpp_writer_export_string(w, &s, &n)) < 0)
        return rc;
    rc = rpp_file_write_atomic(path, s, n, NULL, NULL);
    free(s);
    return rc;
}
