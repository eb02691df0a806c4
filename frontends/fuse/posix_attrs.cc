#include "posix_attrs.h"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace maxiofs::fuse {
namespace {

template <class T>
std::optional<T> ParseDecimal(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

bool IsPosixMetaName(std::string_view name) {
  return name == "mode" || name == "uid" || name == "gid" || name == "mtime";
}

const std::string* FindUserMeta(const UserMeta& user, std::string_view name) {
  auto it = std::lower_bound(user.begin(), user.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  return it != user.end() && it->first == name ? &it->second : nullptr;
}

void SetUserMeta(UserMeta* user, std::string_view name, std::optional<std::string> value) {
  auto it = std::lower_bound(user->begin(), user->end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  bool found = it != user->end() && it->first == name;
  if (!value) {
    if (found) user->erase(it);
  } else if (found) {
    it->second = std::move(*value);
  } else {
    user->insert(it, {std::string(name), std::move(*value)});
  }
}

void ApplyUserMeta(const UserMeta& user, bool allow_symlink, PosixAttrs* attrs) {
  if (const std::string* v = FindUserMeta(user, "mode")) {
    if (auto mode = ParseDecimal<uint32_t>(*v)) {
      if (allow_symlink && S_ISLNK(*mode)) {
        attrs->mode = S_IFLNK | (*mode & 07777);
      } else {
        attrs->mode = (attrs->mode & S_IFMT) | (*mode & 07777);
      }
    }
  }
  if (const std::string* v = FindUserMeta(user, "uid")) {
    if (auto uid = ParseDecimal<uint32_t>(*v)) attrs->uid = *uid;
  }
  if (const std::string* v = FindUserMeta(user, "gid")) {
    if (auto gid = ParseDecimal<uint32_t>(*v)) attrs->gid = *gid;
  }
  if (const std::string* v = FindUserMeta(user, "mtime")) {
    if (auto ns = ParseMtime(*v)) attrs->mtime_ns = *ns;
  }
}

void StoreAttrs(const PosixAttrs& attrs, UserMeta* user) {
  SetUserMeta(user, "gid", std::to_string(attrs.gid));
  SetUserMeta(user, "mode", std::to_string(attrs.mode));
  SetUserMeta(user, "mtime", FormatMtime(attrs.mtime_ns));
  SetUserMeta(user, "uid", std::to_string(attrs.uid));
}

std::string FormatMtime(int64_t ns) {
  int64_t sec = ns / 1'000'000'000;
  int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --sec;
  }
  std::string out = std::to_string(sec);
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    out += '.';
    out.append(9 - digits.size(), '0');
    out += digits;
  }
  return out;
}

std::optional<int64_t> ParseMtime(std::string_view text) {
  size_t dot = text.find('.');
  auto sec = ParseDecimal<int64_t>(text.substr(0, dot));
  if (!sec || *sec > INT64_MAX / 1'000'000'000 || *sec < INT64_MIN / 1'000'000'000) {
    return std::nullopt;
  }
  int64_t ns = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 9) return std::nullopt;
    auto digits = ParseDecimal<int64_t>(frac);
    if (!digits || *digits < 0) return std::nullopt;
    ns = *digits;
    for (size_t i = frac.size(); i < 9; ++i) ns *= 10;
  }
  return *sec * 1'000'000'000 + (*sec < 0 ? -ns : ns);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace maxiofs::fuse
