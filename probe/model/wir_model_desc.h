/* wir_model_desc: what the probe runs, independent of where the weights came
 * from. A decoder-only transformer's hyperparameters, the identity of the
 * weights (a GGUF file, or a catalog model generated for a llama.cpp file
 * type), and a table of its tensors (name, ggml type, shape, bytes).
 *
 * Produced by the weights sources (wir_weights.h), consumed by the backends
 * (wir_backend.h), the benchmark driver and the result store.
 *
 * Ownership: a wir_model_desc and everything it points to (tensor table,
 * tensor names, tensor data, layer table) belong to the wir_weights that made
 * it and stay valid and unchanged until wir_weights_free(). Tensor data is
 * read-only (it may point into a read-only file mapping).
 *
 * Shapes follow ggml: ne[0] is the row length (contiguous, the input
 * dimension of a matrix), ne[1] the number of rows (the output dimension).
 * A matrix W with ne = {n_in, n_out} computes y[r] = dot(row r of W, x).
 */
#ifndef WIR_MODEL_DESC_H
#define WIR_MODEL_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Architectures the engine computes. Both are GGUF general.architecture
 * values: "llama" (Llama 1/2/3, Mistral 7B, ...) and "qwen2" (Qwen2, Qwen2.5:
 * llama with biases on Q, K and V). */
typedef enum wir_arch {
    WIR_ARCH_LLAMA = 0,
    WIR_ARCH_QWEN2 = 1,
} wir_arch;

/* "llama", "qwen2"; "unknown" otherwise. Static string. */
const char *wir_arch_name(wir_arch arch);
/* The architecture named NAME (a GGUF general.architecture value or a catalog
 * model's "architecture"); false when the engine cannot run it. */
bool wir_arch_from_name(const char *name, wir_arch *out);

/* How RoPE pairs the dimensions of a head (llama.cpp's rope types).
 *   NORM: pairs (2i, 2i+1) - llama.cpp LLAMA_ROPE_TYPE_NORM, used for "llama";
 *   NEOX: pairs (i, i + head_dim/2) - LLAMA_ROPE_TYPE_NEOX, used for "qwen2".
 * Both rotate pair i by angle pos * theta^(-2i/head_dim) (then scaled). */
typedef enum wir_rope_type {
    WIR_ROPE_NORM = 0,
    WIR_ROPE_NEOX = 2,  /* llama.cpp's value: LLAMA_ROPE_TYPE_NEOX = 2 */
} wir_rope_type;

/* The architecture's rope type. */
wir_rope_type wir_arch_rope_type(wir_arch arch);

/* RoPE frequency scaling. */
typedef enum wir_rope_scaling_type {
    WIR_ROPE_SCALING_NONE = 0,
    /* Every frequency divided by factor (positions interpolated). */
    WIR_ROPE_SCALING_LINEAR = 1,
    /* Llama 3.1's per-frequency scaling (factor, low_freq_factor,
     * high_freq_factor, original context): long wavelengths divided by
     * factor, short ones kept, a smooth blend between. llama.cpp's converter
     * stores the result as the tensor rope_freqs.weight (one divisor per
     * frequency; llama.cpp PR #8676) rather than as metadata, so a GGUF file
     * says LLAMA3 by having that tensor; either way the desc carries the
     * divisors in rope_freq_factors. */
    WIR_ROPE_SCALING_LLAMA3 = 2,
} wir_rope_scaling_type;

/* "none", "linear", "llama3". Static string. */
const char *wir_rope_scaling_name(wir_rope_scaling_type type);

typedef struct wir_model_hparams {
    wir_arch arch;
    int32_t n_layers;      /* transformer blocks */
    int32_t n_embd;        /* hidden size */
    int32_t n_heads;       /* query heads */
    int32_t n_kv_heads;    /* key/value heads (GQA when < n_heads) */
    int32_t head_dim;      /* per head; n_heads * head_dim may differ from n_embd */
    int32_t n_ff;          /* FFN inner size (SwiGLU: gate and up are n_ff) */
    int32_t n_vocab;
    int64_t n_ctx_train;   /* context the model was trained for */
    float rms_eps;         /* RMSNorm epsilon */
    float rope_theta;      /* RoPE base frequency */
    wir_rope_type rope_type;
    wir_rope_scaling_type rope_scaling;
    float rope_factor;            /* LINEAR, LLAMA3; 1 when NONE */
    float rope_low_freq_factor;   /* LLAMA3 only; 0 otherwise */
    float rope_high_freq_factor;  /* LLAMA3 only; 0 otherwise */
    int64_t rope_orig_ctx;        /* LLAMA3: original_max_position_embeddings; 0 otherwise */
    bool qkv_bias;         /* attn_q/k/v have .bias tensors (qwen2) */
    bool tied_embeddings;  /* no output.weight: the output projection is token_embd */
} wir_model_hparams;

