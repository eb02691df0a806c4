// The identity store through a real Engine (Engine::iam()): users, access keys, groups,
// managed policies, console passwords, sessions, persistence, secrets at rest, concurrency.
// PoliciesFor (internal) is tested on an IdentityStore over a plain LevelDB.
#include "identity_store.h"

#include "identity_records.h"
#include "test_util.h"

#include "maxiofs/engine/engine.h"
#include "maxiofs/engine/iam.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

namespace maxiofs::engine {
namespace {

using Code = Status::Code;

constexpr int64_t kSec = 1'000'000'000;
constexpr std::string_view kAllowGet =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
    R"("Resource":"*"}]})";
constexpr std::string_view kAllowPut =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject",)"
    R"("Resource":"*"}]})";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  EngineOptions Options(std::string master = "test-master-secret") const {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.iam.master_secret = std::move(master);
    return o;
  }
  void Reopen(std::string master = "test-master-secret") {
    engine_.reset();
    auto r = Engine::Open(Options(std::move(master)));
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    engine_ = std::move(r).value();
  }
  Iam& iam() { return engine_->iam(); }

  Principal UserPrincipal(const std::string& name) {
    Principal p;
    p.kind = PrincipalKind::kUser;
    p.user = name;
    p.arn = "arn:aws:iam::000000000000:user/" + name;
    return p;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

// --- Users ---------------------------------------------------------------------------------

TEST_F(IdentityStoreTest, CreateGetListUsers) {
  auto u = iam().CreateUser("alice");
  ASSERT_TRUE(u.has_value()) << u.error().ToString();
  EXPECT_EQ(u->name, "alice");
  EXPECT_EQ(u->arn, "arn:aws:iam::000000000000:user/alice");
  EXPECT_TRUE(std::regex_match(u->user_id, std::regex("AIDA[A-Z0-9]{17}"))) << u->user_id;
  EXPECT_TRUE(u->enabled);
  EXPECT_FALSE(u->has_console_password);
  EXPECT_GT(u->created_ns, 0);
  ASSERT_TRUE(iam().CreateUser("Bob").has_value());

  auto got = iam().GetUser("ALICE");  // names are case-insensitive
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "alice");
  EXPECT_EQ(got->user_id, u->user_id);

  auto list = iam().ListUsers();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alice");
  EXPECT_EQ((*list)[1].name, "Bob");
}

TEST_F(IdentityStoreTest, UserNameRulesAndDuplicates) {
  for (std::string bad : {std::string(), std::string(65, 'x'), std::string("a b"),
                          std::string("a/b"), std::string("a*")}) {
    EXPECT_EQ(iam().CreateUser(bad).error().code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(iam().CreateUser(std::string(64, 'x')).has_value());
  ASSERT_TRUE(iam().CreateUser("carol").has_value());
  EXPECT_EQ(iam().CreateUser("carol").error().code(), Code::kEntityAlreadyExists);
  EXPECT_EQ(iam().CreateUser("CAROL").error().code(), Code::kEntityAlreadyExists);
  EXPECT_EQ(iam().ListUsers()->size(), 2u);
}

TEST_F(IdentityStoreTest, UnknownUserIsNoSuchEntity) {
  EXPECT_EQ(iam().GetUser("nobody").error().code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().SetUserEnabled("nobody", false).code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().DeleteUser("nobody", false).code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().DeleteUser("nobody", true).code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().CreateAccessKey("nobody").error().code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().ListAccessKeys("nobody").error().code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().SetConsolePassword("nobody", "password123").code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().DeleteConsolePassword("nobody").code(), Code::kNoSuchEntity);
}

TEST_F(IdentityStoreTest, DeleteUserConflictsUntilForced) {
  ASSERT_TRUE(iam().CreateUser("dave").has_value());
  ASSERT_TRUE(iam().CreateGroup("devs").has_value());
  auto key = iam().CreateAccessKey("dave");
  ASSERT_TRUE(key.has_value());
  ASSERT_TRUE(iam().AddUserToGroup("devs", "dave").ok());
  ASSERT_TRUE(iam().SetConsolePassword("dave", "password123").ok());

  EXPECT_EQ(iam().DeleteUser("dave", false).code(), Code::kDeleteConflict);
  ASSERT_TRUE(iam().DeleteAccessKey("dave", key->access_key).ok());
  EXPECT_EQ(iam().DeleteUser("dave", false).code(), Code::kDeleteConflict);  // password
  ASSERT_TRUE(iam().DeleteConsolePassword("dave").ok());
  EXPECT_EQ(iam().DeleteUser("dave", false).code(), Code::kDeleteConflict);  // group
  ASSERT_TRUE(iam().RemoveUserFromGroup("devs", "dave").ok());
  EXPECT_TRUE(iam().DeleteUser("dave", false).ok());
  EXPECT_EQ(iam().GetUser("dave").error().code(), Code::kNoSuchEntity);

  // force removes keys, membership and password in one go.
  ASSERT_TRUE(iam().CreateUser("erin").has_value());
  auto k2 = iam().CreateAccessKey("erin");
  ASSERT_TRUE(k2.has_value());
  ASSERT_TRUE(iam().AddUserToGroup("devs", "erin").ok());
  ASSERT_TRUE(iam().SetConsolePassword("erin", "password123").ok());
  EXPECT_TRUE(iam().DeleteUser("erin", true).ok());
  EXPECT_EQ(iam().LookupCredential(k2->access_key, Now()).error().code(),
            Code::kInvalidAccessKeyId);
  EXPECT_TRUE(iam().GetGroup("devs")->members.empty());
  // The name is free again, with nothing left over.
  ASSERT_TRUE(iam().CreateUser("erin").has_value());
  EXPECT_TRUE(iam().ListAccessKeys("erin")->empty());
  EXPECT_TRUE(iam().GetUser("erin")->groups.empty());
  Reopen();
  EXPECT_TRUE(iam().ListAccessKeys("erin")->empty());
  EXPECT_TRUE(iam().GetGroup("devs")->members.empty());
}

TEST_F(IdentityStoreTest, DeleteUserWithPolicyConflictsUntilForced) {
  ASSERT_TRUE(iam().CreateUser("pat").has_value());
  ASSERT_TRUE(iam().CreatePolicy("get", kAllowGet, "").has_value());
  ASSERT_TRUE(iam().AttachUserPolicy("pat", "get").ok());
  EXPECT_EQ(iam().DeleteUser("pat", false).code(), Code::kDeleteConflict);
  EXPECT_TRUE(iam().DeleteUser("pat", true).ok());
  EXPECT_EQ(iam().GetPolicy("get")->attachment_count, 0u);
  EXPECT_TRUE(iam().DeletePolicy("get").ok());
}

// --- Access keys and credentials -----------------------------------------------------------

TEST_F(IdentityStoreTest, AccessKeyLifecycleAndLookup) {
  ASSERT_TRUE(iam().CreateUser("frank").has_value());
  auto k = iam().CreateAccessKey("FRANK");
  ASSERT_TRUE(k.has_value()) << k.error().ToString();
  EXPECT_TRUE(std::regex_match(k->access_key, std::regex("AKIA[A-Z0-9]{16}"))) << k->access_key;
  EXPECT_TRUE(std::regex_match(k->secret_key, std::regex("[A-Za-z0-9+/]{40}")));
  EXPECT_EQ(k->user, "frank");
  EXPECT_EQ(k->status, AccessKeyStatus::kActive);

  auto c = iam().LookupCredential(k->access_key, Now());
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->secret_key, k->secret_key);
  EXPECT_EQ(c->principal.kind, PrincipalKind::kUser);
  EXPECT_EQ(c->principal.user, "frank");
  EXPECT_EQ(c->principal.access_key, k->access_key);
  EXPECT_EQ(c->principal.arn, "arn:aws:iam::000000000000:user/frank");
  EXPECT_TRUE(c->session_token.empty());
  EXPECT_EQ(c->expires_ns, 0);

  auto list = iam().ListAccessKeys("frank");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].access_key, k->access_key);
  EXPECT_TRUE((*list)[0].secret_key.empty());  // never listed
  EXPECT_GT((*list)[0].last_used_ns, 0);

