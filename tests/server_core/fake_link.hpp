// The core over a fake world: datagrams it sends are kept, the clocks are set by the test, and
// the store's completions run when the test pumps them (a real SqliteStore in a temp directory).
#pragma once
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/core/core.hpp"
#include "server/store/sqlite_store.hpp"
#include "wire/coap/message.hpp"

namespace tl::server::core::test {

struct Sent {
  Peer peer;
  bool secure = false;
  std::vector<uint8_t> bytes;
  wire::coap::MessageView view() const { return *wire::coap::decode({bytes.data(), bytes.size()}); }
};

class FakeLink final : public Link {
 public:
  void send(const Peer& peer, bool secure, Bytes datagram) override {
    sent.push_back({peer, secure, {datagram.begin(), datagram.end()}});
  }
  uint64_t mono_ms() override { return mono; }
  TimeMs wall_ms() override { return wall; }
  void post(std::function<void()> task) override {
    std::lock_guard lock(mutex);
    posted.push_back(std::move(task));
  }
  // Runs what the store's writer posted back.
  void pump() {
    std::deque<std::function<void()>> tasks;
    {
      std::lock_guard lock(mutex);
      tasks.swap(posted);
    }
    for (auto& t : tasks) t();
  }

  std::vector<Sent> sent;
  uint64_t mono = 1'000'000;
  TimeMs wall = 1'700'000'000'000;
  std::mutex mutex;
  std::deque<std::function<void()>> posted;
};

class CoreRig {
 public:
  explicit CoreRig(CoreConfig config = {});
  ~CoreRig();

  // Hands the core a datagram from `peer` and lets the store commit what it wrote: the answers
  // that wait for durability are then in link.sent.
  void deliver(const Peer& peer, const wire::coap::MessageBuilder& b, bool secure = false, std::string_view identity = {});
  void deliver_raw(const Peer& peer, std::vector<uint8_t> bytes);
  void settle();  // flush, wait for the store, run the completions
  // The last datagram sent (and forget the others).
  Sent last();
  // Registers `endpoint` from `peer`: returns the Location's "rd/<id>" path.
  std::string register_device(const Peer& peer, const std::string& endpoint, uint32_t lifetime = 300,
                              std::string binding = "U");
  // An Update (no parameters) to the Location "rd/<id>" from `peer`, delivered.
  void update(const Peer& peer, const std::string& location);

  std::filesystem::path dir;
  FakeLink link;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<Core> core;
  uint16_t mid = 100;
};

Peer peer(uint8_t last, uint16_t port = 40000);

}  // namespace tl::server::core::test
