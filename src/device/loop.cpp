#include "device/loop.hpp"

#include <algorithm>
#include <cstdarg>

namespace tl::device {
namespace {

using State = client::Engine::State;

// De-registration waits at most this long for the server's answer.
constexpr uint64_t kDeregisterWaitMs = 5'000;
// The longest sleep: a stop request that lands just before poll() (a signal between the check and
// the call, or a store from another thread, which interrupts nothing) is seen within this time.
constexpr uint64_t kMaxSleepMs = 250;

}  // namespace

Loop::Loop(const std::vector<ReplayWindow>& windows, const DeviceOptions& options, const std::atomic<bool>& stop)
    : windows_(windows), o_(options), stop_(stop) {}

uint64_t Loop::run(Session& session) {
  s_ = &session;
  replay_start_ms_ = UINT64_MAX;
  last_state_ = State::starting;
  rebooted_ = false;
  if (started_ms_ == UINT64_MAX) started_ms_ = s_->platform.monotonic_ms();
  for (;;) {
    const uint64_t now = s_->platform.monotonic_ms();
    const uint64_t deadline = s_->client.step(now);
    s_->objects.run_pending();
    // A reboot does not de-register: the device just starts over from its records.
    if (s_->platform.take_reboot_request()) {
      log("rebooting as the server asked\n");
      rebooted_ = true;
      return ran_;
    }
    watch_state();
    if (should_stop(now)) break;
    const uint64_t before = ran_;
    deliver_due(now);
    // New values: step again at once so the notifications go out before anything else.
    if (ran_ != before) continue;
    s_->platform.wait(s_->transport.socket(), next_wake(deadline));
  }
  deregister();
  return ran_;
}

bool Loop::should_stop(uint64_t now) const {
  if (stop_.load()) return true;
  if (o_.max_windows != 0 && ran_ >= o_.max_windows) return true;
  return o_.duration_s > 0 && double(now - started_ms_) >= o_.duration_s * 1000.0;
}

uint64_t Loop::due_ms(const ReplayWindow& w) const {
  if (replay_start_ms_ == UINT64_MAX) return UINT64_MAX;
  if (o_.speed <= 0) return replay_start_ms_;
  return replay_start_ms_ + uint64_t(w.due_s * 1000.0 / o_.speed);
}

void Loop::deliver_due(uint64_t now) {
  while (next_ < windows_.size() && due_ms(windows_[next_]) <= now) {
    run_window(windows_[next_++]);
    if (next_ == windows_.size()) log("replay finished after %zu windows; still serving until stopped\n", next_);
    if (o_.max_windows != 0 && ran_ >= o_.max_windows) return;
  }
}

void Loop::run_window(const ReplayWindow& w) {
  const ml::Error err = s_->objects.on_window(w.samples.data());
  if (err != ml::Error::ok) {
    log("window at row %zu of recording %zu skipped: the model did not run (%s)\n", w.start, w.recording + 1,
        ml::error_name(err));
    return;
  }
  ++ran_;
  const objects::ModelRunner& r = s_->objects.tinyml().runner();
  const int c = r.predicted();
  log("window %llu: %s, anomaly score %.3f%s\n", static_cast<unsigned long long>(ran_),
      c >= 0 ? r.label(size_t(c)) : "-", double(r.score()), r.anomaly() ? " ANOMALY" : "");
}

uint64_t Loop::next_wake(uint64_t client_deadline) const {
  uint64_t wake = std::min(client_deadline, s_->platform.monotonic_ms() + kMaxSleepMs);
  if (next_ < windows_.size()) wake = std::min(wake, due_ms(windows_[next_]));
  if (o_.duration_s > 0) wake = std::min(wake, started_ms_ + uint64_t(o_.duration_s * 1000.0));
  return wake;
}

void Loop::watch_state() {
  const State state = s_->client.state();
  if (state == last_state_) return;
  last_state_ = state;
  if (state == State::registering) {
    log("registering with %s as %s\n", o_.server.c_str(), o_.endpoint.c_str());
  } else if (state == State::registered && replay_start_ms_ == UINT64_MAX) {
    resume_replay(s_->platform.monotonic_ms());
    log("registered; replaying %zu windows\n", windows_.size() - next_);
  } else if (state == State::backoff) {
    log("no registration yet (server silent or refusing%s); retrying. Check --server, --endpoint and the PSK\n",
        s_->transport.dtls_error() != 0 ? ", DTLS handshake failed" : "");
  } else if (state == State::bootstrapping) {
    log("bootstrapping with %s\n", o_.server.c_str());
  }
}

// Stream time goes on from the last window delivered (0 at the first registration), so a reboot
// pauses the sensor instead of skipping or repeating windows.
void Loop::resume_replay(uint64_t now) {
  const double done_s = next_ == 0 ? 0.0 : windows_[next_ - 1].due_s;
  const uint64_t done_ms = o_.speed > 0 ? uint64_t(done_s * 1000.0 / o_.speed) : 0;
  replay_start_ms_ = now > done_ms ? now - done_ms : 0;
}

void Loop::deregister() {
  if (s_->client.state() != State::registered) return;
  s_->client.deregister();
  const uint64_t give_up = s_->platform.monotonic_ms() + kDeregisterWaitMs;
  for (uint64_t now = s_->platform.monotonic_ms(); now < give_up; now = s_->platform.monotonic_ms()) {
    const uint64_t deadline = s_->client.step(now);
    if (s_->client.state() != State::registered) break;
    s_->platform.wait(s_->transport.socket(), std::min(deadline, give_up));
  }
  log(s_->client.state() == State::registered ? "de-registration unanswered; exiting\n" : "de-registered\n");
}

void Loop::log(const char* format, ...) const {
  if (o_.log == nullptr) return;
  va_list args;
  va_start(args, format);
  std::vfprintf(o_.log, format, args);
  va_end(args);
  std::fflush(o_.log);
}

}  // namespace tl::device
