// SCAFFOLD (replaced by issue 8's policy-language work).
#include "policy.h"

namespace maxiofs::engine::iam {

Result<std::shared_ptr<const Policy>> Policy::Parse(std::string_view, PolicyKind,
                                                    std::string_view) {
  return Status::NotImplemented("policies");
}

}  // namespace maxiofs::engine::iam
