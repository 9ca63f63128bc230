/* probe_engine_bench: CPU decode speed of a generated catalog model, and the
 * machine's memory copy bandwidth, for probe/scripts/cpu-bench.sh (not a
 * test: figures depend on the machine).
 *
 *   probe_engine_bench DATA_DIR MODEL FTYPE THREADS N_GEN [N_PROMPT]
 *
 * Generates MODEL at FTYPE, prefills N_PROMPT tokens (default 16), then
 * times N_GEN single-token decode steps and prints one line of key=value
 * figures: decode tokens/s, weight bytes one token reads, the effective
 * bandwidth (bytes per token x tokens/s), the memcpy bandwidth with the
 * same number of threads (bytes copied per second; the traffic is twice
 * that, a read and a write), and the ratio effective / copy.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wir_backend.h"
#include "wir_diag.h"
#include "wir_qformat.h"
#include "wir_weights.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct copy_job {
    uint8_t *dst;
    const uint8_t *src;
    size_t n;
    int reps;
} copy_job;

static void *copy_thread(void *arg) {
    copy_job *j = arg;
    for (int r = 0; r < j->reps; r++) {
        memcpy(j->dst, j->src, j->n);
        __asm__ volatile("" ::: "memory");
    }
    return NULL;
}

/* Bytes copied per second by THREADS threads, each memcpy-ing its slice of
 * a 512 MiB buffer (far beyond any cache) REPS times; best of 3. */
static double copy_bandwidth(int threads) {
    const size_t n = (size_t)512 << 20;
    uint8_t *a = malloc(n), *b = malloc(n);
    if (!a || !b) return 0;
    memset(a, 1, n);
    memset(b, 2, n);
    double best = 0;
    for (int trial = 0; trial < 3; trial++) {
        pthread_t th[256];
        copy_job jobs[256];
        int nt = threads < 256 ? threads : 256;
        double t0 = now_s();
        for (int i = 0; i < nt; i++) {
            size_t lo = n * (size_t)i / (size_t)nt, hi = n * (size_t)(i + 1) / (size_t)nt;
            jobs[i] = (copy_job){b + lo, a + lo, hi - lo, 4};
            if (i > 0) pthread_create(&th[i], NULL, copy_thread, &jobs[i]);
        }
        copy_thread(&jobs[0]);
        for (int i = 1; i < nt; i++) pthread_join(th[i], NULL);
        double bw = 4.0 * (double)n / (now_s() - t0);
        if (bw > best) best = bw;
    }
    free(a);
    free(b);
    return best;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s DATA_DIR MODEL FTYPE THREADS N_GEN [N_PROMPT]\n", argv[0]);
        return 2;
    }
    const int threads = atoi(argv[4]), n_gen = atoi(argv[5]);
    const int n_prompt = argc > 6 ? atoi(argv[6]) : 16;
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *cat = wir_catalog_load(argv[1], &diags);
    if (!cat) {
        wir_diag_list_print(stderr, &diags);
        return 1;
    }
    wir_diag_list_free(&diags);
    wir_weights_error werr;
    double t0 = now_s();
    wir_weights *w = wir_weights_generate(cat, argv[2], argv[3], 1, threads, &werr);
    if (!w) {
        fprintf(stderr, "%s\n", werr.text);
        return 1;
    }
    const double gen_s = now_s() - t0;
    const wir_model_desc *d = wir_weights_desc(w);
    wir_backend_params p = wir_backend_params_default();
    p.n_threads = threads;
    p.n_ctx = n_prompt + n_gen + 8;
    p.n_batch = n_prompt > 0 ? n_prompt : 1;
    wir_backend_error berr;
    wir_backend_session *s = wir_backend_session_init(wir_backend_cpu(), d, &p, &berr);
    if (!s) {
        fprintf(stderr, "%s\n", berr.text);
        return 1;
    }
    int32_t *tok = malloc(sizeof(int32_t) * (size_t)(n_prompt + n_gen + 1));
    for (int i = 0; i < n_prompt + n_gen + 1; i++) tok[i] = (int32_t)((i * 7919 + 13) % d->hp.n_vocab);
    if (n_prompt > 0 && wir_backend_session_eval(s, tok, n_prompt, 0, false, NULL, &berr) != WIR_BACKEND_OK) {
        fprintf(stderr, "%s\n", berr.text);
        return 1;
    }
    wir_backend_session_profile_reset(s);
    for (int i = 0; i < n_gen; i++)
        if (wir_backend_session_eval(s, tok + n_prompt + i, 1, n_prompt + i, false, NULL, &berr) !=
            WIR_BACKEND_OK) {
            fprintf(stderr, "%s\n", berr.text);
            return 1;
        }
    wir_backend_profile pr;
    wir_backend_session_profile(s, &pr);
    const wir_backend_phase_profile *dc = &pr.phase[WIR_BACKEND_PHASE_DECODE];
    const double secs = (double)dc->ns_total * 1e-9;
    const double tps = dc->n_tokens / secs;
    const double bytes = (double)wir_model_desc_bytes_per_token(d);
    const double eff = bytes * tps;
    const double copy = copy_bandwidth(threads);
    printf("model=%s ftype=%s threads=%d weights_gib=%.3f gen_s=%.1f decode_tokens=%d depth=%d "
           "tokens_per_s=%.2f bytes_per_token=%.0f effective_gb_s=%.2f copy_gb_s=%.2f "
           "copy_traffic_gb_s=%.2f ratio_to_copy=%.2f matmul=%.0f%% attention=%.0f%% other=%.0f%%\n",
           argv[2], d->id.ftype_name, threads, (double)d->weight_bytes / (1 << 30), gen_s,
           (int)dc->n_tokens, n_prompt, tps, bytes, eff / 1e9, copy / 1e9, 2 * copy / 1e9, eff / copy,
           100.0 * (double)dc->ns_matmul / (double)dc->ns_total,
           100.0 * (double)dc->ns_attention / (double)dc->ns_total,
           100.0 * (double)dc->ns_other / (double)dc->ns_total);
    free(tok);
    wir_backend_session_free(s);
    wir_weights_free(w);
    wir_catalog_free(cat);
    return 0;
}
