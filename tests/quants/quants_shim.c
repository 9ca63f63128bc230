/* quants_shim: see quants_shim.h. Test code only; the real loader lives in
 * gen/load. Strict on purpose: every field the schema lists is checked for
 * its JSON type, and unknown condition or type names are errors. */
#include "quants_shim.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_quant_assign.h"
#include "wir_tensors.h"

static char *qs_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) abort();
    memcpy(d, s, n);
    return d;
}

static json_t *qs_read(const char *path) {
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
    return root;
}

static const wir_ggml_type *qs_type(const wir_catalog *c, const char *path, json_t *v) {
    const char *name = json_string_value(v);
    if (name)
        for (size_t i = 0; i < c->n_ggml_types; i++)
            if (strcmp(c->ggml_types[i].name, name) == 0) return &c->ggml_types[i];
    fprintf(stderr, "%s: unknown ggml type '%s'\n", path, name ? name : "(not a string)");
    return NULL;
}

static const struct {
    const char *name;
    uint32_t bit;
} qs_conditions[] = {
    {"use_more_bits", WIR_WHEN_USE_MORE_BITS},   {"first_eighth", WIR_WHEN_FIRST_EIGHTH},
    {"first_sixteenth", WIR_WHEN_FIRST_SIXTEENTH}, {"index_lt_2", WIR_WHEN_INDEX_LT_2},
    {"index_lt_4", WIR_WHEN_INDEX_LT_4},         {"gqa_ge_4", WIR_WHEN_GQA_GE_4},
    {"experts_8", WIR_WHEN_EXPERTS_8},           {"row_not_multiple", WIR_WHEN_ROW_NOT_MULTIPLE},
    {"llama_70b", WIR_WHEN_LLAMA_70B},           {"experts_ge_4", WIR_WHEN_EXPERTS_GE_4},
    {"last_eighth", WIR_WHEN_LAST_EIGHTH},       {"not_iq2_family", WIR_WHEN_NOT_IQ2_FAMILY},
};

static int qs_rule(const wir_catalog *c, const char *path, json_t *o, wir_quant_rule *r) {
    memset(r, 0, sizeof *r);
    json_t *tensor = json_object_get(o, "tensor");
    if (!json_is_string(tensor)) {
        fprintf(stderr, "%s: rule without a tensor kind\n", path);
        return -1;
    }
    r->tensor = qs_strdup(json_string_value(tensor));
    if (!(r->type = qs_type(c, path, json_object_get(o, "type")))) return -1;
    json_t *when = json_object_get(o, "when"), *cond;
    size_t i;
    json_array_foreach(when, i, cond) {
        const char *name = json_string_value(cond);
        size_t k = 0, nk = sizeof qs_conditions / sizeof qs_conditions[0];
        while (k < nk && !(name && strcmp(qs_conditions[k].name, name) == 0)) k++;
        if (k == nk) {
            fprintf(stderr, "%s: unknown condition '%s'\n", path, name ? name : "?");
            return -1;
        }
        r->when |= qs_conditions[k].bit;
    }
    json_t *if_type = json_object_get(o, "if_type"), *t;
    r->n_if_type = json_array_size(if_type);
    if (r->n_if_type) {
        r->if_type = calloc(r->n_if_type, sizeof *r->if_type);
        if (!r->if_type) abort();
        json_array_foreach(if_type, i, t) {
            if (!(r->if_type[i] = qs_type(c, path, t))) return -1;
        }
    }
    r->loc.file = NULL;
    return 0;
}

static int qs_load_types(wir_catalog *c, const char *path) {
    json_t *root = qs_read(path);
    if (!root) return -1;
    json_t *types = json_object_get(root, "types"), *t;
    size_t i;
    c->n_ggml_types = json_array_size(types);
    c->ggml_types = calloc(c->n_ggml_types ? c->n_ggml_types : 1, sizeof *c->ggml_types);
    if (!c->ggml_types) abort();
    json_array_foreach(types, i, t) {
        wir_ggml_type *g = &c->ggml_types[i];
        g->name = qs_strdup(json_string_value(json_object_get(t, "name")));
        g->id = (int32_t)json_integer_value(json_object_get(t, "id"));
        g->block_size = (int32_t)json_integer_value(json_object_get(t, "block_size"));
        g->type_size = (int32_t)json_integer_value(json_object_get(t, "type_size"));
    }
    json_decref(root);
    return c->n_ggml_types ? 0 : -1;
}

