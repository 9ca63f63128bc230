/* wir_nvml: NVML through dlopen/dlsym. The handful of NVML entry points used
 * are declared here from their documented signatures (NVML API reference,
 * https://docs.nvidia.com/deploy/nvml-api/), so no NVIDIA header is needed to
 * build. */
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime */
#include "wir_nvml.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int nvml_return;           /* nvmlReturn_t: 0 is NVML_SUCCESS */
typedef struct nvml_device_st *nvml_device;
typedef struct { unsigned int gpu, memory; } nvml_utilization;
typedef struct { unsigned long long total, free, used; } nvml_memory;

struct wir_nvml {
    void *lib;
    nvml_return (*init)(void);
    nvml_return (*shutdown)(void);
    nvml_return (*device_count)(unsigned int *);
    nvml_return (*device_handle)(unsigned int, nvml_device *);
    nvml_return (*device_name)(nvml_device, char *, unsigned int);
    nvml_return (*power_usage)(nvml_device, unsigned int *);              /* mW */
    nvml_return (*total_energy)(nvml_device, unsigned long long *);       /* mJ */
    nvml_return (*utilization)(nvml_device, nvml_utilization *);
    nvml_return (*memory_info)(nvml_device, nvml_memory *);
    nvml_return (*driver_version)(char *, unsigned int);
    nvml_return (*cuda_driver_version)(int *);
};

wir_nvml *wir_nvml_open(char *why, size_t why_size) {
    void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, why_size, "NVML not available: %s", e ? e : "libnvidia-ml.so.1 not found");
        return NULL;
    }
    wir_nvml *n = calloc(1, sizeof *n);
    if (!n) {
        dlclose(lib);
        snprintf(why, why_size, "NVML not available: out of memory");
        return NULL;
    }
    n->lib = lib;
    /* dlsym's void * to function pointer: POSIX guarantees it works. */
#define NVML_SYM(field, name) *(void **)&n->field = dlsym(lib, name)
    NVML_SYM(init, "nvmlInit_v2");
    NVML_SYM(shutdown, "nvmlShutdown");
    NVML_SYM(device_count, "nvmlDeviceGetCount_v2");
    NVML_SYM(device_handle, "nvmlDeviceGetHandleByIndex_v2");
    NVML_SYM(device_name, "nvmlDeviceGetName");
    NVML_SYM(power_usage, "nvmlDeviceGetPowerUsage");
    NVML_SYM(total_energy, "nvmlDeviceGetTotalEnergyConsumption");
    NVML_SYM(utilization, "nvmlDeviceGetUtilizationRates");
    NVML_SYM(memory_info, "nvmlDeviceGetMemoryInfo");
    NVML_SYM(driver_version, "nvmlSystemGetDriverVersion");
    NVML_SYM(cuda_driver_version, "nvmlSystemGetCudaDriverVersion");
#undef NVML_SYM
    if (!n->init || !n->shutdown || !n->device_count || !n->device_handle) {
        snprintf(why, why_size, "NVML not available: libnvidia-ml.so.1 lacks nvmlInit_v2");
        dlclose(lib);
        free(n);
        return NULL;
    }
    nvml_return rc = n->init();
    if (rc != 0) {
        snprintf(why, why_size, "NVML not available: nvmlInit_v2 returned %d", rc);
        dlclose(lib);
        free(n);
        return NULL;
    }
    return n;
}

void wir_nvml_close(wir_nvml *nvml) {
    if (!nvml)
        return;
    nvml->shutdown();
    dlclose(nvml->lib);
    free(nvml);
}

int32_t wir_nvml_device_count(wir_nvml *nvml) {
    unsigned int count = 0;
    if (!nvml || nvml->device_count(&count) != 0)
        return 0;
    return (int32_t)count;
}

int wir_nvml_driver_version(wir_nvml *nvml, char *buf, size_t size) {
    char v[96] = "";
    if (!nvml || !nvml->driver_version || nvml->driver_version(v, sizeof v) != 0 || !v[0])
        return -1;
    snprintf(buf, size, "%s", v);
    return 0;
}

int wir_nvml_cuda_version(wir_nvml *nvml, char *buf, size_t size) {
    int v = 0;
    if (!nvml || !nvml->cuda_driver_version || nvml->cuda_driver_version(&v) != 0 || v <= 0)
        return -1;
    /* 12080 means 12.8 (NVML_CUDA_DRIVER_VERSION_MAJOR/MINOR). */
    snprintf(buf, size, "%d.%d", v / 1000, (v % 1000) / 10);
    return 0;
}

