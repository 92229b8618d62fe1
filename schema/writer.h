/*
 * rpiperf/writer.h - a recorder that writes performance reports exactly as
 * Raspberry Pi Imager's own writer (its PerformanceStats class) does, in
 * format version 2 (the writer's first revision) or 3 (the current one).
 * Given the same calls at the same times, the report is byte for byte the
 * one the Imager would export.
 *
 * Usage: create a recorder, start a session, record events and progress,
 * end the session, export. Events and progress may be recorded before a
 * session starts (the Imager records its OS-list fetches and drive polls
 * that way; such events get startMs 0).
 *
 * Ownership: the caller owns the recorder (rpp_writer_free releases it and
 * everything in it). Every string passed in is copied before the call
 * returns, so the caller keeps ownership of its arguments. A NULL string is
 * treated as the empty string everywhere. rpp_writer_export_string returns
 * a buffer the caller frees with free(). Every *_free accepts NULL.
 *
 * Errors: functions return an rpp_status from report.h. RPP_ERR_NOMEM
 * leaves the recorder as it was before the call (still usable);
 * RPP_ERR_STATE means the call does not fit the recorder (a version 3
 * feature on a version 2 recorder, or no session active where one is
 * needed) and changes nothing. The library never prints, exits or reads the
 * environment, and keeps no mutable global state.
 *
 * Threads: each recorder has its own mutex; every function may be called
 * from any thread at any time, concurrently on the same recorder. The clock
 * and allocator callbacks are called with that mutex held and must not call
 * back into the recorder.
 */
#ifndef RPIPERF_WRITER_H
#define RPIPERF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rpiperf/report.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpp_writer rpp_writer;

/* The Imager's limits, which the recorder applies the same way (the last
 * two are facts of the format, in report.h; these names stay for
 * programs that use them). */
#define RPP_WRITER_MIN_SAMPLE_INTERVAL_MS 100
#define RPP_WRITER_MAX_SAMPLES_PER_PHASE RPP_MAX_SAMPLES_PER_PHASE
#define RPP_WRITER_WINDOW_MS RPP_WINDOW_MS

/*
 * Where the recorder reads time. monotonic_ms returns a steady clock in ms
 * from any origin (the session timer is this clock minus its reading at
 * session start); wall_ms returns ms since the Unix epoch (session start
 * and end times, the export time). Either may be NULL for the default:
 * CLOCK_MONOTONIC and CLOCK_REALTIME. ctx is passed to both.
 */
typedef struct rpp_writer_clock {
    int64_t (*monotonic_ms)(void *ctx);
    int64_t (*wall_ms)(void *ctx);
    void *ctx;
} rpp_writer_clock;

/*
 * Memory functions for the recorder's own storage (events, metadata,
 * samples). realloc_fn(ctx, NULL, n) allocates; returning NULL means out of
 * memory. free_fn(ctx, NULL) must be harmless. The export buffer and the
 * recorder object itself use malloc.
 */
typedef struct rpp_writer_allocator {
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
} rpp_writer_allocator;

/*
 * The version 3 "system" block: the Imager's SystemInfo, field by field.
 * Strings may be NULL (empty). The integer types follow the Imager's, so
 * values out of range print as the Imager would print them.
 */
typedef struct rpp_writer_system {
    unsigned version;                  /* RPP_WRITER_SYSTEM_VERSION (report.h
                                          says how versions work) */
    uint64_t total_memory_bytes;
    uint64_t available_memory_bytes;
    const char *device_path;
    uint64_t device_size_bytes;
    const char *device_description;
    bool device_is_usb;
    bool device_is_removable;
    const char *os_name;
    const char *os_version;
    const char *cpu_architecture;
    int cpu_core_count;
    const char *imager_version;
    const char *imager_build_type;     /* left out when empty */
    const char *imager_binary_sha256;  /* left out when empty */
    const char *qt_version;            /* "qtRuntime"; left out when empty */
    const char *qt_build_version;      /* "qtBuild"; left out when empty */
    bool direct_io_enabled;
    bool periodic_sync_enabled;        /* the sync interval is written only
                                          when this is set */
    int64_t sync_interval_bytes;
    int64_t sync_interval_ms;
    const char *memory_tier;           /* left out when empty */
    int64_t write_buffer_size;
    int64_t input_buffer_size;
    int input_ring_buffer_slots;
    int write_ring_buffer_slots;
} rpp_writer_system;
#define RPP_WRITER_SYSTEM_VERSION 1

