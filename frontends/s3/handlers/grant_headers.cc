// x-amz-grant-read, -write, -read-acp, -write-acp and -full-control: explicit ACL grants on
// CreateBucket, PutObject, CopyObject, CreateMultipartUpload, PutBucketAcl and PutObjectAcl.
// Each header is a comma-separated list of grantees, `id="canonical id"`,
// `uri="group uri"` or `emailAddress="address"` (quotes optional). Whether a grantee exists
// (an unknown id, group or e-mail address) is the engine's call.
#include "handlers/handler.h"
#include "headers.h"

#include "maxiofs/common/ascii.h"

#include <array>
#include <utility>

namespace maxiofs::s3 {
namespace {

constexpr std::array<std::pair<std::string_view, engine::AclPermission>, 5> kGrantHeaders = {{
    {"x-amz-grant-read", engine::AclPermission::kRead},
    {"x-amz-grant-write", engine::AclPermission::kWrite},
    {"x-amz-grant-read-acp", engine::AclPermission::kReadAcp},
    {"x-amz-grant-write-acp", engine::AclPermission::kWriteAcp},
    {"x-amz-grant-full-control", engine::AclPermission::kFullControl},
}};

// More than S3's 100 grants per ACL: the engine gives the precise error below this.
constexpr size_t kMaxParsedGrants = 1000;

S3Error Invalid(std::string_view header, std::string_view why) {
  return S3Error{S3ErrorCode::kInvalidArgument,
                 "Invalid value of " + std::string(header) + ": " + std::string(why)};
}

// Appends the grantees of one header value to `acl`.
std::optional<S3Error> ParseGrantList(std::string_view header, std::string_view value,
                                      engine::AclPermission permission, engine::Acl& acl) {
  size_t pos = 0;
  bool any = false;
  while (pos <= value.size()) {
    // One "type=value" item; a quoted value may contain commas.
    std::string_view rest = value.substr(pos);
    const size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return Invalid(header, "expected type=\"value\"");
    const std::string_view type = TrimOws(rest.substr(0, eq));
    std::string_view after = rest.substr(eq + 1);
    size_t i = 0;
    while (i < after.size() && (after[i] == ' ' || after[i] == '\t')) ++i;
    std::string grantee;
    size_t consumed;
    if (i < after.size() && after[i] == '"') {
      const size_t close = after.find('"', i + 1);
      if (close == std::string_view::npos) return Invalid(header, "unterminated quote");
      grantee = std::string(after.substr(i + 1, close - i - 1));
      size_t j = close + 1;
      while (j < after.size() && (after[j] == ' ' || after[j] == '\t')) ++j;
      if (j < after.size() && after[j] != ',') return Invalid(header, "text after a quoted value");
      consumed = j;
    } else {
      const size_t comma = after.find(',', i);
      const size_t end = comma == std::string_view::npos ? after.size() : comma;
      grantee = std::string(TrimOws(after.substr(i, end - i)));
      consumed = end;
    }
    if (grantee.empty()) return Invalid(header, "empty grantee");
    engine::AclGrant g;
    g.permission = permission;
    g.grantee = std::move(grantee);
    if (EqualsIgnoreCase(type, "id")) {
      g.type = engine::AclGrant::GranteeType::kCanonicalUser;
    } else if (EqualsIgnoreCase(type, "uri")) {
      g.type = engine::AclGrant::GranteeType::kGroup;
    } else if (EqualsIgnoreCase(type, "emailAddress")) {
      g.type = engine::AclGrant::GranteeType::kEmail;
    } else {
      return Invalid(header, "unknown grantee type '" + std::string(type) + "'");
    }
    if (acl.grants.size() == kMaxParsedGrants) return Invalid(header, "too many grantees");
    acl.grants.push_back(std::move(g));
    any = true;
    pos += eq + 1 + consumed;
    if (pos >= value.size()) break;
    ++pos;  // the comma
  }
  if (!any) return Invalid(header, "no grantee");
  return std::nullopt;
}

}  // namespace

S3Result<std::optional<engine::Acl>> GrantHeaders(const HttpRequest& request) {
  std::optional<engine::Acl> acl;
  for (const auto& [name, permission] : kGrantHeaders) {
    for (const auto& [header, value] : request.headers) {
      if (header != name) continue;
      if (!acl) acl.emplace();
      if (auto err = ParseGrantList(name, TrimOws(value), permission, *acl)) return *err;
    }
  }
  return acl;
}

}  // namespace maxiofs::s3
