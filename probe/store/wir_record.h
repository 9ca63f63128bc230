/* wir_record: what one `probe run` measures, in memory.
 *
 * The contract between the benchmark driver (probe/bench, which fills these),
 * the report (Markdown and JSON) and the store (probe/store, which writes them
 * to SQLite). Names and meanings follow data/README.md's runs/ section so a
 * stored run converts 1:1 to data/runs/<id>.json: a test is "pp" (prefill of
 * n_prompt tokens) or "tg" (decode of n_gen tokens, one at a time) after a KV
 * cache filled with `depth` tokens; tokens_per_s and stddev are the mean and
 * sample standard deviation of the per-repetition tokens/s in `samples`.
 *
 * Nullable figures follow wir_catalog.h: NAN for doubles, -1 for integers and
 * NULL for strings mean "not known / not measured"; nothing is ever invented.
 * Every string is owned by the struct that holds it (freed by its _free).
 */
#ifndef WIR_RECORD_H
#define WIR_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* The machine a run measured. */
typedef struct wir_host {
    char *cpu_model;          /* /proc/cpuinfo "model name"; NULL when unknown */
    int32_t cpu_cores;        /* physical cores; -1 when unknown */
    int32_t cpu_threads;      /* logical CPUs online */
    int64_t ram_bytes;        /* MemTotal */
    char *cpu_features;       /* SIMD features the CPU kernels use: "avx2 fma f16c" */
    char *os;                 /* /etc/os-release PRETTY_NAME */
    char *kernel;             /* uname -r */
    char *arch;               /* uname -m */
    char *gpu_name;           /* NULL when no GPU is used or detected */
    int64_t gpu_memory_bytes; /* -1 when no GPU */
    char *gpu_driver;         /* driver version; NULL when no GPU */
    char *cuda_version;       /* CUDA runtime version "13.0"; NULL when no GPU */
} wir_host;

void wir_host_free(wir_host *host);

typedef enum wir_test_kind {
    WIR_TEST_PP, /* prompt processing (prefill) */
    WIR_TEST_TG, /* text generation (decode) */
} wir_test_kind;

typedef enum wir_result_status {
    WIR_RESULT_OK,
    WIR_RESULT_DOES_NOT_FIT, /* bytes_needed > bytes_available: not run */
    WIR_RESULT_ERROR,        /* the engine failed; `error` says why */
} wir_result_status;

/* "pp" / "tg"; "ok" / "does-not-fit" / "error". Static strings. */
const char *wir_test_kind_name(wir_test_kind kind);
const char *wir_result_status_name(wir_result_status status);

/* Where a phase's time went, from the backend's profile counters
 * (nanoseconds summed over the timed repetitions; -1 when not profiled). */
typedef struct wir_profile {
    int64_t matmul_ns;    /* matrix products (weights x activations) */
    int64_t attention_ns; /* QK^T, softmax, xV over the KV cache */
    int64_t other_ns;     /* norms, RoPE, activations, embeddings, the rest */
} wir_profile;

/* One test of a run. */
typedef struct wir_result {
    wir_test_kind kind;
    int32_t n_prompt;         /* tokens prefilled (pp), 0 for tg */
    int32_t n_gen;            /* tokens decoded (tg), 0 for pp */
    int32_t depth;            /* tokens in the KV cache before the test */
    wir_result_status status;
    char *error;              /* NULL unless status is ERROR */
    int64_t bytes_needed;     /* engine's accounting at this test's context */
    int64_t bytes_available;  /* RAM or device memory available at start */
    int32_t n_samples;        /* timed repetitions (0 unless OK) */
    int64_t *samples_ns;      /* n_samples durations */
    double *samples_ts;       /* n_samples tokens/s */
    double avg_ns, stddev_ns;
    double tokens_per_s;      /* mean of samples_ts; NAN unless OK */
    double stddev;            /* sample standard deviation of samples_ts */
    double ttft_ms;           /* pp: mean time to the first token's logits; NAN for tg */
    int64_t peak_memory_bytes;/* process peak resident memory during the test */
    int64_t peak_device_bytes;/* device memory peak; -1 on CPU */
    double power_w;           /* NVML average board power; NAN without NVML */
    double joules_per_token;  /* energy / tokens; NAN without NVML */
    double gpu_util_pct;      /* NVML average GPU utilisation; NAN without NVML */
    int64_t gpu_memory_used_bytes; /* NVML memory used at the end; -1 without */
    wir_profile profile;      /* -1s unless profiled */
    char started_at[24];      /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
} wir_result;

void wir_result_init(wir_result *r, wir_test_kind kind, int32_t n_prompt,
                     int32_t n_gen, int32_t depth);
void wir_result_free(wir_result *r);
/* "pp512", "tg128 @ d4096" into buf. */
void wir_result_test_label(const wir_result *r, char *buf, size_t size);

/* Where the model came from: a catalog model generated at a file type, or a
 * GGUF file. */
typedef enum wir_run_source {
    WIR_RUN_CATALOG,
    WIR_RUN_GGUF,
} wir_run_source;

/* One run: what was measured, where, with what, and how to repeat it. */
typedef struct wir_run_info {
    char *command_line;       /* shell-quoted argv that reproduces the run */
    char *probe_version;      /* WIR_VERSION */
    char *probe_commit;       /* WIR_GIT_COMMIT */
    char started_at[24];      /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
    wir_run_source source;
    char *model_slug;         /* catalog slug; NULL for GGUF */
    char *ftype;              /* catalog file type slug "q4-k-m"; NULL for GGUF */
    char *gguf_sha256;        /* hex; NULL for catalog */
    char *gguf_name;          /* general.name; NULL when absent or catalog */
    char *gguf_file;          /* file name as given; NULL for catalog */
    char *model_name;         /* display name: "Qwen2.5 0.5B" */
    char *quant;              /* llama.cpp file type name "Q4_K_M" */
    int64_t model_params;     /* parameters in the tensors */
    int64_t model_bytes;      /* bytes of the weights */
    int32_t n_ctx;            /* KV cache size the run allocated */
    int32_t n_threads;
    int32_t n_batch;          /* most tokens per evaluation (prefill chunk) */
    char *kv_type;            /* KV cache element type: "f16" */
    char *backend;            /* "cpu" | "cuda" */
    char *device;             /* device the backend ran on: CPU model or GPU name */
    int32_t reps;             /* timed repetitions requested per test */
    wir_host host;
} wir_run_info;

void wir_run_info_free(wir_run_info *run);

/* "PROGRAM ARG…" with each argument quoted for a POSIX shell where it needs it
 * ('it'\''s'), so pasting it repeats the run. The caller frees. */
char *wir_record_command_line(const char *program, int argc, char *const *argv);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf[24]. */
void wir_record_now(char buf[24]);

#endif
