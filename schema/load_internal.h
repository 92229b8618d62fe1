/*
 * load_internal.h - shared by the files of the loader; not installed.
 *
 * The loader reads a report in three passes, each linear, and says where
 * every problem is. One file per part:
 *   load.c         the entry points, the order of the passes, and how a
 *                  problem is recorded (rpp_diags, line and column);
 *   load_io.c      reading a file, a FIFO or a descriptor into memory;
 *   load_scan.c    pass 1: a byte scan for what cJSON does not check;
 *   load_fast.c    the histograms and events read straight into the
 *                  model in pass 1;
 *   (cJSON)        pass 2: the tree;
 *   load_syntax.c  when cJSON fails: a strict reader that finds the place;
 *   load_walk.c    the checked walk over the tree: types, ranges, keys,
 *                  and the JSON path of every problem;
 *   load_tree.c    pass 3: each section of the tree into the model.
 */
#ifndef RPIPERF_LOAD_INTERNAL_H
#define RPIPERF_LOAD_INTERNAL_H

#include <rpiperf/report.h>

#include <cjson/cJSON.h>
#include <stdarg.h>

/* Reports nest 5 levels deep; anything far deeper is refused before cJSON
 * sees it (cJSON's own limit is 1000). Overridable at build time. */
#ifndef RPP_MAX_DEPTH
#define RPP_MAX_DEPTH 64
#endif

/* ---- Recording problems (load.c) --------------------------------------- */

/* Adds a problem to d (may be NULL): counted always, kept while there is
 * room. path may be NULL; line and col are 0 when unknown. */
