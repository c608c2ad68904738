// The LwM2M 1.1 client engine: bootstrap, registration, device management, information reporting
// (observe, Send), queue mode and block-wise transfers over one Transport, for the application's
// fixed set of objects (object.hpp). Objects 0 and 1 belong to the engine (accounts.hpp).
//
// Event loop contract: the port calls step(now) whenever a datagram may have arrived or the
// deadline step() returned last time has passed. step() polls the transport, handles every
// waiting datagram, runs the timers and returns the next deadline (monotonic ms). Nothing else in
// the client blocks or keeps time on its own.
//
// Memory: no heap. Engine works on buffers the Client template below owns, so the capacities
// are template parameters and the whole client is one static object.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "client/accounts.hpp"
#include "client/config.hpp"
#include "client/object.hpp"
#include "client/observe.hpp"
#include "client/platform.hpp"
#include "client/transport.hpp"
#include "wire/coap/block.hpp"
#include "wire/coap/message.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::client {

using wire::ByteWriter;
using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::coap::MessageView;

// The buffers an Engine works in (see Client for their roles and sizes).
struct Memory {
  // One received datagram while it is handled; between datagrams (timers: Register, Update,
  // notifications) the scratch space where an outgoing datagram or object list is serialized.
  MutableBytes rx;
  MutableBytes response;  // the last response, kept to answer a retransmitted request again
  MutableBytes request;   // the outstanding confirmable request, kept for retransmission
  MutableBytes payload;   // a rendered payload (Block2 source), a Block1 reassembly
  MutableBytes scratch;   // one value an object reads into
  std::span<Observation> observations;
  std::span<AttributeEntry> attributes;
};

class ValueSink;  // content.cpp: receives the values a read walks over

class Engine : private ChangeListener {
 public:
  enum class State : uint8_t {
    starting,           // deciding between bootstrap and registration
    bootstrap_request,  // Bootstrap-Request sent (or about to be)
    bootstrapping,      // accepted: the bootstrap server writes, then Bootstrap-Finish
    registering,        // Register sent (or about to be)
    registered,
    backoff,            // a failed attempt: waiting to retry
    deregistered,
  };

  uint64_t step(uint64_t now_ms);
  // One received datagram (what step() does with each datagram the transport hands over); public
  // for ports that receive on their own and for the fuzz target.
  void handle_datagram(Bytes datagram, uint64_t now_ms);

  // Send (TS 1.1 6.4.4): POST /dp with the current values of `paths` in SenML-CBOR.
  // Errors: end (not registered), too_many_items (a confirmable exchange is in flight, or the
  // client sleeps and has started waking up: call again after a step), and those of reading.
  Error send(std::span<const Path> paths);
  // Sends a Registration Update soon, with the object list (call after adding or removing
  // instances).
  void objects_changed();
  void deregister();

  State state() const { return state_; }
  bool asleep() const { return asleep_; }
  SecurityObject& security() { return security_; }
  ServerObject& server() { return server_; }

 protected:
  Engine(Platform& platform, Transport& transport, std::span<Object* const> objects,
         const ClientConfig& config, Memory memory);
  ~Engine() = default;

 private:
  // A request the client sent and awaits the answer of. One at a time (NSTART = 1).
  enum class Exchange : uint8_t { none, bootstrap_request, register_, update, deregister, send, notify };
  struct Outgoing {
    Exchange kind = Exchange::none;
    uint16_t message_id = 0;
    uint8_t token[4] = {};
    size_t length = 0;
    bool acked = false;  // empty ACK seen: the response comes separately
    uint64_t give_up_ms = 0;
    uint8_t observation = 0;  // Exchange::notify: its table index
    wire::coap::Retransmission retransmission;
  };
  // A Send larger than one block, going out block by block (Block1, RFC 7959 2.5) from
  // mem_.payload, which it holds until the last block is answered.
  struct SendTransfer {
    bool active = false;
    uint8_t szx = 0;
    uint32_t num = 0;  // the block in flight
    size_t size = 0;
  };
  // An incoming Block1 transfer being received.
  struct Block1 {
    bool active = false;
    bool streaming = false;  // opaque value handed to the object chunk by chunk
    Path path;
    Code method = Code::empty;
    uint16_t format = 0;
    size_t next_offset = 0;
  };
  // The request being answered (dm.cpp).
  struct Request;

  // engine.cpp: the loop, sending, the outstanding exchange.
  void receive_all();
  void handle_response(const MessageView& m);
  void run_timers(uint64_t& deadline);
  void run_state(uint64_t& deadline);
  void run_exchange(uint64_t& deadline);
  Error start_exchange(Exchange kind, wire::coap::MessageBuilder& b);
  void finish_exchange(Code code, const MessageView* response);
  void transmit(Bytes datagram);
  uint16_t next_message_id() { return next_mid_++; }
  void touch() { last_activity_ms_ = now_ms_; }
  void collect_server_events();
  Object* find_object(uint16_t id) const;
  uint8_t max_block_szx() const;

  // registration.cpp
  void start();
  void connect(const SecurityRecord& account);
  void send_register();
  void send_update();
  void on_register_response(Code code, const MessageView* response);
  void on_update_response(Code code);
  void schedule_update();
  void fail_and_retry();
  Error write_object_list(ByteWriter& out) const;
  const ServerRecord* server_record() const;
  bool queue_mode() const;

  // bootstrap.cpp
  void send_bootstrap_request();
  void on_bootstrap_response(Code code);
  void bootstrap_request(Request& r);
  void bootstrap_write(Request& r);
  void bootstrap_delete(Request& r);
  void bootstrap_discover(Request& r);
  void bootstrap_finish(Request& r);
  bool accounts_consistent() const;
  void load_accounts();
  void save_accounts();

