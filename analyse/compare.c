/*
 * compare.c - two runs side by side: per phase throughput and time with the
 * change, per event type counts and time, findings that appeared or went
 * away, and a one-line verdict naming the part that changed.
 */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A phase counts as changed from this much up or down. */
#define CHANGE_THRESHOLD 0.10

static double change(double before, double after)
{
    if (!(before > 0) || !isfinite(before) || !isfinite(after))
        return NAN;
    return (after - before) / before;
}

static void *cmp_alloc(rpp_comparison *c, size_t n)
{
    void *p = rpp__arena_alloc(c->mem->arena, n ? n : 1);

    if (!p)
        c->mem->oom = true;
    else
        memset(p, 0, n ? n : 1);
    return p;
}

static char *cmp_printf(rpp_comparison *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *cmp_printf(rpp_comparison *c, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;
    char *s;

    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s = rpp__arena_strdup(c->mem->arena, b.ptr ? b.ptr : "");
    if (!s || b.oom)
        c->mem->oom = true;
    rpp__buf_free(&b);
    return s;
}

static bool same_finding(const rpp_finding *a, const rpp_finding *b)
{
    return strcmp(a->id, b->id) == 0 && a->phase == b->phase;
}

/* Findings of x with no finding of the same rule and phase in y. */
static const rpp_finding *const *only_in(rpp_comparison *c,
                                         const rpp_analysis *x,
                                         const rpp_analysis *y, size_t *n)
{
    const rpp_finding **out =
        cmp_alloc(c, x->n_findings * sizeof(const rpp_finding *));
    size_t i, j, k = 0;

    *n = 0;
    if (!out)
        return NULL;
    for (i = 0; i < x->n_findings; i++) {
        bool dup = false;
        for (j = 0; j < y->n_findings && !dup; j++)
            dup = same_finding(&x->findings[i], &y->findings[j]);
        /* one line per rule and phase, even when it fired several times */
        for (j = 0; j < k && !dup; j++)
            dup = same_finding(&x->findings[i], out[j]);
        if (!dup)
            out[k++] = &x->findings[i];
    }
    *n = k;
    return out;
}

enum dir { DIR_NONE, DIR_SLOWER, DIR_FASTER, DIR_SAME };

static enum dir direction(double ch)
{
    if (isnan(ch))
        return DIR_NONE;
    if (ch <= -CHANGE_THRESHOLD)
        return DIR_SLOWER;
    if (ch >= CHANGE_THRESHOLD)
        return DIR_FASTER;
    return DIR_SAME;
}

/* The phase that sets the pace of the run after the change: the stages
 * before it only follow it. */
static int pace_phase(const rpp_analysis *a)
{
    if (a->bottleneck.confidence < RPP_CONFIDENCE_MEDIUM)
        return -1;
    switch (a->bottleneck.kind) {
    case RPP_BOTTLENECK_DISK: return RPP_PHASE_WRITE;
    case RPP_BOTTLENECK_CPU: return RPP_PHASE_DECOMPRESS;
    case RPP_BOTTLENECK_NETWORK: return RPP_PHASE_DOWNLOAD;
    case RPP_BOTTLENECK_UNKNOWN: return -1;
    }
    return -1;
}

static void verdict(rpp_comparison *c)
{
    const rpp_phase_delta *d = c->phases;
    rpp__buf b = RPP__BUF_INIT;
    const char *why = NULL;
    enum dir dir[RPP_PHASE_COUNT];
    bool follows[RPP_PHASE_COUNT] = { false, false, false, false };
    int p, primary = pace_phase(c->after), n_same = 0, k, n_follow = 0;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        dir[p] = direction(d[p].avg_change);
        if (dir[p] == DIR_SAME)
            n_same++;
    }
    if (primary < 0 || dir[primary] == DIR_SAME || dir[primary] == DIR_NONE) {
        static const int order[] = { RPP_PHASE_WRITE, RPP_PHASE_DECOMPRESS,
                                     RPP_PHASE_DOWNLOAD, RPP_PHASE_VERIFY };
        primary = -1;
        for (k = 0; k < 4 && primary < 0; k++)
            if (dir[order[k]] == DIR_SLOWER || dir[order[k]] == DIR_FASTER)
                primary = order[k];
    }
    /* download, decompress and write run as one pipeline: the stages
     * around the one that sets the pace move with it */
    if (primary >= 0 && primary != RPP_PHASE_VERIFY)
        for (p = 0; p <= RPP_PHASE_WRITE; p++)
            if (p != primary && dir[p] == dir[primary]) {
                follows[p] = true;
                n_follow++;
            }
    if (primary >= 0) {
        rpp__buf_printf(&b, "%s %.0f %% %s", rpp_phase_name((rpp_phase)primary),
                       fabs(d[primary].avg_change) * 100,
                       dir[primary] == DIR_SLOWER ? "slower" : "faster");
        if (n_follow) {
            rpp__buf_puts(&b, " (");
            for (p = 0, k = 0; p < RPP_PHASE_COUNT; p++) {
                if (!follows[p])
                    continue;
                if (k)
                    rpp__buf_puts(&b, " and ");
                rpp__buf_puts(&b, rpp_phase_name((rpp_phase)p));
                k++;
            }
            rpp__buf_printf(&b, " follow%s it)", n_follow == 1 ? "s" : "");
        }
    }
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        if (p == primary || follows[p] ||
            (dir[p] != DIR_SLOWER && dir[p] != DIR_FASTER))
            continue;
        if (b.len)
            rpp__buf_puts(&b, ", ");
        rpp__buf_printf(&b, "%s %.0f %% %s", rpp_phase_name((rpp_phase)p),
                       fabs(d[p].avg_change) * 100,
                       dir[p] == DIR_SLOWER ? "slower" : "faster");
    }
    if (n_same) {
        if (b.len)
            rpp__buf_puts(&b, ", ");
        for (p = 0, k = 0; p < RPP_PHASE_COUNT; p++) {
            if (dir[p] != DIR_SAME)
                continue;
            if (k)
                rpp__buf_puts(&b, k + 1 == n_same ? " and " : ", ");
            rpp__buf_puts(&b, rpp_phase_name((rpp_phase)p));
            k++;
        }
        rpp__buf_puts(&b, " unchanged");
    }
    if (!b.len)
        rpp__buf_puts(&b, "no phase to compare");

    if (primary == RPP_PHASE_WRITE && dir[primary] == DIR_SLOWER)
        why = dir[RPP_PHASE_VERIFY] == DIR_SLOWER
                  ? "the card or its reader is slower, reading and writing"
                  : "the card or the write path regressed, not the network";
    else if (primary == RPP_PHASE_DECOMPRESS && dir[primary] == DIR_SLOWER)
        why = "decompression regressed (CPU or the image's compression)";
    else if (primary == RPP_PHASE_DOWNLOAD && dir[primary] == DIR_SLOWER)
        why = c->after->bottleneck.kind == RPP_BOTTLENECK_NETWORK
                  ? "the network or the server is slower"
                  : "the download is slower, but it did not hold the write "
                    "back";
    else if (primary == RPP_PHASE_VERIFY && dir[primary] == DIR_SLOWER)
        why = "reading back is slower: the card or the reader";
    else if (primary >= 0 && dir[primary] == DIR_FASTER)
        why = "an improvement";
    else if (n_same)
        why = "no phase changed by 10 % or more";
    if (why)
        rpp__buf_printf(&b, ": %s", why);
    if (c->before->bottleneck.kind != c->after->bottleneck.kind &&
        c->after->bottleneck.kind != RPP_BOTTLENECK_UNKNOWN &&
        c->before->bottleneck.kind != RPP_BOTTLENECK_UNKNOWN)
        rpp__buf_printf(&b, " (the bottleneck moved from %s to %s)",
                       rpp_bottleneck_name(c->before->bottleneck.kind),
                       rpp_bottleneck_name(c->after->bottleneck.kind));
    c->verdict = cmp_printf(c, "%s", b.ptr ? b.ptr : "");
    if (b.oom)
        c->mem->oom = true;
    rpp__buf_free(&b);
}

