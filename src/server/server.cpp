#include "server/server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "server/dtls/dtls_server.hpp"
#include "server/http/server.hpp"
#include "server/http/tokens.hpp"
#include "server/metrics/registry.hpp"
#include "server/store/hex.hpp"
#include "server/store/sqlite_store.hpp"
#include "server/udp_endpoint.hpp"

namespace tl::server {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

uint64_t mono_now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count());
}

core::TimeMs wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::vector<PskEntry> read_psk_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open the PSK file; check the path given to --psk-file");
  std::vector<PskEntry> out;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t comma = line.find(',');
    const std::string where = file.string() + ":" + std::to_string(n) + ": ";
    if (comma == std::string::npos || comma == 0) throw std::runtime_error(where + "expected 'identity,hexkey'");
    const size_t second = line.find(',', comma + 1);
    const std::string hex = line.substr(comma + 1, second == std::string::npos ? std::string::npos : second - comma - 1);
    const std::string identity = line.substr(0, comma);
    std::string endpoint = second == std::string::npos ? identity : line.substr(second + 1);
    if (endpoint.empty()) throw std::runtime_error(where + "the endpoint after the key is empty");
    std::vector<uint8_t> key;
    if (hex.empty() || hex.size() % 2 != 0 || hex.size() > 64) throw std::runtime_error(where + "the key must be 1 to 32 bytes in hex");
    if (!store::from_hex(hex, key)) throw std::runtime_error(where + "the key is not hexadecimal");
    out.push_back({identity, std::move(key), std::move(endpoint)});
  }
  return out;
}

struct Server::Impl final : core::Link, dtls::Hooks, core::ServerApi {
  explicit Impl(ServerConfig c)
      : config(with_identities(std::move(c))),
        store(store::SqliteOptions{.data_dir = config.data_dir}),
        core(config.core, *this, store),
        timer(io),
        tokens(config.data_dir) {
    register_metrics();
    if (config.http) {
      http::HttpOptions options;
      options.bind_address = config.bind;
      options.port = config.http_port;
      http_server = std::make_unique<http::HttpServer>(*this, tokens, registry, options);
    }
    if (!config.psk_file.empty()) {
      for (PskEntry& e : read_psk_file(config.psk_file)) {
        if (auto psk_value = dtls::Psk::of(e.key)) keys[e.identity] = *psk_value;
        endpoints[e.identity] = std::move(e.endpoint);
      }
    }
    if (config.coap) {
      plain = std::make_unique<UdpEndpoint>(
          io, config.bind, config.coap_port,
          [this](const dtls::Peer& p, std::span<const uint8_t> d) {
            if (core.admit(p)) core.on_datagram(p, d, false, {});
          },
          [this] { schedule(); });
    }
    if (config.coaps) {
      dtls::Config dc;
      dc.idle_ms = config.dtls_idle_ms;
      dc.max_live = config.dtls_max_live;
      secure_sessions = std::make_unique<dtls::DtlsServer>(dc, *this);
      secure = std::make_unique<UdpEndpoint>(
          io, config.bind, config.coaps_port,
          [this](const dtls::Peer& p, std::span<const uint8_t> d) {
            if (core.admit(p)) secure_sessions->on_datagram(p, d, mono_now());
          },
          [this] { schedule(); });
    }
  }

  // Identities registering as another endpoint name come from the PSK file, read in the
  // constructor body: the core asks through this map.
  ServerConfig with_identities(ServerConfig c) {
    c.core.on_request_done = [this](double seconds) { request_seconds->observe(seconds); };
    c.core.endpoint_of_identity = [this](std::string_view identity) {
      auto it = endpoints.find(std::string(identity));
      return it != endpoints.end() ? it->second : std::string(identity);
    };
    return c;
  }

  // core::Link
  void send(const dtls::Peer& peer, bool over_dtls, core::Bytes datagram) override {
    if (over_dtls) {
      if (secure_sessions) (void)secure_sessions->send(peer, datagram);
    } else if (plain) {
      plain->send(peer, datagram);
    }
  }
  uint64_t mono_ms() override { return mono_now(); }
  core::TimeMs wall_ms() override { return wall_now(); }
  void post(std::function<void()> task) override {
    asio::post(io, [this, task = std::move(task)] {
      task();
      schedule();
    });
  }

