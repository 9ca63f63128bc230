#define _XOPEN_SOURCE 700
/* wir_catalog: walks data/, reads every file through its kind's schema
 * (gen/validate/wir_schema*.c), checks what spans files, and hands back one
 * deterministic catalog, or every problem found.
 *
 * Order matters only for references: the ggml type table is read before the
 * file types that name its types, and the GPUs (sorted) before the cloud
 * offers that point at them. Each parsed file stays open, with its position
 * index, until the cross-file checks are done, so those too report the
 * exact line and column.
 */
#include "wir_catalog.h"

#include <ctype.h>
#include <strings.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wir_fs.h"
#include "wir_schema.h"

/* The catalog as allocated: the public struct plus the file paths its locs
 * point at. wir_catalog_load is the only constructor. */
typedef struct wir_catalog_impl {
    wir_catalog pub;
    char **paths;
    size_t n_paths, cap_paths;
} wir_catalog_impl;

typedef struct wir_load {
    wir_catalog_impl *impl;
    wir_diag_list *diags;
    wir_jfile **files;
    size_t n_files, cap_files;
} wir_load;

/* Folders of data/ that other features own and read themselves. */
static const char *const wir_data_foreign[] = {"verdicts", "pages", NULL};

/* Keeps path (owned from now on) for as long as the catalog: locs point at it. */
static const char *wir_catalog_keep_path(wir_catalog_impl *impl, char *path) {
    if (impl->n_paths == impl->cap_paths) {
        impl->cap_paths = impl->cap_paths ? impl->cap_paths * 2 : 64;
        char **p = realloc(impl->paths, impl->cap_paths * sizeof *p);
        if (!p) abort();
        impl->paths = p;
    }
    impl->paths[impl->n_paths++] = path;
    return path;
}

static wir_jfile *wir_load_open(wir_load *L, const char *path) {
    if (L->n_files == L->cap_files) {
        L->cap_files = L->cap_files ? L->cap_files * 2 : 64;
        wir_jfile **f = realloc(L->files, L->cap_files * sizeof *f);
        if (!f) abort();
        L->files = f;
    }
    wir_jfile *f = wir_calloc(1, sizeof *f);
    wir_jfile_open(f, path, L->diags);
    L->files[L->n_files++] = f;
    return f;
}

/* The open file behind a loc.file pointer. */
static wir_jfile *wir_load_file_of(const wir_load *L, const char *path) {
    for (size_t i = 0; i < L->n_files; i++)
        if (L->files[i]->path == path) return L->files[i];
    return NULL;
}

/* Entries of dir, sorted, without dotfiles (.gitkeep, editor droppings).
 * NULL with *exists false when dir does not exist; the caller frees with
 * wir_fs_list_free. */
static char **wir_load_list(wir_load *L, const char *dir, size_t *n, bool *exists) {
    char **names = wir_fs_list(dir, n);
    *exists = names != NULL;
    /* Absent is fine (an empty kind); a file in a folder's place is
     * reported by the caller. */
    if (!names && errno != ENOENT && errno != ENOTDIR)
        wir_diag_add(L->diags, dir, 0, 0, NULL, "cannot open folder: %s", strerror(errno));
    return names;
}

static bool wir_load_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One <slug>.json file of a kind folder. */
typedef struct wir_load_entry {
    const char *path; /* owned by the catalog */
    char *stem;       /* the file name without .json; freed by the caller */
} wir_load_entry;

/* The <slug>.json files of data_dir/sub, sorted; anything else in there is
 * reported. Returns the count; *out is freed with wir_load_free_entries. */
