/*
 * textout.c - owns the public building blocks of text output (report.h,
 * "Text output"): the buffer that remembers running out of memory, the
 * escaping of untrusted strings for each kind of output, and the JSON and
 * XML writers that refuse to write a malformed document. The escaping
 * itself is util.c's, shared with the libraries' own outputs.
 */
#include <rpiperf/report.h>
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- Buffer --------------------------------------------------------------- */

struct rpp_buf {
    rpp__buf b;
};

int rpp_buf_new(rpp_buf **out)
{
    if (!out)
        return RPP_ERR_ARG;
    *out = calloc(1, sizeof(**out));
    return *out ? RPP_OK : RPP_ERR_NOMEM;
}

void rpp_buf_free(rpp_buf *b)
{
    if (!b)
        return;
    rpp__buf_free(&b->b);
    free(b);
}

void rpp_buf_put(rpp_buf *b, const char *s, size_t n)
{
    if (b && s)
        rpp__buf_put(&b->b, s, n);
}

void rpp_buf_puts(rpp_buf *b, const char *s)
{
    if (b && s)
        rpp__buf_puts(&b->b, s);
}

void rpp_buf_printf(rpp_buf *b, const char *fmt, ...)
{
    va_list ap;

    if (!b || !fmt)
        return;
    va_start(ap, fmt);
    rpp__buf_vprintf(&b->b, fmt, ap);
    va_end(ap);
}

bool rpp_buf_oom(const rpp_buf *b)
{
    return b && b->b.oom;
}

const char *rpp_buf_data(const rpp_buf *b, size_t *len)
{
    if (len)
        *len = 0;
    if (!b || b->b.oom)
        return NULL;
    if (len)
        *len = b->b.len;
    return b->b.ptr ? b->b.ptr : "";
}

void rpp_buf_clear(rpp_buf *b)
{
    if (b)
        rpp__buf_clear(&b->b);
}

/* ---- Escaping ------------------------------------------------------------- */

void rpp_escape_text(rpp_buf *b, const char *s, size_t max_cols)
{
    if (b)
        rpp__text_safe(&b->b, s, max_cols);
}

void rpp_escape_json(rpp_buf *b, const char *s)
{
    if (b)
        rpp__json_str(&b->b, s, false);
}

void rpp_escape_xml(rpp_buf *b, const char *s)
{
    if (b)
        rpp__xml_safe(&b->b, s);
}

void rpp_escape_markdown(rpp_buf *b, const char *s)
{
    if (b)
        rpp__md_safe(&b->b, s);
}

/* ---- JSON writer ---------------------------------------------------------- */

/* What the writer expects next at each level. */
enum { J_VALUE, J_KEY, J_AFTER_KEY };

struct rpp_json {
    rpp_buf *buf;
    rpp__jw jw;
    int status;
    int depth;
    bool top_written;              /* the one top-level value was begun */
    bool in_object[RPP_JSON_MAX_DEPTH + 1];
    int expect;                    /* J_VALUE, J_KEY or J_AFTER_KEY */
};

int rpp_json_new(rpp_json **out, rpp_buf *b, int indent)
{
    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!b || indent < 0 || indent > 8)
        return RPP_ERR_ARG;
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return RPP_ERR_NOMEM;
    (*out)->buf = b;
    rpp__jw_init(&(*out)->jw, &b->b, indent);
    return RPP_OK;
}

void rpp_json_free(rpp_json *w)
{
    free(w);
}

static bool json_fail(rpp_json *w, int status)
{
    if (w->status == RPP_OK)
        w->status = status;
    return false;
}

/* Whether a value may come now; afterwards the level expects what
 * follows a value. */
static bool json_value_ok(rpp_json *w)
{
    if (w->status != RPP_OK)
        return false;
    if (w->depth == 0) {
        if (w->top_written)
            return json_fail(w, RPP_ERR_STATE);
        w->top_written = true;
        return true;
    }
    if (w->in_object[w->depth]) {
        if (w->expect != J_AFTER_KEY)
            return json_fail(w, RPP_ERR_STATE);
        w->expect = J_KEY;
    }
    return true;
}

static void json_open(rpp_json *w, bool object)
{
    if (!json_value_ok(w))
        return;
    if (w->depth >= RPP_JSON_MAX_DEPTH) {
        json_fail(w, RPP_ERR_LIMIT);
        return;
    }
    w->depth++;
    w->in_object[w->depth] = object;
    w->expect = object ? J_KEY : J_VALUE;
    if (object)
        rpp__jw_obj(&w->jw);
    else
        rpp__jw_arr(&w->jw);
}

static void json_close(rpp_json *w, bool object)
{
    if (w->status != RPP_OK)
        return;
    if (w->depth == 0 || w->in_object[w->depth] != object ||
        (object && w->expect == J_AFTER_KEY)) {
        json_fail(w, RPP_ERR_STATE);
        return;
    }
    w->depth--;
    w->expect = w->depth && w->in_object[w->depth] ? J_KEY : J_VALUE;
    if (object)
        rpp__jw_obj_end(&w->jw);
    else
        rpp__jw_arr_end(&w->jw);
}

