/*
 * analysis.c - runs an analysis: the order of its steps (timeline.c,
 * session.c, breakdown.c, stats.c, context.c, stalls.c, pipeline.c, then
 * the rules of rules.c) and the entry points. Every step allocates from
 * the analysis' arena (arena.c). No printing, no global state.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ---- entry points ------------------------------------------------------ */

int rpp_analysis_run(rpp_analysis **out, const rpp_report *r,
                     const rpp_rules *rules)
{
    rpp_analysis *a = NULL;
    rpp__work w;
    bool any_samples = false;
    size_t i;
    int p, st = RPP_OK;

    if (!out)
        return RPP_ERR_ARG;
    *out = NULL;
    if (!r)
        return RPP_ERR_ARG;
    memset(&w, 0, sizeof(w));
    a = calloc(1, sizeof(*a));
    if (!a)
        return RPP_ERR_NOMEM;
    a->mem = calloc(1, sizeof(*a->mem));
    if (!a->mem || !(a->mem->arena = rpp__arena_new())) {
        rpp_analysis_free(a);
        return RPP_ERR_NOMEM;
    }
    a->report = r;
    a->mem->rules = rules;
    w.times = rpp__an_calloc(a, r->n_events ? r->n_events : 1, sizeof(*w.times));
    if (!w.times)
        goto cleanup;
    for (i = 0; i < r->n_events; i++)
        w.times[i].cycle = -1;
    for (p = 0; p < RPP_PHASE_COUNT; p++)
        if (r->histograms[p].n_slices ||
            r->summary.phases[p].sample_count > 0)
            any_samples = true;

    rpp__timeline_build(a, &w, any_samples);
    if (a->mem->oom)
        goto cleanup;
    rpp__session_compute(a, &w, any_samples);
    if (!a->cycles_from_events && w.n_cycles)
        w.cycles[w.n_cycles - 1].state = a->session.state;
    rpp__copies_find(a, &w);
    rpp__breakdown_compute(a, &w);
    rpp__phases_compute(a, &w);
    rpp__context_compute(a, &w);
    rpp__progress_compute(a);
    rpp__device_stops_compute(a);
    rpp__stalls_compute(a);
    rpp__bottleneck_compute(a);
    if (a->mem->oom)
        goto cleanup;
    st = rpp__rules_run(a, rules);
    if (st == RPP_OK && a->mem->oom)
        st = RPP_ERR_NOMEM;

cleanup:
    if (a->mem->oom && st == RPP_OK)
        st = RPP_ERR_NOMEM;
    if (st != RPP_OK) {
        rpp_analysis_free(a);
        return st;
    }
    *out = a;
    return RPP_OK;
}

void rpp_analysis_free(rpp_analysis *a)
{
    if (!a)
        return;
    if (a->mem) {
        rpp__arena_free(a->mem->arena);
        free(a->mem);
    }
    free(a);
}

size_t rpp_analysis_count(const rpp_analysis *a, rpp_level at_least)
{
    size_t i, n = 0;

    if (!a)
        return 0;
    for (i = 0; i < a->n_findings; i++)
        if (a->findings[i].level >= at_least && at_least != RPP_LEVEL_OFF)
            n++;
    return n;
}
