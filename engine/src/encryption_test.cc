// Encryption and compression at rest through the engine's public API: range reads in every
// combination, tampering, SSE-C keys, master-key checks and rotation, and no plaintext on disk.
#include "key_codec.h"
#include "seal.h"
#include "test_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <optional>

namespace maxiofs::engine {
namespace {

constexpr uint64_t kChunk = kSealChunkSize;

std::string Text(size_t n, int seed = 0) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) {
    s += "row " + std::to_string(seed) + "/" + std::to_string(i) + " lorem ipsum dolor\n";
  }
  s.resize(n);
  return s;
}

struct Mode {
  const char* name;
  bool encrypt;
  bool compress;
};

EngineOptions Options(const std::string& dir, Mode m, std::vector<MasterKey> keys = {}) {
  EngineOptions o;
  o.data_dir = dir;
  o.sync = false;
  o.min_part_size = 2 * kChunk;
  if (keys.empty()) keys = {{"k1", std::string(32, 'K')}};
  o.encryption.master_keys = keys;
  o.encryption.encrypt_new_data = m.encrypt;
  o.compression.enabled = m.compress;
  return o;
}

std::unique_ptr<Engine> Open(const EngineOptions& o) {
  auto r = Engine::Open(o);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.has_value() ? std::move(r).value() : nullptr;
}

RangeSpec FromTo(uint64_t a, uint64_t b) {
  RangeSpec r;
  r.kind = RangeSpec::Kind::kFromTo;
  r.first = a;
  r.last = b;
  return r;
}

// Ranges at and across chunk boundaries, the first and last byte, and the whole object.
std::vector<std::pair<uint64_t, uint64_t>> Ranges(uint64_t size) {
  std::vector<std::pair<uint64_t, uint64_t>> out = {{0, 0}, {0, size - 1}, {size - 1, size - 1}};
  for (uint64_t b = kChunk; b < size; b += kChunk) {
    out.push_back({b - 1, b - 1});
    out.push_back({b, b});
    out.push_back({b - 1, b});
    out.push_back({b - 100, std::min(size - 1, b + kChunk + 100)});
  }
  return out;
}

void CheckRanges(Engine& e, const std::string& key, const std::string& data,
                 const std::string& sse_c = "") {
  for (auto [a, b] : Ranges(data.size())) {
    GetObjectRequest g;
    g.bucket = "bkt";
    g.key = key;
    g.range = FromTo(a, b);
    g.customer_key = sse_c;
    auto r = e.GetObject(g);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    auto got = ReadAll(**r);
    ASSERT_TRUE(got.has_value()) << got.error().ToString();
    EXPECT_EQ(*got, data.substr(a, b - a + 1)) << key << " [" << a << "," << b << "]";
  }
}

class SealModes : public ::testing::TestWithParam<Mode> {};

TEST_P(SealModes, RangeReadsSinglePart) {
  TempDir dir;
  const Mode m = GetParam();
  auto e = Open(Options(dir.str(), m));
  ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
  for (size_t size : {size_t{100 * 1024}, size_t{3 * kChunk}, size_t{5 * kChunk + 17}}) {
    const std::string data = Text(size, static_cast<int>(size));
    const std::string key = "obj" + std::to_string(size);
    auto info = Put(*e, "bkt", key, data);
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(info->size, size);
    EXPECT_EQ(info->storage.sse, m.encrypt ? Sse::kS3 : Sse::kNone);
    EXPECT_EQ(info->storage.compressed, m.compress);
    if (m.compress) {
      EXPECT_LT(info->storage.stored_size, size / 2);
    }
    if (!m.compress && m.encrypt) {
      EXPECT_EQ(info->storage.stored_size, size + kGcmTagSize * ((size + kChunk - 1) / kChunk));
    }
    auto head = e->HeadObject(HeadReq("bkt", key));
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->etag, info->etag);
    EXPECT_EQ(head->storage.stored_size, info->storage.stored_size);
    CheckRanges(*e, key, data);
  }
}

