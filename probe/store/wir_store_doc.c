/* wir_store_doc: a stored run as the "willitrun.run/1" submission document
 * that `probe submit` sends. Field names are wir_submission.h's (the shared
 * definition the intake checks); docs/submissions.md lists them. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_store.h"
#include "wir_store_int.h"
#include "wir_submission.h"

static int doc_fail(char **err, const char *msg, long long id) {
    if (err) {
        char buf[256];
        snprintf(buf, sizeof buf, msg, id);
        *err = strdup(buf);
    }
    return -1;
}

json_t *wir_store_col(sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer((json_int_t)sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT: return json_string((const char *)sqlite3_column_text(st, i));
    default: return json_null();
    }
}

static json_t *doc_results(sqlite3 *db, int64_t run_id, char **err) {
    sqlite3_stmt *st = NULL, *sm = NULL;
    if (sqlite3_prepare_v2(db,
            "SELECT id, test, n_prompt, n_gen, depth, tokens_per_s, stddev, peak_memory_bytes,"
            " peak_device_bytes FROM results WHERE run_id = ?1 AND status = 'ok' ORDER BY seq",
            -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT tokens_per_s FROM samples WHERE result_id = ?1 ORDER BY rep",
                           -1, &sm, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        sqlite3_finalize(sm);
        doc_fail(err, "cannot read the results of run %lld", (long long)run_id);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, run_id);
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        static const char *const names[] = {"test", "n_prompt", "n_gen", "depth", "tokens_per_s",
                                            "stddev", "peak_memory_bytes", "peak_device_bytes"};
        json_t *r = json_object();
        for (int i = 0; i < 8; i++) json_object_set_new(r, names[i], wir_store_col(st, i + 1));
        json_t *samples = json_array();
        sqlite3_reset(sm);
        sqlite3_bind_int64(sm, 1, sqlite3_column_int64(st, 0));
        while (sqlite3_step(sm) == SQLITE_ROW)
            json_array_append_new(samples, json_real(sqlite3_column_double(sm, 0)));
        json_object_set_new(r, "samples", samples);
        json_array_append_new(a, r);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(sm);
    return a;
}

json_t *wir_store_submission(wir_store *store, int64_t run_id, const char *submitter,
                             const char *key, char **err) {
    sqlite3 *db = wir_store_handle(store);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
            "SELECT complete, model_source, model_slug, ftype, started_at, probe_version,"
            " probe_commit, backend, n_threads, n_batch, kv_type, command_line,"
            " host_cpu_model, host_cpu_cores, host_cpu_threads, host_ram_bytes,"
            " host_cpu_features, host_os, host_kernel, host_arch, host_gpu_name,"
            " host_gpu_memory_bytes, host_gpu_driver, host_cuda_version"
            " FROM runs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        doc_fail(err, "cannot read run %lld", (long long)run_id);
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, run_id);
    json_t *doc = NULL;
    if (sqlite3_step(st) != SQLITE_ROW) {
        doc_fail(err, "no run %lld in the database", (long long)run_id);
    } else if (sqlite3_column_int(st, 0) != 1) {
        doc_fail(err, "run %lld did not finish (the catalog takes whole runs only)",
                 (long long)run_id);
    } else if (strcmp((const char *)sqlite3_column_text(st, 1), "catalog") != 0) {
        doc_fail(err, "run %lld measured a GGUF file; the catalog takes runs of catalog "
                      "models (probe run --model SLUG --quant FTYPE)", (long long)run_id);
    } else {
        char build[128];
        snprintf(build, sizeof build, "%s (%s)", (const char *)sqlite3_column_text(st, 5),
                 (const char *)sqlite3_column_text(st, 6));
        const char *backend = (const char *)sqlite3_column_text(st, 7);
        doc = json_object();
        json_object_set_new(doc, "schema", json_string(WIR_SUBMISSION_SCHEMA));
        json_object_set_new(doc, "key", json_string(key));
        json_object_set_new(doc, "submitter", json_string(submitter));
        json_object_set_new(doc, "started_at", wir_store_col(st, 4));
        json_object_set_new(doc, "model", wir_store_col(st, 2));
        json_object_set_new(doc, "quant", wir_store_col(st, 3));
        json_object_set_new(doc, "runtime",
                            json_pack("{s:s, s:s, s:s}", "name", "probe", "build", build,
                                      "backend", strcmp(backend, "cuda") ? "CPU" : "CUDA"));
        /* The probe never splits a batch: n_ubatch is n_batch. */
        json_object_set_new(doc, "settings",
                            json_pack("{s:o, s:o, s:o, s:o}", "threads", wir_store_col(st, 8),
                                      "n_batch", wir_store_col(st, 9), "n_ubatch",
                                      wir_store_col(st, 9), "kv_type", wir_store_col(st, 10)));
        static const char *const host[] = {"cpu_model", "cpu_cores",  "cpu_threads", "ram_bytes",
                                           "cpu_features", "os", "kernel", "arch", "gpu_name",
                                           "gpu_memory_bytes", "gpu_driver", "cuda_version"};
        json_t *h = json_object();
        for (int i = 0; i < 12; i++) json_object_set_new(h, host[i], wir_store_col(st, 12 + i));
        json_object_set_new(doc, "host", h);
        json_object_set_new(doc, "reproduce", wir_store_col(st, 11));
        json_t *results = doc_results(db, run_id, err);
        if (!results || json_array_size(results) == 0) {
            if (results) doc_fail(err, "run %lld has no ok result to submit", (long long)run_id);
            json_decref(results);
            json_decref(doc);
            doc = NULL;
        } else {
            json_object_set_new(doc, "results", results);
        }
    }
    sqlite3_finalize(st);
    return doc;
}
