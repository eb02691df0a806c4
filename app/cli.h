// The command line of `maxiofs` (DESIGN.md, "Command-line contract"):
//
//   maxiofs server [--config FILE] [--data-dir DIR] [--listen ADDR] [--console-listen ADDR]
//                  [--mount DIR] [--access-key KEY] [--secret-key SECRET] [--log-level L]
//                  [--<section>-<key> VALUE ...]   (every config key has a long flag)
//   maxiofs config check FILE
//   maxiofs version
//
// Thread-safety: call once, from main().
#pragma once

namespace maxiofs::app {

// Parses the arguments, runs the subcommand and returns the process exit code (see
// server_command.h). `envp` is main's third argument; only MAXIOFS_* entries are read.
// Errors are one line on stderr, "maxiofs: error: <message>".
int RunCli(int argc, char** argv, char** envp);

}  // namespace maxiofs::app
