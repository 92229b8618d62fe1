/*
 * network_table.c - the table under the network chart: the OS list,
 * sublist and cache events (and other network events) of a report, each
 * with its size, time and speed, its name and what it fetched wrapped into
 * at most two lines, and a note of the rows left out when the chart is
 * short.
 */
#include "network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The table of OS list, sublist and cache events --------------------- */

static bool in_table(const rpp_event *e)
{
    return e->type != RPP_EV_NETWORK_RETRY &&
           e->type != RPP_EV_NETWORK_CONNECTION_STATS;
}

/* The rows, in timeline order, each with its speed from the analysis'
 * transfers (a subsequence of the network events, in the same order). */
bool rpp__net_collect_rows(network *nw)
{
    const rpp_chart_ctx *c = nw->c;
    const rpp_context *cx = &c->a->context;
    size_t i, j = 0;

    nw->rows = calloc(cx->n_network ? cx->n_network : 1, sizeof(*nw->rows));
    if (!nw->rows)
        return false;
    for (i = 0; i < cx->n_network; i++) {
        size_t e = cx->network[i];
        double kbps = -1.0;

        if (j < cx->n_transfers && cx->transfers[j] == e)
            kbps = rpp__plot_clamp(rpp__plot_finite(cx->transfer_kbps[j++],
                                                  0.0), 0.0, 1e15);
        if (e >= c->r->n_events || !in_table(&c->r->events[e]))
            continue;
        nw->rows[nw->n_rows_all].event = e;
        nw->rows[nw->n_rows_all].kbps = kbps;
        nw->rows[nw->n_rows_all++].lines = 1;
    }
    return true;
}

/* What a row fetched or found: the file name of a URL with the rest of the
 * metadata, or the metadata itself. */
static void row_what(rpp_chart_ctx *c, const rpp_event *e, rpp__buf *b)
{
    const char *m = rpp__chart_str(c, "text", e->metadata);
    const char *end, *slash, *rest;

    if (strncmp(m, "http://", 7) == 0 || strncmp(m, "https://", 8) == 0) {
        end = strchr(m, ';');
        if (!end)
            end = m + strlen(m);
        rest = *end ? end + 1 : end;
        while (end > m && end[-1] == ' ')
            end--;
        for (slash = end; slash > m && slash[-1] != '/'; slash--)
            ;
        if (slash == end)       /* "https://host/": keep it all */
            slash = m;
        rpp__buf_put(b, slash, (size_t)(end - slash));
        while (*rest == ' ')
            rest++;
        if (*rest) {
            rpp__buf_puts(b, " \xc2\xb7 ");
            rpp__buf_puts(b, rest);
        }
    } else {
        rpp__buf_puts(b, m);
    }
    if (!e->success)
        rpp__buf_puts(b, b->len ? " \xc2\xb7 failed" : "failed");
}

/* Column geometry of the table. */
typedef struct table_cols {
    double name_x, what_x, what_w, size_x, time_x, speed_x, speed_w;
} table_cols;

static table_cols table_columns(const network *nw)
{
    const rpp_chart_ctx *c = nw->c;
    table_cols tc;
    double right = c->w - RPP_CHART_MARGIN - 8.0;

    tc.name_x = RPP_CHART_MARGIN;
    tc.what_x = RPP_CHART_MARGIN + nw->name_w;
    tc.speed_w = rpp__plot_clamp(c->w * 0.22, 120.0, COL_SPEED);
    tc.speed_x = right - tc.speed_w;
    tc.time_x = tc.speed_x - 12.0;          /* right-aligned columns */
    tc.size_x = tc.time_x - COL_TIME;
    tc.what_w = tc.size_x - COL_SIZE - tc.what_x;
    if (tc.what_w < 40.0)
        tc.what_w = 40.0;
    return tc;
}

/* The event column: as wide as the widest name shown, within limits; a
 * name wider than that wraps. Then the lines of each row. */
void rpp__net_plan_rows(network *nw, size_t n)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT, lines = RPP__BUF_INIT;
    double w = 70.0;
    table_cols tc;
    size_t i;

    cairo_save(cr);
    rpp__plot_font(cr, LABEL_FONT, false);
    for (i = 0; i < n; i++) {
        const rpp_event *e = &c->r->events[nw->rows[i].event];
        w = fmax(w, rpp__plot_text_width(cr, e->type_name ? e->type_name
                                                          : "?") + 14.0);
    }
    nw->name_w = rpp__plot_clamp(w, 70.0, c->w * 0.24);
    tc = table_columns(nw);
    for (i = 0; i < n; i++) {
        const rpp_event *e = &c->r->events[nw->rows[i].event];
        int ln, lw;

        lines.len = 0;
        ln = rpp__plot_wrap(cr, e->type_name ? e->type_name : "?",
                           nw->name_w - 10.0, TABLE_NAME_LINES, &lines);
        b.len = 0;
        lines.len = 0;
        row_what(c, e, &b);
        lw = b.ptr && b.len ? rpp__plot_wrap(cr, b.ptr, tc.what_w - 10.0,
                                           TABLE_WHAT_LINES, &lines)
                            : 1;
        nw->rows[i].lines = ln > lw ? ln : lw;
        if (nw->rows[i].lines < 1)
            nw->rows[i].lines = 1;
    }
    if (b.oom || lines.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
    rpp__buf_free(&lines);
    cairo_restore(cr);
}

double rpp__net_row_h(const fetch_row *r)
{
    return TABLE_LINE * r->lines + TABLE_PAD;
}