void rpp_json_object_begin(rpp_json *w) { if (w) json_open(w, true); }
void rpp_json_object_end(rpp_json *w) { if (w) json_close(w, true); }
void rpp_json_array_begin(rpp_json *w) { if (w) json_open(w, false); }
void rpp_json_array_end(rpp_json *w) { if (w) json_close(w, false); }

void rpp_json_key(rpp_json *w, const char *key)
{
    if (!w || w->status != RPP_OK)
        return;
    if (!key || w->depth == 0 || !w->in_object[w->depth] ||
        w->expect != J_KEY) {
        json_fail(w, RPP_ERR_STATE);
        return;
    }
    w->expect = J_AFTER_KEY;
    rpp__jw_key(&w->jw, key);
}

void rpp_json_string(rpp_json *w, const char *s)
{
    if (w && json_value_ok(w))
        rpp__jw_str(&w->jw, s);
}

void rpp_json_int(rpp_json *w, int64_t v)
{
    if (w && json_value_ok(w))
        rpp__jw_int(&w->jw, v);
}

void rpp_json_uint(rpp_json *w, uint64_t v)
{
    if (w && json_value_ok(w))
        rpp__jw_uint(&w->jw, v);
}

void rpp_json_number(rpp_json *w, double v)
{
    if (w && json_value_ok(w))
        rpp__jw_num(&w->jw, v);
}

void rpp_json_bool(rpp_json *w, bool v)
{
    if (w && json_value_ok(w))
        rpp__jw_bool(&w->jw, v);
}

void rpp_json_null(rpp_json *w)
{
    if (w && json_value_ok(w))
        rpp__jw_null(&w->jw);
}

int rpp_json_status(const rpp_json *w)
{
    if (!w)
        return RPP_ERR_ARG;
    if (w->status != RPP_OK)
        return w->status;
    return rpp_buf_oom(w->buf) ? RPP_ERR_NOMEM : RPP_OK;
}

int rpp_json_finish(rpp_json *w)
{
    int st = rpp_json_status(w);

    if (st != RPP_OK)
        return st;
    if (w->depth != 0 || !w->top_written) {
        json_fail(w, RPP_ERR_STATE);
        return RPP_ERR_STATE;
    }
    rpp__buf_putc(&w->buf->b, '\n');
    return rpp_json_status(w);
}

/* ---- XML writer ----------------------------------------------------------- */

#define XML_NAME_MAX 64      /* bytes of an element or attribute name */
#define XML_ATTR_NAMES 512   /* bytes of the attribute names of one tag */

typedef struct xml_level {
    char name[XML_NAME_MAX + 1];
    bool has_children;       /* elements inside: the end tag on its line */
    bool has_text;           /* text inside: no line breaks added */
} xml_level;

struct rpp_xml {
    rpp_buf *buf;
    int status;
    int indent;
    unsigned base;           /* the depth of the fragment's first element */
    int depth;               /* open elements */
    bool tag_open;           /* "<name attr..." written, ">" not yet */
    bool root_done;          /* a document's one root element was closed */
    char attrs[XML_ATTR_NAMES];  /* names of the open tag, NUL-separated */
    size_t attrs_len;
    xml_level level[RPP_XML_MAX_DEPTH];
};

int rpp_xml_new(rpp_xml **out, rpp_buf *b, int indent, unsigned depth)
{
    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!b || indent < 0 || indent > 8 || depth > 64)
        return RPP_ERR_ARG;
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return RPP_ERR_NOMEM;
    (*out)->buf = b;
    (*out)->indent = indent;
    (*out)->base = depth;
    return RPP_OK;
}

void rpp_xml_free(rpp_xml *x)
{
    free(x);
}

static bool xml_fail(rpp_xml *x, int status)
{
    if (x->status == RPP_OK)
        x->status = status;
    return false;
}

/* An XML name of ASCII letters, digits, '_', '-', '.' and ':', not
 * starting with a digit, '-' or '.'; at most XML_NAME_MAX bytes. */
static bool xml_name_ok(const char *s)
{
    size_t i;

    if (!s || !*s || strlen(s) > XML_NAME_MAX || (*s >= '0' && *s <= '9') ||
        *s == '-' || *s == '.')
        return false;
    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
              c == ':'))
            return false;
    }
    return true;
}

static void xml_close_tag(rpp_xml *x)
{
    if (!x->tag_open)
        return;
    rpp__buf_putc(&x->buf->b, '>');
    x->tag_open = false;
}

/* A line break and the indentation of depth d (relative to the fragment). */
static void xml_break(rpp_xml *x, int d)
{
    if (!x->indent)
        return;
    rpp__buf_putc(&x->buf->b, '\n');
    rpp__buf_indent(&x->buf->b, (int)(x->base + (unsigned)d) * x->indent);
}

/* Before a start tag at depth d: on a line of its own, unless it is a
 * document's root (at the start of its line) or sits in text. */
