// tl-loadgen: the LwM2M server benchmark's load generator and loopback echo baseline.
// Subcommands: register, notify, idle (virtual devices), echo-server and echo (the baseline).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <unistd.h>

#include "sim/loadgen/cli_report.hpp"
#include "sim/loadgen/dtls_net.hpp"
#include "sim/loadgen/echo.hpp"
#include "sim/loadgen/net.hpp"
#include "sim/loadgen/scenarios.hpp"

namespace lg = tl::sim::loadgen;
using nlohmann::json;

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

struct Common {
  std::string server = "127.0.0.1:5683";
  uint32_t devices = 1000;
  double rate = 10000;
  uint32_t sockets = 256;
  std::string prefix = "tl-lg-";
  uint32_t lifetime = 86400;
  uint32_t ack_timeout_ms = 2000;
  uint32_t max_retransmit = 4;
  double settle = 10;
  bool json = false;
  bool quiet = false;
  bool dtls = false;
  std::string psk_identity_prefix = "tl-lg-";
  std::string psk_key;
  uint32_t handshakes = 256;
  uint32_t source_offset = 0;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("--server", c.server, "the LwM2M server, HOST:PORT (IPv4)")->capture_default_str();
  cmd->add_option("--devices", c.devices, "virtual devices (endpoints)")->capture_default_str()->check(CLI::Range(1u, 10'000'000u));
  cmd->add_option("--sockets", c.sockets, "plain CoAP: local UDP ports the devices share (as behind a NAT)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 60'000u));
  cmd->add_option("--prefix", c.prefix, "endpoint name prefix: device i is PREFIX<i>")->capture_default_str();
  cmd->add_option("--lifetime", c.lifetime, "registration lifetime, seconds")->capture_default_str();
  cmd->add_option("--ack-timeout-ms", c.ack_timeout_ms, "CoAP ACK_TIMEOUT (RFC 7252 4.8)")->capture_default_str();
  cmd->add_option("--max-retransmit", c.max_retransmit, "CoAP MAX_RETRANSMIT")->capture_default_str();
  cmd->add_option("--settle", c.settle, "seconds to wait for answers after the last send")->capture_default_str();
  cmd->add_flag("--json", c.json, "print one JSON object instead of text");
  cmd->add_flag("--quiet", c.quiet, "no progress line on stderr");
  cmd->add_flag("--dtls", c.dtls, "DTLS 1.2 PSK, one socket per device (needs --psk-key)");
  cmd->add_option("--psk-identity-prefix", c.psk_identity_prefix, "DTLS: device i's PSK identity is PREFIX<i>")
      ->capture_default_str();
  cmd->add_option("--psk-key", c.psk_key, "DTLS: the PSK of every device, hex");
  cmd->add_option("--handshakes", c.handshakes, "DTLS: handshakes in flight at once")->capture_default_str();
  cmd->add_option("--source-offset", c.source_offset,
                  "DTLS on loopback: device i sends from source slot OFFSET+i (127.1.x.y, its own port); "
                  "give fleets registered one after another disjoint slots")
      ->capture_default_str();
}

lg::Hooks hooks(const Common& c) {
  lg::Hooks h;
  h.stop = &g_stop;
  if (!c.quiet) {
    const bool tty = isatty(STDERR_FILENO) != 0;
    h.progress = [tty](const std::string& line) { std::fprintf(stderr, tty ? "\r%s   " : "%s\n", line.c_str()); };
  }
  return h;
}

void end_progress(const Common& c) {
  if (!c.quiet && isatty(STDERR_FILENO) != 0) std::fprintf(stderr, "\n");
}

sockaddr_in server_address(const std::string& text) {
  const auto a = lg::parse_address(text);
  if (!a) throw std::runtime_error("--server '" + text + "' is not HOST:PORT with an IPv4 host (e.g. 127.0.0.1:5683)");
  return *a;
}

std::unique_ptr<lg::Net> make_net(const Common& c, bool answer_requests, bool keep_dtls_sessions) {
  lg::EngineConfig e;
  e.devices = c.devices;
  e.prefix = c.prefix;
  e.lifetime = c.lifetime;
  e.answer_requests = answer_requests;
  e.transmission.ack_timeout_ms = c.ack_timeout_ms;
  e.transmission.max_retransmit = c.max_retransmit;
  if (c.dtls) {
    lg::DtlsConfig d;
    d.server = server_address(c.server);
    d.engine = e;
    d.identity_prefix = c.psk_identity_prefix;
    d.key = lg::parse_hex_key(c.psk_key);
    d.max_handshakes = c.handshakes;
    d.source_offset = c.source_offset;
    d.keep_sessions = keep_dtls_sessions;
    return std::make_unique<lg::DtlsNet>(d);
  }
  lg::PlainConfig p;
  p.server = server_address(c.server);
  p.sockets = c.sockets;
  p.engine = e;
  return std::make_unique<lg::PlainNet>(p);
}

// Registers the fleet; throws when nobody answered, which means no server.
lg::RegisterResult register_or_fail(lg::Net& net, const Common& c) {
  lg::RegisterResult r = lg::register_fleet(net, c.rate, c.settle, hooks(c));
  end_progress(c);
  if (r.registered == 0 && !g_stop) {
    throw std::runtime_error("no registration was answered: is an LwM2M server listening at " + c.server +
                             (c.dtls ? " (DTLS, with the PSK identities provisioned)?" : "?"));
  }
  return r;
}

void add_register(CLI::App& app, Common& c) {
  CLI::App* cmd = app.add_subcommand("register", "registration storm: DEVICES Registers open-loop at RATE/s");
  add_common(cmd, c);
  cmd->add_option("--rate", c.rate, "Registers per second (0: as fast as possible)")->capture_default_str();
  cmd->callback([&c] {
    auto net = make_net(c, true, false);
    const lg::RegisterResult r = register_or_fail(*net, c);
    if (c.json) {
      std::printf("%s\n", lg::cli::register_json(r, c.rate, c.dtls, *net).dump().c_str());
    } else {
      lg::cli::print_register(r, *net);
    }
  });
}

struct NotifyArgs {
  double duration = 10;
  bool con = false;
  bool send = false;
  double observe_wait = 5;
  double register_rate = 10000;
};

void add_notify(CLI::App& app, Common& c, NotifyArgs& n) {
  CLI::App* cmd = app.add_subcommand(
      "notify", "register, wait for the server's Observe of /33650, then notify at RATE/s for DURATION s");
  add_common(cmd, c);
  cmd->add_option("--rate", c.rate, "notifications (or Sends) per second over the fleet")->capture_default_str();
  cmd->add_option("--register-rate", n.register_rate, "Registers per second before notifying")->capture_default_str();
  cmd->add_option("--duration", n.duration, "seconds of notifying")->capture_default_str();
  cmd->add_flag("--con", n.con, "confirmable notifications (default NON)");
  cmd->add_flag("--send", n.send, "the Send operation (POST /dp, SenML-CBOR) instead of notifications");
  cmd->add_option("--observe-wait", n.observe_wait, "seconds to wait for the server's Observe requests")
      ->capture_default_str();
  cmd->callback([&c, &n] {
    auto net = make_net(c, true, true);
    Common reg = c;
    reg.rate = n.register_rate;
    const lg::RegisterResult r = register_or_fail(*net, reg);
    lg::NotifyOptions o;
    o.rate = c.rate;
    o.duration_seconds = n.duration;
    o.confirmable = n.con;
    o.use_send = n.send;
    o.observe_wait_seconds = n.observe_wait;
    o.settle_seconds = c.settle;
    const lg::NotifyResult x = lg::notify_fleet(*net, o, hooks(c));
    end_progress(c);
    if (c.json) {
      std::printf("%s\n", lg::cli::notify_json(x, r, o, c.dtls, *net).dump().c_str());
    } else {
      lg::cli::print_notify(x, o);
    }
  });
}

void add_idle(CLI::App& app, Common& c, double& hold_seconds, bool& silent) {
  CLI::App* cmd = app.add_subcommand(
      "idle", "register DEVICES at RATE/s, print `idle: ready`, then stay quiet (for the server's RSS)");
  add_common(cmd, c);
  cmd->add_option("--rate", c.rate, "Registers per second")->capture_default_str();
  cmd->add_option("--duration", hold_seconds, "seconds to stay registered afterwards (0: until SIGINT/SIGTERM)")
      ->capture_default_str();
  cmd->add_flag("--silent", silent, "answer nothing the server asks");
  cmd->callback([&c, &hold_seconds, &silent] {
    auto net = make_net(c, !silent, false);
    const lg::RegisterResult r = register_or_fail(*net, c);
    if (c.json) {
      std::printf("%s\n", lg::cli::register_json(r, c.rate, c.dtls, *net).dump().c_str());
    } else {
      lg::cli::print_register(r, *net);
    }
    std::printf("idle: ready, %u devices registered\n", r.registered);
    std::fflush(stdout);
    lg::hold(*net, hold_seconds, hooks(c));
  });
}

struct EchoArgs {
  std::string server = "127.0.0.1:5699";
  uint16_t port = 5699;
  double duration = 3;
  uint32_t sockets = 8;
  size_t payload = 100;
  uint32_t window = 64;
  std::string mode = "both";
  bool json = false;
};

void add_echo(CLI::App& app, EchoArgs& a) {
  CLI::App* srv = app.add_subcommand("echo-server", "the loopback baseline's echo server (recvmmsg/sendmmsg)");
  srv->add_option("--port", a.port, "UDP port on 127.0.0.1 (0: any; the port is printed)")->capture_default_str();
  srv->callback([&a] {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local.sin_port = htons(a.port);
    lg::EchoServer server(local);
    std::printf("echo-server: listening on 127.0.0.1:%u\n", server.port());
    std::fflush(stdout);
    server.run(g_stop);
    std::printf("echo-server: %llu echoed, %llu counted\n", static_cast<unsigned long long>(server.echoed()),
                static_cast<unsigned long long>(server.counted()));
  });
  CLI::App* cli = app.add_subcommand("echo", "the loopback baseline: datagrams/s round trip and one way");
  cli->add_option("--server", a.server, "a running `tl-loadgen echo-server`, HOST:PORT")->capture_default_str();
  cli->add_option("--duration", a.duration, "seconds per measurement")->capture_default_str();
  cli->add_option("--sockets", a.sockets, "client sockets")->capture_default_str()->check(CLI::Range(1u, 10'000u));
  cli->add_option("--payload", a.payload, "bytes per datagram")->capture_default_str()->check(CLI::Range(1, 1400));
  cli->add_option("--window", a.window, "round trip: datagrams in flight per socket")->capture_default_str();
  cli->add_option("--mode", a.mode, "both, round-trip or one-way")
      ->capture_default_str()
      ->check(CLI::IsMember({"both", "round-trip", "one-way"}));
  cli->add_flag("--json", a.json, "print one JSON object instead of text");
  cli->callback([&a] {
    lg::EchoOptions o;
    o.server = server_address(a.server);
    o.sockets = a.sockets;
    o.seconds = a.duration;
    o.payload = a.payload;
    o.window = a.window;
    json j = {{"payload", a.payload}, {"sockets", a.sockets}};
    if (a.mode != "one-way") {
      const lg::EchoResult r = lg::echo_round_trip(o, &g_stop);
      j["round_trip"] = {{"rate", r.rate()}, {"sent", r.sent}, {"received", r.received}, {"seconds", r.seconds}};
      if (!a.json) std::printf("loopback echo: %.0f datagrams/s\n", r.rate());
    }
    if (a.mode != "round-trip") {
      const lg::EchoResult r = lg::echo_one_way(o, &g_stop);
      j["one_way"] = {{"rate", r.rate()}, {"sent", r.sent}, {"received", r.received}, {"seconds", r.seconds}};
      if (!a.json) std::printf("loopback one-way: %.0f datagrams/s\n", r.rate());
    }
    if (a.json) std::printf("%s\n", j.dump().c_str());
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tl-loadgen: virtual LwM2M devices against a server, and the loopback echo baseline"};
  app.require_subcommand(1);
  Common register_args, notify_args, idle_args;
  NotifyArgs notify_extra;
  double hold_seconds = 0;
  bool silent = false;
  EchoArgs echo_args;
  add_register(app, register_args);
  add_notify(app, notify_args, notify_extra);
  add_idle(app, idle_args, hold_seconds, silent);
  add_echo(app, echo_args);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\ntl-loadgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
