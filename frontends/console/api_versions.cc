// Versions (list, restore, delete one), retention, legal hold and share links.
#include "api.h"
#include "presign.h"

namespace maxiofs::console {
namespace {

constexpr int kMaxVersionPages = 10;  // at most 10,000 versions of one key are listed

// The S3 API's base URL as the browser should reach it: the configured public URL, or the
// host the browser used for the console with the S3 port.
std::string S3BaseUrl(const http::HttpRequest& request, const ConsoleOptions& options) {
  if (!options.s3_public_url.empty()) {
    std::string url = options.s3_public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  std::string host(request.Header("host").value_or("localhost"));
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else if (host.find(':') != std::string::npos) {
    host = host.substr(0, host.find(':'));
  }
  return std::string(request.tls ? "https://" : "http://") + host + ":" +
         std::to_string(options.s3_port);
}

}  // namespace

Result<engine::Credential> ConsoleApi::SigningCredential(const std::string& user, int64_t now_s) {
  auto keys = engine_.iam().ListAccessKeys(user);
  if (!keys.has_value()) return keys.error();
  for (const engine::AccessKeyInfo& key : *keys) {
    if (key.status != engine::AccessKeyStatus::kActive) continue;
    auto credential = engine_.iam().LookupCredential(key.access_key, now_s * 1000000000LL);
    if (credential.has_value()) return credential;
  }
  return Status::InvalidRequest(
      "A share link is signed with one of your access keys: create an active access key first.");
}

http::Response ConsoleApi::ListVersions(const ApiCall& call, const std::string& bucket) {
  const std::string key = call.Query("key");
  if (key.empty()) return JsonError(400, "InvalidArgument", "key is required.");
  if (Status st = Authorize(call.caller, Op::kListVersions, bucket, {}, {{"s3:prefix", {key}}});
      !st.ok()) {
    return StatusError(st);
  }
  engine::ListVersionsRequest req;
  req.bucket = bucket;
  req.prefix = key;
  nlohmann::json versions = nlohmann::json::array();
  bool truncated = false;
  for (int page = 0; page < kMaxVersionPages; ++page) {
    auto result = engine_.ListObjectVersions(req);
    if (!result.has_value()) return StatusError(result.error());
    bool past_key = false;
    for (const engine::ObjectInfo& v : result->versions) {
      if (v.key != key) {
        past_key = v.key > key;
        if (past_key) break;
        continue;
      }
      versions.push_back(ObjectJson(v));
    }
    truncated = result->truncated && !past_key;
    if (!truncated) break;
    req.key_marker = result->next_key_marker;
    req.version_id_marker = result->next_version_id_marker;
  }
  return JsonResponse(200, {{"key", key}, {"versions", versions}, {"truncated", truncated}});
}

http::StartedRequest ConsoleApi::Restore(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "RestoreVersion";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    auto key = JsonString(doc, "key");
    auto version = JsonString(doc, "versionId");
    if (!key || !version || version->empty()) {
      return JsonError(400, "InvalidArgument", "key and versionId are required.");
    }
    // Restoring copies the old version on top: it becomes the newest, history stays.
    if (Status st = Authorize(caller, Op::kGetObjectVersion, bucket, *key); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = Authorize(caller, Op::kPutObject, bucket, *key); !st.ok()) {
      return StatusError(st);
    }
    engine::CopyObjectRequest req;
    req.src_bucket = bucket;
    req.src_key = *key;
    req.src_version_id = *version;
    req.dst_bucket = bucket;
    req.dst_key = *key;
    auto info = engine_.CopyObject(req);
    if (!info.has_value()) return StatusError(info.error());
    return JsonResponse(200, ObjectJson(*info));
  });
  return started;
}

