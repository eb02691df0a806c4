// The users file (auth.users_file): IAM users, their access keys, groups and managed policies,
// written in YAML or JSON and applied at every start through the engine's IAM interface
// (Engine::iam()). Internal to app/.
//
//   policies:                          # managed policies
//     - name: read-only
//       description: "..."             # used when the policy is created
//       document: {Version: ..., Statement: [...]}   # a map, JSON text, or "file:PATH"
//   groups:
//     - name: readers
//       policies: [read-only]          # the group's attached policies, exactly
//   users:
//     - name: alice
//       enabled: true                  # default: true for a new user, else left as it is
//       console_password: "file:alice.password"
//       groups: [readers]              # the user's groups, exactly
//       policies: []                   # the user's attached policies, exactly
//       access_keys:                   # the user's access keys, exactly
//         - access_key: AKIAALICE00000000001
//           secret_key: "file:/run/secrets/alice"
//           status: active             # or inactive; default active
//
// Every section and field is optional except the names (and access_key/secret_key of a key).
// A field that is written is made exactly so; a field that is left out is left as it is in
// the store. Secrets (secret_key, console_password) and documents may be "file:PATH"
// references (a relative PATH is relative to the users file; one trailing newline is dropped).
// Users, groups and policies the file does not list are kept, unless `prune` is set.
//
// Thread-safety: pure function of its inputs plus the engine's IAM (itself thread-safe).
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/iam.h"

#include <cstdint>
#include <string>
#include <vector>

namespace maxiofs::app {

struct UsersFileChanges {
  // One line per change, e.g. "created user alice", "updated access key AKIA... of alice".
  std::vector<std::string> changes;
  bool empty() const { return changes.empty(); }
};

// Reads `path` and checks all of it before changing anything: InvalidArgument naming the file,
// the line and column and the entry ("users[2] 'alice': access_keys[0]: secret_key: ...") for a
// syntax error, an unknown or missing field, a duplicate name or access key, a policy document
// the IAM language refuses, or a group or policy that is neither in the file nor in the store;
// NotFound/IOError when the file (or a file: reference) cannot be read. Then creates what is
// missing and updates what differs (and, with `prune`, deletes the users, groups and policies
// the file does not list). Applying the same file twice changes nothing the second time. An
// engine error while applying is returned with the entry it concerns; what was applied before
// it stays, and the next start finishes the work.
Result<UsersFileChanges> ApplyUsersFile(const std::string& path, bool prune, engine::Iam& iam);

}  // namespace maxiofs::app
