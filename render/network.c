/*
 * network.c - the network chart, about the network: the image download
 * over time (the download phase's throughput from its histogram slices,
 * with its stalls and gaps, and each networkRetry with its back-off), the
 * connection of each download request from networkConnectionStats (DNS,
 * connect, TLS, first byte, then the transfer) as one bar, and a table of
 * the OS list, sublist and cache events with their sizes, times and
 * speeds (drawn by network_table.c). Everything comes from the analysis
 * (phases, context.retries, context.connections, context.network,
 * context.transfers); pipeline totals are not network events and appear
 * nowhere here.
 */
#include "network.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rpp__plot_rgb conn_rgb[RPP_CONN_PARTS] = {
    /* DNS .. first byte: a dark-to-light sequence, told apart by
     * lightness as well as hue; the transfer in the download's colour */
    { 0x3f / 255.0, 0x00 / 255.0, 0x7d / 255.0 },
    { 0x6a / 255.0, 0x51 / 255.0, 0xa3 / 255.0 },
    { 0x9e / 255.0, 0x9a / 255.0, 0xc8 / 255.0 },
    { 0xcb / 255.0, 0xc9 / 255.0, 0xe2 / 255.0 },
    { 0x56 / 255.0, 0xb4 / 255.0, 0xe9 / 255.0 },
};

static const char *const conn_names[RPP_CONN_PARTS] = {
    "DNS", "connect", "TLS", "first byte", "transfer"
};

/* ---- The connection bars -------------------------------------------------- */

/* The parts of a connection in ms, from curl's times (each from the start
 * of the request): a part whose time is absent, or not after the one
 * before it (no TLS over plain HTTP), is 0; marks[] gets the parsed times,
 * -1 when absent. Returns false when the metadata had none of them. */
static bool conn_parts(const rpp_connection *cn, double ms[RPP_CONN_PARTS],
                       double marks[RPP_CONN_PARTS])
{
    const int64_t v[RPP_CONN_PARTS] = { cn->dns_ms, cn->connect_ms,
                                        cn->tls_ms, cn->ttfb_ms,
                                        cn->total_ms };
    double prev = 0.0;
    bool any = false;
    int k;

    for (k = 0; k < RPP_CONN_PARTS; k++) {
        marks[k] = (double)v[k];
        ms[k] = 0.0;
        if (v[k] < 0)
            continue;
        any = true;
        if ((double)v[k] > prev) {
            ms[k] = (double)v[k] - prev;
            prev = (double)v[k];
        }
    }
    return any;
}

static void conn_headline(const network *nw, const rpp_connection *cn,
                          size_t k, rpp__buf *b)
{
    const rpp_chart_ctx *c = nw->c;
    char buf[48], buf2[48];
    const char *sep = "";

    if (c->a->context.n_connections > 1) {
        rpp__buf_printf(b, "Request %zu", k + 1);
        sep = " \xc2\xb7 ";
    }
    if (cn->http) {
        rpp__buf_printf(b, "%s%s", sep, cn->http);
        sep = " \xc2\xb7 ";
    }
    if (cn->size_bytes >= 0 && cn->speed_kbps >= 0) {
        rpp_human_bytes(buf, sizeof(buf), (double)cn->size_bytes);
        rpp_human_rate(buf2, sizeof(buf2), (double)cn->speed_kbps);
        rpp__buf_printf(b, "%s%s at %s (curl's average)", sep, buf, buf2);
        sep = " \xc2\xb7 ";
    } else if (cn->size_bytes >= 0) {
        rpp_human_bytes(buf, sizeof(buf), (double)cn->size_bytes);
        rpp__buf_printf(b, "%s%s", sep, buf);
        sep = " \xc2\xb7 ";
    }
    if (cn->ttfb_ms >= 0) {
        rpp_human_duration(buf, sizeof(buf), (double)cn->ttfb_ms);
        rpp__buf_printf(b, "%sfirst byte after %s", sep, buf);
        sep = " \xc2\xb7 ";
    }
    if (cn->total_ms >= 0) {
        rpp_human_duration(buf, sizeof(buf), (double)cn->total_ms);
        rpp__buf_printf(b, "%s%s in all", sep, buf);
    }
    if (!b->len)
        rpp__buf_puts(b, "no timings in the metadata");
}

/* One connection: its headline, the bar (DNS .. first byte on the left at
 * one scale, a break, the transfer on the right at another) and the
 * parts named with their times below it. */
