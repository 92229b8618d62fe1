/*
 * test_render.c - the charts: every bundled report renders all three charts
 * in every format; the pixels follow the documented layout (the write phase
 * where the analysis puts it, the failure colour only when something
 * failed); degenerate reports render without NaN; redaction and
 * sanitising change exactly the strings; the plotting layer's ticks,
 * labels and text fitting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rpiperf/analyse.h>
#include "chart.h"
#include <rpiperf/render.h>
#include "support_synth.h"

/* ---- helpers ------------------------------------------------------------- */

typedef struct loaded {
    rpp_report *r;
    rpp_analysis *a;
} loaded;

static loaded load_path(const char *path)
{
    loaded l = { NULL, NULL };
    rpp_diags d;

    rpp_diags_clear(&d);
    if (rpp_report_load_file(&l.r, path, NULL, &d) != RPP_OK)
        fail_msg("%s does not load: %s", path,
                 d.n_items ? d.items[0].err.message : "?");
    assert_int_equal(rpp_analysis_run(&l.a, l.r, NULL), RPP_OK);
    return l;
}

static loaded load_text(const char *json)
{
    loaded l = { NULL, NULL };
    rpp_diags d;

    rpp_diags_clear(&d);
    if (rpp_report_load_buffer(&l.r, json, strlen(json), NULL, &d) != RPP_OK)
        fail_msg("synthetic report does not load: %s",
                 d.n_items ? d.items[0].err.message : "?");
    assert_int_equal(rpp_analysis_run(&l.a, l.r, NULL), RPP_OK);
    return l;
}

static loaded load_synth(const synth *s)
{
    char *json = synth_json(s);
    loaded l = load_text(json);

    free(json);
    return l;
}

static void unload(loaded *l)
{
    rpp_analysis_free(l->a);
    rpp_report_free(l->r);
}

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

/* Renders a PNG and decodes it; checks the signature on the way. */
static cairo_surface_t *render_png(const loaded *l, rpp_chart kind,
                                   const rpp_render_opts *o)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    unsigned char *data = NULL;
    size_t len = 0;
    cairo_surface_t *s;
    reader rd;

    assert_int_equal(rpp_render_chart(l->r, l->a, kind, o, &data, &len),
                     RPP_OK);
    assert_non_null(data);
    assert_true(len > sizeof(sig));
    assert_memory_equal(data, sig, sizeof(sig));
    rd.p = data;
    rd.left = len;
    s = cairo_image_surface_create_from_png_stream(read_mem, &rd);
    free(data);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);

    return *(const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride +
                                             (size_t)x * 4) & 0xffffff;
}

static bool near_rgb(uint32_t px, rpp__plot_rgb c, int tol)
{
    int r = (int)(px >> 16 & 0xff), g = (int)(px >> 8 & 0xff),
        b = (int)(px & 0xff);

    return abs(r - (int)lround(c.r * 255)) <= tol &&
           abs(g - (int)lround(c.g * 255)) <= tol &&
           abs(b - (int)lround(c.b * 255)) <= tol;
}

/* Pixels of colour c (within tol) in [x0, x1) x [y0, y1), clipped. */
static size_t count_rgb(cairo_surface_t *s, double x0, double y0, double x1,
                        double y1, rpp__plot_rgb c, int tol)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int xa = (int)fmax(0, floor(x0)), xb = (int)fmin(w, ceil(x1));
    int ya = (int)fmax(0, floor(y0)), yb = (int)fmin(h, ceil(y1));
    size_t n = 0;
    int x, y;

    for (y = ya; y < yb; y++)
        for (x = xa; x < xb; x++)
            if (near_rgb(pixel(s, x, y), c, tol))
                n++;
    return n;
}

static size_t count_all(cairo_surface_t *s, rpp__plot_rgb c, int tol)
{
    return count_rgb(s, 0, 0, cairo_image_surface_get_width(s),
                     cairo_image_surface_get_height(s), c, tol);
}

/* Pixels that are not the background. */
static size_t count_ink(cairo_surface_t *s)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    size_t n = 0;
    int x, y;

    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            if (pixel(s, x, y) != 0xffffff)
                n++;
    return n;
}

static double x_of(const rpp_chart_layout *lay, double t_ms)
{
    return lay->plot.x +
           (t_ms - lay->t0_ms) / (lay->t1_ms - lay->t0_ms) * lay->plot.w;
}

/* Renders SVG and PDF, checks their magic and that no coordinate is NaN
 * or infinite in the SVG. */
static void check_vector(const loaded *l, rpp_chart kind,
                         const rpp_render_opts *base)
{
    rpp_render_opts o = *base;
    unsigned char *data = NULL;
    size_t len = 0;
    char *text;

    o.format = RPP_IMAGE_SVG;
    assert_int_equal(rpp_render_chart(l->r, l->a, kind, &o, &data, &len),
                     RPP_OK);
    assert_true(len > 100);
    text = malloc(len + 1);
    assert_non_null(text);
    memcpy(text, data, len);
    text[len] = '\0';
    assert_true(strncmp(text, "<?xml", 5) == 0);
    assert_non_null(strstr(text, "<svg"));
    assert_null(strstr(text, "nan"));
    assert_null(strstr(text, "NaN"));
    assert_null(strstr(text, "inf"));
    free(text);
    free(data);
    data = NULL;
    o.format = RPP_IMAGE_PDF;
    assert_int_equal(rpp_render_chart(l->r, l->a, kind, &o, &data, &len),
                     RPP_OK);
    assert_true(len > 100);
    assert_memory_equal(data, "%PDF-", 5);
    free(data);
}

static void check_layout_finite(const rpp_chart_layout *lay)
{
    int p;

    assert_true(isfinite(lay->t0_ms) && isfinite(lay->t1_ms));
    assert_true(lay->t1_ms > lay->t0_ms);
    assert_true(isfinite(lay->plot.x) && isfinite(lay->plot.y));
    assert_true(lay->plot.w > 0 && lay->plot.h > 0);
    assert_true(lay->plot.x >= 0 && lay->plot.x + lay->plot.w <= lay->width);
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        assert_true(isfinite(lay->phase[p].y) && isfinite(lay->phase[p].h));
}

/* Every bundled report: samples/ and the upstream writer's fixtures. */
static size_t fixture_paths(glob_t *g)
{
    memset(g, 0, sizeof(*g));
    glob("samples/*.json", 0, NULL, g);
    glob("tests/data/reference/upstream-writer/v*.json",
         g->gl_pathc ? GLOB_APPEND : 0, NULL, g);
    return g->gl_pathc;
}

/* What a chart placed, painted for real (onto one pixel). */
static rpp__chart_items items_of(const loaded *l, rpp_chart kind,
                                 const rpp_render_opts *o)
{
    rpp__chart_items it;

    assert_int_equal(rpp__render_items(l->r, l->a, kind, o, &it), RPP_OK);
    return it;
}

static size_t count_kind(const rpp__chart_items *it, rpp__item_kind k)
{
    size_t i, n = 0;

    for (i = 0; i < it->n; i++)
        if (it->v[i].kind == k)
            n++;
    return n;
}

/* The nth item of kind k (in the order they were placed), or NULL. */
static const rpp__chart_item *nth_kind(const rpp__chart_items *it,
                                       rpp__item_kind k, size_t nth)
{
    size_t i;

    for (i = 0; i < it->n; i++)
        if (it->v[i].kind == k && nth-- == 0)
            return &it->v[i];
    return NULL;
}

/* The index of the nth event of a type, in file order. */
static size_t event_of(const rpp_report *r, const char *type, size_t nth)
{
    size_t i;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type_name &&
            strcmp(r->events[i].type_name, type) == 0 && nth-- == 0)
            return i;
    fail_msg("no event %s", type);
    return SIZE_MAX;
}

static bool is_pipeline(const rpp_report *r, size_t i)
{
    return i < r->n_events &&
           rpp_event_type_category(r->events[i].type) == RPP_CAT_PIPELINE;
}

/* ---- every report, every chart ------------------------------------------- */

