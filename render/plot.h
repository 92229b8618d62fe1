/*
 * plot.h - the small plotting layer under the three charts: guarded
 * arithmetic for coordinates, scales and nice ticks, time and value labels,
 * the colour table, text measurement with ellipsis, legends, hatching and
 * the "no data" message. Internal to render/: not installed.
 *
 * Every function takes the cairo context it draws on; none keeps state.
 * Functions named *_measure or taking paint == false only compute sizes.
 */
#ifndef RPIPERF_PLOT_H
#define RPIPERF_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include <rpiperf/analyse.h>
#include <rpiperf/render.h>
#include "util.h"

/* ---- Guarded arithmetic ------------------------------------------------ */

/* Coordinates are clamped to this many pixels around the chart, far inside
 * cairo's fixed-point range, so that no value can overflow a path. */
#define RPP_PLOT_COORD_LIMIT 100000.0

/* v, or fallback when v is NaN or infinite. */
double rpp__plot_finite(double v, double fallback);
/* v limited to [lo, hi]; NaN gives lo. */
double rpp__plot_clamp(double v, double lo, double hi);
/* num / den, or fallback when den is 0 or the result is not finite. */
double rpp__plot_div(double num, double den, double fallback);

/* A linear map from values (v0..v1) to pixels (p0..p1). A degenerate
 * range (v1 == v0, or not finite) maps everything to p0. */
typedef struct rpp__plot_scale {
    double v0, v1;
    double p0, p1;
} rpp__plot_scale;

rpp__plot_scale rpp__plot_scale_make(double v0, double v1, double p0,
                                   double p1);
/* The pixel of v, clamped to +-RPP_PLOT_COORD_LIMIT; NaN maps to p0. */
double rpp__plot_map(const rpp__plot_scale *s, double v);

/* ---- Ticks and labels -------------------------------------------------- */

/* The step of a 1-2-5 series giving at most max_ticks intervals over
 * range (range <= 0 or not finite gives 1). */
double rpp__plot_nice_step(double range, int max_ticks);
/* The smallest multiple of a nice step at or above max (0..max axes);
 * 1 when max <= 0 or not finite. */
double rpp__plot_nice_max(double max, int max_ticks);
/* A step in ms for a time axis over range_ms: 1-2-5 below a minute, then
 * 1, 2, 5, 10, 15, 30 minutes and 1, 2, 3, 6, 12, 24 hours. */
double rpp__plot_time_step(double range_ms, int max_ticks);

/* Time labels: "12 s" (or "1.5 s" when the step is below a second) for
 * axes shorter than ten minutes, "m:ss" up to two hours, "h:mm" beyond.
 * range_ms is the axis length, step_ms the tick step. */
void rpp__plot_time_label(char *buf, size_t n, double ms, double range_ms,
                         double step_ms);
/* The unit the time labels use for this range ("s", "m:ss", "h:mm"). */
const char *rpp__plot_time_unit(double range_ms);
/* A value label with as many decimals as the step needs. */
void rpp__plot_value_label(char *buf, size_t n, double v, double step);
/* Durations, sizes and rates in labels are written with the analysis
 * library's rpp_human_duration, rpp_human_bytes and rpp_human_rate, as in
 * every other output. */

/* ---- Colours ----------------------------------------------------------- */

typedef struct rpp__plot_rgb {
    double r, g, b;
} rpp__plot_rgb;

/* Named colours. Categories and phases use the Okabe-Ito and Tol palettes,
 * which stay distinct for colour-blind readers; failure is ONE colour
 * (vermillion), always drawn with hatching as well, so that it never
 * depends on colour alone. Severity colours are the same in every chart;
 * error is the failure colour. */
typedef enum rpp__plot_colour {
    RPP_PLOT_BACKGROUND,
    RPP_PLOT_TEXT,
    RPP_PLOT_MUTED,            /* secondary text */
    RPP_PLOT_AXIS,
    RPP_PLOT_GRID,
    RPP_PLOT_PANEL,            /* background of alternate rows */
    RPP_PLOT_FAILURE,
    RPP_PLOT_INFO,
    RPP_PLOT_WARNING,
    RPP_PLOT_STALL,
    RPP_PLOT_GAP,
    RPP_PLOT_CYCLE             /* cycle boundaries */
} rpp__plot_colour;

