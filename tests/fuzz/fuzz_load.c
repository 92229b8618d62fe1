/*
 * fuzz_load.c - libFuzzer target: any bytes through the loader. The input
 * is copied into a buffer of exactly its size, so that a read past the end
 * is caught by AddressSanitizer; a report that loads is walked once so that
 * every string and array in it is touched, then freed.
 */
#include <rpiperf/report.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpp_report *r = NULL;
    rpp_diags diags;
    char *copy = malloc(size ? size : 1);
    size_t i, sum = 0;
    int p;

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    rpp_diags_clear(&diags);
    if (rpp_report_load_buffer(&r, copy, size, NULL, &diags) == RPP_OK) {
        if (!r)
            abort();
        sum += strlen(r->export_time) + strlen(r->summary.image_name) +
               strlen(r->summary.device_name);
        for (i = 0; i < r->n_events; i++) {
            sum += strlen(r->events[i].type_name);
            if (r->events[i].metadata)
                sum += strlen(r->events[i].metadata);
        }
        for (p = 0; p < RPP_PHASE_COUNT; p++)
            for (i = 0; i < r->histograms[p].n_slices; i++)
                sum += (size_t)r->histograms[p].slices[i].t_ms;
    } else if (r) {
        abort();   /* a failed load must leave *out NULL */
    }
    for (i = 0; i < diags.n_items; i++)
        sum += strlen(diags.items[i].err.message) +
               strlen(diags.items[i].err.path);
    if (diags.n_items > RPP_DIAG_MAX)
        abort();
    rpp_report_free(r);
    free(copy);
    return sum == (size_t)-1;
}
