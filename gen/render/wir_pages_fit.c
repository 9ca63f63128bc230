#define _XOPEN_SOURCE 700
/* The answer pages: will it run (model × GPU × count), cost against the
 * cloud, compare two GPUs, choose a GPU for a model. Every figure is the
 * engine's (gen/compute); this file picks and formats. */
#include "wir_render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_md.h"
#include "wir_svg.h"

static void wir_label(char *out, size_t size, const wir_speed_label *l) {
    wir_speed_label_format(l, out, size);
}

static void wir_hw_name(char *out, size_t size, const wir_gpu *g, int32_t count) {
    if (count > 1) snprintf(out, size, "%d × %s", (int)count, g->name);
    else snprintf(out, size, "%s", g->name);
}

/* The VRAM breakdown bar of a placement, against one GPU's capacity. */
static void wir_vram_chart(wir_buf *svg, const wir_fit *fit, const char *title) {
    const wir_mem_device *dev = fit->mem.n_devices > 1 ? &fit->mem.devices[1] : &fit->mem.devices[0];
    wir_svg_part parts[4] = {
        {"Weights", dev->weights_bytes / 1073741824.0},
        {"KV cache", dev->kv_bytes / 1073741824.0},
        {"Compute buffers", dev->compute_bytes / 1073741824.0},
        {"Runtime overhead", dev->overhead_bytes / 1073741824.0},
    };
    wir_svg_stack(svg, title, parts, 4, dev->capacity_bytes / 1073741824.0, "usable memory", "GiB");
}

