/* wir_store_catalog: the catalog's runs (data/runs/<id>.json, data/README.md)
 * in the results database, and back.
 *
 * `gen results` writes every reviewed run of data/runs into a fresh database
 * with wir_store_put_catalog_run; `gen build --db` reads them back with
 * wir_store_catalog_run and hands the document to the catalog's own run
 * reader, so a run shown from the database has passed the same checks as
 * the file it came from. The mapping is field for field (the schema's
 * version 4 columns, wir_store.h): a document put and read back equals the
 * file, with absent optional members and nulls alike.
 *
 * The documents come from the catalog's loader, which has validated them:
 * here a member of the wrong type is stored as NULL rather than refused.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_store.h"
#include "wir_store_int.h"

static int cat_fail(sqlite3 *db, char **err, const char *what, const char *id) {
    if (err) {
        char *msg = sqlite3_mprintf("run %s: %s: %s", id ? id : "?", what, sqlite3_errmsg(db));
        *err = msg ? strdup(msg) : NULL;
        sqlite3_free(msg);
    }
    return -1;
}

/* Binds member key of o (a string, an integer, a real, a boolean as 0/1, or
 * NULL when absent, null or of another shape) to parameter i. */
static void cat_bind(sqlite3_stmt *st, int i, const json_t *o, const char *key) {
    const json_t *v = o ? json_object_get(o, key) : NULL;
    if (json_is_string(v))
        sqlite3_bind_text(st, i, json_string_value(v), -1, SQLITE_TRANSIENT);
    else if (json_is_integer(v))
        sqlite3_bind_int64(st, i, (sqlite3_int64)json_integer_value(v));
    else if (json_is_real(v))
        sqlite3_bind_double(st, i, json_real_value(v));
    else if (json_is_boolean(v))
        sqlite3_bind_int(st, i, json_is_true(v));
    else
        sqlite3_bind_null(st, i);
}

/* The host members of a probe run, in the order of the host_* columns. */
static const char *const cat_host_keys[] = {
    "cpu_model", "cpu_cores", "cpu_threads", "ram_bytes", "cpu_features", "os",
    "kernel",    "arch",      "gpu_name",    "gpu_memory_bytes", "gpu_driver", "cuda_version"};
#define CAT_N_HOST (sizeof cat_host_keys / sizeof cat_host_keys[0])

static const char cat_insert_run[] =
    "INSERT INTO runs (complete, model_source, catalog_id, source_kind, source_url,"
    " source_title, source_accessed, submitter, submitted_at, started_at, note,"
    " hardware_gpu, gpu_count, hardware_cpu, model_slug, ftype, runtime, runtime_build,"
    " backend, n_gpu_layers, flash_attn, kv_type, n_threads, n_batch, n_ubatch,"
    " command_line, host_cpu_model, host_cpu_cores, host_cpu_threads, host_ram_bytes,"
    " host_cpu_features, host_os, host_kernel, host_arch, host_gpu_name,"
    " host_gpu_memory_bytes, host_gpu_driver, host_cuda_version)"
    " VALUES (1, 'catalog', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,"
    " ?31, ?32, ?33, ?34, ?35, ?36)";

static int cat_put_results(sqlite3 *db, int64_t run_id, const json_t *results, const char *id,
                           char **err) {
    sqlite3_stmt *rs = NULL, *ss = NULL;
    if (sqlite3_prepare_v2(db,
            "INSERT INTO results (run_id, seq, test, n_prompt, n_gen, depth, status,"
            " tokens_per_s, stddev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ok', ?7, ?8)",
            -1, &rs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO samples (result_id, rep, tokens_per_s)"
                               " VALUES (?1, ?2, ?3)", -1, &ss, NULL) != SQLITE_OK) {
        sqlite3_finalize(rs);
        sqlite3_finalize(ss);
        return cat_fail(db, err, "cannot prepare the results", id);
    }
    int rc = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r) {
        sqlite3_reset(rs);
        sqlite3_bind_int64(rs, 1, run_id);
        sqlite3_bind_int64(rs, 2, (sqlite3_int64)i);
        static const char *const keys[] = {"test", "n_prompt", "n_gen", "depth",
                                           "tokens_per_s", "stddev"};
        for (int k = 0; k < 6; k++) cat_bind(rs, 3 + k, r, keys[k]);
        if (sqlite3_step(rs) != SQLITE_DONE) {
            rc = cat_fail(db, err, "cannot store a result", id);
            break;
        }
        int64_t result_id = sqlite3_last_insert_rowid(db);
        size_t j;
        const json_t *v;
        json_array_foreach(json_object_get(r, "samples"), j, v) {
            sqlite3_reset(ss);
            sqlite3_bind_int64(ss, 1, result_id);
            sqlite3_bind_int64(ss, 2, (sqlite3_int64)j);
            sqlite3_bind_double(ss, 3, json_number_value(v));
            if (sqlite3_step(ss) != SQLITE_DONE) {
                rc = cat_fail(db, err, "cannot store a sample", id);
                break;
            }
        }
        if (rc) break;
    }
    sqlite3_finalize(rs);
    sqlite3_finalize(ss);
    return rc;
}

