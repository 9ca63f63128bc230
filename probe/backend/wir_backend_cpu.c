/* wir_backend_cpu: the reference backend - a complete llama/qwen2 decoder
 * forward pass on the CPU over the weights in place (quantized rows are never
 * expanded in memory).
 *
 * Per block: RMSNorm, Q/K/V projections (+ bias), RoPE (NORM or NEOX pairs,
 * frequency divisors for llama3 scaling, linear scaling), K/V appended to an
 * F16 or F32 cache, causal grouped-query attention, output projection and
 * residual, RMSNorm, SwiGLU FFN and residual; then the final norm and the
 * output projection (token_embd when tied) for the tokens whose logits are
 * wanted.
 *
 * Matrix products: one token (decode) uses wir_qformat_dot_row on each
 * weight row, which decodes the quantized row in registers - the row is read
 * once from memory, as a bandwidth-bound decode must. Several tokens
 * (prefill) dequantize a tile of rows to floats once per block of tokens and
 * run a register-blocked float kernel against the block, so decoding costs
 * are amortised over the tokens. Threads split the rows of each product (and
 * the (token, head) pairs of attention) statically; every output element is
 * computed by one thread in one fixed order, so results are bit-identical for
 * every thread count.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wir_backend.h"
#include "wir_cpu_kernels.h"
#include "wir_cpu_pool.h"
#include "wir_qformat.h"

enum {
    CPU_TILE_ROWS = 16,    /* weight rows dequantized at once in a prefill product */
    CPU_TILE_TOKENS = 32,  /* activation vectors a tile is applied to at once */
};

typedef struct cpu_layer {
    float *attn_norm, *ffn_norm;  /* n_embd */
    float *bq, *bk, *bv;          /* NULL without qkv_bias */
    uint8_t *k_cache, *v_cache;   /* n_ctx rows of n_kv_heads * head_dim */
} cpu_layer;

typedef struct cpu_state {
    const wir_model_desc *desc;
    wir_backend_params params;
    wir_cpu_pool *pool;
    int32_t nth;
    cpu_layer *layers;
    float *output_norm;
    float *inv_freq;      /* head_dim / 2: theta^(-2i/d) / divisor_i / linear factor */
    size_t kv_elt;        /* bytes per cache element */
    int32_t kv_len;
    /* activations, n_batch rows each */
    float *x, *xn, *q, *k, *v, *att, *gate, *up, *tmp;
    float *rope_cos, *rope_sin; /* n_batch x head_dim/2 */
    float *logits1;             /* n_vocab: the last token's logits when the caller
                                   passes no buffer */
    float *thread_buf;          /* per thread: scores, V row, weight tile */
    size_t thread_floats;
    wir_backend_profile prof;
    wir_backend_memory mem;
} cpu_state;

/* ---- errors and clocks ---- */

__attribute__((format(printf, 3, 4)))
static wir_backend_status cpu_fail(wir_backend_error *err, wir_backend_status status,
                                   const char *fmt, ...) {
    err->status = status;
    int n = snprintf(err->text, sizeof err->text, "cpu: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text + n, sizeof err->text - (size_t)n, fmt, ap);
    va_end(ap);
    return status;
}

static uint64_t cpu_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- devices and memory ---- */

/* A /proc/meminfo field in bytes, 0 when unreadable. */
static uint64_t cpu_meminfo(const char *field) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return 0;
    char line[256];
    uint64_t kb = 0;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            kb = strtoull(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb * 1024;
}

static int32_t cpu_online(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int32_t)n : 1;
}

static int32_t cpu_list_devices(wir_backend_device *out, int32_t max) {
    if (max < 1 || !out) return 1;
    wir_backend_device *d = &out[0];
    memset(d, 0, sizeof *d);
    d->index = 0;
    snprintf(d->kind, sizeof d->kind, "cpu");
    snprintf(d->name, sizeof d->name, "cpu");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) == 0) {
                const char *colon = strchr(line, ':');
                if (colon) {
                    colon++;
                    while (*colon == ' ' || *colon == '\t') colon++;
                    snprintf(d->name, sizeof d->name, "%.*s", (int)strcspn(colon, "\n"), colon);
                }
                break;
            }
        }
        fclose(f);
    }
    d->memory_total = cpu_meminfo("MemTotal");
    d->memory_free = cpu_meminfo("MemAvailable");
    d->n_cores = cpu_online();
    snprintf(d->detail, sizeof d->detail, "%d logical CPUs online", (int)d->n_cores);
    return 1;
}

