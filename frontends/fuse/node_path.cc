#include "node_path.h"

#include <cstdio>
#include <ctime>
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

std::string VersionName(int64_t last_modified_ns, std::string_view version_id) {
  int64_t sec = last_modified_ns / 1'000'000'000;
  int64_t us = (last_modified_ns % 1'000'000'000) / 1'000;
  if (us < 0) {
    us += 1'000'000;
    --sec;
  }
  std::time_t t = static_cast<std::time_t>(sec);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d-%02d-%02d.%06dZ_", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(us));
  std::string out(buf);
  out.append(version_id);
  return out;
}

std::string VersionIdOfName(std::string_view name) {
  size_t us = name.rfind('_');
  if (us == std::string_view::npos || us == 0) return {};
  std::string_view id = name.substr(us + 1);
  if (id == "null") return std::string(id);
  if (id.size() != 32) return {};
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  return std::string(id);
}

std::pair<std::string_view, std::string_view> ParentAndName(std::string_view path) {
  std::string_view body = path;
  if (!body.empty() && body.back() == '/') body.remove_suffix(1);
  size_t slash = body.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), body};
  return {path.substr(0, slash + 1), body.substr(slash + 1)};
}

}  // namespace maxiofs::fuse
