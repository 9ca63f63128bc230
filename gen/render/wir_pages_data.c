#define _XOPEN_SOURCE 700
/* Machine-readable outputs: sitemap.xml, the Atom feed, the catalog as
 * JSON (/api/catalog.json) and the interactive tool's tables
 * (/api/tool/<model>.json), which hold the engine's answers precomputed so
 * the browser never repeats a formula. */
#include "wir_render_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *wir_page_url(const wir_item *it, char *out, size_t size) {
    /* "models/x/index.html" is served as "/models/x/". */
    const char *p = it->path;
    size_t n = strlen(p);
    if (n >= 10 && !strcmp(p + n - 10, "index.html")) snprintf(out, size, "/%.*s", (int)(n - 10), p);
    else snprintf(out, size, "/%s", p);
    return out;
}

int wir_page_sitemap(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    wir_tpl_dict *root = wir_tpl_dict_new();
    char url[600];
    for (size_t i = 0; i < s->n_items; i++) {
        const wir_item *x = &s->items[i];
        size_t n = strlen(x->path);
        if (x->kind == WIR_ITEM_NOT_FOUND || n < 5 || strcmp(x->path + n - 5, ".html")) continue;
        wir_tpl_set_value(wir_tpl_add_section(root, "URL"), "LOC", wir_page_url(x, url, sizeof url));
    }
    wir_tpl_set_value(root, "BUILD_DATE", s->build_date);
    wir_tpl_set_value(root, "BASE", s->base_url);
    if (!s->base_url[0]) wir_tpl_show(root, "NO_BASE");
    return wir_render_expand(s, "sitemap.tpl", root, out, error);
}

int wir_page_feed(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    const wir_catalog *c = s->c;
    wir_tpl_dict *root = wir_tpl_dict_new();
    wir_tpl_set_value(root, "UPDATED", s->build_date);
    wir_tpl_set_value(root, "BASE", s->base_url);
    char n[64];
    for (size_t i = 0; i < s->ct->n_verdicts; i++) {
        const wir_verdict *v = &s->ct->verdicts[i];
        wir_tpl_dict *e = wir_tpl_add_section(root, "ENTRY");
        char slug[160];
        wir_render_fit_slug(slug, sizeof slug, v->gpu_slug, v->gpu_count);
        wir_tpl_set_valuef(e, "TITLE", "Verdict: %s on %s: %s", v->model ? v->model->name : v->model_slug,
                           v->gpu ? v->gpu->name : v->gpu_slug, v->tier);
        wir_tpl_set_valuef(e, "HREF", "/will-it-run/%s/%s/", v->model_slug, slug);
        wir_tpl_set_valuef(e, "ID", "verdict:%s", v->slug);
        wir_tpl_set_value(e, "DATE", v->date);
        wir_tpl_set_value(e, "SUMMARY", v->summary);
        wir_tpl_set_value(e, "AUTHOR", v->author);
    }
    for (size_t i = 0; i < c->n_runs; i++) {
        const wir_run *r = &c->runs[i];
        wir_tpl_dict *e = wir_tpl_add_section(root, "ENTRY");
        wir_tpl_set_valuef(e, "TITLE", "Result: %s %s on %s", r->model ? r->model->name : "?",
                           r->ftype ? r->ftype->name : "", r->gpu ? r->gpu->name : "CPU");
        wir_tpl_set_valuef(e, "HREF", "/runs/%s/", r->id);
        wir_tpl_set_valuef(e, "ID", "run:%s", r->id);
        wir_tpl_set_value(e, "DATE", r->source_accessed ? r->source_accessed : s->build_date);
        double tg = NAN;
        for (size_t k = 0; k < r->n_results; k++)
            if (r->results[k].test == WIR_RUN_TG && !isfinite(tg)) tg = r->results[k].tokens_per_s;
        wir_tpl_set_valuef(e, "SUMMARY", "Decode %s tokens/s (measured%s).",
                           wir_fmt_num(n, sizeof n, tg),
                           r->unreviewed_db ? " locally, not reviewed" : "");
        wir_tpl_set_value(e, "AUTHOR", r->source_submitter ? r->source_submitter : "willitrun");
    }
    return wir_render_expand(s, "feed.tpl", root, out, error);
}

static int wir_dump(json_t *j, wir_buf *out, char **error) {
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!text) {
        *error = strdup("cannot serialize JSON");
        return -1;
    }
    wir_buf_puts(out, text);
    wir_buf_puts(out, "\n");
    free(text);
    return 0;
}

static json_t *wir_jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static json_t *wir_jstr(const char *s) { return s ? json_string(s) : json_null(); }

