#define _XOPEN_SOURCE 700
/* wir_content: verdicts and free pages, Markdown with YAML front matter.
 *
 * The front matter is parsed with libyaml's document API, which keeps each
 * node's position, so a problem is reported at the value's line and column
 * in the .md file (front matter starts on line 2). Like the JSON loader,
 * every check reports and carries on: one pass finds all of a file's
 * problems.
 */
#include "wir_content.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "wir_fs.h"
#include "wir_jread.h"

const char *const wir_verdict_tiers[] = {"runs", "tight", "partial", "wont-run", NULL};

const char *const wir_page_reserved[] = {
    "api", "assets", "choose", "compare", "cost", "hardware", "methodology", "models",
    "runs", "tool", "verdicts", "will-it-run", "404", NULL};

/* One front-matter file being read. */
typedef struct wir_md {
    const char *path;        /* owned by the content */
    wir_diag_list *diags;
    yaml_document_t doc;
    bool have_doc;
    yaml_node_t *root;       /* the mapping, or NULL */
    int32_t line_offset;     /* file line of the YAML's first line, minus 1 */
    char *body;
    int32_t body_line;
} wir_md;

static void wir_md_problem(wir_md *m, const yaml_node_t *at, const char *field, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));

static void wir_md_problem(wir_md *m, const yaml_node_t *at, const char *field, const char *fmt,
                           ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int32_t line = 1, column = 1;
    if (at) {
        line = (int32_t)at->start_mark.line + 1 + m->line_offset;
        column = (int32_t)at->start_mark.column + 1;
    }
    wir_diag_add(m->diags, m->path, line, column, field, "%s", msg);
}

/* Splits "---\nYAML\n---\nBODY" and parses the YAML. False (reported) when
 * the file has no front matter or the YAML does not parse. */
static bool wir_md_open(wir_md *m, const char *text) {
    const char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    if (strncmp(p, "---\n", 4) && strncmp(p, "---\r\n", 5)) {
        wir_diag_add(m->diags, m->path, 1, 1, NULL,
                     "expected front matter: the file starts with a line '---'");
        return false;
    }
    const char *yaml = strchr(p, '\n') + 1;
    const char *end = NULL;
    int32_t line = 2;
    for (const char *q = yaml; *q;) {
        const char *nl = strchr(q, '\n');
        size_t n = nl ? (size_t)(nl - q) : strlen(q);
        if ((n == 3 || (n == 4 && q[3] == '\r')) && !strncmp(q, "---", 3)) {
            end = q;
            break;
        }
        line++;
        if (!nl) break;
        q = nl + 1;
    }
    if (!end) {
        wir_diag_add(m->diags, m->path, 1, 1, NULL,
                     "front matter is not closed: expected a second line '---'");
        return false;
    }
    const char *body = strchr(end, '\n');
    body = body ? body + 1 : end + strlen(end);
    m->body = wir_strdup(body);
    m->body_line = line + 1;
    m->line_offset = 1;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, (size_t)(end - yaml));
    if (!yaml_parser_load(&parser, &m->doc)) {
        int32_t l = (int32_t)parser.problem_mark.line + 1 + m->line_offset;
        int32_t c = (int32_t)parser.problem_mark.column + 1;
        wir_diag_add(m->diags, m->path, l, c, NULL, "front matter is not valid YAML: %s",
                     parser.problem ? parser.problem : "parse error");
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_parser_delete(&parser);
    m->have_doc = true;
    yaml_node_t *root = yaml_document_get_root_node(&m->doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        wir_md_problem(m, root, NULL, "front matter must be a mapping of field: value");
        return false;
    }
    m->root = root;
    return true;
}

static void wir_md_close(wir_md *m) {
    if (m->have_doc) yaml_document_delete(&m->doc);
    free(m->body);
}

static const char *wir_md_scalar_text(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in a mapping, or NULL. */
static yaml_node_t *wir_md_get(wir_md *m, yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = wir_md_scalar_text(yaml_document_get_node(&m->doc, p->key));
        if (k && !strcmp(k, key)) return yaml_document_get_node(&m->doc, p->value);
    }
    return NULL;
}

