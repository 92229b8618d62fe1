/*
 * stats.c - the statistics of a phase: throughput figures, percentiles
 * estimated from the writer's log-scale buckets, variation, gaps, stall
 * windows and drops. Pure functions over the slices of a report.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rpp__bucket_bounds(int i, double *lo, double *hi)
{
    if (i <= 0) {
        *lo = 0;
        *hi = KBPS_PER_MBPS;
    } else if (i >= RPP_BUCKETS - 1) {
        *lo = ldexp(KBPS_PER_MBPS, RPP_BUCKETS - 2);
        *hi = INFINITY;
    } else {
        *lo = ldexp(KBPS_PER_MBPS, i - 1);
        *hi = ldexp(KBPS_PER_MBPS, i);
    }
}

double rpp__bucket_percentile(const uint64_t *buckets, double q, double lo,
                             double hi)
{
    double total = 0, target, cum = 0, blo, bhi, f;
    int i;

    for (i = 0; i < RPP_BUCKETS; i++)
        total += (double)buckets[i];
    if (total <= 0)
        return 0;
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    target = q * total;
    for (i = 0; i < RPP_BUCKETS; i++) {
        double c = (double)buckets[i];
        if (c <= 0)
            continue;
        if (cum + c >= target || i == RPP_BUCKETS - 1) {
            rpp__bucket_bounds(i, &blo, &bhi);
            /* the observed extremes narrow the first and last buckets */
            if (lo > blo && lo < bhi)
                blo = lo;
            if (hi < bhi && hi > blo)
                bhi = hi;
            if (!isfinite(bhi))
                bhi = blo * 2;
            f = (target - cum) / c;
            if (f < 0)
                f = 0;
            if (f > 1)
                f = 1;
            return blo + f * (bhi - blo);
        }
        cum += c;
    }
    return 0;
}

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return a < b ? -1 : (a > b);
}

