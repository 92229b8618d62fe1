/*
 * cmd_validate.c - `rpiperf validate FILE...`: load each report and say
 * whether it is valid.
 */
#include "cli.h"

#include <getopt.h>
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
    static const struct option longopts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "no-warnings", no_argument, NULL, 'W' },
        { "max-size", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    rpp_load_opts opts;
    bool quiet = false, warnings = true;
    int c, i, rc = RPP_EXIT_OK, st;

    memset(&opts, 0, sizeof(opts));
    while ((c = getopt_long(argc, argv, "+qWh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = true; break;
        case 'W': warnings = false; break;
        case 'S':
            if (!cli_opt_max_size(optarg, &opts))
                return RPP_EXIT_USAGE;
            break;
        case 'h': fputs(cli_commands[0].usage, stdout); return RPP_EXIT_OK;
        default: fputs(cli_commands[0].usage, stderr); return RPP_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("validate: no FILE given");
        fputs(cli_commands[0].usage, stderr);
        return RPP_EXIT_USAGE;
    }
    for (i = optind; i < argc; i++) {
        rpp_report *r = cli_load(argv[i], &opts, warnings, &st);
        if (!r) {
            rc = st == RPP_ERR_NOMEM && rc == RPP_EXIT_OK ? RPP_EXIT_INTERNAL
                                                          : RPP_EXIT_INVALID;
            continue;
        }
        if (!quiet)
            print_ok(cli_display_name(argv[i]), r);
        rpp_report_free(r);
    }
    fflush(stdout);
    return rc;
}
