/*
 * test_html.c - the HTML page: self-contained, escaped, with the three
 * charts as valid PNG data, and redaction that agrees everywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <rpiperf/analyse.h>
#include <rpiperf/render.h>
#include "support_synth.h"

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes the first 8 bytes of base64 text. */
static void b64_head(const char *s, unsigned char out[8])
{
    int v[12], i;

    for (i = 0; i < 12; i++)
        v[i] = b64val(s[i]);
    for (i = 0; i < 12; i++)
        assert_true(v[i] >= 0);
    for (i = 0; i < 3; i++) {
        out[i * 3] = (unsigned char)((v[i * 4] << 2) | (v[i * 4 + 1] >> 4));
        if (i * 3 + 1 < 8)
            out[i * 3 + 1] = (unsigned char)((v[i * 4 + 1] << 4) | (v[i * 4 + 2] >> 2));
        if (i * 3 + 2 < 8)
            out[i * 3 + 2] = (unsigned char)((v[i * 4 + 2] << 6) | v[i * 4 + 3]);
    }
}

static char *page(synth *s, bool redact, rpp_report **rout, rpp_analysis **aout)
{
    rpp_report *r = synth_load(s);
    rpp_analysis *a = NULL;
    rpp_html_opts o;
    char *html = NULL;
    size_t len = 0;

    assert_int_equal(rpp_analysis_run(&a, r, NULL), RPP_OK);
    memset(&o, 0, sizeof(o));
    o.file_name = "<b>x</b>.json";
    o.redact = redact;
    o.chart_width = 400;
    assert_int_equal(rpp_render_html(r, a, &o, &html, &len), RPP_OK);
    assert_int_equal(strlen(html), len);
    *rout = r;
    *aout = a;
    return html;
}

static void test_html__embeds_three_valid_pngs_and_nothing_external(void **state)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    char *html, *p;
    int n = 0;
    (void)state;

    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 30, 30 * 1024);
    html = page(s, false, &r, &a);
    for (p = html; (p = strstr(p, "src=\"data:image/png;base64,")) != NULL; n++) {
        unsigned char head[8];
        p += strlen("src=\"data:image/png;base64,");
        b64_head(p, head);
        assert_memory_equal(head, sig, 8);
    }
    assert_int_equal(n, 3);
    assert_non_null(strstr(html, "Content-Security-Policy"));
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    /* the file name is escaped too */
    assert_non_null(strstr(html, "&lt;b&gt;x&lt;/b&gt;.json"));
    free(html);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_html__report_strings_stay_text(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    char *html;
    (void)state;

    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 30, 30 * 1024);
    synth_event(s, "hashComputation", 100, 5, false,
                "<script>alert(1)</script> \" ' & \x1b[2J \xe2\x80\xae");
    html = page(s, false, &r, &a);
    assert_null(strstr(html, "<script>alert"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strchr(html, '\x1b'));
    assert_null(strstr(html, "\xe2\x80\xae"));
    /* exactly one script element: the page's own */
    assert_non_null(strstr(html, "<script>"));
    assert_null(strstr(strstr(html, "<script>") + 1, "<script>"));
    free(html);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_html__redaction_agrees_everywhere(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r;
    rpp_analysis *a;
    char *html;
    (void)state;

    synth_steady(s, RPP_PHASE_WRITE, 0, 1000, 30, 30 * 1024);
    synth_event(s, "driveOpen", 100, 300, true, "device: /dev/sdx; other /dev/sdq");
    html = page(s, true, &r, &a);
    assert_null(strstr(html, "/dev/sdx"));
    assert_null(strstr(html, "/dev/sdq"));
    /* the summary's device is the first one met: device-1 in the summary
     * table, the events table and the text report alike */
    assert_non_null(strstr(html, "<th>Device</th><td>device-1</td>"));
    assert_non_null(strstr(html, "device: device-1; other device-2"));
    assert_null(strstr(html, "device-3"));
    free(html);
    rpp_analysis_free(a);
    rpp_report_free(r);
    synth_free(s);
}

static void test_html__refuses_an_analysis_of_another_report(void **state)
{
    synth *s = synth_new(3);
    rpp_report *r1 = synth_load(s), *r2 = synth_load(s);
    rpp_analysis *a = NULL;
    char *html = (char *)1;
    (void)state;

    assert_int_equal(rpp_analysis_run(&a, r1, NULL), RPP_OK);
    assert_int_equal(rpp_render_html(r2, a, NULL, &html, NULL), RPP_ERR_ARG);
    assert_null(html);
    rpp_analysis_free(a);
    rpp_report_free(r1);
    rpp_report_free(r2);
    synth_free(s);
}

static int teardown(void **state)
{
    (void)state;
    rpp_render_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html__embeds_three_valid_pngs_and_nothing_external),
        cmocka_unit_test(test_html__report_strings_stay_text),
        cmocka_unit_test(test_html__redaction_agrees_everywhere),
        cmocka_unit_test(test_html__refuses_an_analysis_of_another_report),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
