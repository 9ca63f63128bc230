#define _XOPEN_SOURCE 700
/* Pages about the catalog itself: home, model and hardware indexes and
 * pages, runs, methodology, free pages, the tool's shell, 404. */
#include "wir_render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_md.h"

static const char *wir_vendor_name(wir_vendor v) {
    switch (v) {
    case WIR_VENDOR_NVIDIA: return "NVIDIA";
    case WIR_VENDOR_AMD: return "AMD";
    case WIR_VENDOR_INTEL: return "Intel";
    case WIR_VENDOR_APPLE: return "Apple";
    }
    return "";
}

/* One row of a key/value table. */
static void wir_kv(wir_tpl_dict *d, const char *key, const char *value) {
    wir_tpl_dict *r = wir_tpl_add_section(d, "SPEC");
    wir_tpl_set_value(r, "KEY", key);
    wir_tpl_set_value(r, "VALUE", value);
}

/* A run's one-line summary values into d. */
static void wir_run_dict(const wir_render_site *s, wir_tpl_dict *d, const wir_run *r) {
    (void)s;
    char n[64];
    wir_tpl_set_value(d, "RUN_ID", r->id);
    wir_tpl_set_value(d, "RUN_MODEL", r->model ? r->model->name : "?");
    wir_tpl_set_value(d, "RUN_QUANT", r->ftype ? r->ftype->name : "?");
    if (r->gpu) {
        if (r->gpu_count > 1) wir_tpl_set_valuef(d, "RUN_HW", "%d × %s", (int)r->gpu_count, r->gpu->name);
        else wir_tpl_set_value(d, "RUN_HW", r->gpu->name);
    } else {
        wir_tpl_set_value(d, "RUN_HW", r->cpu ? r->cpu : "CPU");
    }
    wir_tpl_set_value(d, "RUN_BACKEND", r->backend);
    double tg = NAN, pp = NAN;
    for (size_t i = 0; i < r->n_results; i++) {
        const wir_run_result *x = &r->results[i];
        if (x->test == WIR_RUN_TG && x->depth == 0 && !isfinite(tg)) tg = x->tokens_per_s;
        if (x->test == WIR_RUN_PP && x->depth == 0 && !isfinite(pp)) pp = x->tokens_per_s;
    }
    wir_tpl_set_value(d, "RUN_TG", wir_fmt_num(n, sizeof n, tg));
    wir_tpl_set_value(d, "RUN_PP", wir_fmt_num(n, sizeof n, pp));
    wir_tpl_set_value(d, "RUN_SOURCE", r->unreviewed_db ? "local probe run, not reviewed"
                                       : r->source_kind == WIR_RUN_SOURCE_IMPORT
                                           ? "published result"
                                           : "probe submission");
}

static void wir_verdict_dict(wir_tpl_dict *d, const wir_verdict *v) {
    wir_tpl_set_value(d, "V_MODEL", v->model ? v->model->name : v->model_slug);
    wir_tpl_set_value(d, "V_MODEL_SLUG", v->model_slug);
    if (v->gpu_count > 1)
        wir_tpl_set_valuef(d, "V_HW", "%d × %s", (int)v->gpu_count, v->gpu ? v->gpu->name : v->gpu_slug);
    else
        wir_tpl_set_value(d, "V_HW", v->gpu ? v->gpu->name : v->gpu_slug);
    char slug[160];
    wir_render_fit_slug(slug, sizeof slug, v->gpu_slug, v->gpu_count);
    wir_tpl_set_value(d, "V_HW_SLUG", slug);
    wir_tier t = wir_render_tier_of(v->tier);
    wir_tpl_set_value(d, "V_TIER", wir_render_tier_slug(t));
    wir_tpl_set_value(d, "V_TIER_TEXT", wir_render_tier_text(t));
    wir_tpl_set_value(d, "V_SUMMARY", v->summary);
    wir_tpl_set_value(d, "V_DATE", v->date);
    wir_tpl_set_value(d, "V_AUTHOR", v->author);
}

