/* wir_weights: a model's weights from a GGUF file or generated from the
 * catalog; both end in one wir_model_desc checked the same way (bind). */
/* sysconf */
#define _POSIX_C_SOURCE 200809L

#include "wir_weights.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wir_gguf.h"
#include "wir_qformat.h"
#include "wir_quant_assign.h"
#include "wir_tensors.h"

enum { WIR_WEIGHTS_ALIGN = 64 }; /* generated tensors start on cache lines */

struct wir_weights {
    wir_model_desc desc;
    wir_model_tensor *tensors;
    size_t n_tensors;
    char (*names)[64];          /* generated: owned names; GGUF: NULL (gguf owns them) */
    wir_layer_tensors *layers;
    float *freq_factors;        /* head_dim/2 or NULL */
    wir_gguf *gguf;             /* GGUF source: the mapping */
    uint8_t *data;              /* generated source: every tensor's bytes */
};

/* ---- errors ---- */

__attribute__((format(printf, 3, 4)))
static void weights_fail(wir_weights_error *err, wir_weights_status status, const char *fmt, ...) {
    if (!err) return;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
}

static void weights_ok(wir_weights_error *err) {
    if (err) {
        err->status = WIR_WEIGHTS_OK;
        err->text[0] = '\0';
    }
}

/* ---- common ---- */

void wir_weights_free(wir_weights *w) {
    if (!w) return;
    free(w->tensors);
    free(w->names);
    free(w->layers);
    free(w->freq_factors);
    free(w->data);
    wir_gguf_close(w->gguf);
    free(w);
}

const wir_model_desc *wir_weights_desc(const wir_weights *w) { return &w->desc; }

static wir_weights *weights_alloc(size_t n_tensors, int32_t n_layers) {
    wir_weights *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->tensors = calloc(n_tensors ? n_tensors : 1, sizeof *w->tensors);
    w->layers = calloc(n_layers > 0 ? (size_t)n_layers : 1, sizeof *w->layers);
    if (!w->tensors || !w->layers) {
        wir_weights_free(w);
        return NULL;
    }
    w->n_tensors = n_tensors;
    return w;
}

static const wir_model_tensor *weights_find(const wir_weights *w, const char *name) {
    for (size_t i = 0; i < w->n_tensors; i++)
        if (strcmp(w->tensors[i].name, name) == 0) return &w->tensors[i];
    return NULL;
}

/* The tensor NAME, which must exist (unless OPTIONAL) with shape {ne0, ne1}
 * (ne1 = 1 for vectors). */
static bool weights_need(const wir_weights *w, const char *what, const char *name, int64_t ne0,
                         int64_t ne1, bool optional, const wir_model_tensor **out,
                         wir_weights_error *err) {
    const wir_model_tensor *t = weights_find(w, name);
    *out = t;
    if (!t) {
        if (optional) return true;
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: tensor %s: missing", what, name);
        return false;
    }
    if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT,
                     "%s: tensor %s: shape {%lld, %lld, %lld, %lld}, expected {%lld, %lld}", what,
                     name, (long long)t->ne[0], (long long)t->ne[1], (long long)t->ne[2],
                     (long long)t->ne[3], (long long)ne0, (long long)ne1);
        return false;
    }
    return true;
}

/* Every tensor in a type the probe computes, rows whole blocks. */
static bool weights_check_types(const wir_weights *w, const char *what, wir_weights_error *err) {
    for (size_t i = 0; i < w->n_tensors; i++) {
        const wir_model_tensor *t = &w->tensors[i];
        if (!wir_qformat_supported(t->type)) {
            char types[160];
            wir_qformat_list_supported(types, sizeof types);
            weights_fail(err, WIR_WEIGHTS_ERR_TYPE,
                         "%s: tensor %s: type %s: not computed by the probe (it computes %s)",
                         what, t->name, wir_gguf_ggml_type_name(t->type), types);
            return false;
        }
        if (t->ne[0] % wir_qformat_block_size(t->type) != 0) {
            weights_fail(err, WIR_WEIGHTS_ERR_FORMAT,
                         "%s: tensor %s: row length %lld is not a multiple of %s's block of %d",
                         what, t->name, (long long)t->ne[0], wir_qformat_name(t->type),
                         (int)wir_qformat_block_size(t->type));
            return false;
        }
    }
    return true;
}

