/*
 * chart.c - pieces the three charts share: the title block, event times,
 * event rows by type and the slice runs of a phase.
 */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rpp__chart_str(rpp_chart_ctx *c, const char *kind, const char *s)
{
    const char *red;

    if (!s)
        return "";
    if (!c->rd || !*s)
        return s;
    red = strcmp(kind, "text") == 0 ? rpp_redact_text(c->rd, s)
                                    : rpp_redact(c->rd, kind, s);
    if (!red) {
        c->status = RPP_ERR_NOMEM;
        return "";
    }
    return red;
}

double rpp__chart_event_start(const rpp_chart_ctx *c, size_t i)
{
    if (!c->a->event_times)
        return (double)c->r->events[i].start_ms;
    return (double)c->a->event_times[i].start_ms;
}

double rpp__chart_event_end(const rpp_chart_ctx *c, size_t i)
{
    return rpp__chart_event_start(c, i) + (double)c->r->events[i].duration_ms;
}

bool rpp__chart_event_uncertain(const rpp_chart_ctx *c, size_t i)
{
    if (!c->a->event_times)
        return false;
    return c->a->event_times[i].outside_session ||
           c->a->event_times[i].wrapped;
}

bool rpp__chart_event_is_total(const rpp_chart_ctx *c, size_t i)
{
    return rpp_event_type_category(c->r->events[i].type) == RPP_CAT_PIPELINE;
}

void rpp__chart_record(rpp_chart_ctx *c, rpp__item_kind kind, size_t event,
                      int sub, double x, double y, double w, double h,
                      double value, double mark)
{
    rpp__chart_items *it = c->items;
    rpp__chart_item *v;

    if (!it || !c->paint || it->oom)
        return;
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 64;
        v = realloc(it->v, cap * sizeof(*v));
        if (!v) {
            it->oom = true;
            c->status = RPP_ERR_NOMEM;
            return;
        }
        it->v = v;
        it->cap = cap;
    }
    v = &it->v[it->n++];
    v->kind = kind;
    v->event = event;
    v->sub = sub;
    v->rect.x = x;
    v->rect.y = y;
    v->rect.w = w;
    v->rect.h = h;
    v->value = value;
    v->mark = mark;
}

void rpp__chart_items_free(rpp__chart_items *items)
{
    if (!items)
        return;
    free(items->v);
    memset(items, 0, sizeof(*items));
}

double rpp__chart_window_ms(const rpp_chart_ctx *c)
{
    return c->r->window_ms ? (double)c->r->window_ms : (double)RPP_WINDOW_MS;
}

double rpp__chart_timeline_end(const rpp_chart_ctx *c)
{
    const rpp_analysis *a = c->a;
    double end = 0.0;
    size_t i;
    int p;

    /* the analysis' timeline_ms also counts pipeline totals as if they
     * were spans: the end of the cycles, events and slices instead */
    for (i = 0; i < a->n_cycles; i++)
        end = fmax(end, (double)a->cycles[i].offset_ms +
                            (double)a->cycles[i].duration_ms);

    for (i = 0; i < c->r->n_events; i++)
        if (!rpp__chart_event_is_total(c, i))
            end = fmax(end, rpp__chart_event_end(c, i));
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (a->phases[p].present)
            end = fmax(end, (double)a->phases[p].last_ms);
    end = rpp__plot_finite(end, 0.0);
    return end < 1.0 ? 1000.0 : end;
}

const rpp_finding *rpp__chart_truncation(const rpp_chart_ctx *c,
                                        rpp_phase p)
{
    const rpp_analysis *a = c->a;
    size_t i;

    if (!a->phases[p].present)
        return NULL;
    for (i = 0; i < a->n_findings; i++)
        if (a->findings[i].phase == (int)p && a->findings[i].id &&
            strcmp(a->findings[i].id, "capture-truncated") == 0)
            return &a->findings[i];
    return NULL;
}

void rpp__chart_truncation_note(char *buf, size_t n)
{
    snprintf(buf, n, "samples stop here: the writer keeps %d per phase",
             RPP_MAX_SAMPLES_PER_PHASE);
}

/* ---- Rows by type ------------------------------------------------------- */

static const char *type_name(const rpp_type_stats *t)
{
    return t->name ? t->name : "";
}