int wir_page_fit(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_model *m = &c->models[it->a];
    const wir_gpu *g = &c->gpus[it->b];
    int32_t count = it->count;
    char hw[192], title[384], desc[512], url[384], slug[160], n[64], n2[64];
    wir_hw_name(hw, sizeof hw, g, count);
    wir_render_fit_slug(slug, sizeof slug, g->slug, count);
    snprintf(title, sizeof title, "Will %s run on %s?", m->name, hw);
    snprintf(url, sizeof url, "/will-it-run/%s/%s/", m->slug, slug);
    int64_t ctx = WIR_RENDER_CTX_DEFAULT < m->context_length ? WIR_RENDER_CTX_DEFAULT : m->context_length;

    wir_fit fit;
    const wir_ftype *best = wir_render_headline(s, m, g, count, ctx, &fit);
    if (best)
        snprintf(desc, sizeof desc, "%s on %s: %s at %s with %s tokens of context. Memory, speed, "
                 "longest context and cost.", m->name, hw, wir_render_tier_text(fit.tier), best->name,
                 wir_fmt_int(n, sizeof n, ctx));
    else
        snprintf(desc, sizeof desc, "Whether %s runs on %s: memory, speed and cost.", m->name, hw);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "fit.tpl", title, desc, url);
    wir_tpl_set_value(d, "MODEL", m->name);
    wir_tpl_set_value(d, "MODEL_SLUG", m->slug);
    wir_tpl_set_value(d, "GPU", hw);
    wir_tpl_set_value(d, "GPU_SLUG", g->slug);
    wir_tpl_set_value(d, "CTX", wir_fmt_int(n, sizeof n, ctx));
    if (count == 1) wir_tpl_show(d, "SINGLE");

    if (!best) {
        wir_tpl_show(d, "UNKNOWN");
        return wir_render_finish(s, root, out, error);
    }
    wir_tpl_dict *h = wir_tpl_add_section(d, "ANSWER");
    wir_tpl_set_value(h, "TIER", wir_render_tier_slug(fit.tier));
    wir_tpl_set_value(h, "TIER_TEXT", wir_render_tier_text(fit.tier));
    wir_tpl_set_value(h, "REASON", fit.reason);
    wir_tpl_set_value(h, "QUANT", best->name);
    wir_tpl_set_value(h, "NEED", wir_fmt_gib(n, sizeof n, fit.need_bytes));
    wir_tpl_set_value(h, "CAPACITY", fit.capacity_bytes ? wir_fmt_gib(n2, sizeof n2, fit.capacity_bytes) : "unknown");
    wir_tpl_set_valuef(h, "LAYERS", "%d of %d", (int)fit.n_gpu_layers, (int)fit.n_layers_total);

    wir_fit_request rq;
    wir_render_request(s, &rq, m, best, g, count, ctx);
    rq.n_gpu_layers = fit.n_gpu_layers;
    const wir_weights *w = wir_render_weights(s, m, best);
    wir_speed sp;
    char lab[256];
    if (fit.tier != WIR_TIER_NO && isfinite(wir_render_decode(s, &rq, w, &fit.mem, 0, &sp))) {
        wir_tpl_dict *x = wir_tpl_add_section(h, "SPEED");
        wir_tpl_set_value(x, "TG", wir_fmt_num(n, sizeof n, sp.decode_tokens_per_s));
        wir_label(lab, sizeof lab, &sp.decode_label);
        wir_tpl_set_value(x, "TG_LABEL", lab);
        wir_tpl_set_value(x, "TG_KIND", sp.decode_label.kind == WIR_LABEL_MEASURED ? "measured" : "estimated");
        wir_tpl_set_value(x, "PP", wir_fmt_num(n, sizeof n, sp.prefill_tokens_per_s));
        wir_label(lab, sizeof lab, &sp.prefill_label);
        wir_tpl_set_value(x, "PP_LABEL", lab);
        wir_tpl_set_value(x, "PP_KIND", sp.prefill_label.kind == WIR_LABEL_MEASURED ? "measured" : "estimated");
        wir_tpl_set_value(x, "TTFT", wir_fmt_num(n, sizeof n, sp.ttft_s));
    }

    /* VRAM breakdown. */
    wir_buf svg = WIR_BUF_INIT;
    char ctitle[256];
    snprintf(ctitle, sizeof ctitle, "Memory on one GPU: %s %s, %s tokens", m->name, best->name,
             wir_fmt_int(n, sizeof n, ctx));
    wir_vram_chart(&svg, &fit, ctitle);
    wir_tpl_set_value(d, "VRAM_SVG", wir_buf_cstr(&svg));
    wir_buf_reset(&svg);
    for (int32_t k = 0; k < fit.mem.n_devices; k++) {
        const wir_mem_device *dev = &fit.mem.devices[k];
        if (dev->total_bytes == 0) continue;
        wir_tpl_dict *r = wir_tpl_add_section(d, "DEVICE");
        wir_tpl_set_value(r, "NAME", dev->is_host ? "System RAM" : dev->name);
        wir_tpl_set_valuef(r, "LAYERS", "%d", (int)dev->n_layers);
        wir_tpl_set_value(r, "WEIGHTS", wir_fmt_gib(n, sizeof n, dev->weights_bytes));
        wir_tpl_set_value(r, "KV", wir_fmt_gib(n, sizeof n, dev->kv_bytes));
        wir_tpl_set_value(r, "COMPUTE", wir_fmt_gib(n, sizeof n, dev->compute_bytes));
        wir_tpl_set_value(r, "OVERHEAD", wir_fmt_gib(n, sizeof n, dev->overhead_bytes));
        wir_tpl_set_value(r, "TOTAL", wir_fmt_gib(n, sizeof n, dev->total_bytes));
        wir_tpl_set_value(r, "CAP", dev->capacity_bytes ? wir_fmt_gib(n, sizeof n, dev->capacity_bytes) : "—");
    }

    /* Every shown quantization: fit, longest context, speed. */
    for (size_t f = 0; f < s->n_ftypes; f++) {
        const wir_ftype *ft = s->ftypes[f];
        const wir_weights *wf = wir_render_weights(s, m, ft);
        if (!wf) continue;
        wir_fit ff;
        wir_fit_request r2;
        wir_render_request(s, &r2, m, ft, g, count, ctx);
        if (wir_fit_evaluate(c, &r2, wf, &ff) != 0) continue;
        wir_tpl_dict *r = wir_tpl_add_section(d, "QROW");
        wir_tpl_set_value(r, "QUANT", ft->name);
        wir_tpl_set_value(r, "FILE", wir_fmt_gib(n, sizeof n, wf->file_bytes));
        wir_tpl_set_value(r, "NEED", wir_fmt_gib(n, sizeof n, ff.need_bytes));
        wir_tpl_set_value(r, "TIER", wir_render_tier_slug(ff.tier));
        wir_tpl_set_value(r, "TIER_TEXT", wir_render_tier_text(ff.tier));
        int64_t mx = wir_fit_max_ctx(c, &r2, wf, WIR_TIER_TIGHT);
        wir_tpl_set_value(r, "MAX_CTX", mx > 0 ? wir_fmt_int(n, sizeof n, mx) : "—");
        r2.n_gpu_layers = ff.n_gpu_layers;
        double tg = ff.tier == WIR_TIER_NO ? NAN : wir_render_decode(s, &r2, wf, &ff.mem, 0, &sp);
        wir_tpl_set_value(r, "TG", wir_fmt_num(n, sizeof n, tg));
        if (isfinite(tg))
            wir_tpl_set_value(r, "TG_KIND", sp.decode_label.kind == WIR_LABEL_MEASURED ? "measured" : "estimated");
        if (ft == best) wir_tpl_show(r, "BEST");
    }

    /* Decode speed against context depth, for the headline choice. */
    if (fit.tier != WIR_TIER_NO) {
        double xs[16], ys[16];
        size_t k = 0;
        int64_t mx = wir_fit_max_ctx(c, &rq, w, WIR_TIER_PARTIAL);
        if (mx <= 0) mx = ctx;
        for (int64_t depth = 0; k < 9 && depth <= mx; depth = depth ? depth * 2 : 1024) {
            wir_fit_request r3 = rq;
            r3.ctx = depth + 512 > rq.ctx ? depth + 512 : rq.ctx;
            r3.n_gpu_layers = -1;
            wir_fit f3;
            if (wir_fit_evaluate(c, &r3, w, &f3) != 0 || f3.tier == WIR_TIER_NO) break;
            r3.n_gpu_layers = f3.n_gpu_layers;
            double tg = wir_render_decode(s, &r3, w, &f3.mem, (int32_t)depth, &sp);
            if (!isfinite(tg)) break;
            xs[k] = depth / 1024.0;
            ys[k++] = tg;
        }
        if (k >= 2) {
            wir_svg_series ser = {"Decode tokens/s (estimated)", xs, ys, k, true};
            snprintf(ctitle, sizeof ctitle, "Decode speed of %s %s on %s by context depth", m->name,
                     best->name, hw);
            wir_svg_lines(&svg, ctitle, "context depth (thousands of tokens)", "tokens/s", &ser, 1,
                          NULL, NULL);
            wir_tpl_set_value(d, "SPEED_SVG", wir_buf_cstr(&svg));
            wir_tpl_show(d, "HAVE_SPEED_CHART");
        }
    }
    wir_buf_free(&svg);

    /* Measured runs of this pairing. */
    size_t runs = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        const wir_run *r = &c->runs[i];
        if (r->model != m || r->gpu != g || r->gpu_count != count) continue;
        wir_tpl_dict *x = wir_tpl_add_section(d, "RUN");
        wir_tpl_set_value(x, "RUN_ID", r->id);
        wir_tpl_set_value(x, "RUN_QUANT", r->ftype ? r->ftype->name : "?");
        for (size_t k = 0; k < r->n_results; k++)
            if (r->results[k].test == WIR_RUN_TG && r->results[k].depth == 0)
                wir_tpl_set_value(x, "RUN_TG", wir_fmt_num(n, sizeof n, r->results[k].tokens_per_s));
        runs++;
    }
    wir_tpl_show(d, runs ? "HAVE_RUNS" : "NO_RUNS_HERE");
    char cmd[512];
    wir_render_probe_command(cmd, sizeof cmd, m, best, g, count, ctx);
    wir_tpl_set_value(d, "PROBE", cmd);

    /* The editor's verdict, where one exists. */
    const wir_verdict *v = wir_content_find_verdict(s->ct, m->slug, g->slug, count);
    if (v) {
        wir_tpl_dict *x = wir_tpl_add_section(d, "VERDICT");
        wir_tier t = wir_render_tier_of(v->tier);
        wir_tpl_set_value(x, "V_TIER", wir_render_tier_slug(t));
        wir_tpl_set_value(x, "V_TIER_TEXT", wir_render_tier_text(t));
        wir_tpl_set_value(x, "V_SUMMARY", v->summary);
        wir_tpl_set_value(x, "V_AUTHOR", v->author);
        wir_tpl_set_value(x, "V_DATE", v->date);
        wir_tpl_set_value(x, "V_QUANT", v->ftype ? v->ftype->name : v->quant_slug);
        wir_buf html = WIR_BUF_INIT;
        wir_md_render(v->body ? v->body : "", &html);
        wir_tpl_set_value(x, "V_BODY", wir_buf_cstr(&html));
        wir_buf_free(&html);
        wir_render_links(x, "V_SOURCE", v->sources, v->n_sources);
    }
    return wir_render_finish(s, root, out, error);
}

