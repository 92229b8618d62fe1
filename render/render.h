/*
 * rpiperf/render.h - the three charts of a performance report, drawn with
 * cairo: the timeline (a Gantt chart of the phases and of every event type,
 * with the pipeline totals listed under it), the throughput of each phase
 * over time, and the network chart (the image download over time with its
 * retries, the connection's timings, the OS list, sublist and cache
 * events with their sizes and speeds).
 *
 * Ownership: the charts read a report and its analysis and keep nothing of
 * them. rpp_render_chart() returns a malloc'd buffer that the caller frees
 * with free(). rpp_render_draw() draws onto the caller's cairo context and
 * leaves its state (source, font, clip, transformation) as it found it.
 *
 * Every position comes from the analysis (event_times, slice_times, phases,
 * cycles, types, context, findings); nothing is recomputed here. Strings
 * from the report are drawn with control characters made visible, and
 * replaced by placeholders when opts->redact is set.
 *
 * The library never prints, exits, reads the environment or touches files,
 * and keeps no mutable global state.
 *
 * Threads: charts of the same report and analysis may be drawn on several
 * threads at once (rpiperf render draws its three charts so), each thread
 * with its own cairo context and its own redactor or none; cairo and
 * fontconfig are thread-safe for separate surfaces. rpp_render_cleanup()
 * must not run while anything draws.
 *
 * Use: #include <rpiperf/render.h>, with pkg-config rpiperf-render. Text uses cairo's toy font API with
 * "DejaVu Sans" (through fontconfig), with hinting off, so a chart looks the
 * same on any machine that has that font, with or without a display.
 */
#ifndef RPIPERF_RENDER_H
#define RPIPERF_RENDER_H

#include <cairo.h>

#include <rpiperf/analyse.h>
#include <rpiperf/report.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rpp_chart {
    RPP_CHART_TIMELINE,
    RPP_CHART_THROUGHPUT,
    RPP_CHART_NETWORK
} rpp_chart;
#define RPP_CHART_COUNT 3

/* "timeline", "throughput", "network"; "" for anything else. */
RPP_EXTERN const char *rpp_chart_name(rpp_chart kind);
/* Parses a chart name; returns false for anything else. */
RPP_EXTERN bool rpp_chart_parse(const char *s, rpp_chart *out);

typedef enum rpp_image_format {
    RPP_IMAGE_PNG,
    RPP_IMAGE_SVG,
    RPP_IMAGE_PDF
} rpp_image_format;

/* "png", "svg", "pdf" (also the file name extension); "" otherwise. */
RPP_EXTERN const char *rpp_image_format_name(rpp_image_format f);
/* Parses a format name (lower case); returns false for anything else. */
RPP_EXTERN bool rpp_image_format_parse(const char *s, rpp_image_format *out);

/* Sizes are pixels for PNG and points for SVG and PDF. */
#define RPP_RENDER_DEFAULT_WIDTH 1200
#ifndef RPP_RENDER_MIN_SIZE
#define RPP_RENDER_MIN_SIZE 200
#endif
#ifndef RPP_RENDER_MAX_SIZE
#define RPP_RENDER_MAX_SIZE 8000
#endif

typedef struct rpp_render_opts {
    unsigned version;          /* RPP_RENDER_OPTS_VERSION (report.h says
                                  how versions work) */
    unsigned width;            /* 0 = RPP_RENDER_DEFAULT_WIDTH */
    unsigned height;           /* 0 = the chart's natural height, which
                                  grows with its rows and panels */
    rpp_image_format format;
    const char *title;         /* replaces the image/device title; NULL =
                                  from the report */
    bool redact;               /* image and device names as placeholders
                                  ("image-1", "device-1") */
    rpp_redactor *redactor;    /* with redact: take the placeholders from
                                  this one (shared with other outputs so
                                  that they agree); NULL = a fresh one.
                                  Not thread-safe: one chart at a time */
} rpp_render_opts;
#define RPP_RENDER_OPTS_VERSION 1
#define RPP_RENDER_OPTS_INIT { RPP_RENDER_OPTS_VERSION, 0, 0, RPP_IMAGE_PNG, NULL, false, NULL }

/*
 * Draws one chart and encodes it as PNG, SVG or PDF in memory. opts may be
 * NULL for the defaults (PNG, 1200 pixels wide, natural height). a must be
 * the analysis of r. On success *out receives the file's bytes (free with
 * free()), *len their number, and RPP_OK is returned. Absent data (no
 * histograms, no network events) is not an error: the chart says so in its
 * plot area. On failure *out is NULL, *len 0, and the status is
 * RPP_ERR_ARG (NULL arguments, an analysis of another report, a width or
 * height outside RPP_RENDER_MIN_SIZE..RPP_RENDER_MAX_SIZE, an unknown chart
 * or format) or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_render_chart(const rpp_report *r, const rpp_analysis *a,
                     rpp_chart kind, const rpp_render_opts *opts,
                     unsigned char **out, size_t *len);

/*
 * Draws one chart onto cr, inside the rectangle (0, 0, width, height) of
 * cr's current user space, for embedding in a larger drawing. opts->width,
 * opts->height and opts->format are ignored. The state of cr is saved and
 * restored. Returns RPP_OK, RPP_ERR_ARG (as above; cr in an error state) or
 * RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_render_draw(cairo_t *cr, const rpp_report *r, const rpp_analysis *a,
                    rpp_chart kind, double width, double height,
                    const rpp_render_opts *opts);

/* A rectangle in chart coordinates (pixels from the top-left corner). */
typedef struct rpp_render_rect {
    double x, y, w, h;
} rpp_render_rect;

