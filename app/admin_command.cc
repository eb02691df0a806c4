#include "admin_command.h"

#include "blob_backend.h"
#include "component_options.h"
#include "server_command.h"
#include "storage_options.h"

#include "maxiofs/engine/engine.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <memory>

namespace maxiofs::app {
namespace {

void Fail(const std::string& message) {
  std::fprintf(stderr, "maxiofs: error: %s\n", message.c_str());
}

// Opens the configured data dir with the configured keys; prints the error and sets *code.
std::unique_ptr<engine::Engine> OpenOrFail(const Config& config, int* code) {
  engine::EngineOptions options = ToEngineOptions(config, config.server.data_dir);
  if (Status st = ApplyStorageOptions(config, &options); !st.ok()) {
    Fail(std::string(st.message()));
    *code = kExitUsage;
    return nullptr;
  }
  auto opened = OpenEngine(config, options);
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
  auto e = OpenOrFail(config, &code);
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
  auto e = OpenOrFail(config, &code);
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
  auto e = OpenOrFail(config, &code);
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

namespace {

void PrintUsage(const char* label, const std::string& bucket, const engine::BucketUsage& u) {
  std::printf(
      "%s%s\tobjects=%llu bytes=%llu versions=%llu version_bytes=%llu delete_markers=%llu "
      "uploads=%llu parts=%llu part_bytes=%llu stored_bytes=%llu version_stored_bytes=%llu "
      "part_stored_bytes=%llu\n",
      label, bucket.c_str(), static_cast<unsigned long long>(u.objects),
      static_cast<unsigned long long>(u.bytes), static_cast<unsigned long long>(u.versions),
      static_cast<unsigned long long>(u.version_bytes),
      static_cast<unsigned long long>(u.delete_markers), static_cast<unsigned long long>(u.uploads),
      static_cast<unsigned long long>(u.parts), static_cast<unsigned long long>(u.part_bytes),
      static_cast<unsigned long long>(u.stored_bytes),
      static_cast<unsigned long long>(u.version_stored_bytes),
      static_cast<unsigned long long>(u.part_stored_bytes));
}

}  // namespace

int RunUsage(const Config& config, const std::vector<std::string>& buckets, bool verify,
             bool repair) {
  int code = kExitOk;
  auto e = OpenOrFail(config, &code);
  if (!e) return code;
  std::vector<std::string> names = buckets;
  if (names.empty()) {
    auto all = e->ListBuckets();
    if (!all.has_value()) {
      Fail("cannot list buckets: " + std::string(all.error().message()));
      return kExitStartFailure;
    }
    for (const auto& b : *all) names.push_back(b.name);
  }
  int result = kExitOk;
  for (const std::string& name : names) {
    if (!verify && !repair) {
      auto u = e->GetBucketUsage(name);
      if (!u.has_value()) {
        Fail(name + ": " + std::string(u.error().message()));
        result = kExitStartFailure;
        continue;
      }
      PrintUsage("", name, *u);
      continue;
    }
    auto v = e->VerifyBucketUsage(name, repair);
    if (!v.has_value()) {
      Fail(name + ": " + std::string(v.error().message()));
      result = kExitStartFailure;
      continue;
    }
    if (v->matches()) {
      PrintUsage("ok\t", name, v->counters);
      continue;
    }
    PrintUsage(v->repaired ? "repaired\t" : "MISMATCH\t", name, v->counters);
    PrintUsage("  scan\t", name, v->scanned);
    if (!v->repaired) result = kExitStartFailure;
  }
  return result;
}

std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t n = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || ptr == text.data()) return std::nullopt;
  std::string suffix;
  for (const char* p = ptr; p != end; ++p) {
    suffix.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*p))));
  }
  if (suffix.size() > 1 && suffix.back() == 'b') suffix.pop_back();  // "GiB", "MB"
  if (suffix == "b") suffix.clear();
  static constexpr struct {
    std::string_view name;
    uint64_t factor;
  } kUnits[] = {{"", 1},
                {"k", 1000ull},
                {"m", 1000ull * 1000},
                {"g", 1000ull * 1000 * 1000},
                {"t", 1000ull * 1000 * 1000 * 1000},
                {"ki", 1ull << 10},
                {"mi", 1ull << 20},
                {"gi", 1ull << 30},
                {"ti", 1ull << 40}};
  for (const auto& u : kUnits) {
    if (suffix != u.name) continue;
    if (n > UINT64_MAX / u.factor) return std::nullopt;
    return n * u.factor;
  }
  return std::nullopt;
}

int RunQuota(const Config& config, const QuotaCommand& command) {
  std::optional<uint64_t> size;
  if (command.size) {
    size = ParseSize(*command.size);
    if (!size) {
      Fail("invalid size '" + *command.size + "' (examples: 1GiB, 500MB, 1048576)");
      return kExitUsage;
    }
  }
  int code = kExitOk;
  auto e = OpenOrFail(config, &code);
  if (!e) return code;
  auto current = e->GetBucketQuota(command.bucket);
  if (!current.has_value()) {
    Fail(command.bucket + ": " + std::string(current.error().message()));
    return kExitStartFailure;
  }
  engine::BucketQuota q = *current;
  if (command.kind == QuotaCommand::Kind::kClear) q = {};
  if (command.kind == QuotaCommand::Kind::kSet) {
    if (size) q.max_bytes = *size;
    if (command.objects) q.max_objects = *command.objects;
  }
  if (command.kind != QuotaCommand::Kind::kInfo) {
    if (Status st = e->PutBucketQuota(command.bucket, q); !st.ok()) {
      Fail("cannot set the quota: " + std::string(st.message()));
      return kExitStartFailure;
    }
  }
  auto u = e->GetBucketUsage(command.bucket);
  std::printf("%s\tmax_bytes=%llu max_objects=%llu used_bytes=%llu used_objects=%llu\n",
              command.bucket.c_str(), static_cast<unsigned long long>(q.max_bytes),
              static_cast<unsigned long long>(q.max_objects),
              static_cast<unsigned long long>(u.has_value() ? u->version_bytes + u->part_bytes : 0),
              static_cast<unsigned long long>(u.has_value() ? u->versions : 0));
  return kExitOk;
}

}  // namespace maxiofs::app
