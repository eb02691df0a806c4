#include "router.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

HttpRequest Req(std::string method, std::string target, std::string host = "localhost:8080",
                HeaderList extra = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace_back("host", std::move(host));
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return r;
}

S3Op OpOf(const HttpRequest& r, const RouterOptions& o = {}) {
  auto route = RouteRequest(r, o);
  EXPECT_TRUE(route.has_value()) << r.method << " " << r.target;
  return route.has_value() ? route.value().op : S3Op::kNotImplemented;
}

TEST(Router, ServiceAndBuckets) {
  EXPECT_EQ(OpOf(Req("GET", "/")), S3Op::kListBuckets);
  EXPECT_EQ(OpOf(Req("PUT", "/b")), S3Op::kCreateBucket);
  EXPECT_EQ(OpOf(Req("PUT", "/b/")), S3Op::kCreateBucket);
  EXPECT_EQ(OpOf(Req("DELETE", "/b")), S3Op::kDeleteBucket);
  EXPECT_EQ(OpOf(Req("HEAD", "/b")), S3Op::kHeadBucket);
  EXPECT_EQ(OpOf(Req("GET", "/b")), S3Op::kListObjectsV1);
  EXPECT_EQ(OpOf(Req("GET", "/b?list-type=2&prefix=x")), S3Op::kListObjectsV2);
  EXPECT_EQ(OpOf(Req("GET", "/b?location")), S3Op::kGetBucketLocation);
  EXPECT_EQ(OpOf(Req("GET", "/b?versioning")), S3Op::kGetBucketVersioning);
  EXPECT_EQ(OpOf(Req("PUT", "/b?versioning")), S3Op::kPutBucketVersioning);
  EXPECT_EQ(OpOf(Req("POST", "/b?delete")), S3Op::kDeleteObjects);
  EXPECT_EQ(OpOf(Req("GET", "/b?versions&prefix=a")), S3Op::kListObjectVersions);
  EXPECT_EQ(OpOf(Req("GET", "/b?uploads")), S3Op::kListMultipartUploads);
  EXPECT_EQ(OpOf(Req("GET", "/b?object-lock")), S3Op::kGetObjectLockConfiguration);
  EXPECT_EQ(OpOf(Req("PUT", "/b?object-lock")), S3Op::kPutObjectLockConfiguration);
  EXPECT_FALSE(RouteRequest(Req("DELETE", "/b?versions"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("POST", "/b?object-lock"), {}).has_value());
  EXPECT_EQ(OpOf(Req("GET", "/b?encryption")), S3Op::kGetBucketEncryption);
  EXPECT_EQ(OpOf(Req("PUT", "/b?encryption")), S3Op::kPutBucketEncryption);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?encryption")), S3Op::kDeleteBucketEncryption);
  EXPECT_EQ(OpOf(Req("GET", "/b?lifecycle")), S3Op::kGetBucketLifecycle);
  EXPECT_EQ(OpOf(Req("PUT", "/b?lifecycle")), S3Op::kPutBucketLifecycle);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?lifecycle")), S3Op::kDeleteBucketLifecycle);
  EXPECT_EQ(OpOf(Req("GET", "/b?tagging")), S3Op::kGetBucketTagging);
  EXPECT_EQ(OpOf(Req("GET", "/b?ownershipControls")), S3Op::kGetBucketOwnershipControls);
  EXPECT_EQ(OpOf(Req("PUT", "/b?ownershipControls")), S3Op::kPutBucketOwnershipControls);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?ownershipControls")), S3Op::kDeleteBucketOwnershipControls);
  EXPECT_EQ(OpOf(Req("PUT", "/b?tagging")), S3Op::kPutBucketTagging);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?tagging")), S3Op::kDeleteBucketTagging);
  EXPECT_FALSE(RouteRequest(Req("POST", "/b?tagging"), {}).has_value());
  EXPECT_EQ(OpOf(Req("GET", "/b?cors")), S3Op::kGetBucketCors);
  EXPECT_EQ(OpOf(Req("PUT", "/b?cors")), S3Op::kPutBucketCors);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?cors")), S3Op::kDeleteBucketCors);
  EXPECT_FALSE(RouteRequest(Req("POST", "/b?cors"), {}).has_value());
  // Preflights, on every kind of resource and whatever the query.
  EXPECT_EQ(OpOf(Req("OPTIONS", "/")), S3Op::kCorsPreflight);
  EXPECT_EQ(OpOf(Req("OPTIONS", "/b")), S3Op::kCorsPreflight);
  EXPECT_EQ(OpOf(Req("OPTIONS", "/b/k/x?uploads")), S3Op::kCorsPreflight);
  EXPECT_EQ(OpOf(Req("OPTIONS", "/b?cors")), S3Op::kCorsPreflight);
  EXPECT_EQ(OpOf(Req("PUT", "/b?policy")), S3Op::kPutBucketPolicy);
  EXPECT_EQ(OpOf(Req("GET", "/b?policy")), S3Op::kGetBucketPolicy);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?policy")), S3Op::kDeleteBucketPolicy);
  EXPECT_EQ(OpOf(Req("GET", "/b?policyStatus")), S3Op::kGetBucketPolicyStatus);
  EXPECT_EQ(OpOf(Req("GET", "/b?acl")), S3Op::kGetBucketAcl);
  EXPECT_EQ(OpOf(Req("PUT", "/b?acl")), S3Op::kPutBucketAcl);
  EXPECT_EQ(OpOf(Req("PUT", "/b?publicAccessBlock")), S3Op::kPutPublicAccessBlock);
  EXPECT_EQ(OpOf(Req("GET", "/b?publicAccessBlock")), S3Op::kGetPublicAccessBlock);
  EXPECT_EQ(OpOf(Req("DELETE", "/b?publicAccessBlock")), S3Op::kDeletePublicAccessBlock);
  EXPECT_FALSE(RouteRequest(Req("DELETE", "/b?acl"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("PUT", "/b?policyStatus"), {}).has_value());
}

TEST(Router, IamQuery) {
  HeaderList form = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
  EXPECT_EQ(OpOf(Req("POST", "/", "localhost", form)), S3Op::kIamQuery);
  // Without the form content type, POST / is not an operation.
  EXPECT_FALSE(RouteRequest(Req("POST", "/"), {}).has_value());
  // A virtual-hosted POST / is a bucket POST, never the IAM API.
  RouterOptions o;
  o.virtual_host_domains = {"s3.example.com"};
  auto vhost = RouteRequest(Req("POST", "/", "b.s3.example.com", form), o);
  ASSERT_FALSE(vhost.has_value());
  EXPECT_EQ(vhost.error().code, S3ErrorCode::kPreconditionFailed);
}

TEST(Router, PostObject) {
  HeaderList multipart = {{"content-type", "Multipart/Form-Data; boundary=xyz"}};
  EXPECT_EQ(OpOf(Req("POST", "/b", "localhost", multipart)), S3Op::kPostObject);
  EXPECT_EQ(OpOf(Req("POST", "/b/", "localhost", multipart)), S3Op::kPostObject);
  RouterOptions o;
  o.virtual_host_domains = {"s3.example.com"};
  EXPECT_EQ(OpOf(Req("POST", "/", "b.s3.example.com", multipart), o), S3Op::kPostObject);
  // S3 answers 412 for a bucket POST of another enclosure type.
  auto plain = RouteRequest(Req("POST", "/b", "localhost", {{"content-type", "text/plain"}}), {});
  ASSERT_FALSE(plain.has_value());
  EXPECT_EQ(plain.error().code, S3ErrorCode::kPreconditionFailed);
  EXPECT_FALSE(RouteRequest(Req("POST", "/b"), {}).has_value());
}

TEST(Router, Objects) {
  auto r = RouteRequest(Req("GET", "/b/dir/a%20b%2Bc+d"), {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().op, S3Op::kGetObject);
  EXPECT_EQ(r.value().bucket, "b");
  EXPECT_EQ(r.value().key, "dir/a b+c+d");
  EXPECT_EQ(r.value().Resource(), "/b/dir/a b+c+d");
  EXPECT_EQ(OpOf(Req("HEAD", "/b/k")), S3Op::kHeadObject);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k")), S3Op::kPutObject);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k", "h", {{"x-amz-copy-source", "/a/b"}})), S3Op::kCopyObject);
  EXPECT_EQ(OpOf(Req("DELETE", "/b/k")), S3Op::kDeleteObject);
  EXPECT_EQ(OpOf(Req("POST", "/b/k?uploads")), S3Op::kCreateMultipartUpload);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?partNumber=1&uploadId=x")), S3Op::kUploadPart);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?partNumber=1&uploadId=x", "h", {{"x-amz-copy-source", "a/b"}})),
            S3Op::kUploadPartCopy);
  EXPECT_EQ(OpOf(Req("POST", "/b/k?uploadId=x")), S3Op::kCompleteMultipartUpload);
  EXPECT_EQ(OpOf(Req("DELETE", "/b/k?uploadId=x")), S3Op::kAbortMultipartUpload);
  EXPECT_EQ(OpOf(Req("GET", "/b/k?uploadId=x&max-parts=2")), S3Op::kListParts);
  EXPECT_EQ(OpOf(Req("GET", "/b/k?partNumber=2")), S3Op::kGetObject);
  EXPECT_EQ(OpOf(Req("HEAD", "/b/k?partNumber=2&versionId=v")), S3Op::kHeadObject);
  EXPECT_FALSE(RouteRequest(Req("PUT", "/b/k?uploadId=x"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("PUT", "/b/k?partNumber=1"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("GET", "/b/k?uploads"), {}).has_value());
  EXPECT_EQ(OpOf(Req("GET", "/b/k?retention")), S3Op::kGetObjectRetention);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?retention&versionId=v")), S3Op::kPutObjectRetention);
  EXPECT_EQ(OpOf(Req("GET", "/b/k?legal-hold")), S3Op::kGetObjectLegalHold);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?legal-hold")), S3Op::kPutObjectLegalHold);
  EXPECT_FALSE(RouteRequest(Req("DELETE", "/b/k?retention"), {}).has_value());
  for (std::string sub : {"torrent", "restore"}) {
    EXPECT_EQ(OpOf(Req("GET", "/b/k?" + sub)), S3Op::kNotImplemented) << sub;
  }
  EXPECT_EQ(OpOf(Req("GET", "/b/k?attributes&versionId=v")), S3Op::kGetObjectAttributes);
  EXPECT_EQ(OpOf(Req("GET", "/b/k?tagging")), S3Op::kGetObjectTagging);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?tagging&versionId=v")), S3Op::kPutObjectTagging);
  EXPECT_EQ(OpOf(Req("DELETE", "/b/k?tagging")), S3Op::kDeleteObjectTagging);
  EXPECT_FALSE(RouteRequest(Req("POST", "/b/k?tagging"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("DELETE", "/b/k?acl"), {}).has_value());
  EXPECT_EQ(OpOf(Req("GET", "/b/k?acl")), S3Op::kGetObjectAcl);
  EXPECT_EQ(OpOf(Req("PUT", "/b/k?acl&versionId=v")), S3Op::kPutObjectAcl);
  // Unknown parameters are ignored, as S3 does (SDKs add x-id=...).
  EXPECT_EQ(OpOf(Req("GET", "/b/k?x-id=GetObject")), S3Op::kGetObject);
  // Keys keep repeated and trailing slashes.
  auto d = RouteRequest(Req("PUT", "/b/a//b/"), {});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d.value().key, "a//b/");
}

TEST(Router, Errors) {
  auto bad = RouteRequest(Req("PATCH", "/b/k"), {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, S3ErrorCode::kMethodNotAllowed);
  EXPECT_FALSE(RouteRequest(Req("DELETE", "/"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("GET", "/b/%zz"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("GET", "/b?prefix=%"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("GET", "b/k"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("GET", "/b?list-type=3"), {}).has_value());
  EXPECT_FALSE(RouteRequest(Req("PUT", "/b?location"), {}).has_value());
}

TEST(Router, Health) {
  EXPECT_EQ(OpOf(Req("GET", "/_maxiofs/health/live")), S3Op::kHealthLive);
  EXPECT_EQ(OpOf(Req("HEAD", "/_maxiofs/health/ready")), S3Op::kHealthReady);
  EXPECT_FALSE(RouteRequest(Req("PUT", "/_maxiofs/health/live"), {}).has_value());
  // Anything else under the reserved prefix is an (invalid) bucket, not a health check.
  EXPECT_EQ(OpOf(Req("GET", "/_maxiofs/health/other")), S3Op::kGetObject);
}

TEST(Router, VirtualHost) {
  RouterOptions o;
  o.virtual_host_domains = {"s3.example.com"};
  auto r = RouteRequest(Req("GET", "/dir/key?x=1", "my.bucket.s3.example.com:9000"), o);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r.value().virtual_host);
  EXPECT_EQ(r.value().bucket, "my.bucket");
  EXPECT_EQ(r.value().key, "dir/key");
  EXPECT_EQ(r.value().op, S3Op::kGetObject);
  EXPECT_EQ(OpOf(Req("GET", "/", "b.S3.Example.com"), o), S3Op::kListObjectsV1);
  // The bare domain is path-style.
  EXPECT_EQ(OpOf(Req("GET", "/", "s3.example.com"), o), S3Op::kListBuckets);
  EXPECT_EQ(OpOf(Req("GET", "/b/k", "s3.example.com"), o), S3Op::kGetObject);
  // Virtual-hosted requests never reach the health checks.
  EXPECT_EQ(OpOf(Req("GET", "/_maxiofs/health/live", "b.s3.example.com"), o), S3Op::kGetObject);
  // A domain that merely ends with the suffix is not a match.
  auto other = RouteRequest(Req("GET", "/b/k", "evils3.example.com"), o);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other.value().virtual_host);
}

}  // namespace
}  // namespace maxiofs::s3