int rpp_compare_run(rpp_comparison **out, const rpp_analysis *before,
                    const rpp_analysis *after)
{
    rpp_comparison *c;
    rpp_type_delta *types;
    rpp__namemap by_name = { NULL, NULL, 0, 0 };
    size_t i, j, n = 0;
    int p;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!before || !after)
        return RPP_ERR_ARG;
    c = calloc(1, sizeof(*c));
    if (!c)
        return RPP_ERR_NOMEM;
    c->mem = calloc(1, sizeof(*c->mem));
    if (!c->mem || !(c->mem->arena = rpp__arena_new())) {
        rpp_compare_free(c);
        return RPP_ERR_NOMEM;
    }
    c->before = before;
    c->after = after;
    c->worst_change = 0;
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *x = &before->phases[p], *y = &after->phases[p];
        rpp_phase_delta *d = &c->phases[p];
        d->before_present = x->present;
        d->after_present = y->present;
        d->before_avg = x->avg_kbps;
        d->after_avg = y->avg_kbps;
        d->before_p5 = x->p5_kbps;
        d->after_p5 = y->p5_kbps;
        d->before_p95 = x->p95_kbps;
        d->after_p95 = y->p95_kbps;
        d->before_ms = x->active_ms;
        d->after_ms = y->active_ms;
        if (x->present && y->present) {
            d->avg_change = change(x->avg_kbps, y->avg_kbps);
            d->p5_change = change(x->p5_kbps, y->p5_kbps);
            d->p95_change = change(x->p95_kbps, y->p95_kbps);
            d->ms_change = change((double)x->active_ms, (double)y->active_ms);
        } else {
            d->avg_change = d->p5_change = d->p95_change = d->ms_change = NAN;
        }
        if (!isnan(d->avg_change) && d->avg_change < c->worst_change)
            c->worst_change = d->avg_change;
    }
    c->regression = c->worst_change <= -CHANGE_THRESHOLD;

    /* event types: the union, before's order first */
    types = cmp_alloc(c, (before->n_types + after->n_types) * sizeof(*types));
    if (!types)
        goto cleanup;
    for (i = 0; i < before->n_types; i++) {
        types[n].name = before->types[i].name;
        types[n].before_count = before->types[i].count;
        types[n].before_ms = before->types[i].total_ms;
        n++;
    }
    /* by name through a map: thousands of types on each side stay linear */
    for (i = 0; i < before->n_types; i++)
        if (rpp__namemap_put(&by_name, before->types[i].name, i, NULL) < 0)
            c->mem->oom = true;
    for (i = 0; i < after->n_types && !c->mem->oom; i++) {
        if (!rpp__namemap_get(&by_name, after->types[i].name, &j))
            types[j = n++].name = after->types[i].name;
        types[j].after_count = after->types[i].count;
        types[j].after_ms = after->types[i].total_ms;
    }
    rpp__namemap_free(&by_name);
    c->types = types;
    c->n_types = n;
    c->appeared = only_in(c, after, before, &c->n_appeared);
    c->disappeared = only_in(c, before, after, &c->n_disappeared);
    verdict(c);

