/* The GGUF reader: parses and validates the header once at open, then serves
 * look-ups from the parsed tables. Layout facts: ggml docs/gguf.md (summarized
 * in shared/reference/gguf-format.md).
 *
 * Safety rules every parse step follows: a read never goes past the end of
 * the buffer (the cursor checks "bytes left" before every read); every sum or
 * product of file-controlled numbers goes through __builtin_*_overflow; every
 * count is bounded by the bytes that remain (an element has a minimum size),
 * so a hostile count cannot make us allocate more than a small multiple of
 * the file size.
 */
#define _POSIX_C_SOURCE 200809L
#include "wir_gguf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wir_sha256.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wir_gguf reads little-endian GGUF files in place: a little-endian host is required"
#endif

enum {
    WIR_GGUF_MAX_KEY = 65535,     /* spec: keys are at most 65535 bytes */
    WIR_GGUF_MAX_NAME = 64,       /* spec: tensor names are at most 64 bytes */
    WIR_GGUF_MAX_DEPTH = 8,       /* arrays of arrays of ... bounded to stop stack abuse */
    WIR_GGUF_MAX_DIMS = 4,
    WIR_GGUF_DEFAULT_ALIGNMENT = 32,
};

/* ---- the ggml type table ------------------------------------------------ */

typedef struct wir_ggml_type_row {
    const char *name;
    int32_t block_size;
    int32_t type_size;
} wir_ggml_type_row;

/* ggml_type ids, block sizes and bytes per block (ggml type_traits; see
 * shared/reference/gguf-format.md section 4). Removed ids have no name. */
static const wir_ggml_type_row wir_ggml_types[] = {
    [0] = {"f32", 1, 4},        [1] = {"f16", 1, 2},
    [2] = {"q4_0", 32, 18},     [3] = {"q4_1", 32, 20},
    [6] = {"q5_0", 32, 22},     [7] = {"q5_1", 32, 24},
    [8] = {"q8_0", 32, 34},     [9] = {"q8_1", 32, 36},
    [10] = {"q2_K", 256, 84},   [11] = {"q3_K", 256, 110},
    [12] = {"q4_K", 256, 144},  [13] = {"q5_K", 256, 176},
    [14] = {"q6_K", 256, 210},  [15] = {"q8_K", 256, 292},
    [16] = {"iq2_xxs", 256, 66}, [17] = {"iq2_xs", 256, 74},
    [18] = {"iq3_xxs", 256, 98}, [19] = {"iq1_s", 256, 50},
    [20] = {"iq4_nl", 32, 18},  [21] = {"iq3_s", 256, 110},
    [22] = {"iq2_s", 256, 82},  [23] = {"iq4_xs", 256, 136},
    [24] = {"i8", 1, 1},        [25] = {"i16", 1, 2},
    [26] = {"i32", 1, 4},       [27] = {"i64", 1, 8},
    [28] = {"f64", 1, 8},       [29] = {"iq1_m", 256, 56},
    [30] = {"bf16", 1, 2},      [34] = {"tq1_0", 256, 54},
    [35] = {"tq2_0", 256, 66},  [39] = {"mxfp4", 32, 17},
};
enum { WIR_GGML_TYPE_COUNT = (int)(sizeof wir_ggml_types / sizeof wir_ggml_types[0]) };

bool wir_gguf_ggml_type_info(int32_t type, int32_t *block_size, int32_t *type_size) {
    if (type < 0 || type >= WIR_GGML_TYPE_COUNT || !wir_ggml_types[type].name)
        return false;
    if (block_size)
        *block_size = wir_ggml_types[type].block_size;
    if (type_size)
        *type_size = wir_ggml_types[type].type_size;
    return true;
}

const char *wir_gguf_ggml_type_name(int32_t type) {
    if (type < 0 || type >= WIR_GGML_TYPE_COUNT || !wir_ggml_types[type].name)
        return "unknown";
    return wir_ggml_types[type].name;
}

static const char *const wir_gguf_type_names[] = {
    "uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
    "bool", "string", "array", "uint64", "int64", "float64",
};

const char *wir_gguf_type_name(wir_gguf_type type) {
    if ((unsigned)type >= sizeof wir_gguf_type_names / sizeof wir_gguf_type_names[0])
        return "unknown";
    return wir_gguf_type_names[type];
}

/* Bytes of a fixed-size value type; 0 for string, array and unknown. */
static uint64_t wir_gguf_scalar_size(uint32_t type) {
    switch (type) {
    case WIR_GGUF_TYPE_UINT8: case WIR_GGUF_TYPE_INT8: case WIR_GGUF_TYPE_BOOL: return 1;
    case WIR_GGUF_TYPE_UINT16: case WIR_GGUF_TYPE_INT16: return 2;
    case WIR_GGUF_TYPE_UINT32: case WIR_GGUF_TYPE_INT32: case WIR_GGUF_TYPE_FLOAT32: return 4;
    case WIR_GGUF_TYPE_UINT64: case WIR_GGUF_TYPE_INT64: case WIR_GGUF_TYPE_FLOAT64: return 8;
    default: return 0;
    }
}

/* ---- the handle --------------------------------------------------------- */

typedef struct wir_gguf_kv {
    char *key;             /* owned, NUL-terminated */
    wir_gguf_type type;
    uint64_t value_offset; /* file offset of the value (after the type field) */
    wir_gguf_type elem_type;  /* arrays */
    uint64_t count;           /* arrays */
    uint64_t elems_offset;    /* arrays: offset of the first element */
    uint64_t *str_offsets;    /* arrays of strings: offset of each element, owned */
    char *cstr;               /* strings without NUL bytes: owned copy */
} wir_gguf_kv;

