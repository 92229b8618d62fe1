/*
 * fuzz_pipeline.c - libFuzzer target: the whole way a report goes through
 * rpiperf. Load, analyse, format as text, markdown and JSON (also
 * redacted), compare the report with itself, draw the three charts and the
 * comparison's overlay chart as small PNGs, free everything. Every output
 * is checked for what must never be in it: a raw escape character, a raw
 * bidirectional override; and the analysis for what must always hold:
 * percentiles ordered and within each phase's range, no finding about the
 * bottleneck that disagrees with the verdict.
 */
#include <rpiperf/analyse.h>
#include <rpiperf/render.h>
#include <rpiperf/report.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A raw ESC or U+202E (E2 80 AE) in a text output is a finding. */
static void check_safe(const char *s, size_t len)
{
    if (memchr(s, '\033', len))
        abort();
    for (size_t i = 0; i + 2 < len; i++)
        if ((unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0xae)
            abort();
}

static void formats(const rpp_analysis *a, const rpp_comparison *c,
                    bool redact)
{
    static const rpp_format fmts[] = { RPP_FORMAT_TEXT, RPP_FORMAT_MARKDOWN,
                                       RPP_FORMAT_JSON };
    rpp_format_opts fo;
    size_t k;

    memset(&fo, 0, sizeof(fo));
    fo.file_name = "fuzz.json";
    fo.redact = redact;
    for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
        char *out = NULL;
        size_t len = 0;
        if (rpp_analysis_format(a, fmts[k], &fo, &out, &len) == RPP_OK) {
            if (!out || strlen(out) != len)
                abort();
            check_safe(out, len);
        }
        free(out);
        out = NULL;
        if (c && rpp_compare_format(c, fmts[k], &fo, &out, &len) == RPP_OK) {
            if (!out || strlen(out) != len)
                abort();
            check_safe(out, len);
        }
        free(out);
    }
}

static void check_phase(const rpp_phase_stats *s)
{
    if (s->present &&
        !(s->min_kbps <= s->p5_kbps && s->p5_kbps <= s->median_kbps &&
          s->median_kbps <= s->p95_kbps && s->p95_kbps <= s->max_kbps))
        abort();
}

static void check_analysis(const rpp_analysis *a)
{
    static const struct {
        const char *id;
        rpp_bottleneck_kind kind;
    } family[] = {
        { "slow-decompress", RPP_BOTTLENECK_CPU },
        { "cpu-bound", RPP_BOTTLENECK_CPU },
        { "io-bound", RPP_BOTTLENECK_DISK },
        { "slow-card-write", RPP_BOTTLENECK_DISK },
        { "network-bound", RPP_BOTTLENECK_NETWORK },
    };
    size_t i, k;
    int p;

    for (p = 0; p < RPP_PHASE_COUNT; p++) {
        check_phase(&a->phases[p]);
        for (k = 0; k < a->n_cycles; k++)
            check_phase(&a->cycles[k].phases[p]);
    }
    for (i = 0; i < a->n_findings; i++)
        for (k = 0; k < sizeof(family) / sizeof(family[0]); k++)
            if (strcmp(a->findings[i].id, family[k].id) == 0 &&
                a->bottleneck.kind != family[k].kind)
                abort();
}

/* Fontconfig and cairo set up their caches on the first chart; doing that
 * here keeps it out of the first input's run. They are released at exit,
 * before the leak checker looks, as rpiperf itself does. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char tiny[] =
        "{\"version\":3,\"exportTime\":\"\",\"summary\":{\"imageName\":\"a\","
        "\"deviceName\":\"b\",\"imageSize\":0,\"sessionStartTime\":0,"
        "\"sessionEndTime\":0,\"durationMs\":0,\"success\":true,"
        "\"events\":{},\"phases\":{}},\"events\":[],\"histograms\":{}}";
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    unsigned char *png = NULL;
    size_t len = 0;

    (void)argc;
    (void)argv;
    if (rpp_report_load_buffer(&r, tiny, sizeof(tiny) - 1, NULL, NULL) ==
            RPP_OK &&
        rpp_analysis_run(&a, r, NULL) == RPP_OK)
        (void)rpp_render_chart(r, a, RPP_CHART_TIMELINE, NULL, &png, &len);
    free(png);
    rpp_analysis_free(a);
    rpp_report_free(r);
    atexit(rpp_render_cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    rpp_comparison *c = NULL;
    const rpp_analysis *runs[2];
    rpp_render_opts ro;
    char *copy = malloc(size ? size : 1);
    int k;

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (rpp_report_load_buffer(&r, copy, size, NULL, NULL) != RPP_OK)
        goto cleanup;
    if (rpp_analysis_run(&a, r, NULL) != RPP_OK)
        goto cleanup;
    if (a->n_findings && !a->findings)
        abort();
    check_analysis(a);
    runs[0] = runs[1] = a;
    if (rpp_compare_run(&c, runs, 2, NULL) == RPP_OK && c->regression)
        abort();   /* a run cannot be slower than itself */
    formats(a, c, false);
    formats(a, c, true);
    memset(&ro, 0, sizeof(ro));
    ro.width = 300;
    ro.height = 200;
    ro.format = RPP_IMAGE_PNG;
    for (k = 0; k < RPP_CHART_COUNT; k++) {
        unsigned char *png = NULL;
        size_t len = 0;
        int st = rpp_render_chart(r, a, (rpp_chart)k, &ro, &png, &len);
        if (st == RPP_OK && (!png || len < 8 || memcmp(png, "\211PNG", 4)))
            abort();
        if (st != RPP_OK && st != RPP_ERR_NOMEM)
            abort();
        free(png);
    }
    if (c) {
        unsigned char *png = NULL;
        size_t len = 0;
        int st = rpp_render_compare_chart(c, &ro, &png, &len);
        if (st == RPP_OK && (!png || len < 8 || memcmp(png, "\211PNG", 4)))
            abort();
        if (st != RPP_OK && st != RPP_ERR_NOMEM)
            abort();
        free(png);
    }

cleanup:
    rpp_compare_free(c);
    rpp_analysis_free(a);
    rpp_report_free(r);
    free(copy);
    return 0;
}
