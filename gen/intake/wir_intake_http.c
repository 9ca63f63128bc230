/* wir_intake_http: request handling, body limits, rate limiting and the
 * per-request log of the submission API (see wir_intake_http.h). */
#define _POSIX_C_SOURCE 200809L
#include "wir_intake_http.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "wir_intake_db.h"
#include "wir_submission.h"

#define INTAKE_RUNS_PATH "/api/v1/runs"
#define INTAKE_MAX_CLIENTS 4096

typedef struct intake_client {
    char addr[INET6_ADDRSTRLEN];
    time_t window;   /* start of the current minute */
    int32_t count;   /* requests in it */
} intake_client;

struct wir_intake {
    struct MHD_Daemon *daemon;
    wir_intake_config cfg;
    pthread_mutex_t lock; /* guards clients */
    intake_client *clients;
    size_t n_clients;
    atomic_int dropped;
};

/* One request's state across libmicrohttpd's calls. */
typedef struct intake_request {
    char *body;
    size_t len;
    bool too_big;
} intake_request;

static void intake_now(char out[24]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void intake_client_addr(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN]) {
    snprintf(out, INET6_ADDRSTRLEN, "unknown");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, INET6_ADDRSTRLEN);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, INET6_ADDRSTRLEN);
}

/* Fixed one-minute windows per client address: true when this request is
 * within the limit. *retry_after gets the seconds left in the window. */
static bool intake_rate_ok(wir_intake *in, const char *addr, int32_t *retry_after) {
    if (in->cfg.rate_per_minute <= 0) return true;
    time_t now = time(NULL), window = now - now % 60;
    bool ok = true;
    pthread_mutex_lock(&in->lock);
    intake_client *c = NULL;
    for (size_t i = 0; i < in->n_clients; i++)
        if (!strcmp(in->clients[i].addr, addr)) c = &in->clients[i];
    if (!c) {
        /* A full table forgets the client seen least recently. */
        size_t slot = in->n_clients;
        if (slot == INTAKE_MAX_CLIENTS) {
            slot = 0;
            for (size_t i = 1; i < in->n_clients; i++)
                if (in->clients[i].window < in->clients[slot].window) slot = i;
        } else {
            in->n_clients++;
        }
        c = &in->clients[slot];
        snprintf(c->addr, sizeof c->addr, "%s", addr);
        c->window = window;
        c->count = 0;
    }
    if (c->window != window) {
        c->window = window;
        c->count = 0;
    }
    if (c->count >= in->cfg.rate_per_minute) ok = false;
    else c->count++;
    pthread_mutex_unlock(&in->lock);
    *retry_after = (int32_t)(window + 60 - now);
    return ok;
}

