#include "component_options.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace maxiofs::app {
namespace {

TEST(ComponentOptionsTest, EngineOptionsFromConfig) {
  Config config;
  config.engine.inline_threshold = 4096;
  config.engine.sync = false;
  config.server.cors_allowed_origins = {"https://app.example", "http://localhost:*"};
  engine::EngineOptions options = ToEngineOptions(config, "/abs/data");
  EXPECT_EQ(options.cors_allowed_origins,
            (std::vector<std::string>{"https://app.example", "http://localhost:*"}));
  EXPECT_EQ(options.data_dir, "/abs/data");
  EXPECT_EQ(options.inline_threshold, 4096u);
  EXPECT_FALSE(options.sync);
}

TEST(ComponentOptionsTest, MetadataStoreOptionsFromConfig) {
  Config config;
  engine::EngineOptions defaults = ToEngineOptions(config, "/abs/data");
  EXPECT_EQ(defaults.metadata.cache_bytes, engine::MetadataStoreOptions().cache_bytes);
  EXPECT_EQ(defaults.metadata.write_buffer_bytes,
            engine::MetadataStoreOptions().write_buffer_bytes);
  config.engine.metadata_cache_bytes = 256ull << 20;
  config.engine.metadata_write_buffer_bytes = 128ull << 20;
  config.engine.metadata_max_file_bytes = 64ull << 20;
  config.engine.metadata_max_open_files = 500;
  config.engine.metadata_bloom_bits_per_key = 0;
  config.engine.metadata_compression = false;
  engine::EngineOptions options = ToEngineOptions(config, "/abs/data");
  EXPECT_EQ(options.metadata.cache_bytes, 256ull << 20);
  EXPECT_EQ(options.metadata.write_buffer_bytes, 128ull << 20);
  EXPECT_EQ(options.metadata.max_file_bytes, 64ull << 20);
  EXPECT_EQ(options.metadata.max_open_files, 500);
  EXPECT_EQ(options.metadata.bloom_bits_per_key, 0);
  EXPECT_FALSE(options.metadata.compress_tables);
}

TEST(ComponentOptionsTest, StorageRootBecomesTheBlobDirUnlessItIsTheDataDirsOwn) {
  Config config;
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir, "");
  config.storage.root = "/abs/data/objects";
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir, "");
  config.storage.root = "/abs/data/./objects/";
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir, "");
  // The original design's default follows the data dir.
  config.storage.root = "./data/objects";
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir, "");
  EXPECT_EQ(ToEngineOptions(config, "/elsewhere").blob_dir, "");
  config.storage.root = "/disk2/blobs/";
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir, "/disk2/blobs");
  // Relative to the working directory, like server.data_dir.
  config.storage.root = "rel/blobs";
  EXPECT_EQ(ToEngineOptions(config, "/abs/data").blob_dir,
            (std::filesystem::current_path() / "rel/blobs").string());
}

TEST(ComponentOptionsTest, S3OptionsFromConfig) {
  Config config;
  config.server.listen = "127.0.0.1:0";
  config.server.region = "eu-central-1";
  config.server.virtual_host_domains = {"s3.example.com"};
  config.auth.access_key = "ak";
  config.auth.secret_key = "sk";
  s3::S3Options options = ToS3Options(config);
  EXPECT_EQ(options.listen, "127.0.0.1:0");
  EXPECT_EQ(options.region, "eu-central-1");
  EXPECT_EQ(options.virtual_host_domains, std::vector<std::string>{"s3.example.com"});
  EXPECT_EQ(options.access_key, "ak");
}

TEST(ComponentOptionsTest, FuseOptionsFromConfig) {
  Config config;
  fuse::FuseOptions defaults = ToFuseOptions(config, "/abs/data");
  EXPECT_FALSE(defaults.allow_other);
  EXPECT_EQ(defaults.atime, fuse::AtimeMode::kNoatime);
  EXPECT_EQ(defaults.versions, fuse::VersionsView::kHidden);
  config.fuse.allow_other = true;
  config.fuse.atime = "relatime";
  config.fuse.versions = "visible";
  fuse::FuseOptions options = ToFuseOptions(config, "/abs/data");
  EXPECT_TRUE(options.allow_other);
  EXPECT_EQ(options.atime, fuse::AtimeMode::kRelatime);
  EXPECT_EQ(options.versions, fuse::VersionsView::kVisible);
  EXPECT_EQ(options.data_dir, "/abs/data");
  config.fuse.versions = "off";
  EXPECT_EQ(ToFuseOptions(config, "/abs/data").versions, fuse::VersionsView::kOff);
}

}  // namespace
}  // namespace maxiofs::app