/* Verdicts newest first (then by slug), as indexes into ct->verdicts. */
static size_t *wir_verdicts_by_date(const wir_content *ct) {
    size_t *ix = malloc((ct->n_verdicts ? ct->n_verdicts : 1) * sizeof *ix);
    if (!ix) abort();
    for (size_t i = 0; i < ct->n_verdicts; i++) ix[i] = i;
    for (size_t i = 1; i < ct->n_verdicts; i++)
        for (size_t k = i; k > 0; k--) {
            const wir_verdict *a = &ct->verdicts[ix[k - 1]], *b = &ct->verdicts[ix[k]];
            if (strcmp(a->date, b->date) >= 0) break;
            size_t t = ix[k]; ix[k] = ix[k - 1]; ix[k - 1] = t;
        }
    return ix;
}

int wir_page_home(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    const wir_catalog *c = s->c;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "home.tpl", "Will it run? Local AI models on your GPU",
        "Will this model run on this GPU, how fast, and what does it cost? Memory, speed and cost "
        "for open models on consumer and datacenter GPUs, with every figure sourced.", "/");
    wir_tpl_set_valuef(d, "N_MODELS", "%zu", c->n_models);
    wir_tpl_set_valuef(d, "N_GPUS", "%zu", c->n_gpus);
    wir_tpl_set_valuef(d, "N_RUNS", "%zu", c->n_runs);
    for (size_t m = 0; m < c->n_models; m++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "MODEL_OPT");
        wir_tpl_set_value(o, "SLUG", c->models[m].slug);
        wir_tpl_set_value(o, "NAME", c->models[m].name);
    }
    for (size_t g = 0; g < c->n_gpus; g++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "GPU_OPT");
        wir_tpl_set_value(o, "SLUG", c->gpus[g].slug);
        wir_tpl_set_value(o, "NAME", c->gpus[g].name);
    }
    size_t *ix = wir_verdicts_by_date(s->ct);
    for (size_t i = 0; i < s->ct->n_verdicts && i < 6; i++)
        wir_verdict_dict(wir_tpl_add_section(d, "VERDICT"), &s->ct->verdicts[ix[i]]);
    if (s->ct->n_verdicts) wir_tpl_show(d, "HAVE_VERDICTS");
    free(ix);
    /* Latest results: runs are sorted by id; show the last ones added. */
    for (size_t i = 0; i < c->n_runs && i < 8; i++)
        wir_run_dict(s, wir_tpl_add_section(d, "RUN"), &c->runs[c->n_runs - 1 - i]);
    if (c->n_runs) wir_tpl_show(d, "HAVE_RUNS");
    else wir_tpl_show(d, "NO_RUNS_YET");
    /* Questions to start from: the pairings editors wrote verdicts on,
     * then a spread of the catalog. */
    size_t shown = 0;
    for (size_t i = 0; i < s->ct->n_verdicts && shown < 6; i++) {
        const wir_verdict *v = &s->ct->verdicts[i];
        if (!v->model || !v->gpu || v->gpu_count != 1) continue;
        wir_tpl_dict *q = wir_tpl_add_section(d, "QUESTION");
        wir_tpl_set_value(q, "MODEL_SLUG", v->model->slug);
        wir_tpl_set_value(q, "MODEL", v->model->name);
        wir_tpl_set_value(q, "GPU_SLUG", v->gpu->slug);
        wir_tpl_set_value(q, "GPU", v->gpu->name);
        shown++;
    }
    for (size_t i = 0; shown < 6 && c->n_gpus && i < c->n_models; i += 5, shown++) {
        const wir_gpu *gpu = &c->gpus[(i * 7) % c->n_gpus];
        wir_tpl_dict *q = wir_tpl_add_section(d, "QUESTION");
        wir_tpl_set_value(q, "MODEL_SLUG", c->models[i].slug);
        wir_tpl_set_value(q, "MODEL", c->models[i].name);
        wir_tpl_set_value(q, "GPU_SLUG", gpu->slug);
        wir_tpl_set_value(q, "GPU", gpu->name);
    }
    return wir_render_finish(s, root, out, error);
}

