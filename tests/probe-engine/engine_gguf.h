/* engine_gguf: writes a model desc as a GGUF file the way llama.cpp's
 * converter lays it out (general.* and <arch>.* keys, rope_freqs.weight for
 * Llama 3.1 scaling), with the test GGUF writer. */
#ifndef ENGINE_GGUF_H
#define ENGINE_GGUF_H

#include <stdbool.h>

#include "gguf_writer.h"
#include "wir_model_desc.h"

/* A writer holding D's metadata and tensors (the caller frees it). With
 * WITH_VOCAB_KEY false, <arch>.vocab_size is left out (the reader then takes
 * token_embd's shape). SKIP_KEY, when not NULL, names one <arch>.* key suffix
 * to leave out; RETYPE_TENSOR/RETYPE renames one tensor's type (its bytes
 * then come from the writer's pattern). */
wir_gguf_writer *engine_gguf_from_desc(const wir_model_desc *d, bool with_vocab_key,
                                       const char *skip_key, const char *retype_tensor,
                                       int32_t retype);

#endif
