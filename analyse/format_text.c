/*
 * format_text.c - the analysis as a terminal report: summary, findings
 * (most severe first, each with evidence and likely cause), bottleneck,
 * phases, cycles, event breakdown, the longest and the failed events, and
 * the write path. Every line fits the requested width (100 columns by
 * default): long values wrap onto indented lines, none is cut; the line
 * breaks of a report string start new lines. Report strings are made safe
 * for a terminal; values read as rpp_human_* writes them.
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

/* Where the values of the summary and of a finding start. */
#define SUMMARY_COL 11
#define FINDING_COL 10
/* Evidence items shown per finding in text (JSON has them all). */
#define MAX_EVIDENCE 12

static void col(fmt_ctx *fc, const char *code)
{
    if (fc->opts.color)
        rpp__buf_puts(fc->out, code);
}

static size_t width(const fmt_ctx *fc)
{
    return fc->opts.width;
}

static void heading(fmt_ctx *fc, const char *title)
{
    rpp__buf_putc(fc->out, '\n');
    col(fc, C_BOLD);
    rpp__buf_puts(fc->out, title);
    col(fc, C_RESET);
    rpp__buf_putc(fc->out, '\n');
}

/* Report text (redacted when asked) on one line, safe, appended to b. */
static void flat(fmt_ctx *fc, rpp__buf *b, const char *s)
{
    size_t left, len;
    const char *t = rpp__fmt_text(fc, s);
    rpp__buf cut = RPP__BUF_INIT;

    len = rpp__tl_cut(t, RPP_FMT_TEXT_CAP, &left);
    rpp__buf_put(&cut, t, len);
    rpp__text_flat(b, cut.ptr ? cut.ptr : "", 0);
    if (left)
        rpp__buf_printf(b, "... (%zu more characters)", left);
    if (cut.oom)
        b->oom = true;
    rpp__buf_free(&cut);
}

/* Ends a line built in b: wrapped from column c, continued at indent. */
static void emit(fmt_ctx *fc, rpp__buf *b, size_t c, size_t indent)
{
    rpp__tl_wrap(fc->out, b->ptr ? b->ptr : "", c, indent, width(fc));
    rpp__buf_putc(fc->out, '\n');
    if (b->oom)
        fc->oom = true;
    rpp__buf_clear(b);
}

static void print_table(fmt_ctx *fc, rpp__tl_table *t, size_t indent)
{
    rpp__tl_table_print(t, fc->out, indent, width(fc));
    if (t->text.oom)
        fc->oom = true;
    rpp__tl_table_free(t);
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

/* ---- summary ----------------------------------------------------------- */

static void label(fmt_ctx *fc, const char *name)
{
    rpp__buf_printf(fc->out, "  %-*s", SUMMARY_COL - 2, name);
}

/* A summary line of parts: the report's strings on one line, cut at the
 * cap, names as the redactor has them. */
static void put_line(fmt_ctx *fc, rpp__buf *b, const rpp_line *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        const rpp_part *pt = &l->parts[i];

        if (pt->kind == RPP_PART_NAME)
            rpp__text_flat(b, rpp__fmt_name(fc, pt->name_kind, pt->text), 0);
        else if (pt->kind == RPP_PART_TEXT)
            flat(fc, b, pt->text);
        else
            rpp__buf_puts(b, pt->text);
    }
}

