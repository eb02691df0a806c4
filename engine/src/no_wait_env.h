// NoWaitEnv: LevelDB's default Env, except that inside a NoWaitScope
// (maxiofs/common/no_wait.h) a table read whose bytes are not in the page cache fails instead
// of waiting for the disk: the read returns an IOError and the scope records would_block()
// (FromLevelDb then answers Status::WouldBlock). Outside a scope every call is the default
// Env's, mmap'ed table reads included.
//
// Thread-safety: as leveldb::Env (every method may be called from any thread).
#pragma once

#include <leveldb/env.h>

#include <string>

namespace maxiofs::engine {

class NoWaitEnv final : public leveldb::EnvWrapper {
 public:
  NoWaitEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}

  // The default Env's file, wrapped: reads inside a NoWaitScope open the file by name and use
  // preadv2(RWF_NOWAIT), so LevelDB's own descriptors and mappings are left as they are.
  leveldb::Status NewRandomAccessFile(const std::string& fname,
                                      leveldb::RandomAccessFile** result) override;
};

}  // namespace maxiofs::engine