int wir_page_models(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    const wir_catalog *c = s->c;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "models.tpl", "Models",
                                        "Every open model in the catalog: size, context and memory.",
                                        "/models/");
    char n[64];
    const wir_ftype *q4 = wir_catalog_find_ftype(c, "q4-k-m");
    for (size_t m = 0; m < c->n_models; m++) {
        const wir_model *mo = &c->models[m];
        wir_tpl_dict *r = wir_tpl_add_section(d, "MODEL");
        wir_tpl_set_value(r, "SLUG", mo->slug);
        wir_tpl_set_value(r, "NAME", mo->name);
        wir_tpl_set_value(r, "FAMILY", mo->family);
        wir_tpl_set_value(r, "PARAMS", wir_fmt_params(n, sizeof n, mo->params));
        wir_tpl_set_value(r, "CTX", wir_fmt_ctx(n, sizeof n, mo->context_length));
        wir_tpl_set_value(r, "RELEASED", mo->release_date);
        const wir_weights *w = q4 ? wir_render_weights(s, mo, q4) : NULL;
        wir_tpl_set_value(r, "Q4_SIZE", w ? wir_fmt_gib(n, sizeof n, w->file_bytes) : "—");
        if (mo->moe.n_experts) wir_tpl_show(r, "MOE");
    }
    return wir_render_finish(s, root, out, error);
}

/* The model's runs and the GPUs' runs share this. */
static void wir_runs_section(const wir_render_site *s, wir_tpl_dict *d, const wir_model *m,
                             const wir_gpu *g) {
    size_t n = 0;
    for (size_t i = 0; i < s->c->n_runs; i++) {
        const wir_run *r = &s->c->runs[i];
        if ((m && r->model != m) || (g && r->gpu != g)) continue;
        wir_run_dict(s, wir_tpl_add_section(d, "RUN"), r);
        n++;
    }
    wir_tpl_show(d, n ? "HAVE_RUNS" : "NO_RUNS_HERE");
}

