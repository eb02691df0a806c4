#include "condition.h"

#include "wildcard.h"

#include "maxiofs/common/ascii.h"
#include "maxiofs/common/base64.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace maxiofs::engine::iam {
namespace {

using nlohmann::json;

struct OperatorInfo {
  std::string_view name;
  ConditionFamily family;
  Comparison cmp;
  bool negated;
  bool wildcards;  // string/ARN values hold wildcards
};

constexpr std::array<OperatorInfo, 27> kOperators = {{
    {"StringEquals", ConditionFamily::kString, Comparison::kEq, false, false},
    {"StringNotEquals", ConditionFamily::kString, Comparison::kEq, true, false},
    {"StringEqualsIgnoreCase", ConditionFamily::kStringIgnoreCase, Comparison::kEq, false, false},
    {"StringNotEqualsIgnoreCase", ConditionFamily::kStringIgnoreCase, Comparison::kEq, true, false},
    {"StringLike", ConditionFamily::kStringLike, Comparison::kEq, false, true},
    {"StringNotLike", ConditionFamily::kStringLike, Comparison::kEq, true, true},
    {"NumericEquals", ConditionFamily::kNumeric, Comparison::kEq, false, false},
    {"NumericNotEquals", ConditionFamily::kNumeric, Comparison::kEq, true, false},
    {"NumericLessThan", ConditionFamily::kNumeric, Comparison::kLt, false, false},
    {"NumericLessThanEquals", ConditionFamily::kNumeric, Comparison::kLe, false, false},
    {"NumericGreaterThan", ConditionFamily::kNumeric, Comparison::kGt, false, false},
    {"NumericGreaterThanEquals", ConditionFamily::kNumeric, Comparison::kGe, false, false},
    {"DateEquals", ConditionFamily::kDate, Comparison::kEq, false, false},
    {"DateNotEquals", ConditionFamily::kDate, Comparison::kEq, true, false},
    {"DateLessThan", ConditionFamily::kDate, Comparison::kLt, false, false},
    {"DateLessThanEquals", ConditionFamily::kDate, Comparison::kLe, false, false},
    {"DateGreaterThan", ConditionFamily::kDate, Comparison::kGt, false, false},
    {"DateGreaterThanEquals", ConditionFamily::kDate, Comparison::kGe, false, false},
    {"Bool", ConditionFamily::kBool, Comparison::kEq, false, false},
    {"BinaryEquals", ConditionFamily::kBinary, Comparison::kEq, false, false},
    {"IpAddress", ConditionFamily::kIp, Comparison::kEq, false, false},
    {"NotIpAddress", ConditionFamily::kIp, Comparison::kEq, true, false},
    {"ArnEquals", ConditionFamily::kArn, Comparison::kEq, false, true},
    {"ArnLike", ConditionFamily::kArn, Comparison::kEq, false, true},
    {"ArnNotEquals", ConditionFamily::kArn, Comparison::kEq, true, true},
    {"ArnNotLike", ConditionFamily::kArn, Comparison::kEq, true, true},
    {"Null", ConditionFamily::kNull, Comparison::kEq, false, false},
}};

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

template <class T>
bool Compare(T a, T b, Comparison cmp) {
  switch (cmp) {
    case Comparison::kEq:
      return a == b;
    case Comparison::kLt:
      return a < b;
    case Comparison::kLe:
      return a <= b;
    case Comparison::kGt:
      return a > b;
    case Comparison::kGe:
      return a >= b;
  }
  return false;
}

std::optional<bool> ParseBool(std::string_view s) {
  if (EqualsIgnoreCase(s, "true")) return true;
  if (EqualsIgnoreCase(s, "false")) return false;
  return std::nullopt;
}

// A scalar JSON value as the text AWS compares (numbers and booleans are accepted as strings).
std::optional<std::string> ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (v.is_number()) return v.dump();
  return std::nullopt;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ReadDigits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

}  // namespace

