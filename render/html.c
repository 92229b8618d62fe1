/*
 * html.c - one self-contained HTML page of a report: the summary, the
 * findings, the bottleneck, the three charts as PNG data URIs, sortable
 * tables of the phases and events, and the text report. No external
 * resource is referenced (a Content-Security-Policy says so to the
 * browser) and every string from the report is HTML-escaped.
 */
#include <rpiperf/render.h>
#include "page.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_MAX_EVENT_ROWS 5000

const char rpp__html_style[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;"
    "max-width:1240px;padding:16px 24px;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;"
    "border-bottom:1px solid #ddd;padding-bottom:.2em}"
    ".sub{color:#555;margin-top:0}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
    "th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;"
    "vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:"
    "tabular-nums}"
    "table.sortable th{cursor:pointer;user-select:none;background:#f4f4f4}"
    "table.sortable th:after{content:' \\2195';color:#aaa}"
    "table.kv th{background:none;width:8em;color:#555;font-weight:normal}"
    ".finding{list-style:none;margin:.6em 0;padding:.4em .6em;"
    "border-left:5px solid #999;background:#fafafa}"
    ".finding.error{border-color:#b2182b}.finding.warning{border-color:"
    "#e69f00}.finding.info{border-color:#0072b2}"
    ".badge{display:inline-block;min-width:5em;font-weight:bold;"
    "text-transform:uppercase;font-size:.8em}"
    ".error .badge{color:#b2182b}.warning .badge{color:#a66f00}"
    ".info .badge{color:#0072b2}"
    ".cause,.evidence{color:#444;font-size:.9em;margin-top:.2em}"
    "code{background:#f2f2f2;padding:0 3px}"
    "figure{margin:1em 0}img{max-width:100%;height:auto;"
    "border:1px solid #ddd}"
    "pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.85em}"
    ".fail{color:#b2182b;font-weight:bold}"
    "footer{margin-top:2em;color:#777;font-size:.8em}";

/* Sorts a table by the clicked column: numbers by their data-v value,
 * text by its content; a second click reverses. */
const char rpp__html_script[] =
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "t.querySelectorAll('th').forEach(function(th,i){"
    "th.addEventListener('click',function(){"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),"
    "d=th.getAttribute('data-dir')==='a'?-1:1;"
    "th.setAttribute('data-dir',d===1?'a':'d');"
    "rows.sort(function(x,y){var p=x.cells[i],q=y.cells[i],"
    "u=p.getAttribute('data-v'),v=q.getAttribute('data-v');"
    "if(u!==null&&v!==null)return (parseFloat(u)-parseFloat(v))*d;"
    "return p.textContent.localeCompare(q.textContent)*d;});"
    "rows.forEach(function(r){b.appendChild(r);});});});});";

typedef struct page {
    rpp__buf *b;
    const rpp_report *r;
    const rpp_analysis *a;
    const rpp_html_opts *o;
    rpp_redactor *rd;
    bool oom;
} page;

/* Report text: redacted when asked, then escaped; its line breaks read
 * as <br>. */
static void text(page *p, const char *s)
{
    const char *v = s ? s : "";

    if (p->rd) {
        v = rpp_redact_text(p->rd, v);
        if (!v) {
            p->oom = true;
            v = "";
        }
    }
    rpp__html_lines(p->b, v);
}

static void name(page *p, const char *kind, const char *s)
{
    const char *v = s ? s : "";

    if (p->rd) {
        v = rpp_redact(p->rd, kind, v);
        if (!v) {
            p->oom = true;
            v = "";
        }
    }
    rpp__html_safe(p->b, v);
}

static void put_ms(rpp__buf *b, double ms)
{
    char v[40];

    rpp_human_duration(v, sizeof(v), ms);
    rpp__buf_puts(b, v);
}

/* A numeric cell that sorts by its value. */
static void num_cell(page *p, double v, const char *fmt)
{
    rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.6g\">", isfinite(v) ? v : 0);
    rpp__buf_printf(p->b, fmt, v);
    rpp__buf_puts(p->b, "</td>");
}

static void ms_cell(page *p, double ms)
{
    rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.0f\">", isfinite(ms) ? ms : 0);
    put_ms(p->b, ms);
    rpp__buf_puts(p->b, "</td>");
}

