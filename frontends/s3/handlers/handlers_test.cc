// Handler tests against a real engine in a temp dir (no mock engine, no socket): requests go
// through the router and Dispatch exactly as the service runs them, minus authentication.
#include "digest.h"
#include "encoding.h"
#include "handlers/handlers_test_fixture.h"
#include "xml/xml_parser.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;

TEST_F(HandlersTest, BucketLifecycle) {
  EXPECT_EQ(Run("PUT", "/bucket-one").status, 200);
  auto again = Run("PUT", "/bucket-one");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "BucketAlreadyOwnedByYou");
  auto invalid = Run("PUT", "/Bad_Name");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.Code(), "InvalidBucketName");

  auto list = Run("GET", "/");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("<Name>bucket-one</Name>"), std::string::npos);
  EXPECT_NE(list.body.find("<CreationDate>"), std::string::npos);

  EXPECT_EQ(Run("HEAD", "/bucket-one").status, 200);
  EXPECT_EQ(Run("HEAD", "/missing-bucket").status, 404);
  auto loc = Run("GET", "/bucket-one?location");
  EXPECT_EQ(loc.status, 200);
  EXPECT_NE(loc.body.find("<LocationConstraint"), std::string::npos);
  EXPECT_EQ(Run("GET", "/missing-bucket?location").Code(), "NoSuchBucket");
  auto ver = Run("GET", "/bucket-one?versioning");
  EXPECT_EQ(ver.status, 200);
  EXPECT_NE(ver.body.find("VersioningConfiguration"), std::string::npos);
  EXPECT_EQ(ver.body.find("<Status>"), std::string::npos);
  EXPECT_EQ(Run("PUT", "/bucket-one?versioning", {}, "<x/>").Code(), "MalformedXML");
  EXPECT_EQ(Run("GET", "/bucket-one?cors").Code(), "NoSuchCORSConfiguration");
  EXPECT_EQ(Run("GET", "/bucket-one?lifecycle").Code(), "NoSuchLifecycleConfiguration");

  ASSERT_EQ(Run("PUT", "/bucket-one/k", {}, "data").status, 200);
  auto not_empty = Run("DELETE", "/bucket-one");
  EXPECT_EQ(not_empty.status, 409);
  EXPECT_EQ(not_empty.Code(), "BucketNotEmpty");
  EXPECT_EQ(Run("DELETE", "/bucket-one/k").status, 204);
  EXPECT_EQ(Run("DELETE", "/bucket-one").status, 204);
  EXPECT_EQ(Run("DELETE", "/bucket-one").Code(), "NoSuchBucket");
}

