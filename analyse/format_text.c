/*
 * format_text.c - the analysis as a terminal report: summary, findings
 * (most severe first, each with evidence and likely cause), bottleneck,
 * phases, cycles, event breakdown, context. Fits the requested width
 * (100 columns by default); report strings are made safe for a terminal.
 */
#include "format.h"

#include <stdio.h>
#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

static void col(fmt_ctx *fc, const char *code)
{
    if (fc->opts.color)
        rpp__buf_puts(fc->out, code);
}

static void heading(fmt_ctx *fc, const char *title)
{
    rpp__buf_putc(fc->out, '\n');
    col(fc, C_BOLD);
    rpp__buf_puts(fc->out, title);
    col(fc, C_RESET);
    rpp__buf_putc(fc->out, '\n');
}

/* Report text, safe for a terminal, cut to max columns. */
static void safe(fmt_ctx *fc, const char *s, size_t max)
{
    rpp__text_safe(fc->out, rpp__fmt_text(fc, s), max);
}

/* Left-justified safe text padded to exactly w columns. */
static void cell(fmt_ctx *fc, const char *s, size_t w)
{
    size_t before = rpp__text_width(s), shown = before > w ? w : before;

    rpp__text_safe(fc->out, s, w);
    if (before > w)
        shown = w;   /* rpp__text_safe ends a cut with "..." within w */
    rpp__buf_indent(fc->out, (int)(w - shown));
}

static const char *level_label(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_ERROR: return "ERROR  ";
    case RPP_LEVEL_WARNING: return "WARNING";
    case RPP_LEVEL_INFO: return "INFO   ";
    case RPP_LEVEL_OFF: return "       ";
    }
    return "       ";
}

static const char *level_color(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_ERROR: return C_RED;
    case RPP_LEVEL_WARNING: return C_YELLOW;
    case RPP_LEVEL_INFO: return C_CYAN;
    case RPP_LEVEL_OFF: return "";
    }
    return "";
}

/* Wraps text (already safe) at width, continuing lines with indent. */
static void wrapped(fmt_ctx *fc, const char *text, size_t first_col,
                    size_t indent)
{
    size_t width = fc->opts.width, colno = first_col;
    const char *p = text;

    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t wl = sp ? (size_t)(sp - p) : strlen(p);
        size_t wcols = 0, k;
        for (k = 0; k < wl; k++)
            if (((unsigned char)p[k] & 0xc0) != 0x80)
                wcols++;
        if (colno > indent && colno + 1 + wcols > width) {
            rpp__buf_putc(fc->out, '\n');
            rpp__buf_indent(fc->out, (int)indent);
            colno = indent;
        } else if (colno > first_col || (colno > indent && p != text)) {
            rpp__buf_putc(fc->out, ' ');
            colno++;
        }
        rpp__buf_put(fc->out, p, wl);
        colno += wcols;
        p += wl;
        while (*p == ' ')
            p++;
    }
}

static void put_value(rpp__buf *b, fmt_ctx *fc, const rpp_value *v)
{
    switch (v->kind) {
    case RPP_VALUE_INT: rpp__buf_printf(b, "%lld", (long long)v->i); break;
    case RPP_VALUE_NUM: rpp__buf_printf(b, "%.2f", v->d); break;
    case RPP_VALUE_BOOL: rpp__buf_puts(b, v->i ? "true" : "false"); break;
    case RPP_VALUE_STR: rpp__text_safe(b, rpp__fmt_text(fc, v->s), 120); break;
    }
}

