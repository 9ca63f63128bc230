/* gen import --llama-bench: published `llama-bench -o json` results as
 * measured runs (data/runs/<id>.json, source kind "import", cited by URL).
 * Which catalog model a llama-bench "qwen2 7B" is stays the editor's call
 * (--model); the file type is read from llama-bench's model_type unless
 * --quant says otherwise. Entries with the same model file and settings
 * form one run. Every written file must pass the catalog's checks, or none
 * is kept. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_fs.h"

typedef struct import_opts {
    const char *file, *hardware, *source, *title, *accessed, *model, *quant, *id, *data;
} import_opts;

static void import_usage(FILE *out) {
    fprintf(out,
            "usage: gen import --llama-bench FILE.json --hardware SLUG --source URL --model SLUG\n"
            "                  [--quant FTYPE] [--title TEXT] [--accessed YYYY-MM-DD] [--id ID]\n"
            "                  [--data DIR]\n\n"
            "Adds `llama-bench -o json` results as data/runs/<id>.json (source kind import).\n"
            "  --hardware SLUG  the data/gpus slug, or \"cpu\" for a CPU-only run\n"
            "  --source URL     where the results are published (https://)\n"
            "  --model SLUG     the catalog model the benchmarked file is\n"
            "  --quant FTYPE    the file type (default: from llama-bench's model_type)\n"
            "  --id ID          the run id (default lb<build>-<hardware>-<model>-<quant>)\n");
}

/* "qwen2 7B Q4_K - Medium" → the catalog file type (llama.cpp's
 * llama_model_ftype_name strings: " - Medium" is _M, and so on). */
static const wir_ftype *import_ftype(const wir_catalog *c, const char *model_type) {
    const char *p = model_type;
    for (int words = 0; p && words < 2; words++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    if (!p) return NULL;
    char name[64];
    snprintf(name, sizeof name, "%s", !strncmp(p, "all ", 4) ? p + 4 : p);
    static const char *const sizes[][2] = {{" - Medium", "_M"}, {" - Small", "_S"},
                                           {" - Large", "_L"}, {" - Extra small", "_XS"},
                                           {" - Extra Small", "_XS"}};
    char *dash = strstr(name, " - ");
    const wir_ftype *ft = NULL;
    if (dash) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0] && !ft; i++)
            if (!strcmp(dash, sizes[i][0])) {
                char full[80];
                snprintf(full, sizeof full, "%.*s%s", (int)(dash - name), name, sizes[i][1]);
                ft = wir_catalog_find_ftype(c, full);
            }
        *dash = '\0'; /* "Q2_K - Medium" is plain Q2_K */
    }
    return ft ? ft : wir_catalog_find_ftype(c, name);
}

/* The settings that make two entries one run. */
static char *import_group_key(const json_t *e) {
    json_t *k = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
                                "f", json_object_get(e, "model_filename"), "b",
                                json_object_get(e, "build_commit"), "t",
                                json_object_get(e, "n_threads"), "nb",
                                json_object_get(e, "n_batch"), "nu",
                                json_object_get(e, "n_ubatch"), "k", json_object_get(e, "type_k"),
                                "g", json_object_get(e, "n_gpu_layers"), "fa",
                                json_object_get(e, "flash_attn"), "be",
                                json_object_get(e, "backends"));
    char *text = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(k);
    return text;
}

static json_t *import_copy(const json_t *e, const char *key) {
    json_t *v = json_object_get(e, key);
    return v ? json_deep_copy(v) : json_null();
}