static int32_t cpu_threads(const wir_backend_params *p) {
    return p->n_threads > 0 ? p->n_threads : cpu_online();
}

/* Floats of scratch: activations for n_batch tokens, rope tables, one logits
 * row, and per thread the attention scores, a V row and a weight tile. */
static void cpu_scratch_sizes(const wir_model_hparams *hp, const wir_backend_params *p,
                              size_t *shared, size_t *per_thread) {
    const size_t B = (size_t)p->n_batch, E = (size_t)hp->n_embd;
    const size_t Q = (size_t)hp->n_heads * (size_t)hp->head_dim;
    const size_t KV = (size_t)hp->n_kv_heads * (size_t)hp->head_dim, F = (size_t)hp->n_ff;
    size_t widest = E > F ? E : F;
    if (Q > widest) widest = Q;
    *shared = B * (3 * E + 2 * Q + 2 * KV + 2 * F + (size_t)hp->head_dim) + (size_t)hp->n_vocab;
    *per_thread = (size_t)p->n_ctx + (size_t)hp->head_dim + CPU_TILE_ROWS * widest + 16;
}

static uint64_t cpu_vectors_floats(const wir_model_hparams *hp) {
    const uint64_t Q = (uint64_t)hp->n_heads * hp->head_dim, KV = (uint64_t)hp->n_kv_heads * hp->head_dim;
    return (uint64_t)hp->n_layers * (2 * (uint64_t)hp->n_embd + (hp->qkv_bias ? Q + 2 * KV : 0)) +
           (uint64_t)hp->n_embd + (uint64_t)hp->head_dim;
}

static wir_backend_status cpu_check(const wir_model_desc *desc, const wir_backend_params *p,
                                    wir_backend_error *err) {
    if (p->n_ctx <= 0 || p->n_batch <= 0)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "n_ctx %d and n_batch %d must be positive",
                        (int)p->n_ctx, (int)p->n_batch);
    if (p->kv_type != WIR_QTYPE_F16 && p->kv_type != WIR_QTYPE_F32)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "KV cache type %s: only f16 and f32",
                        wir_qformat_name(p->kv_type));
    if (p->device != 0)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "no device %d (the CPU is device 0)",
                        (int)p->device);
    for (size_t i = 0; i < desc->n_tensors; i++)
        if (!wir_qformat_supported(desc->tensors[i].type))
            return cpu_fail(err, WIR_BACKEND_ERR_UNSUPPORTED, "tensor %s: type %d has no kernel",
                            desc->tensors[i].name, (int)desc->tensors[i].type);
    if (desc->hp.head_dim % 8 != 0)
        return cpu_fail(err, WIR_BACKEND_ERR_UNSUPPORTED, "head_dim %d is not a multiple of 8",
                        (int)desc->hp.head_dim);
    return WIR_BACKEND_OK;
}

static void cpu_memory_of(const wir_model_desc *desc, const wir_backend_params *p,
                          wir_backend_memory *m) {
    const wir_model_hparams *hp = &desc->hp;
    const uint64_t elt = p->kv_type == WIR_QTYPE_F32 ? 4 : 2;
    size_t shared, per_thread;
    cpu_scratch_sizes(hp, p, &shared, &per_thread);
    memset(m, 0, sizeof *m);
    m->weights = desc->weight_bytes;
    m->kv = 2ull * (uint64_t)hp->n_layers * (uint64_t)p->n_ctx * (uint64_t)hp->n_kv_heads *
            (uint64_t)hp->head_dim * elt;
    m->scratch = 4ull * (shared + per_thread * (uint64_t)cpu_threads(p) + cpu_vectors_floats(hp));
    m->total = m->weights + m->kv + m->scratch;
    m->available = cpu_meminfo("MemAvailable");
}