static int qs_load_quantizer(wir_catalog *c, const char *path) {
    json_t *root = qs_read(path);
    if (!root) return -1;
    wir_quantizer *q = &c->quantizer;
    int rc = 0;
    json_t *un = json_object_get(root, "unquantized"), *v;
    size_t i;
    q->n_unquantized = json_array_size(un);
    q->unquantized = calloc(q->n_unquantized + 1, sizeof *q->unquantized);
    if (!q->unquantized) abort();
    json_array_foreach(un, i, v) q->unquantized[i] = qs_strdup(json_string_value(v));
    if (!(q->unquantized_type = qs_type(c, path, json_object_get(root, "unquantized_type"))))
        rc = -1;
    json_t *ov = json_object_get(root, "overrides");
    q->n_overrides = json_array_size(ov);
    q->overrides = calloc(q->n_overrides + 1, sizeof *q->overrides);
    if (!q->overrides) abort();
    json_array_foreach(ov, i, v) {
        if (qs_rule(c, path, v, &q->overrides[i]) != 0) rc = -1;
    }
    json_t *fb = json_object_get(root, "fallbacks");
    q->n_fallbacks = json_object_size(fb);
    q->fallback_from = calloc(q->n_fallbacks + 1, sizeof *q->fallback_from);
    q->fallback_to = calloc(q->n_fallbacks + 1, sizeof *q->fallback_to);
    if (!q->fallback_from || !q->fallback_to) abort();
    const char *key;
    i = 0;
    json_object_foreach(fb, key, v) {
        json_t *k = json_string(key);
        q->fallback_from[i] = qs_type(c, path, k);
        json_decref(k);
        q->fallback_to[i] = qs_type(c, path, v);
        if (!q->fallback_from[i] || !q->fallback_to[i]) rc = -1;
        i++;
    }
    q->quantize_only_if_default_quantized =
        json_is_true(json_object_get(root, "quantize_only_if_default_quantized"));
    json_decref(root);
    return rc;
}

static int qs_load_ftype(wir_catalog *c, const char *path, wir_ftype *ft) {
    json_t *root = qs_read(path);
    if (!root) return -1;
    int rc = 0;
    ft->slug = qs_strdup(json_string_value(json_object_get(root, "slug")));
    ft->name = qs_strdup(json_string_value(json_object_get(root, "name")));
    ft->ftype = (int32_t)json_integer_value(json_object_get(root, "ftype"));
    ft->description = qs_strdup(json_string_value(json_object_get(root, "description")));
    if (!(ft->default_type = qs_type(c, path, json_object_get(root, "default_type")))) rc = -1;
    json_t *rules = json_object_get(root, "rules"), *v;
    size_t i;
    ft->n_rules = json_array_size(rules);
    ft->rules = calloc(ft->n_rules + 1, sizeof *ft->rules);
    if (!ft->rules) abort();
    json_array_foreach(rules, i, v) {
        if (qs_rule(c, path, v, &ft->rules[i]) != 0) rc = -1;
    }
    json_decref(root);
    return rc;
}

