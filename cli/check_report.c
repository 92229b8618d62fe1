/*
 * check_report.c - owns one file's result in `rpiperf check`: the report
 * loaded and analysed with the run's rules, or the loader's problems; with
 * --reports-only, valid JSON that is plainly not a report set aside as
 * skipped. The result keeps only what the outputs print (ids, levels,
 * messages, causes), so that the report and its analysis are freed at
 * once.
 */
#include "cli.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double check_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void check_result_free(check_result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_findings; i++) {
        free(r->findings[i].id);
        free(r->findings[i].message);
        free(r->findings[i].cause);
    }
    free(r->findings);
    free(r->problem);
    free(r->headline);
    free(r);
}

size_t check_result_count(const check_result *r, rpp_level level)
{
    size_t i, n = 0;

    for (i = 0; i < r->n_findings; i++)
        n += r->findings[i].level == level;
    return n;
}

/* The loader's errors, one per line ("LINE:COL: $.path: message"). */
static int describe_problems(check_result *res, const rpp_diags *d, int st)
{
    rpp_buf *b = NULL;
    const char *text;
    size_t i;

    if (rpp_buf_new(&b) != RPP_OK)
        return -1;
    for (i = 0; i < d->n_items; i++) {
        const rpp_error *e = &d->items[i].err;
        if (d->items[i].severity != RPP_SEV_ERROR)
            continue;
        if (e->line)
            rpp_buf_printf(b, "%u:%u: ", e->line, e->column);
        if (e->path[0])
            rpp_buf_printf(b, "%s: ", e->path);
        rpp_buf_printf(b, "%s\n", e->message);
    }
    text = rpp_buf_data(b, NULL);
    if (text && !*text) {
        rpp_buf_printf(b, "%s\n", rpp_status_str(st));
        text = rpp_buf_data(b, NULL);
    }
    res->problem = text ? strdup(text) : NULL;
    res->headline = text ? strndup(text, strcspn(text, "\n")) : NULL;
    rpp_buf_free(b);
    return res->problem && res->headline ? 0 : -1;
}

/* Whether path holds valid JSON that is plainly not a report (read again:
 * only for files the loader refused as invalid reports). A file that
 * cannot be read again, or is not a regular file, is not set aside. */
static bool plainly_not_a_report(const char *path, const rpp_load_opts *lo)
{
    size_t limit = lo->max_file_size ? lo->max_file_size
                                     : RPP_DEFAULT_MAX_FILE_SIZE;
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    bool verdict = false;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uintmax_t)st.st_size > limit)
        goto cleanup;
    data = malloc((size_t)st.st_size + 1);
    if (!data)
        goto cleanup;
    while (len < (size_t)st.st_size) {
        ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto cleanup;
        len += (size_t)n;
    }
    verdict = rpp_report_sniff(data, len) == RPP_ERR_NOT_FOUND;

cleanup:
    if (fd >= 0)
        close(fd);
    free(data);
    return verdict;
}

/* Copies the findings the outputs need; false when memory ran out. */
static bool keep_findings(check_result *res, const rpp_analysis *a,
                          rpp_level fail_on)
{
    size_t i;

    res->findings = calloc(a->n_findings ? a->n_findings : 1,
                           sizeof(*res->findings));
    if (!res->findings)
        return false;
    res->status = CHECK_PASSED;
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        check_finding *cf = &res->findings[res->n_findings++];
        cf->id = strdup(f->id);
        cf->level = f->level;
        cf->message = strdup(f->message);
        cf->cause = strdup(f->cause ? f->cause : "");
        if (!cf->id || !cf->message || !cf->cause)
            return false;
        if (f->level >= fail_on)
            res->status = CHECK_FAILED;
    }
    return true;
}

/* Marks a result as lost for want of memory: reported as such, never as
 * a report without findings. */
static void lost(check_result *res)
{
    size_t i;

    for (i = 0; i < res->n_findings; i++) {
        free(res->findings[i].id);
        free(res->findings[i].message);
        free(res->findings[i].cause);
    }
    free(res->findings);
    res->findings = NULL;
    res->n_findings = 0;
    res->status = CHECK_INVALID;
    res->oom = true;
}

check_result *check_report(const check_job *job, const char *path)
{
    check_result *res = calloc(1, sizeof(*res));
    rpp_diags *d = malloc(sizeof(*d));
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    double t0 = check_now();
    int st;

    if (!res || !d) {
        free(res);
        res = NULL;
        goto cleanup;
    }
    rpp_diags_clear(d);
    st = rpp_report_load_file(&r, path, job->load, d);
    if (st == RPP_ERR_INVALID && job->reports_only &&
        plainly_not_a_report(path, job->load)) {
        res->status = CHECK_SKIPPED;
    } else if (st != RPP_OK) {
        res->status = CHECK_INVALID;
        if (st == RPP_ERR_NOMEM || describe_problems(res, d, st) < 0)
            lost(res);
    } else if (rpp_analysis_run(&a, r, job->rules) != RPP_OK ||
               !keep_findings(res, a, job->fail_on)) {
        lost(res);
    }
    res->seconds = check_now() - t0;

cleanup:
    rpp_analysis_free(a);
    rpp_report_free(r);
    free(d);
    return res;
}
