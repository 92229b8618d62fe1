/*
 * load.c - reads a performance report, checks it against the format and
 * converts it into the model of report.h.
 *
 * Three passes over the input, each linear:
 *   1. a byte scan: UTF-8, raw control characters, nesting depth, the
 *      grammar of numbers and \u escapes (where cJSON is lenient) and NUL
 *      escapes, so that every such problem gets a line:column;
 *   2. cJSON parses the text into a tree (when it fails, a strict reader
 *      finds the exact place of the error);
 *   3. the tree is walked once, checking types and ranges and filling the
 *      model, with a JSON path for every problem.
 * Every problem goes into the caller's rpp_diags; nothing is printed.
 */
#include <rpiperf/report.h>
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reports nest 5 levels deep; anything far deeper is refused before cJSON
 * sees it (cJSON's own limit is 1000). Overridable at build time. */
#ifndef RPP_MAX_DEPTH
#define RPP_MAX_DEPTH 64
#endif

/* 2^53: the largest integer a JSON number carries exactly in a double. */
#define MAX_EXACT 9007199254740992.0

/* At most this many distinct unknown names get a warning of their own. */
#define MAX_UNKNOWN_NAMES 32

/* How long a FIFO given as FILE may stay without data or a writer that
 * comes and goes, before it is refused instead of waited for. */
#define FIFO_WAIT_MS 5000

static const char *const slice_format[RPP_SLICE_FIELDS] = {
    "timestampMs", "minKBps", "maxKBps", "avgKBps",
    "bucket_0-1MB", "bucket_1-2MB", "bucket_2-4MB", "bucket_4-8MB",
    "bucket_8-16MB", "bucket_16-32MB", "bucket_32-64MB", "bucket_64-128MB",
    "bucket_128-256MB", "bucket_256-512MB", "bucket_512-1024MB",
    "bucket_1024+MB"
};

typedef struct loader {
    rpp_report *r;
    rpp_diags *diags;
    rpp_load_opts opts;
    int status;                 /* first error class seen, or RPP_OK */
    char path[RPP_PATH_MAX];
    size_t path_len;
    bool path_truncated;
    const char *unknown[MAX_UNKNOWN_NAMES];
    size_t n_unknown;
    rpp_histogram *fast;        /* slices read by the fast path, or NULL */
} loader;

/* ---- Diagnostics ------------------------------------------------------- */

static void set_status(loader *ld, int code)
{
    if (ld->status == RPP_OK || code == RPP_ERR_NOMEM)
        ld->status = code;
}

static void add_diag(rpp_diags *d, rpp_severity sev, int code,
                     const char *path, unsigned line, unsigned col,
                     const char *fmt, va_list ap)
{
    rpp_diag *it;

    if (!d)
        return;
    if (sev == RPP_SEV_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    if (d->n_items >= RPP_DIAG_MAX)
        return;
    it = &d->items[d->n_items++];
    it->severity = sev;
    it->err.code = code;
    it->err.line = line;
    it->err.column = col;
    snprintf(it->err.path, sizeof(it->err.path), "%s", path ? path : "");
    vsnprintf(it->err.message, sizeof(it->err.message), fmt, ap);
}

static void diag_at(rpp_diags *d, rpp_severity sev, int code, unsigned line,
                    unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void diag_at(rpp_diags *d, rpp_severity sev, int code, unsigned line,
                    unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_diag(d, sev, code, "", line, col, fmt, ap);
    va_end(ap);
}

static void problem(loader *ld, rpp_severity sev, int code, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void problem(loader *ld, rpp_severity sev, int code, const char *fmt,
                    ...)
{
    va_list ap;

    if (sev == RPP_SEV_ERROR)
        set_status(ld, code);
    va_start(ap, fmt);
    add_diag(ld->diags, sev, code, ld->path, 0, 0, fmt, ap);
    va_end(ap);
}

#define ERR(ld, ...) problem((ld), RPP_SEV_ERROR, RPP_ERR_INVALID, __VA_ARGS__)
#define WARN(ld, ...) problem((ld), RPP_SEV_WARNING, RPP_OK, __VA_ARGS__)

/* ---- JSON path --------------------------------------------------------- */

static size_t path_push_key(loader *ld, const char *key)
{
    size_t saved = ld->path_len, room = sizeof(ld->path) - ld->path_len;
    bool ident = (key[0] >= 'a' && key[0] <= 'z') ||
                 (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_';
    const char *k;
    int n;

    for (k = key; ident && *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
              (*k >= '0' && *k <= '9') || *k == '_'))
            ident = false;
    if (ident) {
        n = snprintf(ld->path + ld->path_len, room, ".%s", key);
    } else {
        /* odd keys are quoted, with anything unprintable replaced */
        rpp__buf b = RPP__BUF_INIT;
        rpp__json_str(&b, key, true);
        n = snprintf(ld->path + ld->path_len, room, "[%s]",
                     b.ptr ? b.ptr : "\"\"");
        rpp__buf_free(&b);
    }
    if (n < 0 || (size_t)n >= room)
        ld->path_len = sizeof(ld->path) - 1;
    else
        ld->path_len += (size_t)n;
    return saved;
}

static size_t path_push_index(loader *ld, size_t i)
{
    size_t saved = ld->path_len, room = sizeof(ld->path) - ld->path_len;
    int n = snprintf(ld->path + ld->path_len, room, "[%zu]", i);

    if (n < 0 || (size_t)n >= room)
        ld->path_len = sizeof(ld->path) - 1;
    else
        ld->path_len += (size_t)n;
    return saved;
}

static void path_pop(loader *ld, size_t saved)
{
    ld->path_len = saved;
    ld->path[saved] = '\0';
}

/* ---- Pass 1: byte scan ------------------------------------------------- */

/* 1-based line and column (in characters) of a byte offset. */
static void line_col(const char *data, size_t len, size_t off, unsigned *line,
                     unsigned *col)
{
    const char *p = data, *end = data + (off < len ? off : len), *nl;
    unsigned long l = 1, c = 1;

    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        p = nl + 1;
    }
    for (; p < end; p++)
        if (((unsigned char)*p & 0xc0) != 0x80)
            c++;
    *line = l > 0xffffffffUL ? 0xffffffffU : (unsigned)l;
    *col = c > 0xffffffffUL ? 0xffffffffU : (unsigned)c;
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Length of the JSON number at p (n bytes available), or 0 when the bytes
 * there do not follow the grammar of RFC 8259. cJSON hands numbers to
 * strtod, which also takes "012", "1." and "-.5".
 */
static size_t number_len(const unsigned char *p, size_t n)
{
    size_t i = 0;

    if (i < n && p[i] == '-')
        i++;
    if (i >= n || !is_digit(p[i]))
        return 0;
    if (p[i] == '0')
        i++;
    else
        while (i < n && is_digit(p[i]))
            i++;
    if (i < n && p[i] == '.') {
        if (++i >= n || !is_digit(p[i]))
            return 0;
        while (i < n && is_digit(p[i]))
            i++;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i >= n || !is_digit(p[i]))
            return 0;
        while (i < n && is_digit(p[i]))
            i++;
    }
    /* a digit right after "0" or "-0": a leading zero */
    if (i < n && is_digit(p[i]))
        return 0;
    return i;
}

/* Reads 4 hex digits; false if fewer are there. */
static bool hex4(const unsigned char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    size_t i;

    if (n < 4)
        return false;
    for (i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (is_digit(c))
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

/* ---- Fast path for histogram slices ------------------------------------ */

/*
 * The slices are nearly all of a report: arrays of 16 integers, up to
 * millions of them. Building a cJSON node for every number is what makes a
 * general parser slow and large here, so the "histograms" value is read
 * directly into the model when it has exactly the expected shape:
 *
 *   { "download"|"decompress"|"write"|"verify": [ [int x 16], ... ], ... }
 *
 * each phase at most once, integers 0..2^53 without sign, fraction or
 * exponent. Anything else (an unknown key, a wrong type, a short slice, a
 * limit exceeded) makes it give up, and the general path then reads the
 * value and reports every problem with its place. So the fast path accepts
 * exactly what the general path accepts as valid slices, never more.
 */
typedef struct fast_reader {
    const unsigned char *p;
    size_t n, i;
} fast_reader;

static inline bool fr_is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline void fr_ws(fast_reader *r)
{
    static const uint64_t spaces = 0x2020202020202020ULL;
    uint64_t w;

    /* Qt's layout indents every number by 16 spaces or more: skip
     * eight at a time */
    while (r->i < r->n && fr_is_ws(r->p[r->i])) {
        r->i++;
        while (r->i + 8 <= r->n) {
            memcpy(&w, r->p + r->i, 8);
            if (w != spaces)
                break;
            r->i += 8;
        }
    }
}

static inline bool fr_char(fast_reader *r, unsigned char c)
{
    fr_ws(r);
    if (r->i < r->n && r->p[r->i] == c) {
        r->i++;
        return true;
    }
    return false;
}

static inline bool fr_uint(fast_reader *r, uint64_t *out)
{
    uint64_t v = 0;
    size_t start;

    fr_ws(r);
    start = r->i;
    while (r->i < r->n && is_digit(r->p[r->i])) {
        if (r->i - start >= 16)
            return false;   /* 17 digits: beyond 2^53 */
        v = v * 10 + (uint64_t)(r->p[r->i] - '0');
        r->i++;
    }
    if (r->i == start || (r->p[start] == '0' && r->i - start > 1) ||
        v > ((uint64_t)1 << 53))
        return false;
    *out = v;
    return true;
}

static bool fast_phase(fast_reader *r, size_t max_slices, rpp_histogram *h)
{
    size_t cap = 0;
    int k;

    h->present = true;
    if (!fr_char(r, '['))
        return false;
    if (fr_char(r, ']'))
        return true;
    do {
        rpp_slice *sl;
        uint64_t v[RPP_SLICE_FIELDS];

        if (!fr_char(r, '['))
            return false;
        for (k = 0; k < RPP_SLICE_FIELDS; k++)
            if ((k && !fr_char(r, ',')) || !fr_uint(r, &v[k]))
                return false;
        if (!fr_char(r, ']'))
            return false;
        if (h->n_slices == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            rpp_slice *ns;
            if (h->n_slices >= max_slices)
                return false;
            ns = realloc(h->slices, ncap * sizeof(*ns));
            if (!ns)
                return false;
            h->slices = ns;
            cap = ncap;
        }
        if (h->n_slices >= max_slices)
            return false;
        sl = &h->slices[h->n_slices++];
        sl->t_ms = v[0];
        sl->min_kbps = v[1];
        sl->max_kbps = v[2];
        sl->avg_kbps = v[3];
        memcpy(sl->buckets, v + 4, sizeof(sl->buckets));
    } while (fr_char(r, ','));
    if (!fr_char(r, ']'))
        return false;
    /* give back what doubling over-allocated */
    if (h->n_slices < cap) {
        rpp_slice *ns = realloc(h->slices, h->n_slices * sizeof(*ns));
        if (ns)
            h->slices = ns;
    }
    return true;
}

static void fast_free(rpp_histogram *hs)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        free(hs[p].slices);
        memset(&hs[p], 0, sizeof(hs[p]));
    }
}

/* Reads one histograms value at the start of text (n bytes available);
 * on success *consumed is its length. */
static bool load_fast_histograms(const char *text, size_t n,
                                 size_t max_slices, rpp_histogram *hs,
                                 size_t *consumed)
{
    static const char *const names[RPP_PHASE_COUNT] = {
        "download", "decompress", "write", "verify"
    };
    fast_reader r = { (const unsigned char *)text, n, 0 };
    int p;

    memset(hs, 0, RPP_PHASE_COUNT * sizeof(*hs));
    if (!fr_char(&r, '{'))
        goto fail;
    if (!fr_char(&r, '}')) {
        do {
            size_t ks;
            if (!fr_char(&r, '"'))
                goto fail;
            ks = r.i;
            while (r.i < r.n && r.p[r.i] != '"' && r.p[r.i] != '\\')
                r.i++;
            if (r.i >= r.n || r.p[r.i] != '"')
                goto fail;
            for (p = 0; p < RPP_PHASE_COUNT; p++)
                if (strlen(names[p]) == r.i - ks &&
                    memcmp(r.p + ks, names[p], r.i - ks) == 0)
                    break;
            r.i++;
            if (p == RPP_PHASE_COUNT || hs[p].present || !fr_char(&r, ':') ||
                !fast_phase(&r, max_slices, &hs[p]))
                goto fail;
        } while (fr_char(&r, ','));
        if (!fr_char(&r, '}'))
            goto fail;
    }
    *consumed = r.i;
    return true;

fail:
    fast_free(hs);
    return false;
}

/*
 * Checks what cJSON does not: the text is UTF-8, strings hold no raw control
 * characters, nesting stays under RPP_MAX_DEPTH, numbers follow the JSON
 * grammar and \u escapes have four hex digits (cJSON reads "\uZZZZ" as
 * U+0000). Also warns about \u0000, which cuts a string short. Returns
 * RPP_OK or RPP_ERR_SYNTAX.
 */
static int scan_text(const char *data, size_t len, rpp_diags *diags,
                     size_t max_slices, rpp_histogram *fast,
                     size_t *hist_start, size_t *hist_end)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0, k, str_start = 0;
    unsigned depth = 0, line, col;
    bool in_str = false, warned_nul = false, hist_key = false;
    int hist = 0;   /* 0 not seen, 2 read fast, 3 seen twice, 4 slow */
    uint32_t cp;

    *hist_start = *hist_end = 0;

    while (i < len) {
        unsigned char c;

        if (in_str) {
            /* fast path over ordinary string bytes */
            while (i < len && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
                   p[i] != '\\')
                i++;
            if (i >= len)
                break;
            c = p[i];
            if (c == '"') {
                in_str = false;
                /* a top-level "histograms" key: its value may take the
                 * fast path (load_fast_histograms) */
                if (depth == 1 && i - str_start == 10 &&
                    memcmp(p + str_start, "histograms", 10) == 0)
                    hist_key = true;
                i++;
                continue;
            }
            if (c == '\\') {
                unsigned u;
                if (i + 1 < len && p[i + 1] == 'u' && len - i - 2 >= 4 &&
                    !hex4(p + i + 2, 4, &u)) {
                    line_col(data, len, i, &line, &col);
                    diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                            "not valid JSON (\\u not followed by 4 hex "
                            "digits)");
                    return RPP_ERR_SYNTAX;
                }
                if (i + 1 < len && p[i + 1] == 'u' && i + 5 < len &&
                    memcmp(p + i + 2, "0000", 4) == 0 && !warned_nul) {
                    line_col(data, len, i, &line, &col);
                    diag_at(diags, RPP_SEV_WARNING, RPP_OK, line, col,
                            "string contains \\u0000; the text after it is "
                            "dropped");
                    warned_nul = true;
                }
                /* the escaped character is checked by cJSON; only skip it
                 * when it is plain ASCII so the scan stays in sync */
                if (i + 1 < len && p[i + 1] >= 0x20 && p[i + 1] < 0x80)
                    i += 2;
                else
                    i++;
                continue;
            }
            if (c < 0x20) {
                line_col(data, len, i, &line, &col);
                diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                        "not valid JSON: raw control character 0x%02x in a "
                        "string (must be escaped)",
                        c);
                return RPP_ERR_SYNTAX;
            }
        } else {
            while (i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' ||
                               p[i] == '\t' || p[i] == ',' || p[i] == ':'))
                i++;
            if (i >= len)
                break;
            c = p[i];
            if (c == '"') {
                in_str = true;
                hist_key = false;
                str_start = i + 1;
                i++;
                continue;
            }
            if (c != '{')
                hist_key = false;
            if (is_digit(c) || c == '-') {
                k = number_len(p + i, len - i);
                if (!k) {
                    line_col(data, len, i, &line, &col);
                    diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                            "not valid JSON (malformed number)");
                    return RPP_ERR_SYNTAX;
                }
                i += k;
                continue;
            }
            if (c == '{' || c == '[') {
                if (c == '{' && depth == 1 && hist_key) {
                    size_t used = 0;
                    if (hist != 0) {
                        hist = 3; /* a duplicate key: the slow path says so */
                    } else if (load_fast_histograms(data + i, len - i,
                                                    max_slices, fast,
                                                    &used)) {
                        /* read, and pure ASCII of the expected shape:
                         * nothing in it for this scan to check */
                        *hist_start = i;
                        *hist_end = i + used;
                        hist = 2;
                        hist_key = false;
                        i += used;
                        continue;
                    } else {
                        hist = 4; /* not the expected shape: slow path */
                    }
                }
                hist_key = false;
                if (++depth > RPP_MAX_DEPTH) {
                    line_col(data, len, i, &line, &col);
                    diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                            "nesting deeper than %d levels", RPP_MAX_DEPTH);
                    return RPP_ERR_SYNTAX;
                }
                i++;
                continue;
            }
            if (c == '}' || c == ']') {
                if (depth)
                    depth--;

                i++;
                continue;
            }
            if (c < 0x20) {
                line_col(data, len, i, &line, &col);
                if (c == 0)
                    diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                            "not a text file: NUL byte at offset %zu", i);
                else
                    diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                            "not valid JSON: control character 0x%02x", c);
                return RPP_ERR_SYNTAX;
            }
        }
        if (c >= 0x80) {
            k = rpp__utf8_next(p + i, len - i, &cp);
            if (!k) {
                line_col(data, len, i, &line, &col);
                diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                        "invalid UTF-8 (byte 0x%02x)%s", c,
                        in_str ? " in a string" : "");
                return RPP_ERR_SYNTAX;
            }
            i += k;
        } else {
            i++;
        }
    }
    if (hist != 2) {
        *hist_start = *hist_end = 0;
        fast_free(fast);
    }
    return RPP_OK;
}


