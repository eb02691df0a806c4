// The table of configuration keys: one row per Config field, giving its section and name (the
// YAML path and the MAXIOFS_<SECTION>_<KEY> variable), its command-line flag if any, help text
// and a check on its value. Every source (YAML, environment, flags) goes through this table,
// so a key behaves the same whichever way it is set. Internal to app/.
//
// Thread-safety: the table is immutable; the functions are pure.
#pragma once

#include "config.h"

#include "maxiofs/common/status.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace maxiofs::app {

// A pointer to the Config field a key sets; the alternative gives the value type. An optional
// boolean is a boolean whose absence means "decide from other keys" (written "auto").
using FieldPtr =
    std::variant<std::string*, std::vector<std::string>*, uint64_t*, bool*, std::optional<bool>*>;

// A key's section is its first YAML level; its name may hold dots for deeper levels
// ("encryption.key_file" in section "storage" is storage: {encryption: {key_file: ...}} in
// YAML and MAXIOFS_STORAGE_ENCRYPTION_KEY_FILE in the environment).
struct ConfigKey {
  std::string_view section;  // "server"
  std::string_view name;     // "listen"
  // A short flag ("--listen"), or empty. Every key also has its long flag (LongFlag()).
  std::string_view flag;
  std::string_view metavar;  // "ADDR": the value's name in --help
  std::string_view help;     // one line for --help
  bool secret;               // never print the value (errors, logs, --help default)
  FieldPtr (*field)(Config&);
  // Checks a final value; nullptr when any value of the type is fine. Returns OK or
  // InvalidArgument with the reason only (the caller adds key, value and origin).
  Status (*check)(const Config&);

  std::string Dotted() const;    // "server.listen"
  std::string EnvName() const;   // "MAXIOFS_SERVER_LISTEN"
  std::string LongFlag() const;  // "--server-listen"
};

// Every key, in documentation order.
std::span<const ConfigKey> AllConfigKeys();

// The key named section.name, or nullptr.
const ConfigKey* FindConfigKey(std::string_view section, std::string_view name);
// The key whose Dotted() is `dotted`, or nullptr.
const ConfigKey* FindConfigKey(std::string_view dotted);
// True when some key of `section` has a name starting with `prefix` + "." (a YAML map level).
bool IsConfigKeyPrefix(std::string_view section, std::string_view prefix);

// Parses `text` as the key's type and stores it in `config`: strings as is, lists
// comma-separated, numbers as decimal integers, booleans as true/false/yes/no/on/off/1/0
// (optional booleans also "auto", which unsets them).
// InvalidArgument with the reason (without key or origin) when it does not parse.
Status SetFromString(const ConfigKey& key, std::string_view text, Config& config);

// The key's value in `config` as text (lists comma-separated, an unset optional boolean
// "auto"); "<hidden>" for secrets.
std::string FormatValue(const ConfigKey& key, const Config& config);

}  // namespace maxiofs::app
