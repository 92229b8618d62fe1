/*
 * format.c - entry point of the output formats and what they share:
 * redaction of report strings, and what a finding already says.
 */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rpp__fmt_text(fmt_ctx *fc, const char *s)
{
    const char *r;

    if (!s)
        return "";
    if (!fc->rd)
        return s;
    r = rpp_redact_text(fc->rd, s);
    if (!r) {
        fc->oom = true;
        return "";
    }
    return r;
}

const char *rpp__fmt_name(fmt_ctx *fc, const char *kind, const char *s)
{
    const char *r;

    if (!s)
        return "";
    if (!fc->rd)
        return s;
    r = rpp_redact(fc->rd, kind, s);
    if (!r) {
        fc->oom = true;
        return "";
    }
    return r;
}

void rpp__fmt_ms(char *out, size_t n, double ms)
{
    rpp_human_duration(out, n, ms);
}

void rpp__fmt_bytes(char *out, size_t n, double bytes)
{
    rpp_human_bytes(out, n, bytes);
}

bool rpp__fmt_said(const rpp_finding *f, const char *s, bool also_cause)
{
    if (!s || !*s)
        return false;
    /* short values (a number, a name) may well appear in a sentence and
     * still be worth showing on their own */
    if (strlen(s) < 24)
        return false;
    return (f->message && strstr(f->message, s)) ||
           (also_cause && f->cause && strstr(f->cause, s));
}

int rpp__fmt_begin(fmt_ctx *fc, rpp__buf *b, const void *what,
                   const rpp_format_opts *opts, unsigned min_width,
                   char **out, size_t *len)
{
    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (len)
        *len = 0;
    if (!what || (opts && opts->version > RPP_FORMAT_OPTS_VERSION))
        return RPP_ERR_ARG;
    memset(fc, 0, sizeof(*fc));
    if (opts)
        fc->opts = *opts;
    if (!fc->opts.width)
        fc->opts.width = 100;
    if (fc->opts.width < min_width)
        fc->opts.width = min_width;
    fc->out = b;
    if (fc->opts.redact && fc->opts.redactor)
        fc->rd = fc->opts.redactor;
    else if (fc->opts.redact && rpp_redactor_new(&fc->rd) != RPP_OK)
        return RPP_ERR_NOMEM;
    /* the file's own name may hold a home directory too */
    if (fc->rd && fc->opts.file_name)
        fc->opts.file_name = rpp__fmt_text(fc, fc->opts.file_name);
    return RPP_OK;
}

int rpp__fmt_end(fmt_ctx *fc, int st, char **out, size_t *len)
{
    rpp__buf *b = fc->out;

    if (fc->rd != fc->opts.redactor)
        rpp_redactor_free(fc->rd);
    fc->rd = NULL;
    if (st == RPP_OK && (b->oom || fc->oom))
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp__buf_free(b);
        return st;
    }
    if (len)
        *len = b->len;
    *out = rpp__buf_detach(b);
    return *out ? RPP_OK : RPP_ERR_NOMEM;
}

int rpp_analysis_format(const rpp_analysis *a, rpp_format fmt,
                        const rpp_format_opts *opts, char **out, size_t *len)
{
    rpp__buf b = RPP__BUF_INIT;
    fmt_ctx fc;
    int st = rpp__fmt_begin(&fc, &b, a, opts, 60, out, len);

    if (st != RPP_OK)
        return st;
    fc.a = a;
    switch (fmt) {
    case RPP_FORMAT_JSON: rpp__fmt_json(&fc); break;
    case RPP_FORMAT_TEXT: rpp__fmt_textual(&fc); break;
    case RPP_FORMAT_MARKDOWN: rpp__fmt_markdown(&fc); break;
    default: st = RPP_ERR_ARG; break;
    }
    return rpp__fmt_end(&fc, st, out, len);
}
