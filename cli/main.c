/*
 * main.c - rpiperf's entry point: the table of commands (names, operands,
 * help texts, exit statuses) that drives dispatch and every help text,
 * and the global options --help, --version (the release, and the commit
 * when built from a git checkout) and --completion (completion.c).
 */
#include "cli.h"
#include "options.h"

#include "commit.h"     /* made at build time: RPP_BUILD_COMMIT */

#include <string.h>

#ifdef RPP_CLI_FULL
#define RENDER_RUN cmd_render
#define REPORT_RUN cmd_report
#else
#define RENDER_RUN cli_exec_full
#define REPORT_RUN cli_exec_full
#endif

#define READ_EXIT "2 invalid or unreadable report, 3 bad usage"

const cli_command cli_commands[] = {
    { CLI_VALIDATE, "validate", NULL, cmd_validate,
      "check reports against the format", "FILE...", 1, 0,
      "Checks that each FILE is a valid performance report (version 2 or 3)\n"
      "and prints one line per valid file. Problems go to standard error with\n"
      "FILE:LINE:COLUMN for syntax errors and a JSON path ($.events[3].startMs)\n"
      "for everything else. FILE - reads standard input.\n",
      "0 all files valid, 2 a file is invalid or unreadable, "
      "3 bad usage, 5 out of memory" },
    { CLI_ANALYSE, "analyse", "analyze", cmd_analyse,
      "find where the time went and what is wrong", "FILE", 1, 1,
      "Analyses a performance report (FILE - reads standard input): session,\n"
      "findings with evidence and likely cause, the bottleneck, phase\n"
      "statistics, imaging cycles and the event breakdown.\n",
      "0 analysed (whatever the findings), " READ_EXIT ", "
      "4 output not written, 5 internal error, 6 rpiperf-render (for --html) "
      "not found" },
    { CLI_CHECK, "check", NULL, cmd_check,
      "check many reports for CI (exit status, JUnit)", "PATH...", 1, 0,
      "Checks many reports for CI. PATH is a report or a directory, searched\n"
      "recursively for the files --include chooses (default *.json) and\n"
      "--exclude does not (directories whose name starts with '.' are\n"
      "skipped). Each report is analysed as by `rpiperf analyse`; one line per\n"
      "report (in a stable order whatever -j is), then a summary. With\n"
      "--reports-only, valid JSON that is plainly not a report (no summary,\n"
      "events or histograms) is listed as skipped. When GITHUB_ACTIONS is\n"
      "\"true\", findings are also printed as workflow commands\n"
      "(::error file=...::...) so they show as annotations.\n",
      "0 all passed (skipped files do not count), 1 a report has a finding at "
      "or above --fail-on, 2 a file is invalid or unreadable, or no report "
      "was found (counted, the others are still checked; takes precedence "
      "over 1), 3 bad usage, 4 an output file could not be written, 5 memory "
      "ran out while checking a report (its line says \"out of memory\") or "
      "making an output file (not written; takes precedence over 1 and 2)" },
    { CLI_COMPARE, "compare", NULL, cmd_compare,
      "compare two or more runs against a baseline",
      "REPORT REPORT [REPORT...]", 2, CLI_COMPARE_MAX_REPORTS,
      "Compares runs (reports of versions 2 and 3 mix) against a baseline,\n"
      "the first in the chosen order unless --baseline names another: their\n"
      "context (Imager, OS, device, state, direct I/O, sync), each phase's\n"
      "average, 5th and 95th percentile throughput and active time with the\n"
      "change, the event types that changed notably, the findings of each run\n"
      "and a verdict naming the first run that got slower and what changed\n"
      "with it. A run that failed, was cancelled, was exported mid-write or\n"
      "never started is shown as such, never compared. \"Slower\" is a lower\n"
      "average throughput of a phase. --chart and --html draw the runs'\n"
      "throughput over time and their phase durations (PNG, SVG, PDF; a page).\n",
      "0 compared, 1 with --fail-slower: a run did not finish or is slower by "
      "more than PCT, " READ_EXIT ", 4 an output file could not be written, "
      "5 internal error, 6 rpiperf-render (for --chart, --html) not found" },
    { CLI_RENDER, "render", NULL, RENDER_RUN,
      "draw the timeline, throughput and network charts", "FILE", 1, 1,
      "Draws three charts of a report and writes them next to FILE (or into\n"
      "DIR): NAME-timeline.png (every phase and event on a time axis),\n"
      "NAME-throughput.png (each phase's throughput with stalls, gaps and the\n"
      "events around them) and NAME-network.png (the download and the\n"
      "network and cache events). NAME is FILE's base name without \".json\";\n"
      "FILE - reads standard input (needs -o; NAME is \"report\"). Prints the\n"
      "path of each file written.\n",
      "0 charts written, " READ_EXIT ", 4 a chart could not "
      "be written (or DIR does not exist), 5 internal error, 6 rpiperf-render "
      "not found" },
    { CLI_REPORT, "report", NULL, REPORT_RUN,
      "write one self-contained HTML page of a report", "FILE", 1, 1,
      "Writes one self-contained HTML page of a report: the summary, the\n"
      "findings, the bottleneck, the three charts (embedded as PNG), sortable\n"
      "tables of the phases, cycles and events, and the text report. The page\n"
      "loads nothing from elsewhere; every string from the report is escaped.\n"
      "`rpiperf analyse --html OUT FILE` does the same. Without -o the page\n"
      "is NAME.html next to FILE (FILE - needs -o).\n",
      "0 written, " READ_EXIT ", 4 the page could not be "
      "written, 5 internal error, 6 rpiperf-render not found" },
    { CLI_N_COMMANDS, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};

static void usage(FILE *f)
{
    const cli_command *c;

    fputs("usage: rpiperf [--help] [--version] [--completion bash] COMMAND "
          "[ARGS]\n"
          "\n"
          "Reads the performance reports of Raspberry Pi Imager (versions 2 "
          "and 3).\n"
          "\n"
          "commands:\n",
          f);
    for (c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("  help CMD   show the help of a command\n"
          "\n"
          "exit status: 0 success, 1 findings at or above --fail-on (check)\n"
          "or a slower or unfinished run (compare --fail-slower), 2 invalid\n"
          "or unreadable report, 3 bad usage, 4 output not written,\n"
          "5 internal error, 6 rpiperf-render (which draws) not found\n"
          "\n"
          "See rpiperf(1) and README.md for the output formats.\n",
          f);
}

int main(int argc, char **argv)
{
    const cli_command *c;

    if (argc < 2) {
        usage(stderr);
        return RPP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return RPP_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        /* the commit only when built from a git checkout of it */
        printf("rpiperf %s (%s%sreport versions 2 and 3)\n",
               RPP_VERSION_STRING, *RPP_BUILD_COMMIT ? "commit " : "",
               *RPP_BUILD_COMMIT ? RPP_BUILD_COMMIT ", " : "");
        return RPP_EXIT_OK;
    }
    if (strcmp(argv[1], "--completion") == 0)
        return cli_completion(stdout, argc > 2 ? argv[2] : "");
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return RPP_EXIT_OK;
        }
        c = cli_command_find(argv[2]);
        if (!c) {
            fputs("rpiperf: no such command: ", stderr);
            cli_put_safe(stderr, argv[2]);
            fputs(" (see rpiperf --help)\n", stderr);
            return RPP_EXIT_USAGE;
        }
        cli_help(stdout, c);
        return RPP_EXIT_OK;
    }
    c = cli_command_find(argv[1]);
    if (!c) {
        fputs("rpiperf: no such command: ", stderr);
        cli_put_safe(stderr, argv[1]);
        fputs(" (see rpiperf --help)\n", stderr);
        return RPP_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
