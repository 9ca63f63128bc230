/* wir_qformat: decode, encode and dot products for ggml's block formats.
 * Layouts: wir_qformat_blocks.h. Written from the format description; the
 * quantizers are deliberately simple (min/max scales, round to nearest), the
 * bytes they write follow ggml's layout exactly.
 *
 * Speed: the dot products are the CPU backend's inner loop. They decode a
 * block's quants into 8-wide GCC vectors (vector_size(32): 8 floats) and
 * multiply-accumulate against x without a temporary row, keeping vector
 * accumulators (per lane, so no floating-point reassociation is needed and
 * results do not depend on -ffast-math). Quant bytes are widened to 32-bit
 * lanes before any nibble or bit arithmetic (wir_load8w). On x86-64 the two
 * entry points are compiled twice, for baseline x86-64 and for x86-64-v3
 * (AVX2), and the loader picks one at start-up (target_clones), so a
 * portable binary still uses AVX2 where it exists; F16 rows use F16C + FMA
 * intrinsics when the CPU has them. Single-core figures on the development
 * machine (an AMD EPYC VM core, 4096-element rows, cache-resident):
 * q4_K ~10, q6_K ~6.8, q5_K ~5.9, q8_0 ~9, f16 ~16 Gelem/s; the baseline
 * build runs at roughly 40% of that.
 */
#include "wir_qformat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wir_qformat_blocks.h"

/* WIR_QF_NO_CLONES builds the portable code only: the tests use it to check
 * the baseline path on machines whose loader would pick the AVX2 one. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(WIR_QF_NO_CLONES)
#define WIR_QF_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define WIR_QF_CLONES
#endif

/* 32-byte vectors are passed between static (inlined) helpers only, never
 * across an ABI boundary, so GCC's note that their ABI differs with AVX is moot. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* The kernels are forced inline into the two public entry points so each
 * target_clones copy gets its own AVX2 or baseline build of them. */
#define WIR_QF_KERNEL static inline __attribute__((always_inline))

typedef float wir_v8f __attribute__((vector_size(32)));
typedef uint8_t wir_v8u8 __attribute__((vector_size(8)));
typedef int8_t wir_v8i8 __attribute__((vector_size(8)));
typedef uint16_t wir_v8u16 __attribute__((vector_size(16)));
typedef uint32_t wir_v8u32 __attribute__((vector_size(32)));
typedef int32_t wir_v8i32 __attribute__((vector_size(32)));

/* ---- 16-bit floats ------------------------------------------------------ */

static inline uint32_t wir_f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float wir_f32_from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

float wir_fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t em = h & 0x7fff; /* exponent and mantissa */
    uint32_t bits;
    if (em >= 0x7c00)         /* inf / NaN: exponent all ones, mantissa kept */
        bits = 0x7f800000 | ((em & 0x3ff) << 13);
    else if (em >= 0x0400)    /* normal: rebias the exponent from 15 to 127 */
        bits = (em << 13) + (112u << 23);
    else                      /* zero / subnormal: mantissa * 2^-24, exact in float */
        bits = wir_f32_bits((float)em * 0x1p-24f);
    return wir_f32_from_bits(bits | sign);
}

uint16_t wir_fp32_to_fp16(float f) {
    uint32_t x = wir_f32_bits(f);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t ax = x & 0x7fffffff;
    if (ax > 0x7f800000) /* NaN: keep the top mantissa bits, force quiet */
        return (uint16_t)(sign | 0x7e00 | ((ax >> 13) & 0x3ff));
    if (ax >= 0x477ff000) /* >= 65520 (halfway above 65504, ties to even): inf */
        return (uint16_t)(sign | 0x7c00);
    if (ax < 0x38800000) { /* below 2^-14: a subnormal half or zero */
        if (ax <= 0x33000000) /* <= 2^-25: rounds to zero (2^-25 is a tie, to even) */
            return sign;
        uint32_t e = ax >> 23;
        uint32_t m = (ax & 0x7fffff) | 0x800000; /* value = m * 2^(e - 150) */
        uint32_t shift = 126 - e;                 /* to units of 2^-24: 14..24 */
        uint32_t q = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++; /* may carry into the smallest normal, which encodes correctly */
        return (uint16_t)(sign | q);
    }
    uint32_t r = ax - (112u << 23); /* rebias: half bits are r >> 13 */
    uint32_t q = r >> 13, rem = r & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (q & 1)))
        q++; /* a carry into the exponent is right; overflow was handled above */
    return (uint16_t)(sign | q);
}

float wir_bf16_to_fp32(uint16_t h) { return wir_f32_from_bits((uint32_t)h << 16); }

