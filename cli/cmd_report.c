/*
 * cmd_report.c - `rpiperf report FILE` (and `rpiperf analyse --html`): one
 * self-contained HTML page with the analysis, the charts and sortable
 * tables. Part of rpiperf-render, which links cairo.
 */
#include "cli.h"
#include <rpiperf/analyse.h>
#include <rpiperf/render.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cli_write_html(const char *out_path, const char *input,
                   const rpp_report *r, const rpp_analysis *a, bool redact,
                   unsigned width)
{
    rpp_html_opts ho;
    char *html = NULL;
    size_t len = 0;
    int rc;

    memset(&ho, 0, sizeof(ho));
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

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "redact", no_argument, NULL, 'R' },
        { "width", required_argument, NULL, 'W' },
        { "set", required_argument, NULL, 's' },
        { "rules", required_argument, NULL, 'r' },
        { "max-size", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    rpp_load_opts lo;
    rpp_rules *rules = NULL;
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    const char *output = NULL, *input;
    char *def = NULL;
    bool redact = false;
    unsigned long width = 0;
    int c, st, rc = RPP_EXIT_USAGE;

    memset(&lo, 0, sizeof(lo));
    if (rpp_rules_new(&rules) != RPP_OK) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'R': redact = true; break;
        case 'W':
            if (!cli_parse_uint(optarg, RPP_RENDER_MAX_SIZE, &width) ||
                width < RPP_RENDER_MIN_SIZE) {
                cli_error("--width: expected %d to %d", RPP_RENDER_MIN_SIZE,
                          RPP_RENDER_MAX_SIZE);
                goto cleanup;
            }
            break;
        case 's':
            if (cli_rules_set(rules, optarg) < 0)
                goto cleanup;
            break;
        case 'r':
            if (cli_rules_file(rules, optarg) < 0)
                goto cleanup;
            break;
        case 'S':
            if (!cli_opt_max_size(optarg, &lo))
                goto cleanup;
            break;
        case 'h':
            fputs(report_usage, stdout);
            rc = RPP_EXIT_OK;
            goto cleanup;
        default:
            fputs(report_usage, stderr);
            goto cleanup;
        }
    }
    if (optind != argc - 1) {
        cli_error("report: expected exactly one FILE");
        fputs(report_usage, stderr);
        goto cleanup;
    }
    input = argv[optind];
    if (!output) {
        if (strcmp(input, "-") == 0) {
            cli_error("report: reading standard input needs -o FILE");
            goto cleanup;
        }
        output = def = default_output(input);
        if (!def) {
            cli_error("out of memory");
            rc = RPP_EXIT_INTERNAL;
            goto cleanup;
        }
    }
    r = cli_load(input, &lo, false, &st);
    if (!r) {
        rc = cli_load_exit(st);
        goto cleanup;
    }
    if (rpp_analysis_run(&a, r, rules) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    rc = cli_write_html(output, input, r, a, redact, (unsigned)width);

cleanup:
    free(def);
    rpp_analysis_free(a);
    rpp_report_free(r);
    rpp_rules_free(rules);
    rpp_render_cleanup();
    return rc;
}
