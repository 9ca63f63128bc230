/* models/<slug>.json (data/README.md): config.json's hyperparameters, the
 * shapes' consistency, and the published parameter count against the count
 * computed from the shapes (wir_model_count_params, the one source of truth
 * for shapes). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wir_schema.h"

static const char *const wir_model_keys[] = {
    "slug", "name", "family", "architecture", "hf_repo", "release_date", "params", "n_layers",
    "hidden_size", "n_heads", "n_kv_heads", "head_dim", "ffn_size", "vocab_size",
    "context_length", "tied_embeddings", "qkv_bias", "qk_norm", "post_norms", "rope", "moe",
    "sources", "cite", NULL};

static const wir_figure wir_model_figures[] = {
    {"release_date", false}, {"params", false},        {"n_layers", false},
    {"hidden_size", false},  {"n_heads", false},       {"n_kv_heads", false},
    {"head_dim", false},     {"ffn_size", false},      {"vocab_size", false},
    {"context_length", false}, {"tied_embeddings", false}, {"qkv_bias", false},
    {"qk_norm", false},      {"post_norms", false},    {"rope.theta", false},
    {"rope.scaling", false}, {"moe", false},           {NULL, false}};

static const char *const wir_model_architectures[] = {
    "llama", "qwen2", "qwen3", "qwen3moe", "gemma", "gemma2", "phi3", NULL};
static const char *const wir_rope_types[] = {"llama3", "linear", "yarn", "longrope", NULL};

/* "owner/name" as Hugging Face spells repositories. */
static bool wir_model_is_hf_repo(const char *s) {
    const char *ok = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    size_t a = strspn(s, ok);
    if (a == 0 || s[a] != '/') return false;
    size_t b = strspn(s + a + 1, ok);
    return b > 0 && s[a + 1 + b] == '\0';
}

static void wir_model_rope_scaling(const wir_jobj *rope, wir_model *m) {
    /* The config's other scaling keys are kept in the file for readers;
     * those any runtime reads are allowed, anything else is a typo. */
    static const char *const keys[] = {
        "type", "factor", "low_freq_factor", "high_freq_factor",
        "original_max_position_embeddings", "beta_fast", "beta_slow", "attention_factor",
        "mscale", "mscale_all_dim", "short_factor", "long_factor", NULL};
    wir_rope_scaling *rs = &m->rope_scaling;
    rs->factor = rs->low_freq_factor = rs->high_freq_factor = NAN;
    rs->original_max_position_embeddings = -1;
    wir_jobj sc;
    if (!wir_jr_object(rope, "scaling", WIR_JR_NULLABLE, &sc)) return;
    wir_jr_known(&sc, keys);
    wir_jr_enum(&sc, "type", 0, wir_rope_types, &rs->type, NULL);
    wir_jr_number(&sc, "factor", 0, "a scaling factor", 0.01, 1000, &rs->factor);
    bool llama3 = rs->type && !strcmp(rs->type, "llama3");
    unsigned need = llama3 ? 0 : WIR_JR_OPTIONAL;
    wir_jr_number(&sc, "low_freq_factor", need, "a number", 0.001, 1000, &rs->low_freq_factor);
    wir_jr_number(&sc, "high_freq_factor", need, "a number", 0.001, 1000, &rs->high_freq_factor);
    wir_jr_int(&sc, "original_max_position_embeddings", need, "an integer number of tokens", 1,
               (int64_t)1 << 30, &rs->original_max_position_embeddings);
    double x;
    for (const char *const *k = (const char *const[]){"beta_fast", "beta_slow", "attention_factor",
                                                       "mscale", "mscale_all_dim", NULL};
         *k; k++)
        wir_jr_number(&sc, *k, WIR_JR_OPTIONAL, "a number", -1e6, 1e6, &x);
    for (const char *const *k = (const char *const[]){"short_factor", "long_factor", NULL}; *k;
         k++) {
        json_t *a;
        if (!wir_jr_array(&sc, *k, WIR_JR_OPTIONAL, &a)) continue;
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            if (json_is_number(v)) continue;
            char path[WIR_JPATH_MAX], elem[WIR_JPATH_MAX], got[96];
            wir_jr_path(&sc, *k, path);
            wir_jpath_index(elem, path, i);
            wir_json_describe(v, got, sizeof got);
            wir_jfile_problem(rope->f, elem, "expected a number, got %s", got);
        }
    }
}

