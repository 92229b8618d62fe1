/*
 * test_compare.c - comparisons of two to a dozen (and a few hundred) runs:
 * the arguments, the order (Imager versions as numbers), the short names,
 * runs that did not finish, findings a format version cannot express, the
 * --fail-slower check, text within its width, markdown within a comment,
 * and the overlay chart and page drawn for up to twelve runs.
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
#include <rpiperf/render.h>
#include "compare.h"
#include "plot.h"

#define UW "tests/data/reference/upstream-writer/"

/* The Imager's own reports, in the order of `ls`. */
static const char *const v3_names[] = {
    "v3-cancelled", "v3-cap", "v3-cpu-bound", "v3-failed", "v3-healthy",
    "v3-io-bound", "v3-long-customisation", "v3-multi-cycle",
    "v3-network-starved", "v3-never-started", "v3-stalls",
    "v3-windows-slow-prepare"
};
#define N_V3 (sizeof(v3_names) / sizeof(v3_names[0]))

typedef struct run {
    rpp_report *r;
    rpp_analysis *a;
} run;

static run load(const char *name)
{
    char path[256];
    run x = { NULL, NULL };

    snprintf(path, sizeof(path), UW "%s.json", name);
    if (rpp_report_load_file(&x.r, path, NULL, NULL) != RPP_OK)
        fail_msg("%s does not load", path);
    assert_int_equal(rpp_analysis_run(&x.a, x.r, NULL), RPP_OK);
    return x;
}

static void unload(run *x)
{
    rpp_analysis_free(x->a);
    rpp_report_free(x->r);
}

/* Compares the named reports (names double as the runs' names). */
static rpp_comparison *compare(run *x, const char *const *names, size_t n,
                               size_t baseline, rpp_compare_sort sort)
{
    const rpp_analysis *as[N_V3 + 4];
    rpp_compare_opts o = RPP_COMPARE_OPTS_INIT;
    rpp_comparison *c = NULL;
    size_t i;

    for (i = 0; i < n; i++)
        as[i] = x[i].a;
    o.names = names;
    o.baseline = baseline;
    o.sort = sort;
    assert_int_equal(rpp_compare_run(&c, as, n, &o), RPP_OK);
    assert_non_null(c);
    return c;
}

/* ---- arguments, order, names ------------------------------------------------- */

static void test_compare__rejects_bad_arguments(void **state)
{
    run h = load("v3-healthy");
    const rpp_analysis *as[3] = { h.a, h.a, NULL };
    rpp_compare_opts o = RPP_COMPARE_OPTS_INIT;
    rpp_comparison *c = (rpp_comparison *)1;

    (void)state;
    assert_int_equal(rpp_compare_run(NULL, as, 2, NULL), RPP_ERR_ARG);
    assert_int_equal(rpp_compare_run(&c, as, 1, NULL), RPP_ERR_ARG);
    assert_null(c);
    assert_int_equal(rpp_compare_run(&c, as, 3, NULL), RPP_ERR_ARG);
    assert_int_equal(rpp_compare_run(&c, NULL, 2, NULL), RPP_ERR_ARG);
    o.baseline = 3;
    assert_int_equal(rpp_compare_run(&c, as, 2, &o), RPP_ERR_ARG);
    o.baseline = 0;
    o.sort = (rpp_compare_sort)7;
    assert_int_equal(rpp_compare_run(&c, as, 2, &o), RPP_ERR_ARG);
    o.sort = RPP_COMPARE_SORT_GIVEN;
    o.version = RPP_COMPARE_OPTS_VERSION + 1;
    assert_int_equal(rpp_compare_run(&c, as, 2, &o), RPP_ERR_ARG);
    assert_null(c);
    /* a zeroed options struct is version 1: the defaults */
    memset(&o, 0, sizeof(o));
    assert_int_equal(rpp_compare_run(&c, as, 2, &o), RPP_OK);
    assert_int_equal(c->baseline, 0);
    assert_string_equal(c->runs[1].name, "run 2");
    rpp_compare_free(c);
    rpp_compare_free(NULL);
    unload(&h);
}

