// The IAM and STS query APIs' language: their error type, the mapping of engine Status to it
// (IAM's codes and HTTP statuses), and the response/error documents
// (<XResponse xmlns=...><XResult>...</XResult><ResponseMetadata>... and <ErrorResponse>).
// Pure; thread-safe.
#pragma once

#include "http_types.h"
#include "s3_error.h"
#include "xml/xml_writer.h"

#include "maxiofs/common/status.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3::iam_api {

inline constexpr std::string_view kIamXmlns = "https://iam.amazonaws.com/doc/2010-05-08/";
inline constexpr std::string_view kStsXmlns = "https://sts.amazonaws.com/doc/2011-06-15/";

// An error as IAM/STS answer it: <Code>, HTTP status, <Message>.
struct IamError {
  std::string code;
  int status = 400;
  std::string message;
};

// The engine's Status in IAM's words: NoSuchEntity 404, EntityAlreadyExists 409,
// DeleteConflict 409, MalformedPolicyDocument 400, InvalidInput 400 (ValidationError for STS),
// AccessDenied 403, ...; other codes as the S3 mapping names them. REQUIRES: !status.ok().
IamError IamErrorFromStatus(const Status& status, bool sts);
// An S3-language error (authentication failures) with its code and status unchanged.
IamError IamErrorFromS3(const S3Error& error);

inline IamError InvalidInput(std::string message) {
  return {"InvalidInput", 400, std::move(message)};
}
inline IamError MissingParameter(std::string_view name) {
  return {"MissingParameter", 400,
          "The request must contain the parameter " + std::string(name) + "."};
}

// <ErrorResponse xmlns=...><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
// <RequestId/></ErrorResponse> with the error's status.
Response IamErrorResponse(const IamError& error, std::string_view xmlns,
                          std::string_view request_id);

// <{action}Response xmlns=...><{action}Result>(fill)</{action}Result><ResponseMetadata>
// <RequestId/></ResponseMetadata></{action}Response>. `fill` null: no Result element (actions
// without output, e.g. DeleteUser).
Response IamSuccessResponse(std::string_view action, std::string_view xmlns,
                            std::string_view request_id,
                            const std::function<void(XmlWriter&)>& fill);

// IAM dates: ISO 8601 UTC ("2024-05-01T12:00:00Z").
std::string IamDate(int64_t ns);

}  // namespace maxiofs::s3::iam_api
