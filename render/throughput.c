/*
 * throughput.c - the throughput chart: one panel per phase with data, on a
 * shared time axis. Each panel has the slice averages as a line, the
 * min-max band shaded, the analysis' stalls, drops and gaps marked, and the
 * events that overlap the phase as translucent spans, labelled once per
 * type.
 */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_NATURAL 150.0
#define PANEL_MIN 40.0
#define PANEL_TITLE 20.0
#define PANEL_GAP 10.0
#define EVENT_FONT 10.0
#define EVENT_LINE 12.0
#define MAX_LABEL_LINES 3
#define Y_TICKS 4
#define CYCLE_STRIP 16.0

/* The end of cycle k on the timeline. */
static double cycle_end(const rpp_analysis *a, size_t k)
{
    return (double)a->cycles[k].offset_ms + (double)a->cycles[k].duration_ms;
}

typedef struct panel_ctx {
    rpp_chart_ctx *c;
    rpp__plot_scale xs;
    const size_t *rows;        /* event -> a->types index */
    double *first_x;           /* per type: x of its first span, scratch */
    struct span *spans;        /* per event, scratch: the panel's spans */
    size_t n_spans;
    struct label_at *labels;   /* per type, scratch: the panel's labels */
    size_t n_labels;
} panel_ctx;

/* Where the events of phase p stop counting as the phase's, given its
 * ranges in one cycle (ps, one per phase) and the end of that cycle: the
 * phase's last slice, or, when no other phase ends after it, the start of
 * the next phase, or the end of the cycle when none follows. So an event
 * that runs between the write and the verify (finalSync) or after the last
 * phase (customisation) is drawn on the panel of the phase it follows. */
static double phase_events_end(const rpp_phase_stats *ps, rpp_phase p,
                               double cycle_end)
{
    double last = (double)ps[p].last_ms, end = fmax(cycle_end, last);
    int q;

    for (q = 0; q < RPP_PHASE_COUNT; q++) {
        if (q == (int)p || !ps[q].present)
            continue;
        if ((double)ps[q].last_ms > last && (double)ps[q].first_ms <= last)
            return last;            /* another phase goes on: not the last */
        if ((double)ps[q].first_ms > last)
            end = fmin(end, (double)ps[q].first_ms);
    }
    return end;
}

/* Whether [s, e] belongs to phase p in one cycle (ps, one per phase): it
 * meets the phase's time range, or lies wholly in the time after it that
 * phase_events_end() gives the phase. */
static bool in_phase(const rpp_phase_stats *ps, rpp_phase p, double cycle_end,
                     double s, double e)
{
    double first = (double)ps[p].first_ms, last = (double)ps[p].last_ms;

    if (!ps[p].present)
        return false;
    return (e >= first && s <= last) ||
           (s > last && e <= phase_events_end(ps, p, cycle_end));
}

/* Whether [s, e] belongs to phase p (in_phase()) in some cycle, so that the
 * time between two cycles' phases is not claimed, or over the whole
 * capture when there are no cycles. */
static bool meets_phase(const rpp_chart_ctx *c, rpp_phase p, double s,
                        double e)
{
    const rpp_analysis *a = c->a;
    size_t k;

    if (a->n_cycles == 0)
        return in_phase(a->phases, p, (double)a->session.timeline_ms, s, e);
    for (k = 0; k < a->n_cycles; k++)
        if (in_phase(a->cycles[k].phases, p, cycle_end(a, k), s, e))
            return true;
    return false;
}

/* The same question for many events: the phase's time range in each cycle
 * that has it, sorted by start, with the running maximum of their ends, and
 * the time after each range, sorted by start, so that each event is a
 * binary search rather than a pass over every cycle (thousands of cycles
 * times thousands of events). */
typedef struct phase_ranges {
    size_t n;
    double *first;             /* sorted */
    double *max_last;          /* the largest end among first[0..i] */
    double *after_first;       /* sorted: the ends of the ranges */
    double *after_end;         /* phase_events_end() of each */
} phase_ranges;

typedef struct range {
    double first, last;
} range;

static int cmp_range(const void *x, const void *y)
{
    const range *a = x, *b = y;

    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return 0;
}

static void ranges_free(phase_ranges *pr)
{
    free(pr->first);
    free(pr->max_last);
    free(pr->after_first);
    free(pr->after_end);
    memset(pr, 0, sizeof(*pr));
}

