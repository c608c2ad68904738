// A small blocking CoAP responder over UDP, for trying the wire layer against other stacks.
// Resources:
//   GET  /hello              a short text
//   GET  /large              a generated body of `large_size` bytes, served with Block2
//   PUT  /store              stores the body (Block1 if it comes in blocks); GET returns it
//   GET  /obs                observable counter, notified every `observe_interval_ms`
//   GET  /.well-known/core   the list above in link format
// CON requests get piggybacked ACKs, NON requests NON responses. Retransmitted CONs get the
// cached response again (message-ID deduplication). Notifications are NON (every fifth CON) or
// all CON; CON ones are retransmitted, and an observer that never acknowledges is dropped.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "coaptool/msg.hpp"
#include "coaptool/udp.hpp"
#include "wire/coap/block.hpp"
#include "wire/coap/observe.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::coaptool {

struct ResponderConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 5683;  // 0: an ephemeral port (see Responder::port())
  size_t large_size = 3000;
  uint8_t max_szx = 6;  // largest block we serve or accept: 16 << max_szx bytes
  uint32_t observe_interval_ms = 1000;
  bool confirmable_notifications = false;
  size_t max_body = 64 * 1024;  // a larger PUT gets 4.13
  coap::TransmissionParams params{};
  std::function<void(const std::string&)> log;  // one line per event, when set
};

// The deterministic body of /large: "0000 tinyloop block-wise test line\n" style lines.
std::string large_body(size_t size);

class Responder {
 public:
  explicit Responder(ResponderConfig config);
  ~Responder();
  uint16_t port() const { return socket_.local_port(); }
  // Serves until `stop` becomes true (checked at least every 50 ms).
  void run(const std::atomic<bool>& stop);

 private:
  struct Observer;
  struct Upload;
  struct CachedReply;

  void handle(const Datagram& d);
  void handle_request(const Msg& req, const Endpoint& from);
  void handle_ack_or_rst(const Msg& m, const Endpoint& from);
  Msg respond_to(const Msg& req, const Endpoint& from);
  Msg get_blockwise(const Msg& req, const std::string& body, uint32_t content_format);
  Msg get_obs(const Msg& req, const Endpoint& from);
  Msg put_store(const Msg& req, const Endpoint& from);
  Msg well_known_core(const Msg& req);
  void send_reply(const Msg& req, Msg reply, const Endpoint& from);
  void notify_due(uint64_t now);
  void retransmit_due(uint64_t now);
  int next_wakeup_ms(uint64_t now) const;
  uint16_t next_mid() { return mid_++; }
  void log(const std::string& line) const;

  ResponderConfig config_;
  UdpSocket socket_;
  std::string large_;
  std::string stored_;
  uint16_t mid_;
  coap::DedupWindow<4096> dedup_;
  std::vector<CachedReply> cache_;
  uint16_t cache_next_ = 0;
  std::vector<std::unique_ptr<Observer>> observers_;
  std::map<uint32_t, std::unique_ptr<Upload>> uploads_;  // by peer id
  uint64_t next_notify_ms_ = 0;
  uint32_t obs_value_ = 0;
};

}  // namespace tl::coaptool
