/*
 * format_md.c - the analysis as GitHub-flavoured markdown, ready to paste
 * into an issue comment: every section of the text report (summary,
 * findings with evidence and cause, bottleneck, phases, cycles, events by
 * category and type, the longest and the failed events, the write path,
 * recovery events) and the full event list, as tables, with long lists
 * folded into <details> blocks.
 *
 * A comment holds at most 65,536 characters. The document is built as
 * parts, some of them lists of rows; when it would be longer than that,
 * the longest lists are shortened first (one row limit for all, so a
 * short list keeps every row), each saying how many rows it shows and
 * where to see them all. Report strings are escaped so that they can
 * neither format, link, mention nor inject HTML; their line breaks read
 * as <br>.
 */
#include "format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GitHub's limit for an issue comment; counted here in bytes, which are
 * never fewer than characters. */
#define MD_LIMIT 65536
/* Rows of one list that are rendered at most: no more fit in MD_LIMIT. */
#define MD_SCAN_ROWS 4000
/* Lists with more rows than this are folded into <details>. */
#define MD_FOLD_ROWS 10
#define MD_MAX_PARTS 24
/* Room kept for the <details> lines and the note of each list. */
#define MD_LIST_OVERHEAD 400

static const char see_outputs[] =
    "`rpiperf analyse -f text` or `-f json` lists them all";

typedef struct md_part {
    rpp__buf text;          /* text, or what comes before the list */
    bool is_list;
    bool fold;              /* in a <details> block */
    const char *head;       /* table header lines, or NULL (bullets) */
    const char *noun;       /* "events", "failed events", ... */
    const char *see;        /* where to see them all */
    rpp__buf rows;
    size_t *ends;           /* end of each rendered row in rows */
    size_t n_rows, cap_rows;
    size_t total;           /* rows in all (rendered or not) */
    size_t shown;
} md_part;

typedef struct md_doc {
    fmt_ctx *fc;
    size_t cap;             /* characters kept of a report string */
    md_part parts[MD_MAX_PARTS];
    size_t n_parts;
    bool oom;
} md_doc;

/* ---- building parts ---------------------------------------------------- */

static md_part *new_part(md_doc *d)
{
    if (d->n_parts == MD_MAX_PARTS) {
        d->oom = true;          /* a fixed number of sections: never here */
        return &d->parts[MD_MAX_PARTS - 1];
    }
    return &d->parts[d->n_parts++];
}

/* The text part to append to (a new one after a list). */
static rpp__buf *txt(md_doc *d)
{
    if (!d->n_parts || d->parts[d->n_parts - 1].is_list)
        new_part(d);
    return &d->parts[d->n_parts - 1].text;
}

static void put(md_doc *d, const char *s)
{
    rpp__buf_puts(txt(d), s);
}

