// Policy::Parse (validation and compilation of a document) and the compiled policy's
// Evaluate/IsPublic. Operators live in condition.cc, wildcards in wildcard.cc.
#include "policy.h"

#include "condition.h"
#include "pattern.h"
#include "wildcard.h"

#include "maxiofs/common/ascii.h"
#include "maxiofs/engine/iam.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>
#include <set>

namespace maxiofs::engine::iam {
namespace {

using nlohmann::json;

constexpr size_t kMaxPolicyBytes = 20 * 1024;

Status Malformed(std::string msg) { return Status::Error(Status::Code::kMalformedPolicy, msg); }

// Who a Principal/NotPrincipal names.
struct PrincipalSet {
  bool everyone = false;              // "*" or {"AWS": "*"}: anonymous callers too
  bool account = false;               // the account: every authenticated principal
  std::vector<std::string> arns;      // exact user/role/session ARNs
  std::vector<std::string> services;  // {"Service": ...}: AWS service principals

  bool Matches(const EvalRequest& req) const {
    if (!req.service.empty()) {
      return std::find(services.begin(), services.end(), req.service) != services.end();
    }
    if (everyone) return true;
    if (req.anonymous) return false;
    if (account) return true;
    for (const std::string& arn : arns) {
      if ((!req.principal_arn.empty() && arn == req.principal_arn) ||
          (!req.principal_user_arn.empty() && arn == req.principal_user_arn)) {
        return true;
      }
    }
    return false;
  }
};

struct Statement {
  std::string label;  // for messages
  bool allow = false;
  bool has_principal = false;  // resource policies
  bool not_principal = false;
  PrincipalSet principals;
  bool not_action = false;
  std::vector<std::string> actions;  // lower-cased globs
  bool not_resource = false;
  std::vector<Pattern> resources;
  std::vector<Condition> conditions;
};

// A JSON string or array of strings; false when neither (or an empty array).
bool StringList(const json& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return true;
  }
  if (!v.is_array() || v.empty()) return false;
  for (const json& e : v) {
    if (!e.is_string()) return false;
    out.push_back(e.get<std::string>());
  }
  return true;
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status ParsePrincipal(const json& v, PrincipalSet& set) {
  const Status invalid = Malformed("Invalid principal in policy");
  if (v.is_string()) {
    if (v.get<std::string>() != "*") return invalid;
    set.everyone = true;
    return Status::OK();
  }
  if (!v.is_object() || v.empty()) return invalid;
  const std::string root_arn = "arn:aws:iam::" + std::string(kAccountId) + ":root";
  for (const auto& [type, values] : v.items()) {
    std::vector<std::string> list;
    if (!StringList(values, list)) return invalid;
    for (const std::string& p : list) {
      if (type == "AWS") {
        if (p == "*") {
          set.everyone = true;
        } else if (p == kAccountId || p == root_arn) {
          set.account = true;
        } else if (IsAccountId(p)) {
          // Another account: valid, but no principal of it exists here.
        } else if (p.rfind("arn:aws:iam::", 0) == 0 || p.rfind("arn:aws:sts::", 0) == 0) {
          if (p.find('*') != std::string::npos || p.find('?') != std::string::npos) {
            return Malformed("Invalid principal in policy: wildcards are not allowed in \"" + p +
                             "\"");
          }
          set.arns.push_back(p);
        } else {
          return Malformed("Invalid principal in policy: \"" + p + "\"");
        }
      } else if (type == "CanonicalUser") {
        if (p == kCanonicalUserId) set.account = true;
      } else if (type == "Service") {
        set.services.push_back(p);  // only the logging service acts here (bucket_logging.h)
      } else if (type == "Federated") {
        // Valid in AWS; no such principal calls this store.
      } else {
        return Malformed("Invalid principal in policy: unknown principal type \"" + type + "\"");
      }
    }
  }
  return Status::OK();
}

// "*" or "service:pattern" with a service of letters, digits and '-' (wildcards allowed).
bool ValidAction(std::string_view a) {
  if (a == "*") return true;
  size_t colon = a.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == a.size()) return false;
  std::string_view service = a.substr(0, colon);
  return std::all_of(service.begin(), service.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '*' || c == '?';
  });
}

