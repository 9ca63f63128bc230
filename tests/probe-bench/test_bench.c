/* probe.bench.*: the benchmark driver against the stub backend, its
 * statistics, the report (Markdown, profile, JSON parsed back with Jansson),
 * command-line quoting and NVML's absence. argv[1] names the case. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "stub_backend.h"
#include "wir_bench.h"
#include "wir_bench_report.h"
#include "wir_host.h"
#include "wir_nvml.h"

#define CHECK_NEAR(got, want, tol) CHECK(fabs((double)(got) - (double)(want)) <= (tol))

static void stub_reset(void) {
    memset(&stub_backend_config, 0, sizeof stub_backend_config);
    stub_backend_config.weights = 1000;
    stub_backend_config.kv_per_token = 10;
    stub_backend_config.available = 1u << 30;
    stub_backend_evals = 0;
}

/* Tests in llama-bench's order, 0 sizes skipped, labels as llama-bench's. */
static void case_plan(void) {
    int32_t pp[] = {512, 0}, tg[] = {128, 64}, depth[] = {0, 4096};
    wir_bench_plan plan = {.pp = pp, .n_pp = 2, .tg = tg, .n_tg = 2, .depth = depth,
                           .n_depth = 2, .reps = 1};
    wir_result *r;
    size_t n = wir_bench_tests(&plan, &r);
    CHECK(n == 6);
    const char *want[] = {"pp512", "tg128", "tg64", "pp512 @ d4096", "tg128 @ d4096",
                          "tg64 @ d4096"};
    for (size_t i = 0; i < n && i < 6; i++) {
        char label[64];
        wir_result_test_label(&r[i], label, sizeof label);
        CHECK_STR(label, want[i]);
    }
    CHECK(r[0].kind == WIR_TEST_PP && r[0].n_prompt == 512 && r[0].n_gen == 0);
    CHECK(r[4].kind == WIR_TEST_TG && r[4].n_gen == 128 && r[4].depth == 4096);
    wir_bench_results_free(r, n);

    plan.n_depth = 0; /* no depth list means depth 0 */
    n = wir_bench_tests(&plan, &r);
    CHECK(n == 3 && r[0].depth == 0);
    wir_bench_results_free(r, n);
}

static void case_stats(void) {
    double v[] = {2, 4, 4, 4, 5, 5, 7, 9}, m, sd;
    wir_bench_mean_sd(v, 8, &m, &sd);
    CHECK_NEAR(m, 5, 1e-12);
    CHECK_NEAR(sd, sqrt(32.0 / 7.0), 1e-12); /* sample s.d., n - 1 */
    wir_bench_mean_sd(v, 1, &m, &sd);
    CHECK(m == 2 && sd == 0);
}

typedef struct seen {
    int32_t seq[16];
    int n;
} seen;

static int record_seq(void *user, int32_t seq, const wir_result *r) {
    (void)r;
    seen *s = user;
    if (s->n < 16)
        s->seq[s->n++] = seq;
    return 0;
}

/* A run on the stub: samples, mean, tokens/s, ttft, profile; the test whose
 * context exceeds memory is does-not-fit with both figures and the rest run. */
