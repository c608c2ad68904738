// ServerApi: what the LwM2M server core offers to the layers above it (the REST API, the event
// stream, the command line), and nothing about how it does it. The core implements it on its
// network thread; callers may be on any thread.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/records.hpp"
#include "server/store/store.hpp"

namespace tl::server::core {

using store::DeviceId;
using store::Path;
using store::RequestId;
using store::Sample;
using store::TimeMs;
using store::Value;

// One registered device, as the server sees it now: its stored registration (`device` is its
// id, `registration_id` the Location it was given: /rd/<registration_id>) and its live state.
struct DeviceInfo : store::Registration {
  bool sleeping = false;  // queue mode and asleep: requests wait for its next Update
  bool secure = false;    // DTLS
};

struct DeviceQuery {
  std::string endpoint_prefix;  // "" for all
  std::string after_endpoint;   // keyset pagination: the last endpoint of the previous page
  std::size_t limit = 100;
};

// An operation on one device (LwM2M 1.1 device management and information reporting).
enum class Operation : std::uint8_t {
  read,
  write_replace,     // PUT: the values replace the target
  write_update,      // POST to an instance: partial update
  execute,
  create,            // POST to an object; `values` hold the new instance's resources
  delete_instance,
  discover,
  write_attributes,  // `attributes` as query parameters ("pmin=10", "gt=20.5", "pmax")
  observe,
  cancel_observe,
};

// Content-Format numbers (CoAP registry): the format the server sends or asks for.
enum class Format : std::uint16_t {
  automatic = 0xFFFF,  // the server chooses: SenML-CBOR (TLV for LwM2M 1.0 devices), text for one value
  text = 0,
  link = 40,
  opaque = 42,
  tlv = 11542,
  senml_json = 110,
  senml_cbor = 112,
  lwm2m_json = 11543,
};

struct DeviceRequest {
  Operation op = Operation::read;
  Path path;
  Format format = Format::automatic;
  std::vector<Sample> values;               // write, create: each with its full path (device/time ignored)
  std::string arguments;                    // execute
  std::vector<std::string> attributes;      // write_attributes
  std::uint32_t timeout_ms = 5'000;         // an awake device: failed (timeout) after this
  // A sleeping device (queue mode): the request waits for its next Update until this long has
  // passed, then expires. 0: fail at once instead of waiting.
  std::uint32_t queue_expiry_s = 3'600;
};

enum class OutcomeStatus : std::uint8_t {
  done,            // the device answered (see coap_code: it may be an error code)
  queued,          // the device sleeps: stored as request_id, delivered after its next Update
  expired,         // queued, and not delivered in time
  timeout,         // sent, never answered
  not_registered,  // no such endpoint
  bad_request,     // the request itself is wrong (path, values, format): `detail` says why
  failed,          // anything else: `detail` says what
};

struct Outcome {
  OutcomeStatus status = OutcomeStatus::failed;
  std::uint8_t coap_code = 0;  // the device's response code (class << 5 | detail), e.g. 0x45 = 2.05
  Format format = Format::automatic;  // of the payload the device sent
  std::vector<Sample> values;  // read, observe: decoded (device id, path, time set)
  std::string link_format;     // discover
  std::string detail;          // for people: an error, a note
  RequestId request_id = 0;    // queued (and later: the stored request)
};

using OutcomeCallback = std::function<void(Outcome)>;

enum class EventKind : std::uint8_t {
  registered,
  updated,
  deregistered,
  expired,       // lifetime ran out
  notification,  // values from an observation
  send,          // values from a Send (/dp)
  sleeping,      // a queue-mode device went to sleep
  awake,         // ... and came back (its Update)
  request_done,  // a queued request finished (done, expired)
};
std::string_view to_string(EventKind kind);

struct Event {
  EventKind kind = EventKind::registered;
  TimeMs time_ms = 0;
  std::string endpoint;
  DeviceId device = 0;
  std::vector<Sample> values;  // notification, send
  Path path;                   // notification: the observed path
  RequestId request_id = 0;    // request_done
  std::string detail;          // request_done: the outcome's status; registered/updated: nothing
};

// Held by a subscriber; destroying it ends the subscription.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class ServerApi {
 public:
  virtual ~ServerApi() = default;

  // Snapshots of the registry.
  virtual std::vector<DeviceInfo> devices(const DeviceQuery& query) = 0;
  virtual std::optional<DeviceInfo> device(std::string_view endpoint) = 0;
  virtual std::size_t device_count() = 0;

  // Starts an operation; `done` is called exactly once, on the server's network thread: keep it
  // short and hand the outcome to your own thread.
  virtual void request(std::string_view endpoint, DeviceRequest request, OutcomeCallback done) = 0;
  // Pending requests of a device (queued for a sleeping device), and one by id.
  virtual std::vector<store::PendingRequest> pending_requests(std::string_view endpoint) = 0;

  // Every event from now on, on the network thread (keep `on_event` short; it must not call
  // back into the ServerApi synchronously).
  virtual std::unique_ptr<Subscription> subscribe(std::function<void(const Event&)> on_event) = 0;

  // Stored data: time series, latest values, bootstrap configurations, the audit log. Thread-safe.
  virtual store::Store& storage() = 0;
};

}  // namespace tl::server::core
