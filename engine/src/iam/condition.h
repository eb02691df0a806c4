// The Condition element of a statement: operators, their values, ...IfExists, Null and the
// ForAnyValue:/ForAllValues: set qualifiers, compiled once and evaluated per request.
//
// Semantics (AWS IAM User Guide, "Condition operators" and "Multivalued context keys"):
//  - every operator of a block, and every key of an operator, must hold (AND); the values
//    listed for one key are alternatives (OR);
//  - a negated operator (StringNotEquals, NumericNotEquals, DateNotEquals, NotIpAddress,
//    ArnNotEquals, ArnNotLike, StringNotLike, ...IgnoreCase) holds when no listed value
//    matches;
//  - a key missing from the request: the condition is false, except that a negated operator
//    is true ("If the policy condition requires that the key is not matched ... and the right
//    key is not present, the condition is true"), ...IfExists is true, and Null tests exactly
//    that;
//  - a request key with several values and no qualifier holds when any value matches (for a
//    negated operator: when none does);
//  - ForAnyValue: some request value satisfies the operator; false when the key is missing or
//    empty. ForAllValues: every request value satisfies it; true when missing or empty.
//    For negated operators the negation applies to each request value.
//  - Numeric values are integers or decimals; dates are ISO 8601 (2026-01-01,
//    2026-01-01T00:00:00Z, with fractions or a +hh:mm offset) or epoch seconds; Bool takes
//    true/false (any case); BinaryEquals compares base64-decoded bytes (request values are
//    base64 too); IpAddress takes IPv4/IPv6 CIDRs or single addresses.
#pragma once

#include "ip_match.h"
#include "pattern.h"
#include "policy.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::engine::iam {

enum class ConditionFamily : uint8_t {
  kString,
  kStringIgnoreCase,
  kStringLike,
  kNumeric,
  kDate,
  kBool,
  kBinary,
  kIp,
  kArn,
  kNull,
};
enum class Comparison : uint8_t { kEq, kLt, kLe, kGt, kGe };
enum class SetQualifier : uint8_t { kNone, kForAnyValue, kForAllValues };

// One (operator, key) pair with its values.
class Condition {
 public:
  bool Holds(const ConditionValues& ctx, Scratch& scratch) const;

  ConditionFamily family() const { return family_; }
  bool negated() const { return negated_; }
  bool if_exists() const { return if_exists_; }
  SetQualifier qualifier() const { return qualifier_; }
  const std::string& key() const { return key_; }  // lower-cased
  // Whether every value pins the key to fixed values (no wildcard or variable, no /0 range).
  bool AllValuesFixed() const;

 private:
  friend Status ParseConditionBlock(const nlohmann::json&, bool, std::vector<Condition>&);
  bool MatchOne(std::string_view value, const ConditionValues& ctx, Scratch& scratch) const;

  ConditionFamily family_ = ConditionFamily::kString;
  Comparison cmp_ = Comparison::kEq;
  bool negated_ = false;
  bool if_exists_ = false;
  SetQualifier qualifier_ = SetQualifier::kNone;
  std::string key_;
  // Exactly one of these is filled, per family.
  std::vector<Pattern> patterns_;  // string, string-like, ARN
  std::vector<double> numbers_;
  std::vector<int64_t> times_us_;
  std::vector<bool> bools_;  // Bool, Null
  std::vector<std::string> bytes_;
  std::vector<IpRange> ranges_;
};

// Compiles a Condition element (an object of operator -> {key -> value or [values]}) and
// appends to `out`. InvalidArgument-free: errors are MalformedPolicy with a message naming the
// operator/key and the problem. `variables`: expand policy variables (Version 2012-10-17).
Status ParseConditionBlock(const nlohmann::json& block, bool variables,
                           std::vector<Condition>& out);

// A condition key as ConditionValues and compiled conditions hold it: lower-cased, except the
// part after the '/' of the tag keys (s3:existingobjecttag/, s3:requestobjecttag/,
// aws:requesttag/, aws:resourcetag/, aws:principaltag/), which keeps its case.
std::string CanonicalConditionKey(std::string_view key);

// Value parsers shared with tests. nullopt when malformed.
std::optional<double> ParseNumber(std::string_view text);
std::optional<int64_t> ParseDateMicros(std::string_view text);  // ISO 8601 or epoch seconds

}  // namespace maxiofs::engine::iam