static wir_backend_status cpu_estimate(const wir_model_desc *desc, const wir_backend_params *p,
                                       wir_backend_memory *m, wir_backend_error *err) {
    cpu_memory_of(desc, p, m);
    return cpu_check(desc, p, err);
}

/* ---- init / free ---- */

static void cpu_free(void *state) {
    cpu_state *s = state;
    if (!s) return;
    wir_cpu_pool_free(s->pool);
    if (s->layers) {
        for (int32_t i = 0; i < s->desc->hp.n_layers; i++) {
            cpu_layer *L = &s->layers[i];
            free(L->attn_norm);
            free(L->ffn_norm);
            free(L->bq);
            free(L->bk);
            free(L->bv);
            free(L->k_cache);
            free(L->v_cache);
        }
    }
    free(s->layers);
    free(s->output_norm);
    free(s->inv_freq);
    float *bufs[] = {s->x, s->xn, s->q, s->k, s->v, s->att, s->gate, s->up, s->tmp,
                     s->rope_cos, s->rope_sin, s->logits1, s->thread_buf};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
    free(s);
}

/* A vector tensor as floats (norm weights and biases may be stored in any
 * computed type). */
static float *cpu_vector(const wir_model_tensor *t) {
    float *v = malloc((size_t)t->ne[0] * sizeof *v);
    if (v) wir_qformat_dequantize_row(t->type, t->data, v, t->ne[0]);
    return v;
}

static float *cpu_floats(size_t n) { return malloc((n ? n : 1) * sizeof(float)); }

static wir_backend_status cpu_init(const wir_model_desc *desc, const wir_backend_params *p,
                                   void **out, wir_backend_error *err) {
    *out = NULL;
    wir_backend_status st = cpu_check(desc, p, err);
    if (st != WIR_BACKEND_OK) return st;
    if (!desc->has_data)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "the model is a plan without weights");
    wir_backend_memory mem;
    cpu_memory_of(desc, p, &mem);
    /* The weights are in memory already; what init allocates must fit in
     * what is left. */
    if (mem.available && mem.kv + mem.scratch > mem.available)
        return cpu_fail(err, WIR_BACKEND_ERR_NO_MEMORY,
                        "does not fit: KV cache and scratch need %.2f GiB, %.2f GiB available",
                        (double)(mem.kv + mem.scratch) / (1 << 30),
                        (double)mem.available / (1 << 30));

    const wir_model_hparams *hp = &desc->hp;
    cpu_state *s = calloc(1, sizeof *s);
    if (!s) return cpu_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of memory");
    s->desc = desc;
    s->params = *p;
    s->nth = cpu_threads(p);
    s->kv_elt = p->kv_type == WIR_QTYPE_F32 ? 4 : 2;
    s->mem = mem;
    s->mem.peak = mem.total;
    bool ok = (s->pool = wir_cpu_pool_new(s->nth)) != NULL;
    ok = ok && (s->layers = calloc((size_t)hp->n_layers, sizeof *s->layers)) != NULL;
    const size_t KV = (size_t)hp->n_kv_heads * (size_t)hp->head_dim;
    const size_t cache_bytes = (size_t)p->n_ctx * KV * s->kv_elt;
    for (int32_t i = 0; ok && i < hp->n_layers; i++) {
        const wir_layer_tensors *T = &desc->layers[i];
        cpu_layer *L = &s->layers[i];
        ok = (L->attn_norm = cpu_vector(T->attn_norm)) && (L->ffn_norm = cpu_vector(T->ffn_norm));
        if (ok && hp->qkv_bias)
            ok = (L->bq = cpu_vector(T->bq)) && (L->bk = cpu_vector(T->bk)) &&
                 (L->bv = cpu_vector(T->bv));
        ok = ok && (L->k_cache = malloc(cache_bytes)) && (L->v_cache = malloc(cache_bytes));
    }
    ok = ok && (s->output_norm = cpu_vector(desc->output_norm));
    const int32_t half = hp->head_dim / 2;
    ok = ok && (s->inv_freq = cpu_floats((size_t)half));
    for (int32_t i = 0; ok && i < half; i++) {
        double f = pow((double)hp->rope_theta, -2.0 * i / hp->head_dim);
        if (desc->rope_freq_factors) f /= desc->rope_freq_factors[i];
        if (hp->rope_scaling == WIR_ROPE_SCALING_LINEAR && hp->rope_factor > 0) f /= hp->rope_factor;
        s->inv_freq[i] = (float)f;
    }
    const size_t B = (size_t)p->n_batch, E = (size_t)hp->n_embd;
    const size_t Q = (size_t)hp->n_heads * (size_t)hp->head_dim, F = (size_t)hp->n_ff;
    size_t shared, per_thread;
    cpu_scratch_sizes(hp, p, &shared, &per_thread);
    s->thread_floats = per_thread;
    ok = ok && (s->x = cpu_floats(B * E)) && (s->xn = cpu_floats(B * E)) &&
         (s->tmp = cpu_floats(B * E)) && (s->q = cpu_floats(B * Q)) &&
         (s->att = cpu_floats(B * Q)) && (s->k = cpu_floats(B * KV)) &&
         (s->v = cpu_floats(B * KV)) && (s->gate = cpu_floats(B * F)) &&
         (s->up = cpu_floats(B * F)) && (s->rope_cos = cpu_floats(B * (size_t)half)) &&
         (s->rope_sin = cpu_floats(B * (size_t)half)) &&
         (s->logits1 = cpu_floats((size_t)hp->n_vocab)) &&
         (s->thread_buf = cpu_floats(per_thread * (size_t)s->nth));
    if (!ok) {
        cpu_free(s);
        return cpu_fail(err, WIR_BACKEND_ERR_NO_MEMORY, "out of memory (%.2f GiB wanted)",
                        (double)(mem.kv + mem.scratch) / (1 << 30));
    }
    *out = s;
    return WIR_BACKEND_OK;
}

