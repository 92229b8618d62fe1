/*
 * timeline.c - the timeline chart: a Gantt chart with the findings and the
 * four phases on top (spans of their histogram slices, per cycle) and one
 * row per event type below, in order of first occurrence. Pipeline
 * summaries are totals over the write, not spans of time: they have no row
 * on the time axis but are listed, with their values, in a panel of totals
 * under it.
 */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_FONT 11.0
#define ROW_NATURAL 20.0
#define ROW_MIN 10.0
#define ROW_MAX 24.0
#define GROUP_GAP 8.0
#define CYCLE_STRIP 16.0
#define MAX_FINDING_ROWS 6
#define TOTALS_MAX 12          /* distinct pipeline totals listed */
#define TOTALS_TITLE 22.0
#define TOTALS_LINE 15.0
#define TOTALS_GAP 6.0

typedef enum row_kind {
    ROW_FINDING,               /* index into a->findings */
    ROW_PHASE,
    ROW_TYPE,
    ROW_MORE                   /* "+ N more event types" */
} row_kind;

typedef struct row {
    row_kind kind;
    size_t index;              /* phase or index into a->types */
    double y;
} row;

/* A pipeline total in the panel: the first event of identical copies. */
typedef struct total {
    size_t event;
    size_t copies;
    int lines;                 /* of its text, wrapped */
} total;

typedef struct timeline {
    rpp_chart_ctx *c;
    total totals[TOTALS_MAX];
    size_t n_totals, n_totals_shown;
    size_t totals_more;        /* pipeline events not listed */
    double totals_label_w;     /* the panel's name column */
    double totals_h;
    row *rows;
    size_t n_rows, n_hidden;
    size_t first_type_row;     /* index in rows of the first ROW_TYPE */
    size_t *type_row;          /* a->types index -> rows index or SIZE_MAX */
    double rh;                 /* row height */
    double label_w;
    rpp__plot_scale xs;
    double top, bottom;        /* of the rows */
} timeline;

static bool same_id(const rpp_finding *a, const rpp_finding *b)
{
    return a->id && b->id && strcmp(a->id, b->id) == 0;
}

/* The findings with a place on the timeline, most severe first: one row
 * per rule (the first finding of each id stands for all of them). */
static size_t finding_rows(const rpp_analysis *a, size_t *out)
{
    size_t i, j, n = 0;

    for (i = 0; i < a->n_findings && n < MAX_FINDING_ROWS; i++) {
        if (!a->findings[i].n_spans || a->findings[i].level == RPP_LEVEL_OFF)
            continue;
        for (j = 0; j < n; j++)
            if (same_id(&a->findings[out[j]], &a->findings[i]))
                break;
        if (j == n)
            out[n++] = i;
    }
    return n;
}

static void row_label(const timeline *t, const row *rw, char *buf, size_t n,
                      const char **name)
{
    const rpp_analysis *a = t->c->a;

    buf[0] = '\0';
    switch (rw->kind) {
    case ROW_FINDING:
        *name = a->findings[rw->index].id ? a->findings[rw->index].id : "?";
        snprintf(buf, n, "%s", rpp_level_name(a->findings[rw->index].level));
        break;
    case ROW_PHASE:
        *name = rpp_phase_name((rpp_phase)rw->index);
        rpp_human_rate(buf, n, a->phases[rw->index].avg_kbps);
        break;
    case ROW_TYPE:
        *name = a->types[rw->index].name ? a->types[rw->index].name : "?";
        snprintf(buf, n, "\xc3\x97%llu",
                 (unsigned long long)a->types[rw->index].count);
        break;
    case ROW_MORE: *name = ""; break;
    }
}

/* The label column: as wide as the widest label, within limits. */
static double label_width(timeline *t)
{
    cairo_t *cr = t->c->cr;
    double w = 70.0, lw;
    char cnt[32];
    const char *name;
    size_t i;

    cairo_save(cr);
    rpp__plot_font(cr, LABEL_FONT, false);
    for (i = 0; i < t->n_rows; i++) {
        row_label(t, &t->rows[i], cnt, sizeof(cnt), &name);
        lw = rpp__plot_text_width(cr, name) + 8.0 +
             rpp__plot_text_width(cr, cnt) + 10.0;
        if (lw > w)
            w = lw;
    }

    cairo_restore(cr);
    return rpp__plot_clamp(w, 70.0, t->c->w * 0.3);
}

