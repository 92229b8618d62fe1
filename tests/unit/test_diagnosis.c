/*
 * test_diagnosis.c - the diagnosis on the reports users actually attach:
 * properties that hold on every reference report, every export of
 * tests/data/exports and every sample (percentiles ordered and within the
 * phase's range, no two findings that contradict the verdict or each
 * other, each stall and each stop of the device reported once, failed and
 * cancelled runs saying how far they got), and what the verdict says of
 * the hung writes, the failed and cancelled runs and the stalls.
 */
#include <glob.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rpiperf/analyse.h>
#include "support_synth.h"

#define UW "tests/data/reference/upstream-writer/"
#define EX "tests/data/exports/"
#define MB 1024.0

static rpp_analysis *load(const char *path, rpp_report **r)
{
    rpp_analysis *a = NULL;

    *r = NULL;
    if (rpp_report_load_file(r, path, NULL, NULL) != RPP_OK)
        fail_msg("%s does not load", path);
    if (rpp_analysis_run(&a, *r, NULL) != RPP_OK)
        fail_msg("%s: analysis failed", path);
    return a;
}

static size_t count_id(const rpp_analysis *a, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < a->n_findings; i++)
        n += strcmp(a->findings[i].id, id) == 0;
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

static const rpp_value *evidence(const rpp_finding *f, const char *key)
{
    size_t i;

    for (i = 0; f && i < f->n_evidence; i++)
        if (strcmp(f->evidence[i].key, key) == 0)
            return &f->evidence[i];
    return NULL;
}

static double num(const rpp_finding *f, const char *key)
{
    const rpp_value *v = evidence(f, key);

    if (!v)
        fail_msg("%s has no evidence %s", f ? f->id : "(none)", key);
    return v->kind == RPP_VALUE_NUM ? v->d : (double)v->i;
}

/* ---- properties on every report ----------------------------------------- */

static void phase_in_range(const char *file, const char *what,
                           const rpp_phase_stats *s)
{
    if (!s->present)
        return;
    if (!(s->min_kbps <= s->p5_kbps && s->p5_kbps <= s->median_kbps &&
          s->median_kbps <= s->p95_kbps && s->p95_kbps <= s->max_kbps))
        fail_msg("%s: %s: min %.1f p5 %.1f median %.1f p95 %.1f max %.1f",
                 file, what, s->min_kbps, s->p5_kbps, s->median_kbps,
                 s->p95_kbps, s->max_kbps);
}

/* The rules that speak about the bottleneck, and the verdict each needs. */
static const struct {
    const char *id;
    rpp_bottleneck_kind kind;
} families[] = {
    { "slow-decompress", RPP_BOTTLENECK_CPU },
    { "cpu-bound", RPP_BOTTLENECK_CPU },
    { "io-bound", RPP_BOTTLENECK_DISK },
    { "slow-card-write", RPP_BOTTLENECK_DISK },
    { "network-bound", RPP_BOTTLENECK_NETWORK },
};

