/* wir_cuda_qtypes: how a thread decodes its share of a weight row, per ggml
 * format, into registers.
 *
 * A row is cut into units of UNIT elements; consecutive threads take
 * consecutive units, so a warp reads one contiguous stretch of the row (the
 * loads of a warp are coalesced). wir_cuda_q<TYPE>::load(row, u, v) decodes
 * unit u into v[0..UNIT) and index(u, j) says which element of the row v[j]
 * is. Units are chosen so each thread issues few, wide loads:
 *   F32  4 elements, one 16-byte load;   F16/BF16  8 elements, one 16-byte load;
 *   Q8_0 8 elements (a quarter block: the scale and four 2-byte loads);
 *   Q4_0 8 elements (a quarter block: 4 bytes of nibbles, elements 4q..4q+3
 *        and 16+4q..16+4q+3);
 *   Q4_1, Q5_0, Q5_1 as Q4_0 (Q5 with the block's 32-bit word of fifth bits;
 *        20/22/24-byte blocks, so 2-byte loads);
 *   Q4_K 64 elements (a pair of sub-blocks: 32 bytes of nibbles as two
 *        16-byte loads - 144-byte blocks stay 16-byte aligned);
 *   Q5_K 64 elements (as Q4_K plus the 32 bytes of fifth bits, 176-byte blocks);
 *   Q6_K 32 elements (8 low bytes from each of two ql runs and 8 qh bytes;
 *        210-byte blocks are only 2-byte aligned, so 2-byte loads).
 * The layouts are wir_qformat_blocks.h's; the decoded values equal
 * wir_qformat_dequantize_row's (up to float rounding of d * scale).
 * Rows must be a multiple of the type's block size (checked at init).
 * The decoders are host and device code, so probe.cuda.qtypes checks them
 * against wir_qformat_dequantize_row on the CPU, without a GPU.
 */
#ifndef WIR_CUDA_QTYPES_CUH
#define WIR_CUDA_QTYPES_CUH

#include "wir_cuda_common.cuh"

/* N bytes from a 2-byte aligned address, through 2-byte loads. */
template <int N>
WIR_CUDA_HD void wir_cuda_bytes2(const uint8_t *p, uint8_t (&b)[N]) {
    const uint16_t *h = (const uint16_t *)p;
WIR_CUDA_UNROLL
    for (int i = 0; i < N / 2; i++) {
        uint16_t w = h[i];
        b[2 * i] = (uint8_t)(w & 0xff);
        b[2 * i + 1] = (uint8_t)(w >> 8);
    }
}

/* 32 bytes from a 16-byte aligned address, two 16-byte loads. */
WIR_CUDA_HD void wir_cuda_bytes16x2(const uint8_t *p, uint8_t (&b)[32]) {
    uint4 a = ((const uint4 *)p)[0], c = ((const uint4 *)p)[1];
    const uint32_t w[8] = {a.x, a.y, a.z, a.w, c.x, c.y, c.z, c.w};
WIR_CUDA_UNROLL
    for (int i = 0; i < 32; i++) b[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
}

template <int TYPE> struct wir_cuda_q;

template <> struct wir_cuda_q<WIR_QTYPE_F32> {
    static constexpr int UNIT = 4, BLOCK = 1;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        float4 f = ((const float4 *)row)[u];
        v[0] = f.x, v[1] = f.y, v[2] = f.z, v[3] = f.w;
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) { return 4 * u + j; }
};

/* F16 and BF16: 8 elements from one 16-byte load, element 2i in the low
 * half of word i (little-endian). */
template <bool BF16> struct wir_cuda_q16 {
    static constexpr int UNIT = 8, BLOCK = 1;
    WIR_CUDA_HD static float decode(uint32_t h) { return BF16 ? wir_cuda_bits_f(h << 16) : wir_cuda_h2f((uint16_t)h); }
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        uint4 q = ((const uint4 *)row)[u];
        const uint32_t w[4] = {q.x, q.y, q.z, q.w};
WIR_CUDA_UNROLL
        for (int i = 0; i < 4; i++) {
            v[2 * i] = decode(w[i] & 0xffff);
            v[2 * i + 1] = decode(w[i] >> 16);
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) { return 8 * u + j; }
};

template <> struct wir_cuda_q<WIR_QTYPE_F16> : wir_cuda_q16<false> {};
template <> struct wir_cuda_q<WIR_QTYPE_BF16> : wir_cuda_q16<true> {};

template <> struct wir_cuda_q<WIR_QTYPE_Q8_0> {
    static constexpr int UNIT = 8, BLOCK = WIR_QK;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const wir_block_q8_0 *b = (const wir_block_q8_0 *)row + u / 4;
        const float d = wir_cuda_h2f(b->d);
        uint8_t q[8];
        wir_cuda_bytes2<8>((const uint8_t *)b->qs + 8 * (u % 4), q);
WIR_CUDA_UNROLL
        for (int j = 0; j < 8; j++) v[j] = d * (float)(int8_t)q[j];
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) { return 8 * u + j; }
};