TEST_P(SealModes, RangeReadsMultipart) {
  TempDir dir;
  const Mode m = GetParam();
  auto e = Open(Options(dir.str(), m));
  ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
  CreateMultipartRequest c;
  c.bucket = "bkt";
  c.key = "mp";
  auto up = e->CreateMultipartUpload(c);
  ASSERT_TRUE(up.has_value());
  const std::vector<size_t> sizes = {2 * kChunk + 5, 3 * kChunk, 1000};
  std::string all;
  CompleteMultipartRequest done;
  done.bucket = "bkt";
  done.key = "mp";
  done.upload_id = up->upload_id;
  for (uint32_t i = 0; i < sizes.size(); ++i) {
    const std::string part = Text(sizes[i], 100 + i);
    all += part;
    UploadPartRequest u;
    u.bucket = "bkt";
    u.key = "mp";
    u.upload_id = up->upload_id;
    u.part_number = i + 1;
    auto w = e->BeginUploadPart(u);
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Append(part).ok());
    auto p = (*w)->Commit();
    ASSERT_TRUE(p.has_value()) << p.error().ToString();
    done.parts.push_back({i + 1, p->etag});
  }
  auto info = e->CompleteMultipartUpload(done);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_EQ(info->storage.sse, m.encrypt ? Sse::kS3 : Sse::kNone);
  if (m.compress) {
    EXPECT_LT(info->storage.stored_size, all.size() / 2);
  }
  CheckRanges(*e, "mp", all);
  // Across part boundaries too.
  for (uint64_t b : {sizes[0], sizes[0] + sizes[1]}) {
    auto got = Get(*e, "bkt", "mp", FromTo(b - 3, b + 3));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, all.substr(b - 3, 7));
  }
}

INSTANTIATE_TEST_SUITE_P(All, SealModes,
                         ::testing::Values(Mode{"plain", false, false},
                                           Mode{"compressed", false, true},
                                           Mode{"encrypted", true, false},
                                           Mode{"both", true, true}),
                         [](const auto& info) { return std::string(info.param.name); });

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::filesystem::path> BlobFiles(const std::string& dir) {
  std::vector<std::filesystem::path> out;
  for (auto& f : std::filesystem::recursive_directory_iterator(dir + "/objects")) {
    // Blob files only (the STORE label is not one).
    if (f.is_regular_file() && backends::IsValidBlobId(f.path().filename().string())) {
      out.push_back(f.path());
    }
  }
  return out;
}

TEST(Encryption, FlippedByteOrTruncatedBlobIsAnError) {
  TempDir dir;
  for (bool compress : {false, true}) {
    auto e = Open(Options(dir.str(), Mode{"", true, compress}));
    ASSERT_TRUE(e->CreateBucket({"bkt"}).ok() || true);
    const std::string data = Text(4 * kChunk);
    ASSERT_TRUE(Put(*e, "bkt", "x", data).has_value());
    auto files = BlobFiles(dir.str());
    ASSERT_EQ(files.size(), 1u);
    std::string blob = ReadFile(files[0]);
    blob[blob.size() / 2] ^= 0x20;
    { std::ofstream(files[0], std::ios::binary | std::ios::trunc) << blob; }
    auto got = Get(*e, "bkt", "x");
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().code(), Status::Code::kCorruption) << got.error().ToString();
    // A range away from the damage still reads (only the chunks touched are opened).
    auto first = Get(*e, "bkt", "x", FromTo(0, 99));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, data.substr(0, 100));
    // Truncated: refused at open.
    std::filesystem::resize_file(files[0], blob.size() - 10);
    got = Get(*e, "bkt", "x");
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().code(), Status::Code::kCorruption);
    ASSERT_TRUE(e->DeleteObject(DelReq("bkt", "x")).has_value());
  }
}

