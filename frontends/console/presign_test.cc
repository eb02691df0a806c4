#include "presign.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

// AWS's published example ("Authenticating Requests: Using Query Parameters", Signature
// Version 4): GET /test.txt on examplebucket, 2013-05-24T00:00:00Z, expiring in 86400 s.
TEST(PresignTest, MatchesAwsExample) {
  PresignRequest req;
  req.base_url = "https://examplebucket.s3.amazonaws.com";
  req.access_key = "AKIAIOSFODNN7EXAMPLE";
  req.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  req.region = "us-east-1";
  req.now_s = 1369353600;
  req.expires_s = 86400;
  const std::string url = PresignGetUrlForPath(req, "/test.txt");
  EXPECT_EQ(url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
            "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(PresignTest, PathStyleEncodesKeyAndAddsVersion) {
  PresignRequest req;
  req.base_url = "http://127.0.0.1:8080";
  req.bucket = "photos";
  req.key = "a dir/ü.txt";
  req.version_id = "v1";
  req.access_key = "ak";
  req.secret_key = "sk";
  req.now_s = 1369353600;
  const std::string url = PresignGetUrl(req);
  EXPECT_EQ(url.rfind("http://127.0.0.1:8080/photos/a%20dir/%C3%BC.txt?", 0), 0u) << url;
  EXPECT_NE(url.find("&versionId=v1&"), std::string::npos) << url;
  EXPECT_NE(url.find("X-Amz-Expires=3600"), std::string::npos);
}

}  // namespace
}  // namespace maxiofs::console
