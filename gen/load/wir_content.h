/* wir_content: the hand-written parts of the catalog, as loaded from data/.
 *
 *   data/verdicts/<model>--<gpu>[-x<count>].md   an editor's verdict on one pairing
 *   data/pages/<slug>.md                         a free page (errors, FAQ, …)
 *
 * Each file is YAML front matter between two `---` lines, then a CommonMark
 * body (docs: data/README.md, "verdicts/" and "pages/"). The loader reads the
 * front matter with libyaml, checks every field (types, enums, dates, https
 * sources, the file name against model/hardware/gpu_count, references into
 * the catalog) and keeps the body as text: turning it into HTML is the
 * renderer's job (gen/render, cmark in safe mode).
 *
 * Ownership: wir_content_load() returns content the caller frees with
 * wir_content_free(); every string inside belongs to it. Pointers into the
 * catalog (model, gpu, ftype) are borrowed and live as long as the catalog.
 */
#ifndef WIR_CONTENT_H
#define WIR_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "wir_catalog.h"
#include "wir_diag.h"

/* A source a verdict or page cites. */
typedef struct wir_link {
    char *title;
    char *url; /* https:// */
} wir_link;

typedef struct wir_verdict {
    char *slug;            /* the file name without .md: "llama-3-1-8b--rtx-4090-x2" */
    char *model_slug;
    char *gpu_slug;
    int32_t gpu_count;     /* 1 when absent */
    char *quant_slug;      /* as written; ftype is the resolved file type */
    int64_t context;       /* tokens; -1 when absent */
    char *tier;            /* runs | tight | partial | wont-run */
    char *summary;
    char *author;
    char *date;            /* YYYY-MM-DD */
    wir_link *sources;
    size_t n_sources;
    char *body;            /* CommonMark */
    int32_t body_line;     /* line of the file where the body starts */
    const wir_model *model; /* resolved; NULL without a catalog */
    const wir_gpu *gpu;
    const wir_ftype *ftype;
    wir_loc loc;
} wir_verdict;

typedef struct wir_page {
    char *slug;
    char *title;
    char *description;
    char *date;
    wir_link *sources;
    size_t n_sources;
    char *body;
    int32_t body_line;
    wir_loc loc;
} wir_page;

typedef struct wir_content {
    wir_verdict *verdicts; size_t n_verdicts; /* sorted by slug */
    wir_page *pages;       size_t n_pages;    /* sorted by slug */
    char **paths;          size_t n_paths;    /* what the locs point at */
} wir_content;

/* The verdict tiers in order of how well the model runs. */
extern const char *const wir_verdict_tiers[]; /* NULL-terminated */

/* Page slugs a free page may not take: the site's own top-level folders. */
extern const char *const wir_page_reserved[]; /* NULL-terminated */

/* Loads data_dir/verdicts and data_dir/pages (both optional). catalog may be
 * NULL (it failed to load): then references are not checked but everything
 * else is. Every problem is appended to diags. Returns the content when no
 * problem was found, else NULL; the caller frees it. */
wir_content *wir_content_load(const char *data_dir, const wir_catalog *catalog,
                              wir_diag_list *diags);
void wir_content_free(wir_content *content);

/* The verdict on model × gpu × count, or NULL. */
const wir_verdict *wir_content_find_verdict(const wir_content *content, const char *model_slug,
                                            const char *gpu_slug, int32_t gpu_count);

#endif
