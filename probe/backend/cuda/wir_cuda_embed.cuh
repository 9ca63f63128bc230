/* wir_cuda_embed: the embedding lookup - row tokens[t] of the token table,
 * decoded to floats, for each of NT tokens (token ids in device memory, so
 * a captured decode graph reads the token of each step). */
#ifndef WIR_CUDA_EMBED_CUH
#define WIR_CUDA_EMBED_CUH

#include <cuda_runtime_api.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* out[t * k + i] = table[tokens[t]][i]; table rows of K elements of TYPE. */
cudaError_t wir_cuda_embed(int32_t type, const void *table, int64_t k, const int32_t *tokens,
                           int32_t nt, float *out, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