rpp__plot_rgb rpp__plot_rgb_of(rpp__plot_colour c);
rpp__plot_rgb rpp__plot_category_rgb(rpp_category c);
rpp__plot_rgb rpp__plot_phase_rgb(rpp_phase p);
/* info, warning, error (= failure); off gives the muted colour. */
rpp__plot_rgb rpp__plot_level_rgb(rpp_level l);
/* The colour of the i-th series of a chart that overlays several runs:
 * Paul Tol's twelve qualitative colours, which stay apart for colour-blind
 * readers; from the 13th on they repeat. */
#define RPP_PLOT_SERIES 12
rpp__plot_rgb rpp__plot_series_rgb(size_t i);
/* A darker shade of c for text drawn in a category colour. */
rpp__plot_rgb rpp__plot_darker(rpp__plot_rgb c, double amount);

void rpp__plot_set(cairo_t *cr, rpp__plot_rgb c, double alpha);
void rpp__plot_set_named(cairo_t *cr, rpp__plot_colour c, double alpha);

/* "cycle N" for cycle i (from 0), from x + 4 at height y in the cycle
 * colour, unless it would overlap the label before it (which ends at
 * *last_right) or pass right; *last_right moves past a label written. The
 * font is the caller's. */
void rpp__plot_cycle_label(cairo_t *cr, double x, double y, size_t i,
                           double right, double *last_right);

/* ---- Text -------------------------------------------------------------- */

#define RPP_PLOT_FONT "DejaVu Sans"
/* Characters of a report string kept before measuring (longer ones are
 * cut anyway; this bounds the work for 64 KiB strings). */
#define RPP_PLOT_TEXT_MAX 240

typedef enum rpp__plot_align {
    RPP_PLOT_LEFT,
    RPP_PLOT_CENTRE,
    RPP_PLOT_RIGHT
} rpp__plot_align;

/* Selects DejaVu Sans at size (pixels), bold or not, with hinting off. */
void rpp__plot_font(cairo_t *cr, double size, bool bold);
/* Advance width of UTF-8 text s in the current font. */
double rpp__plot_text_width(cairo_t *cr, const char *s);
/*
 * Appends s to out made safe to draw on one line (line breaks as spaces,
 * other control characters and escape sequences as visible \x1b forms,
 * invalid UTF-8 as U+FFFD), cut with "…"
 * so that it is at most max_w wide in the current font (max_w <= 0: no
 * limit). Returns the width of the result.
 */
double rpp__plot_fit(cairo_t *cr, const char *s, double max_w, rpp__buf *out);
/*
 * Draws s (made safe and fitted as by rpp__plot_fit) with its vertical
 * centre at y, aligned on x. Returns the width drawn (0 when nothing fits
 * or on out-of-memory).
 */
double rpp__plot_text(cairo_t *cr, double x, double y, const char *s,
                     rpp__plot_align align, double max_w);

/*
 * Lays out s (made safe as by rpp__plot_fit) in lines no wider than max_w
 * in the current font, at most max_lines of them (at least 1): a line
 * breaks after a space where it can, else after one of "/_-.;:,?&=" (URLs
 * and identifiers), else between two characters, so that no character is
 * lost. Only text that needs more than max_lines lines has its last line
 * cut, with "…". The lines are appended to out, each followed by '\n'.
 * Returns the number of lines (0 for empty text or out-of-memory).
 */
int rpp__plot_wrap(cairo_t *cr, const char *s, double max_w, int max_lines,
                  rpp__buf *out);
/*
 * Draws the lines of rpp__plot_wrap() from the middle of the first at y,
 * line_h apart, aligned on x. Returns the number of lines drawn.
 */
int rpp__plot_text_lines(cairo_t *cr, double x, double y, double line_h,
                        const char *s, rpp__plot_align align, double max_w,
                        int max_lines);

/* ---- Shapes ------------------------------------------------------------ */

