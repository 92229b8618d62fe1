/*
 * completion.c - owns the shell completion of rpiperf: `rpiperf
 * --completion bash` prints a bash script made from the program's own
 * tables (the commands of main.c, the options of options.c with their
 * kinds of argument and their choices, the rules and their parameters of
 * the analysis library), so that it cannot drift from what the program
 * accepts. The build writes it once and make install installs it.
 */
#include "cli.h"
#include "options.h"

#include <string.h>

/* Everything the script spells comes from the tables; a word with a
 * character a shell would read specially is left out rather than quoted. */
static bool plain_word(const char *s)
{
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789-_.=",
                    *s))
            return false;
    return true;
}

static void put_word(FILE *f, const char *sep, const char *w)
{
    if (plain_word(w))
        fprintf(f, "%s%s", sep, w);
}

/* The shown words of a choice (those before a '|'), space-separated. */
static void put_choices(FILE *f, const char *choices)
{
    size_t shown = strcspn(choices, "|");

    fprintf(f, "%.*s", (int)shown, choices);
}

static void put_data(FILE *f)
{
    const cli_command *c;
    rpp_rule_info ri;
    size_t i, k;

    fputs("_rpiperf_commands='", f);
    for (c = cli_commands; c->name; c++) {
        put_word(f, c == cli_commands ? "" : " ", c->name);
        if (c->alias)
            put_word(f, " ", c->alias);
    }
    fputs(" help'\n_rpiperf_levels='off info warning error'\n", f);
    /* --set: RULE=LEVEL, and RULE.PARAM=VALUE for each threshold */
    fputs("_rpiperf_set='", f);
    for (i = 0; rpp_rule_get(i, &ri); i++) {
        fprintf(f, "%s", i ? " " : "");
        if (plain_word(ri.id))
            fprintf(f, "%s=", ri.id);
        for (k = 0; k < ri.n_params; k++)
            if (plain_word(ri.id) && plain_word(ri.param_names[k]))
                fprintf(f, " %s.%s=", ri.id, ri.param_names[k]);
    }
    fputs("'\n", f);
}

/* The case patterns that name command c: "analyse|analyze". */
static void put_command_pattern(FILE *f, const cli_command *c)
{
    fputs(c->name, f);
    if (c->alias)
        fprintf(f, "|%s", c->alias);
}

static void put_options_fn(FILE *f)
{
    const cli_command *c;
    size_t n, i;
    const cli_option *opts = cli_options(&n);

    fputs("\n# The options of command $1, as --long and -s.\n"
          "_rpiperf_options() {\n    case $1 in\n",
          f);
    for (c = cli_commands; c->name; c++) {
        const char *sep = "";
        fputs("    ", f);
        put_command_pattern(f, c);
        fputs(") echo '", f);
        for (i = 0; i < n; i++) {
            if (!(opts[i].commands & CLI_ON(c->id)))
                continue;
            fprintf(f, "%s--", sep);
            put_word(f, "", opts[i].name);
            if (opts[i].short_name)
                fprintf(f, " -%c", opts[i].short_name);
            sep = " ";
        }
        fputs("' ;;\n", f);
    }
    fputs("    esac\n}\n", f);
}

/* What a kind of argument completes to: a word list, files, directories,
 * rule settings, or nothing (a number, a size, free text). */
static const char *kind_word(cli_arg a)
{
    switch (a) {
    case CLI_ARG_FILE: return "file";
    case CLI_ARG_DIR: return "dir";
    case CLI_ARG_RULE: return "rule";
    case CLI_ARG_CHOICE: return "choice";
    case CLI_ARG_STRING:
    case CLI_ARG_UINT:
    case CLI_ARG_NUMBER:
    case CLI_ARG_SIZE: return "value";
    case CLI_ARG_NONE: break;
    }
    return "";
}

static void put_argument_fn(FILE *f)
{
    const cli_command *c;
    size_t n, i;
    const cli_option *opts = cli_options(&n);

    fputs("\n# What the argument of option $2 of command $1 is: choice "
          "WORDS, file, dir,\n# rule or value (nothing to offer); nothing "
          "for an option without one.\n"
          "_rpiperf_argument() {\n    case $1:$2 in\n",
          f);
    for (i = 0; i < n; i++) {
        const cli_option *o = &opts[i];
        const char *sep = "    ";
        if (o->arg == CLI_ARG_NONE || !plain_word(o->name))
            continue;
        for (c = cli_commands; c->name; c++) {
            const char *names[2] = { c->name, c->alias };
            size_t k;
            if (!(o->commands & CLI_ON(c->id)))
                continue;
            for (k = 0; k < 2 && names[k]; k++) {
                fprintf(f, "%s%s:--%s", sep, names[k], o->name);
                sep = "|";
                if (o->short_name)
                    fprintf(f, "|%s:-%c", names[k], o->short_name);
            }
        }
        fprintf(f, ") echo '%s", kind_word(o->arg));
        if (o->arg == CLI_ARG_CHOICE && o->choices) {
            fputc(' ', f);
            put_choices(f, o->choices);
        }
        fputs("' ;;\n", f);
    }
    fputs("    esac\n}\n", f);
}

