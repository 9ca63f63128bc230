/* Unit tests of wir_quant_assign against data/quants/: the per-tensor type
 * mixes llama.cpp's quantizer produces (src/llama-quant.cpp, see
 * the commit cited in data/quants/llama-cpp/<slug>.json), checked tensor by tensor.
 *
 * usage: test_quant_assign DATA_DIR CASE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quants_shim.h"
#include "wir_quant_assign.h"
#include "wir_tensors.h"

static int failures;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            failures++;                                                    \
        }                                                                  \
    } while (0)

/* Shapes from the models' Hugging Face config.json files. */
static const quants_shape llama31_8b = {"llama", 32, 4096, 32, 8, 128, 14336, 128256,
                                        false, false, false, false, 0, 0, 0};
static const quants_shape llama31_70b = {"llama", 80, 8192, 64, 8, 128, 28672, 128256,
                                         false, false, false, false, 0, 0, 0};
static const quants_shape llama32_1b = {"llama", 16, 2048, 32, 8, 64, 8192, 128256,
                                        true, false, false, false, 0, 0, 0};
static const quants_shape mixtral_8x7b = {"llama", 32, 4096, 32, 8, 128, 0, 32000,
                                          false, false, false, false, 8, 2, 14336};
static const quants_shape qwen25_05b = {"qwen2", 24, 896, 14, 2, 64, 4864, 151936,
                                        true, true, false, false, 0, 0, 0};

/* A model's tensors with the types assigned for a file type. */
typedef struct typed_model {
    wir_model model;
    wir_tensor_list list;
    const wir_ggml_type **types;
} typed_model;

static int typed_model_init(typed_model *tm, const wir_catalog *c, const quants_shape *s,
                            const char *ftype) {
    const wir_ftype *ft = quants_shim_ftype(c, ftype);
    if (!ft) {
        fprintf(stderr, "no file type %s in the data\n", ftype);
        return -1;
    }
    tm->model = quants_shim_model(s);
    if (wir_tensors_of_model(&tm->model, &tm->list) != 0) return -1;
    tm->types = calloc(tm->list.count, sizeof *tm->types);
    if (!tm->types) abort();
    return wir_quant_assign(c, &tm->model, ft, &tm->list, tm->types);
}

static void typed_model_free(typed_model *tm) {
    free(tm->types);
    wir_tensor_list_free(&tm->list);
}

/* The type name of the tensor called name, or "(absent)". */
static const char *type_of(const typed_model *tm, const char *name) {
    for (size_t i = 0; i < tm->list.count; i++)
        if (strcmp(tm->list.items[i].name, name) == 0) return tm->types[i]->name;
    return "(absent)";
}

static const char *layer_type(const typed_model *tm, int layer, const char *kind) {
    char name[64];
    snprintf(name, sizeof name, "blk.%d.%s.weight", layer, kind);
    return type_of(tm, name);
}

static int count_type(const typed_model *tm, const char *type) {
    int n = 0;
    for (size_t i = 0; i < tm->list.count; i++) n += strcmp(tm->types[i]->name, type) == 0;
    return n;
}

