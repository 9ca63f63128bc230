/* wir_speed: decode and prefill tokens per second, time to first token.
 *
 * Decode is memory-bound: every generated token reads the active weights
 * and the KV cache up to the current depth, so
 *     tg tokens/s = efficiency x bandwidth / bytes read per token.
 * Prefill is compute-bound (the tensor rate doubled on GeForce boards,
 * whose catalog figure is the FP32-accumulate half rate; see
 * wir_speed.c):
 *     pp tokens/s = efficiency x tensor throughput / FLOPs per token
 * (2 x active parameters plus attention over the prompt). With partial
 * offload the decode times of the GPU part (GPU bandwidth) and the host
 * part (host bandwidth) add; prefill runs on the GPU, plus the copy of the
 * host layers' weights over PCIe once per micro-batch.
 *
 * Efficiencies are fitted by least squares to the measured runs in
 * data/runs/ (wir_speed_calibrate), one per hardware class; a figure that a
 * run measured is returned as measured, with the run's id. Every figure
 * carries a wir_speed_label saying which.
 */
#ifndef WIR_SPEED_H
#define WIR_SPEED_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_memory.h"

/* Hardware classes with their own efficiency. */
typedef enum wir_hw_class {
    WIR_HW_NVIDIA,
    WIR_HW_AMD,
    WIR_HW_APPLE,
    WIR_HW_INTEL,
    WIR_HW_CPU,
    WIR_HW_NVIDIA_DATACENTER, /* segment "datacenter": A100, H100, … */
    WIR_HW_N_CLASSES,
} wir_hw_class;

const char *wir_hw_class_name(wir_hw_class k);
wir_hw_class wir_hw_class_of(const wir_gpu *g); /* NULL: WIR_HW_CPU */

/* One fitted efficiency. */
/* Per-token time = ideal time / efficiency + overhead_s: the efficiency
 * scales the roofline, the overhead is what a token costs whatever its
 * bytes (kernel launches, synchronisation), fitted for decode with three
 * points or more (else 0). */
typedef struct wir_speed_fit {
    double efficiency;     /* ideal / measured at zero overhead, fitted */
    double overhead_s;     /* seconds per token; 0 for prefill */
    int32_t n_runs;        /* points it was fitted on; 0: the default */
    double rms_rel_error;  /* in-sample RMS of (pred - meas) / meas */
    double loo_rms_rel_error; /* leave-one-out: each point predicted by a
                                 fit on the others; NAN with < 2 points */
} wir_speed_fit;

typedef struct wir_calibration {
    char id[48];           /* "lsq-2026-12-01-n23": what labels cite */
    wir_speed_fit decode[WIR_HW_N_CLASSES];
    wir_speed_fit prefill[WIR_HW_N_CLASSES];
    double host_bandwidth_gb_s;   /* for the CPU part of a partial offload */
    double host_tflops;           /* CPU prefill throughput */
} wir_calibration;

/* Defaults, used for a class no run calibrates (docs/methodology.md). */
#define WIR_SPEED_DEFAULT_DECODE_EFF 0.60
#define WIR_SPEED_DEFAULT_PREFILL_EFF 0.30
#define WIR_SPEED_DEFAULT_HOST_BW_GB_S 76.8 /* dual-channel DDR5-4800 */
#define WIR_SPEED_DEFAULT_HOST_TFLOPS 1.0 /* 8 cores x 2 FMA x 8 lanes x 2 x 4 GHz */

/* PCIe 4.0 x16: 16 GT/s x 16 lanes x 128/130 / 8 bits, per direction. */
#define WIR_SPEED_PCIE_GB_S 31.5

/* A calibration with the defaults only (no runs). */
void wir_calibration_default(wir_calibration *cal);

/* Fits every class's decode and prefill efficiency to the catalog's runs
 * (full offload runs on one GPU kind with a model and file type the catalog
 * knows). Fills cal; returns the number of results used. */
int32_t wir_speed_calibrate(const wir_catalog *c, wir_calibration *cal);

/* One measured result as a calibration point: its ideal (efficiency 1)
 * speed for the run's placement, and the measured one. */
typedef struct wir_speed_run_point {
    const wir_run *run;
    size_t result;         /* index into run->results */
    wir_hw_class hw;
    bool decode;           /* tg; else pp */
    double ideal;          /* tokens/s at efficiency 1 */
    double measured;       /* tokens/s */
} wir_speed_run_point;

/* The catalog's runs that can calibrate (a GPU, full offload, a model and
 * file type the catalog has), up to max, into out; returns the count. base
 * gives the host figures. */
int32_t wir_speed_run_points(const wir_catalog *c, const wir_calibration *base,
                             wir_speed_run_point *out, int32_t max);

/* Fits class k's decode (or prefill) points by least squares in relative
 * time error, leaving out point skip (-1: none), into fit (efficiency,
 * overhead_s, n_runs; the error fields are not filled). Returns the points
 * used; fit keeps its values when there are none. */
int32_t wir_speed_lsq_fit(const wir_speed_run_point *p, int32_t n, wir_hw_class k, bool decode,
                          int32_t skip, wir_speed_fit *fit);

/* tokens/s of a point of ideal speed ideal under fit. */
double wir_speed_fit_apply(const wir_speed_fit *fit, double ideal);

typedef enum wir_label_kind {
    WIR_LABEL_ESTIMATED,
    WIR_LABEL_MEASURED,
} wir_label_kind;

/* Where a figure comes from. */
typedef struct wir_speed_label {
    wir_label_kind kind;
    char formula[32];      /* "decode-bw-v1", "prefill-flops-v2" */
    char calibration[48];  /* the calibration id, when estimated */
    char run_id[96];       /* the run, when measured */
    bool unreviewed;       /* that run is a local one no editor has reviewed */
} wir_speed_label;

/* "measured (run ID)" ("measured (run ID, not reviewed)") / "estimated
 * (FORMULA, calibration ID)". */
void wir_speed_label_format(const wir_speed_label *l, char *out, size_t size);

typedef struct wir_speed {
    double decode_tokens_per_s;
    wir_speed_label decode_label;
    double prefill_tokens_per_s;
    wir_speed_label prefill_label;
    double ttft_s;             /* n_prompt / prefill + one decode step */
    int64_t decode_bytes_per_token;  /* weights + KV at depth, all devices */
    double prefill_flops_per_token;
    int32_t depth;
    int32_t n_prompt;
} wir_speed;

/* Speed of the placement mem (from wir_memory_of or wir_fit_evaluate) of
 * request rq, generating at depth tokens of context after an n_prompt
 * prompt (defaults 0 and 512 when <= 0). cal NULL: defaults. A measured run
 * of the same GPU, count, model and file type with full offload replaces
 * the estimate (the closest depth; tg at depth 0 when depth is 0). Returns
 * 0, or -1 when the hardware has no bandwidth figure. */
int wir_speed_estimate(const wir_catalog *c, const wir_calibration *cal,
                       const wir_fit_request *rq, const wir_weights *w, const wir_memory *mem,
                       int32_t depth, int32_t n_prompt, wir_speed *out);

/* The ideal (efficiency 1) decode tokens/s and prefill tokens/s of a
 * placement: the quantities the calibration fits. */
double wir_speed_ideal_decode(const wir_fit_request *rq, const wir_weights *w,
                              const wir_memory *mem, int32_t depth, double host_bw_gb_s);
double wir_speed_ideal_prefill(const wir_fit_request *rq, const wir_weights *w,
                               const wir_memory *mem, int32_t n_prompt, double host_tflops);

#endif