/* Reports keys not in known, and keys given twice. */
static void wir_md_known(wir_md *m, yaml_node_t *map, const char *prefix,
                         const char *const *known) {
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&m->doc, p->key);
        const char *k = wir_md_scalar_text(kn);
        char field[128];
        snprintf(field, sizeof field, "%s%s", prefix, k ? k : "?");
        if (!k) {
            wir_md_problem(m, kn, NULL, "expected a field name");
            continue;
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            const char *k2 = wir_md_scalar_text(yaml_document_get_node(&m->doc, q->key));
            if (k2 && !strcmp(k, k2)) wir_md_problem(m, kn, field, "given twice");
        }
        bool ok = false;
        const char *near = NULL;
        for (size_t i = 0; known[i] && !ok; i++) {
            ok = !strcmp(k, known[i]);
            if (!ok && wir_edit_distance(k, known[i], 2) <= 2) near = known[i];
        }
        if (ok) continue;
        if (near)
            wir_md_problem(m, kn, field, "unknown field; did you mean \"%s\"?", near);
        else
            wir_md_problem(m, kn, field, "unknown field");
    }
}

/* A required (or optional) non-empty one-line string; a copy or NULL. */
static char *wir_md_string(wir_md *m, yaml_node_t *map, const char *key, bool required,
                           const char *field) {
    yaml_node_t *n = wir_md_get(m, map, key);
    if (!n) {
        if (required) wir_md_problem(m, map, field, "missing (required)");
        return NULL;
    }
    const char *s = wir_md_scalar_text(n);
    if (!s || !*s) {
        wir_md_problem(m, n, field, "expected a non-empty text");
        return NULL;
    }
    if (strchr(s, '\n')) {
        wir_md_problem(m, n, field, "expected one line of text");
        return NULL;
    }
    return wir_strdup(s);
}

static char *wir_md_slug(wir_md *m, yaml_node_t *map, const char *key) {
    char *s = wir_md_string(m, map, key, true, key);
    if (s && !wir_jv_is_slug(s)) {
        wir_md_problem(m, wir_md_get(m, map, key), key, "expected a slug ([a-z0-9-]+), got \"%s\"", s);
        free(s);
        return NULL;
    }
    return s;
}

/* A YYYY-MM-DD date not after today (UTC). */
static char *wir_md_date(wir_md *m, yaml_node_t *map) {
    char *s = wir_md_string(m, map, "date", true, "date");
    if (!s) return NULL;
    yaml_node_t *n = wir_md_get(m, map, "date");
    if (!wir_jv_is_date(s, false)) {
        wir_md_problem(m, n, "date", "expected a date (YYYY-MM-DD), got \"%s\"", s);
        free(s);
        return NULL;
    }
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    if (strcmp(s, today) > 0) {
        wir_md_problem(m, n, "date", "\"%s\" is in the future", s);
        free(s);
        return NULL;
    }
    return s;
}

/* An integer in [min, max]; def when absent; -2 when bad (reported). */
static int64_t wir_md_int(wir_md *m, yaml_node_t *map, const char *key, int64_t min, int64_t max,
                          int64_t def) {
    yaml_node_t *n = wir_md_get(m, map, key);
    if (!n) return def;
    const char *s = wir_md_scalar_text(n);
    char *end = NULL;
    errno = 0;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || errno) {
        wir_md_problem(m, n, key, "expected an integer, got \"%s\"", s ? s : "(not a value)");
        return -2;
    }
    if (v < min || v > max) {
        wir_md_problem(m, n, key, "expected an integer from %lld to %lld, got %lld",
                       (long long)min, (long long)max, v);
        return -2;
    }
    return v;
}

/* sources: a list of {title, url}; at least one when required. */
static void wir_md_sources(wir_md *m, yaml_node_t *map, bool required, wir_link **out,
                           size_t *n_out) {
    *out = NULL;
    *n_out = 0;
    yaml_node_t *seq = wir_md_get(m, map, "sources");
    if (!seq) {
        if (required) wir_md_problem(m, map, "sources", "missing (required): at least one source");
        return;
    }
    if (seq->type != YAML_SEQUENCE_NODE) {
        wir_md_problem(m, seq, "sources", "expected a list of {title, url}");
        return;
    }
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0 && required) wir_md_problem(m, seq, "sources", "expected at least one source");
    *out = wir_calloc(n ? n : 1, sizeof **out);
    static const char *const known[] = {"title", "url", NULL};
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(&m->doc, seq->data.sequence.items.start[i]);
        char field[32], sub[64];
        snprintf(field, sizeof field, "sources[%zu]", i);
        if (!item || item->type != YAML_MAPPING_NODE) {
            wir_md_problem(m, item, field, "expected {title, url}");
            continue;
        }
        snprintf(sub, sizeof sub, "%s.", field);
        wir_md_known(m, item, sub, known);
        snprintf(sub, sizeof sub, "%s.title", field);
        char *title = wir_md_string(m, item, "title", true, sub);
        snprintf(sub, sizeof sub, "%s.url", field);
        char *url = wir_md_string(m, item, "url", true, sub);
        if (url && !wir_jv_is_https_url(url)) {
            wir_md_problem(m, wir_md_get(m, item, "url"), sub, "expected an https:// URL, got \"%s\"",
                           url);
            free(url);
            url = NULL;
        }
        wir_link *l = &(*out)[(*n_out)++];
        l->title = title;
        l->url = url;
    }
}