static void test_render__every_report_renders_three_charts(void **state)
{
    glob_t g;
    size_t i, n = fixture_paths(&g), step = 1;
    rpp_render_opts o;
    int k;

    (void)state;
    assert_true(n >= 24);   /* the upstream fixtures at least */
    /* under valgrind (make valgrind) every third report is enough */
    if (getenv("RPP_TEST_VALGRIND") && strcmp(getenv("RPP_TEST_VALGRIND"),
                                              "1") == 0)
        step = 3;
    memset(&o, 0, sizeof(o));
    o.width = 640;
    o.height = 480;
    for (i = 0; i < n; i += step) {
        loaded l = load_path(g.gl_pathv[i]);

        for (k = 0; k < RPP_CHART_COUNT; k++) {
            cairo_surface_t *s = render_png(&l, (rpp_chart)k, &o);
            size_t ink = count_ink(s);

            /* the requested size, and something drawn on it */
            assert_int_equal(cairo_image_surface_get_width(s), 640);
            assert_int_equal(cairo_image_surface_get_height(s), 480);
            if (ink < 640 * 480 / 50)
                fail_msg("%s %s: almost blank (%zu pixels)", g.gl_pathv[i],
                         rpp_chart_name((rpp_chart)k), ink);
            cairo_surface_destroy(s);
        }
        unload(&l);
    }
    globfree(&g);
}

static void test_render__natural_size_is_the_layouts(void **state)
{
    loaded l = load_path("tests/data/reference/upstream-writer/"
                         "v3-io-bound.json");
    rpp_chart_layout lay;
    int k;

    (void)state;
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        cairo_surface_t *s;

        assert_int_equal(rpp_render_layout(l.r, l.a, (rpp_chart)k, NULL, &lay),
                         RPP_OK);
        assert_true(lay.width == RPP_RENDER_DEFAULT_WIDTH);
        assert_true(lay.height >= RPP_RENDER_MIN_SIZE &&
                    lay.height <= RPP_RENDER_MAX_SIZE);
        check_layout_finite(&lay);
        s = render_png(&l, (rpp_chart)k, NULL);
        assert_int_equal(cairo_image_surface_get_width(s), (int)lay.width);
        assert_int_equal(cairo_image_surface_get_height(s), (int)lay.height);
        cairo_surface_destroy(s);
    }
    /* 116 events in 27 types: the timeline grows with its rows */
    assert_int_equal(rpp_render_layout(l.r, l.a, RPP_CHART_TIMELINE, NULL,
                                       &lay), RPP_OK);
    assert_true(lay.height > 27 * 10);
    unload(&l);
}

/*
 * The write phase's colour is in its row (timeline) or panel (throughput)
 * between the x of phases[WRITE].first_ms and last_ms, and nowhere else in
 * that band.
 */
static void check_write_where_data_says(const char *path, rpp_chart kind)
{
    loaded l = load_path(path);
    const rpp_phase_stats *w = &l.a->phases[RPP_PHASE_WRITE];
    rpp__plot_rgb col = rpp__plot_phase_rgb(RPP_PHASE_WRITE);
    rpp_render_opts o;
    rpp_chart_layout lay;
    const rpp_render_rect *band;
    cairo_surface_t *s;
    double x0, x1;
    size_t inside, outside, columns = 0;
    int x;

    memset(&o, 0, sizeof(o));
    o.width = 1000;
    o.height = 700;
    assert_true(w->present);
    assert_int_equal(rpp_render_layout(l.r, l.a, kind, &o, &lay), RPP_OK);
    band = &lay.phase[RPP_PHASE_WRITE];
    assert_true(band->h > 0);
    s = render_png(&l, kind, &o);
    x0 = x_of(&lay, (double)w->first_ms);
    x1 = x_of(&lay, (double)w->last_ms);
    assert_true(x1 - x0 > 20);
    inside = count_rgb(s, x0, band->y, x1, band->y + band->h, col, 12);
    outside = count_rgb(s, band->x, band->y, x0 - 3, band->y + band->h, col,
                        12) +
              count_rgb(s, x1 + 3, band->y, band->x + band->w,
                        band->y + band->h, col, 12);
    /* most columns of the range have the colour (gaps aside) */
    for (x = (int)ceil(x0); x < (int)floor(x1); x++)
        if (count_rgb(s, x, band->y, x + 1, band->y + band->h, col, 12))
            columns++;
    if (inside == 0 || outside != 0 ||
        (double)columns < 0.6 * (floor(x1) - ceil(x0)))
        fail_msg("%s %s: write colour %zu inside [%.0f, %.0f], %zu outside, "
                 "%zu columns", path, rpp_chart_name(kind), inside, x0, x1,
                 outside, columns);
    cairo_surface_destroy(s);
    unload(&l);
}

static void test_render__write_phase_where_the_analysis_puts_it(void **state)
{
    static const char *const files[] = {
        "v3-io-bound.json", "v3-windows-slow-prepare.json",
        "v3-multi-cycle.json", "v3-stalls.json", "v2-healthy.json",
        "v3-failed.json",
    };
    char path[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "tests/data/reference/upstream-writer/%s",
                 files[i]);
        check_write_where_data_says(path, RPP_CHART_TIMELINE);
        check_write_where_data_says(path, RPP_CHART_THROUGHPUT);
    }
}

/* ---- the failure colour ---------------------------------------------------- */

static void test_render__failure_colour_only_when_something_failed(
    void **state)
{
    rpp__plot_rgb fail = rpp__plot_rgb_of(RPP_PLOT_FAILURE);
    loaded ok = load_path("tests/data/reference/upstream-writer/"
                          "v3-healthy.json");
    loaded bad = load_path("tests/data/reference/upstream-writer/"
                           "v3-failed.json");
    loaded v2bad = load_path("tests/data/reference/upstream-writer/"
                             "v2-failed.json");
    rpp_chart_layout lay;
    cairo_surface_t *s;
    size_t i, failed_event = SIZE_MAX;
    double x;
    int k;

    (void)state;
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        /* a healthy run: not one pixel of it, in any chart */
        s = render_png(&ok, (rpp_chart)k, NULL);
        assert_int_equal(count_all(s, fail, 6), 0);
        cairo_surface_destroy(s);
        /* a failed session: at least the result badge, in every chart */
        s = render_png(&bad, (rpp_chart)k, NULL);
        assert_true(count_all(s, fail, 6) > 100);
        cairo_surface_destroy(s);
        s = render_png(&v2bad, (rpp_chart)k, NULL);
        assert_true(count_all(s, fail, 6) > 100);
        cairo_surface_destroy(s);
    }
    /* the failed event itself (cycleEnd), where the analysis places it */
    for (i = 0; i < bad.r->n_events; i++)
        if (!bad.r->events[i].success)
            failed_event = i;
    assert_true(failed_event != SIZE_MAX);
    assert_int_equal(rpp_render_layout(bad.r, bad.a, RPP_CHART_TIMELINE, NULL,
                                       &lay), RPP_OK);
    s = render_png(&bad, RPP_CHART_TIMELINE, NULL);
    x = x_of(&lay, (double)bad.a->event_times[failed_event].start_ms);
    /* below the phase rows: the event rows */
    assert_true(count_rgb(s, x - 3, lay.phase[RPP_PHASE_WRITE].y + 30, x + 3,
                          lay.plot.y + lay.plot.h, fail, 6) >= 8);
    cairo_surface_destroy(s);
    unload(&ok);
    unload(&bad);
    unload(&v2bad);
}

/* ---- vector formats --------------------------------------------------------- */

static void test_render__svg_and_pdf(void **state)
{
    static const char *const files[] = {
        "v3-multi-cycle.json", "v3-never-started.json", "v2-failed.json",
    };
    rpp_render_opts o;
    char path[256];
    size_t i;
    int k;

    (void)state;
    memset(&o, 0, sizeof(o));
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        loaded l;

        snprintf(path, sizeof(path), "tests/data/reference/upstream-writer/%s",
                 files[i]);
        l = load_path(path);
        for (k = 0; k < RPP_CHART_COUNT; k++)
            check_vector(&l, (rpp_chart)k, &o);
        unload(&l);
    }
}

/* ---- degenerate reports ----------------------------------------------------- */

static void check_degenerate(const loaded *l, const char *what)
{
    rpp_render_opts o;
    rpp_chart_layout lay;
    int k;

    memset(&o, 0, sizeof(o));
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        cairo_surface_t *s;

        if (rpp_render_layout(l->r, l->a, (rpp_chart)k, &o, &lay) != RPP_OK)
            fail_msg("%s: no layout for the %s chart", what,
                     rpp_chart_name((rpp_chart)k));
        check_layout_finite(&lay);
        s = render_png(l, (rpp_chart)k, &o);
        assert_int_equal(cairo_image_surface_get_width(s),
                         RPP_RENDER_DEFAULT_WIDTH);
        assert_true(count_ink(s) > 1000);
        cairo_surface_destroy(s);
        check_vector(l, (rpp_chart)k, &o);
        /* a small fixed size squeezes everything without error */
        o.width = RPP_RENDER_MIN_SIZE;
        o.height = RPP_RENDER_MIN_SIZE;
        s = render_png(l, (rpp_chart)k, &o);
        assert_int_equal(cairo_image_surface_get_height(s),
                         RPP_RENDER_MIN_SIZE);
        cairo_surface_destroy(s);
        memset(&o, 0, sizeof(o));
    }
}

