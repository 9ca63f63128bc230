/* gen intake: serves the run submission API (gen/intake/wir_intake_http.h)
 * until SIGINT or SIGTERM, or for --max-seconds. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_fs.h"
#include "wir_intake_http.h"

static void gen_intake_usage(FILE *out) {
    fprintf(out,
            "usage: gen intake --listen ADDR:PORT --db FILE [--data DIR] [--rate N]\n"
            "                  [--threads N] [--port-file FILE] [--max-seconds N]\n\n"
            "Serves POST /api/v1/runs and GET /api/v1/runs/ID (docs/submissions.md).\n"
            "  --listen ADDR:PORT  numeric IPv4 address and port; port 0 picks a free one\n"
            "  --db FILE           the intake database (created when absent)\n"
            "  --data DIR          the catalog submissions are checked against (default data)\n"
            "  --rate N            requests per client address per minute (default 60; 0: off)\n"
            "  --threads N         worker threads (default 4)\n"
            "  --port-file FILE    write the bound port to FILE once listening\n"
            "  --max-seconds N     stop after N seconds (default: until SIGINT/SIGTERM)\n"
            "  --drop-after-store N  tests only: store N runs without answering\n"
            "Production runs behind a TLS-terminating proxy; bind to 127.0.0.1 there.\n");
}

int gen_cmd_intake(int argc, char **argv) {
    const char *listen = NULL, *db = NULL, *data = "data", *port_file = NULL, *v = NULL;
    int64_t rate = 60, threads = 4, max_seconds = 0, drop = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            gen_intake_usage(stdout);
            return 0;
        }
        if (gen_engine_opt(argc, argv, &i, "--listen", &listen) ||
            gen_engine_opt(argc, argv, &i, "--db", &db) ||
            gen_engine_opt(argc, argv, &i, "--data", &data) ||
            gen_engine_opt(argc, argv, &i, "--port-file", &port_file))
            continue;
        if (gen_engine_opt(argc, argv, &i, "--rate", &v)) {
            if (!gen_engine_int("intake", "--rate", v, 0, 1000000, &rate)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--threads", &v)) {
            if (!gen_engine_int("intake", "--threads", v, 1, 256, &threads)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--max-seconds", &v)) {
            if (!gen_engine_int("intake", "--max-seconds", v, 1, 86400 * 365, &max_seconds)) return 2;
        } else if (gen_engine_opt(argc, argv, &i, "--drop-after-store", &v)) {
            if (!gen_engine_int("intake", "--drop-after-store", v, 0, 1000, &drop)) return 2;
        } else {
            fprintf(stderr, "gen intake: unknown option '%s'\n", argv[i]);
            gen_intake_usage(stderr);
            return 2;
        }
    }
    if (!listen || !db) {
        fprintf(stderr, "gen intake: --listen and --db are required\n");
        gen_intake_usage(stderr);
        return 2;
    }
    char host[64];
    const char *colon = strrchr(listen, ':');
    int64_t port = -1;
    if (!colon || (size_t)(colon - listen) >= sizeof host ||
        !gen_engine_int("intake", "--listen port", colon + 1, 0, 65535, &port))
        return fprintf(stderr, "gen intake: --listen: expected ADDR:PORT\n"), 2;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';

    wir_catalog *c = gen_engine_load("intake", data);
    if (!c) return 1;
    /* Signals are taken synchronously below, never in a handler. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    wir_intake_config cfg = {host, (uint16_t)port, db, c, (int32_t)rate, (int32_t)threads,
                             (int32_t)drop};
    uint16_t bound = 0;
    wir_intake *in = wir_intake_start(&cfg, &bound);
    if (!in) {
        wir_catalog_free(c);
        return 1;
    }
    fprintf(stderr, "gen intake: listening on http://%s:%u (database %s, catalog %s)\n", host,
            (unsigned)bound, db, data);
    int rc = 0;
    if (port_file) {
        char text[16];
        int n = snprintf(text, sizeof text, "%u\n", (unsigned)bound);
        if (wir_fs_write_atomic(port_file, text, (size_t)n) != 0) {
            fprintf(stderr, "gen intake: %s: %s\n", port_file, strerror(errno));
            rc = 1;
        }
    }
    time_t end = max_seconds > 0 ? time(NULL) + max_seconds : 0;
    while (rc == 0) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            fprintf(stderr, "gen intake: stopping (signal %d)\n", sig);
            break;
        }
        if (end && time(NULL) >= end) {
            fprintf(stderr, "gen intake: stopping (--max-seconds)\n");
            break;
        }
    }
    wir_intake_stop(in);
    wir_catalog_free(c);
    return rc;
}