bool ValidResource(std::string_view r) {
  if (r == "*") return true;
  if (r.rfind("arn:", 0) != 0) return false;
  return std::count(r.begin(), r.end(), ':') >= 5;
}

// A bucket policy's resource must be the bucket or objects in it.
bool ResourceInBucket(std::string_view r, std::string_view bucket) {
  constexpr std::string_view kPrefix = "arn:aws:s3:::";
  if (r.rfind(kPrefix, 0) != 0) return false;
  std::string_view rest = r.substr(kPrefix.size());
  std::string_view bucket_part = rest.substr(0, rest.find('/'));
  return !bucket_part.empty() && GlobMatch(bucket_part, bucket, /*ignore_case=*/false);
}

// Keys whose fixed-value condition makes an Allow to "*" non-public (AWS S3 User Guide, "The
// meaning of public").
bool IsPinningKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"aws:sourceip",
                                               "aws:sourcearn",
                                               "aws:sourcevpc",
                                               "aws:sourcevpce",
                                               "aws:sourceaccount",
                                               "aws:sourceowner",
                                               "aws:sourceorgid",
                                               "aws:principalaccount",
                                               "aws:principalarn",
                                               "aws:principalorgid",
                                               "aws:userid",
                                               "s3:x-amz-server-side-encryption-aws-kms-key-id",
                                               "s3:dataaccesspointarn",
                                               "s3:dataaccesspointaccount"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool StatementIsPublic(const Statement& s) {
  if (!s.allow || !s.has_principal) return false;
  if (!s.not_principal && !s.principals.everyone) return false;
  for (const Condition& c : s.conditions) {
    if (IsPinningKey(c.key()) && !c.negated() && !c.if_exists() &&
        c.qualifier() != SetQualifier::kForAllValues && c.AllValuesFixed()) {
      return false;
    }
  }
  return true;
}

// Records where nlohmann's parser stopped, for the message of a syntax error.
struct SyntaxErrorSax {
  size_t position = 0;
  std::string what;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(size_t pos, const std::string&, const nlohmann::detail::exception& ex) {
    position = pos;  // 1-based: the character at which parsing stopped
    what = ex.what();
    return false;
  }
};

class CompiledPolicy final : public Policy {
 public:
  CompiledPolicy(std::string text, std::vector<Statement> statements)
      : text_(std::move(text)), statements_(std::move(statements)) {
    public_ = std::any_of(statements_.begin(), statements_.end(), StatementIsPublic);
  }

  Decision Evaluate(const EvalRequest& req) const override {
    static const ConditionValues kEmpty;
    const ConditionValues& ctx = req.conditions != nullptr ? *req.conditions : kEmpty;
    std::array<std::byte, 1024> buffer;  // policy-variable expansions; heap only beyond this
    std::pmr::monotonic_buffer_resource arena(buffer.data(), buffer.size());
    Scratch scratch(&arena);
    bool allowed = false;
    for (const Statement& s : statements_) {
      if (allowed && s.allow) continue;  // cannot change the answer
      if (!Applies(s, req, ctx, scratch)) continue;
      if (!s.allow) return Decision::kDeny;
      allowed = true;
    }
    return allowed ? Decision::kAllow : Decision::kNotApplicable;
  }

  bool IsPublic() const override { return public_; }
  const std::string& text() const override { return text_; }
  bool UsesConditionKeyPrefix(std::string_view prefix) const override {
    for (const Statement& s : statements_) {
      for (const Condition& c : s.conditions) {
        if (c.key().starts_with(prefix)) return true;
      }
    }
    return false;
  }

