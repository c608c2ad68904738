// libFuzzer: arbitrary datagrams from a few peers into the server's protocol core (plain and as
// if decrypted from DTLS), after one device registered. Every answer the core sends must decode
// as CoAP. The store keeps nothing and reports every batch durable.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "null_store.hpp"
#include "server/core/core.hpp"
#include "wire/coap/message.hpp"

namespace {

using namespace tl::server;

// The bootstrap sequence needs a configuration: one endpoint has one.
class Store final : public fuzz::NullStore {
 public:
  std::optional<store::BootstrapConfig> bootstrap_config(std::string_view endpoint) const override {
    if (endpoint != "bs-node") return std::nullopt;
    return store::BootstrapConfig{"bs-node",
                                  R"({"servers":[{"uri":"coap://127.0.0.1:5683","security_mode":"nosec",)"
                                  R"("short_server_id":1,"lifetime":60,"binding":"U"}]})",
                                  0};
  }
};

class Link final : public core::Link {
 public:
  void send(const core::Peer&, bool, core::Bytes datagram) override {
    if (!tl::wire::coap::decode(datagram)) __builtin_trap();  // the core only sends valid CoAP
  }
  uint64_t mono_ms() override { return mono; }
  core::TimeMs wall_ms() override { return 1'700'000'000'000 + static_cast<core::TimeMs>(mono); }
  void post(std::function<void()> task) override { posted.push_back(std::move(task)); }
  void pump() {
    while (!posted.empty()) {
      auto t = std::move(posted.front());
      posted.pop_front();
      t();
    }
  }
  uint64_t mono = 1000;
  std::deque<std::function<void()>> posted;
};

core::Peer peer_of(uint8_t b) { return core::Peer::v4({127, 0, 0, static_cast<uint8_t>(1 + (b & 3))}, 5683); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Link link;
  Store store;
  core::CoreConfig config;
  config.peer_rate = 0;
  config.dedup_entries = 64;  // small: a fresh core per input
  core::Core server(config, link, store);
  // One registered device so Updates, Sends and notifications reach their handlers.
  const uint8_t reg[] = {0x42, 0x02, 0x00, 0x01, 0xAA, 0xBB, 0xB2, 'r', 'd', 0x47, 'e', 'p', '=', 'n', 'o', 'd', 'e',
                         0x11, 0x28, 0xFF, '<', '/', '3', '/', '0', '>'};
  server.on_datagram(peer_of(0), {reg, sizeof(reg)}, false, {});
  server.flush();
  link.pump();
  // The input: records of [peer and flags][length][datagram].
  size_t at = 0;
  while (at + 2 <= size) {
    const uint8_t flags = data[at];
    const size_t n = std::min<size_t>(data[at + 1], size - at - 2);
    const tl::server::core::Bytes datagram{data + at + 2, n};
    at += 2 + n;
    if (!server.admit(peer_of(flags))) continue;
    server.on_datagram(peer_of(flags), datagram, (flags & 0x10) != 0, (flags & 0x20) != 0 ? "node" : "other");
    link.mono += (flags >> 6) * 500u;
    server.poll();
    server.flush();
    link.pump();
  }
  return 0;
}
