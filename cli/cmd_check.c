/*
 * cmd_check.c - owns the command `rpiperf check PATH...`: its options,
 * the run (the files found, checked by the pool of workers, each result
 * written out as soon as it is next in order and then freed), the
 * progress line, the summary and the exit status. Which files, how one is
 * checked and how results are written are the other check_*.c files'
 * (check.h says which).
 */
#include "cli.h"
#include "check.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a result is taken as when even it could not be allocated. */
static const check_result oom_result = { CHECK_INVALID, NULL, NULL, 0, NULL,
                                         0.0, true };

/* Everything one run owns; released at one place. */
typedef struct check_run {
    cli_common co;
    check_filter filter;
    check_job job;
    check_style style;
    check_summary sum;
    check_files files;
    check_pool *pool;
    const char *json_path, *junit_path, *md_path;
    unsigned long jobs;
    bool progress;
    size_t n_oom;           /* reports or lines lost for want of memory */
    size_t md_rows;         /* reports that did not pass */
    rpp_buf *line, *json_buf, *junit_buf, *md_buf;
    rpp_json *json;
    rpp_xml *junit;
    check_out json_out, junit_body, junit_out, md_body, md_out;
} check_run;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    static const rpp_level levels[] = { RPP_LEVEL_INFO, RPP_LEVEL_WARNING,
                                        RPP_LEVEL_ERROR };
    check_run *run = ctx;

    if (id == OPT_FAIL_ON)
        run->job.fail_on = levels[v->choice];
    else if (id == OPT_JUNIT)
        run->junit_path = v->text;
    else if (id == OPT_JSON)
        run->json_path = v->text;
    else if (id == OPT_MARKDOWN)
        run->md_path = v->text;
    else if (id == OPT_JOBS)
        run->jobs = (unsigned long)v->number;
    else if (id == OPT_NO_PROGRESS)
        run->progress = false;
    else if (id == OPT_REPORTS_ONLY)
        run->job.reports_only = true;
    else if (id == OPT_INCLUDE)
        run->filter.include[run->filter.n_include++] = v->text;
    else if (id == OPT_EXCLUDE)
        run->filter.exclude[run->filter.n_exclude++] = v->text;
    return 0;
}

/* ---- outputs ---------------------------------------------------------------- */

/* Opens the output files and their buffers: 0, or the exit status. */
static int open_outputs(check_run *run)
{
    char *const *in = run->files.paths;
    size_t n = run->files.n;

    if ((run->json_path &&
         check_out_open(&run->json_out, run->json_path, in, n) < 0) ||
        (run->junit_path &&
         check_out_open(&run->junit_body, run->junit_path, in, n) < 0) ||
        (run->md_path && check_out_open(&run->md_body, run->md_path, in, n) < 0))
        return RPP_EXIT_OUTPUT;
    if (rpp_buf_new(&run->line) != RPP_OK ||
        (run->json_path &&
         (rpp_buf_new(&run->json_buf) != RPP_OK ||
          check_json_begin(&run->json, run->json_buf, run->job.fail_on) !=
              RPP_OK)) ||
        (run->junit_path &&
         (rpp_buf_new(&run->junit_buf) != RPP_OK ||
          rpp_xml_new(&run->junit, run->junit_buf, 2, 2) != RPP_OK)) ||
        (run->md_path && rpp_buf_new(&run->md_buf) != RPP_OK)) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    return 0;
}

/* Writes what a writer made so far; a writer that stopped (it ran out of
 * memory) fails the output. */
static void flush(check_out *o, rpp_buf *b, int writer_status)
{
    if (writer_status != RPP_OK)
        o->oom = true;
    check_out_put(o, b);
}

/* Prints a report's line (and annotations). A line lost for want of
 * memory is said on standard error, and the buffer made anew. */
static void print_line(check_run *run, const char *path, const check_result *r)
{
    const char *text;

    check_encode_line(run->line, &run->style, path, r);
    text = rpp_buf_data(run->line, NULL);
    if (text) {
        fputs(text, stdout);
        rpp_buf_clear(run->line);
        return;
    }
    run->n_oom++;
    cli_error_file("out of memory: the result not printed for", path, 0);
    rpp_buf_free(run->line);
    run->line = NULL;
    rpp_buf_new(&run->line);
}

/* Counts a result into the summary: its status, and each rule that fired
 * in it once. */
