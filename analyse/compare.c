/*
 * compare.c - owns the model of a comparison of two or more runs: their
 * order and baseline, short names, how each ended and how far it got, the
 * phases with their changes against the baseline, the union of event types
 * and of findings over the runs, the findings that appeared or went away,
 * and the one table of rules a version 2 report cannot express. The verdict
 * is compare_verdict.c's, the outputs compare_text.c's and compare_json.c's.
 */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tags longer than this are shortened. */
#define TAG_MAX 14

/*
 * The rules whose findings need data that only format version 3 records;
 * every other rule can fire on a version 2 report. A rule needs version 3
 * when it reads a phase or an event type that version 2 does not record
 * (rpp_phase_since_version, rpp_event_type_since): the decompress phase, the stall
 * events and pipeline summaries (the bottleneck rules need the verdict at
 * medium confidence, which a version 2 report, with its rates alone, never
 * reaches), the recovery events (device-stopped reads the watchdog's) and
 * the Windows drive events. Besides, any finding about the decompress
 * phase itself (a gap, a high variance...) needs version 3.
 */
static const struct rule_needs {
    const char *id;
    int phase;                 /* a phase it reads, or -1 */
    rpp_event_type type;       /* an event type it reads, or UNKNOWN */
} rule_needs[] = {
    { "slow-decompress", RPP_PHASE_DECOMPRESS, RPP_EV_UNKNOWN },
    { "io-bound", RPP_PHASE_DECOMPRESS, RPP_EV_PIPELINE_DECOMPRESSION_TIME },
    { "cpu-bound", RPP_PHASE_DECOMPRESS, RPP_EV_PIPELINE_DECOMPRESSION_TIME },
    { "decompress", RPP_PHASE_DECOMPRESS, RPP_EV_UNKNOWN },
    { "slow-unmount-volumes", -1, RPP_EV_DRIVE_UNMOUNT_VOLUMES },
    { "slow-disk-clean", -1, RPP_EV_DRIVE_DISK_CLEAN },
    { "producer-stall", -1, RPP_EV_RING_BUFFER_STARVATION },
    { "consumer-stall", -1, RPP_EV_RING_BUFFER_STARVATION },
    { "network-bound", -1, RPP_EV_PIPELINE_RING_BUFFER_WAIT_TIME },
    { "device-stopped", -1, RPP_EV_PROGRESS_STALL },
    { "device-io-timeout", -1, RPP_EV_DEVICE_IO_TIMEOUT },
    { "write-recovery", -1, RPP_EV_PROGRESS_STALL },
    { "memory-allocation-failure", -1, RPP_EV_MEMORY_ALLOCATION_FAILURE },
};

bool rpp__compare_expressible(const char *id, int phase, int version)
{
    size_t i;

    if (phase >= 0 && phase < RPP_PHASE_COUNT &&
        rpp_phase_since_version((rpp_phase)phase) > version)
        return false;
    for (i = 0; i < sizeof(rule_needs) / sizeof(rule_needs[0]); i++) {
        const struct rule_needs *n = &rule_needs[i];
        if (strcmp(n->id, id) != 0)
            continue;
        if (n->phase >= 0 && rpp_phase_since_version((rpp_phase)n->phase) > version)
            return false;
        if (n->type != RPP_EV_UNKNOWN && rpp_event_type_since(n->type) > version)
            return false;
    }
    return true;
}

double rpp__compare_change(double before, double after)
{
    if (!(before > 0) || !isfinite(before) || !isfinite(after))
        return NAN;
    return (after - before) / before;
}

const char *rpp_compare_sort_name(rpp_compare_sort s)
{
    switch (s) {
    case RPP_COMPARE_SORT_GIVEN: return "given";
    case RPP_COMPARE_SORT_VERSION: return "version";
    case RPP_COMPARE_SORT_TIME: return "time";
    }
    return "";
}

/* ---- memory --------------------------------------------------------------- */

static void *cmp_calloc(rpp_comparison *c, size_t count, size_t size)
{
    size_t bytes;
    void *p;

    if (size && count > SIZE_MAX / size) {
        c->mem->oom = true;
        return NULL;
    }
    bytes = count * size;
    bytes = bytes ? bytes : 1;
    p = rpp__arena_alloc(c->mem->arena, bytes);
    if (!p)
        c->mem->oom = true;
    else
        memset(p, 0, bytes);
    return p;
}

