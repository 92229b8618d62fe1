/*
 * test_load.c - the loader/validator (rpp_report_load_*): the malformed and
 * "accepted with a warning" corpora under tests/data, the accepted shapes,
 * every kind of rejection with its message and place, the limits, special
 * files, and a round trip of the reference reports against facts
 * read from them with Python's json module.
 *
 * Run from the top of the repository (tests/run.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rpiperf/report.h>

#define INVALID_DIR "tests/data/invalid"
#define WARN_DIR "tests/data/warn"
#define REF "tests/data/reference/"

/* ---- Helpers ----------------------------------------------------------- */

/* A small valid version 3 report; the tests below change one thing in it. */
static const char base_report[] =
    "{\n"
    "  \"version\": 3,\n"
    "  \"exportTime\": \"2025-12-01T09:03:55\",\n"
    "  \"summary\": {\n"
    "    \"imageName\": \"Raspberry Pi OS (64-bit)\",\n"
    "    \"deviceName\": \"/dev/sdb\",\n"
    "    \"imageSize\": 5905580032,\n"
    "    \"sessionStartTime\": 1764579600000,\n"
    "    \"sessionEndTime\": 1764579608100,\n"
    "    \"durationMs\": 8100,\n"
    "    \"success\": true,\n"
    "    \"sessionState\": \"succeeded\",\n"
    "    \"events\": {\n"
    "      \"cycleStart\": {\"count\": 1, \"totalMs\": 0, \"avgMs\": 0, "
    "\"minMs\": 0, \"maxMs\": 0},\n"
    "      \"driveOpen\": {\"count\": 1, \"totalMs\": 461, \"avgMs\": 461, "
    "\"minMs\": 461, \"maxMs\": 461},\n"
    "      \"finalSync\": {\"count\": 1, \"totalMs\": 1840, \"avgMs\": 1840, "
    "\"minMs\": 1840, \"maxMs\": 1840}\n"
    "    },\n"
    "    \"phases\": {\n"
    "      \"download\": {\"sampleCount\": 14, \"bytesTotal\": 1277165568, "
    "\"durationMs\": 2190, \"minThroughputKBps\": 9876, "
    "\"maxThroughputKBps\": 11310, \"avgThroughputKBps\": 10496},\n"
    "      \"write\": {\"sampleCount\": 20, \"bytesTotal\": 5905580032, "
    "\"durationMs\": 3290, \"minThroughputKBps\": 44050, "
    "\"maxThroughputKBps\": 48506, \"avgThroughputKBps\": 46756}\n"
    "    }\n"
    "  },\n"
    "  \"system\": {\n"
    "    \"platform\": {\"os\": \"Linux\", \"osVersion\": \"24.04\", "
    "\"cpuArchitecture\": \"x86_64\", \"cpuCores\": 8}\n"
    "  },\n"
    "  \"events\": [\n"
    "    {\"type\": \"cycleStart\", \"startMs\": 0, \"durationMs\": 0, "
    "\"success\": true, \"metadata\": \"Raspberry Pi OS (64-bit)\", "
    "\"bytesTransferred\": 5905580032},\n"
    "    {\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461, "
    "\"success\": true, \"metadata\": \"direct_io: yes; platform: Linux\"},\n"
    "    {\"type\": \"finalSync\", \"startMs\": 6120, \"durationMs\": 1840, "
    "\"success\": false}\n"
    "  ],\n"
    "  \"histograms\": {\n"
    "    \"download\": [\n"
    "      [969, 9876, 11020, 10431, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0],\n"
    "      [2085, 9950, 11310, 10562, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]\n"
    "    ],\n"
    "    \"write\": [\n"
    "      [969, 44076, 48506, 46437, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0],\n"
    "      [2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0],\n"
    "      [3191, 45525, 48102, 47060, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]\n"
    "    ]\n"
    "  },\n"
    "  \"schema\": {\n"
    "    \"histogramSliceFormat\": [\"timestampMs\", \"minKBps\", \"maxKBps\", "
    "\"avgKBps\", \"bucket_0-1MB\", \"bucket_1-2MB\", \"bucket_2-4MB\", "
    "\"bucket_4-8MB\", \"bucket_8-16MB\", \"bucket_16-32MB\", "
    "\"bucket_32-64MB\", \"bucket_64-128MB\", \"bucket_128-256MB\", "
    "\"bucket_256-512MB\", \"bucket_512-1024MB\", \"bucket_1024+MB\"],\n"
    "    \"histogramWindowMs\": 1000,\n"
    "    \"throughputUnit\": \"KB/s\"\n"
    "  }\n"
    "}\n";

/* A copy of s with the first occurrence of old replaced (which must be
 * there); the caller frees it. */
static char *edit(const char *s, const char *old, const char *repl)
{
    const char *at = strstr(s, old);
    size_t n1, n2, n3;
    char *out;

    if (!at) {
        fail_msg("edit: \"%s\" is not in the text", old);
        return NULL;
    }
    n1 = (size_t)(at - s);
    n2 = strlen(repl);
    n3 = strlen(at + strlen(old));
    out = malloc(n1 + n2 + n3 + 1);
    assert_non_null(out);
    memcpy(out, s, n1);
    memcpy(out + n1, repl, n2);
    memcpy(out + n1 + n2, at + strlen(old), n3 + 1);
    return out;
}

static int load_str(const char *text, rpp_report **r, rpp_diags *d)
{
    rpp_diags_clear(d);
    return rpp_report_load_buffer(r, text, strlen(text), NULL, d);
}

/* Loads base_report with one edit. */
static int load_edit(const char *old, const char *repl, rpp_report **r,
                     rpp_diags *d)
{
    char *text = edit(base_report, old, repl);
    int st = load_str(text, r, d);

    free(text);
    return st;
}

static void dump_diags(const rpp_diags *d)
{
    size_t i;

    for (i = 0; i < d->n_items; i++)
        print_message("#   %s %u:%u %s: %s\n",
                      d->items[i].severity == RPP_SEV_ERROR ? "error"
                                                            : "warning",
                      d->items[i].err.line, d->items[i].err.column,
                      d->items[i].err.path, d->items[i].err.message);
}

/* Asserts that d holds a problem of severity sev at path whose message
 * contains msg. */
static void assert_diag(const rpp_diags *d, rpp_severity sev,
                        const char *path, const char *msg)
{
    size_t i;

    for (i = 0; i < d->n_items; i++)
        if (d->items[i].severity == sev &&
            strcmp(d->items[i].err.path, path) == 0 &&
            strstr(d->items[i].err.message, msg))
            return;
    dump_diags(d);
    fail_msg("no %s at \"%s\" saying \"%s\"",
             sev == RPP_SEV_ERROR ? "error" : "warning", path, msg);
}

/* Asserts a load failed with status st and exactly one error, at path,
 * saying msg. rp is read after the load (arguments are evaluated first). */
static void assert_rejected(int got, rpp_report *const *rp,
                            const rpp_diags *d, int st, const char *path,
                            const char *msg)
{
    if (got != st || d->n_errors != 1)
        dump_diags(d);
    assert_int_equal(got, st);
    assert_null(*rp);
    assert_int_equal(d->n_errors, 1);
    assert_diag(d, RPP_SEV_ERROR, path, msg);
}

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/rpp-test-load-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *e;
    char path[512];

    (void)state;
    if (!dir)
        return 0;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(dir);
    rmdir(tmpdir);
    return 0;
}