void rpp__net_draw_table(network *nw, double y)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    table_cols tc = table_columns(nw);
    rpp__buf b = RPP__BUF_INIT;
    rpp__plot_scale vs;
    double vmax = 0.0, bar_w = tc.speed_w - 84.0;
    char buf[48];
    size_t i;

    for (i = 0; i < nw->n_rows; i++)
        vmax = fmax(vmax, nw->rows[i].kbps / RPP_KBPS_PER_MBPS);
    vs = rpp__plot_scale_make(0.0, rpp__plot_nice_max(vmax, 4), tc.speed_x,
                             tc.speed_x + bar_w);
    rpp__plot_font(cr, SMALL_FONT, true);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    rpp__plot_text(cr, tc.name_x, y + TABLE_HEAD / 2.0, "event", RPP_PLOT_LEFT,
                  0.0);
    rpp__plot_text(cr, tc.what_x, y + TABLE_HEAD / 2.0, "file or result",
                  RPP_PLOT_LEFT, 0.0);
    rpp__plot_text(cr, tc.size_x, y + TABLE_HEAD / 2.0, "size",
                  RPP_PLOT_RIGHT, 0.0);
    rpp__plot_text(cr, tc.time_x, y + TABLE_HEAD / 2.0, "time",
                  RPP_PLOT_RIGHT, 0.0);
    rpp__plot_text(cr, tc.speed_x, y + TABLE_HEAD / 2.0,
                  "speed (bytes \xc3\xb7 time)", RPP_PLOT_LEFT, 0.0);
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, RPP_CHART_MARGIN, floor(y + TABLE_HEAD) + 0.5);
    cairo_line_to(cr, c->w - RPP_CHART_MARGIN - 8.0,
                  floor(y + TABLE_HEAD) + 0.5);
    cairo_stroke(cr);
    y += TABLE_HEAD;
    for (i = 0; i < nw->n_rows; i++) {
        const fetch_row *rw = &nw->rows[i];
        const rpp_event *e = &c->r->events[rw->event];
        rpp_category cat = rpp_event_type_category(e->type);
        double h = rpp__net_row_h(rw), ty = y + TABLE_PAD / 2.0 + TABLE_LINE / 2.0;

        if (i % 2 == 1) {
            rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
            rpp__plot_fill_rect(cr, RPP_CHART_MARGIN, y,
                               c->w - 2.0 * RPP_CHART_MARGIN - 8.0, h);
        }
        rpp__plot_font(cr, LABEL_FONT, false);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(cat), 0.35),
                     1.0);
        rpp__plot_text_lines(cr, tc.name_x, ty, TABLE_LINE,
                            e->type_name ? e->type_name : "?", RPP_PLOT_LEFT,
                            nw->name_w - 10.0, TABLE_NAME_LINES);
        b.len = 0;
        row_what(c, e, &b);
        rpp__plot_set_named(cr, e->success ? RPP_PLOT_TEXT : RPP_PLOT_FAILURE,
                           1.0);
        if (b.ptr && b.len)
            rpp__plot_text_lines(cr, tc.what_x, ty, TABLE_LINE, b.ptr,
                                RPP_PLOT_LEFT, tc.what_w - 10.0,
                                TABLE_WHAT_LINES);
        rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        if (e->has_bytes)
            rpp_human_bytes(buf, sizeof(buf), (double)e->bytes_transferred);
        else
            snprintf(buf, sizeof(buf), "\xe2\x80\x94");
        rpp__plot_text(cr, tc.size_x, ty, buf, RPP_PLOT_RIGHT, 0.0);
        rpp_human_duration(buf, sizeof(buf), (double)e->duration_ms);
        rpp__plot_text(cr, tc.time_x, ty, buf, RPP_PLOT_RIGHT, 0.0);
        if (rw->kbps >= 0.0) {
            double x1 = rpp__plot_map(&vs, rw->kbps / RPP_KBPS_PER_MBPS);

            rpp__plot_event_bar(cr, tc.speed_x, ty - 5.0, x1 - tc.speed_x,
                               10.0, rpp__plot_category_rgb(cat), !e->success,
                               false);
            rpp_human_rate(buf, sizeof(buf), rw->kbps);
            rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
            rpp__plot_text(cr, fmax(x1, tc.speed_x + RPP_PLOT_MIN_BAR) + 5.0,
                          ty, buf, RPP_PLOT_LEFT, 0.0);
        } else {
            rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
            rpp__plot_text(cr, tc.speed_x, ty,
                          e->has_bytes ? "no duration to divide by"
                                       : "no byte count",
                          RPP_PLOT_LEFT, tc.speed_w);
        }
        rpp__chart_record(c, RPP_ITEM_FETCH, rw->event, -1, RPP_CHART_MARGIN,
                          y, c->w - 2.0 * RPP_CHART_MARGIN - 8.0, h, rw->kbps,
                          0.0);
        y += h;
    }
    if (nw->n_rows < nw->n_rows_all) {
        char more[96];
        size_t left = nw->n_rows_all - nw->n_rows;

        snprintf(more, sizeof(more), "+ %zu more network and cache event%s "
                 "not shown", left, left == 1 ? "" : "s");
        rpp__plot_font(cr, LABEL_FONT, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, RPP_CHART_MARGIN, y + TABLE_LINE / 2.0 + 2.0, more,
                      RPP_PLOT_LEFT, c->w - 2.0 * RPP_CHART_MARGIN);
    }
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}
