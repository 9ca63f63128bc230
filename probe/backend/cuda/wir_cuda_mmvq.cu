/* wir_cuda_mmvq: see wir_cuda_mmvq.cuh. */
#include "wir_cuda_mmvq.cuh"
#include "wir_cuda_qtypes.cuh"

enum { MMVQ_WARPS = 4 };

template <class F>
__global__ void __launch_bounds__(MMVQ_WARPS * WIR_CUDA_WARP)
wir_cuda_mmvq_kernel(const uint8_t *__restrict__ w, size_t row_bytes, int64_t units, int64_t rows,
                     const float *__restrict__ x, float *__restrict__ y) {
    const int64_t r = (int64_t)blockIdx.x * MMVQ_WARPS + threadIdx.x / WIR_CUDA_WARP;
    const int lane = threadIdx.x % WIR_CUDA_WARP;
    if (r >= rows) return;
    const uint8_t *row = w + (size_t)r * row_bytes;
    float acc = 0.0f;
#pragma unroll 2
    for (int64_t u = lane; u < units; u += WIR_CUDA_WARP) {
        float v[F::UNIT];
        F::load(row, u, v);
#pragma unroll
        for (int j = 0; j < F::UNIT; j++) acc = fmaf(v[j], __ldg(x + F::index(u, j)), acc);
    }
    acc = wir_cuda_warp_sum(acc);
    if (lane == 0) y[r] = acc;
}

template <class F> static bool mmvq_fits(int64_t k) {
    return k > 0 && k % F::BLOCK == 0 && k % F::UNIT == 0;
}

static bool mmvq_check(int32_t type, int64_t k) {
    WIR_CUDA_FOR_TYPE(type, return mmvq_fits<F>(k));
    return false;
}

extern "C" bool wir_cuda_mmvq_supported(int32_t type, int64_t k) {
    return wir_qformat_supported(type) && mmvq_check(type, k);
}

extern "C" cudaError_t wir_cuda_mmvq(int32_t type, const void *w, int64_t k, int64_t rows,
                                     const float *x, float *y, cudaStream_t stream) {
    if (!wir_cuda_mmvq_supported(type, k) || rows <= 0) return cudaErrorInvalidValue;
    const size_t row_bytes = wir_qformat_row_bytes(type, k);
    const unsigned grid = wir_cuda_blocks(rows, MMVQ_WARPS);
    WIR_CUDA_FOR_TYPE(type, wir_cuda_mmvq_kernel<F><<<grid, MMVQ_WARPS * WIR_CUDA_WARP, 0, stream>>>(
                                (const uint8_t *)w, row_bytes, k / F::UNIT, rows, x, y));
    return cudaGetLastError();
}
