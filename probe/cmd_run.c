/* probe run: benchmark a model on this machine, llama-bench style, and record
 * the run in SQLite.
 *
 *   probe run (--model SLUG --quant FTYPE | --gguf FILE) [--backend cpu|cuda]
 *             [--pp 512] [--tg 128] [--depth 0] [--reps 5] [--threads N]
 *             [--batch 512] [--device I] [--db probe.db] [--data DIR]
 *             [--json | --md] [--profile]
 *
 * The measuring is wir_bench's (probe/bench/wir_bench.h), the storing
 * wir_store's; this file turns arguments into a plan, a model and a run row.
 * Exit status: 0 when every test ended ok or does-not-fit, 1 when a test
 * failed or the run could not start, 2 for a usage error (the message names
 * the option).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "probe_commands.h"
#include "wir_backend.h"
#include "wir_bench.h"
#include "wir_bench_report.h"
#include "wir_catalog.h"
#include "wir_host.h"
#include "wir_nvml.h"
#include "wir_store.h"
#include "wir_version.h"
#include "wir_weights.h"

enum { RUN_MAX_LIST = 64 };

typedef struct run_list {
    int32_t v[RUN_MAX_LIST];
    size_t n;
} run_list;

typedef struct run_opts {
    const char *model, *quant, *gguf, *backend, *db, *data;
    run_list pp, tg, depth;
    int32_t reps, threads, batch, device;
    bool json, md, profile;
} run_opts;

static void run_usage(FILE *out) {
    fprintf(out,
        "usage: probe run (--model SLUG --quant FTYPE | --gguf FILE) [OPTIONS]\n\n"
        "Measures prefill (pp) and decode (tg) tokens/s as llama-bench does and records\n"
        "the run in SQLite. Lists are comma-separated (--tg 64,256,1024).\n"
        "  --model SLUG      a catalog model (data/models/SLUG.json), weights generated\n"
        "  --quant FTYPE     its llama.cpp file type: q4-k-m or Q4_K_M, f16, q8-0, ...\n"
        "  --gguf FILE       a GGUF file instead (llama or qwen2 architecture)\n"
        "  --backend NAME    cpu (default) or cuda\n"
        "  --pp LIST         prompt sizes to prefill (default 512; 0 skips)\n"
        "  --tg LIST         token counts to generate (default 128; 0 skips)\n"
        "  --depth LIST      tokens already in the KV cache (default 0)\n"
        "  --reps N          timed repetitions per test after a warm-up (default 5)\n"
        "  --threads N       CPU threads (default: physical cores)\n"
        "  --batch N         most tokens per evaluation (default 512)\n"
        "  --device I        backend device index (default 0)\n"
        "  --db FILE         SQLite database to record in (default probe.db)\n"
        "  --data DIR        the catalog (default: ./data if it exists, else the\n"
        "                    source tree's data/)\n"
        "  --md              print a Markdown table at the end (default)\n"
        "  --json            print the whole run as JSON instead\n"
        "  --profile         also show the time per operation (matrix products,\n"
        "                    attention, other) for prefill and decode\n"
        "  --help            show this help\n");
}

static int run_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("probe run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(probe run --help describes the options)\n", stderr);
    va_end(ap);
    return 2;
}

/* A whole number in [min, max]; false for anything else ("12x", "", "-1"). */
static bool run_parse_int(const char *s, int32_t min, int32_t max, int32_t *out) {
    if (!*s || *s == '+' || *s == ' ')
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = (int32_t)v;
    return true;
}

static int run_parse_list(const char *opt, const char *s, int32_t max, run_list *out) {
    out->n = 0;
    char *copy = strdup(s), *save = NULL;
    int rc = 0;
    if (!*s)
        rc = run_usage_error("%s: empty list", opt);
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        if (out->n == RUN_MAX_LIST)
            rc = run_usage_error("%s: more than %d values", opt, RUN_MAX_LIST);
        else if (!run_parse_int(tok, 0, max, &out->v[out->n]))
            rc = run_usage_error("%s: '%s' is not a whole number from 0 to %d", opt, tok,
                                 (int)max);
        else
            out->n++;
    }
    if (!rc && strstr(s, ",,"))
        rc = run_usage_error("%s: empty value in '%s'", opt, s);
    free(copy);
    return rc;
}