static size_t wir_load_kind_files(wir_load *L, const char *sub, wir_load_entry **out) {
    char *dir = wir_fs_join(L->impl->pub.data_dir, sub);
    size_t n_names;
    bool exists;
    char **names = wir_load_list(L, dir, &n_names, &exists);
    *out = wir_calloc(n_names, sizeof **out);
    size_t n = 0;
    struct stat st;
    if (!exists && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        wir_diag_add(L->diags, dir, 0, 0, NULL, "expected a folder, found a file");
    for (size_t i = 0; i < n_names; i++) {
        char *path = wir_fs_join(dir, names[i]);
        size_t len = strlen(names[i]);
        bool json = len > 5 && !strcmp(names[i] + len - 5, ".json");
        if (wir_load_is_dir(path)) {
            wir_diag_add(L->diags, path, 0, 0, NULL,
                         "unexpected folder: %s/ holds only <slug>.json files", sub);
            free(path);
        } else if (!json) {
            wir_diag_add(L->diags, path, 0, 0, NULL,
                         "unexpected file: %s/ holds only <slug>.json files", sub);
            free(path);
        } else {
            (*out)[n].path = wir_catalog_keep_path(L->impl, path);
            (*out)[n].stem = wir_strdup(names[i]);
            (*out)[n].stem[len - 5] = '\0';
            n++;
        }
    }
    wir_fs_list_free(names, n_names);
    free(dir);
    return n;
}

static void wir_load_free_entries(wir_load_entry *e, size_t n) {
    for (size_t i = 0; i < n; i++) free(e[i].stem);
    free(e);
}

/* The top of data/ and of data/quants/: known names only. */
static void wir_load_check_top(wir_load *L) {
    static const char *const known[] = {"README.md", "gpus",     "models", "quants",
                                        "cloud",     "runtimes", "runs",   NULL};
    static const char *const quants[] = {"README.md", "ggml-types.json", "llama-cpp.json",
                                         "llama-cpp", "formats", NULL};
    const char *root = L->impl->pub.data_dir;
    size_t n;
    bool exists;
    char **names = wir_load_list(L, root, &n, &exists);
    struct stat st;
    bool found = stat(root, &st) == 0;
    if (!exists && found && !S_ISDIR(st.st_mode))
        wir_diag_add(L->diags, root, 0, 0, NULL, "expected the data folder, found a file");
    else if (!exists && !found)
        wir_diag_add(L->diags, root, 0, 0, NULL, "cannot open the data folder: %s",
                     strerror(ENOENT));
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t k = 0; known[k] && !ok; k++) ok = !strcmp(names[i], known[k]);
        for (size_t k = 0; wir_data_foreign[k] && !ok; k++) ok = !strcmp(names[i], wir_data_foreign[k]);
        if (ok) continue;
        char *path = wir_fs_join(root, names[i]);
        wir_diag_add(L->diags, path, 0, 0, NULL,
                     "unexpected %s in the data folder (data/README.md lists what belongs there)",
                     wir_load_is_dir(path) ? "folder" : "file");
        free(path);
    }
    wir_fs_list_free(names, n);

    char *qdir = wir_fs_join(root, "quants");
    names = wir_load_list(L, qdir, &n, &exists);
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t k = 0; quants[k] && !ok; k++) ok = !strcmp(names[i], quants[k]);
        if (ok) continue;
        char *path = wir_fs_join(qdir, names[i]);
        wir_diag_add(L->diags, path, 0, 0, NULL,
                     "unexpected %s in quants/ (data/README.md lists what belongs there)",
                     wir_load_is_dir(path) ? "folder" : "file");
        free(path);
    }
    wir_fs_list_free(names, n);
    free(qdir);
}

/* ---- sorting and cross-file checks ------------------------------------- */

static int wir_load_strcmp0(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

#define WIR_SLUG_COMPARE(name, type)                                     \
    static int name(const void *pa, const void *pb) {                    \
        const type *a = pa, *b = pb;                                     \
        int c = wir_load_strcmp0(a->slug, b->slug);                      \
        return c ? c : wir_load_strcmp0(a->loc.file, b->loc.file);       \
    }
WIR_SLUG_COMPARE(wir_load_gpu_compare, wir_gpu)
WIR_SLUG_COMPARE(wir_load_model_compare, wir_model)
WIR_SLUG_COMPARE(wir_load_ftype_compare, wir_ftype)
WIR_SLUG_COMPARE(wir_load_format_compare, wir_format)
WIR_SLUG_COMPARE(wir_load_cloud_compare, wir_cloud_offer)
WIR_SLUG_COMPARE(wir_load_runtime_compare, wir_runtime)

static int wir_load_run_compare(const void *pa, const void *pb) {
    const wir_run *a = pa, *b = pb;
    int c = wir_load_strcmp0(a->id, b->id);
    return c ? c : wir_load_strcmp0(a->loc.file, b->loc.file);
}

typedef struct wir_dup_item {
    const char *key;
    const char *file;
} wir_dup_item;

static int wir_dup_compare(const void *pa, const void *pb) {
    const wir_dup_item *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->file, b->file);
}

