/* wir_weights: the two sources of a model's weights for the probe.
 *
 *   - a GGUF file of architecture llama or qwen2: hyperparameters from its
 *     metadata, tensors used in place in the read-only mapping (zero-copy);
 *   - a catalog model and llama.cpp file type: the model's exact tensor list
 *     (wir_tensors_of_model) and llama.cpp's per-tensor type mix for that file
 *     type (wir_quant_assign), filled with deterministic pseudo-random values
 *     (a function of seed, tensor name and element index only, so the same on
 *     every machine and thread count) and quantized with
 *     wir_qformat_quantize_row.
 * Both give a wir_model_desc (wir_model_desc.h) a backend can run.
 *
 * Every tensor type must be one the probe computes (wir_qformat_supported:
 * F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K): so F32, F16, BF16, Q8_0,
 * Q4_0, Q4_K_S/M, Q5_K_S/M and Q6_K files work; a file or file type that
 * needs another type (IQ*, Q5_0, Q3_K, Q2_K, ...) fails with an error that
 * names the tensor and the type.
 *
 * Ownership: a wir_weights owns its desc, its tensor table, generated data
 * or the file mapping. The caller frees it with wir_weights_free(); the desc
 * stays valid until then. A wir_weights is immutable after it is made, so
 * any number of threads may read it.
 */
#ifndef WIR_WEIGHTS_H
#define WIR_WEIGHTS_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_catalog.h"
#include "wir_model_desc.h"

/* Why making weights failed, so the driver can tell "this model cannot run
 * here" from "this input is broken". */
typedef enum wir_weights_status {
    WIR_WEIGHTS_OK = 0,
    WIR_WEIGHTS_ERR_IO = 1,          /* cannot open or map the file */
    WIR_WEIGHTS_ERR_FORMAT = 2,      /* malformed GGUF, missing/inconsistent
                                        metadata key or tensor, bad shape */
    WIR_WEIGHTS_ERR_ARCH = 3,        /* an architecture the engine does not run
                                        (gemma, phi3, qwen3, MoE, ...) */
    WIR_WEIGHTS_ERR_TYPE = 4,        /* a tensor type the probe does not compute */
    WIR_WEIGHTS_ERR_UNKNOWN = 5,     /* no such catalog model or file type */
    WIR_WEIGHTS_ERR_NO_MEMORY = 6,   /* allocating the generated weights failed */
} wir_weights_status;

typedef struct wir_weights_error {
    wir_weights_status status;
    /* One line, no '\n', e.g.
     *   "model.gguf: tensor blk.0.attn_q.weight: type iq2_xxs: not computed by the probe"
     *   "qwen2-5-0-5b Q3_K_M: tensor blk.0.ffn_down.weight: type q3_K: not computed by the probe" */
    char text[1024];
} wir_weights_error;

typedef struct wir_weights wir_weights;

/* ---- GGUF files ---- */

typedef struct wir_weights_gguf_options {
    bool compute_sha256;   /* hash the whole file now (about 1 s/GB) and put it in
                              desc->id.sha256; false leaves it "" */
} wir_weights_gguf_options;

/* Opens PATH (wir_gguf_open), reads the hyperparameters from
 * <arch>.block_count, .embedding_length, .attention.head_count,
 * .attention.head_count_kv, .feed_forward_length, .context_length,
 * .rope.freq_base, .attention.layer_norm_rms_epsilon, .rope.scaling.*,
 * .rope.dimension_count, .vocab_size (else token_embd's shape), checks every
 * tensor the forward pass needs (name, shape, type). OPT may be NULL
 * (defaults: no hash). Returns NULL and fills *err (when err is not NULL) on
 * failure; the caller frees the result with wir_weights_free. */
wir_weights *wir_weights_open_gguf(const char *path, const wir_weights_gguf_options *opt,
                                   wir_weights_error *err);

/* ---- generated from the catalog ---- */

/* The shapes, tensor types and byte count of the catalog model MODEL_SLUG
 * generated for file type FTYPE (slug "q4-k-m" or name "Q4_K_M"), without
 * allocating the weights: desc->has_data is false and every tensor's data is
 * NULL. desc->weight_bytes is what wir_weights_generate would allocate (plus
 * at most 63 bytes of alignment per tensor), so a driver can say "does not fit: needs N, has M" before trying (pass the desc
 * to a backend's estimate). Fails like wir_weights_generate (unknown model,
 * architecture, tensor type). The caller frees the result with
 * wir_weights_free. */
wir_weights *wir_weights_plan_generated(const wir_catalog *catalog, const char *model_slug,
                                        const char *ftype, wir_weights_error *err);

/* The same with the values: allocates desc->weight_bytes and fills them,
 * using N_THREADS threads (<= 0: one per online CPU; the bytes do not depend on
 * it). rms_eps, absent from the catalog, is 1e-6 for qwen2 and 1e-5 for llama
 * (the values of the published config.json files of Qwen2.5 and Llama 3). */
wir_weights *wir_weights_generate(const wir_catalog *catalog, const char *model_slug,
                                  const char *ftype, uint64_t seed, int32_t n_threads,
                                  wir_weights_error *err);

/* Lower level, for tests and tools that make their own model: the catalog
 * model M (need not be in the catalog: tests build tiny ones) with file type
 * FT's rules from CATALOG. ALLOCATE false makes a plan as above. */
wir_weights *wir_weights_generate_model(const wir_catalog *catalog, const wir_model *m,
                                        const wir_ftype *ft, uint64_t seed, int32_t n_threads,
                                        bool allocate, wir_weights_error *err);

/* ---- both ---- */

/* The model; owned by w, valid until wir_weights_free(w). */
const wir_model_desc *wir_weights_desc(const wir_weights *w);

/* Frees everything (unmaps a GGUF file). NULL is fine. */
void wir_weights_free(wir_weights *w);

#endif
