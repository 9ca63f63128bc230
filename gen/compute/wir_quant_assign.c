/* wir_quant_assign: the ggml type llama.cpp's quantizer gives each tensor.
 *
 * The behaviour is data (data/quants/llama-cpp.json and llama-cpp/<ftype>.json,
 * described in data/README.md); this file only evaluates it, in the order
 * llama.cpp's quantizer decides a tensor's type:
 *
 *   1. tensors the quantizer never touches (1-D, biases, norms, the MoE
 *      router) keep the converter's type, the catalog's unquantized_type;
 *   2. file types whose default type is not a quantized one (F32/F16/BF16)
 *      put every other weight in the default type, no rules;
 *   3. otherwise the file type's first matching rule sets the type (or the
 *      default type when none matches), then every matching shared override
 *      is applied in turn;
 *   4. a type whose block does not divide the tensor's rows falls back to a
 *      type that does (the catalog's fallbacks), else f16.
 *
 * Rules speak of a tensor's index i among the layers holding a tensor of its
 * kind and their number n (llama.cpp's i_attention_wv / n_attention_wv and,
 * for the feed-forward kinds, the layer number over n_layer), so both are
 * computed here per kind in one pass over the list before any rule runs.
 */
#include "wir_quant_assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kinds a model can hold are few (a dozen); a fixed table keeps this simple. */
#define WIR_QA_MAX_KINDS 64

typedef struct wir_qa_kind {
    char name[24];
    int32_t last_layer; /* last layer seen in the counting pass */
    int32_t n;          /* distinct layers holding this kind */
} wir_qa_kind;

typedef struct wir_qa_ctx {
    const wir_catalog *catalog;
    const wir_model *model;
    const wir_ftype *ftype;
    wir_qa_kind kinds[WIR_QA_MAX_KINDS];
    size_t n_kinds;
} wir_qa_ctx;

/* A plain scan rather than wir_catalog_find_ggml_type: this module only needs
 * the catalog's arrays, so it works on a catalog built by any loader. */
static const wir_ggml_type *wir_qa_find_type(const wir_catalog *c, const char *name) {
    for (size_t i = 0; i < c->n_ggml_types; i++)
        if (strcmp(c->ggml_types[i].name, name) == 0) return &c->ggml_types[i];
    return NULL;
}

/* The kind a rule names for this tensor. llama.cpp matches categories by
 * substring, so shared-expert tensors (ffn_down_shexp) follow the ffn_down
 * rules; stacked experts already come as their dense kind from wir_tensors.
 * With tied embeddings the token embeddings are the output projection and
 * follow the output rules. */
static void wir_qa_rule_kind(const wir_model *m, const wir_tensor *t, char out[24]) {
    if (m->tied_embeddings && strcmp(t->kind, "token_embd") == 0) {
        strcpy(out, "output");
        return;
    }
    size_t len = strlen(t->kind);
    if (len > 6 && strcmp(t->kind + len - 6, "_shexp") == 0) len -= 6;
    memcpy(out, t->kind, len);
    out[len] = '\0';
}

static bool wir_qa_is_unquantized(const wir_catalog *c, const wir_tensor *t) {
    if (t->n_dims < 2 || t->is_bias) return true;
    for (size_t i = 0; i < c->quantizer.n_unquantized; i++)
        if (strcmp(c->quantizer.unquantized[i], t->kind) == 0) return true;
    return false;
}

static wir_qa_kind *wir_qa_kind_of(wir_qa_ctx *ctx, const char *name) {
    for (size_t i = 0; i < ctx->n_kinds; i++)
        if (strcmp(ctx->kinds[i].name, name) == 0) return &ctx->kinds[i];
    if (ctx->n_kinds == WIR_QA_MAX_KINDS) return NULL;
    wir_qa_kind *k = &ctx->kinds[ctx->n_kinds++];
    snprintf(k->name, sizeof k->name, "%s", name);
    k->last_layer = -2;
    k->n = 0;
    return k;
}

