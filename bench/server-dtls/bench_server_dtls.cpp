// DtlsServer on one core: handshakes per second, records decrypted per second for one session
// and for 10,000 sessions round-robin with max_live below that (every record restores one
// saved session and saves another), records encrypted per second, and the memory of a saved
// and of a live session. Clients are in-process PskClients; only time spent inside the server
// is counted. Prints `figure: value unit` lines.
#include <malloc.h>
#include <time.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "server/dtls/dtls_server.hpp"
#include "server/dtls/psk_client.hpp"

namespace {

using namespace tl::server::dtls;
using Datagram = std::vector<uint8_t>;

const Datagram kKey = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
// A typical notification: CoAP header, token, options and a small SenML-CBOR payload.
const Datagram kNotification(64, 0x5a);

Peer peer_of(uint32_t i) { return Peer::v4({10, uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)}, 5684); }

struct BenchHooks final : Hooks {
  void send(const Peer&, Bytes d) override {
    if (sink != nullptr) sink->emplace_back(d.begin(), d.end());
  }
  std::optional<Psk> psk(Bytes) override { return Psk::of(kKey); }
  void on_handshake(const Peer&, std::string_view) override {}
  void on_record(const Peer&, std::string_view, Bytes) override { ++records; }
  void on_closed(const Peer&, Reason) override { ++closed; }
  uint64_t now_ms() override { return now; }

  std::vector<Datagram>* sink = nullptr;
  uint64_t records = 0, closed = 0, now = 1000;
};

// CPU time of this thread spent in the server only: the machine is shared, so wall time would
// count other processes' turns on the core.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

struct Meter {
  double seconds = 0;
  template <class F>
  void run(F f) {
    const double start = cpu_seconds();
    f();
    seconds += cpu_seconds() - start;
  }
};

void figure(const char* name, double value, const char* unit) { std::printf("%s: %.0f %s\n", name, value, unit); }

size_t heap_in_use() { return mallinfo2().uordblks; }

class Bench {
 public:
  explicit Bench(uint32_t max_live) : server_(config(max_live), hooks_) {}

  // Handshake and one record (so that the session can be saved), then the client is suspended.
  std::unique_ptr<PskClient> connect(uint32_t i, Meter& meter) {
    PskClient::Options o;
    o.seed = i + 1;
    auto client = std::make_unique<PskClient>("dev-" + std::to_string(i), kKey, o);
    client->step(hooks_.now);
    std::vector<Datagram> to_client;
    hooks_.sink = &to_client;
    for (int round = 0; round < 10 && client->state() == PskClient::State::connecting; ++round) {
      auto out = std::move(client->outbox());
      client->outbox().clear();
      meter.run([&] {
        for (const auto& d : out) server_.on_datagram(peer_of(i), d, hooks_.now);
      });
      auto in = std::move(to_client);
      to_client.clear();
      for (const auto& d : in) client->deliver(d, hooks_.now);
    }
    hooks_.sink = nullptr;
    client->send(kNotification);
    server_.on_datagram(peer_of(i), client->outbox().back(), hooks_.now);
    client->outbox().clear();
    return client;
  }

  // `count` records from the client, not yet delivered.
  static std::vector<Datagram> records(PskClient& client, size_t count) {
    std::vector<Datagram> out;
    for (size_t k = 0; k < count; ++k) {
      client.send(kNotification);
      out.push_back(std::move(client.outbox().back()));
      client.outbox().clear();
    }
    return out;
  }

  DtlsServer& server() { return server_; }
  BenchHooks& hooks() { return hooks_; }

 private:
  static Config config(uint32_t max_live) {
    Config c;
    c.max_live = max_live;
    c.idle_ms = 60000;
    c.max_handshakes = 1024;
    return c;
  }
  BenchHooks hooks_;
  DtlsServer server_;
};

