// Building S3 responses: the XML error document and common success shapes. Beast-free.
#pragma once

#include "http_types.h"
#include "s3_error.h"

#include <string>
#include <string_view>

namespace maxiofs::s3 {

// S3's error document (Code, Message, Resource, RequestId) with the error's HTTP status.
// `head`: HEAD answers carry no body. NotModified (304) never has a body.
Response MakeErrorResponse(const S3Error& error, std::string_view resource,
                           std::string_view request_id, bool head);

// 200 with an XML body (Content-Type: application/xml).
Response MakeXmlResponse(std::string xml, int status = 200);

}  // namespace maxiofs::s3
