/*
 * file.c - writing files whole or not at all (the guarantee report.h
 * states): a temporary file created exclusively next to the target,
 * written, flushed and renamed over it; and telling whether two paths name
 * the same file. The one implementation every output of rpiperf uses.
 */
#include <rpiperf/report.h>
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_PREFIX ".rpiperf-"
#define TEMP_RANDOM 6
/* Names tried before giving up when each is taken (EEXIST). */
#define TEMP_ATTEMPTS 64

struct rpp_file_out {
    char *path;          /* the target */
    char *tmp;           /* the temporary file, in the target's directory */
    int fd;              /* open on tmp, or -1 */
    bool created;        /* tmp exists and is ours to remove */
};

static int fail(rpp_file_error *err, rpp_file_step step, int os_error,
                int status)
{
    if (err) {
        err->step = step;
        err->os_error = os_error;
    }
    return status;
}

bool rpp_file_same(const char *a, const char *b)
{
    struct stat sa, sb;

    if (!a || !b)
        return false;
    if (strcmp(a, b) == 0)
        return true;
    if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Fills the six X of name with letters and digits that differ between
 * calls, processes and threads. They need not be unpredictable: O_EXCL
 * makes a taken name fail, never followed, and the caller tries again.
 */
static void random_name(char *x, unsigned attempt)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct {
        struct timespec ts;
        pid_t pid;
        unsigned attempt;
        const void *stack;    /* differs between threads */
    } seed;
    uint64_t v;
    int i;

    memset(&seed, 0, sizeof(seed));
    clock_gettime(CLOCK_REALTIME, &seed.ts);
    seed.pid = getpid();
    seed.attempt = attempt;
    seed.stack = &seed;
    v = rpp__hash_bytes(RPP__HASH_INIT, &seed, sizeof(seed));
    for (i = 0; i < TEMP_RANDOM; i++) {
        x[i] = alphabet[v % (sizeof(alphabet) - 1)];
        v /= sizeof(alphabet) - 1;
    }
}

/* "DIR/.rpiperf-XXXXXX" for path "DIR/NAME"; NULL when out of memory. */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *tmp = malloc(dirlen + sizeof(TEMP_PREFIX) + TEMP_RANDOM);

    if (!tmp)
        return NULL;
    memcpy(tmp, path, dirlen);
    memcpy(tmp + dirlen, TEMP_PREFIX, sizeof(TEMP_PREFIX) - 1);
    memset(tmp + dirlen + sizeof(TEMP_PREFIX) - 1, 'X', TEMP_RANDOM);
    tmp[dirlen + sizeof(TEMP_PREFIX) - 1 + TEMP_RANDOM] = '\0';
    return tmp;
}

/* Creates the file named by tmp (its X replaced) with O_EXCL; a descriptor
 * or -1 with errno set. */
static int create_exclusive(char *tmp, mode_t mode)
{
    char *x = tmp + strlen(tmp) - TEMP_RANDOM;
    unsigned attempt;
    int fd = -1;

    for (attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        random_name(x, attempt);
        fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
                  mode);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    return fd;
}

/*
 * What the target is: *keep_mode set when it is a regular file whose mode
 * the new file takes. RPP_OK, or the failure for a target that must be
 * left alone.
 */
static int check_target(const char *path, mode_t *mode, bool *keep_mode,
                        rpp_file_error *err)
{
    struct stat st;

    *keep_mode = false;
    if (lstat(path, &st) != 0)
        return RPP_OK;   /* a new file, or the creation will say why not */
    if (S_ISREG(st.st_mode)) {
        *mode = st.st_mode & 07777;
        *keep_mode = true;
    } else if (!S_ISLNK(st.st_mode)) {
        return fail(err, RPP_FILE_STEP_TARGET,
                    S_ISDIR(st.st_mode) ? EISDIR : 0, RPP_ERR_IO);
    }
    return RPP_OK;
}

