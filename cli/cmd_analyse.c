/*
 * cmd_analyse.c - `rpiperf analyse FILE`: the analysis as text, markdown
 * or JSON.
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>
#ifdef RPP_CLI_FULL
#include <rpiperf/render.h>
#endif

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The options of analyse's own. */
typedef struct analyse_args {
    const char *html;
} analyse_args;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    analyse_args *aa = ctx;

    if (id == OPT_HTML)
        aa->html = v->text;
    return 0;
}

int cmd_analyse(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_ANALYSE);
    analyse_args aa = { NULL };
    cli_common co;
    rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    const char *file;
    char *text = NULL;
    size_t len = 0;
    int st, rc;

    rc = cli_parse(cmd, argc, argv, &co, own_option, &aa);
    if (rc != CLI_RUN)
        goto cleanup;
#ifndef RPP_CLI_FULL
    if (aa.html) {
        /* the page has charts: rpiperf-render draws it */
        cli_common_free(&co);
        return cli_exec_full(argc, argv);
    }
#endif
    file = co.operands[0];
    r = cli_load(file, &co.load, co.warnings, &st);
    if (!r) {
        rc = cli_load_exit(st);
        goto cleanup;
    }
    if (rpp_analysis_run(&a, r, cli_rules(&co)) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
#ifdef RPP_CLI_FULL
    if (aa.html) {
        rc = cli_write_html(aa.html, file, r, a, co.redact, 0);
        goto cleanup;
    }
#endif
    fo.redact = co.redact;
    fo.file_name = strcmp(file, "-") == 0 ? NULL : file;
    if (fo.redact && fo.file_name) {
        const char *slash = strrchr(fo.file_name, '/');
        fo.file_name = slash ? slash + 1 : fo.file_name;
    }
    if (co.color == 1) {
        fo.color = true;
    } else if (co.color == 0) {
        const char *no_color = getenv("NO_COLOR");
        fo.color = !co.output && isatty(STDOUT_FILENO) &&
                   !(no_color && *no_color);
    }
    if (co.format != RPP_FORMAT_TEXT)
        fo.color = false;
    if (rpp_analysis_format(a, co.format, &fo, &text, &len) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (co.output) {
        if (cli_write_file(co.output, text, len, file) < 0) {
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
    } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = RPP_EXIT_OUTPUT;
        goto cleanup;
    }
    rc = RPP_EXIT_OK;

cleanup:
    free(text);
    rpp_analysis_free(a);
    rpp_report_free(r);
    cli_common_free(&co);
#ifdef RPP_CLI_FULL
    if (aa.html)
        rpp_render_cleanup();
#endif
    return rc;
}