int wir_page_model(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_model *m = &c->models[it->a];
    char title[256], desc[512], url[256], n[64];
    snprintf(title, sizeof title, "%s: memory, GPUs and speed", m->name);
    snprintf(desc, sizeof desc,
             "How much memory %s needs at each quantization and context, which GPUs run it and "
             "how fast.", m->name);
    snprintf(url, sizeof url, "/models/%s/", m->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "model.tpl", title, desc, url);
    wir_tpl_set_value(d, "NAME", m->name);
    wir_tpl_set_value(d, "SLUG", m->slug);
    wir_tpl_set_value(d, "HF_REPO", m->hf_repo);
    wir_kv(d, "Parameters", wir_fmt_params(n, sizeof n, m->params));
    wir_kv(d, "Architecture", m->architecture);
    wir_kv(d, "Layers", wir_fmt_int(n, sizeof n, m->n_layers));
    wir_kv(d, "Hidden size", wir_fmt_int(n, sizeof n, m->hidden_size));
    char heads[64];
    snprintf(heads, sizeof heads, "%d query, %d key/value", (int)m->n_heads, (int)m->n_kv_heads);
    wir_kv(d, "Attention heads", heads);
    wir_kv(d, "Trained context", wir_fmt_int(n, sizeof n, m->context_length));
    wir_kv(d, "Vocabulary", wir_fmt_int(n, sizeof n, m->vocab_size));
    if (m->moe.n_experts) {
        char moe[64];
        snprintf(moe, sizeof moe, "%d experts, %d active per token", (int)m->moe.n_experts,
                 (int)m->moe.n_experts_per_token);
        wir_kv(d, "Mixture of experts", moe);
    }
    wir_kv(d, "Released", m->release_date);

    /* Memory by quantization and context: the engine's total on one GPU
     * with everything offloaded (placement does not change the sum much;
     * the will-it-run pages give the per-device split). */
    static const int64_t ctxs[] = {4096, 16384, 32768, 131072};
    for (size_t k = 0; k < sizeof ctxs / sizeof ctxs[0]; k++) {
        if (ctxs[k] > m->context_length) continue;
        wir_tpl_set_value(wir_tpl_add_section(d, "CTX_HEAD"), "CTX", wir_fmt_ctx(n, sizeof n, ctxs[k]));
    }
    for (size_t f = 0; f < s->n_ftypes; f++) {
        const wir_weights *w = wir_render_weights(s, m, s->ftypes[f]);
        if (!w) continue;
        wir_tpl_dict *r = wir_tpl_add_section(d, "QROW");
        wir_tpl_set_value(r, "QUANT", s->ftypes[f]->name);
        wir_tpl_set_value(r, "FILE", wir_fmt_gib(n, sizeof n, w->file_bytes));
        for (size_t k = 0; k < sizeof ctxs / sizeof ctxs[0]; k++) {
            if (ctxs[k] > m->context_length) continue;
            wir_fit_request rq;
            wir_memory mem;
            wir_render_request(s, &rq, m, s->ftypes[f], NULL, 0, ctxs[k]);
            wir_tpl_dict *cell = wir_tpl_add_section(r, "CELL");
            if (wir_memory_of(c, &rq, w, &mem) == 0)
                wir_tpl_set_value(cell, "MEM", wir_fmt_gib(n, sizeof n, mem.total_bytes));
            else
                wir_tpl_set_value(cell, "MEM", "—");
        }
    }
    /* Where it runs: every GPU's headline answer. */
    for (size_t g = 0; g < c->n_gpus; g++) {
        wir_answer a;
        wir_render_answer(s, m, &c->gpus[g], 1, WIR_RENDER_CTX_DEFAULT, &a);
        wir_tpl_dict *r = wir_tpl_add_section(d, "GPU");
        wir_tpl_set_value(r, "GPU_SLUG", c->gpus[g].slug);
        wir_tpl_set_value(r, "GPU", c->gpus[g].name);
        wir_tpl_set_value(r, "MEMORY", wir_fmt_gib(n, sizeof n, c->gpus[g].memory_bytes));
        wir_render_answer_row(r, &a);
    }
    wir_runs_section(s, d, m, NULL);
    return wir_render_finish(s, root, out, error);
}

static void wir_gpu_row(wir_tpl_dict *r, const wir_gpu *g) {
    char n[64];
    wir_tpl_set_value(r, "SLUG", g->slug);
    wir_tpl_set_value(r, "NAME", g->name);
    wir_tpl_set_value(r, "VENDOR", wir_vendor_name(g->vendor));
    wir_tpl_set_value(r, "SEGMENT", g->segment);
    wir_tpl_set_value(r, "MEMORY", wir_fmt_gib(n, sizeof n, g->memory_bytes));
    wir_tpl_set_value(r, "BANDWIDTH", wir_fmt_num(n, sizeof n, g->memory_bandwidth_gb_s));
    wir_tpl_set_value(r, "PRICE", wir_fmt_usd(n, sizeof n, g->street_price_usd));
}

int wir_page_hardware(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "hardware.tpl", "Hardware",
                                        "GPUs and Apple silicon: memory, bandwidth, price.",
                                        "/hardware/");
    for (size_t g = 0; g < s->c->n_gpus; g++) wir_gpu_row(wir_tpl_add_section(d, "GPU"), &s->c->gpus[g]);
    for (size_t i = 0; i < s->n_items; i++)
        if (s->items[i].kind == WIR_ITEM_COMPARE) {
            wir_tpl_dict *r = wir_tpl_add_section(d, "COMPARE");
            const wir_gpu *a = &s->c->gpus[s->items[i].a], *b = &s->c->gpus[s->items[i].b];
            wir_tpl_set_valuef(r, "HREF", "/compare/%s-vs-%s/", a->slug, b->slug);
            wir_tpl_set_valuef(r, "TEXT", "%s vs %s", a->name, b->name);
        }
    return wir_render_finish(s, root, out, error);
}

