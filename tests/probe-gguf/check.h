/* Minimal test assertions for the probe-gguf tests: a failed check prints
 * where and why and the test goes on, so one run shows every failure. */
#ifndef WIR_TEST_CHECK_H
#define WIR_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int wir_check_failures;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
            wir_check_failures++;                                                      \
        }                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        if (!g_ || strcmp(g_, w_) != 0) {                                              \
            fprintf(stderr, "%s:%d: got  \"%s\"\n%*s want \"%s\"\n", __FILE__, __LINE__, \
                    g_ ? g_ : "(null)", (int)strlen(__FILE__) + 8, "", w_);           \
            wir_check_failures++;                                                      \
        }                                                                              \
    } while (0)

#define CHECK_DONE()                                                                   \
    do {                                                                               \
        if (wir_check_failures) {                                                      \
            fprintf(stderr, "%d check(s) failed\n", wir_check_failures);              \
            return 1;                                                                  \
        }                                                                              \
        return 0;                                                                      \
    } while (0)

#endif
