/*
 * load_scan.c - pass 1 of the loader: one scan over the bytes of a report
 * for what cJSON does not check, so that each such problem gets a line and
 * column: the text is UTF-8, strings hold no raw control characters,
 * nesting stays under RPP_MAX_DEPTH, numbers follow the JSON grammar and
 * \u escapes have four hex digits (cJSON reads "\uZZZZ" as U+0000). It
 * also warns about \u0000, which cuts a string short, and hands the values
 * of the top-level "histograms" and "events" keys to their fast paths
 * (load_fast.c).
 */
#include "load_internal.h"
#include "util.h"

#include <string.h>

/* ---- The grammar cJSON is lenient about -------------------------------- */

/* The offset after the run of digits that starts at i. */
static size_t skip_digits(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && rpp__is_digit(p[i]))
        i++;
    return i;
}

size_t rpp__json_number_len(const unsigned char *p, size_t n)
{
    size_t i = 0;

    if (i < n && p[i] == '-')
        i++;
    if (i >= n || !rpp__is_digit(p[i]))
        return 0;
    i = p[i] == '0' ? i + 1 : skip_digits(p, n, i);
    if (i < n && p[i] == '.') {
        if (++i >= n || !rpp__is_digit(p[i]))
            return 0;
        i = skip_digits(p, n, i);
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i >= n || !rpp__is_digit(p[i]))
            return 0;
        i = skip_digits(p, n, i);
    }
    /* a digit right after "0" or "-0": a leading zero */
    return i < n && rpp__is_digit(p[i]) ? 0 : i;
}

