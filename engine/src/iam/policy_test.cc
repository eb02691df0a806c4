// Policy parsing and evaluation, from AWS's documentation ("IAM JSON policy element
// reference", "Policy evaluation logic", S3 "Bucket policy examples" and "The meaning of
// public"). Table-driven: {policy, request, expected decision}.
#include "policy.h"

#include "maxiofs/engine/iam.h"

#include <gtest/gtest.h>

#include <string>

namespace maxiofs::engine::iam {
namespace {

constexpr const char* kAlice = "arn:aws:iam::000000000000:user/alice";
constexpr const char* kBob = "arn:aws:iam::000000000000:user/bob";
constexpr const char* kAliceSession = "arn:aws:sts::000000000000:assumed-role/r/alice-session";

struct Request {
  std::string action = "s3:GetObject";
  std::string resource = "arn:aws:s3:::photos/2026/a.jpg";
  std::string principal = kAlice;
  std::string user = kAlice;  // principal_user_arn
  bool anonymous = false;
  ConditionValues ctx;
};

Request Anonymous() {
  Request r;
  r.principal = r.user = "";
  r.anonymous = true;
  return r;
}
Request As(std::string principal, std::string user) {
  Request r;
  r.principal = std::move(principal);
  r.user = std::move(user);
  return r;
}
Request Do(std::string action, std::string resource) {
  Request r;
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}
Request With(ConditionValues ctx) {
  Request r;
  r.ctx = std::move(ctx);
  return r;
}

Decision Eval(const Policy& p, const Request& r) {
  EvalRequest req;
  req.action = r.action;
  req.resource = r.resource;
  req.principal_arn = r.principal;
  req.principal_user_arn = r.user;
  req.anonymous = r.anonymous;
  req.conditions = &r.ctx;
  return p.Evaluate(req);
}

struct EvalCase {
  const char* name;
  PolicyKind kind;
  const char* policy;
  Request request;
  Decision want;
};

void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.name; }

class EvalTable : public ::testing::TestWithParam<EvalCase> {};

TEST_P(EvalTable, Decides) {
  const EvalCase& c = GetParam();
  auto policy = Policy::Parse(c.policy, c.kind, c.kind == PolicyKind::kResource ? "photos" : "");
  ASSERT_TRUE(policy.has_value()) << policy.error().ToString();
  EXPECT_EQ(Eval(*policy.value(), c.request), c.want) << c.policy;
}

constexpr auto kId = PolicyKind::kIdentity;
constexpr auto kRes = PolicyKind::kResource;
constexpr auto kAllow = Decision::kAllow;
constexpr auto kDeny = Decision::kDeny;
constexpr auto kNone = Decision::kNotApplicable;

#define V12 R"("Version":"2012-10-17",)"

const EvalCase kEvalCases[] = {
    // --- Action ---------------------------------------------------------------------------
    {"action_exact",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})",
     {},
     kAllow},
    {"action_case_insensitive",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"S3:getobject","Resource":"*"}})",
     {},
     kAllow},
    {"action_other",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}})",
     {},
     kNone},
    {"action_star",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})",
     {},
     kAllow},
    {"action_service_star",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     {},
     kAllow},
    {"action_service_star_other_service",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}})",
     {},
     kNone},
    {"action_prefix_wildcard",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}})",
     {},
     kAllow},
    {"action_question_wildcard",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:?etObject","Resource":"*"}})",
     {},
     kAllow},
    {"action_list_or",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}})",
     {},
     kAllow},
    {"not_action_excluded",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","NotAction":"s3:GetObject","Resource":"*"}})",
     {},
     kNone},
    {"not_action_others_match",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}})",
     {},
     kAllow},
    // --- Resource -------------------------------------------------------------------------
    {"resource_exact",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::photos/2026/a.jpg"}})",
     {},
     kAllow},
    {"resource_prefix_star",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"resource_case_sensitive",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::Photos/*"}})",
     {},
     kNone},
    {"resource_bucket_not_objects",
     kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::photos"}})",
     {},
     kNone},
    {"resource_question",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::photos/202?/*"}})",
     {},
     kAllow},
    {"resource_list_or",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::x/*","arn:aws:s3:::photos/*"]}})",
     {},
     kAllow},
    {"not_resource_excluded",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::photos/*"}})",
     {},
     kNone},
    {"not_resource_others",
     kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}})",
     {},
     kAllow},
    {"resource_iam_arn_wildcard", kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/*"}})",
     Do("iam:CreateUser", "arn:aws:iam::000000000000:user/carol"), kAllow},
    // --- Policy variables in Resource -----------------------------------------------------
    {"variable_username_own_home", kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}})",
     [] {
       Request r = Do("s3:GetObject", "arn:aws:s3:::home/alice/notes");
       r.ctx = {{"aws:username", {"alice"}}};
       return r;
     }(),
     kAllow},
    {"variable_username_other_home", kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}})",
     [] {
       Request r = Do("s3:GetObject", "arn:aws:s3:::home/bob/notes");
       r.ctx = {{"aws:username", {"alice"}}};
       return r;
     }(),
     kNone},
    {"variable_userid", kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:userid}/*"}})",
     [] {
       Request r = Do("s3:GetObject", "arn:aws:s3:::home/AIDAEXAMPLE/x");
       r.ctx = {{"aws:userid", {"AIDAEXAMPLE"}}};
       return r;
     }(),
     kAllow},
    {"variable_missing_matches_nothing", kId,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}})",
     Do("s3:GetObject", "arn:aws:s3:::home//x"), kNone},
    // Version 2008-10-17 (or none) has no policy variables: ${...} is literal.
    {"variable_literal_in_2008", kId,
     R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}})",
     [] {
       Request r = Do("s3:GetObject", "arn:aws:s3:::home/${aws:username}/x");
       r.ctx = {{"aws:username", {"alice"}}};
       return r;
     }(),
     kAllow},
    {"variable_not_expanded_in_2008", kId,
     R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}})",
     [] {
       Request r = Do("s3:GetObject", "arn:aws:s3:::home/alice/x");
       r.ctx = {{"aws:username", {"alice"}}};
       return r;
     }(),
     kNone},
    // --- Deny wins, allow, implicit deny --------------------------------------------------
    {"deny_wins_over_allow",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]})",
     {},
     kDeny},
    {"deny_first_still_wins",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Deny","Action":"s3:Get*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]})",
     {},
     kDeny},
    {"deny_not_matching_allow_stands",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]})",
     {},
     kAllow},
    {"deny_only_not_matching_is_not_applicable",
     kId,
     "{" V12 R"("Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]})",
     {},
     kNone},
    {"deny_with_condition_holds", kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})",
     With({{"aws:securetransport", {"false"}}}), kDeny},
    {"deny_with_condition_not_holding", kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})",
     With({{"aws:securetransport", {"true"}}}), kAllow},
    {"deny_not_ip_missing_key_denies",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})",
     {},
     kDeny},
    // --- Principal (bucket policies) ------------------------------------------------------
    {"principal_star_anonymous", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     Anonymous(), kAllow},
    {"principal_aws_star_anonymous", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     Anonymous(), kAllow},
    {"principal_account_id_user",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"principal_account_root_user",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"principal_account_not_anonymous", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     Anonymous(), kNone},
    {"principal_user_arn",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/alice"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"principal_user_arn_other_user", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     As(kBob, kBob), kNone},
    {"principal_user_arn_matches_session", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     As(kAliceSession, kAlice), kAllow},
    {"principal_canonical_user",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"CanonicalUser":"6d6178696f667300000000000000000000000000000000000000000000000000"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"principal_other_account",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kNone},
    {"not_principal_deny_others", kRes,
     "{" V12
     R"("Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}})",
     As(kBob, kBob), kDeny},
    {"not_principal_listed_is_exempt",
     kRes,
     "{" V12
     R"("Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kNone},
    {"not_principal_anonymous_not_listed", kRes,
     "{" V12
     R"("Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"000000000000"},"Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}})",
     Anonymous(), kDeny},
    {"bucket_policy_resource_wildcard_bucket", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photo*"}})",
     Do("s3:ListBucket", "arn:aws:s3:::photos"), kAllow},
    {"bucket_policy_repeated_sids", kRes,
     "{" V12
     R"("Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"},{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos"}]})",
     Do("s3:ListBucket", "arn:aws:s3:::photos"), kAllow},
    {"bucket_policy_condition_prefix", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos","Condition":{"StringLike":{"s3:prefix":"public/*"}}}})",
     [] {
       Request r = Do("s3:ListBucket", "arn:aws:s3:::photos");
       r.ctx = {{"s3:prefix", {"private/"}}};
       return r;
     }(),
     kNone},
    {"bucket_policy_variable_in_resource", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:*","Resource":"arn:aws:s3:::photos/home/${aws:username}/*"}})",
     [] {
       Request r = Do("s3:PutObject", "arn:aws:s3:::photos/home/alice/x");
       r.ctx = {{"aws:username", {"alice"}}};
       return r;
     }(),
     kAllow},
    // "Deny everything except": Deny with NotAction denies the other actions only.
    {"deny_not_action_other_action_denied", kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":["s3:Get*","s3:List*"],"Resource":"*"}]})",
     Do("s3:PutObject", "arn:aws:s3:::photos/x"), kDeny},
    {"deny_not_action_listed_action_allowed",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":["s3:Get*","s3:List*"],"Resource":"*"}]})",
     {},
     kAllow},
    {"deny_not_resource_outside_denied", kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]}]})",
     Do("s3:GetObject", "arn:aws:s3:::other/x"), kDeny},
    {"deny_not_resource_inside_allowed",
     kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]}]})",
     {},
     kAllow},
    {"statement_object_not_array",
     kId,
     R"({"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     {},
     kAllow},
    {"conditions_evaluated_per_statement", kId,
     "{" V12
     R"("Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"}}}]})",
     With({{"aws:username", {"alice"}}}), kAllow},
};

INSTANTIATE_TEST_SUITE_P(Aws, EvalTable, ::testing::ValuesIn(kEvalCases),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Malformed documents -------------------------------------------------------------------

struct MalformedCase {
  const char* name;
  PolicyKind kind;
  std::string policy;
  const char* message_part;  // the message must contain this
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class MalformedTable : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedTable, Rejected) {
  const MalformedCase& c = GetParam();
  auto policy = Policy::Parse(c.policy, c.kind, c.kind == PolicyKind::kResource ? "photos" : "");
  ASSERT_FALSE(policy.has_value()) << c.policy;
  EXPECT_EQ(policy.error().code(), Status::Code::kMalformedPolicy);
  EXPECT_NE(std::string(policy.error().message()).find(c.message_part), std::string::npos)
      << "message: " << policy.error().message();
}

#define ALLOW_ANY R"("Effect":"Allow","Action":"s3:*","Resource":"*")"
#define BUCKET_OK \
  R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*")"

const MalformedCase kMalformed[] = {
    {"json_syntax", kId, R"({"Statement": [)", "invalid Json"},
    {"json_syntax_offset", kId, R"({"Version":"2012-10-17",,})", "at character 25"},
    {"not_object", kId, R"(["x"])", "not an object"},
    {"too_large", kId, std::string(20 * 1024 + 1, ' '), "over the limit of 20480"},
    {"unknown_top_level", kId, "{" V12 R"("Statment":[]})",
     "unknown top-level element \"Statment\""},
    {"bad_version", kId, R"({"Version":"2020-01-01","Statement":{)" ALLOW_ANY "}}", "Version"},
    {"no_statement", kId, "{" V12 R"("Id":"x"})", "Missing required field Statement"},
    {"empty_statement_list", kId, "{" V12 R"("Statement":[]})", "non-empty array"},
    {"statement_not_object", kId, "{" V12 R"("Statement":["x"]})", "Statement 1"},
    {"unknown_element_named_by_sid", kId,
     "{" V12 R"("Statement":{"Sid":"ReadAll","Actions":"s3:*",)" ALLOW_ANY "}}",
     "Statement \"ReadAll\": unknown element \"Actions\""},
    {"missing_effect_named_by_index", kId,
     "{" V12 R"("Statement":[{)" ALLOW_ANY R"(},{"Action":"s3:*","Resource":"*"}]})",
     "Statement 2: Missing required field Effect"},
    {"bad_effect", kId, "{" V12 R"("Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}})",
     "Effect must be"},
    {"missing_action", kId, "{" V12 R"("Statement":{"Effect":"Allow","Resource":"*"}})",
     "Missing required field Action"},
    {"action_and_not_action", kId, "{" V12 R"("Statement":{"NotAction":"s3:Get*",)" ALLOW_ANY "}}",
     "both Action and NotAction"},
    {"action_no_service", kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}})",
     "invalid action \"GetObject\""},
    {"action_empty_list", kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":[],"Resource":"*"}})", "non-empty array"},
    {"action_not_string", kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":[5],"Resource":"*"}})", "Action must be"},
    {"missing_resource", kId, "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:*"}})",
     "Missing required field Resource"},
    {"resource_and_not_resource", kId, "{" V12 R"("Statement":{"NotResource":"*",)" ALLOW_ANY "}}",
     "both Resource and NotResource"},
    {"resource_not_arn", kId,
     "{" V12 R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"photos/*"}})",
     "invalid resource \"photos/*\""},
    {"principal_in_identity_policy", kId, "{" V12 R"("Statement":{"Principal":"*",)" ALLOW_ANY "}}",
     "should not specify a principal"},
    {"missing_principal_in_bucket_policy", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     "Missing required field Principal"},
    {"principal_and_not_principal", kRes,
     "{" V12 R"("Statement":{"NotPrincipal":"*",)" BUCKET_OK "}}",
     "both Principal and NotPrincipal"},
    {"principal_bad_string", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"alice","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     "Invalid principal"},
    {"not_principal_with_allow", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos"}})",
     "NotPrincipal is supported only with \"Effect\": \"Deny\""},
    {"principal_bad_type", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"Users":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     "unknown principal type \"Users\""},
    {"principal_bad_value", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}})",
     "Invalid principal in policy: \"alice\""},
    {"bucket_policy_other_bucket", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}})",
     "Policy has invalid resource"},
    {"bucket_policy_star_resource", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}})",
     "Policy has invalid resource"},
    {"bucket_policy_iam_action", kRes,
     "{" V12
     R"("Statement":{"Effect":"Allow","Principal":"*","Action":"iam:CreateUser","Resource":"arn:aws:s3:::photos"}})",
     "invalid action"},
    {"duplicate_sid", kId,
     "{" V12 R"("Statement":[{"Sid":"A",)" ALLOW_ANY R"(},{"Sid":"A",)" ALLOW_ANY "}]}",
     "must be unique"},
    {"unknown_operator", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":{"StringEqual":{"s3:prefix":"a"}}}})",
     "unknown condition operator \"StringEqual\""},
    {"numeric_not_number", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY
     R"(,"Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}})",
     "\"ten\" is not a number"},
    {"bad_date", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY
     R"(,"Condition":{"DateLessThan":{"aws:CurrentTime":"2026-02-30"}}}})",
     "is not a date"},
    {"bad_bool", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY
     R"(,"Condition":{"Bool":{"aws:SecureTransport":"yes"}}}})",
     "\"yes\" is not true or false"},
    {"bad_cidr", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY
     R"(,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/40"}}}})",
     "is not an IP address or CIDR"},
    {"bad_base64", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":{"BinaryEquals":{"k":"!!"}}}})",
     "is not base64"},
    {"null_with_if_exists", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":{"NullIfExists":{"k":"true"}}}})",
     "Null takes no IfExists"},
    {"condition_not_object", kId, "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":"x"}})",
     "Condition must be an object"},
    {"condition_value_object", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":{"StringEquals":{"k":{"a":1}}}}})",
     "values must be strings"},
    {"condition_empty_values", kId,
     "{" V12 R"("Statement":{)" ALLOW_ANY R"(,"Condition":{"StringEquals":{"k":[]}}}})",
     "has no values"},
};

INSTANTIATE_TEST_SUITE_P(Aws, MalformedTable, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

// --- IsPublic (S3 User Guide, "The meaning of public") -------------------------------------

struct PublicCase {
  const char* name;
  const char* statement;  // one bucket-policy statement
  bool is_public;
};

void PrintTo(const PublicCase& c, std::ostream* os) { *os << c.name; }

class PublicTable : public ::testing::TestWithParam<PublicCase> {};

TEST_P(PublicTable, Classifies) {
  const PublicCase& c = GetParam();
  std::string doc = std::string("{") + V12 + R"("Statement":[)" + c.statement + "]}";
  auto policy = Policy::Parse(doc, PolicyKind::kResource, "photos");
  ASSERT_TRUE(policy.has_value()) << policy.error().ToString();
  EXPECT_EQ(policy.value()->IsPublic(), c.is_public) << doc;
}

#define PUB_HEAD \
  R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*")"

const PublicCase kPublic[] = {
    {"star_no_condition", PUB_HEAD "}", true},
    {"aws_star",
     R"({"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"})",
     true},
    {"named_user",
     R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/a"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"})",
     false},
    {"deny_star",
     R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"})",
     false},
    {"source_ip_range", PUB_HEAD R"(,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})",
     false},
    {"source_ip_all", PUB_HEAD R"(,"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}})", true},
    {"not_ip_is_not_pinning",
     PUB_HEAD R"(,"Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})", true},
    {"source_arn_fixed",
     PUB_HEAD R"(,"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:r:1:t"}}})", false},
    {"source_arn_wildcard",
     PUB_HEAD R"(,"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}})", true},
    {"source_account", PUB_HEAD R"(,"Condition":{"StringEquals":{"aws:SourceAccount":"1"}}})",
     false},
    {"principal_org", PUB_HEAD R"(,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}})",
     false},
    {"userid", PUB_HEAD R"(,"Condition":{"StringEquals":{"aws:userid":"AIDAX"}}})", false},
    {"source_vpce", PUB_HEAD R"(,"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}})",
     false},
    {"kms_key",
     PUB_HEAD
     R"(,"Condition":{"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"k"}}})",
     false},
    {"if_exists_not_pinning",
     PUB_HEAD R"(,"Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}}})", true},
    {"other_key_not_pinning", PUB_HEAD R"(,"Condition":{"StringLike":{"s3:prefix":"p"}}})", true},
    {"secure_transport_not_pinning",
     PUB_HEAD R"(,"Condition":{"Bool":{"aws:SecureTransport":"true"}}})", true},
};

INSTANTIATE_TEST_SUITE_P(Aws, PublicTable, ::testing::ValuesIn(kPublic),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Policy, KeepsTextAndEvaluatesConcurrentlyFromOneParse) {
  std::string doc = "{" V12 R"("Statement":{)" ALLOW_ANY "}}";
  auto policy = Policy::Parse(doc, PolicyKind::kIdentity);
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy.value()->text(), doc);
  Request r;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Eval(*policy.value(), r), Decision::kAllow);
}

TEST(Policy, NullConditionsPointerMeansNoKeys) {
  auto policy = Policy::Parse("{" V12 R"("Statement":{)" ALLOW_ANY
                              R"(,"Condition":{"Null":{"s3:prefix":"true"}}}})",
                              PolicyKind::kIdentity);
  ASSERT_TRUE(policy.has_value());
  EvalRequest req;
  req.action = "s3:GetObject";
  req.resource = "arn:aws:s3:::b/k";
  EXPECT_EQ(policy.value()->Evaluate(req), Decision::kAllow);
}

TEST(Policy, BucketPolicyWithoutBucketAcceptsAnyResource) {
  auto policy = Policy::Parse(
      "{" V12
      R"("Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::any/*"}})",
      PolicyKind::kResource);
  EXPECT_TRUE(policy.has_value());
}

TEST(Policy, DeeplyNestedJsonIsRejectedWithoutCrashing) {
  std::string doc(10000, '[');
  doc += std::string(10000, ']');
  auto policy = Policy::Parse(doc, PolicyKind::kIdentity);
  ASSERT_FALSE(policy.has_value());
  EXPECT_EQ(policy.error().code(), Status::Code::kMalformedPolicy);
  std::string unclosed(20000, '[');
  EXPECT_FALSE(Policy::Parse(unclosed, PolicyKind::kIdentity).has_value());
}

TEST(Policy, VariableExpansionLargerThanTheStackBufferStillMatches) {
  auto policy = Policy::Parse(
      "{" V12
      R"("Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/${aws:userid}/*"}})",
      PolicyKind::kIdentity);
  ASSERT_TRUE(policy.has_value());
  std::string name(3000, 'n'), id(3000, 'i');
  Request r = Do("s3:GetObject", "arn:aws:s3:::home/" + name + "/" + id + "/k");
  r.ctx = {{"aws:username", {name}}, {"aws:userid", {id}}};
  EXPECT_EQ(Eval(*policy.value(), r), Decision::kAllow);
  r.resource = "arn:aws:s3:::home/" + name + "/x" + id + "/k";
  EXPECT_EQ(Eval(*policy.value(), r), Decision::kNotApplicable);
}

TEST(Policy, DocumentAtTheSizeLimitIsAccepted) {
  std::string doc = "{" V12 R"("Statement":{)" ALLOW_ANY "}}";
  doc.insert(1, std::string(20 * 1024 - doc.size(), ' '));
  ASSERT_EQ(doc.size(), 20u * 1024);
  EXPECT_TRUE(Policy::Parse(doc, PolicyKind::kIdentity).has_value());
}

}  // namespace
}  // namespace maxiofs::engine::iam
