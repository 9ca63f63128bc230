/* wir_record: constructors, destructors and names for the run records. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "wir_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wir_buf.h"

void wir_host_free(wir_host *host) {
    free(host->cpu_model);
    free(host->cpu_features);
    free(host->os);
    free(host->kernel);
    free(host->arch);
    free(host->gpu_name);
    free(host->gpu_driver);
    free(host->cuda_version);
    memset(host, 0, sizeof *host);
}

const char *wir_test_kind_name(wir_test_kind kind) {
    return kind == WIR_TEST_PP ? "pp" : "tg";
}

const char *wir_result_status_name(wir_result_status status) {
    switch (status) {
    case WIR_RESULT_OK: return "ok";
    case WIR_RESULT_DOES_NOT_FIT: return "does-not-fit";
    case WIR_RESULT_ERROR: return "error";
    }
    return "error";
}

void wir_result_init(wir_result *r, wir_test_kind kind, int32_t n_prompt,
                     int32_t n_gen, int32_t depth) {
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->n_prompt = n_prompt;
    r->n_gen = n_gen;
    r->depth = depth;
    r->status = WIR_RESULT_OK;
    r->bytes_needed = -1;
    r->bytes_available = -1;
    r->avg_ns = r->stddev_ns = NAN;
    r->tokens_per_s = r->stddev = NAN;
    r->ttft_ms = NAN;
    r->peak_memory_bytes = -1;
    r->peak_device_bytes = -1;
    r->power_w = r->joules_per_token = r->gpu_util_pct = NAN;
    r->gpu_memory_used_bytes = -1;
    r->profile.matmul_ns = r->profile.attention_ns = r->profile.other_ns = -1;
    wir_record_now(r->started_at);
}

void wir_result_free(wir_result *r) {
    free(r->error);
    free(r->samples_ns);
    free(r->samples_ts);
    r->error = NULL;
    r->samples_ns = NULL;
    r->samples_ts = NULL;
    r->n_samples = 0;
}

void wir_result_test_label(const wir_result *r, char *buf, size_t size) {
    int32_t n = r->kind == WIR_TEST_PP ? r->n_prompt : r->n_gen;
    if (r->depth > 0)
        snprintf(buf, size, "%s%d @ d%d", wir_test_kind_name(r->kind), (int)n, (int)r->depth);
    else
        snprintf(buf, size, "%s%d", wir_test_kind_name(r->kind), (int)n);
}

void wir_run_info_free(wir_run_info *run) {
    free(run->command_line);
    free(run->probe_version);
    free(run->probe_commit);
    free(run->model_slug);
    free(run->ftype);
    free(run->gguf_sha256);
    free(run->gguf_name);
    free(run->gguf_file);
    free(run->model_name);
    free(run->quant);
    free(run->kv_type);
    free(run->backend);
    free(run->device);
    wir_host_free(&run->host);
    memset(run, 0, sizeof *run);
}

void wir_record_now(char buf[24]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Characters a POSIX shell takes literally outside quotes. */
static int record_shell_safe(const char *s) {
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                     "@%_+=:,./-", *s))
            return 0;
    return 1;
}

static void record_quote(wir_buf *b, const char *arg) {
    if (record_shell_safe(arg)) {
        wir_buf_puts(b, arg);
        return;
    }
    wir_buf_puts(b, "'");
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            wir_buf_puts(b, "'\\''");
        else
            wir_buf_append(b, p, 1);
    }
    wir_buf_puts(b, "'");
}

char *wir_record_command_line(const char *program, int argc, char *const *argv) {
    wir_buf b = WIR_BUF_INIT;
    record_quote(&b, program);
    for (int i = 0; i < argc; i++) {
        wir_buf_puts(&b, " ");
        record_quote(&b, argv[i]);
    }
    return wir_buf_take(&b);
}
