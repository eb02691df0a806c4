// A string from a policy (a Resource, or a string/ARN condition value) compiled once: the
// wildcards it may hold and the policy variables to expand per request, as AWS documents for
// policies of Version 2012-10-17:
//   ${aws:username}, ${aws:userid}, any single-valued ${key} of the request context,
//   ${key, 'default'} (the default when the key is missing), and ${*} ${?} ${$}, which stand
//   for a literal *, ? and $.
// A variable whose key is missing (and has no default) makes the string match nothing (it has
// "no equal or like value": a positive operator fails, a negated one holds, a Resource does
// not match, a NotResource does).
// Expanded values are literal text: a `*` in a user name is not a wildcard.
#pragma once

#include "policy.h"

#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine::iam {

// Where per-request expansions are written; Evaluate backs it with a stack buffer so that
// evaluation does not allocate.
using Scratch = std::pmr::string;

class Pattern {
 public:
  // `wildcards`: * and ? in `text` are wildcards (else literal). `variables`: ${...} is
  // expanded (Version 2012-10-17); else it is literal text.
  Pattern(std::string_view text, bool wildcards, bool variables);

  // The compiled glob (see wildcard.h) for this request. Without variables it is a view of the
  // pattern itself and `scratch` is untouched. False when a variable has no value.
  bool Resolve(const ConditionValues& ctx, Scratch& scratch, std::string_view& out) const;

  // True when the pattern holds a wildcard or a variable (it is not one fixed value).
  bool fixed() const { return !has_wildcard_ && pieces_.empty(); }
  const std::string& source() const { return source_; }

 private:
  struct Piece {
    bool variable = false;
    std::string text;  // literal: compiled glob text; variable: lower-cased key
    bool has_default = false;
    std::string default_value;
  };
  std::string source_;
  std::string compiled_;       // when there are no variables
  std::vector<Piece> pieces_;  // when there are variables
  bool has_wildcard_ = false;
};

}  // namespace maxiofs::engine::iam