/* A cell of a value in words (v as written by rpp_human_*), sorting by
 * the number behind it. */
static void word_cell(page *p, double sort, const char *v)
{
    rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.6g\">",
                    isfinite(sort) ? sort : 0);
    rpp__html_safe(p->b, v);
    rpp__buf_puts(p->b, "</td>");
}

static void mbps_cell(page *p, double kbps)
{
    char v[40];

    rpp_human_mbps(v, sizeof(v), kbps);
    word_cell(p, kbps, v);
}

static void at_cell(page *p, uint64_t ms)
{
    char v[40];

    rpp_human_position(v, sizeof(v), (double)ms);
    word_cell(p, (double)ms, v);
}

void rpp__html_base64(rpp__buf *b, const unsigned char *d, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    char q[4];

    if (rpp__buf_grow(b, (n + 2) / 3 * 4) < 0)
        return;
    for (i = 0; i + 2 < n; i += 3) {
        q[0] = tab[d[i] >> 2];
        q[1] = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
        q[2] = tab[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)];
        q[3] = tab[d[i + 2] & 63];
        rpp__buf_put(b, q, 4);
    }
    if (i < n) {
        q[0] = tab[d[i] >> 2];
        if (i + 1 < n) {
            q[1] = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
            q[2] = tab[(d[i + 1] & 15) << 2];
        } else {
            q[1] = tab[(d[i] & 3) << 4];
            q[2] = '=';
        }
        q[3] = '=';
        rpp__buf_put(b, q, 4);
    }
}

/* A summary line of parts: the report's strings escaped, names as the
 * redactor has them. */
static void put_line(page *p, const rpp_line *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        const rpp_part *pt = &l->parts[i];

        if (pt->kind == RPP_PART_NAME)
            name(p, pt->name_kind, pt->text);
        else if (pt->kind == RPP_PART_TEXT)
            text(p, pt->text);
        else
            rpp__buf_puts(p->b, pt->text);
    }
}

static void summary(page *p)
{
    const rpp_report *r = p->r;
    const rpp_analysis *a = p->a;
    rpp__buf *b = p->b;
    rpp_line line;
    char v[40];
    size_t start;

    rpp__buf_puts(b, "<section id=\"summary\"><table class=\"kv\">");
    rpp__buf_puts(b, "<tr><th>Image</th><td>");
    if (r->summary.image_name[0])
        name(p, "image", r->summary.image_name);
    else
        rpp__buf_puts(b, "(none)");     /* no name to redact */
    if (r->summary.image_size) {
        rpp_human_bytes(v, sizeof(v), (double)r->summary.image_size);
        rpp__buf_printf(b, ", %s", v);
    }
    rpp__buf_puts(b, "</td></tr><tr><th>Device</th><td>");
    rpp_human_device_line(&line, r);
    put_line(p, &line);
    rpp__buf_puts(b, "</td></tr><tr><th>Result</th><td");
    if (a->session.state == RPP_STATE_FAILED)
        rpp__buf_puts(b, " class=\"fail\"");
    rpp__buf_puts(b, ">");
    text(p, a->session.result);
    if (a->session.state_inferred &&
        a->session.state != RPP_STATE_NEVER_STARTED)
        rpp__buf_puts(b, " (inferred)");
    rpp__buf_puts(b, "</td></tr>");
    if (a->session.state != RPP_STATE_NEVER_STARTED) {
        rpp__buf_puts(b, "<tr><th>Duration</th><td>");
        put_ms(b, (double)a->session.wall_ms);
        if (a->n_cycles > 1)
            rpp__buf_printf(b, " over %zu imaging cycles", a->n_cycles);
        rpp__buf_puts(b, "</td></tr>");
    }
    rpp__buf_printf(b, "<tr><th>Report</th><td>version %d", r->version);
    if (r->export_time[0]) {
        rpp__buf_puts(b, ", exported ");
        text(p, r->export_time);
    }
    rpp__buf_puts(b, "</td></tr>");
    if (r->system.present) {
        rpp__buf_puts(b, "<tr><th>System</th><td>");
        start = b->len;
        rpp_human_system_line(&line, &r->system);
        put_line(p, &line);
        if (b->len == start)
            b->len -= strlen("<tr><th>System</th><td>");
        else
            rpp__buf_puts(b, "</td></tr>");
        if (b->ptr)
            b->ptr[b->len] = '\0';
    }
    if (r->system.present && r->system.has_write_config) {
        char w[128];

        rpp_human_writes(w, sizeof(w), &r->system);
        rpp__buf_puts(b, "<tr><th>Writes</th><td>");
        rpp__buf_puts(b, w);
        rpp__buf_puts(b, "</td></tr>");
    }
    rpp__buf_puts(b, "</table>");
    if (a->session.note) {
        rpp__buf_puts(b, "<p>");
        rpp__html_lines(b, a->session.note);
        rpp__buf_puts(b, "</p>");
    }
    rpp__buf_puts(b, "</section>\n");
}

