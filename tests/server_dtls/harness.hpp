// In-memory pipes between one DtlsServer and PskClients: the server's datagrams are queued per
// peer, the clients' are handed to the server at once. The clock is a plain number the test
// moves: nothing here waits.
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/dtls/dtls_server.hpp"
#include "server/dtls/psk_client.hpp"

namespace tl::server::dtls::test {

using Datagram = std::vector<uint8_t>;

inline Datagram bytes(std::string_view s) { return Datagram(s.begin(), s.end()); }
inline std::string text(Bytes b) { return std::string(b.begin(), b.end()); }
inline Peer peer(uint8_t host, uint16_t port = 40000) { return Peer::v4({10, 0, 0, host}, port); }

struct Event {
  enum Kind { handshake, record, closed } kind;
  Peer peer;
  std::string data;  // identity, plaintext, or the reason
};

class Harness : public Hooks {
 public:
  explicit Harness(Config config = {}) : server(with_entropy(std::move(config)), *this) {}

  // Hooks.
  void send(const Peer& p, Bytes d) override { to_client[p].emplace_back(d.begin(), d.end()); }
  std::optional<Psk> psk(Bytes identity) override {
    const auto it = keys.find(text(identity));
    if (it == keys.end()) return std::nullopt;
    return Psk::of(it->second);
  }
  void on_handshake(const Peer& p, std::string_view identity) override {
    events.push_back({Event::handshake, p, std::string(identity)});
  }
  void on_record(const Peer& p, std::string_view identity, Bytes plaintext) override {
    events.push_back({Event::record, p, std::string(identity) + ": " + text(plaintext)});
    if (echo) server.send(p, plaintext);
  }
  void on_closed(const Peer& p, Reason reason) override { events.push_back({Event::closed, p, to_string(reason)}); }
  uint64_t now_ms() override { return now; }

  // Moves datagrams both ways between the client and its peer address until nothing moves.
  void pump(PskClient& client, const Peer& p) {
    for (int round = 0; round < 50; ++round) {
      bool moved = false;
      auto out = std::move(client.outbox());
      client.outbox().clear();
      for (const auto& d : out) server.on_datagram(p, d, now), moved = true;
      auto in = std::move(to_client[p]);
      to_client[p].clear();
      for (const auto& d : in) client.deliver(d, now), moved = true;
      if (!moved) return;
    }
    ADD_FAILURE() << "datagrams still moving after 50 rounds";
  }

  // A full handshake: ClientHello, HelloVerifyRequest, ClientHello with the cookie, and on.
  PskClient::State connect(PskClient& client, const Peer& p) {
    client.step(now);
    pump(client, p);
    return client.state();
  }

  // The texts of events of one kind, in order.
  std::vector<std::string> all(Event::Kind kind) const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.kind == kind) out.push_back(e.data);
    }
    return out;
  }
  // The plaintexts the client received, as text; clears them.
  static std::vector<std::string> received(PskClient& client) {
    std::vector<std::string> out;
    for (const auto& d : client.received()) out.push_back(text(d));
    client.received().clear();
    return out;
  }

  uint64_t now = 1000;
  bool echo = false;
  std::map<std::string, Datagram> keys{{"dev-1", bytes("0123456789abcdef")},
                                       {"dev-2", bytes("fedcba9876543210")},
                                       {"dev-3", bytes("0011223344556677")}};
  std::unordered_map<Peer, std::vector<Datagram>> to_client;
  std::vector<Event> events;
  DtlsServer server;

 private:
  // Deterministic: a failing run repeats.
  static Config with_entropy(Config c) {
    c.entropy = [state = uint64_t(7)](std::span<uint8_t> out) mutable {
      for (auto& b : out) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        b = uint8_t(state >> 56);
      }
      return true;
    };
    return c;
  }
};

inline PskClient::Options fast(uint64_t seed = 1) {
  PskClient::Options o;
  o.seed = seed;
  return o;
}

}  // namespace tl::server::dtls::test
