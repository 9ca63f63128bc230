/* Helpers the probe-bench tests share (see test_support.h). */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wir_host.h"

void test_fill_run(wir_run_info *run) {
    memset(run, 0, sizeof *run);
    char *argv[] = {"run", "--model", "qwen2-5-0-5b", "--quant", "q4-k-m"};
    run->command_line = wir_record_command_line("probe", 5, argv);
    run->probe_version = strdup("0.1.0");
    run->probe_commit = strdup("0123456789ab");
    wir_record_now(run->started_at);
    run->source = WIR_RUN_CATALOG;
    run->model_slug = strdup("qwen2-5-0-5b");
    run->ftype = strdup("q4-k-m");
    run->model_name = strdup("Qwen2.5 0.5B");
    run->quant = strdup("Q4_K_M");
    run->model_params = 494032768;
    run->model_bytes = 397808192;
    run->n_ctx = 48;
    run->n_threads = 2;
    run->n_batch = 512;
    run->kv_type = strdup("f16");
    run->backend = strdup("cpu");
    run->device = strdup("test CPU");
    run->reps = 3;
    wir_host_detect(&run->host);
}

char *test_fresh_db(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    return path;
}

char *test_query_text(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st = NULL;
    char *v = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = strdup((const char *)sqlite3_column_text(st, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fprintf(stderr, "query '%s': %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return v;
}

long long test_query_int(sqlite3 *db, const char *sql) {
    char *v = test_query_text(db, sql);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}