static void draw_connection(network *nw, size_t k, double y)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    const rpp_connection *cn = &c->a->context.connections[k];
    rpp__plot_legend_item items[RPP_CONN_PARTS];
    char labels[RPP_CONN_PARTS][64], buf[48];
    rpp__buf b = RPP__BUF_INIT;
    double ms[RPP_CONN_PARTS], marks[RPP_CONN_PARTS], x0 = RPP_CHART_MARGIN,
           x1 = c->w - RPP_CHART_MARGIN - 8.0, setup = 0.0, sx1, tx0, x, by;
    size_t n_items = 0;
    bool any;
    int p;

    conn_headline(nw, cn, k, &b);
    rpp__plot_font(cr, LABEL_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    if (b.ptr)
        rpp__plot_text(cr, x0, y + CONN_TEXT / 2.0, b.ptr, RPP_PLOT_LEFT,
                      x1 - x0);
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
    by = y + CONN_TEXT;
    any = conn_parts(cn, ms, marks);
    for (p = 0; p < RPP_CONN_FIRST_BYTE + 1; p++)
        setup += ms[p];
    /* the setup part and the transfer part, with a break between them
     * when both are there */
    if (setup > 0.0 && ms[RPP_CONN_TRANSFER] > 0.0) {
        sx1 = x0 + (x1 - x0) * CONN_SETUP_SHARE;
        tx0 = sx1 + CONN_BREAK;
    } else if (setup > 0.0) {
        sx1 = x1;
        tx0 = x1;
    } else {
        sx1 = x0;
        tx0 = x0;
    }
    rpp__chart_record(c, RPP_ITEM_CONNECTION, cn->index, (int)k, x0, by,
                      x1 - x0, CONN_BAR, any ? 1.0 : 0.0, 0.0);
    x = x0;
    for (p = 0; p < RPP_CONN_PARTS; p++) {
        double w;

        if (p < RPP_CONN_TRANSFER)
            w = setup > 0.0 ? ms[p] / setup * (sx1 - x0) : 0.0;
        else
            w = ms[p] > 0.0 ? x1 - tx0 : 0.0;
        if (p == RPP_CONN_TRANSFER)
            x = tx0;
        if (w > 0.0) {
            rpp__plot_set(cr, conn_rgb[p], 1.0);
            rpp__plot_fill_rect(cr, x, by, fmax(w, 1.0), CONN_BAR);
            /* a white edge between parts */
            cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
            rpp__plot_fill_rect(cr, x + fmax(w, 1.0) - 0.5, by, 1.0, CONN_BAR);
        }
        if (marks[p] >= 0.0)
            rpp__chart_record(c, RPP_ITEM_CONN_PART, cn->index, p, x, by, w,
                              CONN_BAR, ms[p], marks[p]);
        x += w;
        /* the legend below: every part named, with its time or a dash */
        if (marks[p] < 0.0)
            snprintf(labels[p], sizeof(labels[p]), "%s \xe2\x80\x94 (not "
                     "recorded)", conn_names[p]);
        else if (ms[p] <= 0.0 && p == RPP_CONN_TLS)
            snprintf(labels[p], sizeof(labels[p]), "TLS none");
        else {
            rpp_human_duration(buf, sizeof(buf), ms[p]);
            snprintf(labels[p], sizeof(labels[p]), "%s %s", conn_names[p],
                     buf);
        }
        items[n_items].label = labels[p];
        items[n_items].rgb = conn_rgb[p];
        items[n_items++].swatch = RPP_PLOT_SW_FILL;
    }
    if (setup > 0.0 && ms[RPP_CONN_TRANSFER] > 0.0) {
        /* the break: two slanted strokes, the scales differ on each side */
        rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
        cairo_set_line_width(cr, 1.2);
        cairo_move_to(cr, sx1 + 3.0, by + CONN_BAR + 2.0);
        cairo_line_to(cr, sx1 + 7.0, by - 2.0);
        cairo_move_to(cr, sx1 + 8.0, by + CONN_BAR + 2.0);
        cairo_line_to(cr, sx1 + 12.0, by - 2.0);
        cairo_stroke(cr);
        if (c->w > 500.0) {
            rpp__plot_font(cr, SMALL_FONT, false);
            cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
            rpp_human_duration(buf, sizeof(buf), ms[RPP_CONN_TRANSFER]);
            {
                char in_bar[96];
                snprintf(in_bar, sizeof(in_bar), "transfer %s", buf);
                rpp__plot_text(cr, tx0 + 6.0, by + CONN_BAR / 2.0, in_bar,
                              RPP_PLOT_LEFT, x1 - tx0 - 12.0);
            }
        }
    }
    if (!any) {
        rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
        rpp__plot_fill_rect(cr, x0, by, x1 - x0, CONN_BAR);
        rpp__plot_font(cr, SMALL_FONT, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, (x0 + x1) / 2.0, by + CONN_BAR / 2.0,
                      "the event's metadata has none of curl's timings",
                      RPP_PLOT_CENTRE, x1 - x0);
    }
    rpp__plot_legend(cr, x0, by + CONN_BAR + 1.0, x1 - x0, items, n_items,
                     true);
}

/* ---- The image download ---------------------------------------------------- */

/* The x of a retry on the panel: where it retried, after its back-off. */
static double retry_at(const rpp_chart_ctx *c, const rpp_retry *rt)
{
    return rpp__chart_event_start(c, rt->index) + (double)rt->backoff_ms;
}

