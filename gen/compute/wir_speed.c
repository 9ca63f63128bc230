/* wir_speed: roofline estimates of decode and prefill speed, their
 * least-squares calibration on data/runs/, and measured figures where a run
 * exists. docs/methodology.md's "Speed" section states the formulas. */
#include "wir_speed.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIR_SPEED_DECODE_FORMULA "decode-bw-v1"
#define WIR_SPEED_PREFILL_FORMULA "prefill-flops-v2"

const char *wir_hw_class_name(wir_hw_class k) {
    static const char *const names[] = {"nvidia", "amd", "apple", "intel", "cpu",
                                        "nvidia-datacenter"};
    return k < WIR_HW_N_CLASSES ? names[k] : "?";
}

wir_hw_class wir_hw_class_of(const wir_gpu *g) {
    if (!g) return WIR_HW_CPU;
    switch (g->vendor) {
    case WIR_VENDOR_NVIDIA:
        return g->segment && !strcmp(g->segment, "datacenter") ? WIR_HW_NVIDIA_DATACENTER
                                                               : WIR_HW_NVIDIA;
    case WIR_VENDOR_AMD: return WIR_HW_AMD;
    case WIR_VENDOR_APPLE: return WIR_HW_APPLE;
    case WIR_VENDOR_INTEL: return WIR_HW_INTEL;
    }
    return WIR_HW_CPU;
}

void wir_calibration_default(wir_calibration *cal) {
    memset(cal, 0, sizeof *cal);
    snprintf(cal->id, sizeof cal->id, "defaults");
    for (int k = 0; k < WIR_HW_N_CLASSES; k++) {
        cal->decode[k] = (wir_speed_fit){WIR_SPEED_DEFAULT_DECODE_EFF, 0.0, 0, NAN, NAN};
        cal->prefill[k] = (wir_speed_fit){WIR_SPEED_DEFAULT_PREFILL_EFF, 0.0, 0, NAN, NAN};
    }
    cal->host_bandwidth_gb_s = WIR_SPEED_DEFAULT_HOST_BW_GB_S;
    cal->host_tflops = WIR_SPEED_DEFAULT_HOST_TFLOPS;
}

/* ---- the ideal (efficiency 1) speeds ------------------------------------ */

/* Bytes layer il's weights put through the decoder per token. */
static double wir_speed_layer_read(const wir_model *m, const wir_weights *w, int32_t il) {
    double experts = (double)w->layer_expert_bytes[il];
    double active = m->moe.n_experts > 0
                        ? (double)m->moe.n_experts_per_token / (double)m->moe.n_experts
                        : 1.0;
    return (double)(w->layer_bytes[il] - w->layer_expert_bytes[il]) + experts * active;
}

/* Decode bytes per token on the GPUs and on the host. */
static void wir_speed_decode_bytes(const wir_fit_request *rq, const wir_weights *w,
                                   const wir_memory *mem, int32_t depth, double *gpu,
                                   double *host) {
    const wir_model *m = rq->model;
    int32_t L = m->n_layers, first = L - mem->n_repeating_on_gpu;
    double kv = (double)wir_memory_kv_layer_bytes(m, mem->kv_type, depth);
    *gpu = *host = 0.0;
    for (int32_t il = 0; il < L; il++) {
        double b = wir_speed_layer_read(m, w, il) + kv;
        if (il >= first) *gpu += b;
        else *host += b;
    }
    double out = (double)(w->output_bytes + w->output_norm_bytes);
    if (mem->output_on_gpu) *gpu += out;
    else *host += out;
}

double wir_speed_ideal_decode(const wir_fit_request *rq, const wir_weights *w,
                              const wir_memory *mem, int32_t depth, double host_bw_gb_s) {
    double gpu, host;
    wir_speed_decode_bytes(rq, w, mem, depth, &gpu, &host);
    double bw = rq->gpu ? rq->gpu->memory_bandwidth_gb_s : NAN;
    double t = 0.0;
    if (gpu > 0) t += gpu / (bw * 1e9);
    if (host > 0) t += host / (host_bw_gb_s * 1e9);
    return t > 0 && isfinite(t) ? 1.0 / t : NAN;
}

