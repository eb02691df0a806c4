// Reading an open file in bounded chunks, for writers that take a file's content.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <cstdint>
#include <functional>
#include <span>

namespace maxiofs::engine {

// Calls `fn` with consecutive chunks (at most 1 MiB each) of the first `size` bytes of `fd`,
// read with pread from offset 0. Stops at the first error from `fn`. IOError when the file is
// shorter than `size` or cannot be read. Thread-compatible.
Status ForEachFileChunk(int fd, uint64_t size,
                        const std::function<Status(std::span<const char>)>& fn);

}  // namespace maxiofs::engine
