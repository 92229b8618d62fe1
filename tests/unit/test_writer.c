/*
 * test_writer.c - the recorder of writer.h: every call and error path, the
 * Imager's layout and arithmetic, rate limit and cap, cycles, export to
 * files, out-of-memory at every allocation, concurrent use, a round trip
 * through the loader, and the byte-for-byte replay of the 24 upstream
 * traces (through samples/trace-replay.c, compiled in here).
 *
 * Run from the top of the repository (tests/run.sh does); the traces are
 * read from $REF/upstream-writer (REF defaults to tests/data/reference).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rpiperf/report.h>
#include <rpiperf/writer.h>

/* The replay code of build/trace-replay, driven in-process. */
#define main trace_replay_main
#include "../../samples/trace-replay.c"
#undef main

#define EPOCH INT64_C(1764579600000)

/* ---- Helpers ----------------------------------------------------------- */

typedef struct tclock {
    int64_t mono;            /* the session timer source */
    int64_t wall;            /* ms since the epoch */
} tclock;

static int64_t t_mono(void *ctx)
{
    return ((tclock *)ctx)->mono;
}

static int64_t t_wall(void *ctx)
{
    return ((tclock *)ctx)->wall;
}

/* A recorder on a test clock at the epoch; exportTime in UTC. */
static rpp_writer *new_writer(int version, tclock *c)
{
    rpp_writer_clock wc = { t_mono, t_wall, c };
    rpp_writer *w = NULL;

    c->mono = 0;
    c->wall = EPOCH;
    assert_int_equal(rpp_writer_new(&w, version, &wc), RPP_OK);
    assert_non_null(w);
    assert_int_equal(rpp_writer_set_utc(w, true), RPP_OK);
    return w;
}

/* Moves both clocks forward. */
static void advance(tclock *c, int64_t ms)
{
    c->mono += ms;
    c->wall += ms;
}

static char *export_text(rpp_writer *w)
{
    char *s = NULL;
    size_t n = 0;

    assert_int_equal(rpp_writer_export_string(w, &s, &n), RPP_OK);
    assert_non_null(s);
    assert_int_equal(strlen(s), n);
    return s;
}

/* Exports and loads the report; no warnings are expected. */
static rpp_report *reload(rpp_writer *w)
{
    char *s = export_text(w);
    rpp_report *r = NULL;
    rpp_diags d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(rpp_report_load_buffer(&r, s, strlen(s), NULL, &d),
                     RPP_OK);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 0);
    free(s);
    return r;
}

static const rpp_event *find_event(const rpp_report *r, rpp_event_type t,
                                   size_t nth)
{
    size_t i;

    for (i = 0; i < r->n_events; i++)
        if (r->events[i].type == t && nth-- == 0)
            return &r->events[i];
    return NULL;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("missing in the report: %s", needle);
}

static void assert_lacks(const char *text, const char *needle)
{
    if (strstr(text, needle))
        fail_msg("unexpected in the report: %s", needle);
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* ---- Life cycle -------------------------------------------------------- */

static void test_writer__new_rejects_versions_other_than_2_and_3(void **state)
{
    static const int bad[] = { 0, 1, 4, -3, 300 };
    rpp_writer *w = (rpp_writer *)&w;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        w = (rpp_writer *)&w;
        assert_int_equal(rpp_writer_new(&w, bad[i], NULL), RPP_ERR_ARG);
        assert_null(w);
    }
    assert_int_equal(rpp_writer_new(NULL, 3, NULL), RPP_ERR_ARG);
    assert_int_equal(rpp_writer_new(&w, 2, NULL), RPP_OK);
    assert_int_equal(rpp_writer_version(w), 2);
    rpp_writer_free(w);
    rpp_writer_free(NULL);
}

/* Milliseconds since the Unix epoch on CLOCK_REALTIME, as the writer's
 * default clock reads them. */
