/* wir_fit: tiers from a placement's bytes against each device's usable
 * memory, the layer search for partial offload, and the searches over
 * context and file type. docs/methodology.md's "Verdict" section. */
#include "wir_fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *wir_tier_name(wir_tier t) {
    switch (t) {
    case WIR_TIER_RUNS: return "runs";
    case WIR_TIER_TIGHT: return "tight";
    case WIR_TIER_PARTIAL: return "partial offload";
    case WIR_TIER_NO: return "won't run";
    }
    return "?";
}

const char *wir_tier_slug(wir_tier t) {
    switch (t) {
    case WIR_TIER_RUNS: return "runs";
    case WIR_TIER_TIGHT: return "tight";
    case WIR_TIER_PARTIAL: return "partial";
    case WIR_TIER_NO: return "no";
    }
    return "?";
}

#define GIB (1024.0 * 1024.0 * 1024.0)

/* The GPU with the least headroom (its index), or the host when CPU only. */
static int32_t wir_fit_tightest(const wir_memory *mem) {
    if (mem->gpu_count == 0) return 0;
    int32_t best = 1;
    for (int32_t d = 1; d < mem->n_devices; d++) {
        const wir_mem_device *a = &mem->devices[d], *b = &mem->devices[best];
        if (a->capacity_bytes - a->total_bytes < b->capacity_bytes - b->total_bytes) best = d;
    }
    return best;
}

static bool wir_fit_gpus_hold(const wir_memory *mem) {
    for (int32_t d = 1; d < mem->n_devices; d++)
        if (mem->devices[d].total_bytes > mem->devices[d].capacity_bytes) return false;
    return true;
}

/* The host holds its share, or its size is unknown. With unified memory the
 * host's share and the GPU's come out of the same RAM. */
static bool wir_fit_host_holds(const wir_memory *mem) {
    const wir_mem_device *h = &mem->devices[0];
    if (h->capacity_bytes <= 0) return true;
    int64_t need = mem->unified ? mem->total_bytes : h->total_bytes;
    return need <= h->capacity_bytes;
}

static int wir_fit_place(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                         int32_t ngl, wir_memory *mem) {
    wir_fit_request r = *rq;
    r.n_gpu_layers = ngl;
    return wir_memory_of(c, &r, w, mem);
}

/* Fills need/capacity/headroom from the tightest device of out->mem. */
static void wir_fit_measure(wir_fit *out) {
    int32_t d = wir_fit_tightest(&out->mem);
    const wir_mem_device *dev = &out->mem.devices[d];
    out->need_bytes = dev->total_bytes;
    if (d == 0 && out->mem.unified) out->need_bytes = out->mem.total_bytes;
    out->capacity_bytes = dev->capacity_bytes;
    out->headroom = dev->capacity_bytes > 0
                        ? (double)(dev->capacity_bytes - out->need_bytes) /
                              (double)dev->capacity_bytes
                        : NAN;
    out->n_gpu_layers = out->mem.n_gpu_layers;
}

static void wir_fit_full_tier(wir_fit *out, const char *where) {
    bool known = !isnan(out->headroom);
    out->tier = !known || out->headroom >= WIR_FIT_RUNS_HEADROOM ? WIR_TIER_RUNS : WIR_TIER_TIGHT;
    if (known)
        snprintf(out->reason, sizeof out->reason, "%.1f of %.1f GiB %s, %.0f%% headroom",
                 (double)out->need_bytes / GIB, (double)out->capacity_bytes / GIB, where,
                 out->headroom * 100.0);
    else
        snprintf(out->reason, sizeof out->reason, "%.1f GiB %s (size unknown, not checked)",
                 (double)out->need_bytes / GIB, where);
}

/* Largest layer count in [lo, hi] whose GPU share fits (memory grows with
 * the count); lo - 1 when none does. */
