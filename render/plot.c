/*
 * plot.c - the plotting layer shared by the charts: guarded arithmetic,
 * scales, nice ticks, labels, colours, text fitting, axes, legends.
 */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Guarded arithmetic ------------------------------------------------ */

double rpp__plot_finite(double v, double fallback)
{
    return isfinite(v) ? v : fallback;
}

double rpp__plot_clamp(double v, double lo, double hi)
{
    if (!(v >= lo)) /* also NaN */
        return lo;
    return v > hi ? hi : v;
}

double rpp__plot_div(double num, double den, double fallback)
{
    double q;

    if (den == 0.0 || !isfinite(den) || !isfinite(num))
        return fallback;
    q = num / den;
    return isfinite(q) ? q : fallback;
}

rpp__plot_scale rpp__plot_scale_make(double v0, double v1, double p0, double p1)
{
    rpp__plot_scale s;

    s.v0 = rpp__plot_finite(v0, 0.0);
    s.v1 = rpp__plot_finite(v1, s.v0);
    s.p0 = rpp__plot_clamp(p0, -RPP_PLOT_COORD_LIMIT, RPP_PLOT_COORD_LIMIT);
    s.p1 = rpp__plot_clamp(p1, -RPP_PLOT_COORD_LIMIT, RPP_PLOT_COORD_LIMIT);
    return s;
}

double rpp__plot_map(const rpp__plot_scale *s, double v)
{
    double f = rpp__plot_div(v - s->v0, s->v1 - s->v0, 0.0);

    return rpp__plot_clamp(s->p0 + f * (s->p1 - s->p0), -RPP_PLOT_COORD_LIMIT,
                          RPP_PLOT_COORD_LIMIT);
}

/* ---- Ticks and labels -------------------------------------------------- */

double rpp__plot_nice_step(double range, int max_ticks)
{
    static const double mult[] = { 1.0, 2.0, 5.0, 10.0 };
    double raw, mag, step;
    size_t i;

    if (max_ticks < 1)
        max_ticks = 1;
    if (!(range > 0.0) || !isfinite(range))
        return 1.0;
    raw = range / max_ticks;
    mag = pow(10.0, floor(log10(raw)));
    if (!(mag > 0.0) || !isfinite(mag))
        return 1.0;
    step = mag * 10.0;
    for (i = 0; i < sizeof(mult) / sizeof(mult[0]); i++) {
        if (mag * mult[i] >= raw * (1.0 - 1e-9)) {
            step = mag * mult[i];
            break;
        }
    }
    return step;
}

double rpp__plot_nice_max(double max, int max_ticks)
{
    double step, top;

    if (!(max > 0.0) || !isfinite(max))
        return 1.0;
    step = rpp__plot_nice_step(max, max_ticks);
    top = ceil(max / step - 1e-9) * step;
    return top > 0.0 && isfinite(top) ? top : 1.0;
}

double rpp__plot_time_step(double range_ms, int max_ticks)
{
    /* above a minute: steps a reader can add up on a clock */
    static const double steps[] = {
        60e3, 120e3, 300e3, 600e3, 900e3, 1800e3,
        3600e3, 7200e3, 10800e3, 21600e3, 43200e3, 86400e3
    };
    double raw;
    size_t i;

    if (max_ticks < 1)
        max_ticks = 1;
    if (!(range_ms > 0.0) || !isfinite(range_ms))
        return 1000.0;
    raw = range_ms / max_ticks;
    if (raw <= 30e3)
        return rpp__plot_nice_step(range_ms, max_ticks);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] >= raw)
            return steps[i];
    /* more than 24 hours per tick: whole days in a 1-2-5 series */
    return 86400e3 * rpp__plot_nice_step(range_ms / 86400e3, max_ticks);
}

const char *rpp__plot_time_unit(double range_ms)
{
    if (range_ms < 600e3)
        return "s";
    if (range_ms < 7200e3)
        return "m:ss";
    return "h:mm";
}

void rpp__plot_time_label(char *buf, size_t n, double ms, double range_ms,
                         double step_ms)
{
    double s = rpp__plot_finite(ms, 0.0) / 1000.0;
    long long t;

    if (fabs(s) < 1e-9)
        s = 0.0;     /* never "-0 s" */

    if (range_ms < 600e3) {
        if (step_ms < 1000.0) {
            int dec = step_ms >= 100.0 ? 1 : step_ms >= 10.0 ? 2 : 3;
            snprintf(buf, n, "%.*f s", dec, s);
        } else {
            snprintf(buf, n, "%.0f s", s);
        }
        return;
    }
    t = (long long)llround(rpp__plot_clamp(s, -1e12, 1e12));
    if (range_ms < 7200e3)
        snprintf(buf, n, "%s%lld:%02lld", t < 0 ? "-" : "", llabs(t) / 60,
                 llabs(t) % 60);
    else
        snprintf(buf, n, "%s%lld:%02lld", t < 0 ? "-" : "", llabs(t) / 3600,
                 llabs(t) / 60 % 60);
}

