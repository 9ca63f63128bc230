/* probe.engine.consistency: the ways of running the same tokens agree.
 *   - prefill-then-decode (5 tokens, then 7 single-token evals) against one
 *     prefill of all 12 with every position's logits: decode products use
 *     wir_qformat_dot_row (the row decoded in registers) and prefill ones
 *     dequantized tiles with the float kernel, so the two sum in different
 *     orders; both are float32 products of the same numbers, held to the
 *     reference test's bound with an F32 cache (1e-4 x max(1, max|logit|),
 *     see test_engine_reference.c) and to its F16-cache bound (5e-3) with
 *     an F16 cache - there a last-bit difference in K or V before rounding
 *     can flip a half-precision rounding, a 2^-11 relative step (observed
 *     up to 5.5e-5 relative in logits). Decode is also checked against the
 *     float64 reference directly;
 *   - prefill in chunks of 4 equals one prefill of 12 bit for bit (each
 *     product's result does not depend on the tiling of tokens);
 *   - 1, 2, 3 and 4 threads give bit-identical logits, prefill and decode
 *     (threads split rows and (token, head) pairs, never a sum);
 *   - kv_truncate to a depth and running again reproduces the logits bit for
 *     bit, as does eval at a position below the cache length;
 *   - the profile counts evals and tokens per phase and its parts add up.
 * With an F16 cache (the default) unless said otherwise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_check.h"
#include "wir_backend.h"
#include "wir_qformat.h"
#include "wir_weights.h"

enum { N_TOK = 12, N_PRE = 5 };

static wir_backend_session *open_session(const wir_model_desc *d, int32_t threads, int32_t n_batch,
                                         int32_t kv_type) {
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 32;
    p.n_batch = n_batch;
    p.n_threads = threads;
    p.kv_type = kv_type;
    wir_backend_error err;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), d, &p, &err);
    if (!s) fprintf(stderr, "init: %s\n", err.text);
    CHECK(s != NULL);
    return s;
}

/* All positions' logits from one prefill (chunk = N_TOK) or chunks. */
static void run_prefill(wir_backend_session *s, const int32_t *tok, int32_t chunk, float *out,
                        int32_t V) {
    for (int32_t at = 0; at < N_TOK; at += chunk) {
        int32_t n = N_TOK - at < chunk ? N_TOK - at : chunk;
        CHECK(wir_backend_session_eval(s, tok + at, n, at, true, out + (size_t)at * V, NULL) ==
              WIR_BACKEND_OK);
    }
}

/* N_PRE tokens in one prefill, the rest decoded; out gets positions
 * N_PRE-1 .. N_TOK-1. */
static void run_decode(wir_backend_session *s, const int32_t *tok, float *out, int32_t V) {
    CHECK(wir_backend_session_eval(s, tok, N_PRE, 0, false, out, NULL) == WIR_BACKEND_OK);
    for (int32_t t = N_PRE; t < N_TOK; t++)
        CHECK(wir_backend_session_eval(s, tok + t, 1, t, false, out + (size_t)(t - N_PRE + 1) * V,
                                       NULL) == WIR_BACKEND_OK);
}

static double rel_diff_ff(const float *a, const float *b, size_t n) {
    double md = 0, mr = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (!(d <= md)) md = d;
        if (fabs(b[i]) > mr) mr = fabs(b[i]);
    }
    return md / fmax(1, mr);
}

static void check_profile(wir_backend_session *s) {
    wir_backend_profile pr;
    wir_backend_session_profile(s, &pr);
    const wir_backend_phase_profile *pf = &pr.phase[WIR_BACKEND_PHASE_PREFILL];
    const wir_backend_phase_profile *dc = &pr.phase[WIR_BACKEND_PHASE_DECODE];
    CHECK(pf->n_evals == 1 && pf->n_tokens == N_PRE);
    CHECK(dc->n_evals == N_TOK - N_PRE && dc->n_tokens == N_TOK - N_PRE);
    for (int ph = 0; ph < WIR_BACKEND_N_PHASES; ph++) {
        const wir_backend_phase_profile *p = &pr.phase[ph];
        CHECK(p->ns_total > 0 && p->ns_matmul > 0 && p->weight_bytes > 0);
        CHECK(p->ns_matmul + p->ns_attention + p->ns_other <= p->ns_total);
    }
    /* a decode step reads every matrix once: the model's bytes per token
     * less the norms, biases and the one embedding row (not products) */
    const wir_model_desc *d = wir_backend_session_desc(s);
    uint64_t per_token = dc->weight_bytes / dc->n_evals;
    CHECK(per_token <= wir_model_desc_bytes_per_token(d));
    CHECK(per_token * 100 >= wir_model_desc_bytes_per_token(d) * 95);
    wir_backend_session_profile_reset(s);
    wir_backend_session_profile(s, &pr);
    CHECK(pr.phase[0].n_evals == 0 && pr.phase[1].ns_total == 0);
}

