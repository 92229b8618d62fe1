/*
 * breakdown.c - owns the event breakdown: statistics per event type (in
 * order of first occurrence) and per category, the longest and the failed
 * events, and where summary.events disagrees with the events array. Linear
 * in the number of events whatever names they carry.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define LONGEST_MAX 10

/* Unknown type names are grouped with a small open-addressing table so the
 * breakdown stays linear whatever the report holds. */
typedef struct name_slot {
    const char *name;
    size_t stat;
} name_slot;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int cmp_type_order(const void *x, const void *y)
{
    const rpp_type_stats *a = x, *b = y;

    if (a->first_start_ms != b->first_start_ms)
        return a->first_start_ms < b->first_start_ms ? -1 : 1;
    if (a->first_index != b->first_index)
        return a->first_index < b->first_index ? -1 : 1;
    return 0;
}

/* The totals with the Imager's second records of the write-timing events
 * left out (w->copies): those events are of known types, found through a
 * table of the types in their final order. */
static void once_totals(rpp_analysis *a, const rpp__work *w)
{
    const rpp_report *r = a->report;
    size_t by_type[RPP_EV_COUNT], i;
    uint64_t *once = rpp__an_alloc(a, (a->n_types ? a->n_types : 1) *
                                          sizeof(*once));
    int c;

    if (!once) {
        a->mem->oom = true;
        return;
    }
    for (i = 0; i < RPP_EV_COUNT; i++)
        by_type[i] = SIZE_MAX;
    for (i = 0; i < a->n_types; i++) {
        once[i] = a->types[i].total_ms;
        if (a->types[i].type != RPP_EV_UNKNOWN)
            by_type[a->types[i].type] = i;
    }
    for (c = 0; c < RPP_CAT_COUNT; c++)
        a->category_once_ms[c] = a->categories[c].total_ms;
    for (i = 0; w->copies && i < r->n_events; i++) {
        const rpp_event *e = &r->events[i];
        size_t k;

        if (!w->copies[i] || e->type == RPP_EV_UNKNOWN ||
            (k = by_type[e->type]) == SIZE_MAX)
            continue;
        /* the sums saturate: a copy never takes more than is there */
        once[k] -= e->duration_ms < once[k] ? e->duration_ms : once[k];
        c = (int)a->types[k].category;
        a->category_once_ms[c] -= e->duration_ms < a->category_once_ms[c]
                                      ? e->duration_ms
                                      : a->category_once_ms[c];
    }
    a->type_once_ms = once;
}