/* The part of the script that does not depend on the tables. */
static const char completion_logic[] =
    "\n"
    "_rpiperf() {\n"
    "    local cw=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd=''\n"
    "    local i opt kind\n"
    "    [[ $cw -gt 0 ]] && prev=${COMP_WORDS[cw-1]}\n"
    "    COMPREPLY=()\n"
    "    # right after a '=', bash's word is the '=' itself: the word being\n"
    "    # completed is the empty one after it\n"
    "    if [[ $cur == = ]]; then\n"
    "        cur=''\n"
    "        prev==\n"
    "        ((cw++))\n"
    "    fi\n"
    "    # the command: the first word after rpiperf that is not an option\n"
    "    for ((i = 1; i < cw; i++)); do\n"
    "        case ${COMP_WORDS[i]} in\n"
    "        -* | =) ;;\n"
    "        *) cmd=${COMP_WORDS[i]}; break ;;\n"
    "        esac\n"
    "    done\n"
    "    if [[ -z $cmd ]]; then\n"
    "        if [[ $prev == --completion ]]; then\n"
    "            COMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n"
    "        elif [[ $cur == -* ]]; then\n"
    "            COMPREPLY=($(compgen -W '--help --version --completion' "
    "-- \"$cur\"))\n"
    "        else\n"
    "            COMPREPLY=($(compgen -W \"$_rpiperf_commands\" -- \"$cur\"))\n"
    "        fi\n"
    "        return 0\n"
    "    fi\n"
    "    if [[ $cmd == help ]]; then\n"
    "        [[ $prev == help ]] &&\n"
    "            COMPREPLY=($(compgen -W \"$_rpiperf_commands\" -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    # the option this word is the argument of: --opt ARG or --opt=ARG\n"
    "    opt=$prev\n"
    "    if [[ $prev == = ]]; then\n"
    "        opt=${COMP_WORDS[cw-2]}\n"
    "        if [[ $opt != -* ]]; then\n"
    "            # --set RULE=LEVEL (RULE.PARAM=VALUE takes a number)\n"
    "            [[ $cw -ge 3 && ${COMP_WORDS[cw-3]} == --set && $opt != *.* ]] &&\n"
    "                COMPREPLY=($(compgen -W \"$_rpiperf_levels\" -- \"$cur\"))\n"
    "            return 0\n"
    "        fi\n"
    "    fi\n"
    "    kind=$(_rpiperf_argument \"$cmd\" \"$opt\")\n"
    "    case $kind in\n"
    "    choice*) COMPREPLY=($(compgen -W \"${kind#choice }\" -- \"$cur\")) ;;\n"
    "    file) compopt -o filenames 2>/dev/null\n"
    "        COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
    "    dir) compopt -o filenames 2>/dev/null\n"
    "        COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
    "    rule) compopt -o nospace 2>/dev/null\n"
    "        COMPREPLY=($(compgen -W \"$_rpiperf_set\" -- \"$cur\")) ;;\n"
    "    value) ;;\n"
    "    *)\n"
    "        if [[ $cur == -* ]]; then\n"
    "            COMPREPLY=($(compgen -W \"$(_rpiperf_options \"$cmd\")\" "
    "-- \"$cur\"))\n"
    "        else\n"
    "            compopt -o filenames 2>/dev/null\n"
    "            COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    "        fi\n"
    "        ;;\n"
    "    esac\n"
    "    return 0\n"
    "}\n"
    "complete -F _rpiperf rpiperf\n";

int cli_completion(FILE *f, const char *shell)
{
    if (strcmp(shell, "bash") != 0) {
        fputs("rpiperf: --completion: expected bash, got \"", stderr);
        cli_put_safe(stderr, shell);
        fputs("\" (see rpiperf --help)\n", stderr);
        return RPP_EXIT_USAGE;
    }
    fprintf(f,
            "# bash completion for rpiperf %s: its commands, the options of "
            "each, their\n# values and the rules' settings (--set "
            "slow-final-sync.max_ms=). Printed by\n# `rpiperf --completion "
            "bash` from the program's own tables; do not edit.\n\n",
            RPP_VERSION_STRING);
    put_data(f);
    put_options_fn(f);
    put_argument_fn(f);
    fputs(completion_logic, f);
    return fflush(f) == 0 && !ferror(f) ? RPP_EXIT_OK : RPP_EXIT_OUTPUT;
}
