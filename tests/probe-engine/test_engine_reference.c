/* probe.engine.reference: the CPU backend's logits against the float64
 * reference (engine_ref.c) for every model configuration and every file type
 * the probe computes, prefill of 12 tokens with every position's logits.
 *
 * Tolerance. Both sides read the same dequantized weights, so the only
 * differences are the engine's float32 arithmetic and, with an F16 cache,
 * the rounding of K and V to half precision.
 *   - F32 cache: a float32 dot product of n terms has an error below
 *     n * 2^-24 * sum|a_i b_i| (Higham's gamma_n bound; the engine sums 8
 *     lanes of n/8 terms, so n/8 + 3 additions per result: 67 for n = 512).
 *     With inputs normalised to RMS 1 and weights of variance 1/n, that is
 *     about 4e-6 relative per product; through 2 blocks of 7 products,
 *     residual adds, norms and softmax, errors of order 1e-5 on logits of
 *     order 1 are expected. We allow 1e-4 x max(1, max|logit|): above the
 *     expected error and 100 x the observed one (worst 7e-7 relative on
 *     the development machine), yet far below the
 *     effect of any real mistake (a wrong RoPE pairing, a dropped bias, the
 *     wrong KV head or a missing scale factor moves logits by 1e-1 or more;
 *     the test's negative check shows a one-position RoPE shift does).
 *   - F16 cache: K and V carry a relative rounding of 2^-11 (4.9e-4), which
 *     attention passes on at about that size; we allow 5e-3 x max(1,
 *     max|logit|) (observed worst 6.4e-4 relative).
 */
#include <math.h>
#include <stdlib.h>

#include "engine_check.h"
#include "wir_backend.h"
#include "wir_qformat.h"
#include "wir_weights.h"

enum { N_TOK = 12 };

static double run_case(const wir_catalog *cat, const engine_tiny *cfg, const char *ftype,
                       int32_t kv_type, double *worst_ref) {
    wir_model m;
    engine_tiny_model(cfg, &m);
    const wir_ftype *ft = wir_catalog_find_ftype(cat, ftype);
    CHECK(ft != NULL);
    if (!ft) return INFINITY;
    wir_weights_error werr;
    wir_weights *w = wir_weights_generate_model(cat, &m, ft, 42, 2, true, &werr);
    if (!w) {
        fprintf(stderr, "%s %s: %s\n", engine_config_name(cfg), ftype, werr.text);
        CHECK(w != NULL);
        return INFINITY;
    }
    const wir_model_desc *d = wir_weights_desc(w);
    int32_t tokens[N_TOK];
    engine_tokens(tokens, N_TOK, d->hp.n_vocab, 7);
    double *ref = malloc(sizeof(double) * N_TOK * (size_t)d->hp.n_vocab);
    float *got = malloc(sizeof(float) * N_TOK * (size_t)d->hp.n_vocab);
    engine_ref_forward(d, tokens, N_TOK, ref);

    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 64;
    p.n_batch = 16;
    p.n_threads = 2;
    p.kv_type = kv_type;
    wir_backend_error berr;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), d, &p, &berr);
    double md = INFINITY, mr = 0;
    if (!s) {
        fprintf(stderr, "init: %s\n", berr.text);
        CHECK(s != NULL);
    } else {
        CHECK(wir_backend_session_eval(s, tokens, N_TOK, 0, true, got, &berr) == WIR_BACKEND_OK);
        engine_compare(got, ref, (int64_t)N_TOK * d->hp.n_vocab, &md, &mr);
        wir_backend_session_free(s);
    }
    *worst_ref = mr;
    free(ref);
    free(got);
    wir_weights_free(w);
    return md;
}

/* The reference must see a real mistake: with positions shifted by one in
 * the reference's input (all tokens moved), logits move far beyond the
 * tolerance. Guards against a tolerance too loose to mean anything. */
static void negative_check(const wir_catalog *cat) {
    wir_model m;
    engine_tiny_model(&engine_configs[0], &m);
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q8-0"), 42, 2,
                                                true, NULL);
    CHECK(w != NULL);
    if (!w) return;
    const wir_model_desc *d = wir_weights_desc(w);
    int32_t tokens[N_TOK + 1];
    engine_tokens(tokens, N_TOK + 1, d->hp.n_vocab, 7);
    double *ref = malloc(sizeof(double) * (N_TOK + 1) * (size_t)d->hp.n_vocab);
    float *got = malloc(sizeof(float) * (size_t)d->hp.n_vocab);
    engine_ref_forward(d, tokens, N_TOK + 1, ref);
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 64;
    p.kv_type = WIR_QTYPE_F32;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), d, &p, NULL);
    CHECK(s != NULL);
    if (s) {
        /* tokens[1..12] at positions 0..11 vs the reference's 1..12 */
        CHECK(wir_backend_session_eval(s, tokens + 1, N_TOK, 0, false, got, NULL) == WIR_BACKEND_OK);
        double md, mr;
        engine_compare(got, ref + (size_t)N_TOK * d->hp.n_vocab, d->hp.n_vocab, &md, &mr);
        printf("negative check (context without its first token): max diff %.3g\n", md);
        CHECK(md > 5e-3 * fmax(1, mr) * 10);
        wir_backend_session_free(s);
    }
    free(ref);
    free(got);
    wir_weights_free(w);
}

int main(int argc, char **argv) {
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 1, &status);
    if (!cat) return status;
    double worst32 = 0, worst16 = 0;
    for (int c = 0; c < ENGINE_N_CONFIGS; c++) {
        for (int f = 0; f < ENGINE_N_FTYPES; f++) {
            double mr = 0;
            double md = run_case(cat, &engine_configs[c], engine_ftypes[f], WIR_QTYPE_F32, &mr);
            double rel = md / fmax(1, mr);
            printf("%-28s %-7s f32 KV: max |diff| %.3g (max |logit| %.3g)\n",
                   engine_config_name(&engine_configs[c]), engine_ftypes[f], md, mr);
            CHECK(rel <= 1e-4);
            if (rel > worst32) worst32 = rel;
        }
        /* The F16 cache, with one weight format (the cache does not depend on it). */
        double mr = 0;
        double md = run_case(cat, &engine_configs[c], "q8-0", WIR_QTYPE_F16, &mr);
        double rel = md / fmax(1, mr);
        printf("%-28s %-7s f16 KV: max |diff| %.3g (max |logit| %.3g)\n",
               engine_config_name(&engine_configs[c]), "q8-0", md, mr);
        CHECK(rel <= 5e-3);
        if (rel > worst16) worst16 = rel;
    }
    printf("worst relative difference: f32 KV %.3g (bound 1e-4), f16 KV %.3g (bound 5e-3)\n",
           worst32, worst16);
    negative_check(cat);
    wir_catalog_free(cat);
    CHECK_DONE();
}