/* The cost of the headline placement; -1 when the engine has no answer. */
static int wir_cost_of(const wir_render_site *s, const wir_model *m, const wir_gpu *g,
                       const wir_ftype **ft, wir_fit *fit, wir_cost *cost) {
    wir_answer a;
    if (!(*ft = wir_render_answer(s, m, g, 1, WIR_RENDER_CTX_DEFAULT, &a))) return -1;
    *fit = a.fit;
    wir_cost_request cr;
    wir_cost_request_init(&cr);
    return wir_cost_compute(s->c, &a.rq, wir_render_weights(s, m, a.ft), &cr, a.tg,
                            isfinite(a.tg) ? &a.sp.decode_label : NULL, cost);
}

int wir_page_cost(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_model *m = &s->c->models[it->a];
    const wir_gpu *g = &s->c->gpus[it->b];
    char title[384], desc[512], url[384], n[64];
    snprintf(title, sizeof title, "%s on %s: cost against the cloud", m->name, g->name);
    snprintf(desc, sizeof desc, "Owning a %s for %s against renting a cloud GPU: monthly cost, "
             "break-even and cost per million tokens.", g->name, m->name);
    snprintf(url, sizeof url, "/cost/%s/%s/", m->slug, g->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "cost.tpl", title, desc, url);
    wir_tpl_set_value(d, "MODEL", m->name);
    wir_tpl_set_value(d, "MODEL_SLUG", m->slug);
    wir_tpl_set_value(d, "GPU", g->name);
    wir_tpl_set_value(d, "GPU_SLUG", g->slug);
    const wir_ftype *ft;
    wir_fit fit;
    wir_cost cost;
    if (wir_cost_of(s, m, g, &ft, &fit, &cost) != 0) {
        wir_tpl_show(d, "UNKNOWN");
        return wir_render_finish(s, root, out, error);
    }
    wir_tpl_dict *x = wir_tpl_add_section(d, "COST");
    wir_tpl_set_value(x, "QUANT", ft->name);
    wir_tpl_set_value(x, "TIER", wir_render_tier_slug(fit.tier));
    wir_tpl_set_value(x, "TIER_TEXT", wir_render_tier_text(fit.tier));
    wir_tpl_set_value(x, "HOURS", wir_fmt_num(n, sizeof n, cost.hours_per_month));
    wir_tpl_set_value(x, "HW_PRICE", wir_fmt_usd(n, sizeof n, cost.hardware_price_usd));
    wir_tpl_set_value(x, "HW_MONTH", wir_fmt_usd(n, sizeof n, cost.hardware_usd_per_month));
    wir_tpl_set_value(x, "POWER", wir_fmt_num(n, sizeof n, cost.power_w));
    wir_tpl_set_value(x, "KWH", wir_fmt_num(n, sizeof n, cost.energy_kwh_per_month));
    wir_tpl_set_value(x, "ELEC", wir_fmt_usd(n, sizeof n, cost.electricity_usd_per_month));
    wir_tpl_set_value(x, "LOCAL", wir_fmt_usd(n, sizeof n, cost.local_usd_per_month));
    wir_tpl_set_value(x, "LOCAL_MTOK", wir_fmt_usd(n, sizeof n, cost.local_usd_per_mtok));
    wir_tpl_set_valuef(x, "MONTHS", "%.0f", WIR_COST_DEFAULT_MONTHS);
    wir_tpl_set_valuef(x, "HPW", "%.0f", WIR_COST_DEFAULT_HOURS_PER_WEEK);
    wir_tpl_set_valuef(x, "KWH_PRICE", "%.2f", WIR_COST_DEFAULT_KWH_PRICE_USD);
    wir_tpl_set_value(x, "TG", wir_fmt_num(n, sizeof n, cost.decode_tokens_per_s));
    wir_tpl_set_value(x, "MTOK", wir_fmt_num(n, sizeof n, cost.mtok_per_month));
    if (isfinite(cost.decode_tokens_per_s)) {
        char lab[256];
        wir_speed_label_format(&cost.speed_label, lab, sizeof lab);
        wir_tpl_set_value(x, "TG_LABEL", lab);
    }
    if (cost.cloud) {
        wir_tpl_dict *y = wir_tpl_add_section(x, "CLOUD");
        bool chart = isfinite(cost.hardware_price_usd) && isfinite(cost.electricity_usd_per_month) &&
                     isfinite(cost.cloud_usd_per_month);
        wir_tpl_set_value(y, "PROVIDER", cost.cloud->provider);
        wir_tpl_set_value(y, "INSTANCE", cost.cloud->instance);
        wir_tpl_set_valuef(y, "CLOUD_GPUS", "%d × %s", (int)cost.cloud->gpu_count,
                           cost.cloud->gpu ? cost.cloud->gpu->name : "?");
        wir_tpl_set_value(y, "HOURLY", wir_fmt_usd(n, sizeof n, cost.cloud->price_usd_per_hour));
        wir_tpl_set_value(y, "OBSERVED", cost.cloud->observed);
        wir_tpl_set_value(y, "CLOUD_MONTH", wir_fmt_usd(n, sizeof n, cost.cloud_usd_per_month));
        wir_tpl_set_value(y, "CLOUD_MTOK", wir_fmt_usd(n, sizeof n, cost.cloud_usd_per_mtok));
        if (isfinite(cost.break_even_months))
            wir_tpl_set_valuef(y, "BREAK_EVEN", "after %s months", wir_fmt_num(n, sizeof n, cost.break_even_months));
        else
            wir_tpl_set_value(y, "BREAK_EVEN", "never: renting costs less than the electricity");
        if (!chart) {
            wir_tpl_show(y, "NO_CHART");
        } else {
        /* Cumulative cost over time: local starts at the hardware price. */
        double horizon = isfinite(cost.break_even_months) && cost.break_even_months * 1.5 > WIR_COST_DEFAULT_MONTHS
                             ? ceil(cost.break_even_months * 1.5) : WIR_COST_DEFAULT_MONTHS;
        if (horizon > 240) horizon = 240;
        double xs[13], yl[13], yc[13];
        for (int k = 0; k <= 12; k++) {
            xs[k] = horizon * k / 12;
            yl[k] = cost.hardware_price_usd + cost.electricity_usd_per_month * xs[k];
            yc[k] = cost.cloud_usd_per_month * xs[k];
        }
        wir_svg_series ser[2] = {{"Own the GPU (price + electricity)", xs, yl, 13, false},
                                 {"Rent in the cloud", xs, yc, 13, true}};
        wir_buf svg = WIR_BUF_INIT;
        char ctitle[256];
        snprintf(ctitle, sizeof ctitle, "Cumulative cost of %s on %s against the cloud", m->name, g->name);
        bool mark = isfinite(cost.break_even_months) && cost.break_even_months <= horizon;
        wir_svg_lines(&svg, ctitle, "months", "US dollars", ser, 2, mark ? &cost.break_even_months : NULL,
                      "break-even");
        wir_tpl_set_value(y, "COST_SVG", wir_buf_cstr(&svg));
        wir_buf_free(&svg);
        wir_tpl_show(y, "HAVE_CHART");
        }
    } else {
        wir_tpl_show(x, "NO_CLOUD");
    }
    return wir_render_finish(s, root, out, error);
}