/* ---- matrix products ---- */

enum { CPU_MAX_FUSED = 3 }; /* products sharing one input, one dispatch */

typedef struct cpu_matmul_job {
    int32_t n;                              /* products in this job */
    const wir_model_tensor *w[CPU_MAX_FUSED];
    float *y[CPU_MAX_FUSED];                /* nt vectors of w->ne[1], stride ys */
    int64_t ys[CPU_MAX_FUSED];
    const float *x;                         /* nt vectors of w->ne[0], stride xs */
    int64_t xs;
    int32_t nt;
    cpu_state *s;
} cpu_matmul_job;

/* Rows [r0, r1) of one product. */
static void cpu_matmul_rows(const cpu_matmul_job *j, int32_t ith, const wir_model_tensor *w,
                            float *y, int64_t ys, int64_t r0, int64_t r1) {
    const int64_t K = w->ne[0];
    const size_t row_bytes = wir_qformat_row_bytes(w->type, K);
    const uint8_t *base = w->data;
    if (j->nt == 1) {
        for (int64_t r = r0; r < r1; r++)
            y[r] = wir_qformat_dot_row(w->type, base + (size_t)r * row_bytes, j->x, K);
        return;
    }
    float *tile = j->s->thread_buf + (size_t)ith * j->s->thread_floats + j->s->params.n_ctx +
                  j->s->desc->hp.head_dim;
    for (int64_t t0 = 0; t0 < j->nt; t0 += CPU_TILE_TOKENS) {
        const int64_t nt = j->nt - t0 < CPU_TILE_TOKENS ? j->nt - t0 : CPU_TILE_TOKENS;
        for (int64_t r = r0; r < r1; r += CPU_TILE_ROWS) {
            const int64_t nr = r1 - r < CPU_TILE_ROWS ? r1 - r : CPU_TILE_ROWS;
            for (int64_t i = 0; i < nr; i++)
                wir_qformat_dequantize_row(w->type, base + (size_t)(r + i) * row_bytes, tile + i * K, K);
            wir_cpu_gemm_tile(tile, nr, K, j->x + t0 * j->xs, j->xs, nt, y + t0 * ys + r, ys);
        }
    }
}

