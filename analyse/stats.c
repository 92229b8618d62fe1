/*
 * stats.c - the statistics of a phase: throughput figures, percentiles
 * estimated from the writer's log-scale buckets, variation, gaps, stall
 * windows and drops. Pure functions over the slices of a report.
 */
#include "rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rpp__bucket_bounds(int i, double *lo, double *hi)
{
    if (i <= 0) {
        *lo = 0;
        *hi = KBPS_PER_MBPS;
    } else if (i >= RPP_BUCKETS - 1) {
        *lo = KBPS_PER_MBPS * (double)(1u << (RPP_BUCKETS - 2));
        *hi = INFINITY;
    } else {
        /* powers of two: a product, exact, and cheaper than ldexp */
        *lo = KBPS_PER_MBPS * (double)(1u << (i - 1));
        *hi = KBPS_PER_MBPS * (double)(1u << i);
    }
}

/* ---- percentiles ---------------------------------------------------------
 *
 * The samples of a phase are not in the report, only each slice's minimum,
 * average and maximum and how many of its samples fell into each log2
 * bucket. The estimate treats the samples of one bucket of one slice as
 * spread evenly over the part of the bucket that lies within the slice's
 * own [min, max] (a "cell"); a bucket that lies wholly outside it (a
 * hand-edited report) is put at the nearer end. Each slice weighs the
 * same, whatever its number of samples: a slice is one window of time, so
 * the percentiles are those of the throughput over time. Every cell lies
 * within its slice's [min, max], so the estimates lie within the phase's
 * [min, max], and a phase held at one value gets exactly that value. The
 * true percentile of the samples lies in the same bucket as the estimate
 * and within the same slices' ranges: the error is at most the width of
 * that bucket (a factor of 2), and at most the width of the widest slice
 * range [min, max] among the slices with samples there.
 */

typedef struct cell {
    double lo, hi, w;
    int bucket;
} cell;

static int bucket_of(double kbps)
{
    int b;

    if (!(kbps >= KBPS_PER_MBPS))
        return 0;
    b = (int)floor(log2(kbps / KBPS_PER_MBPS)) + 1;
    return b >= RPP_BUCKETS ? RPP_BUCKETS - 1 : b;
}

/* The cells of one slice, weighing 1 in all; returns how many. */
static size_t slice_cells(const rpp_slice *sl, cell out[RPP_BUCKETS])
{
    double lo = (double)sl->min_kbps, hi = (double)sl->max_kbps, total = 0;
    size_t n = 0;
    int k;

    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    for (k = 0; k < RPP_BUCKETS; k++)
        total += (double)sl->buckets[k];
    if (!(total > 0)) {
        /* no sample counted: the slice's average, within its range */
        double v = (double)sl->avg_kbps;
        v = v < lo ? lo : v > hi ? hi : v;
        out[0].lo = out[0].hi = v;
        out[0].w = 1;
        out[0].bucket = bucket_of(v);
        return 1;
    }
    for (k = 0; k < RPP_BUCKETS; k++) {
        double blo, bhi;
        cell *c = &out[n];

        if (!sl->buckets[k])
            continue;
        rpp__bucket_bounds(k, &blo, &bhi);
        c->w = (double)sl->buckets[k] / total;
        if (bhi <= lo) {
            c->lo = c->hi = lo;
        } else if (blo >= hi) {
            c->lo = c->hi = hi;
        } else {
            c->lo = blo > lo ? blo : lo;
            c->hi = bhi < hi ? bhi : hi;
        }
        c->bucket = c->lo == c->hi ? bucket_of(c->lo) : k;
        n++;
    }
    return n;
}

/* Weight of the cells at or below x. */
static double mass_below(const cell *c, size_t n, double x)
{
    double m = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (x >= c[i].hi)
            m += c[i].w;
        else if (x > c[i].lo)
            m += c[i].w * (x - c[i].lo) / (c[i].hi - c[i].lo);
    }
    return m;
}

/* The cells of bucket b of every slice, in *in (*n_in of them), with
 * the lowest lo and highest hi among them; false when out of memory. */
typedef struct bucket_cells {
    int bucket;
    cell *in;
    size_t n_in, cap;
    double lo, hi;
} bucket_cells;

static bool bucket_add(bucket_cells *bc, const cell *c)
{
    if (bc->n_in == bc->cap) {
        size_t ncap = bc->cap ? bc->cap * 2 : 64;
        cell *nb = realloc(bc->in, ncap * sizeof(*nb));
        if (!nb)
            return false;
        bc->in = nb;
        bc->cap = ncap;
    }
    bc->in[bc->n_in++] = *c;
    if (c->lo < bc->lo)
        bc->lo = c->lo;
    if (c->hi > bc->hi)
        bc->hi = c->hi;
    return true;
}

