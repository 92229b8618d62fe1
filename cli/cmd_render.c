/*
 * cmd_render.c - `rpiperf render FILE`: draw the timeline, throughput and
 * network charts of a report and write them next to it (or into -o DIR).
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>
#include <rpiperf/render.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Parses "timeline,network" into a set of charts. */
static bool parse_only(const char *s, bool want[RPP_CHART_COUNT])
{
    char name[32];
    rpp_chart k;
    bool any = false;
    int i;

    for (i = 0; i < RPP_CHART_COUNT; i++)
        want[i] = false;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof(name))
            return false;
        memcpy(name, s, n);
        name[n] = '\0';
        if (!rpp_chart_parse(name, &k))
            return false;
        want[k] = true;
        s += n;
        if (*s == ',' && *++s == '\0')
            return false;
        any = true;
    }
    return any;
}

/* NAME: the base name of the input without ".json"; "report" for stdin. */
static char *base_name(const char *arg)
{
    const char *b = strrchr(arg, '/');
    size_t n;
    char *out;

    if (strcmp(arg, "-") == 0)
        return strdup("report");
    b = b ? b + 1 : arg;
    n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".json") == 0)
        n -= 5;
    if (n == 0)
        return strdup("report");
    out = malloc(n + 1);
    if (out) {
        memcpy(out, b, n);
        out[n] = '\0';
    }
    return out;
}

/* The directory the charts go to: DIR, or the input's own directory
 * ("" for the current one). */
static char *out_dir(const char *dir, const char *arg)
{
    const char *slash;
    size_t n;
    char *out;

    if (dir)
        return strdup(dir);
    slash = strrchr(arg, '/');
    n = slash ? (size_t)(slash - arg) + 1 : 0;
    out = malloc(n + 1);
    if (out) {
        memcpy(out, arg, n);
        out[n] = '\0';
    }
    return out;
}

static char *chart_path(const char *dir, const char *name, rpp_chart k,
                        rpp_image_format f)
{
    const char *chart = rpp_chart_name(k), *ext = rpp_image_format_name(f);
    size_t dl = strlen(dir), n;
    bool sep = dl > 0 && dir[dl - 1] != '/';
    char *p;

    n = dl + 1 + strlen(name) + 1 + strlen(chart) + 1 + strlen(ext) + 1;
    p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s-%s.%s", dir, sep ? "/" : "", name, chart, ext);
    return p;
}

/* One chart drawn on its own thread: the charts share the report and the
 * analysis read-only, and encoding dominates, so they run side by side. */
typedef struct job {
    const rpp_report *r;
    const rpp_analysis *a;
    const rpp_render_opts *ro;
    rpp_chart kind;
    unsigned char *data;
    size_t len;
    int status;
    pthread_t thread;
    bool started;
} job;

static void *run_job(void *arg)
{
    job *j = arg;

    j->status = rpp_render_chart(j->r, j->a, j->kind, j->ro, &j->data,
                                 &j->len);
    return NULL;
}

static void render_all(job *jobs, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    for (i = 1; i < n; i++)
        jobs[i].started =
            pthread_create(&jobs[i].thread, NULL, run_job, &jobs[i]) == 0;
    /* the first here, and any that could not get a thread */
    run_job(&jobs[0]);
    for (i = 1; i < n; i++) {
        if (jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
        else
            run_job(&jobs[i]);
    }
}

typedef struct render_args {
    rpp_render_opts ro;
    bool want[RPP_CHART_COUNT];
} render_args;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    render_args *ra = ctx;

    if (id == OPT_IMAGE_FORMAT) {
        /* the table's words are the library's names */
        if (!rpp_image_format_parse(v->text, &ra->ro.format))
            return RPP_EXIT_USAGE;
    } else if (id == OPT_WIDTH) {
        ra->ro.width = (unsigned)v->number;
    } else if (id == OPT_HEIGHT) {
        ra->ro.height = (unsigned)v->number;
    } else if (id == OPT_ONLY && !parse_only(v->text, ra->want)) {
        fputs("rpiperf render: --only: expected a comma-separated list of "
              "timeline, throughput and network, got \"", stderr);
        cli_put_safe(stderr, v->text);
        fputs("\" (see rpiperf help render)\n", stderr);
        return RPP_EXIT_USAGE;
    }
    return 0;
}

