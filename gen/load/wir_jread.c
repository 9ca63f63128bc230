#define _XOPEN_SOURCE 700
#include "wir_jread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wir_buf.h"

char *wir_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy) abort();
    memcpy(copy, s, n);
    return copy;
}

void *wir_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) abort();
    return p;
}

void wir_jr_path(const wir_jobj *o, const char *key, char out[WIR_JPATH_MAX]) {
    wir_jpath_key(out, o->path, key);
}

bool wir_jr_root(wir_jfile *f, wir_jobj *root) {
    root->f = f;
    root->path[0] = '\0';
    root->obj = f->root;
    if (f->root && !json_is_object(f->root)) {
        char got[64];
        wir_json_describe(f->root, got, sizeof got);
        wir_jfile_problem(f, "", "expected an object at the top of the file, got %s", got);
        root->obj = NULL;
    }
    return root->obj != NULL;
}

void wir_jr_known(const wir_jobj *o, const char *const *known) {
    if (!o->obj) return;
    const char *key;
    json_t *v;
    json_object_foreach(o->obj, key, v) {
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++) ok = strcmp(key, known[i]) == 0;
        if (ok) continue;
        char path[WIR_JPATH_MAX];
        wir_jr_path(o, key, path);
        const char *best = NULL;
        size_t best_d = 3;
        for (size_t i = 0; known[i]; i++) {
            size_t d = wir_edit_distance(key, known[i], 2);
            if (d < best_d) {
                best_d = d;
                best = known[i];
            }
        }
        if (best)
            wir_jfile_problem_at_key(o->f, path, "unknown field; did you mean \"%s\"?", best);
        else
            wir_jfile_problem_at_key(o->f, path, "unknown field");
    }
}

bool wir_jr_value(const wir_jobj *o, const char *key, unsigned flags, json_t **out) {
    *out = NULL;
    if (!o->obj) return false;
    json_t *v = json_object_get(o->obj, key);
    char path[WIR_JPATH_MAX];
    if (!v) {
        if (!(flags & WIR_JR_OPTIONAL)) {
            wir_jr_path(o, key, path);
            wir_jfile_problem(o->f, path, "missing required field");
        }
        return false;
    }
    if (json_is_null(v)) {
        if (!(flags & WIR_JR_NULLABLE)) {
            wir_jr_path(o, key, path);
            wir_jfile_problem(o->f, path, "null is not allowed here");
        }
        return false;
    }
    *out = v;
    return true;
}

/* "expected WHAT, got VALUE" at the member. */
static void wir_jr_expected(const wir_jobj *o, const char *key, const char *what, const json_t *v) {
    char path[WIR_JPATH_MAX], got[96];
    wir_jr_path(o, key, path);
    wir_json_describe(v, got, sizeof got);
    wir_jfile_problem(o->f, path, "expected %s, got %s", what, got);
}

bool wir_jr_string(const wir_jobj *o, const char *key, unsigned flags, char **out) {
    *out = NULL;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_string(v) || json_string_length(v) == 0) {
        wir_jr_expected(o, key, "a non-empty string", v);
        return false;
    }
    *out = wir_strdup(json_string_value(v));
    return true;
}

bool wir_jr_enum(const wir_jobj *o, const char *key, unsigned flags,
                 const char *const *values, char **out, int *index) {
    *out = NULL;
    if (index) *index = -1;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (json_is_string(v)) {
        for (int i = 0; values[i]; i++) {
            if (strcmp(values[i], json_string_value(v)) == 0) {
                *out = wir_strdup(values[i]);
                if (index) *index = i;
                return true;
            }
        }
    }
    wir_buf what = WIR_BUF_INIT;
    wir_buf_puts(&what, "one of ");
    for (int i = 0; values[i]; i++) wir_buf_printf(&what, "%s%s", i ? ", " : "", values[i]);
    wir_jr_expected(o, key, wir_buf_cstr(&what), v);
    wir_buf_free(&what);
    return false;
}

bool wir_jv_is_slug(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

bool wir_jr_slug(const wir_jobj *o, const char *key, unsigned flags, char **out) {
    *out = NULL;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_string(v) || !wir_jv_is_slug(json_string_value(v))) {
        wir_jr_expected(o, key, "a slug of lower-case letters, digits and '-'", v);
        return false;
    }
    *out = wir_strdup(json_string_value(v));
    return true;
}

static bool wir_jv_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool wir_jv_is_date(const char *s, bool month_ok) {
    size_t n = strlen(s);
    if (!(n == 10 || (month_ok && n == 7))) return false;
    if (!wir_jv_digits(s, 4) || s[4] != '-' || !wir_jv_digits(s + 5, 2)) return false;
    int year = atoi(s), month = (s[5] - '0') * 10 + (s[6] - '0');
    /* Nothing in this catalog predates the first GPUs; a typo'd year is. */
    if (year < 1990 || year > 2100 || month < 1 || month > 12) return false;
    if (n == 7) return true;
    if (s[7] != '-' || !wir_jv_digits(s + 8, 2)) return false;
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = month == 2 && !leap ? 28 : days[month - 1];
    return day >= 1 && day <= max;
}

