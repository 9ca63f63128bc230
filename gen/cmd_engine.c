/* cmd_engine: helpers shared by gen fit and gen cost (cmd_engine.h). */
#include "cmd_engine.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

wir_catalog *gen_engine_load(const char *cmd, const char *data_dir) {
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(data_dir, &diags);
    if (!c) {
        wir_diag_list_sort(&diags);
        wir_diag_list_print(stderr, &diags);
        fprintf(stderr, "gen %s: the data in %s has %zu problem%s (see gen check)\n", cmd,
                data_dir, diags.count, diags.count == 1 ? "" : "s");
    }
    wir_diag_list_free(&diags);
    return c;
}

static void gen_engine_unknown(const wir_catalog *c, const char *cmd, const char *kind,
                               const char *what, const char *name) {
    const char *near[5];
    size_t n = wir_catalog_suggest(c, kind, name, near, 5);
    fprintf(stderr, "gen %s: unknown %s '%s'", cmd, what, name);
    for (size_t i = 0; i < n; i++) fprintf(stderr, "%s%s", i ? ", " : "; did you mean: ", near[i]);
    fprintf(stderr, "\n");
}

const wir_model *gen_engine_model(const wir_catalog *c, const char *cmd, const char *slug) {
    const wir_model *m = wir_catalog_find_model(c, slug);
    if (!m) gen_engine_unknown(c, cmd, "model", "model", slug);
    return m;
}

const wir_ftype *gen_engine_ftype(const wir_catalog *c, const char *cmd, const char *name) {
    const wir_ftype *ft = wir_catalog_find_ftype(c, name);
    if (!ft) gen_engine_unknown(c, cmd, "ftype", "quantization", name);
    return ft;
}

const wir_runtime *gen_engine_runtime(const wir_catalog *c, const char *cmd, const char *slug) {
    const wir_runtime *rt = wir_catalog_find_runtime(c, slug);
    if (!rt) gen_engine_unknown(c, cmd, "runtime", "runtime", slug);
    return rt;
}

const wir_gpu *gen_engine_gpu(const wir_catalog *c, const char *cmd, const char *spec,
                              int32_t *count) {
    char slug[128];
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (len >= sizeof slug) len = sizeof slug - 1;
    memcpy(slug, spec, len);
    slug[len] = '\0';
    *count = 1;
    if (colon) {
        int64_t n;
        if (!gen_engine_int(cmd, "--gpu", colon + 1, 1, WIR_MEMORY_MAX_DEVICES - 1, &n))
            return NULL;
        *count = (int32_t)n;
    }
    const wir_gpu *g = wir_catalog_find_gpu(c, slug);
    if (!g) gen_engine_unknown(c, cmd, "gpu", "GPU", slug);
    return g;
}

const wir_ggml_type *gen_engine_kv_type(const wir_catalog *c, const char *cmd, const char *name) {
    const wir_ggml_type *t = wir_catalog_find_ggml_type(c, name);
    if (!t) fprintf(stderr, "gen %s: unknown cache type '%s' (f16, q8_0 or q4_0)\n", cmd, name);
    return t;
}

bool gen_engine_int(const char *cmd, const char *opt, const char *s, int64_t min, int64_t max,
                    int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "gen %s: %s expects an integer from %lld to %lld, got '%s'\n", cmd, opt,
                (long long)min, (long long)max, s);
        return false;
    }
    *out = v;
    return true;
}

bool gen_engine_double(const char *cmd, const char *opt, const char *s, double min, double max,
                       double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < min || v > max) {
        fprintf(stderr, "gen %s: %s expects a number from %g to %g, got '%s'\n", cmd, opt, min,
                max, s);
        return false;
    }
    *out = v;
    return true;
}

const char *gen_engine_bytes(int64_t bytes, char *buf, size_t size) {
    double b = (double)bytes;
    if (b >= 1024.0 * 1024.0 * 1024.0) snprintf(buf, size, "%.2f GiB", b / (1024.0 * 1024.0 * 1024.0));
    else snprintf(buf, size, "%.1f MiB", b / (1024.0 * 1024.0));
    return buf;
}

bool gen_engine_opt(int argc, char **argv, int *i, const char *name, const char **value) {
    size_t n = strlen(name);
    if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return true;
    }
    if (!strcmp(argv[*i], name) && *i + 1 < argc) {
        *value = argv[++*i];
        return true;
    }
    return false;
}

int gen_engine_common_opt(const char *cmd, int argc, char **argv, int *i, gen_engine_opts *o) {
    const char *v;
    if (gen_engine_opt(argc, argv, i, "--data", &v)) o->data_dir = v;
    else if (gen_engine_opt(argc, argv, i, "--model", &v)) o->model = v;
    else if (gen_engine_opt(argc, argv, i, "--quant", &v)) o->quant = v;
    else if (gen_engine_opt(argc, argv, i, "--gpu", &v)) o->gpu = v;
    else if (gen_engine_opt(argc, argv, i, "--runtime", &v)) o->runtime = v;
    else if (gen_engine_opt(argc, argv, i, "--ctx", &v))
        return gen_engine_int(cmd, "--ctx", v, 1, (int64_t)1 << 24, &o->ctx) ? 1 : 2;
    else return 0;
    return 1;
}
