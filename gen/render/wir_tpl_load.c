#define _XOPEN_SOURCE 700
/* wir_tpl_load: reads templates/ into a frozen set, linting each file first.
 *
 * ctemplate reports a broken template without a line number ("File ended
 * before all sections were closed"), so the lint here finds those mistakes
 * itself and names file:line:column; only what it misses falls through to
 * ctemplate, reported at the file.
 */
#include "wir_tpl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wir_fs.h"

static bool wir_tpl_is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Line and column of p in text. */
static void wir_tpl_where(const char *text, const char *p, int32_t *line, int32_t *column) {
    *line = 1;
    const char *bol = text;
    for (const char *q = text; q < p; q++)
        if (*q == '\n') {
            (*line)++;
            bol = q + 1;
        }
    *column = (int32_t)(p - bol) + 1;
}

typedef struct wir_tpl_open_section {
    char name[64];
    const char *at;
} wir_tpl_open_section;

size_t wir_tpl_lint(const char *file, const char *text, wir_diag_list *diags) {
    size_t before = diags->count;
    int32_t line, column;
    static const char *const contexts[] = {"HTML", "XML", "JSON", "JAVASCRIPT", "CSS", NULL};
    bool pragma_ok = false;
    if (!strncmp(text, "{{%AUTOESCAPE context=\"", 23)) {
        const char *ctx = text + 23;
        for (size_t i = 0; contexts[i] && !pragma_ok; i++) {
            size_t n = strlen(contexts[i]);
            pragma_ok = !strncmp(ctx, contexts[i], n) && !strncmp(ctx + n, "\"}}", 3);
        }
    }
    if (!pragma_ok)
        wir_diag_add(diags, file, 1, 1, NULL,
                     "a template starts with {{%%AUTOESCAPE context=\"HTML\"}} (or XML, JSON, "
                     "JAVASCRIPT, CSS) so every value is escaped for where it lands");

    wir_tpl_open_section stack[32];
    size_t depth = 0;
    for (const char *p = strstr(text, "{{"); p; p = strstr(p, "{{")) {
        const char *end = strstr(p + 2, "}}");
        if (!end) {
            wir_tpl_where(text, p, &line, &column);
            wir_diag_add(diags, file, line, column, NULL, "marker '{{' is never closed with '}}'");
            break;
        }
        const char *m = p + 2;
        char kind = *m;
        if (kind == '!' || kind == '%') {
            p = end + 2;
            continue;
        }
        if (kind == '#' || kind == '/' || kind == '>') m++;
        const char *name = m;
        while (m < end && wir_tpl_is_name_char(*m)) m++;
        size_t n = (size_t)(m - name);
        bool ok = n > 0 && (m == end || (kind != '#' && kind != '/' && *m == ':'));
        if (ok && *m == ':')
            for (const char *q = m; q < end; q++)
                if (!(wir_tpl_is_name_char(*q) || *q == ':' || *q == '-' || *q == '=' || *q == '.'))
                    ok = false;
        wir_tpl_where(text, p, &line, &column);
        if (!ok) {
            wir_diag_add(diags, file, line, column, NULL,
                         "malformed marker '%.*s': expected {{NAME}}, {{NAME:modifier}}, {{#NAME}}, "
                         "{{/NAME}}, {{>NAME}} or {{! comment }}",
                         (int)(end + 2 - p) > 60 ? 60 : (int)(end + 2 - p), p);
        } else if (kind == '#') {
            if (depth == sizeof stack / sizeof stack[0]) {
                wir_diag_add(diags, file, line, column, NULL, "sections nested too deeply");
                break;
            }
            snprintf(stack[depth].name, sizeof stack[depth].name, "%.*s", (int)n, name);
            stack[depth++].at = p;
        } else if (kind == '/') {
            if (depth == 0) {
                wir_diag_add(diags, file, line, column, NULL,
                             "{{/%.*s}} closes a section that was never opened", (int)n, name);
            } else if (strlen(stack[depth - 1].name) != n ||
                       strncmp(stack[depth - 1].name, name, n)) {
                int32_t l2, c2;
                wir_tpl_where(text, stack[depth - 1].at, &l2, &c2);
                wir_diag_add(diags, file, line, column, NULL,
                             "{{/%.*s}} closes the wrong section: {{#%s}} (line %d) is still open",
                             (int)n, name, stack[depth - 1].name, (int)l2);
                depth--;
            } else {
                depth--;
            }
        }
        p = end + 2;
    }
    while (depth > 0) {
        depth--;
        wir_tpl_where(text, stack[depth].at, &line, &column);
        wir_diag_add(diags, file, line, column, NULL, "section {{#%s}} is never closed",
                     stack[depth].name);
    }
    return diags->count - before;
}

/* Adds every *.tpl under root/rel (recursively, sorted) to set. */
static void wir_tpl_load_dir(wir_tpl_set *set, const char *root, const char *rel,
                             wir_diag_list *diags) {
    char *dir = rel[0] ? wir_fs_join(root, rel) : strdup(root);
    if (!dir) abort();
    size_t n;
    char **names = wir_fs_list(dir, &n);
    if (!names) {
        wir_diag_add(diags, dir, 0, 0, NULL, "cannot open the templates folder: %s", strerror(errno));
        free(dir);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *path = wir_fs_join(dir, names[i]);
        char *key = rel[0] ? wir_fs_join(rel, names[i]) : strdup(names[i]);
        if (!key) abort();
        struct stat st;
        size_t len = strlen(names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            wir_tpl_load_dir(set, root, key, diags);
        } else if (len > 4 && !strcmp(names[i] + len - 4, ".tpl")) {
            size_t size;
            char *text = wir_fs_read_file(path, &size);
            if (!text) {
                wir_diag_add(diags, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
            } else if (wir_tpl_lint(path, text, diags) == 0 &&
                       wir_tpl_set_add(set, key, text, size) != 0) {
                wir_diag_add(diags, path, 1, 1, NULL,
                             "ctemplate rejected the template (its message is above)");
            }
            free(text);
        }
        free(key);
        free(path);
    }
    wir_fs_list_free(names, n);
    free(dir);
}

wir_tpl_set *wir_tpl_set_load(const char *dir, wir_diag_list *diags) {
    size_t before = diags->count;
    wir_tpl_set *set = wir_tpl_set_new();
    wir_tpl_load_dir(set, dir, "", diags);
    if (diags->count != before) {
        wir_tpl_set_free(set);
        return NULL;
    }
    wir_tpl_set_freeze(set);
    return set;
}
