/* wir_intake_db: schema, migrations and the transactional writes of the
 * intake's database (see wir_intake_db.h). */
#define _POSIX_C_SOURCE 200809L
#include "wir_intake_db.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Migration N takes user_version N-1 to N; entries are only appended. */
static const char *const intake_migrations[] = {
    "CREATE TABLE submissions ("
    "  id TEXT PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  submitter TEXT NOT NULL,"
    "  client TEXT NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'accepted', 'rejected')),"
    "  decided_at TEXT, why TEXT,"
    "  document TEXT NOT NULL,"
    "  run TEXT NOT NULL,"
    "  findings TEXT NOT NULL"
    ");"
    "CREATE INDEX submissions_by_state ON submissions (state, received_at);",
};

_Static_assert(sizeof intake_migrations / sizeof intake_migrations[0] == WIR_INTAKE_DB_VERSION,
               "one migration per schema version");

static int intake_fail(char **err, sqlite3 *db, const char *what) {
    if (err) {
        const char *m = db ? sqlite3_errmsg(db) : "out of memory";
        size_t n = strlen(what) + strlen(m) + 3;
        *err = malloc(n);
        if (*err) snprintf(*err, n, "%s: %s", what, m);
    }
    return -1;
}

static int intake_exec(sqlite3 *db, const char *sql, char **err) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) return intake_fail(err, db, "sqlite");
    return 0;
}

static int intake_migrate(sqlite3 *db, char **err) {
    if (intake_exec(db, "BEGIN IMMEDIATE", err)) return -1;
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (v < 0 || v > WIR_INTAKE_DB_VERSION) {
        intake_exec(db, "ROLLBACK", NULL);
        if (err) *err = strdup("the database is newer than this gen, or not an intake database");
        return -1;
    }
    for (; v < WIR_INTAKE_DB_VERSION; v++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (intake_exec(db, intake_migrations[v], err) || intake_exec(db, pragma, err)) {
            intake_exec(db, "ROLLBACK", NULL);
            return -1;
        }
    }
    if (intake_exec(db, "COMMIT", err)) {
        intake_exec(db, "ROLLBACK", NULL);
        return -1;
    }
    return 0;
}

int wir_intake_db_open(const char *path, sqlite3 **out, char **err) {
    *out = NULL;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        intake_fail(err, db, path);
        sqlite3_close(db);
        return -1;
    }
    /* Fifty submitters at once queue on the write lock; 10 s is far above
     * one insert's time, so none fails for waiting. */
    sqlite3_busy_timeout(db, 10000);
    if (intake_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        "PRAGMA foreign_keys = ON;", err) ||
        intake_migrate(db, err)) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

int wir_intake_db_put(sqlite3 *db, wir_submission *s, const char *client,
                      const char *received_at, const char *document, char id[192], char **err) {
    char *run = json_dumps(s->run, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_t *f = json_array();
    for (size_t i = 0; i < s->n_findings; i++) json_array_append_new(f, json_string(s->findings[i]));
    char *findings = json_dumps(f, JSON_COMPACT);
    json_decref(f);
    int rc = -1;
    sqlite3_stmt *st = NULL;
    if (!run || !findings || intake_exec(db, "BEGIN IMMEDIATE", err)) goto done;
    if (sqlite3_prepare_v2(db,
            "INSERT INTO submissions (id, key, submitter, client, received_at, document, run,"
            " findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
            -1, &st, NULL) != SQLITE_OK) {
        intake_fail(err, db, "insert");
        goto rollback;
    }
    const char *v[] = {s->id, s->key, s->submitter, client, received_at, document, run, findings};
    for (int i = 0; i < 8; i++) sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) {
        intake_fail(err, db, "insert");
        goto rollback;
    }
    int created = sqlite3_changes(db) > 0;
    sqlite3_finalize(st);
    st = NULL;
    snprintf(id, 192, "%s", s->id);
    if (!created) {
        if (sqlite3_prepare_v2(db, "SELECT id FROM submissions WHERE key = ?1", -1, &st, NULL) !=
            SQLITE_OK) {
            intake_fail(err, db, "select");
            goto rollback;
        }
        sqlite3_bind_text(st, 1, s->key, -1, SQLITE_TRANSIENT);
        bool known = sqlite3_step(st) == SQLITE_ROW;
        if (known) snprintf(id, 192, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        st = NULL;
        if (!known) {
            /* Another key with the same first ten digits took the id: the
             * id carries the whole key instead (no two keys share that). */
            if (err) *err = strdup("id taken by another key");
            rc = -2;
            goto rollback;
        }
    }
    if (intake_exec(db, "COMMIT", err)) goto rollback;
    rc = created;
    goto done;
rollback:
    sqlite3_finalize(st);
    st = NULL;
    intake_exec(db, "ROLLBACK", NULL);
    if (rc == -2 && strlen(s->id) > 14 && strncmp(s->id + 4, s->key, 10) == 0 &&
        strlen(s->id) - 14 + 4 + WIR_SUBMISSION_KEY_LEN < sizeof s->id) {
        char longer[sizeof s->id];
        snprintf(longer, sizeof longer, "sub-%s%s", s->key, s->id + 14);
        snprintf(s->id, sizeof s->id, "%s", longer);
        json_object_set_new(s->run, "id", json_string(s->id));
        free(run);
        free(findings);
        if (err) {
            free(*err);
            *err = NULL;
        }
        return wir_intake_db_put(db, s, client, received_at, document, id, err);
    }
    if (rc == -2) rc = -1;
done:
    sqlite3_finalize(st);
    free(run);
    free(findings);
    return rc;
}

int wir_intake_db_decide(sqlite3 *db, const char *id, const char *state, const char *why,
                         char **err) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
            "UPDATE submissions SET state = ?2, why = ?3,"
            " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            " WHERE id = ?1 AND state = 'pending'", -1, &st, NULL) != SQLITE_OK)
        return intake_fail(err, db, "update");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
    if (why) sqlite3_bind_text(st, 3, why, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 3);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return intake_fail(err, db, "update");
    return sqlite3_changes(db) > 0 ? 1 : 0;
}
