#define _XOPEN_SOURCE 700
#include "wir_svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void wir_svg_escape(wir_buf *out, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&': wir_buf_puts(out, "&amp;"); break;
        case '<': wir_buf_puts(out, "&lt;"); break;
        case '>': wir_buf_puts(out, "&gt;"); break;
        case '"': wir_buf_puts(out, "&quot;"); break;
        case '\'': wir_buf_puts(out, "&#39;"); break;
        default: wir_buf_append(out, s, 1);
        }
    }
}

/* wir_buf_printf for chart markup, with "%.1f" printed by integer
 * arithmetic (a page's charts print hundreds of coordinates; libc's
 * floating-point printf was a fifth of the build). Supports %d, %zu, %s
 * and %.1f, which is all the markup uses. */
static void wir_svg_printf(wir_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wir_svg_printf(wir_buf *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char tmp[32];
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            wir_buf_append(out, p, n);
            p += n - 1;
            continue;
        }
        p++;
        if (!strncmp(p, ".1f", 3)) {
            double v = va_arg(ap, double);
            long long t = isfinite(v) && fabs(v) < 1e15 ? llround(v * 10) : 0; /* callers drop non-finite points */
            if (t < 0) {
                wir_buf_append(out, "-", 1);
                t = -t;
            }
            snprintf(tmp, sizeof tmp, "%lld.%lld", t / 10, t % 10);
            wir_buf_puts(out, tmp);
            p += 2;
        } else if (*p == 'd') {
            snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int));
            wir_buf_puts(out, tmp);
        } else if (!strncmp(p, "zu", 2)) {
            snprintf(tmp, sizeof tmp, "%zu", va_arg(ap, size_t));
            wir_buf_puts(out, tmp);
            p++;
        } else if (*p == 's') {
            wir_buf_puts(out, va_arg(ap, const char *));
        } else {
            abort(); /* a format this markup does not use */
        }
    }
    va_end(ap);
}