/* Whether a string of finding f is already stated by its message or
 * cause (as the text and markdown outputs judge it). */
static bool said(const rpp_finding *f, const char *s)
{
    if (!s || strlen(s) < 24)
        return false;
    return (f->message && strstr(f->message, s)) ||
           (f->cause && strstr(f->cause, s));
}

static void findings(page *p)
{
    const rpp_analysis *a = p->a;
    rpp__buf *b = p->b;
    size_t i, k;

    rpp__buf_puts(b, "<section id=\"findings\"><h2>Findings</h2>");
    if (!a->n_findings) {
        rpp__buf_puts(b, "<p>None: nothing unusual in this report.</p>"
                        "</section>\n");
        return;
    }
    rpp__buf_puts(b, "<ul>");
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        const char *lv = rpp_level_name(f->level);

        rpp__buf_printf(b, "<li class=\"finding %s\" data-id=\"", lv);
        rpp__html_safe(b, f->id);
        rpp__buf_printf(b, "\"><span class=\"badge\">%s</span> <code>", lv);
        rpp__html_safe(b, f->id);
        rpp__buf_puts(b, "</code> ");
        text(p, f->message);
        /* a cause or a value the message already states is not repeated */
        if (f->cause && *f->cause &&
            !(strlen(f->cause) >= 24 && f->message &&
              strstr(f->message, f->cause))) {
            rpp__buf_puts(b, "<div class=\"cause\">Likely cause: ");
            text(p, f->cause);
            rpp__buf_puts(b, "</div>");
        }
        if (f->n_evidence) {
            rpp__buf_puts(b, "<div class=\"evidence\">Evidence: ");
            for (k = 0; k < f->n_evidence; k++) {
                const rpp_value *v = &f->evidence[k];
                char w[64];
                if (k)
                    rpp__buf_puts(b, ", ");
                rpp__html_safe(b, v->key);
                rpp__buf_puts(b, " = ");
                if (v->kind == RPP_VALUE_STR && said(f, v->s)) {
                    rpp__buf_puts(b, "(as above)");
                } else if (v->kind == RPP_VALUE_STR) {
                    text(p, v->s);
                } else {
                    rpp_human_value(w, sizeof(w), v);
                    rpp__buf_puts(b, w);
                }
            }
            rpp__buf_puts(b, "</div>");
        }
        rpp__buf_puts(b, "</li>");
    }
    rpp__buf_puts(b, "</ul></section>\n");
}