static const char *run_default_data(void) {
    struct stat st;
    if (stat("data/models", &st) == 0 && S_ISDIR(st.st_mode))
        return "data";
    return WIR_SOURCE_DIR "/data";
}

/* Fills opts from argv; returns 0, 2 on a usage error, or -1 after --help. */
static int run_parse(int argc, char **argv, run_opts *o) {
    memset(o, 0, sizeof *o);
    o->backend = "cpu";
    o->db = "probe.db";
    o->pp.v[0] = 512, o->pp.n = 1;
    o->tg.v[0] = 128, o->tg.n = 1;
    o->depth.v[0] = 0, o->depth.n = 1;
    o->reps = 5;
    o->batch = 512;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            run_usage(stdout);
            return -1;
        }
        if (!strcmp(a, "--json") || !strcmp(a, "--md") || !strcmp(a, "--profile")) {
            *(a[2] == 'j' ? &o->json : a[2] == 'm' ? &o->md : &o->profile) = true;
            continue;
        }
        static const char *const valued[] = {"--model", "--quant", "--gguf", "--backend",
                                             "--pp", "--tg", "--depth", "--reps", "--threads",
                                             "--batch", "--device", "--db", "--data"};
        const char *name = NULL, *val = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !name; k++) {
            size_t len = strlen(valued[k]);
            if (!strcmp(a, valued[k])) {
                name = valued[k];
                if (i + 1 >= argc)
                    return run_usage_error("%s needs a value", name);
                val = argv[++i];
            } else if (!strncmp(a, valued[k], len) && a[len] == '=') {
                name = valued[k];
                val = a + len + 1;
            }
        }
        if (!name)
            return run_usage_error("unknown option '%s'", a);
        int rc = 0;
        if (!strcmp(name, "--model")) o->model = val;
        else if (!strcmp(name, "--quant")) o->quant = val;
        else if (!strcmp(name, "--gguf")) o->gguf = val;
        else if (!strcmp(name, "--backend")) o->backend = val;
        else if (!strcmp(name, "--db")) o->db = val;
        else if (!strcmp(name, "--data")) o->data = val;
        else if (!strcmp(name, "--pp")) rc = run_parse_list(name, val, 1 << 20, &o->pp);
        else if (!strcmp(name, "--tg")) rc = run_parse_list(name, val, 1 << 20, &o->tg);
        else if (!strcmp(name, "--depth")) rc = run_parse_list(name, val, 1 << 22, &o->depth);
        else {
            int32_t *dst = !strcmp(name, "--reps") ? &o->reps
                         : !strcmp(name, "--threads") ? &o->threads
                         : !strcmp(name, "--batch") ? &o->batch : &o->device;
            int32_t min = dst == &o->device ? 0 : 1;
            if (!run_parse_int(val, min, dst == &o->reps ? 10000 : 1 << 16, dst))
                rc = run_usage_error("%s: '%s' is not a whole number of at least %d", name, val,
                                     (int)min);
        }
        if (rc)
            return rc;
    }
    if (o->json && o->md)
        return run_usage_error("--json and --md exclude each other");
    if (o->gguf && (o->model || o->quant))
        return run_usage_error("--gguf excludes --model and --quant");
    if (o->model && !o->quant)
        return run_usage_error("--model needs --quant FTYPE (q4-k-m, q8-0, f16, ...)");
    if (o->quant && !o->model)
        return run_usage_error("--quant needs --model SLUG");
    if (!o->gguf && !o->model)
        return run_usage_error("give --model SLUG --quant FTYPE, or --gguf FILE");
    if (!*o->db)
        return run_usage_error("--db: empty file name");
    bool any = false;
    for (size_t i = 0; i < o->pp.n; i++)
        any |= o->pp.v[i] > 0;
    for (size_t i = 0; i < o->tg.n; i++)
        any |= o->tg.v[i] > 0;
    if (!any)
        return run_usage_error("--pp and --tg leave no test to run");
    if (!o->data)
        o->data = run_default_data();
    return 0;
}

