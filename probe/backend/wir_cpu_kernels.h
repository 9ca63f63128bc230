/* wir_cpu_kernels: the CPU backend's float kernels (private to the backend).
 *
 * Every dot product of K floats (K a multiple of 8: rows are whole ggml
 * blocks of 32 or 256) is summed the same way wherever it is computed - eight
 * lane accumulators over k = 0, 8, 16, ..., then one fixed pairwise sum of
 * the lanes - so a result does not depend on how rows and tokens are tiled
 * or split between threads.
 */
#ifndef WIR_CPU_KERNELS_H
#define WIR_CPU_KERNELS_H

#include <stdint.h>

/* sum a[i] * b[i], i < n; n a multiple of 8. */
float wir_cpu_dot(const float *a, const float *b, int64_t n);

/* y[t * ys + r] = dot(w + r * k, x + t * xs) for r < nr, t < nt: NR rows of
 * a weight tile (dequantized, contiguous) against NT activation vectors. */
void wir_cpu_gemm_tile(const float *w, int64_t nr, int64_t k, const float *x, int64_t xs,
                       int64_t nt, float *y, int64_t ys);

/* y[i] += a * x[i], i < n. */
void wir_cpu_axpy(float *y, float a, const float *x, int64_t n);

#endif
