/* wir_cuda_backend: the "cuda" wir_backend_ops table - the llama/qwen2
 * forward pass of the CPU reference backend (wir_backend_cpu.c) on one
 * NVIDIA GPU.
 *
 * Per block: RMSNorm, Q/K/V products, RoPE with the biases and the F16 KV
 * store, attention (split-K flash-decoding for one token, a causal kernel
 * for a prefill), output product and residual, RMSNorm, gate/up products,
 * SwiGLU, down product and residual; then the final norm and the output
 * product for the tokens whose logits are wanted.
 *
 * Products: one token (decode) uses wir_cuda_mmvq, which reads every weight
 * once and decodes it in registers - decode is bound by memory bandwidth;
 * several tokens (prefill) use wir_cuda_gemm (F16 tiles + cublasGemmEx on
 * tensor cores).
 *
 * Memory: one arena (wir_cuda_arena) carved by cuda_carve, which runs once
 * counting (estimate, and init's size) and once for real, so estimate's total
 * is exactly what init allocates. cuBLAS is given its workspace from the
 * arena (cublasSetWorkspace). What is outside it: the CUDA context, cuBLAS's
 * handle and the CUDA graph (driver-owned), and a small pinned host buffer.
 *
 * Decode: the token and position live in device memory, so the whole
 * single-token step is captured once as a CUDA graph and replayed each step
 * (one launch instead of ~15 per layer). With params.profile the step runs
 * eagerly instead, with a CUDA event after each operation, and the profile's
 * parts are the events' elapsed times.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wir_cuda_arena.cuh"
#include "wir_cuda_attn_decode.cuh"
#include "wir_cuda_attn_prefill.cuh"
#include "wir_cuda_check.cuh"
#include "wir_cuda_embed.cuh"
#include "wir_cuda_gemm.cuh"
#include "wir_cuda_mmvq.cuh"
#include "wir_cuda_rmsnorm.cuh"
#include "wir_cuda_rope.cuh"
#include "wir_cuda_swiglu.cuh"

extern "C" {
#include "wir_qformat.h"
}

enum {
    CUDA_BLAS_WORKSPACE = 32 << 20,   /* cuBLAS's recommended size on Hopper */
    CUDA_TILE_MAX_ELEMS = 64 << 20,   /* F16 dequantization tile: 128 MiB at most */
    CUDA_LOGITS_BYTES = 64 << 20,     /* logits rows computed at once (all_logits) */
    CUDA_MAX_EVENTS = 4096,           /* profile marks per evaluation */
};

enum { CAT_MATMUL = 0, CAT_ATTN = 1, CAT_OTHER = 2 };

typedef struct cuda_layer {
    const void *wq, *wk, *wv, *wo, *gate, *up, *down;  /* device copies, raw blocks */
    float *attn_norm, *ffn_norm, *bq, *bk, *bv;        /* f32; biases NULL without */
    void *k_cache, *v_cache;                           /* __half, n_ctx rows of KV */
} cuda_layer;

typedef struct cuda_state {
    const wir_model_desc *desc;
    wir_backend_params params;
    cudaStream_t stream;
    cublasHandle_t blas;
    wir_cuda_arena arena;
    cuda_layer *layers;
    const void *token_embd, *output;
    float *output_norm, *inv_freq;
    /* activations, n_batch rows each */
    float *x, *xn, *tmp, *q, *att, *k, *v, *gate, *up, *logits, *cs, *sn, *partial;
    int32_t *d_tokens, *d_pos;
    void *blas_ws;
    wir_cuda_gemm_scratch gs;
    int32_t n_logit_rows, n_splits, kv_len;
    int32_t *h_io;                   /* pinned: n_batch tokens, then the position */
    cudaGraphExec_t graph;
    cudaEvent_t *events;             /* profile marks, CUDA_MAX_EVENTS */
    uint8_t *event_cat;
    int32_t n_events;
    uint64_t bytes_weights, bytes_kv, bytes_scratch;
    uint64_t product_bytes_decode;   /* weight bytes one token's products read */
    wir_backend_profile prof;
    wir_backend_memory mem;
} cuda_state;

/* ---- errors ---- */

