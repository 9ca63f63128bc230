/* probe.cuda.logits: end to end, the CUDA backend's logits against the CPU
 * backend's on the tiny generated models of the engine tests (every
 * architecture/attention/RoPE variant x every file type the probe computes).
 *
 * Per model: a prefill of 5 tokens with every position's logits, then 7
 * decoded tokens (through the CUDA graph), compared with the same calls on
 * the CPU backend (F16 cache on both). Bounds, as max|gpu - cpu| /
 * max(1, max|cpu|):
 *   - prefill 2e-2: the GPU's prefill products round weights and
 *     activations to F16 before the tensor cores (2^-11 relative per
 *     operand), through 2 layers and the output product;
 *   - decode 1e-2: decode products are float32 like the CPU's, but the K/V
 *     of the prefilled positions come from the F16 prefill products.
 * And, bit for bit: replaying the decode after kv_truncate gives the same
 * logits (graph replay is deterministic), and a session with
 * params.profile (no graph, events between operations) gives the same
 * decode logits as the graph. */
#include <string.h>

#include "cuda_test.h"
#include "wir_backend.h"
#include "wir_weights.h"

enum { N_TOK = 12, N_PRE = 5 };

static int failures;

static wir_backend_session *open_session(const wir_backend_ops *ops, const wir_model_desc *d,
                                         bool profile) {
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 32;
    p.n_batch = 8;
    p.profile = profile;
    wir_backend_error err;
    wir_backend_session *s = wir_backend_session_init(ops, d, &p, &err);
    if (!s) fprintf(stderr, "%s init: %s\n", ops->name, err.text);
    CHECK(s != NULL);
    return s;
}

/* Prefill logits (N_PRE x V), then decode logits (N_TOK - N_PRE x V). */
static void run(wir_backend_session *s, const int32_t *tok, float *pre, float *dec, int32_t V) {
    wir_backend_error err;
    if (wir_backend_session_eval(s, tok, N_PRE, 0, true, pre, &err) != WIR_BACKEND_OK) {
        fprintf(stderr, "prefill: %s\n", err.text);
        exit(1);
    }
    for (int32_t t = N_PRE; t < N_TOK; t++)
        if (wir_backend_session_eval(s, tok + t, 1, t, false, dec + (size_t)(t - N_PRE) * V, &err) !=
            WIR_BACKEND_OK) {
            fprintf(stderr, "decode: %s\n", err.text);
            exit(1);
        }
}

static void check_model(const wir_catalog *cat, const engine_tiny *cfg, const char *ftype) {
    wir_model m;
    engine_tiny_model(cfg, &m);
    wir_weights_error we;
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, ftype), 9, 0,
                                                true, &we);
    if (!w) fprintf(stderr, "%s: %s\n", ftype, we.text);
    CHECK(w != NULL);
    const wir_model_desc *d = wir_weights_desc(w);
    const int32_t V = d->hp.n_vocab;
    const wir_backend_ops *cuda = wir_backend_find("cuda");
    CHECK(cuda != NULL);
    int32_t tok[N_TOK];
    engine_tokens(tok, N_TOK, V, 5);
    const size_t np = (size_t)N_PRE * V, nd = (size_t)(N_TOK - N_PRE) * V;
    float *cp = malloc(4 * np), *cd = malloc(4 * nd), *gp = malloc(4 * np), *gd = malloc(4 * nd);
    float *gd2 = malloc(4 * nd), *pd = malloc(4 * nd), *scratch = malloc(4 * np);
    CHECK(cp && cd && gp && gd && gd2 && pd && scratch);

    wir_backend_session *cpu = open_session(wir_backend_cpu(), d, false);
    run(cpu, tok, cp, cd, V);
    wir_backend_session_free(cpu);

    wir_backend_session *g = open_session(cuda, d, false);
    run(g, tok, gp, gd, V);
    wir_backend_session_kv_truncate(g, 0);
    run(g, tok, scratch, gd2, V);
    wir_backend_memory mem;
    wir_backend_session_memory(g, &mem);
    wir_backend_session_free(g);

    wir_backend_session *pr = open_session(cuda, d, true);
    run(pr, tok, scratch, pd, V);
    wir_backend_profile prof;
    wir_backend_session_profile(pr, &prof);
    wir_backend_session_free(pr);

    const double ep = cuda_test_rel(gp, cp, np), ed = cuda_test_rel(gd, cd, nd);
    const bool replay = memcmp(gd, gd2, 4 * nd) == 0, same = memcmp(gd, pd, 4 * nd) == 0;
    const wir_backend_phase_profile *dp = &prof.phase[WIR_BACKEND_PHASE_DECODE];
    const bool parts = dp->ns_matmul > 0 && dp->ns_attention > 0 && dp->ns_other > 0 &&
                       dp->ns_matmul + dp->ns_attention + dp->ns_other <= dp->ns_total;
    const bool ok = ep <= 2e-2 && ed <= 1e-2 && replay && same && parts && mem.peak == mem.total;
    printf("%-28s %-7s prefill %.2e decode %.2e replay %s profile %s parts %s arena %.2f MiB%s\n",
           engine_config_name(cfg), ftype, ep, ed, replay ? "same" : "DIFFERS",
           same ? "same" : "DIFFERS", parts ? "ok" : "BAD", (double)mem.total / (1 << 20),
           ok ? "" : "  FAIL");
    if (!ok) failures++;
    free(cp), free(cd), free(gp), free(gd), free(gd2), free(pd), free(scratch);
    wir_weights_free(w);
}

int main(int argc, char **argv) {
    cuda_test_need_device("probe.cuda.logits");
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 1, &status);
    if (!cat) return status;
    for (int c = 0; c < ENGINE_N_CONFIGS; c++)
        for (int f = 0; f < ENGINE_N_FTYPES; f++) check_model(cat, &engine_configs[c], engine_ftypes[f]);
    wir_catalog_free(cat);
    if (failures) {
        printf("probe.cuda.logits: %d model(s) out of bounds\n", failures);
        return 1;
    }
    printf("probe.cuda.logits: every model within bounds\n");
    return 0;
}