char *rpp__compare_printf(rpp_comparison *c, const char *fmt, ...)
{
    rpp__buf b = RPP__BUF_INIT;
    va_list ap;
    char *s;

    va_start(ap, fmt);
    rpp__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s = b.oom ? NULL : rpp__arena_strdup(c->mem->arena, b.ptr ? b.ptr : "");
    if (!s)
        c->mem->oom = true;
    rpp__buf_free(&b);
    return s;
}

/* ---- order ---------------------------------------------------------------- */

/* Compares version strings as version numbers: runs of digits by value,
 * other characters one by one, a string that ends first sorts first
 * ("2.0.9" < "2.0.10" < "2.0.10-1"). */
static int version_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            size_t la, lb;
            int d;
            while (*a == '0' && a[1] >= '0' && a[1] <= '9')
                a++;
            while (*b == '0' && b[1] >= '0' && b[1] <= '9')
                b++;
            for (la = 0; a[la] >= '0' && a[la] <= '9'; la++)
                ;
            for (lb = 0; b[lb] >= '0' && b[lb] <= '9'; lb++)
                ;
            if (la != lb)
                return la < lb ? -1 : 1;
            if ((d = memcmp(a, b, la)) != 0)
                return d < 0 ? -1 : 1;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* The Imager version of a report, or NULL. */
static const char *imager_version(const rpp_analysis *a)
{
    const rpp_system *s = &a->report->system;

    if (!s->present || !s->has_imager || !s->imager.version ||
        !*s->imager.version)
        return NULL;
    return s->imager.version;
}

typedef struct sort_key {
    const char *version;       /* NULL: none */
    uint64_t start;            /* 0: none */
    size_t given;
} sort_key;

/* Runs without a key first; ties keep the order given. */
static int by_version(const void *x, const void *y)
{
    const sort_key *a = x, *b = y;
    int d;

    if (!a->version != !b->version)
        return a->version ? 1 : -1;
    if (a->version && (d = version_cmp(a->version, b->version)) != 0)
        return d;
    return a->given < b->given ? -1 : a->given > b->given;
}

static int by_time(const void *x, const void *y)
{
    const sort_key *a = x, *b = y;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->given < b->given ? -1 : a->given > b->given;
}

/* ---- names ---------------------------------------------------------------- */

static bool is_sep(char ch)
{
    return ch == '-' || ch == '_' || ch == ' ';
}

/* The base name of a path without ".json", made safe to print. */
static void base_name(rpp__buf *b, const char *name)
{
    const char *slash = strrchr(name, '/'), *s = slash ? slash + 1 : name;
    size_t n = strlen(s);
    char *copy;

    if (n > 5 && strcmp(s + n - 5, ".json") == 0)
        n -= 5;
    copy = strndup(s, n);
    if (!copy) {
        b->oom = true;
        return;
    }
    rpp__text_safe(b, copy, 0);
    free(copy);
}

size_t rpp__compare_chars(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xc0) != 0x80;
    return k;
}

