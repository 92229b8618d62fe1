/*
 * format.h - shared by the output formats of the analysis and of the
 * comparison: the context of one format call, its start and end, and
 * text from reports made safe and redacted; not installed.
 */
#ifndef RPIPERF_FORMAT_H
#define RPIPERF_FORMAT_H

#include "internal.h"

#include <math.h>

typedef struct fmt_ctx {
    const rpp_analysis *a;
    rpp_format_opts opts;
    rpp__buf *out;
    rpp__jw jw;
    rpp_redactor *rd;       /* set when opts.redact */
    bool oom;
} fmt_ctx;

/* The start and end of every format entry point. begin checks the
 * arguments (what is the analysis or comparison: NULL is refused), copies
 * opts (width 0 reads 100, less than min_width reads min_width), makes the
 * redactor when asked and none was given, and redacts the file name; it
 * has nothing to undo when it fails. end frees what begin made and hands
 * out the text of fc->out in *out when st is RPP_OK and nothing was lost,
 * or frees it and returns the failure. */
int rpp__fmt_begin(fmt_ctx *fc, rpp__buf *b, const void *what,
                   const rpp_format_opts *opts, unsigned min_width,
                   char **out, size_t *len);
int rpp__fmt_end(fmt_ctx *fc, int st, char **out, size_t *len);

/* Text from the report (metadata, messages): redacted when asked. The
 * result still needs escaping for the output format. */
const char *rpp__fmt_text(fmt_ctx *fc, const char *s);
/* A name of the given kind ("image", "device", "hash"): a placeholder when
 * redacting. */
const char *rpp__fmt_name(fmt_ctx *fc, const char *kind, const char *s);

/* rpp_human_duration and rpp_human_bytes, kept under their old names for
 * the files that still call them. */
void rpp__fmt_ms(char *out, size_t n, double ms);
void rpp__fmt_bytes(char *out, size_t n, double bytes);

/* Report strings longer than this many characters are shortened in the
 * text, markdown and HTML outputs, saying how many characters were left
 * out; JSON carries them whole. */
#define RPP_FMT_TEXT_CAP 2000

/* Whether a finding's string s is already said by its message (or, when
 * also_cause, its cause): a finding states a message once, so the human
 * outputs do not repeat it. */
bool rpp__fmt_said(const rpp_finding *f, const char *s, bool also_cause);

/* ---- Text layout (text_layout.c) ---------------------------------------- */

/* Columns len bytes of safe text take: one per code point. */
size_t rpp__tl_cols(const char *s, size_t len);

/* Appends s (safe, no line breaks) starting at column col, wrapped at
 * spaces to stay within width, continuation lines indented by indent.
 * Nothing is cut: a word longer than a line is broken. No final newline. */
void rpp__tl_wrap(rpp__buf *out, const char *s, size_t col, size_t indent,
                  size_t width);

/* Appends report text raw: made safe, each of its lines (at its line
 * breaks) on a line of its own, wrapped as by rpp__tl_wrap; empty lines
 * left out. Text longer than cap characters (0 = no limit) is shortened,
 * ending in "... (N more characters)". */
void rpp__tl_para(rpp__buf *out, const char *raw, size_t col, size_t indent,
                  size_t width, size_t cap);

/* The bytes of s that hold its first cap characters (all of s when cap is
 * 0 or s is shorter); *left gets the number of characters after them. */
size_t rpp__tl_cut(const char *s, size_t cap, size_t *left);

/* A table whose columns take the width of their contents. When it does not
 * fit, the columns marked wrap share the width left and wrap inside it;
 * when even that does not fit, each row is printed as "head value, ...". */
#define RPP__TL_MAX_COLS 16

typedef struct rpp__tl_col {
    const char *head;
    bool right;        /* aligned right (numbers) */
    bool wrap;         /* free text that may wrap */
} rpp__tl_col;

typedef struct rpp__tl_table {
    const rpp__tl_col *cols;
    size_t n_cols;
    rpp__buf text;     /* the cells, each ending in NUL */
    size_t *offs;      /* where each cell starts in text */
    size_t n_cells, cap_cells;
} rpp__tl_table;

void rpp__tl_table_init(rpp__tl_table *t, const rpp__tl_col *cols, size_t n);
void rpp__tl_table_free(rpp__tl_table *t);
/* Adds the next cell (rows fill left to right): safe text, '\n' starts a
 * new line inside the cell. */
void rpp__tl_cell(rpp__tl_table *t, const char *safe);
void rpp__tl_cellf(rpp__tl_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A cell of report text, made safe as by rpp__tl_para. */
void rpp__tl_cell_text(rpp__tl_table *t, const char *raw, size_t cap);
/* Prints the header and the rows, each line indented, within width. */
void rpp__tl_table_print(const rpp__tl_table *t, rpp__buf *out,
                         size_t indent, size_t width);

static inline double round2(double v) { return isfinite(v) ? round(v * 100) / 100 : 0; }
static inline double round4(double v) { return isfinite(v) ? round(v * 10000) / 10000 : 0; }
static inline double kbps_to_mbps2(double kbps) { return round2(kbps / RPP_KBPS_PER_MBPS); }

/* The "tool" object every JSON output starts with: name, version, the
 * output's format version and whether it is redacted. */
void rpp__fmt_json_tool(fmt_ctx *fc, int format_version);

void rpp__fmt_json(fmt_ctx *fc);
void rpp__fmt_textual(fmt_ctx *fc);
void rpp__fmt_markdown(fmt_ctx *fc);

#endif