/* Returns RPP_OK or RPP_ERR_NOMEM. */
static int ranges_build(const rpp_chart_ctx *c, rpp_phase p, phase_ranges *pr)
{
    const rpp_analysis *a = c->a;
    size_t k, n = 0, cap = a->n_cycles ? a->n_cycles : 1;
    range *rs = malloc(cap * sizeof(*rs)), *after = malloc(cap * sizeof(*rs));

    memset(pr, 0, sizeof(*pr));
    pr->first = malloc(cap * sizeof(double));
    pr->max_last = malloc(cap * sizeof(double));
    pr->after_first = malloc(cap * sizeof(double));
    pr->after_end = malloc(cap * sizeof(double));
    if (!rs || !after || !pr->first || !pr->max_last || !pr->after_first ||
        !pr->after_end) {
        free(rs);
        free(after);
        ranges_free(pr);
        return RPP_ERR_NOMEM;
    }
    if (a->n_cycles == 0 && a->phases[p].present) {
        rs[n].first = (double)a->phases[p].first_ms;
        rs[n].last = (double)a->phases[p].last_ms;
        after[n].first = rs[n].last;
        after[n++].last = phase_events_end(a->phases, p,
                                           (double)a->session.timeline_ms);
    }
    for (k = 0; k < a->n_cycles; k++) {
        const rpp_phase_stats *ps = a->cycles[k].phases;
        if (!ps[p].present)
            continue;
        rs[n].first = (double)ps[p].first_ms;
        rs[n].last = (double)ps[p].last_ms;
        after[n].first = rs[n].last;
        after[n++].last = phase_events_end(ps, p, cycle_end(a, k));
    }
    qsort(rs, n, sizeof(*rs), cmp_range);
    qsort(after, n, sizeof(*after), cmp_range);
    for (k = 0; k < n; k++) {
        pr->first[k] = rs[k].first;
        pr->max_last[k] = k && pr->max_last[k - 1] > rs[k].last
                              ? pr->max_last[k - 1]
                              : rs[k].last;
        pr->after_first[k] = after[k].first;
        pr->after_end[k] = after[k].last;
    }
    pr->n = n;
    free(rs);
    free(after);
    return RPP_OK;
}

/* The number of values of v[0..n) (sorted) at or below x. */
static size_t count_at_or_below(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* meets_phase() through the ranges: some range starts at or before e and
 * ends at or after s, or [s, e] lies in the time after the last range
 * that ends before s. */
static bool ranges_meet(const phase_ranges *pr, double s, double e)
{
    size_t i = count_at_or_below(pr->first, pr->n, e);

    if (i > 0 && pr->max_last[i - 1] >= s)
        return true;
    i = count_at_or_below(pr->after_first, pr->n, s);
    return i > 0 && s > pr->after_first[i - 1] && e <= pr->after_end[i - 1];
}

/* Events drawn over the panels: real operations at a known time. Pipeline
 * totals and cycle markers are summaries, not intervals. */
static bool event_overlays(const rpp_chart_ctx *c, size_t i)
{
    if (rpp__chart_event_is_total(c, i) ||
        rpp_event_type_category(c->r->events[i].type) == RPP_CAT_CYCLE)
        return false;
    return !rpp__chart_event_uncertain(c, i);
}

static void shade_spans(cairo_t *cr, const rpp__plot_scale *xs,
                        const rpp_span *spans, size_t n, double y, double h)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double x0 = rpp__plot_map(xs, (double)spans[i].start_ms);
        double x1 = rpp__plot_map(xs, (double)spans[i].end_ms);
        if (x1 - x0 < RPP_PLOT_MIN_BAR)
            x1 = x0 + RPP_PLOT_MIN_BAR;
        rpp__plot_fill_rect(cr, x0, y, x1 - x0, h);
    }
}

/* A hatched band over each span, from y to y + h: filled in colour at
 * alpha fill, hatched every step pixels at alpha hatch; label (when not
 * NULL) is called with each band's ends. */
static void hatch_spans(cairo_t *cr, const rpp__plot_scale *xs,
                        const rpp_span *spans, size_t n, rpp__plot_colour colour,
                        double fill, double hatch, double y, double h,
                        double step, void (*label)(cairo_t *, double, double,
                                                   const rpp_render_rect *),
                        const rpp_render_rect *body)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double x0 = rpp__plot_map(xs, (double)spans[i].start_ms);
        double x1 = rpp__plot_map(xs, (double)spans[i].end_ms);

        if (x1 - x0 < RPP_PLOT_MIN_BAR)
            x1 = x0 + RPP_PLOT_MIN_BAR;
        rpp__plot_set_named(cr, colour, fill);
        rpp__plot_fill_rect(cr, x0, y, x1 - x0, h);
        rpp__plot_set_named(cr, colour, hatch);
        rpp__plot_hatch(cr, x0, y, x1 - x0, h, step, 1.0);
        if (label)
            label(cr, x0, x1, body);
    }
}

/* "no data" inside a gap wide enough for it. */
static void gap_label(cairo_t *cr, double x0, double x1,
                      const rpp_render_rect *body)
{
    rpp__plot_font(cr, EVENT_FONT, false);
    if (rpp__plot_text_width(cr, "no data") + 6.0 <= x1 - x0) {
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, (x0 + x1) / 2.0, body->y + body->h / 2.0,
                       "no data", RPP_PLOT_CENTRE, 0.0);
    }
}