static void check_properties(const char *file)
{
    rpp_report *r;
    rpp_analysis *a = load(file, &r);
    size_t i, k, n_gap_findings = 0, n_plain_stalls = 0, n_stop_findings;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        phase_in_range(file, rpp_phase_name((rpp_phase)p), &a->phases[p]);
        for (k = 0; k < a->n_cycles; k++)
            phase_in_range(file, "a cycle", &a->cycles[k].phases[p]);
    }
    /* every finding about the bottleneck agrees with the verdict, so none
     * contradicts another */
    for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        if (count_id(a, families[i].id) &&
            a->bottleneck.kind != families[i].kind)
            fail_msg("%s: %s with the verdict %s", file, families[i].id,
                     rpp_bottleneck_name(a->bottleneck.kind));
    /* a verdict that is not one says why */
    if (a->phases[RPP_PHASE_WRITE].present && a->bottleneck.n_reasons == 0)
        fail_msg("%s: a verdict without reasons", file);
    /* each stall once: one finding for each stall no event of the
     * watchdog or the periodic syncs explains */
    for (i = 0; i < a->n_stalls; i++) {
        const rpp_stall *s = &a->stalls[i];
        bool special = false;
        if (s->cause_event != SIZE_MAX) {
            rpp_event_type t = r->events[s->cause_event].type;
            special = t == RPP_EV_PERIODIC_SYNC ||
                      t == RPP_EV_PAGE_CACHE_FLUSH ||
                      rpp_event_type_category(t) == RPP_CAT_RECOVERY;
        }
        n_plain_stalls += !special;
    }
    for (i = 0; i < a->n_findings; i++)
        if (strcmp(a->findings[i].id, "throughput-gap") == 0 &&
            !evidence(&a->findings[i], "stalls"))
            n_gap_findings++;
    if (n_plain_stalls <= 10 && n_gap_findings != n_plain_stalls)
        fail_msg("%s: %zu stalls, %zu throughput-gap findings", file,
                 n_plain_stalls, n_gap_findings);
    /* each stop of the device once, and never as failed events */
    n_stop_findings = count_id(a, "device-stopped") +
                      count_id(a, "write-recovery");
    if (a->n_device_stops <= 10 && n_stop_findings < a->n_device_stops)
        fail_msg("%s: %zu device stops, %zu findings", file,
                 a->n_device_stops, n_stop_findings);
    for (i = 0; i < a->n_findings; i++) {
        const rpp_value *v = evidence(&a->findings[i], "event");
        if (strcmp(a->findings[i].id, "failed-event") == 0 && v &&
            (strcmp(v->s, "progressStall") == 0 ||
             strcmp(v->s, "watchdogRecovery") == 0))
            fail_msg("%s: a watchdog event as a failed event", file);
    }
    /* failed and cancelled runs say how far they got */
    if (a->session.state == RPP_STATE_FAILED ||
        a->session.state == RPP_STATE_CANCELLED) {
        const rpp_finding *f =
            find_id(a, a->session.state == RPP_STATE_FAILED
                           ? "session-failed"
                           : "session-cancelled");
        if (a->n_cycles <= 1 && (!f || !evidence(f, "written_bytes")))
            fail_msg("%s: the session's finding does not say how far it "
                     "got",
                     file);
    }
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void every_file(const char *pattern, size_t at_least)
{
    glob_t g;
    size_t i;

    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= at_least);
    for (i = 0; i < g.gl_pathc; i++)
        check_properties(g.gl_pathv[i]);
    globfree(&g);
}

static void test_properties__reference_reports(void **state)
{
    (void)state;
    every_file(UW "*.json", 24);
    every_file("tests/data/reference/examples/*.json", 2);
}

static void test_properties__exports(void **state)
{
    (void)state;
    every_file(EX "*.json", 50);
}

static void test_properties__samples(void **state)
{
    (void)state;
    every_file("samples/*.json", 20);
}

/* ---- cuts agree with the finished run ----------------------------------- */

/* Every export of a run that wrote to the end (cut at 15, 50 and 85 % of
 * its write, during its verify, without its summaries) reaches the
 * finished run's verdict, or says it cannot tell yet and why; never the
 * verdict of another stage. */
static void test_cuts__agree_with_the_finished_run(void **state)
{
    static const char *const runs[] = {
        "healthy", "io-bound", "cpu-bound", "network-starved", "stalls",
        "cap", "long-customisation", "windows-slow-prepare", "multi-cycle",
    };
    size_t i, k, cuts = 0;
    (void)state;

    for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        char path[256];
        rpp_report *r;
        rpp_analysis *a;
        rpp_bottleneck_kind finished;
        glob_t g;

        snprintf(path, sizeof(path), UW "v3-%s.json", runs[i]);
        a = load(path, &r);
        finished = a->bottleneck.kind;
        assert_int_not_equal(finished, RPP_BOTTLENECK_UNKNOWN);
        rpp_analysis_free(a);
        rpp_report_free(r);
        snprintf(path, sizeof(path), EX "v3-%s-*.json", runs[i]);
        assert_int_equal(glob(path, 0, NULL, &g), 0);
        assert_true(g.gl_pathc >= 5);
        for (k = 0; k < g.gl_pathc; k++) {
            a = load(g.gl_pathv[k], &r);
            if (a->bottleneck.kind != finished &&
                !(a->bottleneck.kind == RPP_BOTTLENECK_UNKNOWN &&
                  a->bottleneck.n_reasons > 0))
                fail_msg("%s: %s, the finished run %s", g.gl_pathv[k],
                         rpp_bottleneck_name(a->bottleneck.kind),
                         rpp_bottleneck_name(finished));
            cuts++;
            rpp_analysis_free(a);
            rpp_report_free(r);
        }
        globfree(&g);
    }
    assert_true(cuts >= 49);
}