void rpp__plot_value_label(char *buf, size_t n, double v, double step)
{
    int dec = 0;

    v = rpp__plot_finite(v, 0.0);
    if (step > 0.0 && step < 1.0)
        dec = (int)rpp__plot_clamp(ceil(-log10(step) - 1e-9), 0.0, 6.0);
    if (fabs(v) < 1e-12)
        v = 0.0;     /* never "-0" */
    snprintf(buf, n, "%.*f", dec, v);
}

/* ---- Colours ----------------------------------------------------------- */

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                   ((hex) & 0xff) / 255.0 }

static const rpp__plot_rgb named[] = {
    [RPP_PLOT_BACKGROUND] = RGB(0xffffff),
    [RPP_PLOT_TEXT] = RGB(0x1a1a1a),
    [RPP_PLOT_MUTED] = RGB(0x5f5f5f),
    [RPP_PLOT_AXIS] = RGB(0x6b6b6b),
    [RPP_PLOT_GRID] = RGB(0xe3e3e3),
    [RPP_PLOT_PANEL] = RGB(0xf6f6f6),
    [RPP_PLOT_FAILURE] = RGB(0xd55e00),   /* Okabe-Ito vermillion */
    [RPP_PLOT_INFO] = RGB(0x6e7b8b),
    [RPP_PLOT_WARNING] = RGB(0xe69f00),   /* Okabe-Ito orange */
    [RPP_PLOT_STALL] = RGB(0xe69f00),
    [RPP_PLOT_GAP] = RGB(0x8c8c8c),
    [RPP_PLOT_CYCLE] = RGB(0x333333),
};

/* Paul Tol's muted scheme (and greys): distinct for colour-blind readers,
 * and none of them close to the failure colour or to the phase colours. */
static const rpp__plot_rgb category_rgb[RPP_CAT_COUNT] = {
    [RPP_CAT_NETWORK] = RGB(0x88ccee),
    [RPP_CAT_DRIVE] = RGB(0x332288),
    [RPP_CAT_CACHE] = RGB(0x44aa99),
    [RPP_CAT_MEMORY] = RGB(0xddcc77),
    [RPP_CAT_IMAGE] = RGB(0x999933),
    [RPP_CAT_PIPELINE] = RGB(0xaa4499),
    [RPP_CAT_CYCLE] = RGB(0x555555),
    [RPP_CAT_RECOVERY] = RGB(0x882255),
    [RPP_CAT_CUSTOMISATION] = RGB(0x117733),
    [RPP_CAT_FINALISATION] = RGB(0xcc6677),
    [RPP_CAT_UI] = RGB(0xbbbbbb),
    [RPP_CAT_RPIBOOT] = RGB(0x997700),
    [RPP_CAT_OTHER] = RGB(0xa0a0a0),
};

/* Okabe-Ito: sky blue, reddish purple, blue, bluish green. */
static const rpp__plot_rgb phase_rgb[RPP_PHASE_COUNT] = {
    [RPP_PHASE_DOWNLOAD] = RGB(0x56b4e9),
    [RPP_PHASE_DECOMPRESS] = RGB(0xcc79a7),
    [RPP_PHASE_WRITE] = RGB(0x0072b2),
    [RPP_PHASE_VERIFY] = RGB(0x009e73),
};

/* Paul Tol's twelve qualitative colours, in an order that keeps the first
 * few far apart (and none close to the failure colour). */
static const rpp__plot_rgb series_rgb[RPP_PLOT_SERIES] = {
    RGB(0x332288), RGB(0xcc6677), RGB(0x117733), RGB(0x88ccee),
    RGB(0x999933), RGB(0x882255), RGB(0x44aa99), RGB(0xddcc77),
    RGB(0xaa4499), RGB(0x6699cc), RGB(0x661100), RGB(0xaa4466),
};

rpp__plot_rgb rpp__plot_series_rgb(size_t i)
{
    return series_rgb[i % RPP_PLOT_SERIES];
}

rpp__plot_rgb rpp__plot_rgb_of(rpp__plot_colour c)
{
    if ((size_t)c >= sizeof(named) / sizeof(named[0]))
        return named[RPP_PLOT_TEXT];
    return named[c];
}

rpp__plot_rgb rpp__plot_category_rgb(rpp_category c)
{
    if ((int)c < 0 || (int)c >= RPP_CAT_COUNT)
        return category_rgb[RPP_CAT_OTHER];
    return category_rgb[c];
}

rpp__plot_rgb rpp__plot_phase_rgb(rpp_phase p)
{
    if ((int)p < 0 || (int)p >= RPP_PHASE_COUNT)
        return named[RPP_PLOT_MUTED];
    return phase_rgb[p];
}