static void cpu_matmul_task(void *arg, int32_t ith, int32_t nth) {
    const cpu_matmul_job *j = arg;
    for (int32_t m = 0; m < j->n; m++) {
        int64_t r0, r1;
        wir_cpu_split(j->w[m]->ne[1], ith, nth, &r0, &r1);
        cpu_matmul_rows(j, ith, j->w[m], j->y[m], j->ys[m], r0, r1);
    }
}

/* Runs the products of J (sharing J's input) in one dispatch; timed as
 * matrix products. */
static void cpu_matmul_run(cpu_state *s, wir_backend_phase_profile *ph, cpu_matmul_job *j) {
    uint64_t t0 = cpu_now_ns();
    j->s = s;
    wir_cpu_pool_run(s->pool, cpu_matmul_task, j);
    ph->ns_matmul += cpu_now_ns() - t0;
    for (int32_t m = 0; m < j->n; m++) ph->weight_bytes += j->w[m]->size;
}

/* y = W x for NT vectors. */
static void cpu_matmul(cpu_state *s, wir_backend_phase_profile *ph, const wir_model_tensor *w,
                       const float *x, int64_t xs, int32_t nt, float *y, int64_t ys) {
    cpu_matmul_job j = {.n = 1, .w = {w}, .y = {y}, .ys = {ys}, .x = x, .xs = xs, .nt = nt};
    cpu_matmul_run(s, ph, &j);
}

/* ---- element-wise steps ---- */

static void cpu_rmsnorm(const float *x, const float *w, float eps, int64_t n, float *out) {
    double ss = 0;
    for (int64_t i = 0; i < n; i++) ss += (double)x[i] * x[i];
    float scale = (float)(1.0 / sqrt(ss / (double)n + eps));
    for (int64_t i = 0; i < n; i++) out[i] = x[i] * scale * w[i];
}

typedef struct cpu_ew_job {
    cpu_state *s;
    int32_t nt;
    const float *norm;   /* rmsnorm: weight */
    const float *src;    /* rmsnorm: input rows */
    float *dst;
} cpu_ew_job;

static void cpu_norm_task(void *arg, int32_t ith, int32_t nth) {
    const cpu_ew_job *j = arg;
    const int64_t E = j->s->desc->hp.n_embd;
    int64_t t0, t1;
    wir_cpu_split(j->nt, ith, nth, &t0, &t1);
    for (int64_t t = t0; t < t1; t++)
        cpu_rmsnorm(j->src + t * E, j->norm, j->s->desc->hp.rms_eps, E, j->dst + t * E);
}

