/*
 * network.c - the network chart: the network and cache events on a time
 * axis (one row per type, in order of first occurrence), and below it the
 * throughput of each transfer event (bytes / duration, from the analysis)
 * as labelled horizontal bars.
 */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_FONT 11.0
#define SECTION_TITLE 22.0
#define ROW_NATURAL 20.0
#define BAR_NATURAL 18.0
#define ROW_MIN 10.0
#define ROW_MAX 24.0
#define EMPTY_NATURAL 70.0
#define SECTION_GAP 18.0
#define X_TICKS 6

typedef struct network {
    rpp_chart_ctx *c;
    size_t *rows;              /* event -> a->types index */
    size_t *type_row;          /* a->types index -> row, SIZE_MAX */
    size_t n_rows;             /* event-type rows drawn */
    size_t n_rows_all;
    size_t *bars;              /* indices into context.transfers drawn */
    size_t n_bars, n_bars_all;
    double rh, bh;
    double label_w;
    double t0, t1;
} network;

static bool is_transfer_shown(const rpp_chart_ctx *c, size_t k)
{
    size_t i = c->a->context.transfers[k];

    if (i >= c->r->n_events)
        return false;
    /* cycleStart carries the image size with no duration: not a transfer */
    return rpp_event_type_category(c->r->events[i].type) != RPP_CAT_CYCLE;
}

/* Decides which type rows and transfer bars there are. */
static bool collect(network *nw)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_analysis *a = c->a;
    const rpp_context *ctx = &a->context;
    size_t i, k;
    bool any = false;

    if (rpp__chart_type_rows(c, &nw->rows) != RPP_OK)
        return false;
    nw->type_row = calloc(a->n_types ? a->n_types : 1, sizeof(size_t));
    nw->bars = calloc(ctx->n_transfers ? ctx->n_transfers : 1, sizeof(size_t));
    if (!nw->type_row || !nw->bars)
        return false;
    for (k = 0; k < a->n_types; k++)
        nw->type_row[k] = SIZE_MAX;
    /* mark the types of the network events; rows in a->types order */
    for (i = 0; i < ctx->n_network; i++) {
        size_t e = ctx->network[i];
        if (e < c->r->n_events && nw->rows[e] != SIZE_MAX)
            nw->type_row[nw->rows[e]] = SIZE_MAX - 1;
    }
    for (k = 0; k < a->n_types; k++)
        if (nw->type_row[k] == SIZE_MAX - 1)
            nw->type_row[k] = nw->n_rows_all++;
    for (k = 0; k < ctx->n_transfers; k++)
        if (is_transfer_shown(c, k))
            nw->bars[nw->n_bars_all++] = k;
    /* the time range of the network events */
    nw->t0 = 0.0;
    nw->t1 = 0.0;
    for (i = 0; i < ctx->n_network; i++) {
        size_t e = ctx->network[i];
        double s, en;

        if (e >= c->r->n_events)
            continue;
        s = rpp__chart_event_start(c, e);
        en = rpp__chart_event_end(c, e);
        if (!any || s < nw->t0)
            nw->t0 = s;
        if (!any || en > nw->t1)
            nw->t1 = en;
        any = true;
    }
    if (!(nw->t1 - nw->t0 >= 1000.0))
        nw->t1 = nw->t0 + 1000.0;
    return true;
}

static void transfer_label(const network *nw, size_t k, rpp__buf *b)
{
    const rpp_chart_ctx *c = nw->c;
    const rpp_event *e = &c->r->events[c->a->context.transfers[k]];
    char size[32], dur[32];

    rpp__plot_bytes(size, sizeof(size), (double)e->bytes_transferred);
    rpp__plot_duration(dur, sizeof(dur), (double)e->duration_ms);
    rpp__buf_printf(b, "%s \xc2\xb7 %s in %s", e->type_name ? e->type_name : "?",
                   size, dur);
}