cleanup:
    if (c->mem->oom) {
        rpp_compare_free(c);
        return RPP_ERR_NOMEM;
    }
    *out = c;
    return RPP_OK;
}

void rpp_compare_free(rpp_comparison *c)
{
    if (!c)
        return;
    if (c->mem) {
        rpp__arena_free(c->mem->arena);
        free(c->mem);
    }
    free(c);
}

/* ---- output ------------------------------------------------------------ */

static void pct(rpp__buf *b, double ch)
{
    if (isnan(ch))
        rpp__buf_puts(b, "n/a");
    else
        rpp__buf_printf(b, "%+.0f %%", ch * 100);
}

static void text_out(fmt_ctx *fc, const rpp_comparison *c, const char *bn,
                     const char *an, bool markdown)
{
    rpp__buf *o = fc->out;
    size_t i;
    int p;
    char t1[32], t2[32];

    if (markdown) {
        rpp__buf_puts(o, "### rpiperf compare\n\n**Before:** ");
        rpp__md_safe(o, bn ? bn : "before");
        rpp__buf_puts(o, "  \n**After:** ");
        rpp__md_safe(o, an ? an : "after");
        rpp__buf_puts(o, "\n\n**Verdict:** ");
        rpp__md_safe(o, c->verdict);
        rpp__buf_puts(o, "\n\n| phase | avg MB/s | p5 MB/s | p95 MB/s | active "
                        "time |\n|---|--:|--:|--:|--:|\n");
    } else {
        rpp__buf_puts(o, "rpiperf compare\n  before  ");
        rpp__text_safe(o, bn ? bn : "before", fc->opts.width - 12);
        rpp__buf_puts(o, "\n  after   ");
        rpp__text_safe(o, an ? an : "after", fc->opts.width - 12);
        rpp__buf_puts(o, "\n\nVerdict: ");
        rpp__buf_puts(o, c->verdict);
        rpp__buf_puts(o, "\n\nPhases (MB/s)     avg before -> after   change    p5 "
                        "change   p95 change   active time before -> after\n");
    }
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_delta *d = &c->phases[p];
        rpp__buf cell = RPP__BUF_INIT;
        if (!d->before_present && !d->after_present)
            continue;
        rpp__fmt_ms(t1, sizeof(t1), (double)d->before_ms);
        rpp__fmt_ms(t2, sizeof(t2), (double)d->after_ms);
        if (markdown) {
            rpp__buf_printf(o, "| %s | ", rpp_phase_name((rpp_phase)p));
            if (d->before_present)
                rpp__buf_printf(o, "%.1f", d->before_avg / RPP_KBPS_PER_MBPS);
            else
                rpp__buf_puts(o, "-");
            rpp__buf_puts(o, " &rarr; ");
            if (d->after_present)
                rpp__buf_printf(o, "%.1f", d->after_avg / RPP_KBPS_PER_MBPS);
            else
                rpp__buf_puts(o, "-");
            rpp__buf_puts(o, " (");
            pct(o, d->avg_change);
            rpp__buf_puts(o, ") | ");
            pct(o, d->p5_change);
            rpp__buf_puts(o, " | ");
            pct(o, d->p95_change);
            rpp__buf_printf(o, " | %s &rarr; %s |\n", d->before_present ? t1 : "-",
                           d->after_present ? t2 : "-");
        } else {
            rpp__buf_printf(o, "  %-12s %8.1f -> %-8.1f ", rpp_phase_name((rpp_phase)p),
                           d->before_avg / RPP_KBPS_PER_MBPS,
                           d->after_avg / RPP_KBPS_PER_MBPS);
            pct(&cell, d->avg_change);
            rpp__buf_printf(o, "%8s ", cell.ptr ? cell.ptr : "");
            rpp__buf_clear(&cell);
            pct(&cell, d->p5_change);
            rpp__buf_printf(o, "%9s ", cell.ptr ? cell.ptr : "");
            rpp__buf_clear(&cell);
            pct(&cell, d->p95_change);
            rpp__buf_printf(o, "%10s   %12s -> %s\n", cell.ptr ? cell.ptr : "",
                           d->before_present ? t1 : "-",
                           d->after_present ? t2 : "-");
        }
        if (cell.oom)
            o->oom = true;
        rpp__buf_free(&cell);
    }
    if (markdown)
        rpp__buf_puts(o, "\n| event type | count | total time |\n|---|--:|--:|\n");
    else
        rpp__buf_puts(o, "\nEvents               count before -> after      total "
                        "time before -> after\n");
    for (i = 0; i < c->n_types; i++) {
        const rpp_type_delta *t = &c->types[i];
        rpp__buf cell = RPP__BUF_INIT;
        rpp__fmt_ms(t1, sizeof(t1), (double)t->before_ms);
        rpp__fmt_ms(t2, sizeof(t2), (double)t->after_ms);
        if (markdown) {
            rpp__buf_puts(o, "| ");
            rpp__md_safe(o, t->name);
            rpp__buf_printf(o, " | %llu &rarr; %llu | %s &rarr; %s (",
                           (unsigned long long)t->before_count,
                           (unsigned long long)t->after_count, t1, t2);
            pct(o, change((double)t->before_ms, (double)t->after_ms));
            rpp__buf_puts(o, ") |\n");
        } else {
            rpp__buf_puts(o, "  ");
            rpp__text_safe(&cell, t->name, 24);
            rpp__buf_printf(o, "%-24s %6llu -> %-6llu %12s -> %-12s ",
                           cell.ptr ? cell.ptr : "",
                           (unsigned long long)t->before_count,
                           (unsigned long long)t->after_count, t1, t2);
            rpp__buf_clear(&cell);
            pct(&cell, change((double)t->before_ms, (double)t->after_ms));
            rpp__buf_printf(o, "%s\n", cell.ptr ? cell.ptr : "");
        }
        if (cell.oom)
            o->oom = true;
        rpp__buf_free(&cell);
    }
    rpp__buf_puts(o, markdown ? "\n**Findings that appeared:**\n\n"
                             : "\nFindings that appeared\n");
    if (!c->n_appeared)
        rpp__buf_puts(o, markdown ? "- none\n" : "  none\n");
    for (i = 0; i < c->n_appeared; i++) {
        const rpp_finding *f = c->appeared[i];
        rpp__buf_printf(o, markdown ? "- %s `%s`: " : "  + %-8s %s: ",
                       rpp_level_name(f->level), f->id);
        if (markdown)
            rpp__md_safe(o, rpp__fmt_text(fc, f->message));
        else
            rpp__text_safe(o, rpp__fmt_text(fc, f->message), 200);
        rpp__buf_putc(o, '\n');
    }
    rpp__buf_puts(o, markdown ? "\n**Findings that went away:**\n\n"
                             : "\nFindings that went away\n");
    if (!c->n_disappeared)
        rpp__buf_puts(o, markdown ? "- none\n" : "  none\n");
    for (i = 0; i < c->n_disappeared; i++) {
        const rpp_finding *f = c->disappeared[i];
        rpp__buf_printf(o, markdown ? "- %s `%s`: " : "  - %-8s %s: ",
                       rpp_level_name(f->level), f->id);
        if (markdown)
            rpp__md_safe(o, rpp__fmt_text(fc, f->message));
        else
            rpp__text_safe(o, rpp__fmt_text(fc, f->message), 200);
        rpp__buf_putc(o, '\n');
    }
}