static void check_config(const wir_catalog *cat, const engine_tiny *cfg, const char *ftype) {
    wir_model m;
    engine_tiny_model(cfg, &m);
    wir_weights_error werr;
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, ftype), 9, 0,
                                                true, &werr);
    if (!w) fprintf(stderr, "%s\n", werr.text);
    CHECK(w != NULL);
    if (!w) return;
    const wir_model_desc *d = wir_weights_desc(w);
    const int32_t V = d->hp.n_vocab;
    const size_t all = (size_t)N_TOK * V, dec = (size_t)(N_TOK - N_PRE + 1) * V;
    int32_t tok[N_TOK];
    engine_tokens(tok, N_TOK, V, 3);
    float *pre1 = calloc(all, 4), *preN = calloc(all, 4), *chunk = calloc(all, 4);
    float *dec1 = calloc(dec, 4), *decN = calloc(dec, 4), *again = calloc(dec, 4);

    wir_backend_session *s1 = open_session(d, 1, 16, WIR_QTYPE_F16);
    if (s1) {
        run_prefill(s1, tok, N_TOK, pre1, V);
        wir_backend_session_kv_truncate(s1, 0);
        CHECK(wir_backend_session_kv_length(s1) == 0);
        wir_backend_session_profile_reset(s1);
        run_decode(s1, tok, dec1, V);
        CHECK(wir_backend_session_kv_length(s1) == N_TOK);
        check_profile(s1);
        /* back to the depth of the prefill, decode again */
        wir_backend_session_kv_truncate(s1, N_PRE);
        for (int32_t t = N_PRE; t < N_TOK; t++)
            CHECK(wir_backend_session_eval(s1, tok + t, 1, t, false,
                                           again + (size_t)(t - N_PRE + 1) * V, NULL) == WIR_BACKEND_OK);
        CHECK(memcmp(again + V, dec1 + V, (dec - V) * 4) == 0);
        /* eval below the cache length discards the rest */
        CHECK(wir_backend_session_eval(s1, tok + N_PRE, 1, N_PRE, false, again, NULL) == WIR_BACKEND_OK);
        CHECK(wir_backend_session_kv_length(s1) == N_PRE + 1);
        CHECK(memcmp(again, dec1 + V, (size_t)V * 4) == 0);
        wir_backend_session_free(s1);
    }
    wir_backend_session *sc = open_session(d, 2, 4, WIR_QTYPE_F16);
    if (sc) {
        run_prefill(sc, tok, 4, chunk, V);
        CHECK(memcmp(chunk, pre1, all * 4) == 0);
        wir_backend_session_free(sc);
    }
    for (int32_t th = 2; th <= 4; th++) {
        wir_backend_session *s = open_session(d, th, 16, WIR_QTYPE_F16);
        if (!s) continue;
        run_prefill(s, tok, N_TOK, preN, V);
        run_decode(s, tok, decN, V);
        if (memcmp(preN, pre1, all * 4) != 0 || memcmp(decN, dec1, dec * 4) != 0)
            fprintf(stderr, "%s %s: %d threads differ from 1\n", engine_config_name(cfg), ftype, (int)th);
        CHECK(memcmp(preN, pre1, all * 4) == 0);
        CHECK(memcmp(decN, dec1, dec * 4) == 0);
        wir_backend_session_free(s);
    }
    /* decode vs prefill: positions N_PRE-1 .. N_TOK-1 */
    double r = rel_diff_ff(dec1, pre1 + (size_t)(N_PRE - 1) * V, dec);
    printf("%-28s %-7s decode vs prefill (f16 KV): %.3g relative\n", engine_config_name(cfg), ftype, r);
    CHECK(r <= 5e-3);

    /* decode against the float64 reference (F32 cache) */
    wir_backend_session *s32 = open_session(d, 2, 16, WIR_QTYPE_F32);
    if (s32) {
        run_prefill(s32, tok, N_TOK, preN, V);
        run_decode(s32, tok, decN, V);
        r = rel_diff_ff(decN, preN + (size_t)(N_PRE - 1) * V, dec);
        printf("%-28s %-7s decode vs prefill (f32 KV): %.3g relative\n", engine_config_name(cfg),
               ftype, r);
        CHECK(r <= 1e-4);
        double *ref = malloc(sizeof(double) * all);
        engine_ref_forward(d, tok, N_TOK, ref);
        double md, mr;
        engine_compare(decN, ref + (size_t)(N_PRE - 1) * V, (int64_t)dec, &md, &mr);
        printf("%-28s %-7s decode vs reference (f32 KV): %.3g relative\n", engine_config_name(cfg),
               ftype, md / fmax(1, mr));
        CHECK(md / fmax(1, mr) <= 1e-4);
        free(ref);
        wir_backend_session_free(s32);
    }
    free(pre1); free(preN); free(chunk); free(dec1); free(decN); free(again);
    wir_weights_free(w);
}

int main(int argc, char **argv) {
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 1, &status);
    if (!cat) return status;
    const char *ftypes[] = {"q4-k-m", "q8-0", "f16", "q6-k"};
    for (int c = 0; c < ENGINE_N_CONFIGS; c++)
        for (int f = 0; f < 4; f++)
            if (c == 0 || f < 2) check_config(cat, &engine_configs[c], ftypes[f]);
    wir_catalog_free(cat);
    CHECK_DONE();
}
