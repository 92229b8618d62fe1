/*
 * compare_verdict.c - owns the verdict of a comparison and the check
 * behind --fail-slower. The verdict names the first run (in the chosen
 * order) that is notably slower than the baseline in the phase that sets
 * its pace (else the write, verify, download or decompress), says what
 * else changed with it (the other phases, direct I/O, the sync interval,
 * the device, the OS, the CPU) and what that points to; then the runs
 * that are faster or unchanged, and the runs that could not be compared
 * and why. It names runs by their labels and never quotes a report string,
 * so that it needs no redaction.
 */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum dir { DIR_NONE, DIR_SLOWER, DIR_FASTER, DIR_SAME };

static enum dir direction(double ch)
{
    if (isnan(ch))
        return DIR_NONE;
    if (ch <= -RPP_COMPARE_NOTABLE)
        return DIR_SLOWER;
    if (ch >= RPP_COMPARE_NOTABLE)
        return DIR_FASTER;
    return DIR_SAME;
}

static enum dir phase_dir(const rpp_compared_run *r, int p)
{
    return direction(r->phases[p].avg_change);
}

/* The phase that sets the pace of a run, from its bottleneck (at medium
 * confidence or more), or -1. */
static int pace_phase(const rpp_analysis *a)
{
    if (a->bottleneck.confidence < RPP_CONFIDENCE_MEDIUM)
        return -1;
    switch (a->bottleneck.kind) {
    case RPP_BOTTLENECK_DISK: return RPP_PHASE_WRITE;
    case RPP_BOTTLENECK_CPU: return RPP_PHASE_DECOMPRESS;
    case RPP_BOTTLENECK_NETWORK: return RPP_PHASE_DOWNLOAD;
    case RPP_BOTTLENECK_UNKNOWN: return -1;
    }
    return -1;
}

/* The phase that describes a move of run r in direction d: the one that
 * sets its pace if it moved so, else the first of write, verify, download,
 * decompress that did; -1 when none did. */
static int primary_phase(const rpp_compared_run *r, enum dir d)
{
    static const int order[] = { RPP_PHASE_WRITE, RPP_PHASE_VERIFY,
                                 RPP_PHASE_DOWNLOAD, RPP_PHASE_DECOMPRESS };
    int pace = pace_phase(r->analysis);
    size_t k;

    if (pace >= 0 && phase_dir(r, pace) == d)
        return pace;
    for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        if (phase_dir(r, order[k]) == d)
            return order[k];
    return -1;
}

static bool compared(const rpp_comparison *c, size_t k)
{
    return k != c->baseline && !c->runs[k].not_compared;
}

static const char *pname(int p)
{
    return rpp_phase_name((rpp_phase)p);
}

/* ---- what changed with a run -------------------------------------------- */

static const rpp_system *sys(const rpp_compared_run *r)
{
    const rpp_system *s = &r->analysis->report->system;

    return s->present ? s : NULL;
}

static bool differ(const char *a, const char *b)
{
    return a && b && *a && *b && strcmp(a, b) != 0;
}

/* The device differs: its name or its size. */
static bool device_changed(const rpp_compared_run *x, const rpp_compared_run *y)
{
    const rpp_system *sx = sys(x), *sy = sys(y);

    if (differ(x->analysis->report->summary.device_name,
               y->analysis->report->summary.device_name))
        return true;
    return sx && sy && sx->has_target && sy->has_target &&
           sx->target.size_bytes && sy->target.size_bytes &&
           sx->target.size_bytes != sy->target.size_bytes;
}

/* What changed in a run's setup: up to SETUP_MAX short phrases. */
#define SETUP_MAX 8

typedef struct setup {
    size_t n;
    char item[SETUP_MAX][96];
} setup;

