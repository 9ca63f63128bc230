/* runs/<id>.json (data/README.md): one measured run, imported from a
 * published llama-bench result or submitted by the probe. References (GPU,
 * model, file type, runtime, cache type) must name catalog entries; an
 * unknown one is reported with the nearest known names. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wir_buf.h"
#include "wir_schema.h"

static const char *const wir_run_keys[] = {"id", "source", "note", "hardware", "model", "quant",
                                           "runtime", "settings", "results", "host",
                                           "reproduce", NULL};
static const char *const wir_run_source_kinds[] = {"import", "probe", NULL};
static const char *const wir_run_tests[] = {"pp", "tg", NULL};

void wir_schema_unknown_ref(const wir_jobj *o, const char *key, const wir_catalog *c,
                            const char *kind, const char *what, const char *slug,
                            const char *folder) {
    const char *near[3];
    size_t n = wir_catalog_suggest(c, kind, slug, near, 3);
    wir_buf msg = WIR_BUF_INIT;
    wir_buf_printf(&msg, "unknown %s \"%s\" (no %s/%s.json)", what, slug, folder, slug);
    for (size_t i = 0; i < n; i++)
        wir_buf_printf(&msg, "%s%s", i ? ", " : "; did you mean: ", near[i]);
    char path[WIR_JPATH_MAX];
    wir_jr_path(o, key, path);
    wir_jfile_problem(o->f, path, "%s", wir_buf_cstr(&msg));
    wir_buf_free(&msg);
}

/* Optional "YYYY-MM-DDTHH:MM:SSZ" (UTC), not after now. */
static void wir_run_timestamp(const wir_jobj *o, const char *key, char **out) {
    if (!wir_jr_string(o, key, WIR_JR_OPTIONAL, out)) return;
    if (!wir_jv_is_timestamp(*out)) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(o, key, path);
        wir_jfile_problem(o->f, path, "expected a UTC time YYYY-MM-DDTHH:MM:SSZ, got \"%s\"", *out);
    }
}

static void wir_run_source(const wir_jobj *root, wir_run *r) {
    static const char *const keys[] = {"kind",      "url",          "title",       "accessed",
                                       "submitter", "submitted_at", "measured_at", NULL};
    wir_jobj s;
    if (!wir_jr_object(root, "source", 0, &s)) return;
    wir_jr_known(&s, keys);
    char *kind = NULL;
    int k = -1;
    wir_jr_enum(&s, "kind", 0, wir_run_source_kinds, &kind, &k);
    free(kind);
    if (k < 0) return;
    r->source_kind = (wir_run_source_kind)k;
    if (r->source_kind == WIR_RUN_SOURCE_IMPORT) {
        if (wir_jr_string(&s, "url", 0, &r->source_url) && !wir_jv_is_https_url(r->source_url))
            wir_jfile_problem(root->f, "source.url", "expected an https:// URL, got \"%s\"",
                              r->source_url);
        wir_jr_string(&s, "title", 0, &r->source_title);
        wir_jr_date(&s, "accessed", WIR_JR_PAST, false, &r->source_accessed);
        static const char *const probe_only[][2] = {{"submitter", "a submitter"},
                                                     {"submitted_at", "a submission time"},
                                                     {"measured_at", "a measurement time"}};
        for (size_t i = 0; i < sizeof probe_only / sizeof probe_only[0]; i++)
            if (json_object_get(s.obj, probe_only[i][0])) {
                char path[WIR_JPATH_MAX];
                wir_jr_path(&s, probe_only[i][0], path);
                wir_jfile_problem(root->f, path, "only a probe run has %s", probe_only[i][1]);
            }
    } else {
        wir_jr_string(&s, "submitter", 0, &r->source_submitter);
        wir_jr_string(&s, "url", WIR_JR_OPTIONAL, &r->source_url);
        wir_run_timestamp(&s, "submitted_at", &r->source_submitted_at);
        wir_run_timestamp(&s, "measured_at", &r->source_measured_at);
    }
}