static void summary(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_report *r = a->report;
    const rpp_system *s = &r->system;
    rpp__buf b = RPP__BUF_INIT;
    rpp_line line;
    char v[48];

    col(fc, C_BOLD);
    rpp__buf_puts(fc->out, "rpiperf analysis");
    col(fc, C_RESET);
    if (fc->opts.file_name) {
        rpp__buf_puts(fc->out, " of ");
        rpp__text_flat(&b, fc->opts.file_name, 0);
        emit(fc, &b, 20, 4);
    } else {
        rpp__buf_putc(fc->out, '\n');
    }
    rpp__buf_putc(fc->out, '\n');

    label(fc, "Report");
    rpp__buf_printf(&b, "version %d", r->version);
    if (r->export_time[0]) {
        rpp__buf_puts(&b, ", exported ");
        flat(fc, &b, r->export_time);
    }
    emit(fc, &b, SUMMARY_COL, SUMMARY_COL);

    label(fc, "Image");
    if (r->summary.image_name[0])
        rpp__text_flat(&b, rpp__fmt_name(fc, "image", r->summary.image_name),
                       0);
    else
        rpp__buf_puts(&b, "(none)");
    if (r->summary.image_size) {
        rpp_human_bytes(v, sizeof(v), (double)r->summary.image_size);
        rpp__buf_printf(&b, ", %s", v);
    }
    emit(fc, &b, SUMMARY_COL, SUMMARY_COL);

    label(fc, "Device");
    rpp_human_device_line(&line, r);
    put_line(fc, &b, &line);
    emit(fc, &b, SUMMARY_COL, SUMMARY_COL);

    label(fc, "Result");
    col(fc, a->session.state == RPP_STATE_SUCCEEDED ? "" :
            a->session.state == RPP_STATE_FAILED ? C_RED : C_YELLOW);
    rpp__buf_puts(&b, rpp__fmt_text(fc, a->session.result));
    if (a->session.state_inferred && a->session.state != RPP_STATE_NEVER_STARTED)
        rpp__buf_puts(&b, " (inferred)");
    /* an error message keeps its line breaks */
    rpp__tl_para(fc->out, b.ptr ? b.ptr : "", SUMMARY_COL, SUMMARY_COL,
                 width(fc), RPP_FMT_TEXT_CAP);
    rpp__buf_clear(&b);
    col(fc, C_RESET);
    rpp__buf_putc(fc->out, '\n');

    if (a->session.state != RPP_STATE_NEVER_STARTED) {
        label(fc, "Duration");
        rpp_human_duration(v, sizeof(v), (double)a->session.wall_ms);
        rpp__buf_puts(&b, v);
        if (a->n_cycles > 1)
            rpp__buf_printf(&b, " over %zu imaging cycles", a->n_cycles);
        emit(fc, &b, SUMMARY_COL, SUMMARY_COL);
    }
    if (s->present) {
        rpp_human_system_line(&line, s);
        put_line(fc, &b, &line);
        if (b.len) {
            label(fc, "System");
            emit(fc, &b, SUMMARY_COL, SUMMARY_COL);
        }
    }
    if (s->present && s->has_write_config) {
        char w[128];

        label(fc, "Writes");
        rpp_human_writes(w, sizeof(w), s);
        rpp__buf_puts(&b, w);
        emit(fc, &b, SUMMARY_COL, SUMMARY_COL);
    }
    if (a->session.note) {
        rpp__buf_puts(fc->out, "\n  ");
        rpp__tl_para(fc->out, a->session.note, 2, 2, width(fc), 0);
        rpp__buf_putc(fc->out, '\n');
    }
    if (b.oom)
        fc->oom = true;
    rpp__buf_free(&b);
}

/* ---- findings ---------------------------------------------------------- */

static void evidence(fmt_ctx *fc, const rpp_finding *f, rpp__buf *b)
{
    size_t k;
    char v[64];

    rpp__buf_puts(b, "evidence:");
    for (k = 0; k < f->n_evidence && k < MAX_EVIDENCE; k++) {
        const rpp_value *e = &f->evidence[k];

        rpp__buf_putc(b, ' ');
        rpp__text_flat(b, e->key, 0);
        rpp__buf_putc(b, '=');
        if (e->kind == RPP_VALUE_STR && rpp__fmt_said(f, e->s, true)) {
            rpp__buf_puts(b, "(as above)");
        } else if (e->kind == RPP_VALUE_STR) {
            flat(fc, b, e->s);
        } else {
            rpp_human_value(v, sizeof(v), e);
            rpp__buf_puts(b, v);
        }
        if (k + 1 < f->n_evidence && k + 1 < MAX_EVIDENCE)
            rpp__buf_putc(b, ',');
    }
    if (f->n_evidence > MAX_EVIDENCE)
        rpp__buf_printf(b, " (and %zu more: -f json lists them)",
                        f->n_evidence - MAX_EVIDENCE);
}

