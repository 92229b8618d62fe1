/*
 * options.c - owns the table of every command-line option, the parser
 * that reads them (GNU style: options anywhere among the operands, "--"
 * ends them, --name=value or --name value, -xVALUE or -x VALUE) and the
 * help text of each command, made from the same table.
 */
#include "cli.h"
#include "options.h"

#include <rpiperf/render.h>   /* the chart size limits; nothing is drawn */

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ALL_READERS                                                         \
    (CLI_ON(CLI_VALIDATE) | CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_CHECK) |      \
     CLI_ON(CLI_COMPARE) | CLI_ON(CLI_RENDER) | CLI_ON(CLI_REPORT))
#define RULE_USERS                                                          \
    (CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_CHECK) | CLI_ON(CLI_COMPARE) |       \
     CLI_ON(CLI_RENDER) | CLI_ON(CLI_REPORT))
#define HELP_COLUMN 25
#define HELP_WIDTH 79

/* Sorted by name (then by command, for names of two meanings). */
static const cli_option options[] = {
    { "baseline", 0, OPT_BASELINE, CLI_ON(CLI_COMPARE), CLI_ARG_UINT, "N",
      NULL, 1, CLI_COMPARE_MAX_REPORTS,
      "compare with the N-th report as given (default:\nthe first in the "
      "chosen order)" },
    { "chart", 0, OPT_CHART, CLI_ON(CLI_COMPARE), CLI_ARG_FILE, "FILE", NULL,
      0, 0,
      "also draw the overlay chart of the runs (FILE ends\nin .png, .svg or "
      ".pdf)" },
    { "color", 0, OPT_COLOR, CLI_ON(CLI_ANALYSE), CLI_ARG_CHOICE, "WHEN",
      "auto always never", 0, 0,
      "colours: auto (default: on a terminal, unless NO_COLOR\nis set), "
      "always or never" },
    { "exclude", 0, OPT_EXCLUDE, CLI_ON(CLI_CHECK), CLI_ARG_STRING, "GLOB",
      NULL, 0, 0,
      "leave out files (and directories) below a PATH\nmatching GLOB; "
      "repeatable" },
    { "fail-on", 0, OPT_FAIL_ON, CLI_ON(CLI_CHECK), CLI_ARG_CHOICE, "LEVEL",
      "info warning error", 0, 0,
      "a finding at this level or above fails a report:\ninfo, warning or "
      "error (default)" },
    { "fail-slower", 0, OPT_FAIL_SLOWER, CLI_ON(CLI_COMPARE), CLI_ARG_NUMBER,
      "PCT", NULL, 0, 99.99,
      "exit 1 when a run did not finish, or is more than\nPCT percent slower "
      "than the baseline in a phase\n(its average throughput that much "
      "lower; 0 to\n99.99)" },
    { "format", 'f', OPT_FORMAT, CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_COMPARE),
      CLI_ARG_CHOICE, "FMT", "text markdown json|md", 0, 0,
      "text (default), markdown or json" },
    { "format", 0, OPT_IMAGE_FORMAT, CLI_ON(CLI_RENDER), CLI_ARG_CHOICE,
      "FMT", "png svg pdf", 0, 0, "png (default), svg or pdf" },
    { "height", 0, OPT_HEIGHT, CLI_ON(CLI_RENDER), CLI_ARG_UINT, "H", NULL,
      RPP_RENDER_MIN_SIZE, RPP_RENDER_MAX_SIZE,
      "height in pixels (default: grows with the rows)" },
    { "help", 'h', OPT_HELP, ALL_READERS, CLI_ARG_NONE, NULL, NULL, 0, 0,
      "show this help" },
    { "html", 0, OPT_HTML, CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_COMPARE),
      CLI_ARG_FILE, "FILE", NULL, 0, 0,
      "write one self-contained HTML page (analyse:\ninstead of the text, as "
      "rpiperf report does;\ncompare: as well)" },
    { "include", 0, OPT_INCLUDE, CLI_ON(CLI_CHECK), CLI_ARG_STRING, "GLOB",
      NULL, 0, 0,
      "check the files below a PATH matching GLOB\n(default *.json); "
      "repeatable" },
    { "jobs", 'j', OPT_JOBS, CLI_ON(CLI_CHECK), CLI_ARG_UINT, "N", NULL, 0,
      64,
      "reports checked in parallel, 1 to 64 (default 0:\nthe number of "
      "processors)" },
    { "json", 0, OPT_JSON, CLI_ON(CLI_CHECK), CLI_ARG_FILE, "FILE", NULL, 0,
      0, "write all results as JSON" },
    { "junit", 0, OPT_JUNIT, CLI_ON(CLI_CHECK), CLI_ARG_FILE, "FILE", NULL, 0,
      0, "write JUnit XML (a testcase per report)" },
    { "list-rules", 0, OPT_LIST_RULES, CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_CHECK),
      CLI_ARG_NONE, NULL, NULL, 0, 0,
      "list the rules, their levels and thresholds" },
    { "markdown", 0, OPT_MARKDOWN, CLI_ON(CLI_CHECK), CLI_ARG_FILE, "FILE",
      NULL, 0, 0, "write a markdown summary (for $GITHUB_STEP_SUMMARY)" },
    { "max-size", 0, OPT_MAX_SIZE, ALL_READERS, CLI_ARG_SIZE, "SIZE", NULL, 0,
      0, "refuse larger files (default 256M; K, M, G)" },
    { "no-progress", 0, OPT_NO_PROGRESS, CLI_ON(CLI_CHECK), CLI_ARG_NONE,
      NULL, NULL, 0, 0, "no progress line (it only shows on a terminal)" },
    { "no-warnings", 'W', OPT_NO_WARNINGS,
      CLI_ON(CLI_VALIDATE) | CLI_ON(CLI_ANALYSE), CLI_ARG_NONE, NULL, NULL, 0,
      0, "do not print the report's validation warnings" },
    { "only", 0, OPT_ONLY, CLI_ON(CLI_RENDER), CLI_ARG_STRING, "LIST", NULL,
      0, 0, "some of timeline,throughput,network" },
    { "output", 'o', OPT_OUTPUT,
      CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_COMPARE) | CLI_ON(CLI_REPORT),
      CLI_ARG_FILE, "FILE", NULL, 0, 0,
      "write to FILE (whole, through a temporary file)" },
    { "output", 'o', OPT_OUTPUT_DIR, CLI_ON(CLI_RENDER), CLI_ARG_DIR, "DIR",
      NULL, 0, 0, "write the charts into DIR (it must exist)" },
    { "quiet", 'q', OPT_QUIET, CLI_ON(CLI_VALIDATE) | CLI_ON(CLI_CHECK),
      CLI_ARG_NONE, NULL, NULL, 0, 0,
      "print only what failed or is invalid" },
    { "redact", 0, OPT_REDACT,
      CLI_ON(CLI_ANALYSE) | CLI_ON(CLI_COMPARE) | CLI_ON(CLI_RENDER) |
          CLI_ON(CLI_REPORT),
      CLI_ARG_NONE, NULL, NULL, 0, 0,
      "replace device paths, image names and hashes with\nplaceholders "
      "(device-1, image-1, hash-1)" },
    { "reports-only", 0, OPT_REPORTS_ONLY, CLI_ON(CLI_CHECK), CLI_ARG_NONE,
      NULL, NULL, 0, 0,
      "skip valid JSON that is plainly not a report\n(no summary, events "
      "or histograms)" },
    { "rules", 0, OPT_RULES, RULE_USERS, CLI_ARG_FILE, "FILE", NULL, 0, 0,
      "apply a rules file (one assignment per line)" },
    { "set", 0, OPT_SET, RULE_USERS, CLI_ARG_RULE, "R.P=V", NULL, 0, 0,
      "change a threshold (slow-final-sync.max_ms=20000)\nor a level "
      "(RULE=off|info|warning|error); repeatable" },
    { "sort", 0, OPT_SORT, CLI_ON(CLI_COMPARE), CLI_ARG_CHOICE, "ORDER",
      "given version time", 0, 0,
      "order the runs: given (default), version (Imager\nversion) or time "
      "(session start)" },
    { "width", 0, OPT_WIDTH,
      CLI_ON(CLI_COMPARE) | CLI_ON(CLI_RENDER) | CLI_ON(CLI_REPORT),
      CLI_ARG_UINT, "W", NULL, RPP_RENDER_MIN_SIZE, RPP_RENDER_MAX_SIZE,
      "width of the charts in pixels (default 1200)" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

const cli_option *cli_options(size_t *n)
{
    if (n)
        *n = N_OPTIONS;
    return options;
}

const cli_command *cli_command_find(const char *name)
{
    const cli_command *c;

    for (c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0 || (c->alias && strcmp(c->alias, name) == 0))
            return c;
    return NULL;
}

const cli_command *cli_command_get(cli_cmd id)
{
    const cli_command *c;

    for (c = cli_commands; c->name; c++)
        if (c->id == id)
            return c;
    return NULL;
}

/* ---- help --------------------------------------------------------------- */

/* The documented choices of an option as "a, b or c" into out. Choices
 * are words separated by spaces; the words after a '|' are accepted too
 * but not shown ("md" for markdown). */
static void choice_words(char *out, size_t n, const char *choices)
{
    size_t shown = strcspn(choices, "|"), words = 1, i, k, len = 0;
    const char *p = choices;

    out[0] = '\0';
    for (i = 0; i + 1 < shown; i++)
        words += choices[i] == ' ';
    for (i = 0; i < words && len < n; i++) {
        k = strcspn(p, " |");
        len += (size_t)snprintf(out + len, n - len, "%s%.*s",
                                i == 0 ? "" : i + 1 == words ? " or " : ", ",
                                (int)k, p);
        p += k + 1;
    }
}

/* Prints head, then text wrapped at spaces within HELP_WIDTH columns. */
static void put_wrapped_text(FILE *f, const char *head, const char *text)
{
    size_t col = strlen(head);
    const char *p = text;
    bool line_start = true;

    fputs(head, f);
    while (*p) {
        size_t word = strcspn(p, " ");
        if (!line_start && col + 1 + word > HELP_WIDTH) {
            fputc('\n', f);
            col = 0;
        } else if (!line_start) {
            fputc(' ', f);
            col++;
        }
        line_start = false;
        fprintf(f, "%.*s", (int)word, p);
        col += word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

void cli_help(FILE *f, const cli_command *c)
{
    size_t i;

    fprintf(f, "usage: rpiperf %s [options] %s\n\n%s\noptions:\n", c->name,
            c->operands, c->description);
    for (i = 0; i < N_OPTIONS; i++) {
        const cli_option *o = &options[i];
        char head[64];
        const char *h;
        int n;

        if (!(o->commands & CLI_ON(c->id)))
            continue;
        n = snprintf(head, sizeof(head), "  %c%c%s--%s%s%s",
                     o->short_name ? '-' : ' ',
                     o->short_name ? o->short_name : ' ',
                     o->short_name ? ", " : "  ", o->name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fputs(head, f);
        if (n >= HELP_COLUMN - 1) {
            fputc('\n', f);
            n = 0;
        }
        fprintf(f, "%*s", HELP_COLUMN - n, "");
        for (h = o->help; *h; h++) {
            fputc(*h, f);
            if (*h == '\n')
                fprintf(f, "%*s", HELP_COLUMN, "");
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    put_wrapped_text(f, "exit status: ", c->exit_status);
}

/* ---- errors --------------------------------------------------------------- */

int cli_usage_error(const cli_command *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "rpiperf %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see rpiperf help %s)\n", c->name);
    return RPP_EXIT_USAGE;
}

/* The same, with an argument from the command line shown safely. */
static int bad_value(const cli_command *c, const cli_option *o,
                     const char *arg, const char *expected)
{
    fprintf(stderr, "rpiperf %s: --%s: expected %s, got \"", c->name, o->name,
            expected);
    cli_put_safe(stderr, arg);
    fprintf(stderr, "\" (see rpiperf help %s)\n", c->name);
    return RPP_EXIT_USAGE;
}

/* ---- values --------------------------------------------------------------- */

static int check_value(const cli_command *c, const cli_option *o,
                       const char *arg, cli_value *v)
{
    char want[160];
    char *end;
    size_t i, k;
    const char *p;

    memset(v, 0, sizeof(*v));
    v->text = arg;
    switch (o->arg) {
    case CLI_ARG_NONE:
    case CLI_ARG_STRING:
    case CLI_ARG_FILE:
    case CLI_ARG_DIR:
    case CLI_ARG_RULE:
        if (o->arg != CLI_ARG_NONE && !*arg)
            return bad_value(c, o, arg, "a non-empty argument");
        return 0;
    case CLI_ARG_CHOICE:
        for (p = o->choices, i = 0; *p; i++) {
            k = strcspn(p, " |");
            if (strlen(arg) == k && strncmp(arg, p, k) == 0) {
                v->choice = (int)i;
                return 0;
            }
            p += k + (p[k] != '\0');
        }
        choice_words(want, sizeof(want), o->choices);
        return bad_value(c, o, arg, want);
    case CLI_ARG_UINT:
    case CLI_ARG_NUMBER:
        v->number = strtod(arg, &end);
        if (end == arg || *end || !isfinite(v->number) ||
            v->number < o->min || v->number > o->max ||
            (o->arg == CLI_ARG_UINT &&
             (v->number != floor(v->number) || strchr(arg, '.') ||
              strchr(arg, 'e') || strchr(arg, 'E')))) {
            snprintf(want, sizeof(want), "%s from %g to %g",
                     o->arg == CLI_ARG_UINT ? "a whole number" : "a number",
                     o->min, o->max);
            return bad_value(c, o, arg, want);
        }
        return 0;
    case CLI_ARG_SIZE:
        if (!cli_parse_size(arg, &v->size) || v->size == 0)
            return bad_value(c, o, arg,
                             "a size above 0 such as 1048576, 512K, 256M "
                             "or 2G");
        return 0;
    }
    return 0;
}

/* ---- the options all commands share --------------------------------------- */

static int need_rules(cli_common *co)
{
    if (co->rules || rpp_rules_new(&co->rules) == RPP_OK)
        return 0;
    cli_error("out of memory");
    return RPP_EXIT_INTERNAL;
}

/* Returns CLI_RUN when handled, 1 when it is the command's own, or the
 * exit status to stop with (0 after --help or --list-rules). */
static int common_option(const cli_command *c, const cli_option *o,
                         const cli_value *v, cli_common *co)
{
    int st;

    switch (o->id) {
    case OPT_HELP:
        cli_help(stdout, c);
        return RPP_EXIT_OK;
    case OPT_LIST_RULES:
        cli_list_rules(stdout);
        return RPP_EXIT_OK;
    case OPT_MAX_SIZE:
        co->load.max_file_size = v->size;
        return CLI_RUN;
    case OPT_SET:
        if ((st = need_rules(co)) != 0)
            return st;
        return cli_rules_set(co->rules, v->text) < 0 ? RPP_EXIT_USAGE
                                                      : CLI_RUN;
    case OPT_RULES:
        if ((st = need_rules(co)) != 0)
            return st;
        return cli_rules_file(co->rules, v->text) < 0 ? RPP_EXIT_USAGE
                                                       : CLI_RUN;
    case OPT_FORMAT: {
        static const rpp_format fmts[] = { RPP_FORMAT_TEXT,
                                           RPP_FORMAT_MARKDOWN,
                                           RPP_FORMAT_JSON,
                                           RPP_FORMAT_MARKDOWN };
        co->format = fmts[v->choice];
        return CLI_RUN;
    }
    case OPT_OUTPUT:
    case OPT_OUTPUT_DIR:
        co->output = v->text;
        return CLI_RUN;
    case OPT_REDACT:
        co->redact = true;
        return CLI_RUN;
    case OPT_NO_WARNINGS:
        co->warnings = false;
        return CLI_RUN;
    case OPT_QUIET:
        co->quiet = true;
        return CLI_RUN;
    case OPT_COLOR:
        co->color = v->choice;
        return CLI_RUN;
    case OPT_BASELINE:
    case OPT_CHART:
    case OPT_EXCLUDE:
    case OPT_FAIL_ON:
    case OPT_FAIL_SLOWER:
    case OPT_IMAGE_FORMAT:
    case OPT_HEIGHT:
    case OPT_HTML:
    case OPT_INCLUDE:
    case OPT_JOBS:
    case OPT_JSON:
    case OPT_JUNIT:
    case OPT_MARKDOWN:
    case OPT_NO_PROGRESS:
    case OPT_ONLY:
    case OPT_REPORTS_ONLY:
    case OPT_SORT:
    case OPT_WIDTH:
        break;
    }
    return 1;
}

/* ---- the parser ----------------------------------------------------------- */

/* An option of command c by its short or long name; NULL if it has none. */
static const cli_option *find_option(const cli_command *c, int short_name,
                                     const char *long_name)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++) {
        const cli_option *o = &options[i];
        if (!(o->commands & CLI_ON(c->id)))
            continue;
        if (short_name ? o->short_name == short_name
                       : strcmp(o->name, long_name) == 0)
            return o;
    }
    return NULL;
}

/* The argument as the user typed it, for messages: "--bogus" or "-x". */
static int unknown(const cli_command *c, const char *arg, int short_name)
{
    fprintf(stderr, "rpiperf %s: unknown option ", c->name);
    if (short_name) {
        fprintf(stderr, "-%c", short_name);
    } else {
        size_t n = strcspn(arg, "=");
        char *name = strndup(arg, n);
        cli_put_safe(stderr, name ? name : arg);
        free(name);
    }
    fprintf(stderr, " (see rpiperf help %s)\n", c->name);
    return RPP_EXIT_USAGE;
}

int cli_parse(const cli_command *c, int argc, char **argv, cli_common *co,
              cli_own_fn own, void *ctx)
{
    struct option longopts[N_OPTIONS + 1];
    const cli_option *by_long[N_OPTIONS];
    char shorts[2 * N_OPTIONS + 3];
    size_t i, n_long = 0, n_short = 0;
    int ch, idx, st;

    memset(co, 0, sizeof(*co));
    co->warnings = true;
    co->load.version = RPP_LOAD_OPTS_VERSION;
    co->format = RPP_FORMAT_TEXT;
    co->operands = calloc((size_t)argc + 1, sizeof(*co->operands));
    if (!co->operands) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    /* "-": operands come back in order as option 1, whatever
     * POSIXLY_CORRECT says; ":": a missing argument is told apart */
    shorts[n_short++] = '-';
    shorts[n_short++] = ':';
    for (i = 0; i < N_OPTIONS; i++) {
        const cli_option *o = &options[i];
        if (!(o->commands & CLI_ON(c->id)))
            continue;
        longopts[n_long].name = o->name;
        longopts[n_long].has_arg =
            o->arg == CLI_ARG_NONE ? no_argument : required_argument;
        longopts[n_long].flag = NULL;
        longopts[n_long].val = 0x100 + (int)n_long;
        by_long[n_long++] = o;
        if (o->short_name) {
            shorts[n_short++] = o->short_name;
            if (o->arg != CLI_ARG_NONE)
                shorts[n_short++] = ':';
        }
    }
    shorts[n_short] = '\0';
    memset(&longopts[n_long], 0, sizeof(longopts[n_long]));

    optind = 0; /* GNU: start afresh */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, shorts, longopts, &idx)) != -1) {
        const cli_option *o;
        cli_value v;

        if (ch == 1) {
            co->operands[co->n_operands++] = optarg;
            continue;
        }
        if (ch == '?') {
            return unknown(c, argv[optind - 1], optopt);
        }
        if (ch == ':') {
            o = optopt ? find_option(c, optopt, NULL)
                       : find_option(c, 0, argv[optind - 1] + 2);
            if (!o)
                return unknown(c, argv[optind - 1], optopt);
            return cli_usage_error(c, "--%s needs an argument (%s)", o->name,
                                   o->metavar ? o->metavar : "a value");
        }
        o = ch >= 0x100 ? by_long[ch - 0x100] : find_option(c, ch, NULL);
        if (!o)
            return unknown(c, argv[optind - 1], ch);
        if ((st = check_value(c, o, optarg ? optarg : "", &v)) != 0)
            return st;
        st = common_option(c, o, &v, co);
        if (st == 1)
            st = own && (st = own(ctx, o->id, &v)) != 0 ? st : CLI_RUN;
        if (st != CLI_RUN)
            return st;
    }
    for (; optind < argc; optind++)
        co->operands[co->n_operands++] = argv[optind];
    if (co->n_operands == 0 && c->min_operands)
        return cli_usage_error(c, "no %.*s given",
                               (int)strcspn(c->operands, ". "), c->operands);
    if (co->n_operands < c->min_operands)
        return cli_usage_error(c, "expected %s, got %zu operand%s",
                               c->operands, co->n_operands,
                               co->n_operands == 1 ? "" : "s");
    if (c->max_operands && co->n_operands > c->max_operands)
        return cli_usage_error(c, "expected %s, got %zu operands",
                               c->operands, co->n_operands);
    return CLI_RUN;
}

void cli_common_free(cli_common *co)
{
    if (!co)
        return;
    rpp_rules_free(co->rules);
    free(co->operands);
    memset(co, 0, sizeof(*co));
}

const rpp_rules *cli_rules(const cli_common *co)
{
    return co->rules;
}
