// The blob store named by storage.backend, built from the storage.s3/azure/gcs/cache keys,
// and the engine opened on it. Internal to app/ (the composition root is the only place that
// knows which store exists).
#pragma once

#include "config.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/engine/options.h"

#include <memory>
#include <string>

namespace maxiofs::app {

// Opens the engine on `data_dir` with the configured blob store. For a remote backend the
// store is opened first and asked once whether its bucket (container) exists and the
// credentials may use it; InvalidArgument names the missing or contradictory key, and any
// other error carries the service's answer. `options` gets blob_store_binding set.
Result<std::unique_ptr<engine::Engine>> OpenEngine(const Config& config,
                                                   engine::EngineOptions options);

// Secret from `value` or from the first line of `file` (InvalidArgument naming `key` when
// neither or both are set, or the file cannot be read).
Result<std::string> SecretFrom(const std::string& value, const std::string& file,
                               const std::string& key);

}  // namespace maxiofs::app
