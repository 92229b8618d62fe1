/*
 * compare_text.c - owns a comparison as a terminal report and as markdown
 * for an issue comment: the verdict, the key of the runs, the context
 * table, the phase table, the event types that changed notably, the
 * findings of every run and those that appeared or went away.
 *
 * Text keeps within the requested width (100 columns by default): tables
 * with a column per run wrap into blocks of runs, and every run keeps one
 * short name (its tag) in every table, explained by the key. A missing
 * value is "-", never "0.0". Markdown stays within GitHub's 65,536
 * characters per comment: what does not fit is left out, and the output
 * says so.
 */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The widest a cell of a table with a column per run gets. */
#define CELL_MAX 16
/* Space between columns. */
#define GAP 2
/* GitHub's limit for a comment, in characters (counted here as bytes,
 * which are never fewer). */
#define MD_LIMIT 65536
/* Report strings in markdown cells are cut to this many characters. */
#define MD_CELL_MAX 80

/* ---- small pieces ----------------------------------------------------------- */

/* Characters of UTF-8 text that is already safe to print. */
static size_t width_of(const char *s)
{
    size_t k = 0;

    for (; *s; s++)
        k += ((unsigned char)*s & 0xc0) != 0x80;
    return k;
}

/* Safe text padded (or cut with "...") to exactly w columns. */
static void pad(rpp__buf *o, const char *s, size_t w, bool right)
{
    rpp__buf t = RPP__BUF_INIT;
    size_t n;

    rpp__text_safe(&t, s, w);
    n = t.ptr ? width_of(t.ptr) : 0;
    if (right)
        rpp__buf_indent(o, (int)(w - n));
    if (t.ptr)
        rpp__buf_puts(o, t.ptr);
    if (!right)
        rpp__buf_indent(o, (int)(w - n));
    if (t.oom)
        o->oom = true;
    rpp__buf_free(&t);
}

/* Wraps text (already safe) at width from column indent, where the line
 * already is; the lines after the first indented as much. */
static void wrap_on(rpp__buf *o, const char *text, size_t indent,
                    size_t width)
{
    const char *p = text;
    size_t col = indent;

    while (*p) {
        size_t wl = strcspn(p, " "), cols = 0, k;
        for (k = 0; k < wl; k++)
            cols += ((unsigned char)p[k] & 0xc0) != 0x80;
        if (col > indent && col + 1 + cols > width) {
            rpp__buf_putc(o, '\n');
            rpp__buf_indent(o, (int)indent);
            col = indent;
        } else if (col > indent) {
            rpp__buf_putc(o, ' ');
            col++;
        }
        rpp__buf_put(o, p, wl);
        col += cols;
        p += wl;
        while (*p == ' ')
            p++;
    }
    rpp__buf_putc(o, '\n');
}

/* Wraps text (already safe) at width, every line indented. */
static void wrap(rpp__buf *o, const char *text, size_t indent, size_t width)
{
    rpp__buf_indent(o, (int)indent);
    wrap_on(o, text, indent, width);
}

static const char *tag_of(const rpp_comparison *c, size_t k, char *buf,
                          size_t n)
{
    snprintf(buf, n, "%s%s", c->runs[k].tag, k == c->baseline ? "*" : "");
    return buf;
}

static const char *order_words(rpp_compare_sort s)
{
    switch (s) {
    case RPP_COMPARE_SORT_GIVEN: return "in the order given";
    case RPP_COMPARE_SORT_VERSION: return "by Imager version";
    case RPP_COMPARE_SORT_TIME: return "by start time";
    }
    return "";
}

/* ---- cells ----------------------------------------------------------------- */

/* Appends run k's cell of context row `row` to o (when not NULL); returns
 * the row's label. */
static const char *context_cell(fmt_ctx *fc, const rpp_comparison *c,
                                size_t row, size_t k, rpp__buf *o)
{
    const char *label = "";
    char cell[256];
    int st = rpp_compare_context(c, row, k, fc->rd, &label, cell,
                                 sizeof(cell));

    if (st == RPP_ERR_NOMEM)
        fc->oom = true;
    if (o)
        rpp__buf_puts(o, st == RPP_OK ? cell : "-");
    return label ? label : "";
}

/* ---- event and finding cells -------------------------------------------------- */

