/*
 * load.c - the loader's entry points: it reads a performance report, checks
 * it against the format and converts it into the model of report.h.
 *
 * Three passes over the text, each linear (load_internal.h lists the file
 * of each):
 *   1. a byte scan: UTF-8, raw control characters, nesting depth, the
 *      grammar of numbers and \u escapes (where cJSON is lenient) and NUL
 *      escapes, so that every such problem gets a line:column; the
 *      histograms and the events, nearly all of a report, are read here
 *      when they have the expected shape;
 *   2. cJSON parses the text into a tree (when it fails, a strict reader
 *      finds the exact place of the error);
 *   3. the tree is walked once, checking types and ranges and filling the
 *      model, with a JSON path for every problem.
 * This file holds the order of the passes, the limits and how a problem is
 * recorded. Every problem goes into the caller's rpp_diags; nothing is
 * printed.
 */
#include "load_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Recording problems ------------------------------------------------ */

void rpp__diag_vadd(rpp_diags *d, rpp_severity sev, int code,
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

void rpp__diag_at(rpp_diags *d, rpp_severity sev, int code, unsigned line,
                  unsigned col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rpp__diag_vadd(d, sev, code, "", line, col, fmt, ap);
    va_end(ap);
}

void rpp__line_col(const char *data, size_t len, size_t off, unsigned *line,
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

/* ---- Options ----------------------------------------------------------- */

bool rpp__load_opts_resolve(rpp_load_opts *o, const rpp_load_opts *in)
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

/* ---- Passes 1 and 2 ---------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The first offset from i on that is not white space (len if none). */
static size_t skip_space(const char *text, size_t i, size_t len)
{
    while (i < len && is_space(text[i]))
        i++;
    return i;
}

/* Refuses text above the size limit and text with no JSON value. */
static int check_size_and_content(const char *text, size_t len,
                                  const rpp_load_opts *o, rpp_diags *diags)
{
    if (len > o->max_file_size) {
        rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                     "%zu bytes, above the size limit of %zu bytes", len,
                     o->max_file_size);
        return RPP_ERR_LIMIT;
    }
    if (skip_space(text, 0, len) == len) {
        rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, 0, 0,
                     len ? "no JSON: only white space" : "empty file");
        return RPP_ERR_SYNTAX;
    }
    return RPP_OK;
}

/* cJSON's tree of text, or NULL with *end where cJSON stopped. *trailing
 * is the offset of anything but white space after the value, or
 * (size_t)-1. */
static cJSON *parse_whole(const char *text, size_t len, const char **end,
                          size_t *trailing)
{
    const char *e = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &e, 0);
    size_t i;

    *end = e;
    *trailing = (size_t)-1;
    if (root && (i = skip_space(text, (size_t)(e - text), len)) < len)
        *trailing = i;
    return root;
}

/*
 * The tree of text with an empty value in place of each value the fast
 * paths read ("{}" for the histograms, "[]" for the events); NULL when
 * that is not one JSON value alone, or out of memory.
 */
static cJSON *parse_reduced(const char *text, size_t len,
                            const rpp__fast *f)
{
    struct cut {
        size_t start, end;
        const char *with;
    } cuts[2] = { { f->hist_start, f->hist_end, "{}" },
                  { f->ev_start, f->ev_end, "[]" } }, t;
    size_t rl = len, at = 0, from = 0, trailing, k;
    char *reduced;
    const char *end;
    cJSON *root;

    if (cuts[1].end && (!cuts[0].end || cuts[1].start < cuts[0].start)) {
        t = cuts[0];
        cuts[0] = cuts[1];
        cuts[1] = t;
    }
    for (k = 0; k < 2; k++)
        if (cuts[k].end)
            rl -= cuts[k].end - cuts[k].start - 2;
    if (!(reduced = malloc(rl + 1)))
        return NULL;
    for (k = 0; k < 2; k++) {
        if (!cuts[k].end)
            continue;
        memcpy(reduced + at, text + from, cuts[k].start - from);
        at += cuts[k].start - from;
        memcpy(reduced + at, cuts[k].with, 2);
        at += 2;
        from = cuts[k].end;
    }
    memcpy(reduced + at, text + from, len - from);
    reduced[rl] = '\0';
    root = parse_whole(reduced, rl, &end, &trailing);
    if (root && trailing != (size_t)-1) {
        cJSON_Delete(root);
        root = NULL;
    }
    free(reduced);
    return root;
}

