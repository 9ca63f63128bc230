/* probe.store.*: the SQLite store — a fresh schema, a v1 database migrated to
 * the current version, a round trip of a run, a database newer than the
 * probe refused, and runs SIGKILLed midway leaving a consistent database with
 * their finished results. argv[1] names the case, argv[2] a scratch folder. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "stub_backend.h"
#include "test_support.h"
#include "wir_bench.h"
#include "wir_host.h"
#include "wir_store.h"

static char *db_path;

static void fresh_db(const char *dir, const char *name) {
    free(db_path);
    db_path = test_fresh_db(dir, name);
}

static bool has_column(sqlite3 *db, const char *table, const char *column) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'",
             table, column);
    return test_query_int(db, sql) == 1;
}

/* Every one of COLS is a column of TABLE. */
static void check_columns(sqlite3 *db, const char *table, const char *const *cols, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!has_column(db, table, cols[i])) {
            fprintf(stderr, "%s lacks %s\n", table, cols[i]);
            wir_check_failures++;
        }
}

static void fill_run(wir_run_info *run) {
    test_fill_run(run);
    run->model_bytes = -1; /* not known yet: NULL until updated */
    run->n_ctx = -1;
}

static void fill_ok_result(wir_result *r, int32_t n_gen, int32_t reps) {
    wir_result_init(r, WIR_TEST_TG, 0, n_gen, 0);
    r->n_samples = reps;
    r->samples_ns = calloc((size_t)reps, sizeof *r->samples_ns);
    r->samples_ts = calloc((size_t)reps, sizeof *r->samples_ts);
    for (int32_t i = 0; i < reps; i++) {
        r->samples_ns[i] = 1000000 * (i + 1);
        r->samples_ts[i] = n_gen * 1e9 / (double)r->samples_ns[i];
    }
    wir_bench_mean_sd(r->samples_ts, reps, &r->tokens_per_s, &r->stddev);
    r->bytes_needed = 100;
    r->bytes_available = 200;
}

/* A new database has the current schema, WAL journaling, foreign keys and a
 * busy timeout; opening it again migrates nothing. */
static void case_schema(const char *dir) {
    fresh_db(dir, "schema.db");
    wir_store *s;
    char *err = NULL;
    CHECK(wir_store_open(db_path, &s, &err) == 0);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return;
    }
    sqlite3 *db = wir_store_handle(s);
    CHECK(wir_store_schema_version(s) == WIR_STORE_SCHEMA_VERSION);
    CHECK(test_query_int(db, "PRAGMA user_version") == WIR_STORE_SCHEMA_VERSION);
    char *mode = test_query_text(db, "PRAGMA journal_mode");
    CHECK_STR(mode, "wal");
    free(mode);
    CHECK(test_query_int(db, "PRAGMA foreign_keys") == 1);
    CHECK(test_query_int(db, "PRAGMA busy_timeout") == 5000);
    CHECK(test_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'") == 3);
    static const char *const run_cols[] = {
        "id", "started_at", "finished_at", "complete", "probe_version", "probe_commit",
        "command_line", "model_source", "model_slug", "ftype", "gguf_sha256", "gguf_name",
        "gguf_file", "model_name", "quant", "model_params", "model_bytes", "n_ctx", "n_threads",
        "n_batch", "kv_type", "backend", "device", "reps", "host_cpu_model", "host_cpu_cores", "host_cpu_threads",
        "host_ram_bytes", "host_cpu_features", "host_os", "host_kernel", "host_arch",
        "host_gpu_name", "host_gpu_memory_bytes", "host_gpu_driver", "host_cuda_version", "sent",
        "sent_at", "sent_id"};
    check_columns(db, "runs", run_cols, sizeof run_cols / sizeof run_cols[0]);
    static const char *const result_cols[] = {
        "id", "run_id", "seq", "test", "n_prompt", "n_gen", "depth", "status", "error",
        "bytes_needed", "bytes_available", "tokens_per_s", "stddev", "avg_ns", "stddev_ns",
        "ttft_ms", "peak_memory_bytes", "peak_device_bytes", "started_at", "finished_at",
        "power_w", "joules_per_token", "gpu_util_pct", "gpu_memory_used_bytes",
        "profile_matmul_ns", "profile_attention_ns", "profile_other_ns"};
    check_columns(db, "results", result_cols, sizeof result_cols / sizeof result_cols[0]);
    CHECK(has_column(db, "samples", "result_id") && has_column(db, "samples", "rep") &&
          has_column(db, "samples", "ns") && has_column(db, "samples", "tokens_per_s"));
    /* the CHECK constraints hold */
    CHECK(sqlite3_exec(db, "INSERT INTO results (run_id, seq, test, n_prompt, n_gen, depth, "
                           "status, started_at, finished_at) VALUES (1, 0, 'xx', 0, 0, 0, 'ok', "
                           "'', '')", NULL, NULL, NULL) != SQLITE_OK);
    wir_store_close(s);
    CHECK(wir_store_open(db_path, &s, &err) == 0);
    CHECK(s && wir_store_schema_version(s) == WIR_STORE_SCHEMA_VERSION);
    wir_store_close(s);
}