/* "18 in 1.3 s" (18 events that took 1.3 s together), "0", or "-" where
 * the format cannot record the type. */
static void type_cell(const rpp_compare_type *t, size_t k, rpp__buf *o)
{
    char ms[32];

    if (!t->recordable[k]) {
        rpp__buf_puts(o, "-");
        return;
    }
    if (!t->count[k]) {
        rpp__buf_puts(o, "0");
        return;
    }
    rpp__fmt_ms(ms, sizeof(ms), (double)t->total_ms[k]);
    rpp__buf_printf(o, "%llu in %s", (unsigned long long)t->count[k], ms);
}

static const char level_letter[] = { '.', 'I', 'W', 'E' };

static void finding_cell(const rpp_compare_finding *f, size_t k, rpp__buf *o)
{
    if (!f->expressible[k] && !f->count[k])
        rpp__buf_puts(o, "-");
    else if (!f->count[k])
        rpp__buf_puts(o, ".");
    else if (f->count[k] == 1)
        rpp__buf_putc(o, level_letter[f->level & 3]);
    else
        rpp__buf_printf(o, "%c x%zu", level_letter[f->level & 3], f->count[k]);
}

static void finding_label(const rpp_compare_finding *f, rpp__buf *o)
{
    rpp__buf_puts(o, f->id);
    if (f->phase >= 0 && f->phase < RPP_PHASE_COUNT)
        rpp__buf_printf(o, " (%s)", rpp_phase_name((rpp_phase)f->phase));
}

/* ---- a table with a column per run (text) --------------------------------------- */

typedef struct grid {
    size_t rows;
    char **labels;             /* plain text, one per row */
    char **cells;              /* rows x runs, plain text */
    bool right;                /* cells aligned right */
} grid;

static void grid_free(grid *g, size_t runs)
{
    size_t i;

    for (i = 0; g->labels && i < g->rows; i++)
        free(g->labels[i]);
    for (i = 0; g->cells && i < g->rows * runs; i++)
        free(g->cells[i]);
    free(g->labels);
    free(g->cells);
}

/* Cells wrap onto at most this many lines. */
#define CELL_LINES 3

typedef struct span {
    size_t off, len;
} span;

/* Splits safe text into at most CELL_LINES lines of at most w characters,
 * at spaces where it can; the last line takes the rest (cut when printed).
 * Returns the number of lines (at least 1). */
static size_t split_lines(const char *s, size_t w, span *ln)
{
    size_t n = 0, off = 0, len = strlen(s);

    ln[0].off = ln[0].len = 0;
    while (off < len && n < CELL_LINES) {
        size_t end, brk, k;
        if (n == CELL_LINES - 1 || rpp__compare_chars(s + off, len - off) <= w) {
            ln[n].off = off;
            ln[n++].len = len - off;
            break;
        }
        end = off + rpp__compare_char_bytes(s + off, w);
        brk = end;
        if (s[end] != ' ') {
            for (k = end; k > off && s[k - 1] != ' '; k--)
                ;
            if (k > off + 1)
                brk = k - 1;
        }
        ln[n].off = off;
        ln[n++].len = brk - off;
        off = brk;
        while (s[off] == ' ')
            off++;
    }
    return n ? n : 1;
}

/* Line i of a cell (safe text), padded to w. */
static void cell_line(rpp__buf *o, const char *s, size_t w, size_t i,
                      bool right)
{
    span ln[CELL_LINES];
    size_t n = split_lines(s, w, ln);
    char *part;

    if (i >= n) {
        pad(o, "", w, right);
        return;
    }
    part = strndup(s + ln[i].off, ln[i].len);
    if (!part) {
        o->oom = true;
        return;
    }
    pad(o, part, w, right);
    free(part);
}

static void end_line(rpp__buf *o)
{
    while (o->len && o->ptr[o->len - 1] == ' ')
        o->len--;
    rpp__buf_putc(o, '\n');
}

/* Prints g under head, in blocks of as many runs as fit the width; cells
 * (made safe in place) wrap onto up to CELL_LINES lines. */
