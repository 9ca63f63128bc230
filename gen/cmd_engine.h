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

/* Matches "--name VALUE" and "--name=VALUE" at argv[*i]; advances *i. */
bool gen_engine_opt(int argc, char **argv, int *i, const char *name, const char **value);

#endif
