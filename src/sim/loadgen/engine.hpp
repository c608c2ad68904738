// The CoAP side of every virtual device, whatever carries the datagrams: Register, notifications
// and Send, their retransmission (RFC 7252 4.2), matching answers, and answering the server's
// requests (the Observe GET above all). Single-threaded; the network part feeds it datagrams and
// calls poll() for due retransmissions.
//
// Channels: a channel is one local address, with its own message-ID space. Plain CoAP shares a
// socket between many endpoints (as behind a NAT): channel = endpoint / per_channel, consecutive
// endpoints on one channel so that the network part can batch their datagrams. DTLS has one
// channel per endpoint. A request from the server on a shared channel cannot name its endpoint;
// an Observe GET goes to the first endpoint of that channel registered but not yet observed
// (servers observe in the order of the registrations they answered), or to the one already
// observed with that token.
#pragma once
#include <cstdint>
#include <array>
#include <functional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/loadgen/endpoint.hpp"
#include "sim/loadgen/stats.hpp"
#include "wire/coap/message.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::sim::loadgen {

struct EngineConfig {
  uint32_t devices = 1;
  uint32_t per_channel = 1;
  std::string prefix = "tl-lg-";   // endpoint i is named prefix + i
  uint32_t lifetime = 86400;
  bool answer_requests = true;     // false: a device that ignores the server (idle --silent)
  wire::coap::TransmissionParams transmission{};
};

class Engine {
 public:
  // Hands one datagram to the channel's transport.
  using Send = std::function<void(uint32_t channel, std::span<const uint8_t> datagram)>;

  Engine(const EngineConfig& config, Send send);

  uint32_t devices() const { return config_.devices; }
  uint32_t channels() const { return (config_.devices + config_.per_channel - 1) / config_.per_channel; }
  uint32_t channel_of(uint32_t endpoint) const { return endpoint / config_.per_channel; }
  std::string name(uint32_t endpoint) const { return config_.prefix + std::to_string(endpoint); }

  // CON Register of endpoint i.
  void start_register(uint32_t i, uint64_t now_us);
  // A notification of endpoint i's observation (which must exist), NON or CON.
  void notify(uint32_t i, bool confirmable, uint64_t now_us);
  // Send (POST /dp) of endpoint i, NON or CON.
  void send_data(uint32_t i, bool confirmable, uint64_t now_us);

  // One received datagram on `channel`.
  void on_datagram(uint32_t channel, std::span<const uint8_t> datagram, uint64_t now_us);
  // Retransmits or gives up what is due; returns the next deadline in microseconds (UINT64_MAX:
  // nothing waits).
  uint64_t poll(uint64_t now_us);

  size_t outstanding() const { return pending_.size(); }
  const Stats& stats(Kind k) const { return stats_[static_cast<size_t>(k)]; }
  const Endpoint& endpoint(uint32_t i) const { return endpoints_[i]; }
  uint32_t registered() const { return registered_; }
  // Observed endpoints, in the order the server observed them (again after a new Observe).
  const std::vector<uint32_t>& observed() const { return observed_; }
  uint64_t requests_answered() const { return requests_answered_; }

 private:
  struct Pending {
    std::vector<uint8_t> datagram;
    wire::coap::Retransmission rt;
    uint64_t first_us = 0;
    uint64_t token = 0;        // register / send: the request's token
    uint32_t endpoint = 0;
    uint16_t mid = 0;
    Kind kind = Kind::register_;
    bool waiting_separate = false;  // an Empty ACK came; the answer follows separately
  };
  struct Channel {
    uint16_t next_mid = 0;
    std::vector<uint32_t> awaiting;  // registered, not observed yet, in answer order
    size_t awaiting_head = 0;
  };

  uint16_t next_mid(uint32_t channel) { return channels_[channel].next_mid++; }
  static uint64_t mid_key(uint32_t channel, uint16_t mid) { return (uint64_t{channel} << 16) | mid; }
  void transmit_con(uint32_t i, Kind kind, uint16_t mid, uint64_t token, std::span<const uint8_t> datagram,
                    uint64_t now_us);
  void on_answer(uint32_t channel, const wire::coap::MessageView& m, uint64_t now_us);
  void on_separate_response(uint32_t channel, const wire::coap::MessageView& m, uint64_t now_us);
  void on_request(uint32_t channel, const wire::coap::MessageView& m);
  void complete(uint64_t id, const wire::coap::MessageView* answer, uint64_t now_us, bool reset);
  void registered(uint32_t i, const wire::coap::MessageView& answer);
  // The endpoint a server request on `channel` is for (see the header comment); UINT32_MAX if none.
  uint32_t target_of(uint32_t channel, uint64_t token, bool new_observation);
  void answer(uint32_t channel, const wire::coap::MessageView& request);
  void forget_observer(uint64_t token, uint32_t i);

  EngineConfig config_;
  Send send_;
  std::vector<Endpoint> endpoints_;
  std::vector<Channel> channels_;
  std::unordered_map<uint64_t, Pending> pending_;  // by id: the token (register, send) or a counter
  std::unordered_map<uint64_t, uint64_t> by_mid_;  // mid_key -> id, until the ACK
  using Timer = std::pair<uint64_t, uint64_t>;     // deadline (ms), id
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::array<Stats, kKinds> stats_{};
  std::vector<uint32_t> observed_;
  std::unordered_multimap<uint64_t, uint32_t> observers_;  // observation token -> endpoint
  uint32_t registered_ = 0;
  uint64_t next_id_ = 1;
  uint64_t requests_answered_ = 0;
  std::mt19937 random_{12345};
};

}  // namespace tl::sim::loadgen
