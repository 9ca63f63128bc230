/* wir_store: benchmark runs in SQLite (`probe run --db FILE`, default probe.db).
 *
 * The whole schema lives in wir_store.c as a list of migrations; the database
 * carries its version in PRAGMA user_version and is migrated forward when
 * opened (a newer database than this probe understands is refused, never
 * touched). Current schema, version 4 (column names follow data/README.md's
 * runs/ section so a run converts 1:1 to data/runs/<id>.json):
 *
 * runs — one row per `probe run`, written before the first test:
 *   id INTEGER PRIMARY KEY   started_at, finished_at TEXT (UTC ISO 8601;
 *   finished_at NULL until the run ends)   complete INTEGER 0/1 (1 once every
 *   test has finished: a run killed midway stays 0 and keeps its finished
 *   results)   probe_version, probe_commit, command_line TEXT (shell-quoted
 *   argv that repeats the run)   model_source 'catalog'|'gguf'   model_slug,
 *   ftype (catalog)   gguf_sha256, gguf_name (general.name), gguf_file (its name) (GGUF)
 *   model_name, quant TEXT   model_params, model_bytes INTEGER   n_ctx,
 *   n_threads, n_batch INTEGER   kv_type TEXT ('f16')   backend 'cpu'|'cuda'
 *   device TEXT   reps INTEGER
 *   host_cpu_model, host_cpu_cores, host_cpu_threads, host_ram_bytes,
 *   host_cpu_features, host_os, host_kernel, host_arch, host_gpu_name,
 *   host_gpu_memory_bytes, host_gpu_driver, host_cuda_version (NULL when not
 *   known or no GPU — never guessed)
 *   sent INTEGER 0/1, sent_at TEXT, sent_id TEXT (set by `probe submit` with
 *   the catalog's id for the run) [v2]
 *   submit_key TEXT UNIQUE (the idempotency key `probe submit` sends; made
 *   once per run, so every retry of a run carries the same key) [v3]
 *   catalog_id TEXT UNIQUE (the run's id in data/runs: set for the catalog's
 *   runs that `gen results` writes, NULL for the probe's own) [v4]
 *   and for catalog runs, data/runs' fields that have no probe column [v4]:
 *   source_kind 'import'|'probe', source_url, source_title, source_accessed,
 *   submitter, submitted_at (started_at holds source.measured_at), note,
 *   hardware_gpu (a gpus/ slug), gpu_count, hardware_cpu, runtime (a
 *   runtimes/ slug; 'probe' for the probe's own runs), runtime_build,
 *   n_gpu_layers, flash_attn 0/1, n_ubatch. A catalog run keeps the
 *   runtime's backend name ("CUDA", "Metal") in backend, its threads in
 *   n_threads and its reproduce command in command_line; an imported one
 *   has NULL started_at, probe_version, probe_commit and command_line.
 *
 * results — one row per test, each committed in its own transaction:
 *   id INTEGER PRIMARY KEY   run_id → runs.id   seq (order in the run)
 *   test 'pp'|'tg'   n_prompt, n_gen, depth INTEGER   status
 *   'ok'|'does-not-fit'|'error'   error TEXT   bytes_needed, bytes_available
 *   INTEGER   tokens_per_s, stddev REAL (mean and sample s.d. of the
 *   samples' tokens/s)   avg_ns, stddev_ns REAL   ttft_ms REAL (pp only)
 *   peak_memory_bytes, peak_device_bytes INTEGER   started_at, finished_at
 *   (NULL for a catalog run)
 *   power_w, joules_per_token, gpu_util_pct REAL, gpu_memory_used_bytes
 *   INTEGER (NVML; NULL without) [v2]   profile_matmul_ns,
 *   profile_attention_ns, profile_other_ns INTEGER (--profile; NULL without) [v2]
 *
 * samples — the timed repetitions of each ok result:
 *   result_id → results.id   rep (0-based)   ns INTEGER (NULL for a catalog
 *   run: sources publish tokens/s only)   tokens_per_s REAL
 *
 * To data/runs/<id>.json (data/README.md): each ok result is one entry of
 * `results` as it stands (test, n_prompt, n_gen, depth, tokens_per_s, stddev,
 * samples = the samples' tokens_per_s by rep); model = model_slug, quant =
 * ftype, hardware.cpu = host_cpu_model, hardware.gpu = the catalog slug of
 * host_gpu_name (null on CPU), runtime = {name "probe", build
 * "probe_version (probe_commit)", backend "CPU" | "CUDA"}, settings =
 * {threads n_threads, n_batch n_batch, n_ubatch n_batch (the probe does not
 * split batches), kv_type kv_type, flash_attn null (not a probe setting)}.
 * does-not-fit and error results stay local: the catalog keeps only
 * measurements. n_ctx is written once the session exists (NULL when no test
 * fitted).
 *
 * Connections use WAL journaling, synchronous=FULL, foreign keys and a 5 s
 * busy timeout, so a reader (sqlite3 CLI, `probe submit`) may watch a run
 * in progress and a SIGKILL at any point leaves a consistent database.
 *
 * Errors: functions return 0 on success, -1 on failure with *err set to a
 * message the caller frees (err may be NULL).
 */