static size_t build_legend(timeline *t, rpp__plot_legend_item *items,
                           size_t max)
{
    const rpp_analysis *a = t->c->a;
    const rpp_report *r = t->c->r;
    bool failed = false, uncertain = false, levels[4] = { false };
    size_t n = 0, i;
    int cat;

    for (cat = 0; cat < RPP_CAT_COUNT && n < max; cat++) {
        /* pipeline totals have no bars: their panel is titled */
        if (!a->categories[cat].count || cat == RPP_CAT_PIPELINE)
            continue;
        items[n].label = rpp_category_title((rpp_category)cat);
        items[n].rgb = rpp__plot_category_rgb((rpp_category)cat);
        items[n].swatch = RPP_PLOT_SW_FILL;
        n++;
    }
    for (i = 0; i < r->n_events; i++) {
        if (rpp__chart_event_is_total(t->c, i))
            continue;
        failed = failed || !r->events[i].success;
        uncertain = uncertain || rpp__chart_event_uncertain(t->c, i);
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
    {
        size_t finds[MAX_FINDING_ROWS], nf = finding_rows(a, finds);
        for (i = 0; i < nf; i++)
            if ((int)a->findings[finds[i]].level >= 1 &&
                (int)a->findings[finds[i]].level <= 3)
                levels[a->findings[finds[i]].level] = true;
    }
    for (i = 1; i <= 3 && n < max; i++) {
        static const char *const names[] = { "", "finding: info",
                                             "finding: warning",
                                             "finding: error" };
        if (!levels[i])
            continue;
        items[n].label = names[i];
        items[n].rgb = rpp__plot_level_rgb((rpp_level)i);
        items[n++].swatch = RPP_PLOT_SW_FILL;
    }
    if (a->n_cycles > 1 && n < max) {
        items[n].label = "start of an imaging cycle";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_CYCLE);
        items[n++].swatch = RPP_PLOT_SW_DASHED;
    }
    return n;
}

/* ---- Pipeline totals ----------------------------------------------------- */

/* The cycle an event belongs to, or -1. */
static int cycle_of(const timeline *t, size_t i)
{
    return t->c->a->event_times ? t->c->a->event_times[i].cycle : -1;
}

static bool same_total(const timeline *t, size_t i, size_t j)
{
    const rpp_event *a = &t->c->r->events[i], *b = &t->c->r->events[j];

    return cycle_of(t, i) == cycle_of(t, j) && a->type == b->type &&
           a->duration_ms == b->duration_ms &&
           a->has_bytes == b->has_bytes &&
           a->bytes_transferred == b->bytes_transferred &&
           a->success == b->success &&
           strcmp(a->type_name ? a->type_name : "",
                  b->type_name ? b->type_name : "") == 0 &&
           strcmp(a->metadata ? a->metadata : "",
                  b->metadata ? b->metadata : "") == 0;
}

/* The distinct pipeline totals in file order (the Imager writes some of
 * them twice, before and after the final sync), at most TOTALS_MAX, those
 * of different cycles apart; each event is compared with those few, so
 * this stays linear. */
static void collect_totals(timeline *t)
{
    const rpp_report *r = t->c->r;
    size_t i, k;

    for (i = 0; i < r->n_events; i++) {
        if (!rpp__chart_event_is_total(t->c, i))
            continue;
        for (k = 0; k < t->n_totals; k++)
            if (same_total(t, t->totals[k].event, i))
                break;
        if (k < t->n_totals)
            t->totals[k].copies++;
        else if (t->n_totals < TOTALS_MAX) {
            t->totals[t->n_totals].event = i;
            t->totals[t->n_totals].copies = 1;
            t->totals[t->n_totals++].lines = 1;
        } else
            t->totals_more++;
    }
}

/* What a total says: its total time, its bytes, its metadata. */
static void total_text(timeline *t, size_t k, rpp__buf *b)
{
    const rpp_event *e = &t->c->r->events[t->totals[k].event];
    int cyc = cycle_of(t, t->totals[k].event);
    const char *sep = "";
    char buf[48];

    if (t->c->a->n_cycles > 1 && cyc >= 0) {
        rpp__buf_printf(b, "cycle %d", cyc + 1);
        sep = " \xc2\xb7 ";
    }
    if (e->duration_ms > 0) {
        rpp_human_duration(buf, sizeof(buf), (double)e->duration_ms);
        rpp__buf_printf(b, "%stotal %s", sep, buf);
        sep = " \xc2\xb7 ";
    }
    if (e->has_bytes && e->bytes_transferred > 0) {
        rpp_human_bytes(buf, sizeof(buf), (double)e->bytes_transferred);
        rpp__buf_printf(b, "%s%s", sep, buf);
        sep = " \xc2\xb7 ";
    }
    if (e->metadata && *e->metadata) {
        rpp__buf_puts(b, sep);
        rpp__buf_puts(b, rpp__chart_str(t->c, "text", e->metadata));
        sep = " \xc2\xb7 ";
    }
    if (!e->success)
        rpp__buf_printf(b, "%sfailed", sep);
    if (!b->len)
        rpp__buf_puts(b, "no values");
}

