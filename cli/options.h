/*
 * options.h - the command line's one table of options and its parser.
 *
 * Every option of every command is one row of a table sorted by its long
 * name (options.c), with the commands that take it, the kind of argument
 * it takes and the line of help that describes it. The parser, the help
 * texts and the shell completion are all made from that table, so they
 * cannot disagree. Options may come anywhere among the operands (GNU
 * style, as grep and curl take them); "--" ends them.
 */
#ifndef RPIPERF_CLI_OPTIONS_H
#define RPIPERF_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <rpiperf/analyse.h>

/* The commands, in the order of `rpiperf --help`. */
typedef enum cli_cmd {
    CLI_VALIDATE,
    CLI_ANALYSE,
    CLI_CHECK,
    CLI_COMPARE,
    CLI_RENDER,
    CLI_REPORT,
    CLI_N_COMMANDS
} cli_cmd;

#define CLI_ON(c) (1u << (c))

/* The most reports compare takes at once (all are in memory together). */
#define CLI_COMPARE_MAX_REPORTS 1000

/* Every option, by meaning. Options with the same long name but another
 * meaning in another command (--format of render) have their own id. */
typedef enum cli_opt_id {
    OPT_BASELINE,
    OPT_CHART,
    OPT_COLOR,
    OPT_EXCLUDE,
    OPT_FAIL_ON,
    OPT_FAIL_SLOWER,
    OPT_FORMAT,           /* text | markdown | json */
    OPT_IMAGE_FORMAT,     /* png | svg | pdf */
    OPT_HEIGHT,
    OPT_HELP,
    OPT_HTML,
    OPT_INCLUDE,
    OPT_JOBS,
    OPT_JSON,
    OPT_JUNIT,
    OPT_LIST_RULES,
    OPT_MARKDOWN,
    OPT_MAX_SIZE,
    OPT_NO_PROGRESS,
    OPT_NO_WARNINGS,
    OPT_ONLY,
    OPT_OUTPUT,
    OPT_OUTPUT_DIR,
    OPT_QUIET,
    OPT_REDACT,
    OPT_REPORTS_ONLY,
    OPT_RULES,
    OPT_SET,
    OPT_SORT,
    OPT_WIDTH
} cli_opt_id;

/* What an option's argument is; the parser checks it before the command
 * sees it, and completion offers values from it. */
typedef enum cli_arg {
    CLI_ARG_NONE,
    CLI_ARG_STRING,       /* any text */
    CLI_ARG_FILE,         /* a file name */
    CLI_ARG_DIR,          /* a directory */
    CLI_ARG_CHOICE,       /* one word of `choices` */
    CLI_ARG_UINT,         /* an integer from min to max */
    CLI_ARG_NUMBER,       /* a number from min to max */
    CLI_ARG_SIZE,         /* 1048576, 512K, 256M, 2G */
    CLI_ARG_RULE          /* RULE.PARAM=VALUE or RULE=LEVEL */
} cli_arg;

typedef struct cli_option {
    const char *name;     /* long name without "--" */
    char short_name;      /* 0: none */
    cli_opt_id id;
    unsigned commands;    /* CLI_ON() bits */
    cli_arg arg;
    const char *metavar;  /* shown in the help: FILE, FMT, ... */
    const char *choices;  /* CLI_ARG_CHOICE: words separated by spaces */
    double min, max;      /* CLI_ARG_UINT, CLI_ARG_NUMBER */
    const char *help;     /* for the help text; "\n" starts another line */
} cli_option;

/* The table, sorted by name; n receives the number of rows. */
const cli_option *cli_options(size_t *n);

/* One command: its names, operands and texts. */
typedef struct cli_command {
    cli_cmd id;
    const char *name;
    const char *alias;    /* another accepted name, or NULL */
    int (*run)(int argc, char **argv);
    const char *summary;  /* one line for `rpiperf --help` */
    const char *operands; /* "FILE", "PATH...", ... */
    size_t min_operands, max_operands;   /* max 0 = no limit */
    const char *description;
    const char *exit_status;
} cli_command;

/* The command table (main.c); the last row has name NULL. */
extern const cli_command cli_commands[];

/* The command of that name or alias, or NULL. */
const cli_command *cli_command_find(const char *name);
const cli_command *cli_command_get(cli_cmd id);

/* Prints the help of a command, made from the tables. */
void cli_help(FILE *f, const cli_command *c);

/* An option's argument, checked against its kind. */
typedef struct cli_value {
    const char *text;     /* as given */
    int choice;           /* CLI_ARG_CHOICE: index of the word */
    double number;        /* CLI_ARG_UINT, CLI_ARG_NUMBER */
    size_t size;          /* CLI_ARG_SIZE */
} cli_value;

/* The options most commands share, handled by the parser itself. */
typedef struct cli_common {
    rpp_load_opts load;   /* --max-size */
    rpp_rules *rules;     /* --set, --rules (NULL until one is given) */
    rpp_format format;    /* --format text|markdown|json */
    const char *output;   /* -o, --output */
    bool redact;          /* --redact */
    bool warnings;        /* not --no-warnings */
    bool quiet;           /* -q */
    int color;            /* --color: 0 auto, 1 always, 2 never */
    char **operands;      /* the operands, in order (into argv) */
    size_t n_operands;
} cli_common;

/*
 * Handles an option of the command's own: returns 0, or an exit status
 * after printing what is wrong (RPP_EXIT_USAGE for a bad value).
 */
typedef int (*cli_own_fn)(void *ctx, cli_opt_id id, const cli_value *v);

/* Returned by cli_parse when the command is to run. */
#define CLI_RUN (-1)

/*
 * Parses the arguments of command c (argv[0] is the command's name):
 * options anywhere, "--" ends them; shared options go into co, the others
 * to own(ctx, ...). Returns CLI_RUN to go on, or the exit status to end
 * with: 0 after --help or --list-rules, RPP_EXIT_USAGE after a one-line
 * message saying what was wrong (and "see rpiperf help CMD"). co must be
 * released with cli_common_free() in every case.
 */
int cli_parse(const cli_command *c, int argc, char **argv, cli_common *co,
              cli_own_fn own, void *ctx);

void cli_common_free(cli_common *co);

/* The rules to analyse with: co->rules, or NULL for the defaults. */
const rpp_rules *cli_rules(const cli_common *co);

/* Prints "rpiperf CMD: MESSAGE (see rpiperf help CMD)" on one line of
 * standard error; returns RPP_EXIT_USAGE. */
int cli_usage_error(const cli_command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
