/*
 * redact.c - redaction of identifying strings: a redactor gives each
 * device path, image name and hash a stable placeholder ("device-1",
 * "image-1", "hash-1") and rewrites metadata text with them.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One string seen and its placeholder. */
typedef struct red_entry {
    char *orig;
    char *placeholder;
} red_entry;

/* The strings of one kind ("device", ...): each kind counts its own. */
typedef struct red_kind {
    char *name;
    size_t counter;
    rpp__namemap map;         /* orig -> index into the entries */
} red_kind;

struct rpp_redactor {
    red_entry *entries;
    size_t n_entries, cap_entries;
    red_kind *kinds;
    size_t n_kinds, cap_kinds;
    rpp__buf scratch;         /* last result of rpp_redact_text */
    char **texts;             /* results handed out, freed with rd */
    size_t n_texts, cap_texts;
};

int rpp_redactor_new(rpp_redactor **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? RPP_OK : RPP_ERR_NOMEM;
}

void rpp_redactor_free(rpp_redactor *rd)
{
    size_t i;

    if (!rd)
        return;
    for (i = 0; i < rd->n_entries; i++) {
        free(rd->entries[i].orig);
        free(rd->entries[i].placeholder);
    }
    for (i = 0; i < rd->n_kinds; i++) {
        free(rd->kinds[i].name);
        rpp__namemap_free(&rd->kinds[i].map);
    }
    for (i = 0; i < rd->n_texts; i++)
        free(rd->texts[i]);
    free(rd->entries);
    free(rd->kinds);
    free(rd->texts);
    rpp__buf_free(&rd->scratch);
    free(rd);
}

/* Makes room for one more element in *v (elem bytes each, *cap held). */
static bool reserve(void **v, size_t *cap, size_t n, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p;

    if (n < *cap)
        return true;
    if (!(p = realloc(*v, ncap * elem)))
        return false;
    *v = p;
    *cap = ncap;
    return true;
}

/* The kind named kind, added when new; NULL when out of memory. */
static red_kind *find_kind(rpp_redactor *rd, const char *kind)
{
    red_kind *k;
    size_t i;
    void *v = rd->kinds;

    for (i = 0; i < rd->n_kinds; i++)
        if (strcmp(rd->kinds[i].name, kind) == 0)
            return &rd->kinds[i];
    if (!reserve(&v, &rd->cap_kinds, rd->n_kinds, sizeof(*rd->kinds)))
        return NULL;
    rd->kinds = v;
    k = &rd->kinds[rd->n_kinds];
    memset(k, 0, sizeof(*k));
    if (!(k->name = strdup(kind)))
        return NULL;
    rd->n_kinds++;
    return k;
}

/* A new entry for s in kind k, numbered after the kind's last. */
static const char *add_entry(rpp_redactor *rd, red_kind *k, const char *s)
{
    red_entry *e;
    char tmp[64];
    void *v = rd->entries;

    if (!reserve(&v, &rd->cap_entries, rd->n_entries, sizeof(*rd->entries)))
        return NULL;
    rd->entries = v;
    e = &rd->entries[rd->n_entries];
    snprintf(tmp, sizeof(tmp), "%s-%zu", k->name, k->counter + 1);
    e->orig = strdup(s);
    e->placeholder = strdup(tmp);
    if (!e->orig || !e->placeholder ||
        rpp__namemap_put(&k->map, e->orig, rd->n_entries, NULL) < 0) {
        free(e->orig);
        free(e->placeholder);
        return NULL;
    }
    rd->n_entries++;
    k->counter++;
    return e->placeholder;
}

const char *rpp_redact(rpp_redactor *rd, const char *kind, const char *s)
{
    red_kind *k;
    size_t idx;

    if (!rd || !kind)
        return NULL;
    if (!s || !*s)
        return "";
    if (!(k = find_kind(rd, kind)))
        return NULL;
    if (rpp__namemap_get(&k->map, s, &idx))
        return rd->entries[idx].placeholder;
    return add_entry(rd, k, s);
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

/*
 * At the start of a word: whether what follows identifies the user: the
 * value of an "image: " or "device: " key up to ';', or a device path.
 * *keep is the length of the key kept before it, *n its length, *kind its
 * kind.
 */
static bool identifying_at(const char *p, const char **kind, size_t *keep,
                           size_t *n)
{
    static const char *const device_paths[] = {
        "/dev/", "\\\\.\\", "/Volumes/", "/media/", "/run/media/"
    };
    const char *v;
    size_t i;

    if ((*kind = identifying_key(p, keep)) != NULL) {
        v = p + *keep;
        *n = strcspn(v, ";");
        while (*n && v[*n - 1] == ' ')
            (*n)--;
        return true;
    }
    for (i = 0; i < sizeof(device_paths) / sizeof(device_paths[0]); i++) {
        if (strncmp(p, device_paths[i], strlen(device_paths[i])) == 0) {
            *kind = "device";
            *keep = 0;
            for (*n = 0; path_char(p[*n]); (*n)++)
                ;
            return true;
        }
    }
    return false;
}

/* Appends the placeholder of the n bytes at p; false when out of memory. */
static bool put_placeholder(rpp_redactor *rd, rpp__buf *b, const char *kind,
                            const char *p, size_t n)
{
    char *tok = strndup(p, n);
    const char *ph = tok ? rpp_redact(rd, kind, tok) : NULL;

    free(tok);
    if (!ph)
        return false;
    rpp__buf_puts(b, ph);
    return true;
}

/* Rewrites s into b; false when out of memory. */
static bool redact_into(rpp_redactor *rd, rpp__buf *b, const char *s)
{
    const char *p, *kind;
    size_t keep, n;
    rpp__redact_hit hit;

    for (p = s; *p;) {
        bool at_word = p == s || p[-1] == ' ' || p[-1] == ';' || p[-1] == '(';

        if (at_word && identifying_at(p, &kind, &keep, &n)) {
            rpp__buf_put(b, p, keep);
            if (!put_placeholder(rd, b, kind, p + keep, n))
                return false;
            p += keep + n;
        } else if (rpp__redact_match(s, p, &hit)) {
            /* home directories, host and user names, serials,
             * descriptions */
            rpp__buf_put(b, p, hit.keep);
            if (!put_placeholder(rd, b, hit.kind, p + hit.keep, hit.len))
                return false;
            p += hit.keep + hit.len;
        } else if (is_hex(*p) && (p == s || !is_hex(p[-1]))) {
            /* hashes: runs of 16 or more hex digits */
            for (n = 0; is_hex(p[n]); n++)
                ;
            if (n < 16)
                rpp__buf_put(b, p, n);
            else if (!put_placeholder(rd, b, "hash", p, n))
                return false;
            p += n;
        } else {
            rpp__buf_putc(b, *p++);
        }
    }
    return !b->oom;
}

const char *rpp_redact_text(rpp_redactor *rd, const char *s)
{
    void *v;
    char *copy;

    if (!rd)
        return NULL;
    if (!s)
        return "";
    rpp__buf_clear(&rd->scratch);
    rpp__buf_put(&rd->scratch, "", 0);
    if (!redact_into(rd, &rd->scratch, s))
        return NULL;
    /* hand out a copy that lives as long as the redactor */
    v = rd->texts;
    if (!reserve(&v, &rd->cap_texts, rd->n_texts, sizeof(*rd->texts)))
        return NULL;
    rd->texts = v;
    if (!(copy = strdup(rd->scratch.ptr)))
        return NULL;
    rd->texts[rd->n_texts++] = copy;
    return copy;
}