static int nvml_handle(wir_nvml *nvml, int32_t index, nvml_device *dev) {
    if (!nvml || index < 0 || nvml->device_handle((unsigned int)index, dev) != 0)
        return -1;
    return 0;
}

int wir_nvml_device_info(wir_nvml *nvml, int32_t index, char *name, size_t name_size,
                         int64_t *memory_total) {
    nvml_device dev;
    if (nvml_handle(nvml, index, &dev))
        return -1;
    char v[96] = "";
    if (!nvml->device_name || nvml->device_name(dev, v, sizeof v) != 0)
        return -1;
    snprintf(name, name_size, "%s", v);
    nvml_memory mem;
    *memory_total = nvml->memory_info && nvml->memory_info(dev, &mem) == 0
                        ? (int64_t)mem.total : -1;
    return 0;
}

struct wir_nvml_sampler {
    wir_nvml *nvml;
    nvml_device dev;
    int32_t interval_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    bool stop;
    /* accumulated under lock */
    int32_t n_power, n_util;
    double sum_power_w, sum_util;
    int64_t max_memory;
    unsigned long long energy_start_mj;
    bool have_energy;
    struct timespec t0;
};

static double nvml_seconds_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void nvml_sample_once(wir_nvml_sampler *s) {
    wir_nvml *n = s->nvml;
    unsigned int mw;
    nvml_utilization u;
    nvml_memory mem;
    bool have_power = n->power_usage && n->power_usage(s->dev, &mw) == 0;
    bool have_util = n->utilization && n->utilization(s->dev, &u) == 0;
    bool have_mem = n->memory_info && n->memory_info(s->dev, &mem) == 0;
    pthread_mutex_lock(&s->lock);
    if (have_power) {
        s->sum_power_w += mw / 1000.0;
        s->n_power++;
    }
    if (have_util) {
        s->sum_util += u.gpu;
        s->n_util++;
    }
    if (have_mem && (int64_t)mem.used > s->max_memory)
        s->max_memory = (int64_t)mem.used;
    pthread_mutex_unlock(&s->lock);
}

static void *nvml_sampler_main(void *arg) {
    wir_nvml_sampler *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        bool stop = s->stop;
        pthread_mutex_unlock(&s->lock);
        if (stop)
            break;
        nvml_sample_once(s);
        struct timespec pause = {s->interval_ms / 1000, (long)(s->interval_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    return NULL;
}

wir_nvml_sampler *wir_nvml_sampler_start(wir_nvml *nvml, int32_t index, int32_t interval_ms) {
    nvml_device dev;
    if (nvml_handle(nvml, index, &dev))
        return NULL;
    wir_nvml_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->nvml = nvml;
    s->dev = dev;
    s->interval_ms = interval_ms < 1 ? 1 : interval_ms;
    s->max_memory = -1;
    pthread_mutex_init(&s->lock, NULL);
    s->have_energy = nvml->total_energy && nvml->total_energy(dev, &s->energy_start_mj) == 0;
    clock_gettime(CLOCK_MONOTONIC, &s->t0);
    if (pthread_create(&s->thread, NULL, nvml_sampler_main, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

void wir_nvml_sampler_stop(wir_nvml_sampler *s, wir_nvml_figures *out) {
    out->n_samples = 0;
    out->seconds = NAN;
    out->avg_power_w = out->energy_j = out->avg_util_pct = NAN;
    out->memory_used_bytes = -1;
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    nvml_sample_once(s); /* a short test still gets one sample */
    double secs = nvml_seconds_since(&s->t0);
    unsigned long long energy_end = 0;
    bool have_energy = s->have_energy && s->nvml->total_energy(s->dev, &energy_end) == 0 &&
                       energy_end >= s->energy_start_mj;
    out->seconds = secs;
    out->n_samples = s->n_power > s->n_util ? s->n_power : s->n_util;
    if (s->n_power)
        out->avg_power_w = s->sum_power_w / s->n_power;
    if (have_energy)
        out->energy_j = (double)(energy_end - s->energy_start_mj) / 1000.0;
    else if (s->n_power)
        out->energy_j = out->avg_power_w * secs;
    if (s->n_util)
        out->avg_util_pct = s->sum_util / s->n_util;
    out->memory_used_bytes = s->max_memory;
    pthread_mutex_destroy(&s->lock);
    free(s);
}