/* The smallest x with need of the weight of bc's cells at or below it. */
static double solve(const bucket_cells *bc, double need)
{
    double lo = bc->lo, hi = bc->hi;
    int iter;

    if (mass_below(bc->in, bc->n_in, lo) >= need)
        return lo;
    /* to 1e-13 of the value (about 43 halvings of a bucket, not the 52 a
     * double allows): far below what any output shows, and each step
     * reads every cell of the bucket */
    for (iter = 0; iter < 64 && hi - lo > 1e-13 * hi; iter++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (mass_below(bc->in, bc->n_in, mid) >= need)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

#define MAX_QUANTILES 8

void rpp__slice_percentiles(const rpp_slice *sl, size_t n, const double *q,
                            size_t nq, double *out, bool *oom)
{
    double mass[RPP_BUCKETS] = { 0 }, need[MAX_QUANTILES],
           total = (double)n;
    bucket_cells bcs[MAX_QUANTILES];
    size_t of[MAX_QUANTILES];   /* quantile j's entry in bcs */
    cell cells[RPP_BUCKETS];
    size_t i, j, k, m, n_bcs = 0;

    for (j = 0; j < nq; j++)
        out[j] = 0;
    if (!n)
        return;
    if (nq > MAX_QUANTILES)
        nq = MAX_QUANTILES;
    /* pass 1: how much weight each bucket holds */
    for (i = 0; i < n; i++) {
        size_t nc = slice_cells(&sl[i], cells);
        for (k = 0; k < nc; k++)
            mass[cells[k].bucket] += cells[k].w;
    }
    /* the bucket where the weight crosses each target */
    for (j = 0; j < nq; j++) {
        double target = (q[j] < 0 ? 0 : q[j] > 1 ? 1 : q[j]) * total;
        double below = 0;
        int b;

        for (b = 0; b < RPP_BUCKETS - 1; b++) {
            if (mass[b] > 0 && below + mass[b] >= target)
                break;
            below += mass[b];
        }
        while (b > 0 && !(mass[b] > 0))
            below -= mass[--b];
        need[j] = target - below;
        for (m = 0; m < n_bcs && bcs[m].bucket != b; m++)
            ;
        if (m == n_bcs) {
            memset(&bcs[m], 0, sizeof(bcs[m]));
            bcs[m].bucket = b;
            bcs[m].lo = INFINITY;
            bcs[m].hi = -INFINITY;
            n_bcs++;
        }
        of[j] = m;
    }
    /* pass 2: the cells of those buckets, in one go */
    for (i = 0; i < n && !*oom; i++) {
        size_t nc = slice_cells(&sl[i], cells);
        for (k = 0; k < nc; k++)
            for (m = 0; m < n_bcs; m++)
                if (cells[k].bucket == bcs[m].bucket &&
                    !bucket_add(&bcs[m], &cells[k]))
                    *oom = true;
    }
    for (j = 0; j < nq && !*oom; j++)
        if (bcs[of[j]].n_in)
            out[j] = solve(&bcs[of[j]], need[j]);
    for (m = 0; m < n_bcs; m++)
        free(bcs[m].in);
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
    uint64_t window = rpp__window_ms(a->report);
    double gap_windows = rpp__setting(a, "throughput-gap", "windows");
    double stall_kbps = rpp__setting(a, "phases", "stall_mbps") * KBPS_PER_MBPS;
    double low_kbps = rpp__setting(a, "phases", "low_mbps") * KBPS_PER_MBPS;
    double drop_ratio = rpp__setting(a, "phases", "drop_ratio");
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
    if (st->min_kbps > st->max_kbps) {
        /* only slices whose min is above their max (a broken report,
         * warned about when loaded): the range they span */
        double lo = st->max_kbps;
        st->max_kbps = st->min_kbps;
        st->min_kbps = lo;
    }
    for (k = 0; k < RPP_BUCKETS; k++) {
        total += (double)st->buckets[k];
        double blo, bhi;
        rpp__bucket_bounds(k, &blo, &bhi);
        if (bhi <= low_kbps)
            low += (double)st->buckets[k];
        st->samples = rpp_sat_add(st->samples, st->buckets[k]);
    }
    st->low_share = total > 0 ? low / total : 0;
    {
        static const double qs[3] = { 0.05, 0.5, 0.95 };
        double pc[3];
        bool oom = false;
        rpp__slice_percentiles(&h->slices[b], n, qs, 3, pc, &oom);
        if (oom)
            a->mem->oom = true;
        /* a slice whose min is above its max (a broken report, warned
         * about when loaded) can push an estimate past the phase's own
         * range: the percentiles stay within [min, max], in order */
        st->p5_kbps = fmin(fmax(pc[0], st->min_kbps), st->max_kbps);
        st->median_kbps = fmin(fmax(pc[1], st->p5_kbps), st->max_kbps);
        st->p95_kbps = fmin(fmax(pc[2], st->median_kbps), st->max_kbps);
    }
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
            if (t[i] > t[i - 1] &&
                (double)(t[i] - t[i - 1]) > gap_windows * (double)window)
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
        bool stall = i < e && (double)h->slices[i].avg_kbps < stall_kbps;
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
    }
    for (i = b; i <= e; i++) {
        bool drop = i < e && median > 0 &&
                    (double)h->slices[i].avg_kbps < drop_ratio * median;
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
    {
        double m;
        if (!rpp__drop_period(st, &m, &st->drop_interval_cv))
            a->mem->oom = true;
    }
}

/* How far an interval may be from a whole number of periods, in periods,
 * to count as skipped beats; and the most periods one may span. */
#define BEAT_SLACK 0.15
#define BEAT_MAX 3

bool rpp__drop_period(const rpp_phase_stats *st, double *mean, double *cv)
{
    size_t n = st->n_drops > 1 ? st->n_drops - 1 : 0, i, j, m = 0, ones = 0;
    double *iv, *out, base;

    *mean = *cv = 0;
    if (!n)
        return true;
    /* the intervals, then room for each as up to BEAT_MAX periods */
    iv = malloc((1 + BEAT_MAX) * n * sizeof(*iv));
    if (!iv)
        return false;
    out = iv + n;
    for (i = 0; i < n; i++)
        out[i] = iv[i] = (double)(st->drops[i + 1].start_ms -
                                  st->drops[i].start_ms);
    base = rpp__median(out, n);
    /* the median is the period when most intervals are one */
    for (i = 0; base > 0 && i < n; i++)
        ones += fabs(iv[i] / base - 1) <= BEAT_SLACK;
    for (i = 0; i < n; i++) {
        double k = ones * 2 > n ? round(iv[i] / base) : 1;

        if (k >= 2 && k <= BEAT_MAX && fabs(iv[i] / base - k) <= BEAT_SLACK)
            for (j = 0; j < (size_t)k; j++)
                out[m++] = iv[i] / k;
        else
            out[m++] = iv[i];
    }
    rpp__mean_cv(out, m, mean, cv);
    free(iv);
    return true;
}

/* ---- phases ------------------------------------------------------------ */

/* Whether phase p of slices [b, e) ran to its end: the session (or
 * cycle) succeeded, or a phase that needs all of it began. */
static bool phase_complete(const size_t *b, const size_t *e, int p,
                           rpp_session_state state)
{
    if (state == RPP_STATE_SUCCEEDED)
        return true;
    if (p == RPP_PHASE_VERIFY)
        return false;
    /* the verify reads back what was written: everything was downloaded,
     * decompressed and written */
    return e[RPP_PHASE_VERIFY] > b[RPP_PHASE_VERIFY];
}

/* The bytes a phase processed: its total when it ran to its end, else an
 * estimate from its slices. */
static void phase_bytes(rpp_analysis *a, rpp_phase_stats *st, int p,
                        size_t b, size_t e, bool complete, uint64_t total,
                        bool has_total)
{
    st->bytes_total = has_total ? total : 0;
    st->bytes_total_known = has_total;
    if (complete && has_total) {
        st->bytes = total;
        st->bytes_estimated = false;
        return;
    }
    st->bytes = rpp__phase_bytes(a, (rpp_phase)p, b, e, UINT64_MAX);
    if (has_total && total && st->bytes > total)
        st->bytes = total;
    st->bytes_estimated = true;
}

void rpp__phases_compute(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    size_t k, all_b[RPP_PHASE_COUNT], all_e[RPP_PHASE_COUNT];
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        all_b[p] = 0;
        all_e[p] = r->histograms[p].n_slices;
    }
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *h = &r->histograms[p];
        const rpp_phase_summary *ps = &r->summary.phases[p];
        bool has_total = (ps->fields & RPP_PH_BYTES_TOTAL) != 0;
        rpp_phase_stats *st = &a->phases[p];
        uint64_t sum = 0;
        bool all_known = true;

        rpp__phase_compute(a, (rpp_phase)p, 0, h->n_slices, w->breaks[p], st);
        for (k = 0; k < w->n_cycles; k++) {
            rpp_cycle *c = &w->cycles[k];
            rpp_phase_stats *cs = &c->phases[p];
            bool last = k + 1 == w->n_cycles;
            if (c->slice_end[p] <= c->slice_begin[p])
                continue;
            rpp__phase_compute(a, (rpp_phase)p, c->slice_begin[p],
                               c->slice_end[p], w->breaks[p], cs);
            /* the summary describes the last cycle only */
            phase_bytes(a, cs, p, c->slice_begin[p], c->slice_end[p],
                        phase_complete(c->slice_begin, c->slice_end, p,
                                       c->state),
                        ps->bytes_total, last && has_total);
            sum = rpp_sat_add(sum, cs->bytes);
            all_known = all_known && !cs->bytes_estimated;
        }
        if (!st->present)
            continue;
        if (w->n_cycles > 1) {
            st->bytes = sum;
            st->bytes_estimated = !all_known;
            st->bytes_total = has_total ? ps->bytes_total : 0;
            st->bytes_total_known = has_total;
        } else {
            phase_bytes(a, st, p, 0, h->n_slices,
                        phase_complete(all_b, all_e, p, a->session.state),
                        ps->bytes_total, has_total);
        }
    }
}
