/*
 * network.h - what the two files of the network chart share (network.c,
 * the chart: the image download, the connections, the layout;
 * network_table.c, its table of OS list, sublist and cache events): the
 * sizes, the chart's state and the table's functions. Internal to
 * render/: not installed.
 */
#ifndef RPIPERF_NETWORK_H
#define RPIPERF_NETWORK_H

#include "chart.h"

#define LABEL_FONT 11.0
#define SMALL_FONT 10.0
#define SECTION_TITLE 22.0
#define SECTION_GAP 16.0
#define PANEL_NATURAL 150.0
#define PANEL_MIN 40.0
#define EMPTY_H 64.0
#define Y_TICKS 4
#define RETRY_LINE 15.0
#define RETRY_LIST_MAX 8
#define TAG_H 13.0             /* a row of retry numbers */
#define TAG_ROWS 3
#define CONN_MAX 4
#define CONN_TEXT 18.0
#define CONN_BAR 20.0
#define CONN_LEGEND 20.0
#define CONN_GAP 8.0
#define CONN_SETUP_SHARE 0.4   /* of the bar, for DNS .. first byte */
#define CONN_BREAK 16.0
#define TABLE_HEAD 18.0
#define TABLE_LINE 14.0
#define TABLE_PAD 6.0
#define TABLE_ROWS_NATURAL 40
#define TABLE_NAME_LINES 2
#define TABLE_WHAT_LINES 2
#define COL_SIZE 76.0
#define COL_TIME 76.0
#define COL_SPEED 250.0

/* A row of the table: an OS list, sublist, cache or other network event. */
typedef struct fetch_row {
    size_t event;
    double kbps;               /* the analysis' bytes/duration, or -1 */
    int lines;                 /* text lines of the row */
} fetch_row;

/* A retry's number at the top of the download panel: left edge x (its
 * line's x until placed), width w, row of the lane. */
typedef struct retry_tag {
    double x, w;
    size_t k, row;             /* index into a->context.retries */
} retry_tag;

typedef struct network {
    rpp_chart_ctx *c;
    /* the image download */
    bool has_download;
    rpp__plot_scale xs;
    double panel_h;
    size_t n_retry_lines;      /* retries listed under the panel */
    int retry_lines[RETRY_LIST_MAX];
    double retries_h;
    retry_tag *tags;           /* placed by place_retry_tags() */
    size_t n_tags;
    /* the connections */
    size_t n_conn;
    double conn_h;
    /* the table */
    fetch_row *rows;
    size_t n_rows_all, n_rows;
    double name_w;             /* the event column */
    double table_h;
} network;

/* ---- the table (network_table.c) ---------------------------------------- */

/* Collects the rows of the table into nw->rows; false when out of memory. */
bool rpp__net_collect_rows(network *nw);
/* Measures the first n rows (their lines of text) and the name column. */
void rpp__net_plan_rows(network *nw, size_t n);
/* The height of a row. */
double rpp__net_row_h(const fetch_row *r);
/* Draws the table with its top at y. */
void rpp__net_draw_table(network *nw, double y);

#endif
