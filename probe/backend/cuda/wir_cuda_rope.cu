/* wir_cuda_rope: see wir_cuda_rope.cuh. One block per token. */
#include "wir_cuda_common.cuh"
#include "wir_cuda_rope.cuh"
#include "wir_model_desc.h"

enum { ROPE_THREADS = 256 };

__global__ void wir_cuda_rope_table_kernel(const float *__restrict__ inv_freq, int32_t half,
                                           const int32_t *__restrict__ pos, int32_t nt,
                                           float *__restrict__ cs, float *__restrict__ sn) {
    const int64_t g = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= (int64_t)nt * half) return;
    const int32_t t = (int32_t)(g / half), i = (int32_t)(g % half);
    const double a = (double)(*pos + t) * (double)inv_freq[i];
    double s, c;
    sincos(a, &s, &c);
    cs[g] = (float)c;
    sn[g] = (float)s;
}

__global__ void __launch_bounds__(ROPE_THREADS) wir_cuda_rope_store_kernel(wir_cuda_rope_args a) {
    const int32_t t = blockIdx.x, d = a.head_dim, half = d / 2;
    const int64_t Q = (int64_t)a.n_heads * d, KV = (int64_t)a.n_kv_heads * d;
    float *q = a.q + t * Q, *k = a.k + t * KV, *v = a.v + t * KV;
    const float *cs = a.cs + (int64_t)t * half, *sn = a.sn + (int64_t)t * half;
    const bool neox = a.rope_type == WIR_ROPE_NEOX;
    /* pairs of every query head, then every key head */
    const int64_t pairs = (int64_t)(a.n_heads + a.n_kv_heads) * half;
    for (int64_t p = threadIdx.x; p < pairs; p += ROPE_THREADS) {
        const int64_t h = p / half;
        const int32_t i = (int32_t)(p % half);
        const bool is_q = h < a.n_heads;
        float *x = is_q ? q + h * d : k + (h - a.n_heads) * d;
        const float *bias = is_q ? a.bq : a.bk;
        const int64_t off = is_q ? h * d : (h - a.n_heads) * d;
        const int32_t ia = neox ? i : 2 * i, ib = neox ? i + half : 2 * i + 1;
        float x0 = x[ia], x1 = x[ib];
        if (bias) x0 += bias[off + ia], x1 += bias[off + ib];
        const float r0 = x0 * cs[i] - x1 * sn[i], r1 = x0 * sn[i] + x1 * cs[i];
        x[ia] = r0;
        x[ib] = r1;
    }
    __syncthreads();
    const int64_t row = (int64_t)(*a.pos + t) * KV;
    __half *kc = (__half *)a.k_cache + row, *vc = (__half *)a.v_cache + row;
    for (int64_t i = threadIdx.x; i < KV; i += ROPE_THREADS) {
        kc[i] = __float2half_rn(k[i]);
        vc[i] = __float2half_rn(a.bv ? v[i] + a.bv[i] : v[i]);
    }
}

extern "C" cudaError_t wir_cuda_rope_table(const float *inv_freq, int32_t half, const int32_t *pos,
                                           int32_t nt, float *cs, float *sn, cudaStream_t stream) {
    wir_cuda_rope_table_kernel<<<wir_cuda_blocks((int64_t)nt * half, 128), 128, 0, stream>>>(
        inv_freq, half, pos, nt, cs, sn);
    return cudaGetLastError();
}

extern "C" cudaError_t wir_cuda_rope_store(const wir_cuda_rope_args *a, cudaStream_t stream) {
    if (a->nt <= 0 || a->head_dim % 2) return cudaErrorInvalidValue;
    wir_cuda_rope_store_kernel<<<(unsigned)a->nt, ROPE_THREADS, 0, stream>>>(*a);
    return cudaGetLastError();
}