static void test_compare__versions_sort_as_numbers(void **state)
{
    static const char *const names[] = { "a.json", "b.json", "c.json",
                                         "d.json", "e.json" };
    static const char *const versions[] = { "2.0.10", "2.0.9", NULL,
                                            "2.0.9", "2.0.10-1" };
    static const char *const order[] = { "c", "b", "d", "a", "e" };
    run x[5];
    rpp_comparison *c;
    size_t i;

    (void)state;
    x[0] = load("v3-healthy");
    x[1] = load("v3-io-bound");
    x[2] = load("v2-healthy");      /* no system block: no version */
    x[3] = load("v3-stalls");
    x[4] = load("v3-cpu-bound");
    for (i = 0; i < 5; i++)
        if (versions[i])
            x[i].r->system.imager.version = versions[i];
    c = compare(x, names, 5, 0, RPP_COMPARE_SORT_VERSION);
    /* no version first; 2.0.9 before 2.0.10; equal versions keep the
     * order given; the default baseline is the first in that order */
    for (i = 0; i < 5; i++)
        assert_string_equal(c->runs[i].tag, order[i]);
    assert_int_equal(c->baseline, 0);
    assert_true(c->runs[0].baseline);
    assert_int_equal(c->runs[3].given, 0);
    /* versions are not all different: runs are named by their tags */
    assert_string_equal(c->runs[1].label, "b");
    rpp_compare_free(c);
    /* --baseline counts as given, whatever the order */
    c = compare(x, names, 5, 1, RPP_COMPARE_SORT_VERSION);
    assert_string_equal(c->runs[c->baseline].tag, "a");
    assert_int_equal(c->baseline, 3);
    rpp_compare_free(c);
    for (i = 0; i < 5; i++)
        unload(&x[i]);
}

static void test_compare__short_names(void **state)
{
    static const char *const long_names[] = {
        "reports/imager-2.0.2-sandisk-ultra.json",
        "reports/imager-2.0.3-sandisk-ultra.json",
        "other/imager-2.0.10-sandisk-ultra.json"
    };
    static const char *const same[] = { "a/run.json", "b/run.json",
                                        "c/run.json" };
    static const char *const evil[] = { "x/\x1b[2Jclear.json", "ok.json",
                                        "x/a-very-long-name-indeed-of-a-report"
                                        "-written-by-a-machine.json" };
    run x[3];
    rpp_comparison *c;
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++)
        x[i] = load(i == 1 ? "v3-io-bound" : "v3-healthy");
    /* what all share goes, at a '-': the versions stay */
    c = compare(x, long_names, 3, 0, RPP_COMPARE_SORT_GIVEN);
    assert_string_equal(c->runs[0].tag, "2.0.2");
    assert_string_equal(c->runs[2].tag, "2.0.10");
    assert_string_equal(c->runs[0].name, long_names[0]);
    rpp_compare_free(c);
    /* names that are not unique: numbers as given */
    c = compare(x, same, 3, 0, RPP_COMPARE_SORT_GIVEN);
    assert_string_equal(c->runs[0].tag, "#1");
    assert_string_equal(c->runs[2].tag, "#3");
    rpp_compare_free(c);
    /* control characters made visible, long names cut */
    c = compare(x, evil, 3, 0, RPP_COMPARE_SORT_GIVEN);
    for (i = 0; i < 3; i++) {
        assert_null(strchr(c->runs[i].tag, '\x1b'));
        assert_true(rpp__compare_chars(c->runs[i].tag,
                                       strlen(c->runs[i].tag)) <= 14);
    }
    assert_non_null(strstr(c->runs[0].tag, "\\x1b"));
    assert_string_equal(c->runs[2].tag, "a-very-long-n~");
    rpp_compare_free(c);
    for (i = 0; i < 3; i++)
        unload(&x[i]);
}

/* ---- how each run ended ------------------------------------------------------ */