TEST(Encryption, CustomerKeys) {
  TempDir dir;
  auto e = Open(Options(dir.str(), Mode{"", false, false}));
  ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
  const std::string key_a(32, 'a'), key_b(32, 'b');
  for (size_t size : {size_t{1000}, size_t{300000}}) {
    const std::string data = Text(size);
    PutObjectRequest p;
    p.encryption.kind = EncryptionRequest::Kind::kC;
    p.encryption.customer_key = key_a;
    auto info = Put(*e, "bkt", "c", data, p);
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(info->storage.sse, Sse::kC);
    HeadObjectRequest h = HeadReq("bkt", "c");
    EXPECT_EQ(e->HeadObject(h).status().code(), Status::Code::kInvalidRequest);
    h.customer_key = key_b;
    EXPECT_EQ(e->HeadObject(h).status().code(), Status::Code::kAccessDenied);
    h.customer_key = key_a;
    EXPECT_TRUE(e->HeadObject(h).has_value());
    GetObjectRequest g;
    g.bucket = "bkt";
    g.key = "c";
    EXPECT_EQ(e->GetObject(g).status().code(), Status::Code::kInvalidRequest);
    g.customer_key = key_b;
    EXPECT_EQ(e->GetObject(g).status().code(), Status::Code::kAccessDenied);
    g.customer_key = key_a;
    auto r = e->GetObject(g);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*ReadAll(**r), data);
    CheckRanges(*e, "c", data, key_a);
  }
  // A short key is refused before any byte is stored.
  PutObjectRequest bad;
  bad.bucket = "bkt";
  bad.key = "d";
  bad.encryption.kind = EncryptionRequest::Kind::kC;
  bad.encryption.customer_key = "short";
  EXPECT_EQ(e->BeginPut(bad).status().code(), Status::Code::kInvalidArgument);
  // Copy: SSE-C source to a plain destination re-seals; the wrong source key is refused.
  CopyObjectRequest cp;
  cp.src_bucket = cp.dst_bucket = "bkt";
  cp.src_key = "c";
  cp.dst_key = "plain";
  cp.encryption.kind = EncryptionRequest::Kind::kNone;
  cp.src_customer_key = key_b;
  EXPECT_EQ(e->CopyObject(cp).status().code(), Status::Code::kAccessDenied);
  cp.src_customer_key = key_a;
  auto copied = e->CopyObject(cp);
  ASSERT_TRUE(copied.has_value()) << copied.error().ToString();
  EXPECT_EQ(copied->storage.sse, Sse::kNone);
  EXPECT_EQ(*Get(*e, "bkt", "plain"), Text(300000));
  // Multipart with SSE-C: parts need the upload's key.
  CreateMultipartRequest c;
  c.bucket = "bkt";
  c.key = "mp";
  c.encryption.kind = EncryptionRequest::Kind::kC;
  c.encryption.customer_key = key_a;
  auto up = e->CreateMultipartUpload(c);
  ASSERT_TRUE(up.has_value()) << up.error().ToString();
  EXPECT_EQ(up->storage.sse, Sse::kC);
  UploadPartRequest u;
  u.bucket = "bkt";
  u.key = "mp";
  u.upload_id = up->upload_id;
  u.part_number = 1;
  u.customer_key = key_b;
  EXPECT_EQ(e->BeginUploadPart(u).status().code(), Status::Code::kAccessDenied);
  u.customer_key = key_a;
  auto w = e->BeginUploadPart(u);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append(Text(5000)).ok());
  auto part = (*w)->Commit();
  ASSERT_TRUE(part.has_value());
  CompleteMultipartRequest done;
  done.bucket = "bkt";
  done.key = "mp";
  done.upload_id = up->upload_id;
  done.parts = {{1, part->etag}};
  ASSERT_TRUE(e->CompleteMultipartUpload(done).has_value());
  HeadObjectRequest h = HeadReq("bkt", "mp");
  h.customer_key = key_b;
  EXPECT_EQ(e->HeadObject(h).status().code(), Status::Code::kAccessDenied);
  CheckRanges(*e, "mp", Text(5000), key_a);
}

