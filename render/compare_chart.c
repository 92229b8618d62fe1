/*
 * compare_chart.c - owns the overlay chart of a comparison: the write and
 * the verify throughput of every run over the time since its write began,
 * one colour per run on shared axes (the baseline thicker, a run that did
 * not finish dashed and ending in a cross), a bar panel of each run's phase
 * durations (a run that did not finish hatched: its time is partial) and a
 * legend naming each run by its tag and Imager version. Drawn with the
 * plotting layer in the style of the other charts.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_FONT 17.0        /* as the title block of the other charts */
#define SUB_FONT 12.0
#define PANEL_WRITE 220.0      /* natural height of the write panel */
#define PANEL_VERIFY 160.0
#define PANEL_MIN 50.0
#define PANEL_TITLE 20.0
#define PANEL_GAP 10.0
#define Y_TICKS 4
#define BAR_MAX 12.0           /* thickness of a run's bar */
#define BAR_MIN 3.0
#define BAR_GROUP 72.0         /* the bars of one phase, at most */
#define GROUP_GAP 8.0
#define BAR_LABEL_FONT 9.0
#define LINE_BASE 2.6          /* line width of the baseline */
#define LINE_RUN 1.5

typedef struct cmp_chart {
    cairo_t *cr;
    const rpp_comparison *c;
    const rpp_render_opts *o;
    double w, h;               /* h == 0: lay out only */
    bool paint;
    int status;
    double height;             /* the natural height, from the layout */
    rpp__buf *labels;          /* one legend label per run */
} cmp_chart;

static const rpp_analysis *an(const cmp_chart *cc, size_t k)
{
    return cc->c->runs[k].analysis;
}

/* Where run k's write began on its timeline, or NAN without a write. */
static double origin(const cmp_chart *cc, size_t k)
{
    const rpp_phase_stats *w = &an(cc, k)->phases[RPP_PHASE_WRITE];

    return w->present ? (double)w->first_ms : NAN;
}

/* The longest time since a write began that a write or verify slice of
 * any run reaches. */
static double time_span(const cmp_chart *cc)
{
    double end = 0.0;
    size_t k;

    for (k = 0; k < cc->c->n_runs; k++) {
        const rpp_analysis *a = an(cc, k);
        double t0 = origin(cc, k);
        if (isnan(t0))
            continue;
        end = fmax(end, (double)a->phases[RPP_PHASE_WRITE].last_ms - t0);
        if (a->phases[RPP_PHASE_VERIFY].present)
            end = fmax(end, (double)a->phases[RPP_PHASE_VERIFY].last_ms - t0);
    }
    end = rpp__plot_finite(end, 0.0);
    return end < 1000.0 ? 1000.0 : end;
}

/* The highest slice average of phase p over the runs that wrote (MB/s). */
static double top_of(const cmp_chart *cc, rpp_phase p, bool *any)
{
    double top = 0.0;
    size_t k, i;

    *any = false;
    for (k = 0; k < cc->c->n_runs; k++) {
        const rpp_histogram *h = &an(cc, k)->report->histograms[p];
        if (!an(cc, k)->phases[p].present || isnan(origin(cc, k)))
            continue;
        *any = true;
        for (i = 0; i < h->n_slices; i++)
            top = fmax(top, (double)h->slices[i].avg_kbps / RPP_KBPS_PER_MBPS);
    }
    return rpp__plot_nice_max(top, Y_TICKS);
}

/* ---- lines ---------------------------------------------------------------- */

static void line_style(cmp_chart *cc, size_t k)
{
    static const double dash[] = { 6.0, 3.0 };
    const rpp_compared_run *r = &cc->c->runs[k];

    rpp__plot_set(cc->cr, rpp__plot_series_rgb(k), 1.0);
    cairo_set_line_width(cc->cr, r->baseline ? LINE_BASE : LINE_RUN);
    cairo_set_line_join(cc->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cc->cr, dash, r->finished ? 0 : 2, 0.0);
}

/* A cross where a run that did not finish stops. */
static void end_cross(cairo_t *cr, double x, double y)
{
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_set_line_width(cr, 2.0);
    cairo_move_to(cr, x - 4.0, y - 4.0);
    cairo_line_to(cr, x + 4.0, y + 4.0);
    cairo_move_to(cr, x - 4.0, y + 4.0);
    cairo_line_to(cr, x + 4.0, y - 4.0);
    cairo_stroke(cr);
}

/* Run k's slice averages of phase p as a line, broken where the analysis
 * found gaps and at cycle boundaries. */