TEST_F(HandlersTest, CreateBucketConfiguration) {
  const std::string ok =
      "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>";
  EXPECT_EQ(Run("PUT", "/cfg-bucket", {}, ok).status, 200);
  auto bad = Run("PUT", "/cfg-bucket2", {}, "<CreateBucketConfiguration><Loc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Code(), "MalformedXML");
  auto wrong_root = Run("PUT", "/cfg-bucket2", {}, "<Foo/>");
  EXPECT_EQ(wrong_root.Code(), "MalformedXML");
  auto region = Run("PUT", "/cfg-bucket2", {},
                    "<CreateBucketConfiguration><LocationConstraint>eu-west-1"
                    "</LocationConstraint></CreateBucketConfiguration>");
  EXPECT_EQ(region.Code(), "IllegalLocationConstraintException");
  EXPECT_EQ(Run("HEAD", "/cfg-bucket2").status, 404);  // nothing was created
  EXPECT_EQ(Run("PUT", "/lock-bucket", {{"x-amz-bucket-object-lock-enabled", "true"}}).status, 200);
  EXPECT_EQ(Run("PUT", "/lock-bucket2", {{"x-amz-bucket-object-lock-enabled", "maybe"}}).Code(),
            "InvalidArgument");
}

TEST_F(HandlersTest, PutGetHead) {
  MakeBucket("objects");
  const std::string body = "hello, world: the quick brown fox jumps over the lazy dog";
  auto put = Run("PUT", "/objects/dir/key.txt",
                 {{"content-type", "text/plain"},
                  {"x-amz-meta-color", "blue"},
                  {"content-md5", ContentMd5(body)},
                  {"cache-control", "max-age=60"}},
                 body);
  ASSERT_EQ(put.status, 200) << put.body;
  std::string etag = "\"" + HexEncode(Md5(body)) + "\"";
  EXPECT_EQ(put.Header("ETag"), etag);

  auto get = Run("GET", "/objects/dir/key.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, body);
  EXPECT_EQ(get.Header("ETag"), etag);
  EXPECT_EQ(get.Header("Content-Type"), "text/plain");
  EXPECT_EQ(get.Header("x-amz-meta-color"), "blue");
  EXPECT_EQ(get.Header("Cache-Control"), "max-age=60");
  EXPECT_EQ(get.Header("Accept-Ranges"), "bytes");
  EXPECT_NE(get.Header("Last-Modified").find("GMT"), std::string::npos);
  EXPECT_EQ(get.content_length, body.size());

  auto head = Run("HEAD", "/objects/dir/key.txt");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_length, body.size());
  EXPECT_EQ(head.Header("ETag"), etag);

  auto range = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=7-11"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, "world");
  EXPECT_EQ(range.Header("Content-Range"), "bytes 7-11/" + std::to_string(body.size()));
  auto suffix = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=-3"}});
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, "dog");
  auto from = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=50-"}});
  EXPECT_EQ(from.body, body.substr(50));
  auto past = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=1000-2000"}});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.Code(), "InvalidRange");
  EXPECT_EQ(past.Header("Content-Range"), "bytes */" + std::to_string(body.size()));
  auto multi = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=0-1,3-4"}});
  EXPECT_EQ(multi.status, 200);
  EXPECT_EQ(multi.body, body);
  auto garbage = Run("GET", "/objects/dir/key.txt", {{"range", "bytes=zz"}});
  EXPECT_EQ(garbage.status, 200);
  auto head_range = Run("HEAD", "/objects/dir/key.txt", {{"range", "bytes=0-4"}});
  EXPECT_EQ(head_range.status, 206);
  EXPECT_EQ(head_range.content_length, 5u);
  EXPECT_TRUE(head_range.body.empty());

  EXPECT_EQ(Run("GET", "/objects/dir/key.txt", {{"if-none-match", etag}}).status, 304);
  auto nm = Run("HEAD", "/objects/dir/key.txt", {{"if-none-match", etag}});
  EXPECT_EQ(nm.status, 304);
  EXPECT_EQ(nm.Header("ETag"), etag);
  EXPECT_EQ(Run("GET", "/objects/dir/key.txt", {{"if-match", "\"nope\""}}).status, 412);
  EXPECT_EQ(Run("GET", "/objects/dir/key.txt", {{"if-match", etag}}).status, 200);
  EXPECT_EQ(
      Run("GET", "/objects/dir/key.txt", {{"if-unmodified-since", "Thu, 01 Jan 1970 00:00:00 GMT"}})
          .status,
      412);

  auto over = Run("GET",
                  "/objects/dir/key.txt?response-content-type=application/x-test"
                  "&response-content-disposition=attachment");
  EXPECT_EQ(over.Header("Content-Type"), "application/x-test");
  EXPECT_EQ(over.Header("Content-Disposition"), "attachment");

  auto missing = Run("GET", "/objects/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Code(), "NoSuchKey");
  EXPECT_EQ(Run("GET", "/nobucket/nope").Code(), "NoSuchBucket");
  auto head_missing = Run("HEAD", "/objects/nope");
  EXPECT_EQ(head_missing.status, 404);
  EXPECT_TRUE(head_missing.body.empty());
  EXPECT_EQ(Run("GET", "/objects/dir/key.txt?versionId=null").status, 200);
  EXPECT_EQ(Run("GET", "/objects/dir/key.txt?versionId=abc").status, 400);  // malformed id
  EXPECT_EQ(Run("GET", "/objects/dir/key.txt?torrent").status, 501);
}

TEST_F(HandlersTest, PutValidation) {
  MakeBucket("validate");
  auto no_len = Run("PUT", "/validate/k", {{"x-test-no-length", "1"}}, "");
  EXPECT_EQ(no_len.status, 411);
  EXPECT_EQ(no_len.Code(), "MissingContentLength");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"content-md5", "notbase64!"}}, "x").Code(),
            "InvalidDigest");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"content-md5", Base64Encode("short")}}, "x").Code(),
            "InvalidDigest");
  auto bad = Run("PUT", "/validate/k", {{"content-md5", ContentMd5("other")}}, "data");
  EXPECT_EQ(bad.Code(), "BadDigest");
  EXPECT_EQ(Run("GET", "/validate/k").status, 404);
  EXPECT_EQ(Run("PUT", "/validate/" + std::string(1025, 'k'), {}, "x").Code(), "KeyTooLongError");
  EXPECT_EQ(Run("PUT", "/validate/" + std::string(1024, 'k'), {}, "x").status, 200);
  EXPECT_EQ(Run("PUT", "/validate/bad%FFutf8", {}, "x").status, 400);
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-storage-class", "NOPE"}}, "x").Code(),
            "InvalidStorageClass");
  // SSE-S3 needs a master key (this engine has none); an unknown mode is refused.
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-server-side-encryption", "AES256"}}, "x").Code(),
            "InvalidRequest");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-server-side-encryption", "bogus"}}, "x").Code(),
            "InvalidArgument");
  // SSE-C over plain HTTP is refused unless allowed.
  EXPECT_EQ(
      Run("PUT", "/validate/k",
          {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
           {"x-amz-server-side-encryption-customer-key", Base64Encode(std::string(32, 'k'))},
           {"x-amz-server-side-encryption-customer-key-md5", ContentMd5(std::string(32, 'k'))}},
          "x")
          .Code(),
      "InvalidRequest");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-acl", "public-read"}}, "x").status, 200);
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-acl", "no-such-acl"}}, "x").status, 400);
  // Grant headers: an unknown canonical id, a bad list, and both kinds of ACL are refused.
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-grant-read", "id=\"x\""}}, "x").Code(),
            "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-grant-read", "nick=\"x\""}}, "x").Code(),
            "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-grant-read", "emailAddress=\"a@b\""}}, "x").Code(),
            "UnresolvableGrantByEmailAddress");
  EXPECT_EQ(Run("PUT", "/validate/k",
                {{"x-amz-acl", "private"},
                 {"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""}},
                "x")
                .Code(),
            "InvalidRequest");
  EXPECT_EQ(Run("PUT", "/validate/k",
                {{"x-amz-grant-read",
                  "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", uri=\"http://acs."
                  "amazonaws.com/groups/global/AuthenticatedUsers\""}},
                "x")
                .status,
            200);
  EXPECT_EQ(Run("PUT", "/validate/k", {{"x-amz-acl", "private"}}, "x").status, 200);
  EXPECT_EQ(Run("PUT", "/nobucket/k", {}, "x").Code(), "NoSuchBucket");

  // Conditional writes.
  EXPECT_EQ(Run("PUT", "/validate/cond", {{"if-none-match", "*"}}, "1").status, 200);
  EXPECT_EQ(Run("PUT", "/validate/cond", {{"if-none-match", "*"}}, "2").status, 412);
  EXPECT_EQ(Run("PUT", "/validate/cond", {{"if-match", "\"bogus\""}}, "2").status, 412);
  EXPECT_EQ(Run("PUT", "/validate/absent", {{"if-match", "\"bogus\""}}, "2").status, 404);
  EXPECT_EQ(Run("GET", "/validate/cond").body, "1");

  // An abandoned upload leaves nothing behind.
  Run("PUT", "/validate/abandoned", {}, std::string(1000, 'z'), /*abandon=*/true);
  EXPECT_EQ(Run("GET", "/validate/abandoned").status, 404);
  // Zero-byte object.
  EXPECT_EQ(Run("PUT", "/validate/empty", {}, "").status, 200);
  auto empty = Run("GET", "/validate/empty");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
}

TEST_F(HandlersTest, Checksums) {
  MakeBucket("sums");
  const std::string body = "123456789";
  std::string crc32 = Base64Encode(ComputeChecksum(engine::ChecksumAlgorithm::kCRC32, body));
  EXPECT_EQ(HexEncode(ComputeChecksum(engine::ChecksumAlgorithm::kCRC32, body)), "cbf43926");
  EXPECT_EQ(HexEncode(ComputeChecksum(engine::ChecksumAlgorithm::kCRC32C, body)), "e3069283");
  auto put = Run("PUT", "/sums/k", {{"x-amz-checksum-crc32", crc32}}, body);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Header("x-amz-checksum-crc32"), crc32);
  EXPECT_FALSE(Run("GET", "/sums/k").HasHeader("x-amz-checksum-crc32"));
  EXPECT_EQ(
      Run("GET", "/sums/k", {{"x-amz-checksum-mode", "ENABLED"}}).Header("x-amz-checksum-crc32"),
      crc32);
  auto wrong =
      Run("PUT", "/sums/k2", {{"x-amz-checksum-crc32", Base64Encode(std::string(4, '\0'))}}, body);
  EXPECT_EQ(wrong.Code(), "BadDigest");
  auto malformed = Run("PUT", "/sums/k2", {{"x-amz-checksum-crc32", "AAAA"}}, body);
  EXPECT_EQ(malformed.Code(), "InvalidRequest");
  auto two =
      Run("PUT", "/sums/k2", {{"x-amz-checksum-crc32", crc32}, {"x-amz-checksum-sha1", "x"}}, body);
  EXPECT_EQ(two.status, 400);
  auto sdk = Run("PUT", "/sums/k3", {{"x-amz-sdk-checksum-algorithm", "SHA256"}}, body);
  ASSERT_EQ(sdk.status, 200);
  EXPECT_EQ(sdk.Header("x-amz-checksum-sha256"), Base64Encode(Sha256(body)));
  EXPECT_EQ(Run("PUT", "/sums/k4", {{"x-amz-sdk-checksum-algorithm", "MD4"}}, body).status, 400);
}

