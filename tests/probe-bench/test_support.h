/* Helpers the probe-bench tests share: a filled-in run record, a fresh
 * database path, and one-value SQL queries. Test code only. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <sqlite3.h>

#include "wir_record.h"

/* A catalog run of qwen2-5-0-5b Q4_K_M on this host's CPU, 2 threads, 3 reps,
 * 397808192 weight bytes, context 48. The caller frees with wir_run_info_free. */
void test_fill_run(wir_run_info *run);

/* DIR/NAME with any database, -wal and -shm file of that name removed.
 * The caller frees the path. */
char *test_fresh_db(const char *dir, const char *name);

/* The first column of the first row of SQL: as text (malloc'd; NULL for SQL
 * NULL, no row or an error, which is printed), or as an integer (-1 then). */
char *test_query_text(sqlite3 *db, const char *sql);
long long test_query_int(sqlite3 *db, const char *sql);

#endif