/* A run and its results go in and come back out, nulls as NULL. */
static void case_roundtrip(const char *dir) {
    fresh_db(dir, "roundtrip.db");
    wir_store *s;
    char *err = NULL;
    CHECK(wir_store_open(db_path, &s, &err) == 0);
    if (!s)
        return;
    wir_run_info run;
    fill_run(&run);
    int64_t id = -1;
    CHECK(wir_store_begin_run(s, &run, &id, &err) == 0 && id > 0);
    wir_result ok, dnf;
    fill_ok_result(&ok, 4, 3);
    wir_result_init(&dnf, WIR_TEST_PP, 512, 0, 4096);
    dnf.status = WIR_RESULT_DOES_NOT_FIT;
    dnf.bytes_needed = 141000000000LL;
    dnf.bytes_available = 23000000000LL;
    CHECK(wir_store_add_result(s, id, 0, &ok, &err) == 0);
    CHECK(wir_store_add_result(s, id, 1, &dnf, &err) == 0);
    CHECK(wir_store_add_result(s, id, 1, &dnf, &err) == -1); /* (run, seq) is unique */
    CHECK(err && strstr(err, "UNIQUE"));
    free(err);
    err = NULL;
    run.model_bytes = 397808192;
    run.n_ctx = 4608;
    CHECK(wir_store_update_run(s, id, &run, &err) == 0);
    CHECK(wir_store_finish_run(s, id, &err) == 0);

    sqlite3 *db = wir_store_handle(s);
    CHECK(test_query_int(db, "SELECT complete FROM runs") == 1);
    CHECK(test_query_int(db, "SELECT finished_at IS NOT NULL FROM runs") == 1);
    CHECK(test_query_int(db, "SELECT model_bytes FROM runs") == 397808192);
    CHECK(test_query_int(db, "SELECT n_ctx FROM runs") == 4608);
    char *v = test_query_text(db, "SELECT command_line FROM runs");
    CHECK_STR(v, "probe run --model qwen2-5-0-5b --quant q4-k-m");
    free(v);
    v = test_query_text(db, "SELECT model_source || ' ' || model_slug || ' ' || ftype FROM runs");
    CHECK_STR(v, "catalog qwen2-5-0-5b q4-k-m");
    free(v);
    CHECK(test_query_int(db, "SELECT gguf_sha256 IS NULL AND host_gpu_name IS NULL AND "
                        "host_gpu_memory_bytes IS NULL AND host_cuda_version IS NULL FROM runs") == 1);
    CHECK(test_query_int(db, "SELECT host_ram_bytes > 0 AND host_cpu_threads >= 1 FROM runs") == 1);
    CHECK(test_query_int(db, "SELECT sent FROM runs") == 0);
    CHECK(test_query_int(db, "SELECT count(*) FROM results WHERE run_id = 1") == 2);
    CHECK(test_query_int(db, "SELECT count(*) FROM samples") == 3);
    CHECK(test_query_int(db, "SELECT sum(ns) FROM samples") == 6000000);
    v = test_query_text(db, "SELECT test || n_gen || ' ' || status FROM results WHERE seq = 0");
    CHECK_STR(v, "tg4 ok");
    free(v);
    CHECK(test_query_int(db, "SELECT abs(tokens_per_s - (SELECT avg(tokens_per_s) FROM samples)) < 1e-9"
                        " FROM results WHERE seq = 0") == 1);
    CHECK(test_query_int(db, "SELECT ttft_ms IS NULL AND power_w IS NULL AND profile_matmul_ns IS NULL"
                        " FROM results WHERE seq = 0") == 1);
    v = test_query_text(db, "SELECT status || ' ' || bytes_needed || ' ' || bytes_available || ' ' ||"
                       " depth || ' ' || (tokens_per_s IS NULL) FROM results WHERE seq = 1");
    CHECK_STR(v, "does-not-fit 141000000000 23000000000 4096 1");
    free(v);

    CHECK(wir_store_mark_sent(s, id, "run-2026-12-01-0001", &err) == 0);
    v = test_query_text(db, "SELECT sent || ' ' || sent_id || ' ' || (sent_at IS NOT NULL) FROM runs");
    CHECK_STR(v, "1 run-2026-12-01-0001 1");
    free(v);
    CHECK(wir_store_mark_sent(s, 99, "x", &err) == -1);
    free(err);
    wir_result_free(&ok);
    wir_result_free(&dnf);
    wir_run_info_free(&run);
    wir_store_close(s);
}

