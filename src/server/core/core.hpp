// The LwM2M server's protocol core: registration interface, requests to devices, observations,
// Send, queue mode, lifetimes. It owns no socket, thread or clock: the caller (src/server's
// network thread) hands it datagrams and the time, and it answers through Link and Clock. Every
// call comes from that one thread; the store's completions come back through Clock::post.
//
// Acknowledged means durable: a Register, Update, De-register, Send or confirmable notification
// is answered only once the store has committed what it changed (group commit: many per
// transaction), so a restart loses nothing the devices were told was done.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/api.hpp"
#include "server/core/dedup.hpp"
#include "server/core/events.hpp"
#include "server/core/rate_limit.hpp"
#include "server/core/registry.hpp"
#include "server/store/store.hpp"
#include "wire/coap/message.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::server::core {

struct QueuedRequest;

using Bytes = std::span<const uint8_t>;

// How the core reaches the world.
class Link {
 public:
  virtual ~Link() = default;
  // One datagram to a device, over DTLS when `secure`.
  virtual void send(const Peer& peer, bool secure, Bytes datagram) = 0;
  // Monotonic and wall-clock milliseconds.
  virtual uint64_t mono_ms() = 0;
  virtual TimeMs wall_ms() = 0;
  // Runs `task` on the network thread later (from any thread): the store's completions.
  virtual void post(std::function<void()> task) = 0;
};

struct CoreConfig {
  wire::coap::TransmissionParams transmission;
  uint32_t min_lifetime_s = 1;
  uint32_t default_lifetime_s = 86'400;  // a Register without lt (TS 1.1: 86400)
  // A queue-mode device listens this long after its last message (TS 1.1: at least
  // MAX_TRANSMIT_WAIT by default; our device SDK's default awake time is shorter).
  uint32_t queue_awake_ms = 20'000;
  size_t dedup_entries = 1 << 17;
  // Store batching: a batch is submitted after this long or this many writes.
  uint32_t batch_ms = 2;
  size_t batch_writes = 4096;
  // The endpoint a PSK identity may register as; default: the identity itself.
  std::function<std::string(std::string_view identity)> endpoint_of_identity;
  bool allow_nosec = true;
  // Called with the seconds each finished request to a device took (the metrics' histogram).
  std::function<void(double seconds)> on_request_done;
  // Datagrams a second from one address (plain and DTLS alike), and the burst allowed; 0: no
  // limit. A NAT or a load generator puts many devices behind one address: raise it then.
  uint32_t peer_rate = 2'000;
  uint32_t peer_burst = 4'000;
  // Standing observations: paths observed on every device whose object list has their object
  // (the operator's "always report this", e.g. /33650), started after its Register and, when
  // missing (a server restart, a failed Observe), after its next Update.
  std::vector<Path> observe_on_register;
  // Writes handed to the store and not yet durable beyond which Sends and notifications are
  // refused until it catches up: a confirmable Send gets 5.03 with Max-Age `overload_retry_s`, a
  // confirmable notification no ACK (the device sends it again later), non-confirmable ones are
  // dropped; all counted in CoreStats::reports_shed. Bounds the server's memory (a queued value
  // is ~100 bytes) and the time from acknowledgement to durability. Registrations and answers
  // to the server's own requests are never refused for it.
  size_t store_backlog_limit = 500'000;
  uint32_t overload_retry_s = 5;
};

struct CoreStats {
  uint64_t datagrams_in = 0;
  uint64_t datagrams_out = 0;
  uint64_t malformed = 0;
  uint64_t duplicates = 0;
  uint64_t rate_limited = 0;  // datagrams dropped: their peer sent faster than allowed
  uint64_t retransmissions = 0;
  uint64_t registrations = 0;
  uint64_t updates = 0;
  uint64_t deregistrations = 0;
  uint64_t expirations = 0;
  uint64_t bootstraps = 0;         // sequences finished
  uint64_t bootstrap_failures = 0;
  uint64_t notifications = 0;
  uint64_t sends = 0;
  uint64_t values_stored = 0;  // durable (committed by the store)
  uint64_t notifications_stored = 0;  // notifications whose values are durable
  uint64_t reports_shed = 0;   // Sends and notifications refused: the store was behind
  size_t store_backlog = 0;    // writes handed to the store, not yet durable
  uint64_t store_failures = 0;
  uint64_t requests_done = 0;
  uint64_t requests_timeout = 0;
  size_t requests_queued = 0;
  size_t exchanges = 0;
};

class Core {
 public:
  Core(CoreConfig config, Link& link, store::Store& store);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Rebuilds the registry and the queued requests from the store (startup); returns the number
  // of devices.
  size_t load();

  // Whether a datagram from `peer` may be handled at all (the per-peer rate limit); call before
  // any decoding or DTLS work. Counted in stats().rate_limited.
  bool admit(const Peer& peer);
  // A datagram from a device (decrypted already when `secure`; `identity` is then its PSK
  // identity).
  void on_datagram(const Peer& peer, Bytes datagram, bool secure, std::string_view identity);
  // Timers: retransmissions, timeouts, lifetimes, queue expiries, the store batch. Returns the
  // next deadline (monotonic ms).
  uint64_t poll();
  // Submits the open store batch now.
  void flush();

