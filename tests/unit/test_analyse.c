/*
 * test_analyse.c - the analysis: statistics on hand-made slices, cycles,
 * session states, every rule at and just under its threshold, the rules
 * configuration, the output formats, and the findings of the Imager's own
 * reports (tests/data/reference/upstream-writer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rpiperf/analyse.h>
#include "internal.h"
#include "support_synth.h"

#define REF "tests/data/reference/upstream-writer/"
#define MB 1024ULL /* KB/s per MB/s */

/* ---- helpers ----------------------------------------------------------- */

static rpp_analysis *analyse_with(const rpp_report *r, const char *const *sets)
{
    rpp_analysis *a = NULL;
    rpp_rules *rules = NULL;

    assert_int_equal(rpp_rules_new(&rules), RPP_OK);
    for (; sets && *sets; sets++)
        assert_int_equal(rpp_rules_set(rules, *sets, NULL), RPP_OK);
    assert_int_equal(rpp_analysis_run(&a, r, rules), RPP_OK);
    rpp_rules_free(rules);
    return a;
}

static size_t count_id(const rpp_analysis *a, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < a->n_findings; i++)
        if (strcmp(a->findings[i].id, id) == 0)
            n++;
    return n;
}

static const rpp_finding *find_id(const rpp_analysis *a, const char *id)
{
    size_t i;

    for (i = 0; i < a->n_findings; i++)
        if (strcmp(a->findings[i].id, id) == 0)
            return &a->findings[i];
    return NULL;
}

/* Analyses a synthetic report and says whether rule id fired. */
static bool fires(synth *s, const char *id)
{
    rpp_report *r = synth_load(s);
    rpp_analysis *a = analyse_with(r, NULL);
    bool f = count_id(a, id) > 0;

    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
    return f;
}

static rpp_report *load_ref(const char *name)
{
    char path[256];
    rpp_report *r = NULL;

    snprintf(path, sizeof(path), REF "%s", name);
    assert_int_equal(rpp_report_load_file(&r, path, NULL, NULL), RPP_OK);
    return r;
}

/* ---- statistics -------------------------------------------------------- */

/* A slice from MB/s figures: its min, avg and max, and samples counted in
 * the bucket of each value given (count of them each). */
static rpp_slice mk_slice(double min, double avg, double max, int count,
                          const double *vals, size_t nvals)
{
    rpp_slice s;
    size_t i;

    memset(&s, 0, sizeof(s));
    s.min_kbps = (uint64_t)(min * 1024);
    s.avg_kbps = (uint64_t)(avg * 1024);
    s.max_kbps = (uint64_t)(max * 1024);
    for (i = 0; i < nvals; i++) {
        int b = vals[i] < 1 ? 0 : (int)floor(log2(vals[i])) + 1;
        s.buckets[b > RPP_BUCKETS - 1 ? RPP_BUCKETS - 1 : b] += (uint64_t)count;
    }
    return s;
}

static void pct3(const rpp_slice *sl, size_t n, double out[3])
{
    static const double q[3] = { 0.05, 0.5, 0.95 };
    bool oom = false;

    rpp__slice_percentiles(sl, n, q, 3, out, &oom);
    assert_false(oom);
    out[0] /= 1024;
    out[1] /= 1024;
    out[2] /= 1024;
}

static void test_stats__percentile_inside_one_bucket(void **state)
{
    double v = 20, p[3];
    rpp_slice s = mk_slice(16, 24, 32, 10, &v, 1); /* 16-32 MB/s bucket */
    (void)state;

    pct3(&s, 1, p);
    assert_true(fabs(p[1] - 24) < 1e-9);
    assert_true(fabs(p[0] - (16 + 0.05 * 16)) < 1e-9);
    /* the slice's own range narrows the bucket */
    s = mk_slice(20, 22, 24, 10, &v, 1);
    pct3(&s, 1, p);
    assert_true(fabs(p[1] - 22) < 1e-9);
    assert_true(fabs(p[0] - 20.2) < 1e-9 && fabs(p[2] - 23.8) < 1e-9);
}

static void test_stats__percentile_across_slices(void **state)
{
    double lowv = 1.5, highv = 6, p[3];
    rpp_slice s[2];
    (void)state;

    s[0] = mk_slice(1, 1.5, 2, 50, &lowv, 1);   /* 1-2 MB/s */
    s[1] = mk_slice(4, 6, 8, 50, &highv, 1);    /* 4-8 MB/s */
    pct3(s, 2, p);
    /* the median sits at the top of the lower slice's range */
    assert_true(fabs(p[1] - 2) < 1e-9);
    /* p95: 90 % into the upper slice's range */
    assert_true(fabs(p[2] - (4 + 0.9 * 4)) < 1e-9);
    assert_true(fabs(p[0] - (1 + 0.1 * 1)) < 1e-9);
}

static void test_stats__percentile_constant_phase_is_exact(void **state)
{
    double v = 70, p[3];
    rpp_slice s[50];
    size_t i;
    (void)state;

    /* a phase held at exactly 70 MB/s: every percentile is 70 */
    for (i = 0; i < 50; i++)
        s[i] = mk_slice(70, 70, 70, (int)(1 + i % 7), &v, 1);
    pct3(s, 50, p);
    assert_true(p[0] == 70 && p[1] == 70 && p[2] == 70);
}

static void test_stats__percentile_time_weighted(void **state)
{
    double a = 10, b = 20, p[3];
    rpp_slice s[2];
    (void)state;

    /* one window with 100 samples at 10 MB/s, one with a single sample at
     * 20 MB/s: each window is half of the time */
    s[0] = mk_slice(10, 10, 10, 100, &a, 1);
    s[1] = mk_slice(20, 20, 20, 1, &b, 1);
    pct3(s, 2, p);
    assert_true(p[0] == 10 && p[1] == 10 && p[2] == 20);
}

static void test_stats__percentile_within_min_max(void **state)
{
    double v[3] = { 0.5, 300, 2000 }, p[3];
    rpp_slice s[2];
    (void)state;

    /* counts in buckets outside the slice's own range (a hand-edited
     * report) are held to that range: never below min or above max */
    s[0] = mk_slice(100, 120, 140, 5, v, 3);
    s[1] = mk_slice(130, 135, 140, 5, v + 1, 2);
    pct3(s, 2, p);
    assert_true(p[0] >= 100 && p[2] <= 140);
    assert_true(p[0] <= p[1] && p[1] <= p[2]);
    /* no samples counted: the slice's average */
    memset(&s[0], 0, sizeof(s[0]));
    s[0].min_kbps = 10 * 1024;
    s[0].avg_kbps = 12 * 1024;
    s[0].max_kbps = 15 * 1024;
    pct3(s, 1, p);
    assert_true(p[0] == 12 && p[1] == 12 && p[2] == 12);
}

static void test_stats__median_and_cv(void **state)
{
    double odd[] = { 9, 1, 5, 3, 7 }, even[] = { 4, 1, 3, 2 }, flat[] = { 2, 2,
                                                                          2 };
    double two[] = { 1, 3 }, mean, cv;
    double many[1001];
    size_t i;
    (void)state;

    assert_true(rpp__median(odd, 5) == 5);
    assert_true(rpp__median(even, 4) == 2.5);
    rpp__mean_cv(flat, 3, &mean, &cv);
    assert_true(mean == 2 && cv == 0);
    rpp__mean_cv(two, 2, &mean, &cv);
    assert_true(mean == 2 && fabs(cv - 0.5) < 1e-12);
    /* descending input: the worst case of naive pivots */
    for (i = 0; i < 1001; i++)
        many[i] = (double)(1000 - i);
    assert_true(rpp__median(many, 1001) == 500);
    assert_true(rpp__median(NULL, 0) == 0);
}

