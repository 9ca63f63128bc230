/* gen review, gen accept, gen reject: the editor's side of submissions.
 * review lists what waits, with the intake's findings and a fresh check
 * against the catalog as it is now; accept writes each run to
 * data/runs/<id>.json (the catalog's text form, which is what the site is
 * built from) and only then marks it accepted; reject records why. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_results.h"
#include "wir_fs.h"
#include "wir_intake_db.h"
#include "wir_submission.h"

typedef struct review_opts {
    const char *db;
    const char *data;
    const char *why;
    const char *results;  /* accept: the results database to rebuild */
    char **ids;
    int n_ids;
} review_opts;

/* Common options; returns -1 to go on, else the exit status. */
static int review_parse(const char *cmd, int argc, char **argv, review_opts *o, bool want_ids,
                        bool want_why) {
    *o = (review_opts){NULL, "data", NULL, NULL, calloc((size_t)argc + 1, sizeof(char *)), 0};
    bool accept = !strcmp(cmd, "accept");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            printf("usage: gen %s --db FILE [--data DIR]%s%s%s\n", cmd, want_ids ? " ID..." : "",
                   want_why ? " --why TEXT" : "", accept ? " [--results FILE]" : "");
            if (accept)
                printf("  --results FILE  rebuild this results database from data/runs/ once\n"
                       "                  the runs are accepted (as gen results --db FILE)\n");
            return 0;
        }
        if (gen_engine_opt(argc, argv, &i, "--db", &o->db) ||
            gen_engine_opt(argc, argv, &i, "--data", &o->data) ||
            (want_why && gen_engine_opt(argc, argv, &i, "--why", &o->why)) ||
            (accept && gen_engine_opt(argc, argv, &i, "--results", &o->results)))
            continue;
        if (argv[i][0] == '-' || !want_ids) {
            fprintf(stderr, "gen %s: unknown option '%s'\n", cmd, argv[i]);
            return 2;
        }
        o->ids[o->n_ids++] = argv[i];
    }
    if (!o->db) return fprintf(stderr, "gen %s: --db FILE is required\n", cmd), 2;
    if (want_ids && o->n_ids == 0) return fprintf(stderr, "gen %s: name the runs (ID...)\n", cmd), 2;
    if (want_why && (!o->why || !*o->why))
        return fprintf(stderr, "gen %s: --why TEXT is required\n", cmd), 2;
    return -1;
}

static sqlite3 *review_open(const char *cmd, const char *path) {
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "gen %s: %s: %s\n", cmd, path, strerror(errno));
        return NULL;
    }
    sqlite3 *db = NULL;
    char *err = NULL;
    if (wir_intake_db_open(path, &db, &err)) {
        fprintf(stderr, "gen %s: %s\n", cmd, err ? err : path);
        free(err);
    }
    return db;
}

static void review_print_run(const json_t *run) {
    const json_t *hw = json_object_get(run, "hardware");
    const char *gpu = json_string_value(json_object_get(hw, "gpu"));
    printf("  %s %s on %s", json_string_value(json_object_get(run, "model")),
           json_string_value(json_object_get(run, "quant")),
           gpu ? gpu : json_string_value(json_object_get(hw, "cpu")));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(run, "results"), i, r) {
        const char *t = json_string_value(json_object_get(r, "test"));
        long long n = json_integer_value(json_object_get(r, !strcmp(t, "pp") ? "n_prompt" : "n_gen"));
        printf("%s %s%lld", i ? "," : ":", t, n);
        long long d = json_integer_value(json_object_get(r, "depth"));
        if (d) printf(" @ d%lld", d);
        printf(" %.2f t/s", json_number_value(json_object_get(r, "tokens_per_s")));
    }
    printf("\n  reproduce: %s\n", json_string_value(json_object_get(run, "reproduce")));
}

int gen_cmd_review(int argc, char **argv) {
    review_opts o;
    int rc = review_parse("review", argc, argv, &o, false, false);
    free(o.ids);
    if (rc >= 0) return rc;
    sqlite3 *db = review_open("review", o.db);
    if (!db) return 1;
    wir_catalog *c = gen_engine_load("review", o.data);
    if (!c) {
        sqlite3_close(db);
        return 1;
    }
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "SELECT id, submitter, received_at, run, findings FROM submissions"
                           " WHERE state = 'pending' ORDER BY received_at, id", -1, &st, NULL);
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        n++;
        printf("%s  by %s, received %s\n", (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
        json_t *run = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
        json_t *f = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
        if (run) review_print_run(run);
        size_t i;
        json_t *x;
        json_array_foreach(f, i, x) printf("  finding: %s\n", json_string_value(x));
        /* The catalog may have changed since the run arrived (a GPU added). */
        wir_submission now;
        if (run && wir_submission_recheck(c, run, &now))
            for (size_t k = 0; k < now.reasons.count; k++)
                printf("  cannot accept now: %s: %s\n",
                       now.reasons.items[k].field ? now.reasons.items[k].field : "-",
                       now.reasons.items[k].message);
        else if (run)
            printf("  acceptable: gen accept --db %s %s\n", o.db,
                   (const char *)sqlite3_column_text(st, 0));
        if (run) wir_submission_free(&now);
        json_decref(run);
        json_decref(f);
        printf("\n");
    }
    sqlite3_finalize(st);
    printf("%zu pending submission%s\n", n, n == 1 ? "" : "s");
    wir_catalog_free(c);
    sqlite3_close(db);
    return 0;
}