  // dtls::Hooks
  void send(const dtls::Peer& peer, dtls::Bytes datagram) override {
    if (secure) secure->send(peer, datagram);
  }
  std::optional<dtls::Psk> psk(dtls::Bytes identity) override {
    const std::string id(reinterpret_cast<const char*>(identity.data()), identity.size());
    if (auto it = keys.find(id); it != keys.end()) return it->second;
    return bootstrap_key(id);
  }
  // A key the bootstrap server handed out: the configuration of the identity's endpoint holds
  // it (the REST API generates one per device). Handshakes are rare next to records: a store
  // read each is fine.
  std::optional<dtls::Psk> bootstrap_key(const std::string& identity) {
    try {
      const auto stored = store.bootstrap_config(config.core.endpoint_of_identity(identity));
      if (!stored) return std::nullopt;
      const auto parsed = nlohmann::json::parse(stored->config_json);  // outlives the loop below
      for (const auto& s : parsed.at("servers")) {
        if (s.value("psk_identity", std::string()) != identity) continue;
        std::vector<uint8_t> key;
        if (!store::from_hex(s.at("psk").get<std::string>(), key)) return std::nullopt;
        return dtls::Psk::of(key);
      }
    } catch (const std::exception&) {
      // A malformed configuration gives no key: the handshake fails as for an unknown identity.
    }
    return std::nullopt;
  }
  void on_handshake(const dtls::Peer&, std::string_view) override {}
  void on_record(const dtls::Peer& peer, std::string_view identity, dtls::Bytes plaintext) override {
    core.on_datagram(peer, plaintext, true, identity);
  }
  void on_closed(const dtls::Peer&, dtls::Reason) override {}
  uint64_t now_ms() override { return mono_now(); }

  // core::ServerApi: snapshots run on the network thread; the caller waits.
  template <class F>
  auto on_network(F&& f) {
    if (running_on_network()) return f();
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto result = task.get_future();
    asio::post(io, [&task] { task(); });
    return result.get();
  }
  bool running_on_network() const { return network_thread == std::this_thread::get_id(); }

  std::vector<core::DeviceInfo> devices(const core::DeviceQuery& q) override {
    return on_network([&] { return core.devices(q); });
  }
  std::optional<core::DeviceInfo> device(std::string_view endpoint) override {
    return on_network([&] { return core.device(endpoint); });
  }
  size_t device_count() override {
    return on_network([&] { return core.device_count(); });
  }
  void request(std::string_view endpoint, core::DeviceRequest r, core::OutcomeCallback done) override {
    asio::post(io, [this, ep = std::string(endpoint), r = std::move(r), done = std::move(done)]() mutable {
      core.request(ep, std::move(r), std::move(done));
      schedule();
    });
  }
  std::vector<store::PendingRequest> pending_requests(std::string_view endpoint) override {
    return on_network([&] { return core.pending_requests(endpoint); });
  }
  std::unique_ptr<core::Subscription> subscribe(std::function<void(const core::Event&)> on_event) override {
    return core.events().subscribe(std::move(on_event));
  }
  store::Store& storage() override { return store; }

