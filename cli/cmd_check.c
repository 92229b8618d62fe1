/*
 * cmd_check.c - `rpiperf check PATH...`: loads and analyses many reports
 * (in parallel), prints one line per report in a stable order, a summary,
 * and optionally JUnit XML, JSON and GitHub workflow annotations. Results
 * are written out as soon as they are next in order and then freed, so
 * memory stays flat however many reports there are.
 */
#include "cli.h"
#include "options.h"
#include <rpiperf/analyse.h>
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define MAX_DEPTH 64

/* ---- the list of files -------------------------------------------------- */

typedef struct file_list {
    char **paths;
    size_t n, cap;
    bool oom;
} file_list;

static void list_add(file_list *l, const char *path)
{
    char *copy;

    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **np = realloc(l->paths, ncap * sizeof(*np));
        if (!np) {
            l->oom = true;
            return;
        }
        l->paths = np;
        l->cap = ncap;
    }
    copy = strdup(path);
    if (!copy) {
        l->oom = true;
        return;
    }
    l->paths[l->n++] = copy;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_json(const char *s)
{
    size_t n = strlen(s);
    return n > 5 && strcmp(s + n - 5, ".json") == 0;
}

/* Adds the *.json files under dir, sorted, recursing into real
 * directories only (a symlinked directory could loop). */
static void walk(file_list *l, const char *dir, int depth)
{
    DIR *d;
    struct dirent *de;
    file_list here = { NULL, 0, 0, false }, subdirs = { NULL, 0, 0, false };
    size_t i;

    if (depth > MAX_DEPTH)
        return;
    d = opendir(dir);
    if (!d) {
        list_add(l, dir); /* reported as unreadable by the loader */
        return;
    }
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        size_t n;
        char *p;

        if (de->d_name[0] == '.')
            continue;
        n = strlen(dir) + strlen(de->d_name) + 2;
        p = malloc(n);
        if (!p) {
            l->oom = true;
            break;
        }
        snprintf(p, n, "%s%s%s", dir,
                 dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
        if (lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                list_add(&subdirs, p);
            else if (ends_with_json(de->d_name) &&
                     (S_ISREG(st.st_mode) ||
                      (S_ISLNK(st.st_mode) && stat(p, &st) == 0 &&
                       S_ISREG(st.st_mode))))
                list_add(&here, p);
        }
        free(p);
    }
    closedir(d);
    if (here.n)
        qsort(here.paths, here.n, sizeof(char *), cmp_str);
    if (subdirs.n)
        qsort(subdirs.paths, subdirs.n, sizeof(char *), cmp_str);
    for (i = 0; i < here.n; i++) {
        list_add(l, here.paths[i]);
        free(here.paths[i]);
    }
    for (i = 0; i < subdirs.n; i++) {
        walk(l, subdirs.paths[i], depth + 1);
        free(subdirs.paths[i]);
    }
    free(here.paths);
    free(subdirs.paths);
    if (here.oom || subdirs.oom)
        l->oom = true;
}

/* ---- one report's result ------------------------------------------------ */

enum { RES_PASSED, RES_FAILED, RES_INVALID };

typedef struct res_finding {
    char *id;
    rpp_level level;
    char *message;
    char *cause;
} res_finding;

typedef struct result {
    int status;
    char *problem;          /* invalid: the loader's messages, one per line */
    size_t n_findings;
    res_finding *findings;
    double seconds;
    bool oom;               /* memory ran out: not the report's fault */
} result;

static void result_free(result *r)
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
    free(r);
}

