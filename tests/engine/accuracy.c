/* accuracy: the engine against published real runs (the accuracy
 * targets). Prints each case's predicted and published figure and the
 * error, then one summary line per target:
 *
 *   memory, per llama.cpp load log (loadlog_cases.h): KV cache within 1%,
 *   file size within 2%, GPU model buffer within 3%, compute buffer within
 *   25%;
 *   speed, per cited llama-bench decode result in DATA_DIR/runs: within
 *   +-25% for at least 80% of them, in-sample and leave-one-out.
 *
 * A benchmark, not a timed test; tests/engine/accuracy.sh runs it, and
 * ctest runs it as engine.accuracy, failing when a target is missed.
 *
 * usage: accuracy DATA_DIR
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_cases.h"
#include "wir_catalog.h"
#include "wir_memory.h"
#include "wir_speed.h"
#include <stdbool.h>

#define MIB (1024.0 * 1024.0)

typedef struct target {
    const char *what;
    double limit_pct;
    int n, ok;
} target;

static void row(const char *label, const char *what, double pred, double publ, const char *unit,
                target *t) {
    if (isnan(publ)) return;
    double err = (pred - publ) / publ * 100.0;
    bool ok = fabs(err) <= t->limit_pct;
    t->n++;
    t->ok += ok;
    printf("  %-52s %-16s %11.2f %11.2f %-4s %+8.2f%% %s\n", label, what, pred, publ, unit, err,
           ok ? "" : "<- over target");
}

static int memory_cases(const wir_catalog *c, target *kv, target *file, target *model,
                        target *compute) {
    printf("memory: predicted vs llama.cpp's load log\n");
    printf("  %-52s %-16s %11s %11s %-4s %9s\n", "case", "figure", "predicted", "published",
           "unit", "error");
    for (size_t i = 0; i < LOADLOG_N_CASES; i++) {
        const loadlog_case *k = &loadlog_cases[i];
        engine_case_env env;
        wir_fit_request rq;
        wir_memory mem;
        if (engine_case_request(c, k, &env, &rq) != 0 || wir_memory_of(c, &rq, NULL, &mem) != 0) {
            printf("  %-52s cannot compute\n", k->label);
            return -1;
        }
        int64_t gpu_w = 0, gpu_cb = 0;
        for (int32_t d = 1; d < mem.n_devices; d++) {
            gpu_w += mem.devices[d].weights_bytes;
            if (mem.devices[d].compute_bytes > gpu_cb) gpu_cb = mem.devices[d].compute_bytes;
        }
        printf("  %s\n    source: %s\n", k->label, k->source);
        row("", "file size", (double)mem.file_bytes / (MIB * 1024.0), k->file_gib, "GiB", file);
        row("", "GPU model buffer", (double)gpu_w / MIB, k->gpu_model_mib, "MiB", model);
        row("", "host model buffer", (double)mem.devices[0].weights_bytes / MIB,
            k->host_model_mib, "MiB", model);
        row("", "KV cache", (double)mem.kv_bytes / MIB, k->kv_mib, "MiB", kv);
        row("", "GPU compute", (double)gpu_cb / MIB, k->gpu_compute_mib, "MiB", compute);
        row("", "host compute", (double)mem.devices[0].compute_bytes / MIB, k->host_compute_mib,
            "MiB", compute);
    }
    return 0;
}

typedef struct speed_summary {
    int n, in_ok, loo_ok;
} speed_summary;

/* Every calibration point: the in-sample prediction (the fitted efficiency
 * of its class x its ideal speed) and the leave-one-out one (the class's
 * efficiency fitted without it). */
