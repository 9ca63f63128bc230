/* Weak placeholders for commands whose module is not part of this build.
 * A module that implements a command defines it normally (a strong symbol),
 * which replaces the placeholder at link time. A placeholder never pretends to
 * work: it says the command is unavailable and exits with status 2. */
#include <stdio.h>

#include "gen_commands.h"

static int gen_cmd_unavailable(const char *name) {
    fprintf(stderr, "gen: '%s' is not available in this build\n", name);
    return 2;
}

#define GEN_PENDING(fn, name) \
    __attribute__((weak)) int fn(int argc, char **argv) { (void)argc; (void)argv; return gen_cmd_unavailable(name); }

GEN_PENDING(gen_cmd_check, "check")
GEN_PENDING(gen_cmd_fit, "fit")
GEN_PENDING(gen_cmd_cost, "cost")
GEN_PENDING(gen_cmd_build, "build")
GEN_PENDING(gen_cmd_intake, "intake")
GEN_PENDING(gen_cmd_review, "review")
GEN_PENDING(gen_cmd_accept, "accept")
GEN_PENDING(gen_cmd_reject, "reject")
GEN_PENDING(gen_cmd_import, "import")
GEN_PENDING(gen_cmd_results, "results")
