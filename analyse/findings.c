/*
 * findings.c - owns the building of findings: a message, the likely
 * cause, evidence values and spans of time, all in the analysis' arena,
 * each bounded so that a hostile report keeps its findings readable.
 */
#include "rules.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char *vformat(rpp_analysis *a, const char *fmt, va_list ap)
{
    rpp__buf buf = RPP__BUF_INIT;
    char *s;

    rpp__buf_vprintf(&buf, fmt, ap);
    if (buf.oom)
        a->mem->oom = true;
    s = rpp__an_strdup(a, buf.ptr ? buf.ptr : "");
    rpp__buf_free(&buf);
    return s;
}

void rpp__fb_begin(rpp__fb *b, rpp__rule_ctx *c, int phase, const char *fmt,
                   ...)
{
    va_list ap;

    memset(b, 0, sizeof(*b));
    b->c = c;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        rpp_finding *nf = rpp__an_calloc(c->a, ncap, sizeof(*nf));
        if (!nf)
            return;
        if (c->n)
            memcpy(nf, c->findings, c->n * sizeof(*nf));
        c->findings = nf;
        c->cap = ncap;
    }
    b->f = &c->findings[c->n++];
    memset(b->f, 0, sizeof(*b->f));
    b->f->id = c->def->id;
    b->f->level = c->level;
    b->f->cause = c->def->cause;
    b->f->phase = phase;
    va_start(ap, fmt);
    b->f->message = vformat(c->a, fmt, ap);
    va_end(ap);
    if (b->f->message && !*b->f->message)
        b->f->message = c->def->symptom;
}

void rpp__fb_cause(rpp__fb *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (!b->f)
        return;
    va_start(ap, fmt);
    s = vformat(b->c->a, fmt, ap);
    va_end(ap);
    if (s && *s)
        b->f->cause = s;
}

static rpp_value *fb_value(rpp__fb *b, const char *key)
{
    if (!b->f || b->n_ev >= RPP__MAX_EVIDENCE)
        return NULL;
    if (b->n_ev == b->cap_ev) {
        size_t ncap = b->cap_ev ? b->cap_ev * 2 : 8;
        rpp_value *nv = rpp__an_calloc(b->c->a, ncap, sizeof(*nv));
        if (!nv)
            return NULL;
        if (b->n_ev)
            memcpy(nv, b->ev, b->n_ev * sizeof(*nv));
        b->ev = nv;
        b->cap_ev = ncap;
    }
    b->ev[b->n_ev].key = key;
    b->f->evidence = b->ev;
    b->f->n_evidence = ++b->n_ev;
    return &b->ev[b->n_ev - 1];
}

void rpp__fb_int(rpp__fb *b, const char *key, int64_t v)
{
    rpp_value *x = fb_value(b, key);

    if (x) {
        x->kind = RPP_VALUE_INT;
        x->i = v;
    }
}

/* Counts and times: saturated sums stay below 2^62 (internal.h), but a
 * value from elsewhere must not turn negative either. */
void rpp__fb_uint(rpp__fb *b, const char *key, uint64_t v)
{
    rpp__fb_int(b, key, v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v);
}

uint64_t rpp__ms_of(double v)
{
    if (!(v > 0))
        return 0;
    return v >= 9.2e18 ? (uint64_t)INT64_MAX : (uint64_t)v;
}

/* What rpp__fb_num keeps of a number. */
static double evidence_precision(double v)
{
    return isfinite(v) ? round(v * 100) / 100 : 0;
}

void rpp__fb_num(rpp__fb *b, const char *key, double v)
{
    rpp_value *x = fb_value(b, key);

    if (x) {
        x->kind = RPP_VALUE_NUM;
        /* two decimals are plenty for every figure a finding carries */
        x->d = evidence_precision(v);
    }
}

const char *rpp__fb_rate(rpp__rule_ctx *c, double mbps)
{
    rpp_value v;
    char buf[48];

    memset(&v, 0, sizeof(v));
    v.kind = RPP_VALUE_NUM;
    v.key = "rate_mbps";
    v.d = evidence_precision(mbps);
    rpp_human_value(buf, sizeof(buf), &v);
    return rpp__an_strdup(c->a, buf);
}

void rpp__fb_str(rpp__fb *b, const char *key, const char *v)
{
    rpp_value *x = fb_value(b, key);

    if (x) {
        x->kind = RPP_VALUE_STR;
        x->s = rpp__an_strdup(b->c->a, v ? v : "");
    }
}

void rpp__fb_bool(rpp__fb *b, const char *key, bool v)
{
    rpp_value *x = fb_value(b, key);

    if (x) {
        x->kind = RPP_VALUE_BOOL;
        x->i = v;
    }
}

void rpp__fb_span(rpp__fb *b, uint64_t s, uint64_t e)
{
    if (!b->f || b->n_sp >= RPP__MAX_SPANS)
        return;
    if (b->n_sp == b->cap_sp) {
        size_t ncap = b->cap_sp ? b->cap_sp * 2 : 8;
        rpp_span *ns = rpp__an_calloc(b->c->a, ncap, sizeof(*ns));
        if (!ns)
            return;
        if (b->n_sp)
            memcpy(ns, b->sp, b->n_sp * sizeof(*ns));
        b->sp = ns;
        b->cap_sp = ncap;
    }
    b->sp[b->n_sp].start_ms = s;
    b->sp[b->n_sp].end_ms = e;
    b->f->spans = b->sp;
    b->f->n_spans = ++b->n_sp;
}

bool rpp__fb_into_rest(rpp__rule_ctx *c, size_t *shown, size_t *rest,
                       rpp__fb *more, uint64_t start, uint64_t end)
{
    if (*shown < RPP__MAX_PER_EVENT) {
        (*shown)++;
        return false;
    }
    if (!(*rest)++)
        rpp__fb_begin(more, c, -1, "%s", "");
    rpp__fb_span(more, start, end);
    return true;
}

void rpp__fb_rest_end(rpp__fb *more, size_t rest, const char *fmt, ...)
{
    va_list ap;

    if (!rest || !more->f)
        return;
    va_start(ap, fmt);
    more->f->message = vformat(more->c->a, fmt, ap);
    va_end(ap);
    rpp__fb_uint(more, "count", rest);
}
