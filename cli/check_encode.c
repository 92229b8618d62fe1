/*
 * check_encode.c - owns what `rpiperf check` says about its results: the
 * line of each report and its GitHub annotations, the summary, and the
 * JSON, JUnit and markdown files. Every string from a report or a file
 * name goes through the escaping of its output (report.h, "Text output");
 * everything is appended to buffers, whose loss of text for want of
 * memory the caller checks before anything is kept.
 */
#include "cli.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

/* The first line of what is wrong with an invalid report. */
static const char *headline(const check_result *r)
{
    return r->oom || !r->headline ? "out of memory" : r->headline;
}

/* ---- GitHub workflow commands ---------------------------------------------- */

/* Length of the UTF-8 sequence a lead byte starts (1 for anything else). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Data (or, with property, a property value) of a workflow command: line
 * breaks as %0A and %0D, which GitHub shows as line breaks, '%' as %25,
 * and in properties ':' and ',' as %3A and %2C; every other control
 * character, escape sequence or bidirectional control made visible as in
 * the text output, one character at a time. */
static void put_gh(rpp_buf *b, const char *s, bool property)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        char one[5];
        size_t n, k;

        switch (*p) {
        case '\n': rpp_buf_puts(b, "%0A"); p++; continue;
        case '\r': rpp_buf_puts(b, "%0D"); p++; continue;
        case '%': rpp_buf_puts(b, "%25"); p++; continue;
        case ':':
        case ',':
            if (property) {
                rpp_buf_puts(b, *p == ':' ? "%3A" : "%2C");
                p++;
                continue;
            }
            break;
        default:
            break;
        }
        if (*p >= 0x20 && *p < 0x7f) {
            rpp_buf_put(b, (const char *)p, 1);
            p++;
            continue;
        }
        n = utf8_len(*p);
        for (k = 0; k < n && p[k]; k++)
            one[k] = (char)p[k];
        one[k] = '\0';
        rpp_escape_text(b, one, 0);
        p += k;
    }
}

static const char *gh_level(rpp_level l)
{
    switch (l) {
    case RPP_LEVEL_ERROR: return "error";
    case RPP_LEVEL_WARNING: return "warning";
    case RPP_LEVEL_INFO:
    case RPP_LEVEL_OFF: return "notice";
    }
    return "notice";
}

/* An annotation; its file is named as GitHub names the repository's
 * files, without a leading "./". */
static void put_annotation(rpp_buf *b, const char *level, const char *path,
                           const char *title, const char *message)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2 + strspn(path + 2, "/");
    rpp_buf_printf(b, "::%s file=", level);
    put_gh(b, path, true);
    rpp_buf_puts(b, ",title=rpiperf ");
    put_gh(b, title, true);
    rpp_buf_puts(b, "::");
    put_gh(b, message, false);
    rpp_buf_puts(b, "\n");
}

/* ---- the line of a report ---------------------------------------------------- */

/* A line that starts with "::" (after blanks) is a workflow command to
 * GitHub's runner: a report's file name must not start one. */
static void put_path(rpp_buf *b, const char *path, bool github)
{
    const char *p = path + strspn(path, " \t");

    if (github && p[0] == ':' && p[1] == ':')
        rpp_buf_puts(b, "./");
    rpp_escape_text(b, path, 0);
}

/* The findings at or above --fail-on, one mention per rule with how
 * often it fired: "error session-failed, warning throughput-gap (x3)". */
static void put_failures(rpp_buf *b, const check_result *r, rpp_level fail_on,
                         bool markdown)
{
    size_t k, j;
    bool any = false;

    for (k = 0; k < r->n_findings; k++) {
        size_t times = 0;
        bool earlier = false;

        if (r->findings[k].level < fail_on)
            continue;
        for (j = 0; j < r->n_findings; j++) {
            if (strcmp(r->findings[j].id, r->findings[k].id) != 0 ||
                r->findings[j].level < fail_on)
                continue;
            earlier = earlier || j < k;
            times++;
        }
        if (earlier)
            continue;
        rpp_buf_printf(b, "%s%s ", any ? ", " : "",
                       rpp_level_name(r->findings[k].level));
        if (markdown)
            rpp_escape_markdown(b, r->findings[k].id);
        else
            rpp_escape_text(b, r->findings[k].id, 0);
        if (times > 1)
            rpp_buf_printf(b, " (x%zu)", times);
        any = true;
    }
}