static void tally(check_summary *s, const check_result *r)
{
    rpp_rule_info ri;
    size_t k, j, rule;

    switch (r->status) {
    case CHECK_PASSED: s->passed++; break;
    case CHECK_FAILED: s->failed++; break;
    case CHECK_INVALID: s->invalid++; break;
    case CHECK_SKIPPED: s->skipped++; return;
    }
    s->reports++;
    s->with_findings += r->n_findings > 0;
    for (k = 0; k < r->n_findings; k++) {
        bool seen = false;
        for (j = 0; j < k && !seen; j++)
            seen = strcmp(r->findings[j].id, r->findings[k].id) == 0;
        for (rule = 0; !seen && rpp_rule_get(rule, &ri); rule++)
            if (strcmp(ri.id, r->findings[k].id) == 0) {
                s->rule_reports[rule]++;
                break;
            }
    }
}

/* Everything one result goes into. */
static void emit(check_run *run, const char *path, const check_result *r)
{
    print_line(run, path, r);
    tally(&run->sum, r);
    if (run->json) {
        check_json_add(run->json, path, r);
        flush(&run->json_out, run->json_buf, rpp_json_status(run->json));
    }
    if (run->junit) {
        check_junit_case(run->junit, &run->style, path, r);
        flush(&run->junit_body, run->junit_buf, rpp_xml_status(run->junit));
    }
    if (run->md_buf && (r->status == CHECK_FAILED ||
                        r->status == CHECK_INVALID)) {
        if (run->md_rows < CHECK_MD_MAX_ROWS)
            check_markdown_row(run->md_buf, &run->style, path, r);
        run->md_rows++;
        flush(&run->md_body, run->md_buf, RPP_OK);
    }
}

/* The JUnit file: the head with the counts, the body, the tail. */
static int finish_junit(check_run *run)
{
    rpp_xml *head = NULL;
    int rc;

    if (rpp_xml_finish(run->junit) != RPP_OK)
        run->junit_body.oom = true;
    if (check_out_open(&run->junit_out, run->junit_path, NULL, 0) < 0) {
        check_out_close(&run->junit_body, false);
        return RPP_EXIT_OUTPUT;
    }
    if (rpp_xml_new(&head, run->junit_buf, 2, 0) != RPP_OK) {
        run->junit_out.oom = true;
    } else {
        check_junit_head(head, &run->sum);
        flush(&run->junit_out, run->junit_buf, rpp_xml_status(head));
        check_out_copy(&run->junit_out, &run->junit_body);
        check_junit_tail(head);
        flush(&run->junit_out, run->junit_buf, rpp_xml_finish(head));
    }
    rpp_xml_free(head);
    rc = check_out_close(&run->junit_out, true);
    check_out_close(&run->junit_body, false);
    return rc;
}

/* The markdown file: the head with the counts, the rows, the tail. */
static int finish_markdown(check_run *run)
{
    int rc;

    if (check_out_open(&run->md_out, run->md_path, NULL, 0) < 0) {
        check_out_close(&run->md_body, false);
        return RPP_EXIT_OUTPUT;
    }
    check_markdown_head(run->md_buf, &run->sum, run->md_rows);
    flush(&run->md_out, run->md_buf, RPP_OK);
    check_out_copy(&run->md_out, &run->md_body);
    check_markdown_tail(run->md_buf, &run->sum, run->md_rows);
    flush(&run->md_out, run->md_buf, RPP_OK);
    rc = check_out_close(&run->md_out, true);
    check_out_close(&run->md_body, false);
    return rc;
}

/* Ends every output file. Returns the worst of their statuses: an output
 * that could not be written (4) before one lost for want of memory (5). */
static int finish_outputs(check_run *run)
{
    int rcs[3] = { 0, 0, 0 }, i, rc = 0;

    if (run->json) {
        flush(&run->json_out, run->json_buf,
              check_json_end(run->json, &run->sum));
        rcs[0] = check_out_close(&run->json_out, true);
    }
    if (run->junit)
        rcs[1] = finish_junit(run);
    if (run->md_buf)
        rcs[2] = finish_markdown(run);
    for (i = 0; i < 3; i++)
        if (rcs[i] == RPP_EXIT_OUTPUT || (rcs[i] && !rc))
            rc = rcs[i];
    return rc;
}

/* ---- the run ---------------------------------------------------------------- */

/* Waits for the result of file i, drawing the progress line meanwhile. */
static check_result *wait_for(check_run *run, size_t i, double t0)
{
    check_result *res = NULL;
    double last_draw = 0;

    while (!check_pool_take(run->pool, i, run->progress ? 0.1 : -1, &res)) {
        double el = check_now() - t0, rate = el > 0 ? (double)i / el : 0;
        if (check_now() - last_draw < 0.1)
            continue;
        fprintf(stderr, "\r\033[K  %zu/%zu reports  %.0f/s  ETA %.0f s", i,
                run->files.n, rate,
                rate > 0 ? (double)(run->files.n - i) / rate : 0.0);
        last_draw = check_now();
    }
    return res;
}

