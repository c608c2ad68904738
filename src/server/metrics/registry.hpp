// A small metrics registry: counters, gauges (set, or computed at scrape time), histograms with
// fixed buckets, each with a fixed set of labels per series, rendered in the Prometheus text
// exposition format (version 0.0.4).
//
// Registration (startup) takes a mutex and returns a reference that stays valid as long as the
// Registry; updating a metric through that reference is lock-free (atomics), from any thread.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tl::server::metrics {

// A label name and its value, e.g. {"direction", "in"}.
using Label = std::pair<std::string, std::string>;
using Labels = std::vector<Label>;

// A name, label or bucket that the format cannot carry, or a metric registered twice with
// different types, help texts or label names.
class MetricsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double delta);
  void inc() { add(1.0); }
  void dec() { add(-1.0); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: upper bounds, strictly increasing and finite; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (the +Inf one)
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

// Buckets for latencies in seconds, 1 ms to 10 s.
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The same name and labels return the same series; the same name with other label values adds a
  // series to the family (its label names must be the same, in the same order).
  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});
  // A gauge whose value is computed at each scrape (under the registry's mutex: keep it short,
  // thread-safe, and never call the registry from it).
  void gauge_callback(std::string_view name, std::string_view help, Labels labels,
                      std::function<double()> compute);
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       Labels labels = {});

  // Every family in registration order, its series in registration order.
  std::string render() const;

 private:
  struct Family;
  struct Series;
  Family& family(std::string_view name, std::string_view help, int type, const Labels& labels);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

// The content type of render()'s text.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Format pieces, public for tests and for other renderers.
std::string escape_help(std::string_view text);
std::string escape_label_value(std::string_view text);
std::string format_value(double v);  // "3", "0.25", "+Inf", "-Inf", "NaN"

}  // namespace tl::server::metrics
