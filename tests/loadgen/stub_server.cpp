#include "stub_server.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string_view>

#include "sim/loadgen/messages.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::sim::loadgen::test {

namespace coap = wire::coap;
using coap::Code;
using coap::MessageBuilder;
using coap::Type;

StubServer::StubServer(StubOptions options) : options_(options) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("stub: bind");
  int buffer = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  socklen_t len = sizeof a;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

StubServer::~StubServer() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

sockaddr_in StubServer::address() const {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port_);
  return a;
}

std::vector<std::string> StubServer::endpoints() const {
  std::lock_guard lock(mutex_);
  return endpoints_;
}

void StubServer::run() {
  uint8_t buf[1500];
  pollfd p{fd_, POLLIN, 0};
  while (!stop_) {
    if (::poll(&p, 1, 20) <= 0) continue;
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n > 0) handle(buf, static_cast<size_t>(n), from);
  }
}

void StubServer::reply(const MessageBuilder& b, const sockaddr_in& to) {
  uint8_t buf[1500];
  wire::ByteWriter w(buf, sizeof buf);
  if (b.write(w) != wire::Error::ok) return;
  ::sendto(fd_, buf, w.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

void StubServer::handle(const uint8_t* data, size_t size, const sockaddr_in& from) {
  const auto m = coap::decode({data, size});
  if (!m) return;
  if (m->type() == Type::ack || coap::is_response(m->code())) {
    on_response(*m, from);
    return;
  }
  std::string path;
  for (const coap::Option& o : m->uri_path()) path += "/" + std::string(o.text());
  if (m->code() == Code::post && path == "/rd") {
    on_register(*m, from);
  } else if (m->code() == Code::post && path.rfind("/rd/", 0) == 0) {
    ++updates;
    if (m->type() == Type::con) reply(MessageBuilder::piggybacked_response(*m, Code::changed), from);
  } else if (m->code() == Code::post && path == "/dp") {
    on_send(*m, from);
  }
}

void StubServer::on_register(const coap::MessageView& m, const sockaddr_in& from) {
  auto& copy = registers_seen_[std::make_tuple(from.sin_addr.s_addr, from.sin_port, m.message_id())];
  ++copy.first;
  if (options_.drop_first_register && copy.first == 1) {
    ++dropped;
    return;
  }
  // Counted before the answer goes out: a test reads the counts as soon as the answer arrives.
  const bool fresh = copy.first == (options_.drop_first_register ? 2 : 1);
  if (fresh) {
    copy.second = next_id_++;
    std::string ep;
    for (const coap::Option& o : m.uri_query()) {
      if (o.text().rfind("ep=", 0) == 0) ep = std::string(o.text().substr(3));
    }
    std::lock_guard lock(mutex_);
    endpoints_.push_back(ep);
    ++registers;
  } else {
    ++duplicates;  // a retransmission: answered again, registered once
  }
  reply(MessageBuilder::piggybacked_response(m, Code::created)
            .location_path("/rd")
            .string_option(coap::OptionNumber::location_path, std::to_string(copy.second)),
        from);
  if (fresh && options_.observe) observe(from);
}

void StubServer::observe(const sockaddr_in& to) {
  const uint64_t token = 0xABCD0000u + observations_.size();
  observations_.insert(token);
  const TokenBytes t = token_bytes(token);
  MessageBuilder b(Type::con, Code::get, next_mid_++);
  b.token(t.view()).uri_path("/33650").observe(0).accept(coap::ContentFormat::senml_cbor);
  reply(b, to);
}

void StubServer::on_response(const coap::MessageView& m, const sockaddr_in& from) {
  if (m.type() == Type::ack && m.code() == Code::content && m.observe()) {
    ++observe_answers;
    return;
  }
  if (m.code() != Code::content || !m.observe() || observations_.count(token_value(m.token())) == 0) return;
  if (seen_.insert(std::make_tuple(from.sin_addr.s_addr, from.sin_port, m.message_id())).second) ++notifications;
  if (m.type() == Type::con) {
    uint8_t buf[8];
    const size_t n = empty(Type::ack, m.message_id(), buf);
    ::sendto(fd_, buf, n, 0, reinterpret_cast<const sockaddr*>(&from), sizeof from);
  }
}

// Valid: Content-Format 112 and every record a /33650 resource with a value.
void StubServer::on_send(const coap::MessageView& m, const sockaddr_in& from) {
  bool valid = m.content_format() && *m.content_format() == coap::ContentFormat::senml_cbor;
  wire::senml::CborReader reader(m.payload());
  size_t records = 0;
  for (;;) {
    const auto r = reader.next();
    if (!r) {
      valid = valid && r.error() == wire::Error::end;
      break;
    }
    ++records;
    valid = valid && r->path.object_id() == 33650 && r->path.depth == 3 && r->kind != wire::senml::Kind::none;
  }
  const bool fresh = seen_.insert(std::make_tuple(from.sin_addr.s_addr, from.sin_port, m.message_id())).second;
  if (fresh) ++(valid && records > 0 ? sends_valid : sends_invalid);  // before the answer, as above
  if (m.type() == Type::con) reply(MessageBuilder::piggybacked_response(m, Code::changed), from);
}

}  // namespace tl::sim::loadgen::test
