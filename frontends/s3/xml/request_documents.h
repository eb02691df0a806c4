// Parsers of the small XML request documents of versioning, object lock and multipart:
// VersioningConfiguration, ObjectLockConfiguration, Retention, LegalHold and
// CompleteMultipartUpload. Each turns a body into the engine's value type or MalformedXML
// (the schema check only: whether a value is allowed is the engine's decision).
// Pure functions; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/types.h"

#include <string_view>
#include <vector>

namespace maxiofs::s3 {

// S3's MalformedXML error.
S3Error MalformedXmlError();

// <VersioningConfiguration><Status>Enabled|Suspended</Status></VersioningConfiguration>.
// Any other Status value yields kUnversioned, which the engine refuses (InvalidArgument).
// MalformedXML without a Status; NotImplemented for <MfaDelete>Enabled</MfaDelete>.
S3Result<engine::VersioningState> ParseVersioningConfiguration(std::string_view body);

// <ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>
//   [<Rule><DefaultRetention><Mode>M</Mode><Days>n</Days>|<Years>n</Years></DefaultRetention>
//   </Rule>]</ObjectLockConfiguration>. Mode other than GOVERNANCE/COMPLIANCE or a
// non-integer Days/Years: MalformedXML.
S3Result<engine::ObjectLockConfig> ParseObjectLockConfiguration(std::string_view body);
// ServerSideEncryptionConfiguration: one Rule with ApplyServerSideEncryptionByDefault
// (SSEAlgorithm AES256 or aws:kms, optional KMSMasterKeyID) and BucketKeyEnabled.
S3Result<engine::BucketEncryption> ParseServerSideEncryptionConfiguration(std::string_view body);

// <Retention><Mode>M</Mode><RetainUntilDate>ISO 8601</RetainUntilDate></Retention>; an empty
// <Retention/> (no mode, no date) removes the retention (mode kNone).
S3Result<engine::Retention> ParseRetention(std::string_view body);

// <LegalHold><Status>ON|OFF</Status></LegalHold>.
S3Result<bool> ParseLegalHold(std::string_view body);

// <CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>"e"</ETag>...</Part>...
// The parts in the order given, ETags unquoted. MalformedXML when empty or a part lacks its
// number (an integer; which numbers exist is the engine's question) or ETag.
S3Result<std::vector<engine::CompletedPart>> ParseCompleteMultipartUpload(std::string_view body);

// Lock modes as S3 writes them: "GOVERNANCE", "COMPLIANCE"; nullopt otherwise.
std::optional<engine::LockMode> ParseLockMode(std::string_view text);
// "GOVERNANCE", "COMPLIANCE" ("" for kNone).
std::string_view LockModeName(engine::LockMode mode);
// An ISO 8601 timestamp as SDKs send lock dates: "2030-01-02T03:04:05Z", with a fraction, or
// with a "+hh:mm" / "-hh:mm" offset instead of "Z". Nanoseconds since the epoch (UTC).
std::optional<int64_t> ParseLockDate(std::string_view text);

}  // namespace maxiofs::s3
