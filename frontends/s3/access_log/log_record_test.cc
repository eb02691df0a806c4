// Server access log records: AWS's 26 fields, quoting, "-" for what is unknown, and the
// operation names.
#include "access_log/log_record.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

// Splits a record as log readers do: spaces separate fields except inside [...] and "...".
std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  char close = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (close != 0) {
      if (c == '\\' && close == '"' && i + 1 < line.size()) {
        cur.push_back(line[++i]);
      } else if (c == close) {
        close = 0;
      } else {
        cur.push_back(c);
      }
    } else if (c == '[' || c == '"') {
      close = c == '[' ? ']' : '"';
    } else if (c == ' ') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

TEST(LogRecordTest, WritesAwsFieldsInOrder) {
  ServerAccessLogEntry e;
  e.bucket_owner = "owner";
  e.bucket = "src";
  e.time_ns = 1549411238LL * 1000000000;  // 2019-02-06 00:00:38 UTC
  e.remote_ip = "127.0.0.1";
  e.requester = "arn:aws:iam::000000000000:user/alice";
  e.request_id = "ABC";
  e.operation = "REST.GET.OBJECT";
  e.key = "dir/a b+c";
  e.request_uri = "GET /src/dir/a%20b%2Bc?versionId=1 HTTP/1.1";
  e.http_status = 200;
  e.bytes_sent = 5;
  e.object_size = 5;
  e.total_time_ms = 3;
  e.user_agent = "Boto3/1.2 \"quoted\"";
  e.version_id = "v1";
  e.host_id = "aWQ=";
  e.signature_version = "SigV4";
  e.auth_type = "AuthHeader";
  e.host_header = "localhost:8080";
  const std::string line = FormatServerAccessLogRecord(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  std::vector<std::string> f = Split(line);
  ASSERT_EQ(f.size(), 26u) << line;
  EXPECT_EQ(f[0], "owner");
  EXPECT_EQ(f[1], "src");
  EXPECT_EQ(f[2], "06/Feb/2019:00:00:38 +0000");
  EXPECT_EQ(f[3], "127.0.0.1");
  EXPECT_EQ(f[4], "arn:aws:iam::000000000000:user/alice");
  EXPECT_EQ(f[5], "ABC");
  EXPECT_EQ(f[6], "REST.GET.OBJECT");
  EXPECT_EQ(f[7], "dir/a%20b%2Bc");
  EXPECT_EQ(f[8], "GET /src/dir/a%20b%2Bc?versionId=1 HTTP/1.1");
  EXPECT_EQ(f[9], "200");
  EXPECT_EQ(f[10], "-");
  EXPECT_EQ(f[11], "5");
  EXPECT_EQ(f[12], "5");
  EXPECT_EQ(f[13], "3");
  EXPECT_EQ(f[14], "-");
  EXPECT_EQ(f[15], "-");
  EXPECT_EQ(f[16], "Boto3/1.2 \"quoted\"");
  EXPECT_EQ(f[17], "v1");
  EXPECT_EQ(f[18], "aWQ=");
  EXPECT_EQ(f[19], "SigV4");
  EXPECT_EQ(f[20], "-");
  EXPECT_EQ(f[21], "AuthHeader");
  EXPECT_EQ(f[22], "localhost:8080");
  EXPECT_EQ(f[23], "-");
  EXPECT_EQ(f[24], "-");
  EXPECT_EQ(f[25], "-");
}

TEST(LogRecordTest, UnknownFieldsAreDashesAndNothingBreaksTheLine) {
  ServerAccessLogEntry e;
  e.bucket = "b";
  e.http_status = 404;
  e.error_code = "NoSuchKey";
  e.user_agent = "evil\nagent";
  e.referer = "a\"b";
  const std::string line = FormatServerAccessLogRecord(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  std::vector<std::string> f = Split(line);
  ASSERT_EQ(f.size(), 26u) << line;
  EXPECT_EQ(f[0], "-");
  EXPECT_EQ(f[4], "-");
  EXPECT_EQ(f[7], "-");
  EXPECT_EQ(f[10], "NoSuchKey");
  EXPECT_EQ(f[11], "-");
  EXPECT_EQ(f[15], "a\"b");
  EXPECT_EQ(f[16], "evil?agent");
}

TEST(LogRecordTest, OperationNames) {
  EXPECT_EQ(AwsLogOperation(S3Op::kPutObject, "PUT"), "REST.PUT.OBJECT");
  EXPECT_EQ(AwsLogOperation(S3Op::kGetObject, "GET"), "REST.GET.OBJECT");
  EXPECT_EQ(AwsLogOperation(S3Op::kHeadObject, "HEAD"), "REST.HEAD.OBJECT");
  EXPECT_EQ(AwsLogOperation(S3Op::kDeleteObject, "DELETE"), "REST.DELETE.OBJECT");
  EXPECT_EQ(AwsLogOperation(S3Op::kCopyObject, "PUT"), "REST.COPY.OBJECT");
  EXPECT_EQ(AwsLogOperation(S3Op::kCreateMultipartUpload, "POST"), "REST.POST.UPLOADS");
  EXPECT_EQ(AwsLogOperation(S3Op::kUploadPart, "PUT"), "REST.PUT.PART");
  EXPECT_EQ(AwsLogOperation(S3Op::kUploadPartCopy, "PUT"), "REST.COPY.PART");
  EXPECT_EQ(AwsLogOperation(S3Op::kCompleteMultipartUpload, "POST"), "REST.POST.UPLOAD");
  EXPECT_EQ(AwsLogOperation(S3Op::kListObjectsV2, "GET"), "REST.GET.BUCKET");
  EXPECT_EQ(AwsLogOperation(S3Op::kDeleteObjects, "POST"), "REST.POST.MULTI_OBJECT_DELETE");
  EXPECT_EQ(AwsLogOperation(S3Op::kPutBucketLogging, "PUT"), "REST.PUT.LOGGING_STATUS");
}

}  // namespace
}  // namespace maxiofs::s3