static void retry_text(rpp_chart_ctx *c, size_t k, rpp__buf *b)
{
    const rpp_retry *rt = &c->a->context.retries[k];
    char at[48], buf[48];

    rpp_human_duration(at, sizeof(at), rpp__chart_event_start(c, rt->index));
    rpp__buf_printf(b, "retry %zu: connection lost at %s", k + 1, at);
    if (rt->offset_bytes >= 0) {
        rpp_human_bytes(buf, sizeof(buf), (double)rt->offset_bytes);
        rpp__buf_printf(b, " (%s into the download)", buf);
    }
    if (rt->backoff_ms > 0) {
        rpp_human_duration(buf, sizeof(buf), (double)rt->backoff_ms);
        rpp__buf_printf(b, ", %s back-off before retrying", buf);
    } else {
        rpp__buf_puts(b, ", retried at once");
    }
    if (rt->error)
        rpp__buf_printf(b, " \xc2\xb7 %s", rpp__chart_str(c, "text", rt->error));
    if (rt->http2_failures > 0)
        rpp__buf_printf(b, " \xc2\xb7 HTTP/2 failures so far: %lld",
                       (long long)rt->http2_failures);
}

static void download_title(network *nw, double y)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_phase_stats *ps = &c->a->phases[RPP_PHASE_DOWNLOAD];
    size_t nr = c->a->context.n_retries;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT;
    char avg[32], mn[32], mx[32], by[32];
    double tw;

    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    tw = rpp__plot_text(cr, RPP_CHART_MARGIN, y + SECTION_TITLE / 2.0,
                       "Image download", RPP_PLOT_LEFT, 0.0);
    if (nw->has_download) {
        rpp_human_rate(avg, sizeof(avg), ps->avg_kbps);
        rpp_human_rate(mn, sizeof(mn), ps->min_kbps);
        rpp_human_rate(mx, sizeof(mx), ps->max_kbps);
        rpp_human_bytes(by, sizeof(by), (double)ps->bytes);
        rpp__buf_printf(&b, "(MB/s, compressed bytes received)  %s%s \xc2\xb7 "
                       "average %s \xc2\xb7 min %s \xc2\xb7 max %s",
                       ps->bytes_estimated ? "about " : "", by, avg, mn, mx);
        if (ps->n_stalls)
            rpp__buf_printf(&b, " \xc2\xb7 %zu stall%s", ps->n_stalls,
                           ps->n_stalls == 1 ? "" : "s");
        if (ps->n_gaps)
            rpp__buf_printf(&b, " \xc2\xb7 %zu gap%s", ps->n_gaps,
                           ps->n_gaps == 1 ? "" : "s");
    }
    if (nr == 0 && c->r->version < 3)
        rpp__buf_printf(&b, "%sretries not recorded (version 2)",
                       b.len ? " \xc2\xb7 " : "");
    else if (nr == 0)
        rpp__buf_printf(&b, "%sno retries", b.len ? " \xc2\xb7 " : "");
    else
        rpp__buf_printf(&b, "%s%zu retr%s", b.len ? " \xc2\xb7 " : "", nr,
                       nr == 1 ? "y" : "ies");
    rpp__plot_font(cr, LABEL_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    if (b.ptr)
        rpp__plot_text(cr, RPP_CHART_MARGIN + tw + 8.0, y + SECTION_TITLE / 2.0,
                      b.ptr, RPP_PLOT_LEFT,
                      c->w - 2.0 * RPP_CHART_MARGIN - tw - 8.0);
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

/* Dashed lines where later cycles start, labelled inside the panel. */
static void draw_cycles(network *nw, const rpp_render_rect *body)
{
    const rpp_analysis *a = nw->c->a;
    cairo_t *cr = nw->c->cr;
    char buf[32];
    size_t i;

    rpp__plot_font(cr, SMALL_FONT, true);
    for (i = 1; i < a->n_cycles; i++) {
        double t = (double)a->cycles[i].offset_ms, x;

        if (t <= nw->xs.v0 || t >= nw->xs.v1)
            continue;
        x = rpp__plot_map(&nw->xs, t);
        rpp__plot_vline(cr, x, body->y, body->y + body->h,
                       rpp__plot_rgb_of(RPP_PLOT_CYCLE), true);
        snprintf(buf, sizeof(buf), "cycle %zu", i + 1);
        rpp__plot_set_named(cr, RPP_PLOT_CYCLE, 1.0);
        rpp__plot_text(cr, x + 3.0, body->y + body->h - 8.0, buf,
                      RPP_PLOT_LEFT, 0.0);
    }
}

/* A run of back-offs, [x0, x1]; nothing when x1 is -inf (no run yet). */
static void shade_backoff(cairo_t *cr, const rpp_render_rect *body, double x0,
                          double x1, rpp__plot_rgb col)
{
    if (!(x1 > -HUGE_VAL))
        return;
    rpp__plot_set(cr, rpp__plot_category_rgb(RPP_CAT_NETWORK), 0.35);
    rpp__plot_fill_rect(cr, x0, body->y, fmax(x1 - x0, 1.0), body->h);
    rpp__plot_set(cr, col, 0.5);
    rpp__plot_hatch(cr, x0, body->y, fmax(x1 - x0, 1.0), body->h, 7.0, 1.0);
}

static int cmp_retry_tag(const void *x, const void *y)
{
    const retry_tag *a = x, *b = y;

    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->k < b->k ? -1 : (a->k > b->k);
}

/* Places the retries' numbers at the top of the panel, each centred on its
 * own line, left to right in the order of the lines: a number that would
 * run into the one before it goes on the next row of the lane, and is left
 * out when every row is taken there. Fills nw->tags; returns the rows used,
 * which the values are scaled to stay below. */
static size_t place_retry_tags(network *nw, const rpp_render_rect *body)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_context *cx = &c->a->context;
    cairo_t *cr = c->cr;
    double right[TAG_ROWS];
    size_t k, n = 0, used = 0, r;
    char num[24];

    nw->n_tags = 0;
    if (cx->n_retries == 0)
        return 0;
    nw->tags = malloc(cx->n_retries * sizeof(*nw->tags));
    if (!nw->tags) {
        c->status = RPP_ERR_NOMEM;
        return 0;
    }
    cairo_save(cr);
    rpp__plot_font(cr, SMALL_FONT, true);
    for (k = 0; k < cx->n_retries; k++) {
        double x = rpp__plot_map(&nw->xs, retry_at(c, &cx->retries[k]));

        if (x < body->x - 1.0 || x > body->x + body->w + 1.0)
            continue;
        snprintf(num, sizeof(num), "%zu", k + 1);
        nw->tags[n].w = rpp__plot_text_width(cr, num) + 6.0;
        nw->tags[n].x = x;
        nw->tags[n++].k = k;
    }
    cairo_restore(cr);
    qsort(nw->tags, n, sizeof(*nw->tags), cmp_retry_tag);
    for (r = 0; r < TAG_ROWS; r++)
        right[r] = -HUGE_VAL;
    for (k = 0; k < n; k++) {
        retry_tag tg = nw->tags[k];

        tg.x = rpp__plot_clamp(tg.x - tg.w / 2.0, body->x,
                              body->x + body->w - tg.w);
        for (r = 0; r < TAG_ROWS; r++)
            if (tg.x >= right[r] + 2.0)
                break;
        if (r == TAG_ROWS)
            continue;       /* no room left for the number */
        right[r] = tg.x + tg.w;
        tg.row = r;
        nw->tags[nw->n_tags++] = tg;    /* k >= n_tags: done with */
        if (r + 1 > used)
            used = r + 1;
    }
    return used;
}