static void putf(md_doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(md_doc *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rpp__buf_vprintf(txt(d), fmt, ap);
    va_end(ap);
}

/* A list: pre is written before it (a heading), head is the table header
 * (NULL for a bullet list). fold: always in <details>; otherwise only when
 * it has more than MD_FOLD_ROWS rows. */
static md_part *list_begin(md_doc *d, const char *pre, const char *head,
                           const char *noun, const char *see, bool fold)
{
    md_part *p = new_part(d);

    p->is_list = true;
    p->head = head;
    p->noun = noun;
    p->see = see;
    p->fold = fold;
    rpp__buf_puts(&p->text, pre);
    return p;
}

/* Where the next row goes, or NULL when enough rows are rendered (the
 * row is counted all the same). */
static rpp__buf *row(md_part *p)
{
    p->total++;
    if (p->n_rows >= MD_SCAN_ROWS)
        return NULL;
    return &p->rows;
}

static void row_end(md_part *p)
{
    if (p->n_rows == p->cap_rows) {
        size_t ncap = p->cap_rows ? p->cap_rows * 2 : 32;
        size_t *ne = realloc(p->ends, ncap * sizeof(*ne));
        if (!ne) {
            p->rows.oom = true;
            return;
        }
        p->ends = ne;
        p->cap_rows = ncap;
    }
    p->ends[p->n_rows++] = p->rows.len;
}

static void list_end(md_part *p)
{
    if (p->total > MD_FOLD_ROWS)
        p->fold = true;
}

/* ---- escaping ---------------------------------------------------------- */

/* Report text (redacted when asked), escaped, at most d->cap characters. */
static void md(md_doc *d, rpp__buf *b, const char *s)
{
    const char *t = rpp__fmt_text(d->fc, s);
    size_t left, len = rpp__tl_cut(t, d->cap, &left);
    rpp__buf cut = RPP__BUF_INIT;

    rpp__buf_put(&cut, t, len);
    rpp__md_safe(b, cut.ptr ? cut.ptr : "");
    if (left)
        rpp__buf_printf(b, "... (%zu more characters)", left);
    if (cut.oom)
        b->oom = true;
    rpp__buf_free(&cut);
}

/* A name of a kind ("image", "device", "description"): a placeholder when
 * redacting. */
static void md_name(md_doc *d, rpp__buf *b, const char *kind, const char *s)
{
    size_t left, len;
    const char *t = rpp__fmt_name(d->fc, kind, s);
    rpp__buf cut = RPP__BUF_INIT;

    len = rpp__tl_cut(t, d->cap, &left);
    rpp__buf_put(&cut, t, len);
    rpp__md_safe(b, cut.ptr ? cut.ptr : "");
    if (left)
        rpp__buf_printf(b, "... (%zu more characters)", left);
    if (cut.oom)
        b->oom = true;
    rpp__buf_free(&cut);
}

/* Text the library wrote (bottleneck reasons, notes): escaped all the
 * same, never cut. */
static void md_plain(rpp__buf *b, const char *s)
{
    rpp__md_safe(b, s ? s : "");
}

static void md_ms(rpp__buf *b, double ms)
{
    char v[40];

    rpp_human_duration(v, sizeof(v), ms);
    rpp__buf_puts(b, v);
}

static void md_at(rpp__buf *b, uint64_t ms)
{
    char v[40];

    rpp_human_position(v, sizeof(v), (double)ms);
    rpp__buf_puts(b, v);
}

static void md_mbps(rpp__buf *b, double kbps)
{
    char v[40];

    rpp_human_mbps(v, sizeof(v), kbps);
    rpp__buf_puts(b, v);
}

/* ---- sections ---------------------------------------------------------- */

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

/* A summary line of parts: the report's strings escaped, names as the
 * redactor has them. */
static void put_line(md_doc *d, rpp__buf *b, const rpp_line *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        const rpp_part *pt = &l->parts[i];

        if (pt->kind == RPP_PART_NAME)
            md_name(d, b, pt->name_kind, pt->text);
        else if (pt->kind == RPP_PART_TEXT)
            md(d, b, pt->text);
        else
            rpp__buf_puts(b, pt->text);
    }
}

/* One row of the summary table: "| name | value |" (skipped when the
 * value is empty). */
static void summary_row(md_doc *d, const char *name, rpp__buf *v)
{
    if (v->len)
        putf(d, "| %s | %s |\n", name, v->ptr);
    if (v->oom)
        d->oom = true;
    rpp__buf_clear(v);
}

static void header(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    const rpp_report *r = a->report;
    rpp__buf v = RPP__BUF_INIT;
    rpp_line line;
    char num[40];

    put(d, "### rpiperf analysis");
    if (d->fc->opts.file_name) {
        put(d, " of ");
        md_plain(txt(d), d->fc->opts.file_name);
    }
    put(d, "\n\n| | |\n|---|---|\n");
    rpp__buf_printf(&v, "version %d", r->version);
    if (r->export_time[0]) {
        rpp__buf_puts(&v, ", exported ");
        md(d, &v, r->export_time);
    }
    summary_row(d, "Report", &v);
    if (r->summary.image_name[0])
        md_name(d, &v, "image", r->summary.image_name);
    else
        rpp__buf_puts(&v, "(none)");
    if (r->summary.image_size) {
        rpp_human_bytes(num, sizeof(num), (double)r->summary.image_size);
        rpp__buf_printf(&v, ", %s", num);
    }
    summary_row(d, "Image", &v);
    rpp_human_device_line(&line, r);
    put_line(d, &v, &line);
    summary_row(d, "Device", &v);
    md(d, &v, a->session.result);
    if (a->session.state_inferred &&
        a->session.state != RPP_STATE_NEVER_STARTED)
        rpp__buf_puts(&v, " (inferred)");
    summary_row(d, "Result", &v);
    if (a->session.state != RPP_STATE_NEVER_STARTED) {
        md_ms(&v, (double)a->session.wall_ms);
        if (a->n_cycles > 1)
            rpp__buf_printf(&v, " over %zu imaging cycles", a->n_cycles);
        summary_row(d, "Duration", &v);
    }
    if (r->system.present) {
        rpp_human_system_line(&line, &r->system);
        put_line(d, &v, &line);
        summary_row(d, "System", &v);
    }
    if (r->system.present && r->system.has_write_config) {
        char w[128];

        rpp_human_writes(w, sizeof(w), &r->system);
        rpp__buf_puts(&v, w);
        summary_row(d, "Writes", &v);
    }
    if (a->session.note) {
        put(d, "\n> ");
        md_plain(txt(d), a->session.note);
        put(d, "\n");
    }
    rpp__buf_free(&v);
}

