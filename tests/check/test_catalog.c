/* Unit tests of the catalog loader (gen/load) on tests/check/fixtures.
 *
 * usage: test_catalog FIXTURES_DIR CASE
 * Each case prints what it checked and exits 0, or names every failed
 * expectation and exits 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_catalog.h"
#include "wir_jfile.h"

static int failures;

#define EXPECT(cond)                                                              \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);   \
            failures++;                                                           \
        }                                                                         \
    } while (0)

#define EXPECT_STR(a, b)                                                          \
    do {                                                                          \
        const char *a_ = (a), *b_ = (b);                                          \
        if (!a_ || !b_ || strcmp(a_, b_)) {                                       \
            fprintf(stderr, "%s:%d: expected %s == \"%s\", got \"%s\"\n", __FILE__, \
                    __LINE__, #a, b_ ? b_ : "(null)", a_ ? a_ : "(null)");         \
            failures++;                                                           \
        }                                                                         \
    } while (0)

static wir_catalog *load_valid(const char *fixtures, wir_diag_list *diags) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/valid", fixtures);
    wir_diag_list_init(diags);
    wir_catalog *c = wir_catalog_load(dir, diags);
    if (diags->count) wir_diag_list_print(stderr, diags);
    return c;
}

static void test_valid(const char *fixtures) {
    wir_diag_list diags;
    wir_catalog *c = load_valid(fixtures, &diags);
    EXPECT(c != NULL);
    EXPECT(diags.count == 0);
    if (c) {
        EXPECT(c->n_gpus == 1);
        EXPECT(c->n_models == 2);
        EXPECT(c->n_ggml_types == 32);
        EXPECT(c->n_ftypes == 1);
        EXPECT(c->n_formats == 1);
        EXPECT(c->n_cloud == 1);
        /* Sorted: models by slug, ggml types by id. */
        EXPECT_STR(c->models[0].slug, "llama-3-1-8b");
        EXPECT_STR(c->models[1].slug, "qwen3-30b-a3b");
        for (size_t i = 1; i < c->n_ggml_types; i++)
            EXPECT(c->ggml_types[i - 1].id < c->ggml_types[i].id);
    }
    /* Loading is deterministic: a second load gives the same catalog. */
    wir_diag_list d2;
    wir_catalog *again = load_valid(fixtures, &d2);
    EXPECT(again != NULL);
    if (c && again)
        for (size_t i = 0; i < c->n_ggml_types; i++)
            EXPECT_STR(again->ggml_types[i].name, c->ggml_types[i].name);
    wir_catalog_free(again);
    wir_diag_list_free(&d2);
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
}