static int32_t wir_fit_search_layers(const wir_catalog *c, const wir_fit_request *rq,
                                     const wir_weights *w, int32_t lo, int32_t hi) {
    int32_t best = lo - 1;
    wir_memory mem;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (wir_fit_place(c, rq, w, mid, &mem) == 0 && wir_fit_gpus_hold(&mem)) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

static int wir_fit_partial(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                           int32_t ngl, wir_fit *out) {
    if (wir_fit_place(c, rq, w, ngl, &out->mem) != 0) return -1;
    wir_fit_measure(out);
    const wir_mem_device *h = &out->mem.devices[0];
    if (ngl <= 0) {
        out->tier = WIR_TIER_NO;
        snprintf(out->reason, sizeof out->reason,
                 "not one layer fits in %.1f GiB of GPU memory",
                 (double)out->mem.devices[1].capacity_bytes / GIB);
    } else if (!wir_fit_host_holds(&out->mem)) {
        out->tier = WIR_TIER_NO;
        snprintf(out->reason, sizeof out->reason,
                 "%d of %d layers fit on the GPU, but the rest needs %.1f GiB of RAM (%.1f GiB)",
                 (int)out->mem.n_gpu_layers, (int)out->n_layers_total,
                 (double)h->total_bytes / GIB, (double)h->capacity_bytes / GIB);
    } else {
        out->tier = WIR_TIER_PARTIAL;
        snprintf(out->reason, sizeof out->reason,
                 "%d of %d layers on the GPU, %.1f GiB in system RAM%s",
                 (int)out->mem.n_gpu_layers, (int)out->n_layers_total,
                 (double)h->total_bytes / GIB,
                 h->capacity_bytes > 0 ? "" : " (RAM size unknown, not checked)");
    }
    return 0;
}

int wir_fit_evaluate(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                     wir_fit *out) {
    memset(out, 0, sizeof *out);
    if (!rq || !rq->model || !rq->ftype || !rq->runtime) return -1;
    wir_weights own;
    if (!w || w->model != rq->model || w->ftype != rq->ftype) {
        if (wir_weights_of(c, rq->model, rq->ftype, &own) != 0) return -1;
        w = &own;
    }
    int32_t L = rq->model->n_layers;
    out->n_layers_total = L + 1;

    if (!rq->gpu) {
        if (wir_fit_place(c, rq, w, 0, &out->mem) != 0) return -1;
        wir_fit_measure(out);
        if (wir_fit_host_holds(&out->mem)) {
            wir_fit_full_tier(out, "of system RAM");
        } else {
            out->tier = WIR_TIER_NO;
            snprintf(out->reason, sizeof out->reason, "needs %.1f GiB, the RAM is %.1f GiB",
                     (double)out->need_bytes / GIB, (double)out->capacity_bytes / GIB);
        }
        return 0;
    }

    int32_t want = rq->n_gpu_layers < 0 || rq->n_gpu_layers > L + 1 ? L + 1 : rq->n_gpu_layers;
    if (wir_fit_place(c, rq, w, want, &out->mem) != 0) return -1;
    wir_fit_measure(out);
    bool all = out->mem.n_repeating_on_gpu == L && out->mem.output_on_gpu;
    if (wir_fit_gpus_hold(&out->mem) && wir_fit_host_holds(&out->mem)) {
        if (all) {
            wir_fit_full_tier(out, out->mem.gpu_count > 1 ? "on the tightest GPU" : "on the GPU");
            return 0;
        }
        return wir_fit_partial(c, rq, w, want, out);
    }
    /* Unified memory has nothing to offload to; an explicit layer count is
     * judged as given. */
    if (out->mem.unified || rq->n_gpu_layers >= 0) {
        out->tier = WIR_TIER_NO;
        snprintf(out->reason, sizeof out->reason, "needs %.1f GiB, %.1f GiB usable",
                 (double)out->need_bytes / GIB, (double)out->capacity_bytes / GIB);
        return 0;
    }
    return wir_fit_partial(c, rq, w, wir_fit_search_layers(c, rq, w, 1, L), out);
}

int64_t wir_fit_max_ctx(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                        wir_tier max_tier) {
    if (!rq || !rq->model || !rq->runtime) return 0;
    int64_t pad = rq->runtime->kv_pad_cells > 0 ? rq->runtime->kv_pad_cells : 1;
    int64_t lo = 1, hi = rq->model->context_length / pad, best = 0;
    if (hi < 1) hi = 1;
    wir_fit_request r = *rq;
    wir_fit f;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        r.ctx = mid * pad;
        if (wir_fit_evaluate(c, &r, w, &f) == 0 && f.tier <= max_tier) {
            best = mid * pad;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

const wir_ftype *wir_fit_best_ftype(const wir_catalog *c, const wir_fit_request *rq,
                                    wir_tier max_tier, wir_fit *out) {
    const wir_ftype *best = NULL;
    int64_t best_bytes = -1;
    wir_fit_request r = *rq;
    wir_fit f;
    wir_weights w;
    for (size_t i = 0; i < c->n_ftypes; i++) {
        r.ftype = &c->ftypes[i];
        if (wir_weights_of(c, rq->model, r.ftype, &w) != 0) continue;
        if (w.file_bytes <= best_bytes) continue;
        if (wir_fit_evaluate(c, &r, &w, &f) != 0 || f.tier > max_tier) continue;
        best = r.ftype;
        best_bytes = w.file_bytes;
        if (out) *out = f;
    }
    return best;
}
