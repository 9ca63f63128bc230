/* Not a test: the figures probe/scripts/gpu-check.sh needs besides probe run.
 *
 *   probe_cuda_bandwidth copy
 *       the device's copy bandwidth: a 1 GiB device-to-device cudaMemcpy,
 *       best of 10, as bytes read + written per second (GB/s, 1e9);
 *   probe_cuda_bandwidth bytes DATA_DIR MODEL FTYPE
 *       the weight bytes one decoded token reads (wir_model_desc_bytes_per_token
 *       of the generated plan) and the F16 KV bytes per cached position
 *       (2 x layers x kv_heads x head_dim x 2), one line "WEIGHTS KV";
 *   probe_cuda_bandwidth fit DATA_DIR MODEL FTYPE N_CTX
 *       the CUDA backend's estimate for the plan (no weights made): one line
 *       "NEEDED AVAILABLE fits|does-not-fit" in bytes; exit 1 on an error.
 */
#include <string.h>

#include "cuda_test.h"
#include "wir_backend.h"
#include "wir_weights.h"

static int copy_bandwidth(void) {
    cuda_test_need_device("probe_cuda_bandwidth");
    const size_t n = 1ull << 30;
    void *a, *b;
    CUDA_OK(cudaMalloc(&a, n));
    CUDA_OK(cudaMalloc(&b, n));
    CUDA_OK(cudaMemset(a, 1, n));
    cudaEvent_t e0, e1;
    CUDA_OK(cudaEventCreate(&e0));
    CUDA_OK(cudaEventCreate(&e1));
    CUDA_OK(cudaMemcpy(b, a, n, cudaMemcpyDeviceToDevice)); /* warm-up */
    float best = 1e30f;
    for (int i = 0; i < 10; i++) {
        CUDA_OK(cudaEventRecord(e0, 0));
        CUDA_OK(cudaMemcpy(b, a, n, cudaMemcpyDeviceToDevice));
        CUDA_OK(cudaEventRecord(e1, 0));
        CUDA_OK(cudaEventSynchronize(e1));
        float ms;
        CUDA_OK(cudaEventElapsedTime(&ms, e0, e1));
        if (ms < best) best = ms;
    }
    printf("%.1f\n", 2.0 * (double)n / (best * 1e-3) / 1e9);
    cudaFree(a), cudaFree(b);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "copy") == 0) return copy_bandwidth();
    const bool fit = argc == 6 && strcmp(argv[1], "fit") == 0;
    if (!fit && (argc != 5 || strcmp(argv[1], "bytes") != 0)) {
        fprintf(stderr, "usage: %s copy | bytes DATA_DIR MODEL FTYPE | fit DATA_DIR MODEL FTYPE N_CTX\n",
                argv[0]);
        return 2;
    }
    int status;
    char *args[] = {argv[0], argv[2]};
    wir_catalog *cat = engine_test_start(2, args, 1, &status);
    if (!cat) return status;
    wir_weights_error we;
    wir_weights *plan = wir_weights_plan_generated(cat, argv[3], argv[4], &we);
    if (!plan) {
        fprintf(stderr, "%s\n", we.text);
        wir_catalog_free(cat);
        return 1;
    }
    const wir_model_desc *d = wir_weights_desc(plan);
    if (fit) {
        wir_backend_params p = wir_backend_params_default();
        p.n_ctx = atoi(argv[5]);
        wir_backend_memory mem;
        wir_backend_error err;
        const wir_backend_ops *cuda = wir_backend_find("cuda");
        int rc = 0;
        if (!cuda || wir_backend_estimate(cuda, d, &p, &mem, &err) != WIR_BACKEND_OK) {
            fprintf(stderr, "%s\n", cuda ? err.text : "no cuda backend");
            rc = 1;
        } else {
            printf("%llu %llu %s\n", (unsigned long long)mem.total, (unsigned long long)mem.available,
                   mem.total > mem.available ? "does-not-fit" : "fits");
        }
        wir_weights_free(plan);
        wir_catalog_free(cat);
        return rc;
    }
    printf("%llu %llu\n", (unsigned long long)wir_model_desc_bytes_per_token(d),
           4ull * (unsigned long long)d->hp.n_layers * (unsigned long long)d->hp.n_kv_heads *
               (unsigned long long)d->hp.head_dim);
    wir_weights_free(plan);
    wir_catalog_free(cat);
    return 0;
}
