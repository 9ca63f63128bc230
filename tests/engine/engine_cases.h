/* engine_cases: builds a wir_fit_request from a published load log case
 * (loadlog_cases.h) on the real catalog, for accuracy.c and test_engine.c. */
#ifndef ENGINE_CASES_H
#define ENGINE_CASES_H

#include "loadlog_cases.h"
#include "wir_memory.h"

/* What a case's request points at; owned by the caller, lives as long as the
 * request. */
typedef struct engine_case_env {
    wir_runtime runtime;   /* llama-cpp's profile with padding 1 */
    wir_gpu gpu;           /* a device as large as the case needs */
    wir_model glm4;        /* the one shape not in the catalog */
} engine_case_env;

/* 0, or -1 (message on stderr) when the catalog lacks what the case names. */
int engine_case_request(const wir_catalog *c, const loadlog_case *k, engine_case_env *env,
                        wir_fit_request *rq);

#endif
