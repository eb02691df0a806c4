// Tag sets on the wire: the Tagging document of Get/PutObjectTagging and Get/PutBucketTagging
// (also the `tagging` field of a POST form), and the x-amz-tagging header of PutObject,
// CopyObject and CreateMultipartUpload. Whether a set is allowed (counts, lengths, reserved
// keys) is the engine's call (ValidateObjectTags). Pure functions; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/types.h"

#include <string>
#include <string_view>

namespace maxiofs::s3 {

// <Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>...</TagSet></Tagging>, tags in the
// order given. Key and Value are taken exactly (no trimming). MalformedXML for another root,
// a missing TagSet, a Tag without exactly one Key and one Value, or more than 1000 tags.
S3Result<engine::TagSet> ParseTaggingDocument(std::string_view body);

// The Tagging document (S3's namespace) of a tag set.
std::string WriteTaggingDocument(const engine::TagSet& tags);

// The x-amz-tagging header: URL query form "k1=v1&k2" ('+' is a space; a key without '=' has
// an empty value). InvalidArgument, as S3 words it, for bad percent-encoding or a repeated key.
S3Result<engine::TagSet> ParseTaggingHeader(std::string_view value);

}  // namespace maxiofs::s3