extern "C" wir_backend_status wir_cuda_fail(wir_backend_error *err, wir_backend_status status,
                                            const char *fmt, ...) {
    err->status = status;
    int n = snprintf(err->text, sizeof err->text, "cuda: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text + n, sizeof err->text - (size_t)n, fmt, ap);
    va_end(ap);
    for (char *c = err->text; *c; c++)
        if (*c == '\n') *c = ' ';
    return status;
}

extern "C" const char *wir_cuda_cublas_name(cublasStatus_t st) {
    const char *s = cublasGetStatusName(st);
    return s ? s : "unknown cuBLAS status";
}

static uint64_t cuda_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The CUDA runtime's version for the run record ("13.0"); overrides the weak
 * one in probe/bench/wir_host.c. */
extern "C" int wir_host_cuda_runtime_version(char *buf, size_t size) {
    int v = 0;
    if (size) buf[0] = '\0';
    if (cudaRuntimeGetVersion(&v) != cudaSuccess || v <= 0) return -1;
    snprintf(buf, size, "%d.%d", v / 1000, (v % 1000) / 10);
    return 0;
}

/* ---- devices ---- */

/* The device count, or a DEVICE error "no CUDA device: <reason>". */
static wir_backend_status cuda_count(int *n, wir_backend_error *err) {
    *n = 0;
    cudaError_t e = cudaGetDeviceCount(n);
    if (e != cudaSuccess) {
        (void)cudaGetLastError();
        *n = 0;
        return wir_cuda_fail(err, WIR_BACKEND_ERR_DEVICE, "no CUDA device: %s", cudaGetErrorString(e));
    }
    if (*n == 0) return wir_cuda_fail(err, WIR_BACKEND_ERR_DEVICE, "no CUDA device: none found");
    return WIR_BACKEND_OK;
}

static int32_t cuda_list_devices(wir_backend_device *out, int32_t max) {
    wir_backend_error err;
    int n = 0;
    if (cuda_count(&n, &err) != WIR_BACKEND_OK) return 0;
    int driver = 0;
    (void)cudaDriverGetVersion(&driver);
    for (int i = 0; out && i < n && i < max; i++) {
        wir_backend_device *d = &out[i];
        memset(d, 0, sizeof *d);
        d->index = i;
        snprintf(d->kind, sizeof d->kind, "gpu");
        cudaDeviceProp prop;
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
            (void)cudaGetLastError();
            snprintf(d->name, sizeof d->name, "CUDA device %d", i);
            continue;
        }
        snprintf(d->name, sizeof d->name, "%.127s", prop.name);
        d->memory_total = prop.totalGlobalMem;
        d->n_cores = prop.multiProcessorCount;
        size_t fr = 0, tot = 0;
        int prev = 0;
        if (cudaGetDevice(&prev) == cudaSuccess && cudaSetDevice(i) == cudaSuccess &&
            cudaMemGetInfo(&fr, &tot) == cudaSuccess)
            d->memory_free = fr;
        (void)cudaGetLastError();
        (void)cudaSetDevice(prev);
        snprintf(d->detail, sizeof d->detail, "compute capability %d.%d, driver %d.%d, %d-bit bus",
                 prop.major, prop.minor, driver / 1000, (driver % 1000) / 10, prop.memoryBusWidth);
    }
    return n;
}

/* ---- what the model needs ---- */

static bool cuda_is_matrix(const wir_model_desc *desc, const wir_model_tensor *t) {
    if (t == desc->token_embd || t == desc->output) return true;
    for (int32_t i = 0; i < desc->hp.n_layers; i++) {
        const wir_layer_tensors *L = &desc->layers[i];
        if (t == L->wq || t == L->wk || t == L->wv || t == L->wo || t == L->ffn_gate ||
            t == L->ffn_up || t == L->ffn_down)
            return true;
    }
    return false;
}

static wir_backend_status cuda_check_model(const wir_model_desc *desc, const wir_backend_params *p,
                                           wir_backend_error *err) {
    const wir_model_hparams *hp = &desc->hp;
    if (p->n_ctx <= 0 || p->n_batch <= 0)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "n_ctx %d and n_batch %d must be positive",
                             (int)p->n_ctx, (int)p->n_batch);
    if (p->kv_type != WIR_QTYPE_F16)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_UNSUPPORTED,
                             "KV cache type %s: the CUDA backend keeps an f16 cache",
                             wir_qformat_name(p->kv_type));
    if (!wir_cuda_attn_supported(hp->head_dim))
        return wir_cuda_fail(err, WIR_BACKEND_ERR_UNSUPPORTED,
                             "head_dim %d: the attention kernels take 32, 64, 128 or 256",
                             (int)hp->head_dim);
    if (hp->n_kv_heads < 1 || hp->n_heads % hp->n_kv_heads)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_UNSUPPORTED, "%d heads over %d KV heads",
                             (int)hp->n_heads, (int)hp->n_kv_heads);
    for (size_t i = 0; i < desc->n_tensors; i++) {
        const wir_model_tensor *t = &desc->tensors[i];
        if (!wir_qformat_supported(t->type))
            return wir_cuda_fail(err, WIR_BACKEND_ERR_UNSUPPORTED, "tensor %s: type %d has no kernel",
                                 t->name, (int)t->type);
        if (cuda_is_matrix(desc, t) && !wir_cuda_mmvq_supported(t->type, t->ne[0]))
            return wir_cuda_fail(err, WIR_BACKEND_ERR_UNSUPPORTED,
                                 "tensor %s: rows of %lld %s elements have no kernel", t->name,
                                 (long long)t->ne[0], wir_qformat_name(t->type));
    }
    return WIR_BACKEND_OK;
}

