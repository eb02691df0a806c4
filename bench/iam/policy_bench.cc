// IAM policy evaluation benchmark: a 10-statement identity policy (actions, resources with a
// policy variable, string/IP/date/bool conditions, one Deny) evaluated against a mix of
// requests. Prints evaluations per second for one thread, and the parse time. Single thread;
// figures are the CPU cost of Policy::Evaluate alone.
// Usage: iam_policy_bench [SECONDS]   (default 2)
#include "iam/policy.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace maxiofs::engine::iam;

constexpr const char* kPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "S1", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
     "Resource": "arn:aws:s3:::photos/*"},
    {"Sid": "S2", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
     "Condition": {"StringLike": {"s3:prefix": ["public/*", "home/${aws:username}/*"]}}},
    {"Sid": "S3", "Effect": "Allow", "Action": "s3:*",
     "Resource": "arn:aws:s3:::home/${aws:username}/*"},
    {"Sid": "S4", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::uploads/*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}},
    {"Sid": "S5", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::logs/*",
     "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
    {"Sid": "S6", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "S7", "Effect": "Allow", "Action": "iam:Get*",
     "Resource": "arn:aws:iam::000000000000:user/${aws:username}"},
    {"Sid": "S8", "Effect": "Allow", "NotAction": ["iam:*", "sts:*"],
     "Resource": "arn:aws:s3:::shared-*/*",
     "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
    {"Sid": "S9", "Effect": "Deny", "Action": "s3:DeleteObject*",
     "Resource": "arn:aws:s3:::photos/archive/*"},
    {"Sid": "S10", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}
  ]
})";

struct Req {
  const char* action;
  const char* resource;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  auto t0 = Clock::now();
  constexpr int kParses = 1000;
  for (int i = 0; i < kParses; ++i) {
    auto p = Policy::Parse(kPolicy, PolicyKind::kIdentity);
    if (!p.has_value()) {
      std::fprintf(stderr, "parse: %s\n", p.error().ToString().c_str());
      return 1;
    }
  }
  double parse_us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kParses;
  auto policy = Policy::Parse(kPolicy, PolicyKind::kIdentity).value();

  const ConditionValues ctx = {
      {"aws:username", {"alice"}},
      {"aws:sourceip", {"10.1.2.3"}},
      {"aws:currenttime", {"2026-11-25T03:00:00Z"}},
      {"aws:securetransport", {"true"}},
      {"s3:prefix", {"home/alice/docs/"}},
  };
  const std::vector<Req> reqs = {
      {"s3:GetObject", "arn:aws:s3:::photos/2026/a.jpg"},
      {"s3:ListBucket", "arn:aws:s3:::photos"},
      {"s3:PutObject", "arn:aws:s3:::home/alice/notes.txt"},
      {"s3:PutObject", "arn:aws:s3:::uploads/x"},
      {"s3:GetObject", "arn:aws:s3:::logs/2026/11/25"},
      {"s3:DeleteObject", "arn:aws:s3:::photos/archive/old"},
      {"s3:GetObject", "arn:aws:s3:::private/secret"},  // no statement applies
      {"iam:GetUser", "arn:aws:iam::000000000000:user/alice"},
  };
  uint64_t n = 0, allowed = 0;
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    for (int round = 0; round < 1000; ++round) {
      for (const Req& r : reqs) {
        EvalRequest req;
        req.action = r.action;
        req.resource = r.resource;
        req.principal_arn = req.principal_user_arn = "arn:aws:iam::000000000000:user/alice";
        req.conditions = &ctx;
        allowed += policy->Evaluate(req) == Decision::kAllow;
        ++n;
      }
    }
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("iam_policy_bench: 10-statement policy, %zu request shapes\n", reqs.size());
  std::printf("  parse:    %.1f us per document\n", parse_us);
  std::printf("  evaluate: %.0f evaluations/s (%.0f ns each), %.0f%% allowed\n", n / elapsed,
              elapsed * 1e9 / n, 100.0 * allowed / n);
  return 0;
}
