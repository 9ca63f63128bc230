/* Sources and citations: every figure carries its source (data/README.md,
 * "Sources and citations"). */
#include <stdlib.h>
#include <string.h>

#include "wir_schema.h"

static const char *const wir_source_keys[] = {"url", "title", "accessed", NULL};

static void wir_provenance_read_sources(const wir_jobj *root, wir_provenance *prov) {
    wir_jobj sources;
    if (!wir_jr_object(root, "sources", 0, &sources)) return;
    prov->sources = wir_calloc(json_object_size(sources.obj), sizeof *prov->sources);
    const char *id;
    json_t *v;
    json_object_foreach(sources.obj, id, v) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(&sources, id, path);
        if (!wir_jv_is_slug(id))
            wir_jfile_problem_at_key(root->f, path,
                                     "source id must be lower-case letters, digits and '-'");
        wir_source *s = &prov->sources[prov->n_sources++];
        s->id = wir_strdup(id);
        wir_jobj so;
        if (!wir_jr_object(&sources, id, 0, &so)) continue;
        wir_jr_known(&so, wir_source_keys);
        if (wir_jr_string(&so, "url", 0, &s->url) && !wir_jv_is_https_url(s->url)) {
            char up[WIR_JPATH_MAX], got[96];
            wir_jr_path(&so, "url", up);
            wir_json_describe(json_object_get(so.obj, "url"), got, sizeof got);
            wir_jfile_problem(root->f, up, "expected an https:// URL, got %s", got);
        }
        wir_jr_string(&so, "title", 0, &s->title);
        wir_jr_date(&so, "accessed", WIR_JR_PAST, false, &s->accessed);
    }
}

static bool wir_provenance_has_source(const wir_provenance *prov, const char *id) {
    for (size_t i = 0; i < prov->n_sources; i++)
        if (strcmp(prov->sources[i].id, id) == 0) return true;
    return false;
}

/* A citation's source id: a string naming a source the file defines. */
static char *wir_provenance_source_ref(const wir_jobj *root, const wir_provenance *prov,
                                       const char *path, const json_t *v) {
    if (!json_is_string(v) || json_string_length(v) == 0) {
        char got[96];
        wir_json_describe(v, got, sizeof got);
        wir_jfile_problem(root->f, path, "expected a source id, got %s", got);
        return NULL;
    }
    const char *id = json_string_value(v);
    /* Without a "sources" object (reported already) every id is unknown. */
    if (prov->sources && !wir_provenance_has_source(prov, id)) {
        wir_jfile_problem(root->f, path, "cites undefined source \"%s\"", id);
        return NULL;
    }
    return wir_strdup(id);
}

/* Whether the nearest enclosing value of an absent path that the file has
 * is an object: when it is not (a "street_price" that is a number or null),
 * that problem is reported already and the citation is not the news. */
static bool wir_provenance_parent_is_object(const wir_jfile *f, const char *field) {
    char path[WIR_JPATH_MAX];
    snprintf(path, sizeof path, "%s", field);
    for (;;) {
        char *cut = strrchr(path, '.');
        char *bracket = strrchr(path, '[');
        if (bracket > cut) cut = bracket;
        if (!cut) return json_is_object(f->root);
        *cut = '\0';
        json_t *v = wir_jfile_get(f, path);
        if (v) return json_is_object(v);
    }
}

static void wir_provenance_read_cite(const wir_jobj *root, wir_provenance *prov,
                                     const char *field, const wir_jobj *cite) {
    char path[WIR_JPATH_MAX];
    wir_jr_path(cite, field, path);
    json_t *v = json_object_get(cite->obj, field);
    wir_cite *c = &prov->cites[prov->n_cites++];
    c->field = wir_strdup(field);
    /* The cited field must exist: a citation of a typo'd or removed field
     * would leave the real one silently unsourced. */
    if (!strcmp(field, "sources") || !strcmp(field, "cite") || !strncmp(field, "sources.", 8) ||
        !strncmp(field, "cite.", 5))
        wir_jfile_problem_at_key(root->f, path, "\"%s\" holds citations, it is not a figure to cite",
                                 field);
    else if (!wir_jfile_get(root->f, field) && wir_provenance_parent_is_object(root->f, field))
        wir_jfile_problem_at_key(root->f, path, "cites a field the file does not have");

    if (json_is_string(v)) {
        c->source_id = wir_provenance_source_ref(root, prov, path, v);
        return;
    }
    if (!json_is_object(v)) {
        char got[96];
        wir_json_describe(v, got, sizeof got);
        wir_jfile_problem(root->f, path,
                          "expected a source id, {\"source\", \"note\"} or {\"derived\", \"from\"}, got %s",
                          got);
        return;
    }
    wir_jobj co = {root->f, v, ""};
    snprintf(co.path, sizeof co.path, "%s", path);
    if (json_object_get(v, "derived")) {
        static const char *const keys[] = {"derived", "from", NULL};
        wir_jr_known(&co, keys);
        wir_jr_string(&co, "derived", 0, &c->derived);
        json_t *from;
        if (!wir_jr_array(&co, "from", 0, &from)) return;
        if (json_array_size(from) == 0) {
            char fp[WIR_JPATH_MAX];
            wir_jr_path(&co, "from", fp);
            wir_jfile_problem(root->f, fp, "a derivation needs at least one source");
        }
        c->from = wir_calloc(json_array_size(from), sizeof *c->from);
        size_t i;
        json_t *id;
        json_array_foreach(from, i, id) {
            char fp[WIR_JPATH_MAX], ep[WIR_JPATH_MAX];
            wir_jr_path(&co, "from", fp);
            wir_jpath_index(ep, fp, i);
            char *s = wir_provenance_source_ref(root, prov, ep, id);
            if (s) c->from[c->n_from++] = s;
        }
        return;
    }
    static const char *const keys[] = {"source", "note", NULL};
    wir_jr_known(&co, keys);
    json_t *src;
    if (wir_jr_value(&co, "source", 0, &src)) {
        char sp[WIR_JPATH_MAX];
        wir_jr_path(&co, "source", sp);
        c->source_id = wir_provenance_source_ref(root, prov, sp, src);
    }
    wir_jr_string(&co, "note", WIR_JR_OPTIONAL, &c->note);
}

