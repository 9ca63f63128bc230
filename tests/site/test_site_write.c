/* site.write: the writer's promises (gen/write/wir_site.h), with a render
 * function under the test's control:
 *   - a build that fails at any page leaves the previous site whole, and
 *     no build folder behind;
 *   - an unchanged page keeps its inode (hard-linked, not rewritten), a
 *     changed one is written;
 *   - a page whose path would leave the output folder fails the build and
 *     writes nothing outside it. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wir_fs.h"
#include "wir_site.h"

typedef struct fake {
    size_t fail_at;        /* (size_t)-1: never */
    int version;           /* page 7's content changes with it */
    const char *evil_path; /* page 3's path when not NULL */
} fake;

static int fake_render(void *ctx, size_t i, wir_buf *out, char **path, char **error) {
    const fake *f = ctx;
    char p[64];
    snprintf(p, sizeof p, "d%zu/p%zu/index.html", i % 10, i);
    *path = strdup(f->evil_path && i == 3 ? f->evil_path : p);
    if (i == f->fail_at) {
        *error = strdup("injected failure");
        return -1;
    }
    wir_buf_printf(out, "<p>page %zu v%d</p>\n", i, i == 7 ? f->version : 0);
    return 0;
}

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); fails++; } } while (0)

static ino_t inode_of(const char *dir, const char *rel) {
    char *p = wir_fs_join(dir, rel);
    struct stat st;
    ino_t ino = stat(p, &st) == 0 ? st.st_ino : 0;
    free(p);
    return ino;
}

static size_t count_new_dirs(const char *parent) {
    size_t n = 0;
    DIR *d = opendir(parent);
    for (struct dirent *e; d && (e = readdir(d));) n += strstr(e->d_name, ".new-") != NULL;
    if (d) closedir(d);
    return n;
}

int main(void) {
    char tmpl[] = "/tmp/wir-site-write-XXXXXX";
    char *root = mkdtemp(tmpl);
    if (!root) return 2;
    char *out = wir_fs_join(root, "site");
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_site_stats st;
    const size_t n = 1000;

    fake f = {(size_t)-1, 1, NULL};
    CHECK(wir_site_build(out, n, fake_render, &f, 4, &diags, &st) == 0, "first build failed");
    CHECK(st.written == n && st.unchanged == 0, "first build wrote %zu, linked %zu", st.written, st.unchanged);
    ino_t home = inode_of(out, "d0/p0/index.html"), seven = inode_of(out, "d7/p7/index.html");

    /* Same bytes except page 7: 999 linked, 1 written. */
    f.version = 2;
    CHECK(wir_site_build(out, n, fake_render, &f, 4, &diags, &st) == 0, "second build failed");
    CHECK(st.written == 1 && st.unchanged == n - 1, "rebuild wrote %zu, linked %zu", st.written, st.unchanged);
    CHECK(inode_of(out, "d0/p0/index.html") == home, "an unchanged page got a new inode");
    CHECK(inode_of(out, "d7/p7/index.html") != seven, "the changed page kept its inode");

    /* A failure halfway: the previous site (version 2) stays. */
    f.version = 3;
    f.fail_at = 500;
    CHECK(wir_site_build(out, n, fake_render, &f, 4, &diags, &st) != 0, "a failing build succeeded");
    char *p7 = wir_fs_join(out, "d7/p7/index.html");
    char *text = wir_fs_read_file(p7, NULL);
    CHECK(text && strstr(text, "v2"), "the previous site changed: %s", text ? text : "(gone)");
    free(text);
    CHECK(inode_of(out, "d0/p0/index.html") == home, "the previous site was rewritten");
    CHECK(count_new_dirs(root) == 0, "a build folder was left behind");

    /* A path out of the output folder. */
    f.fail_at = (size_t)-1;
    f.evil_path = "../escaped.html";
    size_t before = diags.count;
    CHECK(wir_site_build(out, n, fake_render, &f, 4, &diags, &st) != 0, "an escaping path was accepted");
    CHECK(diags.count > before, "no message for an escaping path");
    char *escaped = wir_fs_join(root, "escaped.html");
    struct stat sb;
    CHECK(stat(escaped, &sb) != 0, "a page was written outside the output folder");
    CHECK(count_new_dirs(root) == 0, "a build folder was left behind");
    wir_diag_list_print(stdout, &diags);

    free(escaped);
    free(p7);
    wir_diag_list_free(&diags);
    wir_fs_remove_tree(root);
    free(out);
    printf("site.write: %d failures\n", fails);
    return fails != 0;
}
