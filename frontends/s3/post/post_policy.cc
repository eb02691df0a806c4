#include "post/post_policy.h"

#include "headers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace maxiofs::s3 {
namespace {

using nlohmann::json;

// Deeper documents are refused before parsing (a policy is two levels deep).
constexpr int kMaxDepth = 8;

S3Error Invalid(std::string what) {
  return S3Error{S3ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::move(what)};
}

S3Error Denied(std::string what) {
  return S3Error{S3ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::move(what)};
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Nesting depth of a JSON text (brackets outside strings); -1 past kMaxDepth.
int Depth(std::string_view text) {
  int depth = 0;
  int max = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return -1;
      max = std::max(max, depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max;
}

// An ISO 8601 UTC time: 2030-01-01T00:00:00Z or 2030-01-01T00:00:00.000Z.
std::optional<int64_t> ParseExpiration(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text.back() != 'Z') {
    return std::nullopt;
  }
  return ParseHttpDate(text);
}

std::optional<uint64_t> LengthBound(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return std::nullopt;  // negative
  if (v.is_string()) return ParseUint64(v.get<std::string>());
  return std::nullopt;
}

// The field of "$name" (lower-case, without '$'); nullopt without the '$'.
std::optional<std::string> FieldOf(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() < 2 || s.front() != '$') return std::nullopt;
  return ToLower(std::string_view(s).substr(1));
}

std::optional<S3Error> AddCondition(const json& c, PostPolicy& out) {
  const std::string text = c.dump();
  if (c.is_object()) {
    if (c.size() != 1) {
      return Invalid(
          "Invalid Simple-Condition: Simple-Conditions must have exactly one property "
          "specified.");
    }
    auto it = c.begin();
    if (!it.value().is_string()) {
      return Invalid("Invalid Simple-Condition: the value of " + it.key() + " must be a string.");
    }
    std::string field = ToLower(it.key());
    if (!field.empty() && field.front() == '$') field.erase(0, 1);
    out.conditions.push_back(
        {PostPolicyCondition::Kind::kEq, std::move(field), it.value().get<std::string>(), text});
    return std::nullopt;
  }
  if (!c.is_array() || c.empty() || !c[0].is_string()) {
    return Invalid("Invalid Condition: " + text);
  }
  const std::string op = ToLower(c[0].get<std::string>());
  if (op == "content-length-range") {
    if (c.size() != 3) {
      return Invalid("Invalid content-length-range condition: it needs a minimum and a maximum: " +
                     text);
    }
    auto min = LengthBound(c[1]);
    auto max = LengthBound(c[2]);
    if (!min || !max || *min > *max) {
      return Invalid(
          "Invalid content-length-range condition: the bounds must be integers with "
          "0 <= minimum <= maximum: " +
          text);
    }
    out.min_length = std::max(out.min_length.value_or(0), *min);
    out.max_length = std::min(out.max_length.value_or(std::numeric_limits<uint64_t>::max()), *max);
    return std::nullopt;
  }
  PostPolicyCondition::Kind kind = PostPolicyCondition::Kind::kEq;
  if (op == "eq") {
    kind = PostPolicyCondition::Kind::kEq;
  } else if (op == "starts-with") {
    kind = PostPolicyCondition::Kind::kStartsWith;
  } else {
    return Invalid("Invalid Condition: unknown operation " + c[0].get<std::string>() + ": " + text);
  }
  auto field = c.size() == 3 ? FieldOf(c[1]) : std::nullopt;
  if (!field || !c[2].is_string()) {
    return Invalid("Invalid Condition: expected [\"" + op + "\", \"$field\", \"value\"]: " + text);
  }
  out.conditions.push_back({kind, std::move(*field), c[2].get<std::string>(), text});
  return std::nullopt;
}

bool StartsWith(std::string_view value, std::string_view prefix) {
  return value.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool IsPostPolicyExempt(std::string_view name) {
  return name == "policy" || name == "x-amz-signature" || name == "signature" ||
         name == "awsaccesskeyid" || name == "file" || name.starts_with("x-ignore-") ||
         name.starts_with("x-amz-checksum-");
}

S3Result<PostPolicy> ParsePostPolicy(std::string_view text) {
  if (Depth(text) < 0) return Invalid("Invalid JSON: nested too deeply.");
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("Invalid JSON.");
  PostPolicy out;
  auto exp = doc.find("expiration");
  if (exp == doc.end()) return Invalid("Policy missing expiration.");
  if (!exp->is_string()) return Invalid("Invalid 'expiration' value: must be a string.");
  auto when = ParseExpiration(exp->get<std::string>());
  if (!when) return Invalid("Invalid 'expiration' value: '" + exp->get<std::string>() + "'");
  out.expiration_ns = *when;
  auto conditions = doc.find("conditions");
  if (conditions == doc.end()) return Invalid("Policy missing conditions.");
  if (!conditions->is_array()) return Invalid("Invalid 'conditions' value: must be a List.");
  for (const json& c : *conditions) {
    if (auto err = AddCondition(c, out)) return *err;
  }
  return out;
}

std::optional<S3Error> CheckPostPolicy(const PostPolicy& policy, const PostFormFields& fields,
                                       int64_t now_ns) {
  if (now_ns > policy.expiration_ns) return Denied("Policy expired.");
  for (const PostPolicyCondition& c : policy.conditions) {
    auto it = fields.find(c.field);
    std::string_view value = it == fields.end() ? std::string_view() : std::string_view(it->second);
    bool ok = false;
    if (c.kind == PostPolicyCondition::Kind::kEq) {
      ok = value == c.value;
    } else if (c.field == "content-type") {
      // S3: each of a comma-separated list of content types must start with the prefix.
      ok = true;
      std::string_view rest = value;
      do {
        size_t comma = rest.find(',');
        ok = ok && StartsWith(TrimOws(rest.substr(0, comma)), c.value);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      } while (!rest.empty());
    } else {
      ok = StartsWith(value, c.value);
    }
    if (!ok) return Denied("Policy Condition failed: " + c.text);
  }
  for (const auto& [name, value] : fields) {
    if (name == "bucket" || IsPostPolicyExempt(name)) continue;
    bool named = false;
    for (const PostPolicyCondition& c : policy.conditions) named = named || c.field == name;
    if (!named) return Denied("Extra input fields: " + name);
  }
  return std::nullopt;
}

}  // namespace maxiofs::s3
