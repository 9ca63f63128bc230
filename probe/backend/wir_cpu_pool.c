/* wir_cpu_pool: spin-then-sleep worker threads (see the header). */
#include "wir_cpu_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

enum { WIR_CPU_SPINS = 1 << 14 }; /* pause loops before a worker sleeps */

typedef struct wir_cpu_worker {
    wir_cpu_pool *pool;
    int32_t ith;
    pthread_t thread;
} wir_cpu_worker;

struct wir_cpu_pool {
    int32_t n;
    wir_cpu_worker *workers;   /* n - 1 of them (thread 0 is the caller) */
    int32_t n_started;
    wir_cpu_task fn;
    void *arg;
    atomic_uint generation;    /* bumped by each run */
    atomic_int pending;        /* workers still running the current task */
    atomic_bool quit;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

static inline void wir_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *wir_cpu_worker_main(void *p) {
    wir_cpu_worker *w = p;
    wir_cpu_pool *pool = w->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g;
        int spins = 0;
        while ((g = atomic_load(&pool->generation)) == seen && !atomic_load(&pool->quit)) {
            if (++spins < WIR_CPU_SPINS) {
                wir_cpu_relax();
                continue;
            }
            pthread_mutex_lock(&pool->lock);
            while (atomic_load(&pool->generation) == seen && !atomic_load(&pool->quit))
                pthread_cond_wait(&pool->wake, &pool->lock);
            pthread_mutex_unlock(&pool->lock);
        }
        if (atomic_load(&pool->quit)) return NULL;
        seen = g;
        pool->fn(pool->arg, w->ith, pool->n);
        atomic_fetch_sub(&pool->pending, 1);
    }
}

void wir_cpu_pool_free(wir_cpu_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    atomic_store(&pool->quit, true);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int32_t i = 0; i < pool->n_started; i++) pthread_join(pool->workers[i].thread, NULL);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->wake);
    free(pool->workers);
    free(pool);
}

wir_cpu_pool *wir_cpu_pool_new(int32_t n_threads) {
    if (n_threads < 1) n_threads = 1;
    wir_cpu_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->n = n_threads;
    atomic_init(&pool->generation, 0);
    atomic_init(&pool->pending, 0);
    atomic_init(&pool->quit, false);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pool->workers = calloc((size_t)n_threads, sizeof *pool->workers);
    if (!pool->workers) {
        wir_cpu_pool_free(pool);
        return NULL;
    }
    for (int32_t i = 0; i < n_threads - 1; i++) {
        pool->workers[i] = (wir_cpu_worker){pool, i + 1, 0};
        if (pthread_create(&pool->workers[i].thread, NULL, wir_cpu_worker_main,
                           &pool->workers[i]) != 0) {
            wir_cpu_pool_free(pool);
            return NULL;
        }
        pool->n_started++;
    }
    return pool;
}

int32_t wir_cpu_pool_size(const wir_cpu_pool *pool) { return pool->n; }

void wir_cpu_pool_run(wir_cpu_pool *pool, wir_cpu_task fn, void *arg) {
    if (pool->n == 1) {
        fn(arg, 0, 1);
        return;
    }
    pool->fn = fn;
    pool->arg = arg;
    atomic_store(&pool->pending, pool->n - 1);
    pthread_mutex_lock(&pool->lock);
    atomic_fetch_add(&pool->generation, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    fn(arg, 0, pool->n);
    int spins = 0;
    while (atomic_load(&pool->pending) > 0) {
        if (++spins < WIR_CPU_SPINS)
            wir_cpu_relax();
        else
            sched_yield();
    }
}

void wir_cpu_split(int64_t n, int32_t ith, int32_t nth, int64_t *first, int64_t *last) {
    *first = n * ith / nth;
    *last = n * (ith + 1) / nth;
}
