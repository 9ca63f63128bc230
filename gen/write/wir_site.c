#define _GNU_SOURCE /* renameat2 */
#include "wir_site.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wir_fs.h"

bool wir_site_path_ok(const char *rel) {
    if (!rel || !*rel || rel[0] == '/') return false;
    const char *p = rel;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 0) return false; /* "a//b" or a trailing slash */
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return false;
        for (size_t i = 0; i < n; i++) {
            char c = p[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.'))
                return false;
        }
        p += n;
        if (*p == '/' && !*++p) return false; /* a trailing slash names no file */
    }
    return true;
}

typedef struct wir_site_job {
    const char *new_dir;
    const char *old_dir;   /* the previous site, or NULL */
    size_t n;
    wir_site_render_fn render;
    void *ctx;
    atomic_size_t next;
    atomic_size_t written, unchanged;
    atomic_uint_least64_t bytes;
    pthread_mutex_t lock;  /* guards diags and mkdir races' reporting */
    wir_diag_list *diags;
    atomic_int failed;
} wir_site_job;

static void wir_site_fail(wir_site_job *job, const char *file, const char *fmt, const char *detail) {
    pthread_mutex_lock(&job->lock);
    wir_diag_add(job->diags, file, 0, 0, NULL, fmt, detail);
    pthread_mutex_unlock(&job->lock);
    atomic_store(&job->failed, 1);
}

/* Creates dir and any missing parents, deepest first: the common case,
 * a sibling page made the folder already, costs one mkdir. */
