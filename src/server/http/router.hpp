// The REST API without sockets: a parsed request in, a response out (at once, or later once the
// device has answered). HttpServer feeds it from Beast; the fuzz target and tests call it directly.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/core/api.hpp"
#include "server/http/nodes.hpp"
#include "server/http/tokens.hpp"
#include "server/metrics/registry.hpp"

namespace tl::server::http {

struct Request {
  std::string method;         // "GET", "PUT", ...
  std::string target;         // "/api/clients?limit=10"
  std::string authorization;  // the Authorization header, "" when absent
  std::string content_type;   // the Content-Type header, "" when absent
  std::string body;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // GET /api/event: the connection becomes a Server-Sent Events stream (HttpServer's part).
  bool event_stream = false;
  std::string event_endpoint;  // ?ep=: only this device's events; "" for all
};

using Respond = std::function<void(Response)>;
// Runs a closure on the HTTP layer's threads. The ServerApi calls back on the core's network
// thread; the router hands everything that follows to `post` and returns at once.
using Post = std::function<void(std::function<void()>)>;

struct RouterOptions {
  bool require_auth = true;            // false: every route open (tests of the routes only)
  std::uint32_t default_timeout_s = 5; // device requests without ?timeout=
  std::uint32_t max_timeout_s = 300;
  std::size_t max_page = 1000;         // ?limit= of /api/clients
};

// {"error": ..., "hint": ...} with that status.
Response error_response(unsigned status, std::string_view error, std::string_view hint = {});

class Router {
 public:
  Router(core::ServerApi& api, const TokenStore& tokens, metrics::Registry& registry, Post post,
         RouterOptions options = {});

  // Calls `respond` exactly once: before returning, or later from a closure given to `post`.
  // Never throws; counts the response in the HTTP metrics.
  void handle(const Request& request, Respond respond);

  // Counts a response made outside handle() (the server's 400 and 413 for unparsable requests).
  void count(unsigned status, double seconds);

 private:
  struct Context;
  void route(const std::shared_ptr<Context>& ctx);
  void clients(const std::shared_ptr<Context>& ctx, const std::vector<std::string>& segments);
  void device_route(const std::shared_ptr<Context>& ctx, const std::vector<std::string>& segments);
  void device_request(const std::shared_ptr<Context>& ctx, const std::string& endpoint,
                      core::DeviceRequest request, std::string action);
  void finish(const std::shared_ptr<Context>& ctx, const std::string& endpoint,
              core::Operation op, store::Path path, std::uint32_t timeout_s,
              const std::string& action, const core::Outcome& outcome);
  void bootstrap(const std::shared_ptr<Context>& ctx, const std::vector<std::string>& segments);
  void audit(const std::string& actor, std::string action, std::string detail);

  core::ServerApi& api_;
  const TokenStore& tokens_;
  metrics::Registry& registry_;
  Post post_;
  RouterOptions options_;
  metrics::Histogram& duration_;
  std::vector<std::pair<unsigned, metrics::Counter*>> by_code_;
  metrics::Counter* other_code_ = nullptr;
};

// Event stream pieces, shared by HttpServer and the tests.
// REGISTRATION, UPDATED, DEREGISTRATION, EXPIRED, NOTIFICATION, SEND, SLEEPING, AWAKE, REQUEST.
std::string_view event_name(core::EventKind kind);
// The event's data line (one line of JSON). `device`: the registration, when known.
std::string event_data(const core::Event& event, const core::DeviceInfo* device);
// Leshan's registration shape.
Json registration_json(const core::DeviceInfo& device);
// ISO 8601, UTC, milliseconds: "2026-11-22T06:07:09.123Z".
std::string iso_time(store::TimeMs ms);

}  // namespace tl::server::http