static const char *tmp_path(const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    return path;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* ---- The corpora: tests/data/invalid and tests/data/warn ------------------ */

/*
 * An .expect file (format in tests/data/invalid/README.md): "key: value"
 * lines, # comments. Fields not given are not checked, except that a
 * diagnostic without "path" must have an empty path and one without
 * "line" must have no line and column.
 */
typedef struct expect {
    int status;                 /* exit status of rpiperf validate */
    int code;                   /* rpp_status of the load */
    long errors, warnings;      /* -1: not checked */
    bool has_path, has_line;
    char path[RPP_PATH_MAX];
    unsigned line, column;
    char message[RPP_MESSAGE_MAX];
    char schema[16];
} expect;

static int code_from_name(const char *s)
{
    static const struct {
        const char *name;
        int code;
    } codes[] = {
        { "ok", RPP_OK }, { "syntax", RPP_ERR_SYNTAX },
        { "invalid", RPP_ERR_INVALID }, { "limit", RPP_ERR_LIMIT },
        { "io", RPP_ERR_IO }, { "nomem", RPP_ERR_NOMEM },
    };
    size_t i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (strcmp(codes[i].name, s) == 0)
            return codes[i].code;
    fail_msg("unknown code \"%s\"", s);
    return 1;
}

static void read_expect(const char *path, expect *e)
{
    char line[512];
    FILE *f;

    memset(e, 0, sizeof(*e));
    e->status = -1;
    e->code = 1;
    e->errors = e->warnings = -1;
    f = fopen(path, "r");
    if (!f) {
        fail_msg("%s: %s", path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        char *value, *nl = strchr(line, '\n');

        if (nl)
            *nl = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        value = strstr(line, ": ");
        if (!value) {
            fclose(f);
            fail_msg("%s: bad line \"%s\"", path, line);
            return;
        }
        *value = '\0';
        value += 2;
        if (strcmp(line, "status") == 0) {
            e->status = atoi(value);
        } else if (strcmp(line, "code") == 0) {
            e->code = code_from_name(value);
        } else if (strcmp(line, "errors") == 0) {
            e->errors = atol(value);
        } else if (strcmp(line, "warnings") == 0) {
            e->warnings = atol(value);
        } else if (strcmp(line, "path") == 0) {
            e->has_path = true;
            snprintf(e->path, sizeof(e->path), "%s", value);
        } else if (strcmp(line, "line") == 0) {
            e->has_line = true;
            e->line = (unsigned)atoi(value);
        } else if (strcmp(line, "column") == 0) {
            e->column = (unsigned)atoi(value);
        } else if (strcmp(line, "message") == 0) {
            snprintf(e->message, sizeof(e->message), "%s", value);
        } else if (strcmp(line, "schema") == 0) {
            snprintf(e->schema, sizeof(e->schema), "%s", value);
        } else {
            fclose(f);
            fail_msg("%s: unknown key \"%s\"", path, line);
            return;
        }
    }
    fclose(f);
    /* every expectation says what and where, and how the CLI ends */
    if (e->status < 0 || e->code > 0 || !e->message[0] || !e->schema[0])
        fail_msg("%s: status, code, message and schema are required", path);
}

static void test_load__corpus_file(void **state)
{
    const char *json = *state;
    char expect_path[512];
    expect e;
    rpp_diags d;
    rpp_report *r = NULL;
    const rpp_diag *it = NULL;
    rpp_severity sev;
    size_t i;
    int st;

    snprintf(expect_path, sizeof(expect_path), "%.*s.expect",
             (int)(strlen(json) - 5), json);
    read_expect(expect_path, &e);
    rpp_diags_clear(&d);
    st = rpp_report_load_file(&r, json, NULL, &d);
    if (st != e.code)
        dump_diags(&d);
    assert_int_equal(st, e.code);
    /* the CLI's status follows from the code */
    assert_int_equal(e.status, st == RPP_OK ? 0 : 2);
    if (st == RPP_OK) {
        assert_non_null(r);
        assert_int_equal(d.n_errors, 0);
    } else {
        assert_null(r);
        assert_true(d.n_errors >= 1);
    }
    if (e.errors >= 0)
        assert_int_equal(d.n_errors, (size_t)e.errors);
    if (e.warnings >= 0)
        assert_int_equal(d.n_warnings, (size_t)e.warnings);

    /* the first problem of the kind that decides: the first error of a
     * rejected file, the first warning of an accepted one */
    sev = st == RPP_OK ? RPP_SEV_WARNING : RPP_SEV_ERROR;
    for (i = 0; i < d.n_items && !it; i++)
        if (d.items[i].severity == sev)
            it = &d.items[i];
    if (!it) {
        dump_diags(&d);
        fail_msg("no %s reported", sev == RPP_SEV_ERROR ? "error" : "warning");
        return;
    }
    if (!strstr(it->err.message, e.message)) {
        dump_diags(&d);
        fail_msg("message \"%s\" lacks \"%s\"", it->err.message, e.message);
    }
    assert_int_equal(it->err.code, sev == RPP_SEV_ERROR ? e.code : RPP_OK);
    assert_string_equal(it->err.path, e.has_path ? e.path : "");
    assert_int_equal(it->err.line, e.has_line ? e.line : 0);
    assert_int_equal(it->err.column, e.has_line ? e.column : 0);
    rpp_report_free(r);
}

/* The cases the corpus must keep covering; each file holds one problem. */
static const char *const required_invalid[] = {
    "empty", "whitespace-only", "truncated-mid-string", "truncated-mid-array",
    "not-json", "top-level-array", "top-level-string", "missing-version",
    "version-string", "version-fraction", "version-9", "version-negative",
    "missing-summary", "missing-events", "missing-histograms",
    "image-size-string", "events-object", "histograms-array", "summary-null",
    "summary-success-number", "event-start-boolean", "duration-negative",
    "duration-fraction", "duration-above-2p53", "duration-1e400",
    "timestamp-negative", "timestamp-fraction", "timestamp-above-2p53",
    "timestamp-1e400",
    "bytes-negative", "bytes-fraction", "bytes-above-2p53", "bytes-1e400",
    "slice-15-numbers", "slice-17-numbers", "slice-with-string",
    "slice-object", "slice-format-renamed", "slice-format-15-names",
    "throughput-unit-mbps", "window-zero", "duplicate-key-top",
    "nesting-70", "nesting-1100", "huge-number", "huge-number-long",
    "nan-literal", "infinity-literal", "utf8-raw-ff", "utf8-overlong",
    "utf8-surrogate", "raw-tab-in-string", "trailing-garbage", "nul-byte",
};
static const char *const required_warn[] = {
    "unknown-session-state", "unknown-event-type", "unknown-key",
    "slices-out-of-order", "slice-min-above-avg", "missing-schema-block",
    "nul-escape",
};

static void assert_present(const char *dir, const char *const *names,
                           size_t n)
{
    char path[512];
    size_t i;

    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s.json", dir, names[i]);
        if (access(path, R_OK) != 0)
            fail_msg("%s is missing", path);
        snprintf(path, sizeof(path), "%s/%s.expect", dir, names[i]);
        if (access(path, R_OK) != 0)
            fail_msg("%s is missing", path);
    }
}

static void test_load__corpus_covers_every_case(void **state)
{
    (void)state;
    assert_present(INVALID_DIR, required_invalid,
                   sizeof(required_invalid) / sizeof(required_invalid[0]));
    assert_present(WARN_DIR, required_warn,
                   sizeof(required_warn) / sizeof(required_warn[0]));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json files of a directory, sorted; *n receives the count. */
static char **list_json(const char *dir, size_t *n)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t cap = 0;

    *n = 0;
    if (!dp)
        return NULL;
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            char **p;
            cap = cap ? cap * 2 : 64;
            p = realloc(names, cap * sizeof(*names));
            if (!p)
                abort();
            names = p;
        }
        names[*n] = malloc(strlen(dir) + len + 2);
        if (!names[*n])
            abort();
        sprintf(names[*n], "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(dp);
    if (*n)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

/* ---- Accepted shapes ---------------------------------------------------- */

static void test_load__reads_every_field_of_a_v3_report(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    const rpp_histogram *w;

    (void)state;
    assert_int_equal(load_str(base_report, &r, &d), RPP_OK);
    assert_non_null(r);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(r->version, 3);
    assert_string_equal(r->export_time, "2025-12-01T09:03:55");
    assert_int_equal(r->source_bytes, strlen(base_report));

    assert_string_equal(r->summary.image_name, "Raspberry Pi OS (64-bit)");
    assert_string_equal(r->summary.device_name, "/dev/sdb");
    assert_true(r->summary.image_size == 5905580032ull);
    assert_true(r->summary.session_start_time == 1764579600000ull);
    assert_true(r->summary.session_end_time == 1764579608100ull);
    assert_int_equal(r->summary.duration_ms, 8100);
    assert_true(r->summary.success);
    assert_int_equal(r->summary.session_state, RPP_STATE_SUCCEEDED);
    assert_string_equal(r->summary.session_state_raw, "succeeded");
    assert_null(r->summary.error_message);

    assert_int_equal(r->summary.n_event_summaries, 3);
    assert_string_equal(r->summary.event_summaries[1].name, "driveOpen");
    assert_int_equal(r->summary.event_summaries[1].type, RPP_EV_DRIVE_OPEN);
    assert_int_equal(r->summary.event_summaries[2].total_ms, 1840);
    assert_int_equal(r->summary.event_summaries[2].max_ms, 1840);

    assert_true(r->summary.phases[RPP_PHASE_WRITE].present);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].fields,
                     RPP_PH_SAMPLE_COUNT | RPP_PH_BYTES_TOTAL |
                         RPP_PH_DURATION | RPP_PH_MIN | RPP_PH_MAX |
                         RPP_PH_AVG);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].sample_count, 20);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].min_kbps, 44050);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].max_kbps, 48506);
    assert_int_equal(r->summary.phases[RPP_PHASE_WRITE].avg_kbps, 46756);
    assert_int_equal(r->summary.phases[RPP_PHASE_DOWNLOAD].bytes_total,
                     1277165568);
    assert_false(r->summary.phases[RPP_PHASE_DECOMPRESS].present);
    assert_false(r->summary.phases[RPP_PHASE_VERIFY].present);

    assert_int_equal(r->n_events, 3);
    assert_int_equal(r->events[0].type, RPP_EV_CYCLE_START);
    assert_string_equal(r->events[0].type_name, "cycleStart");
    assert_true(r->events[0].has_bytes);
    assert_true(r->events[0].bytes_transferred == 5905580032ull);
    assert_false(r->events[0].has_throughput);
    assert_int_equal(r->events[1].start_ms, 343);
    assert_int_equal(r->events[1].duration_ms, 461);
    assert_string_equal(r->events[1].metadata,
                        "direct_io: yes; platform: Linux");
    assert_int_equal(r->events[2].type, RPP_EV_FINAL_SYNC);
    assert_false(r->events[2].success);
    assert_true(r->events[1].success);
    assert_null(r->events[2].metadata);
    assert_false(r->events[2].has_bytes);

    assert_true(r->histograms[RPP_PHASE_DOWNLOAD].present);
    assert_int_equal(r->histograms[RPP_PHASE_DOWNLOAD].n_slices, 2);
    assert_false(r->histograms[RPP_PHASE_DECOMPRESS].present);
    assert_int_equal(rpp_report_slice_count(r, RPP_PHASE_DECOMPRESS), 0);
    assert_false(r->histograms[RPP_PHASE_VERIFY].present);
    w = &r->histograms[RPP_PHASE_WRITE];
    assert_int_equal(w->n_slices, 3);
    assert_int_equal(rpp_report_slice_count(r, RPP_PHASE_WRITE), 3);
    assert_int_equal(w->slices[0].t_ms, 969);
    assert_int_equal(w->slices[0].min_kbps, 44076);
    assert_int_equal(w->slices[0].max_kbps, 48506);
    assert_int_equal(w->slices[0].avg_kbps, 46437);
    assert_int_equal(w->slices[0].buckets[6], 5);
    assert_int_equal(w->slices[2].t_ms, 3191);
    assert_int_equal(w->slices[2].buckets[6], 4);
    assert_int_equal(w->slices[2].buckets[11], 1);
    assert_int_equal(w->slices[2].buckets[0], 0);

    assert_true(r->has_schema);
    assert_int_equal(r->window_ms, 1000);
    assert_true(r->system.present);
    assert_true(r->system.has_platform);
    assert_false(r->system.has_memory);
    assert_false(r->system.has_write_config);
    assert_string_equal(r->system.platform.os, "Linux");
    assert_int_equal(r->system.platform.cpu_cores, 8);
    /* absent strings of the system block are "", not NULL */
    assert_string_equal(r->system.imager.version, "");
    rpp_report_free(r);
}

static void test_load__accepts_version_2(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    /* version 2 has no sessionState and no system block */
    char *t1 = edit(base_report, "\"version\": 3", "\"version\": 2");
    char *t2 = edit(t1, "    \"sessionState\": \"succeeded\",\n", "");
    char *t3 = edit(t2, "\"system\": {", "\"x-system\": {");
    assert_int_equal(load_str(t3, &r, &d), RPP_OK);
    assert_int_equal(r->version, 2);
    assert_int_equal(r->summary.session_state, RPP_STATE_NONE);
    assert_null(r->summary.session_state_raw);
    assert_false(r->system.present);
    /* the renamed block is an unknown key: the only warning */
    assert_int_equal(d.n_warnings, 1);
    assert_diag(&d, RPP_SEV_WARNING, "$[\"x-system\"]", "unknown key");
    rpp_report_free(r);
    free(t1);
    free(t2);
    free(t3);
}

static void test_load__accepts_empty_phase_summaries(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("\"phases\": {", "\"phases\": {\"verify\": {}, ",
                               &r, &d),
                     RPP_OK);
    assert_int_equal(d.n_warnings, 0);
    assert_true(r->summary.phases[RPP_PHASE_VERIFY].present);
    assert_int_equal(r->summary.phases[RPP_PHASE_VERIFY].fields, 0);
    rpp_report_free(r);

    assert_int_equal(load_edit("\"phases\": {", "\"phases\": {}, \"x\": {",
                               &r, &d),
                     RPP_OK);
    assert_false(r->summary.phases[RPP_PHASE_WRITE].present);
    assert_false(r->summary.phases[RPP_PHASE_DOWNLOAD].present);
    rpp_report_free(r);
}

static void test_load__accepts_empty_histograms(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    int p;

    (void)state;
    assert_int_equal(load_edit("\"histograms\": {", "\"histograms\": {}, \"x\": {",
                               &r, &d),
                     RPP_OK);
    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        assert_false(r->histograms[p].present);
        assert_int_equal(r->histograms[p].n_slices, 0);
        assert_null(r->histograms[p].slices);
    }
    rpp_report_free(r);
}

static void test_load__accepts_a_phase_with_no_slices(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    /* a phase with one sample is written as [] */
    assert_int_equal(load_edit("\"histograms\": {",
                               "\"histograms\": {\"verify\": [], ", &r, &d),
                     RPP_OK);
    assert_int_equal(d.n_warnings, 0);
    assert_true(r->histograms[RPP_PHASE_VERIFY].present);
    assert_int_equal(r->histograms[RPP_PHASE_VERIFY].n_slices, 0);
    assert_int_equal(r->histograms[RPP_PHASE_WRITE].n_slices, 3);
    rpp_report_free(r);
}

