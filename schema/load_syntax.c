/*
 * load_syntax.c - finding a syntax error. cJSON only says roughly where it
 * stopped: at the last byte when the text was cut short, one byte late
 * when a key or a value is missing. So when cJSON fails, this strict
 * reader goes over the text again and stops at the first byte that cannot
 * continue a JSON text (the end, when the text ends too early), and says
 * what is there. It runs after the byte scan (load_scan.c), so nesting is
 * shallow and its recursion bounded.
 */
#include "load_internal.h"

#include <stdio.h>
#include <string.h>

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

/* At the backslash at *i of a string: true with *i after the escape, or
 * false with *i where the text cannot go on (len when it ends first). */
static bool jt_escape(jtext *t, size_t *i)
{
    const unsigned char *p = t->p;
    size_t at = *i, left = t->len - at;
    unsigned u, lo;

    if (left < 2) {
        *i = t->len;
        return false;
    }
    if (p[at + 1] != 'u') {
        if (!strchr("\"\\/bfnrt", p[at + 1]) || !p[at + 1]) {
            t->why = "bad escape sequence";
            return false;
        }
        *i = at + 2;
        return true;
    }
    if (!rpp__hex4(p + at + 2, left - 2, &u)) {
        if (left - 2 < 4)
            *i = t->len;
        else
            t->why = "\\u not followed by 4 hex digits";
        return false;
    }
    /* as cJSON: a surrogate must come as a high/low pair */
    if (u >= 0xd800 && u <= 0xdbff && at + 11 < t->len &&
        p[at + 6] == '\\' && p[at + 7] == 'u' &&
        rpp__hex4(p + at + 8, 4, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
        *i = at + 12;
        return true;
    }
    if (u >= 0xd800 && u <= 0xdfff) {
        t->why = "\\u escape of an unpaired UTF-16 surrogate";
        return false;
    }
    *i = at + 6;
    return true;
}

static bool jt_string(jtext *t)
{
    const unsigned char *p = t->p;
    size_t i = t->i + 1;

    while (i < t->len) {
        if (p[i] == '"') {
            t->i = i + 1;
            return true;
        }
        if (p[i] < 0x20)
            break;
        if (p[i] != '\\')
            i++;
        else if (!jt_escape(t, &i))
            break;
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

/* A key of an object and the colon after it. */
static bool jt_key(jtext *t)
{
    jt_space(t);
    if (t->i >= t->len || t->p[t->i] != '"' || !jt_string(t))
        return false;
    jt_space(t);
    if (t->i >= t->len || t->p[t->i] != ':')
        return false;
    t->i++;
    return true;
}

static bool jt_value(jtext *t);

/* At '{' or '[': the members, up to the closing bracket. */
static bool jt_container(jtext *t)
{
    unsigned char close = t->p[t->i] == '{' ? '}' : ']';

    t->i++;
    jt_space(t);
    if (t->i < t->len && t->p[t->i] == close) {
        t->i++;
        return true;
    }
    for (;;) {
        if ((close == '}' && !jt_key(t)) || !jt_value(t))
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
}

static bool jt_value(jtext *t)
{
    size_t n;

    jt_space(t);
    if (t->i >= t->len)
        return false;
    switch (t->p[t->i]) {
    case '"': return jt_string(t);
    case 't': return jt_literal(t, "true");
    case 'f': return jt_literal(t, "false");
    case 'n': return jt_literal(t, "null");
    case '{':
    case '[': return jt_container(t);
    default:
        n = rpp__json_number_len(t->p + t->i, t->len - t->i);
        t->i += n;
        return n != 0;
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

void rpp__syntax_error(const char *text, size_t len, size_t off,
                       rpp_diags *diags)
{
    const char *why = NULL;
    unsigned line, col;
    char what[48];

    find_syntax_error(text, len, &off, &why);
    rpp__line_col(text, len, off, &line, &col);
    describe_at(text, len, off, what, sizeof(what));
    rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                 "not valid JSON (%s)", why ? why : what);
}
