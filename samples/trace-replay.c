/*
 * trace-replay - drives the writer library with a recorded trace of
 * PerformanceStats calls (one JSON object per line, see
 * tests/data/reference/README.md) and writes the report that
 * the trace's exportToFile produced to standard output.
 *
 *   trace-replay TRACE.jsonl > report.json
 *
 * Time comes from the trace: each line's "t" is the virtual clock in ms
 * since "epochBaseMs" of the meta line. exportTime is printed in UTC.
 * Exit status: 0 done, 1 bad trace or library error, 2 usage.
 */
#include <rpiperf/report.h>
#include <rpiperf/writer.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vclock {
    int64_t t;
    int64_t epoch;
} vclock;

static int64_t v_monotonic(void *ctx)
{
    return ((vclock *)ctx)->t;
}

static int64_t v_wall(void *ctx)
{
    const vclock *c = ctx;

    return c->epoch + c->t;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(it) ? it->valuedouble : 0;
}

static uint64_t u64(const cJSON *o, const char *key)
{
    double d = num(o, key);

    return d > 0 ? (uint64_t)d : 0;
}

static int64_t i64(const cJSON *o, const char *key)
{
    return (int64_t)num(o, key);
}

static bool flag(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A string field; NULL when absent (the library takes NULL as empty). */
static const char *str(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int event_type(const cJSON *o, rpp_event_type *t)
{
    const char *name = str(o, "type");

    *t = rpp_event_type_from_name(name ? name : "");
    return *t == RPP_EV_UNKNOWN ? -1 : 0;
}

static void set_system(rpp_writer *w, const cJSON *o)
{
    rpp_writer_system s;

    memset(&s, 0, sizeof(s));
    s.total_memory_bytes = u64(o, "totalMemoryBytes");
    s.available_memory_bytes = u64(o, "availableMemoryBytes");
    s.device_path = str(o, "devicePath");
    s.device_size_bytes = u64(o, "deviceSizeBytes");
    s.device_description = str(o, "deviceDescription");
    s.device_is_usb = flag(o, "deviceIsUsb");
    s.device_is_removable = flag(o, "deviceIsRemovable");
    s.os_name = str(o, "osName");
    s.os_version = str(o, "osVersion");
    s.cpu_architecture = str(o, "cpuArchitecture");
    s.cpu_core_count = (int)i64(o, "cpuCoreCount");
    s.imager_version = str(o, "imagerVersion");
    s.imager_build_type = str(o, "imagerBuildType");
    s.imager_binary_sha256 = str(o, "imagerBinarySha256");
    s.qt_version = str(o, "qtVersion");
    s.qt_build_version = str(o, "qtBuildVersion");
    s.direct_io_enabled = flag(o, "directIOEnabled");
    s.periodic_sync_enabled = flag(o, "periodicSyncEnabled");
    s.sync_interval_bytes = i64(o, "syncIntervalBytes");
    s.sync_interval_ms = i64(o, "syncIntervalMs");
    s.memory_tier = str(o, "memoryTier");
    s.write_buffer_size = i64(o, "writeBufferSize");
    s.input_buffer_size = i64(o, "inputBufferSize");
    s.input_ring_buffer_slots = (int)i64(o, "inputRingBufferSlots");
    s.write_ring_buffer_slots = (int)i64(o, "writeRingBufferSlots");
    rpp_writer_set_system(w, &s);
}

static const struct {
    const char *call;
    rpp_phase phase;
} progress_calls[] = {
    { "recordDownloadProgress", RPP_PHASE_DOWNLOAD },
    { "recordDecompressProgress", RPP_PHASE_DECOMPRESS },
    { "recordWriteProgress", RPP_PHASE_WRITE },
    { "recordVerifyProgress", RPP_PHASE_VERIFY },
};

/* Replays one call. Returns 0, or -1 with a message in err. */
static int replay(rpp_writer *w, const cJSON *o, char *err, size_t errlen)
{
    const char *call = str(o, "call");
    rpp_event_type type;
    size_t i;
    int rc = RPP_OK, id;

    if (!call) {
        snprintf(err, errlen, "no \"call\"");
        return -1;
    }
    for (i = 0; i < sizeof(progress_calls) / sizeof(progress_calls[0]); i++)
        if (strcmp(call, progress_calls[i].call) == 0)
            return rpp_writer_progress(w, progress_calls[i].phase,
                                       u64(o, "bytes"), u64(o, "total")) < 0
                       ? (snprintf(err, errlen, "%s failed", call), -1)
                       : 0;
    if (strcmp(call, "startSession") == 0) {
        rc = rpp_writer_session_start(w, str(o, "imageName"),
                                      u64(o, "imageSize"),
                                      str(o, "deviceName"));
    } else if (strcmp(call, "endSession") == 0) {
        rc = rpp_writer_session_end(w, flag(o, "success"),
                                    str(o, "errorMessage"));
        if (rc == RPP_ERR_STATE)
            rc = RPP_OK;     /* the Imager ignores it too */
    } else if (strcmp(call, "setSystemInfo") == 0) {
        set_system(w, o);
    } else if (strcmp(call, "updateDirectIOEnabled") == 0) {
        rc = rpp_writer_update_direct_io(w, flag(o, "enabled"));
    } else if (strcmp(call, "recordFinalising") == 0) {
        rpp_writer_finalising(w);
    } else if (strcmp(call, "endEvent") == 0) {
        rc = rpp_writer_event_end(w, (int)i64(o, "id"), flag(o, "success"),
                                  str(o, "additionalMetadata"));
        if (rc == RPP_ERR_NOT_FOUND)
            rc = RPP_OK;     /* the Imager warns and records nothing */
    } else if (strcmp(call, "meta") == 0 ||
               strcmp(call, "exportToFile") == 0) {
        rc = RPP_OK;
    } else if (strcmp(call, "beginEvent") != 0 &&
               strcmp(call, "recordEvent") != 0 &&
               strcmp(call, "recordTransferEvent") != 0 &&
               strcmp(call, "addEvent") != 0) {
        snprintf(err, errlen, "unknown call \"%s\"", call);
        return -1;
    } else if (event_type(o, &type) < 0) {
        snprintf(err, errlen, "%s: unknown event type", call);
        return -1;
    } else if (strcmp(call, "beginEvent") == 0) {
        rc = rpp_writer_event_begin(w, type, str(o, "metadata"), &id);
        if (rc == RPP_OK && id != (int)i64(o, "returnedId")) {
            snprintf(err, errlen, "beginEvent returned id %d, trace says %d",
                     id, (int)i64(o, "returnedId"));
            return -1;
        }
    } else if (strcmp(call, "recordEvent") == 0) {
        rc = rpp_writer_event_record(w, type, (uint32_t)u64(o, "durationMs"),
                                     flag(o, "success"), str(o, "metadata"));
    } else if (strcmp(call, "recordTransferEvent") == 0) {
        rc = rpp_writer_event_transfer(w, type,
                                       (uint32_t)u64(o, "durationMs"),
                                       u64(o, "bytesTransferred"),
                                       flag(o, "success"), str(o, "metadata"));
    } else {
        rc = rpp_writer_event_add(w, type, (uint32_t)u64(o, "startMs"),
                                  (uint32_t)u64(o, "durationMs"),
                                  flag(o, "success"), str(o, "metadata"),
                                  u64(o, "bytesTransferred"));
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", call, rpp_status_str(rc));
        return -1;
    }
    return 0;
}

/*
 * Replays the trace read from in (named name in messages) and writes the
 * report of each exportToFile call to out (the final state when the trace
 * has none). Returns 0, or -1 after printing the problem to err.
 */
static int replay_stream(FILE *in, const char *name, FILE *out, FILE *err)
{
    vclock clk = { 0, 0 };
    rpp_writer_clock wc = { v_monotonic, v_wall, &clk };
    rpp_writer *w = NULL;
    char *line = NULL, msg[200];
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int status = -1, exported = 0;

    while ((n = getline(&line, &cap, in)) > 0) {
        const char *end = NULL, *call;
        cJSON *o;
        int bad;

        lineno++;
        if (n == 1 && line[0] == '\n')
            continue;
        o = cJSON_ParseWithLengthOpts(line, (size_t)n, &end, 0);
        if (!cJSON_IsObject(o)) {
            fprintf(err, "trace-replay: %s:%u: not a JSON object\n", name,
                    lineno);
            cJSON_Delete(o);
            goto cleanup;
        }
        call = str(o, "call");
        clk.t = i64(o, "t");
        if (call && strcmp(call, "meta") == 0) {
            clk.epoch = i64(o, "epochBaseMs");
            rpp_writer_free(w);
            w = NULL;
            if (rpp_writer_new(&w, (int)i64(o, "writerVersion"), &wc) < 0) {
                fprintf(err, "trace-replay: %s:%u: bad writerVersion\n",
                        name, lineno);
                cJSON_Delete(o);
                goto cleanup;
            }
            rpp_writer_set_utc(w, true);
        }
        if (!w) {
            fprintf(err, "trace-replay: %s:%u: no meta line first\n", name,
                    lineno);
            cJSON_Delete(o);
            goto cleanup;
        }
        bad = replay(w, o, msg, sizeof(msg));
        if (!bad && call && strcmp(call, "exportToFile") == 0) {
            if (rpp_writer_export_stream(w, out) < 0) {
                fprintf(err, "trace-replay: cannot write the report\n");
                cJSON_Delete(o);
                goto cleanup;
            }
            exported++;
        }
        cJSON_Delete(o);
        if (bad) {
            fprintf(err, "trace-replay: %s:%u: %s\n", name, lineno, msg);
            goto cleanup;
        }
    }
    if (!w) {
        fprintf(err, "trace-replay: %s: empty trace\n", name);
        goto cleanup;
    }
    if (!exported && rpp_writer_export_stream(w, out) < 0) {
        fprintf(err, "trace-replay: cannot write the report\n");
        goto cleanup;
    }
    status = 0;
cleanup:
    free(line);
    rpp_writer_free(w);
    return status;
}

int main(int argc, char **argv)
{
    FILE *f;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: trace-replay TRACE.jsonl\n");
        return 2;
    }
    f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "trace-replay: %s: cannot open\n", argv[1]);
        return 1;
    }
    rc = replay_stream(f, argv[1], stdout, stderr);
    if (f != stdin)
        fclose(f);
    return rc < 0 ? 1 : 0;
}
