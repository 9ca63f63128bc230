/* wir_bench_report: a run's results for people (a llama-bench-style Markdown
 * table, and with --profile the time per kind of operation) and for programs
 * (one JSON document of the whole run).
 *
 * Table columns, as llama-bench's: model (name and quantization), size
 * (weight bytes, GiB), params, backend, threads, test ("pp512" prefill of
 * 512 tokens, "tg128" decode of 128, "… @ d4096" after 4096 tokens in the KV
 * cache) and t/s (mean ± sample standard deviation over the repetitions), or
 * why the test has no figure.
 *
 * The JSON document (the fields of wir_record.h, null where unknown):
 *   {"schema": "willitrun-probe-run/1", "run_id", "db", "complete",
 *    "probe": {"version", "commit"}, "command_line", "started_at",
 *    "host": {cpu_model, cpu_cores, cpu_threads, ram_bytes, cpu_features,
 *             os, kernel, arch, gpu_name, gpu_memory_bytes, gpu_driver,
 *             cuda_version},
 *    "model": {source, slug, ftype, gguf_sha256, gguf_name, gguf_file, name,
 *              quant, params, bytes},
 *    "backend", "device", "threads", "n_batch", "kv_type", "n_ctx", "reps",
 *    "results": [{test, n_prompt, n_gen, depth, status, error, bytes_needed,
 *                 bytes_available, tokens_per_s, stddev, samples (t/s),
 *                 samples_ns, avg_ns, stddev_ns, ttft_ms, peak_memory_bytes,
 *                 peak_device_bytes, power_w, joules_per_token, gpu_util_pct,
 *                 gpu_memory_used_bytes, started_at,
 *                 profile: {matmul_ns, attention_ns, other_ns} or null}]}
 */
#ifndef WIR_BENCH_REPORT_H
#define WIR_BENCH_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wir_record.h"

/* "4.58 GiB" into buf. */
void wir_report_bytes(int64_t bytes, char *buf, size_t size);

/* The Markdown table of every result. */
void wir_report_markdown(FILE *out, const wir_run_info *run, const wir_result *results,
                         size_t n);

/* Per test, the time of the timed repetitions split into matrix products,
 * attention and the rest (ms and share), prefill tests then decode tests. */
void wir_report_profile(FILE *out, const wir_result *results, size_t n);

/* The whole run; run_id -1 and db NULL when not stored. The caller
 * json_decref()s the result. */
json_t *wir_report_json(const wir_run_info *run, int64_t run_id, const char *db,
                        int complete, const wir_result *results, size_t n);

#endif