static void grid_print(fmt_ctx *fc, const rpp_comparison *c, grid *g,
                       const char *head)
{
    rpp__buf *o = fc->out;
    size_t n = c->n_runs, lw = width_of(head), cw = 0, i, k, b, per, l;
    bool long_label;
    char tag[64];

    for (i = 0; i < g->rows * n; i++) {
        rpp__buf t = RPP__BUF_INIT;
        rpp__text_safe(&t, g->cells[i], 0);
        if (t.oom || !t.ptr) {
            o->oom = true;
            rpp__buf_free(&t);
            return;
        }
        free(g->cells[i]);
        g->cells[i] = rpp__buf_detach(&t);
    }
    for (i = 0; i < g->rows; i++) {
        size_t w = rpp__text_width(g->labels[i]) + 2;
        lw = w > lw ? w : lw;
    }
    lw = (lw > 34 ? 34 : lw) + GAP;
    for (k = 0; k < n; k++) {
        size_t w = width_of(tag_of(c, k, tag, sizeof(tag)));
        cw = w > cw ? w : cw;
        for (i = 0; i < g->rows; i++) {
            w = width_of(g->cells[i * n + k]);
            cw = w > cw ? w : cw;
        }
    }
    cw = cw > CELL_MAX ? CELL_MAX : cw;
    per = (fc->opts.width - lw) / (cw + GAP);
    per = per ? per : 1;
    for (b = 0; b < n; b += per) {
        size_t e = b + per < n ? b + per : n;
        if (b)
            rpp__buf_putc(o, '\n');
        pad(o, b ? "" : head, lw, false);
        for (k = b; k < e; k++) {
            pad(o, tag_of(c, k, tag, sizeof(tag)), cw, g->right);
            rpp__buf_indent(o, GAP);
        }
        end_line(o);
        for (i = 0; i < g->rows; i++) {
            size_t lines = 1;
            span ln[CELL_LINES];
            for (k = b; k < e; k++) {
                size_t m = split_lines(g->cells[i * n + k], cw, ln);
                lines = m > lines ? m : lines;
            }
            /* a label wider than its column has a line of its own:
             * never cut */
            long_label = rpp__text_width(g->labels[i]) > lw - 2 - GAP;
            if (long_label) {
                rpp__buf_indent(o, 2);
                pad(o, g->labels[i], rpp__text_width(g->labels[i]), false);
                end_line(o);
            }
            for (l = 0; l < lines; l++) {
                rpp__buf_indent(o, 2);
                pad(o, l || long_label ? "" : g->labels[i], lw - 2, false);
                for (k = b; k < e; k++) {
                    cell_line(o, g->cells[i * n + k], cw, l, g->right);
                    rpp__buf_indent(o, GAP);
                }
                end_line(o);
            }
        }
    }
}

/* Takes the text of a buffer as a malloc'd string ("" when empty). */
static char *take(rpp__buf *b, bool *oom)
{
    char *s;

    if (b->oom) {
        *oom = true;
        rpp__buf_free(b);
        return NULL;
    }
    s = b->ptr ? rpp__buf_detach(b) : strdup("");
    if (!s)
        *oom = true;
    return s;
}

enum grid_kind { GRID_CONTEXT, GRID_TYPES, GRID_FINDINGS };

/* Fills a grid of one kind; returns false when out of memory. */
static bool grid_fill(fmt_ctx *fc, const rpp_comparison *c, enum grid_kind kind,
                      grid *g)
{
    size_t n = c->n_runs, i, k, row = 0, rows = 0, cells;
    bool oom = false;

    memset(g, 0, sizeof(*g));
    if (kind == GRID_CONTEXT)
        rows = RPP_COMPARE_CONTEXT_ROWS;
    else if (kind == GRID_TYPES)
        for (i = 0; i < c->n_types; i++)
            rows += c->types[i].notable;
    else
        rows = c->n_findings;
    cells = rows * n;
    g->labels = calloc(rows ? rows : 1, sizeof(char *));
    g->cells = calloc(cells ? cells : 1, sizeof(char *));
    g->rows = rows;
    g->right = kind == GRID_TYPES;
    if (!g->labels || !g->cells)
        return false;
    for (i = 0; row < rows && !oom; i++) {
        rpp__buf lb = RPP__BUF_INIT;
        if (kind == GRID_TYPES && !c->types[i].notable)
            continue;
        if (kind == GRID_CONTEXT)
            rpp__buf_puts(&lb, context_cell(fc, c, i, 0, NULL));
        else if (kind == GRID_TYPES)
            rpp__buf_puts(&lb, c->types[i].name);
        else
            finding_label(&c->findings[i], &lb);
        g->labels[row] = take(&lb, &oom);
        for (k = 0; k < n && !oom; k++) {
            rpp__buf cb = RPP__BUF_INIT;
            if (kind == GRID_CONTEXT)
                context_cell(fc, c, i, k, &cb);
            else if (kind == GRID_TYPES)
                type_cell(&c->types[i], k, &cb);
            else
                finding_cell(&c->findings[i], k, &cb);
            g->cells[row * n + k] = take(&cb, &oom);
        }
        row++;
    }
    return !oom && !fc->oom;
}

