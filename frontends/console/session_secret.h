// The session-signing secret: from configuration, or generated once and kept in the data
// directory (console.secret, mode 0600) so sessions survive a restart.
//
// Thread-safety: call once at start, from one thread.
#pragma once

#include "maxiofs/common/result.h"

#include <string>

namespace maxiofs::console {

// `configured` when non-empty; else the contents of <data_dir>/console.secret, creating it
// with 32 random bytes (hex) when missing. IOError when it cannot be read or written;
// InvalidArgument when the file holds fewer than 32 characters.
Result<std::string> LoadSessionSecret(const std::string& configured, const std::string& data_dir);

}  // namespace maxiofs::console