/* " (6 warnings, 1 info)" for the findings below --fail-on of a report
 * that passed; nothing when it has none. */
static void put_below(rpp_buf *b, const check_result *r)
{
    size_t w = check_result_count(r, RPP_LEVEL_WARNING);
    size_t i = check_result_count(r, RPP_LEVEL_INFO);

    if (!w && !i)
        return;
    rpp_buf_puts(b, " (");
    if (w)
        rpp_buf_printf(b, "%zu warning%s", w, w == 1 ? "" : "s");
    if (i)
        rpp_buf_printf(b, "%s%zu info", w ? ", " : "", i);
    rpp_buf_puts(b, ")");
}

void check_encode_line(rpp_buf *b, const check_style *st, const char *path,
                       const check_result *r)
{
    size_t k;

    switch (r->status) {
    case CHECK_INVALID:
        put_path(b, path, st->github);
        rpp_buf_puts(b, ": INVALID: ");
        rpp_escape_text(b, headline(r), 0);
        rpp_buf_puts(b, "\n");
        if (st->github)
            put_annotation(b, "error", path, "invalid report", headline(r));
        return;
    case CHECK_SKIPPED:
        if (!st->quiet) {
            put_path(b, path, st->github);
            rpp_buf_puts(b, ": SKIPPED: not a performance report\n");
        }
        return;
    case CHECK_PASSED:
        if (!st->quiet) {
            put_path(b, path, st->github);
            rpp_buf_puts(b, ": OK");
            put_below(b, r);
            rpp_buf_puts(b, "\n");
        }
        return;
    case CHECK_FAILED:
        put_path(b, path, st->github);
        rpp_buf_puts(b, ": FAIL ");
        put_failures(b, r, st->fail_on, false);
        rpp_buf_puts(b, "\n");
        break;
    }
    for (k = 0; st->github && k < r->n_findings; k++)
        if (r->findings[k].level >= st->fail_on)
            put_annotation(b, gh_level(r->findings[k].level), path,
                           r->findings[k].id, r->findings[k].message);
}

void check_encode_summary(rpp_buf *b, const check_summary *s)
{
    rpp_rule_info ri;
    size_t k;

    rpp_buf_printf(b, "\n%zu report%s: %zu passed, %zu failed, %zu invalid",
                   s->reports, s->reports == 1 ? "" : "s", s->passed,
                   s->failed, s->invalid);
    if (s->skipped)
        rpp_buf_printf(b, "; %zu file%s skipped, not a report", s->skipped,
                       s->skipped == 1 ? "" : "s");
    rpp_buf_printf(b, " (fail-on: %s, %.2f s)\n", rpp_level_name(s->fail_on),
                   s->seconds);
    if (!s->with_findings)
        return;
    rpp_buf_puts(b, "reports per rule:\n");
    for (k = 0; k < s->n_rules; k++)
        if (s->rule_reports[k] && rpp_rule_get(k, &ri))
            rpp_buf_printf(b, "  %-26s %8zu\n", ri.id, s->rule_reports[k]);
}

/* ---- JSON --------------------------------------------------------------------- */

static const char *status_word(const check_result *r)
{
    switch (r->status) {
    case CHECK_PASSED: return "passed";
    case CHECK_FAILED: return "failed";
    case CHECK_SKIPPED: return "skipped";
    case CHECK_INVALID: break;
    }
    return "invalid";
}

int check_json_begin(rpp_json **w, rpp_buf *b, rpp_level fail_on)
{
    int st = rpp_json_new(w, b, 2);

    if (st != RPP_OK)
        return st;
    rpp_json_object_begin(*w);
    rpp_json_key(*w, "tool");
    rpp_json_object_begin(*w);
    rpp_json_key(*w, "name");
    rpp_json_string(*w, "rpiperf");
    rpp_json_key(*w, "version");
    rpp_json_string(*w, RPP_VERSION_STRING);
    rpp_json_object_end(*w);
    rpp_json_key(*w, "failOn");
    rpp_json_string(*w, rpp_level_name(fail_on));
    rpp_json_key(*w, "reports");
    rpp_json_array_begin(*w);
    return rpp_json_status(*w);
}

