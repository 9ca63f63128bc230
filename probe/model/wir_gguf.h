/* wir_gguf: a validating, read-only reader of GGUF model files (v2 and v3).
 *
 * The file is memory-mapped; opening it parses and checks the whole header
 * (metadata and tensor infos) once, so every accessor afterwards is cheap and
 * cannot fail on malformed input. Every count, length, offset, alignment and
 * tensor size is checked against the file size with overflow-safe
 * arithmetic; a malformed file yields an error naming the byte offset and the
 * field, e.g.
 *     model.gguf: offset 1234: tensor_infos[3].offset: not a multiple of the alignment 32
 * GGUF v1 (32-bit counts) and big-endian files are rejected with a message.
 *
 * Ownership: a wir_gguf owns its mapping and every string and struct it
 * hands out; pointers returned by accessors (names, keys, tensor structs,
 * tensor data, string values) stay valid until wir_gguf_close(). Tensor data
 * pointers point into the read-only mapping: never write through them.
 * A wir_gguf is immutable after open (except the lazily computed SHA-256), so
 * concurrent readers are fine once wir_gguf_sha256() has been called once.
 *
 * Format facts: /work/shared/reference/gguf-format.md (ggml docs/gguf.md).
 */
#ifndef WIR_GGUF_H
#define WIR_GGUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wir_gguf wir_gguf;

/* ---- errors ------------------------------------------------------------ */

/* Why an open failed. Filled by wir_gguf_open*; all strings NUL-terminated. */
typedef struct wir_gguf_error {
    int64_t offset;     /* byte offset in the file of the bad field; -1 when the
                           problem has no place in the file (cannot open, ...) */
    char field[96];     /* "tensor_infos[3].offset", "header.version"; "" if none */
    char message[256];  /* "not a multiple of the alignment 32" */
    char text[1024];    /* the whole line, ready to print without '\n':
                           "PATH: offset N: FIELD: MESSAGE" (parts left out
                           when unknown) */
} wir_gguf_error;

/* ---- value types ------------------------------------------------------- */

/* Metadata value types, as stored in the file (gguf_metadata_value_type). */
typedef enum wir_gguf_type {
    WIR_GGUF_TYPE_UINT8 = 0,
    WIR_GGUF_TYPE_INT8 = 1,
    WIR_GGUF_TYPE_UINT16 = 2,
    WIR_GGUF_TYPE_INT16 = 3,
    WIR_GGUF_TYPE_UINT32 = 4,
    WIR_GGUF_TYPE_INT32 = 5,
    WIR_GGUF_TYPE_FLOAT32 = 6,
    WIR_GGUF_TYPE_BOOL = 7,
    WIR_GGUF_TYPE_STRING = 8,
    WIR_GGUF_TYPE_ARRAY = 9,
    WIR_GGUF_TYPE_UINT64 = 10,
    WIR_GGUF_TYPE_INT64 = 11,
    WIR_GGUF_TYPE_FLOAT64 = 12,
} wir_gguf_type;

/* "uint32", "string", "array", ...; "unknown" otherwise. Static string. */
const char *wir_gguf_type_name(wir_gguf_type type);

/* Result of a typed metadata look-up. */
typedef enum wir_gguf_status {
    WIR_GGUF_OK = 0,
    WIR_GGUF_NOT_FOUND = 1,   /* no such key (or array index out of range) */
    WIR_GGUF_WRONG_TYPE = 2,  /* the key exists with another type, or its value
                                 does not fit the requested type */
} wir_gguf_status;

/* A string inside the file: NOT NUL-terminated, may hold any bytes. Points
 * into the mapping; valid until wir_gguf_close(). */
typedef struct wir_gguf_string {
    const char *data;
    uint64_t len;
} wir_gguf_string;

/* One metadata value (a scalar, a string, or the head of an array). */
typedef struct wir_gguf_value {
    wir_gguf_type type;
    union {
        uint64_t u64;   /* UINT8, UINT16, UINT32, UINT64 */
        int64_t i64;    /* INT8, INT16, INT32, INT64 */
        double f64;     /* FLOAT32, FLOAT64 */
        bool b;         /* BOOL */
        wir_gguf_string str; /* STRING */
        struct {
            wir_gguf_type type; /* element type (ARRAY for nested arrays) */
            uint64_t count;     /* number of elements */
        } array;        /* ARRAY */
    } v;
} wir_gguf_value;

/* ---- open / close ------------------------------------------------------ */

/* Maps PATH read-only and validates it. Returns NULL and fills *err (if err
 * is not NULL) on failure. The caller closes the result with wir_gguf_close. */
wir_gguf *wir_gguf_open(const char *path, wir_gguf_error *err);

/* Same, over a caller-owned buffer (tests, fuzzing). DATA must stay valid and
 * unchanged until wir_gguf_close; NAME is used in messages (copied). */
wir_gguf *wir_gguf_open_memory(const void *data, size_t size, const char *name,
                               wir_gguf_error *err);

/* Unmaps and frees everything. NULL is fine. */
void wir_gguf_close(wir_gguf *gguf);

/* ---- file-level facts -------------------------------------------------- */

const char *wir_gguf_path(const wir_gguf *gguf);   /* as given to open */
uint32_t wir_gguf_version(const wir_gguf *gguf);   /* 2 or 3 */
uint32_t wir_gguf_alignment(const wir_gguf *gguf); /* general.alignment or 32 */
uint64_t wir_gguf_data_offset(const wir_gguf *gguf); /* start of tensor data */
uint64_t wir_gguf_file_size(const wir_gguf *gguf);

/* SHA-256 of the whole file, computed on first call (reads every byte: about
 * a second per GB) and cached. OUT receives 32 bytes. */
