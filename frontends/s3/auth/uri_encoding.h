// AWS's URI encoding, percent-decoding and query canonicalization live in
// maxiofs/aws/uri_encoding.h (one implementation, shared with the S3 client that signs
// requests); this brings them into s3::auth.
#pragma once

#include "maxiofs/aws/uri_encoding.h"

namespace maxiofs::s3::auth {

using aws::CanonicalQuery;
using aws::CanonicalUri;
using aws::ParseQuery;
using aws::PercentDecode;
using aws::QueryParam;
using aws::UriEncode;

}  // namespace maxiofs::s3::auth