static void series(cmp_chart *cc, size_t k, rpp_phase p,
                   const rpp__plot_scale *xs, const rpp__plot_scale *ys)
{
    const rpp_analysis *a = an(cc, k);
    const rpp_slice *sl = a->report->histograms[p].slices;
    const uint64_t *t = a->slice_times[p];
    rpp_render_opts none;
    rpp_chart_ctx ctx;
    rpp_slice_run *runs = NULL;
    double t0 = origin(cc, k), half, x = 0.0, y = 0.0;
    size_t n = 0, i, j;

    if (!a->phases[p].present || isnan(t0) || !t)
        return;
    memset(&ctx, 0, sizeof(ctx));
    memset(&none, 0, sizeof(none));
    ctx.cr = cc->cr;
    ctx.r = a->report;
    ctx.a = a;
    ctx.o = &none;
    if (rpp__chart_slice_runs(&ctx, p, &runs, &n) != RPP_OK) {
        cc->status = RPP_ERR_NOMEM;
        return;
    }
    half = rpp__chart_window_ms(&ctx) / 2.0;
    line_style(cc, k);
    for (i = 0; i < n; i++) {
        size_t b = runs[i].begin, e = runs[i].end;
        if (e - b == 1) {
            /* one slice: a flat line across its window */
            y = rpp__plot_map(ys, (double)sl[b].avg_kbps / RPP_KBPS_PER_MBPS);
            cairo_move_to(cc->cr, rpp__plot_map(xs, (double)t[b] - t0), y);
            x = rpp__plot_map(xs, (double)t[b] - t0 + 2.0 * half);
            cairo_line_to(cc->cr, x, y);
            continue;
        }
        for (j = b; j < e; j++) {
            x = rpp__plot_map(xs, (double)t[j] + half - t0);
            y = rpp__plot_map(ys, (double)sl[j].avg_kbps / RPP_KBPS_PER_MBPS);
            if (j == b)
                cairo_move_to(cc->cr, x, y);
            else
                cairo_line_to(cc->cr, x, y);
        }
    }
    cairo_stroke(cc->cr);
    if (n && !cc->c->runs[k].finished && p == RPP_PHASE_WRITE &&
        !a->phases[RPP_PHASE_VERIFY].present)
        end_cross(cc->cr, x, y);
    free(runs);
}

/* One throughput panel: its title, axes and every run's line. */
static void panel(cmp_chart *cc, rpp_phase p, const rpp_render_rect *body,
                  const rpp__plot_scale *xs, double top)
{
    cairo_t *cr = cc->cr;
    int ticks = (int)rpp__plot_clamp(floor(body->h / 28.0), 1.0, Y_TICKS);
    rpp__plot_scale ys = rpp__plot_scale_make(0.0, top, body->y + body->h,
                                            body->y + 4.0);
    char head[96];
    size_t k;

    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    snprintf(head, sizeof(head), "%s (MB/s)", rpp_phase_name(p));
    rpp__plot_text(cr, RPP_CHART_MARGIN, body->y - PANEL_TITLE / 2.0, head,
                  RPP_PLOT_LEFT, 0.0);
    rpp__plot_time_axis(cr, xs, body->y, body->y + body->h, false, true);
    rpp__plot_value_axis(cr, &ys, body->x, body->x + body->w, ticks);
    cairo_save(cr);
    rpp__plot_rect_path(cr, body->x, body->y, body->w, body->h);
    cairo_clip(cr);
    /* the baseline last, on top */
    for (k = 0; k < cc->c->n_runs; k++)
        if (k != cc->c->baseline)
            series(cc, k, p, xs, &ys);
    series(cc, cc->c->baseline, p, xs, &ys);
    cairo_restore(cr);
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    rpp__plot_rect_path(cr, floor(body->x) + 0.5, floor(body->y) + 0.5,
                       floor(body->w), floor(body->h));
    cairo_stroke(cr);
}

/* ---- bars ------------------------------------------------------------------- */

static bool phase_anywhere(const cmp_chart *cc, int p)
{
    size_t k;

    for (k = 0; k < cc->c->n_runs; k++)
        if (an(cc, k)->phases[p].present)
            return true;
    return false;
}

static double bar_size(const cmp_chart *cc)
{
    return rpp__plot_clamp(BAR_GROUP / (double)cc->c->n_runs, BAR_MIN, BAR_MAX);
}

/* The height of the bar panel without its axis. */
static double bars_height(const cmp_chart *cc)
{
    double h = 0.0;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (phase_anywhere(cc, p))
            h += (double)cc->c->n_runs * (bar_size(cc) + 1.0) + GROUP_GAP;
    return h;
}

