// The storage section of the config (encryption and compression) turned into engine options:
// the compression algorithm and level (0: the algorithm's default), and
// master keys decoded from base64, read from the key file, checked. Internal to app/.
#pragma once

#include "config.h"

#include "maxiofs/common/status.h"
#include "maxiofs/engine/options.h"

namespace maxiofs::app {

// Fills options->encryption and options->compression from config.storage. InvalidArgument
// naming the key for a master key that is not base64 of 32 bytes, a malformed "name:base64"
// entry or key-file line, or encryption enabled without a key; IOError when the key file cannot
// be read.
Status ApplyStorageOptions(const Config& config, engine::EngineOptions* options);

}  // namespace maxiofs::app