static void test_render__no_events_no_slices(void **state)
{
    synth *s = synth_new(3);
    loaded l;

    (void)state;
    synth_session(s, "never_started", false, NULL, 0, 0);
    l = load_synth(s);
    assert_int_equal(l.r->n_events, 0);
    check_degenerate(&l, "0 events");
    unload(&l);
    synth_free(s);
}

static void test_render__one_slice(void **state)
{
    synth *s = synth_new(3);
    loaded l;

    (void)state;
    synth_event(s, "driveOpen", 0, 300, true, NULL);
    synth_slice(s, RPP_PHASE_WRITE, 500, 30000, 40000, 35000, 8);
    l = load_synth(s);
    check_degenerate(&l, "1 slice");
    unload(&l);
    synth_free(s);
}

static void test_render__ten_thousand_events_of_one_type(void **state)
{
    synth *s = synth_new(3);
    loaded l;
    uint64_t i;

    (void)state;
    for (i = 0; i < 10000; i++)
        synth_event(s, "ringBufferStarvation", i * 50, 20 + i % 7, i % 97 != 0,
                    "buffer: write; type: producer_stall");
    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 500, 30000);
    l = load_synth(s);
    assert_int_equal(l.r->n_events, 10000);
    check_degenerate(&l, "10 000 events");
    unload(&l);
    synth_free(s);
}

static void test_render__twenty_four_hours(void **state)
{
    synth *s = synth_new(3);
    loaded l;
    char label[32];

    (void)state;
    synth_session(s, "succeeded", true, NULL, 1764579600000ULL, 86400000ULL);
    synth_event(s, "driveOpen", 0, 1200, true, NULL);
    synth_event(s, "finalSync", 86000000, 400000, true, NULL);
    synth_steady(s, RPP_PHASE_DOWNLOAD, 1000, 1000, 6000, 2000);
    synth_steady(s, RPP_PHASE_WRITE, 80000000, 1000, 6000, 9000);
    l = load_synth(s);
    check_degenerate(&l, "24 hours");
    /* a day on the axis reads as hours and minutes */
    assert_string_equal(rpp__plot_time_unit(86400e3), "h:mm");
    rpp__plot_time_label(label, sizeof(label), 3600e3 * 6, 86400e3, 3600e3 * 3);
    assert_string_equal(label, "6:00");
    unload(&l);
    synth_free(s);
}

static void test_render__zero_length_session(void **state)
{
    synth *s = synth_new(3);
    loaded l;

    (void)state;
    synth_session(s, "succeeded", true, NULL, 1764579600000ULL, 0);
    synth_event(s, "driveOpen", 0, 0, true, NULL);
    synth_event(s, "deviceClose", 0, 0, false, NULL);
    l = load_synth(s);
    check_degenerate(&l, "zero-length session");
    unload(&l);
    synth_free(s);
}

static void test_render__all_zero_throughput(void **state)
{
    synth *s = synth_new(3);
    loaded l;
    uint64_t t;

    (void)state;
    synth_event_bytes(s, "osListFetch", 0, 0, 1000, NULL);
    for (t = 0; t < 30000; t += 1000) {
        synth_slice(s, RPP_PHASE_DOWNLOAD, t, 0, 0, 0, 4);
        synth_slice(s, RPP_PHASE_WRITE, t, 0, 0, 0, 4);
    }
    l = load_synth(s);
    check_degenerate(&l, "all-zero throughput");
    unload(&l);
    synth_free(s);
}

static void test_render__many_types_squeezed(void **state)
{
    synth *s = synth_new(3);
    rpp_render_opts o;
    cairo_surface_t *img;
    loaded l;
    char name[32];
    int i;

    (void)state;
    /* 300 unknown types cannot all have a row at 400 pixels */
    for (i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), "futureEvent%03d", i);
        synth_event(s, name, (uint64_t)i * 100, 50, true, NULL);
    }
    l = load_synth(s);
    memset(&o, 0, sizeof(o));
    o.height = 400;
    img = render_png(&l, RPP_CHART_TIMELINE, &o);
    assert_int_equal(cairo_image_surface_get_height(img), 400);
    cairo_surface_destroy(img);
    check_degenerate(&l, "300 types");
    unload(&l);
    synth_free(s);
}

/* ---- strings ------------------------------------------------------------------ */

/* The report synthesised with image name img (a JSON string body). */
static loaded load_named(const char *img)
{
    synth *s = synth_new(3);
    char *json, *pos, *out;
    const char *key = "\"imageName\": \"img\"";
    loaded l;
    size_t n;

    synth_event(s, "driveOpen", 0, 300, true, NULL);
    synth_steady(s, RPP_PHASE_WRITE, 1000, 1000, 60, 30000);
    json = synth_json(s);
    pos = strstr(json, key);
    assert_non_null(pos);
    n = strlen(json) + strlen(img) + 32;
    out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s\"imageName\": \"%s\"%s", (int)(pos - json), json,
             img, pos + strlen(key));
    l = load_text(out);
    free(out);
    free(json);
    synth_free(s);
    return l;
}

static bool same_png(const loaded *a, const loaded *b, rpp_chart kind,
                     const rpp_render_opts *oa, const rpp_render_opts *ob)
{
    unsigned char *da = NULL, *db = NULL;
    size_t la = 0, lb = 0;
    bool same;

    assert_int_equal(rpp_render_chart(a->r, a->a, kind, oa, &da, &la), RPP_OK);
    assert_int_equal(rpp_render_chart(b->r, b->a, kind, ob, &db, &lb), RPP_OK);
    same = la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

static void test_render__control_characters_drawn_visibly(void **state)
{
    /* ESC[31m in the name is drawn as the six characters \x1b[31m */
    loaded raw = load_named("Evil\\u001b[31mOS");
    loaded shown = load_named("Evil\\\\x1b[31mOS");
    loaded other = load_named("EvilOS");
    int k;

    (void)state;
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        assert_true(same_png(&raw, &shown, (rpp_chart)k, NULL, NULL));
        assert_false(same_png(&raw, &other, (rpp_chart)k, NULL, NULL));
    }
    unload(&raw);
    unload(&shown);
    unload(&other);
}

static void test_render__redact_replaces_names(void **state)
{
    loaded secret = load_named("Secret Corp Image");
    loaded placeholder = load_named("image-1");
    rpp_render_opts red, plain;
    int k;

    (void)state;
    memset(&red, 0, sizeof(red));
    memset(&plain, 0, sizeof(plain));
    red.redact = true;
    /* the synthetic device is "/dev/sdx": shown as device-1 when redacted */
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        assert_false(same_png(&secret, &placeholder, (rpp_chart)k, &plain,
                              &plain));
        assert_true(same_png(&secret, &placeholder, (rpp_chart)k, &red, &red));
    }
    unload(&secret);
    unload(&placeholder);
}

static void test_render__title_override(void **state)
{
    loaded a = load_named("First");
    loaded b = load_named("Second");
    rpp_render_opts o;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.title = "Same title";
    assert_true(same_png(&a, &b, RPP_CHART_TIMELINE, &o, &o));
    assert_false(same_png(&a, &b, RPP_CHART_TIMELINE, NULL, NULL));
    unload(&a);
    unload(&b);
}

/* ---- the API ------------------------------------------------------------------- */

