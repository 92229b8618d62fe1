/*
 * cmd_compare.c - `rpiperf compare BEFORE AFTER`: two runs side by side
 * with a one-line verdict.
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>

#include <stdlib.h>
#include <string.h>

typedef struct compare_args {
    double fail_slower;       /* percent; 0 = off */
} compare_args;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    compare_args *ca = ctx;

    if (id == OPT_FAIL_SLOWER)
        ca->fail_slower = v->number;
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_COMPARE);
    compare_args ca = { 0 };
    cli_common co;
    rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
    rpp_report *r1 = NULL, *r2 = NULL;
    rpp_analysis *a1 = NULL, *a2 = NULL;
    rpp_comparison *cmp = NULL;
    const char *n1, *n2, *before, *after;
    char *text = NULL;
    size_t len = 0;
    int st1, st2, rc;

    rc = cli_parse(cmd, argc, argv, &co, own_option, &ca);
    if (rc != CLI_RUN)
        goto cleanup;
    before = co.operands[0];
    after = co.operands[1];
    fo.redact = co.redact;
    if (strcmp(before, "-") == 0 && strcmp(after, "-") == 0) {
        rc = cli_usage_error(cmd, "standard input can be only one of the "
                                  "two reports");
        goto cleanup;
    }
    r1 = cli_load(before, &co.load, false, &st1);
    r2 = cli_load(after, &co.load, false, &st2);
    if (!r1 || !r2) {
        rc = (!r1 && st1 == RPP_ERR_NOMEM) || (!r2 && st2 == RPP_ERR_NOMEM)
                 ? RPP_EXIT_INTERNAL
                 : RPP_EXIT_INVALID;
        goto cleanup;
    }
    if (rpp_analysis_run(&a1, r1, cli_rules(&co)) != RPP_OK ||
        rpp_analysis_run(&a2, r2, cli_rules(&co)) != RPP_OK ||
        rpp_compare_run(&cmp, a1, a2) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    n1 = cli_display_name(before);
    n2 = cli_display_name(after);
    if (fo.redact) {
        const char *s1 = strrchr(n1, '/'), *s2 = strrchr(n2, '/');
        n1 = s1 ? s1 + 1 : n1;
        n2 = s2 ? s2 + 1 : n2;
    }
    if (rpp_compare_format(cmp, co.format, &fo, n1, n2, &text, &len) !=
        RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (co.output) {
        if (cli_same_file(co.output, after)) {
            cli_error_file("refusing to overwrite the input file", co.output,
                           0);
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
        if (cli_write_file(co.output, text, len, before) < 0) {
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
    } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = RPP_EXIT_OUTPUT;
        goto cleanup;
    }
    rc = ca.fail_slower > 0 && cmp->worst_change <= -ca.fail_slower / 100
             ? RPP_EXIT_FINDINGS
             : RPP_EXIT_OK;

cleanup:
    free(text);
    rpp_compare_free(cmp);
    rpp_analysis_free(a1);
    rpp_analysis_free(a2);
    rpp_report_free(r1);
    rpp_report_free(r2);
    cli_common_free(&co);
    return rc;
}
