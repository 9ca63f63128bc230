/* The test GGUF writer: see gguf_writer.h. Follows the layout in
 * shared/reference/gguf-format.md: header, metadata, tensor infos, zero
 * padding to the alignment, tensor data with each tensor aligned. */
#include "gguf_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *wir_gw_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "gguf_writer: out of memory\n");
        abort();
    }
    return p;
}

void wir_gguf_bytes_free(wir_gguf_bytes *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void wir_gguf_bytes_raw(wir_gguf_bytes *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = wir_gw_xrealloc(b->data, b->cap);
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wir_gguf_bytes_u8(wir_gguf_bytes *b, uint8_t v) { wir_gguf_bytes_raw(b, &v, 1); }

void wir_gguf_bytes_u32(wir_gguf_bytes *b, uint32_t v) {
    uint8_t p[4];
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    wir_gguf_bytes_raw(b, p, 4);
}

void wir_gguf_bytes_u64(wir_gguf_bytes *b, uint64_t v) {
    uint8_t p[8];
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    wir_gguf_bytes_raw(b, p, 8);
}

void wir_gguf_bytes_str(wir_gguf_bytes *b, const char *s) {
    size_t n = strlen(s);
    wir_gguf_bytes_u64(b, n);
    wir_gguf_bytes_raw(b, s, n);
}

void wir_gguf_bytes_pad(wir_gguf_bytes *b, size_t align) {
    while (b->len % align)
        wir_gguf_bytes_u8(b, 0);
}

typedef struct wir_gw_tensor {
    char *name;
    uint32_t n_dims;
    int64_t ne[4];
    int32_t type;
    uint8_t *data;
    uint64_t size;
} wir_gw_tensor;

struct wir_gguf_writer {
    uint32_t version;
    uint32_t alignment;
    uint64_t n_kv;
    wir_gguf_bytes kv; /* serialized metadata, appended as added */
    wir_gw_tensor *tensors;
    size_t n_tensors;
};

wir_gguf_writer *wir_gguf_writer_new(uint32_t version) {
    wir_gguf_writer *w = wir_gw_xrealloc(NULL, sizeof *w);
    memset(w, 0, sizeof *w);
    w->version = version;
    w->alignment = 32;
    return w;
}

void wir_gguf_writer_free(wir_gguf_writer *w) {
    if (!w)
        return;
    wir_gguf_bytes_free(&w->kv);
    for (size_t i = 0; i < w->n_tensors; i++) {
        free(w->tensors[i].name);
        free(w->tensors[i].data);
    }
    free(w->tensors);
    free(w);
}

static void wir_gw_key(wir_gguf_writer *w, const char *key, wir_gguf_type type) {
    w->n_kv++;
    wir_gguf_bytes_str(&w->kv, key);
    wir_gguf_bytes_u32(&w->kv, (uint32_t)type);
}

#define WIR_GW_SCALAR(fn, ctype, gtype)                                        \
    void fn(wir_gguf_writer *w, const char *key, ctype v) {                    \
        wir_gw_key(w, key, gtype);                                             \
        wir_gguf_bytes_raw(&w->kv, &v, sizeof v);                              \
    }

WIR_GW_SCALAR(wir_gguf_writer_add_u8, uint8_t, WIR_GGUF_TYPE_UINT8)
WIR_GW_SCALAR(wir_gguf_writer_add_i8, int8_t, WIR_GGUF_TYPE_INT8)
WIR_GW_SCALAR(wir_gguf_writer_add_u16, uint16_t, WIR_GGUF_TYPE_UINT16)
WIR_GW_SCALAR(wir_gguf_writer_add_i16, int16_t, WIR_GGUF_TYPE_INT16)
WIR_GW_SCALAR(wir_gguf_writer_add_i32, int32_t, WIR_GGUF_TYPE_INT32)
WIR_GW_SCALAR(wir_gguf_writer_add_u64, uint64_t, WIR_GGUF_TYPE_UINT64)
WIR_GW_SCALAR(wir_gguf_writer_add_i64, int64_t, WIR_GGUF_TYPE_INT64)
WIR_GW_SCALAR(wir_gguf_writer_add_f32, float, WIR_GGUF_TYPE_FLOAT32)
WIR_GW_SCALAR(wir_gguf_writer_add_f64, double, WIR_GGUF_TYPE_FLOAT64)

void wir_gguf_writer_add_u32(wir_gguf_writer *w, const char *key, uint32_t v) {
    wir_gw_key(w, key, WIR_GGUF_TYPE_UINT32);
    wir_gguf_bytes_u32(&w->kv, v);
    if (!strcmp(key, "general.alignment") && v)
        w->alignment = v;
}

void wir_gguf_writer_add_bool(wir_gguf_writer *w, const char *key, bool v) {
    wir_gw_key(w, key, WIR_GGUF_TYPE_BOOL);
    wir_gguf_bytes_u8(&w->kv, v ? 1 : 0);
}

void wir_gguf_writer_add_string(wir_gguf_writer *w, const char *key, const char *v) {
    wir_gw_key(w, key, WIR_GGUF_TYPE_STRING);
    wir_gguf_bytes_str(&w->kv, v);
}

static size_t wir_gw_elem_size(wir_gguf_type t) {
    switch (t) {
    case WIR_GGUF_TYPE_UINT8: case WIR_GGUF_TYPE_INT8: case WIR_GGUF_TYPE_BOOL: return 1;
    case WIR_GGUF_TYPE_UINT16: case WIR_GGUF_TYPE_INT16: return 2;
    case WIR_GGUF_TYPE_UINT32: case WIR_GGUF_TYPE_INT32: case WIR_GGUF_TYPE_FLOAT32: return 4;
    case WIR_GGUF_TYPE_UINT64: case WIR_GGUF_TYPE_INT64: case WIR_GGUF_TYPE_FLOAT64: return 8;
    default:
        fprintf(stderr, "gguf_writer: add_array: element type %d is not fixed-size\n", (int)t);
        abort();
    }
}

void wir_gguf_writer_add_array(wir_gguf_writer *w, const char *key, wir_gguf_type elem_type,
                               const void *elems, uint64_t n) {
    wir_gw_key(w, key, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u32(&w->kv, (uint32_t)elem_type);
    wir_gguf_bytes_u64(&w->kv, n);
    wir_gguf_bytes_raw(&w->kv, elems, (size_t)n * wir_gw_elem_size(elem_type));
}

void wir_gguf_writer_add_strings(wir_gguf_writer *w, const char *key, const char *const *v,
                                 uint64_t n) {
    wir_gw_key(w, key, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u32(&w->kv, WIR_GGUF_TYPE_STRING);
    wir_gguf_bytes_u64(&w->kv, n);
    for (uint64_t i = 0; i < n; i++)
        wir_gguf_bytes_str(&w->kv, v[i]);
}

void wir_gguf_writer_add_raw(wir_gguf_writer *w, const char *key, wir_gguf_type type,
                             const void *value, size_t n) {
    wir_gw_key(w, key, type);
    wir_gguf_bytes_raw(&w->kv, value, n);
}

uint64_t wir_gguf_writer_tensor_bytes(uint32_t n_dims, const int64_t *ne, int32_t type) {
    int32_t block, size;
    if (!wir_gguf_ggml_type_info(type, &block, &size)) {
        fprintf(stderr, "gguf_writer: unknown ggml type %d\n", type);
        abort();
    }
    uint64_t n = 1;
    for (uint32_t d = 0; d < n_dims; d++)
        n *= (uint64_t)ne[d];
    return n / (uint64_t)block * (uint64_t)size;
}

void wir_gguf_writer_add_tensor(wir_gguf_writer *w, const char *name, uint32_t n_dims,
                                const int64_t *ne, int32_t type, const void *data) {
    if (n_dims > 4) {
        fprintf(stderr, "gguf_writer: %u dimensions\n", n_dims);
        abort();
    }
    w->tensors = wir_gw_xrealloc(w->tensors, (w->n_tensors + 1) * sizeof *w->tensors);
    wir_gw_tensor *t = &w->tensors[w->n_tensors++];
    memset(t, 0, sizeof *t);
    t->name = wir_gw_xrealloc(NULL, strlen(name) + 1);
    strcpy(t->name, name);
    t->n_dims = n_dims;
    for (uint32_t d = 0; d < n_dims; d++)
        t->ne[d] = ne[d];
    t->type = type;
    t->size = wir_gguf_writer_tensor_bytes(n_dims, ne, type);
    t->data = wir_gw_xrealloc(NULL, (size_t)t->size);
    if (data)
        memcpy(t->data, data, (size_t)t->size);
    else
        for (uint64_t i = 0; i < t->size; i++)
            t->data[i] = (uint8_t)(i * 31 + w->n_tensors);
}

void wir_gguf_writer_to_bytes(const wir_gguf_writer *w, wir_gguf_bytes *out) {
    memset(out, 0, sizeof *out);
    wir_gguf_bytes_raw(out, "GGUF", 4);
    wir_gguf_bytes_u32(out, w->version);
    wir_gguf_bytes_u64(out, w->n_tensors);
    wir_gguf_bytes_u64(out, w->n_kv);
    wir_gguf_bytes_raw(out, w->kv.data, w->kv.len);
    uint64_t offset = 0;
    for (size_t i = 0; i < w->n_tensors; i++) {
        const wir_gw_tensor *t = &w->tensors[i];
        wir_gguf_bytes_str(out, t->name);
        wir_gguf_bytes_u32(out, t->n_dims);
        for (uint32_t d = 0; d < t->n_dims; d++)
            wir_gguf_bytes_u64(out, (uint64_t)t->ne[d]);
        wir_gguf_bytes_u32(out, (uint32_t)t->type);
        wir_gguf_bytes_u64(out, offset);
        offset += t->size;
        offset += (w->alignment - offset % w->alignment) % w->alignment;
    }
    wir_gguf_bytes_pad(out, w->alignment);
    for (size_t i = 0; i < w->n_tensors; i++) {
        wir_gguf_bytes_raw(out, w->tensors[i].data, (size_t)w->tensors[i].size);
        wir_gguf_bytes_pad(out, w->alignment);
    }
}

bool wir_gguf_writer_write(const wir_gguf_writer *w, const char *path) {
    wir_gguf_bytes b;
    wir_gguf_writer_to_bytes(w, &b);
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(b.data, 1, b.len, f) == b.len;
    if (f && fclose(f) != 0)
        ok = false;
    wir_gguf_bytes_free(&b);
    return ok;
}
