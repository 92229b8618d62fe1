/*
 * test_schema.c - the facts of the format that report.h states once and
 * the helpers beside them: phases and session states both ways, how the
 * end of a session is classified, the slice fields and buckets, the
 * metadata parser, and writing files atomically.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpiperf/report.h>

/* ---- Phases ------------------------------------------------------------ */

static void test_schema__phase_names_both_ways(void **state)
{
    static const struct {
        rpp_phase phase;
        const char *name;
        int since;
    } cases[] = {
        { RPP_PHASE_DOWNLOAD, "download", 2 },
        { RPP_PHASE_DECOMPRESS, "decompress", 3 },
        { RPP_PHASE_WRITE, "write", 2 },
        { RPP_PHASE_VERIFY, "verify", 2 },
    };
    size_t i;
    rpp_phase p;

    (void)state;
    assert_int_equal(RPP_PHASE_COUNT, 4);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal((int)cases[i].phase, (int)i);
        assert_string_equal(rpp_phase_name(cases[i].phase), cases[i].name);
        assert_true(rpp_phase_from_name(cases[i].name, &p));
        assert_int_equal(p, cases[i].phase);
        assert_int_equal(rpp_phase_since_version(cases[i].phase),
                         cases[i].since);
    }
    assert_string_equal(rpp_phase_name((rpp_phase)4), "?");
    assert_string_equal(rpp_phase_name((rpp_phase)-1), "?");
    assert_int_equal(rpp_phase_since_version((rpp_phase)4), 0);
    p = RPP_PHASE_VERIFY;
    assert_false(rpp_phase_from_name("Write", &p));
    assert_false(rpp_phase_from_name("", &p));
    assert_false(rpp_phase_from_name(NULL, &p));
    assert_int_equal(p, RPP_PHASE_VERIFY);   /* untouched */
}

/* ---- Session states ---------------------------------------------------- */

static void test_schema__session_state_names_both_ways(void **state)
{
    static const struct {
        rpp_session_state s;
        int value;
        const char *name;
    } cases[] = {
        { RPP_STATE_NEVER_STARTED, 1, "never_started" },
        { RPP_STATE_IN_PROGRESS, 2, "in_progress" },
        { RPP_STATE_SUCCEEDED, 3, "succeeded" },
        { RPP_STATE_FAILED, 4, "failed" },
        { RPP_STATE_CANCELLED, 5, "cancelled" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal((int)cases[i].s, cases[i].value);
        assert_string_equal(rpp_session_state_name(cases[i].s),
                            cases[i].name);
        assert_int_equal(rpp_session_state_from_name(cases[i].name),
                         cases[i].s);
    }
    /* the two states that are not written by the Imager */
    assert_int_equal((int)RPP_STATE_NONE, 0);
    assert_int_equal((int)RPP_STATE_UNRECOGNISED, 6);
    assert_string_equal(rpp_session_state_name(RPP_STATE_NONE), "");
    assert_string_equal(rpp_session_state_name(RPP_STATE_UNRECOGNISED),
                        "unrecognised");
    assert_string_equal(rpp_session_state_name((rpp_session_state)7), "");
    assert_string_equal(rpp_session_state_name((rpp_session_state)-1), "");
    /* names are matched exactly */
    assert_int_equal(rpp_session_state_from_name(""), RPP_STATE_UNRECOGNISED);
    assert_int_equal(rpp_session_state_from_name("unrecognised"),
                     RPP_STATE_UNRECOGNISED);
    assert_int_equal(rpp_session_state_from_name("Succeeded"),
                     RPP_STATE_UNRECOGNISED);
    assert_int_equal(rpp_session_state_from_name("succeeded "),
                     RPP_STATE_UNRECOGNISED);
    assert_int_equal(rpp_session_state_from_name(NULL),
                     RPP_STATE_UNRECOGNISED);
}

static void test_schema__end_message_classified_as_the_imager_does(void **s)
{
    static const struct {
        const char *msg;
        rpp_session_state want;
    } cases[] = {
        { "Cancelled by user", RPP_STATE_CANCELLED },
        { "cancel", RPP_STATE_CANCELLED },
        { "CANCEL", RPP_STATE_CANCELLED },
        { "Write was CaNcElEd", RPP_STATE_CANCELLED },
        { "Storage device REMOVED", RPP_STATE_CANCELLED },
        { "aborted by the USER", RPP_STATE_CANCELLED },
        { "username", RPP_STATE_CANCELLED },          /* a substring */
        { "Write error: Error writing to storage device.", RPP_STATE_FAILED },
        { "remove", RPP_STATE_FAILED },              /* not "removed" */
        { "use", RPP_STATE_FAILED },
        { "canc el", RPP_STATE_FAILED },
        { "cancelled\xc3\xa9", RPP_STATE_CANCELLED },
        { "\xc3\x9cSER", RPP_STATE_FAILED },          /* only ASCII folds */
        { "", RPP_STATE_FAILED },
        { NULL, RPP_STATE_FAILED },
    };
    size_t i;

    (void)s;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (rpp_end_message_state(cases[i].msg) != cases[i].want)
            fail_msg("\"%s\": got state %d", cases[i].msg ? cases[i].msg
                                                          : "(null)",
                     (int)rpp_end_message_state(cases[i].msg));
    }
}

