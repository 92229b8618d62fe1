/*
 * rules.h - shared by the files of the diagnosis; not installed: the rule
 * table's row (rules.c), the context a check runs in, the builder of
 * findings (findings.c) and the settings the analysis steps read.
 */
#ifndef RPIPERF_ANALYSE_RULES_H
#define RPIPERF_ANALYSE_RULES_H

#include "internal.h"

#define RPP__MAX_PARAMS 20
/* Bounds that keep the output of a hostile report readable and linear:
 * evidence values and spans per finding, findings of one rule about single
 * events or episodes before the rest are summed up in one more finding. */
#define RPP__MAX_EVIDENCE 64
#define RPP__MAX_SPANS 200
#define RPP__MAX_PER_EVENT 10

typedef struct rpp__rule_ctx rpp__rule_ctx;
typedef void (*rpp__check_fn)(rpp__rule_ctx *c);

/* One row of the table: a rule (its id is what outputs, rules files and
 * tests use), or a group of settings of the analysis itself (no finding,
 * no level: the thresholds of the bottleneck verdict, of the phase
 * statistics), listed and set the same way. */
typedef struct rpp__rule_def {
    const char *id;
    rpp_level level;          /* default level; OFF for settings */
    bool settings;
    const char *symptom;      /* from the documentation's table */
    const char *cause;        /* likely cause, unless the check says more */
    size_t n_params;
    const char *param_names[RPP__MAX_PARAMS];
    double param_defaults[RPP__MAX_PARAMS];
    const char *param_help[RPP__MAX_PARAMS];
    rpp__check_fn check;      /* NULL for settings */
} rpp__rule_def;

/* The table (rules.c), in the order findings of one level are listed. */
const rpp__rule_def *rpp__rule_table(size_t *n);

/* The level and parameters of row i in a rules object; the table's
 * defaults when rules is NULL (rules_config.c). */
rpp_level rpp__rules_level(const rpp_rules *rules, size_t i);
const double *rpp__rules_params(const rpp_rules *rules, size_t i);

/*
 * A setting of the analysis: parameter `param` of row `id`, as the rules
 * of this analysis set it. Both names must be in the table (a wrong name
 * is a bug: it returns 0).
 */
double rpp__setting(const rpp_analysis *a, const char *id,
                    const char *param);

/* ---- running a check -------------------------------------------------- */

struct rpp__rule_ctx {
    rpp_analysis *a;
    const rpp__rule_def *def;
    const double *param;      /* this row's parameters, as set */
    rpp_level level;
    rpp_finding *findings;    /* collected so far (arena, doubled when full) */
    size_t n, cap;
};

/* ---- building a finding (findings.c) ---------------------------------- */

typedef struct rpp__fb {
    rpp__rule_ctx *c;
    rpp_finding *f;           /* NULL when memory ran out */
    rpp_value *ev;
    size_t n_ev, cap_ev;
    rpp_span *sp;
    size_t n_sp, cap_sp;
} rpp__fb;

/* Starts a finding of the rule being checked, with its message. */
void rpp__fb_begin(rpp__fb *b, rpp__rule_ctx *c, int phase, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
/* Replaces the likely cause (the table's, by default). */
void rpp__fb_cause(rpp__fb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Evidence: one named value each; keys are string literals or arena
 * strings. Numbers keep two decimals; counts and times never turn
 * negative. */
void rpp__fb_int(rpp__fb *b, const char *key, int64_t v);
void rpp__fb_uint(rpp__fb *b, const char *key, uint64_t v);
void rpp__fb_num(rpp__fb *b, const char *key, double v);
void rpp__fb_str(rpp__fb *b, const char *key, const char *v);
void rpp__fb_bool(rpp__fb *b, const char *key, bool v);
/* When it happened, on the timeline. */
void rpp__fb_span(rpp__fb *b, uint64_t start, uint64_t end);
/* A rate in MB/s for a message, in the words its evidence shows the same
 * figure in ("14.9 MB/s"): the two never read differently. */
const char *rpp__fb_rate(rpp__rule_ctx *c, double mbps);

/*
 * Rules with a finding per event or episode: the first RPP__MAX_PER_EVENT
 * get one each (*shown counts them); the others go into one more finding,
 * *more, begun at the first of them (*rest counts them), which collects
 * their spans here; rpp__fb_rest_end() gives it its message. Returns true
 * when the item went there.
 */
bool rpp__fb_into_rest(rpp__rule_ctx *c, size_t *shown, size_t *rest,
                       rpp__fb *more, uint64_t start, uint64_t end);
void rpp__fb_rest_end(rpp__fb *more, size_t rest, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A limit from the rules (a double) as a count of ms. */
uint64_t rpp__ms_of(double v);

/* ---- checks (rules.c, rules_pipeline.c) ------------------------------- */

/* Whether phase p only follows the stage that limits the write (download
 * unless the network is the limit; decompress when the disk or the network
 * is): its variation then says nothing about itself. */
bool rpp__paced(const rpp_analysis *a, int p);

/* The checks that speak about the bottleneck, the stalls and the device
 * (rules_pipeline.c). */
void rpp__check_slow_decompress(rpp__rule_ctx *c);
void rpp__check_io_bound(rpp__rule_ctx *c);
void rpp__check_cpu_bound(rpp__rule_ctx *c);
void rpp__check_network_bound(rpp__rule_ctx *c);
void rpp__check_slow_card_write(rpp__rule_ctx *c);
void rpp__check_periodic_drops(rpp__rule_ctx *c);
void rpp__check_throughput_gap(rpp__rule_ctx *c);
void rpp__check_device_stopped(rpp__rule_ctx *c);
void rpp__check_write_recovery(rpp__rule_ctx *c);
void rpp__check_producer_stall(rpp__rule_ctx *c);
void rpp__check_consumer_stall(rpp__rule_ctx *c);
void rpp__check_session_failed(rpp__rule_ctx *c);
void rpp__check_session_cancelled(rpp__rule_ctx *c);
void rpp__check_session_in_progress(rpp__rule_ctx *c);

#endif