/* Reports every item whose key an earlier file (in path order) already has,
 * at that file's field. Items with a NULL key (already reported) are skipped. */
static void wir_load_duplicates(wir_load *L, wir_dup_item *items, size_t n, const char *field,
                                const char *what) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].key) items[m++] = items[i];
    qsort(items, m, sizeof *items, wir_dup_compare);
    for (size_t i = 1; i < m; i++) {
        size_t first = i - 1;
        while (first > 0 && !strcmp(items[first - 1].key, items[i].key)) first--;
        if (strcmp(items[first].key, items[i].key)) continue;
        wir_jfile *f = wir_load_file_of(L, items[i].file);
        if (f)
            wir_jfile_problem(f, field, "duplicate %s \"%s\" (also in %s)", what, items[i].key,
                              items[first].file);
    }
}

#define WIR_CHECK_DUPLICATES(L, array, n, member, field, what)            \
    do {                                                                  \
        wir_dup_item *items_ = wir_calloc((n), sizeof *items_);           \
        for (size_t i_ = 0; i_ < (n); i_++) {                             \
            items_[i_].key = (array)[i_].member;                          \
            items_[i_].file = (array)[i_].loc.file;                       \
        }                                                                 \
        wir_load_duplicates((L), items_, (n), (field), (what));           \
        free(items_);                                                     \
    } while (0)

static void wir_load_ftype_numbers(wir_load *L) {
    const wir_catalog *c = &L->impl->pub;
    for (size_t i = 0; i < c->n_ftypes; i++)
        for (size_t k = 0; k < c->n_ftypes; k++) {
            const wir_ftype *a = &c->ftypes[i], *b = &c->ftypes[k];
            if (a->ftype < 0 || a->ftype != b->ftype) continue;
            if (wir_load_strcmp0(b->loc.file, a->loc.file) >= 0) continue;
            wir_jfile *f = wir_load_file_of(L, a->loc.file);
            if (f)
                wir_jfile_problem(f, "ftype", "duplicate llama_ftype %d (also in %s)",
                                  (int)a->ftype, b->loc.file);
            break;
        }
}

/* ---- the kinds --------------------------------------------------------- */

static void wir_load_quants(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    char *qdir = wir_fs_join(c->data_dir, "quants");
    char *types_path = wir_fs_join(qdir, "ggml-types.json");
    char *quantizer_path = wir_fs_join(qdir, "llama-cpp.json");
    free(qdir);
    struct stat st;
    if (stat(types_path, &st) == 0)
        wir_schema_ggml_types(wir_load_open(L, wir_catalog_keep_path(L->impl, types_path)), c);
    else
        free(types_path);
    if (stat(quantizer_path, &st) == 0)
        wir_schema_quantizer(wir_load_open(L, wir_catalog_keep_path(L->impl, quantizer_path)), c);
    else
        free(quantizer_path);

    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "quants/llama-cpp", &e);
    c->ftypes = wir_calloc(n, sizeof *c->ftypes);
    for (size_t i = 0; i < n; i++)
        wir_schema_ftype(wir_load_open(L, e[i].path), e[i].stem, c, &c->ftypes[c->n_ftypes++]);
    wir_load_free_entries(e, n);
    qsort(c->ftypes, c->n_ftypes, sizeof *c->ftypes, wir_load_ftype_compare);
    WIR_CHECK_DUPLICATES(L, c->ftypes, c->n_ftypes, slug, "slug", "slug");
    WIR_CHECK_DUPLICATES(L, c->ftypes, c->n_ftypes, name, "name", "file type name");
    wir_load_ftype_numbers(L);

    n = wir_load_kind_files(L, "quants/formats", &e);
    c->formats = wir_calloc(n, sizeof *c->formats);
    for (size_t i = 0; i < n; i++)
        wir_schema_format(wir_load_open(L, e[i].path), e[i].stem, &c->formats[c->n_formats++]);
    wir_load_free_entries(e, n);
    qsort(c->formats, c->n_formats, sizeof *c->formats, wir_load_format_compare);
    WIR_CHECK_DUPLICATES(L, c->formats, c->n_formats, slug, "slug", "slug");
    WIR_CHECK_DUPLICATES(L, c->formats, c->n_formats, name, "name", "format name");
}