static void bottleneck(page *p)
{
    const rpp_bottleneck *bn = &p->a->bottleneck;
    rpp__buf *b = p->b;
    char verdict[64];
    size_t i;

    if (!p->a->phases[RPP_PHASE_WRITE].present &&
        bn->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    rpp_human_bottleneck(verdict, sizeof(verdict), bn->kind, bn->confidence);
    rpp__buf_printf(b, "<section id=\"bottleneck\"><h2>Bottleneck: %s</h2><p>",
                    verdict);
    rpp__html_lines(b, bn->summary);
    rpp__buf_puts(b, "</p><ul>");
    for (i = 0; i < bn->n_reasons; i++) {
        rpp__buf_puts(b, "<li>");
        rpp__html_lines(b, bn->reasons[i]);
        rpp__buf_puts(b, "</li>");
    }
    rpp__buf_puts(b, "</ul></section>\n");
}

static int charts(page *p)
{
    static const char *const captions[RPP_CHART_COUNT] = {
        "Timeline: every phase and event on one time axis, with the "
        "pipeline totals listed under it",
        "Throughput of each phase, with stalls, gaps and the events around "
        "them",
        "Network: the image download over time with its retries, the "
        "connection's timings, the OS list, sublists and cache"
    };
    rpp_render_opts ro;
    int k, st;

    memset(&ro, 0, sizeof(ro));
    ro.width = p->o->chart_width;
    ro.format = RPP_IMAGE_PNG;
    ro.redact = p->o->redact;
    ro.redactor = p->rd;
    rpp__buf_puts(p->b, "<section id=\"charts\"><h2>Charts</h2>");
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        unsigned char *png = NULL;
        size_t len = 0;

        st = rpp_render_chart(p->r, p->a, (rpp_chart)k, &ro, &png, &len);
        if (st != RPP_OK)
            return st;
        rpp__buf_printf(p->b, "<figure><img id=\"chart-%s\" alt=\"%s chart\" "
                             "src=\"data:image/png;base64,",
                       rpp_chart_name((rpp_chart)k),
                       rpp_chart_name((rpp_chart)k));
        rpp__html_base64(p->b, png, len);
        free(png);
        rpp__buf_printf(p->b, "\"><figcaption>%s</figcaption></figure>",
                       captions[k]);
    }
    rpp__buf_puts(p->b, "</section>\n");
    return RPP_OK;
}

static void phases(page *p)
{
    const rpp_analysis *a = p->a;
    rpp__buf *b = p->b;
    char v[40];
    int ph;
    bool any = false;

    for (ph = 0; ph < RPP_PHASE_COUNT; ph++)
        any = any || a->phases[ph].present;
    if (!any)
        return;
    rpp__buf_puts(b, "<section id=\"phases\"><h2>Phases (MB/s)</h2>"
                    "<table class=\"sortable\"><thead><tr><th>phase</th>"
                    "<th class=\"n\">slices</th><th class=\"n\">active</th>"
                    "<th class=\"n\">avg</th><th class=\"n\">p5</th>"
                    "<th class=\"n\">median</th><th class=\"n\">p95</th>"
                    "<th class=\"n\">min</th><th class=\"n\">max</th>"
                    "<th class=\"n\">CV</th><th class=\"n\">&lt; 2 MB/s</th>"
                    "<th class=\"n\">gaps</th><th class=\"n\">stalls"
                    "</th></tr></thead><tbody>");
    for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
        const rpp_phase_stats *s = &a->phases[ph];
        if (!s->present)
            continue;
        rpp__buf_printf(b, "<tr><td>%s</td>", rpp_phase_name((rpp_phase)ph));
        num_cell(p, (double)s->n_slices, "%.0f");
        ms_cell(p, (double)s->active_ms);
        mbps_cell(p, s->avg_kbps);
        mbps_cell(p, s->p5_kbps);
        mbps_cell(p, s->median_kbps);
        mbps_cell(p, s->p95_kbps);
        mbps_cell(p, s->min_kbps);
        mbps_cell(p, s->max_kbps);
        num_cell(p, s->cv, "%.2f");
        rpp_human_percent(v, sizeof(v), s->low_share);
        word_cell(p, s->low_share, v);
        num_cell(p, (double)s->n_gaps, "%.0f");
        num_cell(p, (double)s->n_stalls, "%.0f");
        rpp__buf_puts(b, "</tr>");
    }
    rpp__buf_puts(b, "</tbody></table></section>\n");
}