static void test_stats__gaps_stalls_and_active_time(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    const rpp_phase_stats *w;
    size_t i;
    (void)state;

    for (i = 0; i < 10; i++) /* 0 .. 9 s */
        synth_slice(s, RPP_PHASE_WRITE, i * 1000, 30 * MB, 40 * MB, 35 * MB, 8);
    for (i = 0; i < 5; i++)  /* 15 .. 19 s: a 5 s hole */
        synth_slice(s, RPP_PHASE_WRITE, 15000 + i * 1000, 100, 900,
                    i < 2 ? 500 : 35 * MB, 8);
    r = synth_load(s);
    a = analyse_with(r, NULL);
    w = &a->phases[RPP_PHASE_WRITE];
    assert_true(w->present);
    assert_int_equal(w->n_slices, 15);
    assert_int_equal(w->n_gaps, 1);
    assert_int_equal(w->gaps[0].start_ms, 10000);
    assert_int_equal(w->gaps[0].end_ms, 15000);
    /* two slices under 1 MB/s in a row: one stall window */
    assert_int_equal(w->n_stalls, 1);
    assert_int_equal(w->stalls[0].start_ms, 15000);
    assert_int_equal(w->stalls[0].end_ms, 17000);
    assert_int_equal(w->first_ms, 0);
    assert_int_equal(w->last_ms, 20000);
    assert_true(fabs(w->min_kbps - 100) < 1e-9);
    assert_true(fabs(w->max_kbps - 40 * MB) < 1e-9);
    assert_true(count_id(a, "throughput-gap") == 1);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_stats__periodic_drops_are_found(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    const rpp_phase_stats *w;
    const rpp_finding *f;
    size_t i;
    (void)state;

    for (i = 0; i < 40; i++) {
        bool drop = i % 10 == 5 || i % 10 == 6;
        synth_slice(s, RPP_PHASE_WRITE, i * 1000, 1 * MB, 45 * MB,
                    drop ? 5 * MB : 40 * MB, 8);
    }
    r = synth_load(s);
    a = analyse_with(r, NULL);
    w = &a->phases[RPP_PHASE_WRITE];
    assert_int_equal(w->n_drops, 4);
    assert_int_equal(w->drops[0].start_ms, 5000);
    assert_int_equal(w->drops[0].end_ms, 7000);
    assert_true(w->drop_interval_cv < 1e-9);
    f = find_id(a, "periodic-drops");
    assert_non_null(f);
    assert_int_equal(f->phase, RPP_PHASE_WRITE);
    assert_int_equal(f->n_spans, 4);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* ---- cycles and the timeline ------------------------------------------- */

static void test_cycles__v3_timer_restart_splits_histograms(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    size_t i;
    (void)state;

    synth_event(s, "osListFetch", 0, 400, true, NULL);
    synth_event(s, "cycleStart", 0, 0, true, "image: A; device: /dev/sda; size: 1");
    synth_event(s, "driveOpen", 100, 300, true, NULL);
    synth_event(s, "cycleEnd", 50000, 0, true, "completed");
    synth_event(s, "deviceClose", 0, 80, true, NULL); /* after the end */
    synth_event(s, "cycleStart", 0, 0, true, "image: B; device: /dev/sdb; size: 1");
    synth_event(s, "driveListPoll", 0, 1300, true, NULL);
    synth_event(s, "cycleEnd", 40000, 0, false, "failed: Write error");
    synth_steady(s, RPP_PHASE_WRITE, 1000, 1000, 40, 30 * MB);
    synth_steady(s, RPP_PHASE_WRITE, 2000, 1000, 30, 15 * MB);
    r = synth_load(s);
    a = analyse_with(r, NULL);
    assert_true(a->cycles_from_events);
    assert_int_equal(a->n_cycles, 2);
    assert_int_equal(a->cycles[0].state, RPP_STATE_SUCCEEDED);
    assert_int_equal(a->cycles[1].state, RPP_STATE_FAILED);
    assert_string_equal(a->cycles[1].end_message, "Write error");
    assert_string_equal(a->cycles[0].image_name, "A");
    assert_string_equal(a->cycles[1].device_name, "/dev/sdb");
    assert_int_equal(a->cycles[0].offset_ms, 0);
    assert_int_equal(a->cycles[1].offset_ms, 50000);
    assert_int_equal(a->cycles[0].slice_begin[RPP_PHASE_WRITE], 0);
    assert_int_equal(a->cycles[0].slice_end[RPP_PHASE_WRITE], 40);
    assert_int_equal(a->cycles[1].slice_begin[RPP_PHASE_WRITE], 40);
    assert_int_equal(a->cycles[1].slice_end[RPP_PHASE_WRITE], 70);
    assert_true(fabs(a->cycles[0].phases[RPP_PHASE_WRITE].avg_kbps -
                     30 * MB) < 1e-6);
    assert_true(fabs(a->cycles[1].phases[RPP_PHASE_WRITE].avg_kbps -
                     15 * MB) < 1e-6);
    /* one timeline: the second cycle's slices come after the first's */
    for (i = 1; i < 70; i++)
        assert_true(a->slice_times[RPP_PHASE_WRITE][i] >
                    a->slice_times[RPP_PHASE_WRITE][i - 1]);
    assert_int_equal(a->slice_times[RPP_PHASE_WRITE][40], 52000);
    /* the restart is not a gap */
    assert_int_equal(a->phases[RPP_PHASE_WRITE].n_gaps, 0);
    assert_int_equal(count_id(a, "throughput-gap"), 0);
    /* placing events */
    assert_int_equal(a->event_times[0].cycle, -1);
    assert_int_equal(a->event_times[2].start_ms, 100);
    assert_true(a->event_times[4].outside_session);
    assert_int_equal(a->event_times[4].start_ms, 50000);
    assert_int_equal(a->event_times[6].start_ms, 50000);
    assert_int_equal(a->event_times[6].cycle, 1);
    /* a failed cycle among several: one session-failed for it */
    assert_int_equal(count_id(a, "session-failed"), 1);
    assert_non_null(strstr(find_id(a, "session-failed")->message, "cycle 2"));
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_cycles__v2_split_at_quiet_gap_with_new_cache_lookup(void **state)
{
    synth *s = synth_new(2);
    rpp_report *r;
    rpp_analysis *a;
    (void)state;

    synth_event(s, "cacheLookup", 0, 1, true, "miss");
    synth_event(s, "cacheLookup", 100000, 1, true, "potential_hit");
    synth_steady(s, RPP_PHASE_WRITE, 1000, 1000, 50, 30 * MB);
    synth_steady(s, RPP_PHASE_WRITE, 101000, 1000, 50, 20 * MB);
    r = synth_load(s);
    a = analyse_with(r, NULL);
    assert_false(a->cycles_from_events);
    assert_int_equal(a->n_cycles, 2);
    assert_int_equal(a->cycles[1].offset_ms, 100000);
    assert_int_equal(a->cycles[0].slice_end[RPP_PHASE_WRITE], 50);
    assert_true(fabs(a->cycles[1].phases[RPP_PHASE_WRITE].avg_kbps -
                     20 * MB) < 1e-6);
    /* the quiet time between cycles is not a stall */
    assert_int_equal(count_id(a, "throughput-gap"), 0);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);

    /* the same gap without a new cycle's events: one cycle, a gap */
    s = synth_new(2);
    synth_steady(s, RPP_PHASE_WRITE, 1000, 1000, 50, 30 * MB);
    synth_steady(s, RPP_PHASE_WRITE, 101000, 1000, 50, 30 * MB);
    r = synth_load(s);
    a = analyse_with(r, NULL);
    assert_int_equal(a->n_cycles, 1);
    assert_int_equal(count_id(a, "throughput-gap"), 1);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_timeline__uint32_wraparound_starts_at_zero(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    (void)state;

    synth_event(s, "cycleStart", 0, 0, true, NULL);
    synth_event(s, "driveListPoll", 4294967026ULL, 420, true, NULL);
    synth_event(s, "cycleEnd", 60000, 0, true, "completed");
    r = synth_load(s);
    a = analyse_with(r, NULL);
    assert_true(a->event_times[1].wrapped);
    assert_int_equal(a->event_times[1].start_ms, 0);
    /* never a 49-day timeline */
    assert_true(a->session.timeline_ms < 100000);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* ---- session ----------------------------------------------------------- */

static void test_session__v2_states_are_inferred(void **state)
{
    static const struct {
        bool success;
        const char *error;
        uint64_t start;
        bool samples;
        rpp_session_state want;
    } cases[] = {
        { true, NULL, 1, true, RPP_STATE_SUCCEEDED },
        { false, "Write error: device gone", 1, true, RPP_STATE_FAILED },
        { false, "Cancelled by user", 1, true, RPP_STATE_CANCELLED },
        { false, "Storage device was REMOVED", 1, true, RPP_STATE_CANCELLED },
        { false, NULL, 0, false, RPP_STATE_NEVER_STARTED },
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        synth *s = synth_new(2);
        rpp_report *r;
        rpp_analysis *a;

        synth_session(s, NULL, cases[i].success, cases[i].error,
                      cases[i].start, cases[i].start ? 1000 : 0);
        synth_event(s, "osListFetch", 0, 300, true, NULL);
        if (cases[i].samples)
            synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 5, 30 * MB);
        r = synth_load(s);
        a = analyse_with(r, NULL);
        assert_int_equal(a->session.state, cases[i].want);
        assert_true(a->session.state_inferred);
        if (cases[i].want == RPP_STATE_NEVER_STARTED) {
            assert_non_null(a->session.note);
            assert_int_equal(a->n_findings, 1);
            assert_string_equal(a->findings[0].id, "never-started");
        }
        rpp_analysis_free(a);
        rpp_report_free(r);
        synth_free(s);
    }
}

static void test_session__in_progress_when_exported_early(void **state)
{
    synth *s = synth_new(2);
    rpp_report *r;
    rpp_analysis *a;
    char *text;
    (void)state;

    synth_session(s, NULL, false, NULL, 1764579600000ULL, 0);
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 5, 30 * MB);
    text = synth_json(s);
    /* no end time: sessionEndTime 0 */
    {
        char *p = strstr(text, "\"sessionEndTime\": ");
        assert_non_null(p);
        p += strlen("\"sessionEndTime\": ");
        while (*p >= '0' && *p <= '9')
            *p++ = ' ';
        p[-1] = '0';
    }
    assert_int_equal(rpp_report_load_buffer(&r, text, strlen(text), NULL, NULL),
                     RPP_OK);
    a = analyse_with(r, NULL);
    assert_int_equal(a->session.state, RPP_STATE_IN_PROGRESS);
    assert_int_equal(count_id(a, "session-failed"), 0);
    rpp_analysis_free(a);
    rpp_report_free(r);
    free(text);
    synth_free(s);
}

/* ---- every rule at and just under its threshold ------------------------- */

static synth *with_event(const char *type, uint64_t dur, bool ok,
                         const char *meta)
{
    synth *s = synth_new(3);
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 30, 40 * MB);
    synth_event(s, type, 1000, dur, ok, meta);
    return s;
}

static void test_rules__event_duration_thresholds(void **state)
{
    static const struct {
        const char *type, *rule;
        uint64_t limit;
    } cases[] = {
        { "driveOpen", "slow-drive-open", 5000 },
        { "driveUnmountVolumes", "slow-unmount-volumes", 5000 },
        { "driveDiskClean", "slow-disk-clean", 10000 },
        { "customisation", "slow-customisation", 30000 },
        { "finalSync", "slow-final-sync", 10000 },
        { "driveUnmount", "long-event", 5000 },
        { "cacheLookup", "long-event", 1000 },
        { "deviceClose", "long-event", 5000 },
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_false(fires(with_event(cases[i].type, cases[i].limit, true, NULL),
                           cases[i].rule));
        assert_true(fires(with_event(cases[i].type, cases[i].limit + 1, true,
                                     NULL),
                          cases[i].rule));
    }
    /* types with their own rule or no limit never raise long-event */
    assert_false(fires(with_event("finalSync", 60000, true, NULL), "long-event"));
    assert_false(fires(with_event("hashComputation", 600000, true, NULL),
                       "long-event"));
}

static void test_rules__ring_buffer_stalls(void **state)
{
    (void)state;
    assert_false(fires(with_event("ringBufferStarvation", 999, true,
                                  "buffer: write; type: producer_stall; "
                                  "duration_ms: 999"),
                       "producer-stall"));
    assert_true(fires(with_event("ringBufferStarvation", 1000, true,
                                 "buffer: write; type: producer_stall; "
                                 "duration_ms: 1000"),
                      "producer-stall"));
    assert_false(fires(with_event("ringBufferStarvation", 1000, true,
                                  "buffer: input; type: consumer_stall; "
                                  "duration_ms: 1000"),
                       "producer-stall"));
    assert_true(fires(with_event("ringBufferStarvation", 6400, true,
                                 "buffer: input; type: consumer_stall; "
                                 "duration_ms: 6400"),
                      "consumer-stall"));
    assert_false(fires(with_event("ringBufferStarvation", 999, true,
                                  "buffer: input; type: consumer_stall; "
                                  "duration_ms: 999"),
                       "consumer-stall"));
}

static void test_rules__failures_and_hashes(void **state)
{
    (void)state;
    assert_true(fires(with_event("hashComputation", 10, false, "read error"),
                      "failed-event"));
    /* a refused direct I/O is a fallback, not a failure */
    assert_false(fires(with_event("directIOAttempt", 0, false,
                                  "attempted: yes; succeeded: no"),
                       "failed-event"));
    assert_true(fires(with_event("hashComputation", 10, true,
                                 "Post-write verification; writeHash: aa; "
                                 "verifyHash: bb"),
                      "verify-mismatch"));
    assert_false(fires(with_event("hashComputation", 10, true,
                                  "Post-write verification; writeHash: aa; "
                                  "verifyHash: aa"),
                       "verify-mismatch"));
    assert_true(fires(with_event("cacheVerification", 10, true,
                                 "expectedHash: 01; computedHash: 02"),
                      "cache-corrupt"));
    assert_false(fires(with_event("cacheVerification", 10, true,
                                  "expectedHash: 01; computedHash: 01"),
                       "cache-corrupt"));
    assert_true(fires(with_event("deviceIOTimeout", 0, false, NULL),
                      "device-io-timeout"));
    assert_true(fires(with_event("queueDepthReduction", 0, true,
                                 "depth=16->8; pending=16"),
                      "write-recovery"));
    assert_true(fires(with_event("memoryAllocationFailure", 0, false, NULL),
                      "memory-allocation-failure"));
    assert_false(fires(with_event("driveOpen", 100, true, NULL),
                       "write-recovery"));
}

static void test_rules__summary_mismatch(void **state)
{
    synth *s = with_event("driveOpen", 100, true, NULL);
    (void)state;

    assert_false(fires(with_event("driveOpen", 100, true, NULL),
                       "summary-mismatch"));
    synth_break_summary(s);
    assert_true(fires(s, "summary-mismatch"));
}

static synth *phases3(double dl, double de, double wr, double ve)
{
    synth *s = synth_new(3);
    if (dl > 0)
        synth_steady(s, RPP_PHASE_DOWNLOAD, 0, 1000, 30, (uint64_t)(dl * MB));
    if (de > 0)
        synth_steady(s, RPP_PHASE_DECOMPRESS, 0, 1000, 30, (uint64_t)(de * MB));
    if (wr > 0)
        synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 30, (uint64_t)(wr * MB));
    if (ve > 0)
        synth_steady(s, RPP_PHASE_VERIFY, 40000, 1000, 10, (uint64_t)(ve * MB));
    return s;
}

