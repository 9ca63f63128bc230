/* wir_site: writes a whole static site so that readers never see half of it.
 *
 * The pages are rendered into a fresh sibling folder of the output
 * (<out>.new-XXXXXX, same file system), in parallel on every core. A page
 * whose bytes equal the previous build's is hard-linked from it instead of
 * written, so an unchanged page keeps its inode and modification time
 * (rsync, caches and editors' file watchers see nothing). When every page
 * is written, the new folder is exchanged with the old one in
 * one atomic rename (renameat2 RENAME_EXCHANGE), then the old tree is
 * removed. Any failure before that exchange removes the new folder and
 * leaves the previous site whole.
 *
 * Output paths are checked: relative, made of [a-z0-9._-] components, no
 * "." or ".." component, so no slug can write outside the output folder.
 */
#ifndef WIR_SITE_H
#define WIR_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wir_buf.h"
#include "wir_diag.h"

/* Renders item i: appends its bytes to out and sets *path to its output
 * path (relative, e.g. "models/llama-3-1-8b/index.html"; the callee
 * allocates, the writer frees). Returns 0, or -1 with *error set (the
 * writer frees it). Called from several threads at once. */
typedef int (*wir_site_render_fn)(void *ctx, size_t i, wir_buf *out, char **path, char **error);

typedef struct wir_site_stats {
    size_t written;   /* files whose bytes changed or are new */
    size_t unchanged; /* files linked from the previous build */
    uint64_t bytes;
    double seconds;
} wir_site_stats;

/* True when rel is a safe relative output path (see above). */
bool wir_site_path_ok(const char *rel);

/* Builds n items into out_dir with threads workers (0: one per core).
 * Returns 0, or -1 with every problem in diags (the previous site is then
 * untouched). */
int wir_site_build(const char *out_dir, size_t n, wir_site_render_fn render, void *ctx,
                   unsigned threads, wir_diag_list *diags, wir_site_stats *stats);

#endif
