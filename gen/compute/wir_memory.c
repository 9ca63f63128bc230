/* wir_memory: tensor bytes by role (wir_weights_of), then their placement on
 * host and GPUs the way the runtime profile says (wir_memory_of). The
 * formulas are docs/methodology.md's "Memory" section; the names follow
 * llama.cpp's load log (model buffer, KV buffer, compute buffer). */
#include "wir_memory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_quant_assign.h"
#include "wir_tensors.h"

/* ---- weights ------------------------------------------------------------ */

static bool wir_memory_runtime_keeps(const wir_runtime *rt, const char *kind) {
    for (size_t i = 0; rt && i < rt->n_host_tensors; i++)
        if (!strcmp(rt->host_tensors[i], kind)) return true;
    return false;
}

/* Adds one tensor to its role's sums. */
static void wir_weights_add(wir_weights *w, const wir_model *m, const wir_tensor *t,
                            int64_t bytes) {
    double active = 1.0;
    if (t->is_expert && m->moe.n_experts > 0)
        active = (double)m->moe.n_experts_per_token / (double)m->moe.n_experts;
    if (t->layer >= 0) {
        w->layer_bytes[t->layer] += bytes;
        if (t->is_expert) w->layer_expert_bytes[t->layer] += bytes;
        w->read_per_token_bytes += (int64_t)llround((double)bytes * active);
        w->active_params += (int64_t)llround((double)wir_tensor_elements(t) * active);
    } else if (!strcmp(t->kind, "token_embd")) {
        w->token_embd_bytes += bytes;
    } else if (!strcmp(t->kind, "output_norm")) {
        w->output_norm_bytes += bytes;
        w->read_per_token_bytes += bytes;
    } else {
        w->output_bytes += bytes;
        w->read_per_token_bytes += bytes;
        w->active_params += wir_tensor_elements(t);
    }
}

int wir_weights_of(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                   wir_weights *w) {
    memset(w, 0, sizeof *w);
    if (!c || !m || !ft || m->n_layers <= 0 || m->n_layers > WIR_MEMORY_MAX_LAYERS) return -1;
    wir_tensor_list list;
    if (wir_tensors_of_model(m, &list) != 0) return -1;
    const wir_ggml_type **types = calloc(list.count ? list.count : 1, sizeof *types);
    if (!types) abort();
    int rc = wir_quant_assign(c, m, ft, &list, types);
    bool has_output = false;
    for (size_t i = 0; rc == 0 && i < list.count; i++) {
        const wir_tensor *t = &list.items[i];
        int64_t bytes = wir_quant_tensor_bytes(t, types[i]);
        if (bytes < 0 || t->layer >= m->n_layers) {
            rc = -1;
            break;
        }
        w->file_bytes += bytes;
        if (types[i]->id >= 0 && types[i]->id < 64) w->type_counts[types[i]->id]++;
        if (t->layer < 0 && !strcmp(t->kind, "output")) has_output = true;
        wir_weights_add(w, m, t, bytes);
    }
    free(types);
    wir_tensor_list_free(&list);
    if (rc != 0) {
        memset(w, 0, sizeof *w);
        return -1;
    }
    w->model = m;
    w->ftype = ft;
    w->n_layers = m->n_layers;
    if (!has_output) {
        /* Tied embeddings: the runtime reads the logits through token_embd,
         * which llama.cpp duplicates into the output layer's buffer. */
        w->output_is_tied = true;
        w->output_bytes = w->token_embd_bytes;
        w->read_per_token_bytes += w->token_embd_bytes;
        w->active_params += m->hidden_size * m->vocab_size;
    }
    return 0;
}

/* ---- placement ---------------------------------------------------------- */

void wir_fit_request_init(wir_fit_request *rq) {
    memset(rq, 0, sizeof *rq);
    rq->gpu_count = 1;
    rq->ctx = 4096;
    rq->flash_attn = -1;
    rq->n_gpu_layers = -1;
}

int64_t wir_memory_kv_layer_bytes(const wir_model *m, const wir_ggml_type *kv, int64_t ctx) {
    int64_t n_embd_kv = (int64_t)m->n_kv_heads * m->head_dim;
    int64_t bs = kv ? kv->block_size : 1, ts = kv ? kv->type_size : 2;
    /* K and V rows of n_embd_kv values per cell, in blocks of the type. */
    return 2 * ctx * (n_embd_kv / bs) * ts;
}

int64_t wir_memory_gpu_capacity(const wir_gpu *g, const wir_runtime *rt) {
    if (!g) return 0;
    if (g->unified_memory && rt && isfinite(rt->unified_usable_share))
        return (int64_t)((double)g->memory_bytes * rt->unified_usable_share);
    return g->memory_bytes;
}

