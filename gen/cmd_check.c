/* gen check: load and validate every file under data/, report every problem.
 *
 * Problems go to stderr as file:line:column: field: message, sorted by file
 * and position whatever order the checks ran in, so output diffs cleanly and
 * an editor can walk it top to bottom. Exit 1 when there is any. */
#include <stdio.h>
#include <string.h>

#include "gen_commands.h"
#include "wir_catalog.h"

static void gen_check_usage(FILE *out) {
    fprintf(out,
            "usage: gen check [--data DIR]\n"
            "\n"
            "Loads every file under the data folder and reports every problem found, one per\n"
            "line as 'file:line:column: field: message'. Exits 1 when there is any, 0 with a\n"
            "one-line summary when the data is clean.\n"
            "\n"
            "  --data DIR   the data folder (default: data)\n"
            "  --help       show this help\n");
}

static const char *gen_check_plural(size_t n) { return n == 1 ? "" : "s"; }

int gen_cmd_check(int argc, char **argv) {
    const char *data_dir = "data";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            gen_check_usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            data_dir = argv[++i];
        } else if (!strncmp(argv[i], "--data=", 7)) {
            data_dir = argv[i] + 7;
        } else {
            fprintf(stderr, "gen check: unexpected argument '%s'\n\n", argv[i]);
            gen_check_usage(stderr);
            return 2;
        }
    }

    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(data_dir, &diags);
    if (!c) {
        wir_diag_list_sort(&diags);
        wir_diag_list_print(stderr, &diags);
        fprintf(stderr, "gen check: %zu problem%s\n", diags.count, gen_check_plural(diags.count));
        wir_diag_list_free(&diags);
        return 1;
    }
    printf("gen check: %zu GPU%s, %zu model%s, %zu ggml type%s, %zu llama.cpp file type%s, "
           "%zu format%s, %zu cloud offer%s, %zu runtime%s, %zu run%s: no problems\n",
           c->n_gpus, gen_check_plural(c->n_gpus), c->n_models, gen_check_plural(c->n_models),
           c->n_ggml_types, gen_check_plural(c->n_ggml_types), c->n_ftypes,
           gen_check_plural(c->n_ftypes), c->n_formats, gen_check_plural(c->n_formats),
           c->n_cloud, gen_check_plural(c->n_cloud), c->n_runtimes,
           gen_check_plural(c->n_runtimes), c->n_runs, gen_check_plural(c->n_runs));
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
    return 0;
}
