// Change events: the engine tells interested front ends (the FUSE mount) what changed, so they
// can invalidate caches. Delivered after the change is committed.
#pragma once

#include <string>

namespace maxiofs::engine {

struct ChangeEvent {
  enum class Kind : uint8_t {
    kObjectWritten,  // put, copy destination, rename destination
    kObjectRemoved,  // delete, rename source
    kBucketCreated,
    kBucketRemoved,
  };
  Kind kind;
  std::string bucket;
  std::string key;  // empty for bucket events
};

// Receives change events. OnChange is called on the thread that made the change, possibly
// while engine locks are held: it must be quick, must not block, and must not call back into
// the engine (enqueue and return). Implementations must be safe for concurrent calls.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  virtual void OnChange(const ChangeEvent& event) = 0;
};

}  // namespace maxiofs::engine
