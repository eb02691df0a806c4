// Versioning and object lock handlers against a real engine (see handlers_test_fixture.h).
#include "digest.h"
#include "encoding.h"
#include "handlers/handlers_test_fixture.h"
#include "headers.h"

#include <gtest/gtest.h>

#include <chrono>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;
using test_support::Reply;

const std::string kEnable =
    "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
const std::string kSuspend =
    "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>";

std::string Future(int seconds) {
  auto t = std::chrono::system_clock::now() + std::chrono::seconds(seconds);
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return FormatIso8601(ns);
}

class VersioningHandlersTest : public HandlersTest {
 protected:
  HeaderList Md5Of(const std::string& body) { return {{"content-md5", ContentMd5(body)}}; }
};

TEST_F(VersioningHandlersTest, PutGetBucketVersioning) {
  MakeBucket("vbb");
  EXPECT_EQ(Run("GET", "/vbb?versioning").body.find("<Status>"), std::string::npos);
  EXPECT_EQ(Run("PUT", "/vbb?versioning", {}, kEnable).status, 200);
  EXPECT_NE(Run("GET", "/vbb?versioning").body.find("<Status>Enabled</Status>"), std::string::npos);
  EXPECT_EQ(Run("PUT", "/vbb?versioning", {}, kSuspend).status, 200);
  EXPECT_NE(Run("GET", "/vbb?versioning").body.find("<Status>Suspended</Status>"),
            std::string::npos);
  EXPECT_EQ(Run("PUT", "/vbb?versioning", {}, "").Code(), "MalformedXML");
  EXPECT_EQ(Run("PUT", "/vbb?versioning", {},
                "<VersioningConfiguration><Status>Off</Status></VersioningConfiguration>")
                .Code(),
            "InvalidArgument");
  // A Content-MD5 that is sent is verified.
  EXPECT_EQ(Run("PUT", "/vbb?versioning", Md5Of("other"), kEnable).Code(), "BadDigest");
  EXPECT_EQ(Run("PUT", "/vbb?versioning", Md5Of(kEnable), kEnable).status, 200);
  EXPECT_EQ(Run("PUT", "/nob?versioning", {}, kEnable).Code(), "NoSuchBucket");
}

TEST_F(VersioningHandlersTest, VersionHeadersAndDeleteMarkers) {
  MakeBucket("plain");
  auto put = Run("PUT", "/plain/k", {}, "a");
  EXPECT_FALSE(put.HasHeader("x-amz-version-id"));
  EXPECT_FALSE(Run("GET", "/plain/k").HasHeader("x-amz-version-id"));
  auto del = Run("DELETE", "/plain/k");
  EXPECT_EQ(del.status, 204);
  EXPECT_FALSE(del.HasHeader("x-amz-version-id"));
  EXPECT_FALSE(del.HasHeader("x-amz-delete-marker"));

  MakeBucket("ver");
  ASSERT_EQ(Run("PUT", "/ver?versioning", {}, kEnable).status, 200);
  auto v1 = Run("PUT", "/ver/k", {}, "one").Header("x-amz-version-id");
  auto v2 = Run("PUT", "/ver/k", {}, "two").Header("x-amz-version-id");
  ASSERT_EQ(v1.size(), 32u);
  ASSERT_EQ(v2.size(), 32u);
  EXPECT_NE(v1, v2);
  auto get = Run("GET", "/ver/k?versionId=" + v1);
  EXPECT_EQ(get.body, "one");
  EXPECT_EQ(get.Header("x-amz-version-id"), v1);
  EXPECT_EQ(Run("HEAD", "/ver/k").Header("x-amz-version-id"), v2);
  EXPECT_EQ(Run("GET", "/ver/k?versionId=").Code(), "InvalidArgument");

  auto marker = Run("DELETE", "/ver/k");
  EXPECT_EQ(marker.status, 204);
  EXPECT_EQ(marker.Header("x-amz-delete-marker"), "true");
  std::string mid = marker.Header("x-amz-version-id");
  ASSERT_EQ(mid.size(), 32u);
  auto missing = Run("GET", "/ver/k");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("x-amz-delete-marker"), "true");
  EXPECT_EQ(missing.Header("x-amz-version-id"), mid);
  auto head_missing = Run("HEAD", "/ver/k");
  EXPECT_EQ(head_missing.status, 404);
  EXPECT_TRUE(head_missing.body.empty());
  EXPECT_EQ(head_missing.Header("x-amz-delete-marker"), "true");
  auto not_allowed = Run("GET", "/ver/k?versionId=" + mid);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.Code(), "MethodNotAllowed");
  EXPECT_EQ(not_allowed.Header("Allow"), "DELETE");
  EXPECT_EQ(not_allowed.Header("x-amz-version-id"), mid);

  auto undelete = Run("DELETE", "/ver/k?versionId=" + mid);
  EXPECT_EQ(undelete.Header("x-amz-delete-marker"), "true");
  EXPECT_EQ(undelete.Header("x-amz-version-id"), mid);
  EXPECT_EQ(Run("GET", "/ver/k").body, "two");

  // Suspended: null versions; a PUT shows no version id, a GET of it shows "null".
  ASSERT_EQ(Run("PUT", "/ver?versioning", {}, kSuspend).status, 200);
  EXPECT_FALSE(Run("PUT", "/ver/k", {}, "three").HasHeader("x-amz-version-id"));
  EXPECT_EQ(Run("GET", "/ver/k").Header("x-amz-version-id"), "null");
  auto null_marker = Run("DELETE", "/ver/k");
  EXPECT_EQ(null_marker.Header("x-amz-delete-marker"), "true");
  EXPECT_EQ(null_marker.Header("x-amz-version-id"), "null");
}