static void test_values(const char *fixtures) {
    wir_diag_list diags;
    wir_catalog *c = load_valid(fixtures, &diags);
    EXPECT(c != NULL);
    if (!c) return;
    const wir_gpu *g = &c->gpus[0];
    EXPECT_STR(g->slug, "fixture-gpu");
    EXPECT(g->vendor == WIR_VENDOR_NVIDIA);
    EXPECT_STR(g->segment, "consumer");
    EXPECT(g->memory_bytes == 25769803776LL);
    EXPECT(!g->unified_memory);
    EXPECT(g->memory_bandwidth_gb_s == 1000.0);
    EXPECT(g->fp16_tensor_tflops == 150.5);
    EXPECT(g->fp32_tflops == 80.0); /* an integer in the file is a number too */
    EXPECT(g->board_power_w == 450.0);
    EXPECT_STR(g->compute_capability, "8.9");
    EXPECT_STR(g->release_date, "2022-10");
    EXPECT(isnan(g->launch_price_usd)); /* null */
    EXPECT(g->street_price_usd == 1800.0);
    EXPECT_STR(g->street_price_date, "2026-11-22");
    EXPECT_STR(g->street_price_condition, "used");
    EXPECT_STR(g->interconnect, "PCIe 4.0 x16");
    EXPECT(g->loc.line == 1 && g->loc.column == 1);
    EXPECT(g->loc.file && strstr(g->loc.file, "valid/gpus/fixture-gpu.json"));

    const wir_model *m = wir_catalog_find_model(c, "llama-3-1-8b");
    EXPECT(m != NULL);
    if (m) {
        EXPECT_STR(m->architecture, "llama");
        EXPECT(m->params == 8030261248LL);
        EXPECT(m->n_layers == 32 && m->hidden_size == 4096 && m->n_heads == 32);
        EXPECT(m->n_kv_heads == 8 && m->head_dim == 128 && m->ffn_size == 14336);
        EXPECT(m->vocab_size == 128256 && m->context_length == 131072);
        EXPECT(!m->tied_embeddings && !m->qkv_bias && !m->qk_norm && !m->post_norms);
        EXPECT(m->rope_theta == 500000.0);
        EXPECT_STR(m->rope_scaling.type, "llama3");
        EXPECT(m->rope_scaling.factor == 8.0);
        EXPECT(m->rope_scaling.low_freq_factor == 1.0);
        EXPECT(m->rope_scaling.high_freq_factor == 4.0);
        EXPECT(m->rope_scaling.original_max_position_embeddings == 8192);
        EXPECT(m->moe.n_experts == 0);
        /* The published count of Llama 3.1 8B is exactly its shapes' count. */
        EXPECT(wir_model_count_params(m) == m->params);
    }
    const wir_model *moe = wir_catalog_find_model(c, "qwen3-30b-a3b");
    EXPECT(moe != NULL);
    if (moe) {
        EXPECT(moe->moe.n_experts == 128 && moe->moe.n_experts_per_token == 8);
        EXPECT(moe->moe.expert_ffn_size == 768 && moe->moe.n_shared_experts == 0);
        EXPECT(moe->ffn_size == 0 && moe->qk_norm);
        EXPECT(moe->rope_scaling.type == NULL && isnan(moe->rope_scaling.factor));
        EXPECT(moe->rope_scaling.original_max_position_embeddings == -1);
    }

    const wir_ggml_type *q4k = wir_catalog_find_ggml_type(c, "q4_K");
    EXPECT(q4k && q4k->id == 12 && q4k->block_size == 256 && q4k->type_size == 144);

    const wir_ftype *ft = &c->ftypes[0];
    EXPECT_STR(ft->name, "Q4_K_M");
    EXPECT(ft->ftype == 15);
    EXPECT(ft->default_type == q4k); /* resolved into the catalog's table */
    EXPECT(ft->n_rules == 6);
    if (ft->n_rules == 6) {
        EXPECT_STR(ft->rules[0].tensor, "output");
        EXPECT(ft->rules[0].when == WIR_WHEN_ROW_NOT_MULTIPLE);
        EXPECT(ft->rules[0].type == wir_catalog_find_ggml_type(c, "q8_0"));
        EXPECT(ft->rules[1].when == 0);
        EXPECT(ft->rules[2].when == WIR_WHEN_USE_MORE_BITS);
        EXPECT(ft->rules[5].when == WIR_WHEN_EXPERTS_8);
        EXPECT(ft->rules[2].loc.line == 9 && ft->rules[2].loc.column == 5);
    }

    const wir_quantizer *q = &c->quantizer;
    EXPECT(q->n_unquantized == 8);
    EXPECT(q->unquantized_type == wir_catalog_find_ggml_type(c, "f32"));
    EXPECT(q->n_overrides == 5);
    if (q->n_overrides == 5) {
        EXPECT(q->overrides[0].when == (WIR_WHEN_LLAMA_70B | WIR_WHEN_NOT_IQ2_FAMILY));
        EXPECT(q->overrides[0].n_if_type == 2);
        EXPECT(q->overrides[2].n_if_type == 0);
    }
    EXPECT(q->n_fallbacks == 15);
    bool found = false;
    for (size_t i = 0; i < q->n_fallbacks; i++)
        if (q->fallback_from[i] == q4k)
            found = q->fallback_to[i] == wir_catalog_find_ggml_type(c, "q5_0");
    EXPECT(found);
    EXPECT(q->quantize_only_if_default_quantized);

    const wir_format *fm = &c->formats[0];
    EXPECT_STR(fm->slug, "awq-4bit-g128");
    EXPECT(fm->n_runtimes == 3 && fm->group_size == 128 && fm->bits_per_weight == 4.15625);

    const wir_cloud_offer *o = &c->cloud[0];
    EXPECT(o->gpu == g); /* resolved into the sorted GPU array */
    EXPECT(o->gpu_count == 1 && o->price_usd_per_hour == 0.69);
    EXPECT(o->region == NULL);
    EXPECT_STR(o->observed, "2026-11-22");
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
}

static void test_provenance(const char *fixtures) {
    wir_diag_list diags;
    wir_catalog *c = load_valid(fixtures, &diags);
    EXPECT(c != NULL);
    if (!c) return;
    const wir_provenance *p = &c->gpus[0].prov;
    EXPECT(p->n_sources == 2);
    EXPECT(p->n_cites == 11);
    EXPECT_STR(p->sources[0].id, "fixture");
    EXPECT_STR(p->sources[0].url, "https://example.invalid/fixture");
    EXPECT_STR(p->sources[0].accessed, "2026-11-22");
    for (size_t i = 0; i < p->n_cites; i++) {
        const wir_cite *ct = &p->cites[i];
        if (!strcmp(ct->field, "fp16_tensor_tflops")) {
            EXPECT_STR(ct->source_id, "fixture");
            EXPECT_STR(ct->note, "dense");
        } else if (!strcmp(ct->field, "street_price.usd")) {
            EXPECT(ct->source_id == NULL);
            EXPECT_STR(ct->derived, "median of made-up listings");
            EXPECT(ct->n_from == 1);
            if (ct->n_from == 1) EXPECT_STR(ct->from[0], "fixture-prices");
        } else if (!strcmp(ct->field, "memory_bytes")) {
            EXPECT_STR(ct->source_id, "fixture");
            EXPECT(ct->note == NULL && ct->derived == NULL);
        }
    }
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
}

