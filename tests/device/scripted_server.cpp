#include "scripted_server.hpp"

#include <nlohmann/json.hpp>

namespace tl::device::test {

using wire::coap::Code;
using wire::coap::MessageBuilder;
using wire::coap::Type;

wire::coap::MessageView Message::view() const {
  auto m = wire::coap::decode(wire::Bytes(bytes.data(), bytes.size()));
  return m ? *m : wire::coap::MessageView{};
}

std::string Message::uri_path() const {
  std::string p;
  for (const auto& o : view().uri_path()) p += "/" + std::string(o.text());
  return p;
}

std::vector<std::string> Message::queries() const {
  std::vector<std::string> q;
  for (const auto& o : view().uri_query()) q.emplace_back(o.text());
  return q;
}

std::string Message::payload() const { return std::string(wire::as_text(view().payload())); }

Message ScriptedServer::next(Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    Message m{link_.receive(deadline)};
    if (!m.bytes.empty() && wire::coap::decode(wire::Bytes(m.bytes.data(), m.bytes.size()))) return m;
  }
  return {};
}

void ScriptedServer::send(const MessageBuilder& b) {
  Datagram d(1152);
  wire::ByteWriter w{wire::MutableBytes(d)};
  if (b.write(w) != wire::Error::ok) return;
  d.resize(w.written().size());
  link_.send(d);
}

void ScriptedServer::reply(const Message& request, Code code, std::string_view location) {
  MessageBuilder b = MessageBuilder::piggybacked_response(request.view(), code);
  if (!location.empty()) b.location_path(location);
  send(b);
}

void ScriptedServer::ack(const Message& m) { send(MessageBuilder(Type::ack, Code::empty, m.view().message_id())); }

std::vector<uint8_t> ScriptedServer::observe(std::string_view path) {
  static const uint8_t token[] = {0x0B, 0x5E};
  MessageBuilder b(Type::con, Code::get, ++mid_);
  b.token(token).observe(0).uri_path(path).accept(wire::coap::ContentFormat::senml_json);
  send(b);
  return {std::begin(token), std::end(token)};
}

void ScriptedServer::request(Code code, std::string_view path, const Datagram& tlv) {
  static const uint8_t token[] = {0xE7};
  MessageBuilder b(Type::con, code, ++mid_);
  b.token(token).uri_path(path);
  if (!tlv.empty()) b.content_format(wire::coap::ContentFormat::lwm2m_tlv).payload(wire::Bytes(tlv.data(), tlv.size()));
  send(b);
}

std::map<std::string, double> senml_numbers(const std::string& json) {
  std::map<std::string, double> out;
  const auto records = nlohmann::json::parse(json, nullptr, false);
  if (!records.is_array()) return out;
  std::string base;
  for (const auto& r : records) {
    if (r.contains("bn")) base = r["bn"].get<std::string>();
    const std::string name = base + r.value("n", std::string());
    if (r.contains("v")) out[name] = r["v"].get<double>();
    if (r.contains("vb")) out[name] = r["vb"].get<bool>() ? 1 : 0;
  }
  return out;
}

}  // namespace tl::device::test
