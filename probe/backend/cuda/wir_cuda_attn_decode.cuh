/* wir_cuda_attn_decode: attention of one new token over the F16 KV cache,
 * split across the cache (flash-decoding): block (h, s) of an
 * n_heads x n_splits grid takes the s-th stretch of positions 0..*pos for
 * query head h, writes its partial softmax state, and a second kernel
 * merges the splits per head. The split count is fixed per session (from
 * n_ctx) and the stretch length computed on the device from *pos, so the
 * launch is the same every step and can live in a CUDA graph.
 *
 * C interface; pointers are device memory; head_dim must be 32, 64, 128 or
 * 256 (wir_cuda_attn_supported).
 */
#ifndef WIR_CUDA_ATTN_DECODE_CUH
#define WIR_CUDA_ATTN_DECODE_CUH

#include <cuda_runtime_api.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

bool wir_cuda_attn_supported(int32_t head_dim);

typedef struct wir_cuda_attn_args {
    const float *q;                  /* nt rows of n_heads * head_dim */
    const void *k_cache, *v_cache;   /* __half rows of n_kv_heads * head_dim */
    float *out;                      /* nt rows of n_heads * head_dim */
    int32_t n_heads, n_kv_heads, head_dim, nt;
    const int32_t *pos;              /* device: the first token's position;
                                        token t sees positions 0..*pos + t */
} wir_cuda_attn_args;

/* Floats of partial state wir_cuda_attn_decode needs. */
int64_t wir_cuda_attn_decode_scratch(int32_t n_heads, int32_t head_dim, int32_t n_splits);
/* The split count for a cache of n_ctx positions. */
int32_t wir_cuda_attn_decode_splits(int32_t n_ctx);

/* One token (a->nt must be 1). partial: wir_cuda_attn_decode_scratch floats. */
cudaError_t wir_cuda_attn_decode(const wir_cuda_attn_args *a, int32_t n_splits, float *partial,
                                 cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