static uint64_t wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_writer__default_clock_stamps_the_present(void **state)
{
    rpp_writer *w = NULL;
    rpp_report *r;
    uint64_t before, after;

    (void)state;
    /* the clock the writer reads (time() may lag it by a tick) */
    before = wall_ms();
    assert_int_equal(rpp_writer_new(&w, 3, NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_start(w, "img", 1, "dev"), RPP_OK);
    r = reload(w);
    after = wall_ms();
    assert_true(r->summary.session_start_time >= before);
    assert_true(r->summary.session_start_time <= after);
    assert_int_equal(r->summary.session_state, RPP_STATE_IN_PROGRESS);
    rpp_report_free(r);
    rpp_writer_free(w);
}

/* The exact text of an empty recorder: Qt's layout, keys sorted, empty
 * containers as "{" newline indent "}", trailing newline. */
static void test_writer__empty_v3_report_is_exactly_the_imager_layout(
    void **state)
{
    static const char expected[] =
        "{\n"
        "    \"events\": [\n"
        "    ],\n"
        "    \"exportTime\": \"2025-12-01T09:01:05\",\n"
        "    \"histograms\": {\n"
        "    },\n"
        "    \"schema\": {\n"
        "        \"histogramSliceFormat\": [\n"
        "            \"timestampMs\",\n"
        "            \"minKBps\",\n"
        "            \"maxKBps\",\n"
        "            \"avgKBps\",\n"
        "            \"bucket_0-1MB\",\n"
        "            \"bucket_1-2MB\",\n"
        "            \"bucket_2-4MB\",\n"
        "            \"bucket_4-8MB\",\n"
        "            \"bucket_8-16MB\",\n"
        "            \"bucket_16-32MB\",\n"
        "            \"bucket_32-64MB\",\n"
        "            \"bucket_64-128MB\",\n"
        "            \"bucket_128-256MB\",\n"
        "            \"bucket_256-512MB\",\n"
        "            \"bucket_512-1024MB\",\n"
        "            \"bucket_1024+MB\"\n"
        "        ],\n"
        "        \"histogramWindowMs\": 1000,\n"
        "        \"throughputUnit\": \"KB/s\"\n"
        "    },\n"
        "    \"summary\": {\n"
        "        \"deviceName\": \"\",\n"
        "        \"durationMs\": 0,\n"
        "        \"events\": {\n"
        "        },\n"
        "        \"imageName\": \"\",\n"
        "        \"imageSize\": 0,\n"
        "        \"phases\": {\n"
        "            \"decompress\": {\n"
        "            },\n"
        "            \"download\": {\n"
        "            },\n"
        "            \"verify\": {\n"
        "            },\n"
        "            \"write\": {\n"
        "            }\n"
        "        },\n"
        "        \"sessionEndTime\": 0,\n"
        "        \"sessionStartTime\": 0,\n"
        "        \"sessionState\": \"never_started\",\n"
        "        \"success\": false\n"
        "    },\n"
        "    \"version\": 3\n"
        "}\n";
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char *s;

    (void)state;
    advance(&c, 65498);
    s = export_text(w);
    assert_string_equal(s, expected);
    free(s);
    rpp_writer_free(w);
}

static void test_writer__v2_has_no_decompress_state_or_system(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(2, &c);
    rpp_writer_system sys;
    char *s;

    (void)state;
    memset(&sys, 0, sizeof(sys));
    assert_int_equal(rpp_writer_set_system(w, &sys), RPP_ERR_STATE);
    assert_int_equal(rpp_writer_update_direct_io(w, true), RPP_ERR_STATE);
    assert_int_equal(rpp_writer_event_add(w, RPP_EV_RING_BUFFER_STARVATION,
                                          1, 2, true, "x", 0),
                     RPP_ERR_STATE);
    assert_int_equal(rpp_writer_session_start(w, "img", 10, "dev"), RPP_OK);
    advance(&c, 200);
    assert_int_equal(rpp_writer_progress(w, RPP_PHASE_DECOMPRESS, 5, 10),
                     RPP_ERR_STATE);
    assert_int_equal(rpp_writer_session_end(w, false, "Cancelled by user"),
                     RPP_OK);
    s = export_text(w);
    assert_contains(s, "    \"version\": 2\n}\n");
    assert_contains(s, "\"errorMessage\": \"Cancelled by user\"");
    assert_contains(s, "\"success\": false\n");
    assert_lacks(s, "decompress\"");
    assert_lacks(s, "sessionState");
    assert_lacks(s, "\"system\"");
    assert_lacks(s, "cycleStart");
    assert_lacks(s, "cycleEnd");
    free(s);
    rpp_writer_free(w);
}

/* ---- Sessions ---------------------------------------------------------- */

static void test_writer__v3_session_start_keeps_earlier_events(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    const rpp_event *e;
    rpp_report *r;

    (void)state;
    advance(&c, 5000);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_DRIVE_LIST_POLL, 300,
                                             true, NULL), RPP_OK);
    advance(&c, 1000);
    assert_int_equal(rpp_writer_session_start(w, "Lite", 2852126720u,
                                              "/dev/sdb"), RPP_OK);
    advance(&c, 700);
    assert_int_equal(rpp_writer_session_start(w, "Lite", 2852126720u,
                                              "/dev/sdc"), RPP_OK);
    r = reload(w);
    assert_int_equal(r->n_events, 3);
    assert_int_equal(r->events[0].type, RPP_EV_DRIVE_LIST_POLL);
    assert_int_equal(r->events[0].start_ms, 0);     /* no session yet */
    e = find_event(r, RPP_EV_CYCLE_START, 0);
    assert_non_null(e);
    assert_int_equal(e->start_ms, 0);
    assert_int_equal(e->bytes_transferred, 2852126720u);
    assert_false(e->has_throughput);
    assert_string_equal(e->metadata, "image: Lite; device: /dev/sdb; "
                                     "size: 2852126720");
    /* a cycle started inside an active one starts at that one's time */
    e = find_event(r, RPP_EV_CYCLE_START, 1);
    assert_non_null(e);
    assert_int_equal(e->start_ms, 700);
    assert_string_equal(r->summary.device_name, "/dev/sdc");
    assert_int_equal(r->summary.session_start_time, EPOCH + 6700);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__v2_session_start_discards_everything(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(2, &c);
    rpp_report *r;
    int id = 0;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, "m", &id),
                     RPP_OK);
    assert_int_equal(id, 1);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, "m", &id),
                     RPP_OK);
    assert_int_equal(id, 2);
    advance(&c, 150);
    assert_int_equal(rpp_writer_progress(w, RPP_PHASE_WRITE, 10, 100),
                     RPP_OK);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_FINAL_SYNC, 10, true,
                                             NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_start(w, "b", 2, "e"), RPP_OK);
    /* the pending events are gone and ids start again at 1 */
    assert_int_equal(rpp_writer_event_end(w, 2, true, NULL),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, NULL, &id),
                     RPP_OK);
    assert_int_equal(id, 1);
    r = reload(w);
    assert_int_equal(r->n_events, 0);
    assert_false(r->histograms[RPP_PHASE_WRITE].present);
    assert_string_equal(r->summary.image_name, "b");
    rpp_report_free(r);
    rpp_writer_free(w);
}

/* cycleStart's metadata is built by a chain of QString::arg calls, each of
 * which replaces the lowest-numbered %N left in the text so far. */
static void test_writer__cycle_start_metadata_follows_the_arg_chain(
    void **state)
{
    static const struct {
        const char *image, *device, *meta;
    } cases[] = {
        { "Pi OS", "/dev/sdb", "image: Pi OS; device: /dev/sdb; size: 42" },
        { "x%2y", "D", "image: xDy; device: D; size: 42" },
        { "x%1y", "D", "image: xDy; device: 42; size: %3" },
        { "50%", "%", "image: 50%; device: %; size: 42" },
        { "a%L2", "D", "image: aD; device: D; size: 42" },
        { "a%0", "D", "image: aD; device: 42; size: %3" },
        { "a%12", "D", "image: a%12; device: D; size: 42" },
        { "", "", "image: ; device: ; size: 42" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tclock c;
        rpp_writer *w = new_writer(3, &c);
        rpp_report *r;

        assert_int_equal(rpp_writer_session_start(w, cases[i].image, 42,
                                                  cases[i].device), RPP_OK);
        r = reload(w);
        assert_string_equal(r->events[0].metadata, cases[i].meta);
        assert_string_equal(r->summary.image_name, cases[i].image);
        rpp_report_free(r);
        rpp_writer_free(w);
    }
}

static void test_writer__session_end_without_session_records_nothing(
    void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;

    (void)state;
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_ERR_STATE);
    assert_int_equal(rpp_writer_finalising(w), RPP_ERR_STATE);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, false, "again"),
                     RPP_ERR_STATE);
    r = reload(w);
    assert_int_equal(r->n_events, 2);
    assert_int_equal(r->summary.session_state, RPP_STATE_SUCCEEDED);
    assert_null(r->summary.error_message);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__session_end_tells_cancelled_from_failed(
    void **state)
{
    static const struct {
        bool success;
        const char *message;
        rpp_session_state state;
        const char *cycle_meta;
    } cases[] = {
        { true, NULL, RPP_STATE_SUCCEEDED, "completed" },
        { true, "odd", RPP_STATE_SUCCEEDED, "completed" },
        { false, "Cancelled by user", RPP_STATE_CANCELLED,
          "failed: Cancelled by user" },
        { false, "Device was REMOVED", RPP_STATE_CANCELLED,
          "failed: Device was REMOVED" },
        { false, "aborted by the User", RPP_STATE_CANCELLED,
          "failed: aborted by the User" },
        { false, "Write error: EIO", RPP_STATE_FAILED,
          "failed: Write error: EIO" },
        { false, NULL, RPP_STATE_FAILED, "failed: " },
        { false, "100%1 done", RPP_STATE_FAILED, "failed: 100%1 done" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tclock c;
        rpp_writer *w = new_writer(3, &c);
        const rpp_event *e;
        rpp_report *r;

        assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
        advance(&c, 4321);
        assert_int_equal(rpp_writer_session_end(w, cases[i].success,
                                                cases[i].message), RPP_OK);
        r = reload(w);
        assert_int_equal(r->summary.session_state, cases[i].state);
        assert_int_equal(r->summary.success,
                         cases[i].state == RPP_STATE_SUCCEEDED);
        assert_int_equal(r->summary.duration_ms, 4321);
        e = find_event(r, RPP_EV_CYCLE_END, 0);
        assert_non_null(e);
        assert_int_equal(e->start_ms, 4321);
        assert_int_equal(e->success, cases[i].success);
        assert_string_equal(e->metadata, cases[i].cycle_meta);
        if (cases[i].message)
            assert_string_equal(r->summary.error_message, cases[i].message);
        else
            assert_null(r->summary.error_message);
        rpp_report_free(r);
        rpp_writer_free(w);
    }
}

/* ---- Events ------------------------------------------------------------ */

static void test_writer__event_end_joins_metadata_with_semicolon(
    void **state)
{
    static const struct {
        const char *begin, *end, *meta;
    } cases[] = {
        { "url", "bytes: 8731", "url; bytes: 8731" },
        { "", "bytes: 1", "bytes: 1" },
        { NULL, "bytes: 1", "bytes: 1" },
        { "url", NULL, "url" },
        { "url", "", "url" },
        { NULL, NULL, NULL },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tclock c;
        rpp_writer *w = new_writer(3, &c);
        rpp_report *r;
        int id = 0;

        assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
        advance(&c, 250);
        assert_int_equal(rpp_writer_event_begin(w, RPP_EV_SUBLIST_FETCH,
                                                cases[i].begin, &id), RPP_OK);
        advance(&c, 455);
        assert_int_equal(rpp_writer_event_end(w, id, false, cases[i].end),
                         RPP_OK);
        r = reload(w);
        assert_int_equal(r->n_events, 2);
        assert_int_equal(r->events[1].start_ms, 250);
        assert_int_equal(r->events[1].duration_ms, 455);
        assert_false(r->events[1].success);
        if (cases[i].meta)
            assert_string_equal(r->events[1].metadata, cases[i].meta);
        else
            assert_null(r->events[1].metadata);
        rpp_report_free(r);
        rpp_writer_free(w);
    }
}

static void test_writer__event_end_of_unknown_id_records_nothing(
    void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char *before, *after;
    int id = 0;

    (void)state;
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, "m", &id),
                     RPP_OK);
    before = export_text(w);
    assert_int_equal(rpp_writer_event_end(w, id + 1, true, "x"),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(rpp_writer_event_end(w, 0, true, "x"),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(rpp_writer_event_end(w, -1, true, "x"),
                     RPP_ERR_NOT_FOUND);
    after = export_text(w);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(rpp_writer_event_end(w, id, true, NULL), RPP_OK);
    /* ending it twice is the same as an unknown id */
    assert_int_equal(rpp_writer_event_end(w, id, true, NULL),
                     RPP_ERR_NOT_FOUND);
    after = export_text(w);
    assert_string_not_equal(before, after);
    assert_contains(after, "\"type\": \"driveOpen\"");
    free(before);
    free(after);
    rpp_writer_free(w);
}

static void test_writer__event_ids_count_up_from_one(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    int id = 0, i;

    (void)state;
    for (i = 1; i <= 5; i++) {
        assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_LIST_POLL,
                                                NULL, &id), RPP_OK);
        assert_int_equal(id, i);
    }
    /* version 3 session starts keep counting */
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_LIST_POLL, NULL,
                                            &id), RPP_OK);
    assert_int_equal(id, 6);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_LIST_POLL, NULL,
                                            NULL), RPP_ERR_ARG);
    rpp_writer_free(w);
}

