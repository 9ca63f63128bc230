/* wir_memory: the bytes a model takes when a runtime loads it, by component
 * (weights, KV cache, compute buffers, fixed overhead) and by device (host
 * memory and each GPU), as docs/methodology.md states the formulas.
 *
 * Two steps, so that a loop over every model x GPU x quantization is cheap:
 *
 *   wir_weights_of()  walks the model's tensors once per (model, file type)
 *                     with the runtime quantizer's type for each tensor;
 *   wir_memory_of()   places those bytes on devices for one request
 *                     (context, cache type, GPUs, offloaded layers): no
 *                     allocation, no I/O.
 *
 * Every size is an exact integer of bytes. Nothing here reads files: the
 * catalog (wir_catalog_load) is the only input.
 */
#ifndef WIR_MEMORY_H
#define WIR_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_catalog.h"

/* Layers of the largest catalog model are far below this (405B: 126). */
#define WIR_MEMORY_MAX_LAYERS 256
/* Host plus up to 8 identical GPUs. */
#define WIR_MEMORY_MAX_DEVICES 9

/* A model's weights in one file type, tensor bytes summed by role. */
typedef struct wir_weights {
    const wir_model *model;
    const wir_ftype *ftype;
    int32_t n_layers;
    int64_t file_bytes;          /* every tensor (the GGUF's tensor data) */
    int64_t token_embd_bytes;
    int64_t output_bytes;        /* output.weight; for tied embeddings the
                                    runtime's duplicate of token_embd */
    int64_t output_norm_bytes;
    bool output_is_tied;         /* no output.weight in the file */
    int64_t layer_bytes[WIR_MEMORY_MAX_LAYERS];        /* all of block i */
    int64_t layer_expert_bytes[WIR_MEMORY_MAX_LAYERS]; /* its ffn_*_exps part */
    /* Bytes the decoder reads per generated token: every repeating layer's
     * weights with expert tensors scaled by n_experts_per_token / n_experts,
     * plus output norm and output (token_embd is a row look-up). */
    int64_t read_per_token_bytes;
    int64_t active_params;       /* parameters used per token (MoE: active) */
    int32_t type_counts[64];     /* tensors per ggml type id */
} wir_weights;

/* Fills w for model m in file type ft. Returns 0, or -1 when the model has
 * more than WIR_MEMORY_MAX_LAYERS layers, inconsistent shapes, or a tensor
 * row the assigned type cannot hold (then w is zeroed). Allocates only
 * temporarily. */
int wir_weights_of(const wir_catalog *c, const wir_model *m, const wir_ftype *ft,
                   wir_weights *w);

/* What to load, where. Start from wir_fit_request_init(), which sets every
 * field to its default, then set what the caller knows. */
typedef struct wir_fit_request {
    const wir_model *model;       /* required */
    const wir_ftype *ftype;       /* required */
    const wir_runtime *runtime;   /* required */
    const wir_gpu *gpu;           /* NULL: CPU only */
    int32_t gpu_count;            /* identical GPUs, layer split (default 1) */
    int64_t ctx;                  /* context tokens (default 4096) */
    const wir_ggml_type *kv_type; /* NULL: f16 (K and V alike) */
    int32_t n_batch;              /* 0: the runtime's default */
    int32_t n_ubatch;             /* 0: the runtime's default */
    int32_t flash_attn;           /* -1: the runtime's default; 0 off; 1 on */
    int32_t n_gpu_layers;         /* llama.cpp's -ngl: repeating layers
                                     offloaded, n_layers + 1 = everything
                                     (output included); -1 (default): all,
                                     or in wir_fit_evaluate as many as fit */
    int64_t host_ram_bytes;       /* system RAM; 0 (default): unknown */
    int64_t gpu_memory_bytes;     /* per GPU; 0 (default): memory_bytes */
} wir_fit_request;

void wir_fit_request_init(wir_fit_request *rq);

/* One device's share. */
typedef struct wir_mem_device {
    char name[16];               /* "host", "gpu0", "gpu1", … */
    bool is_host;
    int32_t n_layers;            /* repeating layers placed here */
    int64_t weights_bytes;
    int64_t kv_bytes;
    int64_t compute_bytes;
    int64_t overhead_bytes;
    int64_t total_bytes;
    int64_t capacity_bytes;      /* usable memory; 0 when unknown (host
                                    without --ram). Unified memory: the
                                    runtime's usable share of RAM */
} wir_mem_device;

typedef struct wir_memory {
    /* The request as resolved (defaults applied). */
    int64_t ctx;                 /* after the runtime's padding */
    int32_t n_ubatch;
    int32_t n_batch;
    bool flash_attn;
    const wir_ggml_type *kv_type;
    int32_t gpu_count;           /* 0: CPU only */
    int32_t n_layers;
    int32_t n_gpu_layers;        /* as llama.cpp counts: repeating layers
                                    offloaded, plus 1 when the output is */
    int32_t n_repeating_on_gpu;
    bool output_on_gpu;
    bool unified;                /* Apple-style: GPU memory is system RAM */

    /* Components, whole model. */
    int64_t file_bytes;
    int64_t weights_bytes;       /* all devices, including tied duplicate */
    int64_t kv_bytes;
    int64_t kv_bytes_per_token;  /* all layers, K and V */
    int64_t compute_gpu_bytes;   /* per GPU, the largest */
    int64_t compute_host_bytes;
    int64_t overhead_bytes;      /* all devices */
    int64_t total_bytes;

    wir_mem_device devices[WIR_MEMORY_MAX_DEVICES]; /* [0] host, [1..] GPUs */
    int32_t n_devices;
    int64_t compute_bytes;       /* all devices' compute buffers */
} wir_memory;

/* Places w on devices for rq. w must be of rq->model and rq->ftype (NULL: it
 * is computed here, which allocates briefly). With rq->n_gpu_layers -1 every
 * layer is offloaded; wir_fit_evaluate() chooses fewer when they do not fit.
 * Returns 0, or -1 when the request is incomplete (no model, file type or
 * runtime) or w could not be computed. */
int wir_memory_of(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                  wir_memory *out);

/* KV cache bytes of one layer for ctx cells in type kv (K plus V). */
int64_t wir_memory_kv_layer_bytes(const wir_model *m, const wir_ggml_type *kv, int64_t ctx);

/* Usable memory of one GPU for a runtime: memory_bytes, or for unified
 * memory the runtime's usable share of it. */
int64_t wir_memory_gpu_capacity(const wir_gpu *g, const wir_runtime *rt);

#endif
