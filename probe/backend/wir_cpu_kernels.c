/* wir_cpu_kernels: register-blocked float dot products with GCC vectors,
 * compiled for baseline x86-64 and x86-64-v3 (AVX2) and picked at load time
 * like wir_qformat's kernels. A 2-row x 4-token micro-kernel keeps 8 vector
 * accumulators and loads each weight and activation vector once per k-step. */
#include "wir_cpu_kernels.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define WIR_CPU_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define WIR_CPU_CLONES
#endif

#pragma GCC diagnostic ignored "-Wpsabi"

#define WIR_CPU_INLINE static inline __attribute__((always_inline))

typedef float wir_cv8 __attribute__((vector_size(32)));

WIR_CPU_INLINE wir_cv8 wir_cpu_load(const float *p) {
    wir_cv8 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The one lane-sum order every kernel uses. */
WIR_CPU_INLINE float wir_cpu_hsum(wir_cv8 v) {
    return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

WIR_CPU_INLINE float wir_cpu_dot1(const float *a, const float *b, int64_t n) {
    wir_cv8 acc = {0};
    for (int64_t i = 0; i < n; i += 8) acc += wir_cpu_load(a + i) * wir_cpu_load(b + i);
    return wir_cpu_hsum(acc);
}

WIR_CPU_CLONES
float wir_cpu_dot(const float *a, const float *b, int64_t n) { return wir_cpu_dot1(a, b, n); }

WIR_CPU_CLONES
void wir_cpu_gemm_tile(const float *w, int64_t nr, int64_t k, const float *x, int64_t xs,
                       int64_t nt, float *y, int64_t ys) {
    int64_t r = 0;
    for (; r + 2 <= nr; r += 2) {
        const float *w0 = w + r * k, *w1 = w0 + k;
        int64_t t = 0;
        for (; t + 4 <= nt; t += 4) {
            const float *x0 = x + t * xs, *x1 = x0 + xs, *x2 = x1 + xs, *x3 = x2 + xs;
            wir_cv8 a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0};
            wir_cv8 a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0};
            for (int64_t i = 0; i < k; i += 8) {
                wir_cv8 u = wir_cpu_load(w0 + i), v = wir_cpu_load(w1 + i);
                wir_cv8 p = wir_cpu_load(x0 + i), q = wir_cpu_load(x1 + i);
                wir_cv8 s = wir_cpu_load(x2 + i), z = wir_cpu_load(x3 + i);
                a00 += u * p; a01 += u * q; a02 += u * s; a03 += u * z;
                a10 += v * p; a11 += v * q; a12 += v * s; a13 += v * z;
            }
            float *yt = y + t * ys + r;
            yt[0] = wir_cpu_hsum(a00); yt[1] = wir_cpu_hsum(a10);
            yt[ys] = wir_cpu_hsum(a01); yt[ys + 1] = wir_cpu_hsum(a11);
            yt[2 * ys] = wir_cpu_hsum(a02); yt[2 * ys + 1] = wir_cpu_hsum(a12);
            yt[3 * ys] = wir_cpu_hsum(a03); yt[3 * ys + 1] = wir_cpu_hsum(a13);
        }
        for (; t < nt; t++) {
            y[t * ys + r] = wir_cpu_dot1(w0, x + t * xs, k);
            y[t * ys + r + 1] = wir_cpu_dot1(w1, x + t * xs, k);
        }
    }
    for (; r < nr; r++)
        for (int64_t t = 0; t < nt; t++) y[t * ys + r] = wir_cpu_dot1(w + r * k, x + t * xs, k);
}

void wir_cpu_axpy(float *y, float a, const float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}
