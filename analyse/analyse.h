/*
 * rpiperf/analyse.h - analysis of a loaded performance report: session
 * state, event breakdown, phase statistics, imaging cycles, the bottleneck,
 * version 3 context and a diagnosis from a table of rules; and the text,
 * markdown and JSON renderings of the result.
 *
 * Ownership: an rpp_analysis owns everything in it except the report, which
 * it borrows: the report must outlive the analysis. Strings in findings and
 * tables are owned by the analysis. Every *_free() accepts NULL.
 * The library keeps no mutable global state, never prints and never reads
 * the environment.
 *
 * Threads: rpp_analysis_run() only reads its report and rules, so one
 * report and one rpp_rules may be shared by any number of threads analysing
 * at once (rpiperf check does so), as long as nothing changes the rules
 * meanwhile (rpp_rules_set and rpp_rules_parse need the only reference).
 * A finished analysis or comparison is never modified: several threads may
 * format it or draw from it at once. An rpp_redactor changes with every
 * new name it sees: use one per thread.
 *
 * Use: #include <rpiperf/analyse.h>, with pkg-config rpiperf-analyse.
 */
#ifndef RPIPERF_ANALYSE_H
#define RPIPERF_ANALYSE_H

#include <rpiperf/report.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Rules ------------------------------------------------------------- */

typedef enum rpp_level {
    RPP_LEVEL_OFF = 0,
    RPP_LEVEL_INFO = 1,
    RPP_LEVEL_WARNING = 2,
    RPP_LEVEL_ERROR = 3
} rpp_level;

/* "off", "info", "warning", "error". */
RPP_EXTERN const char *rpp_level_name(rpp_level l);
/* Parses a level name; returns false for anything else. */
RPP_EXTERN bool rpp_level_parse(const char *s, rpp_level *out);

/* A set of rule severities and thresholds (defaults from the rule table). */
typedef struct rpp_rules rpp_rules;

RPP_EXTERN int rpp_rules_new(rpp_rules **out);
RPP_EXTERN void rpp_rules_free(rpp_rules *rules);

/*
 * Applies one assignment: "RULE.PARAM=VALUE" (a threshold) or
 * "RULE=off|info|warning|error" (a severity). Spaces around '=' are allowed.
 * On error returns RPP_ERR_NOT_FOUND (unknown rule or parameter) or
 * RPP_ERR_ARG (bad value) and fills err (may be NULL) with a message.
 */
RPP_EXTERN int rpp_rules_set(rpp_rules *rules, const char *assignment, rpp_error *err);

/*
 * Applies a rules file: one assignment per line, '#' starts a comment,
 * blank lines ignored. Stops at the first bad line: err gets its line number
 * (err->line) and what is wrong. text need not be NUL-terminated.
 */
RPP_EXTERN int rpp_rules_parse(rpp_rules *rules, const char *text, size_t len,
                    rpp_error *err);

/* The rule table, for help texts: id, default level, symptom, cause, and the
 * parameters as "name=default (description)". Returns false past the end. */
typedef struct rpp_rule_info {
    const char *id;
    rpp_level default_level;
    const char *symptom;
    const char *cause;
    size_t n_params;
    const char *const *param_names;
    const double *param_defaults;
    const char *const *param_help;
    bool settings;             /* a group of thresholds of the analysis
                                  itself ("bottleneck", "phases"): no
                                  finding and no level, only parameters */
} rpp_rule_info;

RPP_EXTERN bool rpp_rule_get(size_t index, rpp_rule_info *out);

/* ---- Analysis results -------------------------------------------------- */

typedef enum rpp_bottleneck_kind {
    RPP_BOTTLENECK_UNKNOWN = 0,
    RPP_BOTTLENECK_NETWORK,
    RPP_BOTTLENECK_CPU,
    RPP_BOTTLENECK_DISK
} rpp_bottleneck_kind;

typedef enum rpp_confidence {
    RPP_CONFIDENCE_NONE = 0,
    RPP_CONFIDENCE_LOW,
    RPP_CONFIDENCE_MEDIUM,
    RPP_CONFIDENCE_HIGH
} rpp_confidence;

RPP_EXTERN const char *rpp_bottleneck_name(rpp_bottleneck_kind k);
RPP_EXTERN const char *rpp_confidence_name(rpp_confidence c);

/* A span of time on the capture's timeline (ms); cycles are laid end to end,
 * so a time is comparable across cycles. */
typedef struct rpp_span {
    uint64_t start_ms;
    uint64_t end_ms;
} rpp_span;

/* One named value of a finding's evidence. */
typedef enum rpp_value_kind {
    RPP_VALUE_INT,
    RPP_VALUE_NUM,
    RPP_VALUE_STR,
    RPP_VALUE_BOOL
} rpp_value_kind;

