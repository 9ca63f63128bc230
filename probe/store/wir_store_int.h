/* wir_store_int: what the store's files share and no caller needs. Private
 * to probe/store. */
#ifndef WIR_STORE_INT_H
#define WIR_STORE_INT_H

#include <jansson.h>
#include <sqlite3.h>

/* Column i of the current row as JSON: NULL → null, integers, reals and text
 * as themselves. The caller owns the reference. */
json_t *wir_store_col(sqlite3_stmt *st, int i);

#endif