TEST_F(HandlersTest, DeleteObjects) {
  MakeBucket("multi");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Run("PUT", "/multi/k" + std::to_string(i), {}, "x").status, 200);
  }
  std::string doc =
      "<Delete><Object><Key>k0</Key></Object><Object><Key>k1</Key></Object>"
      "<Object><Key>absent</Key></Object><Object><Key>k2</Key><VersionId>v9</VersionId>"
      "</Object></Delete>";
  auto no_md5 = Run("POST", "/multi?delete", {}, doc);
  EXPECT_EQ(no_md5.status, 400);
  EXPECT_EQ(no_md5.Code(), "InvalidRequest");
  EXPECT_EQ(Run("POST", "/multi?delete", {{"content-md5", ContentMd5("x")}}, doc).Code(),
            "BadDigest");
  auto r = Run("POST", "/multi?delete", {{"content-md5", ContentMd5(doc)}}, doc);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Deleted><Key>k0</Key></Deleted>"), std::string::npos);
  EXPECT_NE(r.body.find("<Deleted><Key>absent</Key></Deleted>"), std::string::npos);
  EXPECT_NE(r.body.find("<Code>InvalidArgument</Code>"), std::string::npos);  // malformed id
  EXPECT_EQ(Run("GET", "/multi/k0").status, 404);
  EXPECT_EQ(Run("GET", "/multi/k2").status, 200);

  std::string quiet = "<Delete><Quiet>true</Quiet><Object><Key>k3</Key></Object></Delete>";
  std::string crc = Base64Encode(ComputeChecksum(engine::ChecksumAlgorithm::kCRC32, quiet));
  auto q = Run("POST", "/multi?delete", {{"x-amz-checksum-crc32", crc}}, quiet);
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_EQ(q.body.find("<Deleted>"), std::string::npos);
  EXPECT_EQ(Run("GET", "/multi/k3").status, 404);

  std::string many = "<Delete>";
  for (int i = 0; i < 1001; ++i) many += "<Object><Key>x" + std::to_string(i) + "</Key></Object>";
  many += "</Delete>";
  EXPECT_EQ(Run("POST", "/multi?delete", {{"content-md5", ContentMd5(many)}}, many).Code(),
            "MalformedXML");
  for (std::string bad :
       {"<Delete></Delete>", "<Delete><Object/></Delete>", "<Nope/>",
        "<Delete><Object><Key>a</Key>", "<Delete><Quiet>maybe</Quiet></Delete>"}) {
    EXPECT_EQ(Run("POST", "/multi?delete", {{"content-md5", ContentMd5(bad)}}, bad).Code(),
              "MalformedXML")
        << bad;
  }
  EXPECT_EQ(Run("POST", "/nobucket?delete", {{"content-md5", ContentMd5(doc)}}, doc).Code(),
            "NoSuchBucket");
}