/* A begin/end pair spanning a new cycle: the start is from the old timer,
 * the end from the new one, and a negative duration becomes 0. */
static void test_writer__event_end_clamps_negative_duration(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    int a = 0, b = 0;

    (void)state;
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_LIST_POLL, NULL,
                                            &b), RPP_OK);   /* no session */
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    advance(&c, 5000);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, NULL, &a),
                     RPP_OK);
    advance(&c, 100);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    advance(&c, 1300);
    assert_int_equal(rpp_writer_event_end(w, a, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_event_end(w, b, true, NULL), RPP_OK);
    r = reload(w);
    assert_int_equal(r->events[2].type, RPP_EV_DRIVE_OPEN);
    assert_int_equal(r->events[2].start_ms, 5000);
    assert_int_equal(r->events[2].duration_ms, 0);
    assert_int_equal(r->events[3].type, RPP_EV_DRIVE_LIST_POLL);
    assert_int_equal(r->events[3].start_ms, 0);
    assert_int_equal(r->events[3].duration_ms, 1300);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__events_without_session_start_at_zero(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    int id = 0;

    (void)state;
    advance(&c, 90000);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_OS_LIST_PARSE, 38,
                                             true, ""), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_SUBLIST_FETCH, "u",
                                            &id), RPP_OK);
    advance(&c, 455);
    assert_int_equal(rpp_writer_event_end(w, id, true, "bytes: 9"), RPP_OK);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    advance(&c, 60);
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
    advance(&c, 9000);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_DEVICE_CLOSE, 260,
                                             true, NULL), RPP_OK);
    r = reload(w);
    assert_int_equal(r->events[0].start_ms, 0);
    assert_null(r->events[0].metadata);     /* "" is left out */
    assert_int_equal(r->events[1].start_ms, 0);
    assert_int_equal(r->events[1].duration_ms, 0);
    assert_string_equal(r->events[1].metadata, "u; bytes: 9");
    assert_int_equal(r->events[4].type, RPP_EV_DEVICE_CLOSE);
    assert_int_equal(r->events[4].start_ms, 0);
    assert_int_equal(r->events[4].duration_ms, 260);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__record_start_wraps_in_32_bits(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    advance(&c, 150);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_DRIVE_LIST_POLL, 420,
                                             true, NULL), RPP_OK);
    advance(&c, 850);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_FINAL_SYNC, 400, true,
                                             NULL), RPP_OK);
    r = reload(w);
    assert_int_equal(r->events[1].start_ms, UINT64_C(4294967026));
    assert_int_equal(r->events[2].start_ms, 600);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__transfer_events_carry_bytes_and_throughput(
    void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;

    (void)state;
    assert_int_equal(rpp_writer_event_transfer(w, RPP_EV_OS_LIST_FETCH, 494,
                                               125127, true, "u"), RPP_OK);
    assert_int_equal(rpp_writer_event_transfer(w, RPP_EV_OS_LIST_FETCH, 0,
                                               10, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_event_transfer(w, RPP_EV_OS_LIST_FETCH, 30,
                                               0, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_event_add(w, RPP_EV_PIPELINE_DECOMPRESSION_TIME,
                                          7, 51237, true, "bytes: 5632 MB",
                                          UINT64_C(5905580032)), RPP_OK);
    r = reload(w);
    assert_true(r->events[0].has_bytes);
    assert_int_equal(r->events[0].bytes_transferred, 125127);
    assert_true(r->events[0].has_throughput);
    assert_int_equal(r->events[0].throughput_kbps, 247);   /* floor */
    assert_true(r->events[1].has_bytes);
    assert_false(r->events[1].has_throughput);             /* 0 ms */
    assert_false(r->events[2].has_bytes);                  /* 0 bytes */
    assert_false(r->events[2].has_throughput);
    assert_int_equal(r->events[3].start_ms, 7);
    assert_int_equal(r->events[3].throughput_kbps, 112558);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__unknown_event_types_are_rejected(void **state)
{
    static const int bad[] = { (int)RPP_EV_UNKNOWN, -1, 1000 };
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    size_t i;
    int id = 0;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rpp_event_type t = (rpp_event_type)bad[i];

        assert_int_equal(rpp_writer_event_record(w, t, 1, true, NULL),
                         RPP_ERR_ARG);
        assert_int_equal(rpp_writer_event_transfer(w, t, 1, 1, true, NULL),
                         RPP_ERR_ARG);
        assert_int_equal(rpp_writer_event_add(w, t, 1, 1, true, NULL, 0),
                         RPP_ERR_ARG);
        assert_int_equal(rpp_writer_event_begin(w, t, NULL, &id),
                         RPP_ERR_ARG);
    }
    assert_int_equal(rpp_writer_progress(w, (rpp_phase)4, 1, 1),
                     RPP_ERR_ARG);
    assert_int_equal(rpp_writer_progress(w, (rpp_phase)-1, 1, 1),
                     RPP_ERR_ARG);
    assert_int_equal(rpp_writer_set_system(w, NULL), RPP_ERR_ARG);
    assert_int_equal(rpp_writer_event_record(NULL, RPP_EV_DRIVE_OPEN, 1, true,
                                             NULL), RPP_ERR_ARG);
    rpp_writer_free(w);
}

static void test_writer__null_strings_are_treated_as_empty(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_writer_system sys;
    char *s;
    int id = 0;

    (void)state;
    memset(&sys, 0, sizeof(sys));
    assert_int_equal(rpp_writer_session_start(w, NULL, 7, NULL), RPP_OK);
    assert_int_equal(rpp_writer_set_system(w, &sys), RPP_OK);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_DRIVE_OPEN, 1, true,
                                             NULL), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, NULL, &id),
                     RPP_OK);
    assert_int_equal(rpp_writer_event_end(w, id, true, NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, false, NULL), RPP_OK);
    s = export_text(w);
    assert_contains(s, "\"deviceName\": \"\",\n");
    assert_contains(s, "\"imageName\": \"\",\n");
    assert_contains(s, "\"metadata\": \"image: ; device: ; size: 7\"");
    assert_contains(s, "\"metadata\": \"failed: \"");
    assert_contains(s, "\"sessionState\": \"failed\"");
    assert_contains(s, "\"os\": \"\",\n");
    assert_contains(s, "\"imager\": {\n            \"version\": \"\"\n");
    assert_lacks(s, "errorMessage");
    assert_lacks(s, "memoryTier");
    free(s);
    rpp_writer_free(w);
}