/* The retries on the panel: each back-off shaded from where the connection
 * was lost, a line where the download retried, numbered at the top. */
static void draw_retries(network *nw, const rpp_render_rect *body)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_context *cx = &c->a->context;
    cairo_t *cr = c->cr;
    rpp__plot_rgb col = rpp__plot_darker(rpp__plot_category_rgb(
                                            RPP_CAT_NETWORK), 0.45);
    double run0 = 0.0, run1 = -HUGE_VAL;
    char num[24];
    size_t k;

    cairo_save(cr);
    rpp__plot_rect_path(cr, body->x, body->y, body->w, body->h);
    cairo_clip(cr);
    /* back-offs that overlap are shaded as one (they come in time order),
     * so that many of them cost one rectangle each run */
    for (k = 0; k < cx->n_retries; k++) {
        const rpp_retry *rt = &cx->retries[k];
        double s = rpp__chart_event_start(c, rt->index);
        double x0 = rpp__plot_map(&nw->xs, s);
        double x1 = rpp__plot_map(&nw->xs, s + (double)rt->backoff_ms);

        if (rt->backoff_ms == 0)
            continue;
        if (x0 > run1 + 0.5) {
            shade_backoff(cr, body, run0, run1, col);
            run0 = x0;
            run1 = x1;
        } else {
            run1 = fmax(run1, x1);
        }
        rpp__chart_record(c, RPP_ITEM_BACKOFF, rt->index, (int)k, x0, body->y,
                          x1 - x0, body->h, (double)rt->backoff_ms, 0.0);
    }
    shade_backoff(cr, body, run0, run1, col);
    cairo_restore(cr);
    rpp__plot_font(cr, SMALL_FONT, true);
    for (k = 0; k < cx->n_retries; k++) {
        const rpp_retry *rt = &cx->retries[k];
        double x = rpp__plot_map(&nw->xs, retry_at(c, rt));

        if (x < body->x - 1.0 || x > body->x + body->w + 1.0)
            continue;
        cairo_save(cr);
        rpp__plot_set(cr, col, 1.0);
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, floor(x) + 0.5, body->y);
        cairo_line_to(cr, floor(x) + 0.5, body->y + body->h);
        cairo_stroke(cr);
        cairo_restore(cr);
        rpp__chart_record(c, RPP_ITEM_RETRY, rt->index, (int)k, x - 1.0,
                          body->y, 2.0, body->h, (double)rt->backoff_ms, 0.0);
    }
    /* the numbers in boxes at the top of the panel */
    for (k = 0; k < nw->n_tags; k++) {
        const retry_tag *tg = &nw->tags[k];
        double ty = body->y + 1.0 + TAG_H * (double)tg->row;

        snprintf(num, sizeof(num), "%zu", tg->k + 1);
        rpp__plot_set(cr, col, 1.0);
        rpp__plot_fill_rect(cr, tg->x, ty, tg->w, TAG_H - 1.0);
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        rpp__plot_text(cr, tg->x + tg->w / 2.0, ty + (TAG_H - 1.0) / 2.0, num,
                      RPP_PLOT_CENTRE, 0.0);
        rpp__chart_record(c, RPP_ITEM_RETRY_TAG, cx->retries[tg->k].index,
                          (int)tg->k, tg->x, ty, tg->w, TAG_H - 1.0, 0.0,
                          rpp__plot_map(&nw->xs,
                                        retry_at(c, &cx->retries[tg->k])));
    }
}

