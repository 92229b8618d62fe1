/*
 * test_human.c - values in words (analyse/human.c): every unit at and
 * around its boundaries, rounding to the unit shown, signs, non-finite
 * values, buffers too small, and evidence values by kind and key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <rpiperf/analyse.h>

typedef struct num_case {
    double in;
    const char *out;
} num_case;

typedef size_t (*human_fn)(char *, size_t, double);

static void run_cases(human_fn fn, const num_case *c, size_t n)
{
    char buf[64];
    size_t i, len;

    for (i = 0; i < n; i++) {
        len = fn(buf, sizeof(buf), c[i].in);
        if (strcmp(buf, c[i].out) != 0)
            fail_msg("%.17g: expected \"%s\", got \"%s\"", c[i].in, c[i].out,
                     buf);
        assert_int_equal(len, strlen(c[i].out));
    }
}

#define RUN(fn, cases) run_cases(fn, cases, sizeof(cases) / sizeof(cases[0]))

static void test_duration__boundaries_round_to_the_unit_shown(void **state)
{
    static const num_case cases[] = {
        { 0, "0 ms" },
        { 0.4, "0 ms" },
        { 1, "1 ms" },
        { 450, "450 ms" },
        { 999.4, "999 ms" },
        { 999.5, "1.0 s" },            /* rounds to 1000 ms: seconds */
        { 1000, "1.0 s" },
        { 1049, "1.0 s" },
        { 1050, "1.1 s" },
        { 59940, "59.9 s" },
        { 59950, "60.0 s" },           /* 59.95 s */
        { 95300, "95.3 s" },
        { 119949, "119.9 s" },
        { 119950, "2 min 00 s" },      /* 119.95 s rounds to 120 s */
        { 120000, "2 min 00 s" },
        { 125400, "2 min 05 s" },
        { 179499, "2 min 59 s" },
        { 179700, "3 min 00 s" },      /* never "2 min 60 s" */
        { 3599499, "59 min 59 s" },
        { 3599500, "1 h 00 min" },     /* 59 min 59.5 s */
        { 3600000, "1 h 00 min" },
        { 3629999, "1 h 00 min" },
        { 3630000, "1 h 01 min" },
        { 86400000, "24 h 00 min" },
        { 172769999, "47 h 59 min" },
        { 172770000, "2 d 00 h" },     /* 47 h 59.5 min */
        { 178200000, "2 d 02 h" },     /* 49.5 h rounds up */
        { 8640000000.0, "100 d 00 h" },
        { 4.611686018427388e18, "53375995583 d 16 h" },
        { -1500, "-1.5 s" },
        { -179700, "-3 min 00 s" },
        { -0.2, "0 ms" },
        { NAN, "-" },
        { INFINITY, "-" },
    };
    (void)state;
    RUN(rpp_human_duration, cases);
}

static void test_position__the_time_since_the_start_in_words(void **state)
{
    static const num_case cases[] = {
        { 0, "0 ms" },
        { 300, "300 ms" },
        { 13149, "13.1 s" },
        { 255000, "4 min 15 s" },
        { 3723400, "1 h 02 min" },
        { NAN, "-" },
    };
    (void)state;
    RUN(rpp_human_position, cases);
}

static void test_bytes__units_of_1024_at_their_edges(void **state)
{
    (void)state;
    static const num_case cases[] = {
        { 0, "0 B" },
        { 1, "1 B" },
        { 1023, "1023 B" },
        { 1023.5, "1.0 KB" },          /* rounds to 1024 B */
        { 1024, "1.0 KB" },
        { 1075, "1.0 KB" },
        { 1076, "1.1 KB" },
        { 102348, "99.9 KB" },
        { 102349, "100 KB" },          /* 99.95 KB: no decimal from 100 */
        { 1048063, "1023 KB" },
        { 1048064, "1.0 MB" },         /* 1023.5 KB would read 1024 KB */
        { 1048576, "1.0 MB" },
        { 260046848, "248 MB" },
        { 2852126720.0, "2.7 GB" },
        { 5905580032.0, "5.5 GB" },
        { 31914983424.0, "29.7 GB" },
        { 1099511627776.0, "1.0 TB" },
        { 1152921504606846976.0, "1.0 EB" },
        { 1180591620717411303424.0, "1024 EB" },   /* no larger unit */
        { -2048, "-2.0 KB" },
        { INFINITY, "-" },
    };
    RUN(rpp_human_bytes, cases);
}

