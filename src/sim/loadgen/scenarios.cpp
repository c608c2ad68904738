#include "sim/loadgen/scenarios.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/loadgen/clock.hpp"

namespace tl::sim::loadgen {

namespace {

// Sends per pass at most: the receive side must get its turn even when the schedule is behind.
constexpr uint64_t kMaxBurst = 2048;
constexpr uint64_t kProgressUs = 1'000'000;

bool stopped(const Hooks& h) { return h.stop != nullptr && h.stop->load(std::memory_order_relaxed); }

double seconds_since(uint64_t start_us) { return static_cast<double>(now_us() - start_us) / 1e6; }

class Ticker {
 public:
  explicit Ticker(const Hooks& hooks) : hooks_(hooks), last_(now_us()) {}
  template <class Text>
  void tick(Text text) {
    if (!hooks_.progress || now_us() - last_ < kProgressUs) return;
    last_ = now_us();
    hooks_.progress(text());
  }

 private:
  const Hooks& hooks_;
  uint64_t last_;
};

// Calls emit(k, now) for k = 0..total-1 at `rate` per second (0: unpaced), pumping between
// bursts; returns the seconds from the first to the last call.
template <class Emit, class Text>
double paced(Net& net, uint64_t total, double rate, const Hooks& hooks, Emit emit, Text text) {
  const uint64_t start = now_us();
  Ticker ticker(hooks);
  uint64_t done = 0;
  double last_emit = 0;
  while (done < total && !stopped(hooks)) {
    const uint64_t now = now_us();
    const double elapsed = static_cast<double>(now - start) / 1e6;
    const uint64_t due =
        rate > 0 ? std::min<uint64_t>(total, static_cast<uint64_t>(elapsed * rate) + 1) : total;
    const uint64_t until = std::min(due, done + kMaxBurst);
    for (; done < until; ++done) emit(done, now);
    last_emit = seconds_since(start);
    int wait_ms = 0;
    if (rate > 0 && done >= due) {
      // Sleep at least a millisecond when on schedule: the server shares the two cores, and a
      // spinning generator would take one from it. Answers still wake the loop at once.
      const double next = static_cast<double>(done) / rate - elapsed;
      wait_ms = std::clamp(static_cast<int>(std::ceil(next * 1000)), 1, 10);
    }
    net.pump(wait_ms);
    ticker.tick(text);
  }
  return last_emit;
}

// Pumps until no CON exchange (or DTLS handshake) is outstanding, `seconds` have passed or the run is stopped.
template <class Text>
void settle(Net& net, double seconds, const Hooks& hooks, Text text) {
  const uint64_t start = now_us();
  Ticker ticker(hooks);
  while (net.outstanding() > 0 && seconds_since(start) < seconds && !stopped(hooks)) {
    net.pump(10);
    ticker.tick(text);
  }
}

std::string count_text(const char* what, const Stats& s, uint64_t total) {
  return std::string(what) + ": " + std::to_string(s.sent) + "/" + std::to_string(total) + " sent, " +
         std::to_string(s.answered) + " answered, " + std::to_string(s.rejected + s.timeouts) + " failed, " +
         std::to_string(s.retransmissions) + " retransmitted";
}

}  // namespace

RegisterResult register_fleet(Net& net, double rate, double settle_seconds, const Hooks& hooks) {
  Engine& e = net.engine();
  RegisterResult r;
  r.devices = e.devices();
  const uint64_t start = now_us();
  const auto text = [&] { return count_text("register", e.stats(Kind::register_), e.devices()); };
  r.send_seconds = paced(
      net, e.devices(), rate, hooks, [&](uint64_t k, uint64_t now) { net.start_register(static_cast<uint32_t>(k), now); },
      text);
  settle(net, settle_seconds, hooks, text);
  r.total_seconds = seconds_since(start);
  r.registered = e.registered();
  r.stats = e.stats(Kind::register_);
  return r;
}

NotifyResult notify_fleet(Net& net, const NotifyOptions& o, const Hooks& hooks) {
  Engine& e = net.engine();
  const uint64_t wait_start = now_us();
  while (!o.use_send && e.observed().size() < e.registered() && seconds_since(wait_start) < o.observe_wait_seconds &&
         !stopped(hooks)) {
    net.pump(10);
  }
  std::vector<uint32_t> targets;
  if (o.use_send) {
    for (uint32_t i = 0; i < e.devices(); ++i) {
      if (e.endpoint(i).registered) targets.push_back(i);
    }
  } else {
    std::vector<bool> taken(e.devices(), false);
    for (const uint32_t i : e.observed()) {
      if (e.endpoint(i).observed && !taken[i]) targets.push_back(i);
      taken[i] = true;
    }
  }
  if (targets.empty()) {
    throw std::runtime_error(o.use_send ? "no endpoint registered: is the server running at --server?"
                                        : "the server observed no endpoint within --observe-wait seconds; "
                                          "raise --observe-wait, or use --send (POST /dp needs no observation)");
  }
  const Kind kind = o.use_send ? Kind::send : Kind::notify;
  const auto total = static_cast<uint64_t>(std::llround(o.rate * o.duration_seconds));
  const auto text = [&] { return count_text(o.use_send ? "send" : "notify", e.stats(kind), total); };
  NotifyResult r;
  r.targets = static_cast<uint32_t>(targets.size());
  r.seconds = paced(
      net, total, o.rate, hooks,
      [&](uint64_t k, uint64_t now) {
        const uint32_t i = targets[k % targets.size()];
        if (o.use_send) {
          e.send_data(i, o.confirmable, now);
        } else {
          e.notify(i, o.confirmable, now);
        }
      },
      text);
  settle(net, o.settle_seconds, hooks, text);
  r.stats = e.stats(kind);
  return r;
}

void hold(Net& net, double seconds, const Hooks& hooks) {
  const uint64_t start = now_us();
  while (!stopped(hooks) && (seconds <= 0 || seconds_since(start) < seconds)) net.pump(100);
}

}  // namespace tl::sim::loadgen
