/* gen results: rebuild the results database from data/runs/.
 *
 * The reviewed runs are text in git (data/runs/<id>.json); the SQLite
 * results database the site can be built from (`gen build --db FILE`) is
 * derived from them, never edited by hand, so any editor can make it again
 * from a clone. The rebuild is atomic (gen/results/wir_results.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_results.h"

static void gen_results_usage(FILE *out) {
    fprintf(out,
            "usage: gen results --db FILE [--data DIR] [--quiet]\n"
            "\n"
            "Rebuilds the results database FILE (SQLite, the probe's schema) from every run\n"
            "in DIR/runs/, after checking the whole catalog as gen check does. The new\n"
            "database is built beside FILE and renamed over it in one step: a failure\n"
            "leaves the previous one whole. Build the site from it with gen build --db FILE.\n"
            "\n"
            "  --db FILE    the database to (re)build\n"
            "  --data DIR   the data folder (default: data)\n"
            "  --quiet      print nothing on success\n"
            "  --help       show this help\n");
}

int gen_cmd_results(int argc, char **argv) {
    const char *data_dir = "data", *db = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            gen_results_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (v && !strcmp(a, "--data")) {
            data_dir = v, i++;
        } else if (v && !strcmp(a, "--db")) {
            db = v, i++;
        } else {
            fprintf(stderr, "gen results: unexpected argument '%s'\n\n", a);
            gen_results_usage(stderr);
            return 2;
        }
    }
    if (!db) {
        fprintf(stderr, "gen results: --db FILE is required\n\n");
        gen_results_usage(stderr);
        return 2;
    }
    wir_catalog *c = gen_engine_load("results", data_dir);
    if (!c) {
        fprintf(stderr, "gen results: %s is unchanged\n", db);
        return 1;
    }
    wir_results_rebuilt st;
    char *err = NULL;
    int rc = wir_results_rebuild(c, db, &st, &err);
    if (rc) {
        fprintf(stderr, "gen results: %s\n", err);
        free(err);
    } else if (!quiet) {
        printf("gen results: %s: %zu run%s, %zu result%s, %zu sample%s from %s/runs/\n", db,
               st.runs, st.runs == 1 ? "" : "s", st.results, st.results == 1 ? "" : "s",
               st.samples, st.samples == 1 ? "" : "s", data_dir);
    }
    wir_catalog_free(c);
    return rc ? 1 : 0;
}