static void test_compare__unfinished_runs_are_never_faster_or_slower(
    void **state)
{
    static const char *const names[] = { "healthy", "cancelled", "failed",
                                         "never", "io" };
    run x[5];
    rpp_comparison *c;
    size_t k;
    int p;

    (void)state;
    x[0] = load("v3-healthy");
    x[1] = load("v3-cancelled");   /* its write was faster while it ran */
    x[2] = load("v3-failed");
    x[3] = load("v3-never-started");
    x[4] = load("v3-io-bound");
    c = compare(x, names, 5, 0, RPP_COMPARE_SORT_GIVEN);
    for (k = 1; k <= 3; k++) {
        assert_false(c->runs[k].finished);
        assert_non_null(c->runs[k].not_compared);
        assert_true(isnan(c->runs[k].worst_change));
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            assert_true(isnan(c->runs[k].phases[p].avg_change));
        /* what went away is not counted: it may not have got there */
        assert_int_equal(c->runs[k].n_disappeared, 0);
    }
    assert_string_equal(c->runs[1].not_compared,
                        "was cancelled at about 30 % of the write");
    assert_string_equal(c->runs[3].not_compared,
                        "never started: no write was captured");
    assert_int_equal(c->n_not_compared, 3);
    assert_true(c->regression);
    assert_int_equal(c->first_slower, 4);
    assert_int_equal(c->slower_phase, RPP_PHASE_WRITE);
    assert_null(strstr(c->verdict, "faster"));
    assert_non_null(strstr(c->verdict, "Not compared (partial throughput): "
                                       "cancelled was cancelled"));
    /* --fail-slower: the three that did not finish, and io at 79 % */
    assert_int_equal(rpp_compare_failing(c, 78), 4);
    assert_int_equal(rpp_compare_failing(c, 80), 3);
    rpp_compare_free(c);
    /* a baseline that did not finish: nothing is compared, all fail */
    c = compare(x, names, 5, 2, RPP_COMPARE_SORT_GIVEN);
    assert_false(c->regression);
    assert_int_equal(c->n_not_compared, 4);
    assert_int_equal(rpp_compare_failing(c, 99.99), 4);
    assert_non_null(strstr(c->verdict, "The baseline cancelled was cancelled"));
    /* ... nor does a finding count as appeared against it */
    for (k = 0; k < c->n_runs; k++)
        assert_int_equal(c->runs[k].n_appeared, 0);
    rpp_compare_free(c);
    for (k = 0; k < 5; k++)
        unload(&x[k]);
}

static void test_compare__itself_is_unchanged(void **state)
{
    run h = load("v3-healthy");
    const rpp_analysis *as[2] = { h.a, h.a };
    rpp_comparison *c = NULL;
    int p;

    (void)state;
    assert_int_equal(rpp_compare_run(&c, as, 2, NULL), RPP_OK);
    assert_false(c->regression);
    assert_int_equal(c->first_slower, 2);
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        assert_true(c->runs[1].phases[p].avg_change == 0.0);
    assert_int_equal(rpp_compare_failing(c, 0), 0);
    assert_non_null(strstr(c->verdict, "No finished run is notably faster or "
                                       "slower"));
    rpp_compare_free(c);
    unload(&h);
}

/* ---- what a format version can express ------------------------------------------ */

static void test_compare__version_2_cannot_express(void **state)
{
    static const struct {
        const char *id;
        int phase;
        bool v2;
    } cases[] = {
        { "io-bound", RPP_PHASE_WRITE, false },
        { "cpu-bound", -1, false },
        { "slow-decompress", RPP_PHASE_DECOMPRESS, false },
        { "producer-stall", -1, false },
        { "consumer-stall", -1, false },
        { "slow-unmount-volumes", -1, false },
        { "slow-disk-clean", -1, false },
        { "write-recovery", -1, false },
        { "device-io-timeout", -1, false },
        { "memory-allocation-failure", -1, false },
        { "network-bound", RPP_PHASE_DOWNLOAD, false },
        { "device-stopped", -1, false },
        { "session-in-progress", -1, true },
        { "decompress", RPP_PHASE_DECOMPRESS, false },
        { "throughput-gap", RPP_PHASE_DECOMPRESS, false },
        { "throughput-gap", RPP_PHASE_WRITE, true },
        { "slow-card-write", RPP_PHASE_WRITE, true },
        { "slow-final-sync", -1, true },
        { "slow-drive-open", -1, true },
        { "session-failed", -1, true },
        { "a-rule-of-the-future", -1, true },
    };
    static const char *const names[] = { "v2", "v3" };
    run x[2];
    rpp_comparison *c;
    size_t i, io;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(rpp__compare_expressible(cases[i].id, cases[i].phase,
                                                  2),
                         cases[i].v2);
        assert_true(rpp__compare_expressible(cases[i].id, cases[i].phase, 3));
    }
    /* against a version 2 baseline, io-bound and producer-stall do not
     * appear; slow-card-write does */
    x[0] = load("v2-io-bound");
    x[1] = load("v3-io-bound");
    c = compare(x, names, 2, 0, RPP_COMPARE_SORT_GIVEN);
    assert_true(c->mixed_versions);
    for (i = 0; i < c->runs[1].n_appeared; i++) {
        assert_string_not_equal(c->runs[1].appeared[i]->id, "io-bound");
        assert_string_not_equal(c->runs[1].appeared[i]->id, "producer-stall");
    }
    for (i = 0; i < c->n_types; i++)
        if (strcmp(c->types[i].name, "ringBufferStarvation") == 0)
            assert_false(c->types[i].recordable[0]);
    io = SIZE_MAX;
    for (i = 0; i < c->n_findings; i++)
        if (strcmp(c->findings[i].id, "io-bound") == 0)
            io = i;
    assert_true(io != SIZE_MAX);
    assert_false(c->findings[io].expressible[0]);
    assert_true(c->findings[io].expressible[1]);
    rpp_compare_free(c);
    unload(&x[0]);
    unload(&x[1]);
}

