/* wir_store: the SQLite schema (every table's DDL is here and only here), its
 * forward migrations, and the transactional writes of a run. See wir_store.h
 * for the tables and what each column means. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "wir_store.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wir_store {
    sqlite3 *db;
    int32_t version;
};

/* The columns of runs and results as version 3 left them: migration 4 copies
 * exactly these into the rebuilt tables. */
#define STORE_V3_RUN_COLUMNS \
    "id, started_at, finished_at, complete, probe_version, probe_commit, " \
    "command_line, model_source, model_slug, ftype, gguf_sha256, gguf_name, " \
    "gguf_file, model_name, quant, model_params, model_bytes, n_ctx, n_threads, " \
    "n_batch, kv_type, backend, device, reps, host_cpu_model, host_cpu_cores, " \
    "host_cpu_threads, host_ram_bytes, host_cpu_features, host_os, host_kernel, " \
    "host_arch, host_gpu_name, host_gpu_memory_bytes, host_gpu_driver, " \
    "host_cuda_version, sent, sent_at, sent_id, submit_key"
#define STORE_V3_RESULT_COLUMNS \
    "id, run_id, seq, test, n_prompt, n_gen, depth, status, error, bytes_needed, " \
    "bytes_available, tokens_per_s, stddev, avg_ns, stddev_ns, ttft_ms, " \
    "peak_memory_bytes, peak_device_bytes, started_at, finished_at, power_w, " \
    "joules_per_token, gpu_util_pct, gpu_memory_used_bytes, profile_matmul_ns, " \
    "profile_attention_ns, profile_other_ns"

/* Migration N takes a database from user_version N-1 to N. Entries are never
 * edited once released, only appended: an old database replays the ones it
 * lacks, in order, in one transaction. */
