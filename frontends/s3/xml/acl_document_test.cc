#include "xml/acl_document.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

constexpr std::string_view kAllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";

TEST(AclDocument, RoundTrip) {
  engine::Acl acl;
  acl.grants.push_back({engine::AclGrant::GranteeType::kCanonicalUser,
                        std::string(engine::kCanonicalUserId),
                        engine::AclPermission::kFullControl});
  acl.grants.push_back({engine::AclGrant::GranteeType::kGroup, std::string(kAllUsers),
                        engine::AclPermission::kRead});
  std::string doc = WriteAclDocument(acl, "owner");
  EXPECT_NE(doc.find("xsi:type=\"CanonicalUser\""), std::string::npos);
  EXPECT_NE(doc.find("xsi:type=\"Group\""), std::string::npos);
  EXPECT_NE(doc.find("<Permission>FULL_CONTROL</Permission>"), std::string::npos);
  EXPECT_NE(doc.find("<DisplayName>owner</DisplayName>"), std::string::npos);
  auto parsed = ParseAclDocument(doc);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), acl);
}

TEST(AclDocument, Errors) {
  EXPECT_EQ(ParseAclDocument("<x/>").error().code, S3ErrorCode::kMalformedACLError);
  EXPECT_EQ(ParseAclDocument("<AccessControlPolicy/>").error().code,
            S3ErrorCode::kMalformedACLError);
  const std::string bad_perm =
      "<AccessControlPolicy><AccessControlList><Grant><Grantee><URI>u</URI></Grantee>"
      "<Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>";
  EXPECT_EQ(ParseAclDocument(bad_perm).error().code, S3ErrorCode::kMalformedACLError);
  const std::string email =
      "<AccessControlPolicy><AccessControlList><Grant><Grantee><EmailAddress>a@b</EmailAddress>"
      "</Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";
  auto by_email = ParseAclDocument(email);  // resolved by the engine
  ASSERT_TRUE(by_email.has_value());
  ASSERT_EQ(by_email.value().grants.size(), 1u);
  EXPECT_EQ(by_email.value().grants[0].type, engine::AclGrant::GranteeType::kEmail);
  EXPECT_EQ(by_email.value().grants[0].grantee, "a@b");
  const std::string no_grantee =
      "<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant>"
      "</AccessControlList></AccessControlPolicy>";
  EXPECT_EQ(ParseAclDocument(no_grantee).error().code, S3ErrorCode::kMalformedACLError);
}

TEST(AclDocument, EmptyListIsPrivate) {
  auto acl = ParseAclDocument(
      "<AccessControlPolicy><Owner><ID>abc</ID></Owner><AccessControlList/></AccessControlPolicy>");
  ASSERT_TRUE(acl.has_value());
  EXPECT_TRUE(acl.value().grants.empty());
  EXPECT_EQ(acl.value().owner_id, "abc");
}

}  // namespace
}  // namespace maxiofs::s3
