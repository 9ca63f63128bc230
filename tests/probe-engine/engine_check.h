/* Shared bits of the engine tests: the probe-gguf assertions, the model
 * configurations and file types every test walks. */
#ifndef ENGINE_CHECK_H
#define ENGINE_CHECK_H

#include "../probe-gguf/check.h"
#include "engine_ref.h"

/* Architecture x attention x embeddings x RoPE variants. */
static const engine_tiny engine_configs[] = {
    {"llama", 2, false, false, NULL},     /* GQA 4:2, separate output */
    {"qwen2", 2, true, true, NULL},       /* GQA, Q/K/V biases, tied, NEOX RoPE */
    {"llama", 4, false, true, "llama3"},  /* no GQA, tied, Llama 3.1 scaling */
    {"llama", 1, false, false, "linear"}, /* multi-query 4:1, linear scaling */
};
enum { ENGINE_N_CONFIGS = sizeof engine_configs / sizeof engine_configs[0] };

static inline const char *engine_config_name(const engine_tiny *c) {
    static char buf[96];
    snprintf(buf, sizeof buf, "%s kv%d%s%s%s%s", c->arch, (int)c->n_kv_heads,
             c->qkv_bias ? " bias" : "", c->tied ? " tied" : "", c->rope_scaling ? " rope-" : "",
             c->rope_scaling ? c->rope_scaling : "");
    return buf;
}

/* Every llama.cpp file type whose tensors the probe computes. */
static const char *const engine_ftypes[] = {"f32",    "f16",    "bf16",   "q8-0",   "q4-0",
                                            "q4-1",   "q5-0",   "q5-1",   "q4-k-s", "q4-k-m",
                                            "q5-k-s", "q5-k-m", "q6-k"};
enum { ENGINE_N_FTYPES = sizeof engine_ftypes / sizeof engine_ftypes[0] };

#endif