/* Resolves the forward pass's tensors into desc's pointers and checks every
 * shape against the hyperparameters. */
static bool weights_bind(wir_weights *w, const char *what, wir_weights_error *err) {
    wir_model_desc *d = &w->desc;
    const wir_model_hparams *hp = &d->hp;
    if (hp->n_layers <= 0 || hp->n_embd <= 0 || hp->n_heads <= 0 || hp->n_kv_heads <= 0 ||
        hp->head_dim <= 0 || hp->n_ff <= 0 || hp->n_vocab <= 0 || hp->n_heads % hp->n_kv_heads ||
        hp->head_dim % 2 || !(hp->rms_eps > 0) || !(hp->rope_theta > 0)) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT,
                     "%s: inconsistent hyperparameters: layers %d, embd %d, heads %d, kv heads "
                     "%d, head dim %d, ffn %d, vocab %d, rms eps %g, rope theta %g",
                     what, (int)hp->n_layers, (int)hp->n_embd, (int)hp->n_heads,
                     (int)hp->n_kv_heads, (int)hp->head_dim, (int)hp->n_ff, (int)hp->n_vocab,
                     (double)hp->rms_eps, (double)hp->rope_theta);
        return false;
    }
    if (!weights_check_types(w, what, err)) return false;

    const int64_t E = hp->n_embd, Q = (int64_t)hp->n_heads * hp->head_dim;
    const int64_t KV = (int64_t)hp->n_kv_heads * hp->head_dim, F = hp->n_ff, V = hp->n_vocab;
    if (!weights_need(w, what, "token_embd.weight", E, V, false, &d->token_embd, err) ||
        !weights_need(w, what, "output_norm.weight", E, 1, false, &d->output_norm, err) ||
        !weights_need(w, what, "output.weight", E, V, hp->tied_embeddings, &d->output, err))
        return false;
    if (hp->tied_embeddings) d->output = d->token_embd;

    char name[96];
#define NEED(field, kind, suffix, ne0, ne1, opt)                                     \
    do {                                                                             \
        snprintf(name, sizeof name, "blk.%d.%s.%s", (int)i, kind, suffix);           \
        if (!weights_need(w, what, name, ne0, ne1, opt, &L->field, err)) return false; \
    } while (0)
    for (int32_t i = 0; i < hp->n_layers; i++) {
        wir_layer_tensors *L = &w->layers[i];
        NEED(attn_norm, "attn_norm", "weight", E, 1, false);
        NEED(wq, "attn_q", "weight", E, Q, false);
        NEED(wk, "attn_k", "weight", E, KV, false);
        NEED(wv, "attn_v", "weight", E, KV, false);
        if (hp->qkv_bias) {
            NEED(bq, "attn_q", "bias", Q, 1, false);
            NEED(bk, "attn_k", "bias", KV, 1, false);
            NEED(bv, "attn_v", "bias", KV, 1, false);
        }
        NEED(wo, "attn_output", "weight", Q, E, false);
        NEED(ffn_norm, "ffn_norm", "weight", E, 1, false);
        NEED(ffn_gate, "ffn_gate", "weight", E, F, false);
        NEED(ffn_up, "ffn_up", "weight", E, F, false);
        NEED(ffn_down, "ffn_down", "weight", F, E, false);
    }
#undef NEED
    d->tensors = w->tensors;
    d->n_tensors = w->n_tensors;
    d->layers = w->layers;
    d->rope_freq_factors = w->freq_factors;
    d->weight_bytes = 0;
    for (size_t i = 0; i < w->n_tensors; i++) d->weight_bytes += w->tensors[i].size;
    return true;
}

/* Llama 3.1's frequency scaling as divisors of each frequency, the way
 * llama.cpp's converter writes rope_freqs.weight (Meta's apply_scaling in
 * llama/model.py; llama.cpp convert_hf_to_gguf.py, LlamaModel, PR #8676). */
