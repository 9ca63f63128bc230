/* wir_catalog: the catalog's data in memory, as loaded from data/.
 *
 * This header is the contract between the loader (gen/load), the validator
 * (gen/validate), the will-it-run engine (gen/compute), the site renderer
 * (gen/render) and the probe's catalog weights. Field meanings and units are
 * those of data/README.md; a field documented there as nullable is NAN (numbers),
 * -1 (integers) or NULL (strings) here when null.
 *
 * Ownership: wir_catalog_load() returns a catalog the caller frees with
 * wir_catalog_free(); every string and array inside belongs to the catalog.
 */
#ifndef WIR_CATALOG_H
#define WIR_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_diag.h"

/* Where a value came from in its file, for messages. */
typedef struct wir_loc {
    const char *file; /* path of the data file (owned by the catalog) */
    int32_t line;
    int32_t column;
} wir_loc;

/* One entry of a file's "sources" object. */
typedef struct wir_source {
    char *id;
    char *url;
    char *title;
    char *accessed; /* YYYY-MM-DD */
} wir_source;

/* One entry of a file's "cite" object, resolved. */
typedef struct wir_cite {
    char *field;      /* dotted path, "street_price.usd" */
    char *source_id;  /* direct or {"source":…} citation; NULL when derived */
    char *note;       /* optional note; NULL when none */
    char *derived;    /* derivation text; NULL unless derived */
    char **from;      /* source ids a derivation used */
    size_t n_from;
} wir_cite;

/* Sources and citations of one data file. */
typedef struct wir_provenance {
    wir_source *sources;
    size_t n_sources;
    wir_cite *cites;
    size_t n_cites;
} wir_provenance;

typedef enum wir_vendor {
    WIR_VENDOR_NVIDIA,
    WIR_VENDOR_AMD,
    WIR_VENDOR_INTEL,
    WIR_VENDOR_APPLE,
} wir_vendor;

typedef struct wir_gpu {
    char *slug;
    char *name;
    wir_vendor vendor;
    char *segment;              /* consumer | workstation | datacenter | soc */
    char *architecture;
    int64_t memory_bytes;
    char *memory_type;
    bool unified_memory;
    double memory_bandwidth_gb_s;
    double fp16_tensor_tflops;
    double fp32_tflops;
    double board_power_w;
    char *compute_capability;   /* NULL for non-NVIDIA */
    char *release_date;
    double launch_price_usd;    /* NAN when none was published */
    double street_price_usd;
    char *street_price_date;
    char *street_price_condition; /* new | used */
    char *interconnect;         /* may be NULL */
    wir_provenance prov;
    wir_loc loc;
} wir_gpu;

typedef struct wir_rope_scaling {
    char *type;     /* llama3 | linear | yarn | longrope; NULL when no scaling */
    double factor;
    double low_freq_factor;                   /* llama3; NAN when absent */
    double high_freq_factor;                  /* llama3; NAN when absent */
    int64_t original_max_position_embeddings; /* -1 when absent */
} wir_rope_scaling;

typedef struct wir_moe {
    int32_t n_experts;          /* 0 for dense models */
    int32_t n_experts_per_token;
    int64_t expert_ffn_size;
    int32_t n_shared_experts;
    int64_t shared_expert_ffn_size;
} wir_moe;

typedef struct wir_model {
    char *slug;
    char *name;
    char *family;
    char *architecture;         /* llama | qwen2 | qwen3 | qwen3moe | gemma | gemma2 | phi3 */
    char *hf_repo;
    char *release_date;
    int64_t params;             /* the published count */
    int32_t n_layers;
    int64_t hidden_size;
    int32_t n_heads;
    int32_t n_kv_heads;
    int32_t head_dim;
    int64_t ffn_size;           /* dense FFN; 0 for pure MoE */
    int64_t vocab_size;
    int64_t context_length;
    bool tied_embeddings;
    bool qkv_bias;
    bool qk_norm;
    bool post_norms;
    double rope_theta;
    wir_rope_scaling rope_scaling;
    wir_moe moe;                /* n_experts == 0 when dense */
    wir_provenance prov;
    wir_loc loc;
} wir_model;

