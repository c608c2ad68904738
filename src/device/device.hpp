// `tinyloop device`: one LwM2M device on the POSIX port that replays recordings as its
// accelerometer, runs a model blob on each window through the TinyML objects and keeps a server
// informed. This header is the whole interface the command line sees: plain options in, an exit
// code and a message out. It includes no client header, so users need not share tl_client's
// -fno-rtti.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tl::device {

struct DeviceOptions {
  std::string server;          // coap://host:port or coaps://host:port
  std::string endpoint;        // the client's endpoint name
  std::string psk_identity;    // coaps only
  std::string psk_key_hex;     // coaps only, hex
  bool nosec = false;          // the user's explicit consent to plain coap://
  bool bootstrap = false;      // `server` is a bootstrap server
  std::string model;           // model blob (model.tlm)
  std::vector<std::string> recordings;  // .npy or Edge Impulse .json
  float rate_hz = 0;           // sample rate of .npy recordings
  double speed = 1;            // 1 = real time, 0 = as fast as possible
  uint32_t lifetime_s = 300;
  bool queue_mode = false;
  uint32_t awake_ms = 10'000;
  std::string data_dir;        // empty: a temporary directory, removed at exit
  uint64_t max_windows = 0;    // 0: no limit
  double duration_s = 0;       // 0: no limit
  std::FILE* log = nullptr;    // progress lines; nullptr: quiet
};

struct Outcome {
  int exit_code = 0;           // 0, 1 (the run failed) or 2 (a user error)
  std::string message;         // what went wrong and what to do next; empty on success
  uint64_t windows = 0;        // windows run
};

// Runs until `stop` becomes true (a signal handler sets it), the replay limits are reached
// (max_windows, duration_s) or a fatal error; then de-registers. Blocks the calling thread.
Outcome run_device(const DeviceOptions& options, const std::atomic<bool>& stop);

}  // namespace tl::device
