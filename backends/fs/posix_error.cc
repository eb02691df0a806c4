#include "posix_error.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace maxiofs::backends {

Status PosixError(std::string_view context, int err) {
  std::string msg(context);
  msg += ": ";
  msg += std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(msg);
    case ENOSPC:
    case EDQUOT:
      return Status::StorageFull(msg);
    default:
      return Status::IOError(msg);
  }
}

}  // namespace maxiofs::backends