/* A ggml tensor type: the unit every size computation works in. */
typedef struct wir_ggml_type {
    char *name;         /* "q4_K" */
    int32_t id;         /* ggml_type enum value */
    int32_t block_size; /* elements per block */
    int32_t type_size;  /* bytes per block */
} wir_ggml_type;

/* Conditions of data/README.md's rule table, as bits. */
enum {
    WIR_WHEN_USE_MORE_BITS    = 1u << 0,
    WIR_WHEN_FIRST_EIGHTH     = 1u << 1,
    WIR_WHEN_FIRST_SIXTEENTH  = 1u << 2,
    WIR_WHEN_INDEX_LT_2       = 1u << 3,
    WIR_WHEN_INDEX_LT_4       = 1u << 4,
    WIR_WHEN_GQA_GE_4         = 1u << 5,
    WIR_WHEN_EXPERTS_8        = 1u << 6,
    WIR_WHEN_ROW_NOT_MULTIPLE = 1u << 7,
    WIR_WHEN_LLAMA_70B        = 1u << 8,
    WIR_WHEN_EXPERTS_GE_4     = 1u << 9,
    WIR_WHEN_LAST_EIGHTH      = 1u << 10,
    WIR_WHEN_NOT_IQ2_FAMILY   = 1u << 11,
};

typedef struct wir_quant_rule {
    char *tensor;          /* kind: attn_v, ffn_down, output, … */
    uint32_t when;         /* WIR_WHEN_* bits, all must hold; 0 = always */
    const wir_ggml_type *type;
    const wir_ggml_type **if_type; /* overrides only: apply when current type is one of these */
    size_t n_if_type;
    wir_loc loc;
} wir_quant_rule;

/* A llama.cpp file type such as Q4_K_M. */
typedef struct wir_ftype {
    char *slug;
    char *name;                 /* "Q4_K_M" */
    int32_t ftype;              /* llama_ftype value */
    const wir_ggml_type *default_type;
    wir_quant_rule *rules;
    size_t n_rules;
    char *description;
    wir_provenance prov;
    wir_loc loc;
} wir_ftype;

/* Rules llama.cpp's quantizer applies to every file type. */
typedef struct wir_quantizer {
    char **unquantized;         /* tensor kinds never quantized */
    size_t n_unquantized;
    const wir_ggml_type *unquantized_type;
    wir_quant_rule *overrides;
    size_t n_overrides;
    const wir_ggml_type **fallback_from;
    const wir_ggml_type **fallback_to;
    size_t n_fallbacks;
    bool quantize_only_if_default_quantized;
    wir_provenance prov;
} wir_quantizer;

/* Another runtime's format (GPTQ, AWQ, FP8). */
typedef struct wir_format {
    char *slug;
    char *name;
    char **runtimes;
    size_t n_runtimes;
    double bits_per_weight;
    int32_t group_size;         /* -1 when null */
    char *scale_type;
    char *description;
    wir_provenance prov;
    wir_loc loc;
} wir_format;

typedef struct wir_cloud_offer {
    char *slug;
    char *provider;
    char *instance;
    const wir_gpu *gpu;         /* resolved reference */
    int32_t gpu_count;
    double price_usd_per_hour;
    char *region;               /* may be NULL */
    char *observed;
    wir_provenance prov;
    wir_loc loc;
} wir_cloud_offer;

/* Where the output layer (output_norm, output) goes with -ngl N. */
typedef enum wir_output_offload {
    WIR_OUTPUT_FIRST,    /* llama.cpp now: the first of the N offloaded layers */
    WIR_OUTPUT_LAST,     /* llama.cpp before 2025: only when N > n_layers */
    WIR_OUTPUT_WITH_ALL, /* only with every repeating layer (the probe) */
} wir_output_offload;

