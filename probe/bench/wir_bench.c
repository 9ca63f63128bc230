/* wir_bench: runs the tests of a plan through a backend's ops table and times
 * them (see wir_bench.h for the method). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strdup */
#include "wir_bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wir_host.h"
#include "wir_qformat.h"

enum { BENCH_DEFAULT_BATCH = 512, BENCH_NVML_INTERVAL_MS = 50 };

void wir_bench_mean_sd(const double *v, int32_t n, double *mean, double *sd) {
    double sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += v[i];
    double m = n > 0 ? sum / n : NAN;
    double ss = 0;
    for (int32_t i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (n - 1)) : (n == 1 ? 0 : NAN);
}

size_t wir_bench_tests(const wir_bench_plan *plan, wir_result **out) {
    static const int32_t depth0 = 0;
    const int32_t *depths = plan->n_depth ? plan->depth : &depth0;
    size_t n_depth = plan->n_depth ? plan->n_depth : 1;
    size_t cap = n_depth * (plan->n_pp + plan->n_tg), n = 0;
    wir_result *r = calloc(cap ? cap : 1, sizeof *r);
    if (!r)
        abort();
    for (size_t d = 0; d < n_depth; d++) {
        for (size_t i = 0; i < plan->n_pp; i++)
            if (plan->pp[i] > 0)
                wir_result_init(&r[n++], WIR_TEST_PP, plan->pp[i], 0, depths[d]);
        for (size_t i = 0; i < plan->n_tg; i++)
            if (plan->tg[i] > 0)
                wir_result_init(&r[n++], WIR_TEST_TG, 0, plan->tg[i], depths[d]);
    }
    *out = r;
    return n;
}

void wir_bench_results_free(wir_result *results, size_t n) {
    for (size_t i = 0; i < n; i++)
        wir_result_free(&results[i]);
    free(results);
}

static int32_t bench_ctx_of(const wir_result *r) {
    return r->depth + r->n_prompt + r->n_gen;
}

static int64_t bench_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void bench_set_error(wir_result *r, const char *text) {
    r->status = WIR_RESULT_ERROR;
    free(r->error);
    r->error = strdup(text && *text ? text : "unknown error");
}

/* One run's state while it goes. */
typedef struct bench_ctx {
    const wir_bench_plan *plan;
    const wir_bench_setup *setup;
    const wir_backend_ops *ops;
    void *state;                 /* the backend session */
    int32_t n_batch;
    int32_t *tokens;             /* pseudo-random prompt/fill tokens, n_ctx of them */
} bench_ctx;

/* Evaluates tokens[pos..pos+n) in batches of at most n_batch. */
static wir_backend_status bench_eval_span(bench_ctx *c, int32_t pos, int32_t n,
                                          wir_backend_error *err) {
    for (int32_t done = 0; done < n;) {
        int32_t k = n - done < c->n_batch ? n - done : c->n_batch;
        wir_backend_status st = c->ops->eval(c->state, c->tokens + pos + done, k, pos + done,
                                             false, NULL, err);
        if (st != WIR_BACKEND_OK)
            return st;
        done += k;
    }
    return WIR_BACKEND_OK;
}

/* One decode of n tokens from pos, one eval each. */
static wir_backend_status bench_decode(bench_ctx *c, int32_t pos, int32_t n,
                                       wir_backend_error *err) {
    for (int32_t i = 0; i < n; i++) {
        wir_backend_status st = c->ops->eval(c->state, c->tokens + pos + i, 1, pos + i,
                                             false, NULL, err);
        if (st != WIR_BACKEND_OK)
            return st;
    }
    return WIR_BACKEND_OK;
}

