// Unit tests of the identity store's parts: names and ids, record encodings, the secret box
// and password hashes.
#include "identity_names.h"
#include "identity_records.h"
#include "password_hash.h"
#include "secret_box.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>

namespace maxiofs::engine::iam {
namespace {

TEST(IdentityNames, CheckNameAcceptsIamCharacters) {
  EXPECT_TRUE(CheckName("user name", "alice", 64).ok());
  EXPECT_TRUE(CheckName("user name", "A-z_0.9+=,@", 64).ok());
  EXPECT_TRUE(CheckName("user name", std::string(64, 'a'), 64).ok());
}

TEST(IdentityNames, CheckNameRejectsBadNames) {
  for (std::string bad : {std::string(), std::string(65, 'a'), std::string("a b"),
                          std::string("a/b"), std::string("é"), std::string("a\0b", 3)}) {
    Status s = CheckName("user name", bad, 64);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("user name"), std::string_view::npos);
  }
}

TEST(IdentityNames, SessionNames) {
  EXPECT_TRUE(CheckSessionName("ab").ok());
  EXPECT_FALSE(CheckSessionName("a").ok());
  EXPECT_FALSE(CheckSessionName(std::string(65, 'a')).ok());
  EXPECT_FALSE(CheckSessionName("a:b").ok());
}

TEST(IdentityNames, IdsHaveTheirShapes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = NewId("AKIA", 16);
    EXPECT_TRUE(std::regex_match(id, std::regex("AKIA[A-Z0-9]{16}"))) << id;
    seen.insert(id);
    EXPECT_TRUE(std::regex_match(NewSecretKey(), std::regex("[A-Za-z0-9+/]{40}")));
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(NewSessionToken().size(), 128u);
  EXPECT_NE(NewSessionToken(), NewSessionToken());
}

TEST(IdentityNames, RoleNameFromArn) {
  EXPECT_EQ(RoleNameFromArn("arn:aws:iam::000000000000:role/admin"), "admin");
  EXPECT_EQ(RoleNameFromArn("arn:aws:iam::123456789012:role/path/to/reader"), "reader");
  EXPECT_EQ(RoleNameFromArn("arn:aws:iam::000000000000:user/admin"), "");
  EXPECT_EQ(RoleNameFromArn("arn:aws:iam::acct:role/admin"), "");
  EXPECT_EQ(RoleNameFromArn("admin"), "");
  EXPECT_EQ(RoleNameFromArn("arn:aws:iam::000000000000:role/"), "");
}

TEST(IdentityRecords, KeysAreLowerCasedAndPrefixed) {
  EXPECT_EQ(UserKey("Alice"), "iualice");
  EXPECT_EQ(GroupKey("Dev"), "igdev");
  EXPECT_EQ(PolicyKey("ReadOnly"), "ipreadonly");
  EXPECT_EQ(AccessKeyKey("AKIAX"), "ikAKIAX");
  EXPECT_EQ(SessionKey("ASIAX"), "isASIAX");
  EXPECT_TRUE(IdentityCheckKey().starts_with(IdentityPrefix()));
}

TEST(IdentityRecords, RoundTrip) {
  UserRecord u{"Alice", "AIDA1", 5, false, {"dev", "ops"}, {"p1"}, "pbkdf2-sha256$1$00$00"};
  auto u2 = DecodeUser(EncodeUser(u));
  ASSERT_TRUE(u2.has_value());
  EXPECT_EQ(u2->name, "Alice");
  EXPECT_FALSE(u2->enabled);
  EXPECT_EQ(u2->groups, u.groups);
  EXPECT_EQ(u2->password_hash, u.password_hash);

  AccessKeyRecord k{"Alice", std::string("\0\x01\xff", 3), false, 7, 9};
  auto k2 = DecodeAccessKey(EncodeAccessKey(k));
  ASSERT_TRUE(k2.has_value());
  EXPECT_EQ(k2->sealed_secret, k.sealed_secret);
  EXPECT_FALSE(k2->active);
  EXPECT_EQ(k2->last_used_ns, 9);

  PolicyRecord p{"P", "ANPA1", "d\xff", "{}", 1, 2};  // invalid UTF-8 in the description
  auto p2 = DecodePolicy(EncodePolicy(p));
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->document, "{}");