rpp__plot_rgb rpp__plot_level_rgb(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_INFO: return named[RPP_PLOT_INFO];
    case RPP_LEVEL_WARNING: return named[RPP_PLOT_WARNING];
    case RPP_LEVEL_ERROR: return named[RPP_PLOT_FAILURE];
    case RPP_LEVEL_OFF: break;
    }
    return named[RPP_PLOT_MUTED];
}

rpp__plot_rgb rpp__plot_darker(rpp__plot_rgb c, double amount)
{
    double k = 1.0 - rpp__plot_clamp(amount, 0.0, 1.0);

    c.r *= k;
    c.g *= k;
    c.b *= k;
    return c;
}

void rpp__plot_set(cairo_t *cr, rpp__plot_rgb c, double alpha)
{
    if (alpha >= 1.0)
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
    else
        cairo_set_source_rgba(cr, c.r, c.g, c.b,
                              rpp__plot_clamp(alpha, 0.0, 1.0));
}

void rpp__plot_set_named(cairo_t *cr, rpp__plot_colour c, double alpha)
{
    rpp__plot_set(cr, rpp__plot_rgb_of(c), alpha);
}

/* ---- Text -------------------------------------------------------------- */

void rpp__plot_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, RPP_PLOT_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double rpp__plot_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t ext;

    if (!s || !*s)
        return 0.0;
    cairo_text_extents(cr, s, &ext);
    return rpp__plot_finite(ext.x_advance, 0.0);
}

/* The largest character boundary at or below k in s. */
static size_t char_floor(const char *s, size_t k)
{
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return k;
}

/* The smallest character boundary above k in s (n bytes). */
static size_t char_next(const char *s, size_t n, size_t k)
{
    k++;
    while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
        k++;
    return k;
}

double rpp__plot_fit(cairo_t *cr, const char *s, double max_w, rpp__buf *out)
{
    static const char ell[] = "\xe2\x80\xa6"; /* U+2026 */
    rpp__buf safe = RPP__BUF_INIT, tmp = RPP__BUF_INIT;
    size_t lo, hi, mid, n, start = out->len;
    double w;

    /* one line: the line breaks of a report string read as spaces */
    rpp__text_flat(&safe, s ? s : "", RPP_PLOT_TEXT_MAX);
    if (safe.oom || !safe.ptr) {
        rpp__buf_free(&safe);
        return 0.0;
    }
    n = safe.len;
    w = rpp__plot_text_width(cr, safe.ptr);
    if (max_w <= 0.0 || w <= max_w) {
        rpp__buf_put(out, safe.ptr, n);
        rpp__buf_free(&safe);
        return out->oom ? 0.0 : w;
    }
    /* a prefix of lo bytes fits with the ellipsis (or lo is 0); one of hi
     * bytes does not: narrow down on character boundaries */
    lo = 0;
    hi = n;
    for (;;) {
        mid = char_floor(safe.ptr, lo + (hi - lo) / 2);
        if (mid <= lo)
            mid = char_next(safe.ptr, n, lo);
        if (mid >= hi)
            break;
        tmp.len = 0;
        rpp__buf_put(&tmp, safe.ptr, mid);
        rpp__buf_puts(&tmp, ell);
        if (tmp.oom)
            break;
        if (rpp__plot_text_width(cr, tmp.ptr) <= max_w)
            lo = mid;
        else
            hi = mid;
    }
    if (lo > 0 || rpp__plot_text_width(cr, ell) <= max_w) {
        rpp__buf_put(out, safe.ptr, lo);
        rpp__buf_puts(out, ell);
    }
    rpp__buf_free(&tmp);
    rpp__buf_free(&safe);
    if (out->oom || out->len == start)
        return 0.0;
    return rpp__plot_text_width(cr, out->ptr + start);
}

double rpp__plot_text(cairo_t *cr, double x, double y, const char *s,
                     rpp__plot_align align, double max_w)
{
    rpp__buf b = RPP__BUF_INIT;
    cairo_font_extents_t fe;
    double w;

    w = rpp__plot_fit(cr, s, max_w, &b);
    if (!b.ptr || b.oom || !*b.ptr || w <= 0.0) {
        rpp__buf_free(&b);
        return 0.0;
    }
    cairo_font_extents(cr, &fe);
    if (align == RPP_PLOT_CENTRE)
        x -= w / 2.0;
    else if (align == RPP_PLOT_RIGHT)
        x -= w;
    /* the middle of the ascent-descent box sits on y */
    y += rpp__plot_finite((fe.ascent - fe.descent) / 2.0, 0.0);
    cairo_move_to(cr, rpp__plot_clamp(x, -RPP_PLOT_COORD_LIMIT,
                                     RPP_PLOT_COORD_LIMIT),
                  rpp__plot_clamp(y, -RPP_PLOT_COORD_LIMIT,
                                 RPP_PLOT_COORD_LIMIT));
    cairo_show_text(cr, b.ptr);
    cairo_new_path(cr);
    rpp__buf_free(&b);
    return w;
}

