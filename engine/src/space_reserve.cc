#include "space_reserve.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace maxiofs::engine {

uint64_t MetadataReserve(uint64_t total_bytes, uint64_t write_buffer_bytes) {
  return std::min(write_buffer_bytes + kMetadataReserveExtraBytes, total_bytes / 2);
}

Status CheckMetadataSpace(const std::string& meta_dir, uint64_t write_buffer_bytes,
                          uint64_t adding_bytes) {
  struct statvfs st;
  if (::statvfs(meta_dir.c_str(), &st) != 0) {
    return Status::IOError("cannot read the free space of " + meta_dir + ": " +
                           std::strerror(errno));
  }
  const uint64_t total = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  const uint64_t free = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  const uint64_t need = MetadataReserve(total, write_buffer_bytes) + adding_bytes;
  if (free < need) {
    return Status::StorageFull("the disk holding the metadata has " + std::to_string(free) +
                               " bytes free; new data needs " + std::to_string(need) +
                               " (the reserve that keeps deletions and restarts working)");
  }
  return Status::OK();
}

}  // namespace maxiofs::engine
