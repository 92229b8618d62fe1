/*
 * meta.c - the "key: value; key: value" metadata the Imager writes into
 * events (and the "key=value" parts of its watchdog's events): one
 * tolerant parser and the lookups built on it (a value, a number, the
 * "N (M ms)" form of writeRingBufferStats).
 */
#include <rpiperf/report.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a lookup reads of a metadata string. */
#define LOOKUP_BYTES 1024
#define LOOKUP_PAIRS 32

/* One "key: value" part of the text, as spans of it. */
typedef struct pair_span {
    const char *key, *value;
    size_t key_len, value_len;
} pair_span;

/* [*s, *e) without the spaces at both ends. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && **s == ' ')
        (*s)++;
    while (*e > *s && (*e)[-1] == ' ')
        (*e)--;
}

/* Where ": " first occurs in [p, e), or NULL. */
static const char *find_colon_space(const char *p, const char *e)
{
    const char *c;

    for (; p < e && (c = memchr(p, ':', (size_t)(e - p))) != NULL;
         p = c + 1)
        if (c + 1 < e && c[1] == ' ')
            return c;
    return NULL;
}

/*
 * The pair of part [p, e): "key: value", or "key=value" with a plain word
 * (letters, digits, '_', '-') as key, as the watchdog's events have it
 * ("action=hardTimeout; pending=3"). False for free text such as
 * "Post-write verification" and for an empty key.
 */
static bool split_pair(const char *p, const char *e, pair_span *out)
{
    const char *sep = find_colon_space(p, e), *k = p, *ke, *v, *ve = e;

    if (sep) {
        ke = sep;
        v = sep + 2;
    } else {
        sep = memchr(p, '=', (size_t)(e - p));
        while (k < e && *k == ' ')
            k++;
        if (!sep || sep == k)
            return false;
        for (ke = k; ke < sep && (isalnum((unsigned char)*ke) ||
                                  *ke == '_' || *ke == '-');
             ke++)
            ;
        if (ke != sep)
            return false;
        v = sep + 1;
    }
    trim(&k, &ke);
    trim(&v, &ve);
    if (k == ke)
        return false;
    out->key = k;
    out->key_len = (size_t)(ke - k);
    out->value = v;
    out->value_len = (size_t)(ve - v);
    return true;
}

/* The pairs of the first bytes of a text, one after another. */
typedef struct pair_iter {
    const char *p, *end;
    size_t left;                /* pairs still to give */
} pair_iter;

/* Iterates over the first `limit` bytes of s, giving at most max pairs. */
static void pairs_begin(pair_iter *it, const char *s, size_t limit,
                        size_t max)
{
    it->p = s;
    it->end = s + strnlen(s, limit);    /* beyond: cut, never read */
    it->left = max;
}

static bool pairs_next(pair_iter *it, pair_span *out)
{
    while (it->left && it->p < it->end) {
        const char *semi = memchr(it->p, ';', (size_t)(it->end - it->p));
        const char *part = it->p, *part_end = semi ? semi : it->end;

        it->p = semi ? semi + 1 : it->end;
        if (split_pair(part, part_end, out)) {
            it->left--;
            return true;
        }
    }
    return false;
}

size_t rpp_meta_parse(const char *s, char *buf, size_t bufsize,
                      rpp_meta_pair *pairs, size_t max)
{
    pair_iter it;
    pair_span sp;
    size_t n = 0;

    if (!s || !buf || bufsize == 0)
        return 0;
    /* buf is s at the same offsets, each key and value ended by a NUL
     * where a separator or a space stood */
    pairs_begin(&it, s, bufsize - 1, max);
    memcpy(buf, s, (size_t)(it.end - s));
    buf[it.end - s] = '\0';
    while (pairs_next(&it, &sp)) {
        char *k = buf + (sp.key - s), *v = buf + (sp.value - s);

        k[sp.key_len] = '\0';
        v[sp.value_len] = '\0';
        pairs[n].key = k;
        pairs[n].value = v;
        n++;
    }
    return n;
}

/* The value of key in the first LOOKUP_BYTES - 1 bytes and LOOKUP_PAIRS
 * pairs of s: false when it is not there. */
static bool lookup(const char *s, const char *key, pair_span *out)
{
    pair_iter it;
    size_t klen;

    if (!s || !key)
        return false;
    klen = strlen(key);
    pairs_begin(&it, s, LOOKUP_BYTES - 1, LOOKUP_PAIRS);
    while (pairs_next(&it, out))
        if (out->key_len == klen && memcmp(out->key, key, klen) == 0)
            return true;
    return false;
}

/* The value of a pair into out (size bytes), cut to fit. */
static void copy_value(const pair_span *sp, char *out, size_t size)
{
    size_t n = sp->value_len < size - 1 ? sp->value_len : size - 1;

    memcpy(out, sp->value, n);
    out[n] = '\0';
}

bool rpp_meta_get(const char *s, const char *key, char *out, size_t outsize)
{
    pair_span sp;

    if (!out || !outsize || !lookup(s, key, &sp))
        return false;
    copy_value(&sp, out, outsize);
    return true;
}

bool rpp_meta_is(const char *s, const char *key, const char *value)
{
    pair_span sp;

    return value && lookup(s, key, &sp) && strlen(value) == sp.value_len &&
           memcmp(sp.value, value, sp.value_len) == 0;
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
    char v[LOOKUP_BYTES], *end;
    pair_span sp;

    if (!lookup(s, key, &sp))
        return false;
    copy_value(&sp, v, sizeof(v));
    return number_at(v, out, &end);
}

bool rpp_meta_count_ms(const char *s, const char *key, double *count,
                       double *ms)
{
    char v[LOOKUP_BYTES], *end;
    const char *open;
    pair_span sp;
    double n = 0, m;

    if (!lookup(s, key, &sp))
        return false;
    copy_value(&sp, v, sizeof(v));
    if (!(open = strchr(v, '(')))
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