int wir_page_gpu(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_gpu *g = &c->gpus[it->a];
    char title[256], desc[512], url[256], n[64];
    snprintf(title, sizeof title, "%s for local AI: which models run", g->name);
    snprintf(desc, sizeof desc, "Which models run on the %s, at which quantization, how fast, and "
                                "what it costs against the cloud.", g->name);
    snprintf(url, sizeof url, "/hardware/%s/", g->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "gpu.tpl", title, desc, url);
    wir_tpl_set_value(d, "NAME", g->name);
    wir_tpl_set_value(d, "SLUG", g->slug);
    wir_kv(d, "Vendor", wir_vendor_name(g->vendor));
    wir_kv(d, "Architecture", g->architecture);
    char mem[96];
    snprintf(mem, sizeof mem, "%s %s%s", wir_fmt_gib(n, sizeof n, g->memory_bytes), g->memory_type,
             g->unified_memory ? " (unified)" : "");
    wir_kv(d, "Memory", mem);
    snprintf(mem, sizeof mem, "%s GB/s", wir_fmt_num(n, sizeof n, g->memory_bandwidth_gb_s));
    wir_kv(d, "Memory bandwidth", mem);
    snprintf(mem, sizeof mem, "%s TFLOPS", wir_fmt_num(n, sizeof n, g->fp16_tensor_tflops));
    wir_kv(d, "FP16 tensor (dense)", mem);
    snprintf(mem, sizeof mem, "%s W", wir_fmt_num(n, sizeof n, g->board_power_w));
    wir_kv(d, "Board power", mem);
    if (isfinite(g->launch_price_usd)) wir_kv(d, "Launch price", wir_fmt_usd(n, sizeof n, g->launch_price_usd));
    snprintf(mem, sizeof mem, "%s (%s, %s)", wir_fmt_usd(n, sizeof n, g->street_price_usd),
             g->street_price_condition ? g->street_price_condition : "", g->street_price_date ? g->street_price_date : "");
    wir_kv(d, "Street price", mem);
    wir_kv(d, "Released", g->release_date);
    for (size_t i = 0; i < g->prov.n_sources; i++) {
        wir_tpl_dict *x = wir_tpl_add_section(d, "SOURCE");
        wir_tpl_set_value(x, "TITLE", g->prov.sources[i].title);
        wir_tpl_set_value(x, "URL", g->prov.sources[i].url);
        wir_tpl_set_value(x, "ACCESSED", g->prov.sources[i].accessed);
    }
    for (size_t m = 0; m < c->n_models; m++) {
        const wir_model *mo = &c->models[m];
        wir_answer a;
        wir_render_answer(s, mo, g, 1, WIR_RENDER_CTX_DEFAULT, &a);
        wir_tpl_dict *r = wir_tpl_add_section(d, "MODEL");
        wir_tpl_set_value(r, "MODEL_SLUG", mo->slug);
        wir_tpl_set_value(r, "MODEL", mo->name);
        wir_render_answer_row(r, &a);
    }
    wir_runs_section(s, d, NULL, g);
    return wir_render_finish(s, root, out, error);
}

int wir_page_runs(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "runs.tpl", "Benchmark runs",
                                        "Every measured run: published llama-bench results and "
                                        "probe submissions.", "/runs/");
    wir_runs_section(s, d, NULL, NULL);
    return wir_render_finish(s, root, out, error);
}

/* Who submitted a probe run, when, and the machine and software it ran on,
 * as the probe recorded them. Every string is the contributor's: the
 * template's HTML autoescape escapes each one. */