/* Every file type the issue names is present with llama.cpp's ftype id. */
static void test_data(const wir_catalog *c) {
    static const struct {
        const char *name;
        int id;
    } want[] = {{"F32", 0},      {"F16", 1},      {"Q4_0", 2},     {"Q4_1", 3},      {"Q8_0", 7},
                {"Q5_0", 8},     {"Q5_1", 9},     {"Q2_K", 10},    {"Q3_K_S", 11},   {"Q3_K_M", 12},
                {"Q3_K_L", 13},  {"Q4_K_S", 14},  {"Q4_K_M", 15},  {"Q5_K_S", 16},   {"Q5_K_M", 17},
                {"Q6_K", 18},    {"IQ2_XXS", 19}, {"IQ2_XS", 20},  {"Q2_K_S", 21},   {"IQ3_XS", 22},
                {"IQ3_XXS", 23}, {"IQ1_S", 24},   {"IQ4_NL", 25},  {"IQ3_S", 26},    {"IQ3_M", 27},
                {"IQ2_S", 28},   {"IQ2_M", 29},   {"IQ4_XS", 30},  {"IQ1_M", 31},    {"BF16", 32}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const wir_ftype *ft = quants_shim_ftype(c, want[i].name);
        CHECK(ft != NULL, "file type %s missing", want[i].name);
        if (ft) CHECK(ft->ftype == want[i].id, "%s: ftype %d", want[i].name, (int)ft->ftype);
    }
    CHECK(c->n_ftypes == sizeof want / sizeof want[0], "%zu file types", c->n_ftypes);
    /* Rules only name the kinds data/README.md lists (a typo would never match). */
    static const char *const kinds[] = {"token_embd", "output", "attn_q", "attn_k", "attn_v",
                                        "attn_output", "attn_qkv", "ffn_gate", "ffn_up", "ffn_down"};
    for (size_t f = 0; f < c->n_ftypes; f++) {
        for (size_t r = 0; r < c->ftypes[f].n_rules; r++) {
            bool known = false;
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
                known |= strcmp(c->ftypes[f].rules[r].tensor, kinds[k]) == 0;
            CHECK(known, "%s: rule for unknown kind %s", c->ftypes[f].name, c->ftypes[f].rules[r].tensor);
        }
    }
    /* Spot checks of the type table against ggml-common.h's block sizes. */
    for (size_t i = 0; i < c->n_ggml_types; i++) {
        const wir_ggml_type *g = &c->ggml_types[i];
        if (strcmp(g->name, "q4_K") == 0) CHECK(g->id == 12 && g->block_size == 256 && g->type_size == 144, "q4_K");
        if (strcmp(g->name, "q6_K") == 0) CHECK(g->id == 14 && g->type_size == 210, "q6_K");
        if (strcmp(g->name, "iq4_xs") == 0) CHECK(g->id == 23 && g->type_size == 136, "iq4_xs");
    }
}

/* Llama 3.1 8B Q4_K_M: q6_K attn_v and ffn_down exactly in the use_more_bits
 * layers of 32 (0-3, 6, 9, ..., 27, 28-31), q6_K output, q4_K token_embd:
 * 193 q4_K, 33 q6_K and 65 f32 tensors, the mix llama.cpp prints for the
 * published Llama 3 8B Q4_K_M files. */
static void test_llama31_8b_q4_k_m(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &llama31_8b, "Q4_K_M") == 0, "assign");
    static const int more_bits[] = {0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31};
    for (int l = 0; l < 32; l++) {
        bool more = false;
        for (size_t k = 0; k < sizeof more_bits / sizeof more_bits[0]; k++) more |= more_bits[k] == l;
        const char *want = more ? "q6_K" : "q4_K";
        CHECK(strcmp(layer_type(&tm, l, "attn_v"), want) == 0, "layer %d attn_v %s", l, layer_type(&tm, l, "attn_v"));
        CHECK(strcmp(layer_type(&tm, l, "ffn_down"), want) == 0, "layer %d ffn_down %s", l, layer_type(&tm, l, "ffn_down"));
        CHECK(strcmp(layer_type(&tm, l, "attn_q"), "q4_K") == 0, "layer %d attn_q", l);
        CHECK(strcmp(layer_type(&tm, l, "attn_k"), "q4_K") == 0, "layer %d attn_k", l);
        CHECK(strcmp(layer_type(&tm, l, "attn_output"), "q4_K") == 0, "layer %d attn_output", l);
        CHECK(strcmp(layer_type(&tm, l, "ffn_gate"), "q4_K") == 0, "layer %d ffn_gate", l);
        CHECK(strcmp(layer_type(&tm, l, "ffn_up"), "q4_K") == 0, "layer %d ffn_up", l);
        CHECK(strcmp(layer_type(&tm, l, "attn_norm"), "f32") == 0, "layer %d attn_norm", l);
        CHECK(strcmp(layer_type(&tm, l, "ffn_norm"), "f32") == 0, "layer %d ffn_norm", l);
    }
    CHECK(strcmp(type_of(&tm, "output.weight"), "q6_K") == 0, "output %s", type_of(&tm, "output.weight"));
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q4_K") == 0, "token_embd %s", type_of(&tm, "token_embd.weight"));
    CHECK(strcmp(type_of(&tm, "output_norm.weight"), "f32") == 0, "output_norm");
    CHECK(count_type(&tm, "q4_K") == 193, "q4_K count %d", count_type(&tm, "q4_K"));
    CHECK(count_type(&tm, "q6_K") == 33, "q6_K count %d", count_type(&tm, "q6_K"));
    CHECK(count_type(&tm, "f32") == 65, "f32 count %d", count_type(&tm, "f32"));
    typed_model_free(&tm);
}