static enum MHD_Result intake_reply(struct MHD_Connection *conn, unsigned status, json_t *body,
                                    const char *method, const char *url, const char *addr,
                                    size_t received, const char *id, int32_t retry_after) {
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    size_t n = text ? strlen(text) : 0;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(n, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE
                                                                        : MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (retry_after > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", (int)retry_after);
        MHD_add_response_header(r, "Retry-After", v);
    }
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    char now[24];
    intake_now(now);
    /* One line per request: where a problem came from, without the body. */
    fprintf(stderr, "%s %s %s %s %u %zu %s\n", now, addr, method, url, status, received,
            id && *id ? id : "-");
    return rc;
}

static json_t *intake_error(const char *message) {
    return json_pack("{s:s}", "error", message);
}

static json_t *intake_reasons(const wir_submission *s) {
    json_t *a = json_array();
    for (size_t i = 0; i < s->reasons.count; i++) {
        const wir_diag *d = &s->reasons.items[i];
        json_t *o = json_pack("{s:s}", "message", d->message);
        json_object_set_new(o, "field", d->field ? json_string(d->field) : json_null());
        if (d->line > 0) {
            json_object_set_new(o, "line", json_integer(d->line));
            json_object_set_new(o, "column", json_integer(d->column));
        }
        json_array_append_new(a, o);
    }
    return json_pack("{s:s, s:o}", "error", "invalid submission", "reasons", a);
}

static json_t *intake_accepted(const char *id, const wir_submission *s) {
    char url[256], status_url[256];
    snprintf(url, sizeof url, "/runs/%s/", id);
    snprintf(status_url, sizeof status_url, INTAKE_RUNS_PATH "/%s", id);
    json_t *f = json_array();
    for (size_t i = 0; s && i < s->n_findings; i++) json_array_append_new(f, json_string(s->findings[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id, "state", "pending", "url", url,
                     "status_url", status_url, "findings", f);
}

static enum MHD_Result intake_post(wir_intake *in, struct MHD_Connection *conn,
                                   intake_request *rq, const char *url, const char *addr) {
    char received[24];
    intake_now(received);
    wir_submission s;
    int bad = wir_submission_check(in->cfg.catalog, rq->body ? rq->body : "", rq->len, received, &s);
    /* The header is what proxies and logs see; it must name the same run. */
    const char *hk = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (!bad && hk && strcmp(hk, s.key) != 0) {
        wir_diag_add(&s.reasons, "submission", 0, 0, "key",
                     "the Idempotency-Key header does not match the document's key");
        bad = -1;
    }
    if (bad) {
        enum MHD_Result r = intake_reply(conn, MHD_HTTP_BAD_REQUEST, intake_reasons(&s), "POST",
                                         url, addr, rq->len, NULL, 0);
        wir_submission_free(&s);
        return r;
    }
    sqlite3 *db = NULL;
    char *err = NULL, id[192] = "";
    int stored = -1;
    if (wir_intake_db_open(in->cfg.db_path, &db, &err) == 0) {
        char *doc = strndup(rq->body, rq->len);
        stored = wir_intake_db_put(db, &s, addr, received, doc, id, &err);
        free(doc);
    }
    sqlite3_close(db);
    enum MHD_Result r;
    if (stored < 0) {
        fprintf(stderr, "gen intake: %s: %s\n", in->cfg.db_path, err ? err : "cannot store");
        r = intake_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                         intake_error("the run could not be stored; retry later"), "POST", url,
                         addr, rq->len, NULL, 5);
    } else if (stored == 1 && atomic_fetch_sub(&in->dropped, 1) > 0) {
        /* Test hook: the run is stored but the answer never leaves. */
        fprintf(stderr, "gen intake: dropping the response for %s (--drop-after-store)\n", id);
        r = MHD_NO;
    } else {
        r = intake_reply(conn, stored ? MHD_HTTP_CREATED : MHD_HTTP_OK,
                         intake_accepted(id, stored ? &s : NULL), "POST", url, addr, rq->len, id,
                         0);
    }
    free(err);
    wir_submission_free(&s);
    return r;
}

static enum MHD_Result intake_get(wir_intake *in, struct MHD_Connection *conn, const char *url,
                                  const char *addr) {
    const char *id = url + strlen(INTAKE_RUNS_PATH "/");
    sqlite3 *db = NULL;
    char *err = NULL;
    json_t *body = NULL;
    unsigned status = MHD_HTTP_NOT_FOUND;
    if (wir_intake_db_open(in->cfg.db_path, &db, &err) == 0) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT state, received_at, why FROM submissions WHERE id = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW) {
                status = MHD_HTTP_OK;
                const char *why = (const char *)sqlite3_column_text(st, 2);
                body = json_pack("{s:s, s:s, s:s, s:o}", "id", id, "state",
                                 (const char *)sqlite3_column_text(st, 0), "received_at",
                                 (const char *)sqlite3_column_text(st, 1), "why",
                                 why ? json_string(why) : json_null());
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    free(err);
    if (!body) body = intake_error("no such submission");
    return intake_reply(conn, status, body, "GET", url, addr, 0, status == MHD_HTTP_OK ? id : NULL,
                        0);
}

static enum MHD_Result intake_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **con_cls) {
    (void)version;
    wir_intake *in = cls;
    char addr[INET6_ADDRSTRLEN];
    intake_client_addr(conn, addr);
    bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET");
    intake_request *rq = *con_cls;
    if (!rq) {
        /* First call: headers only. Everything decidable from them is
         * answered now, before any body is read. */
        int32_t retry = 0;
        if (!intake_rate_ok(in, addr, &retry))
            return intake_reply(conn, MHD_HTTP_TOO_MANY_REQUESTS,
                                intake_error("rate limit: too many requests from this address"),
                                method, url, addr, 0, NULL, retry > 0 ? retry : 1);
        bool runs = !strcmp(url, INTAKE_RUNS_PATH);
        bool one = !strncmp(url, INTAKE_RUNS_PATH "/", strlen(INTAKE_RUNS_PATH "/")) &&
                   url[strlen(INTAKE_RUNS_PATH "/")];
        if (!runs && !one)
            return intake_reply(conn, MHD_HTTP_NOT_FOUND, intake_error("no such resource"), method,
                                url, addr, 0, NULL, 0);
        if ((runs && !post) || (one && !get))
            return intake_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                                intake_error(runs ? "use POST" : "use GET"), method, url, addr, 0,
                                NULL, 0);
        if (get) return intake_get(in, conn, url, addr);
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
            (ct[16] && ct[16] != ';' && ct[16] != ' '))
            return intake_reply(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                                intake_error("send Content-Type: application/json"), method, url,
                                addr, 0, NULL, 0);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > WIR_SUBMISSION_MAX_BYTES)
            return intake_reply(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                                intake_error("body over the size limit (262144 bytes)"), method,
                                url, addr, 0, NULL, 0);
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        /* Chunked bodies have no Content-Length: the limit holds here too. */
        if (!rq->too_big && rq->len + *upload_data_size <= WIR_SUBMISSION_MAX_BYTES) {
            char *grown = realloc(rq->body, rq->len + *upload_data_size + 1);
            if (!grown) return MHD_NO;
            rq->body = grown;
            memcpy(rq->body + rq->len, upload_data, *upload_data_size);
            rq->len += *upload_data_size;
            rq->body[rq->len] = '\0';
        } else {
            rq->too_big = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->too_big)
        return intake_reply(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                            intake_error("body over the size limit (262144 bytes)"), method, url,
                            addr, rq->len, NULL, 0);
    return intake_post(in, conn, rq, url, addr);
}