/* Where the writer stopped recording the download (its sample limit), as
 * the analysis found it: a dashed line with the finding's message. */
static void draw_truncation(network *nw, const rpp_render_rect *body)
{
    rpp_chart_ctx *c = nw->c;
    const rpp_analysis *a = c->a;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT;
    double x, w;
    size_t i;

    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];

        if (f->phase != RPP_PHASE_DOWNLOAD || !f->id || !f->message ||
            strcmp(f->id, "capture-truncated") != 0)
            continue;
        x = rpp__plot_map(&nw->xs, (double)a->phases[RPP_PHASE_DOWNLOAD].last_ms);
        rpp__plot_vline(cr, x, body->y, body->y + body->h,
                       rpp__plot_rgb_of(RPP_PLOT_MUTED), true);
        rpp__plot_font(cr, SMALL_FONT, false);
        w = rpp__plot_fit(cr, f->message, fmax(x - body->x - 12.0, 0.0), &b);
        if (b.ptr && w > 0.0) {
            rpp__plot_set_named(cr, RPP_PLOT_BACKGROUND, 0.85);
            rpp__plot_fill_rect(cr, x - w - 6.0, body->y + 16.0, w + 4.0, 13.0);
            rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
            rpp__plot_text(cr, x - 4.0, body->y + 22.5, b.ptr, RPP_PLOT_RIGHT,
                          0.0);
        }
        break;
    }
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

static void draw_download(network *nw, const rpp_render_rect *body,
                          double axis_h)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    const rpp_phase_stats *ps = &c->a->phases[RPP_PHASE_DOWNLOAD];
    rpp__buf b = RPP__BUF_INIT;
    /* the values stay below the lane of retry numbers */
    double lane = TAG_H * (double)place_retry_tags(nw, body);
    int ticks = (int)rpp__plot_clamp(floor((body->h - lane) / 28.0), 1.0,
                                     Y_TICKS);
    double top = rpp__plot_nice_max((double)ps->max_kbps / RPP_KBPS_PER_MBPS, ticks);
    rpp__plot_scale ys = rpp__plot_scale_make(0.0, top, body->y + body->h,
                                            body->y + 4.0 + lane);
    double y;
    char unit[48];
    size_t k;

    if (nw->has_download) {
        rpp__plot_value_axis(cr, &ys, body->x, body->x + body->w, ticks);
        rpp__chart_phase_marks(c, RPP_PHASE_DOWNLOAD, &nw->xs, body);
    } else {
        rpp__plot_time_axis(cr, &nw->xs, body->y, body->y + body->h, false,
                           true);
        rpp__plot_font(cr, LABEL_FONT, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, body->x + body->w / 2.0, body->y + body->h / 2.0,
                      "No download throughput data: the retries on their "
                      "own", RPP_PLOT_CENTRE, body->w - 20.0);
    }
    draw_retries(nw, body);
    if (nw->has_download) {
        rpp__chart_phase_series(c, RPP_PHASE_DOWNLOAD, &nw->xs, &ys, body);
        rpp__chart_record(c, RPP_ITEM_PHASE, SIZE_MAX, RPP_PHASE_DOWNLOAD,
                          body->x, body->y, body->w, body->h, 0.0, 0.0);
    }
    draw_cycles(nw, body);
    draw_truncation(nw, body);
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    rpp__plot_rect_path(cr, floor(body->x) + 0.5, floor(body->y) + 0.5,
                       floor(body->w), floor(body->h));
    cairo_stroke(cr);
    rpp__plot_time_axis(cr, &nw->xs, body->y + body->h, body->y + body->h,
                       true, false);
    snprintf(unit, sizeof(unit), "time (%s)",
             rpp__plot_time_unit(nw->xs.v1 - nw->xs.v0));
    rpp__plot_font(cr, LABEL_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    rpp__plot_text(cr, body->x + body->w,
                  body->y + body->h + rpp__plot_time_axis_height(cr) + 7.0,
                  unit, RPP_PLOT_RIGHT, 0.0);
    /* the retries, one per line */
    y = body->y + body->h + axis_h;
    for (k = 0; k < nw->n_retry_lines; k++) {
        b.len = 0;
        retry_text(c, k, &b);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                             RPP_CAT_NETWORK), 0.45), 1.0);
        if (b.ptr)
            rpp__plot_text_lines(cr, RPP_CHART_MARGIN, y + RETRY_LINE / 2.0,
                                RETRY_LINE, b.ptr, RPP_PLOT_LEFT,
                                c->w - 2.0 * RPP_CHART_MARGIN,
                                nw->retry_lines[k]);
        y += RETRY_LINE * nw->retry_lines[k];
    }
    if (c->a->context.n_retries > nw->n_retry_lines) {
        char more[64];
        snprintf(more, sizeof(more), "+ %zu more retries not listed",
                 c->a->context.n_retries - nw->n_retry_lines);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, RPP_CHART_MARGIN, y + RETRY_LINE / 2.0, more,
                      RPP_PLOT_LEFT, 0.0);
    }
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