/* Legacy and 8-bit files: output q6_K for Q4_0, q8_0 for Q8_0; embeddings
 * in the default type. F16/BF16: every 2-D weight in the default, 1-D f32. */
static void test_output_rules(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &llama31_8b, "Q4_0") == 0, "assign");
    CHECK(strcmp(type_of(&tm, "output.weight"), "q6_K") == 0, "Q4_0 output %s", type_of(&tm, "output.weight"));
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q4_0") == 0, "Q4_0 token_embd");
    CHECK(strcmp(layer_type(&tm, 0, "ffn_down"), "q4_0") == 0, "Q4_0 ffn_down");
    typed_model_free(&tm);

    CHECK(typed_model_init(&tm, c, &llama31_8b, "Q8_0") == 0, "assign");
    CHECK(strcmp(type_of(&tm, "output.weight"), "q8_0") == 0, "Q8_0 output %s", type_of(&tm, "output.weight"));
    CHECK(count_type(&tm, "q8_0") == 32 * 7 + 2, "Q8_0 count %d", count_type(&tm, "q8_0"));
    typed_model_free(&tm);

    const char *halves[] = {"F16", "BF16"};
    const char *names[] = {"f16", "bf16"};
    for (int h = 0; h < 2; h++) {
        CHECK(typed_model_init(&tm, c, &llama31_8b, halves[h]) == 0, "assign");
        CHECK(count_type(&tm, names[h]) == 32 * 7 + 2, "%s count %d", halves[h], count_type(&tm, names[h]));
        CHECK(count_type(&tm, "f32") == 65, "%s f32 count", halves[h]);
        typed_model_free(&tm);
    }
}

/* Tied embeddings (Llama 3.2 1B): no output tensor, token_embd follows the
 * output rules (q6_K in Q4_K_M; q5_K in IQ2_XXS instead of q2_K). */
static void test_tied(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &llama32_1b, "Q4_K_M") == 0, "assign");
    CHECK(strcmp(type_of(&tm, "output.weight"), "(absent)") == 0, "tied model has an output tensor");
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q6_K") == 0, "tied token_embd %s", type_of(&tm, "token_embd.weight"));
    /* 16 layers: use_more_bits is 0, 1, 4, 7, 10, 13, 14, 15. */
    CHECK(strcmp(layer_type(&tm, 4, "attn_v"), "q6_K") == 0, "layer 4 attn_v");
    CHECK(strcmp(layer_type(&tm, 5, "attn_v"), "q4_K") == 0, "layer 5 attn_v");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &llama32_1b, "IQ2_XXS") == 0, "assign");
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q5_K") == 0, "tied IQ2_XXS token_embd %s", type_of(&tm, "token_embd.weight"));
    typed_model_free(&tm);
}

/* 70B (llama, 80 layers, GQA): q4_K attn_v becomes q5_K; Q4_0 is untouched;
 * the IQ2 mixes skip the bump. */
static void test_70b(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &llama31_70b, "Q4_K_M") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 0, "attn_v"), "q6_K") == 0, "70B layer 0 attn_v %s", layer_type(&tm, 0, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 11, "attn_v"), "q5_K") == 0, "70B layer 11 attn_v %s", layer_type(&tm, 11, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 11, "ffn_down"), "q4_K") == 0, "70B layer 11 ffn_down");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &llama31_70b, "Q4_0") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 11, "attn_v"), "q4_0") == 0, "70B Q4_0 attn_v");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &llama31_70b, "IQ2_XS") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 11, "attn_v"), "q4_K") == 0, "70B IQ2_XS attn_v %s", layer_type(&tm, 11, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 0, "ffn_down"), "q2_K") == 0, "70B IQ2_XS first-eighth ffn_down");
    CHECK(strcmp(layer_type(&tm, 10, "ffn_down"), "iq2_xs") == 0, "70B IQ2_XS ffn_down");
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q2_K") == 0, "IQ2_XS token_embd");
    CHECK(strcmp(type_of(&tm, "output.weight"), "q5_K") == 0, "IQ2_XS output");
    typed_model_free(&tm);
}

/* Mixtral 8x7B: attn_v and attn_k q8_0, attn_output q5_K, the router f32,
 * stacked expert ffn_down counted once per layer (use_more_bits of 32). */