http::StartedRequest ConsoleApi::PutRetention(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "PutObjectRetention";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    auto key = JsonString(doc, "key");
    auto mode = ParseLockMode(JsonString(doc, "mode").value_or(""));
    if (!key || !mode) {
      return JsonError(400, "InvalidArgument",
                       "key and mode (NONE, GOVERNANCE or COMPLIANCE) are required.");
    }
    engine::PutRetentionRequest req;
    req.bucket = bucket;
    req.key = *key;
    req.version_id = JsonString(doc, "versionId").value_or("");
    req.retention.mode = *mode;
    req.bypass_governance = doc.value("bypassGovernance", false);
    if (Status st = Authorize(caller, Op::kPutRetention, bucket, req.key); !st.ok()) {
      return StatusError(st);
    }
    if (req.bypass_governance) {
      if (Status st = Authorize(caller, Op::kBypassGovernance, bucket, req.key); !st.ok()) {
        return StatusError(st);
      }
    }
    if (*mode != engine::LockMode::kNone) {
      auto until = NsFromRfc3339(JsonString(doc, "retainUntil").value_or(""));
      if (!until) {
        return JsonError(400, "InvalidArgument",
                         "retainUntil must be an RFC 3339 UTC time (2030-01-02T03:04:05Z).");
      }
      req.retention.retain_until_ns = *until;
    }
    if (Status st = engine_.PutObjectRetention(req); !st.ok()) return StatusError(st);
    return JsonResponse(200, {{"mode", LockModeName(*mode)}});
  });
  return started;
}

http::StartedRequest ConsoleApi::PutLegalHold(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "PutObjectLegalHold";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    auto key = JsonString(doc, "key");
    auto on = doc.find("on");
    if (!key || on == doc.end() || !on->is_boolean()) {
      return JsonError(400, "InvalidArgument", "key and on (true/false) are required.");
    }
    const std::string version = JsonString(doc, "versionId").value_or("");
    if (Status st = Authorize(caller, Op::kPutLegalHold, bucket, *key); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.PutObjectLegalHold(bucket, *key, version, on->get<bool>()); !st.ok()) {
      return StatusError(st);
    }
    return JsonResponse(200, {{"legalHold", on->get<bool>()}});
  });
  return started;
}

http::StartedRequest ConsoleApi::Share(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "ShareLink";
  const std::string base = S3BaseUrl(call.http, options_);
  const int64_t now_s = call.now_s;
  started.body =
      JsonBody([this, bucket, base, now_s, caller = call.caller](const nlohmann::json& doc) {
        auto key = JsonString(doc, "key");
        auto expires = doc.find("expiresSeconds");
        if (!key || expires == doc.end() || !expires->is_number_unsigned() ||
            expires->get<uint64_t>() < 1 || expires->get<uint64_t>() > 604800) {
          return JsonError(400, "InvalidArgument",
                           "key and expiresSeconds (1..604800, at most 7 days) are required.");
        }
        PresignRequest req;
        req.base_url = base;
        req.bucket = bucket;
        req.key = *key;
        req.version_id = JsonString(doc, "versionId").value_or("");
        // The link is signed with the root credentials: only a caller who may read the object
        // now gets one.
        if (Status st =
                Authorize(caller, req.version_id.empty() ? Op::kGetObject : Op::kGetObjectVersion,
                          bucket, req.key);
            !st.ok()) {
          return StatusError(st);
        }
        // The link must point at something that exists now.
        engine::HeadObjectRequest head;
        head.bucket = bucket;
        head.key = req.key;
        head.version_id = req.version_id;
        if (auto info = engine_.HeadObject(head); !info.has_value())
          return StatusError(info.error());
        // Root's links are signed with the root credentials; a user's with one of the user's own
        // active access keys, so the link can do only what the user may do, and stops working
        // when the key is deactivated or the user loses the permission.
        if (caller.principal.kind == engine::PrincipalKind::kRoot) {
          req.access_key = options_.access_key;
          req.secret_key = options_.secret_key;
        } else {
          auto credential = SigningCredential(caller.principal.user, now_s);
          if (!credential.has_value()) return StatusError(credential.error());
          req.access_key = credential->access_key;
          req.secret_key = credential->secret_key;
        }
        req.region = options_.region;
        req.now_s = now_s;
        req.expires_s = expires->get<uint32_t>();
        return JsonResponse(200,
                            {{"url", PresignGetUrl(req)},
                             {"expiresAt", Rfc3339FromNs((now_s + req.expires_s) * 1000000000LL)}});
      });
  return started;
}

}  // namespace maxiofs::console
