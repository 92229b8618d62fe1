/*
 * format_md.c - the analysis as GitHub-flavoured markdown, ready to paste
 * into an issue comment: summary, findings, bottleneck, tables, and the
 * full event list in a collapsible block. Report strings are escaped so
 * they can neither format, link, mention nor inject HTML.
 */
#include "format.h"

#include <stdio.h>
#include <string.h>

/* Escaped report text. */
static void md(fmt_ctx *fc, const char *s)
{
    rpp__md_safe(fc->out, rpp__fmt_text(fc, s));
}

static void md_name(fmt_ctx *fc, const char *kind, const char *s)
{
    rpp__md_safe(fc->out, rpp__fmt_name(fc, kind, s));
}

static const char *level_badge(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_ERROR: return "**error**";
    case RPP_LEVEL_WARNING: return "**warning**";
    case RPP_LEVEL_INFO: return "info";
    case RPP_LEVEL_OFF: return "";
    }
    return "";
}

static void value(fmt_ctx *fc, const rpp_value *v)
{
    switch (v->kind) {
    case RPP_VALUE_INT: rpp__buf_printf(fc->out, "%lld", (long long)v->i); break;
    case RPP_VALUE_NUM: rpp__buf_printf(fc->out, "%.2f", v->d); break;
    case RPP_VALUE_BOOL: rpp__buf_puts(fc->out, v->i ? "true" : "false"); break;
    case RPP_VALUE_STR: md(fc, v->s); break;
    }
}

