/*
 * format.h - shared by the output formats of the analysis; not installed.
 */
#ifndef RPIPERF_FORMAT_H
#define RPIPERF_FORMAT_H

#include "internal.h"

#include <math.h>

typedef struct fmt_ctx {
    const rpp_analysis *a;
    rpp_format_opts opts;
    rpp__buf *out;
    rpp__jw jw;
    rpp_redactor *rd;       /* set when opts.redact */
    bool oom;
} fmt_ctx;

/* Text from the report (metadata, messages): redacted when asked. The
 * result still needs escaping for the output format. */
const char *rpp__fmt_text(fmt_ctx *fc, const char *s);
/* A name of the given kind ("image", "device", "hash"): a placeholder when
 * redacting. */
const char *rpp__fmt_name(fmt_ctx *fc, const char *kind, const char *s);

/* "1.2 s", "3 min 05 s", "450 ms" */
void rpp__fmt_ms(char *out, size_t n, double ms);
/* "5.5 GiB", "300 MiB", "12 KiB" */
void rpp__fmt_bytes(char *out, size_t n, double bytes);

static inline double round2(double v) { return isfinite(v) ? round(v * 100) / 100 : 0; }
static inline double round4(double v) { return isfinite(v) ? round(v * 10000) / 10000 : 0; }
static inline double kbps_to_mbps2(double kbps) { return round2(kbps / RPP_KBPS_PER_MBPS); }

void rpp__fmt_json(fmt_ctx *fc);
void rpp__fmt_textual(fmt_ctx *fc);
void rpp__fmt_markdown(fmt_ctx *fc);

#endif
