/* wir_backend: the interface every compute backend of the probe implements
 * (the CPU reference backend now, CUDA later), and the calls the benchmark
 * driver makes through it.
 *
 * A backend is a static table of functions (wir_backend_ops). A session is
 * one model loaded on one device with one KV cache: made by
 * wir_backend_session_init, driven by eval / kv_truncate, read by
 * profile / memory, ended by wir_backend_session_free.
 *
 * Evaluation follows llama.cpp's llama_decode with a batch of consecutive
 * tokens of one sequence: eval(tokens, n, pos) appends the K/V of positions
 * pos..pos+n-1 to the cache and computes the logits of the last token (or of
 * every token when asked). A prefill is one eval of n > 1 tokens (at most
 * n_batch); a decode step is an eval of 1 token. To measure at a depth d
 * (llama-bench -d), fill the cache with d tokens, reset the profile, then
 * measure; to repeat, kv_truncate(d).
 *
 * Memory: wir_backend_estimate says what a session would need (weights, KV
 * cache, scratch) and what the device has free, before anything is
 * allocated, so the driver can report "does not fit: needs N, has M".
 *
 * Ownership: the ops tables are static. A session does not own the
 * wir_model_desc: the desc (and its wir_weights) must outlive the session.
 * wir_backend_session_init returns a session the caller frees with
 * wir_backend_session_free. One session is used by one thread at a time (a
 * backend may use its own worker threads inside eval).
 */
#ifndef WIR_BACKEND_H
#define WIR_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_model_desc.h"

/* ---- results and errors ---- */

typedef enum wir_backend_status {
    WIR_BACKEND_OK = 0,
    WIR_BACKEND_ERR_ARGS = 1,         /* bad parameter: n_ctx <= 0, tokens out of
                                         the vocabulary, pos beyond the cache, ... */
    WIR_BACKEND_ERR_UNSUPPORTED = 2,  /* the backend cannot run this model (a
                                         tensor type it has no kernel for, ...) */
    WIR_BACKEND_ERR_NO_MEMORY = 3,    /* does not fit, or allocation failed */
    WIR_BACKEND_ERR_CONTEXT_FULL = 4, /* pos + n_tokens > n_ctx */
    WIR_BACKEND_ERR_DEVICE = 5,       /* a device/driver error (CUDA) */
} wir_backend_status;

typedef struct wir_backend_error {
    wir_backend_status status;
    char text[512];  /* one line, no '\n': "cpu: does not fit: needs 41.2 GiB, 15.1 GiB available" */
} wir_backend_error;

/* ---- devices ---- */

typedef struct wir_backend_device {
    int32_t index;           /* the backend's device number, for params.device */
    char name[128];          /* "AMD EPYC 7763 64-Core Processor", "NVIDIA H200" */
    char kind[8];            /* "cpu" | "gpu" */
    uint64_t memory_total;   /* bytes the device can use (CPU: MemTotal) */
    uint64_t memory_free;    /* bytes free now (CPU: MemAvailable) */
    int32_t n_cores;         /* CPU: online logical CPUs; GPU: multiprocessors */
    char detail[256];        /* free text: "compute capability 9.0, driver 13.0" */
} wir_backend_device;

/* ---- parameters and memory ---- */

typedef struct wir_backend_params {
    int32_t device;     /* index from list_devices; 0 for the first */
    int32_t n_ctx;      /* KV cache length in tokens (> 0) */
    int32_t n_batch;    /* most tokens in one eval (> 0; prefill chunks) */
    int32_t n_threads;  /* CPU worker threads; <= 0: one per online CPU */
    int32_t kv_type;    /* WIR_QTYPE_F16 (default, as llama.cpp) or WIR_QTYPE_F32 */
    bool profile;       /* time each kind of operation (profile's ns_matmul,
                           ns_attention, ns_other). The CPU backend always
                           does; the CUDA backend does only when asked (it
                           then records CUDA events between operations and
                           runs decode without its CUDA graph) and otherwise
                           reports ns_total alone, the parts 0. */
} wir_backend_params;

/* Defaults: device 0, n_ctx 512, n_batch 512, n_threads 0, kv_type F16. */
wir_backend_params wir_backend_params_default(void);

/* Bytes, all computed from the desc and params alone. */
typedef struct wir_backend_memory {
    uint64_t weights;    /* weight bytes the device must hold (CPU: the model's
                            weight_bytes, resident in RAM or page cache) */
    uint64_t kv;         /* K and V caches: 2 * n_layers * n_ctx * n_kv_heads *
                            head_dim * sizeof(kv_type) */
    uint64_t scratch;    /* activations, logits, dequantized tiles, per thread */
    uint64_t total;      /* weights + kv + scratch */
    uint64_t available;  /* the device's free memory at the time of the call
                            (for a session's memory, at init) */
    uint64_t peak;       /* session only: the most the session held at once
                            (backend allocations; CPU adds the weights); 0 in an
                            estimate */
} wir_backend_memory;

/* ---- profile ---- */

typedef enum wir_backend_phase {
    WIR_BACKEND_PHASE_PREFILL = 0,   /* evals of n_tokens > 1 */
    WIR_BACKEND_PHASE_DECODE = 1,    /* evals of one token */
    WIR_BACKEND_N_PHASES = 2,
} wir_backend_phase;

/* Wall-clock nanoseconds spent per kind of operation, summed over evals of a
 * phase since the session began or the last profile_reset. The parts add up
 * to ns_total up to timer overhead. */
