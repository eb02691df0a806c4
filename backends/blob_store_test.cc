// The BlobStore contract, run against every store: the filesystem, the in-memory one, and the
// S3 store on a real S3 server (npm's s3rver, started here on a free loopback port). Then the
// S3 store's failure handling: the server killed and restarted, a server that stops answering,
// 500s and throttling answered by retries, wrong credentials and a missing bucket at start.
#include "maxiofs/backends/blob_store.h"

#include "testing/fault_proxy.h"
#include "testing/test_server.h"

#include "maxiofs/backends/azure_blob_store.h"
#include "maxiofs/backends/caching_blob_store.h"
#include "maxiofs/backends/fault_blob_store.h"
#include "maxiofs/backends/fs_blob_store.h"
#include "maxiofs/backends/s3_blob_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::backends {
namespace {

namespace fs = std::filesystem;
using test_support::TestServer;

constexpr uint64_t kPart = 5ull << 20;  // the smallest part size S3 allows

std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("maxiofs-bs-" + NewBlobId())) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// One s3rver for the whole binary (started on first use, stopped at exit).
class S3rver {
 public:
  static S3rver& Get() {
    static S3rver s;
    return s;
  }
  TestServer* server() { return server_.get(); }
  std::string error() const { return error_; }

  // Options for a store on it: prefix per test so tests do not see each other's blobs.
  S3BlobStoreOptions Options(const std::string& spool, const std::string& prefix) const {
    S3BlobStoreOptions o;
    o.client.endpoint = server_->url();
    o.client.credentials = {"S3RVER", "S3RVER", ""};
    o.client.http.connect_timeout_ms = 2000;
    o.client.http.request_timeout_ms = 10000;
    o.client.http.stall_timeout_s = 5;
    o.client.max_attempts = 3;
    o.client.retry_base_ms = 20;
    o.client.retry_max_ms = 200;
    o.bucket = "blobs";
    o.prefix = prefix;
    o.spool_dir = spool;
    o.part_size = kPart;
    return o;
  }

 private:
  S3rver() {
    const std::string dir = test_support::TestServersDir();
    const std::string bin = dir + "/node_modules/s3rver/bin/s3rver.js";
    if (dir.empty() || !fs::exists(bin)) {
      error_ =
          "s3rver is not installed: run tests/servers/install.sh DIR and set "
          "MAXIOFS_TEST_SERVERS=DIR (ctest does both)";
      return;
    }
    data_ = std::make_unique<TempDir>();
    server_ = std::make_unique<TestServer>(
        std::vector<std::string>{"node", "--openssl-legacy-provider", bin, "-d", data_->str(), "-a",
                                 "127.0.0.1", "-p", "{port}", "-s", "--configure-bucket", "blobs"},
        data_->str() + "/../s3rver-" + std::to_string(::getpid()) + ".log");
    if (!server_->Start()) error_ = "s3rver did not start";
  }
  std::unique_ptr<TempDir> data_;
  std::unique_ptr<TestServer> server_;
  std::string error_;
};

// One azurite (Blob service only) for the whole binary, with a container "blobs".
class Azurite {
 public:
  static constexpr const char* kAccount = "devstoreaccount1";
  // azurite's well-known development key (public, documented).
  static constexpr const char* kKey =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  static Azurite& Get() {
    static Azurite a;
    return a;
  }
  TestServer* server() { return server_.get(); }
  std::string error() const { return error_; }
  AzureBlobStoreOptions Options(const std::string& spool, const std::string& prefix) const {
    AzureBlobStoreOptions o;
    o.endpoint = server_->url() + "/" + kAccount;
    o.account = kAccount;
    o.key = kKey;
    o.container = "blobs";
    o.prefix = prefix;
    o.spool_dir = spool;
    o.block_size = kPart;
    o.http.connect_timeout_ms = 2000;
    o.http.request_timeout_ms = 10000;
    o.http.stall_timeout_s = 5;
    o.max_attempts = 3;
    o.retry_base_ms = 20;
    o.retry_max_ms = 200;
    return o;
  }