static void cpu_swiglu_task(void *arg, int32_t ith, int32_t nth) {
    const cpu_ew_job *j = arg;
    const int64_t n = (int64_t)j->nt * j->s->desc->hp.n_ff;
    int64_t i0, i1;
    wir_cpu_split(n, ith, nth, &i0, &i1);
    float *g = j->s->gate;
    const float *u = j->s->up;
    for (int64_t i = i0; i < i1; i++) g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

/* Runs FN on the pool, or on this thread alone when the step is one token's
 * worth of element-wise work (a dispatch would cost more than it saves). */
static void cpu_run_timed(cpu_state *s, uint64_t *slot, wir_cpu_task fn, void *arg, bool small) {
    uint64_t t0 = cpu_now_ns();
    if (small)
        fn(arg, 0, 1);
    else
        wir_cpu_pool_run(s->pool, fn, arg);
    *slot += cpu_now_ns() - t0;
}

/* ---- attention ---- */

typedef struct cpu_attn_job {
    cpu_state *s;
    cpu_layer *L;
    int32_t nt, pos;
} cpu_attn_job;

/* Rotates the pairs of one head in place. */
static void cpu_rope_head(float *h, const float *cs, const float *sn, int32_t d, wir_rope_type type) {
    const int32_t half = d / 2;
    for (int32_t i = 0; i < half; i++) {
        int32_t a = type == WIR_ROPE_NEOX ? i : 2 * i, b = type == WIR_ROPE_NEOX ? i + half : 2 * i + 1;
        float x0 = h[a], x1 = h[b];
        h[a] = x0 * cs[i] - x1 * sn[i];
        h[b] = x0 * sn[i] + x1 * cs[i];
    }
}

/* Biases, RoPE and the store of K and V into the cache, per token. */
static void cpu_qkv_task(void *arg, int32_t ith, int32_t nth) {
    const cpu_attn_job *j = arg;
    const cpu_state *s = j->s;
    const wir_model_hparams *hp = &s->desc->hp;
    const int32_t d = hp->head_dim, half = d / 2;
    const int64_t Q = (int64_t)hp->n_heads * d, KV = (int64_t)hp->n_kv_heads * d;
    int64_t t0, t1;
    wir_cpu_split(j->nt, ith, nth, &t0, &t1);
    for (int64_t t = t0; t < t1; t++) {
        float *q = s->q + t * Q, *k = s->k + t * KV, *v = s->v + t * KV;
        if (j->L->bq) {
            for (int64_t i = 0; i < Q; i++) q[i] += j->L->bq[i];
            for (int64_t i = 0; i < KV; i++) k[i] += j->L->bk[i], v[i] += j->L->bv[i];
        }
        const float *cs = s->rope_cos + t * half, *sn = s->rope_sin + t * half;
        for (int32_t h = 0; h < hp->n_heads; h++) cpu_rope_head(q + h * d, cs, sn, d, hp->rope_type);
        for (int32_t h = 0; h < hp->n_kv_heads; h++) cpu_rope_head(k + h * d, cs, sn, d, hp->rope_type);
        const size_t at = (size_t)(j->pos + t) * (size_t)KV * s->kv_elt;
        if (s->kv_elt == 4) {
            memcpy(j->L->k_cache + at, k, (size_t)KV * 4);
            memcpy(j->L->v_cache + at, v, (size_t)KV * 4);
        } else {
            wir_qformat_quantize_row(WIR_QTYPE_F16, k, j->L->k_cache + at, KV);
            wir_qformat_quantize_row(WIR_QTYPE_F16, v, j->L->v_cache + at, KV);
        }
    }
}

/* softmax(q K^T / sqrt(d)) V over positions 0..pos+t, per (token, head). */
static void cpu_attn_task(void *arg, int32_t ith, int32_t nth) {
    const cpu_attn_job *j = arg;
    const cpu_state *s = j->s;
    const wir_model_hparams *hp = &s->desc->hp;
    const int32_t d = hp->head_dim, group = hp->n_heads / hp->n_kv_heads;
    const int64_t Q = (int64_t)hp->n_heads * d, KV = (int64_t)hp->n_kv_heads * d;
    const int32_t kv_type = s->kv_elt == 4 ? WIR_QTYPE_F32 : WIR_QTYPE_F16;
    const size_t kv_row = (size_t)KV * s->kv_elt;
    float *scores = s->thread_buf + (size_t)ith * s->thread_floats;
    float *vrow = scores + s->params.n_ctx;
    const float scale = 1.0f / sqrtf((float)d);
    int64_t w0, w1;
    wir_cpu_split((int64_t)j->nt * hp->n_heads, ith, nth, &w0, &w1);
    for (int64_t w = w0; w < w1; w++) {
        const int64_t t = w / hp->n_heads;
        const int32_t h = (int32_t)(w % hp->n_heads), kvh = h / group;
        const float *q = s->q + t * Q + (int64_t)h * d;
        const int64_t n = j->pos + t + 1; /* causal: keys 0..pos+t */
        const size_t head_off = (size_t)kvh * (size_t)d * s->kv_elt;
        float mx = -INFINITY;
        for (int64_t p = 0; p < n; p++) {
            const uint8_t *krow = j->L->k_cache + (size_t)p * kv_row + head_off;
            float sc = (kv_type == WIR_QTYPE_F32 ? wir_cpu_dot((const float *)(const void *)krow, q, d)
                                                 : wir_qformat_dot_row(kv_type, krow, q, d)) * scale;
            scores[p] = sc;
            if (sc > mx) mx = sc;
        }
        double sum = 0;
        for (int64_t p = 0; p < n; p++) {
            scores[p] = expf(scores[p] - mx);
            sum += scores[p];
        }
        float *out = s->att + t * Q + (int64_t)h * d;
        memset(out, 0, (size_t)d * sizeof *out);
        const float inv = (float)(1.0 / sum);
        for (int64_t p = 0; p < n; p++) {
            const uint8_t *vr = j->L->v_cache + (size_t)p * kv_row + head_off;
            if (kv_type == WIR_QTYPE_F32)
                memcpy(vrow, vr, (size_t)d * sizeof *vrow);
            else
                wir_qformat_dequantize_row(kv_type, vr, vrow, d);
            wir_cpu_axpy(out, scores[p] * inv, vrow, d);
        }
    }
}

/* ---- the forward pass ---- */

static void cpu_add(float *x, const float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] += y[i];
}

