/* A stand-in backend for the driver and store tests: it computes nothing,
 * but spends a set time per token, keeps a KV length, counts like a real
 * profile and reports memory by a simple formula, so the tests control
 * timing, fit and failure exactly. Test code only. */
#ifndef STUB_BACKEND_H
#define STUB_BACKEND_H

#include <stdint.h>

#include "wir_backend.h"

typedef struct stub_config {
    int64_t prefill_ns_per_token; /* time spent per token of an eval of n > 1 */
    int64_t decode_ns;            /* time spent by an eval of one token */
    uint64_t weights;             /* bytes of "weights" */
    uint64_t kv_per_token;        /* KV bytes per context token */
    uint64_t available;           /* what estimate reports free */
    int64_t fail_at_eval;         /* the Nth eval (1-based) fails; 0: never */
} stub_config;

/* The config the stub uses (tests set it before running). */
extern stub_config stub_backend_config;
/* Evals done since the config was last set. */
extern int64_t stub_backend_evals;

const wir_backend_ops *stub_backend(void);
/* A desc with data, vocabulary of 1000 and weight_bytes from the config. */
const wir_model_desc *stub_backend_desc(void);

#endif