static void wir_run_provenance(wir_tpl_dict *d, const wir_run *r) {
    /* A local run from a results database has no submitter or editor yet. */
    wir_tpl_dict *x = wir_tpl_add_section(d, r->unreviewed_db ? "LOCAL" : "SUBMITTED");
    if (r->unreviewed_db) wir_tpl_set_value(x, "DB_NAME", r->unreviewed_db);
    wir_tpl_set_value(x, "SUBMITTER", r->source_submitter);
    if (r->source_submitted_at) wir_tpl_set_value(x, "SUBMITTED_AT", r->source_submitted_at);
    if (r->source_measured_at) wir_tpl_set_value(x, "MEASURED_AT", r->source_measured_at);
    const wir_run_host *h = &r->host;
    char n[64];
    struct { const char *key, *value; } rows[] = {
        {"CPU", h->cpu_model}, {"CPU features", h->cpu_features}, {"OS", h->os},
        {"Kernel", h->kernel}, {"Architecture", h->arch}, {"GPU", h->gpu_name},
        {"GPU driver", h->gpu_driver}, {"CUDA", h->cuda_version},
        {"Probe build", r->runtime_build},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i].value) continue;
        wir_tpl_dict *row = wir_tpl_add_section(x, "HOST");
        wir_tpl_set_value(row, "KEY", rows[i].key);
        wir_tpl_set_value(row, "VALUE", rows[i].value);
    }
    if (h->cpu_cores > 0) {
        wir_tpl_dict *row = wir_tpl_add_section(x, "HOST");
        wir_tpl_set_value(row, "KEY", "Cores / threads");
        wir_tpl_set_valuef(row, "VALUE", "%d / %d", (int)h->cpu_cores, (int)h->cpu_threads);
    }
    if (h->ram_bytes > 0) {
        wir_tpl_dict *row = wir_tpl_add_section(x, "HOST");
        wir_tpl_set_value(row, "KEY", "RAM");
        wir_tpl_set_valuef(row, "VALUE", "%s GiB",
                           wir_fmt_num(n, sizeof n, (double)h->ram_bytes / (1024.0 * 1024 * 1024)));
    }
}

int wir_page_run(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_run *r = &s->c->runs[it->a];
    char title[256], url[256], n[64];
    snprintf(title, sizeof title, "Run %s", r->id);
    snprintf(url, sizeof url, "/runs/%s/", r->id);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "run.tpl", title,
                                        "A measured benchmark run: settings and results.", url);
    wir_run_dict(s, d, r);
    if (r->model) wir_tpl_set_value(d, "MODEL_SLUG", r->model->slug);
    wir_kv(d, "Runtime", r->runtime);
    wir_kv(d, "Build", r->runtime_build);
    wir_kv(d, "Backend", r->backend);
    if (r->n_gpu_layers >= 0) wir_kv(d, "GPU layers (-ngl)", wir_fmt_int(n, sizeof n, r->n_gpu_layers));
    if (r->flash_attn >= 0) wir_kv(d, "Flash attention", r->flash_attn ? "on" : "off");
    if (r->kv_type) wir_kv(d, "KV cache type", r->kv_type->name);
    if (r->threads >= 0) wir_kv(d, "Threads", wir_fmt_int(n, sizeof n, r->threads));
    if (r->cpu) wir_kv(d, "CPU", r->cpu);
    /* A local run's note repeats what its LOCAL banner says. */
    if (r->note && !r->unreviewed_db) wir_tpl_set_value(d, "NOTE", r->note);
    if (r->source_kind == WIR_RUN_SOURCE_IMPORT) {
        wir_tpl_dict *x = wir_tpl_add_section(d, "IMPORTED");
        wir_tpl_set_value(x, "URL", r->source_url);
        wir_tpl_set_value(x, "TITLE", r->source_title);
        wir_tpl_set_value(x, "ACCESSED", r->source_accessed);
    } else {
        wir_run_provenance(d, r);
    }
    for (size_t i = 0; i < r->n_results; i++) {
        const wir_run_result *x = &r->results[i];
        wir_tpl_dict *row = wir_tpl_add_section(d, "RESULT");
        if (x->test == WIR_RUN_PP) wir_tpl_set_valuef(row, "TEST", "pp%d (prefill)", (int)x->n_prompt);
        else wir_tpl_set_valuef(row, "TEST", "tg%d (decode)", (int)x->n_gen);
        wir_tpl_set_value(row, "DEPTH", wir_fmt_int(n, sizeof n, x->depth));
        wir_tpl_set_value(row, "TPS", wir_fmt_num(n, sizeof n, x->tokens_per_s));
        wir_tpl_set_value(row, "SD", wir_fmt_num(n, sizeof n, x->stddev));
    }
    if (r->reproduce) {
        /* A submitted run repeats exactly as it was measured. */
        wir_tpl_set_value(d, "PROBE", r->reproduce);
    } else if (r->model && r->ftype) {
        char cmd[512];
        wir_render_probe_command(cmd, sizeof cmd, r->model, r->ftype, r->gpu, r->gpu_count > 0 ? r->gpu_count : 1, 4096);
        wir_tpl_set_value(d, "PROBE", cmd);
    }
    return wir_render_finish(s, root, out, error);
}

