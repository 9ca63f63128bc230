/* wir_cuda_attn_prefill: causal attention of NT new tokens (a prefill) over
 * the F16 KV cache, which already holds their own K/V: token t of the batch
 * attends positions 0..*pos + t. Block (h, t) of an n_heads x nt grid: its
 * warps take every fourth position and merge their softmax states at the
 * end (wir_cuda_attn.cuh). Arguments as wir_cuda_attn_decode's. */
#ifndef WIR_CUDA_ATTN_PREFILL_CUH
#define WIR_CUDA_ATTN_PREFILL_CUH

#include "wir_cuda_attn_decode.cuh"

#ifdef __cplusplus
extern "C" {
#endif

cudaError_t wir_cuda_attn_prefill(const wir_cuda_attn_args *a, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
