/*
 * rpiperf/report.h - the performance report of Raspberry Pi Imager:
 * the in-memory model, the facts of the format, each stated once (event
 * types, phases, session states, units, histogram buckets, the metadata
 * parser), the loader/validator, and writing files atomically.
 *
 * Ownership: a report owns every string and array in it. Pointers taken from
 * a report (strings, events, slices) are borrowed and live as long as the
 * report; rpp_report_free() releases all of them. Every *_free() accepts NULL.
 *
 * Errors: functions return an rpp_status (RPP_OK, or a negative code).
 * Loading fills an optional rpp_diags with every problem found (up to
 * RPP_DIAG_MAX kept, all counted), each with the JSON path or line/column.
 * The library never prints, exits or reads the environment, and keeps no
 * mutable global state.
 *
 * Threads: a loaded report is never modified, so any number of threads may
 * read the same report at once (analyse it, format it, draw its charts).
 * Loads run independently of each other; an rpp_diags belongs to the one
 * call that fills it. The tables and the metadata functions keep no state;
 * an rpp_file_out belongs to one thread at a time.
 *
 * Use: #include <rpiperf/report.h>, with the flags of pkg-config rpiperf.
 */
#ifndef RPIPERF_REPORT_H
#define RPIPERF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RPP_VERSION_STRING ("0.1.0") and its parts, made from the file VERSION */
#include <rpiperf/version.h>

/*
 * RPP_EXTERN marks the API. The shared libraries are built with hidden
 * visibility and export exactly the functions declared with it; every
 * other function of the libraries is internal (named rpp__... where it is
 * shared between their files).
 */
#if defined(__GNUC__) || defined(__clang__)
#define RPP_EXTERN __attribute__((visibility("default")))
#else
#define RPP_EXTERN
#endif

/* ---- Status codes ------------------------------------------------------ */

typedef enum rpp_status {
    RPP_OK = 0,
    RPP_ERR_NOMEM = -1,      /* out of memory */
    RPP_ERR_IO = -2,         /* a file could not be read or written */
    RPP_ERR_SYNTAX = -3,     /* not JSON */
    RPP_ERR_INVALID = -4,    /* JSON, but not a valid report */
    RPP_ERR_LIMIT = -5,      /* a resource limit was exceeded */
    RPP_ERR_ARG = -6,        /* a bad argument from the caller */
    RPP_ERR_NOT_FOUND = -7,  /* no such object (event id, rule, ...) */
    RPP_ERR_STATE = -8       /* the call does not fit the object's state */
} rpp_status;

/* Returns the name of a status ("ok", "out of memory", ...); never NULL. */
RPP_EXTERN const char *rpp_status_str(int status);

/* ---- Diagnostics ------------------------------------------------------- */

#define RPP_DIAG_MAX 64
#define RPP_PATH_MAX 160
#define RPP_MESSAGE_MAX 240

typedef enum rpp_severity {
    RPP_SEV_WARNING = 1,
    RPP_SEV_ERROR = 2
} rpp_severity;

/*
 * One problem. path is a JSON path such as "$.histograms.write[5]" (empty
 * when the problem concerns the whole file); line and column are 1-based and
 * set (non-zero) for syntax errors. message is one line without a trailing
 * period. Fixed buffers, so that out-of-memory can still be reported.
 */
typedef struct rpp_error {
    int code;
    unsigned line;
    unsigned column;
    char path[RPP_PATH_MAX];
    char message[RPP_MESSAGE_MAX];
} rpp_error;

typedef struct rpp_diag {
    rpp_severity severity;
    rpp_error err;
} rpp_diag;

/* Every problem found while loading. n_errors/n_warnings count them all;
 * items holds the first RPP_DIAG_MAX (count in n_items). */
typedef struct rpp_diags {
    size_t n_errors;
    size_t n_warnings;
    size_t n_items;
    rpp_diag items[RPP_DIAG_MAX];
} rpp_diags;

/* Empties a diagnostics list. */
RPP_EXTERN void rpp_diags_clear(rpp_diags *d);

/* ---- Event types and categories --------------------------------------- */

