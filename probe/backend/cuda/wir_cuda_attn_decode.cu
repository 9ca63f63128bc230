/* wir_cuda_attn_decode: see wir_cuda_attn_decode.cuh. */
#include "wir_cuda_attn.cuh"
#include "wir_cuda_attn_decode.cuh"

enum { DECODE_MAX_SPLITS = 64, DECODE_POSITIONS_PER_SPLIT = 128 };

template <int EPL>
__global__ void __launch_bounds__(WIR_CUDA_ATTN_WARPS *WIR_CUDA_WARP)
wir_cuda_attn_split_kernel(wir_cuda_attn_args a, int32_t n_splits, float *__restrict__ partial) {
    constexpr int D = EPL * WIR_CUDA_WARP;
    __shared__ float sm[WIR_CUDA_ATTN_WARPS * (D + 2)];
    const int32_t h = blockIdx.x, s = blockIdx.y;
    const int warp = threadIdx.x / WIR_CUDA_WARP, lane = threadIdx.x % WIR_CUDA_WARP;
    const int64_t n = (int64_t)*a.pos + 1;
    const int64_t chunk = (n + n_splits - 1) / n_splits;
    const int64_t p0 = s * chunk, p1 = p0 + chunk < n ? p0 + chunk : n;
    const int32_t kvh = h / (a.n_heads / a.n_kv_heads);
    const int64_t stride = (int64_t)a.n_kv_heads * D, off = (int64_t)kvh * D + lane * EPL;
    const float scale = rsqrtf((float)D);
    float qr[EPL];
#pragma unroll
    for (int j = 0; j < EPL; j++) qr[j] = a.q[(int64_t)h * D + lane * EPL + j] * scale;
    wir_cuda_attn_state<EPL> st;
    st.m = -INFINITY, st.l = 0.0f;
#pragma unroll
    for (int j = 0; j < EPL; j++) st.acc[j] = 0.0f;
    wir_cuda_attn_walk<EPL>(qr, (const __half *)a.k_cache + off, (const __half *)a.v_cache + off,
                            stride, p0 + warp, p1, WIR_CUDA_ATTN_WARPS, st);
    float *part = partial + ((int64_t)h * n_splits + s) * (D + 2);
    float M, L;
    wir_cuda_attn_merge<EPL>(st, sm, part + 2, false, &M, &L);
    if (threadIdx.x == 0) part[0] = M, part[1] = L;
}

/* One block of head_dim threads per head merges the splits. */
__global__ void wir_cuda_attn_reduce_kernel(const float *__restrict__ partial, int32_t n_splits,
                                            int32_t d, float *__restrict__ out) {
    const int32_t h = blockIdx.x, j = threadIdx.x;
    const float *part = partial + (int64_t)h * n_splits * (d + 2);
    float M = -INFINITY;
    for (int32_t s = 0; s < n_splits; s++) M = fmaxf(M, part[s * (d + 2)]);
    float L = 0.0f, a = 0.0f;
    for (int32_t s = 0; s < n_splits; s++) {
        const float *p = part + s * (d + 2);
        const float w = wir_cuda_attn_weight(p[0], M);
        L += p[1] * w;
        a += p[2 + j] * w;
    }
    out[(int64_t)h * d + j] = a / L;
}

extern "C" bool wir_cuda_attn_supported(int32_t head_dim) {
    return head_dim == 32 || head_dim == 64 || head_dim == 128 || head_dim == 256;
}

extern "C" int64_t wir_cuda_attn_decode_scratch(int32_t n_heads, int32_t head_dim, int32_t n_splits) {
    return (int64_t)n_heads * n_splits * (head_dim + 2);
}

extern "C" int32_t wir_cuda_attn_decode_splits(int32_t n_ctx) {
    int32_t s = (n_ctx + DECODE_POSITIONS_PER_SPLIT - 1) / DECODE_POSITIONS_PER_SPLIT;
    return s < 1 ? 1 : s > DECODE_MAX_SPLITS ? DECODE_MAX_SPLITS : s;
}

extern "C" cudaError_t wir_cuda_attn_decode(const wir_cuda_attn_args *a, int32_t n_splits,
                                            float *partial, cudaStream_t stream) {
    if (a->nt != 1 || n_splits < 1 || a->n_kv_heads < 1 || a->n_heads % a->n_kv_heads)
        return cudaErrorInvalidValue;
    cudaError_t e = cudaErrorInvalidValue;
    WIR_CUDA_FOR_EPL(a->head_dim, {
        wir_cuda_attn_split_kernel<EPL>
            <<<dim3((unsigned)a->n_heads, (unsigned)n_splits), WIR_CUDA_ATTN_WARPS * WIR_CUDA_WARP, 0,
               stream>>>(*a, n_splits, partial);
        e = cudaGetLastError();
        if (e == cudaSuccess) {
            wir_cuda_attn_reduce_kernel<<<(unsigned)a->n_heads, (unsigned)a->head_dim, 0, stream>>>(
                partial, n_splits, a->head_dim, a->out);
            e = cudaGetLastError();
        }
    });
    return e;
}
