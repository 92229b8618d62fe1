/*
 * check.h - the parts of `rpiperf check` and what passes between them:
 *
 *   check_walk.c    which files to look at: the operands, the directories
 *                   searched, --include and --exclude
 *   check_report.c  one file's result: loaded, told apart from other JSON
 *                   (--reports-only), analysed, reduced to what the
 *                   outputs need
 *   check_pool.c    the worker threads, which hand results back in the
 *                   order of the files whatever their number
 *   check_out.c     output files written as results come: a temporary
 *                   file renamed at the end, a body spliced under a head
 *                   written last
 *   check_encode.c  the encoders: the line and the GitHub annotations of
 *                   a report, the JSON, JUnit and markdown files
 *   cmd_check.c     the command: options, the run, the summary, the exit
 *                   status
 */
#ifndef RPIPERF_CLI_CHECK_H
#define RPIPERF_CLI_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <rpiperf/analyse.h>

/* ---- the files (check_walk.c) ------------------------------------------- */

/* Which files below a directory PATH are looked at: those whose path
 * below PATH matches one of include (default "*.json") and none of
 * exclude; a directory that matches exclude is not entered. */
typedef struct check_filter {
    const char **include;
    size_t n_include;
    const char **exclude;
    size_t n_exclude;
} check_filter;

typedef struct check_files {
    char **paths;
    size_t n, cap;
    bool oom;
} check_files;

/* Adds the files of every operand: a directory is searched (sorted,
 * recursively, not into directories whose name starts with '.' nor
 * through symbolic links to directories), anything else is taken as
 * named. Returns 0, or -1 when memory ran out. */
int check_files_collect(check_files *files, char *const *operands,
                        size_t n_operands, const check_filter *filter);
void check_files_free(check_files *files);

/* Whether the path below a directory operand is wanted (the GLOB rules
 * of README.md); exposed for the directory walk's directories too. */
bool check_filter_wants(const check_filter *filter, const char *rel,
                        bool is_dir);

/* ---- one file's result (check_report.c) --------------------------------- */

typedef enum check_status {
    CHECK_PASSED,     /* no finding at or above --fail-on */
    CHECK_FAILED,     /* a finding at or above --fail-on */
    CHECK_INVALID,    /* not a valid report, or unreadable */
    CHECK_SKIPPED     /* --reports-only: valid JSON, plainly not a report */
} check_status;

typedef struct check_finding {
    char *id;
    rpp_level level;
    char *message;
    char *cause;
} check_finding;

typedef struct check_result {
    check_status status;
    char *problem;          /* invalid: the loader's messages, a line each */
    char *headline;         /* invalid: the first of them */
    size_t n_findings;
    check_finding *findings;
    double seconds;
    bool oom;               /* memory ran out: not the report's fault */
} check_result;

/* What every report is checked with; shared read-only by the workers. */
typedef struct check_job {
    const rpp_rules *rules;     /* NULL: the defaults */
    const rpp_load_opts *load;
    rpp_level fail_on;
    bool reports_only;
} check_job;

/* Checks one file. Returns its result (a result with oom set when memory
 * ran out part way), or NULL when even that could not be allocated. */
check_result *check_report(const check_job *job, const char *path);
void check_result_free(check_result *r);

/* Findings of a result below --fail-on, by level. */
size_t check_result_count(const check_result *r, rpp_level level);

/* Seconds on CLOCK_MONOTONIC. */
double check_now(void);

/* ---- the workers (check_pool.c) ----------------------------------------- */

typedef struct check_pool check_pool;

/* Starts up to jobs threads (0: one per processor) checking files in
 * order. Returns 0, or -1 when memory ran out (nothing started). */
int check_pool_start(check_pool **out, const check_files *files,
                     const check_job *job, unsigned long jobs);