wir_catalog *quants_shim_load(const char *data_dir) {
    wir_catalog *c = calloc(1, sizeof *c);
    if (!c) abort();
    char path[4096];
    int rc = 0;
    snprintf(path, sizeof path, "%s/quants/ggml-types.json", data_dir);
    if (qs_load_types(c, path) != 0) rc = -1;
    snprintf(path, sizeof path, "%s/quants/llama-cpp.json", data_dir);
    if (rc == 0 && qs_load_quantizer(c, path) != 0) rc = -1;

    snprintf(path, sizeof path, "%s/quants/llama-cpp", data_dir);
    DIR *dir = rc == 0 ? opendir(path) : NULL;
    if (!dir) rc = -1;
    size_t cap = 0;
    for (struct dirent *e; dir && (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        if (c->n_ftypes == cap) {
            cap = cap ? cap * 2 : 32;
            wir_ftype *f = realloc(c->ftypes, cap * sizeof *f);
            if (!f) abort();
            c->ftypes = f;
        }
        wir_ftype *ft = &c->ftypes[c->n_ftypes++];
        memset(ft, 0, sizeof *ft);
        char file[4400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        if (qs_load_ftype(c, file, ft) != 0) rc = -1;
    }
    if (dir) closedir(dir);
    if (rc != 0) {
        quants_shim_free(c);
        return NULL;
    }
    return c;
}

static void qs_free_rule(wir_quant_rule *r) {
    free(r->tensor);
    free(r->if_type);
}

void quants_shim_free(wir_catalog *c) {
    if (!c) return;
    for (size_t i = 0; i < c->n_ftypes; i++) {
        wir_ftype *ft = &c->ftypes[i];
        for (size_t r = 0; r < ft->n_rules; r++) qs_free_rule(&ft->rules[r]);
        free(ft->rules);
        free(ft->slug);
        free(ft->name);
        free(ft->description);
    }
    free(c->ftypes);
    wir_quantizer *q = &c->quantizer;
    for (size_t i = 0; i < q->n_unquantized; i++) free(q->unquantized[i]);
    free(q->unquantized);
    for (size_t i = 0; i < q->n_overrides; i++) qs_free_rule(&q->overrides[i]);
    free(q->overrides);
    free(q->fallback_from);
    free(q->fallback_to);
    for (size_t i = 0; i < c->n_ggml_types; i++) free(c->ggml_types[i].name);
    free(c->ggml_types);
    free(c);
}

const wir_ftype *quants_shim_ftype(const wir_catalog *c, const char *name) {
    for (size_t i = 0; i < c->n_ftypes; i++)
        if (c->ftypes[i].name && strcmp(c->ftypes[i].name, name) == 0) return &c->ftypes[i];
    return NULL;
}

wir_model quants_shim_model(const quants_shape *s) {
    wir_model m;
    memset(&m, 0, sizeof m);
    m.architecture = (char *)s->architecture;
    m.n_layers = s->n_layers;
    m.hidden_size = s->hidden;
    m.n_heads = s->n_heads;
    m.n_kv_heads = s->n_kv_heads;
    m.head_dim = s->head_dim;
    m.ffn_size = s->ffn;
    m.vocab_size = s->vocab;
    m.tied_embeddings = s->tied;
    m.qkv_bias = s->qkv_bias;
    m.qk_norm = s->qk_norm;
    m.post_norms = s->post_norms;
    m.moe.n_experts = s->n_experts;
    m.moe.n_experts_per_token = s->n_experts_per_token;
    m.moe.expert_ffn_size = s->expert_ffn;
    return m;
}

int64_t quants_shim_file_bytes(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                               int32_t counts[64]) {
    wir_tensor_list list;
    if (wir_tensors_of_model(m, &list) != 0) return -1;
    const wir_ggml_type **types = calloc(list.count + 1, sizeof *types);
    if (!types) abort();
    int64_t total = -1;
    if (counts) memset(counts, 0, 64 * sizeof *counts);
    if (wir_quant_assign(c, m, ft, &list, types) == 0) {
        total = 0;
        for (size_t i = 0; i < list.count; i++) {
            int64_t b = wir_quant_tensor_bytes(&list.items[i], types[i]);
            if (b < 0) {
                total = -1;
                break;
            }
            total += b;
            if (counts && types[i]->id >= 0 && types[i]->id < 64) counts[types[i]->id]++;
        }
    }
    free(types);
    wir_tensor_list_free(&list);
    return total;
}