static json_t *import_run(const import_opts *o, const wir_catalog *c, const json_t *first,
                          const wir_ftype *ft, const char *id) {
    json_t *run = json_object();
    json_object_set_new(run, "id", json_string(id));
    char title[512];
    snprintf(title, sizeof title, "llama-bench results (%s)",
             json_string_value(json_object_get(first, "gpu_info"))
                 ? json_string_value(json_object_get(first, "gpu_info"))
                 : "as published");
    json_object_set_new(run, "source",
                        json_pack("{s:s, s:s, s:s, s:s}", "kind", "import", "url", o->source,
                                  "title", o->title ? o->title : title, "accessed", o->accessed));
    const char *file = json_string_value(json_object_get(first, "model_filename"));
    if (file) {
        char note[512];
        snprintf(note, sizeof note, "llama-bench model file %s (%s)", file,
                 json_string_value(json_object_get(first, "model_type")));
        json_object_set_new(run, "note", json_string(note));
    }
    bool cpu = !strcmp(o->hardware, "cpu");
    json_object_set_new(run, "hardware",
                        cpu ? json_pack("{s:n, s:o}", "gpu", "cpu", import_copy(first, "cpu_info"))
                            : json_pack("{s:s, s:i, s:o}", "gpu", o->hardware, "gpu_count", 1,
                                        "cpu", import_copy(first, "cpu_info")));
    json_object_set_new(run, "model", json_string(o->model));
    json_object_set_new(run, "quant", json_string(ft->slug));
    char build[96];
    snprintf(build, sizeof build, "%lld (%s)",
             (long long)json_integer_value(json_object_get(first, "build_number")),
             json_string_value(json_object_get(first, "build_commit"))
                 ? json_string_value(json_object_get(first, "build_commit")) : "?");
    json_object_set_new(run, "runtime",
                        json_pack("{s:s, s:s, s:o}", "name", "llama-cpp", "build", build,
                                  "backend", import_copy(first, "backends")));
    /* flash_attn is a boolean in older llama-bench, an integer in newer. */
    json_t *fa = json_object_get(first, "flash_attn");
    json_t *fa_v = json_is_boolean(fa) ? json_incref(fa)
                   : json_is_integer(fa) ? json_boolean(json_integer_value(fa) > 0) : json_null();
    json_object_set_new(run, "settings",
                        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "n_gpu_layers",
                                  import_copy(first, "n_gpu_layers"), "flash_attn", fa_v,
                                  "kv_type", import_copy(first, "type_k"), "threads",
                                  import_copy(first, "n_threads"), "n_batch",
                                  import_copy(first, "n_batch"), "n_ubatch",
                                  import_copy(first, "n_ubatch")));
    json_object_set_new(run, "results", json_array());
    (void)c;
    return run;
}

static void import_add_result(json_t *run, const json_t *e) {
    json_int_t np = json_integer_value(json_object_get(e, "n_prompt"));
    json_int_t ng = json_integer_value(json_object_get(e, "n_gen"));
    /* Keys in the catalog's order, null where llama-bench printed nothing. */
    json_t *x = json_object();
    json_object_set_new(x, "test", json_string(ng ? "tg" : "pp"));
    json_object_set_new(x, "n_prompt", json_integer(ng ? 0 : np));
    json_object_set_new(x, "n_gen", json_integer(ng));
    json_object_set_new(x, "depth", json_integer(json_integer_value(json_object_get(e, "n_depth"))));
    json_object_set_new(x, "tokens_per_s", import_copy(e, "avg_ts"));
    json_object_set_new(x, "stddev", import_copy(e, "stddev_ts"));
    json_object_set_new(x, "samples", import_copy(e, "samples_ts"));
    json_array_append_new(json_object_get(run, "results"), x);
}