static void wir_model_rope(const wir_jobj *root, wir_model *m) {
    static const char *const keys[] = {"theta", "scaling", NULL};
    wir_jobj rope;
    m->rope_theta = NAN;
    m->rope_scaling.factor = m->rope_scaling.low_freq_factor = NAN;
    m->rope_scaling.high_freq_factor = NAN;
    m->rope_scaling.original_max_position_embeddings = -1;
    if (!wir_jr_object(root, "rope", 0, &rope)) return;
    wir_jr_known(&rope, keys);
    wir_jr_number(&rope, "theta", 0, "a RoPE base frequency", 1, 1e10, &m->rope_theta);
    if (!json_object_get(rope.obj, "scaling")) {
        wir_jfile_problem(root->f, "rope.scaling", "missing required field");
        return;
    }
    wir_model_rope_scaling(&rope, m);
}

/* Returns false when a shape needed by the parameter count is bad. */
static bool wir_model_moe(const wir_jobj *root, wir_model *m) {
    static const char *const keys[] = {"n_experts", "n_experts_per_token", "expert_ffn_size",
                                       "n_shared_experts", "shared_expert_ffn_size", NULL};
    wir_jobj moe;
    if (!json_object_get(root->obj, "moe")) {
        wir_jfile_problem(root->f, "moe", "missing required field");
        return false;
    }
    if (!wir_jr_object(root, "moe", WIR_JR_NULLABLE, &moe))
        return json_is_null(json_object_get(root->obj, "moe"));
    wir_jr_known(&moe, keys);
    int64_t n = 0, k = 0, f = 0, s = 0, sf = 0;
    bool ok = wir_jr_int(&moe, "n_experts", 0, "an integer number of experts", 2, 1024, &n);
    ok &= wir_jr_int(&moe, "n_experts_per_token", 0, "an integer number of experts", 1,
                     n > 0 ? n : 1024, &k);
    ok &= wir_jr_int(&moe, "expert_ffn_size", 0, "an integer size", 1, 1 << 20, &f);
    bool shared_ok = wir_jr_int(&moe, "n_shared_experts", 0, "an integer number of experts", 0,
                                64, &s);
    shared_ok &= wir_jr_int(&moe, "shared_expert_ffn_size", 0, "an integer size", 0, 1 << 20, &sf);
    ok &= shared_ok;
    if (shared_ok && s > 0 && sf == 0) {
        wir_jfile_problem(root->f, "moe.shared_expert_ffn_size",
                          "expected a size above 0 with %lld shared expert%s, got 0", (long long)s,
                          s == 1 ? "" : "s");
        ok = false;
    }
    m->moe.n_experts = (int32_t)n;
    m->moe.n_experts_per_token = (int32_t)k;
    m->moe.expert_ffn_size = f;
    m->moe.n_shared_experts = (int32_t)s;
    m->moe.shared_expert_ffn_size = sf;
    return ok;
}

/* Consistency of the shapes with each other, then the parameter count. */
static void wir_model_shapes(wir_jfile *f, wir_model *m, bool shapes_ok, bool params_ok) {
    if (!shapes_ok) return;
    if (m->n_heads % m->n_kv_heads != 0) {
        wir_jfile_problem(f, "n_kv_heads", "n_heads %d is not a multiple of n_kv_heads %d",
                          (int)m->n_heads, (int)m->n_kv_heads);
        return;
    }
    int64_t q = (int64_t)m->n_heads * m->head_dim;
    if (q * 4 < m->hidden_size || q > m->hidden_size * 4) {
        wir_jfile_problem(f, "head_dim",
                          "head_dim %d x n_heads %d = %lld is not within a factor of 4 of "
                          "hidden_size %lld",
                          (int)m->head_dim, (int)m->n_heads, (long long)q,
                          (long long)m->hidden_size);
        return;
    }
    if (m->ffn_size == 0 && m->moe.n_experts == 0) {
        wir_jfile_problem(f, "ffn_size", "expected a size above 0 for a dense model, got 0");
        return;
    }
    if (!params_ok) return;
    int64_t computed = wir_model_count_params(m);
    if (computed <= 0) return;
    double diff = ((double)m->params - (double)computed) / (double)computed * 100.0;
    if (fabs(diff) > 1.0)
        wir_jfile_problem(f, "params",
                          "stated %lld parameters but the shapes give %lld (%+.2f%%, more than 1%% "
                          "away)",
                          (long long)m->params, (long long)computed, diff);
}

