/* wir_schema: data/README.md's schema, kind by kind, as code.
 *
 * Each reader fills one catalog struct from one parsed data file and reports
 * every problem it finds in it (types, required and unknown fields, units and
 * plausible ranges, enums, dates, URLs, consistency between fields, sources
 * and citations). Problems that span files (duplicate slugs, a cloud offer's
 * GPU) are checked in wir_validate_catalog.c once everything is read.
 *
 * Ownership: strings and arrays a reader puts in a struct belong to the
 * struct's catalog (freed by wir_catalog_free), even when the file had
 * problems. Private to gen/load and gen/validate.
 */
#ifndef WIR_SCHEMA_H
#define WIR_SCHEMA_H

#include "wir_catalog.h"
#include "wir_jread.h"

/* A figure field (data/README.md's *fig*): present and not null, it must be
 * cited; cite_null true also requires a citation when it is null (a launch
 * price that was never published says so in a cite note). WIR_FIG_NULL_ONLY
 * checks the path only when it is null: it names an object ("street_price")
 * whose members carry the citations when it is present. */
enum { WIR_FIG_NULL_ONLY = 2 };
typedef struct wir_figure {
    const char *path;
    int cite_null; /* false, true or WIR_FIG_NULL_ONLY */
} wir_figure;

/* Reads the root's "sources" and "cite" into prov and checks them: source
 * ids, https URLs, access dates, every source cited, every citation naming a
 * defined source and a field the file has, every figure (NULL-terminated by
 * path) cited by its path or an enclosing one. */
void wir_schema_provenance(const wir_jobj *root, const wir_figure *figures,
                           wir_provenance *prov);

/* The file is named after its slug: data/gpus/<slug>.json. */
void wir_schema_check_slug(const wir_jobj *root, const char *slug, const char *stem);

void wir_schema_gpu(wir_jfile *f, const char *stem, wir_gpu *g);
void wir_schema_model(wir_jfile *f, const char *stem, wir_model *m);
/* Fills c->ggml_types (sorted by id). */
void wir_schema_ggml_types(wir_jfile *f, wir_catalog *c);
/* Needs c->ggml_types; fills c->quantizer. */
void wir_schema_quantizer(wir_jfile *f, wir_catalog *c);
void wir_schema_ftype(wir_jfile *f, const char *stem, const wir_catalog *c, wir_ftype *ft);
void wir_schema_format(wir_jfile *f, const char *stem, wir_format *fm);
/* Needs c->gpus loaded and sorted (resolves the offer's GPU). */
void wir_schema_cloud(wir_jfile *f, const char *stem, const wir_catalog *c, wir_cloud_offer *o);
void wir_schema_runtime(wir_jfile *f, const char *stem, wir_runtime *rt);
/* Needs GPUs, models, file types, ggml types and runtimes loaded. */
void wir_schema_run(wir_jfile *f, const char *stem, const wir_catalog *c, wir_run *r);

/* Reports o's member key naming an unknown entry: 'unknown WHAT "slug" (no
 * FOLDER/slug.json); did you mean: …' with wir_catalog_suggest(kind). */
void wir_schema_unknown_ref(const wir_jobj *o, const char *key, const wir_catalog *c,
                            const char *kind, const char *what, const char *slug,
                            const char *folder);

/* The ggml type named exactly name, or NULL. */
const wir_ggml_type *wir_schema_ggml_type(const wir_catalog *c, const char *name);

/* Frees what a reader put in a struct (NULL-safe, for partial structs). */
void wir_provenance_free(wir_provenance *p);
void wir_gpu_free(wir_gpu *g);
void wir_model_free(wir_model *m);
void wir_ftype_free(wir_ftype *ft);
void wir_quantizer_free(wir_quantizer *q);
void wir_format_free(wir_format *fm);
void wir_cloud_offer_free(wir_cloud_offer *o);
void wir_runtime_free(wir_runtime *rt);
void wir_run_free(wir_run *r);

#endif