/* n ringBufferStarvation events as the Imager records them (50-99 ms,
 * stamped where the wait ended), one a second from t0. */
static synth *stalls(synth *s, const char *buffer, const char *type, int n,
                     uint64_t t0)
{
    char meta[96];
    int i;

    snprintf(meta, sizeof(meta), "buffer: %s; type: %s; duration_ms: 72",
             buffer, type);
    for (i = 0; i < n; i++)
        synth_event(s, "ringBufferStarvation", t0 + 1000 * (uint64_t)i, 72,
                    true, meta);
    return s;
}

/* The write timing the Imager records when a write ends: `busy` ms of the
 * 30 s write spent inside write calls. */
static synth *write_timing(synth *s, uint64_t busy)
{
    char meta[128];

    snprintf(meta, sizeof(meta),
             "writeOps: 340; syscallMs: %llu; preHashWaitMs: 0; "
             "postHashWaitMs: 0; syncMs: 0; syncCount: 0",
             (unsigned long long)busy);
    synth_event(s, "writeTimingBreakdown", 0, 30000, true, meta);
    return s;
}

/* The verdict of a synthetic report, and the finding ids it produces. */
static rpp_bottleneck_kind verdict_of(synth *s, rpp_confidence *conf)
{
    rpp_report *r = synth_load(s);
    rpp_analysis *a = analyse_with(r, NULL);
    rpp_bottleneck_kind k = a->bottleneck.kind;

    *conf = a->bottleneck.confidence;
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
    return k;
}

