#include "engine_ref.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_diag.h"
#include "wir_qformat.h"

void engine_tiny_model(const engine_tiny *spec, wir_model *m) {
    memset(m, 0, sizeof *m);
    m->slug = "tiny-test";
    m->name = "Tiny test model";
    m->family = "test";
    m->architecture = (char *)spec->arch;
    m->n_layers = 2;
    m->hidden_size = 256;
    m->n_heads = 4;
    m->n_kv_heads = spec->n_kv_heads;
    m->head_dim = 64;
    m->ffn_size = 512;
    m->vocab_size = 320;
    m->context_length = 4096;
    m->tied_embeddings = spec->tied;
    m->qkv_bias = spec->qkv_bias;
    m->rope_theta = strcmp(spec->arch, "qwen2") == 0 ? 1000000.0 : 10000.0;
    m->rope_scaling.low_freq_factor = NAN;
    m->rope_scaling.high_freq_factor = NAN;
    m->rope_scaling.original_max_position_embeddings = -1;
    if (spec->rope_scaling && strcmp(spec->rope_scaling, "linear") == 0) {
        m->rope_scaling.type = "linear";
        m->rope_scaling.factor = 4.0;
    } else if (spec->rope_scaling && strcmp(spec->rope_scaling, "llama3") == 0) {
        /* Llama 3.1's factors with a short original context, so that with
         * head_dim 64 some frequencies are kept, some divided by 8 and some
         * blended. */
        m->rope_theta = 500000.0;
        m->rope_scaling.type = "llama3";
        m->rope_scaling.factor = 8.0;
        m->rope_scaling.low_freq_factor = 1.0;
        m->rope_scaling.high_freq_factor = 4.0;
        m->rope_scaling.original_max_position_embeddings = 8192;
    }
}

wir_catalog *engine_load_catalog(const char *data_dir) {
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(data_dir, &diags);
    if (!c) wir_diag_list_print(stderr, &diags);
    wir_diag_list_free(&diags);
    return c;
}

wir_catalog *engine_test_start(int argc, char **argv, int n_args, int *status) {
    if (argc < 1 + n_args) {
        fprintf(stderr, "usage: %s DATA_DIR%s\n", argv[0], n_args > 1 ? " TMP_DIR" : "");
        *status = 2;
        return NULL;
    }
    wir_catalog *c = engine_load_catalog(argv[1]);
    *status = c ? 0 : 1;
    return c;
}

void engine_tokens(int32_t *out, int32_t n, int32_t n_vocab, uint32_t seed) {
    uint32_t x = seed * 2654435761u + 12345u;
    for (int32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = (int32_t)(x % (uint32_t)n_vocab);
    }
}

/* ---- the reference ---- */

static double *ref_matrix(const wir_model_tensor *t) {
    const int64_t K = t->ne[0], R = t->ne[1];
    double *m = malloc((size_t)(K * R) * sizeof *m);
    float *row = malloc((size_t)K * sizeof *row);
    const size_t rb = wir_qformat_row_bytes(t->type, K);
    for (int64_t r = 0; r < R; r++) {
        wir_qformat_dequantize_row(t->type, (const uint8_t *)t->data + (size_t)r * rb, row, K);
        for (int64_t i = 0; i < K; i++) m[r * K + i] = row[i];
    }
    free(row);
    return m;
}

/* y[r] = sum_i W[r][i] x[i] */
static void ref_mv(const double *w, int64_t rows, int64_t k, const double *x, double *y) {
    for (int64_t r = 0; r < rows; r++) {
        double s = 0;
        for (int64_t i = 0; i < k; i++) s += w[r * k + i] * x[i];
        y[r] = s;
    }
}

static void ref_rmsnorm(const double *x, const double *w, double eps, int64_t n, double *y) {
    double ss = 0;
    for (int64_t i = 0; i < n; i++) ss += x[i] * x[i];
    double sc = 1.0 / sqrt(ss / (double)n + eps);
    for (int64_t i = 0; i < n; i++) y[i] = x[i] * sc * w[i];
}

double engine_ref_llama3_divisor(const wir_model_hparams *hp, int32_t i) {
    const double pi = 3.14159265358979323846;
    double inv = pow(hp->rope_theta, -(double)(2 * i) / hp->head_dim);
    double wavelen = 2 * pi / inv;
    double old = (double)hp->rope_orig_ctx;
    double lo_w = old / hp->rope_low_freq_factor, hi_w = old / hp->rope_high_freq_factor;
    if (wavelen < hi_w) return 1.0;
    if (wavelen > lo_w) return hp->rope_factor;
    /* scaled frequency = (1 - s) * inv / factor + s * inv */
    double s = (old / wavelen - hp->rope_low_freq_factor) /
               (hp->rope_high_freq_factor - hp->rope_low_freq_factor);
    double scaled = (1 - s) * inv / hp->rope_factor + s * inv;
    return inv / scaled;
}

/* Rotates one head for position pos: NORM pairs neighbours, NEOX pairs the
 * two halves. */
static void ref_rope(const wir_model_hparams *hp, const wir_model_desc *desc, double *h, int64_t pos) {
    const int32_t d = hp->head_dim;
    for (int32_t i = 0; i < d / 2; i++) {
        double f = pow(hp->rope_theta, -(double)(2 * i) / d);
        if (hp->rope_scaling == WIR_ROPE_SCALING_LLAMA3)
            f /= hp->rope_low_freq_factor > 0 ? engine_ref_llama3_divisor(hp, i)
                                              : desc->rope_freq_factors[i]; /* GGUF: the file's */
        if (hp->rope_scaling == WIR_ROPE_SCALING_LINEAR) f /= hp->rope_factor;
        double a = (double)pos * f, c = cos(a), s = sin(a);
        int32_t x0 = hp->rope_type == WIR_ROPE_NEOX ? i : 2 * i;
        int32_t x1 = hp->rope_type == WIR_ROPE_NEOX ? i + d / 2 : 2 * i + 1;
        double u = h[x0], v = h[x1];
        h[x0] = u * c - v * s;
        h[x1] = u * s + v * c;
    }
}