void rpp__breakdown_compute(rpp_analysis *a, rpp__work *w)
{
    const rpp_report *r = a->report;
    size_t n = r->n_events, i, n_stats = 0, cap_slots, n_failed = 0;
    size_t known_idx[RPP_EV_COUNT];
    rpp_type_stats *stats;
    name_slot *slots;
    size_t *longest, n_longest = 0, *failed;
    int c;

    for (i = 0; i < RPP_EV_COUNT; i++)
        known_idx[i] = SIZE_MAX;
    stats = rpp__an_calloc(a, n ? n : 1, sizeof(*stats));
    cap_slots = 16;
    while (cap_slots < 2 * n)
        cap_slots *= 2;
    slots = calloc(cap_slots, sizeof(*slots));
    if (!stats || !slots) {
        free(slots);
        a->mem->oom = true;
        return;
    }
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_type_stats *st;
        size_t si;

        if (e->type != RPP_EV_UNKNOWN) {
            si = known_idx[e->type];
            if (si == SIZE_MAX)
                si = known_idx[e->type] = n_stats++;
        } else {
            size_t j = (size_t)hash_str(e->type_name) & (cap_slots - 1);
            while (slots[j].name && strcmp(slots[j].name, e->type_name) != 0)
                j = (j + 1) & (cap_slots - 1);
            if (!slots[j].name) {
                slots[j].name = e->type_name;
                slots[j].stat = n_stats++;
            }
            si = slots[j].stat;
        }
        st = &stats[si];
        if (!st->count) {
            st->type = e->type;
            st->name = e->type_name;
            st->category = rpp_event_type_category(e->type);
            st->first_index = i;
            st->first_start_ms = w->times[i].start_ms;
            st->min_ms = e->duration_ms;
        }
        if (w->times[i].start_ms < st->first_start_ms)
            st->first_start_ms = w->times[i].start_ms;
        st->count++;
        st->total_ms = rpp_sat_add(st->total_ms, e->duration_ms);
        if (e->duration_ms < st->min_ms)
            st->min_ms = e->duration_ms;
        if (e->duration_ms > st->max_ms)
            st->max_ms = e->duration_ms;
        if (!e->success)
            st->failures++;
    }
    free(slots);
    for (i = 0; i < n_stats; i++) {
        rpp_type_stats *st = &stats[i];
        rpp_category_stats *cs = &a->categories[st->category];
        st->avg_ms = st->count ? (double)st->total_ms / (double)st->count : 0;
        st->share = a->session.wall_ms
                        ? (double)st->total_ms / (double)a->session.wall_ms
                        : 0;
        cs->count += st->count;
        cs->total_ms = rpp_sat_add(cs->total_ms, st->total_ms);
        cs->failures += st->failures;
    }
    for (c = 0; c < RPP_CAT_COUNT; c++) {
        a->categories[c].category = (rpp_category)c;
        a->categories[c].share =
            a->session.wall_ms ? (double)a->categories[c].total_ms /
                                     (double)a->session.wall_ms
                               : 0;
    }
    if (n_stats > 1)
        qsort(stats, n_stats, sizeof(*stats), cmp_type_order);
    a->types = stats;
    a->n_types = n_stats;
    once_totals(a, w);

    /* the longest individual events; the pipeline summaries are totals
     * over the whole write, not single operations, and are left out */
    longest = rpp__an_alloc(a, LONGEST_MAX * sizeof(*longest));
    failed = rpp__an_alloc(a, (n ? n : 1) * sizeof(*failed));
    if (!longest || !failed)
        return;
    for (i = 0; i < n; i++) {
        const rpp_event *e = &r->events[i];
        rpp_category cat = rpp_event_type_category(e->type);
        size_t j;

        if (!e->success)
            failed[n_failed++] = i;
        if (cat == RPP_CAT_PIPELINE || cat == RPP_CAT_CYCLE ||
            e->duration_ms == 0)
            continue;
        if (n_longest == LONGEST_MAX &&
            e->duration_ms <= r->events[longest[n_longest - 1]].duration_ms)
            continue;
        if (n_longest < LONGEST_MAX)
            n_longest++;
        j = n_longest - 1;
        while (j > 0 && r->events[longest[j - 1]].duration_ms < e->duration_ms) {
            longest[j] = longest[j - 1];
            j--;
        }
        longest[j] = i;
    }
    a->longest = longest;
    a->n_longest = n_longest;
    a->failed = failed;
    a->n_failed = n_failed;

    /* compare with summary.events, through a map of the names so that
     * thousands of types stay linear */
    {
        const rpp_summary *s = &r->summary;
        rpp_mismatch *mm = rpp__an_calloc(a, s->n_event_summaries + n_stats + 1,
                                     sizeof(*mm));
        rpp__namemap by_name = { NULL, NULL, 0, 0 }, in_summary = { NULL, NULL,
                                                                   0, 0 };
        size_t nm = 0, k, idx;
        if (!mm)
            return;
        for (i = 0; i < n_stats; i++)
            if (rpp__namemap_put(&by_name, stats[i].name, i, NULL) < 0)
                a->mem->oom = true;
        for (k = 0; k < s->n_event_summaries; k++) {
            const rpp_event_summary *es = &s->event_summaries[k];
            const rpp_type_stats *st =
                rpp__namemap_get(&by_name, es->name, &idx) ? &stats[idx] : NULL;
            if (rpp__namemap_put(&in_summary, es->name, k, NULL) < 0)
                a->mem->oom = true;
            if (!st || st->count != es->count || st->total_ms != es->total_ms) {
                mm[nm].name = es->name;
                mm[nm].summary_count = es->count;
                mm[nm].summary_total_ms = es->total_ms;
                mm[nm].events_count = st ? st->count : 0;
                mm[nm].events_total_ms = st ? st->total_ms : 0;
                nm++;
            }
        }
        for (i = 0; i < n_stats; i++) {
            if (!rpp__namemap_get(&in_summary, stats[i].name, &idx)) {
                mm[nm].name = stats[i].name;
                mm[nm].events_count = stats[i].count;
                mm[nm].events_total_ms = stats[i].total_ms;
                nm++;
            }
        }
        rpp__namemap_free(&by_name);
        rpp__namemap_free(&in_summary);
        a->mismatches = mm;
        a->n_mismatches = nm;
    }
}