static double label_width(network *nw)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT;
    double w = 80.0;
    size_t k;

    cairo_save(cr);
    rpp__plot_font(cr, LABEL_FONT, false);
    for (k = 0; k < c->a->n_types; k++)
        if (nw->type_row[k] != SIZE_MAX && c->a->types[k].name)
            w = fmax(w, rpp__plot_text_width(cr, c->a->types[k].name) + 44.0);
    for (k = 0; k < nw->n_bars_all && k < 200; k++) {
        b.len = 0;
        transfer_label(nw, nw->bars[k], &b);
        if (b.ptr && !b.oom)
            w = fmax(w, rpp__plot_text_width(cr, b.ptr) + 16.0);
    }
    rpp__buf_free(&b);
    cairo_restore(cr);
    return rpp__plot_clamp(w, 80.0, c->w * 0.36);
}

static void section_title(cairo_t *cr, double y, const char *s)
{
    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    rpp__plot_text(cr, RPP_CHART_MARGIN, y + SECTION_TITLE / 2.0, s,
                  RPP_PLOT_LEFT, 0.0);
}

static void more_note(cairo_t *cr, double x, double y, size_t n,
                      const char *what)
{
    char buf[96];

    snprintf(buf, sizeof(buf), "+ %zu more %s not shown", n, what);
    rpp__plot_font(cr, LABEL_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    rpp__plot_text(cr, x, y, buf, RPP_PLOT_LEFT, 0.0);
}

static void draw_event_rows(network *nw, const rpp_render_rect *area,
                            const rpp__plot_scale *xs)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_analysis *a = c->a;
    cairo_t *cr = c->cr;
    double inset = nw->rh >= 12.0 ? 3.0 : 1.0;
    size_t i, k;

    for (k = 0; k < a->n_types; k++) {
        size_t r = nw->type_row[k];
        double y = area->y + (double)r * nw->rh;
        char cnt[32];

        if (r == SIZE_MAX || r >= nw->n_rows)
            continue;
        if (r % 2 == 1) {
            rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
            rpp__plot_fill_rect(cr, RPP_CHART_MARGIN, y,
                               area->x + area->w - RPP_CHART_MARGIN, nw->rh);
        }
        rpp__plot_font(cr, rpp__plot_clamp(nw->rh - 2.0, 7.0, LABEL_FONT),
                      false);
        snprintf(cnt, sizeof(cnt), "\xc3\x97%llu",
                 (unsigned long long)a->types[k].count);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, area->x - 8.0, y + nw->rh / 2.0, cnt,
                      RPP_PLOT_RIGHT, 0.0);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                             a->types[k].category), 0.35), 1.0);
        rpp__plot_text(cr, RPP_CHART_MARGIN, y + nw->rh / 2.0,
                      a->types[k].name, RPP_PLOT_LEFT,
                      area->x - RPP_CHART_MARGIN - 48.0);
    }
    rpp__plot_time_axis(cr, xs, area->y, area->y + area->h, true, true);
    cairo_save(cr);
    rpp__plot_rect_path(cr, area->x - RPP_PLOT_MIN_BAR, area->y,
                       area->w + 2.0 * RPP_PLOT_MIN_BAR, area->h);
    cairo_clip(cr);
    for (i = 0; i < a->context.n_network; i++) {
        size_t e = a->context.network[i], r;
        double x0, x1;

        if (e >= c->r->n_events || nw->rows[e] == SIZE_MAX)
            continue;
        r = nw->type_row[nw->rows[e]];
        if (r == SIZE_MAX || r >= nw->n_rows)
            continue;
        x0 = rpp__plot_map(xs, rpp__chart_event_start(c, e));
        x1 = rpp__plot_map(xs, rpp__chart_event_end(c, e));
        rpp__plot_event_bar(cr, x0, area->y + (double)r * nw->rh + inset,
                           x1 - x0, nw->rh - 2.0 * inset,
                           rpp__plot_category_rgb(a->types[nw->rows[e]].category),
                           !c->r->events[e].success,
                           rpp__chart_event_uncertain(c, e));
    }
    cairo_restore(cr);
}

