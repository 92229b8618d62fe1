/*
 * analysis.c - runs an analysis: the arena everything is allocated in, the
 * order of the steps (timeline.c, session.c, breakdown.c, stats.c, the
 * context, pipeline.c, then the rules of rules.c) and the entry points.
 * No printing, no global state.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena helpers ----------------------------------------------------- */

void *rpp__an_alloc(rpp_analysis *a, size_t n)
{
    void *p = rpp__arena_alloc(a->mem->arena, n);

    if (!p)
        a->mem->oom = true;
    return p;
}

void *rpp__an_calloc(rpp_analysis *a, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size) {
        a->mem->oom = true;
        return NULL;
    }
    p = rpp__an_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *rpp__an_strdup(rpp_analysis *a, const char *s)
{
    char *p = rpp__arena_strdup(a->mem->arena, s ? s : "");

    if (!p)
        a->mem->oom = true;
    return p;
}

char *rpp__an_printf(rpp_analysis *a, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;
    char *s;

    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s = rpp__an_strdup(a, b.ptr ? b.ptr : "");
    if (b.oom)
        a->mem->oom = true;
    rpp__buf_free(&b);
    return s;
}

/* ---- names ------------------------------------------------------------- */

const char *rpp_bottleneck_name(rpp_bottleneck_kind k)
{
    switch (k) {
    case RPP_BOTTLENECK_UNKNOWN: return "unknown";
    case RPP_BOTTLENECK_NETWORK: return "network";
    case RPP_BOTTLENECK_CPU: return "cpu";
    case RPP_BOTTLENECK_DISK: return "disk";
    }
    return "unknown";
}

const char *rpp_confidence_name(rpp_confidence c)
{
    switch (c) {
    case RPP_CONFIDENCE_NONE: return "none";
    case RPP_CONFIDENCE_LOW: return "low";
    case RPP_CONFIDENCE_MEDIUM: return "medium";
    case RPP_CONFIDENCE_HIGH: return "high";
    }
    return "none";
}


/* ---- context ----------------------------------------------------------- */

static int cmp_by_time(const void *x, const void *y, const rpp_event_time *t)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;

    if (t[i].start_ms != t[j].start_ms)
        return t[i].start_ms < t[j].start_ms ? -1 : 1;
    return i < j ? -1 : (i > j);
}

/* A stable sort by timeline start: merge sort (qsort has no context
 * argument in C11, and its order of equal keys is unspecified). */
static void sort_by_time(size_t *v, size_t n, const rpp_event_time *t)
{
    size_t *tmp, width, i;

    if (n < 2)
        return;
    tmp = malloc(n * sizeof(*tmp));
    if (!tmp)
        return; /* leaves file order: still a usable order */
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n,
                   hi = i + 2 * width < n ? i + 2 * width : n, x = lo, y = mid,
                   k = lo;
            while (x < mid && y < hi)
                tmp[k++] = cmp_by_time(&v[x], &v[y], t) <= 0 ? v[x++] : v[y++];
            while (x < mid)
                tmp[k++] = v[x++];
            while (y < hi)
                tmp[k++] = v[y++];
        }
        memcpy(v, tmp, n * sizeof(*v));
    }
    free(tmp);
}

static bool is_detail(rpp_event_type t)
{
    return rpp_event_type_category(t) == RPP_CAT_PIPELINE ||
           t == RPP_EV_DIRECT_IO_ATTEMPT || t == RPP_EV_NETWORK_CONNECTION_STATS;
}