template <> struct wir_cuda_q<WIR_QTYPE_Q4_0> {
    static constexpr int UNIT = 8, BLOCK = WIR_QK;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const wir_block_q4_0 *b = (const wir_block_q4_0 *)row + u / 4;
        const float d = wir_cuda_h2f(b->d);
        uint8_t q[4];
        wir_cuda_bytes2<4>(b->qs + 4 * (u % 4), q);
WIR_CUDA_UNROLL
        for (int j = 0; j < 4; j++) {
            v[j] = d * (float)((int)(q[j] & 15) - 8);
            v[4 + j] = d * (float)((int)(q[j] >> 4) - 8);
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) {
        return 32 * (u / 4) + 4 * (u % 4) + (j < 4 ? j : 12 + j);
    }
};

/* Q4_1, Q5_0 and Q5_1 (wir_qformat_blocks.h): Q4_0's quarter-block units,
 * y = d * (q - OFFSET) + m with q = nibble | fifth bit << 4. The fifth bits
 * of a unit's low elements 4q + j are bits 4q + j of qh, of its high ones
 * 16 + 4q + j. */
template <class B, bool MIN, bool FIVE> struct wir_cuda_q_legacy {
    static constexpr int UNIT = 8, BLOCK = WIR_QK, OFFSET = MIN ? 0 : FIVE ? 16 : 8;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const uint8_t *b = row + sizeof(B) * (size_t)(u / 4);
        const int q4 = 4 * (int)(u % 4);
        uint8_t head[4];
        wir_cuda_bytes2<4>(b, head);
        const float d = wir_cuda_h2f((uint16_t)(head[0] | head[1] << 8));
        const float m = MIN ? wir_cuda_h2f((uint16_t)(head[2] | head[3] << 8)) : 0.0f;
        const int qh_at = MIN ? 4 : 2, qs_at = qh_at + (FIVE ? 4 : 0);
        uint32_t qh = 0;
        if (FIVE) {
            uint8_t h[4];
            wir_cuda_bytes2<4>(b + qh_at, h);
            qh = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        }
        uint8_t q[4];
        wir_cuda_bytes2<4>(b + qs_at + q4, q);
WIR_CUDA_UNROLL
        for (int j = 0; j < 4; j++) {
            const int lo = (q[j] & 15) | (int)((qh >> (q4 + j)) & 1) << 4;
            const int hi = (q[j] >> 4) | (int)((qh >> (16 + q4 + j)) & 1) << 4;
            v[j] = d * (float)(lo - OFFSET) + m;
            v[4 + j] = d * (float)(hi - OFFSET) + m;
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) {
        return 32 * (u / 4) + 4 * (u % 4) + (j < 4 ? j : 12 + j);
    }
};

template <> struct wir_cuda_q<WIR_QTYPE_Q4_1> : wir_cuda_q_legacy<wir_block_q4_1, true, false> {};
template <> struct wir_cuda_q<WIR_QTYPE_Q5_0> : wir_cuda_q_legacy<wir_block_q5_0, false, true> {};
template <> struct wir_cuda_q<WIR_QTYPE_Q5_1> : wir_cuda_q_legacy<wir_block_q5_1, true, true> {};

/* The scale and min of sub-block s of a K-quant (wir_qformat_k_scale). */
WIR_CUDA_HD void wir_cuda_k_scale(const uint8_t *sc, int s, float *scale, float *min) {
    int a, m;
    if (s < 4) {
        a = sc[s] & 63;
        m = sc[s + 4] & 63;
    } else {
        a = (sc[s + 4] & 15) | ((sc[s - 4] >> 6) << 4);
        m = (sc[s + 4] >> 4) | ((sc[s] >> 6) << 4);
    }
    *scale = (float)a;
    *min = (float)m;
}

template <> struct wir_cuda_q<WIR_QTYPE_Q4_K> {
    static constexpr int UNIT = 64, BLOCK = WIR_QK_K;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const wir_block_q4_K *b = (const wir_block_q4_K *)row + u / 4;
        const int c = (int)(u % 4);
        const float d = wir_cuda_h2f(b->d), dmin = wir_cuda_h2f(b->dmin);
        float s0, m0, s1, m1;
        wir_cuda_k_scale(b->scales, 2 * c, &s0, &m0);
        wir_cuda_k_scale(b->scales, 2 * c + 1, &s1, &m1);
        const float a0 = d * s0, b0 = dmin * m0, a1 = d * s1, b1 = dmin * m1;
        uint8_t q[32];
        wir_cuda_bytes16x2(b->qs + 32 * c, q);
WIR_CUDA_UNROLL
        for (int l = 0; l < 32; l++) {
            v[l] = a0 * (float)(q[l] & 15) - b0;
            v[32 + l] = a1 * (float)(q[l] >> 4) - b1;
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) { return 64 * u + j; }
};