/* ---- Life cycle -------------------------------------------------------- */

/*
 * Creates a recorder writing format version 2 or 3. clock may be NULL for
 * the system clocks; it is copied. On success *out is the recorder (free
 * with rpp_writer_free); on failure *out is NULL and the status is
 * RPP_ERR_ARG (a version other than 2 or 3) or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_new(rpp_writer **out, int version,
                   const rpp_writer_clock *clock);

/* Frees a recorder and everything recorded; accepts NULL. No call on the
 * recorder may be running or follow. */
RPP_EXTERN void rpp_writer_free(rpp_writer *w);

/* The format version the recorder writes (2 or 3). */
RPP_EXTERN int rpp_writer_version(const rpp_writer *w);

/*
 * Replaces the memory functions (copied; NULL restores malloc/realloc/
 * free). Only allowed while the recorder holds no memory, that is before
 * anything was recorded or right after rpp_writer_reset; otherwise returns
 * RPP_ERR_STATE and changes nothing.
 */
RPP_EXTERN int rpp_writer_set_allocator(rpp_writer *w, const rpp_writer_allocator *a);

/*
 * exportTime is printed as local time without an offset, as the Imager
 * prints it ("2025-12-01T09:03:55"). With utc set it is printed in UTC
 * instead, in the same form. Returns RPP_OK.
 */
RPP_EXTERN int rpp_writer_set_utc(rpp_writer *w, bool utc);

/*
 * Discards everything recorded (events, pending events, samples, session
 * fields, system block) and restarts event ids at 1, like the Imager's
 * reset(). The clock, allocator and utc setting are kept.
 */
RPP_EXTERN int rpp_writer_reset(rpp_writer *w);

/* ---- Sessions ---------------------------------------------------------- */

/*
 * Starts an imaging session (the Imager's startSession): records the image
 * name, size and device, the wall-clock start time, and restarts the
 * session timer. Version 3: appends a cycleStart event (metadata
 * "image: NAME; device: DEV; size: N", formatted as the Imager's QString
 * arg chain formats it), clears the phase totals and the system block, and
 * keeps every earlier event and sample (several cycles per capture; the
 * 6000-sample cap counts across them). Version 2: discards every event,
 * pending event and sample, and restarts event ids at 1.
 * Returns RPP_OK or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_session_start(rpp_writer *w, const char *image_name,
                             uint64_t image_size, const char *device_name);

/*
 * Ends the session (endSession). Records the end time, success and the
 * error message (written when not empty). Version 3: appends a cycleEnd
 * event ("completed" or "failed: MESSAGE") and sets the session state:
 * succeeded, or cancelled when the lower-cased message contains "cancel",
 * "removed" or "user", failed otherwise. Returns RPP_ERR_STATE and records
 * nothing when no session is active; RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_session_end(rpp_writer *w, bool success,
                           const char *error_message);

/*
 * Sets the version 3 system block (setSystemInfo); strings are copied.
 * rpp_writer_session_start clears it, so call this after every session
 * start. RPP_ERR_STATE on a version 2 recorder; RPP_ERR_ARG when info is
 * NULL; RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_set_system(rpp_writer *w, const rpp_writer_system *info);

/* Updates writeConfig.directIOEnabled of the system block (it does not
 * make the block appear if none was set). RPP_ERR_STATE on version 2. */
RPP_EXTERN int rpp_writer_update_direct_io(rpp_writer *w, bool enabled);

/* ---- Events ------------------------------------------------------------ */

/*
 * Starts timing an event (beginEvent) and writes its id to *id_out (ids
 * count up from 1). The start is the session timer, or 0 when no session
 * is active. RPP_ERR_ARG for RPP_EV_UNKNOWN or an out-of-range type or a
 * NULL id_out; RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_event_begin(rpp_writer *w, rpp_event_type type,
                           const char *metadata, int *id_out);

/*
 * Ends a begun event (endEvent) and appends it. Its duration is the session
 * timer (0 without a session) minus the start, at least 0; extra_metadata,
 * when not empty, is appended to the metadata after "; ". An id that is not
 * pending (never begun, already ended, or discarded by a version 2 session
 * start) returns RPP_ERR_NOT_FOUND and records nothing. RPP_ERR_NOMEM
 * leaves the event pending.
 */
