#include "record_codec.h"

#include <gtest/gtest.h>

namespace maxiofs::engine {
namespace {

ObjectRecord Sample() {
  ObjectRecord r;
  r.size = 123456789012ull;
  r.etag = "0123456789abcdef0123456789abcdef";
  r.last_modified_ns = 1700000000123456789;
  r.vkey = std::string(16, '\x07');
  r.legal_hold = true;
  r.retention = {LockMode::kGovernance, 1800000000000000000};
  r.storage = StorageKind::kMultipart;
  r.parts = {{"aa", 5, {}}, {"bb", 7, {}}};
  r.data_id = "ffeeddccbbaa99887766554433221100";
  r.meta.content_type = "text/plain; charset=utf-8";
  r.meta.content_encoding = "gzip";
  r.meta.content_disposition = "attachment; filename=\"a b.txt\"";
  r.meta.cache_control = "max-age=60";
  r.meta.content_language = "fr";
  r.meta.expires = "Thu, 01 Dec 1994 16:00:00 GMT";
  r.meta.storage_class = "STANDARD_IA";
  r.meta.user = {{"a", "1"}, {"mode", "33188"}, {"z", std::string(300, 'v')}};
  r.checksum = {ChecksumAlgorithm::kCRC32C, "4waSgw=="};
  return r;
}

TEST(RecordCodec, ObjectRoundTrip) {
  ObjectRecord r = Sample();
  auto back = DecodeObjectRecord(EncodeObjectRecord(r));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->size, r.size);
  EXPECT_EQ(back->etag, r.etag);
  EXPECT_EQ(back->last_modified_ns, r.last_modified_ns);
  EXPECT_EQ(back->version_id(), "07070707070707070707070707070707");
  EXPECT_TRUE(back->legal_hold);
  EXPECT_FALSE(back->delete_marker);
  EXPECT_EQ(back->retention, r.retention);
  ASSERT_EQ(back->parts.size(), 2u);
  EXPECT_EQ(back->parts[1].blob_id, "bb");
  EXPECT_EQ(back->parts[1].size, 7u);
  EXPECT_EQ(back->storage, StorageKind::kMultipart);
  EXPECT_EQ(back->data_id, r.data_id);
  EXPECT_EQ(back->meta, r.meta);
  EXPECT_EQ(back->checksum, r.checksum);
}

TEST(RecordCodec, EveryTruncationIsCorruptionNotACrash) {
  std::string enc = EncodeObjectRecord(Sample());
  for (size_t n = 0; n < enc.size(); ++n) {
    auto r = DecodeObjectRecord(std::string_view(enc).substr(0, n));
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_TRUE(r.error().IsCorruption());
  }
  EXPECT_FALSE(DecodeObjectRecord(enc + "x").has_value());
}

TEST(RecordCodec, GarbageIsCorruption) {
  std::string junk = "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
  EXPECT_TRUE(DecodeObjectRecord(junk).error().IsCorruption());
  EXPECT_TRUE(DecodeObjectRecord("\x03").error().IsCorruption());
  EXPECT_TRUE(DecodeBucketRecord("").error().IsCorruption());
}

TEST(RecordCodec, BucketAndRefCount) {
  BucketRecord br;
  br.created_ns = 42;
  br.versioning = VersioningState::kSuspended;
  br.lock_enabled = true;
  br.default_retention = {LockMode::kCompliance, 0, 3};
  auto b = DecodeBucketRecord(EncodeBucketRecord(br));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->created_ns, 42);
  EXPECT_EQ(b->versioning, VersioningState::kSuspended);
  EXPECT_TRUE(b->lock_enabled);
  EXPECT_EQ(b->default_retention, br.default_retention);
  UploadRecord ur;
  ur.initiated_ns = 9;
  ur.meta.content_type = "x/y";
  ur.checksum_algorithm = ChecksumAlgorithm::kSHA1;
  ur.lock.legal_hold = false;
  auto u = DecodeUploadRecord(EncodeUploadRecord(ur));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->meta, ur.meta);
  EXPECT_EQ(u->checksum_algorithm, ChecksumAlgorithm::kSHA1);
  ASSERT_TRUE(u->lock.legal_hold.has_value());
  EXPECT_FALSE(*u->lock.legal_hold);
  EXPECT_FALSE(u->lock.retention.has_value());
  auto p = DecodePartRecord(EncodePartRecord({5, "etag", 7, "blob", {}, {}}));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->blob_id, "blob");
  EXPECT_FALSE(DecodePartRecord("\x02\x05").has_value());
  for (uint64_t n : {0ull, 1ull, 255ull, 1ull << 40}) {
    auto c = DecodeRefCount(EncodeRefCount(n));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(*c, n);
  }
  EXPECT_FALSE(DecodeRefCount("abc").has_value());
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