static void test_rate__mb_per_s_from_kb_per_s(void **state)
{
    (void)state;
    static const num_case rates[] = {
        { 0, "0.0 MB/s" },
        { 12278, "12.0 MB/s" },
        { 45158.4, "44.1 MB/s" },
        { 116838, "114.1 MB/s" },
        { 40.96, "0.04 MB/s" },
        { 4.1, "0.004 MB/s" },
        { 0.01, "0.000 MB/s" },
        { -512, "-0.5 MB/s" },
        { NAN, "-" },
    };
    static const num_case numbers[] = {
        { 0, "0.0" },
        { 12278, "12.0" },
        { 40.96, "0.04" },
        { 1023.9, "1.0" },
    };
    RUN(rpp_human_rate, rates);
    RUN(rpp_human_mbps, numbers);
}

static void test_percent__one_decimal_below_ten(void **state)
{
    (void)state;
    static const num_case cases[] = {
        { 0, "0 %" },
        { 0.0004, "< 0.1 %" },
        { 0.00051, "0.1 %" },
        { 0.024, "2.4 %" },
        { 0.09951, "10 %" },           /* 9.95 % rounds to 10.0: no decimal */
        { 0.0994, "9.9 %" },
        { 0.7449, "74 %" },
        { 1, "100 %" },
        { 2.5, "250 %" },
        { -0.48, "-48 %" },
        { -0.0001, "> -0.1 %" },
        { NAN, "-" },
    };
    RUN(rpp_human_percent, cases);
}

static void test_share__totals_and_missing_wall_time(void **state)
{
    (void)state;
    char buf[32];

    rpp_human_share(buf, sizeof(buf), RPP_CAT_PIPELINE, 0.74, 1000);
    assert_string_equal(buf, "(totals)");
    rpp_human_share(buf, sizeof(buf), RPP_CAT_DRIVE, 0.74, 0);
    assert_string_equal(buf, "-");
    rpp_human_share(buf, sizeof(buf), RPP_CAT_DRIVE, 0.024, 1000);
    assert_string_equal(buf, "2.4 %");
}

static void test_words__states_and_bottleneck(void **state)
{
    (void)state;
    char buf[48];

    assert_string_equal(rpp_human_state(RPP_STATE_IN_PROGRESS), "in progress");
    assert_string_equal(rpp_human_state(RPP_STATE_NEVER_STARTED),
                        "never started");
    assert_string_equal(rpp_human_state(RPP_STATE_FAILED), "failed");
    assert_string_equal(rpp_human_state(RPP_STATE_NONE), "");
    rpp_human_bottleneck(buf, sizeof(buf), RPP_BOTTLENECK_UNKNOWN,
                         RPP_CONFIDENCE_NONE);
    assert_string_equal(buf, "not determined");
    rpp_human_bottleneck(buf, sizeof(buf), RPP_BOTTLENECK_UNKNOWN,
                         RPP_CONFIDENCE_HIGH);
    assert_string_equal(buf, "not determined");
    rpp_human_bottleneck(buf, sizeof(buf), RPP_BOTTLENECK_DISK,
                         RPP_CONFIDENCE_HIGH);
    assert_string_equal(buf, "disk (high confidence)");
    rpp_human_bottleneck(buf, sizeof(buf), RPP_BOTTLENECK_CPU,
                         RPP_CONFIDENCE_MEDIUM);
    assert_string_equal(buf, "CPU (medium confidence)");
}

