/*
 * test_load_fast.c - the loader's fast paths (schema/load_fast.c): each
 * takes exactly the plain shape of its value and gives up on anything
 * else, and a report read through them is the report the tree walk reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

/* ---- What the events path takes --------------------------------------- */

#define EV(body) "[{" body "}]"
#define PLAIN "\"type\": \"driveOpen\", \"startMs\": 343, " \
              "\"durationMs\": 461, \"success\": true"

typedef struct events_case {
    const char *text;
    bool taken;
} events_case;

static const events_case events_cases[] = {
    { "[]", true },
    { EV(PLAIN), true },
    { EV(PLAIN ", \"metadata\": \"direct_io: yes\""), true },
    { EV(PLAIN ", \"metadata\": \"caf\xc3\xa9\""), true },
    { EV(PLAIN ", \"bytesTransferred\": 9007199254740992, "
         "\"throughputKBps\": 0"), true },
    { "[{\"success\":false,\"durationMs\":0,\"startMs\":0,"
      "\"type\":\"finalSync\"},{" PLAIN "}]", true },
    { " [ { " PLAIN " } ,\n\t{ " PLAIN " } ] ", true },
    /* everything the tree walk would say a word about, or read otherwise */
    { EV(PLAIN ", \"retries\": 2"), false },                /* unknown key */
    { EV(PLAIN ", \"startMs\": 1"), false },              /* duplicate key */
    { EV("\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461"),
      false },                                          /* missing success */
    { EV("\"type\": \"quantumFlush\", \"startMs\": 343, "
         "\"durationMs\": 461, \"success\": true"), false }, /* unknown type */
    { EV(PLAIN ", \"metadata\": \"a\\u0020b\""), false },       /* escape */
    { EV("\"typ\\u0065\": \"driveOpen\", \"startMs\": 343, "
         "\"durationMs\": 461, \"success\": true"), false },
    { EV(PLAIN ", \"metadata\": \"caf\xc3\""), false },    /* bad UTF-8 */
    { EV(PLAIN ", \"metadata\": \"a\tb\""), false },  /* control character */
    { EV(PLAIN ", \"metadata\": null"), false },
    { EV(PLAIN ", \"bytesTransferred\": 1.0"), false },
    { EV(PLAIN ", \"bytesTransferred\": 1e3"), false },
    { EV(PLAIN ", \"bytesTransferred\": -1"), false },
    { EV(PLAIN ", \"bytesTransferred\": 01"), false },
    { EV(PLAIN ", \"bytesTransferred\": 9007199254740993"), false },
    { EV(PLAIN ", \"bytesTransferred\": 12345678901234567"), false },
    { EV("\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461, "
         "\"success\": truex"), false },
    { EV("\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461, "
         "\"success\": 1"), false },
    { "[{" PLAIN "},]", false },
    { "[{" PLAIN "}", false },
    { "[{}]", false },
    { "[1]", false },
    { "{}", false },
};

static void test_load_fast__events_take_only_the_plain_shape(void **state)
{
    rpp_load_opts o;
    size_t i;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.max_events = 10;
    o.max_string = 64;
    for (i = 0; i < sizeof(events_cases) / sizeof(events_cases[0]); i++) {
        const events_case *c = &events_cases[i];
        size_t used = 0, n = strlen(c->text);
        rpp__fast f;
        bool taken;

        memset(&f, 0, sizeof(f));
        print_message("# %s\n", c->text);
        taken = rpp__fast_events(c->text, n, &o, &f, &used);
        assert_int_equal(taken, c->taken);
        if (taken) {
            /* through the closing bracket, not the space after it */
            assert_int_equal(used, strrchr(c->text, ']') - c->text + 1);
        } else {
            assert_null(f.events);
            assert_int_equal(f.n_events, 0);
        }
        rpp__fast_free(&f);
    }
}

static void test_load_fast__events_keep_the_limits_of_the_options(
    void **state)
{
    const char *two = "[{" PLAIN "}, {" PLAIN ", \"metadata\": \"12345\"}]";
    rpp_load_opts o;
    rpp__fast f;
    size_t used;

    (void)state;
    memset(&o, 0, sizeof(o));
    memset(&f, 0, sizeof(f));
    o.max_events = 2;
    o.max_string = 9;       /* "driveOpen" */
    assert_true(rpp__fast_events(two, strlen(two), &o, &f, &used));
    assert_int_equal(used, strlen(two));
    assert_int_equal(f.n_events, 2);
    assert_int_equal(f.events[1].start_ms, 343);
    assert_int_equal(f.meta_len[1], 5);
    assert_memory_equal(f.events[1].metadata, "12345", 5);
    assert_null(f.events[0].metadata);
    o.max_events = 1;
    assert_false(rpp__fast_events(two, strlen(two), &o, &f, &used));
    o.max_events = 2;
    o.max_string = 8;       /* the type name is one byte too long */
    assert_false(rpp__fast_events(two, strlen(two), &o, &f, &used));
    assert_null(f.events);
    rpp__fast_free(&f);
}

/* ---- The same report either way ---------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/*
 * text with the first letter of the first key after `after` written as a
 * \u escape: the same report, which no fast path takes. NULL when `after`
 * is not there.
 */
static char *escape_first_key(const char *text, const char *after)
{
    const char *at = strstr(text, after), *q;
    size_t head, len = strlen(text);
    char *out;

    if (!at || !(q = strchr(at + strlen(after), '"')) || q[1] == '"')
        return NULL;
    head = (size_t)(q + 1 - text);
    out = malloc(len + 6);
    assert_non_null(out);
    memcpy(out, text, head);
    snprintf(out + head, 7, "\\u%04x", (unsigned char)q[1]);
    memcpy(out + head + 6, q + 2, len - head);     /* and the NUL */
    return out;
}

