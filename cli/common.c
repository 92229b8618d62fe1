/*
 * common.c - helpers shared by the subcommands: safe printing of untrusted
 * strings, loading a FILE argument, parsing numbers, writing files whole
 * (through the libraries' one atomic writer) and saying why one could not
 * be written.
 */
#include "cli.h"

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
    rpp_buf *b = NULL;
    const char *safe = NULL;

    if (rpp_buf_new(&b) == RPP_OK) {
        rpp_escape_text(b, s, 0);
        safe = rpp_buf_data(b, NULL);
    }
    if (safe) {
        fputs(safe, f);
    } else {
        /* out of memory: printable ASCII as is, every other byte as \xNN */
        const unsigned char *p;
        for (p = (const unsigned char *)s; *p; p++)
            if (*p >= 0x20 && *p < 0x7f)
                fputc(*p, f);
            else
                fprintf(f, "\\x%02x", *p);
    }
    rpp_buf_free(b);
}

const char *cli_display_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

/* Columns of len bytes of UTF-8: one per code point. */
static size_t cols(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* Bytes of s (len bytes) that hold its first n code points. */
static size_t cols_prefix(const char *s, size_t len, size_t n)
{
    size_t i = 0, k = 0;

    while (i < len) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && k++ == n)
            break;
        i++;
    }
    return i;
}

/* A word, its CLI_NBSP as spaces. */
static void put_word(FILE *f, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        fputc(s[i] == CLI_NBSP ? ' ' : s[i], f);
}

void cli_print_wrapped(FILE *f, const char *s, size_t indent)
{
    size_t used = 0, avail = CLI_WIDTH, wl, wc, k;
    const char *we;

    if (indent > CLI_WIDTH / 2)
        indent = CLI_WIDTH / 2;
    for (;;) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        for (we = s; *we && *we != ' '; we++)
            ;
        wl = (size_t)(we - s);
        wc = cols(s, wl);
        if (used && used + 1 + wc <= avail) {
            fputc(' ', f);
            put_word(f, s, wl);
            used += 1 + wc;
            s = we;
        } else if (!used && wc <= avail) {
            put_word(f, s, wl);
            used = wc;
            s = we;
        } else if (!used) {
            /* longer than a whole line: broken, never cut */
            k = cols_prefix(s, wl, avail);
            put_word(f, s, k);
            s += k;
            fprintf(f, "\n%*s", (int)indent, "");
            avail = CLI_WIDTH - indent;
        } else {
            fprintf(f, "\n%*s", (int)indent, "");
            avail = CLI_WIDTH - indent;
            used = 0;
        }
    }
    fputc('\n', f);
}

/* Appends s to dst (n bytes, filled up to *k) as cli_put_safe prints it
 * when memory has run out: printable ASCII as is, other bytes as \xNN;
 * as is when !escape. False when there is no room. */
static bool put_fixed(char *dst, size_t n, size_t *k, const char *s,
                      bool escape)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p; p++) {
        if (*k + 5 > n)
            return false;
        if (!escape || (*p >= 0x20 && *p < 0x7f))
            dst[(*k)++] = (char)*p;
        else
            *k += (size_t)snprintf(dst + *k, n - *k, "\\x%02x", *p);
    }
    dst[*k] = '\0';
    return true;
}

/* raw (made safe) then tail (made safe too when tail_raw), wrapped. Out
 * of memory, the same within a fixed buffer, so that what is printed does
 * not depend on memory. */
static void print_parts(FILE *f, const char *raw, const char *tail,
                        bool tail_raw, size_t indent)
{
    rpp_buf *b = NULL;
    const char *text = NULL;
    char fixed[4096];
    size_t k = 0;
    const char *p;

    if (rpp_buf_new(&b) == 0) {
        rpp_escape_text(b, raw, 0);
        if (tail_raw)
            rpp_escape_text(b, tail, 0);
        else
            rpp_buf_puts(b, tail);
        if (!rpp_buf_oom(b))
            text = rpp_buf_data(b, NULL);
    }
    if (text) {
        cli_print_wrapped(f, text, indent);
    } else if (put_fixed(fixed, sizeof(fixed), &k, raw, true) &&
               put_fixed(fixed, sizeof(fixed), &k, tail, tail_raw)) {
        cli_print_wrapped(f, fixed, indent);
    } else {
        cli_put_safe(f, raw);
        for (p = tail; *p; p++)
            fputc(*p == CLI_NBSP ? ' ' : *p, f);
        fputc('\n', f);
    }
    rpp_buf_free(b);
}

void cli_print_line(FILE *f, const char *text, size_t indent)
{
    print_parts(f, text, "", false, indent);
}

void cli_print_named(FILE *f, const char *name, const char *rest,
                     size_t indent)
{
    print_parts(f, name, rest, false, indent);
}

void cli_print_diags(FILE *f, const char *name, const rpp_diags *d,
                     bool show_warnings)
{
    size_t i, shown_errors = 0, shown_warnings = 0;
    /* the place and message of a problem: fixed sizes (rpp_error) */
    char tail[RPP_PATH_MAX + RPP_MESSAGE_MAX + 64];

    if (!d)
        return;
    for (i = 0; i < d->n_items; i++) {
        const rpp_diag *it = &d->items[i];
        bool warning = it->severity == RPP_SEV_WARNING;
        size_t k = 0;

        if (warning && !show_warnings)
            continue;
        if (it->err.line)
            k = (size_t)snprintf(tail, sizeof(tail), ":%u:%u", it->err.line,
                                 it->err.column);
        snprintf(tail + k, sizeof(tail) - k, ": %s%s%s%s",
                 warning ? "warning: " : "", it->err.path,
                 it->err.path[0] ? ": " : "", it->err.message);
        /* one problem per entry; a long one goes on over indented lines */
        print_parts(f, name, tail, true, 4);
        if (warning)
            shown_warnings++;
        else
            shown_errors++;
    }
    if (d->n_errors > shown_errors) {
        snprintf(tail, sizeof(tail), ": ... and %zu more error%s",
                 d->n_errors - shown_errors,
                 d->n_errors - shown_errors == 1 ? "" : "s");
        print_parts(f, name, tail, false, 4);
    }
    if (show_warnings && d->n_warnings > shown_warnings) {
        snprintf(tail, sizeof(tail), ": ... and %zu more warning%s",
                 d->n_warnings - shown_warnings,
                 d->n_warnings - shown_warnings == 1 ? "" : "s");
        print_parts(f, name, tail, false, 4);
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
