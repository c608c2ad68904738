// Arbitrary bytes as one HTTP/1.1 request: Beast's parser with the server's limits
// (http::parse_request), then the REST API's router over a ServerApi with one device whose
// requests are answered at once, and a store that holds nothing. No sockets, no threads: every
// response must be given before handle() returns, as a JSON body unless it is /metrics or the
// event stream. Bearer token checks are fuzzed apart (TokenStore::verify) so that the routes
// behind them are reached.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "null_store.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"
#include "server/http/tokens.hpp"
#include "server/metrics/registry.hpp"

namespace {

using namespace tl::server;

// Reads answer with a little, so that the routes that format stored data run.
class Store final : public fuzz::NullStore {
 public:
  std::vector<store::Sample> latest_values(store::DeviceId, store::Path) const override {
    return {{1, store::Path::of(3, 3, 0, 0), 5, store::Value{std::string("x")}}};
  }
  std::vector<store::Sample> series(const store::SeriesQuery& q) const override {
    return {{1, q.path, 5, store::Value{1.5}}};
  }
  std::optional<store::PendingRequest> request(store::RequestId id) const override {
    if (id != 1) return std::nullopt;
    return store::PendingRequest{};
  }
  std::optional<store::BootstrapConfig> bootstrap_config(std::string_view ep) const override {
    if (ep != "dev") return std::nullopt;
    return store::BootstrapConfig{"dev", "{\"servers\":[]}", 1};
  }
};

class ImmediateApi final : public core::ServerApi {
 public:
  explicit ImmediateApi(store::Store& store) : store_(store) {
    device_.device = 1;
    device_.endpoint = "dev";
    device_.object_links = "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>;ver=1.1,</3303/0>,</33650>";
  }
  std::vector<core::DeviceInfo> devices(const core::DeviceQuery&) override { return {device_}; }
  std::optional<core::DeviceInfo> device(std::string_view endpoint) override {
    if (endpoint != device_.endpoint) return std::nullopt;
    return device_;
  }
  std::size_t device_count() override { return 1; }
  void request(std::string_view, core::DeviceRequest request, core::OutcomeCallback done) override {
    core::Outcome outcome;
    // The path's last id picks the outcome, so every branch is reachable.
    const int depth = request.path.depth();
    const unsigned pick = depth > 0 ? request.path.id(depth - 1) % 8u : 0u;
    outcome.status = pick < 7 ? static_cast<core::OutcomeStatus>(pick) : core::OutcomeStatus::done;
    outcome.coap_code = pick == 7 ? 0x84 : 0x45;
    outcome.values = std::move(request.values);
    outcome.values.push_back({1, request.path, 0, store::Value{std::int64_t{7}}});
    outcome.link_format = "</3/0>;pmin=1,</3/0/1>";
    done(std::move(outcome));
  }
  std::vector<store::PendingRequest> pending_requests(std::string_view) override { return {}; }
  std::unique_ptr<core::Subscription> subscribe(std::function<void(const core::Event&)>) override {
    return nullptr;
  }
  store::Store& storage() override { return store_; }

 private:
  store::Store& store_;
  core::DeviceInfo device_;
};

struct World {
  Store store;
  ImmediateApi api{store};
  http::TokenStore tokens;
  metrics::Registry registry;
  http::Router router{api, tokens, registry, [](std::function<void()> fn) { fn(); },
                      http::RouterOptions{.require_auth = false}};
  World() { (void)tokens.add("fuzz"); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  unsigned error_status = 0;
  const auto request = http::parse_request(bytes, 4096, 8192, error_status);
  if (!request) {
    if (error_status != 0 && error_status != 400 && error_status != 413 && error_status != 431) {
      std::abort();
    }
    return 0;
  }
  (void)world.tokens.verify(request->authorization);
  bool responded = false;
  world.router.handle(*request, [&](http::Response response) {
    if (responded) std::abort();  // exactly once
    responded = true;
    if (response.status < 200 || response.status > 599) std::abort();
    if (!response.event_stream && response.content_type == "application/json" &&
        nlohmann::json::parse(response.body, nullptr, false).is_discarded()) {
      std::abort();  // every JSON answer is valid JSON
    }
  });
  if (!responded) std::abort();
  return 0;
}
