/* probe.cuda.registry: runs everywhere the CUDA backend is built, GPU or not.
 * The registry lists "cpu" then "cuda"; list_devices never fails (0 without
 * a device); without a device estimate still fills the memory a tiny plan
 * needs and, like init, fails with DEVICE "no CUDA device: <reason>"; with
 * one, estimate succeeds and its total is what a session's arena holds. */
#include <string.h>

#include "cuda_test.h"
#include "wir_backend.h"
#include "wir_qformat.h"
#include "wir_weights.h"

int main(int argc, char **argv) {
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 1, &status);
    if (!cat) return status;
    const wir_backend_ops *all[4];
    CHECK(wir_backend_all(all, 4) == 2);
    CHECK(strcmp(all[0]->name, "cpu") == 0 && strcmp(all[1]->name, "cuda") == 0);
    const wir_backend_ops *cuda = wir_backend_find("cuda");
    CHECK(cuda == all[1]);
    wir_backend_device dev[4];
    const int32_t n = cuda->list_devices(dev, 4);
    CHECK(n >= 0);
    for (int32_t i = 0; i < n && i < 4; i++)
        printf("device %d: %s, %.2f GiB, %d SMs, %s\n", (int)i, dev[i].name,
               (double)dev[i].memory_total / (1 << 30), (int)dev[i].n_cores, dev[i].detail);

    wir_model m;
    engine_tiny_model(&engine_configs[1], &m);
    wir_weights_error we;
    wir_weights *plan = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q4-k-m"), 9,
                                                   0, false, &we);
    CHECK(plan != NULL);
    const wir_model_desc *d = wir_weights_desc(plan);
    wir_backend_params p = wir_backend_params_default();
    wir_backend_memory mem;
    wir_backend_error err;
    wir_backend_status st = wir_backend_estimate(cuda, d, &p, &mem, &err);
    printf("estimate: %s; weights %llu, kv %llu, scratch %llu, total %llu bytes\n",
           st == WIR_BACKEND_OK ? "ok" : err.text, (unsigned long long)mem.weights,
           (unsigned long long)mem.kv, (unsigned long long)mem.scratch,
           (unsigned long long)mem.total);
    CHECK(mem.weights >= d->weight_bytes - 64 * d->n_tensors && mem.kv > 0 && mem.scratch > 0);
    CHECK(mem.total == mem.weights + mem.kv + mem.scratch);
    /* KV: 2 caches x layers x n_ctx x kv_heads x head_dim x 2 bytes, each
     * cache 256-byte aligned */
    CHECK(mem.kv >= 4ull * d->hp.n_layers * (uint64_t)p.n_ctx * d->hp.n_kv_heads * d->hp.head_dim);
    if (n == 0) {
        CHECK(st == WIR_BACKEND_ERR_DEVICE && strstr(err.text, "cuda: no CUDA device: ") == err.text);
        CHECK(mem.available == 0);
        wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q4-k-m"),
                                                    9, 0, true, &we);
        CHECK(w != NULL);
        CHECK(wir_backend_session_init(cuda, wir_weights_desc(w), &p, &err) == NULL);
        printf("init: %s\n", err.text);
        CHECK(err.status == WIR_BACKEND_ERR_DEVICE && strstr(err.text, "no CUDA device") != NULL);
        wir_weights_free(w);
    } else {
        CHECK(st == WIR_BACKEND_OK && mem.available > 0);
    }
    /* the cache is F16 only, device or not */
    p.kv_type = WIR_QTYPE_F32;
    CHECK(wir_backend_estimate(cuda, d, &p, &mem, &err) == WIR_BACKEND_ERR_UNSUPPORTED);
    wir_weights_free(plan);
    wir_catalog_free(cat);
    printf("probe.cuda.registry: ok (%d CUDA device%s)\n", (int)n, n == 1 ? "" : "s");
    return 0;
}