/* Adds a rectangle to the path with every coordinate clamped. */
void rpp__plot_rect_path(cairo_t *cr, double x, double y, double w, double h);
/* Fills a rectangle. */
void rpp__plot_fill_rect(cairo_t *cr, double x, double y, double w, double h);
/* Diagonal hatching over a rectangle in the current source (clipped). */
void rpp__plot_hatch(cairo_t *cr, double x, double y, double w, double h,
                    double spacing, double line_width);
/* A bar for an event: filled with c, or in the failure colour with
 * hatching when failed; uncertain times get a lighter fill and a dashed
 * outline. Width is at least RPP_PLOT_MIN_BAR (RPP_PLOT_MIN_FAILED_BAR when
 * failed), centred on the event. */
void rpp__plot_event_bar(cairo_t *cr, double x, double y, double w, double h,
                        rpp__plot_rgb c, bool failed, bool uncertain);
/* A dashed vertical line from y0 to y1. */
void rpp__plot_vline(cairo_t *cr, double x, double y0, double y1,
                    rpp__plot_rgb c, bool dashed);

/* Minimum width of an event bar, so that very short events stay visible;
 * failed events get a little more. */
#define RPP_PLOT_MIN_BAR 2.0
#define RPP_PLOT_MIN_FAILED_BAR 4.0

/* ---- Axes -------------------------------------------------------------- */

/*
 * A time axis along y_axis under a plot area that starts at y_top: ticks
 * and labels (when labels) every nice step, vertical grid lines up to y_top
 * (when grid). The x scale is s.
 */
void rpp__plot_time_axis(cairo_t *cr, const rpp__plot_scale *s, double y_top,
                        double y_axis, bool labels, bool grid);
/* Height taken below y_axis by the labels of a time axis, with its unit. */
double rpp__plot_time_axis_height(cairo_t *cr);

/*
 * A value axis from 0 to max along the left edge x of a plot area
 * (scale s maps values to y), with horizontal grid lines to x_right and
 * labels to the left of x. max_ticks bounds the number of intervals.
 */
void rpp__plot_value_axis(cairo_t *cr, const rpp__plot_scale *s, double x,
                         double x_right, int max_ticks);
/* Width the labels of such an axis need. */
double rpp__plot_value_axis_width(cairo_t *cr, double max, int max_ticks);
/* A horizontal value axis (bars): ticks under y from s.v0 to s.v1. */
void rpp__plot_hvalue_axis(cairo_t *cr, const rpp__plot_scale *s, double y_top,
                          double y_axis, int max_ticks, const char *unit);

/* ---- Legend and messages ----------------------------------------------- */

typedef enum rpp__plot_swatch {
    RPP_PLOT_SW_FILL,          /* a filled box */
    RPP_PLOT_SW_TRANSLUCENT,   /* a lighter box */
    RPP_PLOT_SW_FAILED,        /* failure colour with hatching */
    RPP_PLOT_SW_UNCERTAIN,     /* lighter box, dashed outline */
    RPP_PLOT_SW_LINE,          /* a line */
    RPP_PLOT_SW_DASHED,        /* a dashed line */
    RPP_PLOT_SW_HATCH          /* hatching in the colour */
} rpp__plot_swatch;

typedef struct rpp__plot_legend_item {
    const char *label;
    rpp__plot_rgb rgb;
    rpp__plot_swatch swatch;
} rpp__plot_legend_item;

/*
 * Lays out a legend left to right from (x, y), wrapping at width w, and
 * draws it when paint is set. Returns the height it takes (0 for n == 0).
 */
double rpp__plot_legend(cairo_t *cr, double x, double y, double w,
                       const rpp__plot_legend_item *items, size_t n,
                       bool paint);

/* States that there is nothing to draw: msg centred in area, detail (may
 * be NULL) below it in smaller type, wrapped on up to three lines. */
void rpp__plot_no_data(cairo_t *cr, const rpp_render_rect *area,
                      const char *msg, const char *detail);
/* The height rpp__plot_no_data() needs in an area w wide to show its
 * message and every line of detail (may be NULL). */
double rpp__plot_no_data_height(cairo_t *cr, double w, const char *detail);

#endif
