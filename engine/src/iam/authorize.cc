// SCAFFOLD (replaced by issue 8's authorization work): root-only, as before IAM existed.
#include "iam_impl.h"

namespace maxiofs::engine {

Status IamImpl::Authorize(const AuthzRequest& req) {
  if (req.principal.kind == PrincipalKind::kRoot) return Status::OK();
  return Status::AccessDenied("Access Denied");
}

}  // namespace maxiofs::engine