/* ---- Progress ---------------------------------------------------------- */

static size_t samples_of(rpp_writer *w, rpp_phase p)
{
    rpp_report *r = reload(w);
    size_t n = r->summary.phases[p].sample_count;

    rpp_report_free(r);
    return n;
}

static void test_writer__progress_rate_limit_keeps_100ms_apart(void **state)
{
    static const int times[] = { 50, 100, 150, 199, 200, 250, 350 };
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    size_t i;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        c.mono = times[i];
        assert_int_equal(rpp_writer_progress(w, RPP_PHASE_WRITE,
                                             (uint64_t)times[i] * 1000,
                                             1000000), RPP_OK);
    }
    r = reload(w);
    /* kept: 100, 200, 350; 50 is too early after the session start */
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].sample_count, 3);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].duration_ms, 250);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__progress_phase_switch_resets_rate_limit(
    void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    c.mono = 100;
    rpp_writer_progress(w, RPP_PHASE_WRITE, 1, 10);
    c.mono = 120;
    rpp_writer_progress(w, RPP_PHASE_DOWNLOAD, 1, 10);
    c.mono = 140;    /* 40 ms after the last write sample, but a switch */
    rpp_writer_progress(w, RPP_PHASE_WRITE, 2, 10);
    c.mono = 160;    /* same phase again: limited */
    rpp_writer_progress(w, RPP_PHASE_WRITE, 3, 10);
    assert_int_equal(samples_of(w, RPP_PHASE_WRITE), 2);
    assert_int_equal(samples_of(w, RPP_PHASE_DOWNLOAD), 1);
    rpp_writer_free(w);
}

static void test_writer__finalising_resets_rate_limit(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    c.mono = 100;
    rpp_writer_progress(w, RPP_PHASE_VERIFY, 1, 10);
    c.mono = 150;
    rpp_writer_progress(w, RPP_PHASE_VERIFY, 2, 10);  /* limited */
    assert_int_equal(rpp_writer_finalising(w), RPP_OK);
    c.mono = 160;
    rpp_writer_progress(w, RPP_PHASE_VERIFY, 3, 10);  /* after a switch */
    assert_int_equal(samples_of(w, RPP_PHASE_VERIFY), 2);
    rpp_writer_free(w);
}

/* Samples whose bytes do not advance are kept but give no throughput. */
static void test_writer__non_advancing_progress_adds_no_throughput(
    void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    const rpp_phase_summary *ps;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    c.mono = 100;
    rpp_writer_progress(w, RPP_PHASE_WRITE, 500, 1000);
    c.mono = 300;
    rpp_writer_progress(w, RPP_PHASE_WRITE, 500, 1000);
    c.mono = 500;
    rpp_writer_progress(w, RPP_PHASE_WRITE, 400, 1000);
    r = reload(w);
    ps = &r->summary.phases[RPP_PHASE_WRITE];
    assert_int_equal(ps->sample_count, 3);
    assert_int_equal(ps->duration_ms, 400);
    assert_int_equal(ps->fields & (RPP_PH_AVG | RPP_PH_MIN | RPP_PH_MAX), 0);
    assert_true(r->histograms[RPP_PHASE_WRITE].present);
    assert_int_equal(r->histograms[RPP_PHASE_WRITE].n_slices, 0);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__bytes_total_is_the_latest_total(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    char *s;

    (void)state;
    assert_int_equal(rpp_writer_progress(w, RPP_PHASE_WRITE, 1, 5), RPP_OK);
    assert_int_equal(samples_of(w, RPP_PHASE_WRITE), 0);  /* no session */
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    c.mono = 100;
    rpp_writer_progress(w, RPP_PHASE_WRITE, 1, 10);
    c.mono = 150;     /* dropped by the rate limit, total still taken */
    rpp_writer_progress(w, RPP_PHASE_WRITE, 2, 99);
    r = reload(w);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].sample_count, 1);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].bytes_total, 99);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].fields,
                     RPP_PH_SAMPLE_COUNT | RPP_PH_BYTES_TOTAL);
    rpp_report_free(r);
    /* one sample: an empty histogram, printed as "[" newline indent "]" */
    s = export_text(w);
    assert_contains(s, "\"write\": [\n        ]\n");
    free(s);
    rpp_writer_free(w);
}

static void feed_samples(rpp_writer *w, tclock *c, int n, uint64_t *bytes)
{
    int i;

    for (i = 0; i < n; i++) {
        advance(c, 100);
        *bytes += 1048576;
        assert_int_equal(rpp_writer_progress(w, RPP_PHASE_WRITE, *bytes,
                                             UINT64_C(1) << 40), RPP_OK);
    }
}

static void test_writer__cap_keeps_6000_samples_per_phase(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_report *r;
    uint64_t bytes = 0;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    feed_samples(w, &c, 6100, &bytes);
    r = reload(w);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].sample_count, 6000);
    /* the last kept sample is the 6000th, at 600 s */
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].duration_ms,
                     599900);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].bytes_total,
                     UINT64_C(1) << 40);
    rpp_report_free(r);
    rpp_writer_free(w);
}

static void test_writer__cap_counts_across_cycles(void **state)
{
    int version;

    (void)state;
    for (version = 2; version <= 3; version++) {
        tclock c;
        rpp_writer *w = new_writer(version, &c);
        uint64_t bytes = 0;
        char *s;

        assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
        feed_samples(w, &c, 4000, &bytes);
        assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
        assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
        bytes = 0;
        feed_samples(w, &c, 4000, &bytes);
        s = export_text(w);
        /* version 3 keeps both cycles up to the cap; version 2 starts over */
        assert_contains(s, version == 3 ? "\"sampleCount\": 6000"
                                        : "\"sampleCount\": 4000");
        free(s);
        rpp_writer_free(w);
    }
}

