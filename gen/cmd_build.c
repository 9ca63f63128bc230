/* gen build: render the catalog into the static site.
 *
 * Loads and checks data/ exactly as gen check does (a bad verdict or page
 * fails the build with file:line: message), loads and freezes templates/,
 * plans every page, renders them on all cores into a new folder and swaps
 * it in atomically (gen/write/wir_site.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_commands.h"
#include "wir_catalog.h"
#include "wir_content.h"
#include "wir_render.h"
#include "wir_results.h"
#include "wir_site.h"

static void gen_build_usage(FILE *out) {
    fprintf(out,
            "usage: gen build [--data DIR] [--db FILE] [--out DIR] [--templates DIR]\n"
            "                 [--methodology FILE] [--base-url URL] [--jobs N] [--quiet]\n"
            "\n"
            "Renders the catalog into a static site. The build goes to a new folder next to\n"
            "the output and replaces it in one atomic rename only when every page rendered,\n"
            "so an interrupted or failed build leaves the previous site whole. Pages whose\n"
            "bytes did not change are not rewritten. The same inputs give the same bytes:\n"
            "dates come from SOURCE_DATE_EPOCH when set, else from the newest date in data/.\n"
            "\n"
            "  --data DIR          the data folder (default: data)\n"
            "  --db FILE           a results database (SQLite, the probe's schema: a probe.db\n"
            "                      or one `gen results` made): its catalog runs are checked\n"
            "                      against data/runs/, its local runs added as not reviewed\n"
            "  --out DIR           the output folder (default: site)\n"
            "  --templates DIR     the templates (default: templates)\n"
            "  --methodology FILE  Markdown for /methodology/ (default: docs/methodology.md)\n"
            "  --base-url URL      the site's address (https://host), for sitemap.xml and the\n"
            "                      feed, which need absolute URLs (default: root-relative)\n"
            "  --jobs N            render with N threads (default: one per core)\n"
            "  --quiet             print nothing on success\n"
            "  --help              show this help\n");
}

static int gen_build_fail(wir_diag_list *diags, const char *what) {
    wir_diag_list_sort(diags);
    wir_diag_list_print(stderr, diags);
    fprintf(stderr, "gen build: %zu problem%s %s; the previous site is unchanged\n", diags->count,
            diags->count == 1 ? "" : "s", what);
    wir_diag_list_free(diags);
    return 1;
}

/* Adds the runs of the results database db to c; warnings (a stale run, a
 * local run the checks refuse) are printed and do not fail the build. */
static int gen_build_read_db(wir_catalog *c, const char *db, wir_results_read *rd, int quiet) {
    wir_diag_list warnings;
    wir_diag_list_init(&warnings);
    char *err = NULL;
    int rc = wir_results_load(c, db, rd, &warnings, &err);
    if (rc) {
        fprintf(stderr, "gen build: --db %s\n", err);
        free(err);
    } else {
        wir_diag_list_print(stderr, &warnings);
        if (!quiet)
            printf("gen build: results database %s: %zu catalog run%s (%zu stale), %zu local "
                   "run%s added as not reviewed, %zu already accepted, %zu not shown\n",
                   db, rd->catalog_runs, rd->catalog_runs == 1 ? "" : "s", rd->catalog_stale,
                   rd->local_added, rd->local_added == 1 ? "" : "s", rd->local_known,
                   rd->local_skipped);
    }
    wir_diag_list_free(&warnings);
    return rc;
}

int gen_cmd_build(int argc, char **argv) {
    const char *data_dir = "data", *out_dir = "site", *db = NULL;
    wir_render_options opt = {0};
    unsigned jobs = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            gen_build_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (v && !strcmp(a, "--data")) {
            data_dir = v, i++;
        } else if (v && !strcmp(a, "--out")) {
            out_dir = v, i++;
        } else if (v && !strcmp(a, "--db")) {
            db = v, i++;
        } else if (v && !strcmp(a, "--templates")) {
            opt.templates_dir = v, i++;
        } else if (v && !strcmp(a, "--methodology")) {
            opt.methodology = v, i++;
        } else if (v && !strcmp(a, "--base-url")) {
            opt.base_url = v, i++;
        } else if (v && !strcmp(a, "--jobs")) {
            jobs = (unsigned)strtoul(v, NULL, 10), i++;
        } else {
            fprintf(stderr, "gen build: unexpected argument '%s'\n\n", a);
            gen_build_usage(stderr);
            return 2;
        }
    }
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(data_dir, &diags);
    wir_results_read rd = {0};
    if (c && db && gen_build_read_db(c, db, &rd, quiet) != 0) {
        wir_catalog_free(c);
        wir_diag_list_free(&diags);
        fprintf(stderr, "gen build: the previous site is unchanged\n");
        return 1;
    }
    wir_content *ct = c ? wir_content_load(data_dir, c, &diags) : NULL;
    if (!c || !ct) {
        wir_content_free(ct);
        wir_catalog_free(c);
        return gen_build_fail(&diags, "in the data");
    }
    if (db) {
        const char *slash = strrchr(db, '/');
        opt.results_db = slash ? slash + 1 : db;
        opt.n_unreviewed = rd.local_added;
    }
    wir_render_site *s = wir_render_plan(c, ct, &opt, &diags);
    if (!s) {
        wir_content_free(ct);
        wir_catalog_free(c);
        return gen_build_fail(&diags, "in the templates");
    }
    wir_site_stats st;
    int rc = wir_site_build(out_dir, wir_render_count(s), wir_render_item, s, jobs, &diags, &st);
    if (rc != 0) {
        wir_render_free(s);
        wir_content_free(ct);
        wir_catalog_free(c);
        return gen_build_fail(&diags, "while rendering");
    }
    if (!quiet) {
        printf("gen build: %zu files in %s/ (%zu written, %zu unchanged, %.1f MB) in %.2f s\n",
               wir_render_count(s), out_dir, st.written, st.unchanged, st.bytes / 1e6, st.seconds);
        for (int k = WIR_ITEM_HOME; k <= WIR_ITEM_ASSET; k++) {
            size_t n = wir_render_count_kind(s, (wir_item_kind)k);
            if (n) printf("  %6zu %s\n", n, wir_render_kind_name((wir_item_kind)k));
        }
        if (!c->n_runs)
            printf("  no measured runs: every speed on the site is an estimate, and it says so\n");
    }
    wir_render_free(s);
    wir_content_free(ct);
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
    return 0;
}