int wir_page_compare(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_gpu *gs[2] = {&c->gpus[it->a], &c->gpus[it->b]};
    char title[384], desc[512], url[384], n[64];
    snprintf(title, sizeof title, "%s vs %s for local AI", gs[0]->name, gs[1]->name);
    snprintf(desc, sizeof desc, "%s against %s: memory, bandwidth, price, and which models run "
             "how fast on each.", gs[0]->name, gs[1]->name);
    snprintf(url, sizeof url, "/compare/%s-vs-%s/", gs[0]->slug, gs[1]->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "compare.tpl", title, desc, url);
    for (int k = 0; k < 2; k++) {
        wir_tpl_set_value(d, k ? "B" : "A", gs[k]->name);
        wir_tpl_set_value(d, k ? "B_SLUG" : "A_SLUG", gs[k]->slug);
    }
    struct { const char *key; char a[64], b[64]; } rows[5];
    for (int k = 0; k < 2; k++) {
        wir_fmt_gib(k ? rows[0].b : rows[0].a, 64, gs[k]->memory_bytes);
        snprintf(k ? rows[1].b : rows[1].a, 64, "%s GB/s", wir_fmt_num(n, sizeof n, gs[k]->memory_bandwidth_gb_s));
        snprintf(k ? rows[2].b : rows[2].a, 64, "%s TFLOPS", wir_fmt_num(n, sizeof n, gs[k]->fp16_tensor_tflops));
        snprintf(k ? rows[3].b : rows[3].a, 64, "%s W", wir_fmt_num(n, sizeof n, gs[k]->board_power_w));
        wir_fmt_usd(k ? rows[4].b : rows[4].a, 64, gs[k]->street_price_usd);
    }
    rows[0].key = "Memory"; rows[1].key = "Bandwidth"; rows[2].key = "FP16 tensor";
    rows[3].key = "Board power"; rows[4].key = "Street price";
    for (int i = 0; i < 5; i++) {
        wir_tpl_dict *r = wir_tpl_add_section(d, "SPEC");
        wir_tpl_set_value(r, "KEY", rows[i].key);
        wir_tpl_set_value(r, "VA", rows[i].a);
        wir_tpl_set_value(r, "VB", rows[i].b);
    }
    for (size_t m = 0; m < c->n_models; m++) {
        const wir_model *mo = &c->models[m];
        wir_tpl_dict *r = wir_tpl_add_section(d, "MODEL");
        wir_tpl_set_value(r, "MODEL", mo->name);
        wir_tpl_set_value(r, "MODEL_SLUG", mo->slug);
        for (int k = 0; k < 2; k++) {
            wir_answer a;
            wir_render_answer(s, mo, gs[k], 1, WIR_RENDER_CTX_DEFAULT, &a);
            wir_tpl_dict *cell = wir_tpl_add_section(r, "CELL");
            wir_tpl_set_value(cell, "GPU_SLUG", gs[k]->slug);
            wir_render_answer_row(cell, &a);
        }
    }
    return wir_render_finish(s, root, out, error);
}