/* Width of bytes [from, to) of s. */
static double span_width(cairo_t *cr, const char *s, size_t from, size_t to,
                         rpp__buf *tmp)
{
    tmp->len = 0;
    rpp__buf_put(tmp, s + from, to - from);
    if (tmp->oom || !tmp->ptr)
        return 0.0;
    return rpp__plot_text_width(cr, tmp->ptr);
}

static bool is_break_after(char ch)
{
    return ch != '\0' && strchr("/_-.;:,?&=", ch) != NULL;
}

int rpp__plot_wrap(cairo_t *cr, const char *s, double max_w, int max_lines,
                  rpp__buf *out)
{
    rpp__buf safe = RPP__BUF_INIT, tmp = RPP__BUF_INIT;
    size_t pos = 0, n;
    int lines = 0;

    if (max_lines < 1)
        max_lines = 1;
    rpp__text_flat(&safe, s ? s : "", (size_t)4 * RPP_PLOT_TEXT_MAX);
    if (safe.oom || !safe.ptr) {
        rpp__buf_free(&safe);
        return 0;
    }
    n = safe.len;
    while (pos < n && lines < max_lines) {
        size_t lo, hi, mid, end, k;

        while (pos < n && safe.ptr[pos] == ' ')
            pos++;          /* a line never starts with the space it broke at */
        if (pos >= n)
            break;
        if (max_w <= 0.0 || span_width(cr, safe.ptr, pos, n, &tmp) <= max_w) {
            rpp__buf_put(out, safe.ptr + pos, n - pos);
            rpp__buf_putc(out, '\n');
            lines++;
            break;
        }
        if (lines == max_lines - 1) {
            /* the last line: the rest, cut with an ellipsis */
            rpp__plot_fit(cr, safe.ptr + pos, max_w, out);
            rpp__buf_putc(out, '\n');
            lines++;
            break;
        }
        /* the longest prefix that fits: lo bytes fit (at least one
         * character is taken, so that the text always advances) */
        lo = char_next(safe.ptr, n, pos);
        hi = n;
        while (hi - lo > 0) {
            mid = char_floor(safe.ptr, lo + (hi - lo + 1) / 2);
            if (mid <= lo)
                mid = char_next(safe.ptr, n, lo);
            if (mid >= hi)
                break;      /* no character boundary between them */
            if (span_width(cr, safe.ptr, pos, mid, &tmp) <= max_w)
                lo = mid;
            else
                hi = mid;
        }
        /* back to a space, else to a break character, in that prefix */
        end = lo;
        for (k = lo; k > pos; k--) {
            if (safe.ptr[k] == ' ') {
                end = k;
                break;
            }
        }
        if (end == lo && lo < n && safe.ptr[lo] != ' ') {
            for (k = lo; k > pos + 1; k--) {
                if (is_break_after(safe.ptr[k - 1])) {
                    end = k;
                    break;
                }
            }
        }
        rpp__buf_put(out, safe.ptr + pos, end - pos);
        rpp__buf_putc(out, '\n');
        lines++;
        pos = end;
    }
    rpp__buf_free(&tmp);
    rpp__buf_free(&safe);
    return out->oom ? 0 : lines;
}

int rpp__plot_text_lines(cairo_t *cr, double x, double y, double line_h,
                        const char *s, rpp__plot_align align, double max_w,
                        int max_lines)
{
    rpp__buf b = RPP__BUF_INIT;
    const char *p, *nl;
    int n = 0;

    rpp__plot_wrap(cr, s, max_w, max_lines, &b);
    for (p = b.ptr; p && !b.oom && (nl = strchr(p, '\n')) != NULL;
         p = nl + 1) {
        rpp__buf line = RPP__BUF_INIT;

        rpp__buf_put(&line, p, (size_t)(nl - p));
        if (line.ptr && !line.oom)
            rpp__plot_text(cr, x, y + line_h * n, line.ptr, align, 0.0);
        rpp__buf_free(&line);
        n++;
    }
    rpp__buf_free(&b);
    return n;
}

/* ---- Shapes ------------------------------------------------------------ */

void rpp__plot_rect_path(cairo_t *cr, double x, double y, double w, double h)
{
    const double L = RPP_PLOT_COORD_LIMIT;
    double x0 = rpp__plot_clamp(x, -L, L), y0 = rpp__plot_clamp(y, -L, L);
    double x1 = rpp__plot_clamp(x + w, -L, L), y1 = rpp__plot_clamp(y + h, -L, L);

    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
}

void rpp__plot_fill_rect(cairo_t *cr, double x, double y, double w, double h)
{
    rpp__plot_rect_path(cr, x, y, w, h);
    cairo_fill(cr);
}