static void test_value__by_kind_and_key(void **state)
{
    (void)state;
    static const struct {
        rpp_value v;
        const char *out;
    } cases[] = {
        { { "inferred", RPP_VALUE_BOOL, 1, 0, NULL }, "yes" },
        { { "inferred", RPP_VALUE_BOOL, 0, 0, NULL }, "no" },
        { { "count", RPP_VALUE_INT, 42, 0, NULL }, "42" },
        { { "duration_ms", RPP_VALUE_INT, 179700, 0, NULL }, "3 min 00 s" },
        { { "interval_ms", RPP_VALUE_NUM, 0, 12345.6, NULL }, "12.3 s" },
        { { "at_ms", RPP_VALUE_INT, 76300, 0, NULL }, "76.3 s" },
        { { "longest_at_ms", RPP_VALUE_INT, 328000, 0, NULL }, "5 min 28 s" },
        { { "attempt_ms", RPP_VALUE_INT, 1500, 0, NULL }, "1.5 s" },
        { { "write_avg_mbps", RPP_VALUE_NUM, 0, 11.99, NULL }, "12.0 MB/s" },
        { { "size_bytes", RPP_VALUE_INT, 1048576, 0, NULL }, "1.0 MB" },
        { { "share", RPP_VALUE_NUM, 0, 0.25, NULL }, "25 %" },
        { { "low_share", RPP_VALUE_NUM, 0, 0.031, NULL }, "3.1 %" },
        { { "cv", RPP_VALUE_NUM, 0, 0.5, NULL }, "0.5" },
        { { "interval_cv", RPP_VALUE_NUM, 0, 0.35, NULL }, "0.35" },
        { { "ratio", RPP_VALUE_NUM, 0, 12.0, NULL }, "12" },
        { { "ratio", RPP_VALUE_NUM, 0, -0.001, NULL }, "0" },
        { { "at", RPP_VALUE_STR, 0, 0, "76.3 s" }, "76.3 s" },
    };
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rpp_human_value(buf, sizeof(buf), &cases[i].v);
        if (strcmp(buf, cases[i].out) != 0)
            fail_msg("%s: expected \"%s\", got \"%s\"", cases[i].v.key,
                     cases[i].out, buf);
    }
    rpp_human_value(buf, sizeof(buf), NULL);
    assert_string_equal(buf, "-");
}

static void test_buffers__cut_to_fit_and_length_of_the_whole(void **state)
{
    (void)state;
    char buf[6];

    memset(buf, 'x', sizeof(buf));
    assert_int_equal(rpp_human_duration(buf, sizeof(buf), 179700),
                     strlen("3 min 00 s"));
    assert_string_equal(buf, "3 min");
    assert_int_equal(rpp_human_bytes(NULL, 0, 1048576), strlen("1.0 MB"));
    buf[0] = 'x';
    assert_int_equal(rpp_human_rate(buf, 0, 1024), strlen("1.0 MB/s"));
    assert_int_equal(buf[0], 'x');     /* nothing written into 0 bytes */
}

/* The write path in words, as the summary of every output shows it. */
static void test_writes__the_write_path_in_words(void **state)
{
    rpp_system s;
    char buf[128];

    (void)state;
    memset(&s, 0, sizeof(s));
    s.write_config.direct_io_enabled = true;
    s.write_config.periodic_sync_enabled = true;
    s.write_config.sync_interval_bytes = 248ULL * 1024 * 1024;
    s.has_buffers = true;
    s.write_config.buffers.write_buffer_kb = 8192;
    s.write_config.buffers.write_ring_buffer_slots = 516;
    rpp_human_writes(buf, sizeof(buf), &s);
    assert_string_equal(buf, "direct I/O on, sync every 248 MB, "
                             "8.0 MB write buffers x 516");
    /* an interval given in MB only, no slot count */
    s.write_config.sync_interval_bytes = 0;
    s.write_config.sync_interval_mb = 16;
    s.write_config.buffers.write_ring_buffer_slots = 0;
    rpp_human_writes(buf, sizeof(buf), &s);
    assert_string_equal(buf, "direct I/O on, sync every 16.0 MB, "
                             "8.0 MB write buffers");
    /* syncing with no interval said; no sync; no buffers */
    s.write_config.sync_interval_mb = 0;
    s.has_buffers = false;
    rpp_human_writes(buf, sizeof(buf), &s);
    assert_string_equal(buf, "direct I/O on, periodic sync");
    s.write_config.periodic_sync_enabled = false;
    s.write_config.direct_io_enabled = false;
    rpp_human_writes(buf, sizeof(buf), &s);
    assert_string_equal(buf, "direct I/O off, no periodic sync");
    /* what a short buffer holds, and the length of the whole */
    assert_int_equal(rpp_human_writes(buf, 10, &s), 32);
    assert_string_equal(buf, "direct I/");
    assert_int_equal(rpp_human_writes(buf, sizeof(buf), NULL), 0);
    assert_string_equal(buf, "");
}