static void wir_load_gpus(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "gpus", &e);
    c->gpus = wir_calloc(n, sizeof *c->gpus);
    for (size_t i = 0; i < n; i++)
        wir_schema_gpu(wir_load_open(L, e[i].path), e[i].stem, &c->gpus[c->n_gpus++]);
    wir_load_free_entries(e, n);
    qsort(c->gpus, c->n_gpus, sizeof *c->gpus, wir_load_gpu_compare);
    WIR_CHECK_DUPLICATES(L, c->gpus, c->n_gpus, slug, "slug", "slug");
    WIR_CHECK_DUPLICATES(L, c->gpus, c->n_gpus, name, "name", "GPU name");
}

static void wir_load_cloud(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "cloud", &e);
    c->cloud = wir_calloc(n, sizeof *c->cloud);
    for (size_t i = 0; i < n; i++)
        wir_schema_cloud(wir_load_open(L, e[i].path), e[i].stem, c, &c->cloud[c->n_cloud++]);
    wir_load_free_entries(e, n);
    qsort(c->cloud, c->n_cloud, sizeof *c->cloud, wir_load_cloud_compare);
    WIR_CHECK_DUPLICATES(L, c->cloud, c->n_cloud, slug, "slug", "slug");
}

static void wir_load_models(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "models", &e);
    c->models = wir_calloc(n, sizeof *c->models);
    for (size_t i = 0; i < n; i++)
        wir_schema_model(wir_load_open(L, e[i].path), e[i].stem, &c->models[c->n_models++]);
    wir_load_free_entries(e, n);
    qsort(c->models, c->n_models, sizeof *c->models, wir_load_model_compare);
    WIR_CHECK_DUPLICATES(L, c->models, c->n_models, slug, "slug", "slug");
    WIR_CHECK_DUPLICATES(L, c->models, c->n_models, name, "name", "model name");
}

static void wir_load_runtimes(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "runtimes", &e);
    c->runtimes = wir_calloc(n, sizeof *c->runtimes);
    for (size_t i = 0; i < n; i++)
        wir_schema_runtime(wir_load_open(L, e[i].path), e[i].stem, &c->runtimes[c->n_runtimes++]);
    wir_load_free_entries(e, n);
    qsort(c->runtimes, c->n_runtimes, sizeof *c->runtimes, wir_load_runtime_compare);
    WIR_CHECK_DUPLICATES(L, c->runtimes, c->n_runtimes, slug, "slug", "slug");
}

/* Runs name GPUs, models, file types and runtimes: read last. */
static void wir_load_runs(wir_load *L) {
    wir_catalog *c = &L->impl->pub;
    wir_load_entry *e;
    size_t n = wir_load_kind_files(L, "runs", &e);
    c->runs = wir_calloc(n, sizeof *c->runs);
    for (size_t i = 0; i < n; i++)
        wir_schema_run(wir_load_open(L, e[i].path), e[i].stem, c, &c->runs[c->n_runs++]);
    wir_load_free_entries(e, n);
    qsort(c->runs, c->n_runs, sizeof *c->runs, wir_load_run_compare);
}

wir_catalog *wir_catalog_load(const char *data_dir, wir_diag_list *diags) {
    wir_load L = {wir_calloc(1, sizeof(wir_catalog_impl)), diags, NULL, 0, 0};
    wir_catalog *c = &L.impl->pub;
    c->data_dir = wir_strdup(data_dir);
    size_t before = diags->count;

    wir_load_check_top(&L);
    wir_load_quants(&L);
    wir_load_gpus(&L);
    wir_load_cloud(&L);
    wir_load_models(&L);
    wir_load_runtimes(&L);
    wir_load_runs(&L);

    for (size_t i = 0; i < L.n_files; i++) {
        wir_jfile_close(L.files[i]);
        free(L.files[i]);
    }
    free(L.files);
    if (diags->count != before) {
        wir_catalog_free(c);
        return NULL;
    }
    return c;
}

