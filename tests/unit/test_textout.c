/*
 * test_textout.c - the public building blocks of text output (report.h):
 * the buffer that remembers running out of memory, the escapers, the JSON
 * and XML writers that refuse malformed documents, and telling a report
 * from other JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <rpiperf/report.h>

static rpp_buf *new_buf(void)
{
    rpp_buf *b = NULL;

    assert_int_equal(rpp_buf_new(&b), RPP_OK);
    assert_non_null(b);
    return b;
}

/* ---- buffer ----------------------------------------------------------------- */

static void test_buf__appends_and_streams(void **state)
{
    rpp_buf *b = new_buf();
    size_t len = 99;

    (void)state;
    assert_string_equal(rpp_buf_data(b, &len), "");
    assert_int_equal(len, 0);
    rpp_buf_puts(b, "ab");
    rpp_buf_put(b, "cdef", 2);
    rpp_buf_printf(b, "-%d-%s", 42, "x");
    assert_string_equal(rpp_buf_data(b, &len), "abcd-42-x");
    assert_int_equal(len, 9);
    rpp_buf_clear(b);
    assert_string_equal(rpp_buf_data(b, NULL), "");
    rpp_buf_puts(b, "again");
    assert_string_equal(rpp_buf_data(b, NULL), "again");
    assert_false(rpp_buf_oom(b));
    rpp_buf_free(b);
    rpp_buf_free(NULL);
    assert_int_equal(rpp_buf_new(NULL), RPP_ERR_ARG);
}

static void test_buf__remembers_running_out_of_memory(void **state)
{
    rpp_buf *b = new_buf();
    size_t len = 99;

    (void)state;
    rpp_buf_puts(b, "kept so far");
    /* an append no allocation can satisfy fails like any other */
    rpp_buf_put(b, "x", SIZE_MAX);
    assert_true(rpp_buf_oom(b));
    assert_null(rpp_buf_data(b, &len));
    assert_int_equal(len, 0);
    rpp_buf_puts(b, "more");
    assert_null(rpp_buf_data(b, NULL));
    /* emptying it to stream on does not hide the loss */
    rpp_buf_clear(b);
    assert_true(rpp_buf_oom(b));
    assert_null(rpp_buf_data(b, NULL));
    rpp_buf_free(b);
}

/* ---- escaping ----------------------------------------------------------------- */

typedef struct esc_case {
    const char *in;
    const char *text, *json, *xml, *markdown;
} esc_case;

static const esc_case esc_cases[] = {
    { "plain", "plain", "\"plain\"", "plain", "plain" },
    { NULL, "", "\"\"", "", "" },
    { "a\x1b[31mred", "a\\x1b[31mred", "\"a\\u001b[31mred\"",
      "a\\x1b[31mred", "a\\\\x1b\\[31mred" },
    { "two\nlines\tx", "two\\x0alines\\x09x", "\"two\\nlines\\tx\"",
      "two&#10;lines&#9;x", "two<br>lines\\\\x09x" },
    { "cr\rhere", "cr\\x0dhere", "\"cr\\rhere\"", "cr\\x0dhere",
      "cr\\\\x0dhere" },
    { "<b a=\"1\">&'</b>", "<b a=\"1\">&'</b>",
      "\"\\u003cb a=\\\"1\\\"\\u003e\\u0026'\\u003c/b\\u003e\"",
      "&lt;b a=&quot;1&quot;&gt;&amp;&#39;&lt;/b&gt;",
      "&lt;b a=\"1\"&gt;&amp;'&lt;/b&gt;" },
    { "rtl \xe2\x80\xae!", "rtl \\u202e!", "\"rtl \\u202e!\"",
      "rtl \\u202e!", "rtl \\\\u202e!" },
    { "bad \xff byte", "bad \xef\xbf\xbd byte", "\"bad \xef\xbf\xbd byte\"",
      "bad &#xfffd; byte", "bad &#xfffd; byte" },
    { "@all [x](y) *b* `c` |", "@all [x](y) *b* `c` |",
      "\"@all [x](y) *b* `c` |\"", "@all [x](y) *b* `c` |",
      "`@`all \\[x\\](y) \\*b\\* \\`c\\` &#124;" },
};