 private:
  Azurite() {
    const std::string dir = test_support::TestServersDir();
    const std::string bin = dir + "/node_modules/azurite/dist/src/blob/main.js";
    if (dir.empty() || !fs::exists(bin)) {
      error_ =
          "azurite is not installed: run tests/servers/install.sh DIR and set "
          "MAXIOFS_TEST_SERVERS=DIR (ctest does both)";
      return;
    }
    data_ = std::make_unique<TempDir>();
    server_ = std::make_unique<TestServer>(
        std::vector<std::string>{"node", bin, "--blobHost", "127.0.0.1", "--blobPort", "{port}",
                                 "--location", data_->str(), "--silent", "--disableTelemetry",
                                 "--skipApiVersionCheck"},
        data_->str() + "/../azurite-" + std::to_string(::getpid()) + ".log");
    if (!server_->Start()) {
      error_ = "azurite did not start";
      return;
    }
    Status s = CreateAzureContainer(Options(data_->str(), ""));
    if (!s.ok()) error_ = "cannot create the container: " + s.ToString();
  }
  std::unique_ptr<TempDir> data_;
  std::unique_ptr<TestServer> server_;
  std::string error_;
};

struct StoreFactory {
  std::string name;
  // Opens a store; `dir` is a fresh local dir, `prefix` unique per test.
  std::function<Result<std::unique_ptr<BlobStore>>(const std::string& dir,
                                                   const std::string& prefix)>
      open;
};

class BlobStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    prefix_ = "t-" + NewBlobId().substr(0, 12) + "/";
    auto s = GetParam().open(dir_.str(), prefix_);
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(s).value();
  }

  BlobId Write(const std::string& data) {
    auto w = store_->Create();
    EXPECT_TRUE(w.has_value()) << w.error().ToString();
    // Appended in uneven pieces, so part boundaries fall inside appends.
    size_t pos = 0, step = 4093;
    while (pos < data.size()) {
      const size_t n = std::min(step, data.size() - pos);
      EXPECT_TRUE((*w)->Append(std::span<const char>(data.data() + pos, n)).ok());
      pos += n;
      step = step * 2 + 1;
    }
    EXPECT_EQ((*w)->size(), data.size());
    Status s = (*w)->Commit(true);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return (*w)->id();
  }

  std::string ReadAll(std::string_view id, uint64_t offset = 0, uint64_t len = UINT64_MAX) {
    auto r = store_->OpenRange(id, offset, len == UINT64_MAX ? 0 : len);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (!r.has_value()) return "<error>";
    std::string out;
    std::vector<char> buf(100000);
    uint64_t pos = offset;
    while (out.size() < len) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), len - out.size()));
      auto n = (*r)->ReadAt(pos, std::span<char>(buf.data(), want));
      EXPECT_TRUE(n.has_value()) << n.error().ToString();
      if (!n.has_value() || *n == 0) break;
      out.append(buf.data(), *n);
      pos += *n;
    }
    return out;
  }

  std::set<BlobId> Listed() {
    std::set<BlobId> ids;
    EXPECT_TRUE(store_->ForEach([&](const BlobId& id) { ids.insert(id); }).ok());
    return ids;
  }

  TempDir dir_;
  std::string prefix_;
  std::unique_ptr<BlobStore> store_;
};