/* Carves every buffer of a session out of A (counting when A has no base;
 * the pointers are then NULL). Weights, then the KV cache, then scratch; the
 * byte counts of each group go to the state. */
static void cuda_carve(cuda_state *s, wir_cuda_arena *a) {
    const wir_model_desc *desc = s->desc;
    const wir_model_hparams *hp = &desc->hp;
    const wir_backend_params *p = &s->params;
    const uint64_t B = (uint64_t)p->n_batch, E = (uint64_t)hp->n_embd;
    const uint64_t Q = (uint64_t)hp->n_heads * hp->head_dim;
    const uint64_t KV = (uint64_t)hp->n_kv_heads * hp->head_dim, F = (uint64_t)hp->n_ff;
    const uint64_t V = (uint64_t)hp->n_vocab, half = (uint64_t)hp->head_dim / 2;
    uint64_t mark = a->used;

    for (int32_t i = 0; i < hp->n_layers; i++) {
        const wir_layer_tensors *T = &desc->layers[i];
        cuda_layer *L = &s->layers[i];
        L->wq = wir_cuda_arena_take(a, T->wq->size);
        L->wk = wir_cuda_arena_take(a, T->wk->size);
        L->wv = wir_cuda_arena_take(a, T->wv->size);
        L->wo = wir_cuda_arena_take(a, T->wo->size);
        L->gate = wir_cuda_arena_take(a, T->ffn_gate->size);
        L->up = wir_cuda_arena_take(a, T->ffn_up->size);
        L->down = wir_cuda_arena_take(a, T->ffn_down->size);
        L->attn_norm = (float *)wir_cuda_arena_take(a, E * 4);
        L->ffn_norm = (float *)wir_cuda_arena_take(a, E * 4);
        if (hp->qkv_bias) {
            L->bq = (float *)wir_cuda_arena_take(a, Q * 4);
            L->bk = (float *)wir_cuda_arena_take(a, KV * 4);
            L->bv = (float *)wir_cuda_arena_take(a, KV * 4);
        }
    }
    s->token_embd = wir_cuda_arena_take(a, desc->token_embd->size);
    s->output = desc->output == desc->token_embd ? s->token_embd
                                                 : wir_cuda_arena_take(a, desc->output->size);
    s->output_norm = (float *)wir_cuda_arena_take(a, E * 4);
    s->inv_freq = (float *)wir_cuda_arena_take(a, half * 4);
    s->bytes_weights = a->used - mark;
    mark = a->used;

    for (int32_t i = 0; i < hp->n_layers; i++) {
        s->layers[i].k_cache = wir_cuda_arena_take(a, (uint64_t)p->n_ctx * KV * 2);
        s->layers[i].v_cache = wir_cuda_arena_take(a, (uint64_t)p->n_ctx * KV * 2);
    }
    s->bytes_kv = a->used - mark;
    mark = a->used;

    s->x = (float *)wir_cuda_arena_take(a, B * E * 4);
    s->xn = (float *)wir_cuda_arena_take(a, B * E * 4);
    s->tmp = (float *)wir_cuda_arena_take(a, B * E * 4);
    s->q = (float *)wir_cuda_arena_take(a, B * Q * 4);
    s->att = (float *)wir_cuda_arena_take(a, B * Q * 4);
    s->k = (float *)wir_cuda_arena_take(a, B * KV * 4);
    s->v = (float *)wir_cuda_arena_take(a, B * KV * 4);
    s->gate = (float *)wir_cuda_arena_take(a, B * F * 4);
    s->up = (float *)wir_cuda_arena_take(a, B * F * 4);
    uint64_t rows = CUDA_LOGITS_BYTES / (V * 4);
    s->n_logit_rows = (int32_t)(rows < 1 ? 1 : rows > B ? B : rows);
    s->logits = (float *)wir_cuda_arena_take(a, (uint64_t)s->n_logit_rows * V * 4);
    s->cs = (float *)wir_cuda_arena_take(a, B * half * 4);
    s->sn = (float *)wir_cuda_arena_take(a, B * half * 4);
    s->n_splits = wir_cuda_attn_decode_splits(p->n_ctx);
    s->partial = (float *)wir_cuda_arena_take(
        a, (uint64_t)wir_cuda_attn_decode_scratch(hp->n_heads, hp->head_dim, s->n_splits) * 4);
    s->d_tokens = (int32_t *)wir_cuda_arena_take(a, B * 4);
    s->d_pos = (int32_t *)wir_cuda_arena_take(a, 4);
    if (B > 1) {
        /* prefill: F16 activations for the widest input and a tile of at
         * least one row of the longest (and as much of the largest matrix
         * as CUDA_TILE_MAX_ELEMS allows) */
        uint64_t widest = E > F ? E : F, largest = 0;
        if (Q > widest) widest = Q;
        for (size_t i = 0; i < desc->n_tensors; i++) {
            const wir_model_tensor *t = &desc->tensors[i];
            if (cuda_is_matrix(desc, t) && t->type != WIR_QTYPE_F16) {
                uint64_t n = (uint64_t)t->ne[0] * (uint64_t)t->ne[1];
                if (n > largest) largest = n;
            }
        }
        const uint64_t tile_max = CUDA_TILE_MAX_ELEMS;
        uint64_t tile = largest < tile_max ? largest : tile_max;
        if (largest && tile < widest) tile = widest;
        s->gs.x16 = wir_cuda_arena_take(a, B * widest * 2);
        s->gs.tile = tile ? wir_cuda_arena_take(a, tile * 2) : NULL;
        s->gs.tile_elems = (int64_t)tile;
        s->blas_ws = wir_cuda_arena_take(a, CUDA_BLAS_WORKSPACE);
    }
    s->bytes_scratch = a->used - mark;
}

