/* Shared bits of the CUDA backend tests: the skip without a device, random
 * inputs, device buffers and error measures. */
#ifndef CUDA_TEST_H
#define CUDA_TEST_H

#include <cuda_runtime_api.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine_check.h"

/* Exits 77 (ctest: skipped) with the reason when there is no CUDA device. */
static inline void cuda_test_need_device(const char *test) {
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess || n == 0) {
        printf("%s: skipped: no CUDA device: %s\n", test,
               e != cudaSuccess ? cudaGetErrorString(e) : "none found");
        exit(77);
    }
}

#define CUDA_OK(call)                                                                    \
    do {                                                                                 \
        cudaError_t e_ = (call);                                                         \
        if (e_ != cudaSuccess) {                                                         \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,                \
                    cudaGetErrorString(e_));                                             \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

/* A device copy of N host bytes (the caller cudaFree's it). */
static inline void *cuda_test_upload(const void *host, size_t n) {
    void *d = NULL;
    CUDA_OK(cudaMalloc(&d, n ? n : 1));
    if (n) CUDA_OK(cudaMemcpy(d, host, n, cudaMemcpyHostToDevice));
    return d;
}

static inline void cuda_test_download(void *host, const void *dev, size_t n) {
    CUDA_OK(cudaDeviceSynchronize());
    CUDA_OK(cudaMemcpy(host, dev, n, cudaMemcpyDeviceToHost));
}

/* Uniform in [-1, 1), xorshift (deterministic). */
static inline float cuda_test_rand(uint32_t *st) {
    uint32_t x = *st;
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    *st = x;
    return (float)((double)x / 2147483648.0 - 1.0);
}

static inline float *cuda_test_floats(size_t n, uint32_t seed) {
    float *v = malloc(n * sizeof *v);
    CHECK(v != NULL);
    uint32_t st = seed ? seed : 1;
    for (size_t i = 0; i < n; i++) v[i] = cuda_test_rand(&st);
    return v;
}

/* max |a - b| / max(1, max |b|): the logits measure of the engine tests. */
static inline double cuda_test_rel(const float *a, const float *b, size_t n) {
    double md = 0, mr = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (!(d <= md)) md = d; /* NaN counts as worst */
        if (fabs(b[i]) > mr) mr = fabs(b[i]);
    }
    return md / fmax(1, mr);
}

#endif