/* Windows of 1000 ms from a sample; only pairs inside a window count; the
 * pair across two windows is dropped; buckets by MB/s powers of two. */
static void test_writer__histogram_windows_and_buckets(void **state)
{
    static const struct {
        int t;
        uint64_t bytes;
    } s[] = {
        { 100, 0 },
        { 300, 2097152 },      /* 10240 KB/s: bucket 4 (8-16 MB/s) */
        { 600, 2097152 },      /* no advance: no pair */
        { 900, 2404352 },      /* 1000 KB/s: bucket 0 */
        { 1100, 9000000 },     /* a new window; the pair is dropped */
        { 1200, 109000000 },   /* 976562 KB/s: bucket 10 */
        { 4000, 109100000 },   /* another window with one sample */
    };
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    const rpp_histogram *h;
    const rpp_phase_summary *ps;
    rpp_report *r;
    size_t i;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        c.mono = s[i].t;
        rpp_writer_progress(w, RPP_PHASE_VERIFY, s[i].bytes, 109100000);
    }
    r = reload(w);
    h = &r->histograms[RPP_PHASE_VERIFY];
    assert_int_equal(h->n_slices, 2);
    assert_int_equal(h->slices[0].t_ms, 100);
    assert_int_equal(h->slices[0].min_kbps, 1000);
    assert_int_equal(h->slices[0].max_kbps, 10240);
    assert_int_equal(h->slices[0].avg_kbps, 5620);
    assert_int_equal(h->slices[0].buckets[0], 1);
    assert_int_equal(h->slices[0].buckets[4], 1);
    assert_int_equal(h->slices[1].t_ms, 1100);
    assert_int_equal(h->slices[1].avg_kbps, 976562);
    assert_int_equal(h->slices[1].buckets[10], 1);
    /* the summary counts every pair, across windows too */
    ps = &r->summary.phases[RPP_PHASE_VERIFY];
    assert_int_equal(ps->sample_count, 7);
    assert_int_equal(ps->duration_ms, 3900);
    assert_int_equal(ps->min_kbps, 34);
    assert_int_equal(ps->max_kbps, 976562);
    assert_int_equal(ps->avg_kbps, (10240 + 1000 + 32205 + 976562 + 34) / 5);
    rpp_report_free(r);
    rpp_writer_free(w);
}

/* ---- Strings, system block, export time -------------------------------- */

static void test_writer__strings_are_escaped_as_qt_does(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char *s;

    (void)state;
    assert_int_equal(rpp_writer_event_record(
                         w, RPP_EV_DRIVE_OPEN, 1, true,
                         "q\" b\\ \b\f\n\r\t \x01\x1f\x7f \xc3\xa9 \xe2\x82\xac"
                         " \xff \xc3 \xed\xa0\x80 \xf0\x9f\x98\x80 /<&"),
                     RPP_OK);
    s = export_text(w);
    assert_contains(s, "\"metadata\": \"q\\\" b\\\\ \\b\\f\\n\\r\\t "
                       "\\u0001\\u001f\x7f \xc3\xa9 \xe2\x82\xac "
                       "\xef\xbf\xbd \xef\xbf\xbd "
                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
                       "\xf0\x9f\x98\x80 /<&\",\n");
    free(s);
    rpp_writer_free(w);
}

static rpp_writer_system example_system(void)
{
    rpp_writer_system y;

    memset(&y, 0, sizeof(y));
    y.total_memory_bytes = UINT64_C(16647192576);
    y.available_memory_bytes = UINT64_C(10203693056);
    y.device_path = "/dev/sdb";
    y.device_size_bytes = UINT64_C(31914983424);
    y.device_description = "";
    y.device_is_usb = true;
    y.device_is_removable = true;
    y.os_name = "Linux";
    y.os_version = "24.04";
    y.cpu_architecture = "x86_64";
    y.cpu_core_count = 8;
    y.imager_version = "2.0.11";
    y.imager_build_type = "Release";
    y.qt_version = "6.9.3";
    y.qt_build_version = "6.9.2";
    y.periodic_sync_enabled = true;
    y.sync_interval_bytes = 260046848;
    y.sync_interval_ms = 7000;
    y.memory_tier = "High memory (15876MB)";
    y.write_buffer_size = 8388608;
    y.input_buffer_size = 2097152;
    y.input_ring_buffer_slots = 16;
    y.write_ring_buffer_slots = 516;
    return y;
}

static void test_writer__system_block_is_written_field_by_field(
    void **state)
{
    static const char expected[] =
        "    \"system\": {\n"
        "        \"imager\": {\n"
        "            \"buildType\": \"Release\",\n"
        "            \"qtBuild\": \"6.9.2\",\n"
        "            \"qtRuntime\": \"6.9.3\",\n"
        "            \"version\": \"2.0.11\"\n"
        "        },\n"
        "        \"memory\": {\n"
        "            \"availableBytes\": 10203693056,\n"
        "            \"availableMB\": 9731,\n"
        "            \"totalBytes\": 16647192576,\n"
        "            \"totalMB\": 15876\n"
        "        },\n"
        "        \"platform\": {\n"
        "            \"cpuArchitecture\": \"x86_64\",\n"
        "            \"cpuCores\": 8,\n"
        "            \"os\": \"Linux\",\n"
        "            \"osVersion\": \"24.04\"\n"
        "        },\n"
        "        \"targetDevice\": {\n"
        "            \"description\": \"\",\n"
        "            \"isRemovable\": true,\n"
        "            \"isUsb\": true,\n"
        "            \"path\": \"/dev/sdb\",\n"
        "            \"sizeBytes\": 31914983424,\n"
        "            \"sizeMB\": 30436\n"
        "        },\n"
        "        \"writeConfig\": {\n"
        "            \"buffers\": {\n"
        "                \"inputBufferBytes\": 2097152,\n"
        "                \"inputBufferKB\": 2048,\n"
        "                \"inputRingBufferSlots\": 16,\n"
        "                \"writeBufferBytes\": 8388608,\n"
        "                \"writeBufferKB\": 8192,\n"
        "                \"writeRingBufferSlots\": 516\n"
        "            },\n"
        "            \"directIOEnabled\": true,\n"
        "            \"memoryTier\": \"High memory (15876MB)\",\n"
        "            \"periodicSyncEnabled\": true,\n"
        "            \"syncIntervalBytes\": 260046848,\n"
        "            \"syncIntervalMB\": 248,\n"
        "            \"syncIntervalMs\": 7000\n"
        "        }\n"
        "    },\n"
        "    \"version\": 3\n";
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_writer_system y = example_system();
    char *s;

    (void)state;
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_set_system(w, &y), RPP_OK);
    y.os_name = "changed after the call";     /* the strings were copied */
    assert_int_equal(rpp_writer_update_direct_io(w, true), RPP_OK);
    s = export_text(w);
    assert_contains(s, expected);
    free(s);
    /* without periodic sync the interval is left out */
    y = example_system();
    y.periodic_sync_enabled = false;
    y.imager_build_type = "";
    assert_int_equal(rpp_writer_set_system(w, &y), RPP_OK);
    s = export_text(w);
    assert_contains(s, "\"directIOEnabled\": false,\n");
    assert_contains(s, "\"periodicSyncEnabled\": false\n");
    assert_lacks(s, "syncInterval");
    assert_lacks(s, "buildType");
    free(s);
    /* a new session drops the block */
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_update_direct_io(w, true), RPP_OK);
    s = export_text(w);
    assert_lacks(s, "\"system\"");
    free(s);
    rpp_writer_free(w);
}

