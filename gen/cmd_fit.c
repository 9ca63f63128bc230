/* gen fit: will model M at quantization Q and context C run on hardware H?
 *
 * Prints the memory breakdown by component and device, the verdict, the
 * decode/prefill speed with its label, the best quantization that runs and
 * the longest context at each quantization; --json gives the same with
 * units in the field names. All figures come from gen/compute (wir_fit,
 * wir_speed); this file only parses and prints. */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_fit.h"
#include "wir_speed.h"

static void gen_fit_usage(FILE *out) {
    fprintf(out,
            "usage: gen fit --model SLUG --quant FTYPE [--ctx N] [--kv-type f16|q8_0|q4_0]\n"
            "               [--gpu SLUG[:COUNT]] [--ram GIB] [--runtime NAME] [--json]\n"
            "\n"
            "Will the model run, and how fast? Memory by component and device, the verdict\n"
            "(runs, tight, partial offload, won't run), decode and prefill speed, the best\n"
            "quantization that runs and the longest context at each quantization.\n"
            "\n"
            "  --model SLUG      a models/ slug (llama-3-1-8b)\n"
            "  --quant FTYPE     a llama.cpp file type (Q4_K_M or q4-k-m)\n"
            "  --ctx N           context tokens (default 4096)\n"
            "  --kv-type T       KV cache type: f16 (default), q8_0, q4_0\n"
            "  --gpu SLUG[:N]    a gpus/ slug, N identical GPUs (layer split); none: CPU only\n"
            "  --ram GIB         system RAM in GiB (checked for partial offload and CPU runs)\n"
            "  --runtime NAME    a runtimes/ profile (default llama-cpp)\n"
            "  --ngl N           layers to offload (llama.cpp's -ngl; default: as many as fit)\n"
            "  --ubatch N        micro-batch (default: the runtime's)\n"
            "  --flash-attn B    on or off (default: the runtime's)\n"
            "  --depth N         tokens already in context for the decode speed (default 0)\n"
            "  --prompt N        prompt tokens for prefill and time to first token (default 512)\n"
            "  --data DIR        the data folder (default: data)\n"
            "  --json            machine-readable output, units in field names\n"
            "  --help            show this help\n");
}

typedef struct gen_fit_args {
    gen_engine_opts o;
    const char *kv_type;
    int64_t ngl, ubatch, depth, prompt;
    int32_t flash_attn;
    double ram_gib;
    bool json;
} gen_fit_args;

