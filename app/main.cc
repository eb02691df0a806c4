// maxiofs: the process entry point. Everything else lives in cli.cc and server_command.cc.
#include "cli.h"
#include "server_command.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv, char** envp) {
  try {
    return maxiofs::app::RunCli(argc, argv, envp);
  } catch (const std::exception& e) {
    // Layers report errors as Status; this only catches the unexpected (e.g. bad_alloc), and
    // turns it into one line instead of a terminate() and a core dump.
    std::fprintf(stderr, "maxiofs: error: %s\n", e.what());
    return maxiofs::app::kExitStartFailure;
  }
}