TEST_F(HandlersTest, CopyObject) {
  MakeBucket("src");
  MakeBucket("dst");
  ASSERT_EQ(Run("PUT", "/src/a b", {{"content-type", "text/x-a"}, {"x-amz-meta-m", "1"}}, "copy me")
                .status,
            200);
  auto copy = Run("PUT", "/dst/copied", {{"x-amz-copy-source", "/src/a%20b"}});
  ASSERT_EQ(copy.status, 200) << copy.body;
  EXPECT_NE(copy.body.find("<CopyObjectResult"), std::string::npos);
  EXPECT_NE(copy.body.find("<ETag>&quot;"), std::string::npos);
  auto got = Run("GET", "/dst/copied");
  EXPECT_EQ(got.body, "copy me");
  EXPECT_EQ(got.Header("Content-Type"), "text/x-a");
  EXPECT_EQ(got.Header("x-amz-meta-m"), "1");

  auto replaced = Run("PUT", "/dst/replaced",
                      {{"x-amz-copy-source", "src/a%20b?versionId=null"},
                       {"x-amz-metadata-directive", "REPLACE"},
                       {"content-type", "text/x-b"}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  auto r = Run("HEAD", "/dst/replaced");
  EXPECT_EQ(r.Header("Content-Type"), "text/x-b");
  EXPECT_FALSE(r.HasHeader("x-amz-meta-m"));

  EXPECT_EQ(Run("PUT", "/dst/x", {{"x-amz-copy-source", "/src/a%20b?versionId=zzz"}}).Code(),
            "InvalidArgument");  // a malformed version id
  EXPECT_EQ(Run("PUT", "/dst/x", {{"x-amz-copy-source", "/src"}}).Code(), "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/dst/x", {{"x-amz-copy-source", "/src/missing"}}).Code(), "NoSuchKey");
  EXPECT_EQ(Run("PUT", "/dst/x",
                {{"x-amz-copy-source", "/src/a%20b"}, {"x-amz-metadata-directive", "MOVE"}})
                .Code(),
            "InvalidArgument");
  EXPECT_EQ(
      Run("PUT", "/dst/x",
          {{"x-amz-copy-source", "/src/a%20b"}, {"x-amz-copy-source-if-match", "\"nomatch\""}})
          .status,
      412);
  EXPECT_EQ(Run("PUT", "/dst/x",
                {{"x-amz-copy-source", "/src/a%20b"},
                 {"x-amz-copy-source-if-none-match", got.Header("ETag")}})
                .status,
            412);
  // Copy onto itself without REPLACE changes nothing: InvalidRequest.
  EXPECT_EQ(Run("PUT", "/src/a%20b", {{"x-amz-copy-source", "/src/a%20b"}}).Code(),
            "InvalidRequest");
}

TEST_F(HandlersTest, ListObjects) {
  MakeBucket("listing");
  for (std::string k : {"a/1", "a/2", "b/1", "c", "d e", "f&g"}) {
    ASSERT_EQ(Run("PUT", "/listing/" + PercentEncode(k, true), {}, "x").status, 200);
  }
  auto all = Run("GET", "/listing?list-type=2");
  ASSERT_EQ(all.status, 200);
  EXPECT_NE(all.body.find("<KeyCount>6</KeyCount>"), std::string::npos);
  EXPECT_NE(all.body.find("<Key>f&amp;g</Key>"), std::string::npos);
  EXPECT_EQ(all.body.find("<Owner>"), std::string::npos);
  EXPECT_NE(Run("GET", "/listing?list-type=2&fetch-owner=true").body.find("<Owner>"),
            std::string::npos);

  auto delim = Run("GET", "/listing?list-type=2&delimiter=/");
  EXPECT_NE(delim.body.find("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"),
            std::string::npos);
  EXPECT_NE(delim.body.find("<KeyCount>5</KeyCount>"), std::string::npos);

  auto prefix = Run("GET", "/listing?list-type=2&prefix=a/");
  EXPECT_NE(prefix.body.find("<KeyCount>2</KeyCount>"), std::string::npos);

  // Paginate with continuation tokens.
  std::vector<std::string> keys;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/listing?list-type=2&max-keys=2";
    if (!token.empty()) target += "&continuation-token=" + PercentEncode(token, false);
    auto r = Run("GET", target);
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = ParseXml(r.body);
    ASSERT_TRUE(doc.has_value());
    for (const auto& c : doc->children) {
      if (c.name == "Contents") keys.push_back(c.Child("Key")->text);
    }
    if (doc->Child("IsTruncated")->text != "true") break;
    token = doc->Child("NextContinuationToken")->text;
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"a/1", "a/2", "b/1", "c", "d e", "f&g"}));

  auto v1 = Run("GET", "/listing?max-keys=1&delimiter=/");
  EXPECT_NE(v1.body.find("<NextMarker>"), std::string::npos);
  auto v1nodelim = Run("GET", "/listing?max-keys=1");
  EXPECT_NE(v1nodelim.body.find("<Owner>"), std::string::npos);
  EXPECT_EQ(v1nodelim.body.find("<NextMarker>"), std::string::npos);
  EXPECT_NE(v1nodelim.body.find("<IsTruncated>true</IsTruncated>"), std::string::npos);
  auto marker = Run("GET", "/listing?marker=c");
  EXPECT_EQ(marker.body.find("<Key>c</Key>"), std::string::npos);
  EXPECT_NE(marker.body.find("<Key>d e</Key>"), std::string::npos);

  auto url = Run("GET", "/listing?list-type=2&encoding-type=url&prefix=d");
  EXPECT_NE(url.body.find("<Key>d%20e</Key>"), std::string::npos);
  EXPECT_NE(url.body.find("<EncodingType>url</EncodingType>"), std::string::npos);

  EXPECT_EQ(Run("GET", "/listing?max-keys=abc").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/listing?max-keys=-1").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/listing?encoding-type=xml").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/listing?list-type=2&continuation-token=%25%25").Code(), "InvalidArgument");
  auto zero = Run("GET", "/listing?list-type=2&max-keys=0");
  EXPECT_EQ(zero.status, 200);
  EXPECT_NE(zero.body.find("<KeyCount>0</KeyCount>"), std::string::npos);
  EXPECT_EQ(Run("GET", "/nobucket?list-type=2").Code(), "NoSuchBucket");
  EXPECT_EQ(Run("GET", "/nobucket?list-type=2&max-keys=0").Code(), "NoSuchBucket");
  auto after = Run("GET", "/listing?list-type=2&start-after=c");
  EXPECT_NE(after.body.find("<StartAfter>c</StartAfter>"), std::string::npos);
  EXPECT_EQ(after.body.find("<Key>c</Key>"), std::string::npos);
}