static void test_writer__export_time_is_local_or_utc(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    struct tm tm;
    time_t secs;
    char local[64], needle[96], *s;

    (void)state;
    c.wall = INT64_C(1764579665498);
    s = export_text(w);
    assert_contains(s, "\"exportTime\": \"2025-12-01T09:01:05\",\n");
    free(s);
    assert_int_equal(rpp_writer_set_utc(w, false), RPP_OK);
    secs = (time_t)(c.wall / 1000);
    assert_non_null(localtime_r(&secs, &tm));
    strftime(local, sizeof(local), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(needle, sizeof(needle), "\"exportTime\": \"%s\",\n", local);
    s = export_text(w);
    assert_contains(s, needle);
    free(s);
    rpp_writer_free(w);
}

/* ---- Export to files --------------------------------------------------- */

static void make_tmpdir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/test_writer.XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static size_t count_entries(const char *dir)
{
    char cmd[300];
    FILE *p;
    size_t n = 0;
    int ch;

    snprintf(cmd, sizeof(cmd), "ls -A '%s'", dir);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((ch = fgetc(p)) != EOF)
        if (ch == '\n')
            n++;
    pclose(p);
    return n;
}

static void remove_tree(const char *dir)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_writer__export_file_writes_the_report(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char dir[64], path[128], *s, *f;
    struct stat st;
    FILE *old;

    (void)state;
    make_tmpdir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/report.json", dir);
    old = fopen(path, "w");
    assert_non_null(old);
    fputs("old", old);
    fclose(old);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_export_file(w, path), RPP_OK);
    s = export_text(w);
    f = read_whole(path, NULL);
    assert_non_null(f);
    assert_string_equal(f, s);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);   /* kept */
    assert_int_equal(count_entries(dir), 1);     /* no temporary left */
    free(s);
    free(f);
    assert_int_equal(rpp_writer_export_file(w, NULL), RPP_ERR_ARG);
    assert_int_equal(rpp_writer_export_file(w, ""), RPP_ERR_ARG);
    remove_tree(dir);
    rpp_writer_free(w);
}

/* Writing the temporary file fails (a file size limit of 0 makes every
 * write fail with EFBIG; SIGXFSZ is ignored so that the write returns the
 * error): the export fails, the existing report is untouched, nothing is
 * left. */
static void test_writer__failed_export_keeps_the_existing_file(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char dir[64], path[400], *f;
    struct rlimit old_limit, none = { 0, 0 };
    void (*old_handler)(int);
    FILE *old;
    int rc;

    (void)state;
    make_tmpdir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/report.json", dir);
    old = fopen(path, "w");
    assert_non_null(old);
    fputs("the old report", old);
    fclose(old);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    none.rlim_max = old_limit.rlim_max;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
    rc = rpp_writer_export_file(w, path);
    /* restored before any assertion, which could not print otherwise */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, RPP_ERR_IO);
    f = read_whole(path, NULL);
    assert_non_null(f);
    assert_string_equal(f, "the old report");
    free(f);
    assert_int_equal(count_entries(dir), 1);
    /* a directory in the way and a missing directory fail the same way */
    assert_int_equal(rpp_writer_export_file(w, dir), RPP_ERR_IO);
    snprintf(path, sizeof(path), "%s/missing/report.json", dir);
    assert_int_equal(rpp_writer_export_file(w, path), RPP_ERR_IO);
    if (geteuid() != 0) {
        /* an unwritable directory */
        snprintf(path, sizeof(path), "%s/keep.json", dir);
        old = fopen(path, "w");
        assert_non_null(old);
        fputs("kept", old);
        fclose(old);
        assert_int_equal(chmod(dir, 0500), 0);
        assert_int_equal(rpp_writer_export_file(w, path), RPP_ERR_IO);
        assert_int_equal(chmod(dir, 0700), 0);
        f = read_whole(path, NULL);
        assert_string_equal(f, "kept");
        free(f);
    }
    remove_tree(dir);
    rpp_writer_free(w);
}

/* A name as long as a file system allows (250 bytes here) is written: the
 * temporary file's name does not grow with it. */
static void test_writer__export_file_takes_a_long_name(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    char dir[64], path[400], *s, *f;
    size_t len;

    (void)state;
    make_tmpdir(dir, sizeof(dir));
    len = (size_t)snprintf(path, sizeof(path), "%s/", dir);
    memset(path + len, 'r', 250);
    path[len + 250] = '\0';
    assert_int_equal(rpp_writer_export_file(w, path), RPP_OK);
    s = export_text(w);
    f = read_whole(path, NULL);
    assert_non_null(f);
    assert_string_equal(f, s);
    assert_int_equal(count_entries(dir), 1);
    free(s);
    free(f);
    remove_tree(dir);
    rpp_writer_free(w);
}

static void test_writer__export_stream_reports_write_errors(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    FILE *f;

    (void)state;
    assert_int_equal(rpp_writer_export_stream(w, NULL), RPP_ERR_ARG);
    f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(rpp_writer_export_stream(w, f), RPP_ERR_IO);
    fclose(f);
    rpp_writer_free(w);
}

/* ---- Out of memory ----------------------------------------------------- */

typedef struct failing {
    long left;               /* allocations allowed before failing; -1 */
    long calls;
} failing;

static void *failing_realloc(void *ctx, void *p, size_t n)
{
    failing *f = ctx;

    f->calls++;
    if (f->left == 0)
        return NULL;
    if (f->left > 0)
        f->left--;
    return realloc(p, n);
}

static void failing_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

typedef int (*writer_op)(rpp_writer *w, tclock *c, int *id);

static int op_session_start(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    (void)id;
    return rpp_writer_session_start(w, "image", 100, "device");
}

static int op_system(rpp_writer *w, tclock *c, int *id)
{
    rpp_writer_system y = example_system();

    (void)c;
    (void)id;
    return rpp_writer_set_system(w, &y);
}

static int op_record(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    (void)id;
    return rpp_writer_event_record(w, RPP_EV_DRIVE_OPEN, 5, true, "meta");
}

static int op_begin(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    return rpp_writer_event_begin(w, RPP_EV_CUSTOMISATION, "meta", id);
}

static int op_end(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    return rpp_writer_event_end(w, *id, true, "more");
}

static int op_add(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    (void)id;
    return rpp_writer_event_add(w, RPP_EV_RING_BUFFER_STARVATION, 10, 20,
                                true, "buffer: write", 0);
}

static int op_progress(rpp_writer *w, tclock *c, int *id)
{
    (void)id;
    advance(c, 150);
    return rpp_writer_progress(w, RPP_PHASE_WRITE, (uint64_t)c->mono, 1000);
}

static int op_session_end(rpp_writer *w, tclock *c, int *id)
{
    (void)c;
    (void)id;
    return rpp_writer_session_end(w, false, "Write error");
}

/*
 * Runs each call with the allocator failing at its first, second, ...
 * allocation: every failure returns RPP_ERR_NOMEM and leaves the report
 * exactly as before; then the call succeeds once memory is back.
 */
