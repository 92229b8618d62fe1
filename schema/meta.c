/*
 * meta.c - the "key: value; key: value" metadata the Imager writes into
 * events (and the "key=value" parts of its watchdog's events): one
 * tolerant parser and the lookups built on it (a value, a number, the
 * "N (M ms)" form of writeRingBufferStats).
 */
#include <rpiperf/report.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a lookup reads of a metadata string. */
#define LOOKUP_BYTES 1024
#define LOOKUP_PAIRS 32

/* Cuts the spaces off both ends of s in place; returns its new start. */
static char *trim(char *s)
{
    char *end;

    while (*s == ' ')
        s++;
    end = s + strlen(s);
    while (end > s && end[-1] == ' ')
        *--end = '\0';
    return s;
}

/*
 * Where the key of part ends: "key: value", or "key=value" with a plain
 * word (letters, digits, '_', '-') as key, as the watchdog's events have
 * it ("action=hardTimeout; pending=3"). *value gets the value's start.
 * NULL for free text such as "Post-write verification".
 */
static char *split_pair(char *part, char **value)
{
    char *sep = strstr(part, ": "), *k, *end;

    if (sep) {
        *value = sep + 2;
        return sep;
    }
    sep = strchr(part, '=');
    for (k = part; *k == ' '; k++)
        ;
    if (!sep || sep == k)
        return NULL;
    for (end = k; end < sep && (isalnum((unsigned char)*end) ||
                                *end == '_' || *end == '-');
         end++)
        ;
    if (end != sep)
        return NULL;
    *value = sep + 1;
    return sep;
}

size_t rpp_meta_parse(const char *s, char *buf, size_t bufsize,
                      rpp_meta_pair *pairs, size_t max)
{
    size_t n = 0, len;
    char *p, *next, *sep, *k, *v;

    if (!s || !buf || bufsize == 0)
        return 0;
    len = strnlen(s, bufsize - 1);   /* longer text is cut: never scanned */
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (p = buf; p && *p && n < max; p = next) {
        next = strchr(p, ';');
        if (next)
            *next++ = '\0';
        if (!(sep = split_pair(p, &v)))
            continue;
        *sep = '\0';
        k = trim(p);
        if (!*k)
            continue;
        pairs[n].key = k;
        pairs[n].value = trim(v);
        n++;
    }
    return n;
}

/* The value of key in s: a pointer into buf (LOOKUP_BYTES), or NULL. */
static const char *lookup(const char *s, const char *key, char *buf)
{
    rpp_meta_pair pairs[LOOKUP_PAIRS];
    size_t n, i;

    if (!s || !key)
        return NULL;
    n = rpp_meta_parse(s, buf, LOOKUP_BYTES, pairs, LOOKUP_PAIRS);
    for (i = 0; i < n; i++)
        if (strcmp(pairs[i].key, key) == 0)
            return pairs[i].value;
    return NULL;
}

bool rpp_meta_get(const char *s, const char *key, char *out, size_t outsize)
{
    char buf[LOOKUP_BYTES];
    const char *v;

    if (!out || !outsize || !(v = lookup(s, key, buf)))
        return false;
    snprintf(out, outsize, "%s", v);
    return true;
}

bool rpp_meta_is(const char *s, const char *key, const char *value)
{
    char buf[LOOKUP_BYTES];
    const char *v = lookup(s, key, buf);

    return v && value && strcmp(v, value) == 0;
}

/* The finite number at the start of text: true with *out and *end set. */
static bool number_at(const char *text, double *out, char **end)
{
    double d = strtod(text, end);

    if (*end == text || !isfinite(d))
        return false;
    *out = d;
    return true;
}

bool rpp_meta_number(const char *s, const char *key, double *out)
{
    char buf[LOOKUP_BYTES], *end;
    const char *v = lookup(s, key, buf);

    return v && number_at(v, out, &end);
}

bool rpp_meta_count_ms(const char *s, const char *key, double *count,
                       double *ms)
{
    char buf[LOOKUP_BYTES], *end;
    const char *v = lookup(s, key, buf), *open;
    double n = 0, m;

    if (!v || !(open = strchr(v, '(')))
        return false;
    if (!number_at(open + 1, &m, &end) || m < 0)
        return false;
    if (count && !number_at(v, &n, &end))
        return false;
    if (count)
        *count = n;
    *ms = m;
    return true;
}