// A bucket quota: S3 answers 403 QuotaExceeded (MinIO's code) and stores nothing.
TEST_F(HandlersTest, QuotaExceeded) {
  ASSERT_EQ(Run("PUT", "/quota-bucket").status, 200);
  ASSERT_TRUE(engine_->PutBucketQuota("quota-bucket", {10, 0}).ok());
  ASSERT_EQ(Run("PUT", "/quota-bucket/fits", {}, "0123456789").status, 200);
  auto refused = Run("PUT", "/quota-bucket/over", {}, "x");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Code(), "QuotaExceeded");
  EXPECT_EQ(Run("HEAD", "/quota-bucket/over").status, 404);
  auto copy = Run("PUT", "/quota-bucket/copy", {{"x-amz-copy-source", "/quota-bucket/fits"}});
  EXPECT_EQ(copy.status, 403);
  EXPECT_EQ(copy.Code(), "QuotaExceeded");
  // Overwriting with as many bytes fits (the old version goes); deleting always works.
  EXPECT_EQ(Run("PUT", "/quota-bucket/fits", {}, "abcdefghij").status, 200);
  EXPECT_EQ(Run("DELETE", "/quota-bucket/fits").status, 204);
  EXPECT_EQ(Run("PUT", "/quota-bucket/over", {}, "x").status, 200);
}