/* A v1 database (as the first schema made it) migrates to the current one:
 * its rows survive, the new columns take their defaults, new writes work. */
static void case_migrate(const char *dir) {
    fresh_db(dir, "migrate.db");
    wir_store *s;
    char *err = NULL;
    CHECK(wir_store_open_at(db_path, 1, &s, &err) == 0);
    if (!s)
        return;
    sqlite3 *db = wir_store_handle(s);
    CHECK(test_query_int(db, "PRAGMA user_version") == 1);
    CHECK(!has_column(db, "runs", "sent") && !has_column(db, "results", "power_w"));
    CHECK(sqlite3_exec(db,
        "INSERT INTO runs (started_at, complete, probe_version, probe_commit, command_line,"
        " model_source, model_slug, ftype, backend, n_threads)"
        " VALUES ('2026-11-30T10:00:00Z', 1, '0.0.9', 'old', 'probe run --model m --quant f16',"
        " 'catalog', 'llama-3-2-1b', 'f16', 'cpu', 4);"
        "INSERT INTO results (run_id, seq, test, n_prompt, n_gen, depth, status, tokens_per_s,"
        " stddev, started_at, finished_at)"
        " VALUES (1, 0, 'pp', 512, 0, 0, 'ok', 123.5, 1.5, '2026-11-30T10:00:01Z',"
        " '2026-11-30T10:00:09Z');"
        "INSERT INTO samples VALUES (1, 0, 4145748988, 123.5);",
        NULL, NULL, NULL) == SQLITE_OK);
    wir_store_close(s);

    CHECK(wir_store_open(db_path, &s, &err) == 0);
    if (!s)
        return;
    db = wir_store_handle(s);
    CHECK(wir_store_schema_version(s) == WIR_STORE_SCHEMA_VERSION);
    CHECK(test_query_int(db, "PRAGMA user_version") == WIR_STORE_SCHEMA_VERSION);
    char *v = test_query_text(db, "SELECT model_slug || ' ' || sent || ' ' || (sent_id IS NULL) FROM runs");
    CHECK_STR(v, "llama-3-2-1b 0 1");
    free(v);
    CHECK(test_query_int(db, "SELECT power_w IS NULL AND profile_other_ns IS NULL FROM results") == 1);
    CHECK(test_query_int(db, "SELECT count(*) FROM samples") == 1);
    wir_result r;
    fill_ok_result(&r, 8, 2);
    r.power_w = 250.5;
    r.profile.matmul_ns = 10, r.profile.attention_ns = 5, r.profile.other_ns = 1;
    CHECK(wir_store_add_result(s, 1, 1, &r, &err) == 0);
    CHECK(test_query_int(db, "SELECT profile_matmul_ns FROM results WHERE seq = 1") == 10);
    CHECK(test_query_int(db, "SELECT power_w * 10 FROM results WHERE seq = 1") == 2505);
    v = test_query_text(db, "PRAGMA integrity_check");
    CHECK_STR(v, "ok");
    free(v);
    /* Version 4 rebuilt the tables: the probe's run is no catalog run, and
     * the foreign keys hold as before. */
    CHECK(test_query_int(db, "SELECT catalog_id IS NULL AND runtime = 'probe' FROM runs") == 1);
    CHECK(sqlite3_exec(db, "INSERT INTO results (run_id, seq, test, n_prompt, n_gen, depth,"
                           " status) VALUES (42, 0, 'pp', 1, 0, 0, 'ok')",
                       NULL, NULL, NULL) == SQLITE_CONSTRAINT);
    CHECK(test_query_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    wir_result_free(&r);
    wir_store_close(s);
}

/* A reader opens an old database as the current schema without touching the
 * file: the migration happens in a copy in memory. */
static void case_readonly_old(const char *dir) {
    fresh_db(dir, "old.db");
    wir_store *s;
    char *err = NULL;
    CHECK(wir_store_open_at(db_path, 3, &s, &err) == 0);
    if (!s)
        return;
    CHECK(sqlite3_exec(wir_store_handle(s),
        "INSERT INTO runs (started_at, complete, probe_version, probe_commit, command_line,"
        " model_source, model_slug, ftype, backend)"
        " VALUES ('2026-11-30T10:00:00Z', 1, '0.1.0', 'abc', 'probe run', 'catalog',"
        " 'llama-3-2-1b', 'f16', 'cpu');",
        NULL, NULL, NULL) == SQLITE_OK);
    wir_store_close(s);
    CHECK(wir_store_open_readonly(db_path, &s, &err) == 0);
    if (!s)
        return;
    CHECK(wir_store_schema_version(s) == WIR_STORE_SCHEMA_VERSION);
    CHECK(test_query_int(wir_store_handle(s),
                         "SELECT count(*) FROM runs WHERE catalog_id IS NULL") == 1);
    wir_store_close(s);
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(test_query_int(db, "PRAGMA user_version") == 3);
    sqlite3_close(db);
    CHECK(wir_store_open_readonly("/nonexistent/x.db", &s, &err) == -1);
    CHECK(err && strstr(err, "/nonexistent/x.db"));
    free(err);
}

/* A database from a newer probe is refused and left as it was. */
static void case_newer(const char *dir) {
    fresh_db(dir, "newer.db");
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    wir_store *s;
    char *err = NULL;
    CHECK(wir_store_open(db_path, &s, &err) == -1 && s == NULL);
    char want[96];
    snprintf(want, sizeof want, "newer.db: schema version 99 is newer than this probe's (%d)",
             WIR_STORE_SCHEMA_VERSION);
    CHECK(err && strstr(err, want));
    free(err);
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(test_query_int(db, "PRAGMA user_version") == 99);
    CHECK(test_query_int(db, "SELECT count(*) FROM sqlite_schema") == 0);
    sqlite3_close(db);
    CHECK(wir_store_open_at(db_path, 3, &s, &err) == -1);
    free(err);
    err = NULL;
    CHECK(wir_store_open_readonly(db_path, &s, &err) == -1 && s == NULL);
    CHECK(err && strstr(err, "newer.db: schema version 99 is newer than this build's"));
    free(err);
}

/* The child: a long run on the stub backend recording every result. */
static int record(void *user, int32_t seq, const wir_result *r) {
    void **u = user;
    return wir_store_add_result(u[0], *(int64_t *)u[1], seq, r, NULL);
}

enum { KILL_REPS = 3 };

static void child_run(void) {
    wir_store *s;
    if (wir_store_open(db_path, &s, NULL))
        _exit(3);
    wir_run_info run;
    fill_run(&run);
    int64_t id;
    if (wir_store_begin_run(s, &run, &id, NULL))
        _exit(4);
    memset(&stub_backend_config, 0, sizeof stub_backend_config);
    stub_backend_config.weights = 1000;
    stub_backend_config.kv_per_token = 1;
    stub_backend_config.available = 1u << 30;
    stub_backend_config.decode_ns = 1000000; /* tg4: 5 ms warm-up + 3 x 4 ms */
    int32_t tg[] = {4}, depth[200];
    for (int i = 0; i < 200; i++)
        depth[i] = i;
    wir_bench_plan plan = {.tg = tg, .n_tg = 1, .depth = depth, .n_depth = 200,
                           .reps = KILL_REPS};
    void *user[2] = {s, &id};
    wir_bench_setup setup = {.ops = stub_backend(), .plan = stub_backend_desc(),
                             .on_result = record, .user = user};
    wir_result *r;
    size_t n = wir_bench_execute(&plan, &setup, &r, NULL);
    wir_bench_results_free(r, n);
    wir_store_finish_run(s, id, NULL);
    wir_store_close(s);
    _exit(0);
}

/* After a kill: integrity ok, the run incomplete, every recorded result whole
 * (all its samples), at least `min_results` of them. Returns the count. */
static long long check_after_kill(long long min_results) {
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    char *v = test_query_text(db, "PRAGMA integrity_check");
    CHECK_STR(v, "ok");
    free(v);
    long long n = test_query_int(db, "SELECT count(*) FROM results");
    CHECK(n >= min_results);
    CHECK(test_query_int(db, "SELECT count(*) FROM runs WHERE complete = 0 AND finished_at IS NULL") >= 1);
    CHECK(test_query_int(db, "SELECT count(*) FROM results r WHERE (SELECT count(*) FROM samples"
                        " WHERE result_id = r.id) != 3") == 0);
    CHECK(test_query_int(db, "SELECT count(*) FROM results WHERE status = 'ok' AND tokens_per_s > 0")
          == n);
    /* results are in order with no gaps: a test is recorded only after the previous */
    CHECK(test_query_int(db, "SELECT count(*) FROM results WHERE seq >= (SELECT count(*) FROM results"
                        " r2 WHERE r2.run_id = results.run_id)") == 0);
    sqlite3_close(db);
    return n;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* SIGKILL a recording run once it has finished a few tests, then at
 * assorted moments (mid-transaction among them): the database is consistent
 * every time and holds every result that finished. */
static void case_kill(const char *dir) {
    fresh_db(dir, "kill.db");
    wir_store *s;
    CHECK(wir_store_open(db_path, &s, NULL) == 0); /* schema made before the children */
    wir_store_close(s);
    pid_t pid = fork();
    if (pid == 0)
        child_run();
    CHECK(pid > 0);
    sqlite3 *db;
    CHECK(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    long long seen = 0;
    for (int i = 0; i < 2000 && seen < 3; i++) { /* up to 20 s */
        sleep_ms(10);
        seen = test_query_int(db, "SELECT count(*) FROM results");
    }
    sqlite3_close(db);
    CHECK(seen >= 3);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    long long n = check_after_kill(seen);
    printf("killed after %lld results seen: %lld recorded\n", seen, n);

    /* more runs in the same file, killed at times that fall anywhere */
    static const long delays_ms[] = {3, 11, 29, 47, 73, 101};
    for (size_t k = 0; k < sizeof delays_ms / sizeof delays_ms[0]; k++) {
        pid = fork();
        if (pid == 0)
            child_run();
        sleep_ms(delays_ms[k]);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        n = check_after_kill(n);
    }
    /* the file is still good for a new run */
    CHECK(wir_store_open(db_path, &s, NULL) == 0);
    if (s) {
        wir_run_info run;
        fill_run(&run);
        int64_t id;
        CHECK(wir_store_begin_run(s, &run, &id, NULL) == 0);
        CHECK(wir_store_finish_run(s, id, NULL) == 0);
        wir_run_info_free(&run);
        wir_store_close(s);
    }
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        void (*fn)(const char *dir);
    } cases[] = {
        {"schema", case_schema}, {"roundtrip", case_roundtrip}, {"migrate", case_migrate},
        {"newer", case_newer},   {"readonly_old", case_readonly_old}, {"kill", case_kill},
    };
    for (size_t i = 0; argc > 2 && i < sizeof cases / sizeof cases[0]; i++)
        if (!strcmp(argv[1], cases[i].name)) {
            cases[i].fn(argv[2]);
            CHECK_DONE();
        }
    fprintf(stderr, "usage: test_probe_store CASE DIR\n");
    return 2;
}
