// The headers of versioning and object lock: x-amz-version-id, x-amz-delete-marker,
// x-amz-object-lock-*, x-amz-bypass-governance-retention, and the error answers that carry
// delete-marker headers.
//
// When x-amz-version-id is sent (S3's behaviour):
//  - on writes (PUT, copy, CompleteMultipartUpload): only for a real version id; a null
//    version (unversioned or suspended bucket) gets no header;
//  - on reads and deletes: a real version id always; "null" only when the bucket's
//    versioning has ever been enabled (an unversioned bucket shows no version ids at all).
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"

namespace maxiofs::s3 {

bool BypassGovernance(const HttpRequest& request) {
  auto v = request.Header("x-amz-bypass-governance-retention");
  if (!v) return false;
  std::string lower(TrimOws(*v));
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true";
}

S3Result<engine::LockRequest> ExtractLockRequest(const HttpRequest& request) {
  engine::LockRequest lock;
  auto mode = request.Header("x-amz-object-lock-mode");
  auto until = request.Header("x-amz-object-lock-retain-until-date");
  if (mode.has_value() != until.has_value()) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be "
                   "supplied"};
  }
  if (mode) {
    auto m = ParseLockMode(*mode);
    if (!m) return S3Error{S3ErrorCode::kInvalidArgument, "Unknown wormMode directive."};
    auto t = ParseLockDate(*until);
    if (!t) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "The retain until date must be provided in ISO 8601 format"};
    }
    lock.retention = engine::Retention{*m, *t};
  }
  if (auto hold = request.Header("x-amz-object-lock-legal-hold")) {
    std::string_view v = TrimOws(*hold);
    if (v != "ON" && v != "OFF") {
      return S3Error{S3ErrorCode::kInvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'"};
    }
    lock.legal_hold = v == "ON";
  }
  return lock;
}

void AddLockHeaders(const engine::ObjectInfo& info, Response& r) {
  if (info.retention.mode != engine::LockMode::kNone) {
    r.AddHeader("x-amz-object-lock-mode", std::string(LockModeName(info.retention.mode)));
    r.AddHeader("x-amz-object-lock-retain-until-date",
                FormatIso8601(info.retention.retain_until_ns));
  }
  if (info.legal_hold) r.AddHeader("x-amz-object-lock-legal-hold", "ON");
}

void AddWriteVersionHeader(std::string_view version_id, Response& r) {
  if (!version_id.empty() && version_id != "null") {
    r.AddHeader("x-amz-version-id", std::string(version_id));
  }
}

void AddReadVersionHeader(engine::Engine& engine, std::string_view bucket,
                          std::string_view version_id, Response& r) {
  if (version_id.empty()) return;
  if (version_id == "null") {
    auto info = engine.HeadBucket(bucket);
    if (!info.has_value() || info->versioning == engine::VersioningState::kUnversioned) return;
  }
  r.AddHeader("x-amz-version-id", std::string(version_id));
}

HandlerOutcome ObjectError(const RequestContext& ctx, const Status& status) {
  if (status.subcode() != Status::SubCode::kDeleteMarker) return FromStatus(status);
  Response r = MakeErrorResponse(FromStatus(status), ctx.route.Resource(), ctx.request.request_id,
                                 ctx.request.method == "HEAD");
  r.AddHeader("x-amz-delete-marker", "true");
  r.AddHeader("x-amz-version-id", std::string(status.detail()));
  if (status.code() == Status::Code::kMethodNotAllowed) r.AddHeader("Allow", "DELETE");
  return Respond(std::move(r));
}

S3Result<std::string> VersionIdParam(const Route& route) {
  auto v = route.Query("versionId");
  if (!v) return std::string();
  if (v->empty()) {
    return S3Error{S3ErrorCode::kInvalidArgument, "Version id cannot be the empty string"};
  }
  return std::string(*v);
}

}  // namespace maxiofs::s3