static void wir_md_body(wir_md *m) {
    const char *s = m->body;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') s++;
    if (!*s)
        wir_diag_add(m->diags, m->path, m->body_line, 1, NULL,
                     "the body is empty: write the text after the front matter");
}

/* ---- verdicts ---------------------------------------------------------- */

/* "; did you mean: a, b" for an unknown slug, or "" (written into out). */
static const char *wir_content_near(const wir_catalog *c, const char *kind, const char *unknown,
                                    char *out, size_t size) {
    const char *near[3];
    size_t k = wir_catalog_suggest(c, kind, unknown, near, 3);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? ", " : "; did you mean: ", near[i]);
    return out;
}

static void wir_content_verdict(wir_md *m, const char *stem, const wir_catalog *c, wir_verdict *v) {
    static const char *const known[] = {"model", "hardware", "gpu_count", "quant", "context",
                                        "tier", "summary", "author", "date", "sources", NULL};
    yaml_node_t *r = m->root;
    wir_md_known(m, r, "", known);
    v->slug = wir_strdup(stem);
    v->model_slug = wir_md_slug(m, r, "model");
    v->gpu_slug = wir_md_slug(m, r, "hardware");
    v->quant_slug = wir_md_string(m, r, "quant", true, "quant");
    int64_t count = wir_md_int(m, r, "gpu_count", 1, 16, 1);
    v->gpu_count = count < 0 ? 1 : (int32_t)count;
    v->context = wir_md_int(m, r, "context", 1, INT64_C(100000000), -1);
    if (v->context == -2) v->context = -1;
    v->tier = wir_md_string(m, r, "tier", true, "tier");
    if (v->tier) {
        bool ok = false;
        for (size_t i = 0; wir_verdict_tiers[i] && !ok; i++) ok = !strcmp(v->tier, wir_verdict_tiers[i]);
        if (!ok) {
            wir_md_problem(m, wir_md_get(m, r, "tier"), "tier",
                           "expected one of runs, tight, partial, wont-run, got \"%s\"", v->tier);
            free(v->tier);
            v->tier = NULL;
        }
    }
    v->summary = wir_md_string(m, r, "summary", true, "summary");
    v->author = wir_md_string(m, r, "author", true, "author");
    if (v->author && strchr(v->author, '@'))
        wir_md_problem(m, wir_md_get(m, r, "author"), "author",
                       "expected an editor's handle, not an e-mail address");
    v->date = wir_md_date(m, r);
    wir_md_sources(m, r, true, &v->sources, &v->n_sources);
    wir_md_body(m);

    /* The file name says what the verdict is about; it must agree. */
    if (v->model_slug && v->gpu_slug && count > 0) {
        char want[512];
        if (v->gpu_count > 1)
            snprintf(want, sizeof want, "%s--%s-x%d", v->model_slug, v->gpu_slug, (int)v->gpu_count);
        else
            snprintf(want, sizeof want, "%s--%s", v->model_slug, v->gpu_slug);
        if (strcmp(want, stem))
            wir_diag_add(m->diags, m->path, 1, 1, NULL,
                         "file name does not match the front matter: expected verdicts/%s.md", want);
    }
    if (!c) return;
    char near[256];
    if (v->model_slug && !(v->model = wir_catalog_find_model(c, v->model_slug)))
        wir_md_problem(m, wir_md_get(m, r, "model"), "model", "unknown model \"%s\" (no models/%s.json)%s",
                       v->model_slug, v->model_slug, wir_content_near(c, "model", v->model_slug, near, sizeof near));
    if (v->gpu_slug && !(v->gpu = wir_catalog_find_gpu(c, v->gpu_slug)))
        wir_md_problem(m, wir_md_get(m, r, "hardware"), "hardware", "unknown GPU \"%s\" (no gpus/%s.json)%s",
                       v->gpu_slug, v->gpu_slug, wir_content_near(c, "gpu", v->gpu_slug, near, sizeof near));
    if (v->quant_slug && !(v->ftype = wir_catalog_find_ftype(c, v->quant_slug)))
        wir_md_problem(m, wir_md_get(m, r, "quant"), "quant",
                       "unknown llama.cpp file type \"%s\" (no quants/llama-cpp/%s.json)%s", v->quant_slug,
                       v->quant_slug, wir_content_near(c, "ftype", v->quant_slug, near, sizeof near));
    if (v->model && v->context > 0 && v->model->context_length > 0 &&
        v->context > v->model->context_length)
        wir_md_problem(m, wir_md_get(m, r, "context"), "context",
                       "%lld tokens is more than %s's trained context (%lld)", (long long)v->context,
                       v->model->slug, (long long)v->model->context_length);
}