typedef struct shared {
    file_list *files;
    const rpp_rules *rules;
    const rpp_load_opts *lo;
    rpp_level fail_on;
    pthread_mutex_t lock;
    pthread_cond_t done;
    size_t next;            /* next file to take */
    result **results;       /* slot per file (NULL: out of memory) */
    unsigned char *state;   /* per file: 0 pending, 1 done, 2 consumed */
} shared;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static result *check_one(shared *sh, const char *path)
{
    result *res = calloc(1, sizeof(*res));
    rpp_diags *d = malloc(sizeof(*d));
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    double t0 = now_s();
    size_t i;
    int st;

    if (!res || !d) {
        free(d);
        free(res);
        return NULL;
    }
    rpp_diags_clear(d);
    st = rpp_report_load_file(&r, path, sh->lo, d);
    if (st != RPP_OK) {
        rpp__buf b = RPP__BUF_INIT;
        for (i = 0; i < d->n_items; i++) {
            const rpp_error *e = &d->items[i].err;
            if (d->items[i].severity != RPP_SEV_ERROR)
                continue;
            if (e->line)
                rpp__buf_printf(&b, "%u:%u: ", e->line, e->column);
            if (e->path[0])
                rpp__buf_printf(&b, "%s: ", e->path);
            rpp__buf_printf(&b, "%s\n", e->message);
        }
        if (!b.len)
            rpp__buf_printf(&b, "%s\n", rpp_status_str(st));
        res->status = RES_INVALID;
        res->oom = st == RPP_ERR_NOMEM || b.oom;
        res->problem = rpp__buf_detach(&b);
        goto done;
    }
    if (rpp_analysis_run(&a, r, sh->rules) != RPP_OK) {
        res->status = RES_INVALID;
        res->oom = true;
        goto done;
    }
    res->findings = calloc(a->n_findings ? a->n_findings : 1,
                           sizeof(*res->findings));
    if (!res->findings) {
        res->status = RES_INVALID;
        res->oom = true;
        goto done;
    }
    res->status = RES_PASSED;
    for (i = 0; i < a->n_findings; i++) {
        const rpp_finding *f = &a->findings[i];
        res_finding *rf = &res->findings[res->n_findings++];
        rf->id = strdup(f->id);
        rf->level = f->level;
        rf->message = strdup(f->message);
        rf->cause = strdup(f->cause ? f->cause : "");
        if (!rf->id || !rf->message || !rf->cause) {
            /* out of memory: reported as such, not as a report without
             * findings */
            size_t k;
            for (k = 0; k < res->n_findings; k++) {
                free(res->findings[k].id);
                free(res->findings[k].message);
                free(res->findings[k].cause);
            }
            res->n_findings = 0;
            res->status = RES_INVALID;
            res->oom = true;
            goto done;
        }
        if (f->level >= sh->fail_on)
            res->status = RES_FAILED;
    }

done:
    res->seconds = now_s() - t0;
    rpp_analysis_free(a);
    rpp_report_free(r);
    free(d);
    return res;
}

static void *worker(void *arg)
{
    shared *sh = arg;

    for (;;) {
        size_t i;
        result *res;

        pthread_mutex_lock(&sh->lock);
        i = sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (i >= sh->files->n)
            break;
        res = check_one(sh, sh->files->paths[i]);
        pthread_mutex_lock(&sh->lock);
        /* NULL means out of memory: the printer reports it */
        sh->results[i] = res;
        sh->state[i] = 1;
        pthread_cond_broadcast(&sh->done);
        pthread_mutex_unlock(&sh->lock);
    }
    return NULL;
}

/* ---- outputs ------------------------------------------------------------ */

/* A file written as results come and renamed over path at the end, with
 * the guarantee of rpp_file_write_atomic: a temporary file created
 * exclusively next to path, whose stream reads back (the JUnit body) go
 * through its descriptor, never by name. */
typedef struct stream_out {
    const char *path;
    rpp_file_out *out;
    FILE *f;                /* on a duplicate of out's descriptor */
} stream_out;

static int stream_open(stream_out *s, const char *path, char **inputs,
                       size_t n_inputs)
{
    rpp_file_error err;
    size_t i;
    int fd;

    memset(s, 0, sizeof(*s));
    s->path = path;
    for (i = 0; i < n_inputs; i++)
        if (cli_same_file(path, inputs[i])) {
            cli_error_file("refusing to overwrite the input file", path, 0);
            return -1;
        }
    if (rpp_file_out_open(&s->out, path, NULL, &err) < 0) {
        cli_error_write(path, &err);
        return -1;
    }
    fd = dup(rpp_file_out_fd(s->out));
    if (fd < 0 || !(s->f = fdopen(fd, "w+"))) {
        cli_error_file("cannot create a file next to", path, errno);
        if (fd >= 0)
            close(fd);
        rpp_file_out_discard(s->out);
        s->out = NULL;
        return -1;
    }
    return 0;
}

/* Closes the stream; renames the file over its path when keep is set and
 * all went well, removes it otherwise. */
static int stream_close(stream_out *s, bool keep)
{
    rpp_file_error err;
    bool failed;
    int rc = 0;

    if (!s->f)
        return 0;
    failed = ferror(s->f) != 0;
    if (fclose(s->f) != 0 || failed) {
        cli_error_file("cannot write", s->path, 0);
        rc = -1;
    } else if (keep) {
        rc = rpp_file_out_commit(s->out, &err) < 0 ? -1 : 0;
        s->out = NULL;    /* committed or removed: freed either way */
        if (rc < 0)
            cli_error_write(s->path, &err);
    }
    rpp_file_out_discard(s->out);
    s->out = NULL;
    s->f = NULL;
    return rc;
}