static void evidence(md_doc *d, rpp__buf *b, const rpp_finding *f)
{
    size_t k;
    char v[64];

    rpp__buf_puts(b, "\\\n  *Evidence:* ");
    for (k = 0; k < f->n_evidence; k++) {
        const rpp_value *e = &f->evidence[k];
        if (k)
            rpp__buf_puts(b, ", ");
        md_plain(b, e->key);
        rpp__buf_puts(b, " = ");
        if (e->kind == RPP_VALUE_STR && rpp__fmt_said(f, e->s, true)) {
            rpp__buf_puts(b, "(as above)");
        } else if (e->kind == RPP_VALUE_STR) {
            md(d, b, e->s);
        } else {
            rpp_human_value(v, sizeof(v), e);
            rpp__buf_puts(b, v);
        }
    }
}

static void findings(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    size_t i, ne = rpp_analysis_count(a, RPP_LEVEL_ERROR),
              nw = rpp_analysis_count(a, RPP_LEVEL_WARNING) - ne,
              ni = a->n_findings - ne - nw;
    char pre[160];
    md_part *p;
    rpp__buf *b;

    snprintf(pre, sizeof(pre),
             "\n#### Findings: %zu error%s, %zu warning%s, %zu info\n\n", ne,
             ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni);
    if (!a->n_findings) {
        put(d, pre);
        put(d, "None: nothing unusual in this report.\n");
        return;
    }
    p = list_begin(d, pre, NULL, "findings", see_outputs, false);
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        if (!(b = row(p)))
            continue;
        rpp__buf_printf(b, "- %s `", level_badge(f->level));
        md_plain(b, f->id);
        rpp__buf_puts(b, "`: ");
        md(d, b, f->message);
        if (f->cause && *f->cause && !rpp__fmt_said(f, f->cause, false)) {
            rpp__buf_puts(b, "\\\n  *Likely cause:* ");
            md(d, b, f->cause);
        }
        if (f->n_evidence)
            evidence(d, b, f);
        rpp__buf_putc(b, '\n');
        row_end(p);
    }
    /* a list of findings is read whole, never folded */
}

static void bottleneck(md_doc *d)
{
    const rpp_bottleneck *bn = &d->fc->a->bottleneck;
    char verdict[64];
    size_t i;

    if (!d->fc->a->phases[RPP_PHASE_WRITE].present &&
        bn->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    rpp_human_bottleneck(verdict, sizeof(verdict), bn->kind, bn->confidence);
    putf(d, "\n#### Bottleneck: %s\n\n", verdict);
    md_plain(txt(d), bn->summary);
    put(d, "\n");
    if (bn->n_reasons)
        put(d, "\n");
    for (i = 0; i < bn->n_reasons; i++) {
        put(d, "- ");
        md_plain(txt(d), bn->reasons[i]);
        put(d, "\n");
    }
}

static void phases(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    rpp__buf *b;
    char v[40];
    int p;
    bool any = false;

    for (p = 0; p < RPP_PHASE_COUNT; p++)
        any = any || a->phases[p].present;
    if (!any)
        return;
    put(d, "\n#### Phases (MB/s)\n\n"
           "| phase | slices | active | avg | p5 | median | p95 | min | max "
           "| CV | < 2 MB/s | gaps | stalls |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_phase_stats *s = &a->phases[p];
        if (!s->present)
            continue;
        b = txt(d);
        rpp__buf_printf(b, "| %s | %zu | ", rpp_phase_name((rpp_phase)p),
                        s->n_slices);
        md_ms(b, (double)s->active_ms);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->avg_kbps);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->p5_kbps);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->median_kbps);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->p95_kbps);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->min_kbps);
        rpp__buf_puts(b, " | ");
        md_mbps(b, s->max_kbps);
        rpp_human_percent(v, sizeof(v), s->low_share);
        rpp__buf_printf(b, " | %.2f | %s | %zu | %zu |\n", s->cv, v,
                        s->n_gaps, s->n_stalls);
    }
}