/* The time range of the download panel: the session as the timeline spans
 * it, which holds the download, the retries and their back-offs. */
static void download_range(network *nw, double px0, double px1)
{
    nw->xs = rpp__plot_scale_make(0.0, rpp__chart_timeline_end(nw->c), px0,
                                  px1);
}

/* Lines of the retry list (each wrapped to at most two). */
static double plan_retries(network *nw)
{
    rpp_chart_ctx *c = nw->c;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT, lines = RPP__BUF_INIT;
    size_t k, n = c->a->context.n_retries;
    double h = 0.0;

    nw->n_retry_lines = n < RETRY_LIST_MAX ? n : RETRY_LIST_MAX;
    cairo_save(cr);
    rpp__plot_font(cr, LABEL_FONT, false);
    for (k = 0; k < nw->n_retry_lines; k++) {
        b.len = 0;
        lines.len = 0;
        retry_text(c, k, &b);
        nw->retry_lines[k] = b.ptr ? rpp__plot_wrap(cr, b.ptr,
                                                  c->w - 2.0 *
                                                      RPP_CHART_MARGIN,
                                                  2, &lines)
                                   : 1;
        if (nw->retry_lines[k] < 1)
            nw->retry_lines[k] = 1;
        h += RETRY_LINE * nw->retry_lines[k];
    }
    if (n > nw->n_retry_lines)
        h += RETRY_LINE;
    if (b.oom || lines.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
    rpp__buf_free(&lines);
    cairo_restore(cr);
    return h > 0.0 ? h + 4.0 : 0.0;
}

/* ---- Legend and the chart -------------------------------------------------- */

static size_t build_legend(const network *nw, rpp__plot_legend_item *items,
                           size_t max)
{
    const rpp_chart_ctx *c = nw->c;
    const rpp_phase_stats *ps = &c->a->phases[RPP_PHASE_DOWNLOAD];
    const rpp_context *cx = &c->a->context;
    bool cats[RPP_CAT_COUNT] = { false }, failed = false, backoff = false;
    size_t n = 0, i;
    int cat;

    if (nw->has_download) {
        items[n].label = "download: average of each window";
        items[n].rgb = rpp__plot_phase_rgb(RPP_PHASE_DOWNLOAD);
        items[n++].swatch = RPP_PLOT_SW_LINE;
        items[n].label = "min\xe2\x80\x93max";
        items[n].rgb = rpp__plot_phase_rgb(RPP_PHASE_DOWNLOAD);
        items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
        if (ps->n_stalls) {
            items[n].label = "stall (below 1 MB/s)";
            items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_STALL);
            items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
        }
        if (ps->n_drops) {
            items[n].label = "drop (below half the median)";
            items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_WARNING);
            items[n++].swatch = RPP_PLOT_SW_HATCH;
        }
        if (ps->n_gaps) {
            items[n].label = "gap (no data)";
            items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_GAP);
            items[n++].swatch = RPP_PLOT_SW_HATCH;
        }
    }
    for (i = 0; i < cx->n_retries; i++)
        backoff = backoff || cx->retries[i].backoff_ms > 0;
    if (cx->n_retries) {
        items[n].label = "retry (numbered as listed)";
        items[n].rgb = rpp__plot_darker(rpp__plot_category_rgb(
                                           RPP_CAT_NETWORK), 0.45);
        items[n++].swatch = RPP_PLOT_SW_LINE;
    }
    if (backoff) {
        items[n].label = "back-off before a retry";
        items[n].rgb = rpp__plot_darker(rpp__plot_category_rgb(
                                           RPP_CAT_NETWORK), 0.2);
        items[n++].swatch = RPP_PLOT_SW_HATCH;
    }
    for (i = 0; i < nw->n_rows; i++) {
        const rpp_event *e = &c->r->events[nw->rows[i].event];
        cats[rpp_event_type_category(e->type)] = true;
        failed = failed || !e->success;
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
    return n;
}

static void section_title(rpp_chart_ctx *c, double y, const char *title,
                          const char *note)
{
    cairo_t *cr = c->cr;
    double tw;

    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    tw = rpp__plot_text(cr, RPP_CHART_MARGIN, y + SECTION_TITLE / 2.0, title,
                       RPP_PLOT_LEFT, 0.0);
    if (note) {
        rpp__plot_font(cr, LABEL_FONT, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, RPP_CHART_MARGIN + tw + 8.0, y + SECTION_TITLE / 2.0,
                      note, RPP_PLOT_LEFT,
                      c->w - 2.0 * RPP_CHART_MARGIN - tw - 8.0);
    }
}

