/* wir_jread: typed reads of a data file's fields, each problem reported at
 * its value (see wir_jfile.h) in the project's message style:
 *
 *     data/gpus/rtx-4090.json:7:21: memory_bytes: expected an integer number of bytes, got "24GB"
 *
 * Every reader reports and carries on, so one pass over a file finds all of
 * its problems. Readers return true when *out holds a good value; on false
 * *out keeps a neutral value (NULL, 0, NAN) and the problem was reported,
 * except for an absent optional field or an allowed null, which return false
 * silently. Strings handed out are copies the caller frees.
 *
 * Private to gen/load and gen/validate.
 */
#ifndef WIR_JREAD_H
#define WIR_JREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_jfile.h"

/* One JSON object being read, and its path in the file ("" for the root). */
typedef struct wir_jobj {
    wir_jfile *f;
    json_t *obj;   /* NULL when absent, null or not an object */
    char path[WIR_JPATH_MAX];
} wir_jobj;

enum {
    WIR_JR_OPTIONAL = 1u << 0, /* absence is not a problem */
    WIR_JR_NULLABLE = 1u << 1, /* null is allowed (data/README.md says so) */
    WIR_JR_PAST = 1u << 2,     /* dates: an observation, so not after today (UTC) */
};

/* The file's root; reports a root that is not an object. */
bool wir_jr_root(wir_jfile *f, wir_jobj *root);
/* Reports every member whose key is not in known (NULL-terminated), with a
 * suggestion when a known key is a typo away. */
void wir_jr_known(const wir_jobj *o, const char *const *known);
/* The member's path ("street_price.usd") into out. */
void wir_jr_path(const wir_jobj *o, const char *key, char out[WIR_JPATH_MAX]);

/* The raw member: false when absent (reported unless optional) or null
 * (reported unless nullable); *out is NULL then. */
bool wir_jr_value(const wir_jobj *o, const char *key, unsigned flags, json_t **out);

bool wir_jr_string(const wir_jobj *o, const char *key, unsigned flags, char **out);
/* A string that is one of values (NULL-terminated); *index is its position. */
bool wir_jr_enum(const wir_jobj *o, const char *key, unsigned flags,
                 const char *const *values, char **out, int *index);
/* A string matching [a-z0-9-]+. */
bool wir_jr_slug(const wir_jobj *o, const char *key, unsigned flags, char **out);
/* A date YYYY-MM-DD, or YYYY-MM when month_ok. */
bool wir_jr_date(const wir_jobj *o, const char *key, unsigned flags, bool month_ok, char **out);
/* An integer in [min, max]; what names it in messages ("an integer number of
 * bytes"). *out is -1 when null. */
bool wir_jr_int(const wir_jobj *o, const char *key, unsigned flags, const char *what,
                int64_t min, int64_t max, int64_t *out);
/* A number (integer or real) in [min, max]; *out is NAN when null. */
bool wir_jr_number(const wir_jobj *o, const char *key, unsigned flags, const char *what,
                   double min, double max, double *out);
bool wir_jr_bool(const wir_jobj *o, const char *key, unsigned flags, bool *out);
/* A nested object; child->obj is NULL when it is absent, null or bad. */
bool wir_jr_object(const wir_jobj *o, const char *key, unsigned flags, wir_jobj *child);
/* An array; *out is borrowed from the file. */
bool wir_jr_array(const wir_jobj *o, const char *key, unsigned flags, json_t **out);
/* An array of non-empty strings; copies into *out (n in *n), caller frees. */
bool wir_jr_string_array(const wir_jobj *o, const char *key, unsigned flags, char ***out,
                         size_t *n);

/* Value checks shared with the validators. */
bool wir_jv_is_slug(const char *s);
bool wir_jv_is_date(const char *s, bool month_ok);
bool wir_jv_is_https_url(const char *s);
/* A UTC time "YYYY-MM-DDTHH:MM:SSZ". */
bool wir_jv_is_timestamp(const char *s);

/* Allocation helpers that abort on failure (as wir_buf does). */
char *wir_strdup(const char *s);
void *wir_calloc(size_t n, size_t size);

#endif
