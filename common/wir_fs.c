#define _XOPEN_SOURCE 700
#include "wir_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *wir_fs_read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) goto fail;
    if (!S_ISREG(st.st_mode)) { errno = EISDIR; goto fail; }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *data = malloc(cap);
    if (!data) goto fail;
    for (;;) {
        if (n + 1 == cap) {
            char *grown = realloc(data, cap * 2);
            if (!grown) { free(data); goto fail; }
            data = grown;
            cap *= 2;
        }
        ssize_t r = read(fd, data + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            free(data);
            goto fail;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    data[n] = '\0';
    if (len) *len = n;
    return data;
fail: {
        int saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
}

static int wir_fs_write_all(int fd, const char *p, size_t len) {
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int wir_fs_write_atomic(const char *path, const void *data, size_t len) {
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) return -1;
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) { free(tmp); return -1; }
    if (wir_fs_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 ||
        fsync(fd) != 0) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        errno = saved;
        return -1;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        free(tmp);
        errno = saved;
        return -1;
    }
    free(tmp);
    return 0;
}

bool wir_fs_same_content(const char *path, const void *data, size_t len) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
        return false;
    size_t got = 0;
    char *old = wir_fs_read_file(path, &got);
    bool same = old && got == len && memcmp(old, data, len) == 0;
    free(old);
    return same;
}

int wir_fs_mkdir_p(const char *path) {
    char *copy = strdup(path);
    if (!copy) return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) { free(copy); return -1; }
        *p = '/';
    }
    int rc = mkdir(copy, 0755);
    free(copy);
    if (rc != 0 && errno != EEXIST) return -1;
    return 0;
}

static int wir_fs_remove_entry(const char *path, const struct stat *st, int flag,
                               struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

int wir_fs_remove_tree(const char *path) {
    return nftw(path, wir_fs_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *wir_fs_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    while (a > 1 && dir[a - 1] == '/') a--;
    char *out = malloc(a + b + 2);
    if (!out) abort();
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, name, b + 1);
    return out;
}

static int wir_fs_name_compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **wir_fs_list(const char *dir, size_t *n) {
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    size_t cap = 16;
    char **names = malloc(cap * sizeof *names);
    if (!names) abort();
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        if (*n == cap) {
            cap *= 2;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) abort();
            names = p;
        }
        if (!(names[(*n)++] = strdup(e->d_name))) abort();
    }
    closedir(d);
    qsort(names, *n, sizeof *names, wir_fs_name_compare);
    return names;
}

void wir_fs_list_free(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}