typedef struct rpp_value {
    const char *key;
    rpp_value_kind kind;
    int64_t i;
    double d;
    const char *s;
} rpp_value;

typedef struct rpp_finding {
    const char *id;            /* the rule id, e.g. "slow-final-sync" */
    rpp_level level;
    const char *message;       /* the symptom, with its numbers */
    const char *cause;         /* the likely cause */
    int phase;                 /* rpp_phase it concerns, or -1 */
    size_t n_evidence;
    const rpp_value *evidence;
    size_t n_spans;            /* when it happened (timeline ms) */
    const rpp_span *spans;
} rpp_finding;

/* Where an event sits on the capture's timeline. */
typedef struct rpp_event_time {
    uint64_t start_ms;         /* timeline ms */
    int cycle;                 /* index into cycles, -1 before any cycle */
    bool outside_session;      /* recorded with no session active */
    bool wrapped;              /* startMs was a uint32 wrap-around */
} rpp_event_time;

typedef struct rpp_type_stats {
    rpp_event_type type;
    const char *name;
    rpp_category category;
    uint64_t count;
    uint64_t total_ms;
    uint64_t min_ms;
    uint64_t max_ms;
    double avg_ms;
    uint64_t failures;
    double share;              /* total_ms / session wall time (0..) */
    size_t first_index;        /* first event of this type (file order) */
    uint64_t first_start_ms;   /* timeline ms of the earliest one */
} rpp_type_stats;

typedef struct rpp_category_stats {
    rpp_category category;
    uint64_t count;
    uint64_t total_ms;
    uint64_t failures;
    double share;
} rpp_category_stats;

/* A difference between summary.events and the events array. */
typedef struct rpp_mismatch {
    const char *name;
    uint64_t summary_count, events_count;
    uint64_t summary_total_ms, events_total_ms;
} rpp_mismatch;

/* Statistics of one phase over a range of slices (whole capture or one
 * cycle). Throughputs are KB/s as in the report. */
typedef struct rpp_phase_stats {
    bool present;              /* has at least one slice */
    size_t n_slices;
    uint64_t active_ms;        /* time covered by slices */
    uint64_t bytes;            /* bytes processed: the total when the phase
                                  ran to its end, else estimated from the
                                  slices (within a few per cent) */
    bool bytes_estimated;
    double min_kbps, avg_kbps, max_kbps;   /* min/max of slice min/max;
                                              avg = mean of slice averages */
    double median_kbps, p5_kbps, p95_kbps; /* from the bucket counts */
    double median_slice_kbps;  /* median of the slice averages */
    double cv;                 /* coefficient of variation of slice avgs */
    uint64_t samples;          /* sum of all bucket counts */
    double low_share;          /* share of samples in buckets 0-1 */
    uint64_t buckets[RPP_BUCKETS];
    size_t n_gaps;
    rpp_span *gaps;            /* > 2 windows without a slice */
    size_t n_stalls;
    rpp_span *stalls;          /* runs of slices with avg < 1 MB/s */
    size_t n_drops;
    rpp_span *drops;           /* runs of slices with avg < 50 % of median */
    double drop_interval_cv;   /* CV of drop start-to-start intervals */
    uint64_t first_ms, last_ms;/* timeline ms of first slice start and
                                  last slice end */
    uint64_t bytes_total;      /* the phase's total from the summary (the
                                  image, or the compressed download) */
    bool bytes_total_known;
} rpp_phase_stats;

/* How far a write got: what the phases' data say of the bytes written and
 * verified. A phase's bytes are estimated from its slices (each slice's
 * average over the time to the next one: within a few per cent) unless the
 * phase is known to have finished (a later phase began, or the session
 * succeeded), when they are the whole image. */
typedef struct rpp_progress {
    uint64_t image_bytes;      /* the image's size; 0 = not known */
    uint64_t written_bytes;
    bool written_estimated;
    double written_share;      /* of the image, 0..1; 0 when not known */
    uint64_t verified_bytes;
    bool verified_estimated;
    double verified_share;
    bool write_complete;
    bool verify_complete;
    uint64_t last_progress_ms; /* timeline ms where the last slice of any
                                  phase ends */
    int last_phase;            /* rpp_phase of that slice, -1 none */
} rpp_progress;

/* What a report shows of the pipeline of one imaging cycle: what the
 * bottleneck verdict weighs. The Imager records a ringBufferStarvation
 * event only for the last 50-99 ms of a wait, so the counts sample how
 * often each buffer was full or empty; the totals come only with the
 * summaries recorded when a write has ended. */