  // dm.cpp: requests from a server.
  void handle_request(const MessageView& m);
  void dispatch(Request& r);
  void dm_read(Request& r);
  void dm_write(Request& r, WriteMode mode);
  void dm_execute(Request& r);
  void dm_create(Request& r);
  void dm_delete(Request& r);
  void dm_discover(Request& r);
  void dm_write_attributes(Request& r);
  wire::coap::MessageBuilder response_for(const Request& r, Code code);
  void finish_response(Request& r, const wire::coap::MessageBuilder& b);
  void respond(Request& r, Code code);

  // content.cpp: values to and from the formats.
  // Each returns the CoAP code of the outcome: content / changed, or the error to answer.
  Code render(const Path& path, uint16_t format, ByteWriter& out, bool bootstrap);
  Code render_values(Object& object, const Path& path, ValueSink& sink, bool bootstrap);
  Code render_resource(Object& object, const Path& path, const model::ResourceDef& def, ValueSink& sink);
  Code apply_payload(Object& object, const Path& target, uint16_t format, Bytes payload,
                     WriteMode mode, bool bootstrap);
  Code write_value(Object& object, const Path& path, const Value& value, bool bootstrap);
  Code check_read_target(Object& object, const Path& path, bool bootstrap) const;
  Code read_value(Object& object, const Path& path, Value& out);
  uint16_t default_format(const Object& object, const Path& path) const;
  Object* find_any_object(uint16_t id);

  // block.cpp
  bool handle_block1(Request& r, Object& object, WriteMode mode);
  void respond_blocks(Request& r, wire::coap::MessageBuilder& b, Bytes payload);
  void respond_opaque_blocks(Request& r, Object& object);

  // discover.cpp
  Code write_discover(Object& object, const Path& path, ByteWriter& out) const;
  Code write_bootstrap_discover(const Path& path, ByteWriter& out);

  // notify.cpp
  void on_changed(const Object& object, const Path& path) override;
  void dm_observe(Request& r, uint32_t observe);
  void run_observations(uint64_t& deadline);
  void evaluate(Observation& o, const Effective& e);
  void notify(Observation& o);
  void cancel_by_message_id(uint16_t message_id);
  Effective effective_attributes(const Path& path) const;
  bool numeric_resource(const Path& path) const;
  bool read_number(const Path& path, float& out);
  void check_sleep(uint64_t& deadline);
  bool may_notify() const;
  Error send_block();
  void on_send_response(Code code, const MessageView* response);

  Platform& platform_;
  Transport& transport_;
  std::span<Object* const> objects_;
  const ClientConfig& config_;
  Memory mem_;
  SecurityObject security_;
  ServerObject server_;
  AttributeTable attributes_;
  wire::coap::DedupWindow<TL_CLIENT_DEDUP_ENTRIES> dedup_;
  wire::coap::BlockAssembler assembler_;  // over mem_.payload

  State state_ = State::starting;
  Outgoing out_;
  Block1 block1_;
  SendTransfer send_;
  uint64_t now_ms_ = 0;
  uint64_t update_at_ms_ = UINT64_MAX;
  uint64_t retry_at_ms_ = 0;
  uint64_t bootstrap_deadline_ms_ = UINT64_MAX;
  uint64_t reenable_at_ms_ = UINT64_MAX;  // Disable executed: when to register again
  uint64_t last_activity_ms_ = 0;
  uint32_t retry_delay_s_ = 0;
  uint16_t next_mid_ = 0;
  uint16_t response_handle_ = 0;  // dedup handle of the response in mem_.response
  size_t response_length_ = 0;
  bool send_params_ = false;   // next Update carries lt and b
  bool send_objects_ = false;  // next Update carries the object list
  bool update_wanted_ = false;
  bool asleep_ = false;
  bool bootstrap_next_ = false;  // after a failure, the retry goes to the bootstrap server
  bool accounts_loaded_ = false;
  char location_[48] = {};     // "/rd/5a3f": the registration's Location-Path
  size_t location_len_ = 0;
};

// The buffers of a Client, a base class of it so that they exist before Engine refers to them.
template <size_t Datagram, size_t Payload, size_t Observations, size_t AttributeSlots>
struct ClientMemory {
  std::array<uint8_t, Datagram> rx{};
  std::array<uint8_t, Datagram> response{};
  std::array<uint8_t, Datagram> request{};
  std::array<uint8_t, Payload> payload{};
  std::array<uint8_t, 256> scratch{};
  std::array<Observation, Observations> observations{};
  std::array<AttributeEntry, AttributeSlots> attributes{};
};

// The client with its memory. Datagram: the largest datagram in or out (the link MTU's CoAP
// share); Payload: the largest response rendered whole (larger ones go out block-wise from it,
// opaque values stream through Object::read_chunk whatever their size) and the largest Block1
// write reassembled (opaque values stream to Object::write_chunk instead); Observations and
// AttributeSlots: the table sizes. RAM is about 3 * Datagram + Payload + 256 + 96 per
// observation + 72 per attribute slot.
template <size_t Datagram = 1152, size_t Payload = 2048, size_t Observations = 8, size_t AttributeSlots = 8>
class Client final : private ClientMemory<Datagram, Payload, Observations, AttributeSlots>, public Engine {
  using Buffers = ClientMemory<Datagram, Payload, Observations, AttributeSlots>;

 public:
  Client(Platform& platform, Transport& transport, std::span<Object* const> objects, const ClientConfig& config)
      : Buffers(),
        Engine(platform, transport, objects, config,
               Memory{Buffers::rx, Buffers::response, Buffers::request, Buffers::payload,
                      Buffers::scratch, Buffers::observations, Buffers::attributes}) {}
};

}  // namespace tl::client