static void test_load__accepts_missing_optional_fields(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char *t1, *t2, *t3;

    (void)state;
    /* an event with only the 4 required keys, a phase summary with only
     * sampleCount and bytesTotal, no sessionState, no system block */
    t1 = edit(base_report,
              "{\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461, "
              "\"success\": true, \"metadata\": \"direct_io: yes; platform: "
              "Linux\"}",
              "{\"type\": \"driveOpen\", \"startMs\": 343, \"durationMs\": 461, "
              "\"success\": true}");
    t2 = edit(t1,
              "\"download\": {\"sampleCount\": 14, \"bytesTotal\": 1277165568, "
              "\"durationMs\": 2190, \"minThroughputKBps\": 9876, "
              "\"maxThroughputKBps\": 11310, \"avgThroughputKBps\": 10496}",
              "\"download\": {\"sampleCount\": 1, \"bytesTotal\": 65536}");
    t3 = edit(t2, "    \"sessionState\": \"succeeded\",\n", "");
    free(t1);
    t1 = edit(t3, "\"system\": {\n    \"platform\": {\"os\": \"Linux\", "
                  "\"osVersion\": \"24.04\", \"cpuArchitecture\": \"x86_64\", "
                  "\"cpuCores\": 8}\n  },\n", "");
    assert_int_equal(load_str(t1, &r, &d), RPP_OK);
    assert_int_equal(d.n_warnings, 0);
    assert_null(r->events[1].metadata);
    assert_false(r->events[1].has_bytes);
    assert_false(r->events[1].has_throughput);
    assert_int_equal(r->summary.phases[RPP_PHASE_DOWNLOAD].fields,
                     RPP_PH_SAMPLE_COUNT | RPP_PH_BYTES_TOTAL);
    assert_int_equal(r->summary.phases[RPP_PHASE_DOWNLOAD].sample_count, 1);
    assert_int_equal(r->summary.session_state, RPP_STATE_NONE);
    assert_false(r->system.present);
    rpp_report_free(r);
    free(t1);
    free(t2);
    free(t3);

    /* no exportTime and no schema block: warnings, with the defaults */
    t1 = edit(base_report, "  \"exportTime\": \"2025-12-01T09:03:55\",\n", "");
    t2 = edit(t1, "\"schema\": {", "\"x\": {");
    assert_int_equal(load_str(t2, &r, &d), RPP_OK);
    assert_string_equal(r->export_time, "");
    assert_false(r->has_schema);
    assert_int_equal(r->window_ms, 1000);
    assert_diag(&d, RPP_SEV_WARNING, "$", "no \"exportTime\"");
    assert_diag(&d, RPP_SEV_WARNING, "$", "no \"schema\" block");
    rpp_report_free(r);
    free(t1);
    free(t2);
}

static void test_load__keeps_a_window_other_than_1000(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("\"histogramWindowMs\": 1000",
                               "\"histogramWindowMs\": 86400000", &r, &d),
                     RPP_OK);
    assert_int_equal(r->window_ms, 86400000);
    rpp_report_free(r);
    assert_int_equal(load_edit("\"histogramWindowMs\": 1000",
                               "\"histogramWindowMs\": 1", &r, &d),
                     RPP_OK);
    assert_int_equal(r->window_ms, 1);
    rpp_report_free(r);
}

static void test_load__warns_about_unknown_keys_and_keeps_the_report(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("\"durationMs\": 461, ",
                               "\"durationMs\": 461, \"retries\": 2, ", &r,
                               &d),
                     RPP_OK);
    assert_non_null(r);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 1);
    assert_diag(&d, RPP_SEV_WARNING, "$.events[1].retries",
                "unknown key; ignored");
    assert_int_equal(r->events[1].duration_ms, 461);
    rpp_report_free(r);

    /* an odd key is quoted in the path, with control characters escaped */
    assert_int_equal(load_edit("\"version\": 3", "\"version\": 3, \"a b\\n\": 1",
                               &r, &d),
                     RPP_OK);
    assert_diag(&d, RPP_SEV_WARNING, "$[\"a b\\n\"]", "unknown key");
    rpp_report_free(r);
}

static void test_load__keeps_unknown_event_types_with_their_name(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char *t1, *t2;

    (void)state;
    t1 = edit(base_report, "\"type\": \"driveOpen\"", "\"type\": \"quantumFlush\"");
    t2 = edit(t1, "\"type\": \"finalSync\"", "\"type\": \"quantumFlush\"");
    free(t1);
    t1 = edit(t2, "\"driveOpen\": {\"count\"", "\"quantumFlush\": {\"count\"");
    assert_int_equal(load_str(t1, &r, &d), RPP_OK);
    assert_int_equal(r->n_events, 3);
    assert_int_equal(r->events[1].type, RPP_EV_UNKNOWN);
    assert_string_equal(r->events[1].type_name, "quantumFlush");
    assert_int_equal(r->events[1].duration_ms, 461);
    assert_int_equal(r->events[2].type, RPP_EV_UNKNOWN);
    assert_string_equal(r->events[2].type_name, "quantumFlush");
    assert_int_equal(r->summary.event_summaries[1].type, RPP_EV_UNKNOWN);
    assert_string_equal(r->summary.event_summaries[1].name, "quantumFlush");
    /* one warning per distinct name, at its first place */
    assert_int_equal(d.n_warnings, 1);
    assert_diag(&d, RPP_SEV_WARNING, "$.summary.events.quantumFlush",
                "unknown event type; kept as is");
    rpp_report_free(r);
    free(t1);
    free(t2);
}

static void test_load__warns_about_slices_out_of_order_but_not_a_new_cycle(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char *t1, *t2;

    (void)state;
    t1 = edit(base_report, "[3191, 45525", "[100, 45525");
    assert_int_equal(load_str(t1, &r, &d), RPP_OK);
    assert_diag(&d, RPP_SEV_WARNING, "$.histograms.write[2]",
                "slices out of time order (1 place)");
    rpp_report_free(r);
    /* with a second cycleStart, one step back is the timer restarting */
    t2 = edit(t1, "{\"type\": \"finalSync\"",
              "{\"type\": \"cycleStart\", \"startMs\": 0, \"durationMs\": 0, "
              "\"success\": true},\n    {\"type\": \"finalSync\"");
    assert_int_equal(load_str(t2, &r, &d), RPP_OK);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(r->n_events, 4);
    rpp_report_free(r);
    free(t1);
    free(t2);
}

static void test_load__warns_about_min_above_avg_and_avg_above_max(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("[2085, 9950, 11310, 10562",
                               "[2085, 9950, 10000, 10562", &r, &d),
                     RPP_OK);
    assert_int_equal(d.n_warnings, 1);
    assert_diag(&d, RPP_SEV_WARNING, "$.histograms.download[1]",
                "min > avg or avg > max in 1 slice");
    rpp_report_free(r);
}

static void test_load__warns_about_nul_escapes_and_cuts_the_string(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("\"direct_io: yes; platform: Linux\"",
                               "\"direct_io: yes\\u0000; platform: Linux\"",
                               &r, &d),
                     RPP_OK);
    assert_int_equal(d.n_warnings, 1);
    assert_int_equal(d.items[0].err.line, 28);
    assert_int_equal(d.items[0].err.column, 106);
    assert_string_equal(r->events[1].metadata, "direct_io: yes");
    rpp_report_free(r);
}

static void test_load__warns_when_session_state_is_unknown_or_disagrees(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(load_edit("\"sessionState\": \"succeeded\"",
                               "\"sessionState\": \"paused\"", &r, &d),
                     RPP_OK);
    assert_int_equal(r->summary.session_state, RPP_STATE_UNRECOGNISED);
    assert_string_equal(r->summary.session_state_raw, "paused");
    assert_diag(&d, RPP_SEV_WARNING, "$.summary.sessionState",
                "unknown session state");
    rpp_report_free(r);

    assert_int_equal(load_edit("\"sessionState\": \"succeeded\"",
                               "\"sessionState\": \"cancelled\"", &r, &d),
                     RPP_OK);
    assert_int_equal(r->summary.session_state, RPP_STATE_CANCELLED);
    assert_diag(&d, RPP_SEV_WARNING, "$.summary.sessionState",
                "disagrees with \"success\": true");
    rpp_report_free(r);
}

/* ---- Rejections --------------------------------------------------------- */

/* One edit of base_report and what the loader must say about it. */
typedef struct reject_case {
    const char *old, *repl;
    int status;
    const char *path;
    const char *message;
} reject_case;

