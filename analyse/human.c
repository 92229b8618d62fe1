/*
 * human.c - values in words, for every output: durations, timeline
 * positions, sizes, rates, percentages, shares of wall time, states, the
 * summary's system and device lines, the bottleneck verdict and evidence
 * values. The text, markdown, JSON and
 * HTML outputs, the charts and the finding messages all call these, so
 * that one value reads the same everywhere.
 *
 * Each value is rounded to the unit its text ends in before the unit is
 * chosen: 119.95 s rounds to 120 s and so reads "2 min 00 s", never
 * "120.0 s" nor "1 min 60 s".
 */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BYTES_PER_UNIT ((double)RPP_BYTES_PER_KB)

/* snprintf into buf, returning the length of the whole text as a size_t. */
static size_t put(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static size_t put(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(n ? buf : NULL, n, fmt, ap);
    va_end(ap);
    return len < 0 ? 0 : (size_t)len;
}

/* Splits the sign off v: returns "-" for negative values, "" otherwise,
 * and stores the magnitude. */
static const char *sign_of(double v, double *mag)
{
    *mag = fabs(v);
    return v < 0 && *mag > 0 ? "-" : "";
}

size_t rpp_human_duration(char *buf, size_t n, double ms)
{
    const char *sg;
    double v, r;

    if (!isfinite(ms))
        return put(buf, n, "-");
    sg = sign_of(ms, &v);
    if ((r = round(v)) < 1000)
        return put(buf, n, "%s%.0f ms", r == 0 ? "" : sg, r);
    /* seconds with a decimal up to two minutes: "95.3 s" reads at once */
    if ((r = round(v / 100)) < 1200)                /* tenths of a second */
        return put(buf, n, "%s%.1f s", sg, r / 10);
    if ((r = round(v / 1000)) < 3600)               /* seconds */
        return put(buf, n, "%s%.0f min %02.0f s", sg, floor(r / 60),
                   r - 60 * floor(r / 60));
    if ((r = round(v / 60000)) < 48 * 60)           /* minutes */
        return put(buf, n, "%s%.0f h %02.0f min", sg, floor(r / 60),
                   r - 60 * floor(r / 60));
    r = round(v / 3600000);                         /* hours */
    return put(buf, n, "%s%.0f d %02.0f h", sg, floor(r / 24),
               r - 24 * floor(r / 24));
}

size_t rpp_human_position(char *buf, size_t n, double ms)
{
    /* the time since the start of the capture, in the words of a
     * duration: "at 13.1 s", "at 4 min 15 s" */
    return rpp_human_duration(buf, n, ms);
}

/* v (>= 0) in the largest of units[] that keeps it below 1024 once
 * rounded as shown: one decimal below 100, none from 100. */
static size_t scaled(char *buf, size_t n, const char *sg, double v,
                     const char *const *units, size_t n_units)
{
    size_t u = 0;
    double r;

    for (;;) {
        r = v < 99.95 ? round(v * 10) / 10 : round(v);
        if (r < BYTES_PER_UNIT || u + 1 == n_units)
            break;
        v /= BYTES_PER_UNIT;
        u++;
    }
    if (r < 100)
        return put(buf, n, "%s%.1f %s", r == 0 ? "" : sg, r, units[u]);
    return put(buf, n, "%s%.0f %s", sg, r, units[u]);
}

size_t rpp_human_bytes(char *buf, size_t n, double bytes)
{
    static const char *const units[] = { "KB", "MB", "GB", "TB", "PB",
                                         "EB" };
    const char *sg;
    double v;

    if (!isfinite(bytes))
        return put(buf, n, "-");
    sg = sign_of(bytes, &v);
    if (round(v) < BYTES_PER_UNIT)
        return put(buf, n, "%s%.0f B", round(v) == 0 ? "" : sg, round(v));
    return scaled(buf, n, sg, v / BYTES_PER_UNIT, units,
                  sizeof(units) / sizeof(units[0]));
}

size_t rpp_human_mbps(char *buf, size_t n, double kbps)
{
    const char *sg;
    double v, r;
    int dec;

    if (!isfinite(kbps))
        return put(buf, n, "-");
    sg = sign_of(kbps / KBPS_PER_MBPS, &v);
    /* one decimal, more only where one decimal would read 0.0 */
    dec = 1;
    r = round(v * 10) / 10;
    while (r == 0 && v > 0 && dec < 3) {
        dec++;
        r = round(v * pow(10, dec)) / pow(10, dec);
    }
    return put(buf, n, "%s%.*f", r == 0 ? "" : sg, dec, r);
}

size_t rpp_human_rate(char *buf, size_t n, double kbps)
{
    char num[40];

    if (!isfinite(kbps))
        return put(buf, n, "-");
    rpp_human_mbps(num, sizeof(num), kbps);
    return put(buf, n, "%s MB/s", num);
}

size_t rpp_human_percent(char *buf, size_t n, double share)
{
    const char *sg;
    double v, r;

    if (!isfinite(share))
        return put(buf, n, "-");
    sg = sign_of(share * 100, &v);
    if (v == 0)
        return put(buf, n, "0 %%");
    if ((r = round(v * 10)) == 0)
        return put(buf, n, *sg ? "> -0.1 %%" : "< 0.1 %%");
    if (r < 100)
        return put(buf, n, "%s%.1f %%", sg, r / 10);
    return put(buf, n, "%s%.0f %%", sg, round(v));
}

/* A size in the report's two spellings: bytes, or MB when only that. */
static double bytes_or_mb(uint64_t bytes, uint64_t mb)
{
    return bytes ? (double)bytes : (double)mb * (double)RPP_BYTES_PER_MB;
}

size_t rpp_human_writes(char *buf, size_t n, const rpp_system *s)
{
    char sync[48] = "", buffers[96] = "", size[32];
    double v;

    if (!s)
        return put(buf, n, "%s", "");
    if (s->write_config.periodic_sync_enabled) {
        v = bytes_or_mb(s->write_config.sync_interval_bytes,
                        s->write_config.sync_interval_mb);
        if (v > 0) {
            rpp_human_bytes(size, sizeof(size), v);
            snprintf(sync, sizeof(sync), ", sync every %s", size);
        } else {
            snprintf(sync, sizeof(sync), ", periodic sync");
        }
    } else {
        snprintf(sync, sizeof(sync), ", no periodic sync");
    }
    if (s->has_buffers && s->write_config.buffers.write_buffer_kb) {
        rpp_human_bytes(size, sizeof(size),
                        (double)s->write_config.buffers.write_buffer_kb *
                            RPP_BYTES_PER_KB);
        if (s->write_config.buffers.write_ring_buffer_slots)
            snprintf(buffers, sizeof(buffers), ", %s write buffers x %llu",
                     size, (unsigned long long)s->write_config.buffers
                               .write_ring_buffer_slots);
        else
            snprintf(buffers, sizeof(buffers), ", %s write buffers", size);
    }
    return put(buf, n, "direct I/O %s%s%s",
               s->write_config.direct_io_enabled ? "on" : "off", sync,
               buffers);
}

/* ---- Summary lines ----------------------------------------------------- */

static void line_add(rpp_line *l, rpp_part_kind kind, const char *text,
                     const char *name_kind)
{
    if (l->n >= RPP_LINE_PARTS)
        return;
    l->parts[l->n].kind = kind;
    l->parts[l->n].text = text;
    l->parts[l->n].name_kind = name_kind;
    l->n++;
}

static void line_words(rpp_line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Words of rpiperf, kept in the line's store. */
static void line_words(rpp_line *l, const char *fmt, ...)
{
    size_t room = sizeof(l->words) - l->used;
    char *at = l->words + l->used;
    va_list ap;
    int k;

    if (room < 2)
        return;
    va_start(ap, fmt);
    k = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    l->used += ((size_t)k < room ? (size_t)k : room - 1) + 1;
    line_add(l, RPP_PART_WORDS, at, NULL);
}

/* A separator, when something came before. */
static void line_sep(rpp_line *l, const char *sep)
{
    if (l->n)
        line_add(l, RPP_PART_WORDS, sep, NULL);
}

static bool given(const char *s)
{
    return s && *s;
}

void rpp_human_system_line(rpp_line *l, const rpp_system *s)
{
    double ram = bytes_or_mb(s->memory.total_bytes, s->memory.total_mb);
    char size[32];

    memset(l, 0, sizeof(*l));
    if (given(s->platform.os))
        line_add(l, RPP_PART_TEXT, s->platform.os, NULL);
    if (given(s->platform.os_version)) {
        line_sep(l, " ");
        line_add(l, RPP_PART_TEXT, s->platform.os_version, NULL);
    }
    if (given(s->platform.cpu_architecture)) {
        line_sep(l, ", ");
        line_add(l, RPP_PART_TEXT, s->platform.cpu_architecture, NULL);
    }
    if (s->platform.cpu_cores) {
        line_sep(l, ", ");
        line_words(l, "%llu core%s",
                   (unsigned long long)s->platform.cpu_cores,
                   s->platform.cpu_cores == 1 ? "" : "s");
    }
    if (ram > 0) {
        line_sep(l, ", ");
        rpp_human_bytes(size, sizeof(size), ram);
        line_words(l, "%s RAM", size);
    }
    if (given(s->imager.version)) {
        line_add(l, RPP_PART_WORDS, l->n ? "; Imager " : "Imager ", NULL);
        line_add(l, RPP_PART_TEXT, s->imager.version, NULL);
    }
}

void rpp_human_device_line(rpp_line *l, const rpp_report *r)
{
    const rpp_system *s = &r->system;
    const char *dev = given(r->summary.device_name) ? r->summary.device_name
                      : s->has_target ? s->target.path : NULL;
    char size[32];
    double bytes;

    memset(l, 0, sizeof(*l));
    if (given(dev))
        line_add(l, RPP_PART_NAME, dev, "device");
    else
        line_add(l, RPP_PART_WORDS, "(none)", NULL);
    if (!s->has_target)
        return;
    bytes = bytes_or_mb(s->target.size_bytes, s->target.size_mb);
    if (bytes > 0) {
        rpp_human_bytes(size, sizeof(size), bytes);
        line_words(l, ", %s", size);
    }
    if (given(s->target.description)) {
        line_sep(l, ", ");
        line_add(l, RPP_PART_NAME, s->target.description, "description");
    }
    if (s->target.is_usb)
        line_add(l, RPP_PART_WORDS, ", USB", NULL);
    if (s->target.is_removable)
        line_add(l, RPP_PART_WORDS, ", removable", NULL);
}

size_t rpp_human_share(char *buf, size_t n, rpp_category c, double share,
                       uint64_t wall_ms)
{
    if (c == RPP_CAT_PIPELINE)
        return put(buf, n, "(totals)");
    if (!wall_ms)
        return put(buf, n, "-");
    return rpp_human_percent(buf, n, share);
}

const char *rpp_human_state(rpp_session_state s)
{
    switch (s) {
    case RPP_STATE_NONE: return "";
    case RPP_STATE_NEVER_STARTED: return "never started";
    case RPP_STATE_IN_PROGRESS: return "in progress";
    case RPP_STATE_SUCCEEDED: return "succeeded";
    case RPP_STATE_FAILED: return "failed";
    case RPP_STATE_CANCELLED: return "cancelled";
    case RPP_STATE_UNRECOGNISED: return "unrecognised";
    }
    return "";
}

size_t rpp_human_bottleneck(char *buf, size_t n, rpp_bottleneck_kind kind,
                            rpp_confidence confidence)
{
    const char *what = NULL;

    switch (kind) {
    case RPP_BOTTLENECK_UNKNOWN: break;
    case RPP_BOTTLENECK_NETWORK: what = "network"; break;
    case RPP_BOTTLENECK_CPU: what = "CPU"; break;
    case RPP_BOTTLENECK_DISK: what = "disk"; break;
    }
    if (!what)
        return put(buf, n, "not determined");
    if (confidence == RPP_CONFIDENCE_NONE)
        return put(buf, n, "%s", what);
    return put(buf, n, "%s (%s confidence)", what,
               rpp_confidence_name(confidence));
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);

    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* A plain number with at most two decimals, trailing zeros dropped. */
static size_t plain_number(char *buf, size_t n, double d)
{
    char tmp[64];
    size_t len;

    if (!isfinite(d))
        return put(buf, n, "-");
    len = put(tmp, sizeof(tmp), "%.2f", d);
    if (len >= sizeof(tmp))
        return put(buf, n, "%.0f", d);
    while (len && tmp[len - 1] == '0')
        tmp[--len] = '\0';
    if (len && tmp[len - 1] == '.')
        tmp[--len] = '\0';
    if (strcmp(tmp, "-0") == 0)
        return put(buf, n, "0");
    return put(buf, n, "%s", tmp);
}

size_t rpp_human_value(char *buf, size_t n, const rpp_value *v)
{
    const char *key;
    double d;

    if (!v)
        return put(buf, n, "-");
    key = v->key ? v->key : "";
    switch (v->kind) {
    case RPP_VALUE_BOOL: return put(buf, n, "%s", v->i ? "yes" : "no");
    case RPP_VALUE_STR: return put(buf, n, "%s", v->s ? v->s : "");
    case RPP_VALUE_INT: d = (double)v->i; break;
    case RPP_VALUE_NUM: d = v->d; break;
    default: return put(buf, n, "-");
    }
    if (strcmp(key, "at_ms") == 0 || ends_with(key, "_at_ms"))
        return rpp_human_position(buf, n, d);
    if (ends_with(key, "_ms"))
        return rpp_human_duration(buf, n, d);
    if (ends_with(key, "_mbps"))
        return rpp_human_rate(buf, n, d * KBPS_PER_MBPS);
    if (ends_with(key, "_bytes") || strcmp(key, "bytes") == 0)
        return rpp_human_bytes(buf, n, d);
    if (strcmp(key, "share") == 0 || ends_with(key, "_share"))
        return rpp_human_percent(buf, n, d);
    if (v->kind == RPP_VALUE_INT)
        return put(buf, n, "%lld", (long long)v->i);
    return plain_number(buf, n, d);
}