void rpp__diag_vadd(rpp_diags *d, rpp_severity sev, int code,
                    const char *path, unsigned line, unsigned col,
                    const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
/* The same for a problem of the whole text or at a line and column. */
void rpp__diag_at(rpp_diags *d, rpp_severity sev, int code, unsigned line,
                  unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* 1-based line and column (in characters) of byte offset off. */
void rpp__line_col(const char *data, size_t len, size_t off, unsigned *line,
                   unsigned *col);

/* Fills o from the caller's options (NULL = defaults); false for a version
 * of the struct this library does not know. */
bool rpp__load_opts_resolve(rpp_load_opts *o, const rpp_load_opts *in);

/*
 * Loads text of len bytes. owned, when not NULL, is the buffer holding
 * text, allocated by the loader: it is released (in every case) as soon
 * as cJSON has its tree, which keeps the peak memory of large reports down.
 */
int rpp__load_text(rpp_report **out, const char *text, size_t len,
                   char *owned, const rpp_load_opts *opts, rpp_diags *diags);

/* ---- Pass 1 (load_scan.c) ---------------------------------------------- */

static inline bool rpp__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the JSON number at p (n bytes), or 0 when the bytes there do
 * not follow the grammar of RFC 8259 (cJSON takes "012", "1." and "-.5"). */
size_t rpp__json_number_len(const unsigned char *p, size_t n);
/* Reads 4 hex digits at p (n bytes); false if fewer are there. */
bool rpp__hex4(const unsigned char *p, size_t n, unsigned *out);

/*
 * What the fast paths read in pass 1, straight into the model: the
 * top-level "histograms" and "events" values when they have exactly the
 * expected shape. Each value read spans [start, end) of the text; end is 0
 * when its path did not read it (the tree walk then does).
 */
typedef struct rpp__fast {
    rpp_histogram hist[RPP_PHASE_COUNT];
    size_t hist_start, hist_end;
    /* the events, each metadata pointing into the text (meta_len[i]
     * bytes, no NUL): the tree walk copies them into the report */
    rpp_event *events;
    size_t *meta_len;
    size_t n_events, cap_events;
    size_t ev_start, ev_end;
} rpp__fast;

/* Frees what f holds of each value, or of all, and empties it. */
void rpp__fast_drop_histograms(rpp__fast *f);
void rpp__fast_drop_events(rpp__fast *f);
void rpp__fast_free(rpp__fast *f);

/*
 * Checks what cJSON does not (UTF-8, raw control characters, nesting, the
 * grammar of numbers and \u escapes), warns about \u0000, and reads the
 * top-level "histograms" and "events" values through their fast paths
 * when it can (into *fast, which starts empty). Returns RPP_OK or
 * RPP_ERR_SYNTAX (with the problem in diags, and fast empty).
 */
int rpp__scan_text(const char *data, size_t len, rpp_diags *diags,
                   const rpp_load_opts *o, rpp__fast *fast);

/* The keys of an event (their names are in load_tree.c); those before
 * RPP__EVK_META are required. */
enum rpp__event_key {
    RPP__EVK_TYPE, RPP__EVK_START, RPP__EVK_DURATION, RPP__EVK_SUCCESS,
    RPP__EVK_META, RPP__EVK_BYTES, RPP__EVK_THROUGHPUT, RPP__EVK_N
};
extern const char *const rpp__event_keys[RPP__EVK_N];
/* The keys of the phases, in "histograms" and "summary.phases"
 * (load_tree.c). */
extern const char *const rpp__phase_keys[RPP_PHASE_COUNT];

/* ---- The fast paths (load_fast.c) -------------------------------------- */

/* Each reads one value of exactly the expected shape at the start of text
 * (n bytes) into f: true with *consumed its length; false with that part
 * of f empty when the value is anything else (the tree walk then reads it
 * and says what is wrong). */
bool rpp__fast_histograms(const char *text, size_t n, size_t max_slices,
                          rpp__fast *f, size_t *consumed);
bool rpp__fast_events(const char *text, size_t n, const rpp_load_opts *o,
                      rpp__fast *f, size_t *consumed);

/* ---- Syntax errors (load_syntax.c) ------------------------------------- */

/* Records the syntax error of text that cJSON refused, having stopped
 * around byte offset off, with its line, column and what is there. */
void rpp__syntax_error(const char *text, size_t len, size_t off,
                       rpp_diags *diags);

/* ---- The checked walk (load_walk.c) ------------------------------------ */

/* At most this many distinct unknown names get a warning of their own. */
#define RPP__MAX_UNKNOWN_NAMES 32

typedef struct rpp__loader {
    rpp_report *r;
    rpp_diags *diags;
    rpp_load_opts opts;
    int status;                 /* first error class seen, or RPP_OK */
    char path[RPP_PATH_MAX];    /* JSON path of the value being read */
    size_t path_len;
    const char *unknown[RPP__MAX_UNKNOWN_NAMES];
    size_t n_unknown;
    rpp__fast *fast;            /* what the fast paths read, or NULL */
} rpp__loader;

/* Prepares a walk that fills r. */
void rpp__ld_init(rpp__loader *ld, rpp_report *r, const rpp_load_opts *opts,
                  rpp_diags *diags, rpp__fast *fast);

/* A problem at the current path; an error also sets the status. */
void rpp__ld_problem(rpp__loader *ld, rpp_severity sev, int code,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define RPP__LD_ERR(ld, ...) \
    rpp__ld_problem((ld), RPP_SEV_ERROR, RPP_ERR_INVALID, __VA_ARGS__)
#define RPP__LD_WARN(ld, ...) \
    rpp__ld_problem((ld), RPP_SEV_WARNING, RPP_OK, __VA_ARGS__)
#define RPP__LD_NOMEM(ld) \
    rpp__ld_problem((ld), RPP_SEV_ERROR, RPP_ERR_NOMEM, "out of memory")

/* The path: push a key or an index, pop back to what a push returned. */
size_t rpp__ld_push_key(rpp__loader *ld, const char *key);
size_t rpp__ld_push_index(rpp__loader *ld, size_t i);
void rpp__ld_pop(rpp__loader *ld, size_t saved);

/* "a number", "an object", ... for messages. */
const char *rpp__json_type_name(const cJSON *it);

/* 2^53: the largest integer a JSON number carries exactly in a double. */
#define RPP__MAX_EXACT 9007199254740992.0

/* A non-negative integer that a double holds exactly. */
static inline bool rpp__is_u53(const cJSON *it, uint64_t *out)
{
    double d;

    if (!(it->type & cJSON_Number))
        return false;
    d = it->valuedouble;
    if (!(d >= 0.0 && d <= RPP__MAX_EXACT))
        return false;
    *out = (uint64_t)d;
    return (double)*out == d;
}

/* Says what is wrong with it, which is not `what`. */
void rpp__ld_bad_number(rpp__loader *ld, const cJSON *it, const char *what);

/* Typed reads of the child it of key `key`: true with *out set, or false
 * with the problem recorded at the key's path. Strings are copied into
 * the report (NULL on failure). */
bool rpp__ld_u53(rpp__loader *ld, const cJSON *it, const char *key,
                 uint64_t *out);
bool rpp__ld_bool(rpp__loader *ld, const cJSON *it, const char *key,
                  bool *out);
const char *rpp__ld_str(rpp__loader *ld, const cJSON *it, const char *key);

/* The keys an object kind may have. */
typedef struct rpp__fields {
    const char *const *names;
    size_t n;
} rpp__fields;

/*
 * Collects the children of obj by name into slots[fs->n] (NULL when
 * absent). Duplicate keys are errors (which one wins differs between JSON
 * readers); unknown keys are warnings. False (with an error) when obj is
 * not an object.
 */
bool rpp__ld_collect(rpp__loader *ld, const cJSON *obj,
                     const rpp__fields *fs, const cJSON **slots);
/* "missing "key"" at the current path. */
void rpp__ld_missing(rpp__loader *ld, const char *key);
/* Warns once per distinct unknown event type name. */
void rpp__ld_unknown_type(rpp__loader *ld, const char *name);

/* ---- Pass 3 (load_tree.c) ---------------------------------------------- */

/* Fills the report from the tree; the outcome is in ld->status. */
void rpp__load_root(rpp__loader *ld, const cJSON *root);

#endif
