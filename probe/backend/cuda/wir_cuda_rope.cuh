/* wir_cuda_rope: RoPE and the KV store, as the CPU backend does them.
 *
 * wir_cuda_rope_table computes cos and sin of (pos + t) * inv_freq[i] in
 * double precision, like the CPU backend's table, once per evaluation;
 * wir_cuda_rope_store adds the Q/K/V biases (when given), rotates the pairs
 * of every query and key head - (2i, 2i+1) for WIR_ROPE_NORM (llama),
 * (i, i + d/2) for WIR_ROPE_NEOX (qwen2) - and writes K and V of token t as
 * F16 into cache row pos + t. The position is read from device memory
 * (*pos), so a captured decode graph serves every step.
 */
#ifndef WIR_CUDA_ROPE_CUH
#define WIR_CUDA_ROPE_CUH

#include <cuda_runtime_api.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cs[t * half + i] = cos((*pos + t) * inv_freq[i]), sn likewise, t < nt. */
cudaError_t wir_cuda_rope_table(const float *inv_freq, int32_t half, const int32_t *pos,
                                int32_t nt, float *cs, float *sn, cudaStream_t stream);

typedef struct wir_cuda_rope_args {
    float *q, *k, *v;               /* nt rows of n_heads*d, n_kv_heads*d, n_kv_heads*d */
    const float *bq, *bk, *bv;      /* NULL, or the biases */
    const float *cs, *sn;           /* wir_cuda_rope_table's */
    int32_t n_heads, n_kv_heads, head_dim, rope_type, nt;
    const int32_t *pos;             /* device: the first token's position */
    void *k_cache, *v_cache;        /* __half rows of n_kv_heads * d */
} wir_cuda_rope_args;

cudaError_t wir_cuda_rope_store(const wir_cuda_rope_args *a, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
