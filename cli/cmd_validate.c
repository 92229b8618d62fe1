/*
 * cmd_validate.c - `rpiperf validate FILE...`: load each report and say
 * whether it is valid.
 */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>

/* "NAME: ok, version 3, 57 events, download 111 slices, ...", within
 * 100 columns: a long line goes on, indented, below, breaking only after
 * a comma. */
static void print_ok(const char *name, const rpp_report *r)
{
    char line[512];
    size_t n, k;
    int p;

    n = (size_t)snprintf(line, sizeof(line), ": ok, version %d, %zu event%s",
                         r->version, r->n_events, r->n_events == 1 ? "" : "s");
    for (p = 0; p < RPP_PHASE_COUNT && n < sizeof(line); p++)
        if (r->histograms[p].n_slices)
            n += (size_t)snprintf(line + n, sizeof(line) - n,
                                  ", %s %zu slice%s",
                                  rpp_phase_name((rpp_phase)p),
                                  r->histograms[p].n_slices,
                                  r->histograms[p].n_slices == 1 ? "" : "s");
    for (k = 1; line[k]; k++)
        if (line[k] == ' ' && line[k - 1] != ',')
            line[k] = CLI_NBSP;
    cli_print_named(stdout, name, line, 2);
}

int cmd_validate(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_VALIDATE);
    cli_common co;
    size_t i;
    int rc, st;

    rc = cli_parse(cmd, argc, argv, &co, NULL, NULL);
    if (rc != CLI_RUN)
        goto cleanup;
    rc = RPP_EXIT_OK;
    for (i = 0; i < co.n_operands; i++) {
        rpp_report *r = cli_load(co.operands[i], &co.load, co.warnings, &st);
        if (!r) {
            rc = st == RPP_ERR_NOMEM && rc == RPP_EXIT_OK ? RPP_EXIT_INTERNAL
                                                          : RPP_EXIT_INVALID;
            continue;
        }
        if (!co.quiet)
            print_ok(cli_display_name(co.operands[i]), r);
        rpp_report_free(r);
    }
    fflush(stdout);

cleanup:
    cli_common_free(&co);
    return rc;
}
