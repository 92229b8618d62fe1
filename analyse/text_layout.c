/*
 * text_layout.c - laying out the terminal report within its width: words
 * wrapped onto indented continuation lines, report text whose line breaks
 * start new lines, and tables whose columns take the width of their
 * contents, where free-text columns wrap when the table would be too
 * wide. Nothing is cut: a word longer than a line is broken across lines.
 * All text handed in has been made safe for a terminal (rpp__text_safe);
 * a column is one code point.
 */
#include "format.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The narrowest a wrapping column or a continuation line gets. */
#define MIN_WRAP 10
/* Indents are at most this deep. */
#define MAX_INDENT 64

size_t rpp__tl_cols(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* Bytes of s (len bytes) that make up its first `cols` code points. */
static size_t cols_prefix(const char *s, size_t len, size_t cols)
{
    size_t i = 0, n = 0;

    while (i < len) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (n == cols)
                break;
            n++;
        }
        i++;
    }
    return i;
}

/*
 * Appends s (no line breaks) wrapped at spaces: at most first_w columns
 * on the first line and w on the others, lines separated by sep. Runs of
 * spaces between words read as one.
 */
static void wrap_into(rpp__buf *out, const char *s, size_t first_w, size_t w,
                      const char *sep)
{
    size_t avail = first_w, used = 0, wl, wc, k;
    const char *p = s, *we;

    if (w < 1)
        w = 1;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        for (we = p; *we && *we != ' '; we++)
            ;
        wl = (size_t)(we - p);
        wc = rpp__tl_cols(p, wl);
        if (used && used + 1 + wc <= avail) {
            rpp__buf_putc(out, ' ');
            rpp__buf_put(out, p, wl);
            used += 1 + wc;
            p = we;
        } else if (!used && wc <= avail) {
            rpp__buf_put(out, p, wl);
            used = wc;
            p = we;
        } else if (!used && avail > 0) {
            /* longer than a whole line: break the word */
            k = cols_prefix(p, wl, avail);
            rpp__buf_put(out, p, k);
            p += k;
            rpp__buf_puts(out, sep);
            avail = w;
        } else {
            rpp__buf_puts(out, sep);
            avail = w;
            used = 0;
        }
    }
}

static void make_sep(char *sep, size_t indent)
{
    if (indent > MAX_INDENT)
        indent = MAX_INDENT;
    sep[0] = '\n';
    memset(sep + 1, ' ', indent);
    sep[indent + 1] = '\0';
}

void rpp__tl_wrap(rpp__buf *out, const char *s, size_t col, size_t indent,
                  size_t width)
{
    char sep[MAX_INDENT + 2];
    size_t w;

    make_sep(sep, indent);
    if (indent > MAX_INDENT)
        indent = MAX_INDENT;
    w = width > indent + MIN_WRAP ? width - indent : MIN_WRAP;
    wrap_into(out, s ? s : "", width > col ? width - col : 0, w, sep);
}

size_t rpp__tl_cut(const char *s, size_t cap, size_t *left)
{
    size_t len = strlen(s ? s : ""), total, k;

    *left = 0;
    if (!s || !cap)
        return len;
    total = rpp__tl_cols(s, len);
    if (total <= cap)
        return len;
    k = cols_prefix(s, len, cap);
    *left = total - cap;
    return k;
}

void rpp__tl_para(rpp__buf *out, const char *raw, size_t col, size_t indent,
                  size_t width, size_t cap)
{
    rpp__buf line = RPP__BUF_INIT, safe = RPP__BUF_INIT, cut = RPP__BUF_INIT;
    char sep[MAX_INDENT + 2];
    size_t left, len, i = 0, k;
    bool first = true;

    if (!raw)
        raw = "";
    len = rpp__tl_cut(raw, cap, &left);
    if (left) {
        /* a very long string: shortened, saying by how much */
        rpp__buf_put(&cut, raw, len);
        rpp__buf_printf(&cut, "... (%zu more characters)", left);
        raw = cut.ptr ? cut.ptr : "";
        len = cut.len;
    }
    make_sep(sep, indent);
    while (i < len) {
        /* lines end at LF (a CR before it goes with it); a lone CR is
         * shown as \x0d */
        k = i;
        while (k < len && raw[k] != '\n' &&
               !(raw[k] == '\r' && k + 1 < len && raw[k + 1] == '\n'))
            k++;
        rpp__buf_clear(&line);
        rpp__buf_put(&line, raw + i, k - i);
        rpp__buf_clear(&safe);
        rpp__text_safe(&safe, line.ptr ? line.ptr : "", 0);
        if (safe.len && strspn(safe.ptr, " ") < safe.len) {
            if (!first)
                rpp__buf_puts(out, sep);
            rpp__tl_wrap(out, safe.ptr, first ? col : indent, indent, width);
            first = false;
        }
        i = k;
        while (i < len && (raw[i] == '\n' ||
                           (raw[i] == '\r' && i + 1 < len &&
                            raw[i + 1] == '\n')))
            i++;
    }
    if (line.oom || safe.oom || cut.oom)
        out->oom = true;
    rpp__buf_free(&line);
    rpp__buf_free(&safe);
    rpp__buf_free(&cut);
}