static const char *const store_migrations[] = {
    /* 1: runs, their results and the samples of each result. */
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),"
    "  probe_version TEXT NOT NULL,"
    "  probe_commit TEXT NOT NULL,"
    "  command_line TEXT NOT NULL,"
    "  model_source TEXT NOT NULL CHECK (model_source IN ('catalog', 'gguf')),"
    "  model_slug TEXT, ftype TEXT,"
    "  gguf_sha256 TEXT, gguf_name TEXT, gguf_file TEXT,"
    "  model_name TEXT, quant TEXT,"
    "  model_params INTEGER, model_bytes INTEGER,"
    "  n_ctx INTEGER, n_threads INTEGER, n_batch INTEGER, kv_type TEXT,"
    "  backend TEXT NOT NULL, device TEXT, reps INTEGER,"
    "  host_cpu_model TEXT, host_cpu_cores INTEGER, host_cpu_threads INTEGER,"
    "  host_ram_bytes INTEGER, host_cpu_features TEXT,"
    "  host_os TEXT, host_kernel TEXT, host_arch TEXT,"
    "  host_gpu_name TEXT, host_gpu_memory_bytes INTEGER,"
    "  host_gpu_driver TEXT, host_cuda_version TEXT"
    ");"
    "CREATE TABLE results ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  test TEXT NOT NULL CHECK (test IN ('pp', 'tg')),"
    "  n_prompt INTEGER NOT NULL, n_gen INTEGER NOT NULL, depth INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'does-not-fit', 'error')),"
    "  error TEXT,"
    "  bytes_needed INTEGER, bytes_available INTEGER,"
    "  tokens_per_s REAL, stddev REAL, avg_ns REAL, stddev_ns REAL,"
    "  ttft_ms REAL,"
    "  peak_memory_bytes INTEGER, peak_device_bytes INTEGER,"
    "  started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
    "  UNIQUE (run_id, seq)"
    ");"
    "CREATE TABLE samples ("
    "  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    "  rep INTEGER NOT NULL,"
    "  ns INTEGER NOT NULL,"
    "  tokens_per_s REAL NOT NULL,"
    "  PRIMARY KEY (result_id, rep)"
    ");",

    /* 2: the submission state `probe submit` keeps per run; power, GPU
     * utilisation and memory (NVML) and the --profile split per result. */
    "ALTER TABLE runs ADD COLUMN sent INTEGER NOT NULL DEFAULT 0 CHECK (sent IN (0, 1));"
    "ALTER TABLE runs ADD COLUMN sent_at TEXT;"
    "ALTER TABLE runs ADD COLUMN sent_id TEXT;"
    "ALTER TABLE results ADD COLUMN power_w REAL;"
    "ALTER TABLE results ADD COLUMN joules_per_token REAL;"
    "ALTER TABLE results ADD COLUMN gpu_util_pct REAL;"
    "ALTER TABLE results ADD COLUMN gpu_memory_used_bytes INTEGER;"
    "ALTER TABLE results ADD COLUMN profile_matmul_ns INTEGER;"
    "ALTER TABLE results ADD COLUMN profile_attention_ns INTEGER;"
    "ALTER TABLE results ADD COLUMN profile_other_ns INTEGER;"
    "CREATE INDEX results_by_run ON results (run_id, seq);",

    /* 3: the idempotency key `probe submit` sends with a run, kept so that
     * every retry of the same run carries the same key. */
    "ALTER TABLE runs ADD COLUMN submit_key TEXT;"
    "CREATE UNIQUE INDEX runs_by_submit_key ON runs (submit_key);",

    /* 4: the catalog's runs (data/runs/<id>.json) in the same tables, so that
     * `gen results` can rebuild the site's results database from the text
     * files and `gen build --db` reads one schema for every run. A catalog
     * run carries its catalog id, where it comes from (an import's source or
     * a submitter) and the settings llama-bench publishes; an imported run
     * has no probe build, start time or per-sample durations, so those
     * columns become nullable. SQLite cannot drop NOT NULL in place: the
     * three tables are rebuilt as its documentation prescribes (new table,
     * copy, drop, rename), with foreign keys off for the migration
     * (store_migrate) and checked before it commits. */
    "CREATE TABLE runs_v4 ("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT,"
    "  finished_at TEXT,"
    "  complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),"
    "  probe_version TEXT, probe_commit TEXT, command_line TEXT,"
    "  model_source TEXT NOT NULL CHECK (model_source IN ('catalog', 'gguf')),"
    "  model_slug TEXT, ftype TEXT,"
    "  gguf_sha256 TEXT, gguf_name TEXT, gguf_file TEXT,"
    "  model_name TEXT, quant TEXT,"
    "  model_params INTEGER, model_bytes INTEGER,"
    "  n_ctx INTEGER, n_threads INTEGER, n_batch INTEGER, kv_type TEXT,"
    "  backend TEXT NOT NULL, device TEXT, reps INTEGER,"
    "  host_cpu_model TEXT, host_cpu_cores INTEGER, host_cpu_threads INTEGER,"
    "  host_ram_bytes INTEGER, host_cpu_features TEXT,"
    "  host_os TEXT, host_kernel TEXT, host_arch TEXT,"
    "  host_gpu_name TEXT, host_gpu_memory_bytes INTEGER,"
    "  host_gpu_driver TEXT, host_cuda_version TEXT,"
    "  sent INTEGER NOT NULL DEFAULT 0 CHECK (sent IN (0, 1)), sent_at TEXT, sent_id TEXT,"
    "  submit_key TEXT,"
    "  catalog_id TEXT,"
    "  runtime TEXT NOT NULL DEFAULT 'probe', runtime_build TEXT,"
    "  source_kind TEXT CHECK (source_kind IN ('import', 'probe')),"
    "  source_url TEXT, source_title TEXT, source_accessed TEXT,"
    "  submitter TEXT, submitted_at TEXT, note TEXT,"
    "  hardware_gpu TEXT, gpu_count INTEGER, hardware_cpu TEXT,"
    "  n_gpu_layers INTEGER, flash_attn INTEGER CHECK (flash_attn IN (0, 1)), n_ubatch INTEGER,"
    "  CHECK ((catalog_id IS NULL) = (source_kind IS NULL))"
    ");"
    "INSERT INTO runs_v4 (" STORE_V3_RUN_COLUMNS ") SELECT " STORE_V3_RUN_COLUMNS " FROM runs;"
    "DROP TABLE runs;"
    "ALTER TABLE runs_v4 RENAME TO runs;"
    "CREATE UNIQUE INDEX runs_by_submit_key ON runs (submit_key);"
    "CREATE UNIQUE INDEX runs_by_catalog_id ON runs (catalog_id);"
    "CREATE TABLE results_v4 ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  test TEXT NOT NULL CHECK (test IN ('pp', 'tg')),"
    "  n_prompt INTEGER NOT NULL, n_gen INTEGER NOT NULL, depth INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'does-not-fit', 'error')),"
    "  error TEXT,"
    "  bytes_needed INTEGER, bytes_available INTEGER,"
    "  tokens_per_s REAL, stddev REAL, avg_ns REAL, stddev_ns REAL,"
    "  ttft_ms REAL,"
    "  peak_memory_bytes INTEGER, peak_device_bytes INTEGER,"
    "  started_at TEXT, finished_at TEXT,"
    "  power_w REAL, joules_per_token REAL, gpu_util_pct REAL, gpu_memory_used_bytes INTEGER,"
    "  profile_matmul_ns INTEGER, profile_attention_ns INTEGER, profile_other_ns INTEGER,"
    "  UNIQUE (run_id, seq)"
    ");"
    "INSERT INTO results_v4 (" STORE_V3_RESULT_COLUMNS ") SELECT " STORE_V3_RESULT_COLUMNS
    " FROM results;"
    "DROP TABLE results;"
    "ALTER TABLE results_v4 RENAME TO results;"
    "CREATE INDEX results_by_run ON results (run_id, seq);"
    "CREATE TABLE samples_v4 ("
    "  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    "  rep INTEGER NOT NULL,"
    "  ns INTEGER,"
    "  tokens_per_s REAL NOT NULL,"
    "  PRIMARY KEY (result_id, rep)"
    ");"
    "INSERT INTO samples_v4 SELECT result_id, rep, ns, tokens_per_s FROM samples;"
    "DROP TABLE samples;"
    "ALTER TABLE samples_v4 RENAME TO samples;",
};

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] == WIR_STORE_SCHEMA_VERSION,
               "one migration per schema version");