static void cycles(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    md_part *p;
    rpp__buf *b;
    size_t i;
    int ph;

    if (a->n_cycles < 2)
        return;
    p = list_begin(d, "\n#### Imaging cycles (average MB/s)\n\n",
                   "| # | state | duration | download | decompress | write | "
                   "verify | device | image |\n"
                   "|--:|---|--:|--:|--:|--:|--:|---|---|\n",
                   "cycles", see_outputs, false);
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        if (!(b = row(p)))
            continue;
        rpp__buf_printf(b, "| %zu | %s | ", i + 1, rpp_human_state(c->state));
        md_ms(b, (double)c->duration_ms);
        rpp__buf_puts(b, " |");
        for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
            rpp__buf_putc(b, ' ');
            if (c->phases[ph].present)
                md_mbps(b, c->phases[ph].avg_kbps);
            else
                rpp__buf_putc(b, '-');
            rpp__buf_puts(b, " |");
        }
        rpp__buf_putc(b, ' ');
        md_name(d, b, "device", c->device_name);
        rpp__buf_puts(b, " | ");
        md_name(d, b, "image", c->image_name);
        rpp__buf_puts(b, " |\n");
        row_end(p);
    }
    list_end(p);
}

static void categories(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    rpp__buf *b;
    char v[40];
    int c;

    put(d, "\n#### Events by category\n\n"
           "| category | events | total | share | failed |\n"
           "|---|--:|--:|--:|--:|\n");
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        const rpp_category_stats *cs = &a->categories[c];
        if (!cs->count)
            continue;
        b = txt(d);
        rpp__buf_puts(b, "| ");
        md_plain(b, rpp_category_title(cs->category));
        rpp__buf_printf(b, " | %llu | ", (unsigned long long)cs->count);
        md_ms(b, (double)a->category_once_ms[c]);
        rpp_human_share(v, sizeof(v), cs->category, cs->share,
                        a->session.wall_ms);
        rpp__buf_printf(b, " | %s | %llu |\n", v,
                        (unsigned long long)cs->failures);
    }
}

static void types(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    md_part *p;
    rpp__buf *b;
    size_t i;

    p = list_begin(d, "\n#### Events by type\n\n",
                   "| type | count | total | avg | min | max | failed |\n"
                   "|---|--:|--:|--:|--:|--:|--:|\n",
                   "event types", see_outputs, false);
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        if (!(b = row(p)))
            continue;
        rpp__buf_puts(b, "| ");
        md(d, b, t->name);
        rpp__buf_printf(b, " | %llu | ", (unsigned long long)t->count);
        md_ms(b, (double)a->type_once_ms[i]);
        rpp__buf_puts(b, " | ");
        md_ms(b, t->avg_ms);
        rpp__buf_puts(b, " | ");
        md_ms(b, (double)t->min_ms);
        rpp__buf_puts(b, " | ");
        md_ms(b, (double)t->max_ms);
        rpp__buf_printf(b, " | %llu |\n", (unsigned long long)t->failures);
        row_end(p);
    }
    list_end(p);
}

/* "| at | type | duration | metadata |" rows of events by index. */
static void event_rows(md_doc *d, md_part *p, const size_t *idx, size_t n,
                       bool duration_first)
{
    const rpp_analysis *a = d->fc->a;
    rpp__buf *b;
    size_t i;

    for (i = 0; i < n; i++) {
        const rpp_event *e = &a->report->events[idx[i]];
        if (!(b = row(p)))
            continue;
        rpp__buf_puts(b, "| ");
        if (duration_first) {
            md_ms(b, (double)e->duration_ms);
            rpp__buf_puts(b, " | ");
            md(d, b, e->type_name);
            rpp__buf_puts(b, " | ");
            md_at(b, a->event_times[idx[i]].start_ms);
        } else {
            md_at(b, a->event_times[idx[i]].start_ms);
            rpp__buf_puts(b, " | ");
            md(d, b, e->type_name);
            rpp__buf_puts(b, " | ");
            md_ms(b, (double)e->duration_ms);
        }
        rpp__buf_puts(b, " | ");
        if (e->metadata)
            md(d, b, e->metadata);
        rpp__buf_puts(b, " |\n");
        row_end(p);
    }
}