/* FLOPs per prompt token: two per active weight, plus attention (QK^T and
 * PV, 2 x 2 x head_dim per head and cached token) over the depth already
 * cached plus half the prompt on average. Split by where the layers are. */
static void wir_speed_prefill_flops(const wir_fit_request *rq, const wir_weights *w,
                                    const wir_memory *mem, int32_t n_prompt, int32_t depth,
                                    double *gpu, double *host) {
    const wir_model *m = rq->model;
    int32_t L = m->n_layers;
    double out_params = (double)m->hidden_size * (double)m->vocab_size;
    double layer_params = ((double)w->active_params - out_params) / L;
    double attn = 4.0 * m->n_heads * m->head_dim * (depth + n_prompt / 2.0);
    double per_layer = 2.0 * layer_params + attn;
    *gpu = per_layer * mem->n_repeating_on_gpu + (mem->output_on_gpu ? 2.0 * out_params : 0.0);
    *host = per_layer * (L - mem->n_repeating_on_gpu) +
            (mem->output_on_gpu ? 0.0 : 2.0 * out_params);
}

/* The matrix rate prefill runs at. fp16_tensor_tflops is FP16 with FP32
 * accumulate (data/README.md), which GeForce boards (segment "consumer")
 * run at half their tensor cores' rate. llama.cpp's CUDA prefill does not
 * take that path: quantized types use its int8 MMQ kernels (int8 at the
 * full rate, twice FP16) and F16 uses cuBLAS with FP16 compute, so a
 * GeForce board prefills at twice its catalog figure, a workstation or
 * datacenter part at its catalog figure. */
static double wir_speed_prefill_tflops(const wir_gpu *g) {
    bool geforce = g->vendor == WIR_VENDOR_NVIDIA && g->segment && !strcmp(g->segment, "consumer");
    return geforce ? 2.0 * g->fp16_tensor_tflops : g->fp16_tensor_tflops;
}

/* Prompt seconds per token on the GPU side. With layers left in host
 * memory llama.cpp still runs a large batch's matrix products on the GPU,
 * copying those layers' weights over PCIe once per micro-batch. */
static double wir_speed_prefill_time(const wir_memory *mem,
                                     double gpu_f, double host_f, double gpu_tflops) {
    double host_w = (double)mem->devices[0].weights_bytes;
    return (gpu_f + host_f) / (gpu_tflops * 1e12) +
           (host_f > 0 ? host_w / (WIR_SPEED_PCIE_GB_S * 1e9) / mem->n_ubatch : 0.0);
}

static double wir_speed_ideal_prefill_at(const wir_fit_request *rq, const wir_weights *w,
                                         const wir_memory *mem, int32_t n_prompt, int32_t depth,
                                         double host_tflops) {
    double gpu, host;
    wir_speed_prefill_flops(rq, w, mem, n_prompt, depth, &gpu, &host);
    double t = rq->gpu ? wir_speed_prefill_time(mem, gpu, host, wir_speed_prefill_tflops(rq->gpu))
                       : host / (host_tflops * 1e12);
    return t > 0 && isfinite(t) ? 1.0 / t : NAN;
}

double wir_speed_ideal_prefill(const wir_fit_request *rq, const wir_weights *w,
                               const wir_memory *mem, int32_t n_prompt, double host_tflops) {
    return wir_speed_ideal_prefill_at(rq, w, mem, n_prompt, 0, host_tflops);
}

/* ---- calibration -------------------------------------------------------- */

/* Least squares in relative time error. A point's ideal time per token is
 * x = 1 / ideal, its measured time y = 1 / measured; the model is
 * y = a x + t0 (a = 1 / efficiency, t0 the per-token overhead), fitted by
 * minimizing sum ((a x + t0 - y) / y)^2: weighted least squares with
 * weights 1 / y^2. Decode fits t0 when the class has three points or more
 * and the fit is physical (t0 >= 0, efficiency <= 1), else t0 = 0; prefill
 * never fits t0. */