void wir_gguf_sha256(wir_gguf *gguf, uint8_t out[32]);
/* Same as 64 lowercase hex digits + NUL. */
void wir_gguf_sha256_hex(wir_gguf *gguf, char out[65]);

/* ---- metadata ---------------------------------------------------------- */

int64_t wir_gguf_kv_count(const wir_gguf *gguf);
/* Index of KEY, or -1. Keys are unique (duplicates are rejected at open). */
int64_t wir_gguf_find_key(const wir_gguf *gguf, const char *key);
/* Key of entry I (0 <= I < count): NUL-terminated, owned by gguf; NULL when
 * I is out of range. */
const char *wir_gguf_kv_key(const wir_gguf *gguf, int64_t i);
/* Value type of entry I; (wir_gguf_type)-1 when I is out of range. */
wir_gguf_type wir_gguf_kv_type(const wir_gguf *gguf, int64_t i);
/* File offset of entry I's value (for messages). */
uint64_t wir_gguf_kv_value_offset(const wir_gguf *gguf, int64_t i);
/* Value of entry I. For arrays, OUT gets the element type and count; read
 * elements with wir_gguf_kv_element. NOT_FOUND when I is out of range. */
wir_gguf_status wir_gguf_kv_value(const wir_gguf *gguf, int64_t i, wir_gguf_value *out);
/* Element J of array entry I. WRONG_TYPE when entry I is not an array or is
 * an array of arrays (nested arrays are validated but not exposed);
 * NOT_FOUND when J is out of range. */
wir_gguf_status wir_gguf_kv_element(const wir_gguf *gguf, int64_t i, uint64_t j,
                                    wir_gguf_value *out);

/* Typed look-ups by key. Integer getters accept any integer value type whose
 * value fits the requested type (files disagree on u32 vs u64 and signedness);
 * otherwise WRONG_TYPE. get_f32 accepts FLOAT32 and FLOAT64. get_bool only
 * BOOL. On anything but OK, *out is left unchanged. */
wir_gguf_status wir_gguf_get_u32(const wir_gguf *gguf, const char *key, uint32_t *out);
wir_gguf_status wir_gguf_get_i32(const wir_gguf *gguf, const char *key, int32_t *out);
wir_gguf_status wir_gguf_get_u64(const wir_gguf *gguf, const char *key, uint64_t *out);
wir_gguf_status wir_gguf_get_f32(const wir_gguf *gguf, const char *key, float *out);
wir_gguf_status wir_gguf_get_bool(const wir_gguf *gguf, const char *key, bool *out);
/* A STRING value as a NUL-terminated string owned by gguf (a string with an
 * embedded NUL byte reads as WRONG_TYPE here; use get_string for raw bytes). */
wir_gguf_status wir_gguf_get_cstr(const wir_gguf *gguf, const char *key, const char **out);
/* A STRING value as raw bytes (pointer into the mapping). */
wir_gguf_status wir_gguf_get_string(const wir_gguf *gguf, const char *key, wir_gguf_string *out);

/* Arrays by key: element type and count (WRONG_TYPE if not an array). */
wir_gguf_status wir_gguf_get_array(const wir_gguf *gguf, const char *key,
                                   wir_gguf_type *elem_type, uint64_t *count);
/* Element I of an array of strings / integers (any integer type whose value
 * fits int64) / floats (FLOAT32 or FLOAT64). */
wir_gguf_status wir_gguf_get_array_string(const wir_gguf *gguf, const char *key,
                                          uint64_t i, wir_gguf_string *out);
wir_gguf_status wir_gguf_get_array_int(const wir_gguf *gguf, const char *key,
                                       uint64_t i, int64_t *out);
wir_gguf_status wir_gguf_get_array_float(const wir_gguf *gguf, const char *key,
                                         uint64_t i, float *out);

/* ---- tensors ----------------------------------------------------------- */

/* One tensor; owned by gguf. */
typedef struct wir_gguf_tensor {
    const char *name;     /* NUL-terminated, unique */
    uint32_t n_dims;      /* 1..4 */
    int64_t ne[4];        /* ne[0] innermost (contiguous); unused dims are 1 */
    int32_t type;         /* ggml_type id (see wir_qformat.h for the computed ones) */
    uint64_t offset;      /* relative to wir_gguf_data_offset, aligned */
    uint64_t file_offset; /* absolute: data_offset + offset */
    uint64_t n_elements;  /* product of ne */
    uint64_t size;        /* bytes: n_elements / block size * type size */
    const void *data;     /* file bytes at file_offset, inside the file */
    uint64_t info_offset; /* file offset of this tensor's info (for messages) */
} wir_gguf_tensor;

int64_t wir_gguf_tensor_count(const wir_gguf *gguf);
/* Tensor I (0 <= I < count) in file order, or NULL when out of range. */
const wir_gguf_tensor *wir_gguf_tensor_at(const wir_gguf *gguf, int64_t i);
/* The tensor named NAME, or NULL. */
const wir_gguf_tensor *wir_gguf_find_tensor(const wir_gguf *gguf, const char *name);

/* ---- ggml type table (every id the GGUF spec knows, not only the types the
 * probe computes with; see wir_qformat.h for those) ---------------------- */

/* True when TYPE is a ggml_type a GGUF file may store (ids 0..39 except the
 * removed ones); fills block size (elements) and type size (bytes/block). */
bool wir_gguf_ggml_type_info(int32_t type, int32_t *block_size, int32_t *type_size);
/* "q4_K", "f16", "iq2_xxs", ...; "unknown" otherwise. Static string. */
const char *wir_gguf_ggml_type_name(int32_t type);

#endif
