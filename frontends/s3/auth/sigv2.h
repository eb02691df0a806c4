// AWS Signature Version 2 for S3 (the legacy "AWS AKID:signature" header and the
// AWSAccessKeyId/Expires/Signature query form), from "Signing and authenticating REST
// requests" in the S3 user guide:
//
//   StringToSign = Method "\n" Content-MD5 "\n" Content-Type "\n" Date "\n"
//                  CanonicalizedAmzHeaders CanonicalizedResource
//   Signature    = Base64(HMAC-SHA1(secret, StringToSign))
//
// Thread-safety: pure functions, safe for concurrent use (`secrets` must be too).
#pragma once

#include "auth/auth.h"
#include "auth/uri_encoding.h"

#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3::auth {

// True for the query parameters that are part of SigV2's CanonicalizedResource: AWS's list
// (acl, cors, delete, lifecycle, location, logging, notification, partNumber, policy,
// requestPayment, restore, tagging, torrent, uploadId, uploads, versionId, versioning,
// versions, website, response-*) plus the ones botocore's HmacV1Auth also signs (accelerate,
// analytics, defaultObjectAcl, inventory, metrics, object-lock, replication, select,
// select-type, storageClass): exactly botocore's list. Names are case-sensitive.
bool IsSigV2SubResource(std::string_view name);

// "/<virtual_host_bucket>" + raw path (or "/"), then "?" and the sub-resources sorted by name
// ("name" or "name=value", values decoded) joined by '&'. `bucket_slash` appends '/' to the
// path (botocore signs a path-style bucket request "/bucket" as "/bucket/").
std::string CanonicalizedResourceV2(const AuthRequest& req, const std::vector<QueryParam>& params,
                                    bool bucket_slash = false);

// x-amz-* headers: lower-case names, sorted, values trimmed, repeats joined with ',', each
// line "name:value\n".
std::string CanonicalizedAmzHeadersV2(const AuthRequest& req);

// The StringToSign with `date_line` in the Date position (the Date header, "" when x-amz-date
// is present, or Expires for the query form).
std::string StringToSignV2(const AuthRequest& req, const std::vector<QueryParam>& params,
                           std::string_view date_line, bool bucket_slash = false);

// Verifies "Authorization: AWS AKID:signature". Errors: InvalidArgument (malformed header),
// AccessDenied (no valid Date/x-amz-date), InvalidAccessKeyId, RequestTimeTooSkewed,
// SignatureDoesNotMatch.
S3Result<AuthResult> VerifySigV2Header(const AuthRequest& req, std::string_view authorization,
                                       const SecretLookup& secrets);

// Verifies AWSAccessKeyId/Expires/Signature query authentication. Errors: AccessDenied
// (missing parameter, Expires not a number, "Request has expired"), InvalidAccessKeyId,
// SignatureDoesNotMatch.
S3Result<AuthResult> VerifySigV2Query(const AuthRequest& req, const std::vector<QueryParam>& params,
                                      const SecretLookup& secrets);

}  // namespace maxiofs::s3::auth