/* ---- the device stopped ------------------------------------------------- */

static void test_hang__hard_timeout_is_one_stop(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load(EX "v3-hang-hard-timeout.json", &r);
    const rpp_finding *f = find_id(a, "device-stopped"), *s;
    const rpp_value *v;
    (void)state;

    /* 91 progressStall events and the watchdog's actions: one finding */
    assert_int_equal(a->n_device_stops, 1);
    assert_int_equal(count_id(a, "device-stopped"), 1);
    assert_int_equal(count_id(a, "failed-event"), 0);
    assert_int_equal(count_id(a, "write-recovery"), 0);
    assert_int_equal((int)num(f, "progress_stalls"), 91);
    assert_true(fabs(num(f, "duration_ms") - 180000) < 100);
    /* 40 % of the write, as the card stopped */
    assert_true(fabs(num(f, "written_share") - 0.40) < 0.02);
    v = evidence(f, "outcome");
    assert_non_null(v);
    assert_string_equal(v->s, "gave up");
    assert_int_equal(a->device_stops[0].outcome, RPP_STOP_GAVE_UP);
    /* since when: where the progressStall series starts */
    {
        size_t i;
        for (i = 0; i < r->n_events; i++)
            if (r->events[i].type == RPP_EV_PROGRESS_STALL)
                break;
        assert_true(i < r->n_events);
        assert_int_equal(a->device_stops[0].start_ms,
                         a->event_times[i].start_ms);
    }
    /* not a slow card, not a slow CPU */
    assert_int_equal(count_id(a, "io-bound") + count_id(a, "slow-card-write") +
                         count_id(a, "cpu-bound") +
                         count_id(a, "slow-decompress"),
                     0);
    assert_true(a->bottleneck.device_stopped);
    /* the failed session says why, from the events */
    s = find_id(a, "session-failed");
    assert_non_null(s);
    assert_non_null(strstr(s->cause, "stopped taking writes"));
    assert_non_null(strstr(s->cause, "watchdog gave up"));
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void test_hang__restart_and_hot_swap(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load(EX "v3-hang-restart.json", &r);
    (void)state;

    assert_int_equal(a->n_device_stops, 1);
    assert_int_equal(a->device_stops[0].outcome, RPP_STOP_RESTARTED);
    assert_int_equal(a->device_stops[0].n_progress_stalls, 30);
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* the drain worked at 60 s and the write went on: a recovery, one
     * warning, and the write still finished */
    a = load(EX "v3-hang-hotswap.json", &r);
    assert_int_equal(a->n_device_stops, 1);
    assert_int_equal(a->device_stops[0].outcome, RPP_STOP_RECOVERED);
    assert_int_equal(count_id(a, "write-recovery"), 1);
    assert_int_equal(count_id(a, "device-stopped"), 0);
    assert_int_equal(a->session.state, RPP_STATE_SUCCEEDED);
    assert_true(fabs(num(find_id(a, "write-recovery"), "duration_ms") -
                     62400) < 1000);
    /* the drain that switched and the watchdog's hotSwap that reports it
     * are one step */
    {
        const char *m = find_id(a, "write-recovery")->message,
                   *sw = strstr(m, "switched to synchronous writes");
        assert_non_null(sw);
        assert_null(strstr(sw + 1, "switched to synchronous writes"));
        assert_null(strstr(m, "went on in synchronous mode"));
    }
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* The watchdog warns once more after the session ended (the restart ends
 * it): that warning has startMs 0, no time of its own, and belongs to the
 * stop that was going on, not to a second one at the end. */
static void test_hang__warning_after_the_session_is_the_same_stop(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load("samples/v3-hang-mid-write.json", &r);
    const rpp_finding *s;
    (void)state;

    assert_int_equal(r->events[r->n_events - 1].type,
                     RPP_EV_PROGRESS_STALL);
    assert_true(r->events[r->n_events - 1].start_ms == 0);
    assert_int_equal(a->n_device_stops, 1);
    assert_int_equal(count_id(a, "device-stopped"), 1);
    assert_int_equal(a->device_stops[0].outcome, RPP_STOP_RESTARTED);
    assert_int_equal(a->device_stops[0].n_progress_stalls, 31);
    assert_true(a->device_stops[0].duration_ms == 120000);
    s = find_id(a, "session-failed");
    assert_non_null(s);
    assert_non_null(strstr(s->cause, "watchdog restarted the write"));
    assert_null(strstr(s->cause, "gave up"));
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* Whether any reason of the bottleneck contains text. */
static bool has_reason(const rpp_analysis *a, const char *text)
{
    size_t i;

    for (i = 0; i < a->bottleneck.n_reasons; i++)
        if (strstr(a->bottleneck.reasons[i], text))
            return true;
    return false;
}

/* "Too little data" is said of an export taken while the write ran and
 * holding nothing that tells, never of one whose write had ended or
 * whose stall events say why they cannot tell. */
static void test_unknown__too_little_data_only_while_the_write_runs(
    void **state)
{
    static const struct {
        const char *path;
        bool too_little;
    } cases[] = {
        { "samples/v3-cpu-bound-mid-write.json", true },
        { EX "v3-cpu-bound-write85.json", false },
        { EX "v3-cpu-bound-verify.json", false },
        { "samples/v3-io-bound-mid-write.json", false },
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rpp_report *r;
        rpp_analysis *a = load(cases[i].path, &r);

        print_message("# %s\n", cases[i].path);
        assert_int_equal(a->session.state, RPP_STATE_IN_PROGRESS);
        assert_int_equal(a->bottleneck.kind, RPP_BOTTLENECK_UNKNOWN);
        assert_int_equal(has_reason(a, "too little data"),
                         cases[i].too_little);
        assert_true(a->bottleneck.n_reasons >= 1);
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
}

/* Decompression waits for the card (or the download) unless the CPU is
 * the limit: its dips are not the device's or the link's, and no export
 * of any cut blames them on USB. */
static void test_findings__decompress_dips_only_when_it_is_the_limit(
    void **state)
{
    static const char *const ids[] = { "periodic-drops",
                                       "low-throughput-samples",
                                       "high-variance" };
    glob_t g;
    size_t i, j, k, seen = 0;
    (void)state;

    assert_int_equal(glob(EX "*.json", 0, NULL, &g), 0);
    for (i = 0; i < g.gl_pathc; i++) {
        rpp_report *r;
        rpp_analysis *a = load(g.gl_pathv[i], &r);
        bool cpu = a->bottleneck.kind == RPP_BOTTLENECK_CPU &&
                   a->bottleneck.confidence >= RPP_CONFIDENCE_MEDIUM;

        for (j = 0; j < a->n_findings; j++)
            for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
                if (strcmp(a->findings[j].id, ids[k]) == 0 &&
                    a->findings[j].phase == RPP_PHASE_DECOMPRESS) {
                    print_message("# %s: %s on decompress\n", g.gl_pathv[i],
                                  ids[k]);
                    assert_true(cpu);
                }
        seen += strstr(g.gl_pathv[i], "v3-stalls-write") != NULL;
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
    globfree(&g);
    assert_true(seen >= 3);
}

/* A verdict from the pipeline's totals does not come with stall events
 * that "cannot tell", and an idle decompressor with a download that kept
 * up rules out both. */
static void test_reasons__a_confident_verdict_says_nothing_unsure(
    void **state)
{
    static const char *const paths[] = {
        "samples/v3-periodic-sync.json", "samples/v3-hot-swap.json",
        "samples/v3-stall-gap.json", "samples/v3-healthy.json"
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        rpp_report *r;
        rpp_analysis *a = load(paths[i], &r);

        print_message("# %s\n", paths[i]);
        assert_int_equal(a->bottleneck.confidence, RPP_CONFIDENCE_HIGH);
        assert_false(has_reason(a, "too few to tell"));
        assert_false(has_reason(a, "not the network"));
        if (a->bottleneck.kind == RPP_BOTTLENECK_DISK)
            assert_true(has_reason(a, "neither it nor the download held "
                                      "the write back"));
        else
            assert_int_equal(a->bottleneck.kind, RPP_BOTTLENECK_NETWORK);
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
}

/* A share of the write is never above 100 %: the Imager's wait totals can
 * run longer than the write's samples (v3-cap's stop at their limit). */
static void test_reasons__no_share_of_the_write_above_all_of_it(void **state)
{
    static const char *const names[] = {
        "v3-cap", "v3-io-bound", "v3-cpu-bound", "v3-healthy",
        "v3-network-starved", "v3-stalls"
    };
    size_t i, j;
    bool longer = false;
    (void)state;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[256];
        rpp_report *r;
        rpp_analysis *a;

        snprintf(path, sizeof(path), UW "%s.json", names[i]);
        a = load(path, &r);
        for (j = 0; j < a->bottleneck.n_reasons; j++) {
            const char *t = a->bottleneck.reasons[j], *p;

            for (p = strstr(t, " % of the"); p;
                 p = strstr(p + 1, " % of the")) {
                const char *d = p;
                while (d > t && d[-1] >= '0' && d[-1] <= '9')
                    d--;
                print_message("# %s: %s\n", names[i], t);
                assert_true(d < p && atoi(d) <= 100);
            }
            if (i == 0 && strstr(t, "752 s for the card") &&
                strstr(t, "longer than the 691 s of write data"))
                longer = true;
        }
        rpp_analysis_free(a);
        rpp_report_free(r);
    }
    assert_true(longer);
}

/* A rate a finding states reads as its evidence shows it. */
static void test_findings__a_rate_reads_as_its_evidence(void **state)
{
    static const struct {
        const char *id, *keys[2];
    } rates[] = {
        { "slow-decompress", { "decompress_avg_mbps", NULL } },
        { "cpu-bound", { "write_avg_mbps", NULL } },
        { "io-bound", { "write_avg_mbps", NULL } },
        { "network-bound", { "write_avg_mbps", NULL } },
        { "slow-card-write", { "write_avg_mbps", "verify_avg_mbps" } },
    };
    static const char *const dirs[] = { "samples", UW };
    size_t d, checked = 0;
    (void)state;

    for (d = 0; d < 2; d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *de;

        assert_non_null(dir);
        while ((de = readdir(dir)) != NULL) {
            char path[512];
            rpp_report *r;
            rpp_analysis *a;
            size_t i, j, k, n = strlen(de->d_name);

            if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", dirs[d], de->d_name);
            a = load(path, &r);
            for (i = 0; i < a->n_findings; i++) {
                const rpp_finding *f = &a->findings[i];

                for (j = 0; j < sizeof(rates) / sizeof(rates[0]); j++) {
                    if (strcmp(f->id, rates[j].id) != 0)
                        continue;
                    for (k = 0; k < 2 && rates[j].keys[k]; k++) {
                        char want[48];

                        rpp_human_value(want, sizeof(want),
                                        evidence(f, rates[j].keys[k]));
                        print_message("# %s %s: %s / %s\n", path, f->id,
                                      f->message, want);
                        assert_non_null(strstr(f->message, want));
                        checked++;
                    }
                }
            }
            rpp_analysis_free(a);
            rpp_report_free(r);
        }
        closedir(dir);
    }
    assert_true(checked >= 10);
}

/* ---- how far it got ------------------------------------------------------- */

static void test_progress__failed_and_cancelled(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load(UW "v3-failed.json", &r);
    const rpp_finding *f = find_id(a, "session-failed");
    (void)state;

    /* the card stopped at about 2.09 GiB of 5.9 GB: 38 % */
    assert_true(fabs(num(f, "written_share") - 0.38) < 0.02);
    assert_true(a->session.progress.written_estimated);
    assert_false(a->session.progress.write_complete);
    assert_int_equal(a->session.progress.verified_bytes, 0);
    /* the cause is reasoned, not the message again */
    assert_null(strstr(f->cause, "Error writing"));
    assert_non_null(strstr(f->cause, "38 %"));
    rpp_analysis_free(a);
    rpp_report_free(r);

    a = load(UW "v3-cancelled.json", &r);
    f = find_id(a, "session-cancelled");
    assert_true(fabs(num(f, "written_share") - 0.30) < 0.02);
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* a finished write is the whole image, not an estimate */
    a = load(UW "v3-healthy.json", &r);
    assert_true(a->session.progress.write_complete);
    assert_false(a->session.progress.written_estimated);
    assert_int_equal(a->session.progress.written_bytes, 5905580032ULL);
    assert_true(a->session.progress.written_share == 1.0);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void test_progress__exported_mid_write(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load(EX "v3-io-bound-write50.json", &r);
    const rpp_finding *f = find_id(a, "session-in-progress");
    (void)state;

    /* half of the write's time; the card wrote 1.449 GB by then (the
     * trace's last progress call): within a few per cent */
    assert_non_null(f);
    assert_true(fabs((double)a->session.progress.written_bytes - 1.449e9) <
                0.05 * 1.449e9);
    assert_false(a->session.progress.write_complete);
    rpp_analysis_free(a);
    rpp_report_free(r);
    /* exported during the verify: the write is whole */
    a = load(EX "v3-io-bound-verify.json", &r);
    assert_true(a->session.progress.write_complete);
    assert_true(a->session.progress.verified_bytes > 0);
    assert_true(a->session.progress.verified_share < 1.0);
    rpp_analysis_free(a);
    rpp_report_free(r);
}

/* ---- stalls and their causes ---------------------------------------------- */

static void test_stalls__one_per_hole_with_its_cause(void **state)
{
    rpp_report *r;
    rpp_analysis *a = load(UW "v3-stalls.json", &r);
    const rpp_finding *f;
    const rpp_value *v;
    (void)state;

    /* the 6 s freeze leaves a hole in three phases: one stall */
    assert_int_equal(count_id(a, "throughput-gap"), 1);
    f = find_id(a, "throughput-gap");
    v = evidence(f, "phases");
    assert_string_equal(v->s, "download, decompress and write");
    assert_string_equal(f->cause, "a stall: no progress was recorded");
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* the network retry's back-off explains its hole */
    a = load(UW "v3-network-starved.json", &r);
    f = find_id(a, "throughput-gap");
    assert_int_equal(count_id(a, "throughput-gap"), 1);
    assert_non_null(strstr(f->cause, "network retry with 5.0 s of back-off"));
    v = evidence(f, "cause_event");
    assert_string_equal(v->s, "networkRetry");
    rpp_analysis_free(a);
    rpp_report_free(r);

    /* the ten page-cache flushes of a write through the page cache: one
     * finding for the ten holes they leave, each during a flush */
    a = load(UW "v3-io-bound.json", &r);
    assert_int_equal(count_id(a, "throughput-gap"), 1);
    f = find_id(a, "throughput-gap");
    assert_int_equal((int)num(f, "stalls"), 10);
    assert_int_equal(f->n_spans, 10);
    assert_non_null(strstr(f->cause, "periodicSync"));
    rpp_analysis_free(a);
    rpp_report_free(r);
}

static void test_stalls__drops_at_the_syncs(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    const rpp_finding *f;
    uint64_t t;
    (void)state;

    /* a write at 30 MB/s that falls to 5 MB/s for two windows every 10 s,
     * each time during a periodic sync */
    for (t = 0; t < 100000; t += 1000) {
        bool drop = t % 10000 == 5000 || t % 10000 == 6000;
        uint64_t kbps = (uint64_t)((drop ? 5 : 30) * MB);
        synth_slice(s, RPP_PHASE_WRITE, t, kbps - 100, kbps + 100, kbps, 6);
        if (t % 10000 == 5000) {
            char meta[32];
            snprintf(meta, sizeof(meta), "at %llu MB",
                     (unsigned long long)(t / 1000 * 30));
            synth_event(s, "periodicSync", t + 200, 1500, true, meta);
        }
    }
    r = synth_load(s);
    assert_int_equal(rpp_analysis_run(&a, r, NULL), RPP_OK);
    f = find_id(a, "periodic-drops");
    assert_non_null(f);
    assert_non_null(strstr(f->cause, "periodic syncs"));
    assert_int_equal((int)num(f, "drops_at_syncs"), 10);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_properties__reference_reports),
        cmocka_unit_test(test_properties__exports),
        cmocka_unit_test(test_properties__samples),
        cmocka_unit_test(test_cuts__agree_with_the_finished_run),
        cmocka_unit_test(test_hang__hard_timeout_is_one_stop),
        cmocka_unit_test(test_hang__restart_and_hot_swap),
        cmocka_unit_test(test_hang__warning_after_the_session_is_the_same_stop),
        cmocka_unit_test(test_unknown__too_little_data_only_while_the_write_runs),
        cmocka_unit_test(test_reasons__no_share_of_the_write_above_all_of_it),
        cmocka_unit_test(test_reasons__a_confident_verdict_says_nothing_unsure),
        cmocka_unit_test(test_findings__decompress_dips_only_when_it_is_the_limit),
        cmocka_unit_test(test_findings__a_rate_reads_as_its_evidence),
        cmocka_unit_test(test_progress__failed_and_cancelled),
        cmocka_unit_test(test_progress__exported_mid_write),
        cmocka_unit_test(test_stalls__one_per_hole_with_its_cause),
        cmocka_unit_test(test_stalls__drops_at_the_syncs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
