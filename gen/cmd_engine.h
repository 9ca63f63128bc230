/* cmd_engine: what gen fit and gen cost share: reading the catalog, the
 * --model/--quant/--gpu/--runtime look-ups with "did you mean" errors,
 * number parsing and byte formatting. Not a command itself (it defines
 * none); private to gen/. */
#ifndef CMD_ENGINE_H
#define CMD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wir_catalog.h"
#include "wir_memory.h"

/* Loads data_dir; on problems prints them (and a hint to run gen check)
 * and returns NULL. The caller frees with wir_catalog_free. */
wir_catalog *gen_engine_load(const char *cmd, const char *data_dir);

/* Look-ups that print "gen CMD: unknown model 'x'; did you mean: a, b" on
 * stderr and return NULL. */
const wir_model *gen_engine_model(const wir_catalog *c, const char *cmd, const char *slug);
const wir_ftype *gen_engine_ftype(const wir_catalog *c, const char *cmd, const char *name);
const wir_runtime *gen_engine_runtime(const wir_catalog *c, const char *cmd, const char *slug);
/* "SLUG" or "SLUG:COUNT" (1..8). */
const wir_gpu *gen_engine_gpu(const wir_catalog *c, const char *cmd, const char *spec,
                              int32_t *count);
/* f16, q8_0 or q4_0 (any ggml type the catalog has). */
const wir_ggml_type *gen_engine_kv_type(const wir_catalog *c, const char *cmd, const char *name);

/* Whole-string numbers in [min, max]; print a usage error and return false. */
bool gen_engine_int(const char *cmd, const char *opt, const char *s, int64_t min, int64_t max,
                    int64_t *out);
bool gen_engine_double(const char *cmd, const char *opt, const char *s, double min, double max,
                       double *out);

/* "12.34 GiB" / "512.0 MiB" into buf. */
const char *gen_engine_bytes(int64_t bytes, char *buf, size_t size);

/* The options gen fit and gen cost share. */
typedef struct gen_engine_opts {
    const char *data_dir;   /* --data (default "data") */
    const char *model;      /* --model */
    const char *quant;      /* --quant */
    const char *gpu;        /* --gpu SLUG[:COUNT] */
    const char *runtime;    /* --runtime (default "llama-cpp") */
    int64_t ctx;            /* --ctx (default 4096) */
} gen_engine_opts;

/* Reads one shared option at argv[*i] (advancing *i past its value): 0 when
 * argv[*i] is not one, 1 when read, 2 on a bad value (reported). */
int gen_engine_common_opt(const char *cmd, int argc, char **argv, int *i, gen_engine_opts *o);

/* Matches "--name VALUE" and "--name=VALUE" at argv[*i]; advances *i. */
bool gen_engine_opt(int argc, char **argv, int *i, const char *name, const char **value);

#endif
