/*
 * test_hostile.c - what a hostile report must not do to the analysis and
 * its outputs: sums that would wrap past 2^64 saturate and never turn
 * negative, figures in metadata that are not finite are ignored, rules
 * about single events or cycles stay a handful of findings however many
 * there are, many cycles and types keep their exact results on the
 * linear paths, and every character that could change how a terminal or
 * a viewer shows text is escaped in JSON as in text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rpiperf/analyse.h>
#include "internal.h"
#include "plot.h"
#include <rpiperf/render.h>
#include "support_synth.h"
#include "util.h"

#define TOP ((uint64_t)1 << 53)   /* the largest time a report may hold */

static rpp_analysis *analyse(const rpp_report *r)
{
    rpp_analysis *a = NULL;

    assert_int_equal(rpp_analysis_run(&a, r, NULL), RPP_OK);
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

/* Every number a finding carries is a count, a time or a size. */
static void assert_no_negative_evidence(const rpp_analysis *a)
{
    size_t i, k;

    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        for (k = 0; k < f->n_evidence; k++) {
            if (f->evidence[k].kind == RPP_VALUE_INT &&
                f->evidence[k].i < 0)
                fail_msg("%s: %s = %lld", f->id, f->evidence[k].key,
                         (long long)f->evidence[k].i);
            if (f->evidence[k].kind == RPP_VALUE_NUM &&
                !(f->evidence[k].d >= 0))
                fail_msg("%s: %s = %g", f->id, f->evidence[k].key,
                         f->evidence[k].d);
        }
        for (k = 0; k < f->n_spans; k++)
            assert_true(f->spans[k].end_ms >= f->spans[k].start_ms);
    }
}

/* ---- sums past 2^64 ------------------------------------------------------ */

