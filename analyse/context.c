/*
 * context.c - the version 3 context of an analysis (rpp_context): periodic
 * syncs, the write-time split, the pipeline and write-timing details with
 * their parsed metadata, recovery events, the network and cache events,
 * the transfers (events that moved bytes in a measured time), and the image
 * download's connection timings and retries parsed from their metadata.
 *
 * Pipeline summaries (category RPP_CAT_PIPELINE: pipelineDecompressionTime,
 * pipelineRingBufferWaitTime, writeRingBufferStats, writeTimingBreakdown,
 * ...) are totals over the whole write, recorded when it ends: they are
 * details here, never transfers or network events, even when they carry a
 * byte count (bytes divided by a total wait is no speed).
 */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* An event that moved bytes in a time of its own: not a cycle marker
 * (the image size, no duration) and not a pipeline total. */
static bool moved_bytes(const rpp_event *e, rpp_category cat)
{
    return e->has_bytes && e->bytes_transferred > 0 &&
           cat != RPP_CAT_CYCLE && cat != RPP_CAT_PIPELINE;
}

/* The whole number of "key: N ..." in metadata, or -1 when the key is
 * absent, not a number or negative. */
static int64_t meta_int(const char *meta, const char *key)
{
    double d;

    if (!meta || !rpp__meta_number(meta, key, &d) || !(d >= 0.0))
        return -1;
    return d < 9.2e18 ? (int64_t)d : INT64_MAX;
}

/* "146 MB" (the Imager writes whole MiB) as bytes; -1 when absent. */
static int64_t meta_size(const char *meta, const char *key)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = { { "TB", 1099511627776.0 }, { "GB", 1073741824.0 },
                  { "MB", 1048576.0 }, { "KB", 1024.0 }, { "B", 1.0 } };
    char val[128], *end;
    double d;
    size_t u;

    if (!meta || !rpp_meta_get(meta, key, val, sizeof(val)))
        return -1;
    d = strtod(val, &end);
    if (end == val || !isfinite(d) || d < 0.0)
        return -1;
    while (*end == ' ')
        end++;
    for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        if (strncmp(end, units[u].unit, strlen(units[u].unit)) == 0) {
            d *= units[u].scale;
            break;
        }
    }
    if (u == sizeof(units) / sizeof(units[0]) && *end)
        return -1;        /* a unit this tool does not know */
    return d < 9.2e18 ? (int64_t)d : INT64_MAX;
}

/* The value of key as a string owned by the analysis, or NULL. */
static const char *meta_str(rpp_analysis *a, const char *meta, const char *key)
{
    char val[512];

    if (!meta || !rpp_meta_get(meta, key, val, sizeof(val)) || !*val)
        return NULL;
    return rpp__an_strdup(a, val);
}

static void parse_connection(rpp_analysis *a, size_t i, rpp_connection *c)
{
    const char *m = a->report->events[i].metadata;

    c->index = i;
    c->dns_ms = meta_int(m, "dns_ms");
    c->connect_ms = meta_int(m, "connect_ms");
    c->tls_ms = meta_int(m, "tls_ms");
    c->ttfb_ms = meta_int(m, "ttfb_ms");
    c->total_ms = meta_int(m, "total_ms");
    c->speed_kbps = meta_int(m, "speed_kbps");
    c->size_bytes = meta_int(m, "size_bytes");
    c->http = meta_str(a, m, "http");
}

static void parse_retry(rpp_analysis *a, size_t i, rpp_retry *rt)
{
    const rpp_event *e = &a->report->events[i];

    rt->index = i;
    /* the Imager records the retry after its sleep, with the sleep as
     * the event's duration (0 when it retried at once) */
    rt->backoff_ms = e->duration_ms;
    rt->offset_bytes = meta_size(e->metadata, "offset");
    rt->http2_failures = meta_int(e->metadata, "http2_failures");
    rt->error = meta_str(a, e->metadata, "error");
}

/* 0, 1, 2 for the write-timing events the Imager records twice; -1 */
static int write_timing_slot(rpp_event_type t)
{
    if (t == RPP_EV_WRITE_TIMING_BREAKDOWN)
        return 0;
    if (t == RPP_EV_WRITE_SIZE_DISTRIBUTION)
        return 1;
    if (t == RPP_EV_WRITE_AFTER_SYNC_IMPACT)
        return 2;
    return -1;
}