/* 0 ok, 1 help shown, 2 usage error. */
static int gen_fit_parse(int argc, char **argv, gen_fit_args *a) {
    *a = (gen_fit_args){{"data", NULL, NULL, NULL, "llama-cpp", 4096}, "f16", -1, 0, 0, 512, -1,
                        NAN, false};
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = gen_engine_common_opt("fit", argc, argv, &i, &a->o);
        if (r == 2) return 2;
        if (r == 1) continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            gen_fit_usage(stdout);
            return 1;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = true;
        } else if (gen_engine_opt(argc, argv, &i, "--kv-type", &v)) {
            a->kv_type = v;
        } else if (gen_engine_opt(argc, argv, &i, "--ngl", &v)) {
            if (!gen_engine_int("fit", "--ngl", v, 0, 1000, &a->ngl)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--ubatch", &v)) {
            if (!gen_engine_int("fit", "--ubatch", v, 1, 1 << 16, &a->ubatch)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--depth", &v)) {
            if (!gen_engine_int("fit", "--depth", v, 0, 1 << 24, &a->depth)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--prompt", &v)) {
            if (!gen_engine_int("fit", "--prompt", v, 1, 1 << 24, &a->prompt)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--ram", &v)) {
            if (!gen_engine_double("fit", "--ram", v, 0.25, 65536, &a->ram_gib)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--flash-attn", &v)) {
            if (!strcmp(v, "on") || !strcmp(v, "1")) a->flash_attn = 1;
            else if (!strcmp(v, "off") || !strcmp(v, "0")) a->flash_attn = 0;
            else {
                fprintf(stderr, "gen fit: --flash-attn expects on or off, got '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "gen fit: unexpected argument '%s'\n\n", argv[i]);
            gen_fit_usage(stderr);
            return 2;
        }
    }
    if (!a->o.model || !a->o.quant) {
        fprintf(stderr, "gen fit: --model and --quant are required\n\n");
        gen_fit_usage(stderr);
        return 2;
    }
    return 0;
}

/* Resolves the arguments against the catalog; false when a name is unknown. */
static bool gen_fit_request(const wir_catalog *c, const gen_fit_args *a, wir_fit_request *rq) {
    wir_fit_request_init(rq);
    rq->model = gen_engine_model(c, "fit", a->o.model);
    rq->ftype = gen_engine_ftype(c, "fit", a->o.quant);
    rq->runtime = gen_engine_runtime(c, "fit", a->o.runtime);
    rq->kv_type = gen_engine_kv_type(c, "fit", a->kv_type);
    bool ok = rq->model && rq->ftype && rq->runtime && rq->kv_type;
    if (a->o.gpu) {
        rq->gpu = gen_engine_gpu(c, "fit", a->o.gpu, &rq->gpu_count);
        ok = ok && rq->gpu;
    }
    rq->ctx = a->o.ctx;
    rq->n_gpu_layers = (int32_t)a->ngl;
    rq->n_ubatch = (int32_t)a->ubatch;
    rq->flash_attn = a->flash_attn;
    if (isfinite(a->ram_gib)) rq->host_ram_bytes = (int64_t)(a->ram_gib * 1024.0 * 1024.0 * 1024.0);
    return ok;
}

typedef struct gen_fit_quant_row {
    const wir_ftype *ft;
    int64_t file_bytes;
    wir_tier tier;
    int64_t max_ctx_runs;
    int64_t max_ctx_fits;
} gen_fit_quant_row;

static int gen_fit_row_compare(const void *pa, const void *pb) {
    const gen_fit_quant_row *a = pa, *b = pb;
    return a->file_bytes < b->file_bytes ? 1 : a->file_bytes > b->file_bytes ? -1 : 0;
}

/* Every file type of the catalog for this model and hardware, largest
 * first. The caller frees *rows. */
static size_t gen_fit_quant_rows(const wir_catalog *c, const wir_fit_request *rq,
                                 gen_fit_quant_row **rows) {
    *rows = calloc(c->n_ftypes ? c->n_ftypes : 1, sizeof **rows);
    if (!*rows) abort();
    size_t n = 0;
    for (size_t i = 0; i < c->n_ftypes; i++) {
        wir_fit_request r = *rq;
        r.ftype = &c->ftypes[i];
        wir_weights w;
        wir_fit f;
        if (wir_weights_of(c, r.model, r.ftype, &w) != 0 || wir_fit_evaluate(c, &r, &w, &f) != 0)
            continue;
        gen_fit_quant_row *row = &(*rows)[n++];
        row->ft = r.ftype;
        row->file_bytes = w.file_bytes;
        row->tier = f.tier;
        row->max_ctx_runs = wir_fit_max_ctx(c, &r, &w, WIR_TIER_RUNS);
        row->max_ctx_fits = wir_fit_max_ctx(c, &r, &w, WIR_TIER_TIGHT);
    }
    qsort(*rows, n, sizeof **rows, gen_fit_row_compare);
    return n;
}

static const char *gen_fit_best(const gen_fit_quant_row *rows, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (rows[i].tier == WIR_TIER_RUNS) return rows[i].ft->name;
    return NULL;
}

/* ---- human output ------------------------------------------------------- */

static void gen_fit_print_row(const char *label, const wir_memory *m, size_t offset,
                              int64_t total) {
    char buf[32];
    printf("  %-16s", label);
    for (int32_t d = 0; d < m->n_devices; d++) {
        int64_t v = *(const int64_t *)((const char *)&m->devices[d] + offset);
        printf(" %12s", gen_engine_bytes(v, buf, sizeof buf));
    }
    printf(" %12s\n", gen_engine_bytes(total, buf, sizeof buf));
}

static void gen_fit_print(const wir_fit_request *rq, const wir_fit *f, const wir_speed *sp,
                          bool have_speed, const gen_fit_quant_row *rows, size_t n_rows) {
    const wir_memory *m = &f->mem;
    char buf[32], label[200];
    printf("%s at %s, context %lld (%s cache), %s", rq->model->name, rq->ftype->name,
           (long long)m->ctx, m->kv_type->name, rq->runtime->name);
    if (rq->gpu)
        printf(", %d x %s (%s usable each)\n", (int)m->gpu_count, rq->gpu->name,
               gen_engine_bytes(m->devices[1].capacity_bytes, buf, sizeof buf));
    else
        printf(", CPU only\n");
    printf("\nverdict: %s (%s)\n", wir_tier_name(f->tier), f->reason);
    if (rq->gpu)
        printf("layers on the GPU: %d of %d\n", (int)f->n_gpu_layers, (int)f->n_layers_total);
    printf("\n  %-16s", "component");
    for (int32_t d = 0; d < m->n_devices; d++) printf(" %12s", m->devices[d].name);
    printf(" %12s\n", "total");
    gen_fit_print_row("weights", m, offsetof(wir_mem_device, weights_bytes), m->weights_bytes);
    gen_fit_print_row("KV cache", m, offsetof(wir_mem_device, kv_bytes), m->kv_bytes);
    gen_fit_print_row("compute buffer", m, offsetof(wir_mem_device, compute_bytes),
                      m->compute_bytes);
    gen_fit_print_row("overhead", m, offsetof(wir_mem_device, overhead_bytes), m->overhead_bytes);
    gen_fit_print_row("total", m, offsetof(wir_mem_device, total_bytes), m->total_bytes);
    printf("  %-16s", "usable");
    for (int32_t d = 0; d < m->n_devices; d++)
        printf(" %12s", m->devices[d].capacity_bytes > 0
                            ? gen_engine_bytes(m->devices[d].capacity_bytes, buf, sizeof buf)
                            : "unknown");
    printf("\n  file size %s; weights as the quantizer types them\n",
           gen_engine_bytes(m->file_bytes, buf, sizeof buf));
    if (have_speed && f->tier != WIR_TIER_NO) {
        printf("\nspeed:\n");
        wir_speed_label_format(&sp->decode_label, label, sizeof label);
        printf("  decode  %9.1f tokens/s at depth %d, %s\n", sp->decode_tokens_per_s,
               (int)sp->depth, label);
        wir_speed_label_format(&sp->prefill_label, label, sizeof label);
        if (isfinite(sp->prefill_tokens_per_s)) {
            printf("  prefill %9.1f tokens/s, %s\n", sp->prefill_tokens_per_s, label);
            printf("  time to first token %.2f s for a %d-token prompt\n", sp->ttft_s,
                   (int)sp->n_prompt);
        } else {
            printf("  prefill       n/a (no FP16 throughput published for this GPU)\n");
        }
    }
    const char *best = gen_fit_best(rows, n_rows);
    printf("\nbest quantization that runs: %s\n", best ? best : "none");
    printf("\n  %-10s %12s %-16s %12s %12s\n", "quant", "file", "at this ctx", "ctx (runs)",
           "ctx (fits)");
    for (size_t i = 0; i < n_rows; i++)
        printf("  %-10s %12s %-16s %12lld %12lld\n", rows[i].ft->name,
               gen_engine_bytes(rows[i].file_bytes, buf, sizeof buf), wir_tier_name(rows[i].tier),
               (long long)rows[i].max_ctx_runs, (long long)rows[i].max_ctx_fits);
}

/* ---- JSON output -------------------------------------------------------- */

static json_t *gen_fit_label_json(const wir_speed_label *l) {
    json_t *o = json_pack("{s:s,s:s}", "kind", l->kind == WIR_LABEL_MEASURED ? "measured" : "estimated",
                          "formula", l->formula);
    if (l->kind == WIR_LABEL_MEASURED) json_object_set_new(o, "run", json_string(l->run_id));
    else json_object_set_new(o, "calibration", json_string(l->calibration));
    return o;
}

static json_t *gen_fit_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *gen_fit_memory_json(const wir_memory *m) {
    json_t *devs = json_array();
    for (int32_t d = 0; d < m->n_devices; d++) {
        const wir_mem_device *x = &m->devices[d];
        json_array_append_new(
            devs, json_pack("{s:s,s:b,s:i,s:I,s:I,s:I,s:I,s:I,s:o}", "name", x->name, "is_host",
                            x->is_host, "n_layers", (int)x->n_layers, "weights_bytes",
                            (json_int_t)x->weights_bytes, "kv_bytes", (json_int_t)x->kv_bytes,
                            "compute_bytes", (json_int_t)x->compute_bytes, "overhead_bytes",
                            (json_int_t)x->overhead_bytes, "total_bytes",
                            (json_int_t)x->total_bytes, "capacity_bytes",
                            x->capacity_bytes > 0 ? json_integer(x->capacity_bytes) : json_null()));
    }
    return json_pack("{s:I,s:i,s:i,s:b,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "ctx_tokens",
                     (json_int_t)m->ctx, "n_ubatch_tokens", (int)m->n_ubatch, "n_batch_tokens",
                     (int)m->n_batch, "flash_attn", m->flash_attn, "kv_type", m->kv_type->name,
                     "file_bytes", (json_int_t)m->file_bytes, "weights_bytes",
                     (json_int_t)m->weights_bytes, "kv_bytes", (json_int_t)m->kv_bytes,
                     "kv_bytes_per_token", (json_int_t)m->kv_bytes_per_token,
                     "compute_bytes", (json_int_t)m->compute_bytes,
                     "compute_gpu_bytes", (json_int_t)m->compute_gpu_bytes, "compute_host_bytes",
                     (json_int_t)m->compute_host_bytes, "overhead_bytes",
                     (json_int_t)m->overhead_bytes, "total_bytes", (json_int_t)m->total_bytes,
                     "devices", devs);
}

static void gen_fit_print_json(const wir_fit_request *rq, const wir_fit *f, const wir_speed *sp,
                               bool have_speed, const gen_fit_quant_row *rows, size_t n_rows) {
    json_t *root = json_pack(
        "{s:s,s:s,s:s,s:o,s:i,s:s,s:s,s:o,s:i,s:i,s:o,s:I,s:o}", "model", rq->model->slug,
        "quant", rq->ftype->slug, "runtime", rq->runtime->slug,
        "gpu", rq->gpu ? json_string(rq->gpu->slug) : json_null(), "gpu_count",
        (int)f->mem.gpu_count, "tier", wir_tier_slug(f->tier), "reason", f->reason,
        "headroom_fraction", gen_fit_num(f->headroom), "n_gpu_layers", (int)f->n_gpu_layers,
        "n_layers_total", (int)f->n_layers_total, "need_bytes", json_integer(f->need_bytes),
        "capacity_bytes", (json_int_t)f->capacity_bytes, "memory", gen_fit_memory_json(&f->mem));
    if (!root) {
        fprintf(stderr, "gen fit: internal error building the JSON output\n");
        return;
    }
    if (have_speed && f->tier != WIR_TIER_NO)
        json_object_set_new(
            root, "speed",
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:I}", "decode_tokens_per_s",
                      gen_fit_num(sp->decode_tokens_per_s), "decode_label",
                      gen_fit_label_json(&sp->decode_label), "prefill_tokens_per_s",
                      gen_fit_num(sp->prefill_tokens_per_s), "prefill_label",
                      gen_fit_label_json(&sp->prefill_label), "ttft_s", gen_fit_num(sp->ttft_s),
                      "depth_tokens", (int)sp->depth, "prompt_tokens", (int)sp->n_prompt,
                      "decode_bytes_per_token", (json_int_t)sp->decode_bytes_per_token));
    else
        json_object_set_new(root, "speed", json_null());
    const char *best = gen_fit_best(rows, n_rows);
    json_object_set_new(root, "best_quant", best ? json_string(best) : json_null());
    json_t *qs = json_array();
    for (size_t i = 0; i < n_rows; i++)
        json_array_append_new(
            qs, json_pack("{s:s,s:s,s:I,s:s,s:I,s:I}", "quant", rows[i].ft->slug, "name",
                          rows[i].ft->name, "file_bytes", (json_int_t)rows[i].file_bytes, "tier",
                          wir_tier_slug(rows[i].tier), "max_ctx_runs_tokens",
                          (json_int_t)rows[i].max_ctx_runs, "max_ctx_fits_tokens",
                          (json_int_t)rows[i].max_ctx_fits));
    json_object_set_new(root, "quants", qs);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(root);
}

int gen_cmd_fit(int argc, char **argv) {
    gen_fit_args a;
    int rc = gen_fit_parse(argc, argv, &a);
    if (rc) return rc == 1 ? 0 : 2;
    wir_catalog *c = gen_engine_load("fit", a.o.data_dir);
    if (!c) return 1;
    wir_fit_request rq;
    if (!gen_fit_request(c, &a, &rq)) {
        wir_catalog_free(c);
        return 1;
    }
    wir_weights w;
    wir_fit f;
    if (wir_weights_of(c, rq.model, rq.ftype, &w) != 0 || wir_fit_evaluate(c, &rq, &w, &f) != 0) {
        fprintf(stderr, "gen fit: cannot lay out %s in %s\n", rq.model->slug, rq.ftype->name);
        wir_catalog_free(c);
        return 1;
    }
    wir_calibration cal;
    wir_speed_calibrate(c, &cal);
    wir_speed sp;
    bool have_speed = wir_speed_estimate(c, &cal, &rq, &w, &f.mem, (int32_t)a.depth,
                                         (int32_t)a.prompt, &sp) == 0;
    gen_fit_quant_row *rows;
    size_t n_rows = gen_fit_quant_rows(c, &rq, &rows);
    if (a.json) gen_fit_print_json(&rq, &f, &sp, have_speed, rows, n_rows);
    else gen_fit_print(&rq, &f, &sp, have_speed, rows, n_rows);
    free(rows);
    wir_catalog_free(c);
    return 0;
}