/* Checks --model / --quant against the catalog, with suggestions. */
static int run_check_catalog(const wir_catalog *c, const run_opts *o) {
    const char *near[4];
    if (!wir_catalog_find_model(c, o->model)) {
        size_t n = wir_catalog_suggest(c, "model", o->model, near, 4);
        fprintf(stderr, "probe run: --model: unknown model '%s' in %s", o->model, o->data);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s%s", i ? ", " : "; did you mean: ", near[i]);
        fputc('\n', stderr);
        return 2;
    }
    if (!wir_catalog_find_ftype(c, o->quant)) {
        size_t n = wir_catalog_suggest(c, "ftype", o->quant, near, 4);
        fprintf(stderr, "probe run: --quant: unknown file type '%s'", o->quant);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s%s", i ? ", " : "; did you mean: ", near[i]);
        fputc('\n', stderr);
        return 2;
    }
    return 0;
}

/* Everything one run holds while it goes. */
typedef struct run_state {
    run_opts opts;
    wir_catalog *catalog;          /* NULL for a GGUF run without a catalog */
    wir_weights *plan;             /* the plan (catalog) or the mapped file (GGUF) */
    wir_weights *weights;          /* generated weights, made by run_load */
    wir_run_info info;
    wir_store *store;
    int64_t run_id;
    bool store_failed;
} run_state;

static const wir_model_desc *run_load(void *user, char *err, size_t err_size) {
    run_state *s = user;
    wir_weights_error we = {0};
    s->weights = wir_weights_generate(s->catalog, s->opts.model, s->opts.quant, 1,
                                      s->info.n_threads, &we);
    if (!s->weights) {
        snprintf(err, err_size, "%s", we.text);
        return NULL;
    }
    return wir_weights_desc(s->weights);
}

static int run_on_result(void *user, int32_t seq, const wir_result *r) {
    run_state *s = user;
    char *err = NULL;
    if (wir_store_add_result(s->store, s->run_id, seq, r, &err)) {
        fprintf(stderr, "probe run: %s: recording the result: %s\n", s->opts.db, err);
        free(err);
        s->store_failed = true;
        return 1;
    }
    return 0;
}

/* The context is known once the session exists: record it now, so a run
 * killed later still says what cache it ran with. */
static void run_on_session(void *user, const wir_bench_outcome *session) {
    run_state *s = user;
    char *err = NULL;
    s->info.n_ctx = session->n_ctx;
    if (wir_store_update_run(s->store, s->run_id, &s->info, &err)) {
        fprintf(stderr, "probe run: %s: %s\n", s->opts.db, err);
        free(err);
    }
}

static int64_t run_count_params(const wir_model_desc *d) {
    int64_t n = 0;
    for (size_t i = 0; i < d->n_tensors; i++) {
        int64_t e = 1;
        for (int32_t k = 0; k < d->tensors[i].n_dims; k++)
            e *= d->tensors[i].ne[k];
        n += e;
    }
    return n;
}

/* The llama.cpp file type name of a GGUF file's general.file_type. */
static char *run_quant_of_file(const wir_catalog *c, int32_t file_type) {
    if (file_type < 0)
        return NULL;
    for (size_t i = 0; c && i < c->n_ftypes; i++)
        if (c->ftypes[i].ftype == file_type)
            return strdup(c->ftypes[i].name);
    char buf[32];
    snprintf(buf, sizeof buf, "file type %d", (int)file_type);
    return strdup(buf);
}

static char *run_dup_nonempty(const char *s) { return s && *s ? strdup(s) : NULL; }

/* The GPU of the host: the CUDA backend's device, else what NVML sees; the
 * driver and CUDA versions where something reports them. */
