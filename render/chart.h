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

/*
 * What a chart placed, recorded while it paints when the context has a
 * recorder (rpp__render_items(), for tests and overlays): each bar, row,
 * panel and marker with the event it stands for.
 */
typedef enum rpp__item_kind {
    RPP_ITEM_PHASE,            /* a phase's row or panel (sub: the phase),
                                  the network chart's download panel */
    RPP_ITEM_TYPE_ROW,         /* an event-type row on a time axis (sub:
                                  index into a->types) */
    RPP_ITEM_EVENT,            /* an event drawn as a span of time: a bar
                                  or a translucent span */
    RPP_ITEM_TOTAL,            /* a pipeline total listed as a total (event:
                                  the first of its identical copies) */
    RPP_ITEM_RETRY,            /* a networkRetry's marker (value: back-off
                                  ms) */
    RPP_ITEM_RETRY_TAG,        /* a retry's number (sub: its index in the
                                  list; mark: the x of its line) */
    RPP_ITEM_BACKOFF,          /* the span of a retry's back-off */
    RPP_ITEM_CONNECTION,       /* a networkConnectionStats bar */
    RPP_ITEM_CONN_PART,        /* one part of it (sub: rpp__conn_part;
                                  value: its ms; mark: curl's time at its
                                  end, as parsed) */
    RPP_ITEM_FETCH,            /* a row of the OS list, sublist and cache
                                  table (value: KB/s, or -1 when it has no
                                  speed) */
    RPP_ITEM_LABEL,            /* an event type's name over a throughput
                                  panel (sub: the phase; mark: the y of the
                                  panel's highest value) */
    RPP_ITEM_TRUNCATION        /* where a phase's samples stop at the
                                  writer's limit (sub: the phase; mark: its
                                  ms; value: 1 when the note is written) */
} rpp__item_kind;

typedef enum rpp__conn_part {
    RPP_CONN_DNS,
    RPP_CONN_CONNECT,
    RPP_CONN_TLS,
    RPP_CONN_FIRST_BYTE,
    RPP_CONN_TRANSFER
} rpp__conn_part;
#define RPP_CONN_PARTS 5

typedef struct rpp__chart_item {
    rpp__item_kind kind;
    size_t event;              /* index into r->events, or SIZE_MAX */
    int sub;                   /* see the kinds; -1 when unused */
    rpp_render_rect rect;
    double value, mark;
} rpp__chart_item;

typedef struct rpp__chart_items {
    rpp__chart_item *v;
    size_t n, cap;
    bool oom;
} rpp__chart_items;

void rpp__chart_items_free(rpp__chart_items *items);

/*
 * Draws a chart as rpp_render_chart() would (same size, same options) on a
 * scratch surface and records what it placed into *out (zeroed first;
 * free with rpp__chart_items_free). Returns RPP_OK, RPP_ERR_ARG or
 * RPP_ERR_NOMEM.
 */
int rpp__render_items(const rpp_report *r, const rpp_analysis *a,
                     rpp_chart kind, const rpp_render_opts *opts,
                     rpp__chart_items *out);

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
    rpp__chart_items *items;   /* a recorder, or NULL */
} rpp_chart_ctx;

/* Records an item when painting with a recorder; nothing otherwise. */
void rpp__chart_record(rpp_chart_ctx *c, rpp__item_kind kind, size_t event,
                      int sub, double x, double y, double w, double h,
                      double value, double mark);

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
/* The event is a pipeline summary (category RPP_CAT_PIPELINE): a total
 * over the write, recorded when it ended, never a span of time. */
bool rpp__chart_event_is_total(const rpp_chart_ctx *c, size_t i);

/*
 * Maps every event to its row in a->types (order of first occurrence):
 * *rows_out gets an array aligned with r->events, SIZE_MAX for an event
 * whose type has no row. Returns RPP_OK or RPP_ERR_NOMEM; free(*rows_out).
 */
int rpp__chart_type_rows(const rpp_chart_ctx *c, size_t **rows_out);

/* The end of the capture's timeline in ms: the analysis' timeline_ms, or
 * the end of the last event (pipeline totals aside) or slice if later;
 * 1000 ms when all of them are 0, so that an empty or zero-length session
 * still has an axis. */
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

/*
 * The series of phase p in body on the time scale xs (throughput.c), for
 * the throughput chart's panels and the network chart's download panel:
 * rpp__chart_phase_marks() draws the vertical grid, the gaps (hatched),
 * the stalls (shaded, with a strip along the bottom) and the drops;
 * rpp__chart_phase_series() the min-max band and the line of window
 * averages on the value scale ys. Both clip to body.
 */
void rpp__chart_phase_marks(rpp_chart_ctx *c, rpp_phase p,
                           const rpp__plot_scale *xs,
                           const rpp_render_rect *body);
void rpp__chart_phase_series(rpp_chart_ctx *c, rpp_phase p,
                            const rpp__plot_scale *xs,
                            const rpp__plot_scale *ys,
                            const rpp_render_rect *body);

/* The analysis' finding that phase p reached the writer's sample limit
 * (rule capture-truncated), or NULL: its data ends at the phase's last
 * slice although the phase went on. */
const rpp_finding *rpp__chart_truncation(const rpp_chart_ctx *c,
                                        rpp_phase p);
/* The note written where a truncated phase's samples stop. */
void rpp__chart_truncation_note(char *buf, size_t n);

/* Window of one slice in ms (the report's histogramWindowMs, 1000 when
 * that is 0). */
double rpp__chart_window_ms(const rpp_chart_ctx *c);

/* Encodes an RGB24 image surface as PNG, appended to out. Returns RPP_OK,
 * RPP_ERR_ARG (not an RGB24 image) or RPP_ERR_NOMEM. */
int rpp__chart_encode_png(cairo_surface_t *s, rpp__buf *out);

/* Fonts as every chart sets them: hinting off, so that glyph positions do
 * not depend on the machine (render.c). */
void rpp__render_font_options(cairo_t *cr);
/* Starts drawing a chart of w x h on cr: saves its state (the caller
 * restores it), sets the font options and, when paint, clips to the chart
 * and paints the background. */
void rpp__render_begin(cairo_t *cr, bool paint, double w, double h);

/*
 * Makes a w x h surface of format f, calls draw(cr, ctx) on it and encodes
 * the result into *out (malloc'd) and *len (render.c). Returns draw's
 * status, or RPP_ERR_NOMEM; *out is NULL on failure.
 */
int rpp__render_encode(rpp_image_format f, double w, double h,
                       int (*draw)(cairo_t *cr, void *ctx), void *ctx,
                       unsigned char **out, size_t *len);

#endif