static void test_writer__out_of_memory_leaves_the_recorder_unchanged(
    void **state)
{
    static const writer_op ops[] = {
        op_session_start, op_system, op_record, op_begin, op_end, op_add,
        op_progress, op_record, op_session_end
    };
    failing fl = { -1, 0 };
    rpp_writer_allocator al = { failing_realloc, failing_free, &fl };
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    size_t i;
    int id = 0, failures = 0;

    (void)state;
    assert_int_equal(rpp_writer_set_allocator(w, &al), RPP_OK);
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        long k;

        for (k = 0;; k++) {
            char *before = export_text(w), *after;
            int rc;

            fl.left = k;
            rc = ops[i](w, &c, &id);
            fl.left = -1;
            after = export_text(w);
            if (rc == RPP_ERR_NOMEM) {
                if (ops[i] != op_progress)
                    assert_string_equal(before, after);
                failures++;
                free(before);
                free(after);
                continue;
            }
            assert_int_equal(rc, RPP_OK);
            free(before);
            free(after);
            break;
        }
    }
    assert_true(failures >= 8);
    assert_int_equal(rpp_writer_set_allocator(w, NULL), RPP_ERR_STATE);
    rpp_writer_free(w);
}

static void test_writer__allocator_is_used_and_settable_only_when_empty(
    void **state)
{
    failing fl = { -1, 0 };
    rpp_writer_allocator al = { failing_realloc, failing_free, &fl };
    rpp_writer_allocator half = { failing_realloc, NULL, &fl };
    tclock c;
    rpp_writer *w = new_writer(3, &c);

    (void)state;
    assert_int_equal(rpp_writer_set_allocator(w, &half), RPP_ERR_ARG);
    assert_int_equal(rpp_writer_set_allocator(w, &al), RPP_OK);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_DRIVE_OPEN, 1, true,
                                             "m"), RPP_OK);
    assert_true(fl.calls >= 2);
    assert_int_equal(rpp_writer_set_allocator(w, NULL), RPP_ERR_STATE);
    assert_int_equal(rpp_writer_reset(w), RPP_OK);
    assert_int_equal(rpp_writer_set_allocator(w, NULL), RPP_OK);
    rpp_writer_free(w);
}

static void test_writer__reset_discards_everything(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_writer_system y = example_system();
    char *s, *empty;
    int id = 0;

    (void)state;
    empty = export_text(w);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    assert_int_equal(rpp_writer_set_system(w, &y), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, "m", &id),
                     RPP_OK);
    advance(&c, 200);
    assert_int_equal(rpp_writer_progress(w, RPP_PHASE_WRITE, 5, 9), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, false, "x"), RPP_OK);
    assert_int_equal(rpp_writer_reset(w), RPP_OK);
    c.wall = EPOCH;
    s = export_text(w);
    assert_string_equal(s, empty);
    free(s);
    free(empty);
    assert_int_equal(rpp_writer_event_end(w, id, true, NULL),
                     RPP_ERR_NOT_FOUND);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN, NULL, &id),
                     RPP_OK);
    assert_int_equal(id, 1);
    rpp_writer_free(w);
}

/* ---- Round trip --------------------------------------------------------- */

static void test_writer__round_trip_through_the_loader(void **state)
{
    tclock c;
    rpp_writer *w = new_writer(3, &c);
    rpp_writer_system y = example_system();
    const rpp_event *e;
    rpp_report *r;
    int i, id = 0;

    (void)state;
    advance(&c, 2000);
    assert_int_equal(rpp_writer_event_transfer(w, RPP_EV_OS_LIST_FETCH, 500,
                                               120000, true, "url"), RPP_OK);
    advance(&c, 1000);
    assert_int_equal(rpp_writer_session_start(w, "Raspberry Pi OS (64-bit)",
                                              UINT64_C(5905580032),
                                              "/dev/sdb"), RPP_OK);
    assert_int_equal(rpp_writer_set_system(w, &y), RPP_OK);
    assert_int_equal(rpp_writer_event_begin(w, RPP_EV_DRIVE_OPEN,
                                            "direct_io: yes", &id), RPP_OK);
    advance(&c, 461);
    assert_int_equal(rpp_writer_event_end(w, id, true, NULL), RPP_OK);
    for (i = 1; i <= 300; i++) {
        advance(&c, 150);
        rpp_writer_progress(w, RPP_PHASE_DOWNLOAD, (uint64_t)i * 1500000,
                            450000000);
        rpp_writer_progress(w, RPP_PHASE_DECOMPRESS, (uint64_t)i * 7000000,
                            UINT64_C(5905580032));
        rpp_writer_progress(w, RPP_PHASE_WRITE, (uint64_t)i * 6900000,
                            UINT64_C(5905580032));
    }
    assert_int_equal(rpp_writer_event_add(w, RPP_EV_RING_BUFFER_STARVATION,
                                          12089, 103, true,
                                          "buffer: write; type: "
                                          "producer_stall; duration_ms: 103",
                                          0), RPP_OK);
    assert_int_equal(rpp_writer_event_record(w, RPP_EV_FINAL_SYNC, 1840,
                                             true, NULL), RPP_OK);
    for (i = 1; i <= 100; i++) {
        advance(&c, 200);
        rpp_writer_progress(w, RPP_PHASE_VERIFY, (uint64_t)i * 18000000,
                            1800000000);
    }
    assert_int_equal(rpp_writer_finalising(w), RPP_OK);
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
    r = reload(w);
    assert_int_equal(r->version, 3);
    assert_string_equal(r->summary.image_name, "Raspberry Pi OS (64-bit)");
    assert_string_equal(r->summary.device_name, "/dev/sdb");
    assert_int_equal(r->summary.image_size, UINT64_C(5905580032));
    assert_int_equal(r->summary.session_start_time, EPOCH + 3000);
    assert_int_equal(r->summary.session_state, RPP_STATE_SUCCEEDED);
    assert_true(r->summary.success);
    assert_int_equal(r->n_events, 6);
    assert_int_equal(r->events[0].type, RPP_EV_OS_LIST_FETCH);
    assert_int_equal(r->events[0].throughput_kbps, 234);
    e = find_event(r, RPP_EV_DRIVE_OPEN, 0);
    assert_non_null(e);
    assert_int_equal(e->duration_ms, 461);
    assert_string_equal(e->metadata, "direct_io: yes");
    e = find_event(r, RPP_EV_RING_BUFFER_STARVATION, 0);
    assert_non_null(e);
    assert_int_equal(e->start_ms, 12089);
    assert_int_equal(r->summary.phases[RPP_PHASE_DOWNLOAD].sample_count, 300);
    assert_int_equal(r->summary.phases[RPP_PHASE_VERIFY].sample_count, 100);
    /* 6900000 bytes every 150 ms */
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].avg_kbps, 44921);
    assert_int_equal(r->summary.phases[RPP_PHASE_VERIFY].bytes_total,
                     1800000000);
    assert_true(r->histograms[RPP_PHASE_DECOMPRESS].n_slices >= 40);
    assert_true(r->system.present);
    assert_int_equal(r->system.platform.cpu_cores, 8);
    assert_string_equal(r->system.platform.os, "Linux");
    assert_int_equal(r->system.write_config.sync_interval_mb, 248);
    assert_int_equal(r->n_events, 6);
    for (i = 0; i < (int)r->summary.n_event_summaries; i++)
        assert_int_equal(r->summary.event_summaries[i].count, 1);
    rpp_report_free(r);
    rpp_writer_free(w);
}

