// Fuzzes the engine's value decoders with corrupt bytes, as a damaged or foreign LevelDB
// would hand them over: bucket, object (version), upload and part records, ACLs, tags, user
// metadata lists, reference counts, lifecycle configurations and cursors, CORS rules. The
// first byte picks the decoder. A decoder must refuse (Corruption) rather than crash, read out
// of bounds or allocate without bound. Oracle: what decodes, encoded again, decodes to the
// same encoding.
#include "cors/cors_codec.h"
#include "lifecycle/lifecycle_codec.h"
#include "record_codec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace engine = maxiofs::engine;

namespace {

template <class Decode, class Encode>
void RoundTrip(std::string_view in, Decode decode, Encode encode) {
  auto first = decode(in);
  if (!first.has_value()) return;
  const std::string encoded = encode(first.value());
  auto second = decode(encoded);
  if (!second.has_value() || encode(second.value()) != encoded) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 11) {
    case 0:
      RoundTrip(in, engine::DecodeBucketRecord, engine::EncodeBucketRecord);
      break;
    case 1: {
      RoundTrip(in, engine::DecodeObjectRecord, engine::EncodeObjectRecord);
      auto r = engine::DecodeObjectRecord(in);
      if (r.has_value()) {
        (void)engine::StoredSize(r.value());
        (void)engine::ToObjectInfo("bucket", "key", r.value());
      }
      break;
    }
    case 2:
      RoundTrip(in, engine::DecodeUploadRecord, engine::EncodeUploadRecord);
      break;
    case 3:
      RoundTrip(in, engine::DecodePartRecord, engine::EncodePartRecord);
      break;
    case 4:
      RoundTrip(in, engine::DecodeAcl, engine::EncodeAcl);
      break;
    case 5:
      RoundTrip(in, engine::DecodeTags, engine::EncodeTags);
      break;
    case 6:
      RoundTrip(in, engine::DecodeUserMetaList, engine::EncodeUserMetaList);
      break;
    case 7:
      RoundTrip(in, engine::DecodeRefCount, engine::EncodeRefCount);
      break;
    case 8:
      RoundTrip(in, engine::lifecycle::DecodeConfig, engine::lifecycle::EncodeConfig);
      break;
    case 9:
      RoundTrip(in, engine::lifecycle::DecodeCursor, engine::lifecycle::EncodeCursor);
      break;
    case 10:
      RoundTrip(in, engine::DecodeCorsConfiguration, engine::EncodeCorsConfiguration);
      break;
  }
  return 0;
}