static void draw_bars(network *nw, const rpp_render_rect *area,
                      const rpp__plot_scale *vs)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_context *ctx = &c->a->context;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT;
    double inset = nw->bh >= 12.0 ? 3.0 : 1.0;
    char val[32];
    size_t j;

    rpp__plot_hvalue_axis(cr, vs, area->y, area->y + area->h, X_TICKS,
                         "MB/s");
    for (j = 0; j < nw->n_bars; j++) {
        size_t k = nw->bars[j], e = ctx->transfers[k];
        double y = area->y + (double)j * nw->bh, x1, kbps, vw;
        bool ok = c->r->events[e].success;

        kbps = rpp__plot_clamp(rpp__plot_finite(ctx->transfer_kbps[k], 0.0),
                              0.0, 1e15);
        b.len = 0;
        transfer_label(nw, k, &b);
        rpp__plot_font(cr, rpp__plot_clamp(nw->bh - 2.0, 7.0, LABEL_FONT),
                      false);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                             rpp_event_type_category(c->r->events[e].type)),
                                         0.35),
                     1.0);
        if (b.ptr)
            rpp__plot_text(cr, RPP_CHART_MARGIN, y + nw->bh / 2.0, b.ptr,
                          RPP_PLOT_LEFT, area->x - RPP_CHART_MARGIN - 8.0);
        x1 = rpp__plot_map(vs, kbps / 1024.0);
        rpp__plot_event_bar(cr, area->x, y + inset, x1 - area->x,
                           nw->bh - 2.0 * inset,
                           rpp__plot_category_rgb(
                               rpp_event_type_category(c->r->events[e].type)),
                           !ok, false);
        if (c->r->events[e].duration_ms == 0)
            snprintf(val, sizeof(val), "no duration");
        else
            rpp__plot_mbps(val, sizeof(val), kbps);
        vw = rpp__plot_text_width(cr, val);
        rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        if (x1 + 4.0 + vw <= area->x + area->w)
            rpp__plot_text(cr, fmax(x1, area->x + RPP_PLOT_MIN_BAR) + 4.0,
                          y + nw->bh / 2.0, val, RPP_PLOT_LEFT, 0.0);
        else
            rpp__plot_text(cr, x1 - 4.0, y + nw->bh / 2.0, val, RPP_PLOT_RIGHT,
                          0.0);
    }
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

static size_t build_legend(const network *nw, rpp__plot_legend_item *items,
                           size_t max)
{
    const rpp_chart_ctx *c = nw->c;
    const rpp_context *ctx = &c->a->context;
    bool cats[RPP_CAT_COUNT] = { false }, failed = false, uncertain = false;
    size_t n = 0, i;
    int cat;

    for (i = 0; i < ctx->n_network; i++) {
        size_t e = ctx->network[i];
        if (e >= c->r->n_events)
            continue;
        cats[rpp_event_type_category(c->r->events[e].type)] = true;
        failed = failed || !c->r->events[e].success;
        uncertain = uncertain || rpp__chart_event_uncertain(c, e);
    }
    for (i = 0; i < nw->n_bars_all; i++) {
        size_t e = ctx->transfers[nw->bars[i]];
        cats[rpp_event_type_category(c->r->events[e].type)] = true;
        failed = failed || !c->r->events[e].success;
    }
    for (cat = 0; cat < RPP_CAT_COUNT && n < max; cat++) {
        if (!cats[cat])
            continue;
        items[n].label = rpp_category_title((rpp_category)cat);
        items[n].rgb = rpp__plot_category_rgb((rpp_category)cat);
        items[n++].swatch = RPP_PLOT_SW_FILL;
    }
    if (failed && n < max) {
        items[n].label = "failed";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_FAILURE);
        items[n++].swatch = RPP_PLOT_SW_FAILED;
    }
    if (uncertain && n < max) {
        items[n].label = "outside a session (time uncertain)";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_GAP);
        items[n++].swatch = RPP_PLOT_SW_UNCERTAIN;
    }
    return n;
}

