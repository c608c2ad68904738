// Arbitrary datagrams into a DtlsServer that already holds one established session (an
// in-process PskClient did the handshake and sent a record, so the session can be saved): raw
// datagrams from that peer and from strangers, genuine records and ClientHellos with bytes
// flipped, clock jumps (idle saves), sends and closes. It must never crash, and the numbers of
// live sessions and handshakes must stay within the configured bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "server/dtls/dtls_server.hpp"
#include "server/dtls/psk_client.hpp"

namespace {

using namespace tl::server::dtls;
using Datagram = std::vector<uint8_t>;

const Datagram kKey = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
const Peer kDevice = Peer::v4({10, 0, 0, 1}, 5684);
const Peer kStranger = Peer::v4({10, 0, 0, 2}, 5684);
const Peer kStranger6 = Peer::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, 5684);

struct FuzzHooks final : Hooks {
  void send(const Peer& peer, Bytes d) override {
    if (peer == kDevice) to_device.emplace_back(d.begin(), d.end());
  }
  std::optional<Psk> psk(Bytes identity) override {
    if (identity.size() == 5 && identity[0] == 'd') return Psk::of(kKey);
    return std::nullopt;
  }
  void on_handshake(const Peer&, std::string_view) override {}
  void on_record(const Peer&, std::string_view, Bytes) override {}
  void on_closed(const Peer&, Reason) override {}
  uint64_t now_ms() override { return now; }

  uint64_t now = 1000;
  std::vector<Datagram> to_device;
};

Config config() {
  Config c;
  c.idle_ms = 1000;
  c.max_live = 1;
  c.max_handshakes = 2;
  c.spare_contexts = 1;
  c.entropy = [state = uint64_t(99)](std::span<uint8_t> out) mutable {
    for (auto& b : out) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      b = uint8_t(state >> 56);
    }
    return true;
  };
  return c;
}

// Client and server talk until neither has anything to say.
void pump(PskClient& client, DtlsServer& server, FuzzHooks& hooks) {
  for (int round = 0; round < 20; ++round) {
    auto out = std::move(client.outbox());
    client.outbox().clear();
    for (const auto& d : out) server.on_datagram(kDevice, d, hooks.now);
    auto in = std::move(hooks.to_device);
    hooks.to_device.clear();
    for (const auto& d : in) client.deliver(d, hooks.now);
    if (out.empty() && in.empty()) return;
  }
}

Datagram flipped(Datagram d, const uint8_t* mask, size_t size) {
  for (size_t i = 0; i < size && !d.empty(); ++i) d[i % d.size()] ^= mask[i];
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzHooks hooks;
  DtlsServer server(config(), hooks);
  PskClient client("dev-1", kKey);
  client.step(hooks.now);
  pump(client, server, hooks);
  if (client.state() != PskClient::State::ready || !client.send(Datagram{'r', 'e', 'g'})) std::abort();
  pump(client, server, hooks);

  PskClient stranger("dev-2", kKey, PskClient::Options{{}, 1000, 8000, 5});
  stranger.step(0);
  const Datagram hello = stranger.outbox().at(0);

  // Operations: [op][length][length bytes], until the input runs out.
  while (size >= 2) {
    const uint8_t op = data[0];
    const size_t n = std::min<size_t>(data[1], size - 2);
    const uint8_t* arg = data + 2;
    data += 2 + n;
    size -= 2 + n;
    switch (op % 8) {
      case 0: server.on_datagram(kDevice, Bytes(arg, n), hooks.now); break;
      case 1: server.on_datagram(op & 8 ? kStranger6 : kStranger, Bytes(arg, n), hooks.now); break;
      case 2:
        if (client.send(Bytes(arg, n))) {
          const Datagram record = client.outbox().back();
          client.outbox().clear();
          server.on_datagram(kDevice, flipped(record, arg, n / 4), hooks.now);
        }
        break;
      case 3:
        hooks.now += uint64_t(n) * 100;
        server.poll(hooks.now);
        break;
      case 4: server.send(kDevice, Bytes(arg, n)); break;
      case 5: server.on_datagram(kStranger, flipped(hello, arg, n), hooks.now); break;
      case 6: pump(client, server, hooks); break;
      default:
        if (n == 0) server.close(kDevice);
        server.next_deadline();
        break;
    }
    const Stats s = server.stats();
    if (s.live > 1 || s.handshakes > 2) std::abort();  // the configured bounds
    if (s.live + s.saved + s.handshakes > 3) std::abort();
  }
  return 0;
}