static void test_sums__a_timeline_past_2p64_saturates(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    size_t k;
    int p;

    (void)state;
    /* 2100 cycles of 2^53 ms: more than 2^64 ms end to end */
    for (k = 0; k < 2100; k++) {
        synth_event(s, "cycleStart", 0, 0, true, NULL);
        synth_event(s, "cycleEnd", TOP, 0, k % 2 == 0, "failed: card gone");
    }
    synth_event(s, "cycleStart", 0, 0, true, NULL);
    synth_event(s, "driveOpen", 5, TOP, false, "error: gone");
    synth_event(s, "ringBufferStarvation", 5, TOP, true,
                "producer_stall: 1 ms; buffer: write");
    for (k = 0; k < 60; k++) {
        uint64_t b[RPP_BUCKETS];
        for (p = 0; p < RPP_BUCKETS; p++)
            b[p] = TOP;
        synth_slice_buckets(s, RPP_PHASE_WRITE, 1000 * k, 100, 300, 200, b);
    }
    r = synth_load(s);
    a = analyse(r);
    assert_true(a->session.timeline_ms == RPP_SAT_MAX);
    assert_true(a->cycles[a->n_cycles - 1].offset_ms == RPP_SAT_MAX);
    assert_true(a->event_times[r->n_events - 1].start_ms == RPP_SAT_MAX);
    /* 60 slices x 2^53 in each bucket: 2^58.9; 12 buckets: past 2^62 */
    assert_true(a->phases[RPP_PHASE_WRITE].buckets[0] == 60 * TOP);
    assert_true(a->phases[RPP_PHASE_WRITE].samples == RPP_SAT_MAX);
    assert_true(a->phases[RPP_PHASE_WRITE].last_ms >=
                a->phases[RPP_PHASE_WRITE].first_ms);
    assert_no_negative_evidence(a);
    /* ten failed cycles with a finding each, the other 1040 in one */
    assert_int_equal(count_id(a, "session-failed"), 11);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* Slices whose min is far above their max (loaded with a warning), beside
 * a sound one or alone: the phase's range is what the slices span, and its
 * percentiles stay in order within it, for the whole capture and for the
 * cycle. */
static void test_stats__slice_min_above_max_keeps_percentiles_in_range(
    void **state)
{
    static const double want_min[2] = { 9950, 11020 },
                        want_max[2] = { 11310, 98496076 };
    size_t k, alone;

    (void)state;
    for (alone = 0; alone < 2; alone++) {
        synth *s = synth_new(3);
        rpp_analysis *a;
        rpp_report *r;

        synth_session(s, "succeeded", true, NULL, 1, 4000);
        synth_event(s, "cycleStart", 0, 0, true, NULL);
        synth_slice(s, RPP_PHASE_DOWNLOAD, 969, 98496076, 11020, 10431, 5);
        if (!alone)
            synth_slice(s, RPP_PHASE_DOWNLOAD, 2085, 9950, 11310, 10562, 5);
        r = synth_load(s);
        a = analyse(r);
        for (k = 0; k < 2; k++) {
            const rpp_phase_stats *st =
                k == 0 ? &a->phases[RPP_PHASE_DOWNLOAD]
                       : &a->cycles[0].phases[RPP_PHASE_DOWNLOAD];
            assert_true(st->present);
            assert_true(st->min_kbps == want_min[alone]);
            assert_true(st->max_kbps == want_max[alone]);
            assert_true(st->min_kbps <= st->p5_kbps);
            assert_true(st->p5_kbps <= st->median_kbps);
            assert_true(st->median_kbps <= st->p95_kbps);
            assert_true(st->p95_kbps <= st->max_kbps);
        }
        rpp_analysis_free(a);
        rpp_report_free(r);
        synth_free(s);
    }
}

/* A report with these events and nothing else (summary.events empty: the
 * summary of such events could not be written). */
static rpp_report *load_events(const rpp__buf *events)
{
    rpp__buf b = RPP__BUF_INIT;
    rpp_report *r = NULL;

    rpp__buf_printf(&b, "{\"version\": 3, \"exportTime\": \"\", "
                       "\"summary\": {\"imageName\": \"i\", "
                       "\"deviceName\": \"d\", \"imageSize\": 0, "
                       "\"sessionStartTime\": 1, \"sessionEndTime\": 2, "
                       "\"durationMs\": 1, \"success\": true, "
                       "\"events\": {}, \"phases\": {}}, "
                       "\"histograms\": {}, \"events\": [%s]}",
                   events->ptr ? events->ptr : "");
    assert_false(b.oom);
    assert_int_equal(rpp_report_load_buffer(&r, b.ptr, b.len, NULL, NULL),
                     RPP_OK);
    rpp__buf_free(&b);
    return r;
}

static void test_sums__durations_past_2p64_saturate(void **state)
{
    rpp__buf ev = RPP__BUF_INIT;
    rpp_report *r;
    rpp_analysis *a;
    size_t k;

    (void)state;
    rpp__buf_puts(&ev, "{\"type\": \"cycleStart\", \"startMs\": 0, "
                      "\"durationMs\": 0, \"success\": true}");
    for (k = 0; k < 2100; k++)
        rpp__buf_printf(&ev,
                       ", {\"type\": \"finalSync\", \"startMs\": %zu, "
                       "\"durationMs\": %llu, \"success\": true}"
                       ", {\"type\": \"periodicSync\", \"startMs\": %zu, "
                       "\"durationMs\": %llu, \"success\": true}"
                       ", {\"type\": \"ringBufferStarvation\", "
                       "\"startMs\": %zu, \"durationMs\": %llu, "
                       "\"success\": true, \"metadata\": "
                       "\"buffer: input; type: consumer_stall; "
                       "duration_ms: 5\"}",
                       k, (unsigned long long)TOP, k, (unsigned long long)TOP,
                       k, (unsigned long long)TOP);
    r = load_events(&ev);
    rpp__buf_free(&ev);
    a = analyse(r);
    for (k = 0; k < a->n_types; k++)
        if (strcmp(a->types[k].name, "finalSync") == 0)
            assert_true(a->types[k].total_ms == RPP_SAT_MAX);
    assert_true(a->context.sync_total_ms == RPP_SAT_MAX);
    assert_int_equal(count_id(a, "slow-final-sync"), 1);
    assert_int_equal(count_id(a, "consumer-stall"), 1);
    assert_no_negative_evidence(a);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* Figures from metadata: 1e308 would overflow a conversion to an integer,
 * inf and nan are not figures at all, a negative part means nothing. */
static void test_sums__metadata_figures_that_are_not_finite(void **state)
{
    static const char *const metas[] = {
        "syscallMs: inf; preHashWaitMs: 1; postHashWaitMs: 1; syncMs: 1",
        "syscallMs: 1e308; preHashWaitMs: 1e308; syncMs: -5",
        "syscallMs: nan",
    };
    size_t k;

    (void)state;
    for (k = 0; k < 3; k++) {
        synth *s = synth_new(3);
        rpp_report *r;
        rpp_analysis *a;

        synth_event(s, "cycleStart", 0, 0, true, NULL);
        synth_event(s, "writeTimingBreakdown", 10, 1000, true, metas[k]);
        synth_event(s, "writeTimingBreakdown", 20, 1000, true, metas[1]);
        synth_event(s, "writeRingBufferStats", 30, 0, true,
                    "producer_stalls: 1 (inf ms); consumer_stalls: 1 (5 ms)");
        r = synth_load(s);
        a = analyse(r);
        assert_true(a->context.has_write_timing);
        assert_true(isfinite(a->context.write_syscall_share));
        assert_true(a->context.write_syscall_share >= 0 &&
                    a->context.write_syscall_share <= 1);
        assert_true(a->context.write_sync_share >= 0);
        assert_true(a->context.write_timing_total_ms == RPP_SAT_MAX);
        for (size_t i = 0; i < a->bottleneck.n_reasons; i++)
            assert_null(strstr(a->bottleneck.reasons[i], "inf"));
        rpp_analysis_free(a);
        rpp_report_free(r);
        synth_free(s);
    }
}

/* ---- findings stay few ---------------------------------------------------- */

static void test_findings__hash_mismatches_are_summed_up(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    char meta[128];
    size_t k, i;

    (void)state;
    synth_event(s, "cycleStart", 0, 0, true, NULL);
    for (k = 0; k < 500; k++) {
        snprintf(meta, sizeof(meta), "writeHash: %040zx; verifyHash: %040zx",
                 k, k + 1);
        synth_event(s, "hashComputation", k, 1, true, meta);
        snprintf(meta, sizeof(meta), "expectedHash: %zu; computedHash: x", k);
        synth_event(s, "cacheVerification", k, 1, true, meta);
    }
    r = synth_load(s);
    a = analyse(r);
    assert_int_equal(count_id(a, "verify-mismatch"), 11);
    assert_int_equal(count_id(a, "cache-corrupt"), 11);
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        if (strcmp(f->id, "verify-mismatch") == 0 &&
            strstr(f->message, "490 more")) {
            assert_string_equal(f->message,
                                "verification failed: 490 more");
            assert_int_equal(f->n_spans, 200);   /* MAX_SPANS */
        }
    }
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_findings__cancelled_cycles_are_summed_up(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    size_t k;
    bool more = false;

    (void)state;
    for (k = 0; k < 300; k++) {
        synth_event(s, "cycleStart", 0, 0, true, NULL);
        synth_event(s, "cycleEnd", 10, 0, false, "cancelled by user");
    }
    r = synth_load(s);
    a = analyse(r);
    assert_int_equal(a->n_cycles, 300);
    assert_int_equal(count_id(a, "session-cancelled"), 11);
    for (k = 0; k < a->n_findings; k++)
        if (strcmp(a->findings[k].message,
                   "290 more imaging cycles were cancelled") == 0)
            more = true;
    assert_true(more);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* ---- many cycles and types: the same results on the linear paths -------- */

/* Version 2: a cycle starts at the first cacheLookup/driveOpen in file
 * order inside a quiet gap, whatever the order of their times. */
static void test_cycles__gap_starter_is_the_first_in_file_order(void **state)
{
    synth *s = synth_new(2);
    rpp_report *r;
    rpp_analysis *a;
    size_t k;

    (void)state;
    synth_session(s, NULL, true, NULL, 1764579600000ULL, 300000);
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 10, 20000);
    synth_steady(s, RPP_PHASE_WRITE, 100000, 1000, 10, 20000);
    synth_steady(s, RPP_PHASE_WRITE, 200000, 1000, 10, 20000);
    synth_event(s, "cacheLookup", 0, 5, true, NULL);
    /* in the first gap: the later in time comes first in the file */
    synth_event(s, "driveOpen", 95000, 5, true, NULL);
    synth_event(s, "cacheLookup", 90000, 5, true, NULL);
    /* in the second gap, outside it, then inside */
    synth_event(s, "cacheLookup", 5000, 5, true, NULL);
    synth_event(s, "cacheLookup", 150000, 5, true, NULL);
    r = synth_load(s);
    a = analyse(r);
    assert_int_equal(a->n_cycles, 3);
    assert_true(a->cycles[1].offset_ms == 95000);
    assert_true(a->cycles[2].offset_ms == 150000);
    /* each event in the cycle whose range holds its start */
    assert_int_equal(a->event_times[0].cycle, 0);
    assert_int_equal(a->event_times[1].cycle, 1);
    assert_int_equal(a->event_times[2].cycle, 0);
    assert_int_equal(a->event_times[3].cycle, 0);
    assert_int_equal(a->event_times[4].cycle, 2);
    for (k = 0; k < 3; k++)
        assert_int_equal(a->cycles[k].slice_end[RPP_PHASE_WRITE] -
                             a->cycles[k].slice_begin[RPP_PHASE_WRITE],
                         10);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* Version 3: one run of slices without a timer restart, split over cycles
 * of growing length; every cycle gets its own slices. */
static void test_cycles__one_run_split_over_many_cycles(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    size_t k, n = 400;

    (void)state;
    for (k = 0; k < n / 4; k++) {
        synth_event(s, "cycleStart", 0, 0, true, NULL);
        synth_event(s, "cycleEnd", 4000 * k + 3000, 0, true, NULL);
    }
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, n, 20000);
    r = synth_load(s);
    a = analyse(r);
    assert_int_equal(a->n_cycles, n / 4);
    /* the slices are handed out in order, without overlap or loss */
    for (k = 0; k + 1 < a->n_cycles; k++) {
        assert_true(a->cycles[k].slice_end[RPP_PHASE_WRITE] <=
                    a->cycles[k + 1].slice_begin[RPP_PHASE_WRITE]);
        assert_true(a->cycles[k].slice_end[RPP_PHASE_WRITE] >
                    a->cycles[k].slice_begin[RPP_PHASE_WRITE]);
    }
    assert_int_equal(a->cycles[a->n_cycles - 1].slice_end[RPP_PHASE_WRITE],
                     n);
    assert_int_equal(a->cycles[0].slice_begin[RPP_PHASE_WRITE], 0);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

/* The union of event types of two runs, by name, with thousands of them. */
static void test_compare__thousands_of_types(void **state)
{
    synth *x = synth_new(3), *y = synth_new(3);
    rpp_report *rx, *ry;
    const rpp_analysis *runs[2];
    rpp_analysis *ax, *ay;
    rpp_comparison *c = NULL;
    char name[32];
    size_t k, both = 0, only_x = 0, only_y = 0;

    (void)state;
    for (k = 0; k < 3000; k++) {
        snprintf(name, sizeof(name), "vendor%zu", k);
        synth_event(x, name, k, 10, true, NULL);
        snprintf(name, sizeof(name), "vendor%zu", k + 1000);
        synth_event(y, name, k, 20, true, NULL);
        synth_event(y, name, k, 20, true, NULL);
    }
    rx = synth_load(x);
    ry = synth_load(y);
    ax = analyse(rx);
    ay = analyse(ry);
    runs[0] = ax;
    runs[1] = ay;
    assert_int_equal(rpp_compare_run(&c, runs, 2, NULL), RPP_OK);
    assert_int_equal(c->n_types, 4000);
    for (k = 0; k < c->n_types; k++) {
        const rpp_compare_type *t = &c->types[k];
        unsigned long id = strtoul(t->name + 6, NULL, 10);
        if (t->count[0] && t->count[1]) {
            both++;
            assert_true(id >= 1000 && id < 3000);
            assert_true(t->count[0] == 1 && t->count[1] == 2);
            assert_true(t->total_ms[0] == 10 && t->total_ms[1] == 40);
        } else if (t->count[0]) {
            only_x++;
            assert_true(id < 1000);
        } else {
            only_y++;
            assert_true(id >= 3000 && t->count[1] == 2);
        }
    }
    assert_int_equal(both, 2000);
    assert_int_equal(only_x, 1000);
    assert_int_equal(only_y, 1000);
    /* the first run's order first, then the second's new ones in theirs */
    assert_string_equal(c->types[0].name, "vendor0");
    assert_string_equal(c->types[3000].name, "vendor3000");
    rpp_compare_free(c);
    rpp_analysis_free(ax);
    rpp_analysis_free(ay);
    rpp_report_free(rx);
    rpp_report_free(ry);
    synth_free(x);
    synth_free(y);
}

/* ---- the median, whatever the order -------------------------------------- */

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return a < b ? -1 : (a > b);
}

static void test_stats__median_of_awkward_orders(void **state)
{
    size_t n = 20001, i, shape;
    double *v = malloc(n * sizeof(*v)), *sorted = malloc(n * sizeof(*v));

    (void)state;
    assert_non_null(v);
    assert_non_null(sorted);
    for (shape = 0; shape < 6; shape++) {
        size_t m = n - (shape % 2);   /* odd and even counts */
        double want;
        for (i = 0; i < m; i++) {
            switch (shape) {
            case 0: v[i] = (double)i; break;                    /* sorted */
            case 1: v[i] = (double)(m - i); break;              /* reverse */
            case 2: v[i] = 7; break;                            /* equal */
            case 3: v[i] = (double)(i < m / 2 ? i : m - i); break; /* pipe */
            case 4: v[i] = (double)(i % 17); break;             /* saw */
            default: v[i] = (double)((i * 7919) % m); break;    /* spread */
            }
        }
        memcpy(sorted, v, m * sizeof(*v));
        qsort(sorted, m, sizeof(*v), cmp_d);
        want = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        assert_true(rpp__median(v, m) == want);
    }
    free(v);
    free(sorted);
}

/* ---- escaping ------------------------------------------------------------ */

/* What rpp__text_safe makes visible, JSON escapes: marks and overrides that
 * reorder text, the line separators, the byte order mark, C1 controls. */
static void test_escape__json_escapes_what_text_makes_visible(void **state)
{
    static const struct {
        const char *in, *json;
    } cases[] = {
        { "a\xe2\x80\x8f" "b", "\"a\\u200fb\"" },         /* RLM */
        { "a\xe2\x80\x8e" "b", "\"a\\u200eb\"" },         /* LRM */
        { "a\xd8\x9c" "b", "\"a\\u061cb\"" },             /* ALM */
        { "\xef\xbb\xbf" "x", "\"\\ufeffx\"" },           /* BOM */
        { "\xe2\x80\xae" "x", "\"\\u202ex\"" },           /* RLO */
        { "\xe2\x81\xa6" "x", "\"\\u2066x\"" },           /* LRI */
        { "\xc2\x9b" "6n", "\"\\u009b6n\"" },             /* C1 CSI */
        { "\x1b[2J\x7f", "\"\\u001b[2J\\u007f\"" },
        { "caf\xc3\xa9 \xe2\x80\x94 ok", "\"caf\xc3\xa9 \xe2\x80\x94 ok\"" },
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        rpp__buf b = RPP__BUF_INIT, t = RPP__BUF_INIT;
        rpp__json_str(&b, cases[k].in, false);
        assert_string_equal(b.ptr, cases[k].json);
        /* and the text form shows the same characters escaped */
        rpp__text_safe(&t, cases[k].in, 0);
        if (k < 8)
            assert_non_null(strchr(t.ptr, '\\'));
        rpp__buf_free(&b);
        rpp__buf_free(&t);
    }
}

/* Chart text: every string from a report reaches cairo through
 * rpp__plot_fit, which shows the same characters as escapes. */
static void test_escape__chart_text_shows_them_too(void **state)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10,
                                                     10);
    cairo_t *cr = cairo_create(sf);
    rpp__buf b = RPP__BUF_INIT;

    (void)state;
    rpp__plot_font(cr, 12.0, false);
    rpp__plot_fit(cr, "img \xe2\x80\xae" "exe.jpg \xe2\x81\xa6" "x\xe2\x81\xa9 "
                 "\xc2\x9b" "6n \xe2\x80\x8f\xef\xbb\xbf\x07\r\x1b]0;t", 0, &b);
    assert_string_equal(b.ptr, "img \\u202eexe.jpg \\u2066x\\u2069 \\u009b6n "
                               "\\u200f\\ufeff\\x07\\x0d\\x1b]0;t");
    rpp__buf_free(&b);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sums__a_timeline_past_2p64_saturates),
        cmocka_unit_test(
            test_stats__slice_min_above_max_keeps_percentiles_in_range),
        cmocka_unit_test(test_sums__durations_past_2p64_saturate),
        cmocka_unit_test(test_sums__metadata_figures_that_are_not_finite),
        cmocka_unit_test(test_findings__hash_mismatches_are_summed_up),
        cmocka_unit_test(test_findings__cancelled_cycles_are_summed_up),
        cmocka_unit_test(test_cycles__gap_starter_is_the_first_in_file_order),
        cmocka_unit_test(test_cycles__one_run_split_over_many_cycles),
        cmocka_unit_test(test_compare__thousands_of_types),
        cmocka_unit_test(test_stats__median_of_awkward_orders),
        cmocka_unit_test(test_escape__json_escapes_what_text_makes_visible),
        cmocka_unit_test(test_escape__chart_text_shows_them_too),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);

    rpp_render_cleanup();
    return failed;
}
