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
  return name == "mode" || name == "uid" || name == "gid" || name == "mtime" || name == "ctime" ||
         name == "atime" || name == "rdev";
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

void ApplyUserMeta(const UserMeta& user, bool is_file, PosixAttrs* attrs) {
  if (const std::string* v = FindUserMeta(user, "mode")) {
    if (auto mode = ParseDecimal<uint32_t>(*v)) {
      const mode_t type = *mode & S_IFMT;
      const bool special = S_ISLNK(type) || S_ISFIFO(type) || S_ISCHR(type) || S_ISBLK(type) ||
                           S_ISSOCK(type) || S_ISREG(type);
      if (is_file && special) {
        attrs->mode = type | (*mode & 07777);
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
  if (const std::string* v = FindUserMeta(user, "rdev")) {
    if (auto rdev = ParseDecimal<uint64_t>(*v)) attrs->rdev = static_cast<dev_t>(*rdev);
  }
  bool have_ctime = false, have_atime = false;
  if (const std::string* v = FindUserMeta(user, "mtime")) {
    if (auto ns = ParseMtime(*v)) attrs->mtime_ns = *ns;
  }
  if (const std::string* v = FindUserMeta(user, "ctime")) {
    if (auto ns = ParseMtime(*v)) {
      attrs->ctime_ns = *ns;
      have_ctime = true;
    }
  }
  if (const std::string* v = FindUserMeta(user, "atime")) {
    if (auto ns = ParseMtime(*v)) {
      attrs->atime_ns = *ns;
      have_atime = true;
    }
  }
  // Objects written by tools that keep only mtime (older s3fs, the mount before ctime/atime).
  if (!have_ctime) attrs->ctime_ns = attrs->mtime_ns;
  if (!have_atime) attrs->atime_ns = attrs->mtime_ns;
}

std::vector<std::pair<std::string, std::string>> AttrEntries(const PosixAttrs& a, unsigned fields) {
  std::vector<std::pair<std::string, std::string>> out;
  if (fields & kAttrAtime) out.emplace_back("atime", FormatMtime(a.atime_ns));
  if (fields & kAttrCtime) out.emplace_back("ctime", FormatMtime(a.ctime_ns));
  if (fields & kAttrGid) out.emplace_back("gid", std::to_string(a.gid));
  if (fields & kAttrMode) out.emplace_back("mode", std::to_string(a.mode));
  if (fields & kAttrMtime) out.emplace_back("mtime", FormatMtime(a.mtime_ns));
  if (fields & kAttrRdev) out.emplace_back("rdev", std::to_string(a.rdev));
  if (fields & kAttrUid) out.emplace_back("uid", std::to_string(a.uid));
  return out;
}

void StoreAttrs(const PosixAttrs& attrs, UserMeta* user) {
  unsigned fields = kAttrMode | kAttrUid | kAttrGid | kAttrMtime | kAttrCtime | kAttrAtime;
  if (S_ISCHR(attrs.mode) || S_ISBLK(attrs.mode)) fields |= kAttrRdev;
  for (auto& [k, v] : AttrEntries(attrs, fields)) SetUserMeta(user, k, std::move(v));
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