  // The families of /metrics. Counters follow the core's own (read on the network thread, at
  // most once a second: publish_metrics); gauges that need the registry are computed per scrape.
  void register_metrics() {
    messages_in = &registry.counter("tl_messages_total", "CoAP datagrams, both directions", {{"direction", "in"}});
    messages_out = &registry.counter("tl_messages_total", "CoAP datagrams, both directions", {{"direction", "out"}});
    retransmissions = &registry.counter("tl_retransmissions_total", "Requests to devices sent again");
    registrations = &registry.counter("tl_registrations_total", "Register operations accepted");
    values_stored = &registry.counter("tl_values_stored_total", "Values of notifications and Sends stored (durable)");
    reports_shed = &registry.counter("tl_reports_shed_total", "Sends and notifications refused while the store was behind");
    rate_limited = &registry.counter("tl_rate_limited_total", "Datagrams dropped by the per-address limit");
    handshakes_ok = &registry.counter("tl_dtls_handshakes_total", "DTLS handshakes", {{"result", "ok"}});
    handshakes_failed = &registry.counter("tl_dtls_handshakes_total", "DTLS handshakes", {{"result", "failed"}});
    request_seconds = &registry.histogram("tl_request_duration_seconds", "Requests to devices, sent to answered",
                                          metrics::latency_buckets());
    registry.gauge_callback("tl_devices", "Registered devices by state", {{"state", "registered"}},
                            [this] { return static_cast<double>(snapshot().devices); });
    registry.gauge_callback("tl_devices", "Registered devices by state", {{"state", "sleeping"}},
                            [this] { return static_cast<double>(on_network([this] { return core.sleeping_count(); })); });
    registry.gauge_callback("tl_store_backlog", "Writes handed to the store, not yet durable", {},
                            [this] { return static_cast<double>(snapshot().stats.store_backlog); });
    registry.gauge_callback("tl_requests_queued", "Requests waiting for sleeping devices", {},
                            [this] { return static_cast<double>(snapshot().stats.requests_queued); });
    registry.gauge_callback("tl_dtls_sessions", "DTLS sessions", {{"state", "live"}},
                            [this] { return static_cast<double>(snapshot().dtls.live); });
    registry.gauge_callback("tl_dtls_sessions", "DTLS sessions", {{"state", "saved"}},
                            [this] { return static_cast<double>(snapshot().dtls.saved); });
  }

  struct Snapshot {
    core::CoreStats stats;
    dtls::Stats dtls;
    size_t devices = 0;
  };
  Snapshot snapshot() {
    std::lock_guard lock(snapshot_mutex);
    return last_snapshot;
  }
  void publish_metrics(uint64_t now) {
    if (now < next_publish_ms) return;
    next_publish_ms = now + 1000;
    Snapshot s{core.stats(), secure_sessions ? secure_sessions->stats() : dtls::Stats{}, core.device_count()};
    Snapshot before = snapshot();
    messages_in->inc(s.stats.datagrams_in - before.stats.datagrams_in);
    messages_out->inc(s.stats.datagrams_out - before.stats.datagrams_out);
    retransmissions->inc(s.stats.retransmissions - before.stats.retransmissions);
    registrations->inc(s.stats.registrations - before.stats.registrations);
    values_stored->inc(s.stats.values_stored - before.stats.values_stored);
    reports_shed->inc(s.stats.reports_shed - before.stats.reports_shed);
    rate_limited->inc(s.stats.rate_limited - before.stats.rate_limited);
    handshakes_ok->inc(s.dtls.handshakes_ok - before.dtls.handshakes_ok);
    handshakes_failed->inc(s.dtls.handshakes_failed - before.dtls.handshakes_failed);
    std::lock_guard lock(snapshot_mutex);
    last_snapshot = s;
  }

  // Runs the timers of the core and the DTLS sessions, and arms the one asio timer for the
  // earliest next deadline.
  void schedule() {
    uint64_t next = core.poll();
    if (secure_sessions) {
      secure_sessions->poll(mono_now());
      next = std::min(next, secure_sessions->next_deadline());
    }
    const uint64_t now = mono_now();
    publish_metrics(now);
    next = std::min(next, next_publish_ms);
    const uint64_t wait = next == UINT64_MAX ? 1000 : (next > now ? std::min<uint64_t>(next - now, 1000) : 0);
    if (armed_until != 0 && armed_until <= now + wait) return;
    armed_until = now + wait;
    timer.expires_after(std::chrono::milliseconds(wait));
    timer.async_wait([this](const boost::system::error_code& ec) {
      armed_until = 0;
      if (!ec) schedule();
    });
  }

