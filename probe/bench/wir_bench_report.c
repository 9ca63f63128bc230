/* wir_bench_report: Markdown, profile and JSON views of a run. */
#include "wir_bench_report.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void wir_report_bytes(int64_t bytes, char *buf, size_t size) {
    if (bytes < 0) {
        snprintf(buf, size, "?");
        return;
    }
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%" PRId64 " B", bytes);
    else
        snprintf(buf, size, "%.2f %s", v, units[u]);
}

/* "494.03 M", "8.03 B" (llama-bench's params column). */
static void report_params(int64_t n, char *buf, size_t size) {
    if (n < 0)
        snprintf(buf, size, "?");
    else if (n >= 1000000000)
        snprintf(buf, size, "%.2f B", (double)n / 1e9);
    else
        snprintf(buf, size, "%.2f M", (double)n / 1e6);
}

static void report_figure(const wir_result *r, char *buf, size_t size) {
    char need[32], avail[32];
    switch (r->status) {
    case WIR_RESULT_OK:
        snprintf(buf, size, "%.2f ± %.2f", r->tokens_per_s, r->stddev);
        break;
    case WIR_RESULT_DOES_NOT_FIT:
        wir_report_bytes(r->bytes_needed, need, sizeof need);
        wir_report_bytes(r->bytes_available, avail, sizeof avail);
        snprintf(buf, size, "does not fit: needs %s, %s available", need, avail);
        break;
    case WIR_RESULT_ERROR:
        snprintf(buf, size, "error: %s", r->error ? r->error : "?");
        break;
    }
}

void wir_report_markdown(FILE *out, const wir_run_info *run, const wir_result *results,
                         size_t n) {
    char model[192], size_s[32], params[32];
    snprintf(model, sizeof model, "%s %s", run->model_name ? run->model_name : "?",
             run->quant ? run->quant : "");
    wir_report_bytes(run->model_bytes, size_s, sizeof size_s);
    report_params(run->model_params, params, sizeof params);
    const char *backend = run->backend && !strcmp(run->backend, "cuda") ? "CUDA" : "CPU";
    fprintf(out, "| model | size | params | backend | threads | test | t/s |\n"
                 "| ----- | ---: | -----: | ------- | ------: | ---: | --: |\n");
    for (size_t i = 0; i < n; i++) {
        char test[64], fig[256];
        wir_result_test_label(&results[i], test, sizeof test);
        report_figure(&results[i], fig, sizeof fig);
        for (char *p = fig; *p; p++) /* a '|' in an error message would split the cell */
            if (*p == '|')
                *p = '/';
        fprintf(out, "| %s | %s | %s | %s | %d | %s | %s |\n", model, size_s, params, backend,
                (int)run->n_threads, test, fig);
    }
}

static void report_profile_row(FILE *out, const wir_result *r) {
    char test[64];
    wir_result_test_label(r, test, sizeof test);
    if (r->status != WIR_RESULT_OK || r->profile.matmul_ns < 0) {
        fprintf(out, "| %s | %s | | | | |\n", test,
                r->status == WIR_RESULT_OK ? "not profiled" : wir_result_status_name(r->status));
        return;
    }
    double m = (double)r->profile.matmul_ns, a = (double)r->profile.attention_ns,
           o = (double)r->profile.other_ns, t = m + a + o;
    if (t <= 0)
        t = 1;
    fprintf(out, "| %s | %s | %.2f ms (%.1f%%) | %.2f ms (%.1f%%) | %.2f ms (%.1f%%) | %.2f ms |\n",
            test, r->kind == WIR_TEST_PP ? "prefill" : "decode", m / 1e6, 100 * m / t, a / 1e6,
            100 * a / t, o / 1e6, 100 * o / t, (m + a + o) / 1e6);
}

void wir_report_profile(FILE *out, const wir_result *results, size_t n) {
    fprintf(out, "| test | phase | matrix products | attention | other | total |\n"
                 "| ---: | ----- | --------------: | --------: | ----: | ----: |\n");
    for (int kind = WIR_TEST_PP; kind <= WIR_TEST_TG; kind++)
        for (size_t i = 0; i < n; i++)
            if ((int)results[i].kind == kind)
                report_profile_row(out, &results[i]);
}

