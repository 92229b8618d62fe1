/*
 * compare_html.c - owns the HTML page of a comparison: the verdict, the key
 * of the runs, the context and phase tables, the overlay chart as a PNG
 * data URI, the event types that changed notably, the findings of each run
 * (marking those that appeared against the baseline) and the text output.
 * Like the report's page (html.c, whose style sheet and script it shares),
 * it references nothing outside itself and escapes every string that comes
 * from a report or a file name.
 */
#include <rpiperf/render.h>
#include "page.h"
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the comparison adds to the report page's style sheet. */
static const char extra_style[] =
    ".swatch{display:inline-block;width:.9em;height:.9em;margin-right:.4em;"
    "vertical-align:-.1em;border-radius:2px}"
    ".partial{color:#777;font-style:italic}"
    ".appeared{font-weight:bold}"
    "td.run,th.run{white-space:nowrap}"
    "#verdict p{font-size:1.05em;max-width:60em}";

typedef struct cpage {
    rpp__buf *b;
    const rpp_comparison *c;
    const rpp_html_opts *o;
    rpp_redactor *rd;
    bool oom;
} cpage;

static void esc(cpage *p, const char *s)
{
    rpp__html_safe(p->b, s ? s : "");
}

/* Report text: redacted when asked, then escaped. */
static void text(cpage *p, const char *s)
{
    const char *v = s ? s : "";

    if (p->rd && *v) {
        v = rpp_redact_text(p->rd, v);
        if (!v) {
            p->oom = true;
            v = "";
        }
    }
    esc(p, v);
}

/* A run's name with its colour in the chart. */
static void run_name(cpage *p, size_t k)
{
    rpp__plot_rgb c = rpp__plot_series_rgb(k);

    rpp__buf_printf(p->b, "<span class=\"swatch\" style=\"background:"
                          "#%02x%02x%02x\"></span>",
                    (unsigned)lround(c.r * 255), (unsigned)lround(c.g * 255),
                    (unsigned)lround(c.b * 255));
    esc(p, p->c->runs[k].tag);
    if (k == p->c->baseline)
        rpp__buf_puts(p->b, " (baseline)");
}

static void num_cell(cpage *p, bool have, double v)
{
    if (have)
        rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.6g\">%.1f</td>",
                        isfinite(v) ? v : 0, v);
    else
        rpp__buf_puts(p->b, "<td class=\"n\" data-v=\"-1\">-</td>");
}

static void ms_cell(cpage *p, bool have, double ms)
{
    char d[48];

    if (!have) {
        rpp__buf_puts(p->b, "<td class=\"n\" data-v=\"-1\">-</td>");
        return;
    }
    rpp_human_duration(d, sizeof(d), ms);
    rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.0f\">%s</td>", ms, d);
}

/* A change against the baseline: blank for the baseline, "partial" for a
 * run that is not compared (where it has data), "-" where it cannot be
 * computed. */
static void change_cell(cpage *p, size_t k, bool have, double ch)
{
    const rpp_compared_run *r = &p->c->runs[k];

    if (k == p->c->baseline)
        rpp__buf_puts(p->b, "<td class=\"n\" data-v=\"0\"></td>");
    else if (r->not_compared && have)
        rpp__buf_puts(p->b, "<td class=\"n partial\" data-v=\"0\">partial"
                            "</td>");
    else if (isnan(ch))
        rpp__buf_puts(p->b, "<td class=\"n\" data-v=\"0\">-</td>");
    else if (fabs(ch) < 0.005)
        rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.4f\">0 %%</td>", ch);
    else
        rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%.4f\">%+.0f %%</td>",
                        ch, ch * 100);
}

static void verdict(cpage *p)
{
    rpp__buf_puts(p->b, "<section id=\"verdict\"><h2>Verdict</h2><p>");
    esc(p, p->c->verdict);
    rpp__buf_puts(p->b, "</p></section>\n");
}