void check_json_add(rpp_json *w, const char *path, const check_result *r)
{
    size_t k;

    rpp_json_object_begin(w);
    rpp_json_key(w, "file");
    rpp_json_string(w, path);
    rpp_json_key(w, "status");
    rpp_json_string(w, status_word(r));
    if (r->status == CHECK_INVALID) {
        rpp_json_key(w, "problems");
        rpp_json_string(w, r->oom ? "out of memory" : r->problem);
    } else if (r->status != CHECK_SKIPPED) {
        rpp_json_key(w, "findings");
        rpp_json_array_begin(w);
        for (k = 0; k < r->n_findings; k++) {
            rpp_json_object_begin(w);
            rpp_json_key(w, "id");
            rpp_json_string(w, r->findings[k].id);
            rpp_json_key(w, "severity");
            rpp_json_string(w, rpp_level_name(r->findings[k].level));
            rpp_json_key(w, "message");
            rpp_json_string(w, r->findings[k].message);
            rpp_json_key(w, "cause");
            rpp_json_string(w, r->findings[k].cause);
            rpp_json_object_end(w);
        }
        rpp_json_array_end(w);
    }
    rpp_json_key(w, "seconds");
    rpp_json_number(w, r->oom ? 0.0 : r->seconds);
    rpp_json_object_end(w);
}

int check_json_end(rpp_json *w, const check_summary *s)
{
    rpp_rule_info ri;
    size_t k;

    rpp_json_array_end(w);
    rpp_json_key(w, "summary");
    rpp_json_object_begin(w);
    rpp_json_key(w, "reports");
    rpp_json_uint(w, s->reports);
    rpp_json_key(w, "passed");
    rpp_json_uint(w, s->passed);
    rpp_json_key(w, "failed");
    rpp_json_uint(w, s->failed);
    rpp_json_key(w, "invalid");
    rpp_json_uint(w, s->invalid);
    rpp_json_key(w, "skipped");
    rpp_json_uint(w, s->skipped);
    rpp_json_key(w, "seconds");
    rpp_json_number(w, s->seconds);
    rpp_json_key(w, "rules");
    rpp_json_object_begin(w);
    for (k = 0; k < s->n_rules; k++)
        if (s->rule_reports[k] && rpp_rule_get(k, &ri)) {
            rpp_json_key(w, ri.id);
            rpp_json_uint(w, s->rule_reports[k]);
        }
    rpp_json_object_end(w);
    rpp_json_object_end(w);
    rpp_json_object_end(w);
    return rpp_json_finish(w);
}

/* ---- JUnit -------------------------------------------------------------------- */

static void attr_uint(rpp_xml *x, const char *name, size_t v)
{
    char num[32];

    snprintf(num, sizeof(num), "%zu", v);
    rpp_xml_attr(x, name, num);
}

static void attr_seconds(rpp_xml *x, const char *name, double v)
{
    char num[48];

    snprintf(num, sizeof(num), "%.3f", v);
    rpp_xml_attr(x, name, num);
}

/* A failure per finding at or above --fail-on: its rule as the type, its
 * message, and the likely cause in the text. */
static void junit_failure(rpp_xml *x, const check_finding *f)
{
    rpp_xml_element_begin(x, "failure");
    rpp_xml_attr(x, "type", f->id);
    rpp_xml_attr(x, "message", f->message);
    rpp_xml_text(x, rpp_level_name(f->level));
    rpp_xml_text(x, " ");
    rpp_xml_text(x, f->id);
    rpp_xml_text(x, ": ");
    rpp_xml_text(x, f->message);
    rpp_xml_text(x, "\nlikely cause: ");
    rpp_xml_text(x, f->cause);
    rpp_xml_element_end(x);
}