static void test_escape__each_output_gets_its_own_escaping(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
        const esc_case *c = &esc_cases[i];
        rpp_buf *b = new_buf();

        rpp_escape_text(b, c->in, 0);
        assert_string_equal(rpp_buf_data(b, NULL), c->text);
        rpp_buf_clear(b);
        rpp_escape_json(b, c->in);
        assert_string_equal(rpp_buf_data(b, NULL), c->json);
        rpp_buf_clear(b);
        rpp_escape_xml(b, c->in);
        assert_string_equal(rpp_buf_data(b, NULL), c->xml);
        rpp_buf_clear(b);
        rpp_escape_markdown(b, c->in);
        assert_string_equal(rpp_buf_data(b, NULL), c->markdown);
        rpp_buf_free(b);
    }
}

static void test_escape__text_cuts_at_max_cols(void **state)
{
    rpp_buf *b = new_buf();

    (void)state;
    rpp_escape_text(b, "abcdefghij", 6);
    assert_string_equal(rpp_buf_data(b, NULL), "abc...");
    rpp_buf_free(b);
}

/* ---- JSON writer ---------------------------------------------------------------- */

static void test_json__writes_an_indented_document(void **state)
{
    rpp_buf *b = new_buf();
    rpp_json *w = NULL;

    (void)state;
    assert_int_equal(rpp_json_new(&w, b, 2), RPP_OK);
    rpp_json_object_begin(w);
    rpp_json_key(w, "name");
    rpp_json_string(w, "a\"b");
    rpp_json_key(w, "list");
    rpp_json_array_begin(w);
    rpp_json_int(w, -3);
    rpp_json_uint(w, 18446744073709551615ULL);
    rpp_json_number(w, 0.125);
    rpp_json_number(w, INFINITY);
    rpp_json_bool(w, true);
    rpp_json_null(w);
    rpp_json_string(w, NULL);
    rpp_json_array_end(w);
    rpp_json_key(w, "empty");
    rpp_json_object_begin(w);
    rpp_json_object_end(w);
    rpp_json_object_end(w);
    assert_int_equal(rpp_json_finish(w), RPP_OK);
    assert_string_equal(rpp_buf_data(b, NULL),
                        "{\n  \"name\": \"a\\\"b\",\n  \"list\": [\n    -3,\n"
                        "    18446744073709551615,\n    0.125,\n    null,\n"
                        "    true,\n    null,\n    null\n  ],\n"
                        "  \"empty\": {}\n}\n");
    rpp_json_free(w);
    rpp_buf_free(b);
}

/* A sequence of calls the writer must refuse: each step is a character:
 * { } [ ] k(ey) v(alue). */
typedef struct json_misuse {
    const char *calls;
    int status;
} json_misuse;

static const json_misuse json_misuses[] = {
    { "{v", RPP_ERR_STATE },     /* a value where a key is due */
    { "{kk", RPP_ERR_STATE },    /* a key where a value is due */
    { "{k}", RPP_ERR_STATE },    /* a key without its value: "k": } */
    { "[k", RPP_ERR_STATE },     /* a key in an array */
    { "{]", RPP_ERR_STATE },     /* the other kind of end */
    { "}", RPP_ERR_STATE },      /* an end that closes nothing */
    { "vv", RPP_ERR_STATE },     /* two top-level values */
    { "k", RPP_ERR_STATE },      /* a key at the top */
};

static void json_calls(rpp_json *w, const char *calls)
{
    for (; *calls; calls++) {
        switch (*calls) {
        case '{': rpp_json_object_begin(w); break;
        case '}': rpp_json_object_end(w); break;
        case '[': rpp_json_array_begin(w); break;
        case ']': rpp_json_array_end(w); break;
        case 'k': rpp_json_key(w, "k"); break;
        default: rpp_json_int(w, 1); break;
        }
    }
}

