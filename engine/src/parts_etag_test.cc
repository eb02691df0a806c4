// Parts ETags (PutObjectRequest::parts_etag): the ETag `aws s3 cp` gives a file of 8 MiB or
// more, whether the engine hashes the bytes itself or takes the part MD5s a caller kept. The
// expected values are built here from whole-part MD5s, independently of PartsMd5.
#include "checksums.h"
#include "parts_md5.h"
#include "test_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace maxiofs::engine {
namespace {

constexpr uint64_t kMiB = 1 << 20;

std::string Md5Raw(std::string_view data) {
  auto d = NewMd5();
  d->Update({data.data(), data.size()});
  return d->Final();
}

// What aws s3 cp shows for `data` uploaded in parts of `part` bytes.
std::string AwsPartsEtag(const std::string& data, uint64_t part) {
  std::string md5s;
  size_t parts = 0;
  for (uint64_t at = 0; at < data.size(); at += part, ++parts) {
    md5s += Md5Raw(std::string_view(data).substr(at, part));
  }
  return HexEncode(Md5Raw(md5s)) + "-" + std::to_string(parts);
}

std::string Bytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

// Part MD5s of `data` kept as a caller would, in parts of `part` bytes.
std::vector<std::unique_ptr<ContentMd5>> KeptMd5s(const std::string& data, uint64_t part) {
  std::vector<std::unique_ptr<ContentMd5>> out;
  for (uint64_t at = 0; at < data.size() || out.empty(); at += part) {
    out.push_back(ContentMd5::New());
    const std::string_view piece = std::string_view(data).substr(at, part);
    out.back()->Update({piece.data(), piece.size()});
  }
  return out;
}

class PartsEtagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str());
    ASSERT_TRUE(engine_->CreateBucket({"bkt"}).ok());
  }

  PutObjectRequest Req(const std::string& key, std::optional<uint64_t> size) {
    PutObjectRequest r;
    r.bucket = "bkt";
    r.key = key;
    r.expected_size = size;
    r.parts_etag = true;
    return r;
  }

  // Stages `data` in an O_TMPFILE of the data dir (so the engine may take it), appends
  // `prefix` bytes of it with Append first (then the file is copied), the rest with
  // AppendFileWithMd5s and `md5s`; returns the ETag.
  std::string PutStaged(const PutObjectRequest& req, const std::string& data,
                        std::vector<std::unique_ptr<ContentMd5>> md5s, size_t prefix = 0,
                        bool* taken = nullptr) {
    int fd = ::open((dir_.path() / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0);
    const std::string rest = data.substr(prefix);
    EXPECT_EQ(::pwrite(fd, rest.data(), rest.size(), 0), static_cast<ssize_t>(rest.size()));
    auto w = engine_->BeginPut(req);
    EXPECT_TRUE(w.has_value());
    if (!w.has_value()) return "";
    if (prefix > 0) {
      EXPECT_TRUE((*w)->Append({data.data(), prefix}).ok());
    }
    Result<bool> t = (*w)->AppendFileWithMd5s(fd, rest.size(), std::move(md5s));
    EXPECT_TRUE(t.has_value()) << t.error().ToString();
    if (taken && t.has_value()) *taken = *t;
    auto info = (*w)->Commit();
    ::close(fd);
    EXPECT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(*Get(*engine_, "bkt", req.key), data) << req.key;
    return info.has_value() ? info->etag : "";
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST(PartsEtagPartSize, IsAwsCliChoice) {
  EXPECT_EQ(PartsEtagPartSize(kPartsEtagMinSize), 8 * kMiB);
  EXPECT_EQ(PartsEtagPartSize(10000 * 8 * kMiB), 8 * kMiB);
  EXPECT_EQ(PartsEtagPartSize(10000 * 8 * kMiB + 1), 16 * kMiB);
  EXPECT_EQ(PartsEtagPartSize(10000 * 32 * kMiB + 1), 64 * kMiB);
  EXPECT_EQ(PartCount(0, 8), 1u);
  EXPECT_EQ(PartCount(8, 8), 1u);
  EXPECT_EQ(PartCount(9, 8), 2u);
}

TEST_F(PartsEtagTest, StreamedBodiesGetTheAwsCliEtagFromEightMiB) {
  struct Case {
    const char* key;
    size_t size;
  };
  for (Case c : {Case{"just-under", 8 * kMiB - 1}, Case{"exactly-one-part", 8 * kMiB},
                 Case{"three-parts", 20 * kMiB + 3}, Case{"parts-end-even", 16 * kMiB}}) {
    const std::string data = Bytes(c.size, static_cast<uint32_t>(c.size));
    auto info = Put(*engine_, "bkt", c.key, data, Req(c.key, data.size()));
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    const std::string want =
        c.size < 8 * kMiB ? HexEncode(Md5Raw(data)) : AwsPartsEtag(data, 8 * kMiB);
    EXPECT_EQ(info->etag, want) << c.key;
    HeadObjectRequest head;
    head.bucket = "bkt";
    head.key = c.key;
    EXPECT_EQ(engine_->HeadObject(head)->etag, want) << c.key;
  }
}

TEST_F(PartsEtagTest, PlainMd5WhenTheSizeIsUnknownOrAContentMd5IsVerified) {
  const std::string data = Bytes(9 * kMiB, 1);
  auto info = Put(*engine_, "bkt", "no-size", data, Req("no-size", std::nullopt));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->etag, HexEncode(Md5Raw(data)));

  PutObjectRequest req = Req("content-md5", data.size());
  req.expected_md5 = Md5Raw(data);
  info = Put(*engine_, "bkt", "content-md5", data, req);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->etag, HexEncode(Md5Raw(data)));

  req.parts_etag = false;  // the default
  req.expected_md5.reset();
  info = Put(*engine_, "bkt", "not-asked", data, req);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->etag, HexEncode(Md5Raw(data)));
}

