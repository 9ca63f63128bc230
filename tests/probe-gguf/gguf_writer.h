/* gguf_writer: builds GGUF files for tests (test code only: the probe itself
 * never writes GGUF). Two layers:
 *   - wir_gguf_bytes: a growable byte buffer with little-endian appenders,
 *     for tests that need exact control of every byte (malformed files);
 *   - wir_gguf_writer: a well-formed v2/v3 file from metadata and tensors.
 * Link the static library target `wir_test_gguf_writer`.
 * Errors (out of memory, bad arguments) abort the test with a message: a
 * test helper has no better way to report them.
 */
#ifndef GGUF_WRITER_H
#define GGUF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_gguf.h"

/* ---- bytes ---- */

typedef struct wir_gguf_bytes {
    uint8_t *data; /* owned; free with wir_gguf_bytes_free */
    size_t len;
    size_t cap;
} wir_gguf_bytes;

void wir_gguf_bytes_free(wir_gguf_bytes *b);
void wir_gguf_bytes_raw(wir_gguf_bytes *b, const void *p, size_t n);
void wir_gguf_bytes_u8(wir_gguf_bytes *b, uint8_t v);
void wir_gguf_bytes_u32(wir_gguf_bytes *b, uint32_t v);
void wir_gguf_bytes_u64(wir_gguf_bytes *b, uint64_t v);
/* gguf_string_t: u64 length + bytes (no NUL). */
void wir_gguf_bytes_str(wir_gguf_bytes *b, const char *s);
/* Zero bytes up to a multiple of ALIGN. */
void wir_gguf_bytes_pad(wir_gguf_bytes *b, size_t align);

/* ---- writer ---- */

typedef struct wir_gguf_writer wir_gguf_writer;

/* VERSION is written as given (2 and 3 are valid). The caller frees the
 * writer with wir_gguf_writer_free. */
wir_gguf_writer *wir_gguf_writer_new(uint32_t version);
void wir_gguf_writer_free(wir_gguf_writer *w);

/* Metadata, written in the order added. Keys and strings are copied. A uint32
 * "general.alignment" also sets the alignment the writer uses. */
void wir_gguf_writer_add_u8(wir_gguf_writer *w, const char *key, uint8_t v);
void wir_gguf_writer_add_i8(wir_gguf_writer *w, const char *key, int8_t v);
void wir_gguf_writer_add_u16(wir_gguf_writer *w, const char *key, uint16_t v);
void wir_gguf_writer_add_i16(wir_gguf_writer *w, const char *key, int16_t v);
void wir_gguf_writer_add_u32(wir_gguf_writer *w, const char *key, uint32_t v);
void wir_gguf_writer_add_i32(wir_gguf_writer *w, const char *key, int32_t v);
void wir_gguf_writer_add_u64(wir_gguf_writer *w, const char *key, uint64_t v);
void wir_gguf_writer_add_i64(wir_gguf_writer *w, const char *key, int64_t v);
void wir_gguf_writer_add_f32(wir_gguf_writer *w, const char *key, float v);
void wir_gguf_writer_add_f64(wir_gguf_writer *w, const char *key, double v);
void wir_gguf_writer_add_bool(wir_gguf_writer *w, const char *key, bool v);
void wir_gguf_writer_add_string(wir_gguf_writer *w, const char *key, const char *v);
/* An array of N fixed-size elements of ELEM_TYPE (ELEMS: N packed values in
 * the host's = file's little-endian layout). */
void wir_gguf_writer_add_array(wir_gguf_writer *w, const char *key, wir_gguf_type elem_type,
                               const void *elems, uint64_t n);
void wir_gguf_writer_add_strings(wir_gguf_writer *w, const char *key, const char *const *v,
                                 uint64_t n);

/* Any value given as its exact bytes after the type field (nested arrays,
 * deliberately odd values). */
void wir_gguf_writer_add_raw(wir_gguf_writer *w, const char *key, wir_gguf_type type,
                             const void *value, size_t n);

/* A tensor; DATA holds its bytes (size from the ggml type table and NE),
 * copied. NULL data writes a deterministic byte pattern (byte i of the k-th
 * tensor added is (i * 31 + k) mod 256): fine for layout tests, but not
 * meaningful numbers (fp16 scales in it may decode to inf or NaN). Tensors
 * are laid out in the order added, each at the next aligned offset. */
void wir_gguf_writer_add_tensor(wir_gguf_writer *w, const char *name, uint32_t n_dims,
                                const int64_t *ne, int32_t type, const void *data);

/* The whole file. *OUT is malloc'd: the caller frees it. */
void wir_gguf_writer_to_bytes(const wir_gguf_writer *w, wir_gguf_bytes *out);
/* Writes the file to PATH; false (errno set) on I/O failure. */
bool wir_gguf_writer_write(const wir_gguf_writer *w, const char *path);

/* Byte size of a tensor of TYPE and NE (aborts on unknown types). */
uint64_t wir_gguf_writer_tensor_bytes(uint32_t n_dims, const int64_t *ne, int32_t type);

#endif
