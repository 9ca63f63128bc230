/* wir_tensors: the tensors of a catalog model, named and shaped as llama.cpp
 * names them in a GGUF file.
 *
 * This list is the single source of truth for a model's shapes: the parameter
 * count gen check compares with the published one, the memory engine's
 * tensor-by-tensor sizes and the probe's generated catalog weights all walk it.
 * Shapes follow ggml's convention: ne[0] is the row length (the contiguous,
 * input dimension), ne[1] the number of rows, ne[2] the number of experts.
 */
#ifndef WIR_TENSORS_H
#define WIR_TENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_catalog.h"

typedef struct wir_tensor {
    char name[64];      /* "blk.3.attn_q.weight" */
    char kind[24];      /* base kind used by quantization rules: "attn_q", "ffn_down", "attn_norm", … */
    int32_t layer;      /* block index, -1 for token_embd, output, output_norm */
    int32_t n_dims;     /* 1, 2 or 3 */
    int64_t ne[3];      /* unused dimensions are 1 */
    bool is_bias;       /* a ".bias" tensor */
    bool is_expert;     /* a stacked MoE expert tensor (ffn_*_exps) */
} wir_tensor;

typedef struct wir_tensor_list {
    wir_tensor *items;
    size_t count;
} wir_tensor_list;

/* Fills list with the model's tensors in GGUF order (token_embd, blocks,
 * output_norm, output). The caller frees with wir_tensor_list_free(). Returns
 * 0, or -1 when the model's shapes are inconsistent (non-positive sizes). */
int wir_tensors_of_model(const wir_model *m, wir_tensor_list *list);
void wir_tensor_list_free(wir_tensor_list *list);

/* Elements in one tensor. */
int64_t wir_tensor_elements(const wir_tensor *t);

#endif