static void cycles(page *p)
{
    const rpp_analysis *a = p->a;
    rpp__buf *b = p->b;
    size_t i;
    int ph;

    if (a->n_cycles < 2)
        return;
    rpp__buf_puts(b, "<section id=\"cycles\"><h2>Imaging cycles (average "
                    "MB/s)</h2><table class=\"sortable\"><thead><tr>"
                    "<th class=\"n\">#</th><th>state</th>"
                    "<th class=\"n\">duration</th><th class=\"n\">download"
                    "</th><th class=\"n\">decompress</th><th class=\"n\">"
                    "write</th><th class=\"n\">verify</th><th>device</th>"
                    "<th>image</th></tr></thead><tbody>");
    for (i = 0; i < a->n_cycles; i++) {
        const rpp_cycle *c = &a->cycles[i];
        rpp__buf_puts(b, "<tr>");
        num_cell(p, (double)(i + 1), "%.0f");
        rpp__buf_printf(b, "<td>%s</td>", rpp_human_state(c->state));
        ms_cell(p, (double)c->duration_ms);
        for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
            if (c->phases[ph].present)
                mbps_cell(p, c->phases[ph].avg_kbps);
            else
                rpp__buf_puts(b, "<td class=\"n\" data-v=\"-1\">-</td>");
        }
        rpp__buf_puts(b, "<td>");
        name(p, "device", c->device_name);
        rpp__buf_puts(b, "</td><td>");
        name(p, "image", c->image_name);
        rpp__buf_puts(b, "</td></tr>");
    }
    rpp__buf_puts(b, "</tbody></table></section>\n");
}

static void events(page *p)
{
    const rpp_analysis *a = p->a;
    const rpp_report *r = p->r;
    rpp__buf *b = p->b;
    char v[40];
    size_t i;

    if (!r->n_events)
        return;
    rpp__buf_puts(b, "<section id=\"types\"><h2>Events by type</h2>"
                    "<table class=\"sortable\" id=\"table-types\"><thead><tr>"
                    "<th>type</th><th>category</th><th class=\"n\">count</th>"
                    "<th class=\"n\">total</th><th class=\"n\">avg</th>"
                    "<th class=\"n\">min</th><th class=\"n\">max</th>"
                    "<th class=\"n\">failed</th><th class=\"n\">share</th>"
                    "</tr></thead><tbody>");
    for (i = 0; i < a->n_types; i++) {
        const rpp_type_stats *t = &a->types[i];
        rpp__buf_puts(b, "<tr><td>");
        rpp__html_safe(b, t->name);
        rpp__buf_puts(b, "</td><td>");
        rpp__html_safe(b, rpp_category_title(t->category));
        rpp__buf_puts(b, "</td>");
        num_cell(p, (double)t->count, "%.0f");
        ms_cell(p, (double)a->type_once_ms[i]);
        ms_cell(p, t->avg_ms);
        ms_cell(p, (double)t->min_ms);
        ms_cell(p, (double)t->max_ms);
        num_cell(p, (double)t->failures, "%.0f");
        /* pipeline summaries are totals over the write, not spans of
         * time: they have no share of it, as in the text */
        rpp_human_share(v, sizeof(v), t->category, t->share,
                        a->session.wall_ms);
        word_cell(p, t->category == RPP_CAT_PIPELINE ? -1 : t->share, v);
        rpp__buf_puts(b, "</tr>");
    }
    rpp__buf_puts(b, "</tbody></table></section>\n");
    if (r->n_events > HTML_MAX_EVENT_ROWS)
        rpp__buf_printf(b, "<section id=\"events\"><h2>Events (the first "
                           "%d of %zu)</h2>", HTML_MAX_EVENT_ROWS,
                        r->n_events);
    else
        rpp__buf_printf(b, "<section id=\"events\"><h2>All events (%zu)"
                           "</h2>", r->n_events);
    rpp__buf_puts(b, "<table class=\"sortable\" id=\"table-events\"><thead>"
                    "<tr><th class=\"n\">#</th><th class=\"n\">at</th>"
                    "<th>type</th><th class=\"n\">duration</th><th>ok</th>"
                    "<th>metadata</th></tr></thead><tbody>");
    for (i = 0; i < r->n_events && i < HTML_MAX_EVENT_ROWS; i++) {
        const rpp_event *e = &r->events[i];
        rpp__buf_puts(b, "<tr>");
        num_cell(p, (double)i, "%.0f");
        at_cell(p, a->event_times[i].start_ms);
        rpp__buf_puts(b, "<td>");
        rpp__html_safe(b, e->type_name);
        rpp__buf_puts(b, "</td>");
        ms_cell(p, (double)e->duration_ms);
        rpp__buf_printf(b, "<td%s>%s</td><td>", e->success ? "" : " class=\"fail\"",
                       e->success ? "yes" : "no");
        if (e->metadata)
            text(p, e->metadata);
        rpp__buf_puts(b, "</td></tr>");
    }
    rpp__buf_puts(b, "</tbody></table>");
    if (r->n_events > HTML_MAX_EVENT_ROWS)
        rpp__buf_printf(b, "<p>This lists the first %d of the %zu events; "
                           "the report file itself holds every one.</p>",
                        HTML_MAX_EVENT_ROWS, r->n_events);
    rpp__buf_puts(b, "</section>\n");
}

