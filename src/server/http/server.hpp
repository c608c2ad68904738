// HttpServer: the REST API, the event stream and /metrics over HTTP/1.1 (Boost.Beast), on its own
// io_context and threads. See README.md.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/api.hpp"
#include "server/http/router.hpp"
#include "server/http/tokens.hpp"
#include "server/metrics/registry.hpp"

namespace tl::server::http {

struct HttpOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port())
  unsigned threads = 1;
  std::size_t body_limit = 1 << 20;       // larger bodies: 413
  std::size_t header_limit = 16 * 1024;   // larger headers: 431
  std::chrono::seconds idle_timeout{60};  // a keep-alive connection with no request is closed
  std::chrono::milliseconds heartbeat{15'000};  // event stream comment when nothing else was sent
  std::size_t event_queue_limit = 1024;   // events waiting for a slow subscriber: over it, dropped
  // SO_SNDBUF of event stream sockets (0: the system's): bounds the kernel memory a subscriber
  // holds, so a slow one shows up in its queue instead.
  int event_send_buffer = 64 * 1024;
  RouterOptions router;
};

class HttpServer {
 public:
  // The references must outlive the server.
  HttpServer(core::ServerApi& api, const TokenStore& tokens, metrics::Registry& registry,
             HttpOptions options);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens, subscribes to the core's events and starts the threads. Throws
  // std::runtime_error naming the address when it cannot listen.
  void start();
  // Closes every connection and joins the threads; idempotent. Device answers that arrive later
  // are dropped.
  void stop();
  // The bound port (after start()).
  std::uint16_t port() const;
  // Connected event stream subscribers.
  std::size_t event_subscribers() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One HTTP/1.1 request from raw bytes with Beast's parser and the server's limits, as a
// connection would read it (the fuzz target's entry). nullopt when it is not a complete request;
// `error_status` is then 400, 413 (body over `body_limit`) or 431 (headers over `header_limit`),
// or 0 when the bytes are only incomplete.
std::optional<Request> parse_request(std::string_view bytes, std::size_t body_limit,
                                     std::size_t header_limit, unsigned& error_status);

}  // namespace tl::server::http
