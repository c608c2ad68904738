// The device's main loop: step the client, deliver replayed windows when a real sensor would,
// sleep in PosixPlatform::wait until the client's deadline, the next window or a datagram;
// on stop, de-register (bounded in time).
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "device/device.hpp"
#include "device/replay.hpp"
#include "device/session.hpp"

namespace tl::device {

class Loop {
 public:
  Loop(const std::vector<ReplayWindow>& windows, const DeviceOptions& options, const std::atomic<bool>& stop);
  // Runs until stopped or a limit is reached, then de-registers; or until the server had the
  // device reboot: rebooted() is then true, and the caller runs a new Session, whose replay
  // goes on from the next window once it is registered. Returns the windows run so far.
  uint64_t run(Session& session);
  bool rebooted() const { return rebooted_; }

 private:
  bool should_stop(uint64_t now) const;
  void deliver_due(uint64_t now);
  void run_window(const ReplayWindow& w);
  uint64_t due_ms(const ReplayWindow& w) const;
  uint64_t next_wake(uint64_t client_deadline) const;
  void watch_state();
  void resume_replay(uint64_t now);
  void deregister();
  void log(const char* format, ...) const __attribute__((format(printf, 2, 3)));

  Session* s_ = nullptr;
  const std::vector<ReplayWindow>& windows_;
  const DeviceOptions& o_;
  const std::atomic<bool>& stop_;
  uint64_t started_ms_ = UINT64_MAX;  // the first session's start: --duration spans reboots
  uint64_t replay_start_ms_ = UINT64_MAX;  // set when first registered: the server sees every window
  size_t next_ = 0;                        // the next window to deliver
  uint64_t ran_ = 0;
  bool rebooted_ = false;
  client::Engine::State last_state_ = client::Engine::State::starting;
};

}  // namespace tl::device
