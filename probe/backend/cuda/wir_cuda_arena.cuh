/* wir_cuda_arena: all of a session's device memory in one allocation.
 *
 * The session carves weights, KV cache, activations, dequantization tiles
 * and cuBLAS's workspace out of one cudaMalloc sized up front, so the peak
 * is known exactly before anything runs and equals the estimate. The same
 * carving code runs twice: first over a counting arena (base NULL: no
 * memory, only the running size), to learn the size, then over the real
 * one.
 *
 * C interface. Ownership: wir_cuda_arena_init allocates; the caller frees
 * with wir_cuda_arena_free.
 */
#ifndef WIR_CUDA_ARENA_CUH
#define WIR_CUDA_ARENA_CUH

#include <stddef.h>
#include <stdint.h>


#ifdef __cplusplus
extern "C" {
#endif

#include "wir_backend.h"

enum { WIR_CUDA_ARENA_ALIGN = 256 };

typedef struct wir_cuda_arena {
    uint8_t *base;   /* device memory; NULL for a counting arena */
    uint64_t size;   /* bytes allocated (counting: unused) */
    uint64_t used;   /* bytes handed out so far, alignment included */
} wir_cuda_arena;

/* A counting arena: carves nothing, adds up. */
void wir_cuda_arena_count(wir_cuda_arena *a);

/* Allocates BYTES on the current device. Fails with NO_MEMORY and
 * "does not fit: needs X GiB, Y GiB free of Z GiB" when cudaMemGetInfo says
 * BYTES exceed the free memory or cudaMalloc fails for lack of memory; with
 * DEVICE for other CUDA errors. */
wir_backend_status wir_cuda_arena_init(wir_cuda_arena *a, uint64_t bytes, wir_backend_error *err);

/* The next BYTES, aligned to WIR_CUDA_ARENA_ALIGN; NULL from a counting
 * arena (and from a real one past its size, which the two-pass carving
 * rules out). */
void *wir_cuda_arena_take(wir_cuda_arena *a, uint64_t bytes);

/* Frees the allocation (a counting or zeroed arena is fine). */
void wir_cuda_arena_free(wir_cuda_arena *a);

#ifdef __cplusplus
}
#endif

#endif
