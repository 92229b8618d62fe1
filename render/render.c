/*
 * render.c - the public entry points of render.h: argument checks, the
 * surfaces for PNG, SVG and PDF, the two-pass layout (natural height, then
 * drawing), the dispatch to the three charts, and how every chart starts
 * drawing (fonts, clip, background; rpp__render_begin).
 */
#include "chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

static const char *const chart_names[RPP_CHART_COUNT] = {
    [RPP_CHART_TIMELINE] = "timeline",
    [RPP_CHART_THROUGHPUT] = "throughput",
    [RPP_CHART_NETWORK] = "network",
};

static const char *const format_names[] = {
    [RPP_IMAGE_PNG] = "png",
    [RPP_IMAGE_SVG] = "svg",
    [RPP_IMAGE_PDF] = "pdf",
};
#define FORMAT_COUNT (sizeof(format_names) / sizeof(format_names[0]))

const char *rpp_chart_name(rpp_chart kind)
{
    if ((int)kind < 0 || (int)kind >= RPP_CHART_COUNT)
        return "";
    return chart_names[kind];
}

bool rpp_chart_parse(const char *s, rpp_chart *out)
{
    int i;

    for (i = 0; s && i < RPP_CHART_COUNT; i++) {
        if (strcmp(s, chart_names[i]) == 0) {
            *out = (rpp_chart)i;
            return true;
        }
    }
    return false;
}

const char *rpp_image_format_name(rpp_image_format f)
{
    if ((size_t)f >= FORMAT_COUNT)
        return "";
    return format_names[f];
}

bool rpp_image_format_parse(const char *s, rpp_image_format *out)
{
    size_t i;

    for (i = 0; s && i < FORMAT_COUNT; i++) {
        if (strcmp(s, format_names[i]) == 0) {
            *out = (rpp_image_format)i;
            return true;
        }
    }
    return false;
}

/* ---- Drawing ------------------------------------------------------------ */

static int check_args(const rpp_report *r, const rpp_analysis *a,
                      rpp_chart kind)
{
    if (!r || !a || a->report != r)
        return RPP_ERR_ARG;
    if ((int)kind < 0 || (int)kind >= RPP_CHART_COUNT)
        return RPP_ERR_ARG;
    return RPP_OK;
}

void rpp__render_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();

    /* no hinting: glyph positions do not depend on the machine's settings */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void rpp__render_begin(cairo_t *cr, bool paint, double w, double h)
{
    cairo_save(cr);
    rpp__render_font_options(cr);
    if (paint) {
        cairo_rectangle(cr, 0, 0, w, h);
        cairo_clip(cr);
        rpp__plot_set_named(cr, RPP_PLOT_BACKGROUND, 1.0);
        cairo_paint(cr);
    }
}

static void dispatch(rpp_chart_ctx *c, rpp_chart kind)
{
    switch (kind) {
    case RPP_CHART_TIMELINE: rpp__chart_timeline(c); break;
    case RPP_CHART_THROUGHPUT: rpp__chart_throughput(c); break;
    case RPP_CHART_NETWORK: rpp__chart_network(c); break;
    }
}

/* Runs a chart on cr: lays it out when h == 0, else draws it (when paint)
 * in (0, 0, w, h). */
static int run_chart(cairo_t *cr, const rpp_report *r, const rpp_analysis *a,
                     rpp_chart kind, double w, double h,
                     const rpp_render_opts *o, bool paint,
                     rpp_chart_layout *layout, rpp__chart_items *items)
{
    static const rpp_render_opts defaults = RPP_RENDER_OPTS_INIT;
    rpp_chart_ctx c;
    int st;

    memset(layout, 0, sizeof(*layout));
    if (o && o->version > RPP_RENDER_OPTS_VERSION)
        return RPP_ERR_ARG;
    if (!o)
        o = &defaults;
    memset(&c, 0, sizeof(c));
    c.cr = cr;
    c.r = r;
    c.a = a;
    c.o = o;
    c.w = w;
    c.h = h;
    c.paint = paint && h > 0.0;
    c.layout = layout;
    c.items = items;
    c.status = RPP_OK;
    layout->width = w;
    layout->height = h;
    layout->t1_ms = 1.0;
    if (o->redact && o->redactor)
        c.rd = o->redactor;  /* shared with other outputs: same names */
    else if (o->redact && (st = rpp_redactor_new(&c.rd)) != RPP_OK)
        return st;
    rpp__render_begin(cr, c.paint, w, h);
    dispatch(&c, kind);
    cairo_restore(cr);
    if (c.rd != o->redactor)
        rpp_redactor_free(c.rd);
    if (c.status == RPP_OK && cairo_status(cr) == CAIRO_STATUS_NO_MEMORY)
        c.status = RPP_ERR_NOMEM;
    return c.status;
}

