// The users file applied to a real engine (in a temp data dir): what it creates, that applying
// it again changes nothing, what "exactly so" fields and prune do, and errors naming the entry.
#include "users_file.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsers = R"(
policies:
  - name: read
    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
groups:
  - name: readers
    policies: [read]
users:
  - name: alice
    groups: [readers]
    console_password: "file:pw.txt"
    access_keys:
      - access_key: ALICEKEY01
        secret_key: "file:secrets/alice"
      - access_key: ALICEKEY02
        secret_key: alice-second-secret
        status: inactive
  - name: bob
    enabled: false
)";

class UsersFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "maxiofs-users-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ / "secrets");
    std::ofstream(dir_ / "secrets" / "alice") << "alice-first-secret\n";
    std::ofstream(dir_ / "pw.txt") << "alice-console-pw";
    engine::EngineOptions o;
    o.data_dir = (dir_ / "data").string();
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
  }
  void TearDown() override {
    engine_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::trunc) << text;
    return p.string();
  }
  Result<UsersFileChanges> Apply(const std::string& text, bool prune = false,
                                 const std::string& name = "users.yaml") {
    return ApplyUsersFile(Write(name, text), prune, engine_->iam());
  }
  std::string Error(const std::string& text, const std::string& name = "users.yaml") {
    auto r = Apply(text, false, name);
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? "" : std::string(r.error().message());
  }
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  engine::Iam& iam() { return engine_->iam(); }

  fs::path dir_;
  std::unique_ptr<engine::Engine> engine_;
};

TEST_F(UsersFileTest, CreatesEverythingThenChangesNothing) {
  auto first = Apply(kUsers);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_GE(first->changes.size(), 8u);
  auto alice = iam().GetUser("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->groups, std::vector<std::string>{"readers"});
  EXPECT_TRUE(alice->has_console_password);
  EXPECT_TRUE(iam().CheckConsolePassword("alice", "alice-console-pw").has_value());
  EXPECT_FALSE(iam().GetUser("bob")->enabled);
  EXPECT_EQ(iam().GetGroup("readers")->attached_policies, std::vector<std::string>{"read"});
  auto c = iam().LookupCredential("ALICEKEY01", Now());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->secret_key, "alice-first-secret");  // the trailing newline is not the secret
  EXPECT_EQ(iam().LookupCredential("ALICEKEY02", Now()).error().code(),
            Status::Code::kInvalidAccessKeyId);  // inactive

  auto second = Apply(kUsers);
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_TRUE(second->empty()) << second->changes.front();
  EXPECT_EQ(iam().GetUser("alice")->created_ns, alice->created_ns);
  // The same in JSON: still nothing to do.
  const std::string json = R"({"policies": [{"name": "read", "document":
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"}]})";
  auto third = Apply(json, false, "users.json");
  ASSERT_TRUE(third.has_value()) << third.error().ToString();
  EXPECT_TRUE(third->empty());
}

TEST_F(UsersFileTest, WrittenFieldsAreMadeExactlySoAndOthersAreLeftAlone) {
  ASSERT_TRUE(Apply(kUsers).has_value());
  ASSERT_TRUE(iam().CreateGroup("extra").has_value());
  ASSERT_TRUE(iam().AddUserToGroup("extra", "alice").ok());  // alice's groups are managed
  ASSERT_TRUE(iam().AddUserToGroup("extra", "bob").ok());    // bob's are not
  auto made = iam().CreateAccessKey("bob");                  // bob's keys are not managed
  ASSERT_TRUE(made.has_value());
  std::ofstream(dir_ / "secrets" / "alice", std::ios::trunc) << "alice-new-secret";
  std::string text = kUsers;
  text.erase(text.find("      - access_key: ALICEKEY02"), std::string::npos);  // one key left
  text += "  - name: bob\n";
  auto r = Apply(text);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(iam().GetUser("alice")->groups, std::vector<std::string>{"readers"});
  EXPECT_EQ(iam().GetUser("bob")->groups, std::vector<std::string>{"extra"});
  EXPECT_FALSE(iam().GetUser("bob")->enabled);  // `enabled` left out: left as it is
  EXPECT_EQ(iam().ListAccessKeys("alice")->size(), 1u);
  EXPECT_EQ(iam().LookupCredential("ALICEKEY01", Now())->secret_key, "alice-new-secret");
  EXPECT_EQ(iam().ListAccessKeys("bob")->size(), 1u);  // bob's key, made in the console, stays
  const std::vector<std::string> want = {"set access key ALICEKEY01 of user alice",
                                         "deleted access key ALICEKEY02 of user alice",
                                         "removed user alice from group extra"};
  for (const std::string& w : want) {
    EXPECT_NE(std::find(r->changes.begin(), r->changes.end(), w), r->changes.end()) << w;
  }
}