int rpp_file_out_open(rpp_file_out **out, const char *path,
                      const char *protect, rpp_file_error *err)
{
    rpp_file_out *f = NULL;
    mode_t mode = 0;
    bool keep_mode;
    int st;

    fail(err, RPP_FILE_STEP_NONE, 0, RPP_OK);
    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!path || !*path)
        return RPP_ERR_ARG;
    if (protect && rpp_file_same(path, protect))
        return fail(err, RPP_FILE_STEP_PROTECTED, 0, RPP_ERR_ARG);
    if ((st = check_target(path, &mode, &keep_mode, err)) < 0)
        return st;
    f = calloc(1, sizeof(*f));
    if (f)
        f->fd = -1;
    if (!f || !(f->path = strdup(path)) || !(f->tmp = temp_template(path))) {
        st = fail(err, RPP_FILE_STEP_NONE, 0, RPP_ERR_NOMEM);
        goto cleanup;
    }
    /* a new file gets 0666 less the umask from open itself: the umask is
     * never read, which would mean changing it for every thread */
    f->fd = create_exclusive(f->tmp, keep_mode ? 0600 : 0666);
    if (f->fd < 0) {
        st = fail(err, RPP_FILE_STEP_CREATE, errno, RPP_ERR_IO);
        goto cleanup;
    }
    f->created = true;
    if (keep_mode && fchmod(f->fd, mode) != 0) {
        st = fail(err, RPP_FILE_STEP_CREATE, errno, RPP_ERR_IO);
        goto cleanup;
    }
    *out = f;
    f = NULL;
    st = RPP_OK;

cleanup:
    rpp_file_out_discard(f);
    return st;
}

int rpp_file_out_fd(const rpp_file_out *f)
{
    return f ? f->fd : -1;
}

int rpp_file_out_write(rpp_file_out *f, const void *data, size_t len,
                       rpp_file_error *err)
{
    const char *p = data;

    fail(err, RPP_FILE_STEP_NONE, 0, RPP_OK);
    if (!f || f->fd < 0 || (!data && len))
        return RPP_ERR_ARG;
    while (len) {
        ssize_t k = write(f->fd, p, len);

        if (k < 0) {
            if (errno == EINTR)
                continue;
            return fail(err, RPP_FILE_STEP_WRITE, errno, RPP_ERR_IO);
        }
        p += k;
        len -= (size_t)k;
    }
    return RPP_OK;
}

/* Closes the descriptor of f (once). */
static int close_fd(rpp_file_out *f)
{
    int fd = f->fd;

    f->fd = -1;
    return close(fd);
}

int rpp_file_out_commit(rpp_file_out *f, rpp_file_error *err)
{
    int st = RPP_OK;

    fail(err, RPP_FILE_STEP_NONE, 0, RPP_OK);
    if (!f)
        return RPP_ERR_ARG;
    /* on the disk whole before it takes the target's name */
    if (f->fd < 0 || fsync(f->fd) != 0 || close_fd(f) != 0 ||
        rename(f->tmp, f->path) != 0)
        st = fail(err, RPP_FILE_STEP_WRITE, errno, RPP_ERR_IO);
    else
        f->created = false;    /* renamed: nothing to remove */
    rpp_file_out_discard(f);
    return st;
}

void rpp_file_out_discard(rpp_file_out *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    if (f->created)
        (void)unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
}

int rpp_file_write_atomic(const char *path, const void *data, size_t len,
                          const char *protect, rpp_file_error *err)
{
    rpp_file_out *f = NULL;
    int st;

    fail(err, RPP_FILE_STEP_NONE, 0, RPP_OK);
    if (!data && len)
        return RPP_ERR_ARG;
    if ((st = rpp_file_out_open(&f, path, protect, err)) < 0 ||
        (st = rpp_file_out_write(f, data, len, err)) < 0) {
        rpp_file_out_discard(f);
        return st;
    }
    return rpp_file_out_commit(f, err);
}