int32_t wir_speed_lsq_fit(const wir_speed_run_point *p, int32_t n, wir_hw_class k, bool decode,
                          int32_t skip, wir_speed_fit *fit) {
    double sxx = 0.0, sx = 0.0, s1 = 0.0, sxy = 0.0, sy = 0.0;
    int32_t count = 0;
    for (int32_t i = 0; i < n; i++) {
        if (i == skip || p[i].hw != k || p[i].decode != decode) continue;
        double x = 1.0 / p[i].ideal, y = 1.0 / p[i].measured, w = 1.0 / (y * y);
        sxx += w * x * x;
        sx += w * x;
        s1 += w;
        sxy += w * x * y;
        sy += w * y;
        count++;
    }
    if (count == 0) return 0;
    double a = sxy / sxx, t0 = 0.0;
    double det = sxx * s1 - sx * sx;
    if (decode && count >= 3 && det > 0) {
        double a2 = (sxy * s1 - sx * sy) / det, t2 = (sxx * sy - sx * sxy) / det;
        /* A physical fit only: no negative overhead, no efficiency above 1. */
        if (t2 >= 0 && a2 >= 1.0) {
            a = a2;
            t0 = t2;
        }
    }
    fit->efficiency = 1.0 / a;
    fit->overhead_s = t0;
    fit->n_runs = count;
    return count;
}

double wir_speed_fit_apply(const wir_speed_fit *fit, double ideal) {
    return 1.0 / (1.0 / (fit->efficiency * ideal) + fit->overhead_s);
}

static void wir_speed_fit_class(const wir_speed_run_point *p, int32_t n, wir_hw_class k,
                                bool decode, wir_speed_fit *fit) {
    if (wir_speed_lsq_fit(p, n, k, decode, -1, fit) == 0) return; /* keeps the default */
    double in = 0.0, loo = 0.0;
    int32_t n_loo = 0;
    for (int32_t i = 0; i < n; i++) {
        if (p[i].hw != k || p[i].decode != decode) continue;
        double rel = (wir_speed_fit_apply(fit, p[i].ideal) - p[i].measured) / p[i].measured;
        in += rel * rel;
        wir_speed_fit other = *fit;
        if (wir_speed_lsq_fit(p, n, k, decode, i, &other) > 0) {
            double r2 = (wir_speed_fit_apply(&other, p[i].ideal) - p[i].measured) / p[i].measured;
            loo += r2 * r2;
            n_loo++;
        }
    }
    fit->rms_rel_error = sqrt(in / fit->n_runs);
    fit->loo_rms_rel_error = n_loo > 0 ? sqrt(loo / n_loo) : NAN;
}

/* A run as a request: full offload of its model and file type on its GPUs. */
static bool wir_speed_run_request(const wir_catalog *c, const wir_run *r, wir_fit_request *rq) {
    wir_fit_request_init(rq);
    if (!r->gpu || !r->model || !r->ftype) return false;
    /* Runs with layers left on the CPU are not full-offload points. */
    if (r->n_gpu_layers >= 0 && r->n_gpu_layers < r->model->n_layers) return false;
    rq->model = r->model;
    rq->ftype = r->ftype;
    rq->runtime = wir_catalog_find_runtime(c, r->runtime ? r->runtime : "llama-cpp");
    if (!rq->runtime) rq->runtime = wir_catalog_find_runtime(c, "llama-cpp");
    if (!rq->runtime) return false;
    rq->gpu = r->gpu;
    rq->gpu_count = r->gpu_count > 0 ? r->gpu_count : 1;
    rq->kv_type = r->kv_type;
    rq->flash_attn = r->flash_attn;
    rq->ctx = 4096;
    return true;
}

