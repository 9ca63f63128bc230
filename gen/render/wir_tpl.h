/* wir_tpl: HTML templates (Google ctemplate) behind a C interface.
 *
 * The project's only C++ is wir_tpl.cc, which wraps ctemplate and catches
 * every exception at the boundary (a failure becomes a return value). A
 * template set is every *.tpl file under a folder, keyed by its path
 * relative to that folder ("layout.tpl", "part/chart.tpl"). Loading lints
 * each file first (wir_tpl_lint: errors as file:line: message), parses it,
 * then freezes the set: after wir_tpl_set_load() nothing is read from disk,
 * and expansion is const and safe from many threads at once.
 *
 * Every template must start with an auto-escape pragma for its context,
 * {{%AUTOESCAPE context="HTML"}} (or "XML", "JSON", "JAVASCRIPT", "CSS"),
 * so a value is escaped for where it lands unless the template says
 * otherwise ({{SVG:none}} for markup the generator made itself).
 *
 * Dictionaries: a tree of values, sections and includes built by the page
 * builders; child dictionaries belong to their parent. Values are copied.
 */
#ifndef WIR_TPL_H
#define WIR_TPL_H

#include <stdbool.h>
#include <stddef.h>

#include "wir_buf.h"
#include "wir_diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wir_tpl_set wir_tpl_set;
typedef struct wir_tpl_dict wir_tpl_dict;

/* Loads, lints and freezes every *.tpl under dir. Problems are appended to
 * diags as file:line:column: message; returns NULL when there was any. The
 * caller frees the set with wir_tpl_set_free. */
wir_tpl_set *wir_tpl_set_load(const char *dir, wir_diag_list *diags);
void wir_tpl_set_free(wir_tpl_set *set);
/* The number of templates in the set. */
size_t wir_tpl_set_count(const wir_tpl_set *set);
/* True when the set holds template key ("fit.tpl"). */
bool wir_tpl_set_has(const wir_tpl_set *set, const char *key);

/* A new top-level dictionary; the caller frees it with wir_tpl_dict_free. */
wir_tpl_dict *wir_tpl_dict_new(void);
void wir_tpl_dict_free(wir_tpl_dict *d);
/* Sets a value (copied; NULL means ""). */
void wir_tpl_set_value(wir_tpl_dict *d, const char *name, const char *value);
void wir_tpl_set_valuef(wir_tpl_dict *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Shows a section once with the parent's values. */
void wir_tpl_show(wir_tpl_dict *d, const char *section);
/* Adds one repetition of a section; the parent owns the child. */
wir_tpl_dict *wir_tpl_add_section(wir_tpl_dict *d, const char *section);
/* Fills {{>name}} with the template file (a key of the set); the parent owns
 * the child. */
wir_tpl_dict *wir_tpl_add_include(wir_tpl_dict *d, const char *name, const char *file);

/* Expands template file with d, appending to out. Returns 0, or -1 with a
 * message in *error (the caller frees it) when the template is not in the
 * set or expansion failed. Safe to call from several threads at once. */
int wir_tpl_expand(const wir_tpl_set *set, const char *file, const wir_tpl_dict *d,
                   wir_buf *out, char **error);

/* The pieces wir_tpl_set_load (C, wir_tpl_load.c) builds a set from; in
 * wir_tpl.cc. wir_tpl_set_add returns 0, or -1 when ctemplate rejects the
 * text (its own message goes to stderr) or the set is frozen. */
wir_tpl_set *wir_tpl_set_new(void);
int wir_tpl_set_add(wir_tpl_set *set, const char *key, const char *text, size_t len);
void wir_tpl_set_freeze(wir_tpl_set *set);

/* Checks one template's text for the mistakes ctemplate reports without a
 * line number: the auto-escape pragma on the first line, unterminated or
 * malformed markers, sections closed out of order or never. Appends
 * file:line:column: message to diags; returns the number of problems.
 * (C, in wir_tpl_load.c.) */
size_t wir_tpl_lint(const char *file, const char *text, wir_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