static int store_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int store_fail(char **err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = sqlite3_vmprintf(fmt, ap);
        va_end(ap);
        *err = msg ? strdup(msg) : NULL;
        sqlite3_free(msg);
    }
    return -1;
}

static int store_exec(sqlite3 *db, const char *sql, char **err) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(err, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int32_t store_user_version(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    int32_t v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = (int32_t)sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* True when PRAGMA foreign_key_check finds a row whose parent is missing. */
static bool store_foreign_keys_dangle(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    bool dangle = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK ||
                  sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return dangle;
}

/* Replays the missing migrations up to target in one write transaction, so a
 * crash mid-migration leaves the old version intact; BEGIN IMMEDIATE keeps two
 * probes opening a fresh file from both migrating it. */
static int store_migrate(wir_store *s, int32_t target, char **err) {
    if (store_exec(s->db, "BEGIN IMMEDIATE", err))
        return -1;
    int32_t v = store_user_version(s->db);
    if (v < 0 || v > WIR_STORE_SCHEMA_VERSION) {
        store_exec(s->db, "ROLLBACK", NULL);
        return store_fail(err, "schema version %d is newer than this probe's (%d); "
                               "use a newer probe or another --db",
                          (int)v, WIR_STORE_SCHEMA_VERSION);
    }
    for (; v < target; v++) {
        char *msg = NULL;
        if (store_exec(s->db, store_migrations[v], &msg)) {
            store_exec(s->db, "ROLLBACK", NULL);
            store_fail(err, "migrating to schema version %d: %s", (int)v + 1, msg);
            free(msg);
            return -1;
        }
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", (int)v + 1);
        if (store_exec(s->db, sql, err)) {
            store_exec(s->db, "ROLLBACK", NULL);
            return -1;
        }
    }
    /* Migrations run with foreign keys off (a table rebuild drops the
     * referenced table); nothing may commit that leaves a dangling row. */
    if (store_foreign_keys_dangle(s->db)) {
        store_exec(s->db, "ROLLBACK", NULL);
        return store_fail(err, "migrating to schema version %d left rows whose parent is gone",
                          (int)target);
    }
    if (store_exec(s->db, "COMMIT", err)) {
        store_exec(s->db, "ROLLBACK", NULL);
        return -1;
    }
    s->version = v;
    return 0;
}

int wir_store_open_at(const char *path, int32_t version, wir_store **out, char **err) {
    *out = NULL;
    if (version < 1 || version > WIR_STORE_SCHEMA_VERSION)
        return store_fail(err, "schema version %d does not exist", (int)version);
    wir_store *s = calloc(1, sizeof *s);
    if (!s)
        return store_fail(err, "out of memory");
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        store_fail(err, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        wir_store_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    /* WAL: readers never block the run's writes, and each commit is one
     * append to the log; FULL: a commit is on disk before the next test. */
    if (store_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = OFF;", &msg) ||
        store_migrate(s, version, &msg) ||
        store_exec(s->db, "PRAGMA foreign_keys = ON;", &msg)) {
        store_fail(err, "%s: %s", path, msg ? msg : "cannot prepare the database");
        free(msg);
        wir_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int wir_store_open(const char *path, wir_store **out, char **err) {
    return wir_store_open_at(path, WIR_STORE_SCHEMA_VERSION, out, err);
}

/* The probe's runs table is there (every version has runs.model_source). */
static bool store_has_runs_table(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT 1 FROM pragma_table_info('runs') WHERE name = 'model_source'";
    bool found = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Replaces s's connection to an older file by a migrated copy in memory
 * (SQLite's backup API), so a reader sees the current schema while the file
 * stays exactly as its owner left it. */
static int store_migrate_in_memory(wir_store *s, const char *path, char **err) {
    sqlite3 *mem = NULL;
    if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(mem);
        return store_fail(err, "%s: cannot open a copy in memory", path);
    }
    sqlite3_backup *b = sqlite3_backup_init(mem, "main", s->db, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        store_fail(err, "%s: cannot copy: %s", path, sqlite3_errmsg(mem));
        sqlite3_close(mem);
        return -1;
    }
    sqlite3_close(s->db);
    s->db = mem;
    char *msg = NULL;
    if (store_migrate(s, WIR_STORE_SCHEMA_VERSION, &msg) ||
        store_exec(s->db, "PRAGMA foreign_keys = ON;", &msg)) {
        store_fail(err, "%s: %s", path, msg ? msg : "cannot migrate a copy");
        free(msg);
        return -1;
    }
    return 0;
}

int wir_store_open_readonly(const char *path, wir_store **out, char **err) {
    *out = NULL;
    wir_store *s = calloc(1, sizeof *s);
    if (!s)
        return store_fail(err, "out of memory");
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        store_fail(err, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        wir_store_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 5000);
    s->version = store_user_version(s->db);
    if (s->version < 0) {
        store_fail(err, "%s: %s", path, sqlite3_errmsg(s->db));
        wir_store_close(s);
        return -1;
    }
    if (s->version == 0 || s->version > WIR_STORE_SCHEMA_VERSION) {
        if (s->version == 0)
            store_fail(err, "%s: not a results database (no schema version)", path);
        else
            store_fail(err, "%s: schema version %d is newer than this build's (%d)", path,
                       (int)s->version, WIR_STORE_SCHEMA_VERSION);
        wir_store_close(s);
        return -1;
    }
    if (!store_has_runs_table(s->db)) {
        /* Another SQLite file with a user_version (an intake database, say). */
        store_fail(err, "%s: not a results database (no runs table of the probe's schema)", path);
        wir_store_close(s);
        return -1;
    }
    if (s->version < WIR_STORE_SCHEMA_VERSION && store_migrate_in_memory(s, path, err)) {
        wir_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void wir_store_close(wir_store *store) {
    if (!store)
        return;
    sqlite3_close(store->db);
    free(store);
}

int32_t wir_store_schema_version(wir_store *store) { return store->version; }

int wir_store_begin(wir_store *store, char **err) {
    return store_exec(store->db, "BEGIN IMMEDIATE", err);
}

int wir_store_commit(wir_store *store, char **err) {
    if (store_exec(store->db, "COMMIT", err)) {
        store_exec(store->db, "ROLLBACK", NULL);
        return -1;
    }
    return 0;
}

void wir_store_rollback(wir_store *store) { store_exec(store->db, "ROLLBACK", NULL); }
sqlite3 *wir_store_handle(wir_store *store) { return store->db; }

/* Nullable binds: NULL strings, -1 integers and NAN doubles become SQL NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_int(sqlite3_stmt *st, int i, int64_t v) {
    if (v >= 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v) {
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Prepares sql or sets *err. */
static sqlite3_stmt *store_prepare(wir_store *s, const char *sql, char **err) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_fail(err, "%s", sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Steps a statement to completion and finalizes it. */
static int store_step_done(wir_store *s, sqlite3_stmt *st, char **err) {
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(err, "%s", sqlite3_errmsg(s->db));
    return 0;
}

int wir_store_begin_run(wir_store *store, const wir_run_info *run, int64_t *run_id,
                        char **err) {
    sqlite3_stmt *st = store_prepare(store,
        "INSERT INTO runs (started_at, probe_version, probe_commit, command_line,"
        " model_source, model_slug, ftype, gguf_sha256, gguf_name, gguf_file,"
        " model_name, quant, model_params, model_bytes, n_ctx, n_threads, backend,"
        " device, reps, host_cpu_model, host_cpu_cores, host_cpu_threads,"
        " host_ram_bytes, host_cpu_features, host_os, host_kernel, host_arch,"
        " host_gpu_name, host_gpu_memory_bytes, host_gpu_driver, host_cuda_version,"
        " n_batch, kv_type)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31,"
        " ?32, ?33)",
        err);
    if (!st)
        return -1;
    const wir_host *h = &run->host;
    bind_text(st, 1, run->started_at);
    bind_text(st, 2, run->probe_version ? run->probe_version : "unknown");
    bind_text(st, 3, run->probe_commit ? run->probe_commit : "unknown");
    bind_text(st, 4, run->command_line ? run->command_line : "");
    bind_text(st, 5, run->source == WIR_RUN_GGUF ? "gguf" : "catalog");
    bind_text(st, 6, run->model_slug);
    bind_text(st, 7, run->ftype);
    bind_text(st, 8, run->gguf_sha256);
    bind_text(st, 9, run->gguf_name);
    bind_text(st, 10, run->gguf_file);
    bind_text(st, 11, run->model_name);
    bind_text(st, 12, run->quant);
    bind_int(st, 13, run->model_params);
    bind_int(st, 14, run->model_bytes);
    bind_int(st, 15, run->n_ctx);
    bind_int(st, 16, run->n_threads);
    bind_text(st, 17, run->backend ? run->backend : "cpu");
    bind_text(st, 18, run->device);
    bind_int(st, 19, run->reps);
    bind_text(st, 20, h->cpu_model);
    bind_int(st, 21, h->cpu_cores);
    bind_int(st, 22, h->cpu_threads);
    bind_int(st, 23, h->ram_bytes);
    bind_text(st, 24, h->cpu_features);
    bind_text(st, 25, h->os);
    bind_text(st, 26, h->kernel);
    bind_text(st, 27, h->arch);
    bind_text(st, 28, h->gpu_name);
    bind_int(st, 29, h->gpu_memory_bytes);
    bind_text(st, 30, h->gpu_driver);
    bind_text(st, 31, h->cuda_version);
    bind_int(st, 32, run->n_batch);
    bind_text(st, 33, run->kv_type);
    if (store_step_done(store, st, err))
        return -1;
    *run_id = sqlite3_last_insert_rowid(store->db);
    return 0;
}

int wir_store_update_run(wir_store *store, int64_t run_id, const wir_run_info *run,
                         char **err) {
    sqlite3_stmt *st = store_prepare(store,
        "UPDATE runs SET model_name = ?2, quant = ?3, model_params = ?4, model_bytes = ?5,"
        " n_ctx = ?6, device = ?7, gguf_name = ?8 WHERE id = ?1", err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, run->model_name);
    bind_text(st, 3, run->quant);
    bind_int(st, 4, run->model_params);
    bind_int(st, 5, run->model_bytes);
    bind_int(st, 6, run->n_ctx);
    bind_text(st, 7, run->device);
    bind_text(st, 8, run->gguf_name);
    return store_step_done(store, st, err);
}

static int store_insert_result(wir_store *s, int64_t run_id, int32_t seq,
                               const wir_result *r, char **err) {
    sqlite3_stmt *st = store_prepare(s,
        "INSERT INTO results (run_id, seq, test, n_prompt, n_gen, depth, status, error,"
        " bytes_needed, bytes_available, tokens_per_s, stddev, avg_ns, stddev_ns, ttft_ms,"
        " peak_memory_bytes, peak_device_bytes, started_at, finished_at, power_w,"
        " joules_per_token, gpu_util_pct, gpu_memory_used_bytes, profile_matmul_ns,"
        " profile_attention_ns, profile_other_ns)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
        err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int(st, 2, seq);
    bind_text(st, 3, wir_test_kind_name(r->kind));
    sqlite3_bind_int(st, 4, r->n_prompt);
    sqlite3_bind_int(st, 5, r->n_gen);
    sqlite3_bind_int(st, 6, r->depth);
    bind_text(st, 7, wir_result_status_name(r->status));
    bind_text(st, 8, r->error);
    bind_int(st, 9, r->bytes_needed);
    bind_int(st, 10, r->bytes_available);
    bind_real(st, 11, r->tokens_per_s);
    bind_real(st, 12, r->stddev);
    bind_real(st, 13, r->avg_ns);
    bind_real(st, 14, r->stddev_ns);
    bind_real(st, 15, r->ttft_ms);
    bind_int(st, 16, r->peak_memory_bytes);
    bind_int(st, 17, r->peak_device_bytes);
    bind_text(st, 18, r->started_at);
    bind_real(st, 19, r->power_w);
    bind_real(st, 20, r->joules_per_token);
    bind_real(st, 21, r->gpu_util_pct);
    bind_int(st, 22, r->gpu_memory_used_bytes);
    bind_int(st, 23, r->profile.matmul_ns);
    bind_int(st, 24, r->profile.attention_ns);
    bind_int(st, 25, r->profile.other_ns);
    if (store_step_done(s, st, err))
        return -1;
    int64_t result_id = sqlite3_last_insert_rowid(s->db);

    st = store_prepare(s, "INSERT INTO samples (result_id, rep, ns, tokens_per_s)"
                          " VALUES (?1, ?2, ?3, ?4)", err);
    if (!st)
        return -1;
    for (int32_t i = 0; i < r->n_samples; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, result_id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_int64(st, 3, r->samples_ns[i]);
        sqlite3_bind_double(st, 4, r->samples_ts[i]);
        if (sqlite3_step(st) != SQLITE_DONE) {
            store_fail(err, "%s", sqlite3_errmsg(s->db));
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

int wir_store_add_result(wir_store *store, int64_t run_id, int32_t seq,
                         const wir_result *result, char **err) {
    if (store_exec(store->db, "BEGIN IMMEDIATE", err))
        return -1;
    if (store_insert_result(store, run_id, seq, result, err) ||
        store_exec(store->db, "COMMIT", err)) {
        store_exec(store->db, "ROLLBACK", NULL);
        return -1;
    }
    return 0;
}

int wir_store_finish_run(wir_store *store, int64_t run_id, char **err) {
    sqlite3_stmt *st = store_prepare(store,
        "UPDATE runs SET complete = 1, finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ?1", err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    return store_step_done(store, st, err);
}

int wir_store_mark_sent(wir_store *store, int64_t run_id, const char *sent_id, char **err) {
    sqlite3_stmt *st = store_prepare(store,
        "UPDATE runs SET sent = 1, sent_id = ?2,"
        " sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, sent_id);
    if (store_step_done(store, st, err))
        return -1;
    if (sqlite3_changes(store->db) != 1)
        return store_fail(err, "no run with id %lld", (long long)run_id);
    return 0;
}

int wir_store_submit_key(wir_store *store, int64_t run_id, const char *fresh,
                         char key[WIR_STORE_KEY_SIZE], char **err) {
    if (store_exec(store->db, "BEGIN IMMEDIATE", err))
        return -1;
    sqlite3_stmt *st = store_prepare(store,
        "UPDATE runs SET submit_key = ?2 WHERE id = ?1 AND submit_key IS NULL", err);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, fresh);
    if (store_step_done(store, st, err))
        goto fail;
    st = store_prepare(store, "SELECT submit_key FROM runs WHERE id = ?1", err);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_TEXT) {
        sqlite3_finalize(st);
        store_fail(err, "no run with id %lld", (long long)run_id);
        goto fail;
    }
    snprintf(key, WIR_STORE_KEY_SIZE, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (store_exec(store->db, "COMMIT", err))
        goto fail;
    return 0;
fail:
    store_exec(store->db, "ROLLBACK", NULL);
    return -1;
}