static void put_xml(FILE *f, const char *s)
{
    rpp__buf b = RPP__BUF_INIT;

    rpp__html_safe(&b, s);
    if (b.ptr)
        fputs(b.ptr, f);
    rpp__buf_free(&b);
}

static void put_json(FILE *f, const char *s)
{
    rpp__buf b = RPP__BUF_INIT;

    rpp__json_str(&b, s, false);
    if (b.ptr)
        fputs(b.ptr, f);
    rpp__buf_free(&b);
}

/* GitHub workflow command escaping: data and properties. Line breaks
 * become %0A/%0D (GitHub shows them as line breaks); every other control
 * character or escape sequence is made visible first. */
static void put_gh(FILE *f, const char *s, bool property)
{
    rpp__buf b = RPP__BUF_INIT;
    const char *p, *seg = s;
    char *piece;

    for (p = s;; p++) {
        if (*p && *p != '\n' && *p != '\r')
            continue;
        piece = strndup(seg, (size_t)(p - seg));
        if (piece) {
            rpp__text_safe(&b, piece, 0);
            free(piece);
        }
        if (!*p)
            break;
        rpp__buf_puts(&b, *p == '\n' ? "\001A" : "\001D");
        seg = p + 1;
    }
    for (p = b.ptr ? b.ptr : ""; *p; p++) {
        if (*p == '\001') {
            /* a marker left above: never in text_safe output */
            fputs(p[1] == 'A' ? "%0A" : "%0D", f);
            p++;
        } else if (*p == '%')
            fputs("%25", f);
        else if (property && *p == ':')
            fputs("%3A", f);
        else if (property && *p == ',')
            fputs("%2C", f);
        else
            fputc(*p, f);
    }
    rpp__buf_free(&b);
}

/* A line that starts with "::" (after blanks) is a workflow command to
 * GitHub's runner: a report's file name must not start one. */
static void put_path(const char *path, bool github)
{
    const char *p = path;

    while (*p == ' ' || *p == '\t')
        p++;
    if (github && p[0] == ':' && p[1] == ':')
        fputs("./", stdout);
    cli_put_safe(stdout, path);
}

static const char *gh_level(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_ERROR: return "error";
    case RPP_LEVEL_WARNING: return "warning";
    case RPP_LEVEL_INFO:
    case RPP_LEVEL_OFF: return "notice";
    }
    return "notice";
}

/* ---- the command -------------------------------------------------------- */

typedef struct check_args {
    rpp_level fail_on;
    const char *junit_path, *json_path;
    unsigned long jobs;
    bool progress;
} check_args;