static int64_t wir_memory_round_up(int64_t x, int64_t to) {
    return to > 1 ? (x + to - 1) / to * to : x;
}

/* The device a repeating layer is on: llama.cpp assigns offloaded layer j
 * (0 = the first offloaded) of act to GPU floor(j * n / act) for n identical
 * GPUs (its split by free memory, all equal). 0 is the host. */
static int32_t wir_memory_layer_device(int32_t il, int32_t first_gpu_layer, int32_t act,
                                       int32_t n_gpus) {
    if (il < first_gpu_layer || act <= 0) return 0;
    int64_t j = il - first_gpu_layer;
    return 1 + (int32_t)(j * n_gpus / act);
}

/* The request with the runtime's defaults applied, into out's header. */
static void wir_memory_resolve(const wir_catalog *c, const wir_fit_request *rq, wir_memory *out) {
    const wir_runtime *rt = rq->runtime;
    const wir_model *m = rq->model;
    out->n_layers = m->n_layers;
    out->gpu_count = rq->gpu ? (rq->gpu_count > 0 ? rq->gpu_count : 1) : 0;
    if (out->gpu_count > WIR_MEMORY_MAX_DEVICES - 1) out->gpu_count = WIR_MEMORY_MAX_DEVICES - 1;
    out->unified = rq->gpu && rq->gpu->unified_memory;
    int64_t ctx = rq->ctx > 0 ? rq->ctx : 4096;
    out->ctx = wir_memory_round_up(ctx, rt->kv_pad_cells);
    int64_t nb = rq->n_batch > 0 ? rq->n_batch : rt->default_n_batch;
    int64_t nub = rq->n_ubatch > 0 ? rq->n_ubatch : rt->default_n_ubatch;
    if (nb <= 0) nb = 512;
    if (nub <= 0) nub = 512;
    /* llama.cpp: n_batch <= n_ctx, n_ubatch <= n_batch. */
    if (nb > out->ctx) nb = out->ctx;
    if (nub > nb) nub = nb;
    out->n_batch = (int32_t)nb;
    out->n_ubatch = (int32_t)nub;
    out->flash_attn = rq->flash_attn < 0 ? rt->default_flash_attn : rq->flash_attn != 0;
    out->kv_type = rq->kv_type ? rq->kv_type : wir_catalog_find_ggml_type(c, "f16");

    int32_t L = m->n_layers;
    int32_t ngl = out->gpu_count == 0 ? 0 : rq->n_gpu_layers < 0 ? L + 1 : rq->n_gpu_layers;
    if (ngl > L + 1) ngl = L + 1;
    switch (rt->output_offload) {
    case WIR_OUTPUT_FIRST: /* -ngl N: the output layer, then N - 1 repeating ones */
        out->output_on_gpu = ngl >= 1;
        out->n_repeating_on_gpu = ngl >= 1 ? (ngl - 1 < L ? ngl - 1 : L) : 0;
        break;
    case WIR_OUTPUT_LAST:
        out->n_repeating_on_gpu = ngl < L ? ngl : L;
        out->output_on_gpu = ngl > L;
        break;
    case WIR_OUTPUT_WITH_ALL:
        out->n_repeating_on_gpu = ngl < L ? ngl : L;
        out->output_on_gpu = ngl > 0 && out->n_repeating_on_gpu == L;
        break;
    }
    out->n_gpu_layers = out->n_repeating_on_gpu + (out->output_on_gpu ? 1 : 0);
}

static void wir_memory_devices_init(const wir_fit_request *rq, wir_memory *out) {
    out->n_devices = 1 + out->gpu_count;
    for (int32_t d = 0; d < out->n_devices; d++) {
        wir_mem_device *dev = &out->devices[d];
        memset(dev, 0, sizeof *dev);
        dev->is_host = d == 0;
        if (d == 0) snprintf(dev->name, sizeof dev->name, "host");
        else snprintf(dev->name, sizeof dev->name, "gpu%d", (int)(d - 1));
    }
    int64_t gcap = rq->gpu_memory_bytes > 0
                       ? rq->gpu_memory_bytes
                       : wir_memory_gpu_capacity(rq->gpu, rq->runtime);
    for (int32_t d = 1; d < out->n_devices; d++) out->devices[d].capacity_bytes = gcap;
    int64_t host = rq->host_ram_bytes;
    if (host <= 0 && out->unified) host = rq->gpu->memory_bytes;
    out->devices[0].capacity_bytes = host > 0 ? host : 0;
}