static void compute_context(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    rpp_context *cx = &a->context;
    size_t n = r->n_events, i, nd = 0, nr = 0, nt = 0, nn = 0;
    rpp_context_event *details;
    size_t *recovery, *transfers, *network;
    double *tk;

    details = rpp__an_calloc(a, n ? n : 1, sizeof(*details));
    recovery = rpp__an_alloc(a, (n ? n : 1) * sizeof(*recovery));
    transfers = rpp__an_alloc(a, (n ? n : 1) * sizeof(*transfers));
    network = rpp__an_alloc(a, (n ? n : 1) * sizeof(*network));
    tk = rpp__an_alloc(a, (n ? n : 1) * sizeof(*tk));
    if (!details || !recovery || !transfers || !network || !tk)
        return;
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_category cat = rpp_event_type_category(e->type);

        if (e->type == RPP_EV_PERIODIC_SYNC || e->type == RPP_EV_PAGE_CACHE_FLUSH) {
            cx->sync_count++;
            cx->sync_total_ms = rpp_sat_add(cx->sync_total_ms, e->duration_ms);
            if (e->duration_ms > cx->sync_max_ms)
                cx->sync_max_ms = e->duration_ms;
        }
        if (e->type == RPP_EV_WRITE_TIMING_BREAKDOWN && e->metadata) {
            double sys = 0, pre = 0, post = 0, syn = 0, tot;
            bool ok = rpp__meta_number(e->metadata, "syscallMs", &sys);
            rpp__meta_number(e->metadata, "preHashWaitMs", &pre);
            rpp__meta_number(e->metadata, "postHashWaitMs", &post);
            rpp__meta_number(e->metadata, "syncMs", &syn);
            /* a negative part means nothing; count it as 0 */
            sys = sys > 0 ? sys : 0;
            pre = pre > 0 ? pre : 0;
            post = post > 0 ? post : 0;
            syn = syn > 0 ? syn : 0;
            /* the parts can overlap the event's duration (syncs inside
             * write calls): share of whichever is larger */
            tot = (double)e->duration_ms;
            if (sys + pre + post + syn > tot)
                tot = sys + pre + post + syn;
            if (ok && tot > 0) {
                /* several cycles: weight by each breakdown's total */
                double prev = (double)cx->write_timing_total_ms;
                double all = prev + tot;
                cx->write_syscall_share =
                    (cx->write_syscall_share * prev + sys) / all;
                cx->write_hash_wait_share =
                    (cx->write_hash_wait_share * prev + pre + post) / all;
                cx->write_sync_share = (cx->write_sync_share * prev + syn) / all;
                cx->write_timing_total_ms = all < (double)RPP_SAT_MAX
                                                ? (uint64_t)all
                                                : RPP_SAT_MAX;
                cx->has_write_timing = true;
            }
        }
        if (is_detail(e->type) && e->metadata) {
            char buf[1024];
            rpp_meta_pair tmp[32];
            size_t np = rpp_meta_parse(e->metadata, buf, sizeof(buf), tmp, 32),
                   j;
            rpp_meta_pair *pairs = rpp__an_calloc(a, np ? np : 1, sizeof(*pairs));
            if (!pairs)
                return;
            for (j = 0; j < np; j++) {
                pairs[j].key = rpp__an_strdup(a, tmp[j].key);
                pairs[j].value = rpp__an_strdup(a, tmp[j].value);
            }
            details[nd].index = i;
            details[nd].pairs = pairs;
            details[nd].n_pairs = np;
            nd++;
        }
        if (cat == RPP_CAT_RECOVERY)
            recovery[nr++] = i;
        if (e->has_bytes && e->bytes_transferred > 0 && e->duration_ms > 0 &&
            cat != RPP_CAT_CYCLE)
            transfers[nt++] = i;
        if (cat == RPP_CAT_NETWORK || cat == RPP_CAT_CACHE ||
            (e->has_bytes && e->bytes_transferred > 0 && cat != RPP_CAT_CYCLE))
            network[nn++] = i;
    }
    sort_by_time(recovery, nr, w->times);
    sort_by_time(transfers, nt, w->times);
    sort_by_time(network, nn, w->times);
    for (i = 0; i < nt; i++) {
        const rpp_event *e = &r->events[transfers[i]];
        tk[i] = (double)e->bytes_transferred * 1000.0 /
                ((double)e->duration_ms * 1024.0);
    }
    cx->details = details;
    cx->n_details = nd;
    cx->recovery = recovery;
    cx->n_recovery = nr;
    cx->transfers = transfers;
    cx->transfer_kbps = tk;
    cx->n_transfers = nt;
    cx->network = network;
    cx->n_network = nn;
}


/* ---- entry points ------------------------------------------------------ */

int rpp_analysis_run(rpp_analysis **out, const rpp_report *r,
                     const rpp_rules *rules)
{
    rpp_analysis *a = NULL;
    rpp__work w;
    bool any_samples = false;
    size_t i;
    int p, st = RPP_OK;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!r)
        return RPP_ERR_ARG;
    memset(&w, 0, sizeof(w));
    a = calloc(1, sizeof(*a));
    if (!a)
        return RPP_ERR_NOMEM;
    a->mem = calloc(1, sizeof(*a->mem));
    if (!a->mem || !(a->mem->arena = rpp__arena_new())) {
        rpp_analysis_free(a);
        return RPP_ERR_NOMEM;
    }
    a->report = r;
    a->mem->rules = rules;
    w.times = rpp__an_calloc(a, r->n_events ? r->n_events : 1, sizeof(*w.times));
    if (!w.times)
        goto cleanup;
    for (i = 0; i < r->n_events; i++)
        w.times[i].cycle = -1;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (r->histograms[p].n_slices ||
            r->summary.phases[p].sample_count > 0)
            any_samples = true;

    rpp__timeline_build(a, &w, any_samples);
    if (a->mem->oom)
        goto cleanup;
    rpp__session_compute(a, &w, any_samples);
    if (!a->cycles_from_events && w.n_cycles)
        w.cycles[w.n_cycles - 1].state = a->session.state;
    rpp__breakdown_compute(a, &w);
    rpp__phases_compute(a, &w);
    compute_context(a, &w);
    rpp__progress_compute(a);
    rpp__device_stops_compute(a);
    rpp__stalls_compute(a);
    rpp__bottleneck_compute(a);
    if (a->mem->oom)
        goto cleanup;
    st = rpp__rules_run(a, rules);
    if (st == RPP_OK && a->mem->oom)
        st = RPP_ERR_NOMEM;

cleanup:
    if (a->mem->oom && st == RPP_OK)
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp_analysis_free(a);
        return st;
    }
    *out = a;
    return RPP_OK;
}

void rpp_analysis_free(rpp_analysis *a)
{
    if (!a)
        return;
    if (a->mem) {
        rpp__arena_free(a->mem->arena);
        free(a->mem);
    }
    free(a);
}

size_t rpp_analysis_count(const rpp_analysis *a, rpp_level at_least)
{
    size_t i, n = 0;

    if (!a)
        return 0;
    for (i = 0; i < a->n_findings; i++)
        if (a->findings[i].level >= at_least && at_least != RPP_LEVEL_OFF)
            n++;
    return n;
}
