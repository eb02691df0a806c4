// The S3 front end speaks the generic HTTP vocabulary of frontends/http (maxiofs/http/types.h):
// the router, the handlers and their tests use these names.
#pragma once

#include "maxiofs/http/service.h"
#include "maxiofs/http/types.h"

namespace maxiofs::s3 {

using http::BodySource;
using http::HeaderList;
using http::HttpRequest;
using http::Response;

}  // namespace maxiofs::s3