/* Waits up to timeout seconds (a negative timeout: for as long as it
 * takes) for the result of file i, which must be taken in order. Returns
 * true when it is there: *res is the result (the caller frees it; NULL
 * when memory ran out). */
bool check_pool_take(check_pool *p, size_t i, double timeout,
                     check_result **res);

/* Lets the workers finish, joins them and frees the pool; accepts NULL. */
void check_pool_stop(check_pool *p);

/* ---- output files (check_out.c) ----------------------------------------- */

/* A file written as results come, with the guarantee of
 * rpp_file_write_atomic (report.h): a temporary file created next to the
 * target, renamed over it when complete, removed otherwise. A body is read
 * back through the temporary file's descriptor, never by name. */
typedef struct check_out {
    const char *path;
    rpp_file_out *file;
    FILE *f;                /* on a duplicate of file's descriptor */
    bool oom;               /* text was lost for want of memory */
    bool io;                /* a write failed */
} check_out;

/* Creates the temporary file; refuses a target that is one of inputs.
 * Returns 0, or -1 with a message printed. */
int check_out_open(check_out *o, const char *path, char *const *inputs,
                   size_t n_inputs);

/* Writes the buffer's text and empties it. A buffer that lost text marks
 * the output as failed for want of memory; nothing more is written to it.
 * Returns 0, or -1 once the output has failed. */
int check_out_put(check_out *o, rpp_buf *b);

/* Appends the whole of body (rewound and read through its descriptor). */
int check_out_copy(check_out *o, check_out *body);

/* Closes the output: renamed over its target when keep is set and
 * nothing failed, removed otherwise (a message says why). Returns 0 when
 * kept (or when there was nothing to keep), RPP_EXIT_INTERNAL when memory
 * ran out, RPP_EXIT_OUTPUT when a write or the rename failed. */
int check_out_close(check_out *o, bool keep);

/* ---- encoders (check_encode.c) ------------------------------------------ */

/* The run's totals, for summaries and the heads of the files. */
typedef struct check_summary {
    size_t reports, passed, failed, invalid, skipped;
    size_t with_findings;       /* reports with a finding of any level */
    size_t n_rules;             /* rules of rpp_rule_get() */
    size_t *rule_reports;       /* per rule: reports where it fired */
    rpp_level fail_on;
    double seconds;
} check_summary;

/* The options the encoders follow. */
typedef struct check_style {
    rpp_level fail_on;
    bool quiet;                 /* -q: only failed and invalid reports */
    bool github;                /* GITHUB_ACTIONS=true: annotations too */
} check_style;

/* The line of a report for standard output ("" when -q leaves it out),
 * with the workflow commands of its annotations after it when github. */
void check_encode_line(rpp_buf *b, const check_style *st, const char *path,
                       const check_result *r);

/* The summary lines after the reports. */
void check_encode_summary(rpp_buf *b, const check_summary *s);

/* The JSON file: begun, one entry per file, ended with the summary. */
int check_json_begin(rpp_json **w, rpp_buf *b, rpp_level fail_on);
void check_json_add(rpp_json *w, const char *path, const check_result *r);
int check_json_end(rpp_json *w, const check_summary *s);

/* The JUnit file: a testcase per report written as results come (the
 * body), then the head with the counts, written last, around it. */
void check_junit_case(rpp_xml *body, const check_style *st, const char *path,
                      const check_result *r);
void check_junit_head(rpp_xml *x, const check_summary *s);
void check_junit_tail(rpp_xml *x);

/* The markdown summary: a table row per report that did not pass (the
 * body; up to CHECK_MD_MAX_ROWS), then the head and the tail around it. */
#define CHECK_MD_MAX_ROWS 200
void check_markdown_row(rpp_buf *b, const check_style *st, const char *path,
                        const check_result *r);
void check_markdown_head(rpp_buf *b, const check_summary *s, size_t rows);
void check_markdown_tail(rpp_buf *b, const check_summary *s, size_t rows);

#endif