/* Hatching as a repeating tile: one tile drawn once and filled as a
 * pattern, far cheaper for pixel output than hundreds of clipped lines. */
static bool hatch_tile(cairo_t *cr, double x, double y, double w, double h,
                       double spacing, double line_width)
{
    cairo_surface_t *tile;
    cairo_pattern_t *pat;
    cairo_t *tc;
    double r, g, b, al;
    int n = (int)rpp__plot_clamp(spacing, 2.0, 64.0);

    if (cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &al) !=
        CAIRO_STATUS_SUCCESS)
        return false;
    tile = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, n, n);
    tc = cairo_create(tile);
    cairo_set_source_rgba(tc, r, g, b, al);
    cairo_set_line_width(tc, line_width);
    /* three segments so that the line runs on across tile edges */
    cairo_move_to(tc, -n, n);
    cairo_line_to(tc, 0, 0);
    cairo_move_to(tc, 0, n);
    cairo_line_to(tc, n, 0);
    cairo_move_to(tc, n, n);
    cairo_line_to(tc, 2 * n, 0);
    cairo_stroke(tc);
    cairo_destroy(tc);
    pat = cairo_pattern_create_for_surface(tile);
    cairo_pattern_set_extend(pat, CAIRO_EXTEND_REPEAT);
    cairo_save(cr);
    cairo_set_source(cr, pat);
    rpp__plot_fill_rect(cr, x, y, w, h);
    cairo_restore(cr);
    cairo_pattern_destroy(pat);
    cairo_surface_destroy(tile);
    return true;
}

