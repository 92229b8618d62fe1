/*
 * rules_opts.c - the options analyse and check share: --set, --rules,
 * --list-rules.
 */
#include "cli.h"
#include <rpiperf/analyse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULES_FILE_MAX ((size_t)1024 * 1024)

int cli_rules_set(rpp_rules *rules, const char *assignment)
{
    rpp_error err;

    if (rpp_rules_set(rules, assignment, &err) != RPP_OK) {
        fputs("rpiperf: --set ", stderr);
        cli_put_safe(stderr, assignment);
        fputs(": ", stderr);
        cli_put_safe(stderr, err.message);
        fputc('\n', stderr);
        return -1;
    }
    return 0;
}

int cli_rules_file(rpp_rules *rules, const char *path)
{
    rpp_error err;
    char *buf = NULL;
    size_t len = 0;
    ssize_t n;
    int fd, rc = -1;
    struct stat st;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
        fputs("rpiperf: ", stderr);
        cli_put_safe(stderr, path);
        fprintf(stderr, ": %s\n",
                fd < 0 || !S_ISDIR(st.st_mode) ? strerror(errno)
                                               : "is a directory");
        goto cleanup;
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    buf = malloc(RULES_FILE_MAX + 1);
    if (!buf) {
        cli_error("out of memory");
        goto cleanup;
    }
    while ((n = read(fd, buf + len, RULES_FILE_MAX + 1 - len)) > 0) {
        len += (size_t)n;
        if (len > RULES_FILE_MAX) {
            fputs("rpiperf: ", stderr);
            cli_put_safe(stderr, path);
            fputs(": rules file larger than 1 MiB\n", stderr);
            goto cleanup;
        }
    }
    if (n < 0) {
        fputs("rpiperf: ", stderr);
        cli_put_safe(stderr, path);
        fprintf(stderr, ": %s\n", strerror(errno));
        goto cleanup;
    }
    if (rpp_rules_parse(rules, buf, len, &err) != RPP_OK) {
        cli_put_safe(stderr, path);
        if (err.line)
            fprintf(stderr, ":%u", err.line);
        fputs(": ", stderr);
        cli_put_safe(stderr, err.message);
        fputc('\n', stderr);
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

/* Prints text from column indent, wrapped at spaces to end before column
 * LIST_WIDTH; continuation lines start at column indent too. */
#define LIST_WIDTH 100

static void put_wrapped(FILE *f, int col, int indent, const char *text)
{
    const char *p = text;

    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > indent && col + 1 + (int)word > LIST_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", (int)word, p);
        col += (int)word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

void cli_list_rules(FILE *f)
{
    rpp_rule_info ri;
    size_t i, k;
    char line[256];

    fputs("Rules: id, default level, symptom; the likely cause; each "
          "threshold as\nRULE.PARAM = default (what it means), settable "
          "with --set or a rules file.\n\n",
          f);
    for (i = 0; rpp_rule_get(i, &ri); i++) {
        int n = fprintf(f, "%-26s %-8s ", ri.id,
                        rpp_level_name(ri.default_level));
        put_wrapped(f, n, 36, ri.symptom);
        fprintf(f, "%36s", "");
        snprintf(line, sizeof(line), "cause: %s", ri.cause);
        put_wrapped(f, 36, 38, line);
        for (k = 0; k < ri.n_params; k++) {
            fprintf(f, "%36s", "");
            snprintf(line, sizeof(line), "%s.%s = %g (%s)", ri.id,
                     ri.param_names[k], ri.param_defaults[k],
                     ri.param_help[k]);
            put_wrapped(f, 36, 38, line);
        }
    }
}
