// Node paths: how a file-system node names its place in the engine.
//
// Grammar (one string per node, used as the inode table's key):
//   root       := ""
//   bucket dir := bucket "/"
//   directory  := bucket "/" prefix        where prefix ends with "/"  (a key prefix)
//   file       := bucket "/" key           where key does not end with "/"
// So a directory's path ends with '/', a file's never does, and every node under a
// directory has the directory's path as a string prefix.
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

// The parent directory path and the last name of a non-root path ("b/a/x" -> "b/a/", "x";
// "b/a/" -> "b/", "a"; "b/" -> "", "b").
std::pair<std::string_view, std::string_view> ParentAndName(std::string_view path);

}  // namespace maxiofs::fuse