static void test_json__refuses_what_would_not_be_json(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(json_misuses) / sizeof(json_misuses[0]); i++) {
        rpp_buf *b = new_buf();
        rpp_json *w = NULL;
        size_t before;

        assert_int_equal(rpp_json_new(&w, b, 0), RPP_OK);
        json_calls(w, json_misuses[i].calls);
        assert_int_equal(rpp_json_status(w), json_misuses[i].status);
        /* once stopped it writes nothing more */
        rpp_buf_data(b, &before);
        rpp_json_string(w, "more");
        assert_int_equal(strlen(rpp_buf_data(b, NULL)), before);
        assert_int_not_equal(rpp_json_finish(w), RPP_OK);
        rpp_json_free(w);
        rpp_buf_free(b);
    }
}

static void test_json__finish_wants_one_whole_value(void **state)
{
    rpp_buf *b = new_buf();
    rpp_json *w = NULL;
    int i;

    (void)state;
    assert_int_equal(rpp_json_new(&w, b, 0), RPP_OK);
    assert_int_equal(rpp_json_finish(w), RPP_ERR_STATE);    /* nothing */
    rpp_json_free(w);
    w = NULL;
    assert_int_equal(rpp_json_new(&w, b, 0), RPP_OK);
    rpp_json_array_begin(w);
    assert_int_equal(rpp_json_finish(w), RPP_ERR_STATE);    /* still open */
    rpp_json_free(w);
    w = NULL;
    assert_int_equal(rpp_json_new(&w, b, 0), RPP_OK);
    for (i = 0; i <= RPP_JSON_MAX_DEPTH; i++)
        rpp_json_array_begin(w);
    assert_int_equal(rpp_json_status(w), RPP_ERR_LIMIT);
    rpp_json_free(w);
    assert_int_equal(rpp_json_new(&w, NULL, 0), RPP_ERR_ARG);
    assert_null(w);
    assert_int_equal(rpp_json_new(&w, b, 9), RPP_ERR_ARG);
    rpp_buf_free(b);
}

static void test_json__says_when_its_buffer_lost_text(void **state)
{
    rpp_buf *b = new_buf();
    rpp_json *w = NULL;

    (void)state;
    assert_int_equal(rpp_json_new(&w, b, 0), RPP_OK);
    rpp_json_object_begin(w);
    rpp_json_key(w, "failOn");
    rpp_buf_put(b, "x", SIZE_MAX);      /* the allocation fails here */
    rpp_json_string(w, "error");
    rpp_json_object_end(w);
    assert_int_equal(rpp_json_status(w), RPP_ERR_NOMEM);
    assert_int_equal(rpp_json_finish(w), RPP_ERR_NOMEM);
    assert_null(rpp_buf_data(b, NULL));
    rpp_json_free(w);
    rpp_buf_free(b);
}

/* ---- XML writer ------------------------------------------------------------------ */

static void test_xml__writes_an_indented_document(void **state)
{
    rpp_buf *b = new_buf();
    rpp_xml *x = NULL;

    (void)state;
    assert_int_equal(rpp_xml_new(&x, b, 2, 0), RPP_OK);
    rpp_xml_declaration(x);
    rpp_xml_element_begin(x, "suites");
    rpp_xml_attr(x, "name", "a<b>\"c\"");
    rpp_xml_element_begin(x, "case");
    rpp_xml_attr(x, "name", "one");
    rpp_xml_element_end(x);
    rpp_xml_element_begin(x, "case");
    rpp_xml_element_begin(x, "failure");
    rpp_xml_attr(x, "message", "line\nbreak");
    rpp_xml_text(x, "x & y\n\x1b");
    rpp_xml_element_end(x);
    rpp_xml_element_end(x);
    rpp_xml_element_end(x);
    assert_int_equal(rpp_xml_finish(x), RPP_OK);
    assert_string_equal(rpp_buf_data(b, NULL),
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<suites name=\"a&lt;b&gt;&quot;c&quot;\">\n"
                        "  <case name=\"one\"/>\n"
                        "  <case>\n"
                        "    <failure message=\"line&#10;break\">"
                        "x &amp; y&#10;\\x1b</failure>\n"
                        "  </case>\n"
                        "</suites>\n");
    rpp_xml_free(x);
    rpp_buf_free(b);
}

