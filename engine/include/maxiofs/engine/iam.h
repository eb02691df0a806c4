// Identity and access: users, access keys, groups, managed policies, temporary credentials,
// bucket policies, ACLs and public-access blocks, and the one decision function every front
// end asks (Iam::Authorize). Reached through Engine::iam(); stored in the engine's LevelDB.
//
// Model (one account, as a single-machine store has):
//  - The account id is kAccountId. ARNs: users arn:aws:iam::<acct>:user/<name>, groups
//    ...:group/<name>, managed policies ...:policy/<name>, the root ...:root, sessions
//    arn:aws:sts::<acct>:assumed-role/<role>/<session> (or federated-user/<user>).
//  - Root (the credentials of the config) is the break-glass admin: Authorize always allows it.
//  - A user's request is allowed when, with no explicit Deny anywhere, an Allow comes from a
//    policy attached to the user or one of its groups, from the bucket policy (naming the user
//    or "*"), or from an ACL grant. A session is further limited by its session policy.
//    Anonymous requests are allowed only by a bucket policy with Principal "*" or an ACL
//    grant to AllUsers, and never when the bucket's public-access block forbids it.
//
// Thread-safety: every method is safe to call concurrently. Authorize and LookupCredential
// answer from memory and are cheap enough for every request (Authorize reads one object
// record only when an object's ACL or tags can decide the request); mutations are one
// synced LevelDB batch each and are seen by every later call.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

inline constexpr std::string_view kAccountId = "000000000000";
// Canonical user id of the account (ACL Owner/ID); 64 hex characters as S3 shows them.
inline constexpr std::string_view kCanonicalUserId =
    "6d6178696f667300000000000000000000000000000000000000000000000000";

// --- Principals ------------------------------------------------------------------------------

enum class PrincipalKind : uint8_t {
  kAnonymous,  // no credentials
  kRoot,       // the config's root credentials
  kUser,       // an IAM user's long-term access key, or a console login
  kSession,    // temporary credentials (STS)
};

// Who is asking. Built by LookupCredential (or by a front end for root/anonymous/console).
struct Principal {
  PrincipalKind kind = PrincipalKind::kAnonymous;
  std::string user;        // kUser, kSession: the IAM user ("" for a session of root)
  std::string access_key;  // the key that signed the request; "" for anonymous
  std::string arn;         // the principal's ARN; "" for anonymous
  // kSession: the inline session policy (JSON) that further limits the session; "" for none.
  std::string session_policy;
};

// True when Authorize allows `p` everything without looking at the request (root, the
// break-glass admin): a front end may then skip gathering condition values.
inline bool IsUnrestricted(const Principal& p) { return p.kind == PrincipalKind::kRoot; }

// What a front end needs to verify a signature and then authorize the request.
struct Credential {
  std::string access_key;
  std::string secret_key;  // plain text, only in memory
  // Temporary credentials: the request must carry this token (x-amz-security-token), compared
  // in constant time. Empty for long-term keys.
  std::string session_token;
  int64_t expires_ns = 0;  // temporary credentials: Unix ns; 0 = never
  Principal principal;
};

// --- Authorization ---------------------------------------------------------------------------

// One question: may `principal` do `action` on a resource? Condition keys the caller knows go
// in `context`; Authorize adds aws:username, aws:userid, aws:PrincipalType, aws:CurrentTime,
// aws:EpochTime and s3:ExistingObjectTag/<key> (the addressed version's tags) itself.
struct AuthzRequest {
  Principal principal;
  std::string action;  // "s3:GetObject", "iam:CreateUser", "sts:AssumeRole", ...
  // S3 resources: bucket and key (key "" for bucket-level actions; both "" for
  // s3:ListAllMyBuckets). The resource ARN is arn:aws:s3:::bucket[/key].
  std::string bucket;
  std::string key;
  std::string version_id;  // object ACL and tag checks of a specific version; "" = current
  // s3:PutObjectAcl asked for the ACL a write gives the object version it creates (x-amz-acl on
  // PutObject, CopyObject, CreateMultipartUpload; a POST form's acl field): a bucket ACL grant
  // that lets the caller create objects lets it choose their ACL too, as in S3, where the
  // creator of an object may set its ACL. Policies are unchanged: they must allow
  // s3:PutObjectAcl itself.
  bool acl_of_new_object = false;
  // Non-S3 resources (IAM/STS): the ARN, e.g. arn:aws:iam::000000000000:user/alice. When set,
  // bucket/key are ignored.
  std::string resource_arn;
  // Condition keys (names as AWS spells them, matched case-insensitively) to values; a key
  // may have several values (ForAnyValue/ForAllValues). Front ends fill the request-derived
  // ones: aws:SourceIp, aws:SecureTransport ("true"/"false"), aws:UserAgent, aws:Referer,
  // s3:prefix, s3:delimiter, s3:max-keys, s3:x-amz-acl, s3:x-amz-server-side-encryption,
  // s3:object-lock-mode, s3:object-lock-retain-until-date, s3:object-lock-legal-hold,
  // s3:VersionId, s3:signatureversion, s3:authType, and for writes with tags
  // s3:RequestObjectTag/<key> (the tag's value) and s3:RequestObjectTagKeys (every key).
  // Tag keys after the '/' are case-sensitive.
  std::map<std::string, std::vector<std::string>> context;
};