bool wir_jv_is_timestamp(const char *s) {
    if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z') return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!wir_jv_is_date(date, false)) return false;
    if (!wir_jv_digits(s + 11, 2) || s[13] != ':' || !wir_jv_digits(s + 14, 2) || s[16] != ':' ||
        !wir_jv_digits(s + 17, 2))
        return false;
    return atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 61;
}

bool wir_jr_date(const wir_jobj *o, const char *key, unsigned flags, bool month_ok, char **out) {
    *out = NULL;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_string(v) || !wir_jv_is_date(json_string_value(v), month_ok)) {
        wir_jr_expected(o, key, month_ok ? "a date (YYYY-MM-DD or YYYY-MM)" : "a date (YYYY-MM-DD)", v);
        return false;
    }
    if (flags & WIR_JR_PAST) {
        /* Dates compare as strings; a month compares with today's month. */
        char today[16];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        const char *s = json_string_value(v);
        if (strncmp(s, today, strlen(s)) > 0) {
            char path[WIR_JPATH_MAX];
            wir_jr_path(o, key, path);
            wir_jfile_problem(o->f, path, "\"%s\" is in the future", s);
            return false;
        }
    }
    *out = wir_strdup(json_string_value(v));
    return true;
}

bool wir_jv_is_https_url(const char *s) {
    if (strncmp(s, "https://", 8) != 0) return false;
    const char *host = s + 8;
    size_t n = strcspn(host, "/?#");
    if (n == 0) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ') return false;
    return true;
}

bool wir_jr_int(const wir_jobj *o, const char *key, unsigned flags, const char *what,
                int64_t min, int64_t max, int64_t *out) {
    *out = -1;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_integer(v)) {
        wir_jr_expected(o, key, what, v);
        return false;
    }
    int64_t x = (int64_t)json_integer_value(v);
    if (x < min || x > max) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(o, key, path);
        wir_jfile_problem(o->f, path, "expected %s from %lld to %lld, got %lld", what,
                          (long long)min, (long long)max, (long long)x);
        return false;
    }
    *out = x;
    return true;
}

bool wir_jr_number(const wir_jobj *o, const char *key, unsigned flags, const char *what,
                   double min, double max, double *out) {
    *out = NAN;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_number(v)) {
        wir_jr_expected(o, key, what, v);
        return false;
    }
    double x = json_number_value(v);
    if (!(x >= min && x <= max)) {
        char path[WIR_JPATH_MAX], got[64];
        wir_jr_path(o, key, path);
        wir_json_describe(v, got, sizeof got);
        wir_jfile_problem(o->f, path, "expected %s from %.15g to %.15g, got %s", what, min, max, got);
        return false;
    }
    *out = x;
    return true;
}

bool wir_jr_bool(const wir_jobj *o, const char *key, unsigned flags, bool *out) {
    *out = false;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_boolean(v)) {
        wir_jr_expected(o, key, "true or false", v);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool wir_jr_object(const wir_jobj *o, const char *key, unsigned flags, wir_jobj *child) {
    child->f = o->f;
    child->obj = NULL;
    wir_jr_path(o, key, child->path);
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_object(v)) {
        wir_jr_expected(o, key, "an object", v);
        return false;
    }
    child->obj = v;
    return true;
}

bool wir_jr_array(const wir_jobj *o, const char *key, unsigned flags, json_t **out) {
    *out = NULL;
    json_t *v;
    if (!wir_jr_value(o, key, flags, &v)) return false;
    if (!json_is_array(v)) {
        wir_jr_expected(o, key, "an array", v);
        return false;
    }
    *out = v;
    return true;
}

bool wir_jr_string_array(const wir_jobj *o, const char *key, unsigned flags, char ***out,
                         size_t *n) {
    *out = NULL;
    *n = 0;
    json_t *a;
    if (!wir_jr_array(o, key, flags, &a)) return false;
    char **items = wir_calloc(json_array_size(a), sizeof *items);
    bool ok = true;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0) {
            char path[WIR_JPATH_MAX], elem[WIR_JPATH_MAX], got[96];
            wir_jr_path(o, key, path);
            wir_jpath_index(elem, path, i);
            wir_json_describe(v, got, sizeof got);
            wir_jfile_problem(o->f, elem, "expected a non-empty string, got %s", got);
            ok = false;
            continue;
        }
        items[(*n)++] = wir_strdup(json_string_value(v));
    }
    *out = items;
    return ok;
}
