/*
 * bench_writer - the cost of the writer library's hot calls:
 *   a progress call that the rate limit drops (the common case: the Imager
 *   reports progress far more often than every 100 ms),
 *   an event call (rpp_writer_event_record with metadata),
 *   the export of a full recorder (6000 samples in each of the 4 phases).
 * Each figure is the median over repeated batches, timed with
 * CLOCK_MONOTONIC; the recorder uses its default (system) clocks, so the
 * clock read inside each call is included.
 */
#include <rpiperf/report.h>
#include <rpiperf/writer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCHES 101
#define CALLS 1000
#define EXPORTS 21

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return v[n / 2];
}

/* Progress calls within 100 ms of the phase's last sample: all dropped. */
static int bench_progress(double *out)
{
    double t[BATCHES];
    rpp_writer *w = NULL;
    int b, i;

    if (rpp_writer_new(&w, 3, NULL) < 0)
        return -1;
    for (b = 0; b < BATCHES; b++) {
        double t0;

        /* a new session restarts the timer: the next 100 ms are limited */
        rpp_writer_session_start(w, "image", 1000, "device");
        t0 = now_ns();
        for (i = 0; i < CALLS; i++)
            rpp_writer_progress(w, RPP_PHASE_WRITE, (uint64_t)i, 1000);
        t[b] = (now_ns() - t0) / CALLS;
    }
    rpp_writer_free(w);
    *out = median(t, BATCHES);
    return 0;
}

static int bench_event(double *out)
{
    double t[BATCHES];
    rpp_writer *w = NULL;
    int b, i;

    if (rpp_writer_new(&w, 3, NULL) < 0)
        return -1;
    rpp_writer_session_start(w, "image", 1000, "device");
    for (b = 0; b < BATCHES; b++) {
        double t0 = now_ns();

        for (i = 0; i < CALLS; i++)
            rpp_writer_event_record(w, RPP_EV_CACHE_LOOKUP, 1, true, "miss");
        t[b] = (now_ns() - t0) / CALLS;
        rpp_writer_reset(w);
    }
    rpp_writer_free(w);
    *out = median(t, BATCHES);
    return 0;
}

/* A clock the export benchmark moves by hand, to fill every phase. */
typedef struct vclock {
    int64_t t;
} vclock;

static int64_t v_mono(void *ctx)
{
    return ((vclock *)ctx)->t;
}

static int64_t v_wall(void *ctx)
{
    return INT64_C(1764579600000) + ((vclock *)ctx)->t;
}

static int bench_export(double *out_ms, size_t *out_len)
{
    double t[EXPORTS];
    vclock c = { 0 };
    rpp_writer_clock wc = { v_mono, v_wall, &c };
    rpp_writer *w = NULL;
    int i, p;

    if (rpp_writer_new(&w, 3, &wc) < 0)
        return -1;
    rpp_writer_set_utc(w, true);
    rpp_writer_session_start(w, "Raspberry Pi OS (64-bit)",
                             UINT64_C(5905580032), "/dev/sdb");
    for (i = 0; i < 100; i++)
        rpp_writer_event_record(w, RPP_EV_RING_BUFFER_STARVATION, 80, true,
                                "buffer: write; type: producer_stall; "
                                "duration_ms: 80");
    for (i = 1; i <= RPP_WRITER_MAX_SAMPLES_PER_PHASE; i++) {
        c.t += 110;
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            rpp_writer_progress(w, (rpp_phase)p,
                                (uint64_t)i * (4000000 + 1000 * (i % 97)),
                                UINT64_C(5905580032));
    }
    for (i = 0; i < EXPORTS; i++) {
        char *s = NULL;
        double t0 = now_ns();

        if (rpp_writer_export_string(w, &s, out_len) < 0) {
            rpp_writer_free(w);
            return -1;
        }
        t[i] = (now_ns() - t0) / 1e6;
        free(s);
    }
    rpp_writer_free(w);
    *out_ms = median(t, EXPORTS);
    return 0;
}

int main(void)
{
    double progress_ns, event_ns, export_ms;
    size_t len = 0;

    if (bench_progress(&progress_ns) < 0 || bench_event(&event_ns) < 0 ||
        bench_export(&export_ms, &len) < 0) {
        fprintf(stderr, "bench_writer: out of memory\n");
        return 1;
    }
    printf("writer: progress call, rate-limited  median %6.1f ns\n",
           progress_ns);
    printf("writer: event_record call            median %6.1f ns\n",
           event_ns);
    printf("writer: export, 4 x 6000 samples     median %6.2f ms "
           "(%zu bytes)\n", export_ms, len);
    return 0;
}