static bool wir_provenance_cites(const wir_provenance *prov, const char *figure) {
    for (size_t i = 0; i < prov->n_cites; i++) {
        const char *f = prov->cites[i].field;
        size_t n = strlen(f);
        /* Its own path, or an enclosing one ("street_price" covers
         * "street_price.usd"). */
        if (!strncmp(figure, f, n) && (figure[n] == '\0' || figure[n] == '.' || figure[n] == '['))
            return true;
    }
    return false;
}

static bool wir_provenance_source_used(const wir_provenance *prov, const char *id) {
    for (size_t i = 0; i < prov->n_cites; i++) {
        const wir_cite *c = &prov->cites[i];
        if (c->source_id && !strcmp(c->source_id, id)) return true;
        for (size_t k = 0; k < c->n_from; k++)
            if (!strcmp(c->from[k], id)) return true;
    }
    return false;
}

void wir_schema_provenance(const wir_jobj *root, const wir_figure *figures,
                           wir_provenance *prov) {
    wir_provenance_read_sources(root, prov);
    wir_jobj cite;
    if (wir_jr_object(root, "cite", 0, &cite)) {
        prov->cites = wir_calloc(json_object_size(cite.obj), sizeof *prov->cites);
        const char *field;
        json_t *v;
        json_object_foreach(cite.obj, field, v) wir_provenance_read_cite(root, prov, field, &cite);
    }
    /* A file that lacks "cite" altogether already has a problem reported;
     * listing every figure again would bury it. */
    if (cite.obj) {
        for (const wir_figure *fig = figures; fig && fig->path; fig++) {
            json_t *v = wir_jfile_get(root->f, fig->path);
            if (!v || (json_is_null(v) && !fig->cite_null)) continue;
            if (fig->cite_null == WIR_FIG_NULL_ONLY && !json_is_null(v)) continue;
            if (!wir_provenance_cites(prov, fig->path))
                wir_jfile_problem(root->f, fig->path,
                                  json_is_null(v) ? "null without a citation saying why"
                                                  : "figure has no source: cite it in \"cite\"");
        }
    }
    for (size_t i = 0; i < prov->n_sources; i++) {
        if (wir_provenance_source_used(prov, prov->sources[i].id)) continue;
        char path[WIR_JPATH_MAX];
        wir_jpath_key(path, "sources", prov->sources[i].id);
        wir_jfile_problem_at_key(root->f, path, "source is never cited");
    }
}

void wir_schema_check_slug(const wir_jobj *root, const char *slug, const char *stem) {
    if (!slug || !stem || !strcmp(slug, stem)) return;
    wir_jfile_problem(root->f, "slug", "slug \"%s\" does not match the file name \"%s.json\"",
                      slug, stem);
}

void wir_provenance_free(wir_provenance *p) {
    for (size_t i = 0; i < p->n_sources; i++) {
        free(p->sources[i].id);
        free(p->sources[i].url);
        free(p->sources[i].title);
        free(p->sources[i].accessed);
    }
    free(p->sources);
    for (size_t i = 0; i < p->n_cites; i++) {
        wir_cite *c = &p->cites[i];
        free(c->field);
        free(c->source_id);
        free(c->note);
        free(c->derived);
        for (size_t k = 0; k < c->n_from; k++) free(c->from[k]);
        free(c->from);
    }
    free(p->cites);
    memset(p, 0, sizeof *p);
}
