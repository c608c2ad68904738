// `tinyloop coap serve|get|put|observe`: the host CoAP endpoint of src/coaptool on the command line.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/command.hpp"
#include "coaptool/client.hpp"
#include "coaptool/responder.hpp"
#include "wire/coap/block.hpp"

namespace {

using tl::coaptool::Client;
using tl::coaptool::ClientConfig;
using tl::coaptool::Responder;
using tl::coaptool::ResponderConfig;

constexpr uint16_t kDefaultPort = 5683;

// Options every client subcommand shares.
struct ClientArgs {
  std::string uri;
  size_t block_size = 0;  // 0: let the server decide
  bool non = false;
  uint32_t ack_timeout_ms = 2000;
};

[[noreturn]] void user_error(const std::string& message) {
  std::fprintf(stderr, "tinyloop coap: %s\n", message.c_str());
  throw CLI::RuntimeError(tl::cli::kExitUserError);
}

// "coap://host[:port]/path" or just "/path" (then 127.0.0.1:5683).
ClientConfig parse_uri(const std::string& uri, std::string& path) {
  ClientConfig c;
  c.port = kDefaultPort;
  std::string rest = uri;
  const std::string scheme = "coap://";
  if (rest.rfind(scheme, 0) == 0) {
    rest.erase(0, scheme.size());
    const size_t slash = std::min(rest.find('/'), rest.size());
    std::string authority = rest.substr(0, slash);
    rest.erase(0, slash);
    if (authority.empty() || authority.front() == '[')
      user_error("'" + uri + "': use an IPv4 host, e.g. coap://127.0.0.1:5683/hello");
    const size_t colon = authority.find(':');
    if (colon != std::string::npos) {
      const std::string port = authority.substr(colon + 1);
      if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(port) > 65535) {
        user_error("'" + port + "' is not a port number (1..65535)");
      }
      c.port = static_cast<uint16_t>(std::stoul(port));
      authority.erase(colon);
    }
    c.host = authority;
  } else if (rest.empty() || rest.front() != '/') {
    user_error("'" + uri + "' is not a CoAP URI; write coap://127.0.0.1:5683/hello or /hello");
  }
  path = rest.empty() ? "/" : rest;
  return c;
}

Client make_client(const ClientArgs& a, std::string& path) {
  ClientConfig c = parse_uri(a.uri, path);
  c.confirmable = !a.non;
  c.params.ack_timeout_ms = a.ack_timeout_ms;
  if (a.block_size != 0) {
    const auto szx = tl::wire::coap::szx_for_size(a.block_size);
    if (!szx) user_error("--block-size must be one of 16, 32, 64, 128, 256, 512, 1024");
    c.szx = *szx;
  }
  return Client(c);
}

void add_client_options(CLI::App* cmd, ClientArgs& a) {
  cmd->add_option("uri", a.uri, "coap://HOST[:PORT]/PATH, or /PATH for 127.0.0.1:5683")->required();
  cmd->add_option("--block-size", a.block_size,
                  "Block size in bytes (16..1024, a power of two); default: the server's choice");
  cmd->add_flag("--non", a.non, "Send non-confirmable requests (no retransmission)");
  cmd->add_option("--ack-timeout-ms", a.ack_timeout_ms, "ACK_TIMEOUT of RFC 7252 4.8")->capture_default_str();
}

// Prints a response: the payload on stdout, the code on stderr when it is not a success.
// A terminal gets a final newline; a pipe gets the bytes exactly.
int report(const tl::coaptool::Response& r) {
  std::cout << r.text();
  if (isatty(STDOUT_FILENO) && !r.payload.empty() && r.payload.back() != '\n') std::cout << '\n';
  if (tl::wire::coap::code_class(r.code) == 2) return 0;
  std::fprintf(stderr, "tinyloop coap: the server answered %s\n", tl::coaptool::code_text(r.code).c_str());
  return 1;
}

// Runs a client action and turns its failure into a message and exit code 1.
template <class F>
void run_client(F&& action) {
  int code = 0;
  try {
    code = action();
  } catch (const CLI::Error&) {
    throw;  // already reported (user_error)
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "tinyloop coap: %s\n", e.what());
    code = 1;
  }
  if (code != 0) throw CLI::RuntimeError(code);
}

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }

