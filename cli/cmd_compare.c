/*
 * cmd_compare.c - `rpiperf compare REPORT REPORT [REPORT...]`: loads and
 * analyses the reports (on a few threads), compares them against the
 * baseline, prints the comparison and, in rpiperf-render, draws the overlay
 * chart and the page. Maps --fail-slower to the exit status.
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>
#ifdef RPP_CLI_FULL
#include <rpiperf/render.h>
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The options of compare's own. */
typedef struct compare_args {
    bool fail_set;
    double fail_slower;       /* percent */
    size_t baseline;          /* 1-based as given; 0 = the default */
    rpp_compare_sort sort;
    const char *chart;
    const char *html;
    unsigned width;           /* of the chart; 0 = the default */
} compare_args;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    static const rpp_compare_sort sorts[] = { RPP_COMPARE_SORT_GIVEN,
                                              RPP_COMPARE_SORT_VERSION,
                                              RPP_COMPARE_SORT_TIME };
    compare_args *ca = ctx;

    if (id == OPT_FAIL_SLOWER) {
        ca->fail_set = true;
        ca->fail_slower = v->number;
    } else if (id == OPT_BASELINE) {
        ca->baseline = (size_t)v->number;
    } else if (id == OPT_SORT) {
        ca->sort = sorts[v->choice];
    } else if (id == OPT_CHART) {
        ca->chart = v->text;
    } else if (id == OPT_HTML) {
        ca->html = v->text;
    } else if (id == OPT_WIDTH) {
        ca->width = (unsigned)v->number;
    }
    return 0;
}

/* One report: loaded and analysed on a worker thread, its problems
 * printed afterwards in the order given. */
typedef struct job {
    const char *path;
    rpp_report *r;
    rpp_analysis *a;
    rpp_diags *d;
    int st;                   /* of the load */
    bool nomem;               /* out of memory anywhere */
} job;

typedef struct jobs {
    job *j;
    const rpp_load_opts *load;
    const rpp_rules *rules;
} jobs;

static void run_job(void *ctx, size_t i)
{
    jobs *js = ctx;
    job *j = &js->j[i];

    j->d = malloc(sizeof(*j->d));
    if (!j->d) {
        j->nomem = true;
        return;
    }
    j->st = cli_load_quiet(j->path, js->load, &j->r, j->d);
    if (j->r && rpp_analysis_run(&j->a, j->r, js->rules) != RPP_OK)
        j->nomem = true;
}

/* Whether path names one of the inputs (then it is refused: status 4). */
static bool is_input(const char *path, char **inputs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (cli_same_file(path, inputs[i])) {
            cli_error_file("refusing to overwrite the input file", path, 0);
            return true;
        }
    }
    return false;
}

/* The image format of a chart file, from its name's ending. */
static bool chart_format(const char *path, int *format)
{
    static const char *const ext[] = { ".png", ".svg", ".pdf" };
    size_t n = strlen(path), i, k;

    for (i = 0; i < 3; i++) {
        if (n <= 4)
            break;
        for (k = 0; k < 4; k++)
            if (tolower((unsigned char)path[n - 4 + k]) != ext[i][k])
                break;
        if (k == 4) {
            *format = (int)i;
            return true;
        }
    }
    return false;
}

/* Checks the arguments beyond what the option table can; returns CLI_RUN
 * or the status to end with. */
static int check_args(const cli_command *cmd, const cli_common *co,
                      const compare_args *ca)
{
    size_t i, stdin_uses = 0;
    int format;

    for (i = 0; i < co->n_operands; i++)
        stdin_uses += strcmp(co->operands[i], "-") == 0;
    if (stdin_uses > 1)
        return cli_usage_error(cmd, "standard input can be only one of the "
                                    "reports");
    if (ca->baseline > co->n_operands)
        return cli_usage_error(cmd, "--baseline %zu: only %zu reports given",
                               ca->baseline, co->n_operands);
    if (ca->chart && !chart_format(ca->chart, &format))
        return cli_usage_error(cmd, "--chart: the file name must end in "
                                    ".png, .svg or .pdf");
    if ((co->output && is_input(co->output, co->operands, co->n_operands)) ||
        (ca->chart && is_input(ca->chart, co->operands, co->n_operands)) ||
        (ca->html && is_input(ca->html, co->operands, co->n_operands)))
        return RPP_EXIT_OUTPUT;
    return CLI_RUN;
}

