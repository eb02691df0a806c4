// The maxiofs(8) manual page, generated from the same key table as `maxiofs server --help`
// (config_keys.cc), so the two never disagree. The packages install the output of
// `maxiofs help --man`. Internal to app/.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace maxiofs::app {

// The page in man(7) roff, for `version`.
std::string ManPage(std::string_view version);

}  // namespace maxiofs::app
