/*
 * load_io.c - the loader's input: a file, a FIFO or an open descriptor
 * read into memory whole, within the size limit, before the passes of
 * load.c run over it. Directories and binary data are refused early, and
 * a FIFO that nothing writes to is not waited for forever.
 */
#include "load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a FIFO given as FILE may stay without data or a writer that
 * comes and goes, before it is refused instead of waited for. */
#define FIFO_WAIT_MS 5000

/* The first buffer for data of unknown size. */
#define FIRST_READ 65536

static int io_problem(rpp_diags *diags, int code, const char *what, int err)
{
    char msg[128];

    /* XSI strerror_r: thread-safe, unlike strerror */
    if (strerror_r(err, msg, sizeof(msg)) != 0)
        snprintf(msg, sizeof(msg), "error %d", err);
    rpp__diag_at(diags, RPP_SEV_ERROR, code, 0, 0, "%s: %s", what, msg);
    return code;
}

static int out_of_memory(rpp_diags *diags)
{
    rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_NOMEM, 0, 0, "out of memory");
    return RPP_ERR_NOMEM;
}

static int above_limit(rpp_diags *diags, size_t limit)
{
    rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                 "more than %zu bytes, above the size limit; not read "
                 "further",
                 limit);
    return RPP_ERR_LIMIT;
}

/*
 * What fd is: directories are refused, and so are regular files above the
 * limit (without reading them). *size_hint is the buffer a regular file
 * needs: its contents plus one byte, so that the read which confirms the
 * end does not have to grow the buffer.
 */
static int check_input(int fd, size_t limit, struct stat *st,
                       size_t *size_hint, rpp_diags *diags)
{
    *size_hint = 0;
    if (fstat(fd, st) < 0)
        return io_problem(diags, RPP_ERR_IO, "cannot read", errno);
    if (S_ISDIR(st->st_mode)) {
        rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_IO, 0, 0,
                     "is a directory, not a report");
        return RPP_ERR_IO;
    }
    if (S_ISREG(st->st_mode)) {
        if ((uint64_t)st->st_size > (uint64_t)limit) {
            rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_LIMIT, 0, 0,
                         "file of %llu bytes is above the size limit of %zu "
                         "bytes; not read",
                         (unsigned long long)st->st_size, limit);
            return RPP_ERR_LIMIT;
        }
        *size_hint = (size_t)st->st_size + 2;
    }
    return RPP_OK;
}

/*
 * A FIFO may have been opened non-blocking so that opening it could not
 * hang; then the program that feeds it may not have opened it yet. Wait
 * for its first data or its end (POLLHUP, once a writer has come and gone)
 * a bounded time; after that, reads block and end at EOF.
 */
static int wait_for_writer(int fd, const struct stat *st, rpp_diags *diags)
{
    int flags = fcntl(fd, F_GETFL), ready;
    struct pollfd pfd;

    if (flags < 0 || !(flags & O_NONBLOCK))
        return RPP_OK;
    if (S_ISFIFO(st->st_mode)) {
        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        do
            ready = poll(&pfd, 1, FIFO_WAIT_MS);
        while (ready < 0 && errno == EINTR);
        if (ready == 0) {
            rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_IO, 0, 0,
                         "a FIFO that nothing wrote to within %d s; not read",
                         FIFO_WAIT_MS / 1000);
            return RPP_ERR_IO;
        }
    }
    (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return RPP_OK;
}

/* Makes room in *buf (of *cap bytes, *len used) for one more read. */
static int grow_buffer(char **buf, size_t *cap, size_t len, size_t limit,
                       rpp_diags *diags)
{
    size_t ncap = *cap * 2;
    char *p;

    if (len + 1 < *cap)
        return RPP_OK;
    if (*cap > limit + 2)
        return above_limit(diags, limit);
    if (ncap > limit + 2)
        ncap = limit + 2;
    if (!(p = realloc(*buf, ncap)))
        return out_of_memory(diags);
    *buf = p;
    *cap = ncap;
    return RPP_OK;
}

/* JSON text never holds a NUL byte: stop early on binary data such as
 * /dev/zero instead of reading it up to the limit. */
static int refuse_nul(const char *buf, size_t from, size_t n,
                      rpp_diags *diags)
{
    const char *p = memchr(buf + from, '\0', n);
    unsigned line, col;
    size_t off;

    if (!p)
        return RPP_OK;
    off = (size_t)(p - buf);
    rpp__line_col(buf, off, off, &line, &col);
    rpp__diag_at(diags, RPP_SEV_ERROR, RPP_ERR_SYNTAX, line, col,
                 "not a text file: NUL byte at offset %zu", off);
    return RPP_ERR_SYNTAX;
}

/* Reads fd to its end into *out (NUL-terminated, *len bytes). */
static int read_all(int fd, size_t cap, size_t limit, char **out,
                    size_t *len, rpp_diags *diags)
{
    char *buf = malloc(cap);
    size_t used = 0;
    ssize_t n;
    int st = RPP_OK;

    if (!buf)
        return out_of_memory(diags);
    for (;;) {
        if ((st = grow_buffer(&buf, &cap, used, limit, diags)) < 0)
            goto cleanup;
        n = read(fd, buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = io_problem(diags, RPP_ERR_IO, "cannot read", errno);
            goto cleanup;
        }
        if (n == 0)
            break;
        if ((st = refuse_nul(buf, used, (size_t)n, diags)) < 0)
            goto cleanup;
        used += (size_t)n;
        if (used > limit) {
            st = above_limit(diags, limit);
            goto cleanup;
        }
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    buf = NULL;

cleanup:
    free(buf);
    return st;
}

int rpp_report_load_fd(rpp_report **out, int fd, const rpp_load_opts *opts,
                       rpp_diags *diags)
{
    rpp_load_opts o;
    struct stat st;
    char *buf = NULL;
    size_t len = 0, cap;
    int rc;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!rpp__load_opts_resolve(&o, opts))
        return RPP_ERR_ARG;
    if ((rc = check_input(fd, o.max_file_size, &st, &cap, diags)) < 0 ||
        (rc = wait_for_writer(fd, &st, diags)) < 0 ||
        (rc = read_all(fd, cap < FIRST_READ ? FIRST_READ : cap,
                       o.max_file_size, &buf, &len, diags)) < 0)
        return rc;
    /* the loader takes the buffer and frees it */
    return rpp__load_text(out, buf, len, buf, &o, diags);
}

int rpp_report_load_file(rpp_report **out, const char *path,
                         const rpp_load_opts *opts, rpp_diags *diags)
{
    int fd, st;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!path)
        return RPP_ERR_ARG;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return io_problem(diags, RPP_ERR_IO, "cannot open", errno);
    st = rpp_report_load_fd(out, fd, opts, diags);
    close(fd);
    return st;
}