static void test_rules__verdict_from_stall_events(void **state)
{
    rpp_confidence c;
    (void)state;

    /* the write buffer full: the card */
    assert_int_equal(verdict_of(stalls(phases3(0, 12, 12, 0), "write",
                                       "producer_stall", 4, 2000), &c),
                     RPP_BOTTLENECK_DISK);
    assert_int_equal(c, RPP_CONFIDENCE_MEDIUM);
    /* the input buffer full and the write buffer never: not the network,
     * but a card that keeps each write waiting looks the same as a slow
     * decompressor, however many such stalls */
    assert_int_equal(verdict_of(stalls(phases3(0, 15, 15, 62), "input",
                                       "producer_stall", 40, 2000), &c),
                     RPP_BOTTLENECK_UNKNOWN);
    /* ... until the write timing shows the card idle: decompression, high
     * from cpu_stalls (8) input-buffer stalls on */
    assert_int_equal(verdict_of(write_timing(stalls(phases3(0, 15, 15, 62),
                                                    "input", "producer_stall",
                                                    8, 2000),
                                             9000),
                                &c),
                     RPP_BOTTLENECK_CPU);
    assert_int_equal(c, RPP_CONFIDENCE_HIGH);
    assert_int_equal(verdict_of(write_timing(stalls(phases3(0, 15, 15, 62),
                                                    "input", "producer_stall",
                                                    3, 2000),
                                             9000),
                                &c),
                     RPP_BOTTLENECK_CPU);
    assert_int_equal(c, RPP_CONFIDENCE_MEDIUM);
    /* a card busy most of the write is no idle card */
    assert_int_equal(verdict_of(write_timing(stalls(phases3(0, 15, 15, 62),
                                                    "input", "producer_stall",
                                                    8, 2000),
                                             9001),
                                &c),
                     RPP_BOTTLENECK_UNKNOWN);
    /* ... and one write-buffer stall among them makes it the card */
    assert_int_equal(verdict_of(stalls(stalls(phases3(0, 15, 15, 62),
                                              "input", "producer_stall", 6,
                                              2000),
                                       "write", "producer_stall", 2, 9000),
                                &c),
                     RPP_BOTTLENECK_DISK);
    /* the input buffer empty: the network */
    assert_int_equal(verdict_of(stalls(phases3(3, 18, 18, 80), "input",
                                       "consumer_stall", 3, 2000), &c),
                     RPP_BOTTLENECK_NETWORK);
    assert_int_equal(c, RPP_CONFIDENCE_MEDIUM);
    /* one stall is too little */
    assert_int_equal(verdict_of(stalls(phases3(3, 18, 18, 80), "input",
                                       "consumer_stall", 1, 2000), &c),
                     RPP_BOTTLENECK_UNKNOWN);
}

