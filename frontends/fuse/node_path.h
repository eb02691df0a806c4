// Node paths: how a file-system node names its place in the engine.
//
// Grammar (one string per node, used as the inode table's key):
//   root       := ""
//   bucket dir := bucket "/"
//   directory  := bucket "/" prefix        where prefix ends with "/"  (a key prefix)
//   file       := bucket "/" key           where key does not end with "/"
// So a directory's path ends with '/', a file's never does, and every node under a
// directory has the directory's path as a string prefix.
//
// The read-only versions view ("<bucket>/.versions/...", fs_versions.cc) has paths of its own,
// marked by a leading '@' (never the first character of a bucket name):
//   versions dir  := "@" bucket "/" prefix     the view of a key prefix ("" = the bucket); it
//                                               lists the versions of the key prefix-without-'/'
//                                               as files and the keys and prefixes under it
//                                               as directories
//   version file  := "@" bucket "/" key "/" name   name := VersionName(time, version id)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::fuse {

struct NodePath {
  std::string_view bucket;  // empty for the root
  std::string_view key;     // object key (file) or key prefix (directory; "" = bucket root)
};

inline bool IsDirPath(std::string_view path) { return path.empty() || path.back() == '/'; }

// Splits a node path. REQUIRES: a path made by this file's functions.
NodePath SplitPath(std::string_view path);

// The path of child `name` of directory `dir_path`.
std::string ChildPath(std::string_view dir_path, std::string_view name, bool is_dir);

// True when `name` can be one path segment: non-empty, not "." or "..", at most 255 bytes,
// no '/' and no NUL.
bool IsValidName(std::string_view name);

// True when every segment of `key` (a file key or a "dir/" prefix) is a valid name.
bool IsRepresentableKey(std::string_view key);

// The name of the versions view in a bucket directory.
inline constexpr std::string_view kVersionsDirName = ".versions";

// True for paths of the versions view.
inline bool IsVersionsPath(std::string_view path) { return !path.empty() && path[0] == '@'; }

// The name of a version in the versions view: its Last-Modified time in UTC to the
// microsecond and its id, "2025-01-31T23-59-58.123456Z_<version id>" (no ':' so that tools
// that read "host:path" and other file systems take it as it is). Sorts by time (versions of
// one key written within one millisecond are common; within one microsecond they are not).
std::string VersionName(int64_t last_modified_ns, std::string_view version_id);
// The version id in a VersionName, or "" when `name` is not one.
std::string VersionIdOfName(std::string_view name);

// The parent directory path and the last name of a non-root path ("b/a/x" -> "b/a/", "x";
// "b/a/" -> "b/", "a"; "b/" -> "", "b").
std::pair<std::string_view, std::string_view> ParentAndName(std::string_view path);

}  // namespace maxiofs::fuse