int32_t wir_speed_run_points(const wir_catalog *c, const wir_calibration *base,
                             wir_speed_run_point *out, int32_t max) {
    int32_t n = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        const wir_run *r = &c->runs[i];
        wir_fit_request rq;
        wir_weights w;
        wir_memory mem;
        /* Only reviewed runs calibrate: an unreviewed local run is shown as
         * itself, never folded into every estimate. */
        if (r->unreviewed_db) continue;
        if (!wir_speed_run_request(c, r, &rq) || wir_weights_of(c, rq.model, rq.ftype, &w) != 0)
            continue;
        for (size_t k = 0; k < r->n_results && n < max; k++) {
            const wir_run_result *x = &r->results[k];
            bool decode = x->test == WIR_RUN_TG;
            rq.ctx = (int64_t)x->depth + x->n_prompt + x->n_gen;
            if (wir_memory_of(c, &rq, &w, &mem) != 0) continue;
            double ideal =
                decode ? wir_speed_ideal_decode(&rq, &w, &mem, x->depth, base->host_bandwidth_gb_s)
                       : wir_speed_ideal_prefill_at(&rq, &w, &mem, x->n_prompt, x->depth,
                                                    base->host_tflops);
            if (!isfinite(ideal) || !(x->tokens_per_s > 0)) continue;
            out[n++] = (wir_speed_run_point){r, k, wir_hw_class_of(r->gpu), decode, ideal,
                                             x->tokens_per_s};
        }
    }
    return n;
}

int32_t wir_speed_calibrate(const wir_catalog *c, wir_calibration *cal) {
    wir_calibration_default(cal);
    size_t cap = 0;
    for (size_t i = 0; i < c->n_runs; i++) cap += c->runs[i].n_results;
    if (cap == 0) return 0;
    wir_speed_run_point *p = calloc(cap, sizeof *p);
    if (!p) abort();
    int32_t n = wir_speed_run_points(c, cal, p, (int32_t)cap);
    for (int k = 0; k < WIR_HW_N_CLASSES; k++) {
        wir_speed_fit_class(p, n, (wir_hw_class)k, true, &cal->decode[k]);
        wir_speed_fit_class(p, n, (wir_hw_class)k, false, &cal->prefill[k]);
    }
    snprintf(cal->id, sizeof cal->id, "lsq-runs-n%d", (int)n);
    free(p);
    return n;
}

/* ---- estimates ---------------------------------------------------------- */

void wir_speed_label_format(const wir_speed_label *l, char *out, size_t size) {
    if (l->kind == WIR_LABEL_MEASURED)
        snprintf(out, size, "measured (run %s%s)", l->run_id,
                 l->unreviewed ? ", not reviewed" : "");
    else
        snprintf(out, size, "estimated (%s, calibration %s)", l->formula, l->calibration);
}

/* The run result of the same hardware, model and file type closest to depth
 * (within max(512, depth/10) tokens); NULL when none. */
static const wir_run_result *wir_speed_measured(const wir_catalog *c, const wir_fit_request *rq,
                                                wir_run_test test, int32_t depth,
                                                const wir_run **run) {
    const wir_run_result *best = NULL;
    int64_t best_d = 0;
    int32_t count = rq->gpu ? (rq->gpu_count > 0 ? rq->gpu_count : 1) : 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        const wir_run *r = &c->runs[i];
        if (r->gpu != rq->gpu || r->gpu_count != count || r->model != rq->model ||
            r->ftype != rq->ftype || !r->gpu)
            continue;
        if (r->n_gpu_layers >= 0 && r->n_gpu_layers < r->model->n_layers) continue;
        for (size_t k = 0; k < r->n_results; k++) {
            const wir_run_result *x = &r->results[k];
            if (x->test != test) continue;
            int64_t d = llabs((int64_t)x->depth - depth);
            /* At the same distance a reviewed run wins over a local one. */
            if (!best || d < best_d ||
                (d == best_d && (*run)->unreviewed_db && !r->unreviewed_db)) {
                best = x;
                best_d = d;
                *run = r;
            }
        }
    }
    int64_t tol = depth / 10 > 512 ? depth / 10 : 512;
    return best && best_d <= tol ? best : NULL;
}

