// The POST policy of a browser form upload: the JSON document (base64 in the form's `policy`
// field) that says until when and under which conditions a signed form may upload:
//
//   {"expiration": "2030-01-01T00:00:00.000Z",
//    "conditions": [{"bucket": "photos"},                        exact match
//                   ["eq", "$key", "user/a.jpg"],                 exact match
//                   ["starts-with", "$Content-Type", "image/"],   prefix ("" = anything)
//                   ["content-length-range", 1, 10485760]]}       file size in bytes
//
// As S3: "expiration" and "conditions" are case-sensitive and required; condition operators
// and field names are case-insensitive; every form field must be named by a condition except
// policy, x-amz-signature, signature, AWSAccessKeyId, file, x-ignore-* and the integrity
// fields x-amz-checksum-*. The policy is authentication, not authorization: what the signer
// may do is still asked of the engine (Iam::Authorize) as for a PUT.
//
// Pure; thread-safe.
#pragma once

#include "s3_error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3 {

struct PostPolicyCondition {
  enum class Kind : uint8_t { kEq, kStartsWith };
  Kind kind = Kind::kEq;
  std::string field;  // lower-case, without the '$': "key", "x-amz-meta-tag", "bucket"
  std::string value;
  std::string text;  // the condition as written, for error messages
};

struct PostPolicy {
  int64_t expiration_ns = 0;  // ns since the epoch, UTC
  std::vector<PostPolicyCondition> conditions;
  // content-length-range: the file's size must lie within [min, max] (bytes).
  std::optional<uint64_t> min_length;
  std::optional<uint64_t> max_length;
};

// Parses a decoded policy document. InvalidPolicyDocument (400, "Invalid Policy: ...") when it is
// not a JSON object, lacks "expiration" or "conditions", has an expiration that is not an ISO
// 8601 UTC time, or a condition that is not {"field": "value"}, ["eq"|"starts-with", "$field",
// "value"] or ["content-length-range", min, max] with 0 <= min <= max.
S3Result<PostPolicy> ParsePostPolicy(std::string_view json);

// The form as a policy sees it: lower-case field names (the key after ${filename} was replaced)
// and values. "bucket" is the addressed bucket.
using PostFormFields = std::map<std::string, std::string, std::less<>>;

// The form against the policy at `now_ns`. AccessDenied (403) "Invalid according to Policy:
// Policy expired." / "Policy Condition failed: <condition>" / "Extra input fields: <field>".
std::optional<S3Error> CheckPostPolicy(const PostPolicy& policy, const PostFormFields& fields,
                                       int64_t now_ns);

// True for the form fields that need no condition (see above). `name` is lower-case.
bool IsPostPolicyExempt(std::string_view name);

}  // namespace maxiofs::s3
