/*
 * use_analyse.c - a program built with `pkg-config --cflags --libs
 * rpiperf-analyse` (no cairo): prints the bottleneck and the finding ids of
 * REPORT, one per line, in the analysis' order.
 *
 *   use_analyse REPORT
 */
#include <rpiperf/analyse.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    rpp_format_opts fo = RPP_FORMAT_OPTS_INIT;
    char *text = NULL;
    size_t i, len = 0;
    int rc = 1;

    if (argc != 2)
        return 2;
    if (rpp_report_load_file(&r, argv[1], NULL, NULL) != RPP_OK)
        goto done;
    if (rpp_analysis_run(&a, r, NULL) != RPP_OK)
        goto done;
    printf("bottleneck %s\n", rpp_bottleneck_name(a->bottleneck.kind));
    for (i = 0; i < a->n_findings; i++)
        printf("finding %s\n", a->findings[i].id);
    /* the JSON rendering must be there too */
    if (rpp_analysis_format(a, RPP_FORMAT_JSON, &fo, &text, &len) != RPP_OK ||
        len == 0)
        goto done;
    rc = 0;
done:
    free(text);
    rpp_analysis_free(a);
    rpp_report_free(r);
    return rc;
}