/* ---- text ----------------------------------------------------------------------- */

static void text_key(fmt_ctx *fc, const rpp_comparison *c)
{
    rpp__buf *o = fc->out;
    size_t k, tw = 0, w = fc->opts.width;
    char tag[64];

    for (k = 0; k < c->n_runs; k++) {
        size_t t = width_of(tag_of(c, k, tag, sizeof(tag)));
        tw = t > tw ? t : tw;
    }
    rpp__buf_puts(o, "\nRuns (* the baseline)\n");
    for (k = 0; k < c->n_runs; k++) {
        const rpp_analysis *a = c->runs[k].analysis;
        const char *state = rpp_session_state_name(a->session.state);
        rpp__buf_indent(o, 2);
        pad(o, tag_of(c, k, tag, sizeof(tag)), tw + GAP, false);
        pad(o, *state ? state : "-", 13 + GAP, false);
        pad(o, c->runs[k].name, w - 2 - tw - GAP - 13 - GAP, false);
        end_line(o);
    }
}

static void text_phases(fmt_ctx *fc, const rpp_comparison *c)
{
    rpp__buf *o = fc->out;
    size_t k, tw = 0;
    char tag[64], t[64];
    int p;

    for (k = 0; k < c->n_runs; k++) {
        size_t w = width_of(tag_of(c, k, tag, sizeof(tag)));
        tw = w > tw ? w : tw;
    }
    tw = tw < 13 ? 13 : tw;
    rpp__buf_putc(o, '\n');
    pad(o, "Phases (MB/s)", tw + 4, false);
    rpp__buf_puts(o, "     avg    change      p5     p95    active time"
                     "    change\n");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        bool any = false;
        for (k = 0; k < c->n_runs; k++)
            any = any || c->runs[k].phases[p].present;
        if (!any)
            continue;
        rpp__buf_printf(o, "  %s\n", rpp_phase_name((rpp_phase)p));
        for (k = 0; k < c->n_runs; k++) {
            const rpp_compared_run *r = &c->runs[k];
            const rpp_compare_phase *d = &r->phases[p];
            bool have = d->present;
            const char *why = k == c->baseline ? ""
                              : r->not_compared && d->present ? "partial"
                                                               : NULL;

            rpp__buf_indent(o, 4);
            pad(o, tag_of(c, k, tag, sizeof(tag)), tw, false);
            snprintf(t, sizeof(t), "%.1f", d->avg_kbps / KBPS_PER_MBPS);
            pad(o, have ? t : "-", 8, true);
            rpp__compare_pct(t, sizeof(t), d->avg_change);
            pad(o, why ? why : t, 10, true);
            snprintf(t, sizeof(t), "%.1f", d->p5_kbps / KBPS_PER_MBPS);
            pad(o, have ? t : "-", 8, true);
            snprintf(t, sizeof(t), "%.1f", d->p95_kbps / KBPS_PER_MBPS);
            pad(o, have ? t : "-", 8, true);
            rpp__fmt_ms(t, sizeof(t), (double)d->active_ms);
            pad(o, have ? t : "-", 15, true);
            rpp__compare_pct(t, sizeof(t), d->ms_change);
            pad(o, why ? why : t, 10, true);
            end_line(o);
        }
    }
}

