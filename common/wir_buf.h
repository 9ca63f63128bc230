/* wir_buf: a growable byte buffer, always NUL-terminated.
 * Allocation failure aborts: these tools have no sensible way to go on. */
#ifndef WIR_BUF_H
#define WIR_BUF_H

#include <stddef.h>

typedef struct wir_buf {
    char *data;   /* NUL-terminated; NULL until first append */
    size_t len;
    size_t cap;
} wir_buf;

#define WIR_BUF_INIT {NULL, 0, 0}

void wir_buf_append(wir_buf *b, const void *data, size_t len);
void wir_buf_puts(wir_buf *b, const char *s);
void wir_buf_printf(wir_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the contents ("" when empty); the buffer keeps ownership. */
const char *wir_buf_cstr(const wir_buf *b);
/* Hands the contents to the caller, who frees them; the buffer is reset. */
char *wir_buf_take(wir_buf *b);
void wir_buf_reset(wir_buf *b);
void wir_buf_free(wir_buf *b);

#endif
