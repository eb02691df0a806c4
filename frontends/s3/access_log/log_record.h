// S3 server access log records (AWS's format, one line per request): the fields, their text
// form, and the operation names ("REST.PUT.OBJECT"). Pure; thread-safe.
#pragma once

#include "router.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

// One request as a server access log record shows it. Empty strings and unset numbers are
// written as "-".
struct ServerAccessLogEntry {
  std::string bucket_owner;  // canonical user id
  std::string bucket;
  int64_t time_ns = 0;  // when the request was received (Unix ns, written in UTC)
  std::string remote_ip;
  std::string requester;  // canonical id (root), an IAM ARN, or "" (anonymous)
  std::string request_id;
  std::string operation;    // REST.PUT.OBJECT, ...
  std::string key;          // decoded; written URL-encoded
  std::string request_uri;  // "GET /bucket/key?query HTTP/1.1" (no credentials)
  int http_status = 0;
  std::string error_code;
  std::optional<uint64_t> bytes_sent;  // response body bytes; unset or 0: "-"
  std::optional<uint64_t> object_size;
  std::optional<uint64_t> total_time_ms;
  std::optional<uint64_t> turn_around_ms;
  std::string referer;
  std::string user_agent;
  std::string version_id;
  std::string host_id;
  std::string signature_version;  // SigV2, SigV4
  std::string cipher_suite;
  std::string auth_type;  // AuthHeader, QueryString
  std::string host_header;
  std::string tls_version;
  std::string access_point_arn;
  std::string acl_required;  // "Yes" when an ACL was needed to allow the request
};

// The record's line (no newline): 26 space-separated fields; the time in brackets
// ("[06/Feb/2019:00:00:38 +0000]"), the request-URI, referer and user agent in double quotes
// (a '"' or '\' inside is escaped with '\', control characters become '?'); "-" for none.
std::string FormatServerAccessLogRecord(const ServerAccessLogEntry& e);

// AWS's name of an S3 operation in the log: "REST." + method + "." + resource type, e.g.
// REST.GET.OBJECT, REST.PUT.PART, REST.POST.UPLOADS (create), REST.POST.UPLOAD (complete),
// REST.COPY.OBJECT, REST.GET.BUCKET (list), REST.POST.MULTI_OBJECT_DELETE.
std::string AwsLogOperation(S3Op op, std::string_view method);

}  // namespace maxiofs::s3
