/* wir_jfile: one parsed data file, with the position of every value in it.
 *
 * Jansson reports positions for syntax errors only; an editor needs the line
 * and column of a *semantic* problem too ("memory_bytes is a string"). So
 * after Jansson accepts a file we scan its text once more and index every
 * value by its path ("street_price.usd", "rules[3].type", "" for the root),
 * recording where the value starts and, for object members, where its key
 * starts. Problems are then reported at the exact value; a missing field is
 * reported at the opening brace of the object that should hold it.
 *
 * This header is private to gen/load and gen/validate.
 */
#ifndef WIR_JFILE_H
#define WIR_JFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_diag.h"

/* Longest path the index and the readers handle; data files nest three or
 * four levels deep, so this is generous. */
#define WIR_JPATH_MAX 256

typedef struct wir_jpos wir_jpos;

/* Builds the index of text, which must be JSON Jansson accepted. The caller
 * frees it with wir_jpos_free(). */
wir_jpos *wir_jpos_build(const char *text, size_t len);
void wir_jpos_free(wir_jpos *pos);
/* Where the value at path starts; false when the path is not in the file. */
bool wir_jpos_value(const wir_jpos *pos, const char *path, int32_t *line, int32_t *column);
/* Where the key of the member at path starts (the value's position for array
 * elements and the root); false when absent. */
bool wir_jpos_key(const wir_jpos *pos, const char *path, int32_t *line, int32_t *column);

typedef struct wir_jfile {
    const char *path;      /* as printed in messages; owned by the caller */
    json_t *root;          /* NULL when the file could not be read or parsed */
    wir_jpos *pos;
    wir_diag_list *diags;  /* where problems go */
    size_t n_problems;     /* problems reported against this file */
} wir_jfile;

/* Reads and parses path. A read or syntax error is reported to diags (with
 * Jansson's line and column) and leaves f->root NULL. Returns 0 when parsed.
 * Always pair with wir_jfile_close(). */
int wir_jfile_open(wir_jfile *f, const char *path, wir_diag_list *diags);
void wir_jfile_close(wir_jfile *f);
/* As wir_jfile_open, for len bytes of text in memory (a request body); name
 * is what messages print as the file and must outlive f. */
int wir_jfile_parse(wir_jfile *f, const char *name, const char *text, size_t len,
                    wir_diag_list *diags);

/* Reports a problem with the value at path (the field printed is path). When
 * the path is not in the file, the nearest enclosing value that is gives the
 * position: that is where a missing field belongs. */
void wir_jfile_problem(wir_jfile *f, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, positioned at the member's key (unknown fields, duplicate keys). */
void wir_jfile_problem_at_key(wir_jfile *f, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value at a dotted/indexed path ("rope.scaling", "rules[2].type"), or
 * NULL when absent. */
json_t *wir_jfile_get(const wir_jfile *f, const char *path);

/* "prefix.key" (or "key" at the root) into out. */
void wir_jpath_key(char out[WIR_JPATH_MAX], const char *prefix, const char *key);
/* "prefix[i]" into out. */
void wir_jpath_index(char out[WIR_JPATH_MAX], const char *prefix, size_t i);

/* A short description of a value for messages: strings quoted ("\"24GB\""),
 * numbers as written, true/false/null, "an object", "an array". */
void wir_json_describe(const json_t *v, char *out, size_t size);

/* Levenshtein distance between two strings, capped at limit+1 (the search
 * stops early once it cannot get below). */
size_t wir_edit_distance(const char *a, const char *b, size_t limit);

#endif