int wir_page_methodology(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "page.tpl", "Methodology",
                                        "How willitrun computes memory, fit, speed and cost, and "
                                        "where every figure comes from.", "/methodology/");
    wir_tpl_set_value(d, "TITLE", "Methodology");
    if (s->methodology_html) wir_tpl_set_value(d, "BODY", s->methodology_html);
    else wir_tpl_set_value(d, "BODY", "<p>The methodology document is not part of this build.</p>");
    return wir_render_finish(s, root, out, error);
}

int wir_page_free(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_page *p = &s->ct->pages[it->a];
    char url[256];
    snprintf(url, sizeof url, "/%s/", p->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "page.tpl", p->title, p->description, url);
    wir_tpl_set_value(d, "TITLE", p->title);
    wir_tpl_set_value(d, "DATE", p->date);
    wir_buf html = WIR_BUF_INIT;
    wir_md_render(p->body ? p->body : "", &html);
    wir_tpl_set_value(d, "BODY", wir_buf_cstr(&html));
    wir_buf_free(&html);
    if (p->n_sources) wir_tpl_show(d, "HAVE_SOURCES");
    wir_render_links(d, "SOURCE", p->sources, p->n_sources);
    return wir_render_finish(s, root, out, error);
}

int wir_page_tool(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    const wir_catalog *c = s->c;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "tool.tpl", "Will it run? The calculator",
                                        "Pick a model, quantization, context and GPU: see whether "
                                        "it fits and how fast it runs.", "/tool/");
    char n[64];
    for (size_t m = 0; m < c->n_models; m++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "MODEL_OPT");
        wir_tpl_set_value(o, "SLUG", c->models[m].slug);
        wir_tpl_set_value(o, "NAME", c->models[m].name);
    }
    for (size_t f = 0; f < s->n_ftypes; f++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "QUANT_OPT");
        wir_tpl_set_valuef(o, "INDEX", "%zu", f);
        wir_tpl_set_value(o, "NAME", s->ftypes[f]->name);
        if (!strcmp(s->ftypes[f]->slug, "q4-k-m")) wir_tpl_show(o, "SELECTED");
    }
    for (size_t k = 0; k < wir_render_n_ctxs; k++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "CTX_OPT");
        wir_tpl_set_valuef(o, "INDEX", "%zu", k);
        wir_tpl_set_value(o, "NAME", wir_fmt_ctx(n, sizeof n, wir_render_ctxs[k]));
        if (wir_render_ctxs[k] == WIR_RENDER_CTX_DEFAULT) wir_tpl_show(o, "SELECTED");
    }
    for (size_t g = 0; g < c->n_gpus; g++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "GPU_OPT");
        wir_tpl_set_valuef(o, "INDEX", "%zu", g);
        wir_tpl_set_value(o, "NAME", c->gpus[g].name);
    }
    for (size_t k = 0; k < wir_render_n_counts; k++) {
        wir_tpl_dict *o = wir_tpl_add_section(d, "COUNT_OPT");
        wir_tpl_set_valuef(o, "INDEX", "%zu", k);
        wir_tpl_set_valuef(o, "NAME", "%d", (int)wir_render_counts[k]);
    }
    return wir_render_finish(s, root, out, error);
}

int wir_page_not_found(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_render_layout(s, root, "notfound.tpl", "Page not found",
                      "This page does not exist; start from the models or the hardware.", "/404.html");
    return wir_render_finish(s, root, out, error);
}
