/* probe submit: sends finished, unsent runs to the catalog's intake as
 * "willitrun.run/1" documents (docs/submissions.md) and marks each one sent
 * under the id the intake gives it. Every run carries an idempotency key
 * kept in the database, so a retry — after a timeout, a dropped answer or a
 * crash — never makes a second copy. What cannot be sent stays queued. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe_commands.h"
#include "wir_buf.h"
#include "wir_store.h"
#include "wir_version.h"

typedef struct submit_opts {
    const char *db;
    const char *url;          /* the intake's base URL */
    const char *handle;
    long connect_timeout_s;
    long timeout_s;
    int retries;              /* attempts after the first */
    long backoff_ms;          /* first wait; doubles each retry */
} submit_opts;

static void submit_usage(FILE *out) {
    fprintf(out,
            "usage: probe submit --handle NAME [--db FILE] [--url URL] [RUN...]\n\n"
            "Sends finished runs not sent yet (or the RUN ids given) to the catalog's intake.\n"
            "  --handle NAME     your public handle (letters, digits, . _ -; never an e-mail);\n"
            "                    default $WILLITRUN_HANDLE\n"
            "  --db FILE         the probe database (default probe.db)\n"
            "  --url URL         the intake (default $WILLITRUN_SUBMIT_URL); https:// is verified\n"
            "  --retries N       retries on connection errors and 5xx (default 4)\n"
            "  --backoff-ms N    the first retry's wait, doubled each time (default 1000)\n"
            "  --connect-timeout S, --timeout S   (defaults 10 and 60 seconds)\n"
            "Proxies: libcurl's https_proxy, http_proxy, all_proxy and no_proxy variables.\n");
}

static size_t submit_collect(char *data, size_t size, size_t n, void *user) {
    wir_buf_append(user, data, size * n);
    return size * n;
}

/* 128 random bits as 32 hex digits. */
static int submit_fresh_key(char key[WIR_STORE_KEY_SIZE]) {
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t got = read(fd, b, sizeof b);
    close(fd);
    if (got != (ssize_t)sizeof b) return -1;
    for (int i = 0; i < 16; i++) snprintf(key + 2 * i, 3, "%02x", b[i]);
    return 0;
}

static void submit_sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

/* Transport failures worth another try: the server may be back shortly. */
static int submit_retryable(CURLcode rc) {
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
           rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_OPERATION_TIMEDOUT ||
           rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
           rc == CURLE_PARTIAL_FILE;
}

/* Prints a 4xx answer's reasons. */
static void submit_print_refusal(int64_t run, long status, const char *body) {
    json_t *j = json_loads(body, 0, NULL);
    const char *e = json_string_value(json_object_get(j, "error"));
    fprintf(stderr, "probe submit: run %lld refused (HTTP %ld): %s\n", (long long)run, status,
            e ? e : body);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(j, "reasons"), i, r) {
        const char *f = json_string_value(json_object_get(r, "field"));
        fprintf(stderr, "  %s: %s\n", f ? f : "(body)",
                json_string_value(json_object_get(r, "message")));
    }
    json_decref(j);
}

/* 0 sent, 1 refused (stays queued, not retried), 2 unreachable (queued). */
static int submit_one(const submit_opts *o, wir_store *store, int64_t run, CURL *curl) {
    char fresh[WIR_STORE_KEY_SIZE], key[WIR_STORE_KEY_SIZE], *err = NULL;
    if (submit_fresh_key(fresh) || wir_store_submit_key(store, run, fresh, key, &err)) {
        fprintf(stderr, "probe submit: run %lld: %s\n", (long long)run,
                err ? err : "no random source for the idempotency key");
        free(err);
        return 1;
    }
    json_t *doc = wir_store_submission(store, run, o->handle, key, &err);
    if (!doc) {
        fprintf(stderr, "probe submit: %s; it stays local\n", err);
        free(err);
        return 1;
    }
    char *body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    char endpoint[1024], header[96], agent[64];
    size_t n = strlen(o->url);
    snprintf(endpoint, sizeof endpoint, "%.*s/api/v1/runs", (int)(n && o->url[n - 1] == '/' ? n - 1 : n), o->url);
    snprintf(header, sizeof header, "Idempotency-Key: %s", key);
    snprintf(agent, sizeof agent, "willitrun-probe/%s", WIR_VERSION);
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    hdr = curl_slist_append(hdr, header);
    wir_buf resp = WIR_BUF_INIT;
    int result = 2;
    long wait_ms = o->backoff_ms;
    for (int attempt = 0; attempt <= o->retries; attempt++) {
        if (attempt > 0) {
            fprintf(stderr, "probe submit: run %lld: retrying in %ld ms (%d of %d)\n",
                    (long long)run, wait_ms, attempt, o->retries);
            submit_sleep_ms(wait_ms);
            wait_ms *= 2;
        }
        wir_buf_reset(&resp);
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, endpoint);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, agent);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, submit_collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, o->timeout_s);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        /* TLS is verified, always; only http and https, and no redirects
         * (a POST must not silently move). */
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        CURLcode rc = curl_easy_perform(curl);
        if (rc != CURLE_OK) {
            fprintf(stderr, "probe submit: run %lld: %s: %s\n", (long long)run, endpoint,
                    curl_easy_strerror(rc));
            if (submit_retryable(rc)) continue;
            result = 2;
            break;
        }
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status == 200 || status == 201) {
            json_t *j = json_loads(wir_buf_cstr(&resp), 0, NULL);
            const char *id = json_string_value(json_object_get(j, "id"));
            const char *page = json_string_value(json_object_get(j, "url"));
            const char *st = json_string_value(json_object_get(j, "status_url"));
            if (!id || wir_store_mark_sent(store, run, id, &err)) {
                fprintf(stderr, "probe submit: run %lld: %s\n", (long long)run,
                        err ? err : "the intake's answer has no id");
                free(err);
                err = NULL;
                result = 1;
            } else {
                printf("run %lld: sent as %s%s; it appears at %s on the site once an editor "
                       "accepts it (state: %.*s%s)\n", (long long)run, id,
                       status == 200 ? " (already received)" : "", page ? page : "?",
                       (int)(strlen(endpoint) - strlen("/api/v1/runs")), endpoint,
                       st ? st : "");
                result = 0;
            }
            json_decref(j);
            break;
        }
        if (status >= 500 || status == 429) {
            fprintf(stderr, "probe submit: run %lld: HTTP %ld from the intake\n", (long long)run,
                    status);
            continue;
        }
        submit_print_refusal(run, status, wir_buf_cstr(&resp));
        result = 1;
        break;
    }
    if (result == 2)
        fprintf(stderr, "probe submit: run %lld stays queued; run probe submit again later\n",
                (long long)run);
    wir_buf_free(&resp);
    curl_slist_free_all(hdr);
    free(body);
    return result;
}

