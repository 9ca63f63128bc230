/* wir_cuda_gemm: the prefill matrix product, Y = X W^T over NT tokens, on
 * tensor cores through cuBLAS.
 *
 * The weight rows are dequantized to F16 a tile of rows at a time into a
 * scratch buffer (F16 weights are used in place), the activations converted
 * to F16 once, and cublasGemmEx multiplies them with F32 accumulation
 * (CUBLAS_COMPUTE_32F) into F32 outputs. Dequantizing costs one read of the
 * weights and a write + read of 2 bytes per element per product, paid once
 * for all NT tokens.
 *
 * C interface; pointers are device memory.
 */
#ifndef WIR_CUDA_GEMM_CUH
#define WIR_CUDA_GEMM_CUH

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <stdint.h>


#ifdef __cplusplus
extern "C" {
#endif

#include "wir_backend.h"

/* Scratch a product needs: x16 holds NT x K halves; the tile holds
 * tile_elems halves, at least K (one row) - more rows per tile mean fewer,
 * larger cuBLAS calls. */
typedef struct wir_cuda_gemm_scratch {
    void *x16;           /* __half[nt * k] */
    void *tile;          /* __half[tile_elems] */
    int64_t tile_elems;
} wir_cuda_gemm_scratch;

/* y[t * ys + r] = sum_i W[r][i] * x[t * xs + i] for r < rows, t < nt. W has
 * rows of K elements of TYPE. Errors name the failing call (CUDA_CHECK). */
wir_backend_status wir_cuda_gemm(cublasHandle_t blas, int32_t type, const void *w, int64_t k,
                                 int64_t rows, const float *x, int64_t xs, int32_t nt, float *y,
                                 int64_t ys, const wir_cuda_gemm_scratch *scratch,
                                 cudaStream_t stream, wir_backend_error *err);

/* Decodes ROWS rows of TYPE to F16 (out: rows x k halves). */
cudaError_t wir_cuda_dequant_f16(int32_t type, const void *w, int64_t k, int64_t rows, void *out,
                                 cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