static const reject_case reject_cases[] = {
    { "\"version\": 3", "\"version\": 4", RPP_ERR_INVALID, "$.version",
      "unsupported version 4" },
    { "\"version\": 3", "\"version\": \"3\"", RPP_ERR_INVALID, "$.version",
      "expected a non-negative integer, got a string" },
    { "\"version\": 3", "\"release\": 3", RPP_ERR_INVALID, "$",
      "missing \"version\"" },
    { "\"imageSize\": 5905580032", "\"imageSize\": {}", RPP_ERR_INVALID,
      "$.summary.imageSize", "expected a non-negative integer, got an object" },
    { "\"imageSize\": 5905580032", "\"imageSize\": []", RPP_ERR_INVALID,
      "$.summary.imageSize", "expected a non-negative integer, got an array" },
    { "\"deviceName\": \"/dev/sdb\"", "\"deviceName\": null", RPP_ERR_INVALID,
      "$.summary.deviceName", "expected a string, got null" },
    { "\"success\": true,\n    \"sessionState\"",
      "\"success\": \"yes\",\n    \"sessionState\"", RPP_ERR_INVALID,
      "$.summary.success", "expected a boolean, got a string" },
    { "\"events\": [", "\"events\": {}, \"x\": [", RPP_ERR_INVALID, "$.events",
      "expected an array, got an object" },
    { "\"histograms\": {", "\"histograms\": [], \"x\": {", RPP_ERR_INVALID,
      "$.histograms", "expected an object, got an array" },
    { "\"schema\": {", "\"schema\": true, \"x\": {", RPP_ERR_INVALID,
      "$.schema", "expected an object, got a boolean" },
    { "\"system\": {", "\"system\": 3, \"x\": {", RPP_ERR_INVALID, "$.system",
      "expected an object, got a number" },
    { "\"cpuCores\": 8", "\"cpuCores\": -8", RPP_ERR_INVALID,
      "$.system.platform.cpuCores", "got negative -8" },
    { "\"startMs\": 343", "\"startMs\": -343", RPP_ERR_INVALID,
      "$.events[1].startMs", "expected a non-negative integer, got negative -343" },
    { "\"startMs\": 343", "\"startMs\": 343.5", RPP_ERR_INVALID,
      "$.events[1].startMs", "got fraction 343.5" },
    { "\"startMs\": 343", "\"startMs\": 9007199254740994", RPP_ERR_INVALID,
      "$.events[1].startMs", "out of range (above 2^53)" },
    { "\"startMs\": 343", "\"startMs\": 1e400", RPP_ERR_INVALID,
      "$.events[1].startMs", "number out of range (not finite)" },
    { "\"startMs\": 343", "\"startMs\": -1e400", RPP_ERR_INVALID,
      "$.events[1].startMs", "number out of range (not finite)" },
    { "\"startMs\": 343", "\"startMs\": \"343\"", RPP_ERR_INVALID,
      "$.events[1].startMs", "got a string" },
    { "\"type\": \"finalSync\", ", "", RPP_ERR_INVALID, "$.events[2]",
      "missing \"type\"" },
    { "\"success\": false}", "\"success\": null}", RPP_ERR_INVALID,
      "$.events[2].success", "expected a boolean, got null" },
    { "\"bytesTransferred\": 5905580032", "\"bytesTransferred\": -1",
      RPP_ERR_INVALID, "$.events[0].bytesTransferred", "got negative -1" },
    { "\"metadata\": \"Raspberry Pi OS (64-bit)\"", "\"metadata\": 64",
      RPP_ERR_INVALID, "$.events[0].metadata", "expected a string, got a number" },
    { "\"cycleStart\": {\"count\": 1, ", "\"cycleStart\": {", RPP_ERR_INVALID,
      "$.summary.events.cycleStart", "missing \"count\"" },
    { "\"totalMs\": 1840", "\"totalMs\": 1840.25", RPP_ERR_INVALID,
      "$.summary.events.finalSync.totalMs", "got fraction 1840.25" },
    { "\"sampleCount\": 20", "\"sampleCount\": -20", RPP_ERR_INVALID,
      "$.summary.phases.write.sampleCount", "got negative -20" },
    { "\"write\": {\"sampleCount\"", "\"write\": [], \"x\": {\"sampleCount\"",
      RPP_ERR_INVALID, "$.summary.phases.write", "expected an object, got an array" },
    { "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]",
      "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]",
      RPP_ERR_INVALID, "$.histograms.write[1]", "expected 16 numbers, got 15" },
    { "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]",
      "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0]",
      RPP_ERR_INVALID, "$.histograms.write[1]", "expected 16 numbers, got 17" },
    { "[969, 9876, 11020,", "[969, 9876, \"11020\",", RPP_ERR_INVALID,
      "$.histograms.download[0][2]", "expected a non-negative integer, got a string" },
    { "[969, 9876, 11020,", "[969, 9876, 11020.5,", RPP_ERR_INVALID,
      "$.histograms.download[0][2]", "got fraction 11020.5" },
    { "[969, 9876, 11020,", "[969, 9876, [11020],", RPP_ERR_INVALID,
      "$.histograms.download[0][2]", "got an array" },
    { "[969, 9876, 11020, 10431, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]",
      "{\"t\": 969}", RPP_ERR_INVALID, "$.histograms.download[0]",
      "expected an array of 16 numbers, got an object" },
    { "\"avgKBps\"", "\"avgKbps\"", RPP_ERR_INVALID,
      "$.schema.histogramSliceFormat[3]", "expected \"avgKBps\"" },
    { ", \"bucket_1024+MB\"]", "]", RPP_ERR_INVALID,
      "$.schema.histogramSliceFormat", "expected 16 field names, got 15" },
    { ", \"bucket_1024+MB\"]", ", \"bucket_1024+MB\", \"extra\"]",
      RPP_ERR_INVALID, "$.schema.histogramSliceFormat",
      "expected 16 field names, got 17" },
    { "\"timestampMs\"", "0", RPP_ERR_INVALID,
      "$.schema.histogramSliceFormat[0]", "expected \"timestampMs\", got a number" },
    { "\"throughputUnit\": \"KB/s\"", "\"throughputUnit\": \"MB/s\"",
      RPP_ERR_INVALID, "$.schema.throughputUnit", "unsupported unit" },
    { "\"throughputUnit\": \"KB/s\"", "\"throughputUnit\": 1024",
      RPP_ERR_INVALID, "$.schema.throughputUnit", "expected a string, got a number" },
    { "\"histogramWindowMs\": 1000", "\"histogramWindowMs\": 0",
      RPP_ERR_INVALID, "$.schema.histogramWindowMs", "window of 0 ms is out of range" },
    { "\"histogramWindowMs\": 1000", "\"histogramWindowMs\": 86400001",
      RPP_ERR_INVALID, "$.schema.histogramWindowMs", "window of 86400001 ms" },
    { "\"version\": 3,", "\"version\": 3, \"version\": 3,", RPP_ERR_INVALID,
      "$.version", "duplicate key" },
    { "\"startMs\": 343,", "\"startMs\": 343, \"startMs\": 343,",
      RPP_ERR_INVALID, "$.events[1].startMs", "duplicate key" },
    { "\"finalSync\": {\"count\"",
      "\"driveOpen\": {\"count\": 1, \"totalMs\": 0, \"avgMs\": 0, \"minMs\": 0, "
      "\"maxMs\": 0}, \"finalSync\": {\"count\"",
      RPP_ERR_INVALID, "$.summary.events.driveOpen", "duplicate key" },
    { "\"write\": [\n", "\"write\": [], \"write\": [\n", RPP_ERR_INVALID,
      "$.histograms.write", "duplicate key" },
};

static void test_load__rejects_each_problem_at_its_path(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(reject_cases) / sizeof(reject_cases[0]); i++) {
        const reject_case *c = &reject_cases[i];
        rpp_report *r = NULL;
        rpp_diags d;
        int st;

        print_message("# %s -> %s\n", c->repl, c->path);
        st = load_edit(c->old, c->repl, &r, &d);
        assert_rejected(st, &r, &d, c->status, c->path, c->message);
    }
}

static void test_load__rejects_short_slice(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_rejected(load_edit("[3191, 45525, 48102, 47060, 0, 0, 0, 0, 0, 0, 4, "
                              "0, 0, 0, 0, 1]",
                              "[3191, 45525, 48102, 47060]", &r, &d),
                    &r, &d, RPP_ERR_INVALID, "$.histograms.write[2]",
                    "expected 16 numbers, got 4");
    /* a bad number in a short slice is reported too, at its own index */
    assert_int_equal(load_edit("[3191, 45525, 48102, 47060, 0, 0, 0, 0, 0, 0, 4, "
                               "0, 0, 0, 0, 1]",
                               "[3191, -1]", &r, &d),
                     RPP_ERR_INVALID);
    assert_int_equal(d.n_errors, 2);
    assert_diag(&d, RPP_SEV_ERROR, "$.histograms.write[2]",
                "expected 16 numbers, got 2");
    assert_diag(&d, RPP_SEV_ERROR, "$.histograms.write[2][1]", "got negative -1");
}

/* ---- Numbers ------------------------------------------------------------ */

typedef struct number_case {
    const char *text;     /* written as an event's startMs */
    int status;
    uint64_t value;       /* when accepted */
    const char *message;  /* when rejected */
    unsigned at;          /* syntax errors: offset in text of the error */
} number_case;

static const number_case number_cases[] = {
    { "0", RPP_OK, 0, NULL, 0 },
    { "-0", RPP_OK, 0, NULL, 0 },
    { "1500", RPP_OK, 1500, NULL, 0 },
    { "1500.0", RPP_OK, 1500, NULL, 0 },
    { "1.5e3", RPP_OK, 1500, NULL, 0 },
    { "15E+2", RPP_OK, 1500, NULL, 0 },
    { "150000e-2", RPP_OK, 1500, NULL, 0 },
    { "9007199254740992", RPP_OK, 9007199254740992ull, NULL, 0 },
    { "4294967026", RPP_OK, 4294967026ull, NULL, 0 },
    { "9007199254740994", RPP_ERR_INVALID, 0, "above 2^53", 0 },
    { "1.5", RPP_ERR_INVALID, 0, "got fraction 1.5", 0 },
    { "-1", RPP_ERR_INVALID, 0, "got negative -1", 0 },
    { "1e400", RPP_ERR_INVALID, 0, "not finite", 0 },
    { "01500", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "-01", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "1500.", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { ".5", RPP_ERR_SYNTAX, 0, "unexpected '.'", 0 },
    { "-.5", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "1.e3", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "1e", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "1e+", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "-", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
    { "+1", RPP_ERR_SYNTAX, 0, "unexpected '+'", 0 },
    { "0x10", RPP_ERR_SYNTAX, 0, "unexpected 'x'", 1 },
    { "1.5.3", RPP_ERR_SYNTAX, 0, "unexpected '.'", 3 },
    { "NaN", RPP_ERR_SYNTAX, 0, "unexpected 'N'", 0 },
    { "Infinity", RPP_ERR_SYNTAX, 0, "unexpected 'I'", 0 },
    { "-Infinity", RPP_ERR_SYNTAX, 0, "malformed number", 0 },
};

static void test_load__reads_numbers_as_json_spells_them(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++) {
        const number_case *c = &number_cases[i];
        char repl[64];
        rpp_report *r = NULL;
        rpp_diags d;
        int st;

        snprintf(repl, sizeof(repl), "\"startMs\": %s", c->text);
        print_message("# %s\n", repl);
        st = load_edit("\"startMs\": 343", repl, &r, &d);
        if (st != c->status)
            dump_diags(&d);
        assert_int_equal(st, c->status);
        if (st == RPP_OK) {
            assert_true(r->events[1].start_ms == c->value);
            rpp_report_free(r);
            continue;
        }
        assert_null(r);
        assert_int_equal(d.n_errors, 1);
        assert_non_null(strstr(d.items[0].err.message, c->message));
        if (st == RPP_ERR_SYNTAX) {
            /* the value of the second event's startMs is at 28:38 */
            assert_int_equal(d.items[0].err.line, 28);
            assert_int_equal(d.items[0].err.column, 38 + c->at);
            assert_string_equal(d.items[0].err.path, "");
        } else {
            assert_string_equal(d.items[0].err.path, "$.events[1].startMs");
        }
    }
}

/* ---- Syntax errors: where and what -------------------------------------- */

typedef struct syntax_case {
    const char *text;
    unsigned line, column;
    const char *message;
} syntax_case;

static const syntax_case syntax_cases[] = {
    { "{\"a\": [1, 2}", 1, 12, "not valid JSON (unexpected '}')" },
    { "{\"a\": [1 2]}", 1, 10, "not valid JSON (unexpected '2')" },
    { "{\"version\" 3}", 1, 12, "not valid JSON (unexpected '3')" },
    { "{,}", 1, 2, "not valid JSON (unexpected ',')" },
    { "{\"a\": 1,}", 1, 9, "not valid JSON (unexpected '}')" },
    { "[1,]", 1, 4, "not valid JSON (unexpected ']')" },
    { "{\"a\": 1,,\"b\": 2}", 1, 9, "not valid JSON (unexpected ',')" },
    { "{'a': 1}", 1, 2, "not valid JSON (unexpected ''')" },
    { "{a: 1}", 1, 2, "not valid JSON (unexpected 'a')" },
    { "{\"a\": nul}", 1, 7, "not valid JSON (unexpected 'n')" },
    { "{\"a\": True}", 1, 7, "not valid JSON (unexpected 'T')" },
    { "{\"a\": tru", 1, 10, "not valid JSON (unexpected end of file)" },
    { "{\"a\": \"x", 1, 9, "not valid JSON (unexpected end of file)" },
    { "{\"a\": \"x\\", 1, 10, "not valid JSON (unexpected end of file)" },
    { "{\"a\": \"\\u12", 1, 12, "not valid JSON (unexpected end of file)" },
    { "{\"a\": [1,\n2,\n", 3, 1, "not valid JSON (unexpected end of file)" },
    { "{\"a\": {\"b\": 1}\n", 2, 1, "not valid JSON (unexpected end of file)" },
    { "{\"a\": 1}}", 1, 9, "unexpected data after the top-level value" },
    { "{}\n{}\n", 2, 1, "unexpected data after the top-level value" },
    { "{\"a\": \"\\q\"}", 1, 8, "not valid JSON (bad escape sequence)" },
    { "{\"a\": \"\\uD800x\"}", 1, 8, "unpaired UTF-16 surrogate" },
    { "{\"a\": \"\\uDC00\"}", 1, 8, "unpaired UTF-16 surrogate" },
    { "{\"a\": \"\\uD800\\u0041\"}", 1, 8, "unpaired UTF-16 surrogate" },
    { "{\"a\": \"\\uZZZZ\"}", 1, 8, "\\u not followed by 4 hex digits" },
    { "{\"a\": \"\\u12\"}", 1, 8, "\\u not followed by 4 hex digits" },
    { "{\"a\":\x01 1}", 1, 6, "not valid JSON: control character 0x01" },
    { "{\"a\": \"x\ty\"}", 1, 9, "raw control character 0x09 in a string" },
    { "{\"\xc3\xa9\": 1 x}", 1, 9, "not valid JSON (unexpected 'x')" },
    { "\xef\xbb\xbf{\"a\": x}", 1, 8, "not valid JSON (unexpected 'x')" },
    { "{\"a\": \"\xc3\"}", 1, 8, "invalid UTF-8 (byte 0xc3) in a string" },
    { "{\"a\": 1}\xff", 1, 9, "invalid UTF-8 (byte 0xff)" },
};

static void test_load__places_syntax_errors_exactly(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(syntax_cases) / sizeof(syntax_cases[0]); i++) {
        const syntax_case *c = &syntax_cases[i];
        rpp_report *r = NULL;
        rpp_diags d;
        int st;

        print_message("# case %zu\n", i);
        st = load_str(c->text, &r, &d);
        if (st != RPP_ERR_SYNTAX || d.n_items != 1 ||
            d.items[0].err.line != c->line ||
            d.items[0].err.column != c->column ||
            !strstr(d.items[0].err.message, c->message))
            dump_diags(&d);
        assert_int_equal(st, RPP_ERR_SYNTAX);
        assert_null(r);
        assert_int_equal(d.n_errors, 1);
        assert_int_equal(d.items[0].err.code, RPP_ERR_SYNTAX);
        assert_string_equal(d.items[0].err.path, "");
        assert_int_equal(d.items[0].err.line, c->line);
        assert_int_equal(d.items[0].err.column, c->column);
        assert_non_null(strstr(d.items[0].err.message, c->message));
    }
}

