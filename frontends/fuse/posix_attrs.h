// POSIX attributes <-> object user metadata, with s3fs's names and encodings:
//   "mode"  = decimal st_mode including the file-type bits (S_IFLNK marks a symlink)
//   "uid", "gid" = decimal ids
//   "mtime" = decimal seconds since the epoch, optionally "." and 9 digits of nanoseconds
// Unparsable values are ignored (the defaults apply), never an error.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::fuse {

using UserMeta = std::vector<std::pair<std::string, std::string>>;

struct PosixAttrs {
  mode_t mode = 0;  // type and permission bits
  uid_t uid = 0;
  gid_t gid = 0;
  int64_t mtime_ns = 0;  // UTC
};

// Names the mount owns; xattrs may not use them.
bool IsPosixMetaName(std::string_view name);

// Overrides fields of `attrs` from `user`. Only the permission bits of "mode" are taken,
// except that S_IFLNK is kept when `allow_symlink` (a file object can be a symlink).
void ApplyUserMeta(const UserMeta& user, bool allow_symlink, PosixAttrs* attrs);

// Writes all four fields into `user`, keeping it sorted and unique.
void StoreAttrs(const PosixAttrs& attrs, UserMeta* user);

// Sets (or with nullopt removes) one user metadata entry, keeping `user` sorted and unique.
void SetUserMeta(UserMeta* user, std::string_view name, std::optional<std::string> value);
const std::string* FindUserMeta(const UserMeta& user, std::string_view name);

std::string FormatMtime(int64_t ns);
std::optional<int64_t> ParseMtime(std::string_view text);

int64_t NowNs();

}  // namespace maxiofs::fuse