/* The findings that appeared or went away, run by run. */
static void text_changes(fmt_ctx *fc, const rpp_comparison *c)
{
    rpp__buf *o = fc->out, head = RPP__BUF_INIT;
    size_t k, i, tw = 0, shown = 0;
    char tag[64];

    for (k = 0; k < c->n_runs; k++) {
        size_t w = width_of(tag_of(c, k, tag, sizeof(tag)));
        tw = w > tw ? w : tw;
    }
    rpp__buf_printf(&head, "Findings that appeared (+) or went away (-) "
                           "against %s", c->runs[c->baseline].tag);
    rpp__buf_putc(o, '\n');
    pad(o, head.ptr ? head.ptr : "", fc->opts.width, false);
    end_line(o);
    if (head.oom)
        o->oom = true;
    rpp__buf_free(&head);
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        size_t n = r->n_appeared + r->n_disappeared;
        if (k == c->baseline || !n)
            continue;
        for (i = 0; i < n; i++) {
            const rpp_finding *f = i < r->n_appeared
                                       ? r->appeared[i]
                                       : r->disappeared[i - r->n_appeared];
            rpp__buf line = RPP__BUF_INIT, safe = RPP__BUF_INIT;
            rpp__buf_indent(o, 2);
            pad(o, i ? "" : tag_of(c, k, tag, sizeof(tag)), tw + GAP, false);
            rpp__buf_printf(o, "%c %-7s ", i < r->n_appeared ? '+' : '-',
                            rpp_level_name(f->level));
            rpp__buf_printf(&line, "%s: %s", f->id,
                            rpp__fmt_text(fc, f->message));
            /* the whole message, wrapped under its start: never cut */
            rpp__text_safe(&safe, line.ptr ? line.ptr : "", 0);
            wrap_on(o, safe.ptr ? safe.ptr : "", 2 + tw + GAP + 10,
                    fc->opts.width);
            if (line.oom || safe.oom)
                o->oom = true;
            rpp__buf_free(&line);
            rpp__buf_free(&safe);
        }
        shown++;
    }
    if (!shown)
        rpp__buf_puts(o, "  none\n");
}

/* Which runs of format version 2 the findings table leaves some rules out
 * for. */
static void version_note(rpp__buf *b, const rpp_comparison *c)
{
    size_t k, n = 0;

    for (k = 0; k < c->n_runs; k++) {
        if (c->runs[k].analysis->report->version >= 3)
            continue;
        if (n == RPP_COMPARE_LIST_MAX) {
            rpp__buf_puts(b, " and more");
            break;
        }
        rpp__buf_printf(b, "%s%s", n ? ", " : "", c->runs[k].tag);
        n++;
    }
    rpp__buf_printf(b, " %s format version 2, which has no decompress phase "
                       "and no stall, pipeline, recovery or Windows drive "
                       "events: findings that need them are not counted as "
                       "appeared or gone for %s.",
                    n == 1 ? "is of" : "are of", n == 1 ? "it" : "them");
}

void rpp__compare_text(fmt_ctx *fc, const rpp_comparison *c)
{
    rpp__buf *o = fc->out, safe = RPP__BUF_INIT, note = RPP__BUF_INIT;
    size_t w = fc->opts.width, i, notable = 0;
    grid g;
    bool ok;

    rpp__buf_printf(o, "rpiperf compare: %zu runs, ", c->n_runs);
    rpp__text_safe(o, c->runs[c->baseline].tag, 0);
    rpp__buf_printf(o, " is the baseline, %s\n", order_words(c->sort));
    rpp__buf_puts(o, "\nVerdict\n");
    rpp__text_safe(&safe, c->verdict, 0);
    wrap(o, safe.ptr ? safe.ptr : "", 2, w);
    text_key(fc, c);

    rpp__buf_putc(o, '\n');
    ok = grid_fill(fc, c, GRID_CONTEXT, &g);
    if (ok)
        grid_print(fc, c, &g, "Context");
    grid_free(&g, c->n_runs);

    text_phases(fc, c);

    for (i = 0; i < c->n_types; i++)
        notable += c->types[i].notable;
    rpp__buf_puts(o, "\nEvent types that changed notably (count in total "
                     "time; -: cannot be recorded)\n");
    if (notable && ok) {
        ok = grid_fill(fc, c, GRID_TYPES, &g);
        if (ok)
            grid_print(fc, c, &g, "");
        grid_free(&g, c->n_runs);
    } else {
        rpp__buf_puts(o, "  none\n");
    }

    rpp__buf_puts(o, "\nFindings (E error, W warning, I info, . none; -: the "
                     "format cannot express it)\n");
    if (c->n_findings && ok) {
        ok = grid_fill(fc, c, GRID_FINDINGS, &g);
        if (ok)
            grid_print(fc, c, &g, "");
        grid_free(&g, c->n_runs);
    } else {
        rpp__buf_puts(o, "  none\n");
    }
    if (c->mixed_versions) {
        version_note(&note, c);
        rpp__buf_free(&safe);
        rpp__text_safe(&safe, note.ptr ? note.ptr : "", 0);
        wrap(o, safe.ptr ? safe.ptr : "", 2, w);
    }
    text_changes(fc, c);
    if (!ok || safe.oom || note.oom)
        fc->oom = true;
    rpp__buf_free(&safe);
    rpp__buf_free(&note);
}