/* Measures on a scratch surface: the natural height, or the layout. */
static int measure(const rpp_report *r, const rpp_analysis *a, rpp_chart kind,
                   double w, double h, const rpp_render_opts *o,
                   rpp_chart_layout *layout)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    int st = RPP_ERR_NOMEM;

    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS)
        st = run_chart(cr, r, a, kind, w, h, o, false, layout, NULL);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return st;
}

static bool size_ok(double v)
{
    return v >= RPP_RENDER_MIN_SIZE && v <= RPP_RENDER_MAX_SIZE;
}

/* The width and height a chart gets with opts. */
static int chart_size(const rpp_report *r, const rpp_analysis *a,
                      rpp_chart kind, const rpp_render_opts *o, double *w,
                      double *h)
{
    rpp_chart_layout lay;
    int st;

    *w = o && o->width ? (double)o->width : RPP_RENDER_DEFAULT_WIDTH;
    *h = o && o->height ? (double)o->height : 0.0;
    if (!size_ok(*w) || (*h != 0.0 && !size_ok(*h)))
        return RPP_ERR_ARG;
    if (*h == 0.0) {
        if ((st = measure(r, a, kind, *w, 0.0, o, &lay)) != RPP_OK)
            return st;
        *h = rpp__plot_clamp(lay.height, RPP_RENDER_MIN_SIZE,
                            RPP_RENDER_MAX_SIZE);
    }
    return RPP_OK;
}