static void test_render__rejects_bad_arguments(void **state)
{
    loaded a = load_path("tests/data/reference/upstream-writer/"
                         "v3-healthy.json");
    loaded b = load_path("tests/data/reference/upstream-writer/"
                         "v3-failed.json");
    unsigned char *data = (unsigned char *)"x";
    size_t len = 7;
    rpp_render_opts o;
    rpp_chart_layout lay;

    (void)state;
    memset(&o, 0, sizeof(o));
    assert_int_equal(rpp_render_chart(NULL, a.a, RPP_CHART_TIMELINE, &o, &data,
                                      &len), RPP_ERR_ARG);
    assert_null(data);
    assert_int_equal(len, 0);
    /* the analysis of another report */
    assert_int_equal(rpp_render_chart(a.r, b.a, RPP_CHART_TIMELINE, &o, &data,
                                      &len), RPP_ERR_ARG);
    assert_int_equal(rpp_render_chart(a.r, a.a, (rpp_chart)7, &o, &data, &len),
                     RPP_ERR_ARG);
    o.width = RPP_RENDER_MIN_SIZE - 1;
    assert_int_equal(rpp_render_chart(a.r, a.a, RPP_CHART_TIMELINE, &o, &data,
                                      &len), RPP_ERR_ARG);
    o.width = 0;
    o.height = RPP_RENDER_MAX_SIZE + 1;
    assert_int_equal(rpp_render_layout(a.r, a.a, RPP_CHART_TIMELINE, &o, &lay),
                     RPP_ERR_ARG);
    assert_true(lay.width == 0 && lay.height == 0);
    o.height = 0;
    o.format = (rpp_image_format)9;
    assert_int_equal(rpp_render_chart(a.r, a.a, RPP_CHART_TIMELINE, &o, &data,
                                      &len), RPP_ERR_ARG);
    assert_int_equal(rpp_render_chart(a.r, a.a, RPP_CHART_TIMELINE, NULL, NULL,
                                      &len), RPP_ERR_ARG);
    unload(&a);
    unload(&b);
}

static void test_render__names_round_trip(void **state)
{
    rpp_chart c;
    rpp_image_format f;
    int k;

    (void)state;
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        assert_true(rpp_chart_parse(rpp_chart_name((rpp_chart)k), &c));
        assert_int_equal(c, k);
    }
    assert_false(rpp_chart_parse("gantt", &c));
    assert_false(rpp_chart_parse(NULL, &c));
    assert_string_equal(rpp_chart_name((rpp_chart)-1), "");
    assert_true(rpp_image_format_parse("svg", &f));
    assert_int_equal(f, RPP_IMAGE_SVG);
    assert_true(rpp_image_format_parse("pdf", &f));
    assert_int_equal(f, RPP_IMAGE_PDF);
    assert_false(rpp_image_format_parse("PNG", &f));
    assert_string_equal(rpp_image_format_name(RPP_IMAGE_PNG), "png");
}

static void test_render__draws_inside_the_callers_rectangle(void **state)
{
    loaded l = load_path("tests/data/reference/upstream-writer/"
                         "v3-stalls.json");
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 700,
                                                    500);
    cairo_t *cr = cairo_create(s);
    double r, g, b, al;
    size_t outside = 0, inside = 0;
    int x, y;

    (void)state;
    cairo_set_source_rgb(cr, 0.0, 1.0, 0.0);
    cairo_paint(cr);
    cairo_translate(cr, 50, 40);
    assert_int_equal(rpp_render_draw(cr, l.r, l.a, RPP_CHART_THROUGHPUT, 600,
                                     400, NULL), RPP_OK);
    /* the caller's state is back: the green source, the translation */
    assert_int_equal(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b,
                                            &al), CAIRO_STATUS_SUCCESS);
    assert_true(r == 0.0 && g == 1.0 && b == 0.0);
    {
        double ux = 0, uy = 0;
        cairo_user_to_device(cr, &ux, &uy);
        assert_true(ux == 50 && uy == 40);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    for (y = 0; y < 500; y++) {
        for (x = 0; x < 700; x++) {
            bool in = x >= 50 && x < 650 && y >= 40 && y < 440;
            bool green = pixel(s, x, y) == 0x00ff00;
            if (!in && !green)
                outside++;
            if (in && green)
                inside++;
        }
    }
    assert_int_equal(outside, 0);
    assert_int_equal(inside, 0);
    cairo_surface_destroy(s);
    unload(&l);
}

/* ---- the network chart -------------------------------------------------------- */

static void test_render__network_chart_of_a_starved_download(void **state)
{
    static const double marks[RPP_CONN_PARTS] = { 17, 62, 193, 270, 149513 };
    static const double parts[RPP_CONN_PARTS] = { 17, 45, 131, 77, 149243 };
    loaded l = load_path("tests/data/reference/upstream-writer/"
                         "v3-network-starved.json");
    const rpp_context *cx = &l.a->context;
    size_t lost = event_of(l.r, "networkRetry", 1),     /* 5 s back-off */
        at_once = event_of(l.r, "networkRetry", 0),
        stats = event_of(l.r, "networkConnectionStats", 0), i, k;
    rpp__chart_items it;
    rpp_chart_layout lay;
    const rpp__chart_item *item;
    double ms_per_px;

    (void)state;
    /* the analysis: the metadata parsed, the retries in time order */
    assert_int_equal(cx->n_retries, 2);
    assert_int_equal(cx->retries[0].index, lost);
    assert_int_equal(cx->retries[0].backoff_ms, 5000);
    assert_int_equal(cx->retries[0].offset_bytes, 150 * 1048576LL);
    assert_int_equal(cx->retries[0].http2_failures, 0);
    assert_string_equal(cx->retries[0].error,
                        "Failure when receiving data from the peer");
    assert_int_equal(cx->retries[1].index, at_once);
    assert_int_equal(cx->retries[1].backoff_ms, 0);
    assert_int_equal(cx->retries[1].offset_bytes, 146 * 1048576LL);
    assert_string_equal(cx->retries[1].error, "Timeout was reached");
    assert_int_equal(cx->n_connections, 1);
    assert_int_equal(cx->connections[0].index, stats);
    assert_int_equal(cx->connections[0].dns_ms, 17);
    assert_int_equal(cx->connections[0].connect_ms, 62);
    assert_int_equal(cx->connections[0].tls_ms, 193);
    assert_int_equal(cx->connections[0].ttfb_ms, 270);
    assert_int_equal(cx->connections[0].total_ms, 149513);
    assert_int_equal(cx->connections[0].speed_kbps, 3225);
    assert_int_equal(cx->connections[0].size_bytes, 493879296);
    assert_string_equal(cx->connections[0].http, "HTTP/2");
    /* the OS list and the two sublists are the only transfers: not
     * pipelineDecompressionTime, not pipelineRingBufferWaitTime */
    assert_int_equal(cx->n_transfers, 3);
    for (i = 0; i < cx->n_transfers; i++)
        assert_true(l.r->events[cx->transfers[i]].type ==
                        RPP_EV_OS_LIST_FETCH ||
                    l.r->events[cx->transfers[i]].type ==
                        RPP_EV_SUBLIST_FETCH);

    assert_int_equal(rpp_render_layout(l.r, l.a, RPP_CHART_NETWORK, NULL,
                                       &lay), RPP_OK);
    it = items_of(&l, RPP_CHART_NETWORK, NULL);
    /* the download over time, where the layout says */
    assert_int_equal(count_kind(&it, RPP_ITEM_PHASE), 1);
    item = nth_kind(&it, RPP_ITEM_PHASE, 0);
    assert_int_equal(item->sub, RPP_PHASE_DOWNLOAD);
    assert_true(item->rect.h >= 100 && item->rect.w > 800);
    assert_true(item->rect.x == lay.plot.x && item->rect.y == lay.plot.y &&
                item->rect.w == lay.plot.w && item->rect.h == lay.plot.h);
    assert_true(lay.phase[RPP_PHASE_DOWNLOAD].h == lay.plot.h);
    /* the session's time, as on the timeline (3 min 03 s) */
    assert_true(lay.t0_ms == 0.0 && lay.t1_ms >= 183473 && lay.t1_ms < 190000);
    /* each retry where it retried, after its back-off; the back-off as
     * long as the event's duration */
    assert_int_equal(count_kind(&it, RPP_ITEM_RETRY), 2);
    for (k = 0; k < 2; k++) {
        double at;

        item = nth_kind(&it, RPP_ITEM_RETRY, k);
        assert_int_equal(item->event, cx->retries[k].index);
        assert_true(item->value == (double)cx->retries[k].backoff_ms);
        at = (double)l.a->event_times[item->event].start_ms +
             (double)cx->retries[k].backoff_ms;
        assert_true(fabs(item->rect.x + item->rect.w / 2.0 - x_of(&lay, at)) <
                    1.5);
    }
    /* each number on its own line, in the order of the lines; numbers
     * that would overlap are on rows of their own */
    assert_int_equal(count_kind(&it, RPP_ITEM_RETRY_TAG), 2);
    for (k = 0; k < 2; k++) {
        item = nth_kind(&it, RPP_ITEM_RETRY_TAG, k);
        assert_true(fabs(item->rect.x + item->rect.w / 2.0 - item->mark) <
                    0.5);
        assert_true(item->mark == nth_kind(&it, RPP_ITEM_RETRY,
                                           (size_t)item->sub)->rect.x + 1.0);
    }
    assert_true(nth_kind(&it, RPP_ITEM_RETRY_TAG, 0)->mark <
                nth_kind(&it, RPP_ITEM_RETRY_TAG, 1)->mark);
    assert_true(nth_kind(&it, RPP_ITEM_RETRY_TAG, 0)->rect.y <
                    nth_kind(&it, RPP_ITEM_RETRY_TAG, 1)->rect.y ||
                nth_kind(&it, RPP_ITEM_RETRY_TAG, 0)->rect.x +
                        nth_kind(&it, RPP_ITEM_RETRY_TAG, 0)->rect.w <=
                    nth_kind(&it, RPP_ITEM_RETRY_TAG, 1)->rect.x);
    assert_int_equal(count_kind(&it, RPP_ITEM_BACKOFF), 1);
    item = nth_kind(&it, RPP_ITEM_BACKOFF, 0);
    assert_int_equal(item->event, lost);
    ms_per_px = (lay.t1_ms - lay.t0_ms) / lay.plot.w;
    assert_true(fabs(item->rect.w * ms_per_px - 5000.0) < 2.0 * ms_per_px);
    assert_true(fabs(item->rect.x -
                     x_of(&lay, (double)l.a->event_times[lost].start_ms)) <
                1.0);
    /* one connection bar: the four timings and the transfer, in order */
    assert_int_equal(count_kind(&it, RPP_ITEM_CONNECTION), 1);
    assert_int_equal(nth_kind(&it, RPP_ITEM_CONNECTION, 0)->event, stats);
    assert_int_equal(count_kind(&it, RPP_ITEM_CONN_PART), RPP_CONN_PARTS);
    for (k = 0; k < RPP_CONN_PARTS; k++) {
        item = nth_kind(&it, RPP_ITEM_CONN_PART, k);
        assert_int_equal(item->sub, (int)k);
        assert_int_equal(item->event, stats);
        assert_true(item->mark == marks[k]);
        assert_true(item->value == parts[k]);
        assert_true(item->rect.w > 0);
        if (k > 0)
            assert_true(item->rect.x >=
                        nth_kind(&it, RPP_ITEM_CONN_PART, k - 1)->rect.x +
                            nth_kind(&it, RPP_ITEM_CONN_PART, k - 1)->rect.w -
                            0.01);
    }
    /* DNS .. first byte share one scale: TLS is 131/17 times DNS */
    assert_true(fabs(nth_kind(&it, RPP_ITEM_CONN_PART, RPP_CONN_TLS)->rect.w /
                         nth_kind(&it, RPP_ITEM_CONN_PART, RPP_CONN_DNS)->rect.w -
                     131.0 / 17.0) < 0.01);
    /* the table: OS list, its parse, two sublists, the cache lookup, with
     * the analysis' speeds; no retry or connection among them */
    assert_int_equal(count_kind(&it, RPP_ITEM_FETCH), 5);
    for (k = 0; k < 5; k++) {
        item = nth_kind(&it, RPP_ITEM_FETCH, k);
        assert_true(l.r->events[item->event].type != RPP_EV_NETWORK_RETRY &&
                    l.r->events[item->event].type !=
                        RPP_EV_NETWORK_CONNECTION_STATS);
        if (item->event == event_of(l.r, "osListFetch", 0))
            assert_true(fabs(item->value - 121631.0 * 1000.0 /
                                               (410.0 * 1024.0)) < 1e-6);
        if (item->event == event_of(l.r, "osListParse", 0))
            assert_true(item->value == -1.0);
    }
    /* nothing of the pipeline anywhere */
    for (i = 0; i < it.n; i++)
        assert_false(is_pipeline(l.r, it.v[i].event));
    rpp__chart_items_free(&it);
    unload(&l);
}

