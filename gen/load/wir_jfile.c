#include "wir_jfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_buf.h"
#include "wir_fs.h"

/* ---- position index ---------------------------------------------------- */

typedef struct wir_jpos_entry {
    const char *path;     /* into the arena, set once the scan is over */
    size_t path_off;
    int32_t line, column;         /* the value */
    int32_t key_line, key_column; /* its key, or the value for non-members */
} wir_jpos_entry;

struct wir_jpos {
    wir_jpos_entry *items;
    size_t count, cap;
    wir_buf arena;        /* NUL-separated paths */
};

typedef struct wir_jscan {
    const char *s;
    size_t len, i;
    int32_t line, column; /* of s[i] */
    wir_jpos *pos;
    wir_buf path;
} wir_jscan;

/* Columns count characters, not bytes, as Jansson's do: UTF-8 continuation
 * bytes do not move the column. */
static void wir_jscan_advance(wir_jscan *js) {
    unsigned char c = (unsigned char)js->s[js->i++];
    if (c == '\n') {
        js->line++;
        js->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        js->column++;
    }
}

static int wir_jscan_peek(const wir_jscan *js) {
    return js->i < js->len ? (unsigned char)js->s[js->i] : -1;
}

static void wir_jscan_ws(wir_jscan *js) {
    for (int c; (c = wir_jscan_peek(js)) == ' ' || c == '\t' || c == '\n' || c == '\r';)
        wir_jscan_advance(js);
}

static void wir_jpos_add(wir_jpos *pos, const char *path, int32_t line, int32_t column,
                         int32_t key_line, int32_t key_column) {
    if (pos->count == pos->cap) {
        pos->cap = pos->cap ? pos->cap * 2 : 64;
        wir_jpos_entry *items = realloc(pos->items, pos->cap * sizeof *items);
        if (!items) abort();
        pos->items = items;
    }
    wir_jpos_entry *e = &pos->items[pos->count++];
    e->path = NULL;
    e->path_off = pos->arena.len;
    e->line = line;
    e->column = column;
    e->key_line = key_line;
    e->key_column = key_column;
    wir_buf_append(&pos->arena, path, strlen(path) + 1);
}

