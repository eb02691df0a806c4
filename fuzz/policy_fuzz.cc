// Fuzzes the IAM policy language (engine/src/iam/policy.cc, condition.cc): JSON parsing and
// validation of identity and bucket policies, then evaluation against a few requests with
// condition values (every operator family: string, numeric, date, bool, IP, ARN, binary,
// Null, set qualifiers, policy variables). The input is the policy; after a line "#", each
// line "key=value" adds a condition value to the requests.
#include "policy.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace iam = maxiofs::engine::iam;

namespace {

void Evaluate(const iam::Policy& policy, const iam::ConditionValues& conditions) {
  static constexpr std::string_view kActions[] = {"s3:GetObject", "s3:PutObject", "s3:ListBucket"};
  static constexpr std::string_view kResources[] = {"arn:aws:s3:::examplebucket/home/alice/a.txt",
                                                    "arn:aws:s3:::examplebucket"};
  for (auto action : kActions) {
    for (auto resource : kResources) {
      for (bool anonymous : {false, true}) {
        iam::EvalRequest req;
        req.action = action;
        req.resource = resource;
        req.principal_arn = anonymous ? "" : "arn:aws:iam::000000000000:user/alice";
        req.principal_user_arn = req.principal_arn;
        req.anonymous = anonymous;
        req.conditions = &conditions;
        (void)policy.Evaluate(req);
      }
    }
  }
  (void)policy.IsPublic();
  (void)policy.UsesConditionKeyPrefix("s3:existingobjecttag/");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n#\n");
  const std::string_view json = input.substr(0, split);
  iam::ConditionValues conditions = {
      {"aws:sourceip", {"192.0.2.10"}},
      {"aws:username", {"alice"}},
      {"aws:userid", {"alice"}},
      {"aws:securetransport", {"false"}},
      {"aws:currenttime", {"2024-05-01T12:00:00Z"}},
      {"aws:epochtime", {"1714564800"}},
      {"s3:prefix", {"home/alice/"}},
      {"s3:max-keys", {"100"}},
      {"s3:x-amz-acl", {"private"}},
      {"s3:existingobjecttag/team", {"dev"}},
      {"aws:sourcearn", {"arn:aws:s3:::examplebucket"}},
  };
  if (split != std::string_view::npos) {
    std::string_view rest = input.substr(split + 3);
    while (!rest.empty()) {
      const size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
      const size_t eq = line.find('=');
      if (eq == std::string_view::npos) continue;
      conditions[std::string(line.substr(0, eq))].emplace_back(line.substr(eq + 1));
    }
  }
  if (auto p = iam::Policy::Parse(json, iam::PolicyKind::kIdentity); p.has_value()) {
    Evaluate(*p.value(), conditions);
  }
  if (auto p = iam::Policy::Parse(json, iam::PolicyKind::kResource, "examplebucket");
      p.has_value()) {
    Evaluate(*p.value(), conditions);
  }
  if (auto p = iam::Policy::Parse(json, iam::PolicyKind::kResource); p.has_value()) {
    Evaluate(*p.value(), conditions);
  }
  return 0;
}