static void test_render__network_chart_of_a_version_2_report(void **state)
{
    loaded l = load_path("tests/data/reference/upstream-writer/"
                         "v2-network-starved.json");
    rpp__chart_items it = items_of(&l, RPP_CHART_NETWORK, NULL);
    const rpp__chart_item *row;

    (void)state;
    /* the download over time; no retries or connection in version 2;
     * the cache lookup in the table */
    assert_int_equal(count_kind(&it, RPP_ITEM_PHASE), 1);
    assert_int_equal(nth_kind(&it, RPP_ITEM_PHASE, 0)->sub,
                     RPP_PHASE_DOWNLOAD);
    assert_int_equal(count_kind(&it, RPP_ITEM_RETRY), 0);
    assert_int_equal(count_kind(&it, RPP_ITEM_CONNECTION), 0);
    assert_int_equal(count_kind(&it, RPP_ITEM_FETCH), 1);
    row = nth_kind(&it, RPP_ITEM_FETCH, 0);
    assert_int_equal(row->event, event_of(l.r, "cacheLookup", 0));
    assert_true(row->value == -1.0);
    rpp__chart_items_free(&it);
    unload(&l);
}

static void test_render__connection_and_retry_metadata(void **state)
{
    synth *s = synth_new(3);
    rpp__chart_items it;
    const rpp_context *cx;
    const rpp__chart_item *item;
    loaded l, shown;
    size_t k;

    (void)state;
    synth_steady(s, RPP_PHASE_DOWNLOAD, 1000, 1000, 60, 5000);
    /* plain HTTP: no TLS, so that part is empty */
    synth_event(s, "networkConnectionStats", 61000, 0, true,
                "dns_ms: 5; connect_ms: 30; tls_ms: 0; ttfb_ms: 80; "
                "total_ms: 1000; speed_kbps: 900; size_bytes: 900000; "
                "http: HTTP/1.1");
    synth_event(s, "networkConnectionStats", 62000, 0, true, "total_ms: 500");
    synth_event(s, "networkConnectionStats", 63000, 0, true, "no timings");
    synth_event(s, "networkRetry", 20000, 1200, true,
                "error: Timeout was reached; offset: 2 GB; "
                "http2_failures: 3");
    synth_event(s, "networkRetry", 30000, 0, true, NULL);
    synth_event(s, "networkRetry", 40000, 0, true,
                "error: \x1b[2Jgone; offset: 12 parsecs");
    l = load_synth(s);
    cx = &l.a->context;
    assert_int_equal(cx->n_connections, 3);
    assert_int_equal(cx->connections[0].tls_ms, 0);
    assert_string_equal(cx->connections[0].http, "HTTP/1.1");
    assert_int_equal(cx->connections[1].dns_ms, -1);
    assert_int_equal(cx->connections[1].total_ms, 500);
    assert_null(cx->connections[1].http);
    assert_int_equal(cx->connections[2].ttfb_ms, -1);
    assert_int_equal(cx->connections[2].speed_kbps, -1);
    assert_int_equal(cx->n_retries, 3);
    assert_int_equal(cx->retries[0].backoff_ms, 1200);
    assert_int_equal(cx->retries[0].offset_bytes, 2LL << 30);
    assert_int_equal(cx->retries[0].http2_failures, 3);
    assert_int_equal(cx->retries[1].offset_bytes, -1);
    assert_int_equal(cx->retries[1].http2_failures, -1);
    assert_null(cx->retries[1].error);
    assert_int_equal(cx->retries[2].offset_bytes, -1);  /* unknown unit */
    assert_string_equal(cx->retries[2].error, "\x1b[2Jgone");

    it = items_of(&l, RPP_CHART_NETWORK, NULL);
    assert_int_equal(count_kind(&it, RPP_ITEM_CONNECTION), 3);
    assert_int_equal(count_kind(&it, RPP_ITEM_RETRY), 3);
    /* the first: every part, TLS empty; the second: only the transfer;
     * the third: a bar that says it has no timings */
    for (k = 0; k < 5; k++) {
        static const double want[5] = { 5, 25, 0, 50, 920 };
        item = nth_kind(&it, RPP_ITEM_CONN_PART, k);
        assert_int_equal(item->sub, (int)k);
        assert_true(item->value == want[k]);
    }
    assert_true(nth_kind(&it, RPP_ITEM_CONN_PART, RPP_CONN_TLS)->rect.w == 0);
    item = nth_kind(&it, RPP_ITEM_CONN_PART, 5);
    assert_int_equal(item->sub, RPP_CONN_TRANSFER);
    assert_true(item->value == 500 && item->mark == 500);
    assert_int_equal(item->event, cx->connections[1].index);
    assert_int_equal(count_kind(&it, RPP_ITEM_CONN_PART), 6);
    assert_true(nth_kind(&it, RPP_ITEM_CONNECTION, 2)->value == 0.0);
    rpp__chart_items_free(&it);
    unload(&l);
    synth_free(s);

    /* the escape in the retry's error is drawn as the characters \x1b */
    s = synth_new(3);
    synth_steady(s, RPP_PHASE_DOWNLOAD, 1000, 1000, 20, 5000);
    synth_event(s, "networkRetry", 5000, 0, true, "error: \x1b[2Jx");
    l = load_synth(s);
    synth_free(s);
    s = synth_new(3);
    synth_steady(s, RPP_PHASE_DOWNLOAD, 1000, 1000, 20, 5000);
    synth_event(s, "networkRetry", 5000, 0, true, "error: \\x1b[2Jx");
    shown = load_synth(s);
    assert_true(same_png(&l, &shown, RPP_CHART_NETWORK, NULL, NULL));
    unload(&l);
    unload(&shown);
    synth_free(s);
}

