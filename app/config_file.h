// The file source of the configuration (YAML or JSON). Internal to app/.
//
// The file is a map of sections (server, auth, fuse, engine, tls, ...) to maps of keys, exactly
// the keys of config_keys.cc (a dotted key name is a nested map); anything else is an error, so a
// misspelt key never goes unnoticed, and so is a key given twice. A file whose name ends in
// ".json", or whose first non-blank character is '{', is JSON: checked as strict JSON first
// (RFC 8259: no comments, no trailing commas), then read like YAML (JSON is YAML's flow style),
// so both formats take the same keys and give the same errors, with line and column.
//
// Thread-safety: pure function of its inputs (reads one file).
#pragma once

#include "config.h"

#include "maxiofs/common/status.h"

#include <map>
#include <string>

namespace maxiofs::app {

// Where each key's current value came from ("default", "config file X line 3", ...), keyed by
// the dotted key name. Used to make validation errors point at the right place.
using ConfigOrigins = std::map<std::string, std::string>;

// Reads `path` and applies every key it sets to `config`, recording origins.
// NotFound when the file does not exist; IOError when it cannot be read; InvalidArgument for
// a YAML or JSON syntax error, an unknown section or key, a key given twice, or a value of the
// wrong type, each with the file name, line, column and key.
Status ApplyConfigFile(const std::string& path, Config& config, ConfigOrigins& origins);

// As ApplyConfigFile, for text already in memory; `name` is used in messages and decides
// the format as a path would.
Status ApplyConfigText(const std::string& text, const std::string& name, Config& config,
                       ConfigOrigins& origins);

}  // namespace maxiofs::app