static void test_find(const char *fixtures) {
    wir_diag_list diags;
    wir_catalog *c = load_valid(fixtures, &diags);
    EXPECT(c != NULL);
    if (!c) return;
    EXPECT(wir_catalog_find_gpu(c, "fixture-gpu") == &c->gpus[0]);
    EXPECT(wir_catalog_find_gpu(c, "fixture") == NULL);
    EXPECT(wir_catalog_find_gpu(c, NULL) == NULL);
    EXPECT(wir_catalog_find_model(c, "qwen3-30b-a3b") == &c->models[1]);
    EXPECT(wir_catalog_find_model(c, "Llama-3-1-8b") == NULL); /* slugs are exact */
    /* File types by slug or llama.cpp name, any case. */
    EXPECT(wir_catalog_find_ftype(c, "q4-k-m") == &c->ftypes[0]);
    EXPECT(wir_catalog_find_ftype(c, "Q4_K_M") == &c->ftypes[0]);
    EXPECT(wir_catalog_find_ftype(c, "q4_k_m") == &c->ftypes[0]);
    EXPECT(wir_catalog_find_ftype(c, "Q4-K-M") == &c->ftypes[0]);
    EXPECT(wir_catalog_find_ftype(c, "Q4_K_S") == NULL);
    EXPECT(wir_catalog_find_ggml_type(c, "Q4_K") == wir_catalog_find_ggml_type(c, "q4_K"));
    EXPECT(wir_catalog_find_ggml_type(c, "q4_K") != NULL);
    EXPECT(wir_catalog_find_ggml_type(c, "q4_k_m") == NULL);
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
}

static void test_suggest(const char *fixtures) {
    wir_diag_list diags;
    wir_catalog *c = load_valid(fixtures, &diags);
    EXPECT(c != NULL);
    if (!c) return;
    const char *out[4] = {0};
    EXPECT(wir_catalog_suggest(c, "gpu", "fixture-gp", out, 4) == 1);
    EXPECT_STR(out[0], "fixture-gpu");
    EXPECT(wir_catalog_suggest(c, "model", "llama-3-8b", out, 4) == 1);
    EXPECT_STR(out[0], "llama-3-1-8b");
    EXPECT(wir_catalog_suggest(c, "model", "qwen3-30b", out, 4) == 1);
    EXPECT_STR(out[0], "qwen3-30b-a3b");
    EXPECT(wir_catalog_suggest(c, "ftype", "Q4_K_S", out, 4) == 1);
    EXPECT_STR(out[0], "q4-k-m");
    EXPECT(wir_catalog_suggest(c, "model", "mixtral-8x22b", out, 4) == 0);
    EXPECT(wir_catalog_suggest(c, "planet", "mars", out, 4) == 0);
    EXPECT(wir_catalog_suggest(c, "gpu", "fixture-gpu", out, 0) == 0);
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
}