/* The write-timing events the Imager records twice count once in the
 * comparison's totals, as in the outputs of one run; every other type
 * keeps its whole total. */
static void test_compare__events_recorded_twice_count_once(void **state)
{
    static const char *const names[] = { "healthy", "io-bound" };
    run x[2];
    rpp_comparison *c;
    size_t i, j, k, twice = 0;

    (void)state;
    x[0] = load("v3-healthy");
    x[1] = load("v3-io-bound");
    c = compare(x, names, 2, 0, RPP_COMPARE_SORT_GIVEN);
    for (k = 0; k < 2; k++)
        for (i = 0; i < x[k].a->n_types; i++) {
            const rpp_type_stats *t = &x[k].a->types[i];

            for (j = 0; j < c->n_types; j++)
                if (strcmp(c->types[j].name, t->name) == 0)
                    break;
            assert_true(j < c->n_types);
            assert_true(c->types[j].count[k] == t->count);
            assert_true(c->types[j].total_ms[k] == x[k].a->type_once_ms[i]);
            if (t->type == RPP_EV_WRITE_TIMING_BREAKDOWN) {
                /* two records of one total */
                assert_true(t->count == 2);
                assert_true(2 * c->types[j].total_ms[k] == t->total_ms);
                twice++;
            } else {
                assert_true(c->types[j].total_ms[k] == t->total_ms);
            }
        }
    assert_int_equal(twice, 2);
    rpp_compare_free(c);
    unload(&x[0]);
    unload(&x[1]);
}

/* ---- outputs ------------------------------------------------------------------------ */

static size_t widest_line(const char *s)
{
    size_t w = 0, cur = 0;

    for (; *s; s++) {
        if (*s == '\n') {
            w = cur > w ? cur : w;
            cur = 0;
        } else if (((unsigned char)*s & 0xc0) != 0x80) {
            cur++;
        }
    }
    return cur > w ? cur : w;
}

static void test_compare__text_within_its_width(void **state)
{
    static const unsigned widths[] = { 80, 100, 132 };
    const char *names[N_V3];
    char long_names[N_V3][96];
    run x[N_V3];
    rpp_comparison *c;
    size_t i, k;

    (void)state;
    for (i = 0; i < N_V3; i++) {
        x[i] = load(v3_names[i]);
        snprintf(long_names[i], sizeof(long_names[i]),
                 "%s-\xc3\xa9t\xc3\xa9-with-a-rather-long-name\x1b[31m.json",
                 v3_names[i]);
        names[i] = long_names[i];
    }
    c = compare(x, names, N_V3, 5, RPP_COMPARE_SORT_GIVEN);
    for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
        rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
        char *out = NULL;
        fo.width = widths[k];
        assert_int_equal(rpp_compare_format(c, RPP_FORMAT_TEXT, &fo, &out,
                                            NULL),
                         RPP_OK);
        assert_true(widest_line(out) <= widths[k]);
        assert_null(strchr(out, '\x1b'));
        free(out);
    }
    rpp_compare_free(c);
    for (i = 0; i < N_V3; i++)
        unload(&x[i]);
}

