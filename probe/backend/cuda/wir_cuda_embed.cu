/* wir_cuda_embed: see wir_cuda_embed.cuh. */
#include "wir_cuda_embed.cuh"
#include "wir_cuda_qtypes.cuh"

extern "C" cudaError_t wir_cuda_embed(int32_t type, const void *table, int64_t k,
                                      const int32_t *tokens, int32_t nt, float *out,
                                      cudaStream_t stream) {
    const size_t row_bytes = wir_qformat_row_bytes(type, k);
    cudaError_t e = cudaErrorInvalidValue;
    WIR_CUDA_FOR_TYPE(type, {
        if (k % F::UNIT || k % F::BLOCK) return cudaErrorInvalidValue;
        const int64_t units = k / F::UNIT;
        wir_cuda_dequant_rows_kernel<F, float><<<wir_cuda_blocks(nt * units, 128), 128, 0, stream>>>(
            (const uint8_t *)table, row_bytes, units, tokens, nt, out, k);
        e = cudaGetLastError();
    });
    return e;
}