static void json_side(fmt_ctx *fc, const rpp_analysis *a, const char *name)
{
    rpp__jw *w = &fc->jw;
    const rpp_report *r = a->report;

    rpp__jw_obj(w);
    rpp__jw_key(w, "file");
    rpp__jw_str(w, name);
    rpp__jw_key(w, "version");
    rpp__jw_int(w, r->version);
    rpp__jw_key(w, "image");
    rpp__jw_str(w, rpp__fmt_name(fc, "image", r->summary.image_name));
    rpp__jw_key(w, "device");
    rpp__jw_str(w, rpp__fmt_name(fc, "device", r->summary.device_name));
    rpp__jw_key(w, "state");
    rpp__jw_str(w, rpp_session_state_name(a->session.state));
    rpp__jw_key(w, "bottleneck");
    rpp__jw_str(w, rpp_bottleneck_name(a->bottleneck.kind));
    rpp__jw_obj_end(w);
}

static void json_num_or_null(rpp__jw *w, bool present, double v)
{
    if (present)
        rpp__jw_num(w, v);
    else
        rpp__jw_null(w);
}

static void json_findings(fmt_ctx *fc, const rpp_finding *const *f, size_t n)
{
    rpp__jw *w = &fc->jw;
    size_t i;

    rpp__jw_arr(w);
    for (i = 0; i < n; i++) {
        rpp__jw_obj(w);
        rpp__jw_key(w, "id");
        rpp__jw_str(w, f[i]->id);
        rpp__jw_key(w, "severity");
        rpp__jw_str(w, rpp_level_name(f[i]->level));
        rpp__jw_key(w, "message");
        rpp__jw_str(w, rpp__fmt_text(fc, f[i]->message));
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
}

static void json_out(fmt_ctx *fc, const rpp_comparison *c, const char *bn,
                     const char *an)
{
    rpp__jw *w = &fc->jw;
    size_t i;
    int p;

    rpp__jw_init(w, fc->out, 2);
    rpp__jw_obj(w);
    rpp__jw_key(w, "tool");
    rpp__jw_obj(w);
    rpp__jw_key(w, "name");
    rpp__jw_str(w, "rpiperf");
    rpp__jw_key(w, "version");
    rpp__jw_str(w, fc->opts.tool_version ? fc->opts.tool_version
                                        : RPP_VERSION_STRING);
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "before");
    json_side(fc, c->before, bn);
    rpp__jw_key(w, "after");
    json_side(fc, c->after, an);
    rpp__jw_key(w, "verdict");
    rpp__jw_str(w, c->verdict);
    rpp__jw_key(w, "regression");
    rpp__jw_bool(w, c->regression);
    rpp__jw_key(w, "phases");
    rpp__jw_obj(w);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_delta *d = &c->phases[p];
        rpp__jw_key(w, rpp_phase_name((rpp_phase)p));
        if (!d->before_present && !d->after_present) {
            rpp__jw_null(w);
            continue;
        }
        rpp__jw_obj(w);
        rpp__jw_key(w, "before");
        rpp__jw_obj(w);
        rpp__jw_key(w, "avgMBps");
        json_num_or_null(w, d->before_present, kbps_to_mbps2(d->before_avg));
        rpp__jw_key(w, "p5MBps");
        json_num_or_null(w, d->before_present, kbps_to_mbps2(d->before_p5));
        rpp__jw_key(w, "p95MBps");
        json_num_or_null(w, d->before_present, kbps_to_mbps2(d->before_p95));
        rpp__jw_key(w, "activeMs");
        json_num_or_null(w, d->before_present, (double)d->before_ms);
        rpp__jw_obj_end(w);
        rpp__jw_key(w, "after");
        rpp__jw_obj(w);
        rpp__jw_key(w, "avgMBps");
        json_num_or_null(w, d->after_present, kbps_to_mbps2(d->after_avg));
        rpp__jw_key(w, "p5MBps");
        json_num_or_null(w, d->after_present, kbps_to_mbps2(d->after_p5));
        rpp__jw_key(w, "p95MBps");
        json_num_or_null(w, d->after_present, kbps_to_mbps2(d->after_p95));
        rpp__jw_key(w, "activeMs");
        json_num_or_null(w, d->after_present, (double)d->after_ms);
        rpp__jw_obj_end(w);
        rpp__jw_key(w, "change");
        rpp__jw_obj(w);
        rpp__jw_key(w, "avg");
        rpp__jw_num(w, round4(d->avg_change));
        rpp__jw_key(w, "p5");
        rpp__jw_num(w, round4(d->p5_change));
        rpp__jw_key(w, "p95");
        rpp__jw_num(w, round4(d->p95_change));
        rpp__jw_key(w, "activeMs");
        rpp__jw_num(w, round4(d->ms_change));
        rpp__jw_obj_end(w);
        rpp__jw_obj_end(w);
    }
    rpp__jw_obj_end(w);
    rpp__jw_key(w, "events");
    rpp__jw_arr(w);
    for (i = 0; i < c->n_types; i++) {
        const rpp_type_delta *t = &c->types[i];
        rpp__jw_obj(w);
        rpp__jw_key(w, "type");
        rpp__jw_str(w, t->name);
        rpp__jw_key(w, "beforeCount");
        rpp__jw_uint(w, t->before_count);
        rpp__jw_key(w, "afterCount");
        rpp__jw_uint(w, t->after_count);
        rpp__jw_key(w, "beforeTotalMs");
        rpp__jw_uint(w, t->before_ms);
        rpp__jw_key(w, "afterTotalMs");
        rpp__jw_uint(w, t->after_ms);
        rpp__jw_obj_end(w);
    }
    rpp__jw_arr_end(w);
    rpp__jw_key(w, "findings");
    rpp__jw_obj(w);
    rpp__jw_key(w, "appeared");
    json_findings(fc, c->appeared, c->n_appeared);
    rpp__jw_key(w, "disappeared");
    json_findings(fc, c->disappeared, c->n_disappeared);
    rpp__jw_obj_end(w);
    rpp__jw_obj_end(w);
    rpp__buf_putc(fc->out, '\n');
}