TEST_P(BlobStoreTest, WrittenBlobsReadBackWholeAndInRanges) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{70000}, size_t{kPart}, size_t{kPart + 12345}}) {
    const std::string data = Pattern(size, static_cast<uint32_t>(size));
    const BlobId id = Write(data);
    EXPECT_TRUE(IsValidBlobId(id));
    auto r = store_->Open(id);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ((*r)->size(), size);
    EXPECT_EQ(ReadAll(id), data) << "size " << size;
    if (size > 10) {
      EXPECT_EQ(ReadAll(id, 3, 7), data.substr(3, 7));
      EXPECT_EQ(ReadAll(id, size / 2, size - size / 2), data.substr(size / 2));
      // Reads out of order through one reader: backwards, a jump forward, past the end.
      std::string got(5, '\0');
      ASSERT_EQ((*r)->ReadAt(size - 5, got).value(), 5u);
      EXPECT_EQ(got, data.substr(size - 5));
      ASSERT_EQ((*r)->ReadAt(1, got).value(), 5u);
      EXPECT_EQ(got, data.substr(1, 5));
      EXPECT_EQ((*r)->ReadAt(size, got).value(), 0u);
    }
  }
}

TEST_P(BlobStoreTest, UncommittedWriterLeavesNothing) {
  const BlobId kept = Write("kept");
  {
    auto w = store_->Create();
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Append(std::string_view("never committed")).ok());
  }
  EXPECT_EQ(Listed(), std::set<BlobId>{kept});
  auto removed = store_->RemoveUnfinished();
  ASSERT_TRUE(removed.has_value()) << removed.error().ToString();
  EXPECT_EQ(*removed, 0u);
}

TEST_P(BlobStoreTest, DeleteAndDiscard) {
  const BlobId a = Write("a");
  const BlobId b = Write("b");
  EXPECT_EQ(Listed(), (std::set<BlobId>{a, b}));
  ASSERT_TRUE(store_->Delete(a).ok());
  EXPECT_EQ(store_->Open(a).error().code(), Status::Code::kNotFound);
  EXPECT_TRUE(store_->Discard(a).ok());  // nothing left: still OK
  EXPECT_TRUE(store_->Discard(b).ok());
  EXPECT_TRUE(Listed().empty());
  EXPECT_TRUE(store_->Discard(NewBlobId()).ok());
  EXPECT_EQ(store_->Open(NewBlobId()).error().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->Open("../../etc/passwd").error().code(), Status::Code::kNotFound);
}

TEST_P(BlobStoreTest, AdoptedFileBecomesTheBlob) {
  int fd = ::open(dir_.str().c_str(), O_TMPFILE | O_RDWR, 0640);
  ASSERT_GE(fd, 0);
  const std::string data = Pattern(kPart + 999, 7);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  auto w = store_->Adopt(fd, data.size());
  if (!w.has_value()) {
    // Allowed by the contract (the in-memory store; another filesystem): copy instead.
    EXPECT_EQ(w.error().code(), Status::Code::kNotImplemented);
    ::close(fd);
    return;
  }
  ASSERT_TRUE((*w)->Commit(true).ok());
  const BlobId id = (*w)->id();
  w->reset();
  ::close(fd);
  EXPECT_EQ(ReadAll(id), data);
}

TEST_P(BlobStoreTest, ConcurrentWritersAndReaders) {
  std::atomic<int> failures{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 6; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        const std::string data = Pattern(30000 + 1000 * i, t * 10 + i);
        const BlobId id = Write(data);
        if (ReadAll(id) != data) ++failures;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Listed().size(), 24u);
}

