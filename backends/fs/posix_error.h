// The one place where errno becomes a Status (STYLE rule 10).
#pragma once

#include "maxiofs/common/status.h"

#include <string_view>

namespace maxiofs::backends {

// ENOENT -> NotFound, ENOSPC/EDQUOT -> StorageFull, EACCES/EPERM/EROFS -> IOError,
// everything else -> IOError; the message is "<context>: <strerror>".
Status PosixError(std::string_view context, int err);

}  // namespace maxiofs::backends
