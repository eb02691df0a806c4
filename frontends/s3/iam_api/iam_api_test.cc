// The IAM/STS query API: documents, error mapping, parameter checks, and actions against a
// real engine (root caller, and an IAM user whose rights come from attached policies).
#include "iam_api/iam_actions.h"
#include "iam_api/iam_xml.h"
#include "xml/xml_parser.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace maxiofs::s3::iam_api {
namespace {

const XmlElement* Path(const XmlElement& root, std::initializer_list<std::string_view> names) {
  const XmlElement* e = &root;
  for (std::string_view n : names) {
    e = e->Child(n);
    if (e == nullptr) return nullptr;
  }
  return e;
}

TEST(IamXml, SuccessDocument) {
  Response r = IamSuccessResponse("CreateUser", kIamXmlns, "RID1", [](XmlWriter& w) {
    w.Open("User");
    w.Element("UserName", "alice");
    w.Close();
  });
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"),
            std::string::npos);
  auto doc = ParseXml(r.body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "CreateUserResponse");
  ASSERT_NE(Path(*doc, {"CreateUserResult", "User", "UserName"}), nullptr);
  EXPECT_EQ(Path(*doc, {"CreateUserResult", "User", "UserName"})->text, "alice");
  EXPECT_EQ(Path(*doc, {"ResponseMetadata", "RequestId"})->text, "RID1");
  // No output: no Result element.
  Response empty = IamSuccessResponse("DeleteUser", kIamXmlns, "R", nullptr);
  EXPECT_EQ(empty.body.find("DeleteUserResult"), std::string::npos);
  EXPECT_NE(empty.body.find("<DeleteUserResponse"), std::string::npos);
}

TEST(IamXml, ErrorDocument) {
  Response r = IamErrorResponse(IamError{"NoSuchEntity", 404, "no <user>"}, kIamXmlns, "RID2");
  EXPECT_EQ(r.status, 404);
  auto doc = ParseXml(r.body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "ErrorResponse");
  EXPECT_EQ(Path(*doc, {"Error", "Type"})->text, "Sender");
  EXPECT_EQ(Path(*doc, {"Error", "Code"})->text, "NoSuchEntity");
  EXPECT_EQ(Path(*doc, {"Error", "Message"})->text, "no <user>");
  EXPECT_EQ(Path(*doc, {"RequestId"})->text, "RID2");
  Response server = IamErrorResponse(IamError{"InternalError", 500, "x"}, kIamXmlns, "R");
  EXPECT_EQ(Path(*ParseXml(server.body), {"Error", "Type"})->text, "Receiver");
}

TEST(IamXml, StatusMapping) {
  struct Case {
    Status status;
    std::string_view code;
    int http;
  };
  const Case cases[] = {
      {Status::Error(Status::Code::kNoSuchEntity, "m"), "NoSuchEntity", 404},
      {Status::Error(Status::Code::kEntityAlreadyExists, "m"), "EntityAlreadyExists", 409},
      {Status::Error(Status::Code::kDeleteConflict, "m"), "DeleteConflict", 409},
      {Status::Error(Status::Code::kMalformedPolicy, "m"), "MalformedPolicyDocument", 400},
      {Status::InvalidArgument("m"), "InvalidInput", 400},
      {Status::AccessDenied("m"), "AccessDenied", 403},
      {Status::IOError("disk"), "InternalError", 500},
  };
  for (const Case& c : cases) {
    IamError e = IamErrorFromStatus(c.status, false);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.status, c.http);
  }
  EXPECT_EQ(IamErrorFromStatus(Status::InvalidArgument("m"), true).code, "ValidationError");
  EXPECT_EQ(IamDate(1700000000123456789), "2023-11-14T22:13:20Z");
}