SealInfo SampleSeal() {
  SealInfo s;
  s.mode = Sse::kKms;
  s.compressed = true;
  s.seal_id = std::string(16, '\x05');
  s.key_id = "app";
  s.wrapped_key = std::string(60, '\x09');
  s.kms_context = "e30=";
  s.stored_size = 1234;
  s.index = {600, 1869};
  return s;
}

TEST(RecordCodec, SealedRecordsRoundTripAsFormat3) {
  ObjectRecord r = Sample();
  const std::string plain = EncodeObjectRecord(r);
  EXPECT_EQ(plain[0], 2);  // unsealed records keep format 2, byte for byte
  r.seal.mode = Sse::kS3;
  r.parts[1].seal = SampleSeal();
  const std::string sealed = EncodeObjectRecord(r);
  EXPECT_EQ(sealed[0], 3);
  auto back = DecodeObjectRecord(sealed);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->seal.mode, Sse::kS3);
  EXPECT_EQ(back->parts[0].seal, SealInfo{});
  EXPECT_EQ(back->parts[1].seal, SampleSeal());
  EXPECT_EQ(back->meta, r.meta);
  for (size_t n = 1; n < sealed.size(); ++n) {
    EXPECT_FALSE(DecodeObjectRecord(sealed.substr(0, n)).has_value()) << n;
  }
  PartRecord p{5, "etag", 7, "blob", {}, SampleSeal()};
  auto pb = DecodePartRecord(EncodePartRecord(p));
  ASSERT_TRUE(pb.has_value());
  EXPECT_EQ(pb->seal, SampleSeal());
  BucketRecord b;
  b.default_sse = Sse::kKms;
  b.default_kms_key = "app";
  auto bb = DecodeBucketRecord(EncodeBucketRecord(b));
  ASSERT_TRUE(bb.has_value());
  EXPECT_EQ(bb->default_sse, Sse::kKms);
  EXPECT_EQ(bb->default_kms_key, "app");
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

Acl SampleAcl() {
  Acl a;
  a.grants = {{AclGrant::GranteeType::kCanonicalUser, std::string(kCanonicalUserId),
               AclPermission::kFullControl},
              {AclGrant::GranteeType::kGroup, "http://acs.amazonaws.com/groups/global/AllUsers",
               AclPermission::kRead}};
  return a;
}

// A format-2 object record exactly as the encoder before ACLs wrote it.
std::string GoldenFormat2Record() {
  std::string v;
  v += '\x02';                              // version
  v += '\x03';                              // size 3
  v += std::string("\x01") + "e";           // etag "e"
  v += '\x05';                              // last_modified_ns 5
  v += '\x10' + std::string(16, '\x07');    // vkey
  v += std::string("\x00\x00\x00\x00", 4);  // flags, lock mode, retain until, storage inline
  v += std::string("\x00\x00", 2);          // data_id "", no parts
  v += std::string(7, '\x00');              // content-type ... storage class
  v += '\x00';                              // no user metadata
  v += std::string("\x00\x00", 2);          // no checksum
  return v;
}

TEST(RecordCodec, OldRecordsReadAsPrivate) {
  auto old = DecodeObjectRecord(GoldenFormat2Record());
  ASSERT_TRUE(old.has_value()) << old.error().ToString();
  EXPECT_EQ(old->size, 3u);
  EXPECT_EQ(old->etag, "e");
  EXPECT_FALSE(old->acl.has_value());
  // Re-encoding a record without an ACL gives the same bytes (format 2 stays format 2).
  EXPECT_EQ(EncodeObjectRecord(*old), GoldenFormat2Record());
  ObjectRecord sealed = Sample();
  sealed.seal = SampleSeal();
  auto s3 = DecodeObjectRecord(EncodeObjectRecord(sealed));
  ASSERT_TRUE(s3.has_value());
  EXPECT_FALSE(s3->acl.has_value());
  UploadRecord ur;
  ur.initiated_ns = 1;
  auto u = DecodeUploadRecord(EncodeUploadRecord(ur));
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->acl.has_value());
}