/*
 * Where a chart puts things, for callers that overlay it (image maps,
 * tooltips) and for tests. The time axis maps timeline ms t (as in
 * analysis->event_times and slice_times) linearly to
 *
 *     x = plot.x + (t - t0_ms) / (t1_ms - t0_ms) * plot.w
 *
 * (t1_ms > t0_ms always). plot is the area under the time axis: the phase
 * and event rows of the timeline, all the panels of the throughput chart,
 * the download panel of the network chart (or its "no download" message).
 * phase[p] is the timeline's row of phase p, the throughput chart's panel
 * of it, or the network chart's download panel; its h is 0 when the phase
 * is not drawn (no slices, or not in this chart).
 */
typedef struct rpp_chart_layout {
    double width, height;      /* the whole chart */
    rpp_render_rect plot;
    double t0_ms, t1_ms;
    rpp_render_rect phase[RPP_PHASE_COUNT];
} rpp_chart_layout;

/*
 * Computes the size and layout a chart would have with these options
 * (opts may be NULL) without drawing it: the chart's natural height when
 * opts->height is 0. Returns RPP_OK, RPP_ERR_ARG or RPP_ERR_NOMEM; *out is
 * zeroed on failure.
 */
RPP_EXTERN int rpp_render_layout(const rpp_report *r, const rpp_analysis *a,
                      rpp_chart kind, const rpp_render_opts *opts,
                      rpp_chart_layout *out);

/* ---- The HTML report ---------------------------------------------------- */

typedef struct rpp_html_opts {
    unsigned version;          /* RPP_HTML_OPTS_VERSION */
    const char *file_name;     /* shown under the title; NULL = none */
    bool redact;               /* placeholders for paths, names, hashes,
                                  the same in the text, tables and charts */
    unsigned chart_width;      /* 0 = RPP_RENDER_DEFAULT_WIDTH */
} rpp_html_opts;
#define RPP_HTML_OPTS_VERSION 1
#define RPP_HTML_OPTS_INIT { RPP_HTML_OPTS_VERSION, NULL, false, 0 }

/*
 * One self-contained HTML page of a report: summary, findings, bottleneck,
 * the three charts as PNG data URIs, sortable tables of phases, cycles and
 * events, and the text report. It references nothing outside itself and
 * says so in a Content-Security-Policy; every string from the report is
 * HTML-escaped. *out receives the page (free with free()), *len its length
 * (len may be NULL). Returns RPP_OK, RPP_ERR_ARG or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_render_html(const rpp_report *r, const rpp_analysis *a,
                    const rpp_html_opts *opts, char **out, size_t *len);

/* ---- Comparisons -------------------------------------------------------- */

/*
 * The overlay chart of a comparison (rpp_compare_run): the write and the
 * verify throughput of every run over the time since its write began, one
 * colour per run on shared axes (thicker for the baseline, dashed for a run
 * that did not finish), a bar panel of each run's phase durations (active
 * time), and a legend naming each run by its tag and Imager version. Up to
 * 12 runs get colours of their own that stay apart for colour-blind
 * readers; further runs reuse them. opts and the result as for
 * rpp_render_chart (opts->title replaces the title). Returns RPP_OK,
 * RPP_ERR_ARG or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_render_compare_chart(const rpp_comparison *c,
                                        const rpp_render_opts *opts,
                                        unsigned char **out, size_t *len);

/*
 * One self-contained HTML page of a comparison: the verdict, the key of
 * the runs, the context and phase tables, the overlay chart (a PNG data
 * URI), the event types that changed notably, each run's findings and the
 * text output. As for rpp_render_html: nothing is loaded from elsewhere
 * and every string from a report is HTML-escaped. opts->file_name is
 * ignored (the runs have their names). *out receives the page (free with
 * free()), *len its length (may be NULL). Returns RPP_OK, RPP_ERR_ARG or
 * RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_render_compare_html(const rpp_comparison *c,
                                       const rpp_html_opts *opts, char **out,
                                       size_t *len);

/*
 * Releases the font and glyph caches that cairo and fontconfig keep for
 * the life of the process, so that leak checkers report none. Call it at
 * most once, at the end of the program, when no cairo object is alive and
 * nothing else in the process uses cairo or fontconfig any more.
 */
RPP_EXTERN void rpp_render_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