typedef struct wir_backend_phase_profile {
    uint64_t n_evals;
    uint64_t n_tokens;
    uint64_t ns_total;      /* whole evals, wall clock */
    uint64_t ns_matmul;     /* weight matrix products (QKV, O, FFN, output) */
    uint64_t ns_attention;  /* RoPE, KV store, scores, softmax, weighted sum */
    uint64_t ns_other;      /* embedding, norms, SwiGLU, residuals, ... */
    uint64_t weight_bytes;  /* weight bytes the matrix products read (for
                               effective bandwidth) */
} wir_backend_phase_profile;

typedef struct wir_backend_profile {
    wir_backend_phase_profile phase[WIR_BACKEND_N_PHASES];
} wir_backend_profile;

/* ---- the interface a backend implements ---- */

typedef struct wir_backend_ops {
    const char *name;  /* "cpu", "cuda" */

    /* Fills up to MAX devices; returns how many exist (may exceed MAX), 0
     * when the backend has none here (no GPU, no driver). */
    int32_t (*list_devices)(wir_backend_device *out, int32_t max);

    /* What a session for DESC with PARAMS would need. DESC may be a plan
     * (has_data false). Fails with UNSUPPORTED when a tensor type has no
     * kernel, ARGS on bad params. Fills memory even when it does not fit
     * (that is init's failure, not estimate's). */
    wir_backend_status (*estimate)(const wir_model_desc *desc, const wir_backend_params *params,
                                   wir_backend_memory *memory, wir_backend_error *err);

    /* Makes a session; *out receives the backend's state. NO_MEMORY when it
     * does not fit or an allocation fails; ARGS for a plan (DESC must have
     * data). The CPU backend checks what it allocates itself (KV cache and
     * scratch) against the memory available: the weights already exist. */
    wir_backend_status (*init)(const wir_model_desc *desc, const wir_backend_params *params,
                               void **out, wir_backend_error *err);

    /* See wir_backend_session_eval. */
    wir_backend_status (*eval)(void *state, const int32_t *tokens, int32_t n_tokens,
                               int32_t pos, bool all_logits, float *logits,
                               wir_backend_error *err);
    void (*kv_truncate)(void *state, int32_t n_keep);
    int32_t (*kv_length)(const void *state);
    void (*profile)(const void *state, wir_backend_profile *out);
    void (*profile_reset)(void *state);
    void (*memory)(const void *state, wir_backend_memory *out);
    void (*free)(void *state);
} wir_backend_ops;

/* ---- registry ---- */

/* The CPU reference backend (always present). */
const wir_backend_ops *wir_backend_cpu(void);
/* The CUDA backend (probe/backend/cuda; built only where nvcc exists, so
 * look it up with wir_backend_find("cuda") rather than calling this). */
const wir_backend_ops *wir_backend_cuda(void);

/* Every backend built into this binary, CPU first; returns the count. OUT
 * may be NULL to count. */
size_t wir_backend_all(const wir_backend_ops **out, size_t max);
/* The backend named NAME, or NULL. */
const wir_backend_ops *wir_backend_find(const char *name);

/* ---- sessions (the calls the driver makes) ---- */

typedef struct wir_backend_session wir_backend_session;

/* ops->estimate; err may be NULL. */
wir_backend_status wir_backend_estimate(const wir_backend_ops *ops, const wir_model_desc *desc,
                                        const wir_backend_params *params,
                                        wir_backend_memory *memory, wir_backend_error *err);

/* Makes a session (NULL params: defaults). Returns NULL and fills *err (may
 * be NULL) on failure. The caller frees it with wir_backend_session_free. */
wir_backend_session *wir_backend_session_init(const wir_backend_ops *ops,
                                              const wir_model_desc *desc,
                                              const wir_backend_params *params,
                                              wir_backend_error *err);

/* Evaluates N_TOKENS (1..n_batch) consecutive tokens at positions
 * POS..POS+N-1. POS must be <= kv_length; cache entries at >= POS are
 * discarded first (so eval at pos 0 restarts). The K/V of the new tokens is
 * stored. LOGITS, when not NULL, receives n_vocab floats: the last token's
 * logits, or, when ALL_LOGITS, N_TOKENS * n_vocab floats, token by token.
 * The output projection is computed only for the tokens whose logits are
 * returned (the last one unless ALL_LOGITS), as llama.cpp does; it is
 * computed for the last token even when LOGITS is NULL, so timings include
 * it (ALL_LOGITS without a LOGITS buffer computes the last only). Errors:
 * ARGS (n_tokens outside 1..n_batch, pos > kv_length, a token outside the
 * vocabulary; the cache is unchanged), CONTEXT_FULL (pos + n_tokens > n_ctx;
 * the cache is left truncated to POS). */
wir_backend_status wir_backend_session_eval(wir_backend_session *s, const int32_t *tokens,
                                            int32_t n_tokens, int32_t pos, bool all_logits,
                                            float *logits, wir_backend_error *err);

/* Keeps the first N_KEEP cache entries (0 empties it). */
void wir_backend_session_kv_truncate(wir_backend_session *s, int32_t n_keep);
/* Tokens in the cache. */
int32_t wir_backend_session_kv_length(const wir_backend_session *s);

void wir_backend_session_profile(const wir_backend_session *s, wir_backend_profile *out);
void wir_backend_session_profile_reset(wir_backend_session *s);
/* Memory of the session (estimate's figures, available at init, and peak). */
void wir_backend_session_memory(const wir_backend_session *s, wir_backend_memory *out);
const wir_backend_ops *wir_backend_session_ops(const wir_backend_session *s);
const wir_model_desc *wir_backend_session_desc(const wir_backend_session *s);
const wir_backend_params *wir_backend_session_params(const wir_backend_session *s);

/* NULL is fine. */
void wir_backend_session_free(wir_backend_session *s);

/* "ok", "does not fit", ... Static string. */
const char *wir_backend_status_name(wir_backend_status status);

#endif