static void longest_and_failed(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    md_part *p;

    if (a->n_longest) {
        p = list_begin(d, "\n#### Longest events\n\n",
                       "| duration | type | at | metadata |\n"
                       "|--:|---|--:|---|\n",
                       "events", see_outputs, false);
        event_rows(d, p, a->longest, a->n_longest, true);
        list_end(p);
    }
    if (a->n_failed) {
        p = list_begin(d, "\n#### Failed events\n\n",
                       "| at | type | duration | metadata |\n"
                       "|--:|---|--:|---|\n",
                       "failed events", see_outputs, false);
        event_rows(d, p, a->failed, a->n_failed, false);
        list_end(p);
    }
}

static void write_timing(md_doc *d)
{
    const rpp_context *cx = &d->fc->a->context;
    char v1[40], v2[40], v3[40];

    if (cx->sync_count) {
        rpp_human_duration(v1, sizeof(v1), (double)cx->sync_total_ms);
        rpp_human_duration(v2, sizeof(v2), (double)cx->sync_max_ms);
        putf(d, "- Syncs: %llu, %s in all, longest %s\n",
             (unsigned long long)cx->sync_count, v1, v2);
    }
    if (cx->has_write_timing) {
        rpp_human_percent(v1, sizeof(v1), cx->write_syscall_share);
        rpp_human_percent(v2, sizeof(v2), cx->write_hash_wait_share);
        rpp_human_percent(v3, sizeof(v3), cx->write_sync_share);
        putf(d, "- Write time: %s in write calls, %s waiting for hashing, "
                "%s in syncs", v1, v2, v3);
        if (cx->write_timing_total_ms) {
            rpp_human_duration(v1, sizeof(v1),
                               (double)cx->write_timing_total_ms);
            putf(d, " (of %s)", v1);
        }
        put(d, "\n");
    }
}

static void context(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    const rpp_context *cx = &a->context;
    md_part *p;
    rpp__buf *b;
    size_t i, k;

    if (!cx->sync_count && !cx->has_write_timing && !cx->n_details &&
        !cx->n_recovery)
        return;
    put(d, "\n#### Write path\n\n");
    write_timing(d);
    if (cx->n_details) {
        p = list_begin(d, "", NULL, "write path details", see_outputs,
                       false);
        for (i = 0; i < cx->n_details; i++) {
            const rpp_context_event *de = &cx->details[i];
            if (!(b = row(p)))
                continue;
            rpp__buf_puts(b, "- ");
            md(d, b, a->report->events[de->index].type_name);
            rpp__buf_puts(b, ":");
            for (k = 0; k < de->n_pairs; k++) {
                rpp__buf_puts(b, k ? ", " : " ");
                md(d, b, de->pairs[k].key);
                rpp__buf_puts(b, " = ");
                md(d, b, de->pairs[k].value);
            }
            rpp__buf_putc(b, '\n');
            row_end(p);
        }
        list_end(p);
    }
    if (cx->n_recovery) {
        p = list_begin(d, "\nRecovery events, in order:\n\n",
                       "| at | type | duration | metadata |\n"
                       "|--:|---|--:|---|\n",
                       "recovery events", see_outputs, false);
        event_rows(d, p, cx->recovery, cx->n_recovery, false);
        list_end(p);
    }
}

static void all_events(md_doc *d)
{
    const rpp_analysis *a = d->fc->a;
    const rpp_report *r = a->report;
    md_part *p;
    rpp__buf *b;
    size_t i;

    if (!r->n_events)
        return;
    p = list_begin(d, "\n",
                   "| # | at | type | duration | ok | metadata |\n"
                   "|--:|--:|---|--:|---|---|\n",
                   "events", "the report file itself holds every one", true);
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        if (!(b = row(p)))
            continue;
        rpp__buf_printf(b, "| %zu | ", i);
        md_at(b, a->event_times[i].start_ms);
        rpp__buf_puts(b, " | ");
        md(d, b, e->type_name);
        rpp__buf_puts(b, " | ");
        md_ms(b, (double)e->duration_ms);
        rpp__buf_printf(b, " | %s | ", e->success ? "yes" : "**no**");
        if (e->metadata)
            md(d, b, e->metadata);
        rpp__buf_puts(b, " |\n");
        row_end(p);
    }
}

