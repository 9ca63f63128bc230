/* wir_host: what machine this is — CPU, memory, OS and, where one is used, the
 * GPU — for `probe list` and for every run's record.
 *
 * Everything comes from the running system (/proc/cpuinfo, /proc/meminfo,
 * /etc/os-release, uname, the CPU's feature flags, the backends' device lists,
 * NVML); a figure the system does not report stays null (wir_record.h's
 * conventions), it is never guessed.
 */
#ifndef WIR_HOST_H
#define WIR_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "wir_record.h"

/* Fills host with the CPU, RAM and OS; the GPU fields null. The caller frees
 * with wir_host_free(). */
void wir_host_detect(wir_host *host);

/* The SIMD level the CPU kernels run at here, as their run-time dispatch
 * chooses it (wir_qformat's target clones): "x86-64-v3 (avx2 fma f16c)",
 * "x86-64 baseline (sse2)" or "portable C". Static string. */
const char *wir_host_cpu_kernels(void);

/* MemAvailable from /proc/meminfo in bytes; -1 when unreadable. */
int64_t wir_host_mem_available(void);

/* Peak resident memory of this process (VmHWM) in bytes, -1 when unknown;
 * wir_host_peak_rss_reset() restarts it (Linux clear_refs "5"), so a test's
 * peak is its own. The reset returns 0, or -1 where the kernel refuses (the
 * peak then covers the process's life so far). */
int64_t wir_host_peak_rss(void);
int wir_host_peak_rss_reset(void);

/* The CUDA runtime's version ("13.0") into buf; 0, or -1 when this binary
 * has no CUDA backend. Weak: the CUDA backend, when built, defines it. */
int wir_host_cuda_runtime_version(char *buf, size_t size);

#endif
