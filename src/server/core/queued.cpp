#include "server/core/queued.hpp"

#include <nlohmann/json.hpp>

#include "server/codec/codec.hpp"

namespace tl::server::core {

using store::RequestKind;

RequestKind kind_of(Operation op) {
  switch (op) {
    case Operation::read: return RequestKind::read;
    case Operation::write_replace:
    case Operation::write_update: return RequestKind::write;
    case Operation::execute: return RequestKind::execute;
    case Operation::create: return RequestKind::create;
    case Operation::delete_instance: return RequestKind::delete_instance;
    case Operation::discover: return RequestKind::discover;
    case Operation::write_attributes: return RequestKind::write_attributes;
    case Operation::observe: return RequestKind::observe;
    case Operation::cancel_observe: return RequestKind::cancel_observe;
  }
  return RequestKind::read;
}

std::string body_of(const DeviceRequest& r) {
  nlohmann::json body = {{"op", static_cast<int>(r.op)},
                         {"format", static_cast<int>(r.format)},
                         {"timeout_ms", r.timeout_ms},
                         {"arguments", r.arguments},
                         {"attributes", r.attributes}};
  if (!r.values.empty()) {
    // SenML-JSON: the codec types the values again from the DDF when they are read back.
    auto encoded = codec::encode(codec::cf::senml_json, store::Path{}, r.values);
    if (encoded) body["values"] = std::string(encoded->begin(), encoded->end());
  }
  return body.dump();
}

std::optional<DeviceRequest> request_from(const store::PendingRequest& stored) {
  const auto body = nlohmann::json::parse(stored.body, nullptr, false);
  if (!body.is_object()) return std::nullopt;
  try {
    DeviceRequest r;
    const int op = body.at("op").get<int>();
    if (op < 0 || op > static_cast<int>(Operation::cancel_observe)) return std::nullopt;
    r.op = static_cast<Operation>(op);
    r.path = stored.path;
    r.format = static_cast<Format>(body.at("format").get<uint16_t>());
    r.timeout_ms = body.at("timeout_ms").get<uint32_t>();
    r.arguments = body.at("arguments").get<std::string>();
    r.attributes = body.at("attributes").get<std::vector<std::string>>();
    if (body.contains("values")) {
      const std::string text = body.at("values").get<std::string>();
      const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
      auto values = codec::decode(codec::cf::senml_json, bytes, store::Path{}, stored.device, stored.created_ms);
      if (!values) return std::nullopt;
      r.values = std::move(values).value();
    }
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace tl::server::core
