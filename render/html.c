/*
 * html.c - one self-contained HTML page of a report: the summary, the
 * findings, the bottleneck, the three charts as PNG data URIs, sortable
 * tables of the phases and events, and the text report. No external
 * resource is referenced (a Content-Security-Policy says so to the
 * browser) and every string from the report is HTML-escaped.
 */
#include <rpiperf/render.h>
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_MAX_EVENT_ROWS 5000

static const char style[] =
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
static const char script[] =
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

/* Report text: redacted when asked, then escaped. */
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
    rpp__html_safe(p->b, v);
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
    if (!isfinite(ms) || ms < 0)
        ms = 0;
    if (ms < 1000)
        rpp__buf_printf(b, "%.0f ms", ms);
    else if (ms < 60000)
        rpp__buf_printf(b, "%.1f s", ms / 1000);
    else
        rpp__buf_printf(b, "%.0f min %02.0f s", floor(ms / 60000),
                       floor(fmod(ms / 1000, 60)));
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

static void base64(rpp__buf *b, const unsigned char *d, size_t n)
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

static void summary(page *p)
{
    const rpp_report *r = p->r;
    const rpp_analysis *a = p->a;
    rpp__buf *b = p->b;

    rpp__buf_puts(b, "<section id=\"summary\"><table class=\"kv\">");
    rpp__buf_puts(b, "<tr><th>Image</th><td>");
    name(p, "image", r->summary.image_name[0] ? r->summary.image_name
                                              : "(none)");
    rpp__buf_puts(b, "</td></tr><tr><th>Device</th><td>");
    name(p, "device", r->summary.device_name[0] ? r->summary.device_name
                                                : "(none)");
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
        text(p, r->system.platform.os);
        rpp__buf_puts(b, " ");
        text(p, r->system.platform.os_version);
        rpp__buf_puts(b, ", ");
        text(p, r->system.platform.cpu_architecture);
        rpp__buf_printf(b, ", %llu cores, %llu MB RAM; Imager ",
                       (unsigned long long)r->system.platform.cpu_cores,
                       (unsigned long long)r->system.memory.total_mb);
        text(p, r->system.imager.version);
        rpp__buf_puts(b, "</td></tr>");
    }
    rpp__buf_puts(b, "</table>");
    if (a->session.note) {
        rpp__buf_puts(b, "<p>");
        rpp__html_safe(b, a->session.note);
        rpp__buf_puts(b, "</p>");
    }
    rpp__buf_puts(b, "</section>\n");
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
        rpp__buf_puts(b, "<div class=\"cause\">Likely cause: ");
        text(p, f->cause);
        rpp__buf_puts(b, "</div>");
        if (f->n_evidence) {
            rpp__buf_puts(b, "<div class=\"evidence\">Evidence: ");
            for (k = 0; k < f->n_evidence; k++) {
                const rpp_value *v = &f->evidence[k];
                if (k)
                    rpp__buf_puts(b, ", ");
                text(p, v->key);
                rpp__buf_puts(b, " = ");
                switch (v->kind) {
                case RPP_VALUE_INT: rpp__buf_printf(b, "%lld", (long long)v->i); break;
                case RPP_VALUE_NUM: rpp__buf_printf(b, "%.2f", v->d); break;
                case RPP_VALUE_BOOL: rpp__buf_puts(b, v->i ? "true" : "false"); break;
                case RPP_VALUE_STR: text(p, v->s); break;
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
    size_t i;

    if (!p->a->phases[RPP_PHASE_WRITE].present &&
        bn->kind == RPP_BOTTLENECK_UNKNOWN)
        return;
    rpp__buf_printf(b, "<section id=\"bottleneck\"><h2>Bottleneck: %s",
                   rpp_bottleneck_name(bn->kind));
    if (bn->kind != RPP_BOTTLENECK_UNKNOWN)
        rpp__buf_printf(b, " (%s confidence)",
                       rpp_confidence_name(bn->confidence));
    rpp__buf_puts(b, "</h2><p>");
    rpp__html_safe(b, bn->summary);
    rpp__buf_puts(b, "</p><ul>");
    for (i = 0; i < bn->n_reasons; i++) {
        rpp__buf_puts(b, "<li>");
        rpp__html_safe(b, bn->reasons[i]);
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
        base64(p->b, png, len);
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
                    "<th class=\"n\">gaps</th><th class=\"n\">stall windows"
                    "</th></tr></thead><tbody>");
    for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
        const rpp_phase_stats *s = &a->phases[ph];
        if (!s->present)
            continue;
        rpp__buf_printf(b, "<tr><td>%s</td>", rpp_phase_name((rpp_phase)ph));
        num_cell(p, (double)s->n_slices, "%.0f");
        ms_cell(p, (double)s->active_ms);
        num_cell(p, s->avg_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->p5_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->median_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->p95_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->min_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->max_kbps / RPP_KBPS_PER_MBPS, "%.1f");
        num_cell(p, s->cv, "%.2f");
        num_cell(p, 100 * s->low_share, "%.0f %%");
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
        rpp__buf_printf(b, "<td>%s</td>", rpp_session_state_name(c->state));
        ms_cell(p, (double)c->duration_ms);
        for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
            if (c->phases[ph].present)
                num_cell(p, c->phases[ph].avg_kbps / RPP_KBPS_PER_MBPS, "%.1f");
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
        ms_cell(p, (double)t->total_ms);
        ms_cell(p, t->avg_ms);
        ms_cell(p, (double)t->min_ms);
        ms_cell(p, (double)t->max_ms);
        num_cell(p, (double)t->failures, "%.0f");
        num_cell(p, 100 * t->share, "%.1f %%");
        rpp__buf_puts(b, "</tr>");
    }
    rpp__buf_puts(b, "</tbody></table></section>\n");
    rpp__buf_printf(b, "<section id=\"events\"><h2>All events (%zu)</h2>"
                      "<table class=\"sortable\" id=\"table-events\"><thead>"
                      "<tr><th class=\"n\">#</th><th class=\"n\">at</th>"
                      "<th>type</th><th class=\"n\">duration</th><th>ok</th>"
                      "<th>metadata</th></tr></thead><tbody>",
                   r->n_events);
    for (i = 0; i < r->n_events && i < HTML_MAX_EVENT_ROWS; i++) {
        const rpp_event *e = &r->events[i];
        rpp__buf_puts(b, "<tr>");
        num_cell(p, (double)i, "%.0f");
        ms_cell(p, (double)a->event_times[i].start_ms);
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
        rpp__buf_printf(b, "<p>%zu more events not listed.</p>",
                       r->n_events - HTML_MAX_EVENT_ROWS);
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
    /* already made terminal-safe by the text format; escape for HTML */
    rpp__html_safe(p->b, out);
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

    rpp__buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                     "<meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, "
                     "initial-scale=1\">"
                     "<meta http-equiv=\"Content-Security-Policy\" "
                     "content=\"default-src 'none'; img-src data:; "
                     "style-src 'unsafe-inline'; script-src "
                     "'unsafe-inline'\"><title>rpiperf: ");
    name(&p, "image", r->summary.image_name[0] ? r->summary.image_name
                                               : "no write captured");
    if (r->summary.device_name[0]) {
        rpp__buf_puts(&b, " on ");
        name(&p, "device", r->summary.device_name);
    }
    rpp__buf_printf(&b, "</title><style>%s</style></head><body>\n<header>"
                       "<h1>rpiperf analysis</h1>",
                   style);
    if (p.o->file_name) {
        rpp__buf_puts(&b, "<p class=\"sub\">");
        rpp__html_safe(&b, p.o->file_name);
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
    rpp__buf_printf(&b, "<footer>Made by rpiperf %s from a Raspberry Pi "
                       "Imager performance report (version %d).</footer>\n"
                       "<script>%s</script>\n</body></html>\n",
                   RPP_VERSION_STRING, r->version, script);
    rpp_redactor_free(p.rd);
    if (st == RPP_OK && (b.oom || p.oom))
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
