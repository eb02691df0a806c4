// Test-only ways into the engine (private: not in the public headers). Production code opens
// an engine with Engine::Open only.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <leveldb/env.h>

#include <memory>

namespace maxiofs::engine {

// Engine::Open(options, given), with LevelDB running on `env` instead of the engine's own Env
// (nullptr: the engine's own, i.e. exactly Engine::Open). Tests pass a fault-injecting Env
// (fault_env.h) wrapped around the engine's Env. REQUIRES: `env` outlives the engine.
Result<std::unique_ptr<Engine>> TEST_OpenEngine(const EngineOptions& options,
                                                std::unique_ptr<backends::BlobStore> given,
                                                leveldb::Env* env);

}  // namespace maxiofs::engine
