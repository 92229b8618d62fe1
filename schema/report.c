/*
 * report.c - the facts of the format behind the model, each written once:
 * status names, event types and categories (event_types.def), phases
 * (phases.def), session states both ways (session_states.def) and how the
 * Imager classifies the end of a session, the fields and buckets of a
 * histogram slice; and releasing a report.
 */
#include <rpiperf/report.h>
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *rpp_status_str(int status)
{
    switch ((rpp_status)status) {
    case RPP_OK: return "ok";
    case RPP_ERR_NOMEM: return "out of memory";
    case RPP_ERR_IO: return "input/output error";
    case RPP_ERR_SYNTAX: return "syntax error";
    case RPP_ERR_INVALID: return "invalid report";
    case RPP_ERR_LIMIT: return "limit exceeded";
    case RPP_ERR_ARG: return "invalid argument";
    case RPP_ERR_NOT_FOUND: return "not found";
    case RPP_ERR_STATE: return "wrong state";
    }
    return "unknown status";
}

void rpp_diags_clear(rpp_diags *d)
{
    if (!d)
        return;
    d->n_errors = d->n_warnings = d->n_items = 0;
}

/* ---- Event types ------------------------------------------------------- */

static const struct {
    const char *name;
    rpp_category category;
    uint32_t expected_max_ms;
    const char *description;
} event_types[RPP_EV_COUNT] = {
#define X(e, name, cat, max_ms, desc) { name, RPP_CAT_##cat, max_ms, desc },
#include <rpiperf/event_types.def>
#undef X
    { "unknown", RPP_CAT_OTHER, 0, "An event type this tool does not know" }
};

static bool valid_type(rpp_event_type t)
{
    return (int)t >= 0 && (int)t < RPP_EV_COUNT;
}

const char *rpp_event_type_name(rpp_event_type t)
{
    return valid_type(t) ? event_types[t].name : "unknown";
}

rpp_event_type rpp_event_type_from_name(const char *name)
{
    int i;

    if (!name)
        return RPP_EV_UNKNOWN;
    /* Sixty-odd short names: a linear scan with a first-byte check is as
     * fast as a hash here and needs no state. */
    for (i = 0; i < RPP_EV_COUNT - 1; i++)
        if (event_types[i].name[0] == name[0] &&
            strcmp(event_types[i].name, name) == 0)
            return (rpp_event_type)i;
    return RPP_EV_UNKNOWN;
}

rpp_category rpp_event_type_category(rpp_event_type t)
{
    return valid_type(t) ? event_types[t].category : RPP_CAT_OTHER;
}

uint32_t rpp_event_type_expected_max_ms(rpp_event_type t)
{
    return valid_type(t) ? event_types[t].expected_max_ms : 0;
}

const char *rpp_event_type_description(rpp_event_type t)
{
    return valid_type(t) ? event_types[t].description
                         : event_types[RPP_EV_UNKNOWN].description;
}

static const struct {
    const char *id;
    const char *title;
} categories[RPP_CAT_COUNT] = {
    [RPP_CAT_NETWORK] = { "network", "Network & OS list" },
    [RPP_CAT_DRIVE] = { "drive", "Drive" },
    [RPP_CAT_CACHE] = { "cache", "Cache" },
    [RPP_CAT_MEMORY] = { "memory", "Memory" },
    [RPP_CAT_IMAGE] = { "image", "Image processing" },
    [RPP_CAT_PIPELINE] = { "pipeline", "Pipeline & write timing" },
    [RPP_CAT_CYCLE] = { "cycle", "Cycle boundaries" },
    [RPP_CAT_RECOVERY] = { "recovery", "Stall recovery" },
    [RPP_CAT_CUSTOMISATION] = { "customisation", "Customisation" },
    [RPP_CAT_FINALISATION] = { "finalisation", "Finalisation" },
    [RPP_CAT_UI] = { "ui", "User interface" },
    [RPP_CAT_RPIBOOT] = { "rpiboot", "rpiboot/fastboot" },
    [RPP_CAT_OTHER] = { "other", "Other (unknown types)" },
};

const char *rpp_category_id(rpp_category c)
{
    return (int)c >= 0 && (int)c < RPP_CAT_COUNT ? categories[c].id : "other";
}

const char *rpp_category_title(rpp_category c)
{
    return (int)c >= 0 && (int)c < RPP_CAT_COUNT ? categories[c].title
                                                 : "Other";
}

/* ---- Phases ------------------------------------------------------------ */

static const struct {
    const char *name;
    int since_version;
} phases[] = {
#define X(e, name, since) { name, since },
#include <rpiperf/phases.def>
#undef X
};

_Static_assert(sizeof(phases) / sizeof(phases[0]) == RPP_PHASE_COUNT,
               "RPP_PHASE_COUNT is the number of rows of phases.def");

