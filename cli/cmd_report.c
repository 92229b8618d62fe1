/*
 * cmd_report.c - `rpiperf report FILE` (and `rpiperf analyse --html`): one
 * self-contained HTML page with the analysis, the charts and sortable
 * tables. Part of rpiperf-render, which links cairo.
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>
#include <rpiperf/render.h>

#include <stdlib.h>
#include <string.h>

int cli_write_html(const char *out_path, const char *input,
                   const rpp_report *r, const rpp_analysis *a, bool redact,
                   unsigned width)
{
    rpp_html_opts ho = RPP_HTML_OPTS_INIT;
    char *html = NULL;
    size_t len = 0;
    int rc;

    ho.file_name = strcmp(input, "-") == 0 ? NULL : input;
    if (redact && ho.file_name) {
        const char *slash = strrchr(ho.file_name, '/');
        ho.file_name = slash ? slash + 1 : ho.file_name;
    }
    ho.redact = redact;
    ho.chart_width = width;
    if (rpp_render_html(r, a, &ho, &html, &len) != RPP_OK) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    rc = cli_write_file(out_path, html, len, input) < 0 ? RPP_EXIT_OUTPUT
                                                        : RPP_EXIT_OK;
    free(html);
    if (rc == RPP_EXIT_OK) {
        cli_put_safe(stdout, out_path);
        fputc('\n', stdout);
    }
    return rc;
}

/* NAME.html next to the input. */
static char *default_output(const char *input)
{
    size_t n = strlen(input);
    char *out = malloc(n + 6);

    if (!out)
        return NULL;
    memcpy(out, input, n + 1);
    if (n > 5 && strcmp(out + n - 5, ".json") == 0)
        n -= 5;
    memcpy(out + n, ".html", sizeof(".html"));
    return out;
}

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    unsigned *width = ctx;

    if (id == OPT_WIDTH)
        *width = (unsigned)v->number;
    return 0;
}

int cmd_report(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_REPORT);
    cli_common co;
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    const char *output, *input;
    char *def = NULL;
    unsigned width = 0;
    int st, rc;

    rc = cli_parse(cmd, argc, argv, &co, own_option, &width);
    if (rc != CLI_RUN)
        goto cleanup;
    input = co.operands[0];
    output = co.output;
    if (!output) {
        if (strcmp(input, "-") == 0) {
            rc = cli_usage_error(cmd, "reading standard input needs -o FILE");
            goto cleanup;
        }
        output = def = default_output(input);
        if (!def) {
            cli_error("out of memory");
            rc = RPP_EXIT_INTERNAL;
            goto cleanup;
        }
    }
    r = cli_load(input, &co.load, false, &st);
    if (!r) {
        rc = cli_load_exit(st);
        goto cleanup;
    }
    if (rpp_analysis_run(&a, r, cli_rules(&co)) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    rc = cli_write_html(output, input, r, a, co.redact, width);

cleanup:
    free(def);
    rpp_analysis_free(a);
    rpp_report_free(r);
    cli_common_free(&co);
    rpp_render_cleanup();
    return rc;
}
