#include "request_log.h"

#include "logging.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;
using std::chrono::microseconds;

RequestFacts SampleFacts() {
  RequestFacts f;
  f.server = "s3";
  f.request_id = "REQ1";
  f.remote = "127.0.0.1:5000";
  f.user = "maxioadmin";
  f.operation = "PutObject";
  f.method = "PUT";
  f.target = "/photos/2024/cat%20one.jpg?x-id=PutObject";
  f.status = 200;
  f.bytes_in = 1024;
  f.bytes_out = 0;
  f.latency = microseconds(1234);
  return f;
}

TEST(RequestLogTest, SplitTargetFindsBucketAndKey) {
  EXPECT_EQ(SplitTarget("/photos/a/b.jpg?versionId=1").bucket, "photos");
  EXPECT_EQ(SplitTarget("/photos/a/b.jpg?versionId=1").key, "a/b.jpg");
  EXPECT_EQ(SplitTarget("/photos?list-type=2").bucket, "photos");
  EXPECT_EQ(SplitTarget("/photos?list-type=2").key, "");
  EXPECT_EQ(SplitTarget("/").bucket, "");
  EXPECT_EQ(SplitTarget("/_maxiofs/metrics").bucket, "");
  EXPECT_EQ(SplitTarget("http://host:8080/b/k").bucket, "b");
  EXPECT_EQ(SplitTarget("http://host:8080/b/k").key, "k");
}

TEST(RequestLogTest, AuditedOperations) {
  for (const char* op : {"CreateBucket", "DeleteBucket", "PutBucketVersioning",
                         "PutObjectLockConfiguration", "PutBucketPolicy"}) {
    EXPECT_TRUE(IsAuditedOperation(op)) << op;
  }
  for (const char* op : {"PutObject", "GetObject", "ListBuckets", "GetBucketVersioning", ""}) {
    EXPECT_FALSE(IsAuditedOperation(op)) << op;
  }
}

TEST(RequestLogTest, TextRecordHasEveryField) {
  const std::string line =
      FormatAccessRecord(SampleFacts(), false, std::chrono::system_clock::now());
  for (const char* field :
       {"server=s3", "request_id=REQ1", "remote=127.0.0.1:5000", "user=maxioadmin", "op=PutObject",
        "method=PUT", "bucket=photos", "key=2024/cat%20one.jpg", "status=200", "bytes_in=1024",
        "bytes_out=0", "latency_ms=1.234"}) {
    EXPECT_NE(line.find(field), std::string::npos) << field << " in " << line;
  }
}

TEST(RequestLogTest, JsonRecordParses) {
  RequestFacts f = SampleFacts();
  f.note = "client \"gone\"";
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  const auto j = nlohmann::json::parse(FormatAccessRecord(f, true, now));
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j["request_id"], "REQ1");
  EXPECT_EQ(j["bucket"], "photos");
  EXPECT_EQ(j["key"], "2024/cat%20one.jpg");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["bytes_in"], 1024);
  EXPECT_DOUBLE_EQ(j["latency_ms"].get<double>(), 1.234);
  EXPECT_EQ(j["note"], "client \"gone\"");

  f.operation = "CreateBucket";
  f.status = 409;
  const auto audit = nlohmann::json::parse(FormatAuditRecord(f, true, now));
  EXPECT_EQ(audit["event"], "management");
  EXPECT_EQ(audit["outcome"], "failure");
  EXPECT_EQ(audit["op"], "CreateBucket");
}

// The access and audit loggers write to their files, and SIGHUP-style reopening moves on to a
// new file after the old one was renamed (what logrotate does).
TEST(RequestLogTest, RecordsGoToTheirFilesAndReopenAfterRotation) {
  std::string tmpl = (fs::temp_directory_path() / "maxiofs-log-test-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const fs::path dir = tmpl;
  LogSettings settings;
  settings.level = "warn";
  settings.json = true;
  settings.file = (dir / "server.log").string();
  settings.access_file = (dir / "access.log").string();
  settings.audit_file = (dir / "audit.log").string();
  ASSERT_TRUE(SetupLogging(settings).has_value());
  RequestLog log(true, true);

  RequestFacts f = SampleFacts();
  log.Log(f);
  f.operation = "CreateBucket";
  log.Log(f);
  spdlog::get("app")->warn("a warning");
  fs::rename(dir / "access.log", dir / "access.log.1");
  ReopenLogFiles();
  f.operation = "GetObject";
  log.Log(f);
  FlushLogs();  // access records are buffered (written within a second otherwise)

  auto read = [&](const char* name) {
    std::ifstream in(dir / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const std::string rotated = read("access.log.1");
  EXPECT_NE(rotated.find("\"op\":\"PutObject\""), std::string::npos) << rotated;
  EXPECT_NE(rotated.find("\"op\":\"CreateBucket\""), std::string::npos) << rotated;
  const std::string fresh = read("access.log");
  EXPECT_NE(fresh.find("\"op\":\"GetObject\""), std::string::npos) << fresh;
  EXPECT_EQ(fresh.find("\"op\":\"PutObject\""), std::string::npos) << fresh;
  const std::string audit = read("audit.log");
  EXPECT_NE(audit.find("\"op\":\"CreateBucket\""), std::string::npos) << audit;
  EXPECT_EQ(audit.find("\"op\":\"PutObject\""), std::string::npos) << audit;
  const auto server = nlohmann::json::parse(read("server.log"));
  EXPECT_EQ(server["msg"], "a warning");
  EXPECT_EQ(server["level"], "warning");
  EXPECT_EQ(server["logger"], "app");

  SetupLogging("info");  // back to stderr for the other tests
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace maxiofs::app
