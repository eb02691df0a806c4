// Mountpoint checks before mounting, and clearing a stale FUSE mount left by a crash.
#pragma once

#include "maxiofs/common/status.h"

#include <string>

namespace maxiofs::fuse {

// OK when `path` is an existing, empty directory that is not a mount. A stale mount
// (stat fails with ENOTCONN, "Transport endpoint is not connected") is lazily unmounted first
// (umount2(MNT_DETACH) as root, else `fusermount3 -u -z`). NotFound, InvalidArgument (not a
// directory), Busy (non-empty, or a live mount), IOError (stat failed otherwise, or the stale
// mount could not be cleared).
Status PrepareMountpoint(const std::string& path);

// Lazily unmounts `path`: umount2(MNT_DETACH), falling back to `fusermount3 -u -z`.
Status DetachMount(const std::string& path);

}  // namespace maxiofs::fuse