/* ---- Slices ------------------------------------------------------------ */

static void test_schema__slice_fields_and_buckets(void **state)
{
    static const struct {
        uint64_t kbps;
        int bucket;
    } cases[] = {
        { 0, 0 }, { 1023, 0 }, { 1024, 1 }, { 2047, 1 }, { 2048, 2 },
        { 4095, 2 }, { 4096, 3 }, { 524287, 9 }, { 524288, 10 },
        { 1048575, 10 }, { 1048576, 11 }, { UINT64_MAX, 11 },
    };
    double lo, hi;
    size_t i;
    int b;

    (void)state;
    assert_string_equal(rpp_slice_field_name(0), "timestampMs");
    assert_string_equal(rpp_slice_field_name(3), "avgKBps");
    assert_string_equal(rpp_slice_field_name(4), "bucket_0-1MB");
    assert_string_equal(rpp_slice_field_name(14), "bucket_512-1024MB");
    assert_string_equal(rpp_slice_field_name(15), "bucket_1024+MB");
    assert_null(rpp_slice_field_name(16));
    assert_null(rpp_slice_field_name(-1));
    assert_int_equal(RPP_KBPS_PER_MBPS, 1024);

    rpp_bucket_bounds(0, &lo, &hi);
    assert_true(lo == 0.0 && hi == 1024.0);
    rpp_bucket_bounds(1, &lo, &hi);
    assert_true(lo == 1024.0 && hi == 2048.0);
    rpp_bucket_bounds(10, &lo, &hi);
    assert_true(lo == 524288.0 && hi == 1048576.0);
    rpp_bucket_bounds(11, &lo, &hi);
    assert_true(lo == 1048576.0 && isinf(hi));
    rpp_bucket_bounds(-3, &lo, &hi);            /* read as bucket 0 */
    assert_true(lo == 0.0 && hi == 1024.0);
    rpp_bucket_bounds(40, &lo, &hi);            /* read as the last */
    assert_true(lo == 1048576.0 && isinf(hi));

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(rpp_bucket_index(cases[i].kbps), cases[i].bucket);
    /* each bucket holds what its bounds say */
    for (b = 0; b < RPP_BUCKETS; b++) {
        rpp_bucket_bounds(b, &lo, &hi);
        assert_int_equal(rpp_bucket_index((uint64_t)lo), b);
        if (!isinf(hi))
            assert_int_equal(rpp_bucket_index((uint64_t)hi - 1), b);
    }
}

/* ---- Metadata ---------------------------------------------------------- */