static void bench_progress(bench_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bench_progress(bench_ctx *c, const char *fmt, ...) {
    FILE *f = c->setup->progress;
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("probe: ", f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
    va_end(ap);
}

/* The timed part of a test: reps repetitions from the same depth. */
static void bench_measure(bench_ctx *c, wir_result *r, const char *label) {
    const wir_bench_plan *plan = c->plan;
    wir_backend_error err = {0};
    bool pp = r->kind == WIR_TEST_PP;
    int32_t n = pp ? r->n_prompt : r->n_gen;
    wir_backend_status st = WIR_BACKEND_OK;

    wir_host_peak_rss_reset();
    c->ops->kv_truncate(c->state, 0);
    if (r->depth > 0) {
        bench_progress(c, "%s: filling the KV cache with %d tokens", label, (int)r->depth);
        st = bench_eval_span(c, 0, r->depth, &err);
    }
    if (st == WIR_BACKEND_OK) /* warm-up: caches, page faults, thread pools */
        st = pp ? bench_eval_span(c, r->depth, n, &err) : bench_decode(c, r->depth, 1, &err);
    if (st != WIR_BACKEND_OK) {
        bench_set_error(r, err.text);
        return;
    }

    r->samples_ns = calloc((size_t)plan->reps, sizeof *r->samples_ns);
    r->samples_ts = calloc((size_t)plan->reps, sizeof *r->samples_ts);
    if (!r->samples_ns || !r->samples_ts)
        abort();
    c->ops->profile_reset(c->state);
    wir_nvml_sampler *sampler = NULL;
    if (c->setup->nvml && !strcmp(c->ops->name, "cuda"))
        sampler = wir_nvml_sampler_start(c->setup->nvml, plan->device, BENCH_NVML_INTERVAL_MS);
    for (int32_t rep = 0; rep < plan->reps && st == WIR_BACKEND_OK; rep++) {
        /* eval at pos = depth drops what the previous repetition appended */
        int64_t t0 = bench_now_ns();
        st = pp ? bench_eval_span(c, r->depth, n, &err) : bench_decode(c, r->depth, n, &err);
        int64_t ns = bench_now_ns() - t0;
        if (st != WIR_BACKEND_OK)
            break;
        if (ns < 1)
            ns = 1;
        r->samples_ns[rep] = ns;
        r->samples_ts[rep] = (double)n * 1e9 / (double)ns;
        r->n_samples = rep + 1;
        bench_progress(c, "%s: rep %d/%d: %.2f t/s", label, (int)rep + 1, (int)plan->reps,
                       r->samples_ts[rep]);
    }
    wir_nvml_figures nv;
    wir_nvml_sampler_stop(sampler, &nv);
    if (st != WIR_BACKEND_OK) {
        bench_set_error(r, err.text);
        return;
    }

    double *ns_d = malloc((size_t)r->n_samples * sizeof *ns_d);
    if (!ns_d)
        abort();
    for (int32_t i = 0; i < r->n_samples; i++)
        ns_d[i] = (double)r->samples_ns[i];
    wir_bench_mean_sd(ns_d, r->n_samples, &r->avg_ns, &r->stddev_ns);
    free(ns_d);
    wir_bench_mean_sd(r->samples_ts, r->n_samples, &r->tokens_per_s, &r->stddev);
    if (pp)
        r->ttft_ms = r->avg_ns / 1e6;

    /* Since the reset only this test's timed evals were counted; both phases
     * are summed because a prompt's last batch may be a single token, which
     * the backend counts as a decode. */
    wir_backend_profile prof;
    c->ops->profile(c->state, &prof);
    uint64_t evals = 0, mm = 0, att = 0, other = 0;
    for (int ph = 0; ph < WIR_BACKEND_N_PHASES; ph++) {
        evals += prof.phase[ph].n_evals;
        mm += prof.phase[ph].ns_matmul;
        att += prof.phase[ph].ns_attention;
        other += prof.phase[ph].ns_other;
    }
    if (evals > 0) {
        r->profile.matmul_ns = (int64_t)mm;
        r->profile.attention_ns = (int64_t)att;
        r->profile.other_ns = (int64_t)other;
    }
    r->peak_memory_bytes = wir_host_peak_rss();
    wir_backend_memory mem;
    c->ops->memory(c->state, &mem);
    if (strcmp(c->ops->name, "cpu"))
        r->peak_device_bytes = (int64_t)mem.peak;
    int64_t tokens = (int64_t)n * r->n_samples;
    r->power_w = nv.avg_power_w;
    r->joules_per_token = isfinite(nv.energy_j) && tokens > 0 ? nv.energy_j / (double)tokens : NAN;
    r->gpu_util_pct = nv.avg_util_pct;
    r->gpu_memory_used_bytes = nv.memory_used_bytes;
}

/* The session parameters for a cache of n_ctx tokens. Written out rather
 * than from wir_backend_params_default() so the driver needs only the ops
 * table (tests drive it with a stub backend). */
static wir_backend_params bench_params(const bench_ctx *c, int32_t n_ctx) {
    wir_backend_params p = {.device = c->plan->device, .n_ctx = n_ctx, .n_batch = c->n_batch,
                            .n_threads = c->plan->n_threads, .kv_type = WIR_QTYPE_F16,
                            .profile = c->plan->profile};
    return p;
}

/* Estimates every test; returns the largest context among those that fit
 * (0 when none does). Tests that do not fit get their status here. */
static int32_t bench_estimate_all(bench_ctx *c, wir_result *r, size_t n) {
    int32_t n_ctx = 0;
    for (size_t i = 0; i < n; i++) {
        wir_backend_params p = bench_params(c, bench_ctx_of(&r[i]));
        wir_backend_memory mem = {0};
        wir_backend_error err = {0};
        wir_backend_status st = c->ops->estimate(c->setup->plan, &p, &mem, &err);
        if (st != WIR_BACKEND_OK) {
            bench_set_error(&r[i], err.text);
            continue;
        }
        r[i].bytes_needed = (int64_t)mem.total;
        r[i].bytes_available = (int64_t)mem.available;
        if (mem.total > mem.available)
            r[i].status = WIR_RESULT_DOES_NOT_FIT;
        else if (p.n_ctx > n_ctx)
            n_ctx = p.n_ctx;
    }
    return n_ctx;
}

/* Loads the weights and makes the session; on failure every test still
 * pending becomes an error with the reason. */
static int bench_open_session(bench_ctx *c, int32_t n_ctx, wir_result *r, size_t n) {
    char why[1024] = "";
    const wir_model_desc *desc = c->setup->plan;
    if (!desc->has_data) {
        bench_progress(c, "making the weights (%.2f GiB)",
                       (double)desc->weight_bytes / (1024.0 * 1024.0 * 1024.0));
        desc = c->setup->load ? c->setup->load(c->setup->user, why, sizeof why) : NULL;
        if (!desc && !why[0])
            snprintf(why, sizeof why, "no weights to run");
    }
    if (desc) {
        wir_backend_params p = bench_params(c, n_ctx);
        wir_backend_error err = {0};
        if (c->ops->init(desc, &p, &c->state, &err) == WIR_BACKEND_OK)
            return 0;
        c->state = NULL;
        snprintf(why, sizeof why, "%s", err.text);
    }
    for (size_t i = 0; i < n; i++)
        if (r[i].status == WIR_RESULT_OK)
            bench_set_error(&r[i], why);
    return -1;
}

/* Pseudo-random tokens (a 64-bit LCG, Knuth's MMIX constants), the same on
 * every run so two machines evaluate the same sequence. */
static void bench_fill_tokens(int32_t *tokens, int32_t n, int32_t n_vocab) {
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int32_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        tokens[i] = (int32_t)((x >> 33) % (uint64_t)(n_vocab > 0 ? n_vocab : 1));
    }
}

size_t wir_bench_execute(const wir_bench_plan *plan, const wir_bench_setup *setup,
                         wir_result **out, wir_bench_outcome *outcome) {
    wir_result *r;
    size_t n = wir_bench_tests(plan, &r);
    bench_ctx c = {.plan = plan, .setup = setup, .ops = setup->ops,
                   .n_batch = plan->n_batch > 0 ? plan->n_batch : BENCH_DEFAULT_BATCH};
    wir_bench_outcome oc = {0};

    int32_t n_ctx = bench_estimate_all(&c, r, n);
    if (n_ctx > 0 && bench_open_session(&c, n_ctx, r, n) == 0) {
        oc.n_ctx = n_ctx;
        setup->ops->memory(c.state, &oc.memory);
        c.tokens = malloc((size_t)n_ctx * sizeof *c.tokens);
        if (!c.tokens)
            abort();
        bench_fill_tokens(c.tokens, n_ctx, setup->plan->hp.n_vocab);
        if (setup->on_session)
            setup->on_session(setup->user, &oc);
    }
    for (size_t i = 0; i < n; i++) {
        char label[64];
        wir_result_test_label(&r[i], label, sizeof label);
        wir_record_now(r[i].started_at);
        if (r[i].status == WIR_RESULT_OK && c.state)
            bench_measure(&c, &r[i], label);
        if (r[i].status == WIR_RESULT_OK)
            bench_progress(&c, "[%zu/%zu] %s: %.2f ± %.2f t/s", i + 1, n, label,
                           r[i].tokens_per_s, r[i].stddev);
        else if (r[i].status == WIR_RESULT_DOES_NOT_FIT)
            bench_progress(&c, "[%zu/%zu] %s: does not fit: needs %lld bytes, %lld available",
                           i + 1, n, label, (long long)r[i].bytes_needed,
                           (long long)r[i].bytes_available);
        else
            bench_progress(&c, "[%zu/%zu] %s: error: %s", i + 1, n, label, r[i].error);
        if (setup->on_result && setup->on_result(setup->user, (int32_t)i, &r[i])) {
            oc.stopped = true;
            for (size_t j = i + 1; j < n; j++)
                wir_result_free(&r[j]);
            n = i + 1;
            break;
        }
    }
    if (c.state)
        setup->ops->free(c.state);
    free(c.tokens);
    if (outcome)
        *outcome = oc;
    *out = r;
    return n;
}
