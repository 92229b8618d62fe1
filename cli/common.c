/*
 * common.c - helpers shared by the subcommands: safe printing of untrusted
 * strings, loading a FILE argument, parsing numbers, writing files whole.
 */
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("rpiperf: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_error_file(const char *what, const char *path, int err)
{
    fputs("rpiperf: ", stderr);
    fputs(what, stderr);
    fputc(' ', stderr);
    cli_put_safe(stderr, path);
    if (err) {
        fputs(": ", stderr);
        fputs(strerror(err), stderr);
    }
    fputc('\n', stderr);
}

void cli_put_safe(FILE *f, const char *s)
{
    rpp__buf b = RPP__BUF_INIT;

    rpp__text_safe(&b, s, 0);
    if (b.ptr && !b.oom) {
        fputs(b.ptr, f);
    } else {
        /* out of memory: printable ASCII as is, every other byte as \xNN */
        const unsigned char *p;
        for (p = (const unsigned char *)s; *p; p++)
            if (*p >= 0x20 && *p < 0x7f)
                fputc(*p, f);
            else
                fprintf(f, "\\x%02x", *p);
    }
    rpp__buf_free(&b);
}

const char *cli_display_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

void cli_print_diags(FILE *f, const char *name, const rpp_diags *d,
                     bool show_warnings)
{
    size_t i, shown_errors = 0, shown_warnings = 0;

    if (!d)
        return;
    for (i = 0; i < d->n_items; i++) {
        const rpp_diag *it = &d->items[i];
        bool warning = it->severity == RPP_SEV_WARNING;

        if (warning && !show_warnings)
            continue;
        cli_put_safe(f, name);
        if (it->err.line)
            fprintf(f, ":%u:%u", it->err.line, it->err.column);
        fputs(": ", f);
        if (warning)
            fputs("warning: ", f);
        if (it->err.path[0]) {
            cli_put_safe(f, it->err.path);
            fputs(": ", f);
        }
        cli_put_safe(f, it->err.message);
        fputc('\n', f);
        if (warning)
            shown_warnings++;
        else
            shown_errors++;
    }
    if (d->n_errors > shown_errors) {
        cli_put_safe(f, name);
        fprintf(f, ": ... and %zu more error%s\n", d->n_errors - shown_errors,
                d->n_errors - shown_errors == 1 ? "" : "s");
    }
    if (show_warnings && d->n_warnings > shown_warnings) {
        cli_put_safe(f, name);
        fprintf(f, ": ... and %zu more warning%s\n",
                d->n_warnings - shown_warnings,
                d->n_warnings - shown_warnings == 1 ? "" : "s");
    }
}

int cli_load_quiet(const char *arg, const rpp_load_opts *opts,
                   rpp_report **out, rpp_diags *d)
{
    rpp_diags_clear(d);
    if (strcmp(arg, "-") == 0)
        return rpp_report_load_fd(out, STDIN_FILENO, opts, d);
    return rpp_report_load_file(out, arg, opts, d);
}

void cli_load_problems(const char *arg, int st, const rpp_diags *d,
                       bool show_warnings)
{
    cli_print_diags(stderr, cli_display_name(arg), d,
                    show_warnings || st != RPP_OK);
    if (st == RPP_ERR_LIMIT) {
        /* only the file size limit (a problem with no JSON path) can be
         * raised at run time; the others are fixed when rpiperf is built */
        size_t i;
        bool size = false;
        for (i = 0; i < d->n_items; i++)
            if (d->items[i].err.code == RPP_ERR_LIMIT &&
                !d->items[i].err.path[0])
                size = true;
        cli_put_safe(stderr, cli_display_name(arg));
        fputs(size ? ": note: the size limit can be raised with --max-size\n"
                   : ": note: this limit is set when rpiperf is built "
                     "(RPP_DEFAULT_MAX_...)\n",
              stderr);
    }
}

rpp_report *cli_load(const char *arg, const rpp_load_opts *opts,
                     bool show_warnings, int *status)
{
    rpp_diags *d = malloc(sizeof(*d));
    rpp_report *r = NULL;
    int st;

    if (!d) {
        cli_error("out of memory");
        if (status)
            *status = RPP_ERR_NOMEM;
        return NULL;
    }
    st = cli_load_quiet(arg, opts, &r, d);
    cli_load_problems(arg, st, d, show_warnings);
    free(d);
    if (status)
        *status = st;
    return r;
}

bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

bool cli_parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v, mul = 1;

    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mul = 1024ULL; end++; break;
    case 'm': case 'M': mul = 1024ULL * 1024; end++; break;
    case 'g': case 'G': mul = 1024ULL * 1024 * 1024; end++; break;
    default: return false;
    }
    if (*end == 'i' || *end == 'B') {
        if (*end == 'i')
            end++;
        if (*end == 'B')
            end++;
    }
    if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

bool cli_opt_max_size(const char *arg, rpp_load_opts *opts)
{
    if (cli_parse_size(arg, &opts->max_file_size))
        return true;
    cli_error("--max-size: expected a size such as 256M, got %s", arg);
    return false;
}

int cli_load_exit(int status)
{
    return status == RPP_ERR_NOMEM ? RPP_EXIT_INTERNAL : RPP_EXIT_INVALID;
}

bool cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (!a || !b || strcmp(b, "-") == 0)
        return false;
    if (strcmp(a, b) == 0)
        return true;
    if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_write_file(const char *path, const char *data, size_t len,
                   const char *protect)
{
    char *tmp = NULL;
    const char *slash;
    size_t dirlen, n;
    mode_t mask;
    int fd = -1, rc = -1;
    bool created = false;

    if (cli_same_file(path, protect)) {
        cli_error_file("refusing to overwrite the input file", path, 0);
        return -1;
    }
    slash = strrchr(path, '/');
    dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    n = dirlen + strlen(".rpiperf-XXXXXX") + 1;
    tmp = malloc(n);
    if (!tmp) {
        cli_error("out of memory");
        return -1;
    }
    memcpy(tmp, path, dirlen);
    memcpy(tmp + dirlen, ".rpiperf-XXXXXX", sizeof(".rpiperf-XXXXXX"));
    /* mkstemp opens with O_EXCL: never follows a planted symlink */
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error_file("cannot create a file next to", path, errno);
        goto cleanup;
    }
    created = true;
    mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            cli_error_file("cannot write", path, errno);
            goto cleanup;
        }
        data += w;
        len -= (size_t)w;
    }
    if (close(fd) < 0) {
        fd = -1;
        cli_error_file("cannot write", path, errno);
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        cli_error_file("cannot write", path, errno);
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (fd >= 0)
        close(fd);
    if (rc < 0 && created)
        (void)unlink(tmp);
    free(tmp);
    return rc;
}