/*
 * Finding a syntax error. cJSON only says roughly where it stopped: at the
 * last byte when the text was cut short, one byte late when a key or a
 * value is missing. So when cJSON fails, this strict reader goes over the
 * text again and stops at the first byte that cannot continue a JSON text
 * (off == len: the text ends too early). It runs after scan_text, so
 * nesting is shallow and recursion is bounded.
 */
typedef struct jtext {
    const unsigned char *p;
    size_t len;
    size_t i;
    const char *why;    /* set when "unexpected X" would not say it */
} jtext;

static void jt_space(jtext *t)
{
    while (t->i < t->len && (t->p[t->i] == ' ' || t->p[t->i] == '\n' ||
                             t->p[t->i] == '\r' || t->p[t->i] == '\t'))
        t->i++;
}

static bool jt_string(jtext *t)
{
    const unsigned char *p = t->p;
    size_t i = t->i + 1;
    unsigned u, lo;

    while (i < t->len) {
        if (p[i] == '"') {
            t->i = i + 1;
            return true;
        }
        if (p[i] < 0x20)
            break;
        if (p[i] != '\\') {
            i++;
            continue;
        }
        if (i + 1 >= t->len) {
            i = t->len;
            break;
        }
        if (p[i + 1] != 'u') {
            if (!strchr("\"\\/bfnrt", p[i + 1]) || !p[i + 1]) {
                t->why = "bad escape sequence";
                break;
            }
            i += 2;
            continue;
        }
        if (!hex4(p + i + 2, t->len - i - 2, &u)) {
            if (t->len - i - 2 < 4)
                i = t->len;
            else
                t->why = "\\u not followed by 4 hex digits";
            break;
        }
        /* as cJSON: a surrogate must come as a high/low pair */
        if (u >= 0xd800 && u <= 0xdbff && i + 11 < t->len &&
            p[i + 6] == '\\' && p[i + 7] == 'u' &&
            hex4(p + i + 8, 4, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
            i += 12;
            continue;
        }
        if (u >= 0xd800 && u <= 0xdfff) {
            t->why = "\\u escape of an unpaired UTF-16 surrogate";
            break;
        }
        i += 6;
    }
    t->i = i;
    return false;
}

/* A misspelt word is reported at its start, a cut one at the end. */
static bool jt_literal(jtext *t, const char *word)
{
    size_t start = t->i;

    for (; *word; word++, t->i++) {
        if (t->i >= t->len)
            return false;
        if (t->p[t->i] != (unsigned char)*word) {
            t->i = start;
            return false;
        }
    }
    return true;
}

static bool jt_value(jtext *t)
{
    size_t n;
    unsigned char close;

    jt_space(t);
    if (t->i >= t->len)
        return false;
    switch (t->p[t->i]) {
    case '"': return jt_string(t);
    case 't': return jt_literal(t, "true");
    case 'f': return jt_literal(t, "false");
    case 'n': return jt_literal(t, "null");
    case '{':
    case '[':
        close = t->p[t->i] == '{' ? '}' : ']';
        t->i++;
        jt_space(t);
        if (t->i < t->len && t->p[t->i] == close) {
            t->i++;
            return true;
        }
        for (;;) {
            if (close == '}') {
                jt_space(t);
                if (t->i >= t->len || t->p[t->i] != '"' || !jt_string(t))
                    return false;
                jt_space(t);
                if (t->i >= t->len || t->p[t->i] != ':')
                    return false;
                t->i++;
            }
            if (!jt_value(t))
                return false;
            jt_space(t);
            if (t->i >= t->len)
                return false;
            if (t->p[t->i] == close) {
                t->i++;
                return true;
            }
            if (t->p[t->i] != ',')
                return false;
            t->i++;
        }
    default:
        n = number_len(t->p + t->i, t->len - t->i);
        if (!n)
            return false;
        t->i += n;
        return true;
    }
}

/* Offset of the first syntax error (len when the text ends too early);
 * false if the strict reader finds none in the first value. */
static bool find_syntax_error(const char *data, size_t len, size_t *off,
                              const char **why)
{
    jtext t = { (const unsigned char *)data, len, 0, NULL };

    /* cJSON skips a UTF-8 byte order mark */
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        t.i = 3;
    if (jt_value(&t))
        return false;
    *off = t.i < len ? t.i : len;
    *why = t.why;
    return true;
}

/* A short description of what is at a syntax error's position. */
static void describe_at(const char *data, size_t len, size_t off, char *out,
                        size_t outsz)
{
    unsigned char c;

    if (off >= len) {
        snprintf(out, outsz, "unexpected end of file");
        return;
    }
    c = (unsigned char)data[off];
    if (c >= 0x21 && c < 0x7f)
        snprintf(out, outsz, "unexpected '%c'", c);
    else
        snprintf(out, outsz, "unexpected byte 0x%02x", c);
}

/* ---- Pass 3: tree walk ------------------------------------------------- */

static const char *json_type_name(const cJSON *it)
{
    switch (it->type & 0xff) {
    case cJSON_False:
    case cJSON_True: return "a boolean";
    case cJSON_NULL: return "null";
    case cJSON_Number: return "a number";
    case cJSON_String: return "a string";
    case cJSON_Array: return "an array";
    case cJSON_Object: return "an object";
    default: return "an unknown value";
    }
}

/* A non-negative integer that a double holds exactly. */
static inline bool is_u53(const cJSON *it, uint64_t *out)
{
    double d;

    if (!(it->type & cJSON_Number))
        return false;
    d = it->valuedouble;
    if (!(d >= 0.0 && d <= MAX_EXACT))
        return false;
    *out = (uint64_t)d;
    return (double)*out == d;
}

static void bad_number(loader *ld, const cJSON *it, const char *what)
{
    double d;

    if (!(it->type & cJSON_Number)) {
        ERR(ld, "expected %s, got %s", what, json_type_name(it));
        return;
    }
    d = it->valuedouble;
    if (isinf(d) || isnan(d))
        ERR(ld, "number out of range (not finite)");
    else if (d < 0)
        ERR(ld, "expected %s, got negative %.17g", what, d);
    else if (d > MAX_EXACT)
        ERR(ld, "number %.17g out of range (above 2^53)", d);
    else
        ERR(ld, "expected %s, got fraction %.17g", what, d);
}

/* Reads a child as a non-negative integer; reports a problem otherwise. */
static bool get_u53(loader *ld, const cJSON *it, const char *key,
                    uint64_t *out)
{
    size_t saved;

    if (is_u53(it, out))
        return true;
    saved = path_push_key(ld, key);
    bad_number(ld, it, "a non-negative integer");
    path_pop(ld, saved);
    return false;
}

static bool get_bool(loader *ld, const cJSON *it, const char *key, bool *out)
{
    size_t saved;

    if (cJSON_IsBool(it)) {
        *out = cJSON_IsTrue(it);
        return true;
    }
    saved = path_push_key(ld, key);
    ERR(ld, "expected a boolean, got %s", json_type_name(it));
    path_pop(ld, saved);
    return false;
}

/* Copies a string child into the arena; NULL (with a problem) if it is not
 * a string or is too long. */
static const char *get_str(loader *ld, const cJSON *it, const char *key)
{
    size_t saved, n;
    const char *s;

    if (!cJSON_IsString(it) || !it->valuestring) {
        saved = path_push_key(ld, key);
        ERR(ld, "expected a string, got %s", json_type_name(it));
        path_pop(ld, saved);
        return NULL;
    }
    n = strlen(it->valuestring);
    if (n > ld->opts.max_string) {
        saved = path_push_key(ld, key);
        problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                "string of %zu bytes is longer than the limit of %zu", n,
                ld->opts.max_string);
        path_pop(ld, saved);
        return NULL;
    }
    s = rpp__arena_strndup(ld->r->arena, it->valuestring, n);
    if (!s)
        problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
    return s;
}

