// `maxiofs admin ...`: offline maintenance on a data dir that no server holds (the engine's
// data-dir lock refuses a running one): master-key rotation and the built-in key service.
#pragma once

#include "config.h"

#include <string>

namespace maxiofs::app {

// Re-wraps every data key under the active master key. Prints how many keys changed. Returns a
// process exit code (0, 1 when the data dir cannot be opened or the rotation fails, 2 for a bad
// storage configuration).
int RunRotateKey(const Config& config);
// Creates the SSE-KMS key `name` of the built-in key service.
int RunKmsKeyCreate(const Config& config, const std::string& name);
// Lists the built-in key service's keys, one per line: name, creation time, master key.
int RunKmsKeyList(const Config& config);

}  // namespace maxiofs::app