static void findings(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    size_t i, k, ne = rpp_analysis_count(a, RPP_LEVEL_ERROR),
                 nw = rpp_analysis_count(a, RPP_LEVEL_WARNING) - ne,
                 ni = a->n_findings - ne - nw;
    char title[96];

    snprintf(title, sizeof(title), "Findings: %zu error%s, %zu warning%s, %zu "
                                   "info",
             ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni);
    heading(fc, title);
    if (!a->n_findings) {
        rpp__buf_puts(fc->out, "  none: nothing unusual in this report\n");
        return;
    }
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        rpp__buf line = RPP__BUF_INIT;

        rpp__buf_puts(fc->out, "  ");
        col(fc, level_color(f->level));
        rpp__buf_puts(fc->out, level_label(f->level));
        col(fc, C_RESET);
        rpp__buf_putc(fc->out, ' ');
        col(fc, C_BOLD);
        rpp__buf_puts(fc->out, f->id);
        col(fc, C_RESET);
        rpp__buf_putc(fc->out, '\n');
        rpp__buf_puts(fc->out, "          ");
        rpp__text_safe(&line, rpp__fmt_text(fc, f->message), 600);
        wrapped(fc, line.ptr ? line.ptr : "", 10, 10);
        rpp__buf_putc(fc->out, '\n');
        rpp__buf_clear(&line);
        rpp__buf_puts(&line, "likely cause: ");
        rpp__text_safe(&line, rpp__fmt_text(fc, f->cause), 300);
        rpp__buf_puts(fc->out, "          ");
        col(fc, C_DIM);
        wrapped(fc, line.ptr ? line.ptr : "", 10, 10);
        col(fc, C_RESET);
        rpp__buf_putc(fc->out, '\n');
        if (f->n_evidence) {
            rpp__buf_clear(&line);
            rpp__buf_puts(&line, "evidence:");
            for (k = 0; k < f->n_evidence && k < 12; k++) {
                rpp__buf_putc(&line, ' ');
                rpp__text_safe(&line, rpp__fmt_text(fc, f->evidence[k].key), 40);
                rpp__buf_putc(&line, '=');
                put_value(&line, fc, &f->evidence[k]);
                if (k + 1 < f->n_evidence && k + 1 < 12)
                    rpp__buf_putc(&line, ',');
            }
            if (f->n_evidence > 12)
                rpp__buf_printf(&line, " (+%zu more)", f->n_evidence - 12);
            rpp__buf_puts(fc->out, "          ");
            col(fc, C_DIM);
            wrapped(fc, line.ptr ? line.ptr : "", 10, 12);
            col(fc, C_RESET);
            rpp__buf_putc(fc->out, '\n');
        }
        if (line.oom)
            fc->oom = true;
        rpp__buf_free(&line);
    }
}

