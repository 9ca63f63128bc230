/* quants/: the ggml type table, llama.cpp's file types and shared quantizer
 * rules, and other runtimes' formats (data/README.md). Every type a rule
 * names must be in the type table: wir_quant_assign relies on it. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "wir_buf.h"
#include "wir_schema.h"

/* Tensor kinds a rule may name (data/README.md, "a llama.cpp file type"). */
static const char *const wir_rule_tensors[] = {
    "token_embd", "output", "attn_q", "attn_k", "attn_v", "attn_output", "attn_qkv",
    "ffn_gate", "ffn_up", "ffn_down", NULL};

static const struct {
    const char *name;
    uint32_t bit;
} wir_rule_conditions[] = {
    {"use_more_bits", WIR_WHEN_USE_MORE_BITS},     {"first_eighth", WIR_WHEN_FIRST_EIGHTH},
    {"first_sixteenth", WIR_WHEN_FIRST_SIXTEENTH}, {"index_lt_2", WIR_WHEN_INDEX_LT_2},
    {"index_lt_4", WIR_WHEN_INDEX_LT_4},           {"gqa_ge_4", WIR_WHEN_GQA_GE_4},
    {"experts_8", WIR_WHEN_EXPERTS_8},             {"experts_ge_4", WIR_WHEN_EXPERTS_GE_4},
    {"last_eighth", WIR_WHEN_LAST_EIGHTH},         {"row_not_multiple", WIR_WHEN_ROW_NOT_MULTIPLE},
    {"llama_70b", WIR_WHEN_LLAMA_70B},             {"not_iq2_family", WIR_WHEN_NOT_IQ2_FAMILY},
};
#define WIR_N_CONDITIONS (sizeof wir_rule_conditions / sizeof wir_rule_conditions[0])

const wir_ggml_type *wir_schema_ggml_type(const wir_catalog *c, const char *name) {
    for (size_t i = 0; i < c->n_ggml_types; i++)
        if (c->ggml_types[i].name && !strcmp(c->ggml_types[i].name, name)) return &c->ggml_types[i];
    return NULL;
}

/* The ggml type a string at path names; reports an unknown one with the
 * nearest known name. */
static const wir_ggml_type *wir_quant_type_at(wir_jfile *f, const wir_catalog *c,
                                              const char *path, const json_t *v) {
    char got[96];
    wir_json_describe(v, got, sizeof got);
    if (!json_is_string(v)) {
        wir_jfile_problem(f, path, "expected a ggml type name, got %s", got);
        return NULL;
    }
    const char *name = json_string_value(v);
    const wir_ggml_type *t = wir_schema_ggml_type(c, name);
    if (t) return t;
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < c->n_ggml_types; i++) {
        /* Type names differ in case only by typo (q4_K, not q4_k). */
        size_t d = strcasecmp(name, c->ggml_types[i].name) == 0
                       ? 0
                       : wir_edit_distance(name, c->ggml_types[i].name, 2);
        if (d < best_d) {
            best_d = d;
            best = c->ggml_types[i].name;
        }
    }
    if (best)
        wir_jfile_problem(f, path, "unknown ggml type %s (not in quants/ggml-types.json); did you "
                                   "mean \"%s\"?", got, best);
    else
        wir_jfile_problem(f, path, "unknown ggml type %s (not in quants/ggml-types.json)", got);
    return NULL;
}

static const wir_ggml_type *wir_quant_type_field(const wir_jobj *o, const wir_catalog *c,
                                                 const char *key) {
    json_t *v;
    if (!wir_jr_value(o, key, 0, &v)) return NULL;
    char path[WIR_JPATH_MAX];
    wir_jr_path(o, key, path);
    return wir_quant_type_at(o->f, c, path, v);
}

/* ---- quants/ggml-types.json -------------------------------------------- */

