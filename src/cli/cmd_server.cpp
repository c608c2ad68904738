// `tinyloop server`: the LwM2M 1.1 server (src/server) until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <cstdio>

#include "cli/command.hpp"
#include "server/http/tokens.hpp"
#include "server/server.hpp"
#include "server/store/path.hpp"
#include "server/store/store.hpp"

namespace tl {
namespace {

struct ServerOptions {
  server::ServerConfig config;
  bool no_coap = false;
  bool no_coaps = false;
  bool no_http = false;
  bool deny_nosec = false;
  unsigned stats_interval_s = 0;
  std::vector<std::string> observe;
};

// --observe values: object, instance or resource paths ("/33650", "/3/0/9").
std::vector<server::store::Path> standing_observations(const std::vector<std::string>& texts) {
  std::vector<server::store::Path> paths;
  for (const std::string& text : texts) {
    const auto path = server::store::Path::parse(text);
    if (!path || path->depth() == 0) {
      std::fprintf(stderr, "tinyloop server: --observe %s is not an object, instance or resource path; write e.g. /33650 or /3/0/9\n",
                   text.c_str());
      throw CLI::RuntimeError(cli::kExitUserError);
    }
    paths.push_back(*path);
  }
  return paths;
}

void run_server(const ServerOptions& o) {
  server::ServerConfig config = o.config;
  config.coap = !o.no_coap;
  config.coaps = !o.no_coaps;
  config.http = !o.no_http;
  config.core.allow_nosec = !o.deny_nosec;
  config.core.observe_on_register = standing_observations(o.observe);
  // SIGINT and SIGTERM are taken by sigwait() below: block them before any thread starts, so
  // every thread inherits the mask and none is interrupted.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::unique_ptr<server::Server> s;
  try {
    s = std::make_unique<server::Server>(config);
  } catch (const server::store::StoreError& e) {
    std::fprintf(stderr, "tinyloop server: %s\n", e.what());
    throw CLI::RuntimeError(cli::kExitUserError);
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "tinyloop server: cannot open the sockets on %s (%s); pick other ports with --coap-port/--coaps-port\n",
                 config.bind.c_str(), e.what());
    throw CLI::RuntimeError(cli::kExitUserError);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "tinyloop server: %s\n", e.what());
    throw CLI::RuntimeError(cli::kExitUserError);
  }
  try {
    s->start();
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "tinyloop server: %s; pick another port with --http-port\n", e.what());
    throw CLI::RuntimeError(cli::kExitUserError);
  }
  std::printf("tinyloop server: %zu registrations loaded from %s\n", s->loaded_devices(), config.data_dir.c_str());
  if (config.coap) std::printf("tinyloop server: CoAP on %s:%u\n", config.bind.c_str(), s->coap_port());
  if (config.coaps) std::printf("tinyloop server: CoAP over DTLS on %s:%u\n", config.bind.c_str(), s->coaps_port());
  if (config.http) {
    std::printf("tinyloop server: REST API on http://%s:%u/api (token: tinyloop server token add NAME)\n",
                config.bind.c_str(), s->http_port());
  }
  std::fflush(stdout);
  int signal = 0;
  if (o.stats_interval_s == 0) {
    sigwait(&stop_signals, &signal);
  } else {
    const timespec interval{static_cast<time_t>(o.stats_interval_s), 0};
    while ((signal = sigtimedwait(&stop_signals, nullptr, &interval)) < 0) {
      std::printf("stats: %s\n", s->stats_json().c_str());
      std::fflush(stdout);
    }
  }
  std::printf("tinyloop server: stopping (%s)\n", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  s->stop();
  std::printf("tinyloop server: stopped; everything acknowledged is stored\n");
}

