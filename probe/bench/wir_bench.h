/* wir_bench: the benchmark driver behind `probe run`, in the manner of
 * llama.cpp's llama-bench.
 *
 * A plan lists prompt sizes (pp), generation sizes (tg) and KV-cache depths;
 * the tests are, for each depth in order, every pp size then every tg size
 * (llama-bench's order: pp512, tg128, pp512 @ d4096, tg128 @ d4096). Sizes of
 * 0 are skipped, as llama-bench's "-p 0".
 *
 * Each test:
 *   1. is checked against memory first: the backend's estimate for a cache of
 *      depth + n_prompt + n_gen tokens (weights + KV + scratch) against the
 *      memory it reports free. A test that does not fit is recorded as
 *      does-not-fit with both figures and not run; the others go on. The
 *      weights are made (generated or mapped) only when some test fits, and
 *      one session is made with the largest context that fits.
 *   2. fills the cache with `depth` pseudo-random tokens (not timed),
 *   3. runs one warm-up (the whole prompt for pp, one token for tg),
 *   4. runs `reps` timed repetitions from the same depth: pp evaluates the
 *      n_prompt tokens in batches of at most n_batch, tg decodes n_gen tokens
 *      one eval at a time. tokens/s of a repetition is tokens / seconds; the
 *      result is their mean and sample standard deviation (llama-bench's
 *      avg_ts / stddev_ts), with every sample kept.
 * A backend error ends that test as status error with the backend's message;
 * the remaining tests go on.
 *
 * Ownership: the driver borrows everything in wir_bench_setup; the results
 * array belongs to the caller (wir_bench_results_free).
 */
#ifndef WIR_BENCH_H
#define WIR_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wir_backend.h"
#include "wir_nvml.h"
#include "wir_record.h"

typedef struct wir_bench_plan {
    const int32_t *pp;     size_t n_pp;     /* prompt sizes; 0 entries skipped */
    const int32_t *tg;     size_t n_tg;     /* generation sizes; 0 entries skipped */
    const int32_t *depth;  size_t n_depth;  /* KV depths; none means {0} */
    int32_t reps;          /* timed repetitions per test (>= 1) */
    int32_t n_threads;     /* backend worker threads (<= 0: backend default) */
    int32_t n_batch;       /* largest eval (prefill chunk); <= 0: 512 */
    int32_t device;        /* backend device index */
    bool profile;          /* ask the backend for per-operation times
                              (wir_backend_params.profile) */
} wir_bench_plan;

/* Hands the driver the model with its data, made only when some test fits.
 * Returns NULL on failure with a one-line reason in err. The returned desc
 * must stay valid until wir_bench_execute returns. */
typedef const wir_model_desc *(*wir_bench_load_fn)(void *user, char *err, size_t err_size);

/* Called after each test, in order, with its final record (the driver keeps
 * ownership). A non-zero return stops the run (the remaining tests are not
 * recorded). */
typedef int (*wir_bench_result_fn)(void *user, int32_t seq, const wir_result *result);

/* What the run did, besides its results. */
typedef struct wir_bench_outcome {
    int32_t n_ctx;                /* KV cache of the session; 0 when none was made */
    wir_backend_memory memory;    /* the session's figures (zero when none) */
    bool stopped;                 /* on_result asked to stop */
} wir_bench_outcome;

/* Called once the session is made, before the first test runs, with its
 * context and memory (stopped false). */
typedef void (*wir_bench_session_fn)(void *user, const wir_bench_outcome *session);

typedef struct wir_bench_setup {
    const wir_backend_ops *ops;
    const wir_model_desc *plan;   /* shapes and types, data not needed */
    wir_bench_load_fn load;       /* may be NULL when plan has data */
    wir_bench_result_fn on_result;/* may be NULL */
    wir_bench_session_fn on_session; /* may be NULL */
    void *user;                   /* passed to load, on_result and on_session */
    wir_nvml *nvml;               /* GPU power sampling; NULL: none */
    FILE *progress;               /* progress lines; NULL: quiet */
} wir_bench_setup;

/* The tests of a plan in order, without their figures; the caller frees with
 * wir_bench_results_free. Returns the count. */
size_t wir_bench_tests(const wir_bench_plan *plan, wir_result **out);

/* Runs the plan. Returns the results (one per test, in order) in *out and
 * their count; *outcome (may be NULL) says what the session was. */
size_t wir_bench_execute(const wir_bench_plan *plan, const wir_bench_setup *setup,
                         wir_result **out, wir_bench_outcome *outcome);

void wir_bench_results_free(wir_result *results, size_t n);

/* Mean and sample standard deviation (n - 1; 0 for one value). */
void wir_bench_mean_sd(const double *v, int32_t n, double *mean, double *sd);

#endif
