/* loadlog_cases: llama.cpp load logs users published, with the figures the
 * log printed, for the memory engine's accuracy (accuracy.c) and its tests
 * (test_engine.c). Every case names its public source; the figures are
 * copied from the log lines quoted in /work/shared/reference's
 * llamacpp-load-logs.jsonl (file size, model/KV/compute buffer sizes).
 *
 * n_ctx is the context the log reports (after that build's padding), so the
 * cases run with padding 1. NAN: the log does not print the figure.
 */
#ifndef LOADLOG_CASES_H
#define LOADLOG_CASES_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct loadlog_case {
    const char *label;
    const char *source;
    const char *model;        /* catalog slug; NULL: glm4 shape built in place */
    const char *ftype;
    int64_t n_ctx;
    const char *kv_type;
    int32_t n_batch, n_ubatch;
    int32_t flash_attn;
    int32_t n_gpus;           /* 0: CPU only */
    int32_t n_gpu_layers;     /* -ngl; -1: everything (the log's N/N) */
    double file_gib;          /* "file size" / "model size" line */
    double gpu_model_mib;     /* summed over the GPUs */
    double host_model_mib;    /* CPU / CPU_Mapped model buffer */
    double kv_mib;            /* KV cache, all devices */
    double gpu_compute_mib;   /* the largest GPU compute buffer */
    double host_compute_mib;  /* CPU / *_Host compute buffer */
} loadlog_case;

static const loadlog_case loadlog_cases[] = {
    {"Llama 3.1 8B Q4_0, RTX 4080 (Vulkan)",
     "https://github.com/ikawrakow/ik_llama.cpp/discussions/545 (mainline build 5781)",
     "llama-3-1-8b", "Q4_0", 16384, "f16", 2048, 1024, 1, 1, -1,
     4.33, 4155.99, 281.81, 2048.00, 613.01, 80.01},
    {"Llama 3.1 70B Q4_0, 2 RPC workers",
     "https://github.com/ArmDeveloperEcosystem/arm-learning-paths/blob/main/content/learning-paths/servers-and-cloud-computing/distributed-inference-with-llama-cpp/how-to-3.md (build 6209)",
     "llama-3-1-70b", "Q4_0", 4096, "f16", 2048, 512, 0, 2, -1,
     37.22, 18821.56 + 18725.42, 563.62, 1280.00, 588.01, 28.01},
    {"Llama 2 13B Q5_K_M, A100 80GB (CUDA)",
     "https://github.com/AkshathRaghav/llama_set_up_gilbreth README (build 2295)",
     "llama-2-13b", "Q5_K_M", 512, "f16", 512, 512, 0, 1, -1,
     8.60, 8694.21, 107.42, 400.00, 81.00, 10.00},
    {"Qwen2 7B Q8_0, CPU",
     "https://github.com/secext2022/pmks-2/blob/main/发布/2024-5_64/20240826-56-AI大模型测速/a.md (build 3617)",
     "qwen2-7b", "Q8_0", 32768, "f16", 2048, 512, 0, 0, -1,
     7.54, NAN, 7717.68, 1792.00, NAN, 1884.01},
    {"Llama 2 7B Q4_K_M, CPU",
     "https://github.com/secext2022/pmks-2/blob/main/发布/2024-5_64/20240826-56-AI大模型测速/a.md (build 3617, second run)",
     "llama-2-7b", "Q4_K_M", 4096, "f16", 2048, 512, 0, 0, -1,
     NAN, NAN, 3891.24, 2048.00, NAN, 296.01},
    {"DeepSeek R1 Distill Qwen 7B Q4_K_M, Arc iGPU (SYCL)",
     "https://github.com/intel-analytics/ipex-llm/blob/main/docs/mddocs/Quickstart/llamacpp_portable_zip_gpu_quickstart.md (IPEX-LLM build)",
     "deepseek-r1-distill-qwen-7b", "Q4_K_M", 2528, "f16", 2528, 2528, 0, 1, -1,
     4.36, 4168.09, 292.36, 138.25, 1501.00, 58.97},
    {"GLM Z1 32B IQ4_XS, CPU, q8_0 cache",
     "https://github.com/ikawrakow/ik_llama.cpp/pull/344 (mainline run)",
     NULL, "IQ4_XS", 5120, "q8_0", 2048, 512, 1, 0, -1,
     16.38, NAN, 16775.23, 162.03, NAN, 308.00},
    /* No file-size, KV or compute line in the excerpt. The model's name is
     * not in it either: 48 layers, Qwen2's tokenizer with DeepSeek R1's
     * end-of-sentence token and these buffers are DeepSeek-R1-Distill-Qwen-14B
     * (Qwen2.5-14B's shapes) in Q4_K_M. */
    {"Qwen2.5 14B-shaped Q4_K_M, -ngl 20 of 49 (CUDA)",
     "https://github.com/lmstudio-ai/lmstudio-bug-tracker/issues/1360 (LM Studio's llama.cpp, 2026-01-07)",
     "qwen2-5-14b", "Q4_K_M", 8192, "f16", 2048, 512, 0, 1, 20,
     NAN, 3621.44, 4944.60, NAN, NAN, NAN},
};

#define LOADLOG_N_CASES (sizeof loadlog_cases / sizeof loadlog_cases[0])

#endif