bool rpp__hex4(const unsigned char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    size_t i;

    if (n < 4)
        return false;
    for (i = 0; i < 4; i++) {
        unsigned char c = p[i];

        v <<= 4;
        if (rpp__is_digit(c))
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

/* ---- The scan ---------------------------------------------------------- */

/* The top-level keys whose values have a fast path. */
typedef enum fast_key {
    KEY_OTHER,
    KEY_HISTOGRAMS,
    KEY_EVENTS
} fast_key;

/* What became of the value of such a key. */
typedef enum fast_state {
    FAST_NOT_SEEN,    /* no such value yet */
    FAST_READ,        /* read by the fast path */
    FAST_TWICE,       /* the key came again: the whole value is dropped */
    FAST_SLOW         /* not of the expected shape: the tree walk reads it */
} fast_state;

typedef struct scanner {
    const char *data;
    const unsigned char *p;     /* data, as bytes */
    size_t len, i;
    rpp_diags *diags;
    unsigned depth;
    bool in_str;
    size_t str_start;           /* where the current string's text starts */
    bool warned_nul;
    fast_key key;               /* just after such a top-level key */
    fast_state hist, events;
    const rpp_load_opts *opts;
    rpp__fast *fast;
} scanner;

static int syntax_at(scanner *s, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a syntax error at byte off; returns RPP_ERR_SYNTAX. */
static int syntax_at(scanner *s, size_t off, const char *fmt, ...)
{
    unsigned line, col;
    va_list ap;

    rpp__line_col(s->data, s->len, off, &line, &col);
    va_start(ap, fmt);
    rpp__diag_vadd(s->diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, "", line, col,
                   fmt, ap);
    va_end(ap);
    return RPP_ERR_SYNTAX;
}

/* At a byte of 0x80 or more: one UTF-8 character. */
static int scan_utf8(scanner *s)
{
    uint32_t cp;
    size_t k = rpp__utf8_next(s->p + s->i, s->len - s->i, &cp);

    if (!k)
        return syntax_at(s, s->i, "invalid UTF-8 (byte 0x%02x)%s",
                         s->p[s->i], s->in_str ? " in a string" : "");
    s->i += k;
    return RPP_OK;
}

/* At a backslash in a string. */
static int scan_escape(scanner *s)
{
    const unsigned char *p = s->p;
    size_t i = s->i, len = s->len;
    unsigned u, line, col;

    if (i + 1 < len && p[i + 1] == 'u') {
        if (len - i - 2 >= 4 && !rpp__hex4(p + i + 2, 4, &u))
            return syntax_at(s, i, "not valid JSON (\\u not followed by 4 "
                                   "hex digits)");
        if (i + 5 < len && memcmp(p + i + 2, "0000", 4) == 0 &&
            !s->warned_nul) {
            rpp__line_col(s->data, len, i, &line, &col);
            rpp__diag_at(s->diags, RPP_SEV_WARNING, RPP_OK, line, col,
                         "string contains \\u0000; the text after it is "
                         "dropped");
            s->warned_nul = true;
        }
    }
    /* the escaped character is checked by cJSON; only skip it when it is
     * plain ASCII so the scan stays in sync */
    s->i += i + 1 < len && p[i + 1] >= 0x20 && p[i + 1] < 0x80 ? 2 : 1;
    return RPP_OK;
}

/* At the quote that ends a string. */
static void end_string(scanner *s)
{
    s->in_str = false;
    /* a top-level "histograms" or "events" key: its value may take a fast
     * path */
    if (s->depth == 1 && s->i - s->str_start == 10 &&
        memcmp(s->p + s->str_start, "histograms", 10) == 0)
        s->key = KEY_HISTOGRAMS;
    else if (s->depth == 1 && s->i - s->str_start == 6 &&
             memcmp(s->p + s->str_start, "events", 6) == 0)
        s->key = KEY_EVENTS;
    s->i++;
}

/* Inside a string: up to and through its next special byte. */
static int scan_in_string(scanner *s)
{
    const unsigned char *p = s->p;
    size_t i = s->i;

    /* ordinary string bytes in one go */
    while (i < s->len && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
           p[i] != '\\')
        i++;
    s->i = i;
    if (i >= s->len)
        return RPP_OK;
    if (p[i] == '"') {
        end_string(s);
        return RPP_OK;
    }
    if (p[i] == '\\')
        return scan_escape(s);
    if (p[i] < 0x20)
        return syntax_at(s, i, "not valid JSON: raw control character "
                               "0x%02x in a string (must be escaped)",
                         p[i]);
    return scan_utf8(s);
}

/*
 * At the value of a top-level "histograms" or "events" key: true when its
 * fast path read it (the scan goes on after it: the fast paths take
 * nothing that this scan would refuse).
 */
static bool try_fast(scanner *s)
{
    bool hist = s->key == KEY_HISTOGRAMS;
    fast_state *state = hist ? &s->hist : &s->events;
    size_t used = 0, *start, *end;
    bool ok;

    s->key = KEY_OTHER;
    if (*state != FAST_NOT_SEEN) {
        *state = FAST_TWICE;
        return false;
    }
    if (hist) {
        ok = rpp__fast_histograms(s->data + s->i, s->len - s->i,
                                  s->opts->max_slices, s->fast, &used);
        start = &s->fast->hist_start;
        end = &s->fast->hist_end;
    } else {
        ok = rpp__fast_events(s->data + s->i, s->len - s->i, s->opts,
                              s->fast, &used);
        start = &s->fast->ev_start;
        end = &s->fast->ev_end;
    }
    *state = ok ? FAST_READ : FAST_SLOW;
    if (!ok)
        return false;
    *start = s->i;
    *end = s->i + used;
    s->i += used;
    return true;
}

/* At '{' or '['. */
static int scan_open(scanner *s)
{
    unsigned char c = s->p[s->i];

    if (s->depth == 1 &&
        ((c == '{' && s->key == KEY_HISTOGRAMS) ||
         (c == '[' && s->key == KEY_EVENTS)) &&
        try_fast(s))
        return RPP_OK;
    s->key = KEY_OTHER;
    if (++s->depth > RPP_MAX_DEPTH)
        return syntax_at(s, s->i, "nesting deeper than %d levels",
                         RPP_MAX_DEPTH);
    s->i++;
    return RPP_OK;
}

/* Outside strings: the next token's first byte, or a number whole. */
static int scan_between(scanner *s)
{
    const unsigned char *p = s->p;
    unsigned char c;
    size_t k;

    while (s->i < s->len && (p[s->i] == ' ' || p[s->i] == '\n' ||
                             p[s->i] == '\r' || p[s->i] == '\t' ||
                             p[s->i] == ',' || p[s->i] == ':'))
        s->i++;
    if (s->i >= s->len)
        return RPP_OK;
    c = p[s->i];
    if (c == '"') {
        s->in_str = true;
        s->key = KEY_OTHER;
        s->str_start = ++s->i;
        return RPP_OK;
    }
    if (c != '{' && c != '[')
        s->key = KEY_OTHER;
    if (rpp__is_digit(c) || c == '-') {
        if (!(k = rpp__json_number_len(p + s->i, s->len - s->i)))
            return syntax_at(s, s->i, "not valid JSON (malformed number)");
        s->i += k;
        return RPP_OK;
    }
    if (c == '{' || c == '[')
        return scan_open(s);
    if (c == '}' || c == ']') {
        if (s->depth)
            s->depth--;
    } else if (c == 0) {
        return syntax_at(s, s->i, "not a text file: NUL byte at offset %zu",
                         s->i);
    } else if (c < 0x20) {
        return syntax_at(s, s->i, "not valid JSON: control character 0x%02x",
                         c);
    } else if (c >= 0x80) {
        return scan_utf8(s);
    }
    s->i++;
    return RPP_OK;
}

int rpp__scan_text(const char *data, size_t len, rpp_diags *diags,
                   const rpp_load_opts *o, rpp__fast *fast)
{
    scanner s;
    int st = RPP_OK;

    memset(&s, 0, sizeof(s));
    s.data = data;
    s.p = (const unsigned char *)data;
    s.len = len;
    s.diags = diags;
    s.opts = o;
    s.fast = fast;
    memset(fast, 0, sizeof(*fast));
    while (s.i < len && st == RPP_OK)
        st = s.in_str ? scan_in_string(&s) : scan_between(&s);
    if (st != RPP_OK) {
        rpp__fast_free(fast);
        return st;
    }
    /* a key that came twice: what the fast path read is dropped (the
     * loader also parses the whole text when the tree holds a key twice,
     * whatever the values) */
    if (s.hist == FAST_TWICE)
        rpp__fast_drop_histograms(fast);
    if (s.events == FAST_TWICE)
        rpp__fast_drop_events(fast);
    return st;
}