/* ---- markdown --------------------------------------------------------------------- */

/* A report string for a markdown cell: safe, cut, escaped. */
static void md_cell(rpp__buf *o, const char *s)
{
    rpp__buf t = RPP__BUF_INIT;

    rpp__text_safe(&t, s, MD_CELL_MAX);
    rpp__md_safe(o, t.ptr ? t.ptr : "");
    if (t.oom)
        o->oom = true;
    rpp__buf_free(&t);
}

static void md_tag(rpp__buf *o, const rpp_comparison *c, size_t k)
{
    md_cell(o, c->runs[k].tag);
    if (k == c->baseline)
        rpp__buf_puts(o, " (baseline)");
}

static void md_grid(rpp__buf *o, const rpp_comparison *c, const grid *g,
                    const char *first)
{
    size_t n = c->n_runs, i, k;

    rpp__buf_printf(o, "| %s |", first);
    for (k = 0; k < n; k++) {
        rpp__buf_putc(o, ' ');
        md_tag(o, c, k);
        rpp__buf_puts(o, " |");
    }
    rpp__buf_puts(o, "\n|---|");
    for (k = 0; k < n; k++)
        rpp__buf_puts(o, g->right ? "--:|" : "---|");
    rpp__buf_putc(o, '\n');
    for (i = 0; i < g->rows; i++) {
        rpp__buf_puts(o, "| ");
        md_cell(o, g->labels[i]);
        rpp__buf_puts(o, " |");
        for (k = 0; k < n; k++) {
            rpp__buf_putc(o, ' ');
            md_cell(o, g->cells[i * n + k]);
            rpp__buf_puts(o, " |");
        }
        rpp__buf_putc(o, '\n');
    }
}

static void md_phases(rpp__buf *o, const rpp_comparison *c)
{
    char t[64];
    size_t k;
    int p;

    rpp__buf_puts(o, "\n#### Phases (MB/s)\n\n| phase | run | avg | change "
                     "| p5 | p95 | active time | change |\n|---|---|--:|--:|"
                     "--:|--:|--:|--:|\n");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        bool any = false;
        for (k = 0; k < c->n_runs; k++)
            any = any || c->runs[k].phases[p].present;
        for (k = 0; any && k < c->n_runs; k++) {
            const rpp_compared_run *r = &c->runs[k];
            const rpp_compare_phase *d = &r->phases[p];
            const char *why = k == c->baseline ? ""
                              : r->not_compared && d->present ? "partial"
                                                               : NULL;

            rpp__buf_printf(o, "| %s | ", rpp_phase_name((rpp_phase)p));
            md_tag(o, c, k);
            if (d->present)
                rpp__buf_printf(o, " | %.1f | ", d->avg_kbps / KBPS_PER_MBPS);
            else
                rpp__buf_puts(o, " | - | ");
            rpp__compare_pct(t, sizeof(t), d->avg_change);
            rpp__buf_puts(o, why ? why : t);
            if (d->present)
                rpp__buf_printf(o, " | %.1f | %.1f | ",
                                d->p5_kbps / KBPS_PER_MBPS,
                                d->p95_kbps / KBPS_PER_MBPS);
            else
                rpp__buf_puts(o, " | - | - | ");
            rpp__fmt_ms(t, sizeof(t), (double)d->active_ms);
            rpp__buf_printf(o, "%s | ", d->present ? t : "-");
            rpp__compare_pct(t, sizeof(t), d->ms_change);
            rpp__buf_printf(o, "%s |\n", why ? why : t);
        }
    }
}

