/*
 * use_render.c - a program built with `pkg-config --cflags --libs
 * rpiperf-render`: draws the throughput chart of REPORT into OUT.png.
 *
 *   use_render REPORT OUT.png
 */
#include <rpiperf/render.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    rpp_report *r = NULL;
    rpp_analysis *a = NULL;
    rpp_render_opts ro = RPP_RENDER_OPTS_INIT;
    unsigned char *png = NULL;
    size_t len = 0;
    FILE *f;
    int rc = 1;

    if (argc != 3)
        return 2;
    if (rpp_report_load_file(&r, argv[1], NULL, NULL) != RPP_OK ||
        rpp_analysis_run(&a, r, NULL) != RPP_OK)
        goto done;
    ro.width = 600;
    if (rpp_render_chart(r, a, RPP_CHART_THROUGHPUT, &ro, &png, &len) != RPP_OK)
        goto done;
    f = fopen(argv[2], "wb");
    if (!f)
        goto done;
    if (fwrite(png, 1, len, f) == len)
        rc = 0;
    if (fclose(f) != 0)
        rc = 1;
done:
    free(png);
    rpp_analysis_free(a);
    rpp_report_free(r);
    rpp_render_cleanup();
    return rc;
}
