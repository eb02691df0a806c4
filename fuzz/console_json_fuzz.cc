// Fuzzes the console API's JSON request documents as its handlers read them: the body parsed
// as JsonBody does (frontends/console/api_common.cc: an object, a member of the wrong type
// answered 400), then the CORS rules, the lifecycle rules, the public-access block, a policy
// document and a policy validation request. The first byte picks the document. Oracle: an
// accepted document rendered as the API answers it (GET) is accepted again, equal.
#include "cors_json.h"
#include "iam_json.h"
#include "lifecycle_json.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace console = maxiofs::console;

namespace {

bool Storable(const maxiofs::engine::LifecycleConfiguration& config) {
  // The engine refuses transitions (no storage class to move to), so none is ever rendered.
  for (const auto& r : config.rules) {
    if (!r.transitions.empty() || !r.noncurrent_transitions.empty()) return false;
  }
  return true;
}
template <class T>
bool Storable(const T&) {
  return true;
}

template <class Parse, class Render>
void RoundTrip(const nlohmann::json& doc, Parse parse, Render render) {
  auto first = parse(doc);
  if (!first.has_value() || !Storable(first.value())) return;
  try {
    // Through text, as the browser sends it back; the API's own output never throws.
    auto text = render(first.value()).dump();
    auto again = parse(nlohmann::json::parse(text));
    if (!again.has_value() || !(again.value() == first.value())) std::abort();
  } catch (const nlohmann::json::exception&) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return 0;
  try {
    switch (data[0] % 5) {
      case 0:
        RoundTrip(doc, console::ParseCorsRules, console::CorsRulesJson);
        break;
      case 1:
        RoundTrip(doc, console::LifecycleFromJson, console::LifecycleToJson);
        break;
      case 2:
        RoundTrip(doc, console::ParsePublicAccessBlock, console::PublicAccessBlockJson);
        break;
      case 3:
        (void)console::PolicyDocument(doc, "document");
        break;
      case 4:
        (void)console::ParseValidateRequest(doc);
        break;
    }
  } catch (const nlohmann::json::exception&) {
    // A member of the wrong type: the console answers 400 InvalidArgument.
  }
  return 0;
}