static void finding(fmt_ctx *fc, const rpp_finding *f, rpp__buf *b)
{
    rpp__buf_puts(fc->out, "  ");
    col(fc, level_color(f->level));
    rpp__buf_puts(fc->out, level_label(f->level));
    col(fc, C_RESET);
    rpp__buf_putc(fc->out, ' ');
    col(fc, C_BOLD);
    rpp__text_flat(fc->out, f->id, 0);
    col(fc, C_RESET);
    rpp__buf_putc(fc->out, '\n');
    rpp__buf_indent(fc->out, FINDING_COL);
    rpp__tl_para(fc->out, rpp__fmt_text(fc, f->message), FINDING_COL,
                 FINDING_COL, width(fc), RPP_FMT_TEXT_CAP);
    rpp__buf_putc(fc->out, '\n');
    /* a cause the message already states is not said twice */
    if (f->cause && *f->cause && !rpp__fmt_said(f, f->cause, false)) {
        rpp__buf_indent(fc->out, FINDING_COL);
        col(fc, C_DIM);
        rpp__buf_puts(b, "likely cause: ");
        rpp__buf_puts(b, rpp__fmt_text(fc, f->cause));
        rpp__tl_para(fc->out, b->ptr ? b->ptr : "", FINDING_COL, FINDING_COL,
                     width(fc), RPP_FMT_TEXT_CAP);
        rpp__buf_clear(b);
        col(fc, C_RESET);
        rpp__buf_putc(fc->out, '\n');
    }
    if (f->n_evidence) {
        rpp__buf_indent(fc->out, FINDING_COL);
        col(fc, C_DIM);
        evidence(fc, f, b);
        rpp__tl_wrap(fc->out, b->ptr ? b->ptr : "", FINDING_COL,
                     FINDING_COL + 2, width(fc));
        rpp__buf_clear(b);
        col(fc, C_RESET);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void findings(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    size_t i, ne = rpp_analysis_count(a, RPP_LEVEL_ERROR),
              nw = rpp_analysis_count(a, RPP_LEVEL_WARNING) - ne,
              ni = a->n_findings - ne - nw;
    rpp__buf b = RPP__BUF_INIT;
    char title[96];

    snprintf(title, sizeof(title), "Findings: %zu error%s, %zu warning%s, %zu "
                                   "info",
             ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni);
    heading(fc, title);
    if (!a->n_findings) {
        rpp__buf_puts(fc->out, "  none: nothing unusual in this report\n");
        return;
    }
    for (i = 0; i < a->n_findings; i++)
        finding(fc, &a->findings[i], &b);
    if (b.oom)
        fc->oom = true;
    rpp__buf_free(&b);
}

/* ---- bottleneck, phases, cycles ---------------------------------------- */

static void bottleneck(fmt_ctx *fc)
{
    const rpp_bottleneck *bn = &fc->a->bottleneck;
    char title[96], verdict[64];
    size_t i;

    if (!fc->a->phases[RPP_PHASE_WRITE].present &&
        bn->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    rpp_human_bottleneck(verdict, sizeof(verdict), bn->kind, bn->confidence);
    snprintf(title, sizeof(title), "Bottleneck: %s", verdict);
    heading(fc, title);
    rpp__buf_puts(fc->out, "  ");
    rpp__tl_para(fc->out, bn->summary, 2, 2, width(fc), 0);
    rpp__buf_putc(fc->out, '\n');
    for (i = 0; i < bn->n_reasons; i++) {
        rpp__buf_puts(fc->out, "  - ");
        rpp__tl_para(fc->out, bn->reasons[i], 4, 4, width(fc), 0);
        rpp__buf_putc(fc->out, '\n');
    }
}

static void cell_mbps(rpp__tl_table *t, double kbps)
{
    char v[40];

    rpp_human_mbps(v, sizeof(v), kbps);
    rpp__tl_cell(t, v);
}

static void cell_ms(rpp__tl_table *t, double ms)
{
    char v[40];

    rpp_human_duration(v, sizeof(v), ms);
    rpp__tl_cell(t, v);
}

static void cell_at(rpp__tl_table *t, uint64_t ms)
{
    char v[40];

    rpp_human_position(v, sizeof(v), (double)ms);
    rpp__tl_cell(t, v);
}

static void phases(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "phase", false, false }, { "slices", true, false },
        { "active", true, false }, { "avg", true, false },
        { "p5", true, false }, { "median", true, false },
        { "p95", true, false }, { "min", true, false },
        { "max", true, false }, { "CV", true, false },
        { "<2 MB/s", true, false }, { "gaps", true, false },
        { "stalls", true, false },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    char v[40];
    int p;

    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = &a->phases[p];
        if (!s->present)
            continue;
        rpp__tl_cell(&t, rpp_phase_name((rpp_phase)p));
        rpp__tl_cellf(&t, "%zu", s->n_slices);
        cell_ms(&t, (double)s->active_ms);
        cell_mbps(&t, s->avg_kbps);
        cell_mbps(&t, s->p5_kbps);
        cell_mbps(&t, s->median_kbps);
        cell_mbps(&t, s->p95_kbps);
        cell_mbps(&t, s->min_kbps);
        cell_mbps(&t, s->max_kbps);
        rpp__tl_cellf(&t, "%.2f", s->cv);
        rpp_human_percent(v, sizeof(v), s->low_share);
        rpp__tl_cell(&t, v);
        rpp__tl_cellf(&t, "%zu", s->n_gaps);
        rpp__tl_cellf(&t, "%zu", s->n_stalls);
    }
    if (t.n_cells) {
        heading(fc, "Phases (throughput in MB/s)");
        print_table(fc, &t, 2);
    }
    rpp__tl_table_free(&t);
}

static void cycles(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "#", true, false }, { "state", false, false },
        { "duration", true, false }, { "download", true, false },
        { "decompress", true, false }, { "write", true, false },
        { "verify", true, false }, { "device", false, true },
        { "image", false, true },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    size_t i;
    int p;

    if (a->n_cycles < 2)
        return;
    heading(fc, "Imaging cycles (average MB/s per phase)");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        rpp__tl_cellf(&t, "%zu", i + 1);
        rpp__tl_cell(&t, rpp_human_state(c->state));
        cell_ms(&t, (double)c->duration_ms);
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            if (c->phases[p].present)
                cell_mbps(&t, c->phases[p].avg_kbps);
            else
                rpp__tl_cell(&t, "-");
        }
        rpp__tl_cell_text(&t, rpp__fmt_name(fc, "device", c->device_name),
                          RPP_FMT_TEXT_CAP);
        rpp__tl_cell_text(&t, rpp__fmt_name(fc, "image", c->image_name),
                          RPP_FMT_TEXT_CAP);
    }
    print_table(fc, &t, 2);
}