static void runs(cpage *p)
{
    const rpp_comparison *c = p->c;
    size_t k;

    rpp__buf_puts(p->b, "<section id=\"runs\"><h2>Runs</h2><table class="
                        "\"sortable\" id=\"table-runs\"><thead><tr><th class="
                        "\"n\">#</th><th>run</th><th>state</th><th>file</th>"
                        "<th>not compared because</th></tr></thead><tbody>");
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        rpp__buf_printf(p->b, "<tr><td class=\"n\" data-v=\"%zu\">%zu</td>"
                              "<td class=\"run\">",
                        k + 1, k + 1);
        run_name(p, k);
        rpp__buf_printf(p->b, "</td><td%s>",
                        r->finished ? "" : " class=\"fail\"");
        esc(p, rpp_session_state_name(r->analysis->session.state));
        rpp__buf_puts(p->b, "</td><td>");
        esc(p, r->name);
        rpp__buf_puts(p->b, "</td><td>");
        esc(p, r->not_compared ? r->not_compared : "");
        rpp__buf_puts(p->b, "</td></tr>");
    }
    rpp__buf_puts(p->b, "</tbody></table></section>\n");
}

static void context(cpage *p)
{
    const rpp_comparison *c = p->c;
    char cell[256];
    const char *label;
    size_t row, k;

    rpp__buf_puts(p->b, "<section id=\"context\"><h2>Context</h2><table "
                        "id=\"table-context\"><thead><tr><th></th>");
    for (k = 0; k < c->n_runs; k++) {
        rpp__buf_puts(p->b, "<th class=\"run\">");
        run_name(p, k);
        rpp__buf_puts(p->b, "</th>");
    }
    rpp__buf_puts(p->b, "</tr></thead><tbody>");
    for (row = 0; row < RPP_COMPARE_CONTEXT_ROWS; row++) {
        for (k = 0; k < c->n_runs; k++) {
            int st = rpp_compare_context(c, row, k, p->rd, &label, cell,
                                         sizeof(cell));
            if (st == RPP_ERR_NOMEM)
                p->oom = true;
            if (k == 0) {
                rpp__buf_puts(p->b, "<tr><th>");
                esc(p, st == RPP_OK ? label : "");
                rpp__buf_puts(p->b, "</th>");
            }
            rpp__buf_puts(p->b, "<td>");
            esc(p, st == RPP_OK ? cell : "-");
            rpp__buf_puts(p->b, "</td>");
        }
        rpp__buf_puts(p->b, "</tr>");
    }
    rpp__buf_puts(p->b, "</tbody></table></section>\n");
}

static void phases(cpage *p)
{
    const rpp_comparison *c = p->c;
    size_t k;
    int ph;

    rpp__buf_puts(p->b, "<section id=\"phases\"><h2>Phases (MB/s)</h2>"
                        "<table class=\"sortable\" id=\"table-phases\"><thead>"
                        "<tr><th>phase</th><th>run</th><th class=\"n\">avg"
                        "</th><th class=\"n\">change</th><th class=\"n\">p5"
                        "</th><th class=\"n\">p95</th><th class=\"n\">active"
                        " time</th><th class=\"n\">change</th></tr></thead>"
                        "<tbody>");
    for (ph = 0; ph < RPP_PHASE_COUNT; ph++) {
        bool any = false;
        for (k = 0; k < c->n_runs; k++)
            any = any || c->runs[k].phases[ph].present;
        for (k = 0; any && k < c->n_runs; k++) {
            const rpp_compare_phase *d = &c->runs[k].phases[ph];
            rpp__buf_printf(p->b, "<tr><td>%s</td><td class=\"run\">",
                            rpp_phase_name((rpp_phase)ph));
            run_name(p, k);
            rpp__buf_puts(p->b, "</td>");
            num_cell(p, d->present, d->avg_kbps / RPP_KBPS_PER_MBPS);
            change_cell(p, k, d->present, d->avg_change);
            num_cell(p, d->present, d->p5_kbps / RPP_KBPS_PER_MBPS);
            num_cell(p, d->present, d->p95_kbps / RPP_KBPS_PER_MBPS);
            ms_cell(p, d->present, (double)d->active_ms);
            change_cell(p, k, d->present, d->ms_change);
            rpp__buf_puts(p->b, "</tr>");
        }
    }
    rpp__buf_puts(p->b, "</tbody></table></section>\n");
}