typedef struct wir_choice {
    const wir_gpu *gpu;
    const wir_ftype *ft;
    wir_tier tier;
    double tg, per_kusd;
} wir_choice;

static int wir_choice_compare(const void *pa, const void *pb) {
    const wir_choice *a = pa, *b = pb;
    bool ra = isfinite(a->per_kusd), rb = isfinite(b->per_kusd);
    if (ra != rb) return ra ? -1 : 1;
    if (ra && a->per_kusd != b->per_kusd) return a->per_kusd > b->per_kusd ? -1 : 1;
    return strcmp(a->gpu->slug, b->gpu->slug);
}

int wir_page_choose(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_model *m = &c->models[it->a];
    char title[384], desc[512], url[384], n[64];
    snprintf(title, sizeof title, "Best GPU for %s: speed per dollar", m->name);
    snprintf(desc, sizeof desc, "Every GPU that runs %s, ranked by decode tokens per second per "
             "thousand dollars of street price.", m->name);
    snprintf(url, sizeof url, "/choose/%s/", m->slug);
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_dict *d = wir_render_layout(s, root, "choose.tpl", title, desc, url);
    wir_tpl_set_value(d, "MODEL", m->name);
    wir_tpl_set_value(d, "MODEL_SLUG", m->slug);
    wir_choice *ch = calloc(c->n_gpus ? c->n_gpus : 1, sizeof *ch);
    if (!ch) abort();
    for (size_t g = 0; g < c->n_gpus; g++) {
        wir_answer a;
        ch[g] = (wir_choice){&c->gpus[g], NULL, WIR_TIER_NO, NAN, NAN};
        if (!(ch[g].ft = wir_render_answer(s, m, &c->gpus[g], 1, WIR_RENDER_CTX_DEFAULT, &a))) continue;
        ch[g].tier = a.fit.tier;
        if (a.fit.tier > WIR_TIER_TIGHT) continue; /* ranked: runs entirely on the GPU */
        ch[g].tg = a.tg;
        if (isfinite(ch[g].tg) && c->gpus[g].street_price_usd > 0)
            ch[g].per_kusd = ch[g].tg / (c->gpus[g].street_price_usd / 1000.0);
    }
    qsort(ch, c->n_gpus, sizeof *ch, wir_choice_compare);
    size_t rank = 0;
    for (size_t g = 0; g < c->n_gpus; g++) {
        wir_tpl_dict *r = wir_tpl_add_section(d, isfinite(ch[g].per_kusd) ? "RANKED" : "OTHER");
        if (isfinite(ch[g].per_kusd)) wir_tpl_set_valuef(r, "RANK", "%zu", ++rank);
        wir_tpl_set_value(r, "GPU", ch[g].gpu->name);
        wir_tpl_set_value(r, "GPU_SLUG", ch[g].gpu->slug);
        wir_tpl_set_value(r, "QUANT", ch[g].ft ? ch[g].ft->name : "—");
        wir_tpl_set_value(r, "TIER", wir_render_tier_slug(ch[g].tier));
        wir_tpl_set_value(r, "TIER_TEXT", wir_render_tier_text(ch[g].tier));
        wir_tpl_set_value(r, "TG", wir_fmt_num(n, sizeof n, ch[g].tg));
        wir_tpl_set_value(r, "PRICE", wir_fmt_usd(n, sizeof n, ch[g].gpu->street_price_usd));
        wir_tpl_set_value(r, "PER_KUSD", wir_fmt_num(n, sizeof n, ch[g].per_kusd));
    }
    if (rank) wir_tpl_show(d, "HAVE_RANKED");
    free(ch);
    return wir_render_finish(s, root, out, error);
}
