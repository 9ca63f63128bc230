/* wir_intake_db: the intake's database of submitted runs (`gen intake --db
 * FILE`, read by `gen review`, `gen accept`, `gen reject`). It holds only
 * what waits for an editor and what was decided; an accepted run's lasting
 * form is data/runs/<id>.json in git, never this file.
 *
 * Schema (version 1, PRAGMA user_version; migrations in wir_intake_db.c):
 *
 * submissions — one row per idempotency key:
 *   id TEXT PRIMARY KEY (the catalog id, data/runs/<id>.json)
 *   key TEXT UNIQUE (the submission's idempotency key: a retry finds its row)
 *   submitter TEXT   client TEXT (the address it came from; never published)
 *   received_at TEXT (UTC ISO 8601)
 *   state 'pending'|'accepted'|'rejected'   decided_at TEXT   why TEXT
 *   document TEXT (the body as received)   run TEXT (the data/runs document
 *   the intake made of it)   findings TEXT (JSON array of notes for review)
 *
 * Connections use WAL, synchronous=NORMAL, foreign keys and a 10 s busy
 * timeout; every write is one BEGIN IMMEDIATE transaction, so any number of
 * intake threads and editor commands may use the file at once.
 *
 * Errors: functions return 0 (or the documented non-negative value) on
 * success and -1 with *err set to a message the caller frees.
 */
#ifndef WIR_INTAKE_DB_H
#define WIR_INTAKE_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "wir_submission.h"

#define WIR_INTAKE_DB_VERSION 1

/* Opens (creating and migrating) path; the caller closes with sqlite3_close. */
int wir_intake_db_open(const char *path, sqlite3 **out, char **err);

/* Stores s (checked, s->run set) as pending unless its key is stored
 * already. When another key took the id (keys sharing their first ten
 * digits), the id becomes sub-<whole key>-… in s and s->run. Returns 1 when stored now, 0 when the key was there (then id
 * receives the stored row's id), -1 on error. id has room for 192 bytes. */
int wir_intake_db_put(sqlite3 *db, wir_submission *s, const char *client,
                      const char *received_at, const char *document, char id[192], char **err);

/* Moves a pending submission to accepted or rejected (why may be NULL for
 * accepted). Returns 1 when moved, 0 when id is unknown or not pending. */
int wir_intake_db_decide(sqlite3 *db, const char *id, const char *state, const char *why,
                         char **err);

#endif