static int chart(cpage *p)
{
    rpp_render_opts ro = RPP_RENDER_OPTS_INIT;
    unsigned char *png = NULL;
    size_t len = 0;
    int st;

    ro.width = p->o->chart_width;
    ro.redact = p->o->redact;
    ro.redactor = p->rd;
    st = rpp_render_compare_chart(p->c, &ro, &png, &len);
    if (st != RPP_OK)
        return st;
    rpp__buf_puts(p->b, "<section id=\"charts\"><h2>Overlay chart</h2><figure>"
                        "<img id=\"chart-compare\" alt=\"overlay chart of the "
                        "runs\" src=\"data:image/png;base64,");
    rpp__html_base64(p->b, png, len);
    free(png);
    rpp__buf_puts(p->b, "\"><figcaption>The write and verify throughput of "
                        "every run over the time since its write began (the "
                        "baseline thicker, a run that did not finish dashed),"
                        " and the active time of each phase</figcaption>"
                        "</figure></section>\n");
    return RPP_OK;
}

static void events(cpage *p)
{
    const rpp_comparison *c = p->c;
    size_t i, k, shown = 0;
    char d[48];

    rpp__buf_puts(p->b, "<section id=\"events\"><h2>Event types that changed "
                        "notably</h2><table class=\"sortable\" id=\"table-"
                        "events\"><thead><tr><th>type</th>");
    for (k = 0; k < c->n_runs; k++) {
        rpp__buf_puts(p->b, "<th class=\"n run\">");
        run_name(p, k);
        rpp__buf_puts(p->b, "</th>");
    }
    rpp__buf_puts(p->b, "</tr></thead><tbody>");
    for (i = 0; i < c->n_types; i++) {
        const rpp_compare_type *t = &c->types[i];
        if (!t->notable)
            continue;
        shown++;
        rpp__buf_puts(p->b, "<tr><td>");
        esc(p, t->name);
        rpp__buf_puts(p->b, "</td>");
        for (k = 0; k < c->n_runs; k++) {
            if (!t->recordable[k]) {
                rpp__buf_puts(p->b, "<td class=\"n\" data-v=\"-1\">-</td>");
                continue;
            }
            rpp_human_duration(d, sizeof(d), (double)t->total_ms[k]);
            rpp__buf_printf(p->b, "<td class=\"n\" data-v=\"%llu\">%llu "
                                  "&times; %s</td>",
                            (unsigned long long)t->total_ms[k],
                            (unsigned long long)t->count[k], d);
        }
        rpp__buf_puts(p->b, "</tr>");
    }
    rpp__buf_puts(p->b, "</tbody></table>");
    if (!shown)
        rpp__buf_puts(p->b, "<p>None.</p>");
    rpp__buf_puts(p->b, "<p>Count &times; total time; - where the report's "
                        "format version cannot record the type.</p>"
                        "</section>\n");
}

static bool appeared(const rpp_compared_run *r, const rpp_finding *f)
{
    size_t i;

    for (i = 0; i < r->n_appeared; i++)
        if (strcmp(r->appeared[i]->id, f->id) == 0 &&
            r->appeared[i]->phase == f->phase)
            return true;
    return false;
}