/* Field tables: each object kind lists its keys; the walker finds a key's
 * index, rejects duplicates and warns about unknown keys. */
typedef struct field_set {
    const char *const *names;
    size_t n;
} field_set;

static int field_index(const field_set *fs, const char *key)
{
    size_t i;

    for (i = 0; i < fs->n; i++)
        if (strcmp(fs->names[i], key) == 0)
            return (int)i;
    return -1;
}

/*
 * Collects the children of an object by name into slots (NULL when absent).
 * Duplicate keys are errors (which one wins differs between JSON readers);
 * unknown keys are warnings. Returns false if obj is not an object.
 */
static bool collect(loader *ld, const cJSON *obj, const field_set *fs,
                    const cJSON **slots)
{
    const cJSON *c;
    size_t i, saved;
    int idx;

    for (i = 0; i < fs->n; i++)
        slots[i] = NULL;
    if (!cJSON_IsObject(obj)) {
        ERR(ld, "expected an object, got %s", json_type_name(obj));
        return false;
    }
    for (c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        idx = field_index(fs, key);
        if (idx < 0) {
            saved = path_push_key(ld, key);
            WARN(ld, "unknown key; ignored");
            path_pop(ld, saved);
        } else if (slots[idx]) {
            saved = path_push_key(ld, key);
            ERR(ld, "duplicate key");
            path_pop(ld, saved);
        } else {
            slots[idx] = c;
        }
    }
    return true;
}

