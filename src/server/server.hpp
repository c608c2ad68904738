// `tinyloop server`: the process around the protocol core. One network thread (an io_context)
// runs the UDP endpoints, the DTLS sessions and the core; the store has its own writer thread;
// callers of api() may be on any thread (the REST API's).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "server/core/api.hpp"
#include "server/core/core.hpp"

namespace tl::server {

struct ServerConfig {
  std::filesystem::path data_dir = "tinyloop-data";
  std::string bind = "127.0.0.1";
  uint16_t coap_port = 5683;   // 0: any free port
  bool coap = true;            // plain CoAP (NoSec) endpoint
  uint16_t coaps_port = 5684;  // DTLS endpoint
  bool coaps = true;
  // PSK credentials: lines "identity,hexkey[,endpoint]" ('#' comments): the device holding the
  // key may register as `endpoint` (default: the identity itself).
  std::filesystem::path psk_file;
  uint16_t http_port = 8080;  // REST API, events, /metrics; 0: any free port
  bool http = true;
  uint32_t dtls_idle_ms = 30'000;
  uint32_t dtls_max_live = 1024;
  core::CoreConfig core;
};

class Server {
 public:
  // Opens the store (throws store::StoreError with a remedy), loads the registry, binds the
  // sockets (throws std::system_error). Nothing runs until start().
  explicit Server(ServerConfig config);
  ~Server();

  // Starts the network thread.
  void start();
  // Stops it, flushes the store; idempotent.
  void stop();

  uint16_t coap_port() const;
  uint16_t coaps_port() const;
  uint16_t http_port() const;
  core::ServerApi& api();
  // The core's counters and the DTLS sessions' figures, as one line of JSON (taken on the
  // network thread).
  std::string stats_json();
  size_t loaded_devices() const { return loaded_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t loaded_ = 0;
};

struct PskEntry {
  std::string identity;
  std::vector<uint8_t> key;
  std::string endpoint;
};
// Reads a PSK file (see ServerConfig::psk_file); throws std::runtime_error naming the line.
std::vector<PskEntry> read_psk_file(const std::filesystem::path& file);

}  // namespace tl::server
