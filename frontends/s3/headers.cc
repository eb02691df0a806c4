#include "headers.h"

#include "meta_value.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>

namespace maxiofs::s3 {

namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm), proleptic Gregorian.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second, weekday;
};

Civil CivilFromSeconds(int64_t secs) {
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  c.hour = unsigned(rem / 3600);
  c.minute = unsigned(rem % 3600 / 60);
  c.second = unsigned(rem % 60);
  c.weekday = unsigned(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  return c;
}

bool ParseFixedDigits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + unsigned(s[i] - '0');
  }
  *out = v;
  return true;
}

int MonthIndex(std::string_view m) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == m) return int(i) + 1;
  }
  return 0;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<int64_t> ToNs(int64_t year, unsigned mon, unsigned day, unsigned h, unsigned mi,
                            unsigned s, unsigned millis) {
  if (year < 1900 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
      day > DaysInMonth(year, mon) || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  int64_t secs = DaysFromCivil(year, mon, day) * 86400 + h * 3600 + mi * 60 + std::min(s, 59u);
  // Nanoseconds in int64_t end in April 2262: a later date is out of range, not an overflow.
  if (secs >= std::numeric_limits<int64_t>::max() / kNsPerSecond) return std::nullopt;
  return secs * kNsPerSecond + int64_t(millis) * 1'000'000;
}

// "HH:MM:SS" at pos.
bool ParseClock(std::string_view s, size_t pos, unsigned* h, unsigned* m, unsigned* sec) {
  return pos + 8 <= s.size() && ParseFixedDigits(s, pos, 2, h) && s[pos + 2] == ':' &&
         ParseFixedDigits(s, pos + 3, 2, m) && s[pos + 5] == ':' &&
         ParseFixedDigits(s, pos + 6, 2, sec);
}

std::optional<int64_t> ParseRfc1123(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s.substr(25) != " GMT") {
    return std::nullopt;
  }
  unsigned day, year, h, m, sec;
  int mon = MonthIndex(s.substr(8, 3));
  if (!ParseFixedDigits(s, 5, 2, &day) || mon == 0 || !ParseFixedDigits(s, 12, 4, &year) ||
      !ParseClock(s, 17, &h, &m, &sec)) {
    return std::nullopt;
  }
  return ToNs(year, unsigned(mon), day, h, m, sec, 0);
}

std::optional<int64_t> ParseRfc850(std::string_view s) {
  // "Sunday, 06-Nov-94 08:49:37 GMT"
  size_t comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view rest = s.substr(comma + 2);
  if (rest.size() != 22 || rest[2] != '-' || rest[6] != '-' || rest[9] != ' ' ||
      rest.substr(18) != " GMT") {
    return std::nullopt;
  }
  unsigned day, yy, h, m, sec;
  int mon = MonthIndex(rest.substr(3, 3));
  if (!ParseFixedDigits(rest, 0, 2, &day) || mon == 0 || !ParseFixedDigits(rest, 7, 2, &yy) ||
      !ParseClock(rest, 10, &h, &m, &sec)) {
    return std::nullopt;
  }
  int64_t year = yy < 70 ? 2000 + yy : 1900 + yy;
  return ToNs(year, unsigned(mon), day, h, m, sec, 0);
}

std::optional<int64_t> ParseAsctime(std::string_view s) {
  // "Sun Nov  6 08:49:37 1994"
  if (s.size() != 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ') {
    return std::nullopt;
  }
  int mon = MonthIndex(s.substr(4, 3));
  unsigned day, year, h, m, sec;
  std::string_view d = s.substr(8, 2);
  if (d[0] == ' ') {
    if (!ParseFixedDigits(d, 1, 1, &day)) return std::nullopt;
  } else if (!ParseFixedDigits(d, 0, 2, &day)) {
    return std::nullopt;
  }
  if (mon == 0 || !ParseClock(s, 11, &h, &m, &sec) || !ParseFixedDigits(s, 20, 4, &year)) {
    return std::nullopt;
  }
  return ToNs(year, unsigned(mon), day, h, m, sec, 0);
}

std::optional<int64_t> ParseIso8601(std::string_view s) {
  unsigned year, mon, day, h, m, sec, millis = 0;
  if (s.size() == 16 && s[8] == 'T' && s[15] == 'Z') {  // 20130524T000000Z
    if (!ParseFixedDigits(s, 0, 4, &year) || !ParseFixedDigits(s, 4, 2, &mon) ||
        !ParseFixedDigits(s, 6, 2, &day) || !ParseFixedDigits(s, 9, 2, &h) ||
        !ParseFixedDigits(s, 11, 2, &m) || !ParseFixedDigits(s, 13, 2, &sec)) {
      return std::nullopt;
    }
    return ToNs(year, mon, day, h, m, sec, 0);
  }
  // 2013-05-24T00:00:00Z or 2013-05-24T00:00:00.123Z (1-9 fraction digits)
  if (s.size() < 20 || s.back() != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
      !ParseFixedDigits(s, 0, 4, &year) || !ParseFixedDigits(s, 5, 2, &mon) ||
      !ParseFixedDigits(s, 8, 2, &day) || !ParseClock(s, 11, &h, &m, &sec)) {
    return std::nullopt;
  }
  std::string_view frac = s.substr(19, s.size() - 20);
  if (!frac.empty()) {
    if (frac[0] != '.' || frac.size() < 2 || frac.size() > 10) return std::nullopt;
    unsigned scale = 100;
    for (size_t i = 1; i < frac.size(); ++i) {
      if (frac[i] < '0' || frac[i] > '9') return std::nullopt;
      millis += unsigned(frac[i] - '0') * scale;
      scale /= 10;
    }
  }
  return ToNs(year, mon, day, h, m, sec, millis);
}

