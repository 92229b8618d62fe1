/*
 * load_walk.c - the checked walk over a parsed report: the state of a
 * walk, the problems it finds (each with the JSON path of its value, such
 * as $.histograms.write[5]), typed reads of values (non-negative integers
 * that a double holds exactly, booleans, strings within the size limit)
 * and the collection of an object's keys (duplicates refused, unknown keys
 * warned about). What each section of a report holds is in load_tree.c.
 */
#include "load_internal.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- The walk and its problems ----------------------------------------- */

void rpp__ld_init(rpp__loader *ld, rpp_report *r, const rpp_load_opts *opts,
                  rpp_diags *diags, rpp__fast *fast)
{
    memset(ld, 0, sizeof(*ld));
    ld->r = r;
    ld->opts = *opts;
    ld->diags = diags;
    ld->fast = fast;
    strcpy(ld->path, "$");
    ld->path_len = 1;
}

static void set_status(rpp__loader *ld, int code)
{
    if (ld->status == RPP_OK || code == RPP_ERR_NOMEM)
        ld->status = code;
}

void rpp__ld_problem(rpp__loader *ld, rpp_severity sev, int code,
                     const char *fmt, ...)
{
    va_list ap;

    if (sev == RPP_SEV_ERROR)
        set_status(ld, code);
    va_start(ap, fmt);
    rpp__diag_vadd(ld->diags, sev, code, ld->path, 0, 0, fmt, ap);
    va_end(ap);
}

/* ---- JSON path --------------------------------------------------------- */

/* Counts the n bytes snprintf appended to the path (room was left): when
 * they did not fit, the path ends at its buffer. Returns saved. */
static size_t path_grown(rpp__loader *ld, int n, size_t room, size_t saved)
{
    if (n < 0 || (size_t)n >= room)
        ld->path_len = sizeof(ld->path) - 1;
    else
        ld->path_len += (size_t)n;
    return saved;
}

size_t rpp__ld_push_key(rpp__loader *ld, const char *key)
{
    size_t saved = ld->path_len, room = sizeof(ld->path) - ld->path_len;
    bool ident = (key[0] >= 'a' && key[0] <= 'z') ||
                 (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_';
    const char *k;
    int n;

    for (k = key; ident && *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
              (*k >= '0' && *k <= '9') || *k == '_'))
            ident = false;
    if (ident) {
        n = snprintf(ld->path + ld->path_len, room, ".%s", key);
    } else {
        /* odd keys are quoted, with anything unprintable replaced */
        rpp__buf b = RPP__BUF_INIT;
        rpp__json_str(&b, key, true);
        n = snprintf(ld->path + ld->path_len, room, "[%s]",
                     b.ptr ? b.ptr : "\"\"");
        rpp__buf_free(&b);
    }
    return path_grown(ld, n, room, saved);
}

size_t rpp__ld_push_index(rpp__loader *ld, size_t i)
{
    size_t saved = ld->path_len, room = sizeof(ld->path) - ld->path_len;
    int n = snprintf(ld->path + ld->path_len, room, "[%zu]", i);

    return path_grown(ld, n, room, saved);
}

void rpp__ld_pop(rpp__loader *ld, size_t saved)
{
    ld->path_len = saved;
    ld->path[saved] = '\0';
}

/* ---- Typed reads ------------------------------------------------------- */

const char *rpp__json_type_name(const cJSON *it)
{
    switch (it->type & 0xff) {
    case cJSON_False:
    case cJSON_True: return "a boolean";
    case cJSON_NULL: return "null";
    case cJSON_Number: return "a number";
    case cJSON_String: return "a string";
    case cJSON_Array: return "an array";
    case cJSON_Object: return "an object";
    default: return "an unknown value";
    }
}