/* Drops: a band along the bottom of the panel. */
static void draw_drops(cairo_t *cr, const rpp__plot_scale *xs,
                       const rpp_phase_stats *ps, const rpp_render_rect *body)
{
    hatch_spans(cr, xs, ps->drops, ps->n_drops, RPP_PLOT_WARNING, 0.25, 1.0,
                body->y + body->h - 12.0, 8.0, 3.0, NULL, body);
}

/* Gaps: the whole height of the panel, marked "no data". */
static void draw_gaps(cairo_t *cr, const rpp__plot_scale *xs,
                      const rpp_phase_stats *ps, const rpp_render_rect *body)
{
    hatch_spans(cr, xs, ps->gaps, ps->n_gaps, RPP_PLOT_GAP, 0.12, 0.55,
                body->y, body->h, 6.0, gap_label, body);
}

/* A translucent span: key is the index into a->types, or n_types for
 * failed events (drawn in the failure colour). */
typedef struct span {
    double x0, x1;
    size_t key;
} span;

static int cmp_span(const void *pa, const void *pb)
{
    const span *a = pa, *b = pb;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

/* The spans of the events overlapping phase p, into pc->spans (failed ones
 * last, so that their ticks are drawn over the others), with each type's
 * first span in pc->first_x. */
static void collect_events(panel_ctx *pc, rpp_phase p,
                           const rpp_render_rect *body)
{
    rpp_chart_ctx *c = pc->c;
    const rpp_analysis *a = c->a;
    phase_ranges pr;
    size_t i, k;
    int pass;

    pc->n_spans = 0;
    for (k = 0; k < a->n_types; k++)
        pc->first_x[k] = HUGE_VAL;
    if (!pc->rows)
        return;
    if (ranges_build(c, p, &pr) != RPP_OK) {
        c->status = RPP_ERR_NOMEM;
        return;
    }
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < c->r->n_events; i++) {
            double s = rpp__chart_event_start(c, i);
            double e = rpp__chart_event_end(c, i), x0, x1;
            bool ok = c->r->events[i].success;

            k = pc->rows[i];
            if (k == SIZE_MAX || ok != (pass == 0) || !event_overlays(c, i) ||
                !ranges_meet(&pr, s, e))
                continue;
            x0 = rpp__plot_map(&pc->xs, s);
            x1 = rpp__plot_map(&pc->xs, e);
            if (x1 - x0 < RPP_PLOT_MIN_BAR) {
                x0 -= (RPP_PLOT_MIN_BAR - (x1 - x0)) / 2.0;
                x1 = x0 + RPP_PLOT_MIN_BAR;
            }
            pc->spans[pc->n_spans].x0 = x0;
            pc->spans[pc->n_spans].x1 = x1;
            pc->spans[pc->n_spans++].key = ok ? k : a->n_types;
            rpp__chart_record(c, RPP_ITEM_EVENT, i, (int)p, x0, body->y,
                              x1 - x0, body->h, 0.0, 0.0);
            if (x0 < pc->first_x[k])
                pc->first_x[k] = x0;
        }
    }
    ranges_free(&pr);
}

static rpp__plot_rgb span_rgb(const panel_ctx *pc, size_t key)
{
    const rpp_analysis *a = pc->c->a;

    return key < a->n_types ? rpp__plot_category_rgb(a->types[key].category)
                            : rpp__plot_rgb_of(RPP_PLOT_FAILURE);
}

/* The spans collect_events() found: a solid tick along the top of each,
 * and a translucent band below. Overlapping spans of one type are merged
 * before they are drawn, so that thousands of events do not add up to an
 * opaque block. */
static void draw_events(panel_ctx *pc, const rpp_render_rect *body)
{
    cairo_t *cr = pc->c->cr;
    span *sp = pc->spans;
    size_t i, m, n = pc->n_spans;

    for (i = 0; i < n; i++) {
        rpp__plot_set(cr, span_rgb(pc, sp[i].key), 1.0);
        rpp__plot_fill_rect(cr, sp[i].x0, body->y, sp[i].x1 - sp[i].x0, 3.0);
    }
    qsort(sp, n, sizeof(*sp), cmp_span);
    for (i = 0; i < n; i = m) {
        double x1 = sp[i].x1;

        for (m = i + 1; m < n && sp[m].key == sp[i].key && sp[m].x0 <= x1;
             m++)
            x1 = fmax(x1, sp[m].x1);
        rpp__plot_set(cr, span_rgb(pc, sp[i].key), 0.14);
        rpp__plot_fill_rect(cr, sp[i].x0, body->y + 3.0, x1 - sp[i].x0,
                           body->h - 3.0);
    }
}