static const char *total_name(const timeline *t, size_t k)
{
    const rpp_event *e = &t->c->r->events[t->totals[k].event];

    return e->type_name ? e->type_name : "?";
}

/* Lays out the panel of totals (their name column and the lines of each
 * text) and returns its height, 0 without totals; max_h > 0 limits it, and
 * totals that do not fit are counted in the panel's last line. */
static double plan_totals(timeline *t, double max_h)
{
    rpp_chart_ctx *c = t->c;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT, lines = RPP__BUF_INIT;
    double w = 70.0, h, text_w;
    char cnt[32];
    size_t k;

    if (!t->n_totals)
        return 0.0;
    cairo_save(cr);
    rpp__plot_font(cr, LABEL_FONT, false);
    for (k = 0; k < t->n_totals; k++) {
        snprintf(cnt, sizeof(cnt), "\xc3\x97%zu", t->totals[k].copies);
        w = fmax(w, rpp__plot_text_width(cr, total_name(t, k)) + 8.0 +
                        rpp__plot_text_width(cr, cnt) + 10.0);
    }
    t->totals_label_w = rpp__plot_clamp(w, 70.0, c->w * 0.35);
    text_w = c->w - 2.0 * RPP_CHART_MARGIN - t->totals_label_w - 8.0;
    h = TOTALS_TITLE;
    t->n_totals_shown = 0;
    for (k = 0; k < t->n_totals; k++) {
        double need;

        b.len = 0;
        lines.len = 0;
        total_text(t, k, &b);
        t->totals[k].lines = b.ptr ? rpp__plot_wrap(cr, b.ptr, text_w, 3,
                                                  &lines)
                                   : 1;
        if (t->totals[k].lines < 1)
            t->totals[k].lines = 1;
        need = TOTALS_LINE * t->totals[k].lines + 3.0;
        /* with a limit, keep a line for the note of those left out */
        if (max_h > 0.0 && h + need + (k + 1 < t->n_totals ? TOTALS_LINE : 0.0)
                               > max_h)
            break;
        h += need;
        t->n_totals_shown++;
    }
    if (t->n_totals_shown < t->n_totals || t->totals_more)
        h += TOTALS_LINE;
    if (b.oom || lines.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
    rpp__buf_free(&lines);
    cairo_restore(cr);
    return h + TOTALS_GAP;
}

static void draw_totals(timeline *t, double y)
{
    rpp_chart_ctx *c = t->c;
    cairo_t *cr = c->cr;
    rpp__buf b = RPP__BUF_INIT;
    double x = RPP_CHART_MARGIN, right = x + t->totals_label_w - 8.0, tx,
           text_w, tw;
    char cnt[32], more[80];
    size_t k, left_out;

    if (!t->n_totals)
        return;
    tx = RPP_CHART_MARGIN + t->totals_label_w;
    text_w = c->w - RPP_CHART_MARGIN - 8.0 - tx;
    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    tw = rpp__plot_text(cr, x, y + TOTALS_TITLE / 2.0, "Pipeline totals",
                       RPP_PLOT_LEFT, 0.0);
    rpp__plot_font(cr, LABEL_FONT, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    rpp__plot_text(cr, x + tw + 8.0, y + TOTALS_TITLE / 2.0,
                  "sums over a whole write, recorded when it ended: not "
                  "spans of time, so not on the time axis",
                  RPP_PLOT_LEFT, c->w - 2.0 * RPP_CHART_MARGIN - tw - 8.0);
    y += TOTALS_TITLE;
    for (k = 0; k < t->n_totals_shown; k++) {
        double h = TOTALS_LINE * t->totals[k].lines;

        if (k % 2 == 1) {
            rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
            rpp__plot_fill_rect(cr, RPP_CHART_MARGIN, y,
                               c->w - 2.0 * RPP_CHART_MARGIN - 8.0, h + 3.0);
        }
        rpp__plot_font(cr, LABEL_FONT, false);
        snprintf(cnt, sizeof(cnt), "\xc3\x97%zu", t->totals[k].copies);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        tw = rpp__plot_text(cr, right, y + 1.5 + TOTALS_LINE / 2.0, cnt,
                           RPP_PLOT_RIGHT, 0.0);
        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                             RPP_CAT_PIPELINE), 0.35), 1.0);
        rpp__plot_text(cr, x, y + 1.5 + TOTALS_LINE / 2.0, total_name(t, k),
                      RPP_PLOT_LEFT, right - x - tw - 6.0);
        b.len = 0;
        total_text(t, k, &b);
        rpp__plot_set_named(cr, c->r->events[t->totals[k].event].success
                                   ? RPP_PLOT_TEXT
                                   : RPP_PLOT_FAILURE,
                           1.0);
        if (b.ptr)
            rpp__plot_text_lines(cr, tx, y + 1.5 + TOTALS_LINE / 2.0,
                                TOTALS_LINE, b.ptr, RPP_PLOT_LEFT, text_w,
                                t->totals[k].lines);
        rpp__chart_record(c, RPP_ITEM_TOTAL, t->totals[k].event, -1, x, y,
                          c->w - 2.0 * RPP_CHART_MARGIN - 8.0, h + 3.0,
                          (double)t->totals[k].copies, 0.0);
        y += h + 3.0;
    }
    left_out = t->totals_more;
    for (k = t->n_totals_shown; k < t->n_totals; k++)
        left_out += t->totals[k].copies;
    if (left_out) {
        snprintf(more, sizeof(more), "+ %zu more pipeline total%s not shown",
                 left_out, left_out == 1 ? "" : "s");
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, x, y + TOTALS_LINE / 2.0, more, RPP_PLOT_LEFT,
                      c->w - 2.0 * RPP_CHART_MARGIN);
    }
    if (b.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

static double text_luminance(rpp__plot_rgb c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* The height plan_rows() gives the rows at the natural size. */
static double natural_rows_h(const timeline *t)
{
    const rpp_analysis *a = t->c->a;
    size_t finds[MAX_FINDING_ROWS], n = finding_rows(a, finds), i;
    double budget = RPP_CHART_MAX_NATURAL - 200.0, rh, gap;
    size_t n_types = 0;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (a->phases[p].present)
            n++;
    for (i = 0; i < a->n_types; i++)
        if (a->types[i].category != RPP_CAT_PIPELINE)
            n_types++;
    gap = n && n_types ? GROUP_GAP : 0.0;
    n += n_types;
    rh = rpp__plot_clamp(rpp__plot_div(budget, (double)n, ROW_NATURAL),
                        ROW_MIN + 2.0, ROW_NATURAL);
    return fmin((double)n * rh, budget) + gap;
}

/* Chooses the rows and their height; returns false on out-of-memory. */
static bool plan_rows(timeline *t, double avail)
{
    const rpp_analysis *a = t->c->a;
    size_t n_fixed, n_types = a->n_types, fit, i, k = 0, n_find;
    size_t finds[MAX_FINDING_ROWS];
    int p;
    double gap;

    n_find = finding_rows(a, finds);
    n_fixed = n_find;
    for (i = 0; i < a->n_types; i++)
        if (a->types[i].category == RPP_CAT_PIPELINE)
            n_types--;     /* listed as totals, not rows */
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (a->phases[p].present)
            n_fixed++;
    t->rows = malloc((n_fixed + n_types + 1) * sizeof(*t->rows));
    t->type_row = malloc((a->n_types ? a->n_types : 1) * sizeof(*t->type_row));
    if (!t->rows || !t->type_row)
        return false;
    for (i = 0; i < a->n_types; i++)
        t->type_row[i] = SIZE_MAX;
    gap = n_fixed && n_types ? GROUP_GAP : 0.0;
    if (avail <= 0.0) {
        /* natural height: rows shrink to fit the largest natural height */
        double budget = RPP_CHART_MAX_NATURAL - 200.0;
        t->rh = rpp__plot_clamp(rpp__plot_div(budget, (double)(n_fixed + n_types),
                                            ROW_NATURAL),
                               ROW_MIN + 2.0, ROW_NATURAL);
        avail = budget + gap;
    } else {
        t->rh = rpp__plot_clamp(rpp__plot_div(avail - gap,
                                            (double)(n_fixed + n_types),
                                            ROW_MAX),
                               ROW_MIN, ROW_MAX);
    }
    /* rows that do not fit are dropped from the end, with a note row */
    fit = (size_t)rpp__plot_clamp(floor((avail - gap) / t->rh), 0.0,
                                 (double)(n_fixed + n_types));
    if (fit < n_fixed + n_types) {
        fit = fit > 0 ? fit - 1 : 0;
        if (fit < n_fixed)
            n_fixed = fit;   /* extreme: not even the phases fit */
    }
    for (i = 0; i < n_find && k < n_fixed; i++) {
        t->rows[k].kind = ROW_FINDING;
        t->rows[k++].index = finds[i];
    }
    for (p = 0; p < RPP_PHASE_COUNT && k < n_fixed; p++) {
        if (!a->phases[p].present)
            continue;
        t->rows[k].kind = ROW_PHASE;
        t->rows[k++].index = (size_t)p;
    }
    t->first_type_row = k;
    for (i = 0; i < a->n_types && k < fit; i++) {
        if (a->types[i].category == RPP_CAT_PIPELINE)
            continue;
        t->rows[k].kind = ROW_TYPE;
        t->rows[k].index = i;
        t->type_row[i] = k++;
    }
    t->n_hidden = n_types - (k - t->first_type_row);
    if (t->n_hidden) {
        t->rows[k].kind = ROW_MORE;
        t->rows[k++].index = t->n_hidden;
    }
    t->n_rows = k;
    return true;
}

static void place_rows(timeline *t)
{
    double y = t->top;
    size_t i;

    for (i = 0; i < t->n_rows; i++) {
        if (i > 0 && i == t->first_type_row && t->first_type_row > 0)
            y += GROUP_GAP;
        t->rows[i].y = y;
        y += t->rh;
    }
    t->bottom = y;
}

static void draw_phase_row(timeline *t, const row *rw)
{
    rpp_chart_ctx *c = t->c;
    cairo_t *cr = c->cr;
    rpp_phase p = (rpp_phase)rw->index;
    rpp__plot_rgb col = rpp__plot_phase_rgb(p);
    rpp_slice_run *runs = NULL;
    size_t n = 0, i, j;
    double y = rw->y + 2.0, h = t->rh - 4.0;
    char buf[64];

    if (rpp__chart_slice_runs(c, p, &runs, &n) != RPP_OK) {
        c->status = RPP_ERR_NOMEM;
        return;
    }
    rpp__plot_set(cr, col, 1.0);
    for (i = 0; i < n; i++) {
        double x0 = rpp__plot_map(&t->xs, runs[i].t0_ms);
        double x1 = rpp__plot_map(&t->xs, runs[i].t1_ms);
        if (x1 - x0 < RPP_PLOT_MIN_BAR)
            x1 = x0 + RPP_PLOT_MIN_BAR;
        rpp__plot_fill_rect(cr, x0, y, x1 - x0, h);
    }
    /* the writer's sample limit ended the data, not the phase */
    if (rpp__chart_truncation(c, p)) {
        double tx = rpp__plot_map(&t->xs, (double)c->a->phases[p].last_ms);

        rpp__plot_vline(cr, tx, rw->y, rw->y + t->rh,
                       rpp__plot_rgb_of(RPP_PLOT_MUTED), true);
        rpp__chart_record(c, RPP_ITEM_TRUNCATION, SIZE_MAX, (int)p, tx, rw->y,
                          0.0, t->rh, 0.0, (double)c->a->phases[p].last_ms);
    }
    /* with several cycles, the average of each in its widest run (the
     * label column has the average of all) */
    if (h >= 9.0 && c->a->n_cycles > 1) {
        rpp__plot_font(cr, rpp__plot_clamp(h - 3.0, 8.0, LABEL_FONT), false);
        for (i = 0; i < n; i++) {
            size_t best = i;
            const rpp_phase_stats *ps = &c->a->phases[p];
            double x0, x1;

            if (i > 0 && runs[i].cycle == runs[i - 1].cycle)
                continue;
            for (j = i + 1; j < n && runs[j].cycle == runs[i].cycle; j++)
                if (runs[j].t1_ms - runs[j].t0_ms >
                    runs[best].t1_ms - runs[best].t0_ms)
                    best = j;
            if (runs[i].cycle >= 0 && (size_t)runs[i].cycle < c->a->n_cycles)
                ps = &c->a->cycles[runs[i].cycle].phases[p];
            if (!ps->present)
                continue;
            rpp_human_rate(buf, sizeof(buf), ps->avg_kbps);
            strncat(buf, " avg", sizeof(buf) - strlen(buf) - 1);
            x0 = rpp__plot_map(&t->xs, runs[best].t0_ms);
            x1 = rpp__plot_map(&t->xs, runs[best].t1_ms);
            if (rpp__plot_text_width(cr, buf) + 8.0 > x1 - x0)
                continue;
            if (text_luminance(col) > 0.45)
                rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
            else
                cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
            rpp__plot_text(cr, (x0 + x1) / 2.0, rw->y + t->rh / 2.0, buf,
                          RPP_PLOT_CENTRE, 0.0);
        }
    }
    free(runs);
}

/* A finding's message on its row: inside its widest span (x, w) when it
 * fits there, else in the widest free part of the row, right of its last
 * span (ending at last_x) or left of its first (from first_x), else cut
 * to the widest of the three places. */
static void finding_message(timeline *t, const row *rw, rpp__plot_rgb col,
                            double x, double w, double first_x, double last_x,
                            const char *msg)
{
    cairo_t *cr = t->c->cr;
    double ym = rw->y + t->rh / 2.0, need, right, left;

    rpp__plot_font(cr, rpp__plot_clamp(t->rh - 7.0, 8.0, LABEL_FONT), false);
    need = rpp__plot_text_width(cr, msg) + 8.0;
    right = t->xs.p1 - last_x - 4.0;
    left = first_x - t->xs.p0 - 4.0;
    if (w >= 60.0 && (need <= w || (w >= right && w >= left))) {
        if (text_luminance(col) > 0.45)
            rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        else
            cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        rpp__plot_text(cr, x + 4.0, ym, msg, RPP_PLOT_LEFT, w - 8.0);
        return;
    }
    rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
    if (right >= 60.0 && (need <= right || right >= left))
        rpp__plot_text(cr, last_x + 4.0, ym, msg, RPP_PLOT_LEFT,
                       right - 4.0);
    else if (left >= 60.0)
        rpp__plot_text(cr, first_x - 4.0, ym, msg, RPP_PLOT_RIGHT,
                       left - 4.0);
}

/* The spans of a rule's findings in the severity colour, with the first
 * finding's message in the widest span when there is room. */
static void draw_finding_row(timeline *t, const row *rw)
{
    const rpp_analysis *a = t->c->a;
    const rpp_finding *first = &a->findings[rw->index];
    cairo_t *cr = t->c->cr;
    double y = rw->y + 2.0, h = t->rh - 4.0, best_w = 0.0, best_x = 0.0;
    double first_x = t->xs.p1, last_x = t->xs.p0;
    rpp__plot_rgb col;
    size_t i, k;

    for (i = rw->index; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];

        if (i != rw->index && !same_id(f, first))
            continue;
        col = rpp__plot_level_rgb(f->level);
        rpp__plot_set(cr, col, 1.0);
        for (k = 0; k < f->n_spans; k++) {
            double x0 = rpp__plot_map(&t->xs, (double)f->spans[k].start_ms);
            double x1 = rpp__plot_map(&t->xs, (double)f->spans[k].end_ms);
            double w = x1 - x0;

            if (w < RPP_PLOT_MIN_BAR) {
                x0 -= (RPP_PLOT_MIN_BAR - w) / 2.0;
                w = RPP_PLOT_MIN_BAR;
            }
            rpp__plot_fill_rect(cr, x0, y, w, h);
            first_x = fmin(first_x, x0);
            last_x = fmax(last_x, x0 + w);
            if (i == rw->index && w > best_w) {
                best_w = w;
                best_x = x0;
            }
        }
    }
    col = rpp__plot_level_rgb(first->level);
    /* the phases' sample limit: what it means, before the point where the
     * samples stop, where the row is empty */
    if (h >= 9.0 && first->phase >= 0 && first->phase < RPP_PHASE_COUNT &&
        rpp__chart_truncation(t->c, (rpp_phase)first->phase) == first &&
        best_x - t->xs.p0 >= 80.0) {
        char note[96];

        rpp__chart_truncation_note(note, sizeof(note));
        rpp__plot_font(cr, rpp__plot_clamp(h - 3.0, 8.0, LABEL_FONT), false);
        rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        rpp__plot_text(cr, best_x - 4.0, rw->y + t->rh / 2.0, note,
                      RPP_PLOT_RIGHT, best_x - t->xs.p0 - 8.0);
        rpp__chart_record(t->c, RPP_ITEM_TRUNCATION, SIZE_MAX, first->phase,
                          best_x, rw->y, 0.0, t->rh, 1.0,
                          (double)a->phases[first->phase].last_ms);
        return;
    }
    if (h >= 9.0 && first->message)
        finding_message(t, rw, col, best_x, best_w, first_x, last_x,
                        rpp__chart_str(t->c, "text", first->message));
}

static void draw_events(timeline *t)
{
    rpp_chart_ctx *c = t->c;
    const rpp_report *r = c->r;
    const rpp_analysis *a = c->a;
    cairo_t *cr = c->cr;
    size_t *rows = NULL, i;
    double *last_x1 = NULL, inset = t->rh >= 12.0 ? 3.0 : 1.0;

    if (rpp__chart_type_rows(c, &rows) != RPP_OK ||
        !(last_x1 = malloc((a->n_types ? a->n_types : 1) * sizeof(double)))) {
        c->status = RPP_ERR_NOMEM;
        free(rows);
        return;
    }
    for (i = 0; i < a->n_types; i++)
        last_x1[i] = -RPP_PLOT_COORD_LIMIT;
    /* failed events last, so that nothing covers them */
    for (int pass = 0; pass < 2; pass++) {
        for (i = 0; i < r->n_events; i++) {
            const rpp_event *e = &r->events[i];
            size_t k = rows[i], ri;
            double x0, x1;
            bool uncertain;

            if (k == SIZE_MAX || t->type_row[k] == SIZE_MAX)
                continue;
            if ((pass == 0) != e->success)
                continue;
            ri = t->type_row[k];
            x0 = rpp__plot_map(&t->xs, rpp__chart_event_start(c, i));
            x1 = rpp__plot_map(&t->xs, rpp__chart_event_end(c, i));
            uncertain = rpp__chart_event_uncertain(c, i);
            /* thousands of events in one pixel column: draw one */
            if (e->success && !uncertain && x1 <= last_x1[k] &&
                x0 >= last_x1[k] - RPP_PLOT_MIN_BAR)
                continue;
            rpp__plot_event_bar(cr, x0, t->rows[ri].y + inset, x1 - x0,
                               t->rh - 2.0 * inset,
                               rpp__plot_category_rgb(a->types[k].category),
                               !e->success, uncertain);
            rpp__chart_record(c, RPP_ITEM_EVENT, i, (int)k, x0,
                              t->rows[ri].y + inset, x1 - x0,
                              t->rh - 2.0 * inset, 0.0, 0.0);
            if (e->success && !uncertain)
                last_x1[k] = fmax(x1, x0 + RPP_PLOT_MIN_BAR);
        }
    }
    free(last_x1);
    free(rows);
}

static void draw_labels(timeline *t)
{
    cairo_t *cr = t->c->cr;
    double x = RPP_CHART_MARGIN, right = RPP_CHART_MARGIN + t->label_w - 8.0;
    char cnt[32], more[64];
    const char *name;
    size_t i;

    rpp__plot_font(cr, rpp__plot_clamp(t->rh - 2.0, 7.0, LABEL_FONT), false);
    for (i = 0; i < t->n_rows; i++) {
        const row *rw = &t->rows[i];
        double cy = rw->y + t->rh / 2.0, cw;

        if (rw->kind == ROW_MORE) {
            snprintf(more, sizeof(more), "+ %zu more event type%s not shown",
                     t->n_hidden, t->n_hidden == 1 ? "" : "s");
            rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
            rpp__plot_text(cr, x, cy, more, RPP_PLOT_LEFT, t->c->w - 2 * x);
            continue;
        }
        row_label(t, rw, cnt, sizeof(cnt), &name);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        cw = rpp__plot_text(cr, right, cy, cnt, RPP_PLOT_RIGHT, 0.0);
        if (rw->kind == ROW_TYPE)
            rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                                 t->c->a->types[rw->index].category), 0.35),
                         1.0);
        else if (rw->kind == ROW_FINDING)
            rpp__plot_set(cr, rpp__plot_darker(rpp__plot_level_rgb(
                                 t->c->a->findings[rw->index].level), 0.3),
                         1.0);
        else
            rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        rpp__plot_text(cr, x, cy, name, RPP_PLOT_LEFT,
                      right - x - cw - (cw > 0.0 ? 6.0 : 0.0));
    }
}