static void md_finding(fmt_ctx *fc, rpp__buf *o, const rpp_finding *f,
                       const char *mark)
{
    rpp__buf_printf(o, "  - %s ", mark);
    md_cell(o, f->id);
    rpp__buf_printf(o, " (%s): ", rpp_level_name(f->level));
    md_cell(o, rpp__fmt_text(fc, f->message));
    rpp__buf_putc(o, '\n');
}

void rpp__compare_markdown(fmt_ctx *fc, const rpp_comparison *c)
{
    static const char cut_note[] =
        "\n_The rest is left out: a GitHub comment holds 65,536 characters. "
        "`rpiperf compare --format json` has all of it._\n";
    rpp__buf *o = fc->out, note = RPP__BUF_INIT;
    size_t k, i, notable = 0, shown = 0;
    grid g;
    bool ok;

    rpp__buf_printf(o, "### rpiperf compare: %zu runs\n\n**Verdict:** ",
                    c->n_runs);
    rpp__md_safe(o, c->verdict);
    rpp__buf_printf(o, "\n\n| run | state | file |\n|---|---|---|\n");
    for (k = 0; k < c->n_runs; k++) {
        const char *state =
            rpp_session_state_name(c->runs[k].analysis->session.state);
        rpp__buf_puts(o, "| ");
        md_tag(o, c, k);
        rpp__buf_printf(o, " | %s | ", *state ? state : "-");
        md_cell(o, c->runs[k].name);
        rpp__buf_puts(o, " |\n");
    }
    rpp__buf_printf(o, "\nRuns %s.\n\n#### Context\n\n",
                    order_words(c->sort));
    ok = grid_fill(fc, c, GRID_CONTEXT, &g);
    if (ok)
        md_grid(o, c, &g, "");
    grid_free(&g, c->n_runs);
    md_phases(o, c);

    for (i = 0; i < c->n_types; i++)
        notable += c->types[i].notable;
    rpp__buf_puts(o, "\n#### Event types that changed notably\n\n");
    if (notable && ok) {
        ok = grid_fill(fc, c, GRID_TYPES, &g);
        if (ok)
            md_grid(o, c, &g, "type (count in total time)");
        grid_free(&g, c->n_runs);
        rpp__buf_puts(o, "\n\"-\": the report's format version cannot record "
                         "the type.\n");
    } else {
        rpp__buf_puts(o, "None.\n");
    }
    rpp__buf_puts(o, "\n#### Findings\n\n");
    if (c->n_findings && ok) {
        ok = grid_fill(fc, c, GRID_FINDINGS, &g);
        if (ok)
            md_grid(o, c, &g, "finding");
        grid_free(&g, c->n_runs);
        rpp__buf_puts(o, "\nE error, W warning, I info, . none, - the "
                         "report's format version cannot express it.");
        if (c->mixed_versions) {
            rpp__buf_putc(o, ' ');
            version_note(&note, c);
            rpp__md_safe(o, note.ptr ? note.ptr : "");
        }
        rpp__buf_putc(o, '\n');
    } else {
        rpp__buf_puts(o, "None.\n");
    }
    rpp__buf_puts(o, "\n**Against ");
    md_cell(o, c->runs[c->baseline].tag);
    rpp__buf_puts(o, ":**\n\n");
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        if (k == c->baseline || !(r->n_appeared + r->n_disappeared))
            continue;
        rpp__buf_puts(o, "- **");
        md_cell(o, r->tag);
        rpp__buf_puts(o, "**\n");
        for (i = 0; i < r->n_appeared; i++)
            md_finding(fc, o, r->appeared[i], "appeared");
        for (i = 0; i < r->n_disappeared; i++)
            md_finding(fc, o, r->disappeared[i], "went away");
        shown++;
    }
    if (!shown)
        rpp__buf_puts(o, "- no finding appeared or went away\n");
    if (!ok || note.oom)
        fc->oom = true;
    rpp__buf_free(&note);
    /* within a comment's limit: cut at a line, and say so */
    if (!o->oom && o->len > MD_LIMIT) {
        size_t cut = MD_LIMIT - sizeof(cut_note);
        while (cut > 0 && o->ptr[cut - 1] != '\n')
            cut--;
        o->len = cut;
        o->ptr[cut] = '\0';
        rpp__buf_puts(o, cut_note);
    }
}