static void case_stub(void) {
    stub_reset();
    stub_backend_config.prefill_ns_per_token = 20000; /* 16 tokens: 0.32 ms */
    stub_backend_config.decode_ns = 200000;           /* 0.2 ms a token */
    /* weights 1000 + 10/token: depth 0 tests need <= 1000 + 10*16; depth 100
     * needs 1000 + 10*116 = 2160 > 2000 available for pp16, 2040 for tg4 */
    stub_backend_config.available = 2000;
    int32_t pp[] = {16}, tg[] = {4}, depth[] = {0, 100, 50};
    wir_bench_plan plan = {.pp = pp, .n_pp = 1, .tg = tg, .n_tg = 1, .depth = depth,
                           .n_depth = 3, .reps = 3, .n_batch = 8};
    seen s = {0};
    wir_bench_setup setup = {.ops = stub_backend(), .plan = stub_backend_desc(),
                             .on_result = record_seq, .user = &s};
    wir_result *r;
    wir_bench_outcome oc;
    size_t n = wir_bench_execute(&plan, &setup, &r, &oc);
    CHECK(n == 6);
    CHECK(s.n == 6 && s.seq[0] == 0 && s.seq[5] == 5);
    CHECK(oc.n_ctx == 66); /* largest that fits: depth 50 + pp 16 */
    for (size_t i = 0; i < n; i++) {
        bool fits = r[i].depth != 100;
        CHECK(r[i].status == (fits ? WIR_RESULT_OK : WIR_RESULT_DOES_NOT_FIT));
        CHECK(r[i].bytes_available == 2000);
        CHECK(r[i].bytes_needed == 1000 + 10 * (r[i].depth + r[i].n_prompt + r[i].n_gen));
        if (!fits) {
            CHECK(r[i].n_samples == 0 && isnan(r[i].tokens_per_s));
            continue;
        }
        CHECK(r[i].n_samples == 3);
        double sum = 0;
        for (int32_t k = 0; k < r[i].n_samples; k++) {
            int32_t tokens = r[i].kind == WIR_TEST_PP ? 16 : 4;
            CHECK_NEAR(r[i].samples_ts[k], tokens * 1e9 / (double)r[i].samples_ns[k], 1e-6);
            sum += r[i].samples_ts[k];
        }
        CHECK_NEAR(r[i].tokens_per_s, sum / 3, 1e-6);
        CHECK(r[i].stddev >= 0);
        /* the stub sleeps at least its time: tokens/s is at most its rate */
        if (r[i].kind == WIR_TEST_PP) {
            CHECK(r[i].tokens_per_s <= 1e9 / 20000.0 * 1.001);
            CHECK_NEAR(r[i].ttft_ms, r[i].avg_ns / 1e6, 1e-9);
            /* pp16 in batches of 8: 2 prefill evals per rep, 3 reps */
            CHECK(r[i].profile.matmul_ns == 3 * 2 * (8 * 20000) / 2);
        } else {
            CHECK(r[i].tokens_per_s <= 1e9 / 200000.0 * 1.001);
            CHECK(isnan(r[i].ttft_ms));
            CHECK(r[i].profile.attention_ns == 3 * 4 * 200000 / 4);
        }
        CHECK(r[i].peak_memory_bytes > 0);
        /* not the cpu backend: the session's peak counts as device memory */
        CHECK(r[i].peak_device_bytes == 1000 + 10 * 66);
    }
    wir_bench_results_free(r, n);
}

/* A backend failure ends that test as an error with the backend's message;
 * the following tests still run. */
static void case_error(void) {
    stub_reset();
    stub_backend_config.fail_at_eval = 2; /* the warm-up of pp8 is eval 1, its first rep eval 2 */
    int32_t pp[] = {8}, tg[] = {2};
    wir_bench_plan plan = {.pp = pp, .n_pp = 1, .tg = tg, .n_tg = 1, .reps = 2};
    wir_bench_setup setup = {.ops = stub_backend(), .plan = stub_backend_desc()};
    wir_result *r;
    size_t n = wir_bench_execute(&plan, &setup, &r, NULL);
    CHECK(n == 2);
    CHECK(r[0].status == WIR_RESULT_ERROR);
    CHECK(r[0].error && strstr(r[0].error, "eval 2 failed on purpose"));
    CHECK(r[1].status == WIR_RESULT_OK && r[1].n_samples == 2);
    wir_bench_results_free(r, n);
}

/* Nothing fits: the weights are never asked for, every test is does-not-fit. */
static int load_calls;
static const wir_model_desc *count_load(void *user, char *err, size_t size) {
    (void)user, (void)err, (void)size;
    load_calls++;
    return NULL;
}

static void case_nothing_fits(void) {
    stub_reset();
    stub_backend_config.weights = 5000;
    stub_backend_config.available = 4000;
    wir_model_desc plan_desc = *stub_backend_desc();
    plan_desc.has_data = false;
    int32_t pp[] = {16}, tg[] = {4};
    wir_bench_plan plan = {.pp = pp, .n_pp = 1, .tg = tg, .n_tg = 1, .reps = 2};
    wir_bench_setup setup = {.ops = stub_backend(), .plan = &plan_desc, .load = count_load};
    wir_result *r;
    wir_bench_outcome oc;
    size_t n = wir_bench_execute(&plan, &setup, &r, &oc);
    CHECK(n == 2 && load_calls == 0 && oc.n_ctx == 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(r[i].status == WIR_RESULT_DOES_NOT_FIT);
        CHECK(r[i].bytes_needed > r[i].bytes_available);
    }
    wir_bench_results_free(r, n);

    /* fits, but the weights cannot be made: every test is an error saying so */
    stub_backend_config.available = 1u << 30;
    n = wir_bench_execute(&plan, &setup, &r, &oc);
    CHECK(n == 2 && load_calls == 1);
    CHECK(r[0].status == WIR_RESULT_ERROR && r[1].status == WIR_RESULT_ERROR);
    CHECK(r[0].error && strstr(r[0].error, "no weights"));
    wir_bench_results_free(r, n);
}

