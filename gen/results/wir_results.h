/* wir_results: the site's side of the results database (the SQLite file
 * whose schema the probe owns, probe/store/wir_store.h).
 *
 * Two directions, both through the probe's own store code so the schema
 * lives in one place:
 *   - rebuild: data/runs/ (the reviewed runs, text in git) into a fresh
 *     database, written atomically (`gen results`), so no editor's binary
 *     file is ever the only copy of a run;
 *   - read: a database into a loaded catalog (`gen build --db`). Its catalog
 *     runs are checked against data/runs/, which stays the source of truth
 *     (a stale database can warn, never put an old figure on the site); its
 *     local runs (measured with `probe run`, not submitted or not yet
 *     accepted) go through the intake's checks (wir_submission_check:
 *     schema, catalog references, physics) and are added to the catalog
 *     marked unreviewed (wir_run.unreviewed_db).
 */
#ifndef WIR_RESULTS_H
#define WIR_RESULTS_H

#include <stddef.h>

#include "wir_catalog.h"
#include "wir_diag.h"

typedef struct wir_results_rebuilt {
    size_t runs, results, samples;
} wir_results_rebuilt;

/* Writes every run of c (read back from its data/runs file) into a new
 * database that replaces path in one rename: PATH.tmp is built in one
 * transaction, fsynced and renamed over path, so a failure at any point
 * leaves the previous database whole. The result is a single file
 * (rollback journal, not WAL) that can be copied or shipped. Returns 0, or
 * -1 with *err (the caller frees) naming the run or file at fault. */
int wir_results_rebuild(const wir_catalog *c, const char *path, wir_results_rebuilt *out,
                        char **err);

typedef struct wir_results_read {
    size_t catalog_runs;   /* catalog runs in the database */
    size_t catalog_stale;  /* of those, differing from data/runs/ or not in it */
    size_t catalog_absent; /* data/runs/ runs the database lacks (when it has any) */
    size_t local_added;    /* local runs added, unreviewed */
    size_t local_known;    /* local runs already accepted into data/runs/ */
    size_t local_skipped;  /* unfinished, GGUF or refused local runs */
} wir_results_read;

/* Reads the database at path (read-only; an older schema is migrated in
 * memory, the file is never written) into c. Problems that keep one run off
 * the site (a stale catalog run, a local run the checks refuse) go to
 * warnings, one per run, as "PATH: run N: …". Returns 0, or -1 with *err
 * when the file cannot be read as a results database. */
int wir_results_load(wir_catalog *c, const char *path, wir_results_read *out,
                     wir_diag_list *warnings, char **err);

#endif