typedef struct rpp_pipeline_evidence {
    uint64_t write_producer_stalls;   /* decompressed data waited for the
                                         card: the write buffer was full */
    uint64_t input_producer_stalls;   /* the download waited for what
                                         follows it: input buffer full */
    uint64_t input_consumer_stalls;   /* decompression waited for the
                                         download: input buffer empty */
    uint64_t stall_timeouts;          /* a ring buffer gave up after 30 s */
    bool has_decompress_time;         /* pipelineDecompressionTime */
    uint64_t decompress_busy_ms;
    bool has_input_wait;              /* pipelineRingBufferWaitTime */
    uint64_t input_wait_ms;
    bool has_write_wait;              /* writeRingBufferStats */
    uint64_t write_wait_ms;
    uint64_t write_wait_polls;
    uint64_t write_ms;                /* the write those totals cover */
    uint64_t network_retries;         /* networkRetry events */
    uint64_t retry_sleep_ms;          /* their back-off */
    bool download_steady;             /* never above the steady ratio
                                         times its average */
    bool download_ended_early;        /* well before the write ended */
    uint64_t download_lead_ms;        /* how much earlier it ended */
    bool has_write_timing;            /* writeTimingBreakdown (recorded when
                                         the write ends, before the sync) */
    uint64_t write_call_ms;           /* its time inside write calls */
} rpp_pipeline_evidence;

typedef struct rpp_cycle {
    int index;                 /* 0-based */
    rpp_session_state state;
    const char *image_name;    /* from cycleStart metadata or the summary */
    const char *device_name;
    const char *end_message;   /* cycleEnd metadata after "failed: " */
    uint64_t offset_ms;        /* where the cycle starts on the timeline */
    uint64_t duration_ms;
    bool duration_known;       /* a cycleEnd gave it */
    size_t slice_begin[RPP_PHASE_COUNT];   /* slice index range per phase */
    size_t slice_end[RPP_PHASE_COUNT];
    rpp_phase_stats phases[RPP_PHASE_COUNT];
    rpp_progress progress;     /* how far this cycle's write got */
    const struct rpp_bottleneck *bottleneck; /* this cycle's verdict */
} rpp_cycle;

/*
 * Which stage limited the write, inferred once from every kind of
 * evidence (the summaries, the stall events, the timing of the phases,
 * the rates); every rule that speaks about the bottleneck derives from it.
 * UNKNOWN comes with the reasons the report could not decide.
 */
typedef struct rpp_bottleneck {
    rpp_bottleneck_kind kind;
    rpp_confidence confidence;
    const char *summary;       /* one sentence */
    size_t n_reasons;
    const char *const *reasons;   /* the evidence, one line each */
    rpp_pipeline_evidence evidence;
    int cycle;                 /* the imaging cycle it is about, -1 none */
    bool device_stopped;       /* the device stopped taking writes */
} rpp_bottleneck;

/* A stretch of time in which a phase recorded no progress ("a hole in the
 * data"): one stall, whichever phases it hit. */
typedef struct rpp_stall {
    uint64_t start_ms, end_ms; /* timeline ms */
    unsigned phases;           /* bit (1 << phase) for each phase it hit */
    int cycle;
    size_t cause_event;        /* the event that explains it (index into
                                  report->events), or SIZE_MAX */
    const char *cause;         /* "4.1 s page-cache flush (periodicSync at
                                  930 MB)"; NULL when no event explains it */
} rpp_stall;

typedef enum rpp_stop_outcome {
    RPP_STOP_ONGOING = 0,      /* still stopped when the report was taken */
    RPP_STOP_RECOVERED,        /* the writer went on (hot swap to sync) */
    RPP_STOP_RESTARTED,        /* the watchdog restarted the write */
    RPP_STOP_GAVE_UP           /* the watchdog gave up: the write failed */
} rpp_stop_outcome;

/* A time the storage device stopped taking writes, as the Imager's
 * progress watchdog recorded it: the progressStall series (one a second
 * from 90 s), queue-depth reduction, drain and hot swap, restart or hard
 * timeout, summarised as one episode. */
typedef struct rpp_device_stop {
    uint64_t start_ms;         /* timeline ms the writes stopped */
    uint64_t duration_ms;      /* without progress, as the watchdog saw it */
    uint64_t written_bytes;    /* written by then (estimated) */
    double written_share;      /* of the image, 0 when not known */
    rpp_stop_outcome outcome;
    size_t n_progress_stalls;  /* progressStall events it summarises */
    size_t n_actions;          /* recovery events, in timeline order */
    const size_t *actions;     /* (indices into report->events) */
    const char *message;       /* the watchdog's message, or NULL */
    int cycle;
} rpp_device_stop;

