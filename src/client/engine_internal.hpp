// Shared by the engine's .cpp files only: the request being answered, code mappings and the
// value sink a read walks into.
#pragma once
#include <cstdint>

#include "client/client.hpp"
#include "wire/coap/message.hpp"
#include "wire/lwm2m/tlv.hpp"
#include "wire/senml/senml_cbor.hpp"
#if TL_CLIENT_SENML_JSON
#include "wire/senml/senml_json.hpp"
#endif

namespace tl::client {

using wire::coap::Maybe;

struct Engine::Request {
  const MessageView& m;
  Path path;
  bool lwm2m_path = false;  // the Uri-Path is an LwM2M path (the root included)
  bool bs_path = false;     // the Uri-Path is "bs" (Bootstrap-Finish)
  bool bootstrap = false;   // from the bootstrap server, during bootstrap
};

// The values of a read, in order: instances and multiple resources open and close around them.
class ValueSink {
 public:
  virtual void begin_instance(uint16_t) {}
  virtual void end_instance() {}
  virtual void begin_multiple(uint16_t) {}
  virtual void end_multiple() {}
  virtual Error value(const Path& path, const Value& v) = 0;

 protected:
  ~ValueSink() = default;
};

inline Code code_for(Status s) {
  switch (s) {
    case Status::ok: return Code::changed;
    case Status::not_found: return Code::not_found;
    case Status::not_allowed: return Code::method_not_allowed;
    case Status::bad_request: return Code::bad_request;
    case Status::too_large: return Code::request_entity_too_large;
    case Status::internal: return Code::internal_server_error;
    case Status::not_implemented: return Code::not_implemented;
  }
  return Code::internal_server_error;
}

// A writer or reader error as the response code of a request.
inline Code code_for(Error e) {
  switch (e) {
    case Error::ok:
    case Error::end: return Code::changed;
    case Error::buffer_too_small:
    case Error::too_many_items: return Code::request_entity_too_large;
    default: return Code::bad_request;
  }
}

constexpr bool is_error(Code c) { return wire::coap::code_class(c) >= 4; }

// A Content-Format or Accept option as its number, `fallback` when absent.
inline uint16_t format_or(Maybe<ContentFormat> option, uint16_t fallback) {
  return option ? wire::coap::to_uint(*option) : fallback;
}

inline constexpr uint16_t kTextPlain = 0;
inline constexpr uint16_t kLinkFormat = 40;
inline constexpr uint16_t kOpaque = 42;
inline constexpr uint16_t kSenmlJson = 110;
inline constexpr uint16_t kSenmlCbor = 112;
inline constexpr uint16_t kTlv = 11542;

// SenML-JSON (110) or SenML-CBOR (112): the SenML formats this build reads and writes. Without
// TL_CLIENT_SENML_JSON, 110 is unsupported like any unknown format (4.15 on write, 4.06 on read).
inline constexpr bool kSenmlJsonSupported = TL_CLIENT_SENML_JSON != 0;
constexpr bool is_senml(uint16_t format) {
  return format == kSenmlCbor || (kSenmlJsonSupported && format == kSenmlJson);
}

}  // namespace tl::client
