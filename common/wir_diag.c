#include "wir_diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *wir_diag_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy) abort();
    memcpy(copy, s, n);
    return copy;
}

void wir_diag_list_init(wir_diag_list *list) {
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

void wir_diag_list_free(wir_diag_list *list) {
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].file);
        free(list->items[i].field);
        free(list->items[i].message);
    }
    free(list->items);
    wir_diag_list_init(list);
}

void wir_diag_add(wir_diag_list *list, const char *file, int32_t line,
                  int32_t column, const char *field, const char *fmt, ...) {
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        wir_diag *items = realloc(list->items, cap * sizeof *items);
        if (!items) abort();
        list->items = items;
        list->capacity = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *message = malloc((size_t)(n < 0 ? 0 : n) + 1);
    if (!message) abort();
    vsnprintf(message, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);

    wir_diag *d = &list->items[list->count++];
    d->file = wir_diag_strdup(file);
    d->line = line;
    d->column = column;
    d->field = wir_diag_strdup(field);
    d->message = message;
}

static int wir_diag_compare(const void *pa, const void *pb) {
    const wir_diag *a = pa, *b = pb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    /* Several problems at one place (missing fields all point at the
     * object's brace) come out in field order, whatever qsort does. */
    c = strcmp(a->field ? a->field : "", b->field ? b->field : "");
    if (c) return c;
    return strcmp(a->message, b->message);
}

void wir_diag_list_sort(wir_diag_list *list) {
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, wir_diag_compare);
}

void wir_diag_print(FILE *out, const wir_diag *d) {
    if (d->file) {
        fputs(d->file, out);
        if (d->line > 0) {
            fprintf(out, ":%d", (int)d->line);
            if (d->column > 0) fprintf(out, ":%d", (int)d->column);
        }
        fputs(": ", out);
    }
    if (d->field && *d->field) fprintf(out, "%s: ", d->field);
    fprintf(out, "%s\n", d->message);
}

void wir_diag_list_print(FILE *out, const wir_diag_list *list) {
    for (size_t i = 0; i < list->count; i++) wir_diag_print(out, &list->items[i]);
}