typedef struct rpp_context_event {
    size_t index;              /* into report->events */
    size_t n_pairs;
    const rpp_meta_pair *pairs;
} rpp_context_event;

/*
 * The image download's connection, parsed from the metadata of a
 * networkConnectionStats event ("dns_ms: 17; connect_ms: 62; tls_ms: 193;
 * ttfb_ms: 270; total_ms: 149513; speed_kbps: 3225; size_bytes: ...;
 * http: HTTP/2"). The times are curl's: each one counts from the start of
 * the request, so they grow from dns_ms to total_ms (tls_ms is 0 without
 * TLS). Every number is -1 when the metadata lacks it.
 */
typedef struct rpp_connection {
    size_t index;              /* into report->events */
    int64_t dns_ms;            /* name resolved */
    int64_t connect_ms;        /* connected */
    int64_t tls_ms;            /* TLS handshake done */
    int64_t ttfb_ms;           /* first byte received */
    int64_t total_ms;          /* transfer finished */
    int64_t speed_kbps;        /* average speed, KB/s as in the report */
    int64_t size_bytes;        /* bytes downloaded */
    const char *http;          /* "HTTP/2", ...; NULL when absent */
} rpp_connection;

/* A retry of the image download (networkRetry), with its metadata
 * ("error: ...; offset: 146 MB; http2_failures: 0") parsed. */
typedef struct rpp_retry {
    size_t index;              /* into report->events */
    uint64_t backoff_ms;       /* the sleep before retrying: the event's
                                  durationMs, 0 when it retried at once */
    int64_t offset_bytes;      /* how far the download had got, -1 when
                                  absent */
    int64_t http2_failures;    /* -1 when absent */
    const char *error;         /* curl's message; NULL when absent */
} rpp_retry;

/* Version 3 context (zero/empty when the report has none of it). Pipeline
 * summaries (category RPP_CAT_PIPELINE) are totals over the write: they are
 * among the details, never among the transfers or network events. */
typedef struct rpp_context {
    uint64_t sync_count, sync_total_ms, sync_max_ms;   /* periodicSync and
                                                          pageCacheFlush */
    bool has_write_timing;
    double write_syscall_share, write_hash_wait_share, write_sync_share;
    uint64_t write_timing_total_ms;
    size_t n_details;          /* pipeline/write-timing/async/directIO
                                  events with their parsed metadata */
    const rpp_context_event *details;
    size_t n_recovery;         /* recovery events in timeline order */
    const size_t *recovery;
    size_t n_transfers;        /* events that moved bytes in a time of
                                  their own (bytesTransferred and a
                                  duration; not cycle markers or pipeline
                                  totals), timeline order */
    const size_t *transfers;
    const double *transfer_kbps;   /* bytes/duration, aligned */
    size_t n_network;          /* network and cache events, and other
                                  events that moved bytes (not pipeline
                                  totals), timeline order */
    const size_t *network;
    size_t n_connections;      /* networkConnectionStats, timeline order */
    const rpp_connection *connections;
    size_t n_retries;          /* networkRetry, timeline order */
    const rpp_retry *retries;
} rpp_context;

typedef struct rpp_session_info {
    rpp_session_state state;
    bool state_inferred;       /* not written in the report (version 2) */
    const char *result;        /* one line: "succeeded", "failed: ..." */
    uint64_t wall_ms;          /* the session's wall time, for shares */
    uint64_t timeline_ms;      /* length of the whole timeline */
    const char *note;          /* e.g. how to capture a write; or NULL */
    rpp_progress progress;     /* how far the (last) write got */
} rpp_session_info;

typedef struct rpp_analysis {
    const rpp_report *report;  /* borrowed */
    rpp_session_info session;

    size_t n_types;
    const rpp_type_stats *types;       /* order of first occurrence */
    rpp_category_stats categories[RPP_CAT_COUNT];
    const rpp_event_time *event_times; /* aligned with report->events */
    size_t n_longest;
    const size_t *longest;             /* event indices, longest first */
    size_t n_failed;
    const size_t *failed;              /* event indices, file order */
    size_t n_mismatches;
    const rpp_mismatch *mismatches;

    rpp_phase_stats phases[RPP_PHASE_COUNT];
    const uint64_t *slice_times[RPP_PHASE_COUNT]; /* timeline ms per slice */

    size_t n_cycles;
    const rpp_cycle *cycles;
    bool cycles_from_events;   /* cycleStart events (else inferred) */

    rpp_bottleneck bottleneck;
    rpp_context context;

    size_t n_findings;
    const rpp_finding *findings;       /* most severe first */

    struct rpp_analysis_mem *mem;      /* private */

    size_t n_stalls;
    const rpp_stall *stalls;           /* holes in the data, in time order */
    size_t n_device_stops;
    const rpp_device_stop *device_stops;   /* in time order */

    /* The totals the outputs show, aligned with types and categories: the
     * Imager records the write-timing events twice per write with the same
     * totals (before the final sync and again with the summaries), and
     * the second record counts once with the first, as in the context.
     * types[k].total_ms and categories[c].total_ms keep every event, as
     * the report's own summary does. */
    const uint64_t *type_once_ms;
    uint64_t category_once_ms[RPP_CAT_COUNT];
} rpp_analysis;

