/*
 * meta.c - the "key: value; key: value" metadata the Imager writes into
 * events, read tolerantly; and redaction of identifying strings.
 */
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t rpp_meta_parse(const char *s, char *buf, size_t bufsize,
                      rpp_meta_pair *pairs, size_t max)
{
    size_t n = 0, len;
    char *p, *part, *next, *sep, *k, *v, *end;

    if (!s || !buf || bufsize == 0)
        return 0;
    len = strnlen(s, bufsize - 1);   /* longer text is cut: never scanned */
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (p = buf; p && *p && n < max; p = next) {
        part = p;
        next = strchr(p, ';');
        if (next)
            *next++ = '\0';
        /* "key: value", or "key=value" as the watchdog's events have it
         * ("action=hardTimeout; pending=3"), with a plain word as key */
        sep = strstr(part, ": ");
        if (sep) {
            *sep = '\0';
            v = sep + 2;
        } else {
            sep = strchr(part, '=');
            for (k = part; *k == ' '; k++)
                ;
            if (!sep || sep == k)
                continue;    /* free text such as "Post-write verification" */
            for (end = k; end < sep && (isalnum((unsigned char)*end) ||
                                        *end == '_' || *end == '-');
                 end++)
                ;
            if (end != sep)
                continue;
            *sep = '\0';
            v = sep + 1;
        }
        k = part;
        while (*k == ' ')
            k++;
        end = k + strlen(k);
        while (end > k && end[-1] == ' ')
            *--end = '\0';
        while (*v == ' ')
            v++;
        end = v + strlen(v);
        while (end > v && end[-1] == ' ')
            *--end = '\0';
        if (!*k)
            continue;
        pairs[n].key = k;
        pairs[n].value = v;
        n++;
    }
    return n;
}

bool rpp_meta_get(const char *s, const char *key, char *out, size_t outsize)
{
    char buf[1024];
    rpp_meta_pair pairs[32];
    size_t n, i;

    if (!s || !key || !out || !outsize)
        return false;
    n = rpp_meta_parse(s, buf, sizeof(buf), pairs, 32);
    for (i = 0; i < n; i++) {
        if (strcmp(pairs[i].key, key) == 0) {
            snprintf(out, outsize, "%s", pairs[i].value);
            return true;
        }
    }
    return false;
}

bool rpp__meta_number(const char *s, const char *key, double *out)
{
    char val[256], *end;
    double d;

    if (!rpp_meta_get(s, key, val, sizeof(val)))
        return false;
    d = strtod(val, &end);
    if (end == val || !isfinite(d))
        return false;
    *out = d;
    return true;
}

/* ---- Redaction --------------------------------------------------------- */

typedef struct red_entry {
    char *kind;
    char *orig;
    char *placeholder;
} red_entry;

struct rpp_redactor {
    red_entry *slots;         /* open addressing, power-of-two size */
    size_t cap, used;
    size_t counters[8];
    const char *kinds[8];
    size_t n_kinds;
    rpp__buf scratch;          /* last result of rpp_redact_text */
    char **texts;             /* results handed out, freed with rd */
    size_t n_texts, cap_texts;
};

int rpp_redactor_new(rpp_redactor **out)
{
    rpp_redactor *rd;

    *out = NULL;
    rd = calloc(1, sizeof(*rd));
    if (!rd)
        return RPP_ERR_NOMEM;
    rd->cap = 64;
    rd->slots = calloc(rd->cap, sizeof(*rd->slots));
    if (!rd->slots) {
        free(rd);
        return RPP_ERR_NOMEM;
    }
    *out = rd;
    return RPP_OK;
}

void rpp_redactor_free(rpp_redactor *rd)
{
    size_t i;

    if (!rd)
        return;
    for (i = 0; i < rd->cap; i++) {
        free(rd->slots[i].kind);
        free(rd->slots[i].orig);
        free(rd->slots[i].placeholder);
    }
    for (i = 0; i < rd->n_texts; i++)
        free(rd->texts[i]);
    free(rd->texts);
    free(rd->slots);
    rpp__buf_free(&rd->scratch);
    free(rd);
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ULL;
    return h;
}

static int grow(rpp_redactor *rd)
{
    size_t ncap = rd->cap * 2, i, j;
    red_entry *ns = calloc(ncap, sizeof(*ns));

    if (!ns)
        return -1;
    for (i = 0; i < rd->cap; i++) {
        if (!rd->slots[i].orig)
            continue;
        j = (size_t)hash2(rd->slots[i].kind, rd->slots[i].orig) & (ncap - 1);
        while (ns[j].orig)
            j = (j + 1) & (ncap - 1);
        ns[j] = rd->slots[i];
    }
    free(rd->slots);
    rd->slots = ns;
    rd->cap = ncap;
    return 0;
}

static size_t kind_counter(rpp_redactor *rd, const char *kind)
{
    size_t i;

    for (i = 0; i < rd->n_kinds; i++)
        if (strcmp(rd->kinds[i], kind) == 0)
            return ++rd->counters[i];
    if (rd->n_kinds < 8) {
        rd->kinds[rd->n_kinds] = kind;
        return ++rd->counters[rd->n_kinds++];
    }
    return ++rd->counters[7];
}

