/* wir_render: the site's pages, from the catalog, the hand-written content
 * and the engine's figures, through the templates in templates/.
 *
 * wir_render_plan() lists every output file once (its kind and the catalog
 * entries it is about); wir_render_item() renders one of them and is what
 * the parallel writer (gen/write/wir_site.h) calls from its threads. The
 * site holds only read-only data after planning, so items render in any
 * order on any thread and always give the same bytes.
 *
 * Nothing here computes a figure: memory, fit, speed and cost come from
 * gen/compute (wir_memory.h, wir_fit.h, wir_speed.h, wir_cost.h); this layer
 * chooses what to show and formats it.
 */
#ifndef WIR_RENDER_H
#define WIR_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_buf.h"
#include "wir_catalog.h"
#include "wir_content.h"
#include "wir_tpl.h"

typedef enum wir_item_kind {
    WIR_ITEM_HOME,
    WIR_ITEM_MODELS,
    WIR_ITEM_MODEL,
    WIR_ITEM_HARDWARE,
    WIR_ITEM_GPU,
    WIR_ITEM_FIT,        /* will-it-run: model a × gpu b × count */
    WIR_ITEM_COST,       /* cost vs cloud: model a × gpu b */
    WIR_ITEM_COMPARE,    /* gpu a against gpu b */
    WIR_ITEM_CHOOSE,     /* choose my GPU: model a */
    WIR_ITEM_RUNS,
    WIR_ITEM_RUN,
    WIR_ITEM_METHODOLOGY,
    WIR_ITEM_PAGE,       /* a free page: content page a */
    WIR_ITEM_TOOL,
    WIR_ITEM_NOT_FOUND,
    WIR_ITEM_SITEMAP,
    WIR_ITEM_FEED,
    WIR_ITEM_API_CATALOG,
    WIR_ITEM_API_TOOL,   /* the tool's table for model a */
    WIR_ITEM_ASSET,      /* a file of templates/assets/: asset a */
} wir_item_kind;

typedef struct wir_item {
    wir_item_kind kind;
    size_t a, b;
    int32_t count;
    char *path;          /* output path, relative ("models/x/index.html") */
} wir_item;

typedef struct wir_asset {
    char *name;          /* "style.css" */
    char *data;
    size_t len;
} wir_asset;

typedef struct wir_render_site wir_render_site;

typedef struct wir_render_options {
    const char *templates_dir;  /* default "templates" */
    const char *methodology;    /* Markdown file; default "docs/methodology.md" */
    const char *build_date;     /* YYYY-MM-DD; NULL: SOURCE_DATE_EPOCH or the newest data date */
    const char *results_db;     /* the --db file's name; NULL when none was read */
    size_t n_unreviewed;        /* local runs from it, shown as not reviewed */
    const char *base_url;       /* "https://host" for sitemap.xml and the feed; NULL: root-relative */
} wir_render_options;

/* Plans the site. Loads the templates (problems into diags) and assets.
 * Returns NULL when anything was wrong; the caller frees the site with
 * wir_render_free. The catalog and content must outlive the site. */
wir_render_site *wir_render_plan(const wir_catalog *c, const wir_content *ct,
                                 const wir_render_options *opt, wir_diag_list *diags);
void wir_render_free(wir_render_site *s);

size_t wir_render_count(const wir_render_site *s);
/* Counts of items by kind, for the build's summary. */
size_t wir_render_count_kind(const wir_render_site *s, wir_item_kind kind);
const char *wir_render_kind_name(wir_item_kind kind);

/* Renders item i (a wir_site_render_fn; ctx is the site). */
int wir_render_item(void *ctx, size_t i, wir_buf *out, char **path, char **error);

#endif
