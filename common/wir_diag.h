/* wir_diag: a list of problems found in input, each tied to a place.
 *
 * Every tool in willitrun reports bad input the same way, as
 *     file:line:column: field: message
 * and reports every problem it finds rather than stopping at the first, so
 * an editor fixes a whole file in one pass. Line and column are 1-based;
 * 0 means "unknown" and is left out when printing.
 */
#ifndef WIR_DIAG_H
#define WIR_DIAG_H

#include <stdint.h>
#include <stdio.h>

typedef struct wir_diag {
    char *file;    /* path as given by the caller, owned */
    int32_t line;  /* 1-based, 0 when unknown */
    int32_t column;/* 1-based, 0 when unknown */
    char *field;   /* dotted field path ("memory.bytes"), owned, may be NULL */
    char *message; /* owned */
} wir_diag;

typedef struct wir_diag_list {
    wir_diag *items;
    size_t count;
    size_t capacity;
} wir_diag_list;

/* Initializes an empty list. */
void wir_diag_list_init(wir_diag_list *list);
/* Frees every entry; the list is empty and reusable afterwards. */
void wir_diag_list_free(wir_diag_list *list);

/* Appends a problem. file and field may be NULL. The strings are copied. */
void wir_diag_add(wir_diag_list *list, const char *file, int32_t line,
                  int32_t column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Sorts by file, line, column so output is stable whatever order checks ran. */
void wir_diag_list_sort(wir_diag_list *list);

/* Writes one diagnostic as "file:line:column: field: message\n". */
void wir_diag_print(FILE *out, const wir_diag *diag);
/* Writes every diagnostic in the list. */
void wir_diag_list_print(FILE *out, const wir_diag_list *list);

#endif