static int submit_parse(int argc, char **argv, submit_opts *o, int64_t **runs, size_t *n_runs) {
    *o = (submit_opts){"probe.db", getenv("WILLITRUN_SUBMIT_URL"), getenv("WILLITRUN_HANDLE"),
                       10, 60, 4, 1000};
    *runs = calloc((size_t)argc + 1, sizeof **runs);
    *n_runs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end = NULL;
        if (!strcmp(a, "--help")) {
            submit_usage(stdout);
            return 0;
        }
        const char *opts[] = {"--db", "--url", "--handle", "--retries", "--backoff-ms",
                              "--connect-timeout", "--timeout", NULL};
        int k = 0;
        while (opts[k] && strcmp(a, opts[k])) k++;
        if (opts[k]) {
            if (i + 1 >= argc) {
                fprintf(stderr, "probe submit: %s needs a value\n", a);
                return 2;
            }
            const char *v = argv[++i];
            long num = strtol(v, &end, 10);
            bool is_num = *v && !*end && num >= 0 && num <= 86400000;
            if (k == 0) o->db = v;
            else if (k == 1) o->url = v;
            else if (k == 2) o->handle = v;
            else if (!is_num) {
                fprintf(stderr, "probe submit: %s: expected a non-negative integer, got '%s'\n", a, v);
                return 2;
            } else if (k == 3) o->retries = (int)(num > 20 ? 20 : num);
            else if (k == 4) o->backoff_ms = num;
            else if (k == 5) o->connect_timeout_s = num > 0 ? num : 1;
            else o->timeout_s = num > 0 ? num : 1;
            continue;
        }
        long long id = strtoll(a, &end, 10);
        if (!*a || *end || id <= 0) {
            fprintf(stderr, "probe submit: '%s' is neither an option nor a run id\n", a);
            submit_usage(stderr);
            return 2;
        }
        (*runs)[(*n_runs)++] = id;
    }
    if (!o->url || !*o->url || !o->handle || !*o->handle) {
        fprintf(stderr, "probe submit: %s is required\n",
                !o->url || !*o->url ? "--url (or WILLITRUN_SUBMIT_URL)"
                                    : "--handle (or WILLITRUN_HANDLE)");
        return 2;
    }
    if (strncmp(o->url, "https://", 8) && strncmp(o->url, "http://", 7)) {
        fprintf(stderr, "probe submit: --url must be http:// or https://\n");
        return 2;
    }
    return -1;
}

int probe_cmd_submit(int argc, char **argv) {
    submit_opts o;
    int64_t *runs = NULL;
    size_t n_runs = 0;
    int rc = submit_parse(argc, argv, &o, &runs, &n_runs);
    if (rc >= 0) {
        free(runs);
        return rc;
    }
    wir_store *store = NULL;
    char *err = NULL;
    if (wir_store_open(o.db, &store, &err)) {
        fprintf(stderr, "probe submit: %s\n", err);
        free(err);
        free(runs);
        return 1;
    }
    if (n_runs == 0) {
        /* Every finished catalog-model run not sent yet, oldest first. */
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(wir_store_handle(store),
                           "SELECT id FROM runs WHERE sent = 0 AND complete = 1 AND catalog_id IS NULL AND"
                           " model_source = 'catalog' ORDER BY id", -1, &st, NULL);
        size_t cap = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (n_runs == cap) {
                cap = cap ? cap * 2 : 16;
                int64_t *g = realloc(runs, cap * sizeof *g);
                if (!g) abort();
                runs = g;
            }
            runs[n_runs++] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    size_t sent = 0, refused = 0, queued = 0;
    for (size_t i = 0; i < n_runs && curl; i++) {
        int r = submit_one(&o, store, runs[i], curl);
        if (r == 0) sent++;
        else if (r == 1) refused++;
        else queued++;
    }
    if (curl) curl_easy_cleanup(curl);
    curl_global_cleanup();
    wir_store_close(store);
    free(runs);
    if (!n_runs) printf("probe submit: nothing to send (every finished run is sent)\n");
    else printf("probe submit: %zu sent, %zu refused, %zu queued\n", sent, refused, queued);
    return refused || queued ? 1 : 0;
}