size_t rpp__compare_char_bytes(const char *s, size_t k)
{
    size_t i = 0;

    while (s[i] && k) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/*
 * Short names for the tables: each run's base name without ".json". When
 * one is longer than TAG_MAX, the prefix and suffix that all share (cut at
 * a '-', '_' or ' ') go, then what is still too long is cut with a '~'.
 * Names that are not unique then become "#1", "#2"... (as given).
 */
static void make_tags(rpp_comparison *c, rpp_compared_run *runs)
{
    size_t n = c->n_runs, i, j, pre = 0, suf = 0;
    rpp__buf *b = calloc(n, sizeof(*b));
    bool longer = false, unique = true;
    rpp__namemap seen = { NULL, NULL, 0, 0 };

    if (!b) {
        c->mem->oom = true;
        return;
    }
    for (i = 0; i < n; i++) {
        base_name(&b[i], runs[i].name);
        if (b[i].oom || !b[i].ptr) {
            c->mem->oom = true;
            goto cleanup;
        }
        longer = longer || rpp__compare_chars(b[i].ptr, b[i].len) > TAG_MAX;
    }
    if (longer) {
        pre = suf = SIZE_MAX;
        for (i = 1; i < n; i++) {
            size_t k = 0, m = 0;
            while (k < b[0].len && k < b[i].len && b[0].ptr[k] == b[i].ptr[k])
                k++;
            pre = k < pre ? k : pre;
            while (m < b[0].len && m < b[i].len &&
                   b[0].ptr[b[0].len - 1 - m] == b[i].ptr[b[i].len - 1 - m])
                m++;
            suf = m < suf ? m : suf;
        }
        while (pre > 0 && pre != SIZE_MAX && !is_sep(b[0].ptr[pre - 1]))
            pre--;
        while (suf > 0 && suf != SIZE_MAX && !is_sep(b[0].ptr[b[0].len - suf]))
            suf--;
        if (pre == SIZE_MAX)
            pre = suf = 0;
        for (i = 0; i < n; i++)
            if (pre + suf >= b[i].len)
                pre = suf = 0;
    }
    for (i = 0; i < n && !c->mem->oom; i++) {
        const char *s = b[i].ptr + pre;
        size_t len = b[i].len - pre - suf;

        if (rpp__compare_chars(s, len) > TAG_MAX)
            runs[i].tag = rpp__compare_printf(c, "%.*s~",
                                              (int)rpp__compare_char_bytes(s, TAG_MAX - 1),
                                              s);
        else
            runs[i].tag = rpp__compare_printf(c, "%.*s", (int)len, s);
        if (runs[i].tag && !*runs[i].tag)
            unique = false;
    }
    for (i = 0; i < n && !c->mem->oom && unique; i++) {
        int st = rpp__namemap_put(&seen, runs[i].tag, i, &j);
        if (st < 0)
            c->mem->oom = true;
        else if (st == 0)
            unique = false;
    }
    for (i = 0; i < n && !unique && !c->mem->oom; i++)
        runs[i].tag = rpp__compare_printf(c, "#%zu", runs[i].given + 1);

cleanup:
    rpp__namemap_free(&seen);
    for (i = 0; i < n; i++)
        rpp__buf_free(&b[i]);
    free(b);
}

/* The run in sentences: the Imager version when every run has its own,
 * else its tag. */
static void make_labels(rpp_comparison *c, rpp_compared_run *runs)
{
    rpp__namemap seen = { NULL, NULL, 0, 0 };
    size_t i, j;
    bool versions = true;

    for (i = 0; i < c->n_runs && versions; i++) {
        const char *v = imager_version(runs[i].analysis);
        int st = v ? rpp__namemap_put(&seen, v, i, &j) : 0;
        if (st < 0)
            c->mem->oom = true;
        versions = st == 1;
    }
    rpp__namemap_free(&seen);
    for (i = 0; i < c->n_runs; i++)
        runs[i].label = versions ? imager_version(runs[i].analysis)
                                 : runs[i].tag;
}

/* ---- how each run ended ----------------------------------------------------- */

/* The part of the image written, as the analysis estimates it; NAN when
 * the image's size is not known. */
static double write_share(const rpp_analysis *a)
{
    const rpp_progress *pr = &a->session.progress;

    if (!pr->image_bytes || !isfinite(pr->written_share))
        return NAN;
    return pr->written_share > 1.0 ? 1.0 : pr->written_share;
}

/* Where a run that did not finish stopped: " at about 28 % of the write". */
static void stage(rpp__buf *b, const rpp_compared_run *r)
{
    const rpp_analysis *a = r->analysis;

    const rpp_progress *pr = &a->session.progress;

    if (a->phases[RPP_PHASE_VERIFY].present && pr->image_bytes &&
        pr->verified_share > 0 && pr->verified_share < 0.995)
        rpp__buf_printf(b, " at about %.0f %% of the verify",
                        pr->verified_share * 100 < 1 ? 1
                                                     : pr->verified_share * 100);
    else if (a->phases[RPP_PHASE_VERIFY].present)
        rpp__buf_puts(b, " during the verify");
    else if (!a->phases[RPP_PHASE_WRITE].present)
        rpp__buf_puts(b, " before the write began");
    else if (isnan(r->write_share))
        rpp__buf_puts(b, " during the write");
    else if (r->write_share >= 0.995)
        rpp__buf_puts(b, " at the end of the write");
    else
        rpp__buf_printf(b, " at about %.0f %% of the write",
                        r->write_share * 100 < 1 ? 1 : r->write_share * 100);
}

static const char *why_not_finished(rpp_comparison *c,
                                    const rpp_compared_run *r)
{
    rpp__buf b = RPP__BUF_INIT;
    char *s;

    switch (r->analysis->session.state) {
    case RPP_STATE_SUCCEEDED:
        return NULL;
    case RPP_STATE_FAILED:
        rpp__buf_puts(&b, "failed");
        stage(&b, r);
        break;
    case RPP_STATE_CANCELLED:
        rpp__buf_puts(&b, "was cancelled");
        stage(&b, r);
        break;
    case RPP_STATE_IN_PROGRESS:
        rpp__buf_puts(&b, "was exported while running (in progress)");
        stage(&b, r);
        break;
    case RPP_STATE_NEVER_STARTED:
        rpp__buf_puts(&b, "never started: no write was captured");
        break;
    case RPP_STATE_NONE:
    case RPP_STATE_UNRECOGNISED:
        rpp__buf_puts(&b, "ended in a state rpiperf does not recognise");
        break;
    }
    s = b.oom ? NULL : rpp__arena_strdup(c->mem->arena, b.ptr ? b.ptr : "");
    if (!s)
        c->mem->oom = true;
    rpp__buf_free(&b);
    return s;
}

/* ---- phases ----------------------------------------------------------------- */

static void phases(rpp_comparison *c, rpp_compared_run *runs)
{
    const rpp_compared_run *base = &runs[c->baseline];
    size_t i;
    int p;

    for (i = 0; i < c->n_runs; i++) {
        rpp_compared_run *r = &runs[i];
        bool compared = i != c->baseline && r->finished && base->finished;

        r->worst_change = compared ? 0.0 : NAN;
        for (p = 0; p < RPP_PHASE_COUNT; p++) {
            const rpp_phase_stats *x = &base->analysis->phases[p];
            const rpp_phase_stats *y = &r->analysis->phases[p];
            rpp_compare_phase *d = &r->phases[p];

            d->present = y->present;
            d->avg_kbps = y->avg_kbps;
            d->p5_kbps = y->p5_kbps;
            d->p95_kbps = y->p95_kbps;
            d->active_ms = y->active_ms;
            d->avg_change = d->p5_change = d->p95_change = d->ms_change = NAN;
            if (!compared || !x->present || !y->present)
                continue;
            d->avg_change = rpp__compare_change(x->avg_kbps, y->avg_kbps);
            d->p5_change = rpp__compare_change(x->p5_kbps, y->p5_kbps);
            d->p95_change = rpp__compare_change(x->p95_kbps, y->p95_kbps);
            d->ms_change = rpp__compare_change((double)x->active_ms,
                                               (double)y->active_ms);
            if (d->avg_change < r->worst_change)
                r->worst_change = d->avg_change;
        }
    }
}

/* ---- event types ------------------------------------------------------------ */

static bool type_notable(const rpp_comparison *c, const rpp_compare_type *t,
                         size_t k)
{
    size_t b = c->baseline;
    double n0 = (double)t->count[b], n1 = (double)t->count[k];
    double m0 = (double)t->total_ms[b], m1 = (double)t->total_ms[k];

    if (!t->recordable[b] || !t->recordable[k])
        return false;
    if (fabs(n1 - n0) >= RPP_COMPARE_TYPE_SHARE * fmax(n0, 1.0) && n1 != n0)
        return true;
    return fabs(m1 - m0) >= RPP_COMPARE_TYPE_MIN_MS &&
           fabs(m1 - m0) >= RPP_COMPARE_TYPE_SHARE * m0;
}

/* The union of the runs' event types by name, in order of first occurrence
 * (a map keeps thousands of types per run linear). */
static void types(rpp_comparison *c, const rpp_compared_run *runs)
{
    rpp__namemap by_name = { NULL, NULL, 0, 0 };
    size_t n = c->n_runs, i, k, j, cap = 0, nt = 0;
    const rpp_type_stats **first = NULL;
    rpp_compare_type *out;

    for (k = 0; k < n; k++)
        cap += runs[k].analysis->n_types;
    first = malloc((cap ? cap : 1) * sizeof(const rpp_type_stats *));
    if (!first) {
        c->mem->oom = true;
        return;
    }
    for (k = 0; k < n && !c->mem->oom; k++) {
        const rpp_analysis *a = runs[k].analysis;
        for (i = 0; i < a->n_types; i++) {
            int st = rpp__namemap_put(&by_name, a->types[i].name, nt, &j);
            if (st < 0)
                c->mem->oom = true;
            else if (st == 1)
                first[nt++] = &a->types[i];
        }
    }
    out = c->mem->oom ? NULL : cmp_calloc(c, nt, sizeof(*out));
    for (j = 0; out && j < nt; j++) {
        out[j].name = first[j]->name;
        out[j].count = cmp_calloc(c, n, sizeof(uint64_t));
        out[j].total_ms = cmp_calloc(c, n, sizeof(uint64_t));
        out[j].recordable = cmp_calloc(c, n, sizeof(bool));
        if (c->mem->oom)
            goto cleanup;
        for (k = 0; k < n; k++)
            ((bool *)out[j].recordable)[k] =
                rpp_event_type_since(first[j]->type) <=
                rpp__compare_format_version(&runs[k]);
    }
    for (k = 0; out && k < n; k++) {
        const rpp_analysis *a = runs[k].analysis;
        for (i = 0; i < a->n_types; i++) {
            if (!rpp__namemap_get(&by_name, a->types[i].name, &j))
                continue;
            ((uint64_t *)out[j].count)[k] += a->types[i].count;
            /* the write-timing events the Imager records twice count
             * once, as in every output of one run */
            ((uint64_t *)out[j].total_ms)[k] +=
                a->type_once_ms ? a->type_once_ms[i] : a->types[i].total_ms;
            if (a->types[i].count)
                ((bool *)out[j].recordable)[k] = true;
        }
    }
    for (j = 0; out && j < nt; j++)
        for (k = 0; k < n && !out[j].notable; k++)
            out[j].notable = k != c->baseline && runs[k].finished &&
                             runs[c->baseline].finished &&
                             type_notable(c, &out[j], k);
    c->types = out;
    c->n_types = out ? nt : 0;

cleanup:
    rpp__namemap_free(&by_name);
    free(first);
}

/* ---- findings ------------------------------------------------------------------ */

static const char *finding_key(rpp_comparison *c, const rpp_finding *f)
{
    return rpp__compare_printf(c, "%s\x1f%d", f->id, f->phase);
}

/* The union of the runs' findings by rule and phase, most severe first
 * (in order of first occurrence within a level). */
static void findings(rpp_comparison *c, rpp_compared_run *runs)
{
    rpp__namemap map = { NULL, NULL, 0, 0 };
    size_t n = c->n_runs, i, k, j, nf = 0, cap = 0;
    rpp_compare_finding *out = NULL, *sorted;
    bool *seen = NULL;

    for (k = 0; k < n; k++)
        cap += runs[k].analysis->n_findings;
    out = malloc((cap ? cap : 1) * sizeof(*out));
    if (!out) {
        c->mem->oom = true;
        goto cleanup;
    }
    for (k = 0; k < n && !c->mem->oom; k++) {
        const rpp_analysis *a = runs[k].analysis;
        for (i = 0; i < a->n_findings && !c->mem->oom; i++) {
            const rpp_finding *f = &a->findings[i];
            const char *key = finding_key(c, f);
            int st = key ? rpp__namemap_put(&map, key, nf, &j) : -1;
            if (st < 0) {
                c->mem->oom = true;
                break;
            }
            if (st == 1) {
                j = nf++;
                memset(&out[j], 0, sizeof(out[j]));
                out[j].id = f->id;
                out[j].phase = f->phase;
                out[j].count = cmp_calloc(c, n, sizeof(size_t));
                out[j].expressible = cmp_calloc(c, n, sizeof(bool));
                if (c->mem->oom)
                    break;
            }
            ((size_t *)out[j].count)[k]++;
            if (f->level > out[j].level)
                out[j].level = f->level;
        }
    }
    if (c->mem->oom)
        goto cleanup;
    for (j = 0; j < nf; j++)
        for (k = 0; k < n; k++)
            ((bool *)out[j].expressible)[k] = rpp__compare_expressible(
                out[j].id, out[j].phase, rpp__compare_format_version(&runs[k]));
    /* the appeared and the gone: one per rule and phase */
    seen = calloc(nf ? nf : 1, sizeof(*seen));
    if (!seen) {
        c->mem->oom = true;
        goto cleanup;
    }
    for (k = 0; k < n && !c->mem->oom; k++) {
        rpp_compared_run *r = &runs[k];
        const rpp_compared_run *base = &runs[c->baseline];
        const rpp_finding **app, **gone;
        size_t na = 0, ng = 0;

        if (k == c->baseline)
            continue;
        app = cmp_calloc(c, r->analysis->n_findings,
                         sizeof(const rpp_finding *));
        gone = cmp_calloc(c, base->analysis->n_findings,
                          sizeof(const rpp_finding *));
        if (c->mem->oom)
            break;
        memset(seen, 0, nf * sizeof(*seen));
        for (i = 0; i < r->analysis->n_findings && base->finished; i++) {
            const rpp_finding *f = &r->analysis->findings[i];
            const char *key = finding_key(c, f);
            if (!key || !rpp__namemap_get(&map, key, &j) || seen[j])
                continue;
            seen[j] = true;
            if (!out[j].count[c->baseline] && out[j].expressible[c->baseline])
                app[na++] = f;
        }
        memset(seen, 0, nf * sizeof(*seen));
        for (i = 0; i < base->analysis->n_findings && r->finished; i++) {
            const rpp_finding *f = &base->analysis->findings[i];
            const char *key = finding_key(c, f);
            if (!key || !rpp__namemap_get(&map, key, &j) || seen[j])
                continue;
            seen[j] = true;
            if (!out[j].count[k] && out[j].expressible[k])
                gone[ng++] = f;
        }
        r->appeared = app;
        r->n_appeared = na;
        r->disappeared = gone;
        r->n_disappeared = ng;
    }
    /* most severe first; within a level, the order of first occurrence */
    sorted = cmp_calloc(c, nf, sizeof(*sorted));
    if (!sorted)
        goto cleanup;
    for (i = 0, k = 0; i < 4; i++)
        for (j = 0; j < nf; j++)
            if ((int)out[j].level == RPP_LEVEL_ERROR - (int)i)
                sorted[k++] = out[j];
    c->findings = sorted;
    c->n_findings = nf;

cleanup:
    rpp__namemap_free(&map);
    free(seen);
    free(out);
}

/* ---- the comparison --------------------------------------------------------- */

static int check_args(const rpp_analysis *const *runs, size_t n,
                      const rpp_compare_opts *o)
{
    size_t i;

    if (!runs || n < 2)
        return RPP_ERR_ARG;
    for (i = 0; i < n; i++)
        if (!runs[i] || !runs[i]->report)
            return RPP_ERR_ARG;
    if (o && (o->version > RPP_COMPARE_OPTS_VERSION || o->baseline > n ||
              (o->sort != RPP_COMPARE_SORT_GIVEN &&
               o->sort != RPP_COMPARE_SORT_VERSION &&
               o->sort != RPP_COMPARE_SORT_TIME)))
        return RPP_ERR_ARG;
    return RPP_OK;
}

/* Puts the runs in the chosen order and fills what each has on its own. */
static void order_runs(rpp_comparison *c, rpp_compared_run *runs,
                       const rpp_analysis *const *in,
                       const rpp_compare_opts *o)
{
    size_t n = c->n_runs, i;
    sort_key *keys = malloc(n * sizeof(*keys));

    if (!keys) {
        c->mem->oom = true;
        return;
    }
    for (i = 0; i < n; i++) {
        keys[i].version = imager_version(in[i]);
        keys[i].start = in[i]->report->summary.session_start_time;
        keys[i].given = i;
    }
    if (o->sort == RPP_COMPARE_SORT_VERSION)
        qsort(keys, n, sizeof(*keys), by_version);
    else if (o->sort == RPP_COMPARE_SORT_TIME)
        qsort(keys, n, sizeof(*keys), by_time);
    c->baseline = 0;
    for (i = 0; i < n && !c->mem->oom; i++) {
        rpp_compared_run *r = &runs[i];
        size_t g = keys[i].given;

        r->analysis = in[g];
        r->given = g;
        r->name = o->names && o->names[g]
                      ? rpp__compare_printf(c, "%s", o->names[g])
                      : rpp__compare_printf(c, "run %zu", g + 1);
        r->finished = in[g]->session.state == RPP_STATE_SUCCEEDED;
        /* a finished run wrote the whole image, whatever the estimate */
        r->write_share = !in[g]->phases[RPP_PHASE_WRITE].present ? NAN
                         : r->finished ? 1.0
                                       : write_share(in[g]);
        if (o->baseline && g == o->baseline - 1)
            c->baseline = i;
    }
    free(keys);
}

/* Why the throughput of each run is not compared. */
static void not_compared(rpp_comparison *c, rpp_compared_run *runs)
{
    const rpp_compared_run *base = &runs[c->baseline];
    size_t i;

    for (i = 0; i < c->n_runs && !c->mem->oom; i++) {
        rpp_compared_run *r = &runs[i];

        if (!r->finished)
            r->not_compared = why_not_finished(c, r);
        else if (i != c->baseline && !base->finished)
            r->not_compared = "the baseline did not finish";
        if (i != c->baseline && r->not_compared)
            c->n_not_compared++;
    }
}

int rpp_compare_run(rpp_comparison **out, const rpp_analysis *const *runs,
                    size_t n, const rpp_compare_opts *opts)
{
    rpp_compare_opts defaults = RPP_COMPARE_OPTS_INIT;
    rpp_comparison *c;
    rpp_compared_run *r;
    size_t i;
    int st;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if ((st = check_args(runs, n, opts)) != RPP_OK)
        return st;
    if (!opts)
        opts = &defaults;
    c = calloc(1, sizeof(*c));
    if (!c)
        return RPP_ERR_NOMEM;
    c->mem = calloc(1, sizeof(*c->mem));
    if (!c->mem || !(c->mem->arena = rpp__arena_new())) {
        rpp_compare_free(c);
        return RPP_ERR_NOMEM;
    }
    c->n_runs = n;
    c->sort = opts->sort;
    c->first_slower = n;
    c->slower_phase = -1;
    c->slower_change = NAN;
    r = cmp_calloc(c, n, sizeof(*r));
    if (r) {
        order_runs(c, r, runs, opts);
        c->runs = r;
    }
    if (!c->mem->oom) {
        r[c->baseline].baseline = true;
        for (i = 1; i < n; i++)
            if (r[i].analysis->report->version != r[0].analysis->report->version)
                c->mixed_versions = true;
        make_tags(c, r);
    }
    if (!c->mem->oom)
        make_labels(c, r);
    if (!c->mem->oom)
        not_compared(c, r);
    if (!c->mem->oom)
        phases(c, r);
    if (!c->mem->oom)
        types(c, r);
    if (!c->mem->oom)
        findings(c, r);
    if (!c->mem->oom)
        rpp__compare_verdict(c);
    if (c->mem->oom) {
        rpp_compare_free(c);
        return RPP_ERR_NOMEM;
    }
    *out = c;
    return RPP_OK;
}

void rpp_compare_free(rpp_comparison *c)
{
    if (!c)
        return;
    if (c->mem) {
        rpp__arena_free(c->mem->arena);
        free(c->mem);
    }
    free(c);
}

/* ---- output entry point --------------------------------------------------- */

void rpp__compare_pct(char *out, size_t n, double change)
{
    double v = change * 100;

    if (isnan(change))
        snprintf(out, n, "-");
    else if (fabs(v) < 0.5)
        snprintf(out, n, "0 %%");
    else
        snprintf(out, n, "%+.0f %%", v);
}

int rpp_compare_format(const rpp_comparison *c, rpp_format fmt,
                       const rpp_format_opts *opts, char **out, size_t *len)
{
    rpp__buf b = RPP__BUF_INIT;
    fmt_ctx fc;
    /* the tables of many runs need 80 columns at the least */
    int st = rpp__fmt_begin(&fc, &b, c, opts, 80, out, len);

    if (st != RPP_OK)
        return st;
    switch (fmt) {
    case RPP_FORMAT_JSON: rpp__compare_json(&fc, c); break;
    case RPP_FORMAT_TEXT: rpp__compare_text(&fc, c); break;
    case RPP_FORMAT_MARKDOWN: rpp__compare_markdown(&fc, c); break;
    default: st = RPP_ERR_ARG; break;
    }
    return rpp__fmt_end(&fc, st, out, len);
}
