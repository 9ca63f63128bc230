/* engine_ref: test support for the engine tests - tiny catalog-style models
 * and a float64 reference forward pass written independently of the CPU
 * backend (straight loops over dequantized weights, no KV cache: every
 * position attends over the whole prefix recomputed from scratch).
 *
 * The reference shares only wir_qformat_dequantize_row with the engine: the
 * weights both read are the same numbers, so any difference comes from the
 * engine's arithmetic (float32, cache rounding), which the tests bound.
 */
#ifndef ENGINE_REF_H
#define ENGINE_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_catalog.h"
#include "wir_model_desc.h"

/* A tiny model shaped like a catalog entry (name, architecture and every
 * shape set; rows are multiples of 256 so every K-quant applies without
 * fallbacks). The strings are static. */
typedef struct engine_tiny {
    const char *arch;        /* "llama" | "qwen2" */
    int32_t n_kv_heads;      /* 4 heads of 64; 2 = GQA */
    bool qkv_bias, tied;
    const char *rope_scaling; /* NULL | "linear" | "llama3" */
} engine_tiny;

/* Fills *m (strings static; the caller owns nothing). */
void engine_tiny_model(const engine_tiny *spec, wir_model *m);

/* The catalog under the source tree's data/ (the caller frees it), or NULL
 * with the loader's messages on stderr. */
wir_catalog *engine_load_catalog(const char *data_dir);

/* A test's start: argv is "TEST DATA_DIR [TMP_DIR]" (N_ARGS = 1 or 2 after
 * the name). Returns the catalog (the caller frees it), or NULL after
 * printing usage or the loader's messages; *STATUS is the exit status then. */
wir_catalog *engine_test_start(int argc, char **argv, int n_args, int *status);

/* Deterministic token ids in [0, n_vocab). */
void engine_tokens(int32_t *out, int32_t n, int32_t n_vocab, uint32_t seed);

/* Reference logits of every position of TOKENS: out has n * n_vocab doubles. */
void engine_ref_forward(const wir_model_desc *desc, const int32_t *tokens, int32_t n, double *out);

/* Llama 3.1 frequency divisors computed from hp's factors (independently of
 * the weights module). */
double engine_ref_llama3_divisor(const wir_model_hparams *hp, int32_t i);

/* max |a - b| over n, and max |b|. */
void engine_compare(const float *a, const double *b, int64_t n, double *max_diff, double *max_ref);

#endif
