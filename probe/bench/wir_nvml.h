/* wir_nvml: NVIDIA's management library, loaded at run time.
 *
 * The probe never links NVML: wir_nvml_open() dlopens libnvidia-ml.so.1 (the
 * driver installs it), so one binary runs on machines with and without an
 * NVIDIA driver. Without it every figure is null (NAN / -1) and `probe list`
 * says "NVML not available".
 *
 * A sampler polls one GPU from its own thread during a test: board power,
 * utilisation and memory used; the energy comes from the driver's energy
 * counter where the GPU has one (Volta and later), else from the average
 * power times the duration.
 *
 * Ownership: wir_nvml_open returns a handle the caller frees with
 * wir_nvml_close; a sampler is freed by wir_nvml_sampler_stop. Samplers must
 * be stopped before their handle is closed.
 */
#ifndef WIR_NVML_H
#define WIR_NVML_H

#include <stddef.h>
#include <stdint.h>

typedef struct wir_nvml wir_nvml;
typedef struct wir_nvml_sampler wir_nvml_sampler;

/* Loads and initialises NVML. Returns NULL when it is absent or fails, with
 * the reason in why (e.g. "NVML not available: libnvidia-ml.so.1: cannot
 * open shared object file"). */
wir_nvml *wir_nvml_open(char *why, size_t why_size);
void wir_nvml_close(wir_nvml *nvml);

/* GPUs NVML sees. */
int32_t wir_nvml_device_count(wir_nvml *nvml);
/* Driver version ("570.86.15") and the CUDA version the driver supports
 * ("12.8") into buf; 0, or -1 when NVML does not say. */
int wir_nvml_driver_version(wir_nvml *nvml, char *buf, size_t size);
int wir_nvml_cuda_version(wir_nvml *nvml, char *buf, size_t size);
/* Device INDEX's name and total memory; 0 or -1. */
int wir_nvml_device_info(wir_nvml *nvml, int32_t index, char *name, size_t name_size,
                         int64_t *memory_total);

/* What a sampler measured; NAN / -1 for what the GPU did not report. */
typedef struct wir_nvml_figures {
    int32_t n_samples;
    double seconds;              /* wall time sampled */
    double avg_power_w;
    double energy_j;
    double avg_util_pct;         /* GPU (SM) utilisation */
    int64_t memory_used_bytes;   /* the most seen */
} wir_nvml_figures;

/* Starts polling device INDEX every interval_ms (>= 1); NULL when nvml is
 * NULL or the device does not exist. */
wir_nvml_sampler *wir_nvml_sampler_start(wir_nvml *nvml, int32_t index, int32_t interval_ms);
/* Stops, fills *out (all null when sampler is NULL) and frees the sampler. */
void wir_nvml_sampler_stop(wir_nvml_sampler *sampler, wir_nvml_figures *out);

#endif
