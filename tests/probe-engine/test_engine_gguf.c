/* probe.engine.gguf: generated weights written as a GGUF file (test writer,
 * llama.cpp's key names) load through wir_weights_open_gguf with the same
 * hyperparameters, tensors and identity, and give bit-identical logits -
 * the same bytes through the same kernels. Covers vocab_size from the key
 * and from token_embd's shape, tied embeddings (no output.weight), biases,
 * linear scaling keys and Llama 3.1's rope_freqs.weight. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_check.h"
#include "engine_gguf.h"
#include "wir_backend.h"
#include "wir_qformat.h"
#include "wir_weights.h"

enum { N_TOK = 8 };

static void logits_of(const wir_model_desc *d, float *out) {
    int32_t tok[N_TOK + 2];
    engine_tokens(tok, N_TOK + 2, d->hp.n_vocab, 11);
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 32;
    p.n_threads = 2;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), d, &p, NULL);
    CHECK(s != NULL);
    if (!s) return;
    const size_t V = (size_t)d->hp.n_vocab;
    CHECK(wir_backend_session_eval(s, tok, N_TOK, 0, true, out, NULL) == WIR_BACKEND_OK);
    for (int i = 0; i < 2; i++)
        CHECK(wir_backend_session_eval(s, tok + N_TOK + i, 1, N_TOK + i, false,
                                       out + (N_TOK + (size_t)i) * V, NULL) == WIR_BACKEND_OK);
    wir_backend_session_free(s);
}

static void check_same_hparams(const wir_model_hparams *a, const wir_model_hparams *b) {
    CHECK(a->arch == b->arch && a->n_layers == b->n_layers && a->n_embd == b->n_embd);
    CHECK(a->n_heads == b->n_heads && a->n_kv_heads == b->n_kv_heads && a->head_dim == b->head_dim);
    CHECK(a->n_ff == b->n_ff && a->n_vocab == b->n_vocab && a->n_ctx_train == b->n_ctx_train);
    CHECK(a->rms_eps == b->rms_eps && a->rope_theta == b->rope_theta && a->rope_type == b->rope_type);
    CHECK(a->rope_scaling == b->rope_scaling && a->qkv_bias == b->qkv_bias);
    CHECK(a->tied_embeddings == b->tied_embeddings);
    if (a->rope_scaling == WIR_ROPE_SCALING_LINEAR) CHECK(a->rope_factor == b->rope_factor);
}

static void check_config(const wir_catalog *cat, const engine_tiny *cfg, const char *ftype,
                         bool vocab_key, const char *dir, int idx) {
    wir_model m;
    engine_tiny_model(cfg, &m);
    wir_weights *gen = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, ftype), 5,
                                                  2, true, NULL);
    CHECK(gen != NULL);
    if (!gen) return;
    const wir_model_desc *g = wir_weights_desc(gen);
    char path[1024];
    snprintf(path, sizeof path, "%s/engine-%d.gguf", dir, idx);
    wir_gguf_writer *w = engine_gguf_from_desc(g, vocab_key, NULL, NULL, 0);
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);

    wir_weights_gguf_options opt = {.compute_sha256 = true};
    wir_weights_error err;
    wir_weights *file = wir_weights_open_gguf(path, &opt, &err);
    if (!file) fprintf(stderr, "%s\n", err.text);
    CHECK(file != NULL);
    if (file) {
        const wir_model_desc *f = wir_weights_desc(file);
        check_same_hparams(&f->hp, &g->hp);
        CHECK(f->id.source == WIR_MODEL_SOURCE_GGUF && f->has_data);
        CHECK_STR(f->id.name, "Tiny test model");
        CHECK_STR(f->id.path, path);
        CHECK(strlen(f->id.sha256) == 64 && f->id.file_size > g->weight_bytes);
        CHECK(f->id.file_type == g->id.file_type && f->id.catalog_model[0] == '\0');
        CHECK((f->output == f->token_embd) == cfg->tied);
        CHECK(f->n_tensors == g->n_tensors + (g->rope_freq_factors ? 1 : 0));
        for (size_t i = 0; i < g->n_tensors; i++) {
            const wir_model_tensor *a = &g->tensors[i];
            const wir_model_tensor *b = &f->tensors[i + (g->rope_freq_factors ? 1 : 0)];
            CHECK_STR(b->name, a->name);
            CHECK(a->type == b->type && a->size == b->size && memcmp(a->ne, b->ne, sizeof a->ne) == 0);
            CHECK(memcmp(a->data, b->data, a->size) == 0);
        }
        if (g->rope_freq_factors) {
            CHECK(f->rope_freq_factors != NULL);
            for (int32_t i = 0; f->rope_freq_factors && i < g->hp.head_dim / 2; i++) {
                CHECK(f->rope_freq_factors[i] == g->rope_freq_factors[i]);
                double want = engine_ref_llama3_divisor(&g->hp, i);
                CHECK(fabs(g->rope_freq_factors[i] - want) <= 1e-6 * want);
            }
        }
        const size_t n = (size_t)(N_TOK + 2) * (size_t)g->hp.n_vocab;
        float *a = calloc(n, 4), *b = calloc(n, 4);
        logits_of(g, a);
        logits_of(f, b);
        CHECK(memcmp(a, b, n * 4) == 0);
        printf("%-28s %-7s GGUF %s: %zu tensors, logits %s\n", engine_config_name(cfg), ftype,
               f->id.sha256, f->n_tensors, memcmp(a, b, n * 4) == 0 ? "identical" : "DIFFER");
        free(a);
        free(b);
        wir_weights_free(file);
    }
    remove(path);
    wir_weights_free(gen);
}

int main(int argc, char **argv) {
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 2, &status);
    if (!cat) return status;
    const char *ftypes[] = {"q4-k-m", "q8-0", "q5-k-m", "f16"};
    for (int c = 0; c < ENGINE_N_CONFIGS; c++)
        check_config(cat, &engine_configs[c], ftypes[c], c % 2 == 0, argv[2], c);
    wir_catalog_free(cat);
    CHECK_DONE();
}