/*
 * Whether the object root has key more than once. The fast path read the
 * value of the key it met as such; the tree walk reads the first of a
 * duplicated key (a second one may even be spelled with escapes, which
 * the scan does not see), and says what is wrong with it: the whole text
 * is parsed then.
 */
static bool key_twice(const cJSON *root, const char *key)
{
    const cJSON *c;
    int n = 0;

    for (c = root->child; c; c = c->next)
        if (c->string && strcmp(c->string, key) == 0 && ++n > 1)
            return true;
    return false;
}

/*
 * Passes 1 and 2: *root gets the tree of text (delete it in every case).
 * What the fast paths read stays in *fast, and the tree holds an empty
 * value in its place; fast is empty when the whole text was parsed.
 */
static int parse_text(const char *text, size_t len, const rpp_load_opts *o,
                      rpp_diags *diags, rpp__fast *fast, cJSON **root)
{
    const char *end = NULL;
    size_t trailing;
    unsigned line, col;
    int st;

    if ((st = rpp__scan_text(text, len, diags, o, fast)) < 0)
        return st;
    if (fast->hist_end || fast->ev_end) {
        if ((*root = parse_reduced(text, len, fast)) != NULL &&
            !key_twice(*root, "histograms") && !key_twice(*root, "events"))
            return RPP_OK;
        /* any problem: the whole text again, for exact messages */
        cJSON_Delete(*root);
        *root = NULL;
        rpp__fast_free(fast);
    }
    *root = parse_whole(text, len, &end, &trailing);
    if (!*root) {
        rpp__syntax_error(text, len,
                          end && end >= text ? (size_t)(end - text) : len,
                          diags);
        return RPP_ERR_SYNTAX;
    }
    /* cJSON stops after the first value: the rest must be white space */
    if (trailing != (size_t)-1) {
        rpp__line_col(text, len, trailing, &line, &col);
        rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                     "not valid JSON (unexpected data after the top-level "
                     "value)");
        return RPP_ERR_SYNTAX;
    }
    return RPP_OK;
}

/* ---- Pass 3 ------------------------------------------------------------ */

/* A new report from the tree of a text of len bytes and what the fast
 * paths read of it (*out, or NULL). */
static int build_report(rpp_report **out, const cJSON *root, size_t len,
                        const rpp_load_opts *o, rpp__fast *fast,
                        rpp_diags *diags)
{
    rpp__loader ld;
    rpp_report *r = calloc(1, sizeof(*r));

    if (!r || !(r->arena = rpp__arena_new())) {
        rpp_report_free(r);
        rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_NOMEM, 0, 0,
                     "out of memory");
        return RPP_ERR_NOMEM;
    }
    r->window_ms = RPP_WINDOW_MS;
    r->export_time = "";
    r->summary.image_name = r->summary.device_name = "";
    r->source_bytes = len;
    rpp__ld_init(&ld, r, o, diags, fast);
    rpp__load_root(&ld, root);
    if (ld.status != RPP_OK) {
        rpp_report_free(r);
        return ld.status;
    }
    *out = r;
    return RPP_OK;
}

/* ---- Entry points ------------------------------------------------------ */

int rpp__load_text(rpp_report **out, const char *text, size_t len,
                   char *owned, const rpp_load_opts *opts, rpp_diags *diags)
{
    rpp_load_opts o;
    rpp__fast fast;
    cJSON *root = NULL;
    int st;

    *out = NULL;
    memset(&fast, 0, sizeof(fast));
    if (!rpp__load_opts_resolve(&o, opts)) {
        st = RPP_ERR_ARG;
        goto cleanup;
    }
    if ((st = check_size_and_content(text, len, &o, diags)) < 0 ||
        (st = parse_text(text, len, &o, diags, &fast, &root)) < 0)
        goto cleanup;
    /* the tree holds everything now, except the metadata of events read
     * by the fast path, which point into the text until pass 3 */
    if (!fast.ev_end) {
        free(owned);
        owned = NULL;
    }
    st = build_report(out, root, len, &o, &fast, diags);

cleanup:
    cJSON_Delete(root);
    rpp__fast_free(&fast);
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
    return rpp__load_text(out, data ? data : "", len, NULL, opts, diags);
}