int rpp_render_layout(const rpp_report *r, const rpp_analysis *a,
                      rpp_chart kind, const rpp_render_opts *opts,
                      rpp_chart_layout *out)
{
    double w, h;
    int st;

    memset(out, 0, sizeof(*out));
    if ((st = check_args(r, a, kind)) != RPP_OK)
        return st;
    if (opts && ((size_t)opts->format >= FORMAT_COUNT ||
                 opts->version > RPP_RENDER_OPTS_VERSION))
        return RPP_ERR_ARG;
    if ((st = chart_size(r, a, kind, opts, &w, &h)) != RPP_OK)
        return st;
    st = measure(r, a, kind, w, h, opts, out);
    if (st != RPP_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

int rpp_render_draw(cairo_t *cr, const rpp_report *r, const rpp_analysis *a,
                    rpp_chart kind, double width, double height,
                    const rpp_render_opts *opts)
{
    rpp_chart_layout lay;

    if (!cr || check_args(r, a, kind) != RPP_OK)
        return RPP_ERR_ARG;
    if (!(width >= 1.0 && height >= 1.0 && width <= RPP_PLOT_COORD_LIMIT &&
          height <= RPP_PLOT_COORD_LIMIT))
        return RPP_ERR_ARG;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return RPP_ERR_ARG;
    return run_chart(cr, r, a, kind, width, height, opts, true, &lay, NULL);
}

int rpp__render_items(const rpp_report *r, const rpp_analysis *a,
                     rpp_chart kind, const rpp_render_opts *opts,
                     rpp__chart_items *out)
{
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    rpp_chart_layout lay;
    double w, h;
    int st;

    memset(out, 0, sizeof(*out));
    if ((st = check_args(r, a, kind)) != RPP_OK)
        return st;
    if (opts && opts->version > RPP_RENDER_OPTS_VERSION)
        return RPP_ERR_ARG;
    if ((st = chart_size(r, a, kind, opts, &w, &h)) != RPP_OK)
        return st;
    /* everything is painted, onto one pixel: the positions are what a
     * full-size drawing gets */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cr = cairo_create(s);
    st = RPP_ERR_NOMEM;
    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS)
        st = run_chart(cr, r, a, kind, w, h, opts, true, &lay, out);
    if (st == RPP_OK && out->oom)
        st = RPP_ERR_NOMEM;
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (st != RPP_OK)
        rpp__chart_items_free(out);
    return st;
}

/* ---- Encoding ----------------------------------------------------------- */

static cairo_status_t write_buf(void *closure, const unsigned char *data,
                                unsigned int length)
{
    rpp__buf *b = closure;

    rpp__buf_put(b, (const char *)data, length);
    return b->oom ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *make_surface(rpp_image_format f, double w, double h,
                                     rpp__buf *b)
{
    cairo_surface_t *s = NULL;

    switch (f) {
    case RPP_IMAGE_PNG:
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
        break;
    case RPP_IMAGE_SVG:
        s = cairo_svg_surface_create_for_stream(write_buf, b, w, h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
        break;
    case RPP_IMAGE_PDF:
        s = cairo_pdf_surface_create_for_stream(write_buf, b, w, h);
        break;
    }
    return s;
}

int rpp__render_encode(rpp_image_format f, double w, double h,
                       int (*draw)(cairo_t *cr, void *ctx), void *ctx,
                       unsigned char **out, size_t *len)
{
    rpp__buf b = RPP__BUF_INIT;
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    int st = RPP_ERR_NOMEM;

    *out = NULL;
    *len = 0;
    s = make_surface(f, w, h, &b);
    if (!s || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        goto cleanup;
    cr = cairo_create(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto cleanup;
    if ((st = draw(cr, ctx)) != RPP_OK)
        goto cleanup;
    st = RPP_ERR_NOMEM;
    cairo_destroy(cr);
    cr = NULL;
    if (f == RPP_IMAGE_PNG) {
        if ((st = rpp__chart_encode_png(s, &b)) != RPP_OK)
            goto cleanup;
        st = RPP_ERR_NOMEM;
    } else {
        cairo_surface_finish(s);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
            goto cleanup;
    }
    if (b.oom || !b.ptr)
        goto cleanup;
    *len = b.len;
    *out = (unsigned char *)rpp__buf_detach(&b);
    st = RPP_OK;

cleanup:
    if (cr)
        cairo_destroy(cr);
    if (s)
        cairo_surface_destroy(s);
    rpp__buf_free(&b);
    return st;
}

/* One chart to draw through rpp__render_encode. */
typedef struct chart_job {
    const rpp_report *r;
    const rpp_analysis *a;
    rpp_chart kind;
    double w, h;
    const rpp_render_opts *opts;
} chart_job;

static int draw_job(cairo_t *cr, void *ctx)
{
    const chart_job *j = ctx;
    rpp_chart_layout lay;

    return run_chart(cr, j->r, j->a, j->kind, j->w, j->h, j->opts, true,
                     &lay, NULL);
}

int rpp_render_chart(const rpp_report *r, const rpp_analysis *a,
                     rpp_chart kind, const rpp_render_opts *opts,
                     unsigned char **out, size_t *len)
{
    rpp_image_format f = opts ? opts->format : RPP_IMAGE_PNG;
    chart_job job;
    int st;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!out || !len || check_args(r, a, kind) != RPP_OK)
        return RPP_ERR_ARG;
    if ((size_t)f >= FORMAT_COUNT ||
        (opts && opts->version > RPP_RENDER_OPTS_VERSION))
        return RPP_ERR_ARG;
    job.r = r;
    job.a = a;
    job.kind = kind;
    job.opts = opts;
    if ((st = chart_size(r, a, kind, opts, &job.w, &job.h)) != RPP_OK)
        return st;
    return rpp__render_encode(f, job.w, job.h, draw_job, &job, out, len);
}

void rpp_render_cleanup(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
