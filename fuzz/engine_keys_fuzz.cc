// Fuzzes the engine's key codec on corrupt or hostile bytes: the tails of version and upload
// keys read back from LevelDB, version ids and upload ids from requests, vkey times. Oracles:
// a split tail rebuilds the key it came from; a version id maps to a vkey and back.
#include "key_codec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace engine = maxiofs::engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view key, vkey, upload_id;
  if (engine::SplitVersionTail(in, &key, &vkey)) {
    const std::string full = engine::VersionKey("b", key, vkey);
    if (full != engine::VersionBucketPrefix("b") + std::string(in)) std::abort();
    (void)engine::VkeyTime(vkey);
    (void)engine::VkeyToVersionId(vkey);
  }
  if (engine::SplitUploadTail(in, &key, &upload_id)) {
    const std::string full = engine::UploadKey("b", key, upload_id);
    if (full != engine::UploadBucketPrefix("b") + std::string(in)) std::abort();
  }
  if (auto v = engine::VersionIdToVkey(in)) {
    auto again = engine::VersionIdToVkey(engine::VkeyToVersionId(*v));
    if (!again || *again != *v) std::abort();
  }
  (void)engine::IsValidUploadId(in);
  (void)engine::VkeyTime(in);
  return 0;
}
