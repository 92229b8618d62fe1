/*
 * cmd_analyse.c - `rpiperf analyse FILE`: the analysis as text, markdown
 * or JSON.
 */
#include "cli.h"
#include <rpiperf/analyse.h>
#ifdef RPP_CLI_FULL
#include <rpiperf/render.h>
#endif

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char analyse_usage[] =
    "usage: rpiperf analyse [options] FILE\n"
    "\n"
    "Analyses a performance report (FILE - reads standard input): session,\n"
    "findings with evidence and likely cause, the bottleneck, phase\n"
    "statistics, imaging cycles and the event breakdown.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     text (default), markdown or json\n"
    "      --color WHEN     auto (default: on a terminal, unless NO_COLOR is\n"
    "                       set), always or never\n"
    "  -o, --output FILE    write to FILE (whole, via a temporary file)\n"
    "      --set R.P=V      change a rule's threshold, e.g.\n"
    "                       --set slow-final-sync.max_ms=20000;\n"
    "                       --set RULE=off|info|warning|error its level\n"
    "      --rules FILE     apply a rules file (one assignment per line)\n"
    "      --list-rules     list the rules, levels and thresholds\n"
    "      --html FILE      write one self-contained HTML page instead (as\n"
    "                       rpiperf report does)\n"
    "      --redact         replace device paths, image names and hashes\n"
    "                       with placeholders (device-1, image-1, hash-1)\n"
    "  -W, --no-warnings    do not print the report's validation warnings\n"
    "      --max-size SIZE  refuse larger files (default 256M)\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 analysed (whatever the findings), 2 invalid or\n"
    "unreadable report, 3 bad usage, 4 output not written, 5 internal error\n";

int cmd_analyse(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "color", required_argument, NULL, 'C' },
        { "colour", required_argument, NULL, 'C' },
        { "output", required_argument, NULL, 'o' },
        { "set", required_argument, NULL, 's' },
        { "rules", required_argument, NULL, 'r' },
        { "list-rules", no_argument, NULL, 'L' },
        { "redact", no_argument, NULL, 'R' },
        { "html", required_argument, NULL, 'T' },
        { "no-warnings", no_argument, NULL, 'W' },
        { "max-size", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    rpp_load_opts lo;
    rpp_format_opts fo;
    rpp_format fmt = RPP_FORMAT_TEXT;
    rpp_rules *rules = NULL;
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    const char *color = "auto", *output = NULL, *file, *html = NULL;
    bool warnings = true;
    char *text = NULL;
    size_t len = 0;
    int c, st, rc = RPP_EXIT_USAGE;

    memset(&lo, 0, sizeof(lo));
    memset(&fo, 0, sizeof(fo));
    if (rpp_rules_new(&rules) != RPP_OK) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    while ((c = getopt_long(argc, argv, "+f:o:Wh", longopts, NULL)) != -1) {
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
        case 'C':
            if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
                strcmp(optarg, "never") != 0) {
                cli_error("--color: expected auto, always or never");
                goto cleanup;
            }
            color = optarg;
            break;
        case 'o': output = optarg; break;
        case 's':
            if (cli_rules_set(rules, optarg) < 0)
                goto cleanup;
            break;
        case 'r':
            if (cli_rules_file(rules, optarg) < 0)
                goto cleanup;
            break;
        case 'L':
            cli_list_rules(stdout);
            rc = RPP_EXIT_OK;
            goto cleanup;
        case 'R': fo.redact = true; break;
        case 'T':
#ifndef RPP_CLI_FULL
            /* the page has charts: rpiperf-render draws it */
            rpp_rules_free(rules);
            return cli_exec_full(argc, argv);
#else
            html = optarg;
            break;
#endif
        case 'W': warnings = false; break;
        case 'S':
            if (!cli_opt_max_size(optarg, &lo))
                goto cleanup;
            break;
        case 'h':
            fputs(analyse_usage, stdout);
            rc = RPP_EXIT_OK;
            goto cleanup;
        default:
            fputs(analyse_usage, stderr);
            goto cleanup;
        }
    }
    if (optind != argc - 1) {
        cli_error("analyse: expected exactly one FILE");
        fputs(analyse_usage, stderr);
        goto cleanup;
    }
    file = argv[optind];
    r = cli_load(file, &lo, warnings, &st);
    if (!r) {
        rc = cli_load_exit(st);
        goto cleanup;
    }
    if (rpp_analysis_run(&a, r, rules) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (html) {
        rc = cli_write_html(html, file, r, a, fo.redact, 0);
        goto cleanup;
    }
    fo.file_name = strcmp(file, "-") == 0 ? NULL : file;
    if (fo.redact && fo.file_name) {
        const char *slash = strrchr(fo.file_name, '/');
        fo.file_name = slash ? slash + 1 : fo.file_name;
    }
    if (strcmp(color, "always") == 0)
        fo.color = true;
    else if (strcmp(color, "auto") == 0) {
        const char *no_color = getenv("NO_COLOR");
        fo.color = !output && isatty(STDOUT_FILENO) &&
                   !(no_color && *no_color);
    }
    if (fmt != RPP_FORMAT_TEXT)
        fo.color = false;
    if (rpp_analysis_format(a, fmt, &fo, &text, &len) != RPP_OK) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (output) {
        if (cli_write_file(output, text, len, file) < 0) {
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
    rpp_rules_free(rules);
#ifdef RPP_CLI_FULL
    if (html)
        rpp_render_cleanup();
#endif
    return rc;
}