/*
 * Analyses a loaded report with the given rules (NULL for the defaults).
 * Pure: reads the report, allocates the result. Runs in time linear in the
 * size of the report. Returns RPP_OK or RPP_ERR_NOMEM (with *out NULL).
 */
RPP_EXTERN int rpp_analysis_run(rpp_analysis **out, const rpp_report *report,
                     const rpp_rules *rules);

RPP_EXTERN void rpp_analysis_free(rpp_analysis *a);

/* Counts findings at or above a level. */
RPP_EXTERN size_t rpp_analysis_count(const rpp_analysis *a, rpp_level at_least);

/* ---- Values in words --------------------------------------------------- */

/*
 * Every output (text, markdown, JSON strings, HTML, the charts, finding
 * messages) turns durations, sizes, rates, shares and states into words
 * with these functions, so that one value always reads the same, rounded
 * the same way (to the nearest unit shown, halves away from zero).
 *
 * The formatting functions write a NUL-terminated string into buf (n
 * bytes; cut to fit when n is too small, nothing written when n is 0) and
 * return the length of the whole text, as snprintf does. 32 bytes hold any
 * result. A NaN or infinite value reads "-"; a negative one (a change)
 * reads as its magnitude with a leading "-".
 */

/* A duration in ms: "0 ms", "999 ms", "1.0 s", "119.9 s" (a decimal up to
 * two minutes), "2 min 00 s", "59 min 59 s", "1 h 00 min", "47 h 59 min",
 * "2 d 00 h". The value is rounded to the unit the text ends in first, so
 * 59.95 s reads "60.0 s", 119.95 s "2 min 00 s" and 179.7 s "3 min 00 s",
 * never "2 min 60 s". */
RPP_EXTERN size_t rpp_human_duration(char *buf, size_t n, double ms);

/* A position on the capture's timeline (ms from its start), in the words
 * of a duration since the start: "13.1 s", "4 min 15 s" (as in "at 4 min
 * 15 s"). */
RPP_EXTERN size_t rpp_human_position(char *buf, size_t n, double ms);

/* A size in bytes, in units of 1024 as the Imager counts them: "512 B",
 * "1.0 KB", "99.9 MB", "248 MB", "5.5 GB" (one decimal below 100 of a unit,
 * none from 100; a value that would round to 1024 of a unit reads in the
 * next one). */
RPP_EXTERN size_t rpp_human_bytes(char *buf, size_t n, double bytes);

/* A throughput given in KB/s (the report's unit) as MB/s (KB/s / 1024):
 * "44.1 MB/s", "0.0 MB/s" for 0; values that would read 0.0 keep two or
 * three decimals ("0.05 MB/s", "0.004 MB/s"). */
RPP_EXTERN size_t rpp_human_rate(char *buf, size_t n, double kbps);

/* The number of rpp_human_rate without the unit, for table columns headed
 * "MB/s": "44.1". */
RPP_EXTERN size_t rpp_human_mbps(char *buf, size_t n, double kbps);

/* A fraction as a percentage: "0 %", "< 0.1 %", "7.4 %", "10 %", "74 %"
 * (one decimal below 10 %, none from 10 %). */
RPP_EXTERN size_t rpp_human_percent(char *buf, size_t n, double share);

/* How the Imager wrote, from the report's system section: "direct I/O on,
 * sync every 248 MB, 8.0 MB write buffers x 516" (the sync and buffer
 * parts as far as the report gives them). Numbers and fixed words only:
 * it needs no escaping in any output. "" when s is NULL. */
RPP_EXTERN size_t rpp_human_writes(char *buf, size_t n, const rpp_system *s);

/*
 * A summary line that holds strings of the report, as parts for each
 * output to join with its own escaping: rpiperf's words (numbers, units,
 * separators: never escaped), strings of the report (escaped, and redacted
 * as free text when the output redacts), and names of the report
 * (redacted by their kind, "device" or "description").
 */