typedef enum rpp_category {
    RPP_CAT_NETWORK,
    RPP_CAT_DRIVE,
    RPP_CAT_CACHE,
    RPP_CAT_MEMORY,
    RPP_CAT_IMAGE,
    RPP_CAT_PIPELINE,
    RPP_CAT_CYCLE,
    RPP_CAT_RECOVERY,
    RPP_CAT_CUSTOMISATION,
    RPP_CAT_FINALISATION,
    RPP_CAT_UI,
    RPP_CAT_RPIBOOT,
    RPP_CAT_OTHER
} rpp_category;
#define RPP_CAT_COUNT ((int)RPP_CAT_OTHER + 1)

typedef enum rpp_event_type {
#define X(e, name, cat, max_ms, desc) RPP_EV_##e,
#include <rpiperf/event_types.def>
#undef X
    RPP_EV_UNKNOWN
} rpp_event_type;
#define RPP_EV_COUNT ((int)RPP_EV_UNKNOWN + 1)

/* Name as written in reports ("driveOpen"); "unknown" for RPP_EV_UNKNOWN. */
RPP_EXTERN const char *rpp_event_type_name(rpp_event_type t);
/* The type with that name, or RPP_EV_UNKNOWN. */
RPP_EXTERN rpp_event_type rpp_event_type_from_name(const char *name);
RPP_EXTERN rpp_category rpp_event_type_category(rpp_event_type t);
/* Longest expected duration in ms; 0 when the type has no such limit. */
RPP_EXTERN uint32_t rpp_event_type_expected_max_ms(rpp_event_type t);
RPP_EXTERN const char *rpp_event_type_description(rpp_event_type t);
/* The first format version whose writer records events of type t: 2 for
 * the types the first writer revision (version 2) knows, 3 for the types
 * added since (stall, pipeline, recovery, Windows drive events...) and for
 * RPP_EV_UNKNOWN. */
RPP_EXTERN int rpp_event_type_since(rpp_event_type t);

/* Short id of a category ("network") and its heading ("Network & OS list"). */
RPP_EXTERN const char *rpp_category_id(rpp_category c);
RPP_EXTERN const char *rpp_category_title(rpp_category c);

/* ---- Phases ------------------------------------------------------------ */

typedef enum rpp_phase {
#define X(e, name, since) RPP_PHASE_##e,
#include <rpiperf/phases.def>
#undef X
} rpp_phase;
#define RPP_PHASE_COUNT 4

/* "download", "decompress", "write", "verify": the phase's key in a
 * report; "?" for a value that is not a phase. */
RPP_EXTERN const char *rpp_phase_name(rpp_phase p);
/* The phase whose key is name: true with *out set, or false (also for
 * NULL). */
RPP_EXTERN bool rpp_phase_from_name(const char *name, rpp_phase *out);
/* The first format version whose writer samples the phase (2, or 3 for
 * decompress); 0 for a value that is not a phase. */
RPP_EXTERN int rpp_phase_since_version(rpp_phase p);

/* ---- The model --------------------------------------------------------- */

typedef enum rpp_session_state {
    RPP_STATE_NONE = 0,       /* not in the report (version 2) */
#define X(e, name) RPP_STATE_##e,
#include <rpiperf/session_states.def>
#undef X
    RPP_STATE_UNRECOGNISED    /* a value this tool does not know */
} rpp_session_state;

/* "never_started", "in_progress", ... as written by the Imager; "" for
 * NONE, "unrecognised" for UNRECOGNISED. Never NULL. */
RPP_EXTERN const char *rpp_session_state_name(rpp_session_state s);
/* The state the Imager writes as name; RPP_STATE_UNRECOGNISED for any
 * other string (also "", "unrecognised" and NULL). */
RPP_EXTERN rpp_session_state rpp_session_state_from_name(const char *name);

/*
 * How the Imager classifies the end of a session that did not succeed, from
 * its error message: RPP_STATE_CANCELLED when the message, lower-cased,
 * contains "cancel", "removed" or "user"; RPP_STATE_FAILED otherwise (also
 * for NULL and ""). Only ASCII letters are lower-cased, as no other
 * character lower-cases to a letter of these words.
 */
RPP_EXTERN rpp_session_state rpp_end_message_state(const char *msg);

/* ---- Units and limits of the format ------------------------------------ */

/* Throughputs are written in KB/s; this many KB/s make one MB/s. */
#define RPP_KBPS_PER_MBPS 1024
/* The Imager counts sizes in units of 1024: this many bytes make one KB
 * (of the KB/s of throughputs), as many KB one MB, and so on. */
