/* wir_results: rebuild the results database from data/runs/, and read one
 * into the catalog. See wir_results.h for the contract. */
#define _POSIX_C_SOURCE 200809L
#include "wir_results.h"

#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wir_store.h"
#include "wir_submission.h"

static int results_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int results_fail(char **err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        char buf[1024];
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        *err = strdup(buf);
        if (!*err) abort();
    }
    return -1;
}

/* "path" + suffix, in buf. */
static const char *results_path(char *buf, size_t size, const char *path, const char *suffix) {
    snprintf(buf, size, "%s%s", path, suffix);
    return buf;
}

/* Removes path and the journal files SQLite may have left beside it. */
static void results_unlink_db(const char *path) {
    char p[4096];
    unlink(path);
    unlink(results_path(p, sizeof p, path, "-wal"));
    unlink(results_path(p, sizeof p, path, "-shm"));
    unlink(results_path(p, sizeof p, path, "-journal"));
}

static int results_fsync_dir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The folder holding path ("." for a bare name), in buf. */
static const char *results_dir_of(char *buf, size_t size, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return snprintf(buf, size, "."), buf;
    size_t n = (size_t)(slash - path);
    snprintf(buf, size, "%.*s", (int)(n ? n : 1), path);
    return buf;
}

/* ---- rebuild ------------------------------------------------------------- */

static int results_fill(wir_store *store, const wir_catalog *c, wir_results_rebuilt *out,
                        char **err) {
    if (wir_store_begin(store, err)) return -1;
    for (size_t i = 0; i < c->n_runs; i++) {
        const wir_run *r = &c->runs[i];
        json_error_t je;
        json_t *doc = json_load_file(r->loc.file, 0, &je);
        if (!doc) {
            wir_store_rollback(store);
            return results_fail(err, "%s:%d:%d: %s", r->loc.file, je.line, je.column, je.text);
        }
        char *msg = NULL;
        int rc = wir_store_put_catalog_run(store, doc, &msg);
        if (rc == 0) {
            out->runs++;
            size_t k;
            json_t *x;
            json_array_foreach(json_object_get(doc, "results"), k, x) {
                out->results++;
                out->samples += json_array_size(json_object_get(x, "samples"));
            }
        }
        json_decref(doc);
        if (rc) {
            wir_store_rollback(store);
            results_fail(err, "%s: %s", r->loc.file, msg ? msg : "cannot store the run");
            free(msg);
            return -1;
        }
    }
    return wir_store_commit(store, err);
}

int wir_results_rebuild(const wir_catalog *c, const char *path, wir_results_rebuilt *out,
                        char **err) {
    memset(out, 0, sizeof *out);
    char tmp[4096], dir[4096], p[4096];
    if (strlen(path) + 16 > sizeof tmp) return results_fail(err, "%s: path too long", path);
    results_path(tmp, sizeof tmp, path, ".tmp");
    results_unlink_db(tmp); /* a crashed rebuild's leftovers */
    wir_store *store = NULL;
    char *msg = NULL;
    int rc = wir_store_open(tmp, &store, &msg);
    if (rc == 0) rc = results_fill(store, c, out, &msg);
    /* One self-contained file: no -wal beside it to lose when it is copied. */
    if (rc == 0 && sqlite3_exec(wir_store_handle(store), "PRAGMA journal_mode = DELETE", NULL,
                                NULL, NULL) != SQLITE_OK) {
        msg = strdup(sqlite3_errmsg(wir_store_handle(store)));
        rc = -1;
    }
    /* synchronous=FULL (wir_store_open): every commit and the switch out of
     * WAL are already on disk; only the rename needs the folder synced. */
    wir_store_close(store);
    if (rc == 0) {
        /* The old database's journal files describe the old file: gone with it. */
        unlink(results_path(p, sizeof p, path, "-wal"));
        unlink(results_path(p, sizeof p, path, "-shm"));
        if (rename(tmp, path) != 0) {
            msg = strdup("cannot rename the new database into place");
            rc = -1;
        }
    }
    if (rc) {
        results_unlink_db(tmp);
        results_fail(err, "%s: %s; the previous database is unchanged", path,
                     msg ? msg : "cannot write");
        free(msg);
        return -1;
    }
    results_fsync_dir(results_dir_of(dir, sizeof dir, path));
    return 0;
}

