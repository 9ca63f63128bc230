/* wir_cuda_common: device helpers shared by the kernels - warp sums, 16-bit
 * float decoding, and ggml's block structs (wir_qformat_blocks.h is the one
 * definition of the layouts; the kernels read the structs' fields directly,
 * which is safe because rows in the arena start 256-byte aligned and every
 * block size is even, so each uint16_t field is 2-byte aligned). */
#ifndef WIR_CUDA_COMMON_CUH
#define WIR_CUDA_COMMON_CUH

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>
#include <string.h>

/* The blocks header is C; its C11 _Static_assert is C++'s static_assert. */
#define _Static_assert static_assert
extern "C" {
#include "wir_qformat.h"
#include "wir_qformat_blocks.h"
}
#undef _Static_assert

#define WIR_CUDA_WARP 32

__device__ __forceinline__ float wir_cuda_warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float wir_cuda_warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

/* Host and device: the format decoders (wir_cuda_qtypes.cuh) are also
 * compiled for the CPU, where probe.cuda.qtypes checks them. */
#define WIR_CUDA_HD __host__ __device__ __forceinline__
/* #pragma unroll in host-and-device code, for the device pass only (the
 * host compiler does not know it). */
#ifdef __CUDA_ARCH__
#define WIR_CUDA_UNROLL _Pragma("unroll")
#else
#define WIR_CUDA_UNROLL
#endif

WIR_CUDA_HD float wir_cuda_bits_f(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
#endif
}

WIR_CUDA_HD float wir_cuda_h2f(uint16_t h) { return __half2float(__ushort_as_half(h)); }

/* Blocks of BLOCK threads covering N items. */
static inline unsigned wir_cuda_blocks(int64_t n, int block) {
    return (unsigned)((n + block - 1) / block);
}

#endif
