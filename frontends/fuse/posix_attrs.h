// POSIX attributes <-> object user metadata, with s3fs's names and encodings:
//   "mode"  = decimal st_mode including the file-type bits (S_IFLNK marks a symlink; S_IFIFO,
//             S_IFCHR, S_IFBLK and S_IFSOCK special files, which are zero-length objects)
//   "uid", "gid" = decimal ids
//   "rdev"  = decimal device number of a character or block device
//   "mtime", "ctime", "atime" = decimal seconds since the epoch, optionally "." and 9 digits of
//             nanoseconds
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
  dev_t rdev = 0;        // character and block devices
  int64_t mtime_ns = 0;  // UTC
  int64_t ctime_ns = 0;
  int64_t atime_ns = 0;
};

// Names the mount owns; xattrs may not use them.
bool IsPosixMetaName(std::string_view name);

// Overrides fields of `attrs` from `user`. Only the permission bits of "mode" are taken,
// except that a file object (`is_file`) also takes a non-directory type (symlink, FIFO,
// device, socket). A time that is absent stays as it was, except that ctime and atime follow
// a stored mtime when they are not stored themselves.
void ApplyUserMeta(const UserMeta& user, bool is_file, PosixAttrs* attrs);

// Writes every field into `user` ("rdev" only for devices), keeping it sorted and unique.
void StoreAttrs(const PosixAttrs& attrs, UserMeta* user);

// The user-metadata entries of the attribute fields named by `fields` (kMode | kUid ...), as
// "set" changes for Engine::UpdateObjectMetadata.
enum AttrField : unsigned {
  kAttrMode = 1,
  kAttrUid = 2,
  kAttrGid = 4,
  kAttrMtime = 8,
  kAttrCtime = 16,
  kAttrAtime = 32,
  kAttrRdev = 64,
};
std::vector<std::pair<std::string, std::string>> AttrEntries(const PosixAttrs& attrs,
                                                             unsigned fields);

// Sets (or with nullopt removes) one user metadata entry, keeping `user` sorted and unique.
void SetUserMeta(UserMeta* user, std::string_view name, std::optional<std::string> value);
const std::string* FindUserMeta(const UserMeta& user, std::string_view name);

std::string FormatMtime(int64_t ns);
std::optional<int64_t> ParseMtime(std::string_view text);

int64_t NowNs();

}  // namespace maxiofs::fuse