#define RPP_BYTES_PER_KB 1024
/* The bytes of one MB of the sizes the report gives in MB. */
#define RPP_BYTES_PER_MB ((uint64_t)RPP_BYTES_PER_KB * RPP_BYTES_PER_KB)
/* The unit every report states in "schema.throughputUnit". */
#define RPP_THROUGHPUT_UNIT "KB/s"
/* The histogram window of the Imager's writers (ms), assumed when a report
 * does not state one. */
#define RPP_WINDOW_MS 1000
/* The Imager's writer keeps at most this many progress samples per phase
 * (counted across the cycles of a version 3 capture): a phase whose
 * sampleCount reached it stopped recording early. */
#define RPP_MAX_SAMPLES_PER_PHASE 6000

/* ---- Histogram slices ------------------------------------------------- */

/* A slice holds its time, min, max and average (KB/s) and RPP_BUCKETS
 * counts of samples by throughput: bucket 0 counts 0-1 MB/s, bucket i
 * (1 to 10) 2^(i-1) to 2^i MB/s, the last 1024 MB/s and more. */
#define RPP_BUCKETS 12
#define RPP_SLICE_FIELDS 16

/*
 * The name of field i (0 to RPP_SLICE_FIELDS - 1) of a slice as
 * "schema.histogramSliceFormat" lists it: "timestampMs", "minKBps",
 * "maxKBps", "avgKBps", "bucket_0-1MB", ..., "bucket_1024+MB"; NULL for
 * any other i.
 */
RPP_EXTERN const char *rpp_slice_field_name(int i);

/* The throughputs bucket i counts, in KB/s: from *lo_kbps (included) to
 * *hi_kbps (excluded; INFINITY for the last bucket). An i below 0 is read
 * as 0, one above the last bucket as the last. */
RPP_EXTERN void rpp_bucket_bounds(int i, double *lo_kbps, double *hi_kbps);
/* The bucket the Imager counts a throughput of kbps KB/s in (0 to
 * RPP_BUCKETS - 1): whole MB/s (kbps / 1024, rounded down) against the
 * powers of two. */
RPP_EXTERN int rpp_bucket_index(uint64_t kbps);


/* One histogram slice: a window of the phase's throughput in KB/s. */
typedef struct rpp_slice {
    uint64_t t_ms;
    uint64_t min_kbps;
    uint64_t max_kbps;
    uint64_t avg_kbps;
    uint64_t buckets[RPP_BUCKETS];
} rpp_slice;

typedef struct rpp_histogram {
    bool present;          /* the phase's key is in "histograms" */
    size_t n_slices;
    rpp_slice *slices;
} rpp_histogram;

/* Which fields of a phase summary were present. */
enum {
    RPP_PH_SAMPLE_COUNT = 1 << 0,
    RPP_PH_BYTES_TOTAL = 1 << 1,
    RPP_PH_DURATION = 1 << 2,
    RPP_PH_MIN = 1 << 3,
    RPP_PH_MAX = 1 << 4,
    RPP_PH_AVG = 1 << 5
};

typedef struct rpp_phase_summary {
    bool present;          /* the key is in summary.phases */
    unsigned fields;       /* RPP_PH_* bits of the fields present */
    uint64_t sample_count;
    uint64_t bytes_total;
    uint64_t duration_ms;
    uint64_t min_kbps;
    uint64_t max_kbps;
    uint64_t avg_kbps;
} rpp_phase_summary;

/* One entry of summary.events. */
typedef struct rpp_event_summary {
    const char *name;
    rpp_event_type type;
    uint64_t count;
    uint64_t total_ms;
    uint64_t avg_ms;
    uint64_t min_ms;
    uint64_t max_ms;
} rpp_event_summary;

typedef struct rpp_event {
    rpp_event_type type;
    const char *type_name;     /* as written; for unknown types too */
    uint64_t start_ms;
    uint64_t duration_ms;
    bool success;
    const char *metadata;      /* NULL when absent */
    bool has_bytes;
    uint64_t bytes_transferred;
    bool has_throughput;
    uint64_t throughput_kbps;
} rpp_event;