int wir_page_api_catalog(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    (void)it;
    const wir_catalog *c = s->c;
    json_t *root = json_object(), *gpus = json_array(), *models = json_array(), *quants = json_array();
    for (size_t i = 0; i < c->n_gpus; i++) {
        const wir_gpu *g = &c->gpus[i];
        json_array_append_new(gpus, json_pack("{s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:s}",
            "slug", g->slug, "name", g->name, "segment", g->segment ? g->segment : "",
            "memory_bytes", (json_int_t)g->memory_bytes,
            "memory_bandwidth_gb_s", wir_jnum(g->memory_bandwidth_gb_s),
            "fp16_tensor_tflops", wir_jnum(g->fp16_tensor_tflops),
            "board_power_w", wir_jnum(g->board_power_w),
            "street_price_usd", wir_jnum(g->street_price_usd),
            "release_date", wir_jstr(g->release_date), "url", ""));
        json_object_set_new(json_array_get(gpus, i), "url",
                            json_sprintf("/hardware/%s/", g->slug));
    }
    for (size_t i = 0; i < c->n_models; i++) {
        const wir_model *m = &c->models[i];
        json_t *jm = json_pack("{s:s,s:s,s:o,s:I,s:I,s:i,s:o}", "slug", m->slug, "name", m->name,
                               "family", wir_jstr(m->family), "params", (json_int_t)m->params,
                               "context_length", (json_int_t)m->context_length, "n_layers",
                               (int)m->n_layers, "hf_repo", wir_jstr(m->hf_repo));
        json_t *files = json_object();
        for (size_t f = 0; f < s->n_ftypes; f++) {
            const wir_weights *w = wir_render_weights(s, m, s->ftypes[f]);
            if (w) json_object_set_new(files, s->ftypes[f]->slug, json_integer(w->file_bytes));
        }
        json_object_set_new(jm, "file_bytes", files);
        json_object_set_new(jm, "url", json_sprintf("/models/%s/", m->slug));
        json_array_append_new(models, jm);
    }
    for (size_t f = 0; f < s->n_ftypes; f++)
        json_array_append_new(quants, json_pack("{s:s,s:s}", "slug", s->ftypes[f]->slug, "name",
                                                s->ftypes[f]->name));
    json_object_set_new(root, "gpus", gpus);
    json_object_set_new(root, "models", models);
    json_object_set_new(root, "quants", quants);
    json_object_set_new(root, "built", json_string(s->build_date));
    json_object_set_new(root, "measured_runs", json_integer((json_int_t)c->n_runs));
    return wir_dump(root, out, error);
}

int wir_page_api_tool(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error) {
    const wir_catalog *c = s->c;
    const wir_model *m = &c->models[it->a];
    json_t *root = json_object(), *cells = json_array();
    json_object_set_new(root, "model", json_string(m->slug));
    json_object_set_new(root, "model_name", json_string(m->name));
    json_object_set_new(root, "context_length", json_integer(m->context_length));
    json_t *q = json_array(), *x = json_array(), *n = json_array(), *g = json_array();
    for (size_t f = 0; f < s->n_ftypes; f++) json_array_append_new(q, json_string(s->ftypes[f]->name));
    for (size_t k = 0; k < wir_render_n_ctxs; k++) json_array_append_new(x, json_integer(wir_render_ctxs[k]));
    for (size_t k = 0; k < wir_render_n_counts; k++) json_array_append_new(n, json_integer(wir_render_counts[k]));
    for (size_t k = 0; k < c->n_gpus; k++) json_array_append_new(g, json_string(c->gpus[k].slug));
    json_object_set_new(root, "quants", q);
    json_object_set_new(root, "ctxs", x);
    json_object_set_new(root, "counts", n);
    json_object_set_new(root, "gpus", g);
    json_object_set_new(root, "tiers", json_pack("[ssss]", "runs", "tight", "partial", "no"));
    json_object_set_new(root, "order", json_string("quant, gpu, count, ctx"));
    json_object_set_new(root, "cell",
                        json_string("[tier index, MiB needed on the tightest device, decode tokens/s x 10 "
                                    "(-1 unknown), GPU layers, of layers, 1 when measured]"));
    /* cells[((q * n_gpus + g) * n_counts + k) * n_ctxs + x] */
    for (size_t f = 0; f < s->n_ftypes; f++) {
        const wir_weights *w = wir_render_weights(s, m, s->ftypes[f]);
        for (size_t gi = 0; gi < c->n_gpus; gi++)
            for (size_t k = 0; k < wir_render_n_counts; k++)
                for (size_t xi = 0; xi < wir_render_n_ctxs; xi++) {
                    wir_fit fit;
                    wir_fit_request rq;
                    wir_render_request(s, &rq, m, s->ftypes[f], &c->gpus[gi], wir_render_counts[k],
                                       wir_render_ctxs[xi]);
                    if (!w || wir_render_ctxs[xi] > m->context_length ||
                        wir_fit_evaluate(c, &rq, w, &fit) != 0) {
                        json_array_append_new(cells, json_null());
                        continue;
                    }
                    wir_speed sp;
                    double tg = NAN;
                    if (fit.tier != WIR_TIER_NO) {
                        rq.n_gpu_layers = fit.n_gpu_layers;
                        tg = wir_render_decode(s, &rq, w, &fit.mem, 0, &sp);
                    }
                    json_array_append_new(cells, json_pack("[iIIiii]", (int)fit.tier,
                        (json_int_t)((fit.need_bytes + 1048575) / 1048576),
                        (json_int_t)(isfinite(tg) ? llround(tg * 10) : -1), (int)fit.n_gpu_layers,
                        (int)fit.n_layers_total,
                        isfinite(tg) && sp.decode_label.kind == WIR_LABEL_MEASURED ? 1 : 0));
                }
    }
    json_object_set_new(root, "cells", cells);
    return wir_dump(root, out, error);
}
