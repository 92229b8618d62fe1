/*
 * support_synth.h - builds small synthetic reports for tests: events,
 * slices and a summary consistent with them, as JSON text that goes
 * through the real loader.
 */
#ifndef RPIPERF_SUPPORT_SYNTH_H
#define RPIPERF_SUPPORT_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include <rpiperf/report.h>

typedef struct synth synth;

/* A report of the given version (2 or 3), session state "succeeded",
 * durationMs 600000, image "img", device "/dev/sdx". */
synth *synth_new(int version);
void synth_free(synth *s);

void synth_session(synth *s, const char *state /* v3 name or NULL */,
                   bool success, const char *error_message,
                   uint64_t start_time, uint64_t duration_ms);
void synth_event(synth *s, const char *type, uint64_t start_ms,
                 uint64_t duration_ms, bool success, const char *metadata);
void synth_event_bytes(synth *s, const char *type, uint64_t start_ms,
                       uint64_t duration_ms, uint64_t bytes,
                       const char *metadata);
/* A slice whose samples all fall in the bucket of avg (count samples). */
void synth_slice(synth *s, rpp_phase p, uint64_t t_ms, uint64_t min_kbps,
                 uint64_t max_kbps, uint64_t avg_kbps, unsigned count);
/* A slice with explicit bucket counts. */
void synth_slice_buckets(synth *s, rpp_phase p, uint64_t t_ms,
                         uint64_t min_kbps, uint64_t max_kbps,
                         uint64_t avg_kbps, const uint64_t *buckets);
/* n slices every step ms from t0 at avg kbps (min/max +-5 %). */
void synth_steady(synth *s, rpp_phase p, uint64_t t0, uint64_t step,
                  size_t n, uint64_t avg_kbps);
/* summary.phases.<p>.sampleCount */
void synth_sample_count(synth *s, rpp_phase p, uint64_t count);
/* Makes summary.events disagree with the events (for summary-mismatch). */
void synth_break_summary(synth *s);

/* The JSON text (caller frees). */
char *synth_json(const synth *s);
/* Loads it; fails the test when it does not load. */
rpp_report *synth_load(const synth *s);

#endif