void rpp__copies_find(rpp_analysis *a, rpp__work *w)
{
    size_t last_wt[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
    int last_cycle = -2;
    const rpp_event_time *times = w->times;
    const rpp_report *r = a->report;
    size_t i;

    w->copies = rpp__an_calloc(a, r->n_events ? r->n_events : 1,
                               sizeof(*w->copies));
    if (!w->copies) {
        a->mem->oom = true;
        return;
    }
    for (i = 0; i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        int wt = write_timing_slot(e->type);
        size_t prev;

        if (times[i].cycle != last_cycle) {
            last_cycle = times[i].cycle;
            last_wt[0] = last_wt[1] = last_wt[2] = SIZE_MAX;
        }
        if (wt < 0)
            continue;
        /* the Imager records the write-timing events twice: before the
         * final sync and again with the summaries */
        prev = last_wt[wt];
        last_wt[wt] = i;
        w->copies[i] =
            prev != SIZE_MAX && times[i].outside_session &&
            r->events[prev].duration_ms == e->duration_ms &&
            ((!e->metadata && !r->events[prev].metadata) ||
             (e->metadata && r->events[prev].metadata &&
              strcmp(e->metadata, r->events[prev].metadata) == 0));
    }
}

void rpp__context_compute(rpp_analysis *a, rpp__work *w)
{
    const rpp_event_time *times = w->times;
    const rpp_report *r = a->report;
    rpp_context *cx = &a->context;
    size_t n = r->n_events, i, nd = 0, nr = 0, nt = 0, nn = 0, nc = 0, nrt = 0;
    rpp_context_event *details;
    size_t *recovery, *transfers, *network, *conns, *retries;
    rpp_connection *conn_out;
    rpp_retry *retry_out;
    double *tk;

    details = rpp__an_calloc(a, n ? n : 1, sizeof(*details));
    recovery = rpp__an_alloc(a, (n ? n : 1) * sizeof(*recovery));
    transfers = rpp__an_alloc(a, (n ? n : 1) * sizeof(*transfers));
    network = rpp__an_alloc(a, (n ? n : 1) * sizeof(*network));
    tk = rpp__an_alloc(a, (n ? n : 1) * sizeof(*tk));
    /* scratch for the two sorts below; the results are copied out */
    conns = malloc((n ? n : 1) * sizeof(*conns));
    retries = malloc((n ? n : 1) * sizeof(*retries));
    if (!details || !recovery || !transfers || !network || !tk || !conns ||
        !retries) {
        a->mem->oom = true;
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_category cat = rpp_event_type_category(e->type);

        if (w->copies && w->copies[i])
            continue;       /* counted once, with the first record */
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
                goto cleanup;
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
        if (moved_bytes(e, cat) && e->duration_ms > 0)
            transfers[nt++] = i;
        if (cat == RPP_CAT_NETWORK || cat == RPP_CAT_CACHE || moved_bytes(e, cat))
            network[nn++] = i;
        if (e->type == RPP_EV_NETWORK_CONNECTION_STATS)
            conns[nc++] = i;
        else if (e->type == RPP_EV_NETWORK_RETRY)
            retries[nrt++] = i;
    }
    sort_by_time(recovery, nr, times);
    sort_by_time(transfers, nt, times);
    sort_by_time(network, nn, times);
    sort_by_time(conns, nc, times);
    sort_by_time(retries, nrt, times);
    for (i = 0; i < nt; i++) {
        const rpp_event *e = &r->events[transfers[i]];
        tk[i] = (double)e->bytes_transferred * 1000.0 /
                ((double)e->duration_ms * RPP_BYTES_PER_KB);
    }
    conn_out = rpp__an_calloc(a, nc ? nc : 1, sizeof(*conn_out));
    retry_out = rpp__an_calloc(a, nrt ? nrt : 1, sizeof(*retry_out));
    if (!conn_out || !retry_out)
        goto cleanup;
    for (i = 0; i < nc; i++)
        parse_connection(a, conns[i], &conn_out[i]);
    for (i = 0; i < nrt; i++)
        parse_retry(a, retries[i], &retry_out[i]);
    cx->details = details;
    cx->n_details = nd;
    cx->recovery = recovery;
    cx->n_recovery = nr;
    cx->transfers = transfers;
    cx->transfer_kbps = tk;
    cx->n_transfers = nt;
    cx->network = network;
    cx->n_network = nn;
    cx->connections = conn_out;
    cx->n_connections = nc;
    cx->retries = retry_out;
    cx->n_retries = nrt;

cleanup:
    free(conns);
    free(retries);
}