static double conn_height(size_t n)
{
    return n ? (double)n * (CONN_TEXT + CONN_BAR + CONN_LEGEND + CONN_GAP)
             : EMPTY_H;
}

/* Why there is no download over time, for the message in its place. */
static void no_download_note(const rpp_chart_ctx *c, rpp__buf *d)
{
    const rpp_phase_summary *sp = &c->r->summary.phases[RPP_PHASE_DOWNLOAD];
    char by[32], avg[32];

    if (c->a->session.note)
        rpp__buf_puts(d, c->a->session.note);
    else if (sp->present && sp->bytes_total > 0) {
        rpp_human_bytes(by, sizeof(by), (double)sp->bytes_total);
        rpp_human_rate(avg, sizeof(avg), (double)sp->avg_kbps);
        rpp__buf_printf(d, "The summary gives the download as %s at "
                       "%s on average, but the report has no download "
                       "histogram slices to draw.", by, avg);
    } else
        rpp__buf_puts(d, "The report has no download throughput slices "
                         "and no network retries.");
}

void rpp__chart_network(rpp_chart_ctx *c)
{
    const rpp_analysis *a = c->a;
    const rpp_context *cx = &a->context;
    cairo_t *cr = c->cr;
    rpp__plot_legend_item legend[RPP_CAT_COUNT + 10];
    rpp_render_rect body, conn_area, table_area;
    network nw;
    size_t n_legend, i, k;
    double y, legend_h, axis_h, px0, px1, yw, top, download_h, rows_h = 0.0,
        panel_nat, avail, rows_budget, more_h;

    memset(&nw, 0, sizeof(nw));
    nw.c = c;
    y = rpp__chart_header(c, "Network") + 4.0;
    nw.has_download = a->phases[RPP_PHASE_DOWNLOAD].present;
    if (!rpp__net_collect_rows(&nw)) {
        c->status = RPP_ERR_NOMEM;
        goto cleanup;
    }
    nw.n_conn = cx->n_connections < CONN_MAX ? cx->n_connections : CONN_MAX;
    nw.conn_h = conn_height(nw.n_conn) +
                (cx->n_connections > nw.n_conn ? CONN_TEXT : 0.0);
    /* the rows a natural height has room for; a fixed one decides below */
    nw.n_rows = nw.n_rows_all < TABLE_ROWS_NATURAL ? nw.n_rows_all
                                                   : TABLE_ROWS_NATURAL;
    rpp__net_plan_rows(&nw, nw.n_rows);
    nw.retries_h = plan_retries(&nw);
    n_legend = build_legend(&nw, legend, sizeof(legend) / sizeof(legend[0]));
    legend_h = rpp__plot_legend(cr, RPP_CHART_MARGIN, 0.0,
                               c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend,
                               false);
    axis_h = rpp__plot_time_axis_height(cr) + 16.0;
    top = rpp__plot_nice_max(
        (double)a->phases[RPP_PHASE_DOWNLOAD].max_kbps / RPP_KBPS_PER_MBPS, Y_TICKS);
    yw = nw.has_download ? rpp__plot_value_axis_width(cr, top, Y_TICKS) : 0.0;
    px0 = RPP_CHART_MARGIN + fmax(yw, 30.0) + 6.0;
    px1 = c->w - RPP_CHART_MARGIN - 8.0;
    download_range(&nw, px0, px1);
    /* without a download or retries there is a message and no axis */
    if (!nw.has_download && !cx->n_retries)
        axis_h = 0.0;
    if (nw.has_download || cx->n_retries)
        panel_nat = PANEL_NATURAL;
    else {
        /* the message's box as high as its lines need */
        rpp__buf d = RPP__BUF_INIT;

        no_download_note(c, &d);
        panel_nat = fmax(EMPTY_H, rpp__plot_no_data_height(
                                      cr, px1 - RPP_CHART_MARGIN,
                                      d.ptr && !d.oom ? d.ptr : ""));
        if (d.oom)
            c->status = RPP_ERR_NOMEM;
        rpp__buf_free(&d);
    }
    if (nw.n_rows_all == 0)
        rows_h = EMPTY_H - TABLE_HEAD;      /* room for the message */
    for (i = 0; i < nw.n_rows; i++)
        rows_h += rpp__net_row_h(&nw.rows[i]);
    more_h = nw.n_rows < nw.n_rows_all ? TABLE_LINE + 4.0 : 0.0;
    nw.panel_h = panel_nat;
    if (c->h > 0.0) {
        /* what the panel and the rows share: the titles, the axis, the
         * retries, the connections, the table's header and the legend
         * keep their natural height */
        avail = c->h - y - SECTION_TITLE - axis_h - nw.retries_h -
                SECTION_GAP - SECTION_TITLE - nw.conn_h - SECTION_GAP -
                SECTION_TITLE - TABLE_HEAD - 6.0 - legend_h -
                RPP_CHART_MARGIN - 8.0;
        if (avail >= panel_nat + rows_h + more_h) {
            nw.panel_h = avail - rows_h - more_h;   /* room to spare */
        } else if (nw.n_rows_all > 0) {
            /* the panel up to its natural height, the rows in what is
             * left after a line for the note of those left out, then the
             * panel takes what the rows leave */
            rows_budget = avail - TABLE_LINE - 4.0 -
                          rpp__plot_clamp(avail * 0.5, PANEL_MIN, panel_nat);
            rows_h = 0.0;
            for (i = 0; i < nw.n_rows; i++) {
                if (rows_h + rpp__net_row_h(&nw.rows[i]) > rows_budget)
                    break;
                rows_h += rpp__net_row_h(&nw.rows[i]);
            }
            nw.n_rows = i;
            more_h = nw.n_rows < nw.n_rows_all ? TABLE_LINE + 4.0 : 0.0;
            nw.panel_h = fmax(avail - rows_h - more_h, PANEL_MIN);
        } else {
            nw.panel_h = fmax(avail - rows_h, PANEL_MIN);
        }
    }
    nw.table_h = TABLE_HEAD + rows_h + more_h;
    body.x = px0;
    body.y = y + SECTION_TITLE;
    body.w = px1 - px0;
    body.h = nw.panel_h;
    download_h = SECTION_TITLE + nw.panel_h + axis_h + nw.retries_h;
    conn_area.x = RPP_CHART_MARGIN;
    conn_area.y = y + download_h + SECTION_GAP + SECTION_TITLE;
    conn_area.w = px1 - RPP_CHART_MARGIN;
    conn_area.h = nw.conn_h;
    table_area.x = RPP_CHART_MARGIN;
    table_area.y = conn_area.y + conn_area.h + SECTION_GAP + SECTION_TITLE;
    table_area.w = px1 - RPP_CHART_MARGIN;
    table_area.h = nw.table_h;
    c->layout->plot = body;
    c->layout->t0_ms = nw.xs.v0;
    c->layout->t1_ms = nw.xs.v1;
    if (nw.has_download)
        c->layout->phase[RPP_PHASE_DOWNLOAD] = body;
    if (c->h <= 0.0) {
        c->layout->height = table_area.y + table_area.h + 6.0 + legend_h +
                            RPP_CHART_MARGIN + 8.0;
        goto cleanup;
    }
    if (!c->paint)
        goto cleanup;

    /* the image download */
    download_title(&nw, y);
    if (nw.has_download || cx->n_retries) {
        draw_download(&nw, &body, axis_h);
    } else {
        rpp_render_rect wide = { RPP_CHART_MARGIN, body.y,
                                 px1 - RPP_CHART_MARGIN, body.h };
        rpp__buf d = RPP__BUF_INIT;

        no_download_note(c, &d);
        rpp__plot_no_data(cr, &wide, "No image download over time",
                         d.ptr && !d.oom ? d.ptr : "");
        if (d.oom)
            c->status = RPP_ERR_NOMEM;
        rpp__buf_free(&d);
    }

    /* the connections */
    section_title(c, conn_area.y - SECTION_TITLE, "Connection",
                  "curl's timings of each image download request "
                  "(networkConnectionStats)");
    if (nw.n_conn == 0) {
        rpp__plot_no_data(cr, &conn_area, "No connection statistics",
                         c->r->version < 3
                             ? "Version 2 reports do not record them."
                         : a->session.state == RPP_STATE_NEVER_STARTED
                             ? "No write was captured, so nothing was "
                               "downloaded."
                             : "The report has no networkConnectionStats "
                               "event: the image came from a file or the "
                               "cache, or the download did not finish.");
    } else {
        for (k = 0; k < nw.n_conn; k++)
            draw_connection(&nw, k, conn_area.y + (double)k *
                                        (CONN_TEXT + CONN_BAR + CONN_LEGEND +
                                         CONN_GAP));
        if (cx->n_connections > nw.n_conn) {
            char more[80];
            snprintf(more, sizeof(more), "+ %zu more connections not shown",
                     cx->n_connections - nw.n_conn);
            rpp__plot_font(cr, LABEL_FONT, false);
            rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
            rpp__plot_text(cr, RPP_CHART_MARGIN,
                          conn_area.y + conn_height(nw.n_conn) +
                              CONN_TEXT / 2.0, more, RPP_PLOT_LEFT, 0.0);
        }
    }

    /* the OS list, sublists and cache */
    section_title(c, table_area.y - SECTION_TITLE, "OS list, sublists and cache",
                  "what the Imager fetched and looked up, in time order");
    if (nw.n_rows_all == 0) {
        rpp__plot_no_data(cr, &table_area, "No OS list, sublist or cache "
                         "events", "The report has no osListFetch, "
                         "sublistFetch or cache event.");
    } else {
        rpp__net_draw_table(&nw, table_area.y);
    }
    rpp__plot_legend(cr, RPP_CHART_MARGIN, table_area.y + table_area.h + 6.0,
                    c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend, true);

cleanup:
    free(nw.rows);
    free(nw.tags);
}