// --- Identities ------------------------------------------------------------------------------

struct UserInfo {
  std::string name;  // 1-64 of [A-Za-z0-9+=,.@_-]
  std::string arn;
  std::string user_id;  // stable id, "AIDA" + 17 upper-case alphanumerics
  int64_t created_ns = 0;
  bool enabled = true;  // a disabled user's keys and sessions are refused
  bool has_console_password = false;
  std::vector<std::string> groups;             // sorted
  std::vector<std::string> attached_policies;  // managed policy names, sorted
};

enum class AccessKeyStatus : uint8_t { kActive, kInactive };

struct AccessKeyInfo {
  std::string access_key;  // "AKIA" + 16 upper-case alphanumerics
  std::string secret_key;  // only in CreateAccessKey's answer; "" elsewhere
  std::string user;
  AccessKeyStatus status = AccessKeyStatus::kActive;
  int64_t created_ns = 0;
  int64_t last_used_ns = 0;  // 0 = never; updated lazily (not synced on every request)
};

struct GroupInfo {
  std::string name;
  std::string arn;
  std::string group_id;
  int64_t created_ns = 0;
  std::vector<std::string> members;            // user names, sorted
  std::vector<std::string> attached_policies;  // sorted
};

struct ManagedPolicyInfo {
  std::string name;
  std::string arn;
  std::string policy_id;
  std::string description;
  std::string document;  // the JSON text as stored (canonical formatting not guaranteed)
  int64_t created_ns = 0;
  int64_t updated_ns = 0;
  uint32_t attachment_count = 0;
};

// Temporary credentials (STS AssumeRole / GetSessionToken).
struct SessionRequest {
  Principal caller;            // REQUIRES: kRoot or kUser (sessions cannot make sessions)
  uint32_t duration_s = 3600;  // 900..43200, else InvalidArgument
  std::string session_policy;  // optional inline policy; MalformedPolicy when invalid
  std::string role_arn;        // AssumeRole: recorded in the session ARN; "" for GetSessionToken
  std::string session_name;    // AssumeRole: 2-64 of [\w+=,.@-]
};

struct SessionCredentials {
  std::string access_key;  // "ASIA" + 16
  std::string secret_key;
  std::string session_token;
  int64_t expires_ns = 0;
  std::string arn;  // the session principal's ARN
};

// --- Bucket and object access settings --------------------------------------------------------

enum class AclPermission : uint8_t { kRead, kWrite, kReadAcp, kWriteAcp, kFullControl };

struct AclGrant {
  enum class GranteeType : uint8_t { kCanonicalUser, kGroup, kEmail };
  GranteeType type = GranteeType::kCanonicalUser;
  // kCanonicalUser: the canonical id (only kCanonicalUserId exists); kGroup: the group URI,
  // http://acs.amazonaws.com/groups/global/AllUsers or .../AuthenticatedUsers; kEmail: an
  // e-mail address, only in ACLs handed to the engine: it resolves the address to the
  // canonical user it belongs to (IamOptions::account_email) before storing, so stored and
  // returned ACLs never hold one. An unknown address is InvalidArgument with
  // SubCode::kUnresolvableGrant.
  std::string grantee;
  AclPermission permission = AclPermission::kRead;
  friend bool operator==(const AclGrant&, const AclGrant&) = default;
};

struct Acl {
  std::string owner_id{kCanonicalUserId};
  std::vector<AclGrant> grants;  // at most 100
  friend bool operator==(const Acl&, const Acl&) = default;
};

// The ACL of a canned name (private, public-read, public-read-write, authenticated-read,
// bucket-owner-read, bucket-owner-full-control, aws-exec-read, log-delivery-write).
// InvalidArgument for another name.
Result<Acl> CannedAcl(std::string_view name);

// Bucket ownership controls (S3's ObjectOwnership). One account owns every bucket and object,
// so the owner is the same under each; kBucketOwnerEnforced turns ACLs off: stored bucket and
// object ACLs are kept but neither grant access nor show (reads answer "private"), and setting
// an ACL other than "private" (or bucket-owner-full-control) is refused.
enum class ObjectOwnership : uint8_t {
  kBucketOwnerPreferred = 0,
  kObjectWriter = 1,
  kBucketOwnerEnforced = 2,
};

