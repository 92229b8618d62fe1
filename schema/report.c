/*
 * report.c - the tables behind the model (event types, categories, phases,
 * session states, status names) and releasing a report.
 */
#include <rpiperf/report.h>
#include "util.h"

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

/* ---- Phases and states ------------------------------------------------- */

static const char *const phase_names[RPP_PHASE_COUNT] = {
    "download", "decompress", "write", "verify"
};

const char *rpp_phase_name(rpp_phase p)
{
    return (int)p >= 0 && (int)p < RPP_PHASE_COUNT ? phase_names[p] : "?";
}

const char *rpp_session_state_name(rpp_session_state s)
{
    switch (s) {
    case RPP_STATE_NONE: return "";
    case RPP_STATE_NEVER_STARTED: return "never_started";
    case RPP_STATE_IN_PROGRESS: return "in_progress";
    case RPP_STATE_SUCCEEDED: return "succeeded";
    case RPP_STATE_FAILED: return "failed";
    case RPP_STATE_CANCELLED: return "cancelled";
    case RPP_STATE_UNRECOGNISED: return "unrecognised";
    }
    return "";
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