static void test_rules__derived_from_the_verdict(void **state)
{
    (void)state;
    /* the card limits the write: io-bound below 20 MB/s, slow-card-write
     * when the card reads back twice as fast */
    assert_true(fires(stalls(phases3(0, 12, 12, 80), "write",
                             "producer_stall", 4, 2000), "io-bound"));
    assert_true(fires(stalls(phases3(0, 12, 12, 80), "write",
                             "producer_stall", 4, 2000), "slow-card-write"));
    assert_true(fires(stalls(phases3(0, 19.9, 19.9, 0), "write",
                             "producer_stall", 4, 2000), "io-bound"));
    assert_false(fires(stalls(phases3(0, 20.1, 20.1, 0), "write",
                              "producer_stall", 4, 2000), "io-bound"));
    assert_false(fires(stalls(phases3(0, 12, 12, 80), "write",
                              "producer_stall", 4, 2000), "cpu-bound"));
    assert_false(fires(stalls(phases3(0, 12, 12, 80), "write",
                              "producer_stall", 4, 2000), "slow-decompress"));
    /* decompression limits it: cpu-bound, and slow-decompress below
     * 25 MB/s; a card that reads back fast is no slow card then */
    assert_true(fires(write_timing(stalls(phases3(0, 15, 15, 62), "input",
                                          "producer_stall", 10, 2000),
                                   3000),
                      "cpu-bound"));
    assert_true(fires(write_timing(stalls(phases3(0, 15, 15, 62), "input",
                                          "producer_stall", 10, 2000),
                                   3000),
                      "slow-decompress"));
    assert_false(fires(write_timing(stalls(phases3(0, 15, 15, 62), "input",
                                           "producer_stall", 10, 2000),
                                    3000),
                       "slow-card-write"));
    assert_false(fires(write_timing(stalls(phases3(0, 26, 19, 0), "input",
                                           "producer_stall", 10, 2000),
                                    3000),
                       "slow-decompress"));
    /* without the write timing, input-buffer stalls alone blame nobody */
    assert_false(fires(stalls(phases3(0, 15, 15, 62), "input",
                              "producer_stall", 40, 2000), "cpu-bound"));
    assert_false(fires(stalls(phases3(0, 15, 15, 62), "input",
                              "producer_stall", 40, 2000), "slow-card-write"));
    /* the download limits it: network-bound, nothing about the card */
    assert_true(fires(stalls(phases3(3, 18, 18, 80), "input",
                             "consumer_stall", 4, 2000), "network-bound"));
    assert_false(fires(stalls(phases3(3, 18, 18, 80), "input",
                              "consumer_stall", 4, 2000), "slow-card-write"));
    /* rates alone are weak evidence: a low-confidence verdict, and no
     * rule that needs a clear one */
    assert_false(fires(phases3(0, 16, 12, 0), "io-bound"));
    assert_false(fires(phases3(0, 10, 13, 0), "cpu-bound"));
    /* without stall events or summaries a card written at a quarter of
     * its read speed is still worth saying, at low confidence */
    assert_true(fires(phases3(0, 0, 19, 40), "slow-card-write"));
    assert_false(fires(phases3(0, 0, 19, 37), "slow-card-write"));
    assert_false(fires(phases3(0, 0, 21, 60), "slow-card-write"));
    /* the healthy shape: nothing at all */
    {
        synth *s = stalls(phases3(10, 110, 45, 88), "write", "producer_stall",
                          6, 2000);
        rpp_report *r = synth_load(s);
        rpp_analysis *a = analyse_with(r, NULL);
        assert_int_equal(a->bottleneck.kind, RPP_BOTTLENECK_DISK);
        assert_int_equal(a->n_findings, 0);
        rpp_analysis_free(a);
        rpp_report_free(r);
        synth_free(s);
    }
}

static void test_rules__gap_variance_and_low_samples(void **state)
{
    synth *s;
    size_t i;
    uint64_t b[RPP_BUCKETS] = { 0 };
    (void)state;

    /* gaps: more than two windows apart */
    s = synth_new(3);
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 10, 30 * MB);
    synth_steady(s, RPP_PHASE_WRITE, 11000, 1000, 10, 30 * MB);
    assert_false(fires(s, "throughput-gap"));
    s = synth_new(3);
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 10, 30 * MB);
    synth_steady(s, RPP_PHASE_WRITE, 11001, 1000, 10, 30 * MB);
    assert_true(fires(s, "throughput-gap"));

    /* variance: alternating slices give cv = |a-b| / (a+b) */
    s = synth_new(3);
    for (i = 0; i < 10; i++)
        synth_slice(s, RPP_PHASE_VERIFY, i * 1000, 1, 200 * MB,
                    i % 2 ? 151 * MB : 49 * MB, 8);
    assert_true(fires(s, "high-variance"));
    s = synth_new(3);
    for (i = 0; i < 10; i++)
        synth_slice(s, RPP_PHASE_VERIFY, i * 1000, 1, 200 * MB,
                    i % 2 ? 149 * MB : 51 * MB, 8);
    assert_false(fires(s, "high-variance"));

    /* low buckets: 10 % fires, 9 % does not */
    s = synth_new(3);
    b[0] = 1;
    b[6] = 9;
    synth_slice_buckets(s, RPP_PHASE_WRITE, 0, 500, 40 * MB, 30 * MB, b);
    assert_true(fires(s, "low-throughput-samples"));
    s = synth_new(3);
    b[6] = 10;
    synth_slice_buckets(s, RPP_PHASE_WRITE, 0, 500, 40 * MB, 30 * MB, b);
    assert_false(fires(s, "low-throughput-samples"));
}

static void test_rules__periodic_drops_need_regular_intervals(void **state)
{
    synth *s;
    size_t i;
    (void)state;

    /* drops at 5, 15, 25 s: regular */
    s = synth_new(3);
    for (i = 0; i < 30; i++)
        synth_slice(s, RPP_PHASE_WRITE, i * 1000, 1 * MB, 45 * MB,
                    i % 10 == 5 ? 5 * MB : 40 * MB, 8);
    assert_true(fires(s, "periodic-drops"));
    /* only two drops */
    s = synth_new(3);
    for (i = 0; i < 30; i++)
        synth_slice(s, RPP_PHASE_WRITE, i * 1000, 1 * MB, 45 * MB,
                    (i == 5 || i == 15) ? 5 * MB : 40 * MB, 8);
    assert_false(fires(s, "periodic-drops"));
    /* three drops at 2, 5 and 27 s: intervals 3 s and 22 s */
    s = synth_new(3);
    for (i = 0; i < 30; i++)
        synth_slice(s, RPP_PHASE_WRITE, i * 1000, 1 * MB, 45 * MB,
                    (i == 2 || i == 5 || i == 27) ? 5 * MB : 40 * MB, 8);
    assert_false(fires(s, "periodic-drops"));
}

static void test_rules__capture_truncated_at_6000(void **state)
{
    synth *s = phases3(0, 0, 30, 0);
    (void)state;

    synth_sample_count(s, RPP_PHASE_WRITE, 5999);
    assert_false(fires(s, "capture-truncated"));
    s = phases3(0, 0, 30, 0);
    synth_sample_count(s, RPP_PHASE_WRITE, 6000);
    assert_true(fires(s, "capture-truncated"));
}

/* ---- configuration ------------------------------------------------------ */

static void test_config__set_changes_thresholds_and_levels(void **state)
{
    synth *s = with_event("finalSync", 15000, true, NULL);
    rpp_report *r = synth_load(s);
    rpp_analysis *a;
    const char *raise[] = { "slow-final-sync.max_ms = 20000", NULL };
    const char *off[] = { "slow-final-sync=off", NULL };
    const char *err[] = { "slow-final-sync=error", NULL };
    (void)state;

    a = analyse_with(r, NULL);
    assert_int_equal(count_id(a, "slow-final-sync"), 1);
    assert_int_equal(find_id(a, "slow-final-sync")->level, RPP_LEVEL_WARNING);
    rpp_analysis_free(a);
    a = analyse_with(r, raise);
    assert_int_equal(count_id(a, "slow-final-sync"), 0);
    rpp_analysis_free(a);
    a = analyse_with(r, off);
    assert_int_equal(count_id(a, "slow-final-sync"), 0);
    rpp_analysis_free(a);
    a = analyse_with(r, err);
    assert_int_equal(find_id(a, "slow-final-sync")->level, RPP_LEVEL_ERROR);
    assert_int_equal(a->findings[0].level, RPP_LEVEL_ERROR);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_config__bad_assignments_are_refused(void **state)
{
    static const struct {
        const char *text;
        int status;
        const char *msg;
    } cases[] = {
        { "no-such-rule.max_ms=1", RPP_ERR_NOT_FOUND, "unknown rule" },
        { "slow-final-sync.max=1", RPP_ERR_NOT_FOUND, "no parameter" },
        { "slow-final-sync.max_ms=abc", RPP_ERR_ARG, "non-negative number" },
        { "slow-final-sync.max_ms=-5", RPP_ERR_ARG, "non-negative number" },
        { "slow-final-sync.max_ms=", RPP_ERR_ARG, "non-negative number" },
        { "slow-final-sync=loud", RPP_ERR_ARG, "off, info, warning or error" },
        { "slow-final-sync", RPP_ERR_ARG, "expected RULE.PARAM" },
        { "failed-event.x=1", RPP_ERR_NOT_FOUND, "has no parameters" },
    };
    rpp_rules *rules;
    rpp_error err;
    size_t i;
    (void)state;

    assert_int_equal(rpp_rules_new(&rules), RPP_OK);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(rpp_rules_set(rules, cases[i].text, &err),
                         cases[i].status);
        assert_non_null(strstr(err.message, cases[i].msg));
    }
    rpp_rules_free(rules);
}