typedef enum rpp_part_kind {
    RPP_PART_WORDS,
    RPP_PART_TEXT,
    RPP_PART_NAME
} rpp_part_kind;

typedef struct rpp_part {
    rpp_part_kind kind;
    const char *text;       /* words in the line's store, or the report's */
    const char *name_kind;  /* RPP_PART_NAME: "device", "description" */
} rpp_part;

#define RPP_LINE_PARTS 16

/* A line of parts. Its words point into its own store: use a line where
 * it was filled, and do not copy it. */
typedef struct rpp_line {
    rpp_part parts[RPP_LINE_PARTS];
    size_t n;
    char words[192];        /* the words of the parts that are words */
    size_t used;
} rpp_line;

/* The "System" line: "Linux 24.04, x86_64, 8 cores, 15.5 GB RAM; Imager
 * 2.0.11", leaving out what the report left empty or zero (no parts when
 * it gives nothing). The line points into s. */
RPP_EXTERN void rpp_human_system_line(rpp_line *l, const rpp_system *s);

/* The "Device" line: the device (the summary's name, else the target's
 * path, else "(none)"), its size, description, "USB" and "removable" as
 * far as the report gives them. The line points into r. */
RPP_EXTERN void rpp_human_device_line(rpp_line *l, const rpp_report *r);

/* The share of the session's wall time of an event type or category, as
 * the outputs show it: a percentage, "(totals)" for the pipeline and write
 * timing category (its events are sums over the write, not spans of time),
 * "-" when the session has no wall time (wall_ms 0). */
RPP_EXTERN size_t rpp_human_share(char *buf, size_t n, rpp_category c,
                                  double share, uint64_t wall_ms);

/* A session or cycle state for people: "succeeded", "failed",
 * "cancelled", "in progress", "never started", "unrecognised"; "" for
 * RPP_STATE_NONE. (rpp_session_state_name gives the JSON ids.) */
RPP_EXTERN const char *rpp_human_state(rpp_session_state s);

/* The bottleneck verdict for people: "disk (high confidence)", "CPU
 * (medium confidence)", "network (low confidence)", or "not determined".
 * (rpp_bottleneck_name gives the JSON ids.) */
RPP_EXTERN size_t rpp_human_bottleneck(char *buf, size_t n,
                                       rpp_bottleneck_kind kind,
                                       rpp_confidence confidence);

/*
 * One evidence value of a finding for people, by its kind and by the
 * suffix of its key: "yes"/"no" for a boolean; for a number, "at_ms" and
 * keys ending in "_at_ms" read as a timeline position, other keys ending
 * in "_ms" as a duration, "_mbps" as a rate in MB/s, "_bytes" (or "bytes")
 * as a size, "share" or "_share" as a percentage, anything else as the
 * number with at most two decimals ("12", "0.35"). A string is copied as
 * it is (cut to n; outputs escape v->s themselves). JSON keeps the raw
 * values.
 */
RPP_EXTERN size_t rpp_human_value(char *buf, size_t n, const rpp_value *v);

/* ---- Output ------------------------------------------------------------ */

typedef enum rpp_format {
    RPP_FORMAT_TEXT,
    RPP_FORMAT_MARKDOWN,
    RPP_FORMAT_JSON
} rpp_format;

typedef struct rpp_format_opts {
    unsigned version;          /* RPP_FORMAT_OPTS_VERSION (report.h says
                                  how versions work) */
    const char *file_name;     /* shown in the output; NULL = none */
    bool color;                /* ANSI colours (text only) */
    bool redact;               /* replace paths, names, hashes */
    unsigned width;            /* text: columns, 0 = 100 */
    const char *tool_version;  /* JSON "tool.version"; NULL = library's */
    struct rpp_redactor *redactor; /* with redact: take the placeholders
                                  from this one, so that several outputs
                                  agree; NULL = a fresh one */
} rpp_format_opts;
#define RPP_FORMAT_OPTS_VERSION 1
#define RPP_FORMAT_OPTS_INIT { RPP_FORMAT_OPTS_VERSION, NULL, false, false, 0, NULL, NULL }

/*
 * Renders an analysis. *out receives a NUL-terminated malloc'd string (the
 * caller frees it) and *len its length (len may be NULL). Every string that
 * came from the report is made safe for the format: control characters and
 * escape sequences neutralised in text, escaped in markdown and JSON.
 */
RPP_EXTERN int rpp_analysis_format(const rpp_analysis *a, rpp_format fmt,
                        const rpp_format_opts *opts, char **out, size_t *len);

/*
 * Redaction: maps a string from the report to a stable placeholder
 * ("device-1", "image-1", "hash-1", ...). Used by the formats when
 * opts->redact is set; exposed so that other outputs (charts, HTML) use the
 * same names. Create one per output document.
 */