static void test_load__accepts_escapes_json_allows(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    /* a surrogate pair, \/ and friends, a BOM, CRLF line ends */
    assert_int_equal(load_edit("\"direct_io: yes; platform: Linux\"",
                               "\"\\ud83d\\ude00 \\/ \\\"q\\\" \\\\ \\t\\u00e9\"",
                               &r, &d),
                     RPP_OK);
    assert_string_equal(r->events[1].metadata,
                        "\xf0\x9f\x98\x80 / \"q\" \\ \t\xc3\xa9");
    rpp_report_free(r);
}

/* base_report with `"deep": ` and depth nested arrays before "version". */
static char *deep_report(int depth)
{
    char *deep = malloc((size_t)depth * 2 + 64), *p, *text;
    int i;

    assert_non_null(deep);
    p = deep + sprintf(deep, "\"deep\": ");
    for (i = 0; i < depth; i++)
        *p++ = '[';
    for (i = 0; i < depth; i++)
        *p++ = ']';
    strcpy(p, ", \"version\": 3");
    text = edit(base_report, "\"version\": 3", deep);
    free(deep);
    return text;
}

static void test_load__rejects_nesting_deeper_than_64(void **state)
{
    static const int too_deep[] = { 64, 999, 1001, 100000 };
    rpp_report *r = NULL;
    rpp_diags d;
    char *text;
    size_t i;

    (void)state;
    /* the top-level object and 63 arrays: 64 levels, accepted */
    text = deep_report(63);
    assert_int_equal(load_str(text, &r, &d), RPP_OK);
    assert_diag(&d, RPP_SEV_WARNING, "$.deep", "unknown key");
    rpp_report_free(r);
    free(text);
    /* one more, or far more than cJSON's own limit of 1000 */
    for (i = 0; i < sizeof(too_deep) / sizeof(too_deep[0]); i++) {
        text = deep_report(too_deep[i]);
        assert_int_equal(load_str(text, &r, &d), RPP_ERR_SYNTAX);
        assert_null(r);
        assert_int_equal(d.n_errors, 1);
        /* at the 64th '[' after `  "deep": ` (columns 1-10) */
        assert_int_equal(d.items[0].err.line, 2);
        assert_int_equal(d.items[0].err.column, 10 + 64);
        assert_non_null(strstr(d.items[0].err.message,
                               "nesting deeper than 64 levels"));
        free(text);
    }
}

/* ---- Every problem is reported, up to the cap --------------------------- */

static void test_load__reports_all_problems_of_a_file(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char *t1, *t2, *t3;

    (void)state;
    t1 = edit(base_report, "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]",
              "[2085, 44050, 48119, 46771, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]");
    t2 = edit(t1, "\"durationMs\": 1840", "\"durationMs\": -5");
    t3 = edit(t2, "\"imageSize\": 5905580032", "\"imageSize\": \"big\"");
    assert_int_equal(load_str(t3, &r, &d), RPP_ERR_INVALID);
    assert_null(r);
    assert_int_equal(d.n_errors, 3);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(d.n_items, 3);
    /* in the order of the walk: summary, events, histograms */
    assert_string_equal(d.items[0].err.path, "$.summary.imageSize");
    assert_non_null(strstr(d.items[0].err.message, "got a string"));
    assert_string_equal(d.items[1].err.path, "$.events[2].durationMs");
    assert_non_null(strstr(d.items[1].err.message, "got negative -5"));
    assert_string_equal(d.items[2].err.path, "$.histograms.write[1]");
    assert_non_null(strstr(d.items[2].err.message, "expected 16 numbers, got 15"));
    free(t1);
    free(t2);
    free(t3);
}

static void test_load__caps_the_list_but_counts_every_problem(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char *slices = malloc(100 * 8 + 64), *keys = malloc(70 * 24 + 64);
    char *t1, *t2, *p;
    int i;

    (void)state;
    assert_non_null(slices);
    assert_non_null(keys);
    /* 70 unknown keys (warnings), then 100 one-number slices (errors) */
    p = keys;
    for (i = 0; i < 70; i++)
        p += sprintf(p, "\"extra%d\": %d, ", i, i);
    strcpy(p, "\"version\": 3");
    p = slices + sprintf(slices, "\"verify\": [");
    for (i = 0; i < 100; i++)
        p += sprintf(p, "%s[%d]", i ? ", " : "", i);
    strcpy(p, "],\n    \"write\": [");
    t1 = edit(base_report, "\"version\": 3", keys);
    t2 = edit(t1, "\"write\": [", slices);
    assert_int_equal(load_str(t2, &r, &d), RPP_ERR_INVALID);
    assert_int_equal(d.n_errors, 100);
    assert_int_equal(d.n_warnings, 70);
    assert_int_equal(d.n_items, RPP_DIAG_MAX);
    assert_int_equal(d.items[0].severity, RPP_SEV_WARNING);
    assert_string_equal(d.items[0].err.path, "$.extra0");
    assert_string_equal(d.items[RPP_DIAG_MAX - 1].err.path, "$.extra63");
    rpp_report_free(r);
    free(t1);
    free(t2);

    /* errors alone: the first 64 are kept in order */
    t1 = edit(base_report, "\"write\": [", slices);
    assert_int_equal(load_str(t1, &r, &d), RPP_ERR_INVALID);
    assert_int_equal(d.n_errors, 100);
    assert_int_equal(d.n_items, RPP_DIAG_MAX);
    assert_string_equal(d.items[0].err.path, "$.histograms.verify[0]");
    assert_string_equal(d.items[RPP_DIAG_MAX - 1].err.path,
                        "$.histograms.verify[63]");
    assert_non_null(strstr(d.items[RPP_DIAG_MAX - 1].err.message,
                           "expected 16 numbers, got 1"));
    free(t1);
    free(slices);
    free(keys);

    /* without a diagnostics list the status is the same */
    t1 = edit(base_report, "\"version\": 3", "\"version\": 7");
    assert_int_equal(rpp_report_load_buffer(&r, t1, strlen(t1), NULL, NULL),
                     RPP_ERR_INVALID);
    assert_null(r);
    free(t1);
}

/* ---- Buffers, files and special files ----------------------------------- */

static void test_load__reads_only_len_bytes_of_a_buffer(void **state)
{
    size_t len = strlen(base_report);
    char *exact = malloc(len), *longer;
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    /* exactly len bytes, no NUL after them (ASan/valgrind see overreads) */
    assert_non_null(exact);
    memcpy(exact, base_report, len);
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_buffer(&r, exact, len, NULL, &d), RPP_OK);
    assert_int_equal(r->source_bytes, len);
    rpp_report_free(r);
    /* cut one byte short: the closing brace is missing */
    assert_int_equal(rpp_report_load_buffer(&r, exact, len - 2, NULL, &d),
                     RPP_ERR_SYNTAX);
    assert_non_null(strstr(d.items[0].err.message, "unexpected end of file"));
    free(exact);

    /* bytes after len are not part of the report */
    longer = malloc(len + 16);
    assert_non_null(longer);
    memcpy(longer, base_report, len);
    memcpy(longer + len, "garbage{[\"", 11);
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_buffer(&r, longer, len, NULL, &d), RPP_OK);
    rpp_report_free(r);
    free(longer);
}

static void test_load__checks_its_arguments(void **state)
{
    rpp_report *r = (rpp_report *)1;
    rpp_diags d;

    (void)state;
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_buffer(NULL, "{}", 2, NULL, &d),
                     RPP_ERR_ARG);
    assert_int_equal(rpp_report_load_buffer(&r, NULL, 5, NULL, &d),
                     RPP_ERR_ARG);
    assert_null(r);
    r = (rpp_report *)1;
    assert_int_equal(rpp_report_load_file(&r, NULL, NULL, &d), RPP_ERR_ARG);
    assert_null(r);
    assert_int_equal(rpp_report_load_file(NULL, "x", NULL, &d), RPP_ERR_ARG);
    /* NULL data of length 0 is an empty text */
    assert_int_equal(rpp_report_load_buffer(&r, NULL, 0, NULL, &d),
                     RPP_ERR_SYNTAX);
    assert_string_equal(d.items[0].err.message, "empty file");
    rpp_report_free(NULL);
}

static void test_load__reads_a_file_and_a_pipe(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    int fds[2];

    (void)state;
    write_file(tmp_path("base.json"), base_report, strlen(base_report));
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_file(&r, tmp_path("base.json"), NULL, &d),
                     RPP_OK);
    assert_int_equal(r->n_events, 3);
    rpp_report_free(r);

    /* a pipe is read to its end */
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], base_report, strlen(base_report)),
                     (ssize_t)strlen(base_report));
    close(fds[1]);
    assert_int_equal(rpp_report_load_fd(&r, fds[0], NULL, &d), RPP_OK);
    assert_int_equal(r->histograms[RPP_PHASE_WRITE].n_slices, 3);
    close(fds[0]);
    rpp_report_free(r);
}

static void test_load__refuses_a_missing_file(void **state)
{
    rpp_report *r = (rpp_report *)1;
    rpp_diags d;

    (void)state;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, tmp_path("no-such.json"), NULL,
                                         &d),
                    &r, &d, RPP_ERR_IO, "", "cannot open: No such file");
}