static void test_compare__markdown_within_a_comment(void **state)
{
    enum { N = 400 };
    run h = load("v3-io-bound");
    const rpp_analysis **as = calloc(N, sizeof(*as));
    rpp_comparison *c = NULL;
    char *out = NULL;
    size_t len = 0, i;

    (void)state;
    assert_non_null(as);
    for (i = 0; i < N; i++)
        as[i] = h.a;
    assert_int_equal(rpp_compare_run(&c, as, N, NULL), RPP_OK);
    assert_int_equal(rpp_compare_format(c, RPP_FORMAT_MARKDOWN, NULL, &out,
                                        &len),
                     RPP_OK);
    assert_true(len <= 65536);
    assert_int_equal(strlen(out), len);
    assert_non_null(strstr(out, "The rest is left out"));
    assert_true(strncmp(out, "### rpiperf compare: 400 runs\n\n**Verdict:**",
                        42) == 0);
    free(out);
    rpp_compare_free(c);
    free(as);
    unload(&h);
}

static void test_compare__context_cells(void **state)
{
    static const char *const names[] = { "v2", "v3" };
    run x[2];
    rpp_comparison *c;
    rpp_redactor *rd = NULL;
    const char *label = NULL;
    char cell[64];

    (void)state;
    x[0] = load("v2-healthy");
    x[1] = load("v3-windows-slow-prepare");
    c = compare(x, names, 2, 0, RPP_COMPARE_SORT_GIVEN);
    assert_int_equal(rpp_compare_context(c, 1, 0, NULL, &label, cell,
                                         sizeof(cell)),
                     RPP_OK);
    assert_string_equal(label, "Imager");
    assert_string_equal(cell, "-");
    assert_int_equal(rpp_compare_context(c, 9, 1, NULL, &label, cell,
                                         sizeof(cell)),
                     RPP_OK);
    assert_string_equal(label, "direct I/O");
    assert_string_equal(cell, "on");
    assert_int_equal(rpp_redactor_new(&rd), RPP_OK);
    assert_int_equal(rpp_compare_context(c, 6, 1, rd, &label, cell,
                                         sizeof(cell)),
                     RPP_OK);
    assert_string_equal(cell, "device-1");
    assert_int_equal(rpp_compare_context(c, RPP_COMPARE_CONTEXT_ROWS, 0, NULL,
                                         &label, cell, sizeof(cell)),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(rpp_compare_context(c, 0, 2, NULL, &label, cell,
                                         sizeof(cell)),
                     RPP_ERR_NOT_FOUND);
    rpp_redactor_free(rd);
    rpp_compare_free(c);
    unload(&x[0]);
    unload(&x[1]);
}

/* ---- the chart and the page -------------------------------------------------------- */

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static cairo_status_t read_mem(void *closure, unsigned char *data,
                               unsigned int length)
{
    reader *rd = closure;

    if (length > rd->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, rd->p, length);
    rd->p += length;
    rd->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* Pixels of colour c (exactly) in the image. */
static size_t count_rgb(cairo_surface_t *s, rpp__plot_rgb c)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s), x, y;
    uint32_t want = (uint32_t)lround(c.r * 255) << 16 |
                    (uint32_t)lround(c.g * 255) << 8 |
                    (uint32_t)lround(c.b * 255);
    size_t n = 0;

    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            if ((*(const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride +
                                                   (size_t)x * 4) &
                 0xffffff) == want)
                n++;
    return n;
}

static void test_compare_chart__up_to_twelve_runs(void **state)
{
    run x[N_V3];
    size_t n, k;

    (void)state;
    for (k = 0; k < N_V3; k++)
        x[k] = load(v3_names[k]);
    for (n = 2; n <= N_V3; n++) {
        rpp_comparison *c = compare(x, v3_names, n, 0, RPP_COMPARE_SORT_GIVEN);
        unsigned char *png = NULL;
        size_t len = 0;
        cairo_surface_t *s;
        reader rd;

        assert_int_equal(rpp_render_compare_chart(c, NULL, &png, &len), RPP_OK);
        assert_memory_equal(png, "\x89PNG", 4);
        rd.p = png;
        rd.left = len;
        s = cairo_image_surface_create_from_png_stream(read_mem, &rd);
        assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        assert_int_equal(cairo_image_surface_get_width(s), 1200);
        assert_true(cairo_image_surface_get_height(s) >= 600);
        /* every run that wrote has its colour on the chart, and no two
         * runs of a dozen share one */
        for (k = 0; k < n; k++) {
            size_t j;
            if (!x[k].a->phases[RPP_PHASE_WRITE].present)
                continue;
            assert_true(count_rgb(s, rpp__plot_series_rgb(k)) > 20);
            for (j = 0; j < k; j++) {
                rpp__plot_rgb a = rpp__plot_series_rgb(j),
                              b = rpp__plot_series_rgb(k);
                assert_true(fabs(a.r - b.r) + fabs(a.g - b.g) +
                                fabs(a.b - b.b) > 0.15);
            }
        }
        cairo_surface_destroy(s);
        free(png);
        rpp_compare_free(c);
    }
    for (k = 0; k < N_V3; k++)
        unload(&x[k]);
}