int cmd_render(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_RENDER);
    render_args ra;
    cli_common co;
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    const char *input;
    char *dir = NULL, *name = NULL;
    job jobs[RPP_CHART_COUNT];
    size_t n_jobs = 0, i;
    struct stat st;
    int k, rc, status;

    memset(&ra, 0, sizeof(ra));
    ra.ro.version = RPP_RENDER_OPTS_VERSION;
    for (k = 0; k < RPP_CHART_COUNT; k++)
        ra.want[k] = true;
    rc = cli_parse(cmd, argc, argv, &co, own_option, &ra);
    if (rc != CLI_RUN)
        goto cleanup;
    ra.ro.redact = co.redact;
    input = co.operands[0];
    if (strcmp(input, "-") == 0 && !co.output) {
        rc = cli_usage_error(cmd, "reading standard input needs -o DIR for "
                                  "the charts");
        goto cleanup;
    }
    if (co.output && (stat(co.output, &st) < 0 || !S_ISDIR(st.st_mode))) {
        bool missing = errno == ENOENT || errno == ENOTDIR;
        fputs("rpiperf: output directory ", stderr);
        cli_put_safe(stderr, co.output);
        fputs(missing ? " does not exist\n" : " is not a directory\n", stderr);
        rc = RPP_EXIT_OUTPUT;
        goto cleanup;
    }
    r = cli_load(input, &co.load, false, &status);
    if (!r) {
        rc = cli_load_exit(status);
        goto cleanup;
    }
    rc = RPP_EXIT_INTERNAL;
    if (rpp_analysis_run(&a, r, cli_rules(&co)) != RPP_OK) {
        cli_error("out of memory");
        goto cleanup;
    }
    dir = out_dir(co.output, input);
    name = base_name(input);
    if (!dir || !name) {
        cli_error("out of memory");
        goto cleanup;
    }
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        if (!ra.want[k])
            continue;
        memset(&jobs[n_jobs], 0, sizeof(jobs[n_jobs]));
        jobs[n_jobs].r = r;
        jobs[n_jobs].a = a;
        jobs[n_jobs].ro = &ra.ro;
        jobs[n_jobs].kind = (rpp_chart)k;
        n_jobs++;
    }
    render_all(jobs, n_jobs);
    rc = RPP_EXIT_OK;
    for (i = 0; i < n_jobs; i++) {
        job *j = &jobs[i];
        char *path;

        if (j->status != RPP_OK) {
            cli_error("cannot draw the %s chart: %s", rpp_chart_name(j->kind),
                      rpp_status_str(j->status));
            rc = RPP_EXIT_INTERNAL;
            continue;
        }
        path = chart_path(dir, name, j->kind, ra.ro.format);
        if (!path) {
            cli_error("out of memory");
            rc = RPP_EXIT_INTERNAL;
        } else if (cli_write_file(path, (const char *)j->data, j->len,
                                  strcmp(input, "-") == 0 ? NULL : input) < 0) {
            if (rc == RPP_EXIT_OK)
                rc = RPP_EXIT_OUTPUT;
        } else {
            cli_put_safe(stdout, path);
            fputc('\n', stdout);
        }
        free(path);
    }

cleanup:
    for (i = 0; i < n_jobs; i++)
        free(jobs[i].data);
    free(dir);
    free(name);
    rpp_analysis_free(a);
    rpp_report_free(r);
    cli_common_free(&co);
    /* nothing else draws after this: let leak checkers see no caches */
    rpp_render_cleanup();
    if (fflush(stdout) != 0 && rc == RPP_EXIT_OK)
        rc = RPP_EXIT_OUTPUT;
    return rc;
}