/* ---- pipeline totals ---------------------------------------------------------- */

static void test_render__pipeline_totals_are_never_spans(void **state)
{
    glob_t g;
    size_t i, j, n = fixture_paths(&g), step = 1;

    (void)state;
    if (getenv("RPP_TEST_VALGRIND") && strcmp(getenv("RPP_TEST_VALGRIND"),
                                              "1") == 0)
        step = 4;
    for (i = 0; i < n; i += step) {
        loaded l = load_path(g.gl_pathv[i]);
        const rpp_context *cx = &l.a->context;
        size_t n_pipe = 0, listed = 0;
        int k;

        for (j = 0; j < l.r->n_events; j++)
            n_pipe += is_pipeline(l.r, j);
        /* the analysis: never a transfer or a network event */
        for (j = 0; j < cx->n_transfers; j++)
            if (is_pipeline(l.r, cx->transfers[j]))
                fail_msg("%s: event %zu is a transfer", g.gl_pathv[i],
                         cx->transfers[j]);
        for (j = 0; j < cx->n_network; j++)
            assert_false(is_pipeline(l.r, cx->network[j]));
        for (k = 0; k < RPP_CHART_COUNT; k++) {
            rpp__chart_items it = items_of(&l, (rpp_chart)k, NULL);

            for (j = 0; j < it.n; j++) {
                const rpp__chart_item *v = &it.v[j];

                if (v->kind == RPP_ITEM_TOTAL) {
                    assert_int_equal(k, RPP_CHART_TIMELINE);
                    assert_true(is_pipeline(l.r, v->event));
                    listed += (size_t)v->value;
                    continue;
                }
                if (is_pipeline(l.r, v->event))
                    fail_msg("%s %s: %s drawn as item kind %d",
                             g.gl_pathv[i], rpp_chart_name((rpp_chart)k),
                             l.r->events[v->event].type_name, (int)v->kind);
                if (v->kind == RPP_ITEM_TYPE_ROW)
                    assert_true(l.a->types[v->sub].category !=
                                RPP_CAT_PIPELINE);
            }
            rpp__chart_items_free(&it);
        }
        /* every pipeline event is listed on the timeline as a total */
        if (listed != n_pipe)
            fail_msg("%s: %zu pipeline events, %zu listed as totals",
                     g.gl_pathv[i], n_pipe, listed);
        unload(&l);
    }
    globfree(&g);
}

/* The throughput and network charts share the timeline's time axis, from
 * the session's start to its end, so that what happens before the first
 * slice or after the last (the final sync) is on them. */
static void test_render__charts_span_the_session(void **state)
{
    static const struct {
        const char *file;
        size_t final_syncs;
    } cases[] = {
        { "v3-cpu-bound.json", 1 },
        { "v3-windows-slow-prepare.json", 1 },
        { "v3-cap.json", 1 },
        { "v3-multi-cycle.json", 2 },
        { "v3-long-customisation.json", 1 },
    };
    char path[256];
    size_t i, j, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        loaded l;
        rpp_chart_layout tl, lay;
        rpp__chart_items it;
        size_t seen = 0, custom = 0;
        int kind;

        snprintf(path, sizeof(path), "tests/data/reference/upstream-writer/%s",
                 cases[i].file);
        l = load_path(path);
        assert_int_equal(rpp_render_layout(l.r, l.a, RPP_CHART_TIMELINE, NULL,
                                           &tl), RPP_OK);
        for (kind = RPP_CHART_THROUGHPUT; kind <= RPP_CHART_NETWORK; kind++) {
            assert_int_equal(rpp_render_layout(l.r, l.a, (rpp_chart)kind, NULL,
                                               &lay), RPP_OK);
            if (lay.t0_ms != 0.0 || lay.t1_ms != tl.t1_ms)
                fail_msg("%s %s: axis %.0f..%.0f, timeline 0..%.0f", path,
                         rpp_chart_name((rpp_chart)kind), lay.t0_ms,
                         lay.t1_ms, tl.t1_ms);
        }
        /* every final sync drawn on the write panel, once */
        it = items_of(&l, RPP_CHART_THROUGHPUT, NULL);
        for (j = 0; j < it.n; j++) {
            k = it.v[j].event;
            if (it.v[j].kind != RPP_ITEM_EVENT || k >= l.r->n_events)
                continue;
            if (l.r->events[k].type == RPP_EV_FINAL_SYNC &&
                it.v[j].sub == RPP_PHASE_WRITE)
                seen++;
            if (l.r->events[k].type == RPP_EV_CUSTOMISATION)
                custom++;
        }
        if (seen != cases[i].final_syncs)
            fail_msg("%s: %zu final syncs on the write panel", path, seen);
        if (strcmp(cases[i].file, "v3-long-customisation.json") == 0)
            assert_true(custom > 0);
        rpp__chart_items_free(&it);
        unload(&l);
    }
}

/* Phases that reached the writer's 6000 samples end with a note saying
 * so, where their samples stop, on the throughput chart and the timeline;
 * a report within the limit has none. */
static void test_render__sample_limit_marked_where_samples_stop(void **state)
{
    loaded l = load_path("tests/data/reference/upstream-writer/v3-cap.json");
    rpp__chart_items it;
    size_t k, notes;
    int kind;

    (void)state;
    for (kind = RPP_CHART_TIMELINE; kind <= RPP_CHART_THROUGHPUT; kind++) {
        it = items_of(&l, (rpp_chart)kind, NULL);
        /* download, decompress and write, each at its last slice; the
         * note once per panel, once on the timeline */
        assert_int_equal(count_kind(&it, RPP_ITEM_TRUNCATION),
                         kind == RPP_CHART_THROUGHPUT ? 3 : 4);
        notes = 0;
        for (k = 0; k < count_kind(&it, RPP_ITEM_TRUNCATION); k++) {
            const rpp__chart_item *v = nth_kind(&it, RPP_ITEM_TRUNCATION, k);

            assert_true(v->sub >= RPP_PHASE_DOWNLOAD &&
                        v->sub <= RPP_PHASE_WRITE);
            assert_true(v->mark == (double)l.a->phases[v->sub].last_ms);
            notes += v->value == 1.0;
        }
        assert_int_equal(notes, kind == RPP_CHART_THROUGHPUT ? 3 : 1);
        rpp__chart_items_free(&it);
    }
    unload(&l);
    l = load_path("tests/data/reference/upstream-writer/v3-healthy.json");
    for (kind = RPP_CHART_TIMELINE; kind <= RPP_CHART_THROUGHPUT; kind++) {
        it = items_of(&l, (rpp_chart)kind, NULL);
        assert_int_equal(count_kind(&it, RPP_ITEM_TRUNCATION), 0);
        rpp__chart_items_free(&it);
    }
    unload(&l);
}

/* The names of events over a throughput panel sit in a lane above the
 * panel's highest value, inside the panel: never over the series. */
