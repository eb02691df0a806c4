#include "responses.h"

#include "xml/xml_writer.h"

namespace maxiofs::s3 {

Response MakeErrorResponse(const S3Error& error, std::string_view resource,
                           std::string_view request_id, bool head) {
  Response r;
  r.status = S3HttpStatus(error.code);
  if (error.code == S3ErrorCode::kNotModified) return r;
  // A busy server or an unavailable blob store: clients may try again in a second.
  if (error.code == S3ErrorCode::kSlowDown || error.code == S3ErrorCode::kServiceUnavailable) {
    r.AddHeader("Retry-After", "1");
  }
  // A body that fails its digest may be one whose Content-Length understated it: the rest of
  // it would be read as the next request on this connection (and a client's retry mangled).
  if (error.code == S3ErrorCode::kBadDigest) r.close = true;
  if (head) {
    r.head = true;
    r.content_length = 0;
    return r;
  }
  XmlWriter w;
  w.Open("Error");
  w.Element("Code", S3ErrorCodeName(error.code));
  w.Element("Message", error.message);
  w.Element("Resource", resource);
  w.Element("RequestId", request_id);
  w.Close();
  r.body = w.Finish();
  r.AddHeader("Content-Type", "application/xml");
  return r;
}

Response MakeXmlResponse(std::string xml, int status) {
  Response r;
  r.status = status;
  r.body = std::move(xml);
  r.AddHeader("Content-Type", "application/xml");
  return r;
}

}  // namespace maxiofs::s3
