/*
 * writer.c - the recorder of writer.h: collects events and progress samples
 * as Raspberry Pi Imager's PerformanceStats does, and exports them in the
 * Imager's exact layout (Qt's indented JSON, keys sorted, integer
 * arithmetic with the Imager's widths and wrap-arounds).
 */
#include <rpiperf/writer.h>
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS 12
#define PHASES RPP_PHASE_COUNT
/* The Imager's "current phase" besides the four sampled phases. */
#define PHASE_IDLE (-1)
#define PHASE_FINALISING 4
#define FIRST_SAMPLE_CAP 256
#define MAX_DEPTH 8

typedef struct wr_event {
    char *meta;            /* NULL = empty */
    uint64_t bytes;
    uint32_t start;
    uint32_t duration;
    rpp_event_type type;
    bool success;
} wr_event;

typedef struct wr_pending {
    int id;
    rpp_event_type type;
    int64_t start;
    char *meta;
} wr_pending;

typedef struct wr_sample {
    uint32_t t;
    uint64_t bytes;
} wr_sample;

typedef struct wr_samples {
    wr_sample *v;
    size_t n, cap;
} wr_samples;

/* The strings of rpp_writer_system, owned (NULL = empty). */
enum {
    SYS_DEVICE_PATH, SYS_DEVICE_DESCRIPTION, SYS_OS_NAME, SYS_OS_VERSION,
    SYS_CPU_ARCH, SYS_IMAGER_VERSION, SYS_BUILD_TYPE, SYS_SHA256,
    SYS_QT_VERSION, SYS_QT_BUILD, SYS_MEMORY_TIER, SYS__N
};

struct rpp_writer {
    pthread_mutex_t mu;
    int version;
    rpp_writer_clock clock;
    rpp_writer_allocator alloc;
    bool utc;

    bool active;
    int64_t timer_base;
    char *image_name;
    char *device_name;
    uint64_t image_size;
    int64_t start_time;
    int64_t end_time;
    bool success;                /* version 2 */
    rpp_session_state state;     /* version 3 */
    char *error_message;

    int current_phase;
    int64_t last_sample[PHASES];
    uint64_t totals[PHASES];
    wr_samples samples[PHASES];

    wr_event *events;
    size_t n_events, cap_events;
    wr_pending *pending;
    size_t n_pending, cap_pending;
    int next_id;

    bool has_system;
    rpp_writer_system sys;       /* numbers and flags; strings: sys_str */
    char *sys_str[SYS__N];
};

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