int gen_cmd_import(int argc, char **argv) {
    import_opts o = {0};
    o.data = "data";
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    o.accessed = today;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            import_usage(stdout);
            return 0;
        }
        if (gen_engine_opt(argc, argv, &i, "--llama-bench", &o.file) ||
            gen_engine_opt(argc, argv, &i, "--hardware", &o.hardware) ||
            gen_engine_opt(argc, argv, &i, "--source", &o.source) ||
            gen_engine_opt(argc, argv, &i, "--title", &o.title) ||
            gen_engine_opt(argc, argv, &i, "--accessed", &o.accessed) ||
            gen_engine_opt(argc, argv, &i, "--model", &o.model) ||
            gen_engine_opt(argc, argv, &i, "--quant", &o.quant) ||
            gen_engine_opt(argc, argv, &i, "--id", &o.id) ||
            gen_engine_opt(argc, argv, &i, "--data", &o.data))
            continue;
        fprintf(stderr, "gen import: unknown option '%s'\n", argv[i]);
        import_usage(stderr);
        return 2;
    }
    if (!o.file || !o.hardware || !o.source || !o.model) {
        fprintf(stderr, "gen import: --llama-bench, --hardware, --source and --model are required\n");
        import_usage(stderr);
        return 2;
    }
    wir_catalog *c = gen_engine_load("import", o.data);
    if (!c) return 1;
    int rc = 1;
    json_error_t jerr;
    json_t *rows = json_load_file(o.file, JSON_REJECT_DUPLICATES, &jerr);
    json_t *groups = json_object(); /* group key → run */
    json_t *order = json_array();
    if (!rows || !json_is_array(rows) || json_array_size(rows) == 0) {
        fprintf(stderr, "%s:%d:%d: expected llama-bench -o json output (an array of results)%s%s\n",
                o.file, rows ? 1 : jerr.line, rows ? 1 : jerr.column, rows ? "" : ": ",
                rows ? "" : jerr.text);
        goto done;
    }
    if (!gen_engine_model(c, "import", o.model) ||
        (strcmp(o.hardware, "cpu") && !gen_engine_gpu(c, "import", o.hardware, &(int32_t){0})))
        goto done;
    size_t i;
    json_t *e;
    json_array_foreach(rows, i, e) {
        const char *mt = json_string_value(json_object_get(e, "model_type"));
        const wir_ftype *ft = o.quant ? gen_engine_ftype(c, "import", o.quant)
                                      : import_ftype(c, mt ? mt : "");
        if (!ft) {
            fprintf(stderr, "%s: [%zu].model_type: no catalog file type for \"%s\"; give --quant\n",
                    o.file, i, json_string_value(json_object_get(e, "model_type")));
            goto done;
        }
        if (json_integer_value(json_object_get(e, "n_prompt")) &&
            json_integer_value(json_object_get(e, "n_gen"))) {
            fprintf(stderr, "%s: [%zu]: a combined pp+tg test has no catalog form; skipped\n",
                    o.file, i);
            continue;
        }
        char *key = import_group_key(e);
        json_t *run = json_object_get(groups, key);
        if (!run) {
            char id[256];
            if (o.id && json_array_size(order) == 0) snprintf(id, sizeof id, "%s", o.id);
            else if (o.id) snprintf(id, sizeof id, "%s-%zu", o.id, json_array_size(order) + 1);
            else
                snprintf(id, sizeof id, "lb%lld-%s-%s-%s",
                         (long long)json_integer_value(json_object_get(e, "build_number")),
                         o.hardware, o.model, ft->slug);
            run = import_run(&o, c, e, ft, id);
            json_object_set_new(groups, key, run);
            json_array_append(order, run);
        }
        free(key);
        import_add_result(run, e);
    }
    char **paths = calloc(json_array_size(order) + 1, sizeof *paths);
    size_t n = 0;
    bool ok = true;
    json_t *run;
    json_array_foreach(order, i, run) {
        char *path = NULL;
        char name[300];
        snprintf(name, sizeof name, "runs/%s.json", json_string_value(json_object_get(run, "id")));
        char *probe_path = wir_fs_join(o.data, name);
        bool exists = access(probe_path, F_OK) == 0;
        if (exists) {
            fprintf(stderr, "gen import: %s exists; give another --id\n", probe_path);
            free(probe_path);
            ok = false;
            break;
        }
        free(probe_path);
        if (gen_engine_write_run(o.data, run, &path) != 0) {
            fprintf(stderr, "gen import: %s: %s\n", path, strerror(errno));
            ok = false;
        }
        paths[n++] = path;
        if (!ok) break;
    }
    /* What was written must pass gen check, or it goes again. */
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *after = ok ? wir_catalog_load(o.data, &diags) : NULL;
    if (!after) {
        wir_diag_list_sort(&diags);
        wir_diag_list_print(stderr, &diags);
        for (size_t k = 0; k < n; k++) unlink(paths[k]);
        fprintf(stderr, "gen import: nothing imported\n");
    } else {
        for (size_t k = 0; k < n; k++) printf("imported %s\n", paths[k]);
        rc = 0;
    }
    wir_catalog_free(after);
    wir_diag_list_free(&diags);
    for (size_t k = 0; k < n; k++) free(paths[k]);
    free(paths);
done:
    json_decref(rows);
    json_decref(groups);
    json_decref(order);
    wir_catalog_free(c);
    return rc;
}