int rpp__chart_type_rows(const rpp_chart_ctx *c, size_t **rows_out)
{
    const rpp_analysis *a = c->a;
    const rpp_report *r = c->r;
    size_t by_type[RPP_EV_COUNT], *rows = NULL, *table = NULL;
    size_t cap = 1, i, k, n_unknown = 0, mask;
    int st = RPP_ERR_NOMEM;

    *rows_out = NULL;
    for (i = 0; i < (size_t)RPP_EV_COUNT; i++)
        by_type[i] = SIZE_MAX;
    for (k = 0; k < a->n_types; k++) {
        if (a->types[k].type == RPP_EV_UNKNOWN)
            n_unknown++;
        else if ((int)a->types[k].type >= 0 &&
                 (int)a->types[k].type < RPP_EV_COUNT &&
                 by_type[a->types[k].type] == SIZE_MAX)
            by_type[a->types[k].type] = k;
    }
    /* unknown types are told apart by name: an open-addressing table */
    while (cap < n_unknown * 2 + 2)
        cap *= 2;
    mask = cap - 1;
    table = malloc(cap * sizeof(*table));
    rows = malloc((r->n_events ? r->n_events : 1) * sizeof(*rows));
    if (!table || !rows)
        goto cleanup;
    for (i = 0; i < cap; i++)
        table[i] = SIZE_MAX;
    for (k = 0; k < a->n_types; k++) {
        if (a->types[k].type != RPP_EV_UNKNOWN)
            continue;
        for (i = rpp__hash_str(type_name(&a->types[k])) & mask;
             table[i] != SIZE_MAX; i = (i + 1) & mask)
            if (strcmp(type_name(&a->types[table[i]]),
                       type_name(&a->types[k])) == 0)
                break;
        if (table[i] == SIZE_MAX)
            table[i] = k;
    }
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        size_t h;

        rows[i] = SIZE_MAX;
        if (e->type != RPP_EV_UNKNOWN) {
            if ((int)e->type >= 0 && (int)e->type < RPP_EV_COUNT)
                rows[i] = by_type[e->type];
            continue;
        }
        for (h = rpp__hash_str(e->type_name ? e->type_name : "") & mask;
             table[h] != SIZE_MAX; h = (h + 1) & mask) {
            if (strcmp(type_name(&a->types[table[h]]),
                       e->type_name ? e->type_name : "") == 0) {
                rows[i] = table[h];
                break;
            }
        }
    }
    *rows_out = rows;
    rows = NULL;
    st = RPP_OK;

cleanup:
    free(table);
    free(rows);
    return st;
}

/* ---- Slice runs ---------------------------------------------------------- */

/* The cycle that holds slice i of phase p, or -1. The analysis gives each
 * cycle a later range of slices than the cycle before, and the slices are
 * asked for in order: the search goes on from where the last one ended
 * (*from), which keeps thousands of cycles linear. */
static int cycle_of_slice(const rpp_analysis *a, rpp_phase p, size_t i,
                          size_t *from)
{
    while (*from < a->n_cycles &&
           (a->cycles[*from].slice_end[p] <= a->cycles[*from].slice_begin[p] ||
            a->cycles[*from].slice_end[p] <= i))
        (*from)++;      /* no slices of p, or all of them before i */
    if (*from < a->n_cycles && a->cycles[*from].slice_begin[p] <= i)
        return (int)*from;
    return -1;
}

int rpp__chart_slice_runs(const rpp_chart_ctx *c, rpp_phase p,
                         rpp_slice_run **out, size_t *n)
{
    const rpp_analysis *a = c->a;
    const rpp_phase_stats *ps = &a->phases[p];
    const uint64_t *t = a->slice_times[p];
    size_t ns = c->r->histograms[p].n_slices, i, g = 0, nr = 0, from = 0;
    double win = rpp__chart_window_ms(c);
    rpp_slice_run *runs;
    int cyc = -1, prev_cyc = -1;

    *out = NULL;
    *n = 0;
    if (!ps->present || !t || ns == 0)
        return RPP_OK;
    runs = malloc(ns * sizeof(*runs));
    if (!runs)
        return RPP_ERR_NOMEM;
    for (i = 0; i < ns; i++) {
        bool brk = i == 0;

        cyc = cycle_of_slice(a, p, i, &from);
        if (i > 0) {
            if (cyc != prev_cyc || t[i] < t[i - 1])
                brk = true;
            while (g < ps->n_gaps && ps->gaps[g].end_ms <= t[i - 1])
                g++;
            if (g < ps->n_gaps && ps->gaps[g].start_ms <= t[i])
                brk = true;
        }
        if (brk) {
            runs[nr].begin = i;
            runs[nr].t0_ms = (double)t[i];
            runs[nr].cycle = cyc;
            nr++;
        }
        runs[nr - 1].end = i + 1;
        runs[nr - 1].t1_ms = (double)t[i] + win;
        prev_cyc = cyc;
    }
    *out = runs;
    *n = nr;
    return RPP_OK;
}

