// A minimal LwM2M server for the load generator's tests, in a thread on 127.0.0.1: answers
// Register with 2.01 and Location-Path rd/<id>, Update with 2.04, sends an Observe GET of /33650
// to each newly registered endpoint, counts notifications, and decodes Sends to /dp.
#pragma once
#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "wire/coap/message.hpp"

namespace tl::sim::loadgen::test {

struct StubOptions {
  bool drop_first_register = false;  // ignore the first copy of every Register (forces a retransmission)
  bool observe = true;               // send an Observe GET after each registration
};

class StubServer {
 public:
  explicit StubServer(StubOptions options = {});
  ~StubServer();
  uint16_t port() const { return port_; }
  sockaddr_in address() const;

  std::atomic<uint64_t> registers{0};        // distinct Register requests answered
  std::atomic<uint64_t> dropped{0};          // first copies ignored
  std::atomic<uint64_t> duplicates{0};       // retransmitted Registers answered again
  std::atomic<uint64_t> updates{0};
  std::atomic<uint64_t> observe_answers{0};  // 2.05 piggybacked on the ACK of an Observe GET
  std::atomic<uint64_t> notifications{0};    // distinct notifications of known observations
  std::atomic<uint64_t> sends_valid{0};      // POST /dp with SenML-CBOR of /33650 records
  std::atomic<uint64_t> sends_invalid{0};
  std::vector<std::string> endpoints() const;

 private:
  void run();
  void handle(const uint8_t* data, size_t size, const sockaddr_in& from);
  void on_register(const wire::coap::MessageView& m, const sockaddr_in& from);
  void on_send(const wire::coap::MessageView& m, const sockaddr_in& from);
  void on_response(const wire::coap::MessageView& m, const sockaddr_in& from);
  void reply(const wire::coap::MessageBuilder& b, const sockaddr_in& to);
  void observe(const sockaddr_in& to);

  StubOptions options_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  uint16_t next_mid_ = 1;
  uint32_t next_id_ = 1;
  using Key = std::tuple<uint32_t, uint16_t, uint16_t>;  // address, port, message ID
  std::map<Key, std::pair<int, uint32_t>> registers_seen_;  // copies received, registration id
  std::set<Key> seen_;                                      // notifications and Sends counted
  std::set<uint64_t> observations_;                         // tokens of our Observe GETs
  mutable std::mutex mutex_;
  std::vector<std::string> endpoints_;
  std::thread thread_;
};

}  // namespace tl::sim::loadgen::test
