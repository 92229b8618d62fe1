// use_all.cpp - a C++ program built with `pkg-config --cflags --libs
// rpiperf-render` that uses the three libraries: prints the report's
// version, its bottleneck and the size class of its timeline chart.
//
//   use_all REPORT
#include <rpiperf/analyse.h>
#include <rpiperf/render.h>
#include <rpiperf/report.h>
#include <rpiperf/writer.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {
struct report_deleter {
    void operator()(rpp_report *r) const { rpp_report_free(r); }
};
struct analysis_deleter {
    void operator()(rpp_analysis *a) const { rpp_analysis_free(a); }
};
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    rpp_report *raw = nullptr;
    if (rpp_report_load_file(&raw, argv[1], nullptr, nullptr) != RPP_OK)
        return 1;
    std::unique_ptr<rpp_report, report_deleter> report(raw);
    rpp_analysis *an = nullptr;
    if (rpp_analysis_run(&an, report.get(), nullptr) != RPP_OK)
        return 1;
    std::unique_ptr<rpp_analysis, analysis_deleter> analysis(an);

    rpp_render_opts ro = RPP_RENDER_OPTS_INIT;
    unsigned char *png = nullptr;
    size_t len = 0;
    if (rpp_render_chart(report.get(), analysis.get(), RPP_CHART_TIMELINE, &ro,
                         &png, &len) != RPP_OK)
        return 1;
    std::free(png);

    rpp_writer *w = nullptr;
    if (rpp_writer_new(&w, 2, nullptr) != RPP_OK)
        return 1;
    int v = rpp_writer_version(w);
    rpp_writer_free(w);

    std::printf("version %d bottleneck %s chart %s writer %d\n",
                report->version,
                rpp_bottleneck_name(analysis->bottleneck.kind),
                len > 1000 ? "drawn" : "empty", v);
    rpp_render_cleanup();
    return 0;
}