void add_serve(CLI::App& coap) {
  auto* cmd =
      coap.add_subcommand("serve", "Run the CoAP test responder (/hello, /large, /store, /obs) until Ctrl-C");
  auto cfg = std::make_shared<ResponderConfig>();
  auto block_size = std::make_shared<size_t>(1024);
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--host", cfg->host, "IPv4 address to bind")->capture_default_str();
  cmd->add_option("--port", cfg->port, "UDP port (0: any free port)")->capture_default_str();
  cmd->add_option("--large-size", cfg->large_size, "Size of /large in bytes")->capture_default_str();
  cmd->add_option("--block-size", *block_size, "Largest block served or accepted (16..1024)")
      ->capture_default_str();
  cmd->add_option("--observe-interval-ms", cfg->observe_interval_ms, "Notification period of /obs")
      ->capture_default_str();
  cmd->add_flag("--con-notifications", cfg->confirmable_notifications, "Send /obs notifications as CON");
  cmd->add_option("--max-body", cfg->max_body, "Largest body PUT to /store (larger: 4.13)")
      ->capture_default_str();
  cmd->add_flag("--quiet", *quiet, "Do not log requests");
  cmd->callback([cfg, block_size, quiet] {
    const auto szx = tl::wire::coap::szx_for_size(*block_size);
    if (!szx) user_error("--block-size must be one of 16, 32, 64, 128, 256, 512, 1024");
    cfg->max_szx = *szx;
    if (!*quiet) cfg->log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    std::optional<Responder> responder;
    try {
      responder.emplace(*cfg);
    } catch (const std::runtime_error& e) {
      user_error(e.what());
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::printf("listening on coap://%s:%u (Ctrl-C stops)\n", cfg->host.c_str(), responder->port());
    std::fflush(stdout);
    responder->run(g_stop);
  });
}

void add_get(CLI::App& coap) {
  auto* cmd = coap.add_subcommand("get", "GET a resource (Block2 followed automatically)");
  auto args = std::make_shared<ClientArgs>();
  auto output = std::make_shared<std::string>();
  add_client_options(cmd, *args);
  cmd->add_option("-o,--output", *output, "Write the body to this file instead of stdout");
  cmd->callback([args, output] {
    run_client([&] {
      std::string path;
      Client client = make_client(*args, path);
      const auto r = client.get(path);
      if (output->empty()) return report(r);
      std::ofstream(*output, std::ios::binary)
          .write(reinterpret_cast<const char*>(r.payload.data()),
                 static_cast<std::streamsize>(r.payload.size()));
      return report(tl::coaptool::Response{r.code, {}, {}});
    });
  });
}

void add_put(CLI::App& coap) {
  auto* cmd = coap.add_subcommand("put", "PUT a body (Block1 when it does not fit one block)");
  auto args = std::make_shared<ClientArgs>();
  auto file = std::make_shared<std::string>();
  auto text = std::make_shared<std::string>();
  auto format = std::make_shared<uint32_t>(0);
  add_client_options(cmd, *args);
  auto* f = cmd->add_option("-f,--file", *file, "File to send")->check(CLI::ExistingFile);
  auto* t = cmd->add_option("-e,--text", *text, "Text to send");
  f->excludes(t);
  cmd->add_option("--content-format", *format, "Content-Format number (0: text/plain)")
      ->capture_default_str();
  cmd->callback([args, file, text, format] {
    if (file->empty() && text->empty()) user_error("give the body with --file FILE or --text TEXT");
    std::vector<uint8_t> body(text->begin(), text->end());
    if (!file->empty()) {
      std::ifstream in(*file, std::ios::binary);
      body.assign(std::istreambuf_iterator<char>(in), {});
    }
    run_client([&] {
      std::string path;
      Client client = make_client(*args, path);
      return report(client.put(path, body, *format));
    });
  });
}

void add_observe(CLI::App& coap) {
  auto* cmd =
      coap.add_subcommand("observe", "Observe a resource: print COUNT notifications, then deregister");
  auto args = std::make_shared<ClientArgs>();
  auto count = std::make_shared<size_t>(5);
  auto timeout_s = std::make_shared<int>(30);
  add_client_options(cmd, *args);
  cmd->add_option("-n,--count", *count, "Notifications to collect (the first response counts)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--timeout-s", *timeout_s, "Give up after this long without a notification")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([args, count, timeout_s] {
    run_client([&] {
      std::string path;
      Client client = make_client(*args, path);
      client.observe(
          path, *count,
          [](const tl::coaptool::Notification& n) {
            std::cout << "[" << n.sequence << "] " << n.response.text() << std::endl;
          },
          *timeout_s * 1000);
      return 0;
    });
  });
}

const bool registered = tl::cli::add_command([](CLI::App& app) {
  auto* coap = app.add_subcommand("coap", "CoAP test responder and client (UDP, 127.0.0.1 by default)");
  coap->require_subcommand(1);
  add_serve(*coap);
  add_get(*coap);
  add_put(*coap);
  add_observe(*coap);
});

}  // namespace