/* A type to label, at the x of its first span; once placed, on line
 * "line" of the label lane. */
typedef struct label_at {
    double x;
    size_t k, line;
} label_at;

static int cmp_label_at(const void *x, const void *y)
{
    const label_at *a = x, *b = y;

    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->k < b->k ? -1 : (a->k > b->k);
}

/* Places the type names of the spans collect_events() found: once per
 * type, at its first span (first_x), on the first of a few lines where it
 * does not run into another name, and left out when every line is taken
 * there. The lines form a lane along the top of the panel that the series
 * is scaled to stay below, so that no name covers the data. The labels
 * placed go to pc->labels; returns the number of lines used. */
static size_t place_event_labels(panel_ctx *pc, const rpp_render_rect *body)
{
    rpp_chart_ctx *c = pc->c;
    const rpp_analysis *a = c->a;
    cairo_t *cr = c->cr;
    double line_right[MAX_LABEL_LINES];
    size_t i, k, n_lines, n_order = 0, o, used = 0;
    label_at *order = pc->labels;

    pc->n_labels = 0;
    if (!pc->rows)
        return 0;
    /* the lane takes at most about a third of the panel */
    n_lines = (size_t)rpp__plot_clamp(floor((body->h * 0.3) / EVENT_LINE), 0.0,
                                     MAX_LABEL_LINES);
    if (n_lines > MAX_LABEL_LINES)
        n_lines = MAX_LABEL_LINES;
    for (i = 0; i < MAX_LABEL_LINES; i++)
        line_right[i] = -HUGE_VAL;
    rpp__plot_font(cr, EVENT_FONT, false);
    /* left to right (sorted once: with thousands of types, looking for the
     * leftmost one again and again would be quadratic) */
    for (k = 0; k < a->n_types; k++)
        if (isfinite(pc->first_x[k])) {
            order[n_order].x = pc->first_x[k];
            order[n_order++].k = k;
        }
    qsort(order, n_order, sizeof(*order), cmp_label_at);
    for (o = 0; o < n_order; o++) {
        size_t best = order[o].k, l;
        double w, x;

        x = rpp__plot_clamp(order[o].x + 2.0, body->x, body->x + body->w);
        /* keeping the label inside the panel only moves it left: when no
         * line is free here, none is there, and it need not be measured */
        for (l = 0; l < n_lines; l++)
            if (x >= line_right[l] + 6.0)
                break;
        if (l == n_lines)
            continue;       /* every line is taken there: skip the label */
        w = rpp__plot_text_width(cr, a->types[best].name);
        if (x + w > body->x + body->w - 2.0)
            x = body->x + body->w - 2.0 - w;   /* keep it inside the panel */
        for (l = 0; l < n_lines; l++)
            if (x >= line_right[l] + 6.0)
                break;
        if (l == n_lines || x < body->x)
            continue;
        line_right[l] = x + w;
        /* written in place: the entries before o are done with */
        order[pc->n_labels].x = x;
        order[pc->n_labels].k = best;
        order[pc->n_labels++].line = l;
        if (l + 1 > used)
            used = l + 1;
    }
    return used;
}

/* The labels place_event_labels() placed, in the lane above y_top (the
 * y of the panel's highest value). */
static void draw_event_labels(panel_ctx *pc, rpp_phase p,
                              const rpp_render_rect *body, double y_top)
{
    const rpp_analysis *a = pc->c->a;
    cairo_t *cr = pc->c->cr;
    size_t i;

    rpp__plot_font(cr, EVENT_FONT, false);
    for (i = 0; i < pc->n_labels; i++) {
        const label_at *lb = &pc->labels[i];
        double y = body->y + 4.0 + EVENT_LINE * (double)lb->line;

        rpp__chart_record(pc->c, RPP_ITEM_LABEL, SIZE_MAX, (int)p, lb->x, y,
                          rpp__plot_text_width(cr, a->types[lb->k].name),
                          EVENT_LINE, 0.0, y_top);

        rpp__plot_set(cr, rpp__plot_darker(rpp__plot_category_rgb(
                             a->types[lb->k].category), 0.45),
                     1.0);
        rpp__plot_text(cr, lb->x, y + EVENT_LINE / 2.0, a->types[lb->k].name,
                      RPP_PLOT_LEFT, 0.0);
    }
}