void check_junit_case(rpp_xml *x, const check_style *st, const char *path,
                      const check_result *r)
{
    size_t k;

    if (r->status == CHECK_SKIPPED)
        return;     /* not a report: not a test */
    rpp_xml_element_begin(x, "testcase");
    rpp_xml_attr(x, "classname", "rpiperf.check");
    rpp_xml_attr(x, "name", path);
    attr_seconds(x, "time", r->oom ? 0.0 : r->seconds);
    if (r->status == CHECK_INVALID) {
        rpp_xml_element_begin(x, "error");
        rpp_xml_attr(x, "type", "invalid");
        rpp_xml_attr(x, "message", headline(r));
        rpp_xml_text(x, r->oom ? "out of memory" : r->problem);
        rpp_xml_element_end(x);
    }
    for (k = 0; r->status == CHECK_FAILED && k < r->n_findings; k++)
        if (r->findings[k].level >= st->fail_on)
            junit_failure(x, &r->findings[k]);
    rpp_xml_element_end(x);
}

void check_junit_head(rpp_xml *x, const check_summary *s)
{
    static const char *const elements[] = { "testsuites", "testsuite" };
    size_t i;

    rpp_xml_declaration(x);
    for (i = 0; i < 2; i++) {
        rpp_xml_element_begin(x, elements[i]);
        rpp_xml_attr(x, "name", i ? "rpiperf check" : "rpiperf");
        attr_uint(x, "tests", s->reports);
        attr_uint(x, "failures", s->failed);
        attr_uint(x, "errors", s->invalid);
        if (i)
            rpp_xml_attr(x, "skipped", "0");
        attr_seconds(x, "time", s->seconds);
    }
    rpp_xml_element_content(x);
}

void check_junit_tail(rpp_xml *x)
{
    rpp_xml_element_end(x);
    rpp_xml_element_end(x);
}

/* ---- markdown ------------------------------------------------------------------ */

void check_markdown_row(rpp_buf *b, const check_style *st, const char *path,
                        const check_result *r)
{
    if (r->status != CHECK_FAILED && r->status != CHECK_INVALID)
        return;
    rpp_buf_puts(b, "| ");
    rpp_escape_markdown(b, path);
    if (r->status == CHECK_INVALID) {
        rpp_buf_puts(b, " | invalid | ");
        rpp_escape_markdown(b, headline(r));
    } else {
        rpp_buf_puts(b, " | failed | ");
        put_failures(b, r, st->fail_on, true);
    }
    rpp_buf_puts(b, " |\n");
}

void check_markdown_head(rpp_buf *b, const check_summary *s, size_t rows)
{
    rpp_buf_printf(b,
                   "### rpiperf check\n\n"
                   "**%zu report%s: %zu passed, %zu failed, %zu invalid**",
                   s->reports, s->reports == 1 ? "" : "s", s->passed,
                   s->failed, s->invalid);
    if (s->skipped)
        rpp_buf_printf(b, "; %zu file%s skipped, not a report", s->skipped,
                       s->skipped == 1 ? "" : "s");
    rpp_buf_printf(b, " (fail-on: %s, %.2f s)\n\n", rpp_level_name(s->fail_on),
                   s->seconds);
    if (rows)
        rpp_buf_puts(b, "| report | result | findings at or above fail-on, "
                        "or the problem |\n| --- | --- | --- |\n");
    else if (s->reports)
        rpp_buf_puts(b, "Every report passed.\n");
}

void check_markdown_tail(rpp_buf *b, const check_summary *s, size_t rows)
{
    rpp_rule_info ri;
    size_t k;

    if (rows > CHECK_MD_MAX_ROWS)
        rpp_buf_printf(b,
                       "\n%zu more reports that did not pass are not listed "
                       "here; the JUnit and JSON files list every report.\n",
                       rows - CHECK_MD_MAX_ROWS);
    if (!s->with_findings)
        return;
    rpp_buf_puts(b, "\n<details><summary>Reports per rule</summary>\n\n"
                    "| rule | reports |\n| --- | ---: |\n");
    for (k = 0; k < s->n_rules; k++)
        if (s->rule_reports[k] && rpp_rule_get(k, &ri)) {
            rpp_buf_puts(b, "| ");
            rpp_escape_markdown(b, ri.id);
            rpp_buf_printf(b, " | %zu |\n", s->rule_reports[k]);
        }
    rpp_buf_puts(b, "\n</details>\n");
}