void rpp__plot_hatch(cairo_t *cr, double x, double y, double w, double h,
                    double spacing, double line_width)
{
    double x0, x1;
    int i, n;

    w = rpp__plot_clamp(w, 0.0, RPP_PLOT_COORD_LIMIT);
    h = rpp__plot_clamp(h, 0.0, RPP_PLOT_COORD_LIMIT);
    if (w <= 0.0 || h <= 0.0)
        return;
    if (!(spacing >= 2.0))
        spacing = 2.0;
    if (cairo_surface_get_type(cairo_get_target(cr)) ==
            CAIRO_SURFACE_TYPE_IMAGE &&
        hatch_tile(cr, x, y, w, h, spacing, line_width))
        return;
    /* vector output: real lines */
    x0 = rpp__plot_clamp(x, -RPP_PLOT_COORD_LIMIT, RPP_PLOT_COORD_LIMIT);
    x1 = rpp__plot_clamp(x0 + w, -RPP_PLOT_COORD_LIMIT, RPP_PLOT_COORD_LIMIT);
    cairo_save(cr);
    rpp__plot_rect_path(cr, x0, y, x1 - x0, h);
    cairo_clip(cr);
    cairo_set_line_width(cr, line_width);
    /* lines at 45 degrees: from (d, y+h) to (d+h, y) */
    n = (int)rpp__plot_clamp(ceil((x1 - x0 + h) / spacing), 0.0, 100000.0);
    for (i = 0; i < n; i++) {
        double d = x0 - h + (double)i * spacing;
        cairo_move_to(cr, d, y + h);
        cairo_line_to(cr, d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void rpp__plot_event_bar(cairo_t *cr, double x, double y, double w, double h,
                        rpp__plot_rgb c, bool failed, bool uncertain)
{
    static const double dash[] = { 3.0, 2.0 };
    double min_w = failed ? RPP_PLOT_MIN_FAILED_BAR : RPP_PLOT_MIN_BAR;

    if (!(w >= min_w)) {
        x -= (min_w - rpp__plot_finite(w, 0.0)) / 2.0;
        w = min_w;
    }
    if (failed) {
        rpp__plot_set_named(cr, RPP_PLOT_FAILURE, 1.0);
        rpp__plot_fill_rect(cr, x, y, w, h);
        if (w >= 5.0) {
            cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.7);
            rpp__plot_hatch(cr, x, y, w, h, 5.0, 1.2);
        }
        return;
    }
    rpp__plot_set(cr, c, uncertain ? 0.45 : 1.0);
    rpp__plot_fill_rect(cr, x, y, w, h);
    if (uncertain && w >= 4.0) {
        cairo_save(cr);
        rpp__plot_set(cr, rpp__plot_darker(c, 0.3), 1.0);
        cairo_set_line_width(cr, 1.0);
        cairo_set_dash(cr, dash, 2, 0.0);
        rpp__plot_rect_path(cr, x + 0.5, y + 0.5, w - 1.0, h - 1.0);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
}

void rpp__plot_vline(cairo_t *cr, double x, double y0, double y1,
                    rpp__plot_rgb c, bool dashed)
{
    static const double dash[] = { 5.0, 4.0 };

    x = rpp__plot_clamp(x, -RPP_PLOT_COORD_LIMIT, RPP_PLOT_COORD_LIMIT);
    cairo_save(cr);
    rpp__plot_set(cr, c, 1.0);
    cairo_set_line_width(cr, 1.2);
    if (dashed)
        cairo_set_dash(cr, dash, 2, 0.0);
    cairo_move_to(cr, floor(x) + 0.5, y0);
    cairo_line_to(cr, floor(x) + 0.5, y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- Axes -------------------------------------------------------------- */

#define AXIS_FONT 11.0
#define TICK_LEN 4.0

double rpp__plot_time_axis_height(cairo_t *cr)
{
    (void)cr;
    return TICK_LEN + 2.0 + AXIS_FONT + 4.0;
}

void rpp__plot_time_axis(cairo_t *cr, const rpp__plot_scale *s, double y_top,
                        double y_axis, bool labels, bool grid)
{
    double range = s->v1 - s->v0, step, t0, t, px, last_right = -1e9;
    double width = fabs(s->p1 - s->p0);
    int max_ticks, i;
    char buf[48];

    if (!(range > 0.0) || !isfinite(range))
        return;
    cairo_save(cr);
    rpp__plot_font(cr, AXIS_FONT, false);
    /* about one label per 90 pixels */
    max_ticks = (int)rpp__plot_clamp(width / 90.0, 2.0, 20.0);
    step = rpp__plot_time_step(range, max_ticks);
    t0 = ceil(s->v0 / step - 1e-9) * step;
    cairo_set_line_width(cr, 1.0);
    for (i = 0; i < 400; i++) {
        t = t0 + (double)i * step;
        if (t > s->v1 + step * 1e-9)
            break;
        px = floor(rpp__plot_map(s, t)) + 0.5;
        if (grid) {
            rpp__plot_set_named(cr, RPP_PLOT_GRID, 1.0);
            cairo_move_to(cr, px, y_top);
            cairo_line_to(cr, px, y_axis);
            cairo_stroke(cr);
        }
        if (!labels)
            continue;
        rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
        cairo_move_to(cr, px, y_axis);
        cairo_line_to(cr, px, y_axis + TICK_LEN);
        cairo_stroke(cr);
        rpp__plot_time_label(buf, sizeof(buf), t, range, step);
        {
            double w = rpp__plot_text_width(cr, buf), lx = px - w / 2.0;

            /* keep labels inside the axis and off each other */
            if (lx < s->p0 - 20.0)
                lx = s->p0 - 20.0;
            if (lx + w > s->p1 + 20.0)
                lx = s->p1 + 20.0 - w;
            if (lx < last_right + 6.0)
                continue;
            rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
            rpp__plot_text(cr, lx, y_axis + TICK_LEN + 2.0 + AXIS_FONT / 2.0,
                          buf, RPP_PLOT_LEFT, 0.0);
            last_right = lx + w;
        }
    }
    if (labels) {
        rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
        cairo_move_to(cr, s->p0, floor(y_axis) + 0.5);
        cairo_line_to(cr, s->p1, floor(y_axis) + 0.5);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

double rpp__plot_value_axis_width(cairo_t *cr, double max, int max_ticks)
{
    double step = rpp__plot_nice_step(max, max_ticks), w;
    char buf[48];

    cairo_save(cr);
    rpp__plot_font(cr, AXIS_FONT, false);
    rpp__plot_value_label(buf, sizeof(buf), max, step);
    w = rpp__plot_text_width(cr, buf);
    cairo_restore(cr);
    return w + TICK_LEN + 4.0;
}

void rpp__plot_value_axis(cairo_t *cr, const rpp__plot_scale *s, double x,
                         double x_right, int max_ticks)
{
    double range = s->v1 - s->v0, step, v, py;
    char buf[48];
    int i;

    if (!(range > 0.0) || !isfinite(range))
        return;
    step = rpp__plot_nice_step(range, max_ticks);
    cairo_save(cr);
    rpp__plot_font(cr, AXIS_FONT, false);
    cairo_set_line_width(cr, 1.0);
    for (i = 0; i < 100; i++) {
        v = s->v0 + (double)i * step;
        if (v > s->v1 + step * 1e-9)
            break;
        py = floor(rpp__plot_map(s, v)) + 0.5;
        rpp__plot_set_named(cr, i == 0 ? RPP_PLOT_AXIS : RPP_PLOT_GRID, 1.0);
        cairo_move_to(cr, x - TICK_LEN, py);
        cairo_line_to(cr, x_right, py);
        cairo_stroke(cr);
        rpp__plot_value_label(buf, sizeof(buf), v, step);
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, x - TICK_LEN - 3.0, py, buf, RPP_PLOT_RIGHT, 0.0);
    }
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_move_to(cr, floor(x) + 0.5, rpp__plot_map(s, s->v0));
    cairo_line_to(cr, floor(x) + 0.5, rpp__plot_map(s, s->v1));
    cairo_stroke(cr);
    cairo_restore(cr);
}

void rpp__plot_hvalue_axis(cairo_t *cr, const rpp__plot_scale *s, double y_top,
                          double y_axis, int max_ticks, const char *unit)
{
    double range = s->v1 - s->v0, step, v, px, last_right = -1e9;
    char buf[64];
    int i;

    if (!(range > 0.0) || !isfinite(range))
        return;
    step = rpp__plot_nice_step(range, max_ticks);
    cairo_save(cr);
    rpp__plot_font(cr, AXIS_FONT, false);
    cairo_set_line_width(cr, 1.0);
    for (i = 0; i < 100; i++) {
        double w;

        v = s->v0 + (double)i * step;
        if (v > s->v1 + step * 1e-9)
            break;
        px = floor(rpp__plot_map(s, v)) + 0.5;
        rpp__plot_set_named(cr, i == 0 ? RPP_PLOT_AXIS : RPP_PLOT_GRID, 1.0);
        cairo_move_to(cr, px, y_top);
        cairo_line_to(cr, px, y_axis + TICK_LEN);
        cairo_stroke(cr);
        rpp__plot_value_label(buf, sizeof(buf), v, step);
        w = rpp__plot_text_width(cr, buf);
        if (px - w / 2.0 < last_right + 6.0)
            continue;
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, px, y_axis + TICK_LEN + 2.0 + AXIS_FONT / 2.0, buf,
                      RPP_PLOT_CENTRE, 0.0);
        last_right = px + w / 2.0;
    }
    rpp__plot_set_named(cr, RPP_PLOT_AXIS, 1.0);
    cairo_move_to(cr, s->p0, floor(y_axis) + 0.5);
    cairo_line_to(cr, s->p1, floor(y_axis) + 0.5);
    cairo_stroke(cr);
    if (unit && *unit) {
        rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
        rpp__plot_text(cr, s->p1, y_axis + TICK_LEN + 4.0 + AXIS_FONT * 1.5,
                      unit, RPP_PLOT_RIGHT, 0.0);
    }
    cairo_restore(cr);
}

/* ---- Legend and messages ----------------------------------------------- */

#define LEGEND_FONT 11.0
#define LEGEND_SW 14.0
#define LEGEND_ROW 18.0

static void draw_swatch(cairo_t *cr, double x, double y,
                        const rpp__plot_legend_item *it)
{
    double h = 10.0, yy = y - h / 2.0;

    switch (it->swatch) {
    case RPP_PLOT_SW_FILL:
        rpp__plot_set(cr, it->rgb, 1.0);
        rpp__plot_fill_rect(cr, x, yy, LEGEND_SW, h);
        break;
    case RPP_PLOT_SW_TRANSLUCENT:
        rpp__plot_set(cr, it->rgb, 0.3);
        rpp__plot_fill_rect(cr, x, yy, LEGEND_SW, h);
        break;
    case RPP_PLOT_SW_FAILED:
        rpp__plot_event_bar(cr, x, yy, LEGEND_SW, h, it->rgb, true, false);
        break;
    case RPP_PLOT_SW_UNCERTAIN:
        rpp__plot_event_bar(cr, x, yy, LEGEND_SW, h, it->rgb, false, true);
        break;
    case RPP_PLOT_SW_LINE:
    case RPP_PLOT_SW_DASHED: {
        static const double dash[] = { 4.0, 3.0 };
        cairo_save(cr);
        rpp__plot_set(cr, it->rgb, 1.0);
        cairo_set_line_width(cr, 2.0);
        if (it->swatch == RPP_PLOT_SW_DASHED) {
            cairo_set_line_width(cr, 1.2);
            cairo_set_dash(cr, dash, 2, 0.0);
        }
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + LEGEND_SW, y);
        cairo_stroke(cr);
        cairo_restore(cr);
        break;
    }
    case RPP_PLOT_SW_HATCH:
        rpp__plot_set(cr, it->rgb, 0.18);
        rpp__plot_fill_rect(cr, x, yy, LEGEND_SW, h);
        rpp__plot_set(cr, it->rgb, 0.8);
        rpp__plot_hatch(cr, x, yy, LEGEND_SW, h, 4.0, 1.0);
        break;
    }
}

double rpp__plot_legend(cairo_t *cr, double x, double y, double w,
                       const rpp__plot_legend_item *items, size_t n,
                       bool paint)
{
    double cx = x, cy = y + LEGEND_ROW / 2.0, lw, item_w;
    size_t i;

    if (n == 0)
        return 0.0;
    cairo_save(cr);
    rpp__plot_font(cr, LEGEND_FONT, false);
    for (i = 0; i < n; i++) {
        lw = rpp__plot_text_width(cr, items[i].label);
        if (lw > w - LEGEND_SW - 6.0)
            lw = rpp__plot_clamp(w - LEGEND_SW - 6.0, 0.0, lw);
        item_w = LEGEND_SW + 5.0 + lw;
        if (cx > x && cx + item_w > x + w) {
            cx = x;
            cy += LEGEND_ROW;
        }
        if (paint) {
            draw_swatch(cr, cx, cy, &items[i]);
            rpp__plot_set_named(cr, RPP_PLOT_TEXT, 1.0);
            rpp__plot_text(cr, cx + LEGEND_SW + 5.0, cy, items[i].label,
                          RPP_PLOT_LEFT, lw + 1.0);
        }
        cx += item_w + 16.0;
    }
    cairo_restore(cr);
    return cy + LEGEND_ROW / 2.0 - y;
}

/* Draws s centred on cx in lines of at most w, up to max_lines, starting
 * with the middle of the first line at y; returns the number of lines. */
static int wrap_text(cairo_t *cr, double cx, double y, double w,
                     double line_h, const char *s, int max_lines, bool paint)
{
    rpp__buf safe = RPP__BUF_INIT, line = RPP__BUF_INIT;
    const char *p, *q, *brk;
    int n = 0;

    rpp__text_flat(&safe, s, (size_t)2 * RPP_PLOT_TEXT_MAX);
    p = safe.ptr ? safe.ptr : "";
    while (*p && n < max_lines) {
        /* the longest run of whole words that fits */
        brk = NULL;
        for (q = p;; q++) {
            if (*q == ' ' || *q == '\0') {
                line.len = 0;
                rpp__buf_put(&line, p, (size_t)(q - p));
                if (line.oom)
                    break;
                if (brk && rpp__plot_text_width(cr, line.ptr) > w)
                    break;
                brk = q;
                if (*q == '\0')
                    break;
            }
        }
        if (!brk)
            break;
        line.len = 0;
        rpp__buf_put(&line, p, (size_t)(brk - p));
        if (n == max_lines - 1 && *brk) {
            /* the last line takes the rest, cut with an ellipsis */
            line.len = 0;
            rpp__buf_puts(&line, p);
        }
        if (paint && line.ptr && !line.oom)
            rpp__plot_text(cr, cx, y + line_h * n, line.ptr, RPP_PLOT_CENTRE,
                          w);
        n++;
        p = *brk ? brk + 1 : brk;
    }
    rpp__buf_free(&line);
    rpp__buf_free(&safe);
    return n;
}

void rpp__plot_no_data(cairo_t *cr, const rpp_render_rect *area,
                      const char *msg, const char *detail)
{
    double cx = area->x + area->w / 2.0, cy = area->y + area->h / 2.0;
    double w = area->w - 40.0;
    int lines = 0;

    cairo_save(cr);
    rpp__plot_set_named(cr, RPP_PLOT_PANEL, 1.0);
    rpp__plot_fill_rect(cr, area->x, area->y, area->w, area->h);
    rpp__plot_rect_path(cr, area->x, area->y, area->w, area->h);
    cairo_clip(cr);
    if (detail) {
        rpp__plot_font(cr, 12.0, false);
        lines = wrap_text(cr, cx, 0.0, w, 16.0, detail, 3, false);
    }
    cy -= (double)lines * 8.0;
    rpp__plot_font(cr, 15.0, true);
    rpp__plot_set_named(cr, RPP_PLOT_MUTED, 1.0);
    rpp__plot_text(cr, cx, cy, msg, RPP_PLOT_CENTRE, w);
    if (detail) {
        rpp__plot_font(cr, 12.0, false);
        wrap_text(cr, cx, cy + 22.0, w, 16.0, detail, 3, true);
    }
    cairo_restore(cr);
}

double rpp__plot_no_data_height(cairo_t *cr, double w, const char *detail)
{
    int lines = 0;

    if (detail) {
        cairo_save(cr);
        rpp__plot_font(cr, 12.0, false);
        lines = wrap_text(cr, 0.0, 0.0, w - 40.0, 16.0, detail, 3, false);
        cairo_restore(cr);
    }
    /* rpp__plot_no_data() centres the message 8 px per line above the
     * middle and the lines 22 px below it, 16 px apart: the text reaches
     * 8 * lines + 12 px below the middle (9 above it without lines); 8 px
     * more on each side */
    return lines ? 2.0 * (8.0 * (double)lines + 12.0 + 8.0) : 34.0;
}

void rpp__plot_cycle_label(cairo_t *cr, double x, double y, size_t i,
                           double right, double *last_right)
{
    char buf[32];
    double w;

    snprintf(buf, sizeof(buf), "cycle %zu", i + 1);
    w = rpp__plot_text_width(cr, buf);
    if (x + 4.0 < *last_right || x + 4.0 + w > right)
        return;
    rpp__plot_set_named(cr, RPP_PLOT_CYCLE, 1.0);
    rpp__plot_text(cr, x + 4.0, y, buf, RPP_PLOT_LEFT, 0.0);
    *last_right = x + 4.0 + w + 8.0;
}