/* The head of a streamed document written last: a fragment at depth 1
 * written first, then spliced into a head whose start tag is ended early. */
static void test_xml__fragments_splice_into_a_document(void **state)
{
    rpp_buf *body = new_buf(), *doc = new_buf();
    rpp_xml *frag = NULL, *head = NULL;

    (void)state;
    assert_int_equal(rpp_xml_new(&frag, body, 2, 1), RPP_OK);
    rpp_xml_element_begin(frag, "case");
    rpp_xml_element_end(frag);
    rpp_xml_element_begin(frag, "case");
    rpp_xml_element_end(frag);
    assert_int_equal(rpp_xml_finish(frag), RPP_OK);
    assert_int_equal(rpp_xml_new(&head, doc, 2, 0), RPP_OK);
    rpp_xml_element_begin(head, "suite");
    rpp_xml_attr(head, "tests", "2");
    rpp_xml_element_content(head);
    rpp_buf_puts(doc, rpp_buf_data(body, NULL));
    rpp_xml_element_end(head);
    assert_int_equal(rpp_xml_finish(head), RPP_OK);
    assert_string_equal(rpp_buf_data(doc, NULL),
                        "<suite tests=\"2\">\n  <case/>\n  <case/>\n</suite>\n");
    rpp_xml_free(frag);
    rpp_xml_free(head);
    rpp_buf_free(body);
    rpp_buf_free(doc);
}

static void xml_misuse_run(rpp_xml *x, int which)
{
    switch (which) {
    case 0: /* a name that is not an XML name */
        rpp_xml_element_begin(x, "a b");
        break;
    case 1: /* an attribute after content */
        rpp_xml_element_begin(x, "a");
        rpp_xml_text(x, "t");
        rpp_xml_attr(x, "k", "v");
        break;
    case 2: /* the same attribute twice */
        rpp_xml_element_begin(x, "a");
        rpp_xml_attr(x, "k", "v");
        rpp_xml_attr(x, "k", "w");
        break;
    case 3: /* an end that closes nothing */
        rpp_xml_element_end(x);
        break;
    case 4: /* a second root */
        rpp_xml_element_begin(x, "a");
        rpp_xml_element_end(x);
        rpp_xml_element_begin(x, "b");
        break;
    case 5: /* a declaration inside the document */
        rpp_xml_element_begin(x, "a");
        rpp_xml_declaration(x);
        break;
    default: /* an attribute name with markup in it */
        rpp_xml_element_begin(x, "a");
        rpp_xml_attr(x, "x=\"1\" onload", "v");
        break;
    }
}

static void test_xml__refuses_what_would_not_be_xml(void **state)
{
    static const int want[] = { RPP_ERR_ARG, RPP_ERR_STATE, RPP_ERR_ARG,
                                RPP_ERR_STATE, RPP_ERR_STATE, RPP_ERR_STATE,
                                RPP_ERR_ARG };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        rpp_buf *b = new_buf();
        rpp_xml *x = NULL;

        assert_int_equal(rpp_xml_new(&x, b, 0, 0), RPP_OK);
        xml_misuse_run(x, (int)i);
        assert_int_equal(rpp_xml_status(x), want[i]);
        assert_int_not_equal(rpp_xml_finish(x), RPP_OK);
        rpp_xml_free(x);
        rpp_buf_free(b);
    }
}

