// IdentityStore: temporary credentials (STS AssumeRole / GetSessionToken). Sessions are
// stored (secret and token sealed) so they survive a restart until they expire; expired ones
// are dropped at Load and, some time after expiry, by the periodic flush (identity_store.cc).
#include "identity_names.h"
#include "identity_state.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace maxiofs::engine {
namespace {

constexpr uint32_t kMinSessionSeconds = 900;
constexpr uint32_t kMaxSessionSeconds = 43200;
constexpr int64_t kSecondNs = 1'000'000'000;

}  // namespace

Result<SessionCredentials> IdentityStore::CreateSession(const SessionRequest& req, int64_t now_ns) {
  if (req.caller.kind == PrincipalKind::kSession) {
    return Status::AccessDenied(
        "temporary credentials cannot be used to request more temporary credentials");
  }
  if (req.caller.kind != PrincipalKind::kRoot && req.caller.kind != PrincipalKind::kUser) {
    return Status::AccessDenied("temporary credentials need a signed request");
  }
  if (req.duration_s < kMinSessionSeconds || req.duration_s > kMaxSessionSeconds) {
    return Status::InvalidArgument("DurationSeconds must be between 900 and 43200");
  }
  std::string role;
  if (!req.role_arn.empty()) {
    role = iam::RoleNameFromArn(req.role_arn);
    if (role.empty()) {
      return Status::InvalidArgument("RoleArn '" + req.role_arn.substr(0, 200) +
                                     "' is not a role ARN (arn:aws:iam::<account>:role/<name>)");
    }
    MAXIOFS_RETURN_IF_ERROR(iam::CheckSessionName(req.session_name));
  }
  std::shared_ptr<const iam::Policy> policy;
  if (!req.session_policy.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(policy,
                             iam::Policy::Parse(req.session_policy, iam::PolicyKind::kIdentity));
  }

  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  std::string user;  // "" for root
  if (req.caller.kind == PrincipalKind::kUser) {
    const IdentityUser* u = st.FindUser(req.caller.user);
    if (u == nullptr || !u->rec.enabled) {
      return Status::AccessDenied("the calling user does not exist or is disabled");
    }
    user = u->rec.name;
  }
  const std::string id = st.NewAccessKeyId("ASIA");
  IdentitySession s;
  s.secret = iam::NewSecretKey();
  s.token = iam::NewSessionToken();
  s.policy = std::move(policy);
  s.rec.user = user;
  s.rec.created_ns = now_ns;
  s.rec.expires_ns = now_ns + int64_t{req.duration_s} * kSecondNs;
  s.rec.arn = "arn:aws:sts::" + std::string(kAccountId) +
              (role.empty() ? ":federated-user/" + (user.empty() ? std::string("root") : user)
                            : ":assumed-role/" + role + "/" + req.session_name);
  s.rec.policy = req.session_policy;
  s.rec.sealed_secret = st.box->Seal(s.secret, SecretAad("session", id, "secret"));
  s.rec.sealed_token = st.box->Seal(s.token, SecretAad("session", id, "token"));

  leveldb::WriteBatch batch;
  st.StageCheckRecord(&batch);
  batch.Put(iam::SessionKey(id), iam::EncodeSession(s.rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  st.MarkCheckStored();

  SessionCredentials out;
  out.access_key = id;
  out.secret_key = s.secret;
  out.session_token = s.token;
  out.expires_ns = s.rec.expires_ns;
  out.arn = s.rec.arn;
  std::unique_lock lock(st.mu);
  st.sessions.emplace(id, std::move(s));
  return out;
}

}  // namespace maxiofs::engine
