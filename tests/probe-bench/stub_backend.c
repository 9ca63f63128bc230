/* The stub backend (see stub_backend.h). */
#define _POSIX_C_SOURCE 200809L
#include "stub_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

stub_config stub_backend_config;
int64_t stub_backend_evals;

typedef struct stub_state {
    int32_t n_ctx, kv_len;
    wir_backend_profile prof;
    wir_backend_memory mem;
} stub_state;

static void stub_spend(int64_t ns) {
    if (ns <= 0)
        return;
    struct timespec t = {ns / 1000000000, ns % 1000000000};
    nanosleep(&t, NULL);
}

static int32_t stub_list(wir_backend_device *out, int32_t max) {
    if (max > 0) {
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "stub device");
        snprintf(out->kind, sizeof out->kind, "cpu");
        out->memory_total = out->memory_free = stub_backend_config.available;
        out->n_cores = 1;
    }
    return 1;
}

static wir_backend_status stub_estimate(const wir_model_desc *desc, const wir_backend_params *p,
                                        wir_backend_memory *m, wir_backend_error *err) {
    (void)desc;
    memset(m, 0, sizeof *m);
    if (p->n_ctx <= 0) {
        err->status = WIR_BACKEND_ERR_ARGS;
        snprintf(err->text, sizeof err->text, "stub: n_ctx %d", (int)p->n_ctx);
        return WIR_BACKEND_ERR_ARGS;
    }
    m->weights = stub_backend_config.weights;
    m->kv = stub_backend_config.kv_per_token * (uint64_t)p->n_ctx;
    m->scratch = 0;
    m->total = m->weights + m->kv;
    m->available = stub_backend_config.available;
    return WIR_BACKEND_OK;
}

static wir_backend_status stub_init(const wir_model_desc *desc, const wir_backend_params *p,
                                    void **out, wir_backend_error *err) {
    stub_state *s = calloc(1, sizeof *s);
    s->n_ctx = p->n_ctx;
    stub_estimate(desc, p, &s->mem, err);
    s->mem.peak = s->mem.total;
    *out = s;
    return WIR_BACKEND_OK;
}

static wir_backend_status stub_eval(void *state, const int32_t *tokens, int32_t n, int32_t pos,
                                    bool all_logits, float *logits, wir_backend_error *err) {
    (void)tokens, (void)all_logits, (void)logits;
    stub_state *s = state;
    stub_backend_evals++;
    if (stub_backend_config.fail_at_eval && stub_backend_evals == stub_backend_config.fail_at_eval) {
        err->status = WIR_BACKEND_ERR_DEVICE;
        snprintf(err->text, sizeof err->text, "stub: eval %lld failed on purpose",
                 (long long)stub_backend_evals);
        return WIR_BACKEND_ERR_DEVICE;
    }
    if (pos > s->kv_len || pos + n > s->n_ctx || n < 1) {
        err->status = WIR_BACKEND_ERR_CONTEXT_FULL;
        snprintf(err->text, sizeof err->text, "stub: pos %d + %d beyond %d (cache %d)", (int)pos,
                 (int)n, (int)s->n_ctx, (int)s->kv_len);
        return WIR_BACKEND_ERR_CONTEXT_FULL;
    }
    int64_t ns = n > 1 ? stub_backend_config.prefill_ns_per_token * n : stub_backend_config.decode_ns;
    stub_spend(ns);
    wir_backend_phase_profile *ph = &s->prof.phase[n > 1 ? 0 : 1];
    ph->n_evals++;
    ph->n_tokens += (uint64_t)n;
    ph->ns_total += (uint64_t)ns;
    ph->ns_matmul += (uint64_t)ns / 2;          /* a fixed split the tests can check */
    ph->ns_attention += (uint64_t)ns / 4;
    ph->ns_other += (uint64_t)ns - (uint64_t)ns / 2 - (uint64_t)ns / 4;
    s->kv_len = pos + n;
    return WIR_BACKEND_OK;
}

static void stub_truncate(void *state, int32_t n_keep) {
    stub_state *s = state;
    if (n_keep < s->kv_len)
        s->kv_len = n_keep;
}
static int32_t stub_kv_length(const void *state) { return ((const stub_state *)state)->kv_len; }
static void stub_profile(const void *state, wir_backend_profile *out) {
    *out = ((const stub_state *)state)->prof;
}
static void stub_profile_reset(void *state) {
    memset(&((stub_state *)state)->prof, 0, sizeof(wir_backend_profile));
}
static void stub_memory(const void *state, wir_backend_memory *out) {
    *out = ((const stub_state *)state)->mem;
}
static void stub_free(void *state) { free(state); }

static const wir_backend_ops stub_ops = {
    .name = "stub", .list_devices = stub_list, .estimate = stub_estimate, .init = stub_init,
    .eval = stub_eval, .kv_truncate = stub_truncate, .kv_length = stub_kv_length,
    .profile = stub_profile, .profile_reset = stub_profile_reset, .memory = stub_memory,
    .free = stub_free,
};

const wir_backend_ops *stub_backend(void) { return &stub_ops; }

const wir_model_desc *stub_backend_desc(void) {
    static wir_model_desc d;
    memset(&d, 0, sizeof d);
    d.hp.n_vocab = 1000;
    d.hp.n_layers = 1;
    snprintf(d.id.name, sizeof d.id.name, "Stub");
    d.weight_bytes = stub_backend_config.weights;
    d.has_data = true;
    return &d;
}