TEST(IamActions, Names) {
  EXPECT_EQ(ServiceOfAction("CreateUser"), "iam");
  EXPECT_EQ(ServiceOfAction("AssumeRole"), "sts");
  EXPECT_EQ(ServiceOfAction("GetCallerIdentity"), "sts");
  EXPECT_EQ(ServiceOfAction("DeleteRole"), "");
  EXPECT_EQ(PolicyNameFromArn("arn:aws:iam::000000000000:policy/ReadOnly"), "ReadOnly");
  EXPECT_EQ(PolicyNameFromArn("arn:aws:iam::aws:policy/AdministratorAccess"), "");
  EXPECT_EQ(PolicyNameFromArn("arn:aws:iam::000000000000:policy/"), "");
  EXPECT_EQ(PolicyNameFromArn("arn:aws:iam::000000000000:user/x"), "");
}

class IamActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_iam_api_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions o;
    o.data_dir = dir_.string();
    o.sync = false;
    o.iam.root_access_key = "ROOTKEY";
    o.iam.root_secret_key = "rootsecret";
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    auto root = engine_->iam().LookupCredential("ROOTKEY", 0);
    ASSERT_TRUE(root.has_value());
    root_ = root.value().principal;
  }
  void TearDown() override {
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct Answer {
    int status = 0;
    std::optional<XmlElement> doc;
    std::string body;
    std::string Code() const {
      const XmlElement* c = doc ? Path(*doc, {"Error", "Code"}) : nullptr;
      return c ? c->text : "";
    }
    std::string Text(std::initializer_list<std::string_view> path) const {
      const XmlElement* e = doc ? Path(*doc, path) : nullptr;
      return e ? e->text : "<missing>";
    }
  };

  Answer Run(const engine::Principal& caller,
             std::vector<std::pair<std::string, std::string>> params) {
    IamCall call;
    call.iam = &engine_->iam();
    call.caller = caller;
    call.now_ns = 1700000000000000000;
    call.request_id = "REQ";
    for (auto& [k, v] : params) call.params.push_back(QueryParam{k, v, true});
    Response r = RunIamAction(call);
    Answer a;
    a.status = r.status;
    a.body = r.body;
    a.doc = ParseXml(r.body);
    return a;
  }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  engine::Principal root_;
};