void rpp__chart_phase_marks(rpp_chart_ctx *c, rpp_phase p,
                           const rpp__plot_scale *xs,
                           const rpp_render_rect *body)
{
    const rpp_phase_stats *ps = &c->a->phases[p];
    cairo_t *cr = c->cr;

    rpp__plot_time_axis(cr, xs, body->y, body->y + body->h, false, true);
    cairo_save(cr);
    rpp__plot_rect_path(cr, body->x, body->y, body->w, body->h);
    cairo_clip(cr);
    draw_gaps(cr, xs, ps, body);
    /* stalls: shaded, with a solid strip along the bottom; drops: a
     * hatched strip above it */
    rpp__plot_set_named(cr, RPP_PLOT_STALL, 0.25);
    shade_spans(cr, xs, ps->stalls, ps->n_stalls, body->y, body->h);
    rpp__plot_set_named(cr, RPP_PLOT_STALL, 1.0);
    shade_spans(cr, xs, ps->stalls, ps->n_stalls, body->y + body->h - 4.0,
                4.0);
    draw_drops(cr, xs, ps, body);
    cairo_restore(cr);
}

/* Band and line of one phase, run by run. */
void rpp__chart_phase_series(rpp_chart_ctx *c, rpp_phase p,
                            const rpp__plot_scale *xs,
                            const rpp__plot_scale *ys,
                            const rpp_render_rect *body)
{
    cairo_t *cr = c->cr;
    const rpp_slice *sl = c->r->histograms[p].slices;
    const uint64_t *t = c->a->slice_times[p];
    rpp__plot_rgb col = rpp__plot_phase_rgb(p);
    double half = rpp__chart_window_ms(c) / 2.0;
    rpp_slice_run *runs = NULL;
    size_t n = 0, i, k;

    if (rpp__chart_slice_runs(c, p, &runs, &n) != RPP_OK) {
        c->status = RPP_ERR_NOMEM;
        return;
    }
    cairo_save(cr);
    rpp__plot_rect_path(cr, body->x, body->y, body->w, body->h);
    cairo_clip(cr);
    for (i = 0; i < n; i++) {
        size_t b = runs[i].begin, e = runs[i].end;

        /* one slice: a flat band and line across its window */
        if (e - b == 1) {
            double x0 = rpp__plot_map(xs, (double)t[b]);
            double x1 = rpp__plot_map(xs, (double)t[b] + 2.0 * half);
            double ymin = rpp__plot_map(ys, (double)sl[b].min_kbps / RPP_KBPS_PER_MBPS);
            double ymax = rpp__plot_map(ys, (double)sl[b].max_kbps / RPP_KBPS_PER_MBPS);
            double yavg = rpp__plot_map(ys, (double)sl[b].avg_kbps / RPP_KBPS_PER_MBPS);

            if (x1 - x0 < RPP_PLOT_MIN_BAR)
                x1 = x0 + RPP_PLOT_MIN_BAR;
            rpp__plot_set(cr, col, 0.28);
            rpp__plot_fill_rect(cr, x0, ymax, x1 - x0, ymin - ymax);
            rpp__plot_set(cr, col, 1.0);
            cairo_set_line_width(cr, 1.8);
            cairo_move_to(cr, x0, yavg);
            cairo_line_to(cr, x1, yavg);
            cairo_stroke(cr);
            continue;
        }
        /* the band: along the maxima, back along the minima */
        for (k = b; k < e; k++)
            cairo_line_to(cr, rpp__plot_map(xs, (double)t[k] + half),
                          rpp__plot_map(ys, (double)sl[k].max_kbps / RPP_KBPS_PER_MBPS));
        for (k = e; k-- > b;)
            cairo_line_to(cr, rpp__plot_map(xs, (double)t[k] + half),
                          rpp__plot_map(ys, (double)sl[k].min_kbps / RPP_KBPS_PER_MBPS));
        cairo_close_path(cr);
        rpp__plot_set(cr, col, 0.28);
        cairo_fill(cr);
        for (k = b; k < e; k++)
            cairo_line_to(cr, rpp__plot_map(xs, (double)t[k] + half),
                          rpp__plot_map(ys, (double)sl[k].avg_kbps / RPP_KBPS_PER_MBPS));
        rpp__plot_set(cr, col, 1.0);
        cairo_set_line_width(cr, 1.8);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    free(runs);
}

static void panel_title(panel_ctx *pc, rpp_phase p, double x, double y,
                        double w)
{
    const rpp_phase_stats *ps = &pc->c->a->phases[p];
    cairo_t *cr = pc->c->cr;
    rpp__buf b = RPP__BUF_INIT;
    char avg[32], mn[32], mx[32];
    double tw;

    rpp__plot_font(cr, 12.0, true);
    rpp__plot_set(cr, rpp__plot_darker(rpp__plot_phase_rgb(p), 0.25), 1.0);
    tw = rpp__plot_text(cr, x, y, rpp_phase_name(p), RPP_PLOT_LEFT, w);
    rpp_human_rate(avg, sizeof(avg), ps->avg_kbps);
    rpp_human_rate(mn, sizeof(mn), ps->min_kbps);
    rpp_human_rate(mx, sizeof(mx), ps->max_kbps);
    rpp__buf_printf(&b, "(MB/s)  average %s \xc2\xb7 min %s \xc2\xb7 max %s"
                   " \xc2\xb7 %zu slice%s",
                   avg, mn, mx, ps->n_slices, ps->n_slices == 1 ? "" : "s");
    if (ps->n_stalls)
        rpp__buf_printf(&b, " \xc2\xb7 %zu stall%s", ps->n_stalls,
                       ps->n_stalls == 1 ? "" : "s");
    if (ps->n_drops)
        rpp__buf_printf(&b, " \xc2\xb7 %zu drop%s", ps->n_drops,
                       ps->n_drops == 1 ? "" : "s");
    if (ps->n_gaps)
        rpp__buf_printf(&b, " \xc2\xb7 %zu gap%s", ps->n_gaps,
                       ps->n_gaps == 1 ? "" : "s");
    rpp__plot_font(cr, 11.0, false);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    if (b.ptr)
        rpp__plot_text(cr, x + tw + 8.0, y, b.ptr, RPP_PLOT_LEFT,
                      w - tw - 8.0);
    if (b.oom)
        pc->c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&b);
}

