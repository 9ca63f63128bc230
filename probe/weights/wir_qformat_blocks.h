/* wir_qformat_blocks: ggml's block layouts as C structs, and the 16-bit float
 * conversions. Private to the weights stage and its tests (the public
 * contract is wir_qformat.h); backends that decode blocks themselves (CUDA)
 * may include it too so the layout lives in one place.
 *
 * Layouts (ggml-common.h; shared/reference/gguf-format.md section 4). Every
 * multi-byte field is little-endian and the structs have no padding (the
 * static asserts check sizes); blocks in a row are packed back to back, so a
 * block may sit at any byte address: read them through memcpy or byte
 * pointers, never by dereferencing a misaligned uint16_t.
 */
#ifndef WIR_QFORMAT_BLOCKS_H
#define WIR_QFORMAT_BLOCKS_H

#include <stdint.h>
#include <string.h>

#define WIR_QK 32     /* elements per Q4_0 / Q4_1 / Q5_0 / Q5_1 / Q8_0 block */
#define WIR_QK_K 256  /* elements per K-quant super-block */

/* Q8_0: y[i] = d * qs[i]. */
typedef struct wir_block_q8_0 {
    uint16_t d;          /* fp16 scale */
    int8_t qs[WIR_QK];
} wir_block_q8_0;

/* Q4_0: y[j] = d * ((qs[j] & 15) - 8), y[j + 16] = d * ((qs[j] >> 4) - 8). */
typedef struct wir_block_q4_0 {
    uint16_t d;
    uint8_t qs[WIR_QK / 2];
} wir_block_q4_0;

/* Q4_1: y[j] = d * (qs[j] & 15) + m, y[j + 16] = d * (qs[j] >> 4) + m. */
typedef struct wir_block_q4_1 {
    uint16_t d;
    uint16_t m;          /* fp16 offset (the block's minimum) */
    uint8_t qs[WIR_QK / 2];
} wir_block_q4_1;

/* Q5_0: as Q4_0 with a fifth bit per element from the little-endian 32-bit
 * word qh (bit j for element j, bit j + 16 for element j + 16) and an offset
 * of 16: y[j] = d * (((qs[j] & 15) | bit j << 4) - 16). */
typedef struct wir_block_q5_0 {
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[WIR_QK / 2];
} wir_block_q5_0;

/* Q5_1: Q5_0's five bits with Q4_1's affine decode: y = d * q + m. */
typedef struct wir_block_q5_1 {
    uint16_t d;
    uint16_t m;
    uint8_t qh[4];
    uint8_t qs[WIR_QK / 2];
} wir_block_q5_1;

/* Q4_K: 8 sub-blocks of 32; sub-block s has a 6-bit scale sc[s] and min m[s]
 * packed in scales[12] (see wir_qformat_k_scale), and
 *     y = d * sc[s] * q - dmin * m[s].
 * Elements 64c + l (l < 32) take the low nibble of qs[32c + l] (sub-block
 * 2c), elements 64c + 32 + l the high nibble (sub-block 2c + 1). */
typedef struct wir_block_q4_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qs[WIR_QK_K / 2];
} wir_block_q4_K;

/* Q5_K: as Q4_K, plus a fifth bit: element 64c + l adds 16 when bit 2c of
 * qh[l] is set, element 64c + 32 + l when bit 2c + 1 is. */
typedef struct wir_block_q5_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qh[WIR_QK_K / 8];
    uint8_t qs[WIR_QK_K / 2];
} wir_block_q5_K;

/* Q6_K: 16 sub-blocks of 16 with int8 scales; y = d * scales[s] * (q - 32),
 * q 6 bits. In each half h (128 elements; ql += 64h, qh += 32h, scales
 * += 8h), for l < 32:
 *     element l      : low nibble of ql[l]      | bits 0-1 of qh[l] << 4
 *     element l + 32 : low nibble of ql[l + 32] | bits 2-3 of qh[l] << 4
 *     element l + 64 : high nibble of ql[l]     | bits 4-5 of qh[l] << 4
 *     element l + 96 : high nibble of ql[l + 32]| bits 6-7 of qh[l] << 4
 * and element e of the half uses scales[e / 16]. */
typedef struct wir_block_q6_K {
    uint8_t ql[WIR_QK_K / 2];
    uint8_t qh[WIR_QK_K / 4];
    int8_t scales[WIR_QK_K / 16];
    uint16_t d;
} wir_block_q6_K;

_Static_assert(sizeof(wir_block_q8_0) == 34, "q8_0 block is 34 bytes");
_Static_assert(sizeof(wir_block_q4_0) == 18, "q4_0 block is 18 bytes");
_Static_assert(sizeof(wir_block_q4_1) == 20, "q4_1 block is 20 bytes");
_Static_assert(sizeof(wir_block_q5_0) == 22, "q5_0 block is 22 bytes");
_Static_assert(sizeof(wir_block_q5_1) == 24, "q5_1 block is 24 bytes");
_Static_assert(sizeof(wir_block_q4_K) == 144, "q4_K block is 144 bytes");
_Static_assert(sizeof(wir_block_q5_K) == 176, "q5_K block is 176 bytes");
_Static_assert(sizeof(wir_block_q6_K) == 210, "q6_K block is 210 bytes");

/* The 6-bit scale and min of sub-block S (0..7) from a K-quant's scales[12]:
 * sub-blocks 0-3 keep theirs in the low 6 bits of bytes 0-3 (scales) and
 * 4-7 (mins); sub-blocks 4-7 keep their low 4 bits in the nibbles of bytes
 * 8-11 (scale low, min high) and their top 2 bits in the top 2 bits of bytes
 * 0-3 (scales) and 4-7 (mins). */
static inline void wir_qformat_k_scale(const uint8_t scales[12], int s, uint8_t *sc, uint8_t *m) {
    if (s < 4) {
        *sc = scales[s] & 63;
        *m = scales[s + 4] & 63;
    } else {
        *sc = (uint8_t)((scales[s + 4] & 15) | ((scales[s - 4] >> 6) << 4));
        *m = (uint8_t)((scales[s + 4] >> 4) | ((scales[s] >> 6) << 4));
    }
}

/* The inverse: packs 8 scales and 8 mins (each < 64) into scales[12]. */
static inline void wir_qformat_k_pack(uint8_t scales[12], const uint8_t sc[8], const uint8_t m[8]) {
    for (int s = 0; s < 4; s++) {
        scales[s] = (uint8_t)((sc[s] & 63) | ((sc[s + 4] >> 4) << 6));
        scales[s + 4] = (uint8_t)((m[s] & 63) | ((m[s + 4] >> 4) << 6));
        scales[s + 8] = (uint8_t)((sc[s + 4] & 15) | ((m[s + 4] & 15) << 4));
    }
}

/* IEEE binary16 <-> binary32, exact: subnormals, infinities and NaNs (the
 * payload's top 10 bits are kept and the NaN is made quiet) included;
 * float -> half rounds to nearest, ties to even. */
float wir_fp16_to_fp32(uint16_t h);
uint16_t wir_fp32_to_fp16(float f);
/* bfloat16 (the top half of a binary32) <-> binary32; rounding to nearest
 * even, NaNs stay NaN (quiet). */
float wir_bf16_to_fp32(uint16_t h);
uint16_t wir_fp32_to_bf16(float f);

/* A little-endian uint16 at any address. */
static inline uint16_t wir_qformat_le16(const void *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

#endif