static void fill_run(wir_run_info *run) {
    memset(run, 0, sizeof *run);
    run->command_line = wir_record_command_line("probe", 0, NULL);
    run->probe_version = strdup("0.1.0");
    run->probe_commit = strdup("abc");
    strcpy(run->started_at, "2026-12-01T20:00:00Z");
    run->source = WIR_RUN_CATALOG;
    run->model_slug = strdup("qwen2-5-0-5b");
    run->ftype = strdup("q4-k-m");
    run->model_name = strdup("Qwen2.5 0.5B");
    run->quant = strdup("Q4_K_M");
    run->model_params = 494032768;
    run->model_bytes = 397808192;
    run->n_ctx = 48;
    run->n_threads = 2;
    run->backend = strdup("cpu");
    run->reps = 2;
    wir_host_detect(&run->host);
}

/* The Markdown table, the profile table, and the JSON document parsed back. */
static void case_report(void) {
    wir_run_info run;
    fill_run(&run);
    wir_result r[3];
    wir_result_init(&r[0], WIR_TEST_PP, 512, 0, 0);
    r[0].n_samples = 2;
    r[0].samples_ns = malloc(2 * sizeof(int64_t));
    r[0].samples_ts = malloc(2 * sizeof(double));
    r[0].samples_ns[0] = 1000000000, r[0].samples_ns[1] = 500000000;
    r[0].samples_ts[0] = 512, r[0].samples_ts[1] = 1024;
    r[0].tokens_per_s = 768, r[0].stddev = 362.038672;
    r[0].profile.matmul_ns = 1000000, r[0].profile.attention_ns = 500000;
    r[0].profile.other_ns = 500000;
    wir_result_init(&r[1], WIR_TEST_TG, 0, 128, 4096);
    r[1].status = WIR_RESULT_DOES_NOT_FIT;
    r[1].bytes_needed = 3LL << 30, r[1].bytes_available = 1LL << 30;
    wir_result_init(&r[2], WIR_TEST_TG, 0, 16, 0);
    r[2].status = WIR_RESULT_ERROR;
    r[2].error = strdup("cpu: a | b");

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    wir_report_markdown(f, &run, r, 3);
    fclose(f);
    CHECK_STR(buf,
        "| model | size | params | backend | threads | test | t/s |\n"
        "| ----- | ---: | -----: | ------- | ------: | ---: | --: |\n"
        "| Qwen2.5 0.5B Q4_K_M | 379.38 MiB | 494.03 M | CPU | 2 | pp512 | 768.00 ± 362.04 |\n"
        "| Qwen2.5 0.5B Q4_K_M | 379.38 MiB | 494.03 M | CPU | 2 | tg128 @ d4096 | does not fit: needs 3.00 GiB, 1.00 GiB available |\n"
        "| Qwen2.5 0.5B Q4_K_M | 379.38 MiB | 494.03 M | CPU | 2 | tg16 | error: cpu: a / b |\n");
    free(buf);

    f = open_memstream(&buf, &len);
    wir_report_profile(f, r, 3);
    fclose(f);
    CHECK(strstr(buf, "| pp512 | prefill | 1.00 ms (50.0%) | 0.50 ms (25.0%) | 0.50 ms (25.0%) | 2.00 ms |"));
    CHECK(strstr(buf, "| tg128 @ d4096 | does-not-fit |"));
    free(buf);

    json_t *doc = wir_report_json(&run, 7, "probe.db", 1, r, 3);
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    json_error_t jerr;
    json_t *back = json_loads(text, 0, &jerr);
    free(text);
    CHECK(back != NULL);
    if (back) {
        CHECK_STR(json_string_value(json_object_get(back, "schema")), "willitrun-probe-run/1");
        CHECK(json_integer_value(json_object_get(back, "run_id")) == 7);
        CHECK(json_is_true(json_object_get(back, "complete")));
        json_t *model = json_object_get(back, "model");
        CHECK_STR(json_string_value(json_object_get(model, "slug")), "qwen2-5-0-5b");
        CHECK(json_is_null(json_object_get(model, "gguf_sha256")));
        json_t *host = json_object_get(back, "host");
        CHECK(json_is_null(json_object_get(host, "gpu_name")));
        CHECK(json_integer_value(json_object_get(host, "ram_bytes")) > 0);
        json_t *res = json_object_get(back, "results");
        CHECK(json_array_size(res) == 3);
        json_t *r0 = json_array_get(res, 0), *r1 = json_array_get(res, 1);
        CHECK_STR(json_string_value(json_object_get(r0, "test")), "pp");
        CHECK(json_integer_value(json_object_get(r0, "n_prompt")) == 512);
        CHECK(json_real_value(json_object_get(r0, "tokens_per_s")) == 768);
        CHECK(json_array_size(json_object_get(r0, "samples")) == 2);
        CHECK(json_integer_value(json_array_get(json_object_get(r0, "samples_ns"), 1)) == 500000000);
        CHECK(json_integer_value(json_object_get(json_object_get(r0, "profile"), "matmul_ns")) ==
              1000000);
        CHECK_STR(json_string_value(json_object_get(r1, "status")), "does-not-fit");
        CHECK(json_integer_value(json_object_get(r1, "bytes_needed")) == 3LL << 30);
        CHECK(json_integer_value(json_object_get(r1, "depth")) == 4096);
        CHECK(json_is_null(json_object_get(r1, "tokens_per_s")));
        CHECK(json_is_null(json_object_get(r1, "power_w")));
        CHECK_STR(json_string_value(json_object_get(json_array_get(res, 2), "error")), "cpu: a | b");
        json_decref(back);
    }
    for (int i = 0; i < 3; i++)
        wir_result_free(&r[i]);
    wir_run_info_free(&run);
}

