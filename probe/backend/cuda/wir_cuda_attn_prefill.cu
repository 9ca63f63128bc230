/* wir_cuda_attn_prefill: see wir_cuda_attn_prefill.cuh. */
#include "wir_cuda_attn.cuh"
#include "wir_cuda_attn_prefill.cuh"

template <int EPL>
__global__ void __launch_bounds__(WIR_CUDA_ATTN_WARPS *WIR_CUDA_WARP)
wir_cuda_attn_causal_kernel(wir_cuda_attn_args a) {
    constexpr int D = EPL * WIR_CUDA_WARP;
    __shared__ float sm[WIR_CUDA_ATTN_WARPS * (D + 2)];
    const int32_t h = blockIdx.x, t = blockIdx.y;
    const int warp = threadIdx.x / WIR_CUDA_WARP, lane = threadIdx.x % WIR_CUDA_WARP;
    const int64_t n = (int64_t)*a.pos + t + 1; /* the causal mask */
    const int32_t kvh = h / (a.n_heads / a.n_kv_heads);
    const int64_t stride = (int64_t)a.n_kv_heads * D, off = (int64_t)kvh * D + lane * EPL;
    const int64_t qrow = (int64_t)t * a.n_heads * D + (int64_t)h * D;
    const float scale = rsqrtf((float)D);
    float qr[EPL];
#pragma unroll
    for (int j = 0; j < EPL; j++) qr[j] = a.q[qrow + lane * EPL + j] * scale;
    wir_cuda_attn_state<EPL> st;
    st.m = -INFINITY, st.l = 0.0f;
#pragma unroll
    for (int j = 0; j < EPL; j++) st.acc[j] = 0.0f;
    wir_cuda_attn_walk<EPL>(qr, (const __half *)a.k_cache + off, (const __half *)a.v_cache + off,
                            stride, warp, n, WIR_CUDA_ATTN_WARPS, st);
    float M, L;
    wir_cuda_attn_merge<EPL>(st, sm, a.out + qrow, true, &M, &L);
}

extern "C" cudaError_t wir_cuda_attn_prefill(const wir_cuda_attn_args *a, cudaStream_t stream) {
    if (a->nt < 1 || a->n_kv_heads < 1 || a->n_heads % a->n_kv_heads) return cudaErrorInvalidValue;
    cudaError_t e = cudaErrorInvalidValue;
    WIR_CUDA_FOR_EPL(a->head_dim, {
        wir_cuda_attn_causal_kernel<EPL>
            <<<dim3((unsigned)a->n_heads, (unsigned)a->nt), WIR_CUDA_ATTN_WARPS * WIR_CUDA_WARP, 0,
               stream>>>(*a);
        e = cudaGetLastError();
    });
    return e;
}
