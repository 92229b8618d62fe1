/*
 * internal.h - shared by the files of the analysis library; not installed.
 */
#ifndef RPIPERF_ANALYSE_INTERNAL_H
#define RPIPERF_ANALYSE_INTERNAL_H

#include <rpiperf/analyse.h>
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

/* Older names of facts that report.h now states once, for the files that
 * still use them. */
#define KBPS_PER_MBPS ((double)RPP_KBPS_PER_MBPS)
#define RPP_SAMPLE_CAP RPP_MAX_SAMPLES_PER_PHASE

/* The report's histogram window in ms: the one it states, or the Imager's
 * (RPP_WINDOW_MS) when it states none. */
static inline uint64_t rpp__window_ms(const rpp_report *r)
{
    return r->window_ms ? r->window_ms : RPP_WINDOW_MS;
}

/* Times on the timeline, sums of durations and sums of sample counts
 * saturate at 2^62: far beyond any real capture, and low enough that adding
 * a window or a duration (at most 2^53) cannot wrap around, nor can a value
 * turn negative where the outputs carry it as an int64. */
#define RPP_SAT_MAX ((uint64_t)1 << 62)

static inline uint64_t rpp_sat_add(uint64_t a, uint64_t b)
{
    return a >= RPP_SAT_MAX || b >= RPP_SAT_MAX - a ? RPP_SAT_MAX : a + b;
}

/* Everything an analysis allocates lives in its arena. */
struct rpp_analysis_mem {
    rpp__arena *arena;
    bool oom;
    const rpp_rules *rules;    /* as given; NULL = the defaults */
};

void *rpp__an_alloc(rpp_analysis *a, size_t n);
void *rpp__an_calloc(rpp_analysis *a, size_t count, size_t size);
char *rpp__an_strdup(rpp_analysis *a, const char *s);
char *rpp__an_printf(rpp_analysis *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- the steps of an analysis -------------------------------------------- */

/* What the steps pass on to each other while an analysis runs. */
typedef struct rpp__work {
    rpp_cycle *cycles;
    size_t n_cycles;
    rpp_event_time *times;
    bool *breaks[RPP_PHASE_COUNT];   /* slice i starts a new segment */
    bool *copies;              /* event i is the Imager's second record of
                                  the write-timing event before it */
} rpp__work;

/* timeline.c: the cycles and the place of every event and slice */
void rpp__timeline_build(rpp_analysis *a, rpp__work *w, bool any_samples);
/* Events the Imager records with no write going on. */
bool rpp__is_background(rpp_event_type t);
/* Whether an end message means "cancelled" to the Imager. */
bool rpp__mentions_cancel(const char *s);
/* session.c */
void rpp__session_compute(rpp_analysis *a, rpp__work *w, bool any_samples);
/* breakdown.c */
void rpp__breakdown_compute(rpp_analysis *a, rpp__work *w);
/* stats.c: the statistics of every phase, whole and per cycle */
void rpp__phases_compute(rpp_analysis *a, rpp__work *w);
/* context.c: which events are the Imager's second record of a
 * write-timing event (w->copies) */
void rpp__copies_find(rpp_analysis *a, rpp__work *w);
/* context.c: the version 3 context (details, transfers, network events,
 * connections, retries), events in timeline order */
void rpp__context_compute(rpp_analysis *a, rpp__work *w);
/* session.c: how far each cycle's write got */
void rpp__progress_compute(rpp_analysis *a);
/* Bytes of phase p written up to timeline ms `until` in slices [b, e),
 * estimated from the slices. */
uint64_t rpp__phase_bytes(const rpp_analysis *a, rpp_phase p, size_t b,
                          size_t e, uint64_t until);
/* stalls.c: the device stops of the watchdog, and the holes in the data
 * with the events that explain them */
void rpp__device_stops_compute(rpp_analysis *a);
void rpp__stalls_compute(rpp_analysis *a);
/* pipeline.c: the bottleneck verdict, per cycle and for the capture */
void rpp__bottleneck_compute(rpp_analysis *a);

/* ---- statistics (stats.c) ---------------------------------------------- */

/* Percentiles q[0..nq) (each 0..1) of the throughput over the n slices at
 * sl, each slice one window of time (the estimator is described in
 * stats.c); out[j] receives them in KB/s, 0 when n is 0 (at most 8
 * quantiles: out[j] stays 0 beyond). Linear in n. Sets
 * *oom when memory ran out. */
void rpp__slice_percentiles(const rpp_slice *sl, size_t n, const double *q,
                            size_t nq, double *out, bool *oom);
/* Lower and upper bound of bucket i in KB/s (upper of the last is +inf). */
void rpp__bucket_bounds(int i, double *lo, double *hi);
/* Median of n values; reorders v. */
double rpp__median(double *v, size_t n);
/* Mean and coefficient of variation (population). */
void rpp__mean_cv(const double *v, size_t n, double *mean, double *cv);
/*
 * The period of a phase's drops: the mean and coefficient of variation of
 * their start-to-start intervals, where an interval of two or three
 * periods (a dip that stayed above the drop line: a skipped beat) counts
 * as that many intervals of one. Both 0 with fewer than two drops; false
 * when out of memory.
 */
bool rpp__drop_period(const rpp_phase_stats *st, double *mean, double *cv);

/* Computes the statistics of slices [b, e) of phase p into st, using the
 * timeline times in t. Gaps are not looked for across segment breaks
 * (breaks[i] set when slice i starts a new segment). */
void rpp__phase_compute(rpp_analysis *a, rpp_phase p, size_t b, size_t e,
                       const bool *breaks, rpp_phase_stats *st);

/* ---- rules (rules.c) --------------------------------------------------- */

/* Runs every enabled rule and stores the findings in a, sorted. */
int rpp__rules_run(rpp_analysis *a, const rpp_rules *rules);

/* Helpers for check functions. */
typedef struct finding_builder {
    rpp_analysis *a;
    rpp_finding *f;
    size_t cap_evidence, cap_spans;
} finding_builder;

/* ---- redaction (redact_scan.c) ---------------------------------------- */

/* Something to redact at a position of a string: keep bytes stay as they
 * are, the len bytes after them become a placeholder of kind. */
typedef struct rpp__redact_hit {
    size_t keep;
    size_t len;
    const char *kind;        /* "user", "host", "serial", "description" */
} rpp__redact_hit;

/* Whether p, a position in string s, starts a home directory's user name,
 * a host name, a user name, a serial number or a device description
 * (redact_scan.c says which forms); fills *h when it does. */
bool rpp__redact_match(const char *s, const char *p, rpp__redact_hit *h);

/* ---- metadata ---------------------------------------------------------- */

/* The number that starts the value of key, read from the first 255 bytes
 * of the value: rpp_meta_number (report.h) as the analysis first used it. */
static inline bool rpp__meta_number(const char *s, const char *key,
                                    double *out)
{
    char val[256], *end;
    double d;

    if (!rpp_meta_get(s, key, val, sizeof(val)))
        return false;
    d = strtod(val, &end);
    if (end == val || !isfinite(d))
        return false;
    *out = d;
    return true;
}

#endif
