/* wir_cuda_check: every CUDA and cuBLAS call of the backend is checked; a
 * failure becomes WIR_BACKEND_ERR_DEVICE with the file, line, call and the
 * runtime's message in the error text, and the function returns - nothing
 * aborts the probe.
 *
 *   CUDA_CHECK(err, cudaMalloc(&p, n));     (in a function returning
 *   CUBLAS_CHECK(err, cublasGemmEx(...));    wir_backend_status)
 *
 * Kernel launchers (wir_cuda_<op>.cuh) return cudaGetLastError(), so a bad
 * launch is checked the same way as any other call.
 */
#ifndef WIR_CUDA_CHECK_CUH
#define WIR_CUDA_CHECK_CUH

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "wir_backend.h"

/* Fills ERR (status, "cuda: " + the formatted text) and returns STATUS. */
wir_backend_status wir_cuda_fail(wir_backend_error *err, wir_backend_status status,
                                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* cuBLAS status name ("CUBLAS_STATUS_ALLOC_FAILED"). */
const char *wir_cuda_cublas_name(cublasStatus_t st);

#ifdef __cplusplus
}
#endif

#define CUDA_CHECK(err, call)                                                              \
    do {                                                                                   \
        cudaError_t wir_e_ = (call);                                                       \
        if (wir_e_ != cudaSuccess)                                                         \
            return wir_cuda_fail((err), WIR_BACKEND_ERR_DEVICE, "%s:%d: %s: %s", __FILE__, \
                                 __LINE__, #call, cudaGetErrorString(wir_e_));             \
    } while (0)

#define CUBLAS_CHECK(err, call)                                                            \
    do {                                                                                   \
        cublasStatus_t wir_s_ = (call);                                                    \
        if (wir_s_ != CUBLAS_STATUS_SUCCESS)                                               \
            return wir_cuda_fail((err), WIR_BACKEND_ERR_DEVICE, "%s:%d: %s: %s", __FILE__, \
                                 __LINE__, #call, wir_cuda_cublas_name(wir_s_));           \
    } while (0)

#endif