const char *rpp_redact(rpp_redactor *rd, const char *kind, const char *s)
{
    size_t j, n;
    red_entry *e;
    char tmp[64];

    if (!rd || !kind)
        return NULL;
    if (!s || !*s)
        return "";
    if (rd->used * 2 >= rd->cap && grow(rd) < 0)
        return NULL;
    j = (size_t)hash2(kind, s) & (rd->cap - 1);
    while (rd->slots[j].orig) {
        if (strcmp(rd->slots[j].orig, s) == 0 &&
            strcmp(rd->slots[j].kind, kind) == 0)
            return rd->slots[j].placeholder;
        j = (j + 1) & (rd->cap - 1);
    }
    e = &rd->slots[j];
    n = kind_counter(rd, kind);
    snprintf(tmp, sizeof(tmp), "%s-%zu", kind, n);
    e->kind = strdup(kind);
    e->orig = strdup(s);
    e->placeholder = strdup(tmp);
    if (!e->kind || !e->orig || !e->placeholder) {
        free(e->kind);
        free(e->orig);
        free(e->placeholder);
        memset(e, 0, sizeof(*e));
        return NULL;
    }
    rd->used++;
    return e->placeholder;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static bool path_char(char c)
{
    return c && c != ' ' && c != ';' && c != ',' && c != '"' && c != '\'';
}

/* Keys whose values identify the user's image or device. */
static const char *identifying_key(const char *s, size_t *skip)
{
    static const struct {
        const char *key;
        const char *kind;
    } keys[] = {
        { "image: ", "image" },
        { "device: ", "device" },
    };
    size_t i, kl;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        kl = strlen(keys[i].key);
        if (strncmp(s, keys[i].key, kl) == 0) {
            *skip = kl;
            return keys[i].kind;
        }
    }
    return NULL;
}

const char *rpp_redact_text(rpp_redactor *rd, const char *s)
{
    rpp__buf *b;
    const char *p, *kind, *ph;
    size_t skip, n;
    char *tok, *copy;
    rpp__redact_hit hit;

    if (!rd)
        return NULL;
    if (!s)
        return "";
    b = &rd->scratch;
    rpp__buf_clear(b);
    rpp__buf_put(b, "", 0);
    for (p = s; *p;) {
        bool at_word = p == s || p[-1] == ' ' || p[-1] == ';' || p[-1] == '(';
        /* "image: X; ..." and "device: X; ...": the value up to ';' */
        if (at_word && (kind = identifying_key(p, &skip)) != NULL) {
            rpp__buf_put(b, p, skip);
            p += skip;
            n = strcspn(p, ";");
            while (n && p[n - 1] == ' ')
                n--;
            tok = strndup(p, n);
            if (!tok)
                return NULL;
            ph = rpp_redact(rd, kind, tok);
            free(tok);
            if (!ph)
                return NULL;
            rpp__buf_puts(b, ph);
            p += n;
            continue;
        }
        /* device paths */
        if (at_word && (strncmp(p, "/dev/", 5) == 0 ||
                        strncmp(p, "\\\\.\\", 4) == 0 ||
                        strncmp(p, "/Volumes/", 9) == 0 ||
                        strncmp(p, "/media/", 7) == 0 ||
                        strncmp(p, "/run/media/", 11) == 0)) {
            n = 0;
            while (path_char(p[n]))
                n++;
            tok = strndup(p, n);
            if (!tok)
                return NULL;
            ph = rpp_redact(rd, "device", tok);
            free(tok);
            if (!ph)
                return NULL;
            rpp__buf_puts(b, ph);
            p += n;
            continue;
        }
        /* home directories, host and user names, serials, descriptions */
        if (rpp__redact_match(s, p, &hit)) {
            rpp__buf_put(b, p, hit.keep);
            tok = strndup(p + hit.keep, hit.len);
            if (!tok)
                return NULL;
            ph = rpp_redact(rd, hit.kind, tok);
            free(tok);
            if (!ph)
                return NULL;
            rpp__buf_puts(b, ph);
            p += hit.keep + hit.len;
            continue;
        }
        /* hashes: runs of 16 or more hex digits */
        if (is_hex(*p) && (p == s || !is_hex(p[-1]))) {
            n = 0;
            while (is_hex(p[n]))
                n++;
            if (n >= 16) {
                tok = strndup(p, n);
                if (!tok)
                    return NULL;
                ph = rpp_redact(rd, "hash", tok);
                free(tok);
                if (!ph)
                    return NULL;
                rpp__buf_puts(b, ph);
                p += n;
                continue;
            }
            rpp__buf_put(b, p, n);
            p += n;
            continue;
        }
        rpp__buf_putc(b, *p++);
    }
    if (b->oom)
        return NULL;
    /* hand out a copy that lives as long as the redactor */
    if (rd->n_texts == rd->cap_texts) {
        size_t ncap = rd->cap_texts ? rd->cap_texts * 2 : 16;
        char **nt = realloc(rd->texts, ncap * sizeof(*nt));
        if (!nt)
            return NULL;
        rd->texts = nt;
        rd->cap_texts = ncap;
    }
    copy = strdup(b->ptr);
    if (!copy)
        return NULL;
    rd->texts[rd->n_texts++] = copy;
    return copy;
}
