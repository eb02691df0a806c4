// Fuzzes the parsers of the S3 request documents: VersioningConfiguration,
// ObjectLockConfiguration, ServerSideEncryptionConfiguration, Retention, LegalHold,
// CompleteMultipartUpload, AccessControlPolicy, Tagging (document and x-amz-tagging header),
// CORSConfiguration and LifecycleConfiguration. The first byte picks the parser, the rest is
// the body. Oracle: a document the API would accept, written back as the API answers it
// (GetBucketCors, GetBucketLifecycleConfiguration, GetObjectTagging, GetObjectAcl), parses
// again to the same value.
#include "xml/acl_document.h"
#include "xml/cors_document.h"
#include "xml/lifecycle_document.h"
#include "xml/request_documents.h"
#include "xml/tagging_document.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace s3 = maxiofs::s3;

namespace {

bool Writable(const maxiofs::engine::Acl& acl) {
  // E-mail grantees are resolved by the engine before an ACL is stored, so none is written.
  for (const auto& g : acl.grants) {
    if (g.type == maxiofs::engine::AclGrant::GranteeType::kEmail) return false;
  }
  return true;
}
bool Writable(const maxiofs::engine::LifecycleConfiguration& config) {
  // The engine refuses transitions (no storage class to move to), so none is written.
  for (const auto& r : config.rules) {
    if (!r.transitions.empty() || !r.noncurrent_transitions.empty()) return false;
  }
  return true;
}
template <class T>
bool Writable(const T&) {
  return true;
}

template <class T, class Parse, class Write>
void RoundTrip(std::string_view body, Parse parse, Write write) {
  s3::S3Result<T> first = parse(body);
  if (!first.has_value() || !Writable(first.value())) return;
  s3::S3Result<T> again = parse(write(first.value()));
  if (!again.has_value() || !(again.value() == first.value())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 12) {
    case 0:
      (void)s3::ParseVersioningConfiguration(body);
      break;
    case 1:
      (void)s3::ParseObjectLockConfiguration(body);
      break;
    case 2:
      (void)s3::ParseServerSideEncryptionConfiguration(body);
      break;
    case 3:
      (void)s3::ParseRetention(body);
      (void)s3::ParseLockDate(body);
      break;
    case 4:
      (void)s3::ParseLegalHold(body);
      break;
    case 5:
      (void)s3::ParseCompleteMultipartUpload(body);
      break;
    case 6:
      RoundTrip<maxiofs::engine::Acl>(body, s3::ParseAclDocument, [](const auto& acl) {
        return s3::WriteAclDocument(acl, "owner");
      });
      break;
    case 7:
      RoundTrip<maxiofs::engine::TagSet>(body, s3::ParseTaggingDocument, s3::WriteTaggingDocument);
      break;
    case 8:
      (void)s3::ParseTaggingHeader(body);
      break;
    case 9:
      RoundTrip<maxiofs::engine::CorsConfiguration>(body, s3::ParseCorsConfiguration,
                                                    s3::CorsConfigurationXml);
      break;
    case 10:
      RoundTrip<maxiofs::engine::LifecycleConfiguration>(body, s3::ParseLifecycleConfiguration,
                                                         s3::RenderLifecycleConfiguration);
      break;
    case 11:
      (void)s3::ParseLockMode(body);
      break;
  }
  return 0;
}