static void cuda_memory_of(cuda_state *s, uint64_t available, wir_backend_memory *m) {
    wir_cuda_arena count;
    wir_cuda_arena_count(&count);
    cuda_carve(s, &count);
    memset(m, 0, sizeof *m);
    m->weights = s->bytes_weights;
    m->kv = s->bytes_kv;
    m->scratch = s->bytes_scratch;
    m->total = count.used;
    m->available = available;
}

/* The free memory of device DEV (makes its context). */
static wir_backend_status cuda_free_memory(int32_t dev, uint64_t *free_b, wir_backend_error *err) {
    int n = 0;
    wir_backend_status st = cuda_count(&n, err);
    if (st != WIR_BACKEND_OK) return st;
    if (dev < 0 || dev >= n)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "no device %d (%d CUDA device%s here)",
                             (int)dev, n, n == 1 ? "" : "s");
    CUDA_CHECK(err, cudaSetDevice(dev));
    size_t fr = 0, tot = 0;
    CUDA_CHECK(err, cudaMemGetInfo(&fr, &tot));
    *free_b = fr;
    return WIR_BACKEND_OK;
}

/* A scratch state for counting: the desc, params and a layer table. */
static cuda_state *cuda_state_new(const wir_model_desc *desc, const wir_backend_params *p) {
    cuda_state *s = (cuda_state *)calloc(1, sizeof *s);
    if (!s) return NULL;
    s->desc = desc;
    s->params = *p;
    s->layers = (cuda_layer *)calloc((size_t)(desc->hp.n_layers > 0 ? desc->hp.n_layers : 1),
                                     sizeof *s->layers);
    if (!s->layers) {
        free(s);
        return NULL;
    }
    return s;
}

static wir_backend_status cuda_estimate(const wir_model_desc *desc, const wir_backend_params *p,
                                        wir_backend_memory *m, wir_backend_error *err) {
    memset(m, 0, sizeof *m);
    cuda_state *s = cuda_state_new(desc, p);
    if (!s) return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of host memory");
    wir_backend_status st = cuda_check_model(desc, p, err);
    if (p->n_ctx > 0 && p->n_batch > 0) cuda_memory_of(s, 0, m);
    free(s->layers);
    free(s);
    if (st != WIR_BACKEND_OK) return st;
    uint64_t fr = 0;
    st = cuda_free_memory(p->device, &fr, err);
    m->available = fr;
    return st;
}

/* ---- init / free ---- */

static void cuda_free(void *state) {
    cuda_state *s = (cuda_state *)state;
    if (!s) return;
    (void)cudaSetDevice(s->params.device);
    if (s->stream) (void)cudaStreamSynchronize(s->stream);
    if (s->graph) (void)cudaGraphExecDestroy(s->graph);
    if (s->events)
        for (int i = 0; i < CUDA_MAX_EVENTS; i++)
            if (s->events[i]) (void)cudaEventDestroy(s->events[i]);
    free(s->events);
    free(s->event_cat);
    if (s->blas) (void)cublasDestroy(s->blas);
    if (s->stream) (void)cudaStreamDestroy(s->stream);
    if (s->h_io) (void)cudaFreeHost(s->h_io);
    wir_cuda_arena_free(&s->arena);
    (void)cudaGetLastError();
    free(s->layers);
    free(s);
}

/* Uploads a vector tensor as floats. */
static wir_backend_status cuda_put_vector(const wir_model_tensor *t, float *dst, float *host,
                                          wir_backend_error *err) {
    wir_qformat_dequantize_row(t->type, t->data, host, t->ne[0]);
    CUDA_CHECK(err, cudaMemcpy(dst, host, (size_t)t->ne[0] * 4, cudaMemcpyHostToDevice));
    return WIR_BACKEND_OK;
}