static void test_config__rules_file_lines_and_errors(void **state)
{
    const char good[] = "# rig thresholds\n"
                        "\n"
                        "write.min_avg_mbps = 35   # card class\n"
                        "slow-final-sync = off\n";
    const char bad[] = "write.min_avg_mbps = 35\n"
                       "# comment\n"
                       "bogus.rule = 1\n";
    rpp_rules *rules;
    rpp_error err;
    synth *s;
    rpp_report *r;
    rpp_analysis *a;
    (void)state;

    assert_int_equal(rpp_rules_new(&rules), RPP_OK);
    assert_int_equal(rpp_rules_parse(rules, good, strlen(good), &err), RPP_OK);
    s = with_event("finalSync", 15000, true, NULL);
    r = synth_load(s);
    assert_int_equal(rpp_analysis_run(&a, r, rules), RPP_OK);
    /* the rig's bar fails a 40 MB/s write? no: 40 >= 35 */
    assert_int_equal(count_id(a, "write"), 0);
    assert_int_equal(count_id(a, "slow-final-sync"), 0);
    rpp_analysis_free(a);
    assert_int_equal(rpp_rules_set(rules, "write.min_avg_mbps=45", NULL), RPP_OK);
    assert_int_equal(rpp_analysis_run(&a, r, rules), RPP_OK);
    assert_int_equal(count_id(a, "write"), 1);
    assert_int_equal(find_id(a, "write")->level, RPP_LEVEL_ERROR);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
    assert_int_equal(rpp_rules_parse(rules, bad, strlen(bad), &err),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "unknown rule"));
    rpp_rules_free(rules);
}

static void test_config__rules_file_refuses_long_lines_and_nul(void **state)
{
    static const char nul[] = "slow-final-sync = off\nio-bound\0 = off\n";
    char *long_line = malloc(2000);
    rpp_rules *rules;
    rpp_error err;
    (void)state;

    assert_non_null(long_line);
    memset(long_line, ' ', 1999);
    memcpy(long_line + 1980, "io-bound = off", 14);
    long_line[1999] = '\n';
    assert_int_equal(rpp_rules_new(&rules), RPP_OK);
    assert_int_equal(rpp_rules_parse(rules, long_line, 2000, &err),
                     RPP_ERR_ARG);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "line too long"));
    assert_int_equal(rpp_rules_parse(rules, nul, sizeof(nul) - 1, &err),
                     RPP_ERR_ARG);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "NUL"));
    /* an empty file and one of comments only change nothing */
    assert_int_equal(rpp_rules_parse(rules, "", 0, &err), RPP_OK);
    assert_int_equal(rpp_rules_parse(rules, "# x\n\n   # y", 11, &err),
                     RPP_OK);
    rpp_rules_free(rules);
    free(long_line);
}

/* ---- formats ------------------------------------------------------------ */