static void test_load__refuses_a_directory(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, "tests/data", NULL, &d), &r, &d,
                    RPP_ERR_IO, "", "is a directory, not a report");
}

static void test_load__fifo_without_writer_does_not_hang(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(mkfifo(tmp_path("fifo"), 0600), 0);
    /* if the open or a read blocked, the test would never end (the test
     * runner stops it and counts it as failed) */
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, tmp_path("fifo"), NULL, &d), &r,
                    &d, RPP_ERR_IO, "",
                    "a FIFO that nothing wrote to within 5 s");
}

/* The writer of a FIFO, started after the reader has opened it. */
typedef struct late_writer {
    const char *path;
    const char *text;           /* NULL: open and close, write nothing */
} late_writer;

static void *write_late(void *arg)
{
    const late_writer *w = arg;
    struct timespec pause = { 0, 300 * 1000 * 1000 };
    FILE *f;

    nanosleep(&pause, NULL);
    f = fopen(w->path, "w");   /* blocks until the reader is there */
    if (f) {
        if (w->text)
            fputs(w->text, f);
        fclose(f);
    }
    return NULL;
}

static void test_load__fifo_read_when_its_writer_comes_late(void **state)
{
    late_writer w;
    pthread_t t;
    rpp_report *r = NULL;
    rpp_diags d;

    (void)state;
    assert_int_equal(mkfifo(tmp_path("late"), 0600), 0);
    /* the report arrives after the reader opened the FIFO */
    w.path = tmp_path("late");
    w.text = base_report;
    assert_int_equal(pthread_create(&t, NULL, write_late, &w), 0);
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_file(&r, w.path, NULL, &d), RPP_OK);
    assert_non_null(r);
    assert_int_equal(r->version, 3);
    rpp_report_free(r);
    r = NULL;
    pthread_join(t, NULL);
    /* a writer that comes and goes without a byte: an empty file, at once */
    w.text = NULL;
    assert_int_equal(pthread_create(&t, NULL, write_late, &w), 0);
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, w.path, NULL, &d), &r, &d,
                    RPP_ERR_SYNTAX, "", "empty file");
    pthread_join(t, NULL);
}

static void test_load__refuses_dev_zero_quickly(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    char zeros[4096];
    int fds[2];

    (void)state;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, "/dev/zero", NULL, &d), &r, &d,
                    RPP_ERR_SYNTAX, "", "not a text file: NUL byte at offset 0");
    assert_int_equal(d.items[0].err.line, 1);
    assert_int_equal(d.items[0].err.column, 1);
    /* it stops at the first block instead of reading up to the limit: a
     * pipe holding one block of zeros, whose writer stays open, is refused
     * without waiting for more (a load that read on would never end) */
    memset(zeros, 0, sizeof(zeros));
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], zeros, sizeof(zeros)),
                     (ssize_t)sizeof(zeros));
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_fd(&r, fds[0], NULL, &d), &r, &d,
                    RPP_ERR_SYNTAX, "", "not a text file: NUL byte at offset 0");
    close(fds[0]);
    close(fds[1]);
}

static void test_load__refuses_a_file_above_max_size_without_reading_it(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    rpp_load_opts o;
    size_t len = strlen(base_report);
    int fd;

    (void)state;
    /* a sparse file of 1 GiB + 1 of NUL bytes: reading any of it would say
     * "NUL byte", refusing it from its size says "not read" */
    fd = open(tmp_path("huge.json"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)1024 * 1024 * 1024 + 1), 0);
    close(fd);
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, tmp_path("huge.json"), NULL, &d),
                    &r, &d, RPP_ERR_LIMIT, "",
                    "file of 1073741825 bytes is above the size limit of "
                    "268435456 bytes; not read");
    unlink(tmp_path("huge.json"));

    /* the limit from the options, at the byte */
    write_file(tmp_path("base.json"), base_report, len);
    memset(&o, 0, sizeof(o));
    o.max_file_size = len - 1;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_file(&r, tmp_path("base.json"), &o, &d), &r,
                    &d, RPP_ERR_LIMIT, "", "above the size limit");
    o.max_file_size = len;
    assert_int_equal(rpp_report_load_file(&r, tmp_path("base.json"), &o, &d),
                     RPP_OK);
    rpp_report_free(r);
    /* and for a buffer */
    o.max_file_size = len - 1;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_buffer(&r, base_report, len, &o, &d), &r,
                    &d, RPP_ERR_LIMIT, "", "above the size limit");
}

static void test_load__stops_reading_a_pipe_at_the_limit(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    rpp_load_opts o;
    char spaces[300];
    int fds[2];

    (void)state;
    memset(spaces, ' ', sizeof(spaces));
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], spaces, sizeof(spaces)),
                     (ssize_t)sizeof(spaces));
    close(fds[1]);
    memset(&o, 0, sizeof(o));
    o.max_file_size = 100;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_fd(&r, fds[0], &o, &d), &r, &d,
                    RPP_ERR_LIMIT, "", "more than 100 bytes, above the size limit");
    close(fds[0]);
}

static void test_load__applies_the_limits_of_the_options(void **state)
{
    rpp_report *r = NULL;
    rpp_diags d;
    rpp_load_opts o;
    size_t len = strlen(base_report);

    (void)state;
    memset(&o, 0, sizeof(o));
    o.max_events = 2;
    rpp_diags_clear(&d);
    /* both the events and the per-type summary count */
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_ERR_LIMIT);
    assert_null(r);
    assert_int_equal(d.n_errors, 2);
    assert_diag(&d, RPP_SEV_ERROR, "$.summary.events",
                "3 event types, above the limit of 2");
    assert_diag(&d, RPP_SEV_ERROR, "$.events", "3 events, above the limit of 2");
    o.max_events = 3;
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_OK);
    rpp_report_free(r);

    memset(&o, 0, sizeof(o));
    o.max_slices = 2;
    rpp_diags_clear(&d);
    assert_rejected(rpp_report_load_buffer(&r, base_report, len, &o, &d), &r,
                    &d, RPP_ERR_LIMIT, "$.histograms.write",
                    "3 slices, above the limit of 2");
    o.max_slices = 3;
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_OK);
    rpp_report_free(r);

    /* the longest string of base_report is 31 bytes; the first one walked
     * is exportTime (19 bytes) */
    memset(&o, 0, sizeof(o));
    o.max_string = 18;
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_ERR_LIMIT);
    assert_null(r);
    assert_diag(&d, RPP_SEV_ERROR, "$.exportTime",
                "string of 19 bytes is longer than the limit of 18");
    o.max_string = 31;
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_OK);
    rpp_report_free(r);
    o.max_string = 30;
    rpp_diags_clear(&d);
    assert_int_equal(rpp_report_load_buffer(&r, base_report, len, &o, &d),
                     RPP_ERR_LIMIT);
    assert_int_equal(d.n_errors, 1);
    assert_diag(&d, RPP_SEV_ERROR, "$.events[1].metadata", "string of 31 bytes");
}

/* ---- Round trip of the reference reports --------------------------------- */

/*
 * Facts read from each file with Python's json module (not from this
 * loader): tests/unit/gen_fixture_facts.py prints this table.
 */
typedef struct phase_facts {
    bool present;                 /* key in "histograms" */
    size_t n_slices;
    uint64_t first_t, first_avg, last_t, last_avg;
    unsigned long long sum;       /* of all 16 numbers of all slices */
} phase_facts;

typedef struct phase_sum_facts {
    bool present;                 /* key in summary.phases */
    unsigned n_fields;
    uint64_t sample_count, bytes_total;
} phase_sum_facts;

typedef struct fixture_facts {
    const char *file;
    int version;
    size_t n_events;
    const char *first_type, *last_type;
    unsigned long long start_sum, duration_sum;
    size_t n_with_metadata;
    const char *image_name, *device_name;
    unsigned long long image_size, duration_ms;
    int success;
    const char *state, *error_message;
    size_t n_event_summaries;
    phase_facts hist[RPP_PHASE_COUNT];
    phase_sum_facts phases[RPP_PHASE_COUNT];
    bool has_system;
    uint64_t cpu_cores;
} fixture_facts;

