/*
 * writer.c - the recorder of writer.h: collects events, sessions and
 * progress samples as Raspberry Pi Imager's PerformanceStats does (its
 * rate limit, its sample cap, its event ids and its 32-bit event starts),
 * behind one mutex per recorder. The layout of the exported report is in
 * writer_export.c.
 */
#include "writer_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIRST_SAMPLE_CAP 256

/* ---- Clocks and memory ------------------------------------------------- */

static int64_t default_monotonic_ms(void *ctx)
{
    struct timespec ts;

    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t default_wall_ms(void *ctx)
{
    struct timespec ts;

    (void)ctx;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *default_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return realloc(p, n);
}

static void default_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static void *xrealloc(rpp_writer *w, void *p, size_t n)
{
    return w->alloc.realloc_fn(w->alloc.ctx, p, n);
}

static void xfree(rpp_writer *w, void *p)
{
    if (p)
        w->alloc.free_fn(w->alloc.ctx, p);
}

/* Copies s into *out; the empty string (or NULL) becomes NULL. */
static int dup_str(rpp_writer *w, const char *s, char **out)
{
    size_t n;

    *out = NULL;
    if (!s || !*s)
        return RPP_OK;
    n = strlen(s) + 1;
    *out = xrealloc(w, NULL, n);
    if (!*out)
        return RPP_ERR_NOMEM;
    memcpy(*out, s, n);
    return RPP_OK;
}

/* Grows an array so that it holds at least one more element. */
static int grow(rpp_writer *w, void **v, size_t *cap, size_t n, size_t elem,
                size_t first, size_t max)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return RPP_OK;
    ncap = *cap ? *cap * 2 : first;
    if (max && ncap > max)
        ncap = max;
    if (ncap <= n || ncap > SIZE_MAX / elem)
        return RPP_ERR_NOMEM;
    p = xrealloc(w, *v, ncap * elem);
    if (!p)
        return RPP_ERR_NOMEM;
    *v = p;
    *cap = ncap;
    return RPP_OK;
}

static int reserve_event(rpp_writer *w)
{
    void *v = w->events;
    int rc = grow(w, &v, &w->cap_events, w->n_events, sizeof(wr_event), 64,
                  0);

    w->events = v;
    return rc;
}

static int64_t elapsed(const rpp_writer *w)
{
    return w->clock.monotonic_ms(w->clock.ctx) - w->timer_base;
}

int64_t rpp__writer_wall_ms(const rpp_writer *w)
{
    return w->clock.wall_ms(w->clock.ctx);
}

static bool valid_type(rpp_event_type t)
{
    return (int)t >= 0 && (int)t < (int)RPP_EV_UNKNOWN;
}

/* Appends an event; space must have been reserved. Takes meta. */
static void append_event(rpp_writer *w, rpp_event_type type, uint32_t start,
                         uint32_t duration, bool success, char *meta,
                         uint64_t bytes)
{
    wr_event *e = &w->events[w->n_events++];

    e->type = type;
    e->start = start;
    e->duration = duration;
    e->success = success;
    e->meta = meta;
    e->bytes = bytes;
}

static void free_events(rpp_writer *w)
{
    size_t i;

    for (i = 0; i < w->n_events; i++)
        xfree(w, w->events[i].meta);
    xfree(w, w->events);
    w->events = NULL;
    w->n_events = w->cap_events = 0;
}

static void free_pending(rpp_writer *w)
{
    size_t i;

    for (i = 0; i < w->n_pending; i++)
        xfree(w, w->pending[i].meta);
    xfree(w, w->pending);
    w->pending = NULL;
    w->n_pending = w->cap_pending = 0;
}

static void free_samples(rpp_writer *w)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        xfree(w, w->samples[p].v);
        w->samples[p].v = NULL;
        w->samples[p].n = w->samples[p].cap = 0;
    }
}

static void clear_system(rpp_writer *w)
{
    int i;

    for (i = 0; i < SYS__N; i++) {
        xfree(w, w->sys_str[i]);
        w->sys_str[i] = NULL;
    }
    memset(&w->sys, 0, sizeof(w->sys));
    w->has_system = false;
}

static void free_all(rpp_writer *w)
{
    free_events(w);
    free_pending(w);
    free_samples(w);
    clear_system(w);
    xfree(w, w->image_name);
    xfree(w, w->device_name);
    xfree(w, w->error_message);
    w->image_name = w->device_name = w->error_message = NULL;
}

/* ---- Life cycle -------------------------------------------------------- */