typedef struct rpp_summary {
    const char *image_name;
    const char *device_name;
    uint64_t image_size;
    uint64_t session_start_time;   /* ms since the Unix epoch; 0 = none */
    uint64_t session_end_time;
    uint64_t duration_ms;
    bool success;
    rpp_session_state session_state;   /* RPP_STATE_NONE in version 2 */
    const char *session_state_raw;     /* as written, NULL when absent */
    const char *error_message;         /* NULL when absent */
    size_t n_event_summaries;
    rpp_event_summary *event_summaries;
    rpp_phase_summary phases[RPP_PHASE_COUNT];
} rpp_summary;

/* The version 3 system block. Absent fields are 0/""/false; the present_*
 * flags say which sub-objects were in the report. */
typedef struct rpp_system {
    bool present;
    bool has_memory, has_target, has_platform, has_imager, has_write_config,
        has_buffers;
    struct {
        uint64_t total_bytes, available_bytes, total_mb, available_mb;
    } memory;
    struct {
        const char *path, *description;
        uint64_t size_bytes, size_mb;
        bool is_usb, is_removable;
    } target;
    struct {
        const char *os, *os_version, *cpu_architecture;
        uint64_t cpu_cores;
    } platform;
    struct {
        const char *version, *build_type, *binary_sha256, *qt_runtime,
            *qt_build;
    } imager;
    struct {
        bool direct_io_enabled, periodic_sync_enabled;
        bool has_sync_interval;
        uint64_t sync_interval_bytes, sync_interval_mb, sync_interval_ms;
        const char *memory_tier;
        struct {
            uint64_t write_buffer_bytes, write_buffer_kb, input_buffer_bytes,
                input_buffer_kb, input_ring_buffer_slots,
                write_ring_buffer_slots;
        } buffers;
    } write_config;
} rpp_system;

typedef struct rpp_report {
    int version;                    /* 2 or 3 */
    const char *export_time;        /* "" when absent */
    rpp_summary summary;
    size_t n_events;
    rpp_event *events;              /* in file order */
    rpp_histogram histograms[RPP_PHASE_COUNT];
    bool has_schema;
    uint64_t window_ms;             /* histogramWindowMs, default 1000 */
    rpp_system system;
    size_t source_bytes;            /* size of the text it was loaded from */
    struct rpp__arena *arena;        /* private: owns the strings */
} rpp_report;

/* ---- Loading ----------------------------------------------------------- */

/* Limits; each can be overridden at build time or per call. */
#ifndef RPP_DEFAULT_MAX_FILE_SIZE
#define RPP_DEFAULT_MAX_FILE_SIZE ((size_t)256 * 1024 * 1024)
#endif
#ifndef RPP_DEFAULT_MAX_EVENTS
#define RPP_DEFAULT_MAX_EVENTS ((size_t)2000000)
#endif
#ifndef RPP_DEFAULT_MAX_SLICES
#define RPP_DEFAULT_MAX_SLICES ((size_t)2000000)
#endif
#ifndef RPP_DEFAULT_MAX_STRING
#define RPP_DEFAULT_MAX_STRING ((size_t)65536)
#endif

/*
 * Option structs that a caller fills carry a version first, so that later
 * releases can add fields without breaking programs built earlier: set it
 * to the struct's RPP_..._VERSION (or start from RPP_..._INIT). A zeroed
 * struct (version 0) is read as version 1, so zero still means "all
 * defaults"; a version newer than the library knows is refused with
 * RPP_ERR_ARG.
 */
typedef struct rpp_load_opts {
    unsigned version;       /* RPP_LOAD_OPTS_VERSION */
    size_t max_file_size;   /* bytes; 0 = RPP_DEFAULT_MAX_FILE_SIZE */
    size_t max_events;      /* 0 = RPP_DEFAULT_MAX_EVENTS */
    size_t max_slices;      /* per phase; 0 = RPP_DEFAULT_MAX_SLICES */
    size_t max_string;      /* bytes per string; 0 = RPP_DEFAULT_MAX_STRING */
} rpp_load_opts;
#define RPP_LOAD_OPTS_VERSION 1
#define RPP_LOAD_OPTS_INIT { RPP_LOAD_OPTS_VERSION, 0, 0, 0, 0 }

