#include "xml/acl_document.h"

#include "headers.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <array>
#include <utility>

namespace maxiofs::s3 {

namespace {

constexpr std::array<std::pair<engine::AclPermission, std::string_view>, 5> kPermissions = {{
    {engine::AclPermission::kRead, "READ"},
    {engine::AclPermission::kWrite, "WRITE"},
    {engine::AclPermission::kReadAcp, "READ_ACP"},
    {engine::AclPermission::kWriteAcp, "WRITE_ACP"},
    {engine::AclPermission::kFullControl, "FULL_CONTROL"},
}};

S3Error Malformed(std::string why) {
  return S3Error{S3ErrorCode::kMalformedACLError,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema: " +
                     why};
}

}  // namespace

bool ParseGrantee(const XmlElement& grantee, engine::AclGrant* g) {
  if (const XmlElement* id = grantee.Child("ID")) {
    g->type = engine::AclGrant::GranteeType::kCanonicalUser;
    g->grantee = std::string(TrimOws(id->text));
  } else if (const XmlElement* uri = grantee.Child("URI")) {
    g->type = engine::AclGrant::GranteeType::kGroup;
    g->grantee = std::string(TrimOws(uri->text));
  } else if (const XmlElement* email = grantee.Child("EmailAddress")) {
    g->type = engine::AclGrant::GranteeType::kEmail;  // the engine resolves it
    g->grantee = std::string(TrimOws(email->text));
  } else {
    return false;
  }
  return true;
}

void WriteGrantee(XmlWriter& w, const engine::AclGrant& g, std::string_view display_name) {
  const bool user = g.type == engine::AclGrant::GranteeType::kCanonicalUser;
  w.OpenWithAttributes("Grantee", {{"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
                                   {"xsi:type", user ? "CanonicalUser" : "Group"}});
  if (user) {
    w.Element("ID", g.grantee);
    if (!display_name.empty()) w.Element("DisplayName", display_name);
  } else {
    w.Element("URI", g.grantee);
  }
  w.Close();
}

std::string WriteAclDocument(const engine::Acl& acl, std::string_view display_name) {
  XmlWriter w;
  w.Open("AccessControlPolicy", kS3Xmlns);
  w.Open("Owner");
  w.Element("ID", acl.owner_id);
  if (!display_name.empty()) w.Element("DisplayName", display_name);
  w.Close();
  w.Open("AccessControlList");
  for (const engine::AclGrant& g : acl.grants) {
    w.Open("Grant");
    WriteGrantee(w, g, g.grantee == acl.owner_id ? display_name : std::string_view());
    for (const auto& [perm, name] : kPermissions) {
      if (perm == g.permission) w.Element("Permission", name);
    }
    w.Close();
  }
  return w.Finish();
}

S3Result<engine::Acl> ParseAclDocument(std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != "AccessControlPolicy") {
    return Malformed("expected an AccessControlPolicy element");
  }
  engine::Acl acl;
  if (const XmlElement* owner = doc->Child("Owner")) {
    if (const XmlElement* id = owner->Child("ID")) acl.owner_id = std::string(TrimOws(id->text));
  }
  const XmlElement* list = doc->Child("AccessControlList");
  if (list == nullptr) return Malformed("missing AccessControlList");
  for (const XmlElement& grant : list->children) {
    if (grant.name != "Grant") continue;
    const XmlElement* grantee = grant.Child("Grantee");
    const XmlElement* permission = grant.Child("Permission");
    if (grantee == nullptr || permission == nullptr) {
      return Malformed("a Grant needs a Grantee and a Permission");
    }
    engine::AclGrant g;
    if (!ParseGrantee(*grantee, &g)) {
      return Malformed("a Grantee needs an ID, a URI or an EmailAddress");
    }
    bool known = false;
    for (const auto& [perm, name] : kPermissions) {
      if (TrimOws(permission->text) == name) {
        g.permission = perm;
        known = true;
      }
    }
    if (!known) return Malformed("unknown Permission " + permission->text);
    acl.grants.push_back(std::move(g));
  }
  return acl;
}

}  // namespace maxiofs::s3