uint16_t wir_fp32_to_bf16(float f) {
    uint32_t x = wir_f32_bits(f);
    if ((x & 0x7fffffff) > 0x7f800000)
        return (uint16_t)((x >> 16) | 0x40);
    return (uint16_t)((x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

/* Eight halves to floats with vector integer ops (same cases as the scalar
 * version, selected with masks so it vectorizes). */
WIR_QF_KERNEL wir_v8f wir_fp16x8_to_fp32(const uint8_t *p) {
    wir_v8u16 h;
    memcpy(&h, p, 16);
    wir_v8u32 w = __builtin_convertvector(h, wir_v8u32);
    wir_v8u32 sign = (w & 0x8000) << 16;
    wir_v8u32 em = w & 0x7fff;
    wir_v8u32 normal = (em << 13) + (112u << 23);
    wir_v8u32 special = (em << 13) | 0x7f800000;
    wir_v8f subf = __builtin_convertvector((wir_v8i32)em, wir_v8f) * 0x1p-24f;
    wir_v8u32 sub;
    memcpy(&sub, &subf, 32);
    wir_v8u32 is_special = (wir_v8u32)(em >= 0x7c00);
    wir_v8u32 is_normal = (wir_v8u32)(em >= 0x0400) & ~is_special;
    wir_v8u32 is_sub = ~(is_special | is_normal);
    wir_v8u32 bits = (special & is_special) | (normal & is_normal) | (sub & is_sub) | sign;
    wir_v8f out;
    memcpy(&out, &bits, 32);
    return out;
}

WIR_QF_KERNEL wir_v8f wir_bf16x8_to_fp32(const uint8_t *p) {
    wir_v8u16 h;
    memcpy(&h, p, 16);
    wir_v8u32 bits = __builtin_convertvector(h, wir_v8u32) << 16;
    wir_v8f out;
    memcpy(&out, &bits, 32);
    return out;
}

/* ---- vector helpers ----------------------------------------------------- */

WIR_QF_KERNEL wir_v8f wir_load8(const float *p) {
    wir_v8f v;
    memcpy(&v, p, 32);
    return v;
}

WIR_QF_KERNEL wir_v8u8 wir_load8u(const uint8_t *p) {
    wir_v8u8 v;
    memcpy(&v, p, 8);
    return v;
}

WIR_QF_KERNEL wir_v8f wir_u8_to_f(wir_v8u8 v) { return __builtin_convertvector(v, wir_v8f); }

/* Eight bytes widened to 32-bit lanes first: nibble and bit arithmetic is
 * then native (x86 has no 8-bit shifts), and the float conversion is one
 * instruction. */
WIR_QF_KERNEL wir_v8i32 wir_load8w(const uint8_t *p) {
    /* GCC lowers a generic u8 -> i32 vector conversion to per-byte inserts;
     * broadcasting the two 32-bit halves and shifting each lane by its own
     * amount compiles to a shuffle and one variable shift (vpsrlvd). */
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    wir_v8u32 v = {lo, lo, lo, lo, hi, hi, hi, hi};
    const wir_v8u32 shift = {0, 8, 16, 24, 0, 8, 16, 24};
    return (wir_v8i32)((v >> shift) & 0xff);
}

WIR_QF_KERNEL wir_v8f wir_i_to_f(wir_v8i32 v) { return __builtin_convertvector(v, wir_v8f); }

WIR_QF_KERNEL float wir_hsum(wir_v8f v) {
    return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

/* ---- the type table ----------------------------------------------------- */

bool wir_qformat_supported(int32_t type) {
    switch (type) {
    case WIR_QTYPE_F32: case WIR_QTYPE_F16: case WIR_QTYPE_BF16: case WIR_QTYPE_Q8_0:
    case WIR_QTYPE_Q4_0: case WIR_QTYPE_Q4_1: case WIR_QTYPE_Q5_0: case WIR_QTYPE_Q5_1:
    case WIR_QTYPE_Q4_K: case WIR_QTYPE_Q5_K: case WIR_QTYPE_Q6_K:
        return true;
    default:
        return false;
    }
}

void wir_qformat_list_supported(char *buf, size_t size) {
    size_t used = 0;
    if (size) buf[0] = '\0';
    /* ggml type ids run below 64; BF16 is 30. */
    for (int32_t t = 0; t < 64 && used < size; t++) {
        if (!wir_qformat_supported(t)) continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", wir_qformat_name(t));
        if (n < 0) break;
        used += (size_t)n;
    }
}

const char *wir_qformat_name(int32_t type) {
    switch (type) {
    case WIR_QTYPE_F32: return "f32";
    case WIR_QTYPE_F16: return "f16";
    case WIR_QTYPE_BF16: return "bf16";
    case WIR_QTYPE_Q8_0: return "q8_0";
    case WIR_QTYPE_Q4_0: return "q4_0";
    case WIR_QTYPE_Q4_1: return "q4_1";
    case WIR_QTYPE_Q5_0: return "q5_0";
    case WIR_QTYPE_Q5_1: return "q5_1";
    case WIR_QTYPE_Q4_K: return "q4_K";
    case WIR_QTYPE_Q5_K: return "q5_K";
    case WIR_QTYPE_Q6_K: return "q6_K";
    default: return "unknown";
    }
}

int32_t wir_qformat_block_size(int32_t type) {
    switch (type) {
    case WIR_QTYPE_F32: case WIR_QTYPE_F16: case WIR_QTYPE_BF16: return 1;
    case WIR_QTYPE_Q8_0: case WIR_QTYPE_Q4_0: case WIR_QTYPE_Q4_1: case WIR_QTYPE_Q5_0:
    case WIR_QTYPE_Q5_1:
        return WIR_QK;
    case WIR_QTYPE_Q4_K: case WIR_QTYPE_Q5_K: case WIR_QTYPE_Q6_K: return WIR_QK_K;
    default: return 0;
    }
}

size_t wir_qformat_type_size(int32_t type) {
    switch (type) {
    case WIR_QTYPE_F32: return 4;
    case WIR_QTYPE_F16: case WIR_QTYPE_BF16: return 2;
    case WIR_QTYPE_Q8_0: return sizeof(wir_block_q8_0);
    case WIR_QTYPE_Q4_0: return sizeof(wir_block_q4_0);
    case WIR_QTYPE_Q4_1: return sizeof(wir_block_q4_1);
    case WIR_QTYPE_Q5_0: return sizeof(wir_block_q5_0);
    case WIR_QTYPE_Q5_1: return sizeof(wir_block_q5_1);
    case WIR_QTYPE_Q4_K: return sizeof(wir_block_q4_K);
    case WIR_QTYPE_Q5_K: return sizeof(wir_block_q5_K);
    case WIR_QTYPE_Q6_K: return sizeof(wir_block_q6_K);
    default: return 0;
    }
}

size_t wir_qformat_row_bytes(int32_t type, int64_t n) {
    int32_t block = wir_qformat_block_size(type);
    if (block <= 0 || n < 0)
        return 0;
    return (size_t)(n / block) * wir_qformat_type_size(type);
}

/* ---- dequantization ----------------------------------------------------- */

WIR_QF_KERNEL void wir_dequant_q8_0(const uint8_t *src, float *y, int64_t nb) {
    for (int64_t i = 0; i < nb; i++, src += sizeof(wir_block_q8_0), y += WIR_QK) {
        float d = wir_fp16_to_fp32(wir_qformat_le16(src));
        const int8_t *qs = (const int8_t *)(src + 2);
        for (int j = 0; j < WIR_QK; j++)
            y[j] = d * (float)qs[j];
    }
}

WIR_QF_KERNEL void wir_dequant_q4_0(const uint8_t *src, float *y, int64_t nb) {
    for (int64_t i = 0; i < nb; i++, src += sizeof(wir_block_q4_0), y += WIR_QK) {
        float d = wir_fp16_to_fp32(wir_qformat_le16(src));
        const uint8_t *qs = src + 2;
        for (int j = 0; j < WIR_QK / 2; j++) {
            y[j] = d * (float)((qs[j] & 15) - 8);
            y[j + 16] = d * (float)((qs[j] >> 4) - 8);
        }
    }
}

/* Where Q4_1, Q5_0 and Q5_1 keep their fields, and how they decode:
 * q = nibble | fifth bit << 4, y = d * (q - offset) + m. */
typedef struct wir_legacy_layout {
    size_t block_bytes;
    int qh_at, qs_at;  /* byte offsets; qh_at < 0 when there is no fifth bit */
    bool has_min;      /* m (fp16) at byte 2 */
    int offset;        /* 0 with a min, else 16 (five bits) */
} wir_legacy_layout;

static wir_legacy_layout wir_legacy_layout_of(int32_t type) {
    switch (type) {
    case WIR_QTYPE_Q4_1: return (wir_legacy_layout){sizeof(wir_block_q4_1), -1, 4, true, 0};
    case WIR_QTYPE_Q5_0: return (wir_legacy_layout){sizeof(wir_block_q5_0), 2, 6, false, 16};
    default: return (wir_legacy_layout){sizeof(wir_block_q5_1), 4, 8, true, 0};
    }
}

/* The fifth bits of a Q5 block (bit j for element j), 0 without them. */
static inline uint32_t wir_legacy_qh(const uint8_t *b, const wir_legacy_layout *L) {
    uint32_t qh = 0;
    if (L->qh_at >= 0)
        memcpy(&qh, b + L->qh_at, 4);
    return qh;
}

WIR_QF_KERNEL void wir_dequant_legacy(const uint8_t *src, float *y, int64_t nb, int32_t type) {
    const wir_legacy_layout L = wir_legacy_layout_of(type);
    for (int64_t i = 0; i < nb; i++, src += L.block_bytes, y += WIR_QK) {
        float d = wir_fp16_to_fp32(wir_qformat_le16(src));
        float m = L.has_min ? wir_fp16_to_fp32(wir_qformat_le16(src + 2)) : 0.0f;
        uint32_t qh = wir_legacy_qh(src, &L);
        const uint8_t *qs = src + L.qs_at;
        for (int j = 0; j < WIR_QK / 2; j++) {
            int lo = (qs[j] & 15) | (int)((qh >> j) & 1) << 4;
            int hi = (qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4;
            y[j] = d * (float)(lo - L.offset) + m;
            y[j + 16] = d * (float)(hi - L.offset) + m;
        }
    }
}

/* Q4_K and Q5_K share the scales; QH is NULL for Q4_K. */
WIR_QF_KERNEL void wir_dequant_k45(const uint8_t *b, bool five, float *y) {
    float d = wir_fp16_to_fp32(wir_qformat_le16(b));
    float dmin = wir_fp16_to_fp32(wir_qformat_le16(b + 2));
    const uint8_t *scales = b + 4;
    const uint8_t *qh = five ? b + 16 : NULL;
    const uint8_t *qs = five ? b + 48 : b + 16;
    for (int c = 0; c < 4; c++, qs += 32, y += 64) {
        uint8_t sc0, m0, sc1, m1;
        wir_qformat_k_scale(scales, 2 * c, &sc0, &m0);
        wir_qformat_k_scale(scales, 2 * c + 1, &sc1, &m1);
        float d0 = d * sc0, o0 = dmin * m0, d1 = d * sc1, o1 = dmin * m1;
        for (int l = 0; l < 32; l++) {
            int lo = qs[l] & 15, hi = qs[l] >> 4;
            if (qh) {
                lo += ((qh[l] >> (2 * c)) & 1) << 4;
                hi += ((qh[l] >> (2 * c + 1)) & 1) << 4;
            }
            y[l] = d0 * (float)lo - o0;
            y[l + 32] = d1 * (float)hi - o1;
        }
    }
}

WIR_QF_KERNEL void wir_dequant_q6_K(const uint8_t *b, float *y) {
    float d = wir_fp16_to_fp32(wir_qformat_le16(b + 208));
    const uint8_t *ql = b, *qh = b + 128;
    const int8_t *sc = (const int8_t *)(b + 192);
    for (int h = 0; h < 2; h++, ql += 64, qh += 32, sc += 8, y += 128) {
        for (int l = 0; l < 32; l++) {
            int s = l / 16;
            int q0 = ((ql[l] & 15) | (((qh[l] >> 0) & 3) << 4)) - 32;
            int q1 = ((ql[l + 32] & 15) | (((qh[l] >> 2) & 3) << 4)) - 32;
            int q2 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            int q3 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * (float)sc[s] * (float)q0;
            y[l + 32] = d * (float)sc[s + 2] * (float)q1;
            y[l + 64] = d * (float)sc[s + 4] * (float)q2;
            y[l + 96] = d * (float)sc[s + 6] * (float)q3;
        }
    }
}

WIR_QF_CLONES
void wir_qformat_dequantize_row(int32_t type, const void *src, float *dst, int64_t n) {
    const uint8_t *p = src;
    switch (type) {
    case WIR_QTYPE_F32:
        memcpy(dst, src, (size_t)n * 4);
        break;
    case WIR_QTYPE_F16:
        for (int64_t i = 0; i < n; i++)
            dst[i] = wir_fp16_to_fp32(wir_qformat_le16(p + 2 * i));
        break;
    case WIR_QTYPE_BF16:
        for (int64_t i = 0; i < n; i++)
            dst[i] = wir_bf16_to_fp32(wir_qformat_le16(p + 2 * i));
        break;
    case WIR_QTYPE_Q8_0:
        wir_dequant_q8_0(p, dst, n / WIR_QK);
        break;
    case WIR_QTYPE_Q4_0:
        wir_dequant_q4_0(p, dst, n / WIR_QK);
        break;
    case WIR_QTYPE_Q4_1:
    case WIR_QTYPE_Q5_0:
    case WIR_QTYPE_Q5_1:
        wir_dequant_legacy(p, dst, n / WIR_QK, type);
        break;
    case WIR_QTYPE_Q4_K:
    case WIR_QTYPE_Q5_K: {
        size_t bs = wir_qformat_type_size(type);
        for (int64_t i = 0; i < n / WIR_QK_K; i++)
            wir_dequant_k45(p + (size_t)i * bs, type == WIR_QTYPE_Q5_K, dst + i * WIR_QK_K);
        break;
    }
    case WIR_QTYPE_Q6_K:
        for (int64_t i = 0; i < n / WIR_QK_K; i++)
            wir_dequant_q6_K(p + (size_t)i * sizeof(wir_block_q6_K), dst + i * WIR_QK_K);
        break;
    default:
        break;
    }
}

/* ---- quantization ------------------------------------------------------- */

static inline int wir_round_clamp(float v, int lo, int hi) {
    int q = (int)lrintf(v); /* NaN-free inputs; clamp guards the range */
    return q < lo ? lo : q > hi ? hi : q;
}

/* Scale factors are stored as fp16, so the quants are computed against the
 * stored (rounded) scale: the decoder sees exactly what we measured against. */
static void wir_quant_q8_0(const float *x, uint8_t *dst, int64_t nb) {
    for (int64_t i = 0; i < nb; i++, x += WIR_QK, dst += sizeof(wir_block_q8_0)) {
        float amax = 0;
        for (int j = 0; j < WIR_QK; j++)
            amax = fmaxf(amax, fabsf(x[j]));
        uint16_t dh = wir_fp32_to_fp16(amax / 127.0f);
        float d = wir_fp16_to_fp32(dh), id = d > 0 ? 1.0f / d : 0.0f;
        memcpy(dst, &dh, 2);
        for (int j = 0; j < WIR_QK; j++)
            dst[2 + j] = (uint8_t)(int8_t)wir_round_clamp(x[j] * id, -127, 127);
    }
}

static void wir_quant_q4_0(const float *x, uint8_t *dst, int64_t nb) {
    for (int64_t i = 0; i < nb; i++, x += WIR_QK, dst += sizeof(wir_block_q4_0)) {
        /* The value of largest magnitude maps to -8, the end of the range
         * with one more step, so its sign picks the scale's sign. */
        float amax = 0, max = 0;
        for (int j = 0; j < WIR_QK; j++)
            if (fabsf(x[j]) > amax) {
                amax = fabsf(x[j]);
                max = x[j];
            }
        uint16_t dh = wir_fp32_to_fp16(max / -8.0f);
        float d = wir_fp16_to_fp32(dh), id = d != 0 ? 1.0f / d : 0.0f;
        memcpy(dst, &dh, 2);
        for (int j = 0; j < WIR_QK / 2; j++) {
            int lo = wir_round_clamp(x[j] * id + 8.0f, 0, 15);
            int hi = wir_round_clamp(x[j + 16] * id + 8.0f, 0, 15);
            dst[2 + j] = (uint8_t)(lo | hi << 4);
        }
    }
}

/* Q4_1 / Q5_1: the block's range [min, max] in 2^bits - 1 steps, m = min;
 * Q5_0: as Q4_0, the value of largest magnitude at -16. */
static void wir_quant_legacy(const float *x, uint8_t *dst, int64_t nb, int32_t type) {
    const wir_legacy_layout L = wir_legacy_layout_of(type);
    const int nmax = L.qh_at >= 0 ? 31 : 15;
    for (int64_t i = 0; i < nb; i++, x += WIR_QK, dst += L.block_bytes) {
        float lo = INFINITY, hi = -INFINITY, amax = 0, max = 0;
        for (int j = 0; j < WIR_QK; j++) {
            lo = fminf(lo, x[j]);
            hi = fmaxf(hi, x[j]);
            if (fabsf(x[j]) > amax) {
                amax = fabsf(x[j]);
                max = x[j];
            }
        }
        uint16_t dh = wir_fp32_to_fp16(L.has_min ? (hi - lo) / (float)nmax : max / -16.0f);
        uint16_t mh = wir_fp32_to_fp16(lo);
        float d = wir_fp16_to_fp32(dh), m = L.has_min ? wir_fp16_to_fp32(mh) : 0.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        memcpy(dst, &dh, 2);
        if (L.has_min)
            memcpy(dst + 2, &mh, 2);
        uint32_t qh = 0;
        for (int j = 0; j < WIR_QK / 2; j++) {
            int q0 = wir_round_clamp((x[j] - m) * id + (float)L.offset, 0, nmax);
            int q1 = wir_round_clamp((x[j + 16] - m) * id + (float)L.offset, 0, nmax);
            dst[L.qs_at + j] = (uint8_t)((q0 & 15) | (q1 & 15) << 4);
            qh |= (uint32_t)(q0 >> 4) << j | (uint32_t)(q1 >> 4) << (j + 16);
        }
        if (L.qh_at >= 0)
            memcpy(dst + L.qh_at, &qh, 4);
    }
}

/* Q4_K / Q5_K: each 32-element sub-block gets an affine range [min, max]
 * with min <= 0 (the format stores -min >= 0); the 8 scales and 8 mins are
 * quantized to 6 bits against the super-block's d and dmin. */
static void wir_quant_k45(const float *x, uint8_t *b, bool five) {
    const int nmax = five ? 31 : 15;
    float scale[8], min[8], max_scale = 0, max_min = 0;
    for (int s = 0; s < 8; s++) {
        float lo = 0, hi = -INFINITY;
        for (int l = 0; l < 32; l++) {
            lo = fminf(lo, x[32 * s + l]);
            hi = fmaxf(hi, x[32 * s + l]);
        }
        scale[s] = hi > lo ? (hi - lo) / (float)nmax : 0;
        min[s] = -lo;
        max_scale = fmaxf(max_scale, scale[s]);
        max_min = fmaxf(max_min, min[s]);
    }
    uint16_t dh = wir_fp32_to_fp16(max_scale / 63.0f);
    uint16_t mh = wir_fp32_to_fp16(max_min / 63.0f);
    float d = wir_fp16_to_fp32(dh), dmin = wir_fp16_to_fp32(mh);
    uint8_t sc[8], m[8];
    for (int s = 0; s < 8; s++) {
        /* Round the min up so the sub-block's smallest value stays in range. */
        sc[s] = (uint8_t)(d > 0 ? wir_round_clamp(scale[s] / d, 0, 63) : 0);
        m[s] = (uint8_t)(dmin > 0 ? wir_round_clamp(ceilf(min[s] / dmin - 1e-4f), 0, 63) : 0);
    }
    memcpy(b, &dh, 2);
    memcpy(b + 2, &mh, 2);
    wir_qformat_k_pack(b + 4, sc, m);
    uint8_t q[256];
    for (int s = 0; s < 8; s++) {
        float ds = d * sc[s], off = dmin * m[s], ids = ds > 0 ? 1.0f / ds : 0.0f;
        for (int l = 0; l < 32; l++)
            q[32 * s + l] = (uint8_t)wir_round_clamp((x[32 * s + l] + off) * ids, 0, nmax);
    }
    uint8_t *qh = five ? b + 16 : NULL, *qs = five ? b + 48 : b + 16;
    if (qh)
        memset(qh, 0, 32);
    for (int c = 0; c < 4; c++)
        for (int l = 0; l < 32; l++) {
            uint8_t lo = q[64 * c + l], hi = q[64 * c + 32 + l];
            qs[32 * c + l] = (uint8_t)((lo & 15) | (hi & 15) << 4);
            if (qh)
                qh[l] |= (uint8_t)(((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1)));
        }
}

/* Q6_K: 16 sub-blocks of 16, symmetric, 6-bit quants in -32..31 with an
 * int8 scale each against the super-block's d. */
static void wir_quant_q6_K(const float *x, uint8_t *b) {
    float scale[16], max_scale = 0;
    for (int s = 0; s < 16; s++) {
        float amax = 0;
        for (int l = 0; l < 16; l++)
            amax = fmaxf(amax, fabsf(x[16 * s + l]));
        scale[s] = amax / 31.0f;
        max_scale = fmaxf(max_scale, scale[s]);
    }
    uint16_t dh = wir_fp32_to_fp16(max_scale / 127.0f);
    float d = wir_fp16_to_fp32(dh);
    int8_t sc[16];
    for (int s = 0; s < 16; s++)
        sc[s] = (int8_t)(d > 0 ? wir_round_clamp(scale[s] / d, -128, 127) : 0);
    uint8_t q[256];
    for (int s = 0; s < 16; s++) {
        float ds = d * sc[s], ids = ds != 0 ? 1.0f / ds : 0.0f;
        for (int l = 0; l < 16; l++)
            q[16 * s + l] = (uint8_t)(wir_round_clamp(x[16 * s + l] * ids, -32, 31) + 32);
    }
    uint8_t *ql = b, *qh = b + 128;
    for (int h = 0; h < 2; h++) {
        const uint8_t *qq = q + 128 * h;
        for (int l = 0; l < 32; l++) {
            ql[64 * h + l] = (uint8_t)((qq[l] & 15) | (qq[l + 64] & 15) << 4);
            ql[64 * h + l + 32] = (uint8_t)((qq[l + 32] & 15) | (qq[l + 96] & 15) << 4);
            qh[32 * h + l] = (uint8_t)((qq[l] >> 4) | (qq[l + 32] >> 4) << 2 |
                                       (qq[l + 64] >> 4) << 4 | (qq[l + 96] >> 4) << 6);
        }
    }
    memcpy(b + 192, sc, 16);
    memcpy(b + 208, &dh, 2);
}

void wir_qformat_quantize_row(int32_t type, const float *src, void *dst, int64_t n) {
    uint8_t *p = dst;
    switch (type) {
    case WIR_QTYPE_F32:
        memcpy(dst, src, (size_t)n * 4);
        break;
    case WIR_QTYPE_F16:
        for (int64_t i = 0; i < n; i++) {
            uint16_t h = wir_fp32_to_fp16(src[i]);
            memcpy(p + 2 * i, &h, 2);
        }
        break;
    case WIR_QTYPE_BF16:
        for (int64_t i = 0; i < n; i++) {
            uint16_t h = wir_fp32_to_bf16(src[i]);
            memcpy(p + 2 * i, &h, 2);
        }
        break;
    case WIR_QTYPE_Q8_0:
        wir_quant_q8_0(src, p, n / WIR_QK);
        break;
    case WIR_QTYPE_Q4_0:
        wir_quant_q4_0(src, p, n / WIR_QK);
        break;
    case WIR_QTYPE_Q4_1:
    case WIR_QTYPE_Q5_0:
    case WIR_QTYPE_Q5_1:
        wir_quant_legacy(src, p, n / WIR_QK, type);
        break;
    case WIR_QTYPE_Q4_K:
    case WIR_QTYPE_Q5_K: {
        size_t bs = wir_qformat_type_size(type);
        for (int64_t i = 0; i < n / WIR_QK_K; i++)
            wir_quant_k45(src + i * WIR_QK_K, p + (size_t)i * bs, type == WIR_QTYPE_Q5_K);
        break;
    }
    case WIR_QTYPE_Q6_K:
        for (int64_t i = 0; i < n / WIR_QK_K; i++)
            wir_quant_q6_K(src + i * WIR_QK_K, p + (size_t)i * sizeof(wir_block_q6_K));
        break;
    default:
        break;
    }
}

/* ---- dot products ------------------------------------------------------- */

WIR_QF_KERNEL float wir_dot_f32(const float *w, const float *x, int64_t n) {
    wir_v8f acc0 = {0}, acc1 = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 += wir_load8(w + i) * wir_load8(x + i);
        acc1 += wir_load8(w + i + 8) * wir_load8(x + i + 8);
    }
    float sum = wir_hsum(acc0 + acc1);
    for (; i < n; i++)
        sum += w[i] * x[i];
    return sum;
}

WIR_QF_KERNEL float wir_dot_f16(const uint8_t *w, const float *x, int64_t n, bool bf16) {
    wir_v8f acc0 = {0}, acc1 = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        wir_v8f a = bf16 ? wir_bf16x8_to_fp32(w + 2 * i) : wir_fp16x8_to_fp32(w + 2 * i);
        wir_v8f b = bf16 ? wir_bf16x8_to_fp32(w + 2 * i + 16) : wir_fp16x8_to_fp32(w + 2 * i + 16);
        acc0 += a * wir_load8(x + i);
        acc1 += b * wir_load8(x + i + 8);
    }
    float sum = wir_hsum(acc0 + acc1);
    for (; i < n; i++) {
        uint16_t h = wir_qformat_le16(w + 2 * i);
        sum += (bf16 ? wir_bf16_to_fp32(h) : wir_fp16_to_fp32(h)) * x[i];
    }
    return sum;
}

WIR_QF_KERNEL float wir_dot_q8_0(const uint8_t *w, const float *x, int64_t nb) {
    wir_v8f acc = {0};
    for (int64_t i = 0; i < nb; i++, w += sizeof(wir_block_q8_0), x += WIR_QK) {
        wir_v8f s = {0};
        for (int k = 0; k < 4; k++) {
            /* sign-extend the bytes: (b ^ 0x80) - 0x80 */
            wir_v8i32 q = (wir_load8w(w + 2 + 8 * k) ^ 0x80) - 0x80;
            s += wir_i_to_f(q) * wir_load8(x + 8 * k);
        }
        acc += s * wir_fp16_to_fp32(wir_qformat_le16(w));
    }
    return wir_hsum(acc);
}

WIR_QF_KERNEL float wir_dot_q4_0(const uint8_t *w, const float *x, int64_t nb) {
    wir_v8f acc = {0};
    for (int64_t i = 0; i < nb; i++, w += sizeof(wir_block_q4_0), x += WIR_QK) {
        wir_v8f s = {0};
        for (int k = 0; k < 2; k++) {
            wir_v8i32 q = wir_load8w(w + 2 + 8 * k);
            s += wir_i_to_f((q & 15) - 8) * wir_load8(x + 8 * k);
            s += wir_i_to_f((q >> 4) - 8) * wir_load8(x + 16 + 8 * k);
        }
        acc += s * wir_fp16_to_fp32(wir_qformat_le16(w));
    }
    return wir_hsum(acc);
}

/* sum (d * (q - offset) + m) * x over a block = d * sum((q - offset) * x)
 * + m * sum(x). The fifth bits of lane l of column group k (elements 8k + l
 * and 16 + 8k + l) are bits 8k + l and 16 + 8k + l of qh. */
WIR_QF_KERNEL float wir_dot_legacy(const uint8_t *w, const float *x, int64_t nb, int32_t type) {
    const wir_legacy_layout L = wir_legacy_layout_of(type);
    const wir_v8u32 lane = {0, 1, 2, 3, 4, 5, 6, 7};
    wir_v8f acc = {0};
    for (int64_t i = 0; i < nb; i++, w += L.block_bytes, x += WIR_QK) {
        const uint32_t qh = wir_legacy_qh(w, &L);
        wir_v8f s = {0}, t = {0};
        for (int k = 0; k < 2; k++) {
            wir_v8i32 q = wir_load8w(w + L.qs_at + 8 * k);
            wir_v8i32 lo = q & 15, hi = q >> 4;
            if (L.qh_at >= 0) {
                wir_v8u32 h = (wir_v8u32){0} + qh;
                lo |= (wir_v8i32)(((h >> (lane + 8 * k)) & 1) << 4);
                hi |= (wir_v8i32)(((h >> (lane + 16 + 8 * k)) & 1) << 4);
            }
            wir_v8f xa = wir_load8(x + 8 * k), xb = wir_load8(x + 16 + 8 * k);
            s += wir_i_to_f(lo - L.offset) * xa + wir_i_to_f(hi - L.offset) * xb;
            t += xa + xb;
        }
        float d = wir_fp16_to_fp32(wir_qformat_le16(w));
        float m = L.has_min ? wir_fp16_to_fp32(wir_qformat_le16(w + 2)) : 0.0f;
        acc += s * d + t * m;
    }
    return wir_hsum(acc);
}

/* sum (d*sc*q - dmin*m) * x over a sub-block = d*sc * sum(q*x) - dmin*m * sum(x):
 * two vector sums per sub-block, the scales applied once. */
WIR_QF_KERNEL float wir_dot_k45(const uint8_t *w, const float *x, int64_t nb, bool five) {
    const size_t bs = five ? sizeof(wir_block_q5_K) : sizeof(wir_block_q4_K);
    wir_v8f acc = {0};
    for (int64_t i = 0; i < nb; i++, w += bs, x += WIR_QK_K) {
        float d = wir_fp16_to_fp32(wir_qformat_le16(w));
        float dmin = wir_fp16_to_fp32(wir_qformat_le16(w + 2));
        const uint8_t *qh = w + 16, *qs = five ? w + 48 : w + 16;
        for (int c = 0; c < 4; c++) {
            uint8_t sc0, m0, sc1, m1;
            wir_qformat_k_scale(w + 4, 2 * c, &sc0, &m0);
            wir_qformat_k_scale(w + 4, 2 * c + 1, &sc1, &m1);
            const float *x0 = x + 64 * c, *x1 = x0 + 32;
            wir_v8f s0 = {0}, s1 = {0}, t0 = {0}, t1 = {0};
            for (int k = 0; k < 4; k++) {
                wir_v8i32 q = wir_load8w(qs + 32 * c + 8 * k);
                wir_v8i32 lo = q & 15, hi = q >> 4;
                if (five) {
                    wir_v8i32 h = wir_load8w(qh + 8 * k);
                    lo |= ((h >> (2 * c)) & 1) << 4;
                    hi |= ((h >> (2 * c + 1)) & 1) << 4;
                }
                wir_v8f xa = wir_load8(x0 + 8 * k), xb = wir_load8(x1 + 8 * k);
                s0 += wir_i_to_f(lo) * xa;
                s1 += wir_i_to_f(hi) * xb;
                t0 += xa;
                t1 += xb;
            }
            acc += s0 * (d * sc0) - t0 * (dmin * m0) + s1 * (d * sc1) - t1 * (dmin * m1);
        }
    }
    return wir_hsum(acc);
}

WIR_QF_KERNEL float wir_dot_q6_K(const uint8_t *w, const float *x, int64_t nb) {
    wir_v8f acc = {0};
    for (int64_t i = 0; i < nb; i++, w += sizeof(wir_block_q6_K), x += WIR_QK_K) {
        float d = wir_fp16_to_fp32(wir_qformat_le16(w + 208));
        const int8_t *sc = (const int8_t *)(w + 192);
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = w + 64 * h, *qh = w + 128 + 32 * h;
            const float *xh = x + 128 * h;
            const int8_t *sh = sc + 8 * h;
            /* Columns 0-15 (k = 0, 1) use scales sh[0, 2, 4, 6] for the four
             * quarters, columns 16-31 (k = 2, 3) sh[1, 3, 5, 7]: sum q*x per
             * 16-element group, then scale once. The -32 offset is folded in
             * as -32 * sum(x). */
            for (int s = 0; s < 2; s++) {
                wir_v8f g0 = {0}, g1 = {0}, g2 = {0}, g3 = {0};
                for (int k = 2 * s; k < 2 * s + 2; k++) {
                    wir_v8i32 a = wir_load8w(ql + 8 * k), b = wir_load8w(ql + 32 + 8 * k);
                    wir_v8i32 hb = wir_load8w(qh + 8 * k);
                    wir_v8i32 u0 = (a & 15) | ((hb & 3) << 4);
                    wir_v8i32 u1 = (b & 15) | ((hb & 12) << 2);
                    wir_v8i32 u2 = (a >> 4) | (hb & 48);
                    wir_v8i32 u3 = (b >> 4) | ((hb >> 2) & 48);
                    g0 += wir_i_to_f(u0 - 32) * wir_load8(xh + 8 * k);
                    g1 += wir_i_to_f(u1 - 32) * wir_load8(xh + 32 + 8 * k);
                    g2 += wir_i_to_f(u2 - 32) * wir_load8(xh + 64 + 8 * k);
                    g3 += wir_i_to_f(u3 - 32) * wir_load8(xh + 96 + 8 * k);
                }
                acc += g0 * (d * sh[s]) + g1 * (d * sh[s + 2]) + g2 * (d * sh[s + 4]) +
                       g3 * (d * sh[s + 6]);
            }
        }
    }
    return wir_hsum(acc);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(WIR_QF_NO_CLONES)
#include <immintrin.h>
#define WIR_QF_F16C 1
/* F16 rows with the F16C conversion instruction: the generic vector decode
 * above costs ~10 instructions per 8 halves, vcvtph2ps one. Called only when
 * the CPU has AVX2, FMA and F16C (wir_qf_has_f16c). */
__attribute__((target("avx2,fma,f16c")))
static float wir_dot_f16_f16c(const uint8_t *w, const float *x, int64_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(w + 2 * i)));
        __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(w + 2 * i + 16)));
        acc0 = _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(x + i + 8), acc1);
    }
    float l[8];
    _mm256_storeu_ps(l, _mm256_add_ps(acc0, acc1));
    float sum = ((l[0] + l[4]) + (l[1] + l[5])) + ((l[2] + l[6]) + (l[3] + l[7]));
    for (; i < n; i++)
        sum += wir_fp16_to_fp32(wir_qformat_le16(w + 2 * i)) * x[i];
    return sum;
}

