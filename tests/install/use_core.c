/*
 * use_core.c - a program built against an installed rpiperf with
 * `pkg-config --cflags --libs rpiperf`: loads the report REPORT, prints
 * its version and event count, and records a new report into OUT with the
 * writer.
 *
 *   use_core REPORT OUT
 */
#include <rpiperf/report.h>
#include <rpiperf/writer.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    rpp_load_opts lo = RPP_LOAD_OPTS_INIT;
    rpp_report *r = NULL;
    rpp_writer *w = NULL;
    int st;

    if (argc != 3)
        return 2;
    st = rpp_report_load_file(&r, argv[1], &lo, NULL);
    if (st != RPP_OK) {
        fprintf(stderr, "use_core: %s\n", rpp_status_str(st));
        return 1;
    }
    printf("version %d events %zu\n", r->version, r->n_events);
    rpp_report_free(r);

    st = rpp_writer_new(&w, 3, NULL);
    if (st == RPP_OK) {
        rpp_writer_session_start(w, "image", 1024, "/dev/null");
        rpp_writer_event_record(w, RPP_EV_DRIVE_OPEN, 5, true, "direct_io: yes");
        rpp_writer_session_end(w, true, NULL);
        st = rpp_writer_export_file(w, argv[2]);
    }
    rpp_writer_free(w);
    return st == RPP_OK ? 0 : 1;
}
