#include "wir_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wir_buf_reserve(wir_buf *b, size_t extra) {
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) abort();
    b->data = data;
    b->cap = cap;
}

void wir_buf_append(wir_buf *b, const void *data, size_t len) {
    wir_buf_reserve(b, len);
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void wir_buf_puts(wir_buf *b, const char *s) { wir_buf_append(b, s, strlen(s)); }

void wir_buf_printf(wir_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        wir_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

const char *wir_buf_cstr(const wir_buf *b) { return b->data ? b->data : ""; }

char *wir_buf_take(wir_buf *b) {
    char *data = b->data;
    if (!data) {
        data = malloc(1);
        if (!data) abort();
        data[0] = '\0';
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}

void wir_buf_reset(wir_buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void wir_buf_free(wir_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
