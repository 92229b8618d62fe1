/*
 * rules_config.c - owns the configuration of the rules: the rpp_rules
 * object (a level and the parameters of each row of the table), the
 * assignments of --set ("RULE.PARAM = VALUE", "RULE = LEVEL") and of rules
 * files, and the view of the table for help texts.
 */
#include "rules.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rpp_rules {
    size_t n;
    rpp_level *level;
    double (*param)[RPP__MAX_PARAMS];
};

const char *rpp_level_name(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_OFF: return "off";
    case RPP_LEVEL_INFO: return "info";
    case RPP_LEVEL_WARNING: return "warning";
    case RPP_LEVEL_ERROR: return "error";
    }
    return "off";
}

bool rpp_level_parse(const char *s, rpp_level *out)
{
    static const rpp_level all[] = { RPP_LEVEL_OFF, RPP_LEVEL_INFO,
                                     RPP_LEVEL_WARNING, RPP_LEVEL_ERROR };
    size_t i;

    for (i = 0; s && i < 4; i++)
        if (strcmp(s, rpp_level_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

int rpp_rules_new(rpp_rules **out)
{
    const rpp__rule_def *t;
    rpp_rules *r;
    size_t n, i, k;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    t = rpp__rule_table(&n);
    r = calloc(1, sizeof(*r));
    if (!r)
        return RPP_ERR_NOMEM;
    r->n = n;
    r->level = calloc(n, sizeof(*r->level));
    r->param = calloc(n, sizeof(*r->param));
    if (!r->level || !r->param) {
        rpp_rules_free(r);
        return RPP_ERR_NOMEM;
    }
    for (i = 0; i < n; i++) {
        r->level[i] = t[i].level;
        for (k = 0; k < RPP__MAX_PARAMS; k++)
            r->param[i][k] = t[i].param_defaults[k];
    }
    *out = r;
    return RPP_OK;
}

void rpp_rules_free(rpp_rules *rules)
{
    if (!rules)
        return;
    free(rules->level);
    free(rules->param);
    free(rules);
}

rpp_level rpp__rules_level(const rpp_rules *rules, size_t i)
{
    size_t n;
    const rpp__rule_def *t = rpp__rule_table(&n);

    return rules ? rules->level[i] : t[i].level;
}

const double *rpp__rules_params(const rpp_rules *rules, size_t i)
{
    size_t n;
    const rpp__rule_def *t = rpp__rule_table(&n);

    return rules ? rules->param[i] : t[i].param_defaults;
}

double rpp__setting(const rpp_analysis *a, const char *id, const char *param)
{
    size_t n, i, k;
    const rpp__rule_def *t = rpp__rule_table(&n);

    for (i = 0; i < n; i++) {
        if (strcmp(t[i].id, id) != 0)
            continue;
        for (k = 0; k < t[i].n_params; k++)
            if (strcmp(t[i].param_names[k], param) == 0)
                return rpp__rules_params(a->mem->rules, i)[k];
    }
    return 0;
}

bool rpp_rule_get(size_t index, rpp_rule_info *out)
{
    size_t n;
    const rpp__rule_def *t = rpp__rule_table(&n), *d;

    if (index >= n || !out)
        return false;
    d = &t[index];
    out->id = d->id;
    out->default_level = d->level;
    out->symptom = d->symptom;
    out->cause = d->cause;
    out->n_params = d->n_params;
    out->param_names = d->param_names;
    out->param_defaults = d->param_defaults;
    out->param_help = d->param_help;
    out->settings = d->settings;
    return true;
}

/* ---- assignments ---------------------------------------------------------- */

static void set_err(rpp_error *err, int code, unsigned line, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void set_err(rpp_error *err, int code, unsigned line, const char *fmt,
                    ...)
{
    va_list ap;

    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->code = code;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

/* Spaces and tabs off both ends, in place. */
static char *trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* "a, b, c" of a row's parameter names, into out. */
static void param_list(const rpp__rule_def *d, char *out, size_t n)
{
    size_t k, len = 0;

    out[0] = '\0';
    for (k = 0; k < d->n_params && len < n; k++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", k ? ", " : "",
                                d->param_names[k]);
}

/* Applies "RULE.PARAM = VALUE" or "RULE = LEVEL" given as a NUL-terminated
 * copy; line is for messages (0 = not from a file). */
static int apply(rpp_rules *rules, char *s, unsigned line, rpp_error *err)
{
    size_t n, i, k;
    const rpp__rule_def *t = rpp__rule_table(&n);
    char *eq = strchr(s, '='), *lhs, *rhs, *dot, *end, names[160];
    double v;

    if (!eq) {
        set_err(err, RPP_ERR_ARG, line,
                "expected RULE.PARAM = VALUE or RULE = off|info|warning|error");
        return RPP_ERR_ARG;
    }
    *eq = '\0';
    lhs = trim(s);
    rhs = trim(eq + 1);
    dot = strchr(lhs, '.');
    if (dot)
        *dot = '\0';
    for (i = 0; i < n; i++)
        if (strcmp(t[i].id, lhs) == 0)
            break;
    if (i == n) {
        set_err(err, RPP_ERR_NOT_FOUND, line, "unknown rule \"%.60s\"", lhs);
        return RPP_ERR_NOT_FOUND;
    }
    if (!dot) {
        rpp_level l;
        if (t[i].settings) {
            set_err(err, RPP_ERR_ARG, line,
                    "%s is a group of settings, not a rule: it has no level "
                    "(set %s.PARAM = VALUE)",
                    t[i].id, t[i].id);
            return RPP_ERR_ARG;
        }
        if (!rpp_level_parse(rhs, &l)) {
            set_err(err, RPP_ERR_ARG, line,
                    "%s: expected off, info, warning or error, got \"%.40s\"",
                    t[i].id, rhs);
            return RPP_ERR_ARG;
        }
        rules->level[i] = l;
        return RPP_OK;
    }
    for (k = 0; k < t[i].n_params; k++)
        if (strcmp(t[i].param_names[k], dot + 1) == 0)
            break;
    if (k == t[i].n_params) {
        param_list(&t[i], names, sizeof(names));
        if (t[i].n_params == 0)
            set_err(err, RPP_ERR_NOT_FOUND, line, "rule %s has no parameters",
                    t[i].id);
        else
            set_err(err, RPP_ERR_NOT_FOUND, line,
                    "%s has no parameter \"%.40s\" (it has: %s)", t[i].id,
                    dot + 1, names);
        return RPP_ERR_NOT_FOUND;
    }
    v = strtod(rhs, &end);
    if (!*rhs || *end || !isfinite(v) || v < 0) {
        set_err(err, RPP_ERR_ARG, line,
                "%s.%s: expected a non-negative number, got \"%.40s\"",
                t[i].id, t[i].param_names[k], rhs);
        return RPP_ERR_ARG;
    }
    rules->param[i][k] = v;
    return RPP_OK;
}

int rpp_rules_set(rpp_rules *rules, const char *assignment, rpp_error *err)
{
    char *copy;
    int st;

    if (!rules || !assignment) {
        set_err(err, RPP_ERR_ARG, 0, "no assignment");
        return RPP_ERR_ARG;
    }
    copy = strdup(assignment);
    if (!copy) {
        set_err(err, RPP_ERR_NOMEM, 0, "out of memory");
        return RPP_ERR_NOMEM;
    }
    st = apply(rules, copy, 0, err);
    free(copy);
    return st;
}

int rpp_rules_parse(rpp_rules *rules, const char *text, size_t len,
                    rpp_error *err)
{
    size_t pos = 0;
    unsigned line = 0;
    int st;

    if (!rules || (!text && len)) {
        set_err(err, RPP_ERR_ARG, 0, "no rules text");
        return RPP_ERR_ARG;
    }
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        char buf[512], *p, *hash;

        line++;
        if (n >= sizeof(buf)) {
            set_err(err, RPP_ERR_ARG, line, "line too long");
            return RPP_ERR_ARG;
        }
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos += n + (nl ? 1 : 0);
        if (memchr(buf, '\0', n)) {
            set_err(err, RPP_ERR_ARG, line, "NUL byte in the line");
            return RPP_ERR_ARG;
        }
        hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        p = trim(buf);
        if (!*p)
            continue;
        st = apply(rules, p, line, err);
        if (st != RPP_OK)
            return st;
    }
    return RPP_OK;
}