static void test_moe(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &mixtral_8x7b, "Q4_K_M") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 5, "attn_v"), "q8_0") == 0, "8-expert attn_v %s", layer_type(&tm, 5, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 5, "attn_k"), "q8_0") == 0, "8-expert attn_k");
    CHECK(strcmp(layer_type(&tm, 5, "attn_q"), "q4_K") == 0, "8-expert attn_q");
    CHECK(strcmp(layer_type(&tm, 5, "attn_output"), "q5_K") == 0, "8-expert attn_output");
    CHECK(strcmp(layer_type(&tm, 5, "ffn_gate_inp"), "f32") == 0, "router");
    CHECK(strcmp(layer_type(&tm, 6, "ffn_down_exps"), "q6_K") == 0, "layer 6 experts ffn_down %s", layer_type(&tm, 6, "ffn_down_exps"));
    CHECK(strcmp(layer_type(&tm, 7, "ffn_down_exps"), "q4_K") == 0, "layer 7 experts ffn_down");
    CHECK(strcmp(layer_type(&tm, 7, "ffn_gate_exps"), "q4_K") == 0, "layer 7 experts ffn_gate");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &mixtral_8x7b, "IQ2_XXS") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 5, "attn_v"), "q4_K") == 0, "IQ2_XXS 8-expert attn_v %s", layer_type(&tm, 5, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 5, "attn_k"), "q4_K") == 0, "IQ2_XXS 8-expert attn_k %s", layer_type(&tm, 5, "attn_k"));
    CHECK(strcmp(layer_type(&tm, 5, "attn_output"), "q5_K") == 0, "IQ2_XXS 8-expert attn_output");
    typed_model_free(&tm);
}

/* Rows that k-quant blocks do not divide (Qwen2.5 0.5B, hidden 896): q4_K
 * falls back to q5_0, q6_K to q8_0; the tied output takes q8_0 at once;
 * ffn_down's rows (4864 = 19 x 256) keep their k-quant. A row of 100 fits
 * no block at all and ends in f16. */
static void test_fallbacks(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &qwen25_05b, "Q4_K_M") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 1, "attn_q"), "q5_0") == 0, "attn_q %s", layer_type(&tm, 1, "attn_q"));
    CHECK(strcmp(layer_type(&tm, 0, "attn_v"), "q8_0") == 0, "attn_v (q6_K) %s", layer_type(&tm, 0, "attn_v"));
    CHECK(strcmp(layer_type(&tm, 0, "ffn_down"), "q6_K") == 0, "ffn_down %s", layer_type(&tm, 0, "ffn_down"));
    CHECK(strcmp(layer_type(&tm, 1, "ffn_down"), "q6_K") == 0, "ffn_down 1");
    CHECK(strcmp(layer_type(&tm, 4, "ffn_down"), "q4_K") == 0, "ffn_down 4 %s", layer_type(&tm, 4, "ffn_down"));
    CHECK(strcmp(type_of(&tm, "token_embd.weight"), "q8_0") == 0, "tied token_embd %s", type_of(&tm, "token_embd.weight"));
    CHECK(strcmp(type_of(&tm, "blk.0.attn_q.bias"), "f32") == 0, "bias");
    typed_model_free(&tm);

    const wir_ftype *ft = quants_shim_ftype(c, "Q4_K_M");
    wir_model m = quants_shim_model(&llama31_8b);
    wir_tensor_list list = {0};
    wir_tensor odd = {.name = "blk.0.attn_q.weight", .kind = "attn_q", .layer = 0, .n_dims = 2, .ne = {100, 64, 1}};
    list.items = &odd;
    list.count = 1;
    const wir_ggml_type *type = NULL;
    CHECK(wir_quant_assign(c, &m, ft, &list, &type) == 0, "assign");
    CHECK(type && strcmp(type->name, "f16") == 0, "row of 100 -> %s", type ? type->name : "NULL");
    CHECK(wir_quant_tensor_bytes(&odd, type) == 100 * 64 * 2, "f16 bytes");
}

