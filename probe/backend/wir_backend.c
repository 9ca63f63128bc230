/* wir_backend: the registry of backends and the session wrapper the driver
 * calls; every call forwards to the backend's ops table. */
#include "wir_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_qformat.h"

struct wir_backend_session {
    const wir_backend_ops *ops;
    void *state;
    const wir_model_desc *desc;
    wir_backend_params params;
};

wir_backend_params wir_backend_params_default(void) {
    return (wir_backend_params){
        .device = 0, .n_ctx = 512, .n_batch = 512, .n_threads = 0, .kv_type = WIR_QTYPE_F16};
}

/* The backends built in, CPU first; the CUDA backend (probe/backend/cuda)
 * where the build found nvcc. */
static const wir_backend_ops *(*const wir_backend_table[])(void) = {
    wir_backend_cpu,
#ifdef WIR_HAVE_CUDA
    wir_backend_cuda,
#endif
};

size_t wir_backend_all(const wir_backend_ops **out, size_t max) {
    size_t n = sizeof wir_backend_table / sizeof wir_backend_table[0];
    for (size_t i = 0; out && i < n && i < max; i++) out[i] = wir_backend_table[i]();
    return n;
}

const wir_backend_ops *wir_backend_find(const char *name) {
    size_t n = sizeof wir_backend_table / sizeof wir_backend_table[0];
    for (size_t i = 0; name && i < n; i++) {
        const wir_backend_ops *ops = wir_backend_table[i]();
        if (strcmp(ops->name, name) == 0) return ops;
    }
    return NULL;
}

const char *wir_backend_status_name(wir_backend_status status) {
    switch (status) {
    case WIR_BACKEND_OK: return "ok";
    case WIR_BACKEND_ERR_ARGS: return "bad arguments";
    case WIR_BACKEND_ERR_UNSUPPORTED: return "unsupported";
    case WIR_BACKEND_ERR_NO_MEMORY: return "does not fit";
    case WIR_BACKEND_ERR_CONTEXT_FULL: return "context full";
    case WIR_BACKEND_ERR_DEVICE: return "device error";
    }
    return "unknown";
}

wir_backend_status wir_backend_estimate(const wir_backend_ops *ops, const wir_model_desc *desc,
                                        const wir_backend_params *params,
                                        wir_backend_memory *memory, wir_backend_error *err) {
    wir_backend_error local;
    wir_backend_params p = params ? *params : wir_backend_params_default();
    return ops->estimate(desc, &p, memory, err ? err : &local);
}

wir_backend_session *wir_backend_session_init(const wir_backend_ops *ops,
                                              const wir_model_desc *desc,
                                              const wir_backend_params *params,
                                              wir_backend_error *err) {
    wir_backend_error local;
    if (!err) err = &local;
    wir_backend_session *s = calloc(1, sizeof *s);
    if (!s) {
        err->status = WIR_BACKEND_ERR_NO_MEMORY;
        snprintf(err->text, sizeof err->text, "%s: out of memory", ops->name);
        return NULL;
    }
    s->ops = ops;
    s->desc = desc;
    s->params = params ? *params : wir_backend_params_default();
    if (ops->init(desc, &s->params, &s->state, err) != WIR_BACKEND_OK) {
        free(s);
        return NULL;
    }
    return s;
}

wir_backend_status wir_backend_session_eval(wir_backend_session *s, const int32_t *tokens,
                                            int32_t n_tokens, int32_t pos, bool all_logits,
                                            float *logits, wir_backend_error *err) {
    wir_backend_error local;
    return s->ops->eval(s->state, tokens, n_tokens, pos, all_logits, logits, err ? err : &local);
}

void wir_backend_session_kv_truncate(wir_backend_session *s, int32_t n_keep) {
    s->ops->kv_truncate(s->state, n_keep);
}

int32_t wir_backend_session_kv_length(const wir_backend_session *s) {
    return s->ops->kv_length(s->state);
}

void wir_backend_session_profile(const wir_backend_session *s, wir_backend_profile *out) {
    s->ops->profile(s->state, out);
}

void wir_backend_session_profile_reset(wir_backend_session *s) { s->ops->profile_reset(s->state); }

void wir_backend_session_memory(const wir_backend_session *s, wir_backend_memory *out) {
    s->ops->memory(s->state, out);
}

const wir_backend_ops *wir_backend_session_ops(const wir_backend_session *s) { return s->ops; }
const wir_model_desc *wir_backend_session_desc(const wir_backend_session *s) { return s->desc; }
const wir_backend_params *wir_backend_session_params(const wir_backend_session *s) {
    return &s->params;
}

void wir_backend_session_free(wir_backend_session *s) {
    if (!s) return;
    s->ops->free(s->state);
    free(s);
}