TEST_F(VersioningHandlersTest, ListObjectVersions) {
  MakeBucket("lvb");
  ASSERT_EQ(Run("PUT", "/lvb?versioning", {}, kEnable).status, 200);
  auto a1 = Run("PUT", "/lvb/a", {}, "1").Header("x-amz-version-id");
  auto a2 = Run("PUT", "/lvb/a", {}, "22").Header("x-amz-version-id");
  auto am = Run("DELETE", "/lvb/a").Header("x-amz-version-id");
  auto b1 = Run("PUT", "/lvb/d/b", {}, "333").Header("x-amz-version-id");

  auto all = Run("GET", "/lvb?versions");
  ASSERT_EQ(all.status, 200) << all.body;
  auto doc = ParseXml(all.body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "ListVersionsResult");
  std::vector<std::string> seq;
  for (const auto& c : doc->children) {
    if (c.name == "Version" || c.name == "DeleteMarker") {
      seq.push_back(c.name + ":" + c.Child("VersionId")->text + ":" + c.Child("IsLatest")->text);
    }
  }
  EXPECT_EQ(seq,
            (std::vector<std::string>{"DeleteMarker:" + am + ":true", "Version:" + a2 + ":false",
                                      "Version:" + a1 + ":false", "Version:" + b1 + ":true"}));

  auto page = Run("GET", "/lvb?versions&max-keys=2");
  auto pdoc = ParseXml(page.body);
  ASSERT_TRUE(pdoc);
  EXPECT_EQ(pdoc->Child("IsTruncated")->text, "true");
  EXPECT_EQ(pdoc->Child("NextKeyMarker")->text, "a");
  EXPECT_EQ(pdoc->Child("NextVersionIdMarker")->text, a2);
  auto rest = Run("GET", "/lvb?versions&key-marker=a&version-id-marker=" + a2);
  EXPECT_NE(rest.body.find("<VersionId>" + a1 + "</VersionId>"), std::string::npos);
  EXPECT_EQ(rest.body.find("<VersionId>" + a2 + "</VersionId>"), std::string::npos);

  auto delim = Run("GET", "/lvb?versions&delimiter=/");
  EXPECT_NE(delim.body.find("<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes>"),
            std::string::npos);
  EXPECT_EQ(Run("GET", "/lvb?versions&version-id-marker=x").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/lvb?versions&max-keys=x").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/nob?versions").Code(), "NoSuchBucket");
}

TEST_F(VersioningHandlersTest, DeleteObjectsAndCopyWithVersions) {
  MakeBucket("dvb");
  ASSERT_EQ(Run("PUT", "/dvb?versioning", {}, kEnable).status, 200);
  auto v1 = Run("PUT", "/dvb/k", {}, "old").Header("x-amz-version-id");
  auto v2 = Run("PUT", "/dvb/k", {}, "new").Header("x-amz-version-id");
  auto copy = Run("PUT", "/dvb/c", {{"x-amz-copy-source", "/dvb/k?versionId=" + v1}});
  ASSERT_EQ(copy.status, 200) << copy.body;
  EXPECT_EQ(copy.Header("x-amz-copy-source-version-id"), v1);
  EXPECT_EQ(copy.Header("x-amz-version-id").size(), 32u);
  EXPECT_EQ(Run("GET", "/dvb/c").body, "old");

  std::string doc = "<Delete><Object><Key>k</Key><VersionId>" + v1 +
                    "</VersionId></Object><Object><Key>c</Key></Object></Delete>";
  auto r = Run("POST", "/dvb?delete", Md5Of(doc), doc);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Deleted><Key>k</Key><VersionId>" + v1 + "</VersionId></Deleted>"),
            std::string::npos);
  EXPECT_NE(r.body.find("<Key>c</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>"),
            std::string::npos);
  EXPECT_EQ(Run("GET", "/dvb/k?versionId=" + v1).Code(), "NoSuchVersion");
  EXPECT_EQ(Run("GET", "/dvb/k").body, "new");
  (void)v2;
}