TEST(Encryption, MasterKeyChecksAndRotation) {
  TempDir dir;
  const MasterKey k1{"k1", std::string(32, '1')}, k2{"k2", std::string(32, '2')};
  const Mode enc{"", true, false};
  const std::string small = Text(1000), big = Text(3 * kChunk + 5);
  {
    auto e = Open(Options(dir.str(), enc, {k1}));
    ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
    ASSERT_TRUE(Put(*e, "bkt", "small", small).has_value());
    ASSERT_TRUE(Put(*e, "bkt", "big", big).has_value());
    ASSERT_TRUE(e->CreateKmsKey("app").ok());
    PutObjectRequest p;
    p.encryption.kind = EncryptionRequest::Kind::kKms;
    p.encryption.kms_key_id = "app";
    p.encryption.kms_context = "eyJhIjoiYiJ9";
    auto kinfo = Put(*e, "bkt", "kms", big, p);
    ASSERT_TRUE(kinfo.has_value()) << kinfo.error().ToString();
    EXPECT_EQ(kinfo->storage.sse, Sse::kKms);
    EXPECT_EQ(kinfo->storage.kms_key_id, "app");
    EXPECT_EQ(kinfo->storage.kms_context, "eyJhIjoiYiJ9");
    p.encryption.kms_key_id = "nope";
    EXPECT_EQ(Put(*e, "bkt", "kms2", big, p).status().code(), Status::Code::kInvalidArgument);
    auto keys = e->ListKmsKeys();
    ASSERT_TRUE(keys.has_value());
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ((*keys)[0].name, "app");
  }
  // The wrong bytes under the same id, or no key at all: refused at open with a clear error.
  auto wrong = Engine::Open(Options(dir.str(), enc, {{"k1", std::string(32, 'x')}}));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message().find("k1"), std::string::npos) << wrong.error().ToString();
  EngineOptions none = Options(dir.str(), Mode{"", false, false});
  none.encryption.master_keys.clear();
  auto missing = Engine::Open(none);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kInvalidArgument);
  // Rotate to k2: every data key and the KMS key re-wrapped.
  {
    EngineOptions o = Options(dir.str(), enc, {k1, k2});
    o.encryption.active_key_id = "k2";
    auto e = Open(o);
    auto n = e->RotateMasterKey();
    ASSERT_TRUE(n.has_value()) << n.error().ToString();
    EXPECT_GE(*n, 3u);
    ASSERT_TRUE(Put(*e, "bkt", "after", small).has_value());
  }
  {
    auto e = Open(Options(dir.str(), enc, {k2}));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(*Get(*e, "bkt", "small"), small);
    EXPECT_EQ(*Get(*e, "bkt", "big"), big);
    EXPECT_EQ(*Get(*e, "bkt", "kms"), big);
    EXPECT_EQ(*Get(*e, "bkt", "after"), small);
    CheckRanges(*e, "big", big);
  }
  // k1 alone no longer opens it.
  EXPECT_FALSE(Engine::Open(Options(dir.str(), enc, {k1})).has_value());
}

