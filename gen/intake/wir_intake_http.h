/* wir_intake_http: the run submission API on libmicrohttpd (`gen intake`).
 *
 *   POST /api/v1/runs        a "willitrun.run/1" document (application/json)
 *     201 {"id", "state": "pending", "url", "status_url", "findings"}  stored now
 *     200 the same, for a key stored before (a retry; nothing new is stored)
 *     400 {"error", "reasons": [{"field", "message"}]}  every problem found
 *     413 body over WIR_SUBMISSION_MAX_BYTES   415 not application/json
 *     429 the client's rate limit is spent (Retry-After says when to retry)
 *   GET /api/v1/runs/ID      200 {"id", "state", "received_at", "why"} or 404
 *
 * One line per request goes to stderr: time, client, method, path, status,
 * bytes received, run id. Each request opens its own database connection
 * (wir_intake_db), so concurrent submissions serialise in SQLite, not here.
 */
#ifndef WIR_INTAKE_HTTP_H
#define WIR_INTAKE_HTTP_H

#include <stdint.h>

#include "wir_catalog.h"

typedef struct wir_intake_config {
    const char *host;          /* numeric IPv4 address to bind ("127.0.0.1") */
    uint16_t port;             /* 0: an ephemeral port */
    const char *db_path;
    const wir_catalog *catalog;/* read only, shared by every thread */
    int32_t rate_per_minute;   /* requests per client per minute; 0: no limit */
    int32_t threads;           /* worker threads */
    int32_t drop_after_store;  /* tests: close this many connections after
                                  storing, without answering (a dropped response) */
} wir_intake_config;

typedef struct wir_intake wir_intake;

/* Starts serving; the bound port goes to *port. Returns NULL (message on
 * stderr) when the address cannot be bound or the database opened. */
wir_intake *wir_intake_start(const wir_intake_config *cfg, uint16_t *port);
void wir_intake_stop(wir_intake *in);

#endif