static void test_schema__meta_parse_is_tolerant(void **state)
{
    static const struct {
        const char *in;
        size_t n;
        const char *pairs[4][2];
    } cases[] = {
        { "a: 1; b: two", 2, { { "a", "1" }, { "b", "two" } } },
        { "  a  :  x  ;b: y", 2, { { "a", "x" }, { "b", "y" } } },
        { "a:1; b :2; c: 3", 1, { { "c", "3" } } },       /* no ": " */
        { "  a:  spaced out  ;  b: y  ", 2,
          { { "a", "spaced out" }, { "b", "y" } } },
        { "Post-write verification", 0, { { NULL, NULL } } },
        { "free text; key: v; more text", 1, { { "key", "v" } } },
        { ": no key; k: ", 1, { { "k", "" } } },
        { "url: http://x: 8; k: a: b", 2,
          { { "url", "http://x: 8" }, { "k", "a: b" } } },
        { "k: 1; k: 2", 2, { { "k", "1" }, { "k", "2" } } },
        { "action=hardTimeout; pending=3", 2,
          { { "action", "hardTimeout" }, { "pending", "3" } } },
        { "  max_ms = 5; a-b_1=x=y", 1, { { "a-b_1", "x=y" } } },
        { "two words=x; =x; url=http://a?b=c", 1,
          { { "url", "http://a?b=c" } } },
        { "k=1: v", 1, { { "k=1", "v" } } },           /* ": " first */
        { ";;;", 0, { { NULL, NULL } } },
        { "", 0, { { NULL, NULL } } },
    };
    rpp_meta_pair pairs[8];
    char buf[128];
    size_t i, k, n;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = rpp_meta_parse(cases[i].in, buf, sizeof(buf), pairs, 8);
        assert_int_equal(n, cases[i].n);
        for (k = 0; k < n; k++) {
            assert_string_equal(pairs[k].key, cases[i].pairs[k][0]);
            assert_string_equal(pairs[k].value, cases[i].pairs[k][1]);
        }
    }
    /* at most max pairs; text beyond the buffer is never read */
    assert_int_equal(rpp_meta_parse("a: 1; b: 2; c: 3", buf, sizeof(buf),
                                    pairs, 2), 2);
    assert_int_equal(rpp_meta_parse("a: 1; b: 2", buf, 8, pairs, 8), 1);
    assert_string_equal(pairs[0].value, "1");
    assert_int_equal(rpp_meta_parse("a: 1; bb: 2", buf, 11, pairs, 8), 2);
    assert_string_equal(pairs[1].key, "bb");
    assert_string_equal(pairs[1].value, "");
    assert_int_equal(rpp_meta_parse(NULL, buf, sizeof(buf), pairs, 8), 0);
    assert_int_equal(rpp_meta_parse("a: 1", NULL, 8, pairs, 8), 0);
    assert_int_equal(rpp_meta_parse("a: 1", buf, 0, pairs, 8), 0);
}

static void test_schema__meta_lookups(void **state)
{
    const char *stats = "producer_stalls: 156 (751731 ms); "
                        "consumer_stalls: 0 (0 ms); note: x (y ms)";
    const char *stall = "buffer: input; type: consumer_stall; duration_ms: 89";
    char out[16];
    double d = -1, c = -1, ms = -1;

    (void)state;
    assert_true(rpp_meta_get(stall, "type", out, sizeof(out)));
    assert_string_equal(out, "consumer_stall");
    assert_true(rpp_meta_get(stall, "type", out, 5));    /* cut to fit */
    assert_string_equal(out, "cons");
    assert_false(rpp_meta_get(stall, "Type", out, sizeof(out)));
    assert_false(rpp_meta_get(stall, "type", NULL, sizeof(out)));
    assert_false(rpp_meta_get(NULL, "type", out, sizeof(out)));

    assert_true(rpp_meta_is(stall, "buffer", "input"));
    assert_false(rpp_meta_is(stall, "buffer", "inpu"));
    assert_false(rpp_meta_is(stall, "type", "producer_stall"));
    /* the free text of another key is not a match */
    assert_false(rpp_meta_is("note: type: consumer_stall", "type",
                             "consumer_stall"));
    assert_false(rpp_meta_is(stall, "type", NULL));

    assert_true(rpp_meta_number(stall, "duration_ms", &d));
    assert_true(d == 89.0);
    assert_true(rpp_meta_number(stats, "producer_stalls", &d));
    assert_true(d == 156.0);
    assert_true(rpp_meta_number("syncMs: -2.5e3", "syncMs", &d));
    assert_true(d == -2500.0);
    d = 7;
    assert_false(rpp_meta_number(stall, "buffer", &d));
    assert_false(rpp_meta_number("x: inf", "x", &d));
    assert_false(rpp_meta_number("x: nan", "x", &d));
    assert_false(rpp_meta_number(stall, "none", &d));
    assert_true(d == 7.0);

    assert_true(rpp_meta_count_ms(stats, "producer_stalls", &c, &ms));
    assert_true(c == 156.0 && ms == 751731.0);
    assert_true(rpp_meta_count_ms(stats, "consumer_stalls", &c, &ms));
    assert_true(c == 0.0 && ms == 0.0);
    ms = -1;
    assert_true(rpp_meta_count_ms("s: x (12 ms)", "s", NULL, &ms));
    assert_true(ms == 12.0);
    c = ms = -1;
    assert_false(rpp_meta_count_ms("s: x (12 ms)", "s", &c, &ms));
    assert_false(rpp_meta_count_ms(stats, "note", NULL, &ms));
    assert_false(rpp_meta_count_ms("s: 1 (-5 ms)", "s", NULL, &ms));
    assert_false(rpp_meta_count_ms("s: 1 ms", "s", NULL, &ms));
    assert_false(rpp_meta_count_ms(stats, "none", NULL, &ms));
    assert_true(c == -1.0 && ms == -1.0);   /* nothing set on failure */
}

