// Bucket lifecycle handlers and the LifecycleConfiguration document against a real engine
// (see handlers_test_fixture.h): round trips in both rule shapes, S3's error codes for bad
// documents, the Content-MD5 S3 requires, and x-amz-expiration on writes and reads.
#include "digest.h"
#include "handlers/handlers_test_fixture.h"
#include "xml/lifecycle_document.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;

class LifecycleHandlersTest : public HandlersTest {
 protected:
  test_support::Reply Put(const std::string& bucket, const std::string& xml) {
    return Run("PUT", "/" + bucket + "?lifecycle", {{"content-md5", ContentMd5(xml)}}, xml);
  }
};

std::string Doc(const std::string& rules) {
  return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
         "</LifecycleConfiguration>";
}

TEST_F(LifecycleHandlersTest, RoundTripsAndDeletes) {
  MakeBucket("lcb");
  auto none = Run("GET", "/lcb?lifecycle");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.Code(), "NoSuchLifecycleConfiguration");
  EXPECT_EQ(Run("DELETE", "/lcb?lifecycle").status, 204);
  const std::string doc =
      Doc("<Rule><ID>r1</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value>"
          "</Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>"
          "<Status>Enabled</Status><Expiration><Days>30</Days></Expiration>"
          "<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays>"
          "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
          "</Rule><Rule><Prefix>old/</Prefix><Status>Disabled</Status>"
          "<AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation>"
          "</AbortIncompleteMultipartUpload></Rule>"
          "<Rule><ID>d</ID><Filter/><Status>Enabled</Status>"
          "<Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>");
  ASSERT_EQ(Put("lcb", doc).status, 200);
  auto got = Run("GET", "/lcb?lifecycle");
  ASSERT_EQ(got.status, 200);
  for (const char* part :
       {"<ID>r1</ID>", "<Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value>",
        "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>",
        "<Expiration><Days>30</Days></Expiration>", "<NewerNoncurrentVersions>2<",
        "<Prefix>old/</Prefix><Status>Disabled</Status>", "<DaysAfterInitiation>3<",
        "<Filter></Filter>", "<Date>2030-01-01T00:00:00.000Z</Date>"}) {
    EXPECT_NE(got.body.find(part), std::string::npos) << part << "\n" << got.body;
  }
  EXPECT_EQ(Run("DELETE", "/lcb?lifecycle").status, 204);
  EXPECT_EQ(Run("GET", "/lcb?lifecycle").status, 404);
  EXPECT_EQ(Run("GET", "/no-such-lc-bucket?lifecycle").Code(), "NoSuchBucket");
}

TEST_F(LifecycleHandlersTest, BadDocumentsGetS3Codes) {
  MakeBucket("lcbad");
  const std::string ok_rule =
      "<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
      "</Expiration></Rule>";
  // S3 requires an integrity header on this request.
  auto no_md5 = Run("PUT", "/lcbad?lifecycle", {}, Doc(ok_rule));
  EXPECT_EQ(no_md5.status, 400);
  EXPECT_EQ(no_md5.Code(), "InvalidRequest");
  const struct {
    std::string body;
    const char* code;
  } cases[] = {
      {"not xml", "MalformedXML"},
      {Doc(""), "MalformedXML"},
      {"<Other/>", "MalformedXML"},
      {Doc("<Rule><ID>r</ID><Filter/><Status>enabled</Status></Rule>"), "MalformedXML"},
      {Doc("<Rule><ID>r</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
           "</Rule>"),
       "MalformedXML"},  // neither Filter nor Prefix
      {Doc("<Rule><ID>r</ID><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>"
           "</Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"),
       "MalformedXML"},
      {Doc("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>x</Days>"
           "</Expiration></Rule>"),
       "MalformedXML"},
      {Doc("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Bogus/></Rule>"), "MalformedXML"},
      {Doc("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days>"
           "</Expiration></Rule>"),
       "InvalidArgument"},
      {Doc(ok_rule + ok_rule), "InvalidArgument"},  // same ID twice
      {Doc("<Rule><ID>r</ID><Filter/><Status>Enabled</Status></Rule>"), "InvalidArgument"},
      {Doc("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Transition><Days>30</Days>"
           "<StorageClass>GLACIER</StorageClass></Transition></Rule>"),
       "InvalidStorageClass"},
  };
  for (const auto& c : cases) {
    auto r = Put("lcbad", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(r.Code(), c.code) << c.body << "\n" << r.body;
  }
  std::string many;
  for (int i = 0; i < 1001; ++i) {
    many += "<Rule><ID>r" + std::to_string(i) +
            "</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
  }
  EXPECT_EQ(Put("lcbad", Doc(many)).Code(), "MalformedXML");
  EXPECT_EQ(Run("GET", "/lcbad?lifecycle").status, 404);  // nothing was stored
  // The error names the rule.
  auto named = Put("lcbad", Doc("<Rule><ID>my-rule</ID><Filter/><Status>Enabled</Status>"
                                "<Expiration><Days>0</Days></Expiration></Rule>"));
  EXPECT_NE(named.body.find("my-rule"), std::string::npos) << named.body;
}

TEST_F(LifecycleHandlersTest, ExpirationHeaderOnWritesAndReads) {
  MakeBucket("lcexp");
  ASSERT_EQ(Put("lcexp", Doc("<Rule><ID>tmp \"x\"</ID><Filter><Prefix>tmp/</Prefix></Filter>"
                             "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
                             "</Rule>"))
                .status,
            200);
  auto put = Run("PUT", "/lcexp/tmp/a", {}, "data");
  ASSERT_EQ(put.status, 200);
  const std::string h = put.Header("x-amz-expiration");
  EXPECT_TRUE(h.starts_with("expiry-date=\"")) << h;
  EXPECT_NE(h.find(" 00:00:00 GMT\", rule-id=\"tmp \\\"x\\\"\""), std::string::npos) << h;
  EXPECT_EQ(Run("HEAD", "/lcexp/tmp/a").Header("x-amz-expiration"), h);
  EXPECT_EQ(Run("GET", "/lcexp/tmp/a").Header("x-amz-expiration"), h);
  auto copy = Run("PUT", "/lcexp/tmp/b", {{"x-amz-copy-source", "/lcexp/tmp/a"}});
  EXPECT_EQ(copy.Header("x-amz-expiration"), h);
  EXPECT_FALSE(Run("PUT", "/lcexp/keep/a", {}, "data").HasHeader("x-amz-expiration"));
  EXPECT_FALSE(Run("HEAD", "/lcexp/keep/a").HasHeader("x-amz-expiration"));
}

TEST(LifecycleDocument, ExpirationHeaderCannotBreakTheHeader) {
  EXPECT_EQ(ExpirationHeader(0, "a\r\nX-Evil: 1"),
            "expiry-date=\"Thu, 01 Jan 1970 00:00:00 GMT\", rule-id=\"a??X-Evil: 1\"");
}

}  // namespace
}  // namespace maxiofs::s3
