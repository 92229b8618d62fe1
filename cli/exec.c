/*
 * exec.c - the commands that draw (render, report, analyse --html) live in
 * a second executable, rpiperf-render, so that the other commands do not
 * load cairo and its twenty libraries at every start. rpiperf hands such a
 * command over with exec; rpiperf-render is found next to rpiperf (the
 * build tree) or in ../libexec/rpiperf/ (an installed tree).
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FULL_NAME "rpiperf-render"

/* Directory of the running executable, with a trailing '/', or "". */
static void exe_dir(char *out, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", out, n - 1);
    char *slash;

    if (len <= 0) {
        out[0] = '\0';
        return;
    }
    out[len] = '\0';
    slash = strrchr(out, '/');
    if (slash)
        slash[1] = '\0';
    else
        out[0] = '\0';
}

int cli_exec_full(int argc, char **argv)
{
    static const char *const where[] = { "", "../libexec/rpiperf/" };
    char dir[PATH_MAX], path[PATH_MAX + 64], progname[] = "rpiperf";
    char **args;
    size_t i;
    int k;

    exe_dir(dir, sizeof(dir));
    args = calloc((size_t)argc + 2, sizeof(*args));
    if (!args) {
        cli_error("out of memory");
        return RPP_EXIT_INTERNAL;
    }
    args[0] = progname;
    for (k = 0; k < argc; k++)
        args[k + 1] = argv[k];
    fflush(stdout);
    fflush(stderr);
    for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        snprintf(path, sizeof(path), "%s%s%s", dir, where[i], FULL_NAME);
        if (access(path, X_OK) == 0) {
            execv(path, args);
            cli_error("cannot run %s: %s", path, strerror(errno));
            free(args);
            return RPP_EXIT_INTERNAL;
        }
    }
    cli_error("%s: this command draws with %s, which was not found "
              "(looked for %s%s and %s../libexec/rpiperf/%s)",
              argv[0], FULL_NAME, dir, FULL_NAME, dir, FULL_NAME);
    free(args);
    return RPP_EXIT_MISSING;
}