bool IsValidStorageClass(std::string_view sc) {
  static constexpr std::string_view kClasses[] = {
      "STANDARD",       "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
      "GLACIER",        "DEEP_ARCHIVE",       "OUTPOSTS",    "GLACIER_IR", "SNOW",
      "EXPRESS_ONEZONE"};
  return std::find(std::begin(kClasses), std::end(kClasses), sc) != std::end(kClasses);
}

}  // namespace

std::optional<uint64_t> ParseUint64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<engine::RangeSpec> ParseRange(std::string_view value) {
  value = TrimOws(value);
  constexpr std::string_view kPrefix = "bytes=";
  if (value.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view spec = TrimOws(value.substr(kPrefix.size()));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;  // multi-range
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first = TrimOws(spec.substr(0, dash));
  std::string_view last = TrimOws(spec.substr(dash + 1));
  engine::RangeSpec range;
  if (first.empty()) {
    auto n = ParseUint64(last);
    if (!n) return std::nullopt;
    range.kind = engine::RangeSpec::Kind::kSuffix;
    range.suffix = *n;
    return range;
  }
  auto a = ParseUint64(first);
  if (!a) return std::nullopt;
  if (last.empty()) {
    range.kind = engine::RangeSpec::Kind::kFrom;
    range.first = *a;
    return range;
  }
  auto b = ParseUint64(last);
  if (!b || *b < *a) return std::nullopt;
  range.kind = engine::RangeSpec::Kind::kFromTo;
  range.first = *a;
  range.last = *b;
  return range;
}

std::optional<int64_t> ParseHttpDate(std::string_view value) {
  value = TrimOws(value);
  if (auto t = ParseRfc1123(value)) return t;
  if (auto t = ParseIso8601(value)) return t;
  if (auto t = ParseRfc850(value)) return t;
  return ParseAsctime(value);
}

std::string FormatIso8601(int64_t ns) {
  int64_t secs = ns >= 0 ? ns / kNsPerSecond : -((-ns + kNsPerSecond - 1) / kNsPerSecond);
  int64_t millis = (ns - secs * kNsPerSecond) / 1'000'000;
  Civil c = CivilFromSeconds(secs);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03lldZ",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second,
                static_cast<long long>(millis));
  return buf;
}

std::vector<std::string> ParseETagList(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = TrimOws(value.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (!item.empty()) out.emplace_back(item);
    if (comma == value.size()) break;
  }
  return out;
}

std::string QuoteETag(std::string_view etag) {
  std::string out;
  out.reserve(etag.size() + 2);
  out.push_back('"');
  out.append(etag);
  out.push_back('"');
  return out;
}

S3Result<engine::ObjectMeta> ExtractObjectMeta(const HttpRequest& request) {
  engine::ObjectMeta meta;
  constexpr std::string_view kUserPrefix = "x-amz-meta-";
  std::map<std::string, std::string> user;
  size_t user_bytes = 0;
  for (const auto& [name, raw_value] : request.headers) {
    std::string value(TrimOws(raw_value));
    if (name == "content-type") {
      meta.content_type = value;
    } else if (name == "content-encoding") {
      // aws-chunked is a transfer coding of the S3 request, not of the object.
      std::string kept;
      size_t pos = 0;
      while (pos <= value.size()) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        std::string_view item = TrimOws(std::string_view(value).substr(pos, comma - pos));
        if (!item.empty() && item != "aws-chunked") {
          if (!kept.empty()) kept += ", ";  // as clients write lists ("deflate, gzip")
          kept += item;
        }
        pos = comma + 1;
      }
      meta.content_encoding = kept;
    } else if (name == "content-disposition") {
      meta.content_disposition = value;
    } else if (name == "cache-control") {
      meta.cache_control = value;
    } else if (name == "content-language") {
      meta.content_language = value;
    } else if (name == "expires") {
      meta.expires = value;
    } else if (name == "x-amz-storage-class") {
      if (!IsValidStorageClass(value)) {
        return S3Error{S3ErrorCode::kInvalidStorageClass,
                       "The storage class you specified is not valid"};
      }
      meta.storage_class = value == "STANDARD" ? "" : value;
    } else if (name.size() > kUserPrefix.size() && name.starts_with(kUserPrefix)) {
      std::string key = name.substr(kUserPrefix.size());
      value = DecodeUserMetaValue(value);
      user_bytes += key.size() + value.size();
      auto [it, inserted] = user.emplace(key, value);
      if (!inserted) it->second += "," + value;  // repeated header: joined, as HTTP does
    }
  }
  if (user_bytes > kMaxUserMetadataBytes) {
    return S3Error{S3ErrorCode::kMetadataTooLarge,
                   "Your metadata headers exceed the maximum allowed metadata size."};
  }
  meta.user.assign(user.begin(), user.end());
  return meta;
}

engine::Preconditions ExtractPreconditions(const HttpRequest& request, std::string_view prefix) {
  engine::Preconditions p;
  auto get = [&](std::string_view suffix) {
    return request.Header(std::string(prefix) + std::string(suffix));
  };
  if (auto v = get("if-match")) p.if_match = ParseETagList(*v);
  if (auto v = get("if-none-match")) p.if_none_match = ParseETagList(*v);
  if (auto v = get("if-modified-since")) p.if_modified_since_ns = ParseHttpDate(*v);
  if (auto v = get("if-unmodified-since")) p.if_unmodified_since_ns = ParseHttpDate(*v);
  return p;
}

}  // namespace maxiofs::s3