static void test_positions(void) {
    /* Columns count characters: "é" is two bytes, one column. */
    const char *text = "{\n  \"a\": {\"b\": [1, {\"c\": \"é\"}, true]},\n\t\"d\\u00e9\": null,\n"
                       "  \"é\": \"x\", \"e\": []\n}\n";
    wir_jpos *pos = wir_jpos_build(text, strlen(text));
    int32_t l = 0, col = 0;
    EXPECT(wir_jpos_value(pos, "", &l, &col) && l == 1 && col == 1);
    EXPECT(wir_jpos_value(pos, "a", &l, &col) && l == 2 && col == 8);
    EXPECT(wir_jpos_key(pos, "a", &l, &col) && l == 2 && col == 3);
    EXPECT(wir_jpos_value(pos, "a.b", &l, &col) && l == 2 && col == 14);
    EXPECT(wir_jpos_value(pos, "a.b[0]", &l, &col) && l == 2 && col == 15);
    EXPECT(wir_jpos_value(pos, "a.b[1]", &l, &col) && l == 2 && col == 18);
    EXPECT(wir_jpos_value(pos, "a.b[1].c", &l, &col) && l == 2 && col == 24);
    EXPECT(wir_jpos_value(pos, "a.b[2]", &l, &col) && l == 2 && col == 30);
    EXPECT(wir_jpos_key(pos, "dé", &l, &col) && l == 3 && col == 2); /* escaped key, decoded */
    EXPECT(wir_jpos_value(pos, "dé", &l, &col) && l == 3 && col == 13);
    EXPECT(wir_jpos_value(pos, "é", &l, &col) && l == 4 && col == 8);
    EXPECT(wir_jpos_value(pos, "e", &l, &col) && l == 4 && col == 18);
    EXPECT(wir_jpos_key(pos, "e", &l, &col) && l == 4 && col == 13);
    EXPECT(!wir_jpos_value(pos, "a.b[3]", &l, &col));
    EXPECT(!wir_jpos_value(pos, "z", &l, &col));
    wir_jpos_free(pos);

    /* Problems at a value, at a key, and for an absent member at its
     * object's brace. */
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    json_error_t err;
    wir_jfile f = {"mem.json", json_loads(text, 0, &err), NULL, &diags, 0};
    f.pos = wir_jpos_build(text, strlen(text));
    EXPECT(f.root != NULL);
    EXPECT(wir_jfile_get(&f, "a.b[1].c") && json_is_string(wir_jfile_get(&f, "a.b[1].c")));
    EXPECT(wir_jfile_get(&f, "a.b[7]") == NULL);
    EXPECT(wir_jfile_get(&f, "a.x.y") == NULL);
    wir_jfile_problem(&f, "a.b[2]", "value");
    wir_jfile_problem_at_key(&f, "a", "key");
    wir_jfile_problem(&f, "a.b[1].missing", "absent");
    EXPECT(diags.count == 3 && f.n_problems == 3);
    if (diags.count == 3) {
        EXPECT(diags.items[0].line == 2 && diags.items[0].column == 30);
        EXPECT_STR(diags.items[0].field, "a.b[2]");
        EXPECT(diags.items[1].line == 2 && diags.items[1].column == 3);
        EXPECT(diags.items[2].line == 2 && diags.items[2].column == 18);
        EXPECT_STR(diags.items[2].field, "a.b[1].missing");
    }
    wir_jfile_close(&f);
    wir_diag_list_free(&diags);

    char buf[128];
    json_t *v = json_string("24GB");
    wir_json_describe(v, buf, sizeof buf);
    EXPECT_STR(buf, "\"24GB\"");
    json_decref(v);
    v = json_real(8.0);
    wir_json_describe(v, buf, sizeof buf);
    EXPECT_STR(buf, "8.0");
    json_decref(v);
    v = json_real(4.15625);
    wir_json_describe(v, buf, sizeof buf);
    EXPECT_STR(buf, "4.15625");
    json_decref(v);
    v = json_string("a string well over forty characters long, cut");
    wir_json_describe(v, buf, sizeof buf);
    EXPECT_STR(buf, "\"a string well over forty characters l...\"");
    json_decref(v);

    EXPECT(wir_edit_distance("memroy_bytes", "memory_bytes", 2) == 2);
    EXPECT(wir_edit_distance("q4_k", "q4_K", 2) == 1);
    EXPECT(wir_edit_distance("abc", "abc", 0) == 0);
    EXPECT(wir_edit_distance("abcdef", "x", 2) == 3); /* capped at limit + 1 */
}

static void test_broken(const char *fixtures) {
    /* Any problem means no catalog, and every problem is listed. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../broken/gpu-types", fixtures);
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(dir, &diags);
    EXPECT(c == NULL);
    EXPECT(diags.count >= 5);
    wir_diag_list_free(&diags);

    snprintf(dir, sizeof dir, "%s/does-not-exist", fixtures);
    c = wir_catalog_load(dir, &diags);
    EXPECT(c == NULL);
    EXPECT(diags.count == 1);
    wir_diag_list_free(&diags);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_catalog FIXTURES_DIR CASE\n");
        return 2;
    }
    const char *fixtures = argv[1], *which = argv[2];
    if (!strcmp(which, "valid")) test_valid(fixtures);
    else if (!strcmp(which, "values")) test_values(fixtures);
    else if (!strcmp(which, "provenance")) test_provenance(fixtures);
    else if (!strcmp(which, "find")) test_find(fixtures);
    else if (!strcmp(which, "suggest")) test_suggest(fixtures);
    else if (!strcmp(which, "positions")) test_positions();
    else if (!strcmp(which, "broken")) test_broken(fixtures);
    else {
        fprintf(stderr, "test_catalog: unknown case '%s'\n", which);
        return 2;
    }
    if (failures) {
        fprintf(stderr, "%s: %d failed expectation%s\n", which, failures, failures == 1 ? "" : "s");
        return 1;
    }
    printf("%s: ok\n", which);
    return 0;
}