/* Each run's active time per phase as a horizontal bar in its colour,
 * grouped by phase; returns the y below the bars. */
static double bars(cmp_chart *cc, double x0, double x1, double y)
{
    cairo_t *cr = cc->cr;
    double top = 0.0, bs = bar_size(cc), y0 = y;
    rpp__plot_scale xs;
    size_t k;
    int p;

    for (k = 0; k < cc->c->n_runs; k++)
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            if (an(cc, k)->phases[p].present)
                top = fmax(top, (double)an(cc, k)->phases[p].active_ms);
    top = top < 1000.0 ? 1000.0 : top;
    xs = rpp__plot_scale_make(0.0, top * 1.02, x0, x1);
    rpp__plot_time_axis(cr, &xs, y, y + bars_height(cc), false, true);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        double gy = y;
        if (!phase_anywhere(cc, p))
            continue;
        for (k = 0; k < cc->c->n_runs; k++) {
            const rpp_phase_stats *ps = &an(cc, k)->phases[p];
            double bx1;
            char d[48];
            y += k ? bs + 1.0 : 0.0;
            if (!ps->present)
                continue;
            bx1 = rpp__plot_map(&xs, (double)ps->active_ms);
            rpp__plot_set(cr, rpp__plot_series_rgb(k),
                          cc->c->runs[k].finished ? 1.0 : 0.45);
            rpp__plot_fill_rect(cr, x0, y, fmax(bx1 - x0, 1.0), bs);
            if (!cc->c->runs[k].finished && bx1 - x0 >= 5.0) {
                cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.8);
                rpp__plot_hatch(cr, x0, y, bx1 - x0, bs, 5.0, 1.2);
            }
            if (bs >= BAR_LABEL_FONT) {
                rpp__plot_font(cr, BAR_LABEL_FONT, false);
                rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
                rpp_human_duration(d, sizeof(d), (double)ps->active_ms);
                rpp__plot_text(cr, bx1 + 4.0, y + bs / 2.0, d, RPP_PLOT_LEFT,
                              0.0);
            }
        }
        y += bs + 1.0;
        rpp__plot_font(cr, 11.0, true);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_phase_rgb((rpp_phase)p),
                                           0.25),
                      1.0);
        rpp__plot_text(cr, x0 - 6.0, gy + (y - gy) / 2.0,
                      rpp_phase_name((rpp_phase)p), RPP_PLOT_RIGHT, 0.0);
        y += GROUP_GAP;
    }
    rpp__plot_time_axis(cr, &xs, y0, y, true, false);
    return y;
}

/* ---- header and legend ------------------------------------------------------ */

