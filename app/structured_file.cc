#include "structured_file.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace maxiofs::app {
namespace {

// JSON by name (".json") or by content (first non-blank character '{').
bool IsJson(const std::string& name, const std::string& text) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.ends_with(".json")) return true;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    return c == '{';
  }
  return false;
}

// Strict JSON syntax (YAML would also accept comments, trailing commas, single quotes). OK, or
// InvalidArgument with the line and column nlohmann reports.
Status CheckJsonSyntax(const std::string& text, const StructuredSource& source) {
  const std::string prefix = source.what + " " + source.name + " is not valid JSON: ";
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text);
    (void)parsed;  // only the syntax matters here
  } catch (const nlohmann::json::parse_error& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    const size_t at = what.find("at line ");
    if (at != std::string::npos) what = what.substr(at + 3);
    return Status::InvalidArgument(prefix + what);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(prefix + e.what());
  }
  return Status::OK();
}

}  // namespace

std::string Where(const StructuredSource& source, const YAML::Mark& mark) {
  const std::string base = source.what + " " + source.name;
  if (mark.is_null()) return base;
  return base + " line " + std::to_string(mark.line + 1) + " column " +
         std::to_string(mark.column + 1);
}

std::string TypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "an unknown node";
}

Result<YAML::Node> ParseStructuredText(const std::string& text, const StructuredSource& source) {
  const bool json = IsJson(source.name, text);
  if (json) MAXIOFS_RETURN_IF_ERROR(CheckJsonSyntax(text, source));
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source.what + " " + source.name + " is not valid " +
                                   (json ? "JSON" : "YAML") + ": line " +
                                   std::to_string(e.mark.line + 1) + " column " +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

Result<YAML::Node> ReadStructuredFile(const StructuredSource& source) {
  const std::string& path = source.name;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::IOError("cannot read " + source.what + " " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(source.what + " " + path + " does not exist");
    return Status::IOError("cannot read " + source.what + " " + path + ": " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + source.what + " " + path);
  return ParseStructuredText(text.str(), source);
}

}  // namespace maxiofs::app
