#include "engine_cases.h"

#include <stdio.h>
#include <string.h>

int engine_case_request(const wir_catalog *c, const loadlog_case *k, engine_case_env *env,
                        wir_fit_request *rq) {
    memset(env, 0, sizeof *env);
    const wir_runtime *rt = wir_catalog_find_runtime(c, "llama-cpp");
    if (!rt) {
        fprintf(stderr, "no runtimes/llama-cpp.json in the catalog\n");
        return -1;
    }
    env->runtime = *rt;
    env->runtime.kv_pad_cells = 1;
    /* The buffers do not depend on the device's size: a large one. */
    env->gpu.slug = "loadlog-device";
    env->gpu.name = "load log device";
    env->gpu.memory_bytes = (int64_t)1 << 40;
    env->gpu.memory_bandwidth_gb_s = 1000;
    wir_fit_request_init(rq);
    if (k->model) {
        rq->model = wir_catalog_find_model(c, k->model);
    } else {
        wir_model *m = &env->glm4;
        /* THUDM/GLM-Z1-32B-0414 config.json, as tests/quants/file_size_accuracy.c. */
        m->slug = "glm-z1-32b-0414";
        m->architecture = "glm4";
        m->n_layers = 61;
        m->hidden_size = 6144;
        m->n_heads = 48;
        m->n_kv_heads = 2;
        m->head_dim = 128;
        m->ffn_size = 23040;
        m->vocab_size = 151552;
        m->qkv_bias = true;
        m->post_norms = true;
        m->context_length = 32768;
        rq->model = m;
    }
    rq->ftype = wir_catalog_find_ftype(c, k->ftype);
    rq->kv_type = wir_catalog_find_ggml_type(c, k->kv_type);
    if (!rq->model || !rq->ftype || !rq->kv_type) {
        fprintf(stderr, "%s: the catalog lacks %s, %s or %s\n", k->label,
                k->model ? k->model : "glm4", k->ftype, k->kv_type);
        return -1;
    }
    rq->runtime = &env->runtime;
    rq->ctx = k->n_ctx;
    rq->n_batch = k->n_batch;
    rq->n_ubatch = k->n_ubatch;
    rq->flash_attn = k->flash_attn;
    rq->gpu = k->n_gpus > 0 ? &env->gpu : NULL;
    rq->gpu_count = k->n_gpus > 0 ? k->n_gpus : 1;
    rq->n_gpu_layers = k->n_gpu_layers;
    return 0;
}