static int wir_ggml_type_compare(const void *pa, const void *pb) {
    const wir_ggml_type *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

static void wir_ggml_type_read(const wir_jobj *t, wir_ggml_type *g) {
    static const char *const keys[] = {"name", "id", "block_size", "type_size", NULL};
    wir_jr_known(t, keys);
    if (wir_jr_string(t, "name", 0, &g->name) &&
        strspn(g->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
            strlen(g->name)) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(t, "name", path);
        wir_jfile_problem(t->f, path, "expected a ggml type name of letters, digits and '_', "
                                      "got \"%s\"", g->name);
    }
    int64_t id = -1, bs = 0, ts = 0;
    wir_jr_int(t, "id", 0, "an integer ggml_type id", 0, 1023, &id);
    bool ok = wir_jr_int(t, "block_size", 0, "an integer number of elements", 1, 4096, &bs);
    ok &= wir_jr_int(t, "type_size", 0, "an integer number of bytes", 1, 65536, &ts);
    g->id = (int32_t)id;
    g->block_size = (int32_t)bs;
    g->type_size = (int32_t)ts;
    if (!ok) return;
    /* A block must divide a tensor's rows, whose lengths are multiples of
     * large powers of two: every ggml block size is a power of two. */
    if (bs & (bs - 1)) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(t, "block_size", path);
        wir_jfile_problem(t->f, path,
                          "expected a power of two (a block must divide tensor rows), got %lld",
                          (long long)bs);
        return;
    }
    /* Every real type stores between 1 and 64 bits per element; outside
     * that a block size and a type size were mixed up. */
    double bpw = (double)ts * 8.0 / (double)bs;
    if (bpw < 1.0 || bpw > 64.0) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(t, "type_size", path);
        wir_jfile_problem(t->f, path,
                          "%lld bytes per block of %lld element%s is %.3g bits per element; "
                          "expected 1 to 64",
                          (long long)ts, (long long)bs, bs == 1 ? "" : "s", bpw);
    }
}

void wir_schema_ggml_types(wir_jfile *f, wir_catalog *c) {
    static const char *const keys[] = {"types", "sources", "cite", NULL};
    static const wir_figure figures[] = {{"types", false}, {NULL, false}};
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jr_known(&root, keys);
    json_t *types;
    if (wir_jr_array(&root, "types", 0, &types)) {
        c->ggml_types = wir_calloc(json_array_size(types), sizeof *c->ggml_types);
        size_t i;
        json_t *v;
        json_array_foreach(types, i, v) {
            wir_jobj t = {f, NULL, ""};
            wir_jpath_index(t.path, "types", i);
            if (!json_is_object(v)) {
                char got[96];
                wir_json_describe(v, got, sizeof got);
                wir_jfile_problem(f, t.path, "expected an object, got %s", got);
                continue;
            }
            t.obj = v;
            wir_ggml_type *g = &c->ggml_types[c->n_ggml_types++];
            wir_ggml_type_read(&t, g);
            /* Duplicates make a name or an id mean two things. */
            for (size_t k = 0; k + 1 < c->n_ggml_types; k++) {
                const wir_ggml_type *o = &c->ggml_types[k];
                char path[WIR_JPATH_MAX];
                if (g->name && o->name && !strcmp(g->name, o->name)) {
                    wir_jr_path(&t, "name", path);
                    wir_jfile_problem(f, path, "duplicate ggml type \"%s\" (also at types[%zu])",
                                      g->name, k);
                }
                if (g->id >= 0 && g->id == o->id) {
                    wir_jr_path(&t, "id", path);
                    wir_jfile_problem(f, path, "duplicate ggml type id %d (also at types[%zu])",
                                      (int)g->id, k);
                }
            }
        }
        if (c->n_ggml_types == 0) wir_jfile_problem(f, "types", "expected at least one type");
    }
    wir_provenance prov = {0};
    wir_schema_provenance(&root, figures, &prov);
    wir_provenance_free(&prov);
    if (c->n_ggml_types > 1)
        qsort(c->ggml_types, c->n_ggml_types, sizeof *c->ggml_types, wir_ggml_type_compare);
}

