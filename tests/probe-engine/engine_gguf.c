#include "engine_gguf.h"

#include <stdio.h>
#include <string.h>

static void key_name(char *buf, size_t size, const wir_model_desc *d, const char *suffix) {
    snprintf(buf, size, "%s.%s", wir_arch_name(d->hp.arch), suffix);
}

static bool skipped(const char *skip, const char *suffix) { return skip && strcmp(skip, suffix) == 0; }

static void add_u32(wir_gguf_writer *w, const wir_model_desc *d, const char *skip,
                    const char *suffix, uint32_t v) {
    char k[128];
    key_name(k, sizeof k, d, suffix);
    if (!skipped(skip, suffix)) wir_gguf_writer_add_u32(w, k, v);
}

static void add_f32(wir_gguf_writer *w, const wir_model_desc *d, const char *skip,
                    const char *suffix, float v) {
    char k[128];
    key_name(k, sizeof k, d, suffix);
    if (!skipped(skip, suffix)) wir_gguf_writer_add_f32(w, k, v);
}

wir_gguf_writer *engine_gguf_from_desc(const wir_model_desc *d, bool with_vocab_key,
                                       const char *skip, const char *retype_tensor, int32_t retype) {
    const wir_model_hparams *hp = &d->hp;
    wir_gguf_writer *w = wir_gguf_writer_new(3);
    wir_gguf_writer_add_string(w, "general.architecture", wir_arch_name(hp->arch));
    wir_gguf_writer_add_string(w, "general.name", d->id.name);
    wir_gguf_writer_add_u32(w, "general.file_type", (uint32_t)d->id.file_type);
    add_u32(w, d, skip, "block_count", (uint32_t)hp->n_layers);
    add_u32(w, d, skip, "context_length", (uint32_t)hp->n_ctx_train);
    add_u32(w, d, skip, "embedding_length", (uint32_t)hp->n_embd);
    add_u32(w, d, skip, "feed_forward_length", (uint32_t)hp->n_ff);
    add_u32(w, d, skip, "attention.head_count", (uint32_t)hp->n_heads);
    add_u32(w, d, skip, "attention.head_count_kv", (uint32_t)hp->n_kv_heads);
    add_u32(w, d, skip, "rope.dimension_count", (uint32_t)hp->head_dim);
    add_f32(w, d, skip, "rope.freq_base", hp->rope_theta);
    add_f32(w, d, skip, "attention.layer_norm_rms_epsilon", hp->rms_eps);
    if (with_vocab_key) add_u32(w, d, skip, "vocab_size", (uint32_t)hp->n_vocab);
    if (hp->rope_scaling == WIR_ROPE_SCALING_LINEAR) {
        char k[128];
        key_name(k, sizeof k, d, "rope.scaling.type");
        wir_gguf_writer_add_string(w, k, "linear");
        add_f32(w, d, skip, "rope.scaling.factor", hp->rope_factor);
    }
    if (d->rope_freq_factors) {
        int64_t ne[1] = {hp->head_dim / 2};
        wir_gguf_writer_add_tensor(w, "rope_freqs.weight", 1, ne, 0, d->rope_freq_factors);
    }
    for (size_t i = 0; i < d->n_tensors; i++) {
        const wir_model_tensor *t = &d->tensors[i];
        bool re = retype_tensor && strcmp(t->name, retype_tensor) == 0;
        wir_gguf_writer_add_tensor(w, t->name, (uint32_t)t->n_dims, t->ne, re ? retype : t->type,
                                   re ? NULL : t->data);
    }
    return w;
}
