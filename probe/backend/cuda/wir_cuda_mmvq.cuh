/* wir_cuda_mmvq: the decode matrix-vector product, y = W x, for every
 * weight format of the probe, dequantizing in registers.
 *
 * Decode at batch 1 reads each weight once; this kernel is where the
 * bandwidth goes. One warp per row; the warp's lanes walk the row's units
 * (wir_cuda_qtypes.cuh) so each of its loads covers a contiguous stretch,
 * and four rows (warps) share a 128-thread block.
 *
 * C interface (the backend and the tests call it); pointers are device
 * memory, W rows are wir_qformat_row_bytes(type, k) apart.
 */
#ifndef WIR_CUDA_MMVQ_CUH
#define WIR_CUDA_MMVQ_CUH

#include <cuda_runtime_api.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True when the kernel computes rows of K elements of TYPE (a supported
 * type and K a multiple of its block and unit). */
bool wir_cuda_mmvq_supported(int32_t type, int64_t k);

/* y[r] = sum_i W[r][i] * x[i] for r < rows. Returns the launch's error
 * (cudaErrorInvalidValue for an unsupported type or K). */
cudaError_t wir_cuda_mmvq(int32_t type, const void *w, int64_t k, int64_t rows, const float *x,
                          float *y, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
