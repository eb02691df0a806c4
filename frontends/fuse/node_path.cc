#include "node_path.h"

#include <utility>

namespace maxiofs::fuse {

NodePath SplitPath(std::string_view path) {
  if (path.empty()) return {};
  size_t slash = path.find('/');
  return {path.substr(0, slash), path.substr(slash + 1)};
}

std::string ChildPath(std::string_view dir_path, std::string_view name, bool is_dir) {
  std::string out;
  out.reserve(dir_path.size() + name.size() + 1);
  out.append(dir_path).append(name);
  if (is_dir) out.push_back('/');
  return out;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  return name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

bool IsRepresentableKey(std::string_view key) {
  if (!key.empty() && key.back() == '/') key.remove_suffix(1);
  while (true) {
    size_t slash = key.find('/');
    if (!IsValidName(key.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    key.remove_prefix(slash + 1);
  }
}

std::pair<std::string_view, std::string_view> ParentAndName(std::string_view path) {
  std::string_view body = path;
  if (!body.empty() && body.back() == '/') body.remove_suffix(1);
  size_t slash = body.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), body};
  return {path.substr(0, slash + 1), body.substr(slash + 1)};
}

}  // namespace maxiofs::fuse