 private:
  static bool Applies(const Statement& s, const EvalRequest& req, const ConditionValues& ctx,
                      Scratch& scratch) {
    if (s.has_principal && s.principals.Matches(req) == s.not_principal) return false;
    bool action_hit = std::any_of(s.actions.begin(), s.actions.end(), [&](const std::string& a) {
      return GlobMatch(a, req.action, /*ignore_case=*/true);
    });
    if (action_hit == s.not_action) return false;
    bool resource_hit = false;
    for (const Pattern& p : s.resources) {
      std::string_view glob;
      if (p.Resolve(ctx, scratch, glob) && ArnMatch(glob, req.resource)) {
        resource_hit = true;
        break;
      }
    }
    if (resource_hit == s.not_resource) return false;
    for (const Condition& c : s.conditions) {
      if (!c.Holds(ctx, scratch)) return false;
    }
    return true;
  }

  std::string text_;
  std::vector<Statement> statements_;
  bool public_ = false;
};

Status ParseStatement(const json& js, size_t index, PolicyKind kind, std::string_view bucket,
                      bool variables, Statement& st) {
  st.label = "Statement " + std::to_string(index + 1);
  if (!js.is_object()) return Malformed(st.label + ": a statement must be an object");
  if (auto sid = js.find("Sid"); sid != js.end()) {
    if (!sid->is_string()) return Malformed(st.label + ": Sid must be a string");
    if (!sid->get<std::string>().empty())
      st.label = "Statement \"" + sid->get<std::string>() + "\"";
  }
  auto fail = [&](const std::string& msg) { return Malformed(st.label + ": " + msg); };
  static const std::set<std::string, std::less<>> kElements = {
      "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition"};
  for (const auto& [name, value] : js.items()) {
    if (!kElements.contains(name)) return fail("unknown element \"" + name + "\"");
  }
  // Effect
  auto effect = js.find("Effect");
  if (effect == js.end()) return fail("Missing required field Effect");
  if (!effect->is_string() ||
      (effect->get<std::string>() != "Allow" && effect->get<std::string>() != "Deny")) {
    return fail("Effect must be \"Allow\" or \"Deny\"");
  }
  st.allow = effect->get<std::string>() == "Allow";
  // Principal / NotPrincipal
  bool has_p = js.contains("Principal"), has_np = js.contains("NotPrincipal");
  if (kind == PolicyKind::kIdentity && (has_p || has_np)) {
    return fail("Policy document should not specify a principal");
  }
  if (kind == PolicyKind::kResource) {
    if (has_p && has_np) return fail("both Principal and NotPrincipal given");
    if (!has_p && !has_np) return fail("Missing required field Principal");
    // AWS (IAM reference, NotPrincipal): "NotPrincipal must be used with Effect: Deny. Using
    // it with Effect: Allow is not supported." It would grant to everyone else, anonymous too.
    if (has_np && st.allow) return fail("NotPrincipal is supported only with \"Effect\": \"Deny\"");
    st.has_principal = true;
    st.not_principal = has_np;
    Status s = ParsePrincipal(js.at(has_p ? "Principal" : "NotPrincipal"), st.principals);
    if (!s.ok()) return fail(std::string(s.message()));
  }
  // Action / NotAction
  bool has_a = js.contains("Action"), has_na = js.contains("NotAction");
  if (has_a && has_na) return fail("both Action and NotAction given");
  if (!has_a && !has_na) return fail("Missing required field Action");
  st.not_action = has_na;
  std::vector<std::string> actions;
  if (!StringList(js.at(has_a ? "Action" : "NotAction"), actions)) {
    return fail("Action must be a string or a non-empty array of strings");
  }
  for (const std::string& a : actions) {
    if (!ValidAction(a)) {
      return fail("Policy has invalid action \"" + a + "\" (expected \"service:action\" or \"*\")");
    }
    std::string lower = AsciiLower(a);
    if (kind == PolicyKind::kResource && !bucket.empty() && lower != "*" &&
        lower.rfind("s3:", 0) != 0) {
      return fail("Policy has invalid action \"" + a +
                  "\": a bucket policy takes only s3: actions");
    }
    st.actions.push_back(std::move(lower));
  }
  // Resource / NotResource
  bool has_r = js.contains("Resource"), has_nr = js.contains("NotResource");
  if (has_r && has_nr) return fail("both Resource and NotResource given");
  if (!has_r && !has_nr) return fail("Missing required field Resource");
  st.not_resource = has_nr;
  std::vector<std::string> resources;
  if (!StringList(js.at(has_r ? "Resource" : "NotResource"), resources)) {
    return fail("Resource must be a string or a non-empty array of strings");
  }
  for (const std::string& r : resources) {
    if (!ValidResource(r)) {
      return fail("Policy has invalid resource \"" + r + "\" (expected an ARN or \"*\")");
    }
    if (kind == PolicyKind::kResource && !bucket.empty() && !ResourceInBucket(r, bucket)) {
      return fail("Policy has invalid resource \"" + r + "\": not bucket \"" + std::string(bucket) +
                  "\" or an object in it");
    }
    st.resources.emplace_back(r, /*wildcards=*/true, variables);
  }
  // Condition
  if (auto cond = js.find("Condition"); cond != js.end()) {
    Status s = ParseConditionBlock(*cond, variables, st.conditions);
    if (!s.ok()) return fail(std::string(s.message()));
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<const Policy>> Policy::Parse(std::string_view text, PolicyKind kind,
                                                    std::string_view bucket) {
  if (text.size() > kMaxPolicyBytes) {
    return Malformed("Policy document is " + std::to_string(text.size()) +
                     " bytes, over the limit of " + std::to_string(kMaxPolicyBytes));
  }
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    SyntaxErrorSax sax;
    (void)json::sax_parse(text, &sax);
    return Malformed("This policy contains invalid Json: syntax error at character " +
                     std::to_string(sax.position));
  }
  if (!doc.is_object()) return Malformed("This policy contains invalid Json: not an object");
  for (const auto& [name, value] : doc.items()) {
    if (name != "Version" && name != "Id" && name != "Statement") {
      return Malformed("unknown top-level element \"" + name + "\"");
    }
  }
  // Policy variables exist only in Version 2012-10-17; without a Version AWS applies
  // 2008-10-17, where ${...} is literal text.
  bool variables = false;
  if (auto v = doc.find("Version"); v != doc.end()) {
    if (!v->is_string() ||
        (v->get<std::string>() != "2012-10-17" && v->get<std::string>() != "2008-10-17")) {
      return Malformed(
          "The policy failed legacy parsing: Version must be \"2012-10-17\" or "
          "\"2008-10-17\"");
    }
    variables = v->get<std::string>() == "2012-10-17";
  }
  if (auto id = doc.find("Id"); id != doc.end() && !id->is_string()) {
    return Malformed("Id must be a string");
  }
  auto stmts = doc.find("Statement");
  if (stmts == doc.end()) return Malformed("Missing required field Statement");
  std::vector<const json*> list;
  if (stmts->is_object()) {
    list.push_back(&*stmts);
  } else if (stmts->is_array() && !stmts->empty()) {
    for (const json& s : *stmts) list.push_back(&s);
  } else {
    return Malformed("Statement must be an object or a non-empty array of objects");
  }
  std::vector<Statement> statements(list.size());
  std::set<std::string, std::less<>> sids;
  for (size_t i = 0; i < list.size(); ++i) {
    Status s = ParseStatement(*list[i], i, kind, bucket, variables, statements[i]);
    if (!s.ok()) return s;
    // IAM requires unique Sids in an identity policy; S3 accepts repeated Sids in a bucket
    // policy (tools such as Cloud Custodian meet existing bucket policies that repeat one).
    if (auto sid = list[i]->find("Sid"); kind == PolicyKind::kIdentity && sid != list[i]->end() &&
                                         !sid->get<std::string>().empty()) {
      if (!sids.insert(sid->get<std::string>()).second) {
        return Malformed("Statement IDs (SID) in a single policy must be unique: \"" +
                         sid->get<std::string>() + "\" appears twice");
      }
    }
  }
  return std::shared_ptr<const Policy>(
      std::make_shared<CompiledPolicy>(std::string(text), std::move(statements)));
}

}  // namespace maxiofs::engine::iam