static int text_report(page *p)
{
    rpp_format_opts fo;
    char *out = NULL;
    int st;

    memset(&fo, 0, sizeof(fo));
    fo.file_name = p->o->file_name;
    fo.redact = p->o->redact;
    fo.redactor = p->rd;
    st = rpp_analysis_format(p->a, RPP_FORMAT_TEXT, &fo, &out, NULL);
    if (st != RPP_OK)
        return st;
    rpp__buf_puts(p->b, "<section id=\"text\"><h2>Text report</h2><details>"
                       "<summary>The output of rpiperf analyse</summary><pre>");
    /* already made terminal-safe by the text format; escape for HTML,
     * line by line so that the lines stay lines */
    {
        char *line = out, *nl;
        for (;;) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            rpp__html_safe(p->b, line);
            if (!nl)
                break;
            rpp__buf_putc(p->b, '\n');
            line = nl + 1;
        }
    }
    rpp__buf_puts(p->b, "</pre></details></section>\n");
    free(out);
    return RPP_OK;
}

int rpp_render_html(const rpp_report *r, const rpp_analysis *a,
                    const rpp_html_opts *opts, char **out, size_t *len)
{
    rpp_html_opts defaults;
    rpp__buf b = RPP__BUF_INIT;
    page p;
    int st;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (len)
        *len = 0;
    if (!r || !a || a->report != r ||
        (opts && opts->version > RPP_HTML_OPTS_VERSION))
        return RPP_ERR_ARG;
    memset(&defaults, 0, sizeof(defaults));
    memset(&p, 0, sizeof(p));
    p.b = &b;
    p.r = r;
    p.a = a;
    p.o = opts ? opts : &defaults;
    if (p.o->redact && rpp_redactor_new(&p.rd) != RPP_OK)
        return RPP_ERR_NOMEM;

    rpp__buf_puts(&b, RPP_HTML_HEAD "<title>rpiperf: ");
    if (r->summary.image_name[0])
        name(&p, "image", r->summary.image_name);
    else
        rpp__buf_puts(&b, "no write captured");
    if (r->summary.device_name[0]) {
        rpp__buf_puts(&b, " on ");
        name(&p, "device", r->summary.device_name);
    }
    rpp__buf_printf(&b, "</title><style>%s</style></head><body>\n<header>"
                       "<h1>rpiperf analysis</h1>",
                   rpp__html_style);
    if (p.o->file_name) {
        rpp__buf_puts(&b, "<p class=\"sub\">");
        text(&p, p.o->file_name);
        rpp__buf_puts(&b, "</p>");
    }
    rpp__buf_puts(&b, "</header>\n");
    summary(&p);
    findings(&p);
    bottleneck(&p);
    st = charts(&p);
    if (st == RPP_OK) {
        phases(&p);
        cycles(&p);
        events(&p);
        st = text_report(&p);
    }
    rpp_redactor_free(p.rd);
    return rpp__html_finish(&b, st, p.oom, out, len,
                            "Made by rpiperf %s from a Raspberry Pi Imager "
                            "performance report (version %d).",
                            RPP_VERSION_STRING, r->version);
}

int rpp__html_finish(rpp__buf *b, int st, bool lost, char **out,
                     size_t *len, const char *footer, ...)
{
    va_list ap;

    rpp__buf_puts(b, "<footer>");
    va_start(ap, footer);
    rpp__buf_vprintf(b, footer, ap);
    va_end(ap);
    rpp__buf_printf(b, "</footer>\n<script>%s</script>\n</body></html>\n",
                    rpp__html_script);
    if (st == RPP_OK && (b->oom || lost))
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp__buf_free(b);
        return st;
    }
    if (len)
        *len = b->len;
    *out = rpp__buf_detach(b);
    return *out ? RPP_OK : RPP_ERR_NOMEM;
}
