#include "xml/request_documents.h"

#include "headers.h"
#include "xml/xml_parser.h"

namespace maxiofs::s3 {

namespace {

constexpr int64_t kNsPerMinute = 60'000'000'000;

std::optional<XmlElement> ParseRoot(std::string_view body, std::string_view root) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != root) return std::nullopt;
  return doc;
}

std::optional<uint32_t> ParseSmallUint(std::string_view text) {
  auto n = ParseUint64(TrimOws(text));
  if (!n || *n > 0xffffffffu) return std::nullopt;
  return static_cast<uint32_t>(*n);
}

std::string Unquote(std::string_view etag) {
  etag = TrimOws(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

}  // namespace

S3Error MalformedXmlError() {
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema"};
}

std::optional<engine::LockMode> ParseLockMode(std::string_view text) {
  text = TrimOws(text);
  if (text == "GOVERNANCE") return engine::LockMode::kGovernance;
  if (text == "COMPLIANCE") return engine::LockMode::kCompliance;
  return std::nullopt;
}

std::string_view LockModeName(engine::LockMode mode) {
  switch (mode) {
    case engine::LockMode::kNone:
      return "";
    case engine::LockMode::kGovernance:
      return "GOVERNANCE";
    case engine::LockMode::kCompliance:
      return "COMPLIANCE";
  }
  return "";
}

std::optional<int64_t> ParseLockDate(std::string_view text) {
  text = TrimOws(text);
  // "+hh:mm" / "-hh:mm" offset: parse the local time as UTC, then subtract the offset.
  if (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
      text[text.size() - 3] == ':' && text.find('T') != std::string_view::npos) {
    auto hh = ParseUint64(text.substr(text.size() - 5, 2));
    auto mm = ParseUint64(text.substr(text.size() - 2, 2));
    if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
    auto local = ParseHttpDate(std::string(text.substr(0, text.size() - 6)) + "Z");
    if (!local) return std::nullopt;
    int64_t offset = static_cast<int64_t>(*hh * 60 + *mm) * kNsPerMinute;
    int64_t utc = 0;
    const bool overflow = text[text.size() - 6] == '+'
                              ? __builtin_sub_overflow(*local, offset, &utc)
                              : __builtin_add_overflow(*local, offset, &utc);
    if (overflow) return std::nullopt;
    return utc;
  }
  if (text.size() < 20 || text[4] != '-' || text.back() != 'Z') return std::nullopt;
  return ParseHttpDate(text);
}

S3Result<engine::VersioningState> ParseVersioningConfiguration(std::string_view body) {
  auto doc = ParseRoot(body, "VersioningConfiguration");
  if (!doc) return MalformedXmlError();
  if (const XmlElement* mfa = doc->Child("MfaDelete"); mfa && TrimOws(mfa->text) == "Enabled") {
    return S3Error{S3ErrorCode::kNotImplemented, "MFA Delete is not implemented."};
  }
  const XmlElement* status = doc->Child("Status");
  if (status == nullptr) return MalformedXmlError();
  std::string_view value = TrimOws(status->text);
  if (value == "Enabled") return engine::VersioningState::kEnabled;
  if (value == "Suspended") return engine::VersioningState::kSuspended;
  return engine::VersioningState::kUnversioned;
}

S3Result<engine::ObjectLockConfig> ParseObjectLockConfiguration(std::string_view body) {
  auto doc = ParseRoot(body, "ObjectLockConfiguration");
  if (!doc) return MalformedXmlError();
  engine::ObjectLockConfig cfg;
  const XmlElement* enabled = doc->Child("ObjectLockEnabled");
  if (enabled == nullptr || TrimOws(enabled->text) != "Enabled") return MalformedXmlError();
  cfg.enabled = true;
  if (const XmlElement* rule = doc->Child("Rule")) {
    const XmlElement* def = rule->Child("DefaultRetention");
    if (def == nullptr) return MalformedXmlError();
    const XmlElement* mode = def->Child("Mode");
    if (mode == nullptr) return MalformedXmlError();
    auto m = ParseLockMode(mode->text);
    if (!m) return MalformedXmlError();
    cfg.default_retention.mode = *m;
    const XmlElement* days = def->Child("Days");
    const XmlElement* years = def->Child("Years");
    if (days != nullptr && years != nullptr) return MalformedXmlError();  // a choice in S3's schema
    for (const XmlElement* period : {days, years}) {
      if (period == nullptr) continue;
      std::string_view text = TrimOws(period->text);
      // A negative or zero period is well-formed but not a period: InvalidRetentionPeriod.
      const bool negative = text.starts_with('-') && ParseUint64(text.substr(1)).has_value();
      auto n = negative ? std::optional<uint32_t>(0) : ParseSmallUint(text);
      if (!n) return MalformedXmlError();
      if (*n == 0) {
        return S3Error{S3ErrorCode::kInvalidRetentionPeriod,
                       "Default retention period must be a positive integer value."};
      }
      (period == days ? cfg.default_retention.days : cfg.default_retention.years) = *n;
    }
  }
  return cfg;
}

S3Result<engine::BucketEncryption> ParseServerSideEncryptionConfiguration(std::string_view body) {
  auto doc = ParseRoot(body, "ServerSideEncryptionConfiguration");
  if (!doc) return MalformedXmlError();
  const XmlElement* rule = doc->Child("Rule");
  if (rule == nullptr) return MalformedXmlError();
  engine::BucketEncryption enc;
  const XmlElement* def = rule->Child("ApplyServerSideEncryptionByDefault");
  if (def == nullptr) return MalformedXmlError();
  const XmlElement* alg = def->Child("SSEAlgorithm");
  if (alg == nullptr) return MalformedXmlError();
  const std::string_view a = TrimOws(alg->text);
  if (a == "AES256") {
    enc.sse = engine::Sse::kS3;
  } else if (a == "aws:kms" || a == "aws:kms:dsse") {
    enc.sse = engine::Sse::kKms;
  } else {
    return MalformedXmlError();
  }
  if (const XmlElement* key = def->Child("KMSMasterKeyID")) {
    enc.kms_key_id = std::string(TrimOws(key->text));
  }
  if (const XmlElement* bk = rule->Child("BucketKeyEnabled")) {
    enc.bucket_key_enabled = TrimOws(bk->text) == "true";
  }
  return enc;
}

S3Result<engine::Retention> ParseRetention(std::string_view body) {
  auto doc = ParseRoot(body, "Retention");
  if (!doc) return MalformedXmlError();
  const XmlElement* mode = doc->Child("Mode");
  const XmlElement* until = doc->Child("RetainUntilDate");
  engine::Retention r;
  if (mode == nullptr && until == nullptr) return r;
  if (mode == nullptr || until == nullptr) return MalformedXmlError();
  auto m = ParseLockMode(mode->text);
  auto t = ParseLockDate(until->text);
  if (!m || !t) return MalformedXmlError();
  r.mode = *m;
  r.retain_until_ns = *t;
  return r;
}

S3Result<bool> ParseLegalHold(std::string_view body) {
  auto doc = ParseRoot(body, "LegalHold");
  if (!doc) return MalformedXmlError();
  const XmlElement* status = doc->Child("Status");
  if (status == nullptr) return MalformedXmlError();
  std::string_view v = TrimOws(status->text);
  if (v == "ON") return true;
  if (v == "OFF") return false;
  return MalformedXmlError();
}

S3Result<std::vector<engine::CompletedPart>> ParseCompleteMultipartUpload(std::string_view body) {
  auto doc = ParseRoot(body, "CompleteMultipartUpload");
  if (!doc) return MalformedXmlError();
  std::vector<engine::CompletedPart> parts;
  for (const auto& child : doc->children) {
    if (child.name != "Part") continue;
    const XmlElement* number = child.Child("PartNumber");
    const XmlElement* etag = child.Child("ETag");
    if (number == nullptr || etag == nullptr) return MalformedXmlError();
    auto n = ParseSmallUint(number->text);
    if (!n) return MalformedXmlError();
    parts.push_back(engine::CompletedPart{*n, Unquote(etag->text)});
  }
  if (parts.empty()) return MalformedXmlError();
  return parts;
}

}  // namespace maxiofs::s3
