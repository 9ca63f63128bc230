/* The probe subcommands. Each takes the arguments after its name (argv[0] is
 * the command name) and returns the exit status: 0 success, 1 failure
 * (reported on stderr), 2 usage error. */
#ifndef PROBE_COMMANDS_H
#define PROBE_COMMANDS_H

int probe_cmd_inspect(int argc, char **argv);
int probe_cmd_run(int argc, char **argv);
int probe_cmd_list(int argc, char **argv);
int probe_cmd_submit(int argc, char **argv);

#endif