void wir_schema_model(wir_jfile *f, const char *stem, wir_model *m) {
    memset(m, 0, sizeof *m);
    m->params = -1;
    m->loc.file = f->path;
    m->loc.line = m->loc.column = 1;
    wir_jobj root;
    m->rope_theta = NAN;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &m->loc.line, &m->loc.column);
    wir_jr_known(&root, wir_model_keys);

    if (wir_jr_slug(&root, "slug", 0, &m->slug)) wir_schema_check_slug(&root, m->slug, stem);
    wir_jr_string(&root, "name", 0, &m->name);
    wir_jr_slug(&root, "family", 0, &m->family);
    wir_jr_enum(&root, "architecture", 0, wir_model_architectures, &m->architecture, NULL);
    if (wir_jr_string(&root, "hf_repo", 0, &m->hf_repo) && !wir_model_is_hf_repo(m->hf_repo)) {
        char got[96];
        wir_json_describe(json_object_get(root.obj, "hf_repo"), got, sizeof got);
        wir_jfile_problem(f, "hf_repo", "expected a Hugging Face repository \"owner/name\", got %s",
                          got);
    }
    wir_jr_date(&root, "release_date", 0, true, &m->release_date);
    bool params_ok = wir_jr_int(&root, "params", 0, "an integer number of parameters", 1000000,
                                (int64_t)1e13, &m->params);

    int64_t layers = 0, heads = 0, kv = 0, hd = 0;
    bool ok = wir_jr_int(&root, "n_layers", 0, "an integer number of layers", 1, 1000, &layers);
    ok &= wir_jr_int(&root, "hidden_size", 0, "an integer size", 64, 1 << 20, &m->hidden_size);
    ok &= wir_jr_int(&root, "n_heads", 0, "an integer number of heads", 1, 1024, &heads);
    ok &= wir_jr_int(&root, "n_kv_heads", 0, "an integer number of heads", 1, 1024, &kv);
    ok &= wir_jr_int(&root, "head_dim", 0, "an integer size", 8, 1024, &hd);
    ok &= wir_jr_int(&root, "ffn_size", 0, "an integer size", 0, 1 << 20, &m->ffn_size);
    ok &= wir_jr_int(&root, "vocab_size", 0, "an integer number of tokens", 256, 1 << 24,
                     &m->vocab_size);
    wir_jr_int(&root, "context_length", 0, "an integer number of tokens", 128, (int64_t)1 << 30,
               &m->context_length);
    m->n_layers = (int32_t)layers;
    m->n_heads = (int32_t)heads;
    m->n_kv_heads = (int32_t)kv;
    m->head_dim = (int32_t)hd;
    ok &= wir_jr_bool(&root, "tied_embeddings", 0, &m->tied_embeddings);
    ok &= wir_jr_bool(&root, "qkv_bias", 0, &m->qkv_bias);
    ok &= wir_jr_bool(&root, "qk_norm", 0, &m->qk_norm);
    ok &= wir_jr_bool(&root, "post_norms", 0, &m->post_norms);
    wir_model_rope(&root, m);
    ok &= wir_model_moe(&root, m);
    wir_model_shapes(f, m, ok, params_ok);
    wir_schema_provenance(&root, wir_model_figures, &m->prov);
}

void wir_model_free(wir_model *m) {
    free(m->slug);
    free(m->name);
    free(m->family);
    free(m->architecture);
    free(m->hf_repo);
    free(m->release_date);
    free(m->rope_scaling.type);
    wir_provenance_free(&m->prov);
}