/* ---- Writing files ----------------------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_schema.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A file of the test directory, emptied of earlier tests' files. */
static void path_in(char *out, size_t n, const char *name)
{
    char cmd[160];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'/* '%s'/.[!.]*", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static void put_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static size_t entries(void)
{
    char cmd[128];
    FILE *p;
    size_t n = 0;
    int ch;

    snprintf(cmd, sizeof(cmd), "ls -A '%s'", tmpdir);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((ch = fgetc(p)) != EOF)
        if (ch == '\n')
            n++;
    pclose(p);
    return n;
}

static void test_schema__atomic_write_creates_and_keeps_the_mode(void **st)
{
    char path[128];
    struct stat sb;
    rpp_file_error err = { RPP_FILE_STEP_WRITE, 5 };
    mode_t mask = umask(022);

    (void)st;
    path_in(path, sizeof(path), "new.txt");
    assert_int_equal(rpp_file_write_atomic(path, "new\n", 4, NULL, &err),
                     RPP_OK);
    assert_int_equal(err.step, RPP_FILE_STEP_NONE);
    assert_int_equal(err.os_error, 0);
    assert_string_equal(slurp(path), "new\n");
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0644);   /* 0666 less the umask */

    put_file(path, "old", 0640);
    assert_int_equal(rpp_file_write_atomic(path, "replaced", 8, NULL, &err),
                     RPP_OK);
    assert_string_equal(slurp(path), "replaced");
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0640);   /* kept */
    put_file(path, "old", 0604);
    assert_int_equal(rpp_file_write_atomic(path, "", 0, NULL, NULL), RPP_OK);
    assert_string_equal(slurp(path), "");
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0604);
    assert_int_equal(entries(), 1);               /* no temporary left */
    umask(mask);
}

static void test_schema__atomic_write_refuses_the_protected_file(void **st)
{
    char path[128], link_path[160], other[160];
    rpp_file_error err;

    (void)st;
    path_in(path, sizeof(path), "input.json");
    put_file(path, "the input", 0644);
    snprintf(link_path, sizeof(link_path), "%s/hard.json", tmpdir);
    assert_int_equal(link(path, link_path), 0);
    snprintf(other, sizeof(other), "%s/soft.json", tmpdir);
    assert_int_equal(symlink("input.json", other), 0);
    /* by name, through a hard link and through a symbolic link */
    assert_int_equal(rpp_file_write_atomic(path, "x", 1, path, &err),
                     RPP_ERR_ARG);
    assert_int_equal(err.step, RPP_FILE_STEP_PROTECTED);
    assert_int_equal(rpp_file_write_atomic(link_path, "x", 1, path, &err),
                     RPP_ERR_ARG);
    assert_int_equal(err.step, RPP_FILE_STEP_PROTECTED);
    assert_int_equal(rpp_file_write_atomic(other, "x", 1, path, &err),
                     RPP_ERR_ARG);
    assert_int_equal(err.step, RPP_FILE_STEP_PROTECTED);
    assert_string_equal(slurp(path), "the input");
    assert_int_equal(entries(), 3);
    assert_true(rpp_file_same(link_path, path));
    assert_true(rpp_file_same(other, path));
    assert_true(rpp_file_same("no/such/file", "no/such/file"));
    assert_false(rpp_file_same("no/such/file", path));
    assert_false(rpp_file_same(NULL, path));
}

static void test_schema__atomic_write_replaces_a_symlink(void **st)
{
    char path[128], target[160];
    struct stat sb;

    (void)st;
    path_in(target, sizeof(target), "target.txt");
    put_file(target, "keep me", 0600);
    snprintf(path, sizeof(path), "%s/link.txt", tmpdir);
    assert_int_equal(symlink("target.txt", path), 0);
    assert_int_equal(rpp_file_write_atomic(path, "out", 3, NULL, NULL),
                     RPP_OK);
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_string_equal(slurp(path), "out");
    assert_string_equal(slurp(target), "keep me");
}