void rpp__chart_network(rpp_chart_ctx *c)
{
    const rpp_context *ctx = &c->a->context;
    cairo_t *cr = c->cr;
    rpp__plot_legend_item legend[RPP_CAT_COUNT + 4];
    rpp_render_rect ev_area, bar_area;
    rpp__plot_scale xs, vs;
    network nw;
    size_t n_legend, j;
    double y, legend_h, axis_h, ev_axis, bar_axis, px0, px1, avail, ev_h,
        bar_h, vmax = 0.0;
    double units;

    memset(&nw, 0, sizeof(nw));
    nw.c = c;
    y = rpp__chart_header(c, "Network");
    if (!collect(&nw)) {
        c->status = RPP_ERR_NOMEM;
        goto cleanup;
    }
    nw.label_w = label_width(&nw);
    n_legend = build_legend(&nw, legend, sizeof(legend) / sizeof(legend[0]));
    legend_h = rpp__plot_legend(cr, RPP_CHART_MARGIN, 0.0,
                               c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend,
                               false);
    axis_h = rpp__plot_time_axis_height(cr) + 16.0;
    /* a section with nothing to draw has a message and no axis */
    ev_axis = nw.n_rows_all ? axis_h : 8.0;
    bar_axis = nw.n_bars_all ? axis_h : 8.0;
    px0 = RPP_CHART_MARGIN + nw.label_w;
    px1 = c->w - RPP_CHART_MARGIN - 8.0;
    y += 4.0;
    /* rows and bars: their natural height, or what a fixed height leaves
     * after the section titles, the axes and the legend */
    if (c->h <= 0.0) {
        nw.rh = ROW_NATURAL;
        nw.bh = BAR_NATURAL;
        nw.n_rows = nw.n_rows_all;
        nw.n_bars = nw.n_bars_all;
        /* keep the natural height bounded: thousands of transfers */
        if ((double)nw.n_bars * nw.bh > RPP_CHART_MAX_NATURAL - 400.0)
            nw.n_bars = (size_t)((RPP_CHART_MAX_NATURAL - 400.0) / nw.bh);
        if ((double)nw.n_rows * nw.rh > RPP_CHART_MAX_NATURAL / 2.0)
            nw.n_rows = (size_t)(RPP_CHART_MAX_NATURAL / 2.0 / nw.rh);
    } else {
        avail = c->h - y - 2.0 * SECTION_TITLE - ev_axis - bar_axis -
                SECTION_GAP - legend_h - RPP_CHART_MARGIN - 8.0;
        units = (double)(nw.n_rows_all > 2 ? nw.n_rows_all : 2) +
                (double)(nw.n_bars_all > 2 ? nw.n_bars_all : 2);
        nw.rh = rpp__plot_clamp(rpp__plot_div(avail, units, ROW_MAX), ROW_MIN,
                               ROW_MAX);
        nw.bh = nw.rh;
        /* rows first, then as many bars as fit, with room for a note */
        nw.n_rows = nw.n_rows_all;
        if ((double)nw.n_rows * nw.rh > avail / 2.0 &&
            (double)(nw.n_rows + nw.n_bars_all) * nw.rh > avail)
            nw.n_rows = (size_t)rpp__plot_clamp(floor(avail / 2.0 / nw.rh) - 1.0,
                                               0.0, (double)nw.n_rows_all);
        nw.n_bars = (size_t)rpp__plot_clamp(
            floor((avail - (double)(nw.n_rows + (nw.n_rows < nw.n_rows_all))
                               * nw.rh) / nw.bh) - 1.0,
            0.0, (double)nw.n_bars_all);
        if (nw.n_bars + 1 >= nw.n_bars_all &&
            (double)(nw.n_rows + nw.n_bars_all) * nw.rh <= avail)
            nw.n_bars = nw.n_bars_all;
    }
    ev_h = nw.n_rows ? (double)nw.n_rows * nw.rh : EMPTY_NATURAL;
    if (nw.n_rows < nw.n_rows_all)
        ev_h += nw.rh;
    bar_h = nw.n_bars ? (double)nw.n_bars * nw.bh : EMPTY_NATURAL;
    if (nw.n_bars < nw.n_bars_all && nw.n_bars)
        bar_h += nw.bh;
    if (c->h > 0.0 && (nw.n_rows == 0 || nw.n_bars == 0)) {
        /* a section with a message takes the room the other leaves */
        double room = c->h - y - 2.0 * SECTION_TITLE - ev_axis - bar_axis -
                      SECTION_GAP - legend_h - RPP_CHART_MARGIN - 8.0;
        if (nw.n_rows == 0 && nw.n_bars == 0)
            ev_h = bar_h = fmax(room / 2.0, 20.0);
        else if (nw.n_rows == 0)
            ev_h = fmax(room - bar_h, 20.0);
        else
            bar_h = fmax(room - ev_h, 20.0);
    }
    ev_area.x = px0;
    ev_area.y = y + SECTION_TITLE;
    ev_area.w = px1 - px0;
    ev_area.h = ev_h;
    bar_area.x = px0;
    bar_area.y = ev_area.y + ev_h + ev_axis + SECTION_GAP + SECTION_TITLE;
    bar_area.w = px1 - px0;
    bar_area.h = bar_h;
    xs = rpp__plot_scale_make(nw.t0, nw.t1, px0, px1);
    c->layout->plot = ev_area;
    c->layout->t0_ms = xs.v0;
    c->layout->t1_ms = xs.v1;
    if (c->h <= 0.0) {
        c->layout->height = bar_area.y + bar_h + bar_axis + legend_h +
                            RPP_CHART_MARGIN + 8.0;
        goto cleanup;
    }
    if (!c->paint)
        goto cleanup;

    section_title(cr, y, "Network and cache events");
    if (nw.n_rows_all == 0) {
        rpp_render_rect wide = { RPP_CHART_MARGIN, ev_area.y,
                                 px1 - RPP_CHART_MARGIN, ev_area.h };
        rpp__plot_no_data(cr, &wide, "No network or cache events",
                         "The report has no download, OS list or cache "
                         "events.");
    } else {
        draw_event_rows(&nw, &ev_area, &xs);
        if (nw.n_rows < nw.n_rows_all)
            more_note(cr, RPP_CHART_MARGIN,
                      ev_area.y + (double)nw.n_rows * nw.rh + nw.rh / 2.0,
                      nw.n_rows_all - nw.n_rows, "event types");
    }
    section_title(cr, bar_area.y - SECTION_TITLE,
                  "Throughput of each transfer (bytes \xc3\xb7 duration)");
    if (nw.n_bars_all == 0) {
        rpp_render_rect wide = { RPP_CHART_MARGIN, bar_area.y,
                                 px1 - RPP_CHART_MARGIN, bar_area.h };
        rpp__plot_no_data(cr, &wide, "No transfers",
                         "No event in the report has both a byte count and "
                         "a duration.");
    } else {
        for (j = 0; j < nw.n_bars; j++)
            vmax = fmax(vmax, rpp__plot_finite(
                                  ctx->transfer_kbps[nw.bars[j]], 0.0) /
                                  1024.0);
        vs = rpp__plot_scale_make(0.0, rpp__plot_nice_max(vmax, X_TICKS), px0,
                                 px1);
        draw_bars(&nw, &bar_area, &vs);
        if (nw.n_bars < nw.n_bars_all)
            more_note(cr, RPP_CHART_MARGIN,
                      bar_area.y + (double)nw.n_bars * nw.bh + nw.bh / 2.0,
                      nw.n_bars_all - nw.n_bars, "transfers");
    }
    rpp__plot_legend(cr, RPP_CHART_MARGIN, bar_area.y + bar_h + bar_axis + 4.0,
                    c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend, true);

cleanup:
    free(nw.rows);
    free(nw.type_row);
    free(nw.bars);
}