static void assert_same_events(const rpp_report *a, const rpp_report *b)
{
    size_t i;

    assert_int_equal(a->n_events, b->n_events);
    for (i = 0; i < a->n_events; i++) {
        const rpp_event *x = &a->events[i], *y = &b->events[i];

        assert_int_equal(x->type, y->type);
        assert_string_equal(x->type_name, y->type_name);
        assert_true(x->start_ms == y->start_ms);
        assert_true(x->duration_ms == y->duration_ms);
        assert_int_equal(x->success, y->success);
        assert_int_equal(x->metadata == NULL, y->metadata == NULL);
        if (x->metadata)
            assert_string_equal(x->metadata, y->metadata);
        assert_int_equal(x->has_bytes, y->has_bytes);
        assert_true(x->bytes_transferred == y->bytes_transferred);
        assert_int_equal(x->has_throughput, y->has_throughput);
        assert_true(x->throughput_kbps == y->throughput_kbps);
    }
}

static void assert_same_histograms(const rpp_report *a, const rpp_report *b)
{
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *x = &a->histograms[p], *y = &b->histograms[p];

        assert_int_equal(x->present, y->present);
        assert_int_equal(x->n_slices, y->n_slices);
        if (x->n_slices)
            assert_memory_equal(x->slices, y->slices,
                                x->n_slices * sizeof(*x->slices));
    }
}

static void assert_same_diags(const rpp_diags *a, const rpp_diags *b)
{
    size_t i;

    assert_int_equal(a->n_errors, b->n_errors);
    assert_int_equal(a->n_warnings, b->n_warnings);
    assert_int_equal(a->n_items, b->n_items);
    for (i = 0; i < a->n_items; i++) {
        assert_string_equal(a->items[i].err.path, b->items[i].err.path);
        assert_string_equal(a->items[i].err.message,
                            b->items[i].err.message);
    }
}

/* Loads text and slow, the same report written so that no fast path
 * takes it, and compares the two. */
static void assert_same_report(const char *text, size_t len,
                               const char *slow)
{
    rpp_report *fast_r = NULL, *slow_r = NULL;
    rpp_diags df, ds;
    int st;

    rpp_diags_clear(&df);
    rpp_diags_clear(&ds);
    st = rpp_report_load_buffer(&fast_r, text, len, NULL, &df);
    assert_int_equal(rpp_report_load_buffer(&slow_r, slow, strlen(slow),
                                            NULL, &ds), st);
    assert_same_diags(&df, &ds);
    if (st == RPP_OK) {
        assert_same_events(fast_r, slow_r);
        assert_same_histograms(fast_r, slow_r);
    }
    rpp_report_free(fast_r);
    rpp_report_free(slow_r);
}

/* Loads the report at path as it is and with its events and histograms
 * taken from the tree, and compares the two. Returns 1 when it did. */
static int compare_both_ways(const char *path)
{
    size_t len;
    char *text = read_all(path, &len), *t1, *t2;

    t1 = escape_first_key(text, "\"events\": [");
    t2 = t1 ? escape_first_key(t1, "\"histograms\": {") : NULL;
    if (t2) {
        print_message("# %s\n", path);
        assert_same_report(text, len, t2);
    }
    free(text);
    free(t1);
    free(t2);
    return t2 != NULL;
}

static void test_load_fast__read_the_report_the_tree_walk_reads(void **state)
{
    static const char *const dirs[] = {
        "samples", "tests/data/reference/upstream-writer",
        "tests/data/exports", "tests/data/warn"
    };
    char path[1024];
    size_t k, compared = 0;

    (void)state;
    for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
        DIR *d = opendir(dirs[k]);
        struct dirent *e;

        assert_non_null(d);
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);

            if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
            compared += (size_t)compare_both_ways(path);
        }
        closedir(d);
    }
    /* the bundled samples alone are 38 */
    assert_true(compared >= 38);
}

/* A key given twice: the tree walk reads the first and says what is
 * wrong with it, whichever value a fast path could have taken. */
#define DUP_EVENT "{\"type\": \"driveOpen\", \"startMs\": 1, " \
                  "\"durationMs\": 2, \"success\": true}"
#define DUP_SLICE "[1, 2, 3, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"
#define DUP_REST "\"version\": 3, \"summary\": {}, \"schema\": {}}"

static void test_load_fast__a_key_twice_reads_as_the_tree_walk_has_it(
    void **state)
{
    static const struct {
        const char *text, *after;
    } cases[] = {
        { "{\"events\": 5, \"events\": [" DUP_EVENT "], "
          "\"histograms\": {}, " DUP_REST, "\"events\": [" },
        { "{\"even\\u0074s\": [{\"type\": \"x\"}], \"events\": ["
          DUP_EVENT "], \"histograms\": {}, " DUP_REST, "\"events\": [" },
        { "{\"events\": [" DUP_EVENT "], \"events\": null, "
          "\"histograms\": {}, " DUP_REST, "\"events\": [" },
        { "{\"events\": [], \"histograms\": 5, \"histograms\": "
          "{\"write\": [" DUP_SLICE "]}, " DUP_REST, "\"histograms\": {" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *slow = escape_first_key(cases[i].text, cases[i].after);

        print_message("# %s\n", cases[i].text);
        assert_non_null(slow);
        assert_same_report(cases[i].text, strlen(cases[i].text), slow);
        free(slow);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_fast__events_take_only_the_plain_shape),
        cmocka_unit_test(test_load_fast__events_keep_the_limits_of_the_options),
        cmocka_unit_test(test_load_fast__read_the_report_the_tree_walk_reads),
        cmocka_unit_test(test_load_fast__a_key_twice_reads_as_the_tree_walk_has_it),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