TEST_F(IamActionsTest, UnknownActionAndMissingParameters) {
  EXPECT_EQ(Run(root_, {{"Action", "DeleteRole"}}).Code(), "InvalidAction");
  EXPECT_EQ(Run(root_, {}).status, 400);
  auto missing = Run(root_, {{"Action", "CreateUser"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Code(), "MissingParameter");
  EXPECT_EQ(Run(root_, {{"Action", "AttachUserPolicy"}, {"UserName", "a"}}).Code(),
            "MissingParameter");
  EXPECT_EQ(Run(root_, {{"Action", "GetPolicy"}, {"PolicyArn", "arn:aws:s3:::b"}}).Code(),
            "InvalidInput");
  EXPECT_EQ(Run(root_, {{"Action", "UpdateAccessKey"},
                        {"UserName", "a"},
                        {"AccessKeyId", "AKIA"},
                        {"Status", "Sometimes"}})
                .Code(),
            "ValidationError");
}

TEST_F(IamActionsTest, CallerIdentityOfRoot) {
  auto a = Run(root_, {{"Action", "GetCallerIdentity"}});
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.doc->name, "GetCallerIdentityResponse");
  EXPECT_EQ(a.Text({"GetCallerIdentityResult", "Account"}), "000000000000");
  EXPECT_EQ(a.Text({"GetCallerIdentityResult", "Arn"}), root_.arn);
  EXPECT_NE(a.body.find("https://sts.amazonaws.com/doc/2011-06-15/"), std::string::npos);
}

// Needs the engine's identity store (issue 8's engine part).
TEST_F(IamActionsTest, UsersKeysPoliciesAndTheirRights) {
  auto created = Run(root_, {{"Action", "CreateUser"}, {"UserName", "alice"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Text({"CreateUserResult", "User", "UserName"}), "alice");
  EXPECT_EQ(created.Text({"CreateUserResult", "User", "Arn"}),
            "arn:aws:iam::000000000000:user/alice");
  EXPECT_EQ(Run(root_, {{"Action", "CreateUser"}, {"UserName", "alice"}}).Code(),
            "EntityAlreadyExists");
  EXPECT_EQ(Run(root_, {{"Action", "GetUser"}, {"UserName", "bob"}}).status, 404);

  auto key = Run(root_, {{"Action", "CreateAccessKey"}, {"UserName", "alice"}});
  ASSERT_EQ(key.status, 200) << key.body;
  const std::string akid = key.Text({"CreateAccessKeyResult", "AccessKey", "AccessKeyId"});
  EXPECT_EQ(key.Text({"CreateAccessKeyResult", "AccessKey", "Status"}), "Active");
  EXPECT_FALSE(key.Text({"CreateAccessKeyResult", "AccessKey", "SecretAccessKey"}).empty());
  auto list = Run(root_, {{"Action", "ListAccessKeys"}, {"UserName", "alice"}});
  EXPECT_NE(list.body.find(akid), std::string::npos);
  EXPECT_EQ(list.body.find("SecretAccessKey"), std::string::npos);

  auto cred = engine_->iam().LookupCredential(akid, 0);
  ASSERT_TRUE(cred.has_value());
  const engine::Principal alice = cred.value().principal;
  // Alice has no policy: she may not create users.
  auto denied = Run(alice, {{"Action", "CreateUser"}, {"UserName", "mallory"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Code(), "AccessDenied");

  EXPECT_EQ(Run(root_, {{"Action", "CreatePolicy"},
                        {"PolicyName", "bad"},
                        {"PolicyDocument", "{\"Version\":\"2012-10-17\"}"}})
                .Code(),
            "MalformedPolicyDocument");
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]})";
  auto policy = Run(
      root_, {{"Action", "CreatePolicy"}, {"PolicyName", "MakeUsers"}, {"PolicyDocument", doc}});
  ASSERT_EQ(policy.status, 200) << policy.body;
  const std::string arn = policy.Text({"CreatePolicyResult", "Policy", "Arn"});
  EXPECT_EQ(arn, "arn:aws:iam::000000000000:policy/MakeUsers");
  auto version =
      Run(root_, {{"Action", "GetPolicyVersion"}, {"PolicyArn", arn}, {"VersionId", "v1"}});
  ASSERT_EQ(version.status, 200) << version.body;
  EXPECT_EQ(
      PercentDecode(version.Text({"GetPolicyVersionResult", "PolicyVersion", "Document"}), false),
      doc);
  ASSERT_EQ(Run(root_, {{"Action", "AttachUserPolicy"}, {"UserName", "alice"}, {"PolicyArn", arn}})
                .status,
            200);
  auto attached = Run(root_, {{"Action", "ListAttachedUserPolicies"}, {"UserName", "alice"}});
  EXPECT_NE(attached.body.find("<PolicyArn>" + arn + "</PolicyArn>"), std::string::npos);
  EXPECT_EQ(Run(alice, {{"Action", "CreateUser"}, {"UserName", "carol"}}).status, 200);
  EXPECT_EQ(Run(root_, {{"Action", "DeletePolicy"}, {"PolicyArn", arn}}).Code(), "DeleteConflict");
  EXPECT_EQ(Run(root_, {{"Action", "DeleteUser"}, {"UserName", "alice"}}).Code(), "DeleteConflict");

  auto users = Run(root_, {{"Action", "ListUsers"}});
  EXPECT_NE(users.body.find("<UserName>carol</UserName>"), std::string::npos);
  EXPECT_EQ(Run(root_, {{"Action", "DeleteUser"}, {"UserName", "carol"}}).status, 200);
}

TEST_F(IamActionsTest, GroupsAndSessions) {
  ASSERT_EQ(Run(root_, {{"Action", "CreateUser"}, {"UserName", "dave"}}).status, 200);
  ASSERT_EQ(Run(root_, {{"Action", "CreateGroup"}, {"GroupName", "devs"}}).status, 200);
  ASSERT_EQ(Run(root_, {{"Action", "AddUserToGroup"}, {"GroupName", "devs"}, {"UserName", "dave"}})
                .status,
            200);
  auto group = Run(root_, {{"Action", "GetGroup"}, {"GroupName", "devs"}});
  EXPECT_EQ(group.Text({"GetGroupResult", "Group", "GroupName"}), "devs");
  EXPECT_NE(group.body.find("<UserName>dave</UserName>"), std::string::npos);
  auto for_user = Run(root_, {{"Action", "ListGroupsForUser"}, {"UserName", "dave"}});
  EXPECT_NE(for_user.body.find("<GroupName>devs</GroupName>"), std::string::npos);
  EXPECT_EQ(Run(root_, {{"Action", "DeleteGroup"}, {"GroupName", "devs"}}).Code(),
            "DeleteConflict");

  auto session = Run(root_, {{"Action", "AssumeRole"},
                             {"RoleArn", "arn:aws:iam::000000000000:role/r"},
                             {"RoleSessionName", "s1"},
                             {"DurationSeconds", "900"}});
  ASSERT_EQ(session.status, 200) << session.body;
  const std::string akid = session.Text({"AssumeRoleResult", "Credentials", "AccessKeyId"});
  EXPECT_TRUE(akid.starts_with("ASIA")) << akid;
  EXPECT_FALSE(session.Text({"AssumeRoleResult", "Credentials", "SessionToken"}).empty());
  EXPECT_FALSE(session.Text({"AssumeRoleResult", "AssumedRoleUser", "Arn"}).empty());
  EXPECT_EQ(Run(root_, {{"Action", "GetSessionToken"}, {"DurationSeconds", "60"}}).status, 400);

  auto cred = engine_->iam().LookupCredential(akid, 1700000000000000000);
  ASSERT_TRUE(cred.has_value());
  // Sessions cannot make sessions.
  EXPECT_EQ(Run(cred.value().principal, {{"Action", "GetSessionToken"}}).status, 403);
}

TEST_F(IamActionsTest, LoginProfileIsTheConsolePassword) {
  ASSERT_EQ(Run(root_, {{"Action", "CreateUser"}, {"UserName", "erin"}}).status, 200);
  EXPECT_EQ(Run(root_, {{"Action", "CreateLoginProfile"}, {"UserName", "erin"}, {"Password", "x"}})
                .Code(),
            "PasswordPolicyViolation");
  EXPECT_EQ(
      Run(root_,
          {{"Action", "UpdateLoginProfile"}, {"UserName", "erin"}, {"Password", "long enough pw"}})
          .status,
      404);
  auto created =
      Run(root_,
          {{"Action", "CreateLoginProfile"}, {"UserName", "erin"}, {"Password", "correct horse"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Text({"CreateLoginProfileResult", "LoginProfile", "UserName"}), "erin");
  EXPECT_TRUE(engine_->iam().CheckConsolePassword("erin", "correct horse").has_value());
  EXPECT_EQ(
      Run(root_,
          {{"Action", "CreateLoginProfile"}, {"UserName", "erin"}, {"Password", "correct horse"}})
          .Code(),
      "EntityAlreadyExists");
  ASSERT_EQ(
      Run(root_,
          {{"Action", "UpdateLoginProfile"}, {"UserName", "erin"}, {"Password", "battery staple"}})
          .status,
      200);
  EXPECT_FALSE(engine_->iam().CheckConsolePassword("erin", "correct horse").has_value());
  EXPECT_TRUE(engine_->iam().CheckConsolePassword("erin", "battery staple").has_value());
  ASSERT_EQ(Run(root_, {{"Action", "DeleteLoginProfile"}, {"UserName", "erin"}}).status, 200);
  EXPECT_FALSE(engine_->iam().CheckConsolePassword("erin", "battery staple").has_value());
}

}  // namespace
}  // namespace maxiofs::s3::iam_api
