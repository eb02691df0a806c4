#include "storage_options.h"

#include "config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <utility>

namespace maxiofs::app {
namespace {

const std::string kKeyA = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";  // 32 x 'A'
const std::string kKeyB = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";  // 32 x 'B'

TEST(StorageOptionsTest, NestedYamlAndEnvironment) {
  const auto path = std::filesystem::temp_directory_path() / "maxiofs-storage-test.yaml";
  std::ofstream(path) << "storage:\n  encryption:\n    enabled: true\n    key: " << kKeyA
                      << "\n  compression:\n    type: zstd\n    level: 7\n"
                         "    excluded_extensions: [.bin]\n";
  ConfigSources sources;
  sources.config_file = path.string();
  sources.env = {{"MAXIOFS_STORAGE_ENCRYPTION_ALLOW_INSECURE_SSE_C", "true"},
                 {"MAXIOFS_STORAGE_COMPRESSION_MIN_SIZE", "100"}};
  auto config = LoadConfig(sources);
  std::filesystem::remove(path);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_TRUE(config->storage.encryption.enabled);
  EXPECT_TRUE(config->storage.encryption.allow_insecure_sse_c);
  EXPECT_EQ(config->storage.compression.level, 7u);
  EXPECT_EQ(config->storage.compression.min_size, 100u);
  engine::EngineOptions o;
  ASSERT_TRUE(ApplyStorageOptions(*config, &o).ok());
  ASSERT_EQ(o.encryption.master_keys.size(), 1u);
  EXPECT_EQ(o.encryption.master_keys[0].id, "default");
  EXPECT_EQ(o.encryption.master_keys[0].key, std::string(32, 'A'));
  EXPECT_TRUE(o.encryption.encrypt_new_data);
  EXPECT_TRUE(o.compression.enabled);
  EXPECT_EQ(o.compression.level, 7);
  EXPECT_EQ(o.compression.excluded_extensions, std::vector<std::string>{".bin"});
}

TEST(StorageOptionsTest, NamedKeysAndKeyFile) {
  const auto path = std::filesystem::temp_directory_path() / "maxiofs-keys-test.txt";
  std::ofstream(path) << "# keys\nold:" << kKeyA << "\n\n";
  Config c;
  c.storage.encryption.key_file = path.string();
  c.storage.encryption.keys = {"new:" + kKeyB};
  c.storage.encryption.active_key = "new";
  engine::EngineOptions o;
  Status st = ApplyStorageOptions(c, &o);
  std::filesystem::remove(path);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(o.encryption.master_keys.size(), 2u);
  EXPECT_EQ(o.encryption.master_keys[0].id, "new");
  EXPECT_EQ(o.encryption.master_keys[1].id, "old");
  EXPECT_EQ(o.encryption.active_key_id, "new");
}

TEST(StorageOptionsTest, BadKeysAreClearErrors) {
  Config c;
  c.storage.encryption.key = "c2hvcnQ=";  // "short"
  engine::EngineOptions o;
  Status st = ApplyStorageOptions(c, &o);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("storage.encryption.key"), std::string::npos);
  EXPECT_EQ(st.message().find("c2hvcnQ"), std::string::npos);  // the secret is not echoed
  Config nokey;
  nokey.storage.encryption.enabled = true;
  EXPECT_EQ(ApplyStorageOptions(nokey, &o).code(), Status::Code::kInvalidArgument);
  Config missing_file;
  missing_file.storage.encryption.key_file = "/nonexistent/maxiofs-keys";
  EXPECT_EQ(ApplyStorageOptions(missing_file, &o).code(), Status::Code::kIOError);
  Config bad_type;
  bad_type.storage.compression.type = "lz4hc";
  EXPECT_FALSE(ValidateConfig(bad_type).ok());
}

TEST(StorageOptionsTest, CompressionAlgorithmsAndLevels) {
  for (auto [type, codec] : {std::pair{"zstd", engine::CompressionCodec::kZstd},
                             std::pair{"gzip", engine::CompressionCodec::kGzip},
                             std::pair{"lz4", engine::CompressionCodec::kLz4}}) {
    Config c;
    c.storage.compression.type = type;
    engine::EngineOptions o;
    ASSERT_TRUE(ApplyStorageOptions(c, &o).ok());
    EXPECT_TRUE(o.compression.enabled) << type;
    EXPECT_EQ(o.compression.codec, codec) << type;
    EXPECT_EQ(o.compression.level, 0) << type;  // the codec's own default
    c.storage.compression.enabled = false;
    ASSERT_TRUE(ApplyStorageOptions(c, &o).ok());
    EXPECT_FALSE(o.compression.enabled) << type;
  }
  Config none;
  engine::EngineOptions o;
  ASSERT_TRUE(ApplyStorageOptions(none, &o).ok());
  EXPECT_FALSE(o.compression.enabled);
}

}  // namespace
}  // namespace maxiofs::app
