/*
 * cmd_validate.c - `rpiperf validate FILE...`: load each report and say
 * whether it is valid.
 */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>

static void print_ok(const char *name, const rpp_report *r)
{
    int p;

    cli_put_safe(stdout, name);
    printf(": ok, version %d, %zu event%s", r->version, r->n_events,
           r->n_events == 1 ? "" : "s");
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (r->histograms[p].n_slices)
            printf(", %s %zu slice%s", rpp_phase_name((rpp_phase)p),
                   r->histograms[p].n_slices,
                   r->histograms[p].n_slices == 1 ? "" : "s");
    fputc('\n', stdout);
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
