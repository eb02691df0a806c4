#include "auth/request_time.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <vector>

namespace maxiofs::s3::auth {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses exactly `n` decimal digits at s[pos].
std::optional<int> Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<int64_t> Compose(int64_t y, int mon, int d, int h, int mi, int sec) {
  if (mon < 1 || mon > 12 || d < 1 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(mon))) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second is read as the second before it
  return DaysFromCivil(y, static_cast<unsigned>(mon), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + sec;
}

int MonthIndex(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Splits on runs of spaces.
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// "HH:MM:SS" -> seconds of the day parts.
bool ParseClock(std::string_view s, int& h, int& mi, int& sec) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  auto hh = Digits(s, 0, 2), mm = Digits(s, 3, 2), ss = Digits(s, 6, 2);
  if (!hh || !mm || !ss) return false;
  h = *hh;
  mi = *mm;
  sec = *ss;
  return true;
}

// Zone suffix -> offset in seconds east of UTC.
std::optional<int64_t> ParseZone(std::string_view z) {
  if (z == "GMT" || z == "UTC" || z == "Z" || z == "UT") return 0;
  if (z.size() == 5 && (z[0] == '+' || z[0] == '-')) {
    auto hh = Digits(z, 1, 2), mm = Digits(z, 3, 2);
    if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
    const int64_t off = *hh * 3600 + *mm * 60;
    return z[0] == '+' ? off : -off;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto y = Digits(s, 0, 4), mon = Digits(s, 4, 2), d = Digits(s, 6, 2);
  auto h = Digits(s, 9, 2), mi = Digits(s, 11, 2), sec = Digits(s, 13, 2);
  if (!y || !mon || !d || !h || !mi || !sec) return std::nullopt;
  return Compose(*y, *mon, *d, *h, *mi, *sec);
}

std::optional<int64_t> ParseHttpDate(std::string_view s) {
  const std::vector<std::string_view> f = Fields(s);
  int h = 0, mi = 0, sec = 0;
  // RFC 1123: "Tue," "27" "Mar" "2007" "19:36:42" "+0000"
  if (f.size() == 6 && f[0].size() == 4 && f[0].back() == ',') {
    auto d = f[1].size() <= 2 ? Digits(f[1], 0, f[1].size()) : std::nullopt;
    const int mon = MonthIndex(f[2]);
    auto y = Digits(f[3], 0, 4);
    auto zone = ParseZone(f[5]);
    if (!d || mon == 0 || !y || f[3].size() != 4 || !zone || !ParseClock(f[4], h, mi, sec)) {
      return std::nullopt;
    }
    auto t = Compose(*y, mon, *d, h, mi, sec);
    if (!t) return std::nullopt;
    return *t - *zone;
  }
  // RFC 850: "Tuesday," "27-Mar-07" "19:36:42" "GMT"
  if (f.size() == 4 && f[0].back() == ',' && f[1].size() == 9 && f[1][2] == '-' && f[1][6] == '-') {
    auto d = Digits(f[1], 0, 2);
    const int mon = MonthIndex(f[1].substr(3, 3));
    auto yy = Digits(f[1], 7, 2);
    auto zone = ParseZone(f[3]);
    if (!d || mon == 0 || !yy || !zone || !ParseClock(f[2], h, mi, sec)) return std::nullopt;
    const int64_t y = *yy < 70 ? 2000 + *yy : 1900 + *yy;
    auto t = Compose(y, mon, *d, h, mi, sec);
    if (!t) return std::nullopt;
    return *t - *zone;
  }
  // asctime: "Tue" "Mar" "27" "19:36:42" "2007"
  if (f.size() == 5 && f[0].size() == 3) {
    const int mon = MonthIndex(f[1]);
    auto d = f[2].size() <= 2 ? Digits(f[2], 0, f[2].size()) : std::nullopt;
    auto y = f[4].size() == 4 ? Digits(f[4], 0, 4) : std::nullopt;
    if (mon == 0 || !d || !y || !ParseClock(f[3], h, mi, sec)) return std::nullopt;
    return Compose(*y, mon, *d, h, mi, sec);
  }
  return std::nullopt;
}

std::optional<int64_t> ParseAnyDate(std::string_view s) {
  if (auto t = ParseAmzDate(s)) return t;
  return ParseHttpDate(s);
}

std::string FormatAmzDate(int64_t unix_seconds) {
  // civil_from_days (H. Hinnant).
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  int64_t secs = unix_seconds - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  const int sod = static_cast<int>(secs);  // second of the day, 0..86399
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld%02u%02uT%02d%02d%02dZ", static_cast<long long>(y), m, d,
                sod / 3600, sod / 60 % 60, sod % 60);
  return buf;
}

std::optional<int64_t> ParseDecimalSeconds(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0 || s[0] == '-' || s[0] == '+') {
    return std::nullopt;
  }
  return v;
}

int64_t ToUnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace maxiofs::s3::auth