/* ---- events ------------------------------------------------------------ */

static void categories(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "category", false, false }, { "events", true, false },
        { "total", true, false }, { "share", true, false },
        { "failed", true, false },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    char v[40];
    int c;

    heading(fc, "Events by category (share of the session's wall time)");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        rpp__tl_cell(&t, rpp_category_title(cs->category));
        rpp__tl_cellf(&t, "%llu", (unsigned long long)cs->count);
        cell_ms(&t, (double)a->category_once_ms[c]);
        rpp_human_share(v, sizeof(v), cs->category, cs->share,
                        a->session.wall_ms);
        rpp__tl_cell(&t, v);
        rpp__tl_cellf(&t, "%llu", (unsigned long long)cs->failures);
    }
    print_table(fc, &t, 2);
}

static void types(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "type", false, true }, { "count", true, false },
        { "total", true, false }, { "avg", true, false },
        { "min", true, false }, { "max", true, false },
        { "failed", true, false },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    size_t i;

    heading(fc, "Events by type (in order of first occurrence)");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *ts = &a->types[i];
        rpp__tl_cell_text(&t, ts->name, RPP_FMT_TEXT_CAP);
        rpp__tl_cellf(&t, "%llu", (unsigned long long)ts->count);
        cell_ms(&t, (double)a->type_once_ms[i]);
        cell_ms(&t, ts->avg_ms);
        cell_ms(&t, (double)ts->min_ms);
        cell_ms(&t, (double)ts->max_ms);
        rpp__tl_cellf(&t, "%llu", (unsigned long long)ts->failures);
    }
    print_table(fc, &t, 2);
}

static void longest(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "duration", true, false }, { "type", false, true },
        { "at", true, false }, { "metadata", false, true },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    size_t i;

    if (!a->n_longest)
        return;
    heading(fc, "Longest events");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (i = 0; i < a->n_longest; i++) {
        const rpp_event *e = &a->report->events[a->longest[i]];
        cell_ms(&t, (double)e->duration_ms);
        rpp__tl_cell_text(&t, e->type_name, RPP_FMT_TEXT_CAP);
        cell_at(&t, a->event_times[a->longest[i]].start_ms);
        rpp__tl_cell_text(&t, e->metadata ? rpp__fmt_text(fc, e->metadata)
                                          : "",
                          RPP_FMT_TEXT_CAP);
    }
    print_table(fc, &t, 2);
}