template <> struct wir_cuda_q<WIR_QTYPE_Q5_K> {
    static constexpr int UNIT = 64, BLOCK = WIR_QK_K;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const wir_block_q5_K *b = (const wir_block_q5_K *)row + u / 4;
        const int c = (int)(u % 4);
        const float d = wir_cuda_h2f(b->d), dmin = wir_cuda_h2f(b->dmin);
        float s0, m0, s1, m1;
        wir_cuda_k_scale(b->scales, 2 * c, &s0, &m0);
        wir_cuda_k_scale(b->scales, 2 * c + 1, &s1, &m1);
        const float a0 = d * s0, b0 = dmin * m0, a1 = d * s1, b1 = dmin * m1;
        uint8_t q[32], h[32];
        wir_cuda_bytes16x2(b->qs + 32 * c, q);
        wir_cuda_bytes16x2(b->qh, h);
WIR_CUDA_UNROLL
        for (int l = 0; l < 32; l++) {
            const int lo = (q[l] & 15) | (((h[l] >> (2 * c)) & 1) << 4);
            const int hi = (q[l] >> 4) | (((h[l] >> (2 * c + 1)) & 1) << 4);
            v[l] = a0 * (float)lo - b0;
            v[32 + l] = a1 * (float)hi - b1;
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) { return 64 * u + j; }
};

template <> struct wir_cuda_q<WIR_QTYPE_Q6_K> {
    static constexpr int UNIT = 32, BLOCK = WIR_QK_K;
    WIR_CUDA_HD static void load(const uint8_t *row, int64_t u, float (&v)[UNIT]) {
        const wir_block_q6_K *b = (const wir_block_q6_K *)row + u / 8;
        const int h = (int)(u % 8) / 4, q = (int)(u % 4), L = 8 * q;
        const float d = wir_cuda_h2f(b->d);
        uint8_t a[8], c[8], hb[8];
        wir_cuda_bytes2<8>(b->ql + 64 * h + L, a);
        wir_cuda_bytes2<8>(b->ql + 64 * h + 32 + L, c);
        wir_cuda_bytes2<8>(b->qh + 32 * h + L, hb);
        const int8_t *sc = b->scales + 8 * h + q / 2;
        const float d0 = d * sc[0], d1 = d * sc[2], d2 = d * sc[4], d3 = d * sc[6];
WIR_CUDA_UNROLL
        for (int j = 0; j < 8; j++) {
            v[j] = d0 * (float)(((a[j] & 15) | ((hb[j] & 3) << 4)) - 32);
            v[8 + j] = d1 * (float)(((c[j] & 15) | (((hb[j] >> 2) & 3) << 4)) - 32);
            v[16 + j] = d2 * (float)(((a[j] >> 4) | (((hb[j] >> 4) & 3) << 4)) - 32);
            v[24 + j] = d3 * (float)(((c[j] >> 4) | (((hb[j] >> 6) & 3) << 4)) - 32);
        }
    }
    WIR_CUDA_HD static int64_t index(int64_t u, int j) {
        return 256 * (u / 8) + 128 * ((u % 8) / 4) + 8 * (u % 4) + 32 * (j / 8) + j % 8;
    }
};

/* Runs the statement(s) with F bound to the format of TYPE; nothing for
 * another type. */
#define WIR_CUDA_FOR_TYPE(type, ...)                                      \
    switch (type) {                                                        \
    case WIR_QTYPE_F32: { typedef wir_cuda_q<WIR_QTYPE_F32> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_F16: { typedef wir_cuda_q<WIR_QTYPE_F16> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_BF16: { typedef wir_cuda_q<WIR_QTYPE_BF16> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q8_0: { typedef wir_cuda_q<WIR_QTYPE_Q8_0> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q4_0: { typedef wir_cuda_q<WIR_QTYPE_Q4_0> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q4_1: { typedef wir_cuda_q<WIR_QTYPE_Q4_1> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q5_0: { typedef wir_cuda_q<WIR_QTYPE_Q5_0> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q5_1: { typedef wir_cuda_q<WIR_QTYPE_Q5_1> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q4_K: { typedef wir_cuda_q<WIR_QTYPE_Q4_K> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q5_K: { typedef wir_cuda_q<WIR_QTYPE_Q5_K> F; __VA_ARGS__; } break; \
    case WIR_QTYPE_Q6_K: { typedef wir_cuda_q<WIR_QTYPE_Q6_K> F; __VA_ARGS__; } break; \
    default: break;                                                        \
    }

/* Decodes NROWS rows to OutT (float or __half): row i of the output is
 * source row ids[i] (or i when ids is NULL), written at out + i * out_stride.
 * One thread per unit. */
template <class F, class OutT>
__global__ void wir_cuda_dequant_rows_kernel(const uint8_t *__restrict__ w, size_t row_bytes,
                                             int64_t units, const int32_t *__restrict__ ids,
                                             int64_t nrows, OutT *__restrict__ out,
                                             int64_t out_stride) {
    const int64_t g = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= nrows * units) return;
    const int64_t i = g / units, u = g % units;
    const int64_t src = ids ? ids[i] : i;
    float v[F::UNIT];
    F::load(w + (size_t)src * row_bytes, u, v);
    OutT *o = out + i * out_stride;
#pragma unroll
    for (int j = 0; j < F::UNIT; j++) o[F::index(u, j)] = (OutT)v[j];
}

#endif
