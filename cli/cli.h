/*
 * cli.h - the command-line front end: the subcommand table, exit codes and
 * the helpers every subcommand uses to read reports and print safely.
 */
#ifndef RPIPERF_CLI_H
#define RPIPERF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <rpiperf/report.h>

/* Exit statuses: documented by number in README.md and the man page. */
typedef enum cli_exit {
    RPP_EXIT_OK = 0,          /* success (analyse: whatever the findings) */
    RPP_EXIT_FINDINGS = 1,    /* check: a finding at or above --fail-on;
                             compare: not used */
    RPP_EXIT_INVALID = 2,     /* a report is invalid or cannot be read */
    RPP_EXIT_USAGE = 3,       /* bad command line */
    RPP_EXIT_OUTPUT = 4,      /* an output file could not be written */
    RPP_EXIT_INTERNAL = 5,    /* out of memory or another internal error */
    RPP_EXIT_MISSING = 6      /* rpiperf-render, which draws, is missing */
} cli_exit;

/* Prints text to f with control characters and escape sequences made
 * visible (strings that come from reports or file names). */
void cli_put_safe(FILE *f, const char *s);

/* Every line the command line prints fits this many columns. */
#define CLI_WIDTH 100

/* Prints text that is already safe to f within CLI_WIDTH columns: wrapped
 * at spaces, continuation lines indented by indent, a word longer than a
 * line broken across lines (nothing is cut). Ends with a newline.
 * CLI_NBSP prints as a space at which the line does not break (safe text
 * never holds that control character). */
#define CLI_NBSP '\037'
void cli_print_wrapped(FILE *f, const char *text, size_t indent);

/* name (a file name: made safe) followed by rest (the program's own text,
 * which may hold CLI_NBSP), printed as by cli_print_wrapped. */
void cli_print_named(FILE *f, const char *name, const char *rest,
                     size_t indent);

/* The same for text that may come from a report or a file name: made
 * safe as by cli_put_safe first. */
void cli_print_line(FILE *f, const char *text, size_t indent);

/* The name to show for a FILE argument ("-" is "<stdin>"). */
const char *cli_display_name(const char *arg);

/* Prints the problems of a load, one per entry, prefixed with the file:
 *   NAME:LINE:COL: message        syntax errors
 *   NAME: $.path: message         errors
 *   NAME: warning: $.path: message
 * An entry longer than CLI_WIDTH goes on over lines indented by four
 * spaces. Warnings are printed only when show_warnings is set. */
void cli_print_diags(FILE *f, const char *name, const rpp_diags *d,
                     bool show_warnings);

/* Loads FILE ("-" = standard input) with opts; on failure prints the
 * problems and returns NULL. Warnings are printed when show_warnings. */
rpp_report *cli_load(const char *arg, const rpp_load_opts *opts,
                     bool show_warnings, int *status);

/* The same in two steps, for loads on several threads: cli_load_quiet
 * loads FILE into *out (NULL on failure) and its problems into d, printing
 * nothing, and returns the status; cli_load_problems then prints them as
 * cli_load does. */
int cli_load_quiet(const char *arg, const rpp_load_opts *opts,
                   rpp_report **out, rpp_diags *d);
void cli_load_problems(const char *arg, int status, const rpp_diags *d,
                       bool show_warnings);

/* Parses a size such as 1048576, 512K, 256M, 2G. Returns false on error. */
bool cli_parse_size(const char *s, size_t *out);

/* --max-size ARG of every command that reads reports: sets the limit of
 * opts, or prints what is wrong with ARG and returns false. */
bool cli_opt_max_size(const char *arg, rpp_load_opts *opts);

/* The exit status for a report cli_load() could not load. */
int cli_load_exit(int status);

/* Parses a non-negative integer up to max. */
bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Writes len bytes to path whole, as rpp_file_write_atomic (report.h)
 * does: to a temporary file in the same directory, flushed, then renamed
 * over path. Refuses to replace protect (the input; "-" or NULL for none).
 * Returns 0, or -1 with a message printed. */
int cli_write_file(const char *path, const char *data, size_t len,
                   const char *protect);

/* Prints why path could not be written ("rpiperf: cannot write PATH:
 * ..."), from what rpp_file_write_atomic or rpp_file_out_* reported. */
void cli_error_write(const char *path, const rpp_file_error *err);

/* Whether two paths name the same file (same string, or same device and
 * inode). "-" is never the same as anything. */
bool cli_same_file(const char *a, const char *b);

/* Prints "rpiperf: " and a message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "rpiperf: WHAT PATH" and, when err is not 0, ": " and its
 * description, with PATH made safe as by cli_put_safe (a file name may come
 * from a stranger). */
void cli_error_file(const char *what, const char *path, int err);

/* Calls fn(ctx, i) for every i from 0 to n - 1 on up to `threads`
 * threads, the caller's included, and returns when all calls have
 * returned. Threads that cannot be started leave their share to the
 * others (down to the caller alone). */
void cli_parallel(size_t n, unsigned threads, void (*fn)(void *ctx, size_t i),
                  void *ctx);
/* The number of processors online, 1 to 64. */
unsigned cli_processors(void);

/* Rules options shared by the commands that analyse (rules_opts.c); the
 * rules type comes from analyse.h. Each returns 0, or -1 with a message
 * printed. */
struct rpp_rules;
int cli_rules_set(struct rpp_rules *rules, const char *assignment);
int cli_rules_file(struct rpp_rules *rules, const char *path);
/* The rule table with levels, thresholds and help, within 100 columns. */
void cli_list_rules(FILE *f);

/* The drawing commands (render, report, analyse --html) are built into
 * rpiperf-render only (RPP_CLI_FULL); rpiperf hands them over to it with
 * exec (exec.c). Returns only on failure: RPP_EXIT_MISSING when
 * rpiperf-render is not where it should be, RPP_EXIT_INTERNAL when it
 * could not be started. */
int cli_exec_full(int argc, char **argv);

/* Writes the HTML page of an analysis to out_path (rpiperf-render only). */
struct rpp_analysis;
int cli_write_html(const char *out_path, const char *input,
                   const rpp_report *r, const struct rpp_analysis *a,
                   bool redact, unsigned width);

/* Prints the completion script for shell ("bash") to f, made from the
 * tables of commands, options and rules (completion.c). Returns an exit
 * status: RPP_EXIT_USAGE (with a message) for another shell. */
int cli_completion(FILE *f, const char *shell);

/* Subcommands */
int cmd_validate(int argc, char **argv);
int cmd_analyse(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
