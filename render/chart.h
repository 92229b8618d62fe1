/*
 * chart.h - what the three charts share beyond the plotting layer: the
 * drawing context, the title block, event rows by type and the slice runs
 * of a phase. Internal to render/: not installed.
 *
 * A chart function is called twice by render.c: once with h == 0 to lay
 * the chart out at its natural height (nothing is painted, layout->height
 * is set), and once with the final size and paint set. Layout-only calls
 * run the same code as painting ones, so that the layout a caller gets
 * from rpp_render_layout() is the one the pixels follow.
 */
#ifndef RPIPERF_CHART_H
#define RPIPERF_CHART_H

#include "plot.h"

typedef struct rpp_chart_ctx {
    cairo_t *cr;
    const rpp_report *r;
    const rpp_analysis *a;
    const rpp_render_opts *o;  /* never NULL */
    double w, h;               /* h == 0: natural height, layout only */
    bool paint;
    rpp_redactor *rd;          /* set when o->redact */
    rpp_chart_layout *layout;  /* filled by the chart */
    int status;                /* RPP_OK, or RPP_ERR_NOMEM once anything
                                  could not be allocated */
} rpp_chart_ctx;

/* Outer margins of every chart. */
#define RPP_CHART_MARGIN 16.0
/* Largest natural height; charts with more rows squeeze them. */
#define RPP_CHART_MAX_NATURAL 4000.0

void rpp__chart_timeline(rpp_chart_ctx *c);
void rpp__chart_throughput(rpp_chart_ctx *c);
void rpp__chart_network(rpp_chart_ctx *c);

/*
 * The title block: the image and device (or opts->title) on the first line,
 * "what · how long · ..." (what = the chart's name) and the session's
 * result on the second. Draws when c->paint; returns the y below it.
 */
double rpp__chart_header(rpp_chart_ctx *c, const char *what);

/* A string from the report as the chart shows it: redacted as kind
 * ("image", "device") when redacting, else s itself ("" for NULL). */
const char *rpp__chart_str(rpp_chart_ctx *c, const char *kind, const char *s);

/* Timeline ms where event i starts and ends (start + duration). */
double rpp__chart_event_start(const rpp_chart_ctx *c, size_t i);
double rpp__chart_event_end(const rpp_chart_ctx *c, size_t i);
/* The event's time is uncertain: recorded outside a session, or its
 * startMs wrapped around. */
bool rpp__chart_event_uncertain(const rpp_chart_ctx *c, size_t i);

/*
 * Maps every event to its row in a->types (order of first occurrence):
 * *rows_out gets an array aligned with r->events, SIZE_MAX for an event
 * whose type has no row. Returns RPP_OK or RPP_ERR_NOMEM; free(*rows_out).
 */
int rpp__chart_type_rows(const rpp_chart_ctx *c, size_t **rows_out);

/* The end of the capture's timeline in ms: the analysis' timeline_ms, or
 * the end of the last event or slice if later; 1000 ms when all of them
 * are 0, so that an empty or zero-length session still has an axis. */
double rpp__chart_timeline_end(const rpp_chart_ctx *c);

/* A run of consecutive slices of one phase, drawn as one span or line:
 * runs break at the analysis' gaps and at cycle boundaries. */
typedef struct rpp_slice_run {
    size_t begin, end;         /* slice indices [begin, end) */
    double t0_ms, t1_ms;       /* first slice start .. last slice end */
    int cycle;                 /* index into a->cycles, or -1 */
} rpp_slice_run;

/* Splits phase p into runs; *out is malloc'd (free it), *n their number.
 * Returns RPP_OK or RPP_ERR_NOMEM. */
int rpp__chart_slice_runs(const rpp_chart_ctx *c, rpp_phase p,
                         rpp_slice_run **out, size_t *n);

/* Window of one slice in ms (the report's histogramWindowMs, 1000 when
 * that is 0). */
double rpp__chart_window_ms(const rpp_chart_ctx *c);

/* Encodes an RGB24 image surface as PNG, appended to out. Returns RPP_OK,
 * RPP_ERR_ARG (not an RGB24 image) or RPP_ERR_NOMEM. */
int rpp__chart_encode_png(cairo_surface_t *s, rpp__buf *out);

#endif
