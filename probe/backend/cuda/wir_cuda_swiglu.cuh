/* wir_cuda_swiglu: the element-wise steps - SwiGLU (g = silu(g) * u, as the
 * CPU backend: g / (1 + exp(-g)) * u) and the residual add (x += y). */
#ifndef WIR_CUDA_SWIGLU_CUH
#define WIR_CUDA_SWIGLU_CUH

#include <cuda_runtime_api.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* g[i] = g[i] / (1 + exp(-g[i])) * u[i], i < n. */
cudaError_t wir_cuda_swiglu(float *g, const float *u, int64_t n, cudaStream_t stream);
/* x[i] += y[i], i < n. */
cudaError_t wir_cuda_add(float *x, const float *y, int64_t n, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
