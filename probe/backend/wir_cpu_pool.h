/* wir_cpu_pool: the CPU backend's worker threads. wir_cpu_pool_run(fn, arg)
 * calls fn(arg, ith, nth) once for every ith in 0..nth-1 - ith 0 on the
 * calling thread - and returns when all have returned. A forward pass makes
 * hundreds of such calls per token, so workers spin briefly between calls
 * (a few microseconds per dispatch) and sleep on a condition variable when
 * idle for longer (between evals).
 *
 * Ownership: wir_cpu_pool_new returns a pool the caller frees with
 * wir_cpu_pool_free (joins the workers). One thread drives a pool.
 */
#ifndef WIR_CPU_POOL_H
#define WIR_CPU_POOL_H

#include <stdint.h>

typedef void (*wir_cpu_task)(void *arg, int32_t ith, int32_t nth);

typedef struct wir_cpu_pool wir_cpu_pool;

/* N_THREADS >= 1 (1: no workers, every run is a plain call). NULL when
 * threads cannot be made. */
wir_cpu_pool *wir_cpu_pool_new(int32_t n_threads);
int32_t wir_cpu_pool_size(const wir_cpu_pool *pool);
void wir_cpu_pool_run(wir_cpu_pool *pool, wir_cpu_task fn, void *arg);
void wir_cpu_pool_free(wir_cpu_pool *pool);

/* Rows [*first, *last) of N for thread ITH of NTH: contiguous, balanced,
 * the same for every call (results never depend on scheduling). */
void wir_cpu_split(int64_t n, int32_t ith, int32_t nth, int64_t *first, int64_t *last);

#endif