TEST(Encryption, NoPlaintextOnDisk) {
  TempDir dir;
  const std::string marker = "PLAINTEXT-MARKER-7f3a";
  std::string inline_body, blob_body;
  for (int i = 0; inline_body.size() < 2000; ++i) inline_body += marker + std::to_string(i);
  for (int i = 0; blob_body.size() < 400000; ++i) blob_body += marker + std::to_string(i);
  for (Mode m : {Mode{"", true, false}, Mode{"", true, true}}) {
    {
      auto e = Open(Options(dir.str(), m));
      (void)e->CreateBucket({"bkt"});
      ASSERT_TRUE(Put(*e, "bkt", "inline", inline_body).has_value());
      ASSERT_TRUE(Put(*e, "bkt", "blob", blob_body).has_value());
      PutObjectRequest c;
      c.encryption.kind = EncryptionRequest::Kind::kC;
      c.encryption.customer_key = std::string(32, 'c');
      ASSERT_TRUE(Put(*e, "bkt", "ssec", blob_body, c).has_value());
      // The FUSE mount's path: a staged file is sealed (copied), never taken as it is.
      int fd = ::open((dir.path() / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
      ASSERT_GE(fd, 0);
      ASSERT_EQ(::pwrite(fd, blob_body.data(), blob_body.size(), 0),
                static_cast<ssize_t>(blob_body.size()));
      PutObjectRequest staged;
      staged.bucket = "bkt";
      staged.key = "staged";
      auto w = e->BeginPut(staged);
      ASSERT_TRUE(w.has_value());
      auto taken = (*w)->AppendFile(fd, blob_body.size());
      ASSERT_TRUE(taken.has_value()) << taken.error().ToString();
      EXPECT_FALSE(*taken);
      ASSERT_TRUE((*w)->Commit().has_value());
      ::close(fd);
      EXPECT_EQ(*Get(*e, "bkt", "staged"), blob_body);
      EXPECT_EQ(*Get(*e, "bkt", "inline"), inline_body);
      EXPECT_EQ(*Get(*e, "bkt", "blob"), blob_body);
    }
    size_t files = 0;
    for (auto& f : std::filesystem::recursive_directory_iterator(dir.path())) {
      if (!f.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(ReadFile(f.path()).find(marker), std::string::npos) << f.path();
    }
    EXPECT_GT(files, 3u);
  }
}

TEST(Encryption, PlainDataStaysReadableWhenEncryptionIsTurnedOn) {
  TempDir dir;
  EngineOptions plain = Options(dir.str(), Mode{"", false, false});
  plain.encryption.master_keys.clear();
  {
    auto e = Open(plain);
    ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
    ASSERT_TRUE(Put(*e, "bkt", "old", Text(200000)).has_value());
  }
  auto e = Open(Options(dir.str(), Mode{"", true, true}));
  EXPECT_EQ(*Get(*e, "bkt", "old"), Text(200000));
  auto info = Put(*e, "bkt", "new", Text(200000));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->storage.sse, Sse::kS3);
  // A copy of the old plain object is sealed; a copy of an SSE-S3 object shares its data.
  CopyObjectRequest cp;
  cp.src_bucket = cp.dst_bucket = "bkt";
  cp.src_key = "old";
  cp.dst_key = "old-copy";
  auto c1 = e->CopyObject(cp);
  ASSERT_TRUE(c1.has_value()) << c1.error().ToString();
  EXPECT_EQ(c1->storage.sse, Sse::kS3);
  EXPECT_EQ(c1->etag, info->etag);
  EXPECT_EQ(*Get(*e, "bkt", "old-copy"), Text(200000));
  // Excluded extensions are not compressed.
}

// A data dir written before sealed data existed (format marker "2") opens, reads, and gets
// its marker upgraded.
TEST(Encryption, FormatTwoDataDirOpens) {
  TempDir dir;
  EngineOptions plain = Options(dir.str(), Mode{"", false, false});
  plain.encryption.master_keys.clear();
  {
    auto e = Open(plain);
    ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
    ASSERT_TRUE(Put(*e, "bkt", "old", Text(300000)).has_value());
  }
  auto put_marker = [&](const std::string& v) {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir.str() + "/meta", &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), std::string(kFormatKey), v).ok());
  };
  // Each older marker opens, reads the old object and is upgraded to the current format:
  // 2 (before sealed data), 3 (before ACLs in records), 6 (before part checksums, ownership
  // controls and hard links) and 7 (before FULL_OBJECT uploads): for 6 and 7 the marker alone
  // changes.
  for (const char* old : {"2", "3", "6", "7"}) {
    put_marker(old);
    {
      auto e = Open(Options(dir.str(), Mode{"", true, true}));
      ASSERT_NE(e, nullptr) << old;
      EXPECT_EQ(*Get(*e, "bkt", "old"), Text(300000)) << old;
    }
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir.str() + "/meta", &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    std::string v;
    ASSERT_TRUE(db->Get(leveldb::ReadOptions(), std::string(kFormatKey), &v).ok());
    EXPECT_EQ(v, kFormatVersion) << old;
  }
  put_marker("9");
  EXPECT_EQ(Engine::Open(Options(dir.str(), Mode{"", true, true})).status().code(),
            Status::Code::kCorruption);
}