/* ---- Title block --------------------------------------------------------- */

#define TITLE_FONT 17.0
#define SUB_FONT 12.0
#define BADGE_FONT 11.0

static void title_text(rpp_chart_ctx *c, rpp__buf *b)
{
    const rpp_summary *s = &c->r->summary;
    const char *img, *dev;

    if (c->o->title) {
        rpp__buf_puts(b, c->o->title);
        return;
    }
    img = rpp__chart_str(c, "image", s->image_name);
    dev = rpp__chart_str(c, "device", s->device_name);
    if (*img && *dev)
        rpp__buf_printf(b, "%s \xe2\x86\x92 %s", img, dev);
    else if (*img || *dev)
        rpp__buf_puts(b, *img ? img : dev);
    else
        rpp__buf_puts(b, "No image was written in this capture");
}

static void subtitle_text(rpp_chart_ctx *c, const char *what, rpp__buf *b)
{
    const rpp_analysis *a = c->a;
    char dur[48];
    double ms = (double)(a->session.wall_ms ? a->session.wall_ms
                                            : a->session.timeline_ms);

    rpp_human_duration(dur, sizeof(dur), ms);
    rpp__buf_printf(b, "%s \xc2\xb7 %s \xc2\xb7 %zu event%s", what, dur,
                   c->r->n_events, c->r->n_events == 1 ? "" : "s");
    if (a->n_cycles > 1)
        rpp__buf_printf(b, " \xc2\xb7 %zu imaging cycles", a->n_cycles);
    rpp__buf_printf(b, " \xc2\xb7 report version %d", c->r->version);
    if (c->r->export_time && *c->r->export_time) {
        rpp__buf_puts(b, " \xc2\xb7 exported ");
        rpp__buf_puts(b, rpp__chart_str(c, "text", c->r->export_time));
    }
}

double rpp__chart_header(rpp_chart_ctx *c, const char *what)
{
    cairo_t *cr = c->cr;
    rpp__buf title = RPP__BUF_INIT, sub = RPP__BUF_INIT, badge = RPP__BUF_INIT;
    const char *result = c->a->session.result;
    double x = RPP_CHART_MARGIN, right = c->w - RPP_CHART_MARGIN;
    double y1 = RPP_CHART_MARGIN + 10.0, y2 = RPP_CHART_MARGIN + 32.0;
    double bw = 0.0, bx;
    bool failed = c->a->session.state == RPP_STATE_FAILED;

    if (!c->paint)
        return RPP_CHART_MARGIN + 48.0;
    cairo_save(cr);
    /* the result on the right, as a badge: filled in the failure colour
     * when the write failed, outlined otherwise */
    if (!result || !*result)
        result = c->r->summary.success ? "succeeded" : "did not succeed";
    rpp__plot_font(cr, BADGE_FONT, true);
    bw = rpp__plot_fit(cr, rpp__chart_str(c, "text", result), c->w * 0.4,
                      &badge);
    if (badge.ptr && bw > 0.0) {
        bx = right - bw - 12.0;
        rpp__plot_rect_path(cr, bx + 0.5, y1 - 9.5, bw + 12.0, 19.0);
        if (failed) {
            rpp__plot_set_named(cr, RPP_PLOT_FAILURE, 1.0);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        } else {
            rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
            cairo_set_line_width(cr, 1.0);
            cairo_stroke(cr);
            rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        }
        rpp__plot_text(cr, bx + 6.0, y1, badge.ptr, RPP_PLOT_LEFT, 0.0);
        right = bx - 12.0;
    }
    title_text(c, &title);
    rpp__plot_font(cr, TITLE_FONT, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    if (title.ptr)
        rpp__plot_text(cr, x, y1, title.ptr, RPP_PLOT_LEFT, right - x);
    subtitle_text(c, what, &sub);
    rpp__plot_font(cr, SUB_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    if (sub.ptr)
        rpp__plot_text(cr, x, y2, sub.ptr, RPP_PLOT_LEFT,
                      c->w - 2.0 * RPP_CHART_MARGIN);
    if (title.oom || sub.oom || badge.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&title);
    rpp__buf_free(&sub);
    rpp__buf_free(&badge);
    cairo_restore(cr);
    return RPP_CHART_MARGIN + 48.0;
}