static int wir_site_mkdirs(char *dir) {
    if (mkdir(dir, 0755) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return -1;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return -1;
    *slash = '\0';
    int rc = wir_site_mkdirs(dir);
    *slash = '/';
    if (rc != 0) return -1;
    return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Creates the parent folders of path (path is under new_dir). */
static int wir_site_parents(char *path) {
    char *slash = strrchr(path, '/');
    if (!slash) return 0;
    *slash = '\0';
    int rc = wir_site_mkdirs(path);
    *slash = '/';
    return rc;
}

static int wir_site_write_plain(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

static void wir_site_one(wir_site_job *job, size_t i, wir_buf *buf) {
    char *rel = NULL, *error = NULL;
    wir_buf_reset(buf);
    if (job->render(job->ctx, i, buf, &rel, &error) != 0) {
        wir_site_fail(job, rel ? rel : "(page)", "%s", error ? error : "rendering failed");
        free(rel);
        free(error);
        return;
    }
    if (!wir_site_path_ok(rel)) {
        wir_site_fail(job, rel ? rel : "(page)",
                      "output path %s leaves the output folder or has characters a slug may not "
                      "have", rel ? rel : "(none)");
        free(rel);
        return;
    }
    char *dst = wir_fs_join(job->new_dir, rel);
    const char *data = wir_buf_cstr(buf);
    if (wir_site_parents(dst) != 0) {
        wir_site_fail(job, dst, "cannot create folder: %s", strerror(errno));
    } else {
        bool linked = false;
        if (job->old_dir) {
            char *old = wir_fs_join(job->old_dir, rel);
            if (wir_fs_same_content(old, data, buf->len) && link(old, dst) == 0) linked = true;
            free(old);
        }
        if (linked) {
            atomic_fetch_add(&job->unchanged, 1);
        } else if (wir_site_write_plain(dst, data, buf->len) != 0) {
            wir_site_fail(job, dst, errno == EEXIST ? "%s: two pages have this output path"
                                                    : "cannot write: %s",
                          errno == EEXIST ? rel : strerror(errno));
        } else {
            atomic_fetch_add(&job->written, 1);
        }
        atomic_fetch_add(&job->bytes, buf->len);
    }
    free(dst);
    free(rel);
}

static void *wir_site_worker(void *arg) {
    wir_site_job *job = arg;
    wir_buf buf = WIR_BUF_INIT;
    for (size_t i; (i = atomic_fetch_add(&job->next, 1)) < job->n;) wir_site_one(job, i, &buf);
    wir_buf_free(&buf);
    return NULL;
}

static double wir_site_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Top-level dotfiles of the previous site (site/.gitkeep) are not the
 * build's to drop: carry them over. */
static void wir_site_keep_dotfiles(const char *old_dir, const char *new_dir) {
    static const char *const keep[] = {".gitkeep", ".nojekyll", NULL};
    for (size_t i = 0; keep[i]; i++) {
        char *a = wir_fs_join(old_dir, keep[i]), *b = wir_fs_join(new_dir, keep[i]);
        if (link(a, b) != 0) { /* absent: nothing to keep */ }
        free(a);
        free(b);
    }
}

/* Removing a tree is one unlink or rmdir per entry, and on some file
 * systems (ext4 with online discard) an rmdir waits milliseconds: the old
 * site's folders are removed from several threads at once. */
typedef struct wir_site_rm {
    char **dirs;
    size_t n;
    atomic_size_t next;
} wir_site_rm;

static void *wir_site_rm_worker(void *arg) {
    wir_site_rm *rm = arg;
    for (size_t i; (i = atomic_fetch_add(&rm->next, 1)) < rm->n;) wir_fs_remove_tree(rm->dirs[i]);
    return NULL;
}

/* Appends the folders two levels below root (root/a/b) to rm. */
static void wir_site_rm_collect(wir_site_rm *rm, const char *root, int depth) {
    DIR *d = opendir(root);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *path = wir_fs_join(root, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth > 1) {
                wir_site_rm_collect(rm, path, depth - 1);
                free(path);
                continue;
            }
            char **p = realloc(rm->dirs, (rm->n + 1) * sizeof *p);
            if (!p) abort();
            rm->dirs = p;
            rm->dirs[rm->n++] = path;
            continue;
        }
        free(path);
    }
    closedir(d);
}

static void wir_site_remove(const char *dir, unsigned threads) {
    wir_site_rm rm = {NULL, 0, 0};
    wir_site_rm_collect(&rm, dir, 2);
    unsigned n = threads * 4 > 32 ? 32 : threads * 4;
    pthread_t tids[32];
    unsigned started = 0;
    for (unsigned t = 0; t < n && t < rm.n; t++)
        if (pthread_create(&tids[started], NULL, wir_site_rm_worker, &rm) == 0) started++;
    wir_site_rm_worker(&rm);
    for (unsigned t = 0; t < started; t++) pthread_join(tids[t], NULL);
    for (size_t i = 0; i < rm.n; i++) free(rm.dirs[i]);
    free(rm.dirs);
    wir_fs_remove_tree(dir);
}

/* A build killed before its swap leaves its <out>.new-XXXXXX folder
 * behind (the site itself is whole); the next build removes it. */
static void wir_site_remove_stale(const char *out, unsigned threads) {
    const char *slash = strrchr(out, '/');
    char *parent = slash ? strndup(out, slash == out ? 1 : (size_t)(slash - out)) : strdup(".");
    if (!parent) abort();
    const char *base = slash ? slash + 1 : out;
    size_t n = strlen(base);
    DIR *d = opendir(parent);
    if (d) {
        for (struct dirent *e; (e = readdir(d));)
            if (strlen(e->d_name) == n + 11 && !strncmp(e->d_name, base, n) &&
                !strncmp(e->d_name + n, ".new-", 5)) {
                char *path = wir_fs_join(parent, e->d_name);
                wir_site_remove(path, threads);
                free(path);
            }
        closedir(d);
    }
    free(parent);
}

int wir_site_build(const char *out_dir, size_t n, wir_site_render_fn render, void *ctx,
                   unsigned threads, wir_diag_list *diags, wir_site_stats *stats) {
    double t0 = wir_site_now();
    memset(stats, 0, sizeof *stats);
    size_t before = diags->count;

    /* A sibling of the output, so the final rename stays on one file system. */
    size_t len = strlen(out_dir);
    while (len > 1 && out_dir[len - 1] == '/') len--;
    char *tmpl = malloc(len + 16);
    if (!tmpl) abort();
    snprintf(tmpl, len + 16, "%.*s.new-XXXXXX", (int)len, out_dir);
    char *out = strndup(out_dir, len);
    if (!out) abort();
    char *slash = strrchr(out, '/');
    if (slash && slash != out) {
        *slash = '\0';
        if (wir_fs_mkdir_p(out) != 0)
            wir_diag_add(diags, out, 0, 0, NULL, "cannot create folder: %s", strerror(errno));
        *slash = '/';
    }
    if (diags->count == before) wir_site_remove_stale(out, 4);
    char *new_dir = diags->count == before ? mkdtemp(tmpl) : NULL;
    if (!new_dir) {
        if (diags->count == before)
            wir_diag_add(diags, out, 0, 0, NULL, "cannot create a build folder next to it: %s",
                         strerror(errno));
        free(tmpl);
        free(out);
        return -1;
    }
    chmod(new_dir, 0755);
    struct stat st;
    bool have_old = stat(out, &st) == 0;
    if (have_old && !S_ISDIR(st.st_mode)) {
        wir_diag_add(diags, out, 0, 0, NULL, "the output exists and is not a folder");
        wir_fs_remove_tree(new_dir);
        free(tmpl);
        free(out);
        return -1;
    }

    wir_site_job job = {.new_dir = new_dir, .old_dir = have_old ? out : NULL, .n = n,
                        .render = render, .ctx = ctx, .diags = diags};
    pthread_mutex_init(&job.lock, NULL);
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (unsigned)cores : 1;
    }
    if (threads > 64) threads = 64;
    if (threads > n && n > 0) threads = (unsigned)n;
    pthread_t tids[64];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++)
        if (pthread_create(&tids[started], NULL, wir_site_worker, &job) == 0) started++;
    wir_site_worker(&job);
    for (unsigned t = 0; t < started; t++) pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&job.lock);

    int rc = -1;
    if (!atomic_load(&job.failed)) {
        if (have_old) wir_site_keep_dotfiles(out, new_dir);
        /* No fsync: the swap is atomic for readers and against an
         * interrupted build, which is what the site needs; after a power
         * loss it is rebuilt from data/. (syncfs here cost seconds per build
         * on a busy disk, flushing other programs' writes too.) */
        if (have_old) rc = renameat2(AT_FDCWD, new_dir, AT_FDCWD, out, RENAME_EXCHANGE);
        else rc = rename(new_dir, out);
        if (rc != 0)
            wir_diag_add(diags, out, 0, 0, NULL, "cannot swap the new site in: %s", strerror(errno));
    }
    /* new_dir now holds the previous site (after the exchange) or the
     * unfinished build (on failure): either way it goes. */
    if (rc != 0 || have_old) wir_site_remove(new_dir, threads);

    stats->written = atomic_load(&job.written);
    stats->unchanged = atomic_load(&job.unchanged);
    stats->bytes = atomic_load(&job.bytes);
    stats->seconds = wir_site_now() - t0;
    free(tmpl);
    free(out);
    return rc == 0 ? 0 : -1;
}