/* The pending run document of id, or NULL (reported). */
static json_t *review_pending_run(sqlite3 *db, const char *id) {
    sqlite3_stmt *st = NULL;
    json_t *run = NULL;
    sqlite3_prepare_v2(db, "SELECT state, run FROM submissions WHERE id = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW)
        fprintf(stderr, "gen accept: %s: no such submission\n", id);
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "pending"))
        fprintf(stderr, "gen accept: %s: already %s\n", id, sqlite3_column_text(st, 0));
    else
        run = json_loads((const char *)sqlite3_column_text(st, 1), JSON_REJECT_DUPLICATES, NULL);
    sqlite3_finalize(st);
    return run;
}

int gen_cmd_accept(int argc, char **argv) {
    review_opts o;
    int rc = review_parse("accept", argc, argv, &o, true, false);
    if (rc >= 0) {
        free(o.ids);
        return rc;
    }
    sqlite3 *db = review_open("accept", o.db);
    wir_catalog *c = db ? gen_engine_load("accept", o.data) : NULL;
    if (!c) {
        sqlite3_close(db);
        free(o.ids);
        return 1;
    }
    char **written = calloc((size_t)o.n_ids + 1, sizeof *written);
    int n_written = 0;
    rc = 0;
    for (int i = 0; i < o.n_ids; i++) {
        json_t *run = review_pending_run(db, o.ids[i]);
        if (!run) {
            rc = 1;
            continue;
        }
        wir_submission now;
        if (wir_submission_recheck(c, run, &now)) {
            for (size_t k = 0; k < now.reasons.count; k++)
                fprintf(stderr, "gen accept: %s: %s: %s\n", o.ids[i],
                        now.reasons.items[k].field ? now.reasons.items[k].field : "-",
                        now.reasons.items[k].message);
            rc = 1;
        } else {
            char *path = NULL;
            if (gen_engine_write_run(o.data, run, &path) != 0) {
                fprintf(stderr, "gen accept: %s: %s\n", path, strerror(errno));
                rc = 1;
                free(path);
            } else {
                written[n_written++] = path;
            }
        }
        wir_submission_free(&now);
        json_decref(run);
    }
    wir_catalog_free(c);
    /* The catalog with the new files must still load cleanly (gen check);
     * otherwise they go again and nothing is marked. */
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *after = n_written ? wir_catalog_load(o.data, &diags) : NULL;
    if (n_written && !after) {
        wir_diag_list_print(stderr, &diags);
        fprintf(stderr, "gen accept: the catalog would not pass gen check; nothing accepted\n");
        for (int i = 0; i < n_written; i++) unlink(written[i]);
        n_written = 0;
        rc = 1;
    }
    wir_diag_list_free(&diags);
    size_t n_accepted = 0;
    for (int i = 0; i < n_written; i++) {
        const char *base = strrchr(written[i], '/');
        char id[192];
        snprintf(id, sizeof id, "%s", base ? base + 1 : written[i]);
        id[strlen(id) - 5] = '\0';
        char *err = NULL;
        if (wir_intake_db_decide(db, id, "accepted", NULL, &err) < 0) {
            fprintf(stderr, "gen accept: %s: %s (the file is written; accept again)\n", id, err);
            free(err);
            rc = 1;
        } else {
            printf("accepted %s → %s (commit it; gen build publishes it at /runs/%s/)\n", id,
                   written[i], id);
            n_accepted++;
        }
    }
    /* The results database follows the text, never the other way round. */
    if (o.results && n_accepted) {
        wir_results_rebuilt st;
        char *err = NULL;
        if (wir_results_rebuild(after, o.results, &st, &err) != 0) {
            fprintf(stderr, "gen accept: %s (rebuild it with gen results)\n", err);
            free(err);
            rc = 1;
        } else {
            printf("rebuilt %s: %zu runs from %s/runs/\n", o.results, st.runs, o.data);
        }
    }
    wir_catalog_free(after);
    for (int i = 0; i < n_written; i++) free(written[i]);
    free(written);
    free(o.ids);
    sqlite3_close(db);
    return rc;
}

int gen_cmd_reject(int argc, char **argv) {
    review_opts o;
    int rc = review_parse("reject", argc, argv, &o, true, true);
    if (rc >= 0) {
        free(o.ids);
        return rc;
    }
    sqlite3 *db = review_open("reject", o.db);
    if (!db) {
        free(o.ids);
        return 1;
    }
    rc = 0;
    for (int i = 0; i < o.n_ids; i++) {
        char *err = NULL;
        int moved = wir_intake_db_decide(db, o.ids[i], "rejected", o.why, &err);
        if (moved == 1) {
            printf("rejected %s: %s\n", o.ids[i], o.why);
        } else {
            fprintf(stderr, "gen reject: %s: %s\n", o.ids[i],
                    moved < 0 ? err : "no pending submission with this id");
            rc = 1;
        }
        free(err);
    }
    free(o.ids);
    sqlite3_close(db);
    return rc;
}