void one_session() {
  Bench b(16);
  Meter setup;
  auto client = b.connect(0, setup);
  const auto recs = Bench::records(*client, 200000);
  Meter m;
  m.run([&] {
    for (const auto& d : recs) b.server().on_datagram(peer_of(0), d, 2000);
  });
  if (b.hooks().records != recs.size() + 1) std::fprintf(stderr, "lost records\n");
  figure("records decrypted per second, 1 session", double(recs.size()) / m.seconds, "records/s");
  Meter out;
  out.run([&] {
    for (size_t k = 0; k < 200000; ++k) b.server().send(peer_of(0), kNotification);
  });
  figure("records encrypted per second, 1 session", 200000 / out.seconds, "records/s");
}

void many_sessions() {
  constexpr uint32_t kSessions = 10000, kMaxLive = 1000, kRounds = 5;
  Bench b(kMaxLive);
  std::vector<std::unique_ptr<PskClient>> clients;
  Meter handshakes;
  for (uint32_t i = 0; i < kSessions; ++i) {
    clients.push_back(b.connect(i, handshakes));
    clients.back()->suspend();
  }
  figure("handshakes per second (server side, cookie exchange included)", kSessions / handshakes.seconds,
         "handshakes/s");
  std::vector<std::vector<Datagram>> recs;
  for (auto& c : clients) {
    recs.push_back(Bench::records(*c, kRounds));
    c->suspend();
  }
  const uint64_t before = b.hooks().records;
  Meter m;
  m.run([&] {
    for (uint32_t r = 0; r < kRounds; ++r) {
      for (uint32_t i = 0; i < kSessions; ++i) b.server().on_datagram(peer_of(i), recs[i][r], 3000);
    }
  });
  if (b.hooks().records - before != uint64_t(kSessions) * kRounds) std::fprintf(stderr, "lost records\n");
  figure("records decrypted per second, 10000 sessions round-robin, max_live 1000 (save+load each)",
         double(kSessions) * kRounds / m.seconds, "records/s");

  // Everyone idle: all saved. Then the first 1000 brought back by a send (restore, encrypt)
  // and saved again by the idle timer, timed apart; the heap they hold while live is weighed.
  b.server().poll(3000 + 60000);
  const Stats s = b.server().stats();
  const double blob = double(s.saved_bytes) / double(s.saved);
  void* probe = std::malloc(size_t(blob));
  const size_t chunk = malloc_usable_size(probe) + sizeof(size_t);  // glibc: usable + size word
  std::free(probe);
  const size_t heap_saved = heap_in_use();
  Meter restore;
  restore.run([&] {
    for (uint32_t i = 0; i < kMaxLive; ++i) b.server().send(peer_of(i), kNotification);
  });
  const size_t heap_live = heap_in_use();
  Meter save;
  save.run([&] { b.server().poll(3000 + 2 * 60000); });
  figure("session restores per second (context load + one record encrypted)", kMaxLive / restore.seconds,
         "restores/s");
  figure("session saves per second (context save, context reset for reuse)", kMaxLive / save.seconds, "saves/s");
  figure("saved session blob (mbedTLS context save + identity)", blob, "B");
  figure("saved session heap chunk (blob in a malloc chunk)", double(chunk), "B");
  figure("peer table per session at 10000 sessions", double(s.table_bytes) / double(s.saved), "B");
  figure("peer table per session at 1000000 sessions (2^21 slots of 32 B)", (double(1u << 21) * 32) / 1e6, "B");
  figure("bytes per saved session at 1000000 sessions (chunk + table)", double(chunk) + (double(1u << 21) * 32) / 1e6,
         "B");
  figure("heap per live session (context, buffers, transform)", double(heap_live - heap_saved) / kMaxLive, "B");
}

void handshake_flood() {
  Bench b(16);
  PskClient::Options o;
  PskClient c("dev-x", kKey, o);
  c.step(0);
  const Datagram hello = c.outbox().at(0);
  Meter m;
  m.run([&] {
    for (uint32_t i = 0; i < 200000; ++i) b.server().on_datagram(peer_of(i), hello, 1000);
  });
  figure("cookieless ClientHellos answered per second (HelloVerifyRequest)", 200000 / m.seconds, "hellos/s");
}

}  // namespace

int main() {
  one_session();
  handshake_flood();
  many_sessions();
  return 0;
}