static bool valid_phase(rpp_phase p)
{
    return (int)p >= 0 && (int)p < RPP_PHASE_COUNT;
}

const char *rpp_phase_name(rpp_phase p)
{
    return valid_phase(p) ? phases[p].name : "?";
}

bool rpp_phase_from_name(const char *name, rpp_phase *out)
{
    int p;

    for (p = 0; name && p < RPP_PHASE_COUNT; p++) {
        if (strcmp(phases[p].name, name) == 0) {
            *out = (rpp_phase)p;
            return true;
        }
    }
    return false;
}

int rpp_phase_since_version(rpp_phase p)
{
    return valid_phase(p) ? phases[p].since_version : 0;
}

/* ---- Session states ---------------------------------------------------- */

/* Indexed by the enum: NONE, the rows of session_states.def, UNRECOGNISED. */
static const char *const state_names[] = {
    "",
#define X(e, name) name,
#include <rpiperf/session_states.def>
#undef X
    "unrecognised"
};

_Static_assert(sizeof(state_names) / sizeof(state_names[0]) ==
                   (size_t)RPP_STATE_UNRECOGNISED + 1,
               "one name per session state");

const char *rpp_session_state_name(rpp_session_state s)
{
    return (int)s >= 0 && s <= RPP_STATE_UNRECOGNISED ? state_names[s] : "";
}

rpp_session_state rpp_session_state_from_name(const char *name)
{
    int s;

    for (s = RPP_STATE_NONE + 1; name && s < RPP_STATE_UNRECOGNISED; s++)
        if (strcmp(state_names[s], name) == 0)
            return (rpp_session_state)s;
    return RPP_STATE_UNRECOGNISED;
}

/* Whether s contains word (lower case), comparing ASCII letters of s
 * case-insensitively. */
static bool contains_word(const char *s, const char *word)
{
    size_t i, k;

    for (i = 0; s[i]; i++) {
        for (k = 0; word[k]; k++) {
            char c = s[i + k];

            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != word[k])
                break;
        }
        if (!word[k])
            return true;
    }
    return false;
}

rpp_session_state rpp_end_message_state(const char *msg)
{
    /* the Imager's words for an end the user (or the device) caused */
    static const char *const cancel_words[] = { "cancel", "removed", "user" };
    size_t i;

    for (i = 0; msg && i < sizeof(cancel_words) / sizeof(cancel_words[0]);
         i++)
        if (contains_word(msg, cancel_words[i]))
            return RPP_STATE_CANCELLED;
    return RPP_STATE_FAILED;
}

/* ---- Histogram slices -------------------------------------------------- */

static const char *const slice_fields[RPP_SLICE_FIELDS] = {
    "timestampMs", "minKBps", "maxKBps", "avgKBps",
    "bucket_0-1MB", "bucket_1-2MB", "bucket_2-4MB", "bucket_4-8MB",
    "bucket_8-16MB", "bucket_16-32MB", "bucket_32-64MB", "bucket_64-128MB",
    "bucket_128-256MB", "bucket_256-512MB", "bucket_512-1024MB",
    "bucket_1024+MB"
};

const char *rpp_slice_field_name(int i)
{
    return i >= 0 && i < RPP_SLICE_FIELDS ? slice_fields[i] : NULL;
}

void rpp_bucket_bounds(int i, double *lo_kbps, double *hi_kbps)
{
    if (i <= 0) {
        *lo_kbps = 0;
        *hi_kbps = RPP_KBPS_PER_MBPS;
    } else if (i >= RPP_BUCKETS - 1) {
        *lo_kbps = ldexp(RPP_KBPS_PER_MBPS, RPP_BUCKETS - 2);
        *hi_kbps = INFINITY;
    } else {
        *lo_kbps = ldexp(RPP_KBPS_PER_MBPS, i - 1);
        *hi_kbps = ldexp(RPP_KBPS_PER_MBPS, i);
    }
}

int rpp_bucket_index(uint64_t kbps)
{
    uint64_t mbps = kbps / RPP_KBPS_PER_MBPS;
    int i = 0;

    while (i < RPP_BUCKETS - 1 && mbps >= ((uint64_t)1 << i))
        i++;
    return i;
}

/* ---- Releasing --------------------------------------------------------- */

void rpp_report_free(rpp_report *r)
{
    int p;

    if (!r)
        return;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        free(r->histograms[p].slices);
    free(r->events);
    free(r->summary.event_summaries);
    rpp__arena_free(r->arena);
    free(r);
}

size_t rpp_report_slice_count(const rpp_report *r, rpp_phase p)
{
    if (!r || (int)p < 0 || (int)p >= RPP_PHASE_COUNT)
        return 0;
    return r->histograms[p].n_slices;
}