#define TRY(call)                                    \
    do {                                             \
        wir_backend_status st_ = (call);             \
        if (st_ != WIR_BACKEND_OK) return st_;       \
    } while (0)

static wir_backend_status cuda_upload(cuda_state *s, float *host, wir_backend_error *err) {
    const wir_model_desc *desc = s->desc;
    const wir_model_hparams *hp = &desc->hp;
    for (int32_t i = 0; i < hp->n_layers; i++) {
        const wir_layer_tensors *T = &desc->layers[i];
        cuda_layer *L = &s->layers[i];
        const wir_model_tensor *src[7] = {T->wq, T->wk, T->wv, T->wo, T->ffn_gate, T->ffn_up, T->ffn_down};
        const void *dst[7] = {L->wq, L->wk, L->wv, L->wo, L->gate, L->up, L->down};
        for (int j = 0; j < 7; j++)
            CUDA_CHECK(err, cudaMemcpy((void *)dst[j], src[j]->data, src[j]->size, cudaMemcpyHostToDevice));
        TRY(cuda_put_vector(T->attn_norm, L->attn_norm, host, err));
        TRY(cuda_put_vector(T->ffn_norm, L->ffn_norm, host, err));
        if (hp->qkv_bias) {
            TRY(cuda_put_vector(T->bq, L->bq, host, err));
            TRY(cuda_put_vector(T->bk, L->bk, host, err));
            TRY(cuda_put_vector(T->bv, L->bv, host, err));
        }
    }
    CUDA_CHECK(err, cudaMemcpy((void *)s->token_embd, desc->token_embd->data, desc->token_embd->size,
                               cudaMemcpyHostToDevice));
    if (s->output != s->token_embd)
        CUDA_CHECK(err, cudaMemcpy((void *)s->output, desc->output->data, desc->output->size,
                                   cudaMemcpyHostToDevice));
    TRY(cuda_put_vector(desc->output_norm, s->output_norm, host, err));
    /* RoPE frequencies exactly as the CPU backend computes them */
    const int32_t half = hp->head_dim / 2;
    for (int32_t i = 0; i < half; i++) {
        double f = pow((double)hp->rope_theta, -2.0 * i / hp->head_dim);
        if (desc->rope_freq_factors) f /= desc->rope_freq_factors[i];
        if (hp->rope_scaling == WIR_ROPE_SCALING_LINEAR && hp->rope_factor > 0) f /= hp->rope_factor;
        host[i] = (float)f;
    }
    CUDA_CHECK(err, cudaMemcpy(s->inv_freq, host, (size_t)half * 4, cudaMemcpyHostToDevice));
    return WIR_BACKEND_OK;
}

static uint64_t cuda_decode_product_bytes(const wir_model_desc *desc) {
    uint64_t b = desc->output->size;
    for (int32_t i = 0; i < desc->hp.n_layers; i++) {
        const wir_layer_tensors *T = &desc->layers[i];
        b += T->wq->size + T->wk->size + T->wv->size + T->wo->size + T->ffn_gate->size +
             T->ffn_up->size + T->ffn_down->size;
    }
    return b;
}

static wir_backend_status cuda_setup(cuda_state *s, wir_backend_error *err) {
    const wir_model_hparams *hp = &s->desc->hp;
    uint64_t fr = 0;
    TRY(cuda_free_memory(s->params.device, &fr, err));
    /* the stream and cuBLAS's handle first: what they allocate is outside
     * the arena, so the free memory is measured after them */
    CUDA_CHECK(err, cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking));
    CUBLAS_CHECK(err, cublasCreate(&s->blas));
    CUBLAS_CHECK(err, cublasSetStream(s->blas, s->stream));
    TRY(cuda_free_memory(s->params.device, &fr, err));
    cuda_memory_of(s, fr, &s->mem);
    TRY(wir_cuda_arena_init(&s->arena, s->mem.total, err));
    cuda_carve(s, &s->arena);
    s->mem.peak = s->arena.size;
    if (s->blas_ws) CUBLAS_CHECK(err, cublasSetWorkspace(s->blas, s->blas_ws, CUDA_BLAS_WORKSPACE));
    CUDA_CHECK(err, cudaMallocHost((void **)&s->h_io, ((size_t)s->params.n_batch + 1) * 4));
    if (s->params.profile) {
        s->events = (cudaEvent_t *)calloc(CUDA_MAX_EVENTS, sizeof *s->events);
        s->event_cat = (uint8_t *)calloc(CUDA_MAX_EVENTS, 1);
        if (!s->events || !s->event_cat)
            return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of host memory");
        for (int i = 0; i < CUDA_MAX_EVENTS; i++) CUDA_CHECK(err, cudaEventCreate(&s->events[i]));
    }
    size_t widest = (size_t)(hp->n_embd > hp->n_ff ? hp->n_embd : hp->n_ff);
    if ((size_t)hp->n_heads * hp->head_dim > widest) widest = (size_t)hp->n_heads * hp->head_dim;
    float *host = (float *)malloc(widest * sizeof *host);
    if (!host) return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of host memory");
    wir_backend_status st = cuda_upload(s, host, err);
    free(host);
    s->product_bytes_decode = cuda_decode_product_bytes(s->desc);
    return st;
}

