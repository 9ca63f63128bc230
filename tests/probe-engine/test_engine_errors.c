/* probe.engine.errors: what cannot run says so, naming what and why; plans
 * size models without allocating; the backend refuses bad calls.
 *   - file types needing types the probe does not compute (q3_K, iq4_nl,
 *     iq4_xs, ...) fail naming the tensor and the type; the same for a GGUF
 *     tensor of type iq2_xxs;
 *   - architectures other than dense llama/qwen2 (gemma2, phi3, MoE) fail as
 *     such, from the catalog and from a GGUF file;
 *   - unknown catalog names fail with suggestions; a GGUF file missing a
 *     required key or with a wrong shape fails naming it;
 *   - a plan of Llama 3.1 70B at Q4_K_M has no data and the size llama.cpp
 *     reports for that file (39.59 GiB); the CPU estimate adds the KV cache
 *     (1280 MiB at 4096 tokens, F16, as llama.cpp prints for 70B);
 *   - eval outside the context or the vocabulary, or on a plan, fails.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_check.h"
#include "engine_gguf.h"
#include "wir_backend.h"
#include "wir_qformat.h"
#include "wir_weights.h"

static void expect_text(const wir_weights_error *e, const char *a, const char *b) {
    bool ok = strstr(e->text, a) && (!b || strstr(e->text, b));
    if (!ok) fprintf(stderr, "message \"%s\" lacks \"%s\" / \"%s\"\n", e->text, a, b ? b : "");
    CHECK(ok);
}

static void generated_types(const wir_catalog *cat) {
    wir_model m;
    engine_tiny_model(&engine_configs[0], &m);
    static const struct {
        const char *ftype, *type;
    } cases[] = {{"q3-k-m", "q3_K"}, {"iq4-nl", "iq4_nl"}, {"iq4-xs", "iq4_xs"}, {"q2-k", "q2_K"},
                 {"iq3-xxs", "iq3_s"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wir_weights_error e;
        const wir_ftype *ft = wir_catalog_find_ftype(cat, cases[i].ftype);
        CHECK(ft != NULL);
        if (!ft) continue;
        wir_weights *w = wir_weights_generate_model(cat, &m, ft, 1, 1, false, &e);
        CHECK(w == NULL && e.status == WIR_WEIGHTS_ERR_TYPE);
        expect_text(&e, ": tensor ", cases[i].type);
        printf("%s: %s\n", cases[i].ftype, e.text);
        wir_weights_free(w);
    }
    /* every computed file type plans fine, with its type mix */
    for (int f = 0; f < ENGINE_N_FTYPES; f++) {
        wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, engine_ftypes[f]),
                                                    1, 1, false, NULL);
        CHECK(w != NULL);
        if (!w) continue;
        const wir_model_desc *d = wir_weights_desc(w);
        CHECK(!d->has_data && d->tensors[1].data == NULL && d->weight_bytes > 0);
        wir_weights_free(w);
    }
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q4-k-m"), 1, 1,
                                                false, NULL);
    if (w) {
        const wir_model_desc *d = wir_weights_desc(w);
        bool q4 = false, q6 = false;
        for (size_t i = 0; i < d->n_tensors; i++) {
            q4 |= d->tensors[i].type == WIR_QTYPE_Q4_K;
            q6 |= d->tensors[i].type == WIR_QTYPE_Q6_K;
        }
        CHECK(q4 && q6); /* Q4_K_M is a mix */
        wir_weights_free(w);
    }
}

static void catalog_errors(const wir_catalog *cat) {
    static const char *const archs[] = {"gemma-2-9b", "phi-3-mini-4k", "mixtral-8x7b", "qwen3-14b"};
    for (size_t i = 0; i < sizeof archs / sizeof archs[0]; i++) {
        wir_weights_error e;
        wir_weights *w = wir_weights_plan_generated(cat, archs[i], "q4-k-m", &e);
        CHECK(w == NULL && e.status == WIR_WEIGHTS_ERR_ARCH);
        expect_text(&e, archs[i], "architecture");
        printf("%s\n", e.text);
        wir_weights_free(w);
    }
    wir_weights_error e;
    CHECK(wir_weights_plan_generated(cat, "qwen2-5-0-5", "q4-k-m", &e) == NULL);
    CHECK(e.status == WIR_WEIGHTS_ERR_UNKNOWN);
    expect_text(&e, "unknown model 'qwen2-5-0-5'", "qwen2-5-0-5b");
    printf("%s\n", e.text);
    CHECK(wir_weights_generate(cat, "qwen2-5-0-5b", "Q4_K_Q", 1, 1, &e) == NULL);
    CHECK(e.status == WIR_WEIGHTS_ERR_UNKNOWN);
    expect_text(&e, "unknown file type 'Q4_K_Q'", NULL);

    /* 70B Q4_K_M: sizes without allocating */
    wir_weights *w = wir_weights_plan_generated(cat, "llama-3-1-70b", "Q4_K_M", &e);
    CHECK(w != NULL);
    if (!w) {
        fprintf(stderr, "%s\n", e.text);
        return;
    }
    const wir_model_desc *d = wir_weights_desc(w);
    double gib = (double)d->weight_bytes / (1 << 30);
    printf("llama-3-1-70b Q4_K_M plan: %.2f GiB of weights, rope %s\n", gib,
           wir_rope_scaling_name(d->hp.rope_scaling));
    CHECK(!d->has_data && gib > 39.5 && gib < 39.7);
    CHECK(d->hp.rope_scaling == WIR_ROPE_SCALING_LLAMA3 && d->rope_freq_factors != NULL);
    CHECK_STR(d->id.catalog_model, "llama-3-1-70b");
    CHECK_STR(d->id.ftype, "q4-k-m");
    CHECK_STR(d->id.ftype_name, "Q4_K_M");
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 4096;
    wir_backend_memory mem;
    CHECK(wir_backend_estimate(wir_backend_cpu(), d, &p, &mem, NULL) == WIR_BACKEND_OK);
    CHECK(mem.kv == 1280ull << 20 && mem.weights == d->weight_bytes);
    CHECK(mem.total == mem.weights + mem.kv + mem.scratch && mem.scratch > 0 && mem.available > 0);
    printf("estimate: total %.2f GiB (kv %.0f MiB, scratch %.1f MiB), available %.2f GiB\n",
           (double)mem.total / (1 << 30), (double)mem.kv / (1 << 20), (double)mem.scratch / (1 << 20),
           (double)mem.available / (1 << 30));
    wir_backend_error be;
    CHECK(wir_backend_session_init(wir_backend_cpu(), d, &p, &be) == NULL);
    CHECK(be.status == WIR_BACKEND_ERR_ARGS);
    wir_weights_free(w);
}

