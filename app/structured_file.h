// Reading a YAML or JSON file into a yaml-cpp tree with positions, for the configuration file
// and the users file. Internal to app/.
//
// A file whose name ends in ".json", or whose first non-blank character is '{', is JSON: it is
// checked as strict JSON (RFC 8259: no comments, no trailing commas, no single quotes), then
// read like YAML (JSON is YAML's flow style), so both formats give the same tree, with the line
// and column of every node.
//
// Thread-safety: pure functions (ReadStructuredFile reads one file).
#pragma once

#include "maxiofs/common/result.h"

#include <yaml-cpp/yaml.h>

#include <string>

namespace maxiofs::app {

// `what` ("config file", "users file") and `name` start every message.
struct StructuredSource {
  std::string what;
  std::string name;
};

// "<what> <name> line L column C" (1-based), or "<what> <name>" for a node without a mark.
std::string Where(const StructuredSource& source, const YAML::Mark& mark);

// "a map", "a list", "a scalar", "nothing (null)".
std::string TypeName(const YAML::Node& node);

// Parses `text` (YAML or JSON, see above). InvalidArgument "<what> <name> is not valid YAML|JSON:
// line L column C: reason" on a syntax error.
Result<YAML::Node> ParseStructuredText(const std::string& text, const StructuredSource& source);

// Reads and parses the file source.name. NotFound when it does not exist; IOError when it
// cannot be read (or is a directory); else as ParseStructuredText.
Result<YAML::Node> ReadStructuredFile(const StructuredSource& source);

}  // namespace maxiofs::app