/*
 * Parses and validates a report held in memory (len bytes, need not be
 * NUL-terminated). On success *out is a new report (free with
 * rpp_report_free) and RPP_OK is returned, possibly with warnings in diags.
 * On failure *out is NULL and the status is RPP_ERR_SYNTAX, RPP_ERR_INVALID,
 * RPP_ERR_LIMIT or RPP_ERR_NOMEM; diags (may be NULL) says what and where.
 * opts may be NULL for the defaults.
 */
RPP_EXTERN int rpp_report_load_buffer(rpp_report **out, const char *data, size_t len,
                           const rpp_load_opts *opts, rpp_diags *diags);

/*
 * Reads a file and loads it as rpp_report_load_buffer does. Refuses
 * directories, files above the size limit (without reading them) and data
 * that cannot be text, with RPP_ERR_IO or RPP_ERR_LIMIT. A FIFO or a pipe
 * is read to its end (up to the limit); a FIFO that nothing opens for
 * writing within 5 seconds is refused (RPP_ERR_IO) instead of waited for.
 */
RPP_EXTERN int rpp_report_load_file(rpp_report **out, const char *path,
                         const rpp_load_opts *opts, rpp_diags *diags);

/* Same, from an open file descriptor (not closed). */
RPP_EXTERN int rpp_report_load_fd(rpp_report **out, int fd, const rpp_load_opts *opts,
                       rpp_diags *diags);

/* Frees a report and everything in it; accepts NULL. */
RPP_EXTERN void rpp_report_free(rpp_report *r);

/* Number of slices of a phase (0 when absent). */
RPP_EXTERN size_t rpp_report_slice_count(const rpp_report *r, rpp_phase p);

/* ========================================================================
 * Tools over many reports: telling a report from other JSON, and the
 * building blocks of text output (a buffer that remembers running out of
 * memory, escaping for each kind of output, JSON and XML writers). rpiperf
 * check is built on them. Added in ABI 1.1.
 *
 * Every string from a report (names, messages, metadata) and every file
 * name comes from a stranger: put it into an output only through these
 * escapers or writers, never as is.
 *
 * Out of memory: appending never fails on the spot. A buffer whose
 * allocation fails stops growing and remembers it, so a run of appends
 * needs one check at its end; text leaves a buffer only through
 * rpp_buf_data(), which refuses a buffer that lost some, and the writers'
 * _status() and _finish() say so too.
 *
 * Ownership: an rpp_buf owns its bytes; a writer borrows the buffer it
 * appends to, which must outlive it. Every *_free() accepts NULL.
 * Threads: a buffer and its writers belong to one thread at a time.
 * ======================================================================== */

/*
 * Tells a performance report from other JSON, looking only at the top
 * level of data (len bytes) and building nothing: RPP_OK when it is an
 * object with at least one of "summary", "events" or "histograms" (meant
 * to be a report, valid or not: the loader says which), RPP_ERR_NOT_FOUND
 * when it is plainly something else (an object with none of those keys,
 * or not an object), RPP_ERR_SYNTAX when its top level is not JSON. What
 * it skips is not validated: use it to sort out documents the loader
 * refused with RPP_ERR_INVALID (valid JSON, not a valid report).
 */
RPP_EXTERN int rpp_report_sniff(const char *data, size_t len);

#if defined(__GNUC__) || defined(__clang__)
#define RPP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define RPP_PRINTF(fmt, args)
#endif

/* A growable text buffer, always NUL-terminated. */
typedef struct rpp_buf rpp_buf;

/* Makes an empty buffer: RPP_OK, or RPP_ERR_NOMEM with *out NULL. */
RPP_EXTERN int rpp_buf_new(rpp_buf **out);
RPP_EXTERN void rpp_buf_free(rpp_buf *b);

/* Append n bytes, a string, or printf-formatted text. After an allocation
 * failed they append nothing (see rpp_buf_oom). */
RPP_EXTERN void rpp_buf_put(rpp_buf *b, const char *s, size_t n);
RPP_EXTERN void rpp_buf_puts(rpp_buf *b, const char *s);
RPP_EXTERN void rpp_buf_printf(rpp_buf *b, const char *fmt, ...)
    RPP_PRINTF(2, 3);

/* Whether an allocation failed since the buffer was made: text was lost. */
RPP_EXTERN bool rpp_buf_oom(const rpp_buf *b);