static const fixture_facts fixtures[] = {
    { "tests/data/reference/upstream-writer/v2-cancelled.json", 2, 4, "cacheLookup", "deviceClose", 459ull, 864ull, 2,
      "Raspberry Pi OS (64-bit)", "/dev/rdisk5", 3959422976ull, 21724ull, 0, NULL, "Cancelled by user", 4,
      { { true, 19, 1006, 42964, 20731, 15105, 1187392ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 19, 1006, 58019, 20731, 57862, 3418381ull },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 6, 121, 880803840 },
        { false, 0, 0, 0 },
        { true, 6, 121, 3959422976 },
        { true, 0, 0, 0 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-cap.json", 2, 6, "cacheLookup", "deviceClose", 2604753ull, 141457ull, 3,
      "Raspberry Pi OS Full (64-bit)", "/dev/sdb", 6442450944ull, 960528ull, 1, NULL, NULL, 6,
      { { true, 660, 907, 30598, 690662, 1697, 231648903ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 660, 907, 7543, 690662, 7549, 243255083ull },
        { true, 125, 824153, 46260, 959694, 41944, 128763326ull } },
      { { true, 6, 6000, 1449551462 },
        { false, 0, 0, 0 },
        { true, 6, 6000, 6442450944 },
        { true, 6, 781, 6442450944 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-cpu-bound.json", 2, 6, "cacheLookup", "deviceClose", 945907ull, 72065ull, 3,
      "Ubuntu Desktop 24.04.3 LTS (64-bit)", "/dev/sda", 4563402752ull, 362588ull, 1, NULL, NULL, 6,
      { { true, 265, 801, 4848, 288926, 3637, 41750025ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 267, 801, 15063, 290953, 14327, 51213675ull },
        { true, 65, 292217, 62912, 361843, 49920, 33550931ull } },
      { { true, 6, 1648, 1128267776 },
        { false, 0, 0, 0 },
        { true, 6, 1659, 4563402752 },
        { true, 6, 401, 4563402752 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-failed.json", 2, 5, "driveListPoll", "deviceClose", 4294968252ull, 1799ull, 2,
      "Raspberry Pi OS (64-bit)", "/dev/sdb", 5905580032ull, 76087ull, 0, NULL, "Write error: Error writing to storage device. Please check if the device is writable, has sufficient space, and is not write-protected.", 5,
      { { true, 67, 1519, 38847, 72846, 10878, 4083698ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 66, 1519, 30038, 71743, 30742, 8502443ull },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 6, 410, 1277165568 },
        { false, 0, 0, 0 },
        { true, 6, 408, 5905580032 },
        { true, 0, 0, 0 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-healthy.json", 2, 10, "cacheLookup", "deviceClose", 1217888ull, 68975ull, 4,
      "Raspberry Pi OS (64-bit)", "/dev/sdb", 5905580032ull, 193632ull, 1, NULL, NULL, 10,
      { { true, 111, 1037, 40674, 121070, 7998, 10634132ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 115, 1037, 45902, 125624, 33736, 23157427ull },
        { true, 59, 128147, 89887, 191637, 67540, 25303110ull } },
      { { true, 6, 699, 1277165568 },
        { false, 0, 0, 0 },
        { true, 6, 724, 5905580032 },
        { true, 6, 364, 5905580032 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-io-bound.json", 2, 16, "cacheLookup", "deviceClose", 2160909ull, 91897ull, 13,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdc", 2852126720ull, 318747ull, 1, NULL, NULL, 7,
      { { true, 189, 1114, 29157, 234769, 1633, 23792289ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 210, 1114, 11813, 258916, 10817, 35268645ull },
        { true, 32, 284914, 81759, 318542, 66320, 17483904ull } },
      { { true, 6, 1166, 463044608 },
        { false, 0, 0, 0 },
        { true, 6, 1290, 2852126720 },
        { true, 6, 196, 2852126720 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-long-customisation.json", 2, 11, "cacheLookup", "deviceClose", 943457ull, 89609ull, 4,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdb", 2852126720ull, 159349ull, 1, NULL, NULL, 11,
      { { true, 65, 1355, 44767, 71618, 4085, 3745929ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 71, 1355, 35674, 78336, 26871, 10427238ull },
        { true, 31, 80940, 82221, 113191, 77005, 10768086ull } },
      { { true, 6, 402, 463044608 },
        { false, 0, 0, 0 },
        { true, 6, 441, 2852126720 },
        { true, 6, 189, 2852126720 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-multi-cycle.json", 2, 10, "cacheLookup", "deviceClose", 1085049ull, 44304ull, 4,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdc", 2852126720ull, 167422ull, 1, NULL, NULL, 10,
      { { true, 102, 1565, 15222, 112172, 4092, 7104007ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 113, 1565, 23031, 123872, 22215, 14765716ull },
        { true, 36, 127196, 72592, 165663, 44386, 12939872ull } },
      { { true, 6, 646, 463044608 },
        { false, 0, 0, 0 },
        { true, 6, 712, 2852126720 },
        { true, 6, 221, 2852126720 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-network-starved.json", 2, 6, "cacheLookup", "deviceClose", 525390ull, 33850ull, 3,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdb", 2785017856ull, 196226ull, 1, NULL, NULL, 6,
      { { true, 142, 1367, 2960, 162701, 2354, 13046878ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 142, 1367, 16691, 162701, 13282, 19184710ull },
        { true, 29, 165033, 88165, 195858, 61933, 12739348ull } },
      { { true, 6, 896, 493879296 },
        { false, 0, 0, 0 },
        { true, 6, 896, 2785017856 },
        { true, 6, 176, 2785017856 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-never-started.json", 2, 9, "osListFetch", "driveListPoll", 0ull, 3005ull, 4,
      "", "", 0ull, 0ull, 0, NULL, NULL, 4,
      { { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 0, 0, 0 },
        { false, 0, 0, 0 },
        { true, 0, 0, 0 },
        { true, 0, 0, 0 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-stalls.json", 2, 6, "cacheLookup", "deviceClose", 549371ull, 53820ull, 3,
      "Raspberry Pi OS (64-bit)", "/dev/rdisk4", 3959422976ull, 217138ull, 1, NULL, NULL, 6,
      { { true, 132, 1506, 52093, 150434, 5301, 12634475ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 144, 1506, 29334, 163923, 27645, 22570313ull },
        { true, 46, 167052, 76134, 216320, 76238, 19435510ull } },
      { { true, 6, 816, 880803840 },
        { false, 0, 0, 0 },
        { true, 6, 893, 3959422976 },
        { true, 6, 286, 3959422976 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v2-windows-slow-prepare.json", 2, 6, "cacheLookup", "deviceClose", 673968ull, 121342ull, 3,
      "Ubuntu Desktop 24.04.3 LTS (64-bit)", "\\\\.\\PhysicalDrive2", 5368709120ull, 256175ull, 1, NULL, NULL, 6,
      { { true, 115, 62626, 62214, 187725, 8549, 17930622ull },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 128, 62420, 40292, 196602, 37966, 31482999ull },
        { true, 51, 200539, 93152, 255042, 89737, 26035402ull } },
      { { true, 6, 713, 1181116006 },
        { false, 0, 0, 0 },
        { true, 6, 1435, 5368709120 },
        { true, 6, 317, 5368709120 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v3-cancelled.json", 3, 16, "osListFetch", "deviceClose", 56661ull, 7965ull, 10,
      "Raspberry Pi OS (64-bit)", "/dev/rdisk5", 3959422976ull, 26049ull, 0, "cancelled", "Cancelled by user", 14,
      { { true, 19, 5347, 42801, 24893, 14138, 1281067ull },
        { true, 19, 5347, 105935, 24893, 64164, 3922989ull },
        { true, 19, 5347, 57406, 24893, 57813, 3502999ull },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 6, 121, 880803840 },
        { true, 6, 121, 3959422976 },
        { true, 6, 121, 3959422976 },
        { true, 0, 0, 0 } },
      true, 10 },
    { "tests/data/reference/upstream-writer/v3-cap.json", 3, 183, "osListFetch", "writeRingBufferStats", 70463234ull, 2321799ull, 178,
      "Raspberry Pi OS Full (64-bit)", "/dev/sdb", 6442450944ull, 960939ull, 1, "succeeded", NULL, 21,
      { { true, 659, 952, 31190, 690939, 1778, 231476708ull },
        { true, 659, 952, 66994, 690939, 7675, 243430469ull },
        { true, 659, 952, 7699, 690939, 7840, 243076016ull },
        { true, 126, 824232, 44613, 959689, 47471, 129827212ull } },
      { { true, 6, 6000, 1449551462 },
        { true, 6, 6000, 6442450944 },
        { true, 6, 6000, 6442450944 },
        { true, 6, 779, 6442450944 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-cpu-bound.json", 3, 82, "osListFetch", "writeRingBufferStats", 10234545ull, 855341ull, 76,
      "Ubuntu Desktop 24.04.3 LTS (64-bit)", "/dev/sda", 4563402752ull, 362463ull, 1, "succeeded", NULL, 21,
      { { true, 265, 792, 6120, 288910, 89, 41842784ull },
        { true, 266, 792, 15241, 289940, 14987, 50956776ull },
        { true, 266, 792, 15241, 289940, 14987, 50956776ull },
        { true, 65, 292159, 62252, 361806, 57440, 33606659ull } },
      { { true, 6, 1654, 1128267776 },
        { true, 6, 1666, 4563402752 },
        { true, 6, 1666, 4563402752 },
        { true, 6, 398, 4563402752 } },
      true, 4 },
    { "tests/data/reference/upstream-writer/v3-failed.json", 3, 20, "osListFetch", "deviceClose", 4295279839ull, 4989ull, 15,
      "Raspberry Pi OS (64-bit)", "/dev/sdb", 5905580032ull, 76123ull, 0, "failed", "Write error: Error writing to storage device. Please check if the device is writable, has sufficient space, and is not write-protected.", 13,
      { { true, 66, 1573, 38511, 72205, 7045, 4009682ull },
        { true, 66, 1573, 77509, 72205, 34295, 9269251ull },
        { true, 66, 1573, 30302, 72205, 31137, 8515097ull },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 6, 409, 1277165568 },
        { true, 6, 408, 5905580032 },
        { true, 6, 407, 5905580032 },
        { true, 0, 0, 0 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-healthy.json", 3, 47, "osListFetch", "writeRingBufferStats", 2967530ull, 403691ull, 38,
      "Raspberry Pi OS (64-bit)", "/dev/sdb", 5905580032ull, 193467ull, 1, "succeeded", NULL, 26,
      { { true, 111, 969, 41733, 121052, 6387, 10619782ull },
        { true, 114, 969, 95997, 124269, 45022, 24950557ull },
        { true, 115, 969, 46437, 125306, 39565, 23156820ull },
        { true, 59, 128067, 89004, 191314, 64065, 25316801ull } },
      { { true, 6, 696, 1277165568 },
        { true, 6, 710, 5905580032 },
        { true, 6, 717, 5905580032 },
        { true, 6, 361, 5905580032 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-io-bound.json", 3, 95, "osListFetch", "writeRingBufferStats", 10241186ull, 761728ull, 90,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdc", 2852126720ull, 314490ull, 1, "succeeded", NULL, 23,
      { { true, 190, 1068, 30308, 229045, 1141, 23094286ull },
        { true, 205, 1068, 47682, 249202, 10101, 33960642ull },
        { true, 209, 1068, 12124, 254468, 9028, 34227885ull },
        { true, 32, 280441, 82739, 313896, 61888, 17279978ull } },
      { { true, 6, 1176, 463044608 },
        { true, 6, 1274, 2852126720 },
        { true, 6, 1306, 2852126720 },
        { true, 6, 198, 2852126720 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-long-customisation.json", 3, 44, "osListFetch", "writeRingBufferStats", 2003920ull, 302399ull, 34,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdb", 2852126720ull, 162339ull, 1, "succeeded", NULL, 27,
      { { true, 64, 1458, 38561, 71010, 5403, 3650198ull },
        { true, 69, 1458, 79197, 76338, 37481, 11116265ull },
        { true, 71, 1458, 35404, 78509, 25920, 10425134ull },
        { true, 30, 81131, 84742, 113385, 69060, 10406407ull } },
      { { true, 6, 405, 463044608 },
        { true, 6, 435, 2852126720 },
        { true, 6, 446, 2852126720 },
        { true, 6, 195, 2852126720 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-multi-cycle.json", 3, 88, "osListFetch", "writeRingBufferStats", 4308126ull, 582064ull, 71,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdc", 2852126720ull, 167006ull, 1, "succeeded", NULL, 26,
      { { true, 158, 1129, 35707, 112427, 3748, 10267396ull },
        { true, 170, 1129, 103061, 120960, 19897, 26217467ull },
        { true, 173, 1129, 43722, 123199, 22381, 24408970ull },
        { true, 65, 67207, 90189, 164788, 67319, 23036504ull } },
      { { true, 6, 978, 463044608 },
        { true, 6, 1055, 2852126720 },
        { true, 6, 1078, 2852126720 },
        { true, 6, 402, 2852126720 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-network-starved.json", 3, 44, "osListFetch", "writeRingBufferStats", 3036894ull, 445177ull, 39,
      "Raspberry Pi OS Lite (64-bit)", "/dev/sdb", 2785017856ull, 183473ull, 1, "succeeded", NULL, 22,
      { { true, 130, 1430, 3064, 150460, 2571, 11352161ull },
        { true, 130, 1430, 17284, 150460, 14504, 17471435ull },
        { true, 130, 1430, 17284, 150460, 14504, 17471435ull },
        { true, 29, 152132, 86457, 182744, 65188, 12329606ull } },
      { { true, 6, 817, 493879296 },
        { true, 6, 817, 2785017856 },
        { true, 6, 817, 2785017856 },
        { true, 6, 176, 2785017856 } },
      true, 8 },
    { "tests/data/reference/upstream-writer/v3-never-started.json", 3, 9, "osListFetch", "driveListPoll", 0ull, 3005ull, 4,
      "", "", 0ull, 0ull, 0, "never_started", NULL, 4,
      { { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 } },
      { { true, 0, 0, 0 },
        { true, 0, 0, 0 },
        { true, 0, 0, 0 },
        { true, 0, 0, 0 } },
      false, 0 },
    { "tests/data/reference/upstream-writer/v3-stalls.json", 3, 44, "osListFetch", "writeRingBufferStats", 2715119ull, 490788ull, 37,
      "Raspberry Pi OS (64-bit)", "/dev/rdisk4", 3959422976ull, 220384ull, 1, "succeeded", NULL, 22,
      { { true, 132, 4575, 51241, 153025, 7441, 13045696ull },
        { true, 143, 4575, 72872, 165034, 19346, 24082266ull },
        { true, 145, 4575, 28728, 167256, 25098, 23184962ull },
        { true, 47, 170002, 76146, 219841, 54437, 19916586ull } },
      { { true, 6, 821, 880803840 },
        { true, 6, 885, 3959422976 },
        { true, 6, 897, 3959422976 },
        { true, 6, 289, 3959422976 } },
      true, 10 },
    { "tests/data/reference/upstream-writer/v3-windows-slow-prepare.json", 3, 53, "osListFetch", "writeRingBufferStats", 5131056ull, 617879ull, 44,
      "Ubuntu Desktop 24.04.3 LTS (64-bit)", "\\\\.\\PhysicalDrive2", 5368709120ull, 256579ull, 1, "succeeded", NULL, 24,
      { { true, 115, 62841, 61909, 187846, 8242, 17909097ull },
        { true, 122, 62841, 82455, 195486, 32941, 31817661ull },
        { true, 128, 62653, 40351, 196504, 36341, 31491774ull },
        { true, 51, 200826, 95443, 255166, 93423, 26053919ull } },
      { { true, 6, 714, 1181116006 },
        { true, 6, 756, 5368709120 },
        { true, 6, 1453, 5368709120 },
        { true, 6, 315, 5368709120 } },
      true, 12 },
    { "tests/data/reference/examples/imager-docs-example-v2.json", 2, 14, "osListFetch", "deviceClose", 944690ull, 20920ull, 11,
      "Raspberry Pi OS (64-bit)", "\\\\.\\PhysicalDrive2", 4294967296ull, 180000ull, 1, NULL, NULL, 10,
      { { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 12, 4500, 32256, 147000, 33792, 1969092ull },
        { true, 5, 150000, 128000, 165000, 132608, 2787066ull } },
      { { true, 2, 0, 0 },
        { false, 0, 0, 0 },
        { true, 6, 120, 4294967296 },
        { true, 6, 35, 4294967296 } },
      false, 0 },
    { "tests/data/reference/examples/imager-docs-example-v3.json", 3, 15, "osListFetch", "finalSync", 818265ull, 46835ull, 9,
      "Raspberry Pi OS (64-bit)", "\\\\.\\PhysicalDrive2", 4294967296ull, 180000ull, 1, NULL, NULL, 13,
      { { false, 0, 0, 0, 0, 0, 0 },
        { false, 0, 0, 0, 0, 0, 0 },
        { true, 12, 4500, 32256, 147000, 33792, 1969092ull },
        { true, 5, 150000, 128000, 165000, 132608, 2787066ull } },
      { { true, 2, 0, 0 },
        { false, 0, 0, 0 },
        { true, 6, 120, 4294967296 },
        { true, 6, 35, 4294967296 } },
      true, 8 },
};

static unsigned popcount(unsigned v)
{
    unsigned n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

static void test_load__round_trip_fixture(void **state)
{
    const fixture_facts *f = *state;
    rpp_report *r = NULL;
    rpp_diags d;
    unsigned long long starts = 0, durations = 0;
    size_t i, with_meta = 0;
    int p;

    rpp_diags_clear(&d);
    if (rpp_report_load_file(&r, f->file, NULL, &d) != RPP_OK)
        dump_diags(&d);
    assert_non_null(r);
    /* the writer's own reports are clean */
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(r->version, f->version);

    assert_int_equal(r->n_events, f->n_events);
    assert_string_equal(r->events[0].type_name, f->first_type);
    assert_string_equal(r->events[r->n_events - 1].type_name, f->last_type);
    for (i = 0; i < r->n_events; i++) {
        assert_int_not_equal(r->events[i].type, RPP_EV_UNKNOWN);
        starts += r->events[i].start_ms;
        durations += r->events[i].duration_ms;
        with_meta += r->events[i].metadata != NULL;
    }
    assert_true(starts == f->start_sum);
    assert_true(durations == f->duration_sum);
    assert_int_equal(with_meta, f->n_with_metadata);

    assert_string_equal(r->summary.image_name, f->image_name);
    assert_string_equal(r->summary.device_name, f->device_name);
    assert_true(r->summary.image_size == f->image_size);
    assert_true(r->summary.duration_ms == f->duration_ms);
    assert_int_equal(r->summary.success, f->success);
    if (f->state) {
        assert_non_null(r->summary.session_state_raw);
        assert_string_equal(r->summary.session_state_raw, f->state);
        assert_string_equal(rpp_session_state_name(r->summary.session_state),
                            f->state);
    } else {
        assert_null(r->summary.session_state_raw);
        assert_int_equal(r->summary.session_state, RPP_STATE_NONE);
    }
    if (f->error_message) {
        assert_non_null(r->summary.error_message);
        assert_string_equal(r->summary.error_message, f->error_message);
    } else {
        assert_null(r->summary.error_message);
    }
    assert_int_equal(r->summary.n_event_summaries, f->n_event_summaries);

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        const rpp_histogram *h = &r->histograms[p];
        const phase_facts *pf = &f->hist[p];
        const rpp_phase_summary *ps = &r->summary.phases[p];
        unsigned long long sum = 0;

        print_message("# %s\n", rpp_phase_name((rpp_phase)p));
        assert_int_equal(h->present, pf->present);
        assert_int_equal(h->n_slices, pf->n_slices);
        for (i = 0; i < h->n_slices; i++) {
            const rpp_slice *s = &h->slices[i];
            int b;
            sum += s->t_ms + s->min_kbps + s->max_kbps + s->avg_kbps;
            for (b = 0; b < RPP_BUCKETS; b++)
                sum += s->buckets[b];
        }
        assert_true(sum == pf->sum);
        if (h->n_slices) {
            assert_int_equal(h->slices[0].t_ms, pf->first_t);
            assert_int_equal(h->slices[0].avg_kbps, pf->first_avg);
            assert_int_equal(h->slices[h->n_slices - 1].t_ms, pf->last_t);
            assert_int_equal(h->slices[h->n_slices - 1].avg_kbps, pf->last_avg);
        }
        assert_int_equal(ps->present, f->phases[p].present);
        assert_int_equal(popcount(ps->fields), f->phases[p].n_fields);
        assert_int_equal(ps->sample_count, f->phases[p].sample_count);
        assert_int_equal(ps->bytes_total, f->phases[p].bytes_total);
    }
    assert_int_equal(r->system.present, f->has_system);
    assert_int_equal(r->system.platform.cpu_cores, f->cpu_cores);
    rpp_report_free(r);
}

/* ---- main ---------------------------------------------------------------- */

/* Runs fn once per state, as tests named prefix/NAME. */
static int run_each(const char *group, const char *prefix,
                    CMUnitTestFunction fn, void **states,
                    const char *const *names, size_t n)
{
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof(*tests));
    char **labels = calloc(n ? n : 1, sizeof(*labels));
    size_t i;
    int rc;

    if (!tests || !labels)
        abort();
    for (i = 0; i < n; i++) {
        const char *base = strrchr(names[i], '/');
        labels[i] = malloc(strlen(prefix) + strlen(names[i]) + 2);
        if (!labels[i])
            abort();
        sprintf(labels[i], "%s/%s", prefix, base ? base + 1 : names[i]);
        tests[i].name = labels[i];
        tests[i].test_func = fn;
        tests[i].initial_state = states[i];
    }
    rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    for (i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(tests);
    return rc;
}

static int run_corpus(const char *dir, const char *prefix, size_t at_least)
{
    size_t n, i;
    char **files = list_json(dir, &n);
    int rc;

    if (n < at_least) {
        fprintf(stderr, "%s: %zu reports, expected at least %zu\n", dir, n,
                at_least);
        printf("[  FAILED  ] 1 test(s), listed below:\n");
        rc = 1;
    } else {
        rc = run_each(dir, prefix, test_load__corpus_file, (void **)files,
                      (const char *const *)files, n);
    }
    for (i = 0; i < n; i++)
        free(files[i]);
    free(files);
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load__corpus_covers_every_case),
        cmocka_unit_test(test_load__reads_every_field_of_a_v3_report),
        cmocka_unit_test(test_load__accepts_version_2),
        cmocka_unit_test(test_load__accepts_empty_phase_summaries),
        cmocka_unit_test(test_load__accepts_empty_histograms),
        cmocka_unit_test(test_load__accepts_a_phase_with_no_slices),
        cmocka_unit_test(test_load__accepts_missing_optional_fields),
        cmocka_unit_test(test_load__keeps_a_window_other_than_1000),
        cmocka_unit_test(test_load__warns_about_unknown_keys_and_keeps_the_report),
        cmocka_unit_test(test_load__keeps_unknown_event_types_with_their_name),
        cmocka_unit_test(test_load__warns_about_slices_out_of_order_but_not_a_new_cycle),
        cmocka_unit_test(test_load__warns_about_min_above_avg_and_avg_above_max),
        cmocka_unit_test(test_load__warns_about_nul_escapes_and_cuts_the_string),
        cmocka_unit_test(test_load__warns_when_session_state_is_unknown_or_disagrees),
        cmocka_unit_test(test_load__rejects_each_problem_at_its_path),
        cmocka_unit_test(test_load__rejects_short_slice),
        cmocka_unit_test(test_load__reads_numbers_as_json_spells_them),
        cmocka_unit_test(test_load__places_syntax_errors_exactly),
        cmocka_unit_test(test_load__accepts_escapes_json_allows),
        cmocka_unit_test(test_load__rejects_nesting_deeper_than_64),
        cmocka_unit_test(test_load__reports_all_problems_of_a_file),
        cmocka_unit_test(test_load__caps_the_list_but_counts_every_problem),
        cmocka_unit_test(test_load__reads_only_len_bytes_of_a_buffer),
        cmocka_unit_test(test_load__checks_its_arguments),
        cmocka_unit_test(test_load__reads_a_file_and_a_pipe),
        cmocka_unit_test(test_load__refuses_a_missing_file),
        cmocka_unit_test(test_load__refuses_a_directory),
        cmocka_unit_test(test_load__fifo_without_writer_does_not_hang),
        cmocka_unit_test(test_load__fifo_read_when_its_writer_comes_late),
        cmocka_unit_test(test_load__refuses_dev_zero_quickly),
        cmocka_unit_test(test_load__refuses_a_file_above_max_size_without_reading_it),
        cmocka_unit_test(test_load__stops_reading_a_pipe_at_the_limit),
        cmocka_unit_test(test_load__applies_the_limits_of_the_options),
    };
    const size_t n_fixtures = sizeof(fixtures) / sizeof(fixtures[0]);
    void *states[sizeof(fixtures) / sizeof(fixtures[0])];
    const char *names[sizeof(fixtures) / sizeof(fixtures[0])];
    size_t i;
    int rc = 0;

    rc |= cmocka_run_group_tests_name("load", tests, make_tmpdir,
                                      remove_tmpdir);
    rc |= run_corpus(INVALID_DIR, "test_load__rejects_corpus_file", 100);
    rc |= run_corpus(WARN_DIR, "test_load__accepts_corpus_file_with_warning", 7);
    for (i = 0; i < n_fixtures; i++) {
        states[i] = (void *)(uintptr_t)&fixtures[i];
        names[i] = fixtures[i].file;
    }
    rc |= run_each("fixtures", "test_load__round_trip", test_load__round_trip_fixture,
                   states, names, n_fixtures);
    return rc ? 1 : 0;
}
