// Status -> errno for the FUSE front end: the only place an engine error becomes an errno.
#pragma once

#include "maxiofs/common/status.h"

namespace maxiofs::fuse {

// The errno a FUSE reply should carry for `status`. 0 for OK. Exhaustive over Status::Code
// (-Werror=switch), so a new code cannot be forgotten. PreconditionFailed means EEXIST: the
// mount only sends preconditions for "must not exist" (O_EXCL, RENAME_NOREPLACE, mkdir).
int ToErrno(const Status& status);

}  // namespace maxiofs::fuse