/* ---- Tables ------------------------------------------------------------ */

void rpp__tl_table_init(rpp__tl_table *t, const rpp__tl_col *cols, size_t n)
{
    memset(t, 0, sizeof(*t));
    t->cols = cols;
    t->n_cols = n;
}

void rpp__tl_table_free(rpp__tl_table *t)
{
    rpp__buf_free(&t->text);
    free(t->offs);
    memset(t, 0, sizeof(*t));
}

void rpp__tl_cell(rpp__tl_table *t, const char *safe)
{
    if (t->n_cells == t->cap_cells) {
        size_t ncap = t->cap_cells ? t->cap_cells * 2 : 64;
        size_t *no = realloc(t->offs, ncap * sizeof(*no));
        if (!no) {
            t->text.oom = true;
            return;
        }
        t->offs = no;
        t->cap_cells = ncap;
    }
    t->offs[t->n_cells++] = t->text.len;
    rpp__buf_puts(&t->text, safe ? safe : "");
    rpp__buf_put(&t->text, "", 1);     /* keep the NUL: cells end in it */
}

void rpp__tl_cellf(rpp__tl_table *t, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.oom)
        t->text.oom = true;
    rpp__tl_cell(t, b.ptr ? b.ptr : "");
    rpp__buf_free(&b);
}

void rpp__tl_cell_text(rpp__tl_table *t, const char *raw, size_t cap)
{
    rpp__buf b = RPP__BUF_INIT;

    /* line breaks stay breaks: the layout starts a new line there */
    rpp__tl_para(&b, raw ? raw : "", 0, 0, (size_t)-1 / 2, cap);
    if (b.oom)
        t->text.oom = true;
    rpp__tl_cell(t, b.ptr ? b.ptr : "");
    rpp__buf_free(&b);
}

static const char *cell_at(const rpp__tl_table *t, size_t i)
{
    return i < t->n_cells ? t->text.ptr + t->offs[i] : "";
}

/* Width of the widest line of a cell. */
static size_t cell_width(const char *s)
{
    size_t best = 0, w;
    const char *nl;

    for (;;) {
        nl = strchr(s, '\n');
        w = rpp__tl_cols(s, nl ? (size_t)(nl - s) : strlen(s));
        if (w > best)
            best = w;
        if (!nl)
            return best;
        s = nl + 1;
    }
}

/* Whether the columns fit in width at their natural widths. */
static bool fits(const rpp__tl_table *t, size_t indent, size_t width,
                 size_t gap, const size_t *nat)
{
    size_t c, total = indent + gap * (t->n_cols - 1);

    for (c = 0; c < t->n_cols; c++)
        total += nat[c];
    return total <= width;
}

/* Widths of the columns within width, the wrapping columns narrowed: the
 * narrow ones keep their width, the others share the rest. False when
 * even MIN_WRAP columns do not fit. */
static bool layout(const rpp__tl_table *t, size_t indent, size_t width,
                   size_t gap, const size_t *nat, size_t *w)
{
    bool settled[RPP__TL_MAX_COLS], changed;
    size_t c, fixed = indent + gap * (t->n_cols - 1), n_flex = 0, left,
              share;

    for (c = 0; c < t->n_cols; c++) {
        w[c] = nat[c];
        settled[c] = !t->cols[c].wrap;
        if (t->cols[c].wrap)
            n_flex++;
        else
            fixed += nat[c];
    }
    if (!n_flex || fixed + n_flex * MIN_WRAP > width)
        return false;
    for (;;) {
        left = width - fixed;
        n_flex = 0;
        for (c = 0; c < t->n_cols; c++) {
            if (!t->cols[c].wrap)
                continue;
            if (settled[c])
                left -= w[c];
            else
                n_flex++;
        }
        if (!n_flex)
            return true;
        share = left / n_flex;
        changed = false;
        for (c = 0; c < t->n_cols; c++)
            if (!settled[c] && nat[c] <= share) {
                w[c] = nat[c];
                settled[c] = true;
                changed = true;
            }
        if (!changed)
            break;
    }
    for (c = 0; c < t->n_cols; c++)
        if (!settled[c])
            w[c] = share < MIN_WRAP ? MIN_WRAP : share;
    return true;
}

/* Wraps each line of a cell to w columns: lines separated by '\n'. */
static void wrap_cell(rpp__buf *out, const char *s, size_t w)
{
    const char *nl;
    rpp__buf line = RPP__BUF_INIT;

    for (;;) {
        nl = strchr(s, '\n');
        rpp__buf_clear(&line);
        rpp__buf_put(&line, s, nl ? (size_t)(nl - s) : strlen(s));
        wrap_into(out, line.ptr ? line.ptr : "", w, w, "\n");
        if (!nl)
            break;
        rpp__buf_putc(out, '\n');
        s = nl + 1;
    }
    if (line.oom)
        out->oom = true;
    rpp__buf_free(&line);
}