static void header(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    char buf[32];

    rpp__buf_puts(fc->out, "### rpiperf analysis");
    if (fc->opts.file_name) {
        rpp__buf_puts(fc->out, " of ");
        rpp__md_safe(fc->out, fc->opts.file_name);
    }
    rpp__buf_puts(fc->out, "\n\n| | |\n|---|---|\n| Image | ");
    md_name(fc, "image", r->summary.image_name[0] ? r->summary.image_name
                                                 : "(none)");
    if (r->summary.image_size) {
        rpp__fmt_bytes(buf, sizeof(buf), (double)r->summary.image_size);
        rpp__buf_printf(fc->out, " (%s)", buf);
    }
    rpp__buf_puts(fc->out, " |\n| Device | ");
    md_name(fc, "device", r->summary.device_name[0] ? r->summary.device_name
                                                   : "(none)");
    rpp__buf_puts(fc->out, " |\n| Result | ");
    md(fc, a->session.result);
    if (a->session.state_inferred &&
        a->session.state != RPP_STATE_NEVER_STARTED)
        rpp__buf_puts(fc->out, " (inferred)");
    rpp__buf_puts(fc->out, " |\n");
    if (a->session.state != RPP_STATE_NEVER_STARTED) {
        rpp__fmt_ms(buf, sizeof(buf), (double)a->session.wall_ms);
        rpp__buf_printf(fc->out, "| Duration | %s", buf);
        if (a->n_cycles > 1)
            rpp__buf_printf(fc->out, " over %zu imaging cycles", a->n_cycles);
        rpp__buf_puts(fc->out, " |\n");
    }
    rpp__buf_printf(fc->out, "| Report | version %d", r->version);
    if (r->export_time[0]) {
        rpp__buf_puts(fc->out, ", exported ");
        md(fc, r->export_time);
    }
    rpp__buf_puts(fc->out, " |\n");
    if (r->system.present) {
        const rpp_system *s = &r->system;
        rpp__buf_puts(fc->out, "| System | ");
        md(fc, s->platform.os);
        rpp__buf_putc(fc->out, ' ');
        md(fc, s->platform.os_version);
        rpp__buf_puts(fc->out, ", ");
        md(fc, s->platform.cpu_architecture);
        rpp__buf_printf(fc->out, ", %llu cores, %llu MB RAM, Imager ",
                       (unsigned long long)s->platform.cpu_cores,
                       (unsigned long long)s->memory.total_mb);
        md(fc, s->imager.version);
        rpp__buf_puts(fc->out, " |\n");
    }
    if (a->session.note) {
        rpp__buf_puts(fc->out, "\n> ");
        rpp__buf_puts(fc->out, a->session.note);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void findings(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    size_t i, k;

    rpp__buf_puts(fc->out, "\n#### Findings\n\n");
    if (!a->n_findings) {
        rpp__buf_puts(fc->out, "None: nothing unusual in this report.\n");
        return;
    }
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        rpp__buf_printf(fc->out, "- %s `%s`: ", level_badge(f->level), f->id);
        md(fc, f->message);
        rpp__buf_puts(fc->out, "  \n  *Likely cause:* ");
        md(fc, f->cause);
        if (f->n_evidence) {
            rpp__buf_puts(fc->out, "  \n  *Evidence:* ");
            for (k = 0; k < f->n_evidence && k < 12; k++) {
                if (k)
                    rpp__buf_puts(fc->out, ", ");
                md(fc, f->evidence[k].key);
                rpp__buf_puts(fc->out, " = ");
                value(fc, &f->evidence[k]);
            }
        }
        rpp__buf_putc(fc->out, '\n');
    }
}

static void bottleneck(fmt_ctx *fc)
{
    const rpp_bottleneck *b = &fc->a->bottleneck;
    size_t i;

    if (!fc->a->phases[RPP_PHASE_WRITE].present &&
        b->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    rpp__buf_printf(fc->out, "\n#### Bottleneck: %s",
                   rpp_bottleneck_name(b->kind));
    if (b->kind != RPP_BOTTLENECK_UNKNOWN)
        rpp__buf_printf(fc->out, " (%s confidence)",
                       rpp_confidence_name(b->confidence));
    rpp__buf_printf(fc->out, "\n\n%s\n", b->summary);
    for (i = 0; i < b->n_reasons; i++) {
        rpp__buf_puts(fc->out, "- ");
        rpp__md_safe(fc->out, b->reasons[i]);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void phases(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    int p;
    bool any = false;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        any = any || a->phases[p].present;
    if (!any)
        return;
    rpp__buf_puts(fc->out,
                 "\n#### Phases (MB/s)\n\n"
                 "| phase | slices | active | avg | p5 | median | p95 | min | "
                 "max | CV | < 2 MB/s | gaps | stall windows |\n"
                 "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = &a->phases[p];
        char act[32];
        if (!s->present)
            continue;
        rpp__fmt_ms(act, sizeof(act), (double)s->active_ms);
        rpp__buf_printf(fc->out,
                       "| %s | %zu | %s | %.1f | %.1f | %.1f | %.1f | %.1f | "
                       "%.1f | %.2f | %.0f %% | %zu | %zu |\n",
                       rpp_phase_name((rpp_phase)p), s->n_slices, act,
                       s->avg_kbps / RPP_KBPS_PER_MBPS, s->p5_kbps / RPP_KBPS_PER_MBPS,
                       s->median_kbps / RPP_KBPS_PER_MBPS,
                       s->p95_kbps / RPP_KBPS_PER_MBPS, s->min_kbps / RPP_KBPS_PER_MBPS,
                       s->max_kbps / RPP_KBPS_PER_MBPS, s->cv, 100 * s->low_share,
                       s->n_gaps, s->n_stalls);
    }
}

static void cycles(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    size_t i;
    int p;

    if (a->n_cycles < 2)
        return;
    rpp__buf_puts(fc->out,
                 "\n#### Imaging cycles (average MB/s)\n\n"
                 "| # | state | duration | download | decompress | write | "
                 "verify | device | image |\n"
                 "|--:|---|--:|--:|--:|--:|--:|---|---|\n");
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        char dur[32];
        rpp__fmt_ms(dur, sizeof(dur), (double)c->duration_ms);
        rpp__buf_printf(fc->out, "| %zu | %s | %s |", i + 1,
                       rpp_session_state_name(c->state), dur);
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            if (c->phases[p].present)
                rpp__buf_printf(fc->out, " %.1f |",
                               c->phases[p].avg_kbps / RPP_KBPS_PER_MBPS);
            else
                rpp__buf_puts(fc->out, " - |");
        }
        rpp__buf_putc(fc->out, ' ');
        md_name(fc, "device", c->device_name);
        rpp__buf_puts(fc->out, " | ");
        md_name(fc, "image", c->image_name);
        rpp__buf_puts(fc->out, " |\n");
    }
}

static void events(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    size_t i;
    int c;
    char tot[32], avg[32], mx[32], at[32];

    if (!r->n_events)
        return;
    rpp__buf_puts(fc->out, "\n#### Events by category\n\n"
                          "| category | events | total | share | failed |\n"
                          "|---|--:|--:|--:|--:|\n");
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        rpp__fmt_ms(tot, sizeof(tot), (double)cs->total_ms);
        rpp__buf_puts(fc->out, "| ");
        rpp__md_safe(fc->out, rpp_category_title(cs->category));
        rpp__buf_printf(fc->out, " | %llu | %s | ",
                       (unsigned long long)cs->count, tot);
        if (cs->category == RPP_CAT_PIPELINE)
            rpp__buf_puts(fc->out, "(totals)");
        else if (a->session.wall_ms)
            rpp__buf_printf(fc->out, "%.1f %%", 100 * cs->share);
        else
            rpp__buf_puts(fc->out, "-");
        rpp__buf_printf(fc->out, " | %llu |\n",
                       (unsigned long long)cs->failures);
    }
    rpp__buf_puts(fc->out, "\n#### Events by type\n\n"
                          "| type | count | total | avg | max | failed |\n"
                          "|---|--:|--:|--:|--:|--:|\n");
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        rpp__fmt_ms(tot, sizeof(tot), (double)t->total_ms);
        rpp__fmt_ms(avg, sizeof(avg), t->avg_ms);
        rpp__fmt_ms(mx, sizeof(mx), (double)t->max_ms);
        rpp__buf_puts(fc->out, "| ");
        rpp__md_safe(fc->out, t->name);
        rpp__buf_printf(fc->out, " | %llu | %s | %s | %s | %llu |\n",
                       (unsigned long long)t->count, tot, avg, mx,
                       (unsigned long long)t->failures);
    }
    rpp__buf_printf(fc->out,
                   "\n<details><summary>All %zu events</summary>\n\n"
                   "| # | at | type | duration | ok | metadata |\n"
                   "|--:|--:|---|--:|---|---|\n",
                   r->n_events);
    for (i = 0; i < r->n_events && i < 2000; i++) {
        const rpp_event *e = &r->events[i];
        rpp__fmt_ms(at, sizeof(at), (double)a->event_times[i].start_ms);
        rpp__fmt_ms(tot, sizeof(tot), (double)e->duration_ms);
        rpp__buf_printf(fc->out, "| %zu | %s | ", i, at);
        rpp__md_safe(fc->out, e->type_name);
        rpp__buf_printf(fc->out, " | %s | %s | ", tot, e->success ? "yes" : "**no**");
        if (e->metadata)
            md(fc, e->metadata);
        rpp__buf_puts(fc->out, " |\n");
    }
    if (r->n_events > 2000)
        rpp__buf_printf(fc->out, "\n%zu more events not listed.\n",
                       r->n_events - 2000);
    rpp__buf_puts(fc->out, "\n</details>\n");
}

void rpp__fmt_markdown(fmt_ctx *fc)
{
    header(fc);
    findings(fc);
    bottleneck(fc);
    phases(fc);
    cycles(fc);
    events(fc);
    rpp__buf_printf(fc->out, "\n<sub>rpiperf %s</sub>\n",
                   fc->opts.tool_version ? fc->opts.tool_version
                                         : RPP_VERSION_STRING);
}