typedef struct rpp_redactor rpp_redactor;
RPP_EXTERN int rpp_redactor_new(rpp_redactor **out);
RPP_EXTERN void rpp_redactor_free(rpp_redactor *rd);
/* Returns the placeholder for s of the given kind ("device", "image",
 * "hash", "path"); stable for equal s. Metadata text is rewritten with
 * rpp_redact_text. The returned string lives as long as rd; NULL on OOM. */
RPP_EXTERN const char *rpp_redact(rpp_redactor *rd, const char *kind, const char *s);
RPP_EXTERN const char *rpp_redact_text(rpp_redactor *rd, const char *s);

/* The metadata parser (rpp_meta_parse, rpp_meta_get, ...) is a property of
 * the format: it is declared in report.h. */

/* ---- Comparing runs ---------------------------------------------------- */

/*
 * A comparison of two or more runs (analyses of reports of either format
 * version) against one of them, the baseline. Ownership: the comparison
 * borrows the analyses (they, and their reports, must outlive it) and owns
 * everything else in it, the copies of the run names included.
 *
 * "Slower" means a lower average throughput (the mean of the phase's
 * slice averages, as in the phase table): a run is P % slower in a phase
 * when its average is P % below the baseline's, (base - run) / base.
 * A change is notable from RPP_COMPARE_NOTABLE (10 %) up or down.
 *
 * Only runs whose session succeeded are compared: the throughput of a run
 * that failed, was cancelled, was exported mid-write (in progress) or
 * never started is partial, and is never called faster or slower than a
 * finished run's (its changes are NAN and not_compared says why). Findings
 * a run's format version cannot express (version 2 has no decompress
 * phase and no stall, pipeline, recovery or Windows drive events) are not
 * counted as appeared or gone away; a finding that appeared is counted
 * only when the baseline finished (it could have shown it), one that went
 * away only when the run finished.
 */

#define RPP_COMPARE_NOTABLE 0.10

/* The order of the runs. */
typedef enum rpp_compare_sort {
    RPP_COMPARE_SORT_GIVEN = 0,   /* as passed */
    RPP_COMPARE_SORT_VERSION,     /* by system.imager.version, compared as
                                     version numbers (2.0.10 after 2.0.9);
                                     runs without one first */
    RPP_COMPARE_SORT_TIME         /* by session start; runs without one
                                     (never started) first */
} rpp_compare_sort;

/* "given", "version", "time". */
RPP_EXTERN const char *rpp_compare_sort_name(rpp_compare_sort s);

typedef struct rpp_compare_opts {
    unsigned version;          /* RPP_COMPARE_OPTS_VERSION (report.h says
                                  how versions work) */
    const char *const *names;  /* one name per run as passed (the file
                                  names), copied; NULL = "run 1", ... */
    size_t baseline;           /* the baseline: 1 = the first run as
                                  passed, 2 the second...; 0 = the first
                                  run in the chosen order */
    rpp_compare_sort sort;
} rpp_compare_opts;
#define RPP_COMPARE_OPTS_VERSION 1
#define RPP_COMPARE_OPTS_INIT { RPP_COMPARE_OPTS_VERSION, NULL, 0, RPP_COMPARE_SORT_GIVEN }

/* One phase of one run, with its change against the baseline. Changes are
 * fractions (-0.48 = 48 % lower); NAN when they cannot be computed: the
 * baseline itself, a phase missing on either side, a run or baseline
 * that did not finish. */
typedef struct rpp_compare_phase {
    bool present;              /* the run has slices of this phase */
    double avg_kbps, p5_kbps, p95_kbps;
    uint64_t active_ms;
    double avg_change, p5_change, p95_change, ms_change;
} rpp_compare_phase;

typedef struct rpp_compared_run {
    const rpp_analysis *analysis;  /* borrowed */
    size_t given;              /* 0-based position as passed */
    const char *name;          /* as passed, or "run N" */
    const char *tag;           /* a short name, unique in the comparison
                                  (the file's base name, shortened): the
                                  column headings and the key */
    const char *label;         /* the run in sentences: its Imager version
                                  when each run has its own, else tag */
    bool baseline;
    bool finished;             /* the session succeeded */
    double write_share;        /* the part of the image written, estimated
                                  from the write slices (average x active
                                  time / image size), 0..1; NAN unknown */
    const char *not_compared;  /* why the run's throughput is not compared
                                  ("was cancelled at about 28 % of the
                                  write"); NULL when it is */
    rpp_compare_phase phases[RPP_PHASE_COUNT];
    double worst_change;       /* the most negative avg change, 0 when no
                                  phase fell; NAN when not compared */
    size_t n_appeared, n_disappeared;
    const rpp_finding *const *appeared;    /* against the baseline, one
                                              per rule and phase */
    const rpp_finding *const *disappeared; /* the baseline's */
} rpp_compared_run;

