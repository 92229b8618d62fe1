/*
 * test_format.c - what the outputs say and how: the text report's layout
 * (no empty fields, line breaks of report strings, nothing cut, every line
 * within 100 columns), the markdown within GitHub's limit with lists that
 * say what they left out, one vocabulary and one way of writing a value in
 * text, markdown, JSON and HTML, and the redactor's kinds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rpiperf/analyse.h>
#include <rpiperf/render.h>
#include <rpiperf/writer.h>
#include "support_synth.h"

#define REF "tests/data/reference/upstream-writer/"
#define STALL_MESSAGE "Write stalled - no progress for 180 seconds.\n\n" \
                      "Please check your storage device and try again."

/* ---- helpers ----------------------------------------------------------- */

typedef struct outputs {
    rpp_report *r;
    rpp_analysis *a;
    char *text, *md, *json, *html;
} outputs;

static char *format(const rpp_analysis *a, rpp_format f)
{
    rpp_format_opts o = RPP_FORMAT_OPTS_INIT;
    char *out = NULL;
    size_t len = 0;

    o.file_name = "x.json";
    assert_int_equal(rpp_analysis_format(a, f, &o, &out, &len), RPP_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

/* Every output of report r (taken over) analysed with the rule settings
 * sets (NULL-terminated, may be NULL). */
static void make(outputs *o, rpp_report *r, const char *const *sets)
{
    rpp_rules *rules = NULL;
    rpp_html_opts ho = RPP_HTML_OPTS_INIT;
    size_t len = 0;

    memset(o, 0, sizeof(*o));
    o->r = r;
    assert_int_equal(rpp_rules_new(&rules), RPP_OK);
    for (; sets && *sets; sets++)
        assert_int_equal(rpp_rules_set(rules, *sets, NULL), RPP_OK);
    assert_int_equal(rpp_analysis_run(&o->a, r, rules), RPP_OK);
    rpp_rules_free(rules);
    o->text = format(o->a, RPP_FORMAT_TEXT);
    o->md = format(o->a, RPP_FORMAT_MARKDOWN);
    o->json = format(o->a, RPP_FORMAT_JSON);
    ho.chart_width = 400;
    assert_int_equal(rpp_render_html(r, o->a, &ho, &o->html, &len), RPP_OK);
}

static void drop(outputs *o)
{
    free(o->text);
    free(o->md);
    free(o->json);
    free(o->html);
    rpp_analysis_free(o->a);
    rpp_report_free(o->r);
}

static rpp_report *load_ref(const char *name)
{
    char path[256];
    rpp_report *r = NULL;

    snprintf(path, sizeof(path), REF "%s", name);
    assert_int_equal(rpp_report_load_file(&r, path, NULL, NULL), RPP_OK);
    return r;
}

static void has(const char *out, const char *what)
{
    if (!strstr(out, what))
        fail_msg("expected \"%s\" in:\n%s", what, out);
}

static void lacks(const char *out, const char *what)
{
    const char *p = strstr(out, what);

    if (p)
        fail_msg("did not expect \"%s\" in: ...%.200s", what,
                 p > out + 100 ? p - 100 : out);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

/* The width of the widest line (code points). */
static size_t widest(const char *s)
{
    size_t w = 0, best = 0;

    for (; *s; s++) {
        if (*s == '\n') {
            w = 0;
            continue;
        }
        if (((unsigned char)*s & 0xc0) != 0x80 && ++w > best)
            best = w;
    }
    return best;
}

/* ---- text layout ------------------------------------------------------- */

static void test_text__empty_fields_of_a_library_report_are_left_out(void **state)
{
    rpp_writer *w = NULL;
    rpp_writer_system sys;
    rpp_report *r = NULL;
    outputs o;
    char *json = NULL;
    size_t len = 0;
    (void)state;

    /* what a program that fills only some fields writes with the library */
    assert_int_equal(rpp_writer_new(&w, 3, NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_start(w, "img", 0, "/dev/sdb"), RPP_OK);
    memset(&sys, 0, sizeof(sys));
    sys.version = RPP_WRITER_SYSTEM_VERSION;
    sys.os_name = "Linux";
    sys.cpu_core_count = 4;
    sys.device_path = "/dev/sdb";
    assert_int_equal(rpp_writer_set_system(w, &sys), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_export_string(w, &json, &len), RPP_OK);
    assert_int_equal(rpp_report_load_buffer(&r, json, len, NULL, NULL), RPP_OK);
    make(&o, r, NULL);
    has(o.text, "\n  System   Linux, 4 cores\n");
    has(o.text, "\n  Device   /dev/sdb\n");
    lacks(o.text, " , ");
    lacks(o.text, "0 B");
    has(o.md, "| System | Linux, 4 cores |\n");
    has(o.md, "| Device | /dev/sdb |\n");
    has(o.html, "<th>System</th><td>Linux, 4 cores</td>");
    drop(&o);
    free(json);
    rpp_writer_free(w);
}

static void test_text__device_size_and_usb_details(void **state)
{
    outputs o;
    (void)state;

    make(&o, load_ref("v3-io-bound.json"), NULL);
    has(o.text, "\n  Device   /dev/sdc, 14.8 GB, USB, removable\n");
    has(o.text, "\n  Writes   direct I/O off, sync every 248 MB, 8.0 MB write "
                "buffers x 516\n");
    has(o.md, "| Device | /dev/sdc, 14.8 GB, USB, removable |\n");
    has(o.md, "| Writes | direct I/O off, sync every 248 MB, 8.0 MB write "
              "buffers x 516 |\n");
    drop(&o);
}

static void test_text__line_breaks_of_report_strings_start_lines(void **state)
{
    synth *s = synth_new(3);
    outputs o;
    cJSON *root, *f;
    (void)state;

    synth_session(s, "failed", false, STALL_MESSAGE, 1764579600000ULL,
                  600000);
    synth_event(s, "driveOpen", 0, 400, true, NULL);
    make(&o, synth_load(s), NULL);
    /* text: each line of the message on its own line, indented */
    has(o.text, "\n  Result   failed: Write stalled - no progress for 180 "
                "seconds.\n           Please check your storage device and "
                "try again.\n");
    has(o.text, "\n          the write failed: Write stalled - no progress "
                "for 180 seconds.\n          Please check your storage "
                "device and try again.\n");
    lacks(o.text, "\\x0a");
    /* and stated once in the finding: neither its cause nor its evidence
     * repeats it (the summary's Result line is the other) */
    assert_int_equal(count(o.text, "Please check your storage device"), 2);
    /* markdown and HTML: <br> */
    has(o.md, "seconds.<br><br>Please check your storage device");
    lacks(o.md, "\\x0a");
    has(o.html, "seconds.<br><br>Please check your storage device");
    lacks(o.html, "\\x0a");
    /* JSON: \n in the string */
    has(o.json, "seconds.\\n\\nPlease check");
    root = cJSON_Parse(o.json);
    assert_non_null(root);
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    has(cJSON_GetObjectItem(f, "message")->valuestring, "seconds.\n\nPlease");
    cJSON_Delete(root);
    drop(&o);
    synth_free(s);
}

static void test_text__long_values_wrap_and_are_never_cut(void **state)
{
    static const char url[] =
        "https://downloads.raspberrypi.com/raspios_arm64/images/"
        "raspios_arm64-2025-11-24/2025-11-24-raspios-trixie-arm64-full."
        "img.xz?mirror=nearest&session=0123456789";
    synth *s = synth_new(3);
    outputs o;
    char meta[512], *flat, *p, *q;
    (void)state;

    snprintf(meta, sizeof(meta), "%s; note: the download was retried "
             "three times before the mirror answered", url);
    synth_event(s, "osListFetch", 0, 25000, false, meta);
    make(&o, synth_load(s), NULL);
    assert_true(widest(o.text) <= 100);
    lacks(o.text, "...");
    /* the URL is all there once the wrapped lines are put together */
    flat = strdup(o.text);
    for (p = q = flat; *p; p++)
        if (*p != '\n' && *p != ' ')
            *q++ = *p;
    *q = '\0';
    has(flat, url);
    free(flat);
    drop(&o);
    synth_free(s);
}

/* ---- one way to write a value ------------------------------------------- */

static void test_values__a_179_7_s_event_reads_the_same_everywhere(void **state)
{
    static const char *const quiet[] = { "slow-customisation=off", NULL };
    synth *s = synth_new(3);
    outputs o;
    (void)state;

    synth_event(s, "customisation", 1000, 179700, true, "config: set");
    /* the rule's own message aside, every output writes the event */
    make(&o, synth_load(s), quiet);
    has(o.text, "customisation      1  3 min 00 s  3 min 00 s  3 min 00 s  "
                "3 min 00 s       0\n");
    has(o.text, "\n  3 min 00 s  customisation  1.0 s  config: set\n");
    has(o.md, "| customisation | 1 | 3 min 00 s | 3 min 00 s | 3 min 00 s "
              "| 3 min 00 s | 0 |\n");
    has(o.md, "| 3 min 00 s | customisation | 1.0 s | config: set |\n");
    has(o.md, "| 0 | 1.0 s | customisation | 3 min 00 s | yes | "
              "config: set |\n");
    assert_int_equal(count(o.html, "data-v=\"179700\">3 min 00 s</td>"), 5);
    has(o.json, "\"maxMs\": 179700");
    lacks(o.text, "2 min 59 s");
    lacks(o.md, "2 min 59 s");
    lacks(o.html, "2 min 59 s");
    lacks(o.text, "2 min 60 s");
    lacks(o.md, "2 min 60 s");
    lacks(o.html, "2 min 60 s");
    drop(&o);

    /* with the rule: its evidence reads the same */
    make(&o, synth_load(s), NULL);
    has(o.text, "duration_ms=3 min 00 s");
    has(o.md, "duration\\_ms = 3 min 00 s");
    has(o.html, "duration_ms = 3 min 00 s");
    has(o.json, "\"duration_ms\": 179700");
    drop(&o);
    synth_free(s);
}

static void test_values__one_vocabulary_for_the_bottleneck(void **state)
{
    outputs o;
    (void)state;

    make(&o, load_ref("v2-healthy.json"), NULL);
    assert_int_equal(o.a->bottleneck.kind, RPP_BOTTLENECK_UNKNOWN);
    has(o.text, "\nBottleneck: not determined\n");
    has(o.md, "\n#### Bottleneck: not determined\n");
    has(o.html, "<h2>Bottleneck: not determined</h2>");
    lacks(o.md, "Bottleneck: unknown");
    lacks(o.html, "Bottleneck: unknown");
    /* JSON keeps its ids */
    has(o.json, "\"kind\": \"unknown\"");
    drop(&o);
}

static void test_values__pipeline_totals_have_no_share_of_wall_time(void **state)
{
    outputs o;
    (void)state;

    make(&o, load_ref("v3-io-bound.json"), NULL);
    has(o.text, "Pipeline & write timing");
    has(o.text, "(totals)");
    has(o.md, "| Pipeline &amp; write timing | ");
    has(o.md, " | (totals) | ");
    /* the types table of the page: each pipeline summary says so too */
    assert_true(count(o.html, "data-v=\"-1\">(totals)</td>") >= 3);
    drop(&o);
}

static void test_values__cycle_states_read_as_words(void **state)
{
    outputs o;
    (void)state;

    make(&o, load_ref("v3-multi-cycle.json"), NULL);
    has(o.text, "Imaging cycles");
    has(o.text, " succeeded ");
    lacks(o.text, "in_progress");
    lacks(o.md, "in_progress");
    lacks(o.md, "never_started");
    drop(&o);
}

/* ---- markdown ---------------------------------------------------------- */

static void test_markdown__every_section_of_the_text(void **state)
{
    static const char *const sections[] = {
        "| Report | ", "| Image | ", "| Device | ", "| Result | ",
        "| Duration | ", "| System | ", "| Writes | ", "#### Findings",
        "#### Bottleneck", "#### Phases", "#### Events by category",
        "#### Events by type", "#### Longest events", "#### Write path",
        "- Write time: ", "- directIOAttempt: attempted = yes",
        "<details><summary>All 95 events</summary>",
    };
    synth *s = synth_new(3);
    outputs o;
    size_t i;
    (void)state;

    make(&o, load_ref("v3-io-bound.json"), NULL);
    for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        has(o.md, sections[i]);
    drop(&o);
    /* the failed and the recovery events, as in the text */
    synth_event(s, "driveOpen", 0, 400, false, "error: busy");
    synth_event(s, "progressStall", 9000, 0, true, "stalled_ms: 30000");
    synth_event(s, "syncFallbackActivated", 9500, 0, true, NULL);
    make(&o, synth_load(s), NULL);
    has(o.text, "\nFailed events\n");
    has(o.md, "\n#### Failed events\n\n| at | type | duration | metadata |\n"
              "|--:|---|--:|---|\n| 0 ms | driveOpen | 400 ms | error: "
              "busy |\n");
    has(o.text, "  recovery events, in order:\n");
    has(o.md, "\nRecovery events, in order:\n\n| at | type | duration | "
              "metadata |\n|--:|---|--:|---|\n| 9.0 s | progressStall | "
              "0 ms | stalled\\_ms: 30000 |\n| 9.5 s | "
              "syncFallbackActivated | 0 ms |  |\n");
    drop(&o);
    synth_free(s);
}

static void test_markdown__long_lists_are_shortened_and_say_so(void **state)
{
    synth *s = synth_new(3);
    outputs o;
    char label[128], *det, *end;
    size_t shown = 0, total = 0, rows = 0, i;
    (void)state;

    for (i = 0; i < 20000; i++)
        synth_event(s, i % 3 ? "driveListPoll" : "periodicSync", i * 10, 5,
                    i % 50 != 0, "at 2480 MB");
    make(&o, synth_load(s), NULL);
    assert_true(strlen(o.md) <= 65536);
    lacks(o.md, "All 20000 events");
    det = strstr(o.md, "<details><summary>");
    /* the failed events first: a short list, whole */
    assert_non_null(det);
    det = strstr(o.md, " events</summary>");
    while (det && strstr(det + 1, " events</summary>"))
        det = strstr(det + 1, " events</summary>");
    assert_non_null(det);
    while (det > o.md && det[-1] != '>')
        det--;
    assert_int_equal(sscanf(det, "%zu of %zu", &shown, &total), 2);
    assert_int_equal(total, 20000);
    assert_true(shown > 100 && shown < total);
    end = strstr(det, "</details>");
    assert_non_null(end);
    for (; det < end; det++)
        if (det[0] == '\n' && det[1] == '|')
            rows++;
    assert_int_equal(rows, shown + 2);          /* and the header lines */
    snprintf(label, sizeof(label), "*%zu events left out (this shows %zu of "
             "20000", total - shown, shown);
    has(o.md, label);
    has(o.md, "the report file itself holds every one");
    /* the short lists are whole */
    has(o.md, "<details><summary>All 400 failed events</summary>");
    drop(&o);
    synth_free(s);
}

/* ---- redaction --------------------------------------------------------- */

static void test_redact__each_kind_of_identifying_string(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "file: /home/alice/.cache/x", "file: /home/user-1/.cache/x" },
        { "/Users/bob/Downloads/a.img", "/Users/user-1/Downloads/a.img" },
        { "C:\\Users\\Carol\\AppData\\x", "C:\\Users\\user-1\\AppData\\x" },
        { "file:///home/dave/a.img", "file:///home/user-1/a.img" },
        { "http://nas.local:8080/a.json", "http://host-1:8080/a.json" },
        { "https://u:pw@mirror.example.net/x", "https://host-1/x" },
        { "https://downloads.raspberrypi.com/os_list.json",
          "https://downloads.raspberrypi.com/os_list.json" },
        { "\\\\FILESRV\\share\\a.zip", "\\\\host-1\\share\\a.zip" },
        { "\\\\.\\PhysicalDrive2", "device-1" },
        { "connect to 192.168.1.20 port 80", "connect to host-1 port 80" },
        { "connect to 127.0.0.1", "connect to 127.0.0.1" },
        { "built on pi-lab.lan.", "built on host-1." },
        { "hostname: grace-pi; ssh: set", "hostname: host-1; ssh: set" },
        { "hostname: set; username: set", "hostname: set; username: set" },
        { "username: heidi", "username: user-1" },
        { "serial: 12345", "serial: serial-1" },
        { "SN AB12CD34EF56", "SN serial-1" },
        { "model: Ultra Fit", "model: description-1" },
        { "Imager 2.0.11 on x86_64, PHYSICALDRIVE2, bytes: 5905580032",
          "Imager 2.0.11 on x86_64, PHYSICALDRIVE2, bytes: 5905580032" },
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rpp_redactor *rd = NULL;
        const char *got;

        assert_int_equal(rpp_redactor_new(&rd), RPP_OK);
        got = rpp_redact_text(rd, cases[i].in);
        assert_non_null(got);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("\"%s\": expected \"%s\", got \"%s\"", cases[i].in,
                     cases[i].out, got);
        rpp_redactor_free(rd);
    }
}

static void test_redact__the_same_name_gets_the_same_placeholder(void **state)
{
    rpp_redactor *rd = NULL;
    (void)state;

    assert_int_equal(rpp_redactor_new(&rd), RPP_OK);
    assert_string_equal(rpp_redact_text(rd, "/home/alice/a; /home/bob/b"),
                        "/home/user-1/a; /home/user-2/b");
    assert_string_equal(rpp_redact_text(rd, "C:\\Users\\alice\\x"),
                        "C:\\Users\\user-1\\x");
    assert_string_equal(rpp_redact(rd, "description", "Kingston DT"),
                        "description-1");
    assert_string_equal(rpp_redact(rd, "description", "Kingston DT"),
                        "description-1");
    rpp_redactor_free(rd);
}

/* cairo and fontconfig keep caches for the life of the process: released
 * at the end so that the leak checker sees none */
static int teardown(void **state)
{
    (void)state;
    rpp_render_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text__empty_fields_of_a_library_report_are_left_out),
        cmocka_unit_test(test_text__device_size_and_usb_details),
        cmocka_unit_test(test_text__line_breaks_of_report_strings_start_lines),
        cmocka_unit_test(test_text__long_values_wrap_and_are_never_cut),
        cmocka_unit_test(test_values__a_179_7_s_event_reads_the_same_everywhere),
        cmocka_unit_test(test_values__one_vocabulary_for_the_bottleneck),
        cmocka_unit_test(test_values__pipeline_totals_have_no_share_of_wall_time),
        cmocka_unit_test(test_values__cycle_states_read_as_words),
        cmocka_unit_test(test_markdown__every_section_of_the_text),
        cmocka_unit_test(test_markdown__long_lists_are_shortened_and_say_so),
        cmocka_unit_test(test_redact__each_kind_of_identifying_string),
        cmocka_unit_test(test_redact__the_same_name_gets_the_same_placeholder),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