static void wir_content_page(wir_md *m, const char *stem, wir_page *p) {
    static const char *const known[] = {"title", "description", "date", "sources", NULL};
    yaml_node_t *r = m->root;
    wir_md_known(m, r, "", known);
    p->slug = wir_strdup(stem);
    p->title = wir_md_string(m, r, "title", true, "title");
    p->description = wir_md_string(m, r, "description", true, "description");
    p->date = wir_md_date(m, r);
    wir_md_sources(m, r, false, &p->sources, &p->n_sources);
    wir_md_body(m);
    if (!wir_jv_is_slug(stem))
        wir_diag_add(m->diags, m->path, 1, 1, NULL,
                     "file name must be a slug ([a-z0-9-]+) plus .md");
    for (size_t i = 0; wir_page_reserved[i]; i++)
        if (!strcmp(stem, wir_page_reserved[i]))
            wir_diag_add(m->diags, m->path, 1, 1, NULL,
                         "\"%s\" is one of the site's own folders; choose another file name", stem);
}

/* ---- folders ----------------------------------------------------------- */

static const char *wir_content_keep(wir_content *ct, char *path) {
    char **p = realloc(ct->paths, (ct->n_paths + 1) * sizeof *p);
    if (!p) abort();
    ct->paths = p;
    ct->paths[ct->n_paths++] = path;
    return path;
}

/* The <stem>.md files of data_dir/sub, sorted, as paths kept by ct; anything
 * else there is reported. */
static size_t wir_content_files(wir_content *ct, const char *data_dir, const char *sub,
                                wir_diag_list *diags, const char ***out) {
    *out = NULL;
    char *dir = wir_fs_join(data_dir, sub);
    size_t n;
    char **names = wir_fs_list(dir, &n);
    if (!names) {
        struct stat st;
        if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
            wir_diag_add(diags, dir, 0, 0, NULL, "expected a folder, found a file");
        else if (errno != ENOENT && errno != ENOTDIR)
            wir_diag_add(diags, dir, 0, 0, NULL, "cannot open folder: %s", strerror(errno));
        free(dir);
        return 0;
    }
    const char **paths = wir_calloc(n ? n : 1, sizeof *paths);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = wir_fs_join(dir, names[i]);
        size_t len = strlen(names[i]);
        struct stat st;
        bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir || len <= 3 || strcmp(names[i] + len - 3, ".md")) {
            wir_diag_add(diags, path, 0, 0, NULL, "unexpected %s: %s/ holds only <slug>.md files",
                         is_dir ? "folder" : "file", sub);
            free(path);
        } else {
            paths[k++] = wir_content_keep(ct, path);
        }
    }
    wir_fs_list_free(names, n);
    free(dir);
    *out = paths;
    return k;
}

/* The file name without folder and .md, into a new string. */
static char *wir_content_stem(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *s = wir_strdup(base);
    s[strlen(s) - 3] = '\0';
    return s;
}