#ifndef WIR_STORE_H
#define WIR_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "wir_record.h"

#define WIR_STORE_SCHEMA_VERSION 4

typedef struct wir_store wir_store;

/* Opens (creating when absent) and migrates to the current schema. The caller
 * closes *out with wir_store_close(). */
int wir_store_open(const char *path, wir_store **out, char **err);
/* As wir_store_open, but migrates only up to `version` (1..current): lets
 * tests make an old database to migrate. */
int wir_store_open_at(const char *path, int32_t version, wir_store **out, char **err);
/* Opens an existing database for reading only: the site's builder never
 * writes to a contributor's file. An older schema is migrated in a copy held
 * in memory (the file is left as it is); a newer one, or a file that is not a
 * results database, is an error naming the file. */
int wir_store_open_readonly(const char *path, wir_store **out, char **err);
void wir_store_close(wir_store *store);

/* The schema version of the open database. */
int32_t wir_store_schema_version(wir_store *store);
/* The connection, for queries; the store keeps ownership. */
sqlite3 *wir_store_handle(wir_store *store);

/* Inserts the run row (complete = 0) and returns its id in *run_id. */
int wir_store_begin_run(wir_store *store, const wir_run_info *run, int64_t *run_id,
                        char **err);
/* Records one finished test and its samples in one transaction. */
int wir_store_add_result(wir_store *store, int64_t run_id, int32_t seq,
                         const wir_result *result, char **err);
/* Updates what a run learnt after its row was written (model size, context,
 * device), in one transaction. */
int wir_store_update_run(wir_store *store, int64_t run_id, const wir_run_info *run,
                         char **err);
/* Sets complete = 1 and finished_at. */
int wir_store_finish_run(wir_store *store, int64_t run_id, char **err);
/* Marks a run sent to the catalog under the catalog's id (`probe submit`). */
int wir_store_mark_sent(wir_store *store, int64_t run_id, const char *sent_id, char **err);

/* Room for an idempotency key (32 hex digits and the NUL). */
#define WIR_STORE_KEY_SIZE 33

/* The run's idempotency key: the stored one, or fresh (which is stored) when
 * the run has none yet; copied to key. One transaction. */
int wir_store_submit_key(wir_store *store, int64_t run_id, const char *fresh,
                         char key[WIR_STORE_KEY_SIZE], char **err);

/* The run as a "willitrun.run/1" submission document (docs/submissions.md,
 * gen/validate/wir_submission.h): its ok results with their samples, the
 * host, settings and reproduce command. Returns NULL with *err set when the
 * run is unknown, unfinished, measured a GGUF file (the catalog needs a
 * catalog model) or has no ok result. The caller frees with json_decref. */
json_t *wir_store_submission(wir_store *store, int64_t run_id, const char *submitter,
                                    const char *key, char **err);

/* A write transaction around several calls (`gen results` puts every run
 * in one): begin, then commit, or roll back on the first failure. */
int wir_store_begin(wir_store *store, char **err);
int wir_store_commit(wir_store *store, char **err);
void wir_store_rollback(wir_store *store);

/* Stores doc, a data/runs/<id>.json document the catalog's reader accepted,
 * as a catalog run (catalog_id = its id; complete; its results and samples).
 * Runs inside the caller's transaction. A second run with the same id is an
 * error (catalog ids are unique). */
int wir_store_put_catalog_run(wir_store *store, const json_t *doc, char **err);

/* The catalog run run_id as its data/runs document, or NULL with *err set
 * when the run is not a catalog run. The caller frees with json_decref. */
json_t *wir_store_catalog_run(wir_store *store, int64_t run_id, char **err);

#endif
