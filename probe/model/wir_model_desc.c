/* wir_model_desc: names of architectures and RoPE variants, and the bytes a
 * decoded token reads. */
#include "wir_model_desc.h"

#include <string.h>

const char *wir_arch_name(wir_arch arch) {
    switch (arch) {
    case WIR_ARCH_LLAMA: return "llama";
    case WIR_ARCH_QWEN2: return "qwen2";
    }
    return "unknown";
}

bool wir_arch_from_name(const char *name, wir_arch *out) {
    if (!name) return false;
    if (strcmp(name, "llama") == 0) {
        *out = WIR_ARCH_LLAMA;
        return true;
    }
    if (strcmp(name, "qwen2") == 0) {
        *out = WIR_ARCH_QWEN2;
        return true;
    }
    return false;
}

/* llama.cpp's llama_model_rope_type(): LLM_ARCH_LLAMA -> LLAMA_ROPE_TYPE_NORM
 * ("pairs of consecutive head values"), LLM_ARCH_QWEN2 -> LLAMA_ROPE_TYPE_NEOX
 * ("pairs offset by n_rot/2"); src/llama-model.cpp,
 * https://github.com/ggml-org/llama.cpp (read 2026-12-01). */
wir_rope_type wir_arch_rope_type(wir_arch arch) {
    return arch == WIR_ARCH_QWEN2 ? WIR_ROPE_NEOX : WIR_ROPE_NORM;
}

const char *wir_rope_scaling_name(wir_rope_scaling_type type) {
    switch (type) {
    case WIR_ROPE_SCALING_NONE: return "none";
    case WIR_ROPE_SCALING_LINEAR: return "linear";
    case WIR_ROPE_SCALING_LLAMA3: return "llama3";
    }
    return "unknown";
}

/* Every tensor is read once per token except token_embd, of which one row is
 * read (unless it doubles as the output projection, then it is read whole). */
uint64_t wir_model_desc_bytes_per_token(const wir_model_desc *desc) {
    uint64_t total = 0;
    for (size_t i = 0; i < desc->n_tensors; i++) {
        const wir_model_tensor *t = &desc->tensors[i];
        if (t == desc->token_embd && desc->output != desc->token_embd)
            total += t->ne[1] > 0 ? t->size / (uint64_t)t->ne[1] : 0;
        else
            total += t->size;
    }
    return total;
}
