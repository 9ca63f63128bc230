/* cloud/<slug>.json (data/README.md): a dated on-demand price for an
 * instance whose GPU is one of gpus/. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wir_schema.h"

static const char *const wir_cloud_keys[] = {"slug", "provider", "instance", "gpu", "gpu_count",
                                             "price_usd_per_hour", "region", "observed",
                                             "sources", "cite", NULL};

static const wir_figure wir_cloud_figures[] = {
    {"gpu_count", false}, {"price_usd_per_hour", false}, {NULL, false}};

static void wir_cloud_gpu(const wir_jobj *root, const wir_catalog *c, wir_cloud_offer *o) {
    char *slug = NULL;
    if (!wir_jr_slug(root, "gpu", 0, &slug)) return;
    o->gpu = wir_catalog_find_gpu(c, slug);
    if (!o->gpu) wir_schema_unknown_ref(root, "gpu", c, "gpu", "GPU", slug, "gpus");
    free(slug);
}

void wir_schema_cloud(wir_jfile *f, const char *stem, const wir_catalog *c, wir_cloud_offer *o) {
    memset(o, 0, sizeof *o);
    o->price_usd_per_hour = NAN;
    o->loc.file = f->path;
    o->loc.line = o->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &o->loc.line, &o->loc.column);
    wir_jr_known(&root, wir_cloud_keys);
    if (wir_jr_slug(&root, "slug", 0, &o->slug)) wir_schema_check_slug(&root, o->slug, stem);
    wir_jr_slug(&root, "provider", 0, &o->provider);
    /* <provider>-<instance>: offers of one provider sort together. */
    if (o->slug && o->provider) {
        size_t n = strlen(o->provider);
        if (strncmp(o->slug, o->provider, n) != 0 || o->slug[n] != '-')
            wir_jfile_problem(f, "slug", "slug \"%s\" does not start with its provider \"%s-\"",
                              o->slug, o->provider);
    }
    wir_jr_string(&root, "instance", 0, &o->instance);
    wir_cloud_gpu(&root, c, o);
    int64_t count = 0;
    wir_jr_int(&root, "gpu_count", 0, "an integer number of GPUs", 1, 64, &count);
    o->gpu_count = (int32_t)count;
    wir_jr_number(&root, "price_usd_per_hour", 0, "a price in USD per hour", 0.01, 10000,
                  &o->price_usd_per_hour);
    wir_jr_string(&root, "region", WIR_JR_NULLABLE, &o->region);
    wir_jr_date(&root, "observed", WIR_JR_PAST, true, &o->observed);
    wir_schema_provenance(&root, wir_cloud_figures, &o->prov);
}

void wir_cloud_offer_free(wir_cloud_offer *o) {
    free(o->slug);
    free(o->provider);
    free(o->instance);
    free(o->region);
    free(o->observed);
    wir_provenance_free(&o->prov);
}