int wir_store_put_catalog_run(wir_store *store, const json_t *doc, char **err) {
    sqlite3 *db = wir_store_handle(store);
    const char *id = json_string_value(json_object_get(doc, "id"));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, cat_insert_run, -1, &st, NULL) != SQLITE_OK)
        return cat_fail(db, err, "cannot prepare the run", id);
    const json_t *src = json_object_get(doc, "source");
    const json_t *hw = json_object_get(doc, "hardware");
    const json_t *rt = json_object_get(doc, "runtime");
    const json_t *set = json_object_get(doc, "settings");
    const json_t *host = json_object_get(doc, "host");
    int i = 1;
    cat_bind(st, i++, doc, "id");
    static const char *const source_keys[] = {"kind", "url", "title", "accessed",
                                              "submitter", "submitted_at", "measured_at"};
    for (int k = 0; k < 7; k++) cat_bind(st, i++, src, source_keys[k]);
    cat_bind(st, i++, doc, "note");
    cat_bind(st, i++, hw, "gpu");
    cat_bind(st, i++, hw, "gpu_count");
    cat_bind(st, i++, hw, "cpu");
    cat_bind(st, i++, doc, "model");
    cat_bind(st, i++, doc, "quant");
    cat_bind(st, i++, rt, "name");
    cat_bind(st, i++, rt, "build");
    cat_bind(st, i++, rt, "backend");
    static const char *const setting_keys[] = {"n_gpu_layers", "flash_attn", "kv_type",
                                               "threads", "n_batch", "n_ubatch"};
    for (int k = 0; k < 6; k++) cat_bind(st, i++, set, setting_keys[k]);
    cat_bind(st, i++, doc, "reproduce");
    for (size_t k = 0; k < CAT_N_HOST; k++) cat_bind(st, i++, host, cat_host_keys[k]);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = cat_fail(db, err, "cannot store the run", id);
    sqlite3_finalize(st);
    if (rc == 0)
        rc = cat_put_results(db, sqlite3_last_insert_rowid(db), json_object_get(doc, "results"),
                             id, err);
    return rc;
}

/* ---- reading back -------------------------------------------------------- */

/* Sets key to column i unless it is NULL (an optional member left out). */
static void cat_set_present(json_t *o, const char *key, sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) != SQLITE_NULL)
        json_object_set_new(o, key, wir_store_col(st, i));
}

static json_t *cat_results(sqlite3 *db, int64_t run_id, const char *id, char **err) {
    sqlite3_stmt *rs = NULL, *ss = NULL;
    if (sqlite3_prepare_v2(db,
            "SELECT id, test, n_prompt, n_gen, depth, tokens_per_s, stddev FROM results"
            " WHERE run_id = ?1 AND status = 'ok' ORDER BY seq", -1, &rs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT tokens_per_s FROM samples WHERE result_id = ?1"
                               " ORDER BY rep", -1, &ss, NULL) != SQLITE_OK) {
        sqlite3_finalize(rs);
        sqlite3_finalize(ss);
        cat_fail(db, err, "cannot read the results", id);
        return NULL;
    }
    sqlite3_bind_int64(rs, 1, run_id);
    json_t *a = json_array();
    while (sqlite3_step(rs) == SQLITE_ROW) {
        static const char *const keys[] = {"test", "n_prompt", "n_gen", "depth",
                                           "tokens_per_s", "stddev"};
        json_t *r = json_object();
        for (int k = 0; k < 6; k++) json_object_set_new(r, keys[k], wir_store_col(rs, 1 + k));
        json_t *samples = json_array();
        sqlite3_reset(ss);
        sqlite3_bind_int64(ss, 1, sqlite3_column_int64(rs, 0));
        while (sqlite3_step(ss) == SQLITE_ROW)
            json_array_append_new(samples, json_real(sqlite3_column_double(ss, 0)));
        /* Samples a source did not publish are null, not an empty list. */
        if (json_array_size(samples) == 0) {
            json_decref(samples);
            samples = json_null();
        }
        json_object_set_new(r, "samples", samples);
        json_array_append_new(a, r);
    }
    sqlite3_finalize(rs);
    sqlite3_finalize(ss);
    return a;
}