struct wir_gguf {
    char *path;
    const uint8_t *data;
    uint64_t size;
    void *map;            /* mmap'd region, or NULL for open_memory / empty files */
    uint32_t version;
    uint32_t alignment;
    uint64_t data_offset;
    int64_t n_kv;
    wir_gguf_kv *kvs;
    int64_t *kv_sorted;   /* indexes sorted by key, for bsearch */
    int64_t n_tensors;
    wir_gguf_tensor *tensors;
    char **tensor_names;  /* owned names */
    int64_t *tensor_sorted;
    bool have_sha;
    uint8_t sha[32];
};

/* ---- errors ------------------------------------------------------------- */

static void wir_gguf_fail(wir_gguf_error *err, const char *path, int64_t offset,
                          const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void wir_gguf_fail(wir_gguf_error *err, const char *path, int64_t offset,
                          const char *field, const char *fmt, ...) {
    if (!err)
        return;
    err->offset = offset;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    int n = snprintf(err->text, sizeof err->text, "%s", path ? path : "");
    if (offset >= 0 && n >= 0 && (size_t)n < sizeof err->text)
        n += snprintf(err->text + n, sizeof err->text - (size_t)n, ": offset %lld", (long long)offset);
    if (err->field[0] && n >= 0 && (size_t)n < sizeof err->text)
        n += snprintf(err->text + n, sizeof err->text - (size_t)n, ": %s", err->field);
    if (n >= 0 && (size_t)n < sizeof err->text)
        snprintf(err->text + n, sizeof err->text - (size_t)n, ": %s", err->message);
}

/* ---- the cursor --------------------------------------------------------- */

typedef struct wir_gguf_cursor {
    const uint8_t *data;
    uint64_t size;
    uint64_t pos;
    const char *path;
    wir_gguf_error *err;
    char field[96];        /* the field being read, for messages */
} wir_gguf_cursor;

static void wir_gguf_field(wir_gguf_cursor *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void wir_gguf_field(wir_gguf_cursor *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->field, sizeof c->field, fmt, ap);
    va_end(ap);
}

/* Records a failure at file offset OFF in the current field; returns false
 * so parse steps can `return wir_gguf_fail_at(...)`. */
static bool wir_gguf_fail_at(wir_gguf_cursor *c, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool wir_gguf_fail_at(wir_gguf_cursor *c, uint64_t off, const char *fmt, ...) {
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    wir_gguf_fail(c->err, c->path, (int64_t)off, c->field, "%s", message);
    return false;
}

static uint64_t wir_gguf_left(const wir_gguf_cursor *c) { return c->size - c->pos; }

/* Reads N bytes as a little-endian unsigned integer (the host is LE). */
static bool wir_gguf_read(wir_gguf_cursor *c, void *out, uint64_t n) {
    if (wir_gguf_left(c) < n)
        return wir_gguf_fail_at(c, c->pos, "file ends after %llu bytes: %llu more needed",
                                (unsigned long long)c->size,
                                (unsigned long long)(n - wir_gguf_left(c)));
    memcpy(out, c->data + c->pos, n);
    c->pos += n;
    return true;
}

static bool wir_gguf_read_u32(wir_gguf_cursor *c, uint32_t *out) { return wir_gguf_read(c, out, 4); }
static bool wir_gguf_read_u64(wir_gguf_cursor *c, uint64_t *out) { return wir_gguf_read(c, out, 8); }

/* Reads a gguf_string_t header and checks its bytes are in the file and its
 * length is at most MAX (0: bounded by the file only). Leaves the cursor after
 * the string; *start is the offset of its bytes. */
static bool wir_gguf_read_string(wir_gguf_cursor *c, uint64_t max, uint64_t *start, uint64_t *len) {
    uint64_t at = c->pos;
    if (!wir_gguf_read_u64(c, len))
        return false;
    if (max && *len > max)
        return wir_gguf_fail_at(c, at, "string length %llu exceeds the limit of %llu bytes",
                                (unsigned long long)*len, (unsigned long long)max);
    if (*len > wir_gguf_left(c))
        return wir_gguf_fail_at(c, at, "string of %llu bytes runs past the end of the file "
                                "(%llu bytes left)", (unsigned long long)*len,
                                (unsigned long long)wir_gguf_left(c));
    *start = c->pos;
    c->pos += *len;
    return true;
}

/* A name or key: non-empty, no NUL or control bytes; returns an owned copy. */
static char *wir_gguf_read_name(wir_gguf_cursor *c, uint64_t max, const char *what) {
    uint64_t at = c->pos, start, len;
    if (!wir_gguf_read_string(c, max, &start, &len))
        return NULL;
    if (len == 0) {
        wir_gguf_fail_at(c, at, "empty %s", what);
        return NULL;
    }
    for (uint64_t i = 0; i < len; i++)
        if (c->data[start + i] < 0x20 || c->data[start + i] == 0x7f) {
            wir_gguf_fail_at(c, start + i, "%s contains control byte 0x%02x", what, c->data[start + i]);
            return NULL;
        }
    char *s = malloc(len + 1);
    if (!s) {
        wir_gguf_fail_at(c, at, "out of memory");
        return NULL;
    }
    memcpy(s, c->data + start, len);
    s[len] = '\0';
    return s;
}

/* ---- metadata ----------------------------------------------------------- */

/* Skips over one value of TYPE, validating it; DEPTH counts array nesting. */
static bool wir_gguf_skip_value(wir_gguf_cursor *c, uint32_t type, int depth) {
    uint64_t at = c->pos;
    uint64_t size = wir_gguf_scalar_size(type);
    if (size) {
        if (wir_gguf_left(c) < size)
            return wir_gguf_fail_at(c, at, "file ends inside a %s value", wir_gguf_type_name(type));
        if (type == WIR_GGUF_TYPE_BOOL && c->data[at] > 1)
            return wir_gguf_fail_at(c, at, "bool value is %u, must be 0 or 1", c->data[at]);
        c->pos += size;
        return true;
    }
    if (type == WIR_GGUF_TYPE_STRING) {
        uint64_t start, len;
        return wir_gguf_read_string(c, 0, &start, &len);
    }
    if (type != WIR_GGUF_TYPE_ARRAY)
        return wir_gguf_fail_at(c, at, "unknown value type %u", type);
    if (depth >= WIR_GGUF_MAX_DEPTH)
        return wir_gguf_fail_at(c, at, "arrays nested deeper than %d levels", WIR_GGUF_MAX_DEPTH);
    uint32_t elem;
    uint64_t count;
    if (!wir_gguf_read_u32(c, &elem))
        return false;
    if (elem > WIR_GGUF_TYPE_FLOAT64)
        return wir_gguf_fail_at(c, at, "unknown array element type %u", elem);
    uint64_t count_at = c->pos;
    if (!wir_gguf_read_u64(c, &count))
        return false;
    /* Every element takes at least this many bytes, which bounds the count. */
    uint64_t min_size = wir_gguf_scalar_size(elem);
    if (elem == WIR_GGUF_TYPE_STRING)
        min_size = 8;
    else if (elem == WIR_GGUF_TYPE_ARRAY)
        min_size = 12;
    if (count > wir_gguf_left(c) / min_size)
        return wir_gguf_fail_at(c, count_at, "array of %llu %s elements cannot fit in the "
                                "%llu bytes left in the file", (unsigned long long)count,
                                wir_gguf_type_name(elem), (unsigned long long)wir_gguf_left(c));
    if (elem == WIR_GGUF_TYPE_BOOL) {
        for (uint64_t i = 0; i < count; i++)
            if (c->data[c->pos + i] > 1)
                return wir_gguf_fail_at(c, c->pos + i, "element %llu: bool value is %u, must be 0 or 1",
                                        (unsigned long long)i, c->data[c->pos + i]);
    }
    if (elem != WIR_GGUF_TYPE_STRING && elem != WIR_GGUF_TYPE_ARRAY) {
        c->pos += count * min_size; /* cannot overflow: bounded by left above */
        return true;
    }
    for (uint64_t i = 0; i < count; i++)
        if (!wir_gguf_skip_value(c, elem, depth + 1))
            return false;
    return true;
}

static bool wir_gguf_parse_kv(wir_gguf *g, wir_gguf_cursor *c, int64_t i) {
    wir_gguf_kv *kv = &g->kvs[i];
    wir_gguf_field(c, "metadata_kv[%lld].key", (long long)i);
    kv->key = wir_gguf_read_name(c, WIR_GGUF_MAX_KEY, "key");
    if (!kv->key)
        return false;
    wir_gguf_field(c, "metadata_kv[%lld].value_type", (long long)i);
    uint64_t type_at = c->pos;
    uint32_t type;
    if (!wir_gguf_read_u32(c, &type))
        return false;
    if (type > WIR_GGUF_TYPE_FLOAT64)
        return wir_gguf_fail_at(c, type_at, "unknown value type %u for key '%s'", type, kv->key);
    kv->type = (wir_gguf_type)type;
    kv->value_offset = c->pos;
    wir_gguf_field(c, "metadata_kv[%lld].value", (long long)i);
    if (!wir_gguf_skip_value(c, type, 0))
        return false;
    /* Second pass over the (now validated) value to build look-up helpers. */
    if (type == WIR_GGUF_TYPE_STRING) {
        uint64_t len;
        memcpy(&len, c->data + kv->value_offset, 8);
        const uint8_t *s = c->data + kv->value_offset + 8;
        if (!memchr(s, 0, len)) {
            kv->cstr = malloc(len + 1);
            if (!kv->cstr)
                return wir_gguf_fail_at(c, kv->value_offset, "out of memory");
            memcpy(kv->cstr, s, len);
            kv->cstr[len] = '\0';
        }
    } else if (type == WIR_GGUF_TYPE_ARRAY) {
        uint32_t elem;
        memcpy(&elem, c->data + kv->value_offset, 4);
        memcpy(&kv->count, c->data + kv->value_offset + 4, 8);
        kv->elem_type = (wir_gguf_type)elem;
        kv->elems_offset = kv->value_offset + 12;
        if (elem == WIR_GGUF_TYPE_STRING && kv->count > 0) {
            kv->str_offsets = malloc(kv->count * sizeof *kv->str_offsets);
            if (!kv->str_offsets)
                return wir_gguf_fail_at(c, kv->value_offset, "out of memory");
            uint64_t pos = kv->elems_offset;
            for (uint64_t j = 0; j < kv->count; j++) {
                uint64_t len;
                kv->str_offsets[j] = pos;
                memcpy(&len, c->data + pos, 8);
                pos += 8 + len; /* validated by skip_value */
            }
        }
    }
    return true;
}

/* qsort/bsearch over index arrays need the names: a file-scope pointer is
 * avoided by sorting (key, index) pairs instead. */
typedef struct wir_gguf_sort_item {
    const char *name;
    int64_t index;
} wir_gguf_sort_item;

static int wir_gguf_sort_cmp(const void *a, const void *b) {
    const wir_gguf_sort_item *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (r)
        return r;
    return (x->index > y->index) - (x->index < y->index);
}

/* Builds SORTED (indexes ordered by name) and reports the first duplicate:
 * returns -1 when names are unique, else the later index of a duplicate pair
 * and *first the earlier one. */
static int64_t wir_gguf_sort_names(const char *const *names, size_t stride, int64_t n,
                                   int64_t *sorted, int64_t *first) {
    wir_gguf_sort_item *items = malloc((size_t)(n ? n : 1) * sizeof *items);
    if (!items)
        return -2;
    for (int64_t i = 0; i < n; i++) {
        items[i].name = *(const char *const *)((const char *)names + (size_t)i * stride);
        items[i].index = i;
    }
    qsort(items, (size_t)n, sizeof *items, wir_gguf_sort_cmp);
    int64_t dup = -1;
    for (int64_t i = 0; i < n; i++) {
        sorted[i] = items[i].index;
        if (i > 0 && !strcmp(items[i].name, items[i - 1].name)) {
            /* Report the duplicate that comes latest in the file among the
             * earliest pair; good enough: the message names both offsets. */
            if (dup < 0 || items[i].index < dup) {
                dup = items[i].index;
                *first = items[i - 1].index;
            }
        }
    }
    free(items);
    return dup;
}

static int64_t wir_gguf_bsearch(const char *const *names, size_t stride, const int64_t *sorted,
                                int64_t n, const char *key) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        const char *name = *(const char *const *)((const char *)names + (size_t)sorted[mid] * stride);
        int r = strcmp(name, key);
        if (r == 0)
            return sorted[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* general.alignment: optional uint32, a power of two >= 8 (spec: multiple of
 * 8; ggml additionally requires a power of two). */
static bool wir_gguf_read_alignment(wir_gguf *g, wir_gguf_cursor *c) {
    g->alignment = WIR_GGUF_DEFAULT_ALIGNMENT;
    int64_t i = wir_gguf_find_key(g, "general.alignment");
    if (i < 0)
        return true;
    const wir_gguf_kv *kv = &g->kvs[i];
    wir_gguf_field(c, "general.alignment");
    if (kv->type != WIR_GGUF_TYPE_UINT32)
        return wir_gguf_fail_at(c, kv->value_offset, "must be a uint32, not %s",
                                wir_gguf_type_name(kv->type));
    uint32_t a;
    memcpy(&a, c->data + kv->value_offset, 4);
    if (a < 8 || (a & (a - 1)) != 0)
        return wir_gguf_fail_at(c, kv->value_offset, "%u is not a power of two >= 8", a);
    g->alignment = a;
    return true;
}

/* ---- tensor infos ------------------------------------------------------- */

static bool wir_gguf_parse_tensor(wir_gguf *g, wir_gguf_cursor *c, int64_t i) {
    wir_gguf_tensor *t = &g->tensors[i];
    t->info_offset = c->pos;
    wir_gguf_field(c, "tensor_infos[%lld].name", (long long)i);
    g->tensor_names[i] = wir_gguf_read_name(c, WIR_GGUF_MAX_NAME, "tensor name");
    if (!g->tensor_names[i])
        return false;
    t->name = g->tensor_names[i];

    wir_gguf_field(c, "tensor_infos[%lld].n_dimensions", (long long)i);
    uint64_t at = c->pos;
    if (!wir_gguf_read_u32(c, &t->n_dims))
        return false;
    if (t->n_dims < 1 || t->n_dims > WIR_GGUF_MAX_DIMS)
        return wir_gguf_fail_at(c, at, "%u dimensions, must be 1 to %d (tensor '%s')",
                                t->n_dims, WIR_GGUF_MAX_DIMS, t->name);
    uint64_t n_elements = 1;
    for (int d = 0; d < WIR_GGUF_MAX_DIMS; d++)
        t->ne[d] = 1;
    for (uint32_t d = 0; d < t->n_dims; d++) {
        wir_gguf_field(c, "tensor_infos[%lld].dimensions[%u]", (long long)i, d);
        at = c->pos;
        uint64_t ne;
        if (!wir_gguf_read_u64(c, &ne))
            return false;
        if (ne == 0 || ne > (uint64_t)INT64_MAX)
            return wir_gguf_fail_at(c, at, "dimension %llu is out of range 1..2^63-1 (tensor '%s')",
                                    (unsigned long long)ne, t->name);
        if (__builtin_mul_overflow(n_elements, ne, &n_elements) || n_elements > (uint64_t)INT64_MAX)
            return wir_gguf_fail_at(c, at, "element count overflows 64 bits (tensor '%s')", t->name);
        t->ne[d] = (int64_t)ne;
    }
    t->n_elements = n_elements;

    wir_gguf_field(c, "tensor_infos[%lld].type", (long long)i);
    at = c->pos;
    uint32_t type;
    if (!wir_gguf_read_u32(c, &type))
        return false;
    int32_t block, type_size;
    if (type > INT32_MAX || !wir_gguf_ggml_type_info((int32_t)type, &block, &type_size))
        return wir_gguf_fail_at(c, at, "unknown ggml type %u (tensor '%s')", type, t->name);
    t->type = (int32_t)type;
    if ((uint64_t)t->ne[0] % (uint64_t)block != 0) {
        wir_gguf_field(c, "tensor_infos[%lld].dimensions[0]", (long long)i);
        return wir_gguf_fail_at(c, t->info_offset + 8 + strlen(t->name) + 4,
                                "%lld is not a multiple of the %s block size %d (tensor '%s')",
                                (long long)t->ne[0], wir_gguf_ggml_type_name(t->type), block, t->name);
    }
    /* Rows are whole blocks, so n_elements / block is exact. */
    if (__builtin_mul_overflow(n_elements / (uint64_t)block, (uint64_t)type_size, &t->size))
        return wir_gguf_fail_at(c, at, "byte size overflows 64 bits (tensor '%s')", t->name);

    wir_gguf_field(c, "tensor_infos[%lld].offset", (long long)i);
    at = c->pos;
    if (!wir_gguf_read_u64(c, &t->offset))
        return false;
    /* The alignment is known: metadata comes before tensor infos. */
    if (t->offset % g->alignment != 0)
        return wir_gguf_fail_at(c, at, "not a multiple of the alignment %u (tensor '%s')",
                                g->alignment, t->name);
    return true;
}

/* After the infos: where the data starts, and every tensor inside the file,
 * none overlapping another. */
static int wir_gguf_offset_cmp(const void *a, const void *b) {
    const wir_gguf_tensor *const *x = a, *const *y = b;
    return ((*x)->offset > (*y)->offset) - ((*x)->offset < (*y)->offset);
}

static bool wir_gguf_place_tensors(wir_gguf *g, wir_gguf_cursor *c) {
    uint64_t pad = (g->alignment - c->pos % g->alignment) % g->alignment;
    g->data_offset = c->pos + pad; /* pos <= size < 2^63: cannot overflow */
    if (g->n_tensors == 0)
        return true;
    if (g->data_offset > c->size) {
        wir_gguf_field(c, "tensor_data");
        return wir_gguf_fail_at(c, c->pos, "file ends before the tensor data (aligned start %llu, "
                                "file size %llu)", (unsigned long long)g->data_offset,
                                (unsigned long long)c->size);
    }
    uint64_t room = c->size - g->data_offset;
    for (int64_t i = 0; i < g->n_tensors; i++) {
        wir_gguf_tensor *t = &g->tensors[i];
        if (t->offset > room || t->size > room - t->offset) {
            wir_gguf_field(c, "tensor_infos[%lld].offset", (long long)i);
            return wir_gguf_fail_at(c, t->info_offset + 8 + strlen(t->name) + 4 + 8ull * t->n_dims + 4,
                                    "tensor '%s' data [%llu, +%llu) runs past the end of the "
                                    "file (%llu bytes of tensor data)", t->name,
                                    (unsigned long long)t->offset, (unsigned long long)t->size,
                                    (unsigned long long)room);
        }
        t->file_offset = g->data_offset + t->offset;
        t->data = c->data + t->file_offset;
    }
    const wir_gguf_tensor **by_offset = malloc((size_t)g->n_tensors * sizeof *by_offset);
    if (!by_offset)
        return wir_gguf_fail_at(c, c->pos, "out of memory");
    for (int64_t i = 0; i < g->n_tensors; i++)
        by_offset[i] = &g->tensors[i];
    qsort(by_offset, (size_t)g->n_tensors, sizeof *by_offset, wir_gguf_offset_cmp);
    for (int64_t i = 1; i < g->n_tensors; i++) {
        const wir_gguf_tensor *a = by_offset[i - 1], *b = by_offset[i];
        if (a->offset + a->size > b->offset) {
            int64_t bi = b - g->tensors;
            wir_gguf_field(c, "tensor_infos[%lld].offset", (long long)bi);
            free(by_offset);
            return wir_gguf_fail_at(c, b->info_offset + 8 + strlen(b->name) + 4 + 8ull * b->n_dims + 4,
                                    "tensor '%s' data overlaps tensor '%s'", b->name, a->name);
        }
    }
    free(by_offset);
    return true;
}

/* ---- open --------------------------------------------------------------- */

/* Makes room for element I in *ARRAY (capacity doubles at powers of two). */
static bool wir_gguf_grow(void **array, size_t elem, uint64_t i) {
    if (i != 0 && (i & (i - 1)) != 0 && *array)
        return true; /* capacity is the next power of two >= i */
    uint64_t cap = i ? i * 2 : 1;
    void *p = realloc(*array, (size_t)cap * elem);
    if (!p)
        return false;
    *array = p;
    return true;
}

static bool wir_gguf_parse(wir_gguf *g, wir_gguf_error *err) {
    wir_gguf_cursor cur = {.data = g->data, .size = g->size, .path = g->path, .err = err};
    wir_gguf_cursor *c = &cur;

    wir_gguf_field(c, "header.magic");
    uint8_t magic[4];
    if (!wir_gguf_read(c, magic, 4))
        return false;
    if (memcmp(magic, "GGUF", 4) != 0) {
        char shown[20];
        int n = 0;
        for (int i = 0; i < 4; i++)
            n += snprintf(shown + n, sizeof shown - (size_t)n, "%02x", magic[i]);
        return wir_gguf_fail_at(c, 0, "not a GGUF file (magic bytes %s, expected 47475546 \"GGUF\")",
                                shown);
    }
    wir_gguf_field(c, "header.version");
    if (!wir_gguf_read_u32(c, &g->version))
        return false;
    if (g->version == 1)
        return wir_gguf_fail_at(c, 4, "GGUF version 1 is not supported (it used 32-bit counts); "
                                "re-convert the model with a current llama.cpp");
    if (g->version == 0x02000000 || g->version == 0x03000000)
        return wir_gguf_fail_at(c, 4, "big-endian GGUF files are not supported");
    if (g->version != 2 && g->version != 3)
        return wir_gguf_fail_at(c, 4, "unsupported GGUF version %u (this reader knows 2 and 3)",
                                g->version);

    uint64_t n_tensors, n_kv;
    wir_gguf_field(c, "header.tensor_count");
    if (!wir_gguf_read_u64(c, &n_tensors))
        return false;
    wir_gguf_field(c, "header.metadata_kv_count");
    if (!wir_gguf_read_u64(c, &n_kv))
        return false;
    /* Minimum sizes: a kv is key length (8) + 1 byte of key + type (4) + a
     * 1-byte value; a tensor info is name length (8) + 1 + n_dims (4) + one
     * dimension (8) + type (4) + offset (8). */
    uint64_t left = wir_gguf_left(c);
    if (n_kv > left / 14)
        return wir_gguf_fail_at(c, 16, "%llu metadata entries cannot fit in the %llu bytes left",
                                (unsigned long long)n_kv, (unsigned long long)left);
    wir_gguf_field(c, "header.tensor_count");
    if (n_tensors > left / 33)
        return wir_gguf_fail_at(c, 8, "%llu tensor infos cannot fit in the %llu bytes left",
                                (unsigned long long)n_tensors, (unsigned long long)left);
    /* The tables grow as entries parse (rather than being sized from the
     * header's counts), so a corrupt count costs memory only for the entries
     * that really are in the file. n_kv / n_tensors count the entries
     * started so far, which is what wir_gguf_close frees. */
    for (uint64_t i = 0; i < n_kv; i++) {
        if (!wir_gguf_grow((void **)&g->kvs, sizeof *g->kvs, i))
            return wir_gguf_fail_at(c, c->pos, "out of memory");
        memset(&g->kvs[i], 0, sizeof g->kvs[i]);
        g->n_kv = (int64_t)i + 1;
        if (!wir_gguf_parse_kv(g, c, (int64_t)i))
            return false;
    }
    g->kv_sorted = malloc((n_kv ? n_kv : 1) * sizeof *g->kv_sorted);
    if (!g->kv_sorted || (!n_kv && !wir_gguf_grow((void **)&g->kvs, sizeof *g->kvs, 0)))
        return wir_gguf_fail_at(c, c->pos, "out of memory");
    int64_t first = -1;
    int64_t dup = wir_gguf_sort_names((const char *const *)&g->kvs[0].key, sizeof g->kvs[0],
                                      g->n_kv, g->kv_sorted, &first);
    if (dup == -2)
        return wir_gguf_fail_at(c, c->pos, "out of memory");
    if (dup >= 0) {
        wir_gguf_field(c, "metadata_kv[%lld].key", (long long)dup);
        /* The key string starts 8 bytes + key length + 4 before the value. */
        uint64_t at = g->kvs[dup].value_offset - 4 - strlen(g->kvs[dup].key) - 8;
        return wir_gguf_fail_at(c, at, "duplicate key '%s' (also metadata_kv[%lld])",
                                g->kvs[dup].key, (long long)first);
    }
    if (!wir_gguf_read_alignment(g, c))
        return false;

    for (uint64_t i = 0; i < n_tensors; i++) {
        if (!wir_gguf_grow((void **)&g->tensors, sizeof *g->tensors, i) ||
            !wir_gguf_grow((void **)&g->tensor_names, sizeof *g->tensor_names, i))
            return wir_gguf_fail_at(c, c->pos, "out of memory");
        memset(&g->tensors[i], 0, sizeof g->tensors[i]);
        g->tensor_names[i] = NULL;
        g->n_tensors = (int64_t)i + 1;
        if (!wir_gguf_parse_tensor(g, c, (int64_t)i))
            return false;
    }
    g->tensor_sorted = malloc((n_tensors ? n_tensors : 1) * sizeof *g->tensor_sorted);
    if (!g->tensor_sorted || (!n_tensors && !wir_gguf_grow((void **)&g->tensor_names,
                                                          sizeof *g->tensor_names, 0)))
        return wir_gguf_fail_at(c, c->pos, "out of memory");
    dup = wir_gguf_sort_names((const char *const *)&g->tensor_names[0], sizeof g->tensor_names[0],
                              g->n_tensors, g->tensor_sorted, &first);
    if (dup == -2)
        return wir_gguf_fail_at(c, c->pos, "out of memory");
    if (dup >= 0) {
        wir_gguf_field(c, "tensor_infos[%lld].name", (long long)dup);
        return wir_gguf_fail_at(c, g->tensors[dup].info_offset, "duplicate tensor name '%s' "
                                "(also tensor_infos[%lld])", g->tensors[dup].name, (long long)first);
    }
    return wir_gguf_place_tensors(g, c);
}

static wir_gguf *wir_gguf_new(const char *name) {
    wir_gguf *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->path = strdup(name ? name : "");
    if (!g->path) {
        free(g);
        return NULL;
    }
    return g;
}

wir_gguf *wir_gguf_open_memory(const void *data, size_t size, const char *name, wir_gguf_error *err) {
    if (err)
        memset(err, 0, sizeof *err);
    wir_gguf *g = wir_gguf_new(name);
    if (!g) {
        wir_gguf_fail(err, name, -1, NULL, "out of memory");
        return NULL;
    }
    g->data = data;
    g->size = size;
    if (!wir_gguf_parse(g, err)) {
        wir_gguf_close(g);
        return NULL;
    }
    return g;
}

wir_gguf *wir_gguf_open(const char *path, wir_gguf_error *err) {
    if (err)
        memset(err, 0, sizeof *err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        wir_gguf_fail(err, path, -1, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        wir_gguf_fail(err, path, -1, NULL, "cannot stat: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        wir_gguf_fail(err, path, -1, NULL, "%s", S_ISDIR(st.st_mode) ? "is a directory"
                                                                     : "not a regular file");
        close(fd);
        return NULL;
    }
    wir_gguf *g = wir_gguf_new(path);
    if (!g) {
        close(fd);
        wir_gguf_fail(err, path, -1, NULL, "out of memory");
        return NULL;
    }
    g->size = (uint64_t)st.st_size;
    static const uint8_t empty[1];
    g->data = empty;
    if (st.st_size > 0) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            wir_gguf_fail(err, path, -1, NULL, "cannot map the file: %s", strerror(errno));
            close(fd);
            wir_gguf_close(g);
            return NULL;
        }
        g->map = map;
        g->data = map;
    }
    close(fd);
    if (!wir_gguf_parse(g, err)) {
        wir_gguf_close(g);
        return NULL;
    }
    return g;
}

void wir_gguf_close(wir_gguf *g) {
    if (!g)
        return;
    if (g->map)
        munmap(g->map, (size_t)g->size);
    if (g->kvs)
        for (int64_t i = 0; i < g->n_kv; i++) {
            free(g->kvs[i].key);
            free(g->kvs[i].str_offsets);
            free(g->kvs[i].cstr);
        }
    if (g->tensor_names)
        for (int64_t i = 0; i < g->n_tensors; i++)
            free(g->tensor_names[i]);
    free(g->kvs);
    free(g->kv_sorted);
    free(g->tensors);
    free(g->tensor_names);
    free(g->tensor_sorted);
    free(g->path);
    free(g);
}

/* ---- accessors ---------------------------------------------------------- */

const char *wir_gguf_path(const wir_gguf *g) { return g->path; }
uint32_t wir_gguf_version(const wir_gguf *g) { return g->version; }
uint32_t wir_gguf_alignment(const wir_gguf *g) { return g->alignment; }
uint64_t wir_gguf_data_offset(const wir_gguf *g) { return g->data_offset; }
uint64_t wir_gguf_file_size(const wir_gguf *g) { return g->size; }

void wir_gguf_sha256(wir_gguf *g, uint8_t out[32]) {
    if (!g->have_sha) {
        wir_sha256 ctx;
        wir_sha256_init(&ctx);
        /* Chunked so madvise-less sequential reads stream through the page cache. */
        for (uint64_t pos = 0; pos < g->size; pos += 1u << 24) {
            uint64_t n = g->size - pos < (1u << 24) ? g->size - pos : (1u << 24);
            wir_sha256_update(&ctx, g->data + pos, (size_t)n);
        }
        wir_sha256_final(&ctx, g->sha);
        g->have_sha = true;
    }
    memcpy(out, g->sha, 32);
}

void wir_gguf_sha256_hex(wir_gguf *g, char out[65]) {
    uint8_t digest[32];
    wir_gguf_sha256(g, digest);
    wir_sha256_to_hex(digest, out);
}

int64_t wir_gguf_kv_count(const wir_gguf *g) { return g->n_kv; }

int64_t wir_gguf_find_key(const wir_gguf *g, const char *key) {
    if (!g->n_kv)
        return -1;
    return wir_gguf_bsearch((const char *const *)&g->kvs[0].key, sizeof g->kvs[0], g->kv_sorted,
                            g->n_kv, key);
}

const char *wir_gguf_kv_key(const wir_gguf *g, int64_t i) {
    return i >= 0 && i < g->n_kv ? g->kvs[i].key : NULL;
}

wir_gguf_type wir_gguf_kv_type(const wir_gguf *g, int64_t i) {
    return i >= 0 && i < g->n_kv ? g->kvs[i].type : (wir_gguf_type)-1;
}

uint64_t wir_gguf_kv_value_offset(const wir_gguf *g, int64_t i) {
    return i >= 0 && i < g->n_kv ? g->kvs[i].value_offset : 0;
}

/* Decodes the value of TYPE at OFFSET (already validated). */
static void wir_gguf_decode(const wir_gguf *g, wir_gguf_type type, uint64_t offset,
                            wir_gguf_value *out) {
    const uint8_t *p = g->data + offset;
    memset(out, 0, sizeof *out);
    out->type = type;
    switch (type) {
    case WIR_GGUF_TYPE_UINT8: out->v.u64 = p[0]; break;
    case WIR_GGUF_TYPE_INT8: out->v.i64 = (int8_t)p[0]; break;
    case WIR_GGUF_TYPE_UINT16: { uint16_t x; memcpy(&x, p, 2); out->v.u64 = x; break; }
    case WIR_GGUF_TYPE_INT16: { int16_t x; memcpy(&x, p, 2); out->v.i64 = x; break; }
    case WIR_GGUF_TYPE_UINT32: { uint32_t x; memcpy(&x, p, 4); out->v.u64 = x; break; }
    case WIR_GGUF_TYPE_INT32: { int32_t x; memcpy(&x, p, 4); out->v.i64 = x; break; }
    case WIR_GGUF_TYPE_UINT64: memcpy(&out->v.u64, p, 8); break;
    case WIR_GGUF_TYPE_INT64: memcpy(&out->v.i64, p, 8); break;
    case WIR_GGUF_TYPE_FLOAT32: { float x; memcpy(&x, p, 4); out->v.f64 = x; break; }
    case WIR_GGUF_TYPE_FLOAT64: memcpy(&out->v.f64, p, 8); break;
    case WIR_GGUF_TYPE_BOOL: out->v.b = p[0] != 0; break;
    case WIR_GGUF_TYPE_STRING:
        memcpy(&out->v.str.len, p, 8);
        out->v.str.data = (const char *)p + 8;
        break;
    case WIR_GGUF_TYPE_ARRAY: {
        uint32_t elem;
        memcpy(&elem, p, 4);
        out->v.array.type = (wir_gguf_type)elem;
        memcpy(&out->v.array.count, p + 4, 8);
        break;
    }
    }
}

wir_gguf_status wir_gguf_kv_value(const wir_gguf *g, int64_t i, wir_gguf_value *out) {
    if (i < 0 || i >= g->n_kv)
        return WIR_GGUF_NOT_FOUND;
    wir_gguf_decode(g, g->kvs[i].type, g->kvs[i].value_offset, out);
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_kv_element(const wir_gguf *g, int64_t i, uint64_t j, wir_gguf_value *out) {
    if (i < 0 || i >= g->n_kv)
        return WIR_GGUF_NOT_FOUND;
    const wir_gguf_kv *kv = &g->kvs[i];
    if (kv->type != WIR_GGUF_TYPE_ARRAY || kv->elem_type == WIR_GGUF_TYPE_ARRAY)
        return WIR_GGUF_WRONG_TYPE;
    if (j >= kv->count)
        return WIR_GGUF_NOT_FOUND;
    uint64_t offset = kv->elem_type == WIR_GGUF_TYPE_STRING
                          ? kv->str_offsets[j]
                          : kv->elems_offset + j * wir_gguf_scalar_size(kv->elem_type);
    wir_gguf_decode(g, kv->elem_type, offset, out);
    return WIR_GGUF_OK;
}

/* Converts an integer value to [lo, hi] or reports WRONG_TYPE. */
static wir_gguf_status wir_gguf_as_int(const wir_gguf_value *v, int64_t lo, uint64_t hi,
                                       uint64_t *u, int64_t *s) {
    switch (v->type) {
    case WIR_GGUF_TYPE_UINT8: case WIR_GGUF_TYPE_UINT16: case WIR_GGUF_TYPE_UINT32:
    case WIR_GGUF_TYPE_UINT64:
        if (v->v.u64 > hi)
            return WIR_GGUF_WRONG_TYPE;
        *u = v->v.u64;
        *s = (int64_t)v->v.u64; /* only used when hi <= INT64_MAX */
        return WIR_GGUF_OK;
    case WIR_GGUF_TYPE_INT8: case WIR_GGUF_TYPE_INT16: case WIR_GGUF_TYPE_INT32:
    case WIR_GGUF_TYPE_INT64:
        if (v->v.i64 < lo || (v->v.i64 > 0 && (uint64_t)v->v.i64 > hi))
            return WIR_GGUF_WRONG_TYPE;
        *u = (uint64_t)v->v.i64;
        *s = v->v.i64;
        return WIR_GGUF_OK;
    default:
        return WIR_GGUF_WRONG_TYPE;
    }
}

static wir_gguf_status wir_gguf_lookup(const wir_gguf *g, const char *key, wir_gguf_value *v) {
    return wir_gguf_kv_value(g, wir_gguf_find_key(g, key), v);
}

wir_gguf_status wir_gguf_get_u32(const wir_gguf *g, const char *key, uint32_t *out) {
    wir_gguf_value v;
    uint64_t u;
    int64_t s;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st == WIR_GGUF_OK && (st = wir_gguf_as_int(&v, 0, UINT32_MAX, &u, &s)) == WIR_GGUF_OK)
        *out = (uint32_t)u;
    return st;
}

wir_gguf_status wir_gguf_get_i32(const wir_gguf *g, const char *key, int32_t *out) {
    wir_gguf_value v;
    uint64_t u;
    int64_t s;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st == WIR_GGUF_OK && (st = wir_gguf_as_int(&v, INT32_MIN, INT32_MAX, &u, &s)) == WIR_GGUF_OK)
        *out = (int32_t)s;
    return st;
}

wir_gguf_status wir_gguf_get_u64(const wir_gguf *g, const char *key, uint64_t *out) {
    wir_gguf_value v;
    uint64_t u;
    int64_t s;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st == WIR_GGUF_OK && (st = wir_gguf_as_int(&v, 0, UINT64_MAX, &u, &s)) == WIR_GGUF_OK)
        *out = u;
    return st;
}