TEST_F(HandlersTest, BucketCors) {
  MakeBucket("cors-bucket");
  const std::string doc =
      "<CORSConfiguration><CORSRule><ID>r1</ID><AllowedMethod>GET</AllowedMethod>"
      "<AllowedOrigin>https://*.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>"
      "<MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>";
  auto none = Run("GET", "/cors-bucket?cors");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.Code(), "NoSuchCORSConfiguration");
  // Content-MD5 (or a checksum) is required, and checked.
  auto no_md5 = Run("PUT", "/cors-bucket?cors", {}, doc);
  EXPECT_EQ(no_md5.status, 400);
  EXPECT_EQ(no_md5.Code(), "InvalidRequest");
  EXPECT_EQ(Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5("other")}}, doc).Code(),
            "BadDigest");
  EXPECT_EQ(Run("GET", "/cors-bucket?cors").status, 404);  // nothing stored
  ASSERT_EQ(Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5(doc)}}, doc).status, 200);
  auto got = Run("GET", "/cors-bucket?cors");
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("<CORSRule><ID>r1</ID><AllowedMethod>GET</AllowedMethod>"
                          "<AllowedOrigin>https://*.example.com</AllowedOrigin>"
                          "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds>"
                          "</CORSRule>"),
            std::string::npos)
      << got.body;

  // A rule S3 refuses: the engine's message names it; the stored rules stay.
  const std::string bad =
      "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*"
      "</AllowedOrigin></CORSRule><CORSRule><ID>x</ID><AllowedMethod>PATCH</AllowedMethod>"
      "<AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>";
  auto refused = Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5(bad)}}, bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.Code(), "InvalidRequest");
  EXPECT_NE(refused.body.find("CORS rule 2 (ID &quot;x&quot;)"), std::string::npos) << refused.body;
  EXPECT_EQ(Run("GET", "/cors-bucket?cors").body, got.body);
  const std::string malformed = "<CORSConfiguration><CORSRule>";
  EXPECT_EQ(
      Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5(malformed)}}, malformed).Code(),
      "MalformedXML");
  EXPECT_EQ(Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5("")}}, "").Code(),
            "MalformedXML");
  const std::string huge(70 * 1024, 'x');
  EXPECT_EQ(Run("PUT", "/cors-bucket?cors", {{"content-md5", ContentMd5(huge)}}, huge).Code(),
            "MalformedXML");

  EXPECT_EQ(Run("DELETE", "/cors-bucket?cors").status, 204);
  EXPECT_EQ(Run("GET", "/cors-bucket?cors").Code(), "NoSuchCORSConfiguration");
  EXPECT_EQ(Run("DELETE", "/cors-bucket?cors").status, 204);
  EXPECT_EQ(Run("GET", "/no-bucket?cors").Code(), "NoSuchBucket");
  EXPECT_EQ(Run("PUT", "/no-bucket?cors", {{"content-md5", ContentMd5(doc)}}, doc).Code(),
            "NoSuchBucket");
  EXPECT_EQ(Run("DELETE", "/no-bucket?cors").Code(), "NoSuchBucket");
}

TEST_F(HandlersTest, Health) {
  auto live = Run("GET", "/_maxiofs/health/live");
  EXPECT_EQ(live.status, 200);
  auto ready = Run("HEAD", "/_maxiofs/health/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_TRUE(ready.body.empty());
}

}  // namespace
}  // namespace maxiofs::s3