/* Where a phase that reached the writer's sample limit stops: a dashed
 * line at its last slice and, to the right of it, where no slice of the
 * phase follows, a note saying why the line ends there (y_top: the y of
 * the panel's highest value, below the lane of event names). */
static void draw_truncation(panel_ctx *pc, rpp_phase p,
                            const rpp_render_rect *body, double y_top)
{
    rpp_chart_ctx *c = pc->c;
    cairo_t *cr = c->cr;
    rpp__buf lines = RPP__BUF_INIT;
    char note[96];
    double x, room;
    int n;

    if (!rpp__chart_truncation(c, p))
        return;
    x = rpp__plot_map(&pc->xs, (double)c->a->phases[p].last_ms);
    if (x < body->x || x > body->x + body->w)
        return;
    rpp__plot_vline(cr, x, body->y, body->y + body->h,
                   rpp__plot_rgb_of(RPP_PLOT_MUTED), true);
    room = body->x + body->w - x - 10.0;
    rpp__chart_record(c, RPP_ITEM_TRUNCATION, SIZE_MAX, (int)p, x, body->y,
                      0.0, body->h, room >= 80.0,
                      (double)c->a->phases[p].last_ms);
    if (room < 80.0)
        return;             /* no room for the note after the line */
    rpp__chart_truncation_note(note, sizeof(note));
    rpp__plot_font(cr, EVENT_FONT, false);
    n = rpp__plot_wrap(cr, note, room, 3, &lines);
    if (n > 0) {
        rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
        rpp__plot_text_lines(cr, x + 5.0,
                            (y_top + body->y + body->h) / 2.0 -
                                EVENT_LINE * (double)(n - 1) / 2.0,
                            EVENT_LINE, note, RPP_PLOT_LEFT, room, 3);
    }
    if (lines.oom)
        c->status = RPP_ERR_NOMEM;
    rpp__buf_free(&lines);
}

static void draw_panel(panel_ctx *pc, rpp_phase p, const rpp_render_rect *body)
{
    const rpp_phase_stats *ps = &pc->c->a->phases[p];
    cairo_t *cr = pc->c->cr;
    double lane, top;
    int ticks;
    rpp__plot_scale ys;

    collect_events(pc, p, body);
    lane = EVENT_LINE * (double)place_event_labels(pc, body);
    /* fewer ticks on a short panel, so that their labels stay apart; the
     * values stay below the lane of event names */
    ticks = (int)rpp__plot_clamp(floor((body->h - lane) / 28.0), 1.0, Y_TICKS);
    top = rpp__plot_nice_max((double)ps->max_kbps / RPP_KBPS_PER_MBPS, ticks);
    ys = rpp__plot_scale_make(0.0, top, body->y + body->h,
                              body->y + 4.0 + lane);
    panel_title(pc, p, RPP_CHART_MARGIN, body->y - PANEL_TITLE / 2.0,
                pc->c->w - 2.0 * RPP_CHART_MARGIN);
    rpp__plot_value_axis(cr, &ys, body->x, body->x + body->w, ticks);
    rpp__chart_phase_marks(pc->c, p, &pc->xs, body);
    cairo_save(cr);
    rpp__plot_rect_path(cr, body->x, body->y, body->w, body->h);
    cairo_clip(cr);
    draw_events(pc, body);
    cairo_restore(cr);
    rpp__chart_phase_series(pc->c, p, &pc->xs, &ys, body);
    draw_event_labels(pc, p, body, ys.p1);
    draw_truncation(pc, p, body, ys.p1);
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    rpp__plot_rect_path(cr, floor(body->x) + 0.5, floor(body->y) + 0.5,
                       floor(body->w), floor(body->h));
    cairo_stroke(cr);
}