static void wir_utf8_put(wir_buf *b, unsigned long cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) { out[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    wir_buf_append(b, out, n);
}

static unsigned long wir_jscan_hex4(wir_jscan *js) {
    unsigned long v = 0;
    for (int k = 0; k < 4 && js->i < js->len; k++) {
        int c = wir_jscan_peek(js);
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
        wir_jscan_advance(js);
    }
    return v;
}

/* Skips a string at s[i] == '"'; decodes it into out when out is not NULL
 * (keys are decoded so a path matches what Jansson gives back). */
static void wir_jscan_string(wir_jscan *js, wir_buf *out) {
    wir_jscan_advance(js); /* opening quote */
    while (js->i < js->len) {
        int c = wir_jscan_peek(js);
        if (c == '"') {
            wir_jscan_advance(js);
            return;
        }
        if (c != '\\') {
            if (out) wir_buf_append(out, &js->s[js->i], 1);
            wir_jscan_advance(js);
            continue;
        }
        wir_jscan_advance(js);
        int e = wir_jscan_peek(js);
        if (e < 0) return;
        wir_jscan_advance(js);
        if (!out) continue;
        switch (e) {
        case 'b': wir_buf_append(out, "\b", 1); break;
        case 'f': wir_buf_append(out, "\f", 1); break;
        case 'n': wir_buf_append(out, "\n", 1); break;
        case 'r': wir_buf_append(out, "\r", 1); break;
        case 't': wir_buf_append(out, "\t", 1); break;
        case 'u': {
            unsigned long cp = wir_jscan_hex4(js);
            if (cp >= 0xD800 && cp < 0xDC00 && wir_jscan_peek(js) == '\\') {
                wir_jscan_advance(js);
                wir_jscan_advance(js); /* 'u' */
                unsigned long lo = wir_jscan_hex4(js);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            wir_utf8_put(out, cp);
            break;
        }
        default: {
            char ch = (char)e;
            wir_buf_append(out, &ch, 1);
        }
        }
    }
}

static void wir_jscan_value(wir_jscan *js, int32_t key_line, int32_t key_column);

static void wir_jscan_object(wir_jscan *js) {
    wir_jscan_advance(js); /* '{' */
    wir_buf key = WIR_BUF_INIT;
    for (;;) {
        wir_jscan_ws(js);
        if (wir_jscan_peek(js) != '"') break; /* '}' of an empty object, or end */
        int32_t kl = js->line, kc = js->column;
        wir_buf_reset(&key);
        wir_jscan_string(js, &key);
        wir_jscan_ws(js);
        if (wir_jscan_peek(js) == ':') wir_jscan_advance(js);
        size_t mark = js->path.len;
        if (mark) wir_buf_append(&js->path, ".", 1);
        wir_buf_puts(&js->path, wir_buf_cstr(&key));
        wir_jscan_value(js, kl, kc);
        js->path.len = mark;
        js->path.data[mark] = '\0';
        wir_jscan_ws(js);
        if (wir_jscan_peek(js) != ',') break;
        wir_jscan_advance(js);
    }
    if (wir_jscan_peek(js) == '}') wir_jscan_advance(js);
    wir_buf_free(&key);
}

static void wir_jscan_array(wir_jscan *js) {
    wir_jscan_advance(js); /* '[' */
    wir_jscan_ws(js);
    if (wir_jscan_peek(js) == ']') {
        wir_jscan_advance(js);
        return;
    }
    for (size_t index = 0;; index++) {
        size_t mark = js->path.len;
        wir_buf_printf(&js->path, "[%zu]", index);
        wir_jscan_ws(js);
        wir_jscan_value(js, js->line, js->column);
        js->path.len = mark;
        js->path.data[mark] = '\0';
        wir_jscan_ws(js);
        if (wir_jscan_peek(js) != ',') break;
        wir_jscan_advance(js);
    }
    if (wir_jscan_peek(js) == ']') wir_jscan_advance(js);
}

static void wir_jscan_value(wir_jscan *js, int32_t key_line, int32_t key_column) {
    wir_jscan_ws(js);
    wir_jpos_add(js->pos, wir_buf_cstr(&js->path), js->line, js->column, key_line, key_column);
    int c = wir_jscan_peek(js);
    if (c == '{') {
        wir_jscan_object(js);
    } else if (c == '[') {
        wir_jscan_array(js);
    } else if (c == '"') {
        wir_jscan_string(js, NULL);
    } else {
        while ((c = wir_jscan_peek(js)) >= 0 && !strchr(",]} \t\r\n", c)) wir_jscan_advance(js);
    }
}

static int wir_jpos_compare(const void *pa, const void *pb) {
    const wir_jpos_entry *a = pa, *b = pb;
    return strcmp(a->path, b->path);
}

wir_jpos *wir_jpos_build(const char *text, size_t len) {
    wir_jpos *pos = calloc(1, sizeof *pos);
    if (!pos) abort();
    wir_jscan js = {text, len, 0, 1, 1, pos, WIR_BUF_INIT};
    wir_buf_puts(&js.path, "");
    wir_jscan_ws(&js);
    wir_jscan_value(&js, js.line, js.column);
    wir_buf_free(&js.path);
    for (size_t i = 0; i < pos->count; i++)
        pos->items[i].path = pos->arena.data + pos->items[i].path_off;
    if (pos->count > 1) qsort(pos->items, pos->count, sizeof *pos->items, wir_jpos_compare);
    return pos;
}

void wir_jpos_free(wir_jpos *pos) {
    if (!pos) return;
    free(pos->items);
    wir_buf_free(&pos->arena);
    free(pos);
}

static const wir_jpos_entry *wir_jpos_find(const wir_jpos *pos, const char *path) {
    if (!pos) return NULL;
    size_t lo = 0, hi = pos->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, pos->items[mid].path);
        if (c == 0) return &pos->items[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

bool wir_jpos_value(const wir_jpos *pos, const char *path, int32_t *line, int32_t *column) {
    const wir_jpos_entry *e = wir_jpos_find(pos, path);
    if (!e) return false;
    *line = e->line;
    *column = e->column;
    return true;
}

bool wir_jpos_key(const wir_jpos *pos, const char *path, int32_t *line, int32_t *column) {
    const wir_jpos_entry *e = wir_jpos_find(pos, path);
    if (!e) return false;
    *line = e->key_line;
    *column = e->key_column;
    return true;
}

/* ---- files ------------------------------------------------------------- */

static int wir_jfile_parse_owned(wir_jfile *f, char *text, size_t len);

int wir_jfile_open(wir_jfile *f, const char *path, wir_diag_list *diags) {
    memset(f, 0, sizeof *f);
    f->path = path;
    f->diags = diags;
    size_t len = 0;
    char *text = wir_fs_read_file(path, &len);
    if (!text) {
        wir_diag_add(diags, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        f->n_problems++;
        return -1;
    }
    return wir_jfile_parse_owned(f, text, len);
}

int wir_jfile_parse(wir_jfile *f, const char *name, const char *text, size_t len,
                    wir_diag_list *diags) {
    memset(f, 0, sizeof *f);
    f->path = name;
    f->diags = diags;
    char *copy = malloc(len + 1);
    if (!copy) abort();
    memcpy(copy, text, len);
    copy[len] = '\0';
    return wir_jfile_parse_owned(f, copy, len);
}

/* Parses text (which it frees) into f, whose path and diags are set. */
static int wir_jfile_parse_owned(wir_jfile *f, char *text, size_t len) {
    const char *path = f->path;
    wir_diag_list *diags = f->diags;
    json_error_t err;
    /* Duplicate keys would silently drop a figure: Jansson rejects them. */
    f->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!f->root) {
        wir_diag_add(diags, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
                     NULL, "invalid JSON: %s", err.text);
        f->n_problems++;
        free(text);
        return -1;
    }
    f->pos = wir_jpos_build(text, len);
    free(text);
    return 0;
}

void wir_jfile_close(wir_jfile *f) {
    json_decref(f->root);
    wir_jpos_free(f->pos);
    f->root = NULL;
    f->pos = NULL;
}

/* Drops the last ".key" or "[i]" of a path; false at the root. */
static bool wir_jpath_parent(char *path) {
    size_t n = strlen(path);
    if (n == 0) return false;
    while (n > 0 && path[n - 1] != '.' && path[n - 1] != '[') n--;
    if (n > 0) n--; /* the separator itself */
    path[n] = '\0';
    return true;
}

static void wir_jfile_vproblem(wir_jfile *f, const char *path, bool at_key, const char *fmt,
                               va_list ap) {
    int32_t line = 0, column = 0;
    char where[WIR_JPATH_MAX];
    snprintf(where, sizeof where, "%s", path ? path : "");
    bool found = at_key ? wir_jpos_key(f->pos, where, &line, &column)
                        : wir_jpos_value(f->pos, where, &line, &column);
    while (!found && wir_jpath_parent(where))
        found = wir_jpos_value(f->pos, where, &line, &column);
    char message[1024];
    vsnprintf(message, sizeof message, fmt, ap);
    wir_diag_add(f->diags, f->path, line, column, path && *path ? path : NULL, "%s", message);
    f->n_problems++;
}

void wir_jfile_problem(wir_jfile *f, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    wir_jfile_vproblem(f, path, false, fmt, ap);
    va_end(ap);
}

void wir_jfile_problem_at_key(wir_jfile *f, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    wir_jfile_vproblem(f, path, true, fmt, ap);
    va_end(ap);
}

json_t *wir_jfile_get(const wir_jfile *f, const char *path) {
    json_t *v = f->root;
    const char *p = path;
    while (v && *p) {
        if (*p == '[') {
            char *end;
            unsigned long index = strtoul(p + 1, &end, 10);
            if (*end != ']') return NULL;
            v = json_is_array(v) ? json_array_get(v, index) : NULL;
            p = end + 1;
        } else {
            if (*p == '.') p++;
            size_t n = strcspn(p, ".[");
            char key[WIR_JPATH_MAX];
            if (n >= sizeof key) return NULL;
            memcpy(key, p, n);
            key[n] = '\0';
            v = json_is_object(v) ? json_object_get(v, key) : NULL;
            p += n;
        }
    }
    return v;
}

void wir_jpath_key(char out[WIR_JPATH_MAX], const char *prefix, const char *key) {
    snprintf(out, WIR_JPATH_MAX, "%s%s%s", prefix, *prefix ? "." : "", key);
}

void wir_jpath_index(char out[WIR_JPATH_MAX], const char *prefix, size_t i) {
    snprintf(out, WIR_JPATH_MAX, "%s[%zu]", prefix, i);
}

/* ---- messages ---------------------------------------------------------- */

static void wir_json_describe_string(const char *s, char *out, size_t size) {
    wir_buf b = WIR_BUF_INIT;
    wir_buf_puts(&b, "\"");
    size_t n = strlen(s), shown = n > 40 ? 37 : n;
    while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80) shown--;
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') wir_buf_printf(&b, "\\%c", c);
        else if (c == '\n') wir_buf_puts(&b, "\\n");
        else if (c < 0x20) wir_buf_printf(&b, "\\u%04x", c);
        else wir_buf_append(&b, &s[i], 1);
    }
    if (shown < n) wir_buf_puts(&b, "...");
    wir_buf_puts(&b, "\"");
    snprintf(out, size, "%s", wir_buf_cstr(&b));
    wir_buf_free(&b);
}

void wir_json_describe(const json_t *v, char *out, size_t size) {
    switch (json_typeof(v)) {
    case JSON_STRING: wir_json_describe_string(json_string_value(v), out, size); break;
    case JSON_INTEGER: snprintf(out, size, "%lld", (long long)json_integer_value(v)); break;
    case JSON_REAL: {
        double d = json_real_value(v);
        snprintf(out, size, "%.15g", d);
        if (strtod(out, NULL) != d) snprintf(out, size, "%.17g", d);
        /* Keep a real looking real, as the file wrote it ("8.0", not "8"). */
        if (!strpbrk(out, ".eEn") && strlen(out) + 2 < size) strcat(out, ".0");
        break;
    }
    case JSON_TRUE: snprintf(out, size, "true"); break;
    case JSON_FALSE: snprintf(out, size, "false"); break;
    case JSON_NULL: snprintf(out, size, "null"); break;
    case JSON_OBJECT: snprintf(out, size, "an object"); break;
    case JSON_ARRAY: snprintf(out, size, "an array"); break;
    }
}

size_t wir_edit_distance(const char *a, const char *b, size_t limit) {
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    size_t *row = malloc((m + 1) * sizeof *row);
    if (!row) abort();
    for (size_t j = 0; j <= m; j++) row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = diag + cost;
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best) best = v;
        }
        if (best > limit) {
            free(row);
            return limit + 1;
        }
    }
    size_t d = row[m];
    free(row);
    return d > limit ? limit + 1 : d;
}
