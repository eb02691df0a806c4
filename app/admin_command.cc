#include "admin_command.h"

#include "component_options.h"
#include "server_command.h"
#include "storage_options.h"

#include "maxiofs/engine/engine.h"

#include <cstdio>
#include <ctime>
#include <memory>

namespace maxiofs::app {
namespace {

void Fail(const std::string& message) {
  std::fprintf(stderr, "maxiofs: error: %s\n", message.c_str());
}

// Opens the configured data dir with the configured keys; prints the error and sets *code.
std::unique_ptr<engine::Engine> OpenEngine(const Config& config, int* code) {
  engine::EngineOptions options = ToEngineOptions(config, config.server.data_dir);
  if (Status st = ApplyStorageOptions(config, &options); !st.ok()) {
    Fail(std::string(st.message()));
    *code = kExitUsage;
    return nullptr;
  }
  auto opened = engine::Engine::Open(options);
  if (!opened.has_value()) {
    Fail("cannot open data dir " + config.server.data_dir + ": " +
         std::string(opened.error().message()));
    *code = kExitStartFailure;
    return nullptr;
  }
  return std::move(opened).value();
}

}  // namespace

int RunRotateKey(const Config& config) {
  int code = kExitOk;
  auto e = OpenEngine(config, &code);
  if (!e) return code;
  auto n = e->RotateMasterKey();
  if (!n.has_value()) {
    Fail("key rotation failed: " + std::string(n.error().message()));
    return kExitStartFailure;
  }
  std::printf("re-wrapped %llu keys\n", static_cast<unsigned long long>(*n));
  return kExitOk;
}

int RunKmsKeyCreate(const Config& config, const std::string& name) {
  int code = kExitOk;
  auto e = OpenEngine(config, &code);
  if (!e) return code;
  if (Status st = e->CreateKmsKey(name); !st.ok()) {
    Fail("cannot create KMS key: " + std::string(st.message()));
    return kExitStartFailure;
  }
  std::printf("created KMS key %s\n", name.c_str());
  return kExitOk;
}

int RunKmsKeyList(const Config& config) {
  int code = kExitOk;
  auto e = OpenEngine(config, &code);
  if (!e) return code;
  auto keys = e->ListKmsKeys();
  if (!keys.has_value()) {
    Fail("cannot list KMS keys: " + std::string(keys.error().message()));
    return kExitStartFailure;
  }
  for (const auto& k : *keys) {
    std::time_t t = static_cast<std::time_t>(k.created_ns / 1000000000);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    std::printf("%s\t%s\t%s\n", k.name.c_str(), when, k.master_key_id.c_str());
  }
  return kExitOk;
}

}  // namespace maxiofs::app
