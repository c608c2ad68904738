// What every end-to-end test of the device shares: the options of a run against a scripted
// server on 127.0.0.1, the device loop in a thread, and the server side after Register.
#pragma once
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "device/device.hpp"
#include "scripted_server.hpp"

namespace tl::device::test {

extern const std::string kIdentity;
extern const std::string kKey;     // 16 bytes
extern const std::string kKeyHex;  // kKey in hex

// One recording per gesture at speed 20, the gesture model, a 20 s safety limit.
DeviceOptions base_options(uint16_t port, bool dtls);
// The number of windows in `expected` (class -> windows).
uint64_t total_windows(const std::map<int, unsigned>& expected);

// The device loop in a thread; the destructor stops and joins it whatever the test did.
class DeviceThread {
 public:
  explicit DeviceThread(const DeviceOptions& o) : options_(o), thread_([this] { outcome = run_device(options_, stop); }) {}
  ~DeviceThread() { join(); }
  DeviceThread(const DeviceThread&) = delete;
  DeviceThread& operator=(const DeviceThread&) = delete;
  void join() {
    stop = true;
    if (thread_.joinable()) thread_.join();
  }
  std::atomic<bool> stop{false};
  Outcome outcome;

 private:
  DeviceOptions options_;
  std::thread thread_;
};

// What the server saw after the Register.
struct Observed {
  std::map<std::string, double> values;  // latest value per path
  int notifications = 0;
  bool deregistered = false;
};

// The 33650 counters in `values` equal `expected` (class -> windows).
bool counters_match(const std::map<std::string, double>& values, const std::map<int, unsigned>& expected);
// A Register of endpoint e2e-node with o's binding, listing the objects and one 33650 instance
// per class of the gesture model (gtest failures otherwise).
void check_register(const Message& reg, const DeviceOptions& o);
// Serves the device after its Register until De-register (or the deadline): answers its
// requests, keeps the newest values of the observation. With `stop` set, asks the device to stop
// once the counters reached `expected`.
Observed serve(ScriptedServer& server, const std::vector<uint8_t>& token, const std::map<int, unsigned>& expected,
               std::atomic<bool>* stop, Clock::time_point deadline);

}  // namespace tl::device::test