static int own_option(void *ctx, cli_opt_id id, const cli_value *v)
{
    static const rpp_level levels[] = { RPP_LEVEL_INFO, RPP_LEVEL_WARNING,
                                        RPP_LEVEL_ERROR };
    check_args *ca = ctx;

    if (id == OPT_FAIL_ON)
        ca->fail_on = levels[v->choice];
    else if (id == OPT_JUNIT)
        ca->junit_path = v->text;
    else if (id == OPT_JSON)
        ca->json_path = v->text;
    else if (id == OPT_JOBS)
        ca->jobs = (unsigned long)v->number;
    else if (id == OPT_NO_PROGRESS)
        ca->progress = false;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    const cli_command *cmd = cli_command_get(CLI_CHECK);
    check_args ca = { RPP_LEVEL_ERROR, NULL, NULL, 0, true };
    cli_common co;
    const rpp_load_opts *lo = &co.load;
    file_list files = { NULL, 0, 0, false };
    shared sh;
    stream_out junit_body, junit, json;
    const char *junit_path, *json_path;
    unsigned long jobs;
    bool quiet, progress, github, threads_ok = false;
    rpp_level fail_on;
    pthread_t tids[MAX_JOBS];
    size_t n_threads = 0, i, k, n_rules = 0, *rule_counts = NULL;
    size_t passed = 0, failed = 0, invalid = 0, n_findings = 0, n_oom = 0;
    double t0, last_draw = 0;
    int rc, outputs_ok = 1;
    rpp_rule_info ri;
    struct stat st;
    const char *gha, *ci;

    memset(&sh, 0, sizeof(sh));
    memset(&junit_body, 0, sizeof(junit_body));
    memset(&junit, 0, sizeof(junit));
    memset(&json, 0, sizeof(json));
    rc = cli_parse(cmd, argc, argv, &co, own_option, &ca);
    if (rc != CLI_RUN)
        goto cleanup;
    fail_on = ca.fail_on;
    junit_path = ca.junit_path;
    json_path = ca.json_path;
    jobs = ca.jobs;
    progress = ca.progress;
    quiet = co.quiet;
    for (i = 0; i < co.n_operands; i++) {
        const char *path = co.operands[i];
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(&files, path, 0);
        else
            list_add(&files, path);
    }
    if (files.oom) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    if (!files.n) {
        cli_error("check: no *.json report found");
        rc = RPP_EXIT_INVALID;
        goto cleanup;
    }
    while (rpp_rule_get(n_rules, &ri))
        n_rules++;
    rule_counts = calloc(n_rules + 1, sizeof(size_t));
    sh.results = calloc(files.n, sizeof(result *));
    sh.state = calloc(files.n, 1);
    if (!rule_counts || !sh.results || !sh.state) {
        cli_error("out of memory");
        rc = RPP_EXIT_INTERNAL;
        goto cleanup;
    }
    rc = RPP_EXIT_OUTPUT;
    if (junit_path && (stream_open(&junit_body, junit_path, files.paths,
                                   files.n) < 0))
        goto cleanup;
    if (json_path && stream_open(&json, json_path, files.paths, files.n) < 0)
        goto cleanup;
    gha = getenv("GITHUB_ACTIONS");
    ci = getenv("CI");
    github = gha && strcmp(gha, "true") == 0;
    progress = progress && isatty(STDERR_FILENO) && !github && !(ci && *ci);
    if (json.f) {
        fputs("{\n  \"tool\": {\"name\": \"rpiperf\", \"version\": \"" RPP_VERSION_STRING
              "\"},\n  \"failOn\": ",
              json.f);
        put_json(json.f, rpp_level_name(fail_on));
        fputs(",\n  \"reports\": [", json.f);
    }

    if (!jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned long)n : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > files.n)
        jobs = files.n;
    sh.files = &files;
    sh.rules = cli_rules(&co);
    sh.lo = lo;
    sh.fail_on = fail_on;
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.done, NULL);
    threads_ok = true;
    for (n_threads = 0; n_threads < jobs; n_threads++)
        if (pthread_create(&tids[n_threads], NULL, worker, &sh) != 0)
            break;
    if (!n_threads)
        worker(&sh); /* no thread could start: do the work here */

    t0 = now_s();
    for (i = 0; i < files.n; i++) {
        const char *path = files.paths[i];
        result *res;
        bool oom;

        pthread_mutex_lock(&sh.lock);
        while (!sh.state[i]) {
            if (progress && now_s() - last_draw > 0.1) {
                double el = now_s() - t0, rate = el > 0 ? (double)i / el : 0;
                fprintf(stderr, "\r\033[K  %zu/%zu reports  %.0f/s  ETA %.0f s",
                        i, files.n, rate,
                        rate > 0 ? (double)(files.n - i) / rate : 0.0);
                last_draw = now_s();
            }
            if (progress) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 100000000;
                if (ts.tv_nsec >= 1000000000) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000;
                }
                pthread_cond_timedwait(&sh.done, &sh.lock, &ts);
            } else {
                pthread_cond_wait(&sh.done, &sh.lock);
            }
        }
        res = sh.results[i];
        sh.results[i] = NULL;
        sh.state[i] = 2;
        pthread_mutex_unlock(&sh.lock);
        oom = res == NULL || res->oom ||
              (res->status == RES_INVALID && !res->problem);
        if (oom) {
            /* shown as an invalid report, but the status says that rpiperf
             * itself failed */
            result_free(res);
            res = NULL;
            n_oom++;
            cli_error_file("out of memory while checking", path, 0);
        }
        if (progress && isatty(STDOUT_FILENO))
            fputs("\r\033[K", stderr);

        /* the line */
        if (oom || res->status == RES_INVALID) {
            const char *msg = oom ? "out of memory\n" : res->problem;
            size_t len = strcspn(msg, "\n");
            char *first = strndup(msg, len);
            invalid++;
            put_path(path, github);
            fputs(": INVALID: ", stdout);
            cli_put_safe(stdout, first ? first : "");
            fputc('\n', stdout);
            if (github) {
                fputs("::error file=", stdout);
                put_gh(stdout, path, true);
                fputs(",title=rpiperf invalid report::", stdout);
                put_gh(stdout, first ? first : "", false);
                fputc('\n', stdout);
            }
            free(first);
        } else {
            bool any = false;
            if (res->status == RES_FAILED)
                failed++;
            else
                passed++;
            if (res->status == RES_FAILED || !quiet) {
                put_path(path, github);
                fputs(res->status == RES_FAILED ? ": FAIL" : ": OK", stdout);
                for (k = 0; k < res->n_findings; k++) {
                    size_t j, times = 0;
                    bool earlier = false;
                    if (res->findings[k].level < fail_on)
                        continue;
                    /* one mention per rule, with how often it fired */
                    for (j = 0; j < res->n_findings; j++) {
                        if (strcmp(res->findings[j].id,
                                   res->findings[k].id) != 0 ||
                            res->findings[j].level < fail_on)
                            continue;
                        if (j < k)
                            earlier = true;
                        times++;
                    }
                    if (earlier)
                        continue;
                    fprintf(stdout, "%s %s %s", any ? "," : "",
                            rpp_level_name(res->findings[k].level),
                            res->findings[k].id);
                    if (times > 1)
                        fprintf(stdout, " (x%zu)", times);
                    any = true;
                }
                fputc('\n', stdout);
            }
            for (k = 0; k < res->n_findings; k++) {
                size_t ri_idx;
                /* counts per rule: reports where it fired */
                for (ri_idx = 0; ri_idx < n_rules; ri_idx++) {
                    rpp_rule_get(ri_idx, &ri);
                    if (strcmp(ri.id, res->findings[k].id) == 0)
                        break;
                }
                if (k == 0 || strcmp(res->findings[k - 1].id,
                                     res->findings[k].id) != 0) {
                    size_t j;
                    bool seen = false;
                    for (j = 0; j < k && !seen; j++)
                        seen = strcmp(res->findings[j].id,
                                      res->findings[k].id) == 0;
                    if (!seen)
                        rule_counts[ri_idx]++;
                }
                n_findings++;
                if (github && res->findings[k].level >= fail_on) {
                    fprintf(stdout, "::%s file=",
                            gh_level(res->findings[k].level));
                    put_gh(stdout, path, true);
                    fputs(",title=rpiperf ", stdout);
                    put_gh(stdout, res->findings[k].id, true);
                    fputs("::", stdout);
                    put_gh(stdout, res->findings[k].message, false);
                    fputc('\n', stdout);
                }
            }
        }

        /* JUnit testcase */
        if (junit_body.f) {
            fputs("    <testcase classname=\"rpiperf.check\" name=\"",
                  junit_body.f);
            put_xml(junit_body.f, path);
            fprintf(junit_body.f, "\" time=\"%.3f\"",
                    oom ? 0.0 : res->seconds);
            if (oom || res->status == RES_INVALID) {
                fputs(">\n      <error type=\"invalid\" message=\"",
                      junit_body.f);
                put_xml(junit_body.f, oom ? "out of memory" : res->problem);
                fputs("\">", junit_body.f);
                put_xml(junit_body.f, oom ? "out of memory" : res->problem);
                fputs("</error>\n    </testcase>\n", junit_body.f);
            } else if (res->status == RES_FAILED) {
                fputs(">\n", junit_body.f);
                for (k = 0; k < res->n_findings; k++) {
                    if (res->findings[k].level < fail_on)
                        continue;
                    fputs("      <failure type=\"", junit_body.f);
                    put_xml(junit_body.f, res->findings[k].id);
                    fputs("\" message=\"", junit_body.f);
                    put_xml(junit_body.f, res->findings[k].message);
                    fprintf(junit_body.f, "\">%s ",
                            rpp_level_name(res->findings[k].level));
                    put_xml(junit_body.f, res->findings[k].id);
                    fputs(": ", junit_body.f);
                    put_xml(junit_body.f, res->findings[k].message);
                    fputs("&#10;likely cause: ", junit_body.f);
                    put_xml(junit_body.f, res->findings[k].cause);
                    fputs("</failure>\n", junit_body.f);
                }
                fputs("    </testcase>\n", junit_body.f);
            } else {
                fputs("/>\n", junit_body.f);
            }
        }
        /* JSON entry */
        if (json.f) {
            fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", json.f);
            put_json(json.f, path);
            fprintf(json.f, ", \"status\": \"%s\"",
                    oom || res->status == RES_INVALID
                        ? "invalid"
                        : res->status == RES_FAILED ? "failed" : "passed");
            if (oom || res->status == RES_INVALID) {
                fputs(", \"problems\": ", json.f);
                put_json(json.f, oom ? "out of memory" : res->problem);
            } else {
                fputs(", \"findings\": [", json.f);
                for (k = 0; k < res->n_findings; k++) {
                    fputs(k ? ", {\"id\": " : "{\"id\": ", json.f);
                    put_json(json.f, res->findings[k].id);
                    fprintf(json.f, ", \"severity\": \"%s\", \"message\": ",
                            rpp_level_name(res->findings[k].level));
                    put_json(json.f, res->findings[k].message);
                    fputs("}", json.f);
                }
                fputs("]", json.f);
            }
            fprintf(json.f, ", \"seconds\": %.4f}", oom ? 0.0 : res->seconds);
        }
        if (!oom)
            result_free(res);
    }
    if (progress)
        fputs("\r\033[K", stderr);

    /* summary */
    printf("\n%zu report%s: %zu passed, %zu failed, %zu invalid "
           "(fail-on: %s, %.2f s)\n",
           files.n, files.n == 1 ? "" : "s", passed, failed, invalid,
           rpp_level_name(fail_on), now_s() - t0);
    if (n_findings) {
        printf("reports per rule:\n");
        for (k = 0; k < n_rules; k++) {
            if (!rule_counts[k])
                continue;
            rpp_rule_get(k, &ri);
            printf("  %-26s %8zu\n", ri.id, rule_counts[k]);
        }
    }
    fflush(stdout);

    if (json.f) {
        fprintf(json.f,
                "\n  ],\n  \"summary\": {\"reports\": %zu, \"passed\": %zu, "
                "\"failed\": %zu, \"invalid\": %zu, \"rules\": {",
                files.n, passed, failed, invalid);
        for (k = 0, i = 0; k < n_rules; k++) {
            if (!rule_counts[k])
                continue;
            rpp_rule_get(k, &ri);
            fprintf(json.f, "%s\"%s\": %zu", i++ ? ", " : "", ri.id,
                    rule_counts[k]);
        }
        fputs("}}\n}\n", json.f);
        if (stream_close(&json, true) < 0)
            outputs_ok = 0;
    }
    if (junit_body.f) {
        /* the header needs the counts: write it, then the streamed body */
        char buf[8192];
        size_t n;
        if (fflush(junit_body.f) != 0 ||
            fseek(junit_body.f, 0, SEEK_SET) != 0 ||
            stream_open(&junit, junit_path, NULL, 0) < 0) {
            outputs_ok = 0;
        } else {
            fprintf(junit.f,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<testsuites name=\"rpiperf\" tests=\"%zu\" failures=\"%zu\" "
                    "errors=\"%zu\" time=\"%.3f\">\n"
                    "  <testsuite name=\"rpiperf check\" tests=\"%zu\" "
                    "failures=\"%zu\" errors=\"%zu\" skipped=\"0\" "
                    "time=\"%.3f\">\n",
                    files.n, failed, invalid, now_s() - t0, files.n, failed,
                    invalid, now_s() - t0);
            while ((n = fread(buf, 1, sizeof(buf), junit_body.f)) > 0)
                fwrite(buf, 1, n, junit.f);
            if (ferror(junit_body.f))
                outputs_ok = 0;
            fputs("  </testsuite>\n</testsuites>\n", junit.f);
            if (stream_close(&junit, outputs_ok != 0) < 0)
                outputs_ok = 0;
        }
        stream_close(&junit_body, false);
    }
    if (!outputs_ok)
        rc = RPP_EXIT_OUTPUT;
    else if (n_oom)
        rc = RPP_EXIT_INTERNAL;
    else if (invalid)
        rc = RPP_EXIT_INVALID;
    else if (failed)
        rc = RPP_EXIT_FINDINGS;
    else
        rc = RPP_EXIT_OK;

cleanup:
    if (threads_ok) {
        for (i = 0; i < n_threads; i++)
            pthread_join(tids[i], NULL);
        pthread_mutex_destroy(&sh.lock);
        pthread_cond_destroy(&sh.done);
    }
    stream_close(&json, false);
    stream_close(&junit, false);
    stream_close(&junit_body, false);
    if (sh.results) {
        for (i = 0; i < files.n; i++)
            result_free(sh.results[i]);
        free(sh.results);
    }
    free(sh.state);
    for (i = 0; i < files.n; i++)
        free(files.paths[i]);
    free(files.paths);
    free(rule_counts);
    cli_common_free(&co);
    return rc;
}