static void summary(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    const rpp_system *s = &r->system;
    char dur[32], size[32];

    col(fc, C_BOLD);
    rpp__buf_puts(fc->out, "rpiperf analysis");
    col(fc, C_RESET);
    if (fc->opts.file_name) {
        rpp__buf_puts(fc->out, " of ");
        rpp__text_safe(fc->out, fc->opts.file_name, fc->opts.width - 20);
    }
    rpp__buf_puts(fc->out, "\n\n");
    rpp__buf_printf(fc->out, "  Report   version %d", r->version);
    if (r->export_time[0]) {
        rpp__buf_puts(fc->out, ", exported ");
        safe(fc, r->export_time, 30);
    }
    rpp__buf_putc(fc->out, '\n');

    rpp__buf_puts(fc->out, "  Image    ");
    if (r->summary.image_name[0])
        rpp__text_safe(fc->out,
                      rpp__fmt_name(fc, "image", r->summary.image_name), 60);
    else
        rpp__buf_puts(fc->out, "(none)");
    if (r->summary.image_size) {
        rpp__fmt_bytes(size, sizeof(size), (double)r->summary.image_size);
        rpp__buf_printf(fc->out, ", %s", size);
    }
    rpp__buf_puts(fc->out, "\n  Device   ");
    if (r->summary.device_name[0])
        rpp__text_safe(fc->out,
                      rpp__fmt_name(fc, "device", r->summary.device_name), 60);
    else
        rpp__buf_puts(fc->out, "(none)");
    if (s->has_target) {
        rpp__fmt_bytes(size, sizeof(size), (double)s->target.size_bytes);
        rpp__buf_printf(fc->out, ", %s", size);
        if (s->target.description[0]) {
            rpp__buf_puts(fc->out, " ");
            safe(fc, s->target.description, 40);
        }
        rpp__buf_printf(fc->out, "%s%s", s->target.is_usb ? ", USB" : "",
                       s->target.is_removable ? ", removable" : "");
    }
    rpp__buf_puts(fc->out, "\n  Result   ");
    col(fc, a->session.state == RPP_STATE_SUCCEEDED ? "" :
            a->session.state == RPP_STATE_FAILED ? C_RED : C_YELLOW);
    safe(fc, a->session.result, 80);
    col(fc, C_RESET);
    if (a->session.state_inferred && a->session.state != RPP_STATE_NEVER_STARTED)
        rpp__buf_puts(fc->out, " (inferred)");
    rpp__buf_putc(fc->out, '\n');
    if (a->session.state != RPP_STATE_NEVER_STARTED) {
        rpp__fmt_ms(dur, sizeof(dur), (double)a->session.wall_ms);
        rpp__buf_printf(fc->out, "  Duration %s", dur);
        if (a->n_cycles > 1)
            rpp__buf_printf(fc->out, " over %zu imaging cycles", a->n_cycles);
        rpp__buf_putc(fc->out, '\n');
    }
    if (s->present) {
        rpp__buf_puts(fc->out, "  System   ");
        safe(fc, s->platform.os, 20);
        rpp__buf_putc(fc->out, ' ');
        safe(fc, s->platform.os_version, 20);
        rpp__buf_puts(fc->out, ", ");
        safe(fc, s->platform.cpu_architecture, 16);
        rpp__buf_printf(fc->out, ", %llu cores, %llu MB RAM",
                       (unsigned long long)s->platform.cpu_cores,
                       (unsigned long long)s->memory.total_mb);
        if (s->imager.version[0]) {
            rpp__buf_puts(fc->out, "; Imager ");
            safe(fc, s->imager.version, 30);
        }
        if (s->has_write_config) {
            rpp__buf_printf(fc->out, "\n  Writes   direct I/O %s",
                           s->write_config.direct_io_enabled ? "on" : "off");
            if (s->write_config.periodic_sync_enabled)
                rpp__buf_printf(fc->out, ", sync every %llu MB",
                               (unsigned long long)
                                   s->write_config.sync_interval_mb);
            else
                rpp__buf_puts(fc->out, ", no periodic sync");
            if (s->has_buffers)
                rpp__buf_printf(fc->out, ", %llu KB write buffers x %llu",
                               (unsigned long long)
                                   s->write_config.buffers.write_buffer_kb,
                               (unsigned long long)s->write_config.buffers
                                   .write_ring_buffer_slots);
        }
        rpp__buf_putc(fc->out, '\n');
    }
    if (a->session.note) {
        rpp__buf_puts(fc->out, "\n  ");
        wrapped(fc, a->session.note, 2, 2);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void bottleneck(fmt_ctx *fc)
{
    const rpp_bottleneck *b = &fc->a->bottleneck;
    char title[80];
    size_t i;

    if (!fc->a->phases[RPP_PHASE_WRITE].present &&
        b->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    if (b->kind == RPP_BOTTLENECK_UNKNOWN)
        snprintf(title, sizeof(title), "Bottleneck: not determined");
    else
        snprintf(title, sizeof(title), "Bottleneck: %s (%s confidence)",
                 rpp_bottleneck_name(b->kind),
                 rpp_confidence_name(b->confidence));
    heading(fc, title);
    rpp__buf_puts(fc->out, "  ");
    wrapped(fc, b->summary, 2, 2);
    rpp__buf_putc(fc->out, '\n');
    for (i = 0; i < b->n_reasons; i++) {
        rpp__buf_puts(fc->out, "  - ");
        wrapped(fc, b->reasons[i], 4, 4);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void phase_row(fmt_ctx *fc, const char *name, const rpp_phase_stats *s)
{
    char act[32];

    rpp__fmt_ms(act, sizeof(act), (double)s->active_ms);
    rpp__buf_printf(fc->out,
                   "  %-10s %6zu %11s %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f "
                   "%5.2f %4.0f%% %4zu %5zu\n",
                   name, s->n_slices, act, s->avg_kbps / RPP_KBPS_PER_MBPS,
                   s->p5_kbps / RPP_KBPS_PER_MBPS, s->median_kbps / RPP_KBPS_PER_MBPS,
                   s->p95_kbps / RPP_KBPS_PER_MBPS, s->min_kbps / RPP_KBPS_PER_MBPS,
                   s->max_kbps / RPP_KBPS_PER_MBPS, s->cv, 100 * s->low_share,
                   s->n_gaps, s->n_stalls);
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
    heading(fc, "Phases (throughput in MB/s)");
    rpp__buf_puts(fc->out, "  phase      slices      active    avg     p5 median    "
                          "p95    min    max    CV <2MB gaps stall\n");
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (a->phases[p].present)
            phase_row(fc, rpp_phase_name((rpp_phase)p), &a->phases[p]);
}

static void cycles(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    size_t i;
    int p;

    if (a->n_cycles < 2)
        return;
    heading(fc, "Imaging cycles (average MB/s per phase)");
    rpp__buf_puts(fc->out, "  #  state        duration  download decompress    "
                          "write   verify  device / image\n");
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        char dur[32];
        rpp__fmt_ms(dur, sizeof(dur), (double)c->duration_ms);
        rpp__buf_printf(fc->out, "  %-2zu %-12s %9s", i + 1,
                       rpp_session_state_name(c->state), dur);
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            if (c->phases[p].present)
                rpp__buf_printf(fc->out, " %*.1f", p == 1 ? 10 : 8,
                               c->phases[p].avg_kbps / RPP_KBPS_PER_MBPS);
            else
                rpp__buf_printf(fc->out, " %*s", p == 1 ? 10 : 8, "-");
        }
        rpp__buf_puts(fc->out, "  ");
        rpp__text_safe(fc->out, rpp__fmt_name(fc, "device", c->device_name), 16);
        rpp__buf_puts(fc->out, " / ");
        /* what is left of the line after 86 columns of figures */
        rpp__text_safe(fc->out, rpp__fmt_name(fc, "image", c->image_name),
                      fc->opts.width > 100 ? fc->opts.width - 86 : 14);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void events(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    size_t i;
    int c;
    char tot[32], avg[32], mn[32], mx[32];

    if (!r->n_events)
        return;
    heading(fc, "Events by category (share of the session's wall time)");
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        rpp__fmt_ms(tot, sizeof(tot), (double)cs->total_ms);
        rpp__buf_printf(fc->out, "  %-26s %6llu  %13s ",
                       rpp_category_title(cs->category),
                       (unsigned long long)cs->count, tot);
        if (cs->category == RPP_CAT_PIPELINE)
            rpp__buf_puts(fc->out, "(totals)"); /* sums over the write */
        else if (a->session.wall_ms)
            rpp__buf_printf(fc->out, "%6.1f%%", 100 * cs->share);
        else
            rpp__buf_puts(fc->out, "      -");
        if (cs->failures)
            rpp__buf_printf(fc->out, "  %llu failed",
                           (unsigned long long)cs->failures);
        rpp__buf_putc(fc->out, '\n');
    }
    heading(fc, "Events by type (in order of first occurrence)");
    rpp__buf_puts(fc->out, "  type                         count         total"
                          "           avg           min           max  fail\n");
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        rpp__fmt_ms(tot, sizeof(tot), (double)t->total_ms);
        rpp__fmt_ms(avg, sizeof(avg), t->avg_ms);
        rpp__fmt_ms(mn, sizeof(mn), (double)t->min_ms);
        rpp__fmt_ms(mx, sizeof(mx), (double)t->max_ms);
        rpp__buf_puts(fc->out, "  ");
        cell(fc, t->name, 28);
        rpp__buf_printf(fc->out, " %5llu %13s %13s %13s %13s %5llu\n",
                       (unsigned long long)t->count, tot, avg, mn, mx,
                       (unsigned long long)t->failures);
    }
    if (a->n_longest) {
        heading(fc, "Longest events");
        for (i = 0; i < a->n_longest; i++) {
            const rpp_event *e = &r->events[a->longest[i]];
            char at[32];
            rpp__fmt_ms(tot, sizeof(tot), (double)e->duration_ms);
            rpp__fmt_ms(at, sizeof(at),
                   (double)a->event_times[a->longest[i]].start_ms);
            rpp__buf_printf(fc->out, "  %12s  ", tot);
            cell(fc, e->type_name, 26);
            rpp__buf_printf(fc->out, " at %-12s", at);
            if (e->metadata) {
                rpp__buf_putc(fc->out, ' ');
                safe(fc, e->metadata, fc->opts.width > 62
                                          ? fc->opts.width - 62
                                          : 10);
            }
            rpp__buf_putc(fc->out, '\n');
        }
    }
    if (a->n_failed) {
        heading(fc, "Failed events");
        for (i = 0; i < a->n_failed && i < 50; i++) {
            const rpp_event *e = &r->events[a->failed[i]];
            char at[32];
            rpp__fmt_ms(at, sizeof(at), (double)a->event_times[a->failed[i]].start_ms);
            rpp__buf_puts(fc->out, "  ");
            cell(fc, e->type_name, 26);
            rpp__buf_printf(fc->out, " at %-12s ", at);
            safe(fc, e->metadata ? e->metadata : "(no metadata)",
                 fc->opts.width > 46 ? fc->opts.width - 46 : 10);
            rpp__buf_putc(fc->out, '\n');
        }
        if (a->n_failed > 50)
            rpp__buf_printf(fc->out, "  ... and %zu more\n", a->n_failed - 50);
    }
}

static void context(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_context *cx = &a->context;
    const rpp_report *r = a->report;
    size_t i, k;
    char tot[32], mx[32];

    if (!cx->sync_count && !cx->has_write_timing && !cx->n_details &&
        !cx->n_recovery)
        return;
    heading(fc, "Write path");
    if (cx->sync_count) {
        rpp__fmt_ms(tot, sizeof(tot), (double)cx->sync_total_ms);
        rpp__fmt_ms(mx, sizeof(mx), (double)cx->sync_max_ms);
        rpp__buf_printf(fc->out, "  syncs: %llu, %s in all, longest %s\n",
                       (unsigned long long)cx->sync_count, tot, mx);
    }
    if (cx->has_write_timing)
        rpp__buf_printf(fc->out,
                       "  write time: %.0f%% in write calls, %.0f%% waiting "
                       "for hashing, %.0f%% in syncs\n",
                       100 * cx->write_syscall_share,
                       100 * cx->write_hash_wait_share,
                       100 * cx->write_sync_share);
    for (i = 0; i < cx->n_details; i++) {
        const rpp_context_event *d = &cx->details[i];
        rpp__buf line = RPP__BUF_INIT;
        rpp__buf_puts(&line, r->events[d->index].type_name);
        rpp__buf_puts(&line, ":");
        for (k = 0; k < d->n_pairs; k++) {
            rpp__buf_putc(&line, ' ');
            rpp__text_safe(&line, rpp__fmt_text(fc, d->pairs[k].key), 30);
            rpp__buf_putc(&line, '=');
            rpp__text_safe(&line, rpp__fmt_text(fc, d->pairs[k].value), 40);
        }
        rpp__buf_puts(fc->out, "  ");
        if (line.ptr)
            wrapped(fc, line.ptr, 2, 6);
        rpp__buf_putc(fc->out, '\n');
        if (line.oom)
            fc->oom = true;
        rpp__buf_free(&line);
    }
    if (cx->n_recovery) {
        rpp__buf_puts(fc->out, "  recovery, in order:\n");
        for (i = 0; i < cx->n_recovery && i < 40; i++) {
            const rpp_event *e = &r->events[cx->recovery[i]];
            char at[32];
            rpp__fmt_ms(at, sizeof(at),
                   (double)a->event_times[cx->recovery[i]].start_ms);
            rpp__buf_printf(fc->out, "    %12s  ", at);
            cell(fc, e->type_name, 24);
            rpp__buf_putc(fc->out, ' ');
            safe(fc, e->metadata ? e->metadata : "", 50);
            rpp__buf_putc(fc->out, '\n');
        }
    }
}

void rpp__fmt_textual(fmt_ctx *fc)
{
    summary(fc);
    findings(fc);
    bottleneck(fc);
    phases(fc);
    cycles(fc);
    events(fc);
    context(fc);
}
