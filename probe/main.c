/* probe: measures LLM inference on this machine and records the results. */
#include <stdio.h>
#include <string.h>

#include "probe_commands.h"
#include "wir_version.h"

typedef struct probe_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} probe_command;

static const probe_command probe_commands[] = {
    {"run",     probe_cmd_run,     "benchmark a model: prefill and decode tokens/s, memory, power"},
    {"inspect", probe_cmd_inspect, "print and validate a GGUF file's metadata and tensors"},
    {"list",    probe_cmd_list,    "show the backends and devices this machine can use"},
    {"submit",  probe_cmd_submit,  "send finished runs to the catalog"},
};

static void probe_print_usage(FILE *out) {
    fprintf(out, "usage: probe COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof probe_commands / sizeof probe_commands[0]; i++)
        fprintf(out, "  %-8s %s\n", probe_commands[i].name, probe_commands[i].summary);
    fprintf(out, "\n'probe COMMAND --help' describes a command's options.\n"
                 "  --help       show this help\n  --version    show the version\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        probe_print_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        probe_print_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("probe %s (%s)\n", WIR_VERSION, WIR_GIT_COMMIT);
        return 0;
    }
    for (size_t i = 0; i < sizeof probe_commands / sizeof probe_commands[0]; i++)
        if (!strcmp(argv[1], probe_commands[i].name))
            return probe_commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "probe: unknown command '%s'\n\n", argv[1]);
    probe_print_usage(stderr);
    return 2;
}
