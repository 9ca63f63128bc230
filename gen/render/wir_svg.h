/* wir_svg: the site's charts, drawn by the generator as inline SVG.
 *
 * No chart library runs in the browser: every chart is markup in the page,
 * styled by the site's CSS (classes wir-c0…wir-c5 for series colours), with
 * role="img", a <title> and a <desc> that states the figures, so a chart
 * reads the same without sight and without JavaScript. Numbers are printed
 * with fixed precision so output is byte-identical run to run.
 */
#ifndef WIR_SVG_H
#define WIR_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "wir_buf.h"

/* Appends s with &, <, >, " and ' escaped for XML/HTML text and attributes. */
void wir_svg_escape(wir_buf *out, const char *s);

typedef struct wir_svg_part {
    const char *label;
    double value;
} wir_svg_part;

/* One horizontal bar stacked from parts (in order), drawn against a
 * capacity line (capacity <= 0: none). unit names the values ("GB").
 * title is the chart's accessible name. */
void wir_svg_stack(wir_buf *out, const char *title, const wir_svg_part *parts, size_t n,
                   double capacity, const char *capacity_label, const char *unit);

typedef struct wir_svg_series {
    const char *name;
    const double *x;
    const double *y;
    size_t n;
    bool dashed;   /* estimates are dashed, measurements solid */
} wir_svg_series;

/* A line chart of series over a shared x axis from 0. mark_x, when not
 * NULL, draws a labelled vertical marker there (the break-even point). */
void wir_svg_lines(wir_buf *out, const char *title, const char *x_label, const char *y_label,
                   const wir_svg_series *series, size_t n, const double *mark_x,
                   const char *mark_label);

#endif