/* Where the weights came from. */
typedef enum wir_model_source {
    WIR_MODEL_SOURCE_GGUF = 0,       /* a GGUF file, memory-mapped */
    WIR_MODEL_SOURCE_GENERATED = 1,  /* a catalog model's shapes and tensor types,
                                        deterministic pseudo-random values */
} wir_model_source;

/* Identity of the weights, as recorded with every benchmark result.
 * Fields that do not apply are "" (strings) or -1 (numbers). */
typedef struct wir_model_identity {
    wir_model_source source;
    char name[128];         /* GGUF general.name, else the catalog model's name */
    /* GGUF source */
    char path[1024];        /* the file as given to wir_weights_open_gguf */
    char sha256[65];        /* lowercase hex of the whole file; "" until
                               computed (see wir_weights_open_gguf's option) */
    uint64_t file_size;     /* bytes; 0 when generated */
    int32_t file_type;      /* GGUF general.file_type (llama_ftype), -1 if absent;
                               for generated weights, the catalog ftype's value */
    /* generated source */
    char catalog_model[64]; /* catalog model slug, "qwen2-5-0-5b" */
    char ftype[32];         /* catalog ftype slug, "q4-k-m" */
    char ftype_name[32];    /* llama.cpp's name, "Q4_K_M" */
    uint64_t seed;          /* the generator's seed; 0 for GGUF files */
} wir_model_identity;

/* One tensor. data is NULL in a plan (wir_weights_plan_generated), which has
 * shapes and types but no values. */
typedef struct wir_model_tensor {
    const char *name;   /* "blk.3.attn_q.weight" (llama.cpp's GGUF names) */
    int32_t type;       /* ggml_type id (wir_qformat.h) */
    int32_t n_dims;     /* 1..4 */
    int64_t ne[4];      /* unused dimensions are 1 */
    uint64_t size;      /* bytes */
    const void *data;   /* size bytes, rows of ne[0] elements back to back */
} wir_model_tensor;

/* The tensors of one block, resolved from the table. Bias pointers are NULL
 * unless hparams.qkv_bias. */
typedef struct wir_layer_tensors {
    const wir_model_tensor *attn_norm;   /* [n_embd] */
    const wir_model_tensor *wq;          /* {n_embd, n_heads*head_dim} */
    const wir_model_tensor *wk;          /* {n_embd, n_kv_heads*head_dim} */
    const wir_model_tensor *wv;          /* {n_embd, n_kv_heads*head_dim} */
    const wir_model_tensor *bq, *bk, *bv;
    const wir_model_tensor *wo;          /* {n_heads*head_dim, n_embd} */
    const wir_model_tensor *ffn_norm;    /* [n_embd] */
    const wir_model_tensor *ffn_gate;    /* {n_embd, n_ff} */
    const wir_model_tensor *ffn_up;      /* {n_embd, n_ff} */
    const wir_model_tensor *ffn_down;    /* {n_ff, n_embd} */
} wir_layer_tensors;

typedef struct wir_model_desc {
    wir_model_hparams hp;
    wir_model_identity id;
    const wir_model_tensor *tensors;  /* every tensor, in file (GGUF) order */
    size_t n_tensors;
    const wir_layer_tensors *layers;  /* hp.n_layers entries */
    const wir_model_tensor *token_embd;   /* {n_embd, n_vocab} */
    const wir_model_tensor *output_norm;  /* [n_embd] */
    const wir_model_tensor *output;       /* {n_embd, n_vocab}; == token_embd when tied */
    /* RoPE frequency divisors, head_dim/2 floats, or NULL: pair i rotates by
     * pos * theta^(-2i/head_dim) / rope_freq_factors[i] (ggml_rope_ext's
     * freq_factors). Set for LLAMA3 scaling (from rope_freqs.weight, or
     * computed from the catalog's factors for generated weights). LINEAR
     * scaling is not folded in: backends divide by hp.rope_factor. */
    const float *rope_freq_factors;
    uint64_t weight_bytes;  /* sum of every tensor's size */
    bool has_data;          /* false for a plan: every data pointer is NULL */
} wir_model_desc;

/* Bytes of weights one decoded token reads: every matrix of every block, the
 * output projection, and one row of token_embd (plus the norms and biases).
 * The numerator of "effective bandwidth = bytes per token x tokens/s". */
uint64_t wir_model_desc_bytes_per_token(const wir_model_desc *desc);

#endif