static void xml_start_line(rpp_xml *x, int d)
{
    if (d == 0 && x->base == 0)
        return;
    if (d > 0 && x->level[d - 1].has_text)
        return;
    xml_break(x, d);
}

void rpp_xml_declaration(rpp_xml *x)
{
    if (!x || x->status != RPP_OK)
        return;
    if (x->depth || x->root_done || x->base) {
        xml_fail(x, RPP_ERR_STATE);
        return;
    }
    rpp__buf_puts(&x->buf->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

void rpp_xml_element_begin(rpp_xml *x, const char *name)
{
    xml_level *lv;

    if (!x || x->status != RPP_OK)
        return;
    if (!xml_name_ok(name)) {
        xml_fail(x, RPP_ERR_ARG);
        return;
    }
    if (x->depth >= RPP_XML_MAX_DEPTH) {
        xml_fail(x, RPP_ERR_LIMIT);
        return;
    }
    if (x->depth == 0 && x->base == 0 && x->root_done) {
        xml_fail(x, RPP_ERR_STATE);     /* a document has one root */
        return;
    }
    xml_close_tag(x);
    if (x->depth > 0)
        x->level[x->depth - 1].has_children = true;
    xml_start_line(x, x->depth);
    lv = &x->level[x->depth++];
    memset(lv, 0, sizeof(*lv));
    memcpy(lv->name, name, strlen(name) + 1);
    rpp__buf_putc(&x->buf->b, '<');
    rpp__buf_puts(&x->buf->b, name);
    x->tag_open = true;
    x->attrs_len = 0;
}

/* Remembers an attribute name of the open tag; false when it was there. */
static bool xml_attr_new(rpp_xml *x, const char *name)
{
    size_t i = 0, n = strlen(name) + 1;

    while (i < x->attrs_len) {
        if (strcmp(x->attrs + i, name) == 0)
            return xml_fail(x, RPP_ERR_ARG);
        i += strlen(x->attrs + i) + 1;
    }
    if (x->attrs_len + n > sizeof(x->attrs))
        return xml_fail(x, RPP_ERR_LIMIT);
    memcpy(x->attrs + x->attrs_len, name, n);
    x->attrs_len += n;
    return true;
}

void rpp_xml_attr(rpp_xml *x, const char *name, const char *value)
{
    if (!x || x->status != RPP_OK)
        return;
    if (!x->tag_open) {
        xml_fail(x, RPP_ERR_STATE);
        return;
    }
    if (!xml_name_ok(name)) {
        xml_fail(x, RPP_ERR_ARG);
        return;
    }
    if (!xml_attr_new(x, name))
        return;
    rpp__buf_putc(&x->buf->b, ' ');
    rpp__buf_puts(&x->buf->b, name);
    rpp__buf_puts(&x->buf->b, "=\"");
    rpp__xml_safe(&x->buf->b, value ? value : "");
    rpp__buf_putc(&x->buf->b, '"');
}

void rpp_xml_text(rpp_xml *x, const char *s)
{
    if (!x || x->status != RPP_OK)
        return;
    if (x->depth == 0) {
        xml_fail(x, RPP_ERR_STATE);
        return;
    }
    xml_close_tag(x);
    if (s && *s) {
        x->level[x->depth - 1].has_text = true;
        rpp__xml_safe(&x->buf->b, s);
    }
}

void rpp_xml_element_content(rpp_xml *x)
{
    if (!x || x->status != RPP_OK)
        return;
    if (x->depth == 0) {
        xml_fail(x, RPP_ERR_STATE);
        return;
    }
    xml_close_tag(x);
    x->level[x->depth - 1].has_children = true;
}

void rpp_xml_element_end(rpp_xml *x)
{
    xml_level *lv;

    if (!x || x->status != RPP_OK)
        return;
    if (x->depth == 0) {
        xml_fail(x, RPP_ERR_STATE);
        return;
    }
    lv = &x->level[x->depth - 1];
    if (x->tag_open) {
        rpp__buf_puts(&x->buf->b, "/>");
        x->tag_open = false;
    } else {
        if (lv->has_children && !lv->has_text)
            xml_break(x, x->depth - 1);
        rpp__buf_puts(&x->buf->b, "</");
        rpp__buf_puts(&x->buf->b, lv->name);
        rpp__buf_putc(&x->buf->b, '>');
    }
    x->depth--;
    if (x->depth == 0 && x->base == 0)
        x->root_done = true;
}

int rpp_xml_status(const rpp_xml *x)
{
    if (!x)
        return RPP_ERR_ARG;
    if (x->status != RPP_OK)
        return x->status;
    return rpp_buf_oom(x->buf) ? RPP_ERR_NOMEM : RPP_OK;
}

int rpp_xml_finish(rpp_xml *x)
{
    int st = rpp_xml_status(x);

    if (st != RPP_OK)
        return st;
    if (x->depth != 0 || (x->base == 0 && !x->root_done)) {
        xml_fail(x, RPP_ERR_STATE);
        return RPP_ERR_STATE;
    }
    if (x->base == 0)
        rpp__buf_putc(&x->buf->b, '\n');
    return rpp_xml_status(x);
}