/* ---- rules ------------------------------------------------------------- */

static void wir_quant_rule_read(const wir_jobj *r, const wir_catalog *c, bool override,
                                wir_quant_rule *rule) {
    static const char *const rule_keys[] = {"tensor", "type", "when", NULL};
    static const char *const override_keys[] = {"tensor", "type", "when", "if_type", NULL};
    wir_jr_known(r, override ? override_keys : rule_keys);
    rule->loc.file = r->f->path;
    wir_jpos_value(r->f->pos, r->path, &rule->loc.line, &rule->loc.column);
    wir_jr_enum(r, "tensor", 0, wir_rule_tensors, &rule->tensor, NULL);
    rule->type = wir_quant_type_field(r, c, "type");

    json_t *when;
    if (wir_jr_array(r, "when", WIR_JR_OPTIONAL, &when)) {
        char wp[WIR_JPATH_MAX];
        wir_jr_path(r, "when", wp);
        size_t i;
        json_t *v;
        json_array_foreach(when, i, v) {
            size_t k = 0;
            while (k < WIR_N_CONDITIONS &&
                   !(json_is_string(v) && !strcmp(json_string_value(v), wir_rule_conditions[k].name)))
                k++;
            if (k < WIR_N_CONDITIONS) {
                rule->when |= wir_rule_conditions[k].bit;
                continue;
            }
            char ep[WIR_JPATH_MAX], got[96];
            wir_jpath_index(ep, wp, i);
            wir_json_describe(v, got, sizeof got);
            wir_buf what = WIR_BUF_INIT;
            for (k = 0; k < WIR_N_CONDITIONS; k++)
                wir_buf_printf(&what, "%s%s", k ? ", " : "", wir_rule_conditions[k].name);
            wir_jfile_problem(r->f, ep, "expected one of %s, got %s", wir_buf_cstr(&what), got);
            wir_buf_free(&what);
        }
    }
    if (!override) return;
    json_t *if_type;
    if (!wir_jr_array(r, "if_type", 0, &if_type)) return;
    char ip[WIR_JPATH_MAX];
    wir_jr_path(r, "if_type", ip);
    rule->if_type = wir_calloc(json_array_size(if_type), sizeof *rule->if_type);
    size_t i;
    json_t *v;
    json_array_foreach(if_type, i, v) {
        char ep[WIR_JPATH_MAX];
        wir_jpath_index(ep, ip, i);
        const wir_ggml_type *t = wir_quant_type_at(r->f, c, ep, v);
        if (t) rule->if_type[rule->n_if_type++] = t;
    }
}

static void wir_quant_rules_read(const wir_jobj *o, const char *key, const wir_catalog *c,
                                 bool override, wir_quant_rule **out, size_t *n) {
    json_t *rules;
    *out = NULL;
    *n = 0;
    if (!wir_jr_array(o, key, 0, &rules)) return;
    *out = wir_calloc(json_array_size(rules), sizeof **out);
    size_t i;
    json_t *v;
    json_array_foreach(rules, i, v) {
        wir_jobj r = {o->f, NULL, ""};
        char path[WIR_JPATH_MAX];
        wir_jr_path(o, key, path);
        wir_jpath_index(r.path, path, i);
        if (!json_is_object(v)) {
            char got[96];
            wir_json_describe(v, got, sizeof got);
            wir_jfile_problem(o->f, r.path, "expected a rule object, got %s", got);
            continue;
        }
        r.obj = v;
        wir_quant_rule_read(&r, c, override, &(*out)[(*n)++]);
    }
}

static void wir_quant_rules_free(wir_quant_rule *rules, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(rules[i].tensor);
        free(rules[i].if_type);
    }
    free(rules);
}

/* ---- quants/llama-cpp.json --------------------------------------------- */