static void missing(loader *ld, const char *key)
{
    ERR(ld, "missing \"%s\"", key);
}

/* Warns once per distinct unknown event type name. */
static void unknown_type(loader *ld, const char *name)
{
    size_t i;

    for (i = 0; i < ld->n_unknown; i++)
        if (strcmp(ld->unknown[i], name) == 0)
            return;
    if (ld->n_unknown < MAX_UNKNOWN_NAMES)
        ld->unknown[ld->n_unknown++] = name;
    WARN(ld, "unknown event type; kept as is (further events of this type "
             "are not reported)");
}

/* ---- summary ----------------------------------------------------------- */

enum { EVS_COUNT, EVS_TOTAL, EVS_AVG, EVS_MIN, EVS_MAX, EVS__N };
static const char *const evs_names[EVS__N] = { "count", "totalMs", "avgMs",
                                               "minMs", "maxMs" };
static const field_set evs_fields = { evs_names, EVS__N };

static void load_event_summaries(loader *ld, const cJSON *obj)
{
    rpp_summary *s = &ld->r->summary;
    const cJSON *c, *f[EVS__N];
    size_t n = 0, saved, k;
    uint64_t v[EVS__N];
    rpp__namemap seen = { NULL, NULL, 0, 0 };

    if (!cJSON_IsObject(obj)) {
        ERR(ld, "expected an object, got %s", json_type_name(obj));
        return;
    }
    for (c = obj->child; c; c = c->next)
        n++;
    if (n > ld->opts.max_events) {
        problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                "%zu event types, above the limit of %zu", n,
                ld->opts.max_events);
        return;
    }
    if (n) {
        s->event_summaries = calloc(n, sizeof(*s->event_summaries));
        if (!s->event_summaries) {
            problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
            return;
        }
    }
    for (c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        rpp_event_summary *es;
        bool ok = true;
        int added;

        saved = path_push_key(ld, key);
        /* a set of the names seen, so that many types stay linear */
        added = rpp__namemap_put(&seen, key, 0, NULL);
        if (added < 0) {
            problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
            path_pop(ld, saved);
            break;
        }
        if (added == 0) {
            ERR(ld, "duplicate key");
            path_pop(ld, saved);
            continue;
        }
        if (!collect(ld, c, &evs_fields, f)) {
            path_pop(ld, saved);
            continue;
        }
        for (k = 0; k < EVS__N; k++) {
            v[k] = 0;
            if (!f[k]) {
                missing(ld, evs_names[k]);
                ok = false;
            } else if (!get_u53(ld, f[k], evs_names[k], &v[k])) {
                ok = false;
            }
        }
        if (ok) {
            es = &s->event_summaries[s->n_event_summaries++];
            es->name = rpp__arena_strdup(ld->r->arena, key);
            if (!es->name) {
                problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
                s->n_event_summaries--;
            } else {
                es->type = rpp_event_type_from_name(key);
                es->count = v[EVS_COUNT];
                es->total_ms = v[EVS_TOTAL];
                es->avg_ms = v[EVS_AVG];
                es->min_ms = v[EVS_MIN];
                es->max_ms = v[EVS_MAX];
                if (es->type == RPP_EV_UNKNOWN)
                    unknown_type(ld, es->name);
            }
        }
        path_pop(ld, saved);
    }
    rpp__namemap_free(&seen);
}

enum { PH_SAMPLES, PH_BYTES, PH_DURATION, PH_MIN, PH_MAX, PH_AVG, PH__N };
static const char *const ph_names[PH__N] = {
    "sampleCount", "bytesTotal", "durationMs",
    "minThroughputKBps", "maxThroughputKBps", "avgThroughputKBps"
};
static const field_set ph_fields = { ph_names, PH__N };
static const char *const phase_keys[RPP_PHASE_COUNT] = {
    "download", "decompress", "write", "verify"
};
static const field_set phase_fields = { phase_keys, RPP_PHASE_COUNT };

static void load_phase_summaries(loader *ld, const cJSON *obj)
{
    const cJSON *ph[RPP_PHASE_COUNT], *f[PH__N];
    size_t saved;
    int p, k;

    if (!collect(ld, obj, &phase_fields, ph))
        return;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp_phase_summary *ps = &ld->r->summary.phases[p];
        uint64_t *dst[PH__N] = { &ps->sample_count, &ps->bytes_total,
                                 &ps->duration_ms, &ps->min_kbps,
                                 &ps->max_kbps, &ps->avg_kbps };
        if (!ph[p])
            continue;
        saved = path_push_key(ld, phase_keys[p]);
        if (collect(ld, ph[p], &ph_fields, f)) {
            ps->present = true;
            for (k = 0; k < PH__N; k++)
                if (f[k] && get_u53(ld, f[k], ph_names[k], dst[k]))
                    ps->fields |= 1u << k;
        }
        path_pop(ld, saved);
    }
}

enum {
    SU_IMAGE, SU_DEVICE, SU_SIZE, SU_START, SU_END, SU_DURATION, SU_SUCCESS,
    SU_STATE, SU_ERROR, SU_EVENTS, SU_PHASES, SU__N
};
static const char *const su_names[SU__N] = {
    "imageName", "deviceName", "imageSize", "sessionStartTime",
    "sessionEndTime", "durationMs", "success", "sessionState",
    "errorMessage", "events", "phases"
};
static const field_set su_fields = { su_names, SU__N };

static rpp_session_state parse_state(const char *s)
{
    static const rpp_session_state states[] = {
        RPP_STATE_NEVER_STARTED, RPP_STATE_IN_PROGRESS, RPP_STATE_SUCCEEDED,
        RPP_STATE_FAILED, RPP_STATE_CANCELLED
    };
    size_t i;

    for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(s, rpp_session_state_name(states[i])) == 0)
            return states[i];
    return RPP_STATE_UNRECOGNISED;
}