/* ---- read ---------------------------------------------------------------- */

/* a and b hold the same data/runs document: members compared by value,
 * numbers as numbers (SQLite gives 5286 back as 5286.0), a missing member
 * equal to null (optional fields). */
static bool results_same(const json_t *a, const json_t *b) {
    if (!a || json_is_null(a)) return !b || json_is_null(b);
    if (!b || json_is_null(b)) return false;
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        return x == y || fabs(x - y) <= 1e-12 * fmax(fabs(x), fabs(y));
    }
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)a, k, v)
            if (!results_same(v, json_object_get(b, k))) return false;
        json_object_foreach((json_t *)b, k, v)
            if (!json_object_get(a, k) && !results_same(NULL, v)) return false;
        return true;
    }
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!results_same(json_array_get(a, i), json_array_get(b, i))) return false;
        return true;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

typedef struct results_reader {
    wir_catalog *c;
    wir_store *store;
    const char *path;
    const char *name;           /* path without its folders */
    wir_results_read *out;
    wir_diag_list *warnings;
    bool *seen;                 /* c->runs the database has, by index (before local runs) */
    size_t n_reviewed;
} results_reader;

static void results_warn(results_reader *rd, int64_t row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void results_warn(results_reader *rd, int64_t row, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char field[32];
    snprintf(field, sizeof field, "run %lld", (long long)row);
    wir_diag_add(rd->warnings, rd->path, 0, 0, field, "%s", buf);
}

static void results_read_catalog_run(results_reader *rd, int64_t row) {
    char *msg = NULL;
    json_t *doc = wir_store_catalog_run(rd->store, row, &msg);
    if (!doc) {
        results_warn(rd, row, "%s", msg ? msg : "cannot read the run");
        free(msg);
        rd->out->catalog_stale++;
        return;
    }
    rd->out->catalog_runs++;
    const char *id = json_string_value(json_object_get(doc, "id"));
    const wir_run *r = wir_catalog_find_run(rd->c, id);
    if (!r) {
        results_warn(rd, row, "catalog run \"%s\" is not in data/runs/ (removed or renamed since "
                     "the database was built): not shown; rebuild it with `gen results`", id);
        rd->out->catalog_stale++;
    } else {
        rd->seen[r - rd->c->runs] = true;
        json_t *file = json_load_file(r->loc.file, 0, NULL);
        if (!results_same(doc, file)) {
            results_warn(rd, row, "catalog run \"%s\" differs from %s, which is shown; rebuild "
                         "the database with `gen results`", id, r->loc.file);
            rd->out->catalog_stale++;
        }
        json_decref(file);
    }
    json_decref(doc);
}

/* A deterministic idempotency key for a local run that has none (never
 * submitted): the rebuilt site must be byte-identical for the same file. */
static void results_local_key(sqlite3_stmt *st, char key[WIR_STORE_KEY_SIZE]) {
    const unsigned char *k = sqlite3_column_text(st, 1);
    if (k && strlen((const char *)k) == WIR_SUBMISSION_KEY_LEN) {
        snprintf(key, WIR_STORE_KEY_SIZE, "%s", (const char *)k);
        return;
    }
    /* FNV-1a over the start time, then the row id: 128 bits as 32 hex digits. */
    const char *t = (const char *)sqlite3_column_text(st, 2);
    uint64_t h = 1469598103934665603ull;
    for (const char *p = t ? t : ""; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    snprintf(key, WIR_STORE_KEY_SIZE, "%016llx%016llx", (unsigned long long)h,
             (unsigned long long)sqlite3_column_int64(st, 0));
}

static void results_read_local_run(results_reader *rd, sqlite3_stmt *st) {
    int64_t row = sqlite3_column_int64(st, 0);
    char key[WIR_STORE_KEY_SIZE];
    results_local_key(st, key);
    char *msg = NULL;
    json_t *body = wir_store_submission(rd->store, row, "local", key, &msg);
    if (!body) {
        results_warn(rd, row, "%s: not shown", msg ? msg : "cannot read the run");
        free(msg);
        rd->out->local_skipped++;
        return;
    }
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    wir_submission sub;
    const char *started = (const char *)sqlite3_column_text(st, 2);
    int rc = wir_submission_check(rd->c, text, strlen(text), started ? started : "", &sub);
    free(text);
    if (rc != 0) {
        for (size_t i = 0; i < sub.reasons.count; i++)
            results_warn(rd, row, "%s: %s", sub.reasons.items[i].field ? sub.reasons.items[i].field
                                                                       : "run",
                         sub.reasons.items[i].message);
        results_warn(rd, row, "refused by the intake's checks: not shown");
        rd->out->local_skipped++;
        wir_submission_free(&sub);
        return;
    }
    if (wir_catalog_find_run(rd->c, sub.id)) {
        /* Submitted and accepted: the reviewed copy is already on the site. */
        rd->out->local_known++;
        wir_submission_free(&sub);
        return;
    }
    /* sub-<key prefix>-<rest> → local-<row>-<rest>: an id no submission has. */
    const char *rest = strchr(sub.id + 4, '-');
    char id[224];
    snprintf(id, sizeof id, "local-%lld%s", (long long)row, rest ? rest : "");
    json_object_set_new(sub.run, "id", json_string(id));
    char note[256];
    snprintf(note, sizeof note, "A local probe run from the results database %s (run %lld); no "
             "editor has reviewed it.", rd->name, (long long)row);
    json_object_set_new(sub.run, "note", json_string(note));
    /* Nothing received it: the intake's receipt time would be invented. */
    json_object_del(json_object_get(sub.run, "source"), "submitted_at");
    char where[4096];
    snprintf(where, sizeof where, "%s: run %lld", rd->path, (long long)row);
    wir_diag_list problems;
    wir_diag_list_init(&problems);
    wir_run *added = wir_catalog_add_run(rd->c, where, sub.run, &problems);
    if (!added) {
        for (size_t i = 0; i < problems.count; i++)
            results_warn(rd, row, "%s: %s", problems.items[i].field ? problems.items[i].field
                                                                    : "run",
                         problems.items[i].message);
        rd->out->local_skipped++;
    } else {
        added->unreviewed_db = strdup(rd->name);
        if (!added->unreviewed_db) abort();
        rd->out->local_added++;
    }
    wir_diag_list_free(&problems);
    wir_submission_free(&sub);
}

int wir_results_load(wir_catalog *c, const char *path, wir_results_read *out,
                     wir_diag_list *warnings, char **err) {
    memset(out, 0, sizeof *out);
    const char *slash = strrchr(path, '/');
    results_reader rd = {c, NULL, path, slash ? slash + 1 : path, out, warnings,
                         calloc(c->n_runs + 1, sizeof(bool)), c->n_runs};
    if (!rd.seen) abort();
    if (wir_store_open_readonly(path, &rd.store, err)) {
        free(rd.seen);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(wir_store_handle(rd.store),
                           "SELECT id, submit_key, started_at, catalog_id IS NOT NULL, complete"
                           " FROM runs ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
        results_fail(err, "%s: %s", path, sqlite3_errmsg(wir_store_handle(rd.store)));
        wir_store_close(rd.store);
        free(rd.seen);
        return -1;
    }
    /* The catalog's runs first: local ones are added to c->runs, which moves. */
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_reset(st);
        while (sqlite3_step(st) == SQLITE_ROW) {
            bool catalog = sqlite3_column_int(st, 3) != 0;
            if (catalog != (pass == 0)) continue;
            if (catalog)
                results_read_catalog_run(&rd, sqlite3_column_int64(st, 0));
            else if (sqlite3_column_int(st, 4) != 1)
                out->local_skipped++; /* a run still going, or killed: nothing to show yet */
            else
                results_read_local_run(&rd, st);
        }
    }
    sqlite3_finalize(st);
    wir_store_close(rd.store);
    /* A site database (it has catalog runs) should have every reviewed run. */
    if (out->catalog_runs) {
        for (size_t i = 0; i < rd.n_reviewed; i++)
            if (!rd.seen[i]) out->catalog_absent++;
        if (out->catalog_absent)
            wir_diag_add(warnings, path, 0, 0, NULL,
                         "lacks %zu of the %zu runs in data/runs/ (shown from the files); "
                         "rebuild it with `gen results`", out->catalog_absent, rd.n_reviewed);
    }
    free(rd.seen);
    return 0;
}
