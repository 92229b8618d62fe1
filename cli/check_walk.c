/*
 * check_walk.c - owns which files `rpiperf check` looks at: each operand
 * that is a directory is searched, sorted and recursively, for the files
 * --include and --exclude choose (by their path below the operand); any
 * other operand is taken as named.
 */
#include "cli.h"
#include "check.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

static const char *const default_include[] = { "*.json" };

static void list_add(check_files *l, const char *path)
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

void check_files_free(check_files *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A GLOB with a '/' is matched against the whole path below the operand;
 * one without is matched against that path and against the last name of
 * it, so that `rpi-imager-performance-*.json` finds them at any depth.
 * '*' matches '/' too (fnmatch without FNM_PATHNAME). */
static bool glob_matches(const char *glob, const char *rel)
{
    const char *base = strrchr(rel, '/');

    if (fnmatch(glob, rel, 0) == 0)
        return true;
    return !strchr(glob, '/') && base && fnmatch(glob, base + 1, 0) == 0;
}

bool check_filter_wants(const check_filter *f, const char *rel, bool is_dir)
{
    const char *const *inc = f->n_include ? f->include : default_include;
    size_t n_inc = f->n_include ? f->n_include : 1, i;

    for (i = 0; i < f->n_exclude; i++)
        if (glob_matches(f->exclude[i], rel))
            return false;
    if (is_dir)
        return true;
    for (i = 0; i < n_inc; i++)
        if (glob_matches(inc[i], rel))
            return true;
    return false;
}

/* "a" + "/" + "b", without doubling a '/' that a ends with; "" + "b" is
 * "b". NULL when memory ran out. */
static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), n = la + strlen(b) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s%s%s", a, la == 0 || a[la - 1] == '/' ? "" : "/",
                 b);
    return p;
}

/* What an entry of a directory is: 'd' a directory (not a link to one),
 * 'f' a regular file or a link to one, 0 anything else. */
static char entry_kind(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode))
        return 'd';
    if (S_ISREG(st.st_mode) ||
        (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISREG(st.st_mode)))
        return 'f';
    return 0;
}

typedef struct walker {
    check_files *out;
    const check_filter *filter;
} walker;

static void walk(walker *w, const char *dir, const char *rel, int depth);

/* Reads the names of dir into files and subdirs (relative paths), as the
 * filter wants them. */
static void read_dir(walker *w, DIR *d, const char *dir, const char *rel,
                     check_files *files, check_files *subdirs)
{
    struct dirent *de;

    while ((de = readdir(d)) != NULL && !files->oom && !subdirs->oom) {
        char *path = NULL, *sub = NULL;
        char kind;

        if (de->d_name[0] == '.')
            continue;
        path = join(dir, de->d_name);
        sub = join(rel, de->d_name);
        if (!path || !sub) {
            files->oom = true;
        } else if ((kind = entry_kind(path)) != 0 &&
                   check_filter_wants(w->filter, sub, kind == 'd')) {
            list_add(kind == 'd' ? subdirs : files, sub);
        }
        free(path);
        free(sub);
    }
}

static void walk(walker *w, const char *dir, const char *rel, int depth)
{
    check_files files = { NULL, 0, 0, false }, subdirs = { NULL, 0, 0, false };
    DIR *d = NULL;
    size_t i;

    if (depth > MAX_DEPTH)
        goto cleanup;
    d = opendir(dir);
    if (!d) {
        list_add(w->out, dir);  /* reported as unreadable by the loader */
        goto cleanup;
    }
    read_dir(w, d, dir, rel, &files, &subdirs);
    if (files.oom || subdirs.oom) {
        w->out->oom = true;
        goto cleanup;
    }
    if (files.n)
        qsort(files.paths, files.n, sizeof(char *), cmp_str);
    if (subdirs.n)
        qsort(subdirs.paths, subdirs.n, sizeof(char *), cmp_str);
    /* relative paths sort as the full ones would; the files first */
    for (i = 0; i < files.n; i++) {
        char *path = join(dir, files.paths[i] + strlen(rel) + (*rel != 0));
        if (!path)
            w->out->oom = true;
        else
            list_add(w->out, path);
        free(path);
    }
    for (i = 0; i < subdirs.n && !w->out->oom; i++) {
        char *path = join(dir, subdirs.paths[i] + strlen(rel) + (*rel != 0));
        if (!path)
            w->out->oom = true;
        else
            walk(w, path, subdirs.paths[i], depth + 1);
        free(path);
    }

cleanup:
    if (d)
        closedir(d);
    check_files_free(&files);
    check_files_free(&subdirs);
}

int check_files_collect(check_files *files, char *const *operands,
                        size_t n_operands, const check_filter *filter)
{
    walker w = { files, filter };
    size_t i;

    for (i = 0; i < n_operands && !files->oom; i++) {
        struct stat st;
        if (stat(operands[i], &st) == 0 && S_ISDIR(st.st_mode))
            walk(&w, operands[i], "", 0);
        else
            list_add(files, operands[i]);
    }
    return files->oom ? -1 : 0;
}