/* Weights and KV cache, layer by layer, then the non-repeating tensors. */
static void wir_memory_place_layers(const wir_fit_request *rq, const wir_weights *w,
                                    wir_memory *out, int32_t *output_device) {
    const wir_model *m = rq->model;
    int32_t L = m->n_layers;
    int32_t first = L - out->n_repeating_on_gpu;
    int32_t act = out->n_gpu_layers;
    int64_t kv_layer = wir_memory_kv_layer_bytes(m, out->kv_type, out->ctx);
    for (int32_t il = 0; il < L; il++) {
        int32_t d = wir_memory_layer_device(il, first, act, out->gpu_count);
        out->devices[d].weights_bytes += w->layer_bytes[il];
        out->devices[d].kv_bytes += kv_layer;
        out->devices[d].n_layers++;
    }
    *output_device =
        out->output_on_gpu ? wir_memory_layer_device(L, first, act, out->gpu_count) : 0;
    int32_t embd_device =
        wir_memory_runtime_keeps(rq->runtime, "token_embd") || out->gpu_count == 0 ? 0 : 1;
    out->devices[embd_device].weights_bytes += w->token_embd_bytes;
    out->devices[*output_device].weights_bytes += w->output_norm_bytes;
    /* A tied output shares token_embd's memory only where both live. */
    if (!w->output_is_tied || *output_device != embd_device)
        out->devices[*output_device].weights_bytes += w->output_bytes;
    out->kv_bytes_per_token = kv_layer / out->ctx * L;
}

/* Compute buffers: the graph's largest tensor (logits, or KQ without flash
 * attention) plus the live activations around it; the host buffer of a GPU
 * run holds the inputs (embeddings and the attention mask). */
static void wir_memory_place_compute(const wir_fit_request *rq, wir_memory *out,
                                     int32_t output_device) {
    const wir_runtime *rt = rq->runtime;
    const wir_model *m = rq->model;
    double fb = rt->float_bytes;
    double ub = out->n_ubatch;
    double logits = ub * (double)m->vocab_size * fb;
    double kq = out->flash_attn ? 0.0 : ub * (double)out->ctx * (double)m->n_heads * fb;
    double hidden = ub * (double)m->hidden_size * fb;
    double mask = ub * (double)out->ctx * rt->mask_bytes_per_cell;
    for (int32_t d = 0; d < out->n_devices; d++) {
        wir_mem_device *dev = &out->devices[d];
        double peak = dev->n_layers > 0 ? kq : 0.0;
        if (d == output_device && logits > peak) peak = logits;
        double bytes = 0.0;
        if (d == 0 && dev->n_layers == 0 && output_device != 0)
            bytes = rt->host_compute_hidden_tensors * hidden + mask; /* inputs only */
        else if (peak > 0.0 || dev->n_layers > 0)
            bytes = peak + rt->compute_hidden_tensors * hidden + (d == 0 ? mask : 0.0);
        dev->compute_bytes = (int64_t)llround(bytes);
        if (d == 0) out->compute_host_bytes = dev->compute_bytes;
        else if (dev->compute_bytes > out->compute_gpu_bytes)
            out->compute_gpu_bytes = dev->compute_bytes;
    }
}

int wir_memory_of(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                  wir_memory *out) {
    memset(out, 0, sizeof *out);
    if (!c || !rq || !rq->model || !rq->ftype || !rq->runtime) return -1;
    wir_weights own;
    if (!w || w->model != rq->model || w->ftype != rq->ftype) {
        if (wir_weights_of(c, rq->model, rq->ftype, &own) != 0) return -1;
        w = &own;
    }
    wir_memory_resolve(c, rq, out);
    if (!out->kv_type) return -1;
    wir_memory_devices_init(rq, out);
    int32_t output_device = 0;
    wir_memory_place_layers(rq, w, out, &output_device);
    wir_memory_place_compute(rq, out, output_device);

    out->file_bytes = w->file_bytes;
    for (int32_t d = 0; d < out->n_devices; d++) {
        wir_mem_device *dev = &out->devices[d];
        bool used = dev->weights_bytes > 0 || dev->kv_bytes > 0 || dev->compute_bytes > 0;
        dev->overhead_bytes =
            d == 0 ? rq->runtime->host_overhead_bytes : used ? rq->runtime->gpu_overhead_bytes : 0;
        dev->total_bytes =
            dev->weights_bytes + dev->kv_bytes + dev->compute_bytes + dev->overhead_bytes;
        out->weights_bytes += dev->weights_bytes;
        out->kv_bytes += dev->kv_bytes;
        out->compute_bytes += dev->compute_bytes;
        out->overhead_bytes += dev->overhead_bytes;
        out->total_bytes += dev->total_bytes;
    }
    return 0;
}
