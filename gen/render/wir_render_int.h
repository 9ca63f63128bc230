/* Private to gen/render: the planned site and the helpers page builders
 * share (layout, formatting, URLs). */
#ifndef WIR_RENDER_INT_H
#define WIR_RENDER_INT_H

#include "wir_cost.h"
#include "wir_fit.h"
#include "wir_memory.h"
#include "wir_render.h"
#include "wir_speed.h"

/* The contexts the site tabulates, and the one a headline is judged at. */
#define WIR_RENDER_CTX_DEFAULT 8192
extern const int64_t wir_render_ctxs[];
extern const size_t wir_render_n_ctxs;
/* GPU counts the interactive tool offers. */
extern const int32_t wir_render_counts[];
extern const size_t wir_render_n_counts;

struct wir_render_site {
    const wir_catalog *c;
    const wir_content *ct;
    wir_tpl_set *tpl;
    wir_item *items;
    size_t n_items, cap_items;
    wir_asset *assets;
    size_t n_assets;
    char *methodology_html;     /* NULL when there is no methodology file */
    char build_date[16];
    char base_url[256];         /* without a trailing slash; "" when none */
    char *results_db;          /* owned; NULL when no --db was read */
    size_t n_unreviewed;
    const wir_runtime *runtime; /* llama-cpp: what the site's figures assume */
    wir_calibration cal;
    /* weights[m * n_ftypes + f]; ok[] false when the engine could not
     * size that model in that file type. */
    wir_weights *weights;
    bool *weights_ok;
    /* File types the tables and the tool show, most bits first. */
    const wir_ftype **ftypes;
    size_t n_ftypes;
};

const wir_weights *wir_render_weights(const wir_render_site *s, const wir_model *m,
                                      const wir_ftype *ft);

/* The layout with page template main_tpl included as MAIN; returns the
 * include's dictionary for the page's own values. root is the caller's. */
wir_tpl_dict *wir_render_layout(const wir_render_site *s, wir_tpl_dict *root, const char *main_tpl,
                                const char *title, const char *description, const char *url);
/* Expands the layout; frees root. */
int wir_render_finish(const wir_render_site *s, wir_tpl_dict *root, wir_buf *out, char **error);
/* Expands template tpl (a non-HTML page: XML, JSON); frees root. */
int wir_render_expand(const wir_render_site *s, const char *tpl, wir_tpl_dict *root, wir_buf *out,
                      char **error);

/* Formatting (into a caller's buffer; returns it). */
char *wir_fmt_gib(char *out, size_t size, int64_t bytes);       /* "4.92 GiB" */
char *wir_fmt_num(char *out, size_t size, double v);            /* 3 significant digits */
char *wir_fmt_usd(char *out, size_t size, double usd);          /* "$1,599" / "$0.42" */
char *wir_fmt_int(char *out, size_t size, int64_t v);           /* "131,072" */
char *wir_fmt_ctx(char *out, size_t size, int64_t tokens);      /* "128K" */
char *wir_fmt_params(char *out, size_t size, int64_t params);   /* "8.03 B" */

/* Tiers as the site writes them. */
const char *wir_render_tier_slug(wir_tier t);  /* runs tight partial no */
const char *wir_render_tier_text(wir_tier t);  /* "Runs", "Tight", … */
/* A verdict file's tier ("wont-run") as the engine's. */
wir_tier wir_render_tier_of(const char *verdict_tier);

/* The request the site judges by default: runtime llama.cpp, f16 cache. */
void wir_render_request(const wir_render_site *s, wir_fit_request *rq, const wir_model *m,
                        const wir_ftype *ft, const wir_gpu *g, int32_t count, int64_t ctx);

/* The headline answer for a pairing: the best file type that fits
 * entirely (TIGHT or better) at ctx, else Q4_K_M (or the first file type)
 * with partial offload. Fills fit; returns the file type, NULL when the
 * engine cannot judge it. */
const wir_ftype *wir_render_headline(const wir_render_site *s, const wir_model *m,
                                     const wir_gpu *g, int32_t count, int64_t ctx, wir_fit *fit);

/* The headline answer with its speed: what most tables show per pairing. */
typedef struct wir_answer {
    const wir_ftype *ft;   /* NULL when the engine cannot judge the pairing */
    int64_t ctx;           /* the context judged (the model's, when shorter) */
    wir_fit fit;
    wir_fit_request rq;    /* as judged, n_gpu_layers set */
    wir_speed sp;
    double tg;             /* decode tokens/s at depth 0; NAN when it won't run */
} wir_answer;

/* Fills a for m on count × g at ctx (wir_render_headline, then the speed of
 * that placement); returns a->ft. */
const wir_ftype *wir_render_answer(const wir_render_site *s, const wir_model *m, const wir_gpu *g,
                                   int32_t count, int64_t ctx, wir_answer *a);
/* Sets TIER, TIER_TEXT, QUANT, TG and TG_KIND of a table row from a. */
void wir_render_answer_row(wir_tpl_dict *row, const wir_answer *a);

/* Decode tokens/s of a judged placement (NAN when unknown), with its label. */
double wir_render_decode(const wir_render_site *s, const wir_fit_request *rq,
                         const wir_weights *w, const wir_memory *mem, int32_t depth,
                         wir_speed *out);

/* The command that reproduces a measurement of this pairing. */
void wir_render_probe_command(char *out, size_t size, const wir_model *m, const wir_ftype *ft,
                              const wir_gpu *g, int32_t count, int64_t ctx);

/* Output paths and URLs. */
void wir_render_fit_slug(char *out, size_t size, const char *gpu_slug, int32_t count);
/* Sets {{NAME}} to a link list section helper: adds "SOURCES" sections. */
void wir_render_links(wir_tpl_dict *d, const char *section, const wir_link *l, size_t n);

/* The page builders (wir_pages_*.c). */
int wir_page_home(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_models(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_model(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_hardware(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_gpu(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_fit(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_cost(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_compare(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_choose(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_runs(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_run(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_methodology(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_free(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_tool(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_not_found(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_sitemap(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_feed(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_api_catalog(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);
int wir_page_api_tool(const wir_render_site *s, const wir_item *it, wir_buf *out, char **error);

#endif
