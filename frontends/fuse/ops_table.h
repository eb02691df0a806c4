// The libfuse low-level operation table. Each entry forwards to Filesystem inside a wrapper
// that marks the thread as serving this mount (OwnOpScope), catches every std::exception
// (std::bad_alloc -> ENOMEM, others -> EIO), logs it once and replies, so no exception
// reaches libfuse and none takes down the process.
#pragma once

#include "fuse_api.h"

namespace maxiofs::fuse {

// The table; userdata of the session must be the mount's Filesystem*.
const fuse_lowlevel_ops& LowLevelOps();

}  // namespace maxiofs::fuse