static void wir_quantizer_fallbacks(const wir_jobj *root, const wir_catalog *c, wir_quantizer *q) {
    wir_jobj fb;
    if (!wir_jr_object(root, "fallbacks", 0, &fb)) return;
    size_t n = json_object_size(fb.obj);
    q->fallback_from = wir_calloc(n, sizeof *q->fallback_from);
    q->fallback_to = wir_calloc(n, sizeof *q->fallback_to);
    const char *key;
    json_t *v;
    json_object_foreach(fb.obj, key, v) {
        char path[WIR_JPATH_MAX];
        wir_jr_path(&fb, key, path);
        json_t *k = json_string(key);
        const wir_ggml_type *from = wir_schema_ggml_type(c, key);
        if (!from) wir_quant_type_at(root->f, c, path, k);
        json_decref(k);
        const wir_ggml_type *to = wir_quant_type_at(root->f, c, path, v);
        if (!from || !to) continue;
        /* A fallback exists for rows the type's block does not divide; the
         * fallback's block must be a smaller divisor or it cannot help. */
        if (to->block_size >= from->block_size || from->block_size % to->block_size != 0) {
            wir_jfile_problem(root->f, path,
                              "fallback %s has block size %d, which does not divide %s's %d into "
                              "smaller blocks",
                              to->name, (int)to->block_size, from->name, (int)from->block_size);
            continue;
        }
        q->fallback_from[q->n_fallbacks] = from;
        q->fallback_to[q->n_fallbacks++] = to;
    }
}

void wir_schema_quantizer(wir_jfile *f, wir_catalog *c) {
    static const char *const keys[] = {"unquantized", "unquantized_type", "overrides", "fallbacks",
                                       "quantize_only_if_default_quantized", "sources", "cite",
                                       NULL};
    static const wir_figure figures[] = {{"unquantized", false},
                                         {"overrides", false},
                                         {"fallbacks", false},
                                         {"quantize_only_if_default_quantized", false},
                                         {NULL, false}};
    wir_quantizer *q = &c->quantizer;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jr_known(&root, keys);
    wir_jr_string_array(&root, "unquantized", 0, &q->unquantized, &q->n_unquantized);
    for (size_t i = 0; i < q->n_unquantized; i++)
        for (size_t k = 0; k < i; k++)
            if (!strcmp(q->unquantized[i], q->unquantized[k])) {
                char path[WIR_JPATH_MAX];
                wir_jpath_index(path, "unquantized", i);
                wir_jfile_problem(f, path, "duplicate tensor kind \"%s\"", q->unquantized[i]);
            }
    q->unquantized_type = wir_quant_type_field(&root, c, "unquantized_type");
    wir_quant_rules_read(&root, "overrides", c, true, &q->overrides, &q->n_overrides);
    wir_quantizer_fallbacks(&root, c, q);
    wir_jr_bool(&root, "quantize_only_if_default_quantized", 0,
                &q->quantize_only_if_default_quantized);
    wir_schema_provenance(&root, figures, &q->prov);
}

void wir_quantizer_free(wir_quantizer *q) {
    for (size_t i = 0; i < q->n_unquantized; i++) free(q->unquantized[i]);
    free(q->unquantized);
    wir_quant_rules_free(q->overrides, q->n_overrides);
    free(q->fallback_from);
    free(q->fallback_to);
    wir_provenance_free(&q->prov);
    memset(q, 0, sizeof *q);
}

/* ---- quants/llama-cpp/<slug>.json -------------------------------------- */