static float *weights_llama3_factors(const wir_model_hparams *hp) {
    const int32_t n = hp->head_dim / 2;
    float *f = malloc((size_t)n * sizeof *f);
    if (!f) return NULL;
    const double orig = (double)hp->rope_orig_ctx;
    const double lo = hp->rope_low_freq_factor, hi = hp->rope_high_freq_factor;
    const double low_wavelen = orig / lo, high_wavelen = orig / hi;
    for (int32_t i = 0; i < n; i++) {
        double freq = pow((double)hp->rope_theta, -2.0 * i / hp->head_dim);
        double wavelen = 2.0 * 3.14159265358979323846 / freq;
        double div;
        if (wavelen < high_wavelen)
            div = 1.0;
        else if (wavelen > low_wavelen)
            div = hp->rope_factor;
        else {
            double smooth = (orig / wavelen - lo) / (hi - lo);
            div = 1.0 / ((1.0 - smooth) / hp->rope_factor + smooth);
        }
        f[i] = (float)div;
    }
    return f;
}

/* ---- GGUF ---- */

typedef struct gguf_reader {
    const wir_gguf *g;
    const char *arch;
    const char *path;
    wir_weights_error *err;
} gguf_reader;

/* <arch>.SUFFIX as a u32 (IS_FLOAT false) or f32; absent is fine unless
 * REQUIRED (OUT then keeps its default). */
static bool gguf_key(gguf_reader *r, const char *suffix, bool required, bool is_float, void *out) {
    char key[128];
    snprintf(key, sizeof key, "%s.%s", r->arch, suffix);
    wir_gguf_status st = is_float ? wir_gguf_get_f32(r->g, key, out) : wir_gguf_get_u32(r->g, key, out);
    if (st == WIR_GGUF_OK || (st == WIR_GGUF_NOT_FOUND && !required)) return true;
    weights_fail(r->err, WIR_WEIGHTS_ERR_FORMAT, "%s: metadata %s: %s", r->path, key,
                 st == WIR_GGUF_NOT_FOUND ? "missing"
                 : is_float               ? "not a float"
                                          : "not an unsigned 32-bit integer");
    return false;
}

static bool gguf_key_u32(gguf_reader *r, const char *suffix, bool required, uint32_t *out) {
    return gguf_key(r, suffix, required, false, out);
}

static bool gguf_key_f32(gguf_reader *r, const char *suffix, bool required, float *out) {
    return gguf_key(r, suffix, required, true, out);
}

/* Hyperparameters from the metadata (llama.cpp's LLM_KV_* key names,
 * gguf-py/gguf/constants.py). */
