// Readiness: the engine is open (it answers a metadata read), its blob store answers (a remote
// one: a request at most every 2 s), the data directory is writable (a probe file can be
// created and removed under <data>/tmp), and so is the blob directory when storage.root puts it
// elsewhere (<root>/.tmp). Used by the health
// endpoint of the metrics listener and by the maxiofs_ready metric.
//
// Thread-safety: safe for concurrent use; each call does its own probe.
#pragma once

#include "maxiofs/common/status.h"
#include "maxiofs/engine/engine.h"

#include <string>

namespace maxiofs::app {

class Readiness {
 public:
  // REQUIRES: `engine` outlives this object.
  // `blob_dir`: the engine's EngineOptions::blob_dir (empty: under the data dir).
  Readiness(engine::Engine& engine, std::string data_dir, std::string blob_dir = {})
      : engine_(engine), data_dir_(std::move(data_dir)), blob_dir_(std::move(blob_dir)) {}
  // OK when ready; otherwise the reason (for the log, never for the client).
  Status Check() const;

 private:
  engine::Engine& engine_;
  const std::string data_dir_;
  const std::string blob_dir_;
};

}  // namespace maxiofs::app
