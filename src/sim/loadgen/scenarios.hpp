// The scenarios of the server benchmark over any Net: a paced registration storm, notifications
// or Sends at an aggregate rate, and a fleet registered and then left idle.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/loadgen/net.hpp"
#include "sim/loadgen/stats.hpp"

namespace tl::sim::loadgen {

struct Hooks {
  std::function<void(const std::string&)> progress;  // one line about once a second, or empty
  const std::atomic<bool>* stop = nullptr;           // set (by a signal) to end the run early
};

struct RegisterResult {
  uint32_t devices = 0;
  uint32_t registered = 0;
  double send_seconds = 0;   // first to last first transmission
  double total_seconds = 0;  // first transmission to the last answer (or give-up)
  Stats stats;
  // Registers sent per second (DTLS: started, handshake included, per second of the schedule).
  double achieved_rate() const { return send_seconds > 0 ? static_cast<double>(stats.sent) / send_seconds : 0; }
  // Registrations answered per second, first send to last answer: what the server sustained.
  double completed_rate() const { return total_seconds > 0 ? static_cast<double>(stats.answered) / total_seconds : 0; }
};

// Registers endpoints 0..devices-1 open-loop at `rate` per second (0: as fast as possible), then
// waits for the answers and retransmissions, at most `settle_seconds` after the last send.
RegisterResult register_fleet(Net& net, double rate, double settle_seconds, const Hooks& hooks);

struct NotifyOptions {
  double rate = 1000;            // per second over the whole fleet
  double duration_seconds = 10;
  bool confirmable = false;
  bool use_send = false;         // POST /dp instead of notifications
  double observe_wait_seconds = 5;
  double settle_seconds = 5;
};

struct NotifyResult {
  uint32_t targets = 0;     // observed endpoints (or registered ones for Send)
  double seconds = 0;       // the sending phase
  Stats stats;              // of notifications or of Sends
  double rate() const { return seconds > 0 ? static_cast<double>(stats.sent) / seconds : 0; }
};

// Waits until the server observes every registered endpoint (or the wait ends), then sends for
// `duration_seconds` round-robin over the targets, then waits for outstanding CON answers.
// Throws std::runtime_error when there is no target.
NotifyResult notify_fleet(Net& net, const NotifyOptions& options, const Hooks& hooks);

// Keeps the fleet quiet but alive (answering the server unless the engine was told not to) for
// `seconds` (0: until hooks.stop is set).
void hold(Net& net, double seconds, const Hooks& hooks);

}  // namespace tl::sim::loadgen