void wir_catalog_free(wir_catalog *c) {
    if (!c) return;
    wir_catalog_impl *impl = (wir_catalog_impl *)c;
    for (size_t i = 0; i < c->n_gpus; i++) wir_gpu_free(&c->gpus[i]);
    free(c->gpus);
    for (size_t i = 0; i < c->n_models; i++) wir_model_free(&c->models[i]);
    free(c->models);
    for (size_t i = 0; i < c->n_ggml_types; i++) free(c->ggml_types[i].name);
    free(c->ggml_types);
    for (size_t i = 0; i < c->n_ftypes; i++) wir_ftype_free(&c->ftypes[i]);
    free(c->ftypes);
    wir_quantizer_free(&c->quantizer);
    for (size_t i = 0; i < c->n_formats; i++) wir_format_free(&c->formats[i]);
    free(c->formats);
    for (size_t i = 0; i < c->n_cloud; i++) wir_cloud_offer_free(&c->cloud[i]);
    free(c->cloud);
    for (size_t i = 0; i < c->n_runtimes; i++) wir_runtime_free(&c->runtimes[i]);
    free(c->runtimes);
    for (size_t i = 0; i < c->n_runs; i++) wir_run_free(&c->runs[i]);
    free(c->runs);
    free(c->data_dir);
    for (size_t i = 0; i < impl->n_paths; i++) free(impl->paths[i]);
    free(impl->paths);
    free(impl);
}

wir_run *wir_catalog_add_run(wir_catalog *c, const char *name, const json_t *doc,
                             wir_diag_list *diags) {
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (id && wir_catalog_find_run(c, id)) {
        wir_diag_add(diags, name, 0, 0, "id", "run \"%s\" is already in the catalog", id);
        return NULL;
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text) abort();
    const char *kept = wir_catalog_keep_path((wir_catalog_impl *)c, wir_strdup(name));
    size_t before = diags->count;
    wir_jfile f;
    wir_jfile_parse(&f, kept, text, strlen(text), diags);
    free(text);
    wir_run r;
    memset(&r, 0, sizeof r);
    wir_schema_run(&f, id ? id : "", c, &r);
    wir_jfile_close(&f);
    if (diags->count != before) {
        wir_run_free(&r);
        return NULL;
    }
    wir_run *grown = realloc(c->runs, (c->n_runs + 1) * sizeof *grown);
    if (!grown) abort();
    c->runs = grown;
    c->runs[c->n_runs++] = r;
    qsort(c->runs, c->n_runs, sizeof *c->runs, wir_load_run_compare);
    return (wir_run *)wir_catalog_find_run(c, r.id);
}

/* ---- look-ups ---------------------------------------------------------- */

const wir_gpu *wir_catalog_find_gpu(const wir_catalog *c, const char *slug) {
    for (size_t i = 0; slug && i < c->n_gpus; i++)
        if (c->gpus[i].slug && !strcmp(c->gpus[i].slug, slug)) return &c->gpus[i];
    return NULL;
}

const wir_model *wir_catalog_find_model(const wir_catalog *c, const char *slug) {
    for (size_t i = 0; slug && i < c->n_models; i++)
        if (c->models[i].slug && !strcmp(c->models[i].slug, slug)) return &c->models[i];
    return NULL;
}

