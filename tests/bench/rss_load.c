/*
 * rss_load.c - runs a command several times and prints its median wall
 * time and its peak resident set size, for tests/bench/bench_load.sh:
 *
 *     rss-load RUNS COMMAND [ARG...]
 *     -> "median_ms=12.345 min_ms=12.001 max_rss_kb=40960 status=0"
 *
 * The peak RSS is the largest ru_maxrss that wait4() reports for one run
 * (the child alone, in KiB on Linux). The command's output is discarded.
 * Needs nothing beyond POSIX and Linux's wait4().
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    struct rusage ru;
    double *times, t0, median;
    long max_rss = 0;
    int runs, i, status = 0, last = 0;
    pid_t pid;

    if (argc < 3 || (runs = atoi(argv[1])) < 1) {
        fputs("usage: rss-load RUNS COMMAND [ARG...]\n", stderr);
        return 2;
    }
    times = calloc((size_t)runs, sizeof(*times));
    if (!times)
        return 2;
    for (i = 0; i < runs; i++) {
        t0 = now_ms();
        pid = fork();
        if (pid < 0) {
            perror("fork");
            free(times);
            return 2;
        }
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) {
                dup2(null, STDOUT_FILENO);
                dup2(null, STDERR_FILENO);
            }
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        if (wait4(pid, &status, 0, &ru) < 0) {
            perror("wait4");
            free(times);
            return 2;
        }
        times[i] = now_ms() - t0;
        if (ru.ru_maxrss > max_rss)
            max_rss = ru.ru_maxrss;
        last = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    qsort(times, (size_t)runs, sizeof(*times), cmp_double);
    median = runs % 2 ? times[runs / 2]
                      : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    printf("median_ms=%.3f min_ms=%.3f max_rss_kb=%ld status=%d\n", median,
           times[0], max_rss, last);
    free(times);
    return 0;
}
