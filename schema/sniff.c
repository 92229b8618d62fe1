/*
 * sniff.c - owns telling a performance report from other JSON
 * (rpp_report_sniff in report.h): one pass over the top level of a
 * document, building nothing, for tools that look through directories
 * holding other JSON files too (package.json, settings, data).
 */
#include <rpiperf/report.h>

#include <string.h>

/* The keys that make an object a report: the format requires all three,
 * and an object with any one of them was meant to be a report. */
static const char *const report_keys[] = { "summary", "events", "histograms" };

#define KEY_MAX 16   /* longer keys are none of the above */

typedef struct scan {
    const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
                             *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* Skips a string whose opening quote is at s->p; the text of short keys
 * (simple escapes decoded) goes into key, "" when it does not fit.
 * Returns false when the string does not end. */
static bool read_string(scan *s, char *key)
{
    size_t n = 0;
    bool fits = true;

    s->p++;
    while (s->p < s->end && *s->p != '"') {
        char c = *s->p++;
        if (c == '\\') {
            if (s->p >= s->end)
                return false;
            c = *s->p++;
            if (c == 'u') {
                /* \u00XX: only ASCII can spell one of the keys */
                if (s->end - s->p < 4)
                    return false;
                c = s->p[0] == '0' && s->p[1] == '0' && s->p[2] >= '2' &&
                            s->p[2] <= '7'
                        ? (char)((s->p[2] - '0') * 16 +
                                 (s->p[3] >= 'a' ? s->p[3] - 'a' + 10
                                  : s->p[3] >= 'A' ? s->p[3] - 'A' + 10
                                                   : s->p[3] - '0'))
                        : '\0';
                s->p += 4;
            }
        }
        if (key && fits) {
            if (n < KEY_MAX && c)
                key[n++] = c;
            else
                fits = false;
        }
    }
    if (s->p >= s->end)
        return false;
    s->p++;
    if (key)
        key[fits ? n : 0] = '\0';
    return true;
}

/* Skips one value of any kind; false when the document ends inside it. */
static bool skip_value(scan *s)
{
    size_t depth = 0;

    do {
        skip_ws(s);
        if (s->p >= s->end)
            return false;
        switch (*s->p) {
        case '"':
            if (!read_string(s, NULL))
                return false;
            break;
        case '{':
        case '[':
            depth++;
            s->p++;
            break;
        case '}':
        case ']':
            if (!depth)
                return false;
            depth--;
            s->p++;
            break;
        default:
            /* a number, a literal, or a ',' or ':' between members */
            s->p++;
            while (s->p < s->end && !strchr(" \t\n\r,:{}[]\"", *s->p))
                s->p++;
            break;
        }
    } while (depth);
    return true;
}

int rpp_report_sniff(const char *data, size_t len)
{
    scan s;
    char key[KEY_MAX + 1];
    size_t i;

    if (!data)
        return RPP_ERR_ARG;
    s.p = data;
    s.end = data + len;
    skip_ws(&s);
    if (s.p >= s.end)
        return RPP_ERR_SYNTAX;
    if (*s.p != '{')
        return skip_value(&s) ? RPP_ERR_NOT_FOUND : RPP_ERR_SYNTAX;
    s.p++;
    for (;;) {
        skip_ws(&s);
        if (s.p < s.end && *s.p == '}')
            return RPP_ERR_NOT_FOUND;
        if (s.p >= s.end || *s.p != '"' || !read_string(&s, key))
            return RPP_ERR_SYNTAX;
        for (i = 0; i < sizeof(report_keys) / sizeof(report_keys[0]); i++)
            if (strcmp(key, report_keys[i]) == 0)
                return RPP_OK;
        skip_ws(&s);
        if (s.p >= s.end || *s.p != ':')
            return RPP_ERR_SYNTAX;
        s.p++;
        if (!skip_value(&s))
            return RPP_ERR_SYNTAX;
        skip_ws(&s);
        if (s.p < s.end && *s.p == ',')
            s.p++;
        else if (s.p < s.end && *s.p == '}')
            return RPP_ERR_NOT_FOUND;
        else
            return RPP_ERR_SYNTAX;
    }
}
