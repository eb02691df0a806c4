// The hashes, MACs and encodings of request authentication live in maxiofs/aws/crypto.h (one
// implementation, shared with the S3 client that signs requests); this brings them into
// s3::auth.
#pragma once

#include "maxiofs/aws/crypto.h"

namespace maxiofs::s3::auth {

using aws::Base64Encode;
using aws::ConstantTimeEquals;
using aws::HexEncode;
using aws::HmacSha1;
using aws::HmacSha256;
using aws::IsHex;
using aws::kEmptySha256Hex;
using aws::Sha256;
using aws::Sha256Hasher;
using aws::Sha256Hex;

}  // namespace maxiofs::s3::auth
