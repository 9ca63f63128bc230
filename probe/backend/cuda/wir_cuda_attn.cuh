/* wir_cuda_attn: the device part the two attention kernels share
 * (wir_cuda_attn_decode.cu, wir_cuda_attn_prefill.cu): a warp walks cache
 * positions of one KV head keeping an online softmax (running max m, running
 * sum l, unnormalised V accumulator), each lane holding EPL = head_dim / 32
 * consecutive elements of the query, K rows and V rows, so a K or V row is
 * one coalesced load per warp; then the warps of a block merge their states.
 * Device-only (C++). */
#ifndef WIR_CUDA_ATTN_CUH
#define WIR_CUDA_ATTN_CUH

#include <math.h>

#include "wir_cuda_common.cuh"

enum { WIR_CUDA_ATTN_WARPS = 4 };

template <int EPL> struct wir_cuda_attn_state {
    float m, l, acc[EPL];
};

template <int EPL>
__device__ __forceinline__ void wir_cuda_attn_load(const __half *p, float (&f)[EPL]) {
    if constexpr (EPL % 2 == 0) {
#pragma unroll
        for (int j = 0; j < EPL; j += 2) {
            const float2 v = __half22float2(*(const __half2 *)(p + j));
            f[j] = v.x, f[j + 1] = v.y;
        }
    } else {
#pragma unroll
        for (int j = 0; j < EPL; j++) f[j] = __half2float(p[j]);
    }
}

/* Positions p0, p0 + step, ... < p1 of the K/V rows at k, v (row stride
 * halves, already offset to the head and the lane); qr is the lane's query
 * slice scaled by 1/sqrt(head_dim). */
template <int EPL>
__device__ __forceinline__ void wir_cuda_attn_walk(const float (&qr)[EPL], const __half *k,
                                                   const __half *v, int64_t stride, int64_t p0,
                                                   int64_t p1, int64_t step,
                                                   wir_cuda_attn_state<EPL> &st) {
    for (int64_t p = p0; p < p1; p += step) {
        float kf[EPL], vf[EPL];
        wir_cuda_attn_load<EPL>(k + p * stride, kf);
        wir_cuda_attn_load<EPL>(v + p * stride, vf);
        float s = 0.0f;
#pragma unroll
        for (int j = 0; j < EPL; j++) s = fmaf(qr[j], kf[j], s);
        s = wir_cuda_warp_sum(s);
        const float mn = fmaxf(st.m, s);
        const float c = expf(st.m - mn), e = expf(s - mn);
        st.l = st.l * c + e;
#pragma unroll
        for (int j = 0; j < EPL; j++) st.acc[j] = st.acc[j] * c + e * vf[j];
        st.m = mn;
    }
}

/* Weight of a partial state with max m against the overall max M (an empty
 * partial, m = -inf, weighs 0). */
__device__ __forceinline__ float wir_cuda_attn_weight(float m, float M) {
    return m == -INFINITY ? 0.0f : expf(m - M);
}

/* Merges the block's warp states into DST[0..head_dim): the accumulator
 * divided by the sum when NORMALIZE (the attention output), else as it is
 * (a partial state, with the max and sum in *m_out, *l_out for thread 0).
 * sm must hold WARPS * (head_dim + 2) floats. */
template <int EPL>
__device__ __forceinline__ void wir_cuda_attn_merge(const wir_cuda_attn_state<EPL> &st, float *sm,
                                                    float *dst, bool normalize, float *m_out,
                                                    float *l_out) {
    constexpr int D = EPL * WIR_CUDA_WARP;
    const int warp = threadIdx.x / WIR_CUDA_WARP, lane = threadIdx.x % WIR_CUDA_WARP;
    float *ml = sm, *acc = sm + 2 * WIR_CUDA_ATTN_WARPS;
    if (lane == 0) ml[2 * warp] = st.m, ml[2 * warp + 1] = st.l;
#pragma unroll
    for (int j = 0; j < EPL; j++) acc[warp * D + lane * EPL + j] = st.acc[j];
    __syncthreads();
    float M = -INFINITY, L = 0.0f, wt[WIR_CUDA_ATTN_WARPS];
#pragma unroll
    for (int w = 0; w < WIR_CUDA_ATTN_WARPS; w++) M = fmaxf(M, ml[2 * w]);
#pragma unroll
    for (int w = 0; w < WIR_CUDA_ATTN_WARPS; w++) {
        wt[w] = wir_cuda_attn_weight(ml[2 * w], M);
        L += ml[2 * w + 1] * wt[w];
    }
    const float mul = normalize ? 1.0f / L : 1.0f;
    for (int j = threadIdx.x; j < D; j += blockDim.x) {
        float a = 0.0f;
#pragma unroll
        for (int w = 0; w < WIR_CUDA_ATTN_WARPS; w++) a += acc[w * D + j] * wt[w];
        dst[j] = a * mul;
    }
    *m_out = M;
    *l_out = L;
}

/* Calls the statement(s) with EPL bound to head_dim / 32 for head_dim 32,
 * 64, 128 or 256; nothing for another. */
#define WIR_CUDA_FOR_EPL(head_dim, ...)                                    \
    switch (head_dim) {                                                    \
    case 32: { constexpr int EPL = 1; __VA_ARGS__; } break;                \
    case 64: { constexpr int EPL = 2; __VA_ARGS__; } break;                \
    case 128: { constexpr int EPL = 4; __VA_ARGS__; } break;               \
    case 256: { constexpr int EPL = 8; __VA_ARGS__; } break;               \
    default: break;                                                        \
    }

#endif
