#include "storage_options.h"

#include "maxiofs/common/base64.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace maxiofs::app {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "base64" (named "default") or "name:base64".
Status ParseKey(std::string_view text, std::string_view origin, engine::MasterKey* out) {
  const std::string t = Trim(text);
  const size_t colon = t.find(':');
  out->id = colon == std::string::npos ? "default" : t.substr(0, colon);
  const std::string b64 = colon == std::string::npos ? t : t.substr(colon + 1);
  std::optional<std::string> raw =
      Base64Decode(b64, Base64Alphabet::kEither, Base64Padding::kOptional);
  if (!raw || raw->size() != 32) {
    return Status::InvalidArgument("invalid " + std::string(origin) +
                                   ": a master key must be base64 of 32 bytes "
                                   "(e.g. openssl rand -base64 32)");
  }
  out->key = std::move(*raw);
  return Status::OK();
}

}  // namespace

Status ApplyStorageOptions(const Config& config, engine::EngineOptions* options) {
  const EncryptionConfig& enc = config.storage.encryption;
  engine::EncryptionOptions& eo = options->encryption;
  if (!enc.key.empty()) {
    engine::MasterKey k;
    MAXIOFS_RETURN_IF_ERROR(ParseKey(enc.key, "storage.encryption.key", &k));
    k.id = "default";
    eo.master_keys.push_back(std::move(k));
  }
  for (const std::string& entry : enc.keys) {
    if (entry.find(':') == std::string::npos) {
      return Status::InvalidArgument("invalid storage.encryption.keys: each entry is name:base64");
    }
    engine::MasterKey k;
    MAXIOFS_RETURN_IF_ERROR(ParseKey(entry, "storage.encryption.keys", &k));
    eo.master_keys.push_back(std::move(k));
  }
  if (!enc.key_file.empty()) {
    std::ifstream in(enc.key_file);
    if (!in) {
      return Status::IOError("cannot read storage.encryption.key_file " + enc.key_file + ": " +
                             std::strerror(errno));
    }
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (Trim(line).empty() || Trim(line)[0] == '#') continue;
      engine::MasterKey k;
      MAXIOFS_RETURN_IF_ERROR(ParseKey(
          line, "storage.encryption.key_file " + enc.key_file + " line " + std::to_string(n), &k));
      eo.master_keys.push_back(std::move(k));
    }
  }
  eo.active_key_id = enc.active_key;
  eo.encrypt_new_data = enc.enabled;
  if (enc.enabled && eo.master_keys.empty()) {
    return Status::InvalidArgument(
        "storage.encryption.enabled is true but no master key is set "
        "(storage.encryption.key, MAXIOFS_STORAGE_ENCRYPTION_KEY or storage.encryption.key_file)");
  }
  const CompressionConfig& c = config.storage.compression;
  options->compression.enabled = CompressionEnabled(config);
  if (c.type == "gzip") {
    options->compression.codec = engine::CompressionCodec::kGzip;
  } else if (c.type == "lz4") {
    options->compression.codec = engine::CompressionCodec::kLz4;
  } else {
    options->compression.codec = engine::CompressionCodec::kZstd;
  }
  options->compression.level = static_cast<int>(c.level);  // 0: the codec's default
  options->compression.min_size = c.min_size;
  options->compression.excluded_content_types = c.excluded_content_types;
  options->compression.excluded_extensions = c.excluded_extensions;
  return Status::OK();
}

}  // namespace maxiofs::app
