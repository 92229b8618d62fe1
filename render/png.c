/*
 * png.c - PNG encoding of a chart's image surface with libpng, tuned for
 * charts: large flat areas compress well with a cheap filter and a fast
 * zlib level, several times faster than cairo's all-filters encoder for
 * files of about the same size.
 */
#include "chart.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <zlib.h>

#ifndef RPP_PNG_FILTER
#define RPP_PNG_FILTER PNG_FILTER_NONE
#endif
#ifndef RPP_PNG_LEVEL
#define RPP_PNG_LEVEL 1
#endif
#ifndef RPP_PNG_STRATEGY
#define RPP_PNG_STRATEGY Z_DEFAULT_STRATEGY
#endif

static void write_fn(png_structp png, png_bytep data, png_size_t len)
{
    rpp__buf *b = png_get_io_ptr(png);

    rpp__buf_put(b, (const char *)data, len);
    if (b->oom)
        png_error(png, "out of memory");
}

static void flush_fn(png_structp png)
{
    (void)png;
}

static void error_fn(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void warning_fn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int rpp__chart_encode_png(cairo_surface_t *s, rpp__buf *out)
{
    png_structp png = NULL;
    png_infop info = NULL;
    png_bytep *volatile rows = NULL;
    unsigned char *data;
    int w, h, stride, y;
    volatile int st = RPP_ERR_NOMEM;

    cairo_surface_flush(s);
    data = cairo_image_surface_get_data(s);
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
    stride = cairo_image_surface_get_stride(s);
    if (!data || w <= 0 || h <= 0 ||
        cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24)
        return RPP_ERR_ARG;
    rows = malloc((size_t)h * sizeof(*rows));
    if (!rows)
        return RPP_ERR_NOMEM;
    for (y = 0; y < h; y++)
        rows[y] = data + (size_t)y * (size_t)stride;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, error_fn,
                                  warning_fn);
    if (!png)
        goto cleanup;
    info = png_create_info_struct(png);
    if (!info)
        goto cleanup;
    if (setjmp(png_jmpbuf(png)))
        goto cleanup;
    png_set_write_fn(png, out, write_fn, flush_fn);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, RPP_PNG_FILTER);
    png_set_compression_level(png, RPP_PNG_LEVEL);
    png_set_compression_strategy(png, RPP_PNG_STRATEGY);
    png_write_info(png, info);
    /* cairo's RGB24 is a native-endian 32-bit xRGB word per pixel */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    png_set_filler(png, 0, PNG_FILLER_AFTER);   /* bytes B G R x */
    png_set_bgr(png);
#else
    png_set_filler(png, 0, PNG_FILLER_BEFORE);  /* bytes x R G B */
#endif
    png_write_image(png, rows);
    png_write_end(png, NULL);
    st = out->oom ? RPP_ERR_NOMEM : RPP_OK;

cleanup:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(rows);
    return st;
}