/* The contents ("" when empty) and their length in *len (len may be
 * NULL), valid until the buffer next changes; NULL (and *len 0) when text
 * was lost. */
RPP_EXTERN const char *rpp_buf_data(const rpp_buf *b, size_t *len);

/* Empties the buffer and keeps its memory, to stream output through it.
 * The mark of lost text stays: a loss is never hidden by a later flush. */
RPP_EXTERN void rpp_buf_clear(rpp_buf *b);

/*
 * Escaping: each appends s (NULL is "") made safe for one kind of output.
 * Invalid UTF-8 becomes U+FFFD in all of them.
 *   text      for a terminal or a log: C0 and C1 controls, DEL, escape
 *             sequences and bidirectional controls are shown as \x1b or
 *             \u202e; at most max_cols characters (0: no limit), a cut
 *             marked with "...".
 *   json      a JSON string literal with its quotes; controls, bidirectional
 *             controls, U+2028/2029 and < > & as \u escapes.
 *   xml       character data or an attribute value: & < > " ' as entities,
 *             line breaks and tabs as &#10; and &#9;, other controls shown
 *             as by text.
 *   markdown  inline GitHub-flavoured markdown (a table cell): markup,
 *             links, HTML and mentions cannot get through; a line break
 *             becomes <br>, which holds in table cells and list items.
 */
RPP_EXTERN void rpp_escape_text(rpp_buf *b, const char *s, size_t max_cols);
RPP_EXTERN void rpp_escape_json(rpp_buf *b, const char *s);
RPP_EXTERN void rpp_escape_xml(rpp_buf *b, const char *s);
RPP_EXTERN void rpp_escape_markdown(rpp_buf *b, const char *s);

/*
 * A JSON writer: one document into a buffer, indented by indent spaces a
 * level (0 to 8; 0 keeps it on one line). It writes the commas, quotes and
 * escapes, and refuses what would not be JSON: a value where a key is due
 * or a key where a value is, an end that closes nothing or the other kind,
 * a second top-level value, more than RPP_JSON_MAX_DEPTH levels. After the
 * first such call (or when its buffer runs out of memory) it writes
 * nothing more, and rpp_json_status() says why. The buffer may be emptied
 * between calls to stream a long document out.
 */
#define RPP_JSON_MAX_DEPTH 30
typedef struct rpp_json rpp_json;

/* RPP_OK, RPP_ERR_ARG (no buffer, indent out of range) or RPP_ERR_NOMEM. */
RPP_EXTERN int rpp_json_new(rpp_json **out, rpp_buf *b, int indent);
RPP_EXTERN void rpp_json_free(rpp_json *w);
RPP_EXTERN void rpp_json_object_begin(rpp_json *w);
RPP_EXTERN void rpp_json_object_end(rpp_json *w);
RPP_EXTERN void rpp_json_array_begin(rpp_json *w);
RPP_EXTERN void rpp_json_array_end(rpp_json *w);
RPP_EXTERN void rpp_json_key(rpp_json *w, const char *key);
RPP_EXTERN void rpp_json_string(rpp_json *w, const char *s); /* NULL: null */
RPP_EXTERN void rpp_json_int(rpp_json *w, int64_t v);
RPP_EXTERN void rpp_json_uint(rpp_json *w, uint64_t v);
/* Up to 6 significant digits; a value that is not finite is null. */
RPP_EXTERN void rpp_json_number(rpp_json *w, double v);
RPP_EXTERN void rpp_json_bool(rpp_json *w, bool v);
RPP_EXTERN void rpp_json_null(rpp_json *w);

/* RPP_OK so far; RPP_ERR_NOMEM when the buffer lost text; RPP_ERR_STATE
 * for a call out of place, RPP_ERR_LIMIT for nesting too deep. */
RPP_EXTERN int rpp_json_status(const rpp_json *w);
/* Ends the document with a line break: as rpp_json_status(), and
 * RPP_ERR_STATE when it is not one complete value. */
RPP_EXTERN int rpp_json_finish(rpp_json *w);

