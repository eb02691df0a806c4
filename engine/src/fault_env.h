// FaultEnv (tests): a leveldb::Env wrapped around the engine's own Env (NoWaitEnv) that fails
// the Nth I/O call of a backends::FaultPlan with an I/O error or "No space left on device",
// and can simulate a power loss by dropping every byte not yet synced (LevelDB's
// FaultInjectionTestEnv, db/fault_injection_test.cc).
//
// Counted calls (one plan number each): NewWritableFile, NewAppendableFile, RenameFile, and
// each writable file's Append (a failing Append first passes half its bytes on: a short write)
// and Sync. Reads are not failed here (the fault BlobStore fails blob reads).
//
// Thread-safety: as leveldb::Env (every method may be called from any thread).
#pragma once

#include "maxiofs/backends/fault_blob_store.h"

#include <leveldb/env.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace maxiofs::engine {

class FaultEnv final : public leveldb::EnvWrapper {
 public:
  // REQUIRES: `base` and `plan` outlive this Env.
  FaultEnv(leveldb::Env* base, backends::FaultPlan* plan) : EnvWrapper(base), plan_(*plan) {}

  leveldb::Status NewWritableFile(const std::string& fname,
                                  leveldb::WritableFile** result) override;
  leveldb::Status NewAppendableFile(const std::string& fname,
                                    leveldb::WritableFile** result) override;
  leveldb::Status RenameFile(const std::string& src, const std::string& target) override;
  leveldb::Status RemoveFile(const std::string& fname) override;

  // Simulated power loss: truncates every file written through this Env to its size at its
  // last Sync (a file never synced becomes empty). REQUIRES: no DB is open on this Env.
  // Returns the number of bytes dropped.
  uint64_t DropUnsyncedData();

  // --- used by the files it hands out ---
  // The error for a failed call on `fname`.
  leveldb::Status Injected(const std::string& fname) const;
  backends::FaultPlan& plan() { return plan_; }
  void Appended(const std::string& fname, uint64_t n);
  void Synced(const std::string& fname);

 private:
  struct FileState {
    uint64_t size = 0;    // bytes appended through this Env
    uint64_t synced = 0;  // of which covered by a Sync
  };
  leveldb::Status Wrap(const std::string& fname, uint64_t start_size, leveldb::WritableFile** f);

  backends::FaultPlan& plan_;
  std::mutex mu_;                           // guards files_; a leaf lock
  std::map<std::string, FileState> files_;  // every file written since the last drop
};

}  // namespace maxiofs::engine