static void intake_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                             enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)conn;
    (void)toe;
    intake_request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

wir_intake *wir_intake_start(const wir_intake_config *cfg, uint16_t *port) {
    sqlite3 *db = NULL;
    char *err = NULL;
    /* Open once here so a bad --db fails at start, not at the first run. */
    if (wir_intake_db_open(cfg->db_path, &db, &err) != 0) {
        fprintf(stderr, "gen intake: %s\n", err ? err : cfg->db_path);
        free(err);
        return NULL;
    }
    sqlite3_close(db);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
        fprintf(stderr, "gen intake: --listen: \"%s\" is not a numeric IPv4 address\n", cfg->host);
        return NULL;
    }
    wir_intake *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->cfg = *cfg;
    in->clients = calloc(INTAKE_MAX_CLIENTS, sizeof *in->clients);
    atomic_init(&in->dropped, cfg->drop_after_store);
    pthread_mutex_init(&in->lock, NULL);
    in->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG, 0, NULL,
        NULL, intake_handle, in, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 4),
        MHD_OPTION_NOTIFY_COMPLETED, intake_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)512, MHD_OPTION_END);
    if (!in->daemon || !in->clients) {
        fprintf(stderr, "gen intake: cannot listen on %s:%u\n", cfg->host, (unsigned)cfg->port);
        wir_intake_stop(in);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(in->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : cfg->port;
    return in;
}

void wir_intake_stop(wir_intake *in) {
    if (!in) return;
    if (in->daemon) MHD_stop_daemon(in->daemon);
    pthread_mutex_destroy(&in->lock);
    free(in->clients);
    free(in);
}
