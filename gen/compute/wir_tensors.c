#include "wir_tensors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wir_tensor_builder {
    wir_tensor_list *list;
    size_t cap;
} wir_tensor_builder;

static void wir_tensors_push(wir_tensor_builder *b, int32_t layer, const char *kind,
                             const char *suffix, int32_t n_dims, int64_t ne0,
                             int64_t ne1, int64_t ne2) {
    wir_tensor_list *list = b->list;
    if (list->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        wir_tensor *items = realloc(list->items, b->cap * sizeof *items);
        if (!items) abort();
        list->items = items;
    }
    wir_tensor *t = &list->items[list->count++];
    memset(t, 0, sizeof *t);
    if (layer >= 0)
        snprintf(t->name, sizeof t->name, "blk.%d.%s.%s", (int)layer, kind, suffix);
    else
        snprintf(t->name, sizeof t->name, "%s.%s", kind, suffix);
    /* Expert tensors share the quantization rules of their dense kind. */
    size_t klen = strlen(kind);
    t->is_expert = klen > 5 && strcmp(kind + klen - 5, "_exps") == 0;
    snprintf(t->kind, sizeof t->kind, "%.*s", (int)(t->is_expert ? klen - 5 : klen), kind);
    t->layer = layer;
    t->n_dims = n_dims;
    t->ne[0] = ne0;
    t->ne[1] = ne1;
    t->ne[2] = ne2;
    t->is_bias = strcmp(suffix, "bias") == 0;
}

static void wir_tensors_push_block(wir_tensor_builder *b, const wir_model *m, int32_t i) {
    const int64_t H = m->hidden_size;
    const int64_t q = (int64_t)m->n_heads * m->head_dim;
    const int64_t kv = (int64_t)m->n_kv_heads * m->head_dim;

    /* llama.cpp keeps Phi-3's fused projections as they are in the
     * checkpoint: one QKV matrix, and gate and up stacked in ffn_up. The
     * count is the same, but names, shapes and quantization rules differ. */
    const bool fused = m->architecture && strcmp(m->architecture, "phi3") == 0;

    wir_tensors_push(b, i, "attn_norm", "weight", 1, H, 1, 1);
    if (fused) {
        wir_tensors_push(b, i, "attn_qkv", "weight", 2, H, q + 2 * kv, 1);
    } else {
        wir_tensors_push(b, i, "attn_q", "weight", 2, H, q, 1);
        wir_tensors_push(b, i, "attn_k", "weight", 2, H, kv, 1);
        wir_tensors_push(b, i, "attn_v", "weight", 2, H, kv, 1);
    }
    if (m->qkv_bias) {
        wir_tensors_push(b, i, "attn_q", "bias", 1, q, 1, 1);
        wir_tensors_push(b, i, "attn_k", "bias", 1, kv, 1, 1);
        wir_tensors_push(b, i, "attn_v", "bias", 1, kv, 1, 1);
    }
    if (m->qk_norm) {
        wir_tensors_push(b, i, "attn_q_norm", "weight", 1, m->head_dim, 1, 1);
        wir_tensors_push(b, i, "attn_k_norm", "weight", 1, m->head_dim, 1, 1);
    }
    wir_tensors_push(b, i, "attn_output", "weight", 2, q, H, 1);
    if (m->post_norms)
        wir_tensors_push(b, i, "post_attention_norm", "weight", 1, H, 1, 1);
    wir_tensors_push(b, i, "ffn_norm", "weight", 1, H, 1, 1);

    if (m->moe.n_experts > 0) {
        const int64_t E = m->moe.n_experts, F = m->moe.expert_ffn_size;
        wir_tensors_push(b, i, "ffn_gate_inp", "weight", 2, H, E, 1);
        wir_tensors_push(b, i, "ffn_gate_exps", "weight", 3, H, F, E);
        wir_tensors_push(b, i, "ffn_up_exps", "weight", 3, H, F, E);
        wir_tensors_push(b, i, "ffn_down_exps", "weight", 3, F, H, E);
        if (m->moe.n_shared_experts > 0) {
            const int64_t S = (int64_t)m->moe.n_shared_experts * m->moe.shared_expert_ffn_size;
            wir_tensors_push(b, i, "ffn_gate_shexp", "weight", 2, H, S, 1);
            wir_tensors_push(b, i, "ffn_up_shexp", "weight", 2, H, S, 1);
            wir_tensors_push(b, i, "ffn_down_shexp", "weight", 2, S, H, 1);
        }
    }
    if (m->ffn_size > 0 && fused) {
        wir_tensors_push(b, i, "ffn_up", "weight", 2, H, 2 * m->ffn_size, 1);
        wir_tensors_push(b, i, "ffn_down", "weight", 2, m->ffn_size, H, 1);
    } else if (m->ffn_size > 0) {
        wir_tensors_push(b, i, "ffn_gate", "weight", 2, H, m->ffn_size, 1);
        wir_tensors_push(b, i, "ffn_up", "weight", 2, H, m->ffn_size, 1);
        wir_tensors_push(b, i, "ffn_down", "weight", 2, m->ffn_size, H, 1);
    }
    if (m->post_norms)
        wir_tensors_push(b, i, "post_ffw_norm", "weight", 1, H, 1, 1);
}

int wir_tensors_of_model(const wir_model *m, wir_tensor_list *list) {
    list->items = NULL;
    list->count = 0;
    if (m->n_layers <= 0 || m->hidden_size <= 0 || m->n_heads <= 0 ||
        m->n_kv_heads <= 0 || m->head_dim <= 0 || m->vocab_size <= 0 ||
        m->ffn_size < 0 || (m->ffn_size == 0 && m->moe.n_experts <= 0))
        return -1;

    wir_tensor_builder b = {list, 0};
    wir_tensors_push(&b, -1, "token_embd", "weight", 2, m->hidden_size, m->vocab_size, 1);
    for (int32_t i = 0; i < m->n_layers; i++) wir_tensors_push_block(&b, m, i);
    wir_tensors_push(&b, -1, "output_norm", "weight", 1, m->hidden_size, 1, 1);
    if (!m->tied_embeddings)
        wir_tensors_push(&b, -1, "output", "weight", 2, m->hidden_size, m->vocab_size, 1);
    return 0;
}

void wir_tensor_list_free(wir_tensor_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int64_t wir_tensor_elements(const wir_tensor *t) {
    return t->ne[0] * t->ne[1] * t->ne[2];
}

int64_t wir_model_count_params(const wir_model *m) {
    wir_tensor_list list;
    if (wir_tensors_of_model(m, &list) != 0) return -1;
    int64_t total = 0;
    for (size_t i = 0; i < list.count; i++) total += wir_tensor_elements(&list.items[i]);
    wir_tensor_list_free(&list);
    return total;
}