/* Per-ftype rules the Q4_K_M case does not exercise. */
static void test_other_mixes(const wir_catalog *c) {
    typed_model tm;
    CHECK(typed_model_init(&tm, c, &llama31_8b, "Q3_K_M") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 1, "attn_v"), "q5_K") == 0, "Q3_K_M attn_v 1");
    CHECK(strcmp(layer_type(&tm, 2, "attn_v"), "q4_K") == 0, "Q3_K_M attn_v 2");
    CHECK(strcmp(layer_type(&tm, 1, "ffn_down"), "q5_K") == 0, "Q3_K_M ffn_down 1");
    CHECK(strcmp(layer_type(&tm, 2, "ffn_down"), "q4_K") == 0, "Q3_K_M ffn_down 2");
    CHECK(strcmp(layer_type(&tm, 2, "attn_output"), "q4_K") == 0, "Q3_K_M attn_output");
    CHECK(strcmp(layer_type(&tm, 2, "ffn_up"), "q3_K") == 0, "Q3_K_M ffn_up");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &llama31_8b, "IQ3_XS") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 3, "ffn_gate"), "iq3_s") == 0, "IQ3_XS ffn_gate 3");
    CHECK(strcmp(layer_type(&tm, 4, "ffn_gate"), "iq3_xxs") == 0, "IQ3_XS ffn_gate 4");
    CHECK(strcmp(layer_type(&tm, 27, "ffn_up"), "iq3_xxs") == 0, "IQ3_XS ffn_up 27");
    CHECK(strcmp(layer_type(&tm, 28, "ffn_up"), "iq3_s") == 0, "IQ3_XS ffn_up 28");
    CHECK(strcmp(layer_type(&tm, 28, "attn_v"), "q4_K") == 0, "IQ3_XS attn_v (GQA 4)");
    CHECK(strcmp(layer_type(&tm, 28, "attn_k"), "iq3_xxs") == 0, "IQ3_XS attn_k");
    typed_model_free(&tm);
    CHECK(typed_model_init(&tm, c, &llama31_8b, "Q4_K_S") == 0, "assign");
    CHECK(strcmp(layer_type(&tm, 3, "attn_v"), "q5_K") == 0, "Q4_K_S attn_v 3");
    CHECK(strcmp(layer_type(&tm, 4, "attn_v"), "q4_K") == 0, "Q4_K_S attn_v 4");
    CHECK(strcmp(layer_type(&tm, 3, "ffn_down"), "q5_K") == 0, "Q4_K_S ffn_down 3");
    CHECK(strcmp(layer_type(&tm, 4, "ffn_down"), "q4_K") == 0, "Q4_K_S ffn_down 4");
    typed_model_free(&tm);
}

static void test_bytes(const wir_catalog *c) {
    const wir_ggml_type *q4k = NULL;
    for (size_t i = 0; i < c->n_ggml_types; i++)
        if (strcmp(c->ggml_types[i].name, "q4_K") == 0) q4k = &c->ggml_types[i];
    wir_tensor t = {.name = "x", .kind = "attn_q", .n_dims = 2, .ne = {4096, 4096, 1}};
    CHECK(wir_quant_tensor_bytes(&t, q4k) == 4096 / 256 * 144 * 4096, "q4_K bytes");
    wir_tensor e = {.name = "x", .kind = "ffn_up", .n_dims = 3, .ne = {4096, 14336, 8}};
    CHECK(wir_quant_tensor_bytes(&e, q4k) == (int64_t)4096 / 256 * 144 * 14336 * 8, "experts bytes");
    wir_tensor odd = {.name = "x", .kind = "attn_q", .n_dims = 2, .ne = {896, 896, 1}};
    CHECK(wir_quant_tensor_bytes(&odd, q4k) == -1, "non-multiple row");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DATA_DIR CASE\n", argv[0]);
        return 2;
    }
    wir_catalog *c = quants_shim_load(argv[1]);
    if (!c) return 1;
    const struct {
        const char *name;
        void (*fn)(const wir_catalog *);
    } cases[] = {{"data", test_data},         {"llama31_8b_q4_k_m", test_llama31_8b_q4_k_m},
                 {"output", test_output_rules}, {"tied", test_tied},
                 {"70b", test_70b},           {"moe", test_moe},
                 {"fallbacks", test_fallbacks}, {"mixes", test_other_mixes},
                 {"bytes", test_bytes}};
    bool found = false;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(cases[i].name, argv[2]) != 0) continue;
        cases[i].fn(c);
        found = true;
    }
    quants_shim_free(c);
    if (!found) {
        fprintf(stderr, "unknown case %s\n", argv[2]);
        return 2;
    }
    return failures ? 1 : 0;
}