struct PublicAccessBlock {
  bool block_public_acls = false;        // refuse new public ACLs (AccessDenied)
  bool ignore_public_acls = false;       // public ACL grants are ignored by Authorize
  bool block_public_policy = false;      // refuse public bucket policies (AccessDenied)
  bool restrict_public_buckets = false;  // public bucket policies give anonymous nothing
  friend bool operator==(const PublicAccessBlock&, const PublicAccessBlock&) = default;
};

// --- The interface --------------------------------------------------------------------------

class Iam {
 public:
  virtual ~Iam() = default;

  // Authorization ----------------------------------------------------------------------------
  // OK, or AccessDenied ("... because no identity-based policy allows the s3:PutObject action"
  // style message naming the action and why). Reads the disk only for an object's ACL (when
  // no policy allowed and an object ACL could) and its tags (when a policy that applies tests
  // s3:ExistingObjectTag/<key>).
  virtual Status Authorize(const AuthzRequest& req) = 0;
  // True when nothing can refuse `principal` on `bucket` ("" for requests that name none): the
  // account's root, unless the bucket has a policy (whose explicit Deny binds root too). Callers
  // may then skip building condition values and checking object by object. Never touches the
  // disk; thread-safe.
  virtual bool CannotBeRefused(const Principal& principal, std::string_view bucket) = 0;

  // Credentials ------------------------------------------------------------------------------
  // The credential of an access key: root, an IAM user's active key, or an unexpired session.
  // InvalidAccessKeyId for an unknown or inactive key or a disabled/deleted user; ExpiredToken
  // for a session past its expiry. Records the key's last use (lazily). Never touches the disk.
  virtual Result<Credential> LookupCredential(std::string_view access_key, int64_t now_ns) = 0;

  // Users ------------------------------------------------------------------------------------
  // InvalidArgument for a bad name; EntityAlreadyExists.
  virtual Result<UserInfo> CreateUser(std::string_view name) = 0;
  virtual Result<UserInfo> GetUser(std::string_view name) = 0;  // NoSuchEntity
  virtual Result<std::vector<UserInfo>> ListUsers() = 0;        // sorted by name
  virtual Status SetUserEnabled(std::string_view name, bool enabled) = 0;
  // force = false: DeleteConflict while the user has keys, groups, attached policies or a
  // console password (IAM's rule). force = true (the console): removes all of those with it.
  virtual Status DeleteUser(std::string_view name, bool force) = 0;
  // Console password: 8-128 characters, else InvalidArgument. Stored as a salted slow hash.
  virtual Status SetConsolePassword(std::string_view user, std::string_view password) = 0;
  virtual Status DeleteConsolePassword(std::string_view user) = 0;
  // Sets the console password unless it is already this one (whether or not the user is
  // enabled). Returns true when it changed. Errors as SetConsolePassword.
  virtual Result<bool> PutConsolePassword(std::string_view user, std::string_view password) = 0;
  // The user's principal when the password matches and the user is enabled; AccessDenied
  // otherwise (same message whether the user exists or not). Constant-time compare.
  virtual Result<Principal> CheckConsolePassword(std::string_view user,
                                                 std::string_view password) = 0;

  // Access keys (any number per user). The secret is stored encrypted under a key derived
  // from EngineOptions::iam_master_secret, never in plain text.
  virtual Result<AccessKeyInfo> CreateAccessKey(std::string_view user) = 0;
  virtual Result<std::vector<AccessKeyInfo>> ListAccessKeys(std::string_view user) = 0;
  // An access key with a given id and secret (a users file, keys moved from another store):
  // created for `user` when missing, its secret and status made these otherwise. Returns true
  // when it changed anything (false: it was exactly so). InvalidArgument for an id that is not
  // 3-128 of [A-Za-z0-9._-] or a secret that is not 8-256 printable ASCII characters without
  // spaces; EntityAlreadyExists when the id is root's, a session's or another user's key;
  // NoSuchEntity for an unknown user.
  virtual Result<bool> PutAccessKey(std::string_view user, std::string_view access_key,
                                    std::string_view secret_key, AccessKeyStatus status) = 0;
  // Takes effect for the very next request.
  virtual Status SetAccessKeyStatus(std::string_view user, std::string_view access_key,
                                    AccessKeyStatus status) = 0;
  virtual Status DeleteAccessKey(std::string_view user, std::string_view access_key) = 0;