static bool gguf_read_hparams(gguf_reader *r, wir_model_hparams *hp) {
    uint32_t n_layers = 0, n_embd = 0, n_heads = 0, n_ff = 0, n_ctx = 0;
    if (!gguf_key_u32(r, "block_count", true, &n_layers) ||
        !gguf_key_u32(r, "embedding_length", true, &n_embd) ||
        !gguf_key_u32(r, "feed_forward_length", true, &n_ff) ||
        !gguf_key_u32(r, "attention.head_count", true, &n_heads) ||
        !gguf_key_u32(r, "context_length", true, &n_ctx))
        return false;
    uint32_t n_kv = n_heads, key_len = 0, value_len = 0, n_rot = 0, vocab = 0;
    if (!gguf_key_u32(r, "attention.head_count_kv", false, &n_kv) ||
        !gguf_key_u32(r, "attention.key_length", false, &key_len) ||
        !gguf_key_u32(r, "attention.value_length", false, &value_len) ||
        !gguf_key_u32(r, "rope.dimension_count", false, &n_rot) ||
        !gguf_key_u32(r, "vocab_size", false, &vocab))
        return false;
    float eps = 0, theta = 10000.0f; /* llama.cpp's default freq_base */
    if (!gguf_key_f32(r, "attention.layer_norm_rms_epsilon", true, &eps) ||
        !gguf_key_f32(r, "rope.freq_base", false, &theta))
        return false;
    if (n_heads == 0 || (!key_len && n_embd % n_heads != 0)) {
        weights_fail(r->err, WIR_WEIGHTS_ERR_FORMAT,
                     "%s: metadata %s.attention.head_count: %u does not divide the embedding "
                     "length %u",
                     r->path, r->arch, n_heads, n_embd);
        return false;
    }
    uint32_t head_dim = key_len ? key_len : n_embd / n_heads;
    if ((value_len && value_len != head_dim) || (n_rot && n_rot != head_dim)) {
        weights_fail(r->err, WIR_WEIGHTS_ERR_ARCH,
                     "%s: key length %u, value length %u, rope dimensions %u: the engine needs "
                     "them equal (full rotary heads)",
                     r->path, head_dim, value_len, n_rot);
        return false;
    }
    const wir_gguf_tensor *embd = wir_gguf_find_tensor(r->g, "token_embd.weight");
    if (!vocab && embd) vocab = (uint32_t)embd->ne[1];
    if (n_layers > INT32_MAX || n_embd > INT32_MAX || n_ff > INT32_MAX || vocab > INT32_MAX) {
        weights_fail(r->err, WIR_WEIGHTS_ERR_FORMAT, "%s: hyperparameters out of range", r->path);
        return false;
    }
    hp->n_layers = (int32_t)n_layers;
    hp->n_embd = (int32_t)n_embd;
    hp->n_heads = (int32_t)n_heads;
    hp->n_kv_heads = (int32_t)n_kv;
    hp->head_dim = (int32_t)head_dim;
    hp->n_ff = (int32_t)n_ff;
    hp->n_vocab = (int32_t)vocab;
    hp->n_ctx_train = n_ctx;
    hp->rms_eps = eps;
    hp->rope_theta = theta;
    hp->rope_type = wir_arch_rope_type(hp->arch);

    /* Scaling: rope.scaling.type "linear" with rope.scaling.factor (or the
     * older rope.scale_linear); Llama 3.1's scaling is the rope_freqs tensor. */
    hp->rope_scaling = WIR_ROPE_SCALING_NONE;
    hp->rope_factor = 1.0f;
    char key[128];
    const char *stype = NULL;
    snprintf(key, sizeof key, "%s.rope.scaling.type", r->arch);
    wir_gguf_get_cstr(r->g, key, &stype);
    float factor = 0, linear = 0;
    if (!gguf_key_f32(r, "rope.scaling.factor", false, &factor) ||
        !gguf_key_f32(r, "rope.scale_linear", false, &linear))
        return false;
    if (stype && strcmp(stype, "linear") == 0) {
        /* llama.cpp writes factor 0 for "no scaling" (1 / freq_scale of 1) */
        if (factor > 0 && factor != 1.0f) {
            hp->rope_scaling = WIR_ROPE_SCALING_LINEAR;
            hp->rope_factor = factor;
        }
    } else if (stype && strcmp(stype, "none") != 0) {
        weights_fail(r->err, WIR_WEIGHTS_ERR_ARCH,
                     "%s: metadata %s: rope scaling '%s' is not computed by the engine (none, "
                     "linear, llama3)",
                     r->path, key, stype);
        return false;
    } else if (!stype && linear > 0 && linear != 1.0f) {
        hp->rope_scaling = WIR_ROPE_SCALING_LINEAR;
        hp->rope_factor = linear;
    }
    if (wir_gguf_find_tensor(r->g, "rope_freqs.weight")) {
        if (hp->rope_scaling != WIR_ROPE_SCALING_NONE) {
            weights_fail(r->err, WIR_WEIGHTS_ERR_ARCH,
                         "%s: both rope_freqs.weight and linear rope scaling", r->path);
            return false;
        }
        hp->rope_scaling = WIR_ROPE_SCALING_LLAMA3;
        hp->rope_factor = factor > 0 ? factor : 1.0f;
    }
    return true;
}

static bool gguf_read_freq_factors(wir_weights *w, const char *path, wir_weights_error *err) {
    const wir_gguf_tensor *t = wir_gguf_find_tensor(w->gguf, "rope_freqs.weight");
    if (!t) return true;
    const int32_t n = w->desc.hp.head_dim / 2;
    if (t->type != WIR_QTYPE_F32 || t->n_dims != 1 || t->ne[0] != n) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT,
                     "%s: tensor rope_freqs.weight: expected %d f32 values (head_dim / 2)", path,
                     (int)n);
        return false;
    }
    w->freq_factors = malloc((size_t)n * sizeof(float));
    if (!w->freq_factors) {
        weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: out of memory", path);
        return false;
    }
    memcpy(w->freq_factors, t->data, (size_t)n * sizeof(float));
    for (int32_t i = 0; i < n; i++) {
        if (!(w->freq_factors[i] > 0) || !isfinite(w->freq_factors[i])) {
            weights_fail(err, WIR_WEIGHTS_ERR_FORMAT,
                         "%s: tensor rope_freqs.weight: element %d is %g, not a positive number",
                         path, (int)i, (double)w->freq_factors[i]);
            return false;
        }
    }
    return true;
}