void engine_ref_forward(const wir_model_desc *desc, const int32_t *tokens, int32_t n, double *out) {
    const wir_model_hparams *hp = &desc->hp;
    const int64_t E = hp->n_embd, d = hp->head_dim, H = hp->n_heads, HK = hp->n_kv_heads;
    const int64_t Q = H * d, KV = HK * d, F = hp->n_ff, V = hp->n_vocab;
    double *x = calloc((size_t)(n * E), sizeof *x);
    double *xn = malloc((size_t)E * sizeof *xn);
    double *q = malloc((size_t)(n * Q) * sizeof *q), *k = malloc((size_t)(n * KV) * sizeof *k);
    double *v = malloc((size_t)(n * KV) * sizeof *v), *att = malloc((size_t)Q * sizeof *att);
    double *tmp = malloc((size_t)(E > F ? E : F) * sizeof *tmp);
    double *g = malloc((size_t)F * sizeof *g), *u = malloc((size_t)F * sizeof *u);
    double *sc = malloc((size_t)n * sizeof *sc);

    double *embd = ref_matrix(desc->token_embd);
    for (int32_t t = 0; t < n; t++) memcpy(x + t * E, embd + tokens[t] * E, (size_t)E * sizeof *x);

    for (int32_t il = 0; il < hp->n_layers; il++) {
        const wir_layer_tensors *L = &desc->layers[il];
        double *an = ref_matrix(L->attn_norm), *fn = ref_matrix(L->ffn_norm);
        double *wq = ref_matrix(L->wq), *wk = ref_matrix(L->wk), *wv = ref_matrix(L->wv);
        double *wo = ref_matrix(L->wo), *wg = ref_matrix(L->ffn_gate), *wu = ref_matrix(L->ffn_up);
        double *wd = ref_matrix(L->ffn_down);
        double *bq = L->bq ? ref_matrix(L->bq) : NULL, *bk = L->bk ? ref_matrix(L->bk) : NULL;
        double *bv = L->bv ? ref_matrix(L->bv) : NULL;
        for (int32_t t = 0; t < n; t++) {
            ref_rmsnorm(x + t * E, an, hp->rms_eps, E, xn);
            ref_mv(wq, Q, E, xn, q + t * Q);
            ref_mv(wk, KV, E, xn, k + t * KV);
            ref_mv(wv, KV, E, xn, v + t * KV);
            for (int64_t i = 0; bq && i < Q; i++) q[t * Q + i] += bq[i];
            for (int64_t i = 0; bk && i < KV; i++) k[t * KV + i] += bk[i], v[t * KV + i] += bv[i];
            for (int64_t h = 0; h < H; h++) ref_rope(hp, desc, q + t * Q + h * d, t);
            for (int64_t h = 0; h < HK; h++) ref_rope(hp, desc, k + t * KV + h * d, t);
        }
        for (int32_t t = 0; t < n; t++) {
            for (int64_t h = 0; h < H; h++) {
                const int64_t kh = h / (H / HK);
                double mx = -INFINITY, sum = 0;
                for (int32_t p = 0; p <= t; p++) {
                    double s = 0;
                    for (int64_t i = 0; i < d; i++) s += q[t * Q + h * d + i] * k[p * KV + kh * d + i];
                    sc[p] = s / sqrt((double)d);
                    if (sc[p] > mx) mx = sc[p];
                }
                for (int32_t p = 0; p <= t; p++) sum += (sc[p] = exp(sc[p] - mx));
                for (int64_t i = 0; i < d; i++) {
                    double a = 0;
                    for (int32_t p = 0; p <= t; p++) a += sc[p] / sum * v[p * KV + kh * d + i];
                    att[h * d + i] = a;
                }
            }
            ref_mv(wo, E, Q, att, tmp);
            for (int64_t i = 0; i < E; i++) x[t * E + i] += tmp[i];
            ref_rmsnorm(x + t * E, fn, hp->rms_eps, E, xn);
            ref_mv(wg, F, E, xn, g);
            ref_mv(wu, F, E, xn, u);
            for (int64_t i = 0; i < F; i++) g[i] = g[i] / (1 + exp(-g[i])) * u[i];
            ref_mv(wd, E, F, g, tmp);
            for (int64_t i = 0; i < E; i++) x[t * E + i] += tmp[i];
        }
        free(an); free(fn); free(wq); free(wk); free(wv); free(wo); free(wg); free(wu); free(wd);
        free(bq); free(bk); free(bv);
    }
    double *on = ref_matrix(desc->output_norm);
    double *wout = desc->output == desc->token_embd ? embd : ref_matrix(desc->output);
    for (int32_t t = 0; t < n; t++) {
        ref_rmsnorm(x + t * E, on, hp->rms_eps, E, xn);
        ref_mv(wout, V, E, xn, out + t * V);
    }
    if (wout != embd) free(wout);
    free(on); free(embd);
    free(x); free(xn); free(q); free(k); free(v); free(att); free(tmp); free(g); free(u); free(sc);
}

void engine_compare(const float *a, const double *b, int64_t n, double *max_diff, double *max_ref) {
    double md = 0, mr = 0;
    for (int64_t i = 0; i < n; i++) {
        double dd = fabs((double)a[i] - b[i]);
        if (!(dd <= md)) md = dd; /* NaN propagates */
        if (fabs(b[i]) > mr) mr = fabs(b[i]);
    }
    *max_diff = md;
    *max_ref = mr;
}
