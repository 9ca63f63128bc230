/* wir_fit: the will-it-run verdict for one model x hardware x quantization x
 * context, and the searches the site tabulates (best quantization that runs,
 * longest context that fits at each quantization).
 *
 * Tiers (docs/methodology.md):
 *   WIR_TIER_RUNS     everything on the GPU(s), headroom >= 10% of usable memory
 *   WIR_TIER_TIGHT    everything on the GPU(s), less headroom
 *   WIR_TIER_PARTIAL  n_gpu_layers of n_layers + 1 on the GPU(s), the rest in
 *                     system RAM (which must hold it when its size is known)
 *   WIR_TIER_NO       not even that (or CPU only and the RAM is too small)
 * Without a GPU the request is judged against system RAM alone: RUNS/TIGHT
 * when it fits, NO when it does not, and NO when the RAM is unknown is never
 * claimed (an unknown RAM size is not checked: RUNS).
 *
 * Pure computation on the catalog; no I/O, no allocation beyond what
 * wir_weights_of does when no weights are passed in.
 */
#ifndef WIR_FIT_H
#define WIR_FIT_H

#include "wir_memory.h"

typedef enum wir_tier {
    WIR_TIER_RUNS,
    WIR_TIER_TIGHT,
    WIR_TIER_PARTIAL,
    WIR_TIER_NO,
} wir_tier;

/* Headroom at or above this share of usable memory is "runs". */
#define WIR_FIT_RUNS_HEADROOM 0.10

typedef struct wir_fit {
    wir_tier tier;
    wir_memory mem;            /* the placement judged (for PARTIAL: with
                                  n_gpu_layers as chosen) */
    int32_t n_gpu_layers;      /* llama.cpp's count, output layer included */
    int32_t n_layers_total;    /* n_layers + 1 */
    int64_t need_bytes;        /* on the tightest GPU (or the host, CPU only) */
    int64_t capacity_bytes;    /* usable there; 0 when unknown */
    double headroom;           /* (capacity - need) / capacity; NAN when unknown */
    char reason[160];          /* one line: why this tier */
} wir_fit;

/* "runs", "tight", "partial offload", "won't run". */
const char *wir_tier_name(wir_tier t);
/* "runs", "tight", "partial", "no": for JSON and CSS classes. */
const char *wir_tier_slug(wir_tier t);

/* Judges rq. w: the weights of rq->model in rq->ftype, or NULL. With
 * rq->n_gpu_layers -1 the largest layer count that fits is searched; an
 * explicit count is judged as given. Returns 0, or -1 on an incomplete
 * request. */
int wir_fit_evaluate(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                     wir_fit *out);

/* The longest context (a multiple of the runtime's padding, at most the
 * model's context_length) at which rq (its ctx ignored) is at best max_tier
 * (WIR_TIER_TIGHT: fits entirely on the GPU(s); WIR_TIER_RUNS: with 10%
 * headroom). 0 when not even the smallest context does. */
int64_t wir_fit_max_ctx(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                        wir_tier max_tier);

/* The llama.cpp file type with the most bits per weight (largest file) at
 * which rq (its ftype ignored) reaches max_tier or better; NULL when none
 * does. When out is not NULL it receives that file type's verdict. Only
 * file types in the catalog are tried; it computes weights for each. */
const wir_ftype *wir_fit_best_ftype(const wir_catalog *c, const wir_fit_request *rq,
                                    wir_tier max_tier, wir_fit *out);

#endif