static wir_backend_status cpu_eval(void *state, const int32_t *tokens, int32_t n_tokens,
                                   int32_t pos, bool all_logits, float *logits,
                                   wir_backend_error *err) {
    cpu_state *s = state;
    const wir_model_desc *desc = s->desc;
    const wir_model_hparams *hp = &desc->hp;
    if (n_tokens < 1 || n_tokens > s->params.n_batch || !tokens)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "n_tokens %d: must be 1..n_batch (%d)",
                        (int)n_tokens, (int)s->params.n_batch);
    if (pos < 0 || pos > s->kv_len)
        return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "position %d beyond the cache (%d tokens)",
                        (int)pos, (int)s->kv_len);
    for (int32_t t = 0; t < n_tokens; t++)
        if (tokens[t] < 0 || tokens[t] >= hp->n_vocab)
            return cpu_fail(err, WIR_BACKEND_ERR_ARGS, "token %d at %d: outside the vocabulary of %d",
                            (int)tokens[t], (int)t, (int)hp->n_vocab);
    s->kv_len = pos;
    if ((int64_t)pos + n_tokens > s->params.n_ctx)
        return cpu_fail(err, WIR_BACKEND_ERR_CONTEXT_FULL,
                        "positions %d..%d do not fit the context of %d", (int)pos,
                        (int)(pos + n_tokens - 1), (int)s->params.n_ctx);

    wir_backend_phase_profile *ph =
        &s->prof.phase[n_tokens > 1 ? WIR_BACKEND_PHASE_PREFILL : WIR_BACKEND_PHASE_DECODE];
    const uint64_t start = cpu_now_ns();
    uint64_t t0 = start;
    const int64_t E = hp->n_embd, Q = (int64_t)hp->n_heads * hp->head_dim;
    const int64_t KV = (int64_t)hp->n_kv_heads * hp->head_dim, F = hp->n_ff;
    const int32_t half = hp->head_dim / 2, nt = n_tokens;

    /* Embedding rows and the RoPE table of this batch's positions. */
    const wir_model_tensor *embd = desc->token_embd;
    const size_t embd_row = wir_qformat_row_bytes(embd->type, E);
    for (int32_t t = 0; t < nt; t++)
        wir_qformat_dequantize_row(embd->type, (const uint8_t *)embd->data + (size_t)tokens[t] * embd_row,
                                   s->x + t * E, E);
    ph->ns_other += cpu_now_ns() - t0;
    t0 = cpu_now_ns();
    for (int32_t t = 0; t < nt; t++)
        for (int32_t i = 0; i < half; i++) {
            double a = (double)(pos + t) * (double)s->inv_freq[i];
            s->rope_cos[t * half + i] = (float)cos(a);
            s->rope_sin[t * half + i] = (float)sin(a);
        }
    ph->ns_attention += cpu_now_ns() - t0;

    for (int32_t il = 0; il < hp->n_layers; il++) {
        const wir_layer_tensors *T = &desc->layers[il];
        cpu_layer *L = &s->layers[il];
        cpu_ew_job ew = {s, nt, L->attn_norm, s->x, s->xn};
        cpu_run_timed(s, &ph->ns_other, cpu_norm_task, &ew, nt == 1);
        cpu_matmul_job qkv = {.n = 3, .w = {T->wq, T->wk, T->wv}, .y = {s->q, s->k, s->v},
                              .ys = {Q, KV, KV}, .x = s->xn, .xs = E, .nt = nt};
        cpu_matmul_run(s, ph, &qkv);
        cpu_attn_job aj = {s, L, nt, pos};
        cpu_run_timed(s, &ph->ns_attention, cpu_qkv_task, &aj, nt == 1);
        cpu_run_timed(s, &ph->ns_attention, cpu_attn_task, &aj, false);
        cpu_matmul(s, ph, T->wo, s->att, Q, nt, s->tmp, E);
        t0 = cpu_now_ns();
        cpu_add(s->x, s->tmp, (int64_t)nt * E);
        ph->ns_other += cpu_now_ns() - t0;

        ew.norm = L->ffn_norm;
        cpu_run_timed(s, &ph->ns_other, cpu_norm_task, &ew, nt == 1);
        cpu_matmul_job gu = {.n = 2, .w = {T->ffn_gate, T->ffn_up}, .y = {s->gate, s->up},
                             .ys = {F, F}, .x = s->xn, .xs = E, .nt = nt};
        cpu_matmul_run(s, ph, &gu);
        cpu_run_timed(s, &ph->ns_other, cpu_swiglu_task, &ew, nt == 1);
        cpu_matmul(s, ph, T->ffn_down, s->gate, F, nt, s->tmp, E);
        t0 = cpu_now_ns();
        cpu_add(s->x, s->tmp, (int64_t)nt * E);
        ph->ns_other += cpu_now_ns() - t0;
    }
    s->kv_len = pos + nt;

    /* Final norm and output projection for the rows whose logits are wanted. */
    const int32_t first = all_logits && logits ? 0 : nt - 1, n_out = nt - first;
    cpu_ew_job fin = {s, n_out, s->output_norm, s->x + (int64_t)first * E, s->xn};
    cpu_run_timed(s, &ph->ns_other, cpu_norm_task, &fin, n_out == 1);
    float *dst = logits ? logits : s->logits1;
    cpu_matmul(s, ph, desc->output, s->xn, E, n_out, dst, hp->n_vocab);

    ph->n_evals++;
    ph->n_tokens += (uint64_t)nt;
    ph->ns_total += cpu_now_ns() - start;
    return WIR_BACKEND_OK;
}

