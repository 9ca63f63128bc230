/* wir_cuda_arena: see wir_cuda_arena.cuh. */
#include <string.h>

#include "wir_cuda_arena.cuh"
#include "wir_cuda_check.cuh"

static double gib(uint64_t b) { return (double)b / (double)(1ull << 30); }

extern "C" void wir_cuda_arena_count(wir_cuda_arena *a) { memset(a, 0, sizeof *a); }

extern "C" wir_backend_status wir_cuda_arena_init(wir_cuda_arena *a, uint64_t bytes,
                                                  wir_backend_error *err) {
    memset(a, 0, sizeof *a);
    size_t free_b = 0, total_b = 0;
    CUDA_CHECK(err, cudaMemGetInfo(&free_b, &total_b));
    if (bytes > free_b)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY,
                             "does not fit: needs %.2f GiB (%llu bytes), %.2f GiB free of %.2f GiB",
                             gib(bytes), (unsigned long long)bytes, gib(free_b), gib(total_b));
    void *p = NULL;
    cudaError_t e = cudaMalloc(&p, bytes ? bytes : 1);
    if (e == cudaErrorMemoryAllocation) {
        (void)cudaGetLastError(); /* clear it: the context stays usable */
        return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY,
                             "does not fit: cudaMalloc of %.2f GiB (%llu bytes) failed with %.2f GiB "
                             "free of %.2f GiB",
                             gib(bytes), (unsigned long long)bytes, gib(free_b), gib(total_b));
    }
    CUDA_CHECK(err, e);
    a->base = (uint8_t *)p;
    a->size = bytes;
    return WIR_BACKEND_OK;
}

extern "C" void *wir_cuda_arena_take(wir_cuda_arena *a, uint64_t bytes) {
    const uint64_t at = (a->used + WIR_CUDA_ARENA_ALIGN - 1) / WIR_CUDA_ARENA_ALIGN * WIR_CUDA_ARENA_ALIGN;
    a->used = at + bytes;
    if (!a->base || a->used > a->size) return NULL;
    return a->base + at;
}

extern "C" void wir_cuda_arena_free(wir_cuda_arena *a) {
    if (a->base) (void)cudaFree(a->base);
    memset(a, 0, sizeof *a);
}
