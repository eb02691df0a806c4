// NoWaitScope: a thread's promise not to wait for the disk.
//
// While a NoWaitScope lives on a thread, the storage reads made on that thread (LevelDB table
// reads, blob reads) never wait for data that is not in memory yet: such a read fails with
// Status::WouldBlock and the scope records it (would_block()). A network thread uses this to
// answer a read at once when its data is cached, and to hand it to a worker pool only when the
// disk would have to be waited for; nginx's "aio threads" do the same with RWF_NOWAIT.
// Callers that see would_block() must discard what they got and redo the work where waiting is
// allowed; code that writes must not run inside a scope.
//
// Thread-safety: the state is per thread (thread_local); a scope belongs to the thread that
// made it. Scopes do not nest.
#pragma once

namespace maxiofs {

namespace no_wait_detail {
struct ThreadState {
  bool active = false;
  bool blocked = false;
};
inline thread_local ThreadState state;
}  // namespace no_wait_detail

class NoWaitScope {
 public:
  NoWaitScope() { no_wait_detail::state = {true, false}; }
  ~NoWaitScope() { no_wait_detail::state = {}; }
  NoWaitScope(const NoWaitScope&) = delete;
  NoWaitScope& operator=(const NoWaitScope&) = delete;

  // True when a read in this scope refused to wait (see NoteWouldBlock).
  bool would_block() const { return no_wait_detail::state.blocked; }
};

// True while a NoWaitScope is alive on the calling thread.
inline bool NoWaitActive() { return no_wait_detail::state.active; }

// True when a read in the calling thread's scope refused to wait.
inline bool NoWaitBlocked() { return no_wait_detail::state.blocked; }

// Records in the calling thread's scope, if any, that a read refused to wait.
inline void NoteWouldBlock() {
  if (no_wait_detail::state.active) no_wait_detail::state.blocked = true;
}

}  // namespace maxiofs