  SessionRecord s{"", "s", "t", 1, 2, "arn", ""};
  auto s2 = DecodeSession(EncodeSession(s));
  ASSERT_TRUE(s2.has_value());
  EXPECT_EQ(s2->sealed_token, "t");

  GroupRecord g{"G", "AGPA1", 3, {"p"}};
  auto g2 = DecodeGroup(EncodeGroup(g));
  ASSERT_TRUE(g2.has_value());
  EXPECT_EQ(g2->policies, g.policies);
}

TEST(IdentityRecords, GarbageIsCorruption) {
  for (std::string bad : {"", "{", "[]", R"({"v":2,"name":"a"})", R"({"v":1,"name":5})",
                          R"({"v":1,"name":"a","id":"b","created":1,"enabled":"yes",
                              "groups":[],"policies":[]})"}) {
    EXPECT_TRUE(DecodeUser(bad).error().IsCorruption()) << bad;
    EXPECT_TRUE(DecodeAccessKey(bad).error().IsCorruption()) << bad;
    EXPECT_TRUE(DecodeSession(bad).error().IsCorruption()) << bad;
  }
  EXPECT_TRUE(DecodeAccessKey(
                  R"({"v":1,"user":"a","secret":"zz","status":"Active","created":1,"last_used":0})")
                  .error()
                  .IsCorruption());
}

TEST(SecretBox, SealsAndOpens) {
  SecretBox box = SecretBox::Create("master");
  std::string sealed = box.Seal("my-secret", "aad1");
  EXPECT_EQ(sealed.find("my-secret"), std::string::npos);
  auto open = box.Open(sealed, "aad1");
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(*open, "my-secret");
  EXPECT_TRUE(box.Open(sealed, "aad2").error().IsCorruption());
  sealed[14] ^= 1;
  EXPECT_TRUE(box.Open(sealed, "aad1").error().IsCorruption());
}

TEST(SecretBox, CheckRecordTellsWrongMasterSecret) {
  SecretBox box = SecretBox::Create("master");
  std::string sealed = box.Seal("x", "a");
  auto again = SecretBox::FromCheckRecord("master", box.CheckRecord());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again->Open(sealed, "a"), "x");

  auto wrong = SecretBox::FromCheckRecord("other", box.CheckRecord());
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(wrong.error().message().find("auth.iam_master_secret"), std::string_view::npos);

  EXPECT_TRUE(SecretBox::FromCheckRecord("master", "junk").error().IsCorruption());
}

TEST(SecretBox, SaltsDiffer) {
  // Two data dirs with the same master secret do not share a sealing key.
  SecretBox a = SecretBox::Create("m"), b = SecretBox::Create("m");
  EXPECT_NE(a.CheckRecord(), b.CheckRecord());
  EXPECT_FALSE(b.Open(a.Seal("x", "a"), "a").has_value());
}

TEST(PasswordHash, VerifiesRightAndRefusesWrong) {
  std::string h = HashPassword("correct horse", 1000);
  EXPECT_TRUE(h.starts_with("pbkdf2-sha256$1000$"));
  EXPECT_EQ(h.find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(h, "correct horse"));
  EXPECT_FALSE(VerifyPassword(h, "correct horsf"));
  EXPECT_FALSE(VerifyPassword(h, ""));
  EXPECT_NE(HashPassword("same", 1000), HashPassword("same", 1000));  // salted
}

TEST(PasswordHash, MalformedStoredHashNeverMatches) {
  for (std::string bad :
       {std::string(), std::string("pbkdf2-sha256"), std::string("pbkdf2-sha256$x$00$00"),
        std::string("md5$1$00$00"), "pbkdf2-sha256$0$00$" + std::string(64, '0'),
        "pbkdf2-sha256$1$zz$" + std::string(64, '0')}) {
    EXPECT_FALSE(VerifyPassword(bad, "")) << bad;
  }
}

TEST(PasswordHash, DefaultCostIsBounded) {
  // A login must stay well under a second even on a loaded CI machine; the default iteration
  // count was chosen to take about 50 ms on this project's reference machine.
  std::string h = HashPassword("password1");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(VerifyPassword(h, "password1"));
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_LT(ms, 1000);
  RecordProperty("verify_ms", static_cast<int>(ms));
}

}  // namespace
}  // namespace maxiofs::engine::iam