static void wir_run_hardware(const wir_jobj *root, const wir_catalog *c, wir_run *r) {
    static const char *const keys[] = {"gpu", "gpu_count", "cpu", NULL};
    wir_jobj h;
    if (!wir_jr_object(root, "hardware", 0, &h)) return;
    wir_jr_known(&h, keys);
    char *gpu = NULL;
    if (wir_jr_slug(&h, "gpu", WIR_JR_NULLABLE, &gpu)) {
        r->gpu = wir_catalog_find_gpu(c, gpu);
        if (!r->gpu) wir_schema_unknown_ref(&h, "gpu", c, "gpu", "GPU", gpu, "gpus");
        int64_t n = 0;
        if (wir_jr_int(&h, "gpu_count", 0, "an integer number of GPUs", 1, 64, &n))
            r->gpu_count = (int32_t)n;
    } else if (json_is_null(json_object_get(h.obj, "gpu"))) {
        int64_t n = 0;
        if (wir_jr_int(&h, "gpu_count", WIR_JR_OPTIONAL, "an integer number of GPUs", 0, 0, &n))
            r->gpu_count = 0;
    }
    free(gpu);
    wir_jr_string(&h, "cpu", WIR_JR_NULLABLE | (r->gpu ? WIR_JR_OPTIONAL : 0), &r->cpu);
    if (!r->gpu && json_is_null(json_object_get(h.obj, "gpu")) && !r->cpu)
        wir_jfile_problem(root->f, "hardware.cpu", "a CPU-only run names its CPU");
}

static void wir_run_refs(const wir_jobj *root, const wir_catalog *c, wir_run *r) {
    char *s = NULL;
    if (wir_jr_slug(root, "model", 0, &s)) {
        r->model = wir_catalog_find_model(c, s);
        if (!r->model) wir_schema_unknown_ref(root, "model", c, "model", "model", s, "models");
    }
    free(s);
    s = NULL;
    if (wir_jr_slug(root, "quant", 0, &s)) {
        r->ftype = wir_catalog_find_ftype(c, s);
        if (!r->ftype)
            wir_schema_unknown_ref(root, "quant", c, "ftype", "file type", s, "quants/llama-cpp");
    }
    free(s);
}

static void wir_run_runtime(const wir_jobj *root, const wir_catalog *c, wir_run *r) {
    static const char *const keys[] = {"name", "build", "backend", NULL};
    wir_jobj rt;
    if (!wir_jr_object(root, "runtime", 0, &rt)) return;
    wir_jr_known(&rt, keys);
    if (wir_jr_slug(&rt, "name", 0, &r->runtime) &&
        !wir_catalog_find_runtime(c, r->runtime))
        wir_schema_unknown_ref(&rt, "name", c, "runtime", "runtime", r->runtime, "runtimes");
    wir_jr_string(&rt, "build", WIR_JR_NULLABLE, &r->runtime_build);
    wir_jr_string(&rt, "backend", 0, &r->backend);
}

static int32_t wir_run_int(const wir_jobj *o, const char *key, int64_t max) {
    int64_t v = -1;
    wir_jr_int(o, key, WIR_JR_NULLABLE, "a non-negative integer", 0, max, &v);
    return (int32_t)v;
}

static void wir_run_settings(const wir_jobj *root, const wir_catalog *c, wir_run *r) {
    static const char *const keys[] = {"n_gpu_layers", "flash_attn", "kv_type", "threads",
                                       "n_batch",      "n_ubatch",   NULL};
    r->n_gpu_layers = r->flash_attn = r->threads = r->n_batch = r->n_ubatch = -1;
    r->kv_type = wir_catalog_find_ggml_type(c, "f16");
    wir_jobj st;
    if (!wir_jr_object(root, "settings", 0, &st)) return;
    wir_jr_known(&st, keys);
    r->n_gpu_layers = wir_run_int(&st, "n_gpu_layers", 1000);
    bool fa = false;
    if (wir_jr_bool(&st, "flash_attn", WIR_JR_NULLABLE, &fa)) r->flash_attn = fa;
    char *kv = NULL;
    if (wir_jr_string(&st, "kv_type", 0, &kv)) {
        const wir_ggml_type *t = wir_catalog_find_ggml_type(c, kv);
        if (!t)
            wir_jfile_problem(root->f, "settings.kv_type", "unknown ggml type \"%s\"", kv);
        else
            r->kv_type = t;
    }
    free(kv);
    r->threads = wir_run_int(&st, "threads", 4096);
    r->n_batch = wir_run_int(&st, "n_batch", 1 << 20);
    r->n_ubatch = wir_run_int(&st, "n_ubatch", 1 << 20);
}