TEST(RecordCodec, AclRecordsRoundTripAsFormat4) {
  ObjectRecord r = Sample();
  r.acl = SampleAcl();
  const std::string enc = EncodeObjectRecord(r);
  EXPECT_EQ(enc[0], 4);
  auto back = DecodeObjectRecord(enc);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ASSERT_TRUE(back->acl.has_value());
  EXPECT_EQ(*back->acl, SampleAcl());
  EXPECT_EQ(back->meta, r.meta);
  EXPECT_EQ(back->parts.size(), 2u);
  EXPECT_EQ(back->parts[0].seal, SealInfo{});
  // With sealed data too.
  r.seal = SampleSeal();
  back = DecodeObjectRecord(EncodeObjectRecord(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->seal, SampleSeal());
  EXPECT_EQ(*back->acl, SampleAcl());
  for (size_t n = 1; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeObjectRecord(enc.substr(0, n)).has_value()) << n;
  }
  // A bad permission byte is corruption.
  std::string bad = enc;
  bad.back() = '\x09';
  EXPECT_TRUE(DecodeObjectRecord(bad).error().IsCorruption());

  UploadRecord ur;
  ur.initiated_ns = 3;
  ur.acl = SampleAcl();
  const std::string uenc = EncodeUploadRecord(ur);
  EXPECT_EQ(uenc[0], 4);
  auto u = DecodeUploadRecord(uenc);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(*u->acl, SampleAcl());

  auto a = DecodeAcl(EncodeAcl(SampleAcl()));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, SampleAcl());
  EXPECT_TRUE(DecodeAcl("\x05").error().IsCorruption());
}

TEST(RecordCodec, TaggedRecordsRoundTripAsFormat5) {
  const TagSet tags = {{"Hello", "World"}, {"empty", ""}, {"\xc3\xa9t\xc3\xa9", "\x01v"}};
  ObjectRecord r = Sample();
  r.tags = tags;
  const std::string enc = EncodeObjectRecord(r);
  EXPECT_EQ(enc[0], 5);
  auto back = DecodeObjectRecord(enc);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->tags, tags);
  EXPECT_FALSE(back->acl.has_value());
  EXPECT_EQ(back->meta, r.meta);
  EXPECT_EQ(back->parts.size(), 2u);
  EXPECT_EQ(ToObjectInfo("b", "k", *back).tag_count, 3u);
  for (size_t n = 1; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeObjectRecord(enc.substr(0, n)).has_value()) << n;
  }
  // With an ACL and sealed data too: both sections, in id order.
  r.acl = SampleAcl();
  r.seal = SampleSeal();
  const std::string both = EncodeObjectRecord(r);
  EXPECT_EQ(both[0], 5);
  back = DecodeObjectRecord(both);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back->acl, SampleAcl());
  EXPECT_EQ(back->tags, tags);
  EXPECT_EQ(back->seal, SampleSeal());
  // Without tags the record goes back to format 4 (ACL) or 2, byte for byte.
  r.tags.clear();
  EXPECT_EQ(EncodeObjectRecord(r)[0], 4);

  // The tags are the last section: corrupting its id makes the record corrupt (unknown id, or
  // ids out of order), never silently read.
  ObjectRecord t = Sample();
  t.tags = tags;
  std::string e = EncodeObjectRecord(t);
  const std::string payload = EncodeTags(tags);
  const size_t id_at = e.size() - payload.size() - 2;  // byte(id) varint(len<128) payload
  ASSERT_EQ(e[id_at], 2);
  for (char id : {'\x00', '\x01', '\x03', '\x7f'}) {
    std::string bad = e;
    bad[id_at] = id;
    EXPECT_TRUE(DecodeObjectRecord(bad).error().IsCorruption()) << int(id);
  }

  UploadRecord ur;
  ur.initiated_ns = 9;
  ur.tags = tags;
  const std::string uenc = EncodeUploadRecord(ur);
  EXPECT_EQ(uenc[0], 5);
  auto u = DecodeUploadRecord(uenc);
  ASSERT_TRUE(u.has_value()) << u.error().ToString();
  EXPECT_EQ(u->tags, tags);
  EXPECT_FALSE(u->acl.has_value());
  ur.acl = SampleAcl();
  u = DecodeUploadRecord(EncodeUploadRecord(ur));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(*u->acl, SampleAcl());
  EXPECT_EQ(u->tags, tags);
  EXPECT_EQ(u->checksum_type, ChecksumType::kComposite);
  // FULL_OBJECT is section 4 and makes a record format 5 even without tags.
  UploadRecord full;
  full.checksum_algorithm = ChecksumAlgorithm::kCRC32C;
  full.checksum_type = ChecksumType::kFullObject;
  const std::string fenc = EncodeUploadRecord(full);
  EXPECT_EQ(fenc[0], 5);
  u = DecodeUploadRecord(fenc);
  ASSERT_TRUE(u.has_value()) << u.error().ToString();
  EXPECT_EQ(u->checksum_type, ChecksumType::kFullObject);
  EXPECT_TRUE(u->tags.empty());
  std::string bad_type = fenc;
  bad_type.back() = 0;  // the section's payload: only 1 (FULL_OBJECT) is written
  EXPECT_TRUE(DecodeUploadRecord(bad_type).error().IsCorruption());

  auto bt = DecodeTags(EncodeTags(tags));
  ASSERT_TRUE(bt.has_value());
  EXPECT_EQ(*bt, tags);
  EXPECT_TRUE(DecodeTags("\x05").error().IsCorruption());
  EXPECT_TRUE(DecodeTags(EncodeTags(tags) + "x").error().IsCorruption());
}