json_t *wir_store_catalog_run(wir_store *store, int64_t run_id, char **err) {
    sqlite3 *db = wir_store_handle(store);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
            "SELECT catalog_id, source_kind, source_url, source_title, source_accessed,"
            " submitter, submitted_at, started_at, note, hardware_gpu, gpu_count, hardware_cpu,"
            " model_slug, ftype, runtime, runtime_build, backend, n_gpu_layers, flash_attn,"
            " kv_type, n_threads, n_batch, n_ubatch, command_line, host_cpu_model,"
            " host_cpu_cores, host_cpu_threads, host_ram_bytes, host_cpu_features, host_os,"
            " host_kernel, host_arch, host_gpu_name, host_gpu_memory_bytes, host_gpu_driver,"
            " host_cuda_version FROM runs WHERE id = ?1 AND catalog_id IS NOT NULL",
            -1, &st, NULL) != SQLITE_OK) {
        cat_fail(db, err, "cannot read the run", "?");
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (err) {
            char buf[96];
            snprintf(buf, sizeof buf, "no catalog run %lld in the database", (long long)run_id);
            *err = strdup(buf);
        }
        return NULL;
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "id", wir_store_col(st, 0));
    json_t *src = json_object();
    json_object_set_new(src, "kind", wir_store_col(st, 1));
    static const char *const source_keys[] = {"url", "title", "accessed", "submitter",
                                              "submitted_at", "measured_at"};
    for (int k = 0; k < 6; k++) cat_set_present(src, source_keys[k], st, 2 + k);
    json_object_set_new(doc, "source", src);
    cat_set_present(doc, "note", st, 8);
    json_t *hw = json_object();
    json_object_set_new(hw, "gpu", wir_store_col(st, 9));
    cat_set_present(hw, "gpu_count", st, 10);
    json_object_set_new(hw, "cpu", wir_store_col(st, 11));
    json_object_set_new(doc, "hardware", hw);
    json_object_set_new(doc, "model", wir_store_col(st, 12));
    json_object_set_new(doc, "quant", wir_store_col(st, 13));
    json_object_set_new(doc, "runtime",
                        json_pack("{s:o, s:o, s:o}", "name", wir_store_col(st, 14), "build",
                                  wir_store_col(st, 15), "backend", wir_store_col(st, 16)));
    json_t *set = json_object();
    json_object_set_new(set, "n_gpu_layers", wir_store_col(st, 17));
    json_object_set_new(set, "flash_attn", sqlite3_column_type(st, 18) == SQLITE_NULL
                                               ? json_null()
                                               : json_boolean(sqlite3_column_int(st, 18)));
    static const char *const setting_keys[] = {"kv_type", "threads", "n_batch", "n_ubatch"};
    for (int k = 0; k < 4; k++)
        json_object_set_new(set, setting_keys[k], wir_store_col(st, 19 + k));
    json_object_set_new(doc, "settings", set);
    json_t *results = cat_results(db, run_id, json_string_value(json_object_get(doc, "id")), err);
    if (!results) {
        sqlite3_finalize(st);
        json_decref(doc);
        return NULL;
    }
    json_object_set_new(doc, "results", results);
    /* A probe run's machine and command; an import has neither. */
    if (!strcmp(json_string_value(json_object_get(src, "kind")), "probe")) {
        json_t *host = json_object();
        for (size_t k = 0; k < CAT_N_HOST; k++)
            json_object_set_new(host, cat_host_keys[k], wir_store_col(st, 24 + (int)k));
        json_object_set_new(doc, "host", host);
    }
    cat_set_present(doc, "reproduce", st, 23);
    sqlite3_finalize(st);
    return doc;
}