std::vector<StoreFactory> Stores() {
  return {
      {"filesystem",
       [](const std::string& dir, const std::string&) { return OpenFsBlobStore(dir); }},
      {"memory",
       [](const std::string&, const std::string&) -> Result<std::unique_ptr<BlobStore>> {
         return NewMemBlobStore();
       }},
      {"s3_on_s3rver",
       [](const std::string& dir, const std::string& prefix) -> Result<std::unique_ptr<BlobStore>> {
         S3rver& s = S3rver::Get();
         if (!s.error().empty()) return Status::Unavailable(s.error());
         return OpenS3BlobStore(s.Options(dir, prefix));
       }},
      {"azure_on_azurite",
       [](const std::string& dir, const std::string& prefix) -> Result<std::unique_ptr<BlobStore>> {
         Azurite& a = Azurite::Get();
         if (!a.error().empty()) return Status::Unavailable(a.error());
         return OpenAzureBlobStore(a.Options(dir, prefix));
       }},
      {"s3_on_s3rver_behind_the_read_cache",
       [](const std::string& dir, const std::string& prefix) -> Result<std::unique_ptr<BlobStore>> {
         S3rver& s = S3rver::Get();
         if (!s.error().empty()) return Status::Unavailable(s.error());
         MAXIOFS_ASSIGN_OR_RETURN(auto store, OpenS3BlobStore(s.Options(dir, prefix)));
         // Smaller than the largest blobs written: evictions happen.
         return NewCachingBlobStore(std::move(store), {dir + "/cache", 8 << 20, 6 << 20});
       }},
  };
}

INSTANTIATE_TEST_SUITE_P(AllStores, BlobStoreTest, ::testing::ValuesIn(Stores()),
                         [](const auto& info) { return info.param.name; });

// --- the read cache --------------------------------------------------------------------------

TEST(CachingBlobStoreTest, WholeReadsFillItAndHitsNeedNoService) {
  TempDir dir;
  auto base = std::shared_ptr<BlobStore>(NewMemBlobStore());
  auto faults = std::make_shared<FaultSwitches>();
  auto cached = NewCachingBlobStore(NewFaultBlobStore(base, faults), {dir.str() + "/c", 250, 100});
  ASSERT_TRUE(cached.has_value()) << cached.error().ToString();
  BlobStore& s = **cached;
  auto put = [&](const std::string& data) {
    auto w = s.Create();
    EXPECT_TRUE((*w)->Append(data).ok());
    EXPECT_TRUE((*w)->Commit(true).ok());
    return (*w)->id();
  };
  auto read = [&](const BlobId& id, uint64_t off, size_t n) -> Result<std::string> {
    MAXIOFS_ASSIGN_OR_RETURN(auto r, s.OpenRange(id, off, n));
    std::string out(n, '\0');
    size_t got = 0;
    while (got < n) {
      MAXIOFS_ASSIGN_OR_RETURN(size_t k, r->ReadAt(off + got, std::span<char>(out).subspan(got)));
      if (k == 0) break;
      got += k;
    }
    out.resize(got);
    return out;
  };
  const BlobId a = put(std::string(90, 'a'));
  const BlobId b = put(std::string(90, 'b'));
  const BlobId big = put(std::string(150, 'c'));             // over max_blob: never cached
  EXPECT_EQ(read(a, 10, 20).value(), std::string(20, 'a'));  // a range: not cached
  EXPECT_EQ(s.counters().cache_misses, 1u);
  EXPECT_EQ(read(a, 0, 90).value(), std::string(90, 'a'));  // whole: cached
  EXPECT_EQ(read(big, 0, 150).value(), std::string(150, 'c'));
  faults->fail_open = true;  // the service is down: the cached blob is still served
  EXPECT_EQ(read(a, 0, 90).value(), std::string(90, 'a'));
  EXPECT_EQ(read(a, 30, 10).value(), std::string(10, 'a'));
  EXPECT_EQ(s.counters().cache_hits, 2u);
  EXPECT_FALSE(read(big, 0, 150).has_value());
  EXPECT_FALSE(read(b, 0, 90).has_value());
  faults->fail_open = false;
  EXPECT_EQ(read(b, 0, 90).value(), std::string(90, 'b'));  // cached too: 180 of 250 bytes
  const BlobId c = put(std::string(90, 'd'));
  EXPECT_EQ(read(c, 0, 90).value(), std::string(90, 'd'));  // evicts a (least recently used)
  faults->fail_open = true;
  EXPECT_FALSE(read(a, 0, 90).has_value());
  EXPECT_EQ(read(b, 0, 90).value(), std::string(90, 'b'));
  EXPECT_EQ(read(c, 0, 90).value(), std::string(90, 'd'));
  faults->fail_open = false;
  // Deleting drops the cached copy.
  ASSERT_TRUE(s.Delete(c).ok());
  EXPECT_EQ(read(c, 0, 90).error().code(), Status::Code::kNotFound);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.str() + "/c")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);  // b only
}