static void wir_run_result_read(const wir_jobj *res, wir_run_result *x) {
    static const char *const keys[] = {"test",         "n_prompt", "n_gen",   "depth",
                                       "tokens_per_s", "stddev",   "samples", NULL};
    wir_jr_known(res, keys);
    char *test = NULL;
    int k = -1;
    wir_jr_enum(res, "test", 0, wir_run_tests, &test, &k);
    free(test);
    x->test = k == 1 ? WIR_RUN_TG : WIR_RUN_PP;
    int64_t v = 0;
    if (wir_jr_int(res, "n_prompt", 0, "a number of tokens", 0, 1 << 24, &v)) x->n_prompt = (int32_t)v;
    if (wir_jr_int(res, "n_gen", 0, "a number of tokens", 0, 1 << 24, &v)) x->n_gen = (int32_t)v;
    if (wir_jr_int(res, "depth", 0, "a number of tokens", 0, 1 << 24, &v)) x->depth = (int32_t)v;
    wir_jr_number(res, "tokens_per_s", 0, "a speed in tokens per second", 0.001, 1e7,
                  &x->tokens_per_s);
    wir_jr_number(res, "stddev", WIR_JR_NULLABLE, "a standard deviation in tokens per second", 0,
                  1e7, &x->stddev);
    if (k == 0 && x->n_prompt <= 0)
        wir_jfile_problem(res->f, res->path, "a pp test needs n_prompt > 0");
    if (k == 1 && x->n_gen <= 0)
        wir_jfile_problem(res->f, res->path, "a tg test needs n_gen > 0");
    json_t *a = NULL;
    if (!wir_jr_array(res, "samples", WIR_JR_NULLABLE, &a)) return;
    x->samples = wir_calloc(json_array_size(a) + 1, sizeof *x->samples);
    size_t i;
    json_t *s;
    json_array_foreach(a, i, s) {
        if (!json_is_number(s) || json_number_value(s) <= 0) {
            char path[WIR_JPATH_MAX], elem[WIR_JPATH_MAX], got[96];
            wir_jr_path(res, "samples", path);
            wir_jpath_index(elem, path, i);
            wir_json_describe(s, got, sizeof got);
            wir_jfile_problem(res->f, elem, "expected a speed in tokens per second, got %s", got);
            continue;
        }
        x->samples[x->n_samples++] = json_number_value(s);
    }
}

static void wir_run_results(const wir_jobj *root, wir_run *r) {
    json_t *a;
    if (!wir_jr_array(root, "results", 0, &a)) return;
    if (json_array_size(a) == 0) {
        wir_jfile_problem(root->f, "results", "expected at least one result");
        return;
    }
    r->results = wir_calloc(json_array_size(a), sizeof *r->results);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        wir_jobj res = {root->f, NULL, ""};
        wir_jpath_index(res.path, "results", i);
        if (!json_is_object(v)) {
            char got[96];
            wir_json_describe(v, got, sizeof got);
            wir_jfile_problem(root->f, res.path, "expected an object, got %s", got);
            continue;
        }
        res.obj = v;
        wir_run_result *x = &r->results[r->n_results++];
        x->stddev = x->tokens_per_s = NAN;
        wir_run_result_read(&res, x);
    }
}

/* host and reproduce: what the probe recorded of the machine and the command
 * that repeats the run (probe runs only). */