void wir_schema_ftype(wir_jfile *f, const char *stem, const wir_catalog *c, wir_ftype *ft) {
    static const char *const keys[] = {"slug", "name", "ftype", "default_type", "rules",
                                       "description", "sources", "cite", NULL};
    static const wir_figure figures[] = {{"ftype", false}, {"rules", false}, {NULL, false}};
    memset(ft, 0, sizeof *ft);
    ft->ftype = -1;
    ft->loc.file = f->path;
    ft->loc.line = ft->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &ft->loc.line, &ft->loc.column);
    wir_jr_known(&root, keys);
    if (wir_jr_slug(&root, "slug", 0, &ft->slug)) wir_schema_check_slug(&root, ft->slug, stem);
    if (wir_jr_string(&root, "name", 0, &ft->name)) {
        /* llama.cpp's names are upper-case; the slug is the name in lower
         * case with '-' for '_' (Q4_K_M, q4-k-m), so either finds it. */
        bool upper = strspn(ft->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(ft->name);
        if (!upper) {
            wir_jfile_problem(f, "name", "expected llama.cpp's upper-case name such as \"Q4_K_M\", "
                                         "got \"%s\"", ft->name);
        } else if (ft->slug) {
            char expect[128];
            size_t i = 0;
            for (; ft->name[i] && i + 1 < sizeof expect; i++) {
                char ch = ft->name[i];
                expect[i] = ch == '_' ? '-' : (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
            }
            expect[i] = '\0';
            if (strcmp(expect, ft->slug))
                wir_jfile_problem(f, "name", "name \"%s\" does not match slug \"%s\" (expected "
                                             "slug \"%s\")", ft->name, ft->slug, expect);
        }
    }
    int64_t v = -1;
    wir_jr_int(&root, "ftype", 0, "an integer llama_ftype value", 0, 1023, &v);
    ft->ftype = (int32_t)v;
    ft->default_type = wir_quant_type_field(&root, c, "default_type");
    wir_quant_rules_read(&root, "rules", c, false, &ft->rules, &ft->n_rules);
    wir_jr_string(&root, "description", 0, &ft->description);
    wir_schema_provenance(&root, figures, &ft->prov);
}

void wir_ftype_free(wir_ftype *ft) {
    free(ft->slug);
    free(ft->name);
    free(ft->description);
    wir_quant_rules_free(ft->rules, ft->n_rules);
    wir_provenance_free(&ft->prov);
}

/* ---- quants/formats/<slug>.json ---------------------------------------- */

void wir_schema_format(wir_jfile *f, const char *stem, wir_format *fm) {
    static const char *const keys[] = {"slug", "name", "runtimes", "bits_per_weight",
                                       "group_size", "scale_type", "description", "sources",
                                       "cite", NULL};
    static const wir_figure figures[] = {{"bits_per_weight", false}, {NULL, false}};
    memset(fm, 0, sizeof *fm);
    fm->bits_per_weight = NAN;
    fm->group_size = -1;
    fm->loc.file = f->path;
    fm->loc.line = fm->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &fm->loc.line, &fm->loc.column);
    wir_jr_known(&root, keys);
    if (wir_jr_slug(&root, "slug", 0, &fm->slug)) wir_schema_check_slug(&root, fm->slug, stem);
    wir_jr_string(&root, "name", 0, &fm->name);
    if (wir_jr_string_array(&root, "runtimes", 0, &fm->runtimes, &fm->n_runtimes) &&
        fm->n_runtimes == 0)
        wir_jfile_problem(f, "runtimes", "expected at least one runtime");
    wir_jr_number(&root, "bits_per_weight", 0, "a number of bits per weight", 1, 64,
                  &fm->bits_per_weight);
    int64_t gs = -1;
    wir_jr_int(&root, "group_size", WIR_JR_NULLABLE, "an integer number of weights", 1, 1 << 20,
               &gs);
    fm->group_size = (int32_t)gs;
    wir_jr_string(&root, "scale_type", 0, &fm->scale_type);
    wir_jr_string(&root, "description", 0, &fm->description);
    wir_schema_provenance(&root, figures, &fm->prov);
}

void wir_format_free(wir_format *fm) {
    free(fm->slug);
    free(fm->name);
    for (size_t i = 0; i < fm->n_runtimes; i++) free(fm->runtimes[i]);
    free(fm->runtimes);
    free(fm->scale_type);
    free(fm->description);
    wir_provenance_free(&fm->prov);
}