static void test_schema__atomic_write_failure_leaves_nothing(void **st)
{
    char path[128], missing[160];
    rpp_file_error err;
    struct rlimit old, none = { 0, 0 };
    void (*old_handler)(int);
    int rc;

    (void)st;
    path_in(path, sizeof(path), "out.txt");
    put_file(path, "old", 0644);
    /* a file size limit of 0: every write fails with EFBIG once the
     * temporary file exists */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    none.rlim_max = old.rlim_max;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
    rc = rpp_file_write_atomic(path, "new", 3, NULL, &err);
    /* restored before any assertion, which could not print otherwise */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, RPP_ERR_IO);
    assert_int_equal(err.step, RPP_FILE_STEP_WRITE);
    assert_int_equal(err.os_error, EFBIG);
    assert_string_equal(slurp(path), "old");
    assert_int_equal(entries(), 1);

    /* a missing directory, a directory as the target */
    snprintf(missing, sizeof(missing), "%s/no/out.txt", tmpdir);
    assert_int_equal(rpp_file_write_atomic(missing, "x", 1, NULL, &err),
                     RPP_ERR_IO);
    assert_int_equal(err.step, RPP_FILE_STEP_CREATE);
    assert_int_equal(err.os_error, ENOENT);
    assert_int_equal(rpp_file_write_atomic(tmpdir, "x", 1, NULL, &err),
                     RPP_ERR_IO);
    assert_int_equal(err.step, RPP_FILE_STEP_TARGET);
    assert_int_equal(err.os_error, EISDIR);
    assert_int_equal(entries(), 1);
    /* arguments */
    assert_int_equal(rpp_file_write_atomic(NULL, "x", 1, NULL, &err),
                     RPP_ERR_ARG);
    assert_int_equal(rpp_file_write_atomic("", "x", 1, NULL, &err),
                     RPP_ERR_ARG);
    assert_int_equal(rpp_file_write_atomic(path, NULL, 1, NULL, &err),
                     RPP_ERR_ARG);
    assert_string_equal(slurp(path), "old");
}

static void test_schema__file_out_commits_or_discards(void **st)
{
    char path[128];
    rpp_file_out *f = NULL;
    rpp_file_error err;
    char back[8] = { 0 };

    (void)st;
    path_in(path, sizeof(path), "stream.txt");
    put_file(path, "old", 0644);
    assert_int_equal(rpp_file_out_open(&f, path, NULL, &err), RPP_OK);
    assert_non_null(f);
    assert_int_equal(rpp_file_out_write(f, "abc", 3, &err), RPP_OK);
    assert_int_equal(write(rpp_file_out_fd(f), "def", 3), 3);
    /* read back through the descriptor */
    assert_int_equal(pread(rpp_file_out_fd(f), back, 6, 0), 6);
    assert_string_equal(back, "abcdef");
    assert_string_equal(slurp(path), "old");      /* not yet */
    assert_int_equal(entries(), 2);
    assert_int_equal(rpp_file_out_commit(f, &err), RPP_OK);
    assert_string_equal(slurp(path), "abcdef");
    assert_int_equal(entries(), 1);

    assert_int_equal(rpp_file_out_open(&f, path, NULL, &err), RPP_OK);
    assert_int_equal(rpp_file_out_write(f, "zzz", 3, &err), RPP_OK);
    rpp_file_out_discard(f);
    assert_string_equal(slurp(path), "abcdef");
    assert_int_equal(entries(), 1);
    rpp_file_out_discard(NULL);

    f = (rpp_file_out *)&err;   /* set to NULL on failure */
    assert_int_equal(rpp_file_out_open(&f, path, path, &err), RPP_ERR_ARG);
    assert_null(f);
    assert_int_equal(rpp_file_out_commit(NULL, &err), RPP_ERR_ARG);
    assert_int_equal(rpp_file_out_fd(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest facts[] = {
        cmocka_unit_test(test_schema__phase_names_both_ways),
        cmocka_unit_test(test_schema__session_state_names_both_ways),
        cmocka_unit_test(test_schema__end_message_classified_as_the_imager_does),
        cmocka_unit_test(test_schema__slice_fields_and_buckets),
        cmocka_unit_test(test_schema__meta_parse_is_tolerant),
        cmocka_unit_test(test_schema__meta_lookups),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_schema__atomic_write_creates_and_keeps_the_mode),
        cmocka_unit_test(test_schema__atomic_write_refuses_the_protected_file),
        cmocka_unit_test(test_schema__atomic_write_replaces_a_symlink),
        cmocka_unit_test(test_schema__atomic_write_failure_leaves_nothing),
        cmocka_unit_test(test_schema__file_out_commits_or_discards),
    };
    int rc = 0;

    rc |= cmocka_run_group_tests_name("facts", facts, NULL, NULL);
    rc |= cmocka_run_group_tests_name("files", files, make_tmpdir,
                                      remove_tmpdir);
    return rc ? 1 : 0;
}