static int64_t wall(const rpp_writer *w)
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

    for (p = 0; p < PHASES; p++) {
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
    for (i = 0; i < PHASES; i++)
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

/*
 * One step of Qt's QString::arg(): replaces every occurrence of the
 * lowest-numbered place marker (%N or %LN, N of one or two digits) in s by
 * arg. With no marker, s is copied unchanged. Chained calls re-scan the
 * text the previous ones inserted, as Qt does.
 */
static void qt_arg(rpp__buf *out, const char *s, const char *arg)
{
    size_t n = strlen(s), i, j;
    int min = INT_MAX, esc;

    for (i = 0; i < n; i = j) {
        j = i + 1;
        if (s[i] != '%')
            continue;
        if (j < n && s[j] == 'L')
            j++;
        if (j >= n || s[j] < '0' || s[j] > '9')
            continue;
        esc = s[j++] - '0';
        if (j < n && s[j] >= '0' && s[j] <= '9')
            esc = esc * 10 + (s[j++] - '0');
        if (esc < min)
            min = esc;
    }
    if (min == INT_MAX) {
        rpp__buf_puts(out, s);
        return;
    }
    for (i = 0; i < n;) {
        size_t k = i + 1;

        if (s[i] == '%') {
            if (k < n && s[k] == 'L')
                k++;
            if (k < n && s[k] >= '0' && s[k] <= '9') {
                esc = s[k++] - '0';
                if (k < n && s[k] >= '0' && s[k] <= '9')
                    esc = esc * 10 + (s[k++] - '0');
                if (esc == min) {
                    rpp__buf_puts(out, arg);
                    i = k;
                    continue;
                }
                rpp__buf_put(out, s + i, k - i);
                i = k;
                continue;
            }
        }
        rpp__buf_putc(out, s[i]);
        i++;
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

int rpp_writer_session_start(rpp_writer *w, const char *image_name,
                             uint64_t image_size, const char *device_name)
{
    char *image = NULL, *device = NULL, *meta = NULL;
    int rc;

    if (!w)
        return RPP_ERR_ARG;
    image_name = image_name ? image_name : "";
    device_name = device_name ? device_name : "";
    pthread_mutex_lock(&w->mu);
    if ((rc = dup_str(w, image_name, &image)) < 0 ||
        (rc = dup_str(w, device_name, &device)) < 0)
        goto fail;
    if (w->version >= 3) {
        meta = cycle_start_meta(w, image_name, device_name, image_size);
        if (!meta || reserve_event(w) < 0) {
            rc = RPP_ERR_NOMEM;
            goto fail;
        }
        append_event(w, RPP_EV_CYCLE_START,
                     w->active ? (uint32_t)elapsed(w) : 0, 0, true, meta,
                     image_size);
        w->state = RPP_STATE_IN_PROGRESS;
        clear_system(w);
    } else {
        free_events(w);
        free_pending(w);
        free_samples(w);
        w->next_id = 1;
        w->success = false;
    }
    xfree(w, w->image_name);
    xfree(w, w->device_name);
    xfree(w, w->error_message);
    w->image_name = image;
    w->device_name = device;
    w->error_message = NULL;
    w->image_size = image_size;
    w->start_time = wall(w);
    w->end_time = 0;
    w->current_phase = PHASE_IDLE;
    memset(w->last_sample, 0, sizeof(w->last_sample));
    memset(w->totals, 0, sizeof(w->totals));
    w->timer_base = w->clock.monotonic_ms(w->clock.ctx);
    w->active = true;
    pthread_mutex_unlock(&w->mu);
    return RPP_OK;

fail:
    xfree(w, image);
    xfree(w, device);
    xfree(w, meta);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* The Imager's test for a cancellation: the lower-cased message contains
 * "cancel", "removed" or "user". Lower-casing only ASCII is enough: no
 * other character lower-cases to a letter of these words. */
static bool is_cancellation(const char *msg)
{
    static const char *const words[] = { "cancel", "removed", "user" };
    size_t n = strlen(msg), i, k, len;

    for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        len = strlen(words[k]);
        for (i = 0; i + len <= n; i++) {
            size_t j;

            for (j = 0; j < len; j++) {
                char c = msg[i + j];

                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if (c != words[k][j])
                    break;
            }
            if (j == len)
                return true;
        }
    }
    return false;
}

int rpp_writer_session_end(rpp_writer *w, bool success,
                           const char *error_message)
{
    char *msg = NULL, *meta = NULL;
    int rc;

    if (!w)
        return RPP_ERR_ARG;
    error_message = error_message ? error_message : "";
    pthread_mutex_lock(&w->mu);
    if (!w->active) {
        rc = RPP_ERR_STATE;
        goto out;
    }
    if ((rc = dup_str(w, error_message, &msg)) < 0)
        goto out;
    if (w->version >= 3) {
        if (success) {
            rc = dup_str(w, "completed", &meta);
        } else {
            rpp__buf b = RPP__BUF_INIT;

            qt_arg(&b, "failed: %1", error_message);
            rc = b.oom ? RPP_ERR_NOMEM : dup_str(w, b.ptr, &meta);
            rpp__buf_free(&b);
        }
        if (rc < 0 || (rc = reserve_event(w)) < 0) {
            xfree(w, msg);
            xfree(w, meta);
            goto out;
        }
        append_event(w, RPP_EV_CYCLE_END, (uint32_t)elapsed(w), 0, success,
                     meta, 0);
        if (success)
            w->state = RPP_STATE_SUCCEEDED;
        else if (is_cancellation(error_message))
            w->state = RPP_STATE_CANCELLED;
        else
            w->state = RPP_STATE_FAILED;
    }
    w->end_time = wall(w);
    w->success = success;
    xfree(w, w->error_message);
    w->error_message = msg;
    w->active = false;
    w->current_phase = PHASE_IDLE;
out:
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
        goto out;
    v = w->pending;
    rc = grow(w, &v, &w->cap_pending, w->n_pending, sizeof(wr_pending), 8, 0);
    w->pending = v;
    if (rc < 0) {
        xfree(w, meta);
        goto out;
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
out:
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rpp_writer_event_end(rpp_writer *w, int id, bool success,
                         const char *extra_metadata)
{
    wr_pending *p = NULL;
    char *meta = NULL;
    int64_t end, duration;
    size_t i;
    int rc = RPP_OK;

    if (!w)
        return RPP_ERR_ARG;
    pthread_mutex_lock(&w->mu);
    for (i = 0; i < w->n_pending; i++) {
        if (w->pending[i].id == id) {
            p = &w->pending[i];
            break;
        }
    }
    if (!p) {
        rc = RPP_ERR_NOT_FOUND;
        goto out;
    }
    if (extra_metadata && *extra_metadata) {
        rpp__buf b = RPP__BUF_INIT;

        if (p->meta) {
            rpp__buf_puts(&b, p->meta);
            rpp__buf_puts(&b, "; ");
        }
        rpp__buf_puts(&b, extra_metadata);
        rc = b.oom ? RPP_ERR_NOMEM : dup_str(w, b.ptr, &meta);
        rpp__buf_free(&b);
        if (rc < 0)
            goto out;
    }
    if ((rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        goto out;
    }
    end = w->active ? elapsed(w) : 0;
    duration = end - p->start;
    if (meta) {
        xfree(w, p->meta);
    } else {
        meta = p->meta;
    }
    append_event(w, p->type, (uint32_t)p->start,
                 (uint32_t)(duration > 0 ? duration : 0), success, meta, 0);
    w->pending[i] = w->pending[--w->n_pending];
out:
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
        goto out;
    if ((rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        goto out;
    }
    append_event(w, type,
                 w->active ? (uint32_t)elapsed(w) - duration : 0, duration,
                 success, meta, bytes);
out:
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
        goto out;
    if ((rc = reserve_event(w)) < 0) {
        xfree(w, meta);
        goto out;
    }
    append_event(w, type, start_ms, duration_ms, success, meta, bytes);
out:
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* ---- Progress ---------------------------------------------------------- */

int rpp_writer_progress(rpp_writer *w, rpp_phase phase, uint64_t bytes_now,
                        uint64_t bytes_total)
{
    int p = (int)phase, rc = RPP_OK;
    int64_t now;
    wr_samples *s;

    if (!w || p < 0 || p >= PHASES)
        return RPP_ERR_ARG;
    if (phase == RPP_PHASE_DECOMPRESS && w->version < 3)
        return RPP_ERR_STATE;
    pthread_mutex_lock(&w->mu);
    if (w->active) {
        now = elapsed(w);
        if (p != w->current_phase) {
            w->current_phase = p;
            w->last_sample[p] = 0;
        }
        s = &w->samples[p];
        if (now - w->last_sample[p] >= RPP_WRITER_MIN_SAMPLE_INTERVAL_MS &&
            s->n < RPP_WRITER_MAX_SAMPLES_PER_PHASE) {
            void *v = s->v;

            rc = grow(w, &v, &s->cap, s->n, sizeof(wr_sample),
                      FIRST_SAMPLE_CAP, RPP_WRITER_MAX_SAMPLES_PER_PHASE);
            s->v = v;
            if (rc == RPP_OK) {
                s->v[s->n].t = (uint32_t)now;
                s->v[s->n].bytes = bytes_now;
                s->n++;
                w->last_sample[p] = now;
            }
        }
    }
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
    *kbps = (uint32_t)((db * 1000) / ((uint64_t)dt * 1024));
    return true;
}

static int bucket_of(uint32_t kbps)
{
    uint32_t mbps = kbps / 1024;
    int i = 0;

    while (i < BUCKETS - 1 && mbps >= (1u << i))
        i++;
    return i;
}

static void put_histogram(jout *j, const wr_samples *s)
{
    size_t ws = 0, we, i;
    uint32_t wst;

    if (s->n < 2)
        return;
    wst = s->v[0].t;
    while (ws < s->n) {
        unsigned counts[BUCKETS] = { 0 };
        uint32_t mn = UINT32_MAX, mx = 0, kbps;
        uint64_t sum = 0;
        unsigned cnt = 0;
        int k;

        we = ws;
        while (we < s->n &&
               (uint32_t)(s->v[we].t - wst) < RPP_WRITER_WINDOW_MS)
            we++;
        for (i = ws + 1; i < we; i++) {
            if (!pair_kbps(&s->v[i - 1], &s->v[i], &kbps))
                continue;
            counts[bucket_of(kbps)]++;
            mn = kbps < mn ? kbps : mn;
            mx = kbps > mx ? kbps : mx;
            sum += kbps;
            cnt++;
        }
        if (cnt) {
            j_next(j);
            j_open(j, '[');
            j_next(j);
            rpp__buf_put_u64(j->b, wst);
            j_next(j);
            rpp__buf_put_u64(j->b, mn == UINT32_MAX ? 0 : mn);
            j_next(j);
            rpp__buf_put_u64(j->b, mx);
            j_next(j);
            rpp__buf_put_u64(j->b, sum / cnt);
            for (k = 0; k < BUCKETS; k++) {
                j_next(j);
                rpp__buf_put_u64(j->b, counts[k]);
            }
            j_close(j, ']');
        }
        if (we >= s->n)
            break;
        ws = we;
        wst = s->v[ws].t;
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

static const char *state_name(rpp_session_state s)
{
    switch (s) {
    case RPP_STATE_NEVER_STARTED: return "never_started";
    case RPP_STATE_IN_PROGRESS: return "in_progress";
    case RPP_STATE_SUCCEEDED: return "succeeded";
    case RPP_STATE_FAILED: return "failed";
    case RPP_STATE_CANCELLED: return "cancelled";
    case RPP_STATE_NONE:
    case RPP_STATE_UNRECOGNISED:
        break;
    }
    return "unknown";
}

static const char *sys_s(const rpp_writer *w, int i)
{
    return w->sys_str[i] ? w->sys_str[i] : "";
}

static void put_system(jout *j, const rpp_writer *w)
{
    const rpp_writer_system *y = &w->sys;
    const uint64_t mb = (uint64_t)1024 * 1024;

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
    j_int(j, "availableMB", (int64_t)(y->available_memory_bytes / mb));
    j_int(j, "totalBytes", (int64_t)y->total_memory_bytes);
    j_int(j, "totalMB", (int64_t)(y->total_memory_bytes / mb));
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
    j_int(j, "sizeMB", (int64_t)(y->device_size_bytes / mb));
    j_close(j, '}');

    j_open_key(j, "writeConfig", '{');
    j_open_key(j, "buffers", '{');
    j_int(j, "inputBufferBytes", y->input_buffer_size);
    j_int(j, "inputBufferKB", y->input_buffer_size / 1024);
    j_int(j, "inputRingBufferSlots", y->input_ring_buffer_slots);
    j_int(j, "writeBufferBytes", y->write_buffer_size);
    j_int(j, "writeBufferKB", y->write_buffer_size / 1024);
    j_int(j, "writeRingBufferSlots", y->write_ring_buffer_slots);
    j_close(j, '}');
    j_bool(j, "directIOEnabled", y->direct_io_enabled);
    if (w->sys_str[SYS_MEMORY_TIER])
        j_str(j, "memoryTier", sys_s(w, SYS_MEMORY_TIER));
    j_bool(j, "periodicSyncEnabled", y->periodic_sync_enabled);
    if (y->periodic_sync_enabled) {
        j_int(j, "syncIntervalBytes", y->sync_interval_bytes);
        j_int(j, "syncIntervalMB",
              y->sync_interval_bytes / ((int64_t)1024 * 1024));
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
                            ((uint64_t)e->duration * 1024)));
        j_str(j, "type", rpp_event_type_name(e->type));
        j_close(j, '}');
    }
    j_close(j, ']');
}

static void put_export_time(jout *j, const rpp_writer *w)
{
    int64_t ms = wall(w);
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

static const char *const slice_format[] = {
    "timestampMs", "minKBps", "maxKBps", "avgKBps",
    "bucket_0-1MB", "bucket_1-2MB", "bucket_2-4MB", "bucket_4-8MB",
    "bucket_8-16MB", "bucket_16-32MB", "bucket_32-64MB", "bucket_64-128MB",
    "bucket_128-256MB", "bucket_256-512MB", "bucket_512-1024MB",
    "bucket_1024+MB"
};

/* The phases in the key order of the report. */
static const rpp_phase sorted_phases[PHASES] = {
    RPP_PHASE_DECOMPRESS, RPP_PHASE_DOWNLOAD, RPP_PHASE_VERIFY,
    RPP_PHASE_WRITE
};

static void build(rpp__buf *b, const rpp_writer *w)
{
    jout j = { b, 0, { 0 } };
    size_t i;
    int k;

    j_open(&j, '{');
    put_events(&j, w);
    put_export_time(&j, w);

    j_open_key(&j, "histograms", '{');
    for (k = 0; k < PHASES; k++) {
        rpp_phase p = sorted_phases[k];

        if (w->samples[p].n == 0 ||
            (p == RPP_PHASE_DECOMPRESS && w->version < 3))
            continue;
        j_open_key(&j, rpp_phase_name(p), '[');
        put_histogram(&j, &w->samples[p]);
        j_close(&j, ']');
    }
    j_close(&j, '}');

    j_open_key(&j, "schema", '{');
    j_open_key(&j, "histogramSliceFormat", '[');
    for (i = 0; i < sizeof(slice_format) / sizeof(slice_format[0]); i++) {
        j_next(&j);
        qt_string(b, slice_format[i]);
    }
    j_close(&j, ']');
    j_int(&j, "histogramWindowMs", RPP_WRITER_WINDOW_MS);
    j_str(&j, "throughputUnit", "KB/s");
    j_close(&j, '}');

    j_open_key(&j, "summary", '{');
    j_str(&j, "deviceName", w->device_name);
    j_int(&j, "durationMs",
          w->end_time > 0 ? w->end_time - w->start_time : 0);
    if (w->error_message)
        j_str(&j, "errorMessage", w->error_message);
    put_event_summary(&j, w);
    j_str(&j, "imageName", w->image_name);
    j_int(&j, "imageSize", (int64_t)w->image_size);
    j_open_key(&j, "phases", '{');
    for (k = 0; k < PHASES; k++) {
        rpp_phase p = sorted_phases[k];

        if (p == RPP_PHASE_DECOMPRESS && w->version < 3)
            continue;
        put_phase_summary(&j, rpp_phase_name(p), &w->samples[p],
                          w->totals[p]);
    }
    j_close(&j, '}');
    j_int(&j, "sessionEndTime", w->end_time);
    j_int(&j, "sessionStartTime", w->start_time);
    if (w->version >= 3) {
        j_str(&j, "sessionState", state_name(w->state));
        j_bool(&j, "success", w->state == RPP_STATE_SUCCEEDED);
    } else {
        j_bool(&j, "success", w->success);
    }
    j_close(&j, '}');

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
    build(&b, w);
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

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(fd, s, n);

        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

int rpp_writer_export_file(rpp_writer *w, const char *path)
{
    static const char suffix[] = ".tmp-XXXXXX";
    char *s = NULL, *tmp = NULL;
    size_t n = 0, plen;
    struct stat st;
    mode_t mode = 0644;
    bool created = false;
    int rc, fd = -1;

    if (!path || !*path)
        return RPP_ERR_ARG;
    if ((rc = rpp_writer_export_string(w, &s, &n)) < 0)
        return rc;
    plen = strlen(path);
    tmp = malloc(plen + sizeof(suffix));
    if (!tmp) {
        rc = RPP_ERR_NOMEM;
        goto cleanup;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, suffix, sizeof(suffix));
    /* The report keeps the permissions of the file it replaces. */
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            rc = RPP_ERR_IO;
            goto cleanup;
        }
        mode = st.st_mode & 07777;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = RPP_ERR_IO;
        goto cleanup;
    }
    created = true;
    if (fchmod(fd, mode) != 0 || write_all(fd, s, n) != 0 || fsync(fd) != 0) {
        rc = RPP_ERR_IO;
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = RPP_ERR_IO;
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = RPP_ERR_IO;
        goto cleanup;
    }
    created = false;
cleanup:
    if (fd >= 0)
        close(fd);
    if (created)
        unlink(tmp);
    free(tmp);
    free(s);
    return rc;
}
