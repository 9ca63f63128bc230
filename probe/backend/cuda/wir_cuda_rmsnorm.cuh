/* wir_cuda_rmsnorm: out = x / sqrt(mean(x^2) + eps) * w per token, as the CPU
 * backend (the sum of squares in float per thread, then a block sum). */
#ifndef WIR_CUDA_RMSNORM_CUH
#define WIR_CUDA_RMSNORM_CUH

#include <cuda_runtime_api.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NT rows of N floats at x (stride n) into out (stride n); w has N floats. */
cudaError_t wir_cuda_rmsnorm(const float *x, const float *w, float eps, int64_t n, int32_t nt,
                             float *out, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