  ASSERT_TRUE(iam().CreateAccessKey("frank").has_value());
  EXPECT_EQ(iam().ListAccessKeys("frank")->size(), 2u);

  ASSERT_TRUE(iam().DeleteAccessKey("frank", k->access_key).ok());
  EXPECT_EQ(iam().LookupCredential(k->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  EXPECT_EQ(iam().DeleteAccessKey("frank", k->access_key).code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().ListAccessKeys("frank")->size(), 1u);
}

TEST_F(IdentityStoreTest, PutAccessKeyCreatesUpdatesAndChangesNothingTheSecondTime) {
  ASSERT_TRUE(iam().CreateUser("hana").has_value());
  ASSERT_TRUE(iam().CreateUser("ivan").has_value());
  auto put = iam().PutAccessKey("hana", "HANAKEY001", "first-secret", AccessKeyStatus::kActive);
  ASSERT_TRUE(put.has_value()) << put.error().ToString();
  EXPECT_TRUE(*put);
  auto c = iam().LookupCredential("HANAKEY001", Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->secret_key, "first-secret");
  EXPECT_EQ(c->principal.user, "hana");
  const int64_t created = iam().ListAccessKeys("hana")->at(0).created_ns;
  // The same again: nothing changes.
  EXPECT_FALSE(*iam().PutAccessKey("hana", "HANAKEY001", "first-secret", AccessKeyStatus::kActive));
  // Another secret, then inactive: each a change, the key keeps its identity.
  EXPECT_TRUE(*iam().PutAccessKey("hana", "HANAKEY001", "second-secret", AccessKeyStatus::kActive));
  EXPECT_EQ(iam().LookupCredential("HANAKEY001", Now())->secret_key, "second-secret");
  EXPECT_TRUE(
      *iam().PutAccessKey("hana", "HANAKEY001", "second-secret", AccessKeyStatus::kInactive));
  EXPECT_EQ(iam().LookupCredential("HANAKEY001", Now()).error().code(), Code::kInvalidAccessKeyId);
  ASSERT_EQ(iam().ListAccessKeys("hana")->size(), 1u);
  EXPECT_EQ(iam().ListAccessKeys("hana")->at(0).created_ns, created);
  // Survives a restart, sealed like any key.
  EXPECT_TRUE(*iam().PutAccessKey("hana", "HANAKEY001", "second-secret", AccessKeyStatus::kActive));
  Reopen();
  EXPECT_EQ(iam().LookupCredential("HANAKEY001", Now())->secret_key, "second-secret");
  // Someone else's key, root's, bad ids and secrets, unknown users.
  EXPECT_EQ(iam()
                .PutAccessKey("ivan", "HANAKEY001", "other-secret", AccessKeyStatus::kActive)
                .error()
                .code(),
            Code::kEntityAlreadyExists);
  EXPECT_EQ(iam().LookupCredential("HANAKEY001", Now())->principal.user, "hana");
  EXPECT_EQ(iam()
                .PutAccessKey("ivan", "maxioadmin", "other-secret", AccessKeyStatus::kActive)
                .error()
                .code(),
            Code::kEntityAlreadyExists);
  for (std::string_view bad_id : {"ab", "has space", "a/b", "a:b", ""}) {
    EXPECT_EQ(
        iam().PutAccessKey("ivan", bad_id, "other-secret", AccessKeyStatus::kActive).error().code(),
        Code::kInvalidArgument)
        << bad_id;
  }
  for (std::string_view bad_secret : {std::string_view("short"), std::string_view("has a space"),
                                      std::string_view("tab\there!")}) {
    EXPECT_EQ(
        iam().PutAccessKey("ivan", "IVANKEY", bad_secret, AccessKeyStatus::kActive).error().code(),
        Code::kInvalidArgument)
        << bad_secret;
  }
  EXPECT_EQ(iam()
                .PutAccessKey("nobody", "NOBODYKEY", "some-secret", AccessKeyStatus::kActive)
                .error()
                .code(),
            Code::kNoSuchEntity);
}

TEST_F(IdentityStoreTest, PutConsolePasswordChangesOnlyWhatDiffers) {
  ASSERT_TRUE(iam().CreateUser("jo").has_value());
  EXPECT_TRUE(*iam().PutConsolePassword("jo", "password-one"));
  EXPECT_TRUE(iam().CheckConsolePassword("jo", "password-one").has_value());
  EXPECT_FALSE(*iam().PutConsolePassword("jo", "password-one"));
  // A disabled user's password is still compared (a users file may disable a user).
  ASSERT_TRUE(iam().SetUserEnabled("jo", false).ok());
  EXPECT_FALSE(*iam().PutConsolePassword("jo", "password-one"));
  EXPECT_TRUE(*iam().PutConsolePassword("jo", "password-two"));
  ASSERT_TRUE(iam().SetUserEnabled("jo", true).ok());
  EXPECT_TRUE(iam().CheckConsolePassword("jo", "password-two").has_value());
  EXPECT_FALSE(iam().CheckConsolePassword("jo", "password-one").has_value());
  EXPECT_EQ(iam().PutConsolePassword("jo", "short").error().code(), Code::kInvalidArgument);
  EXPECT_EQ(iam().PutConsolePassword("nobody", "password-one").error().code(), Code::kNoSuchEntity);
}

TEST_F(IdentityStoreTest, RootAndUnknownKeys) {
  auto root = iam().LookupCredential("maxioadmin", Now());
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->principal.kind, PrincipalKind::kRoot);
  EXPECT_EQ(root->principal.arn, "arn:aws:iam::000000000000:root");
  EXPECT_EQ(root->secret_key, "maxioadmin");
  EXPECT_EQ(iam().LookupCredential("AKIAUNKNOWN000000000", Now()).error().code(),
            Code::kInvalidAccessKeyId);
  EXPECT_EQ(iam().LookupCredential("", Now()).error().code(), Code::kInvalidAccessKeyId);
}

TEST_F(IdentityStoreTest, KeyOfAnotherUserIsNoSuchEntity) {
  ASSERT_TRUE(iam().CreateUser("u1").has_value());
  ASSERT_TRUE(iam().CreateUser("u2").has_value());
  auto k = iam().CreateAccessKey("u1");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(iam().SetAccessKeyStatus("u2", k->access_key, AccessKeyStatus::kInactive).code(),
            Code::kNoSuchEntity);
  EXPECT_EQ(iam().DeleteAccessKey("u2", k->access_key).code(), Code::kNoSuchEntity);
  EXPECT_TRUE(iam().LookupCredential(k->access_key, Now()).has_value());
}

TEST_F(IdentityStoreTest, DeactivatedKeyRefusedAtOnceAndReactivated) {
  ASSERT_TRUE(iam().CreateUser("gina").has_value());
  auto k = iam().CreateAccessKey("gina");
  ASSERT_TRUE(k.has_value());
  ASSERT_TRUE(iam().LookupCredential(k->access_key, Now()).has_value());
  ASSERT_TRUE(iam().SetAccessKeyStatus("gina", k->access_key, AccessKeyStatus::kInactive).ok());
  EXPECT_EQ(iam().LookupCredential(k->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  EXPECT_EQ((*iam().ListAccessKeys("gina"))[0].status, AccessKeyStatus::kInactive);
  Reopen();  // the status is stored
  EXPECT_EQ(iam().LookupCredential(k->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  ASSERT_TRUE(iam().SetAccessKeyStatus("gina", k->access_key, AccessKeyStatus::kActive).ok());
  auto c = iam().LookupCredential(k->access_key, Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->secret_key, k->secret_key);
}

TEST_F(IdentityStoreTest, DisabledUserRefused) {
  ASSERT_TRUE(iam().CreateUser("hank").has_value());
  auto k = iam().CreateAccessKey("hank");
  ASSERT_TRUE(k.has_value());
  ASSERT_TRUE(iam().SetUserEnabled("hank", false).ok());
  EXPECT_FALSE(iam().GetUser("hank")->enabled);
  EXPECT_EQ(iam().LookupCredential(k->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  ASSERT_TRUE(iam().SetUserEnabled("hank", true).ok());
  EXPECT_TRUE(iam().LookupCredential(k->access_key, Now()).has_value());
}

TEST_F(IdentityStoreTest, LastUsedIsKeptAcrossReopen) {
  ASSERT_TRUE(iam().CreateUser("ivy").has_value());
  auto k = iam().CreateAccessKey("ivy");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ((*iam().ListAccessKeys("ivy"))[0].last_used_ns, 0);
  const int64_t t = Now();
  ASSERT_TRUE(iam().LookupCredential(k->access_key, t).has_value());
  EXPECT_EQ((*iam().ListAccessKeys("ivy"))[0].last_used_ns, t);
  Reopen();  // flushed at shutdown
  EXPECT_EQ((*iam().ListAccessKeys("ivy"))[0].last_used_ns, t);
  // A lookup far enough in the future flushes by itself.
  ASSERT_TRUE(iam().LookupCredential(k->access_key, t + 120 * kSec).has_value());
  EXPECT_EQ((*iam().ListAccessKeys("ivy"))[0].last_used_ns, t + 120 * kSec);
}

// --- Persistence and secrets at rest --------------------------------------------------------

TEST_F(IdentityStoreTest, EverythingSurvivesReopen) {
  ASSERT_TRUE(iam().CreateUser("Judy").has_value());
  ASSERT_TRUE(iam().CreateGroup("Ops").has_value());
  ASSERT_TRUE(iam().AddUserToGroup("ops", "judy").ok());
  auto k = iam().CreateAccessKey("judy");
  ASSERT_TRUE(k.has_value());
  ASSERT_TRUE(iam().SetConsolePassword("judy", "s3cret-pass").ok());
  auto before = iam().GetUser("judy");
  ASSERT_TRUE(before.has_value());
  Reopen();
  auto after = iam().GetUser("judy");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->name, "Judy");
  EXPECT_EQ(after->user_id, before->user_id);
  EXPECT_EQ(after->created_ns, before->created_ns);
  EXPECT_TRUE(after->has_console_password);
  EXPECT_EQ(after->groups, std::vector<std::string>{"Ops"});
  EXPECT_EQ(iam().GetGroup("OPS")->members, std::vector<std::string>{"Judy"});
  auto c = iam().LookupCredential(k->access_key, Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->secret_key, k->secret_key);
  EXPECT_TRUE(iam().CheckConsolePassword("judy", "s3cret-pass").has_value());
}

TEST_F(IdentityStoreTest, WrongMasterSecretFailsOpenClearly) {
  ASSERT_TRUE(iam().CreateUser("kim").has_value());
  ASSERT_TRUE(iam().CreateAccessKey("kim").has_value());
  engine_.reset();
  auto r = Engine::Open(Options("another-secret"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_NE(r.error().message().find("auth.iam_master_secret"), std::string_view::npos)
      << r.error().ToString();
  Reopen();  // the right one still works
  EXPECT_EQ(iam().ListAccessKeys("kim")->size(), 1u);
}

TEST_F(IdentityStoreTest, MasterSecretDefaultsToRootSecret) {
  engine_.reset();
  EngineOptions o = Options("");
  o.iam.root_secret_key = "root-secret-1";
  {
    auto e = Engine::Open(o);
    ASSERT_TRUE(e.has_value());
    ASSERT_TRUE((*e)->iam().CreateUser("lee").has_value());
    ASSERT_TRUE((*e)->iam().CreateAccessKey("lee").has_value());
  }
  o.iam.root_secret_key = "root-secret-2";
  auto e = Engine::Open(o);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("auth.iam_master_secret"), std::string_view::npos);
}

TEST_F(IdentityStoreTest, ChangedMasterSecretIsFineWhileNoSecretIsStored) {
  ASSERT_TRUE(iam().CreateUser("mia").has_value());
  auto k = iam().CreateAccessKey("mia");
  ASSERT_TRUE(k.has_value());
  ASSERT_TRUE(iam().DeleteAccessKey("mia", k->access_key).ok());
  Reopen("a-new-master-secret");
  EXPECT_TRUE(iam().GetUser("mia").has_value());
  auto k2 = iam().CreateAccessKey("mia");
  ASSERT_TRUE(k2.has_value());
  Reopen("a-new-master-secret");
  EXPECT_EQ(iam().LookupCredential(k2->access_key, Now())->secret_key, k2->secret_key);
}

// Every file under <data>/meta, concatenated.
std::string ReadMetaFiles(const std::filesystem::path& data) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data / "meta")) {
    if (!e.is_regular_file()) continue;
    std::ifstream f(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  return all;
}

TEST_F(IdentityStoreTest, SecretsAreNotStoredInPlainText) {
  ASSERT_TRUE(iam().CreateUser("nina").has_value());
  auto k = iam().CreateAccessKey("nina");
  ASSERT_TRUE(k.has_value());
  ASSERT_TRUE(iam().SetConsolePassword("nina", "plain-password-42").ok());
  SessionRequest req;
  req.caller = UserPrincipal("nina");
  auto s = iam().CreateSession(req, Now());
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  engine_.reset();
  const std::string all = ReadMetaFiles(dir_.path());
  EXPECT_NE(all.find(k->access_key), std::string::npos);  // the scan does see the records
  EXPECT_EQ(all.find(k->secret_key), std::string::npos);
  EXPECT_EQ(all.find(s->secret_key), std::string::npos);
  EXPECT_EQ(all.find(s->session_token), std::string::npos);
  EXPECT_EQ(all.find("plain-password-42"), std::string::npos);
  EXPECT_EQ(all.find("test-master-secret"), std::string::npos);
}

// --- Console passwords ----------------------------------------------------------------------

TEST_F(IdentityStoreTest, ConsolePasswords) {
  ASSERT_TRUE(iam().CreateUser("omar").has_value());
  EXPECT_EQ(iam().SetConsolePassword("omar", "short").code(), Code::kInvalidArgument);
  EXPECT_EQ(iam().SetConsolePassword("omar", std::string(129, 'p')).code(), Code::kInvalidArgument);
  EXPECT_EQ(iam().DeleteConsolePassword("omar").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().SetConsolePassword("omar", "right-password").ok());
  EXPECT_TRUE(iam().GetUser("omar")->has_console_password);

  auto ok = iam().CheckConsolePassword("OMAR", "right-password");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->kind, PrincipalKind::kUser);
  EXPECT_EQ(ok->user, "omar");
  EXPECT_EQ(ok->arn, "arn:aws:iam::000000000000:user/omar");

  auto wrong = iam().CheckConsolePassword("omar", "wrong-password");
  auto unknown = iam().CheckConsolePassword("nobody", "right-password");
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(wrong.error().code(), Code::kAccessDenied);
  EXPECT_EQ(unknown.error().code(), Code::kAccessDenied);
  EXPECT_EQ(wrong.error().message(), unknown.error().message());

  ASSERT_TRUE(iam().SetUserEnabled("omar", false).ok());
  auto disabled = iam().CheckConsolePassword("omar", "right-password");
  ASSERT_FALSE(disabled.has_value());
  EXPECT_EQ(disabled.error().message(), unknown.error().message());
  ASSERT_TRUE(iam().SetUserEnabled("omar", true).ok());

  ASSERT_TRUE(iam().SetConsolePassword("omar", "changed-password").ok());
  EXPECT_FALSE(iam().CheckConsolePassword("omar", "right-password").has_value());
  EXPECT_TRUE(iam().CheckConsolePassword("omar", "changed-password").has_value());
  ASSERT_TRUE(iam().DeleteConsolePassword("omar").ok());
  EXPECT_FALSE(iam().CheckConsolePassword("omar", "changed-password").has_value());
  EXPECT_FALSE(iam().GetUser("omar")->has_console_password);
}

// --- Groups ---------------------------------------------------------------------------------

TEST_F(IdentityStoreTest, Groups) {
  auto g = iam().CreateGroup("Admins");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->arn, "arn:aws:iam::000000000000:group/Admins");
  EXPECT_TRUE(std::regex_match(g->group_id, std::regex("AGPA[A-Z0-9]{17}"))) << g->group_id;
  EXPECT_EQ(iam().CreateGroup("admins").error().code(), Code::kEntityAlreadyExists);
  EXPECT_EQ(iam().CreateGroup("bad name").error().code(), Code::kInvalidArgument);
  EXPECT_EQ(iam().GetGroup("nope").error().code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().CreateGroup("Readers").has_value());
  ASSERT_EQ(iam().ListGroups()->size(), 2u);
  EXPECT_EQ((*iam().ListGroups())[0].name, "Admins");

  ASSERT_TRUE(iam().CreateUser("pam").has_value());
  ASSERT_TRUE(iam().CreateUser("quinn").has_value());
  EXPECT_EQ(iam().AddUserToGroup("nope", "pam").code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().AddUserToGroup("admins", "nope").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().AddUserToGroup("admins", "quinn").ok());
  ASSERT_TRUE(iam().AddUserToGroup("admins", "pam").ok());
  ASSERT_TRUE(iam().AddUserToGroup("ADMINS", "PAM").ok());  // already a member: no change
  ASSERT_TRUE(iam().AddUserToGroup("readers", "pam").ok());
  EXPECT_EQ(iam().GetGroup("admins")->members, (std::vector<std::string>{"pam", "quinn"}));
  EXPECT_EQ(iam().GetUser("pam")->groups, (std::vector<std::string>{"Admins", "Readers"}));

  EXPECT_EQ(iam().RemoveUserFromGroup("readers", "quinn").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().RemoveUserFromGroup("readers", "pam").ok());
  EXPECT_EQ(iam().GetUser("pam")->groups, std::vector<std::string>{"Admins"});

  EXPECT_EQ(iam().DeleteGroup("admins", false).code(), Code::kDeleteConflict);
  EXPECT_TRUE(iam().DeleteGroup("readers", false).ok());
  EXPECT_EQ(iam().DeleteGroup("readers", false).code(), Code::kNoSuchEntity);
  EXPECT_TRUE(iam().DeleteGroup("admins", true).ok());
  EXPECT_TRUE(iam().GetUser("pam")->groups.empty());
  EXPECT_TRUE(iam().GetUser("quinn")->groups.empty());
  Reopen();
  EXPECT_TRUE(iam().ListGroups()->empty());
  EXPECT_TRUE(iam().GetUser("pam")->groups.empty());
  EXPECT_TRUE(iam().DeleteUser("pam", false).ok());  // no leftover membership
}

TEST_F(IdentityStoreTest, GroupWithPolicyConflictsUntilForced) {
  ASSERT_TRUE(iam().CreateGroup("g").has_value());
  ASSERT_TRUE(iam().CreatePolicy("get", kAllowGet, "").has_value());
  ASSERT_TRUE(iam().AttachGroupPolicy("g", "get").ok());
  EXPECT_EQ(iam().DeleteGroup("g", false).code(), Code::kDeleteConflict);
  EXPECT_EQ(iam().DeletePolicy("get").code(), Code::kDeleteConflict);
  EXPECT_TRUE(iam().DeleteGroup("g", true).ok());
  EXPECT_TRUE(iam().DeletePolicy("get").ok());
}

// --- Managed policies -----------------------------------------------------------------------

TEST_F(IdentityStoreTest, ManagedPolicies) {
  auto p = iam().CreatePolicy("ReadOnly", kAllowGet, "reads only");
  ASSERT_TRUE(p.has_value()) << p.error().ToString();
  EXPECT_EQ(p->arn, "arn:aws:iam::000000000000:policy/ReadOnly");
  EXPECT_TRUE(std::regex_match(p->policy_id, std::regex("ANPA[A-Z0-9]{17}"))) << p->policy_id;
  EXPECT_EQ(p->description, "reads only");
  EXPECT_EQ(p->document, kAllowGet);
  EXPECT_EQ(p->attachment_count, 0u);

  EXPECT_EQ(iam().CreatePolicy("readonly", kAllowGet, "").error().code(),
            Code::kEntityAlreadyExists);
  EXPECT_EQ(iam().CreatePolicy("bad name", kAllowGet, "").error().code(), Code::kInvalidArgument);
  EXPECT_TRUE(iam().CreatePolicy(std::string(128, 'p'), kAllowGet, "").has_value());
  EXPECT_EQ(iam().CreatePolicy(std::string(129, 'p'), kAllowGet, "").error().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(iam().CreatePolicy("desc", kAllowGet, std::string(1001, 'd')).error().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(iam().CreatePolicy("broken", "{not json", "").error().code(), Code::kMalformedPolicy);
  EXPECT_EQ(iam().GetPolicy("broken").error().code(), Code::kNoSuchEntity);

  ASSERT_TRUE(iam().CreateUser("rob").has_value());
  ASSERT_TRUE(iam().CreateGroup("team").has_value());
  EXPECT_EQ(iam().AttachUserPolicy("rob", "nope").code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().AttachUserPolicy("nope", "readonly").code(), Code::kNoSuchEntity);
  EXPECT_EQ(iam().AttachGroupPolicy("nope", "readonly").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().AttachUserPolicy("rob", "READONLY").ok());
  ASSERT_TRUE(iam().AttachUserPolicy("rob", "readonly").ok());  // idempotent
  ASSERT_TRUE(iam().AttachGroupPolicy("team", "readonly").ok());
  EXPECT_EQ(iam().GetUser("rob")->attached_policies, std::vector<std::string>{"ReadOnly"});
  EXPECT_EQ(iam().GetGroup("team")->attached_policies, std::vector<std::string>{"ReadOnly"});
  EXPECT_EQ(iam().GetPolicy("readonly")->attachment_count, 2u);
  EXPECT_EQ(iam().DeletePolicy("readonly").code(), Code::kDeleteConflict);

  ASSERT_TRUE(iam().UpdatePolicy("readonly", kAllowPut).ok());
  EXPECT_EQ(iam().UpdatePolicy("readonly", "[]").code(), Code::kMalformedPolicy);
  EXPECT_EQ(iam().UpdatePolicy("nope", kAllowPut).code(), Code::kNoSuchEntity);
  auto updated = iam().GetPolicy("readonly");
  EXPECT_EQ(updated->document, kAllowPut);
  EXPECT_GE(updated->updated_ns, updated->created_ns);

  auto list = iam().ListPolicies();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].name, "ReadOnly");
  EXPECT_EQ((*list)[1].attachment_count, 2u);

  Reopen();
  EXPECT_EQ(iam().GetPolicy("readonly")->document, kAllowPut);
  EXPECT_EQ(iam().GetPolicy("readonly")->attachment_count, 2u);

  EXPECT_EQ(iam().DetachUserPolicy("rob", "nope").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().DetachUserPolicy("rob", "readonly").ok());
  EXPECT_EQ(iam().DetachUserPolicy("rob", "readonly").code(), Code::kNoSuchEntity);
  ASSERT_TRUE(iam().DetachGroupPolicy("team", "readonly").ok());
  EXPECT_EQ(iam().DetachGroupPolicy("team", "readonly").code(), Code::kNoSuchEntity);
  EXPECT_TRUE(iam().DeletePolicy("readonly").ok());
  EXPECT_EQ(iam().DeletePolicy("readonly").code(), Code::kNoSuchEntity);
}

// --- Sessions -------------------------------------------------------------------------------

TEST_F(IdentityStoreTest, SessionOfUser) {
  ASSERT_TRUE(iam().CreateUser("sam").has_value());
  const int64_t t = Now();
  SessionRequest req;
  req.caller = UserPrincipal("sam");
  req.duration_s = 900;
  auto s = iam().CreateSession(req, t);
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  EXPECT_TRUE(std::regex_match(s->access_key, std::regex("ASIA[A-Z0-9]{16}"))) << s->access_key;
  EXPECT_EQ(s->secret_key.size(), 40u);
  EXPECT_GE(s->session_token.size(), 100u);
  EXPECT_EQ(s->expires_ns, t + 900 * kSec);
  EXPECT_EQ(s->arn, "arn:aws:sts::000000000000:federated-user/sam");

  auto c = iam().LookupCredential(s->access_key, t + kSec);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->secret_key, s->secret_key);
  EXPECT_EQ(c->session_token, s->session_token);
  EXPECT_EQ(c->expires_ns, s->expires_ns);
  EXPECT_EQ(c->principal.kind, PrincipalKind::kSession);
  EXPECT_EQ(c->principal.user, "sam");
  EXPECT_EQ(c->principal.arn, s->arn);
  EXPECT_TRUE(c->principal.session_policy.empty());

  EXPECT_EQ(iam().LookupCredential(s->access_key, t + 900 * kSec).error().code(),
            Code::kExpiredToken);
  EXPECT_EQ(iam().LookupCredential(s->access_key, t + 901 * kSec).error().code(),
            Code::kExpiredToken);
}

TEST_F(IdentityStoreTest, AssumeRoleSessionWithPolicy) {
  ASSERT_TRUE(iam().CreateUser("tess").has_value());
  SessionRequest req;
  req.caller = UserPrincipal("tess");
  req.role_arn = "arn:aws:iam::000000000000:role/reader";
  req.session_name = "job-42";
  req.session_policy = std::string(kAllowGet);
  auto s = iam().CreateSession(req, Now());
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  EXPECT_EQ(s->arn, "arn:aws:sts::000000000000:assumed-role/reader/job-42");
  auto c = iam().LookupCredential(s->access_key, Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->principal.session_policy, kAllowGet);
  EXPECT_EQ(c->principal.user, "tess");
}

TEST_F(IdentityStoreTest, SessionOfRoot) {
  SessionRequest req;
  req.caller.kind = PrincipalKind::kRoot;
  auto s = iam().CreateSession(req, Now());
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  auto c = iam().LookupCredential(s->access_key, Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->principal.kind, PrincipalKind::kSession);
  EXPECT_EQ(c->principal.user, "");
}

TEST_F(IdentityStoreTest, SessionRequestErrors) {
  ASSERT_TRUE(iam().CreateUser("uma").has_value());
  SessionRequest req;
  req.caller = UserPrincipal("uma");
  req.duration_s = 899;
  EXPECT_EQ(iam().CreateSession(req, Now()).error().code(), Code::kInvalidArgument);
  req.duration_s = 43201;
  EXPECT_EQ(iam().CreateSession(req, Now()).error().code(), Code::kInvalidArgument);
  req.duration_s = 43200;
  EXPECT_TRUE(iam().CreateSession(req, Now()).has_value());

  SessionRequest bad_role = req;
  bad_role.role_arn = "not-an-arn";
  bad_role.session_name = "ok-name";
  EXPECT_EQ(iam().CreateSession(bad_role, Now()).error().code(), Code::kInvalidArgument);
  bad_role.role_arn = "arn:aws:iam::000000000000:role/r";
  bad_role.session_name = "x";
  EXPECT_EQ(iam().CreateSession(bad_role, Now()).error().code(), Code::kInvalidArgument);

  SessionRequest bad_policy = req;
  bad_policy.session_policy = "{oops";
  EXPECT_EQ(iam().CreateSession(bad_policy, Now()).error().code(), Code::kMalformedPolicy);

  SessionRequest from_session = req;
  from_session.caller.kind = PrincipalKind::kSession;
  EXPECT_EQ(iam().CreateSession(from_session, Now()).error().code(), Code::kAccessDenied);
  SessionRequest anonymous = req;
  anonymous.caller = Principal{};
  EXPECT_EQ(iam().CreateSession(anonymous, Now()).error().code(), Code::kAccessDenied);
  SessionRequest ghost = req;
  ghost.caller = UserPrincipal("ghost");
  EXPECT_EQ(iam().CreateSession(ghost, Now()).error().code(), Code::kAccessDenied);
}

TEST_F(IdentityStoreTest, SessionsSurviveReopenAndDieWithTheirUser) {
  ASSERT_TRUE(iam().CreateUser("vic").has_value());
  ASSERT_TRUE(iam().CreateUser("wes").has_value());
  SessionRequest req;
  req.caller = UserPrincipal("vic");
  auto s = iam().CreateSession(req, Now());
  ASSERT_TRUE(s.has_value());
  req.caller = UserPrincipal("wes");
  auto w = iam().CreateSession(req, Now());
  ASSERT_TRUE(w.has_value());
  // Already expired (made an hour ago for 15 minutes): dropped at the next open.
  req.duration_s = 900;
  auto old = iam().CreateSession(req, Now() - 3600 * kSec);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(iam().LookupCredential(old->access_key, Now()).error().code(), Code::kExpiredToken);

  Reopen();
  auto c = iam().LookupCredential(s->access_key, Now());
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->session_token, s->session_token);
  EXPECT_EQ(c->secret_key, s->secret_key);
  EXPECT_EQ(iam().LookupCredential(old->access_key, Now()).error().code(),
            Code::kInvalidAccessKeyId);

  ASSERT_TRUE(iam().SetUserEnabled("wes", false).ok());
  EXPECT_EQ(iam().LookupCredential(w->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);

  ASSERT_TRUE(iam().DeleteUser("vic", false).ok());
  EXPECT_EQ(iam().LookupCredential(s->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  ASSERT_TRUE(iam().CreateUser("vic").has_value());  // a new user of the same name
  EXPECT_EQ(iam().LookupCredential(s->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
  Reopen();
  EXPECT_EQ(iam().LookupCredential(s->access_key, Now()).error().code(), Code::kInvalidAccessKeyId);
}

// --- Concurrency ----------------------------------------------------------------------------

TEST_F(IdentityStoreTest, ConcurrentLookupsWhileUsersAreCreated) {
  ASSERT_TRUE(iam().CreateUser("base").has_value());
  auto base = iam().CreateAccessKey("base");
  ASSERT_TRUE(base.has_value());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int64_t> lookups{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      int64_t t = Now() + r;
      while (!stop.load()) {
        // Jump past the flush interval now and then so flushes race with mutations too.
        t += (lookups.load() % 50 == 0) ? 61 * kSec : 1;
        auto c = iam().LookupCredential(base->access_key, t);
        if (!c.has_value() || c->secret_key != base->secret_key) failures.fetch_add(1);
        (void)iam().ListUsers();
        lookups.fetch_add(1);
      }
    });
  }
  // Let the readers get going so that the mutations below race with them.
  while (lookups.load() < 100) std::this_thread::yield();
  // No ASSERT while the readers run: they must be joined.
  for (int i = 0; i < 20; ++i) {
    const std::string name = "user" + std::to_string(i);
    EXPECT_TRUE(iam().CreateUser(name).has_value());
    auto k = iam().CreateAccessKey(name);
    if (!k.has_value()) {
      ADD_FAILURE() << k.error().ToString();
      break;
    }
    auto c = iam().LookupCredential(k->access_key, Now());
    EXPECT_TRUE(c.has_value() && c->secret_key == k->secret_key);
    if (i % 2 == 0) {
      EXPECT_TRUE(iam().DeleteUser(name, true).ok());
    }
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(lookups.load(), 100);
  EXPECT_EQ(iam().ListUsers()->size(), 11u);
}

// --- PoliciesFor (internal), on a bare LevelDB ---------------------------------------------

class PoliciesForTest : public ::testing::Test {
 protected:
  void SetUp() override {
    leveldb::Options o;
    o.create_if_missing = true;
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(o, dir_.str(), &raw).ok());
    db_.reset(raw);
    IamOptions io;
    io.master_secret = "m";
    store_ = std::make_unique<IdentityStore>(io, db_.get());
    ASSERT_TRUE(store_->Load().ok());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }
  Status ReopenStore() {
    store_.reset();
    IamOptions io;
    io.master_secret = "m";
    store_ = std::make_unique<IdentityStore>(io, db_.get());
    return store_->Load();
  }

  TempDir dir_;
  std::unique_ptr<leveldb::DB> db_;
  std::unique_ptr<IdentityStore> store_;
};

TEST_F(PoliciesForTest, StoredPolicyThatNoLongerParsesDeniesEverything) {
  ASSERT_TRUE(store_->CreateUser("bo").has_value());
  auto created = store_->CreatePolicy("p", kAllowGet, "");
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(store_->AttachUserPolicy("bo", "p").ok());
  iam::PolicyRecord rec{"p", created->policy_id, "", "{no longer valid", 1, 1};
  ASSERT_TRUE(db_->Put(leveldb::WriteOptions(), iam::PolicyKey("p"), iam::EncodePolicy(rec)).ok());
  ASSERT_TRUE(ReopenStore().ok());
  Principal p;
  p.kind = PrincipalKind::kUser;
  p.user = "bo";
  PrincipalPolicies pol = store_->PoliciesFor(p);
  ASSERT_EQ(pol.identity.size(), 1u);
  EXPECT_NE(pol.identity[0]->text().find("Deny"), std::string::npos);
  EXPECT_EQ(store_->GetPolicy("p")->document, "{no longer valid");  // still listed, fixable
  EXPECT_TRUE(store_->UpdatePolicy("p", kAllowGet).ok());
  EXPECT_EQ(store_->PoliciesFor(p).identity[0]->text(), kAllowGet);
}

TEST_F(PoliciesForTest, DamagedRecordsAreCorruption) {
  ASSERT_TRUE(store_->CreateUser("cy").has_value());
  auto key = store_->CreateAccessKey("cy");
  ASSERT_TRUE(key.has_value());
  // A sealed secret moved to another key id does not open.
  std::string value;
  ASSERT_TRUE(db_->Get(leveldb::ReadOptions(), iam::AccessKeyKey(key->access_key), &value).ok());
  leveldb::WriteBatch b;
  b.Delete(iam::AccessKeyKey(key->access_key));
  b.Put(iam::AccessKeyKey("AKIAMOVED00000000000"), value);
  ASSERT_TRUE(db_->Write(leveldb::WriteOptions(), &b).ok());
  Status s = ReopenStore();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();

  ASSERT_TRUE(db_->Delete(leveldb::WriteOptions(), iam::AccessKeyKey("AKIAMOVED00000000000")).ok());
  ASSERT_TRUE(ReopenStore().ok());
  ASSERT_TRUE(db_->Put(leveldb::WriteOptions(), iam::UserKey("cy"), "garbage").ok());
  s = ReopenStore();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(PoliciesForTest, UserGroupAndSessionPolicies) {
  ASSERT_TRUE(store_->CreateUser("amy").has_value());
  ASSERT_TRUE(store_->CreateGroup("g1").has_value());
  ASSERT_TRUE(store_->CreatePolicy("get", kAllowGet, "").has_value());
  ASSERT_TRUE(store_->CreatePolicy("put", kAllowPut, "").has_value());
  ASSERT_TRUE(store_->AttachUserPolicy("amy", "get").ok());
  ASSERT_TRUE(store_->AttachGroupPolicy("g1", "put").ok());
  ASSERT_TRUE(store_->AddUserToGroup("g1", "amy").ok());

  Principal p;
  p.kind = PrincipalKind::kUser;
  p.user = "amy";
  PrincipalPolicies pol = store_->PoliciesFor(p);
  ASSERT_EQ(pol.identity.size(), 2u);
  EXPECT_EQ(pol.identity[0]->text(), kAllowGet);
  EXPECT_EQ(pol.identity[1]->text(), kAllowPut);
  EXPECT_EQ(pol.session, nullptr);
  EXPECT_EQ(pol.user_id, store_->GetUser("amy")->user_id);

  // An updated policy is seen at once.
  ASSERT_TRUE(store_->UpdatePolicy("get", kAllowPut).ok());
  EXPECT_EQ(store_->PoliciesFor(p).identity[0]->text(), kAllowPut);

  SessionRequest req;
  req.caller = p;
  req.session_policy = std::string(kAllowGet);
  auto s = store_->CreateSession(req, Now());
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  auto cred = store_->LookupCredential(s->access_key, Now());
  ASSERT_TRUE(cred.has_value());
  PrincipalPolicies sp = store_->PoliciesFor(cred->principal);
  EXPECT_EQ(sp.identity.size(), 2u);
  ASSERT_NE(sp.session, nullptr);
  EXPECT_EQ(sp.session->text(), kAllowGet);

  Principal root;
  root.kind = PrincipalKind::kRoot;
  EXPECT_TRUE(store_->PoliciesFor(root).identity.empty());
  EXPECT_TRUE(store_->PoliciesFor(Principal{}).identity.empty());

  // A session whose record is gone allows nothing.
  Principal gone = cred->principal;
  gone.access_key = "ASIAGONE000000000000";
  PrincipalPolicies none = store_->PoliciesFor(gone);
  EXPECT_TRUE(none.identity.empty());
  EXPECT_NE(none.session, nullptr);
}

}  // namespace
}  // namespace maxiofs::engine