static void run_detect_gpu(wir_host *h, wir_nvml *nvml, int32_t device) {
    const wir_backend_ops *cuda = wir_backend_find("cuda");
    wir_backend_device dev[8];
    int32_t n = cuda ? cuda->list_devices(dev, 8) : 0;
    if (device < n && device < 8) {
        h->gpu_name = strdup(dev[device].name);
        h->gpu_memory_bytes = (int64_t)dev[device].memory_total;
    } else if (nvml) {
        char name[128];
        int64_t mem = -1;
        if (wir_nvml_device_info(nvml, device, name, sizeof name, &mem) == 0) {
            h->gpu_name = strdup(name);
            h->gpu_memory_bytes = mem;
        }
    }
    if (!h->gpu_name)
        return;
    char v[96];
    if (wir_nvml_driver_version(nvml, v, sizeof v) == 0)
        h->gpu_driver = strdup(v);
    if (wir_host_cuda_runtime_version(v, sizeof v) == 0 ||
        wir_nvml_cuda_version(nvml, v, sizeof v) == 0)
        h->cuda_version = strdup(v);
}

/* Opens the catalog and the model (plan or file); fills the model part of
 * the run info. Returns 0, 1 or 2 (exit status). */
static int run_open_model(run_state *s) {
    run_opts *o = &s->opts;
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    s->catalog = wir_catalog_load(o->data, &diags);
    if (!s->catalog && o->model) {
        fprintf(stderr, "probe run: --data: the catalog in %s does not load:\n", o->data);
        wir_diag_list_print(stderr, &diags);
        wir_diag_list_free(&diags);
        return 1;
    }
    wir_diag_list_free(&diags);
    wir_weights_error we = {0};
    wir_run_info *info = &s->info;
    if (o->model) {
        int rc = run_check_catalog(s->catalog, o);
        if (rc)
            return rc;
        s->plan = wir_weights_plan_generated(s->catalog, o->model, o->quant, &we);
    } else {
        fprintf(stderr, "probe: hashing %s\n", o->gguf);
        wir_weights_gguf_options go = {.compute_sha256 = true};
        s->plan = wir_weights_open_gguf(o->gguf, &go, &we);
    }
    if (!s->plan) {
        fprintf(stderr, "probe run: %s\n", we.text);
        return 1;
    }
    const wir_model_desc *d = wir_weights_desc(s->plan);
    info->source = o->gguf ? WIR_RUN_GGUF : WIR_RUN_CATALOG;
    if (o->gguf) {
        const char *slash = strrchr(o->gguf, '/'); /* the name; the path is in the command line */
        info->gguf_file = strdup(slash ? slash + 1 : o->gguf);
        info->gguf_sha256 = run_dup_nonempty(d->id.sha256);
        info->gguf_name = run_dup_nonempty(d->id.name);
        info->quant = run_quant_of_file(s->catalog, d->id.file_type);
    } else {
        info->model_slug = strdup(d->id.catalog_model);
        info->ftype = strdup(d->id.ftype);
        info->quant = run_dup_nonempty(d->id.ftype_name);
    }
    info->model_name = run_dup_nonempty(d->id.name);
    info->model_params = run_count_params(d);
    info->model_bytes = (int64_t)d->weight_bytes;
    return 0;
}

static int run_start(run_state *s, int argc, char **argv, wir_nvml *nvml,
                     const wir_backend_ops *ops) {
    wir_run_info *info = &s->info;
    info->command_line = wir_record_command_line("probe", argc, argv);
    info->probe_version = strdup(WIR_VERSION);
    info->probe_commit = strdup(WIR_GIT_COMMIT);
    wir_record_now(info->started_at);
    wir_host_detect(&info->host);
    run_detect_gpu(&info->host, nvml, s->opts.device);
    info->backend = strdup(ops->name);
    info->reps = s->opts.reps;
    info->n_batch = s->opts.batch;
    info->kv_type = strdup("f16"); /* the driver's sessions use llama.cpp's default */
    info->n_threads = s->opts.threads > 0 ? s->opts.threads
                    : info->host.cpu_cores > 0 ? info->host.cpu_cores
                    : info->host.cpu_threads > 0 ? info->host.cpu_threads : 1;
    wir_backend_device dev[8];
    int32_t n_dev = ops->list_devices(dev, 8);
    if (s->opts.device >= n_dev || s->opts.device >= 8) {
        fprintf(stderr, "probe run: --device: backend %s has %d device(s) here\n", ops->name,
                (int)n_dev);
        return n_dev > 0 ? 2 : 1;
    }
    info->device = strdup(dev[s->opts.device].name);
    int rc = run_open_model(s);
    if (rc)
        return rc;
    char *err = NULL;
    if (wir_store_open(s->opts.db, &s->store, &err) ||
        wir_store_begin_run(s->store, info, &s->run_id, &err)) {
        fprintf(stderr, "probe run: --db: %s\n", err);
        free(err);
        return 1;
    }
    fprintf(stderr, "probe: run %lld in %s: %s %s on %s (%s), %d threads\n",
            (long long)s->run_id, s->opts.db, info->model_name ? info->model_name : "?",
            info->quant ? info->quant : "", ops->name, info->device, (int)info->n_threads);
    return 0;
}