  // --- ServerApi, on the network thread ---
  std::vector<DeviceInfo> devices(const DeviceQuery& query);
  std::optional<DeviceInfo> device(std::string_view endpoint);
  size_t device_count() const { return registry_.size(); }
  void request(std::string_view endpoint, DeviceRequest request, OutcomeCallback done);
  std::vector<store::PendingRequest> pending_requests(std::string_view endpoint);
  EventBus& events() { return events_; }

  CoreStats stats() const;
  bool sleeping(const Device& d) const;
  // Queue-mode devices asleep now (a scan of the registry: for metrics scrapes, not hot paths).
  size_t sleeping_count();

 private:
  struct Exchange;
  struct Batch;
  struct Incoming;

  // registration.cpp
  void on_register(Incoming& in);
  void on_update(Incoming& in, Device& d);
  void on_deregister(Incoming& in, Device& d);
  void expire(uint64_t now);
  void after_registration(Device& d);
  void add_standing_observations(Device& d);
  store::Registration record_of(const Device& d) const;
  DeviceInfo info_of(const Device& d) const;

  // bootstrap.cpp
  void on_bootstrap_request(Incoming& in);
  void run_bootstrap(std::shared_ptr<struct BootstrapRun> run, size_t step);

  // reporting.cpp: notifications and Send
  void on_send(Incoming& in, Device& d);
  void on_notification(const Peer& peer, const wire::coap::MessageView& m, uint64_t token);
  void store_values(std::vector<Sample>& values, Device& d, EventKind kind, Path path);
  // Writes handed to the store or waiting in the open batch, not yet durable.
  size_t store_backlog() const;

  // requests.cpp
  void start(Device& d, DeviceRequest req, OutcomeCallback done, RequestId queued_id);
  // To any peer (a device bootstrapping is in no registry: id 0); `uri` overrides the path.
  void start_to(DeviceId id, const Peer& peer, bool secure, bool lwm2m_1_0, DeviceRequest req,
                OutcomeCallback done, RequestId queued_id, std::string uri);
  void on_response(const Peer& peer, const wire::coap::MessageView& m);
  void finish(uint64_t token, Outcome outcome);
  void transmit(Exchange& x);
  void run_exchanges(uint64_t now, uint64_t& deadline);
  // Puts the exchange's next retransmission or timeout into exchange_due_.
  void schedule_exchange(Exchange& x);
  // The device's observations and queue, created on first use.
  DeviceExtra& extra_of(Device& d);
  // Into the device's queue, with its expiry in queue_due_.
  void enqueue(Device& d, QueuedRequest q);
  void deliver_queue(Device& d);
  void expire_queues(uint64_t now, uint64_t& deadline);
  // Startup: the requests the store holds as pending go back into their devices' queues, and
  // the stored observations become intents, observed again after each device's next Update.
  void load_queues();
  void load_observations();
  // every_one: all intents anew (a new registration ended the device's observations); otherwise
  // those with no live or starting observation.
  void establish_observations(Device& d, bool every_one);
  Outcome outcome_of(const Exchange& x, const wire::coap::MessageView& m, Bytes payload);

  // core.cpp
  void handle_request(Incoming& in);
  void answer(Incoming& in, wire::coap::Code code, std::string_view location = {});
  void answer_when_durable(Incoming& in, wire::coap::Code code, std::string location = {});
  void send_datagram(const Peer& peer, bool secure, Bytes datagram);
  void send_empty(const Peer& peer, bool secure, wire::coap::Type type, uint16_t mid);
  Batch& batch();
  void after_durable(std::function<void(bool durable)> then);
  uint16_t next_mid() { return ++mid_; }
  uint64_t next_token();

  CoreConfig config_;
  Link& link_;
  store::Store& store_;
  Registry registry_;
  EventBus events_;
  DedupCache dedup_;
  PeerRateLimiter limiter_;
  std::unique_ptr<Batch> batch_;
  uint64_t batch_deadline_ = UINT64_MAX;
  std::unordered_map<uint64_t, std::unique_ptr<Exchange>> exchanges_;  // by token
  std::unordered_map<uint16_t, uint64_t> exchange_by_mid_;
  // When something is due, earliest first: an exchange (by token) or a device's queued requests
  // (by device id). poll() looks at the top only, never at every exchange or device. Entries
  // outlive what they point to; a stale one is skipped when it comes up.
  struct Due {
    uint64_t at_ms;
    uint64_t key;
    bool operator>(const Due& other) const { return at_ms > other.at_ms; }
  };
  using DueHeap = std::priority_queue<Due, std::vector<Due>, std::greater<Due>>;
  DueHeap exchange_due_;
  DueHeap queue_due_;
  struct ObservationRef {
    DeviceId device = 0;
    Path path;
    Format format = Format::automatic;
  };
  std::unordered_map<uint64_t, ObservationRef> observations_;  // by token
  uint16_t mid_ = 0;
  uint64_t token_counter_ = 0;
  uint64_t token_key_ = 0;
  RequestId last_request_id_ = 0;
  size_t queued_ = 0;
  size_t in_store_ = 0;  // writes submitted, not yet durable
  CoreStats stats_;
};

}  // namespace tl::server::core