wir_weights *wir_weights_open_gguf(const char *path, const wir_weights_gguf_options *opt,
                                   wir_weights_error *err) {
    weights_ok(err);
    wir_gguf_error gerr;
    wir_gguf *g = wir_gguf_open(path, &gerr);
    if (!g) {
        weights_fail(err, gerr.offset < 0 ? WIR_WEIGHTS_ERR_IO : WIR_WEIGHTS_ERR_FORMAT, "%s",
                     gerr.text);
        return NULL;
    }
    const char *arch_name = NULL;
    if (wir_gguf_get_cstr(g, "general.architecture", &arch_name) != WIR_GGUF_OK) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: metadata general.architecture: missing",
                     path);
        wir_gguf_close(g);
        return NULL;
    }
    wir_model_hparams hp;
    memset(&hp, 0, sizeof hp);
    if (!wir_arch_from_name(arch_name, &hp.arch)) {
        weights_fail(err, WIR_WEIGHTS_ERR_ARCH,
                     "%s: architecture '%s' is not run by the probe engine (it runs llama and "
                     "qwen2)",
                     path, arch_name);
        wir_gguf_close(g);
        return NULL;
    }
    gguf_reader r = {g, arch_name, path, err};
    if (!gguf_read_hparams(&r, &hp)) {
        wir_gguf_close(g);
        return NULL;
    }
    hp.qkv_bias = wir_gguf_find_tensor(g, "blk.0.attn_q.bias") != NULL;
    hp.tied_embeddings = wir_gguf_find_tensor(g, "output.weight") == NULL;

    int64_t n = wir_gguf_tensor_count(g);
    wir_weights *w = weights_alloc((size_t)n, hp.n_layers);
    if (!w) {
        weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: out of memory", path);
        wir_gguf_close(g);
        return NULL;
    }
    w->gguf = g;
    for (int64_t i = 0; i < n; i++) {
        const wir_gguf_tensor *gt = wir_gguf_tensor_at(g, i);
        wir_model_tensor *t = &w->tensors[i];
        t->name = gt->name;
        t->type = gt->type;
        t->n_dims = (int32_t)gt->n_dims;
        memcpy(t->ne, gt->ne, sizeof t->ne);
        t->size = gt->size;
        t->data = gt->data;
    }
    wir_model_desc *d = &w->desc;
    d->hp = hp;
    d->has_data = true;
    d->id.source = WIR_MODEL_SOURCE_GGUF;
    const char *gname = NULL;
    wir_gguf_get_cstr(g, "general.name", &gname);
    snprintf(d->id.name, sizeof d->id.name, "%s", gname ? gname : "");
    snprintf(d->id.path, sizeof d->id.path, "%s", path);
    d->id.file_size = wir_gguf_file_size(g);
    uint32_t ft = 0;
    d->id.file_type = wir_gguf_get_u32(g, "general.file_type", &ft) == WIR_GGUF_OK ? (int32_t)ft : -1;
    if (opt && opt->compute_sha256) wir_gguf_sha256_hex(g, d->id.sha256);

    if (!gguf_read_freq_factors(w, path, err) || !weights_bind(w, path, err)) {
        wir_weights_free(w);
        return NULL;
    }
    return w;
}

/* ---- generated ---- */

