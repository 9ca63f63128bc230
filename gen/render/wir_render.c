#define _XOPEN_SOURCE 700
/* wir_render: planning the site, the layout every page shares, and the
 * formatting helpers. See wir_render.h. */
#include "wir_render_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "wir_fs.h"
#include "wir_md.h"

const int64_t wir_render_ctxs[] = {2048, 4096, 8192, 16384, 32768, 65536, 131072};
const size_t wir_render_n_ctxs = sizeof wir_render_ctxs / sizeof wir_render_ctxs[0];
const int32_t wir_render_counts[] = {1, 2, 4};
const size_t wir_render_n_counts = sizeof wir_render_counts / sizeof wir_render_counts[0];

/* The llama.cpp file types people download most, best first: the tables
 * show these (when the catalog has them) rather than all thirty. */
static const char *const wir_render_common_ftypes[] = {
    "f16", "q8-0", "q6-k", "q5-k-m", "q4-k-m", "iq4-xs", "q3-k-m", "q2-k", "iq2-xs", NULL};

static char *wir_render_strdup(const char *s) {
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

static void wir_render_add(wir_render_site *s, wir_item_kind kind, size_t a, size_t b,
                           int32_t count, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void wir_render_add(wir_render_site *s, wir_item_kind kind, size_t a, size_t b,
                           int32_t count, const char *fmt, ...) {
    if (s->n_items == s->cap_items) {
        s->cap_items = s->cap_items ? s->cap_items * 2 : 256;
        wir_item *p = realloc(s->items, s->cap_items * sizeof *p);
        if (!p) abort();
        s->items = p;
    }
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    s->items[s->n_items++] = (wir_item){kind, a, b, count, wir_render_strdup(path)};
}

void wir_render_fit_slug(char *out, size_t size, const char *gpu_slug, int32_t count) {
    if (count > 1) snprintf(out, size, "%s-x%d", gpu_slug, (int)count);
    else snprintf(out, size, "%s", gpu_slug);
}

/* ---- assets and dates -------------------------------------------------- */

static void wir_render_load_assets(wir_render_site *s, const char *dir, wir_diag_list *diags) {
    char *adir = wir_fs_join(dir, "assets");
    size_t n;
    char **names = wir_fs_list(adir, &n);
    if (!names) {
        free(adir);
        return;
    }
    s->assets = calloc(n ? n : 1, sizeof *s->assets);
    if (!s->assets) abort();
    for (size_t i = 0; i < n; i++) {
        char *path = wir_fs_join(adir, names[i]);
        size_t len;
        char *data = wir_fs_read_file(path, &len);
        if (!data) wir_diag_add(diags, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        else s->assets[s->n_assets++] = (wir_asset){wir_render_strdup(names[i]), data, len};
        free(path);
    }
    wir_fs_list_free(names, n);
    free(adir);
}

static void wir_render_newer(char *best, const char *date) {
    if (date && strlen(date) >= 10 && strncmp(date, best, 10) > 0) snprintf(best, 11, "%.10s", date);
}

/* The build's date: given, SOURCE_DATE_EPOCH, or the newest date in the
 * data, never the clock, so the same inputs give the same bytes. */
static void wir_render_build_date(wir_render_site *s, const wir_render_options *opt) {
    if (opt->build_date) {
        snprintf(s->build_date, sizeof s->build_date, "%.10s", opt->build_date);
        return;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        time_t t = (time_t)strtoll(epoch, NULL, 10);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(s->build_date, sizeof s->build_date, "%Y-%m-%d", &tm);
        return;
    }
    char best[16] = "2000-01-01";
    const wir_catalog *c = s->c;
    for (size_t i = 0; i < c->n_gpus; i++) wir_render_newer(best, c->gpus[i].street_price_date);
    for (size_t i = 0; i < c->n_cloud; i++) wir_render_newer(best, c->cloud[i].observed);
    for (size_t i = 0; i < c->n_runs; i++) wir_render_newer(best, c->runs[i].source_accessed);
    for (size_t i = 0; i < s->ct->n_verdicts; i++) wir_render_newer(best, s->ct->verdicts[i].date);
    for (size_t i = 0; i < s->ct->n_pages; i++) wir_render_newer(best, s->ct->pages[i].date);
    snprintf(s->build_date, sizeof s->build_date, "%s", best);
}

/* ---- engine set-up ----------------------------------------------------- */

static double wir_render_bits(const wir_ftype *ft) {
    const wir_ggml_type *t = ft->default_type;
    return t && t->block_size > 0 ? 8.0 * t->type_size / t->block_size : 0;
}

static int wir_render_ftype_compare(const void *pa, const void *pb) {
    const wir_ftype *a = *(const wir_ftype *const *)pa, *b = *(const wir_ftype *const *)pb;
    double x = wir_render_bits(a), y = wir_render_bits(b);
    if (x != y) return x > y ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

static void wir_render_engine(wir_render_site *s) {
    const wir_catalog *c = s->c;
    s->runtime = wir_catalog_find_runtime(c, "llama-cpp");
    if (!s->runtime && c->n_runtimes) s->runtime = &c->runtimes[0];
    wir_calibration_default(&s->cal);
    if (c->n_runs) wir_speed_calibrate(c, &s->cal);

    s->ftypes = calloc(c->n_ftypes ? c->n_ftypes : 1, sizeof *s->ftypes);
    if (!s->ftypes) abort();
    for (size_t i = 0; wir_render_common_ftypes[i]; i++) {
        const wir_ftype *ft = wir_catalog_find_ftype(c, wir_render_common_ftypes[i]);
        if (ft) s->ftypes[s->n_ftypes++] = ft;
    }
    if (s->n_ftypes == 0)
        for (size_t i = 0; i < c->n_ftypes; i++) s->ftypes[s->n_ftypes++] = &c->ftypes[i];
    qsort(s->ftypes, s->n_ftypes, sizeof *s->ftypes, wir_render_ftype_compare);

    size_t n = c->n_models * c->n_ftypes;
    s->weights = calloc(n ? n : 1, sizeof *s->weights);
    s->weights_ok = calloc(n ? n : 1, sizeof *s->weights_ok);
    if (!s->weights || !s->weights_ok) abort();
    for (size_t m = 0; m < c->n_models; m++)
        for (size_t f = 0; f < s->n_ftypes; f++) {
            size_t fi = (size_t)(s->ftypes[f] - c->ftypes);
            size_t k = m * c->n_ftypes + fi;
            s->weights_ok[k] = wir_weights_of(c, &c->models[m], s->ftypes[f], &s->weights[k]) == 0;
        }
}

const wir_weights *wir_render_weights(const wir_render_site *s, const wir_model *m,
                                      const wir_ftype *ft) {
    size_t k = (size_t)(m - s->c->models) * s->c->n_ftypes + (size_t)(ft - s->c->ftypes);
    return s->weights_ok[k] ? &s->weights[k] : NULL;
}

/* ---- the plan ---------------------------------------------------------- */

static int wir_render_gpu_price_compare(const void *pa, const void *pb) {
    const wir_gpu *a = *(const wir_gpu *const *)pa, *b = *(const wir_gpu *const *)pb;
    int seg = strcmp(a->segment ? a->segment : "", b->segment ? b->segment : "");
    if (seg) return seg;
    bool ha = isfinite(a->street_price_usd), hb = isfinite(b->street_price_usd);
    if (ha != hb) return ha ? -1 : 1; /* unpriced last, and never paired */
    if (ha && a->street_price_usd != b->street_price_usd)
        return a->street_price_usd < b->street_price_usd ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

static void wir_render_plan_items(wir_render_site *s) {
    const wir_catalog *c = s->c;
    const wir_content *ct = s->ct;
    wir_render_add(s, WIR_ITEM_HOME, 0, 0, 1, "index.html");
    wir_render_add(s, WIR_ITEM_MODELS, 0, 0, 1, "models/index.html");
    wir_render_add(s, WIR_ITEM_HARDWARE, 0, 0, 1, "hardware/index.html");
    wir_render_add(s, WIR_ITEM_RUNS, 0, 0, 1, "runs/index.html");
    wir_render_add(s, WIR_ITEM_METHODOLOGY, 0, 0, 1, "methodology/index.html");
    wir_render_add(s, WIR_ITEM_TOOL, 0, 0, 1, "tool/index.html");
    wir_render_add(s, WIR_ITEM_NOT_FOUND, 0, 0, 1, "404.html");
    wir_render_add(s, WIR_ITEM_SITEMAP, 0, 0, 1, "sitemap.xml");
    wir_render_add(s, WIR_ITEM_FEED, 0, 0, 1, "feed.xml");
    wir_render_add(s, WIR_ITEM_API_CATALOG, 0, 0, 1, "api/catalog.json");
    for (size_t m = 0; m < c->n_models; m++) {
        const char *ms = c->models[m].slug;
        wir_render_add(s, WIR_ITEM_MODEL, m, 0, 1, "models/%s/index.html", ms);
        wir_render_add(s, WIR_ITEM_CHOOSE, m, 0, 1, "choose/%s/index.html", ms);
        wir_render_add(s, WIR_ITEM_API_TOOL, m, 0, 1, "api/tool/%s.json", ms);
        for (size_t g = 0; g < c->n_gpus; g++) {
            const char *gs = c->gpus[g].slug;
            wir_render_add(s, WIR_ITEM_FIT, m, g, 1, "will-it-run/%s/%s/index.html", ms, gs);
            wir_render_add(s, WIR_ITEM_COST, m, g, 1, "cost/%s/%s/index.html", ms, gs);
        }
    }
    /* Multi-GPU pairings get a page where an editor wrote a verdict. */
    for (size_t i = 0; i < ct->n_verdicts; i++) {
        const wir_verdict *v = &ct->verdicts[i];
        if (v->gpu_count > 1 && v->model && v->gpu)
            wir_render_add(s, WIR_ITEM_FIT, (size_t)(v->model - c->models), (size_t)(v->gpu - c->gpus),
                           v->gpu_count, "will-it-run/%s/%s-x%d/index.html", v->model->slug,
                           v->gpu->slug, (int)v->gpu_count);
    }
    for (size_t g = 0; g < c->n_gpus; g++)
        wir_render_add(s, WIR_ITEM_GPU, g, 0, 1, "hardware/%s/index.html", c->gpus[g].slug);
    /* Compare pages: each GPU against the next dearer one of its segment,
     * the choice buyers actually weigh. */
    const wir_gpu **by = calloc(c->n_gpus ? c->n_gpus : 1, sizeof *by);
    if (!by) abort();
    for (size_t g = 0; g < c->n_gpus; g++) by[g] = &c->gpus[g];
    qsort(by, c->n_gpus, sizeof *by, wir_render_gpu_price_compare);
    for (size_t g = 0; g + 1 < c->n_gpus; g++) {
        if (strcmp(by[g]->segment ? by[g]->segment : "", by[g + 1]->segment ? by[g + 1]->segment : "") ||
            !isfinite(by[g]->street_price_usd) || !isfinite(by[g + 1]->street_price_usd))
            continue;
        wir_render_add(s, WIR_ITEM_COMPARE, (size_t)(by[g] - c->gpus), (size_t)(by[g + 1] - c->gpus), 1,
                       "compare/%s-vs-%s/index.html", by[g]->slug, by[g + 1]->slug);
    }
    free(by);
    for (size_t r = 0; r < c->n_runs; r++)
        wir_render_add(s, WIR_ITEM_RUN, r, 0, 1, "runs/%s/index.html", c->runs[r].id);
    for (size_t p = 0; p < ct->n_pages; p++)
        wir_render_add(s, WIR_ITEM_PAGE, p, 0, 1, "%s/index.html", ct->pages[p].slug);
    for (size_t a = 0; a < s->n_assets; a++)
        wir_render_add(s, WIR_ITEM_ASSET, a, 0, 1, "assets/%s", s->assets[a].name);
}

wir_render_site *wir_render_plan(const wir_catalog *c, const wir_content *ct,
                                 const wir_render_options *opt, wir_diag_list *diags) {
    size_t before = diags->count;
    wir_render_site *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->c = c;
    s->ct = ct;
    s->results_db = opt->results_db ? wir_render_strdup(opt->results_db) : NULL;
    s->n_unreviewed = opt->n_unreviewed;
    if (opt->base_url) {
        snprintf(s->base_url, sizeof s->base_url, "%s", opt->base_url);
        size_t n = strlen(s->base_url);
        while (n && s->base_url[n - 1] == '/') s->base_url[--n] = '\0';
    }
    const char *tdir = opt->templates_dir ? opt->templates_dir : "templates";
    s->tpl = wir_tpl_set_load(tdir, diags);
    wir_render_load_assets(s, tdir, diags);
    const char *meth = opt->methodology ? opt->methodology : "docs/methodology.md";
    char *md = wir_fs_read_file(meth, NULL);
    if (md) {
        wir_buf html = WIR_BUF_INIT;
        wir_md_render(md, &html);
        s->methodology_html = wir_buf_take(&html);
        free(md);
    } else if (opt->methodology) {
        wir_diag_add(diags, meth, 0, 0, NULL, "cannot read: %s", strerror(errno));
    }
    /* Every template the page builders expand must be there, so a missing
     * one fails here, named, not halfway through rendering. */
    static const char *const required[] = {
        "layout.tpl", "home.tpl", "models.tpl", "model.tpl", "hardware.tpl", "gpu.tpl",
        "fit.tpl", "cost.tpl", "compare.tpl", "choose.tpl", "runs.tpl", "run.tpl", "page.tpl",
        "tool.tpl", "notfound.tpl", "sitemap.tpl", "feed.tpl", NULL};
    for (size_t i = 0; s->tpl && required[i]; i++)
        if (!wir_tpl_set_has(s->tpl, required[i])) {
            char *path = wir_fs_join(tdir, required[i]);
            wir_diag_add(diags, path, 0, 0, NULL, "missing: gen build renders pages with it");
            free(path);
        }
    wir_render_build_date(s, opt);
    if (diags->count != before) {
        wir_render_free(s);
        return NULL;
    }
    if (!c->n_runtimes) {
        wir_diag_add(diags, c->data_dir, 0, 0, NULL,
                     "no runtime profile in runtimes/: the engine cannot size anything");
        wir_render_free(s);
        return NULL;
    }
    wir_render_engine(s);
    wir_render_plan_items(s);
    return s;
}

void wir_render_free(wir_render_site *s) {
    if (!s) return;
    wir_tpl_set_free(s->tpl);
    for (size_t i = 0; i < s->n_items; i++) free(s->items[i].path);
    free(s->items);
    free(s->results_db);
    for (size_t i = 0; i < s->n_assets; i++) {
        free(s->assets[i].name);
        free(s->assets[i].data);
    }
    free(s->assets);
    free(s->methodology_html);
    free(s->weights);
    free(s->weights_ok);
    free(s->ftypes);
    free(s);
}

size_t wir_render_count(const wir_render_site *s) { return s->n_items; }

size_t wir_render_count_kind(const wir_render_site *s, wir_item_kind kind) {
    size_t n = 0;
    for (size_t i = 0; i < s->n_items; i++) n += s->items[i].kind == kind;
    return n;
}

const char *wir_render_kind_name(wir_item_kind kind) {
    static const char *const names[] = {
        "home", "models index", "model", "hardware index", "GPU", "will-it-run", "cost",
        "compare", "choose-my-GPU", "runs index", "run", "methodology", "page", "tool", "404",
        "sitemap", "feed", "API catalog", "API tool table", "asset"};
    return names[kind];
}

int wir_render_item(void *ctx, size_t i, wir_buf *out, char **path, char **error) {
    const wir_render_site *s = ctx;
    const wir_item *it = &s->items[i];
    *path = wir_render_strdup(it->path);
    switch (it->kind) {
    case WIR_ITEM_HOME: return wir_page_home(s, it, out, error);
    case WIR_ITEM_MODELS: return wir_page_models(s, it, out, error);
    case WIR_ITEM_MODEL: return wir_page_model(s, it, out, error);
    case WIR_ITEM_HARDWARE: return wir_page_hardware(s, it, out, error);
    case WIR_ITEM_GPU: return wir_page_gpu(s, it, out, error);
    case WIR_ITEM_FIT: return wir_page_fit(s, it, out, error);
    case WIR_ITEM_COST: return wir_page_cost(s, it, out, error);
    case WIR_ITEM_COMPARE: return wir_page_compare(s, it, out, error);
    case WIR_ITEM_CHOOSE: return wir_page_choose(s, it, out, error);
    case WIR_ITEM_RUNS: return wir_page_runs(s, it, out, error);
    case WIR_ITEM_RUN: return wir_page_run(s, it, out, error);
    case WIR_ITEM_METHODOLOGY: return wir_page_methodology(s, it, out, error);
    case WIR_ITEM_PAGE: return wir_page_free(s, it, out, error);
    case WIR_ITEM_TOOL: return wir_page_tool(s, it, out, error);
    case WIR_ITEM_NOT_FOUND: return wir_page_not_found(s, it, out, error);
    case WIR_ITEM_SITEMAP: return wir_page_sitemap(s, it, out, error);
    case WIR_ITEM_FEED: return wir_page_feed(s, it, out, error);
    case WIR_ITEM_API_CATALOG: return wir_page_api_catalog(s, it, out, error);
    case WIR_ITEM_API_TOOL: return wir_page_api_tool(s, it, out, error);
    case WIR_ITEM_ASSET:
        wir_buf_append(out, s->assets[it->a].data, s->assets[it->a].len);
        return 0;
    }
    *error = wir_render_strdup("unknown page kind");
    return -1;
}

/* ---- layout ------------------------------------------------------------ */

wir_tpl_dict *wir_render_layout(const wir_render_site *s, wir_tpl_dict *root, const char *main_tpl,
                                const char *title, const char *description, const char *url) {
    wir_tpl_set_value(root, "TITLE", title);
    wir_tpl_set_value(root, "DESCRIPTION", description);
    wir_tpl_set_value(root, "URL", url);
    wir_tpl_set_value(root, "BUILD_DATE", s->build_date);
    if (!s->c->n_runs) wir_tpl_show(root, "NO_RUNS");
    if (!s->results_db) {
        wir_tpl_show(root, "NO_DB");
    } else {
        wir_tpl_dict *db = wir_tpl_add_section(root, "WITH_DB");
        wir_tpl_set_value(db, "DB_NAME", s->results_db);
        if (s->n_unreviewed)
            wir_tpl_set_valuef(wir_tpl_add_section(db, "WITH_LOCAL"), "LOCAL_RUNS",
                               s->n_unreviewed == 1 ? "%zu local run from it is"
                                                    : "%zu local runs from it are",
                               s->n_unreviewed);
    }
    static const struct { const char *prefix, *key; } nav[] = {
        {"/models/", "NAV_MODELS"}, {"/hardware/", "NAV_HARDWARE"}, {"/tool/", "NAV_TOOL"},
        {"/runs/", "NAV_RUNS"}, {"/methodology/", "NAV_METHODOLOGY"}};
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
        if (!strncmp(url, nav[i].prefix, strlen(nav[i].prefix))) wir_tpl_show(root, nav[i].key);
    return wir_tpl_add_include(root, "MAIN", main_tpl);
}

int wir_render_expand(const wir_render_site *s, const char *tpl, wir_tpl_dict *root, wir_buf *out,
                      char **error) {
    int rc = wir_tpl_expand(s->tpl, tpl, root, out, error);
    wir_tpl_dict_free(root);
    return rc;
}

int wir_render_finish(const wir_render_site *s, wir_tpl_dict *root, wir_buf *out, char **error) {
    return wir_render_expand(s, "layout.tpl", root, out, error);
}

/* ---- formatting -------------------------------------------------------- */

char *wir_fmt_num(char *out, size_t size, double v) {
    if (!isfinite(v)) snprintf(out, size, "—");
    else if (fabs(v) >= 100) snprintf(out, size, "%.0f", v);
    else if (fabs(v) >= 10) snprintf(out, size, "%.1f", v);
    else snprintf(out, size, "%.2f", v);
    return out;
}

char *wir_fmt_gib(char *out, size_t size, int64_t bytes) {
    char n[32];
    snprintf(out, size, "%s GiB", wir_fmt_num(n, sizeof n, (double)bytes / 1073741824.0));
    return out;
}

char *wir_fmt_int(char *out, size_t size, int64_t v) {
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(digits), k = 0;
    char tmp[48];
    if (v < 0) tmp[k++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) tmp[k++] = ',';
        tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    snprintf(out, size, "%s", tmp);
    return out;
}

char *wir_fmt_usd(char *out, size_t size, double usd) {
    if (!isfinite(usd)) {
        snprintf(out, size, "—");
    } else if (fabs(usd) >= 100) {
        char n[48];
        snprintf(out, size, "$%s", wir_fmt_int(n, sizeof n, (int64_t)llround(usd)));
    } else {
        snprintf(out, size, "$%.2f", usd);
    }
    return out;
}

char *wir_fmt_ctx(char *out, size_t size, int64_t tokens) {
    if (tokens >= 1024 && tokens % 1024 == 0) snprintf(out, size, "%lldK", (long long)(tokens / 1024));
    else wir_fmt_int(out, size, tokens);
    return out;
}

char *wir_fmt_params(char *out, size_t size, int64_t params) {
    char n[32];
    if (params >= 1000000000) snprintf(out, size, "%s B", wir_fmt_num(n, sizeof n, params / 1e9));
    else snprintf(out, size, "%s M", wir_fmt_num(n, sizeof n, params / 1e6));
    return out;
}

const char *wir_render_tier_slug(wir_tier t) { return wir_tier_slug(t); }

const char *wir_render_tier_text(wir_tier t) {
    switch (t) {
    case WIR_TIER_RUNS: return "Runs";
    case WIR_TIER_TIGHT: return "Tight";
    case WIR_TIER_PARTIAL: return "Partial offload";
    case WIR_TIER_NO: return "Won't run";
    }
    return "?";
}

wir_tier wir_render_tier_of(const char *v) {
    if (!v) return WIR_TIER_NO;
    if (!strcmp(v, "runs")) return WIR_TIER_RUNS;
    if (!strcmp(v, "tight")) return WIR_TIER_TIGHT;
    if (!strcmp(v, "partial")) return WIR_TIER_PARTIAL;
    return WIR_TIER_NO;
}

void wir_render_links(wir_tpl_dict *d, const char *section, const wir_link *l, size_t n) {
    for (size_t i = 0; i < n; i++) {
        wir_tpl_dict *x = wir_tpl_add_section(d, section);
        wir_tpl_set_value(x, "TITLE", l[i].title);
        wir_tpl_set_value(x, "URL", l[i].url);
    }
}

/* ---- engine helpers ---------------------------------------------------- */

void wir_render_request(const wir_render_site *s, wir_fit_request *rq, const wir_model *m,
                        const wir_ftype *ft, const wir_gpu *g, int32_t count, int64_t ctx) {
    wir_fit_request_init(rq);
    rq->model = m;
    rq->ftype = ft;
    rq->runtime = s->runtime;
    rq->gpu = g;
    rq->gpu_count = count;
    rq->ctx = ctx;
}

const wir_ftype *wir_render_headline(const wir_render_site *s, const wir_model *m,
                                     const wir_gpu *g, int32_t count, int64_t ctx, wir_fit *fit) {
    if (ctx > m->context_length && m->context_length > 0) ctx = m->context_length;
    wir_fit_request rq;
    /* Best of the shown file types that fits entirely on the GPU(s). */
    for (size_t f = 0; f < s->n_ftypes; f++) {
        const wir_weights *w = wir_render_weights(s, m, s->ftypes[f]);
        if (!w) continue;
        wir_render_request(s, &rq, m, s->ftypes[f], g, count, ctx);
        if (wir_fit_evaluate(s->c, &rq, w, fit) == 0 && fit->tier <= WIR_TIER_TIGHT)
            return s->ftypes[f];
    }
    /* Else the common 4-bit mix, partly offloaded (or not at all). */
    const wir_ftype *ft = wir_catalog_find_ftype(s->c, "q4-k-m");
    if (!ft || !wir_render_weights(s, m, ft)) ft = s->n_ftypes ? s->ftypes[s->n_ftypes - 1] : NULL;
    if (!ft || !wir_render_weights(s, m, ft)) return NULL;
    wir_render_request(s, &rq, m, ft, g, count, ctx);
    if (wir_fit_evaluate(s->c, &rq, wir_render_weights(s, m, ft), fit) != 0) return NULL;
    return ft;
}

const wir_ftype *wir_render_answer(const wir_render_site *s, const wir_model *m, const wir_gpu *g,
                                   int32_t count, int64_t ctx, wir_answer *a) {
    memset(a, 0, sizeof *a);
    a->tg = NAN;
    a->ctx = ctx > m->context_length && m->context_length > 0 ? m->context_length : ctx;
    a->ft = wir_render_headline(s, m, g, count, a->ctx, &a->fit);
    if (!a->ft) return NULL;
    wir_render_request(s, &a->rq, m, a->ft, g, count, a->ctx);
    a->rq.n_gpu_layers = a->fit.n_gpu_layers;
    if (a->fit.tier != WIR_TIER_NO)
        a->tg = wir_render_decode(s, &a->rq, wir_render_weights(s, m, a->ft), &a->fit.mem, 0, &a->sp);
    return a->ft;
}

void wir_render_answer_row(wir_tpl_dict *row, const wir_answer *a) {
    char n[64];
    wir_tpl_set_value(row, "TIER", a->ft ? wir_render_tier_slug(a->fit.tier) : "no");
    wir_tpl_set_value(row, "TIER_TEXT", a->ft ? wir_render_tier_text(a->fit.tier) : "Unknown");
    wir_tpl_set_value(row, "QUANT", a->ft ? a->ft->name : "—");
    wir_tpl_set_value(row, "TG", wir_fmt_num(n, sizeof n, a->tg));
    if (isfinite(a->tg))
        wir_tpl_set_value(row, "TG_KIND",
                          a->sp.decode_label.kind == WIR_LABEL_MEASURED ? "measured" : "estimated");
}

double wir_render_decode(const wir_render_site *s, const wir_fit_request *rq,
                         const wir_weights *w, const wir_memory *mem, int32_t depth,
                         wir_speed *out) {
    if (wir_speed_estimate(s->c, &s->cal, rq, w, mem, depth, 512, out) != 0) return NAN;
    return out->decode_tokens_per_s;
}

void wir_render_probe_command(char *out, size_t size, const wir_model *m, const wir_ftype *ft,
                              const wir_gpu *g, int32_t count, int64_t ctx) {
    /* probe run (probe/cmd_run.c) measures a catalog model in a llama.cpp
     * file type as llama-bench does: pp512 and tg128, here also at the
     * page's context depth. Its GPU backend is CUDA; on other hardware it
     * measures the CPU, and the command says so. */
    const char *backend = g && g->vendor == WIR_VENDOR_NVIDIA ? "cuda" : "cpu";
    char depth[64] = "0";
    if (ctx > 512) snprintf(depth, sizeof depth, "0,%lld", (long long)(ctx - 512));
    snprintf(out, size, "probe run --model %s --quant %s --backend %s --pp 512 --tg 128 --depth %s%s",
             m->slug, ft ? ft->name : "Q4_K_M", backend, depth,
             !g ? "" : g->vendor != WIR_VENDOR_NVIDIA ? "   # the probe has no backend for this GPU yet: CPU only"
                  : count > 1 ? "   # the probe measures one GPU (--device I)" : "");
}
