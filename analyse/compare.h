/*
 * compare.h - shared by the files of the comparison (compare.c the model,
 * compare_verdict.c the verdict and the --fail-slower check,
 * compare_text.c text and markdown, compare_json.c JSON); not installed.
 */
#ifndef RPIPERF_COMPARE_H
#define RPIPERF_COMPARE_H

#include "format.h"

/* An event type's total time changes notably from this share and this
 * many ms up or down; its count from this share. */
#define RPP_COMPARE_TYPE_SHARE 0.25
#define RPP_COMPARE_TYPE_MIN_MS 1000.0
/* Names a sentence of the verdict lists before "and N more". */
#define RPP_COMPARE_LIST_MAX 12

/* The report's format version (2 or 3). */
static inline int rpp__compare_format_version(const rpp_compared_run *r)
{
    return r->analysis->report->version;
}

/* (after - before) / before; NAN when before is not above 0 or either is
 * not finite. */
double rpp__compare_change(double before, double after);

/* Whether a report of format version `version` can express a finding of
 * rule `id` about phase `phase` (-1: none). The rules that need version 3
 * are one table in compare.c. */
bool rpp__compare_expressible(const char *id, int phase, int version);

/* A string in the comparison's arena; NULL (and the comparison marked out
 * of memory) on failure. */
char *rpp__compare_printf(rpp_comparison *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes the verdict and its fields (compare_verdict.c). */
void rpp__compare_verdict(rpp_comparison *c);

/* The outputs (compare_text.c, compare_json.c). */
void rpp__compare_text(fmt_ctx *fc, const rpp_comparison *c);
void rpp__compare_markdown(fmt_ctx *fc, const rpp_comparison *c);
void rpp__compare_json(fmt_ctx *fc, const rpp_comparison *c);

/* The number of UTF-8 characters in s[0..n); the byte length of the first
 * k characters of s. */
size_t rpp__compare_chars(const char *s, size_t n);
size_t rpp__compare_char_bytes(const char *s, size_t k);

/* A change as people read it: "-48 %", "+5 %", "0 %". */
void rpp__compare_pct(char *out, size_t n, double change);

#endif