int rpp_compare_format(const rpp_comparison *c, rpp_format fmt,
                       const rpp_format_opts *opts, const char *before_name,
                       const char *after_name, char **out, size_t *len)
{
    rpp__buf b = RPP__BUF_INIT;
    fmt_ctx fc;
    int st = RPP_OK;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (len)
        *len = 0;
    if (!c || (opts && opts->version > RPP_FORMAT_OPTS_VERSION))
        return RPP_ERR_ARG;
    memset(&fc, 0, sizeof(fc));
    if (opts)
        fc.opts = *opts;
    if (fc.opts.width < 60)
        fc.opts.width = 100;
    fc.out = &b;
    if (fc.opts.redact && rpp_redactor_new(&fc.rd) != RPP_OK)
        return RPP_ERR_NOMEM;
    switch (fmt) {
    case RPP_FORMAT_JSON: json_out(&fc, c, before_name, after_name); break;
    case RPP_FORMAT_TEXT: text_out(&fc, c, before_name, after_name, false); break;
    case RPP_FORMAT_MARKDOWN:
        text_out(&fc, c, before_name, after_name, true);
        break;
    default: st = RPP_ERR_ARG; break;
    }
    rpp_redactor_free(fc.rd);
    if (st == RPP_OK && (b.oom || fc.oom))
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp__buf_free(&b);
        return st;
    }
    if (len)
        *len = b.len;
    *out = rpp__buf_detach(&b);
    return *out ? RPP_OK : RPP_ERR_NOMEM;
}