static void test_render__event_names_never_cover_the_series(void **state)
{
    glob_t g;
    size_t i, j, n = fixture_paths(&g), step = 1, labels = 0;

    (void)state;
    if (getenv("RPP_TEST_VALGRIND") && strcmp(getenv("RPP_TEST_VALGRIND"),
                                              "1") == 0)
        step = 4;
    for (i = 0; i < n; i += step) {
        loaded l = load_path(g.gl_pathv[i]);
        rpp__chart_items it = items_of(&l, RPP_CHART_THROUGHPUT, NULL);
        rpp_chart_layout lay;

        assert_int_equal(rpp_render_layout(l.r, l.a, RPP_CHART_THROUGHPUT,
                                           NULL, &lay), RPP_OK);
        for (j = 0; j < it.n; j++) {
            const rpp__chart_item *v = &it.v[j];
            const rpp_render_rect *b;

            if (v->kind != RPP_ITEM_LABEL)
                continue;
            labels++;
            b = &lay.phase[v->sub];
            if (v->rect.y + v->rect.h > v->mark + 0.01 ||
                v->rect.y < b->y || v->rect.x < b->x ||
                v->rect.x + v->rect.w > b->x + b->w)
                fail_msg("%s: a label at (%.1f, %.1f) over the series or "
                         "outside its panel", g.gl_pathv[i], v->rect.x,
                         v->rect.y);
        }
        rpp__chart_items_free(&it);
        unload(&l);
    }
    assert_true(labels > 0);
    globfree(&g);
}

static void test_render__timeline_lists_pipeline_totals_once(void **state)
{
    loaded l = load_path("tests/data/reference/upstream-writer/"
                         "v3-network-starved.json");
    rpp__chart_items it = items_of(&l, RPP_CHART_TIMELINE, NULL);
    rpp_chart_layout lay;
    synth *s;
    size_t i, wtb = event_of(l.r, "writeTimingBreakdown", 0);
    char meta[64];
    rpp_render_opts o;

    (void)state;
    /* five totals: writeTimingBreakdown and writeSizeDistribution twice
     * each (the same values before and after the final sync), and the
     * three pipeline times once */
    assert_int_equal(count_kind(&it, RPP_ITEM_TOTAL), 5);
    assert_int_equal(nth_kind(&it, RPP_ITEM_TOTAL, 0)->event, wtb);
    assert_true(nth_kind(&it, RPP_ITEM_TOTAL, 0)->value == 2.0);
    /* the time axis ends with the session (3 min 03 s), not where the
     * 2 min 07 s of pipelineRingBufferWaitTime would end if it were a
     * span starting when it was recorded */
    assert_int_equal(rpp_render_layout(l.r, l.a, RPP_CHART_TIMELINE, NULL,
                                       &lay), RPP_OK);
    assert_true(lay.t1_ms >= 183473 && lay.t1_ms < 190000);
    /* the totals are below the time axis */
    for (i = 0; i < count_kind(&it, RPP_ITEM_TOTAL); i++)
        assert_true(nth_kind(&it, RPP_ITEM_TOTAL, i)->rect.y >
                    lay.plot.y + lay.plot.h);
    rpp__chart_items_free(&it);
    unload(&l);

    /* twenty different totals: twelve listed; a small fixed height lists
     * fewer and still no bar */
    s = synth_new(3);
    synth_steady(s, RPP_PHASE_WRITE, 1000, 1000, 30, 30000);
    for (i = 0; i < 20; i++) {
        snprintf(meta, sizeof(meta), "producer_stalls: %zu (%zu ms)", i,
                 i * 10);
        synth_event(s, "writeRingBufferStats", 0, i * 10, true, meta);
    }
    l = load_synth(s);
    it = items_of(&l, RPP_CHART_TIMELINE, NULL);
    assert_int_equal(count_kind(&it, RPP_ITEM_TOTAL), 12);
    assert_int_equal(count_kind(&it, RPP_ITEM_EVENT), 0);
    rpp__chart_items_free(&it);
    memset(&o, 0, sizeof(o));
    o.height = 300;
    it = items_of(&l, RPP_CHART_TIMELINE, &o);
    assert_true(count_kind(&it, RPP_ITEM_TOTAL) < 12);
    assert_int_equal(count_kind(&it, RPP_ITEM_EVENT), 0);
    rpp__chart_items_free(&it);
    unload(&l);
    synth_free(s);
}

/* ---- the plotting layer --------------------------------------------------------- */