/* A runtime profile (data/runtimes/<slug>.json): where a runtime puts a
 * model's tensors, its caches and buffers, and its fixed overheads. The
 * memory engine (gen/compute/wir_memory.h) reads only this, so a new runtime
 * is a new file, not new code. */
typedef struct wir_runtime {
    char *slug;                   /* "llama-cpp", "probe" */
    char *name;
    char *description;
    char **host_tensors;          /* tensor kinds kept in host memory even when
                                     every layer is offloaded ("token_embd") */
    size_t n_host_tensors;
    wir_output_offload output_offload;
    int32_t kv_pad_cells;          /* the context is rounded up to a multiple */
    int32_t default_n_batch;
    int32_t default_n_ubatch;
    bool default_flash_attn;
    double float_bytes;            /* bytes of one activation value (4: f32) */
    double compute_hidden_tensors; /* live n_ubatch x n_embd activations
                                      besides the graph's peak tensor */
    double host_compute_hidden_tensors; /* same, in the host compute buffer */
    double mask_bytes_per_cell;    /* attention mask bytes per (token, cell) */
    int64_t gpu_overhead_bytes;    /* per GPU: context, libraries */
    int64_t host_overhead_bytes;   /* the runtime process itself */
    double unified_usable_share;   /* share of unified memory the GPU may
                                      use (Apple: recommendedMaxWorkingSetSize) */
    wir_provenance prov;
    wir_loc loc;
} wir_runtime;

/* One result of a measured run: llama-bench's pp<N> (prefill, n_prompt
 * tokens) or tg<N> (decode, n_gen tokens), at depth tokens of context. */
typedef enum wir_run_test {
    WIR_RUN_PP,
    WIR_RUN_TG,
} wir_run_test;

typedef struct wir_run_result {
    wir_run_test test;
    int32_t n_prompt;
    int32_t n_gen;
    int32_t depth;          /* tokens already in the KV cache */
    double tokens_per_s;
    double stddev;          /* NAN when not published */
    double *samples;        /* tokens/s per repetition; NULL when not published */
    size_t n_samples;
} wir_run_result;

typedef enum wir_run_source_kind {
    WIR_RUN_SOURCE_IMPORT,  /* a published result: url, title, accessed */
    WIR_RUN_SOURCE_PROBE,   /* a probe submission: submitter */
} wir_run_source_kind;

/* The machine a probe run measured, as the probe recorded it (data/README.md
 * runs/ "host"). Strings NULL and integers -1 when not recorded. */
typedef struct wir_run_host {
    char *cpu_model;
    int32_t cpu_cores, cpu_threads;
    int64_t ram_bytes;
    char *cpu_features;
    char *os, *kernel, *arch;
    char *gpu_name;
    int64_t gpu_memory_bytes;
    char *gpu_driver, *cuda_version;
} wir_run_host;

/* A measured run (data/runs/<id>.json): the catalog's single form of
 * measurements, imported or submitted. */
