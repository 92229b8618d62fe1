/*
 * main.c - rpiperf's entry point: global options and the subcommand table
 * that drives both dispatch and --help.
 */
#include "cli.h"

#include <string.h>

static const char validate_usage[] =
    "usage: rpiperf validate [options] FILE...\n"
    "\n"
    "Checks that each FILE is a valid performance report (version 2 or 3)\n"
    "and prints one line per valid file. Problems go to standard error with\n"
    "FILE:LINE:COLUMN for syntax errors and a JSON path ($.events[3].startMs)\n"
    "for everything else. FILE - reads standard input.\n"
    "\n"
    "options:\n"
    "  -q, --quiet          print nothing for valid files\n"
    "  -W, --no-warnings    do not print warnings\n"
    "      --max-size SIZE  refuse larger files (default 256M; K, M, G)\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 all files valid, 2 a file is invalid or unreadable,\n"
    "3 bad usage\n";

static const char render_usage[] =
    "usage: rpiperf render [options] FILE\n"
    "\n"
    "Draws three charts of a report and writes them next to FILE (or into\n"
    "DIR): NAME-timeline.png (every phase and event on a time axis),\n"
    "NAME-throughput.png (each phase's throughput with stalls, gaps and the\n"
    "events around them) and NAME-network.png (network and cache events and\n"
    "the throughput of each transfer). NAME is FILE's base name without\n"
    "\".json\"; FILE - reads standard input (needs -o; NAME is \"report\").\n"
    "Prints the path of each file written.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      write the charts into DIR (must exist)\n"
    "      --format FMT      png (default), svg or pdf\n"
    "      --width W         width in pixels (default 1200)\n"
    "      --height H        height in pixels (default: grows with the rows)\n"
    "      --only LIST       some of timeline,throughput,network\n"
    "      --redact          image and device names as placeholders\n"
    "      --max-size SIZE   refuse larger files (default 256M; K, M, G)\n"
    "  -h, --help            show this help\n"
    "\n"
    "exit status: 0 charts written, 2 invalid or unreadable report, 3 bad\n"
    "usage, 4 a chart could not be written (or DIR does not exist),\n"
    "5 internal error\n";

const char report_usage[] =
    "usage: rpiperf report [options] FILE\n"
    "\n"
    "Writes one self-contained HTML page of a report: the summary, the\n"
    "findings, the bottleneck, the three charts (embedded as PNG), sortable\n"
    "tables of the phases, cycles and events, and the text report. The page\n"
    "loads nothing from elsewhere; every string from the report is escaped.\n"
    "`rpiperf analyse --html OUT FILE` does the same.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    the page (default: NAME.html next to FILE, NAME\n"
    "                       being FILE without .json; FILE - needs -o)\n"
    "      --redact         placeholders for device paths, image names and\n"
    "                       hashes, the same in text, tables and charts\n"
    "      --width W        width of the charts in pixels (default 1200)\n"
    "      --set R.P=V, --rules FILE   rule settings (as for analyse)\n"
    "      --max-size SIZE  refuse larger files (default 256M)\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 written, 2 invalid or unreadable report, 3 bad usage,\n"
    "4 the page could not be written, 5 internal error\n";

#ifdef RPP_CLI_FULL
#define RENDER_RUN cmd_render
#define REPORT_RUN cmd_report
#else
#define RENDER_RUN cli_exec_full
#define REPORT_RUN cli_exec_full
#endif

const cli_command cli_commands[] = {
    { "validate", cmd_validate, "check reports against the format",
      validate_usage },
    { "analyse", cmd_analyse, "find where the time went and what is wrong",
      analyse_usage },
    { "check", cmd_check, "check many reports for CI (exit status, JUnit)",
      check_usage },
    { "compare", cmd_compare, "compare two runs side by side", compare_usage },
    { "render", RENDER_RUN, "draw the timeline, throughput and network charts",
      render_usage },
    { "report", REPORT_RUN, "write one self-contained HTML page of a report",
      report_usage },
    { NULL, NULL, NULL, NULL }
};

static void usage(FILE *f)
{
    const cli_command *c;

    fputs("usage: rpiperf [--help] [--version] COMMAND [ARGS]\n"
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
          "exit status: 0 success, 1 findings at or above --fail-on (check),\n"
          "2 invalid or unreadable report, 3 bad usage, 4 output not "
          "written,\n"
          "5 internal error\n"
          "\n"
          "See rpiperf(1) and README.md for the output formats.\n",
          f);
}

static const cli_command *find_command(const char *name)
{
    const cli_command *c;

    for (c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
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
        printf("rpiperf %s (report versions 2 and 3)\n", RPP_VERSION_STRING);
        return RPP_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return RPP_EXIT_OK;
        }
        c = find_command(argv[2]);
        if (!c) {
            cli_error("no such command: %s", argv[2]);
            return RPP_EXIT_USAGE;
        }
        fputs(c->usage, stdout);
        return RPP_EXIT_OK;
    }
    c = find_command(argv[1]);
    if (!c) {
        cli_error("no such command: %s (see rpiperf --help)", argv[1]);
        return RPP_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