/* An event type over all runs. Arrays have one entry per run, in the
 * order of runs. */
typedef struct rpp_compare_type {
    const char *name;
    bool notable;              /* between the baseline and a finished run,
                                  the count changed, or the total time by
                                  25 % and at least a second */
    const uint64_t *count;
    const uint64_t *total_ms;  /* the events recorded twice counted once */
    const bool *recordable;    /* false: the run's format version cannot
                                  record this type (shown as "-") */
} rpp_compare_type;

/* A rule and phase that fired in some run. Arrays per run, as above. */
typedef struct rpp_compare_finding {
    const char *id;
    int phase;                 /* rpp_phase or -1 */
    rpp_level level;           /* the highest it had */
    const size_t *count;       /* findings of this rule and phase */
    const bool *expressible;   /* false: the run's format version cannot
                                  express it */
} rpp_compare_finding;

typedef struct rpp_comparison {
    size_t n_runs;
    const rpp_compared_run *runs;  /* in the chosen order */
    size_t baseline;           /* index into runs */
    rpp_compare_sort sort;
    bool mixed_versions;       /* format versions 2 and 3 both present */
    size_t n_types;
    const rpp_compare_type *types;        /* the union, in order of first
                                             occurrence over the runs */
    size_t n_findings;
    const rpp_compare_finding *findings;  /* the union, most severe
                                             first */
    size_t n_not_compared;     /* runs other than the baseline whose
                                  throughput is not compared */
    bool regression;           /* a compared run is notably slower in a
                                  phase */
    size_t first_slower;       /* the first such run in order (index into
                                  runs); n_runs when none */
    int slower_phase;          /* the phase that sets its pace, or -1 */
    double slower_change;      /* that phase's avg change */
    const char *verdict;       /* sentences on one line */
    struct rpp_analysis_mem *mem;  /* private */
} rpp_comparison;

/*
 * Compares n analyses (n >= 2; opts may be NULL for the defaults). The
 * analyses and their reports must outlive the result. Runs in time linear
 * in the total size of the analyses. Returns RPP_OK, RPP_ERR_ARG (fewer
 * than two runs, a NULL one, a baseline beyond n, an unknown sort or a
 * newer opts version) or RPP_ERR_NOMEM, with *out NULL on failure.
 */
RPP_EXTERN int rpp_compare_run(rpp_comparison **out,
                               const rpp_analysis *const *runs, size_t n,
                               const rpp_compare_opts *opts);
RPP_EXTERN void rpp_compare_free(rpp_comparison *c);

/*
 * The context table of a comparison, a cell at a time, as every output
 * shows it: row 0 to RPP_COMPARE_CONTEXT_ROWS - 1 (format version, Imager,
 * OS, CPU cores, image, image size, device, device size, state, direct
 * I/O, sync interval, start, bottleneck) for run k (index into runs).
 * *label receives the row's name ("device size"); buf (n bytes) the cell
 * as plain text, cut to fit, "-" where the report has no such value. A
 * report string (image, device) is replaced by its placeholder when rd is
 * not NULL; nothing is escaped: escape it for the output. Returns RPP_OK,
 * RPP_ERR_NOT_FOUND past the last row or run, RPP_ERR_ARG or
 * RPP_ERR_NOMEM (from the redactor).
 */
#define RPP_COMPARE_CONTEXT_ROWS 13
RPP_EXTERN int rpp_compare_context(const rpp_comparison *c, size_t row,
                                   size_t k, rpp_redactor *rd,
                                   const char **label, char *buf, size_t n);

/*
 * The check behind `rpiperf compare --fail-slower PCT`: the number of runs
 * other than the baseline that did not finish, or that are more than pct
 * percent slower than the baseline in a phase both have. When the baseline
 * did not finish, nothing can be compared and every other run counts.
 */
RPP_EXTERN size_t rpp_compare_failing(const rpp_comparison *c, double pct);

/*
 * Renders a comparison as text (within opts->width columns: 100 by
 * default, at least 80), markdown (within GitHub's 65,536 characters per
 * comment) or JSON, as rpp_analysis_format does (*out malloc'd, the
 * caller frees it; report strings made safe for the format; opts->redactor
 * shared when given). opts->file_name is ignored: the runs have their
 * names. Returns RPP_OK, RPP_ERR_ARG or RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_compare_format(const rpp_comparison *c, rpp_format fmt,
                       const rpp_format_opts *opts, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
