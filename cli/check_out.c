/*
 * check_out.c - owns the output files of `rpiperf check` (--json, --junit,
 * --markdown): each is written to a temporary file next to its target as
 * results come, and renamed over the target only when every byte of it
 * was made and written; a file that lost text for want of memory, or
 * whose write failed, is removed and the old target kept. A body can be
 * spliced under a head written last (the counts of JUnit and markdown).
 */
#include "cli.h"
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int check_out_open(check_out *o, const char *path, char *const *inputs,
                   size_t n_inputs)
{
    rpp_file_error err;
    size_t i;
    int fd;

    memset(o, 0, sizeof(*o));
    o->path = path;
    for (i = 0; i < n_inputs; i++)
        if (cli_same_file(path, inputs[i])) {
            cli_error_file("refusing to overwrite the input file", path, 0);
            return -1;
        }
    if (rpp_file_out_open(&o->file, path, NULL, &err) < 0) {
        cli_error_write(path, &err);
        return -1;
    }
    fd = dup(rpp_file_out_fd(o->file));
    if (fd < 0 || !(o->f = fdopen(fd, "w+"))) {
        cli_error_file("cannot create a file next to", path, errno);
        if (fd >= 0)
            close(fd);
        rpp_file_out_discard(o->file);
        o->file = NULL;
        return -1;
    }
    return 0;
}

int check_out_put(check_out *o, rpp_buf *b)
{
    size_t len;
    const char *text;

    if (!o->f || o->oom || o->io)
        return -1;
    text = rpp_buf_data(b, &len);
    if (!text) {
        o->oom = true;
        return -1;
    }
    if (len && fwrite(text, 1, len, o->f) != len)
        o->io = true;
    rpp_buf_clear(b);
    return o->io ? -1 : 0;
}

int check_out_copy(check_out *o, check_out *body)
{
    char chunk[8192];
    size_t n;

    if (!o->f || o->oom || o->io)
        return -1;
    if (!body->f || body->oom || body->io) {
        /* the body's own failure is the output's */
        o->oom = body->oom;
        o->io = !body->oom;
        return -1;
    }
    if (fflush(body->f) != 0 || fseek(body->f, 0, SEEK_SET) != 0) {
        o->io = true;
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), body->f)) > 0)
        if (fwrite(chunk, 1, n, o->f) != n)
            o->io = true;
    if (ferror(body->f))
        o->io = true;
    return o->io ? -1 : 0;
}

int check_out_close(check_out *o, bool keep)
{
    rpp_file_error err;
    int rc = 0;

    if (!o->f)
        return 0;
    if (ferror(o->f))
        o->io = true;
    if (fclose(o->f) != 0)
        o->io = true;
    o->f = NULL;
    if (keep && o->oom) {
        cli_error_file("out of memory: not written:", o->path, 0);
        rc = RPP_EXIT_INTERNAL;
    } else if (keep && o->io) {
        cli_error_file("cannot write", o->path, 0);
        rc = RPP_EXIT_OUTPUT;
    } else if (keep) {
        /* flushed to the disk and renamed (with the mode it was given
         * when opened): committed or removed, the object is freed either
         * way */
        if (rpp_file_out_commit(o->file, &err) < 0) {
            cli_error_write(o->path, &err);
            rc = RPP_EXIT_OUTPUT;
        }
        o->file = NULL;
    }
    rpp_file_out_discard(o->file);
    o->file = NULL;
    return rc;
}