static void speed_cases(const wir_catalog *c, bool decode, speed_summary *sum) {
    wir_calibration cal;
    wir_speed_calibrate(c, &cal);
    size_t cap = 0;
    for (size_t i = 0; i < c->n_runs; i++) cap += c->runs[i].n_results;
    wir_speed_run_point *p = calloc(cap ? cap : 1, sizeof *p);
    if (!p) abort();
    int32_t n = wir_speed_run_points(c, &cal, p, (int32_t)cap);
    printf("\n%s speed: predicted vs published (llama-bench), calibration %s\n",
           decode ? "decode (tg)" : "prefill (pp)", cal.id);
    printf("  %-52s %-10s %9s %9s %8s %9s %8s\n", "run", "test", "measured", "in-sample",
           "error", "LOO", "error");
    for (int32_t i = 0; i < n; i++) {
        if (p[i].decode != decode) continue;
        const wir_run_result *x = &p[i].run->results[p[i].result];
        const wir_speed_fit *f = decode ? &cal.decode[p[i].hw] : &cal.prefill[p[i].hw];
        wir_speed_fit other = *f;
        int32_t count = wir_speed_lsq_fit(p, n, p[i].hw, decode, i, &other);
        double in = wir_speed_fit_apply(f, p[i].ideal);
        double loo = count > 0 ? wir_speed_fit_apply(&other, p[i].ideal) : NAN;
        double err = (in - p[i].measured) / p[i].measured * 100.0;
        double err_loo = (loo - p[i].measured) / p[i].measured * 100.0;
        char test[32];
        snprintf(test, sizeof test, "%s%d%s", decode ? "tg" : "pp",
                 (int)(decode ? x->n_gen : x->n_prompt), x->depth ? "@d" : "");
        if (x->depth) snprintf(test + strlen(test), sizeof test - strlen(test), "%d", (int)x->depth);
        printf("  %-52s %-10s %9.1f %9.1f %+7.1f%% %9.1f %+7.1f%%\n", p[i].run->id, test,
               p[i].measured, in, err, loo, err_loo);
        sum->n++;
        sum->in_ok += fabs(err) <= 25.0;
        sum->loo_ok += !isnan(err_loo) && fabs(err_loo) <= 25.0;
    }
    printf("  efficiency by class:");
    for (int k = 0; k < WIR_HW_N_CLASSES; k++) {
        const wir_speed_fit *f = decode ? &cal.decode[k] : &cal.prefill[k];
        if (f->n_runs > 0)
            printf("\n    %-18s efficiency %.3f, overhead %.2f ms/token (n %d, rms %.1f%%, "
                   "LOO rms %.1f%%)",
                   wir_hw_class_name((wir_hw_class)k), f->efficiency, f->overhead_s * 1e3,
                   (int)f->n_runs, f->rms_rel_error * 100.0, f->loo_rms_rel_error * 100.0);
    }
    printf("\n");
    free(p);
}

int main(int argc, char **argv) {
    bool memory_only = argc == 3 && !strcmp(argv[2], "--memory");
    if (argc != 2 && !memory_only) {
        fprintf(stderr, "usage: %s DATA_DIR [--memory]\n", argv[0]);
        return 2;
    }
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(argv[1], &diags);
    if (!c) {
        wir_diag_list_print(stderr, &diags);
        wir_diag_list_free(&diags);
        return 1;
    }
    target kv = {"KV within 1%", 1.0, 0, 0}, file = {"file size within 2%", 2.0, 0, 0},
           model = {"model buffer within 3%", 3.0, 0, 0},
           compute = {"compute buffer within 25%", 25.0, 0, 0};
    int bad = memory_cases(c, &kv, &file, &model, &compute) != 0;
    target *mem_targets[] = {&kv, &file, &model, &compute};
    printf("\n");
    for (size_t i = 0; i < 4; i++) {
        printf("%s: %d/%d\n", mem_targets[i]->what, mem_targets[i]->ok, mem_targets[i]->n);
        bad += mem_targets[i]->ok != mem_targets[i]->n;
    }
    if (!memory_only) {
        speed_summary dec = {0, 0, 0}, pre = {0, 0, 0};
        speed_cases(c, true, &dec);
        speed_cases(c, false, &pre);
        printf("\n");
        for (size_t i = 0; i < 4; i++)
            printf("%s: %d/%d\n", mem_targets[i]->what, mem_targets[i]->ok, mem_targets[i]->n);
        double in = dec.n ? 100.0 * dec.in_ok / dec.n : 0.0;
        double loo = dec.n ? 100.0 * dec.loo_ok / dec.n : 0.0;
        printf("decode within 25%% (in-sample): %d/%d (%.0f%%, target 80%%)\n", dec.in_ok, dec.n, in);
        printf("decode within 25%% (leave-one-out): %d/%d (%.0f%%, target 80%%)\n", dec.loo_ok,
               dec.n, loo);
        printf("prefill within 25%% (in-sample, no target): %d/%d\n", pre.in_ok, pre.n);
        printf("prefill within 25%% (leave-one-out, no target): %d/%d\n", pre.loo_ok, pre.n);
        bad += dec.n > 0 && in < 80.0;
    }
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
    return bad ? 1 : 0;
}
