/*
 * util.c - growable buffer, string arena, UTF-8 validation and the escaping
 * used by every output format (JSON, terminal text, HTML, markdown).
 */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Growable buffer -------------------------------------------------- */

int rpp__buf_grow(rpp__buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->oom)
        return -1;
    if (extra > SIZE_MAX - b->len - 1) {
        b->oom = true;
        return -1;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->ptr, cap);
    if (!p) {
        b->oom = true;
        return -1;
    }
    b->ptr = p;
    b->cap = cap;
    return 0;
}

void rpp__buf_put(rpp__buf *b, const char *s, size_t n)
{
    if (rpp__buf_grow(b, n) < 0)
        return;
    if (n)
        memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void rpp__buf_puts(rpp__buf *b, const char *s)
{
    rpp__buf_put(b, s, strlen(s));
}

void rpp__buf_putc(rpp__buf *b, char c)
{
    if (b->len + 1 < b->cap && !b->oom) {
        b->ptr[b->len++] = c;
        b->ptr[b->len] = '\0';
        return;
    }
    rpp__buf_put(b, &c, 1);
}

void rpp__buf_vprintf(rpp__buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    if (rpp__buf_grow(b, 64) < 0)
        return;
    va_copy(ap2, ap);
    n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->ptr[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (rpp__buf_grow(b, (size_t)n) < 0) {
            b->ptr[b->len] = '\0';
            return;
        }
        vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t)n;
}

void rpp__buf_printf(rpp__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rpp__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void rpp__buf_put_u64(rpp__buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    rpp__buf_put(b, tmp + i, sizeof(tmp) - i);
}

void rpp__buf_put_i64(rpp__buf *b, int64_t v)
{
    if (v < 0) {
        rpp__buf_putc(b, '-');
        rpp__buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        rpp__buf_put_u64(b, (uint64_t)v);
    }
}

void rpp__buf_indent(rpp__buf *b, int n)
{
    if (n <= 0 || rpp__buf_grow(b, (size_t)n) < 0)
        return;
    memset(b->ptr + b->len, ' ', (size_t)n);
    b->len += (size_t)n;
    b->ptr[b->len] = '\0';
}

char *rpp__buf_detach(rpp__buf *b)
{
    char *p = b->ptr;

    if (b->oom) {
        free(p);
        p = NULL;
    } else if (!p) {
        p = calloc(1, 1);
    }
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->oom = false;
    return p;
}

void rpp__buf_clear(rpp__buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void rpp__buf_free(rpp__buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

/* ---- Arena ------------------------------------------------------------- */

#define ARENA_CHUNK 16384

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    /* C11 flexible array of max_align_t for alignment */
    max_align_t data[];
};

struct rpp__arena {
    struct arena_chunk *head;
};

rpp__arena *rpp__arena_new(void)
{
    return calloc(1, sizeof(rpp__arena));
}

void rpp__arena_free(rpp__arena *a)
{
    struct arena_chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *rpp__arena_alloc(rpp__arena *a, size_t n)
{
    struct arena_chunk *c = a->head;
    size_t align = sizeof(max_align_t);
    size_t size;
    void *p;

    n = n ? n : 1;
    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) / align * align;
    if (!c || c->size - c->used < n) {
        size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        c = malloc(sizeof(*c) + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        /* A large private block goes behind the head so the head's free
         * space stays usable for small strings. */
        if (a->head && size != ARENA_CHUNK) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

char *rpp__arena_strndup(rpp__arena *a, const char *s, size_t n)
{
    char *p = rpp__arena_alloc(a, n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rpp__arena_strdup(rpp__arena *a, const char *s)
{
    return rpp__arena_strndup(a, s, strlen(s));
}

/* ---- UTF-8 ------------------------------------------------------------- */

size_t rpp__utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len, i;

    if (n == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

size_t rpp__utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;
    uint32_t cp;

    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = rpp__utf8_next(p + i, n - i, &cp);
        if (!k)
            return i;
        i += k;
    }
    return (size_t)-1;
}

/* ---- Escaping ---------------------------------------------------------- */

/* Characters that would change how a terminal or a viewer shows text. */
static bool is_dangerous(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
           cp == 0x061c || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0xfeff;
}

static const char hexdig[] = "0123456789abcdef";

static void put_u_escape(rpp__buf *b, uint32_t u)
{
    char e[6] = { '\\', 'u', hexdig[(u >> 12) & 15], hexdig[(u >> 8) & 15],
                  hexdig[(u >> 4) & 15], hexdig[u & 15] };
    rpp__buf_put(b, e, 6);
}

void rpp__json_str(rpp__buf *b, const char *s, bool ascii_only)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, k, run;
    uint32_t cp;

    rpp__buf_putc(b, '"');
    while (i < n) {
        /* copy runs of plain characters in one go */
        run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' &&
               p[run] != '\\' && p[run] != '<' && p[run] != '>' &&
               p[run] != '&')
            run++;
        if (run > i) {
            rpp__buf_put(b, (const char *)p + i, run - i);
            i = run;
            continue;
        }
        if (p[i] < 0x80) {
            switch (p[i]) {
            case '"': rpp__buf_put(b, "\\\"", 2); break;
            case '\\': rpp__buf_put(b, "\\\\", 2); break;
            case '\n': rpp__buf_put(b, "\\n", 2); break;
            case '\r': rpp__buf_put(b, "\\r", 2); break;
            case '\t': rpp__buf_put(b, "\\t", 2); break;
            case '\b': rpp__buf_put(b, "\\b", 2); break;
            case '\f': rpp__buf_put(b, "\\f", 2); break;
            default:
                /* controls, DEL, and <>& so the output can sit in HTML */
                put_u_escape(b, p[i]);
                break;
            }
            i++;
            continue;
        }
        k = rpp__utf8_next(p + i, n - i, &cp);
        if (!k) {
            if (ascii_only)
                rpp__buf_puts(b, "\\ufffd");
            else
                rpp__buf_put(b, "\xef\xbf\xbd", 3);
            i++;
            continue;
        }
        /* U+2028/2029 break JavaScript string literals; bidi controls and
         * marks are escaped so that a viewer never reorders text silently:
         * everything rpp__text_safe makes visible */
        if (ascii_only || is_dangerous(cp)) {
            if (cp >= 0x10000) {
                uint32_t v = cp - 0x10000;
                put_u_escape(b, 0xd800 + (v >> 10));
                put_u_escape(b, 0xdc00 + (v & 0x3ff));
            } else {
                put_u_escape(b, cp);
            }
        } else {
            rpp__buf_put(b, (const char *)p + i, k);
        }
        i += k;
    }
    rpp__buf_putc(b, '"');
}

static void put_visible(rpp__buf *b, uint32_t cp)
{
    if (cp < 0x80)
        rpp__buf_printf(b, "\\x%02x", (unsigned)cp);
    else
        rpp__buf_printf(b, "\\u%04x", (unsigned)cp);
}

static size_t visible_cols(uint32_t cp, bool valid)
{
    if (!valid)
        return 1;
    if (is_dangerous(cp))
        return cp < 0x80 ? 4 : 6;
    return 1;
}

/* Length of the line break at p (LF or CR LF), or 0. A lone CR is not a
 * line break: it stays visible as \x0d. */
static size_t line_break(const unsigned char *p)
{
    if (p[0] == '\r' && p[1] == '\n')
        return 2;
    return p[0] == '\n' ? 1 : 0;
}

static void text_safe(rpp__buf *b, const char *s, size_t max_cols,
                      bool flat)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, k, cols = 0, w, limit;
    uint32_t cp = 0;

    /* when it does not fit, keep room for "..." */
    limit = max_cols && rpp__text_width(s) > max_cols
                ? (max_cols > 3 ? max_cols - 3 : 0)
                : (size_t)-1;
    while (i < n) {
        if (flat && line_break(p + i)) {
            /* a run of line breaks reads as one space */
            while (i < n && (k = line_break(p + i)) != 0)
                i += k;
            if (cols + 1 > limit) {
                rpp__buf_puts(b, "...");
                return;
            }
            rpp__buf_putc(b, ' ');
            cols++;
            continue;
        }
        k = rpp__utf8_next(p + i, n - i, &cp);
        w = visible_cols(cp, k != 0);
        if (cols + w > limit) {
            rpp__buf_puts(b, "...");
            return;
        }
        if (!k) {
            rpp__buf_put(b, "\xef\xbf\xbd", 3);
            i++;
        } else if (is_dangerous(cp)) {
            put_visible(b, cp);
            i += k;
        } else {
            rpp__buf_put(b, (const char *)p + i, k);
            i += k;
        }
        cols += w;
    }
    if (limit != (size_t)-1)
        rpp__buf_puts(b, "...");
}

void rpp__text_safe(rpp__buf *b, const char *s, size_t max_cols)
{
    text_safe(b, s, max_cols, false);
}

void rpp__text_flat(rpp__buf *b, const char *s, size_t max_cols)
{
    text_safe(b, s, max_cols, true);
}

size_t rpp__text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, k, cols = 0;
    uint32_t cp;

    while (i < n) {
        k = rpp__utf8_next(p + i, n - i, &cp);
        if (!k) {
            i++;
            cols++;
        } else if (is_dangerous(cp)) {
            i += k;
            cols += cp < 0x80 ? 4 : 6;
        } else {
            i += k;
            cols++;
        }
    }
    return cols;
}

/*
 * Appends the character at p (n bytes left) for markup: invalid UTF-8 as
 * the entity of U+FFFD, a dangerous character made visible (after
 * visible_prefix, when not NULL), anything else as it is. Returns the
 * bytes used.
 */
static size_t put_markup_char(rpp__buf *b, const unsigned char *p, size_t n,
                              const char *visible_prefix)
{
    uint32_t cp;
    size_t k = rpp__utf8_next(p, n, &cp);

    if (!k) {
        rpp__buf_puts(b, "&#xfffd;");
        return 1;
    }
    if (is_dangerous(cp)) {
        if (visible_prefix)
            rpp__buf_puts(b, visible_prefix);
        put_visible(b, cp);
    } else {
        rpp__buf_put(b, (const char *)p, k);
    }
    return k;
}

/* HTML and XML: a line break becomes br; with keep_tabs, a tab stays a
 * tab as a character reference (&#9;), which survives in attributes. */
static void markup_safe(rpp__buf *b, const char *s, const char *br,
                        bool keep_tabs)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, k;

    while (i < n) {
        if ((k = line_break(p + i)) != 0) {
            rpp__buf_puts(b, br);
            i += k;
            continue;
        }
        switch (p[i]) {
        case '&': rpp__buf_puts(b, "&amp;"); i++; continue;
        case '<': rpp__buf_puts(b, "&lt;"); i++; continue;
        case '>': rpp__buf_puts(b, "&gt;"); i++; continue;
        case '"': rpp__buf_puts(b, "&quot;"); i++; continue;
        case '\'': rpp__buf_puts(b, "&#39;"); i++; continue;
        case '\t':
            if (keep_tabs) {
                rpp__buf_puts(b, "&#9;");
                i++;
                continue;
            }
            break;
        default: break;
        }
        i += put_markup_char(b, p + i, n - i, NULL);
    }
}

void rpp__html_safe(rpp__buf *b, const char *s)
{
    /* a character reference keeps the break inside attribute values too,
     * where XML would turn a raw one into a space */
    markup_safe(b, s, "&#10;", false);
}

void rpp__html_lines(rpp__buf *b, const char *s)
{
    markup_safe(b, s, "<br>", false);
}

void rpp__xml_safe(rpp__buf *b, const char *s)
{
    markup_safe(b, s, "&#10;", true);
}

void rpp__md_safe(rpp__buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, k;

    while (i < n) {
        if ((k = line_break(p + i)) != 0) {
            /* a break that works in table cells and list items alike */
            rpp__buf_puts(b, "<br>");
            i += k;
            continue;
        }
        switch (p[i]) {
        case '&': rpp__buf_puts(b, "&amp;"); i++; continue;
        case '<': rpp__buf_puts(b, "&lt;"); i++; continue;
        case '>': rpp__buf_puts(b, "&gt;"); i++; continue;
        case '|': rpp__buf_puts(b, "&#124;"); i++; continue;
        case '\\': case '`': case '*': case '_': case '[': case ']':
        case '~': case '#':
            rpp__buf_putc(b, '\\');
            rpp__buf_putc(b, (char)p[i]);
            i++;
            continue;
        case '@':
            /* in a code span: "@user" pings nobody and "a@b.c" is no
             * mail link (an entity would still be read as "@") */
            rpp__buf_puts(b, "`@`");
            i++;
            continue;
        case ':':
            /* "http://x" would become a link: an entity in it stops that */
            if (p[i + 1] == '/' && p[i + 2] == '/') {
                rpp__buf_puts(b, ":&#47;/");
                i += 3;
                continue;
            }
            break;
        case 'w': case 'W':
            /* and so would "www.x" */
            if ((i == 0 || !isalnum(p[i - 1])) &&
                strncasecmp((const char *)p + i, "www.", 4) == 0) {
                rpp__buf_put(b, (const char *)p + i, 3);
                rpp__buf_puts(b, "&#46;");
                i += 4;
                continue;
            }
            break;
        default: break;
        }
        i += put_markup_char(b, p + i, n - i, "\\");
    }
}

/* ---- Hashing ------------------------------------------------------------ */

#define FNV_PRIME 1099511628211ULL

uint64_t rpp__hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

uint64_t rpp__hash_str(const char *s)
{
    uint64_t h = RPP__HASH_INIT;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * FNV_PRIME;
    return h;
}

/* ---- Name map ----------------------------------------------------------- */

static int namemap_grow(rpp__namemap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
    const char **nk = calloc(ncap, sizeof(*nk));
    size_t *nv = calloc(ncap, sizeof(*nv));

    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        j = (size_t)rpp__hash_str(m->keys[i]) & (ncap - 1);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

int rpp__namemap_put(rpp__namemap *m, const char *key, size_t val,
                    size_t *existing)
{
    size_t j;

    if ((m->n + 1) * 2 > m->cap && namemap_grow(m) < 0)
        return -1;
    j = (size_t)rpp__hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            if (existing)
                *existing = m->vals[j];
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return 1;
}

bool rpp__namemap_get(const rpp__namemap *m, const char *key, size_t *val)
{
    size_t j;

    if (!m->cap)
        return false;
    j = (size_t)rpp__hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

void rpp__namemap_free(rpp__namemap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

/* ---- JSON writer -------------------------------------------------------- */

void rpp__jw_init(rpp__jw *w, rpp__buf *b, int indent)
{
    memset(w, 0, sizeof(*w));
    w->b = b;
    w->indent = indent;
    w->first[0] = true;
}

static void jw_newline(rpp__jw *w)
{
    if (!w->indent)
        return;
    rpp__buf_putc(w->b, '\n');
    rpp__buf_indent(w->b, w->depth * w->indent);
}

/* Before a value: a comma after a sibling, a newline and indent in arrays. */
static void jw_value(rpp__jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        int d = w->depth < RPP_JW_DEPTH ? w->depth : RPP_JW_DEPTH - 1;
        if (!w->first[d])
            rpp__buf_putc(w->b, ',');
        w->first[d] = false;
        jw_newline(w);
    }
}

static void jw_open(rpp__jw *w, char c)
{
    jw_value(w);
    rpp__buf_putc(w->b, c);
    w->depth++;
    if (w->depth < RPP_JW_DEPTH)
        w->first[w->depth] = true;
}

static void jw_close(rpp__jw *w, char c)
{
    int d = w->depth < RPP_JW_DEPTH ? w->depth : RPP_JW_DEPTH - 1;
    bool empty = w->first[d];

    if (w->depth > 0)
        w->depth--;
    if (!empty)
        jw_newline(w);
    rpp__buf_putc(w->b, c);
}

void rpp__jw_obj(rpp__jw *w) { jw_open(w, '{'); }
void rpp__jw_obj_end(rpp__jw *w) { jw_close(w, '}'); }
void rpp__jw_arr(rpp__jw *w) { jw_open(w, '['); }
void rpp__jw_arr_end(rpp__jw *w) { jw_close(w, ']'); }

void rpp__jw_key(rpp__jw *w, const char *key)
{
    jw_value(w);
    rpp__json_str(w->b, key, false);
    rpp__buf_puts(w->b, w->indent ? ": " : ":");
    w->after_key = true;
}

void rpp__jw_str(rpp__jw *w, const char *s)
{
    jw_value(w);
    if (s)
        rpp__json_str(w->b, s, false);
    else
        rpp__buf_puts(w->b, "null");
}

void rpp__jw_int(rpp__jw *w, int64_t v)
{
    jw_value(w);
    rpp__buf_put_i64(w->b, v);
}

void rpp__jw_uint(rpp__jw *w, uint64_t v)
{
    jw_value(w);
    rpp__buf_put_u64(w->b, v);
}

void rpp__jw_num(rpp__jw *w, double v)
{
    jw_value(w);
    if (v != v || v > 1e300 || v < -1e300) {
        rpp__buf_puts(w->b, "null");
    } else if (v == (double)(int64_t)v && v < 9e15 && v > -9e15) {
        rpp__buf_put_i64(w->b, (int64_t)v);
    } else {
        char tmp[40];
        /* locale-independent: %g may print a comma in some locales, but
         * nothing in rpiperf calls setlocale, so "C" rules apply */
        snprintf(tmp, sizeof(tmp), "%.6g", v);
        rpp__buf_puts(w->b, tmp);
    }
}

void rpp__jw_bool(rpp__jw *w, bool v)
{
    jw_value(w);
    rpp__buf_puts(w->b, v ? "true" : "false");
}

void rpp__jw_null(rpp__jw *w)
{
    jw_value(w);
    rpp__buf_puts(w->b, "null");
}