  ServerConfig config;
  asio::io_context io;
  store::SqliteStore store;
  core::Core core;
  asio::steady_timer timer;
  uint64_t armed_until = 0;
  std::unordered_map<std::string, dtls::Psk> keys;
  std::unordered_map<std::string, std::string> endpoints;  // PSK identity -> endpoint
  std::unique_ptr<UdpEndpoint> plain;
  std::unique_ptr<dtls::DtlsServer> secure_sessions;
  std::unique_ptr<UdpEndpoint> secure;
  metrics::Registry registry;
  metrics::Counter* messages_in = nullptr;
  metrics::Counter* messages_out = nullptr;
  metrics::Counter* retransmissions = nullptr;
  metrics::Counter* registrations = nullptr;
  metrics::Counter* values_stored = nullptr;
  metrics::Counter* reports_shed = nullptr;
  metrics::Counter* rate_limited = nullptr;
  metrics::Counter* handshakes_ok = nullptr;
  metrics::Counter* handshakes_failed = nullptr;
  metrics::Histogram* request_seconds = nullptr;
  std::mutex snapshot_mutex;
  Snapshot last_snapshot;
  uint64_t next_publish_ms = 0;
  http::TokenStore tokens;
  std::unique_ptr<http::HttpServer> http_server;
  std::thread thread;
  std::thread::id network_thread;
  std::once_flag stopped;
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) { loaded_ = impl_->core.load(); }

Server::~Server() { stop(); }

void Server::start() {
  Impl& i = *impl_;
  i.thread = std::thread([&i] {
    i.network_thread = std::this_thread::get_id();
    i.schedule();
    i.io.run();
  });
  if (i.http_server) i.http_server->start();
}

void Server::stop() {
  std::call_once(impl_->stopped, [this] {
    Impl& i = *impl_;
    if (i.http_server) i.http_server->stop();
    if (i.thread.joinable()) {
      asio::post(i.io, [&i] {
        i.core.flush();
        if (i.plain) i.plain->close();
        if (i.secure) i.secure->close();
        i.timer.cancel();
      });
      // Completions of the last batch are posted back; give them a moment, then stop.
      i.store.flush();
      asio::post(i.io, [&i] { i.io.stop(); });
      i.thread.join();
    }
    i.store.flush();
  });
}

std::string Server::stats_json() {
  Impl& i = *impl_;
  return i.on_network([&i] {
    const core::CoreStats s = i.core.stats();
    std::string out = "{\"devices\":" + std::to_string(i.core.device_count());
    const auto field = [&out](const char* name, uint64_t v) { out += ",\"" + std::string(name) + "\":" + std::to_string(v); };
    field("datagrams_in", s.datagrams_in);
    field("datagrams_out", s.datagrams_out);
    field("malformed", s.malformed);
    field("duplicates", s.duplicates);
    field("rate_limited", s.rate_limited);
    field("retransmissions", s.retransmissions);
    field("registrations", s.registrations);
    field("updates", s.updates);
    field("deregistrations", s.deregistrations);
    field("expirations", s.expirations);
    field("notifications", s.notifications);
    field("sends", s.sends);
    field("values_stored", s.values_stored);
    field("notifications_stored", s.notifications_stored);
    field("reports_shed", s.reports_shed);
    field("store_backlog", s.store_backlog);
    field("store_failures", s.store_failures);
    field("requests_done", s.requests_done);
    field("requests_timeout", s.requests_timeout);
    field("requests_queued", s.requests_queued);
    if (i.secure_sessions) {
      const dtls::Stats d = i.secure_sessions->stats();
      field("dtls_live", d.live);
      field("dtls_saved", d.saved);
      field("dtls_saved_bytes", d.saved_bytes);
      field("dtls_handshakes_ok", d.handshakes_ok);
      field("dtls_handshakes_failed", d.handshakes_failed);
    }
    return out + "}";
  });
}

uint16_t Server::coap_port() const { return impl_->plain ? impl_->plain->port() : 0; }
uint16_t Server::coaps_port() const { return impl_->secure ? impl_->secure->port() : 0; }
uint16_t Server::http_port() const { return impl_->http_server ? impl_->http_server->port() : 0; }
core::ServerApi& Server::api() { return *impl_; }

}  // namespace tl::server