/* A summary line joined as an output would, with each kind marked:
 * [text] for the report's strings, <kind:name> for its names. */
static void join(const rpp_line *l, char *out, size_t n)
{
    size_t i, at = 0;

    out[0] = '\0';
    for (i = 0; i < l->n; i++) {
        const rpp_part *pt = &l->parts[i];

        if (pt->kind == RPP_PART_TEXT)
            at += (size_t)snprintf(out + at, n - at, "[%s]", pt->text);
        else if (pt->kind == RPP_PART_NAME)
            at += (size_t)snprintf(out + at, n - at, "<%s:%s>",
                                   pt->name_kind, pt->text);
        else
            at += (size_t)snprintf(out + at, n - at, "%s", pt->text);
        assert_true(at < n);
    }
}

/* The summary's system line: the report's strings apart from the words,
 * what the report left out left out. */
static void test_lines__system_in_parts(void **state)
{
    rpp_system s;
    rpp_line l;
    char buf[256];

    (void)state;
    memset(&s, 0, sizeof(s));
    s.platform.os = "Linux";
    s.platform.os_version = "24.04";
    s.platform.cpu_architecture = "x86_64";
    s.platform.cpu_cores = 8;
    s.memory.total_bytes = 16642998272ULL;
    s.imager.version = "2.0.11";
    rpp_human_system_line(&l, &s);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "[Linux] [24.04], [x86_64], 8 cores, "
                             "15.5 GB RAM; Imager [2.0.11]");
    /* one core, memory in MB only, no OS */
    s.platform.os = "";
    s.platform.os_version = NULL;
    s.platform.cpu_cores = 1;
    s.memory.total_bytes = 0;
    s.memory.total_mb = 512;
    rpp_human_system_line(&l, &s);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "[x86_64], 1 core, 512 MB RAM; Imager "
                             "[2.0.11]");
    /* the version alone; nothing at all */
    memset(&s, 0, sizeof(s));
    s.imager.version = "2.0.2";
    rpp_human_system_line(&l, &s);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "Imager [2.0.2]");
    s.imager.version = NULL;
    rpp_human_system_line(&l, &s);
    assert_int_equal(l.n, 0);
}

/* The device line: the summary's name first, then the target's path; no
 * device is said in words, not as a name to redact. */
static void test_lines__device_in_parts(void **state)
{
    rpp_report r;
    rpp_line l;
    char buf[256];

    (void)state;
    memset(&r, 0, sizeof(r));
    r.summary.device_name = "";
    rpp_human_device_line(&l, &r);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "(none)");
    r.system.has_target = true;
    r.system.target.path = "/dev/sdb";
    r.system.target.size_mb = 30436;
    r.system.target.description = "SD card reader";
    r.system.target.is_usb = true;
    r.system.target.is_removable = true;
    rpp_human_device_line(&l, &r);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "<device:/dev/sdb>, 29.7 GB, "
                             "<description:SD card reader>, USB, removable");
    r.summary.device_name = "\\\\.\\PhysicalDrive2";
    r.system.target.size_bytes = 31914983424ULL;
    r.system.target.description = NULL;
    r.system.target.is_usb = false;
    rpp_human_device_line(&l, &r);
    join(&l, buf, sizeof(buf));
    assert_string_equal(buf, "<device:\\\\.\\PhysicalDrive2>, 29.7 GB, "
                             "removable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes__the_write_path_in_words),
        cmocka_unit_test(test_lines__system_in_parts),
        cmocka_unit_test(test_lines__device_in_parts),
        cmocka_unit_test(test_duration__boundaries_round_to_the_unit_shown),
        cmocka_unit_test(test_position__the_time_since_the_start_in_words),
        cmocka_unit_test(test_bytes__units_of_1024_at_their_edges),
        cmocka_unit_test(test_rate__mb_per_s_from_kb_per_s),
        cmocka_unit_test(test_percent__one_decimal_below_ten),
        cmocka_unit_test(test_share__totals_and_missing_wall_time),
        cmocka_unit_test(test_words__states_and_bottleneck),
        cmocka_unit_test(test_value__by_kind_and_key),
        cmocka_unit_test(test_buffers__cut_to_fit_and_length_of_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
