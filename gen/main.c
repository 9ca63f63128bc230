/* gen: the willitrun catalog tool for editors. */
#include <stdio.h>
#include <string.h>

#include "gen_commands.h"
#include "wir_version.h"

typedef struct gen_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} gen_command;

static const gen_command gen_commands[] = {
    {"check",  gen_cmd_check,  "validate every file under data/ and report all problems"},
    {"fit",    gen_cmd_fit,    "will model M at quantization Q and context C run on hardware H?"},
    {"cost",   gen_cmd_cost,   "local hardware against cloud rental: monthly cost and break-even"},
    {"results", gen_cmd_results, "rebuild the results database from data/runs/"},
    {"build",  gen_cmd_build,  "render the catalog into the static site"},
    {"intake", gen_cmd_intake, "serve the run submission API"},
    {"review", gen_cmd_review, "list submitted runs waiting for review"},
    {"accept", gen_cmd_accept, "accept submitted runs into data/runs/"},
    {"reject", gen_cmd_reject, "reject submitted runs with a reason"},
    {"import", gen_cmd_import, "import published llama-bench results"},
};

static void gen_print_usage(FILE *out) {
    fprintf(out, "usage: gen COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof gen_commands / sizeof gen_commands[0]; i++)
        fprintf(out, "  %-8s %s\n", gen_commands[i].name, gen_commands[i].summary);
    fprintf(out, "\n'gen COMMAND --help' describes a command's options.\n"
                 "  --help       show this help\n  --version    show the version\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        gen_print_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        gen_print_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("gen %s (%s)\n", WIR_VERSION, WIR_GIT_COMMIT);
        return 0;
    }
    for (size_t i = 0; i < sizeof gen_commands / sizeof gen_commands[0]; i++)
        if (!strcmp(argv[1], gen_commands[i].name))
            return gen_commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "gen: unknown command '%s'\n\n", argv[1]);
    gen_print_usage(stderr);
    return 2;
}