static void findings(cpage *p)
{
    const rpp_comparison *c = p->c;
    size_t k, i;

    rpp__buf_puts(p->b, "<section id=\"findings\"><h2>Findings of each run"
                        "</h2>");
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        const rpp_analysis *a = r->analysis;
        rpp__buf_puts(p->b, "<h3>");
        run_name(p, k);
        rpp__buf_puts(p->b, "</h3>");
        if (!a->n_findings)
            rpp__buf_puts(p->b, "<p>None: nothing unusual.</p>");
        else
            rpp__buf_puts(p->b, "<ul>");
        for (i = 0; i < a->n_findings; i++) {
            const rpp_finding *f = &a->findings[i];
            const char *lv = rpp_level_name(f->level);
            bool isnew = k != c->baseline && appeared(r, f);
            rpp__buf_printf(p->b, "<li class=\"finding %s%s\" data-id=\"", lv,
                            isnew ? " appeared" : "");
            esc(p, f->id);
            rpp__buf_printf(p->b, "\" data-run=\"%zu\"><span class=\"badge\">"
                                  "%s</span> <code>",
                            k + 1, lv);
            esc(p, f->id);
            rpp__buf_puts(p->b, "</code> ");
            if (isnew)
                rpp__buf_puts(p->b, "(new against the baseline) ");
            text(p, f->message);
            rpp__buf_puts(p->b, "<div class=\"cause\">Likely cause: ");
            text(p, f->cause);
            rpp__buf_puts(p->b, "</div></li>");
        }
        if (a->n_findings)
            rpp__buf_puts(p->b, "</ul>");
        if (r->n_disappeared) {
            rpp__buf_puts(p->b, "<p>Gone against the baseline:");
            for (i = 0; i < r->n_disappeared; i++) {
                rpp__buf_puts(p->b, i ? ", <code>" : " <code>");
                esc(p, r->disappeared[i]->id);
                rpp__buf_puts(p->b, "</code>");
            }
            rpp__buf_puts(p->b, "</p>");
        }
    }
    rpp__buf_puts(p->b, "</section>\n");
}

static int text_output(cpage *p)
{
    rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
    char *out = NULL;
    int st;

    fo.redact = p->o->redact;
    fo.redactor = p->rd;
    st = rpp_compare_format(p->c, RPP_FORMAT_TEXT, &fo, &out, NULL);
    if (st != RPP_OK)
        return st;
    rpp__buf_puts(p->b, "<section id=\"text\"><h2>Text output</h2><details>"
                        "<summary>The output of rpiperf compare</summary><pre>");
    /* already made terminal-safe by the text format; escape for HTML */
    esc(p, out);
    rpp__buf_puts(p->b, "</pre></details></section>\n");
    free(out);
    return RPP_OK;
}

int rpp_render_compare_html(const rpp_comparison *c,
                            const rpp_html_opts *opts, char **out,
                            size_t *len)
{
    rpp_html_opts defaults = RPP_HTML_OPTS_INIT;
    rpp__buf b = RPP__BUF_INIT;
    cpage p;
    int st;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (len)
        *len = 0;
    if (!c || !c->runs || c->n_runs == 0 ||
        (opts && opts->version > RPP_HTML_OPTS_VERSION))
        return RPP_ERR_ARG;
    memset(&p, 0, sizeof(p));
    p.b = &b;
    p.c = c;
    p.o = opts ? opts : &defaults;
    if (p.o->redact && rpp_redactor_new(&p.rd) != RPP_OK)
        return RPP_ERR_NOMEM;
    rpp__buf_printf(&b, RPP_HTML_HEAD "<title>rpiperf: comparison of %zu "
                                      "runs</title><style>%s%s</style></head>"
                                      "<body>\n<header><h1>rpiperf comparison"
                                      "</h1><p class=\"sub\">%zu runs, the "
                                      "baseline is ",
                    c->n_runs, rpp__html_style, extra_style, c->n_runs);
    esc(&p, c->runs[c->baseline].tag);
    rpp__buf_printf(&b, ", in %s order</p></header>\n",
                    c->sort == RPP_COMPARE_SORT_VERSION ? "Imager version"
                    : c->sort == RPP_COMPARE_SORT_TIME  ? "start time"
                                                        : "the given");
    verdict(&p);
    runs(&p);
    context(&p);
    phases(&p);
    st = chart(&p);
    if (st == RPP_OK) {
        events(&p);
        findings(&p);
        st = text_output(&p);
    }
    rpp_redactor_free(p.rd);
    return rpp__html_finish(&b, st, p.oom, out, len,
                            "Made by rpiperf %s from %zu Raspberry Pi Imager "
                            "performance reports.",
                            RPP_VERSION_STRING, c->n_runs);
}