/* Loads and analyses every report; returns CLI_RUN or the exit status. */
static int load_all(const cli_common *co, job *j)
{
    jobs js;
    size_t i;
    int rc = CLI_RUN;

    js.j = j;
    js.load = &co->load;
    js.rules = cli_rules(co);
    for (i = 0; i < co->n_operands; i++)
        j[i].path = co->operands[i];
    cli_parallel(co->n_operands, cli_processors(), run_job, &js);
    for (i = 0; i < co->n_operands; i++) {
        if (j[i].d)
            cli_load_problems(j[i].path, j[i].st, j[i].d, false);
        if (j[i].nomem || (!j[i].r && j[i].st == RPP_ERR_NOMEM))
            rc = RPP_EXIT_INTERNAL;
        else if (!j[i].r && rc == CLI_RUN)
            rc = RPP_EXIT_INVALID;
    }
    if (rc == RPP_EXIT_INTERNAL)
        cli_error("out of memory");
    return rc;
}

#ifdef RPP_CLI_FULL
/* Draws the overlay chart and the page; returns 0 or the exit status. */
static int draw(const rpp_comparison *cmp, const compare_args *ca, bool redact)
{
    unsigned char *png = NULL;
    char *html = NULL;
    size_t len = 0;
    int format = 0, rc = RPP_EXIT_OK;

    if (ca->chart) {
        rpp_render_opts ro = RPP_RENDER_OPTS_INIT;
        chart_format(ca->chart, &format);
        ro.format = (rpp_image_format)format;
        ro.width = ca->width;
        ro.redact = redact;
        if (rpp_render_compare_chart(cmp, &ro, &png, &len) != RPP_OK) {
            cli_error("out of memory");
            return RPP_EXIT_INTERNAL;
        }
        if (cli_write_file(ca->chart, (const char *)png, len, NULL) < 0)
            rc = RPP_EXIT_OUTPUT;
        free(png);
    }
    if (ca->html && rc == RPP_EXIT_OK) {
        rpp_html_opts ho = RPP_HTML_OPTS_INIT;
        ho.redact = redact;
        ho.chart_width = ca->width;
        if (rpp_render_compare_html(cmp, &ho, &html, &len) != RPP_OK) {
            cli_error("out of memory");
            return RPP_EXIT_INTERNAL;
        }
        if (cli_write_file(ca->html, html, len, NULL) < 0)
            rc = RPP_EXIT_OUTPUT;
        free(html);
    }
    return rc;
}
#endif

int cmd_compare(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_COMPARE);
    compare_args ca;
    cli_common co;
    rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
    rpp_compare_opts opts = RPP_COMPARE_OPTS_INIT;
    rpp_comparison *cmp = NULL;
    const rpp_analysis **as = NULL;
    const char **names = NULL;
    job *j = NULL;
    char *text = NULL;
    size_t len = 0, i, n = 0;
    int rc;

    memset(&ca, 0, sizeof(ca));
    rc = cli_parse(cmd, argc, argv, &co, own_option, &ca);
    if (rc != CLI_RUN)
        goto cleanup;
#ifndef RPP_CLI_FULL
    if (ca.chart || ca.html) {
        /* the chart and the page are drawn by rpiperf-render */
        cli_common_free(&co);
        return cli_exec_full(argc, argv);
    }
#endif
    if ((rc = check_args(cmd, &co, &ca)) != CLI_RUN)
        goto cleanup;
    n = co.n_operands;
    j = calloc(n, sizeof(*j));
    as = calloc(n, sizeof(const rpp_analysis *));
    names = calloc(n, sizeof(*names));
    if (!j || !as || !names) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if ((rc = load_all(&co, j)) != CLI_RUN)
        goto cleanup;
    for (i = 0; i < n; i++) {
        as[i] = j[i].a;
        names[i] = cli_display_name(co.operands[i]);
        if (co.redact && strrchr(names[i], '/'))
            names[i] = strrchr(names[i], '/') + 1;
    }
    opts.names = names;
    opts.baseline = ca.baseline;
    opts.sort = ca.sort;
    fo.redact = co.redact;
    if (rpp_compare_run(&cmp, as, n, &opts) != RPP_OK ||
        rpp_compare_format(cmp, co.format, &fo, &text, &len) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (co.output) {
        if (cli_write_file(co.output, text, len, NULL) < 0) {
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
    } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = RPP_EXIT_OUTPUT;
        goto cleanup;
    }
#ifdef RPP_CLI_FULL
    if ((rc = draw(cmp, &ca, co.redact)) != RPP_EXIT_OK)
        goto cleanup;
#endif
    rc = ca.fail_set && rpp_compare_failing(cmp, ca.fail_slower) > 0
             ? RPP_EXIT_FINDINGS
             : RPP_EXIT_OK;

cleanup:
    free(text);
    rpp_compare_free(cmp);
    for (i = 0; j && i < n; i++) {
        rpp_analysis_free(j[i].a);
        rpp_report_free(j[i].r);
        free(j[i].d);
    }
    free(j);
    free(as);
    free(names);
    cli_common_free(&co);
#ifdef RPP_CLI_FULL
    if (ca.chart || ca.html)
        rpp_render_cleanup();
#endif
    return rc;
}
