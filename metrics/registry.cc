#include "maxiofs/metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>
#include <variant>

namespace maxiofs::metrics {
namespace {

// A number as Prometheus reads it: integers exactly, others in shortest round-trip form.
std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Byte counts and sizes read best as plain integers (exact below 2^53).
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, ptr);
}

// Label values escape backslash, double quote and newline; help text backslash and newline.
std::string Escape(std::string_view s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// "{a="1",b="2"}" (empty when there are no labels); `extra` appends one more pair (le).
std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + Escape(values[i], true) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += std::string(extra_name) + "=\"" + std::string(extra_value) + "\"";
  }
  if (!out.empty()) out += "}";
  return out;
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::Observe(double v) {
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

template <class M>
std::unique_ptr<M> Family<M>::Make() const {
  if constexpr (std::is_same_v<M, Histogram>) {
    return std::make_unique<Histogram>(bounds_);
  } else {
    return std::make_unique<M>();
  }
}

template <class M>
M& Family<M>::WithLabels(const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = series_.find(values);
  if (it == series_.end()) it = series_.emplace(values, Make()).first;
  return *it->second;
}

template <class M>
M& Family<M>::WithLabels(std::initializer_list<std::string_view> values) {
  std::vector<std::string> v;
  v.reserve(values.size());
  for (std::string_view s : values) v.emplace_back(s);
  return WithLabels(v);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  std::string name;
  std::string help;
  Type type;
  std::vector<std::string> label_names;
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
               std::unique_ptr<Family<Histogram>>, std::function<std::vector<Sample>()>>
      source;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  auto family = std::make_unique<Family<Counter>>(label_names, std::vector<double>{});
  Family<Counter>& ref = *family;
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(name), std::move(help), Type::kCounter,
                                                   std::move(label_names), std::move(family)}));
  return ref;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  auto family = std::make_unique<Family<Gauge>>(label_names, std::vector<double>{});
  Family<Gauge>& ref = *family;
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(name), std::move(help), Type::kGauge,
                                                   std::move(label_names), std::move(family)}));
  return ref;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::span<const double> bounds) {
  auto family = std::make_unique<Family<Histogram>>(
      label_names, std::vector<double>(bounds.begin(), bounds.end()));
  Family<Histogram>& ref = *family;
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(
      std::make_unique<Entry>(Entry{std::move(name), std::move(help), Type::kHistogram,
                                    std::move(label_names), std::move(family)}));
  return ref;
}

void Registry::AddCallback(std::string name, std::string help, Type type,
                           std::vector<std::string> label_names,
                           std::function<std::vector<Sample>()> collect) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{std::move(name), std::move(help), type, std::move(label_names), std::move(collect)}));
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::unique_ptr<Entry>& e : entries_) {
    out += "# HELP " + e->name + " " + Escape(e->help, false) + "\n";
    out += "# TYPE " + e->name + " " + std::string(TypeName(e->type)) + "\n";
    auto scalar = [&](const auto& family) {
      std::lock_guard<std::mutex> family_lock(family->mu_);
      for (const auto& [values, metric] : family->series_) {
        out += e->name + LabelText(e->label_names, values) + " " +
               FormatNumber(static_cast<double>(metric->value())) + "\n";
      }
    };
    if (auto* c = std::get_if<std::unique_ptr<Family<Counter>>>(&e->source)) {
      scalar(*c);
    } else if (auto* g = std::get_if<std::unique_ptr<Family<Gauge>>>(&e->source)) {
      scalar(*g);
    } else if (auto* h = std::get_if<std::unique_ptr<Family<Histogram>>>(&e->source)) {
      std::lock_guard<std::mutex> family_lock((*h)->mu_);
      for (const auto& [values, metric] : (*h)->series_) {
        const Histogram::Snapshot s = metric->snapshot();
        for (size_t i = 0; i < s.cumulative.size(); ++i) {
          const std::string le = i < s.bounds.size() ? FormatNumber(s.bounds[i]) : "+Inf";
          out += e->name + "_bucket" + LabelText(e->label_names, values, "le", le) + " " +
                 std::to_string(s.cumulative[i]) + "\n";
        }
        out +=
            e->name + "_sum" + LabelText(e->label_names, values) + " " + FormatNumber(s.sum) + "\n";
        out += e->name + "_count" + LabelText(e->label_names, values) + " " +
               std::to_string(s.count) + "\n";
      }
    } else {
      std::vector<Sample> samples = std::get<std::function<std::vector<Sample>()>>(e->source)();
      std::sort(samples.begin(), samples.end(),
                [](const Sample& a, const Sample& b) { return a.label_values < b.label_values; });
      for (const Sample& s : samples) {
        out += e->name + LabelText(e->label_names, s.label_values) + " " + FormatNumber(s.value) +
               "\n";
      }
    }
  }
  return out;
}

}  // namespace maxiofs::metrics
