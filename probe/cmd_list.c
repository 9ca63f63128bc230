/* probe list: the backends built into this probe and the devices each can
 * use here, the CPU's description, and whether NVML (GPU power and
 * utilisation) is available. CUDA detection goes through the backend
 * registry: "not built" when this binary has no CUDA backend, "no device"
 * when it has one but the runtime finds no GPU. */
#include <stdio.h>
#include <string.h>

#include "probe_commands.h"
#include "wir_backend.h"
#include "wir_bench_report.h"
#include "wir_host.h"
#include "wir_nvml.h"
#include "wir_version.h"

static void list_usage(FILE *out) {
    fprintf(out, "usage: probe list\n\n"
                 "Shows the backends and devices `probe run` can use on this machine.\n"
                 "  --help   show this help\n");
}

static void list_host(const wir_host *h) {
    char ram[32], avail[32];
    wir_report_bytes(h->ram_bytes, ram, sizeof ram);
    wir_report_bytes(wir_host_mem_available(), avail, sizeof avail);
    printf("host: %s, Linux %s %s\n", h->os ? h->os : "unknown OS",
           h->kernel ? h->kernel : "?", h->arch ? h->arch : "?");
    printf("cpu: %s\n", h->cpu_model ? h->cpu_model : "unknown model");
    if (h->cpu_cores > 0)
        printf("  cores: %d physical, %d threads\n", (int)h->cpu_cores, (int)h->cpu_threads);
    else
        printf("  cores: unknown physical, %d threads\n", (int)h->cpu_threads);
    printf("  RAM: %s (%s available)\n", ram, avail);
    printf("  SIMD kernels: %s\n", wir_host_cpu_kernels());
}

static void list_backend(const wir_backend_ops *ops) {
    wir_backend_device dev[16];
    int32_t n = ops->list_devices(dev, 16);
    printf("backend %s: built, %d device%s%s\n", ops->name, (int)n, n == 1 ? "" : "s",
           n == 0 ? " (no device)" : "");
    for (int32_t i = 0; i < n && i < 16; i++) {
        char total[32], free_b[32];
        wir_report_bytes((int64_t)dev[i].memory_total, total, sizeof total);
        wir_report_bytes((int64_t)dev[i].memory_free, free_b, sizeof free_b);
        printf("  %d: %s (%s), %s memory, %s free, %d %s%s%s\n", (int)dev[i].index, dev[i].name,
               dev[i].kind, total, free_b, (int)dev[i].n_cores,
               strcmp(dev[i].kind, "gpu") ? "CPUs" : "multiprocessors",
               dev[i].detail[0] ? "; " : "", dev[i].detail);
    }
}

int probe_cmd_list(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            list_usage(stdout);
            return 0;
        }
        fprintf(stderr, "probe list: unknown option '%s'\n", argv[i]);
        list_usage(stderr);
        return 2;
    }
    printf("probe %s (%s)\n", WIR_VERSION, WIR_GIT_COMMIT);
    wir_host h;
    wir_host_detect(&h);
    list_host(&h);
    wir_host_free(&h);

    const wir_backend_ops *all[8];
    size_t n = wir_backend_all(all, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        list_backend(all[i]);
    if (!wir_backend_find("cuda"))
        printf("backend cuda: not built (configure with nvcc available and -DWIR_CUDA=ON)\n");

    char why[512];
    wir_nvml *nvml = wir_nvml_open(why, sizeof why);
    if (!nvml) {
        printf("%s\n", why);
        return 0;
    }
    char driver[96] = "?", cuda[32] = "?";
    wir_nvml_driver_version(nvml, driver, sizeof driver);
    wir_nvml_cuda_version(nvml, cuda, sizeof cuda);
    int32_t count = wir_nvml_device_count(nvml);
    printf("NVML: driver %s (CUDA %s), %d GPU%s\n", driver, cuda, (int)count,
           count == 1 ? "" : "s");
    for (int32_t i = 0; i < count; i++) {
        char name[128], mem[32];
        int64_t total = -1;
        if (wir_nvml_device_info(nvml, i, name, sizeof name, &total) == 0) {
            wir_report_bytes(total, mem, sizeof mem);
            printf("  %d: %s, %s\n", (int)i, name, mem);
        }
    }
    wir_nvml_close(nvml);
    return 0;
}
