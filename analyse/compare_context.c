/*
 * compare_context.c - owns the context table of a comparison: what each
 * run was (format version, Imager, OS, CPU cores, image, device, how it
 * ended, direct I/O, sync interval, start, bottleneck) as one cell of text
 * per row and run, for the text, markdown and HTML outputs alike.
 */
#include "compare.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const labels[RPP_COMPARE_CONTEXT_ROWS] = {
    "format", "Imager", "OS", "CPU cores", "image", "image size", "device",
    "device size", "state", "direct I/O", "sync every", "started (UTC)",
    "bottleneck"
};

/* A report string, replaced by its placeholder when redacting; NULL when
 * out of memory. */
static const char *shown(rpp_redactor *rd, const char *kind, const char *s)
{
    if (!rd || !s || !*s)
        return s;
    return rpp_redact(rd, kind, s);
}

int rpp_compare_context(const rpp_comparison *c, size_t row, size_t k,
                        rpp_redactor *rd, const char **label, char *buf,
                        size_t n)
{
    const rpp_analysis *a;
    const rpp_report *r;
    const rpp_system *s;
    const char *v;
    char t[48], u[48];

    if (!c || !label || !buf || !n)
        return RPP_ERR_ARG;
    if (row >= RPP_COMPARE_CONTEXT_ROWS || k >= c->n_runs)
        return RPP_ERR_NOT_FOUND;
    *label = labels[row];
    a = c->runs[k].analysis;
    r = a->report;
    s = r->system.present ? &r->system : NULL;
    snprintf(buf, n, "-");
    switch (row) {
    case 0:
        snprintf(buf, n, "%d", r->version);
        break;
    case 1:
        if (s && s->has_imager && *s->imager.version)
            snprintf(buf, n, "%s", s->imager.version);
        break;
    case 2:
        if (s && s->has_platform && *s->platform.os)
            snprintf(buf, n, "%s %s", s->platform.os, s->platform.os_version);
        break;
    case 3:
        if (s && s->has_platform && s->platform.cpu_cores)
            snprintf(buf, n, "%llu", (unsigned long long)s->platform.cpu_cores);
        break;
    case 4:
    case 6:
        v = row == 4 ? r->summary.image_name : r->summary.device_name;
        if (v && *v) {
            v = shown(rd, row == 4 ? "image" : "device", v);
            if (!v)
                return RPP_ERR_NOMEM;
            snprintf(buf, n, "%s", v);
        }
        break;
    case 5:
        if (r->summary.image_size) {
            rpp__fmt_bytes(t, sizeof(t), (double)r->summary.image_size);
            snprintf(buf, n, "%s", t);
        }
        break;
    case 7:
        if (s && s->has_target && s->target.size_bytes) {
            rpp__fmt_bytes(t, sizeof(t), (double)s->target.size_bytes);
            snprintf(buf, n, "%s%s", t, s->target.is_usb ? " USB" : "");
        }
        break;
    case 8:
        if (*rpp_session_state_name(a->session.state))
            snprintf(buf, n, "%s", rpp_session_state_name(a->session.state));
        break;
    case 9:
        if (s && s->has_write_config)
            snprintf(buf, n, "%s",
                     s->write_config.direct_io_enabled ? "on" : "off");
        break;
    case 10:
        if (!s || !s->has_write_config)
            break;
        if (!s->write_config.periodic_sync_enabled) {
            snprintf(buf, n, "off");
        } else if (s->write_config.has_sync_interval) {
            rpp__fmt_ms(t, sizeof(t), (double)s->write_config.sync_interval_ms);
            snprintf(u, sizeof(u), "%llu MB",
                     (unsigned long long)s->write_config.sync_interval_mb);
            snprintf(buf, n, "%s, %s", u, t);
        } else {
            snprintf(buf, n, "on");
        }
        break;
    case 11: {
        /* before the year 10000, so that the text keeps its width */
        time_t secs = (time_t)(r->summary.session_start_time / 1000);
        struct tm tmv;
        if (r->summary.session_start_time &&
            r->summary.session_start_time < 253402300800000ULL &&
            gmtime_r(&secs, &tmv) &&
            strftime(t, sizeof(t), "%Y-%m-%d %H:%M", &tmv))
            snprintf(buf, n, "%s", t);
        break;
    }
    case 12:
        if (a->bottleneck.kind == RPP_BOTTLENECK_UNKNOWN)
            snprintf(buf, n, "%s", rpp_bottleneck_name(a->bottleneck.kind));
        else
            snprintf(buf, n, "%s (%s)", rpp_bottleneck_name(a->bottleneck.kind),
                     rpp_confidence_name(a->bottleneck.confidence));
        break;
    default:
        break;
    }
    return RPP_OK;
}