static double header(cmp_chart *cc)
{
    cairo_t *cr = cc->cr;
    const rpp_comparison *c = cc->c;
    char title[160], sub[320];

    if (!cc->paint)
        return RPP_CHART_MARGIN + 48.0;
    snprintf(title, sizeof(title), "%s",
             cc->o->title ? cc->o->title : "Comparison of the runs");
    rpp__plot_font(cr, TITLE_FONT, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    rpp__plot_text(cr, RPP_CHART_MARGIN, RPP_CHART_MARGIN + 10.0,
                  cc->o->title ? cc->o->title : title, RPP_PLOT_LEFT,
                  cc->w - 2.0 * RPP_CHART_MARGIN);
    snprintf(sub, sizeof(sub),
             "%zu runs \xc2\xb7 throughput since each write began \xc2\xb7 "
             "phase durations \xc2\xb7 baseline ",
             c->n_runs);
    rpp__plot_font(cr, SUB_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    {
        rpp__buf b = RPP__BUF_INIT;
        rpp__buf_puts(&b, sub);
        rpp__buf_puts(&b, c->runs[c->baseline].tag);
        if (b.ptr)
            rpp__plot_text(cr, RPP_CHART_MARGIN, RPP_CHART_MARGIN + 32.0,
                          b.ptr, RPP_PLOT_LEFT,
                          cc->w - 2.0 * RPP_CHART_MARGIN);
        if (b.oom)
            cc->status = RPP_ERR_NOMEM;
        rpp__buf_free(&b);
    }
    return RPP_CHART_MARGIN + 48.0;
}

/* "tag · 2.0.3 (baseline)", "tag (cancelled)". */
static int legend_items(cmp_chart *cc, rpp__plot_legend_item *items)
{
    const rpp_comparison *c = cc->c;
    size_t k;

    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        const rpp_system *s = &r->analysis->report->system;
        rpp__buf *b = &cc->labels[k];
        rpp__buf_puts(b, r->tag);
        if (s->present && s->has_imager && *s->imager.version) {
            rpp__buf_puts(b, " \xc2\xb7 ");
            rpp__buf_puts(b, s->imager.version);
        }
        if (r->baseline || !r->finished) {
            const char *st = rpp_session_state_name(r->analysis->session.state);
            rpp__buf_puts(b, r->baseline ? " (baseline" : " (");
            if (!r->finished)
                rpp__buf_puts(b, r->baseline ? ", " : "");
            /* the state in words: "never started", not "never_started" */
            for (; !r->finished && *st; st++)
                rpp__buf_putc(b, *st == '_' ? ' ' : *st);
            rpp__buf_putc(b, ')');
        }
        if (b->oom || !b->ptr)
            return RPP_ERR_NOMEM;
        items[k].label = b->ptr;
        items[k].rgb = rpp__plot_series_rgb(k);
        items[k].swatch = r->finished ? RPP_PLOT_SW_LINE : RPP_PLOT_SW_DASHED;
    }
    return RPP_OK;
}

/* ---- the chart ---------------------------------------------------------------- */

static void draw(cmp_chart *cc)
{
    const rpp_comparison *c = cc->c;
    cairo_t *cr = cc->cr;
    rpp__plot_legend_item *legend = calloc(c->n_runs, sizeof(*legend));
    bool has_write, has_verify;
    double top_w = top_of(cc, RPP_PHASE_WRITE, &has_write);
    double top_v = top_of(cc, RPP_PHASE_VERIFY, &has_verify);
    double y, px0, px1, legend_h, axis_h, bars_h, hw, hv, yw;
    double fixed, avail;
    rpp__plot_scale xs;
    rpp_render_rect body;
    char unit[64];

    if (!legend || legend_items(cc, legend) != RPP_OK) {
        cc->status = RPP_ERR_NOMEM;
        free(legend);
        return;
    }
    y = header(cc) + 6.0;
    yw = fmax(rpp__plot_value_axis_width(cr, top_w, Y_TICKS),
              rpp__plot_value_axis_width(cr, top_v, Y_TICKS));
    rpp__plot_font(cr, 11.0, true);
    px0 = RPP_CHART_MARGIN + fmax(fmax(yw, 30.0),
                                  rpp__plot_text_width(cr, "decompress") + 8.0) +
          6.0;
    px1 = cc->w - RPP_CHART_MARGIN - 70.0;
    legend_h = rpp__plot_legend(cr, RPP_CHART_MARGIN, 0.0,
                                cc->w - 2.0 * RPP_CHART_MARGIN, legend,
                                c->n_runs, false);
    axis_h = rpp__plot_time_axis_height(cr) + 16.0;
    bars_h = bars_height(cc);
    hw = has_write ? PANEL_WRITE : 0.0;
    hv = has_verify ? PANEL_VERIFY : 0.0;
    fixed = (has_write ? PANEL_TITLE + PANEL_GAP : 0.0) +
            (has_verify ? PANEL_TITLE + PANEL_GAP : 0.0) + axis_h +
            PANEL_TITLE + bars_h + axis_h + legend_h + RPP_CHART_MARGIN;
    if (!has_write)
        hw = PANEL_WRITE;      /* the "no data" area */
    if (cc->h <= 0.0) {
        cc->height = y + hw + hv + fixed;
        free(legend);
        return;
    }
    /* a fixed height: the throughput panels take what is left */
    avail = cc->h - y - fixed;
    if (hw + hv > 0.0 && avail > 0.0) {
        double k = avail / (hw + hv);
        hw = fmax(hw * k, PANEL_MIN);
        hv = has_verify ? fmax(hv * k, PANEL_MIN) : 0.0;
    }
    xs = rpp__plot_scale_make(0.0, time_span(cc), px0, px1);
    if (!has_write) {
        rpp_render_rect area = { RPP_CHART_MARGIN, y,
                                 cc->w - 2.0 * RPP_CHART_MARGIN, hw };
        rpp__plot_no_data(cr, &area, "No write throughput in any run",
                         "None of the reports has write samples: no run got "
                         "as far as writing.");
        y += hw + PANEL_GAP;
    } else {
        body.x = px0;
        body.w = px1 - px0;
        body.y = y + PANEL_TITLE;
        body.h = hw;
        panel(cc, RPP_PHASE_WRITE, &body, &xs, top_w);
        y = body.y + body.h + PANEL_GAP;
        if (has_verify) {
            body.y = y + PANEL_TITLE;
            body.h = hv;
            panel(cc, RPP_PHASE_VERIFY, &body, &xs, top_v);
            y = body.y + body.h + PANEL_GAP;
        }
        y -= PANEL_GAP;
        rpp__plot_time_axis(cr, &xs, y, y, true, false);
        snprintf(unit, sizeof(unit), "time since the write began (%s)",
                 rpp__plot_time_unit(xs.v1 - xs.v0));
        rpp__plot_font(cr, 11.0, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, px1, y + rpp__plot_time_axis_height(cr) + 7.0,
                      unit, RPP_PLOT_RIGHT, 0.0);
        y += axis_h;
    }
    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    rpp__plot_text(cr, RPP_CHART_MARGIN, y + PANEL_TITLE / 2.0,
                  "Phase durations (active time; hatched: the run did not "
                  "finish)",
                  RPP_PLOT_LEFT, cc->w - 2.0 * RPP_CHART_MARGIN);
    y = bars(cc, px0, px1, y + PANEL_TITLE);
    y += axis_h;
    rpp__plot_legend(cr, RPP_CHART_MARGIN, y, cc->w - 2.0 * RPP_CHART_MARGIN,
                     legend, c->n_runs, true);
    free(legend);
}

/* Lays the chart out (h == 0) or draws it. */
static int run(cairo_t *cr, const rpp_comparison *c, const rpp_render_opts *o,
               double w, double h, double *height)
{
    static const rpp_render_opts defaults = RPP_RENDER_OPTS_INIT;
    cmp_chart cc = { .cr = cr, .c = c, .o = o ? o : &defaults, .w = w,
                     .h = h, .paint = h > 0.0 };
    size_t k;

    cc.labels = calloc(c->n_runs, sizeof(*cc.labels));
    if (!cc.labels)
        return RPP_ERR_NOMEM;
    rpp__render_begin(cr, cc.paint, w, h);
    draw(&cc);
    cairo_restore(cr);
    for (k = 0; k < c->n_runs; k++)
        rpp__buf_free(&cc.labels[k]);
    free(cc.labels);
    if (height)
        *height = cc.height;
    if (cc.status == RPP_OK && cairo_status(cr) == CAIRO_STATUS_NO_MEMORY)
        cc.status = RPP_ERR_NOMEM;
    return cc.status;
}

typedef struct job {
    const rpp_comparison *c;
    const rpp_render_opts *o;
    double w, h;
} job;

static int draw_job(cairo_t *cr, void *ctx)
{
    const job *j = ctx;

    return run(cr, j->c, j->o, j->w, j->h, NULL);
}

int rpp_render_compare_chart(const rpp_comparison *c,
                             const rpp_render_opts *opts, unsigned char **out,
                             size_t *len)
{
    rpp_image_format f = opts ? opts->format : RPP_IMAGE_PNG;
    cairo_surface_t *s;
    cairo_t *cr;
    double natural = 0.0;
    job j;
    int st;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!out || !len || !c || c->n_runs == 0 || !c->runs)
        return RPP_ERR_ARG;
    if ((opts && opts->version > RPP_RENDER_OPTS_VERSION) ||
        (f != RPP_IMAGE_PNG && f != RPP_IMAGE_SVG && f != RPP_IMAGE_PDF))
        return RPP_ERR_ARG;
    j.c = c;
    j.o = opts;
    j.w = opts && opts->width ? (double)opts->width : RPP_RENDER_DEFAULT_WIDTH;
    j.h = opts && opts->height ? (double)opts->height : 0.0;
    if (j.w < RPP_RENDER_MIN_SIZE || j.w > RPP_RENDER_MAX_SIZE ||
        (j.h != 0.0 && (j.h < RPP_RENDER_MIN_SIZE || j.h > RPP_RENDER_MAX_SIZE)))
        return RPP_ERR_ARG;
    if (j.h == 0.0) {
        /* the natural height, measured on a scratch surface */
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
        cr = cairo_create(s);
        st = cairo_status(cr) == CAIRO_STATUS_SUCCESS
                 ? run(cr, c, opts, j.w, 0.0, &natural)
                 : RPP_ERR_NOMEM;
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        if (st != RPP_OK)
            return st;
        j.h = rpp__plot_clamp(ceil(natural), RPP_RENDER_MIN_SIZE,
                              RPP_RENDER_MAX_SIZE);
    }
    return rpp__render_encode(f, j.w, j.h, draw_job, &j, out, len);
}