static void test_plot__nice_steps(void **state)
{
    static const struct {
        double range;
        int ticks;
        double step;
    } cases[] = {
        { 100, 5, 20 }, { 7, 5, 2 }, { 1, 4, 0.5 }, { 0.3, 3, 0.1 },
        { 44.1, 4, 20 }, { 1e6, 10, 1e5 }, { 0, 5, 1 }, { -3, 5, 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_true(fabs(rpp__plot_nice_step(cases[i].range, cases[i].ticks) -
                         cases[i].step) < 1e-9 * cases[i].step);
    assert_true(rpp__plot_nice_step(NAN, 5) == 1.0);
    assert_true(rpp__plot_nice_step(INFINITY, 5) == 1.0);
    assert_true(rpp__plot_nice_max(44.1, 4) == 60.0);
    assert_true(rpp__plot_nice_max(0.0, 4) == 1.0);
    assert_true(rpp__plot_nice_max(NAN, 4) == 1.0);
    /* time: seconds in 1-2-5, then clock steps */
    assert_true(rpp__plot_time_step(300e3, 6) == 60e3);
    assert_true(rpp__plot_time_step(3600e3, 6) == 600e3);
    assert_true(rpp__plot_time_step(50e3, 5) == 10e3);
    assert_true(rpp__plot_time_step(86400e3, 8) == 10800e3);
}

static void test_plot__time_labels(void **state)
{
    static const struct {
        double ms, range, step;
        const char *label;
    } cases[] = {
        { 0, 60e3, 10e3, "0 s" },
        { -0.0, 60e3, 10e3, "0 s" },
        { 45000, 300e3, 15e3, "45 s" },
        { 1500, 10e3, 500, "1.5 s" },
        { 250, 1e3, 50, "0.25 s" },
        { 65000, 1200e3, 60e3, "1:05" },
        { 3600e3, 5400e3, 600e3, "60:00" },
        { 3720e3, 8 * 3600e3, 3600e3, "1:02" },
    };
    char buf[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rpp__plot_time_label(buf, sizeof(buf), cases[i].ms, cases[i].range,
                            cases[i].step);
        assert_string_equal(buf, cases[i].label);
    }
    /* rates in labels read as in every other output */
    rpp_human_rate(buf, sizeof(buf), 45158.4);
    assert_string_equal(buf, "44.1 MB/s");
    rpp_human_rate(buf, sizeof(buf), 0.0);
    assert_string_equal(buf, "0.0 MB/s");
    rpp_human_rate(buf, sizeof(buf), NAN);
    assert_string_equal(buf, "-");
    rpp__plot_value_label(buf, sizeof(buf), 0.5, 0.5);
    assert_string_equal(buf, "0.5");
    rpp__plot_value_label(buf, sizeof(buf), -0.0, 10);
    assert_string_equal(buf, "0");
}

static void test_plot__guards(void **state)
{
    rpp__plot_scale s = rpp__plot_scale_make(5, 5, 10, 200);

    (void)state;
    /* a zero-length range maps everything to the start */
    assert_true(rpp__plot_map(&s, 5) == 10);
    assert_true(rpp__plot_map(&s, 1e300) == 10);
    s = rpp__plot_scale_make(0, 100, 0, 1000);
    assert_true(rpp__plot_map(&s, 50) == 500);
    assert_true(rpp__plot_map(&s, NAN) == 0);
    assert_true(rpp__plot_map(&s, 1e300) == RPP_PLOT_COORD_LIMIT);
    assert_true(rpp__plot_map(&s, -1e300) == -RPP_PLOT_COORD_LIMIT);
    assert_true(rpp__plot_div(1, 0, -1) == -1);
    assert_true(rpp__plot_div(NAN, 2, 7) == 7);
    assert_true(rpp__plot_clamp(NAN, 1, 2) == 1);
}

static void test_plot__text_fits_with_ellipsis(void **state)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10,
                                                    10);
    cairo_t *cr = cairo_create(s);
    rpp__buf b = RPP__BUF_INIT;
    double full, w;

    (void)state;
    rpp__plot_font(cr, 12.0, false);
    full = rpp__plot_text_width(cr, "Raspberry Pi OS (64-bit)");
    /* fits: unchanged */
    w = rpp__plot_fit(cr, "Raspberry Pi OS (64-bit)", full + 1, &b);
    assert_string_equal(b.ptr, "Raspberry Pi OS (64-bit)");
    assert_true(fabs(w - full) < 1e-6);
    /* cut on a character boundary with an ellipsis, within the width */
    b.len = 0;
    w = rpp__plot_fit(cr, "Raspberry Pi OS (64-bit)", full / 2, &b);
    assert_true(w <= full / 2 && w > full / 4);
    assert_true(strlen(b.ptr) > 3);
    assert_string_equal(b.ptr + strlen(b.ptr) - 3, "\xe2\x80\xa6");
    assert_memory_equal(b.ptr, "Raspberry", 5);
    /* multi-byte text is never cut inside a character */
    b.len = 0;
    rpp__plot_fit(cr, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                 rpp__plot_text_width(cr, "\xc3\xa9\xc3\xa9\xe2\x80\xa6") + 0.5,
                 &b);
    assert_string_equal(b.ptr, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
    /* controls and invalid UTF-8 become visible */
    b.len = 0;
    rpp__plot_fit(cr, "a\x1b[2Jb\xff", 0, &b);
    assert_string_equal(b.ptr, "a\\x1b[2Jb\xef\xbf\xbd");
    /* nothing fits: nothing */
    b.len = 0;
    assert_true(rpp__plot_fit(cr, "Raspberry", 1.0, &b) == 0.0);
    rpp__buf_free(&b);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* The lines of rpp__plot_wrap() in lines[], their number returned. */
static int wrap_lines(cairo_t *cr, const char *s, double w, int max,
                      char lines[][256])
{
    rpp__buf b = RPP__BUF_INIT;
    const char *p, *nl;
    int n = rpp__plot_wrap(cr, s, w, max, &b), k = 0;

    for (p = b.ptr; p && (nl = strchr(p, '\n')) != NULL && k < 8;
         p = nl + 1, k++) {
        assert_true(nl - p < 256);
        memcpy(lines[k], p, (size_t)(nl - p));
        lines[k][nl - p] = '\0';
    }
    assert_int_equal(k, n);
    rpp__buf_free(&b);
    return n;
}

static void test_plot__wrap_never_cuts_a_label(void **state)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10,
                                                    10);
    cairo_t *cr = cairo_create(s);
    char lines[8][256], joined[1024];
    const char *url = "os_list_imagingutility_v4_community.json";
    const char *words = "Failure when receiving data from the peer";
    double w;
    int n, k;

    (void)state;
    rpp__plot_font(cr, 11.0, false);
    /* a name that fits: itself, on one line */
    w = rpp__plot_text_width(cr, "cacheLookup");
    assert_int_equal(wrap_lines(cr, "cacheLookup", w + 0.5, 2, lines), 1);
    assert_string_equal(lines[0], "cacheLookup");
    /* an identifier too wide: broken after '_' or '.', nothing lost */
    n = wrap_lines(cr, url, 110.0, 8, lines);
    assert_true(n >= 3);
    joined[0] = '\0';
    for (k = 0; k < n; k++) {
        assert_true(rpp__plot_text_width(cr, lines[k]) <= 110.0);
        assert_true(strchr("_.", lines[k][strlen(lines[k]) - 1]) != NULL ||
                    k == n - 1);
        strcat(joined, lines[k]);
    }
    assert_string_equal(joined, url);
    /* words: broken at spaces, each line whole words */
    n = wrap_lines(cr, words, rpp__plot_text_width(cr, "Failure when rec"),
                   8, lines);
    assert_true(n >= 3);
    joined[0] = '\0';
    for (k = 0; k < n; k++) {
        if (k)
            strcat(joined, " ");
        strcat(joined, lines[k]);
    }
    assert_string_equal(joined, words);
    assert_string_equal(lines[0], "Failure when");
    /* one long run with nowhere to break: between characters */
    n = wrap_lines(cr, "abcdefghijklmnopqrstuvwxyz",
                   rpp__plot_text_width(cr, "abcdefghij"), 8, lines);
    assert_int_equal(n, 3);
    snprintf(joined, sizeof(joined), "%s%s%s", lines[0], lines[1], lines[2]);
    assert_string_equal(joined, "abcdefghijklmnopqrstuvwxyz");
    /* more than the lines allowed: only the last line is cut, visibly */
    n = wrap_lines(cr, url, 110.0, 2, lines);
    assert_int_equal(n, 2);
    assert_int_equal(strstr(url, lines[0]) - url, 0);
    assert_string_equal(lines[1] + strlen(lines[1]) - 3, "\xe2\x80\xa6");
    assert_true(rpp__plot_text_width(cr, lines[1]) <= 110.0);
    /* control characters made visible, as everywhere on a chart */
    assert_int_equal(wrap_lines(cr, "a\x1b[2Jb", 0.0, 2, lines), 1);
    assert_string_equal(lines[0], "a\\x1b[2Jb");
    assert_int_equal(wrap_lines(cr, "", 100.0, 2, lines), 0);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void test_plot__palette_tells_things_apart(void **state)
{
    rpp__plot_rgb fail = rpp__plot_rgb_of(RPP_PLOT_FAILURE);
    int c, p, q;

    (void)state;
    /* no category or phase colour can be taken for the failure colour,
     * and the phases differ from each other */
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        rpp__plot_rgb k = rpp__plot_category_rgb((rpp_category)c);
        assert_true(fabs(k.r - fail.r) + fabs(k.g - fail.g) +
                        fabs(k.b - fail.b) > 0.3);
    }
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp__plot_rgb a = rpp__plot_phase_rgb((rpp_phase)p);
        assert_true(fabs(a.r - fail.r) + fabs(a.g - fail.g) +
                        fabs(a.b - fail.b) > 0.3);
        for (q = p + 1; q < RPP_PHASE_COUNT; q++) {
            rpp__plot_rgb b = rpp__plot_phase_rgb((rpp_phase)q);
            assert_true(fabs(a.r - b.r) + fabs(a.g - b.g) + fabs(a.b - b.b) >
                        0.3);
        }
    }
    /* error findings share the failure colour */
    assert_true(memcmp(&fail, &(rpp__plot_rgb){ 0 }, sizeof(fail)) != 0);
    {
        rpp__plot_rgb e = rpp__plot_level_rgb(RPP_LEVEL_ERROR);
        assert_true(e.r == fail.r && e.g == fail.g && e.b == fail.b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render__every_report_renders_three_charts),
        cmocka_unit_test(test_render__natural_size_is_the_layouts),
        cmocka_unit_test(test_render__write_phase_where_the_analysis_puts_it),
        cmocka_unit_test(test_render__failure_colour_only_when_something_failed),
        cmocka_unit_test(test_render__svg_and_pdf),
        cmocka_unit_test(test_render__no_events_no_slices),
        cmocka_unit_test(test_render__one_slice),
        cmocka_unit_test(test_render__ten_thousand_events_of_one_type),
        cmocka_unit_test(test_render__twenty_four_hours),
        cmocka_unit_test(test_render__zero_length_session),
        cmocka_unit_test(test_render__all_zero_throughput),
        cmocka_unit_test(test_render__many_types_squeezed),
        cmocka_unit_test(test_render__control_characters_drawn_visibly),
        cmocka_unit_test(test_render__redact_replaces_names),
        cmocka_unit_test(test_render__title_override),
        cmocka_unit_test(test_render__rejects_bad_arguments),
        cmocka_unit_test(test_render__names_round_trip),
        cmocka_unit_test(test_render__draws_inside_the_callers_rectangle),
        cmocka_unit_test(test_render__network_chart_of_a_starved_download),
        cmocka_unit_test(test_render__network_chart_of_a_version_2_report),
        cmocka_unit_test(test_render__connection_and_retry_metadata),
        cmocka_unit_test(test_render__pipeline_totals_are_never_spans),
        cmocka_unit_test(test_render__timeline_lists_pipeline_totals_once),
        cmocka_unit_test(test_plot__nice_steps),
        cmocka_unit_test(test_render__event_names_never_cover_the_series),
        cmocka_unit_test(test_render__charts_span_the_session),
        cmocka_unit_test(test_render__sample_limit_marked_where_samples_stop),
        cmocka_unit_test(test_plot__time_labels),
        cmocka_unit_test(test_plot__guards),
        cmocka_unit_test(test_plot__text_fits_with_ellipsis),
        cmocka_unit_test(test_plot__wrap_never_cuts_a_label),
        cmocka_unit_test(test_plot__palette_tells_things_apart),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    /* drop cairo's and fontconfig's caches so that leak checkers see none */
    rpp_render_cleanup();
    return rc;
}
