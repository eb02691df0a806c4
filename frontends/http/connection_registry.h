// ConnectionRegistry: the live connections, so a graceful stop can reach each of them (the
// RAII registration list of RGW's ConnectionList). A session holds a Guard for its lifetime.
// Beast-free. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace maxiofs::http {

class ConnectionRegistry {
 public:
  // A registered connection; `stop` is called (from any thread) to ask it to finish.
  class Guard {
   public:
    Guard() = default;
    Guard(ConnectionRegistry* registry, uint64_t id) : registry_(registry), id_(id) {}
    Guard(Guard&& other) noexcept : registry_(other.registry_), id_(other.id_) {
      other.registry_ = nullptr;
    }
    Guard& operator=(Guard&& other) noexcept {
      if (this != &other) {
        if (registry_ != nullptr) registry_->Remove(id_);
        registry_ = other.registry_;
        id_ = other.id_;
        other.registry_ = nullptr;
      }
      return *this;
    }
    Guard(const Guard&) = delete;
    ~Guard() {
      if (registry_ != nullptr) registry_->Remove(id_);
    }

   private:
    ConnectionRegistry* registry_ = nullptr;
    uint64_t id_ = 0;
  };

  // Registers a connection unless `max` are already registered or the registry is stopping;
  // returns false then.
  bool TryAdd(unsigned max, std::function<void()> stop, Guard* guard) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || entries_.size() >= max) return false;
    uint64_t id = next_id_++;
    entries_.emplace(id, std::move(stop));
    *guard = Guard(this, id);
    return true;
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.size();
  }

  // Refuses new connections and asks every live one to stop.
  void StopAll() {
    std::map<uint64_t, std::function<void()>> entries;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      entries = entries_;
    }
    for (auto& [id, stop] : entries) stop();
  }

  // Waits until no connection is left or `timeout` passed; true when empty.
  template <class Duration>
  bool WaitEmpty(Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return entries_.empty(); });
  }

 private:
  void Remove(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(id);
    if (entries_.empty()) cv_.notify_all();
  }

  // mu_ guards entries_, next_id_ and stopping_. Leaf lock: nothing is called under it.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::function<void()>> entries_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace maxiofs::http