static void failed(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "type", false, true }, { "at", true, false },
        { "duration", true, false }, { "metadata", false, true },
    };
    const rpp_analysis *a = fc->a;
    rpp__tl_table t;
    size_t i;

    if (!a->n_failed)
        return;
    heading(fc, "Failed events");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (i = 0; i < a->n_failed; i++) {
        const rpp_event *e = &a->report->events[a->failed[i]];
        rpp__tl_cell_text(&t, e->type_name, RPP_FMT_TEXT_CAP);
        cell_at(&t, a->event_times[a->failed[i]].start_ms);
        cell_ms(&t, (double)e->duration_ms);
        rpp__tl_cell_text(&t, e->metadata ? rpp__fmt_text(fc, e->metadata)
                                          : "(no metadata)",
                          RPP_FMT_TEXT_CAP);
    }
    print_table(fc, &t, 2);
}

static void events(fmt_ctx *fc)
{
    if (!fc->a->report->n_events)
        return;
    categories(fc);
    types(fc);
    longest(fc);
    failed(fc);
}

/* ---- write path -------------------------------------------------------- */

static void write_timing(fmt_ctx *fc, rpp__buf *b)
{
    const rpp_context *cx = &fc->a->context;
    char v1[40], v2[40], v3[40];

    if (cx->sync_count) {
        rpp_human_duration(v1, sizeof(v1), (double)cx->sync_total_ms);
        rpp_human_duration(v2, sizeof(v2), (double)cx->sync_max_ms);
        rpp__buf_printf(b, "syncs: %llu, %s in all, longest %s",
                        (unsigned long long)cx->sync_count, v1, v2);
        rpp__buf_puts(fc->out, "  ");
        emit(fc, b, 2, 4);
    }
    if (cx->has_write_timing) {
        rpp_human_percent(v1, sizeof(v1), cx->write_syscall_share);
        rpp_human_percent(v2, sizeof(v2), cx->write_hash_wait_share);
        rpp_human_percent(v3, sizeof(v3), cx->write_sync_share);
        rpp__buf_printf(b, "write time: %s in write calls, %s waiting for "
                           "hashing, %s in syncs", v1, v2, v3);
        if (cx->write_timing_total_ms) {
            rpp_human_duration(v1, sizeof(v1),
                               (double)cx->write_timing_total_ms);
            rpp__buf_printf(b, " (of %s)", v1);
        }
        rpp__buf_puts(fc->out, "  ");
        emit(fc, b, 2, 4);
    }
}

static void recovery(fmt_ctx *fc)
{
    static const rpp__tl_col cols[] = {
        { "at", true, false }, { "type", false, true },
        { "duration", true, false }, { "metadata", false, true },
    };
    const rpp_analysis *a = fc->a;
    const rpp_context *cx = &a->context;
    rpp__tl_table t;
    size_t i;

    if (!cx->n_recovery)
        return;
    rpp__buf_puts(fc->out, "  recovery events, in order:\n");
    rpp__tl_table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
    for (i = 0; i < cx->n_recovery; i++) {
        const rpp_event *e = &a->report->events[cx->recovery[i]];
        cell_at(&t, a->event_times[cx->recovery[i]].start_ms);
        rpp__tl_cell_text(&t, e->type_name, RPP_FMT_TEXT_CAP);
        cell_ms(&t, (double)e->duration_ms);
        rpp__tl_cell_text(&t, e->metadata ? rpp__fmt_text(fc, e->metadata)
                                          : "",
                          RPP_FMT_TEXT_CAP);
    }
    print_table(fc, &t, 4);
}

static void context(fmt_ctx *fc)
{
    const rpp_analysis *a = fc->a;
    const rpp_context *cx = &a->context;
    rpp__buf b = RPP__BUF_INIT;
    size_t i, k;

    if (!cx->sync_count && !cx->has_write_timing && !cx->n_details &&
        !cx->n_recovery)
        return;
    heading(fc, "Write path");
    write_timing(fc, &b);
    for (i = 0; i < cx->n_details; i++) {
        const rpp_context_event *d = &cx->details[i];
        rpp__text_flat(&b, a->report->events[d->index].type_name, 0);
        rpp__buf_putc(&b, ':');
        for (k = 0; k < d->n_pairs; k++) {
            rpp__buf_putc(&b, ' ');
            flat(fc, &b, d->pairs[k].key);
            rpp__buf_putc(&b, '=');
            flat(fc, &b, d->pairs[k].value);
        }
        rpp__buf_puts(fc->out, "  ");
        emit(fc, &b, 2, 6);
    }
    recovery(fc);
    if (b.oom)
        fc->oom = true;
    rpp__buf_free(&b);
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
