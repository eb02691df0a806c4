// Multipart handlers against a real engine with a small minimum part size.
#include "digest.h"
#include "encoding.h"
#include "handlers/handlers_test_fixture.h"
#include "headers.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;

constexpr uint64_t kMinPart = 16;

class MultipartHandlersTest : public HandlersTest {
 protected:
  engine::EngineOptions EngineOptionsForTest() const override {
    engine::EngineOptions o;
    o.min_part_size = kMinPart;
    return o;
  }

  std::string Create(const std::string& target, HeaderList headers = {}) {
    auto r = Run("POST", target + "?uploads", std::move(headers));
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = ParseXml(r.body);
    if (!doc || doc->Child("UploadId") == nullptr) return "";
    return doc->Child("UploadId")->text;
  }

  static std::string CompleteDoc(const std::vector<std::pair<int, std::string>>& parts) {
    std::string doc = "<CompleteMultipartUpload>";
    for (const auto& [n, etag] : parts) {
      doc += "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>" + etag +
             "</ETag></Part>";
    }
    return doc + "</CompleteMultipartUpload>";
  }
};

TEST_F(MultipartHandlersTest, UploadCompleteAndReadParts) {
  MakeBucket("mpb");
  std::string uid = Create("/mpb/obj", {{"content-type", "text/x-mp"}});
  ASSERT_FALSE(uid.empty());
  const std::string p1(20, 'a'), p2(17, 'b'), p3 = "tail";
  std::vector<std::pair<int, std::string>> done;
  int n = 1;
  for (const auto& p : {p1, p2, p3}) {
    auto r = Run("PUT", "/mpb/obj?partNumber=" + std::to_string(n) + "&uploadId=" + uid,
                 {{"content-md5", ContentMd5(p)}}, p);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("ETag"), QuoteETag(HexEncode(Md5(p))));
    done.emplace_back(n++, r.Header("ETag"));
  }
  auto list = Run("GET", "/mpb/obj?uploadId=" + uid + "&max-parts=2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("<IsTruncated>true</IsTruncated>"), std::string::npos);
  EXPECT_NE(list.body.find("<NextPartNumberMarker>2</NextPartNumberMarker>"), std::string::npos);
  auto uploads = Run("GET", "/mpb?uploads");
  EXPECT_NE(uploads.body.find("<UploadId>" + uid + "</UploadId>"), std::string::npos);

  auto bad_order = Run("POST", "/mpb/obj?uploadId=" + uid, {}, CompleteDoc({done[1], done[0]}));
  EXPECT_EQ(bad_order.Code(), "InvalidPartOrder");
  auto too_small = Run("POST", "/mpb/obj?uploadId=" + uid, {}, CompleteDoc({done[2], {4, "x"}}));
  EXPECT_EQ(too_small.status, 400);
  EXPECT_EQ(Run("POST", "/mpb/obj?uploadId=" + uid, {}, "").Code(), "MalformedXML");
  auto small = Run("PUT", "/mpb/obj?partNumber=5&uploadId=" + uid, {}, "s");
  auto after = Run("PUT", "/mpb/obj?partNumber=6&uploadId=" + uid, {}, std::string(20, 'z'));
  EXPECT_EQ(Run("POST", "/mpb/obj?uploadId=" + uid, {},
                CompleteDoc({done[0], {5, small.Header("ETag")}, {6, after.Header("ETag")}}))
                .Code(),
            "EntityTooSmall");

  auto complete = Run("POST", "/mpb/obj?uploadId=" + uid, {}, CompleteDoc(done));
  ASSERT_EQ(complete.status, 200) << complete.body;
  std::string md5s = Md5(p1) + Md5(p2) + Md5(p3);
  std::string etag = "&quot;" + HexEncode(Md5(md5s)) + "-3&quot;";
  EXPECT_NE(complete.body.find("<ETag>" + etag + "</ETag>"), std::string::npos) << complete.body;
  EXPECT_NE(complete.body.find("<Location>http://localhost/mpb/obj</Location>"), std::string::npos);

  auto whole = Run("GET", "/mpb/obj");
  EXPECT_EQ(whole.body, p1 + p2 + p3);
  EXPECT_EQ(whole.Header("Content-Type"), "text/x-mp");
  EXPECT_FALSE(whole.HasHeader("x-amz-mp-parts-count"));
  auto part2 = Run("GET", "/mpb/obj?partNumber=2");
  EXPECT_EQ(part2.status, 206);
  EXPECT_EQ(part2.body, p2);
  EXPECT_EQ(part2.Header("Content-Range"), "bytes 20-36/41");
  EXPECT_EQ(part2.Header("x-amz-mp-parts-count"), "3");
  auto head3 = Run("HEAD", "/mpb/obj?partNumber=3");
  EXPECT_EQ(head3.status, 206);
  EXPECT_EQ(head3.content_length, 4u);
  EXPECT_EQ(Run("GET", "/mpb/obj?partNumber=4").Code(), "InvalidPartNumber");
  EXPECT_EQ(Run("GET", "/mpb/obj?partNumber=abc").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/mpb/obj?uploadId=" + uid).Code(), "NoSuchUpload");
}

TEST_F(MultipartHandlersTest, CopyPartAbortAndChecksums) {
  MakeBucket("cpb");
  ASSERT_EQ(Run("PUT", "/cpb/src", {}, "0123456789abcdefghijklmnopqrstuvwxyz").status, 200);
  std::string uid = Create("/cpb/dst");
  auto c1 = Run("PUT", "/cpb/dst?partNumber=1&uploadId=" + uid,
                {{"x-amz-copy-source", "/cpb/src"}, {"x-amz-copy-source-range", "bytes=10-29"}});
  ASSERT_EQ(c1.status, 200) << c1.body;
  EXPECT_NE(c1.body.find("<CopyPartResult"), std::string::npos);
  EXPECT_NE(c1.body.find(HexEncode(Md5("abcdefghijklmnopqrst"))), std::string::npos);
  EXPECT_EQ(Run("PUT", "/cpb/dst?partNumber=2&uploadId=" + uid,
                {{"x-amz-copy-source", "/cpb/src"}, {"x-amz-copy-source-range", "bytes=3-"}})
                .Code(),
            "InvalidArgument");
  auto abort = Run("DELETE", "/cpb/dst?uploadId=" + uid);
  EXPECT_EQ(abort.status, 204);
  EXPECT_EQ(Run("DELETE", "/cpb/dst?uploadId=" + uid).Code(), "NoSuchUpload");

  std::string ck = Create("/cpb/ck", {{"x-amz-checksum-algorithm", "SHA256"}});
  auto part = Run("PUT", "/cpb/ck?partNumber=1&uploadId=" + ck, {}, "abc");
  EXPECT_EQ(part.Header("x-amz-checksum-sha256"), Base64Encode(Sha256("abc")));
  auto list = Run("GET", "/cpb/ck?uploadId=" + ck);
  EXPECT_NE(list.body.find("<ChecksumSHA256>"), std::string::npos);
  EXPECT_NE(list.body.find("<ChecksumAlgorithm>SHA256</ChecksumAlgorithm>"), std::string::npos);
  auto done = Run("POST", "/cpb/ck?uploadId=" + ck, {}, CompleteDoc({{1, part.Header("ETag")}}));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("<ChecksumSHA256>" + Base64Encode(Sha256(Sha256("abc"))) + "-1"),
            std::string::npos)
      << done.body;
  EXPECT_EQ(Run("POST", "/cpb/x?uploads", {{"x-amz-checksum-algorithm", "MD4"}}).Code(),
            "InvalidRequest");
}

}  // namespace
}  // namespace maxiofs::s3
