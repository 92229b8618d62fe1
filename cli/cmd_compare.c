/*
 * cmd_compare.c - `rpiperf compare BEFORE AFTER`: two runs side by side
 * with a one-line verdict.
 */
#include "cli.h"
#include <rpiperf/analyse.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const char compare_usage[] =
    "usage: rpiperf compare [options] BEFORE AFTER\n"
    "\n"
    "Compares two reports (versions 2 and 3 mix): for each phase the\n"
    "average, 5th and 95th percentile throughput and the active time with\n"
    "the change in %, for each event type the count and total time, the\n"
    "findings that appeared or went away, and a one-line verdict.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT       text (default), markdown or json\n"
    "  -o, --output FILE      write to FILE (whole, via a temporary file)\n"
    "      --fail-slower PCT  exit 1 when a phase's average throughput fell\n"
    "                         by PCT percent or more\n"
    "      --redact           placeholders for device paths, image names,\n"
    "                         hashes (the same in both runs)\n"
    "      --set R.P=V, --rules FILE   rule settings for both analyses\n"
    "      --max-size SIZE    refuse larger files (default 256M)\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status: 0 compared, 1 a phase slowed by --fail-slower or more,\n"
    "2 a report is invalid or unreadable, 3 bad usage, 4 output not written\n";

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "fail-slower", required_argument, NULL, 'F' },
        { "redact", no_argument, NULL, 'R' },
        { "set", required_argument, NULL, 's' },
        { "rules", required_argument, NULL, 'r' },
        { "max-size", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    rpp_load_opts lo;
    rpp_format_opts fo;
    rpp_format fmt = RPP_FORMAT_TEXT;
    rpp_rules *rules = NULL;
    rpp_report *r1 = NULL, *r2 = NULL;
    rpp_analysis *a1 = NULL, *a2 = NULL;
    rpp_comparison *cmp = NULL;
    const char *output = NULL, *n1, *n2;
    double fail_slower = -1;
    char *text = NULL, *end;
    size_t len = 0;
    int c, st1, st2, rc = RPP_EXIT_USAGE;

    memset(&lo, 0, sizeof(lo));
    memset(&fo, 0, sizeof(fo));
    if (rpp_rules_new(&rules) != RPP_OK) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    while ((c = getopt_long(argc, argv, "+f:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = RPP_FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                fmt = RPP_FORMAT_JSON;
            else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0)
                fmt = RPP_FORMAT_MARKDOWN;
            else {
                cli_error("--format: expected text, markdown or json");
                goto cleanup;
            }
            break;
        case 'o': output = optarg; break;
        case 'F':
            fail_slower = strtod(optarg, &end);
            if (end == optarg || *end || !(fail_slower > 0 && fail_slower <= 100)) {
                cli_error("--fail-slower: expected a percentage above 0");
                goto cleanup;
            }
            break;
        case 'R': fo.redact = true; break;
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
            fputs(compare_usage, stdout);
            rc = RPP_EXIT_OK;
            goto cleanup;
        default:
            fputs(compare_usage, stderr);
            goto cleanup;
        }
    }
    if (optind != argc - 2) {
        cli_error("compare: expected BEFORE and AFTER");
        fputs(compare_usage, stderr);
        goto cleanup;
    }
    if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0) {
        cli_error("compare: standard input can be only one of the two");
        goto cleanup;
    }
    r1 = cli_load(argv[optind], &lo, false, &st1);
    r2 = cli_load(argv[optind + 1], &lo, false, &st2);
    if (!r1 || !r2) {
        rc = (!r1 && st1 == RPP_ERR_NOMEM) || (!r2 && st2 == RPP_ERR_NOMEM)
                 ? RPP_EXIT_INTERNAL
                 : RPP_EXIT_INVALID;
        goto cleanup;
    }
    if (rpp_analysis_run(&a1, r1, rules) != RPP_OK ||
        rpp_analysis_run(&a2, r2, rules) != RPP_OK ||
        rpp_compare_run(&cmp, a1, a2) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    n1 = cli_display_name(argv[optind]);
    n2 = cli_display_name(argv[optind + 1]);
    if (fo.redact) {
        const char *s1 = strrchr(n1, '/'), *s2 = strrchr(n2, '/');
        n1 = s1 ? s1 + 1 : n1;
        n2 = s2 ? s2 + 1 : n2;
    }
    if (rpp_compare_format(cmp, fmt, &fo, n1, n2, &text, &len) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (output) {
        if (cli_same_file(output, argv[optind + 1])) {
            cli_error("refusing to overwrite the input file %s", output);
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
        if (cli_write_file(output, text, len, argv[optind]) < 0) {
            rc = RPP_EXIT_OUTPUT;
            goto cleanup;
        }
    } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = RPP_EXIT_OUTPUT;
        goto cleanup;
    }
    rc = fail_slower > 0 && cmp->worst_change <= -fail_slower / 100
             ? RPP_EXIT_FINDINGS
             : RPP_EXIT_OK;

cleanup:
    free(text);
    rpp_compare_free(cmp);
    rpp_analysis_free(a1);
    rpp_analysis_free(a2);
    rpp_report_free(r1);
    rpp_report_free(r2);
    rpp_rules_free(rules);
    return rc;
}