/* Checks every file, writing each result out in order. */
static void check_all(check_run *run)
{
    double t0 = check_now();
    size_t i;

    for (i = 0; i < run->files.n; i++) {
        const char *path = run->files.paths[i];
        check_result *res = wait_for(run, i, t0);
        const check_result *r = res ? res : &oom_result;

        if (run->progress)
            fputs("\r\033[K", stderr);
        if (r->oom) {
            /* shown as an invalid report, but the status says that
             * rpiperf itself failed */
            run->n_oom++;
            cli_error_file("out of memory while checking", path, 0);
        }
        emit(run, path, r);
        check_result_free(res);
    }
    run->sum.seconds = check_now() - t0;
}

static void print_summary(check_run *run)
{
    const char *text;

    check_encode_summary(run->line, &run->sum);
    text = rpp_buf_data(run->line, NULL);
    if (text) {
        fputs(text, stdout);
    } else {
        run->n_oom++;
        cli_error("out of memory: the summary not printed");
    }
    fflush(stdout);
}

/* Sets up what the options asked for: 0, or the exit status. */
static int prepare(check_run *run)
{
    const char *gha = getenv("GITHUB_ACTIONS"), *ci = getenv("CI");
    rpp_rule_info ri;

    if (check_files_collect(&run->files, run->co.operands, run->co.n_operands,
                            &run->filter) < 0) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    if (!run->files.n) {
        cli_error("check: no report found (no file matched --include, "
                  "default *.json)");
        return RPP_EXIT_INVALID;
    }
    while (rpp_rule_get(run->sum.n_rules, &ri))
        run->sum.n_rules++;
    run->sum.rule_reports = calloc(run->sum.n_rules + 1, sizeof(size_t));
    if (!run->sum.rule_reports) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    run->sum.fail_on = run->job.fail_on;
    run->job.rules = cli_rules(&run->co);
    run->job.load = &run->co.load;
    run->style.fail_on = run->job.fail_on;
    run->style.quiet = run->co.quiet;
    run->style.github = gha && strcmp(gha, "true") == 0;
    run->progress = run->progress && isatty(STDERR_FILENO) &&
                    !run->style.github && !(ci && *ci);
    return open_outputs(run);
}

static int exit_status(const check_run *run, int outputs)
{
    if (outputs == RPP_EXIT_OUTPUT)
        return RPP_EXIT_OUTPUT;
    if (outputs || run->n_oom)
        return RPP_EXIT_INTERNAL;
    if (run->sum.invalid || !run->sum.reports)
        return RPP_EXIT_INVALID;
    return run->sum.failed ? RPP_EXIT_FINDINGS : RPP_EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_CHECK);
    check_run run;
    int rc;

    memset(&run, 0, sizeof(run));
    run.job.fail_on = RPP_LEVEL_ERROR;
    run.progress = true;
    /* room for every argument as a GLOB */
    run.filter.include = calloc((size_t)argc + 1, sizeof(char *));
    run.filter.exclude = calloc((size_t)argc + 1, sizeof(char *));
    if (!run.filter.include || !run.filter.exclude) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    rc = cli_parse(cmd, argc, argv, &run.co, own_option, &run);
    if (rc != CLI_RUN)
        goto cleanup;
    if ((rc = prepare(&run)) != 0)
        goto cleanup;
    if (check_pool_start(&run.pool, &run.files, &run.job, run.jobs) < 0) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    check_all(&run);
    print_summary(&run);
    if (!run.sum.reports)
        cli_error("check: no report found (%zu file%s skipped, not a report)",
                  run.sum.skipped, run.sum.skipped == 1 ? "" : "s");
    rc = exit_status(&run, finish_outputs(&run));

cleanup:
    check_pool_stop(run.pool);
    check_out_close(&run.json_out, false);
    check_out_close(&run.junit_body, false);
    check_out_close(&run.junit_out, false);
    check_out_close(&run.md_body, false);
    check_out_close(&run.md_out, false);
    rpp_json_free(run.json);
    rpp_xml_free(run.junit);
    rpp_buf_free(run.line);
    rpp_buf_free(run.json_buf);
    rpp_buf_free(run.junit_buf);
    rpp_buf_free(run.md_buf);
    free(run.sum.rule_reports);
    check_files_free(&run.files);
    free(run.filter.include);
    free(run.filter.exclude);
    cli_common_free(&run.co);
    return rc;
}
