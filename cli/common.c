/*
 * common.c - helpers shared by the subcommands: safe printing of untrusted
 * strings, loading a FILE argument, parsing numbers, writing files whole
 * (through the libraries' one atomic writer) and saying why one could not
 * be written.
 */
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
    rpp_diags_clear(d);
    if (strcmp(arg, "-") == 0)
        st = rpp_report_load_fd(&r, STDIN_FILENO, opts, d);
    else
        st = rpp_report_load_file(&r, arg, opts, d);
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
    return a && b && strcmp(b, "-") != 0 && rpp_file_same(a, b);
}

void cli_error_write(const char *path, const rpp_file_error *err)
{
    switch (err->step) {
    case RPP_FILE_STEP_PROTECTED:
        cli_error_file("refusing to overwrite the input file", path, 0);
        break;
    case RPP_FILE_STEP_TARGET:
        if (err->os_error)
            cli_error_file("cannot write", path, err->os_error);
        else
            cli_error_file("refusing to replace the special file", path, 0);
        break;
    case RPP_FILE_STEP_CREATE:
        cli_error_file("cannot create a file next to", path, err->os_error);
        break;
    case RPP_FILE_STEP_WRITE:
        cli_error_file("cannot write", path, err->os_error);
        break;
    case RPP_FILE_STEP_NONE:
        cli_error_file("out of memory: cannot write", path, 0);
        break;
    }
}

int cli_write_file(const char *path, const char *data, size_t len,
                   const char *protect)
{
    rpp_file_error err;

    if (protect && strcmp(protect, "-") == 0)
        protect = NULL;
    if (rpp_file_write_atomic(path, data, len, protect, &err) == RPP_OK)
        return 0;
    if (err.step == RPP_FILE_STEP_NONE)
        cli_error("out of memory");
    else
        cli_error_write(path, &err);
    return -1;
}