static char *format(const rpp_analysis *a, rpp_format f, bool redact)
{
    rpp_format_opts o;
    char *out = NULL;
    size_t len = 0;

    memset(&o, 0, sizeof(o));
    o.file_name = "x.json";
    o.redact = redact;
    assert_int_equal(rpp_analysis_format(a, f, &o, &out, &len), RPP_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

static void test_format__hostile_strings_are_neutralised(void **state)
{
    synth *s = with_event("hashComputation", 10, false,
                          "\x1b[31mred\x1b[0m <script>alert(1)</script> "
                          "\xe2\x80\xae bidi | *bold* [x](http://e) @user "
                          "/dev/sdb");
    rpp_report *r = synth_load(s);
    rpp_analysis *a = analyse_with(r, NULL);
    char *text, *md, *json, *red;
    cJSON *root;
    (void)state;

    text = format(a, RPP_FORMAT_TEXT, false);
    assert_null(strchr(text, '\x1b'));
    assert_null(strstr(text, "\xe2\x80\xae"));
    assert_non_null(strstr(text, "\\x1b[31mred"));
    md = format(a, RPP_FORMAT_MARKDOWN, false);
    assert_null(strstr(md, "<script>"));
    assert_non_null(strstr(md, "&lt;script&gt;"));
    assert_null(strstr(md, "[x](http"));
    assert_null(strstr(md, "@user"));
    assert_null(strchr(md, '\x1b'));
    json = format(a, RPP_FORMAT_JSON, false);
    assert_null(strchr(json, '\x1b'));
    assert_null(strstr(json, "<script>"));
    root = cJSON_Parse(json);
    assert_non_null(root);
    /* the escaped JSON still carries the exact text */
    {
        cJSON *ev = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "events"),
                                        "failed");
        cJSON *m = cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 0), "metadata");
        assert_true(cJSON_IsString(m));
        assert_non_null(strstr(m->valuestring, "\x1b[31mred"));
        assert_non_null(strstr(m->valuestring, "<script>"));
    }
    cJSON_Delete(root);
    red = format(a, RPP_FORMAT_JSON, true);
    assert_null(strstr(red, "/dev/sdx"));
    assert_null(strstr(red, "/dev/sdb"));
    assert_non_null(strstr(red, "device-1"));
    free(text);
    free(md);
    free(json);
    free(red);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_format__json_has_the_documented_shape(void **state)
{
    rpp_report *r = load_ref("v3-io-bound.json");
    rpp_analysis *a = analyse_with(r, NULL);
    char *json = format(a, RPP_FORMAT_JSON, false);
    cJSON *root = cJSON_Parse(json), *f;
    static const char *const keys[] = { "tool", "file", "session", "findings",
                                        "events", "phases", "cycles",
                                        "bottleneck" };
    size_t i;
    (void)state;

    assert_non_null(root);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        assert_non_null(cJSON_GetObjectItem(root, keys[i]));
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    assert_non_null(cJSON_GetObjectItem(f, "id"));
    assert_non_null(cJSON_GetObjectItem(f, "severity"));
    assert_non_null(cJSON_GetObjectItem(f, "message"));
    assert_non_null(cJSON_GetObjectItem(f, "cause"));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(f, "evidence")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root,
                                                                 "bottleneck"),
                                            "kind")->valuestring,
                        "disk");
    assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
                                                            root, "phases"),
                                                        "write"),
                                    "avgMBps")->valuedouble > 11.9);
    cJSON_Delete(root);
    free(json);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void test_format__text_fits_100_columns(void **state)
{
    static const char *const files[] = { "v3-io-bound.json",
                                         "v3-multi-cycle.json",
                                         "v3-network-starved.json" };
    size_t i;
    (void)state;

    for (i = 0; i < 3; i++) {
        rpp_report *r = load_ref(files[i]);
        rpp_analysis *a = analyse_with(r, NULL);
        char *text = format(a, RPP_FORMAT_TEXT, false), *line, *save = NULL;
        for (line = strtok_r(text, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save))
            assert_true(rpp__text_width(line) <= 100);
        free(text);
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
}

/* ---- the Imager's own reports ------------------------------------------ */

typedef struct fixture_case {
    const char *file;
    const char *findings;          /* exactly these ids (space separated) */
    rpp_bottleneck_kind kind;
    rpp_session_state state;
} fixture_case;

static const fixture_case fixture_cases[] = {
    { "v3-healthy.json", "", RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    /* version 2: a verify only twice as fast as the write (45 and 88 MB/s)
     * and no other evidence */
    { "v2-healthy.json", "", RPP_BOTTLENECK_UNKNOWN, RPP_STATE_SUCCEEDED },
    /* the ten periodic syncs leave ten holes: one finding with their cause */
    { "v3-io-bound.json",
      "io-bound slow-card-write slow-final-sync throughput-gap",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v2-io-bound.json", "slow-card-write slow-final-sync throughput-gap",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v3-cpu-bound.json", "slow-decompress cpu-bound", RPP_BOTTLENECK_CPU,
      RPP_STATE_SUCCEEDED },
    /* version 2 has neither decompress samples nor pipeline timing: the
     * symptom of a slow card is all it shows (with a note saying so) */
    { "v2-cpu-bound.json", "slow-card-write", RPP_BOTTLENECK_DISK,
      RPP_STATE_SUCCEEDED },
    { "v3-network-starved.json", "network-bound throughput-gap",
      RPP_BOTTLENECK_NETWORK, RPP_STATE_SUCCEEDED },
    /* low confidence from the steady download alone: no network-bound */
    { "v2-network-starved.json", "throughput-gap", RPP_BOTTLENECK_NETWORK,
      RPP_STATE_SUCCEEDED },
    { "v3-stalls.json",
      "periodic-drops throughput-gap low-throughput-samples",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v2-stalls.json", "periodic-drops throughput-gap low-throughput-samples",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v3-cap.json", "io-bound slow-card-write capture-truncated",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v2-cap.json", "slow-card-write capture-truncated", RPP_BOTTLENECK_DISK,
      RPP_STATE_SUCCEEDED },
    { "v3-never-started.json", "never-started", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_NEVER_STARTED },
    { "v2-never-started.json", "never-started", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_NEVER_STARTED },
    /* six input-buffer stalls and no write-buffer one: too few to tell */
    { "v3-failed.json", "session-failed", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_FAILED },
    { "v2-failed.json", "session-failed", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_FAILED },
    { "v3-cancelled.json", "session-cancelled", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_CANCELLED },
    { "v2-cancelled.json", "session-cancelled", RPP_BOTTLENECK_UNKNOWN,
      RPP_STATE_CANCELLED },
    { "v3-multi-cycle.json", "", RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v2-multi-cycle.json", "", RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v3-windows-slow-prepare.json", "slow-unmount-volumes slow-disk-clean",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    /* the v2 enum had no Windows events: a 20.5 s driveUnmount and a 42 s
     * driveOpen carry the same story */
    { "v2-windows-slow-prepare.json", "slow-drive-open long-event",
      RPP_BOTTLENECK_DISK, RPP_STATE_SUCCEEDED },
    { "v3-long-customisation.json", "slow-customisation", RPP_BOTTLENECK_DISK,
      RPP_STATE_SUCCEEDED },
    { "v2-long-customisation.json", "slow-customisation", RPP_BOTTLENECK_DISK,
      RPP_STATE_SUCCEEDED },
};

/* Whether id is one of the space-separated ids of list (whole words). */
static bool id_in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    const char *p = list;

    while ((p = strstr(p, id)) != NULL) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
        p += n;
    }
    return false;
}

static void test_fixtures__findings_match_ground_truth(void **state)
{
    size_t i, k;
    (void)state;

    for (i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++) {
        const fixture_case *fc = &fixture_cases[i];
        rpp_report *r = load_ref(fc->file);
        rpp_analysis *a = analyse_with(r, NULL);
        char want[256], *tok, *save = NULL;

        snprintf(want, sizeof(want), "%s", fc->findings);
        for (tok = strtok_r(want, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save))
            if (count_id(a, tok) == 0)
                fail_msg("%s: expected finding %s", fc->file, tok);
        /* nothing else: every finding's id is exactly one of the expected
         * ones ("write" is not "slow-card-write") */
        for (k = 0; k < a->n_findings; k++)
            if (!id_in_list(fc->findings, a->findings[k].id))
                fail_msg("%s: unexpected finding %s: %s", fc->file,
                         a->findings[k].id, a->findings[k].message);
        if (a->bottleneck.kind != fc->kind)
            fail_msg("%s: bottleneck %s, expected %s", fc->file,
                     rpp_bottleneck_name(a->bottleneck.kind),
                     rpp_bottleneck_name(fc->kind));
        if (a->session.state != fc->state)
            fail_msg("%s: state %s", fc->file,
                     rpp_session_state_name(a->session.state));
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
}

static void test_fixtures__quirks_are_handled(void **state)
{
    rpp_report *r;
    rpp_analysis *a;
    size_t i;
    bool saw_wrap = false;
    (void)state;

    /* v3-failed: a driveListPoll with startMs 4294967026 (uint32 wrap) and
     * a deviceClose recorded after endSession with startMs 0 */
    r = load_ref("v3-failed.json");
    a = analyse_with(r, NULL);
    for (i = 0; i < r->n_events; i++) {
        if (r->events[i].start_ms == 4294967026ULL) {
            assert_true(a->event_times[i].wrapped);
            saw_wrap = true;
        }
        if (r->events[i].type == RPP_EV_DEVICE_CLOSE) {
            assert_true(a->event_times[i].outside_session);
            assert_int_equal(a->event_times[i].start_ms,
                             a->cycles[0].offset_ms + a->cycles[0].duration_ms);
        }
    }
    assert_true(saw_wrap);
    assert_true(a->session.timeline_ms < 200000);
    assert_false(a->phases[RPP_PHASE_VERIFY].present);
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* v3-multi-cycle: two cycles, timestamps restart; summary = cycle 2 */
    r = load_ref("v3-multi-cycle.json");
    a = analyse_with(r, NULL);
    assert_int_equal(a->n_cycles, 2);
    assert_string_equal(a->cycles[0].device_name, "/dev/sdb");
    assert_string_equal(a->cycles[1].device_name, "/dev/sdc");
    assert_true(a->cycles[1].phases[RPP_PHASE_WRITE].avg_kbps <
                a->cycles[0].phases[RPP_PHASE_WRITE].avg_kbps * 0.7);
    assert_true(a->cycles[1].offset_ms >= a->cycles[0].duration_ms);
    for (i = 1; i < r->histograms[RPP_PHASE_WRITE].n_slices; i++)
        assert_true(a->slice_times[RPP_PHASE_WRITE][i] >
                    a->slice_times[RPP_PHASE_WRITE][i - 1]);
    assert_int_equal(a->phases[RPP_PHASE_WRITE].n_gaps, 0);
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* v2-multi-cycle: startSession erased cycle 1 */
    r = load_ref("v2-multi-cycle.json");
    a = analyse_with(r, NULL);
    assert_int_equal(a->n_cycles, 1);
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* v2 pageCacheFlush and v3 periodicSync are the same sync */
    r = load_ref("v2-io-bound.json");
    a = analyse_with(r, NULL);
    assert_true(a->context.sync_count >= 9);
    rpp_analysis_free(a);
    rpp_report_free(r);
    r = load_ref("v3-io-bound.json");
    a = analyse_with(r, NULL);
    assert_int_equal(a->context.sync_count, 10);
    assert_true(a->context.has_write_timing);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* The Imager records writeTimingBreakdown and writeSizeDistribution twice
 * per write with the same totals: the outputs count the write once (as
 * the context does, and as the timeline lists it), the type statistics
 * keep both records as the report's summary does. */
static void test_fixtures__write_timing_counted_once(void **state)
{
    rpp_report *r = load_ref("v3-healthy.json");
    rpp_analysis *a = analyse_with(r, NULL);
    const rpp_type_stats *wtb = NULL;
    uint64_t pipe = 0;
    size_t i;
    char *text, *md;

    (void)state;
    for (i = 0; i < a->n_types; i++) {
        if (a->types[i].type == RPP_EV_WRITE_TIMING_BREAKDOWN) {
            wtb = &a->types[i];
            assert_int_equal(a->type_once_ms[i], 103357);
        } else {
            assert_int_equal(a->type_once_ms[i], a->types[i].total_ms);
        }
        if (a->types[i].category == RPP_CAT_PIPELINE)
            pipe += a->type_once_ms[i];
    }
    assert_non_null(wtb);
    assert_int_equal(wtb->count, 2);
    assert_int_equal(wtb->total_ms, 206714);
    assert_int_equal(a->context.write_timing_total_ms, 103357);
    assert_int_equal(a->category_once_ms[RPP_CAT_PIPELINE], pipe);
    assert_int_equal(a->categories[RPP_CAT_PIPELINE].total_ms, pipe + 103357);
    /* the text and markdown say 103.4 s, never the 3 min 27 s of both */
    text = format(a, RPP_FORMAT_TEXT, false);
    md = format(a, RPP_FORMAT_MARKDOWN, false);
    assert_null(strstr(text, "3 min 27 s"));
    assert_null(strstr(md, "3 min 27 s"));
    assert_non_null(strstr(md, "| writeTimingBreakdown | 2 | 103.4 s |"));
    free(text);
    free(md);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void test_fixtures__bottleneck_never_rests_on_write_wait_alone(void **state)
{
    /* a disk-bound report with no pipelineWriteWaitTime (newer Imager
     * builds do not write it) must not come out CPU-bound */
    rpp_report *r = load_ref("v3-io-bound.json");
    rpp_analysis *a = analyse_with(r, NULL);
    size_t i;
    (void)state;

    for (i = 0; i < r->n_events; i++)
        assert_int_not_equal(r->events[i].type, RPP_EV_PIPELINE_WRITE_WAIT_TIME);
    assert_int_equal(a->bottleneck.kind, RPP_BOTTLENECK_DISK);
    assert_int_equal(count_id(a, "cpu-bound"), 0);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* The period of drops whose start-to-start intervals are (in s) iv[n]. */
static void drop_period(const double *iv, size_t n, double *mean, double *cv)
{
    rpp_span drops[16];
    rpp_phase_stats st;
    size_t i;
    uint64_t t = 5000;

    memset(&st, 0, sizeof(st));
    assert_true(n < 16);
    drops[0].start_ms = t;
    for (i = 0; i < n; i++)
        drops[i + 1].start_ms = t += (uint64_t)(iv[i] * 1000);
    for (i = 0; i <= n; i++)
        drops[i].end_ms = drops[i].start_ms + 1000;
    st.drops = drops;
    st.n_drops = n + 1;
    assert_true(rpp__drop_period(&st, mean, cv));
}

/* A dip that stayed above the drop line is a skipped beat: an interval of
 * two or three periods counts as that many; nothing else is bent into a
 * period. */
static void test_stats__drop_period_with_skipped_beats(void **state)
{
    static const double regular[] = { 9.6, 10.6, 9.4, 10.6, 9.5, 20.2, 20.0,
                                      9.5 };
    static const double off_beat[] = { 10, 25, 10, 10 };
    static const double growing[] = { 10, 20, 30, 40 };
    static const double long_gap[] = { 10, 10, 10, 40 };
    double mean, cv;

    (void)state;
    drop_period(regular, 8, &mean, &cv);
    assert_true(fabs(mean - 9940) < 1);    /* 99.4 s over 10 periods */
    assert_true(cv < 0.05);
    /* 2.5 periods is no whole number: kept as it is */
    drop_period(off_beat, 4, &mean, &cv);
    assert_true(fabs(mean - 13750) < 1);
    assert_true(cv > 0.35);
    /* no period that most intervals share: nothing bent */
    drop_period(growing, 4, &mean, &cv);
    assert_true(fabs(mean - 25000) < 1);
    assert_true(cv > 0.35);
    /* four periods: more than a skipped beat or two */
    drop_period(long_gap, 4, &mean, &cv);
    assert_true(fabs(mean - 17500) < 1);
    /* one drop: no period */
    drop_period(regular, 0, &mean, &cv);
    assert_true(mean == 0 && cv == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures__write_timing_counted_once),
        cmocka_unit_test(test_stats__drop_period_with_skipped_beats),
        cmocka_unit_test(test_stats__percentile_inside_one_bucket),
        cmocka_unit_test(test_stats__percentile_across_slices),
        cmocka_unit_test(test_stats__percentile_constant_phase_is_exact),
        cmocka_unit_test(test_stats__percentile_time_weighted),
        cmocka_unit_test(test_stats__percentile_within_min_max),
        cmocka_unit_test(test_stats__median_and_cv),
        cmocka_unit_test(test_stats__gaps_stalls_and_active_time),
        cmocka_unit_test(test_stats__periodic_drops_are_found),
        cmocka_unit_test(test_cycles__v3_timer_restart_splits_histograms),
        cmocka_unit_test(test_cycles__v2_split_at_quiet_gap_with_new_cache_lookup),
        cmocka_unit_test(test_timeline__uint32_wraparound_starts_at_zero),
        cmocka_unit_test(test_session__v2_states_are_inferred),
        cmocka_unit_test(test_session__in_progress_when_exported_early),
        cmocka_unit_test(test_rules__event_duration_thresholds),
        cmocka_unit_test(test_rules__ring_buffer_stalls),
        cmocka_unit_test(test_rules__failures_and_hashes),
        cmocka_unit_test(test_rules__summary_mismatch),
        cmocka_unit_test(test_rules__verdict_from_stall_events),
        cmocka_unit_test(test_rules__derived_from_the_verdict),
        cmocka_unit_test(test_rules__gap_variance_and_low_samples),
        cmocka_unit_test(test_rules__periodic_drops_need_regular_intervals),
        cmocka_unit_test(test_rules__capture_truncated_at_6000),
        cmocka_unit_test(test_config__set_changes_thresholds_and_levels),
        cmocka_unit_test(test_config__bad_assignments_are_refused),
        cmocka_unit_test(test_config__rules_file_lines_and_errors),
        cmocka_unit_test(test_config__rules_file_refuses_long_lines_and_nul),
        cmocka_unit_test(test_format__hostile_strings_are_neutralised),
        cmocka_unit_test(test_format__json_has_the_documented_shape),
        cmocka_unit_test(test_format__text_fits_100_columns),
        cmocka_unit_test(test_fixtures__findings_match_ground_truth),
        cmocka_unit_test(test_fixtures__quirks_are_handled),
        cmocka_unit_test(test_fixtures__bottleneck_never_rests_on_write_wait_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
