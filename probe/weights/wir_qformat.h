/* wir_qformat: ggml tensor formats the probe computes with, bit-exact with
 * ggml's block layouts (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K,
 * Q5_K, Q6_K). Q4_1, Q5_0 and Q5_1 matter beyond old files: llama.cpp's
 * K-quant mixes fall back to them for tensors whose rows are not a multiple
 * of 256 (Qwen2.5-0.5B's 896-wide rows take Q5_0 in Q4_K_M).
 *
 * Contract between the GGUF reader / weight generator (which produce rows in
 * these formats) and the backends (which consume them). Types are ggml_type
 * enum values as stored in GGUF files. Row lengths n must be a multiple of the
 * type's block size.
 */
#ifndef WIR_QFORMAT_H
#define WIR_QFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    WIR_QTYPE_F32  = 0,
    WIR_QTYPE_F16  = 1,
    WIR_QTYPE_Q4_0 = 2,
    WIR_QTYPE_Q4_1 = 3,
    WIR_QTYPE_Q5_0 = 6,
    WIR_QTYPE_Q5_1 = 7,
    WIR_QTYPE_Q8_0 = 8,
    WIR_QTYPE_Q4_K = 12,
    WIR_QTYPE_Q5_K = 13,
    WIR_QTYPE_Q6_K = 14,
    WIR_QTYPE_BF16 = 30,
};

/* True for the types above. */
bool wir_qformat_supported(int32_t type);
/* The supported types' names, comma-separated in ggml id order ("f32, f16,
 * q4_0, …"), into buf (truncated to size). */
void wir_qformat_list_supported(char *buf, size_t size);
/* "q4_K", "f16", …; "unknown" for others. Static string. */
const char *wir_qformat_name(int32_t type);
/* Elements per block and bytes per block; 0 for unsupported types. */
int32_t wir_qformat_block_size(int32_t type);
size_t wir_qformat_type_size(int32_t type);
/* Bytes of a row of n elements (n a multiple of the block size). */
size_t wir_qformat_row_bytes(int32_t type, int64_t n);

/* Decodes n elements of one row to floats. */
void wir_qformat_dequantize_row(int32_t type, const void *src, float *dst, int64_t n);
/* Encodes n floats into one row of the given type. A straightforward
 * quantizer (not necessarily ggml's search for the best scales), but the
 * bytes it writes follow ggml's layout exactly. */
void wir_qformat_quantize_row(int32_t type, const float *src, void *dst, int64_t n);
/* Returns sum(row[i] * x[i]) over n elements, decoding the row in registers. */
float wir_qformat_dot_row(int32_t type, const void *row, const float *x, int64_t n);

#endif