/* Nullable JSON values, wir_record.h's conventions. */
static json_t *js(const char *s) { return s ? json_string(s) : json_null(); }
static json_t *ji(int64_t v) { return v >= 0 ? json_integer(v) : json_null(); }
static json_t *jr(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *report_host(const wir_host *h) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "cpu_model", js(h->cpu_model), "cpu_cores", ji(h->cpu_cores),
                     "cpu_threads", ji(h->cpu_threads), "ram_bytes", ji(h->ram_bytes),
                     "cpu_features", js(h->cpu_features), "os", js(h->os),
                     "kernel", js(h->kernel), "arch", js(h->arch),
                     "gpu_name", js(h->gpu_name), "gpu_memory_bytes", ji(h->gpu_memory_bytes),
                     "gpu_driver", js(h->gpu_driver), "cuda_version", js(h->cuda_version));
}

static json_t *report_model(const wir_run_info *run) {
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "source", run->source == WIR_RUN_GGUF ? "gguf" : "catalog",
                     "slug", js(run->model_slug), "ftype", js(run->ftype),
                     "gguf_sha256", js(run->gguf_sha256), "gguf_name", js(run->gguf_name),
                     "gguf_file", js(run->gguf_file), "name", js(run->model_name),
                     "quant", js(run->quant), "params", ji(run->model_params),
                     "bytes", ji(run->model_bytes));
}

static json_t *report_result(const wir_result *r) {
    json_t *samples = json_array(), *samples_ns = json_array();
    for (int32_t i = 0; i < r->n_samples; i++) {
        json_array_append_new(samples, json_real(r->samples_ts[i]));
        json_array_append_new(samples_ns, json_integer(r->samples_ns[i]));
    }
    json_t *profile = r->profile.matmul_ns >= 0
        ? json_pack("{s:I, s:I, s:I}", "matmul_ns", (json_int_t)r->profile.matmul_ns,
                    "attention_ns", (json_int_t)r->profile.attention_ns,
                    "other_ns", (json_int_t)r->profile.other_ns)
        : json_null();
    json_t *o = json_pack("{s:s, s:i, s:i, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                          "test", wir_test_kind_name(r->kind), "n_prompt", (int)r->n_prompt,
                          "n_gen", (int)r->n_gen, "depth", (int)r->depth,
                          "status", wir_result_status_name(r->status), "error", js(r->error),
                          "bytes_needed", ji(r->bytes_needed),
                          "bytes_available", ji(r->bytes_available),
                          "tokens_per_s", jr(r->tokens_per_s), "stddev", jr(r->stddev),
                          "samples", samples, "samples_ns", samples_ns);
    json_object_set_new(o, "avg_ns", jr(r->avg_ns));
    json_object_set_new(o, "stddev_ns", jr(r->stddev_ns));
    json_object_set_new(o, "ttft_ms", jr(r->ttft_ms));
    json_object_set_new(o, "peak_memory_bytes", ji(r->peak_memory_bytes));
    json_object_set_new(o, "peak_device_bytes", ji(r->peak_device_bytes));
    json_object_set_new(o, "power_w", jr(r->power_w));
    json_object_set_new(o, "joules_per_token", jr(r->joules_per_token));
    json_object_set_new(o, "gpu_util_pct", jr(r->gpu_util_pct));
    json_object_set_new(o, "gpu_memory_used_bytes", ji(r->gpu_memory_used_bytes));
    json_object_set_new(o, "started_at", json_string(r->started_at));
    json_object_set_new(o, "profile", profile);
    return o;
}

json_t *wir_report_json(const wir_run_info *run, int64_t run_id, const char *db,
                        int complete, const wir_result *results, size_t n) {
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, report_result(&results[i]));
    json_t *o = json_pack("{s:s, s:o, s:o, s:b, s:{s:o, s:o}, s:o, s:s}",
                          "schema", "willitrun-probe-run/1", "run_id", ji(run_id), "db", js(db),
                          "complete", complete, "probe", "version", js(run->probe_version),
                          "commit", js(run->probe_commit), "command_line",
                          js(run->command_line), "started_at", run->started_at);
    json_object_set_new(o, "host", report_host(&run->host));
    json_object_set_new(o, "model", report_model(run));
    json_object_set_new(o, "backend", js(run->backend));
    json_object_set_new(o, "device", js(run->device));
    json_object_set_new(o, "threads", ji(run->n_threads));
    json_object_set_new(o, "n_batch", ji(run->n_batch));
    json_object_set_new(o, "kv_type", js(run->kv_type));
    json_object_set_new(o, "n_ctx", ji(run->n_ctx));
    json_object_set_new(o, "reps", ji(run->reps));
    json_object_set_new(o, "results", list);
    return o;
}