// --- the S3 store when the service fails --------------------------------------------------

class S3FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = test_support::TestServersDir();
    bin_ = dir + "/node_modules/s3rver/bin/s3rver.js";
    ASSERT_TRUE(fs::exists(bin_)) << "s3rver is not installed (MAXIOFS_TEST_SERVERS)";
    server_ = std::make_unique<TestServer>(
        std::vector<std::string>{"node", "--openssl-legacy-provider", bin_, "-d", data_.str(), "-a",
                                 "127.0.0.1", "-p", "{port}", "-s", "--configure-bucket", "blobs"},
        data_.str() + "/../s3rver-fault.log");
    ASSERT_TRUE(server_->Start());
  }
  S3BlobStoreOptions Options(std::string endpoint) {
    S3BlobStoreOptions o;
    o.client.endpoint = std::move(endpoint);
    o.client.credentials = {"S3RVER", "S3RVER", ""};
    o.client.http.connect_timeout_ms = 1000;
    o.client.http.request_timeout_ms = 1500;
    o.client.http.stall_timeout_s = 1;
    o.client.max_attempts = 3;
    o.client.retry_base_ms = 20;
    o.client.retry_max_ms = 100;
    o.bucket = "blobs";
    o.spool_dir = spool_.str();
    o.part_size = kPart;
    return o;
  }
  Result<BlobId> Put(BlobStore& s, const std::string& data) {
    MAXIOFS_ASSIGN_OR_RETURN(auto w, s.Create());
    MAXIOFS_RETURN_IF_ERROR(w->Append(data));
    MAXIOFS_RETURN_IF_ERROR(w->Commit(true));
    return w->id();
  }

  TempDir data_, spool_;
  std::string bin_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(S3FaultTest, KilledServerFailsCallsUntilItIsBack) {
  auto s = OpenS3BlobStore(Options(server_->url()));
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  auto kept = Put(**s, Pattern(100000, 1));
  ASSERT_TRUE(kept.has_value());
  server_->Kill();
  const auto t0 = std::chrono::steady_clock::now();
  auto put = Put(**s, Pattern(100000, 2));
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), Status::Code::kUnavailable) << put.error().ToString();
  EXPECT_EQ((*s)->Open(*kept).error().code(), Status::Code::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  EXPECT_GT((*s)->counters().retries, 0u);
  // A multipart commit while it is down.
  auto big = Put(**s, Pattern(kPart + 1, 3));
  EXPECT_EQ(big.error().code(), Status::Code::kUnavailable);
  // Back (same data directory): it serves again without reopening the store.
  ASSERT_TRUE(server_->Start());
  auto r = (*s)->Open(*kept);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  std::string out(100000, '\0');
  size_t got = 0;
  while (got < out.size()) {  // a read may return less than asked
    auto n = (*r)->ReadAt(got, std::span<char>(out).subspan(got));
    ASSERT_TRUE(n.has_value()) << n.error().ToString();
    ASSERT_GT(*n, 0u);
    got += *n;
  }
  EXPECT_EQ(out, Pattern(100000, 1));
  EXPECT_TRUE(Put(**s, Pattern(kPart + 1, 4)).has_value());
  EXPECT_TRUE((*s)->RemoveUnfinished().has_value());
  EXPECT_TRUE(fs::is_empty(spool_.str()));  // failed uploads left no spool file
}