/* Dashed lines where cycles start (after the first) through the panels,
 * labelled in the strip above them. */
static void draw_cycles(panel_ctx *pc, double strip_y)
{
    const rpp_analysis *a = pc->c->a;
    cairo_t *cr = pc->c->cr;
    double last_right = -1e9;
    size_t i;
    int p;

    if (a->n_cycles < 2)
        return;
    rpp__plot_font(cr, 11.0, true);
    for (i = 0; i < a->n_cycles; i++) {
        double t = (double)a->cycles[i].offset_ms;
        double x = rpp__plot_map(&pc->xs, t);

        if (t < pc->xs.v0 || t > pc->xs.v1)
            continue;
        for (p = 0; i > 0 && p < RPP_PHASE_COUNT; p++) {
            const rpp_render_rect *b = &pc->c->layout->phase[p];
            if (b->h > 0.0)
                rpp__plot_vline(cr, x, b->y, b->y + b->h,
                               rpp__plot_rgb_of(RPP_PLOT_CYCLE), true);
        }
        if (i > 0)
            rpp__plot_vline(cr, x, strip_y, strip_y + CYCLE_STRIP,
                           rpp__plot_rgb_of(RPP_PLOT_CYCLE), true);
        rpp__plot_cycle_label(cr, x, strip_y + CYCLE_STRIP / 2.0, i,
                              pc->c->w, &last_right);
    }
}

static size_t build_legend(const rpp_chart_ctx *c,
                           rpp__plot_legend_item *items, size_t max)
{
    const rpp_analysis *a = c->a;
    bool stalls = false, drops = false, gaps = false;
    bool cats[RPP_CAT_COUNT] = { false }, failed = false;
    size_t n = 0, i;
    int p, cat;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *ps = &a->phases[p];
        phase_ranges pr;
        bool fast;

        if (!ps->present)
            continue;
        stalls = stalls || ps->n_stalls;
        drops = drops || ps->n_drops;
        gaps = gaps || ps->n_gaps;
        /* out of memory: the same answers, cycle by cycle */
        fast = ranges_build(c, (rpp_phase)p, &pr) == RPP_OK;
        for (i = 0; i < c->r->n_events; i++) {
            double s = rpp__chart_event_start(c, i),
                   e = rpp__chart_event_end(c, i);
            if (!event_overlays(c, i) ||
                !(fast ? ranges_meet(&pr, s, e)
                       : meets_phase(c, (rpp_phase)p, s, e)))
                continue;
            if (!c->r->events[i].success)
                failed = true;
            else
                cats[rpp_event_type_category(c->r->events[i].type)] = true;
        }
        if (fast)
            ranges_free(&pr);
    }
    items[n].label = "average of each window";
    items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_MUTED);
    items[n++].swatch = RPP_PLOT_SW_LINE;
    items[n].label = "min\xe2\x80\x93max";
    items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_MUTED);
    items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
    if (stalls) {
        items[n].label = "stall (below 1 MB/s)";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_STALL);
        items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
    }
    if (drops) {
        items[n].label = "drop (below half the median)";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_WARNING);
        items[n++].swatch = RPP_PLOT_SW_HATCH;
    }
    if (gaps) {
        items[n].label = "gap (no data)";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_GAP);
        items[n++].swatch = RPP_PLOT_SW_HATCH;
    }
    for (cat = 0; cat < RPP_CAT_COUNT && n < max; cat++) {
        if (!cats[cat])
            continue;
        items[n].label = rpp_category_title((rpp_category)cat);
        items[n].rgb = rpp__plot_category_rgb((rpp_category)cat);
        items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
    }
    if (failed && n < max) {
        items[n].label = "failed event";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_FAILURE);
        items[n++].swatch = RPP_PLOT_SW_TRANSLUCENT;
    }
    if (a->n_cycles > 1 && n < max) {
        items[n].label = "start of an imaging cycle";
        items[n].rgb = rpp__plot_rgb_of(RPP_PLOT_CYCLE);
        items[n++].swatch = RPP_PLOT_SW_DASHED;
    }
    return n;
}