static void draw_cycles(timeline *t, double strip_y)
{
    const rpp_analysis *a = t->c->a;
    cairo_t *cr = t->c->cr;
    double last_right = -1e9;
    size_t i;

    if (a->n_cycles < 2)
        return;
    rpp__plot_font(cr, LABEL_FONT, true);
    for (i = 0; i < a->n_cycles; i++) {
        double x = rpp__plot_map(&t->xs, (double)a->cycles[i].offset_ms);

        if (i > 0 || x > t->xs.p0 + 1.0)
            rpp__plot_vline(cr, x, strip_y, t->bottom,
                           rpp__plot_rgb_of(RPP_PLOT_CYCLE), true);
        rpp__plot_cycle_label(cr, x, strip_y + CYCLE_STRIP / 2.0, i,
                              t->c->w, &last_right);
    }
}

void rpp__chart_timeline(rpp_chart_ctx *c)
{
    cairo_t *cr = c->cr;
    rpp__plot_legend_item legend[RPP_CAT_COUNT + 8];
    size_t n_legend, i;
    double y, px0, px1, legend_h, axis_h, strip_y, strip_h, avail = 0.0;
    timeline t;
    int p;

    memset(&t, 0, sizeof(t));
    t.c = c;
    y = rpp__chart_header(c, "Timeline");
    collect_totals(&t);
    n_legend = build_legend(&t, legend, sizeof(legend) / sizeof(legend[0]));
    legend_h = rpp__plot_legend(cr, RPP_CHART_MARGIN, 0.0,
                               c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend,
                               false);
    axis_h = rpp__plot_time_axis_height(cr) + 16.0;   /* with the unit */
    strip_h = c->a->n_cycles > 1 ? CYCLE_STRIP + 2.0 : 4.0;
    strip_y = y;
    t.top = y + strip_h;
    if (c->h > 0.0) {
        avail = c->h - t.top - axis_h - legend_h - RPP_CHART_MARGIN - 8.0;
        /* the totals take what the rows leave at their natural height
         * (all of them, at the natural size), or at least a third */
        t.totals_h = plan_totals(&t, fmax(fmax(avail / 3.0, TOTALS_TITLE +
                                                          2.0 * TOTALS_LINE),
                                          avail - natural_rows_h(&t) + 0.5));
        avail -= t.totals_h;
    } else {
        t.totals_h = plan_totals(&t, 0.0);
    }
    if (c->h > 0.0 && avail < ROW_MIN)
        avail = ROW_MIN;
    if (!plan_rows(&t, avail)) {
        c->status = RPP_ERR_NOMEM;
        goto cleanup;
    }
    t.label_w = label_width(&t);
    place_rows(&t);
    if (t.n_rows == 0 && c->h <= 0.0)
        t.bottom = t.top + 120.0;      /* room for the message */
    else if (t.n_rows == 0)
        t.bottom = t.top + avail;
    px0 = RPP_CHART_MARGIN + t.label_w;
    px1 = c->w - RPP_CHART_MARGIN - 8.0;
    t.xs = rpp__plot_scale_make(0.0, rpp__chart_timeline_end(c), px0, px1);
    c->layout->plot.x = px0;
    c->layout->plot.y = t.top;
    c->layout->plot.w = px1 - px0;
    c->layout->plot.h = t.bottom - t.top;
    c->layout->t0_ms = t.xs.v0;
    c->layout->t1_ms = t.xs.v1;
    for (i = 0; i < t.n_rows; i++) {
        if (t.rows[i].kind != ROW_PHASE)
            continue;
        p = (int)t.rows[i].index;
        c->layout->phase[p].x = px0;
        c->layout->phase[p].y = t.rows[i].y;
        c->layout->phase[p].w = px1 - px0;
        c->layout->phase[p].h = t.rh;
        rpp__chart_record(c, RPP_ITEM_PHASE, SIZE_MAX, p, px0, t.rows[i].y,
                          px1 - px0, t.rh, 0.0, 0.0);
    }
    for (i = 0; i < t.n_rows; i++)
        if (t.rows[i].kind == ROW_TYPE)
            rpp__chart_record(c, RPP_ITEM_TYPE_ROW, SIZE_MAX,
                              (int)t.rows[i].index, px0, t.rows[i].y,
                              px1 - px0, t.rh, 0.0, 0.0);
    if (c->h <= 0.0) {
        c->layout->height = t.bottom + axis_h + t.totals_h + legend_h +
                            RPP_CHART_MARGIN + 8.0;
        goto cleanup;
    }
    if (!c->paint)
        goto cleanup;

    /* alternate row shading, the grid, then the bars on top */
    for (i = 0; i < t.n_rows; i++) {
        if (i % 2 == 1 && t.rows[i].kind != ROW_MORE) {
            rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
            rpp__plot_fill_rect(cr, RPP_CHART_MARGIN, t.rows[i].y,
                               px1 - RPP_CHART_MARGIN, t.rh);
        }
    }
    rpp__plot_time_axis(cr, &t.xs, t.top, t.bottom, true, true);
    {
        char unit[48];
        snprintf(unit, sizeof(unit), "time (%s)",
                 rpp__plot_time_unit(t.xs.v1 - t.xs.v0));
        rpp__plot_font(cr, 11.0, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, px1, t.bottom + rpp__plot_time_axis_height(cr) + 7.0,
                      unit, RPP_PLOT_RIGHT, 0.0);
    }
    if (t.n_rows == 0) {
        rpp_render_rect area = { px0, t.top, px1 - px0, t.bottom - t.top };
        if (t.n_totals)
            rpp__plot_no_data(cr, &area, "No timed events and no throughput "
                             "data", "The report has only pipeline totals, "
                             "listed below.");
        else
            rpp__plot_no_data(cr, &area, "No events and no throughput data",
                             "The report has no events and no histogram "
                             "slices.");
    }
    for (i = 0; i < t.n_rows; i++) {
        if (t.rows[i].kind == ROW_PHASE)
            draw_phase_row(&t, &t.rows[i]);
        else if (t.rows[i].kind == ROW_FINDING)
            draw_finding_row(&t, &t.rows[i]);
    }
    cairo_save(cr);
    rpp__plot_rect_path(cr, px0 - RPP_PLOT_MIN_BAR, t.top,
                       px1 - px0 + 2.0 * RPP_PLOT_MIN_BAR, t.bottom - t.top);
    cairo_clip(cr);
    draw_events(&t);
    cairo_restore(cr);
    draw_cycles(&t, strip_y);
    draw_labels(&t);
    draw_totals(&t, t.bottom + axis_h);
    rpp__plot_legend(cr, RPP_CHART_MARGIN,
                    t.bottom + axis_h + t.totals_h + 4.0,
                    c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend, true);

cleanup:
    free(t.rows);
    free(t.type_row);
}