/* ---- Replay of the upstream traces -------------------------------------- */

static void test_writer__replays_every_upstream_trace_byte_for_byte(
    void **state)
{
    static const char *const names[] = {
        "cancelled", "cap", "cpu-bound", "failed", "healthy", "io-bound",
        "long-customisation", "multi-cycle", "network-starved",
        "never-started", "stalls", "windows-slow-prepare"
    };
    const char *ref = getenv("REF");
    size_t i;
    int v, n = 0;

    (void)state;
    if (!ref)
        ref = "tests/data/reference";
    for (v = 2; v <= 3; v++) {
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            char tpath[512], jpath[512], *want, *got = NULL;
            size_t want_len, got_len = 0;
            FILE *in, *out;

            snprintf(tpath, sizeof(tpath), "%s/upstream-writer/v%d-%s"
                     ".trace.jsonl", ref, v, names[i]);
            snprintf(jpath, sizeof(jpath), "%s/upstream-writer/v%d-%s.json",
                     ref, v, names[i]);
            in = fopen(tpath, "r");
            want = read_whole(jpath, &want_len);
            if (!in || !want)
                fail_msg("cannot read %s or %s", tpath, jpath);
            out = open_memstream(&got, &got_len);
            assert_non_null(out);
            assert_int_equal(replay_stream(in, tpath, out, stderr), 0);
            fclose(out);
            fclose(in);
            if (got_len != want_len || memcmp(got, want, want_len) != 0)
                fail_msg("v%d-%s: the replayed report differs", v, names[i]);
            free(got);
            free(want);
            n++;
        }
    }
    assert_int_equal(n, 24);
}

/* ---- Threads ------------------------------------------------------------ */

#define THREADS 8
#define ROUNDS 400

typedef struct hammer {
    rpp_writer *w;
    int ids[ROUNDS];
    int failures;
} hammer;

static void *hammer_run(void *arg)
{
    hammer *h = arg;
    int i;

    for (i = 0; i < ROUNDS; i++) {
        char *s = NULL;

        if (rpp_writer_event_begin(h->w, RPP_EV_DRIVE_LIST_POLL, "poll",
                                   &h->ids[i]) != RPP_OK)
            h->failures++;
        if (rpp_writer_event_record(h->w, RPP_EV_CACHE_LOOKUP, 1, true,
                                    "miss") != RPP_OK)
            h->failures++;
        if (rpp_writer_progress(h->w, (rpp_phase)(i % 4), (uint64_t)i,
                                ROUNDS) != RPP_OK)
            h->failures++;
        if (rpp_writer_event_end(h->w, h->ids[i], true, "done") != RPP_OK)
            h->failures++;
        if (i % 100 == 0) {
            if (rpp_writer_export_string(h->w, &s, NULL) != RPP_OK)
                h->failures++;
            free(s);
        }
    }
    return NULL;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

/* Several threads hammering one recorder (with the real clocks): nothing
 * is lost, every id is handed out once, and the report stays valid. */
static void test_writer__concurrent_calls_lose_nothing(void **state)
{
    static hammer h[THREADS];
    static int all[THREADS * ROUNDS];
    pthread_t th[THREADS];
    rpp_writer *w = NULL;
    rpp_report *r;
    int i, k;

    (void)state;
    assert_int_equal(rpp_writer_new(&w, 3, NULL), RPP_OK);
    assert_int_equal(rpp_writer_session_start(w, "a", 1, "d"), RPP_OK);
    for (i = 0; i < THREADS; i++) {
        h[i].w = w;
        h[i].failures = 0;
        assert_int_equal(pthread_create(&th[i], NULL, hammer_run, &h[i]), 0);
    }
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(h[i].failures, 0);
        for (k = 0; k < ROUNDS; k++)
            all[i * ROUNDS + k] = h[i].ids[k];
    }
    qsort(all, THREADS * ROUNDS, sizeof(int), cmp_int);
    for (i = 0; i < THREADS * ROUNDS; i++)
        assert_int_equal(all[i], i + 1);
    assert_int_equal(rpp_writer_session_end(w, true, NULL), RPP_OK);
    r = reload(w);
    assert_int_equal(r->n_events, 2 * THREADS * ROUNDS + 2);
    rpp_report_free(r);
    rpp_writer_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer__new_rejects_versions_other_than_2_and_3),
        cmocka_unit_test(test_writer__default_clock_stamps_the_present),
        cmocka_unit_test(
            test_writer__empty_v3_report_is_exactly_the_imager_layout),
        cmocka_unit_test(test_writer__v2_has_no_decompress_state_or_system),
        cmocka_unit_test(test_writer__v3_session_start_keeps_earlier_events),
        cmocka_unit_test(test_writer__v2_session_start_discards_everything),
        cmocka_unit_test(
            test_writer__cycle_start_metadata_follows_the_arg_chain),
        cmocka_unit_test(
            test_writer__session_end_without_session_records_nothing),
        cmocka_unit_test(test_writer__session_end_tells_cancelled_from_failed),
        cmocka_unit_test(
            test_writer__event_end_joins_metadata_with_semicolon),
        cmocka_unit_test(test_writer__event_end_of_unknown_id_records_nothing),
        cmocka_unit_test(test_writer__event_ids_count_up_from_one),
        cmocka_unit_test(test_writer__event_end_clamps_negative_duration),
        cmocka_unit_test(test_writer__events_without_session_start_at_zero),
        cmocka_unit_test(test_writer__record_start_wraps_in_32_bits),
        cmocka_unit_test(
            test_writer__transfer_events_carry_bytes_and_throughput),
        cmocka_unit_test(test_writer__unknown_event_types_are_rejected),
        cmocka_unit_test(test_writer__null_strings_are_treated_as_empty),
        cmocka_unit_test(test_writer__progress_rate_limit_keeps_100ms_apart),
        cmocka_unit_test(test_writer__progress_phase_switch_resets_rate_limit),
        cmocka_unit_test(test_writer__finalising_resets_rate_limit),
        cmocka_unit_test(
            test_writer__non_advancing_progress_adds_no_throughput),
        cmocka_unit_test(test_writer__bytes_total_is_the_latest_total),
        cmocka_unit_test(test_writer__cap_keeps_6000_samples_per_phase),
        cmocka_unit_test(test_writer__cap_counts_across_cycles),
        cmocka_unit_test(test_writer__histogram_windows_and_buckets),
        cmocka_unit_test(test_writer__strings_are_escaped_as_qt_does),
        cmocka_unit_test(test_writer__system_block_is_written_field_by_field),
        cmocka_unit_test(test_writer__export_time_is_local_or_utc),
        cmocka_unit_test(test_writer__export_file_writes_the_report),
        cmocka_unit_test(test_writer__failed_export_keeps_the_existing_file),
        cmocka_unit_test(test_writer__export_file_takes_a_long_name),
        cmocka_unit_test(test_writer__export_stream_reports_write_errors),
        cmocka_unit_test(
            test_writer__out_of_memory_leaves_the_recorder_unchanged),
        cmocka_unit_test(
            test_writer__allocator_is_used_and_settable_only_when_empty),
        cmocka_unit_test(test_writer__reset_discards_everything),
        cmocka_unit_test(test_writer__round_trip_through_the_loader),
        cmocka_unit_test(
            test_writer__replays_every_upstream_trace_byte_for_byte),
        cmocka_unit_test(test_writer__concurrent_calls_lose_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
