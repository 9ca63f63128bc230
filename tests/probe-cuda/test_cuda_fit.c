/* probe.cuda.fit: what does not fit is reported, not crashed on.
 *   - the arena asked for more than the device's free memory fails with
 *     NO_MEMORY and "does not fit: needs ..., ... free", and the device is
 *     still usable afterwards;
 *   - a session whose KV cache cannot fit (a tiny model with a context of
 *     2^31-1... clipped to what makes the cache exceed free memory) fails
 *     init the same way;
 *   - the estimate of Llama 3.1 70B in F16 (a plan: no weights made) says
 *     more than 130 GiB, and on a device with less free memory than that
 *     (an 80 GB card) total > available: the driver's does-not-fit. */
#include <string.h>

#include "cuda_test.h"
#include "wir_backend.h"
#include "wir_cuda_arena.cuh"
#include "wir_weights.h"

int main(int argc, char **argv) {
    cuda_test_need_device("probe.cuda.fit");
    int status;
    wir_catalog *cat = engine_test_start(argc, argv, 1, &status);
    if (!cat) return status;
    size_t fr = 0, tot = 0;
    CUDA_OK(cudaMemGetInfo(&fr, &tot));

    wir_cuda_arena a;
    wir_backend_error err;
    CHECK(wir_cuda_arena_init(&a, (uint64_t)fr + (1ull << 30), &err) == WIR_BACKEND_ERR_NO_MEMORY);
    printf("arena: %s\n", err.text);
    CHECK(strstr(err.text, "does not fit: needs") != NULL);
    CHECK(wir_cuda_arena_init(&a, 1 << 20, &err) == WIR_BACKEND_OK); /* still usable */
    CHECK(wir_cuda_arena_take(&a, 100) == a.base);
    CHECK((uint8_t *)wir_cuda_arena_take(&a, 1) == a.base + WIR_CUDA_ARENA_ALIGN);
    wir_cuda_arena_free(&a);

    const wir_backend_ops *cuda = wir_backend_find("cuda");
    CHECK(cuda != NULL);
    wir_model m;
    engine_tiny_model(&engine_configs[0], &m);
    wir_weights_error we;
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q4-0"), 9, 0,
                                                true, &we);
    CHECK(w != NULL);
    const wir_model_desc *d = wir_weights_desc(w);
    wir_backend_params p = wir_backend_params_default();
    /* KV bytes per position: 2 * layers * kv_heads * head_dim * 2 */
    const uint64_t per_pos = 4ull * d->hp.n_layers * d->hp.n_kv_heads * d->hp.head_dim;
    const uint64_t want = (uint64_t)fr / per_pos + 1024;
    p.n_ctx = want > 0x7fffffff ? 0x7fffffff : (int32_t)want;
    wir_backend_memory mem;
    CHECK(wir_backend_estimate(cuda, d, &p, &mem, &err) == WIR_BACKEND_OK);
    CHECK(mem.total > mem.available);
    CHECK(wir_backend_session_init(cuda, d, &p, &err) == NULL);
    printf("session: %s\n", err.text);
    CHECK(err.status == WIR_BACKEND_ERR_NO_MEMORY && strstr(err.text, "does not fit") != NULL);
    p = wir_backend_params_default();
    wir_backend_session *s = wir_backend_session_init(cuda, d, &p, &err); /* still usable */
    CHECK(s != NULL);
    wir_backend_session_memory(s, &mem);
    wir_backend_memory est;
    CHECK(wir_backend_estimate(cuda, d, &p, &est, &err) == WIR_BACKEND_OK);
    CHECK(est.total == mem.total && mem.peak == mem.total); /* the arena is the estimate */
    wir_backend_session_free(s);
    wir_weights_free(w);

    wir_weights *plan = wir_weights_plan_generated(cat, "llama-3-1-70b", "F16", &we);
    if (!plan) fprintf(stderr, "plan: %s\n", we.text);
    CHECK(plan != NULL);
    p = wir_backend_params_default();
    CHECK(wir_backend_estimate(cuda, wir_weights_desc(plan), &p, &mem, &err) == WIR_BACKEND_OK);
    printf("llama-3-1-70b F16: needs %.2f GiB, %.2f GiB free of %.2f GiB: %s\n",
           (double)mem.total / (1 << 30), (double)mem.available / (1 << 30),
           (double)tot / (1 << 30), mem.total > mem.available ? "does not fit" : "fits");
    CHECK(mem.total > 130ull << 30);
    CHECK(mem.available == 0 || (mem.total > mem.available) == (mem.total > fr));
    wir_weights_free(plan);
    wir_catalog_free(cat);
    return 0;
}