// Every codec, with and without encryption; data written under one codec is read (whole and by
// range) after the engine is reopened with another, and one multipart object gets parts of
// three codecs.
TEST(Encryption, EveryCodecReadsWhatTheOthersWrote) {
  const CompressionCodec codecs[] = {CompressionCodec::kZstd, CompressionCodec::kGzip,
                                     CompressionCodec::kLz4};
  for (bool encrypt : {false, true}) {
    TempDir dir;
    std::map<std::string, std::string> written;
    std::optional<std::string> upload;
    CompleteMultipartRequest done;
    std::string mp;
    for (size_t round = 0; round < 4; ++round) {
      EngineOptions o = Options(dir.str(), Mode{"", encrypt, round < 3});
      if (round < 3) o.compression.codec = codecs[round];
      o.compression.level = 0;
      auto e = Open(o);
      ASSERT_NE(e, nullptr);
      if (round == 0) {
        ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
      }
      const std::string key = "obj" + std::to_string(round);
      const std::string data = Text(3 * kChunk + 777, static_cast<int>(round));
      auto info = Put(*e, "bkt", key, data);
      ASSERT_TRUE(info.has_value()) << info.error().ToString();
      EXPECT_EQ(info->storage.compressed, round < 3);
      if (round < 3) {
        EXPECT_LT(info->storage.stored_size, data.size() / 2);
      }
      written[key] = data;
      if (round == 0) {
        CreateMultipartRequest c;
        c.bucket = "bkt";
        c.key = "mp";
        auto up = e->CreateMultipartUpload(c);
        ASSERT_TRUE(up.has_value());
        upload = up->upload_id;
        done.bucket = "bkt";
        done.key = "mp";
        done.upload_id = *upload;
      }
      if (round < 3) {  // one part per codec
        const std::string part = Text(2 * kChunk + 11, 50 + static_cast<int>(round));
        UploadPartRequest u;
        u.bucket = "bkt";
        u.key = "mp";
        u.upload_id = *upload;
        u.part_number = static_cast<uint32_t>(round + 1);
        auto w = e->BeginUploadPart(u);
        ASSERT_TRUE(w.has_value()) << w.error().ToString();
        ASSERT_TRUE((*w)->Append(part).ok());
        auto p = (*w)->Commit();
        ASSERT_TRUE(p.has_value()) << p.error().ToString();
        done.parts.push_back({u.part_number, p->etag});
        mp += part;
      } else {
        ASSERT_TRUE(e->CompleteMultipartUpload(done).has_value());
        written["mp"] = mp;
      }
      for (const auto& [k, v] : written) {
        EXPECT_EQ(*Get(*e, "bkt", k), v) << k << " round " << round;
        CheckRanges(*e, k, v);
      }
    }
  }
}

TEST(Encryption, CompressionExclusions) {
  TempDir dir;
  EngineOptions o = Options(dir.str(), Mode{"", false, true});
  o.compression.excluded_extensions = {".jpg"};
  o.compression.excluded_content_types = {"video/*", "application/zip"};
  auto e = Open(o);
  ASSERT_TRUE(e->CreateBucket({"bkt"}).ok());
  const std::string data = Text(200000);
  EXPECT_TRUE(Put(*e, "bkt", "a.txt", data)->storage.compressed);
  EXPECT_FALSE(Put(*e, "bkt", "a.JPG", data)->storage.compressed);
  PutObjectRequest p;
  p.meta.content_type = "video/mp4";
  EXPECT_FALSE(Put(*e, "bkt", "v", data, p)->storage.compressed);
  p.meta.content_type = "application/zip";
  EXPECT_FALSE(Put(*e, "bkt", "z", data, p)->storage.compressed);
  auto rnd = Put(*e, "bkt", "random", Pattern(200000, 3));
  EXPECT_FALSE(rnd->storage.compressed);
  EXPECT_EQ(rnd->storage.stored_size, 200000u);
  EXPECT_EQ(*Get(*e, "bkt", "a.JPG"), data);
  // Bucket usage shows both sizes.
  auto usage = e->GetBucketUsage("bkt");
  ASSERT_TRUE(usage.has_value()) << usage.error().ToString();
  EXPECT_EQ(usage->bytes, 5u * 200000);
  EXPECT_LT(usage->stored_bytes, usage->bytes);
  EXPECT_GT(usage->stored_bytes, 4u * 200000);
}

}  // namespace
}  // namespace maxiofs::engine