static void run_free(run_state *s) {
    wir_store_close(s->store);
    wir_weights_free(s->weights);
    wir_weights_free(s->plan);
    wir_catalog_free(s->catalog);
    wir_run_info_free(&s->info);
}

static void run_print(const run_state *s, const wir_result *r, size_t n, bool complete) {
    if (s->opts.json) {
        json_t *doc = wir_report_json(&s->info, s->run_id, s->opts.db, complete, r, n);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
        return;
    }
    wir_report_markdown(stdout, &s->info, r, n);
    if (s->opts.profile) {
        fputc('\n', stdout);
        wir_report_profile(stdout, r, n);
    }
}

int probe_cmd_run(int argc, char **argv) {
    run_state s = {0};
    int rc = run_parse(argc, argv, &s.opts);
    if (rc)
        return rc < 0 ? 0 : rc;
    const wir_backend_ops *ops = wir_backend_find(s.opts.backend);
    if (!ops) {
        const wir_backend_ops *all[8];
        size_t n = wir_backend_all(all, 8);
        fprintf(stderr, "probe run: --backend: '%s' is not built into this probe (it has:",
                s.opts.backend);
        for (size_t i = 0; i < n && i < 8; i++)
            fprintf(stderr, " %s", all[i]->name);
        fprintf(stderr, ")\n");
        return 2;
    }
    char why[512];
    wir_nvml *nvml = wir_nvml_open(why, sizeof why);
    rc = run_start(&s, argc, argv, nvml, ops); /* argv[0] is "run" */
    if (rc) {
        run_free(&s);
        wir_nvml_close(nvml);
        return rc;
    }

    wir_bench_plan plan = {
        .pp = s.opts.pp.v, .n_pp = s.opts.pp.n, .tg = s.opts.tg.v, .n_tg = s.opts.tg.n,
        .depth = s.opts.depth.v, .n_depth = s.opts.depth.n, .reps = s.opts.reps,
        .n_threads = s.info.n_threads, .n_batch = s.opts.batch, .device = s.opts.device,
        .profile = s.opts.profile,
    };
    const wir_model_desc *desc = wir_weights_desc(s.plan);
    wir_bench_setup setup = {
        .ops = ops, .plan = desc, .load = desc->has_data ? NULL : run_load,
        .on_result = run_on_result, .on_session = run_on_session, .user = &s, .nvml = nvml,
        .progress = stderr,
    };
    wir_result *results;
    wir_bench_outcome oc;
    size_t n = wir_bench_execute(&plan, &setup, &results, &oc);
    s.info.n_ctx = oc.n_ctx > 0 ? oc.n_ctx : -1;

    char *err = NULL;
    bool complete = !oc.stopped && !s.store_failed;
    if (complete && (wir_store_update_run(s.store, s.run_id, &s.info, &err) ||
                     wir_store_finish_run(s.store, s.run_id, &err))) {
        fprintf(stderr, "probe run: %s: %s\n", s.opts.db, err);
        free(err);
        complete = false;
    }
    run_print(&s, results, n, complete);
    rc = complete ? 0 : 1;
    for (size_t i = 0; i < n; i++)
        if (results[i].status == WIR_RESULT_ERROR)
            rc = 1;
    wir_bench_results_free(results, n);
    run_free(&s);
    wir_nvml_close(nvml);
    return rc;
}