static bool wir_md_read(wir_md *m, const char *path, wir_diag_list *diags) {
    memset(m, 0, sizeof *m);
    m->path = path;
    m->diags = diags;
    size_t len;
    char *text = wir_fs_read_file(path, &len);
    if (!text) {
        wir_diag_add(diags, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return false;
    }
    if (strlen(text) != len) {
        wir_diag_add(diags, path, 0, 0, NULL, "the file holds a NUL byte; expected UTF-8 text");
        free(text);
        return false;
    }
    bool ok = wir_md_open(m, text);
    free(text);
    return ok;
}

wir_content *wir_content_load(const char *data_dir, const wir_catalog *catalog,
                              wir_diag_list *diags) {
    wir_content *ct = wir_calloc(1, sizeof *ct);
    size_t before = diags->count;

    const char **paths;
    size_t n = wir_content_files(ct, data_dir, "verdicts", diags, &paths);
    ct->verdicts = wir_calloc(n ? n : 1, sizeof *ct->verdicts);
    for (size_t i = 0; i < n; i++) {
        wir_md m;
        wir_verdict *v = &ct->verdicts[ct->n_verdicts++];
        v->loc = (wir_loc){paths[i], 1, 1};
        if (wir_md_read(&m, paths[i], diags)) {
            char *stem = wir_content_stem(paths[i]);
            wir_content_verdict(&m, stem, catalog, v);
            free(stem);
            v->body = m.body;
            v->body_line = m.body_line;
            m.body = NULL;
        }
        wir_md_close(&m);
    }
    free(paths);

    n = wir_content_files(ct, data_dir, "pages", diags, &paths);
    ct->pages = wir_calloc(n ? n : 1, sizeof *ct->pages);
    for (size_t i = 0; i < n; i++) {
        wir_md m;
        wir_page *p = &ct->pages[ct->n_pages++];
        p->loc = (wir_loc){paths[i], 1, 1};
        if (wir_md_read(&m, paths[i], diags)) {
            char *stem = wir_content_stem(paths[i]);
            wir_content_page(&m, stem, p);
            free(stem);
            p->body = m.body;
            p->body_line = m.body_line;
            m.body = NULL;
        }
        wir_md_close(&m);
    }
    free(paths);

    /* Two verdicts on one pairing cannot both be right. */
    for (size_t i = 0; i < ct->n_verdicts; i++)
        for (size_t k = 0; k < i; k++) {
            const wir_verdict *a = &ct->verdicts[k], *b = &ct->verdicts[i];
            if (a->model_slug && b->model_slug && a->gpu_slug && b->gpu_slug &&
                !strcmp(a->model_slug, b->model_slug) && !strcmp(a->gpu_slug, b->gpu_slug) &&
                a->gpu_count == b->gpu_count)
                wir_diag_add(diags, b->loc.file, 1, 1, NULL, "a second verdict on %s × %s (also %s)",
                             b->model_slug, b->gpu_slug, a->loc.file);
        }

    if (diags->count != before) {
        wir_content_free(ct);
        return NULL;
    }
    return ct;
}

static void wir_links_free(wir_link *l, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(l[i].title);
        free(l[i].url);
    }
    free(l);
}

void wir_content_free(wir_content *ct) {
    if (!ct) return;
    for (size_t i = 0; i < ct->n_verdicts; i++) {
        wir_verdict *v = &ct->verdicts[i];
        free(v->slug); free(v->model_slug); free(v->gpu_slug); free(v->quant_slug);
        free(v->tier); free(v->summary); free(v->author); free(v->date); free(v->body);
        wir_links_free(v->sources, v->n_sources);
    }
    free(ct->verdicts);
    for (size_t i = 0; i < ct->n_pages; i++) {
        wir_page *p = &ct->pages[i];
        free(p->slug); free(p->title); free(p->description); free(p->date); free(p->body);
        wir_links_free(p->sources, p->n_sources);
    }
    free(ct->pages);
    for (size_t i = 0; i < ct->n_paths; i++) free(ct->paths[i]);
    free(ct->paths);
    free(ct);
}

const wir_verdict *wir_content_find_verdict(const wir_content *ct, const char *model_slug,
                                            const char *gpu_slug, int32_t gpu_count) {
    for (size_t i = 0; ct && i < ct->n_verdicts; i++) {
        const wir_verdict *v = &ct->verdicts[i];
        if (v->model_slug && v->gpu_slug && !strcmp(v->model_slug, model_slug) &&
            !strcmp(v->gpu_slug, gpu_slug) && v->gpu_count == gpu_count)
            return v;
    }
    return NULL;
}
