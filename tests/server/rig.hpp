// A `tinyloop server` in the test process on ephemeral 127.0.0.1 ports with its own data
// directory, and what the tests watch of it: its events, collected thread-safely.
#pragma once
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/core/api.hpp"
#include "server/server.hpp"

namespace tl::server::test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Numbers of the latest values per path ("/33650/0/2001" -> 12), from notification and Send
// events, and every event kind seen per endpoint.
class EventLog {
 public:
  void on_event(const core::Event& e);
  // Waits until `ready(values)` holds or the deadline passes; returns whether it held.
  bool wait_values(const std::function<bool(const std::map<std::string, double>&)>& ready, Clock::duration timeout);
  bool wait_kind(core::EventKind kind, Clock::duration timeout);
  std::map<std::string, double> values();
  int count(core::EventKind kind);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, double> values_;
  std::map<core::EventKind, int> kinds_;
};

class ServerRig {
 public:
  // `psk`: identity,hexkey lines for the DTLS endpoint.
  explicit ServerRig(std::string psk_lines = "", std::function<void(ServerConfig&)> tweak = {});
  ~ServerRig();
  void start();
  // Stops the server (as SIGTERM does) and opens it again on the same data directory and ports.
  void restart();
  core::ServerApi& api() { return server_->api(); }
  uint16_t coap_port() const { return coap_port_; }
  uint16_t coaps_port() const { return coaps_port_; }
  uint16_t http_port() const { return server_->http_port(); }
  EventLog& events() { return events_; }
  const std::filesystem::path& dir() const { return dir_; }

  // Runs a request and waits for its outcome (timeout: a failed outcome).
  core::Outcome call(const std::string& endpoint, core::DeviceRequest request, Clock::duration timeout = 10s);
  // Waits until `endpoint` is registered.
  bool wait_registered(const std::string& endpoint, Clock::duration timeout);

 private:
  void open();

  std::filesystem::path dir_;
  ServerConfig config_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<core::Subscription> subscription_;
  EventLog events_;
  uint16_t coap_port_ = 0;
  uint16_t coaps_port_ = 0;
};

double number_of(const store::Value& v);

}  // namespace tl::server::test