RPP_EXTERN int rpp_writer_event_end(rpp_writer *w, int id, bool success,
                         const char *extra_metadata);

/*
 * Appends an event that has just ended after duration_ms (recordEvent):
 * its start is the session timer minus the duration in 32-bit arithmetic
 * (so it wraps when the duration exceeds the session's age), or 0 when no
 * session is active. RPP_ERR_ARG for an unknown type; RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_event_record(rpp_writer *w, rpp_event_type type,
                            uint32_t duration_ms, bool success,
                            const char *metadata);

/* As rpp_writer_event_record, with the bytes moved (recordTransferEvent);
 * the report then carries bytesTransferred and throughputKBps. */
RPP_EXTERN int rpp_writer_event_transfer(rpp_writer *w, rpp_event_type type,
                              uint32_t duration_ms, uint64_t bytes,
                              bool success, const char *metadata);

/*
 * Appends an event with an explicit start on the session timer (the
 * Imager's addEvent, used for ring-buffer stalls and pipeline summaries).
 * Version 3 only: RPP_ERR_STATE on version 2. RPP_ERR_ARG for an unknown
 * type; RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_writer_event_add(rpp_writer *w, rpp_event_type type,
                         uint32_t start_ms, uint32_t duration_ms,
                         bool success, const char *metadata, uint64_t bytes);

/* ---- Progress ---------------------------------------------------------- */

/*
 * Records the progress of a phase: bytes_now processed out of bytes_total
 * (recordDownloadProgress and its siblings). As in the Imager, a sample is
 * kept only while a session is active, when at least 100 ms passed since
 * the phase's last kept sample (a call for another phase than the previous
 * call's resets that phase's limit) and while the phase holds fewer than
 * 6000 samples; other calls are ignored, which makes them cheap. The
 * phase's bytesTotal becomes bytes_total in every case. Samples whose bytes
 * do not advance are kept but contribute no throughput.
 * RPP_ERR_STATE for RPP_PHASE_DECOMPRESS on a version 2 recorder;
 * RPP_ERR_ARG for an invalid phase; RPP_ERR_NOMEM (the sample is dropped).
 */
RPP_EXTERN int rpp_writer_progress(rpp_writer *w, rpp_phase phase, uint64_t bytes_now,
                        uint64_t bytes_total);

/* Marks the end of the pipeline phases (recordFinalising): the next
 * progress call of any phase starts a new rate-limit interval.
 * RPP_ERR_STATE when no session is active. */
RPP_EXTERN int rpp_writer_finalising(rpp_writer *w);

/* ---- Export ------------------------------------------------------------ */

/*
 * Writes the report as the Imager exports it (keys in alphabetical order,
 * 4-space indent, one array element per line, trailing newline) into a new
 * NUL-terminated buffer: *out (free with free()) and its length in *len
 * (len may be NULL). The recorder is unchanged and may keep recording.
 * On failure *out is NULL; RPP_ERR_NOMEM or RPP_ERR_ARG.
 */
RPP_EXTERN int rpp_writer_export_string(rpp_writer *w, char **out, size_t *len);

/*
 * Writes the report to path atomically, with the guarantee of
 * rpp_file_write_atomic (report.h): into a temporary file in the same
 * directory, flushed to disk, then renamed over path, keeping the mode of
 * the file it replaces. On failure (RPP_ERR_IO, RPP_ERR_NOMEM,
 * RPP_ERR_ARG) the temporary file is removed and an existing file at path
 * is left as it was.
 */
RPP_EXTERN int rpp_writer_export_file(rpp_writer *w, const char *path);

/* Writes the report to an open stream (not closed) and flushes it.
 * RPP_ERR_IO when writing fails; RPP_ERR_NOMEM; RPP_ERR_ARG. */
RPP_EXTERN int rpp_writer_export_stream(rpp_writer *w, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