TEST_F(VersioningHandlersTest, ObjectLock) {
  EXPECT_EQ(Run("PUT", "/lkb", {{"x-amz-bucket-object-lock-enabled", "true"}}).status, 200);
  EXPECT_NE(Run("GET", "/lkb?versioning").body.find("Enabled"), std::string::npos);
  auto cfg = Run("GET", "/lkb?object-lock");
  EXPECT_NE(cfg.body.find("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"), std::string::npos);
  const std::string rule =
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
      "<DefaultRetention><Mode>GOVERNANCE</Mode><Days>2</Days></DefaultRetention></Rule>"
      "</ObjectLockConfiguration>";
  EXPECT_EQ(Run("PUT", "/lkb?object-lock", {}, rule).Code(), "InvalidRequest");  // no MD5
  EXPECT_EQ(Run("PUT", "/lkb?object-lock", Md5Of(rule), rule).status, 200);
  EXPECT_NE(Run("GET", "/lkb?object-lock").body.find("<Mode>GOVERNANCE</Mode><Days>2</Days>"),
            std::string::npos);

  auto put = Run("PUT", "/lkb/k",
                 {{"x-amz-object-lock-mode", "COMPLIANCE"},
                  {"x-amz-object-lock-retain-until-date", Future(3600)},
                  {"x-amz-object-lock-legal-hold", "ON"}},
                 "data");
  ASSERT_EQ(put.status, 200) << put.body;
  std::string vid = put.Header("x-amz-version-id");
  auto head = Run("HEAD", "/lkb/k");
  EXPECT_EQ(head.Header("x-amz-object-lock-mode"), "COMPLIANCE");
  EXPECT_FALSE(head.Header("x-amz-object-lock-retain-until-date").empty());
  EXPECT_EQ(head.Header("x-amz-object-lock-legal-hold"), "ON");
  EXPECT_NE(Run("GET", "/lkb/k?retention").body.find("<Mode>COMPLIANCE</Mode>"), std::string::npos);
  EXPECT_NE(Run("GET", "/lkb/k?legal-hold").body.find("<Status>ON</Status>"), std::string::npos);

  auto denied =
      Run("DELETE", "/lkb/k?versionId=" + vid, {{"x-amz-bypass-governance-retention", "true"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Code(), "AccessDenied");
  const std::string off = "<LegalHold><Status>OFF</Status></LegalHold>";
  EXPECT_EQ(Run("PUT", "/lkb/k?legal-hold&versionId=" + vid, Md5Of(off), off).status, 200);
  EXPECT_EQ(Run("DELETE", "/lkb/k?versionId=" + vid).status, 403);  // still COMPLIANCE
  const std::string shorter = "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>" + Future(60) +
                              "</RetainUntilDate></Retention>";
  EXPECT_EQ(Run("PUT", "/lkb/k?retention", Md5Of(shorter), shorter).Code(), "AccessDenied");
  EXPECT_EQ(Run("GET", "/lkb/k?versionId=" + vid).body, "data");

  // Governance: bypass allows removal.
  auto g = Run("PUT", "/lkb/g", {}, "gov");  // the bucket default: GOVERNANCE 2 days
  std::string gid = g.Header("x-amz-version-id");
  EXPECT_EQ(Run("HEAD", "/lkb/g").Header("x-amz-object-lock-mode"), "GOVERNANCE");
  EXPECT_EQ(Run("DELETE", "/lkb/g?versionId=" + gid).status, 403);
  EXPECT_EQ(
      Run("DELETE", "/lkb/g?versionId=" + gid, {{"x-amz-bypass-governance-retention", "true"}})
          .status,
      204);

  // Malformed lock headers and documents.
  EXPECT_EQ(Run("PUT", "/lkb/x", {{"x-amz-object-lock-mode", "GOVERNANCE"}}, "x").Code(),
            "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/lkb/x", {{"x-amz-object-lock-legal-hold", "maybe"}}, "x").Code(),
            "InvalidArgument");
  const std::string bad_hold = "<LegalHold><Status>X</Status></LegalHold>";
  EXPECT_EQ(Run("PUT", "/lkb/k?legal-hold", Md5Of(bad_hold), bad_hold).Code(), "MalformedXML");
  MakeBucket("nolock");
  EXPECT_EQ(Run("GET", "/nolock?object-lock").Code(), "ObjectLockConfigurationNotFoundError");
  EXPECT_EQ(Run("PUT", "/nolock/k", {{"x-amz-object-lock-legal-hold", "ON"}}, "x").Code(),
            "InvalidRequest");
}

}  // namespace
}  // namespace maxiofs::s3