int rpp_writer_new(rpp_writer **out, int version,
                   const rpp_writer_clock *clock)
{
    rpp_writer *w;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (version != 2 && version != 3)
        return RPP_ERR_ARG;
    w = calloc(1, sizeof(*w));
    if (!w)
        return RPP_ERR_NOMEM;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w);
        return RPP_ERR_NOMEM;
    }
    w->version = version;
    if (clock)
        w->clock = *clock;
    if (!w->clock.monotonic_ms)
        w->clock.monotonic_ms = default_monotonic_ms;
    if (!w->clock.wall_ms)
        w->clock.wall_ms = default_wall_ms;
    w->alloc.realloc_fn = default_realloc;
    w->alloc.free_fn = default_free;
    w->state = RPP_STATE_NEVER_STARTED;
    w->current_phase = PHASE_IDLE;
    w->next_id = 1;
    *out = w;
    return RPP_OK;
}

void rpp_writer_free(rpp_writer *w)
{
    if (!w)
        return;
    free_all(w);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

int rpp_writer_version(const rpp_writer *w)
{
    return w ? w->version : 0;
}

static bool holds_memory(const rpp_writer *w)
{
    int i;

    if (w->events || w->pending || w->image_name || w->device_name ||
        w->error_message)
        return true;
    for (i = 0; i < RPP_PHASE_COUNT; i++)
        if (w->samples[i].v)
            return true;
    for (i = 0; i < SYS__N; i++)
        if (w->sys_str[i])
            return true;
    return false;
}

int rpp_writer_set_allocator(rpp_writer *w, const rpp_writer_allocator *a)
{
    int rc = RPP_OK;

    if (!w)
        return RPP_ERR_ARG;
    if (a && (!a->realloc_fn || !a->free_fn))
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    if (holds_memory(w)) {
        rc = RPP_ERR_STATE;
    } else if (a) {
        w->alloc = *a;
    } else {
        w->alloc.realloc_fn = default_realloc;
        w->alloc.free_fn = default_free;
        w->alloc.ctx = NULL;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_set_utc(rpp_writer *w, bool utc)
{
    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    w->utc = utc;
    pthread_mutex_unlock(&w->mu);
    return RPP_OK;
}

int rpp_writer_reset(rpp_writer *w)
{
    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    free_all(w);
    w->active = false;
    w->image_size = 0;
    w->start_time = w->end_time = 0;
    w->success = false;
    w->state = RPP_STATE_NEVER_STARTED;
    w->current_phase = PHASE_IDLE;
    memset(w->last_sample, 0, sizeof(w->last_sample));
    memset(w->totals, 0, sizeof(w->totals));
    w->next_id = 1;
    pthread_mutex_unlock(&w->mu);
    return RPP_OK;
}

/* ---- Sessions ---------------------------------------------------------- */

/* The place marker (%N or %LN, N of one or two digits) at s[i] of n
 * bytes: its number, with *end after it; -1 when there is none. */
static int marker_at(const char *s, size_t n, size_t i, size_t *end)
{
    size_t k = i + 1;
    int num;

    if (s[i] != '%')
        return -1;
    if (k < n && s[k] == 'L')
        k++;
    if (k >= n || s[k] < '0' || s[k] > '9')
        return -1;
    num = s[k++] - '0';
    if (k < n && s[k] >= '0' && s[k] <= '9')
        num = num * 10 + (s[k++] - '0');
    *end = k;
    return num;
}

/*
 * One step of Qt's QString::arg(): replaces every occurrence of the
 * lowest-numbered place marker (%N or %LN, N of one or two digits) in s by
 * arg. With no marker, s is copied unchanged. Chained calls re-scan the
 * text the previous ones inserted, as Qt does.
 */
static void qt_arg(rpp__buf *out, const char *s, const char *arg)
{
    size_t n = strlen(s), i, end;
    int min = INT_MAX, num;

    for (i = 0; i < n; i++)
        if ((num = marker_at(s, n, i, &end)) >= 0 && num < min)
            min = num;
    if (min == INT_MAX) {
        rpp__buf_puts(out, s);
        return;
    }
    for (i = 0; i < n; i = end) {
        num = marker_at(s, n, i, &end);
        if (num < 0) {
            rpp__buf_putc(out, s[i]);
            end = i + 1;
        } else if (num == min) {
            rpp__buf_puts(out, arg);
        } else {
            rpp__buf_put(out, s + i, end - i);
        }
    }
}

/* The metadata of cycleStart, built as the Imager's chain of arg() calls. */
static char *cycle_start_meta(rpp_writer *w, const char *image,
                              const char *device, uint64_t size)
{
    rpp__buf a = RPP__BUF_INIT, b = RPP__BUF_INIT;
    char num[24];
    char *meta = NULL;

    snprintf(num, sizeof(num), "%llu", (unsigned long long)size);
    qt_arg(&a, "image: %1; device: %2; size: %3", image);
    if (!a.oom)
        qt_arg(&b, a.ptr, device);
    rpp__buf_clear(&a);
    if (!b.oom)
        qt_arg(&a, b.ptr, num);
    if (!a.oom && !b.oom)
        dup_str(w, a.ptr, &meta);
    rpp__buf_free(&a);
    rpp__buf_free(&b);
    return meta;
}

/* Version 3: a new cycle starts with a cycleStart event; the events and
 * samples of earlier cycles stay, the system block goes. */
static int start_cycle(rpp_writer *w, const char *image, const char *device,
                       uint64_t size)
{
    char *meta = cycle_start_meta(w, image, device, size);

    if (!meta || reserve_event(w) < 0) {
        xfree(w, meta);
        return RPP_ERR_NOMEM;
    }
    append_event(w, RPP_EV_CYCLE_START, w->active ? (uint32_t)elapsed(w) : 0,
                 0, true, meta, size);
    w->state = RPP_STATE_IN_PROGRESS;
    clear_system(w);
    return RPP_OK;
}

/* Version 2: a session start discards everything recorded. */
static void discard_recording(rpp_writer *w)
{
    free_events(w);
    free_pending(w);
    free_samples(w);
    w->next_id = 1;
    w->success = false;
}

int rpp_writer_session_start(rpp_writer *w, const char *image_name,
                             uint64_t image_size, const char *device_name)
{
    char *image = NULL, *device = NULL;
    int rc;

    if (!w)
        return RPP_ERR_ARG;
    image_name = image_name ? image_name : "";
    device_name = device_name ? device_name : "";
    pthread_mutex_lock(&w->mu);
    if ((rc = dup_str(w, image_name, &image)) < 0 ||
        (rc = dup_str(w, device_name, &device)) < 0)
        goto cleanup;
    if (w->version >= 3 &&
        (rc = start_cycle(w, image_name, device_name, image_size)) < 0)
        goto cleanup;
    if (w->version < 3)
        discard_recording(w);
    xfree(w, w->image_name);
    xfree(w, w->device_name);
    xfree(w, w->error_message);
    w->image_name = image;
    w->device_name = device;
    image = device = NULL;
    w->error_message = NULL;
    w->image_size = image_size;
    w->start_time = rpp__writer_wall_ms(w);
    w->end_time = 0;
    w->current_phase = PHASE_IDLE;
    memset(w->last_sample, 0, sizeof(w->last_sample));
    memset(w->totals, 0, sizeof(w->totals));
    w->timer_base = w->clock.monotonic_ms(w->clock.ctx);
    w->active = true;

cleanup:
    xfree(w, image);
    xfree(w, device);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Version 3: the cycleEnd event ("completed" or "failed: MESSAGE") and
 * the state the Imager gives the session. */
static int end_cycle(rpp_writer *w, bool success, const char *error_message)
{
    rpp__buf b = RPP__BUF_INIT;
    char *meta = NULL;
    int rc;

    if (success) {
        rc = dup_str(w, "completed", &meta);
    } else {
        qt_arg(&b, "failed: %1", error_message);
        rc = b.oom ? RPP_ERR_NOMEM : dup_str(w, b.ptr, &meta);
        rpp__buf_free(&b);
    }
    if (rc < 0 || (rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        return rc;
    }
    append_event(w, RPP_EV_CYCLE_END, (uint32_t)elapsed(w), 0, success, meta,
                 0);
    w->state = success ? RPP_STATE_SUCCEEDED
                       : rpp_end_message_state(error_message);
    return RPP_OK;
}

int rpp_writer_session_end(rpp_writer *w, bool success,
                           const char *error_message)
{
    char *msg = NULL;
    int rc;

    if (!w)
        return RPP_ERR_ARG;
    error_message = error_message ? error_message : "";
    pthread_mutex_lock(&w->mu);
    if (!w->active) {
        rc = RPP_ERR_STATE;
        goto cleanup;
    }
    if ((rc = dup_str(w, error_message, &msg)) < 0 ||
        (w->version >= 3 && (rc = end_cycle(w, success, error_message)) < 0))
        goto cleanup;
    w->end_time = rpp__writer_wall_ms(w);
    w->success = success;
    xfree(w, w->error_message);
    w->error_message = msg;
    msg = NULL;
    w->active = false;
    w->current_phase = PHASE_IDLE;

cleanup:
    xfree(w, msg);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_set_system(rpp_writer *w, const rpp_writer_system *info)
{
    const char *src[SYS__N];
    char *dst[SYS__N] = { NULL };
    int rc = RPP_OK, i;

    if (!w || !info || info->version > RPP_WRITER_SYSTEM_VERSION)
        return RPP_ERR_ARG;
    if (w->version < 3)
        return RPP_ERR_STATE;
    src[SYS_DEVICE_PATH] = info->device_path;
    src[SYS_DEVICE_DESCRIPTION] = info->device_description;
    src[SYS_OS_NAME] = info->os_name;
    src[SYS_OS_VERSION] = info->os_version;
    src[SYS_CPU_ARCH] = info->cpu_architecture;
    src[SYS_IMAGER_VERSION] = info->imager_version;
    src[SYS_BUILD_TYPE] = info->imager_build_type;
    src[SYS_SHA256] = info->imager_binary_sha256;
    src[SYS_QT_VERSION] = info->qt_version;
    src[SYS_QT_BUILD] = info->qt_build_version;
    src[SYS_MEMORY_TIER] = info->memory_tier;
    pthread_mutex_lock(&w->mu);
    for (i = 0; i < SYS__N && rc == RPP_OK; i++)
        rc = dup_str(w, src[i], &dst[i]);
    if (rc < 0) {
        for (i = 0; i < SYS__N; i++)
            xfree(w, dst[i]);
    } else {
        clear_system(w);
        w->sys = *info;
        /* the strings live in sys_str; keep no pointer to the caller's */
        w->sys.device_path = w->sys.device_description = NULL;
        w->sys.os_name = w->sys.os_version = w->sys.cpu_architecture = NULL;
        w->sys.imager_version = w->sys.imager_build_type = NULL;
        w->sys.imager_binary_sha256 = w->sys.qt_version = NULL;
        w->sys.qt_build_version = w->sys.memory_tier = NULL;
        memcpy(w->sys_str, dst, sizeof(dst));
        w->has_system = true;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_update_direct_io(rpp_writer *w, bool enabled)
{
    if (!w)
        return RPP_ERR_ARG;
    if (w->version < 3)
        return RPP_ERR_STATE;
    pthread_mutex_lock(&w->mu);
    w->sys.direct_io_enabled = enabled;
    pthread_mutex_unlock(&w->mu);
    return RPP_OK;
}

/* ---- Events ------------------------------------------------------------ */

int rpp_writer_event_begin(rpp_writer *w, rpp_event_type type,
                           const char *metadata, int *id_out)
{
    char *meta = NULL;
    void *v;
    int rc;

    if (!w || !id_out || !valid_type(type))
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    if ((rc = dup_str(w, metadata, &meta)) < 0)
        goto cleanup;
    v = w->pending;
    rc = grow(w, &v, &w->cap_pending, w->n_pending, sizeof(wr_pending), 8, 0);
    w->pending = v;
    if (rc < 0) {
        xfree(w, meta);
        goto cleanup;
    }
    {
        wr_pending *p = &w->pending[w->n_pending++];

        p->id = w->next_id;
        p->type = type;
        p->start = w->active ? elapsed(w) : 0;
        p->meta = meta;
    }
    *id_out = w->next_id;
    w->next_id = w->next_id == INT_MAX ? 1 : w->next_id + 1;
cleanup:
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* The index of the pending event id, or n_pending. */
static size_t find_pending(const rpp_writer *w, int id)
{
    size_t i;

    for (i = 0; i < w->n_pending; i++)
        if (w->pending[i].id == id)
            break;
    return i;
}

/* "META; EXTRA" (or "EXTRA") into *out, a new copy. */
static int join_meta(rpp_writer *w, const char *meta, const char *extra,
                     char **out)
{
    rpp__buf b = RPP__BUF_INIT;
    int rc;

    if (meta) {
        rpp__buf_puts(&b, meta);
        rpp__buf_puts(&b, "; ");
    }
    rpp__buf_puts(&b, extra);
    rc = b.oom ? RPP_ERR_NOMEM : dup_str(w, b.ptr, out);
    rpp__buf_free(&b);
    return rc;
}

int rpp_writer_event_end(rpp_writer *w, int id, bool success,
                         const char *extra_metadata)
{
    wr_pending *p;
    char *meta = NULL;
    int64_t duration;
    size_t i;
    int rc;

    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    if ((i = find_pending(w, id)) == w->n_pending) {
        rc = RPP_ERR_NOT_FOUND;
        goto cleanup;
    }
    p = &w->pending[i];
    if ((extra_metadata && *extra_metadata &&
         (rc = join_meta(w, p->meta, extra_metadata, &meta)) < 0) ||
        (rc = reserve_event(w)) < 0)
        goto cleanup;
    duration = (w->active ? elapsed(w) : 0) - p->start;
    if (meta)
        xfree(w, p->meta);
    else
        meta = p->meta;
    append_event(w, p->type, (uint32_t)p->start,
                 (uint32_t)(duration > 0 ? duration : 0), success, meta, 0);
    meta = NULL;
    w->pending[i] = w->pending[--w->n_pending];

cleanup:
    xfree(w, meta);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

static int record(rpp_writer *w, rpp_event_type type, uint32_t duration,
                  uint64_t bytes, bool success, const char *metadata)
{
    char *meta = NULL;
    int rc;

    if (!w || !valid_type(type))
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    if ((rc = dup_str(w, metadata, &meta)) < 0)
        goto cleanup;
    if ((rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        goto cleanup;
    }
    append_event(w, type,
                 w->active ? (uint32_t)elapsed(w) - duration : 0, duration,
                 success, meta, bytes);
cleanup:
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_event_record(rpp_writer *w, rpp_event_type type,
                            uint32_t duration_ms, bool success,
                            const char *metadata)
{
    return record(w, type, duration_ms, 0, success, metadata);
}

int rpp_writer_event_transfer(rpp_writer *w, rpp_event_type type,
                              uint32_t duration_ms, uint64_t bytes,
                              bool success, const char *metadata)
{
    return record(w, type, duration_ms, bytes, success, metadata);
}

int rpp_writer_event_add(rpp_writer *w, rpp_event_type type,
                         uint32_t start_ms, uint32_t duration_ms,
                         bool success, const char *metadata, uint64_t bytes)
{
    char *meta = NULL;
    int rc;

    if (!w || !valid_type(type))
        return RPP_ERR_ARG;
    if (w->version < 3)
        return RPP_ERR_STATE;
    pthread_mutex_lock(&w->mu);
    if ((rc = dup_str(w, metadata, &meta)) < 0)
        goto cleanup;
    if ((rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        goto cleanup;
    }
    append_event(w, type, start_ms, duration_ms, success, meta, bytes);
cleanup:
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* ---- Progress ---------------------------------------------------------- */

/* Keeps a sample of phase p when the Imager would: at least 100 ms after
 * the phase's last kept sample, and below the cap. */
static int keep_sample(rpp_writer *w, int p, uint64_t bytes_now)
{
    wr_samples *s = &w->samples[p];
    int64_t now = elapsed(w);
    void *v = s->v;
    int rc;

    if (p != w->current_phase) {
        w->current_phase = p;
        w->last_sample[p] = 0;
    }
    if (now - w->last_sample[p] < RPP_WRITER_MIN_SAMPLE_INTERVAL_MS ||
        s->n >= RPP_MAX_SAMPLES_PER_PHASE)
        return RPP_OK;
    rc = grow(w, &v, &s->cap, s->n, sizeof(wr_sample), FIRST_SAMPLE_CAP,
              RPP_MAX_SAMPLES_PER_PHASE);
    s->v = v;
    if (rc == RPP_OK) {
        s->v[s->n].t = (uint32_t)now;
        s->v[s->n].bytes = bytes_now;
        s->n++;
        w->last_sample[p] = now;
    }
    return rc;
}

int rpp_writer_progress(rpp_writer *w, rpp_phase phase, uint64_t bytes_now,
                        uint64_t bytes_total)
{
    int p = (int)phase, rc = RPP_OK;

    if (!w || p < 0 || p >= RPP_PHASE_COUNT)
        return RPP_ERR_ARG;
    if (rpp_phase_since_version(phase) > w->version)
        return RPP_ERR_STATE;
    pthread_mutex_lock(&w->mu);
    if (w->active)
        rc = keep_sample(w, p, bytes_now);
    w->totals[p] = bytes_total;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_finalising(rpp_writer *w)
{
    int rc = RPP_OK;

    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    if (w->active)
        w->current_phase = PHASE_FINALISING;
    else
        rc = RPP_ERR_STATE;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

