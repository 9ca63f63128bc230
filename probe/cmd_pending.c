/* Weak placeholders for commands whose module is not part of this build; a
 * module's real definition replaces its placeholder at link time. */
#include <stdio.h>

#include "probe_commands.h"

static int probe_cmd_unavailable(const char *name) {
    fprintf(stderr, "probe: '%s' is not available in this build\n", name);
    return 2;
}

#define PROBE_PENDING(fn, name) \
    __attribute__((weak)) int fn(int argc, char **argv) { (void)argc; (void)argv; return probe_cmd_unavailable(name); }

PROBE_PENDING(probe_cmd_inspect, "inspect")
PROBE_PENDING(probe_cmd_run, "run")
PROBE_PENDING(probe_cmd_list, "list")
PROBE_PENDING(probe_cmd_submit, "submit")