static uint64_t gen_mix(uint64_t x) { /* splitmix64's finaliser */
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t gen_name_hash(const char *s) { /* FNV-1a */
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* How a tensor's values are drawn: offset + scale * u, u uniform in [-1, 1). */
typedef struct gen_law {
    float offset, scale;
} gen_law;

/* Norm weights near 1, biases of order 0.5, matrices with variance 1/n_in so
 * every projection keeps its input's scale (std = scale / sqrt(3)). */
static gen_law gen_law_of(const wir_model_tensor *t) {
    size_t len = strlen(t->name);
    bool bias = len >= 5 && strcmp(t->name + len - 5, ".bias") == 0;
    if (t->n_dims == 1 && !bias) return (gen_law){1.0f, 0.25f};
    if (bias) return (gen_law){0.0f, 0.5f};
    return (gen_law){0.0f, sqrtf(3.0f / (float)t->ne[0])};
}

typedef struct gen_job {
    wir_weights *w;
    uint64_t seed;
    uint64_t *row_start;  /* global index of each tensor's first row; n_tensors + 1 */
    uint64_t first, last; /* this thread's global rows [first, last) */
    int64_t max_row;
    bool failed;
} gen_job;

static void gen_rows(gen_job *job) {
    wir_weights *w = job->w;
    float *buf = malloc((size_t)job->max_row * sizeof *buf);
    if (!buf) {
        job->failed = true;
        return;
    }
    for (size_t ti = 0; ti < w->n_tensors; ti++) {
        uint64_t a = job->row_start[ti], b = job->row_start[ti + 1];
        uint64_t lo = a > job->first ? a : job->first, hi = b < job->last ? b : job->last;
        if (lo >= hi) continue;
        wir_model_tensor *t = &w->tensors[ti];
        const gen_law law = gen_law_of(t);
        const uint64_t key = gen_mix(job->seed ^ gen_name_hash(t->name));
        const size_t row_bytes = wir_qformat_row_bytes(t->type, t->ne[0]);
        for (uint64_t row = lo - a; row < hi - a; row++) {
            for (int64_t i = 0; i < t->ne[0]; i++) {
                uint64_t bits = gen_mix(key + row * (uint64_t)t->ne[0] + (uint64_t)i);
                float u = (float)(int64_t)(bits >> 40) * (1.0f / 8388608.0f) - 1.0f;
                buf[i] = law.offset + law.scale * u;
            }
            wir_qformat_quantize_row(t->type, buf, (uint8_t *)t->data + row * row_bytes, t->ne[0]);
        }
    }
    free(buf);
}

static void *gen_thread(void *arg) {
    gen_rows(arg);
    return NULL;
}

static bool gen_fill(wir_weights *w, uint64_t seed, int32_t n_threads) {
    if (n_threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        n_threads = n > 0 ? (int32_t)n : 1;
    }
    uint64_t *row_start = malloc((w->n_tensors + 1) * sizeof *row_start);
    gen_job *jobs = calloc((size_t)n_threads, sizeof *jobs);
    pthread_t *threads = calloc((size_t)n_threads, sizeof *threads);
    bool ok = row_start && jobs && threads;
    if (ok) {
        int64_t max_row = 1;
        row_start[0] = 0;
        for (size_t i = 0; i < w->n_tensors; i++) {
            const wir_model_tensor *t = &w->tensors[i];
            row_start[i + 1] = row_start[i] + (uint64_t)(t->ne[1] * t->ne[2] * t->ne[3]);
            if (t->ne[0] > max_row) max_row = t->ne[0];
        }
        const uint64_t total = row_start[w->n_tensors];
        bool *started = calloc((size_t)n_threads, sizeof *started);
        for (int32_t i = 0; i < n_threads; i++) {
            jobs[i] = (gen_job){w, seed, row_start, total * (uint64_t)i / (uint64_t)n_threads,
                                total * (uint64_t)(i + 1) / (uint64_t)n_threads, max_row, false};
            if (i > 0 && started)
                started[i] = pthread_create(&threads[i], NULL, gen_thread, &jobs[i]) == 0;
            if (i > 0 && (!started || !started[i])) gen_rows(&jobs[i]); /* no thread: do it here */
        }
        gen_rows(&jobs[0]);
        for (int32_t i = 1; i < n_threads; i++)
            if (started && started[i]) pthread_join(threads[i], NULL);
        for (int32_t i = 0; i < n_threads; i++) ok = ok && !jobs[i].failed;
        free(started);
    }
    free(row_start);
    free(jobs);
    free(threads);
    return ok;
}

/* The catalog model's hyperparameters, or an error for what the engine
 * does not compute. */
static bool gen_hparams(const wir_model *m, wir_model_hparams *hp, const char *what,
                        wir_weights_error *err) {
    memset(hp, 0, sizeof *hp);
    bool fused = m->architecture && strcmp(m->architecture, "phi3") == 0;
    if (!wir_arch_from_name(m->architecture, &hp->arch) || m->qk_norm || m->post_norms ||
        m->moe.n_experts > 0 || m->ffn_size <= 0 || fused) {
        weights_fail(err, WIR_WEIGHTS_ERR_ARCH,
                     "%s: architecture %s%s is not run by the probe engine (it runs dense llama "
                     "and qwen2)",
                     what, m->architecture ? m->architecture : "(none)",
                     m->moe.n_experts > 0 ? " (mixture of experts)" : "");
        return false;
    }
    if (m->n_layers > INT32_MAX || m->hidden_size > INT32_MAX || m->ffn_size > INT32_MAX ||
        m->vocab_size > INT32_MAX) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: shapes out of range", what);
        return false;
    }
    hp->n_layers = m->n_layers;
    hp->n_embd = (int32_t)m->hidden_size;
    hp->n_heads = m->n_heads;
    hp->n_kv_heads = m->n_kv_heads;
    hp->head_dim = m->head_dim;
    hp->n_ff = (int32_t)m->ffn_size;
    hp->n_vocab = (int32_t)m->vocab_size;
    hp->n_ctx_train = m->context_length;
    /* Not in the catalog: the published config.json values (Qwen2.5:
     * rms_norm_eps 1e-06; Llama 2/3: 1e-05). */
    hp->rms_eps = hp->arch == WIR_ARCH_QWEN2 ? 1e-6f : 1e-5f;
    hp->rope_theta = (float)m->rope_theta;
    hp->rope_type = wir_arch_rope_type(hp->arch);
    hp->qkv_bias = m->qkv_bias;
    hp->tied_embeddings = m->tied_embeddings;
    hp->rope_factor = 1.0f;
    const wir_rope_scaling *rs = &m->rope_scaling;
    if (!rs->type) {
        hp->rope_scaling = WIR_ROPE_SCALING_NONE;
    } else if (strcmp(rs->type, "linear") == 0) {
        hp->rope_scaling = WIR_ROPE_SCALING_LINEAR;
        hp->rope_factor = (float)rs->factor;
    } else if (strcmp(rs->type, "llama3") == 0) {
        hp->rope_scaling = WIR_ROPE_SCALING_LLAMA3;
        hp->rope_factor = (float)rs->factor;
        hp->rope_low_freq_factor = (float)rs->low_freq_factor;
        hp->rope_high_freq_factor = (float)rs->high_freq_factor;
        hp->rope_orig_ctx = rs->original_max_position_embeddings;
        if (!(hp->rope_factor > 0) || !(hp->rope_low_freq_factor > 0) ||
            !(hp->rope_high_freq_factor > hp->rope_low_freq_factor) || hp->rope_orig_ctx <= 0) {
            weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: incomplete llama3 rope scaling", what);
            return false;
        }
    } else {
        weights_fail(err, WIR_WEIGHTS_ERR_ARCH,
                     "%s: rope scaling '%s' is not computed by the engine (none, linear, llama3)",
                     what, rs->type);
        return false;
    }
    return true;
}

wir_weights *wir_weights_generate_model(const wir_catalog *catalog, const wir_model *m,
                                        const wir_ftype *ft, uint64_t seed, int32_t n_threads,
                                        bool allocate, wir_weights_error *err) {
    weights_ok(err);
    char what[160];
    snprintf(what, sizeof what, "%s %s", m->slug ? m->slug : "(model)", ft->name);
    wir_model_hparams hp;
    if (!gen_hparams(m, &hp, what, err)) return NULL;

    wir_tensor_list list;
    if (wir_tensors_of_model(m, &list) != 0) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: inconsistent shapes", what);
        return NULL;
    }
    const wir_ggml_type **types = calloc(list.count ? list.count : 1, sizeof *types);
    wir_weights *w = types ? weights_alloc(list.count, hp.n_layers) : NULL;
    if (w) w->names = calloc(list.count ? list.count : 1, sizeof *w->names);
    if (!w || !w->names) {
        weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: out of memory", what);
        goto fail;
    }
    if (wir_quant_assign(catalog, m, ft, &list, types) != 0) {
        weights_fail(err, WIR_WEIGHTS_ERR_FORMAT, "%s: a quantization rule names an unknown type",
                     what);
        goto fail;
    }
    for (size_t i = 0; i < list.count; i++) {
        const wir_tensor *src = &list.items[i];
        wir_model_tensor *t = &w->tensors[i];
        memcpy(w->names[i], src->name, sizeof w->names[i]);
        t->name = w->names[i];
        t->type = types[i]->id;
        t->n_dims = src->n_dims;
        t->ne[0] = src->ne[0];
        t->ne[1] = src->ne[1];
        t->ne[2] = src->ne[2];
        t->ne[3] = 1;
        int64_t bytes = wir_quant_tensor_bytes(src, types[i]);
        t->size = bytes > 0 ? (uint64_t)bytes : 0;
    }
    wir_model_desc *d = &w->desc;
    d->hp = hp;
    d->id.source = WIR_MODEL_SOURCE_GENERATED;
    snprintf(d->id.name, sizeof d->id.name, "%s", m->name ? m->name : "");
    snprintf(d->id.catalog_model, sizeof d->id.catalog_model, "%s", m->slug ? m->slug : "");
    snprintf(d->id.ftype, sizeof d->id.ftype, "%s", ft->slug ? ft->slug : "");
    snprintf(d->id.ftype_name, sizeof d->id.ftype_name, "%s", ft->name ? ft->name : "");
    d->id.file_type = ft->ftype;
    d->id.seed = seed;
    if (hp.rope_scaling == WIR_ROPE_SCALING_LLAMA3 && !(w->freq_factors = weights_llama3_factors(&hp))) {
        weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: out of memory", what);
        goto fail;
    }
    if (!weights_bind(w, what, err)) goto fail;

    if (allocate) {
        size_t total = 0;
        for (size_t i = 0; i < w->n_tensors; i++)
            total += (w->tensors[i].size + WIR_WEIGHTS_ALIGN - 1) / WIR_WEIGHTS_ALIGN * WIR_WEIGHTS_ALIGN;
        w->data = aligned_alloc(WIR_WEIGHTS_ALIGN, total ? total : WIR_WEIGHTS_ALIGN);
        if (!w->data) {
            weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: cannot allocate %zu bytes of weights",
                         what, total);
            goto fail;
        }
        size_t off = 0;
        for (size_t i = 0; i < w->n_tensors; i++) {
            w->tensors[i].data = w->data + off;
            off += (w->tensors[i].size + WIR_WEIGHTS_ALIGN - 1) / WIR_WEIGHTS_ALIGN * WIR_WEIGHTS_ALIGN;
        }
        if (!gen_fill(w, seed, n_threads)) {
            weights_fail(err, WIR_WEIGHTS_ERR_NO_MEMORY, "%s: out of memory", what);
            goto fail;
        }
        d->has_data = true;
    }
    free(types);
    wir_tensor_list_free(&list);
    return w;
