// The YAML file source of the configuration. Internal to app/.
//
// The file is a map of sections (server, auth, fuse, engine, tls, ...) to maps of keys, exactly
// the keys of config_keys.cc (a dotted key name is a nested map); anything else is an error, so a
// misspelt key never goes unnoticed.
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
// a YAML syntax error, an unknown section or key, or a value of the wrong type, each with the
// file name, line and key.
Status ApplyYamlFile(const std::string& path, Config& config, ConfigOrigins& origins);

// As ApplyYamlFile, for YAML text already in memory; `name` is used in messages.
Status ApplyYamlText(const std::string& text, const std::string& name, Config& config,
                     ConfigOrigins& origins);

}  // namespace maxiofs::app