/* ---- the rest of the interface ---- */

static void cpu_kv_truncate(void *state, int32_t n_keep) {
    cpu_state *s = state;
    if (n_keep < 0) n_keep = 0;
    if (n_keep < s->kv_len) s->kv_len = n_keep;
}

static int32_t cpu_kv_length(const void *state) { return ((const cpu_state *)state)->kv_len; }

static void cpu_profile(const void *state, wir_backend_profile *out) {
    *out = ((const cpu_state *)state)->prof;
}

static void cpu_profile_reset(void *state) {
    memset(&((cpu_state *)state)->prof, 0, sizeof(wir_backend_profile));
}

static void cpu_memory(const void *state, wir_backend_memory *out) {
    *out = ((const cpu_state *)state)->mem;
}

static const wir_backend_ops cpu_ops = {
    .name = "cpu",
    .list_devices = cpu_list_devices,
    .estimate = cpu_estimate,
    .init = cpu_init,
    .eval = cpu_eval,
    .kv_truncate = cpu_kv_truncate,
    .kv_length = cpu_kv_length,
    .profile = cpu_profile,
    .profile_reset = cpu_profile_reset,
    .memory = cpu_memory,
    .free = cpu_free,
};

const wir_backend_ops *wir_backend_cpu(void) { return &cpu_ops; }
