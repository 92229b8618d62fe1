/*
 * time_load.c - times rpp_report_load_file() inside one process, for
 * tests/bench/bench_load.sh: the load alone, without process start-up.
 *
 *     time-load RUNS FILE
 *     -> "median_ms=1.234 min_ms=1.100 mb_per_s=264.1"
 *
 * Each run loads the file (from the page cache after the first) and frees
 * the report; the time covers read, parse, checks, conversion and free.
 */
#include <rpiperf/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

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
    struct stat st;
    double *times, t0, median;
    rpp_report *r;
    int runs, i;

    if (argc != 3 || (runs = atoi(argv[1])) < 1 || stat(argv[2], &st) < 0) {
        fputs("usage: time-load RUNS FILE\n", stderr);
        return 2;
    }
    times = calloc((size_t)runs, sizeof(*times));
    if (!times)
        return 2;
    for (i = 0; i < runs; i++) {
        t0 = now_ms();
        if (rpp_report_load_file(&r, argv[2], NULL, NULL) != RPP_OK) {
            fprintf(stderr, "time-load: %s does not load\n", argv[2]);
            free(times);
            return 1;
        }
        rpp_report_free(r);
        times[i] = now_ms() - t0;
    }
    qsort(times, (size_t)runs, sizeof(*times), cmp_double);
    median = runs % 2 ? times[runs / 2]
                      : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    printf("median_ms=%.3f min_ms=%.3f mb_per_s=%.1f\n", median, times[0],
           (double)st.st_size / 1e6 / (median / 1e3));
    free(times);
    return 0;
}