static void test_compare_chart__formats_and_arguments(void **state)
{
    static const char *const names[] = { "never", "also-never" };
    run x[2];
    rpp_comparison *c;
    rpp_render_opts o = RPP_RENDER_OPTS_INIT;
    unsigned char *out = NULL;
    size_t len = 0;

    (void)state;
    /* no run wrote anything: the chart says so instead of failing */
    x[0] = load("v3-never-started");
    x[1] = load("v2-never-started");
    c = compare(x, names, 2, 0, RPP_COMPARE_SORT_GIVEN);
    assert_int_equal(rpp_render_compare_chart(c, &o, &out, &len), RPP_OK);
    free(out);
    o.format = RPP_IMAGE_SVG;
    assert_int_equal(rpp_render_compare_chart(c, &o, &out, &len), RPP_OK);
    assert_true(len > 100 && memcmp(out, "<?xml", 5) == 0);
    free(out);
    o.format = RPP_IMAGE_PDF;
    o.height = 300;
    assert_int_equal(rpp_render_compare_chart(c, &o, &out, &len), RPP_OK);
    assert_memory_equal(out, "%PDF-", 5);
    free(out);
    o.width = 10;
    assert_int_equal(rpp_render_compare_chart(c, &o, &out, &len), RPP_ERR_ARG);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(rpp_render_compare_chart(NULL, NULL, &out, &len),
                     RPP_ERR_ARG);
    rpp_compare_free(c);
    unload(&x[0]);
    unload(&x[1]);
}

static void test_compare_html__escapes_and_embeds(void **state)
{
    static const char *const names[] = { "<script>alert(1)</script>.json",
                                         "b&c.json" };
    run x[2];
    rpp_comparison *c;
    rpp_html_opts ho = RPP_HTML_OPTS_INIT;
    char *page = NULL;
    size_t len = 0;

    (void)state;
    x[0] = load("v3-windows-slow-prepare");
    x[1] = load("v3-io-bound");
    c = compare(x, names, 2, 0, RPP_COMPARE_SORT_GIVEN);
    ho.redact = true;
    assert_int_equal(rpp_render_compare_html(c, &ho, &page, &len), RPP_OK);
    assert_int_equal(strlen(page), len);
    assert_null(strstr(page, "<script>alert"));
    assert_non_null(strstr(page, "&lt;script&gt;alert(1)"));
    assert_non_null(strstr(page, "b&amp;c"));
    assert_non_null(strstr(page, "id=\"chart-compare\" alt=\"overlay chart "
                                 "of the runs\" src=\"data:image/png;base64,"));
    assert_non_null(strstr(page, "Content-Security-Policy"));
    assert_null(strstr(page, "PhysicalDrive"));  /* redacted */
    assert_non_null(strstr(page, "data-id=\"io-bound\""));
    free(page);
    rpp_compare_free(c);
    unload(&x[0]);
    unload(&x[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare__events_recorded_twice_count_once),
        cmocka_unit_test(test_compare__rejects_bad_arguments),
        cmocka_unit_test(test_compare__versions_sort_as_numbers),
        cmocka_unit_test(test_compare__short_names),
        cmocka_unit_test(test_compare__unfinished_runs_are_never_faster_or_slower),
        cmocka_unit_test(test_compare__itself_is_unchanged),
        cmocka_unit_test(test_compare__version_2_cannot_express),
        cmocka_unit_test(test_compare__text_within_its_width),
        cmocka_unit_test(test_compare__markdown_within_a_comment),
        cmocka_unit_test(test_compare__context_cells),
        cmocka_unit_test(test_compare_chart__up_to_twelve_runs),
        cmocka_unit_test(test_compare_chart__formats_and_arguments),
        cmocka_unit_test(test_compare_html__escapes_and_embeds),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    rpp_render_cleanup();
    return rc;
}
