/*
 * page.h - what the two HTML pages share (html.c, the report's page, which
 * owns these; compare_html.c, the comparison's): the style sheet, the
 * script that sorts tables, base64 for the embedded charts, and the end
 * of a page (footer, script, hand-out). Internal to render/: not
 * installed.
 */
#ifndef RPIPERF_PAGE_H
#define RPIPERF_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The start of a page up to its <title>: nothing may be loaded from
 * elsewhere, and the Content-Security-Policy tells the browser so. */
#define RPP_HTML_HEAD                                                      \
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"   \
    "<meta name=\"viewport\" content=\"width=device-width, "              \
    "initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" "      \
    "content=\"default-src 'none'; img-src data:; style-src "             \
    "'unsafe-inline'; script-src 'unsafe-inline'\">"

/* The style sheet (CSS) of the pages. */
extern const char rpp__html_style[];
/* Sorts a table.sortable by the clicked column: numbers by their data-v
 * value, text by its content; a second click reverses. */
extern const char rpp__html_script[];
/* Appends n bytes as base64 (for data: URIs). */
void rpp__html_base64(rpp__buf *b, const unsigned char *d, size_t n);

/* Ends a page: appends the footer (printf-style, of text that needs no
 * escaping), the script and the closing tags, then hands the page out in
 * *out (with its length in *len, when not NULL) when st is RPP_OK and no
 * text was lost (lost is the writer's own mark); otherwise frees it and
 * returns the failure. */
int rpp__html_finish(rpp__buf *b, int st, bool lost, char **out,
                     size_t *len, const char *footer, ...)
    __attribute__((format(printf, 6, 7)));

#endif