/* A layer counts once per kind: GGUF order is layer order, so a new layer
 * shows up as a change of layer number. Tensors outside the blocks (layer -1)
 * count like one layer, which only matters for output/token_embd where no
 * rule looks at i. index[] gets -1 for unquantized tensors. Returns -1 when
 * the model has more kinds than the table holds. */
static int wir_qa_count(wir_qa_ctx *ctx, const wir_tensor_list *tensors, int32_t *index) {
    for (size_t i = 0; i < tensors->count; i++) {
        const wir_tensor *t = &tensors->items[i];
        index[i] = -1;
        if (wir_qa_is_unquantized(ctx->catalog, t)) continue;
        char kind[24];
        wir_qa_rule_kind(ctx->model, t, kind);
        wir_qa_kind *k = wir_qa_kind_of(ctx, kind);
        if (!k) return -1;
        if (k->last_layer != t->layer) {
            k->last_layer = t->layer;
            k->n++;
        }
        index[i] = k->n - 1;
    }
    return 0;
}

static bool wir_qa_use_more_bits(int32_t i, int32_t n) {
    return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

/* The IQ1/IQ2 mixes are recognised by their default type: no other file
 * type uses one of these as its default. */
static bool wir_qa_is_iq2_family(const wir_ggml_type *def) {
    static const char *const names[] = {"iq1_s", "iq1_m", "iq2_xxs", "iq2_xs", "iq2_s"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(def->name, names[i]) == 0) return true;
    return false;
}

/* llama.cpp's LLM_TYPE_70B: llama with 80 layers and grouped-query attention
 * (without GQA 80 layers is LLaMA 65B), and qwen2 with 80 layers. */
static bool wir_qa_is_70b(const wir_model *m) {
    if (m->n_layers != 80 || !m->architecture) return false;
    if (strcmp(m->architecture, "llama") == 0) return m->n_kv_heads < m->n_heads;
    return strcmp(m->architecture, "qwen2") == 0;
}

/* Every WIR_WHEN_* bit in when must hold. */
static bool wir_qa_when(const wir_qa_ctx *ctx, uint32_t when, const wir_tensor *t,
                        int32_t i, int32_t n) {
    const wir_model *m = ctx->model;
    const int32_t gqa = m->n_kv_heads > 0 ? m->n_heads / m->n_kv_heads : 1;
    const int32_t block = ctx->ftype->default_type->block_size;
    if ((when & WIR_WHEN_USE_MORE_BITS) && !wir_qa_use_more_bits(i, n)) return false;
    if ((when & WIR_WHEN_FIRST_EIGHTH) && !(i < n / 8)) return false;
    if ((when & WIR_WHEN_FIRST_SIXTEENTH) && !(i < n / 16)) return false;
    if ((when & WIR_WHEN_LAST_EIGHTH) && !(i >= 7 * n / 8)) return false;
    if ((when & WIR_WHEN_INDEX_LT_2) && !(i < 2)) return false;
    if ((when & WIR_WHEN_INDEX_LT_4) && !(i < 4)) return false;
    if ((when & WIR_WHEN_GQA_GE_4) && !(gqa >= 4)) return false;
    if ((when & WIR_WHEN_EXPERTS_8) && m->moe.n_experts != 8) return false;
    if ((when & WIR_WHEN_EXPERTS_GE_4) && m->moe.n_experts < 4) return false;
    if ((when & WIR_WHEN_ROW_NOT_MULTIPLE) && t->ne[0] % block == 0) return false;
    if ((when & WIR_WHEN_LLAMA_70B) && !wir_qa_is_70b(m)) return false;
    if ((when & WIR_WHEN_NOT_IQ2_FAMILY) && wir_qa_is_iq2_family(ctx->ftype->default_type))
        return false;
    return true;
}

static bool wir_qa_if_type(const wir_quant_rule *r, const wir_ggml_type *current) {
    if (r->n_if_type == 0) return true;
    for (size_t k = 0; k < r->n_if_type; k++)
        if (r->if_type[k] == current) return true;
    return false;
}

/* Steps 3 and 4 for one quantizable tensor; NULL when data names a type the
 * catalog lacks. */
static const wir_ggml_type *wir_qa_mix(const wir_qa_ctx *ctx, const wir_tensor *t,
                                       const char *kind, int32_t i, int32_t n) {
    const wir_ftype *ft = ctx->ftype;
    const wir_quantizer *qz = &ctx->catalog->quantizer;
    const wir_ggml_type *type = ft->default_type;

    for (size_t r = 0; r < ft->n_rules; r++) {
        const wir_quant_rule *rule = &ft->rules[r];
        if (strcmp(rule->tensor, kind) != 0 || !wir_qa_when(ctx, rule->when, t, i, n)) continue;
        type = rule->type;
        break;
    }
    if (!type) return NULL;
    for (size_t o = 0; o < qz->n_overrides; o++) {
        const wir_quant_rule *ov = &qz->overrides[o];
        if (strcmp(ov->tensor, kind) != 0 || !wir_qa_when(ctx, ov->when, t, i, n)) continue;
        for (size_t k = 0; k < ov->n_if_type; k++)
            if (!ov->if_type[k]) return NULL;
        if (!wir_qa_if_type(ov, type)) continue;
        if (!ov->type) return NULL;
        type = ov->type;
    }

    if (t->ne[0] % type->block_size == 0) return type;
    /* One fallback step, as llama.cpp: if that type does not divide the
     * rows either, or the type has none, half precision. */
    for (size_t f = 0; f < qz->n_fallbacks; f++) {
        if (qz->fallback_from[f] != type) continue;
        const wir_ggml_type *to = qz->fallback_to[f];
        if (!to) return NULL;
        if (t->ne[0] % to->block_size == 0) return to;
        break;
    }
    return wir_qa_find_type(ctx->catalog, "f16");
}

int wir_quant_assign(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                     const wir_tensor_list *tensors, const wir_ggml_type **types) {
    if (!ft->default_type || !c->quantizer.unquantized_type) return -1;
    wir_qa_ctx ctx = {.catalog = c, .model = m, .ftype = ft, .n_kinds = 0};
    int32_t *index = malloc((tensors->count ? tensors->count : 1) * sizeof *index);
    if (!index) abort();
    if (wir_qa_count(&ctx, tensors, index) != 0) {
        free(index);
        return -1;
    }

    /* F32/F16/BF16: block size 1 is what "not a quantized type" means here. */
    const bool mix = ft->default_type->block_size > 1 ||
                     !c->quantizer.quantize_only_if_default_quantized;
    int rc = 0;
    for (size_t k = 0; k < tensors->count; k++) {
        const wir_tensor *t = &tensors->items[k];
        if (index[k] < 0) {
            types[k] = c->quantizer.unquantized_type;
            continue;
        }
        if (!mix) {
            types[k] = ft->default_type;
            continue;
        }
        char kind[24];
        wir_qa_rule_kind(m, t, kind);
        const wir_qa_kind *kk = NULL;
        for (size_t j = 0; j < ctx.n_kinds; j++)
            if (strcmp(ctx.kinds[j].name, kind) == 0) kk = &ctx.kinds[j];
        types[k] = wir_qa_mix(&ctx, t, kind, index[k], kk ? kk->n : 1);
        if (!types[k]) rc = -1;
    }
    free(index);
    return rc;
}

int64_t wir_quant_tensor_bytes(const wir_tensor *t, const wir_ggml_type *type) {
    if (!type || type->block_size <= 0 || t->ne[0] % type->block_size != 0) return -1;
    const int64_t row = t->ne[0] / type->block_size * type->type_size;
    return row * t->ne[1] * t->ne[2];
}