/* k-th smallest (0-based) by quickselect with median-of-three pivots:
 * linear on average. A crafted order of values can make every pivot a bad
 * one; after a number of rounds no fair input needs, the rest of the range
 * is sorted instead, which bounds the work by n log n. */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1, rounds = 0, budget = 64;

    for (size_t m = n; m > 1; m /= 2)
        budget += 2;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, i, j;
        double pivot;

        if (++rounds > budget) {
            qsort(v + lo, hi - lo + 1, sizeof(*v), cmp_double);
            return v[k];
        }

        if (v[mid] < v[lo])
            swap_d(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap_d(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap_d(&v[hi], &v[mid]);
        pivot = v[mid];
        i = lo;
        j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap_d(&v[i], &v[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

double rpp__median(double *v, size_t n)
{
    double a, b;

    if (!n)
        return 0;
    a = select_kth(v, n, (n - 1) / 2);
    if (n % 2)
        return a;
    b = select_kth(v, n, n / 2);
    return (a + b) / 2;
}

void rpp__mean_cv(const double *v, size_t n, double *mean, double *cv)
{
    double sum = 0, m, var = 0;
    size_t i;

    *mean = 0;
    *cv = 0;
    if (!n)
        return;
    for (i = 0; i < n; i++)
        sum += v[i];
    m = sum / (double)n;
    for (i = 0; i < n; i++)
        var += (v[i] - m) * (v[i] - m);
    var /= (double)n;
    *mean = m;
    *cv = m > 0 ? sqrt(var) / m : 0;
}

/* Appends a span to a growing arena array (capacity doubles). */
static rpp_span *push_span(rpp_analysis *a, rpp_span *arr, size_t *n,
                           size_t *cap, uint64_t s, uint64_t e)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        rpp_span *na = rpp__an_alloc(a, ncap * sizeof(*na));
        if (!na)
            return arr;
        if (*n)
            memcpy(na, arr, *n * sizeof(*na));
        arr = na;
        *cap = ncap;
    }
    arr[*n].start_ms = s;
    arr[*n].end_ms = e;
    (*n)++;
    return arr;
}

void rpp__phase_compute(rpp_analysis *a, rpp_phase p, size_t b, size_t e,
                       const bool *breaks, rpp_phase_stats *st)
{
    const rpp_histogram *h = &a->report->histograms[p];
    const uint64_t *t = a->slice_times[p];
    uint64_t window = a->report->window_ms ? a->report->window_ms : 1000;
    size_t i, n = e > b ? e - b : 0, cap_g = 0, cap_s = 0, cap_d = 0;
    double *avgs, sum_min = INFINITY, sum_max = 0, mean, cv, median;
    uint64_t seg_first = 0;
    size_t run_start = 0;
    bool in_stall = false, in_drop = false;
    double low = 0, total = 0;
    int k;

    memset(st, 0, sizeof(*st));
    if (!n || !t)
        return;
    st->present = true;
    st->n_slices = n;
    avgs = malloc(n * sizeof(*avgs));
    if (!avgs) {
        a->mem->oom = true;
        return;
    }
    for (i = b; i < e; i++) {
        const rpp_slice *sl = &h->slices[i];
        avgs[i - b] = (double)sl->avg_kbps;
        if ((double)sl->min_kbps < sum_min)
            sum_min = (double)sl->min_kbps;
        if ((double)sl->max_kbps > sum_max)
            sum_max = (double)sl->max_kbps;
        for (k = 0; k < RPP_BUCKETS; k++)
            /* saturate: hostile counts must not wrap the sum */
            st->buckets[k] = rpp_sat_add(st->buckets[k], sl->buckets[k]);
    }
    rpp__mean_cv(avgs, n, &mean, &cv);
    st->avg_kbps = mean;
    st->cv = cv;
    st->min_kbps = isfinite(sum_min) ? sum_min : 0;
    st->max_kbps = sum_max;
    for (k = 0; k < RPP_BUCKETS; k++) {
        total += (double)st->buckets[k];
        if (k < 2)
            low += (double)st->buckets[k];
        st->samples = rpp_sat_add(st->samples, st->buckets[k]);
    }
    st->low_share = total > 0 ? low / total : 0;
    st->median_kbps =
        rpp__bucket_percentile(st->buckets, 0.5, st->min_kbps, st->max_kbps);
    st->p5_kbps =
        rpp__bucket_percentile(st->buckets, 0.05, st->min_kbps, st->max_kbps);
    st->p95_kbps =
        rpp__bucket_percentile(st->buckets, 0.95, st->min_kbps, st->max_kbps);
    median = rpp__median(avgs, n);
    st->median_slice_kbps = median;
    free(avgs);

    st->first_ms = t[b];
    st->last_ms = t[e - 1] + window;
    /* active time, gaps: per segment (a segment ends at a timer restart) */
    seg_first = t[b];
    for (i = b; i < e; i++) {
        bool brk = i > b && breaks && breaks[i];
        if (i > b && !brk) {
            uint64_t prev_end = t[i - 1] + window;
            if (t[i] > t[i - 1] && t[i] - t[i - 1] > 2 * window)
                st->gaps = push_span(a, st->gaps, &st->n_gaps, &cap_g,
                                     prev_end, t[i]);
        }
        if (brk) {
            st->active_ms = rpp_sat_add(st->active_ms,
                                        t[i - 1] + window - seg_first);
            seg_first = t[i];
        }
    }
    st->active_ms = rpp_sat_add(st->active_ms, t[e - 1] + window - seg_first);

    /* stall windows (< 1 MB/s) and drops (< half the median), as runs */
    for (i = b; i <= e; i++) {
        bool stall = i < e && (double)h->slices[i].avg_kbps < KBPS_PER_MBPS;
        bool drop = i < e && median > 0 &&
                    (double)h->slices[i].avg_kbps < 0.5 * median;
        bool brk = i < e && i > b && breaks && breaks[i];

        if (in_stall && (!stall || brk)) {
            st->stalls = push_span(a, st->stalls, &st->n_stalls, &cap_s,
                                   t[run_start], t[i - 1] + window);
            in_stall = false;
        }
        if (stall && !in_stall) {
            in_stall = true;
            run_start = i;
        }
        (void)drop;
    }
    for (i = b; i <= e; i++) {
        bool drop = i < e && median > 0 &&
                    (double)h->slices[i].avg_kbps < 0.5 * median;
        bool brk = i < e && i > b && breaks && breaks[i];

        if (in_drop && (!drop || brk)) {
            st->drops = push_span(a, st->drops, &st->n_drops, &cap_d,
                                  t[run_start], t[i - 1] + window);
            in_drop = false;
        }
        if (drop && !in_drop) {
            in_drop = true;
            run_start = i;
        }
    }
    if (st->n_drops >= 2) {
        double *iv = malloc((st->n_drops - 1) * sizeof(*iv)), m;
        if (iv) {
            for (i = 1; i < st->n_drops; i++)
                iv[i - 1] = (double)(st->drops[i].start_ms -
                                     st->drops[i - 1].start_ms);
            rpp__mean_cv(iv, st->n_drops - 1, &m, &st->drop_interval_cv);
            free(iv);
        } else {
            a->mem->oom = true;
        }
    }
}