/* Prints one row (cells from first) laid out in widths w. */
static void print_row(const rpp__tl_table *t, rpp__buf *out,
                      const char *const *cells, size_t indent, size_t gap,
                      const size_t *w)
{
    rpp__buf wrapped[RPP__TL_MAX_COLS];
    const char *pos[RPP__TL_MAX_COLS];
    size_t c, start, len, cw;
    bool more;

    for (c = 0; c < t->n_cols; c++) {
        memset(&wrapped[c], 0, sizeof(wrapped[c]));
        if (t->cols[c].wrap)
            wrap_cell(&wrapped[c], cells[c], w[c]);
        else
            rpp__buf_puts(&wrapped[c], cells[c]);
        pos[c] = wrapped[c].ptr ? wrapped[c].ptr : "";
    }
    do {
        more = false;
        start = out->len;
        rpp__buf_indent(out, (int)indent);
        for (c = 0; c < t->n_cols; c++) {
            const char *nl = strchr(pos[c], '\n');
            len = nl ? (size_t)(nl - pos[c]) : strlen(pos[c]);
            cw = rpp__tl_cols(pos[c], len);
            if (c)
                rpp__buf_indent(out, (int)gap);
            if (t->cols[c].right && cw < w[c])
                rpp__buf_indent(out, (int)(w[c] - cw));
            rpp__buf_put(out, pos[c], len);
            if (!t->cols[c].right && cw < w[c])
                rpp__buf_indent(out, (int)(w[c] - cw));
            pos[c] += len + (nl ? 1 : 0);
            if (nl)
                more = true;
        }
        /* no spaces at the end of a line */
        while (out->len > start && out->ptr[out->len - 1] == ' ')
            out->ptr[--out->len] = '\0';
        rpp__buf_putc(out, '\n');
    } while (more);
    for (c = 0; c < t->n_cols; c++) {
        if (wrapped[c].oom)
            out->oom = true;
        rpp__buf_free(&wrapped[c]);
    }
}

/* When even that does not fit: each row as "head value, head value",
 * wrapped. */
static void print_records(const rpp__tl_table *t, rpp__buf *out,
                          size_t indent, size_t width)
{
    rpp__buf line = RPP__BUF_INIT;
    size_t r, c, n_rows = t->n_cells / t->n_cols;
    const char *s;

    for (r = 0; r < n_rows; r++) {
        rpp__buf_clear(&line);
        for (c = 0; c < t->n_cols; c++) {
            if (c)
                rpp__buf_puts(&line, ", ");
            rpp__buf_puts(&line, t->cols[c].head);
            rpp__buf_putc(&line, ' ');
            for (s = cell_at(t, r * t->n_cols + c); *s; s++)
                rpp__buf_putc(&line, *s == '\n' ? ' ' : *s);
        }
        rpp__buf_indent(out, (int)indent);
        rpp__buf_puts(out, "- ");
        rpp__tl_wrap(out, line.ptr ? line.ptr : "", indent + 2, indent + 4,
                     width);
        rpp__buf_putc(out, '\n');
    }
    if (line.oom)
        out->oom = true;
    rpp__buf_free(&line);
}

void rpp__tl_table_print(const rpp__tl_table *t, rpp__buf *out,
                         size_t indent, size_t width)
{
    size_t nat[RPP__TL_MAX_COLS], w[RPP__TL_MAX_COLS], c, r, gap, n_rows;
    const char *cells[RPP__TL_MAX_COLS];

    if (t->text.oom) {
        out->oom = true;
        return;
    }
    if (!t->n_cols || t->n_cols > RPP__TL_MAX_COLS || !t->n_cells)
        return;
    n_rows = t->n_cells / t->n_cols;
    for (c = 0; c < t->n_cols; c++)
        nat[c] = rpp__tl_cols(t->cols[c].head, strlen(t->cols[c].head));
    for (r = 0; r < n_rows; r++)
        for (c = 0; c < t->n_cols; c++) {
            size_t cw = cell_width(cell_at(t, r * t->n_cols + c));
            if (cw > nat[c])
                nat[c] = cw;
        }
    /* two spaces between columns, one when that makes the table fit;
     * wrapping only when neither does */
    if (fits(t, indent, width, 2, nat) || fits(t, indent, width, 1, nat)) {
        gap = fits(t, indent, width, 2, nat) ? 2 : 1;
        memcpy(w, nat, sizeof(w));
    } else if (layout(t, indent, width, 2, nat, w)) {
        gap = 2;
    } else if (layout(t, indent, width, 1, nat, w)) {
        gap = 1;
    } else {
        print_records(t, out, indent, width);
        return;
    }
    for (c = 0; c < t->n_cols; c++)
        cells[c] = t->cols[c].head;
    print_row(t, out, cells, indent, gap, w);
    for (r = 0; r < n_rows; r++) {
        for (c = 0; c < t->n_cols; c++)
            cells[c] = cell_at(t, r * t->n_cols + c);
        print_row(t, out, cells, indent, gap, w);
    }
}
