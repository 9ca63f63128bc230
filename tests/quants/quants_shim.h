/* quants_shim: a test-only reader for data/quants/ into the wir_catalog
 * structs, so the quantizer's tests run before (and independently of) the
 * real catalog loader. It fills ggml_types, ftypes and quantizer only, and
 * fails loudly (message on stderr, NULL) on anything it does not understand:
 * an unknown condition name or ggml type in the data is a test failure.
 *
 * Also: a wir_model built from the few hyperparameters a llama.cpp load log
 * prints, for the file-size cases.
 */
#ifndef QUANTS_SHIM_H
#define QUANTS_SHIM_H

#include "wir_catalog.h"

/* Reads DATA_DIR/quants/. The caller frees with quants_shim_free(). */
wir_catalog *quants_shim_load(const char *data_dir);
void quants_shim_free(wir_catalog *c);

/* The file type named name ("Q4_K_M"), or NULL. */
const wir_ftype *quants_shim_ftype(const wir_catalog *c, const char *name);

/* A dense model's shapes; strings point at literals (no ownership). */
typedef struct quants_shape {
    const char *architecture;
    int32_t n_layers;
    int64_t hidden;
    int32_t n_heads;
    int32_t n_kv_heads;
    int32_t head_dim;
    int64_t ffn;
    int64_t vocab;
    bool tied;
    bool qkv_bias;
    bool qk_norm;
    bool post_norms;
    int32_t n_experts;
    int32_t n_experts_per_token;
    int64_t expert_ffn;
} quants_shape;

wir_model quants_shim_model(const quants_shape *s);

/* Sum of the tensor bytes of a model in a file type (the GGUF's tensor data
 * without header and alignment padding); -1 on error. When counts is not
 * NULL it receives, per ggml type id (0..63), the number of tensors. */
int64_t quants_shim_file_bytes(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                               int32_t counts[64]);

#endif
