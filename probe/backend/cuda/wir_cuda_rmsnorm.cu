/* wir_cuda_rmsnorm: see wir_cuda_rmsnorm.cuh. One 256-thread block per token. */
#include "wir_cuda_common.cuh"
#include "wir_cuda_rmsnorm.cuh"

enum { NORM_THREADS = 256 };

__global__ void __launch_bounds__(NORM_THREADS)
wir_cuda_rmsnorm_kernel(const float *__restrict__ x, const float *__restrict__ w, float eps,
                        int64_t n, float *__restrict__ out) {
    __shared__ float part[NORM_THREADS / WIR_CUDA_WARP];
    const float *row = x + (int64_t)blockIdx.x * n;
    float *o = out + (int64_t)blockIdx.x * n;
    float ss = 0.0f;
    for (int64_t i = threadIdx.x; i < n; i += NORM_THREADS) ss = fmaf(row[i], row[i], ss);
    ss = wir_cuda_warp_sum(ss);
    if (threadIdx.x % WIR_CUDA_WARP == 0) part[threadIdx.x / WIR_CUDA_WARP] = ss;
    __syncthreads();
    float tot = 0.0f;
#pragma unroll
    for (int i = 0; i < NORM_THREADS / WIR_CUDA_WARP; i++) tot += part[i];
    const float scale = rsqrtf(tot / (float)n + eps);
    for (int64_t i = threadIdx.x; i < n; i += NORM_THREADS) o[i] = row[i] * scale * w[i];
}

extern "C" cudaError_t wir_cuda_rmsnorm(const float *x, const float *w, float eps, int64_t n,
                                        int32_t nt, float *out, cudaStream_t stream) {
    if (nt <= 0 || n <= 0) return cudaErrorInvalidValue;
    wir_cuda_rmsnorm_kernel<<<(unsigned)nt, NORM_THREADS, 0, stream>>>(x, w, eps, n, out);
    return cudaGetLastError();
}