std::string CanonicalConditionKey(std::string_view key) {
  static constexpr std::string_view kTagPrefixes[] = {"s3:existingobjecttag/",
                                                      "s3:requestobjecttag/", "aws:requesttag/",
                                                      "aws:resourcetag/", "aws:principaltag/"};
  const size_t slash = key.find('/');
  std::string out =
      AsciiLower(key.substr(0, slash == std::string_view::npos ? key.size() : slash + 1));
  if (slash == std::string_view::npos) return out;
  for (std::string_view p : kTagPrefixes) {
    if (out == p) return out.append(key.substr(slash + 1));
  }
  return AsciiLower(key);
}

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> ParseDateMicros(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // Epoch seconds: digits (optionally signed, optionally with a fraction) and nothing else.
  if (s.find_first_not_of("+-0123456789.") == std::string_view::npos &&
      (s.size() < 5 || s[4] != '-')) {
    std::optional<double> secs = ParseNumber(s);
    if (!secs) return std::nullopt;
    return static_cast<int64_t>(std::llround(*secs * 1e6));
  }
  size_t pos = 0;
  int year, month, day;
  if (!ReadDigits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, month) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, day)) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return std::nullopt;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  int64_t micros = DaysFromCivil(year, month, day) * 86400LL * 1000000LL;
  if (pos == s.size()) return micros;
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  int hh, mm, ss = 0;
  if (!ReadDigits(s, pos, 2, hh) || pos >= s.size() || s[pos++] != ':' ||
      !ReadDigits(s, pos, 2, mm)) {
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!ReadDigits(s, pos, 2, ss)) return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  micros += ((hh * 60LL + mm) * 60LL + ss) * 1000000LL;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos == s.size()) return micros;  // no zone: UTC
  if (s[pos] == 'Z' || s[pos] == 'z')
    return pos + 1 == s.size() ? std::optional(micros) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos] == '+' ? 1 : -1;
  ++pos;
  int oh, om = 0;
  if (!ReadDigits(s, pos, 2, oh)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (pos < s.size() && !ReadDigits(s, pos, 2, om)) return std::nullopt;
  if (pos != s.size() || oh > 23 || om > 59) return std::nullopt;
  return micros - sign * (oh * 60LL + om) * 60LL * 1000000LL;
}

bool Condition::MatchOne(std::string_view value, const ConditionValues& ctx,
                         Scratch& scratch) const {
  switch (family_) {
    case ConditionFamily::kString:
    case ConditionFamily::kStringIgnoreCase:
    case ConditionFamily::kStringLike: {
      bool ignore_case = family_ == ConditionFamily::kStringIgnoreCase;
      for (const Pattern& p : patterns_) {
        std::string_view glob;
        if (p.Resolve(ctx, scratch, glob) && GlobMatch(glob, value, ignore_case)) return true;
      }
      return false;
    }
    case ConditionFamily::kArn:
      for (const Pattern& p : patterns_) {
        std::string_view glob;
        if (p.Resolve(ctx, scratch, glob) && ArnMatch(glob, value)) return true;
      }
      return false;
    case ConditionFamily::kNumeric: {
      std::optional<double> v = ParseNumber(value);
      if (!v) return false;
      for (double n : numbers_) {
        if (Compare(*v, n, cmp_)) return true;
      }
      return false;
    }
    case ConditionFamily::kDate: {
      std::optional<int64_t> v = ParseDateMicros(value);
      if (!v) return false;
      for (int64_t t : times_us_) {
        if (Compare(*v, t, cmp_)) return true;
      }
      return false;
    }
    case ConditionFamily::kBool: {
      std::optional<bool> v = ParseBool(value);
      if (!v) return false;
      for (bool b : bools_) {
        if (*v == b) return true;
      }
      return false;
    }
    case ConditionFamily::kBinary: {
      std::optional<std::string> v =
          Base64Decode(value, Base64Alphabet::kStandard, Base64Padding::kOptional);
      if (!v) return false;
      for (const std::string& b : bytes_) {
        if (*v == b) return true;
      }
      return false;
    }
    case ConditionFamily::kIp:
      for (const IpRange& r : ranges_) {
        if (IpInRange(r, value)) return true;
      }
      return false;
    case ConditionFamily::kNull:
      return false;  // handled in Holds
  }
  return false;
}

bool Condition::Holds(const ConditionValues& ctx, Scratch& scratch) const {
  auto it = ctx.find(key_);
  bool missing = it == ctx.end() || it->second.empty();
  if (family_ == ConditionFamily::kNull) {
    for (bool want_missing : bools_) {
      if (want_missing == missing) return true;
    }
    return false;
  }
  if (missing) {
    if (if_exists_) return true;
    switch (qualifier_) {
      case SetQualifier::kForAllValues:
        return true;
      case SetQualifier::kForAnyValue:
        return false;
      case SetQualifier::kNone:
        return negated_;
    }
  }
  const std::vector<std::string>& values = it->second;
  switch (qualifier_) {
    case SetQualifier::kNone:
      for (const std::string& v : values) {
        if (MatchOne(v, ctx, scratch)) return !negated_;
      }
      return negated_;
    case SetQualifier::kForAnyValue:
      for (const std::string& v : values) {
        if (MatchOne(v, ctx, scratch) != negated_) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const std::string& v : values) {
        if (MatchOne(v, ctx, scratch) == negated_) return false;
      }
      return true;
  }
  return false;
}