TEST_F(S3FaultTest, ReadCutOffMidStreamIsResumedOrFails) {
  auto s = OpenS3BlobStore(Options(server_->url()));
  ASSERT_TRUE(s.has_value());
  const std::string data = Pattern(3 << 20, 9);
  auto id = Put(**s, data);
  ASSERT_TRUE(id.has_value());
  auto r = (*s)->Open(*id);
  ASSERT_TRUE(r.has_value());
  std::string got(1 << 20, '\0');
  ASSERT_GT((*r)->ReadAt(0, got).value(), 0u);
  // Killed mid-stream: the read fails (nothing wrong is returned), and works once it is back.
  server_->Kill();
  std::string rest;
  uint64_t pos = 0;
  Status failed;
  for (;;) {
    auto n = (*r)->ReadAt(pos, got);
    if (!n.has_value()) {
      failed = n.error();
      break;
    }
    if (*n == 0) break;
    EXPECT_EQ(got.substr(0, *n), data.substr(pos, *n));
    pos += *n;
  }
  if (pos < data.size()) {
    EXPECT_EQ(failed.code(), Status::Code::kUnavailable);
  }
  ASSERT_TRUE(server_->Start());
  while (pos < data.size()) {
    auto n = (*r)->ReadAt(pos, got);
    ASSERT_TRUE(n.has_value()) << n.error().ToString();
    ASSERT_GT(*n, 0u);
    ASSERT_EQ(got.substr(0, *n), data.substr(pos, *n));
    pos += *n;
  }
}

TEST_F(S3FaultTest, ServerThatStopsAnsweringTimesOut) {
  auto s = OpenS3BlobStore(Options(server_->url()));
  ASSERT_TRUE(s.has_value());
  server_->Pause(true);
  const auto t0 = std::chrono::steady_clock::now();
  auto put = Put(**s, Pattern(1000, 1));
  server_->Pause(false);
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), Status::Code::kUnavailable) << put.error().ToString();
  // 3 attempts of at most ~1.5 s each, plus backoff.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_TRUE(Put(**s, Pattern(1000, 2)).has_value());
}

TEST_F(S3FaultTest, ServerErrorsAndThrottlingAreRetried) {
  test_support::FaultProxy proxy(server_->port());
  ASSERT_TRUE(proxy.Start());
  auto s = OpenS3BlobStore(Options(proxy.url()));
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  // Two bad answers, then the real server: within 3 attempts.
  proxy.FailNext(1, "500 Internal Server Error", "InternalError");
  proxy.FailNext(1, "503 Slow Down", "SlowDown");
  auto id = Put(**s, Pattern(1000, 1));
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
  EXPECT_EQ(proxy.failed(), 2u);
  // More than the attempts allow: Unavailable, throttled.
  proxy.FailNext(5, "503 Slow Down", "SlowDown");
  auto put = Put(**s, Pattern(1000, 2));
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), Status::Code::kUnavailable);
  EXPECT_EQ(put.error().subcode(), Status::SubCode::kThrottled);
  proxy.FailNext(0, "", "");
  auto r = (*s)->Open(*id);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
}

TEST_F(S3FaultTest, WrongCredentialsOrBucketFailTheOpen) {
  // s3rver knows one key and does not check signatures: a wrong key is what it refuses. (A wrong
  // secret is refused by maxiofs as the remote: tests/integration/test_remote_backends.py.)
  auto o = Options(server_->url());
  o.client.credentials.access_key = "WRONGKEY";
  auto s = OpenS3BlobStore(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Status::Code::kAccessDenied) << s.error().ToString();
  EXPECT_NE(s.error().message().find("InvalidAccessKeyId"), std::string::npos);
  o = Options(server_->url());
  o.bucket = "no-such-bucket";
  s = OpenS3BlobStore(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Status::Code::kNotFound) << s.error().ToString();
  o = Options("http://127.0.0.1:" + std::to_string(test_support::FreePort()));
  s = OpenS3BlobStore(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Status::Code::kUnavailable);
  o = Options("ftp://x");
  EXPECT_EQ(OpenS3BlobStore(o).error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace maxiofs::backends