// `tinyloop server token add|list|revoke`: the bearer tokens of the REST API, kept (hashed) in
// the data directory; a running server sees changes at its next start.
void add_token_commands(CLI::App& server) {
  auto* token = server.add_subcommand("token", "Manage the REST API's bearer tokens");
  token->require_subcommand(1);
  auto dir = std::make_shared<std::filesystem::path>("tinyloop-data");
  auto name = std::make_shared<std::string>();
  const auto run = [](const std::function<std::string()>& f) {
    try {
      std::printf("%s", f().c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tinyloop server token: %s\n", e.what());
      throw CLI::RuntimeError(cli::kExitUserError);
    }
  };
  auto* add = token->add_subcommand("add", "Create a token NAME and print its secret (shown once)");
  add->add_option("name", *name, "Token name: letters, digits, . _ -")->required();
  add->add_option("--data-dir", *dir, "The server's data directory")->capture_default_str();
  add->callback([=] { run([&] { return server::http::token_add(*dir, *name); }); });
  auto* list = token->add_subcommand("list", "List the tokens (names and dates, never secrets)");
  list->add_option("--data-dir", *dir, "The server's data directory")->capture_default_str();
  list->callback([=] { run([&] { return server::http::token_list(*dir); }); });
  auto* revoke = token->add_subcommand("revoke", "Delete the token NAME");
  revoke->add_option("name", *name, "Token name")->required();
  revoke->add_option("--data-dir", *dir, "The server's data directory")->capture_default_str();
  revoke->callback([=] { run([&] { return server::http::token_revoke(*dir, *name); }); });
}

void add_server(CLI::App& app) {
  auto o = std::make_shared<ServerOptions>();
  auto* cmd = app.add_subcommand("server", "Run the LwM2M 1.1 server: registrations, requests, observations, storage");
  cmd->set_config("--config", "", "Read options from an INI or TOML file (same names as the flags)");
  cmd->add_option("--data-dir", o->config.data_dir, "Where the database lives (created on first start)")
      ->capture_default_str();
  cmd->add_option("--bind", o->config.bind, "Address to listen on (0.0.0.0 or :: for every interface)")
      ->capture_default_str();
  cmd->add_option("--coap-port", o->config.coap_port, "Plain CoAP (NoSec) port; 0 picks a free one")->capture_default_str();
  cmd->add_option("--coaps-port", o->config.coaps_port, "CoAP over DTLS (PSK) port; 0 picks a free one")->capture_default_str();
  cmd->add_flag("--no-coap", o->no_coap, "No plain CoAP endpoint");
  cmd->add_flag("--no-coaps", o->no_coaps, "No DTLS endpoint");
  cmd->add_option("--http-port", o->config.http_port, "REST API, event stream and /metrics port; 0 picks a free one")
      ->capture_default_str();
  cmd->add_flag("--no-http", o->no_http, "No REST API");
  cmd->add_flag("--deny-nosec", o->deny_nosec, "Refuse registrations over plain CoAP (4.03)");
  cmd->add_option("--psk-file", o->config.psk_file, "PSK credentials: lines 'identity,hexkey'")->check(CLI::ExistingFile);
  cmd->add_option("--queue-awake-ms", o->config.core.queue_awake_ms,
                  "How long a queue-mode device listens after its last message")
      ->capture_default_str();
  cmd->add_option("--peer-rate", o->config.core.peer_rate,
                  "Datagrams a second one address may send (0: no limit); more are dropped")
      ->capture_default_str();
  cmd->add_option("--peer-burst", o->config.core.peer_burst, "Burst allowed above --peer-rate")->capture_default_str();
  cmd->add_option("--observe", o->observe,
                  "Observe PATH on every device whose objects include it, from its registration on (repeatable; e.g. /33650)");
  cmd->add_option("--store-backlog", o->config.core.store_backlog_limit,
                  "Writes waiting for the disk beyond which Sends and notifications are refused (5.03) until it catches up")
      ->capture_default_str();
  cmd->add_option("--stats-interval", o->stats_interval_s, "Print the server's counters as JSON every S seconds (0: never)")
      ->capture_default_str();
  cmd->add_option("--dtls-idle-ms", o->config.dtls_idle_ms, "Idle DTLS sessions are serialized after this long")
      ->capture_default_str();
  cmd->footer(
      "A device registers with --endpoint NAME; over DTLS its PSK identity must be NAME (or map to it).\n"
      "Example: tinyloop server --data-dir /var/lib/tinyloop --psk-file keys.csv");
  add_token_commands(*cmd);
  cmd->callback([o, cmd] {
    if (cmd->get_subcommand("token")->parsed()) return;  // a token command ran instead
    run_server(*o);
  });
}

const bool registered = cli::add_command(add_server);

}  // namespace
}  // namespace tl