static void setup_add(setup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void setup_add(setup *s, const char *fmt, ...)
{
    va_list ap;

    if (s->n == SETUP_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(s->item[s->n++], sizeof(s->item[0]), fmt, ap);
    va_end(ap);
}

/* What changed in the setup of run r against the baseline x; *device
 * says whether the device is another. */
static void setup_changes(setup *out, const rpp_compared_run *x,
                          const rpp_compared_run *r, bool *device)
{
    const rpp_system *sx = sys(x), *sr = sys(r);

    out->n = 0;
    *device = device_changed(x, r);
    if (sx && sr && sx->has_write_config && sr->has_write_config) {
        bool dx = sx->write_config.direct_io_enabled,
             dr = sr->write_config.direct_io_enabled;
        bool px = sx->write_config.periodic_sync_enabled,
             pr = sr->write_config.periodic_sync_enabled;
        if (dx != dr)
            setup_add(out, "direct I/O went %s", dr ? "on" : "off");
        if (px != pr)
            setup_add(out, "periodic syncs went %s", pr ? "on" : "off");
        else if (px && sx->write_config.has_sync_interval &&
                 sr->write_config.has_sync_interval &&
                 sx->write_config.sync_interval_mb !=
                     sr->write_config.sync_interval_mb)
            setup_add(out, "the sync interval went from %llu to %llu MB",
                      (unsigned long long)sx->write_config.sync_interval_mb,
                      (unsigned long long)sr->write_config.sync_interval_mb);
    }
    if (*device)
        setup_add(out, "the device changed");
    if (differ(x->analysis->report->summary.image_name,
               r->analysis->report->summary.image_name))
        setup_add(out, "the image changed");
    if (sx && sr && sx->has_platform && sr->has_platform) {
        if (differ(sx->platform.os, sr->platform.os) ||
            differ(sx->platform.os_version, sr->platform.os_version))
            setup_add(out, "the OS changed");
        if (sx->platform.cpu_cores && sr->platform.cpu_cores &&
            sx->platform.cpu_cores != sr->platform.cpu_cores)
            setup_add(out, "the CPU cores went from %llu to %llu",
                      (unsigned long long)sx->platform.cpu_cores,
                      (unsigned long long)sr->platform.cpu_cores);
    }
    if (x->analysis->bottleneck.kind != r->analysis->bottleneck.kind &&
        x->analysis->bottleneck.kind != RPP_BOTTLENECK_UNKNOWN &&
        r->analysis->bottleneck.kind != RPP_BOTTLENECK_UNKNOWN)
        setup_add(out, "the bottleneck moved from %s to %s",
                  rpp_bottleneck_name(x->analysis->bottleneck.kind),
                  rpp_bottleneck_name(r->analysis->bottleneck.kind));
}

/* What a slower phase p of run r points to. */
static const char *cause(const rpp_compared_run *r, int p, bool device)
{
    enum dir v = phase_dir(r, RPP_PHASE_VERIFY);

    switch (p) {
    case RPP_PHASE_WRITE:
        if (device)
            return v == DIR_SLOWER ? "the other device or its reader is slower"
                                   : "the other device writes slower, or the "
                                     "write path regressed";
        if (v == DIR_SAME || v == DIR_FASTER)
            return "the write path regressed, not the card";
        if (v == DIR_SLOWER)
            return "the card or its reader is slower, reading and writing";
        return "the card or the write path regressed";
    case RPP_PHASE_VERIFY:
        return device ? "the other device or its reader reads slower"
                      : "reading back is slower: the card or its reader";
    case RPP_PHASE_DECOMPRESS:
        return "decompression is slower (the CPU, or the image's "
               "compression)";
    case RPP_PHASE_DOWNLOAD:
        return r->analysis->bottleneck.kind == RPP_BOTTLENECK_NETWORK
                   ? "the network or the server is slower"
                   : "the download is slower, but it did not hold the "
                     "write back";
    default:
        return "";
    }
}

/* ---- sentences -------------------------------------------------------------- */

/* "From 2.0.3 on, the write is 48 % slower than with 2.0.2 (download and
 * decompress follow it) while verify is unchanged, and direct I/O went
 * off: the write path regressed, not the card." */
static void slower_sentence(rpp__buf *b, const rpp_comparison *c, size_t k,
                            int p, bool from_on)
{
    const rpp_compared_run *r = &c->runs[k], *x = &c->runs[c->baseline];
    setup set;
    bool device = false;
    size_t n = 0, i;
    int q;

    rpp__buf_printf(b, "%s %s%s, the %s is %.0f %% slower than with %s",
                    from_on ? "From" : "With", r->label, from_on ? " on" : "",
                    pname(p), -r->phases[p].avg_change * 100, x->label);
    if (p != RPP_PHASE_VERIFY) {
        /* download, decompress and write run as one pipeline: the stages
         * around the one that sets the pace move with it */
        for (q = 0; q <= RPP_PHASE_WRITE; q++)
            if (q != p && phase_dir(r, q) == DIR_SLOWER)
                n++;
        if (n) {
            size_t k2 = 0;
            rpp__buf_puts(b, " (");
            for (q = 0; q <= RPP_PHASE_WRITE; q++) {
                if (q == p || phase_dir(r, q) != DIR_SLOWER)
                    continue;
                rpp__buf_printf(b, "%s%s", k2 ? " and " : "", pname(q));
                k2++;
            }
            rpp__buf_printf(b, " follow%s it)", n == 1 ? "s" : "");
        }
    }
    q = p == RPP_PHASE_VERIFY ? RPP_PHASE_WRITE : RPP_PHASE_VERIFY;
    switch (phase_dir(r, q)) {
    case DIR_SAME:
        rpp__buf_printf(b, " while %s is unchanged", pname(q));
        break;
    case DIR_FASTER:
        rpp__buf_printf(b, " while %s is %.0f %% faster", pname(q),
                        r->phases[q].avg_change * 100);
        break;
    case DIR_SLOWER:
        rpp__buf_printf(b, " and %s is %.0f %% slower too", pname(q),
                        -r->phases[q].avg_change * 100);
        break;
    case DIR_NONE:
        break;
    }
    setup_changes(&set, x, r, &device);
    for (i = 0; i < set.n; i++)
        rpp__buf_printf(b, "%s%s", i == 0 ? "; " : i + 1 == set.n ? " and "
                                                                  : ", ",
                        set.item[i]);
    rpp__buf_printf(b, ": %s.", cause(r, p, device));
}

/* " X (write 12 %), Y (verify 30 %) and 3 more" over the runs in which. */
static void run_list(rpp__buf *b, const rpp_comparison *c, const bool *in,
                     enum dir d)
{
    size_t k, total = 0, shown = 0;

    for (k = 0; k < c->n_runs; k++)
        total += in[k];
    for (k = 0; k < c->n_runs; k++) {
        int p;
        if (!in[k])
            continue;
        if (shown == RPP_COMPARE_LIST_MAX) {
            rpp__buf_printf(b, " and %zu more", total - shown);
            return;
        }
        rpp__buf_printf(b, "%s%s", shown == 0 ? " " : shown + 1 == total ? " and " : ", ",
                        c->runs[k].label);
        p = d == DIR_NONE ? -1 : primary_phase(&c->runs[k], d);
        if (p >= 0)
            rpp__buf_printf(b, " (%s %+.0f %%)", pname(p),
                            c->runs[k].phases[p].avg_change * 100);
        shown++;
    }
}

/* "Not compared, as their throughput is partial: X was cancelled at about
 * 28 % of the write; Y never started: no write was captured." */
static void not_compared_sentence(rpp__buf *b, const rpp_comparison *c)
{
    size_t k, shown = 0;

    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        if (k == c->baseline || !r->not_compared)
            continue;
        if (shown == RPP_COMPARE_LIST_MAX) {
            rpp__buf_printf(b, "; and %zu more", c->n_not_compared - shown);
            break;
        }
        rpp__buf_puts(b, shown ? "; " : "Not compared (partial throughput): ");
        rpp__buf_printf(b, "%s %s", r->label, r->not_compared);
        shown++;
    }
    if (shown)
        rpp__buf_puts(b, ".");
}

void rpp__compare_verdict(rpp_comparison *c)
{
    const rpp_compared_run *x = &c->runs[c->baseline];
    rpp__buf b = RPP__BUF_INIT;
    bool *slower = calloc(c->n_runs, sizeof(bool)),
         *faster = calloc(c->n_runs, sizeof(bool)),
         *same = calloc(c->n_runs, sizeof(bool));
    size_t k, j, n_slower = 0, n_faster = 0, n_same = 0, n_compared = 0;

    if (!slower || !faster || !same) {
        c->mem->oom = true;
        goto cleanup;
    }
    if (x->not_compared) {
        rpp__buf_printf(&b, "The baseline %s %s: its throughput is partial, "
                            "so no run is compared with it; choose a "
                            "finished run as the baseline.",
                        x->label, x->not_compared);
        goto done;
    }
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        if (!compared(c, k))
            continue;
        n_compared++;
        if (primary_phase(r, DIR_SLOWER) >= 0) {
            slower[k] = true;
            n_slower++;
            if (c->first_slower == c->n_runs) {
                c->first_slower = k;
                c->slower_phase = primary_phase(r, DIR_SLOWER);
                c->slower_change = r->phases[c->slower_phase].avg_change;
            }
        } else if (primary_phase(r, DIR_FASTER) >= 0) {
            faster[k] = true;
            n_faster++;
        } else {
            same[k] = true;
            n_same++;
        }
    }
    c->regression = n_slower > 0;
    if (n_slower) {
        size_t f = c->first_slower, after = 0;
        bool from_on = f > c->baseline;
        int p = c->slower_phase;

        /* "from X on" when every compared run after X is slower there too */
        for (j = f + 1; j < c->n_runs && from_on; j++) {
            if (!compared(c, j))
                continue;
            after++;
            if (phase_dir(&c->runs[j], p) != DIR_SLOWER)
                from_on = false;
        }
        from_on = from_on && after > 0;
        slower_sentence(&b, c, f, p, from_on);
        slower[f] = false;
        for (j = f + 1; j < c->n_runs && from_on; j++)
            slower[j] = false;
        for (j = 0, after = 0; j < c->n_runs; j++)
            after += slower[j];
        if (after) {
            rpp__buf_printf(&b, " Also slower than %s:", x->label);
            run_list(&b, c, slower, DIR_SLOWER);
            rpp__buf_puts(&b, ".");
        }
    }
    if (n_faster) {
        rpp__buf_printf(&b, "%sFaster than %s:", b.len ? " " : "", x->label);
        run_list(&b, c, faster, DIR_FASTER);
        rpp__buf_puts(&b, ".");
    }
    if (n_same && (n_slower || n_faster)) {
        rpp__buf_printf(&b, " Within %.0f %% of %s in every phase:",
                        RPP_COMPARE_NOTABLE * 100, x->label);
        run_list(&b, c, same, DIR_NONE);
        rpp__buf_puts(&b, ".");
    } else if (n_same) {
        rpp__buf_printf(&b, "No finished run is notably faster or slower "
                            "than %s: every phase is within %.0f %%.",
                        x->label, RPP_COMPARE_NOTABLE * 100);
    } else if (!n_compared) {
        rpp__buf_printf(&b, "No run could be compared with %s.", x->label);
    }
    if (c->n_not_compared) {
        if (b.len)
            rpp__buf_putc(&b, ' ');
        not_compared_sentence(&b, c);
    }

done:
    c->verdict = b.oom ? NULL
                       : rpp__compare_printf(c, "%s", b.ptr ? b.ptr : "");
    if (!c->verdict)
        c->mem->oom = true;

cleanup:
    rpp__buf_free(&b);
    free(slower);
    free(faster);
    free(same);
}

size_t rpp_compare_failing(const rpp_comparison *c, double pct)
{
    size_t k, n = 0;

    if (!c || c->n_runs == 0)
        return 0;
    if (!c->runs[c->baseline].finished)
        return c->n_runs - 1;
    for (k = 0; k < c->n_runs; k++) {
        const rpp_compared_run *r = &c->runs[k];
        if (k == c->baseline)
            continue;
        if (!r->finished || r->worst_change < -pct / 100)
            n++;
    }
    return n;
}
