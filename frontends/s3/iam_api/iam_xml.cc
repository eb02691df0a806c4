#include "iam_api/iam_xml.h"

#include "headers.h"

namespace maxiofs::s3::iam_api {

IamError IamErrorFromStatus(const Status& status, bool sts) {
  using C = Status::Code;
  std::string msg(status.message());
  auto with = [&](std::string code, int http, std::string_view fallback) {
    return IamError{std::move(code), http, msg.empty() ? std::string(fallback) : msg};
  };
  switch (status.code()) {
    case C::kNoSuchEntity:
      return with("NoSuchEntity", 404, "The specified entity does not exist.");
    case C::kEntityAlreadyExists:
      return with("EntityAlreadyExists", 409, "The entity already exists.");
    case C::kDeleteConflict:
      return with("DeleteConflict", 409, "The entity is still in use.");
    case C::kMalformedPolicy:
      return with("MalformedPolicyDocument", 400, "The policy document is not valid.");
    case C::kInvalidArgument:
      return with(sts ? "ValidationError" : "InvalidInput", 400, "The input is not valid.");
    case C::kAccessDenied:
      return with("AccessDenied", 403, "Access Denied");
    default:
      break;
  }
  return IamErrorFromS3(FromStatus(status));
}

IamError IamErrorFromS3(const S3Error& error) {
  return IamError{std::string(S3ErrorCodeName(error.code)), S3HttpStatus(error.code),
                  error.message};
}

Response IamErrorResponse(const IamError& error, std::string_view xmlns,
                          std::string_view request_id) {
  XmlWriter w;
  w.Open("ErrorResponse", xmlns);
  w.Open("Error");
  w.Element("Type", error.status >= 500 ? "Receiver" : "Sender");
  w.Element("Code", error.code);
  w.Element("Message", error.message);
  w.Close();
  w.Element("RequestId", request_id);
  Response r;
  r.status = error.status;
  r.body = w.Finish();
  r.AddHeader("Content-Type", "text/xml");
  return r;
}

Response IamSuccessResponse(std::string_view action, std::string_view xmlns,
                            std::string_view request_id,
                            const std::function<void(XmlWriter&)>& fill) {
  const std::string name(action);
  XmlWriter w;
  w.Open(name + "Response", xmlns);
  if (fill) {
    w.Open(name + "Result");
    fill(w);
    w.Close();
  }
  w.Open("ResponseMetadata");
  w.Element("RequestId", request_id);
  w.Close();
  Response r;
  r.body = w.Finish();
  r.AddHeader("Content-Type", "text/xml");
  return r;
}

std::string IamDate(int64_t ns) {
  std::string s = FormatIso8601(ns);  // "2006-02-03T16:45:09.000Z"
  if (s.size() == 24 && s[19] == '.') s = s.substr(0, 19) + "Z";
  return s;
}

}  // namespace maxiofs::s3::iam_api
