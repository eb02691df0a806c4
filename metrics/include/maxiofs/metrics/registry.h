// Registry: Prometheus metrics kept in memory and rendered in the Prometheus text exposition
// format (version 0.0.4). Written here rather than taken from prometheus-cpp: Debian 12 does
// not package prometheus-cpp, the format is a few lines of text, and a registry of atomics
// with no HTTP server of its own is all MaxIOFS needs (it serves the text itself).
//
// A metric family has a name, help text, a type and label names; each distinct tuple of
// label values is one series. Counters, gauges and histograms are updated with atomics (no
// lock on the hot path once a series exists); series are created on first use under the
// family's mutex and live as long as the registry, so references to them stay valid.
// Callback families compute their samples when the registry is rendered (per-bucket usage,
// disk free, process memory, ...).
//
// Thread-safety: safe for concurrent use without external synchronization.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::metrics {

// A monotonically increasing count.
class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into cumulative buckets with the given upper bounds (plus +Inf).
class Histogram {
 public:
  // REQUIRES: `bounds` strictly increasing, finite.
  explicit Histogram(std::span<const double> bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> bounds;        // upper bounds, without +Inf
    std::vector<uint64_t> cumulative;  // bounds.size() + 1 counts, the last one for +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Latency bounds in seconds, 1 ms to 60 s: S3 requests range from sub-millisecond inline
// reads to minute-long multi-gigabyte transfers.
inline constexpr double kLatencyBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                            0.5,   1,      2.5,   5,    10,    30,   60};

// One family: series by label values. M is Counter, Gauge or Histogram.
template <class M>
class Family {
 public:
  // Made by Registry::Add*; `bounds` are for histograms only.
  Family(std::vector<std::string> label_names, std::vector<double> bounds)
      : label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}

  // The series with these label values (one per label name, in order), created on first use.
  // The reference stays valid for the registry's life. REQUIRES: values.size() == label count.
  M& WithLabels(std::initializer_list<std::string_view> values);
  M& WithLabels(const std::vector<std::string>& values);

 private:
  friend class Registry;
  std::unique_ptr<M> Make() const;

  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;             // guards series_; leaf lock
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;
};

// A sample produced by a callback family.
struct Sample {
  std::vector<std::string> label_values;  // one per label name of the family
  double value = 0;
};

enum class Type { kCounter, kGauge, kHistogram };

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adds a family. Names follow Prometheus rules ([a-zA-Z_:][a-zA-Z0-9_:]*); counters end in
  // _total. REQUIRES: the name is not registered yet. The family lives as long as the registry.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names,
                                  std::span<const double> bounds);
  // A family whose samples `collect` computes at each Render (kCounter or kGauge). `collect`
  // runs on the rendering thread and must be safe to call concurrently with anything else.
  void AddCallback(std::string name, std::string help, Type type,
                   std::vector<std::string> label_names,
                   std::function<std::vector<Sample>()> collect);

  // Every family, in registration order, as Prometheus text; series sorted by label values.
  std::string Render() const;

 private:
  struct Entry;
  mutable std::mutex mu_;  // guards entries_ (the list, not the series); taken before a family's
  std::vector<std::unique_ptr<Entry>> entries_;
};

// The Content-Type of Render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace maxiofs::metrics