TEST_F(PartsEtagTest, KeptPartMd5sAreUsedWhenTheySplitTheFileAsTheEtagDoes) {
  const std::string data = Bytes(17 * kMiB + 5, 2);
  const std::string want = AwsPartsEtag(data, 8 * kMiB);
  bool taken = false;

  EXPECT_EQ(PutStaged(Req("kept", data.size()), data, KeptMd5s(data, 8 * kMiB), 0, &taken), want);
  EXPECT_TRUE(taken);

  // Trusted as given (not recomputed): the digests of other bytes show through.
  std::string other = data;
  other[9 * kMiB] ^= 1;
  EXPECT_EQ(PutStaged(Req("trusted", data.size()), data, KeptMd5s(other, 8 * kMiB)),
            AwsPartsEtag(other, 8 * kMiB));

  // Split otherwise (one whole-file digest, other part sizes, a part missing): the engine
  // hashes the file itself.
  EXPECT_EQ(PutStaged(Req("whole", data.size()), data, KeptMd5s(data, UINT64_MAX)), want);
  EXPECT_EQ(PutStaged(Req("4mib", data.size()), data, KeptMd5s(data, 4 * kMiB)), want);
  auto missing = KeptMd5s(data, 8 * kMiB);
  missing.pop_back();
  EXPECT_EQ(PutStaged(Req("missing", data.size()), data, std::move(missing)), want);
  EXPECT_EQ(PutStaged(Req("none", data.size()), data, {}), want);
  auto extra = KeptMd5s(data, 8 * kMiB);
  extra.push_back(ContentMd5::New());  // one part too many (empty)
  EXPECT_EQ(PutStaged(Req("extra", data.size()), data, std::move(extra)), want);
  auto hole = KeptMd5s(other, 8 * kMiB);
  hole[1].reset();  // a null digest among them: none is trusted
  EXPECT_EQ(PutStaged(Req("null", data.size()), data, std::move(hole)), want);

  // Copied (bytes appended before): hashed while copied, same ETag.
  EXPECT_EQ(PutStaged(Req("copied", data.size()), data, KeptMd5s(other, 8 * kMiB), 100, &taken),
            want);
  EXPECT_FALSE(taken);

  // A file under the minimum keeps the MD5, from its one digest.
  const std::string small = Bytes(3 * kMiB, 3);
  EXPECT_EQ(PutStaged(Req("small", small.size()), small, KeptMd5s(small, 8 * kMiB), 0, &taken),
            HexEncode(Md5Raw(small)));
  EXPECT_TRUE(taken);
}

TEST(EtagText, HexThenThePartCount) {
  const std::string raw(16, '\xab');
  EXPECT_EQ(EtagText(raw, 0), "abababababababababababababababab");
  EXPECT_EQ(EtagText(raw, 3), EtagText(raw, 0) + "-3");
}

}  // namespace
}  // namespace maxiofs::engine