static wir_backend_status cuda_init(const wir_model_desc *desc, const wir_backend_params *p,
                                    void **out, wir_backend_error *err) {
    *out = NULL;
    TRY(cuda_check_model(desc, p, err));
    if (!desc->has_data)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "the model is a plan without weights");
    cuda_state *s = cuda_state_new(desc, p);
    if (!s) return wir_cuda_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of host memory");
    wir_backend_status st = cuda_setup(s, err);
    if (st != WIR_BACKEND_OK) {
        cuda_free(s);
        return st;
    }
    *out = s;
    return WIR_BACKEND_OK;
}

/* ---- the forward pass ---- */

/* Records a profile mark closing an operation of category CAT. */
static wir_backend_status cuda_mark(cuda_state *s, int cat, wir_backend_error *err) {
    if (!s->events || s->n_events >= CUDA_MAX_EVENTS) return WIR_BACKEND_OK;
    s->event_cat[s->n_events] = (uint8_t)cat;
    CUDA_CHECK(err, cudaEventRecord(s->events[s->n_events++], s->stream));
    return WIR_BACKEND_OK;
}

#define LAUNCH(call, cat)                     \
    do {                                      \
        CUDA_CHECK(err, call);                \
        TRY(cuda_mark(s, (cat), err));        \
    } while (0)

/* y = W x over NT tokens: mmvq for one, the tensor-core product for more. */
static wir_backend_status cuda_matmul(cuda_state *s, const wir_model_tensor *t, const void *w,
                                      const float *x, int32_t nt, float *y, wir_backend_error *err) {
    const int64_t K = t->ne[0], N = t->ne[1];
    if (nt == 1) {
        LAUNCH(wir_cuda_mmvq(t->type, w, K, N, x, y, s->stream), CAT_MATMUL);
        return WIR_BACKEND_OK;
    }
    TRY(wir_cuda_gemm(s->blas, t->type, w, K, N, x, K, nt, y, N, &s->gs, s->stream, err));
    return cuda_mark(s, CAT_MATMUL, err);
}

/* Everything up to the final norm of the rows [first, nt) into xn. */
static wir_backend_status cuda_forward(cuda_state *s, int32_t nt, int32_t first,
                                       wir_backend_error *err) {
    const wir_model_desc *desc = s->desc;
    const wir_model_hparams *hp = &desc->hp;
    const int64_t E = hp->n_embd, F = hp->n_ff;
    const int32_t half = hp->head_dim / 2;
    cudaStream_t st = s->stream;
    TRY(cuda_mark(s, CAT_OTHER, err)); /* the start */
    LAUNCH(wir_cuda_embed(desc->token_embd->type, s->token_embd, E, s->d_tokens, nt, s->x, st), CAT_OTHER);
    LAUNCH(wir_cuda_rope_table(s->inv_freq, half, s->d_pos, nt, s->cs, s->sn, st), CAT_ATTN);
    for (int32_t il = 0; il < hp->n_layers; il++) {
        const wir_layer_tensors *T = &desc->layers[il];
        const cuda_layer *L = &s->layers[il];
        LAUNCH(wir_cuda_rmsnorm(s->x, L->attn_norm, hp->rms_eps, E, nt, s->xn, st), CAT_OTHER);
        TRY(cuda_matmul(s, T->wq, L->wq, s->xn, nt, s->q, err));
        TRY(cuda_matmul(s, T->wk, L->wk, s->xn, nt, s->k, err));
        TRY(cuda_matmul(s, T->wv, L->wv, s->xn, nt, s->v, err));
        wir_cuda_rope_args ra = {s->q, s->k, s->v, L->bq, L->bk, L->bv, s->cs, s->sn,
                                 hp->n_heads, hp->n_kv_heads, hp->head_dim, (int32_t)hp->rope_type,
                                 nt, s->d_pos, L->k_cache, L->v_cache};
        LAUNCH(wir_cuda_rope_store(&ra, st), CAT_ATTN);
        wir_cuda_attn_args aa = {s->q, L->k_cache, L->v_cache, s->att, hp->n_heads,
                                 hp->n_kv_heads, hp->head_dim, nt, s->d_pos};
        if (nt == 1)
            LAUNCH(wir_cuda_attn_decode(&aa, s->n_splits, s->partial, st), CAT_ATTN);
        else
            LAUNCH(wir_cuda_attn_prefill(&aa, st), CAT_ATTN);
        TRY(cuda_matmul(s, T->wo, L->wo, s->att, nt, s->tmp, err));
        LAUNCH(wir_cuda_add(s->x, s->tmp, (int64_t)nt * E, st), CAT_OTHER);
        LAUNCH(wir_cuda_rmsnorm(s->x, L->ffn_norm, hp->rms_eps, E, nt, s->xn, st), CAT_OTHER);
        TRY(cuda_matmul(s, T->ffn_gate, L->gate, s->xn, nt, s->gate, err));
        TRY(cuda_matmul(s, T->ffn_up, L->up, s->xn, nt, s->up, err));
        LAUNCH(wir_cuda_swiglu(s->gate, s->up, (int64_t)nt * F, st), CAT_OTHER);
        TRY(cuda_matmul(s, T->ffn_down, L->down, s->gate, nt, s->tmp, err));
        LAUNCH(wir_cuda_add(s->x, s->tmp, (int64_t)nt * E, st), CAT_OTHER);
    }
    LAUNCH(wir_cuda_rmsnorm(s->x + (int64_t)first * E, s->output_norm, hp->rms_eps, E, nt - first,
                            s->xn, st),
           CAT_OTHER);
    return WIR_BACKEND_OK;
}