TEST_F(UsersFileTest, PruneDeletesWhatTheFileDoesNotList) {
  ASSERT_TRUE(Apply(kUsers).has_value());
  ASSERT_TRUE(iam().CreateUser("stranger").has_value());
  ASSERT_TRUE(iam().CreateGroup("strangers").has_value());
  ASSERT_TRUE(
      iam()
          .CreatePolicy(
              "unlisted",
              R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})",
              "")
          .has_value());
  ASSERT_TRUE(iam().AttachUserPolicy("bob", "unlisted").ok());  // bob's policies: not managed
  auto kept = Apply(kUsers);
  ASSERT_TRUE(kept.has_value());
  EXPECT_TRUE(kept->empty());
  EXPECT_TRUE(iam().GetUser("stranger").has_value());
  auto pruned = Apply(kUsers, true);
  ASSERT_TRUE(pruned.has_value()) << pruned.error().ToString();
  EXPECT_EQ(iam().GetUser("stranger").error().code(), Status::Code::kNoSuchEntity);
  EXPECT_EQ(iam().GetGroup("strangers").error().code(), Status::Code::kNoSuchEntity);
  EXPECT_EQ(iam().GetPolicy("unlisted").error().code(), Status::Code::kNoSuchEntity);
  EXPECT_TRUE(iam().GetUser("bob")->attached_policies.empty());
  EXPECT_TRUE(iam().GetUser("alice").has_value());
  EXPECT_TRUE(Apply(kUsers, true)->empty());
}

TEST_F(UsersFileTest, ErrorsNameTheEntryAndChangeNothing) {
  std::string msg = Error("users:\n  - name: carol\n    groups: [nope]\n");
  EXPECT_NE(msg.find("users file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 2 column 5: users[0] 'carol': group 'nope' is neither"),
            std::string::npos)
      << msg;
  EXPECT_EQ(iam().GetUser("carol").error().code(), Status::Code::kNoSuchEntity);  // untouched

  msg = Error("users:\n  - name: carol\n    colour: red\n");
  EXPECT_NE(msg.find("line 3 column 5: users[0] 'carol': unknown field 'colour'"),
            std::string::npos)
      << msg;
  msg = Error("users:\n  - {name: a}\n  - {name: A}\n");
  EXPECT_NE(msg.find("users[1] 'A': the name is given twice"), std::string::npos) << msg;
  msg = Error("users:\n  - {groups: [x]}\n");
  EXPECT_NE(msg.find("users[0]: needs a name"), std::string::npos) << msg;
  msg = Error(
      "users:\n  - name: a\n    access_keys: [{access_key: K123, secret_key: s12345678}]\n"
      "  - name: b\n    access_keys: [{access_key: K123, secret_key: s12345678}]\n");
  EXPECT_NE(msg.find("users[1] 'b': access_keys[0]: access key K123 is given twice"),
            std::string::npos)
      << msg;
  msg = Error(
      "users:\n  - name: a\n    access_keys: [{access_key: K123, secret_key: \"file:no\"}]\n");
  EXPECT_NE(msg.find("users[0] 'a': access_keys[0]: secret_key: cannot read"), std::string::npos)
      << msg;
  msg = Error("policies:\n  - name: p\n    document: {Statement: 3}\n");
  EXPECT_NE(msg.find("policies[0] 'p'"), std::string::npos) << msg;
  msg = Error("policies:\n  - name: p\n    document: \"not json\"\n");
  EXPECT_NE(msg.find("document is not valid JSON"), std::string::npos) << msg;
  msg = Error("users: {alice: {}}\n");
  EXPECT_NE(msg.find("users: must be a list of entries, got a map"), std::string::npos) << msg;
  msg = Error("people: []\n");
  EXPECT_NE(msg.find("unknown field 'people'"), std::string::npos) << msg;
  msg = Error(R"({"users": [{"name": "a"},]})", "u.json");
  EXPECT_NE(msg.find("is not valid JSON"), std::string::npos) << msg;
  // Engine refusals while applying name the entry too (a key id the engine refuses).
  msg = Error(
      "users:\n  - name: dora\n    access_keys: [{access_key: \"a/b\", secret_key: s12345678}]\n");
  EXPECT_NE(msg.find("users[0] 'dora'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("access key a/b"), std::string::npos) << msg;
  EXPECT_TRUE(Apply("").has_value());  // an empty file declares nothing
}

}  // namespace
}  // namespace maxiofs::app