typedef struct wir_run {
    char *id;
    wir_run_source_kind source_kind;
    char *source_url;       /* import; NULL for probe */
    char *source_title;     /* import */
    char *source_accessed;  /* import: YYYY-MM-DD */
    char *source_submitter; /* probe: the submitter's handle */
    char *source_submitted_at; /* probe: when the intake received it (UTC ISO 8601) */
    char *source_measured_at;  /* probe: when the run started (UTC ISO 8601) */
    char *note;             /* NULL when none */
    const wir_gpu *gpu;     /* NULL for a CPU-only run */
    int32_t gpu_count;      /* 0 for a CPU-only run */
    char *cpu;              /* CPU description; NULL when not published */
    const wir_model *model;
    const wir_ftype *ftype;
    char *runtime;          /* "llama-cpp" or "probe" (a runtimes/ slug) */
    char *runtime_build;    /* llama.cpp "b4812 (32d9f7d9)", probe "0.3.0 (abc1234)" */
    char *backend;          /* "CUDA", "Metal", "Vulkan", "ROCm", "CPU", … */
    int32_t n_gpu_layers;   /* -1 when not published */
    int32_t flash_attn;     /* 0, 1, -1 when not published */
    const wir_ggml_type *kv_type; /* f16 unless stated */
    int32_t threads;        /* -1 when not published */
    int32_t n_batch;        /* -1 when not published */
    int32_t n_ubatch;       /* -1 when not published */
    wir_run_result *results;
    size_t n_results;
    wir_run_host host;      /* probe: the machine and its software */
    char *reproduce;        /* probe: the command line that repeats the run */
    /* NULL for a reviewed run (data/runs/, or its copy in a results
     * database); for a local run read from a results database that no
     * editor has reviewed, that database's file name ("probe.db"). Such a
     * run is shown labelled as such and never calibrates an estimate. */
    char *unreviewed_db;
    wir_loc loc;
} wir_run;

typedef struct wir_catalog {
    char *data_dir;
    wir_gpu *gpus;              size_t n_gpus;
    wir_model *models;          size_t n_models;
    wir_ggml_type *ggml_types;  size_t n_ggml_types;
    wir_ftype *ftypes;          size_t n_ftypes;
    wir_quantizer quantizer;
    wir_format *formats;        size_t n_formats;
    wir_cloud_offer *cloud;     size_t n_cloud;
    wir_runtime *runtimes;      size_t n_runtimes;
    wir_run *runs;              size_t n_runs;   /* sorted by id */
    /* Arrays are sorted by slug (ggml types by id) so every consumer sees
     * one deterministic order. Later features add their collections here. */
} wir_catalog;

/* Loads and validates every file under data_dir. Every problem found is
 * appended to diags (file:line:column: field: message). Returns the catalog
 * when no error was found, else NULL; the caller frees it. */
wir_catalog *wir_catalog_load(const char *data_dir, wir_diag_list *diags);
void wir_catalog_free(wir_catalog *catalog);

/* Reads doc, a data/runs document that is not a file in data/ (a run from a
 * results database), with the same reader as data/runs/<id>.json, and adds
 * it to c->runs (kept sorted by id). name is what problems and the run's loc
 * name as its file ("probe.db: run 3"). Returns the run as added (the
 * catalog keeps it), or NULL with every problem in diags (a duplicate id is
 * one). Pointers into c->runs taken before the call are invalid after it. */
wir_run *wir_catalog_add_run(wir_catalog *c, const char *name, const json_t *doc,
                             wir_diag_list *diags);

/* Look-ups by slug or name; NULL when absent. The catalog keeps ownership. */
const wir_gpu *wir_catalog_find_gpu(const wir_catalog *c, const char *slug);
const wir_model *wir_catalog_find_model(const wir_catalog *c, const char *slug);
/* Accepts the slug ("q4-k-m") or llama.cpp's name ("Q4_K_M"), any case. */
const wir_ftype *wir_catalog_find_ftype(const wir_catalog *c, const char *name);
const wir_ggml_type *wir_catalog_find_ggml_type(const wir_catalog *c, const char *name);
const wir_runtime *wir_catalog_find_runtime(const wir_catalog *c, const char *slug);
const wir_run *wir_catalog_find_run(const wir_catalog *c, const char *id);

/* Up to max slugs nearest to an unknown one (edit distance), for
 * "unknown model 'llama-3-8'; did you mean: llama-3-8b, …". Returns the count;
 * out[] points into the catalog. kind is "gpu", "model", "ftype", "format",
 * "cloud" or "runtime". */
size_t wir_catalog_suggest(const wir_catalog *c, const char *kind,
                           const char *unknown, const char **out, size_t max);

/* Parameter count computed from a model's shapes (data/README.md's formula). */
int64_t wir_model_count_params(const wir_model *m);

#endif