/* The decode step as a CUDA graph, captured on first use. */
static wir_backend_status cuda_decode_graph(cuda_state *s, wir_backend_error *err) {
    if (s->graph) return WIR_BACKEND_OK;
    const wir_model_tensor *out = s->desc->output;
    CUDA_CHECK(err, cudaStreamBeginCapture(s->stream, cudaStreamCaptureModeThreadLocal));
    wir_backend_status st = cuda_forward(s, 1, 0, err);
    if (st == WIR_BACKEND_OK) {
        cudaError_t e = wir_cuda_mmvq(out->type, s->output, out->ne[0], out->ne[1], s->xn,
                                      s->logits, s->stream);
        if (e != cudaSuccess)
            st = wir_cuda_fail(err, WIR_BACKEND_ERR_DEVICE, "%s:%d: output mmvq: %s", __FILE__,
                               __LINE__, cudaGetErrorString(e));
    }
    cudaGraph_t g = NULL;
    cudaError_t e = cudaStreamEndCapture(s->stream, &g);
    if (st != WIR_BACKEND_OK) {
        if (g) (void)cudaGraphDestroy(g);
        (void)cudaGetLastError();
        return st;
    }
    CUDA_CHECK(err, e);
    e = cudaGraphInstantiate(&s->graph, g, 0);
    (void)cudaGraphDestroy(g);
    CUDA_CHECK(err, e);
    return WIR_BACKEND_OK;
}

/* The output product of rows [first, nt) (normalised in xn) into LOGITS
 * (host; NULL: computed, not copied), n_logit_rows at a time. */
static wir_backend_status cuda_output(cuda_state *s, int32_t n_out, float *logits,
                                      wir_backend_error *err) {
    const wir_model_tensor *out = s->desc->output;
    const int64_t E = s->desc->hp.n_embd, V = s->desc->hp.n_vocab;
    for (int32_t r0 = 0; r0 < n_out; r0 += s->n_logit_rows) {
        const int32_t n = n_out - r0 < s->n_logit_rows ? n_out - r0 : s->n_logit_rows;
        TRY(cuda_matmul(s, out, s->output, s->xn + (int64_t)r0 * E, n, s->logits, err));
        if (logits)
            CUDA_CHECK(err, cudaMemcpyAsync(logits + (int64_t)r0 * V, s->logits, (size_t)n * V * 4,
                                            cudaMemcpyDeviceToHost, s->stream));
        if (r0 + n < n_out) CUDA_CHECK(err, cudaStreamSynchronize(s->stream));
    }
    return WIR_BACKEND_OK;
}

/* Adds the profile marks' intervals to the phase's parts. */
static wir_backend_status cuda_collect(cuda_state *s, wir_backend_phase_profile *ph,
                                       wir_backend_error *err) {
    for (int32_t i = 1; i < s->n_events; i++) {
        float ms = 0;
        CUDA_CHECK(err, cudaEventElapsedTime(&ms, s->events[i - 1], s->events[i]));
        uint64_t ns = (uint64_t)((double)ms * 1e6);
        uint64_t *slot = s->event_cat[i] == CAT_MATMUL ? &ph->ns_matmul
                         : s->event_cat[i] == CAT_ATTN ? &ph->ns_attention
                                                       : &ph->ns_other;
        *slot += ns;
    }
    s->n_events = 0;
    return WIR_BACKEND_OK;
}