static void load_summary(loader *ld, const cJSON *obj)
{
    rpp_summary *s = &ld->r->summary;
    const cJSON *f[SU__N];
    size_t saved;
    int k;

    if (!collect(ld, obj, &su_fields, f))
        return;
    /* fields the Imager always writes */
    for (k = 0; k < SU__N; k++)
        if (!f[k] && k != SU_STATE && k != SU_ERROR)
            missing(ld, su_names[k]);
    if (f[SU_IMAGE])
        s->image_name = get_str(ld, f[SU_IMAGE], su_names[SU_IMAGE]);
    if (f[SU_DEVICE])
        s->device_name = get_str(ld, f[SU_DEVICE], su_names[SU_DEVICE]);
    if (f[SU_SIZE])
        get_u53(ld, f[SU_SIZE], su_names[SU_SIZE], &s->image_size);
    if (f[SU_START])
        get_u53(ld, f[SU_START], su_names[SU_START], &s->session_start_time);
    if (f[SU_END])
        get_u53(ld, f[SU_END], su_names[SU_END], &s->session_end_time);
    if (f[SU_DURATION])
        get_u53(ld, f[SU_DURATION], su_names[SU_DURATION], &s->duration_ms);
    if (f[SU_SUCCESS])
        get_bool(ld, f[SU_SUCCESS], su_names[SU_SUCCESS], &s->success);
    if (f[SU_ERROR])
        s->error_message = get_str(ld, f[SU_ERROR], su_names[SU_ERROR]);
    if (f[SU_STATE]) {
        s->session_state_raw = get_str(ld, f[SU_STATE], su_names[SU_STATE]);
        if (s->session_state_raw) {
            s->session_state = parse_state(s->session_state_raw);
            saved = path_push_key(ld, "sessionState");
            if (s->session_state == RPP_STATE_UNRECOGNISED)
                WARN(ld, "unknown session state; the state is inferred "
                         "instead");
            else if (f[SU_SUCCESS] && cJSON_IsBool(f[SU_SUCCESS]) &&
                     s->success != (s->session_state == RPP_STATE_SUCCEEDED))
                WARN(ld, "disagrees with \"success\": %s",
                     s->success ? "true" : "false");
            path_pop(ld, saved);
        }
    }
    if (!s->image_name)
        s->image_name = "";
    if (!s->device_name)
        s->device_name = "";
    if (f[SU_EVENTS]) {
        saved = path_push_key(ld, "events");
        load_event_summaries(ld, f[SU_EVENTS]);
        path_pop(ld, saved);
    }
    if (f[SU_PHASES]) {
        saved = path_push_key(ld, "phases");
        load_phase_summaries(ld, f[SU_PHASES]);
        path_pop(ld, saved);
    }
}

/* ---- events ------------------------------------------------------------ */

enum { EV_TYPE, EV_START, EV_DURATION, EV_SUCCESS, EV_META, EV_BYTES,
       EV_THROUGHPUT, EV__N };
static const char *const ev_names[EV__N] = {
    "type", "startMs", "durationMs", "success", "metadata",
    "bytesTransferred", "throughputKBps"
};
static const field_set ev_fields = { ev_names, EV__N };

static void load_events(loader *ld, const cJSON *arr)
{
    rpp_report *r = ld->r;
    const cJSON *c, *f[EV__N];
    size_t n, i, saved;
    int k;

    if (!cJSON_IsArray(arr)) {
        ERR(ld, "expected an array, got %s", json_type_name(arr));
        return;
    }
    n = 0;
    for (c = arr->child; c; c = c->next)
        n++;
    if (n > ld->opts.max_events) {
        problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                "%zu events, above the limit of %zu", n, ld->opts.max_events);
        return;
    }
    if (!n)
        return;
    r->events = calloc(n, sizeof(*r->events));
    if (!r->events) {
        problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
        return;
    }
    for (c = arr->child, i = 0; c; c = c->next, i++) {
        rpp_event *e = &r->events[r->n_events];
        bool ok = true;

        saved = path_push_index(ld, i);
        if (!collect(ld, c, &ev_fields, f)) {
            path_pop(ld, saved);
            continue;
        }
        for (k = 0; k < EV_META; k++)
            if (!f[k]) {
                missing(ld, ev_names[k]);
                ok = false;
            }
        if (f[EV_TYPE]) {
            e->type_name = get_str(ld, f[EV_TYPE], "type");
            if (!e->type_name) {
                ok = false;
            } else {
                e->type = rpp_event_type_from_name(e->type_name);
                if (e->type == RPP_EV_UNKNOWN) {
                    size_t s2 = path_push_key(ld, "type");
                    unknown_type(ld, e->type_name);
                    path_pop(ld, s2);
                } else {
                    /* share the table's copy of known names */
                    e->type_name = rpp_event_type_name(e->type);
                }
            }
        }
        if (f[EV_START] && !get_u53(ld, f[EV_START], "startMs", &e->start_ms))
            ok = false;
        if (f[EV_DURATION] &&
            !get_u53(ld, f[EV_DURATION], "durationMs", &e->duration_ms))
            ok = false;
        if (f[EV_SUCCESS] && !get_bool(ld, f[EV_SUCCESS], "success",
                                       &e->success))
            ok = false;
        if (f[EV_META]) {
            e->metadata = get_str(ld, f[EV_META], "metadata");
            if (!e->metadata)
                ok = false;
        }
        if (f[EV_BYTES]) {
            if (get_u53(ld, f[EV_BYTES], "bytesTransferred",
                        &e->bytes_transferred))
                e->has_bytes = true;
            else
                ok = false;
        }
        if (f[EV_THROUGHPUT]) {
            if (get_u53(ld, f[EV_THROUGHPUT], "throughputKBps",
                        &e->throughput_kbps))
                e->has_throughput = true;
            else
                ok = false;
        }
        if (ok)
            r->n_events++;
        else
            memset(e, 0, sizeof(*e));
        path_pop(ld, saved);
    }
}

/* ---- histograms -------------------------------------------------------- */

static void load_slices(loader *ld, const cJSON *arr, rpp_histogram *h)
{
    const cJSON *c, *v;
    size_t n = 0, i, j, saved, s2;

    if (!cJSON_IsArray(arr)) {
        ERR(ld, "expected an array of slices, got %s", json_type_name(arr));
        return;
    }
    h->present = true;
    for (c = arr->child; c; c = c->next)
        n++;
    if (n > ld->opts.max_slices) {
        problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                "%zu slices, above the limit of %zu", n, ld->opts.max_slices);
        return;
    }
    if (!n)
        return;
    h->slices = malloc(n * sizeof(*h->slices));
    if (!h->slices) {
        problem(ld, RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory");
        return;
    }
    for (c = arr->child, i = 0; c; c = c->next, i++) {
        rpp_slice *sl = &h->slices[h->n_slices];
        uint64_t vals[RPP_SLICE_FIELDS];
        bool ok = true;

        if (cJSON_IsArray(c)) {
            /* the hot loop of large reports: 16 numbers per slice */
            for (v = c->child, j = 0; v && j < RPP_SLICE_FIELDS;
                 v = v->next, j++)
                if (!is_u53(v, &vals[j]))
                    break;
            if (j == RPP_SLICE_FIELDS && !v) {
                sl->t_ms = vals[0];
                sl->min_kbps = vals[1];
                sl->max_kbps = vals[2];
                sl->avg_kbps = vals[3];
                memcpy(sl->buckets, vals + 4, sizeof(sl->buckets));
                h->n_slices++;
                continue;
            }
        }
        /* slow path: say exactly what is wrong */
        saved = path_push_index(ld, i);
        if (!cJSON_IsArray(c)) {
            ERR(ld, "expected an array of %d numbers, got %s",
                RPP_SLICE_FIELDS, json_type_name(c));
        } else {
            size_t count = 0;
            for (v = c->child; v; v = v->next)
                count++;
            if (count != RPP_SLICE_FIELDS) {
                ERR(ld, "expected %d numbers, got %zu", RPP_SLICE_FIELDS,
                    count);
                ok = false;
            }
            for (v = c->child, j = 0; v; v = v->next, j++) {
                uint64_t dummy;
                if (!is_u53(v, &dummy)) {
                    s2 = path_push_index(ld, j);
                    bad_number(ld, v, "a non-negative integer");
                    path_pop(ld, s2);
                    ok = false;
                }
            }
            (void)ok;
        }
        path_pop(ld, saved);
    }
}

