/* wir_fs: whole-file reads and crash-safe writes.
 *
 * Nothing willitrun writes may be left half-written: every output goes to a
 * temporary file in the same directory, is flushed to disk, and is renamed
 * over the destination, which POSIX makes atomic.
 */
#ifndef WIR_FS_H
#define WIR_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file. Returns a NUL-terminated buffer the caller frees, and
 * its length in *len (may be NULL); NULL on error with errno set. */
char *wir_fs_read_file(const char *path, size_t *len);

/* Writes data to path atomically (temp file + fsync + rename). Returns 0, or
 * -1 with errno set; on failure the previous file, if any, is untouched. */
int wir_fs_write_atomic(const char *path, const void *data, size_t len);

/* True when path exists and holds exactly these bytes: lets a build skip
 * rewriting unchanged files. */
bool wir_fs_same_content(const char *path, const void *data, size_t len);

/* Creates a directory and its parents (mode 0755). Returns 0 or -1/errno. */
int wir_fs_mkdir_p(const char *path);

/* Removes a directory tree. Returns 0 or -1/errno. */
int wir_fs_remove_tree(const char *path);

/* The names in dir, sorted (strcmp), without dotfiles (.gitkeep, editors'
 * droppings). Returns an array of *n names the caller frees with
 * wir_fs_list_free, or NULL with errno set when dir cannot be read. */
char **wir_fs_list(const char *dir, size_t *n);
void wir_fs_list_free(char **names, size_t n);

/* Joins two path parts with one '/'. The caller frees the result. */
char *wir_fs_join(const char *dir, const char *name);

#endif