TEST(RecordCodec, PartChecksumsRoundTripAsFormat5Section3) {
  ObjectRecord r = Sample();
  // Without part checksums the record keeps its older format, byte for byte.
  EXPECT_EQ(EncodeObjectRecord(r)[0], 2);
  r.parts[0].checksum = "AAAAAA==";
  r.parts[1].checksum = "BBBBBB==";
  const std::string enc = EncodeObjectRecord(r);
  EXPECT_EQ(enc[0], 5);
  auto back = DecodeObjectRecord(enc);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ASSERT_EQ(back->parts.size(), 2u);
  EXPECT_EQ(back->parts[0].checksum, "AAAAAA==");
  EXPECT_EQ(back->parts[1].checksum, "BBBBBB==");
  EXPECT_EQ(back->parts[1].blob_id, "bb");
  EXPECT_FALSE(back->acl.has_value());
  EXPECT_TRUE(back->tags.empty());
  for (size_t n = 1; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeObjectRecord(enc.substr(0, n)).has_value()) << n;
  }
  // With an ACL and tags: three sections in id order.
  r.acl = SampleAcl();
  r.tags = {{"k", "v"}};
  back = DecodeObjectRecord(EncodeObjectRecord(r));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back->acl, SampleAcl());
  EXPECT_EQ(back->tags, r.tags);
  EXPECT_EQ(back->parts[0].checksum, "AAAAAA==");
  // A section listing another number of checksums than the record has parts is corrupt.
  std::string e = EncodeObjectRecord(r);
  ObjectRecord three = r;
  three.parts.push_back(three.parts[0]);
  const std::string three_enc = EncodeObjectRecord(three);
  // Swap the part lists' section payloads: decode the 3-part section against 2 parts.
  const std::string sec2 = e.substr(e.size() - (1 + 2 * 9) - 1);
  const std::string sec3 = three_enc.substr(three_enc.size() - (1 + 3 * 9) - 1);
  ASSERT_EQ(sec2[0], 1 + 2 * 9);
  ASSERT_EQ(sec3[0], 1 + 3 * 9);
  std::string bad = e.substr(0, e.size() - sec2.size()) + sec3;
  EXPECT_TRUE(DecodeObjectRecord(bad).error().IsCorruption());
}

}  // namespace
}  // namespace maxiofs::engine