static bool wir_qf_has_f16c(void) {
    static int cached = -1; /* every thread computes the same answer */
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        __builtin_cpu_init();
        c = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
            __builtin_cpu_supports("f16c");
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return c != 0;
}
#endif

WIR_QF_CLONES
float wir_qformat_dot_row(int32_t type, const void *row, const float *x, int64_t n) {
    const uint8_t *w = row;
    switch (type) {
    case WIR_QTYPE_F32: return wir_dot_f32(row, x, n);
    case WIR_QTYPE_F16:
#ifdef WIR_QF_F16C
        if (wir_qf_has_f16c())
            return wir_dot_f16_f16c(w, x, n);
#endif
        return wir_dot_f16(w, x, n, false);
    case WIR_QTYPE_BF16: return wir_dot_f16(w, x, n, true);
    case WIR_QTYPE_Q8_0: return wir_dot_q8_0(w, x, n / WIR_QK);
    case WIR_QTYPE_Q4_0: return wir_dot_q4_0(w, x, n / WIR_QK);
    case WIR_QTYPE_Q4_1:
    case WIR_QTYPE_Q5_0:
    case WIR_QTYPE_Q5_1: return wir_dot_legacy(w, x, n / WIR_QK, type);
    case WIR_QTYPE_Q4_K: return wir_dot_k45(w, x, n / WIR_QK_K, false);
    case WIR_QTYPE_Q5_K: return wir_dot_k45(w, x, n / WIR_QK_K, true);
    case WIR_QTYPE_Q6_K: return wir_dot_q6_K(w, x, n / WIR_QK_K);
    default: return 0.0f;
    }
}