wir_gguf_status wir_gguf_get_f32(const wir_gguf *g, const char *key, float *out) {
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_FLOAT32 && v.type != WIR_GGUF_TYPE_FLOAT64)
        return WIR_GGUF_WRONG_TYPE;
    *out = (float)v.v.f64;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_bool(const wir_gguf *g, const char *key, bool *out) {
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_BOOL)
        return WIR_GGUF_WRONG_TYPE;
    *out = v.v.b;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_cstr(const wir_gguf *g, const char *key, const char **out) {
    int64_t i = wir_gguf_find_key(g, key);
    if (i < 0)
        return WIR_GGUF_NOT_FOUND;
    if (g->kvs[i].type != WIR_GGUF_TYPE_STRING || !g->kvs[i].cstr)
        return WIR_GGUF_WRONG_TYPE;
    *out = g->kvs[i].cstr;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_string(const wir_gguf *g, const char *key, wir_gguf_string *out) {
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_STRING)
        return WIR_GGUF_WRONG_TYPE;
    *out = v.v.str;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_array(const wir_gguf *g, const char *key, wir_gguf_type *elem_type,
                                   uint64_t *count) {
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_lookup(g, key, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_ARRAY)
        return WIR_GGUF_WRONG_TYPE;
    if (elem_type)
        *elem_type = v.v.array.type;
    if (count)
        *count = v.v.array.count;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_array_string(const wir_gguf *g, const char *key, uint64_t i,
                                          wir_gguf_string *out) {
    int64_t k = wir_gguf_find_key(g, key);
    if (k < 0)
        return WIR_GGUF_NOT_FOUND;
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_kv_element(g, k, i, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_STRING)
        return WIR_GGUF_WRONG_TYPE;
    *out = v.v.str;
    return WIR_GGUF_OK;
}

wir_gguf_status wir_gguf_get_array_int(const wir_gguf *g, const char *key, uint64_t i, int64_t *out) {
    int64_t k = wir_gguf_find_key(g, key);
    if (k < 0)
        return WIR_GGUF_NOT_FOUND;
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_kv_element(g, k, i, &v);
    uint64_t u;
    int64_t s;
    if (st == WIR_GGUF_OK && (st = wir_gguf_as_int(&v, INT64_MIN, INT64_MAX, &u, &s)) == WIR_GGUF_OK)
        *out = s;
    return st;
}

wir_gguf_status wir_gguf_get_array_float(const wir_gguf *g, const char *key, uint64_t i, float *out) {
    int64_t k = wir_gguf_find_key(g, key);
    if (k < 0)
        return WIR_GGUF_NOT_FOUND;
    wir_gguf_value v;
    wir_gguf_status st = wir_gguf_kv_element(g, k, i, &v);
    if (st != WIR_GGUF_OK)
        return st;
    if (v.type != WIR_GGUF_TYPE_FLOAT32 && v.type != WIR_GGUF_TYPE_FLOAT64)
        return WIR_GGUF_WRONG_TYPE;
    *out = (float)v.v.f64;
    return WIR_GGUF_OK;
}

int64_t wir_gguf_tensor_count(const wir_gguf *g) { return g->n_tensors; }

const wir_gguf_tensor *wir_gguf_tensor_at(const wir_gguf *g, int64_t i) {
    return i >= 0 && i < g->n_tensors ? &g->tensors[i] : NULL;
}

const wir_gguf_tensor *wir_gguf_find_tensor(const wir_gguf *g, const char *name) {
    if (!g->n_tensors)
        return NULL;
    int64_t i = wir_gguf_bsearch((const char *const *)&g->tensor_names[0], sizeof g->tensor_names[0],
                                 g->tensor_sorted, g->n_tensors, name);
    return i >= 0 ? &g->tensors[i] : NULL;
}