void rpp__ld_bad_number(rpp__loader *ld, const cJSON *it, const char *what)
{
    double d;

    if (!(it->type & cJSON_Number)) {
        RPP__LD_ERR(ld, "expected %s, got %s", what,
                    rpp__json_type_name(it));
        return;
    }
    d = it->valuedouble;
    if (isinf(d) || isnan(d))
        RPP__LD_ERR(ld, "number out of range (not finite)");
    else if (d < 0)
        RPP__LD_ERR(ld, "expected %s, got negative %.17g", what, d);
    else if (d > RPP__MAX_EXACT)
        RPP__LD_ERR(ld, "number %.17g out of range (above 2^53)", d);
    else
        RPP__LD_ERR(ld, "expected %s, got fraction %.17g", what, d);
}

bool rpp__ld_u53(rpp__loader *ld, const cJSON *it, const char *key,
                 uint64_t *out)
{
    size_t saved;

    if (rpp__is_u53(it, out))
        return true;
    saved = rpp__ld_push_key(ld, key);
    rpp__ld_bad_number(ld, it, "a non-negative integer");
    rpp__ld_pop(ld, saved);
    return false;
}

bool rpp__ld_bool(rpp__loader *ld, const cJSON *it, const char *key,
                  bool *out)
{
    size_t saved;

    if (cJSON_IsBool(it)) {
        *out = cJSON_IsTrue(it);
        return true;
    }
    saved = rpp__ld_push_key(ld, key);
    RPP__LD_ERR(ld, "expected a boolean, got %s", rpp__json_type_name(it));
    rpp__ld_pop(ld, saved);
    return false;
}

const char *rpp__ld_str(rpp__loader *ld, const cJSON *it, const char *key)
{
    size_t saved, n;
    const char *s;

    if (!cJSON_IsString(it) || !it->valuestring) {
        saved = rpp__ld_push_key(ld, key);
        RPP__LD_ERR(ld, "expected a string, got %s",
                    rpp__json_type_name(it));
        rpp__ld_pop(ld, saved);
        return NULL;
    }
    n = strlen(it->valuestring);
    if (n > ld->opts.max_string) {
        saved = rpp__ld_push_key(ld, key);
        rpp__ld_problem(ld, RPP_SEV_ERROR, RPP_ERR_LIMIT,
                        "string of %zu bytes is longer than the limit of %zu",
                        n, ld->opts.max_string);
        rpp__ld_pop(ld, saved);
        return NULL;
    }
    s = rpp__arena_strndup(ld->r->arena, it->valuestring, n);
    if (!s)
        RPP__LD_NOMEM(ld);
    return s;
}

/* ---- Objects ----------------------------------------------------------- */

static int field_index(const rpp__fields *fs, const char *key)
{
    size_t i;

    for (i = 0; i < fs->n; i++)
        if (strcmp(fs->names[i], key) == 0)
            return (int)i;
    return -1;
}

bool rpp__ld_collect(rpp__loader *ld, const cJSON *obj,
                     const rpp__fields *fs, const cJSON **slots)
{
    const cJSON *c;
    size_t i, saved;
    int idx;

    for (i = 0; i < fs->n; i++)
        slots[i] = NULL;
    if (!cJSON_IsObject(obj)) {
        RPP__LD_ERR(ld, "expected an object, got %s",
                    rpp__json_type_name(obj));
        return false;
    }
    for (c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        idx = field_index(fs, key);
        if (idx < 0) {
            saved = rpp__ld_push_key(ld, key);
            RPP__LD_WARN(ld, "unknown key; ignored");
            rpp__ld_pop(ld, saved);
        } else if (slots[idx]) {
            saved = rpp__ld_push_key(ld, key);
            RPP__LD_ERR(ld, "duplicate key");
            rpp__ld_pop(ld, saved);
        } else {
            slots[idx] = c;
        }
    }
    return true;
}

void rpp__ld_missing(rpp__loader *ld, const char *key)
{
    RPP__LD_ERR(ld, "missing \"%s\"", key);
}

void rpp__ld_unknown_type(rpp__loader *ld, const char *name)
{
    size_t i;

    for (i = 0; i < ld->n_unknown; i++)
        if (strcmp(ld->unknown[i], name) == 0)
            return;
    if (ld->n_unknown < RPP__MAX_UNKNOWN_NAMES)
        ld->unknown[ld->n_unknown++] = name;
    RPP__LD_WARN(ld, "unknown event type; kept as is (further events of "
                     "this type are not reported)");
}

