// `tinyloop device`: one LwM2M device on this host (src/device): replays recordings as its
// accelerometer, runs a model blob on each window and keeps a server informed until SIGINT or
// SIGTERM, then de-registers.
#include <csignal>
#include <cstdio>
#include <memory>

#include "cli/command.hpp"
#include "device/device.hpp"

namespace {

using namespace tl;

// Set by the signal handler, read by the device loop; lock-free so a handler may store to it.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int) { stop_requested.store(true); }

// Without SA_RESTART, so the loop's poll() returns at once and the loop sees the flag.
void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void add_connection_options(CLI::App* cmd, device::DeviceOptions& o) {
  cmd->add_option("--server", o.server, "coap://HOST:PORT (with --nosec) or coaps://HOST:PORT (with a PSK)")->required();
  cmd->add_option("--endpoint", o.endpoint, "Endpoint client name the device registers with")->required();
  cmd->add_option("--psk-identity", o.psk_identity, "PSK identity for coaps://");
  cmd->add_option("--psk-key", o.psk_key_hex, "PSK for coaps://, in hex (at most 32 bytes)");
  cmd->add_flag("--nosec", o.nosec, "Confirm that coap:// runs without any security");
  cmd->add_flag("--bootstrap", o.bootstrap, "--server is a bootstrap server");
  cmd->add_option("--lifetime", o.lifetime_s, "Registration lifetime in seconds")->capture_default_str()->check(CLI::Range(60u, 86400u * 365u));
  cmd->add_flag("--queue-mode", o.queue_mode, "Binding UQ: sleep after --awake-ms without exchanges");
  cmd->add_option("--awake-ms", o.awake_ms, "Queue mode: milliseconds awake after the last exchange")->capture_default_str()->check(CLI::Range(100u, 3'600'000u));
  cmd->add_option("--data-dir", o.data_dir, "Keep the device's records (accounts, counters, models) here; accounts stored by an earlier run win over --server. Default: a temporary directory");
}

void add_replay_options(CLI::App* cmd, device::DeviceOptions& o) {
  cmd->add_option("--model", o.model, "Model blob (model.tlm from 'tinyloop train')")->required()->check(CLI::ExistingFile);
  cmd->add_option("--replay", o.recordings, "Recordings replayed as the accelerometer: .npy, .csv (one column per axis) or Edge Impulse .json")
      ->required()->check(CLI::ExistingFile);
  cmd->add_option("--rate", o.rate_hz, "Sample rate in Hz of .npy recordings and of .csv ones without a timestamp column")->check(CLI::PositiveNumber);
  cmd->add_option("--speed", o.speed, "Replay speed: 1 = real time, 10 = ten times faster, 0 = as fast as possible")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--windows", o.max_windows, "Stop after N windows");
  cmd->add_option("--duration", o.duration_s, "Stop after S seconds")->check(CLI::NonNegativeNumber);
}

void add_device(CLI::App& app) {
  auto o = std::make_shared<device::DeviceOptions>();
  auto* cmd = app.add_subcommand("device", "Run one LwM2M device that replays recordings through a model");
  add_connection_options(cmd, *o);
  add_replay_options(cmd, *o);
  cmd->footer(
      "The replay starts once the device is registered; recordings play back to back, resampled to "
      "the model's rate and cut into its windows. Ctrl-C (or SIGTERM) de-registers and exits.\n"
      "Example: tinyloop device --server coap://127.0.0.1:5683 --nosec --endpoint node-1 "
      "--model model.tlm --replay wave.npy --rate 100");
  cmd->callback([o] {
    o->log = stdout;
    install_stop_handlers();
    const device::Outcome out = device::run_device(*o, stop_requested);
    if (out.exit_code != 0) {
      std::fprintf(stderr, "tinyloop device: %s\n", out.message.c_str());
      throw CLI::RuntimeError(out.exit_code);
    }
  });
}

const bool registered = cli::add_command(add_device);

}  // namespace
