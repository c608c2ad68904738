#include "server/metrics/registry.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <variant>

namespace tl::server::metrics {

namespace {

enum Type : int { kCounter = 0, kGauge = 1, kHistogram = 2 };

constexpr std::string_view type_name(int type) {
  switch (type) {
    case kCounter: return "counter";
    case kGauge: return "gauge";
    default: return "histogram";
  }
}

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

void atomic_add(std::atomic<double>& target, double delta) {
  double old = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(old, old + delta, std::memory_order_relaxed)) {
  }
}

// {a="1",b="2"} with an optional extra label (a histogram's le); "" when there are none.
std::string label_text(const Labels& labels, std::string_view extra_name = {},
                       std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    out += escape_label_value(value);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += escape_label_value(extra_value);
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

void Gauge::add(double delta) { atomic_add(value_, delta); }

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i] > bounds_[i - 1]))) {
      throw MetricsError("histogram bounds must be finite and strictly increasing");
    }
  }
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && !(v <= bounds_[i])) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  // Count as the sum of the buckets, so that +Inf and _count always agree in one scrape.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

struct Registry::Series {
  Labels labels;
  std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::function<double()>,
               std::unique_ptr<Histogram>>
      metric;
};

struct Registry::Family {
  std::string name;
  std::string help;
  int type = kCounter;
  std::vector<std::string> label_names;
  std::vector<Series> series;

  Series* find(const Labels& labels) {
    for (auto& s : series) {
      if (s.labels == labels) return &s;
    }
    return nullptr;
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family(std::string_view name, std::string_view help, int type,
                                   const Labels& labels) {
  if (!valid_metric_name(name)) {
    throw MetricsError("invalid metric name '" + std::string(name) + "'");
  }
  std::vector<std::string> names;
  for (const auto& [label, value] : labels) {
    if (!valid_label_name(label) || (type == kHistogram && label == "le")) {
      throw MetricsError("invalid label name '" + label + "' on " + std::string(name));
    }
    for (const auto& seen : names) {
      if (seen == label) throw MetricsError("label '" + label + "' twice on " + std::string(name));
    }
    names.push_back(label);
  }
  for (auto& f : families_) {
    if (f->name != name) continue;
    if (f->type != type || f->help != help || f->label_names != names) {
      throw MetricsError("metric " + std::string(name) +
                         " registered again with another type, help or label names");
    }
    return *f;
  }
  auto f = std::make_unique<Family>();
  f->name = std::string(name);
  f->help = std::string(help);
  f->type = type;
  f->label_names = std::move(names);
  families_.push_back(std::move(f));
  return *families_.back();
}

Counter& Registry::counter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, kCounter, labels);
  if (Series* s = f.find(labels)) return *std::get<std::unique_ptr<Counter>>(s->metric);
  f.series.push_back(Series{std::move(labels), std::make_unique<Counter>()});
  return *std::get<std::unique_ptr<Counter>>(f.series.back().metric);
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, kGauge, labels);
  if (Series* s = f.find(labels)) {
    if (auto* g = std::get_if<std::unique_ptr<Gauge>>(&s->metric)) return **g;
    throw MetricsError("gauge " + std::string(name) + " already has a callback for these labels");
  }
  f.series.push_back(Series{std::move(labels), std::make_unique<Gauge>()});
  return *std::get<std::unique_ptr<Gauge>>(f.series.back().metric);
}

void Registry::gauge_callback(std::string_view name, std::string_view help, Labels labels,
                              std::function<double()> compute) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, kGauge, labels);
  if (Series* s = f.find(labels)) {
    if (!std::holds_alternative<std::function<double()>>(s->metric)) {
      throw MetricsError("gauge " + std::string(name) + " is already set directly for these labels");
    }
    s->metric = std::move(compute);
    return;
  }
  f.series.push_back(Series{std::move(labels), std::move(compute)});
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::vector<double> bounds, Labels labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, kHistogram, labels);
  if (Series* s = f.find(labels)) {
    Histogram& h = *std::get<std::unique_ptr<Histogram>>(s->metric);
    if (h.bounds() != bounds) {
      throw MetricsError("histogram " + std::string(name) + " registered with other buckets");
    }
    return h;
  }
  auto h = std::make_unique<Histogram>(std::move(bounds));
  f.series.push_back(Series{std::move(labels), std::move(h)});
  return *std::get<std::unique_ptr<Histogram>>(f.series.back().metric);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& f : families_) {
    out += "# HELP " + f->name + ' ' + escape_help(f->help) + '\n';
    out += "# TYPE " + f->name + ' ' + std::string(type_name(f->type)) + '\n';
    for (const auto& s : f->series) {
      if (const auto* c = std::get_if<std::unique_ptr<Counter>>(&s.metric)) {
        out += f->name + label_text(s.labels) + ' ' + std::to_string((*c)->value()) + '\n';
      } else if (const auto* g = std::get_if<std::unique_ptr<Gauge>>(&s.metric)) {
        out += f->name + label_text(s.labels) + ' ' + format_value((*g)->value()) + '\n';
      } else if (const auto* fn = std::get_if<std::function<double()>>(&s.metric)) {
        const double v = *fn ? (*fn)() : std::numeric_limits<double>::quiet_NaN();
        out += f->name + label_text(s.labels) + ' ' + format_value(v) + '\n';
      } else {
        const auto snap = std::get<std::unique_ptr<Histogram>>(s.metric)->snapshot();
        for (std::size_t i = 0; i <= snap.bounds.size(); ++i) {
          const std::string le = i < snap.bounds.size() ? format_value(snap.bounds[i]) : "+Inf";
          out += f->name + "_bucket" + label_text(s.labels, "le", le) + ' ' +
                 std::to_string(snap.cumulative[i]) + '\n';
        }
        out += f->name + "_sum" + label_text(s.labels) + ' ' + format_value(snap.sum) + '\n';
        out += f->name + "_count" + label_text(s.labels) + ' ' + std::to_string(snap.count) + '\n';
      }
    }
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_label_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

}  // namespace tl::server::metrics