bool Condition::AllValuesFixed() const {
  switch (family_) {
    case ConditionFamily::kString:
    case ConditionFamily::kStringIgnoreCase:
    case ConditionFamily::kStringLike:
    case ConditionFamily::kArn:
      for (const Pattern& p : patterns_) {
        if (!p.fixed()) return false;
      }
      return !patterns_.empty();
    case ConditionFamily::kIp:
      for (const IpRange& r : ranges_) {
        if (r.prefix_bits == 0) return false;
      }
      return !ranges_.empty();
    default:
      return false;
  }
}

Status ParseConditionBlock(const json& block, bool variables, std::vector<Condition>& out) {
  auto error = [](std::string msg) { return Status::Error(Status::Code::kMalformedPolicy, msg); };
  if (!block.is_object()) return error("Condition must be an object of operators");
  for (const auto& [raw_op, keys] : block.items()) {
    std::string_view name = raw_op;
    SetQualifier qualifier = SetQualifier::kNone;
    if (StartsWithIgnoreCase(name, "ForAnyValue:")) {
      qualifier = SetQualifier::kForAnyValue;
      name.remove_prefix(12);
    } else if (StartsWithIgnoreCase(name, "ForAllValues:")) {
      qualifier = SetQualifier::kForAllValues;
      name.remove_prefix(13);
    }
    bool if_exists = false;
    if (name.size() > 8 && EqualsIgnoreCase(name.substr(name.size() - 8), "IfExists")) {
      if_exists = true;
      name.remove_suffix(8);
    }
    const OperatorInfo* info = nullptr;
    for (const OperatorInfo& op : kOperators) {
      if (EqualsIgnoreCase(op.name, name)) info = &op;
    }
    if (info == nullptr) return error("unknown condition operator \"" + raw_op + "\"");
    if (info->family == ConditionFamily::kNull && (if_exists || qualifier != SetQualifier::kNone)) {
      return error("condition operator \"" + raw_op + "\" is not valid: Null takes no " +
                   "IfExists or set qualifier");
    }
    if (!keys.is_object() || keys.empty()) {
      return error("condition operator \"" + raw_op + "\" must map condition keys to values");
    }
    for (const auto& [key, raw_values] : keys.items()) {
      if (key.empty()) return error("condition operator \"" + raw_op + "\" has an empty key");
      Condition c;
      c.family_ = info->family;
      c.cmp_ = info->cmp;
      c.negated_ = info->negated;
      c.if_exists_ = if_exists;
      c.qualifier_ = qualifier;
      c.key_ = CanonicalConditionKey(key);
      std::string where = "condition " + raw_op + " on key \"" + key + "\"";
      std::vector<const json*> values;
      if (raw_values.is_array()) {
        for (const json& v : raw_values) values.push_back(&v);
      } else {
        values.push_back(&raw_values);
      }
      if (values.empty()) return error(where + " has no values");
      for (const json* v : values) {
        std::optional<std::string> text = ScalarText(*v);
        if (!text) return error(where + ": values must be strings, numbers or booleans");
        switch (info->family) {
          case ConditionFamily::kString:
          case ConditionFamily::kStringIgnoreCase:
          case ConditionFamily::kStringLike:
          case ConditionFamily::kArn:
            c.patterns_.emplace_back(*text, info->wildcards, variables);
            break;
          case ConditionFamily::kNumeric: {
            std::optional<double> n = ParseNumber(*text);
            if (!n) return error(where + ": \"" + *text + "\" is not a number");
            c.numbers_.push_back(*n);
            break;
          }
          case ConditionFamily::kDate: {
            std::optional<int64_t> t = ParseDateMicros(*text);
            if (!t) {
              return error(where + ": \"" + *text + "\" is not a date (ISO 8601 or epoch seconds)");
            }
            c.times_us_.push_back(*t);
            break;
          }
          case ConditionFamily::kBool:
          case ConditionFamily::kNull: {
            std::optional<bool> b = ParseBool(*text);
            if (!b) return error(where + ": \"" + *text + "\" is not true or false");
            c.bools_.push_back(*b);
            break;
          }
          case ConditionFamily::kBinary: {
            std::optional<std::string> bytes =
                Base64Decode(*text, Base64Alphabet::kStandard, Base64Padding::kOptional);
            if (!bytes) return error(where + ": \"" + *text + "\" is not base64");
            c.bytes_.push_back(std::move(*bytes));
            break;
          }
          case ConditionFamily::kIp: {
            std::optional<IpRange> r = ParseIpRange(*text);
            if (!r) return error(where + ": \"" + *text + "\" is not an IP address or CIDR");
            c.ranges_.push_back(*r);
            break;
          }
        }
      }
      out.push_back(std::move(c));
    }
  }
  return Status::OK();
}

}  // namespace maxiofs::engine::iam
