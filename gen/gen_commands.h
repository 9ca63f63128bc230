/* The gen subcommands. Each takes the arguments after its name (argv[0] is the
 * command name) and returns the process exit status: 0 success, 1 the input
 * had problems (reported on stderr), 2 usage error. */
#ifndef GEN_COMMANDS_H
#define GEN_COMMANDS_H

int gen_cmd_check(int argc, char **argv);
int gen_cmd_fit(int argc, char **argv);
int gen_cmd_cost(int argc, char **argv);
int gen_cmd_build(int argc, char **argv);
int gen_cmd_intake(int argc, char **argv);
int gen_cmd_review(int argc, char **argv);
int gen_cmd_accept(int argc, char **argv);
int gen_cmd_reject(int argc, char **argv);
int gen_cmd_import(int argc, char **argv);
int gen_cmd_results(int argc, char **argv);

#endif