/* Lower case with '-' for '_': "Q4_K_M" and "q4-k-m" both become "q4-k-m". */
static void wir_catalog_fold(const char *s, char *out, size_t size) {
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = s[i] == '_' ? '-' : (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

const wir_ftype *wir_catalog_find_ftype(const wir_catalog *c, const char *name) {
    if (!name) return NULL;
    char want[128], have[128];
    wir_catalog_fold(name, want, sizeof want);
    for (size_t i = 0; i < c->n_ftypes; i++) {
        const wir_ftype *ft = &c->ftypes[i];
        if (ft->slug && (wir_catalog_fold(ft->slug, have, sizeof have), !strcmp(have, want)))
            return ft;
        if (ft->name && (wir_catalog_fold(ft->name, have, sizeof have), !strcmp(have, want)))
            return ft;
    }
    return NULL;
}

const wir_ggml_type *wir_catalog_find_ggml_type(const wir_catalog *c, const char *name) {
    for (size_t i = 0; name && i < c->n_ggml_types; i++)
        if (c->ggml_types[i].name && !strcasecmp(c->ggml_types[i].name, name))
            return &c->ggml_types[i];
    return NULL;
}

const wir_runtime *wir_catalog_find_runtime(const wir_catalog *c, const char *slug) {
    for (size_t i = 0; slug && i < c->n_runtimes; i++)
        if (c->runtimes[i].slug && !strcmp(c->runtimes[i].slug, slug)) return &c->runtimes[i];
    return NULL;
}

const wir_run *wir_catalog_find_run(const wir_catalog *c, const char *id) {
    for (size_t i = 0; id && i < c->n_runs; i++)
        if (c->runs[i].id && !strcmp(c->runs[i].id, id)) return &c->runs[i];
    return NULL;
}

typedef struct wir_suggestion {
    const char *slug;
    size_t distance;
} wir_suggestion;

static int wir_suggestion_compare(const void *pa, const void *pb) {
    const wir_suggestion *a = pa, *b = pb;
    if (a->distance != b->distance) return a->distance < b->distance ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

size_t wir_catalog_suggest(const wir_catalog *c, const char *kind, const char *unknown,
                           const char **out, size_t max) {
    if (!c || !kind || !unknown || max == 0) return 0;
    size_t n = 0;
    const char **slugs = NULL;
#define WIR_SUGGEST_FROM(array, count)                                   \
    do {                                                                 \
        n = (count);                                                     \
        slugs = wir_calloc(n, sizeof *slugs);                            \
        for (size_t i_ = 0; i_ < n; i_++) slugs[i_] = (array)[i_].slug;  \
    } while (0)
    if (!strcmp(kind, "gpu")) WIR_SUGGEST_FROM(c->gpus, c->n_gpus);
    else if (!strcmp(kind, "model")) WIR_SUGGEST_FROM(c->models, c->n_models);
    else if (!strcmp(kind, "ftype")) WIR_SUGGEST_FROM(c->ftypes, c->n_ftypes);
    else if (!strcmp(kind, "format")) WIR_SUGGEST_FROM(c->formats, c->n_formats);
    else if (!strcmp(kind, "cloud")) WIR_SUGGEST_FROM(c->cloud, c->n_cloud);
    else if (!strcmp(kind, "runtime")) WIR_SUGGEST_FROM(c->runtimes, c->n_runtimes);
    else return 0;
#undef WIR_SUGGEST_FROM

    /* File types are asked for by llama.cpp's name as often as by slug. */
    char want[128];
    if (!strcmp(kind, "ftype")) wir_catalog_fold(unknown, want, sizeof want);
    else snprintf(want, sizeof want, "%s", unknown);
    /* A third of the name may be wrong, and always a couple of keys. */
    size_t limit = strlen(want) / 3 > 2 ? strlen(want) / 3 : 2;
    wir_suggestion *s = wir_calloc(n, sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!slugs[i]) continue;
        size_t d = wir_edit_distance(want, slugs[i], limit);
        /* A slug the name begins ("qwen3-30b" for qwen3-30b-a3b) is a
         * likely meaning however many characters it lacks. */
        if (d > limit && strlen(want) >= 3 && !strncmp(slugs[i], want, strlen(want))) d = limit;
        if (d <= limit) s[m++] = (wir_suggestion){slugs[i], d};
    }
    qsort(s, m, sizeof *s, wir_suggestion_compare);
    size_t k = m < max ? m : max;
    for (size_t i = 0; i < k; i++) out[i] = s[i].slug;
    free(s);
    free(slugs);
    return k;
}
