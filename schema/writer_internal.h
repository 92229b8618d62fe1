/*
 * writer_internal.h - shared by the two halves of the writer; not
 * installed: the recorder (writer.c), which collects what the Imager's
 * PerformanceStats collects, and the export (writer_export.c), which lays
 * it out as the Imager's report.
 */
#ifndef RPIPERF_WRITER_INTERNAL_H
#define RPIPERF_WRITER_INTERNAL_H

#include <rpiperf/writer.h>
#include "util.h"

#include <pthread.h>

/* The Imager's "current phase" besides the four sampled phases. */
#define PHASE_IDLE (-1)
#define PHASE_FINALISING RPP_PHASE_COUNT

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
    int64_t last_sample[RPP_PHASE_COUNT];
    uint64_t totals[RPP_PHASE_COUNT];
    wr_samples samples[RPP_PHASE_COUNT];

    wr_event *events;
    size_t n_events, cap_events;
    wr_pending *pending;
    size_t n_pending, cap_pending;
    int next_id;

    bool has_system;
    rpp_writer_system sys;       /* numbers and flags; strings: sys_str */
    char *sys_str[SYS__N];
};


/* ms since the Unix epoch, from the recorder's clock. */
int64_t rpp__writer_wall_ms(const rpp_writer *w);

/* Appends the report the recorder holds, in the Imager's layout, to b
 * (whose oom flag says whether it is whole). The caller holds w->mu. */
void rpp__writer_build(rpp__buf *b, const rpp_writer *w);

#endif