/* Warnings about slices that are well-formed but odd. */
static void check_slices(loader *ld, size_t cycle_starts)
{
    rpp_report *r = ld->r;
    size_t saved, s2, i, backwards, odd;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        rpp_histogram *h = &r->histograms[p];
        size_t first_back = 0, first_odd = 0;

        if (!h->n_slices)
            continue;
        backwards = odd = 0;
        for (i = 0; i < h->n_slices; i++) {
            const rpp_slice *sl = &h->slices[i];
            if (i && sl->t_ms < h->slices[i - 1].t_ms && !backwards++)
                first_back = i;
            if ((sl->min_kbps > sl->avg_kbps || sl->avg_kbps > sl->max_kbps) &&
                !odd++)
                first_odd = i;
        }
        saved = path_push_key(ld, "histograms");
        s2 = path_push_key(ld, phase_keys[p]);
        /* A version 3 timer restarts at each cycleStart: one step back per
         * extra cycle is expected, not disorder. */
        if (backwards > (cycle_starts > 1 ? cycle_starts - 1 : 0)) {
            size_t s3 = path_push_index(ld, first_back);
            WARN(ld, "slices out of time order (%zu place%s)", backwards,
                 backwards == 1 ? "" : "s");
            path_pop(ld, s3);
        }
        if (odd) {
            size_t s3 = path_push_index(ld, first_odd);
            WARN(ld, "min > avg or avg > max in %zu slice%s", odd,
                 odd == 1 ? "" : "s");
            path_pop(ld, s3);
        }
        path_pop(ld, s2);
        path_pop(ld, saved);
    }
}

static void load_histograms(loader *ld, const cJSON *obj)
{
    const cJSON *ph[RPP_PHASE_COUNT];
    size_t saved;
    int p;

    if (ld->fast) {
        /* already read (the tree holds an empty object in its place) */
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            ld->r->histograms[p] = ld->fast[p];
            memset(&ld->fast[p], 0, sizeof(ld->fast[p]));
        }
        return;
    }
    if (!collect(ld, obj, &phase_fields, ph))
        return;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (!ph[p])
            continue;
        saved = path_push_key(ld, phase_keys[p]);
        load_slices(ld, ph[p], &ld->r->histograms[p]);
        path_pop(ld, saved);
    }
}

/* ---- schema ------------------------------------------------------------ */

enum { SC_FORMAT, SC_WINDOW, SC_UNIT, SC__N };
static const char *const sc_names[SC__N] = { "histogramSliceFormat",
                                             "histogramWindowMs",
                                             "throughputUnit" };
static const field_set sc_fields = { sc_names, SC__N };

static void load_schema(loader *ld, const cJSON *obj)
{
    const cJSON *f[SC__N], *c;
    size_t saved, s2, i;
    uint64_t w;

    if (!collect(ld, obj, &sc_fields, f))
        return;
    ld->r->has_schema = true;
    if (f[SC_FORMAT]) {
        saved = path_push_key(ld, sc_names[SC_FORMAT]);
        if (!cJSON_IsArray(f[SC_FORMAT])) {
            ERR(ld, "expected an array, got %s", json_type_name(f[SC_FORMAT]));
        } else {
            for (c = f[SC_FORMAT]->child, i = 0; c; c = c->next, i++) {
                if (i >= RPP_SLICE_FIELDS)
                    continue;
                s2 = path_push_index(ld, i);
                if (!cJSON_IsString(c))
                    ERR(ld, "expected \"%s\", got %s", slice_format[i],
                        json_type_name(c));
                else if (strcmp(c->valuestring, slice_format[i]) != 0)
                    ERR(ld, "expected \"%s\"; this tool reads the documented "
                            "slice layout only",
                        slice_format[i]);
                path_pop(ld, s2);
            }
            if (i != RPP_SLICE_FIELDS)
                ERR(ld, "expected %d field names, got %zu", RPP_SLICE_FIELDS,
                    i);
        }
        path_pop(ld, saved);
    } else {
        WARN(ld, "no \"histogramSliceFormat\"; assuming the documented "
                 "layout");
    }
    if (f[SC_WINDOW]) {
        if (get_u53(ld, f[SC_WINDOW], sc_names[SC_WINDOW], &w)) {
            saved = path_push_key(ld, sc_names[SC_WINDOW]);
            if (w == 0 || w > 86400000u)
                ERR(ld, "window of %llu ms is out of range (1 ms to 1 day)",
                    (unsigned long long)w);
            else
                ld->r->window_ms = w;
            path_pop(ld, saved);
        }
    } else {
        WARN(ld, "no \"histogramWindowMs\"; assuming 1000 ms");
    }
    if (f[SC_UNIT]) {
        saved = path_push_key(ld, sc_names[SC_UNIT]);
        if (!cJSON_IsString(f[SC_UNIT]))
            ERR(ld, "expected a string, got %s", json_type_name(f[SC_UNIT]));
        else if (strcmp(f[SC_UNIT]->valuestring, "KB/s") != 0)
            ERR(ld, "unsupported unit; this tool reads \"KB/s\"");
        path_pop(ld, saved);
    } else {
        WARN(ld, "no \"throughputUnit\"; assuming KB/s");
    }
}

/* ---- system (version 3) ------------------------------------------------ */

enum { SY_MEMORY, SY_TARGET, SY_PLATFORM, SY_IMAGER, SY_WRITECONFIG, SY__N };
static const char *const sy_names[SY__N] = { "memory", "targetDevice",
                                             "platform", "imager",
                                             "writeConfig" };
static const field_set sy_fields = { sy_names, SY__N };

/* A flat list of (key, kind, destination) for one sub-object. */
enum kind { K_U53, K_BOOL, K_STR };
typedef struct sysfield {
    const char *name;
    enum kind kind;
    void *dst;
} sysfield;

static bool load_flat(loader *ld, const cJSON *obj, const sysfield *fs,
                      size_t n)
{
    const char *names[16];
    const cJSON *slots[16];
    field_set set = { names, n };
    size_t i;

    for (i = 0; i < n && i < 16; i++)
        names[i] = fs[i].name;
    if (!collect(ld, obj, &set, slots))
        return false;
    for (i = 0; i < n; i++) {
        if (!slots[i])
            continue;
        switch (fs[i].kind) {
        case K_U53: get_u53(ld, slots[i], fs[i].name, fs[i].dst); break;
        case K_BOOL: get_bool(ld, slots[i], fs[i].name, fs[i].dst); break;
        case K_STR: {
            const char *s = get_str(ld, slots[i], fs[i].name);
            if (s)
                *(const char **)fs[i].dst = s;
            break;
        }
        }
    }
    return true;
}