static void wir_run_host_read(const wir_jobj *root, wir_run *r) {
    static const char *const keys[] = {"cpu_model", "cpu_cores",  "cpu_threads", "ram_bytes",
                                       "cpu_features", "os",      "kernel",      "arch",
                                       "gpu_name",  "gpu_memory_bytes", "gpu_driver",
                                       "cuda_version", NULL};
    wir_run_host *h = &r->host;
    h->cpu_cores = h->cpu_threads = -1;
    h->ram_bytes = h->gpu_memory_bytes = -1;
    bool has_host = json_object_get(root->obj, "host") != NULL;
    bool has_cmd = json_object_get(root->obj, "reproduce") != NULL;
    if (r->source_kind != WIR_RUN_SOURCE_PROBE) {
        if (has_host) wir_jfile_problem(root->f, "host", "only a probe run records its host");
        if (has_cmd) wir_jfile_problem(root->f, "reproduce", "only a probe run has a reproduce command");
        return;
    }
    wir_jr_string(root, "reproduce", WIR_JR_OPTIONAL, &r->reproduce);
    wir_jobj o;
    if (!wir_jr_object(root, "host", WIR_JR_OPTIONAL, &o)) return;
    wir_jr_known(&o, keys);
    int64_t v = -1;
    const unsigned opt = WIR_JR_OPTIONAL | WIR_JR_NULLABLE;
    wir_jr_string(&o, "cpu_model", opt, &h->cpu_model);
    if (wir_jr_int(&o, "cpu_cores", opt, "a number of cores", 1, 65536, &v)) h->cpu_cores = (int32_t)v;
    if (wir_jr_int(&o, "cpu_threads", opt, "a number of threads", 1, 65536, &v)) h->cpu_threads = (int32_t)v;
    wir_jr_int(&o, "ram_bytes", opt, "an integer number of bytes", 1, INT64_MAX, &h->ram_bytes);
    wir_jr_string(&o, "cpu_features", opt, &h->cpu_features);
    wir_jr_string(&o, "os", opt, &h->os);
    wir_jr_string(&o, "kernel", opt, &h->kernel);
    wir_jr_string(&o, "arch", opt, &h->arch);
    wir_jr_string(&o, "gpu_name", opt, &h->gpu_name);
    wir_jr_int(&o, "gpu_memory_bytes", opt, "an integer number of bytes", 1, INT64_MAX,
               &h->gpu_memory_bytes);
    wir_jr_string(&o, "gpu_driver", opt, &h->gpu_driver);
    wir_jr_string(&o, "cuda_version", opt, &h->cuda_version);
}

void wir_schema_run(wir_jfile *f, const char *stem, const wir_catalog *c, wir_run *r) {
    memset(r, 0, sizeof *r);
    r->loc.file = f->path;
    r->loc.line = r->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &r->loc.line, &r->loc.column);
    wir_jr_known(&root, wir_run_keys);
    if (wir_jr_slug(&root, "id", 0, &r->id) && strcmp(r->id, stem) != 0)
        wir_jfile_problem(f, "id", "id \"%s\" does not match the file name \"%s.json\"", r->id,
                          stem);
    wir_run_source(&root, r);
    wir_jr_string(&root, "note", WIR_JR_OPTIONAL | WIR_JR_NULLABLE, &r->note);
    wir_run_hardware(&root, c, r);
    wir_run_refs(&root, c, r);
    wir_run_runtime(&root, c, r);
    wir_run_settings(&root, c, r);
    wir_run_results(&root, r);
    wir_run_host_read(&root, r);
}

void wir_run_free(wir_run *r) {
    free(r->id);
    free(r->source_url);
    free(r->source_title);
    free(r->source_accessed);
    free(r->source_submitter);
    free(r->source_submitted_at);
    free(r->source_measured_at);
    free(r->reproduce);
    free(r->unreviewed_db);
    wir_run_host *h = &r->host;
    free(h->cpu_model);
    free(h->cpu_features);
    free(h->os);
    free(h->kernel);
    free(h->arch);
    free(h->gpu_name);
    free(h->gpu_driver);
    free(h->cuda_version);
    free(r->note);
    free(r->cpu);
    free(r->runtime);
    free(r->runtime_build);
    free(r->backend);
    for (size_t i = 0; i < r->n_results; i++) free(r->results[i].samples);
    free(r->results);
}
