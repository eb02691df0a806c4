// Fuzzes the POST Object policy (the JSON document a browser form carries, base64 in its
// "policy" field): parsing, then the check of a form against it (eq, starts-with,
// content-length-range, extra fields). The input is the policy; after a line "#", each line
// "name=value" is a form field.
#include "post/post_policy.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace s3 = maxiofs::s3;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n#\n");
  auto policy = s3::ParsePostPolicy(input.substr(0, split));
  if (!policy.has_value()) return 0;
  s3::PostFormFields fields = {{"bucket", "examplebucket"},
                               {"key", "user/alice/photo.jpg"},
                               {"content-type", "image/jpeg"},
                               {"x-amz-meta-tag", "a"}};
  if (split != std::string_view::npos) {
    std::string_view rest = input.substr(split + 3);
    while (!rest.empty()) {
      const size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
      const size_t eq = line.find('=');
      if (eq != std::string_view::npos) {
        fields[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
      }
    }
  }
  for (int64_t now : {int64_t{0}, int64_t{1'700'000'000'000'000'000}}) {
    (void)s3::CheckPostPolicy(policy.value(), fields, now);
  }
  for (const auto& [name, value] : fields) (void)s3::IsPostPolicyExempt(name);
  return 0;
}