static wir_backend_status cuda_eval(void *state, const int32_t *tokens, int32_t n_tokens,
                                    int32_t pos, bool all_logits, float *logits,
                                    wir_backend_error *err) {
    cuda_state *s = (cuda_state *)state;
    const wir_model_hparams *hp = &s->desc->hp;
    if (n_tokens < 1 || n_tokens > s->params.n_batch || !tokens)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "n_tokens %d: must be 1..n_batch (%d)",
                             (int)n_tokens, (int)s->params.n_batch);
    if (pos < 0 || pos > s->kv_len)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS, "position %d beyond the cache (%d tokens)",
                             (int)pos, (int)s->kv_len);
    for (int32_t t = 0; t < n_tokens; t++)
        if (tokens[t] < 0 || tokens[t] >= hp->n_vocab)
            return wir_cuda_fail(err, WIR_BACKEND_ERR_ARGS,
                                 "token %d at %d: outside the vocabulary of %d", (int)tokens[t],
                                 (int)t, (int)hp->n_vocab);
    s->kv_len = pos;
    if ((int64_t)pos + n_tokens > s->params.n_ctx)
        return wir_cuda_fail(err, WIR_BACKEND_ERR_CONTEXT_FULL,
                             "positions %d..%d do not fit the context of %d", (int)pos,
                             (int)(pos + n_tokens - 1), (int)s->params.n_ctx);
    wir_backend_phase_profile *ph =
        &s->prof.phase[n_tokens > 1 ? WIR_BACKEND_PHASE_PREFILL : WIR_BACKEND_PHASE_DECODE];
    const uint64_t start = cuda_now_ns();
    CUDA_CHECK(err, cudaSetDevice(s->params.device));
    memcpy(s->h_io, tokens, (size_t)n_tokens * 4);
    s->h_io[s->params.n_batch] = pos;
    CUDA_CHECK(err, cudaMemcpyAsync(s->d_tokens, s->h_io, (size_t)n_tokens * 4,
                                    cudaMemcpyHostToDevice, s->stream));
    CUDA_CHECK(err, cudaMemcpyAsync(s->d_pos, s->h_io + s->params.n_batch, 4,
                                    cudaMemcpyHostToDevice, s->stream));
    const int32_t first = all_logits && logits ? 0 : n_tokens - 1, n_out = n_tokens - first;
    s->n_events = 0;
    if (n_tokens == 1 && !s->params.profile) {
        TRY(cuda_decode_graph(s, err));
        CUDA_CHECK(err, cudaGraphLaunch(s->graph, s->stream));
        if (logits)
            CUDA_CHECK(err, cudaMemcpyAsync(logits, s->logits, (size_t)hp->n_vocab * 4,
                                            cudaMemcpyDeviceToHost, s->stream));
    } else {
        TRY(cuda_forward(s, n_tokens, first, err));
        TRY(cuda_output(s, n_out, logits, err));
    }
    CUDA_CHECK(err, cudaStreamSynchronize(s->stream));
    CUDA_CHECK(err, cudaGetLastError());
    TRY(cuda_collect(s, ph, err));
    s->kv_len = pos + n_tokens;
    ph->n_evals++;
    ph->n_tokens += (uint64_t)n_tokens;
    ph->weight_bytes += s->product_bytes_decode - s->desc->output->size +
                        (uint64_t)((n_out + s->n_logit_rows - 1) / s->n_logit_rows) * s->desc->output->size;
    ph->ns_total += cuda_now_ns() - start;
    return WIR_BACKEND_OK;
}

/* ---- the rest of the interface ---- */

static void cuda_kv_truncate(void *state, int32_t n_keep) {
    cuda_state *s = (cuda_state *)state;
    if (n_keep < 0) n_keep = 0;
    if (n_keep < s->kv_len) s->kv_len = n_keep;
}

static int32_t cuda_kv_length(const void *state) { return ((const cuda_state *)state)->kv_len; }

static void cuda_profile(const void *state, wir_backend_profile *out) {
    *out = ((const cuda_state *)state)->prof;
}

static void cuda_profile_reset(void *state) {
    memset(&((cuda_state *)state)->prof, 0, sizeof(wir_backend_profile));
}

static void cuda_memory(const void *state, wir_backend_memory *out) {
    *out = ((const cuda_state *)state)->mem;
}

static const wir_backend_ops cuda_ops = {
    "cuda",          cuda_list_devices, cuda_estimate,      cuda_init,   cuda_eval,
    cuda_kv_truncate, cuda_kv_length,   cuda_profile,       cuda_profile_reset,
    cuda_memory,     cuda_free,
};

extern "C" const wir_backend_ops *wir_backend_cuda(void) { return &cuda_ops; }