/*
 * An XML writer: elements, attributes and text into a buffer, escaped as
 * rpp_escape_xml does; it closes start tags, writes end tags (<e/> for an
 * empty element) and indents by indent spaces a level (0 to 8; 0: no line
 * breaks between elements). depth is the level the first element sits at:
 * 0 for a document (one root element, an optional declaration first), more
 * for a fragment that will stand inside elements written by another
 * writer, as when the head of a streamed document is written last. Names
 * must be ASCII XML names (letters, digits, '_', '-', '.', ':', not
 * starting with a digit, '-' or '.'; up to 64 bytes). A call out of place
 * or a bad or repeated name stops the writer as for JSON.
 */
#define RPP_XML_MAX_DEPTH 32
typedef struct rpp_xml rpp_xml;

/* RPP_OK, RPP_ERR_ARG (no buffer, indent or depth out of range) or
 * RPP_ERR_NOMEM. */
RPP_EXTERN int rpp_xml_new(rpp_xml **out, rpp_buf *b, int indent,
                           unsigned depth);
RPP_EXTERN void rpp_xml_free(rpp_xml *x);
/* <?xml version="1.0" encoding="UTF-8"?>, before a document's root. */
RPP_EXTERN void rpp_xml_declaration(rpp_xml *x);
RPP_EXTERN void rpp_xml_element_begin(rpp_xml *x, const char *name);
/* An attribute of the element just begun, before anything inside it. */
RPP_EXTERN void rpp_xml_attr(rpp_xml *x, const char *name, const char *value);
/* Text inside the open element (no line breaks are added around it). */
RPP_EXTERN void rpp_xml_text(rpp_xml *x, const char *s);
/* Ends the start tag of the open element now, so that elements written
 * elsewhere (a fragment one level deeper) can follow in the output. */
RPP_EXTERN void rpp_xml_element_content(rpp_xml *x);
RPP_EXTERN void rpp_xml_element_end(rpp_xml *x);
/* As rpp_json_status() and rpp_json_finish(): finish wants every element
 * closed (and a document's root written); it ends a document with a line
 * break. */
RPP_EXTERN int rpp_xml_status(const rpp_xml *x);
RPP_EXTERN int rpp_xml_finish(rpp_xml *x);
/* ---- Event metadata ---------------------------------------------------- */

/*
 * The Imager writes an event's metadata as "key: value; key: value" (a
 * property of the format, read the same way everywhere). Parsing is
 * tolerant: parts are split at ';', a part is a key and a value split at
 * its first ": " (or, without one, at a '=' after a plain word of letters,
 * digits, '_' and '-', as the watchdog's events write "action=hardTimeout;
 * pending=3"), spaces around both are trimmed, any other part (free text
 * such as "Post-write verification") or one with an empty key is skipped,
 * unknown keys are kept, and a repeated key is kept each time (lookups find
 * the first). Nothing is allocated.
 */
typedef struct rpp_meta_pair {
    const char *key;
    const char *value;
} rpp_meta_pair;

/*
 * Parses metadata s into pairs (at most max). buf (bufsize bytes) receives
 * a modified copy of s that the pairs point into; text beyond bufsize - 1
 * bytes is cut off and never read. Returns the number of pairs stored; 0
 * when s or buf is NULL or bufsize is 0.
 */
RPP_EXTERN size_t rpp_meta_parse(const char *s, char *buf, size_t bufsize,
                                 rpp_meta_pair *pairs, size_t max);

/* Lookups: each reads the first 1023 bytes and 32 pairs of s, and returns
 * false when s or key is NULL or key is not there. */

/* Copies the value of key into out (outsize bytes, cut to fit). False also
 * when out is NULL or outsize is 0. */
RPP_EXTERN bool rpp_meta_get(const char *s, const char *key, char *out,
                             size_t outsize);
/* Whether the value of key is exactly value ("type: consumer_stall"). */
RPP_EXTERN bool rpp_meta_is(const char *s, const char *key,
                            const char *value);
/* The number that starts the value of key ("syncMs: 1520" and "count: 156
 * (751731 ms)" alike): true with *out set when it is a finite number. */
RPP_EXTERN bool rpp_meta_number(const char *s, const char *key,
                                double *out);
/*
 * A value of the form "N (M ms)", as writeRingBufferStats writes
 * "producer_stalls: 156 (751731 ms)": *ms gets M, which must be a finite
 * number of 0 or more; when count is not NULL, N must be a finite number
 * too and *count gets it. False, with nothing set, otherwise.
 */
