/* wir_quant_assign: which ggml type llama.cpp's quantizer gives each tensor of
 * a model for a file type (Q4_K_M's mix of Q4_K and Q6_K, exactly), driven by
 * the rules in data/quants/ (see data/README.md).
 *
 * Used by the memory engine (tensor-by-tensor sizes) and by the probe's
 * generated catalog weights, so both agree on every tensor.
 */
#ifndef WIR_QUANT_ASSIGN_H
#define WIR_QUANT_ASSIGN_H

#include <stdint.h>

#include "wir_catalog.h"
#include "wir_tensors.h"

/* Fills types[i] for every tensors->items[i] (types has tensors->count slots;
 * the pointers point into the catalog). Returns 0, or -1 when a rule names a
 * type the catalog lacks (a problem gen check reports). */
int wir_quant_assign(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                     const wir_tensor_list *tensors, const wir_ggml_type **types);

/* Bytes a tensor takes in a given type: rows of ne[0] elements in blocks;
 * -1 when ne[0] is not a multiple of the type's block size. */
int64_t wir_quant_tensor_bytes(const wir_tensor *t, const wir_ggml_type *type);

#endif
