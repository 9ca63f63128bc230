/* wir_cuda_gemm: see wir_cuda_gemm.cuh. */
#include "wir_cuda_check.cuh"
#include "wir_cuda_gemm.cuh"
#include "wir_cuda_qtypes.cuh"

enum { GEMM_THREADS = 256 };

__global__ void wir_cuda_to_f16_kernel(const float *__restrict__ x, int64_t xs, int64_t k,
                                       int64_t nt, __half *__restrict__ out) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= nt * k) return;
    out[i] = __float2half(x[(i / k) * xs + i % k]);
}

extern "C" cudaError_t wir_cuda_dequant_f16(int32_t type, const void *w, int64_t k, int64_t rows,
                                            void *out, cudaStream_t stream) {
    const size_t row_bytes = wir_qformat_row_bytes(type, k);
    cudaError_t e = cudaErrorInvalidValue;
    WIR_CUDA_FOR_TYPE(type, {
        if (k % F::UNIT || k % F::BLOCK) return cudaErrorInvalidValue;
        const int64_t units = k / F::UNIT;
        wir_cuda_dequant_rows_kernel<F, __half>
            <<<wir_cuda_blocks(rows * units, GEMM_THREADS), GEMM_THREADS, 0, stream>>>(
                (const uint8_t *)w, row_bytes, units, NULL, rows, (__half *)out, k);
        e = cudaGetLastError();
    });
    return e;
}

extern "C" wir_backend_status wir_cuda_gemm(cublasHandle_t blas, int32_t type, const void *w,
                                            int64_t k, int64_t rows, const float *x, int64_t xs,
                                            int32_t nt, float *y, int64_t ys,
                                            const wir_cuda_gemm_scratch *sc, cudaStream_t stream,
                                            wir_backend_error *err) {
    if (sc->tile_elems < k && type != WIR_QTYPE_F16)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "gemm: tile of %lld halves < row of %lld",
                             (long long)sc->tile_elems, (long long)k);
    wir_cuda_to_f16_kernel<<<wir_cuda_blocks((int64_t)nt * k, GEMM_THREADS), GEMM_THREADS, 0,
                             stream>>>(x, xs, k, nt, (__half *)sc->x16);
    CUDA_CHECK(err, cudaGetLastError());
    CUBLAS_CHECK(err, cublasSetStream(blas, stream));
    const float alpha = 1.0f, beta = 0.0f;
    /* Column-major view: W^T is k x rows (lda k, transposed to rows x k),
     * X is k x nt, Y is rows x nt with leading dimension ys. */
    const int64_t tile_rows = type == WIR_QTYPE_F16 ? rows : sc->tile_elems / k;
    const size_t row_bytes = wir_qformat_row_bytes(type, k);
    for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
        const int64_t nr = rows - r0 < tile_rows ? rows - r0 : tile_rows;
        const void *a = (const uint8_t *)w + (size_t)r0 * row_bytes;
        if (type != WIR_QTYPE_F16) {
            CUDA_CHECK(err, wir_cuda_dequant_f16(type, a, k, nr, sc->tile, stream));
            a = sc->tile;
        }
        CUBLAS_CHECK(err, cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)nr, nt, (int)k, &alpha,
                                       a, CUDA_R_16F, (int)k, sc->x16, CUDA_R_16F, (int)k, &beta,
                                       y + r0, CUDA_R_32F, (int)ys, CUBLAS_COMPUTE_32F,
                                       CUBLAS_GEMM_DEFAULT));
    }
    return WIR_BACKEND_OK;
}