void rpp__chart_throughput(rpp_chart_ctx *c)
{
    const rpp_analysis *a = c->a;
    cairo_t *cr = c->cr;
    rpp__plot_legend_item legend[RPP_CAT_COUNT + 8];
    size_t n_legend, n_panels = 0;
    double y, legend_h, axis_h, px0, px1, avail, panel_h, t0 = 0.0, t1 = 0.0;
    double yw = 0.0, strip_y;
    panel_ctx pc;
    size_t *rows = NULL;
    int p;

    memset(&pc, 0, sizeof(pc));
    pc.c = c;
    y = rpp__chart_header(c, "Throughput");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *ps = &a->phases[p];
        double top;

        if (!ps->present)
            continue;
        top = rpp__plot_nice_max((double)ps->max_kbps / RPP_KBPS_PER_MBPS, Y_TICKS);
        yw = fmax(yw, rpp__plot_value_axis_width(cr, top, Y_TICKS));
        n_panels++;
    }
    /* the session as the timeline spans it, so that what happens before
     * the first slice (a long preparation) and after the last one (the
     * final sync, customisation) is on the same axis */
    t1 = rpp__chart_timeline_end(c);
    n_legend = n_panels ? build_legend(c, legend,
                                       sizeof(legend) / sizeof(legend[0]))
                        : 0;
    legend_h = rpp__plot_legend(cr, RPP_CHART_MARGIN, 0.0,
                               c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend,
                               false);
    axis_h = rpp__plot_time_axis_height(cr) + 16.0;
    px0 = RPP_CHART_MARGIN + fmax(yw, 30.0) + 6.0;
    px1 = c->w - RPP_CHART_MARGIN - 8.0;
    y += 6.0;
    strip_y = y;
    if (n_panels && a->n_cycles > 1)
        y += CYCLE_STRIP;
    if (c->h <= 0.0)
        panel_h = PANEL_NATURAL;
    else {
        avail = c->h - y - (n_panels ? axis_h : 0.0) - legend_h -
                RPP_CHART_MARGIN - 8.0;
        panel_h = n_panels ? rpp__plot_div(avail, (double)n_panels, 0.0) -
                                 PANEL_TITLE - PANEL_GAP
                           : avail;
        panel_h = fmax(panel_h, PANEL_MIN);
    }
    pc.xs = rpp__plot_scale_make(t0, t1, px0, px1);
    c->layout->plot.x = px0;
    c->layout->plot.y = y;
    c->layout->plot.w = px1 - px0;
    c->layout->plot.h = n_panels ? (double)n_panels * (panel_h + PANEL_TITLE +
                                                       PANEL_GAP) - PANEL_GAP
                                 : panel_h;
    c->layout->t0_ms = pc.xs.v0;
    c->layout->t1_ms = pc.xs.v1;
    if (c->h <= 0.0) {
        c->layout->height = y + c->layout->plot.h + (n_panels ? axis_h : 0.0) +
                            legend_h + RPP_CHART_MARGIN + 8.0;
        return;
    }
    if (n_panels == 0) {
        rpp_render_rect area = { RPP_CHART_MARGIN, y,
                                 px1 - RPP_CHART_MARGIN, c->layout->plot.h };
        if (c->paint)
            rpp__plot_no_data(cr, &area, "No throughput data",
                             a->session.note ? a->session.note
                                             : "The report has no histogram "
                                               "slices: nothing was written.");
        return;
    }
    if (c->paint && (rpp__chart_type_rows(c, &rows) != RPP_OK ||
                     !(pc.first_x = malloc((a->n_types ? a->n_types : 1) *
                                           sizeof(double))) ||
                     !(pc.labels = malloc((a->n_types ? a->n_types : 1) *
                                          sizeof(*pc.labels))) ||
                     !(pc.spans = malloc((c->r->n_events ? c->r->n_events
                                                         : 1) *
                                         sizeof(*pc.spans))))) {
        c->status = RPP_ERR_NOMEM;
        goto cleanup;
    }
    pc.rows = rows;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp_render_rect *body = &c->layout->phase[p];

        if (!a->phases[p].present)
            continue;
        body->x = px0;
        body->y = y + PANEL_TITLE;
        body->w = px1 - px0;
        body->h = panel_h;
        if (c->paint) {
            draw_panel(&pc, (rpp_phase)p, body);
            rpp__chart_record(c, RPP_ITEM_PHASE, SIZE_MAX, p, body->x,
                              body->y, body->w, body->h, 0.0, 0.0);
        }
        y += PANEL_TITLE + panel_h + PANEL_GAP;
    }
    y -= PANEL_GAP;
    if (!c->paint)
        goto cleanup;
    draw_cycles(&pc, strip_y);
    rpp__plot_time_axis(cr, &pc.xs, y, y, true, false);
    {
        char unit[48];
        snprintf(unit, sizeof(unit), "time (%s)",
                 rpp__plot_time_unit(pc.xs.v1 - pc.xs.v0));
        rpp__plot_font(cr, 11.0, false);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, px1, y + rpp__plot_time_axis_height(cr) + 7.0, unit,
                      RPP_PLOT_RIGHT, 0.0);
    }
    rpp__plot_legend(cr, RPP_CHART_MARGIN, y + axis_h + 4.0,
                    c->w - 2.0 * RPP_CHART_MARGIN, legend, n_legend, true);

cleanup:
    free(pc.first_x);
    free(pc.labels);
    free(pc.spans);
    free(rows);
}