static void wir_speed_set_label(wir_speed_label *l, const char *formula,
                                const wir_calibration *cal, const wir_run *run) {
    memset(l, 0, sizeof *l);
    snprintf(l->formula, sizeof l->formula, "%s", formula);
    snprintf(l->calibration, sizeof l->calibration, "%s", cal->id);
    if (run) {
        l->kind = WIR_LABEL_MEASURED;
        snprintf(l->run_id, sizeof l->run_id, "%s", run->id);
        l->unreviewed = run->unreviewed_db != NULL;
    }
}

int wir_speed_estimate(const wir_catalog *c, const wir_calibration *cal,
                       const wir_fit_request *rq, const wir_weights *w, const wir_memory *mem,
                       int32_t depth, int32_t n_prompt, wir_speed *out) {
    memset(out, 0, sizeof *out);
    wir_calibration defaults;
    if (!cal) {
        wir_calibration_default(&defaults);
        cal = &defaults;
    }
    wir_weights own;
    if (!w || w->model != rq->model || w->ftype != rq->ftype) {
        if (wir_weights_of(c, rq->model, rq->ftype, &own) != 0) return -1;
        w = &own;
    }
    out->depth = depth > 0 ? depth : 0;
    out->n_prompt = n_prompt > 0 ? n_prompt : 512;
    wir_hw_class k = wir_hw_class_of(rq->gpu);
    const wir_speed_fit *dfit = &cal->decode[k], *pfit = &cal->prefill[k];
    const wir_speed_fit *dcpu = &cal->decode[WIR_HW_CPU], *pcpu = &cal->prefill[WIR_HW_CPU];

    double gpu_b, host_b, gpu_f, host_f;
    wir_speed_decode_bytes(rq, w, mem, out->depth, &gpu_b, &host_b);
    wir_speed_prefill_flops(rq, w, mem, out->n_prompt, 0, &gpu_f, &host_f);
    out->decode_bytes_per_token = (int64_t)llround(gpu_b + host_b);
    out->prefill_flops_per_token = gpu_f + host_f;
    double bw = rq->gpu ? rq->gpu->memory_bandwidth_gb_s : NAN;
    double tf = rq->gpu ? wir_speed_prefill_tflops(rq->gpu) : NAN;
    double td = 0.0, tp = 0.0;
    if (gpu_b > 0) td += gpu_b / (dfit->efficiency * bw * 1e9) + dfit->overhead_s;
    if (host_b > 0) td += host_b / (dcpu->efficiency * cal->host_bandwidth_gb_s * 1e9);
    if (rq->gpu)
        tp = wir_speed_prefill_time(mem, gpu_f, host_f, pfit->efficiency * tf);
    else
        tp = host_f / (pcpu->efficiency * cal->host_tflops * 1e12);
    if (!(td > 0) || !isfinite(td)) return -1;
    out->decode_tokens_per_s = 1.0 / td;
    out->prefill_tokens_per_s = tp > 0 && isfinite(tp) ? 1.0 / tp : NAN;

    const wir_run *run = NULL;
    const wir_run_result *m = NULL;
    if (mem->n_repeating_on_gpu == rq->model->n_layers && rq->gpu)
        m = wir_speed_measured(c, rq, WIR_RUN_TG, out->depth, &run);
    if (m) out->decode_tokens_per_s = m->tokens_per_s;
    wir_speed_set_label(&out->decode_label, WIR_SPEED_DECODE_FORMULA, cal, m ? run : NULL);
    m = NULL;
    run = NULL;
    if (mem->n_repeating_on_gpu == rq->model->n_layers && rq->gpu)
        m = wir_speed_measured(c, rq, WIR_RUN_PP, 0, &run);
    if (m) out->prefill_tokens_per_s = m->tokens_per_s;
    wir_speed_set_label(&out->prefill_label, WIR_SPEED_PREFILL_FORMULA, cal, m ? run : NULL);
    out->ttft_s = out->n_prompt / out->prefill_tokens_per_s + 1.0 / out->decode_tokens_per_s;
    return 0;
}