/* A tick step of 1, 2 or 5 times a power of 10 giving about n steps to v. */
static double wir_svg_step(double v, int n) {
    if (!(v > 0)) return 1;
    double raw = v / n, p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* Figures as people read them: 3 significant digits, no trailing zeros. */
static void wir_svg_num(wir_buf *out, double v) {
    char s[32];
    if (fabs(v) >= 100 || v == floor(v)) snprintf(s, sizeof s, "%.0f", v);
    else if (fabs(v) >= 10) snprintf(s, sizeof s, "%.1f", v);
    else snprintf(s, sizeof s, "%.2f", v);
    wir_buf_puts(out, s);
}

static void wir_svg_open(wir_buf *out, int w, int h, const char *title, const char *cls) {
    wir_svg_printf(out,
                   "<svg class=\"wir-chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" "
                   "xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMinYMin meet\">"
                   "<title>",
                   cls, w, h);
    wir_svg_escape(out, title);
    wir_buf_puts(out, "</title>");
}

void wir_svg_stack(wir_buf *out, const char *title, const wir_svg_part *parts, size_t n,
                   double capacity, const char *capacity_label, const char *unit) {
    const int w = 640, left = 8, right = 8, bar_y = 34, bar_h = 36;
    double total = 0;
    for (size_t i = 0; i < n; i++) total += parts[i].value > 0 ? parts[i].value : 0;
    double top = (capacity > total ? capacity : total) * 1.05;
    double step = wir_svg_step(top, 4), max = step * ceil(top / step - 1e-9);
    int legend_rows = (int)((n + 1) / 2);
    int h = bar_y + bar_h + 30 + legend_rows * 22 + 8;
    wir_svg_open(out, w, h, title, "wir-stack");
    wir_buf_puts(out, "<desc>");
    for (size_t i = 0; i < n; i++) {
        wir_svg_escape(out, parts[i].label);
        wir_buf_puts(out, " ");
        wir_svg_num(out, parts[i].value);
        wir_svg_printf(out, " %s; ", unit);
    }
    wir_buf_puts(out, "total ");
    wir_svg_num(out, total);
    wir_svg_printf(out, " %s", unit);
    if (capacity > 0) {
        wir_buf_puts(out, "; ");
        wir_svg_escape(out, capacity_label);
        wir_buf_puts(out, " ");
        wir_svg_num(out, capacity);
        wir_svg_printf(out, " %s", unit);
    }
    wir_buf_puts(out, "</desc>");
    double scale = (w - left - right) / max;
    double x = left;
    for (size_t i = 0; i < n; i++) {
        double bw = (parts[i].value > 0 ? parts[i].value : 0) * scale;
        wir_svg_printf(out, "<rect class=\"wir-c%zu\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                       i % 6, x, bar_y, bw, bar_h);
        x += bw;
    }
    wir_svg_printf(out, "<text class=\"wir-axis\" x=\"%d\" y=\"%d\">0</text>", left, bar_y + bar_h + 18);
    wir_svg_printf(out, "<text class=\"wir-axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", w - right,
                   bar_y + bar_h + 18);
    wir_svg_num(out, max);
    wir_svg_printf(out, " %s</text>", unit);
    if (capacity > 0) {
        double cx = left + capacity * scale;
        wir_svg_printf(out,
                       "<line class=\"wir-cap\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                       "<text class=\"wir-cap-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">",
                       cx, bar_y - 8, cx, bar_y + bar_h + 4, cx, bar_y - 14,
                       cx > w * 0.6 ? "end" : "start");
        wir_svg_escape(out, capacity_label);
        wir_buf_puts(out, " ");
        wir_svg_num(out, capacity);
        wir_svg_printf(out, " %s</text>", unit);
    }
    for (size_t i = 0; i < n; i++) {
        int lx = left + (int)(i % 2) * 316, ly = bar_y + bar_h + 30 + (int)(i / 2) * 22;
        wir_svg_printf(out,
                       "<rect class=\"wir-c%zu\" x=\"%d\" y=\"%d\" width=\"14\" height=\"14\"/>"
                       "<text class=\"wir-legend\" x=\"%d\" y=\"%d\">",
                       i % 6, lx, ly, lx + 20, ly + 12);
        wir_svg_escape(out, parts[i].label);
        wir_buf_puts(out, " ");
        wir_svg_num(out, parts[i].value);
        wir_svg_printf(out, " %s</text>", unit);
    }
    wir_buf_puts(out, "</svg>");
}

void wir_svg_lines(wir_buf *out, const char *title, const char *x_label, const char *y_label,
                   const wir_svg_series *series, size_t n, const double *mark_x,
                   const char *mark_label) {
    const int w = 640, h = 320, left = 64, right = 16, top = 16, bottom = 64;
    double xmax = 0, ymax = 0;
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < series[s].n; i++) {
            if (!isfinite(series[s].x[i]) || !isfinite(series[s].y[i])) continue;
            if (series[s].x[i] > xmax) xmax = series[s].x[i];
            if (series[s].y[i] > ymax) ymax = series[s].y[i];
        }
    if (mark_x && *mark_x > xmax) xmax = *mark_x;
    double xstep = wir_svg_step(xmax, 4), ystep = wir_svg_step(ymax * 1.05, 4);
    xmax = xstep * ceil(xmax / xstep - 1e-9);
    ymax = ystep * ceil(ymax * 1.05 / ystep - 1e-9);
    if (xmax <= 0) xmax = xstep;
    if (ymax <= 0) ymax = ystep;
    double sx = (w - left - right) / xmax, sy = (h - top - bottom) / ymax;
    wir_svg_open(out, w, h + (int)((n + 1) / 2) * 22, title, "wir-lines");
    wir_buf_puts(out, "<desc>");
    for (size_t s = 0; s < n; s++) {
        wir_svg_escape(out, series[s].name);
        wir_buf_puts(out, ":");
        for (size_t i = 0; i < series[s].n; i++) {
            wir_buf_puts(out, i ? ", " : " ");
            wir_svg_num(out, series[s].x[i]);
            wir_buf_puts(out, " → ");
            wir_svg_num(out, series[s].y[i]);
        }
        wir_buf_puts(out, ". ");
    }
    if (mark_x) {
        wir_svg_escape(out, mark_label);
        wir_buf_puts(out, " at ");
        wir_svg_num(out, *mark_x);
    }
    wir_buf_puts(out, "</desc>");
    /* Grid and axes: round steps, about four each way. */
    int ny = (int)llround(ymax / ystep), nx = (int)llround(xmax / xstep);
    for (int k = 0; k <= ny; k++) {
        double yv = ystep * k, y = h - bottom - yv * sy;
        wir_svg_printf(out,
                       "<line class=\"wir-grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                       "<text class=\"wir-axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
                       left, y, w - right, y, left - 6, y + 4);
        wir_svg_num(out, yv);
        wir_buf_puts(out, "</text>");
    }
    for (int k = 0; k <= nx; k++) {
        double xv = xstep * k, x = left + xv * sx;
        wir_svg_printf(out, "<text class=\"wir-axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
                       h - bottom + 18);
        wir_svg_num(out, xv);
        wir_buf_puts(out, "</text>");
    }
    wir_svg_printf(out, "<text class=\"wir-axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
                   left + (w - left - right) / 2, h - bottom + 40);
    wir_svg_escape(out, x_label);
    wir_svg_printf(out,
                   "</text><text class=\"wir-axis-label\" x=\"14\" y=\"%d\" text-anchor=\"middle\" "
                   "transform=\"rotate(-90 14 %d)\">",
                   top + (h - top - bottom) / 2, top + (h - top - bottom) / 2);
    wir_svg_escape(out, y_label);
    wir_buf_puts(out, "</text>");
    for (size_t s = 0; s < n; s++) {
        wir_svg_printf(out, "<polyline class=\"wir-line wir-s%zu%s\" points=\"", s % 6,
                       series[s].dashed ? " wir-dashed" : "");
        for (size_t i = 0; i < series[s].n; i++)
            wir_svg_printf(out, "%s%.1f,%.1f", i ? " " : "", left + series[s].x[i] * sx,
                           h - bottom - series[s].y[i] * sy);
        wir_buf_puts(out, "\"/>");
        for (size_t i = 0; i < series[s].n && series[s].n <= 16; i++)
            wir_svg_printf(out, "<circle class=\"wir-dot wir-s%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                           s % 6, left + series[s].x[i] * sx, h - bottom - series[s].y[i] * sy);
    }
    if (mark_x) {
        double x = left + *mark_x * sx;
        wir_svg_printf(out,
                       "<line class=\"wir-cap\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                       "<text class=\"wir-cap-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">",
                       x, top, x, h - bottom, x + (x > w * 0.6 ? -6 : 6), top + 14,
                       x > w * 0.6 ? "end" : "start");
        wir_svg_escape(out, mark_label);
        wir_buf_puts(out, "</text>");
    }
    for (size_t s = 0; s < n; s++) {
        int lx = left + (int)(s % 2) * 280, ly = h + (int)(s / 2) * 22;
        wir_svg_printf(out,
                       "<line class=\"wir-line wir-s%zu%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                       "<text class=\"wir-legend\" x=\"%d\" y=\"%d\">",
                       s % 6, series[s].dashed ? " wir-dashed" : "", lx, ly - 4, lx + 24, ly - 4,
                       lx + 30, ly);
        wir_svg_escape(out, series[s].name);
        wir_buf_puts(out, "</text>");
    }
    wir_buf_puts(out, "</svg>");
}