static void gguf_errors(const wir_catalog *cat, const char *dir) {
    wir_model m;
    engine_tiny_model(&engine_configs[0], &m);
    wir_weights *gen = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q8-0"), 1, 1,
                                                  true, NULL);
    CHECK(gen != NULL);
    if (!gen) return;
    const wir_model_desc *g = wir_weights_desc(gen);
    char path[1024];
    snprintf(path, sizeof path, "%s/engine-errors.gguf", dir);
    wir_weights_error e;

    wir_gguf_writer *w = engine_gguf_from_desc(g, true, NULL, "blk.1.ffn_down.weight", 16 /* iq2_xxs */);
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);
    CHECK(wir_weights_open_gguf(path, NULL, &e) == NULL && e.status == WIR_WEIGHTS_ERR_TYPE);
    expect_text(&e, "tensor blk.1.ffn_down.weight", "iq2_xxs");
    printf("%s\n", e.text);

    w = engine_gguf_from_desc(g, true, "block_count", NULL, 0);
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);
    CHECK(wir_weights_open_gguf(path, NULL, &e) == NULL && e.status == WIR_WEIGHTS_ERR_FORMAT);
    expect_text(&e, "llama.block_count", "missing");

    w = engine_gguf_from_desc(g, true, "attention.head_count_kv", NULL, 0); /* kv heads = 4: wk too small */
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);
    CHECK(wir_weights_open_gguf(path, NULL, &e) == NULL && e.status == WIR_WEIGHTS_ERR_FORMAT);
    expect_text(&e, "tensor blk.0.attn_k.weight", "shape");
    printf("%s\n", e.text);

    w = wir_gguf_writer_new(3);
    wir_gguf_writer_add_string(w, "general.architecture", "gemma2");
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);
    CHECK(wir_weights_open_gguf(path, NULL, &e) == NULL && e.status == WIR_WEIGHTS_ERR_ARCH);
    expect_text(&e, "gemma2", "not run");

    CHECK(wir_weights_open_gguf("/nonexistent/x.gguf", NULL, &e) == NULL && e.status == WIR_WEIGHTS_ERR_IO);
    remove(path);

    /* backend argument errors */
    wir_backend_params p = wir_backend_params_default();
    p.n_ctx = 8;
    p.n_batch = 4;
    wir_backend_error be;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), g, &p, &be);
    CHECK(s != NULL);
    if (s) {
        int32_t tok[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        CHECK(wir_backend_session_eval(s, tok, 5, 0, false, NULL, &be) == WIR_BACKEND_ERR_ARGS);
        CHECK(wir_backend_session_eval(s, tok, 4, 1, false, NULL, &be) == WIR_BACKEND_ERR_ARGS);
        CHECK(wir_backend_session_eval(s, tok, 4, 0, false, NULL, &be) == WIR_BACKEND_OK);
        CHECK(wir_backend_session_eval(s, tok, 4, 4, false, NULL, &be) == WIR_BACKEND_OK);
        CHECK(wir_backend_session_eval(s, tok, 1, 8, false, NULL, &be) == WIR_BACKEND_ERR_CONTEXT_FULL);
        printf("%s\n", be.text);
        int32_t bad = 320;
        CHECK(wir_backend_session_eval(s, &bad, 1, 0, false, NULL, &be) == WIR_BACKEND_ERR_ARGS);
        CHECK(wir_backend_session_kv_length(s) == 8); /* argument errors leave the cache */
        wir_backend_session_free(s);
    }
    p.kv_type = WIR_QTYPE_Q8_0;
    CHECK(wir_backend_session_init(wir_backend_cpu(), g, &p, &be) == NULL && be.status == WIR_BACKEND_ERR_ARGS);

    wir_backend_device dev[2];
    CHECK(wir_backend_cpu()->list_devices(dev, 2) == 1);
    CHECK_STR(dev[0].kind, "cpu");
    CHECK(dev[0].n_cores >= 1 && dev[0].memory_total >= dev[0].memory_free && dev[0].memory_free > 0);
    printf("device: %s, %d CPUs, %.1f GiB\n", dev[0].name, (int)dev[0].n_cores,
           (double)dev[0].memory_total / (1 << 30));
    CHECK(wir_backend_find("cpu") == wir_backend_cpu() && wir_backend_find("tpu") == NULL);
    CHECK(wir_backend_all(NULL, 0) >= 1);
    wir_weights_free(gen);
}

int main(int argc, char **argv) {
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 2, &status);
    if (!cat) return status;
    generated_types(cat);
    catalog_errors(cat);
    gguf_errors(cat, argv[2]);
    wir_catalog_free(cat);
    CHECK_DONE();
}