fail:
    free(types);
    wir_tensor_list_free(&list);
    wir_weights_free(w);
    return NULL;
}

static bool gen_lookup(const wir_catalog *catalog, const char *model_slug, const char *ftype,
                       const wir_model **m, const wir_ftype **ft, wir_weights_error *err) {
    *m = wir_catalog_find_model(catalog, model_slug);
    *ft = wir_catalog_find_ftype(catalog, ftype);
    const char *kind = !*m ? "model" : !*ft ? "ftype" : NULL;
    if (!kind) return true;
    const char *unknown = !*m ? model_slug : ftype;
    const char *near[4];
    size_t n = wir_catalog_suggest(catalog, kind, unknown, near, 4);
    char hint[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof hint; i++)
        len += (size_t)snprintf(hint + len, sizeof hint - len, "%s%s", i ? ", " : "; did you mean: ",
                                near[i]);
    weights_fail(err, WIR_WEIGHTS_ERR_UNKNOWN, "unknown %s '%s'%s", !*m ? "model" : "file type",
                 unknown, hint);
    return false;
}

wir_weights *wir_weights_plan_generated(const wir_catalog *catalog, const char *model_slug,
                                        const char *ftype, wir_weights_error *err) {
    const wir_model *m;
    const wir_ftype *ft;
    if (!gen_lookup(catalog, model_slug, ftype, &m, &ft, err)) return NULL;
    return wir_weights_generate_model(catalog, m, ft, 0, 1, false, err);
}

wir_weights *wir_weights_generate(const wir_catalog *catalog, const char *model_slug,
                                  const char *ftype, uint64_t seed, int32_t n_threads,
                                  wir_weights_error *err) {
    const wir_model *m;
    const wir_ftype *ft;
    if (!gen_lookup(catalog, model_slug, ftype, &m, &ft, err)) return NULL;
    return wir_weights_generate_model(catalog, m, ft, seed, n_threads, true, err);
}