static void case_quote(void) {
    char *argv[] = {"run", "--model", "qwen2-5-0-5b", "--db", "my runs.db", "--gguf", "it's.gguf",
                    "", "--pp=16,32"};
    char *s = wir_record_command_line("probe", 9, argv);
    CHECK_STR(s, "probe run --model qwen2-5-0-5b --db 'my runs.db' --gguf 'it'\\''s.gguf' '' "
                 "--pp=16,32");
    free(s);
}

/* Without libnvidia-ml.so.1 (this machine), open says so and every figure a
 * sampler would give is null; with it (a GPU machine), the calls work. */
static void case_nvml(void) {
    char why[512] = "";
    wir_nvml *n = wir_nvml_open(why, sizeof why);
    wir_nvml_figures fig;
    if (!n) {
        CHECK(!strncmp(why, "NVML not available", 18));
        CHECK(wir_nvml_device_count(NULL) == 0);
        char v[32];
        CHECK(wir_nvml_driver_version(NULL, v, sizeof v) == -1);
        CHECK(wir_nvml_sampler_start(NULL, 0, 10) == NULL);
        wir_nvml_sampler_stop(NULL, &fig);
        CHECK(isnan(fig.avg_power_w) && isnan(fig.energy_j) && fig.memory_used_bytes == -1);
        return;
    }
    printf("NVML present: %d device(s)\n", (int)wir_nvml_device_count(n));
    if (wir_nvml_device_count(n) > 0) {
        wir_nvml_sampler *s = wir_nvml_sampler_start(n, 0, 10);
        CHECK(s != NULL);
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
        wir_nvml_sampler_stop(s, &fig);
        CHECK(fig.n_samples >= 1);
        printf("power %.1f W, energy %.3f J, util %.0f%%, memory %lld\n", fig.avg_power_w,
               fig.energy_j, fig.avg_util_pct, (long long)fig.memory_used_bytes);
    }
    wir_nvml_close(n);
}

/* The host description: what this machine reports, nothing invented. */
static void case_host(void) {
    wir_host h;
    wir_host_detect(&h);
    CHECK(h.cpu_threads >= 1);
    CHECK(h.ram_bytes > 0);
    CHECK(h.kernel && h.arch && h.cpu_features);
    CHECK(h.gpu_name == NULL && h.gpu_memory_bytes == -1 && h.cuda_version == NULL);
    CHECK(wir_host_mem_available() > 0);
    CHECK(wir_host_peak_rss() > 0);
    printf("cpu %s, %d cores, %d threads, %lld bytes RAM, %s, %s %s, kernels %s\n",
           h.cpu_model ? h.cpu_model : "?", (int)h.cpu_cores, (int)h.cpu_threads,
           (long long)h.ram_bytes, h.os ? h.os : "?", h.kernel, h.arch, h.cpu_features);
    wir_host_free(&h);
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        {"plan", case_plan},       {"stats", case_stats},   {"stub", case_stub},
        {"error", case_error},     {"nothing_fits", case_nothing_fits},
        {"report", case_report},   {"quote", case_quote},   {"nvml", case_nvml},
        {"host", case_host},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (argc > 1 && !strcmp(argv[1], cases[i].name)) {
            cases[i].fn();
            CHECK_DONE();
        }
    fprintf(stderr, "test_probe_bench: unknown case '%s'\n", argc > 1 ? argv[1] : "");
    return 2;
}
