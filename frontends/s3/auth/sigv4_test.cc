// SigV4 tests. Expected signatures come only from AWS's published examples
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html,
// sigv4-query-string-auth.html, sigv4-streaming.html) or from botocore 1.29 (Debian's
// python3-botocore) via testdata/gen_botocore_vectors.py; none is computed by this code.
#include "auth/sigv4.h"

#include "auth/crypto.h"
#include "auth/signing_key_cache.h"
#include "auth/test_request.h"

#include <gtest/gtest.h>

namespace maxiofs::s3::auth {
namespace {

using testing::k20130524;
using testing::kAwsAccessKey;
using testing::kAwsSecret;
using testing::OneKey;
using testing::TestRequest;

constexpr const char* kHost = "examplebucket.s3.amazonaws.com";

std::string V4Header(std::string_view signed_headers, std::string_view signature,
                     std::string_view access_key = kAwsAccessKey) {
  return "AWS4-HMAC-SHA256 Credential=" + std::string(access_key) +
         "/20130524/us-east-1/s3/aws4_request,SignedHeaders=" + std::string(signed_headers) +
         ",Signature=" + std::string(signature);
}

// "Example: GET Object" (with a Range header).
TestRequest AwsGetObject() {
  TestRequest r;
  r.method = "GET";
  r.path = "/test.txt";
  r.now_unix = k20130524;
  r.Header("host", kHost)
      .Header("range", "bytes=0-9")
      .Header("x-amz-content-sha256", std::string(kEmptySha256Hex))
      .Header("x-amz-date", "20130524T000000Z")
      .Header("authorization",
              V4Header("host;range;x-amz-content-sha256;x-amz-date",
                       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  return r;
}

// "Example: PUT Object".
TestRequest AwsPutObject(std::string path) {
  TestRequest r;
  r.method = "PUT";
  r.path = std::move(path);
  r.now_unix = k20130524;
  r.Header("host", kHost)
      .Header("date", "Fri, 24 May 2013 00:00:00 GMT")
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-storage-class", "REDUCED_REDUNDANCY")
      .Header("x-amz-content-sha256",
              "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
      .Header("authorization",
              V4Header("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                       "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
  return r;
}

// "Example: GET Bucket Lifecycle" and "Example: Get Bucket (List Objects)".
TestRequest AwsBucketGet(std::string query, std::string signature) {
  TestRequest r;
  r.method = "GET";
  r.path = "/";
  r.query = std::move(query);
  r.now_unix = k20130524;
  r.Header("host", kHost)
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-content-sha256", std::string(kEmptySha256Hex))
      .Header("authorization", V4Header("host;x-amz-content-sha256;x-amz-date", signature));
  return r;
}

S3Result<AuthResult> Verify(const TestRequest& r, const SecretLookup& secrets) {
  const AuthRequest view = r.View();
  for (const auto& [name, value] : r.headers) {
    if (name == "authorization") return VerifySigV4Header(view, value, secrets);
  }
  return VerifySigV4Query(view, ParseQuery(r.query), secrets);
}

S3Result<AuthResult> VerifyAws(const TestRequest& r) {
  return Verify(r, OneKey(kAwsAccessKey, kAwsSecret));
}

// Verify, with signing keys taken from `cache`.
S3Result<AuthResult> VerifyCached(const TestRequest& r, const SecretLookup& secrets,
                                  SigningKeyCache& cache) {
  AuthRequest view = r.View();
  view.signing_keys = &cache;
  for (const auto& [name, value] : r.headers) {
    if (name == "authorization") return VerifySigV4Header(view, value, secrets);
  }
  return VerifySigV4Query(view, ParseQuery(r.query), secrets);
}

void ExpectError(const S3Result<AuthResult>& result, S3ErrorCode code) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code) << result.error().message;
}

// The S3 client's signer (maxiofs/aws/sigv4_signer.h) and this verifier agree on keys and
// parameters that need encoding, and a changed parameter or body hash breaks the signature.
TEST(SigV4Test, ClientSignerIsAcceptedByTheVerifier) {
  const aws::SigV4Signer signer({"AKIDSIGNER", "signer/secret+key", ""}, "us-east-1");
  for (const char* key : {"/b/plain", "/b/a b/\xe2\x82\xac+x~y", "/b/dir/%percent&amp=q"}) {
    aws::RequestToSign out;
    out.method = "PUT";
    const std::string path = aws::UriEncode(key, /*encode_slash=*/false);
    out.encoded_path = path;
    out.query = {{"partNumber", "3", true}, {"uploadId", "u/p+id=", true}};
    out.headers = {{"host", "127.0.0.1:9000"}, {"content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="}};
    out.payload_hash = std::string(kEmptySha256Hex);
    signer.Sign(out, k20130524);
    TestRequest r;
    r.method = "PUT";
    r.path = path;
    r.query = "partNumber=3&uploadId=" + aws::UriEncode("u/p+id=", true);
    r.now_unix = k20130524 + 5;
    for (const auto& [n, v] : out.headers) r.Header(n, v);
    auto ok = Verify(r, OneKey("AKIDSIGNER", "signer/secret+key"));
    ASSERT_TRUE(ok.has_value()) << key << ": " << ok.error().message;
    EXPECT_EQ(ok.value().access_key, "AKIDSIGNER");
    r.query = "partNumber=4&uploadId=" + aws::UriEncode("u/p+id=", true);
    ExpectError(Verify(r, OneKey("AKIDSIGNER", "signer/secret+key")),
                S3ErrorCode::kSignatureDoesNotMatch);
  }
}

TEST(SigV4Test, CachedSigningKeysGiveTheSameVerdicts) {
  // AWS's GET Object example, verified twice through one cache (the second from the cache);
  // the wrong secret is still refused after the right one's key was cached, and the right one
  // still passes after the wrong one's.
  SigningKeyCache cache;
  ASSERT_TRUE(VerifyCached(AwsGetObject(), OneKey(kAwsAccessKey, kAwsSecret), cache).has_value());
  ASSERT_TRUE(VerifyCached(AwsGetObject(), OneKey(kAwsAccessKey, kAwsSecret), cache).has_value());
  ExpectError(VerifyCached(AwsGetObject(), OneKey(kAwsAccessKey, "wrong-secret"), cache),
              S3ErrorCode::kSignatureDoesNotMatch);
  EXPECT_TRUE(VerifyCached(AwsGetObject(), OneKey(kAwsAccessKey, kAwsSecret), cache).has_value());
  EXPECT_EQ(cache.size(), 2u);
}

// --- AWS published vectors -------------------------------------------------------------

TEST(SigV4AwsExamplesTest, GetObjectWithRange) {
  auto result = VerifyAws(AwsGetObject());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().access_key, kAwsAccessKey);
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kSignedSha256);
  EXPECT_EQ(result.value().expected_sha256, kEmptySha256Hex);
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV4Header);
  EXPECT_FALSE(result.value().chunk.has_value());
}

TEST(SigV4AwsExamplesTest, PutObjectLiteralAndEncodedDollar) {
  for (const char* path : {"/test$file.text", "/test%24file.text", "/test%24file%2etext"}) {
    auto result = VerifyAws(AwsPutObject(path));
    ASSERT_TRUE(result.has_value()) << path << ": " << result.error().message;
    EXPECT_EQ(result.value().payload_mode, PayloadMode::kSignedSha256);
    EXPECT_EQ(result.value().expected_sha256,
              "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  }
}

TEST(SigV4AwsExamplesTest, GetBucketLifecycle) {
  for (const char* q : {"lifecycle", "lifecycle="}) {
    auto result = VerifyAws(
        AwsBucketGet(q, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
    EXPECT_TRUE(result.has_value()) << q << ": " << result.error().message;
  }
}

TEST(SigV4AwsExamplesTest, ListObjects) {
  // Parameter order and equivalent encodings on the wire do not matter.
  for (const char* q : {"max-keys=2&prefix=J", "prefix=J&max-keys=2", "prefix=%4A&max-keys=2"}) {
    auto result = VerifyAws(
        AwsBucketGet(q, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
    EXPECT_TRUE(result.has_value()) << q << ": " << result.error().message;
  }
  ExpectError(
      VerifyAws(AwsBucketGet("prefix=K&max-keys=2",
                             "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")),
      S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV4AwsExamplesTest, PublishedCanonicalRequestAndStringToSign) {
  // The intermediate values AWS prints for "Example: GET Object".
  TestRequest r = AwsGetObject();
  const std::vector<std::string> names = {"host", "range", "x-amz-content-sha256", "x-amz-date"};
  const std::string creq =
      CanonicalRequest("GET", CanonicalUri(r.path, true), "", CanonicalHeaders(r.View(), names),
                       "host;range;x-amz-content-sha256;x-amz-date", kEmptySha256Hex);
  EXPECT_EQ(creq,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", creq),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TestRequest AwsPresigned() {
  TestRequest r;
  r.method = "GET";
  r.path = "/test.txt";
  r.query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-"
      "east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-"
      "SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  r.now_unix = k20130524 + 3600;
  r.Header("host", kHost);
  return r;
}

TEST(SigV4AwsExamplesTest, PresignedUrl) {
  auto result = VerifyAws(AwsPresigned());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kUnsigned);
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV4Query);
}

TEST(SigV4AwsExamplesTest, PresignedUrlTimeWindow) {
  TestRequest r = AwsPresigned();
  r.now_unix = k20130524 + 86400;  // the last valid second
  EXPECT_TRUE(VerifyAws(r).has_value());
  r.now_unix = k20130524 + 86401;
  auto expired = VerifyAws(r);
  ExpectError(expired, S3ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message, "Request has expired");
  r.now_unix = k20130524 - 15 * 60;  // dated 15 minutes ahead: still tolerated
  EXPECT_TRUE(VerifyAws(r).has_value());
  r.now_unix = k20130524 - 15 * 60 - 1;
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
}

TEST(SigV4AwsExamplesTest, StreamingSeedSignature) {
  TestRequest r;
  r.method = "PUT";
  r.path = "/examplebucket/chunkObject.txt";
  r.now_unix = k20130524;
  r.Header("host", "s3.amazonaws.com")
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-storage-class", "REDUCED_REDUNDANCY")
      .Header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
      .Header("content-encoding", "aws-chunked")
      .Header("x-amz-decoded-content-length", "66560")
      .Header("content-length", "66824")
      .Header("authorization",
              V4Header("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                       "x-amz-decoded-content-length;x-amz-storage-class",
                       "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
  auto result = VerifyAws(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kStreamingSigned);
  ASSERT_TRUE(result.value().chunk.has_value());
  const ChunkSigningContext& ctx = *result.value().chunk;
  EXPECT_EQ(ctx.amz_date, "20130524T000000Z");
  EXPECT_EQ(ctx.scope, "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(ctx.seed_signature, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  EXPECT_EQ(ctx.signing_key.size(), 32u);
  // The first chunk's signature as AWS publishes it.
  EXPECT_EQ(SignHex(ctx.signing_key,
                    ChunkStringToSign(ctx, ctx.seed_signature, Sha256Hex(std::string(65536, 'a')))),
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
}

TEST(SigV4AwsExamplesTest, StreamingTrailerSeedSignature) {
  // sigv4-streaming-trailers.html: the same upload with an x-amz-checksum-crc32c trailer.
  TestRequest r;
  r.method = "PUT";
  r.path = "/examplebucket/chunkObject.txt";
  r.now_unix = k20130524;
  r.Header("host", "s3.amazonaws.com")
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-storage-class", "REDUCED_REDUNDANCY")
      .Header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
      .Header("content-encoding", "aws-chunked")
      .Header("x-amz-decoded-content-length", "66560")
      .Header("x-amz-trailer", "x-amz-checksum-crc32c")
      .Header("authorization",
              V4Header("content-encoding;host;x-amz-content-sha256;x-amz-date;"
                       "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
                       "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"));
  auto result = VerifyAws(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kStreamingSignedTrailer);
  ASSERT_TRUE(result.value().chunk.has_value());
  EXPECT_EQ(result.value().chunk->seed_signature,
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
}

// --- botocore cross-check vectors (testdata/gen_botocore_vectors.py) ---------------------

constexpr const char* kBotoKey = "AKIDMAXIOFSTEST";
constexpr const char* kBotoSecret = "maxiofs/secret+Key/0123456789abcdefEXAMPLE";
constexpr int64_t kBotoNow = 1709251170;  // 20240229T235930Z

TestRequest BotoRequest(std::string method, std::string path, std::string query,
                        std::string signed_headers, std::string signature) {
  TestRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.now_unix = kBotoNow;
  r.Header("host", "127.0.0.1:8080")
      .Header("x-amz-date", "20240229T235930Z")
      .Header("x-amz-content-sha256", std::string(kEmptySha256Hex))
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDMAXIOFSTEST/20240229/eu-west-3/"
              "s3/aws4_request, SignedHeaders=" +
                  signed_headers + ", Signature=" + signature);
  return r;
}

TEST(SigV4BotocoreTest, OddKeyAndWhitespaceInHeader) {
  TestRequest r =
      BotoRequest("PUT", "/bucket/dir%20a/%21%27%28%29%2A%24%26%2B%2C%3B%3D%3A%40~%C3%A9.txt", "",
                  "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note",
                  "fd3dc134c933ed0e8a915d461de6151b9c034a5a657079d697a73b3db2d30bf1");
  r.Header("content-type", "text/plain").Header("x-amz-meta-note", "  two   spaces  ");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().access_key, kBotoKey);
  // The same key with its characters sent literally, as other clients do.
  r.path = "/bucket/dir%20a/!'()*$&+,;=:@%7E\xc3\xa9.txt";
  EXPECT_TRUE(Verify(r, OneKey(kBotoKey, kBotoSecret)).has_value());
}

TEST(SigV4BotocoreTest, ListObjectsV2Query) {
  TestRequest r =
      BotoRequest("GET", "/bucket", "list-type=2&prefix=a%2Fb%20c&delimiter=%2F&encoding-type=url",
                  "host;x-amz-content-sha256;x-amz-date",
                  "bc467ce97db2b6722e8a437d0850317b4a4d73f85435a769def1d0ea8fc4859e");
  EXPECT_TRUE(Verify(r, OneKey(kBotoKey, kBotoSecret)).has_value());
  r.query = "list-type=2&prefix=a/b+c&delimiter=/&encoding-type=url";  // '+' is a space
  EXPECT_TRUE(Verify(r, OneKey(kBotoKey, kBotoSecret)).has_value());
}

TEST(SigV4BotocoreTest, RepeatedAndBareParameters) {
  TestRequest r =
      BotoRequest("GET", "/bucket/k", "b=2&a=3&a=1&uploads", "host;x-amz-content-sha256;x-amz-date",
                  "919e066e9a50de7bffb2b62303c9978515bcb261b707fdb340d2e6d06be9d40b");
  EXPECT_TRUE(Verify(r, OneKey(kBotoKey, kBotoSecret)).has_value());
}

TEST(SigV4BotocoreTest, PresignedInAnotherRegion) {
  TestRequest r;
  r.method = "GET";
  r.path = "/bucket/photos/a%20b.jpg";
  r.query =
      "versionId=3%2Bx&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDMAXIOFSTEST%"
      "2F20240229%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240229T235930Z&X-Amz-Expires="
      "3600&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "2c525e7fbd8974abcfa2eadfa643ebb3dd21187a1d6b4beaac2eabf05ff77cbd";
  r.now_unix = kBotoNow + 10;
  r.Header("host", "127.0.0.1:8080");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kUnsigned);
  r.now_unix = kBotoNow + 3601;
  ExpectError(Verify(r, OneKey(kBotoKey, kBotoSecret)), S3ErrorCode::kAccessDenied);
}

TEST(SigV4BotocoreTest, DateHeaderInsteadOfXAmzDate) {
  TestRequest r;
  r.method = "HEAD";
  r.path = "/bucket/k";
  r.now_unix = kBotoNow;
  r.Header("host", "127.0.0.1:8080")
      .Header("date", "Thu, 29 Feb 2024 23:59:30 -0000")
      .Header("x-amz-content-sha256", std::string(kEmptySha256Hex))
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDMAXIOFSTEST/20240229/eu-west-3/s3/aws4_request, "
              "SignedHeaders=date;host;x-amz-content-sha256, "
              "Signature=c0065a8c7b3f9b264bcbcd6901e2d026e20646cebafd15c0069e4f7d50a136ad");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kSignedSha256);
}

TEST(SigV4BotocoreTest, UnsignedPayload) {
  TestRequest r;
  r.method = "PUT";
  r.path = "/bucket/up";
  r.now_unix = kBotoNow;
  r.Header("host", "127.0.0.1:8443")
      .Header("content-md5", "kAFQmDzST7DWlj99KOF/cg==")
      .Header("x-amz-date", "20240229T235930Z")
      .Header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDMAXIOFSTEST/20240229/eu-west-3/s3/aws4_request, "
              "SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, "
              "Signature=0023c2032767f8fa37ed4ab2a3bf2fc2e5e4180287911dc6a91d15bfef136110");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kUnsigned);
  EXPECT_TRUE(result.value().expected_sha256.empty());
}

TEST(SigV4BotocoreTest, StreamingUnsignedPayloadTrailer) {
  TestRequest r;
  r.method = "PUT";
  r.path = "/bucket/up";
  r.now_unix = kBotoNow;
  r.Header("content-encoding", "aws-chunked")
      .Header("x-amz-decoded-content-length", "3")
      .Header("x-amz-trailer", "x-amz-checksum-crc32")
      .Header("host", "127.0.0.1:8080")
      .Header("x-amz-date", "20240229T235930Z")
      .Header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDMAXIOFSTEST/20240229/eu-west-3/s3/aws4_request, "
              "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
              "x-amz-decoded-content-length;x-amz-trailer, "
              "Signature=6e3d56cbd82e561de87575ed4c9b82dc2316b979ec20c9dde02dd4f1879bf70a");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kStreamingUnsignedTrailer);
  EXPECT_FALSE(result.value().chunk.has_value());
}

// --- Negative cases ---------------------------------------------------------------------

TEST(SigV4NegativeTest, WrongSecret) {
  ExpectError(Verify(AwsGetObject(), OneKey(kAwsAccessKey, "wrong-secret")),
              S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV4NegativeTest, UnknownAccessKey) {
  ExpectError(Verify(AwsGetObject(), OneKey("AKIAOTHER", kAwsSecret)),
              S3ErrorCode::kInvalidAccessKeyId);
  ExpectError(Verify(AwsGetObject(), SecretLookup()), S3ErrorCode::kInvalidAccessKeyId);
}

TEST(SigV4NegativeTest, TamperedRequest) {
  TestRequest r = AwsGetObject();
  r.SetHeader("range", "bytes=0-10");
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r = AwsGetObject();
  r.path = "/test.txT";
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r = AwsGetObject();
  r.method = "DELETE";
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r = AwsGetObject();
  r.query = "x=1";
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV4NegativeTest, ClockSkew) {
  TestRequest r = AwsGetObject();
  r.now_unix = k20130524 + 15 * 60;
  EXPECT_TRUE(VerifyAws(r).has_value());
  r.now_unix = k20130524 - 15 * 60;
  EXPECT_TRUE(VerifyAws(r).has_value());
  r.now_unix = k20130524 + 15 * 60 + 1;
  ExpectError(VerifyAws(r), S3ErrorCode::kRequestTimeTooSkewed);
  r.now_unix = k20130524 - 15 * 60 - 1;
  ExpectError(VerifyAws(r), S3ErrorCode::kRequestTimeTooSkewed);
}

TEST(SigV4NegativeTest, MalformedAuthorizationHeaders) {
  const std::string sig = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  const std::string cred = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  const std::string sh = "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date";
  const std::vector<std::string> bad = {
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 " + cred + ", " + sh,                                   // no Signature
      "AWS4-HMAC-SHA256 " + sh + ", Signature=" + sig,                          // no Credential
      "AWS4-HMAC-SHA256 " + cred + ", Signature=" + sig,                        // no SignedHeaders
      "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig.substr(1),  // short sig
      "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig + ", Signature=" + sig,
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, " + sh +
          ", Signature=" + sig,  // credential missing aws4_request
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013052/us-east-1/s3/aws4_request, " + sh +
          ", Signature=" + sig,  // bad credential date
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=, Signature=" + sig,
      "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig + ", Foo=bar",
      "AWS4-HMAC-SHA256 " + cred + " " + sh + " Signature",
  };
  for (const std::string& value : bad) {
    TestRequest r = AwsGetObject();
    r.SetHeader("authorization", value);
    ExpectError(VerifyAws(r), S3ErrorCode::kAuthorizationHeaderMalformed);
  }
}

TEST(SigV4NegativeTest, TolerantSeparators) {
  const std::string sig = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  const std::string cred = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  const std::string sh = "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date";
  for (const std::string& value :
       {"AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig,
        "AWS4-HMAC-SHA256  " + cred + " ,  " + sh + ",Signature=" + sig + " ",
        "AWS4-HMAC-SHA256 " + cred + " " + sh + " Signature=" + sig,
        "AWS4-HMAC-SHA256 Signature=" + sig + "," + cred + "," + sh}) {
    TestRequest r = AwsGetObject();
    r.SetHeader("authorization", value);
    auto result = VerifyAws(r);
    EXPECT_TRUE(result.has_value()) << value << ": " << result.error().message;
  }
}

TEST(SigV4NegativeTest, ScopeChecks) {
  const std::string sig = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  const std::string sh = ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=";
  TestRequest r = AwsGetObject();
  r.SetHeader("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/"
              "aws4_request" +
                  sh + sig);
  ExpectError(VerifyAws(r), S3ErrorCode::kAuthorizationHeaderMalformed);
  r.SetHeader("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/iam/"
              "aws4_request" +
                  sh + sig);
  ExpectError(VerifyAws(r), S3ErrorCode::kAuthorizationHeaderMalformed);
  // Another region: refused when the server has one (as AWS does); with none, only the
  // signature decides.
  r.SetHeader("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/"
              "aws4_request" +
                  sh + sig);
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r.region = "us-east-1";
  auto wrong_region = VerifyAws(r);
  ExpectError(wrong_region, S3ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_NE(wrong_region.error().message.find("expecting 'us-east-1'"), std::string::npos);
  r.region.clear();
  // host must be signed.
  r.SetHeader("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
              "aws4_request, SignedHeaders=range;x-amz-content-sha256;x-amz-date, Signature=" +
                  sig);
  ExpectError(VerifyAws(r), S3ErrorCode::kAuthorizationHeaderMalformed);
}

TEST(SigV4NegativeTest, PayloadHashHeader) {
  TestRequest r = AwsGetObject();
  r.RemoveHeader("x-amz-content-sha256");
  ExpectError(VerifyAws(r), S3ErrorCode::kInvalidRequest);
  r = AwsGetObject();
  r.SetHeader("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");
  ExpectError(VerifyAws(r), S3ErrorCode::kInvalidArgument);
  r.SetHeader("x-amz-content-sha256", "abc");
  ExpectError(VerifyAws(r), S3ErrorCode::kInvalidArgument);
}

TEST(SigV4NegativeTest, DateHeaders) {
  TestRequest r = AwsGetObject();
  r.RemoveHeader("x-amz-date");
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
  r.Header("x-amz-date", "2013-05-24T00:00:00Z");
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
}

TEST(SigV4NegativeTest, UnsignedAmzHeader) {
  TestRequest r = AwsGetObject();
  r.Header("x-amz-meta-late", "added after signing");
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
  // Other unsigned headers are allowed.
  r = AwsGetObject();
  r.Header("user-agent", "test");
  EXPECT_TRUE(VerifyAws(r).has_value());
}

TEST(SigV4NegativeTest, PresignedParameters) {
  auto with = [](std::string from, std::string to) {
    TestRequest r = AwsPresigned();
    const size_t at = r.query.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    r.query.replace(at, from.size(), to);
    return r;
  };
  ExpectError(VerifyAws(with("X-Amz-Expires=86400", "X-Amz-Expires=604801")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("X-Amz-Expires=86400", "X-Amz-Expires=0")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("X-Amz-Expires=86400", "X-Amz-Expires=-5")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("X-Amz-Expires=86400", "X-Amz-Expires=1d")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  // At the 604800 limit the parameters are valid; the signature then decides.
  ExpectError(VerifyAws(with("X-Amz-Expires=86400", "X-Amz-Expires=604800")),
              S3ErrorCode::kSignatureDoesNotMatch);
  ExpectError(VerifyAws(with("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("&X-Amz-SignedHeaders=host", "")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130524")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("%2Fs3%2F", "%2Fsqs%2F")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z")),
              S3ErrorCode::kAuthorizationQueryParametersError);
  ExpectError(VerifyAws(with("AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN")),
              S3ErrorCode::kInvalidAccessKeyId);
  ExpectError(VerifyAws(with("aeeed9bb", "aeeed9bc")), S3ErrorCode::kSignatureDoesNotMatch);
  TestRequest twice = AwsPresigned();
  twice.query += "&X-Amz-Expires=86400";
  ExpectError(VerifyAws(twice), S3ErrorCode::kAuthorizationQueryParametersError);
  TestRequest streaming = AwsPresigned();
  streaming.query += "&X-Amz-Content-Sha256=STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  ExpectError(VerifyAws(streaming), S3ErrorCode::kInvalidRequest);
}

TEST(SigV4Test, EncodedSlashIsAcceptedInBothForms) {
  // A client that signed "/b/a%2Fb" (encoding the key's slash) and one that signed "/b/a/b"
  // for the same wire path "/b/a%2Fb" are both accepted. Signatures computed through the
  // AWS-vector-checked pipeline above.
  TestRequest r;
  r.method = "GET";
  r.path = "/b/a%2Fb";
  r.now_unix = k20130524;
  r.Header("host", "h")
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  const std::string key = DeriveSigningKey(kAwsSecret, "20130524", "us-east-1", "s3");
  const std::vector<std::string> names = {"host", "x-amz-content-sha256", "x-amz-date"};
  for (const char* signed_uri : {"/b/a%2Fb", "/b/a/b"}) {
    const std::string creq =
        CanonicalRequest("GET", signed_uri, "", CanonicalHeaders(r.View(), names),
                         "host;x-amz-content-sha256;x-amz-date", "UNSIGNED-PAYLOAD");
    const std::string sig =
        SignHex(key, StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", creq));
    r.SetHeader("authorization", V4Header("host;x-amz-content-sha256;x-amz-date", sig));
    auto result = VerifyAws(r);
    EXPECT_TRUE(result.has_value()) << signed_uri;
    EXPECT_EQ(result.value().payload_mode, PayloadMode::kUnsigned);
  }
}

}  // namespace
}  // namespace maxiofs::s3::auth
