// storage.backend and the remote backends' keys: parsed from YAML and the environment,
// validated with messages that name the key, secrets read from files, and the engine opened
// on the filesystem store or refused before anything is touched.
#include "blob_backend.h"

#include "config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;

class BlobBackendConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "maxiofs-backend-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

TEST_F(BlobBackendConfigTest, RemoteKeysComeFromYamlAndEnvironment) {
  ConfigSources sources;
  sources.config_file = Write("c.yaml",
                              "storage:\n"
                              "  backend: s3\n"
                              "  s3:\n"
                              "    endpoint: https://s3.eu-west-3.amazonaws.com\n"
                              "    bucket: blobs\n"
                              "    prefix: node1/\n"
                              "    region: eu-west-3\n"
                              "    path_style: false\n"
                              "  cache:\n"
                              "    size: 1000000\n");
  sources.env = {{"MAXIOFS_STORAGE_S3_ACCESS_KEY", "AKID"},
                 {"MAXIOFS_STORAGE_S3_SECRET_KEY", "sekret"},
                 {"MAXIOFS_STORAGE_AZURE_CONTAINER", "c1"},
                 {"MAXIOFS_STORAGE_GCS_BUCKET", "g1"}};
  auto c = LoadConfig(sources);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->storage.backend, "s3");
  EXPECT_EQ(c->storage.s3.endpoint, "https://s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(c->storage.s3.bucket, "blobs");
  EXPECT_EQ(c->storage.s3.prefix, "node1/");
  EXPECT_EQ(c->storage.s3.region, "eu-west-3");
  EXPECT_FALSE(c->storage.s3.path_style);
  EXPECT_EQ(c->storage.s3.access_key, "AKID");
  EXPECT_EQ(c->storage.s3.secret_key, "sekret");
  EXPECT_EQ(c->storage.cache.size, 1000000u);
  EXPECT_EQ(c->storage.azure.container, "c1");
  EXPECT_EQ(c->storage.gcs.bucket, "g1");
  EXPECT_EQ(c->storage.gcs.endpoint, "https://storage.googleapis.com");
}

TEST_F(BlobBackendConfigTest, BadValuesNameTheKey) {
  ConfigSources sources;
  sources.env = {{"MAXIOFS_STORAGE_BACKEND", "ceph"}};
  auto c = LoadConfig(sources);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("storage.backend"), std::string::npos);
  EXPECT_NE(c.error().message().find("filesystem, s3, azure, gcs"), std::string::npos);
  sources.env = {{"MAXIOFS_STORAGE_S3_ENDPOINT", "s3.amazonaws.com"}};
  c = LoadConfig(sources);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("storage.s3.endpoint"), std::string::npos);
  sources.env = {{"MAXIOFS_STORAGE_S3_SECRET_KEY_FILE", (dir_ / "missing").string()}};
  c = LoadConfig(sources);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("storage.s3.secret_key_file"), std::string::npos);
}

TEST_F(BlobBackendConfigTest, SecretsFromValueOrFile) {
  EXPECT_EQ(SecretFrom("v", "", "k").value(), "v");
  EXPECT_EQ(SecretFrom("", Write("s", "from-file\n"), "k").value(), "from-file");
  EXPECT_EQ(SecretFrom("v", Write("s2", "x\n"), "storage.s3.secret_key").error().code(),
            Status::Code::kInvalidArgument);
  auto none = SecretFrom("", "", "storage.s3.secret_key");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("storage.s3.secret_key"), std::string::npos);
  EXPECT_FALSE(SecretFrom("", Write("empty", "\n"), "k").has_value());
}

TEST_F(BlobBackendConfigTest, MissingKeysRefuseTheStartBeforeTheDataDirIsTouched) {
  Config c;
  engine::EngineOptions o;
  o.data_dir = (dir_ / "data").string();
  c.storage.backend = "s3";
  auto e = OpenEngine(c, o);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "storage.s3.endpoint must be set when storage.backend is s3");
  c.storage.s3.endpoint = "http://127.0.0.1:1";
  EXPECT_NE(OpenEngine(c, o).error().message().find("storage.s3.bucket"), std::string::npos);
  c.storage.s3.bucket = "b";
  EXPECT_NE(OpenEngine(c, o).error().message().find("storage.s3.access_key"), std::string::npos);
  c.storage.s3.access_key = "a";
  EXPECT_NE(OpenEngine(c, o).error().message().find("storage.s3.secret_key"), std::string::npos);
  c.storage.backend = "azure";
  EXPECT_NE(OpenEngine(c, o).error().message().find("storage.azure.account"), std::string::npos);
  c.storage.backend = "gcs";
  EXPECT_NE(OpenEngine(c, o).error().message().find("storage.gcs.bucket"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "data" / "meta"));
  // Nothing listens on port 1: the start fails with the reason, before the metadata is opened.
  c.storage.backend = "s3";
  c.storage.s3.secret_key = "s";
  auto down = OpenEngine(c, o);
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code(), Status::Code::kUnavailable);
  EXPECT_NE(down.error().message().find("cannot be used"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "data" / "meta"));
  // The filesystem store: the engine opens.
  c.storage.backend = "filesystem";
  auto fsys = OpenEngine(c, o);
  ASSERT_TRUE(fsys.has_value()) << fsys.error().ToString();
}

}  // namespace
}  // namespace maxiofs::app
