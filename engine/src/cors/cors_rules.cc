// CORS rules: validation (S3's limits and messages), compilation and matching.
#include "cors_rules.h"

#include "maxiofs/common/ascii.h"

#include <algorithm>
#include <array>

namespace maxiofs::engine {
namespace {

constexpr std::array<std::string_view, 5> kCorsMethods = {"GET", "PUT", "POST", "DELETE", "HEAD"};

// RFC 9110 token characters (header names).
bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int MethodBit(std::string_view method) {
  for (size_t i = 0; i < kCorsMethods.size(); ++i) {
    if (kCorsMethods[i] == method) return 1 << i;
  }
  return 0;
}

std::string RuleName(size_t index, const CorsRule& rule) {
  std::string name = "CORS rule " + std::to_string(index + 1);
  if (!rule.id.empty()) name += " (ID \"" + rule.id + "\")";
  return name;
}

CorsPattern MakePattern(std::string_view text, bool lower) {
  CorsPattern p;
  std::string t = lower ? AsciiLower(text) : std::string(text);
  size_t star = t.find('*');
  if (star == std::string::npos) {
    p.prefix = std::move(t);
  } else {
    p.star = true;
    p.prefix = t.substr(0, star);
    p.suffix = t.substr(star + 1);
  }
  return p;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

Status CheckOrigin(const std::string& rule, std::string_view origin) {
  if (origin.empty()) return Status::InvalidRequest(rule + ": an AllowedOrigin is empty.");
  if (std::count(origin.begin(), origin.end(), '*') > 1) {
    return Status::InvalidRequest(rule + ": AllowedOrigin \"" + std::string(origin) +
                                  "\" can not have more than one wildcard.");
  }
  for (char c : origin) {
    if (c < 0x21 || c > 0x7e || c == ',') {
      return Status::InvalidArgument(rule + ": AllowedOrigin \"" + std::string(origin) +
                                     "\" holds a character an Origin header never has.");
    }
  }
  return Status::OK();
}

}  // namespace

bool CorsPattern::Matches(std::string_view text) const {
  if (!star) return EqualsIgnoreCase(prefix, text);
  if (text.size() < prefix.size() + suffix.size()) return false;
  return EqualsIgnoreCase(prefix, text.substr(0, prefix.size())) &&
         EqualsIgnoreCase(suffix, text.substr(text.size() - suffix.size()));
}

Status ValidateCorsConfiguration(const CorsConfiguration& config) {
  if (config.rules.empty()) {
    return Status::InvalidRequest("A CORS configuration needs at least one CORSRule.");
  }
  if (config.rules.size() > kMaxCorsRules) {
    return Status::InvalidRequest(
        "The number of CORS rules should not exceed allowed limit of 100 rules.");
  }
  size_t bytes = 0;
  for (size_t i = 0; i < config.rules.size(); ++i) {
    const CorsRule& r = config.rules[i];
    if (r.id.size() > kMaxCorsRuleIdLength) {
      return Status::InvalidArgument("CORS rule " + std::to_string(i + 1) +
                                     ": ID length should not exceed allowed limit of 255.");
    }
    const std::string name = RuleName(i, r);
    bytes += r.id.size();
    if (r.allowed_methods.empty()) {
      return Status::InvalidRequest(name + " has no AllowedMethod.");
    }
    for (const std::string& m : r.allowed_methods) {
      if (MethodBit(m) == 0) {
        return Status::InvalidRequest(
            name + ": Found unsupported HTTP method in CORS config. Unsupported method is " + m);
      }
      bytes += m.size();
    }
    if (r.allowed_origins.empty()) {
      return Status::InvalidRequest(name + " has no AllowedOrigin.");
    }
    for (const std::string& o : r.allowed_origins) {
      MAXIOFS_RETURN_IF_ERROR(CheckOrigin(name, o));
      bytes += o.size();
    }
    for (const std::string& h : r.allowed_headers) {
      if (h.empty()) return Status::InvalidRequest(name + ": an AllowedHeader is empty.");
      if (std::count(h.begin(), h.end(), '*') > 1) {
        return Status::InvalidRequest(name + ": AllowedHeader \"" + h +
                                      "\" can not have more than one wildcard.");
      }
      if (!std::all_of(h.begin(), h.end(), IsTchar)) {
        return Status::InvalidArgument(name + ": AllowedHeader \"" + h +
                                       "\" is not a valid HTTP header name.");
      }
      bytes += h.size();
    }
    for (const std::string& h : r.expose_headers) {
      if (h.empty()) return Status::InvalidRequest(name + ": an ExposeHeader is empty.");
      if (h.find('*') != std::string::npos) {
        return Status::InvalidRequest(name + ": ExposeHeader \"" + h +
                                      "\" contains wildcard. We currently do not support "
                                      "wildcard for ExposeHeader.");
      }
      if (!std::all_of(h.begin(), h.end(), IsTchar)) {
        return Status::InvalidArgument(name + ": ExposeHeader \"" + h +
                                       "\" is not a valid HTTP header name.");
      }
      bytes += h.size();
    }
    if (r.max_age_seconds && *r.max_age_seconds < 0) {
      return Status::InvalidArgument(name + ": MaxAgeSeconds must not be negative.");
    }
  }
  if (bytes > kMaxCorsConfigBytes) {
    return Status::InvalidRequest("The CORS configuration is too large: its rules hold " +
                                  std::to_string(bytes) + " bytes, more than the 65536 allowed.");
  }
  return Status::OK();
}

Result<std::shared_ptr<const CompiledCors>> CompiledCors::Compile(CorsConfiguration config) {
  MAXIOFS_RETURN_IF_ERROR(ValidateCorsConfiguration(config));
  auto out = std::make_shared<CompiledCors>();
  out->rules_.reserve(config.rules.size());
  for (const CorsRule& r : config.rules) {
    Rule c;
    for (const std::string& o : r.allowed_origins) c.origins.push_back(MakePattern(o, false));
    for (const std::string& h : r.allowed_headers) c.headers.push_back(MakePattern(h, true));
    for (const std::string& m : r.allowed_methods) {
      c.methods = static_cast<uint8_t>(c.methods | MethodBit(m));
    }
    c.allow_methods = Join(r.allowed_methods);
    c.expose_headers = Join(r.expose_headers);
    c.max_age = r.max_age_seconds;
    out->rules_.push_back(std::move(c));
  }
  out->config_ = std::move(config);
  return std::shared_ptr<const CompiledCors>(std::move(out));
}

Result<std::shared_ptr<const CompiledCors>> CompiledCors::ServerDefault(
    const std::vector<std::string>& origins) {
  if (origins.empty()) return std::shared_ptr<const CompiledCors>();
  CorsRule rule;
  rule.id = "server default (server.cors_allowed_origins)";
  rule.allowed_methods.assign(kCorsMethods.begin(), kCorsMethods.end());
  rule.allowed_origins = origins;
  rule.allowed_headers = {"*"};
  rule.expose_headers.assign(std::begin(kDefaultExposeHeaders), std::end(kDefaultExposeHeaders));
  CorsConfiguration config;
  config.rules.push_back(std::move(rule));
  auto compiled = Compile(std::move(config));
  if (!compiled.has_value()) {
    return Status::InvalidArgument("server.cors_allowed_origins: " +
                                   std::string(compiled.error().message()));
  }
  return compiled;
}

CorsMatch CompiledCors::Match(const CorsRequest& req) const {
  CorsMatch m;
  m.configured = true;
  const int method = MethodBit(req.method);
  if (method == 0 || req.origin.empty()) return m;
  // The requested headers, lower-case, split once (a preflight names a few).
  std::vector<std::string> headers;
  if (req.preflight) {
    std::string_view rest = req.request_headers;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      if (!item.empty()) headers.push_back(AsciiLower(item));
    }
  }
  for (const Rule& rule : rules_) {
    if ((rule.methods & method) == 0) continue;
    const CorsPattern* origin = nullptr;
    for (const CorsPattern& p : rule.origins) {
      if (p.Matches(req.origin)) {
        origin = &p;
        break;
      }
    }
    if (origin == nullptr) continue;
    bool headers_ok = true;
    for (const std::string& h : headers) {
      bool allowed = std::any_of(rule.headers.begin(), rule.headers.end(),
                                 [&](const CorsPattern& p) { return p.Matches(h); });
      if (!allowed) {
        headers_ok = false;
        break;
      }
    }
    if (!headers_ok) continue;
    m.matched = true;
    m.any_origin = origin->star && origin->prefix.empty() && origin->suffix.empty();
    m.allow_methods = rule.allow_methods;
    m.expose_headers = rule.expose_headers;
    m.max_age_seconds = rule.max_age;
    if (req.preflight) m.allow_headers = Join(headers);
    return m;
  }
  return m;
}

}  // namespace maxiofs::engine
