/* wir_host: the machine's description from /proc, /etc/os-release and uname. */
#define _DEFAULT_SOURCE /* uname, strdup, sysconf */
#include "wir_host.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The value after "key:" on a /proc-style line, trimmed; NULL if not that key. */
static char *host_line_value(char *line, const char *key) {
    size_t k = strlen(key);
    if (strncmp(line, key, k))
        return NULL;
    char *p = line + k;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        p[--n] = '\0';
    return p;
}

/* Physical cores: distinct (physical id, core id) pairs. -1 when the kernel
 * does not say (some virtual machines and non-x86 CPUs). */
static void host_read_cpuinfo(wir_host *h) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    enum { MAX_CORES = 4096 };
    static long pairs[MAX_CORES];
    int32_t n_pairs = 0;
    long phys = 0;
    bool seen_core = false;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *v;
        if (!h->cpu_model && (v = host_line_value(line, "model name")) && *v)
            h->cpu_model = strdup(v);
        else if ((v = host_line_value(line, "physical id")))
            phys = strtol(v, NULL, 10);
        else if ((v = host_line_value(line, "core id"))) {
            long key = phys * 65536 + strtol(v, NULL, 10);
            seen_core = true;
            bool dup = false;
            for (int32_t i = 0; i < n_pairs && !dup; i++)
                dup = pairs[i] == key;
            if (!dup && n_pairs < MAX_CORES)
                pairs[n_pairs++] = key;
        }
    }
    fclose(f);
    h->cpu_cores = seen_core ? n_pairs : -1;
}

/* A "Key:   123 kB" figure of /proc/meminfo in bytes, -1 when absent. */
static int64_t host_meminfo(const char *key) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return -1;
    char line[256];
    int64_t bytes = -1;
    while (fgets(line, sizeof line, f)) {
        char *v = host_line_value(line, key);
        if (v) {
            bytes = strtoll(v, NULL, 10) * 1024;
            break;
        }
    }
    fclose(f);
    return bytes;
}

int64_t wir_host_mem_available(void) { return host_meminfo("MemAvailable"); }

static char *host_os_name(void) {
    FILE *f = fopen("/etc/os-release", "r");
    if (!f)
        return NULL;
    char line[512], *name = NULL;
    while (!name && fgets(line, sizeof line, f)) {
        if (strncmp(line, "PRETTY_NAME=", 12))
            continue;
        char *v = line + 12;
        size_t n = strcspn(v, "\n");
        v[n] = '\0';
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
            v[n - 1] = '\0';
            v++;
        }
        name = strdup(v);
    }
    fclose(f);
    return name;
}

const char *wir_host_cpu_kernels(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v3"))
        return "x86-64-v3 (avx2 fma f16c)";
    return "x86-64 baseline (sse2)";
#else
    return "portable C";
#endif
}

void wir_host_detect(wir_host *h) {
    memset(h, 0, sizeof *h);
    h->cpu_cores = -1;
    h->gpu_memory_bytes = -1;
    host_read_cpuinfo(h);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    h->cpu_threads = online > 0 ? (int32_t)online : -1;
    h->ram_bytes = host_meminfo("MemTotal");
    h->cpu_features = strdup(wir_host_cpu_kernels());
    h->os = host_os_name();
    struct utsname u;
    if (uname(&u) == 0) {
        h->kernel = strdup(u.release);
        h->arch = strdup(u.machine);
    }
}

int64_t wir_host_peak_rss(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int64_t bytes = -1;
    while (fgets(line, sizeof line, f)) {
        char *v = host_line_value(line, "VmHWM");
        if (v) {
            bytes = strtoll(v, NULL, 10) * 1024;
            break;
        }
    }
    fclose(f);
    return bytes;
}

int wir_host_peak_rss_reset(void) {
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, "5", 1);
    close(fd);
    return n == 1 ? 0 : -1;
}

__attribute__((weak)) int wir_host_cuda_runtime_version(char *buf, size_t size) {
    if (size)
        buf[0] = '\0';
    return -1;
}