static void load_system(loader *ld, const cJSON *obj)
{
    rpp_system *sy = &ld->r->system;
    const cJSON *f[SY__N];
    size_t saved;

    sy->target.path = sy->target.description = "";
    sy->platform.os = sy->platform.os_version = sy->platform.cpu_architecture =
        "";
    sy->imager.version = sy->imager.build_type = sy->imager.binary_sha256 =
        sy->imager.qt_runtime = sy->imager.qt_build = "";
    sy->write_config.memory_tier = "";
    if (!collect(ld, obj, &sy_fields, f))
        return;
    sy->present = true;
    if (f[SY_MEMORY]) {
        const sysfield fs[] = {
            { "totalBytes", K_U53, &sy->memory.total_bytes },
            { "availableBytes", K_U53, &sy->memory.available_bytes },
            { "totalMB", K_U53, &sy->memory.total_mb },
            { "availableMB", K_U53, &sy->memory.available_mb },
        };
        saved = path_push_key(ld, "memory");
        sy->has_memory = load_flat(ld, f[SY_MEMORY], fs, 4);
        path_pop(ld, saved);
    }
    if (f[SY_TARGET]) {
        const sysfield fs[] = {
            { "path", K_STR, &sy->target.path },
            { "sizeBytes", K_U53, &sy->target.size_bytes },
            { "sizeMB", K_U53, &sy->target.size_mb },
            { "description", K_STR, &sy->target.description },
            { "isUsb", K_BOOL, &sy->target.is_usb },
            { "isRemovable", K_BOOL, &sy->target.is_removable },
        };
        saved = path_push_key(ld, "targetDevice");
        sy->has_target = load_flat(ld, f[SY_TARGET], fs, 6);
        path_pop(ld, saved);
    }
    if (f[SY_PLATFORM]) {
        const sysfield fs[] = {
            { "os", K_STR, &sy->platform.os },
            { "osVersion", K_STR, &sy->platform.os_version },
            { "cpuArchitecture", K_STR, &sy->platform.cpu_architecture },
            { "cpuCores", K_U53, &sy->platform.cpu_cores },
        };
        saved = path_push_key(ld, "platform");
        sy->has_platform = load_flat(ld, f[SY_PLATFORM], fs, 4);
        path_pop(ld, saved);
    }
    if (f[SY_IMAGER]) {
        const sysfield fs[] = {
            { "version", K_STR, &sy->imager.version },
            { "buildType", K_STR, &sy->imager.build_type },
            { "binarySha256", K_STR, &sy->imager.binary_sha256 },
            { "qtRuntime", K_STR, &sy->imager.qt_runtime },
            { "qtBuild", K_STR, &sy->imager.qt_build },
        };
        saved = path_push_key(ld, "imager");
        sy->has_imager = load_flat(ld, f[SY_IMAGER], fs, 5);
        path_pop(ld, saved);
    }
    if (f[SY_WRITECONFIG]) {
        rpp_system *s = sy;
        const sysfield fs[] = {
            { "directIOEnabled", K_BOOL, &s->write_config.direct_io_enabled },
            { "periodicSyncEnabled", K_BOOL,
              &s->write_config.periodic_sync_enabled },
            { "syncIntervalBytes", K_U53,
              &s->write_config.sync_interval_bytes },
            { "syncIntervalMB", K_U53, &s->write_config.sync_interval_mb },
            { "syncIntervalMs", K_U53, &s->write_config.sync_interval_ms },
            { "memoryTier", K_STR, &s->write_config.memory_tier },
        };
        const sysfield bs[] = {
            { "writeBufferBytes", K_U53,
              &s->write_config.buffers.write_buffer_bytes },
            { "writeBufferKB", K_U53,
              &s->write_config.buffers.write_buffer_kb },
            { "inputBufferBytes", K_U53,
              &s->write_config.buffers.input_buffer_bytes },
            { "inputBufferKB", K_U53,
              &s->write_config.buffers.input_buffer_kb },
            { "inputRingBufferSlots", K_U53,
              &s->write_config.buffers.input_ring_buffer_slots },
            { "writeRingBufferSlots", K_U53,
              &s->write_config.buffers.write_ring_buffer_slots },
        };
        const cJSON *buffers;
        /* "buffers" is an object inside writeConfig: take it out of the
         * flat list's view by looking it up first */
        static const char *const wc_names[] = {
            "directIOEnabled", "periodicSyncEnabled", "syncIntervalBytes",
            "syncIntervalMB", "syncIntervalMs", "memoryTier", "buffers"
        };
        const field_set wc_fields = { wc_names, 7 };
        const cJSON *slots[7];
        size_t i;

        saved = path_push_key(ld, "writeConfig");
        if (collect(ld, f[SY_WRITECONFIG], &wc_fields, slots)) {
            sy->has_write_config = true;
            for (i = 0; i < 6; i++) {
                if (!slots[i])
                    continue;
                switch (fs[i].kind) {
                case K_U53: get_u53(ld, slots[i], fs[i].name, fs[i].dst); break;
                case K_BOOL: get_bool(ld, slots[i], fs[i].name, fs[i].dst); break;
                case K_STR: {
                    const char *str = get_str(ld, slots[i], fs[i].name);
                    if (str)
                        *(const char **)fs[i].dst = str;
                    break;
                }
                }
            }
            sy->write_config.has_sync_interval = slots[2] != NULL;
            buffers = slots[6];
            if (buffers) {
                size_t s2 = path_push_key(ld, "buffers");
                sy->has_buffers = load_flat(ld, buffers, bs, 6);
                path_pop(ld, s2);
            }
        }
        path_pop(ld, saved);
    }
}

/* ---- top level --------------------------------------------------------- */

enum { TOP_VERSION, TOP_EXPORT, TOP_SUMMARY, TOP_SYSTEM, TOP_EVENTS,
       TOP_HISTOGRAMS, TOP_SCHEMA, TOP__N };
static const char *const top_names[TOP__N] = {
    "version", "exportTime", "summary", "system", "events", "histograms",
    "schema"
};
static const field_set top_fields = { top_names, TOP__N };

static void load_root(loader *ld, const cJSON *root)
{
    rpp_report *r = ld->r;
    const cJSON *f[TOP__N];
    size_t saved, i, cycle_starts = 0;
    uint64_t version = 0;

    if (!cJSON_IsObject(root)) {
        ERR(ld, "the top level must be an object, got %s",
            json_type_name(root));
        return;
    }
    if (!collect(ld, root, &top_fields, f))
        return;
    if (!f[TOP_VERSION]) {
        missing(ld, "version");
        return;
    }
    if (!get_u53(ld, f[TOP_VERSION], "version", &version))
        return;
    if (version != 2 && version != 3) {
        saved = path_push_key(ld, "version");
        ERR(ld, "unsupported version %llu; this tool reads versions 2 and 3",
            (unsigned long long)version);
        path_pop(ld, saved);
        return;
    }
    r->version = (int)version;
    for (i = 0; i < TOP__N; i++)
        if (!f[i] && (i == TOP_SUMMARY || i == TOP_EVENTS ||
                      i == TOP_HISTOGRAMS))
            missing(ld, top_names[i]);
    if (f[TOP_EXPORT]) {
        const char *s = get_str(ld, f[TOP_EXPORT], "exportTime");
        if (s)
            r->export_time = s;
    } else {
        WARN(ld, "no \"exportTime\"");
    }
    if (f[TOP_SUMMARY]) {
        saved = path_push_key(ld, "summary");
        load_summary(ld, f[TOP_SUMMARY]);
        path_pop(ld, saved);
    }
    if (f[TOP_SYSTEM]) {
        saved = path_push_key(ld, "system");
        load_system(ld, f[TOP_SYSTEM]);
        path_pop(ld, saved);
    }
    if (f[TOP_EVENTS]) {
        saved = path_push_key(ld, "events");
        load_events(ld, f[TOP_EVENTS]);
        path_pop(ld, saved);
    }
    if (f[TOP_HISTOGRAMS]) {
        saved = path_push_key(ld, "histograms");
        load_histograms(ld, f[TOP_HISTOGRAMS]);
        path_pop(ld, saved);
    }
    if (f[TOP_SCHEMA]) {
        saved = path_push_key(ld, "schema");
        load_schema(ld, f[TOP_SCHEMA]);
        path_pop(ld, saved);
    } else {
        WARN(ld, "no \"schema\" block; assuming 1000 ms windows and KB/s");
    }
    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == RPP_EV_CYCLE_START)
            cycle_starts++;
    if (ld->status == RPP_OK)
        check_slices(ld, cycle_starts);
}

/* ---- Entry points ------------------------------------------------------ */

/* Fills o from the caller's options (NULL = defaults); false for a version
 * of the struct this library does not know. */
static bool resolve_opts(rpp_load_opts *o, const rpp_load_opts *in)
{
    memset(o, 0, sizeof(*o));
    if (in && in->version > RPP_LOAD_OPTS_VERSION)
        return false;
    if (in)
        *o = *in;
    if (!o->max_file_size)
        o->max_file_size = RPP_DEFAULT_MAX_FILE_SIZE;
    if (!o->max_events)
        o->max_events = RPP_DEFAULT_MAX_EVENTS;
    if (!o->max_slices)
        o->max_slices = RPP_DEFAULT_MAX_SLICES;
    if (!o->max_string)
        o->max_string = RPP_DEFAULT_MAX_STRING;
    return true;
}

/*
 * Parses text of len bytes. When owned is set the text was allocated by this
 * file and is released as soon as cJSON has its tree, which keeps the peak
 * memory of large reports down.
 */
/* Parses text with cJSON and, when the histograms took the fast path, the
 * text with an empty object in their place. Returns the tree, or NULL with
 * *end where cJSON stopped in text. Trailing data is checked here. */
static cJSON *parse_tree(const char *text, size_t len, size_t hs, size_t he,
                         bool *fast_ok, const char **end, size_t *trailing)
{
    cJSON *root = NULL;
    const char *e = NULL;
    size_t i;

    *trailing = (size_t)-1;
    if (*fast_ok) {
        size_t rl = len - (he - hs) + 2;
        char *reduced = malloc(rl + 1);

        if (reduced) {
            memcpy(reduced, text, hs);
            memcpy(reduced + hs, "{}", 2);
            memcpy(reduced + hs + 2, text + he, len - he);
            reduced[rl] = '\0';
            root = cJSON_ParseWithLengthOpts(reduced, rl, &e, 0);
            for (i = root ? (size_t)(e - reduced) : rl; i < rl; i++)
                if (reduced[i] != ' ' && reduced[i] != '\n' &&
                    reduced[i] != '\r' && reduced[i] != '\t')
                    break;
            if (root && i < rl) {
                cJSON_Delete(root);
                root = NULL;
            }
            free(reduced);
        }
        if (root)
            return root;
        /* any problem: the whole text again, for exact messages */
        *fast_ok = false;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &e, 0);
    *end = e;
    if (root) {
        for (i = (size_t)(e - text); i < len; i++)
            if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' &&
                text[i] != '\t') {
                *trailing = i;
                break;
            }
    }
    return root;
}