RPP_EXTERN bool rpp_meta_count_ms(const char *s, const char *key,
                                  double *count, double *ms);

/* ---- Writing files ----------------------------------------------------- */

/*
 * Files are written whole or not at all, with one guarantee, the same for
 * every output of the libraries and the command line:
 *   - the data goes into a new temporary file, named ".rpiperf-" and six
 *     random characters, in the target's directory, created with
 *     O_CREAT|O_EXCL (a link planted at that name makes the creation fail,
 *     never followed) and never opened again by name;
 *   - it is written whole, flushed to the disk (fsync), and renamed over the
 *     target, so readers see the old file or the new one, never a part;
 *   - it gets the mode of the file it replaces, or 0666 less the umask for
 *     a new file;
 *   - a symbolic link named as the target is replaced, not followed; an
 *     existing target that is neither a regular file nor a symbolic link
 *     (a directory, a FIFO, a device) is left alone and the write fails;
 *   - a protected file (the input being reported on) is never replaced:
 *     the target is refused when it names the same file, by name or by
 *     device and inode (through links);
 *   - on any failure the temporary file is removed and an existing target
 *     is left as it was.
 */

/* Where a write failed. */
typedef enum rpp_file_step {
    RPP_FILE_STEP_NONE = 0,     /* no failure, a bad argument or out of
                                   memory */
    RPP_FILE_STEP_PROTECTED,    /* the target is the protected file */
    RPP_FILE_STEP_TARGET,       /* the target is not a regular file or a
                                   symbolic link */
    RPP_FILE_STEP_CREATE,       /* the temporary file could not be made */
    RPP_FILE_STEP_WRITE         /* writing, flushing or renaming failed */
} rpp_file_step;

/* What a failed write reports, for messages such as "cannot write PATH:
 * No space left on device". os_error is the errno of the call that failed
 * (EISDIR for a directory as target), 0 when no call failed. */
typedef struct rpp_file_error {
    rpp_file_step step;
    int os_error;
} rpp_file_error;

/*
 * Writes len bytes of data to path under the guarantee above. protect, when
 * not NULL, is the path of a file that must not be replaced. err (may be
 * NULL) is filled in every case. Returns RPP_OK; RPP_ERR_ARG for a NULL or
 * empty path, for data NULL with len > 0, or when path names protect
 * (step PROTECTED); RPP_ERR_IO (steps TARGET, CREATE, WRITE);
 * RPP_ERR_NOMEM.
 */
RPP_EXTERN int rpp_file_write_atomic(const char *path, const void *data,
                                     size_t len, const char *protect,
                                     rpp_file_error *err);

/*
 * The same guarantee for output produced piece by piece. rpp_file_out_open
 * refuses or creates the temporary file (*out is NULL on failure, with the
 * statuses of rpp_file_write_atomic). Then write through
 * rpp_file_out_write, or through the descriptor rpp_file_out_fd returns
 * (open for reading and writing; owned by the object: do not close it, a
 * dup() of it may be closed). rpp_file_out_commit flushes, closes and
 * renames the file over the target; rpp_file_out_discard removes it. Each
 * of the two frees the object, which must not be used afterwards; discard
 * accepts NULL. An object belongs to one thread at a time.
 */
typedef struct rpp_file_out rpp_file_out;

RPP_EXTERN int rpp_file_out_open(rpp_file_out **out, const char *path,
                                 const char *protect, rpp_file_error *err);
RPP_EXTERN int rpp_file_out_fd(const rpp_file_out *f);
/* Writes len bytes whole: RPP_OK, RPP_ERR_IO (step WRITE) or RPP_ERR_ARG;
 * after a failure the object can only be discarded. */
RPP_EXTERN int rpp_file_out_write(rpp_file_out *f, const void *data,
                                  size_t len, rpp_file_error *err);
/* RPP_OK, or RPP_ERR_IO (step WRITE) with the temporary file removed;
 * RPP_ERR_ARG for NULL. */
RPP_EXTERN int rpp_file_out_commit(rpp_file_out *f, rpp_file_error *err);
RPP_EXTERN void rpp_file_out_discard(rpp_file_out *f);

/*
 * Whether two paths name the same file: the same string, or two existing
 * files with the same device and inode (symbolic links followed). False
 * when either is NULL.
 */
RPP_EXTERN bool rpp_file_same(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