  // Groups -----------------------------------------------------------------------------------
  virtual Result<GroupInfo> CreateGroup(std::string_view name) = 0;
  virtual Result<GroupInfo> GetGroup(std::string_view name) = 0;
  virtual Result<std::vector<GroupInfo>> ListGroups() = 0;
  // force = false: DeleteConflict while it has members or attached policies.
  virtual Status DeleteGroup(std::string_view name, bool force) = 0;
  virtual Status AddUserToGroup(std::string_view group, std::string_view user) = 0;
  virtual Status RemoveUserFromGroup(std::string_view group, std::string_view user) = 0;

  // Managed policies -------------------------------------------------------------------------
  // MalformedPolicy (message names what is wrong) for an invalid identity-policy document.
  virtual Result<ManagedPolicyInfo> CreatePolicy(std::string_view name, std::string_view document,
                                                 std::string_view description) = 0;
  virtual Result<ManagedPolicyInfo> GetPolicy(std::string_view name) = 0;
  virtual Result<std::vector<ManagedPolicyInfo>> ListPolicies() = 0;
  // Replaces the document (IAM's CreatePolicyVersion with SetAsDefault).
  virtual Status UpdatePolicy(std::string_view name, std::string_view document) = 0;
  // DeleteConflict while attached.
  virtual Status DeletePolicy(std::string_view name) = 0;
  virtual Status AttachUserPolicy(std::string_view user, std::string_view policy) = 0;
  virtual Status DetachUserPolicy(std::string_view user, std::string_view policy) = 0;
  virtual Status AttachGroupPolicy(std::string_view group, std::string_view policy) = 0;
  virtual Status DetachGroupPolicy(std::string_view group, std::string_view policy) = 0;

  // Validates a policy without storing it. `resource_policy` true: a bucket policy (Principal
  // required, resources must be in `bucket`); false: an identity policy (no Principal).
  // OK or MalformedPolicy with a message naming the problem.
  virtual Status ValidatePolicy(std::string_view document, bool resource_policy,
                                std::string_view bucket) = 0;

  // Temporary credentials ---------------------------------------------------------------------
  virtual Result<SessionCredentials> CreateSession(const SessionRequest& req, int64_t now_ns) = 0;

  // Bucket policy, ACLs, public-access block ---------------------------------------------------
  // NoSuchBucket; MalformedPolicy; AccessDenied when the bucket's public-access block has
  // block_public_policy and the policy is public.
  virtual Status PutBucketPolicy(std::string_view bucket, std::string_view document) = 0;
  virtual Result<std::string> GetBucketPolicy(std::string_view bucket) = 0;  // NoSuchBucketPolicy
  virtual Status DeleteBucketPolicy(std::string_view bucket) = 0;
  // True when the bucket policy grants access to anyone (AWS's "public" definition) or the
  // bucket ACL grants to AllUsers/AuthenticatedUsers (as RGW answers; AWS says
  // NoSuchBucketPolicy without a policy). DeleteBucketPolicy without one is OK (S3: 204).
  virtual Result<bool> GetBucketPolicyStatus(std::string_view bucket) = 0;

  // AccessDenied when block_public_acls is set and the ACL grants to AllUsers/AuthenticatedUsers.
  // With BucketOwnerEnforced: Gets answer the private ACL; Puts of another ACL are
  // InvalidRequest with SubCode::kAclNotSupported.
  virtual Status PutBucketAcl(std::string_view bucket, const Acl& acl) = 0;
  virtual Result<Acl> GetBucketAcl(std::string_view bucket) = 0;  // "private" when never set
  // version_id "" = the current version. NoSuchKey / NoSuchVersion.
  virtual Status PutObjectAcl(std::string_view bucket, std::string_view key,
                              std::string_view version_id, const Acl& acl) = 0;
  virtual Result<Acl> GetObjectAcl(std::string_view bucket, std::string_view key,
                                   std::string_view version_id) = 0;

  // Ownership controls. Put: InvalidRequest with SubCode::kAclConflictsWithOwnership for
  // kBucketOwnerEnforced while the bucket ACL is not private. Get: OwnershipControlsNotFound
  // when never set (or deleted). Delete of none is OK. NoSuchBucket for each.
  virtual Status PutBucketOwnershipControls(std::string_view bucket, ObjectOwnership o) = 0;
  virtual Result<ObjectOwnership> GetBucketOwnershipControls(std::string_view bucket) = 0;
  virtual Status DeleteBucketOwnershipControls(std::string_view bucket) = 0;

  virtual Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& cfg) = 0;
  // NoSuchPublicAccessBlockConfiguration when never set.
  virtual Result<PublicAccessBlock> GetPublicAccessBlock(std::string_view bucket) = 0;
  virtual Status DeletePublicAccessBlock(std::string_view bucket) = 0;

 protected:
  Iam() = default;
};

}  // namespace maxiofs::engine
