/* wir_cuda_swiglu: see wir_cuda_swiglu.cuh. Grid-stride loops of 256 threads. */
#include "wir_cuda_common.cuh"
#include "wir_cuda_swiglu.cuh"

enum { EW_THREADS = 256, EW_MAX_BLOCKS = 4096 };

__global__ void wir_cuda_swiglu_kernel(float *__restrict__ g, const float *__restrict__ u, int64_t n) {
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x)
        g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

__global__ void wir_cuda_add_kernel(float *__restrict__ x, const float *__restrict__ y, int64_t n) {
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x)
        x[i] += y[i];
}

static unsigned ew_grid(int64_t n) {
    unsigned b = wir_cuda_blocks(n, EW_THREADS);
    const unsigned most = EW_MAX_BLOCKS;
    return b < most ? (b ? b : 1) : most;
}

extern "C" cudaError_t wir_cuda_swiglu(float *g, const float *u, int64_t n, cudaStream_t stream) {
    wir_cuda_swiglu_kernel<<<ew_grid(n), EW_THREADS, 0, stream>>>(g, u, n);
    return cudaGetLastError();
}

extern "C" cudaError_t wir_cuda_add(float *x, const float *y, int64_t n, cudaStream_t stream) {
    wir_cuda_add_kernel<<<ew_grid(n), EW_THREADS, 0, stream>>>(x, y, n);
    return cudaGetLastError();
}