static void test_xml__finish_wants_every_element_closed(void **state)
{
    rpp_buf *b = new_buf();
    rpp_xml *x = NULL;

    (void)state;
    assert_int_equal(rpp_xml_new(&x, b, 0, 0), RPP_OK);
    rpp_xml_element_begin(x, "a");
    assert_int_equal(rpp_xml_finish(x), RPP_ERR_STATE);
    rpp_xml_free(x);
    x = NULL;
    assert_int_equal(rpp_xml_new(&x, b, 0, 0), RPP_OK);
    assert_int_equal(rpp_xml_finish(x), RPP_ERR_STATE);    /* no root */
    rpp_xml_free(x);
    x = NULL;
    assert_int_equal(rpp_xml_new(&x, b, 0, 0), RPP_OK);
    rpp_buf_put(b, "x", SIZE_MAX);
    rpp_xml_element_begin(x, "a");
    rpp_xml_element_end(x);
    assert_int_equal(rpp_xml_finish(x), RPP_ERR_NOMEM);
    rpp_xml_free(x);
    rpp_buf_free(b);
}

/* ---- telling a report from other JSON --------------------------------------------- */

typedef struct sniff_case {
    const char *doc;
    int status;
} sniff_case;

static const sniff_case sniff_cases[] = {
    { "{\"name\": \"tool\", \"version\": \"1.0.0\", \"dependencies\": "
      "{\"summary\": \"1\"}}", RPP_ERR_NOT_FOUND },   /* a package.json */
    { "[{\"summary\": {}}]", RPP_ERR_NOT_FOUND },     /* not an object */
    { " 42 ", RPP_ERR_NOT_FOUND },
    { "\"text\"", RPP_ERR_NOT_FOUND },
    { "{}", RPP_ERR_NOT_FOUND },
    { "{\"version\": 9}", RPP_ERR_NOT_FOUND },
    { "{\"version\": 3, \"events\": 5}", RPP_OK },    /* a broken report */
    { "{\"a\": [1, {\"b\": \"}\"}], \"histograms\": {}}", RPP_OK },
    { "{\"\\u0073ummary\": {}}", RPP_OK },            /* an escaped key */
    { "{\"summary_x\": 1, \"x\\\"summary\": 2}", RPP_ERR_NOT_FOUND },
    { "", RPP_ERR_SYNTAX },
    { "{\"a\": ", RPP_ERR_SYNTAX },
    { "{\"a\" 1}", RPP_ERR_SYNTAX },
    { "{a: 1}", RPP_ERR_SYNTAX },
    { "[1, 2", RPP_ERR_SYNTAX },
};

static void test_sniff__tells_reports_from_other_json(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(sniff_cases) / sizeof(sniff_cases[0]); i++) {
        const char *d = sniff_cases[i].doc;
        if (rpp_report_sniff(d, strlen(d)) != sniff_cases[i].status)
            fail_msg("rpp_report_sniff(%s) = %d, expected %d", d,
                     rpp_report_sniff(d, strlen(d)), sniff_cases[i].status);
    }
    assert_int_equal(rpp_report_sniff(NULL, 0), RPP_ERR_ARG);
    /* data need not end with a NUL: the length is the end */
    assert_int_equal(rpp_report_sniff("{\"events\": []}xyz", 14), RPP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf__appends_and_streams),
        cmocka_unit_test(test_buf__remembers_running_out_of_memory),
        cmocka_unit_test(test_escape__each_output_gets_its_own_escaping),
        cmocka_unit_test(test_escape__text_cuts_at_max_cols),
        cmocka_unit_test(test_json__writes_an_indented_document),
        cmocka_unit_test(test_json__refuses_what_would_not_be_json),
        cmocka_unit_test(test_json__finish_wants_one_whole_value),
        cmocka_unit_test(test_json__says_when_its_buffer_lost_text),
        cmocka_unit_test(test_xml__writes_an_indented_document),
        cmocka_unit_test(test_xml__fragments_splice_into_a_document),
        cmocka_unit_test(test_xml__refuses_what_would_not_be_xml),
        cmocka_unit_test(test_xml__finish_wants_every_element_closed),
        cmocka_unit_test(test_sniff__tells_reports_from_other_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
