/* runtimes/<slug>.json (data/README.md): a runtime profile, the figures the
 * memory engine needs to place a model the way that runtime does. Every
 * figure is cited; the compute-buffer parameters are derived from the
 * runtime's own load logs (docs/methodology.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wir_schema.h"

static const char *const wir_runtime_keys[] = {
    "slug", "name", "description", "host_tensors", "output_offload", "kv_pad_cells",
    "defaults", "compute_buffer", "overhead", "unified_usable_share", "sources", "cite", NULL};

static const wir_figure wir_runtime_figures[] = {
    {"host_tensors", false},
    {"output_offload", false},
    {"kv_pad_cells", false},
    {"defaults.n_batch", false},
    {"defaults.n_ubatch", false},
    {"defaults.flash_attn", false},
    {"compute_buffer.float_bytes", false},
    {"compute_buffer.hidden_tensors", false},
    {"compute_buffer.host_hidden_tensors", false},
    {"compute_buffer.mask_bytes_per_cell", false},
    {"overhead.gpu_bytes", false},
    {"overhead.host_bytes", false},
    {"unified_usable_share", false},
    {NULL, false}};

/* Tensor kinds as wir_tensors names them. */
static const char *const wir_runtime_kinds[] = {"token_embd", "output", "output_norm", NULL};

static void wir_runtime_defaults(const wir_jobj *root, wir_runtime *rt) {
    static const char *const keys[] = {"n_batch", "n_ubatch", "flash_attn", NULL};
    wir_jobj d;
    if (!wir_jr_object(root, "defaults", 0, &d)) return;
    wir_jr_known(&d, keys);
    int64_t v = 0;
    if (wir_jr_int(&d, "n_batch", 0, "a number of tokens", 1, 1 << 20, &v))
        rt->default_n_batch = (int32_t)v;
    if (wir_jr_int(&d, "n_ubatch", 0, "a number of tokens", 1, 1 << 20, &v))
        rt->default_n_ubatch = (int32_t)v;
    wir_jr_bool(&d, "flash_attn", 0, &rt->default_flash_attn);
    if (rt->default_n_batch > 0 && rt->default_n_ubatch > rt->default_n_batch)
        wir_jfile_problem(root->f, "defaults.n_ubatch",
                          "expected at most n_batch (%d), got %d", (int)rt->default_n_batch,
                          (int)rt->default_n_ubatch);
}

static void wir_runtime_compute(const wir_jobj *root, wir_runtime *rt) {
    static const char *const keys[] = {"float_bytes", "hidden_tensors", "host_hidden_tensors",
                                       "mask_bytes_per_cell", NULL};
    wir_jobj cb;
    if (!wir_jr_object(root, "compute_buffer", 0, &cb)) return;
    wir_jr_known(&cb, keys);
    wir_jr_number(&cb, "float_bytes", 0, "bytes per activation value", 1, 8, &rt->float_bytes);
    wir_jr_number(&cb, "hidden_tensors", 0, "a count of activation tensors", 0, 64,
                  &rt->compute_hidden_tensors);
    wir_jr_number(&cb, "host_hidden_tensors", 0, "a count of activation tensors", 0, 64,
                  &rt->host_compute_hidden_tensors);
    wir_jr_number(&cb, "mask_bytes_per_cell", 0, "bytes per mask cell", 0, 8,
                  &rt->mask_bytes_per_cell);
}

static void wir_runtime_overhead(const wir_jobj *root, wir_runtime *rt) {
    static const char *const keys[] = {"gpu_bytes", "host_bytes", NULL};
    wir_jobj o;
    if (!wir_jr_object(root, "overhead", 0, &o)) return;
    wir_jr_known(&o, keys);
    wir_jr_int(&o, "gpu_bytes", 0, "an integer number of bytes", 0, (int64_t)1 << 36,
               &rt->gpu_overhead_bytes);
    wir_jr_int(&o, "host_bytes", 0, "an integer number of bytes", 0, (int64_t)1 << 36,
               &rt->host_overhead_bytes);
}

static void wir_runtime_host_tensors(const wir_jobj *root, wir_runtime *rt) {
    if (!wir_jr_string_array(root, "host_tensors", 0, &rt->host_tensors, &rt->n_host_tensors))
        return;
    for (size_t i = 0; i < rt->n_host_tensors; i++) {
        bool ok = false;
        for (size_t k = 0; wir_runtime_kinds[k] && !ok; k++)
            ok = !strcmp(rt->host_tensors[i], wir_runtime_kinds[k]);
        if (ok) continue;
        char path[WIR_JPATH_MAX];
        wir_jpath_index(path, "host_tensors", i);
        wir_jfile_problem(root->f, path,
                          "expected one of token_embd, output, output_norm, got \"%s\"",
                          rt->host_tensors[i]);
    }
}

void wir_schema_runtime(wir_jfile *f, const char *stem, wir_runtime *rt) {
    memset(rt, 0, sizeof *rt);
    rt->float_bytes = rt->compute_hidden_tensors = rt->host_compute_hidden_tensors = NAN;
    rt->mask_bytes_per_cell = rt->unified_usable_share = NAN;
    rt->loc.file = f->path;
    rt->loc.line = rt->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &rt->loc.line, &rt->loc.column);
    wir_jr_known(&root, wir_runtime_keys);
    if (wir_jr_slug(&root, "slug", 0, &rt->slug)) wir_schema_check_slug(&root, rt->slug, stem);
    wir_jr_string(&root, "name", 0, &rt->name);
    wir_jr_string(&root, "description", 0, &rt->description);
    wir_runtime_host_tensors(&root, rt);
    static const char *const offloads[] = {"first", "last", "with-all", NULL};
    char *offload = NULL;
    int k = -1;
    wir_jr_enum(&root, "output_offload", 0, offloads, &offload, &k);
    free(offload);
    if (k >= 0) rt->output_offload = (wir_output_offload)k;
    int64_t pad = 0;
    if (wir_jr_int(&root, "kv_pad_cells", 0, "a number of KV cells", 1, 4096, &pad))
        rt->kv_pad_cells = (int32_t)pad;
    wir_runtime_defaults(&root, rt);
    wir_runtime_compute(&root, rt);
    wir_runtime_overhead(&root, rt);
    wir_jr_number(&root, "unified_usable_share", 0, "a share of memory", 0.1, 1,
                  &rt->unified_usable_share);
    wir_schema_provenance(&root, wir_runtime_figures, &rt->prov);
}

void wir_runtime_free(wir_runtime *rt) {
    free(rt->slug);
    free(rt->name);
    free(rt->description);
    for (size_t i = 0; i < rt->n_host_tensors; i++) free(rt->host_tensors[i]);
    free(rt->host_tensors);
    wir_provenance_free(&rt->prov);
}