/* ---- putting it together within the limit ------------------------------ */

static size_t rows_bytes(const md_part *p, size_t k)
{
    if (k > p->n_rows)
        k = p->n_rows;
    return k ? p->ends[k - 1] : 0;
}

/* The same row limit for every list, as high as the budget allows, so
 * that the longest lists are the ones shortened. */
static void choose_shown(md_doc *d, size_t budget)
{
    size_t i, lo = 0, hi = 0, mid, sum;

    for (i = 0; i < d->n_parts; i++)
        if (d->parts[i].is_list && d->parts[i].n_rows > hi)
            hi = d->parts[i].n_rows;
    while (lo < hi) {
        mid = lo + (hi - lo + 1) / 2;
        sum = 0;
        for (i = 0; i < d->n_parts; i++)
            if (d->parts[i].is_list)
                sum += rows_bytes(&d->parts[i], mid);
        if (sum <= budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    for (i = 0; i < d->n_parts; i++) {
        md_part *p = &d->parts[i];
        if (p->is_list)
            p->shown = lo < p->n_rows ? lo : p->n_rows;
    }
}

static void emit_list(rpp__buf *out, const md_part *p)
{
    rpp__buf_puts(out, p->text.ptr ? p->text.ptr : "");
    if (p->fold) {
        if (p->shown == p->total)
            rpp__buf_printf(out, "<details><summary>All %zu %s</summary>"
                                 "\n\n", p->total, p->noun);
        else
            rpp__buf_printf(out, "<details><summary>%zu of %zu %s"
                                 "</summary>\n\n", p->shown, p->total,
                            p->noun);
    }
    if (p->shown) {
        if (p->head)
            rpp__buf_puts(out, p->head);
        rpp__buf_put(out, p->rows.ptr, rows_bytes(p, p->shown));
    }
    if (p->shown < p->total)
        rpp__buf_printf(out, "\n*%zu %s left out (this shows %zu of %zu, "
                             "to stay within GitHub's 65,536 characters): "
                             "%s.*\n",
                        p->total - p->shown, p->noun, p->shown, p->total,
                        p->see);
    if (p->fold)
        rpp__buf_puts(out, "\n</details>\n");
}

/* Renders the document with report strings cut at cap characters into
 * out; returns false when even with every list empty it would not fit. */
static bool render(fmt_ctx *fc, size_t cap, rpp__buf *out)
{
    md_doc d;
    size_t i, fixed = 0;
    bool fits;

    memset(&d, 0, sizeof(d));
    d.fc = fc;
    d.cap = cap;
    header(&d);
    findings(&d);
    bottleneck(&d);
    phases(&d);
    cycles(&d);
    if (fc->a->report->n_events) {
        categories(&d);
        types(&d);
        longest_and_failed(&d);
    }
    context(&d);
    all_events(&d);
    putf(&d, "\n<sub>rpiperf %s</sub>\n",
         fc->opts.tool_version ? fc->opts.tool_version : RPP_VERSION_STRING);

    for (i = 0; i < d.n_parts; i++) {
        const md_part *p = &d.parts[i];
        fixed += p->text.len;
        if (p->is_list)
            fixed += MD_LIST_OVERHEAD + (p->head ? strlen(p->head) : 0);
        if (p->text.oom || p->rows.oom)
            d.oom = true;
    }
    fits = fixed <= MD_LIMIT;
    choose_shown(&d, fits ? MD_LIMIT - fixed : 0);
    for (i = 0; i < d.n_parts; i++) {
        md_part *p = &d.parts[i];
        if (p->is_list)
            emit_list(out, p);
        else
            rpp__buf_puts(out, p->text.ptr ? p->text.ptr : "");
        rpp__buf_free(&p->text);
        rpp__buf_free(&p->rows);
        free(p->ends);
    }
    if (d.oom)
        fc->oom = true;
    return fits && out->len <= MD_LIMIT;
}

void rpp__fmt_markdown(fmt_ctx *fc)
{
    /* report strings are kept whole up to 500 characters; a report whose
     * fixed sections would not fit even so is redone with shorter ones */
    static const size_t caps[] = { 500, 100, 24 };
    size_t i, start = fc->out->len;

    for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        fc->out->len = start;
        if (fc->out->ptr)
            fc->out->ptr[start] = '\0';
        if (render(fc, caps[i], fc->out) || fc->oom)
            return;
    }
}