/*
 * Parses text of len bytes. owned, when not NULL, is the buffer holding
 * text, allocated by this file: it is released as soon as cJSON has its
 * tree, which keeps the peak memory of large reports down.
 */
static int load_text(rpp_report **out, const char *text, size_t len,
                     char *owned, const rpp_load_opts *opts,
                     rpp_diags *diags)
{
    loader ld;
    rpp_report *r = NULL;
    cJSON *root = NULL;
    const char *end = NULL;
    rpp_histogram fast[RPP_PHASE_COUNT];
    size_t i, hs = 0, he = 0, trailing;
    bool fast_ok = false;
    int st;

    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    memset(fast, 0, sizeof(fast));
    if (!resolve_opts(&ld.opts, opts)) {
        free(owned);
        return RPP_ERR_ARG;
    }
    ld.diags = diags;
    strcpy(ld.path, "$");
    ld.path_len = 1;

    if (len > ld.opts.max_file_size) {
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                "%zu bytes, above the size limit of %zu bytes", len,
                ld.opts.max_file_size);
        st = RPP_ERR_LIMIT;
        goto cleanup;
    }
    for (i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' &&
            text[i] != '\t')
            break;
    if (i == len) {
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, 0, 0,
                len ? "no JSON: only white space" : "empty file");
        st = RPP_ERR_SYNTAX;
        goto cleanup;
    }
    if ((st = scan_text(text, len, diags, ld.opts.max_slices, fast, &hs,
                        &he)) < 0)
        goto cleanup;
    fast_ok = he > hs;

    root = parse_tree(text, len, hs, he, &fast_ok, &end, &trailing);
    if (!fast_ok)
        fast_free(fast);
    if (!root) {
        unsigned line, col;
        char what[48];
        const char *why = NULL;
        size_t off = end && end >= text ? (size_t)(end - text) : len;
        find_syntax_error(text, len, &off, &why);
        line_col(text, len, off, &line, &col);
        describe_at(text, len, off, what, sizeof(what));
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                "not valid JSON (%s)", why ? why : what);
        st = RPP_ERR_SYNTAX;
        goto cleanup;
    }
    /* cJSON stops after the first value: the rest must be white space */
    if (trailing != (size_t)-1) {
        unsigned line, col;
        line_col(text, len, trailing, &line, &col);
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                "not valid JSON (unexpected data after the top-level "
                "value)");
        st = RPP_ERR_SYNTAX;
        goto cleanup;
    }
    free(owned);
    owned = NULL;
    text = NULL;

    r = calloc(1, sizeof(*r));
    if (!r || !(r->arena = rpp__arena_new())) {
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_NOMEM, 0, 0, "out of memory");
        st = RPP_ERR_NOMEM;
        goto cleanup;
    }
    r->window_ms = 1000;
    r->export_time = "";
    r->summary.image_name = r->summary.device_name = "";
    r->source_bytes = len;
    ld.r = r;
    ld.fast = fast_ok ? fast : NULL;
    load_root(&ld, root);
    st = ld.status;
    if (st == RPP_OK) {
        *out = r;
        r = NULL;
    }

cleanup:
    cJSON_Delete(root);
    fast_free(fast);
    rpp_report_free(r);
    free(owned);
    return st;
}

int rpp_report_load_buffer(rpp_report **out, const char *data, size_t len,
                           const rpp_load_opts *opts, rpp_diags *diags)
{
    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!data && len)
        return RPP_ERR_ARG;
    /* the text is only read, never written: the cast does not leak out */
    return load_text(out, data ? data : "", len, NULL, opts, diags);
}

static void io_problem(rpp_diags *diags, int code, const char *what, int err)
{
    char msg[128];

    /* XSI strerror_r: thread-safe, unlike strerror */
    if (strerror_r(err, msg, sizeof(msg)) != 0)
        snprintf(msg, sizeof(msg), "error %d", err);
    diag_at(diags, RPP_SEV_ERROR, code, 0, 0, "%s: %s", what, msg);
}

int rpp_report_load_fd(rpp_report **out, int fd, const rpp_load_opts *opts,
                       rpp_diags *diags)
{
    rpp_load_opts o;
    struct stat stbuf;
    char *buf = NULL, *p;
    size_t len = 0, cap = 0, limit;
    ssize_t n;
    int flags;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!resolve_opts(&o, opts))
        return RPP_ERR_ARG;
    limit = o.max_file_size;
    if (fstat(fd, &stbuf) < 0) {
        io_problem(diags, RPP_ERR_IO, "cannot read", errno);
        return RPP_ERR_IO;
    }
    if (S_ISDIR(stbuf.st_mode)) {
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_IO, 0, 0,
                "is a directory, not a report");
        return RPP_ERR_IO;
    }
    if (S_ISREG(stbuf.st_mode)) {
        if ((uint64_t)stbuf.st_size > (uint64_t)limit) {
            diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                    "file of %llu bytes is above the size limit of %zu "
                    "bytes; not read",
                    (unsigned long long)stbuf.st_size, limit);
            return RPP_ERR_LIMIT;
        }
        /* room for the contents plus one byte, so that the read which
         * confirms the end does not have to grow the buffer */
        cap = (size_t)stbuf.st_size + 2;
    }
    /* a FIFO may have been opened non-blocking so that opening it could
     * not hang; then the program that feeds it may not have opened it yet.
     * Wait for its first data or its end (POLLHUP, once a writer has come
     * and gone) a bounded time; after that, reads block and end at EOF */
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK)) {
        if (S_ISFIFO(stbuf.st_mode)) {
            struct pollfd pfd;
            int ready;

            pfd.fd = fd;
            pfd.events = POLLIN;
            pfd.revents = 0;
            do
                ready = poll(&pfd, 1, FIFO_WAIT_MS);
            while (ready < 0 && errno == EINTR);
            if (ready == 0) {
                diag_at(diags, RPP_SEV_ERROR, RPP_ERR_IO, 0, 0,
                        "a FIFO that nothing wrote to within %d s; not read",
                        FIFO_WAIT_MS / 1000);
                return RPP_ERR_IO;
            }
        }
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    if (cap < 65536)
        cap = 65536;
    buf = malloc(cap);
    if (!buf) {
        diag_at(diags, RPP_SEV_ERROR, RPP_ERR_NOMEM, 0, 0, "out of memory");
        return RPP_ERR_NOMEM;
    }
    for (;;) {
        if (len + 1 >= cap) {
            size_t ncap = cap * 2;
            if (cap > limit + 2) {
                free(buf);
                diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                        "more than %zu bytes, above the size limit; not "
                        "read further",
                        limit);
                return RPP_ERR_LIMIT;
            }
            if (ncap > limit + 2)
                ncap = limit + 2;
            p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                diag_at(diags, RPP_SEV_ERROR, RPP_ERR_NOMEM, 0, 0,
                        "out of memory");
                return RPP_ERR_NOMEM;
            }
            buf = p;
            cap = ncap;
        }
        n = read(fd, buf + len, cap - len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            io_problem(diags, RPP_ERR_IO, "cannot read", errno);
            return RPP_ERR_IO;
        }
        if (n == 0)
            break;
        /* JSON text never holds a NUL byte: stop early on binary data such
         * as /dev/zero instead of reading it up to the limit */
        p = memchr(buf + len, '\0', (size_t)n);
        if (p) {
            unsigned line, col;
            size_t off = (size_t)(p - buf);
            line_col(buf, off, off, &line, &col);
            diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                    "not a text file: NUL byte at offset %zu", off);
            free(buf);
            return RPP_ERR_SYNTAX;
        }
        len += (size_t)n;
        if (len > limit) {
            free(buf);
            diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                    "more than %zu bytes, above the size limit; not read "
                    "further",
                    limit);
            return RPP_ERR_LIMIT;
        }
    }
    buf[len] = '\0';
    return load_text(out, buf, len, buf, &o, diags);
}

int rpp_report_load_file(rpp_report **out, const char *path,
                         const rpp_load_opts *opts, rpp_diags *diags)
{
    int fd, st;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!path)
        return RPP_ERR_ARG;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        io_problem(diags, RPP_ERR_IO, "cannot open", errno);
        return RPP_ERR_IO;
    }
    st = rpp_report_load_fd(out, fd, opts, diags);
    close(fd);
    return st;
}
